"""A reply quoting a message under Outlook's header block (`From:` / `Sent:` / `To:` / `Subject:`, with or without a
rule of underscores above it, in English or Japanese: `差出人:` / `送信日時:` / `宛先:` / `件名:`) or under
Thunderbird's Japanese header (`2026/12/07 10:00、Kenta Mori さんが書きました:`) quotes it as the formats already known
do: the owner's own letter quoted below a complainant's reply is not their words (its `12月20日までに回答いたします`
is the owner's promise, no deadline they ask for), and a complaint of theirs quoted under a header naming them is
read as theirs, its relative deadline counted from the day it was sent."""

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

OWNERS_LETTER = "森様\n\nご連絡ありがとうございます。12月20日までに確認のうえご回答いたします。\n\nmoth\n"
OWNERS_HEADERS = {
    "outlook": "From: moth <moth@example.com>\nSent: Monday, December 7, 2026 10:00 AM\nTo: Kenta Mori "
    "<k@example.jp>\nSubject: RE: 画像について\n",
    "outlook-rule": "________________________________\nFrom: moth <moth@example.com>\n"
    "Sent: Monday, December 7, 2026 10:00 AM\nTo: Kenta Mori <k@example.jp>\nSubject: RE: 画像について\n",
    "outlook-bold": "*From:* moth <moth@example.com>\n*Sent:* Monday, December 7, 2026 10:00 AM\n"
    "*To:* Kenta Mori <k@example.jp>\n*Subject:* RE: 画像について\n",
    "outlook-ja": "差出人: moth <moth@example.com>\n送信日時: 2026年12月7日 10:00\n宛先: 森 健太 <k@example.jp>\n"
    "件名: RE: 画像について\n",
}


def _read(text: str) -> dict[str, object]:
    return message_fields(message_from_text(text), lambda url: url == POST, None, PLATFORMS)


def _reply_to_the_owner(header: str) -> str:
    return (
        "From: 森 健太 <k@example.jp>\nSubject: RE: 画像について\nDate: Mon, 7 Dec 2026 19:00:00 +0900\n\n"
        f"moth様\n\nまだ {POST} が掲載されています。削除をお願いいたします。\n\n森 健太\n\n{header}\n{OWNERS_LETTER}"
    )


@pytest.mark.parametrize("header", OWNERS_HEADERS.values(), ids=OWNERS_HEADERS)
def test_the_owners_letter_quoted_under_outlooks_block_is_not_the_complainants(header: str) -> None:
    text = _reply_to_the_owner(header)
    assert "ご回答いたします" not in own_words(text)
    found = _read(text)
    assert found["deadline_at"] is None, "the owner's own promise, not a day the complainant asks for"
    assert found["complainant_name"] == "森 健太" and found["posts"] == [POST]


def test_a_pasted_messages_own_header_block_is_read_and_a_forward_stays_read() -> None:
    """The block at the top of a pasted message is its own header, not a quote; and the block a forward's mark opens
    is the forwarded message, read (`forwarded` reads it as such)."""
    pasted = (
        "From: 森 健太 <k@example.jp>\nSent: Monday, December 7, 2026 10:00 AM\nTo: moth <moth@example.com>\n"
        f"Subject: 画像について\n\n{POST} は私の作品の無断転載です。12月10日までに削除してください。\n\n森 健太\n"
    )
    assert _read(pasted)["deadline_at"] == datetime(2026, 12, 10, 14, 59, 59, tzinfo=UTC)
    forwarded = "FYI\n\n-------- Forwarded Message --------\n" + pasted.replace("12月10日", "12月11日")
    assert "12月11日までに削除してください" in own_words(forwarded)


def test_a_complaint_a_platform_quotes_under_an_introduction_is_read() -> None:
    """A header block introduced by a line ending in a colon ("The complaint we received reads:") is the message
    shown, not a reply's quote: its title and deadline are read."""
    text = (
        "From: Bluesky Support <support@bsky.app>\nSubject: Copyright complaint\nDate: Sun, 6 Dec 2026 21:05:44 +0000\n\n"
        "Hello,\n\nWe have received a copyright complaint regarding your content. The complaint reads:\n\n"
        "From: Priya Raman <priya@example.net>\nDate: December 5, 2026\nTo: copyright@bsky.app\nSubject: Infringement\n\n"
        f'Your post {POST} copies my painting "Monsoon Bride". Please remove it within 48 hours.\n\nBluesky Support\n'
    )
    found = _read(text)
    assert found["claimed_title"] == "Monsoon Bride"
    assert found["deadline_at"] == datetime(2026, 12, 8, 21, 5, 44, tzinfo=UTC)


EARLIER = f"""moth様

突然のご連絡失礼いたします。イラストを描いております山田花子と申します。

貴殿がpixivに投稿された下記の作品が、私の作品「春の庭」を元にしたものではないかと思いご連絡しました。

貴殿の投稿: {POST}
私の作品: {WORK}

著作権の侵害にあたると考えますので、明日中に削除をお願いいたします。

山田花子
"""
THEIR_HEADERS = {
    "outlook": "From: 山田 花子 <hanako@example.jp>\nSent: Sunday, December 6, 2026 11:40 PM\n"
    "To: moth <moth@example.com>\nSubject: 無断転載について\n",
    "outlook-ja": "差出人: 山田 花子 <hanako@example.jp>\n送信日時: 2026年12月6日 23:40\n"
    "宛先: moth <moth@example.com>\n件名: 無断転載について\n",
    "thunderbird-ja": "2026/12/06 23:40、山田 花子 さんが書きました:\n",
}


@pytest.mark.parametrize("header", THEIR_HEADERS.values(), ids=THEIR_HEADERS)
def test_their_own_complaint_quoted_under_outlooks_block_is_read_from_its_own_day(header: str) -> None:
    """明日中に in their mail of 6 December 23:40 (Japan) is the end of the 7th there, not of the 8th (the day after
    the reply): the quoted complaint is theirs, its work's title read."""
    quoted = (
        EARLIER if header.startswith(("From", "差出人")) else "".join(f"> {line}\n" for line in EARLIER.split("\n"))
    )
    text = (
        "From: 山田 花子 <hanako@example.jp>\nSubject: Re: 無断転載について\nDate: 2026年12月7日(月) 09:02\n\n"
        f"moth様\n\nまだ削除されていないようです。ご対応をお願いします。\n\n山田花子\n\n{header}\n{quoted}"
    )
    found = _read(text)
    assert found["claimed_title"] == "春の庭" and found["claimed_urls"] == [WORK]
    assert found["deadline_at"] == datetime(2026, 12, 7, 14, 59, 59, tzinfo=UTC)


@pytest.mark.parametrize(
    "sent",
    [
        "2026年12月6日 日曜日 22:10",  # Outlook in Japanese
        "2026/12/6, Sun 22:10",  # Yahoo! Mail
        "2026年12月6日(日) 22:10",
    ],
)
def test_a_forwarded_mails_date_with_its_weekday_written_out_keeps_its_hour(sent: str) -> None:
    """The owner forwards a complaint from Outlook in Japanese: its `送信日時:` names the weekday in words between the
    day and the hour; the hour was dropped (the complaint dated midnight, its `48時間以内に` counted from then)."""
    text = (
        "From: Moth <owner@moth.example>\nTo: owner@moth.example\nSubject: FW: 無断転載\n\n"
        "________________________________\n"
        f"差出人: 佐藤 美咲 <misaki@example.jp>\n送信日時: {sent}\n宛先: owner@moth.example\n件名: 無断転載\n\n"
        f"佐藤美咲と申します。{POST} は私のイラストの無断転載です。48時間以内に削除してください。\n\n佐藤 美咲\n"
    )
    found = message_fields(message_from_text(text), lambda url: url == POST, own=frozenset({"owner@moth.example"}))
    assert found["complainant_name"] == "佐藤 美咲"
    assert found["received_at"] == datetime(2026, 12, 6, 13, 10, tzinfo=UTC)
    assert found["deadline_at"] == datetime(2026, 12, 8, 13, 10, tzinfo=UTC)
