"""The database: migrations, connection set-up, backups and the append-only audit trail."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select, text

from tracker.db import migrate
from tracker.db.models import Base, Event, Persona
from tracker.db.session import open_database, session_scope
from tracker.errors import DatabaseError, TrackerError
from tracker.support.settings import load_settings

pytestmark = pytest.mark.db


def _open(tmp_path: Path, name: str | None = None):  # type: ignore[no-untyped-def]
    """The test's database: a SQLite file in tmp_path, or its PostgreSQL database when it runs there."""
    if name is None and os.environ.get("TRACKER_DB"):
        return open_database(load_settings(db=os.environ["TRACKER_DB"]))
    return open_database(load_settings(db=str(tmp_path / (name or "t.db"))))


def test_empty_database_is_upgraded_to_head_and_matches_models(tmp_path: Path) -> None:
    factory = _open(tmp_path)
    with factory() as session:
        conn = session.connection()
        assert MigrationContext.configure(conn).get_current_revision() == migrate.head_revision()
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert _without_unnamed_sqlite_fks(diff) == []


def _fk_key(fk: Any) -> tuple[str, tuple[str, ...], str]:
    return fk.parent.name, tuple(c.name for c in fk.columns), fk.referred_table.name


def _without_unnamed_sqlite_fks(diff: list[Any]) -> list[Any]:
    """Drop remove/add pairs for a foreign key SQLite reports without its name.

    A column added later with ALTER TABLE ADD COLUMN can only carry a column-level REFERENCES
    clause, whose name SQLite's reflection cannot read back; the key itself is identical.
    """
    unnamed = {_fk_key(d[1]) for d in diff if d[0] == "remove_fk" and d[1].name is None}
    return [d for d in diff if not (d[0] in ("remove_fk", "add_fk") and _fk_key(d[1]) in unnamed)]


@pytest.mark.sqlite_only
def test_sqlite_connections_use_foreign_keys_wal_and_busy_timeout(tmp_path: Path) -> None:
    factory = _open(tmp_path)
    with factory() as session:
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert session.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


@pytest.mark.sqlite_only
def test_reopening_an_up_to_date_database_makes_no_backup(tmp_path: Path) -> None:
    _open(tmp_path)
    _open(tmp_path)
    assert list(tmp_path.glob("*.bak")) == []


@pytest.mark.sqlite_only
def test_upgrade_backs_up_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    factory = _open(tmp_path)
    with session_scope(factory) as session:
        session.add(Persona(name="moth"))
    factory.kw["bind"].dispose()
    # Pretend the database is one revision behind: the app must copy it before upgrading.
    con = sqlite3.connect(tmp_path / "t.db")
    con.execute("UPDATE alembic_version SET version_num = '0001'")
    con.commit()
    con.close()
    monkeypatch.setattr(migrate, "head_revision", lambda: "0002")
    calls: list[str] = []
    monkeypatch.setattr(migrate.command, "upgrade", lambda cfg, rev: calls.append(rev))
    engine = factory.kw["bind"]
    backup = migrate.upgrade_to_head(engine, tmp_path / "t.db")
    assert calls == ["head"]
    assert backup is not None and backup.name.startswith("t.db.before-0002.")
    assert oct(backup.stat().st_mode & 0o777) == "0o600"
    copy = sqlite3.connect(backup)
    assert copy.execute("select name from persona").fetchall() == [("moth",)]
    copy.close()


@pytest.mark.sqlite_only
def test_unknown_revision_is_refused(tmp_path: Path) -> None:
    factory = _open(tmp_path)
    factory.kw["bind"].dispose()
    con = sqlite3.connect(tmp_path / "t.db")
    con.execute("UPDATE alembic_version SET version_num = 'ffff'")
    con.commit()
    con.close()
    with pytest.raises(DatabaseError, match="newer tracker"):
        _open(tmp_path)


@pytest.mark.sqlite_only
def test_foreign_database_is_refused(tmp_path: Path) -> None:
    con = sqlite3.connect(tmp_path / "other.db")
    con.execute("create table notes (x)")
    con.commit()
    con.close()
    with pytest.raises(DatabaseError, match="not tracker's"):
        _open(tmp_path, "other.db")


@pytest.mark.sqlite_only
def test_another_program_s_alembic_database_is_not_called_a_newer_tracker_s(tmp_path: Path) -> None:
    """A program that manages its schema with alembic too has an alembic_version table: its file is not tracker's,
    and is left as it was, not switched to WAL."""
    con = sqlite3.connect(tmp_path / "other.db")
    con.execute("create table alembic_version (version_num varchar(32) primary key)")
    con.execute("insert into alembic_version values ('3f2a9c1b7d')")
    con.execute("create table users (id integer)")
    con.commit()
    con.close()
    before = (tmp_path / "other.db").read_bytes()
    with pytest.raises(DatabaseError, match="not tracker's"):
        _open(tmp_path, "other.db")
    assert (tmp_path / "other.db").read_bytes() == before


def test_audit_trail_records_updates_and_is_append_only(tmp_path: Path) -> None:
    factory = _open(tmp_path)
    with session_scope(factory, command="test") as session:
        session.add(Persona(name="moth"))
    with session_scope(factory, command="rename") as session:
        persona = session.scalars(select(Persona)).one()
        persona.name = "moth2"
    with factory() as session:
        events = session.scalars(select(Event).order_by(Event.id)).all()
        assert [(e.action, e.command) for e in events] == [("create", "test"), ("update", "rename")]
        assert events[1].changes == {"name": ["moth", "moth2"]}
        events[0].action = "tampered"
        with pytest.raises(TrackerError, match="append-only"):
            session.flush()


def test_failed_transaction_leaves_nothing(tmp_path: Path) -> None:
    factory = _open(tmp_path)
    with pytest.raises(RuntimeError), session_scope(factory) as session:
        session.add(Persona(name="moth"))
        session.flush()
        raise RuntimeError("crash in the middle")
    with factory() as session:
        assert session.scalars(select(Persona)).all() == []
        assert session.scalars(select(Event)).all() == []


@pytest.mark.sqlite_only
def test_database_from_the_first_revision_is_backed_up_and_upgraded(tmp_path: Path) -> None:
    from alembic import command
    from sqlalchemy import create_engine, inspect

    path = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{path}")
    cfg = migrate.alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.execute(text("insert into persona (name, created_at) values ('moth', '2026-01-01 00:00:00')"))
    engine.dispose()
    factory = _open(tmp_path, "old.db")
    with factory() as session:
        assert session.scalars(select(Persona.name)).all() == ["moth"]
        assert "model_file" in inspect(session.connection()).get_table_names()
    backups = list(tmp_path.glob("old.db.before-*.bak"))
    assert len(backups) == 1
    old = sqlite3.connect(backups[0])
    assert old.execute("select version_num from alembic_version").fetchall() == [("0001",)]
    old.close()


@pytest.mark.sqlite_only
def test_upgrade_to_0013_keeps_each_images_first_name_for_the_persona_that_gave_it(tmp_path: Path) -> None:
    from alembic import command
    from sqlalchemy import create_engine

    path = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{path}")
    cfg = migrate.alembic_config()
    at = "'2026-01-01 00:00:00'"
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0012")
        conn.execute(text(f"insert into persona (id, name, created_at) values (1, 'moth', {at}), (2, 'lamp', {at})"))
        conn.execute(
            text(
                f"insert into account (id, persona_id, platform, created_at) values (1, 1, 'pixiv', {at}), (2, 2, 'x', {at})"
            )
        )
        for image, name, persona in ((1, "a.png", 1), (2, "b.png", None), (3, "c.png", None)):
            conn.execute(
                text(
                    "insert into image (id, sha256, original_name, archive_path, format, width, height, size_bytes, "
                    f"raw_metadata, phash, dhash, persona_id, created_at) values (:id, :sha, :name, :name, 'PNG', 1, 1, "
                    f"1, '{{}}', x'00', x'00', :persona, {at})"
                ),
                {"id": image, "sha": str(image) * 64, "name": name, "persona": persona},
            )
        for post, image, account in ((1, 1, 1), (2, 2, 2), (3, 2, 1)):  # image 2's first post is lamp's
            conn.execute(
                text(
                    "insert into post (id, image_id, account_id, url, platform, status, status_changed_at, logged_at) "
                    f"values (:id, :image, :account, :url, 'pixiv', 'live', {at}, {at})"
                ),
                {"id": post, "image": image, "account": account, "url": f"https://example.org/{post}"},
            )
    engine.dispose()
    factory = _open(tmp_path, "old.db")
    with factory() as session:
        rows = session.execute(text("select image_id, persona_id, name from image_name order by image_id")).all()
        first = session.execute(text("select original_name from image order by id")).scalars().all()
    assert [tuple(row) for row in rows] == [(1, 1, "a.png"), (2, 2, "b.png")]  # c.png: no persona gave it
    assert first == ["a.png", "b.png", "c.png"]


@pytest.mark.slow
def test_concurrent_writers_wait_for_each_other(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from fixtures.imagefactory import pixels

    import tracker

    for i in range(24):
        pixels(seed=100 + i).save(tmp_path / f"{i}.png")
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_") or k == "TRACKER_DB"}
    env["PYTHONPATH"] = str(Path(tracker.__file__).resolve().parents[1])
    env["TRACKER_DATA_DIR"] = str(tmp_path / "data")
    script = (
        "import sys; from click.testing import CliRunner; from tracker.cli import cli\n"
        "r = CliRunner()\n"
        "for i in range(int(sys.argv[1]), 24, 2):\n"
        "    res = r.invoke(cli, ['log', f'{sys.argv[2]}/{i}.png', '--url', f'https://x.com/moth/status/{i}', '--persona', 'moth'])\n"
        "    assert res.exit_code == 0, res.output\n"
    )
    subprocess.run([sys.executable, "-c", "from tracker.cli import cli"], env=env, check=True)  # warm the cache
    procs = [
        subprocess.Popen([sys.executable, "-c", script, str(n), str(tmp_path)], env=env, stderr=subprocess.PIPE)
        for n in (0, 1)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
    factory = open_database(load_settings(db=os.environ.get("TRACKER_DB"), data_dir=str(tmp_path / "data")))
    with factory() as session:
        assert session.execute(text("select count(*) from post")).scalar() == 24
        assert session.execute(text("select count(*) from persona")).scalar() == 1


def test_writers_queue_on_postgresql_as_on_sqlite(tmp_path: Path, backend: str) -> None:
    """A writing unit holds the writers' lock (BEGIN IMMEDIATE on SQLite, an advisory lock on PostgreSQL)."""
    if backend != "postgresql":
        pytest.skip("PostgreSQL only (SQLite's BEGIN IMMEDIATE is covered by the concurrent writers test)")
    from sqlalchemy import text

    from tracker.db.engine import WRITER_LOCK_KEY

    factory = _open(tmp_path)
    with session_scope(factory, command="test") as session:
        held = session.execute(
            text("select count(*) from pg_locks where locktype = 'advisory' and objid = :key and granted"),
            {"key": WRITER_LOCK_KEY},
        ).scalar_one()
        assert held == 1
    with factory() as session:  # a reader takes nothing
        assert session.execute(text("select count(*) from pg_locks where locktype = 'advisory'")).scalar_one() == 0


def test_every_new_session_factory_keeps_the_audit_trail(tmp_path: Path) -> None:
    """A factory opened after an earlier one was garbage-collected (same id() possibly) still audits."""
    import gc

    for n in range(1, 41):
        factory = _open(tmp_path)
        with session_scope(factory, command="test") as session:
            session.add(Persona(name=f"p{n}"))
        with factory() as session:
            assert len(session.scalars(select(Event)).all()) == n, f"factory #{n} wrote no audit entry"
        factory.kw["bind"].dispose()
        del factory, session
        gc.collect()


@pytest.mark.sqlite_only
def test_upgrade_to_0015_keeps_every_complaint_with_its_decisions_and_posts(tmp_path: Path) -> None:
    """The duplicate_of column is added in place: a copy of the complaint table, dropped under the foreign keys
    the app's connections keep on, would take each complaint's decisions and named posts with it."""
    from alembic import command

    from tracker.db.engine import create_db_engine

    engine = create_db_engine(load_settings(db=str(tmp_path / "old.db")))  # as the app connects: foreign keys on
    cfg = migrate.alembic_config()
    at = "'2026-01-01 00:00:00'"
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0014")
        conn.execute(text(f"insert into persona (id, name, created_at) values (1, 'moth', {at})"))
        conn.execute(text(f"insert into account (id, persona_id, platform, created_at) values (1, 1, 'pixiv', {at})"))
        conn.execute(
            text(
                "insert into image (id, sha256, original_name, archive_path, format, width, height, size_bytes, "
                f"raw_metadata, phash, dhash, created_at) values (1, :sha, 'a.png', 'a.png', 'PNG', 1, 1, 1, '{{}}', "
                f"x'00', x'00', {at})"
            ),
            {"sha": "1" * 64},
        )
        conn.execute(
            text(
                "insert into post (id, image_id, account_id, url, platform, status, status_changed_at, logged_at) "
                f"values (1, 1, 1, 'https://example.org/1', 'pixiv', 'live', {at}, {at})"
            )
        )
        conn.execute(
            text(
                "insert into complaint (id, received_at, channel, legal_basis, claimed_urls, completeness, status, "
                f"created_at) values (1, {at}, 'email', 'none', '[]', '{{}}', 'decided', {at})"
            )
        )
        conn.execute(text("insert into complaint_post (id, complaint_id, post_id, reference) values (1, 1, 1, '1')"))
        conn.execute(
            text(
                "insert into decision (id, complaint_id, action, post_ids, decided_at) "
                f"values (1, 1, 'take_down', '[1]', {at})"
            )
        )
    engine.dispose()
    factory = _open(tmp_path, "old.db")
    with factory() as session:
        assert session.execute(text("select count(*) from decision")).scalar() == 1
        assert session.execute(text("select count(*) from complaint_post")).scalar() == 1
        assert session.execute(text("select duplicate_of_id from complaint")).all() == [(None,)]


CTRL_C_WHILE_CLOSING = """
import sys
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite

from tracker.db.engine import create_db_engine
from tracker.support.settings import Settings


def ctrl_c(self, connection):
    raise KeyboardInterrupt


folder = Path(sys.argv[1])
engine = create_db_engine(Settings(db_url=f"sqlite:///{folder / 'scratch.db'}", data_dir=folder,
                                   archive_dir=folder / "archive"))
with engine.connect() as connection:
    connection.execute(text("SELECT 1"))
SQLiteDialect_pysqlite.do_close = ctrl_c
try:
    engine.dispose()
except KeyboardInterrupt:
    print("interrupted")
"""


def test_a_ctrl_c_while_any_engine_closes_a_connection_prints_no_traceback(tmp_path: Path) -> None:
    """A restore checks the backup's schema against migrations run on a scratch database of its own engine: a
    Ctrl+C while that engine closed its connection had SQLAlchemy's pool print "Exception closing connection" and a
    traceback above the one line the interrupt ends in (the log is silenced for every engine now)."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", CTRL_C_WHILE_CLOSING, str(tmp_path)], capture_output=True, text=True, timeout=60
    )
    assert done.stdout.strip() == "interrupted", done.stderr
    assert done.stderr == ""
