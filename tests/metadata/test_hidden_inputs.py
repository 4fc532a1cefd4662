"""An image input named by the hidden pixel metadata is never hidden by an edit of the visible text.

NovelAI copies its envelope into the pixels; a re-save that keeps the pixels but rewrites the
`Comment` chunk (img2img turned into `PromptGenerateRequest`, `strength` removed) used to read as
"no image-input technique" with no rule at all. The report now lists the inputs found in either
record and names the disagreement (HIDDEN_METADATA_DISAGREES).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fixtures.common import CORPUS, Tracker
from fixtures.imagefactory import FORGE_INFOTEXT, pixels, write_png
from fixtures.stealth_writer import embed_stealth
from PIL import Image

pytestmark = pytest.mark.db

V1_SOURCE = "Stable Diffusion F64BA557"
IMG2IMG = {
    "prompt": "masterpiece, best quality, silvery white",
    "steps": 28,
    "height": 128,
    "width": 128,
    "scale": 10.0,
    "seed": 4091185279,
    "n_samples": 1,
    "sampler": "k_euler_ancestral",
    "controlnet_model": None,
    "strength": 0.7,
    "noise": 0.0,
    "uc": "nsfw, worst quality",
    "request_type": "Img2ImgRequest",
}
TEXT_ONLY = {k: v for k, v in IMG2IMG.items() if k not in ("strength", "noise")} | {
    "request_type": "PromptGenerateRequest"
}


def _envelope(comment: dict[str, Any], source: str = V1_SOURCE) -> dict[str, str]:
    return {
        "Title": "AI generated image",
        "Description": str(comment["prompt"]),
        "Software": "NovelAI",
        "Source": source,
        "Comment": json.dumps(comment),
    }


def _novelai(path: Path, visible: dict[str, Any], hidden: dict[str, Any], source: str = V1_SOURCE) -> Path:
    """A NovelAI PNG whose pixels hide `hidden` while its text chunks say `visible`."""
    image = embed_stealth(pixels((128, 128), mode="RGBA"), _envelope(hidden, source), novelai=True)
    return write_png(path, _envelope(visible, source), image=image)


def _codes(report: dict[str, Any]) -> list[str]:
    return [f["code"] for f in report["findings"]]


def _disagreement(report: dict[str, Any]) -> str:
    [message] = [f["message"] for f in report["findings"] if f["code"] == "HIDDEN_METADATA_DISAGREES"]
    return str(message)


def test_img2img_edited_out_of_the_text_is_still_reported(tracker: Tracker, tmp_path: Path) -> None:
    path = _novelai(tmp_path / "edited.png", TEXT_ONLY, IMG2IMG)
    report = tracker.json("inspect", path)[0]
    assert report["metadata_source"] == "png:text" and report["hidden_metadata"] == "stealth_pngcomp"
    assert [(t["kind"], t["weight"], t["risk_class"]) for t in report["techniques"]] == [("img2img", 0.7, "reproduces")]
    assert "image inputs: none vs hidden img2img" in _disagreement(report)
    assert "INPUT_IMAGE" in _codes(report)

    shown = tracker("inspect", path).stdout
    assert "no image-input technique" not in shown
    assert "(image inputs: none vs hidden img2img)" in shown

    tracker("log", path, "--url", "https://www.pixiv.net/artworks/5", "--persona", "moth")
    stored = tracker("show", "1").stdout
    assert "img2img" in stored and "HIDDEN_METADATA_DISAGREES" in stored
    assert "no image-input technique" not in stored

    both = _novelai(tmp_path / "both.png", IMG2IMG, IMG2IMG)  # written in both: listed once, nothing to flag
    report = tracker.json("inspect", both)[0]
    assert [t["kind"] for t in report["techniques"]] == ["img2img"]
    assert "HIDDEN_METADATA_DISAGREES" not in _codes(report)


def test_an_input_only_the_text_names_is_kept_and_the_disagreement_named(tracker: Tracker, tmp_path: Path) -> None:
    path = _novelai(tmp_path / "added.png", IMG2IMG, TEXT_ONLY)
    report = tracker.json("inspect", path)[0]
    assert [t["kind"] for t in report["techniques"]] == ["img2img"]
    assert "image inputs: img2img vs hidden none" in _disagreement(report)


def test_a_hidden_controlnet_edited_out_of_a1111_text_is_reported(tracker: Tracker, tmp_path: Path) -> None:
    visible = FORGE_INFOTEXT.replace(
        FORGE_INFOTEXT[FORGE_INFOTEXT.index("ControlNet 0") : FORGE_INFOTEXT.index("Version")], ""
    )
    assert "ControlNet" not in visible
    image = embed_stealth(pixels((160, 160), mode="RGBA"), FORGE_INFOTEXT, mode="alpha")
    report = tracker.json("inspect", write_png(tmp_path / "f.png", {"parameters": visible}, image=image))[0]
    assert [(t["kind"], t["module"], t["unit"]) for t in report["techniques"]] == [("controlnet", "canny", 0)]
    assert _disagreement(report).endswith("(image inputs: none vs hidden controlnet)")
    [used] = [r for r in report["other_resources"] if r["role"] == "controlnet unit 0"]
    assert used["name"] == report["techniques"][0]["model"], "its model file is listed, as the text would list it"
    assert "also used  controlnet unit 0: " in tracker("inspect", tmp_path / "f.png").stdout


def test_corpus_img2img_with_its_comment_rewritten(tracker: Tracker, tmp_path: Path) -> None:
    """The reviewer's case: the real NovelAI V1 img2img sample, its pixels kept and its Comment edited."""
    original = CORPUS / "files/LlmKira__novelai-python/playground__image_metadata__sample-0317.png"
    if not original.is_file():
        pytest.skip(f"corpus not found at {CORPUS} (needs ../shared/corpus beside the repository)")
    with Image.open(original) as image:
        image.load()
        chunks = {k: v for k, v in image.info.items() if isinstance(v, str)}
        comment = json.loads(chunks["Comment"])
        comment = {k: v for k, v in comment.items() if k not in ("strength", "noise")}
        chunks["Comment"] = json.dumps({**comment, "request_type": "PromptGenerateRequest"})
        path = write_png(tmp_path / "sample-0317-edited.png", chunks, image=image.copy())
    report = tracker.json("inspect", path)[0]
    assert [(t["kind"], t["weight"]) for t in report["techniques"]] == [("img2img", 0.7)]
    assert "image inputs: none vs hidden img2img" in _disagreement(report)
