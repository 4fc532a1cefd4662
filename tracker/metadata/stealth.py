"""Stealth metadata: generation parameters hidden in the least-significant bits of the pixels.

NovelAI, sd-webui-forge and A1111 with the stealth-pnginfo extension copy their metadata into
the pixels themselves, so it survives sites and tools that strip PNG text chunks (and a
lossless WebP re-encode). Posted images that look metadata-free can still carry it, which is
why the reader looks for it on every lossless image.

The format, as those writers produce it:

- Signature: 15 ASCII bytes, `stealth_pnginfo` / `stealth_pngcomp` in *alpha mode* (one bit per
  pixel, the LSB of alpha) or `stealth_rgbinfo` / `stealth_rgbcomp` in *RGB mode* (three bits
  per pixel: the LSBs of R, then G, then B). `comp` means the payload is gzip'd, `info` plain UTF-8.
- Pixels are walked column by column (x=0 top to bottom, then x=1, ...); bits are packed
  MSB-first into bytes, as one continuous bit stream (RGB mode does not align on pixels).
- After the signature: a 32-bit big-endian payload length *in bits*, then the payload.
  NovelAI appends an error-correction block after the payload; it is not read.

Everything in the pixels is untrusted: the declared length and the gzip stream are capped
(`max_bytes`) and every problem becomes an `ImageReadError` with one line of text. Images
without a signature (the normal case) cost one tiny crop of the first column per mode tried,
read in plain Python: numpy (a tenth of a second to import, most of what `tracker inspect`
would cost) is loaded only to extract a payload that is there.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Final, Literal

from PIL import Image

from tracker.errors import ImageReadError

MAX_STEALTH_BYTES: Final = 8 * 1024 * 1024
"""Default cap on the hidden payload, both as stored and once decompressed."""

SIGNATURE_BITS: Final = 15 * 8
LENGTH_BITS: Final = 32
HEADER_BITS: Final = SIGNATURE_BITS + LENGTH_BITS

_CHUNK_PIXELS: Final = 1 << 22
"""Pixels converted at a time when a long payload is extracted, to bound the extra memory."""

_SIGNATURES: Final[dict[str, dict[bytes, bool]]] = {
    "alpha": {b"stealth_pnginfo": False, b"stealth_pngcomp": True},
    "rgb": {b"stealth_rgbinfo": False, b"stealth_rgbcomp": True},
}

_ALPHA_MODES: Final = frozenset({"RGBA", "LA", "PA"})
"""Pillow modes with a real 8-bit alpha channel (P with a `transparency` entry counts too)."""

_COLOUR_MODES: Final = frozenset({"RGB", "RGBA", "RGBX", "L", "LA", "P", "PA"})
"""Pillow modes whose pixels convert to 8-bit RGB without changing any value.

Grey (L/LA) becomes R=G=B and palette images their palette colours. 1-bit, 16-bit, 32-bit
integer/float, CMYK, YCbCr and premultiplied (RGBa/La) images have no 8-bit RGB low bits to
carry the format, so they are never searched.
"""

StealthMode = Literal["alpha", "rgb"]


@dataclass(frozen=True)
class StealthPayload:
    """The hidden metadata found in an image, decoded but not interpreted."""

    signature: str
    """The 15-byte marker as found, e.g. "stealth_pngcomp"."""
    mode: StealthMode
    """Where it was: "alpha" (alpha-channel LSBs) or "rgb" (R, G, B LSBs)."""
    compressed: bool
    """True for the `...comp` signatures, whose payload was gzip'd."""
    text: str
    """The payload as UTF-8 text (undecodable bytes replaced by U+FFFD)."""


@dataclass(frozen=True)
class _Carrier:
    """One place the bit stream can live: which channels, after converting to which mode."""

    mode: StealthMode
    convert_to: str
    channels: slice

    @property
    def bits_per_pixel(self) -> int:
        return self.channels.stop - self.channels.start


def read_stealth(image: Image.Image, max_bytes: int = MAX_STEALTH_BYTES) -> StealthPayload | None:
    """The stealth metadata hidden in `image`'s pixels, or None when there is none.

    Alpha mode is tried first on images with an alpha channel, then RGB mode on any image with
    8-bit colour or grey channels; other modes (1-bit, 16-bit, float, CMYK, ...) return None.
    Only the first 120 bits are looked at unless a signature is there, and then only as many
    pixels as the declared payload needs, so calling this on every image is cheap.

    Raises `ImageReadError` when a signature is present but the payload cannot be trusted:
    it declares more than `max_bytes` or more than the image can hold, its gzip stream is
    corrupt, or it decompresses to more than `max_bytes` (checked while decompressing, so a
    gzip bomb never gets expanded in memory).
    """
    if max_bytes < 0:
        raise ValueError("max_bytes must not be negative")
    try:
        for carrier in _carriers(image):
            found = _read_carrier(image, carrier, max_bytes)
            if found is not None:
                return found
    except MemoryError:
        raise ImageReadError("not enough memory to read the hidden metadata in the pixels") from None
    except (OSError, ValueError, EOFError, SyntaxError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ImageReadError(f"cannot read the pixels to look for hidden metadata ({reason})") from None
    return None


def _carriers(image: Image.Image) -> list[_Carrier]:
    """The bit streams worth searching in this image, in the order they are tried."""
    mode = image.mode
    has_alpha = mode in _ALPHA_MODES or (mode == "P" and "transparency" in image.info)
    carriers: list[_Carrier] = []
    if has_alpha:
        carriers.append(_Carrier("alpha", "RGBA", slice(3, 4)))
    if mode in _COLOUR_MODES:
        # Converting a transparent palette image to RGB would drop (and warn about) its
        # transparency; going through RGBA gives the same colour values without that.
        carriers.append(_Carrier("rgb", "RGBA" if has_alpha else "RGB", slice(0, 3)))
    return carriers


def _read_carrier(image: Image.Image, carrier: _Carrier, max_bytes: int) -> StealthPayload | None:
    """Signature check, then (only if it matches) the length field and the payload."""
    capacity = image.width * image.height * carrier.bits_per_pixel
    if capacity < SIGNATURE_BITS:
        return None
    signature = _stream_bytes(image, carrier, SIGNATURE_BITS)
    compressed = _SIGNATURES[carrier.mode].get(signature)
    if compressed is None:
        return None
    name = signature.decode("ascii")
    if capacity < HEADER_BITS:
        raise ImageReadError(f"hidden metadata ({name}) is cut off: the image is too small to hold its length field")
    header = _stream_bytes(image, carrier, HEADER_BITS)
    nbits = int.from_bytes(header[-4:], "big")
    nbytes = nbits // 8  # NovelAI's reader also drops a trailing partial byte
    if nbytes > max_bytes:
        raise ImageReadError(
            f"hidden metadata ({name}) is larger than {_size(max_bytes)} "
            f"({_size(nbytes)} declared); refusing to read it"
        )
    if HEADER_BITS + nbits > capacity:
        raise ImageReadError(
            f"hidden metadata ({name}) declares {_size(nbytes)} but the {image.width}x{image.height} "
            f"image can hold only {_size((capacity - HEADER_BITS) // 8)}; the data is damaged"
        )
    data = _stream_bytes(image, carrier, HEADER_BITS + nbytes * 8)[HEADER_BITS // 8 :]
    if compressed:
        data = _gunzip(data, max_bytes, name)
    return StealthPayload(
        signature=name,
        mode=carrier.mode,
        compressed=compressed,
        text=data.decode("utf-8", errors="replace"),
    )


def _stream_bytes(image: Image.Image, carrier: _Carrier, nbits: int) -> bytes:
    """The first `nbits` bits of the carrier's column-major LSB stream, packed MSB-first.

    Only the columns holding those bits are cropped and converted, a few thousand columns'
    worth of pixels at a time; `nbits` must be a multiple of 8 and fit in the image. The
    signature and the length field (`HEADER_BITS` at most) are read in plain Python
    (`_header_bytes`), a payload with numpy.
    """
    if nbits <= HEADER_BITS:
        return _header_bytes(image, carrier, nbits)
    import numpy as np  # only for a payload that is there: an image without one never loads it

    per_pixel = carrier.bits_per_pixel
    height = image.height
    pixels = -(-nbits // per_pixel)
    columns = -(-pixels // height)
    rows = height if columns > 1 else pixels
    # A multiple of 8 columns per step keeps every step's bit count a whole number of bytes.
    step = max(8, (_CHUNK_PIXELS // height) // 8 * 8)
    parts: list[bytes] = []
    remaining = nbits
    for x0 in range(0, columns, step):
        x1 = min(columns, x0 + step)
        region = image.crop((x0, 0, x1, rows))
        if region.mode != carrier.convert_to:
            region = region.convert(carrier.convert_to)
        channels = np.asarray(region)[:, :, carrier.channels]  # (rows, x1 - x0, k)
        stream = channels.transpose(1, 0, 2).reshape(-1)[:remaining]
        remaining -= stream.size
        parts.append(np.packbits(stream & 1).tobytes())
    return b"".join(parts)


def _header_bytes(image: Image.Image, carrier: _Carrier, nbits: int) -> bytes:
    """`_stream_bytes` of a few bits (the signature, the length field), read from the pixels' bytes in plain Python."""
    per_pixel = carrier.bits_per_pixel
    height = image.height
    pixels = -(-nbits // per_pixel)
    columns = -(-pixels // height)
    rows = height if columns > 1 else pixels
    region = image.crop((0, 0, columns, rows))
    if region.mode != carrier.convert_to:
        region = region.convert(carrier.convert_to)
    raw = region.tobytes()  # row by row, each pixel's channels together
    bands = len(region.getbands())
    bits = [
        raw[(y * columns + x) * bands + channel] & 1
        for x in range(columns)
        for y in range(rows)
        for channel in range(carrier.channels.start, carrier.channels.stop)
    ][:nbits]
    return bytes(int("".join(map(str, bits[i : i + 8])), 2) for i in range(0, nbits, 8))


def _gunzip(data: bytes, max_bytes: int, name: str) -> bytes:
    """Decompress one gzip member, stopping as soon as the output passes `max_bytes`."""
    inflater = zlib.decompressobj(wbits=31)
    try:
        out = inflater.decompress(data, max_bytes + 1)
    except zlib.error as exc:
        raise ImageReadError(f"hidden metadata ({name}) is corrupt: {exc}") from None
    if len(out) > max_bytes:
        raise ImageReadError(
            f"hidden metadata ({name}) is larger than {_size(max_bytes)} once decompressed; refusing to decompress it"
        )
    if not inflater.eof:
        raise ImageReadError(f"hidden metadata ({name}) is corrupt: the gzip stream is cut off")
    return out


def _size(nbytes: int) -> str:
    """A byte count the way a person reads it: "8 MiB", "300 KiB", "12 bytes"."""
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if nbytes >= scale:
            return f"{round(nbytes / scale, 1):g} {unit}"
    return f"{nbytes} byte" + ("" if nbytes == 1 else "s")


__all__ = ["MAX_STEALTH_BYTES", "StealthPayload", "read_stealth"]
