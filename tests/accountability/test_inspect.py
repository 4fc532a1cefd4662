"""`tracker inspect`: the accountability report on files, and hostile files that must not hurt it."""

from __future__ import annotations

import gzip
import json
import zlib
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import FORGE_INFOTEXT, pixels, write_exif_image, write_png
from fixtures.stealth_writer import embed_stealth, stealth_bits, write_bits

pytestmark = pytest.mark.db


def _report(tracker: Tracker, path: Path) -> dict:
    return tracker.json("inspect", path)[0]


def test_report_lists_models_loras_hashes_and_risky_inputs(tracker: Tracker, tmp_path: Path) -> None:
    report = _report(tracker, write_png(tmp_path / "f.png", {"parameters": FORGE_INFOTEXT}))
    assert report["generator"] == "forge"
    assert (report["model"]["name"], report["model"]["hash"], report["model"]["hash_kind"]) == (
        "hassakuXL_v13",
        "163ac69059",
        "autov2",
    )
    assert [(l["name"], l["hash_kind"]) for l in report["loras"]] == [
        ("shadow-circuit", "short12"),
        ("retrowave", "short12"),
    ]
    [unit] = report["techniques"]
    assert (unit["kind"], unit["module"], unit["risk_class"]) == ("controlnet", "canny", "lineart")
    assert report["credits"] == "Model: hassakuXL_v13; LoRAs: shadow-circuit, retrowave"
    assert {f["code"] for f in report["findings"]} == {"INPUT_IMAGE"}


def test_no_metadata_is_reported(tracker: Tracker, tmp_path: Path) -> None:
    plain = tmp_path / "plain.jpg"
    pixels().save(plain)
    report = _report(tracker, plain)
    assert report["generator"] is None
    assert [f["code"] for f in report["findings"]] == ["NO_METADATA"]
    assert "NO_METADATA" in tracker("inspect", plain).stdout


def test_missing_hash_and_identity_modules(tracker: Tracker, tmp_path: Path) -> None:
    text = (
        "face <lora:nohash:0.5>\nSteps: 20, Sampler: Euler, Seed: 1, Model: m, "
        'ControlNet 0: "Module: instant_id_face_embedding, Model: ip-adapter_instant_id_sdxl [eb2d3ec0], Weight: 1"'
    )
    report = _report(tracker, write_png(tmp_path / "i.png", {"parameters": text}))
    codes = [f["code"] for f in report["findings"]]
    assert codes[0] == "IDENTITY_INPUT"
    assert "HASH_MISSING" in codes and "MODEL_UNNAMED" not in codes


def test_user_lists_for_artists_and_allowed_models(tracker: Tracker, tmp_path: Path, isolated_env: Path) -> None:
    isolated_env.mkdir(parents=True, exist_ok=True)
    (isolated_env / "artists.txt").write_text("# names I never prompt\nJane Painter\n")
    (isolated_env / "allowed-models.txt").write_text("ponyDiffusion*\n45a21ea00a\n")
    text = "1girl, jane painter, by Somebody Else\nSteps: 20, Sampler: Euler, Seed: 1, Model: hassakuXL_v13, Model hash: 163ac69059"
    report = _report(tracker, write_png(tmp_path / "a.png", {"parameters": text}))
    messages = [f["message"] for f in report["findings"] if f["code"] == "ARTIST_NAME"]
    assert any("Jane Painter" in m for m in messages)
    # An unlisted `by <Name>` is a question, not a breach: as often a camera, a tool or a company.
    assert [f["message"] for f in report["findings"] if f["code"] == "POSSIBLE_ARTIST_NAME"] == [
        "may name an artist in the prompt: 'by Somebody Else' (check; list the name in artists.txt if it is one)"
    ]
    assert any(f["code"] == "MODEL_NOT_ALLOWED" for f in report["findings"])
    allowed = "x\nSteps: 20, Sampler: Euler, Seed: 1, Model: anything, Model hash: 45a21ea00a"
    report = _report(tracker, write_png(tmp_path / "b.png", {"parameters": allowed}, image=pixels(seed=4)))
    assert not any(f["code"] == "MODEL_NOT_ALLOWED" for f in report["findings"])


def test_hidden_data_that_disagrees_with_the_text_is_reported(tracker: Tracker, tmp_path: Path) -> None:
    hidden = FORGE_INFOTEXT.replace("Seed: 1234567890", "Seed: 42")
    image = embed_stealth(pixels((128, 128), mode="RGBA"), hidden, mode="alpha", compressed=True)
    path = write_png(tmp_path / "s.png", {"parameters": FORGE_INFOTEXT}, image=image)
    report = _report(tracker, path)
    assert report["hidden_metadata"] == "stealth_pngcomp"
    [conflict] = [f for f in report["findings"] if f["code"] == "HIDDEN_METADATA_DISAGREES"]
    assert "seed: '1234567890' vs hidden '42'" in conflict["message"]


def test_stealth_payload_claiming_4_gb(tracker: Tracker, tmp_path: Path) -> None:
    # The 32-bit length field at its maximum: 4 Gi bits (512 MiB) claimed by a 64x64 image.
    bits = stealth_bits(b"stealth_pngcomp", b"x" * 64, length_bits=0xFFFFFFFF)
    image = write_bits(pixels((64, 64), mode="RGBA"), bits, "alpha")
    path = tmp_path / "claim.png"
    image.save(path)
    result = tracker("inspect", path, "--json")
    report = json.loads(result.stdout)[0]
    assert any(f["code"] == "READ_PROBLEM" and "hidden" in f["message"] for f in report["findings"])


def test_gzip_bomb_in_hidden_data(tracker: Tracker, tmp_path: Path) -> None:
    bomb = gzip.compress(bytes(64 * 1024 * 1024), 9)
    side = int((len(bomb) * 8 + 400) ** 0.5) + 2
    image = write_bits(pixels((side, side), mode="RGBA"), stealth_bits(b"stealth_pngcomp", bomb), "alpha")
    path = tmp_path / "bomb.png"
    image.save(path)
    report = _report(tracker, path)
    assert any(f["code"] == "READ_PROBLEM" for f in report["findings"])


def test_malformed_json_metadata(tracker: Tracker, tmp_path: Path) -> None:
    novelai = {
        "Software": "NovelAI",
        "Source": "NovelAI Diffusion V4.5 4BDE2A90",
        "Comment": '{"prompt": "x", "seed": ',
    }
    report = _report(tracker, write_png(tmp_path / "n.png", novelai))
    assert report["generator"] == "novelai"
    assert any(f["code"] == "METADATA_WARNING" for f in report["findings"])
    comfy = {"prompt": '{"1": {"class_type": "KSampler", "inputs": {"model": ["9", 0]', "workflow": "[[[["}
    report = _report(tracker, write_png(tmp_path / "c.png", comfy, image=pixels(seed=3)))
    assert report is not None  # read, with or without a record, but never a crash


def test_fifty_megabyte_text_chunk(tracker: Tracker, tmp_path: Path) -> None:
    path = write_png(tmp_path / "big.png", {})
    data = path.read_bytes()
    body = b"parameters\0" + b"a" * (50 * 1024 * 1024) + b"\nSteps: 20, Sampler: Euler, Seed: 1"
    chunk = len(body).to_bytes(4, "big") + b"tEXt" + body + zlib.crc32(b"tEXt" + body).to_bytes(4, "big")
    path.write_bytes(data[:33] + chunk + data[33:])
    report = _report(tracker, path)
    assert any("too large" in f["message"] for f in report["findings"])


def test_binary_garbage_in_user_comment(tracker: Tracker, tmp_path: Path) -> None:
    path = write_exif_image(tmp_path / "g.jpg", "placeholder", encoding="ascii")
    import piexif

    exif = piexif.dump({"Exif": {piexif.ExifIFD.UserComment: b"UNICODE\0" + bytes(range(256)) * 40}})
    piexif.insert(exif, str(path))
    report = _report(tracker, path)
    assert report["generator"] is None and report["findings"][0]["code"] == "NO_METADATA"


def test_truncated_and_non_image_files_fail_cleanly(tracker: Tracker, tmp_path: Path) -> None:
    good = write_png(tmp_path / "good.png", {"parameters": FORGE_INFOTEXT})
    cut = tmp_path / "cut.png"
    cut.write_bytes(good.read_bytes()[:200])
    junk = tmp_path / "junk.webp"
    junk.write_bytes(b"RIFF\x00\x00\x00\x00WEBPVP8 garbage")
    result = tracker("inspect", good, cut, junk, "--json", ok=False)
    assert result.exit_code == 1
    reports = json.loads(result.stdout)
    assert reports[0]["generator"] == "forge"
    assert "error" in reports[1] and "error" in reports[2]
    assert len(result.stderr.strip().splitlines()) == 2 and "Traceback" not in result.stderr


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_a_cut_short_picture_whose_metadata_is_whole_is_inspected_but_never_logged(
    tracker: Tracker, tmp_path: Path, fmt: str
) -> None:
    """`inspect` shows what the metadata says and warns that the pixels are damaged; `log` still refuses the
    file, since the archive keeps whole pictures."""
    if fmt == "PNG":
        good = write_png(tmp_path / "good.png", {"parameters": FORGE_INFOTEXT}, image=pixels((640, 480)))
    else:
        good = write_exif_image(tmp_path / "good.jpg", FORGE_INFOTEXT, image=pixels((640, 480)))
    cut = tmp_path / f"cut.{fmt.lower()}"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size * 2 // 3])
    report = _report(tracker, cut)
    assert report["generator"] == "forge" and report["seed"] == 1234567890
    problems = [f["message"] for f in report["findings"] if f["code"] == "READ_PROBLEM"]
    hidden = ", so hidden pixel metadata was not checked" if fmt == "PNG" else ""
    assert len(problems) == 1 and problems[0].startswith("the image is damaged or truncated (image file is truncated")
    assert problems[0].endswith(f"its metadata was read as far as the file goes; its pixels could not be read{hidden}")
    result = tracker(
        "log", cut, "--url", "https://www.pixiv.net/artworks/7001", "--persona", "moth", "--new-persona", ok=False
    )
    assert result.exit_code == 1 and "the image is damaged or truncated" in result.stderr
