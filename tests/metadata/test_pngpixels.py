"""Plain PNGs decoded by libspng give exactly what Pillow gives; everything else still goes to Pillow.

The PNGs here are written chunk by chunk by `encode_png`, with each of the five row filters
chosen on purpose (Pillow's own writer picks filters itself), so every un-filtering path of
both decoders is compared.
"""

from __future__ import annotations

import io
import json
import struct
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest
from fixtures.corpus_check import CORPUS, manifest_entries
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from tracker.errors import ImageReadError
from tracker.matching import hashing
from tracker.metadata import pngpixels
from tracker.metadata.reader import read_image

pytestmark = pytest.mark.skipif(pngpixels.spng is None, reason="pyspng is not installed on this platform")


def chunk(ctype: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + ctype + body + struct.pack(">I", zlib.crc32(ctype + body))


def _filtered(pixels: np.ndarray, filters: Sequence[int]) -> bytes:
    """The scanlines of `pixels` (h, w, channels uint8), row y filtered with filters[y % len]."""
    height, width, channels = pixels.shape
    rows = pixels.reshape(height, width * channels).astype(np.int32)
    previous = np.zeros(width * channels, dtype=np.int32)
    pad = np.zeros(channels, dtype=np.int32)
    out = bytearray()
    for y in range(height):
        kind = filters[y % len(filters)]
        row = rows[y]
        left = np.concatenate([pad, row[:-channels]])
        up_left = np.concatenate([pad, previous[:-channels]])
        if kind == 0:
            predicted = np.zeros_like(row)
        elif kind == 1:
            predicted = left
        elif kind == 2:
            predicted = previous
        elif kind == 3:
            predicted = (left + previous) // 2
        else:
            estimate = left + previous - up_left
            pa, pb, pc = abs(estimate - left), abs(estimate - previous), abs(estimate - up_left)
            predicted = np.where((pa <= pb) & (pa <= pc), left, np.where(pb <= pc, previous, up_left))
        out.append(kind)
        out += ((row - predicted) % 256).astype(np.uint8).tobytes()
        previous = row
    return bytes(out)


def encode_png(
    pixels: np.ndarray,
    filters: Sequence[int] = (0, 1, 2, 3, 4),
    *,
    before: Sequence[bytes] = (),
    after: Sequence[bytes] = (),
    idat_parts: int = 3,
) -> bytes:
    """A PNG of 8-bit RGB (3 channels) or RGBA (4) pixels; `before`/`after` are extra chunks around IDAT."""
    height, width, channels = pixels.shape
    colour = {3: 2, 4: 6}[channels]
    ihdr = struct.pack(">IIBBBBB", width, height, 8, colour, 0, 0, 0)
    stream = zlib.compress(_filtered(pixels, filters), 6)
    step = max(1, -(-len(stream) // idat_parts))
    idats = [chunk(b"IDAT", stream[i : i + step]) for i in range(0, len(stream), step)]
    return b"".join([pngpixels._SIGNATURE, chunk(b"IHDR", ihdr), *before, *idats, *after, chunk(b"IEND", b"")])


def text(key: str, value: str) -> bytes:
    return chunk(b"tEXt", key.encode("latin-1") + b"\0" + value.encode("latin-1"))


def gradient(width: int, height: int, channels: int, seed: int = 0) -> np.ndarray:
    """Smooth ramps plus noise: every filter has something to predict, and something to miss."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width]
    base = np.stack([(x * 7 + y * 3 + 40 * c) % 256 for c in range(channels)], axis=-1)
    noise = rng.integers(-12, 13, size=base.shape)
    return np.clip(base + noise, 0, 255).astype(np.uint8)


def pillow_reading(path: Path, monkeypatch: pytest.MonkeyPatch) -> object:
    with monkeypatch.context() as patch:
        patch.setattr(pngpixels, "spng", None)
        return summary(path)


def summary(path: Path) -> object:
    """Everything a reading gives the rest of tracker, in comparable form (or the error line)."""
    try:
        reading = read_image(path)
    except ImageReadError as exc:
        return ("error", str(exc))
    return (
        reading.format,
        reading.width,
        reading.height,
        reading.image.mode,
        reading.image.size,
        reading.image.tobytes(),
        json.dumps(reading.raw_metadata(), sort_keys=True),
        json.dumps(reading.info.to_dict() if reading.info else None, sort_keys=True, default=str),
        reading.problems,
        hashing.image_hashes(reading.image),
    )


def takes_fast_path(data: bytes) -> bool:
    return pngpixels.decode(data, Image.open(io.BytesIO(data))) is not None


@pytest.mark.parametrize("channels", [3, 4])
@pytest.mark.parametrize("filters", [(0,), (1,), (2,), (3,), (4,), (4, 3, 2, 1, 0)], ids=str)
def test_each_row_filter_decodes_to_the_exact_pixels(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, channels: int, filters: tuple[int, ...]
) -> None:
    pixels = gradient(97, 61, channels)
    data = encode_png(pixels, filters, before=[text("parameters", "a cat\nSteps: 20, Seed: 1, Size: 97x61")])
    path = tmp_path / "plain.png"
    path.write_bytes(data)

    assert takes_fast_path(data)
    reading = read_image(path)
    assert reading.image.mode == ("RGB" if channels == 3 else "RGBA")
    assert np.array_equal(np.asarray(reading.image), pixels)
    assert reading.info is not None and reading.info.seed == 1
    assert summary(path) == pillow_reading(path, monkeypatch)


@settings(max_examples=150, deadline=None)
@given(
    width=st.integers(1, 23),
    height=st.integers(1, 19),
    channels=st.sampled_from([3, 4]),
    filters=st.lists(st.integers(0, 4), min_size=1, max_size=8),
    seed=st.integers(0, 2**16),
)
def test_any_plain_png_decodes_as_pillow_decodes_it(
    width: int, height: int, channels: int, filters: list[int], seed: int
) -> None:
    pixels = np.random.default_rng(seed).integers(0, 256, size=(height, width, channels), dtype=np.uint8)
    data = encode_png(pixels, filters, idat_parts=1 + seed % 4)
    fast = pngpixels.decode(data, Image.open(io.BytesIO(data)))
    assert fast is not None
    with Image.open(io.BytesIO(data)) as pillow:
        pillow.load()
        assert fast.mode == pillow.mode
        assert fast.tobytes() == pillow.tobytes()
    assert np.array_equal(np.asarray(fast), pixels)


def _pillow_png(image: Image.Image, **params: object) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", **params)
    return out.getvalue()


def _not_plain() -> Iterator[object]:
    rgb = Image.fromarray(gradient(40, 30, 3))
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"
    yield pytest.param(_pillow_png(rgb.convert("P")), id="palette")
    yield pytest.param(_pillow_png(rgb.convert("L")), id="grey")
    yield pytest.param(_pillow_png(rgb.convert("LA")), id="grey+alpha")
    yield pytest.param(_pillow_png(Image.new("I;16", (40, 30), 700)), id="16-bit grey")
    yield pytest.param(_pillow_png(rgb, transparency=(1, 2, 3)), id="tRNS colour key")
    yield pytest.param(_pillow_png(rgb, exif=exif), id="eXIf chunk")
    yield pytest.param(
        _pillow_png(rgb, save_all=True, append_images=[rgb.transpose(Image.Transpose.FLIP_LEFT_RIGHT)]), id="APNG"
    )
    plain = gradient(40, 30, 3)
    for key in ("exif", "Raw profile type exif", "XML:com.adobe.xmp", "xmp"):
        yield pytest.param(encode_png(plain, before=[text(key, "x")]), id=f"text {key!r}")
    yield pytest.param(encode_png(plain, after=[text("parameters", "a cat")]), id="text after the pixels")
    bomb = chunk(b"zTXt", b"prompt\0\0" + zlib.compress(bytes(4 * 2**20)))
    yield pytest.param(encode_png(plain, after=[bomb] * 8), id="zTXt bombs after the pixels")
    yield pytest.param(encode_png(plain, before=[text("a", "b")], idat_parts=1)[:-40], id="no IEND")
    whole = encode_png(plain, idat_parts=1)
    at = whole.index(b"IDAT") + 20
    flipped = whole[:at] + bytes([whole[at] ^ 0x10]) + whole[at + 1 :]  # the chunk's CRC no longer matches
    yield pytest.param(flipped, id="a flipped bit in the pixel data")
    ihdr = struct.pack(">IIBBBBB", 40, 30, 16, 2, 0, 0, 0)
    yield pytest.param(pngpixels._SIGNATURE + chunk(b"IHDR", ihdr) + chunk(b"IEND", b""), id="16-bit RGB header")
    ihdr = struct.pack(">IIBBBBB", 40, 30, 8, 2, 0, 0, 1)
    yield pytest.param(pngpixels._SIGNATURE + chunk(b"IHDR", ihdr) + chunk(b"IEND", b""), id="interlaced header")


@pytest.mark.parametrize("data", _not_plain())
def test_other_pngs_are_left_to_pillow(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    assert not pngpixels.is_plain(data)
    path = tmp_path / "other.png"
    path.write_bytes(data)
    assert summary(path) == pillow_reading(path, monkeypatch)


def test_exif_written_after_the_pixels_is_still_read(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[0x0131] = "SomeEditor 2.0"  # Software
    body = exif.tobytes()
    data = encode_png(gradient(40, 30, 3), after=[chunk(b"eXIf", body)])
    path = tmp_path / "late-exif.png"
    path.write_bytes(data)
    entries = {(e.container, e.key): e.value for e in read_image(path).entries}
    assert entries[("exif:IFD0", "Software")] == "SomeEditor 2.0"


def test_text_after_the_pixels_is_still_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = encode_png(gradient(64, 64, 4), after=[text("parameters", "late prompt\nSteps: 9, Seed: 77, Size: 64x64")])
    path = tmp_path / "late-text.png"
    path.write_bytes(data)
    assert not takes_fast_path(data)  # Pillow checks what comes after the pixels while it decodes
    reading = read_image(path)
    assert reading.info is not None and reading.info.prompt == "late prompt" and reading.info.seed == 77
    assert summary(path) == pillow_reading(path, monkeypatch)


def _damaged() -> Iterator[object]:
    pixels = gradient(64, 48, 3)
    whole = encode_png(pixels, idat_parts=1)
    start = whole.index(b"IDAT") + 4
    header = whole[: 8 + 25]  # signature and IHDR
    yield pytest.param(whole[: start + 200], id="cut inside IDAT")
    zeroed = bytearray(whole)
    zeroed[start + 2 : start + 40] = bytes(38)
    yield pytest.param(bytes(zeroed), id="zeroed deflate data")
    bad_filter = zlib.compress(b"\x07" + bytes(64 * 3) + _filtered(pixels[1:], (0,)))
    yield pytest.param(header + chunk(b"IDAT", bad_filter) + chunk(b"IEND", b""), id="unknown filter type")
    short = zlib.compress(bytes(10))
    yield pytest.param(header + chunk(b"IDAT", short) + chunk(b"IEND", b""), id="too little pixel data")


@pytest.mark.parametrize("data", _damaged())
def test_a_damaged_png_fails_as_it_did_with_pillow(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: bytes
) -> None:
    path = tmp_path / "damaged.png"
    path.write_bytes(data)
    fast, pillow = summary(path), pillow_reading(path, monkeypatch)
    assert fast == pillow
    assert isinstance(fast, tuple) and fast[0] == "error" and "\n" not in str(fast[1])


def test_without_pyspng_pngs_are_decoded_by_pillow(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pixels = gradient(50, 20, 4)
    path = tmp_path / "a.png"
    path.write_bytes(encode_png(pixels))
    monkeypatch.setattr(pngpixels, "spng", None)
    assert np.array_equal(np.asarray(read_image(path).image), pixels)


def test_a_huge_png_is_left_to_pillow(monkeypatch: pytest.MonkeyPatch) -> None:
    data = encode_png(gradient(64, 64, 3))
    assert takes_fast_path(data)
    with monkeypatch.context() as patch:
        patch.setattr(pngpixels, "MAX_PIXELS", 64 * 64 - 1)
        assert not takes_fast_path(data)
    with monkeypatch.context() as patch:
        patch.setattr(pngpixels, "MAX_FILE_BYTES", len(data) - 1)
        assert not takes_fast_path(data)


def _corpus_pngs() -> list[object]:
    files = [e["file"] for e in manifest_entries() if e["file"].lower().endswith(".png")]
    return [pytest.param(f, id=f.rsplit("/", 1)[-1]) for f in files] or [pytest.param(None, id="none")]


@pytest.mark.parametrize("name", _corpus_pngs())
def test_corpus_pngs_read_the_same_either_way(name: str | None, monkeypatch: pytest.MonkeyPatch) -> None:
    if name is None:
        pytest.skip(f"no PNG files in {CORPUS} (the shared corpus is absent)")
    path = CORPUS / name
    assert summary(path) == pillow_reading(path, monkeypatch)
