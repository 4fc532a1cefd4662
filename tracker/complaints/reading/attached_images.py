"""The images a complaint's message carries: which of its parts is an image, and the name it is kept under.

An image by its type, its name's extension or its first bytes (PNG, JPEG, GIF, WebP), never SVG (no pixels,
maybe scripts). Its name loses folders, drive letters, control
characters and leading dots; `image-N.ext` when it has none, `-2` when repeated. `messages` reads the parts.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

IMAGE_TYPES = {"image/png": ".png", "image/jpeg": ".jpg", "image/pjpeg": ".jpg", "image/gif": ".gif"}
IMAGE_TYPES |= {"image/webp": ".webp", "image/bmp": ".bmp", "image/tiff": ".tif", "image/avif": ".avif"}
IMAGE_TYPES |= {"image/heic": ".heic", "image/heif": ".heif"}
IMAGE_SUFFIXES = {*IMAGE_TYPES.values(), ".jpeg", ".jpe", ".jfif", ".tiff"}
_MAGIC = re.compile(rb"(?s)(?P<png>\x89PNG\r\n\x1a\n)|(?P<jpg>\xff\xd8\xff)|(?P<gif>GIF8[79]a)|(?P<webp>RIFF.{4}WEBP)")
_UNSAFE_NAME = re.compile(r'[<>:"|?*]')


def _magic(data: bytes) -> str | None:
    """The extension an image's first bytes say (PNG, JPEG, GIF, WebP), or None."""
    return f".{found.lastgroup}" if (found := _MAGIC.match(data)) else None


def is_image(kind: str, filename: str | None, data: bytes) -> bool:
    """An image by type, extension or bytes (not SVG)."""
    suffix = Path(filename or "").suffix.lower()
    if not data or kind == "image/svg+xml" or suffix == ".svg":
        return False
    return kind.startswith("image/") or suffix in IMAGE_SUFFIXES or _magic(data) is not None


def safe_name(filename: str | None, kind: str, data: bytes, number: int, taken: set[str]) -> str:
    """A file name that names one file here: no folders, drive letters, control characters or dot files."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    name = _UNSAFE_NAME.sub("_", name).strip().lstrip(".").strip()
    stem = name[: len(name) - len(Path(name).suffix)] or f"image-{number}"
    suffix = Path(name).suffix[:16] or IMAGE_TYPES.get(kind) or _magic(data) or ".img"
    name, count = stem[: 120 - len(suffix)] + suffix, 1
    while name in taken:
        count += 1
        name = f"{stem[: 110 - len(suffix)]}-{count}{suffix}"
    taken.add(name)
    return name
