"""What the owner typed in a form and did not save is not forgotten: the dashboard names it on the next start (at
80x24, in one line under the banner), a new complaint's attached images are kept with its draft, and two trackers
open at once never overwrite each other's new-complaint draft."""

from __future__ import annotations

import fcntl
import io
import json
import os
import stat
from email.message import EmailMessage
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing
from fixtures.tui import make_app, open_intake_form, screen_lines, settled, wait_for
from textual.widgets import Input, Static

from tracker.tui.screens.dashboard import DashboardScreen
from tracker.tui.screens.guard import ConfirmDiscard
from tracker.tui.screens.intake import IntakeScreen
from tracker.tui.screens.reply import ReplyScreen
from tracker.tui.screens.triage import TriageScreen

pytestmark = pytest.mark.db

SMALL = (80, 24)


def drafts() -> Path:
    return Path(os.environ["TRACKER_DATA_DIR"]) / "drafts"


@pytest.fixture
def decided(tracker: Tracker) -> None:
    tracker("complaint", "add", "--persona", "moth", "--new-persona", "--name", "K", "--message", "Remove it.")
    tracker("complaint", "decide", "1", "--action", "ask_info")


async def test_the_dashboard_names_the_forms_left_unsaved_in_one_line_at_80x24(decided: None) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot)
        await app.push_screen(ReplyScreen(1))
        await settled(pilot)
        reply = app.screen
        assert isinstance(reply, ReplyScreen)
        await pilot.press(*"PS: ")
        reply.keep_input()
        app.pop_screen()
        await pilot.press("n")
        await settled(pilot)
        form = app.screen
        assert isinstance(form, IntakeScreen)
        form.query_one("#name", Input).value = "Someone new"
        form.keep_input()
        app.exit()  # the connection dropped with both forms typed in
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot)
        dashboard = app.screen
        assert isinstance(dashboard, DashboardScreen)
        line = dashboard.query_one("#unsaved", Static)
        said = str(line.render())
        assert said.startswith("✎ Not saved: new complaint ") and " · reply #1 " in said, said
        assert line.display and line.region.height == 1 and line.region.width <= 80
        assert any(row.strip().startswith("✎ Not saved: new complaint") for row in screen_lines(app))


async def test_the_dashboard_says_nothing_unsaved_when_nothing_is(decided: None) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot)
        assert not app.screen.query_one("#unsaved", Static).display


def png_bytes() -> bytes:
    out = io.BytesIO()
    drawing(7).save(out, format="PNG")
    return out.getvalue()


def write_eml(path: Path) -> Path:
    mail = EmailMessage()
    mail["From"] = "Misaki Sato <misaki@example.jp>"
    mail["Subject"] = "DMCA takedown notice"
    mail["Date"] = "Thu, 03 Dec 2026 09:30:00 +0900"
    mail.set_content("Your post copies my work https://example.jp/works/harbour.\nPlease remove it.\n\nMisaki Sato\n")
    mail.add_attachment(png_bytes(), maintype="image", subtype="png", filename="their-work.png")
    path.write_bytes(mail.as_bytes())
    return path


async def read_eml_and_die(path: Path) -> Path:
    """Read the message into the form, then the tracker dies with it open: the scratch copy of its image goes."""
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        form = await open_intake_form(app, pilot)
        form.query_one("#from-file", Input).value = str(path)
        await pilot.press("ctrl+r")
        await settled(pilot)
        scratch = Path(form.query_one("#images", Input).value)
        assert scratch.read_bytes() == png_bytes()
        form.keep_input()
        app.exit()
    assert not scratch.exists()
    return scratch


async def test_a_new_complaints_attached_image_is_kept_with_its_draft_and_archived_from_it(
    tracker: Tracker, tmp_path: Path
) -> None:
    await read_eml_and_die(write_eml(tmp_path / "complaint.eml"))
    images = drafts() / "new-complaint-images"
    kept = images / "their-work.png"
    assert kept.read_bytes() == png_bytes()
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600 and stat.S_IMODE(images.stat().st_mode) == 0o700
    record = json.loads((drafts() / "new-complaint.json").read_text(encoding="utf-8"))
    assert record["values"]["Input#images"] == str(kept)
    status = json.loads(tracker("status", "--json", ok=False).stdout)
    assert [form["form"] for form in status["unsaved_in_tui"]] == ["new complaint"]

    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        form = await open_intake_form(app, pilot)
        assert form.query_one("#images", Input).value == str(kept)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, TriageScreen))
        await settled(pilot)
    shown = tracker.json("complaint", "show", "1")
    assert [(i["original_name"], i["format"]) for i in shown["images"]] == [("their-work.png", "PNG")]
    assert not images.exists() and not (drafts() / "new-complaint.json").exists(), "they go once saved"


async def test_discarding_the_new_complaint_removes_the_images_kept_with_it(tracker: Tracker, tmp_path: Path) -> None:
    await read_eml_and_die(write_eml(tmp_path / "complaint.eml"))
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_intake_form(app, pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDiscard)
        await pilot.press("ctrl+d")
        await pilot.pause()
    assert not (drafts() / "new-complaint-images").exists() and not (drafts() / "new-complaint.json").exists()


OTHERS = {"format": 1, "saved_at": "2026-12-06T05:02:00+00:00", "owner": "", "basis": "", "values": {}}


async def test_a_second_tracker_neither_puts_back_nor_overwrites_the_new_complaint_another_is_typing(
    tracker: Tracker,
) -> None:
    """Another tracker's form holds the draft's lock and has typed "Theirs": this one's form leaves that draft
    alone and says so; once the other saved (its lock let go, its draft gone), this one keeps its own."""
    drafts().mkdir(mode=0o700, parents=True)
    other = os.open(drafts() / "new-complaint.lock", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as the other tracker's form holds it
    theirs = json.dumps({**OTHERS, "values": {"Input#name": "Theirs"}})
    (drafts() / "new-complaint.json").write_text(theirs, encoding="utf-8")
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        form = await open_intake_form(app, pilot)
        assert form.query_one("#name", Input).value == "", "the other tracker's typing is not taken over"
        assert "being typed in another tracker" in str(form.query_one("#intake-hint", Static).render())
        form.query_one("#name", Input).value = "Mine"
        form.keep_input()
        assert (drafts() / "new-complaint.json").read_text(encoding="utf-8") == theirs, "never written over"

        os.close(other)  # the other tracker saved its complaint: its form closed, its draft went
        (drafts() / "new-complaint.json").unlink()
        form._take_over()  # what its timer does about once a second
        assert "kept from now on" in str(form.query_one("#intake-hint", Static).render())
        form.keep_input()
        record = json.loads((drafts() / "new-complaint.json").read_text(encoding="utf-8"))
        assert record["values"]["Input#name"] == "Mine"
        held = os.open(drafts() / "new-complaint.lock", os.O_RDWR)
        with pytest.raises(BlockingIOError):  # this form holds the lock now
            fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.close(held)
        app.exit()


async def test_two_trackers_typing_new_complaints_at_once_lose_neither(tracker: Tracker) -> None:
    """The first form keeps its draft; the second's owner is told to save theirs; the first tracker dies, and the
    next form opened puts back what its owner typed, not the second's."""
    first, second = make_app(), make_app()
    async with first.run_test(size=SMALL) as one:
        form = await open_intake_form(first, one)
        form.query_one("#name", Input).value = "Typed in the first"
        form.keep_input()
        async with second.run_test(size=SMALL) as two:
            other = await open_intake_form(second, two)
            assert other.query_one("#name", Input).value == ""
            assert "being typed in another tracker" in str(other.query_one("#intake-hint", Static).render())
            other.query_one("#name", Input).value = "Typed in the second"
            other.keep_input()
            first.exit()  # the first one's connection drops
            await one.pause()
            other._take_over()
            other.keep_input()
            assert "being typed in another tracker" in str(other.query_one("#intake-hint", Static).render())
    record = json.loads((drafts() / "new-complaint.json").read_text(encoding="utf-8"))
    assert record["values"]["Input#name"] == "Typed in the first"
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        form = await open_intake_form(app, pilot)
        assert form.query_one("#name", Input).value == "Typed in the first"
