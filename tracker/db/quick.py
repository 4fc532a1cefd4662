"""Reading a SQLite file that is already at this tracker's schema, without loading SQLAlchemy.

SQLAlchemy takes about a quarter of a second to import, longer than a listing of thousands of
posts takes to read. A command that only reads (`tracker posts`) asks `open_at_head` first: for
a plain SQLite file (`sqlite:///PATH`, no options) that exists and whose revision is
`revision.REVISION`, it gets a connection of the standard library's driver, set up as
`db.engine` sets up every SQLite connection (foreign keys, busy timeout; the file is in WAL mode
already, `db.engine` switched it when it made it). Anything else (another database, a URL with
options, a missing file, an older or newer revision, a file that is not a database) answers
None, and the command opens the database the usual way: through `db.engine`, which upgrades,
creates or reports it. So the quick path never changes a database and never explains an error.
On a read-only data folder it opens the file as `db.sqlite.reading_uri` says (no WAL files made).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tracker.db.revision import REVISION
from tracker.db.sqlite import BUSY_TIMEOUT_MS, make_own_private, read_only_where, reading_uri
from tracker.errors import DatabaseError
from tracker.support.settings import plain_sqlite_file


def open_at_head(db_url: str, data_folder: Path | None = None) -> sqlite3.Connection | None:
    """A driver connection to the database when it is a plain SQLite file at `REVISION`, else None.

    Found to be tracker's, the file is made private as every opening makes sure (`make_own_private`: 0600,
    and its folder 0700 when it is the data folder `data_folder`); any other file is left as it was."""
    path = plain_sqlite_file(db_url)
    if path is None or not path.is_file():
        return None
    read_only = read_only_where(path) is not None
    try:
        if read_only:
            connection = sqlite3.connect(reading_uri(path), uri=True, isolation_level=None, check_same_thread=True)
        else:
            connection = sqlite3.connect(path, isolation_level=None, check_same_thread=True)
    except (sqlite3.Error, DatabaseError):  # db.engine explains it
        return None
    try:
        connection.execute("PRAGMA foreign_keys=ON")
        connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        mode = connection.execute("PRAGMA journal_mode").fetchone()
    except sqlite3.Error:
        row = mode = None
    wal = read_only or (mode is not None and str(mode[0]).lower() == "wal")  # immutable: no journal to report
    if row is None or row[0] != REVISION or not wal:
        connection.close()
        return None
    try:
        make_own_private(path, data_folder)
    except OSError:
        connection.close()
        raise
    return connection
