"""Triage of a complaint whose picture is a profile grid says how many of its pictures were found; one whose
picture matches nothing says what the search can miss, as the reply's warning does."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.tui import candidates_loaded, make_app, wait_for
from textual.widgets import Static

pytestmark = pytest.mark.db


async def triage_status(number: int) -> str:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_complaint(number)
        await wait_for(pilot, lambda: candidates_loaded(app))
        return str(app.screen.query_one("#triage-status", Static).render())


async def test_a_grid_and_a_picture_nothing_matches(tracker: Tracker, tmp_path: Path) -> None:
    from matching.test_grids import picture, profile_grid

    post = picture(7, (800, 800))
    logged = tmp_path / "post.png"
    post.save(logged)
    tracker("log", logged, "--url", "https://www.pixiv.net/artworks/300000001", "--persona", "moth")
    grid = tmp_path / "grid.png"
    profile_grid({5: post}).save(grid)
    tracker("complaint", "add", "--image", grid, "--name", "A. Painter")
    other = tmp_path / "other.png"
    picture(99, (600, 400)).save(other)
    tracker("complaint", "add", "--image", other, "--name", "B. Painter")

    status = await triage_status(1)
    assert status.startswith("1 candidate")
    assert (
        "grid.png is a grid of 15 pictures; 1 of them matches a logged image: look at the other 14 yourself" in status
    )
    status = await triage_status(2)
    assert "or a post shown as a square thumbnail (a profile grid, a phone's two-column feed)" in status
    assert status.endswith("can be missed (V shows theirs).")
