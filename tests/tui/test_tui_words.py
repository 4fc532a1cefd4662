"""Words the TUI shows: the deadline as the dashboard and the triage title say it (a time of day is shown,
and once it has passed the complaint is overdue, not "due today": 明日の17時まで looked at at 20:00), and a
triage candidate's kind, said once."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tracker.complaints.deadlines import end_of_local_day
from tracker.tui.text import OVERDUE_STYLE, due_text, due_words

pytestmark = pytest.mark.usefixtures("tokyo_time")  # local time is Japan's (conftest)

NOW = datetime(2026, 12, 4, 11, 0, tzinfo=UTC)  # 20:00 on 4 December in Tokyo
FIVE_PM = datetime(2026, 12, 4, 8, 0, tzinfo=UTC)  # 17:00 that day
ELEVEN_PM = datetime(2026, 12, 4, 14, 0, tzinfo=UTC)  # 23:00 that day


def test_a_time_of_day_that_has_passed_is_overdue() -> None:
    assert due_words(FIVE_PM, NOW, True) == "OVERDUE 17:00 JST"  # the triage title: the zone named
    assert due_words(FIVE_PM, NOW, True, zone=False) == "OVERDUE 17:00"  # the dashboard: named in its heading
    assert due_text(FIVE_PM, NOW, True).style == OVERDUE_STYLE


def test_a_time_later_today_is_shown_with_its_hour() -> None:
    assert due_words(ELEVEN_PM, NOW, True) == "due today 23:00 JST"
    assert due_words(ELEVEN_PM, NOW, True, zone=False) == "due today 23:00"


def test_a_deadline_given_as_a_day_is_due_all_day() -> None:
    whole_day = end_of_local_day(NOW.astimezone().date())
    assert due_words(whole_day, NOW, True) == "due today"
    assert due_text(whole_day, NOW, True).style != OVERDUE_STYLE


def test_a_named_post_without_a_visual_match_is_said_once() -> None:
    """`(named, no visual match)`, not `(named, no visual match, named in the complaint)`."""
    from tracker.complaints.triage import TriageCandidate
    from tracker.tui.triage_text import candidate_text

    shown = candidate_text(TriageCandidate("post-1", 1, "a.png", [], named=True)).plain
    assert "(named, no visual match)" in shown and "named in the complaint" not in shown
