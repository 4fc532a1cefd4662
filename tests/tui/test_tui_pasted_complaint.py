"""A complaint pasted from a pixiv message, handled end to end at 80x24 on a server that keeps UTC: 高橋 綾乃 names
post #3 in Japanese, sends no picture, and dates her message 6 December in Japan (5 December in UTC).

What the owner sees must say what was done: no picture of hers was compared; the day she wrote is the day the
letter thanks her for, said beside this machine's day where it is another; changing the decision starts from the one
it replaces.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing
from fixtures.tui import candidates_loaded, make_app, screen_lines, settled, wait_for
from rich.cells import cell_len
from textual.widgets import Input, Select, SelectionList, Static, TextArea

from tracker.tui.app import TrackerApp
from tracker.tui.screens.dashboard import DashboardScreen
from tracker.tui.screens.decision import DecisionScreen
from tracker.tui.screens.reply import ReplyScreen

pytestmark = pytest.mark.db

SMALL = (80, 24)
POST = "https://www.pixiv.net/artworks/120000002"
MESSAGE = f"""送信日時：2026年12月6日 0:30

はじめまして。イラストレーターの高橋綾乃と申します。
貴殿の投稿 {POST} が、私の作品に酷似しております。
AI生成の元画像として利用されたのではないでしょうか。

高橋 綾乃
"""
NOTE = "構図は一般的なものと考えております。"


@pytest.fixture
def pasted(tracker: Tracker, tmp_path: Path, utc_time: None) -> Tracker:
    """Posts #1 to #3, and complaint #1 from the pasted message about #3 (no image)."""
    for n in range(3):
        path = tmp_path / f"scene{n}.png"
        drawing(n).save(path)
        extra = ["--new-persona"] if n == 0 else []
        tracker("log", path, "--url", f"https://www.pixiv.net/artworks/12000000{n}", "--persona", "moth", *extra)
    message = tmp_path / "pixiv.txt"
    message.write_text(MESSAGE, encoding="utf-8")
    tracker("complaint", "add", "--from", message, "--channel", "email")
    return tracker


async def test_a_named_post_is_not_said_to_look_unlike_a_picture_never_sent(pasted: Tracker) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen) and app.screen.loaded)
        await pilot.press("o", "1", "enter")
        await wait_for(pilot, lambda: candidates_loaded(app))
        await settled(pilot)
        row = next(line for line in screen_lines(app) if "post #3" in line)
        assert "no image sent" in row and "no visual match" not in row, row
        facts = str(app.screen.query_one("#facts-text", Static).content)
        assert "(named, no image sent)" in facts
        assert "they sent no image: nothing was compared" in facts and "no visual match" not in facts
        theirs = app.screen.query_one("#complaint-image").query_one(".preview-caption", Static)
        assert str(theirs.render()) == "no image sent"  # not "nothing selected", as if one could be picked


async def test_changing_the_decision_starts_from_the_one_it_replaces(pasted: Tracker) -> None:
    """`d` on a decided complaint: the dispute, its reason, private notes, sentence for her and posts are in the
    form; changing only the reason keeps her sentence in the new decision (and so in the letter)."""
    pasted("complaint", "decide", "1", "--action", "dispute", "--reason", "independent_creation",
           "--notes", "mine only", "--reply-note", NOTE, "--despite-record")  # fmt: skip
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen) and app.screen.loaded)
        await pilot.press("o", "1", "enter")
        await wait_for(pilot, lambda: candidates_loaded(app))
        await settled(pilot)
        await pilot.press("d")
        form = app.screen
        assert isinstance(form, DecisionScreen)
        assert form.chosen_action() is not None and form.chosen_action().value == "dispute"
        assert form.query_one("#reason", Select).value == "independent_creation"
        assert form.query_one("#notes", TextArea).text == "mine only"
        assert form.query_one("#reply-note", TextArea).text == NOTE
        assert form.query_one("#posts", SelectionList).selected == [3]
        await pilot.press("escape")  # nothing changed: it closes without asking
        await pilot.pause()
        assert not isinstance(app.screen, DecisionScreen)
        await pilot.press("d")
        form = app.screen
        assert isinstance(form, DecisionScreen)
        form.query_one("#reason", Select).value = "slight_resemblance"
        await pilot.press("ctrl+s")
        await settled(pilot)
        assert not isinstance(app.screen, DecisionScreen)
    last = pasted.json("complaint", "show", "1")["decisions"][-1]
    assert (last["reason"], last["reply_note"], last["notes"], last["post_ids"]) == (
        "slight_resemblance",
        NOTE,
        "mine only",
        [3],
    )
    assert NOTE in pasted.json("complaint", "reply", "1")["text"]


async def test_the_received_and_answered_days_are_on_one_clock_and_her_day_is_said(
    pasted: Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """She wrote at 00:30 on 6 December in Japan (15:30 on the 5th in UTC, this server's time), and was answered at
    16:00 UTC, 01:00 on the 6th for her. The letter thanks her for her message of 12月6日; every screen of the
    owner's says when on this machine's clock, so the answer never reads as sent before her message came
    ("answered 2026-12-05" beside "received 2026-12-06"), and says her day where it is another."""
    pasted("complaint", "decide", "1", "--action", "take_down")
    monkeypatch.setattr("tracker.complaints.decisions.utcnow", lambda: datetime(2026, 12, 5, 16, 0, tzinfo=UTC))
    pasted("complaint", "reply", "1", "--answered")
    assert "2026年12月6日にいただいたご連絡" in pasted.json("complaint", "reply", "1")["subject"]
    listed = pasted("complaint", "list", "--all").stdout.splitlines()[1]
    assert "2026-12-05" in listed and "2026-12-06" not in listed, listed
    shown = pasted("complaint", "show", "1").stdout.splitlines()
    received = next(line for line in shown if "received" in line)
    assert "2026-12-05 15:30 UTC (sender: 2026-12-06 00:30 UTC+09:00) via email" in received, received
    assert cell_len(received) <= 80, received
    assert "(answered 2026-12-05)" in next(line for line in shown if "answer by" in line)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen) and app.screen.loaded)
        # the table's rows are drawn a refresh or two after it is loaded (later on a loaded machine)
        await wait_for(pilot, lambda: any(line.strip().startswith("#1 ") for line in screen_lines(app)))
        row = next(line for line in screen_lines(app) if line.strip().startswith("#1 "))
        assert "2026-12-05" in row and "2026-12-06" not in row, row
        await pilot.press("o", "1", "enter")
        await wait_for(pilot, lambda: app.screen.query("#summary-text") and "received" in str(summary(app)))
        lines = str(summary(app)).splitlines()
        assert lines[0].startswith("Complaint #1  answered 2026-12-05;"), lines
        status = next(line for line in lines if "received" in line)
        assert status == "status answered; received 2026-12-05 15:30 UTC by email", status
        assert "(2026-12-06 in the sender's time: the day the letter names)" in lines
        assert all(cell_len(line) <= 76 for line in lines if "received" in line or "sender" in line), "80 columns"
        await app.push_screen(ReplyScreen(1))  # mounted: its worker has started, and `settled` waits for it
        await settled(pilot)
        said = str(app.screen.query_one("#reply-sent", Static).render())
        assert said.startswith(
            "This is the text you marked sent on 2026-12-05 16:00 UTC (2026-12-06 in the sender's"
        ), said


def summary(app: TrackerApp) -> str:
    return str(app.screen.query_one("#summary-text", Static).render())


async def test_reading_the_message_covers_nothing_of_the_form_at_80x24(
    tracker: Tracker, tmp_path: Path, utc_time: None
) -> None:
    """Ctrl+R says what it read under the file's field; no toast repeats it over that summary and the Received
    field under it."""
    message = tmp_path / "pixiv.txt"
    message.write_text(MESSAGE, encoding="utf-8")
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot)
        await pilot.press("n")
        await settled(pilot)
        app.screen.query_one("#from-file", Input).value = str(message)
        await pilot.press("ctrl+r")
        await settled(pilot)
        lines = screen_lines(app)
        assert not app._notifications, [n.message for n in app._notifications]
        assert any("Read from pixiv.txt" in line for line in lines)
        received = lines.index(next(line for line in lines if "Received (YYYY-MM-DD" in line))
        assert "2026-12-05T15:30:00+00:00" in lines[received + 2], lines[received + 2]
