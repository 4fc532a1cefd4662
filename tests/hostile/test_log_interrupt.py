"""A Ctrl+C that lands just after a writing command committed (before the code that committed hears back) must not
undo the archive files its committed rows name: that left a post whose image is MISSING, and every later backup
refused ("the database names an archived file missing"). Before the commit the files go, as before."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing
from sqlalchemy.orm import Session

pytestmark = [pytest.mark.sqlite_only]


@pytest.fixture
def ctrl_c_after_commit(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Ctrl+C right after the commit of the command named in the list (the list is emptied once it has fired)."""
    armed: list[str] = []
    real = Session.commit

    def commit_then_ctrl_c(self: Session) -> None:
        real(self)
        if self.info.get("command") in armed:
            armed.clear()
            raise KeyboardInterrupt

    monkeypatch.setattr(Session, "commit", commit_then_ctrl_c)
    yield armed


def _archived(data: Path) -> list[Path]:
    return sorted(p for p in (data / "archive").rglob("*") if p.is_file())


def test_ctrl_c_just_after_log_commits_keeps_the_image_its_post_names(
    tracker: Tracker, tmp_path: Path, isolated_env: Path, ctrl_c_after_commit: list[str]
) -> None:
    for n in range(2):
        drawing(n).save(tmp_path / f"p{n}.png")
    tracker("log", tmp_path / "p0.png", "--url", "https://www.pixiv.net/artworks/700000000", "--persona", "moth")
    ctrl_c_after_commit.append("log")
    stopped = tracker("log", tmp_path / "p1.png", "--url", "https://www.pixiv.net/artworks/700000001", ok=False)
    assert stopped.exit_code != 0 and "Traceback" not in stopped.output
    assert len(tracker.json("posts")) == 2  # the commit happened: the new state, whole
    assert len(_archived(isolated_env)) == 2
    assert "MISSING" not in tracker("show", "2").stdout
    tracker("backup", tmp_path / "b.tar")  # names no missing file


def test_ctrl_c_just_after_complaint_add_commits_keeps_its_image(
    tracker: Tracker, tmp_path: Path, isolated_env: Path, ctrl_c_after_commit: list[str]
) -> None:
    drawing(3).save(tmp_path / "theirs.png")
    ctrl_c_after_commit.append("complaint add")
    stopped = tracker("complaint", "add", "--image", tmp_path / "theirs.png", "--name", "K", ok=False)
    assert stopped.exit_code != 0 and "Traceback" not in stopped.output
    assert len(_archived(isolated_env)) == 1
    tracker("backup", tmp_path / "b.tar")
