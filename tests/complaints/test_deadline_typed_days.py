"""A deadline the owner types as the complaint wrote it (`12月8日`, `12/8`, `令和8年12月8日`, full-width digits, an
hour after the day), with `complaint add --deadline` and `complaint set --deadline`: read as the message reader
reads that day, the end of it on the sender's clock, month before day, a year left out the next one from the day
the complaint arrived; and the command says the day it read."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from fixtures.common import Tracker

from tracker.complaints.deadlines import parse_deadline, sender_clock

pytestmark = pytest.mark.db

JAPANESE = "私のイラストを無断で使用しています。削除してください。"
"""A message in Japanese: its sender's clock is Japan's (UTC+09:00)."""
RECEIVED = "2026-12-07T10:00+09:00"
"""Monday 7 December 2026, 10:00 in Japan."""
END_OF_8_DECEMBER_IN_JAPAN = "2026-12-08T14:59:59+00:00"


def add(tracker: Tracker, deadline: str, received: str = RECEIVED) -> tuple[str, dict[str, object]]:
    """Log the Japanese message with `--deadline`; what it prints, and the complaint logged."""
    args = ("complaint", "add", "--message", JAPANESE, "--received", received, "--deadline", deadline)
    printed = tracker(*args, "--duplicate").output
    number = printed.split("Logged complaint #", 1)[1].split(":", 1)[0]
    return printed, tracker.json("complaint", "show", number)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("12月8日", END_OF_8_DECEMBER_IN_JAPAN),
        ("12月8日まで", END_OF_8_DECEMBER_IN_JAPAN),
        ("2026年12月8日", END_OF_8_DECEMBER_IN_JAPAN),
        ("令和8年12月8日", END_OF_8_DECEMBER_IN_JAPAN),
        ("12/8", END_OF_8_DECEMBER_IN_JAPAN),
        ("2026/12/8", END_OF_8_DECEMBER_IN_JAPAN),
        ("１２月８日", END_OF_8_DECEMBER_IN_JAPAN),
        ("12月8日 17:00", "2026-12-08T08:00:00+00:00"),
        ("12月8日17時", "2026-12-08T08:00:00+00:00"),
        ("1月5日", "2027-01-05T14:59:59+00:00"),
        ("8/12", "2027-08-12T14:59:59+00:00"),
    ],
)
def test_complaint_add_reads_a_day_typed_as_the_message_writes_it(tracker: Tracker, typed: str, stored: str) -> None:
    printed, logged = add(tracker, typed)
    assert logged["deadline_at"] == stored
    assert f"--deadline {typed} read as {stored[:10]} (" in printed, "it says the day it read, before the record"


def test_complaint_add_says_month_day_and_the_year_it_chose(tracker: Tracker) -> None:
    """`8/12` is 12 August (month/day, as in Japan), next year's once this year's has passed: said, not hidden."""
    printed, _ = add(tracker, "8/12")
    said = "--deadline 8/12 read as 2027-08-12 (Thu), the end of that day on the sender's clock (UTC+09:00)"
    assert said in printed


def test_a_day_without_a_year_counts_from_the_day_the_complaint_arrived(tracker: Tracker) -> None:
    """Logged two days late, the 12月6日 the message asked for is that 6 December (due already), not a year on."""
    _, logged = add(tracker, "12月6日", received="2026-12-05T10:00+09:00")
    assert logged["deadline_at"] == "2026-12-06T14:59:59+00:00"


def test_complaint_add_refuses_a_day_that_is_no_day_in_one_line(tracker: Tracker) -> None:
    result = tracker("complaint", "add", "--message", JAPANESE, "--deadline", "13/8", ok=False)
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert "cannot read the date '13/8'" in result.output and "12/8 (month/day)" in result.output


def test_complaint_set_reads_the_day_on_the_complaints_clock_and_says_it(tracker: Tracker) -> None:
    add(tracker, "2026-12-09")
    result = tracker("complaint", "set", "1", "--deadline", "１２月８日まで")
    assert "read as 2026-12-08 (Tue), the end of that day on the sender's clock (UTC+09:00)" in result.output
    assert tracker.json("complaint", "show", "1")["deadline_at"] == END_OF_8_DECEMBER_IN_JAPAN
    tracker("complaint", "set", "1", "--deadline", "1/5")
    assert tracker.json("complaint", "show", "1")["deadline_at"] == "2027-01-05T14:59:59+00:00"


def test_an_iso_day_still_reads_as_before_and_says_nothing_more(tracker: Tracker) -> None:
    printed, logged = add(tracker, "2026-12-08")
    assert logged["deadline_at"] == END_OF_8_DECEMBER_IN_JAPAN
    assert "read as" not in printed


def test_the_reader_and_the_typed_day_read_the_same_day() -> None:
    """One parser: what 12月8日まで in a message means is what 12月8日 typed means."""
    from tracker.complaints.reading.message_details import demanded_deadline, typed_day

    zone = sender_clock(540)
    arrived = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)
    for written in ("12月8日", "令和8年12月8日", "12/8", "12月8日 17:00", "2026年12月8日15時30分"):
        assert typed_day(written, date(2026, 12, 7), zone) == demanded_deadline(f"{written}までに", arrived, zone)
    assert parse_deadline("1月5日", arrived, zone) == datetime(2027, 1, 5, 14, 59, 59, tzinfo=UTC), "never a past one"
    assert typed_day("12月8日と9日", date(2026, 12, 7), zone) is None, "the whole of what was typed, or nothing"
