"""`tracker backup`: the database and the archive in one private file (restoring it is `restore`).

A backup is an uncompressed tar (the images are compressed already) holding, in this order:
`manifest.json`, `tracker.db` (a consistent copy made with SQLite's online backup API while the
tracker may be in use) and `archive/<xx>/<sha256>.<ext>` for every archived file. The manifest
lists every other member: the database's size and sha256 (`database_bytes`, `database_sha256`)
and each archived file's size (`archive`: {path: bytes}); an archived file's sha256 is its name,
and each one is checked against it while it is written. Backups made before `database_sha256`
existed hold the same, less that field, and still restore.

The file is written under a temporary name, made private (0600) and renamed into place, so a
crash never leaves half a backup under the real name.

Only SQLite databases are backed up this way; for PostgreSQL use `pg_dump` plus a copy of the
archive folder.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import stat
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from tracker import __version__
from tracker.db.sqlite import copy_database
from tracker.errors import UsageError
from tracker.support.files import atomic_private
from tracker.support.settings import Settings

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE = "tracker.db"
ARCHIVE = "archive"

ARCHIVE_PATH = re.compile(r"^([0-9a-f]{2})/([0-9a-f]{64})\.[a-z]{3,4}$")
"""An archived file's path inside the archive, as `store.relative_path` makes it: `ab/ab12....png`."""


def is_archive_path(rel: str) -> bool:
    """Whether `rel` is where the archive keeps a file: its folder the first two hex digits of its sha256 name."""
    found = ARCHIVE_PATH.fullmatch(rel)
    return found is not None and found.group(2).startswith(found.group(1))


@dataclass(frozen=True)
class BackupSummary:
    """What a backup file holds."""

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


def archived_files(archive_dir: Path) -> dict[str, Path]:
    """The archive's own files (regular files at an archive path), by archive-relative path.

    Anything else in the folder (a temporary `.incoming-*` file, a link, a stray file) is not
    tracker's and is left out.
    """
    found: dict[str, Path] = {}
    if not archive_dir.is_dir():
        return found
    for folder in sorted(archive_dir.iterdir()):
        if not folder.is_dir() or folder.is_symlink():
            continue
        for path in sorted(folder.iterdir()):
            rel = f"{folder.name}/{path.name}"
            if is_archive_path(rel) and stat.S_ISREG(path.lstat().st_mode):
                found[rel] = path
    return found


def default_name(now: datetime | None = None) -> str:
    """The backup file's name when none is given: `tracker-backup-<UTC time>.tar`."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    return f"tracker-backup-{stamp}.tar"


def file_sha256(path: Path) -> str:
    """The sha256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def backup(settings: Settings, target: Path) -> BackupSummary:
    """Write the backup file; returns what it holds."""
    database = _sqlite(settings)
    target = target.expanduser()
    if target.exists():
        raise UsageError(f"{target} exists already: give a new file name")
    if not target.parent.is_dir():
        raise UsageError(f"no folder {target.parent}")
    files = archived_files(settings.archive_dir)
    with atomic_private(target) as handle, tempfile.TemporaryDirectory(prefix="tracker-backup-") as tmp:
        copy = Path(tmp) / DATABASE
        copy_database(database, copy)
        sizes = {rel: path.stat().st_size for rel, path in files.items()}
        manifest = {
            "format": FORMAT,
            "tracker_version": __version__,
            "created_at": datetime.now(UTC).isoformat(),
            "database_bytes": copy.stat().st_size,
            "database_sha256": file_sha256(copy),
            "archive": sizes,
        }
        with tarfile.open(fileobj=handle, mode="w", format=tarfile.PAX_FORMAT) as tar:
            _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=1).encode())
            tar.add(copy, DATABASE, recursive=False, filter=_private)
            for rel, path in files.items():
                _add_archived(tar, rel, path, sizes[rel])
    return BackupSummary(target, len(files), target.stat().st_size)


class _Hashing(io.RawIOBase):
    """A reader that hashes what passes through it (an archived file on its way into the tar)."""

    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _add_archived(tar: tarfile.TarFile, rel: str, path: Path, size: int) -> None:
    """Add one archived file, refusing one whose bytes no longer match its name (damaged on disk)."""
    info = tarfile.TarInfo(f"{ARCHIVE}/{rel}")
    info.size = size
    info.mode = 0o600
    info.mtime = int(path.stat().st_mtime)
    with open(path, "rb") as handle:
        reader = _Hashing(handle)
        try:
            tar.addfile(info, reader)
        except OSError as exc:  # shorter than when listed: changed while the backup ran
            raise UsageError(f"archived file {rel} changed during the backup ({exc}): run it again") from None
    name_hash = rel.split("/")[1].split(".")[0]
    if reader.digest.hexdigest() != name_hash:
        raise UsageError(
            f"archived file {path} does not match its content hash (damaged on disk): "
            "no backup written; restore that file from an older backup or remove it"
        )


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
