"""A tracker command that writes while `tracker restore --force` runs never loses what it was told was saved.

While the swap holds the old database (from the lock on, copies made, files added, just before the
rename), a second writer is kept out: it waits, then fails with a one-line error once the old file
is replaced, or, started late enough, writes into the restored database. A change it reports as
saved is in the restored database, or in the kept `.old-*` copy and named in restore's warning;
the restored database is never damaged by it. A change made before the lock (the backup already
checked) is in the kept copy and named.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from fixtures.common import REPO, Tracker
from fixtures.imagefactory import pixels

from tracker.support.testhooks import STOP_ENV

pytestmark = [pytest.mark.sqlite_only, pytest.mark.slow]


@dataclass(frozen=True)
class Writer:
    """A writing command, the SQL that tells whether its change is in a database, and how the warning names it."""

    args: tuple[str, ...]
    done: str
    named: str


RENAME = Writer(("persona", "rename", "moth", "mothra"), "select count(*) from persona where name = 'mothra'", "mothra")
DECIDE = Writer(("complaint", "decide", "1", "--action", "take_down"), "select count(*) from decision", "decided")


@pytest.fixture
def data(tmp_path: Path, tracker: Tracker) -> Path:
    """A data folder with two posts and a complaint, and `b.tar` beside it: a backup of it as it is."""
    data = tmp_path / "data"
    for seed in (1, 2):
        image = tmp_path / f"i{seed}.png"
        pixels((48, 40), seed=seed).save(image)
        url = f"https://www.pixiv.net/artworks/{830000000 + seed}"
        tracker("--data-dir", data, "log", image, "--url", url, "--persona", "moth")
    tracker("--data-dir", data, "complaint", "add", "--post", "1", "--name", "K")
    tracker("--data-dir", data, "backup", tmp_path / "b.tar")
    return data


def _env(data: Path, stop_at: str = "") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env.update(TRACKER_DATA_DIR=str(data), PYTHONPATH=str(REPO))
    if stop_at:
        env[STOP_ENV] = stop_at
    return env


def _tracker(data: Path, args: tuple[str, ...], stop_at: str = "") -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "tracker.cli", *args]
    return subprocess.Popen(command, env=_env(data, stop_at), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _state(pid: int) -> bytes:
    with open(f"/proc/{pid}/stat", "rb") as handle:
        stat = handle.read()
    return stat[stat.rfind(b")") + 2 :].split()[0]


def _until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 60
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.01)


def _has_open(pid: int, database: Path) -> bool:
    """Has process `pid` the database file open (the old one, while the restore holds it)?"""
    try:
        links = [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")]
    except OSError:
        return False
    return str(database) in links


def _count(database: Path, sql: str) -> int:
    conn = sqlite3.connect(database)
    try:
        return int(conn.execute(sql).fetchone()[0])
    finally:
        conn.close()


def _integrity(database: Path) -> str:
    conn = sqlite3.connect(database)
    try:
        return str(conn.execute("pragma integrity_check").fetchone()[0])
    finally:
        conn.close()


def _restore_with(
    data: Path, point: str, writer: Writer, until_open: bool
) -> tuple[subprocess.CompletedProcess[str], subprocess.CompletedProcess[str]]:
    """Restore `b.tar`, stopped at `point` while `writer` runs (until it has the old database open, or until it
    ends); the restore's and the writer's exit and output."""
    restore = _tracker(data, ("restore", str(data.parent / "b.tar"), "--force"), stop_at=point)
    try:
        _until(lambda: _state(restore.pid) in (b"T", b"t") or restore.poll() is not None, f"never reached {point}")
        assert restore.poll() is None, restore.communicate()
        second = _tracker(data, writer.args)
        if until_open:
            _until(lambda: second.poll() is not None or _has_open(second.pid, data / "tracker.db"), "writer stuck")
            try:  # time to write, were the database not held
                second.wait(timeout=2)
            except subprocess.TimeoutExpired:
                pass
        else:
            second.wait(timeout=60)
    finally:
        restore.send_signal(signal.SIGCONT)
    out, err = restore.communicate(timeout=60)
    wrote, wrote_err = second.communicate(timeout=60)
    return (
        subprocess.CompletedProcess(restore.args, restore.returncode, out, err),
        subprocess.CompletedProcess(second.args, second.returncode, wrote, wrote_err),
    )


def _assert_nothing_lost(
    tracker: Tracker,
    data: Path,
    writer: Writer,
    restored: subprocess.CompletedProcess[str],
    wrote: subprocess.CompletedProcess[str],
) -> None:
    assert restored.returncode == 0, restored.stderr
    assert "Traceback" not in wrote.stderr, wrote.stderr
    (kept,) = data.glob("tracker.db.old-*")
    assert _integrity(data / "tracker.db") == "ok"
    assert _integrity(kept) == "ok"
    if wrote.returncode != 0:  # refused: a one-line error, the change nowhere
        assert wrote.stderr.count("\n") == 1, wrote.stderr
        assert "database is locked" in wrote.stderr or "replaced (by tracker restore)" in wrote.stderr, wrote.stderr
        assert _count(data / "tracker.db", writer.done) == 0 and _count(kept, writer.done) == 0
    elif _count(data / "tracker.db", writer.done) == 0:  # saved before the swap: kept, and named
        assert _count(kept, writer.done) == 1, "the change the writer reported as saved is lost"
        assert writer.named in restored.stderr, restored.stderr
    tracker("--data-dir", data, "status")
    assert _integrity(data / "tracker.db") == "ok"


@pytest.mark.parametrize("point", ["restore:database-kept", "restore:archive-kept", "restore:before-replace"])
@pytest.mark.parametrize("writer", [RENAME, DECIDE], ids=["rename", "decide"])
def test_a_writer_during_the_swap_is_kept_out(tracker: Tracker, data: Path, point: str, writer: Writer) -> None:
    restored, wrote = _restore_with(data, point, writer, until_open=True)
    _assert_nothing_lost(tracker, data, writer, restored, wrote)


@pytest.mark.parametrize("writer", [RENAME, DECIDE], ids=["rename", "decide"])
def test_a_change_made_after_the_backup_was_checked_is_kept_and_named(
    tracker: Tracker, data: Path, writer: Writer
) -> None:
    restored, wrote = _restore_with(data, "restore:verified", writer, until_open=False)
    assert wrote.returncode == 0, wrote.stderr
    (kept,) = data.glob("tracker.db.old-*")
    assert _count(kept, writer.done) == 1
    assert "made after the backup" in restored.stderr and writer.named in restored.stderr, restored.stderr
    _assert_nothing_lost(tracker, data, writer, restored, wrote)
