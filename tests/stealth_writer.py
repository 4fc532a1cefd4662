"""Writing "stealth" metadata into pixel LSBs, the way Forge, A1111's extension and NovelAI do.

Test-only: the tracker never writes stealth data, but its reader has to be checked against
files in the writers' exact format, and fixture images are built from these helpers.

Format (see `tracker.metadata.stealth`): 15-byte signature, 32-bit big-endian payload length
in bits, payload (gzip'd for the `comp` signatures); bits MSB-first, one continuous stream
laid over the alpha LSBs (alpha mode) or the R, G, B LSBs (RGB mode) of the pixels taken
column by column. NovelAI then appends a 32-bit FEC length in bits (0xffffffff = none) and the
FEC bytes.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
from PIL import Image

Mode = Literal["alpha", "rgb"]
NO_FEC = 0xFFFFFFFF


def signature_for(mode: Mode, compressed: bool) -> bytes:
    """The 15-byte marker, built the way Forge's `prepare_data` builds it."""
    return f"stealth_{'png' if mode == 'alpha' else 'rgb'}{'comp' if compressed else 'info'}".encode()


def stealth_bits(
    signature: bytes, payload: bytes, *, length_bits: int | None = None, trailer: bytes = b""
) -> np.ndarray:
    """The bit stream (uint8 0/1, MSB-first) for `signature` + length + `payload` + `trailer`.

    `length_bits` overrides the declared payload length (to forge damaged or hostile files).
    """
    declared = len(payload) * 8 if length_bits is None else length_bits
    data = signature + declared.to_bytes(4, "big") + payload + trailer
    return np.unpackbits(np.frombuffer(data, dtype=np.uint8))


def write_bits(image: Image.Image, bits: np.ndarray, mode: Mode) -> Image.Image:
    """A copy of `image` with `bits` in its column-major alpha (or R, G, B) LSBs.

    Alpha mode converts to RGBA (new alpha is 255, an existing alpha keeps its high bits);
    RGB mode keeps RGB/RGBA images as they are and converts anything else to RGB. Pixels past
    the end of the stream, and G/B of a last partly used pixel, are left untouched, as Forge does.
    """
    if mode == "alpha":
        target = "RGBA"
    else:
        target = image.mode if image.mode in ("RGB", "RGBA") else "RGB"
    array = np.array(image.convert(target) if image.mode != target else image, dtype=np.uint8)
    height, width = array.shape[:2]
    columns = array.transpose(1, 0, 2).copy()  # (width, height, depth): column-major walk
    carrier = columns[:, :, 3:4] if mode == "alpha" else columns[:, :, 0:3]
    stream = carrier.reshape(-1).copy()
    if bits.size > stream.size:
        raise ValueError(f"{bits.size} bits do not fit in a {width}x{height} image ({stream.size} bits)")
    stream[: bits.size] = (stream[: bits.size] & 0xFE) | bits
    carrier[...] = stream.reshape(carrier.shape)
    return Image.fromarray(np.ascontiguousarray(columns.transpose(1, 0, 2)))


def embed_stealth(
    image: Image.Image,
    text_or_bytes: str | bytes | Mapping[str, Any],
    *,
    mode: Mode = "alpha",
    compressed: bool = True,
    novelai: bool = False,
    fec: bytes | None = None,
    length_bits: int | None = None,
) -> Image.Image:
    """A copy of `image` carrying `text_or_bytes` as stealth metadata.

    Text is UTF-8 encoded, then gzip'd when `compressed` (signatures `stealth_pngcomp`/
    `stealth_rgbcomp`, else `..._pnginfo`/`..._rgbinfo`); bytes are taken as they are.
    `novelai=True` writes NovelAI's form: a mapping becomes its JSON envelope (a `Comment`
    mapping is JSON-encoded to a string first, as NovelAI stores it), alpha mode, gzip, then
    the FEC length and `fec` bytes (0xffffffff and nothing when `fec` is None).
    """
    if novelai:
        if mode != "alpha" or not compressed:
            raise ValueError("NovelAI only writes stealth_pngcomp (alpha mode, compressed)")
        if isinstance(text_or_bytes, Mapping):
            envelope = dict(text_or_bytes)
            if isinstance(envelope.get("Comment"), Mapping):
                envelope["Comment"] = json.dumps(envelope["Comment"])
            text_or_bytes = json.dumps(envelope)
    elif isinstance(text_or_bytes, Mapping):
        raise TypeError("a mapping is only accepted with novelai=True")
    raw = text_or_bytes.encode("utf-8") if isinstance(text_or_bytes, str) else bytes(text_or_bytes)
    payload = gzip.compress(raw, mtime=0) if compressed else raw
    trailer = b""
    if novelai:
        trailer = (NO_FEC if fec is None else len(fec) * 8).to_bytes(4, "big") + (fec or b"")
    bits = stealth_bits(signature_for(mode, compressed), payload, length_bits=length_bits, trailer=trailer)
    return write_bits(image, bits, mode)


def noise(width: int, height: int, mode: str = "RGBA", seed: int = 0) -> Image.Image:
    """A random-noise image (every LSB random), the hardest background for a false signature."""
    depth = {"RGBA": 4, "RGB": 3, "L": 1, "LA": 2}[mode]
    rng = np.random.default_rng(seed)
    array = rng.integers(0, 256, size=(height, width, depth), dtype=np.uint8)
    image = Image.fromarray(array[:, :, 0] if depth == 1 else array)
    assert image.mode == mode
    return image


__all__ = ["NO_FEC", "embed_stealth", "noise", "signature_for", "stealth_bits", "write_bits"]
