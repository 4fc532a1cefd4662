"""`tracker backup`: the database and the archive in one private file (restoring it is `restore`).

A backup is an uncompressed tar (the images are compressed already) holding, in this order:
`manifest.json`, `tracker.db` (a consistent copy made with SQLite's online backup API while the
tracker may be in use) and `archive/<xx>/<sha256>.<ext>` for every archived file that copy names
(a file no row names, left by a killed or running import, is no post's and stays out). The manifest
lists every other member: the database's size and sha256 (`database_bytes`, `database_sha256`)
and each archived file's size (`archive`: {path: bytes}); an archived file's sha256 is its name,
and each one is checked against it while it is written. Backups made before `database_sha256`
existed hold the same, less that field, and still restore.

The file is written under a temporary name, made private (0600) and renamed into place, so a
crash never leaves half a backup under the real name; a write that fails (a full disk, a folder
that cannot be written) is a one-line error and leaves no file. The temporary file is locked
(`flock`) while it is written: a killed backup leaves it (`.<name>.<random>.partial`, holding the
database and images), and the next backup into that folder removes each such file it can lock,
so never one another backup is still writing (`remove_stale_partials`).

A backup is refused, before anything is written, when its copy of the database fails SQLite's
`PRAGMA integrity_check` (it could never be restored), or when the database names an archived file
that is not on disk (its restore would lack it) unless `allow_missing` accepts that; the missing
files are then listed in the summary.

Only SQLite databases are backed up this way; for PostgreSQL use `pg_dump` plus a copy of the
archive folder.
"""

from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import re
import sqlite3
import stat
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO, cast

from tracker import __version__
from tracker.db.sqlite import copy_database
from tracker.errors import UsageError
from tracker.support.files import atomic_private, place_new
from tracker.support.settings import Settings
from tracker.support.words import counted

try:
    import fcntl
except ImportError:  # Windows: no locks, so no partial file is known to be stale
    fcntl = None  # type: ignore[assignment]

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
    missing: tuple[str, ...] = ()
    """Archived files the database names that were not on disk (left out with `allow_missing`)."""
    stale: tuple[Path, ...] = ()
    """Unfinished backups killed backups had left in the target's folder, removed."""


def _sqlite(settings: Settings) -> Path:
    path = settings.sqlite_path
    if path is None:
        raise UsageError("backup covers SQLite databases; for PostgreSQL use pg_dump and copy the archive folder")
    if not path.is_file():
        raise UsageError(f"there is no database at {path} yet: nothing to back up")
    if path.stat().st_size == 0:  # SQLite would read it as a new, empty database: a backup no restore accepts
        raise UsageError(f"the database {path} is an empty file (0 bytes): nothing to back up, no backup written")
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


_FULL = re.compile(r"disk is full|no space left", re.I)
"""SQLite's and the system's words for a full disk (while writing the temporary copy)."""

NAMING_TABLES = ("image", "complaint_image")
"""The tables whose `archive_path` names a file the archive must keep (`purge_file` lists files to delete): spelt
out, so a backup loads no SQLAlchemy (0.13 s); a test keeps them equal to `db.schema`'s tables."""


def named_files(database: Path) -> set[str]:
    """The archive paths a SQLite database's images and complaint images name (read-only)."""
    conn = sqlite3.connect(database.absolute().as_uri() + "?mode=ro", uri=True)
    try:
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        found: set[str] = set()
        for table in NAMING_TABLES:
            if table in tables:
                found.update(str(value) for (value,) in conn.execute(f'SELECT archive_path FROM "{table}"'))
        return found
    finally:
        conn.close()


def _queued_by_scrub(database: Path) -> int:
    """Files an interrupted persona scrub queued for deletion and has not deleted yet (`purge.unfinished`)."""
    conn = sqlite3.connect(database.absolute().as_uri() + "?mode=ro", uri=True)
    try:
        found = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'purge_file'").fetchone()
        return int(conn.execute("SELECT count(*) FROM purge_file").fetchone()[0]) if found else 0
    finally:
        conn.close()


PARTIAL = re.compile(r"^\..+\.[a-z0-9_]{8}\.partial$")
"""The name of a backup being written (`atomic_private`: `.<name>.` and mkstemp's eight random characters)."""
HEAD = MANIFEST.encode() + b"\0"
"""How a backup begins: a tar header naming its first member, the manifest."""


def _stale_partials(folder: Path) -> Iterator[tuple[Path, os.stat_result]]:
    """Each unfinished backup a killed backup left in `folder`, yielded while its lock is held here.

    One counts only when it is a regular file of this user's that begins as a backup does and can
    be locked: a live backup locks its file before writing its first byte and holds the lock until
    it is renamed into place (an older tracker's backup, which took no lock, is the exception).
    """
    if fcntl is None or not folder.is_dir():
        return
    for path in sorted(folder.glob(".*.partial")):
        if not PARTIAL.match(path.name):
            continue
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:  # a link, gone meanwhile, unreadable: not ours to judge
            continue
        try:
            found = os.fstat(fd)
            if not stat.S_ISREG(found.st_mode) or found.st_uid != os.getuid() or os.pread(fd, len(HEAD), 0) != HEAD:
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:  # a backup is writing it (or the file system has no locks)
                continue
            yield path, found
        except OSError:
            continue
        finally:
            os.close(fd)


def stale_partials(folder: Path) -> tuple[Path, ...]:
    """The unfinished backups killed backups left in `folder` (what `remove_stale_partials` would remove), for
    `tracker status` to tell of: each is a full copy of the database and the archive."""
    return tuple(path for path, _ in _stale_partials(folder))


def remove_stale_partials(folder: Path) -> tuple[Path, ...]:
    """Remove the unfinished backups killed backups left in `folder` (`_stale_partials`); the ones removed."""
    removed: list[Path] = []
    for path, found in _stale_partials(folder):
        try:
            if os.stat(path, follow_symlinks=False).st_ino == found.st_ino:
                path.unlink()
                removed.append(path)
        except OSError:
            continue
    return tuple(removed)


def _check_copy(copy: Path) -> set[str]:
    """Refuse a database copy SQLite finds damaged; the archive paths it names."""
    failed = UsageError(
        "the database fails SQLite's integrity check (it is damaged): no backup written, as it could never "
        "be restored; restore an older backup (tracker restore FILE --force)"
    )
    try:
        conn = sqlite3.connect(copy.absolute().as_uri() + "?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchone()
        finally:
            conn.close()
        if not result or result[0] != "ok":
            raise failed
    except sqlite3.DatabaseError:
        raise failed from None
    if _revision(copy) is None:  # another program's SQLite file, or one no tracker ever set up: no restore takes it
        raise UsageError(
            "the database is not a tracker database (it records no schema revision): no backup written, as it "
            "could never be restored"
        )
    return named_files(copy)


def _revision(copy: Path) -> str | None:
    """The schema revision the database copy records (alembic's table), None when it records none."""
    try:
        with closing(sqlite3.connect(copy.absolute().as_uri() + "?mode=ro", uri=True)) as conn:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return None
    return str(row[0]) if row and row[0] else None


def _shown_list(rels: list[str], limit: int = 3) -> str:
    shown = ", ".join(rels[:limit])
    return shown + (f" and {len(rels) - limit} more" if len(rels) > limit else "")


def _missing_error(missing: list[str], archive_dir: Path) -> UsageError:
    what = "an archived file" if len(missing) == 1 else f"{len(missing)} archived files"
    return UsageError(
        f"the database names {what} missing from {archive_dir} ({_shown_list(missing)}): no backup written; "
        "put the file back (restore it from an older backup, or log or import the original again), "
        "or back up without it with --allow-missing"
    )


class _WriteFailed(Exception):
    """Writing the backup file failed (kept apart from an archived file that could not be read)."""

    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error


class _Target:
    """The backup file as tarfile writes it: a failed write becomes `_WriteFailed`."""

    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle

    def write(self, data: bytes) -> int:
        try:
            return self.handle.write(data)
        except OSError as exc:
            raise _WriteFailed(exc) from None

    def tell(self) -> int:
        return self.handle.tell()


def _write_error(target: Path, error: OSError) -> UsageError:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        reason = "the disk is full (no space left on the device)"
    else:
        reason = error.strerror or str(error) or type(error).__name__
    try:
        shown = target.absolute()
    except OSError:  # the current folder was removed
        shown = target
    return UsageError(f"cannot write the backup to {shown}: {reason}; no backup written")


class _NewName:
    """Where the finished backup goes: never over an existing file (`place_new`); under the default name
    (`numbered`), the first of `tracker-backup-<time>.tar`, `...-2.tar`, `...-3.tar` that is free when it is
    placed (two backups in one second into one folder), else refused."""

    def __init__(self, target: Path, numbered: bool) -> None:
        self.path = target
        self.numbered = numbered

    def __call__(self, temporary: str) -> None:
        stem, number = self.path.stem, 1
        while True:
            try:
                place_new(temporary, self.path)
                return
            except FileExistsError:
                if not self.numbered or number >= 999:
                    raise UsageError(f"{self.path} exists already: give a new file name") from None
                number += 1
                self.path = self.path.with_name(f"{stem}-{number}{self.path.suffix}")


def backup(settings: Settings, target: Path, allow_missing: bool = False, numbered: bool = False) -> BackupSummary:
    """Write the backup file; returns what it holds (see the module docstring for what is refused). An existing
    file is never replaced: given by name it is refused, and under the default name (`numbered`) the backup takes
    the next free `-2`, `-3`, ... name."""
    database = _sqlite(settings)
    target = target.expanduser()
    if target.exists() and not numbered:
        raise UsageError(f"{target} exists already: give a new file name")
    if not target.parent.is_dir():
        raise UsageError(f"no folder {target.parent}")
    archive = settings.archive_dir.resolve()
    if archive == target.parent.resolve() or archive in target.parent.resolve().parents:
        raise UsageError(  # out of view there: no persona's scrub would list it, and the next restore moves it
            f"{target.parent} is inside the archive folder, which holds only archived images: give another folder"
        )
    with tempfile.TemporaryDirectory(prefix="tracker-backup-") as tmp:
        copy = Path(tmp) / DATABASE
        try:
            copy_database(database, copy)
        except sqlite3.DatabaseError as exc:
            if _FULL.search(str(exc)):  # the copy's disk, not the database
                raise UsageError(
                    f"cannot copy the database into the temporary folder {Path(tmp).parent} ({exc}): no backup "
                    "written; free some space there, or point TMPDIR at a folder with room"
                ) from None
            raise UsageError(f"the database cannot be read ({exc}): no backup written") from None
        except OSError as exc:
            raise UsageError(f"cannot copy the database into a temporary folder ({exc}): no backup written") from None
        named = _check_copy(copy)
        # Listed after the copy: every file its rows name was written before they committed. Only those go in:
        # a file no row names (an import killed, or still running, between writing a file and its row) is no
        # post's, and a restore would keep it where no command sees it, not even a persona's scrub.
        files = {rel: path for rel, path in archived_files(settings.archive_dir).items() if rel in named}
        unscrubbed = _queued_by_scrub(copy)
        if unscrubbed:
            raise UsageError(
                f"a persona scrub was interrupted ({counted(unscrubbed, 'file')} of the scrubbed persona still "
                "queued for deletion): no backup written, so that none keeps them; finish it first: "
                "tracker purge scrub --finish"
            )
        missing = sorted(named - files.keys())
        if missing and not allow_missing:
            raise _missing_error(missing, settings.archive_dir)
        sizes = {rel: path.stat().st_size for rel, path in files.items()}
        manifest = {
            "format": FORMAT,
            "tracker_version": __version__,
            "created_at": datetime.now(UTC).isoformat(),
            "database_bytes": copy.stat().st_size,
            "database_sha256": file_sha256(copy),
            "archive": sizes,
        }
        stale = remove_stale_partials(target.parent)
        try:
            placed = _NewName(target, numbered)
            with atomic_private(target, locked=True, place=placed) as handle:
                writer = cast(BinaryIO, _Target(handle))
                with tarfile.open(fileobj=writer, mode="w", format=tarfile.PAX_FORMAT) as tar:
                    _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=1).encode())
                    tar.add(copy, DATABASE, recursive=False, filter=_private)
                    for rel, path in files.items():
                        _add_archived(tar, rel, path, sizes[rel])
        except _WriteFailed as failed:
            raise _write_error(target, failed.error) from None
        except OSError as exc:  # creating, syncing or renaming the file
            raise _write_error(target, exc) from None
    return BackupSummary(placed.path, len(files), placed.path.stat().st_size, tuple(missing), stale)


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
    try:
        info.mtime = int(path.stat().st_mtime)
        with open(path, "rb") as handle:
            reader = _Hashing(handle)
            tar.addfile(info, reader)
    except OSError as exc:  # gone, or shorter than when listed: changed while the backup ran
        raise UsageError(f"archived file {rel} changed during the backup ({exc}): run it again") from None
    name_hash = rel.split("/")[1].split(".")[0]
    if reader.digest.hexdigest() != name_hash:
        raise UsageError(
            f"archived file {path} does not match its content hash (damaged on disk): no backup written; "
            "log or import the original file again to repair it, or restore it from an older backup"
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
