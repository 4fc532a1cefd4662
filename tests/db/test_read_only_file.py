"""A database file the owner made read-only (`chmod a-w tracker.db`, in a folder that can be written) stays so.

Commands that only read work, and make no `-wal` or `-shm` beside it; commands that change what is recorded
(and `restore` over it) say in one line that the file is read-only, change nothing, and the file is never made
writable again (it used to be made 0600 by the first command, then written). Root writes any file, so the file is
made read-only twice: its mode and `os.access`, which is what tracker asks (the same was checked by hand as root
without CAP_DAC_OVERRIDE, which SQLite's own writes are refused to).
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing

pytestmark = pytest.mark.sqlite_only

URL = "https://www.pixiv.net/artworks/{}"


def _files(data: Path) -> dict[str, str]:
    """The folder's files and their sha256, but the saved similarity index (a cache `match` writes beside it)."""
    return {
        str(p.relative_to(data)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in data.rglob("*")
        if p.is_file() and ".hashindex" not in p.name
    }


@pytest.fixture
def read_only(tracker: Tracker, isolated_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Two logged posts (a.png is post 1), then the database file made read-only (0444: others may read it)."""
    for number in (1, 2):
        drawing(number).save(tmp_path / f"{'ab'[number - 1]}.png")
        tracker("log", tmp_path / f"{'ab'[number - 1]}.png", "--url", URL.format(number), "--persona", "moth")
    database = isolated_env / "tracker.db"
    real_access = os.access

    def access(path: object, mode: int, **kwargs: object) -> bool:
        if mode & os.W_OK and Path(str(path)).absolute() == database.absolute():
            return False
        return real_access(path, mode, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", access)
    database.chmod(0o444)
    yield database
    database.chmod(0o600)


def test_commands_that_only_read_work_and_leave_it_read_only(read_only: Path, tracker: Tracker, tmp_path: Path) -> None:
    before = _files(read_only.parent)
    assert [post["id"] for post in tracker.json("posts")] == [2, 1]
    assert "no unanswered complaints" in tracker("status").stdout
    assert URL.format(1) in tracker("show", "1").stdout
    assert "identical file" in tracker("match", tmp_path / "a.png").stdout
    assert "Backed up the database and 2 archived files" in tracker("backup", tmp_path / "b.tar").stdout
    assert _files(read_only.parent) == before  # no -shm, no -wal
    assert stat.S_IMODE(read_only.stat().st_mode) == 0o400  # private now, and still read-only


def test_commands_that_write_say_the_file_is_read_only(read_only: Path, tracker: Tracker, tmp_path: Path) -> None:
    tracker("backup", tmp_path / "b.tar")
    before = _files(read_only.parent)
    for command in (
        ("post", "set", "1", "--title", "x"),
        ("log", tmp_path / "a.png", "--url", URL.format(3)),
        ("complaint", "add", "--post", "1", "--name", "Sato", "--message", "please remove it"),
        ("restore", tmp_path / "b.tar", "--force"),
    ):
        refused = tracker(*command, ok=False)
        assert refused.exit_code != 0
        assert refused.stderr == (
            f"tracker: error: the database file {read_only} is read-only: this command changes what is recorded "
            "and cannot run on it (commands that only read, and backup, can); make it writable "
            f"(chmod u+w {read_only}) to change it\n"
        ), command
    assert _files(read_only.parent) == before
    assert not (read_only.stat().st_mode & stat.S_IWUSR)


def test_a_write_sqlite_refuses_as_read_only_says_so_not_busy(
    tracker: Tracker, isolated_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file SQLite may not write though its permissions looked right (a -wal left by another user, after sudo):
    waiting will not help, so the line does not say 'busy, try again'. Made here by SQLite's `query_only`, which
    refuses a write with the same error."""
    from typing import Any

    from sqlalchemy import Engine, event

    from tracker.db import engine as engine_module

    drawing(1).save(tmp_path / "a.png")
    tracker("log", tmp_path / "a.png", "--url", URL.format(1), "--persona", "moth")
    real_setup = engine_module._sqlite_setup

    def setup(engine: Engine, *args: Any, **kwargs: Any) -> None:
        real_setup(engine, *args, **kwargs)

        @event.listens_for(engine, "connect")
        def _refuse_writes(dbapi_connection: Any, connection_record: Any) -> None:
            dbapi_connection.execute("PRAGMA query_only = 1")

    monkeypatch.setattr(engine_module, "_sqlite_setup", setup)
    refused = tracker("post", "set", "1", "--title", "x", ok=False)
    assert refused.exit_code == 1
    assert refused.stderr.startswith("tracker: error: the database cannot be written (attempt to write a readonly")
    assert "this change was not saved" in refused.stderr and "try again" not in refused.stderr
    assert len(refused.stderr.splitlines()) == 1
