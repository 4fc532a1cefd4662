"""The sender's answer in the TUI: complaint #1 was answered with questions (ask_info) and their answer, kept with
`tracker complaint message 1`, opened it again. On an 80x24 terminal the complaint screen says their answer came
and that `m` shows it; `m` shows it after the first message, literally, under the day it arrived; the reply
screen (p) says to decide again before drafting the old letter again, as `complaint reply` does."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from fixtures.common import Tracker, decided_on
from fixtures.drawings import drawing
from fixtures.tui import make_app, screen_lines, settled, wait_for
from textual.widgets import Static

from tracker.tui.screens.reply import ReplyScreen
from tracker.tui.screens.triage import MessageScreen, TriageScreen

pytestmark = pytest.mark.db

POST = "https://www.pixiv.net/artworks/131000001"
NOTICE = f"I am the author of https://example.art/harbour. Your post {POST} copies it. Please remove it."
ANSWER = "My original is at https://example.art/harbour.\nSee [bold red]this[/] \x1b]0;pwned\x07 too."


@pytest.fixture
def answered_again(tracker: Tracker, tmp_path: Path, isolated_env: Path) -> Tracker:
    image = tmp_path / "scene.png"
    drawing(1).save(image)
    tracker("log", image, "--url", POST, "--persona", "moth")
    tracker("complaint", "add", "--name", "Jane Doe", "--post", "1", "--message", NOTICE, "--received", "2026-12-01")
    tracker("complaint", "decide", "1", "--action", "ask_info")
    tracker("complaint", "reply", "1", "--answered")
    decided_on(isolated_env, datetime(2026, 12, 2, 9, tzinfo=UTC))
    # 23:30 on 5 December in Japan: their day is the 5th whatever this machine's zone is.
    tracker("complaint", "message", "1", "--message", ANSWER, "--received", "2026-12-05T23:30+09:00")
    return tracker


async def _triage(app, pilot) -> TriageScreen:  # type: ignore[no-untyped-def]
    await settled(pilot)
    app.open_complaint(1)
    await wait_for(pilot, lambda: isinstance(app.screen, TriageScreen) and app.screen.complaint is not None)
    await settled(pilot)
    assert isinstance(app.screen, TriageScreen)
    return app.screen


async def test_the_complaint_screen_shows_their_answer_and_m_shows_it_whole(answered_again: Tracker) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        triage = await _triage(app, pilot)
        summary = str(triage.query_one("#summary-text", Static).render())
        assert "their answer of 2026-12-05 came: decide again (m: messages)" in summary
        assert any("their answer of 2026-12-05" in line for line in screen_lines(app)), "on the first screen"
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, MessageScreen))
        await settled(pilot)
        shown = str(app.screen.query_one("#message-text", Static).render())
        assert shown.index(NOTICE) < shown.index("Later message, received 2026-12-05")
        assert "My original is at https://example.art/harbour.\nSee [bold red]this[/] \\x1b]0;pwned\\x07" in shown
        assert "\x1b" not in shown and "\x07" not in shown


async def test_reply_on_the_complaint_opened_again_says_to_decide_again_first(answered_again: Tracker) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _triage(app, pilot)
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, ReplyScreen) and app.screen.draft is not None)
        await settled(pilot)
        warned = str(app.screen.query_one("#reply-warnings", Static).render())
        assert "complaint #1 is open again: their answer came after this decision's letter was sent" in warned
        assert "decide again before you answer (Esc, then d" in warned
