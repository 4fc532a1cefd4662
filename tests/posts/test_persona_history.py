"""A post moved to another persona says so in its history: `post set --persona`, `persona rename` and `persona
merge` each put `persona: "old" -> "new"` there, with the command, and say so when they are done."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fixtures.common import Tracker, database_url, query
from fixtures.imagefactory import FORGE_INFOTEXT, pixels, write_png

pytestmark = pytest.mark.db

PIXIV = "https://www.pixiv.net/artworks/{}"


@pytest.fixture
def three(tracker: Tracker, tmp_path: Path) -> Tracker:
    """moth: pixiv posts #1 and #2; lantern: an X post (#3); kite: a pixiv post (#4)."""
    for n, url, persona in (
        (1, PIXIV.format(1), "moth"),
        (2, PIXIV.format(2), "moth"),
        (3, "https://x.com/lantern_ai/status/3", "lantern"),
        (4, PIXIV.format(4), "kite"),
    ):
        image = write_png(tmp_path / f"{n}.png", {"parameters": FORGE_INFOTEXT}, image=pixels(seed=n))
        tracker("log", image, "--url", url, "--persona", persona)
    return tracker


def _history(tracker: Tracker, post: str) -> list[str]:
    lines = tracker("show", post).stdout.splitlines()
    return [line.strip() for line in lines[lines.index("  history") + 1 :]]


def _updates(tracker: Tracker, post: str) -> list[tuple[str, dict[str, list[object]]]]:
    return [(e["command"], e["changes"]) for e in tracker.json("show", post)["events"] if e["action"] == "update"]


def test_a_post_moved_by_post_set_has_the_move_in_its_history(three: Tracker) -> None:
    """The X post moves with its account (the post's own row is unchanged), the pixiv post joins moth's pixiv
    account: either way one history line names the old and new persona."""
    three("post", "set", "3", "--persona", "moth")
    assert _history(three, "3")[-1].endswith('update  post set  persona: "lantern" -> "moth"')
    assert _updates(three, "3") == [("post set", {"persona": ["lantern", "moth"]})]

    three("post", "set", "4", "--persona", "moth", "--status", "deleted")
    changed = [line for line in _history(three, "4") if "post set" in line]
    assert "".join(changed).count('persona: "kite" -> "moth"') == 1 and "status: live -> deleted" in "".join(changed)
    assert all(line.split("post set")[1].strip() for line in changed), "no line that says nothing"


def test_a_rename_and_a_merge_are_in_the_history_of_each_post(three: Tracker) -> None:
    renamed = three("persona", "rename", "moth", "moth-2").stdout
    assert renamed.strip() == "Persona 'moth' is now 'moth-2' (in the history of its 2 posts: tracker show N)."
    for post in ("1", "2"):
        assert _history(three, post)[-1].endswith('update  persona rename  persona: "moth" -> "moth-2"')
    assert _history(three, "3")[-1].endswith("status: (none) -> live"), "another persona's post: untouched"

    merged = three("persona", "merge", "kite", "moth-2").stdout  # kite's pixiv post joins moth-2's pixiv account
    assert merged.rstrip().endswith("(in the history of the post: tracker show N).")
    three("persona", "merge", "lantern", "moth-2")  # lantern's X account moves whole
    assert _history(three, "4")[-1].endswith('update  persona merge  persona: "kite" -> "moth-2"')
    assert _history(three, "3")[-1].endswith('update  persona merge  persona: "lantern" -> "moth-2"')
    assert _updates(three, "3") == [("persona merge", {"persona": ["lantern", "moth-2"]})]
    assert _updates(three, "4")[-1][1]["persona"] == ["kite", "moth-2"]


def _complaint_history(tracker: Tracker, number: str) -> list[str]:
    lines = tracker("complaint", "show", number).stdout.splitlines()
    return [line.strip() for line in lines[lines.index("  history") + 1 :]]


def test_a_complaint_moved_with_its_post_names_the_personas_in_its_history(three: Tracker) -> None:
    """`post set --persona` and `persona merge` move the complaint about the post too: its history says
    `persona: "kite" -> "moth"`, as the post's does, never the personas' row ids."""
    three("complaint", "add", "--basis", "jp", "--name", "高橋 綾乃", "--post", PIXIV.format(4))
    three("post", "set", "4", "--persona", "lantern")
    three("persona", "merge", "lantern", "moth")
    moves = [line for line in _complaint_history(three, "1") if "persona" in line]
    assert moves[0].endswith('update  post set  persona: "kite" -> "lantern"'), moves
    assert moves[1].endswith('update  persona merge  persona: "lantern" -> "moth"'), moves
    assert not any("persona id" in line for line in moves)


def test_post_set_makes_a_new_persona_only_when_asked(three: Tracker) -> None:
    """A name no persona has is refused, saying how to make it; `--new-persona` makes it, as `log` does."""
    refused = three("post", "set", "4", "--persona", "heron", ok=False)
    assert refused.exit_code != 0 and "no persona 'heron'" in refused.stderr and "--new-persona" in refused.stderr
    three("post", "set", "4", "--persona", "heron", "--new-persona")
    assert _history(three, "4")[-1].endswith('update  post set  persona: "kite" -> "heron"')
    assert three.json("show", "4")["persona"] == "heron"


def test_a_merge_counts_what_moved_in_english(three: Tracker) -> None:
    merged = three("persona", "merge", "lantern", "moth").stdout  # lantern's X account moves whole, with its post
    assert merged.strip() == (
        "Merged 'lantern' into 'moth': 1 account, 1 post, 1 image, 0 complaints "
        "(in the history of the post: tracker show N)."
    )


def test_a_persona_without_posts_shows_its_rename_in_the_personas_list(tracker: Tracker, tmp_path: Path) -> None:
    """No post's history can say it: `tracker personas` does, from the audit trail, for as long as the persona is
    there (a later persona given the number of a removed one has no rename)."""
    tracker(
        "log", write_png(tmp_path / "1.png", {}, image=pixels(seed=1)), "--url", PIXIV.format(1), "--persona", "moth"
    )
    tracker("post", "remove", "1", "--yes")
    assert (
        tracker("persona", "rename", "moth", "hawk").stdout.strip()
        == "Persona 'moth' is now 'hawk' (tracker personas)."
    )
    tracker("persona", "rename", "hawk", "kite")
    listed = tracker("personas").stdout.splitlines()
    day = r"\d{4}-\d\d-\d\d"
    said = rf"'kite' was called 'hawk' until {day}, before that 'moth' until {day} \(persona rename\)\."
    assert re.fullmatch(said, listed[-1]) and listed[1].startswith("kite "), listed

    tracker("persona", "remove", "kite")
    tracker(
        "log", write_png(tmp_path / "2.png", {}, image=pixels(seed=2)), "--url", PIXIV.format(2), "--persona", "wren"
    )
    assert "was called" not in tracker("personas").stdout, "wren was never renamed"


def test_personas_json_carries_the_former_names(tracker: Tracker, tmp_path: Path) -> None:
    """`tracker personas --json` (and `persona set --json`, the same view) gives what the list says under it:
    `former_names`, oldest first, empty for a persona never renamed, and none for a later persona given the
    number of a removed one."""
    for n, persona in ((1, "moth"), (2, "wren")):
        image = write_png(tmp_path / f"{n}.png", {}, image=pixels(seed=n))
        tracker("log", image, "--url", PIXIV.format(n), "--persona", persona)
    tracker("persona", "rename", "moth", "hawk")
    tracker("persona", "rename", "hawk", "kite")
    listed = {p["name"]: p["former_names"] for p in tracker.json("personas")}
    assert listed == {"kite": ["moth", "hawk"], "wren": []}
    assert tracker.json("persona", "set", "kite", "--display-name", "Kite")["former_names"] == ["moth", "hawk"]

    tracker("post", "remove", "1", "--yes")
    tracker("persona", "remove", "kite")
    tracker(
        "log", write_png(tmp_path / "3.png", {}, image=pixels(seed=3)), "--url", PIXIV.format(3), "--persona", "owl"
    )
    assert {p["name"]: p["former_names"] for p in tracker.json("personas")} == {"owl": [], "wren": []}


def test_a_persona_renamed_back_is_not_formerly_itself_and_each_name_is_given_once(
    tracker: Tracker, tmp_path: Path
) -> None:
    """Renamed away and back, `heron` is not "formerly heron"; a name used twice is given once, at its last
    use (`--json` oldest first); the list under `tracker personas` gives the latest name first and, when it
    must cut, leaves out the oldest, never the one the owner knew it by last."""
    tracker(
        "log", write_png(tmp_path / "1.png", {}, image=pixels(seed=1)), "--url", PIXIV.format(1), "--persona", "heron"
    )
    long = "Lantern of the very long name that goes on"
    for old, new in (("heron", "moth-old"), ("moth-old", long), (long, "Lantern"), ("Lantern", "heron")):
        tracker("persona", "rename", old, new)
    assert tracker.json("personas")[0]["former_names"] == ["moth-old", long, "Lantern"]
    day = r"\d{4}-\d\d-\d\d"
    said = rf"'heron' was called 'Lantern' until {day}, before that '{long}' until {day}, 'moth-old' until {day}"
    assert re.fullmatch(rf"{said} \(persona rename\)\.", tracker("personas").stdout.splitlines()[-1])

    for old, new in (("heron", "moth-old"), ("moth-old", "kite"), ("kite", "heron")):  # moth-old used again
        tracker("persona", "rename", old, new)
    assert tracker.json("persona", "set", "heron", "--contact", "")["former_names"] == [
        long,
        "Lantern",
        "moth-old",
        "kite",
    ]
    last = tracker("personas").stdout.splitlines()[-1]
    said = rf"'heron' was called 'kite' until {day}, before that 'moth-old' until {day}, 'Lantern' until {day}"
    assert re.fullmatch(rf"{said} and 1 earlier name \(persona rename; every name: tracker personas --json\)\.", last)


def _as_an_older_tracker_wrote_them(data_dir: Path, forget_persona: int | None = None) -> None:
    """The complaint's persona moves as trackers before the names were kept wrote them: the ids alone; and with
    `forget_persona`, that persona's first audit entry gone (its creation: whose the number was is not known)."""
    from sqlalchemy import create_engine, delete, func, select
    from sqlalchemy.orm import Session

    from tracker.db.models import Event

    engine = create_engine(database_url(data_dir))
    try:
        with Session(engine) as session, session.begin():
            for event in session.scalars(select(Event).where(Event.entity == "complaint", Event.action == "update")):
                if "persona" in event.changes:
                    event.changes = {key: value for key, value in event.changes.items() if key != "persona"}
            if forget_persona is not None:
                mine = (Event.entity == "persona") & (Event.entity_id == forget_persona)
                session.execute(
                    delete(Event).where(Event.id == select(func.min(Event.id)).where(mine).scalar_subquery())
                )
    finally:
        engine.dispose()


def test_an_older_complaint_history_names_the_personas_it_gave_by_number(
    three: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    """An entry an older tracker wrote (`persona_id: [3, 2]` alone) is shown with names: the persona still there by
    its name now, the one merged away by the name it had; never by the persona given its number since (SQLite
    gives a freed highest number again), and left as stored when the trail cannot tell whose number it was."""
    three("complaint", "add", "--basis", "jp", "--name", "高橋 綾乃", "--post", PIXIV.format(4))  # kite's post
    three("persona", "merge", "kite", "lantern")  # kite, the highest number, is gone
    _as_an_older_tracker_wrote_them(isolated_env)
    image = write_png(tmp_path / "5.png", {}, image=pixels(seed=5))
    three("log", image, "--url", PIXIV.format(5), "--persona", "owl", "--new-persona")  # kite's number on SQLite
    three("persona", "rename", "lantern", "heron")
    kite = query(isolated_env, "SELECT entity_id FROM event WHERE entity = 'persona' AND action = 'delete'")[0][0]
    stored = [e["changes"] for e in three.json("complaint", "show", "1")["history"] if e["command"] == "persona merge"]
    assert stored == [{"persona_id": [kite, kite - 1]}], "the entry is as an older tracker wrote it, and stays so"
    moves = [line for line in _complaint_history(three, "1") if "persona" in line]
    assert len(moves) == 1 and moves[0].endswith('update  persona merge  persona: "kite" -> "heron"'), moves

    _as_an_older_tracker_wrote_them(isolated_env, forget_persona=kite)
    moves = [line for line in _complaint_history(three, "1") if "persona" in line]
    assert moves[0].endswith(f"update  persona merge  persona id: {kite} -> {kite - 1}"), moves
