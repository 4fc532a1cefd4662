"""Artists' names as prompts really spell them: booru tags (`greg_rutkowski`), LoRAs named after an artist
(`<lora:wlop_style:0.8>`), full-width punctuation from a Japanese input method (`artist：ke-ta`) and runs of
spaces. Each is the same breach of "i never use artist names as part of a prompt" as the plain name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import write_png

SETTINGS = "\nSteps: 20, Sampler: Euler, Seed: 1, Model: m, Model hash: 163ac69059"


def _artist_findings(tracker: Tracker, path: Path) -> list[tuple[str, str, str]]:
    [report] = tracker.json("inspect", path)
    return [(f["code"], f["severity"], f["message"]) for f in report["findings"] if "ARTIST" in f["code"]]


def _named(*mentions: str) -> list[tuple[str, str, str]]:
    return [("ARTIST_NAME", "problem", f"artist name in the prompt: {m!r}") for m in mentions]


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        (
            "score_9, 1girl, greg_rutkowski, makoto_shinkai, <lora:wlop_style:0.8>",
            _named("<lora:wlop_style:0.8>", "greg rutkowski", "makoto shinkai"),
        ),
        ("1girl, <lora:greg_rutkowski_v2:1>", _named("<lora:greg_rutkowski_v2:1>")),
        ("1girl, (Makoto_Shinkai:1.2), by_greg_rutkowski", _named("greg rutkowski", "makoto shinkai")),
        ("1girl, artist：ke-ta, solo", _named("artist:ke-ta")),
        ("1girl, greg  rutkowski, night", _named("greg rutkowski")),
        ("1girl, ｇｒｅｇ　ｒｕｔｋｏｗｓｋｉ", _named("greg rutkowski")),
        ("1girl, kim_jung_gi, in the  style  of X", _named("in the style of X", "kim jung gi")),
    ],
)
def test_a_listed_name_is_flagged_however_the_prompt_spells_it(
    tracker: Tracker, tmp_path: Path, prompt: str, expected: list[tuple[str, str, str]]
) -> None:
    path = write_png(tmp_path / "a.png", {"parameters": prompt + SETTINGS})
    assert _artist_findings(tracker, path) == expected


def test_a_comfyui_prompt_with_a_booru_tag_is_flagged(tracker: Tracker, tmp_path: Path) -> None:
    graph = {
        "4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "ponyDiffusionV6XL.safetensors"}},
        "6": {"class_type": "CLIPTextEncode", "inputs": {"text": "a woman, greg_rutkowski", "clip": ["4", 1]}},
        "7": {"class_type": "CLIPTextEncode", "inputs": {"text": "lowres", "clip": ["4", 1]}},
        "5": {"class_type": "EmptyLatentImage", "inputs": {"width": 512, "height": 512, "batch_size": 1}},
        "3": {
            "class_type": "KSampler",
            "inputs": {
                "seed": 1,
                "steps": 20,
                "cfg": 7.0,
                "sampler_name": "euler",
                "scheduler": "normal",
                "denoise": 1.0,
                "model": ["4", 0],
                "positive": ["6", 0],
                "negative": ["7", 0],
                "latent_image": ["5", 0],
            },
        },
        "8": {"class_type": "VAEDecode", "inputs": {"samples": ["3", 0], "vae": ["4", 2]}},
        "9": {"class_type": "SaveImage", "inputs": {"filename_prefix": "ComfyUI", "images": ["8", 0]}},
    }
    path = write_png(tmp_path / "c.png", {"prompt": json.dumps(graph)})
    assert _artist_findings(tracker, path) == _named("greg rutkowski")


def test_only_the_whole_name_is_flagged_not_a_word_holding_it(tracker: Tracker, tmp_path: Path) -> None:
    """`mucha` is no breach inside `muchacha`, nor a LoRA `wlopx_style`, nor `greg, rutkowski` as two tags."""
    noise = "muchacha, greg_rutkowskiesque, loishy hair, greg, rutkowski, <lora:wlopx_style:0.8>, <lora:detail:1>"
    path = write_png(tmp_path / "n.png", {"parameters": f"1girl, {noise}, ross_tran" + SETTINGS})
    assert _artist_findings(tracker, path) == _named("ross tran")


def test_the_owners_own_list_is_read_with_the_same_spellings(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    isolated_env.mkdir(parents=True, exist_ok=True)
    (isolated_env / "artists.txt").write_text("Jane_Painter\n", encoding="utf-8")
    path = write_png(tmp_path / "o.png", {"parameters": "1girl, jane  painter" + SETTINGS})
    assert _artist_findings(tracker, path) == _named("Jane_Painter")
