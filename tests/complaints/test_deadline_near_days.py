"""The days a complaint names without a month or by its weekday are read, on the sender's clock: 8日（火）17時までに,
今月8日までに, 金曜日までに, 来週月曜日までに, 週明けまでに, 来週までに, 明朝9時までに, 明日午前中に, 本日夕方までに,
今夜中に; in English `by end of week`, `by the 8th`, `by next Monday`, `by Monday next week`, `by next week`. A deadline read late (or not at all, so the
usual week applies) is the one missed: where a phrase reads two ways, the earlier day is taken."""

from __future__ import annotations

from datetime import datetime

import pytest
from fixtures.hangs import deadline

from tracker.complaints.reading.english_deadlines import asked_deadline
from tracker.complaints.reading.message_dates import JAPAN
from tracker.complaints.reading.message_details import demanded_deadline

MONDAY = datetime(2026, 12, 7, 12, 0, tzinfo=JAPAN)  # Monday 7 December 2026, noon in Japan
WEDNESDAY = datetime(2026, 12, 9, 12, 0, tzinfo=JAPAN)
SATURDAY = datetime(2026, 12, 12, 12, 0, tzinfo=JAPAN)


def _jst(found: datetime | None) -> str | None:
    return found.astimezone(JAPAN).strftime("%Y-%m-%d %H:%M") if found else None


JAPANESE = [
    # a day of the month alone: the next such day (this month's, else next month's)
    ("8日（火）17時までに削除してください。", MONDAY, "2026-12-08 17:00"),
    ("8日(月)までに削除してください。", MONDAY, "2026-12-08 23:59"),  # a wrong weekday: the date says which
    ("今月8日までにご対応ください。", MONDAY, "2026-12-08 23:59"),
    ("7日中にご返信ください。", MONDAY, "2026-12-07 23:59"),  # the day it came
    ("5日までに削除してください。", MONDAY, "2027-01-05 23:59"),  # this month's 5th has passed
    ("来月8日までにご対応ください。", MONDAY, "2027-01-08 23:59"),
    ("31日までにご対応ください。", datetime(2026, 11, 10, 12, tzinfo=JAPAN), "2026-12-31 23:59"),  # no 31 November
    # a weekday: the next such day (that day itself), 今週 this week's, 来週 the next week's
    ("金曜日までに削除してください。", MONDAY, "2026-12-11 23:59"),
    ("今週金曜日までに削除してください。", MONDAY, "2026-12-11 23:59"),
    ("来週月曜日までに削除してください。", MONDAY, "2026-12-14 23:59"),
    ("来週の水曜日17時までにご連絡ください。", MONDAY, "2026-12-16 17:00"),
    ("月曜日までにご返信ください。", WEDNESDAY, "2026-12-14 23:59"),
    ("月曜日中にご返信ください。", MONDAY, "2026-12-07 23:59"),  # that day itself
    ("来週月曜日までに", SATURDAY, "2026-12-14 23:59"),
    ("週明けまでにご対応ください。", WEDNESDAY, "2026-12-14 23:59"),
    ("週明けまでにご対応ください。", SATURDAY, "2026-12-14 23:59"),
    ("週明けまでにご対応ください。", MONDAY, "2026-12-07 23:59"),  # on a Monday: today, not a week late
    ("来週中に削除してください。", MONDAY, "2026-12-18 23:59"),  # the next week's Friday, as 今週中 is read
    ("来週中に削除してください。", SATURDAY, "2026-12-18 23:59"),
    ("来週末までにご対応ください。", MONDAY, "2026-12-20 23:59"),
    ("来週中、遅くとも今週中にご対応ください。", MONDAY, "2026-12-11 23:59"),  # every one read: the earliest
    # 来週まで: its start or its end? the earlier, the coming Monday (来週中に says the end)
    ("来週までに削除してください。", MONDAY, "2026-12-14 23:59"),
    ("来週までにご対応をお願いいたします。", WEDNESDAY, "2026-12-14 23:59"),
    ("来週迄にご返信ください。", SATURDAY, "2026-12-14 23:59"),
    ("来週までにご対応いただけないでしょうか。", MONDAY, "2026-12-14 23:59"),  # a request as a question
    # tonight: the received day's end (as 本日中に and "by tonight"), an hour the evening's
    ("今夜中に削除してください。", MONDAY, "2026-12-07 23:59"),
    ("今晩中にご対応ください。", MONDAY, "2026-12-07 23:59"),
    ("今夜までに削除をお願いします。", WEDNESDAY, "2026-12-09 23:59"),
    ("今夜9時までに削除してください。", MONDAY, "2026-12-07 21:00"),
    ("明日の夜までに削除してください。", MONDAY, "2026-12-08 23:59"),
    ("明日の晩までにご対応ください。", MONDAY, "2026-12-08 23:59"),
    ("明日の夜9時までに削除してください。", MONDAY, "2026-12-08 21:00"),
    # a part of the day: its usual hour
    ("明朝9時までに削除してください。", MONDAY, "2026-12-08 09:00"),
    ("明朝までに削除してください。", MONDAY, "2026-12-08 09:00"),
    ("明日午前中に削除してください。", MONDAY, "2026-12-08 12:00"),
    ("明日の午前中までにご対応ください。", MONDAY, "2026-12-08 12:00"),
    ("本日夕方までにご連絡ください。", MONDAY, "2026-12-07 17:00"),
    ("明日の夕方17時までに", MONDAY, "2026-12-08 17:00"),  # the hour it names
    ("明日の朝までに削除してください。", MONDAY, "2026-12-08 09:00"),
    # asking for nothing: no deadline
    ("8日に投稿された画像です。", MONDAY, None),
    ("金曜日に気づきました。", MONDAY, None),
    ("来週確認します。", MONDAY, None),
    ("先週金曜日までにご連絡すると言われました。", MONDAY, None),  # history
    ("金曜日まで待ちましたが、お返事がありません。", MONDAY, None),
    ("先週 金曜日までと申し上げました。", MONDAY, None),
    ("毎週月曜日までに更新しています。", MONDAY, None),
    ("再来週中に", MONDAY, None),  # not 来週
    ("来週まで出張しております。", MONDAY, None),  # until next week, asking nothing
    ("来週までに対応すると言われました。", MONDAY, None),  # history
    ("再来週までに削除してください。", MONDAY, None),  # not 来週
    ("今夜まで待ちましたが、お返事がありません。", MONDAY, None),  # history
    ("今週月曜日までに", WEDNESDAY, None),  # passed
    ("早急に削除してください。", MONDAY, None),
    ("至急ご対応ください。", MONDAY, None),
    ("3日以内に気づきました。", MONDAY, None),
    ("12月 1日まで掲載していました。", MONDAY, None),  # a month's day, not the 1st of next month
]


@pytest.mark.parametrize(("text", "received", "expected"), JAPANESE)
def test_a_japanese_day_without_its_month_or_by_its_weekday_is_read(
    text: str, received: datetime, expected: str | None
) -> None:
    assert _jst(demanded_deadline(text, received, JAPAN)) == expected


def test_the_earliest_day_asked_for_wins() -> None:
    text = "遅くとも来週月曜日までに、できれば明日午前中に削除してください。"
    assert _jst(demanded_deadline(text, MONDAY, JAPAN)) == "2026-12-08 12:00"


ENGLISH = [
    ("Please remove the image by end of week.", MONDAY, "2026-12-11 23:59"),
    ("Please remove the image by the end of this week.", MONDAY, "2026-12-11 23:59"),
    ("Please remove the image by the end of the week.", SATURDAY, "2026-12-13 23:59"),  # on a weekend: its Sunday
    ("Please remove the image by end of next week.", MONDAY, "2026-12-18 23:59"),
    ("Please remove the image by the 8th.", MONDAY, "2026-12-08 23:59"),
    ("Please remove the image by the 5th.", MONDAY, "2027-01-05 23:59"),
    ("Please remove the image by the 8th of next month.", MONDAY, "2027-01-08 23:59"),
    ("Please take it down by Monday next week.", MONDAY, "2026-12-14 23:59"),
    ("Please take it down by Monday next week.", WEDNESDAY, "2026-12-14 23:59"),
    ("Please take it down by next Monday.", MONDAY, "2026-12-14 23:59"),
    ("Please take it down by next Friday.", MONDAY, "2026-12-11 23:59"),  # the earlier reading
    ("Please take it down by next Friday at 5 PM.", MONDAY, "2026-12-11 17:00"),
    ("Please take it down by the 8th at 10:00.", MONDAY, "2026-12-08 10:00"),
    # asking for nothing, or not unambiguously
    ("Please remove the image by 12/8.", MONDAY, None),  # 8 December or 12 August
    ("I posted it on the 8th and will check next Monday.", MONDAY, None),
    ("Please remove it by the 8th of December.", MONDAY, "2026-12-08 23:59"),  # the date, read as before
    ("Please remove it by next week.", MONDAY, "2026-12-14 23:59"),  # its start: the earlier reading
    ("Please remove it by next week.", SATURDAY, "2026-12-14 23:59"),
    ("Please remove it by early next week.", WEDNESDAY, "2026-12-14 23:59"),
    ("Please take it down by next monty.", MONDAY, None),
    ("Please remove it by next week's end.", MONDAY, None),  # not its start
    ("Please remove it by next weekend.", MONDAY, None),
    ("I will be away by next week.", MONDAY, None),  # asking nothing
]


@pytest.mark.parametrize(("text", "received", "expected"), ENGLISH)
def test_an_english_end_of_week_day_of_month_or_next_weekday_is_read(
    text: str, received: datetime, expected: str | None
) -> None:
    assert _jst(asked_deadline(text, received, JAPAN)) == expected


HOSTILE = {
    "spaces": lambda: " " * 100_000 + "までに",
    "digits": lambda: "1" * 100_000 + "日までに",
    "days": lambda: "8日（" * 50_000,
    "weekdays": lambda: "来週の" * 50_000 + "月曜日までに",
    "mornings": lambda: "明日の午前" * 50_000,
    "ordinals": lambda: "remove by the 8th " * 50_000,
    "next": lambda: "remove by next " * 50_000 + "monday",
    "week": lambda: "remove by end of the " * 50_000 + "week",
    "english digits": lambda: "remove by the " + "1" * 100_000 + "th",
    "next weeks": lambda: "来週まで" * 50_000,
    "tonights": lambda: "今夜" * 50_000 + "中に",
}


@pytest.mark.parametrize("kind", HOSTILE)
def test_hostile_text_is_read_quickly(kind: str) -> None:
    text = HOSTILE[kind]()
    with deadline(5):  # each takes well under a second
        demanded_deadline(text, MONDAY, JAPAN)
        asked_deadline(text, MONDAY, JAPAN)


def test_tonight_asked_late_in_the_evening_is_still_a_deadline() -> None:
    """A mail sent at 22:30 asking 今夜中に is due at the end of that day: a deadline read at 21:00 would already have
    passed, and none would be shown at all."""
    late = datetime(2026, 12, 7, 22, 30, tzinfo=JAPAN)
    assert _jst(demanded_deadline("今夜中に削除してください。", late, JAPAN)) == "2026-12-07 23:59"
