"""Reading real files: every container the generators write, and every way a file can be bad."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest
from fixtures.imagefactory import (
    A1111_INFOTEXT,
    FORGE_INFOTEXT,
    pixels,
    write_exif_image,
    write_novelai_png,
    write_png,
    write_png_itxt,
)

from tracker.errors import ImageReadError
from tracker.metadata.containers import decode_user_comment, png_text_chunks
from tracker.metadata.reader import read_image

JAPANESE = "1girl, solo, hatsune miku, テスト\nNegative prompt: 低品質\nSteps: 20, Sampler: Euler, Seed: 7, Size: 64x48, Model: m"


def test_png_text_chunk(tmp_path: Path) -> None:
    reading = read_image(write_png(tmp_path / "forge.png", {"parameters": FORGE_INFOTEXT}))
    info = reading.info
    assert info is not None and info.source == "png:parameters" and info.generator == "forge"
    assert info.model is not None and info.model.hash == "163ac69059"
    assert [(l.name, l.hash, l.weight) for l in info.loras] == [
        ("shadow-circuit", "88e247aa8c3d", 0.78),
        ("retrowave", "edafb9df7da1", 0.8),
    ]
    assert [(t.kind, t.module, t.model) for t in info.techniques] == [
        ("controlnet", "canny", "control_v11p_sd15_canny")
    ]
    assert reading.format == "PNG" and (reading.width, reading.height) == (64, 48)
    assert any(e["key"] == "parameters" and e["container"] == "png:tEXt" for e in reading.raw_metadata()["entries"])


def test_png_ztxt_and_itxt(tmp_path: Path) -> None:
    ztxt = read_image(write_png(tmp_path / "z.png", {"parameters": A1111_INFOTEXT}, zip_keys=("parameters",)))
    assert ztxt.entries[0].container == "png:zTXt" and ztxt.info and ztxt.info.seed == 42
    itxt = read_image(write_png(tmp_path / "i.png", {"parameters": JAPANESE}))
    assert itxt.entries[0].container == "png:iTXt"
    assert (
        itxt.info and itxt.info.prompt == "1girl, solo, hatsune miku, テスト" and itxt.info.negative_prompt == "低品質"
    )
    compressed = read_image(write_png_itxt(tmp_path / "ic.png", "parameters", JAPANESE, compressed=True))
    assert compressed.info and compressed.info.negative_prompt == "低品質"


@pytest.mark.parametrize("fmt", ["JPEG", "WEBP"])
@pytest.mark.parametrize("encoding", ["unicode", "ascii", "raw", "unicode-le"])
def test_exif_user_comment(tmp_path: Path, fmt: str, encoding: str) -> None:
    text = A1111_INFOTEXT if encoding == "ascii" else JAPANESE
    path = write_exif_image(tmp_path / f"x.{fmt.lower()}", text, fmt=fmt, encoding=encoding)
    reading = read_image(path)
    assert reading.format == fmt
    assert reading.info is not None and reading.info.source == "exif:UserComment"
    assert reading.info.seed == (42 if encoding == "ascii" else 7)
    if encoding != "ascii":
        assert reading.info.negative_prompt == "低品質"


def test_user_comment_prefixes() -> None:
    assert decode_user_comment(b"UNICODE\0" + "ä テ".encode("utf-16-be")) == ("ä テ", "utf-16be")
    assert decode_user_comment(b"UNICODE\0" + "abc".encode("utf-16-le")) == ("abc", "utf-16le")
    assert decode_user_comment(b"ASCII\0\0\0abc") == ("abc", "utf-8")
    assert decode_user_comment(b"abc") == ("abc", "utf-8")


def test_novelai_png(tmp_path: Path) -> None:
    reading = read_image(write_novelai_png(tmp_path / "nai.png"))
    info = reading.info
    assert info is not None and info.generator == "novelai"
    assert info.model is not None and (info.model.name, info.model.hash) == ("Stable Diffusion XL", "c1e1de52")
    assert [t.kind for t in info.techniques] == ["vibe_transfer"]
    assert info.negative_prompt == "lowres, bad anatomy"


def test_no_metadata_is_not_an_error(tmp_path: Path) -> None:
    path = tmp_path / "plain.png"
    pixels().save(path)
    reading = read_image(path)
    assert reading.info is None and reading.entries == []


def test_text_after_image_data_is_read(tmp_path: Path) -> None:
    path = write_png(tmp_path / "a.png", {})
    data = path.read_bytes()
    body = b"parameters\0" + A1111_INFOTEXT.encode("latin-1")
    chunk = len(body).to_bytes(4, "big") + b"tEXt" + body + zlib.crc32(b"tEXt" + body).to_bytes(4, "big")
    iend = data.rindex(b"IEND") - 4
    path.write_bytes(data[:iend] + chunk + data[iend:])
    info = read_image(path).info
    assert info is not None and info.seed == 42


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"this is not an image at all", "not an image"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "damaged"),
    ],
)
def test_bad_files_give_one_clear_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.png"
    path.write_bytes(content)
    with pytest.raises(ImageReadError, match=message):
        read_image(path)


def test_truncated_files(tmp_path: Path) -> None:
    for fmt in ("PNG", "JPEG", "WEBP"):
        good = tmp_path / f"good.{fmt.lower()}"
        pixels((256, 256), seed=3).save(good, fmt)
        data = good.read_bytes()
        for cut in (len(data) // 3, len(data) // 2, len(data) - 20):
            bad = tmp_path / f"cut{cut}.{fmt.lower()}"
            bad.write_bytes(data[:cut])
            with pytest.raises(ImageReadError):
                read_image(bad)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ImageReadError, match="no such file"):
        read_image(tmp_path / "nope.png")


def test_decompression_bomb_dimensions(tmp_path: Path) -> None:
    path = tmp_path / "bomb.png"
    data = write_png(tmp_path / "small.png", {}).read_bytes()
    # Rewrite IHDR to claim 100000 x 100000 pixels (CRC fixed so Pillow reaches the size check).
    ihdr = b"IHDR" + (100000).to_bytes(4, "big") * 2 + data[24:29]
    path.write_bytes(data[:12] + ihdr + zlib.crc32(ihdr).to_bytes(4, "big") + data[33:])
    with pytest.raises(ImageReadError, match="too large"):
        read_image(path)


def test_zlib_bomb_in_text_chunk_is_refused(tmp_path: Path) -> None:
    path = write_png(tmp_path / "a.png", {})
    data = path.read_bytes()
    body = b"parameters\0\0" + zlib.compress(b"A" * (64 * 1024 * 1024), 9)
    chunk = len(body).to_bytes(4, "big") + b"zTXt" + body + zlib.crc32(b"zTXt" + body).to_bytes(4, "big")
    entries, problems = png_text_chunks(data[:33] + chunk + data[33:])
    assert entries == [] and problems


def test_a_compressed_workflow_over_a_mebibyte_is_read_not_called_damaged(tmp_path: Path) -> None:
    """A big ComfyUI workflow in one zTXt chunk (1.5 MB inflated) is a valid PNG: Pillow's 1 MiB default cap
    must not make it "damaged or truncated"."""
    import json

    nodes = [{"id": i, "type": "Note", "widgets_values": ["x" * 1000]} for i in range(1500)]
    workflow = json.dumps({"nodes": nodes, "links": []})
    path = write_png(tmp_path / "big.png", {"parameters": A1111_INFOTEXT, "workflow": workflow}, zip_keys=("workflow",))
    reading = read_image(path)
    assert reading.info is not None and reading.info.seed == 42
    assert any(e.key == "workflow" for e in reading.entries)


def test_a_second_different_parameters_chunk_is_reported(tmp_path: Path) -> None:
    """Two `parameters` texts that disagree (a later tool appended one, or it was planted): the first is read,
    and the reading says there was another."""
    import struct

    path = write_png(tmp_path / "two.png", {"parameters": A1111_INFOTEXT})
    data = path.read_bytes()
    body = b"tEXt" + b"parameters\x00" + A1111_INFOTEXT.replace("Seed: 42", "Seed: 9").encode("latin-1")
    chunk = struct.pack(">I", len(body) - 4) + body + struct.pack(">I", zlib.crc32(body))
    end = data.rindex(b"IEND") - 4
    path.write_bytes(data[:end] + chunk + data[end:])
    reading = read_image(path)
    assert reading.info is not None and reading.info.seed == 42, "the first one"
    assert any("'parameters' appears 2 times with different texts" in p for p in reading.problems)
    same = write_png(tmp_path / "one.png", {"parameters": A1111_INFOTEXT})
    assert not any("appears" in p for p in read_image(same).problems)
