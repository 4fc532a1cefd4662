"""Backups made by older trackers restore and are upgraded, as their data folders are, while a foreign
schema is still refused.

The old databases are made by the shipped migrations run to an old revision, with the naming
convention tracker ran them with then (before the schema moved to `db/schema.py` a CHECK constraint
was named `ck_<table>_<name>`, since then `<name>`): the scratch schema `restore` compares with is
made by today's run of the same migrations.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from fixtures.common import Tracker

from tracker.db import WRITE_OPTION, schema
from tracker.db.engine import create_db_engine
from tracker.db.migrate import alembic_config, head_revision
from tracker.support.settings import Settings

OLD_NAMING = {**schema.NAMING, "ck": "ck_%(table_name)s_%(constraint_name)s"}
"""The naming convention of tracker's metadata, and so of its migrations, before `db/schema.py`."""


def _old_database(folder: Path, revision: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder whose database an older tracker made: the real migrations to `revision`, as run then."""
    folder.mkdir()
    path = folder / "tracker.db"
    engine = create_db_engine(Settings(db_url=f"sqlite:///{path}", data_dir=folder, archive_dir=folder / "archive"))
    with monkeypatch.context() as patch:
        patch.setattr(schema.metadata, "naming_convention", OLD_NAMING)
        config = alembic_config()
        with engine.connect() as conn, conn.execution_options(**{WRITE_OPTION: True}).begin():
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
    engine.dispose()
    conn = sqlite3.connect(path)
    conn.execute("insert into persona (name, created_at) values ('moth', '2026-11-30 10:00:00')")
    conn.commit()
    checks = conn.execute("select sql from sqlite_master where name = 'post'").fetchone()[0]
    conn.close()
    assert "ck_post_post_status" in checks  # as the older trackers named it
    return path


def _revision(database: Path) -> str:
    conn = sqlite3.connect(database)
    try:
        return str(conn.execute("select version_num from alembic_version").fetchone()[0])
    finally:
        conn.close()


@pytest.mark.parametrize("revision", ["0006", "0007"])
def test_a_backup_an_older_tracker_made_restores_and_is_upgraded(
    revision: str, tracker: Tracker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _old_database(tmp_path / "old", revision, monkeypatch)
    tracker("--data-dir", tmp_path / "old", "backup", tmp_path / "old.tar")
    restored = tracker("--data-dir", tmp_path / "new", "restore", tmp_path / "old.tar", ok=False)
    assert restored.exit_code == 0, restored.output
    assert tracker.json("--data-dir", tmp_path / "new", "personas")[0]["name"] == "moth"
    assert _revision(tmp_path / "new" / "tracker.db") == head_revision()


def test_a_backup_of_an_old_data_folder_upgraded_since_restores(
    tracker: Tracker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _old_database(tmp_path / "old", "0007", monkeypatch)
    tracker("--data-dir", tmp_path / "old", "status")  # upgraded to head: its older tables keep the long names
    tracker("--data-dir", tmp_path / "old", "backup", tmp_path / "old.tar")
    restored = tracker("--data-dir", tmp_path / "new", "restore", tmp_path / "old.tar", ok=False)
    assert restored.exit_code == 0, restored.output


@pytest.mark.parametrize(
    "change",
    [
        # The old name with a looser check: any status goes in.
        "update sqlite_master set sql = replace(sql, '''deleted''))', '''deleted'', ''anything''))') "
        "where name = 'post'",
        # A check of its own under a name the older convention would give.
        "update sqlite_master set sql = replace(sql, 'CONSTRAINT ck_post_post_status CHECK', "
        "'CONSTRAINT ck_post_spy CHECK (length(url) > 0), CONSTRAINT ck_post_post_status CHECK') where name = 'post'",
    ],
)
def test_an_old_database_with_a_check_of_its_own_is_refused(
    change: str, tracker: Tracker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = _old_database(tmp_path / "old", "0007", monkeypatch)
    conn = sqlite3.connect(database)
    before = conn.execute("select sql from sqlite_master where name = 'post'").fetchone()[0]
    conn.execute("pragma writable_schema = on")
    conn.execute(change)
    conn.commit()
    assert conn.execute("select sql from sqlite_master where name = 'post'").fetchone()[0] != before
    conn.close()
    tracker("--data-dir", tmp_path / "old", "backup", tmp_path / "old.tar")
    refused = tracker("--data-dir", tmp_path / "new", "restore", tmp_path / "old.tar", ok=False)
    assert refused.exit_code == 2, refused.output
    assert "does not have tracker's schema (revision 0007)" in refused.stderr
    assert not (tmp_path / "new" / "tracker.db").exists()
