"""A complaint about the persona being scrubbed that also acted on another persona's post.

The owner posted one picture as both personas; a complaint about the scrubbed persona's copy was
decided by taking down both copies. The scrub must not take the other persona's record with it:
its post's take-down (done, or still to confirm) stays, with the complaint, and nothing of the
scrubbed persona stays in them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.purgeworld import (
    OTHER,
    SHARED_OTHER_URL,
    SHARED_TARGET_URL,
    TARGET,
    World,
    build_world,
    database_bytes,
    mark_everything,
)

from tracker.cli import cli

pytestmark = pytest.mark.db

COMPLAINANT = "kei.ito@example.org"


@pytest.fixture
def world(tracker: Tracker, tmp_path: Path) -> World:
    return build_world(tracker, tmp_path / "images")


def complaint_on_both_copies(tracker: Tracker, confirm_other: bool) -> int:
    """Complaint #3 names the target's copy; its take-down covers the other persona's copy too."""
    added = tracker.json(
        "complaint", "add", "--post", SHARED_TARGET_URL, "--basis", "dmca", "--name", "Kei Ito",
        "--contact", COMPLAINANT, "--message", f"Dear {TARGET}, please remove {SHARED_TARGET_URL} now.",
    )  # fmt: skip
    number = int(added["id"])
    tracker(
        "complaint", "decide", number, "--action", "take_down", "--post", SHARED_TARGET_URL, "--post",
        SHARED_OTHER_URL, "--notes", f"{TARGET} posted it first; the {OTHER} copy goes too",
    )  # fmt: skip
    tracker("complaint", "confirm", number, "--post", SHARED_TARGET_URL)
    if confirm_other:
        tracker("complaint", "confirm", number, "--post", SHARED_OTHER_URL)
    return number


def other_post(tracker: Tracker) -> dict[str, object]:
    posts = tracker.json("posts", "--persona", OTHER)
    return next(p for p in posts if p["url"] == SHARED_OTHER_URL)


def scrub_target(tracker: Tracker) -> str:
    mark_everything(tracker)
    done = tracker.runner.invoke(cli, ["purge", "scrub", TARGET], input=TARGET + "\n", catch_exceptions=False)
    assert done.exit_code == 0, done.output
    return done.output


@pytest.mark.parametrize("confirmed", [True, False], ids=["taken-down", "awaiting-confirmation"])
def test_the_other_personas_take_down_stays_with_its_complaint(
    tracker: Tracker, world: World, isolated_env: Path, confirmed: bool
) -> None:
    number = complaint_on_both_copies(tracker, confirm_other=confirmed)
    before = other_post(tracker)
    plan = tracker("purge", "plan", TARGET).stdout.replace("\\#", "#")  # Markdown escapes the "#"
    assert f"Complaint #{number} also acted on {OTHER}'s post #{before['id']}: the scrub keeps it" in plan
    report = scrub_target(tracker)
    assert "still unanswered: #1 " in report and f"#{number} (answer by" not in report  # #3 is not deleted
    assert f"#{number}" in report and OTHER in report  # the scrub says which complaint it kept, and for whom
    after = other_post(tracker)
    assert after["status"] == before["status"] == ("taken_down" if confirmed else "live")
    shown = tracker.json("complaint", "show", number)
    assert shown["persona"] == OTHER
    decision = shown["decisions"][-1]
    assert decision["action"] == "take_down" and decision["post_ids"] == [after["id"]]
    if confirmed:
        assert [t["post_id"] for t in decision["takedowns"]] == [after["id"]]
    else:  # still to be confirmed: the complaint is not forgotten, and confirming it still works
        listed = tracker.json("complaint", "list")
        assert number in [c["id"] for c in listed]
        tracker("complaint", "confirm", number)
        assert other_post(tracker)["status"] == "taken_down"


@pytest.mark.sqlite_only  # the bytes of the SQLite file (PostgreSQL keeps dead rows until VACUUM FULL)
def test_the_kept_complaint_holds_nothing_of_the_scrubbed_persona(
    tracker: Tracker, world: World, isolated_env: Path
) -> None:
    tracker("persona", "set", TARGET, "--display-name", "Moth Studio Nocturne", "--contact", "studio@mothmail.example")
    number = complaint_on_both_copies(tracker, confirm_other=True)
    sent = tracker("complaint", "reply", number, "--answered").stdout
    assert "Moth Studio Nocturne" in sent and "studio@mothmail.example" in sent  # the letter as signed
    report = scrub_target(tracker)
    shown = tracker.json("complaint", "show", number)
    text = str(shown)
    assert TARGET not in text and SHARED_TARGET_URL not in text
    assert "Moth Studio Nocturne" not in text and "mothmail" not in text
    assert COMPLAINANT in text and "please remove" in shown["message"] and shown["reply_text"]
    raw = database_bytes(isolated_env)
    assert TARGET.encode() not in raw and SHARED_TARGET_URL.encode() not in raw
    assert b"Moth Studio Nocturne" not in raw and b"mothmail" not in raw
    assert SHARED_OTHER_URL.encode() in raw and COMPLAINANT.encode() in raw
    assert "name found" not in report.lower()


@pytest.mark.sqlite_only  # the bytes of the SQLite file (PostgreSQL keeps dead rows until VACUUM FULL)
def test_the_other_personas_own_complaint_loses_only_the_scrubbed_copy(
    tracker: Tracker, world: World, isolated_env: Path
) -> None:
    added = tracker.json(
        "complaint", "add", "--post", SHARED_OTHER_URL, "--basis", "dmca", "--name", "Kei Ito",
        "--contact", COMPLAINANT, "--message", "Remove this; I saw the same picture posted elsewhere too.",
    )  # fmt: skip
    number = int(added["id"])
    tracker(
        "complaint", "decide", number, "--action", "take_down", "--post", SHARED_OTHER_URL, "--post",
        SHARED_TARGET_URL, "--notes", f"the {TARGET} copy goes too",
    )  # fmt: skip
    tracker("complaint", "confirm", number)
    report = scrub_target(tracker)
    assert f"#{number}" in report
    shown = tracker.json("complaint", "show", number)
    decision = shown["decisions"][-1]
    mine = other_post(tracker)
    assert shown["persona"] == OTHER and decision["post_ids"] == [mine["id"]]
    assert [t["post_id"] for t in decision["takedowns"]] == [mine["id"]] and mine["status"] == "taken_down"
    assert TARGET not in str(shown) and SHARED_TARGET_URL not in str(shown)
    raw = database_bytes(isolated_env)
    assert TARGET.encode() not in raw and SHARED_TARGET_URL.encode() not in raw


@pytest.mark.sqlite_only  # the bytes of the SQLite file (PostgreSQL keeps dead rows until VACUUM FULL)
def test_the_post_however_written_and_the_screenshots_name_are_cut_out_too(
    tracker: Tracker, world: World, isolated_env: Path, tmp_path: Path
) -> None:
    site_id = SHARED_TARGET_URL.rsplit("/", 1)[1]
    shot = tmp_path / f"screenshot-pixiv-{site_id}.png"
    shot.write_bytes(world.shared_image.read_bytes())
    added = tracker.json(
        "complaint", "add", "--post", SHARED_TARGET_URL, "--image", shot, "--basis", "dmca", "--contact", COMPLAINANT,
        "--message", f"See https://pixiv.net/en/artworks/{site_id}?utm_source=x (作品{site_id}) please.",
    )  # fmt: skip
    number = int(added["id"])
    tracker(
        "complaint", "decide", number, "--action", "take_down", "--post", SHARED_TARGET_URL, "--post",
        SHARED_OTHER_URL, "--reply-note", f"Both copies by {TARGET} are coming down.",
    )  # fmt: skip
    scrub_target(tracker)
    shown = tracker.json("complaint", "show", number)
    assert site_id not in str(shown) and "作品[removed]" in shown["message"]
    assert shown["decisions"][-1]["reply_note"] is None  # a sentence for the complainant is never sent with a gap
    draft = tracker.json("complaint", "reply", number)
    assert "[removed]" not in draft["text"] and OTHER in draft["text"]
    assert any("moved to this persona when another one was scrubbed" in w for w in draft["warnings"])
    raw = database_bytes(isolated_env)
    assert site_id.encode() not in raw and shot.name.encode() not in raw


def test_the_plan_counts_what_the_scrub_deletes(tracker: Tracker, world: World, isolated_env: Path) -> None:
    complaint_on_both_copies(tracker, confirm_other=True)
    plan = json.loads(tracker("purge", "plan", TARGET, "--format", "json").stdout)
    (database,) = [item for item in plan["items"] if item["id"] == "local:database"]
    mark_everything(tracker)
    done = tracker.runner.invoke(cli, ["purge", "scrub", TARGET, "--json"], input=TARGET + "\n")
    report = json.loads(done.stdout[done.stdout.index("{") :])
    assert report["rows"]["complaint"] == 1 and report["complaints_kept"] == {"3": OTHER}
    assert "1 complaint " in str(database), database


def test_a_decision_in_force_left_without_posts_is_said(tracker: Tracker, world: World, isolated_env: Path) -> None:
    number = complaint_on_both_copies(tracker, confirm_other=True)
    tracker(
        "complaint", "decide", number, "--action", "dispute", "--reason", "slight_resemblance", "--post",
        SHARED_TARGET_URL,
    )  # fmt: skip
    report = scrub_target(tracker)
    assert f"complaint #{number}'s decision in force was about this persona's posts only" in report


async def test_the_kept_complaints_triage_lists_the_post_its_decision_acts_on(
    tracker: Tracker, world: World, isolated_env: Path
) -> None:
    from fixtures.tui import candidates_loaded, make_app, wait_for
    from textual.widgets import DataTable

    from tracker.tui.screens.triage import TriageScreen

    number = complaint_on_both_copies(tracker, confirm_other=False)
    scrub_target(tracker)
    mine = other_post(tracker)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_complaint(number)
        await wait_for(pilot, lambda: candidates_loaded(app))
        screen = app.screen
        assert isinstance(screen, TriageScreen) and screen.result is not None
        found = [(c.post_ids, c.kind) for c in screen.result.candidates if mine["id"] in c.post_ids]
        assert found and found[0][1] in ("decided", "post"), screen.result.candidates  # never "nothing is named"
        table = screen.query_one("#candidates", DataTable)
        rows = [" ".join(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count)]
        assert any(f"post #{mine['id']}" in row for row in rows), rows


def test_the_complainants_own_title_and_words_are_not_mangled(tracker: Tracker, world: World) -> None:
    """The persona `nightmoth` is cut wherever it stands as a word, in any case (`Dear nightmoth`, `@Nightmoth`,
    `Nightmoth posted it`, its URL), but never out of the complainant's title `The Nightmoth`, in its field or in
    their message, and the next reply quotes that title whole."""
    title = "The Nightmoth"
    message = (
        f'Dear {TARGET}, your post {SHARED_TARGET_URL} copies my painting "{title}". '
        f"I told @Nightmoth before. The Nightmoth hangs in Kyoto. Nightmoth posted it again."
    )
    added = tracker.json(
        "complaint", "add", "--post", SHARED_TARGET_URL, "--basis", "dmca", "--name", "Kei Ito",
        "--contact", COMPLAINANT, "--work-title", title, "--message", message,
    )  # fmt: skip
    number = int(added["id"])
    tracker(
        "complaint", "decide", number, "--action", "take_down", "--post", SHARED_TARGET_URL, "--post",
        SHARED_OTHER_URL,
    )  # fmt: skip
    scrub_target(tracker)
    shown = tracker.json("complaint", "show", number)
    assert shown["claimed_title"] == title
    assert shown["message"] == (
        'Dear [removed], your post [removed] copies my painting "The Nightmoth". '
        "I told @[removed] before. The Nightmoth hangs in Kyoto. [removed] posted it again."
    )
    tracker("complaint", "decide", number, "--action", "take_down", "--post", SHARED_OTHER_URL)
    draft = tracker.json("complaint", "reply", number)["text"]
    assert title in draft and "[removed]" not in draft


def test_the_complainants_title_is_kept_in_any_case_they_write_it(tracker: Tracker, world: World) -> None:
    """The title `Nightmoth Garden` written `NIGHTMOTH GARDEN` or `nightmoth garden` in their message is still
    theirs, kept as they wrote it each time: never `[removed] GARDEN`; the persona alone is cut."""
    title = "Nightmoth Garden"
    message = (
        f"Dear {TARGET}, your post {SHARED_TARGET_URL} copies NIGHTMOTH GARDEN. "
        f"I painted nightmoth garden in 2019; {title} is mine. Nightmoth posted it."
    )
    added = tracker.json(
        "complaint", "add", "--post", SHARED_TARGET_URL, "--basis", "dmca", "--name", "Kei Ito",
        "--contact", COMPLAINANT, "--work-title", title, "--message", message,
    )  # fmt: skip
    number = int(added["id"])
    tracker(
        "complaint", "decide", number, "--action", "take_down", "--post", SHARED_TARGET_URL, "--post",
        SHARED_OTHER_URL,
    )  # fmt: skip
    scrub_target(tracker)
    shown = tracker.json("complaint", "show", number)
    assert shown["claimed_title"] == title
    assert shown["message"] == (
        "Dear [removed], your post [removed] copies NIGHTMOTH GARDEN. "
        "I painted nightmoth garden in 2019; Nightmoth Garden is mine. [removed] posted it."
    )
