"""`tracker posts --json` / `--jsonl`: streamed listings that say exactly what `show` says of each post."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fixtures.common import Tracker, query
from fixtures.imagefactory import FORGE_INFOTEXT, pixels, write_novelai_png, write_png
from fixtures.stealth_writer import embed_stealth, noise
from hypothesis import given
from hypothesis import strategies as st

pytestmark = pytest.mark.db

SHOW_ONLY = ("events", "provenance", "last_check", "complaints", "pages")
IMAGE_SHOW_ONLY = ("generation", "raw_metadata", "archive_file", "orientation")
"""What `show --json` adds to a post and its image that a listing leaves out."""


@pytest.fixture
def archive(tracker: Tracker, tmp_path: Path) -> None:
    """Posts of every kind a listing meets: infotext, NovelAI, hidden metadata, none, one image twice."""
    forge = write_png(tmp_path / "夜の庭.png", {"parameters": FORGE_INFOTEXT})
    tracker("log", forge, "--url", "https://www.pixiv.net/artworks/100000001", "--persona", "moth",
            "--title", "夜の庭", "--posted-at", "2026-10-01")  # fmt: skip
    tracker("log", forge, "--url", "https://x.com/moth_ai/status/1800000000000000001")
    tracker(
        "log", write_novelai_png(tmp_path / "nai.png"), "--url", "https://bsky.app/profile/moth.bsky.social/post/3kabc"
    )
    bare = tmp_path / "bare.png"
    pixels(seed=9).save(bare)
    tracker("log", bare, "--url", "https://www.pixiv.net/artworks/100000002", "--requested-by", "a friend",
            "--permission-at", "2026-09-30")  # fmt: skip
    hidden = tmp_path / "hidden.png"
    embed_stealth(noise(96, 96, seed=4), "a hidden prompt\nSteps: 20, Sampler: Euler, Seed: 1").save(hidden)
    tracker("log", hidden, "--url", "https://www.pixiv.net/artworks/100000003")


def _expected(tracker: Tracker, post_id: int) -> dict[str, Any]:
    shown = tracker.json("show", str(post_id))
    image = {k: v for k, v in shown["image"].items() if k not in IMAGE_SHOW_ONLY}
    return {**{k: v for k, v in shown.items() if k not in SHOW_ONLY}, "image": image}


def test_the_listing_says_what_show_says_of_every_post(archive: None, tracker: Tracker) -> None:
    listed = tracker.json("posts")
    assert [p["id"] for p in listed] == [5, 4, 3, 2, 1]  # newest logged first
    for post in listed:
        assert post == _expected(tracker, post["id"])
    by_id = {p["id"]: p for p in listed}
    assert by_id[1]["image"] == by_id[2]["image"]  # one picture, two platforms
    assert by_id[1]["image"]["generator"] and by_id[3]["image"]["generator"] == "novelai"
    assert by_id[4]["image"]["generator"] is None and by_id[4]["request"]["requested_by"] == "a friend"
    assert by_id[5]["image"]["hidden_metadata"]


def test_json_lines_give_one_post_per_line(archive: None, tracker: Tracker) -> None:
    out = tracker("posts", "--jsonl").stdout
    lines = out.splitlines()
    assert len(lines) == 5 and out.endswith("\n")
    assert [json.loads(line) for line in lines] == tracker.json("posts")
    assert "夜の庭" in out  # readable, not \\u-escaped


def test_filters_and_an_empty_listing(archive: None, tracker: Tracker) -> None:
    assert [p["id"] for p in tracker.json("posts", "--platform", "pixiv")] == [5, 4, 1]
    assert [p["id"] for p in tracker.json("posts", "--status", "live", "--persona", "moth")] == [5, 4, 3, 2, 1]
    assert tracker("posts", "--persona", "moth", "--status", "deleted", "--json").stdout == "[]\n"
    assert tracker("posts", "--persona", "moth", "--status", "deleted", "--jsonl").stdout == ""
    assert tracker("posts", "--persona", "nobody", "--json", ok=False).exit_code == 1  # a typo, not "no posts"
    both = tracker("posts", "--json", "--jsonl", ok=False)
    assert both.exit_code != 0 and "choose one" in both.output


def test_text_from_metadata_cannot_drive_the_terminal(tracker: Tracker, tmp_path: Path) -> None:
    hostile = FORGE_INFOTEXT.replace("Model: hassakuXL_v13", "Model: hassaku\x1b]52;c;ZXZpbA==\x07\u202e\x9b31m", 1)
    tracker("log", write_png(tmp_path / "h.png", {"parameters": hostile}, image=pixels(seed=5)),
            "--url", "https://www.pixiv.net/artworks/100000009", "--persona", "moth")  # fmt: skip
    for flag in ("--json", "--jsonl"):
        out = tracker("posts", flag).stdout
        assert not any(c in out for c in "\x1b\x07\u202e\x9b")
        assert "hassaku\\u001b]52;c;ZXZpbA==\\u0007\\u202e\\u009b31m" in out
        assert json.loads(out.splitlines()[0 if flag == "--jsonl" else 1])["image"]["model"]["name"].startswith(
            "hassaku\x1b"
        )


def test_reports_are_kept_and_rebuilt_when_the_rules_change(
    archive: None, tracker: Tracker, isolated_env: Path
) -> None:
    first = tracker("posts", "--jsonl").stdout
    kept = query(isolated_env, "SELECT image_id, context FROM image_report ORDER BY image_id")
    assert [image for image, _ in kept] == [1, 2, 3, 4]  # one report per image, the shared one once
    assert tracker("posts", "--jsonl").stdout == first  # spliced from what was kept, word for word
    # A new artist list changes what the rules say: no kept report may answer for it.
    (isolated_env / "artists.txt").write_text("solo\n")
    flagged = [json.loads(line) for line in tracker("posts", "--jsonl").stdout.splitlines()]
    forge = next(p for p in flagged if p["id"] == 1)
    assert any("solo" in f["message"] for f in forge["image"]["findings"])
    assert forge == _expected(tracker, 1)
    assert {context for _, context in query(isolated_env, "SELECT image_id, context FROM image_report")} != {kept[0][1]}


def test_a_kept_report_is_escaped_again(archive: None, tracker: Tracker, isolated_env: Path) -> None:
    """A database restored from elsewhere could hold anything in its kept reports."""
    tracker("posts", "--jsonl")
    from fixtures.common import database_url
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url(isolated_env))
    with engine.begin() as conn:
        conn.execute(text("UPDATE image_report SET report = :r"), {"r": '{"generator": "x\x1b]52;c;\u202e"}'})
    engine.dispose()
    out = tracker("posts", "--jsonl").stdout
    assert "\x1b" not in out and "\u202e" not in out
    assert json.loads(out.splitlines()[0])["image"]["generator"] == "x\x1b]52;c;\u202e"


def test_the_sqlite_fast_path_lists_what_the_general_path_lists(
    archive: None, tracker: Tracker, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On SQLite the rows come from the driver (the standard library's connection at this revision,
    or the engine's driver cursor); every other database takes SQLAlchemy's result. All must print
    the same bytes, awkward text and missing values included."""
    from fixtures.common import database_url
    from sqlalchemy import create_engine, text

    from tracker.posts import listing

    engine = create_engine(database_url(isolated_env))
    with engine.begin() as conn:
        conn.execute(text("UPDATE post SET title = :t WHERE id = 2"), {"t": 'say "hi"\\ \u00a0tab\there \u202e 夜'})
        conn.execute(text("UPDATE account SET handle = :h"), {"h": "moth\u3000ai"})
    engine.dispose()
    tracker("posts", "--jsonl")  # keeps the reports, so both runs below splice kept text
    from tracker.cli.context import AppContext

    for flags in (("--jsonl",), ("--json",), ("--jsonl", "--status", "live", "--platform", "pixiv")):
        fast = tracker("posts", *flags).stdout
        with monkeypatch.context() as patch:
            patch.setattr(AppContext, "quick_reader", lambda self: None)
            engine_driver = tracker("posts", *flags).stdout
            patch.setattr(listing, "_driver_cursor", lambda connection: None)
            general = tracker("posts", *flags).stdout
        assert fast == engine_driver == general
    listed = {p["id"]: p for p in tracker.json("posts")}
    assert listed[2]["title"] == 'say "hi"\\ \u00a0tab\there \u202e 夜'
    assert "\u202e" not in fast and listed[2] == _expected(tracker, 2)


def test_a_tampered_date_cannot_drive_the_terminal(archive: None, tracker: Tracker, isolated_env: Path) -> None:
    """A date in SQLite's stored form is rewritten without parsing it: its text is checked like the rest."""
    from fixtures.common import database_url
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url(isolated_env))
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL stores a date, not text")
    with engine.begin() as conn:
        conn.execute(text("UPDATE post SET posted_at = :d WHERE id = 1"), {"d": "2026-1\x1b-01 12:00:00.000000"})
    engine.dispose()
    for flag in ("--json", "--jsonl"):
        out = tracker("posts", flag).stdout
        assert "\x1b" not in out and "2026-1\\u001b-01T12:00:00+00:00" in out


@pytest.mark.parametrize("array", [True, False])
@pytest.mark.parametrize("encoding", ["utf-8", "latin-1"])
def test_batches_are_written_as_json_lines_or_an_array(
    array: bool, encoding: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Straight to the byte buffer when stdout takes UTF-8, as text otherwise: the same JSON either way."""
    import io

    from tracker.cli.listing import write_batches

    items = [b'{"id": 2, "title": "\xc3\xa9"}', b'{"id": 1}', b'{"id": 0}']
    for batches in ([items[:2], items[2:]], []):
        raw = io.BytesIO()
        monkeypatch.setattr("sys.stdout", io.TextIOWrapper(raw, encoding=encoding, errors="replace"))
        write_batches(iter(batches), array=array)
        texts = [line.decode() for batch in batches for line in batch]
        if array:
            expected = "[\n" + ",\n".join(texts) + "\n]\n" if texts else "[]\n"
        else:
            expected = "".join(text + "\n" for text in texts)
        assert raw.getvalue() == expected.encode(encoding, errors="replace")


@given(st.text() | st.sampled_from(["\ud800", "a\udfff", "\x7f", "\x9b", "\u3000", "\u00e9\u202e", ""]))
def test_printable_says_what_isprintable_says(text: str) -> None:
    from tracker.posts.listing_lines import printable

    assert printable(text) == text.isprintable()


@pytest.mark.slow
def test_a_whole_process_prints_what_the_command_prints(archive: None, tracker: Tracker) -> None:
    """A real stdout is written through its own large byte buffer: same bytes, nothing lost at exit."""
    import subprocess
    import sys

    for flag in ("--json", "--jsonl"):
        expected = tracker("posts", flag).stdout_bytes
        done = subprocess.run([sys.executable, "-m", "tracker", "posts", flag], capture_output=True, check=True)
        assert done.stdout == expected


def test_a_value_of_the_wrong_kind_is_a_one_line_error(archive: None, tracker: Tracker, isolated_env: Path) -> None:
    from fixtures.common import database_url
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url(isolated_env))
    if engine.dialect.name != "sqlite":
        pytest.skip("only SQLite stores a value of another kind than its column's")
    with engine.begin() as conn:
        conn.execute(text("UPDATE post SET url = X'1b5b326a' WHERE id = 3"))
    engine.dispose()
    for flag in ("--json", "--jsonl"):
        result = tracker("posts", flag, ok=False)
        assert result.exit_code != 0 and "post #3 cannot be listed" in result.stderr
        assert "Traceback" not in result.output and "\x1b" not in result.stderr


@pytest.mark.slow
def test_a_listing_of_kept_reports_starts_without_sqlalchemy(archive: None, tracker: Tracker) -> None:
    """On a SQLite file at this revision the listing reads through the standard library's driver:
    the quarter of a second SQLAlchemy takes to load is not spent, and the bytes are the same."""
    import os
    import subprocess
    import sys

    if os.environ.get("TRACKER_DB"):
        pytest.skip("the quick path is for SQLite files; PostgreSQL opens through the engine")
    expected = tracker("posts", "--json").stdout_bytes  # the first listing builds and keeps the reports
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "tracker", "posts", "--json"], capture_output=True, check=True
    )
    assert done.stdout == expected
    loaded = done.stderr.decode()
    assert "tracker.posts.listing" in loaded and "sqlalchemy" not in loaded


def test_a_database_at_another_revision_is_opened_the_usual_way(tracker: Tracker, isolated_env: Path) -> None:
    """The quick path only reads a file at this revision: any other is upgraded (or refused) as usual."""
    import sqlite3

    from tracker.db.quick import open_at_head
    from tracker.db.revision import REVISION
    from tracker.support.settings import plain_sqlite_file

    tracker("complaint", "add", "--message", "Please remove it.")  # makes the database
    url = f"sqlite:///{isolated_env / 'tracker.db'}"
    if not (isolated_env / "tracker.db").is_file():
        pytest.skip("the test database is not a SQLite file")
    reader = open_at_head(url)
    assert reader is not None
    reader.close()
    with sqlite3.connect(isolated_env / "tracker.db") as raw:
        raw.execute("UPDATE alembic_version SET version_num = '0010'")
    assert open_at_head(url) is None
    assert open_at_head(url + "?timeout=5") is None
    assert plain_sqlite_file("sqlite:///a%20b.db") == Path("a b.db"), "the file SQLAlchemy opens for this URL"
    (isolated_env / "garbage.db").write_bytes(b"not a database at all" * 100)
    assert open_at_head(f"sqlite:///{isolated_env / 'garbage.db'}") is None
    assert open_at_head(f"sqlite:///{isolated_env / 'missing.db'}") is None
    assert not (isolated_env / "missing.db").exists()
    with sqlite3.connect(isolated_env / "tracker.db") as raw:
        raw.execute("UPDATE alembic_version SET version_num = ?", (REVISION,))
    assert tracker("posts").exit_code == 0


def test_a_damaged_table_is_a_one_line_error(archive: None, tracker: Tracker, isolated_env: Path) -> None:
    """The schema and revision read fine, the post table's page is garbage: one line, no traceback."""
    import sqlite3

    db = isolated_env / "tracker.db"
    if not db.is_file():
        pytest.skip("the test database is not a SQLite file")
    tracker("posts", "--json")  # reports kept: the next listing reads only through the standard driver
    with sqlite3.connect(db) as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = raw.execute("PRAGMA page_size").fetchone()[0]
        root = raw.execute("SELECT rootpage FROM sqlite_master WHERE name = 'post'").fetchone()[0]
    with db.open("r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\xa5" * page_size)
    for flag in ("--json", "--jsonl"):
        result = tracker("posts", flag, ok=False)
        assert result.exit_code not in (0, 70), result.stderr
        assert "cannot read the database" in result.stderr and "Traceback" not in result.output
        assert len(result.stderr.strip().splitlines()) == 1
