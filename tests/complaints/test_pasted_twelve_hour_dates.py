"""A message pasted with its date line as a mail program shows it (`Date: Fri, Dec 4, 2026 at 10:00 PM`, `Dec 4,
2026 10:00 PM`): 10 PM is 22:00 on the owner's clock, never 10:00 UTC (the relative deadline it asks for would fall
twelve hours early) nor no date at all."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tracker.complaints.intake import message_fields
from tracker.complaints.reading.forward_blocks import forwarded_date
from tracker.complaints.reading.message_dates import text_date
from tracker.complaints.reading.messages import message_from_text

pytestmark = pytest.mark.usefixtures("tokyo_time")  # local time is Japan's (conftest)


@pytest.mark.parametrize(
    "date", ["Fri, Dec 4, 2026 at 10:00 PM", "Dec 4, 2026 10:00 PM", "Friday, December 4, 2026 10:00 PM"]
)
def test_a_pasted_date_line_in_twelve_hours_is_read_on_the_owners_clock(date: str) -> None:
    text = f"From: Lisa Park <lisa@example.com>\nDate: {date}\nSubject: Copyright\n\nPlease remove my work.\n"
    assert message_from_text(text).received_at == datetime(2026, 12, 4, 13, 0, tzinfo=UTC)  # 22:00 in Tokyo


def test_a_twelve_hour_time_is_never_read_as_its_digits_in_utc() -> None:
    assert text_date("Dec 4, 2026 10:00 PM") == (None, None)


@pytest.mark.parametrize(
    "date",
    ["Date: December 4, 2026", "Sent: 4 December 2026", "Date: Friday, 4 December 2026", "Sent: Fri, Dec 4th, 2026"],
)
def test_a_pasted_date_line_with_no_time_is_that_day_on_the_owners_clock(date: str) -> None:
    text = f"From: Lisa Park <lisa@example.com>\n{date}\nSubject: Copyright\n\nPlease remove my work.\n"
    message = message_from_text(text)
    assert message.received_at == datetime(2026, 12, 3, 15, 0, tzinfo=UTC)  # 00:00 on the 4th in Tokyo
    assert message.sent_zone is None, "no zone named: the sender's clock is not known"


def test_a_month_that_is_no_month_or_a_day_that_is_no_day_is_no_date() -> None:
    for date in ("Smarch 4, 2026", "February 30, 2026", "4 Foo 2026"):
        text = f"From: Lisa Park <lisa@example.com>\nDate: {date}\n\nPlease remove my work.\n"
        assert message_from_text(text).received_at is None, date


@pytest.mark.parametrize(
    "sent", ["Friday, 4 December 2026 22:00", "Friday, 4 December 2026 10:00 PM", "4 Dec 2026 22:00"]
)
def test_a_pasted_day_first_date_line_is_read_on_the_owners_clock(sent: str) -> None:
    """Outlook in Europe writes the day first (`Sent: Friday, 4 December 2026 10:00`): it was read as UTC, or as
    no date with `PM`."""
    text = f"From: Lisa Park <lisa@example.com>\nSent: {sent}\nSubject: Copyright\n\nPlease remove my work.\n"
    message = message_from_text(text)
    assert message.received_at == datetime(2026, 12, 4, 13, 0, tzinfo=UTC)  # 22:00 in Tokyo
    assert message.sent_zone is None


def test_a_day_first_date_naming_its_zone_is_read_in_that_zone() -> None:
    text = "From: Lisa Park <lisa@example.com>\nDate: Fri, 4 Dec 2026 10:00:00 +0100\n\nPlease remove my work.\n"
    assert message_from_text(text).received_at == datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("sent", "utc"),
    [
        ("Date: Dec 4, 2026 10:00 +0100", datetime(2026, 12, 4, 9, 0, tzinfo=UTC)),
        ("Sent: Friday, December 4, 2026 10:00 PM EST", datetime(2026, 12, 5, 3, 0, tzinfo=UTC)),
        ("Sent: Friday, December 4, 2026 10:00 PM Eastern Time", datetime(2026, 12, 5, 3, 0, tzinfo=UTC)),
        ("Sent: Friday, July 3, 2026 10:00 PM Eastern Time", datetime(2026, 7, 4, 2, 0, tzinfo=UTC)),  # EDT
        ("Sent: Friday, December 4, 2026 10:00 PM Pacific Standard Time", datetime(2026, 12, 5, 6, 0, tzinfo=UTC)),
        ("Sent: Friday, December 4, 2026 10:00 PM Japan Standard Time", datetime(2026, 12, 4, 13, 0, tzinfo=UTC)),
        ("Date: Dec 4, 2026 22:00 (UTC+01:00)", datetime(2026, 12, 4, 21, 0, tzinfo=UTC)),
        ("Date: 4 Dec 2026 10:00 PM +0100", datetime(2026, 12, 4, 21, 0, tzinfo=UTC)),
    ],
)
def test_a_month_first_date_naming_its_zone_is_read_in_that_zone(sent: str, utc: datetime) -> None:
    """`Dec 4, 2026 10:00 +0100` was read on the owner's clock (01:00 UTC in Tokyo), the zone dropped: a "within 48
    hours" counted from it fell eight hours early, or (`10:00 PM EST`) seventeen hours."""
    text = f"From: Lisa Park <lisa@example.com>\n{sent}\nSubject: Copyright\n\nPlease remove my work within 48 hours.\n"
    message = message_from_text(text)
    assert message.received_at == utc
    assert message.sent_zone is not None, "the zone it names is the sender's clock"
    found = message_fields(message, lambda url: False)
    assert found["deadline_at"] == utc + timedelta(hours=48)


def test_a_month_first_date_in_a_zone_no_reader_knows_is_no_date() -> None:
    """`IST` is India's, Ireland's or Israel's clock: the date is not read on the owner's instead."""
    text = "From: Lisa Park <lisa@example.com>\nDate: Friday, December 4, 2026 10:00 PM IST\n\nPlease remove it.\n"
    assert message_from_text(text).received_at is None


def test_a_reply_header_naming_its_writer_after_the_time_is_still_dated() -> None:
    """A name after the time is no zone (`JD` is no zone's name): the quoted reply keeps its date."""
    line = "Fri, Dec 4, 2026 at 10:00 PM JD Smith <jd@example.com> wrote:"
    assert forwarded_date(line, UTC)[0] == datetime(2026, 12, 4, 22, 0, tzinfo=UTC)
