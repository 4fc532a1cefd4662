"""`Esc` on a small dialog of one line (open a complaint, open a post, match a file, save the reply to a file) closes
it at once and loses nothing: the dialog opens again with what was typed and not used yet, and says so."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing
from fixtures.imagefactory import FORGE_INFOTEXT, write_png
from fixtures.tui import SIZE, make_app, screen_lines, settled, wait_for
from textual.widgets import Input, Static

from tracker.tui.screens.dashboard import DashboardScreen
from tracker.tui.screens.find import FindScreen, MatchScreen
from tracker.tui.screens.guard import ConfirmDiscard
from tracker.tui.screens.reply import ReplyScreen
from tracker.tui.screens.reply_file import ReplyFileScreen

pytestmark = pytest.mark.db

BACK = "What you typed before closing this is back"


def field(app: object, name: str) -> Input:
    return app.screen.query_one(f"#{name}", Input)  # type: ignore[attr-defined]


def line(app: object, name: str) -> str:
    return str(app.screen.query_one(f"#{name}", Static).render())  # type: ignore[attr-defined]


async def test_the_number_typed_in_open_complaint_comes_back_after_escape(tracker: Tracker, tmp_path: Path) -> None:
    tracker("log", write_png(tmp_path / "a.png", {"parameters": FORGE_INFOTEXT}), "--url",
            "https://www.pixiv.net/artworks/5", "--persona", "moth")  # fmt: skip
    tracker("complaint", "add", "--post", "1", "--name", "山田 花子")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await pilot.press("o", *"#1")
        assert field(app, "find-input").value == "#1"
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen), "Esc closes the dialog at once: no question over a number"
        await pilot.press("o")
        assert isinstance(app.screen, FindScreen)
        assert field(app, "find-input").value == "#1", "what was typed is there again"
        assert field(app, "find-input").has_focus
        assert BACK in "\n".join(screen_lines(app)), "and the dialog says so, whole at 80 columns"
        await pilot.press("escape", "g")
        assert field(app, "find-input").value == "", "open post keeps its own"
        await pilot.press(*"https://x.test/1", "escape", "o", "enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, (FindScreen, DashboardScreen)))
        await pilot.press("escape")
        await pilot.press("o")
        assert field(app, "find-input").value == "", "a number that opened its complaint is not kept"
        await pilot.press("escape", "g")
        assert field(app, "find-input").value == "https://x.test/1"


async def test_a_number_that_named_nothing_is_kept_to_correct(tracker: Tracker) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press("o", *"99", "enter")
        await wait_for(pilot, lambda: "no complaint #99" in line(app, "find-error"))
        await pilot.press("escape", "o")
        assert field(app, "find-input").value == "99"
        await pilot.press("backspace", "backspace", "escape", "o")
        assert field(app, "find-input").value == "", "typed back to empty: nothing kept"
        assert BACK not in line(app, "find-error")


async def test_quitting_with_a_number_typed_asks_first(tracker: Tracker) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press("o", *"12", "ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDiscard)
        await pilot.press("escape")
        assert field(app, "find-input").value == "12"


async def test_a_path_not_matched_yet_comes_back_and_one_matched_does_not(tracker: Tracker, tmp_path: Path) -> None:
    picture = tmp_path / "their copy.png"
    drawing(1).save(picture)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press("m", *"~/Downloads/their", "escape")
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("m")
        assert isinstance(app.screen, MatchScreen)
        assert field(app, "match-path").value == "~/Downloads/their"
        assert BACK in line(app, "match-status")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "error" in app.screen.query_one("#match-status").classes)
        await pilot.press("escape", "m")
        assert field(app, "match-path").value == "~/Downloads/their", "a path that could not be read is kept"
        field(app, "match-path").value = str(picture)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.results is not None or "error" in app.screen.query_one(
            "#match-status").classes)  # fmt: skip
        await pilot.press("escape", "m")
        assert field(app, "match-path").value == "", "a path searched for was used: nothing set aside"


async def test_the_path_typed_to_save_the_reply_comes_back_for_that_reply(
    tracker: Tracker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    tracker("log", write_png(tmp_path / "a.png", {"parameters": FORGE_INFOTEXT}), "--url",
            "https://www.pixiv.net/artworks/5", "--persona", "moth")  # fmt: skip
    tracker("complaint", "add", "--post", "1", "--name", "K", "--message", "Please take my picture down.")
    tracker("complaint", "decide", "1", "--action", "take_down")
    typed = str(tmp_path / "返信" / "明日まで.txt")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await app.push_screen(ReplyScreen(1))
        await settled(pilot)
        reply = app.screen
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, ReplyFileScreen)
        field(app, "path").value = typed
        await pilot.press("escape")
        assert app.screen is reply and reply.query_one("#reply").has_focus, "back to the letter"
        await pilot.press("f5")
        await pilot.pause()
        assert field(app, "path").value == typed
        assert BACK in line(app, "path-error"), "said under the path, not cleared as an edit"
        field(app, "path").value = str(tmp_path / "reply.txt")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is reply)
        await pilot.press("f5")
        await pilot.pause()
        assert field(app, "path").value == str(tmp_path / "reply-complaint-1.txt"), "saved: the default again"
