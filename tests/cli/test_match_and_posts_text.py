"""`tracker match` says how sure a match is in words; it and `tracker posts` fit an 80-column terminal."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing

from tracker.demo import complainant_copy
from tracker.support.textsafe import cell_width

pytestmark = pytest.mark.db


def url(n: int) -> str:
    return f"https://www.pixiv.net/artworks/{120000000 + n}"


@pytest.fixture
def posted(tracker: Tracker, tmp_path: Path) -> list[Path]:
    paths = []
    for n in range(3):
        path = tmp_path / f"scene{n}.png"
        drawing(n).save(path)
        extra = ["--title", "夜の港"] if n == 1 else []
        tracker("log", path, "--url", url(n), "--persona", "Moth Atelier", *extra)
        paths.append(path)
    return paths


def test_match_text_gives_the_confidence_word_json_has(tracker: Tracker, posted: list[Path], tmp_path: Path) -> None:
    theirs = complainant_copy(posted[2], tmp_path / "theirs.jpg")
    found = tracker.json("match", theirs)
    out = tracker("match", theirs).stdout
    assert found and found[0]["confidence"] in ("certain", "high", "possible")
    assert f"score {found[0]['score']:.2f} ({found[0]['confidence']})" in out


def test_match_text_fits_80_columns_and_a_pipe_keeps_each_reason_on_one_line(
    tracker: Tracker, posted: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    theirs = complainant_copy(posted[2], tmp_path / "theirs.jpg")
    monkeypatch.setenv("COLUMNS", "80")
    folded = tracker("match", theirs).stdout.splitlines()
    assert all(cell_width(line) <= 80 for line in folded), folded
    reasons = [i for i, line in enumerate(folded) if line.lstrip().startswith("matched: ")]
    assert reasons and folded[reasons[0] + 1].startswith(" " * 16), "the reasons continue under the first one"
    monkeypatch.delenv("COLUMNS")
    piped = tracker("match", theirs).stdout.splitlines()
    assert len(piped) < len(folded) and " ".join(folded[reasons[0]].split()) in " ".join(piped)


def test_posts_fit_80_columns_with_ids_and_titles(
    tracker: Tracker, posted: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    lines = tracker("posts").stdout.splitlines()
    assert len(lines) == 4, "one line per post, plus the heading"
    assert all(cell_width(line) <= 80 for line in lines), lines
    for n in range(3):
        assert any(str(120000000 + n) in line for line in lines), f"post {n + 1}'s id is cut: {lines}"
    assert "TITLE" in lines[0] and any("夜の港" in line for line in lines)


def test_posts_into_a_pipe_keep_every_column(
    tracker: Tracker, posted: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    out = tracker("posts").stdout
    assert url(0) in out and "GENERATOR" in out and "MODEL" in out and "夜の港" in out
