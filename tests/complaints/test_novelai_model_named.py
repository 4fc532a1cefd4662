"""A letter names a NovelAI image's model as NovelAI's, not by the `Source` text NovelAI writes.

NovelAI writes its model as `Source: Stable Diffusion XL C1E1DE52`; a complainant reading "model Stable Diffusion
XL" in a letter takes it for the open base model. The letter names the model family NovelAI's id stands for (and
an unknown id as NovelAI's all the same), with the id that the image's metadata shows.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import NOVELAI_V3_COMMENT, write_novelai_png

pytestmark = pytest.mark.db

PIXIV = "https://www.pixiv.net/artworks/9302"
TEXT_ONLY = {k: v for k, v in NOVELAI_V3_COMMENT.items() if not k.startswith("reference_")}


def _take_down_letter(tracker: Tracker, tmp_path: Path, source: str, lang: str) -> str:
    tracker("log", write_novelai_png(tmp_path / "nai.png", TEXT_ONLY, source), "--url", PIXIV, "--persona", "moth")
    number = str(
        tracker.json(
            "complaint", "add", "--post", PIXIV, "--basis", "none", "--lang", lang, "--name", "Kai",
            "--message", "Your picture copies my drawing. Please remove it.",
        )["id"]
    )  # fmt: skip
    tracker("complaint", "decide", number, "--action", "take_down")
    return str(tracker.json("complaint", "reply", number)["text"])


@pytest.mark.parametrize(
    ("lang", "listed"),
    [("en", "model NovelAI NAI Diffusion V3 (c1e1de52)"), ("ja", "モデル NovelAI NAI Diffusion V3（c1e1de52）")],
)
def test_a_novelai_model_is_named_as_novelai_s(tracker: Tracker, tmp_path: Path, lang: str, listed: str) -> None:
    text = _take_down_letter(tracker, tmp_path, "Stable Diffusion XL C1E1DE52", lang)
    assert listed in text
    assert "Stable Diffusion XL" not in text


def test_an_unknown_novelai_model_is_still_novelai_s(tracker: Tracker, tmp_path: Path) -> None:
    text = _take_down_letter(tracker, tmp_path, "Stable Diffusion XL 0A1B2C3D", "en")
    assert "model NovelAI Stable Diffusion XL (0a1b2c3d)" in text
