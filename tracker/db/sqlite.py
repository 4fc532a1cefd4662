"""SQLite files: created private before SQLite opens them, and copied whole while in use.

The copy uses SQLite's online backup API, so it is consistent even while another process writes
(migration backups, `tracker backup`).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tracker.support.files import create_private_file, make_private_dir

BUSY_TIMEOUT_MS = 15_000
"""How long a connection waits for another process's lock before giving up (every connection's set-up)."""


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
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True) if read_only else sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
