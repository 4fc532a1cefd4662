"""Named properties of an XMP packet, found by pattern rather than by an XML parser.

An XMP packet is untrusted XML: an XML parser brings DTDs with it, and with them entity expansion
("billion laughs") and external entities. The few properties generators write (`exif:UserComment`,
`dc:description`) are found by pattern instead, in element form (plain text, or the first item of
an `rdf:Alt`/`rdf:Seq`/`rdf:Bag` list) or attribute form. Only character references and the
standard named escapes are unescaped (`html.unescape`): an entity a DTD declares stays as written.
Draw Things' JSON record and A1111/Forge text copied into XMP are both read through here.
"""

from __future__ import annotations

import functools
import html
import re

MAX_XMP_CHARS = 8 * 1024 * 1024
"""A larger packet is not searched (real packets are a few kB; a generator's record tens of kB)."""


_LIST = re.compile(r"\s*<rdf:(?:Alt|Seq|Bag)\s*>\s*<rdf:li\b", re.IGNORECASE)
"""An element's value given as a list (`<rdf:Alt><rdf:li xml:lang="x-default">text</rdf:li>`): its first item."""
_LIST_END = re.compile(r"</rdf:li\s*>", re.IGNORECASE)


@functools.cache
def _names(name: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Where property `name` opens as an element (`<dc:description` then a space, `>` or `/`), and as an attribute
    (`dc:description` then `=`, spaces allowed around it)."""
    tag = re.escape(name)
    return (
        re.compile(rf"<{tag}(?=[\s>/])", re.IGNORECASE),
        re.compile(rf"(?<![\w:.-]){tag}\s{{0,64}}=\s{{0,64}}", re.IGNORECASE),
    )


def xmp_property(xmp: str | None, name: str) -> str | None:
    """The text of property `name` (`exif:UserComment`, `dc:description`) in an XMP packet, unescaped.

    Found by scanning, each step a plain search forward from the last (no pattern that can backtrack over the
    packet): a hostile packet of repeated half-open tags is read in linear time, never in hours."""
    if not isinstance(xmp, str) or len(xmp) > MAX_XMP_CHARS or name.partition(":")[2] not in xmp:
        return None
    element, attribute = _names(name)
    text = _element_text(xmp, element)
    if text is None:
        text = _attribute_text(xmp, attribute)
    return html.unescape(text).strip() if text is not None else None


def _element_text(xmp: str, element: re.Pattern[str]) -> str | None:
    """The first element's text (or its list's first item); None when there is none, or its tag never closes."""
    opened = element.search(xmp)
    if opened is None:
        return None
    closed = xmp.find(">", opened.end())
    if closed < 0:
        return None
    at = closed + 1
    if xmp[closed - 1] == "/":
        return ""  # an empty element: <dc:description/>
    listed = _LIST.match(xmp, at)
    if listed is not None:
        item = xmp.find(">", listed.end())
        last = _LIST_END.search(xmp, item + 1) if item >= 0 else None
        return xmp[item + 1 : last.start()] if last is not None else ""
    end = xmp.find("<", at)
    return xmp[at : end if end >= 0 else len(xmp)]


def _attribute_text(xmp: str, attribute: re.Pattern[str]) -> str | None:
    """The first attribute's quoted value; None when there is none, or its quote never closes."""
    found = attribute.search(xmp)
    if found is None or found.end() >= len(xmp) or xmp[found.end()] not in "\"'":
        return None
    quote = xmp[found.end()]
    end = xmp.find(quote, found.end() + 1)
    return xmp[found.end() + 1 : end] if end >= 0 else None
