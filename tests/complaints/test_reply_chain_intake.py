"""A complainant's reply quoting their own earlier complaint under Gmail's Japanese header
(`2026年12月6日(日) 23:40 山田花子 <hanako@example.jp>:`): the quoted complaint is read as theirs (its work's title),
a day it asks for relative to its own date (`明日中に`) is counted from that date, never from the reply's, the new
words' deadline wins, and the profile link in the quoted signature is who they are, not their work."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tracker.complaints.intake import message_fields
from tracker.complaints.reading.messages import message_from_text
from tracker.complaints.reading.quoting import own_words
from tracker.platforms.urls import load_platforms, shipped_platforms_path

PLATFORMS = load_platforms(shipped_platforms_path())
POST = "https://www.pixiv.net/artworks/123456789"
WORK = "https://www.pixiv.net/artworks/98765432"
PROFILE = "https://x.com/hanako_draws"

EARLIER = f"""moth様

突然のご連絡失礼いたします。イラストを描いております山田花子と申します。

貴殿がpixivに投稿された下記の作品が、私の作品「春の庭」を元にしたものではないかと思いご連絡しました。

貴殿の投稿: {POST}
私の作品: {WORK}

著作権の侵害にあたると考えますので、明日中に削除をお願いいたします。

山田花子
X: {PROFILE}
"""


def _reply(new_words: str, header: str = "2026年12月6日(日) 23:40 山田花子 <hanako@example.jp>:") -> str:
    quoted = "\n".join(f"> {line}" if line else ">" for line in EARLIER.splitlines())
    return (
        "From: 山田 花子 <hanako@example.jp>\nSubject: Re: 無断転載について\nDate: 2026年12月7日(月) 09:02\n\n"
        f"moth様\n\n{new_words}\n\n山田花子\n\n{header}\n{quoted}\n"
    )


def _read(text: str) -> dict[str, object]:
    return message_fields(message_from_text(text), lambda url: url == POST, None, PLATFORMS)


def test_the_quoted_complaint_is_read_as_theirs_without_their_profile_as_work() -> None:
    """明後日 in a reply of 7 December (Japan) is the end of the 9th there: the new words' deadline wins over the
    quoted 明日中に."""
    found = _read(_reply("まだ削除されていないようです。明後日までにご対応ください。"))
    assert found["posts"] == [POST]
    assert found["claimed_title"] == "春の庭"
    assert found["claimed_urls"] == [WORK]  # not their X profile, signed under the quoted complaint
    assert found["deadline_at"] == datetime(2026, 12, 9, 14, 59, 59, tzinfo=UTC)


def test_a_profile_in_a_quoted_signature_under_no_header_is_not_their_work() -> None:
    found = _read(_reply("まだ削除されていないようです。", header=""))
    assert PROFILE not in found["claimed_urls"]  # type: ignore[operator]


@pytest.mark.parametrize(
    "header",
    [
        "2026年12月6日(日) 23:40 山田花子 <hanako@example.jp>:",  # Gmail
        "2026/12/06 23:40、山田花子 <hanako@example.jp>のメール:",  # Apple Mail
        "On Sun, Dec 6, 2026 at 11:40 PM 山田花子 <hanako@example.jp> wrote:",  # Gmail in English, on Japan's clock
    ],
)
def test_a_quoted_relative_deadline_is_counted_from_the_quoted_mails_date(header: str) -> None:
    """明日中に in the mail of 6 December 23:40 (Japan) is the end of the 7th there, not of the 8th (the day after
    the reply)."""
    found = _read(_reply("まだ削除されていないようです。ご対応をお願いします。", header))
    assert found["claimed_title"] == "春の庭"
    assert found["deadline_at"] == datetime(2026, 12, 7, 14, 59, 59, tzinfo=UTC)


@pytest.mark.parametrize(
    "header", ["hanako@example.jp さんは書きました：", "On Monday, Hanako Yamada <hanako@example.jp> wrote:"]
)
def test_a_quoted_deadline_under_a_header_with_no_date_is_counted_from_the_reply(header: str) -> None:
    """The quoted mail came before the reply (7 December 09:02 in Japan): its 明日中に meant the 8th at the latest,
    so that is the deadline (never the owner's default target, a week or more later); a day it names (12月8日まで)
    is that day."""
    found = _read(_reply("まだ削除されていないようです。ご対応をお願いします。", header))
    assert found["deadline_at"] == datetime(2026, 12, 8, 14, 59, 59, tzinfo=UTC)
    assert found["claimed_title"] == "春の庭" and found["claimed_urls"] == [WORK]
    named_day = _read(_reply("ご対応をお願いします。", header).replace("明日中に", "12月8日17時までに"))
    assert named_day["deadline_at"] == datetime(2026, 12, 8, 8, 0, tzinfo=UTC)


def test_a_quoted_deadline_that_passed_before_the_reply_makes_it_due_at_once() -> None:
    """明日中に in a mail of 1 December meant the 2nd; they wrote again on the 7th because it passed: the answer is
    due when the reply came, not at the owner's default target."""
    found = _read(_reply("まだですか。", header="2026年12月1日(火) 10:00 山田花子 <hanako@example.jp>:"))
    assert found["deadline_at"] == datetime(2026, 12, 7, 0, 2, tzinfo=UTC)


def test_the_japanese_gmail_header_ends_the_writers_own_words() -> None:
    text = "ご確認ください。\n\n2026年12月6日(日) 23:40 moth <moth@example.com>:\n> 12月10日までに回答いたします。\n"
    assert own_words(text).strip() == "ご確認ください。"
