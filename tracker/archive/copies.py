"""The copies of the whole database (and archive) tracker itself wrote in the data folder and beside the database,
found by their names: each holds every persona, so the purge checklist lists them (`purge.local`), the scrub names
them, and they are made private again with the archive (`privacy.keep_private`). Nothing else is counted as one:
a file of the owner's beside them is never listed, nor touched.
"""

from __future__ import annotations

import glob
from pathlib import Path

from tracker.support.settings import Settings


def backup_files(settings: Settings) -> list[Path]:
    """Copies of the whole database (and archive) tracker left beside it: they hold every persona.

    `tracker backup` files saved in the data folder, migration backups (`tracker.db.before-0005.<time>.bak`),
    what `tracker restore --force`
    moved aside (`tracker.db.old-<time>`, `archive.old-<time>`, and their unfinished `.partial`
    copies), and the staging folder of a killed restore (`.tracker.db.restoring-*`, a full copy of
    the backup it was restoring, and its record `.tracker.db.restore-record`, which names the personas it
    brought back and what only the replaced database held), and what a killed `tracker backup` left in the data
    folder (`.<name>.<random>.partial`).
    """
    found: list[Path] = []
    database = settings.sqlite_path
    if database is not None and database.parent.is_dir():
        found += database.parent.glob(f"{glob.escape(database.name)}.*.bak")
        found += database.parent.glob(f"{glob.escape(database.name)}.old-*")
        found += database.parent.glob(f".{glob.escape(database.name)}.restoring-*")
        found += database.parent.glob(f".{glob.escape(database.name)}.restore-record")
    archive_dir = settings.archive_dir
    if archive_dir.parent.is_dir():
        found += archive_dir.parent.glob(f"{glob.escape(archive_dir.name)}.old-*")
    if settings.data_dir.is_dir():
        found += (path for path in settings.data_dir.glob("*.tar") if _is_backup(path))  # `tracker backup` put there
        found += (path for path in settings.data_dir.glob(".*.partial") if _is_backup(path))  # one killed there
    return sorted(set(found))


_BACKUP_HEAD = b"manifest.json\0"
"""How a `tracker backup` file begins: a tar whose first member is its manifest (`archive.backup`)."""


def _is_backup(path: Path) -> bool:
    """Whether `path` is a regular file that begins as a `tracker backup` does (a FIFO named `x.tar` is never
    opened: reading it would wait for a writer)."""
    try:
        if not path.is_file():
            return False
        with path.open("rb") as handle:
            return handle.read(len(_BACKUP_HEAD)) == _BACKUP_HEAD
    except OSError:
        return False
