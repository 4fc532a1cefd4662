"""`tracker posts --persona/--platform`: a typo is an error with "did you mean", as `log` answers it.

`posts` reads without the ORM; its filters are checked on the same connection, with the same
persona matching (`posts.persona_names`) and the same platform names (`twitter` is `x`) as the
commands that write.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import A1111_INFOTEXT, FORGE_INFOTEXT, pixels, write_png
from fixtures.loaded import clean_environment

pytestmark = pytest.mark.db


@pytest.fixture
def archive(tracker: Tracker, tmp_path: Path) -> None:
    """moth's posts on pixiv and X, one on a site tracker does not know; Night Owl's on pixiv."""
    a = write_png(tmp_path / "a.png", {"parameters": FORGE_INFOTEXT})
    b = write_png(tmp_path / "b.png", {"parameters": A1111_INFOTEXT}, image=pixels(seed=2))
    c = write_png(tmp_path / "c.png", {}, image=pixels(seed=3))
    tracker("log", a, "--url", "https://www.pixiv.net/artworks/100000001", "--persona", "moth")
    tracker("log", b, "--url", "https://x.com/moth_ai/status/1800000000000000001", "--persona", "moth")
    tracker("log", c, "--url", "https://example-art.net/u/moth/12345", "--persona", "moth", "--platform", "exampleart")
    tracker("log", c, "--url", "https://www.pixiv.net/artworks/100000002", "--persona", "Night Owl")


def error_line(tracker: Tracker, *args: str, code: int = 2) -> str:
    """The one line a refused `tracker posts ...` prints (nothing on stdout, a usage error's exit code unless
    `code` says otherwise: 1 for a persona that does not exist, as every command naming a persona)."""
    result = tracker("posts", *args, ok=False)
    assert result.exit_code == code and result.stdout == ""
    [line] = result.stderr.splitlines()
    return line


@pytest.mark.parametrize("typed", ["mtoh", "Moth", "ＭＯＴＨ", " moht "])
def test_a_persona_typo_is_an_error_that_suggests_the_name(archive: None, tracker: Tracker, typed: str) -> None:
    for flags in ((), ("--json",), ("--jsonl",)):
        line = error_line(tracker, "--persona", typed, *flags, code=1)
        assert line == f"tracker: error: no persona {typed.strip()!r}: did you mean 'moth'?"


def test_an_unknown_persona_is_an_error_too(archive: None, tracker: Tracker) -> None:
    assert error_line(tracker, "--persona", "nobody", code=1) == (
        "tracker: error: no persona 'nobody' (`tracker personas` lists them)"
    )
    assert [p["id"] for p in tracker.json("posts", "--persona", "Night Owl")] == [4]


@pytest.mark.parametrize(("typed", "key"), [("twitter", "x"), ("Twitter", "x"), ("X", "x"), ("ｐｉｘｉｖ", "pixiv")])
def test_platform_names_and_aliases_are_the_platform(archive: None, tracker: Tracker, typed: str, key: str) -> None:
    listed = tracker.json("posts", "--platform", typed)
    assert listed and {p["platform"] for p in listed} == {key}


def test_a_site_tracker_does_not_know_is_found_by_the_name_it_was_logged_under(archive: None, tracker: Tracker) -> None:
    assert [p["url"] for p in tracker.json("posts", "--platform", "ExampleArt")] == [
        "https://example-art.net/u/moth/12345"
    ]
    assert "No posts match." in tracker("posts", "--platform", "tumblr").stdout  # known, nothing posted there


def test_a_platform_typo_is_an_error_that_suggests_the_name(archive: None, tracker: Tracker) -> None:
    assert error_line(tracker, "--platform", "pixv") == "tracker: error: no platform 'pixv': did you mean 'pixiv'?"
    assert error_line(tracker, "--platform", "twiter", "--jsonl") == (
        "tracker: error: no platform 'twiter': did you mean 'twitter'?"
    )
    assert error_line(tracker, "--platform", "exampleartt") == (
        "tracker: error: no platform 'exampleartt': did you mean 'exampleart'?"
    )
    line = error_line(tracker, "--platform", "myspace")
    assert line.startswith("tracker: error: no platform 'myspace'; the platforms are pixiv, x, ")
    assert line.endswith(", exampleart")


def test_log_answers_a_full_width_persona_as_posts_does(archive: None, tracker: Tracker, tmp_path: Path) -> None:
    image = write_png(tmp_path / "d.png", {}, image=pixels(seed=4))
    refused = tracker(
        "log", image, "--url", "https://www.pixiv.net/artworks/100000003", "--persona", "ＭＯＴＨ", ok=False
    )
    assert refused.exit_code == 2
    assert refused.stderr.strip() == (
        "tracker: error: no persona 'ＭＯＴＨ': did you mean 'moth'? (--new-persona to create it)"
    )


@pytest.mark.slow
@pytest.mark.sqlite_only
def test_the_filters_are_checked_without_sqlalchemy(archive: None, isolated_env: Path) -> None:
    """A whole process: the typo is answered, and no SQLAlchemy is loaded to answer it."""
    import subprocess

    env = clean_environment(isolated_env)
    probe = (
        "import sys\n"
        "from tracker.cli import main\n"
        "sys.argv = ['tracker', 'posts', '--persona', 'Moth', '--platform', 'twitter']\n"
        "try:\n    main()\nexcept SystemExit as exit:\n    code = exit.code\n"
        "print('loaded:' + ','.join(m for m in ('sqlalchemy', 'sqlalchemy.orm') if m in sys.modules))\n"
        "print('exit:', code)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=120)
    assert done.stdout.splitlines()[-2:] == ["loaded:", "exit: 1"], done.stderr
    assert "did you mean 'moth'?" in done.stderr
