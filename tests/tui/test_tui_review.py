"""What a review of the TUI at 80x24 found, as the owner sees it.

- A deadline at a time of day shows that time wherever it is shown, not only on its day: due 48 hours
  after a message is due at 01:00 on the 6th, not "by the end of the 6th".
- F3 on the reply asks before marking the complaint answered; Escape or Cancel changes nothing; Copy
  says the reply was copied, not "sent".
- Without colour (NO_COLOR), which choice is chosen reads from the marks themselves, not from a shade; with few
  colours too: an unchosen box is empty.
- The New-complaint form ticks the notice elements a post URL and a contact give as soon as it holds
  them (and unticks them when they are cleared): what it shows is what is saved.
- The decision dialog drops a refusal once the form changes; its reasons' list stays inside the
  dialog; the form's Read button stands whole; an answered complaint's date says what it is.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing
from fixtures.imagefactory import FORGE_INFOTEXT, write_png
from fixtures.tui import candidates_loaded, make_app, screen_lines, settled, wait_for
from rich.segment import Segment
from textual.containers import VerticalScroll
from textual.widgets import Button, Input, Select, SelectionList, Static, TextArea

from tracker.complaints.decisions import mark_answered
from tracker.support.dates import from_iso
from tracker.tui.app import TrackerApp
from tracker.tui.screens.dashboard import DashboardScreen
from tracker.tui.screens.decision import DecisionScreen
from tracker.tui.screens.intake import IntakeScreen
from tracker.tui.screens.reply import ReplyScreen
from tracker.tui.screens.triage import TriageScreen
from tracker.tui.text import day

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("tokyo_time")]  # local time is Japan's (tests/conftest.py)

SMALL = (80, 24)
NOW = datetime(2026, 12, 4, 1, 0, tzinfo=UTC)
"""10:00 on 4 December in Tokyo."""
RECEIVED = "2026-12-04T01:00:00+09:00"
DUE_AT_ONE = "2026-12-06T01:00:00+09:00"
"""48 hours after 08:00 on 4 December in California: 01:00 on the 6th in Tokyo, not the end of the 6th."""


def url(n: int) -> str:
    return f"https://www.pixiv.net/artworks/{131000000 + n}"


@pytest.fixture
def posted(tracker: Tracker, tmp_path: Path) -> Tracker:
    """Posts #1 and #2, distinct drawings of persona moth."""
    for n in range(2):
        path = tmp_path / f"scene{n}.png"
        drawing(n).save(path)
        tracker("log", path, "--url", url(n), "--persona", "moth")
    return tracker


def drawn(app: TrackerApp) -> str:
    return "\n".join(screen_lines(app))


def notifications(app: TrackerApp) -> list[str]:
    return [n.message for n in app._notifications]


# ---------------------------------------------------------------------- a deadline's time of day


async def test_a_deadline_at_a_time_of_day_shows_its_time_on_every_screen_at_80x24(posted: Tracker) -> None:
    posted("complaint", "add", "--post", "2", "--basis", "dmca", "--received", RECEIVED, "--deadline", DUE_AT_ONE)
    posted("complaint", "add", "--post", "1", "--name", "K", "--received", RECEIVED, "--deadline", "2026-12-06")
    app = make_app(NOW)
    async with app.run_test(size=SMALL) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen) and app.screen.loaded)
        await settled(pilot)
        lines = screen_lines(app)
        timed = next(line for line in lines if line.strip().startswith("#1 "))
        assert "due 2026-12-06 01:00" in timed, timed
        assert timed.rstrip().endswith("1"), f"the row is cut: {timed!r}"
        whole_day = next(line for line in lines if line.strip().startswith("#2 "))
        assert "due 2026-12-06 " in whole_day and "01:00" not in whole_day, "a day-only deadline: its day"

        app.open_complaint(1)
        await wait_for(pilot, lambda: candidates_loaded(app))
        await settled(pilot)
        shown = drawn(app)
        assert "Complaint #1 — due 2026-12-06 01:00" in shown, shown
        assert "Complaint #1  due 2026-12-06 01:00" in shown, shown

        app.open_post(2)
        await settled(pilot)
        app.screen.query_one("#post-facts").scroll_end(animate=False)
        await pilot.pause()
        line = next(line for line in screen_lines(app) if "#1 " in line and "received" in line)
        assert "due 2026-12-06 01:00" in line, f"the deadline is cut or wrapped: {line!r}"


def test_the_banner_cut_to_80_columns_keeps_a_time_of_day() -> None:
    from tracker.complaints.queue import DueSoon, Overdue
    from tracker.tui.screens.dashboard import banner_text

    soon = DueSoon(today=[5], tomorrow=[4, 7], times={4: "01:00"})
    line = banner_text(Overdue(4, 1, None), soon, [3], 78)
    assert line == "⚠ 1 OVERDUE (#3) · 1 due today (#5), 2 due tomorrow (#4 at 01:00, #7)", line


# ---------------------------------------------------------------------- marking answered


@pytest.fixture
def decided(tracker: Tracker, tmp_path: Path) -> Tracker:
    """Complaint #1 (in English) about post #1, decided: take it down."""
    image = write_png(tmp_path / "a.png", {"parameters": FORGE_INFOTEXT})
    tracker("log", image, "--url", "https://www.pixiv.net/artworks/5", "--persona", "moth")
    tracker("complaint", "add", "--post", "1", "--name", "K", "--message", "Please take my picture down.")
    tracker("complaint", "set", "1", "--lang", "en")
    tracker("complaint", "decide", "1", "--action", "take_down")
    return tracker


async def test_f3_asks_before_marking_answered_and_escape_or_cancel_changes_nothing(decided: Tracker) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot)
        await app.push_screen(ReplyScreen(1))
        await settled(pilot)
        reply = app.screen
        assert isinstance(reply, ReplyScreen)
        await pilot.press("f3")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmAnswered", "F3 asks first"
        shown = re.sub(r"\s+", " ", re.sub(r"[█▊▎▔▁]", " ", drawn(app)))
        assert "Mark complaint #1 answered? The reply must already be sent." in shown, shown
        assert "Mark answered" in shown and "Cancel" in shown
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is reply, "Escape: back to the reply"
        assert decided.json("complaint", "show", "1")["status"] == "decided"

        await pilot.press("f3")
        await pilot.pause()
        await pilot.click("#cancel")
        await pilot.pause()
        assert app.screen is reply, "Cancel: back to the reply"
        assert not any("marked answered" in said for said in notifications(app))
        shown = decided.json("complaint", "show", "1")
        assert shown["status"] == "decided" and shown["answered_at"] is None and shown["reply_text"] is None

        await pilot.press(*"Hi ")
        text = reply.query_one("#reply", TextArea).text
        await pilot.press("f3")
        await pilot.pause()
        await pilot.press("enter")  # Mark answered has the focus
        await settled(pilot)
        assert not isinstance(app.screen, ReplyScreen) and type(app.screen).__name__ != "ConfirmAnswered"
        assert notifications(app)[-1].startswith("Complaint #1 marked answered")
    shown = decided.json("complaint", "show", "1")
    assert shown["status"] == "answered" and shown["reply_text"] == text


async def test_copy_says_the_reply_was_copied_not_sent(decided: Tracker) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot)
        await app.push_screen(ReplyScreen(1))
        await settled(pilot)
        await pilot.press("f2")
        await pilot.pause()
        said = str(app.screen.query_one("#reply-notice", Static).render())  # under the letter, no toast over it
        assert "sent" not in said, said
        assert said.startswith("Reply copied to the clipboard") and "paste it into your mail" in said, said
    assert decided.json("complaint", "show", "1")["status"] == "decided"


# ---------------------------------------------------------------------- no colour


def marks(app: TrackerApp) -> dict[str, bool]:
    """Each radio button, check box and list item drawn (by its label): whether its mark can be seen
    without colour, that is drawn in a colour other than its box's (NO_COLOR turns colours to greys)."""
    found: dict[str, bool] = {}
    for strip in app.screen._compositor.render_strips():
        cells: list[tuple[str, Any]] = [(char, seg.style) for seg in strip for char in Segment(seg.text).text]
        text = "".join(char for char, _ in cells)
        for hit in re.finditer(r"▐(.)▌ ([^▎]*)", text):
            char, style = cells[hit.start() + 1]
            seen = bool(char.strip()) and style is not None and (style.color != style.bgcolor or bool(style.reverse))
            found[hit.group(2).strip()] = seen
    return found


async def test_without_colour_only_the_chosen_marks_are_drawn(
    tracker: Tracker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERM", "xterm")
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        assert app.no_color
        form = await open_decision(tracker, tmp_path, app, pilot)
        seen = marks(app)
        assert seen["dispute"] is True, seen
        assert [label for label, on in seen.items() if on] == ["dispute"], seen
        assert seen["Decide despite the record"] is False
        form.query_one("#despite-record").value = True
        await pilot.pause()
        assert marks(app)["Decide despite the record"] is True
        form.query_one(VerticalScroll).scroll_to_widget(form.query_one("#posts"), animate=False, top=True)
        await pilot.pause()
        posts = {label: on for label, on in marks(app).items() if label.startswith("#1 pixiv")}
        assert list(posts.values()) == [True], posts
        form.query_one("#posts", SelectionList).deselect_all()
        await pilot.pause()
        posts = {label: on for label, on in marks(app).items() if label.startswith("#1 pixiv")}
        assert list(posts.values()) == [False], posts


def mark_chars(app: TrackerApp) -> dict[str, str]:
    """What is drawn inside each radio button's, check box's and list item's box (by its label)."""
    found: dict[str, str] = {}
    for line in screen_lines(app):
        for hit in re.finditer(r"▐(.)▌ ([^▎]*)", line):
            found[hit.group(2).strip()] = hit.group(1)
    return found


async def test_with_few_colours_a_mark_is_drawn_only_when_chosen(tracker: Tracker, tmp_path: Path) -> None:
    """Over SSH with poor colours, a dim X and a green X looked alike: the owner read an unticked post as
    ticked. An unchosen box is empty, whatever the colours."""
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        form = await open_decision(tracker, tmp_path, app, pilot)
        drawn_marks = mark_chars(app)
        assert drawn_marks["dispute"] == "●", drawn_marks
        assert {char for label, char in drawn_marks.items() if label != "dispute"} == {" "}, drawn_marks
        assert drawn_marks["Decide despite the record"] == " "
        form.query_one("#despite-record").value = True
        await pilot.pause()
        assert mark_chars(app)["Decide despite the record"] == "X"
        form.query_one(VerticalScroll).scroll_to_widget(form.query_one("#posts"), animate=False, top=True)
        await pilot.pause()
        posts = {label: char for label, char in mark_chars(app).items() if label.startswith("#1 pixiv")}
        assert list(posts.values()) == ["X"], posts
        form.query_one("#posts", SelectionList).deselect_all()
        await pilot.pause()
        posts = {label: char for label, char in mark_chars(app).items() if label.startswith("#1 pixiv")}
        assert list(posts.values()) == [" "], posts


# ---------------------------------------------------------------------- the intake form's notice elements


def notice(tmp_path: Path) -> Path:
    """A DMCA notice e-mailed from California naming post #2 by its URL; it states a signature only."""
    message = EmailMessage()
    message["From"] = "Jane Doe <jane@example.com>"
    message["To"] = "moth@example.org"
    message["Subject"] = "DMCA takedown notice"
    message["Date"] = "Thu, 03 Dec 2026 08:00:00 -0800"
    message.set_content(
        f"This is a DMCA notice. Your post {url(1)} copies my illustration.\n"
        "Please remove it within 48 hours.\n\nJane Doe\n"
    )
    path = tmp_path / "notice.eml"
    path.write_bytes(bytes(message))
    return path


def ticked(form: IntakeScreen) -> set[str]:
    return set(form.query_one("#elements", SelectionList).selected)


async def test_the_form_ticks_what_a_post_url_and_a_contact_give_and_saves_what_it_shows(
    posted: Tracker, tmp_path: Path
) -> None:
    app = make_app(NOW)
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot)
        await pilot.press("n")
        await settled(pilot)
        form = app.screen
        assert isinstance(form, IntakeScreen)
        form.query_one("#from-file", Input).value = str(notice(tmp_path))
        await pilot.press("ctrl+r")
        await settled(pilot)
        assert form.query_one("#basis", Select).value == "dmca"
        assert form.query_one("#contact", Input).value == "jane@example.com"
        assert {"location", "contact"} <= ticked(form), "(iii) and (iv) as saving will count them"
        hint = form.query_one("#elements-hint", Static)
        assert hint.display and "post named by its URL and the contact given" in str(hint.render())

        form.query_one("#contact", Input).value = ""
        await pilot.pause()
        assert "contact" not in ticked(form) and "location" in ticked(form), "cleared: unticked again"
        form.query_one("#posts", Input).value = "#2"
        await pilot.pause()
        assert "location" not in ticked(form), "a post named by its number gives no URL"
        assert not hint.display
        form.query_one("#elements", SelectionList).select("location")  # the owner's own tick
        form.query_one("#posts", Input).value = url(1)
        await pilot.pause()
        form.query_one("#posts", Input).value = "#2"
        await pilot.pause()
        assert "location" in ticked(form), "what the owner ticked stays ticked"
        form.query_one("#posts", Input).value = url(1)
        form.query_one("#contact", Input).value = "jane@example.com"
        await pilot.pause()
        await pilot.pause()
        shown = ticked(form)
        assert {"location", "contact"} <= shown
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, TriageScreen))
        await settled(pilot)
    saved = posted.json("complaint", "show", "1")["completeness"]
    assert {key for key, present in saved.items() if present} == shown, "what the form showed is what was saved"


# ---------------------------------------------------------------------- 80x24 cosmetics


async def open_decision(tracker: Tracker, tmp_path: Path, app: TrackerApp, pilot: Any) -> DecisionScreen:
    """The decision dialog on complaint #1 about post #1 (made with a ControlNet input), dispute chosen."""
    image = write_png(tmp_path / "a.png", {"parameters": FORGE_INFOTEXT})
    tracker("log", image, "--url", "https://www.pixiv.net/artworks/501", "--persona", "moth")
    tracker("complaint", "add", "--post", "1", "--basis", "jp", "--name", "Sato", "--lang", "en")
    await settled(pilot)
    app.open_complaint(1)
    await wait_for(pilot, lambda: candidates_loaded(app))
    await settled(pilot)
    await pilot.press("d")
    form = app.screen
    assert isinstance(form, DecisionScreen)
    await pilot.click("#action-dispute")
    await pilot.pause()
    return form


async def test_a_refusal_goes_once_the_decision_changes(tracker: Tracker, tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        form = await open_decision(tracker, tmp_path, app, pilot)
        form.query_one("#reason", Select).value = "independent_creation"
        await pilot.press("ctrl+s")
        await settled(pilot)
        assert "Not saved: post #1" in drawn(app)
        form.query_one("#reason", Select).value = "licensed_input"
        await pilot.pause()
        assert "Not saved" not in drawn(app), "the refusal was about the reason changed since"
        assert str(form.query_one("#decision-error", Static).render()) == ""


async def test_the_reasons_list_stays_inside_the_dialog(tracker: Tracker, tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        form = await open_decision(tracker, tmp_path, app, pilot)
        dialog = form.query_one("Vertical").region
        form.query_one("#reason", Select).focus()
        await pilot.press("enter")  # the reasons' list opens
        await pilot.pause()
        reasons = form.query_one("SelectOverlay").region
        assert reasons.height >= 9, "every reason shown"
        assert dialog.y < reasons.y and reasons.bottom < dialog.bottom, (reasons, dialog)
        rows = [line for line in screen_lines(app) if "independent creation" in line or "not my post" in line]
        assert len(rows) == 2 and all(line.startswith("    █") for line in rows), rows


async def test_the_read_button_stands_whole_beside_its_field(posted: Tracker) -> None:
    app = make_app(NOW)
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot)
        await pilot.press("n")
        await settled(pilot)
        form = app.screen
        assert isinstance(form, IntakeScreen)
        button = form.query_one("#read", Button).region
        bar = form.query_one(VerticalScroll).vertical_scrollbar.region
        assert button.right < bar.x, f"the button runs into the scroll bar: {button} {bar}"
        label = screen_lines(app)[button.y + 1][button.x : button.right]
        assert label.strip() == "Read" and label.startswith("  ") and label.endswith("  "), repr(label)


async def test_an_answered_complaint_says_what_its_dates_are(decided: Tracker) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot)
        mark_answered(app.factory, 1, "Dear K, done.")
        app.open_complaint(1)
        await wait_for(pilot, lambda: candidates_loaded(app))
        await settled(pilot)
        shown = decided.json("complaint", "show", "1")
        answered, due = day(from_iso(shown["answered_at"])), day(from_iso(shown["deadline_at"]))
        head = next(line for line in screen_lines(app) if "Complaint #1 " in line and "—" not in line)
        assert f"Complaint #1  answered {answered}; was due {due}" in head, head
