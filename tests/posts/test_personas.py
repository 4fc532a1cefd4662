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
        "former_names": [],
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
    assert "did you mean 'moth'" in _one_error(two, "complaint", "add", "--persona", "Moth", "--name", "Ann")
    assert [row[0] for row in query(isolated_env, "select name from persona order by name")] == ["lantern", "moth"]
    two("log", _image(tmp_path, 9), "--url", PIXIV.format(9), "--persona", "moths", "--new-persona")
    two("complaint", "add", "--persona", "newcomer", "--new-persona", "--name", "Ann")
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


def test_a_post_on_a_known_account_moves_with_it_only_when_it_is_alone(two: Tracker, tmp_path: Path) -> None:
    """An X post is its account's: the account moves with its only post; a post of an account that has others
    is refused, never by moving the others (the error says whose account it is, and what to do)."""
    changed = two.json("post", "set", "3", "--persona", "moth")
    assert changed["changes"] == {"persona": ["lantern", "moth"]}
    assert two.json("show", "3")["persona"] == "moth"
    assert "did you mean 'moth'" in _one_error(two, "post", "set", "3", "--persona", "Moth")
    two("log", _image(tmp_path, 4), "--url", "https://x.com/lantern_ai/status/4", "--persona", "moth")
    error = _one_error(two, "post", "set", "4", "--persona", "lantern")
    assert (
        "post #4 is on the x account lantern_ai of persona 'moth', which has 1 other post: a post stays with its "
        "account (if the account is 'lantern''s, merge the personas: tracker persona merge)"
    ) in error
    assert {p["id"]: p["persona"] for p in two.json("posts")} == {1: "moth", 2: "moth", 3: "moth", 4: "moth"}


@pytest.fixture
def mislogged(two: Tracker, tmp_path: Path) -> Tracker:
    """kite: pixiv posts #4 and #5, and #6 (wrong-kite.png) logged under kite although it is moth's."""
    two("persona", "set", "moth", "--display-name", "Moth Atelier")
    two("log", _image(tmp_path, 4), "--url", PIXIV.format(4), "--persona", "kite")
    two("persona", "set", "kite", "--display-name", "Kite Studio")
    two("log", _image(tmp_path, 5), "--url", PIXIV.format(5), "--persona", "kite")
    wrong = write_png(tmp_path / "wrong-kite.png", {"parameters": FORGE_INFOTEXT}, image=pixels(seed=6))
    two("log", wrong, "--url", PIXIV.format(6), "--persona", "kite")
    return two


def test_a_pixiv_post_logged_under_the_wrong_persona_moves_alone(mislogged: Tracker) -> None:
    """A pixiv artwork URL names no account: the post goes to moth's pixiv account, kite keeps its own posts,
    and from then on a reply about it is moth's, and kite's burn-down no longer lists it nor its file."""
    changed = mislogged.json("post", "set", "6", "--persona", "moth")
    assert changed["changes"] == {"persona": ["kite", "moth"]}
    posts = {p["id"]: p["persona"] for p in mislogged.json("posts")}
    assert posts == {1: "moth", 2: "moth", 3: "lantern", 4: "kite", 5: "kite", 6: "moth"}
    accounts = {p["name"]: p["accounts"] for p in mislogged.json("personas")}
    assert accounts == {"kite": 1, "lantern": 1, "moth": 1}  # moth's one pixiv account, no second

    mislogged("complaint", "add", "--post", "6", "--name", "Ann")
    mislogged("complaint", "decide", "2", "--action", "take_down", "--post", "6")
    letter = mislogged.json("complaint", "reply", "2")["text"]
    assert "I post images on pixiv as Moth Atelier." in letter and letter.rstrip().endswith("Moth Atelier")
    assert "Kite" not in letter

    mislogged("purge", "plan", "kite")
    dry = mislogged("purge", "scrub", "kite", "--dry-run").stdout
    assert "post:4" in dry and "post:5" in dry and "post:6" not in dry
    plan = mislogged("purge", "plan", "kite").stdout
    assert "artworks/6" not in plan and "wrong-kite.png" not in plan
    assert "wrong-kite.png" in mislogged("purge", "plan", "moth").stdout


def test_a_post_goes_to_a_new_account_when_the_persona_has_none_there(mislogged: Tracker) -> None:
    """lantern has no pixiv account: one is made for the post; kite keeps its account and its other posts."""
    mislogged("post", "set", "6", "--persona", "lantern")
    listed = {p["name"]: (p["accounts"], p["posts"]) for p in mislogged.json("personas")}
    assert listed == {"kite": (1, 2), "lantern": (2, 2), "moth": (1, 2)}


def test_merging_is_refused_once_a_burn_down_started(two: Tracker) -> None:
    two("purge", "plan", "lantern")
    assert "burn-down" in _one_error(two, "persona", "merge", "lantern", "moth")


def test_a_persona_typed_wrong_is_removed_once_its_post_went_to_the_right_one(
    two: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    """Logged under `nobody` by a slip, the post goes to moth; `nobody` then holds nothing and can go."""
    two("log", _image(tmp_path, 4), "--url", PIXIV.format(4), "--persona", "nobody")
    two("post", "set", "4", "--persona", "moth")
    emptied = next(p for p in two.json("personas") if p["name"] == "nobody")
    assert (emptied["accounts"], emptied["posts"], emptied["open_complaints"]) == (0, 0, 0)
    assert two("persona", "remove", "nobody").stdout == "Removed persona 'nobody' (it held nothing).\n"
    assert [p["name"] for p in two.json("personas")] == ["lantern", "moth"]
    assert ("persona", "delete") in query(
        isolated_env, "select entity, action from event where command = 'persona remove'"
    )
    assert _one_error(two, "persona", "remove", "lantern") == (
        "tracker: error: persona 'lantern' still has 1 account, 1 image: only an empty persona can be removed "
        "(move them with tracker persona merge, or burn it down with tracker purge plan)\n"
    )
    assert "no persona 'nobody'" in _one_error(two, "persona", "remove", "nobody")


def test_a_merge_puts_posts_of_an_unnamed_account_on_the_persona_s_own(two: Tracker, tmp_path: Path) -> None:
    """kite's pixiv account has no handle: merged into moth, its post joins moth's pixiv account, not a second one."""
    two("log", _image(tmp_path, 4), "--url", PIXIV.format(4), "--persona", "kite")
    moved = two.json("persona", "merge", "kite", "moth")["moved"]
    assert moved == {"accounts": 0, "posts": 1, "images": 1, "complaints": 0}
    assert next(p for p in two.json("personas") if p["name"] == "moth")["accounts"] == 1


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


COMPOSED, DECOMPOSED = "caf\u00e9", "cafe\u0301"  # the same name: `é` as one character, or `e` and an accent


@pytest.mark.parametrize(("first", "then"), [(COMPOSED, DECOMPOSED), (DECOMPOSED, COMPOSED)])
def test_a_name_typed_with_a_combining_accent_is_the_same_persona(
    tracker: Tracker, tmp_path: Path, first: str, then: str
) -> None:
    """A keyboard, a file name or a script may give `é` as `e` and a combining accent: the name looks and is the
    same, so it names the same persona, never "no persona 'café': did you mean 'café'?"."""
    tracker("log", _image(tmp_path, 1), "--url", PIXIV.format(1), "--persona", first, "--new-persona")
    tracker("log", _image(tmp_path, 2), "--url", PIXIV.format(2), "--persona", then)
    personas = tracker.json("personas")
    assert [(p["name"], p["posts"]) for p in personas] == [(COMPOSED, 2)]
    assert len(tracker.json("posts", "--persona", then)) == 2
    assert COMPOSED in tracker("purge", "plan", then).stdout  # found, under the name it is stored by
