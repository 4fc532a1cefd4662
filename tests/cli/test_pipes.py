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
