"""Bringing a database to the current schema: back up a SQLite file, then alembic upgrade.

The app calls `upgrade_to_head` every time it opens a database, so a user never runs
migrations by hand; the upgrade runs in one transaction on one connection.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from tracker.db import WRITE_OPTION
from tracker.db.revision import TRACKER_TABLES
from tracker.db.sqlite import copy_database
from tracker.errors import DatabaseError
from tracker.support.paths import migrations_dir


def alembic_config() -> Config:
    """An alembic Config pointing at the shipped migration scripts."""
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    return cfg


def head_revision() -> str:
    """The newest revision the installed app knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - packaging error
        raise DatabaseError(f"no migration scripts found in {migrations_dir()}")
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision a database is at, None for an empty (or foreign) database."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def backup_sqlite(path: Path, label: str) -> Path:
    """Copy a live SQLite database with SQLite's online backup API; the copy is private (0600)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = path.with_name(f"{path.name}.{label}.{stamp}.bak")
    os.close(os.open(target, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600))
    copy_database(path, target, read_only=False)
    return target


def upgrade_to_head(engine: Engine, sqlite_file: Path | None) -> Path | None:
    """Upgrade the database to the newest revision; return the backup made first, if any."""
    script = ScriptDirectory.from_config(alembic_config())
    head = head_revision()
    current = current_revision(engine)
    if current == head:
        return None
    where = f"database {sqlite_file}" if sqlite_file is not None else "the database"
    foreign = DatabaseError(
        f"cannot open {where}: it holds tables that are not tracker's (another program's database?); "
        "it was left as it was"
    )
    if current is not None and current not in {rev.revision for rev in script.walk_revisions()}:
        if not TRACKER_TABLES <= set(inspect(engine).get_table_names()):
            raise foreign  # another program's that alembic manages too
        raise DatabaseError(
            f"cannot open {where}: it is at schema revision {current}, which this version of tracker does not "
            "know; it was written by a newer tracker (use that one, or upgrade this one); it was left as it was"
        )
    if current is None:
        tables = set(inspect(engine).get_table_names())
        if tables - {"alembic_version"}:
            raise foreign
    backup = None
    if current is not None and sqlite_file is not None:
        backup = backup_sqlite(sqlite_file, f"before-{head}")
    cfg = alembic_config()
    # Under the write lock alembic re-reads the revision, so a second process that raced us here
    # finds the database already upgraded and does nothing.
    with engine.connect() as conn, conn.execution_options(**{WRITE_OPTION: True}).begin():
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return backup
