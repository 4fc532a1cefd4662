"""Named properties of an XMP packet, found by scanning rather than by an XML parser.

An XMP packet is untrusted XML: an XML parser brings DTDs with it, and with them entity expansion
("billion laughs") and external entities. The few properties generators' records are found in
(`exif:UserComment`, `dc:description`, and the `dc:title`, `xmp:CreatorTool` beside them) are
found by scanning instead, in element form (plain text, CDATA, or the first item of an
`rdf:Alt`/`rdf:Seq`/`rdf:Bag` list) or attribute form. Only XML's own escapes are undone: the five
named ones (`&quot;` `&amp;` `&lt;` `&gt;` `&apos;`) and numeric references (`&#10;`, `&#x22;`);
an entity a DTD declares, or an HTML name (`&nbsp;`), stays as written. Draw Things' JSON record,
and the records of other generators that a re-saving tool moved into XMP, are read through here.
"""

from __future__ import annotations

import functools
import re

MAX_XMP_CHARS = 8 * 1024 * 1024
"""A larger packet is not searched (real packets are a few kB; a generator's record tens of kB)."""


_LIST = re.compile(r"\s*<rdf:(?:Alt|Seq|Bag)\b[^<>]{0,256}>\s*<rdf:li\b", re.IGNORECASE)
"""An element's value given as a list (`<rdf:Alt><rdf:li xml:lang="x-default">text</rdf:li>`): its first item."""
_LIST_END = re.compile(r"</rdf:li\s*>", re.IGNORECASE)
_ESCAPE = re.compile(r"&(?:#([0-9]{1,7})|#[xX]([0-9A-Fa-f]{1,6})|(lt|gt|amp|quot|apos));")
"""XML's escapes; every quantifier is bounded and nothing nests, so a search never backtracks far."""
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_CDATA_OPEN, _CDATA_CLOSE = "<![CDATA[", "]]>"
_ATTRIBUTE_SPACE = str.maketrans("\t\n\r", "   ")


@functools.cache
def _names(name: str) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Where property `name` opens as an element (`<dc:description` then a space, `>` or `/`), where that
    element closes, and where it opens as an attribute (`dc:description` then `=`, spaces allowed around it)."""
    tag = re.escape(name)
    return (
        re.compile(rf"<{tag}(?=[\s>/])", re.IGNORECASE),
        re.compile(rf"</{tag}\s{{0,64}}>", re.IGNORECASE),
        re.compile(rf"(?<![\w:.-]){tag}\s{{0,64}}=\s{{0,64}}", re.IGNORECASE),
    )


def xmp_property(xmp: str | None, name: str) -> str | None:
    """The text of property `name` (`exif:UserComment`, `dc:description`) in an XMP packet, unescaped.

    Found by scanning, each step a plain search forward from the last (no pattern that can backtrack over the
    packet): a hostile packet of repeated half-open tags is read in linear time, never in hours. An element
    whose end was cut off gives the rest of the packet, so a truncated record is reported as damaged rather
    than as missing."""
    if not isinstance(xmp, str) or len(xmp) > MAX_XMP_CHARS or name.partition(":")[2] not in xmp:
        return None
    element, element_end, attribute = _names(name)
    text = _element_text(xmp, element, element_end)
    if text is None:
        value = _attribute_text(xmp, attribute)
        # XML turns a tab or line break written as itself in an attribute into a space (`&#10;` stays a line break)
        text = unescape(value.translate(_ATTRIBUTE_SPACE)) if value is not None else None
    return text.strip() if text is not None else None


def too_large(xmp: str | None) -> str | None:
    """Why an XMP packet was not searched (larger than `MAX_XMP_CHARS`), else None."""
    if isinstance(xmp, str) and len(xmp) > MAX_XMP_CHARS:
        return f"XMP packet of {len(xmp):,} characters is larger than the {MAX_XMP_CHARS // 2**20} MiB limit: skipped"
    return None


def unescape(text: str) -> str:
    """XML's escapes undone, once (`&amp;quot;` is `&quot;`); anything else that starts with `&` stays as written."""
    if "&" not in text:
        return text
    return _ESCAPE.sub(_unescaped, text)


def _unescaped(match: re.Match[str]) -> str:
    decimal, hexadecimal, named = match.groups()
    if named is not None:
        return _NAMED[named]
    code = int(decimal) if decimal is not None else int(hexadecimal, 16)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return match.group(0)  # no character XML allows: left as written
    return chr(code)


def _content(raw: str) -> str:
    """Element content as text: escapes undone outside CDATA sections, CDATA taken as written."""
    parts = []
    at = 0
    while (start := raw.find(_CDATA_OPEN, at)) >= 0:
        parts.append(unescape(raw[at:start]))
        end = raw.find(_CDATA_CLOSE, start + len(_CDATA_OPEN))
        stop = end if end >= 0 else len(raw)
        parts.append(raw[start + len(_CDATA_OPEN) : stop])
        at = stop + len(_CDATA_CLOSE) if end >= 0 else len(raw)
    parts.append(unescape(raw[at:]))
    return "".join(parts)


def _element_text(xmp: str, element: re.Pattern[str], element_end: re.Pattern[str]) -> str | None:
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
        if item < 0 or xmp[item - 1] == "/":
            return ""  # an empty item: <rdf:li xml:lang="x-default"/>
        last = _LIST_END.search(xmp, item + 1)
        return _content(xmp[item + 1 : last.start() if last is not None else len(xmp)])
    end = element_end.search(xmp, at)
    return _content(xmp[at : end.start() if end is not None else len(xmp)])


def _attribute_text(xmp: str, attribute: re.Pattern[str]) -> str | None:
    """The first attribute's quoted value, still escaped; None when there is none, or its quote never closes."""
    found = attribute.search(xmp)
    if found is None or found.end() >= len(xmp) or xmp[found.end()] not in "\"'":
        return None
    quote = xmp[found.end()]
    end = xmp.find(quote, found.end() + 1)
    return xmp[found.end() + 1 : end] if end >= 0 else None
