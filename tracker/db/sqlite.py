"""SQLite files: created private before SQLite opens them, copied whole while in use, read from read-only media.

The copy uses SQLite's online backup API, so it is consistent even while another process writes
(migration backups, `tracker backup`).

A data folder on read-only media (a write-protected stick, a mounted snapshot) can still be read:
a WAL database normally needs to create its `-shm` (and `-wal`) file beside it, even to read, so
there it is opened `immutable` (SQLite's documented way; it then takes no locks and trusts that
nothing changes the file, which on such media nothing can). That is only right when no `-wal` file
holds changes: `immutable` would skip them, and a backup or a listing would silently miss the last
ones written. With its `-shm` beside it SQLite reads such a `-wal` without writing (`mode=ro`);
without it the database is refused (`ReadOnlyWalError`), never shown without those changes.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from tracker.errors import DatabaseError
from tracker.support.files import create_private_file, make_private_dir

BUSY_TIMEOUT_MS = 15_000
"""How long a connection waits for another process's lock before giving up (every connection's set-up)."""


class ReadOnlyError(DatabaseError):
    """A command that changes what is recorded, run on a data folder that cannot be written."""

    def __init__(self, folder: Path) -> None:
        super().__init__(
            f"the data folder {folder} is read-only: this command changes what is recorded and cannot run there "
            "(commands that only read, and backup, can); copy the folder somewhere writable to change it"
        )


class ReadOnlyWalError(DatabaseError):
    """A database on read-only media whose latest changes are in a `-wal` file SQLite cannot read there."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"the data folder {path.parent} is read-only and the database's latest changes are still in "
            f"{path.name}-wal, which SQLite cannot read there without its {path.name}-shm file: copy the folder "
            "somewhere writable and run tracker on the copy (it will not be read without those changes)"
        )


def read_only_folder(path: Path) -> bool:
    """Whether the existing folder of database file `path` cannot be written (read-only media, or permissions)."""
    folder = path.absolute().parent
    return folder.is_dir() and not os.access(folder, os.W_OK)


def reading_uri(path: Path) -> str:
    """The URI (for `sqlite3.connect(..., uri=True)`) that opens database file `path` read-only, from
    read-only media too (see the module docstring); raises `ReadOnlyWalError` when it cannot be read whole."""
    uri = path.absolute().as_uri() + "?mode=ro"
    if not read_only_folder(path):
        return uri
    wal = path.with_name(path.name + "-wal")
    if not wal.exists() or wal.stat().st_size == 0:
        return uri + "&immutable=1"
    if path.with_name(path.name + "-shm").is_file():
        return uri  # SQLite reads the -wal through the existing -shm, writing nothing
    raise ReadOnlyWalError(path)


def prepare_file(path: Path) -> None:
    """Create the database file 0600 (and its folder 0700) before SQLite does, so it is never world-readable."""
    make_private_dir(path.parent)
    create_private_file(path)


def copy_database(source: Path, target: Path, read_only: bool = True) -> None:
    """Copy a live SQLite database into `target` (created 0600 first when it does not exist).

    `read_only` opens the source read-only (a backup never writes to what it copies); the
    migration backup opens it as the app does, since the file may not have its WAL files yet.
    """
    create_private_file(target)
    src = sqlite3.connect(reading_uri(source), uri=True) if read_only else sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
