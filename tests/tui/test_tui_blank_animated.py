"""The Match screen and the complaint screen say, as `tracker match` does, when the complainant's picture is one
plain colour (nothing in it to compare) or animated (only its first frame searched), whole at 80x24."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing
from fixtures.tui import candidates_loaded, make_app, screen_lines, wait_for
from PIL import Image
from textual.widgets import Input

from tracker.matching import limits
from tracker.tui.screens.dashboard import DashboardScreen
from tracker.tui.screens.find import MatchScreen

pytestmark = pytest.mark.db


def words(drawn: list[str]) -> str:
    return " ".join(" ".join(line.strip(" █▌▐│▁▂▃▄▅▆▇▔") for line in drawn).split())


def animation(path: Path) -> None:
    """A three-frame GIF: its first frame a logged post's picture, the others noise."""
    frames = [drawing(0).convert("RGB"), *(Image.effect_noise((300, 200), 60).convert("RGB") for _ in range(2))]
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=200, loop=0)


@pytest.fixture
def logged(tracker: Tracker, tmp_path: Path) -> Path:
    path = tmp_path / "scene.png"
    drawing(0).save(path)
    tracker("log", path, "--url", "https://www.pixiv.net/artworks/300000001", "--persona", "moth")
    return path


async def match_says(path: Path) -> str:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen) and app.screen.loaded)
        await pilot.press("m")
        screen = app.screen
        assert isinstance(screen, MatchScreen)
        screen.query_one("#match-path", Input).value = str(path)
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.results is not None)
        await pilot.pause()
        return words(screen_lines(app))


async def test_the_match_screen_says_a_picture_is_one_plain_colour(logged: Path, tmp_path: Path) -> None:
    black = tmp_path / "black[b].png"
    Image.new("RGB", (400, 300), (0, 0, 0)).save(black)
    said = await match_says(black)
    assert f"No logged image matches black[b].png. {limits.blank_picture('black[b].png')}" in said, said
    assert "Look at the picture yourself" not in said


async def test_the_match_screen_says_only_an_animations_first_frame_was_searched(logged: Path, tmp_path: Path) -> None:
    moving = tmp_path / "moving.gif"
    animation(moving)
    said = await match_says(moving)
    assert limits.animated("moving.gif", 3) in said, said


async def test_the_complaint_screen_says_a_picture_is_blank_or_animated(
    tracker: Tracker, logged: Path, tmp_path: Path
) -> None:
    black = tmp_path / "black.png"
    Image.new("RGB", (400, 300), (0, 0, 0)).save(black)
    moving = tmp_path / "moving.gif"
    animation(moving)
    tracker("complaint", "add", "--image", black, "--image", moving, "--name", "A. Painter")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_complaint(1)
        await wait_for(pilot, lambda: candidates_loaded(app))
        await pilot.pause()
        said = words(screen_lines(app))
    assert limits.blank_picture("black.png").removesuffix(".") in said, said
    assert limits.animated("moving.gif", 3).removesuffix(".") in said, said
