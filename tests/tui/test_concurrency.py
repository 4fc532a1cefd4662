"""The TUI stays usable while another process writes: no "database is locked", new posts on refresh."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures.common import REPO, Tracker
from fixtures.imagefactory import pixels
from textual.widgets import DataTable, Static
from textual.worker import Worker

from tracker.cli import AppContext
from tracker.tui.app import TrackerApp

pytestmark = pytest.mark.db

POSTS = 1000


class RecordingApp(TrackerApp):
    """The app, keeping the message of every worker that failed (the owner sees it as a notification)."""

    failures: list[str] = []

    def report_worker_error(self, worker: Worker[object]) -> str:
        message = super().report_worker_error(worker)
        self.failures = [*self.failures, message]
        return message


@pytest.mark.slow
async def test_dashboard_refreshes_while_another_process_logs_1000_posts(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    for i in range(POSTS):
        pixels((24, 16), seed=50_000 + i).save(folder / f"{900_000_000 + i}.png")
    first = tmp_path / "first.png"
    pixels((24, 16), seed=1).save(first)
    tracker("log", first, "--url", "https://www.pixiv.net/artworks/1", "--persona", "moth")

    app = RecordingApp(AppContext(db=None, data_dir=None))
    env = {k: v for k, v in os.environ.items() if k != "TRACKER_PERSONA"}  # TRACKER_DB: PostgreSQL runs
    env.update(TRACKER_DATA_DIR=str(isolated_env), PYTHONPATH=str(REPO))
    command = [sys.executable, "-m", "tracker.cli", "import", str(folder), "--persona", "moth"]
    command += ["--url-template", "https://www.pixiv.net/artworks/{stem}", "--json"]
    async with app.run_test(size=(120, 40)) as pilot:
        writer = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        refreshes = 0
        while writer.poll() is None:
            await pilot.press("r")  # each refresh reads (in a worker) while the import writes
            await app.workers.wait_for_complete()
            refreshes += 1
            await pilot.pause(0.05)
        out, err = writer.communicate()
        assert writer.returncode == 0, err.decode()
        assert "locked" not in err.decode()
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        posts = app.screen.query_one("#posts", DataTable)
        assert posts.coordinate_to_cell_key((0, 0)).row_key.value == f"post-{POSTS + 1}"
        assert "no unanswered complaints" in str(app.screen.query_one("#banner", Static).render())
    assert app.failures == [], "a refresh failed while the import wrote"
    assert refreshes > 3, "the import was too quick to overlap with the screen"
    assert len(tracker.json("posts")) == POSTS + 1
