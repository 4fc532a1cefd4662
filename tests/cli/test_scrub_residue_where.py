"""After a scrub, the leftover-name check says which record still holds the persona's name, not only that one does.

The byte search of the database file cannot tell whose text it found: another persona's title, a decision's private
notes. The rows left are searched for the name, and the check names the table and record ("decision #1's notes").
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from tracker.cli.purge import _database_lines
from tracker.purge.residue import find_residue
from tracker.purge.scrub import ScrubReport


def _database(path: Path) -> Path:
    with closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE decision (id INTEGER PRIMARY KEY, notes TEXT, reply_note TEXT)")
        db.execute("CREATE TABLE event (id INTEGER PRIMARY KEY, changes JSON)")
        db.execute("INSERT INTO decision VALUES (1, 'asked moth about it', NULL), (2, 'nothing here', NULL)")
        db.execute("INSERT INTO event VALUES (7, ?)", ('{"title": [null, "\\u3082\\u3059 moth"]}',))
        db.commit()
    return path


def test_the_check_names_the_records_that_hold_the_name(tmp_path: Path) -> None:
    database = _database(tmp_path / "tracker.db")
    residue = find_residue([database], "moth", ["https://www.pixiv.net/artworks/1"], database=database)
    assert residue.name_found and residue.name_where == ("decision #1's notes", "event #7's changes")
    report = ScrubReport(persona="moth", dry_run=False, vacuumed=True, residue=residue)
    lines = _database_lines(report)
    assert lines[-1].strip() == "(another record holds the same text: decision #1's notes, event #7's changes)"


def test_a_name_in_no_row_left_keeps_the_general_words(tmp_path: Path) -> None:
    database = _database(tmp_path / "tracker.db")
    residue = find_residue([database], "nothing", [], database=database)
    assert residue.name_where == ("decision #2's notes",)
    free = tmp_path / "freed.bin"
    free.write_bytes(b"\0kite\0")  # the bytes without a row: freed pages, a WAL
    residue = find_residue([free], "kite", [], database=database)
    assert residue.name_found and residue.name_where == ()
    lines = _database_lines(ScrubReport(persona="kite", dry_run=False, vacuumed=True, residue=residue))
    assert "another persona's title" in lines[-1]
