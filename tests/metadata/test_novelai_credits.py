"""The credits line of a NovelAI image names the NovelAI model, as the generator line does.

NovelAI's `Source` names only the base its model was built on: a V3 image says "Stable Diffusion
XL C1E1DE52". The owner pastes the credits line into the post text, so it used to credit
"Stable Diffusion XL" while the generator line said "NAI Diffusion V3".
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import NOVELAI_V3_COMMENT, write_novelai_png

pytestmark = pytest.mark.db


def _line(text: str, label: str) -> str:
    [line] = [line.strip() for line in text.splitlines() if line.strip().startswith(label)]
    return line


def test_inspect_log_and_show_credit_the_novelai_model(tracker: Tracker, tmp_path: Path) -> None:
    path = write_novelai_png(tmp_path / "v3.png")
    assert tracker.json("inspect", path)[0]["credits"] == "Model: NAI Diffusion V3"
    shown = tracker("inspect", path).stdout
    assert _line(shown, "generator").startswith("generator  novelai NAI Diffusion V3")
    assert _line(shown, "credits") == "credits    Model: NAI Diffusion V3"

    logged = tracker("log", path, "--url", "https://www.pixiv.net/artworks/5", "--persona", "moth").stdout
    assert _line(logged, "credits") == "credits    Model: NAI Diffusion V3"
    assert _line(tracker("show", "1").stdout, "credits") == "credits    Model: NAI Diffusion V3"


def test_the_v1_anime_model_is_credited_by_its_name(tracker: Tracker, tmp_path: Path) -> None:
    path = write_novelai_png(tmp_path / "v1.png", source="Stable Diffusion 81274D13")
    assert tracker.json("inspect", path)[0]["credits"] == "Model: NAI Diffusion V1 (anime)"


def test_an_unknown_source_id_is_credited_as_novelai(tracker: Tracker, tmp_path: Path) -> None:
    path = write_novelai_png(
        tmp_path / "new.png", {**NOVELAI_V3_COMMENT, "seed": 5}, source="Stable Diffusion XL 0BADF00D"
    )
    assert tracker.json("inspect", path)[0]["credits"] == "Model: NovelAI (Stable Diffusion XL)"
