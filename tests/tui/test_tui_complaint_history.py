"""A complaint's own history on the complaint screen (`h`), at 80x24: what `tracker complaint show N` lists under
`history` (logged, corrected, decided, the reply marked sent, their later message), in the same words, escaped."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing
from fixtures.tui import candidates_loaded, footer_drawn, make_app, screen_lines, wait_for
from rich.cells import cell_len
from textual.widgets import Static

from tracker.tui.app import TrackerApp
from tracker.tui.screens.complaint_history import HistoryScreen
from tracker.tui.screens.triage import TriageScreen

pytestmark = pytest.mark.db

SMALL = (80, 24)
NOTE = "[bold]not markup[/bold] 本人の作品ではない"


@pytest.fixture
def answered(tracker: Tracker, tmp_path: Path) -> Tracker:
    path = tmp_path / "scene.png"
    drawing(0).save(path)
    tracker("log", path, "--url", "https://www.pixiv.net/artworks/120000001", "--persona", "moth", "--new-persona")
    tracker("complaint", "add", "--post", "1", "--basis", "jp", "--name", "佐藤 美咲", "--message", "削除してください")
    tracker("complaint", "set", "1", "--contact", "misaki@example.jp")
    tracker("complaint", "decide", "1", "--action", "dispute", "--reason", "independent_creation", "--notes", NOTE)
    tracker("complaint", "reply", "1", "--answered")
    tracker("complaint", "message", "1", "--message", "再度ご連絡します")
    return tracker


def history_shown(app: TrackerApp) -> bool:
    return isinstance(app.screen, HistoryScreen) and app.screen.loaded


async def test_h_shows_the_complaint_history_complaint_show_lists(answered: Tracker) -> None:
    shown = answered("complaint", "show", "1").stdout
    cli_history = shown.split("  history")[1]
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        app.open_complaint(1)
        await wait_for(pilot, lambda: candidates_loaded(app))
        await footer_drawn(pilot)
        footer = screen_lines(app)[-1]
        assert "h History" in footer and "f1 Help" in footer, f"a key is not in the footer at 80 columns: {footer!r}"
        await pilot.press("h")
        await wait_for(pilot, lambda: history_shown(app))
        text = str(app.screen.query_one("#history-text", Static).content)
        for said in (
            "complaint #1 logged",
            "post #1 named",
            'contact: (none) -> "misaki@example.jp"',
            "decision #1: dispute",
            f'notes (private, never sent): "{NOTE}"',
            "reply: the letter sent is kept",
        ):
            assert said in text, f"{said!r} not in the history:\n{text}"
            assert said in cli_history, f"{said!r} is not what complaint show says:\n{cli_history}"
        assert "kept (m on the complaint: messages)" in text, text
        lines = screen_lines(app)
        assert any("[bold]not markup" in line for line in lines), "the note is drawn as literal text"
        assert all(len(line.rstrip()) <= SMALL[0] for line in lines)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, TriageScreen))
        assert app.screen.focused is not None, "the focus is back on the complaint screen"


LONG_NOTE = (
    "2023年のラフスケッチから自作した構図。生成時の入力画像は自分の下描きのみで、他者の作品は使っていない。"
    "メタデータとログで確認済み。[bold]not markup[/bold]"
)


def cells(line: str, start: int, end: int) -> str:
    """The characters of a drawn line between two columns (a Japanese character takes two)."""
    kept, at = [], 0
    for char in line:
        if start <= at and at + cell_len(char) <= end:
            kept.append(char)
        at += cell_len(char)
    return "".join(kept)


async def test_a_long_history_line_folds_under_its_own_text_not_at_the_edge(answered: Tracker) -> None:
    answered("complaint", "decide", "1", "--action", "dispute", "--reason", "other", "--notes", LONG_NOTE)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        app.open_complaint(1)
        await wait_for(pilot, lambda: candidates_loaded(app))
        await pilot.press("h")
        await wait_for(pilot, lambda: history_shown(app))
        box = app.screen.query_one("#history-box")
        for _ in range(30):  # to the end: the latest decision is last
            await pilot.press("pagedown")
        await pilot.pause()
        inside = box.scrollable_content_region  # the box without its scroll bar; the text one cell in (padding)
        lines = screen_lines(app)[inside.y : inside.bottom]
        drawn = [cells(line, inside.x + 1, inside.right).rstrip() for line in lines]
        rows = [row for row in drawn if row]
        assert any('notes (private, never sent): "' in row for row in rows), "\n".join(drawn)
        at_edge = [row for row in rows if not row.startswith(" ")]
        assert at_edge and all(re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d  ", row) for row in at_edge), (
            "a folded line came back to the left edge, among the dates:\n" + "\n".join(drawn)
        )
        start = next(i for i, row in enumerate(rows) if LONG_NOTE[:8] in row)
        folded = rows[start + 1 : start + 3]
        assert all(row.startswith("    ") and row[4] != " " for row in folded), "\n".join(drawn)
        shown = "".join("".join(rows[start:]).split())
        assert "".join(LONG_NOTE.split()) in shown, "the note whole, as literal text"
        assert all(len(line.rstrip()) <= SMALL[0] for line in screen_lines(app))
