"""`tracker backup` / `tracker restore`: the database and the archive in one private file.

A backup is an uncompressed tar (the images are compressed already) holding `manifest.json`,
`tracker.db` (a consistent copy made with SQLite's online backup API while the tracker may be in
use) and `archive/<xx>/<sha256>.<ext>` for every archived file. It is written under a temporary
name, made private (0600) and renamed into place, so a crash never leaves half a backup under
the real name.

Restore reads the tar defensively (only the three kinds of member, no links, no paths outside,
sizes checked against the manifest, every archived file checked against its sha256 name),
unpacks beside the data folder and only then moves the database and the archive into place; an
existing archive is refused unless `force` is given. The restored database is upgraded to the
newest schema by the next command, as any older database is.

Only SQLite databases are backed up this way; for PostgreSQL use `pg_dump` plus a copy of the
archive folder.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tracker import __version__
from tracker.db.sqlite import copy_database
from tracker.errors import UsageError
from tracker.support.files import atomic_private
from tracker.support.settings import Settings

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE = "tracker.db"
ARCHIVE = "archive"


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    files: int
    bytes: int


def _sqlite(settings: Settings) -> Path:
    path = settings.sqlite_path
    if path is None:
        raise UsageError("backup covers SQLite databases; for PostgreSQL use pg_dump and copy the archive folder")
    if not path.is_file():
        raise UsageError(f"there is no database at {path} yet: nothing to back up")
    return path


def _archive_files(archive_dir: Path) -> list[Path]:
    if not archive_dir.is_dir():
        return []
    return sorted(p for p in archive_dir.rglob("*") if p.is_file() and not p.name.startswith(".incoming-"))


def default_name(now: datetime | None = None) -> str:
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    return f"tracker-backup-{stamp}.tar"


def backup(settings: Settings, target: Path) -> BackupSummary:
    """Write the backup file; returns what it holds."""
    database = _sqlite(settings)
    target = target.expanduser()
    if target.exists():
        raise UsageError(f"{target} exists already: give a new file name")
    if not target.parent.is_dir():
        raise UsageError(f"no folder {target.parent}")
    files = _archive_files(settings.archive_dir)
    with atomic_private(target) as handle, tempfile.TemporaryDirectory(prefix="tracker-backup-") as tmp:
        copy = Path(tmp) / DATABASE
        copy_database(database, copy)
        manifest = {
            "format": FORMAT,
            "tracker_version": __version__,
            "created_at": datetime.now(UTC).isoformat(),
            "database_bytes": copy.stat().st_size,
            "archive": {f.relative_to(settings.archive_dir).as_posix(): f.stat().st_size for f in files},
        }
        with tarfile.open(fileobj=handle, mode="w", format=tarfile.PAX_FORMAT) as tar:
            _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=1).encode())
            tar.add(copy, DATABASE, recursive=False, filter=_private)
            for f in files:
                tar.add(f, f"{ARCHIVE}/{f.relative_to(settings.archive_dir).as_posix()}", filter=_private)
    return BackupSummary(target, len(files), target.stat().st_size)


def _private(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o600
    return info


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    info.mtime = int(datetime.now(UTC).timestamp())
    tar.addfile(info, io.BytesIO(data))


def _read_manifest(tar: tarfile.TarFile) -> dict[str, object]:
    try:
        member = tar.getmember(MANIFEST)
        handle = tar.extractfile(member)
        if handle is None or member.size > 64 * 2**20:
            raise KeyError(MANIFEST)
        manifest = json.loads(handle.read())
    except (KeyError, ValueError):
        raise UsageError("not a tracker backup (no readable manifest.json)") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise UsageError("not a tracker backup this version can read")
    return manifest


def _check_member(member: tarfile.TarInfo, expected: dict[str, int]) -> str | None:
    """The archive-relative path of an archive member, None for the database; raises on anything else."""
    name = member.name
    if not member.isfile():
        raise UsageError(f"backup member {name!r} is not a plain file: refusing to restore")
    if name == DATABASE:
        return None
    relative = name.removeprefix(f"{ARCHIVE}/")
    parts = relative.split("/")
    if name == relative or len(parts) != 2 or any(p in ("", ".", "..") for p in parts) or "\\" in relative:
        raise UsageError(f"backup member {name!r} is not where a backup puts files: refusing to restore")
    if expected.get(relative) != member.size:
        raise UsageError(f"backup member {name!r} does not match the manifest: the file is damaged")
    return relative


def restore(settings: Settings, source: Path, force: bool = False) -> BackupSummary:
    """Put a backup's database and archive in place of the current ones (see the module docstring)."""
    database = settings.sqlite_path
    if database is None:
        raise UsageError("restore writes a SQLite database; set --db to a file path")
    if database.exists() and not force:
        raise UsageError(f"{database} exists: restore over it with --force (the current one is kept as .old-*)")
    database.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        tar = tarfile.open(source, "r:")
    except (OSError, tarfile.TarError) as exc:
        raise UsageError(f"cannot read {source}: {exc}") from None
    with tar, tempfile.TemporaryDirectory(prefix=".tracker-restore-", dir=database.parent) as tmp:
        manifest = _read_manifest(tar)
        expected = manifest.get("archive")
        if not isinstance(expected, dict):
            raise UsageError("not a tracker backup (manifest lists no archive)")
        staging = Path(tmp)
        (staging / ARCHIVE).mkdir(mode=0o700)
        found_db = False
        files = 0
        for member in tar:
            if member.name == MANIFEST:
                continue
            relative = _check_member(member, expected)
            handle = tar.extractfile(member)
            assert handle is not None
            target = staging / DATABASE if relative is None else staging / ARCHIVE / relative
            target.parent.mkdir(mode=0o700, exist_ok=True)
            digest = hashlib.sha256()
            with open(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600), "wb") as out:
                while chunk := handle.read(1 << 20):
                    digest.update(chunk)
                    out.write(chunk)
            if relative is None:
                found_db = True
            else:
                files += 1
                if not Path(relative).name.startswith(digest.hexdigest()):
                    raise UsageError(f"backup member {member.name!r} does not match its content hash: damaged")
        if not found_db:
            raise UsageError("the backup holds no database")
        _check_sqlite(staging / DATABASE)
        _swap_in(settings, staging, database)
    return BackupSummary(source, files, source.stat().st_size)


def _check_sqlite(path: Path) -> None:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            ok = conn.execute("PRAGMA integrity_check").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise UsageError(f"the backup's database cannot be read: {exc}") from None
    if not ok or ok[0] != "ok":
        raise UsageError("the backup's database fails SQLite's integrity check")


def _swap_in(settings: Settings, staging: Path, database: Path) -> None:
    """Move the old database and archive aside, the restored ones in; the old ones are kept as .old-*."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    if database.exists():
        os.replace(database, database.with_name(f"{database.name}.old-{stamp}"))
        for suffix in ("-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
    archive = settings.archive_dir
    if archive.exists():
        os.replace(archive, archive.with_name(f"{archive.name}.old-{stamp}"))
    archive.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    shutil.move(str(staging / ARCHIVE), archive)
    os.chmod(archive, 0o700)
    os.replace(staging / DATABASE, database)
    os.chmod(database, 0o600)
