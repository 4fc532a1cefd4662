"""The reply screen keeps the letter as copied: copy, close, send it from the mail program, come back, mark it answered.

It was drafted again from the decision when opened again: the edit was gone, F2 overwrote the copy with the
unedited draft and F3 recorded a letter other than the one sent."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import FORGE_INFOTEXT, write_png
from fixtures.tui import make_app, settled
from textual.pilot import Pilot
from textual.widgets import Static, TextArea

from tracker.tui.app import TrackerApp
from tracker.tui.screens.reply import ConfirmAnswered, ReplyScreen

pytestmark = pytest.mark.db

SMALL = (80, 24)


@pytest.fixture
def dmca(tracker: Tracker, tmp_path: Path) -> None:
    """Complaint #1, an English DMCA notice about post #1, decided: take it down."""
    image = write_png(tmp_path / "a.png", {"parameters": FORGE_INFOTEXT})
    tracker("log", image, "--url", "https://www.pixiv.net/artworks/5", "--persona", "moth")
    tracker("complaint", "add", "--post", "1", "--name", "John Smith", "--basis", "dmca", "--lang", "en",
            "--message", "I own the copyright. Please remove it.")  # fmt: skip
    tracker("complaint", "decide", "1", "--action", "take_down")


async def open_reply(app: TrackerApp, pilot: Pilot[None]) -> ReplyScreen:
    await settled(pilot)
    await app.push_screen(ReplyScreen(1))
    await settled(pilot)
    assert isinstance(app.screen, ReplyScreen) and app.screen.draft is not None
    return app.screen


def letter(screen: ReplyScreen) -> str:
    return screen.query_one("#reply", TextArea).text


def warnings(screen: ReplyScreen) -> str:
    return str(screen.query_one("#reply-warnings", Static).render())


async def edit_copy_close(app: TrackerApp, pilot: Pilot[None]) -> str:
    """Type at the top of the letter, F2, Esc: the text copied."""
    reply = await open_reply(app, pilot)
    assert letter(reply).startswith("Dear John Smith,")
    await pilot.press(*"EDITED-LINE ")
    await pilot.press("f2")
    await pilot.pause()
    edited = letter(reply)
    await pilot.press("escape")
    await pilot.pause()
    assert not isinstance(app.screen, ReplyScreen), "copied: nothing is lost by closing"
    return edited


async def test_the_letter_copied_is_shown_again_and_marked_answered(
    dmca: None, tracker: Tracker, isolated_env: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        edited = await edit_copy_close(app, pilot)
        assert edited.startswith("EDITED-LINE Dear John Smith,")
        again = await open_reply(app, pilot)
        assert letter(again) == edited, "the letter as copied, not a new draft"
        said = warnings(again)
        assert "your letter as you copied or saved it on" in said and "Ctrl+N drafts it anew" in said
        assert not again.has_unsaved_input()
        await pilot.press("f2")  # copying again copies the edited letter
        await pilot.pause()
        copy = isolated_env / "replies-out" / "complaint-1-en.txt"
        assert copy.read_text(encoding="utf-8").endswith(edited)
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmAnswered)
        await pilot.press("enter")
        await pilot.pause()
    assert tracker.json("complaint", "show", "1")["reply_text"] == edited


async def test_a_letter_kept_for_an_earlier_decision_is_not_shown_as_the_reply(
    dmca: None, tracker: Tracker, isolated_env: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await edit_copy_close(app, pilot)
    tracker("complaint", "decide", "1", "--action", "dispute", "--reason", "slight_resemblance")
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        reply = await open_reply(app, pilot)
        assert "EDITED-LINE" not in letter(reply), "drafted from the decision in force"
        said = " ".join(warnings(reply).split())
        assert "answers an earlier decision: you decided again on" in said
        assert "(replies-out/complaint-1-en.txt)" in said and "F2 replaces that file" in said


async def test_ctrl_n_drafts_the_kept_letter_again_from_the_decision(dmca: None) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await edit_copy_close(app, pilot)
        reply = await open_reply(app, pilot)
        assert letter(reply).startswith("EDITED-LINE ")
        await pilot.press("ctrl+n")
        await settled(pilot)
        assert letter(reply).startswith("Dear John Smith,") and "as you copied" not in warnings(reply)


async def test_marking_answered_after_editing_the_copy_says_which_text_is_kept(dmca: None) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        reply = await open_reply(app, pilot)
        await pilot.press(*"A ")
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press(*"B ")
        await pilot.press("f3")
        await pilot.pause()
        question = app.screen
        assert isinstance(question, ConfirmAnswered)
        assert "after you copied it" in question.question
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is reply


async def test_the_letter_copied_is_the_one_the_shell_prints_and_marks_answered(
    dmca: None, tracker: Tracker, isolated_env: Path
) -> None:
    """`complaint reply N --answered` recorded a new draft, not the letter edited and copied, and said nothing."""
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        edited = await edit_copy_close(app, pilot)
    printed = tracker("complaint", "reply", "1")
    assert printed.stdout == edited and "your letter as you copied or saved it on" in printed.stderr
    assert "--new-draft drafts it anew" in printed.stderr
    assert tracker("complaint", "reply", "1", "--new-draft").stdout.startswith("Dear John Smith,")
    said = tracker("complaint", "reply", "1", "--answered")
    assert "marked answered (the letter you copied or saved in the TUI is kept as sent" in said.stderr
    assert tracker.json("complaint", "show", "1")["reply_text"] == edited
    assert "EDITED-LINE Dear John Smith," in tracker("complaint", "show", "1", "--reply").stdout
    again = tracker("complaint", "reply", "1")  # answered: another letter is a new draft, as Ctrl+N gives
    assert again.stdout.startswith("Dear John Smith,") and "as you copied" not in again.stderr


async def test_the_shell_records_a_new_draft_when_the_letter_copied_answers_an_earlier_decision(
    dmca: None, tracker: Tracker
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await edit_copy_close(app, pilot)
    tracker("complaint", "decide", "1", "--action", "dispute", "--reason", "slight_resemblance")
    said = tracker("complaint", "reply", "1", "--answered")
    assert "EDITED-LINE" not in said.stdout and "answers an earlier decision: you decided again on" in said.stderr
    assert "EDITED-LINE" not in tracker.json("complaint", "show", "1")["reply_text"]


async def test_a_letter_kept_before_the_removal_was_confirmed_says_the_draft_changed(
    dmca: None, tracker: Tracker
) -> None:
    """Copied while the post was to be removed ("I am removing"), then the removal confirmed: the letter kept is still
    shown (it may be the one sent), saying that a new draft says the post has been removed; Ctrl+N drafts it."""
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        edited = await edit_copy_close(app, pilot)
    assert "I am removing the following post:" in edited
    tracker("complaint", "confirm", "1")
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        reply = await open_reply(app, pilot)
        assert letter(reply) == edited, "the letter as copied: it may be the one sent"
        said = " ".join(warnings(reply).split())
        assert "you confirmed the removal since" in said
        assert "unless you sent it already, Ctrl+N drafts it anew, saying they have been removed" in said
        await pilot.press("ctrl+n")
        await settled(pilot)
        assert "I have removed the following post:" in letter(reply) and "I am removing" not in letter(reply)
    shown = tracker("complaint", "reply", "1")  # the command line says it too
    assert shown.stdout.startswith("EDITED-LINE "), "the kept letter, as the screen shows it"
    assert "unless you sent it already, --new-draft drafts it anew, saying they have been removed" in " ".join(
        shown.stderr.split()
    )
    assert "I have removed the following post:" in tracker("complaint", "reply", "1", "--new-draft").stdout
