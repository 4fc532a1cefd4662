"""An image's size as the owner reads it: the size viewers show, and the stored one when EXIF turns it."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
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


def file_orientation(path: Path) -> int:
    """The EXIF orientation of an archived file (2-8), or 1: none, or a file that cannot be read now.

    For an image whose record keeps no metadata to read it from (a complainant's image keeps its stored size
    only): the file's header is read, not its pixels, so a caption costs little. Pillow loads with the first."""
    from PIL import Image

    from tracker.metadata.decoding import exif_orientation

    try:
        with Image.open(path) as opened:
            return exif_orientation(opened)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):  # gone, damaged: shown as stored
        return 1


def archived_size_text(width: int, height: int, fmt: str, path: Path, with_format: bool = True) -> str:
    """`size_text` of an image stored `width`x`height` in the archived file at `path`, turned as its EXIF says."""
    img = {"width": width, "height": height, "format": fmt, "orientation": file_orientation(path)}
    return size_text(img, with_format)
