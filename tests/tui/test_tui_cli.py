"""`tracker tui` and `tracker demo` build the app and run it; the archive is opened (and the demo
seeded) by the app's first worker, after the first screen is up."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from fixtures.common import Tracker
from fixtures.tui import settled
from textual.widgets import Static

import tracker.cli.tui as tui_module
from tracker.tui.app import TrackerApp
from tracker.tui.screens.dashboard import DashboardScreen


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """A terminal, and `App.run` replaced by a headless run that waits for the data; what it saw."""
    seen: dict[str, Any] = {}
    monkeypatch.setattr(tui_module, "_has_terminal", lambda: True)

    def run(app: TrackerApp) -> None:
        folder = app.settings.data_dir
        seen["files at start"] = sorted(p.name for p in folder.iterdir()) if folder.exists() else []
        seen["ready at start"] = app.is_ready
        seen["show_images"] = app.show_images

        async def headless() -> None:
            async with app.run_test(size=(100, 30)) as pilot:
                await settled(pilot)
                assert isinstance(app.screen, DashboardScreen)
                seen["banner"] = str(app.screen.query_one("#banner", Static).render())
                seen["db_url"] = app.settings.db_url

        asyncio.run(headless())

    monkeypatch.setattr(TrackerApp, "run", run)
    return seen


def test_tui_refuses_without_a_terminal(tracker: Tracker) -> None:
    result = tracker("tui", ok=False)
    assert result.exit_code == 2
    assert "`tracker tui` needs a terminal; use `tracker status`" in result.stderr


def test_tui_opens_the_archive_in_a_worker(tracker: Tracker, terminal: dict[str, Any], tmp_path: Path) -> None:
    drawing = tmp_path / "a.png"
    from fixtures.drawings import drawing as draw

    draw(1).save(drawing)
    tracker("log", drawing, "--url", "https://www.pixiv.net/artworks/300000001", "--persona", "moth")
    tracker("tui", "--no-images")
    assert terminal["ready at start"] is False and terminal["show_images"] is False
    assert terminal["banner"] == "no unanswered complaints"


def test_demo_seeds_after_the_first_screen_and_cleans_up(
    tracker: Tracker, terminal: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user_db = tmp_path / "users-own.db"
    monkeypatch.setenv("TRACKER_DB", str(user_db))  # the demo must never open the user's archive
    made: list[Path] = []
    real_mkdtemp = tui_module.tempfile.mkdtemp

    def mkdtemp(*args: Any, **kwargs: Any) -> str:
        if kwargs.get("prefix") != "tracker-demo-":  # not the demo folder (the seeding's own scratch)
            return real_mkdtemp(*args, **kwargs)
        made.append(Path(real_mkdtemp(dir=tmp_path, **kwargs)))
        return str(made[-1])

    monkeypatch.setattr(tui_module.tempfile, "mkdtemp", mkdtemp)
    result = tracker("demo", "--no-images")
    [folder] = made
    assert terminal["files at start"] == [] and terminal["ready at start"] is False
    assert "complaint OVERDUE" in terminal["banner"]
    assert str(folder) in terminal["db_url"] and not user_db.exists()
    assert result.stdout.strip() == (
        f"Demo archive in {folder}: 2 personas, 8 posts, complaint #1 overdue and #2 open."
    )
    assert not folder.exists(), "the throwaway folder is removed on exit"


def test_demo_keep_keeps_the_folder(tracker: Tracker, terminal: dict[str, Any], tmp_path: Path) -> None:
    kept = tmp_path / "kept"
    result = tracker("demo", "--keep", kept, "--no-images")
    assert terminal["files at start"] == []
    assert (kept / "tracker.db").is_file() and f"Demo archive in {kept}" in result.stdout
