"""Complaints as Japanese (and English) senders really write them, pasted or saved and logged with `--from`: X's
Japanese notice that it disabled access, pixivFANBOX's and BOOTH's notices, a lawyer's 通知書 with its sender block
under the addressee and its URL in full-width letters, a message giving a URL in full-width digits, an English
introduction with the name in kanji after it, and a DMCA notice whose From is the company's legal desk."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from complaints.test_intake_from import POST
from complaints.test_intake_from import logged as logged  # noqa: F401  (the fixture)
from fixtures.common import Tracker
from fixtures.imagefactory import FORGE_INFOTEXT, pixels, write_png

from tracker.complaints.reading.message_details import demanded_deadline, split_sender
from tracker.complaints.reading.platform_notices import platform_notice
from tracker.complaints.reading.prose_urls import url_spans, urls_in

pytestmark = pytest.mark.db

X_POST = "https://x.com/moth_ai/status/1800000000000000001"
FANBOX_POST = "https://moth.fanbox.cc/posts/7788990"

X_JAPANESE = """From: X <notify@x.com>
Subject: 著作権侵害の申し立てに関するお知らせ
Date: Thu, 3 Dec 2026 08:12:44 +0000

@moth_ai さん

Xは、著作権者またはその代理人から有効な著作権侵害の申し立てを受け取った場合、デジタルミレニアム著作権法（DMCA）に基づき対応しています。

以下のコンテンツについて、著作権侵害の申し立てを受けたため、当該メディアへのアクセスを無効にしました。

ツイートURL: https://x.com/moth_ai/status/1800000000000000001
申し立て者: 株式会社スタジオ青嵐
申し立て内容: 当社の公式イラストを無断でトレースしたものです。

このメディアが誤って、または誤認により削除されたと考える場合は、異議申し立てを提出することができます。

よろしくお願いいたします。
X Corp.
"""

FANBOX = f"""pixivFANBOXをご利用いただきありがとうございます。
pixivFANBOX運営事務局です。

お客様が投稿された下記投稿につきまして、第三者より権利侵害の通報が寄せられました。
{FANBOX_POST}

当該投稿はガイドラインに違反していると判断したため、公開を停止いたしました。

pixivFANBOX事務局
"""

BOOTH = """BOOTHをご利用いただきありがとうございます。
BOOTH事務局でございます。

ご出品いただいている商品（https://moth.booth.pm/items/4455667）に関し、権利者を名乗る方から権利侵害の申し立てがありました。
申し立て者：有限会社アトリエ彩
申し立て内容：当社のキャラクターデザインの画風を模倣している。

内容をご確認いただき、2026年12月18日までにご回答をお願いいたします。

BOOTH事務局
"""

LAWYER = """通　知　書

令和８年１２月２日

〒150-0001
東京都渋谷区神宮前一丁目２番３号
moth 殿

〒100-0005
東京都千代田区丸の内二丁目１番１号
丸の内総合法律事務所
株式会社ルミナスアーツ代理人
弁護士　佐藤　健一

冠省　当職は、株式会社ルミナスアーツ（以下「通知人」といいます。）の代理人として、貴殿に対し、以下のとおり通知いたします。

１　通知人は、キャラクター「ルナ」のイラスト（以下「本件著作物」といいます。）の著作権者です。
２　貴殿は、通知人に無断で、本件著作物を画像生成ＡＩに入力して生成した画像を、下記ＵＲＬにおいて公開しています。
　　ｈｔｔｐｓ：／／ｗｗｗ．ｐｉｘｉｖ．ｎｅｔ／ａｒｔｗｏｒｋｓ／１２３４５６
３　貴殿の上記行為は、通知人の著作権（複製権及び公衆送信権）を侵害するものです。

つきましては、令和８年１２月２５日限り、上記画像を削除するとともに、その旨を当職宛に書面にて回答するよう催告いたします。

草々
"""

_WIDE_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
FULL_WIDTH_DIGITS = f"""突然のご連絡失礼いたします。山田花子と申します。

https://x.com/moth_ai/status/{"1800000000000000001".translate(_WIDE_DIGITS)}
こちらの画像は、私の作品（https://www.pixiv.net/artworks/５５５５５５５５）を無断で使用したものです。
著作権侵害にあたりますので、１２月１５日までに削除をお願いいたします。

山田花子
"""

MIXED = f"""Hi moth,

I'm Mika Tanaka (田中美香), an illustrator based in Osaka. 日本語でも大丈夫です。

Your post {X_POST} looks like it was made with my artwork as the source image (img2img): the pose and the
background are identical to my piece "Summer Rain" (https://www.pixiv.net/artworks/44445555).

私の絵を勝手に使わないでください。Please take it down by December 12, 2026.

Thanks,
Mika Tanaka
"""

DMCA = f"""From: Northwind Media Legal <legal@northwind.example>
To: moth <moth@example.net>
Subject: DMCA Takedown Notice
Date: Fri, 4 Dec 2026 15:30:00 -0800

To whom it may concern,

I am writing on behalf of Northwind Media LLC, the owner of the copyright in the illustration "Harbour Lights".

The following material infringes that copyright: {POST}

I have a good faith belief that use of the copyrighted material described above is not authorized by the copyright
owner, its agent, or the law.

I swear, under penalty of perjury, that the information in this notification is accurate and that I am authorized
to act on behalf of the owner of an exclusive right that is allegedly infringed.

/s/ Jennifer Walsh
Jennifer Walsh, Authorized Agent
Northwind Media LLC
legal@northwind.example
"""


def _add(tracker: Tracker, tmp_path: Path, text: str, *options: str) -> dict[str, object]:
    path = tmp_path / "message.txt"
    path.write_text(text, encoding="utf-8")
    added: dict[str, object] = tracker.json("complaint", "add", "--from", path, *options)
    return added


def test_x_japanese_notice_that_disabled_access_takes_the_post_down(logged: Tracker, tmp_path: Path) -> None:
    """X's 「当該メディアへのアクセスを無効にしました」 is X saying it removed the post; its 「申し立て者:」 is the
    complainant (a company: the organisation), never X."""
    added = _add(logged, tmp_path, X_JAPANESE)
    assert added["platform"] == "x" and added["complainant_org"] == "株式会社スタジオ青嵐", added
    assert added["complainant_name"] is None
    assert logged.json("show", "2")["status"] == "taken_down"


def test_pixiv_fanbox_and_booth_notices_are_the_platforms(logged: Tracker, tmp_path: Path) -> None:
    """pixivFANBOX事務局 signing a notice that it stopped publishing the post is the platform, not the complainant,
    and the post is taken down; BOOTH事務局 passing on 有限会社アトリエ彩's complaint is BOOTH, which removed nothing."""
    logged("log", write_png(tmp_path / "f.png", {"parameters": FORGE_INFOTEXT}, image=pixels(seed=11)), "--url",
           FANBOX_POST, "--persona", "moth")  # fmt: skip
    added = _add(logged, tmp_path, FANBOX)
    assert (added["platform"], added["complainant_name"]) == ("fanbox", None), added
    assert logged.json("show", "3")["status"] == "taken_down"
    booth = platform_notice(BOOTH)
    assert booth is not None and (booth.platform, booth.complainant, booth.removed) == (
        "booth",
        "有限会社アトリエ彩",
        False,
    )


def test_a_lawyers_notice_with_its_sender_block_under_the_addressee(logged: Tracker, tmp_path: Path) -> None:
    """通知書: the title is no name; the lawyer is the one 弁護士 leads in the sender block under 「moth 殿」, of the
    whole firm (丸の内総合法律事務所, not 内総合法律事務所); the post is the one its full-width URL names; the day
    it demands (令和８年１２月２５日限り) is the deadline."""
    added = _add(logged, tmp_path, LAWYER, "--received", "2026-12-03 10:00")
    assert (added["complainant_name"], added["complainant_org"], added["complainant_role"]) == (
        "佐藤 健一",
        "丸の内総合法律事務所",
        "lawyer",
    ), added
    assert [post["id"] for post in added["posts"]] == [1]  # type: ignore[attr-defined]
    assert str(added["deadline_at"]).startswith("2026-12-25T"), added["deadline_at"]
    reply = logged("complaint", "decide", str(added["id"]), "--action", "take_down")
    letter = logged("complaint", "reply", str(added["id"])).stdout
    assert reply.exit_code == 0 and letter.startswith("丸の内総合法律事務所\n弁護士 佐藤 健一 先生\n"), letter


def test_a_url_in_full_width_digits_names_the_post(logged: Tracker, tmp_path: Path) -> None:
    """`…/status/１８００…` typed with the input method still in full-width names the logged post, and the work's
    `…/artworks/５５５５５５５５` is kept in ASCII digits, the address the writer meant."""
    added = _add(logged, tmp_path, FULL_WIDTH_DIGITS)
    assert [post["id"] for post in added["posts"]] == [2], added  # type: ignore[attr-defined]
    assert added["claimed_urls"] == ["https://www.pixiv.net/artworks/55555555"]


def test_full_width_urls_are_read_in_ascii_at_their_place() -> None:
    text = "下記ＵＲＬ：ｈｔｔｐｓ：／／ｘ．ｃｏｍ／ｍｏｔｈ＿ａｉ／ｓｔａｔｕｓ／１２３。以上"
    assert urls_in(text) == ("https://x.com/moth_ai/status/123",)
    assert url_spans(text) == [(text.index("ｈ"), text.index("。"))]
    assert urls_in("https://example.jp/作品/第３回の画像") == ("https://example.jp/作品/第３回",)  # a name stays


def test_an_english_introduction_with_the_name_in_kanji_after_it(logged: Tracker, tmp_path: Path) -> None:
    added = _add(logged, tmp_path, MIXED)
    assert added["complainant_name"] == "Mika Tanaka" and added["claimed_title"] == "Summer Rain", added


def test_a_dmca_notice_from_a_companys_legal_desk_names_the_one_who_signs(logged: Tracker, tmp_path: Path) -> None:
    """`From: Northwind Media Legal` is the company's desk, no person: the letter greets Jennifer Walsh, who signs."""
    added = _add(logged, tmp_path, DMCA)
    assert (added["complainant_name"], added["complainant_org"], added["complainant_role"]) == (
        "Jennifer Walsh",
        "Northwind Media LLC",
        "agent",
    ), added
    assert split_sender("Acme Copyright Team") == (None, "Acme Copyright Team")
    assert split_sender("Jane Roe") == ("Jane Roe", None)


def test_a_day_a_lawyer_demands_with_kagiri() -> None:
    """`令和９年１月１０日限り` is by that day; `12月25日限りのイベント` asks for nothing."""
    received = datetime(2026, 12, 7, 3, tzinfo=UTC)
    assert demanded_deadline("令和９年１月１０日限り削除されたい。", received) == datetime(
        2027, 1, 10, 23, 59, 59, tzinfo=UTC
    )
    assert demanded_deadline("12月25日限りのイベントで使われていました。", received) is None
