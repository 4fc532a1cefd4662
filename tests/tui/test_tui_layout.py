"""At 80x24 every form field has room for its label and what is typed, and status words are whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing
from fixtures.tui import candidates_loaded, make_app, settled, wait_for
from textual.widgets import DataTable, Input, Label, Select

from tracker.support.textsafe import cell_width
from tracker.tui.screens.intake import IntakeScreen
from tracker.tui.screens.triage import TriageScreen

pytestmark = pytest.mark.db

SMALL = (80, 24)


async def test_every_intake_field_shows_its_label_and_value_at_80x24() -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot)
        await pilot.press("n")
        await settled(pilot)
        form = app.screen
        assert isinstance(form, IntakeScreen)
        typed = "山田 花子 https://www.pixiv.net/artworks/1"  # CJK counted double
        for field in form.query(Input):
            field.value = typed
        await pilot.pause()
        for field in [*form.query(Input), *form.query(Select)]:
            field.scroll_visible(animate=False)
            await pilot.pause()
            assert field.region.width >= 60, f"#{field.id} is {field.region.width} columns wide"
            if isinstance(field, Input):
                assert cell_width(field.value) < field.content_region.width, f"#{field.id} hides what was typed"
        for label in form.query(Label):
            text = str(label.render())
            assert label.region.width * label.region.height >= cell_width(text), f"label {text!r} is cut off"
        labels = [str(label.render()) for label in form.query(Label)]
        assert "Platform" in labels and "Platform's ticket number" in labels


async def test_triage_status_words_are_whole_at_80x24(tracker: Tracker, tmp_path: Path) -> None:
    path = tmp_path / "scene.png"
    drawing(1).save(path)
    tracker("log", path, "--url", "https://www.pixiv.net/artworks/500000001", "--persona", "moth")
    tracker("complaint", "add", "--image", path, "--name", "A. Painter")
    tracker("complaint", "decide", "1", "--action", "take_down", "--post", "1")
    tracker("complaint", "confirm", "1")
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        app.open_complaint(1)
        await wait_for(pilot, lambda: candidates_loaded(app))
        screen = app.screen
        assert isinstance(screen, TriageScreen)
        table = screen.query_one("#candidates", DataTable)
        row = [str(cell) for cell in table.get_row_at(0)]
        assert "taken down" in row and "post #1" in row
        assert table.virtual_size.width <= table.size.width, "the candidate table fits without scrolling sideways"
