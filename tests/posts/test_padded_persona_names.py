"""A persona name stored with spaces around it (only an old or hostile backup holds one: new names are trimmed) is
reachable by every command that names a persona, by the name without the spaces; two such names that trim alike
are told apart by the suggestion, quoted so that it can be pasted."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker, database_url
from fixtures.drawings import drawing


def _rename_in_database(data: Path, old: str, new: str) -> None:
    """What a restored backup from elsewhere may hold: a name no command makes."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url(data))
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE persona SET name = :new WHERE name = :old"), {"new": new, "old": old})
    finally:
        engine.dispose()


@pytest.fixture
def padded(tracker: Tracker, tmp_path: Path, isolated_env: Path) -> Path:
    """One post of persona ' moth ' (spaces around it)."""
    drawing(1).save(tmp_path / "a.png")
    tracker("log", tmp_path / "a.png", "--url", "https://www.pixiv.net/artworks/800000001", "--persona", "moth")
    _rename_in_database(isolated_env, "moth", " moth ")
    return tmp_path


def test_a_persona_stored_with_spaces_around_it_is_found_by_its_name(padded: Path, tracker: Tracker) -> None:
    signed = tracker.json("persona", "set", "moth", "--contact", "moth@example.org")
    assert (signed["name"], signed["contact"]) == (" moth ", "moth@example.org")
    assert [post["persona"] for post in tracker.json("posts", "--persona", "moth")] == [" moth "]
    drawing(2).save(padded / "b.png")
    tracker("log", padded / "b.png", "--url", "https://www.pixiv.net/artworks/800000002", "--persona", "moth")
    assert [p["name"] for p in tracker.json("personas")] == [" moth "]  # the same persona, not a new one
    assert tracker("personas").stdout.splitlines()[1].startswith("' moth '  "), "its spaces shown, quoted"
    assert "run #1" in tracker("purge", "plan", "moth").stderr + tracker("purge", "status", "moth").stdout
    renamed = tracker("persona", "rename", "moth", "moth")  # the way out: the name as every command types it
    assert renamed.stdout.startswith("Persona ' moth ' is now 'moth' (in the history of its 2 posts"), renamed.stdout
    assert [(p["name"], p["posts"]) for p in tracker.json("personas")] == [("moth", 2)]


def test_two_names_that_differ_only_in_spaces_are_suggested_as_pastable_words(
    padded: Path, tracker: Tracker, isolated_env: Path
) -> None:
    drawing(3).save(padded / "c.png")
    tracker("log", padded / "c.png", "--url", "https://www.pixiv.net/artworks/800000003", "--persona", "kite")
    _rename_in_database(isolated_env, "kite", "moth  ")
    refused = tracker("persona", "set", "moth", "--contact", "x", ok=False)
    assert refused.exit_code == 1
    assert refused.stderr == "tracker: error: no persona 'moth': did you mean ' moth ' or 'moth  '?\n"
    assert tracker.json("persona", "set", "moth  ", "--contact", "x")["name"] == "moth  "  # exactly as suggested


def test_a_persona_stored_with_spaces_around_it_can_be_scrubbed(padded: Path, tracker: Tracker) -> None:
    """Burnt down by its name, confirmed by typing it as shown (the spaces are not typed)."""
    from tracker.cli import cli

    tracker("purge", "plan", "moth")
    tracker("purge", "mark", "*", "done", "--persona", "moth")
    tracker("purge", "mark", "local:backups", "skipped", "--reason", "no copies", "--persona", "moth")
    done = tracker.runner.invoke(cli, ["purge", "scrub", "moth"], input="moth\n", catch_exceptions=False)
    assert done.exit_code == 0, done.output
    assert tracker.json("personas") == []


def test_a_suggested_name_with_a_control_character_is_written_as_the_shell_reads_it(
    padded: Path, tracker: Tracker, isolated_env: Path
) -> None:
    """`$'moth\\x1b'` pastes back as the very name (repr's `'moth\\x1b'` would be a backslash and three letters)."""
    _rename_in_database(isolated_env, " moth ", "moth\x1b")
    refused = tracker("persona", "set", "moth", "--contact", "x", ok=False)
    assert refused.stderr == "tracker: error: no persona 'moth': did you mean $'moth\\x1b'?\n"


def test_merge_and_remove_say_the_names_as_stored(padded: Path, tracker: Tracker, isolated_env: Path) -> None:
    """The owner reads which persona went, as `tracker personas` shows it, not as typed."""
    drawing(4).save(padded / "d.png")
    tracker("log", padded / "d.png", "--url", "https://www.pixiv.net/artworks/800000004", "--persona", "kite")
    _rename_in_database(isolated_env, "kite", " kite ")
    merged = tracker("persona", "merge", "moth", "kite")
    assert merged.stdout.startswith("Merged ' moth ' into ' kite ': "), merged.stdout
    tracker("post", "remove", "1", "--yes")
    tracker("post", "remove", "2", "--yes")
    assert tracker("persona", "remove", "kite").stdout == "Removed persona ' kite ' (it held nothing).\n"
