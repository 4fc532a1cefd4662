"""One image file from disk to decoded pixels: the checks every reader of untrusted files makes.

`decode_file` reads a regular file (never a FIFO or device, never more than `MAX_FILE_BYTES`),
takes its sha256 and decodes its pixels once, turning every failure into an `ImageReadError`
with a one-line message. It knows nothing of metadata: `reader.read_image` builds on it to
interpret what the file says about how it was made, while a search (`tracker match`) needs only
the pixels and the digest and so never loads the generator parsers. Perceptual hashes are made
of `DecodedImage.displayed`, the pixels turned by the file's EXIF orientation as viewers show them.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import struct
import warnings
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from stat import S_ISREG

from PIL import Image, PngImagePlugin, UnidentifiedImageError

from tracker.errors import ImageReadError
from tracker.metadata.containers import MAX_TEXT_BYTES, PNG_SIGNATURE, chunk_crc_ok
from tracker.support.user_files import read_at_most

# Pillow refuses a PNG whose one compressed text chunk inflates past 1 MiB as if the picture were damaged;
# a big ComfyUI workflow does. Pillow's own cap is raised to the one the metadata reader keeps
# (`containers.MAX_TEXT_BYTES`, 16 MiB per chunk), still far below a zip bomb's gigabytes.
PngImagePlugin.MAX_TEXT_CHUNK = max(PngImagePlugin.MAX_TEXT_CHUNK, MAX_TEXT_BYTES)
PngImagePlugin.MAX_TEXT_MEMORY = max(PngImagePlugin.MAX_TEXT_MEMORY, 4 * MAX_TEXT_BYTES)

MAX_FILE_BYTES = 256 * 1024 * 1024
MAX_PIXELS = 16384 * 16384
"""The most pixels of a JPEG, which is decoded reduced (`JPEG_DRAFT_SIZE`): its memory stays small."""
MAX_FULL_PIXELS = 100_000_000
"""The most pixels of any other image, decoded whole (RGBA: 400 MB): a 1170 x 80,000 full-page
screenshot still fits; a decompression bomb (a 50,000 x 50,000 PNG of a few MB) does not."""
# Pillow's own check (a warning from 89 million pixels, an error from 179 million) gives way to the two above.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
MAX_PNG_CHUNKS = 10_000
"""The most chunks a PNG may hold besides its pixel data (IDAT, APNG's fdAT): real files hold a few dozen. Each
is read one by one, twice (Pillow, `containers.png_text_chunks`): a 256 MB file of 15-byte text chunks would take
minutes and gigabytes, and is refused after this many."""
MAX_PNG_PIXEL_CHUNKS = 100_000
"""The most chunks of pixel data: 256 MB cut in the 8 KiB an encoder may write at a time is 32,768; empty ones,
read one by one, would stall a read as long."""
_PIXEL_CHUNKS = (b"IDAT", b"fdAT")
DAMAGED = "the image is damaged or truncated"
"""How the refusal of a file whose pixels cannot be decoded reads (`name: DAMAGED (reason)`)."""
SUPPORTED_FORMATS = {"PNG", "JPEG", "WEBP", "GIF", "TIFF", "BMP", "AVIF"}

JPEG_DRAFT_SIZE = 512
"""JPEG files are decoded as greyscale (the luma plane, no colour conversion) at the smallest DCT
scale that keeps both sides at least this big (or the full size when smaller): far faster than a
full decode, and twice what the perceptual hashes use. JPEG carries no hidden pixel metadata, so
nothing is lost; the true size is kept in `DecodedImage.width/height`."""


@dataclass
class DecodedImage:
    """A file's identity and pixels: what a search needs of a complaint image."""

    path: Path
    data: bytes = field(repr=False)
    sha256: str
    format: str
    width: int
    height: int
    image: Image.Image = field(repr=False)
    """The decoded pixels as stored, for hidden metadata (JPEG: greyscale, reduced: see `JPEG_DRAFT_SIZE`)."""

    @cached_property
    def displayed(self) -> Image.Image:
        """The pixels as viewers show them (`as_displayed`): what every perceptual hash is made of.

        Made on first use, after the metadata reader has read the EXIF: Pillow raises on damaged
        EXIF only the first time it is asked, and the reader is the one that reports it."""
        return as_displayed(self.image)


ORIENTATION = 0x0112
"""The EXIF Orientation tag: how viewers turn the stored pixels to show them (a phone photo is stored sideways)."""
_TURNS = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_EXIF_ERRORS = (OSError, ValueError, SyntaxError, EOFError, KeyError, TypeError, IndexError, struct.error)


def exif_orientation(image: Image.Image) -> int:
    """The EXIF orientation viewers apply to `image` (2-8), or 1: none, or one no viewer knows (0, 9, text).

    Damaged EXIF counts as none: the picture is then hashed as stored, never an error."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow's "Corrupt EXIF data": nothing the user can act on here
            value = image.getexif().get(ORIENTATION, 1)
    except _EXIF_ERRORS:
        return 1
    return value if isinstance(value, int) and value in _TURNS else 1


def as_displayed(image: Image.Image) -> Image.Image:
    """`image` as every viewer and platform shows it: turned by its EXIF orientation (`image` itself when it has
    none), so a complaint screenshot of a sideways-stored phone JPEG matches the picture that was posted."""
    turn = _TURNS.get(exif_orientation(image))
    return image if turn is None else image.transpose(turn)


def decode(
    data: bytes, name: str, fast_png: bool = True, header_only: bool = False
) -> tuple[Image.Image, str, tuple[int, int]]:
    """Open and decode the pixels, turning every Pillow failure into one clear line.

    Returns (pixels, format, true size). Plain PNGs are decoded by `pngpixels` (the pixels then
    carry no Pillow format or info; their metadata is read from the bytes), JPEGs drafted. With
    `fast_png` False, Pillow decodes every PNG: the same pixels, without loading numpy (in which
    libspng hands them over; a tenth of a second, more than libspng saves on a few files).

    Pillow refuses a whole PNG for one text chunk over its caps (a 20 MB prompt in `zTXt`, a zip
    bomb), or for one metadata chunk whose checksum is wrong ("not an image file"): the picture is
    then decoded from a copy without those chunks. The metadata reader (`containers.png_text_chunks`)
    reads the file's own bytes and reports each chunk it skipped or found damaged.
    `header_only`: the image opened, its size checked, its pixels not decoded (`Image.load` not called).
    """
    if data.startswith(PNG_SIGNATURE):
        _check_chunk_count(data, name)
    try:
        return _decode(data, name, fast_png, header_only)
    except (_TextOverCap, ImageReadError) as refused:
        kept = _readable_copy(data) if data.startswith(PNG_SIGNATURE) else data
        if kept == data:
            if isinstance(refused, _TextOverCap):
                raise ImageReadError(f"{name}: {DAMAGED} (a text chunk Pillow refuses)") from None
            raise
    try:
        return _decode(kept, name, fast_png, header_only)
    except _TextOverCap:
        raise ImageReadError(f"{name}: {DAMAGED} (a text chunk Pillow refuses)") from None


class _TextOverCap(Exception):
    """Pillow refused the PNG for a text chunk over `MAX_TEXT_CHUNK` or text over `MAX_TEXT_MEMORY`."""


_TEXT_CHUNKS = (b"tEXt", b"zTXt", b"iTXt")


def _readable_copy(data: bytes) -> bytes:
    """The PNG without the chunks Pillow would refuse it for (see `decode`): text over its caps, and
    ancillary chunks (metadata, never pixels) whose checksum is wrong; everything else as it was."""
    kept, pos, budget = [data[:8]], 8, PngImagePlugin.MAX_TEXT_MEMORY
    while pos + 12 <= len(data):
        length, ctype = struct.unpack_from(">I4s", data, pos)
        end = pos + 12 + length
        if ctype[0] & 0x20 and end <= len(data) and not chunk_crc_ok(data, pos, length):
            pos = end
            continue
        if ctype in _TEXT_CHUNKS:
            size = _text_size(ctype, data[pos + 8 : min(end, len(data)) - 4])
            if size is None or size > PngImagePlugin.MAX_TEXT_CHUNK or size > budget:
                pos = end
                continue
            budget -= size
        kept.append(data[pos:end])
        pos = end
    kept.append(data[pos:])
    return b"".join(kept)


def _text_size(ctype: bytes, body: bytes) -> int | None:
    """The text's size once inflated, at most `MAX_TEXT_CHUNK` + 1 (None: not readable as Pillow reads it)."""
    key, _, rest = body.partition(b"\0")
    if ctype == b"tEXt":
        return len(rest)
    if ctype == b"iTXt":
        if len(rest) < 2:
            return None
        compressed, rest = rest[0] == 1, rest[2:]
        rest = rest.split(b"\0", 2)[-1]  # after the language tag and the translated keyword
        if not compressed:
            return len(rest)
    else:
        rest = rest[1:]  # the compression method
    inflate = zlib.decompressobj()
    try:
        return len(inflate.decompress(rest, PngImagePlugin.MAX_TEXT_CHUNK + 1))
    except zlib.error:
        return None


def _check_chunk_count(png: bytes, name: str) -> None:
    """Refuse a PNG with more chunks than a picture ever needs (`MAX_PNG_CHUNKS`, `MAX_PNG_PIXEL_CHUNKS`) with
    `ImageReadError`, looking no further than that: only each chunk's length and type are read."""
    pos, counts = len(PNG_SIGNATURE), {True: 0, False: 0}
    limits = {True: MAX_PNG_PIXEL_CHUNKS, False: MAX_PNG_CHUNKS}
    while pos + 8 <= len(png):
        length, kind = struct.unpack_from(">I4s", png, pos)
        if kind == b"IEND":
            return
        pixels = kind in _PIXEL_CHUNKS
        counts[pixels] += 1
        if counts[pixels] > limits[pixels]:
            what = "chunks of pixel data" if pixels else "chunks besides its pixels"
            raise ImageReadError(f"{name}: more than {limits[pixels]:,} {what}: damaged or hostile")
        pos += 12 + length


def _decode(
    data: bytes, name: str, fast_png: bool, header_only: bool = False
) -> tuple[Image.Image, str, tuple[int, int]]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > _pixel_limit(image.format):
                raise _too_large(name, f"{image.width}x{image.height}", image.format)
            size, image_format = image.size, str(image.format)
            if header_only and image_format in SUPPORTED_FORMATS:
                return image, image_format, size
            if image.format == "JPEG":
                image.draft("L", (JPEG_DRAFT_SIZE, JPEG_DRAFT_SIZE))
            elif image.format == "PNG" and fast_png and (pixels := _plain_png(data, image)) is not None:
                return pixels, image_format, size
            image.load()
    except ImageReadError:
        raise
    except UnidentifiedImageError:
        raise ImageReadError(f"{name}: not an image file (or a format tracker cannot read)") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_large(name, _bomb_size(data, str(exc)), _magic_format(data)) from None
    except ValueError as exc:
        if "MAX_TEXT_" in str(exc) and data.startswith(b"\x89PNG"):
            raise _TextOverCap from None
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ImageReadError(f"{name}: {DAMAGED} ({reason})") from None
    except (OSError, SyntaxError, EOFError, MemoryError, IndexError, struct.error) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ImageReadError(f"{name}: {DAMAGED} ({reason})") from None
    if image_format not in SUPPORTED_FORMATS:
        raise ImageReadError(f"{name}: {image_format} images are not supported")
    return image, image_format, size


def _pixel_limit(image_format: str | None) -> int:
    return MAX_PIXELS if image_format == "JPEG" else MAX_FULL_PIXELS


def _too_large(name: str, size: str | None, image_format: str | None) -> ImageReadError:
    """The one refusal of an image with too many pixels, however it was found out (Pillow's own
    check, for the largest, or ours): `WxH pixels is too large to read safely (the limit is ...)`."""
    kind = f" for {image_format} images" if image_format else ""
    limit = _pixel_limit(image_format) // 1_000_000
    what = f"{size} pixels is" if size else "the image is"
    return ImageReadError(f"{name}: {what} too large to read safely (the limit is {limit:,} million pixels{kind})")


_MAGIC = ((PNG_SIGNATURE, "PNG"), (b"\xff\xd8", "JPEG"), (b"GIF8", "GIF"), (b"BM", "BMP"), (b"II*\0", "TIFF"))


def _magic_format(data: bytes) -> str | None:
    """The format the first bytes name, for a file Pillow refused before saying (WebP: RIFF....WEBP)."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[:4] == b"MM\0*":
        return "TIFF"
    return next((fmt for magic, fmt in _MAGIC if data.startswith(magic)), None)


def _bomb_size(data: bytes, message: str) -> str | None:
    """`WxH` from a PNG header, else the pixel count Pillow's refusal gives (`Image size (N pixels)`)."""
    if data.startswith(PNG_SIGNATURE) and data[12:16] == b"IHDR":
        width, height = struct.unpack_from(">II", data, 16)
        return f"{width}x{height}"
    count = re.search(r"\((\d+) pixels\)", message)
    return f"{int(count.group(1)):,}" if count else None


def _plain_png(data: bytes, image: Image.Image) -> Image.Image | None:
    """`pngpixels.decode`: libspng's pixels of a plain PNG, or None (imported here: libspng loads numpy)."""
    from tracker.metadata import pngpixels

    return pngpixels.decode(data, image)


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)


@contextmanager
def open_regular(path: Path) -> Iterator[io.BufferedReader]:
    """`path` opened for reading, refused (`ImageReadError`) unless it is a regular file.

    A FIFO or a device (`/dev/zero`) would block or never end: it is refused before it is opened,
    and the open file is looked at again (opened without blocking) in case the path was swapped.
    """
    if not S_ISREG(os.stat(path).st_mode):
        raise ImageReadError(f"{path}: not a regular file (a folder, FIFO or device); give an image file")
    handle = os.fdopen(os.open(path, _OPEN_FLAGS), "rb")
    with handle:
        if not S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise ImageReadError(f"{path}: not a regular file (a folder, FIFO or device); give an image file")
        yield handle


@dataclass(frozen=True)
class FileDigest:
    """The sha256 a caller just took of a file, with the size and mtime it had then."""

    sha256: str
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: Path) -> FileDigest:
        """Digest a regular file (raises OSError, or ImageReadError for a FIFO, device or folder)."""
        with open_regular(path) as handle:
            stat = os.fstat(handle.fileno())
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
        return cls(digest, stat.st_size, stat.st_mtime_ns)


def decode_file(
    path: Path, known: FileDigest | None = None, fast_png: bool = True, header_only: bool = False
) -> DecodedImage:
    """Read, digest and decode one image file (`ImageReadError` for anything wrong with it).

    `known` saves hashing the bytes a second time when the caller has just digested the file and
    it has not changed since (same size and modification time); otherwise the bytes are hashed. A file that
    changes while it is read is refused: the bytes read may be neither its old content nor its new one.
    `fast_png` False: a reader that hashes no pixels (`tracker inspect`) has Pillow decode every
    PNG, so numpy is not loaded for it (`decode`). `header_only`: the pixels are not decoded (`decode`).
    Library warnings about a damaged file never reach the terminal.
    """
    name = path.name
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            # A FIFO or device (/dev/zero) is refused before it is opened, and again on the open file.
            with open_regular(path) as handle:
                stat = os.fstat(handle.fileno())
                if stat.st_size > MAX_FILE_BYTES:
                    raise ImageReadError(f"{name}: file is larger than {MAX_FILE_BYTES // 2**20} MiB")
                data = read_at_most(handle, MAX_FILE_BYTES)
                after = os.fstat(handle.fileno())
        except FileNotFoundError:
            raise ImageReadError(f"{path}: no such file") from None
        except OSError as exc:
            raise ImageReadError(f"{path}: cannot read file ({exc.strerror or exc})") from None
        if len(data) > MAX_FILE_BYTES:  # it grew after it was measured
            raise ImageReadError(f"{name}: file is larger than {MAX_FILE_BYTES // 2**20} MiB")
        if not data:
            raise ImageReadError(f"{name}: the file is empty")
        if (stat.st_size, stat.st_mtime_ns) != (after.st_size, after.st_mtime_ns) or len(data) != after.st_size:
            # Saved again (an editor, a sync client) or still being written: the bytes may be half of each
            raise ImageReadError(f"{name}: the file changed while it was read; try again once it is saved")
        unchanged = known is not None and (known.size, known.mtime_ns) == (len(data), stat.st_mtime_ns)
        sha256 = known.sha256 if known is not None and unchanged else hashlib.sha256(data).hexdigest()
        image, image_format, (width, height) = decode(data, name, fast_png, header_only)
    return DecodedImage(path, data, sha256, image_format, width, height, image)
