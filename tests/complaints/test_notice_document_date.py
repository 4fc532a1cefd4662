"""A Japanese 通知書 pasted as text dates itself on a line of its own, at its head or above its signature, often in
the era's years (令和8年12月4日, 令和八年十二月四日, R8.12.4: 令和1 is 2019): that day is when it was sent, the day its
relative deadline (本書到達後7日以内, 明日中に) is counted from; a real mail's Date header still wins."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tracker.complaints.intake import message_fields
from tracker.complaints.reading.message_dates import text_date
from tracker.complaints.reading.messages import message_from_text, read_message
from tracker.platforms.urls import load_platforms, shipped_platforms_path

PLATFORMS = load_platforms(shipped_platforms_path())
POST = "https://www.pixiv.net/artworks/123456789"
DEC_4_JAPAN = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)  # 00:00 on 4 December in Japan


def _notice(head: str = "", foot: str = "") -> str:
    return (
        f"{head}\n通知書\n\nmoth 様\n\n"
        f"貴殿が投稿した {POST} は、通知人の著作物「春の庭」を無断で複製したものであり、著作権を侵害しています。\n"
        "明日中に当該投稿を削除するよう求めます。\n\n"
        f"{foot}\n通知人　山田花子\n"
    )


@pytest.mark.parametrize(
    "date",
    ["　　　　　　　　令和8年12月4日", "令和８年１２月４日", "令和八年十二月四日", "R8.12.4", "令和8年12月4日（金）"],
)
def test_a_notice_dated_at_its_head_in_the_era_was_sent_that_day(date: str) -> None:
    message = message_from_text(_notice(head=date))
    assert message.received_at == DEC_4_JAPAN
    found = message_fields(message, lambda url: url == POST, None, PLATFORMS)
    assert found["deadline_at"] == datetime(2026, 12, 5, 14, 59, 59, tzinfo=UTC)  # 明日中に: the end of the 5th


def test_a_notice_dated_above_its_signature_was_sent_that_day() -> None:
    assert message_from_text(_notice(foot="令和8年12月4日")).received_at == DEC_4_JAPAN


def test_the_first_year_of_an_era_is_its_start() -> None:
    assert text_date("令和元年5月1日")[0] == text_date("2019年5月1日")[0]
    assert text_date("令和1年5月1日")[0] == text_date("2019年5月1日")[0]
    assert text_date("平成31年4月30日")[0] == text_date("2019年4月30日")[0]


def test_a_deadline_on_a_line_of_its_own_is_no_sent_date() -> None:
    message = message_from_text(_notice(foot="回答期限：\n令和8年12月10日\n"))
    assert message.received_at is None


def test_a_mails_date_header_wins_over_the_notices_own(tmp_path) -> None:  # type: ignore[no-untyped-def]
    mail = tmp_path / "notice.eml"
    body = _notice(head="令和8年12月1日")
    mail.write_bytes(
        b"From: hanako@example.jp\nDate: Fri, 04 Dec 2026 10:00:00 +0900\nSubject: notice\n"
        b"MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n" + body.encode()
    )
    assert read_message(mail).received_at == datetime(2026, 12, 4, 1, 0, tzinfo=UTC)


def test_the_date_of_the_owners_letter_a_reply_quotes_is_not_the_replys() -> None:
    reply = (
        "山田です。まだ削除されていないようです。明日中にご対応ください。\n\n"
        "On Sat, Dec 5, 2026 at 10:00 AM moth <moth@example.com> wrote:\n"
        "> 山田花子様\n> 確認いたします。\n>\n> 2026年12月5日\n> moth\n"
        "令和8年12月5日\nmoth\n"
    )
    assert message_from_text(reply).received_at is None


def test_the_day_a_work_was_published_is_no_sent_date() -> None:
    text = f"moth様\n\n私の作品（初出）\n2024年3月1日\n{POST}\n\nを無断で転載しないでください。明日中に削除してください。\n"
    assert message_from_text(text).received_at is None


def test_a_date_under_the_sentence_asking_for_a_day_is_the_notices() -> None:
    text = _notice(foot="令和8年12月4日").replace("明日中に当該投稿を削除", "本書到達後7日以内に当該投稿を削除")
    assert message_from_text(text).received_at == DEC_4_JAPAN


@pytest.mark.parametrize(("head", "foot"), [("2026/12/04", ""), ("", "2026/12/4（金）"), ("", "２０２６／１２／０４")])
def test_a_japanese_notice_dated_with_slashes_was_sent_that_day(head: str, foot: str) -> None:
    assert message_from_text(_notice(head=head, foot=foot)).received_at == DEC_4_JAPAN


def test_a_slashed_date_under_a_deadline_label_or_in_an_english_letter_is_no_sent_date() -> None:
    assert message_from_text(_notice(foot="回答期限：\n2026/12/10\n")).received_at is None
    english = f"Notice\n\n2026/12/04\n\nYour post {POST} copies my work. Please remove it.\n\nHanako Yamada\n"
    assert message_from_text(english).received_at is None, "`2026/12/04` alone in English may be anything"
