"""The date a pasted Japanese message shows without a zone is on Japan's clock, on a server that keeps UTC.

A mail program shows `日時: 2026年11月5日 23:40`: 23:40 where the sender is, in Japan. Read as the owner's
local time (UTC here), it arrived nine hours late: 明日中に counted from the wrong day, and the letter thanking
her for her message of the 6th. The same mail read as an .eml (Date header +0900) is the yardstick.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from fixtures.common import Tracker

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("utc_time")]  # the server's local time is UTC

JST = timezone(timedelta(hours=9))
POST = "https://www.pixiv.net/artworks/120000003"
BODY = f"はじめまして、鈴木花子と申します。\n{POST} は私の作品の無断転載です。明日中に削除をお願いいたします。\n"
AS_SHOWN = f"差出人: 鈴木花子 <hanako@example.jp>\n日時: 2026年11月5日 23:40\n件名: 無断転載について\n\n{BODY}"
"""The mail as a mail program shows it, pasted."""


def _pasted(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "p.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_pasted_japanese_date_without_a_zone_is_japans_time(tracker: Tracker, tmp_path: Path) -> None:
    said = tracker("complaint", "add", "--from", _pasted(tmp_path, f"2026/11/05 23:40\n{BODY}")).stdout
    assert "received   2026-11-05 23:40 UTC+09:00 (2026-11-05 14:40 UTC)" in said, "the hour it shows, and whose clock"
    added = tracker.json("complaint", "show", "1")
    assert added["received_at"] == "2026-11-05T14:40:00+00:00", "23:40 in Japan"
    assert added["deadline_at"] == "2026-11-06T14:59:59+00:00", "明日中: the end of 6 November in Japan"


def test_a_message_pasted_as_a_mail_program_shows_it_is_dated_as_the_mail_is(tracker: Tracker) -> None:
    added = tracker.json("complaint", "add", "--message", AS_SHOWN)
    assert (added["received_at"], added["deadline_at"]) == ("2026-11-05T14:40:00+00:00", "2026-11-06T14:59:59+00:00")
    tracker("complaint", "decide", "1", "--action", "ask_info")
    letter = tracker.json("complaint", "reply", "1")["text"]
    assert "2026年11月5日にご作品に関するご連絡をいただき" in letter, "the day she wrote, not the 6th"
    zoned = tracker.json("complaint", "add", "--message", AS_SHOWN.replace("23:40", "23:40 UTC"), "--duplicate")
    assert zoned["received_at"] == "2026-11-05T23:40:00+00:00", "a zone written is kept"
    english = tracker.json("complaint", "add", "--message", "Date: 2026-11-05 23:40\nPlease remove my artwork.")
    assert english["received_at"] == "2026-11-05T23:40:00+00:00", "an English message keeps the owner's clock"


def test_a_message_dated_later_than_now_is_logged_with_a_warning(tracker: Tracker) -> None:
    """Two hours from now in Japan, read on Japan's clock, is in the future: a wrong date, said, and kept."""
    later = datetime.now(JST) + timedelta(hours=2)
    result = tracker("complaint", "add", "--message", f"日時: {later:%Y/%m/%d %H:%M}\n{BODY}")
    assert f"the message's date, {later:%Y-%m-%d %H:%M} UTC+09:00" in result.stderr
    assert "is later than now: logged as read; check when it arrived" in result.stderr
    stored = datetime.fromisoformat(tracker.json("complaint", "show", "1")["received_at"])
    assert stored == later.replace(second=0, microsecond=0).astimezone(UTC)
    earlier = tracker("complaint", "add", "--message", AS_SHOWN, "--duplicate")
    assert "later than now" not in earlier.stderr


ENGLISH_MAIL = """From: Jane Doe <jane@example.com>
Subject: Copyright infringement
Date: Fri, 4 Dec 2026 20:00:00 -0800
Content-Type: text/plain; charset=utf-8

Hello, your post https://www.pixiv.net/artworks/120000003 copies my artwork. Please remove it.
"""


def test_an_english_mails_summary_gives_the_senders_day_then_this_machines(tracker: Tracker, tmp_path: Path) -> None:
    """20:00 on 4 December in California is 04:00 on the 5th here: the summary of what was read says her day first,
    to be checked against her mail; `complaint show` says this machine's first, as every other time in the record,
    then hers."""
    path = tmp_path / "en.eml"
    path.write_text(ENGLISH_MAIL, encoding="utf-8")
    said = tracker("complaint", "add", "--from", path).stdout
    assert "received   2026-12-04 20:00 UTC-08:00 (2026-12-05 04:00 UTC)" in said, said
    shown = tracker("complaint", "show", "1").stdout
    assert "received   2026-12-05 04:00 UTC (sender: 2026-12-04 20:00 UTC-08:00) via email" in shown, shown


def test_a_received_date_typed_later_than_now_is_logged_with_a_warning(tracker: Tracker) -> None:
    """`--received 2099-01-01` is a typo: logged as given (the owner may mean it), and said, as `complaint message`
    says it; a date typed in the past says nothing."""
    typed = tracker("complaint", "add", "--name", "K", "--message", BODY, "--received", "2099-01-01")
    assert "--received 2099-01-01 is later than now: logged as given; check when it arrived" in typed.stderr
    assert tracker.json("complaint", "show", "1")["received_at"].startswith("2099-01-01")
    past = tracker("complaint", "add", "--name", "L", "--message", BODY + " 2", "--received", "2026-11-01")
    assert "later than now" not in past.stderr


@pytest.mark.parametrize(
    "date",
    [
        "2026年11月5日 23:40 日本時間",
        "2026年11月5日 23:40（日本時間）",
        "2026/11/05 23:40 (JST)",
        "2026年11月5日 23:40 日本標準時",
        "2026年11月5日（木）日本時間23:40",
        "2026-11-05 23:40 (GMT+09:00)",
        "2026-11-05 23:40 GMT+9",
    ],
)
def test_a_date_naming_japans_clock_is_read_on_it_in_an_english_message(tracker: Tracker, date: str) -> None:
    """A platform's notice in English dated the Japanese way: the zone its date names is Japan's, whatever the
    message's language (an English one's plain date stays on the owner's clock: see above)."""
    added = tracker.json("complaint", "add", "--message", f"Date: {date}\nPlease remove {POST}, it copies my art.")
    assert added["received_at"] == "2026-11-05T14:40:00+00:00", "23:40 in Japan, not 23:40 here nor 00:00"
    said = tracker("complaint", "show", "1").stdout
    assert "sender: 2026-11-05 23:40 UTC+09:00" in said, said
