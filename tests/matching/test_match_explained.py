"""What `tracker match` says about each match: how sure it is.

A score below the reporting floor is "unlikely", never "possible".
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing
from PIL import Image

pytestmark = pytest.mark.db

URL = "https://www.pixiv.net/artworks/300000001"


@pytest.fixture
def tall_post(tracker: Tracker, tmp_path: Path) -> Path:
    """A 2:3 portrait post logged for persona moth (image id 1)."""
    path = tmp_path / "tall.png"
    drawing(7, (400, 600)).save(path)
    tracker("log", path, "--url", URL, "--persona", "moth")
    return path


def test_a_score_below_the_floor_is_unlikely(tracker: Tracker, tall_post: Path, tmp_path: Path) -> None:
    other = tmp_path / "turned.png"
    Image.open(tall_post).convert("RGB").rotate(10, fillcolor=(255, 255, 255)).save(other)
    out = tracker("match", str(other), "--min-score", "0").stdout
    found = re.findall(r"score (\d\.\d\d) \((\w+)\)", out)
    assert found and all(float(s) < 0.5 for s, _ in found), out
    assert {word for _, word in found} == {"unlikely"}, out
