"""Numbers no generator could have used are kept out of the record, with a warning, not printed as read.

`Steps: 999999999999999999999999999999`, `CFG scale: 1e308`, `Size: 99999999999x99999999999`, a
NovelAI `"steps": 1e308`: `inspect`, `log` and `posts --json` show no such setting (and say why);
a real 64-bit seed is kept. Also: a control character inside a quoted `Lora hashes` value keeps
the hash (it used to lose it and report a false HASH_MISSING).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import NOVELAI_V3_COMMENT, pixels, write_novelai_png, write_png

pytestmark = pytest.mark.db

LONG_DIGITS = re.compile(r"\d{25}")


def infotext(settings: str, prompt: str = "a cat") -> str:
    return (
        f"{prompt}\nNegative prompt: lowres\n{settings}, Sampler: Euler a, "
        "Model hash: 45a21ea00a, Model: someModel_v1, Version: v1.10.1"
    )


def inspect(tracker: Tracker, image: Path) -> tuple[dict[str, Any], str]:
    report = tracker.json("inspect", image)[0]
    text = tracker("inspect", image).stdout
    return report, text


def warnings(report: dict[str, Any]) -> list[str]:
    return [f["message"] for f in report["findings"] if f["code"] == "METADATA_WARNING"]


def test_absurd_a1111_settings_are_left_out_with_a_warning(tracker: Tracker, tmp_path: Path) -> None:
    text = infotext("Steps: 999999999999999999999999999999, CFG scale: 1e308, Seed: 7, Size: 99999999999x99999999999")
    image = write_png(tmp_path / "absurd.png", {"parameters": text})
    report, shown = inspect(tracker, image)
    assert (report["steps"], report["cfg"], report["width"], report["height"]) == (None, None, None, None)
    assert report["seed"] == 7
    assert warnings(report) == [
        "steps 9.99e+29 is out of range (1 to 10,000); ignored",
        "cfg 1e+308 is out of range (-100.0 to 100.0); ignored",
        "width 99999999999 is out of range (1 to 65,536); ignored",
        "height 99999999999 is out of range (1 to 65,536); ignored",
    ]
    settings = [line for line in shown.splitlines() if line.lstrip().startswith("settings")]
    assert settings == ["  settings   seed 7, sampler Euler a"]
    assert not LONG_DIGITS.search(shown)


def test_absurd_novelai_steps_are_not_printed_and_not_stored(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    comment = {**NOVELAI_V3_COMMENT, "steps": 1e308}
    image = write_novelai_png(tmp_path / "nai.png", comment)
    assert '"steps": 1e+308' in json.dumps(comment)
    report, shown = inspect(tracker, image)
    assert report["steps"] is None and report["seed"] == NOVELAI_V3_COMMENT["seed"]
    assert "steps 1.00e+308 is out of range (1 to 10,000); ignored" in warnings(report)
    assert not LONG_DIGITS.search(shown)

    logged = tracker("log", image, "--url", "https://www.pixiv.net/artworks/5", "--persona", "moth").stdout
    assert not LONG_DIGITS.search(logged)
    post = tracker.json("posts")[0]
    assert post["image"]["steps"] is None
    assert not LONG_DIGITS.search(json.dumps(post))
    assert not LONG_DIGITS.search(tracker("show", "1").stdout)


def test_a_64_bit_seed_is_kept_and_a_longer_one_is_not(tracker: Tracker, tmp_path: Path) -> None:
    kept = write_png(tmp_path / "kept.png", {"parameters": infotext(f"Steps: 30, CFG scale: 7, Seed: {2**64 - 1}")})
    report, _ = inspect(tracker, kept)
    assert report["seed"] == 2**64 - 1 and report["steps"] == 30 and warnings(report) == []
    nai = write_novelai_png(tmp_path / "nai.png", {**NOVELAI_V3_COMMENT, "seed": 2**64 - 1})
    assert inspect(tracker, nai)[0]["seed"] == 2**64 - 1

    dropped = write_png(
        tmp_path / "dropped.png",
        {"parameters": infotext("Steps: 30, CFG scale: 7, Seed: 99999999999999999999999")},
        image=pixels(seed=3),
    )
    report, shown = inspect(tracker, dropped)
    assert report["seed"] is None and report["steps"] == 30
    assert any(w.startswith("seed 99999999999999999999999 is out of range") for w in warnings(report))


def test_a_control_character_in_lora_hashes_keeps_the_hash(tracker: Tracker, tmp_path: Path) -> None:
    text = infotext(
        'Steps: 20, CFG scale: 7, Seed: 1, Lora hashes: "a\x1bb: 0123456789ab"', prompt="a cat <lora:a\x1bb:0.7>"
    )
    image = write_png(tmp_path / "lora.png", {"parameters": text})
    report, _ = inspect(tracker, image)
    assert [(lora["name"], lora["hash"]) for lora in report["loras"]] == [("a\x1bb", "0123456789ab")]
    assert "HASH_MISSING" not in {f["code"] for f in report["findings"]}


def test_every_generators_record_is_bounded(tmp_path: Path) -> None:
    """Not only A1111 and NovelAI: a ComfyUI graph's KSampler with 10**30 steps is kept out of the record too."""
    from tracker.metadata.reader import read_image

    prompt = {
        "3": {
            "class_type": "KSampler",
            "inputs": {"seed": 7, "steps": 10**30, "cfg": 7.0, "sampler_name": "euler", "scheduler": "normal",
                       "denoise": 1.0, "model": ["4", 0], "positive": ["6", 0], "negative": ["7", 0],
                       "latent_image": ["5", 0]},
        },
        "4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "sdxl.safetensors"}},
        "5": {"class_type": "EmptyLatentImage", "inputs": {"width": 64, "height": 48, "batch_size": 1}},
        "6": {"class_type": "CLIPTextEncode", "inputs": {"text": "a moth", "clip": ["4", 1]}},
        "7": {"class_type": "CLIPTextEncode", "inputs": {"text": "", "clip": ["4", 1]}},
    }  # fmt: skip
    path = write_png(tmp_path / "comfy.png", {"prompt": json.dumps(prompt)})
    info = read_image(path).info
    assert info is not None and info.seed == 7
    assert info.steps is None and any("steps" in w and "out of range" in w for w in info.warnings)
