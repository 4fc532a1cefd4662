"""The New complaint form counts a Japanese complaint's deadline on Japan's clock, on a server that keeps UTC.

The owner answers over SSH from a machine whose local time is UTC; the sender writes in Japanese. A deadline
the owner types as a day, with the message only pasted, is the end of that day in Japan, as `tracker complaint
add --message … --deadline` counts it; and a deadline read from the message is never kept once the arrival
time it was counted from is typed again.
"""

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
NOW = datetime(2026, 12, 5, 1, 0, tzinfo=UTC)
"""10:00 on 5 December in Tokyo, 01:00 on the server."""
URL = "https://www.pixiv.net/artworks/131000001"
TODAY_JA = "はじめまして。私のイラストを無断で使用されています。\n本日中に削除してください。\n"


@pytest.fixture
def posted(tracker: Tracker, tmp_path: Path) -> Tracker:
    path = tmp_path / "scene.png"
    drawing(1).save(path)
    tracker("log", path, "--url", URL, "--persona", "moth")
    return tracker


def field(form: IntakeScreen, widget_id: str) -> Input:
    return form.query_one(f"#{widget_id}", Input)


async def test_a_day_typed_for_a_pasted_japanese_message_ends_in_japan_as_complaint_add_counts_it(
    posted: Tracker,
) -> None:
    message = "私のイラストを無断で使用しています。削除してください。"
    app = make_app(NOW)
    async with app.run_test(size=SMALL) as pilot:
        form = await open_intake_form(app, pilot)
        field(form, "name").value = "佐藤 美咲"
        field(form, "posts").value = URL
        field(form, "deadline").value = "2026-12-06"
        form.query_one("#message", TextArea).text = message  # pasted, not read
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, TriageScreen))
    by_form = posted.json("complaint", "show", "1")
    assert by_form["deadline_at"] == "2026-12-06T14:59:59+00:00", "the end of 6 December in Japan, not on the server"
    assert by_form["sent_utc_offset"] == 540
    by_cli = posted.json(  # received at the form's "now", whatever day the tests run on
        "complaint",
        "add",
        "--message",
        message,
        "--deadline",
        "2026-12-06",
        "--received",
        NOW.isoformat(),
        "--duplicate",
    )
    assert by_cli["deadline_at"] == by_form["deadline_at"]


async def read_pasted(form: IntakeScreen, pilot: Any) -> None:
    """Paste the Japanese message asking for removal today and read it (Ctrl+R), as the owner would."""
    form.query_one("#message", TextArea).text = TODAY_JA
    await pilot.press("ctrl+r")
    await settled(pilot)


NEW_YORK = "2026-12-04T11:00:00-05:00"
"""The arrival time typed afterwards: 11:00 on 4 December in New York."""


async def test_a_deadline_read_is_not_kept_once_the_arrival_time_is_typed_again(posted: Tracker) -> None:
    """本日中に read with the arrival `now` is the end of 5 December in Japan; typed afterwards as 11:00 on
    4 December in New York, the message asks for the end of 4 December there. The form says so under the
    deadline and saves nothing until the owner reads the message again."""
    app = make_app(NOW)
    async with app.run_test(size=SMALL) as pilot:
        form = await open_intake_form(app, pilot)
        await read_pasted(form, pilot)
        assert field(form, "deadline").value, "the deadline the message asks for was read"
        field(form, "received").value = NEW_YORK
        field(form, "name").value = "佐藤 美咲"
        await pilot.press("ctrl+s")
        await settled(pilot)
        error = form.field_error("deadline")
        assert app.screen is form and error.display, "not saved with the deadline counted from the old arrival"
        assert "press Ctrl+R again" in str(error.render())
        field(form, "deadline").value = ""
        await pilot.press("ctrl+r")
        await settled(pilot)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, TriageScreen))
    assert posted.json("complaint", "show", "1")["deadline_at"] == "2026-12-05T04:59:59+00:00"


async def test_a_second_read_that_keeps_the_deadline_still_guards_it(posted: Tracker) -> None:
    """Read, arrival typed again, read again: the deadline field (not empty) is kept by the second read, so it is
    still the one counted from the first arrival time, and Save still says so."""
    app = make_app(NOW)
    async with app.run_test(size=SMALL) as pilot:
        form = await open_intake_form(app, pilot)
        await read_pasted(form, pilot)
        field(form, "received").value = NEW_YORK
        await pilot.press("ctrl+r")
        await settled(pilot)
        field(form, "name").value = "佐藤 美咲"
        await pilot.press("ctrl+s")
        await settled(pilot)
        assert app.screen is form and form.field_error("deadline").display
    assert posted.json("complaint", "list") == []


AS_SHOWN = (
    "差出人: 鈴木花子 <hanako@example.jp>\n日時: 2026年12月5日 23:40\n件名: 無断転載について\n\n"
    f"はじめまして、鈴木花子と申します。\n{URL} は私の作品の無断転載です。明日中に削除をお願いいたします。\n"
)
"""A Japanese mail as a mail program shows it, pasted: 23:40 on 5 December in Japan."""


def read_said(form: IntakeScreen) -> str:
    """What the read says, under the file's field (no toast repeats it over the form)."""
    return str(form.query_one("#from-file-status", Static).render())


async def test_a_pasted_japanese_mails_date_is_read_on_japans_clock(posted: Tracker) -> None:
    """The form fills the arrival time and 明日中 as the same mail read as an .eml (+0900) gives them, says the
    hour it read on Japan's clock, and the letter thanks her for her message of 5 December."""
    app = make_app(datetime(2026, 12, 6, 1, 0, tzinfo=UTC))
    async with app.run_test(size=SMALL) as pilot:
        form = await open_intake_form(app, pilot)
        form.query_one("#message", TextArea).text = AS_SHOWN
        await pilot.press("ctrl+r")
        await settled(pilot)
        assert field(form, "received").value == "2026-12-05T14:40:00+00:00"
        assert field(form, "deadline").value == "2026-12-06T14:59:59+00:00"
        said = read_said(form)
        assert "received date 2026-12-05 23:40 UTC+09:00 (2026-12-05 14:40 UTC)" in said, said
        assert "later than now" not in said
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, TriageScreen))
    shown = next(line for line in posted("complaint", "show", "1").stdout.splitlines() if "received" in line)
    assert "2026-12-05 14:40 UTC (sender: 2026-12-05 23:40 UTC+09:00)" in shown, "the same times as the form's read"
    posted("complaint", "decide", "1", "--action", "ask_info")
    assert "2026年12月5日にご作品に関するご連絡をいただき" in posted.json("complaint", "reply", "1")["text"]


async def test_a_pasted_date_later_than_now_is_filled_with_a_warning(posted: Tracker) -> None:
    """At 12:00 in Japan, a message dated 23:40 that day has not arrived yet: the form fills what it shows and
    says to check it."""
    app = make_app(datetime(2026, 12, 5, 3, 0, tzinfo=UTC))
    async with app.run_test(size=SMALL) as pilot:
        form = await open_intake_form(app, pilot)
        form.query_one("#message", TextArea).text = AS_SHOWN
        await pilot.press("ctrl+r")
        await settled(pilot)
        assert field(form, "received").value == "2026-12-05T14:40:00+00:00"
        said = read_said(form)
        assert "The message's date, 2026-12-05 23:40 UTC+09:00 (2026-12-05 14:40 UTC), is later than now" in said, said
        assert "check the received date before saving" in said
        assert "yellow" in str(form.query_one("#from-file-status", Static).render().spans), "it stands out"


async def test_a_deadline_read_is_said_on_the_senders_clock_as_its_date_is(posted: Tracker) -> None:
    """2027年1月15日までに from Japan is said as the message means it, the end of that day there, then on the server's
    clock, as the arrival time beside it and `complaint add --from` say it: a bare `14:59 UTC` matched nothing the
    owner read in the message."""
    app = make_app(NOW)
    async with app.run_test(size=SMALL) as pilot:
        form = await open_intake_form(app, pilot)
        form.query_one(
            "#message", TextArea
        ).text = "私のイラストを無断で使用されています。\n2027年1月15日までに削除してください。\n"
        await pilot.press("ctrl+r")
        await settled(pilot)
        said = " ".join(read_said(form).split())
        assert "deadline 2027-01-15 23:59 UTC+09:00 (2027-01-15 14:59 UTC)" in said, said
