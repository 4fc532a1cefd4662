"""The complaint screen at 80x24: a long line of a candidate's evidence folds under its own text, never back at the
pane's left edge where the next line's label starts; Tab in the decision form stops only where the owner sees the
focus; the whole message (m) reopens where it was closed."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing
from fixtures.tui import candidates_loaded, make_app, screen_lines, settled, wait_for
from rich.console import Console
from textual.containers import VerticalScroll
from textual.widgets import Static

from tracker.demo import complainant_copy

pytestmark = pytest.mark.db

LONG_FILE = "harbour moth at dusk over the old ferry terminal, final version for the winter exhibition.png"


def drawn_rows(static: Static, width: int) -> list[str]:
    """The evidence pane's text as its box draws it, `width` cells wide."""
    console = Console(width=width, color_system=None, legacy_windows=False)
    with console.capture() as capture:
        console.print(static.content)
    return capture.get().splitlines()


async def test_a_long_evidence_line_folds_under_its_own_text(tracker: Tracker, tmp_path: Path) -> None:
    path = tmp_path / LONG_FILE
    drawing(1).save(path)
    tracker("log", path, "--url", "https://www.pixiv.net/artworks/120000001", "--persona", "moth", "--new-persona")
    theirs = complainant_copy(path, tmp_path / "theirs.jpg")
    tracker("complaint", "add", "--image", theirs, "--name", "A. Painter")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_complaint(1)
        await wait_for(pilot, lambda: candidates_loaded(app))
        facts = app.screen.query_one("#facts-text", Static)
        await wait_for(pilot, lambda: "score" in str(facts.content))
        await settled(pilot)
        assert "file: " + LONG_FILE in str(facts.content), "the text, unfolded, is the file's name whole"
        width = facts.content_region.width
        assert 60 < width < 80
        rows = drawn_rows(facts, width)
        start = next(n for n, row in enumerate(rows) if row.startswith("file: "))
        assert rows[start + 1].startswith(" " * len("file: ")) and rows[start + 1].strip(), rows[start : start + 3]


async def test_tab_after_save_decision_goes_to_a_field_the_owner_sees(tracker: Tracker, tmp_path: Path) -> None:
    path = tmp_path / "scene.png"
    drawing(1).save(path)
    tracker("log", path, "--url", "https://www.pixiv.net/artworks/120000001", "--persona", "moth", "--new-persona")
    tracker("complaint", "add", "--post", "1", "--name", "A. Painter", "--message", "take it down")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_complaint(1)
        await wait_for(pilot, lambda: candidates_loaded(app))
        await settled(pilot)
        await pilot.press("d")
        await settled(pilot)
        app.screen.query_one("#save").focus()
        await pilot.press("tab")
        await settled(pilot)
        assert app.focused is not None and app.focused.id == "action", app.focused


async def test_the_message_reopens_where_it_was_closed(tracker: Tracker, tmp_path: Path) -> None:
    path = tmp_path / "scene.png"
    drawing(1).save(path)
    tracker("log", path, "--url", "https://www.pixiv.net/artworks/120000001", "--persona", "moth", "--new-persona")
    message = "\n".join(f"Paragraph {n} of the notice." for n in range(60))
    tracker("complaint", "add", "--post", "1", "--name", "A. Painter", "--message", message)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_complaint(1)
        await wait_for(pilot, lambda: candidates_loaded(app))
        await settled(pilot)
        await pilot.press("m")
        await settled(pilot)
        await pilot.press("pagedown")
        await settled(pilot)
        at = app.screen.query_one("#message-box", VerticalScroll).scroll_y
        assert at > 0
        await pilot.press("escape")
        await settled(pilot)
        await pilot.press("m")
        await settled(pilot)
        box = app.screen.query_one("#message-box", VerticalScroll)
        await wait_for(pilot, lambda: box.scroll_y == at, timeout=3)
        await settled(pilot)
        assert not any("Paragraph 0 of" in line for line in screen_lines(app)), "not back at the top"
