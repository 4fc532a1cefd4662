"""The owner finishing a complaint on an 80x24 terminal over SSH: the whole message, a refused decision,
the reply that was sent, and a letter that cannot drive the terminal.

Each test reads what the screen draws (the compositor's lines), as the owner would see it.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import FORGE_INFOTEXT, write_png
from fixtures.tui import candidates_loaded, make_app, screen_lines, settled, wait_for
from textual.pilot import Pilot
from textual.widgets import Checkbox, Select, Static, TextArea

from tracker.complaints.decisions import mark_answered
from tracker.complaints.letters.replies import Draft
from tracker.tui.app import TrackerApp
from tracker.tui.screens.decision import DecisionScreen
from tracker.tui.screens.help import help_markdown
from tracker.tui.screens.reply import ReplyScreen
from tracker.tui.screens.triage import TriageScreen
from tracker.tui.text import day

pytestmark = pytest.mark.db

SMALL = (80, 24)
CONTROLNET_POST = "https://www.pixiv.net/artworks/501"
HOSTILE = "Sato\x1b]0;pwned\x07 [bold red]x[/]"
"""A complainant's name holding an OSC window-title sequence and Rich markup."""
NOTICE = (
    "To whom it may concern,\n\n"
    + 'I am the author of the illustration "Night Market". Your post copies its composition and palette. ' * 8
    + "\n\nPlease remove it within 10 days, by December 14, 2026.\n"
    "I have a good faith belief that the use is not authorized by the copyright owner, its agent, or the law.\n"
    "The information in this notice is accurate, and under penalty of perjury, I am the owner.\n"
    "\x1b]0;pwned\x07 [bold red]look[/]\n"
    "/s/ Jane Doe\n"
    "Harbor Lights Studio LLC, 12 Pier Road, Portland, ME 04101"
)
"""A DMCA notice well over 600 characters: its deadline, statements, signature and address come last."""


def drawn(app: TrackerApp) -> str:
    return "\n".join(screen_lines(app))


@pytest.fixture
def controlnet_post(tracker: Tracker, tmp_path: Path) -> Tracker:
    """Post #1, made with a ControlNet (canny) input."""
    image = write_png(tmp_path / "a.png", {"parameters": FORGE_INFOTEXT})
    tracker("log", image, "--url", CONTROLNET_POST, "--persona", "moth")
    tracker("persona", "set", "moth", "--display-name", "Moth Atelier", "--contact", "moth@example.org")
    return tracker


async def open_triage(app: TrackerApp, pilot: Pilot[None]) -> TriageScreen:
    await settled(pilot)
    app.open_complaint(1)
    await wait_for(pilot, lambda: candidates_loaded(app))
    await settled(pilot)
    assert isinstance(app.screen, TriageScreen)
    return app.screen


async def test_the_whole_message_is_one_key_away_and_shown_literally(controlnet_post: Tracker) -> None:
    controlnet_post("complaint", "add", "--post", "1", "--basis", "dmca", "--name", "Jane Doe", "--message", NOTICE)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        triage = await open_triage(app, pilot)
        summary = str(triage.query_one("#summary-text", Static).render())
        assert "/s/ Jane Doe" not in summary, "the summary keeps its first 600 characters"
        assert "… (m: whole message)" in summary, "the cut says how to see the rest"
        await pilot.press("m")
        await settled(pilot)
        assert app.screen is not triage
        assert "Message of complaint #1 from Jane Doe" in drawn(app)
        await pilot.press("end")
        await settled(pilot)
        lines = screen_lines(app)
        for end in ("by December 14, 2026.", "/s/ Jane Doe", "12 Pier Road, Portland, ME 04101"):
            assert any(end in line for line in lines), (end, lines)
        shown = drawn(app)
        assert "\\x1b]0;pwned\\x07 [bold red]look[/]" in shown, "escapes and markup shown as text"
        assert "\x1b" not in shown and "\x07" not in shown
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is triage
    assert "`m` message (the complaint's whole message)" in help_markdown(TrackerApp)


async def test_a_refused_dispute_is_seen_at_80x24_in_the_dialogs_own_words(controlnet_post: Tracker) -> None:
    controlnet_post("complaint", "add", "--post", "1", "--basis", "jp", "--name", "Sato", "--lang", "en")
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_triage(app, pilot)
        await pilot.press("d")
        form = app.screen
        assert isinstance(form, DecisionScreen)
        await pilot.click("#action-dispute")
        form.query_one("#reason", Select).value = "independent_creation"
        await pilot.press("ctrl+s")
        await settled(pilot)
        assert app.screen is form, "refused: the form stays open with what was chosen"
        lines = screen_lines(app)
        shown = " ".join(re.sub(r"[█▊▎]", " ", line).strip() for line in lines)
        shown = re.sub(r"\s+", " ", shown)
        assert "Not saved: post #1" in shown and "controlnet canny" in shown, lines
        assert 'choose the reason "licensed or own input"' in shown, lines
        assert 'tick "Decide despite the record"' in shown, lines
        assert "--" not in shown, "no command-line flags in the TUI"
        assert shown.count("Not saved") == 1, "said once, above the buttons: no toast over Cancel and Save"
        assert not [n for n in app._notifications if "Not saved" in n.message]
        assert any(re.search(r"Cancel.*Save decision", line) for line in lines), "the buttons are not covered"
        assert form.focused is form.query_one("#reason", Select), "the reason to change has the focus"
        box = next(line for line in lines if "Decide despite the record" in line)
        assert re.search(r"Decide despite the record\s*▎", box), f"the label is cut: {box!r}"
        assert any("if the record contradicts the reason" in line for line in lines)
        form.query_one("#despite-record", Checkbox).value = True
        await pilot.press("ctrl+s")
        await settled(pilot)
        assert isinstance(app.screen, TriageScreen)
    assert controlnet_post.json("complaint", "show", "1")["decisions"][0]["reason"] == "independent_creation"


async def test_an_answered_complaint_shows_the_reply_sent_and_a_new_draft_on_request(
    controlnet_post: Tracker,
) -> None:
    controlnet_post("complaint", "add", "--post", "1", "--basis", "jp", "--name", "Sato", "--lang", "en")
    controlnet_post("complaint", "decide", "1", "--action", "take_down")
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_triage(app, pilot)
        await pilot.press("p")
        await settled(pilot)
        reply = app.screen
        assert isinstance(reply, ReplyScreen)
        await pilot.press(*"PS ")
        sent = reply.query_one("#reply", TextArea).text
        await pilot.press("f3")
        await settled(pilot)
        await pilot.press("enter")  # Mark answered, in the question F3 asks
        await settled(pilot)
        assert isinstance(app.screen, TriageScreen)
        answered_at = controlnet_post.json("complaint", "show", "1")["answered_at"]

        await pilot.press("p")
        await settled(pilot)
        again = app.screen
        assert isinstance(again, ReplyScreen)
        letter = again.query_one("#reply", TextArea)
        assert letter.text == sent, "the text that was sent, not a fresh draft"
        shown = re.sub(r"[\s█▊▎]+", " ", drawn(app))
        assert f"marked sent on {day(datetime.now(UTC))}" in shown, shown
        assert "^n New draft" in shown, "the key that every keyboard has"
        await pilot.press("f3")  # already answered: nothing is recorded again
        await settled(pilot)
        assert app.screen is again
        assert controlnet_post.json("complaint", "show", "1")["answered_at"] == answered_at

        await pilot.press("f8")
        await wait_for(pilot, lambda: letter.text != sent)  # on a loaded machine the key reaches the app late
        await settled(pilot)
        assert app.screen is again
        assert letter.text.startswith("Dear Sato,") and letter.text != sent, "a fresh draft"
        assert "marked sent" not in drawn(app)
        await pilot.press(*"Hi ")
        assert letter.text.startswith("Hi Dear Sato,"), "a new draft can be edited"


async def test_the_reply_screen_never_sends_escapes_or_markup_to_the_terminal(
    controlnet_post: Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever the letter holds (the drafting is sanitised elsewhere too), the screen shows it escaped."""
    controlnet_post("complaint", "add", "--post", "1", "--basis", "jp", "--name", "Sato", "--lang", "en")
    controlnet_post("complaint", "decide", "1", "--action", "take_down")
    hostile = f"Dear {HOSTILE},\n\nThank you\tfor your message.\r\n\x9b31mRed\n"

    def draft_reply(*_: object) -> Draft:
        return Draft(text=hostile, language="en", kind="take_down")

    monkeypatch.setattr("tracker.tui.screens.reply.draft_reply", draft_reply)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot)
        await app.push_screen(ReplyScreen(1))
        await settled(pilot)
        letter = app.screen.query_one("#reply", TextArea)
        assert letter.text.startswith("Dear Sato\\x1b]0;pwned\\x07 [bold red]x[/],\n\nThank you    for")
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", letter.text), repr(letter.text)
        shown = drawn(app)
        assert "Sato\\x1b]0;pwned\\x07 [bold red]x[/]," in shown and "\\x9b31mRed" in shown
        assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]", shown)
        await pilot.press(*"Hi ")
        await pilot.press("f2")
        await pilot.pause()
        assert app.clipboard == letter.text and app.clipboard.startswith("Hi Dear Sato\\x1b"), "the edited text"
        await pilot.press("f3")
        await settled(pilot)
        await pilot.press("enter")  # Mark answered, in the question F3 asks
        await settled(pilot)
    assert controlnet_post.json("complaint", "show", "1")["reply_text"].startswith("Hi Dear Sato\\x1b]0;")

    # A reply kept by an older version, escapes and all, is shown escaped as well.
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot)
        mark_answered(app.factory, 1, hostile)
        await app.push_screen(ReplyScreen(1))
        await settled(pilot)
        letter = app.screen.query_one("#reply", TextArea)
        assert letter.text.startswith("Dear Sato\\x1b]0;pwned\\x07 [bold red]x[/],")
        assert "\x1b" not in drawn(app) and "\x07" not in drawn(app)


def test_the_help_lists_the_new_keys() -> None:
    text = help_markdown(TrackerApp)
    assert "`m` message (the complaint's whole message)" in text
    assert "`Ctrl+N`/`F8` new draft (from the decision in force)" in text
