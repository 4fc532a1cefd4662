"""What a restore would put out of view, said before it is run: `tracker restore` without `--force` over an
existing database refuses, and says what that database holds that the backup lacks (a complaint logged since,
with its deadline; a post; a later change) and which personas the backup would bring back, so the owner hears it
before choosing `--force`, not only after (the replaced database is kept as `.old-*`, but what only it holds is
then out of every view).

Only the backup's database is read: its members are checked against the manifest as a restore checks them
(`verify.scan`), the database alone is streamed into a private staging folder beside the current one (named as
a restore's, `.<db>.restoring-*`, so a kill leaves what the next restore or writer clears and the purge checklist
lists), checked (`verify.check_database`), compared, and removed. A backup that fails any check previews
nothing but why (`Preview.refused`): said at once, since `--force` would not restore it either.
"""

from __future__ import annotations

import shutil
import sqlite3
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from tracker.archive import verify
from tracker.archive.backup import DATABASE
from tracker.archive.left_behind import LeftBehind, Returning, left_behind, returning_personas
from tracker.db.sqlite import settle_wal
from tracker.errors import TrackerError

__all__ = ["Preview", "preview"]


@dataclass(frozen=True)
class Preview:
    """What `restore --force` would leave only in the kept `.old-*` copy, and the personas it would bring back."""

    left: LeftBehind = field(default_factory=LeftBehind)
    returning: tuple[Returning, ...] = ()
    refused: TrackerError | None = None
    """Why the restore would refuse the backup itself (truncated, not a tracker backup, compressed, ...)."""

    def __bool__(self) -> bool:
        return bool(self.left) or bool(self.returning)


def preview(source: Path, database: Path) -> Preview:
    """Compare the backup's database with `database` (see the module docstring); empty when either cannot be read."""
    try:
        raw, size = verify.open_backup(source)
    except TrackerError as exc:
        return Preview(refused=exc)
    except OSError:
        return Preview()
    try:
        with raw, tempfile.TemporaryDirectory(prefix=f".{database.name}.restoring-", dir=database.parent) as tmp:
            staged = Path(tmp) / DATABASE
            try:
                with verify.open_tar(raw, source) as tar:
                    plan = verify.scan(tar, size, shutil.disk_usage(tmp).free)
                    verify.extract_database(tar, plan, staged)
                verify.check_database(staged)
            except TrackerError as exc:  # what the restore would say, --force or not
                return Preview(refused=exc)
            return Preview(left_behind(database, staged), tuple(returning_personas(database, staged)))
    except (TrackerError, OSError, sqlite3.Error, tarfile.TarError, EOFError, ValueError, OverflowError):
        return Preview()
    finally:
        settle_wal(database)  # the comparison read it read-only
