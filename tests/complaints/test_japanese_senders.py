"""Who wrote a formal Japanese letter, as its reply must address them: the person (not a closing word such as
草々, not a department), the firm or company with its whole name, whether the sender block stands at the end or
above the addressee."""

from __future__ import annotations

from email.header import Header
from pathlib import Path

import pytest
from complaints.test_intake_from import POST
from complaints.test_intake_from import logged as logged  # noqa: F401  (the fixture)
from fixtures.common import Tracker

from tracker.complaints.intake import message_fields
from tracker.complaints.reading.message_details import sender_name, split_sender
from tracker.complaints.reading.messages import message_from_text

pytestmark = pytest.mark.db

COMPANY = f"""moth 様

株式会社ルミナスゲームス
法務部

　　　　　著作権侵害に関する通知書

拝啓　時下ますますご清栄のこととお慶び申し上げます。
当社は、ゲーム「星降るアルカディア」の著作権者です。下記の画像の削除を求めます。
{POST}
　　　　　　　　　　　　　　　　　　　　敬具

2026年12月4日

株式会社ルミナスゲームス　法務部
担当：高橋　誠
〒150-0002　東京都渋谷区渋谷二丁目21番1号
TEL：03-0000-1234
E-mail：legal@lumi-games.example.jp
"""

LAWYER_AT_END = f"""moth 殿

冠省
当職は、イラストレーター春野ひよりの代理人として、以下のとおり通知いたします。
投稿URL：{POST}
                                   草々

２０２６年１２月４日

〒100-0005　東京都千代田区丸の内一丁目1番1号
さくら総合法律事務所
通知人代理人　弁護士　中村　健一
ＴＥＬ　03-0000-5678　／　ＦＡＸ　03-0000-5679
"""

LAWYER_ON_TOP = f"""株式会社ノースライト代理人
青葉法律事務所
弁護士　佐々木　恵子

moth　様

前略　当職は、株式会社ノースライトの代理人として、本書をお送りいたします。
貴殿が掲載している画像（{POST}）は、通知人のイラスト「白鷺の舞」を無断で利用したものです。

草々
"""


def _mail(tmp_path: Path, name: str, sender: str, body: str) -> Path:
    named = f"{Header(sender, 'utf-8').encode()} " if sender else ""
    head = f"From: {named}<legal@example.jp>\nDate: Fri, 04 Dec 2026 11:30:00 +0900\n"
    path = tmp_path / name
    path.write_bytes((head + "Content-Type: text/plain; charset=utf-8\n\n" + body).encode())
    return path


@pytest.mark.parametrize(
    ("text", "name"),
    [(COMPANY, "高橋 誠"), (LAWYER_AT_END, "中村 健一"), (LAWYER_ON_TOP, "佐々木 恵子")],
    ids=["labelled 担当 above an address", "a title and 通知人代理人 above a phone line", "the sender block on top"],
)
def test_the_signed_name_is_the_person(text: str, name: str) -> None:
    assert sender_name(text) == name


def test_a_from_header_names_the_person_and_the_firm_or_only_a_department() -> None:
    assert split_sender("弁護士 中村健一（さくら総合法律事務所）") == ("中村健一", "さくら総合法律事務所")
    assert split_sender("株式会社ルミナスゲームス 法務部") == (None, "株式会社ルミナスゲームス 法務部")
    assert split_sender("佐藤 美咲") == ("佐藤 美咲", None)
    assert split_sender("阿部 太郎") == ("阿部 太郎", None)


@pytest.mark.parametrize(
    ("sender", "body", "name", "org"),
    [
        ("株式会社ルミナスゲームス 法務部", COMPANY, "高橋 誠", "株式会社ルミナスゲームス 法務部"),
        ("弁護士 中村健一（さくら総合法律事務所）", LAWYER_AT_END, "中村健一", "さくら総合法律事務所"),
        ("", LAWYER_ON_TOP, "佐々木 恵子", "青葉法律事務所"),
    ],
)
def test_the_reply_is_addressed_to_the_person_at_the_whole_firm(
    logged: Tracker, tmp_path: Path, sender: str, body: str, name: str, org: str
) -> None:
    logged("complaint", "add", "--from", _mail(tmp_path, "n.eml", sender, body), "--lang", "ja")
    shown = logged.json("complaint", "show", "1")
    assert (shown["complainant_name"], shown["complainant_org"]) == (name, org)
    logged("complaint", "decide", "1", "--action", "take_down")
    letter = logged("complaint", "reply", "1").stdout
    lawyer = "法律事務所" in org  # a lawyer is greeted as 先生, with the title
    company, _, department = org.rpartition(" ")  # a department stands before the person: 法務部 高橋 誠 様
    greeting = f"{org}\n弁護士 {name} 先生\n" if lawyer else f"{company}\n{department} {name} 様\n"
    assert letter.startswith(greeting), letter[:80]


def test_a_message_typed_with_message_is_read_as_a_pasted_one(logged: Tracker) -> None:
    text = f"突然のご連絡失礼いたします。イラストレーターの佐藤美咲と申します。投稿 {POST} は私の作品の無断使用です。12月3日までに削除してください。"
    out = logged("complaint", "add", "--message", text, "--received", "2026-12-01T10:00").stdout
    assert out.startswith("Read from the message:\n")
    shown = logged.json("complaint", "show", "1")
    assert shown["complainant_name"] == "佐藤美咲" and [p["url"] for p in shown["posts"]] == [POST]
    assert shown["deadline_at"].startswith("2026-12-03"), "the day it asks for, not the usual two weeks"
    logged("complaint", "add", "--message", "著作権の件", "--name", "K", "--post", POST, "--duplicate")
    assert logged.json("complaint", "show", "2")["complainant_name"] == "K", "a one-line message is no signature"


COMPANY_SIGNED = f"""moth様

①　貴殿が投稿した画像 {POST} について
②　弊社㈱アークライト所属イラストレーターの作品「雨宿り」に酷似しております。

明日中にご対応をお願いいたします。

㈱アークライト　権利管理室
田中　一郎
"""


def test_a_company_in_the_signature_is_the_organisation_written_out_in_full(logged: Tracker, tmp_path: Path) -> None:
    logged("complaint", "add", "--from", _mail(tmp_path, "c.eml", "田中一郎", COMPANY_SIGNED), "--lang", "ja")
    assert logged.json("complaint", "show", "1")["complainant_org"] == "株式会社アークライト 権利管理室"
    logged("complaint", "decide", "1", "--action", "take_down")
    letter = logged("complaint", "reply", "1").stdout
    assert letter.startswith("株式会社アークライト\n権利管理室 田中一郎 様\n"), (
        "株式会社 in full, as an address is written, the department before the person"
    )
    assert "貴社の作品" in letter


HIDDEN_CODES = f"""突然失礼いたします。
\x1b]0;PWNED\x07\x1b[2J[bold red]山田 太郎[/]と申します。
投稿 {POST} は私の作品の無断使用です。
\x1b[31m対応がない場合はXに通報します。\x1b[0m
"""
"""A message holding a window title, a screen clear, colour codes and markup-looking tags around the name."""


@pytest.mark.parametrize("sender", ["", "[bold]山田 太郎[/bold]\x1b[31m"])
def test_a_name_is_read_without_markup_tags_or_control_characters(logged: Tracker, tmp_path: Path, sender: str) -> None:
    path = _mail(tmp_path, "n.eml", sender, HIDDEN_CODES) if sender else tmp_path / "n.txt"
    if not sender:
        path.write_text(HIDDEN_CODES, encoding="utf-8")
    logged("complaint", "add", "--from", path, "--lang", "ja")
    shown = logged.json("complaint", "show", "1")
    assert shown["complainant_name"] == "山田 太郎", "never `red]山田 太郎[/]`"
    assert "\x1b[2J[bold red]山田 太郎[/]と申します。" in shown["message"], "the message itself is kept as it came"
    logged("complaint", "decide", "1", "--action", "take_down")
    letter = logged("complaint", "reply", "1").stdout
    assert letter.startswith("山田 太郎 様\n"), letter[:40]


SHORT_INTRODUCTION = f"""Moth Atelier 様

突然のご連絡失礼いたします。{{phrase}}高橋と申します。
投稿 {POST} は私のイラストを無断で加工したものです。削除をお願いいたします。
{{signature}}"""


@pytest.mark.parametrize(
    "phrase",
    [
        "イラストレーターとして活動しております",
        "イラスト投稿サイトを運営しております",
        "株式会社ハーバーライトに所属しております",
        "株式会社ハーバーライト法務部の者です。",
        "株式会社ハーバーライト法務部の者です、",
        "フリーで働いている",
    ],
)
@pytest.mark.parametrize("signature", ["", "\n高橋 由紀子\n"], ids=["unsigned", "signed"])
def test_a_name_after_a_phrase_saying_what_the_writer_does_is_the_name_alone(
    logged: Tracker, tmp_path: Path, phrase: str, signature: str
) -> None:
    path = tmp_path / "short_ja.txt"
    path.write_text(SHORT_INTRODUCTION.format(phrase=phrase, signature=signature), encoding="utf-8")
    name = "高橋 由紀子" if signature else "高橋"
    assert f"from       {name}\n" in logged("complaint", "add", "--from", path).stdout
    logged("complaint", "decide", "1", "--action", "take_down")
    letter = logged("complaint", "reply", "1").stdout
    assert f"\n{name} 様\n" in f"\n{letter[:80]}", f"addressed to the person (under a company read): {letter[:60]}"


def test_the_fuller_signature_wins_over_an_introduction_it_names() -> None:
    text = "フリーで働く高橋と申します。削除をお願いします。\n\n高橋 由紀子\n"
    assert sender_name(text) == "高橋 由紀子", "the signed family name ends what the introduction read"
    assert sender_name("佐藤と申します。削除をお願いします。\n\n高橋 由紀子\n") == "佐藤", "another person's name"
    assert sender_name("小林と申します。削除をお願いします。\n\n林 花子\n") == "小林", "one character ends many names"


@pytest.mark.parametrize(
    ("header", "named"),
    [
        ("さくら <sakura_draws@example.jp>", "桜井さくら"),  # a given name or nickname in From: the name in full
        ("桜井 さくら <sakura@example.jp>", "桜井 さくら"),  # the same name, spaced as From spaces it
        ("Sakura <sakura@example.jp>", "桜井さくら"),  # Latin letters in From: as they name themselves
        ("中村 恵 <megumi@example.jp>", "中村 恵"),  # no part of the text's: From is the writer
    ],
)
def test_a_from_name_that_is_part_of_the_name_they_give_is_greeted_in_full(header: str, named: str) -> None:
    """Yahoo! Mail's From is often the nickname the account was opened with (`さくら`); a letter greeting
    「さくら 様」 someone who signs 桜井さくら reads as over-familiar."""
    text = f"From: {header}\n\nmoth様\n\nイラストレーターの桜井さくらと申します。\n{POST} の削除をお願いいたします。\n\n桜井さくら\n"
    found = message_fields(message_from_text(text), lambda url: url == POST)
    assert found["complainant_name"] == named
