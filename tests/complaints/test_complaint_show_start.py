"""`tracker complaint show N` starts at once: on a SQLite file at this revision it reads without SQLAlchemy,
in all three forms (text, `--json`, `--reply`), and through the engine (any other database) it prints the
same bytes; the ORM's complaint and the rows read as SQL become the same dict. So does `tracker complaint
reply N`: the letter drafted without SQLAlchemy is the one drafted through the engine, byte for byte."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fixtures.common import Tracker, database_url
from fixtures.imagefactory import FORGE_INFOTEXT, write_novelai_png, write_png

PIXIV = "https://www.pixiv.net/artworks/100000001"
BSKY = "https://bsky.app/profile/moth.bsky.social/post/3kabc"
ESCAPED = '佐藤 "美咲" \\ \x1b[31m<x>'
"""A name with quotes, a backslash and a terminal escape: shown escaped, the same on both paths."""
NUMBERS = ("1", "2", "3", "4", "#5")


def _sql(data_dir: Path, statement: Any) -> None:
    """One change made behind the tracker's back (a row deleted, an old entry), foreign keys enforced."""
    from sqlalchemy import create_engine

    engine = create_engine(database_url(data_dir))
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.execute(statement)
    finally:
        engine.dispose()


def _letter_without_subject(data_dir: Path, number: int) -> None:
    """The entries marking complaint `number`'s reply sent, as written before subjects were kept."""
    from sqlalchemy import create_engine, select, update

    from tracker.db.schema import event

    engine = create_engine(database_url(data_dir))
    try:
        with engine.connect() as conn:
            found = conn.execute(
                select(event.c.id, event.c.changes).where(event.c.entity == "complaint", event.c.entity_id == number)
            ).all()
    finally:
        engine.dispose()
    for entry_id, changes in found:
        if "reply_subject" in (changes or {}):
            kept = {key: value for key, value in changes.items() if key != "reply_subject"}
            _sql(data_dir, update(event).where(event.c.id == entry_id).values(changes=kept))


@pytest.fixture
def archive(tracker: Tracker, tmp_path: Path, isolated_env: Path) -> None:
    """Five complaints: (1) two posts, an image, a message, a take-down confirmed and answered, then a dispute
    answered again, then corrected; (2) Japanese, with escapes in the name, answered before subjects were kept;
    (3) no post, a Japanese message, decided only; (4) open, naming a post since marked deleted; (5) naming a
    post whose row was deleted, its take-down revised and answered."""
    forge = write_png(tmp_path / "夜の庭.png", {"parameters": FORGE_INFOTEXT})
    tracker("log", forge, "--url", PIXIV, "--persona", "moth", "--title", "夜の庭", "--posted-at", "2026-10-01")
    nai = write_novelai_png(tmp_path / "nai.png")
    tracker("log", nai, "--url", BSKY, "--title", 'odd "name" \\ back')
    third = write_png(tmp_path / "third.png", {"parameters": FORGE_INFOTEXT.replace("Steps: ", "Steps: 1")})
    tracker("log", third, "--url", "https://www.pixiv.net/artworks/100000003")
    tracker("complaint", "add", "--post", "1", "--post", BSKY, "--image", nai, "--basis", "dmca", "--name", "Jane Roe",
            "--org", "Roe & Co", "--role", "agent", "--contact", "jane@example.com", "--work-title", "Sunset",
            "--work-url", "https://example.com/a", "--message", "Dear owner,\nyou copied my sunset.\n\tThanks",
            "--received", "2026-11-05", "--platform", "pixiv", "--ticket", "T-1")  # fmt: skip
    tracker("complaint", "decide", "1", "--action", "take_down", "--notes", "private", "--reply-note", "Removed.")
    tracker("complaint", "confirm", "1")
    tracker("complaint", "reply", "1", "--answered")
    tracker("complaint", "decide", "1", "--action", "dispute", "--reason", "small_part", "--notes", "Look\nagain",
            "--post", "1")  # fmt: skip
    tracker("complaint", "reply", "1", "--answered")
    tracker("complaint", "set", "1", "--name", "Jane Q. Roe", "--deadline", "2026-12-01", "--element", "signature")
    tracker("complaint", "add", "--post", "2", "--basis", "jp", "--name", ESCAPED, "--contact", "misaki@example.jp",
            "--received", "2026-11-06", "--lang", "ja")  # fmt: skip
    tracker("complaint", "decide", "2", "--action", "ask_info")
    tracker("complaint", "reply", "2", "--answered")
    _letter_without_subject(isolated_env, 2)
    tracker("complaint", "add", "--persona", "moth", "--name", "山田", "--message", "私の作品を無断で使用しています。",
            "--received", "2026-11-07")  # fmt: skip
    tracker("complaint", "decide", "3", "--action", "dispute", "--reason", "not_my_post")  # it names no post
    tracker("complaint", "add", "--post", "2", "--name", "Bob", "--received", "2026-11-08")
    tracker("post", "set", "2", "--status", "deleted")
    tracker("complaint", "add", "--post", "3", "--post", "1", "--name", "Dave", "--received", "2026-11-10")
    tracker("complaint", "decide", "5", "--action", "take_down")
    tracker("complaint", "confirm", "5", "--post", "3")
    tracker("complaint", "decide", "5", "--action", "withdrawn")
    tracker("complaint", "decide", "5", "--action", "take_down")
    tracker("complaint", "reply", "5", "--answered")
    from sqlalchemy import delete

    from tracker.db.schema import post

    _sql(isolated_env, delete(post).where(post.c.id == 3))


SHOWN = [
    ["complaint", "show", number, *form]
    for number in NUMBERS
    for form in ([], ["--json"], ["--reply"], ["--reply", "--json"])
]


@pytest.mark.slow
def test_complaint_show_starts_without_sqlalchemy(archive: None, tracker: Tracker) -> None:
    """The half second SQLAlchemy and the ORM take to load is not spent, and the bytes and exit code are the same."""
    if os.environ.get("TRACKER_DB"):
        pytest.skip("the quick path is for SQLite files; PostgreSQL opens through the engine")
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}  # into a pipe, as the runner prints: unfolded
    for command in [*SHOWN, ["complaint", "show", "9"]]:
        expected = tracker(*command, ok=False)
        run = [sys.executable, "-X", "importtime", "-m", "tracker", *command]
        done = subprocess.run(run, capture_output=True, env=env)
        assert (done.returncode, done.stdout) == (expected.exit_code, expected.stdout_bytes), command
        loaded = done.stderr.decode()
        assert "tracker.complaints.stored" in loaded and "sqlalchemy" not in loaded, command


@pytest.mark.db
def test_complaint_show_through_the_engine_prints_what_the_quick_path_prints(
    archive: None, tracker: Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Any database but a SQLite file at this revision is read through the engine: the same text, JSON and letters."""
    from tracker.cli.context import AppContext

    quick = [tracker(*command).stdout for command in SHOWN]
    monkeypatch.setattr(AppContext, "quick_reader", lambda self: None)
    assert [tracker(*command).stdout for command in SHOWN] == quick
    first = tracker.json("complaint", "show", "1")
    assert [d["action"] for d in first["decisions"]] == ["take_down", "dispute"]
    assert [p["status"] for p in first["posts"]] == ["taken_down", "deleted"]
    letters = tracker.json("complaint", "show", "2", "--reply")
    assert [letter["subject"] for letter in letters] == [None], "a letter sent before subjects were kept"
    assert tracker.json("complaint", "show", "5")["post_ids"] == [1], "the post whose row was deleted is gone"
    assert '佐藤 "美咲" \\ <x>' in tracker("complaint", "show", "2").stdout, "quotes kept, the colour code not"


@pytest.mark.db
def test_the_orm_and_the_rows_read_as_sql_make_one_view(archive: None, isolated_env: Path) -> None:
    """`complaint set` shapes the ORM's complaint, `complaint show` the rows read as SQL: by one function, alike."""
    from tracker.cli.context import AppContext
    from tracker.complaints.records import get_complaint
    from tracker.complaints.stored import pending_takedown, read_complaint
    from tracker.complaints.views import complaint_dict
    from tracker.support.dates import utcnow

    app = AppContext(db=None, data_dir=None)
    now, folder = utcnow(), app.settings.archive_dir
    try:
        with app.sessions()() as session:
            for number in (1, 2, 3, 4, 5):
                orm, rows = get_complaint(session, number), read_complaint(session, number)
                through_orm = complaint_dict(orm, folder, now, pending_takedown(session, orm))
                assert complaint_dict(rows, folder, now, pending_takedown(session, rows)) == through_orm, number
    finally:
        app.close()


REPLIES = [["complaint", "reply", number, *form] for number in NUMBERS for form in ([], ["--json"])]
"""A counter-notice (1), a Japanese ask_info letter (2), a dispute naming no post (3), no decision yet (4), a
take-down with a post whose row was deleted (5)."""


@pytest.mark.slow
def test_complaint_reply_starts_without_sqlalchemy_and_drafts_what_the_engine_drafts(
    archive: None, tracker: Tracker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Drafting a letter only reads: the half second SQLAlchemy takes to load is not spent, and the letter, the
    notes on stderr, the file `--out` writes and the exit code are those of the engine's path (PostgreSQL)."""
    if os.environ.get("TRACKER_DB"):
        pytest.skip("the quick path is for SQLite files; PostgreSQL opens through the engine")
    from tracker.cli.context import AppContext

    monkeypatch.setattr(AppContext, "quick_reader", lambda self: None)  # in this process: the engine's path
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    written = [["complaint", "reply", "1", "--out"], ["complaint", "reply", "2", "--out"]]
    for n, command in enumerate([*REPLIES, *written, ["complaint", "reply", "9"]]):
        through, quick = tmp_path / f"{n}-engine.txt", tmp_path / f"{n}-quick.txt"
        writes = "--out" in command
        expected = tracker(*command, *([through] if writes else []), ok=False)
        run = [sys.executable, "-X", "importtime", "-m", "tracker", *command, *([str(quick)] if writes else [])]
        done = subprocess.run(run, capture_output=True, env=env)
        assert (done.returncode, done.stdout) == (expected.exit_code, expected.stdout_bytes), command
        lines = done.stderr.decode().splitlines(keepends=True)
        notes = "".join(line for line in lines if not line.startswith("import time:"))
        assert notes.replace(str(quick), str(through)) == expected.stderr, command
        if writes:
            assert quick.read_bytes() == through.read_bytes(), command
        loaded = "".join(lines)
        assert "tracker.complaints.letters.letter_facts" in loaded and "sqlalchemy" not in loaded, command
