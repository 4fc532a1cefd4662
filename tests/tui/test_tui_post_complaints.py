"""A post's page lists every complaint about it, as `tracker show` does, with who sent each: also one that named no
post and whose decision takes this one down (matched by its picture), which the page left out."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing
from fixtures.tui import make_app, settled, wait_for
from textual.containers import VerticalScroll
from textual.widgets import Static

from tracker.tui.app import TrackerApp
from tracker.tui.screens.post import PostScreen

pytestmark = pytest.mark.db

SMALL = (80, 24)


@pytest.fixture
def promised(tracker: Tracker, tmp_path: Path) -> Tracker:
    """Post #1; complaint #1 names no post and is decided: take post #1 down; complaint #2 names post #1."""
    path = tmp_path / "orchard.png"
    drawing(1).save(path)
    tracker("log", path, "--url", "https://www.pixiv.net/artworks/120000001", "--persona", "moth", "--new-persona")
    tracker(
        "complaint", "add", "--persona", "moth", "--name", "Sato Hana", "--org", "Atelier Kirisame",
        "--basis", "jp", "--message", "One of your posts copies my watercolour.",
    )  # fmt: skip
    tracker("complaint", "decide", "1", "--action", "take_down", "--post", "1")
    tracker(
        "complaint", "add", "--post", "1", "--org", "株式会社ムーンライト", "--basis", "jp", "--message", "削除希望"
    )
    return tracker


def page_loaded(app: TrackerApp) -> bool:
    return isinstance(app.screen, PostScreen) and app.screen.page is not None


async def test_the_post_page_names_the_complaint_whose_take_down_covers_it(promised: Tracker) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        app.open_post(1)
        await wait_for(pilot, lambda: page_loaded(app))
        await settled(pilot)
        text = str(app.screen.query_one("#post-text", Static).render())
        section = text.split("Complaints about this post", 1)[1].split("History", 1)[0]
        assert "#1 decided  Japan" in section and "from Sato Hana (Atelier Kirisame)" in section, section
        assert "does not name this post: its decision takes it down" in section
        assert "#2 open  Japan" in section and "from (株)ムーンライト" in section
        assert section.count("does not name") == 1, "the complaint naming it says nothing of the kind"
        facts = app.screen.query_one("#post-facts", VerticalScroll)
        assert facts.max_scroll_y > 0, "at 80x24 the section is below: reached by scrolling (j, PgDn)"
