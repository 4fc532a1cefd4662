"""The pixels of an ordinary PNG, decoded by libspng (the `pyspng` package) instead of Pillow.

Nearly every generator writes PNG, and decoding them is most of what logging and importing
cost. Pillow un-filters PNG rows one byte at a time; libspng does the same work about 1.4 times
as fast (`tests/benchmarks/match_speed.py` prints both). The pixels are the same bytes: PNG is
lossless, and neither decoder applies gamma or colour profiles.

Only plain files take this path: 8-bit RGB or RGBA, not interlaced, no transparency key
(`tRNS`), not animated, nothing Pillow would read as EXIF (an `eXIf` chunk, or text keyed
`exif`, `Raw profile type exif`, `XML:com.adobe.xmp` or `xmp`: that EXIF is read from the image
Pillow loads), complete, with intact IDAT checksums and nothing after the pixel data but IEND
(see `is_plain`). Anything else, a file too big for the shortcut, a machine without pyspng, and
any file libspng refuses all go through Pillow exactly as before, so every error message and
edge case stays Pillow's.
"""

from __future__ import annotations

import struct
import zlib
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
_EXIF_KEYS = frozenset({b"exif", b"Raw profile type exif", b"XML:com.adobe.xmp", b"xmp"})


def is_plain(data: bytes) -> bool:
    """True when the file is a PNG this module decodes (see the module docstring).

    Besides the header rules, the file must be whole and simple around its pixels: every chunk
    complete, the IDAT chunks in one run with correct checksums (libspng, as pyspng sets it up,
    checks neither the chunk CRCs nor zlib's Adler-32, so a damaged file must not reach it), and
    nothing after them but IEND. Pillow reads and checks any chunk after the pixels while it
    decodes; such files stay with Pillow, so its limits and its verdict on them are unchanged.
    """
    if len(data) < 33 or not data.startswith(_SIGNATURE) or data[12:16] != b"IHDR":
        return False
    depth, colour, compression, filtering, interlace = data[24:29]
    if depth != 8 or colour not in (2, 6) or compression or filtering or interlace:
        return False
    view = memoryview(data)
    pos = len(_SIGNATURE)
    pixels_seen = False
    while pos + 12 <= len(data):
        length, ctype = struct.unpack_from(">I4s", data, pos)
        end = pos + 12 + length
        if end > len(data) or ctype in _OFF_PLAIN:
            return False
        if ctype == b"IEND":
            return pixels_seen
        if ctype == b"IDAT":
            crc = struct.unpack_from(">I", data, end - 4)[0]
            if zlib.crc32(view[pos + 4 : end - 4]) != crc:
                return False
            pixels_seen = True
        elif pixels_seen:
            return False  # a chunk after the pixel data (or between two runs of it)
        elif ctype in _TEXT and data[pos + 8 : pos + 8 + min(length, 80)].partition(b"\0")[0] in _EXIF_KEYS:
            return False
        pos = end
    return False  # no IEND: a truncated file


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
