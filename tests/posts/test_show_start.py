"""`tracker show` starts at once: on a SQLite file at this revision it reads without SQLAlchemy, and
through the engine (any other database) it prints the same bytes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import FORGE_INFOTEXT, write_novelai_png, write_png

PIXIV = "https://www.pixiv.net/artworks/100000001"


@pytest.fixture
def archive(tracker: Tracker, tmp_path: Path) -> None:
    """Two posts: a Forge image (LoRAs, ControlNet, an input recorded) and a NovelAI one that a complaint
    names, decided on and marked taken down, then corrected."""
    forge = write_png(tmp_path / "夜の庭.png", {"parameters": FORGE_INFOTEXT})
    tracker("log", forge, "--url", PIXIV, "--persona", "moth", "--title", "夜の庭", "--posted-at", "2026-10-01")
    tracker("input", "add", "1", write_novelai_png(tmp_path / "sketch.png"), "--kind", "own_asset")
    nai = write_novelai_png(tmp_path / "nai.png")
    tracker("log", nai, "--url", "https://bsky.app/profile/moth.bsky.social/post/3kabc")
    tracker("complaint", "add", "--post", "2", "--image", nai, "--basis", "dmca", "--name", "Ann",
            "--received", "2026-11-05")  # fmt: skip
    tracker("complaint", "decide", "1", "--action", "take_down", "--notes", "private")
    tracker("complaint", "confirm", "1")
    tracker("post", "set", "2", "--title", "corrected")


SHOWN = (["show", "1"], ["show", "--json", "1"], ["show", PIXIV], ["show", "2"], ["show", "--json", "#2"])


@pytest.mark.slow
def test_show_starts_without_sqlalchemy(archive: None, tracker: Tracker) -> None:
    """The quarter of a second SQLAlchemy takes to load is not spent, and the bytes and exit code are the same."""
    if os.environ.get("TRACKER_DB"):
        pytest.skip("the quick path is for SQLite files; PostgreSQL opens through the engine")
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}  # into a pipe, as the runner prints: unfolded
    for command in [*SHOWN, ["show", "9"]]:
        expected = tracker(*command, ok=False)
        run = [sys.executable, "-X", "importtime", "-m", "tracker", *command]
        done = subprocess.run(run, capture_output=True, env=env)
        assert (done.returncode, done.stdout) == (expected.exit_code, expected.stdout_bytes), command
        loaded = done.stderr.decode()
        assert "tracker.posts.record" in loaded and "sqlalchemy" not in loaded, command


@pytest.mark.db
def test_show_through_the_engine_prints_what_the_quick_path_prints(
    archive: None, tracker: Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Any database but a SQLite file at this revision is read through the engine: the same text and JSON."""
    from tracker.cli.context import AppContext

    quick = [tracker(*command).stdout for command in SHOWN]
    monkeypatch.setattr(AppContext, "quick_reader", lambda self: None)
    assert [tracker(*command).stdout for command in SHOWN] == quick
    shown = tracker.json("show", "2")
    assert shown["title"] == "corrected" and [c["id"] for c in shown["complaints"]] == [1]
    assert any(event["complaint"] == 1 for event in shown["events"])
    assert tracker.json("show", "1")["provenance"]["inputs"][0]["inputs"][0]["kind"] == "own_asset"
