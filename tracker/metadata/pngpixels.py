"""The pixels of an ordinary PNG, decoded by libspng (the `pyspng` package) instead of Pillow.

Nearly every generator writes PNG, and decoding them is most of what logging and importing
cost. Pillow un-filters PNG rows one byte at a time; libspng does the same work about 1.4 times
as fast (`tests/benchmarks/match_speed.py` prints both). The pixels are the same bytes: PNG is
lossless, and neither decoder applies gamma or colour profiles.

Only plain files take this path: 8-bit RGB or RGBA, not interlaced, no transparency key
(`tRNS`), not animated, and nothing Pillow would read as EXIF (an `eXIf` chunk, or text keyed
`exif`, `Raw profile type exif` or `XML:com.adobe.xmp`), since that EXIF is read from the
image Pillow loads. Anything else, a file too big for the shortcut, a machine without pyspng,
and any file libspng refuses all go through Pillow exactly as before, so every error message
and edge case stays Pillow's.
"""

from __future__ import annotations

import struct
from types import ModuleType

from PIL import Image

try:
    import pyspng as _pyspng
except ImportError:  # no wheel for this platform (see pyproject.toml)
    _pyspng = None

spng: ModuleType | None = _pyspng
"""The decoder, or None where pyspng is not installed (tests set it to None to compare)."""

MAX_PIXELS = 32 * 1024 * 1024
"""Bigger images are left to Pillow: this path briefly holds the pixels twice."""

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Bigger files are left to Pillow too: pyspng copies the file's bytes before decoding them."""

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_OFF_PLAIN = frozenset({b"tRNS", b"eXIf", b"acTL", b"fcTL", b"fdAT"})
_TEXT = frozenset({b"tEXt", b"zTXt", b"iTXt"})
_EXIF_KEYS = frozenset({b"exif", b"Raw profile type exif", b"XML:com.adobe.xmp"})


def is_plain(data: bytes) -> bool:
    """True when the file is a PNG this module decodes (see the module docstring)."""
    if len(data) < 33 or not data.startswith(_SIGNATURE) or data[12:16] != b"IHDR":
        return False
    depth, colour, compression, filtering, interlace = data[24:29]
    if depth != 8 or colour not in (2, 6) or compression or filtering or interlace:
        return False
    pos = len(_SIGNATURE)
    while pos + 8 <= len(data):
        length, ctype = struct.unpack_from(">I4s", data, pos)
        if ctype in _OFF_PLAIN:
            return False
        if ctype in _TEXT and data[pos + 8 : pos + 8 + min(length, 80)].partition(b"\0")[0] in _EXIF_KEYS:
            return False
        if ctype == b"IEND":
            break
        pos += 12 + length
    return True


def decode(data: bytes, opened: Image.Image) -> Image.Image | None:
    """The pixels of `data` (already opened by Pillow as `opened`), or None to let Pillow decode it."""
    if (
        spng is None
        or opened.format != "PNG"
        or opened.mode not in ("RGB", "RGBA")
        or opened.width * opened.height > MAX_PIXELS
        or len(data) > MAX_FILE_BYTES
        or not is_plain(data)
    ):
        return None
    try:
        pixels = spng.load(data)
    except Exception:  # libspng refused the file: Pillow decides what is wrong with it
        return None
    if pixels.shape != (opened.height, opened.width, len(opened.mode)) or pixels.dtype.itemsize != 1:
        return None
    return Image.fromarray(pixels)
