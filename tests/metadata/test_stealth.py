"""Stealth metadata in pixel LSBs: the writers' exact format, hostile payloads, real files."""

from __future__ import annotations

import gzip
import json
import tracemalloc
import zlib
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fixtures.stealth_writer import NO_FEC, embed_stealth, noise, signature_for, stealth_bits, write_bits
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from tracker.errors import ImageReadError
from tracker.metadata import stealth
from tracker.metadata.stealth import StealthPayload, read_stealth

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"

INFOTEXT = (
    "masterpiece, 1girl, テスト <lora:style:0.8>\nNegative prompt: lowres, 低品質\n"
    "Steps: 28, Sampler: Euler a, CFG scale: 7, Seed: 123456789, Size: 64x64, Model: wai, Version: f2.0.1"
)
SIGNATURES = [
    ("alpha", False, "stealth_pnginfo"),
    ("alpha", True, "stealth_pngcomp"),
    ("rgb", False, "stealth_rgbinfo"),
    ("rgb", True, "stealth_rgbcomp"),
]


def _as_palette(image: Image.Image) -> Image.Image:
    """The same pixels as a P image (transparency as per-entry alpha bytes), built exactly."""
    array = np.asarray(image)
    flat = array.reshape(-1, array.shape[2])
    colours, index = np.unique(flat, axis=0, return_inverse=True)
    assert len(colours) <= 256
    out = Image.fromarray(index.reshape(array.shape[:2]).astype(np.uint8), "L").convert("P")
    out.putpalette(colours[:, :3].astype(np.uint8).tobytes())
    if array.shape[2] == 4:
        out.info["transparency"] = colours[:, 3].astype(np.uint8).tobytes()
    return out


# --- round trips ------------------------------------------------------------------------------


@pytest.mark.parametrize(("mode", "compressed", "signature"), SIGNATURES)
@pytest.mark.parametrize("base", ["RGB", "RGBA"])
def test_round_trip_every_signature(mode: str, compressed: bool, signature: str, base: str) -> None:
    assert signature_for(mode, compressed).decode() == signature  # type: ignore[arg-type]
    image = embed_stealth(noise(64, 64, base), INFOTEXT, mode=mode, compressed=compressed)  # type: ignore[arg-type]
    assert read_stealth(image) == StealthPayload(signature, mode, compressed, INFOTEXT)  # type: ignore[arg-type]


@pytest.mark.parametrize(("mode", "compressed", "signature"), SIGNATURES)
@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_saved_png_and_lossless_webp_still_read(
    tmp_path: Path, mode: str, compressed: bool, signature: str, fmt: str
) -> None:
    image = embed_stealth(noise(48, 40, "RGB"), INFOTEXT, mode=mode, compressed=compressed)  # type: ignore[arg-type]
    path = tmp_path / f"stealth.{fmt.lower()}"
    image.save(path, fmt, **({"lossless": True} if fmt == "WEBP" else {}))
    with Image.open(path) as reopened:
        reopened.load()
        assert reopened.format == fmt
        found = read_stealth(reopened)
    assert found is not None and (found.signature, found.text) == (signature, INFOTEXT)


def test_novelai_envelope_with_fec_trailer() -> None:
    comment = {
        "prompt": "1girl, night sky",
        "steps": 28,
        "scale": 5.0,
        "seed": 42,
        "sampler": "k_euler_ancestral",
    }
    envelope = {
        "Description": "1girl, night sky",
        "Software": "NovelAI",
        "Source": "NovelAI Diffusion V4.5 4BDE2A90",
        "Generation time": "2.3",
        "Comment": comment,
    }
    base = noise(96, 96, "RGBA")
    for fec in (None, bytes(range(40))):
        found = read_stealth(embed_stealth(base, envelope, novelai=True, fec=fec))
        assert found is not None and found.signature == "stealth_pngcomp" and found.mode == "alpha"
        decoded = json.loads(found.text)
        assert decoded["Software"] == "NovelAI" and json.loads(decoded["Comment"]) == comment


def test_bits_follow_the_spec_independently_of_the_writer() -> None:
    """Bits placed by hand (x = i // H, y = i % H) read back; the writer places them the same."""
    width, height = 13, 23  # odd sizes: the stream wraps columns mid-byte
    payload = "hand-placed ✓".encode()
    data = b"stealth_pnginfo" + (len(payload) * 8).to_bytes(4, "big") + payload
    bits = [(byte >> (7 - k)) & 1 for byte in data for k in range(8)]
    array = np.full((height, width, 4), 200, dtype=np.uint8)
    for i, bit in enumerate(bits):
        array[i % height, i // height, 3] = 254 | bit
    image = Image.fromarray(array)
    assert read_stealth(image) == StealthPayload("stealth_pnginfo", "alpha", False, "hand-placed ✓")
    written = np.asarray(embed_stealth(Image.new("RGBA", (width, height), (200,) * 4), payload, compressed=False))
    assert np.array_equal(written[..., 3] & 1, array[..., 3] & 1)

    rgb_data = b"stealth_rgbinfo" + (len(payload) * 8).to_bytes(4, "big") + payload
    rgb_bits = [(byte >> (7 - k)) & 1 for byte in rgb_data for k in range(8)]
    rgb = np.full((height, width, 3), 100, dtype=np.uint8)
    for i, bit in enumerate(rgb_bits):
        pixel, channel = divmod(i, 3)  # R, then G, then B of one pixel, then the next pixel down
        rgb[pixel % height, pixel // height, channel] = 100 | bit
    assert read_stealth(Image.fromarray(rgb)) == StealthPayload("stealth_rgbinfo", "rgb", False, "hand-placed ✓")


def test_writer_output_reads_with_novelais_reference_decoder() -> None:
    """nai_meta.py's numpy decoder, verbatim in spirit, accepts what the test writer makes."""
    image = embed_stealth(noise(80, 70, "RGB"), {"Software": "NovelAI", "Comment": {"seed": 1}}, novelai=True)
    alpha = np.array(image.convert("RGBA"))[..., -1]
    bits = alpha.T.reshape(-1) & 1
    data = np.packbits(bits[: len(bits) // 8 * 8].reshape(-1, 8), axis=1).reshape(-1).tobytes()
    assert data[:15] == b"stealth_pngcomp"
    nbits = int.from_bytes(data[15:19], "big")
    envelope = json.loads(gzip.decompress(data[19 : 19 + nbits // 8]))
    assert json.loads(envelope["Comment"]) == {"seed": 1}
    assert int.from_bytes(data[19 + nbits // 8 : 23 + nbits // 8], "big") == NO_FEC


def test_grey_and_palette_images() -> None:
    grey = Image.new("RGBA", (60, 60), (90, 90, 90, 255))
    la = embed_stealth(grey, INFOTEXT, mode="alpha").convert("LA")
    assert la.mode == "LA" and read_stealth(la) == StealthPayload("stealth_pngcomp", "alpha", True, INFOTEXT)

    rgb_on_plain = embed_stealth(Image.new("RGB", (40, 40), (10, 20, 30)), INFOTEXT, mode="rgb")
    palette = _as_palette(rgb_on_plain)
    assert palette.mode == "P" and "transparency" not in palette.info
    assert read_stealth(palette) == StealthPayload("stealth_rgbcomp", "rgb", True, INFOTEXT)

    alpha_on_plain = embed_stealth(Image.new("RGBA", (60, 60), (10, 20, 30, 255)), INFOTEXT, mode="alpha")
    transparent = _as_palette(alpha_on_plain)
    assert transparent.mode == "P" and isinstance(transparent.info["transparency"], bytes)
    assert read_stealth(transparent) == StealthPayload("stealth_pngcomp", "alpha", True, INFOTEXT)

    rgb_in_transparent_palette = _as_palette(
        embed_stealth(Image.new("RGBA", (40, 40), (10, 20, 30, 255)), "x", mode="rgb")
    )
    assert read_stealth(rgb_in_transparent_palette) == StealthPayload("stealth_rgbcomp", "rgb", True, "x")

    pa = alpha_on_plain.convert("PA")
    assert pa.mode == "PA" and read_stealth(pa) == StealthPayload("stealth_pngcomp", "alpha", True, INFOTEXT)


def test_rgb_stealth_in_an_rgba_image_after_a_plain_alpha() -> None:
    """Alpha is tried first; an opaque alpha (all LSBs 1) is no signature, then RGB is found."""
    image = embed_stealth(Image.new("RGBA", (30, 30), (1, 2, 3, 255)), INFOTEXT, mode="rgb", compressed=False)
    assert read_stealth(image) == StealthPayload("stealth_rgbinfo", "rgb", False, INFOTEXT)


def test_empty_and_odd_length_payloads() -> None:
    empty = embed_stealth(noise(20, 20), b"", compressed=False)
    assert read_stealth(empty) == StealthPayload("stealth_pnginfo", "alpha", False, "")
    odd = embed_stealth(noise(20, 20), b"abc", compressed=False, length_bits=29)
    assert read_stealth(odd) == StealthPayload("stealth_pnginfo", "alpha", False, "abc")
    bad_utf8 = embed_stealth(noise(20, 20), b"ok \xff\xfe end", mode="rgb", compressed=False)
    assert read_stealth(bad_utf8) == StealthPayload("stealth_rgbinfo", "rgb", False, "ok \ufffd\ufffd end")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.text(max_size=300),
    mode=st.sampled_from(["alpha", "rgb"]),
    compressed=st.booleans(),
    height=st.integers(min_value=1, max_value=70),
)
def test_round_trip_property(text: str, mode: str, compressed: bool, height: int) -> None:
    raw = text.encode("utf-8")
    payload_bits = (len(gzip.compress(raw, mtime=0)) if compressed else len(raw)) * 8 + 152
    per_pixel = 1 if mode == "alpha" else 3
    width = -(-payload_bits // (per_pixel * height)) + 1
    image = embed_stealth(noise(width, height, "RGB", seed=height), text, mode=mode, compressed=compressed)  # type: ignore[arg-type]
    found = read_stealth(image)
    assert found is not None and found.text == text and found.compressed == compressed and found.mode == mode


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    signature=st.sampled_from([b"stealth_pnginfo", b"stealth_pngcomp"]),
    declared=st.integers(min_value=0, max_value=2**32 - 1) | st.integers(min_value=0, max_value=4000),
    payload=st.binary(max_size=150) | st.binary(max_size=150).map(lambda b: gzip.compress(b, mtime=0)[: len(b)]),
)
def test_hostile_payloads_give_a_payload_or_image_read_error(signature: bytes, declared: int, payload: bytes) -> None:
    bits = stealth_bits(signature, payload, length_bits=declared)
    image = write_bits(noise(40, 40), bits, "alpha")
    try:
        found = read_stealth(image, max_bytes=1000)
    except ImageReadError as exc:
        assert "\n" not in str(exc) and "hidden metadata" in str(exc)
    else:
        assert found is not None and found.signature == signature.decode()


# --- images without stealth data ----------------------------------------------------------------


@pytest.mark.parametrize(
    "image",
    [
        noise(256, 256, "RGBA"),
        noise(256, 256, "RGB", seed=3),
        noise(64, 64, "L", seed=4),
        noise(64, 64, "LA", seed=5),
        Image.new("RGBA", (100, 100), (255, 255, 255, 255)),
        Image.new("RGBA", (100, 100), (0, 0, 0, 0)),
        Image.new("RGB", (100, 100), (0, 0, 0)),
        Image.new("P", (50, 50), 3),
        Image.new("1", (50, 50), 1),
        Image.new("RGB", (1, 1), (7, 8, 9)),
        Image.new("RGBA", (1, 1)),
        Image.new("RGBA", (11, 10)),  # 110 pixels: fewer alpha bits than a signature
        Image.new("RGB", (13, 3)),  # 39 pixels: fewer RGB bits than a signature
        Image.new("RGB", (0, 0)),
    ],
    ids=lambda im: f"{im.mode}-{im.width}x{im.height}",
)
def test_images_without_stealth_data(image: Image.Image) -> None:
    assert read_stealth(image) is None


@pytest.mark.parametrize("mode", ["1", "I;16", "I", "F", "CMYK", "YCbCr", "RGBa"])
def test_modes_without_8bit_rgb_channels_are_not_searched(mode: str) -> None:
    carrier = embed_stealth(Image.new("RGBA", (40, 40), (50, 60, 70, 255)), "x", mode="rgb")
    assert read_stealth(carrier) is not None
    assert read_stealth(carrier.convert(mode)) is None


def test_a_signature_in_the_smallest_carriers() -> None:
    """Exactly enough pixels for the signature and length; one byte of payload fits or not."""
    exact = embed_stealth(Image.new("RGBA", (1, 160)), b"z", compressed=False)
    assert read_stealth(exact) == StealthPayload("stealth_pnginfo", "alpha", False, "z")
    rgb_exact = embed_stealth(Image.new("RGB", (2, 27)), b"z", mode="rgb", compressed=False)  # 162 bits
    assert read_stealth(rgb_exact) == StealthPayload("stealth_rgbinfo", "rgb", False, "z")


# --- damaged and hostile payloads ---------------------------------------------------------------


def test_signature_without_room_for_the_length_field() -> None:
    image = write_bits(Image.new("RGBA", (11, 11)), stealth_bits(b"stealth_pngcomp", b"")[:120], "alpha")
    with pytest.raises(ImageReadError, match="cut off"):
        read_stealth(image)


def test_declared_length_larger_than_the_image() -> None:
    image = embed_stealth(noise(64, 64), INFOTEXT, compressed=False, length_bits=64 * 64 * 8)
    with pytest.raises(ImageReadError, match=r"can hold only 493 bytes"):
        read_stealth(image)
    huge = embed_stealth(noise(64, 64), INFOTEXT, mode="rgb", length_bits=2**32 - 1)
    with pytest.raises(ImageReadError, match=r"larger than 8 MiB \(512 MiB declared\); refusing"):
        read_stealth(huge)


def test_declared_length_over_max_bytes() -> None:
    image = embed_stealth(noise(100, 100), "x" * 1000, compressed=False)
    assert read_stealth(image, max_bytes=1000) is not None
    with pytest.raises(ImageReadError, match="larger than 999 bytes"):
        read_stealth(image, max_bytes=999)


def test_decompressed_size_cap_is_exact() -> None:
    image = embed_stealth(noise(100, 100), "y" * 5000)
    assert read_stealth(image, max_bytes=5000) is not None
    with pytest.raises(ImageReadError, match="once decompressed; refusing to decompress it"):
        read_stealth(image, max_bytes=4999)


@lru_cache(maxsize=1)
def _gzip_zeros(total: int) -> bytes:
    """`total` zero bytes, gzip'd a megabyte at a time so the test itself stays small."""
    deflater = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(1 << 20)
    parts = [deflater.compress(block) for _ in range(total >> 20)]
    parts.append(deflater.flush())
    return b"".join(parts)


@pytest.mark.parametrize("max_bytes", [1 << 20, None])
def test_gzip_bomb_is_refused_quickly_and_in_little_memory(max_bytes: int | None) -> None:
    bomb = _gzip_zeros(200 << 20)  # ~200 KB that inflates to 200 MiB
    side = int((len(bomb) * 8 + 300) ** 0.5) + 1
    image = write_bits(Image.new("RGBA", (side, side), (0, 0, 0, 255)), stealth_bits(b"stealth_pngcomp", bomb), "alpha")
    kwargs: dict[str, Any] = {} if max_bytes is None else {"max_bytes": max_bytes}
    tracemalloc.start()
    try:
        with pytest.raises(ImageReadError, match="once decompressed; refusing to decompress it"):
            read_stealth(image, **kwargs)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 48 << 20, f"peak {peak / 2**20:.0f} MiB while refusing a 200 MiB bomb"


def test_corrupt_gzip_streams() -> None:
    good = gzip.compress(INFOTEXT.encode(), mtime=0)
    flipped = bytearray(good)
    flipped[20] ^= 0xFF
    bad_crc = good[:-8] + bytes(4) + good[-4:]
    cases = {
        "not gzip": b"plain text, not gzip",
        "flipped byte": bytes(flipped),
        "cut off": good[: len(good) // 2],
        "bad crc": bad_crc,
        "empty": b"",
    }
    for label, payload in cases.items():
        for signature, mode in ((b"stealth_pngcomp", "alpha"), (b"stealth_rgbcomp", "rgb")):
            image = write_bits(noise(64, 64), stealth_bits(signature, payload), mode)  # type: ignore[arg-type]
            with pytest.raises(ImageReadError, match="hidden metadata .* is corrupt") as caught:
                read_stealth(image)
            assert "\n" not in str(caught.value), label


def test_negative_max_bytes_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        read_stealth(noise(8, 8), max_bytes=-1)


# --- cost ---------------------------------------------------------------------------------------


def test_only_the_needed_columns_are_touched(monkeypatch: pytest.MonkeyPatch) -> None:
    boxes: list[tuple[int, int, int, int]] = []
    original = Image.Image.crop

    def spy(self: Image.Image, box: Any = None) -> Image.Image:
        boxes.append(tuple(box))
        return original(self, box)

    plain = noise(1024, 1024)
    with_payload = embed_stealth(plain, bytes(range(256)) * 8, compressed=False)  # 2 KiB: 16536 bits
    monkeypatch.setattr(Image.Image, "crop", spy)
    assert read_stealth(plain) is None
    assert boxes == [(0, 0, 1, 120), (0, 0, 1, 40)]  # the alpha signature, then the RGB one
    boxes.clear()
    assert read_stealth(with_payload) is not None
    assert boxes == [(0, 0, 1, 120), (0, 0, 1, 152), (0, 0, 17, 1024)]


# --- real files ---------------------------------------------------------------------------------


def _corpus_cases() -> list[Any]:
    manifest = CORPUS / "manifest.json"
    if not manifest.is_file():
        reason = f"corpus not found at {CORPUS} (needs ../shared/corpus beside the repository)"
        return [pytest.param(None, marks=pytest.mark.skip(reason=reason), id="corpus-absent")]
    cases = []
    for entry in json.loads(manifest.read_text()):
        if entry["expected"].get("stealth") or entry.get("format") in ("PNG", "WEBP"):
            cases.append(pytest.param(entry, id=Path(entry["file"]).name))
    return cases


@pytest.mark.parametrize("entry", _corpus_cases())
def test_corpus_file(entry: dict[str, Any]) -> None:
    try:
        image = Image.open(CORPUS / entry["file"])
        image.load()
    except Exception as exc:  # noqa: BLE001 - any Pillow failure means "not a readable image"
        pytest.skip(f"Pillow cannot load {entry['file']}: {type(exc).__name__}")
    expected = entry["expected"].get("stealth")
    found = read_stealth(image)
    assert (found.signature if found else None) == expected
    if found is not None:
        assert found.text.strip()


@pytest.mark.parametrize("mode", ["alpha", "rgb"])
def test_long_payloads_are_read_in_column_steps(monkeypatch: pytest.MonkeyPatch, mode: str) -> None:
    """Small steps (8 columns of an odd height) give the same bytes as one big crop."""
    text = "".join(chr(0x3041 + i % 80) for i in range(600))
    image = embed_stealth(noise(400, 37, "RGB"), text, mode=mode, compressed=False)  # type: ignore[arg-type]
    monkeypatch.setattr(stealth, "_CHUNK_PIXELS", 100)
    found = read_stealth(image)
    assert found is not None and found.text == text
