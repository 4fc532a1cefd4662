"""The TUI stays usable while another process writes: no "database is locked", new posts on refresh."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
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
    tops: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        posts = app.screen.query_one("#posts", DataTable)
        with (tmp_path / "out").open("wb") as out, (tmp_path / "err").open("wb") as errors:
            writer = subprocess.Popen(command, env=env, stdout=out, stderr=errors)
            try:
                while writer.poll() is None:
                    # The import runs for a moment (50 ms of wall time, however loaded the machine), then
                    # stops wherever it is (perhaps inside a write transaction) while the refresh reads:
                    # overlap on any machine, however quick or slow.
                    writer.send_signal(signal.SIGCONT)
                    time.sleep(0.05)
                    writer.send_signal(signal.SIGSTOP)
                    await pilot.press("r")
                    await app.workers.wait_for_complete()
                    await pilot.pause()
                    tops.append(str(posts.coordinate_to_cell_key((0, 0)).row_key.value))
            finally:
                if writer.poll() is None:
                    writer.send_signal(signal.SIGCONT)
                writer.wait(timeout=300)
        err = (tmp_path / "err").read_text()
        assert writer.returncode == 0, err
        assert "locked" not in err
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert posts.coordinate_to_cell_key((0, 0)).row_key.value == f"post-{POSTS + 1}"
        assert "no unanswered complaints" in str(app.screen.query_one("#banner", Static).render())
    assert app.failures == [], "a refresh failed while the import wrote"
    between = {top for top in tops if top not in ("post-1", f"post-{POSTS + 1}")}
    assert len(between) >= 2, f"no refresh saw the import half-way: {tops}"
    assert len(tracker.json("posts")) == POSTS + 1
