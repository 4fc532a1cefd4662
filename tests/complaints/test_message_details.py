"""What a complaint's own words say (`tracker.complaints.reading.message_details`): the writer's name from a
Japanese self-introduction or signature, the day it asks for action by, and the right it claims."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tracker.complaints.reading.message_details import claims_a_right, demanded_deadline, sender_name

RECEIVED = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)  # 10:00 on 3 December in Tokyo


pytestmark = pytest.mark.usefixtures("tokyo_time")  # local time is Japan's (conftest)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("突然のご連絡失礼いたします。イラストレーターの佐藤美咲と申します。\n本文", "佐藤美咲"),
        ("はじめまして。私は小林はるかと申します。", "小林はるか"),  # は inside the name stays
        ("moth様\u3000山田と申します。削除をお願いします。", "山田"),  # the greeting on the same line is not the name
        ("moth 様 関連 花子と申します。", "関連 花子"),
        ("moth様\n\n鵜殿 健と申します。", "鵜殿 健"),  # a surname ending in 殿 is no greeting
        (
            "株式会社ハーバーライトの高橋と申します。\n…\n株式会社ハーバーライト\n高橋 健一\nTEL 03-0000-0000",
            "高橋 健一",
        ),
        ("お世話になります。\n作品を削除してください。\n\n佐藤美咲\nmisaki@example.jp\n", "佐藤美咲"),
        ("お世話になります。\n削除をお願いいたします。\nよろしくお願いいたします。", None),
        ("Please remove my artwork.\nThanks", None),
        # A title, an office or a department before the name is not the name (the reply says 山田太郎 様)
        ("桜坂法律事務所の弁護士山田太郎と申します。", "山田太郎"),
        ("弁護士の山田と申します。\n削除をお願いします。\n\n桜坂法律事務所\n弁護士 山田太郎", "山田太郎"),
        ("株式会社ハーバーライト 代表取締役 佐藤健と申します。", "佐藤健"),
        ("法務担当 鈴木花子と申します。", "鈴木花子"),
        ("担当の鈴木と申します。\n…\n株式会社ハーバーライト\n法務部 鈴木一郎", "鈴木一郎"),
        ("阿部 太郎と申します。", "阿部 太郎"),  # 部 ends a family name here, not a department
        ("代田真一と申します。", "代田真一"),
    ],
)
def test_the_writer_is_found_in_an_introduction_or_a_signature(text: str, name: str | None) -> None:
    assert sender_name(text) == name


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("明日12月4日までに当該作品を削除してください。", "2026-12-04"),
        ("2026年12月4日までにご対応ください。", "2026-12-04"),
        ("１２月１０日（木）１７時までに", "2026-12-10 17:00"),  # full-width digits, a weekday and an hour
        ("12月5日15時30分までに", "2026-12-05 15:30"),
        ("12月5日の正午までに", "2026-12-05 12:00"),
        ("明日の正午までに削除してください", "2026-12-04 12:00"),
        ("明日12時までに", "2026-12-04 12:00"),
        ("本日17時までにご返信ください", "2026-12-03 17:00"),
        ("本日9時までに", None),  # already past when it arrived (10:00)
        ("今日まで何度も連絡しましたが返信がありません。12月10日までに削除してください。", "2026-12-10"),
        ("明日の17時までに削除してください", "2026-12-04 17:00"),
        ("本日の17時までに", "2026-12-03 17:00"),
        ("明日午後5時までに", "2026-12-04 17:00"),
        ("明日17時半までに", "2026-12-04 17:30"),
        ("削除期限は本日までです。", "2026-12-03"),  # today, said plainly: a deadline
        ("今日まで待ちます。それ以降は法的措置を取ります。", "2026-12-03"),
        ("1月5日まで", "2027-01-05"),  # across the year's turn
        ("12月20日までにご返信、12月6日までに削除を", "2026-12-06"),  # the earliest
        ("12月1日までにご返信がなかったため", None),  # before the message arrived: history, not a deadline
        ("2025年12月31日まで", None),
        ("12月4日に公開した作品です", None),  # a date, but no まで
    ],
)
def test_the_day_a_message_asks_for(text: str, day: str | None) -> None:
    found = demanded_deadline(text, RECEIVED)
    if day is None:
        assert found is None
    else:
        local = found.astimezone() if found is not None else None
        assert local is not None and local.date().isoformat() == day[:10]
        assert local.strftime("%H:%M") == (day[11:] or "23:59"), "the time it names, else the whole day"


def test_a_message_citing_copyright_or_unauthorised_use_claims_a_right() -> None:
    assert claims_a_right("著作権法に基づき削除を求めます")
    assert claims_a_right("私の作品を無断で使用したものと思われます")
    assert not claims_a_right("私の作品に似ていると思います")


def test_hostile_text_is_read_quickly() -> None:
    import time as clock

    start = clock.monotonic()
    for text in (
        "ßßと申します。" * 10_000,
        ("12月" + " " * 50) * 3_000,
        "12/4 " * 30_000 + "まで",
        "\n".join(["佐藤"] * 50_000),
    ):
        sender_name(text), demanded_deadline(text, RECEIVED), claims_a_right(text)
    assert clock.monotonic() - start < 3


def test_long_runs_of_white_space_after_a_date_are_read_at_once() -> None:
    """HTML mail turned into text holds long runs of spaces: no pattern may try them in many ways."""
    from fixtures.hangs import deadline

    for gap in (" ", "\u3000", "\n", "\u00a0"):
        with deadline(5):  # a backtracking pattern takes minutes here
            assert demanded_deadline("12/5" + gap * 60_000 + "x", RECEIVED) is None
            assert demanded_deadline("12月5日" + gap * 60_000 + "まで", RECEIVED) is not None


@pytest.mark.parametrize(
    "header",
    [
        "2026年12月2日(水) 18:00 Moth Atelier <moth@example.jp>:",
        "2026年12月2日(水) 18:00 Moth Atelier さんは書きました：",
    ],
)
def test_the_owners_promise_quoted_under_a_reply_is_no_deadline(header: str) -> None:
    """A reply quotes the owner's letter: its `12月10日までに回答いたします` is the owner's promise, not a demand."""
    quoted = "> ご連絡ありがとうございます。\n> 確認のうえ、12月10日までに回答いたします。\n> Moth Atelier"
    reply = f"承知しました。お待ちしております。\n\n{header}\n{quoted}\n"
    assert demanded_deadline(reply, RECEIVED) is None
    sooner = reply.replace("お待ちしております。", "ただし12月5日までに削除してください。")
    found = demanded_deadline(sooner, RECEIVED)
    assert found is not None and found.astimezone().strftime("%m-%d %H:%M") == "12-05 23:59", "the writer's own day"
