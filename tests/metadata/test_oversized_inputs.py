"""Big but valid files are read, not refused as damaged: a PNG with one text chunk over Pillow's caps (a
20 MB prompt in zTXt, a zip bomb among its chunks) is hashed and logged with the chunk reported as
skipped; a long full-page screenshot past Pillow's 89-megapixel warning is read; a real decompression
bomb is still refused in one line."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import A1111_INFOTEXT, pixels, write_png
from PIL import Image

from tracker.errors import ImageReadError
from tracker.metadata.reader import read_image


def _with_chunk(path: Path, ctype: bytes, body: bytes) -> Path:
    """The PNG with one more chunk just before IEND."""
    data = path.read_bytes()
    chunk = struct.pack(">I", len(body)) + ctype + body + struct.pack(">I", zlib.crc32(ctype + body))
    end = data.rindex(b"IEND") - 4
    path.write_bytes(data[:end] + chunk + data[end:])
    return path


def _ztxt(key: bytes, text: bytes) -> bytes:
    return key + b"\0\0" + zlib.compress(text, 9)


def test_a_compressed_text_chunk_over_the_cap_skips_the_chunk_not_the_picture(tmp_path: Path) -> None:
    path = write_png(tmp_path / "long-prompt.png", {"parameters": A1111_INFOTEXT}, image=pixels((64, 48), seed=3))
    _with_chunk(path, b"zTXt", _ztxt(b"workflow", b"x" * (20 * 2**20)))
    reading = read_image(path)
    assert reading.info is not None and reading.info.seed == 42, "the other chunks are still read"
    assert reading.width == 64 and reading.image.size == (64, 48)
    assert "PNG zTXt chunk 'workflow' inflates past 16 MiB (a huge text or a zip bomb): skipped" in reading.problems


def test_a_zip_bomb_chunk_before_the_pixels_does_not_make_the_picture_unreadable(tmp_path: Path) -> None:
    path = write_png(tmp_path / "bomb-text.png", {}, image=pixels((64, 48), seed=4))
    data = path.read_bytes()
    body = _ztxt(b"Comment", bytes(256 * 2**20))
    chunk = struct.pack(">I", len(body)) + b"zTXt" + body + struct.pack(">I", zlib.crc32(b"zTXt" + body))
    path.write_bytes(data[:33] + chunk + data[33:])  # right after IHDR: Pillow meets it on open
    reading = read_image(path)
    assert reading.image.size == (64, 48) and reading.problems


def test_such_a_file_is_logged(tracker: Tracker, tmp_path: Path, isolated_env: Path) -> None:
    path = write_png(tmp_path / "long.png", {"parameters": A1111_INFOTEXT}, image=pixels((64, 48), seed=5))
    _with_chunk(path, b"zTXt", _ztxt(b"prompt", b"y" * (20 * 2**20)))
    out = tracker("log", path, "--url", "https://www.pixiv.net/artworks/7001", "--persona", "moth", "--new-persona")
    assert out.stdout.startswith("Logged post #1: https://www.pixiv.net/artworks/7001")
    assert "generator  a1111" in out.stdout and "PNG zTXt chunk 'prompt' inflates past 16 MiB" in out.stdout


def test_an_itxt_chunk_that_is_not_utf8_is_reported(tmp_path: Path) -> None:
    path = write_png(tmp_path / "latin.png", {})
    _with_chunk(path, b"iTXt", b"Description\0\0\0\0\0caf\xe9 au lait")
    reading = read_image(path)
    assert any(e.key == "Description" and e.value == "caf\ufffd au lait" for e in reading.entries)
    assert "PNG iTXt chunk 'Description' is not valid UTF-8: read with replacement characters" in reading.problems


@pytest.mark.slow
def test_a_long_full_page_screenshot_past_pillows_warning_is_read(tmp_path: Path) -> None:
    path = tmp_path / "full-page.png"
    Image.new("L", (1170, 80_000), 200).save(path, optimize=False)  # 93.6 million pixels
    reading = read_image(path)
    assert (reading.width, reading.height) == (1170, 80_000)


def test_a_decompression_bomb_is_refused_with_its_size(tmp_path: Path) -> None:
    path = tmp_path / "bomb.png"
    data = write_png(tmp_path / "small.png", {}).read_bytes()
    ihdr = b"IHDR" + (50_000).to_bytes(4, "big") * 2 + data[24:29]
    path.write_bytes(data[:12] + ihdr + zlib.crc32(ihdr).to_bytes(4, "big") + data[33:])
    with pytest.raises(ImageReadError, match="too large"):
        read_image(path)
    ihdr = b"IHDR" + (12_000).to_bytes(4, "big") * 2 + data[24:29]  # 144 million: past the limit, not a bomb to Pillow
    path.write_bytes(data[:12] + ihdr + zlib.crc32(ihdr).to_bytes(4, "big") + data[33:])
    with pytest.raises(ImageReadError, match=r"12000x12000 pixels is too large to read safely \(the limit is 100"):
        read_image(path)


def _claiming(path: Path, side: int) -> Path:
    """The PNG with its header rewritten to claim side x side pixels (CRC fixed: Pillow reaches the size check)."""
    data = path.read_bytes()
    ihdr = b"IHDR" + side.to_bytes(4, "big") * 2 + data[24:29]
    path.write_bytes(data[:12] + ihdr + zlib.crc32(ihdr).to_bytes(4, "big") + data[33:])
    return path


@pytest.mark.parametrize("side", [12_000, 20_000, 30_000, 50_000])
def test_every_image_over_the_pixel_limit_is_refused_in_the_same_words(tmp_path: Path, side: int) -> None:
    """Past our limit, past Pillow's warning or past its error: one wording, with the size."""
    path = _claiming(write_png(tmp_path / "big.png", {}), side)
    with pytest.raises(ImageReadError) as refused:
        read_image(path)
    assert str(refused.value) == (
        f"big.png: {side}x{side} pixels is too large to read safely (the limit is 100 million pixels for PNG images)"
    )


def test_a_jpeg_past_pillows_bomb_error_is_refused_in_the_same_words(tmp_path: Path) -> None:
    path = tmp_path / "big.jpg"
    pixels().save(path, "JPEG")
    data = bytearray(path.read_bytes())
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = (60_000).to_bytes(2, "big") * 2  # height, width
    path.write_bytes(bytes(data))
    with pytest.raises(ImageReadError) as refused:
        read_image(path)
    assert str(refused.value) == (
        "big.jpg: 3,600,000,000 pixels is too large to read safely (the limit is 268 million pixels for JPEG images)"
    )


def test_a_text_chunk_with_a_wrong_checksum_is_read_with_a_warning_not_called_not_an_image(tmp_path: Path) -> None:
    path = write_png(tmp_path / "crc.png", {"parameters": A1111_INFOTEXT})
    data = bytearray(path.read_bytes())
    crc_at = data.index(b"tEXtparameters") + 4 + len(b"parameters\0") + len(A1111_INFOTEXT.encode("latin-1"))
    data[crc_at] ^= 0xFF
    path.write_bytes(bytes(data))
    reading = read_image(path)
    assert reading.info is not None and reading.info.seed == 42 and reading.image.size == (64, 48)
    assert reading.problems == [
        "PNG tEXt chunk 'parameters' has a wrong checksum (damaged, or edited by hand): read as found"
    ]


def test_a_text_chunk_too_large_to_read_is_not_called_no_metadata(tracker: Tracker, tmp_path: Path) -> None:
    path = _with_chunk(write_png(tmp_path / "huge-text.png", {}), b"tEXt", b"parameters\0" + b"x" * (17 * 2**20))
    [report] = tracker.json("inspect", path)
    messages = [(f["code"], f["message"]) for f in report["findings"]]
    assert messages == [
        ("NO_METADATA", "no generation metadata could be read: the file carries metadata that was not read"),
        ("READ_PROBLEM", "PNG tEXt chunk of 17 MiB is too large to read (over 16 MiB): skipped"),
    ]
