"""A revision's sentence for the complainant: carried over with its action only.

After a dispute, `t` (take down) opened the form with the dispute's sentence in it (below the fold at 80x24), and a
quick Ctrl+S sent a take-down letter arguing the dispute."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import FORGE_INFOTEXT, write_png
from fixtures.tui import candidates_loaded, make_app, settled, wait_for
from textual.pilot import Pilot
from textual.widgets import Static, TextArea

from tracker.tui.app import TrackerApp
from tracker.tui.screens.decision import DecisionScreen
from tracker.tui.screens.triage import TriageScreen

pytestmark = pytest.mark.db

SMALL = (80, 24)
NOTE = "当該画像は私自身のプロンプトから生成したもので、ご作品を参照したものではございません。"
PRIVATE = "seed 1234 checked"


@pytest.fixture
def disputed(tracker: Tracker, tmp_path: Path) -> Tracker:
    """Complaint #1 (in Japanese) about post #1, disputed with a sentence for the complainant and a private note."""
    image = write_png(tmp_path / "a.png", {"parameters": FORGE_INFOTEXT})
    tracker("log", image, "--url", "https://www.pixiv.net/artworks/5", "--persona", "moth")
    message = "私の作品に似ています。削除をお願いいたします。"
    tracker("complaint", "add", "--post", "1", "--name", "山田 花子", "--message", message)
    tracker("complaint", "decide", "1", "--action", "dispute", "--reason", "slight_resemblance",
            "--reply-note", NOTE, "--notes", PRIVATE)  # fmt: skip
    return tracker


async def open_form(app: TrackerApp, pilot: Pilot[None], key: str) -> DecisionScreen:
    await settled(pilot)
    app.open_complaint(1)
    await wait_for(pilot, lambda: candidates_loaded(app))
    await settled(pilot)
    await pilot.press(key)
    await pilot.pause()
    form = app.screen
    assert isinstance(form, DecisionScreen)
    return form


def note(form: DecisionScreen) -> str:
    return form.query_one("#reply-note", TextArea).text


def hint(form: DecisionScreen) -> str:
    shown = form.query_one("#reply-note-hint", Static)
    return " ".join(str(shown.render()).split()) if shown.display else ""


async def test_t_after_a_dispute_sends_no_dispute_sentence_in_the_take_down_letter(disputed: Tracker) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        form = await open_form(app, pilot, "t")
        assert note(form) == "", "the dispute's sentence is not carried into a take-down"
        assert "Not carried over: decision #1's sentence was written for dispute" in hint(form)
        assert form.query_one("#notes", TextArea).text == PRIVATE, "private notes are carried over"
        await pilot.press("ctrl+s")
        await settled(pilot)
        assert isinstance(app.screen, TriageScreen)
    shown = disputed.json("complaint", "show", "1")
    decided = shown["decisions"][-1]
    assert decided["action"] == "take_down" and not decided["reply_note"] and decided["notes"] == PRIVATE
    letter = disputed("complaint", "reply", "1").stdout
    assert "以下の投稿を削除いたします。" in letter and NOTE not in letter


async def test_the_sentence_follows_the_action_chosen_in_the_form(disputed: Tracker) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        form = await open_form(app, pilot, "d")
        assert note(form) == NOTE and hint(form) == "", "the same action: the sentence is carried over"
        form.query_one("#action-take_down").value = True
        await pilot.pause()
        assert note(form) == "" and "Not carried over" in hint(form)
        form.query_one("#action-dispute").value = True
        await pilot.pause()
        assert note(form) == NOTE and hint(form) == "", "chosen back, it comes back"
        form.query_one("#reply-note", TextArea).text = "ご指摘の点を確認いたしました。"
        form.query_one("#action-ask_info").value = True
        await pilot.pause()
        assert note(form) == "ご指摘の点を確認いたしました。", "a sentence the owner wrote stays theirs"
