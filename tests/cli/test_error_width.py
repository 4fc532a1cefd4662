"""A `tracker: error:` line wider than the terminal stderr prints to (80 columns over SSH) is folded at spaces: its
first line says what went wrong in whole clauses, and what the owner needs is never cut at the edge: a command to
run next stays on one line, a path is never broken by a line end (the terminal wraps it, so copied from the
screen it is still the path). Into a pipe or a file an error stays one line, as the README promises. Every other
folded line (`output.hanging`: `complaint show` at 80 columns) keeps a command to run on one line too."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing

pty = pytest.importorskip("pty")


def on_terminal(*args: str, columns: int = 80) -> list[str]:
    """What `tracker ARGS` prints on stderr when stderr is a terminal `columns` wide (stdout a pipe)."""
    master, slave = pty.openpty()
    env = {**os.environ, "COLUMNS": str(columns)}
    command = [sys.executable, "-m", "tracker", *args]
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=slave, env=env, timeout=120, check=False)
    os.close(slave)
    said = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal's other end is closed: all is read
            break
        if not chunk:
            break
        said += chunk
    os.close(master)
    assert done.returncode != 0
    return said.decode().replace("\r\n", "\n").splitlines()


@pytest.mark.db
def test_an_error_on_an_80_column_terminal_keeps_the_command_to_run_whole(tracker: Tracker, tmp_path: Path) -> None:
    drawing(0).save(tmp_path / "scene.png")
    tracker("log", tmp_path / "scene.png", "--url", "https://www.pixiv.net/artworks/300000001", "--persona", "moth")
    tracker("complaint", "add", "--post", "1", "--name", "A. Painter")
    lines = on_terminal("complaint", "reply", "1")
    assert lines[0] == "tracker: error: complaint #1 has no decision yet: nothing to reply;", lines
    assert all(len(line) <= 80 for line in lines), lines
    assert any(line.endswith("tracker complaint decide 1 --action ...") for line in lines), lines
    piped = tracker("complaint", "reply", "1", ok=False).stderr.splitlines()
    assert piped == [" ".join(line.strip() for line in lines)], "into a pipe: the same words, on one line"


def test_a_path_wider_than_the_terminal_is_not_broken(tmp_path: Path) -> None:
    missing = tmp_path / ("a-folder-with-a-long-name-" * 3) / "their-picture.png"
    lines = on_terminal("inspect", str(missing))
    assert any(str(missing) in line for line in lines), lines


def test_a_long_usage_error_folds_under_itself_at_spaces() -> None:
    lines = on_terminal("purge", "mark", "moth", "some key", columns=40)
    assert lines[0].startswith("tracker: error: ") and len(lines) > 1, lines
    assert all(len(line) <= 40 and line.startswith(("tracker: error: ", "  ")) for line in lines), lines
    assert any(line.strip() == "tracker purge mark --help)" for line in lines), lines


def test_into_a_pipe_an_error_stays_one_line() -> None:
    env = {**os.environ, "COLUMNS": "40"}
    done = subprocess.run(
        [sys.executable, "-m", "tracker", "purge", "mark", "moth", "some key"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert len(done.stderr.splitlines()) == 1 and done.stderr.startswith("tracker: error: "), done.stderr


def test_a_path_inside_a_message_stands_whole_on_a_line_of_its_own() -> None:
    from tracker.cli.output import stderr_lines

    path = "/home/moth/.local/share/tracker/archive/3d/" + "3d94928253" * 7 + ".png"
    lines = stderr_lines("tracker: error: ", f"cannot write the copy: {path} is read-only; give another folder", 80)
    assert lines[0] == "tracker: error: cannot write the copy:", lines
    assert f"  {path}" in lines, "whole, for the terminal to wrap: copied from the screen it is still the path"
    assert lines[-1] == "  is read-only; give another folder", lines


@pytest.mark.db
def test_complaint_show_at_80_columns_keeps_the_command_to_run_on_one_line(
    tracker: Tracker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawing(0).save(tmp_path / "scene.png")
    tracker("log", tmp_path / "scene.png", "--url", "https://www.pixiv.net/artworks/300000001", "--persona", "moth")
    tracker("complaint", "add", "--post", "1", "--name", "A. Painter")
    tracker("complaint", "decide", "1", "--action", "take_down")
    tracker("complaint", "reply", "1", "--answered")
    monkeypatch.setenv("COLUMNS", "80")
    lines = tracker("complaint", "show", "1").stdout.splitlines()
    at = next(n for n, line in enumerate(lines) if line.startswith("  to remove  promised in the sent reply"))
    assert lines[at + 1].strip() == "tracker complaint confirm 1)", lines[at : at + 2]
    assert all(len(line) <= 80 for line in lines), lines


@pytest.mark.db
def test_complaint_show_at_80_columns_keeps_an_option_with_its_value(
    tracker: Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`or --no-element right`, said after the whole command, is typed as it is read: `--no-element` at the end of
    one line and `right` alone under it read as two things."""
    tracker("complaint", "add", "--name", "A. Painter", "--basis", "jp", "--message", "Please remove it.")
    monkeypatch.setenv("COLUMNS", "80")
    lines = tracker("complaint", "show", "1").stdout.splitlines()
    at = next(n for n, line in enumerate(lines) if "tracker complaint set 1 --element right" in line)
    assert lines[at + 1].strip() == "--no-element right", lines[at : at + 2]
    assert all(len(line) <= 80 for line in lines), lines
