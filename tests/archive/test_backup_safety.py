"""`tracker backup` and `tracker restore` never lose data quietly: missing or damaged files, a damaged
database, a backup that cannot be written, a damaged archived copy that the original repairs."""

from __future__ import annotations

import errno
import io
import json
import os
import shutil
import sqlite3
import stat
import tarfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

import pytest
from click.testing import Result
from fixtures.common import Tracker
from fixtures.drawings import drawing

import tracker.archive.backup as backup_module


def _log_two(tracker: Tracker, tmp_path: Path) -> list[Path]:
    originals = []
    for n in range(2):
        path = tmp_path / f"p{n}.png"
        drawing(n).save(path)
        tracker("log", path, "--url", f"https://www.pixiv.net/artworks/{700000000 + n}", "--persona", "moth")
        originals.append(path)
    return originals


def _archived(data: Path) -> list[Path]:
    return sorted(p for p in (data / "archive").rglob("*.png"))


def _one_line_error(result: Result, *fragments: str) -> None:
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output, result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, (fragment, result.stderr)


def _no_backup_left(folder: Path) -> None:
    assert not [p for p in folder.iterdir() if p.name.endswith(".tar") or ".tar." in p.name], list(folder.iterdir())


def test_backup_refuses_when_a_file_the_database_names_is_missing(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    _log_two(tracker, tmp_path)
    gone = _archived(isolated_env)[0]
    gone.unlink()
    out = tmp_path / "out"
    out.mkdir()
    refused = tracker("backup", out / "b.tar", ok=False)
    _one_line_error(refused, gone.name, "missing", "--allow-missing")
    _no_backup_left(out)

    accepted = tracker("backup", out / "b.tar", "--allow-missing")
    assert "1 archived file " in accepted.stdout
    assert "warning" in accepted.stderr and gone.name in accepted.stderr


def _without(backup: Path, rel: str, target: Path) -> Path:
    """A copy of a backup that lacks one archived file (as one made with --allow-missing, or by an older
    tracker that left missing files out silently)."""
    with tarfile.open(backup) as tar:
        members = {m.name: (tar.extractfile(m) or io.BytesIO()).read() for m in tar if m.isfile()}
    manifest = json.loads(members.pop("manifest.json"))
    del manifest["archive"][rel]
    del members[f"archive/{rel}"]
    with tarfile.open(target, "w") as tar:
        for name, content in {"manifest.json": json.dumps(manifest).encode(), **members}.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    return target


def test_restore_keeps_a_live_file_the_restored_database_names_and_the_backup_lacks(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    _log_two(tracker, tmp_path)
    kept = _archived(isolated_env)[0]
    content = kept.read_bytes()
    tracker("backup", tmp_path / "full.tar")
    lacking = _without(tmp_path / "full.tar", kept.relative_to(isolated_env / "archive").as_posix(), tmp_path / "b.tar")

    restored = tracker("restore", lacking, "--force")
    assert kept.read_bytes() == content, "the restore removed a file the restored database names"
    assert "1 archived file the backup lacked" in restored.stdout
    assert len(tracker.json("posts")) == 2
    tracker("backup", tmp_path / "again.tar")  # nothing is missing


def test_backup_refuses_a_database_that_fails_the_integrity_check(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    _log_two(tracker, tmp_path)
    database = isolated_env / "tracker.db"
    assert database.stat().st_size >= 40960 + 4096
    with open(database, "r+b") as handle:
        handle.seek(40960)
        handle.write(b"\xff" * 4096)
    out = tmp_path / "out"
    out.mkdir()
    refused = tracker("backup", out / "b.tar", ok=False)
    _one_line_error(refused, "integrity check")
    _no_backup_left(out)


def test_logging_the_original_again_repairs_a_damaged_archived_copy(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    originals = _log_two(tracker, tmp_path)
    damaged = next(p for p in _archived(isolated_env) if p.read_bytes() == originals[0].read_bytes())
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))

    refused = tracker("backup", tmp_path / "b.tar", ok=False)
    _one_line_error(refused, "damaged on disk", "log or import the original file again")
    assert "remove it" not in refused.stderr

    tracker("log", originals[0], "--url", "https://www.pixiv.net/artworks/700000009", "--persona", "moth")
    assert damaged.read_bytes() == originals[0].read_bytes()
    assert stat.S_IMODE(damaged.stat().st_mode) == 0o600
    assert not list(damaged.parent.glob(".incoming-*"))
    tracker("backup", tmp_path / "b.tar")


def _import_again(tracker: Tracker, tmp_path: Path, original: Path) -> None:
    """`tracker import` of a folder holding only this original (an import run again)."""
    folder = tmp_path / "again"
    folder.mkdir()
    shutil.copy(original, folder / original.name)
    tracker("import", folder, "--persona", "moth")


def test_importing_the_original_again_repairs_a_damaged_archived_copy(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    originals = _log_two(tracker, tmp_path)
    damaged = next(p for p in _archived(isolated_env) if p.read_bytes() == originals[1].read_bytes())
    data = bytearray(damaged.read_bytes())
    data[-10] ^= 0x01
    damaged.write_bytes(bytes(data))
    _import_again(tracker, tmp_path, originals[1])
    assert damaged.read_bytes() == originals[1].read_bytes()
    tracker("backup", tmp_path / "b.tar")


def test_importing_the_original_again_puts_back_a_missing_archived_copy(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    """As `backup`'s error says: a copy deleted from the archive comes back when its original is imported again."""
    originals = _log_two(tracker, tmp_path)
    lost = next(p for p in _archived(isolated_env) if p.read_bytes() == originals[1].read_bytes())
    lost.unlink()
    refused = tracker("backup", tmp_path / "a.tar", ok=False)
    assert "missing" in refused.stderr
    shown = [line for line in tracker("show", "2").stdout.splitlines() if line.lstrip().startswith("archived")]
    assert shown and "MISSING" in shown[0] and "import the original again" in shown[0], "show says it first"
    _import_again(tracker, tmp_path, originals[1])
    assert lost.read_bytes() == originals[1].read_bytes()
    tracker("backup", tmp_path / "b.tar")


def test_a_backup_that_cannot_be_written_is_a_one_line_error(
    tracker: Tracker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _log_two(tracker, tmp_path)
    monkeypatch.chdir("/proc")  # the default name, in a folder nothing can be created in
    result = tracker("backup", ok=False)
    _one_line_error(result, "cannot write the backup to", "tracker-backup-")


class _FullDisk:
    """The backup file on a disk that fills up after a few KiB."""

    def __init__(self, handle: BinaryIO) -> None:
        self.handle, self.room = handle, 8192

    def write(self, data: bytes) -> int:
        if len(data) > self.room:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self.room -= len(data)
        return self.handle.write(data)

    def __getattr__(self, name: str) -> object:
        return getattr(self.handle, name)


def test_a_full_disk_is_said_as_such_and_leaves_no_file(
    tracker: Tracker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _log_two(tracker, tmp_path)
    real = backup_module.atomic_private

    @contextmanager
    def full(path: Path, **options: Any) -> Iterator[object]:
        with real(path, **options) as handle:
            yield _FullDisk(handle)

    monkeypatch.setattr(backup_module, "atomic_private", full)
    out = tmp_path / "out"
    out.mkdir()
    result = tracker("backup", out / "b.tar", ok=False)
    _one_line_error(result, f"cannot write the backup to {out / 'b.tar'}", "disk is full")
    assert "changed during the backup" not in result.stderr
    assert list(out.iterdir()) == []


def _orphan(data: Path, seed: int = 99) -> Path:
    """An image in the archive that no row names: what an import killed (or still running) between writing
    a file and committing its row leaves."""
    import hashlib

    buffer = io.BytesIO()
    drawing(seed).save(buffer, format="PNG")
    content = buffer.getvalue()
    digest = hashlib.sha256(content).hexdigest()
    path = data / "archive" / digest[:2] / f"{digest}.png"
    path.parent.mkdir(mode=0o700, exist_ok=True)
    path.write_bytes(content)
    return path


def test_a_backup_holds_only_the_files_its_database_names(tracker: Tracker, tmp_path: Path, isolated_env: Path) -> None:
    _log_two(tracker, tmp_path)
    orphan = _orphan(isolated_env)
    tracker("backup", tmp_path / "b.tar")
    with tarfile.open(tmp_path / "b.tar") as tar:
        names = tar.getnames()
        manifest = json.loads((tar.extractfile("manifest.json") or io.BytesIO()).read())
    assert len([n for n in names if n.startswith("archive/")]) == 2 and len(manifest["archive"]) == 2
    assert f"archive/{orphan.parent.name}/{orphan.name}" not in names


def test_a_restore_leaves_out_what_its_database_names_nowhere(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    """A backup made by an older tracker during an import holds files no row names: they stay out, and nothing
    (not a scrub, not a later backup) would have seen them."""
    _log_two(tracker, tmp_path)
    orphan = _orphan(isolated_env)
    rel = f"{orphan.parent.name}/{orphan.name}"
    tracker("backup", tmp_path / "b.tar")
    with tarfile.open(tmp_path / "b.tar") as tar:
        members = {m.name: (tar.extractfile(m) or io.BytesIO()).read() for m in tar if m.isfile()}
    manifest = json.loads(members.pop("manifest.json"))
    manifest["archive"][rel] = orphan.stat().st_size
    members[f"archive/{rel}"] = orphan.read_bytes()
    with tarfile.open(tmp_path / "old.tar", "w") as tar:
        for name, content in {"manifest.json": json.dumps(manifest).encode(), **members}.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    orphan.unlink()

    restored = tracker("restore", tmp_path / "old.tar", "--force")
    assert "Restored the database and 2 archived files" in restored.stdout
    assert "1 file in the backup that its database names nowhere" in restored.stdout
    assert not orphan.exists() and len(_archived(isolated_env)) == 2


def test_a_restore_names_the_files_neither_the_backup_nor_the_archive_had(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    _log_two(tracker, tmp_path)
    gone = _archived(isolated_env)[0]
    gone.unlink()
    tracker("backup", tmp_path / "b.tar", "--allow-missing")
    restored = tracker("restore", tmp_path / "b.tar", "--force")
    assert restored.exit_code == 0
    assert "names 1 archived file that neither the backup nor the replaced archive had" in restored.stderr
    assert gone.relative_to(isolated_env / "archive").as_posix() in restored.stderr


def test_a_restore_stopped_by_a_full_disk_leaves_no_copy_of_the_old_database(
    tracker: Tracker, tmp_path: Path, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tracker.archive.restore as restore_module

    _log_two(tracker, tmp_path)
    tracker("backup", tmp_path / "b.tar")
    real = restore_module._add_files

    def full(staged: Path, archive: Path, rels: list[str]) -> None:
        real(staged, archive, rels[:1])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(restore_module, "_add_files", full)
    before = tracker.json("posts")
    failed = tracker("restore", tmp_path / "b.tar", "--force", ok=False)
    assert "restore stopped, the database is unchanged" in failed.stderr
    assert tracker.json("posts") == before
    left = [p.name for p in isolated_env.iterdir() if ".old-" in p.name]
    assert not left, left


def test_too_little_free_space_says_what_restore_needs_and_what_is_free(
    tracker: Tracker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The margin kept free counts in what is said to be needed: 7 MiB free is not enough for a small backup."""
    import tracker.archive.verify as verify_module

    _log_two(tracker, tmp_path)
    tracker("backup", tmp_path / "b.tar")
    real = shutil.disk_usage
    monkeypatch.setattr(verify_module.shutil, "disk_usage", lambda path: real(path)._replace(free=7 * 2**20 + 5))
    refused = tracker("--data-dir", tmp_path / "new", "restore", tmp_path / "b.tar", ok=False)
    _one_line_error(
        refused,
        "not enough free disk space to restore: 65 MiB needed (the backup's 1 MiB and a 64 MiB margin), 7 MiB free",
    )


def test_a_full_temporary_folder_is_not_called_a_damaged_database(
    tracker: Tracker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    _log_two(tracker, tmp_path)

    def full(source: Path, target: Path, read_only: bool = True) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(backup_module, "copy_database", full)
    result = tracker("backup", tmp_path / "b.tar", ok=False)
    _one_line_error(result, "cannot copy the database into the temporary folder", "TMPDIR")
    assert "cannot be read" not in result.stderr
    _no_backup_left(tmp_path)


def test_a_database_that_is_a_link_is_restored_where_the_link_points(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    """The owner keeps the database on another disk and links it into the data folder: the restore writes
    there, and the link stays a link (it was replaced by a plain file on the data folder's disk)."""
    _log_two(tracker, tmp_path)
    elsewhere = tmp_path / "other-disk"
    elsewhere.mkdir(mode=0o700)
    (isolated_env / "tracker.db").rename(elsewhere / "tracker.db")
    (isolated_env / "tracker.db").symlink_to(elsewhere / "tracker.db")
    tracker("backup", tmp_path / "b.tar")
    tracker("restore", tmp_path / "b.tar", "--force")
    assert (isolated_env / "tracker.db").is_symlink()
    assert len(tracker.json("posts")) == 2
    assert [p.name for p in elsewhere.iterdir() if p.name.startswith("tracker.db.old-")], "the old one kept beside it"


def _killed_backup(tracker: Tracker, data: Path, name: str) -> Path:
    """What `tracker backup` killed mid-write leaves: the first part of a backup, under its temporary name."""
    tracker("backup", data / "whole.tar")
    partial = data / f".{name}.k1ll3d_0.partial"
    partial.write_bytes((data / "whole.tar").read_bytes()[:30_000])
    partial.chmod(0o600)
    (data / "whole.tar").unlink()
    return partial


def test_the_next_backup_removes_what_a_killed_backup_left(
    tracker: Tracker, tmp_path: Path, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _log_two(tracker, tmp_path)
    partial = _killed_backup(tracker, isolated_env, "kb.tar")
    kept = isolated_env / ".notes.txt.abcdefgh.partial"  # not a backup: left alone
    kept.write_bytes(b"my notes")
    assert str(partial) in tracker("purge", "plan", "moth").stdout  # the checklist names it meanwhile
    monkeypatch.chdir(isolated_env)
    made = tracker("backup", "kb.tar").stdout
    assert f"Removed 1 unfinished backup left by a killed backup: {partial.name}\n" in made
    assert not partial.exists() and kept.exists()
    assert sorted(p.name for p in isolated_env.glob("*.tar")) == ["kb.tar"]


def test_a_backup_still_being_written_is_never_removed(tracker: Tracker, tmp_path: Path, isolated_env: Path) -> None:
    import fcntl

    _log_two(tracker, tmp_path)
    partial = _killed_backup(tracker, isolated_env, "other.tar")
    with partial.open("rb") as writing:  # its writer holds this lock until the file is renamed into place
        fcntl.flock(writing.fileno(), fcntl.LOCK_EX)
        made = tracker("backup", isolated_env / "kb.tar").stdout
    assert "Removed" not in made
    assert partial.exists()


def test_a_backup_locks_its_file_from_the_first_byte_until_it_is_in_place(tmp_path: Path) -> None:
    import fcntl

    from tracker.support.files import atomic_private

    with atomic_private(tmp_path / "b.tar", locked=True) as handle:
        (partial,) = tmp_path.glob(".b.tar.*.partial")
        with partial.open("rb") as other, pytest.raises(BlockingIOError):
            fcntl.flock(other.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        handle.write(b"x")
    assert (tmp_path / "b.tar").read_bytes() == b"x"


def test_status_and_the_checklist_tell_of_what_a_killed_backup_left_in_this_folder(
    tracker: Tracker, tmp_path: Path, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A backup killed in the folder it ran in leaves `.tracker-backup-<stamp>.tar.<rand>.partial` there, a copy of
    every persona: `status` run in that folder names it (once it is no live backup's), the burn-down checklist
    names that pattern, and the next backup there removes it, saying so."""
    _log_two(tracker, tmp_path)
    here = tmp_path / "work"
    here.mkdir()
    partial = _killed_backup(tracker, isolated_env, "tracker-backup-20261206T150000Z.tar")
    partial = partial.rename(here / partial.name)
    monkeypatch.chdir(here)
    said = tracker("status").stdout
    assert "A killed tracker backup left 1 unfinished backup" in said and str(partial) in said
    assert tracker.json("status")["unfinished_backups"] == [str(partial)]
    plan = json.loads(tracker("purge", "plan", "moth", "--format", "json").stdout)["items"]
    (backups,) = [item for item in plan if item["id"] == "local:backups"]
    assert any(".tracker-backup-*.tar.*.partial" in step for step in backups["steps"])
    made = tracker("backup").stdout
    assert f"Removed 1 unfinished backup left by a killed backup: {partial.name}\n" in made
    assert "unfinished backup" not in tracker("status").stdout


def test_backup_of_a_sqlite_file_that_is_not_tracker_s_writes_none(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    """Another program's SQLite file where the database should be: a backup of it could never be restored (the
    restore refuses a database that records no schema revision), so none is written to be trusted later."""
    isolated_env.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(isolated_env / "tracker.db") as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
    result = tracker("backup", tmp_path / "b.tar", ok=False)
    assert result.exit_code == 2
    assert result.stderr == (
        "tracker: error: the database is not a tracker database (it records no schema revision): no backup "
        "written, as it could never be restored\n"
    )
    assert not (tmp_path / "b.tar").exists()
