"""SQLite files: created private before SQLite opens them, copied whole while in use, read from read-only media.

The copy uses SQLite's online backup API, so it is consistent even while another process writes
(migration backups, `tracker backup`).

A data folder on read-only media (a write-protected stick, a mounted snapshot) can still be read:
a WAL database normally needs to create its `-shm` (and `-wal`) file beside it, even to read, so
there it is opened `immutable` (SQLite's documented way; it then takes no locks and trusts that
nothing changes the file, which on such media nothing can). That is only right when no `-wal` file
holds changes: `immutable` would skip them, and a backup or a listing would silently miss the last
ones written. With its `-shm` beside it SQLite reads such a `-wal` without writing (`mode=ro`);
without it the database is refused (`ReadOnlyWalError`), never shown without those changes. A database file
the owner made read-only (`chmod a-w`, in a folder that can be written) is opened the same way, and is never
made writable again by making it private.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from contextlib import closing
from pathlib import Path

from tracker.errors import DatabaseError
from tracker.support.files import create_private_file, make_private_dir, tighten

BUSY_TIMEOUT_MS = 15_000
"""How long a connection waits for another process's lock before giving up (every connection's set-up)."""


class ReadOnlyError(DatabaseError):
    """A command that changes what is recorded, run on a data folder that cannot be written, or on a database file
    that cannot (`where`: the file, made read-only by its permissions, `chmod a-w`, in a folder that can be)."""

    def __init__(self, where: Path) -> None:
        if where.is_file():
            super().__init__(
                f"the database file {where} is read-only: this command changes what is recorded and cannot run on it "
                f"(commands that only read, and backup, can); make it writable (chmod u+w {where}) to change it"
            )
            return
        super().__init__(
            f"the data folder {where} is read-only: this command changes what is recorded and cannot run there "
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


def read_only_file(path: Path) -> bool:
    """Whether database file `path` is there but cannot be written: its permissions say so (`chmod a-w`)."""
    return path.is_file() and not os.access(path, os.W_OK)


def read_only_where(path: Path) -> Path | None:
    """What keeps database file `path` from being written: its folder (read-only media, or permissions), or the
    file itself (`read_only_file`); None when both can be written."""
    if read_only_folder(path):
        return path.absolute().parent
    if read_only_file(path):
        return path.absolute()
    return None


def reading_uri(path: Path) -> str:
    """The URI (for `sqlite3.connect(..., uri=True)`) that opens database file `path` read-only, from read-only
    media, or a file made read-only, too (see the module docstring); raises `ReadOnlyWalError` when it cannot be
    read whole."""
    uri = path.absolute().as_uri() + "?mode=ro"
    if read_only_where(path) is None:
        return uri
    wal = path.with_name(path.name + "-wal")
    if not wal.exists() or wal.stat().st_size == 0:
        return uri + "&immutable=1"  # nor are a -wal and -shm made beside a file made read-only, never removed
    if path.with_name(path.name + "-shm").is_file() or not read_only_folder(path):
        return uri  # SQLite reads the -wal through the existing -shm (or one it makes), writing nothing else
    raise ReadOnlyWalError(path)


class FolderGivenError(DatabaseError):
    """A folder where the database file should be (`--db ~/tracker` for `~/tracker/tracker.db`)."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"cannot open database {path}: it is a folder, not a database file (give the file inside it, "
            f"such as {path / 'tracker.db'}, or that folder as --data-dir)"
        )


class NotAFileError(DatabaseError):
    """A device or a named pipe where the database file should be (`--db /dev/null`): SQLite would call a device's
    bytes a disk I/O error, and could wait for ever on a pipe no one writes."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"cannot open database {path}: it is a device or a named pipe (FIFO), not a database file; give a "
            "database file's path (or a folder as --data-dir)"
        )


def refuse_non_file(path: Path) -> None:
    """Refuse what is there in place of database file `path` and is no file: a folder (`FolderGivenError`), a device
    or a named pipe (`NotAFileError`)."""
    if path.is_dir():
        raise FolderGivenError(path)
    if path.exists() and not path.is_file():
        raise NotAFileError(path)


def prepare_file(path: Path) -> bool:
    """Before SQLite opens `path`: a missing database file is created 0600 (the folders made for it 0700), so it
    is never world-readable; returns whether it was created here.

    A file that is already there is not touched: it may be anything the owner gave by mistake (a picture,
    a text file), and only once it is opened and found to be tracker's is it made private (`make_own_private`).
    Nor is a folder that was there already: the file's own folder is made private with it when it is tracker's
    data folder. A folder, a device or a pipe given as the database is refused (`refuse_non_file`).
    """
    refuse_non_file(path)
    if path.exists():
        return False
    make_private_dir(path.parent, tighten_existing=False)
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:  # made meanwhile by another process
        return False
    tighten(path, 0o600)  # the umask may have taken bits away
    return True


def empty_database_file(path: Path) -> bool:
    """A database file of 0 bytes with no changes in a `-wal` beside it (a copy cut short, a disk that filled up):
    it records nothing, so a restore over it needs no `--force`."""
    try:
        wal = path.with_name(path.name + "-wal")
        return path.is_file() and path.stat().st_size == 0 and not (wal.exists() and wal.stat().st_size > 0)
    except OSError:
        return False


def make_own_private(path: Path, data_folder: Path | None) -> None:
    """Make a database file tracker opened and recognised as its own private (0600, and the `-wal` and `-shm`
    files beside it), and its folder 0700 when that is the data folder (`data_folder`); nothing on read-only
    media, where nothing can be changed and the files are only read. Only others' permissions are taken away:
    a file the owner made read-only (0444) stays so (0400), never made writable again."""
    if read_only_folder(path):
        return
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if file.is_file():
            tighten(file, stat.S_IMODE(file.stat().st_mode) & 0o600)
    if data_folder is not None and path.absolute().parent == data_folder.absolute():
        tighten(data_folder, 0o700)


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
        if read_only:
            settle_wal(source)


def settle_wal(path: Path) -> None:
    """After reading WAL database `path` read-only: let its `-wal` and `-shm` go, as after any other command.

    A read-only connection creates them (to read a WAL database) but may not remove them; the last read-write
    connection to close checkpoints and removes them, so one is opened (never creating the file) and closed.
    While another process has the database open, SQLite leaves them to that one; on read-only media (nothing
    was made there) nothing is opened."""
    real = path.resolve()  # SQLite names the -wal after the file a link points to
    if read_only_folder(real) or not real.with_name(real.name + "-wal").exists():
        return
    try:
        with closing(sqlite3.connect(real.as_uri() + "?mode=rw", uri=True)) as conn:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error:  # busy or gone meanwhile: the files stay, as while any tracker has it open
        pass


def unmerged_wal(path: Path) -> bool:
    """Whether database file `path`'s `-wal` still holds changes SQLite could not merge into the file for want of
    room (a full disk, a used-up quota) when tracker closed it: they are saved, but only while the two files stay
    together, and the next command run with room to spare merges them. False when there is no such `-wal`, when
    merging it works now, or when another process has the database open (the `-wal` is then its to merge)."""
    real = path.resolve()
    wal = real.with_name(real.name + "-wal")
    try:
        if read_only_folder(real) or not wal.is_file() or wal.stat().st_size == 0:
            return False
        with closing(sqlite3.connect(real.as_uri() + "?mode=rw", uri=True, timeout=0)) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except sqlite3.Error as exc:
        return getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL
    except OSError:
        return False
    return False


def _sole_connection(path: Path) -> sqlite3.Connection | None:
    """A connection to database file `path` that only opens when no other has it open, and keeps every other out
    once it has begun a transaction (`discard_unused`); None when another has it open.

    Out of WAL first: SQLite allows it only to the one connection that has the file open (so another tracker
    using it keeps it), and then BEGIN EXCLUSIVE keeps every other process out, readers too, while the file goes;
    nor is a `-wal` left that closing the connection would delete by its name. On a full disk the `-wal` cannot be
    merged into the file to leave WAL: the file is then opened in SQLite's exclusive locking mode before it is
    read, which takes the file's exclusive lock (refused while another has it open) and keeps it to the end.
    """
    connection = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        mode = connection.execute("PRAGMA journal_mode=DELETE").fetchone()
    except sqlite3.Error as exc:
        connection.close()
        if getattr(exc, "sqlite_errorcode", None) != sqlite3.SQLITE_FULL:
            return None
        connection = sqlite3.connect(path, timeout=0, isolation_level=None)
        connection.execute("PRAGMA locking_mode=EXCLUSIVE")
        return connection
    if mode is None or str(mode[0]).lower() != "delete":
        connection.close()
        return None
    return connection


def discard_unused(path: Path) -> bool:
    """Delete database file `path` (with its `-wal` and `-shm`) when it records nothing; returns whether it did.

    For a command that created the file and then failed (`cli.context.AppContext.settle_new_archive`): the
    failed command leaves no archive behind, so the next one that succeeds says it started a new archive. The
    file is only deleted under SQLite's exclusive lock, and only when no table but alembic's holds a row: a
    database another tracker started meanwhile and wrote to, or has open now (no lock is waited for), is kept.
    """
    if not path.is_file():
        return False
    try:
        connection = _sole_connection(path)
    except sqlite3.Error:
        return False
    if connection is None:
        return False
    try:
        connection.execute("BEGIN EXCLUSIVE")
        tables = connection.execute(
            "SELECT name FROM sqlite_master "
            "WHERE type = 'table' AND name NOT LIKE 'sqlite%' AND name != 'alembic_version'"
        ).fetchall()
        for (table,) in tables:
            quoted = '"' + str(table).replace('"', '""') + '"'
            if connection.execute(f"SELECT 1 FROM {quoted} LIMIT 1").fetchone() is not None:
                return False
        for file in (path, *(path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal"))):
            file.unlink(missing_ok=True)
        return True
    except sqlite3.Error:
        return False
    finally:
        connection.close()
