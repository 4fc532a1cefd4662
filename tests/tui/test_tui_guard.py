"""Nothing typed is lost: leaving a form or dialog with unsaved input asks first, and a failed save keeps it all."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import FORGE_INFOTEXT, write_png
from fixtures.tui import SIZE, candidates_loaded, make_app, settled, wait_for
from sqlalchemy import select
from textual.command import CommandList
from textual.widgets import Button, Input, Select, Static, TextArea

from tracker.db.models import Complaint
from tracker.tui.app import TrackerApp
from tracker.tui.screens.dashboard import DashboardScreen
from tracker.tui.screens.decision import DecisionScreen
from tracker.tui.screens.guard import ConfirmDiscard
from tracker.tui.screens.intake import IntakeScreen
from tracker.tui.screens.purge import ReasonScreen
from tracker.tui.screens.reply import ReplyScreen
from tracker.tui.screens.triage import TriageScreen

pytestmark = pytest.mark.db

URL = "https://www.pixiv.net/artworks/5"


@pytest.fixture
def decided(tracker: Tracker, tmp_path: Path) -> None:
    """Post #1 logged, complaint #1 naming it, decided (take down)."""
    image = write_png(tmp_path / "a.png", {"parameters": FORGE_INFOTEXT})
    tracker("log", image, "--url", URL, "--persona", "moth")
    tracker("complaint", "add", "--post", "1", "--name", "K", "--message", "Please remove it.")
    tracker("complaint", "decide", "1", "--action", "take_down")


def asking(app: TrackerApp) -> bool:
    return isinstance(app.screen, ConfirmDiscard)


def palette_offers(app: TrackerApp, title: str) -> bool:
    """The command palette's highlighted command is `title`."""
    commands = app.screen.query_one(CommandList)
    highlighted = commands.highlighted_option
    return highlighted is not None and str(highlighted.prompt).startswith(title)


async def test_an_untouched_form_leaves_at_once() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press("n")
        assert isinstance(app.screen, IntakeScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("n")
        app.screen.query_one("#cancel", Button).press()  # below the fold: pressed as a click would
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)


async def test_escape_on_a_typed_form_asks_and_keep_editing_keeps_everything() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press("n")
        form = app.screen
        assert isinstance(form, IntakeScreen)
        form.query_one("#name", Input).focus()
        await pilot.press(*"Kim")
        assert form.has_unsaved_input()
        await pilot.press("escape")
        await pilot.pause()
        assert asking(app), "leaving a typed form asks first"
        assert "Discard what you typed?" in str(app.screen.query_one("#discard-question", Static).render())
        await pilot.press("escape")  # Esc answers "keep editing"
        await pilot.pause()
        assert app.screen is form and form.query_one("#name", Input).value == "Kim"
        form.query_one("#cancel", Button).press()
        await pilot.pause()
        assert asking(app), "the Cancel button asks too"
        await pilot.click("#keep")
        await pilot.pause()
        assert app.screen is form and form.query_one("#name", Input).value == "Kim"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.click("#discard")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)


async def test_quit_asks_when_a_form_holds_input() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press("n")
        form = app.screen
        assert isinstance(form, IntakeScreen) and isinstance(app.focused, Input)
        await pilot.press("q")  # typed into the focused input (the message file's path): text, not quit
        await pilot.pause()
        assert app.screen is form and form.query_one("#from-file", Input).value == "q"
        form.query_one("#channel", Select).focus()
        await pilot.press("q")  # out of a text field: back, as Esc, which asks
        await pilot.pause()
        assert asking(app)
        await pilot.press("ctrl+q")  # asking already: not asked twice
        await pilot.pause()
        assert asking(app) and len([s for s in app.screen_stack if isinstance(s, ConfirmDiscard)]) == 1
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is form and app.return_code is None
        quit_command = next(c for c in app.get_system_commands(app.screen) if c.title == "Quit")
        await quit_command.callback()  # the palette's Quit
        await pilot.pause()
        assert asking(app)
        await pilot.click("#keep")
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert asking(app) and app.return_code is None
        await pilot.click("#discard")
        await pilot.pause()
        assert app.return_code == 0, "Discard and quit quits"


async def test_quit_from_the_command_palette_asks() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press("n")
        app.screen.query_one("#name", Input).value = "Kim"
        await pilot.press("ctrl+p")
        await pilot.press(*"Quit")
        await wait_for(pilot, lambda: bool(app.screen.query(CommandList)) and palette_offers(app, "Quit"))
        await pilot.press("enter")
        await wait_for(pilot, lambda: asking(app))
        assert isinstance(app.screen_stack[-2], IntakeScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, IntakeScreen) and app.return_code is None


async def test_quit_without_unsaved_input_quits_at_once() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press("n")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.return_code == 0


async def test_a_failed_save_keeps_every_value_and_marks_the_field(tracker: Tracker, tmp_path: Path) -> None:
    image = write_png(tmp_path / "a.png", {"parameters": FORGE_INFOTEXT})
    tracker("log", image, "--url", URL, "--persona", "moth")
    not_an_image = tmp_path / "notes.txt"
    not_an_image.write_text("hello")
    typed = {
        "received": "2026-01-02",
        "posts": URL,
        "images": str(not_an_image),
        "platform": "pixiv",
        "ticket": "T-1",
        "name": "A. Painter",
        "org": "Studio",
        "role": "agent",
        "contact": "a@example.org",
        "work-title": "Lighthouse",
        "work-urls": "https://example.org/lighthouse",
        "deadline": "2026-01-20",
    }
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press("n")
        form = app.screen
        assert isinstance(form, IntakeScreen)
        for widget_id, value in typed.items():
            form.query_one(f"#{widget_id}", Input).value = value
        form.query_one("#basis", Select).value = "dmca"
        form.query_one("#message", TextArea).text = "They copied my lighthouse."
        await pilot.press("ctrl+s")
        error = form.query_one("#intake-error", Static)
        await wait_for(pilot, lambda: "Not saved" in str(error.render()))
        assert app.screen is form
        assert {widget_id: form.query_one(f"#{widget_id}", Input).value for widget_id in typed} == typed
        assert form.query_one("#basis", Select).value == "dmca"
        assert form.query_one("#message", TextArea).text == "They copied my lighthouse."
        images_error = form.field_error("images")
        assert images_error.display and "not an image" in str(images_error.render())
        assert not form.field_error("posts").display and not form.field_error("deadline").display
        assert app.focused is form.query_one("#images", Input)

        form.query_one("#images", Input).value = ""
        await pilot.pause()
        assert not images_error.display, "changing the field clears its error"
        form.query_one("#deadline", Input).value = "after the holidays"
        await pilot.press("ctrl+s")
        await pilot.pause()
        deadline_error = form.field_error("deadline")
        assert deadline_error.display and "cannot read the date" in str(deadline_error.render())
        assert form.query_one("#deadline", Input).value == "after the holidays"

        form.query_one("#deadline", Input).value = ""
        form.query_one("#posts", Input).value = "https://www.pixiv.net/artworks/999"
        await pilot.press("ctrl+s")
        posts_error = form.field_error("posts")
        await wait_for(pilot, lambda: posts_error.display)
        assert "matches no logged post" in str(posts_error.render())
        assert not deadline_error.display
        assert form.query_one("#posts", Input).value == "https://www.pixiv.net/artworks/999"

        await pilot.press("escape")
        await pilot.pause()
        assert asking(app), "what was typed is still unsaved"
    with app.factory() as session:
        assert session.scalars(select(Complaint)).all() == []


async def test_the_decision_dialog_asks_when_notes_are_typed(decided: None) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        app.open_complaint(1)
        await wait_for(pilot, lambda: candidates_loaded(app))
        await pilot.press("t")  # the take-down preset, untouched: leaves at once
        assert isinstance(app.screen, DecisionScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TriageScreen)
        await pilot.press("d")
        decision = app.screen
        assert isinstance(decision, DecisionScreen)
        decision.query_one("#notes", TextArea).focus()
        await pilot.press(*"why")
        await pilot.click("#cancel")
        await pilot.pause()
        assert asking(app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is decision and decision.query_one("#notes", TextArea).text == "why"
        decision.query_one("#notes", TextArea).text = ""
        await pilot.click("#action-dispute")  # a chosen action is input too
        await pilot.press("escape")
        await pilot.pause()
        assert asking(app)
        await pilot.click("#discard")
        await pilot.pause()
        assert isinstance(app.screen, TriageScreen)


async def test_the_reply_asks_when_edited(decided: None) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await app.push_screen(ReplyScreen(1))
        await settled(pilot)
        reply = app.screen
        assert isinstance(reply, ReplyScreen) and not reply.has_unsaved_input()
        await pilot.press(*"Hi")
        assert reply.query_one("#reply", TextArea).text.startswith("Hi")
        await pilot.press("escape")
        await pilot.pause()
        assert asking(app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is reply and reply.query_one("#reply", TextArea).text.startswith("Hi")
        await pilot.press("f4")  # a new draft in the other language would replace the edits: asks too
        await pilot.pause()
        assert asking(app)
        await pilot.click("#keep")
        await pilot.pause()
        await pilot.click("#close")
        await pilot.pause()
        await pilot.click("#discard")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)


async def test_the_reason_dialog_asks_when_a_reason_is_typed() -> None:
    app = make_app()
    answers: list[str | None] = []
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await app.push_screen(ReasonScreen("Why skip it?", required=True), answers.append)
        await pilot.pause()
        await pilot.press(*"gone")
        await pilot.press("escape")
        await pilot.pause()
        assert asking(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReasonScreen) and app.screen.query_one("#reason", Input).value == "gone"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+d")  # the discard key
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen) and answers == [None]


async def test_keys_typed_ahead_in_one_burst_land_where_the_tab_sends_them(decided: None) -> None:
    """Over a slow link the keys arrive together: text, Tab, text. Each lands in the field that has the
    focus when it is read, so the second text goes to the reply note, never into the private notes."""
    from textual import events

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        app.open_complaint(1)
        await wait_for(pilot, lambda: candidates_loaded(app))
        await pilot.press("d")
        decision = app.screen
        assert isinstance(decision, DecisionScreen)
        decision.query_one("#notes", TextArea).focus()
        await pilot.pause()
        driver = app._driver
        assert driver is not None
        for key, char in [*((c, c) for c in "mine"), ("tab", "\t"), *((c, c) for c in "yours")]:
            event = events.Key(key, char)
            event.set_sender(app)
            driver.send_message(event)  # all at once, as a burst read from the terminal
        await pilot.pause()
        await pilot.pause()
        assert decision.query_one("#notes", TextArea).text == "mine"
        assert decision.query_one("#reply-note", TextArea).text == "yours"
