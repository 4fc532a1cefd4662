"""Whom each complaint on the dashboard is from, at 80x24: the part of the "from" cell that fits is the one that
tells the complaint apart and names whom the reply is written to (the person first, a company's own name)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing
from fixtures.tui import make_app, screen_lines, settled, wait_for
from textual.widgets import DataTable

from tracker.tui.app import TrackerApp
from tracker.tui.screens.dashboard import DashboardScreen
from tracker.tui.text import sender, short_company

pytestmark = pytest.mark.db

SMALL = (80, 24)
SENDERS = {
    "person": ["--name", "Lena Park"],
    "company": ["--org", "Brightmill Studio Ltd."],
    "person of a studio": ["--name", "Sato Hana", "--org", "Atelier Kirisame", "--role", "rights holder"],
    "lawyer for a client": ["--name", "Daniel Reyes", "--org", "Smith & Reyes LLP", "--role", "lawyer"],
    "forwarded by a platform": ["--name", "Mika Tanaka", "--platform", "pixiv", "--channel", "platform_form"],
    "Japanese name": ["--name", "佐藤 美咲"],
    "Japanese name of a company": ["--name", "山田 花子", "--org", "株式会社ムーンライト・クリエイティブ・スタジオ"],
    "Japanese company": ["--org", "株式会社ムーンライト・クリエイティブ・スタジオ"],
}
"""What each complaint says of its sender (`tracker complaint add` options), in the order they are logged."""
SHOWN = {
    "person": "Lena Park",
    "company": "Brightmill S",
    "person of a studio": "Sato Hana",
    "lawyer for a client": "Daniel Reyes",
    "forwarded by a platform": "Mika Tanaka",
    "Japanese name": "佐藤 美咲",
    "Japanese name of a company": "山田 花子",
    "Japanese company": "(株)ムーン",
}
"""The start of each one's "from" cell at 80 columns: who, not the organisation before them (`株式会社ムー…` of
a company told no company from the next)."""


@pytest.fixture
def complained(tracker: Tracker, tmp_path: Path) -> Tracker:
    path = tmp_path / "scene.png"
    drawing(0).save(path)
    tracker("log", path, "--url", "https://www.pixiv.net/artworks/120000001", "--persona", "moth", "--new-persona")
    for kind, who in SENDERS.items():
        tracker("complaint", "add", "--post", "1", "--basis", "dmca", "--message", f"from a {kind}", *who)
    return tracker


def dashboard_loaded(app: TrackerApp) -> bool:
    return isinstance(app.screen, DashboardScreen) and app.screen.loaded


def test_the_person_comes_before_their_organisation() -> None:
    assert sender("Sato Hana", "Atelier Kirisame") == "Sato Hana (Atelier Kirisame)"
    assert sender(None, "株式会社ムーンライト") == "(株)ムーンライト"
    assert sender(None, None) == "unnamed"
    assert short_company("ムーンライト株式会社") == "ムーンライト株式会社", "the form after the name leaves it first"
    assert short_company("株式会社") == "株式会社", "the form alone is no name"


async def test_the_from_column_at_80_columns_names_who_each_complaint_is_from(complained: Tracker) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await wait_for(pilot, lambda: dashboard_loaded(app))
        await settled(pilot)
        lines = screen_lines(app)
        for number, (kind, start) in enumerate(SHOWN.items(), start=1):
            row = next(line for line in lines if line.strip().startswith(f"#{number} "))
            assert start in row, f"the complaint from a {kind} shows no {start!r}: {row!r}"
            assert len(row.rstrip()) <= SMALL[0]
        lawyer = next(line for line in lines if line.strip().startswith("#4 "))
        assert "Smith" not in lawyer.split("Daniel")[0], "the firm comes after the lawyer, not before"


async def test_the_filter_finds_a_complaint_by_its_organisation_written_whole(complained: Tracker) -> None:
    """The cell says (株); the owner types the name as the letter writes it."""
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await wait_for(pilot, lambda: dashboard_loaded(app))
        await settled(pilot)
        await pilot.press("slash")
        for key in "株式会社":
            await pilot.press(key)
        await settled(pilot)
        table = app.screen.query_one("#complaints", DataTable)
        assert sorted(str(key.value) for key in table.rows) == ["7", "8"]
