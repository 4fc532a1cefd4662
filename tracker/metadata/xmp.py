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


@functools.cache
def _patterns(name: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    tag = re.escape(name)
    element = re.compile(
        rf"<{tag}(?:\s[^>]*)?>\s*(?:<rdf:(?:Alt|Seq|Bag)>\s*<rdf:li(?:\s[^>]*)?>(.*?)</rdf:li>|([^<]*))",
        re.DOTALL | re.IGNORECASE,
    )
    attribute = re.compile(rf"\b{tag}\s*=\s*(?:\"([^\"]*)\"|'([^']*)')", re.IGNORECASE)
    return element, attribute


def xmp_property(xmp: str | None, name: str) -> str | None:
    """The text of property `name` (`exif:UserComment`, `dc:description`) in an XMP packet, unescaped."""
    if not isinstance(xmp, str) or len(xmp) > MAX_XMP_CHARS or name.partition(":")[2] not in xmp:
        return None
    element, attribute = _patterns(name)
    match = element.search(xmp) or attribute.search(xmp)
    if match is None:
        return None
    text = match.group(1) if match.group(1) is not None else match.group(2)
    return html.unescape(text).strip() if text is not None else None
