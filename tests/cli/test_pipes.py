"""Output piped into a reader that stops early (`| head -1`) is a success, not an error."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import write_png

pytestmark = pytest.mark.db

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("command", [["show", "1"], ["posts"], ["complaint", "list"]])
def test_a_reader_that_stops_early_leaves_exit_0_and_nothing_on_stderr(
    tracker: Tracker, tmp_path: Path, command: list[str]
) -> None:
    tracker("log", write_png(tmp_path / "a.png", {}), "--url", "https://www.pixiv.net/artworks/71", "--persona", "m")
    tracker("complaint", "add", "--post", "1", "--basis", "dmca", "--name", "Jane")
    cli = shlex.join([sys.executable, "-m", "tracker", *command])
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    # `true` reads nothing and is gone before Python has started: the first write meets a closed pipe.
    done = subprocess.run(
        ["bash", "-c", f"{cli} | true; exit ${{PIPESTATUS[0]}}"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0 and done.stderr == "", done.stderr


def _closed_pipe() -> int:
    """A pipe whose reader has gone: the first write meets EPIPE, whatever the timing."""
    read, write = os.pipe()
    os.close(read)
    return write


def test_status_cut_off_by_its_reader_still_says_overdue(tracker: Tracker, tmp_path: Path) -> None:
    """`tracker status | head -1` in a login script or cron: the exit code (1, overdue) is the answer, and the reader
    stopping early must not turn it into 0."""
    tracker("log", write_png(tmp_path / "a.png", {}), "--url", "https://www.pixiv.net/artworks/71", "--persona", "m")
    tracker("complaint", "add", "--post", "1", "--name", "Jane", "--received", "2026-01-02", "--deadline", "2026-01-09")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    write = _closed_pipe()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "tracker", "status"], env=env, stdout=write, stderr=subprocess.PIPE
        )
    finally:
        os.close(write)
    assert (done.returncode, done.stderr) == (1, b"")


def test_a_terminal_that_is_not_utf8_gets_escapes_not_an_internal_error(tracker: Tracker, tmp_path: Path) -> None:
    """A Latin-1 locale passed over SSH: Japanese text is written as `\\u6708` escapes, the command succeeds, and
    `--json` is still JSON holding the real text."""
    png = write_png(tmp_path / "a.png", {})
    tracker("log", png, "--url", "https://www.pixiv.net/artworks/72", "--persona", "月影", "--new-persona")
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONIOENCODING": "latin-1"}
    for flag in ([], ["--json"]):
        done = subprocess.run([sys.executable, "-m", "tracker", "posts", *flag], env=env, capture_output=True)
        assert (done.returncode, done.stderr) == (0, b""), done.stderr
        assert b"\\u6708\\u5f71" in done.stdout
    import json

    assert json.loads(done.stdout)[0]["persona"] == "月影"


def test_a_dumb_terminal_gets_no_colour_and_no_full_screen_app(
    tracker: Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tracker.cli import output, tui

    monkeypatch.setenv("TERM", "dumb")
    assert output.alarmed("#4  OVERDUE since 2026-12-01") == "#4  OVERDUE since 2026-12-01"
    monkeypatch.setattr(tui, "_has_terminal", lambda: True)
    refused = tracker("tui", ok=False)
    assert refused.exit_code != 0 and "TERM is dumb" in refused.stderr
