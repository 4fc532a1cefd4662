"""A deadline a message asks for is counted on the sender's clock (`tracker.complaints.reading.deadline_words`):
明日の17時までに in a mail dated +0900 is 17:00 in Japan on the next Japanese day, whatever the owner's
time zone; without a known offset the owner's local time is used, as before. And the common phrasings
(明日（12月5日）の17時, ３日以内に, 今週中に, "by COB Friday", "by 5:00 PM PST on ...") are read."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from datetime import time as dtime
from email.message import EmailMessage
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.hangs import deadline

from tracker.complaints.intake import message_fields
from tracker.complaints.queue import due_soon
from tracker.complaints.reading.english_deadlines import asked_deadline
from tracker.complaints.reading.message_details import demanded_deadline
from tracker.complaints.reading.messages import message_from_text, read_message
from tracker.db.enums import ComplaintStatus

JST = timezone(timedelta(hours=9))


class _Due:
    """What `queue.due_soon` reads of a complaint."""

    def __init__(self, number: int, deadline: datetime) -> None:
        self.id, self.deadline_at, self.answered_at, self.status = number, deadline, None, ComplaintStatus.OPEN


SENT = datetime(2026, 12, 4, 8, 30, tzinfo=JST)  # Friday 4 December, 08:30 in Japan (Thursday 23:30 UTC)
OWNER_ZONES = {"tokyo": "JST-9", "utc": "UTC0", "los angeles": "PST8PDT,M3.2.0,M11.1.0"}
"""POSIX zone strings (no tz database needed), as `tokyo_time` sets Japan's."""


@pytest.fixture(params=sorted(OWNER_ZONES))
def owner_zone(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The owner's local time is Tokyo's, UTC or Los Angeles'."""
    monkeypatch.setenv("TZ", OWNER_ZONES[request.param])
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()


def _jst(found: datetime | None) -> str | None:
    assert found is None or found.tzinfo is not None
    return found.astimezone(JST).strftime("%Y-%m-%d %H:%M") if found else None


# ----------------------------------------------------------------------------- the sender's clock


@pytest.mark.parametrize(
    ("text", "sent", "expected"),
    [
        ("明日の17時までに削除してください。", SENT, "2026-12-05 17:00"),
        ("明日中に削除してください。", SENT.replace(hour=12, minute=0), "2026-12-05 23:59"),
        ("本日中にご返信ください。", SENT, "2026-12-04 23:59"),
        ("明日の１７時までにご対応ください。", SENT, "2026-12-05 17:00"),
        ("明日17:00までに", SENT, "2026-12-05 17:00"),
        ("明日の午後5時までに", SENT, "2026-12-05 17:00"),
        ("明日正午までに", SENT, "2026-12-05 12:00"),
        ("12月5日（土）17時までに", SENT, "2026-12-05 17:00"),
        ("本日9時までに", SENT.replace(hour=10), None),  # before it arrived
    ],
)
def test_a_japanese_day_is_the_senders_whatever_the_owners_zone(
    owner_zone: str, text: str, sent: datetime, expected: str | None
) -> None:
    assert _jst(demanded_deadline(text, sent.astimezone(UTC), JST)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Please remove it by close of business tomorrow.", "2026-12-05 17:00"),
        ("Please remove it by end of day tomorrow.", "2026-12-05 23:59"),
        ("Please remove it by COB Friday.", "2026-12-04 17:00"),  # sent on a Friday: that Friday
        ("Please remove it within 3 business days.", "2026-12-09 23:59"),  # Mon, Tue, Wed
        ("Please remove it within seven (7) days.", "2026-12-11 23:59"),
        ("Please remove it within 24 hours.", "2026-12-05 08:30"),
        ("Please remove it by Dec. 8, 2026.", "2026-12-08 23:59"),
        ("Please remove it no later than December 10, 2026.", "2026-12-10 23:59"),
        ("Please remove it by 17:00 on 6 December 2026.", "2026-12-06 17:00"),
        ("Please remove it by 5:00 PM PST on December 6, 2026.", "2026-12-07 10:00"),  # the zone it names
        ("Please remove it by December 6, 2026 at 5 PM EST.", "2026-12-07 07:00"),
        ("Please remove it by December 6, 2026 at 5 PM Eastern Time.", "2026-12-07 07:00"),  # written out
        ("Please remove it by 5:00 PM Pacific Standard Time on December 6, 2026.", "2026-12-07 10:00"),
        ("Please take it down by tomorrow 5pm Japan Standard Time.", "2026-12-05 17:00"),
        ("Please remove it by June 6, 2027 at 5 PM Central Time.", "2027-06-07 07:00"),  # daylight saving: -05:00
        ("Please remove it by noon tomorrow UTC.", "2026-12-04 21:00"),  # UTC's tomorrow: 4 December
        ("Please remove it by 5 PM +0900 today.", "2026-12-04 17:00"),
        ("Please remove it by the end of December 8.", "2026-12-08 23:59"),
        ("Please take it down by tomorrow, 5 PM.", "2026-12-05 17:00"),  # the hour after the day
        ("Please take it down by tomorrow 5pm JST.", "2026-12-05 17:00"),
        ("Please remove it by Friday, 11 December.", "2026-12-11 23:59"),  # a date after the weekday: still the date
        ("Please remove it by tomorrow, 12 December.", None),  # two days that disagree: none guessed
    ],
)
def test_an_english_day_is_the_senders_whatever_the_owners_zone(
    owner_zone: str, text: str, expected: str | None
) -> None:
    assert _jst(asked_deadline(text, SENT, JST)) == expected


@pytest.mark.usefixtures("utc_time")
def test_without_a_known_offset_the_owners_local_day_is_used() -> None:
    received = datetime(2026, 12, 4, 3, 0, tzinfo=UTC)  # 12:00 in Japan, 03:00 for a UTC owner
    assert demanded_deadline("明日中に削除してください。", received) == datetime(2026, 12, 5, 23, 59, 59, tzinfo=UTC)
    assert demanded_deadline("明日の17時までに", received, None) == datetime(2026, 12, 5, 17, 0, tzinfo=UTC)
    assert asked_deadline("Please remove it by COB tomorrow.", received) == datetime(2026, 12, 5, 17, 0, tzinfo=UTC)


# ----------------------------------------------------------------------------- phrasings


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("明日（12月5日）の17時までに削除してください。", "2026-12-05 17:00"),  # the date in brackets
        ("明日(12月5日)17時までに", "2026-12-05 17:00"),
        ("明日の夕方17時頃までに削除をお願いします。", "2026-12-05 17:00"),
        ("明日の夕方5時までに", "2026-12-05 17:00"),
        ("明日の夜9時ごろまでに", "2026-12-05 21:00"),
        ("明日の朝9時までに", "2026-12-05 09:00"),
        ("12月6日17時頃までに", "2026-12-06 17:00"),
        ("３日以内にご対応ください。", "2026-12-07 23:59"),  # received Friday: Mon 7th
        ("3営業日以内に削除してください。", "2026-12-09 23:59"),  # Mon, Tue, Wed
        ("1週間以内に削除をお願いいたします。", "2026-12-11 23:59"),
        ("48時間以内に削除してください。", "2026-12-06 08:30"),
        ("今週中に削除してください。", "2026-12-04 23:59"),  # Friday: this week's business days end today
        ("今週末までに削除してください。", "2026-12-06 23:59"),
        ("令和8年12月10日までに削除してください。", "2026-12-10 23:59"),  # the era year
        ("R8.12.10までに削除願います。", "2026-12-10 23:59"),
        ("Ｒ８／１２／１０まで", "2026-12-10 23:59"),  # full-width, as a form may send it
        ("2026.12.10までにご対応ください。", "2026-12-10 23:59"),
        ("12.10までに", None),  # a number, not a day
        ("至急削除してください。", None),
        ("今週まで待ちましたが、ご返信がありません。", None),  # up to now: history
        ("投稿から3日以内に気づきました。", None),  # no action asked: history
        ("400日以内に削除してください。", None),  # too far to be a deadline
    ],
)
def test_japanese_phrasings(owner_zone: str, text: str, expected: str | None) -> None:
    assert _jst(demanded_deadline(text, SENT, JST)) == expected


def test_this_week_asked_on_a_weekend_is_no_day() -> None:
    saturday = datetime(2026, 12, 5, 10, 0, tzinfo=JST)
    assert demanded_deadline("今週中に削除してください。", saturday, JST) is None
    monday = datetime(2026, 12, 7, 10, 0, tzinfo=JST)
    assert _jst(demanded_deadline("今週中に削除してください。", monday, JST)) == "2026-12-11 23:59"


@pytest.mark.parametrize(
    ("text", "sent", "expected"),
    [
        ("Please take it down by COB Friday.", datetime(2026, 12, 2, 9, 0, tzinfo=JST), "2026-12-04 17:00"),
        ("Please take it down by COB Friday.", datetime(2026, 12, 4, 18, 0, tzinfo=JST), None),  # past: no later one
        ("Please respond by end of day Monday.", SENT, "2026-12-07 23:59"),
        ("Please remove it by tomorrow.", SENT, "2026-12-05 23:59"),
        ("Please remove it by Friday at 3 pm.", SENT, "2026-12-04 15:00"),
        ("Please remove it by close of business on December 8, 2026.", SENT, "2026-12-08 17:00"),
        ("Please remove it by Friday, December 11th.", SENT, "2026-12-11 23:59"),  # the date, not this Friday
        ("Please remove it by 5 on December 6.", SENT, None),  # `5`: neither an hour nor `by December 6`
        ("I drew it by Friday.", SENT, None),  # no action asked
        ("Please remove it by midnight tomorrow.", SENT, None),  # which side of the day?
    ],
)
def test_english_phrasings(owner_zone: str, text: str, sent: datetime, expected: str | None) -> None:
    assert _jst(asked_deadline(text, sent, JST)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Please remove it by 2026年12月10日 23:59 日本時間.",
        "Please remove it by December 10, 23:59 日本時間.",
        "Please remove it by December 10, 23:59 JST (日本時間).",
        "Please remove it by December 10, 2026 at 23:59 (日本標準時).",
        "Please remove it by 23:59（日本時間） on December 10.",
        "Please remove it by 2026年12月10日(木) 23:59 日本標準時.",
        "Please remove it by December 10 at 11:59 PM (Japan time).",
    ],
)
def test_an_english_deadline_naming_japans_clock_in_japanese_is_read_on_it(owner_zone: str, text: str) -> None:
    """An English mail from New York asking for 23:59 日本時間 means 23:59 in Japan, not 23:59 in New York (14 hours
    later): the day and hour are read, and the zone named wins over the mail's own."""
    sent = datetime(2026, 12, 7, 9, 0, tzinfo=timezone(timedelta(hours=-5)))
    assert _jst(asked_deadline(text, sent, sent.tzinfo)) == "2026-12-10 23:59"


def test_a_pasted_english_message_asking_for_japans_clock_is_logged_on_it(tracker: Tracker, tmp_path: Path) -> None:
    path = tmp_path / "jst.txt"
    path.write_text(
        "Date: Mon, 07 Dec 2026 09:00:00 -0500\n\nYour post copies my illustration.\n"
        "Please remove it by 2026年12月10日 23:59 日本時間.\n",
        encoding="utf-8",
    )
    tracker("complaint", "add", "--from", path, "--name", "Jane Doe")
    assert tracker.json("complaint", "show", "1")["deadline_at"] == "2026-12-10T14:59:00+00:00"


EST = timezone(timedelta(hours=-5))
SENT_EST = datetime(2026, 11, 30, 10, 0, tzinfo=EST)  # Monday 30 November, 10:00 in New York (15:00 UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Please remove the image today.", "2026-11-30 23:59"),
        ("I expect it removed today.", "2026-11-30 23:59"),
        ("Please take the picture down today.", "2026-11-30 23:59"),
        ("Remove it by the end of today.", "2026-11-30 23:59"),
        ("Please remove it by tonight.", "2026-11-30 23:59"),
        ("Please remove it by end of day.", "2026-11-30 23:59"),
        ("Please remove it by EOD.", "2026-11-30 23:59"),
        ("By end of business day, please delete it.", "2026-11-30 23:59"),
        ("Please remove it by close of business today.", "2026-11-30 17:00"),  # close of business: 17:00
        ("Please remove it by COB.", "2026-11-30 17:00"),
        ("Please remove it by end of day tomorrow.", "2026-12-01 23:59"),  # a day named: that day
        ("Please remove it by EOD Friday.", "2026-12-04 23:59"),
        ("Please remove it by end of business day on Dec 4.", "2026-12-04 23:59"),
        ("Please remove it by close of business day on December 6.", "2026-12-06 17:00"),
        ("I noticed your post today; please remove it within 5 days.", "2026-12-05 23:59"),  # today tells when
        ("I am writing today to ask you to remove it within 48 hours.", "2026-12-02 10:00"),
    ],
)
def test_an_english_today_is_the_end_of_the_senders_day(owner_zone: str, text: str, expected: str) -> None:
    found = asked_deadline(text, SENT_EST, EST)
    assert (found.astimezone(EST).strftime("%Y-%m-%d %H:%M") if found else None) == expected


@pytest.mark.parametrize("text", ["本日中に削除してください。", "今日中に削除してください。"])
def test_a_japanese_today_is_the_end_of_the_senders_day(owner_zone: str, text: str) -> None:
    assert _jst(demanded_deadline(text, SENT, JST)) == "2026-12-04 23:59"


def test_an_english_today_is_the_deadline_logged_not_the_usual_days(tracker: Tracker, tmp_path: Path) -> None:
    path = tmp_path / "today.txt"
    path.write_text("Date: Mon, 30 Nov 2026 10:00:00 -0500\n\nYour post copies my work. Please remove it today.\n")
    shown = tracker("complaint", "add", "--from", path, "--name", "Jane Doe").stdout
    assert "(as it asks)" in shown, "the day it asks for, not the usual two weeks"
    assert tracker.json("complaint", "show", "1")["deadline_at"] == "2026-12-01T04:59:59+00:00"


HOSTILE = {
    "evening": lambda: "明日の夕方" * 100_000,
    "business days": lambda: "3営業日以内に" * 100_000,
    "bracketed dates": lambda: "明日(12月5日)" * 60_000,
    "digits": lambda: "1" * 1_000_000 + "日以内にください",
    "close of business": lambda: "by close of business " * 200_000,
    "hour and zone": lambda: "please remove it by 5:00 pm pst on " * 100_000,
    "date at": lambda: "remove by december 6, 2026 at " * 100_000,
    "weekdays": lambda: "remove by friday " * 300_000,
    "today": lambda: "please remove it, " * 200_000 + "today",
    "end of day": lambda: "by end of business " * 200_000,
}


@pytest.mark.parametrize("kind", HOSTILE)
def test_hostile_text_is_read_quickly(kind: str) -> None:
    text = HOSTILE[kind]()
    with deadline(5):  # each takes well under a second
        demanded_deadline(text, SENT, JST)
        asked_deadline(text, SENT, JST)


# ----------------------------------------------------------------------------- the message's offset


def _mail(date: str, body: str) -> bytes:
    message = EmailMessage()
    message["From"] = "佐藤美咲 <misaki@example.jp>"
    message["To"] = "moth@example.com"
    message["Subject"] = "著作権侵害のご連絡"
    message["Date"] = date
    message["Message-ID"] = "<zone-1@example.jp>"
    message.set_content(body, charset="utf-8")
    return message.as_bytes()


BODY = "イラストレーターの佐藤美咲と申します。\n私の作品の無断転載を、明日の17時までに削除してください。\n"


@pytest.mark.parametrize(
    ("date", "offset"),
    [
        ("Fri, 04 Dec 2026 08:30:00 +0900", timedelta(hours=9)),
        ("Thu, 03 Dec 2026 15:30:00 -0800", timedelta(hours=-8)),
        ("Thu, 03 Dec 2026 23:30:00 +0000", timedelta(0)),
        ("Thu, 03 Dec 2026 23:30:00 -0000", None),  # UTC, the sender's offset unknown
    ],
)
def test_the_dates_offset_is_kept_and_received_at_stays_utc(tmp_path: Path, date: str, offset: timedelta) -> None:
    path = tmp_path / "c.eml"
    path.write_bytes(_mail(date, BODY))
    message = read_message(path)
    assert message.received_at == datetime(2026, 12, 3, 23, 30, tzinfo=UTC) and message.received_at.tzinfo is UTC
    assert (message.sent_zone.utcoffset(None) if message.sent_zone else None) == offset


def test_a_pasted_messages_date_line_gives_its_offset_or_none() -> None:
    zoned = message_from_text("日時: 2026/12/04 08:30 +09:00\n明日の17時までに削除してください。")
    assert zoned.sent_zone is not None and zoned.sent_zone.utcoffset(None) == timedelta(hours=9)
    assert message_from_text("日時: 2026/12/04 08:30\n明日の17時までに").sent_zone is None
    assert message_from_text("明日の17時までに削除してください。").sent_zone is None


def test_the_intake_reads_the_deadline_on_the_senders_clock(owner_zone: str, tmp_path: Path) -> None:
    path = tmp_path / "c.eml"
    path.write_bytes(_mail("Fri, 04 Dec 2026 08:30:00 +0900", BODY))
    fields = message_fields(read_message(path), lambda url: False)
    assert fields["deadline_at"] == datetime(2026, 12, 5, 8, 0, tzinfo=UTC)  # 17:00 on 5 December in Japan
    english = message_from_text("Date: 2026-12-04 08:30 +09:00\nPlease remove my artwork by COB tomorrow.")
    assert message_fields(english, lambda url: False)["deadline_at"] == datetime(2026, 12, 5, 8, 0, tzinfo=UTC)


def test_a_pasted_japanese_message_without_a_zone_is_read_on_japans_clock(owner_zone: str) -> None:
    """A pixiv message or X DM pasted as text names no zone: 17時 in Japanese is 17:00 in Japan, on any server."""
    received = datetime(2026, 12, 3, 22, 0, tzinfo=UTC)  # 07:00 on 4 December in Japan
    pasted = message_from_text("はじめまして。12月5日17時までに削除をお願いします。")
    fields = message_fields(pasted, lambda url: False, received)
    assert fields["deadline_at"] == datetime(2026, 12, 5, 8, 0, tzinfo=UTC)
    assert fields["zone_assumed"] and fields["sent_utc_offset"] == 9 * 60
    tomorrow = message_fields(message_from_text("明日中に削除してください。"), lambda url: False, received)
    assert _jst(tomorrow["deadline_at"]) == "2026-12-05 23:59", "Japan's tomorrow, not the server's"


@pytest.mark.parametrize(
    ("date", "deadline"),
    [
        ("Thu, 03 Dec 2026 23:30:00 +0000", datetime(2026, 12, 5, 8, 0, tzinfo=UTC)),  # a server's clock: Japan's
        ("Thu, 03 Dec 2026 23:30:00 -0000", datetime(2026, 12, 5, 8, 0, tzinfo=UTC)),  # no zone at all: Japan's
        ("Thu, 03 Dec 2026 15:30:00 -0800", datetime(2026, 12, 5, 1, 0, tzinfo=UTC)),  # the writer's own clock
    ],
)
def test_a_japanese_mail_dated_in_utc_is_read_on_japans_clock(
    owner_zone: str, tmp_path: Path, date: str, deadline: datetime
) -> None:
    """A mail in Japanese whose Date is +0000 was stamped by a server: 明日の17時 is 17:00 in Japan, and the letter
    dates their message on Japan's day (4 December, not 3 December). A real offset (-0800) is still the writer's."""
    path = tmp_path / "c.eml"
    path.write_bytes(_mail(date, BODY))
    fields = message_fields(read_message(path), lambda url: False)
    assert fields["deadline_at"] == deadline
    japan = deadline.hour == 8
    assert bool(fields["zone_assumed"]) == japan
    assert fields["sent_utc_offset"] == (9 * 60 if japan else -8 * 60)


@pytest.mark.usefixtures("utc_time")
def test_a_pasted_english_message_without_a_zone_keeps_the_owners_clock() -> None:
    received = datetime(2026, 12, 4, 3, 0, tzinfo=UTC)
    fields = message_fields(message_from_text("Please remove it by COB tomorrow."), lambda url: False, received)
    assert fields["deadline_at"] == datetime(2026, 12, 5, 17, 0, tzinfo=UTC) and not fields["zone_assumed"]


@pytest.mark.db
@pytest.mark.usefixtures("utc_time")
def test_complaint_add_of_a_pasted_japanese_message_says_whose_clock_it_read(tracker: Tracker) -> None:
    added = tracker(
        "complaint", "add", "--message", "12月5日17時までに削除をお願いします。", "--received", "2026-12-03T22:00Z"
    )
    assert "2026-12-05 08:00 UTC" in added.stdout and "Japan time (JST)" in added.stdout
    assert tracker.json("complaint", "show", "1")["deadline_at"] == "2026-12-05T08:00:00+00:00"


@pytest.mark.db
@pytest.mark.usefixtures("utc_time")
def test_complaint_add_from_a_mail_sent_in_japan_by_an_owner_on_utc(tracker: Tracker, tmp_path: Path) -> None:
    path = tmp_path / "c.eml"
    path.write_bytes(_mail("Fri, 04 Dec 2026 08:30:00 +0900", BODY))
    added = tracker.json("complaint", "add", "--from", path)
    assert added["received_at"] == "2026-12-03T23:30:00+00:00"
    assert added["deadline_at"] == "2026-12-05T08:00:00+00:00", "17:00 on 5 December in Japan, not 4 December UTC"
    listed = tracker("complaint", "list").stdout.splitlines()
    assert "ANSWER BY (UTC)" in listed[0], "a time on a server's clock says whose clock it is"
    assert "2026-12-05 08:00" in listed[1]


@pytest.mark.parametrize(
    ("zone", "shown"),
    [
        ("JST-9", "2026-12-05 17:00 JST"),
        ("UTC0", "2026-12-05 08:00 UTC"),
        ("PST8PDT,M3.2.0,M11.1.0", "2026-12-05 00:00 PST"),
        ("<+0530>-5:30", "2026-12-05 13:30 UTC+05:30"),  # a zone without a name: its offset
    ],
)
def test_a_deadline_at_a_time_of_day_names_the_zone_it_is_shown_in(
    zone: str, shown: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tracker.complaints.deadlines import shown as deadline_shown

    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        assert deadline_shown(datetime(2026, 12, 5, 8, 0, tzinfo=UTC)) == shown
        assert deadline_shown(datetime(2026, 12, 5, 8, 0, tzinfo=UTC), zone=False) == shown.rsplit(" ", 1)[0]
        soon = due_soon([_Due(5, datetime(2026, 12, 5, 8, 0, tzinfo=UTC))], datetime(2026, 12, 5, 1, 0, tzinfo=UTC))
        assert soon.line() is not None and f"(#5 at {shown.split(' ', 1)[1]})" in soon.line(), soon.line()
    finally:
        monkeypatch.undo()
        time.tzset()


@pytest.mark.db
def test_the_reply_dates_the_message_as_its_sender_did(tracker: Tracker, tmp_path: Path, owner_zone: str) -> None:
    """A notice sent at 22:05 on 3 December in California is "your message of 3 December", for an owner in
    Tokyo (where it was already the 4th) as for one in Los Angeles."""
    message = EmailMessage()
    message["From"] = "Jennifer Walsh <jwalsh@brightline.example>"
    message["To"] = "moth@example.com"
    message["Subject"] = "Copyright notice"
    message["Date"] = "Thu, 03 Dec 2026 22:05:00 -0800"
    message.set_content('I own the copyright in my illustration "Harbor Lights". Please remove your copy.\n')
    path = tmp_path / "notice.eml"
    path.write_bytes(message.as_bytes())
    tracker("complaint", "add", "--from", path, "--persona", "moth", "--new-persona", "--lang", "en")
    tracker("complaint", "decide", "1", "--action", "ask_info", "--notes", "need the post")
    letter = tracker("complaint", "reply", "1").stdout
    assert "your message of 3 December 2026" in letter, letter


# ----------------------------------------------------------------------------- a zone typed with --received

TODAY_JA = "はじめまして。私のイラストを無断で使用されています。\n本日中に削除してください。\n"


def _letter(tracker: Tracker, number: str) -> tuple[str, str]:
    """(the reply's text, its subject line) for a complaint answered with a request for details."""
    tracker("complaint", "decide", number, "--action", "ask_info")
    draft = tracker.json("complaint", "reply", number)
    return str(draft["text"]), str(draft["subject"])


@pytest.mark.db
@pytest.mark.usefixtures("utc_time")
@pytest.mark.parametrize("typed", ["2026-12-04T16:00:00+00:00", "2026-12-04T16:00Z"])
def test_a_time_typed_in_utc_dates_the_letter_on_the_senders_day(tracker: Tracker, typed: str) -> None:
    """16:00 UTC is 01:00 on 5 December in Japan: 本日中に ends with 5 December there, and the letter thanks
    them for their message of 5 December, the day they sent it; UTC fixes the moment, not the sender's clock."""
    number = str(tracker.json("complaint", "add", "--message", TODAY_JA, "--received", typed, "--lang", "ja")["id"])
    assert tracker.json("complaint", "show", number)["deadline_at"] == "2026-12-05T14:59:59+00:00"
    text, subject = _letter(tracker, number)
    assert "2026年12月5日にご作品に関するご連絡をいただき" in text and "12月4日" not in text
    assert subject.startswith("2026年12月5日にいただいたご連絡について")


@pytest.mark.db
@pytest.mark.usefixtures("utc_time")
def test_a_zone_other_than_utc_typed_is_the_senders_clock_for_the_deadline_and_the_letter(tracker: Tracker) -> None:
    """Typed at 11:00 in New York (-05:00): 本日中に is the end of 4 December there, the day the letter names."""
    typed = "2026-12-04T11:00:00-05:00"
    number = str(tracker.json("complaint", "add", "--message", TODAY_JA, "--received", typed, "--lang", "ja")["id"])
    assert tracker.json("complaint", "show", number)["deadline_at"] == "2026-12-05T04:59:59+00:00"
    text, _ = _letter(tracker, number)
    assert "2026年12月4日にご作品に関するご連絡をいただき" in text


@pytest.mark.db
@pytest.mark.usefixtures("utc_time")
def test_a_time_typed_in_utc_keeps_the_offset_of_the_mails_date(tracker: Tracker, tmp_path: Path) -> None:
    """A mail written at 18:00 on 3 December in California, its arrival typed in UTC: still their 3 December."""
    path = tmp_path / "c.eml"
    path.write_bytes(_mail("Thu, 03 Dec 2026 18:00:00 -0800", "Please remove my artwork by end of day tomorrow.\n"))
    added = tracker.json("complaint", "add", "--from", path, "--received", "2026-12-04T02:00Z", "--lang", "en")
    assert added["deadline_at"] == "2026-12-05T07:59:59+00:00", "the end of 4 December in California"
    text, _ = _letter(tracker, str(added["id"]))
    assert "message of 3 December 2026" in text and "4 December" not in text


# ----------------------------------------------------------------------------- a deadline the owner types

ASKS_JA = "はじめまして。私のイラストを無断で使用されています。削除してください。"
"""A message in Japanese that asks for no day: the deadline is the one the owner types."""


def _typed_deadline(tracker: Tracker, *options: str | Path) -> tuple[str, str]:
    """(what `complaint add` says, the deadline stored) for a complaint logged with `options`."""
    added = tracker("complaint", "add", *options)
    return added.stdout, str(tracker.json("complaint", "show", "1")["deadline_at"])


@pytest.mark.db
@pytest.mark.usefixtures("utc_time")
@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--message", ASKS_JA, "--received", "2026-12-05T10:00:00+09:00"], "2026-12-06T14:59:59+00:00"),
        (["--message", ASKS_JA, "--received", "2026-12-05T01:00:00Z"], "2026-12-06T14:59:59+00:00"),  # Japan's
        (["--received", "2026-12-05T10:00:00-05:00", "--name", "J. Walsh"], "2026-12-07T04:59:59+00:00"),
    ],
)
def test_a_day_typed_as_the_deadline_ends_on_the_senders_clock(
    tracker: Tracker, options: list[str], expected: str
) -> None:
    """2026-12-06 typed for a sender in Japan is the end of 6 December in Japan, as 12月6日までに in their
    message is, not 9 hours later at the end of the server's day; for one in New York, the end of it there."""
    said, stored = _typed_deadline(tracker, *options, "--deadline", "2026-12-06")
    assert stored == expected
    assert f"answer by {expected[:10]} {expected[11:16]} UTC" in said, said


@pytest.mark.db
@pytest.mark.usefixtures("utc_time")
def test_a_day_typed_for_a_mail_dated_in_california_ends_there(tracker: Tracker, tmp_path: Path) -> None:
    path = tmp_path / "c.eml"
    path.write_bytes(_mail("Thu, 03 Dec 2026 18:00:00 -0800", "Please remove my artwork.\n"))
    said, stored = _typed_deadline(tracker, "--from", path, "--deadline", "2026-12-06", "--lang", "en")
    assert stored == "2026-12-07T07:59:59+00:00", "the end of 6 December in California"
    assert "answer by 2026-12-07 07:59 UTC" in said, said


@pytest.mark.db
@pytest.mark.usefixtures("utc_time")
def test_a_relative_day_typed_counts_from_the_senders_today(tracker: Tracker) -> None:
    """明日 typed for a sender in Japan is the day after their today, ending at midnight in Japan (from 15:00 UTC
    on, two days after the server's today; before it, still 9 hours before the end of the server's tomorrow)."""
    received = (datetime.now(JST) - timedelta(hours=1)).isoformat(timespec="seconds")
    tomorrow = [datetime.now(JST).date() + timedelta(days=1)]
    _, stored = _typed_deadline(tracker, "--message", ASKS_JA, "--received", received, "--deadline", "明日")
    tomorrow.append(datetime.now(JST).date() + timedelta(days=1))  # the day may turn while it runs
    ends = {datetime.combine(day, dtime(23, 59, 59), JST).astimezone(UTC).isoformat() for day in tomorrow}
    assert stored in ends, stored


@pytest.mark.db
@pytest.mark.usefixtures("utc_time")
def test_complaint_set_reads_a_typed_day_on_the_senders_clock(tracker: Tracker) -> None:
    """`complaint set N --deadline` reads a day on the clock the complaint records, as `complaint add` does; a
    date-time typed with its zone is that moment. A message in English answered in Japanese (--lang ja) says
    nothing of where its sender is: the owner's day, as for a deadline it asks for."""
    tracker("complaint", "add", "--message", ASKS_JA, "--received", "2026-12-05T01:00:00Z")
    changed = tracker("complaint", "set", "1", "--deadline", "2026-12-08").stdout
    assert "-> 2026-12-08 14:59 UTC" in changed, changed
    assert tracker.json("complaint", "show", "1")["deadline_at"] == "2026-12-08T14:59:59+00:00"
    tracker("complaint", "set", "1", "--deadline", "2026-12-09T12:00+09:00")
    assert tracker.json("complaint", "show", "1")["deadline_at"] == "2026-12-09T03:00:00+00:00"
    english = ["--message", "Please remove it.", "--received", "2026-12-05T01:00:00Z", "--lang", "ja"]
    tracker("complaint", "add", *english, "--deadline", "2026-12-06")
    tracker("complaint", "set", "2", "--deadline", "2026-12-08")
    assert tracker.json("complaint", "show", "2")["deadline_at"] == "2026-12-08T23:59:59+00:00"
