"""`q` goes back one screen, as `Esc` does there, on every screen above the dashboard, and quits only on the
dashboard; Ctrl+Q quits from anywhere. Neither loses typed text: a form holding it asks first, as `Esc` does."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import FORGE_INFOTEXT, write_png
from fixtures.tui import SIZE, candidates_loaded, make_app, screen_lines, settled, wait_for
from textual import events
from textual.widgets import Button, TextArea

from tracker.tui.screens.base import ReadOnlyView
from tracker.tui.screens.dashboard import DashboardScreen
from tracker.tui.screens.decision import DecisionScreen
from tracker.tui.screens.guard import ConfirmDiscard
from tracker.tui.screens.help import help_markdown
from tracker.tui.screens.post import PostScreen
from tracker.tui.screens.reply import ReplyScreen
from tracker.tui.screens.triage import TriageScreen

pytestmark = pytest.mark.db

URL = "https://www.pixiv.net/artworks/120000001"


@pytest.fixture
def complained(tracker: Tracker, tmp_path: Path) -> None:
    """Post #1 logged, complaint #1 naming it."""
    tracker("log", write_png(tmp_path / "a.png", {"parameters": FORGE_INFOTEXT}), "--url", URL, "--persona", "moth")
    tracker("complaint", "add", "--post", "1", "--name", "K", "--message", "Please remove it.")


async def test_q_on_the_complaint_screen_goes_back_and_q_on_the_dashboard_quits(complained: None) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        app.open_complaint(1)
        await wait_for(pilot, lambda: candidates_loaded(app))
        await pilot.press("m")  # the whole message: q closes the view alone, as it says
        await wait_for(pilot, lambda: isinstance(app.screen, ReadOnlyView))
        await pilot.pause()
        assert any("Esc or q close" in line for line in screen_lines(app)), screen_lines(app)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, TriageScreen)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen) and app.return_code is None, "back, not quit"
        assert "q Quit" in screen_lines(app)[-1]
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code == 0


async def test_q_goes_back_from_a_post_and_ctrl_q_quits_from_there(complained: None) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await app.push_screen(PostScreen(1))
        await settled(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen) and app.return_code is None
        await app.push_screen(PostScreen(1))
        await settled(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.return_code == 0


async def test_q_out_of_a_decision_with_typed_notes_asks_and_keeps_them(complained: None) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        app.open_complaint(1)
        await wait_for(pilot, lambda: candidates_loaded(app))
        await pilot.press("d")
        decision = app.screen
        assert isinstance(decision, DecisionScreen)
        notes = decision.query_one("#notes", TextArea)
        notes.focus()
        await pilot.press(*"quiet")  # typed into the notes: text, never back
        assert app.screen is decision and notes.text == "quiet"
        decision.query_one("#cancel", Button).focus()
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDiscard), "as Esc: asks before losing the notes"
        await pilot.press("q")  # q on the question: as its Esc, keep editing
        await pilot.pause()
        assert app.screen is decision and notes.text == "quiet"
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDiscard) and app.return_code is None
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is decision and notes.text == "quiet"


async def test_q_in_the_reply_letter_is_text(complained: None, tracker: Tracker) -> None:
    tracker("complaint", "decide", "1", "--action", "take_down")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await app.push_screen(ReplyScreen(1))
        await settled(pilot)
        reply = app.screen
        assert isinstance(reply, ReplyScreen)
        await pilot.press("q")
        assert app.screen is reply and reply.query_one("#reply", TextArea).text.startswith("q")


def test_the_help_says_what_q_and_ctrl_q_do() -> None:
    from tracker.tui.app import TrackerApp

    said = help_markdown(TrackerApp)
    assert "`Ctrl+Q` quit (from any screen)" in said, said
    assert "`q` quit (on the dashboard; above it, back one screen as Esc)" in said, said


async def test_esc_then_q_read_as_alt_q_does_both(complained: None) -> None:
    """In tmux, Esc then q typed quickly arrive as one key, Alt+Q: the message view closes (Esc), then the complaint
    screen goes back to the dashboard (q); there the app keeps running."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        app.open_complaint(1)
        await wait_for(pilot, lambda: candidates_loaded(app))
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, ReadOnlyView))
        await pilot.press("alt+q")
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen) and app.return_code is None, "back twice, not quit"


async def test_esc_then_q_in_typed_notes_types_no_q_and_asks_first(complained: None) -> None:
    """Alt+Q in a text field was a `q` typed into it, the Esc lost: now Esc asks before losing the notes, and q on
    the question keeps editing, as the two keys pressed apart do. Nothing is typed, nothing lost."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        app.open_complaint(1)
        await wait_for(pilot, lambda: candidates_loaded(app))
        await pilot.press("d")
        decision = app.screen
        assert isinstance(decision, DecisionScreen)
        notes = decision.query_one("#notes", TextArea)
        notes.focus()
        await pilot.press(*"quiet")
        app.post_message(events.Key("alt+q", "q"))  # as the terminal's parser reads ESC q: its character `q`
        await pilot.pause()
        await pilot.pause()
        assert notes.text == "quiet", notes.text
        assert app.screen is decision and app.return_code is None


def test_the_help_says_what_alt_q_is() -> None:
    from tracker.tui.app import TrackerApp

    assert "`Alt+Q` as Esc then q (what tmux sends for Esc and q typed quickly)" in help_markdown(TrackerApp)


async def test_esc_then_another_letter_read_as_alt_does_both(complained: None) -> None:
    """tmux sends Esc then h typed quickly as Alt+H, which did nothing (both keys lost): the message view closes
    (Esc), then the complaint's history opens (h). On the dashboard Alt+M is Esc (nothing to clear) then m: Match; Alt+Shift+S, Esc then S."""
    from tracker.tui.screens.complaint_history import HistoryScreen
    from tracker.tui.screens.find import MatchScreen

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        dashboard = app.screen
        assert isinstance(dashboard, DashboardScreen)
        app.post_message(events.Key("alt+shift+s", "S"))  # Esc then S: the table in reverse order
        await wait_for(pilot, lambda: dashboard.sorting.get("complaints") == (None, True), timeout=5)
        await pilot.press("alt+m")
        await wait_for(pilot, lambda: isinstance(app.screen, MatchScreen), timeout=5)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))
        app.open_complaint(1)
        await wait_for(pilot, lambda: candidates_loaded(app))
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, ReadOnlyView))
        app.post_message(events.Key("alt+h", "h"))  # as the terminal's parser reads ESC h: its character `h`
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen), timeout=5)
        assert isinstance(app.screen_stack[-2], TriageScreen), "the message view closed first"


async def test_esc_then_a_letter_that_lands_in_a_text_field_types_nothing(complained: None) -> None:
    """Alt+Y on the question "discard what you typed?": Esc keeps editing, back in the notes; the y, which there would
    have been typed, is let go: the notes are as typed, and nothing was discarded."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        app.open_complaint(1)
        await wait_for(pilot, lambda: candidates_loaded(app))
        await pilot.press("d")
        decision = app.screen
        assert isinstance(decision, DecisionScreen)
        notes = decision.query_one("#notes", TextArea)
        notes.focus()
        await pilot.press(*"quiet", "escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDiscard))
        app.post_message(events.Key("alt+y", "y"))
        await wait_for(pilot, lambda: app.screen is decision)
        await settled(pilot)
        assert notes.text == "quiet" and decision.focused is notes, notes.text
