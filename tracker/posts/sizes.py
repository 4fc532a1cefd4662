"""An image's size as the owner reads it: the size viewers show, and the stored one when EXIF turns it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def size_text(img: Mapping[str, Any], with_format: bool = True) -> str:
    """The image's format and size as viewers show it: `JPEG 512x384`; one stored turned by its EXIF
    orientation (a phone photo) says so: `JPEG 512x384 (stored 384x512, EXIF-rotated)`. Without
    `with_format` (a narrow caption), the size alone: `512x384 (stored 384x512, EXIF-rotated)`."""
    width, height, turn = img["width"], img["height"], img.get("orientation", 1)
    if turn in (5, 6, 7, 8):
        size = f"{height}x{width} (stored {width}x{height}, EXIF-rotated)"
    elif turn in (2, 3, 4):
        size = f"{width}x{height} (EXIF-{'rotated' if turn == 3 else 'mirrored'})"
    else:
        size = f"{width}x{height}"
    return f"{img['format']} {size}" if with_format else size
