"""`tracker complaint set N`: correcting what intake got wrong, each change in the audit trail; and a
deadline typed as a day meaning the whole of that day."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from fixtures.common import Tracker, query
from fixtures.drawings import drawing

pytestmark = pytest.mark.db


@pytest.fixture
def logged(tracker: Tracker) -> Tracker:
    """Complaint #1, Japanese basis, nearly nothing known (as a pasted message often leaves it)."""
    tracker(
        "complaint", "add", "--persona", "moth", "--new-persona", "--basis", "jp",
        "--received", "2026-12-03T08:00", "--message", "著作権の件",
    )  # fmt: skip
    return tracker


def _complaint_events(data_dir: object) -> list[dict[str, list[object]]]:
    rows = query(
        data_dir,  # type: ignore[arg-type]
        "select changes, command from event where entity = 'complaint' and action = 'update' order by id",
    )
    assert all(command == "complaint set" for _, command in rows)
    return [changes if isinstance(changes, dict) else json.loads(changes) for changes, _ in rows]


@pytest.mark.usefixtures("tokyo_time")  # the owner's day is the Japanese sender's: a day typed shows as that day
def test_every_field_intake_records_can_be_corrected(logged: Tracker, isolated_env: object) -> None:
    out = logged(
        "complaint", "set", "1", "--name", "佐藤 美咲", "--org", "スタジオ月", "--role", "rights holder",
        "--contact", "misaki@example.jp", "--deadline", "2026-12-04", "--work-title", "月夜の港町",
        "--work-url", "https://www.pixiv.net/artworks/99887766", "--element", "right",
        "--platform", "pixiv", "--ticket", "P-1",
    ).stdout  # fmt: skip
    lines = out.splitlines()
    assert "  name       - -> 佐藤 美咲" in lines and "  ticket     - -> P-1" in lines
    assert any(line.startswith("  answer by ") and line.endswith("-> 2026-12-04") for line in lines)
    data = logged.json("complaint", "show", "1")
    assert data["complainant_name"] == "佐藤 美咲" and data["complainant_org"] == "スタジオ月"
    assert data["complainant_role"] == "rights holder" and data["complainant_contact"] == "misaki@example.jp"
    assert data["claimed_title"] == "月夜の港町" and data["claimed_urls"] == ["https://www.pixiv.net/artworks/99887766"]
    assert data["platform"] == "pixiv" and data["ticket_id"] == "P-1"
    assert datetime.fromisoformat(data["deadline_at"]).astimezone().strftime("%Y-%m-%d %H:%M") == "2026-12-04 23:59"
    assert data["completeness"]["right"] is True and data["completeness"]["contact"] is True
    changes = _complaint_events(isolated_env)
    assert len(changes) == 1, "one correction, one transaction, one entry"
    assert changes[0]["complainant_name"] == [None, "佐藤 美咲"] and changes[0]["ticket_id"] == [None, "P-1"]
    assert "deadline_at" in changes[0] and "completeness" in changes[0] and "claimed_urls" in changes[0]


def test_a_correction_can_clear_and_take_an_element_back(logged: Tracker, isolated_env: object) -> None:
    logged("complaint", "set", "1", "--name", "Wrong Name", "--element", "right")
    logged("complaint", "set", "1", "--name", "", "--no-element", "right")
    data = logged.json("complaint", "show", "1")
    assert data["complainant_name"] is None and data["completeness"]["right"] is False
    assert "the right claimed to be infringed and why" in data["missing_elements"]
    assert _complaint_events(isolated_env)[-1]["complainant_name"] == ["Wrong Name", None]


def test_bad_corrections_are_one_line_and_change_nothing(logged: Tracker) -> None:
    before = logged.json("complaint", "show", "1")
    for args, fragment in (
        (["--deadline", "2026-12-02"], "before complaint #1 was received"),
        (["--element", "signature"], "unknown notice element"),
        (["--element", "right", "--no-element", "right"], "given and taken away"),
        ([], "nothing to change"),
        (["--deadline", "soon"], "cannot read the date"),
    ):
        result = logged("complaint", "set", "1", *args, ok=False)
        assert result.exit_code != 0 and len(result.stderr.splitlines()) == 1 and fragment in result.stderr, args
    assert logged.json("complaint", "show", "1") == before
    missing = logged("complaint", "set", "9", "--name", "x", ok=False)
    assert "no complaint #9" in missing.stderr


def test_lang_still_works(logged: Tracker) -> None:
    assert "replies in English" in logged("complaint", "set", "1", "--lang", "en").stdout
    assert logged.json("complaint", "show", "1")["language"] == "en"


def test_a_deadline_of_the_received_day_is_the_end_of_that_day(tracker: Tracker) -> None:
    tracker(
        "complaint", "add", "--persona", "moth", "--new-persona", "--name", "C", "--message", "x",
        "--received", "2026-12-03T08:00", "--deadline", "2026-12-03",
    )  # fmt: skip
    deadline = datetime.fromisoformat(tracker.json("complaint", "show", "1")["deadline_at"]).astimezone()
    assert deadline.strftime("%Y-%m-%d %H:%M:%S") == "2026-12-03 23:59:59"
    early = tracker(
        "complaint", "add", "--persona", "moth", "--received", "2026-12-03T08:00", "--deadline", "2026-12-02", ok=False
    )
    assert "before the complaint was received" in early.stderr


def test_a_complaint_given_today_as_its_deadline_shows_as_due_today(tracker: Tracker) -> None:
    today = datetime.now().astimezone()
    received = (today - timedelta(minutes=1)).isoformat()
    tracker(
        "complaint", "add", "--persona", "moth", "--new-persona", "--name", "C", "--message", "x",
        "--received", received, "--deadline", today.date().isoformat(),
    )  # fmt: skip
    status = tracker("status", ok=False)
    assert status.exit_code == 3 and "1 due today (#1)" in status.stdout.splitlines()


@pytest.mark.usefixtures("tokyo_time")  # as above: 2026-12-20 is the end of the owner's day too
def test_a_new_time_of_day_is_shown_in_the_change(logged: Tracker) -> None:
    """The owner moves a deadline from a day to 17:00 of it: the change says so (not `12-20 -> 12-20`)."""
    logged("complaint", "set", "1", "--deadline", "2026-12-20")
    changed = logged("complaint", "set", "1", "--deadline", "2026-12-20T17:00").stdout
    assert "2026-12-20 -> 2026-12-20 17:00" in changed, changed


_DMCA_NOTICE = (
    "I am the copyright owner of the illustration 'Harbour at Night' (https://example.art/harbour). "
    "The image at https://x.com/moth/status/1 copies it. Contact: rachel@example.com. "
    "I have a good faith belief that use of the material in the manner complained of is not authorized "
    "by the copyright owner, its agent, or the law. The information in this notification is accurate, "
    "and under penalty of perjury, I am authorized to act on behalf of the owner.\n\n/s/ Rachel Kim"
)


def test_an_element_the_owner_took_away_stays_away_when_the_basis_goes_and_comes_back(tracker: Tracker) -> None:
    """The owner judged the notice's signature invalid; trying the Japanese basis and coming back
    must not tick it again from the message's text (the letter would stop asking for it)."""
    tracker(
        "complaint", "add", "--persona", "moth", "--new-persona", "--basis", "none",
        "--received", "2026-12-03T08:00", "--message", _DMCA_NOTICE,
    )  # fmt: skip
    tracker("complaint", "set", "1", "--basis", "dmca")  # read for the DMCA from the message
    assert tracker.json("complaint", "show", "1")["completeness"]["signature"] is True
    tracker("complaint", "set", "1", "--no-element", "signature", "--no-element", "contact")
    tracker("complaint", "set", "1", "--basis", "jp")
    assert tracker.json("complaint", "show", "1")["completeness"]["contact"] is False
    tracker("complaint", "set", "1", "--basis", "dmca")
    data = tracker.json("complaint", "show", "1")
    assert data["completeness"]["signature"] is False and data["completeness"]["contact"] is False
    assert data["completeness"]["good_faith"] is True, "what the owner did not touch is read again"


def test_a_work_title_given_identifies_the_work(tracker: Tracker) -> None:
    """The owner types the title the notice gave: the letter must stop asking the agent to identify the work."""
    tracker(
        "complaint", "add", "--persona", "moth", "--new-persona", "--basis", "dmca", "--name", "J. Walsh",
        "--received", "2026-12-03T08:00", "--message", "Remove the copy of our client's work.",
    )  # fmt: skip
    assert tracker.json("complaint", "show", "1")["completeness"]["work"] is None, "not found: the owner's to judge"
    tracker("complaint", "set", "1", "--work-title", "Night Harbor")
    assert tracker.json("complaint", "show", "1")["completeness"]["work"] is True
    tracker(
        "complaint", "add", "--persona", "moth", "--basis", "dmca", "--name", "J. Walsh",
        "--work-url", "https://www.artstation.com/artwork/night-harbor", "--message", "Remove the copy.",
    )  # fmt: skip
    assert tracker.json("complaint", "show", "2")["completeness"]["work"] is True


def test_a_deadline_in_the_small_hours_tomorrow_is_flagged_tonight(tracker: Tracker) -> None:
    """Due at a time within 24 hours, even on tomorrow's date: `status` exits 3 (a cron job notifies tonight)
    and says the time; one due in 30 hours does not alarm."""
    now = datetime.now().astimezone().replace(second=0, microsecond=0)
    soon, later = now + timedelta(hours=16), now + timedelta(hours=30)
    if (soon.hour, soon.minute) == (23, 59):  # how a day-only deadline is kept: no time shown for it
        soon += timedelta(minutes=2)
    for number, deadline in enumerate((later, soon), start=1):
        tracker(
            "complaint", "add", "--persona", "moth", *(["--new-persona"] if number == 1 else []), "--name", "C",
            "--message", f"notice {number}", "--received", (now - timedelta(minutes=1)).isoformat(),
            "--deadline", deadline.isoformat(),
        )  # fmt: skip
        status = tracker("status", ok=False)
        if number == 1:
            assert status.exit_code == 0, "30 hours away: no alarm yet"
    assert status.exit_code == 3, status.stdout
    assert f"#2 at {soon.strftime('%H:%M')}" in status.stdout, status.stdout


def _url(n: int) -> str:
    return f"https://www.pixiv.net/artworks/{131000000 + n}"


@pytest.fixture
def three_posts(tracker: Tracker, tmp_path: Path) -> Tracker:
    """Posts #1 and #2 of moth, #3 of kite; complaint #1 names post #1 where post #2 was meant."""
    for n, persona in ((1, "moth"), (2, "moth"), (3, "kite")):
        image = tmp_path / f"scene{n}.png"
        drawing(n).save(image)
        tracker("log", image, "--url", _url(n), "--persona", persona)
    tracker("complaint", "add", "--name", "Jane Doe", "--post", "1", "--message", "Please remove my drawing.")
    return tracker


def test_the_posts_a_complaint_names_are_corrected_and_the_letter_follows(
    three_posts: Tracker, isolated_env: Path
) -> None:
    said = three_posts("complaint", "set", "1", "--post", _url(2)).stdout
    assert "  posts      #1 -> #2" in said.splitlines()
    shown = three_posts.json("complaint", "show", "1")
    assert [p["id"] for p in shown["posts"]] == [2] and shown["persona"] == "moth"
    history = three_posts("complaint", "show", "1").stdout
    assert "complaint set  post #1 no longer named" in history and f'post #2 named (as "{_url(2)}")' in history
    three_posts("complaint", "decide", "1", "--action", "take_down")
    letter = three_posts("complaint", "reply", "1").stdout
    assert _url(2) in letter and _url(1) not in letter, "the letter speaks of the post meant, not the one mistyped"


def test_the_persona_follows_the_posts_and_is_corrected_when_none_is_named(
    three_posts: Tracker, isolated_env: Path
) -> None:
    assert "  persona    moth -> kite" in three_posts("complaint", "set", "1", "--post", "3").stdout.splitlines()
    refused = three_posts("complaint", "set", "1", "--persona", "moth", ok=False)
    assert "the named posts belong to persona 'kite', not 'moth'" in refused.stderr
    three_posts("complaint", "set", "1", "--post", "")
    assert three_posts.json("complaint", "show", "1")["posts"] == []
    three_posts("complaint", "set", "1", "--persona", "moth")
    assert three_posts.json("complaint", "show", "1")["persona"] == "moth"
    changes = _persona_changes(isolated_env)
    assert changes == [["moth", "kite"], ["kite", "moth"]], "each change in the trail with the old name"
    assert 'persona: "kite" -> "moth"' in three_posts("complaint", "show", "1").stdout


def test_posts_and_personas_that_cannot_be_are_one_line_and_change_nothing(three_posts: Tracker) -> None:
    before = three_posts.json("complaint", "show", "1")
    for args, said in (
        (["--post", "99"], "'99' matches no logged post"),
        (["--post", "1", "--post", "3"], "the named posts belong to different personas"),
        (["--persona", "nobody", "--post", ""], "no persona 'nobody'"),
    ):
        refused = three_posts("complaint", "set", "1", *args, ok=False)
        assert refused.exit_code != 0 and said in refused.stderr and len(refused.stderr.splitlines()) == 1, args
    assert three_posts.json("complaint", "show", "1") == before


def _persona_changes(data_dir: Path) -> list[list[object]]:
    rows = query(data_dir, "select changes from event where entity = 'complaint' and action = 'update' order by id")
    changes = [c if isinstance(c, dict) else json.loads(c) for (c,) in rows]
    return [c["persona"] for c in changes if "persona" in c]
