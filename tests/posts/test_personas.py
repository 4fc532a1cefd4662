"""Personas kept straight: listed, signed, renamed, merged, a post moved, and a typo never splits one."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker, query
from fixtures.imagefactory import FORGE_INFOTEXT, pixels, write_png

pytestmark = pytest.mark.db

PIXIV = "https://www.pixiv.net/artworks/{}"


def _image(tmp_path: Path, seed: int) -> Path:
    return write_png(tmp_path / f"{seed}.png", {"parameters": FORGE_INFOTEXT}, image=pixels(seed=seed))


def _one_error(tracker: Tracker, *args: str) -> str:
    result = tracker(*args, ok=False)
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("tracker: error: ")
    return result.stderr


@pytest.fixture
def two(tracker: Tracker, tmp_path: Path) -> Tracker:
    """moth: two pixiv posts (#1, #2) and a complaint about #1; lantern: one X post (#3)."""
    tracker("log", _image(tmp_path, 1), "--url", PIXIV.format(1), "--persona", "moth")
    tracker("log", _image(tmp_path, 2), "--url", PIXIV.format(2), "--persona", "moth")
    tracker("log", _image(tmp_path, 3), "--url", "https://x.com/lantern_ai/status/3", "--persona", "lantern")
    tracker("complaint", "add", "--post", "1", "--name", "Ann")
    return tracker


def test_personas_are_listed_with_their_counts(two: Tracker) -> None:
    listed = {p["name"]: p for p in two.json("personas")}
    assert listed["moth"] == {
        "name": "moth",
        "display_name": None,
        "contact": None,
        "accounts": 1,
        "posts": 2,
        "live_posts": 2,
        "open_complaints": 1,
    }
    assert listed["lantern"]["posts"] == 1 and listed["lantern"]["open_complaints"] == 0
    text = two("personas").stdout
    assert text.splitlines()[0].split() == ["PERSONA", "ACCOUNTS", "POSTS", "LIVE", "OPEN", "COMPLAINTS", "SIGNS", "AS"]


def test_a_typo_never_makes_a_second_persona(two: Tracker, tmp_path: Path, isolated_env: Path) -> None:
    for name in ("Moth", "mtoh", "moths"):
        error = _one_error(two, "log", _image(tmp_path, 9), "--url", PIXIV.format(9), "--persona", name)
        assert f"no persona {name!r}: did you mean 'moth'? (--new-persona to create it)" in error
    folder = tmp_path / "batch"
    folder.mkdir()
    _image(folder, 10)
    assert "did you mean 'moth'" in _one_error(two, "import", folder, "--persona", "motth")
    assert "did you mean 'moth'" in _one_error(two, "complaint", "add", "--persona", "Moth")
    assert [row[0] for row in query(isolated_env, "select name from persona order by name")] == ["lantern", "moth"]
    two("log", _image(tmp_path, 9), "--url", PIXIV.format(9), "--persona", "moths", "--new-persona")
    two("complaint", "add", "--persona", "newcomer", "--new-persona")
    names = [row[0] for row in query(isolated_env, "select name from persona order by name")]
    assert names == ["lantern", "moth", "moths", "newcomer"]


def test_sign_off_rename_and_merge_keep_everything(two: Tracker, isolated_env: Path) -> None:
    shown = two.json("persona", "set", "moth", "--display-name", "Moth Atelier", "--contact", "moth@example.org")
    assert shown["display_name"] == "Moth Atelier" and shown["contact"] == "moth@example.org"
    two("persona", "set", "moth", "--contact", "")
    assert two.json("personas")[1]["contact"] is None
    assert "no persona 'nobody'" in _one_error(two, "persona", "set", "nobody", "--contact", "x")

    two("persona", "rename", "moth", "moth-2")
    assert {post["persona"] for post in two.json("posts")} == {"moth-2", "lantern"}
    assert "exists already" in _one_error(two, "persona", "rename", "lantern", "moth-2")

    moved = two.json("persona", "merge", "lantern", "moth-2")
    assert moved["moved"] == {"accounts": 1, "posts": 1, "images": 1, "complaints": 0}
    assert [p["name"] for p in two.json("personas")] == ["moth-2"]
    assert {post["persona"] for post in two.json("posts")} == {"moth-2"}
    actions = {row for row in query(isolated_env, "select entity, action from event where command like 'persona%'")}
    assert {("persona", "update"), ("account", "update"), ("persona", "delete")} <= actions


def test_a_post_moves_with_its_account_only_when_it_is_alone(two: Tracker, isolated_env: Path) -> None:
    error = _one_error(two, "post", "set", "1", "--persona", "lantern")
    assert "which has 1 other post" in error
    changed = two.json("post", "set", "3", "--persona", "moth")
    assert changed["changes"] == {"persona": ["lantern", "moth"]}
    assert two.json("show", "3")["persona"] == "moth"
    assert "did you mean 'moth'" in _one_error(two, "post", "set", "3", "--persona", "Moth")


def test_merging_is_refused_once_a_burn_down_started(two: Tracker) -> None:
    two("purge", "plan", "lantern")
    assert "burn-down" in _one_error(two, "persona", "merge", "lantern", "moth")


def test_a_complaint_moves_with_the_only_post_it_names(two: Tracker) -> None:
    """A complaint belongs to the persona of its posts: one about lantern's post alone moves to moth with the
    post (a scrub of lantern would otherwise delete moth's open complaint)."""
    two("complaint", "add", "--post", "3", "--name", "Bo")
    two("post", "set", "3", "--persona", "moth")
    assert two.json("complaint", "show", "2")["persona"] == "moth"


def test_a_post_named_with_others_by_one_complaint_stays(two: Tracker, tmp_path: Path) -> None:
    """A complaint naming two of lantern's posts cannot be split between personas: refused, with the way out."""
    two("log", _image(tmp_path, 4), "--url", "https://www.deviantart.com/lantern/art/x-4", "--persona", "lantern")
    two("complaint", "add", "--post", "3", "--post", "4", "--name", "Cy")
    error = _one_error(two, "post", "set", "3", "--persona", "moth")
    assert "complaint #2 together with lantern's post #4" in error and "tracker persona merge" in error
    assert two.json("show", "3")["persona"] == "lantern" and two.json("complaint", "show", "2")["persona"] == "lantern"


def test_a_rename_never_makes_two_personas_told_apart_by_case_or_width(two: Tracker) -> None:
    for new in ("Moth", "ｍｏｔｈ"):
        said = _one_error(two, "persona", "rename", "lantern", new)
        assert "'moth' exists already" in said and "only in case or width" in said
    two("persona", "rename", "moth", "Moth")  # its own name in another case is fine
    assert sorted(p["name"] for p in two.json("personas")) == ["Moth", "lantern"]
    assert "control characters" in _one_error(two, "persona", "rename", "lantern", "X\x1b[31mY")
