"""The input file a generator wrote down (a ComfyUI LoadImage's name) is shown until the owner records the input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import write_png

pytestmark = pytest.mark.db

URL = "https://www.pixiv.net/artworks/91"


def _node(class_type: str, **inputs: Any) -> dict[str, Any]:
    return {"class_type": class_type, "inputs": inputs}


def _img2img_graph() -> dict[str, Any]:
    return {
        "4": _node("CheckpointLoaderSimple", ckpt_name="base_v1.safetensors"),
        "6": _node("CLIPTextEncode", text="a red fox in snow", clip=["4", 1]),
        "7": _node("CLIPTextEncode", text="lowres", clip=["4", 1]),
        "10": _node("LoadImage", image="someone_else.png", upload="image"),
        "12": _node("VAEEncode", pixels=["10", 0], vae=["4", 2]),
        "3": _node(
            "KSampler",
            seed=42,
            steps=20,
            cfg=7.0,
            sampler_name="euler",
            scheduler="normal",
            denoise=0.6,
            model=["4", 0],
            positive=["6", 0],
            negative=["7", 0],
            latent_image=["12", 0],
        ),  # fmt: skip
        "8": _node("VAEDecode", samples=["3", 0], vae=["4", 2]),
        "9": _node("SaveImage", filename_prefix="ComfyUI", images=["8", 0]),
    }


def test_the_file_the_metadata_names_is_shown_beside_not_recorded(tracker: Tracker, tmp_path: Path) -> None:
    image = write_png(tmp_path / "fox.png", {"prompt": json.dumps(_img2img_graph())})
    tracker("log", image, "--url", URL, "--persona", "moth")
    shown = " ".join(tracker("show", "1").stdout.split())
    assert "NOT RECORDED (tracker input add); the metadata names someone_else.png" in shown
    listed = tracker("inputs", "1").stdout
    assert "the metadata names its input: someone_else.png" in listed
    assert tracker.json("inputs", "1", "--json")["techniques"][0]["named_in_metadata"] == ["someone_else.png"]


def test_the_tui_facts_show_the_file_the_metadata_names(tracker: Tracker, tmp_path: Path) -> None:
    from tracker.cli.context import AppContext
    from tracker.complaints.triage import post_facts
    from tracker.tui.widgets.facts import generation_text

    image = write_png(tmp_path / "fox.png", {"prompt": json.dumps(_img2img_graph())})
    tracker("log", image, "--url", URL, "--persona", "moth")
    app = AppContext(db=None, data_dir=None)
    with app.sessions()() as session:
        facts = post_facts(session, 1, app.report_context(session), app.settings)
    text = generation_text(facts).plain
    assert "not recorded (tracker input add); the metadata names someone_else.png" in text
