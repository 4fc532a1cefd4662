"""What is typed into a form outlives the tracker: the process killed with a form open, the form opened again
holds it (and says so); saving or discarding it removes what was kept; a draft file that is not one is ignored."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import FORGE_INFOTEXT, write_png
from fixtures.tui import SIZE, candidates_loaded, make_app, settled, wait_for
from textual.screen import Screen
from textual.widgets import Input, RadioSet, Select, Static, TextArea

from tracker.complaints.legal import REQUIRED_ELEMENTS
from tracker.db.models import LegalBasis
from tracker.tui.app import TrackerApp
from tracker.tui.screens.decision import DecisionScreen
from tracker.tui.screens.guard import ConfirmDiscard
from tracker.tui.screens.intake import IntakeScreen
from tracker.tui.screens.reply import ReplyScreen
from tracker.tui.widgets.choices import SelectionList
from tracker.tui.widgets.message_area import MessageArea

pytestmark = pytest.mark.db

URL = "https://www.pixiv.net/artworks/5"
SWORN = REQUIRED_ELEMENTS[LegalBasis.DMCA][-1][0]
PASTED = "Dear artist,\n\nPlease remove the picture at https://www.pixiv.net/artworks/5 [b]now[/b].\n"


@pytest.fixture
def decided(tracker: Tracker, tmp_path: Path) -> None:
    """Post #1 logged, complaint #1 naming it, decided (take down)."""
    image = write_png(tmp_path / "a.png", {"parameters": FORGE_INFOTEXT})
    tracker("log", image, "--url", URL, "--persona", "moth")
    tracker("complaint", "add", "--post", "1", "--name", "K", "--message", "Please remove it.")
    tracker("complaint", "decide", "1", "--action", "take_down")


def drafts() -> Path:
    return Path(os.environ["TRACKER_DATA_DIR"]) / "drafts"


def said(app: TrackerApp) -> list[str]:
    return [n.message for n in app._notifications]


def shown(screen: Screen[object], selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def open_decision(app: TrackerApp, pilot) -> DecisionScreen:  # type: ignore[no-untyped-def]
    await settled(pilot)
    app.open_complaint(1)
    await wait_for(pilot, lambda: candidates_loaded(app))
    await pilot.press("d")
    await pilot.pause()
    decision = app.screen
    assert isinstance(decision, DecisionScreen)
    return decision


async def test_the_decision_forms_notes_outlive_the_tracker_and_go_once_saved(decided: None) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        decision = await open_decision(app, pilot)
        decision.query_one("#notes", TextArea).text = "private: the [red]client[/] is my cousin"
        decision.query_one("#reply-note", TextArea).text = "Thank you for your patience."
        await pilot.click("#action-ask_info")
        await pilot.pause()
        decision.keep_input()  # what the timer does about once a second
        app.exit()  # the tracker dies with the form open: no question, nothing saved
    kept = drafts() / "decision-1.json"
    assert kept.is_file() and stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE(drafts().stat().st_mode) == 0o700

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        decision = await open_decision(app, pilot)
        await pilot.pause()
        assert decision.query_one("#notes", TextArea).text == "private: the [red]client[/] is my cousin"
        assert decision.query_one("#reply-note", TextArea).text == "Thank you for your patience."
        assert decision.query_one("#action", RadioSet).pressed_button.id == "action-ask_info"  # type: ignore[union-attr]
        notice = shown(decision, "#decision-keys")  # beside the buttons: no toast covers them
        assert notice.startswith("Restored what you typed on ") and "before the tracker closed" in notice, notice
        assert not any(m.startswith("Restored") for m in said(app))
        assert decision.has_unsaved_input()
        await pilot.press("ctrl+s")
        await settled(pilot)
        assert not isinstance(app.screen, DecisionScreen)
    assert not kept.exists(), "a saved decision's draft is removed"


async def test_discarding_the_new_complaint_form_removes_its_draft(tracker: Tracker) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press("n")
        form = app.screen
        assert isinstance(form, IntakeScreen)
        form.query_one("#name", Input).value = "Kim"
        form.query_one("#basis", Select).value = "dmca"
        await pilot.pause()
        form.query_one("#elements", SelectionList).select(SWORN)  # one of the DMCA's notice elements
        form.query_one("#message", MessageArea).text = PASTED
        form.keep_input()
        app.exit()
    assert (drafts() / "new-complaint.json").is_file()

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, IntakeScreen)
        assert form.query_one("#name", Input).value == "Kim"
        assert form.query_one("#basis", Select).value == "dmca"
        assert SWORN in form.query_one("#elements", SelectionList).selected
        assert form.query_one("#message", MessageArea).text == PASTED
        assert shown(form, "#intake-hint").startswith("Restored what you typed on ")  # at the top, as it opens
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDiscard)
        await pilot.press("ctrl+d")
        await pilot.pause()
        assert not isinstance(app.screen, IntakeScreen)
    assert not (drafts() / "new-complaint.json").exists()

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.query_one("#name", Input).value == ""


async def test_an_untouched_form_keeps_nothing(tracker: Tracker) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press("n")
        form = app.screen
        assert isinstance(form, IntakeScreen)
        form.keep_input()
        app.exit()
    assert not (drafts() / "new-complaint.json").exists()


async def test_the_reply_being_edited_outlives_the_tracker_and_goes_once_copied(decided: None) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await app.push_screen(ReplyScreen(1))
        await settled(pilot)
        reply = app.screen
        assert isinstance(reply, ReplyScreen)
        await pilot.press(*"PS: ")
        edited = reply.text
        reply.keep_input()
        app.exit()
    kept = drafts() / f"reply-1-{reply.language}.json"
    assert kept.is_file()

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await app.push_screen(ReplyScreen(1))
        await settled(pilot)
        reply = app.screen
        assert isinstance(reply, ReplyScreen)
        assert reply.text == edited and reply.has_unsaved_input()
        assert "⚠ Restored what you typed on " in shown(reply, "#reply-warnings")  # above the letter
        assert not any(m.startswith("Restored") for m in said(app))
        await pilot.press("f2")  # copied: kept in replies-out now, as the letter sent
        await pilot.pause()
        assert not reply.has_unsaved_input()
    assert not kept.exists()


def write_hostile(folder: Path, kind: str, outside: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    target = folder / "decision-1.json"
    good = {"format": 1, "saved_at": "2026-12-06T11:40:00+00:00", "owner": "x", "values": {"TextArea#notes": "evil"}}
    if kind == "binary":
        target.write_bytes(b"\x00\xff\xfe" * 100)
    elif kind == "huge":
        target.write_bytes(b'{"format": 1, "values": {"TextArea#notes": "' + b"a" * (9 * 1024 * 1024) + b'"}}')
    elif kind == "shape":
        target.write_text(json.dumps({**good, "values": {"TextArea#notes": {"nested": [1, 2]}}}))
    elif kind == "list":
        target.write_text(json.dumps([good]))
    elif kind == "deep":
        target.write_text("[" * 100_000 + "]" * 100_000)
    elif kind == "symlink":
        outside.write_text(json.dumps(good))
        target.symlink_to(outside)
    elif kind == "folder":
        target.mkdir()


@pytest.mark.parametrize("kind", ["binary", "huge", "shape", "list", "deep", "symlink", "folder"])
async def test_a_draft_file_that_is_not_one_is_ignored(decided: None, kind: str, tmp_path: Path) -> None:
    write_hostile(drafts(), kind, tmp_path / "elsewhere.json")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        decision = await open_decision(app, pilot)
        assert decision.query_one("#notes", TextArea).text == ""
        assert not any(m.startswith("Restored") for m in said(app))
        assert "Restored" not in shown(decision, "#decision-keys")
        assert not decision.has_unsaved_input()
    if kind == "symlink":
        assert (tmp_path / "elsewhere.json").read_text().count("evil") == 1  # never written through


async def test_a_draft_kept_for_another_complaint_of_the_same_number_is_dropped(decided: None) -> None:
    folder = drafts()
    folder.mkdir(parents=True, exist_ok=True)
    record = {
        "format": 1,
        "saved_at": "2026-12-06T11:40:00+00:00",
        "owner": "2001-01-01T00:00:00+00:00",  # not when complaint #1 was logged: a restore gave #1 to another
        "values": {"TextArea#notes": "about someone else"},
    }
    (folder / "decision-1.json").write_text(json.dumps(record))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        decision = await open_decision(app, pilot)
        assert decision.query_one("#notes", TextArea).text == ""
    assert not (folder / "decision-1.json").exists()


async def test_drafts_of_complaints_gone_or_merged_are_dropped_when_the_tracker_starts(
    decided: None, tracker: Tracker
) -> None:
    tracker("complaint", "add", "--post", "1", "--name", "K", "--message", "Please remove it, again.")
    tracker("complaint", "close", "2", "--duplicate-of", "1")
    folder = drafts()
    folder.mkdir(parents=True, exist_ok=True)
    record = json.dumps({"format": 1, "saved_at": "2026-12-06T11:40:00+00:00", "owner": "", "values": {}})
    for name in ("decision-1.json", "decision-2.json", "reply-99-en.json", "new-complaint.json"):
        (folder / name).write_text(record)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
    assert sorted(p.name for p in folder.iterdir()) == ["decision-1.json", "new-complaint.json"]


async def test_a_hangup_writes_the_draft_of_every_open_form_before_the_tracker_ends(decided: None) -> None:
    """SIGHUP/SIGTERM (`TrackerApp.keep_input_and_exit`): what was typed a moment ago, before the timer ran."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        decision = await open_decision(app, pilot)
        decision.query_one("#notes", TextArea).text = "typed just before the connection dropped"
        assert not (drafts() / "decision-1.json").exists()
        app.keep_input_and_exit()
        await pilot.pause()
    record = json.loads((drafts() / "decision-1.json").read_text(encoding="utf-8"))
    assert record["values"]["TextArea#notes"] == "typed just before the connection dropped"


async def test_at_80x24_the_restored_notice_leaves_the_buttons_seen(decided: None) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        decision = await open_decision(app, pilot)
        decision.query_one("#notes", TextArea).text = "typed before the tracker closed"
        decision.keep_input()
        app.exit()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        decision = await open_decision(app, pilot)
        await pilot.pause()
        notice = decision.query_one("#decision-keys", Static)
        assert str(notice.render()).startswith("Restored what you typed on ")
        assert not app._notifications, "a toast covers Cancel and Save at 80x24"
        assert notice.region.height <= 3 and not notice.region.overlaps(decision.query_one("#cancel").region)


def test_a_terminal_going_away_ends_the_app_once_and_a_later_signal_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A closed terminal sends SIGHUP twice in a moment (the pty, then tmux or sshd): the app ends in order once, so
    its drafts are written and the demo deletes its folder; a signal after `SIGNAL_GRACE` ends a stuck app at once."""
    import signal

    from tracker.tui.app import SIGNAL_GRACE, EndOnSignal

    now = [100.0]
    ended: list[int] = []
    killed: list[int] = []
    reset: list[int] = []
    monkeypatch.setattr("tracker.tui.app.os.kill", lambda pid, number: killed.append(number))
    monkeypatch.setattr("tracker.tui.app.signal.signal", lambda number, handler: reset.append(number))
    handler = EndOnSignal(lambda: ended.append(1), clock=lambda: now[0])
    handler(signal.SIGHUP, None)
    now[0] += 0.2
    handler(signal.SIGHUP, None)  # the same hangup: not the default action, which would end it out of order
    assert ended == [1] and killed == [] and reset == []
    now[0] += SIGNAL_GRACE
    handler(signal.SIGTERM, None)
    assert ended == [1] and killed == [signal.SIGTERM] and reset == [signal.SIGTERM]
