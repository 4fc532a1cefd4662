"""A take-down in the TUI of an image posted under two personas: the letter answers as one and never links them.

The triage's row is the image, with both posts. The decision form lists each post with its persona, ticks only those
of the persona the letter answers as (the best match's, said on the form), and the letter names only that persona's
posts; one of the other persona the owner ticks too is taken down, and named to the owner only.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing
from fixtures.tui import SIZE, candidates_loaded, make_app, settled, wait_for
from PIL import Image
from textual.containers import VerticalScroll
from textual.widgets import DataTable, SelectionList, Static

from tracker.db.models import Decision
from tracker.tui.screens.decision import DecisionScreen
from tracker.tui.screens.intake import IntakeScreen
from tracker.tui.screens.reply import ReplyScreen
from tracker.tui.screens.triage import TriageScreen

pytestmark = pytest.mark.db

MOTH = "https://www.pixiv.net/artworks/110000002"
KITE = "https://x.com/kite_secret/status/1922222222222222222"


@pytest.fixture
def screenshot(tracker: Tracker, tmp_path: Path) -> Path:
    """One image logged as moth's pixiv post #1 and kite's X post #2; a screenshot of it, as a complainant sends."""
    path = tmp_path / "scene.png"
    drawing(5).save(path)
    tracker("log", path, "--url", MOTH, "--persona", "moth")
    tracker("log", path, "--url", KITE, "--persona", "kite")
    shot = Image.new("RGB", (900, 1200), (250, 250, 250))
    with Image.open(path) as picture:
        shot.paste(picture.convert("RGB").resize((480, 480)), (200, 300))
    shot.save(tmp_path / "shot.png")
    return tmp_path / "shot.png"


def _leaks(letter: str) -> list[str]:
    return [said for said in ("kite", "x.com", "1922222222222222222", " X", "Ｘ", "X（") if said in letter]


@pytest.mark.parametrize("also_kite", [False, True])
async def test_a_take_down_answers_as_one_persona_and_names_the_other_to_the_owner_only(
    screenshot: Path, also_kite: bool
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        assert isinstance(app.screen, IntakeScreen)
        app.screen.query_one("#images").value = str(screenshot)
        app.screen.query_one("#name").value = "Sam Lee"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: candidates_loaded(app))
        triage = app.screen
        assert isinstance(triage, TriageScreen)
        row = [str(cell) for cell in triage.query_one("#candidates", DataTable).get_row_at(0)]
        assert "post #1, #2" in row and "pixiv (moth), x (kite)" in row, row
        await pilot.press("t")
        form = app.screen
        assert isinstance(form, DecisionScreen)
        await settled(pilot)
        posts = form.query_one("#posts", SelectionList)
        rows = [str(posts.get_option_at_index(n).prompt) for n in range(posts.option_count)]
        assert any("moth" in row and MOTH in row for row in rows), rows
        assert any("kite" in row and KITE in row for row in rows), rows
        assert posts.selected == [1], "another persona's post is never taken in unasked"
        said = str(form.query_one("#decision-posts", Static).render())
        assert "#1 (moth" in said and "answers as moth" in said and "best match" in said, said
        if also_kite:
            posts.select(2)
            await pilot.pause()
            said = str(form.query_one("#decision-posts", Static).render())
            assert "#2 (kite" in said and "not named in the letter" in said, said
        await pilot.press("ctrl+s")
        await settled(pilot)
        assert app.screen is triage
        summary = str(triage.query_one("#summary-text", Static).render())
        assert ("to remove: #1, #2" if also_kite else "to remove: #1 ") in summary, summary
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, ReplyScreen))
        await settled(pilot)
        letter = app.screen.query_one("#reply").text
        warned = str(app.screen.query_one("#reply-warnings", Static).render())
        assert MOTH in letter and "moth" in letter and not _leaks(letter), letter
        if also_kite:
            assert "taken down too, not named in the letter" in warned and KITE in warned, warned
    with app.factory() as session:
        decision = session.query(Decision).one()
        assert decision.post_ids == ([1, 2] if also_kite else [1])


async def test_at_80x24_the_line_saying_who_the_letter_answers_as_leaves_the_form_whole(screenshot: Path) -> None:
    """One row for "About: … · letter answers as moth (best match)": the "Decide despite the record" box under the
    reason is then whole without scrolling, its borders both shown."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        assert isinstance(app.screen, IntakeScreen)
        app.screen.query_one("#images").value = str(screenshot)
        app.screen.query_one("#name").value = "Sam Lee"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: candidates_loaded(app))
        await pilot.press("d")
        form = app.screen
        assert isinstance(form, DecisionScreen)
        await settled(pilot)
        line = form.query_one("#decision-posts", Static)
        said = str(line.render())
        assert said.startswith("About: #1 (moth") and "answers as moth (best match)" in said, said
        assert line.region.height == 1, said
        box, seen = form.query_one("#despite-record").region, form.query_one(VerticalScroll).region
        assert box.height >= 3 and seen.contains_region(box), (box, seen)
