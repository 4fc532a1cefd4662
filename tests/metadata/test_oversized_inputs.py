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
