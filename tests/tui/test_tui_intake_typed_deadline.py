"""The New complaint form's deadline takes the day as the Japanese complaint wrote it (`１２月８日`, `12/8`,
`令和8年12月8日`, `12月8日 17:00`), as `complaint add --deadline` does, and says under the field, before anything
is saved, the day it read: month/day (`8/12` is 12 August), the year it chose, whose clock the day ends on."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing
from fixtures.tui import make_app, open_intake_form, settled, wait_for
from textual.widgets import Input, Static, TextArea

from tracker.tui.screens.intake import IntakeScreen
from tracker.tui.screens.triage import TriageScreen

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("utc_time")]  # the server's local time is UTC

SMALL = (80, 24)
NOW = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)
"""Monday 7 December 2026: 10:00 in Tokyo, 01:00 on the server."""
URL = "https://www.pixiv.net/artworks/131000001"
MESSAGE = "私のイラストを無断で使用しています。12月8日までに削除してください。"


@pytest.fixture
def posted(tracker: Tracker, tmp_path: Path) -> Tracker:
    path = tmp_path / "scene.png"
    drawing(1).save(path)
    tracker("log", path, "--url", URL, "--persona", "moth")
    return tracker


async def typed(form: IntakeScreen, pilot: Any, deadline: str) -> str:
    """Type the deadline; the line under it, or "" while it shows nothing."""
    form.query_one("#deadline", Input).value = deadline
    await settled(pilot)
    line = form.query_one("#deadline-status", Static)
    return str(line.render()) if line.display else ""


async def test_a_day_typed_as_the_message_wrote_it_is_said_back_and_saved(posted: Tracker) -> None:
    app = make_app(NOW)
    async with app.run_test(size=SMALL) as pilot:
        form = await open_intake_form(app, pilot)
        form.query_one("#name", Input).value = "佐藤 美咲"
        form.query_one("#posts", Input).value = URL
        form.query_one("#message", TextArea).text = MESSAGE  # pasted, not read: Japanese, so Japan's clock
        said = await typed(form, pilot, "１２月８日")
        assert said == (
            "Read as 2026-12-08 (Tue), the end of that day on the sender's clock (UTC+09:00); 2026-12-08 14:59 UTC here"
        )
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, TriageScreen))
    assert posted.json("complaint", "show", "1")["deadline_at"] == "2026-12-08T14:59:59+00:00"


async def test_the_form_says_month_day_the_year_and_the_hour_before_saving(posted: Tracker) -> None:
    app = make_app(NOW)
    async with app.run_test(size=SMALL) as pilot:
        form = await open_intake_form(app, pilot)
        form.query_one("#message", TextArea).text = MESSAGE
        assert await typed(form, pilot, "8/12") == (
            "Read as 2027-08-12 (Thu), the end of that day on the sender's clock (UTC+09:00); 2027-08-12 14:59 UTC here"
        ), "month/day, and next year's: 12 August 2026 has passed"
        assert (await typed(form, pilot, "1月5日")).startswith("Read as 2027-01-05 (Tue)"), "never a past day"
        assert (await typed(form, pilot, "令和8年12月8日まで")).startswith("Read as 2026-12-08 (Tue)")
        assert (await typed(form, pilot, "12/8 17:00")).startswith(
            "Read as 2026-12-08 (Tue) 17:00 on the sender's clock (UTC+09:00); 2026-12-08 08:00 UTC here"
        )
        assert await typed(form, pilot, "13/8") == "", "no day: nothing said until Save says what is wrong"
        await pilot.press("ctrl+s")
        await settled(pilot)
        assert app.screen is form and form.field_error("deadline").display
        assert "12/8 (month/day)" in str(form.field_error("deadline").render())
        assert await typed(form, pilot, "") == ""
        form.query_one("#deadline", Input).focus()
        await pilot.press("1", "2", "slash", "8")  # typed at 80x24: the line is in view under the field
        await settled(pilot)
        line = form.query_one("#deadline-status", Static)
        assert str(line.render()).startswith("Read as 2026-12-08 (Tue)")
        assert line.region.height and app.screen.region.contains_region(line.region)
    assert posted.json("complaint", "list") == []
