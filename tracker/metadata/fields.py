"""A by-key view of an image's raw metadata, the input every generator parser takes.

Parsers never walk containers themselves: they look up `png["parameters"]`,
`exif["UserComment"]`, `xmp`, ... here. The first value wins when a key repeats; the raw
entries keep every copy.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tracker.metadata.containers import EXTENDED_XMP, JPEG_COMMENT, RawEntry
from tracker.metadata.stealth import StealthPayload

XMP_KEY = "XML:com.adobe.xmp"


@dataclass
class Fields:
    """Metadata text by where it was found."""

    png: dict[str, str] = field(default_factory=dict)
    """PNG text chunks (tEXt/zTXt/iTXt) by keyword."""
    exif: dict[str, str] = field(default_factory=dict)
    """EXIF tags by name (UserComment decoded; ImageDescription, Software, Make, Model, MakerNote, ...)."""
    comment: str | None = None
    """The image's own comment: a JPEG COM segment or a GIF comment extension."""
    comment_source: str = JPEG_COMMENT
    """Where `comment` was found (`jpeg:COM`, `gif:comment`), as a parser names its source."""
    xmp: str | None = None
    """The XMP packet, from a PNG iTXt chunk or a JPEG/WebP XMP segment (a JPEG's extended XMP after it)."""
    stealth: StealthPayload | None = None
    """Hidden pixel data (stealth_png*/stealth_rgb*), decoded."""

    @classmethod
    def from_entries(cls, entries: list[RawEntry], stealth: StealthPayload | None = None) -> Fields:
        """Build the view from the raw entries of one file."""
        view = cls(stealth=stealth)
        extended: str | None = None
        for entry in entries:
            if entry.container.startswith("png:"):
                view.png.setdefault(entry.key, entry.value)
            elif entry.container.startswith("exif:"):
                view.exif.setdefault(entry.key, entry.value)
            elif entry.container.endswith((":COM", ":comment")) and view.comment is None:
                view.comment, view.comment_source = entry.value, entry.container
            elif entry.container == "xmp" and view.xmp is None:
                view.xmp = entry.value
            elif entry.container == EXTENDED_XMP and extended is None:
                extended = entry.value
        if view.xmp is None and XMP_KEY in view.png:
            view.xmp = view.png[XMP_KEY]
        if view.xmp is not None and extended is not None:
            view.xmp += "\n" + extended  # the properties that did not fit the main packet, searched after it
        return view
