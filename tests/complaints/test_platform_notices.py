"""A platform passing someone's complaint on (Bluesky Trust & Safety, pixiv事務局) is no complainant: the complainant
is the one its notice names (or nobody), the platform is recorded, and the letter is addressed to the platform's
team, thanks it for passing the complaint on, and never says the removal is "at your request"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from complaints.test_intake_from import POST
from complaints.test_intake_from import logged as logged  # noqa: F401  (the fixture)
from fixtures.common import Tracker
from fixtures.imagefactory import FORGE_INFOTEXT, pixels, write_png

from tracker.complaints.intake import message_fields
from tracker.complaints.letters.platform_letter import platform_salutation
from tracker.complaints.letters.reply_phrases import Words
from tracker.complaints.reading.messages import message_from_text
from tracker.complaints.reading.platform_notices import platform_notice
from tracker.db.enums import LegalBasis
from tracker.platforms.urls import load_platforms, shipped_platforms_path
from tracker.support.paths import shipped_data_dir
from tracker.support.tomlfile import read_toml

pytestmark = pytest.mark.db
PLATFORMS = load_platforms(shipped_platforms_path())

BSKY = "https://bsky.app/profile/moth.bsky.social/post/3kdemo2bridge"
BLUESKY = (
    "Hello,\n\n"
    f"We have received a copyright complaint regarding your content: {BSKY}\n"
    'The complainant, Northwind Media LLC, states that the content infringes their artwork "Rain Bridge".\n'
    "We have removed the content. If you believe this was a mistake, you may submit a counter-notification.\n\n"
    "Bluesky Trust & Safety\n"
)
PIXIV = (
    "いつもpixivをご利用いただきありがとうございます。\n\n"
    f"お客様が投稿された作品（{POST}）について、権利者の方から著作権侵害の申し立てを受けました。\n\n"
    "申立人：株式会社ムーンライト\n受付番号：PX-2026-0042\n"
    "申立人は、お客様の作品が自社のイラスト「月夜の庭」の著作権を侵害していると主張しています。\n\n"
    "内容をご確認のうえ、該当作品の削除をご検討ください。\n\npixiv事務局\n"
)


@pytest.fixture
def on_bluesky(logged: Tracker, tmp_path: Path) -> Tracker:
    """The fixture's posts, and #3 on Bluesky (persona moth)."""
    image = write_png(tmp_path / "c.png", {"parameters": FORGE_INFOTEXT}, image=pixels(seed=9))
    logged("log", image, "--url", BSKY, "--persona", "moth")
    return logged


def _logged(tracker: Tracker, tmp_path: Path, text: str, *decision: str) -> tuple[dict, str, str]:
    """The complaint logged from `text` as `complaint add --message-file` reads it, and its English and Japanese
    letters for the `decision` (a take-down when none is given)."""
    path = tmp_path / "notice.txt"
    path.write_text(text, encoding="utf-8")
    tracker("complaint", "add", "--message-file", path, "--channel", "email")
    shown = tracker.json("complaint", "show", "1")
    tracker("complaint", "decide", "1", *(decision or ("--action", "take_down")))
    tracker("complaint", "set", "1", "--lang", "en")
    english = tracker("complaint", "reply", "1").stdout
    tracker("complaint", "set", "1", "--lang", "ja")  # asked for: a counter-notice to X is otherwise in English
    return shown, english, tracker("complaint", "reply", "1", "--lang", "ja").stdout


def test_a_bluesky_notice_is_logged_as_the_complaint_it_passes_on(on_bluesky: Tracker, tmp_path: Path) -> None:
    shown, english, japanese = _logged(on_bluesky, tmp_path, BLUESKY)
    assert (shown["complainant_name"], shown["complainant_org"]) == (None, "Northwind Media LLC")
    assert shown["platform"] == "bluesky" and shown["claimed_title"] == "Rain Bridge"
    assert english.startswith("Dear Bluesky Trust & Safety team,\n\n"), english[:80]
    assert (
        'Thank you for your message of {day} passing on the complaint from Northwind Media LLC about "Rain Bridge".'
    ).split("{day}")[1] in english
    assert "As your message says, the following post has been removed:\n- " + BSKY in english
    assert "at your request" not in english and "I am removing" not in english and "Hello," not in english
    assert "I copied the complainant's work" in english and "your work" not in english
    assert japanese.startswith("Bluesky Trust & Safety 御中\n\n"), japanese[:80]
    assert (
        "にて、Northwind Media LLC様からの「Rain Bridge」に関するお申し立てをお知らせいただき、誠にありがとうございます。"
        in japanese
    )
    assert "ご連絡のとおり、以下の投稿は削除されております。" in japanese
    assert "お申し出を" not in japanese and "ご作品" not in japanese and "ご迷惑" not in japanese


def test_a_pixiv_notice_keeps_its_case_number_and_the_owner_removes_the_post(logged: Tracker, tmp_path: Path) -> None:
    shown, english, japanese = _logged(logged, tmp_path, PIXIV)
    assert (shown["complainant_name"], shown["complainant_org"]) == (None, "株式会社ムーンライト")
    assert shown["platform"] == "pixiv" and shown["ticket_id"] == "PX-2026-0042"
    assert japanese.startswith("pixiv事務局 御中\n\n"), japanese[:80]
    assert (
        "に拝受したご連絡（受付番号：PX-2026-0042）にて、株式会社ムーンライト様からの「月夜の庭」に関するお申し立てを"
        "お知らせいただき、誠にありがとうございます。"
    ) in japanese
    assert not re.search(r"\d日付", japanese), "pixiv's message came that day: the date it bears may be another"
    assert "内容を確認のうえ、以下の投稿を削除いたします。" in japanese
    assert "今回の削除はお申し立てを受けて行うものであり、申立人の作品を模倣したことや" in japanese
    assert "お申し出を" not in japanese and "ご担当者様" not in japanese
    assert english.startswith("Dear pixiv team,\n\n"), english[:80]
    assert "(case PX-2026-0042) passing on the complaint from 株式会社ムーンライト" in english
    assert (
        "I am removing the following post:" in english and "I am removing it in response to the complaint." in english
    )
    assert "at your request" not in english


def test_once_the_removal_is_confirmed_the_letter_to_the_platform_says_it_was_done(
    logged: Tracker, tmp_path: Path
) -> None:
    """Confirmed removed (`complaint confirm`), the post is spoken of as removed, in both sentences that speak of it:
    the letter said "I have removed the following post" and then "I am removing it in response to the complaint"."""
    _logged(logged, tmp_path, PIXIV)
    logged("complaint", "confirm", "1")
    japanese = logged("complaint", "reply", "1").stdout
    assert "内容を確認のうえ、以下の投稿を削除いたしました。" in japanese
    assert "今回の削除はお申し立てを受けて行ったものであり、申立人の作品を模倣したことや" in japanese
    assert "削除いたします" not in japanese and "行うもの" not in japanese
    logged("complaint", "set", "1", "--lang", "en")
    english = logged("complaint", "reply", "1").stdout
    assert "I have removed the following post:" in english and "I removed it in response to the complaint." in english
    assert "I am removing" not in english


def test_a_notice_naming_no_complainant_names_nobody(on_bluesky: Tracker, tmp_path: Path) -> None:
    unnamed = BLUESKY.replace("The complainant, Northwind Media LLC, states", "It is stated")
    shown, english, japanese = _logged(on_bluesky, tmp_path, unnamed)
    assert (shown["complainant_name"], shown["complainant_org"]) == (None, None)
    assert 'passing on a complaint about "Rain Bridge".' in english and "Bluesky Trust & Safety" in english[:40]
    assert "ご連絡にて、「Rain Bridge」に関するお申し立てをお知らせいただき" in japanese


def test_a_dispute_is_the_counter_notification_to_the_platform(on_bluesky: Tracker, tmp_path: Path) -> None:
    dispute = ("--action", "dispute", "--reason", "slight_resemblance")
    _, english, _ = _logged(on_bluesky, tmp_path, BLUESKY, *dispute)
    assert english.startswith("Counter-notification under 17 U.S.C. § 512(g)(3)"), english[:80]
    assert "To: Bluesky (designated agent" in english and "sent by Northwind Media LLC" in english
    assert "- " + BSKY in english


@pytest.mark.parametrize(
    "text",
    [
        "はじめまして。https://www.pixiv.net/artworks/1 の画像、わたしの絵にすごく似ています。消してもらえませんか？",
        "We have received your invoice.\n\nAcme Support",
        "著作権者である私から、著作権侵害の申し立てをいたします。https://www.pixiv.net/artworks/1 を削除してください。",
        "I am the artist. Please remove your post, it copies my work.\n\nJane Doe\nBluesky: @jane.bsky.social",
    ],
)
def test_a_complainant_writing_for_themselves_is_no_platform(text: str) -> None:
    assert platform_notice(text) is None


@pytest.mark.parametrize("reason", ["small_part", "slight_resemblance"])
def test_a_dispute_told_to_the_platform_never_says_the_platform_described_the_work(
    logged: Tracker, tmp_path: Path, reason: str
) -> None:
    """pixiv passed the complaint on and sent no picture: the likeness is the one the complaint describes, never
    "the likeness you describe" said to pixiv's team, who described nothing."""
    _, english, _ = _logged(logged, tmp_path, PIXIV, "--action", "dispute", "--reason", reason)
    flat = " ".join(english.split())
    assert "in the light of its description" in flat and "you describe" not in flat


def test_a_dispute_with_no_counter_notification_offered_answers_the_platform(logged: Tracker, tmp_path: Path) -> None:
    dispute = ("--action", "dispute", "--reason", "slight_resemblance")
    _, english, japanese = _logged(logged, tmp_path, PIXIV, *dispute)
    assert (
        english.startswith("Dear pixiv team,\n\n") and "passing on the complaint from 株式会社ムーンライト" in english
    )
    assert "unfair to you" not in english and "your work" not in english and "as you describe it" not in english
    assert japanese.startswith("pixiv事務局 御中\n\n") and "ご作品" not in japanese
    assert "該当の投稿は申立人の作品の権利を侵害するものではないと判断いたしました。" in japanese


X_NOTICE = (
    "We have received a DMCA takedown notice regarding your post "
    "https://x.com/moth_ai/status/1800000000000000001 submitted on behalf of Brightmill Studio Ltd., who claims it "
    "infringes their copyright.\nWe have withheld the post. You may file a counter-notice.\n\nX Corp.\n"
)


def test_an_x_notice_on_behalf_of_a_company(logged: Tracker, tmp_path: Path) -> None:
    shown, english, japanese = _logged(logged, tmp_path, X_NOTICE)
    assert (shown["complainant_name"], shown["complainant_org"], shown["platform"]) == (
        None,
        "Brightmill Studio Ltd.",
        "x",
    )
    assert english.startswith("Dear X Corp.,\n\n") and "passing on the complaint from Brightmill Studio Ltd." in english
    assert "about the complainant's work" not in english, "it names no work: none is made up"
    assert "the following post has been removed:" in english and "at your request" not in english
    assert japanese.startswith("X Corp. 御中\n\n")
    assert "Brightmill Studio Ltd.様からのお申し立てをお知らせいただき" in japanese and "の作品に関する" not in japanese


X_AGENT_NOTICE = X_NOTICE.replace(
    "submitted on behalf of Brightmill Studio Ltd., who",
    "submitted by Brightmill Studio Ltd. on behalf of Lena Park, who",
)


def test_a_counter_notice_names_the_agent_and_the_rights_holder_as_the_notice_did(
    logged: Tracker, tmp_path: Path
) -> None:
    """X's notice says it was "submitted by Brightmill Studio Ltd. on behalf of Lena Park": the counter-notice names
    the notice so (agent on behalf of the rights holder), never "sent by Lena Park", a notice Lena Park never sent."""
    dispute = ("--action", "dispute", "--reason", "slight_resemblance")
    shown, english, japanese = _logged(logged, tmp_path, X_AGENT_NOTICE, *dispute)
    assert shown["complainant_name"] == "Lena Park"
    assert english.startswith("Counter-notification under 17 U.S.C.")
    assert "sent by Brightmill Studio Ltd. on behalf of Lena Park\n" in english, english[:300]
    assert "件名：Lena Park氏の代理人であるBrightmill Studio Ltd.による" in japanese, japanese[:300]
    # X's message is dated the day X wrote to the owner, not the day the agent sent its notice: no date is given
    assert (
        "Regarding: the notice sent by Brightmill" in english
        and "件名：Lena Park氏の代理人であるBrightmill Studio Ltd.による通知について\n" in japanese
    )
    logged("complaint", "set", "1", "--name", "L. Park")  # the owner's correction wins over the notice's words
    corrected = logged("complaint", "reply", "1", "--lang", "ja").stdout
    assert "件名：L. Park氏による" in corrected and "Brightmill" not in corrected


@pytest.mark.parametrize(
    ("agent", "holder"),
    [("Brightmill Studio Ltd.", "Lena Park"), ("株式会社ムーンライト", "山田 花子")],
)
def test_an_x_notice_names_the_agent_and_the_rights_holder_in_any_script(agent: str, holder: str) -> None:
    text = X_AGENT_NOTICE.replace("Brightmill Studio Ltd.", agent).replace("Lena Park", holder)
    notice = platform_notice(text)
    assert notice is not None and (notice.agent, notice.complainant) == (agent, holder)


@pytest.mark.parametrize(
    ("signed", "greeted"),
    [("The Bluesky Team", "Dear Bluesky Team,"), ("Bluesky Support", "Dear Bluesky Support team,")],
)
def test_the_team_is_greeted_as_it_signs(on_bluesky: Tracker, tmp_path: Path, signed: str, greeted: str) -> None:
    _, english, _ = _logged(on_bluesky, tmp_path, BLUESKY.replace("Bluesky Trust & Safety", signed))
    assert english.startswith(greeted + "\n\n"), english[:60]


AGENT_EN = (
    "Dear Sir or Madam,\n\n"
    f"We have received a copyright complaint regarding your content at {BSKY} on behalf of our client, Northwind "
    'Media LLC, who owns the artwork "Rain Bridge". We ask that you remove the content within 7 days.\n\n'
    "Sincerely,\nJane Smith\nSmith & Partners LLP\n"
)
AGENT_JA = (
    "突然のご連絡失礼いたします。当職は、株式会社ムーンライトの代理人として本書を送付いたします。\n"
    f"お客様が投稿された作品（{POST}）について、権利者の方から著作権侵害の申し立てを受けましたので、"
    "削除を求めます。\n\n青葉法律事務所\n弁護士 田中 一郎\n"
)


@pytest.mark.parametrize(
    "text",
    [
        AGENT_EN,
        AGENT_EN.replace("on behalf of our client,", "for our client,"),
        "We represent Northwind Media LLC. We have received a complaint regarding your content and have forwarded "
        "it to our records.\n\nJane Smith",
        "We have received a report regarding your post https://x.com/a/status/1 from our client, who asks that you "
        "take it down.\n\nJohn Doe, Esq.",
        AGENT_JA,
    ],
)
def test_a_lawyer_or_agent_using_a_platforms_words_is_no_platform(text: str) -> None:
    assert platform_notice(text) is None


@pytest.mark.parametrize(
    "text",
    [
        BLUESKY.replace("Bluesky Trust & Safety\n", "Regards\n"),  # unsigned, but it removed the content
        PIXIV.replace("pixiv事務局\n", ""),  # unsigned: 権利者の方から…申し立て, お客様が投稿された作品
        "Hello,\n\nWe have received a DMCA notice regarding your post on our service. We are forwarding it to you "
        "below.\n",
    ],
)
def test_a_platforms_own_words_make_a_notice_unsigned(text: str) -> None:
    assert platform_notice(text) is not None


PIXIV_FORWARDING = (
    "moth 様\n\npixiv事務局です。いつもpixivをご利用いただきありがとうございます。\n"
    f"お客様が投稿された作品（{POST}）について、権利者の方から著作権侵害の申し立てを受けましたので、"
    "以下のとおり転送いたします。\n\n"
    "―――――― 申し立て内容 ――――――\n"
    "はじめまして。佐藤美咲と申します。\n上記の作品は、私のイラスト「月夜の庭」を無断で使用したものです。"
    "削除をお願いいたします。\n\n佐藤美咲\n"
)


def test_a_team_introducing_itself_above_the_notice_it_forwards_is_greeted(logged: Tracker, tmp_path: Path) -> None:
    """The last lines are the forwarded notice's (the complainant's name): the team names itself as it opens."""
    shown, english, japanese = _logged(logged, tmp_path, PIXIV_FORWARDING)
    assert shown["platform"] == "pixiv" and shown["complainant_name"] != "pixiv事務局"
    assert japanese.startswith("pixiv事務局 御中\n\n"), japanese[:80]
    assert "ご担当者様" not in japanese and "お知らせいただき" in japanese
    assert english.startswith("Dear pixiv team,\n\n"), english[:80]


@pytest.mark.parametrize(
    "text",
    [
        "Hello,\n\nThis is the Bluesky Trust & Safety team. We have received a copyright complaint regarding your "
        "content. The complainant's notice follows.\n\n---\nI am the artist. Please remove it.\nJane Doe\n",
        "Hi, this is the Bluesky team: we have received a copyright complaint regarding your post.\n\nJane Doe\n",
    ],
)
def test_a_team_named_in_the_opening_line_is_the_platform(text: str) -> None:
    notice = platform_notice(text)
    assert notice is not None and notice.platform == "bluesky" and notice.team is not None


@pytest.mark.parametrize(
    "text",
    [
        "Hi, this is Jane. I saw your post on Bluesky and it copies my work: please remove it, or I will file a "
        "copyright complaint.\n\nJane Doe\n",
        "This is the pixiv support team's problem, not mine. My copyright notice stands.\n\nJane Doe\n",
        "私はpixivユーザーです。著作権侵害の申し立てをいたします。\n\n佐藤美咲\n",
        "当職は、pixiv事務局ではなく株式会社ムーンライトの代理人です。著作権侵害の申し立てをいたします。\n\n弁護士 田中 一郎\n",
    ],
)
def test_a_complainant_or_lawyer_naming_a_platform_as_they_open_is_no_platform(text: str) -> None:
    assert platform_notice(text) is None


def test_a_lawyers_letter_in_platform_words_is_answered_to_the_lawyer(on_bluesky: Tracker, tmp_path: Path) -> None:
    shown, english, japanese = _logged(on_bluesky, tmp_path, AGENT_EN)
    assert (shown["platform"], shown["complainant_org"]) == (None, "Smith & Partners LLP"), shown
    assert "team" not in english.splitlines()[0] and "passing on" not in english, english[:200]
    assert "your client's work" in english and "the complainant's work" not in english
    assert "御中" not in japanese.splitlines()[0] and "お知らせいただき" not in japanese, japanese[:200]


def test_a_withdrawal_passed_on_is_the_complainants(logged: Tracker, tmp_path: Path) -> None:
    _, english, japanese = _logged(logged, tmp_path, PIXIV, "--action", "withdrawn")
    assert "the complaint you passed on to me on" in english and "(case PX-2026-0042) has been withdrawn." in english
    assert "you have withdrawn" not in english
    assert (
        "に拝受したご連絡（受付番号：PX-2026-0042）でお伝えいただいたお申し立てにつき、取り下げられた旨をお知らせいただき"
        in japanese
    )
    assert not re.search(r"\d日付", japanese), "its date is when it came, not the one it bears"
    assert "を取り下げられた" not in japanese  # never "you (pixiv) withdrew it"


def test_what_a_passed_on_notice_does_not_show_is_asked_of_the_platform(logged: Tracker, tmp_path: Path) -> None:
    """pixiv事務局 sums the complaint up and holds it whole: the letter asks it for the complaint, not the
    complainant for what pixiv has (`test_reply_relayed_notice` has X's notice)."""
    _, english, japanese = _logged(logged, tmp_path, PIXIV, "--action", "ask_info")
    assert "Your message sums up the complaint it passes on, and I cannot see in it the following" in english
    assert "- how to contact the complainant (an address, a telephone number or an e-mail address)\n" in english
    assert "name" not in english.split("cannot see in it the following")[1].split("\n")[1], (
        "株式会社ムーンライト is named: not asked again"
    )
    assert "Could you please send me a copy of the complete complaint as you received it" in english
    assert "・申立人のご連絡先（ご住所、お電話番号またはメールアドレス）\n" in japanese and "お名前" not in japanese
    assert "I will look at the complaint carefully." in english and "could you ask them" not in english
    assert "お申し立ての全文の写し" in japanese and "申立人にご確認" not in japanese


def test_an_invalid_notice_passed_on_is_answered_to_the_platform(logged: Tracker, tmp_path: Path) -> None:
    _, english, japanese = _logged(logged, tmp_path, PIXIV, "--action", "invalid")
    assert "does not contain these" not in english and "send a complete notice" not in english
    assert "Could you please send me a copy of the complete complaint as you received it" in english
    assert "your work" not in english and "your notice" not in english, english  # nothing is the team's
    assert "含まれておりませんでした" not in japanese and "対応いたしかねます" not in japanese
    assert "お申し立ての全文の写し" in japanese


def test_a_post_not_mine_is_never_sent_back_to_the_platform(logged: Tracker, tmp_path: Path) -> None:
    dispute = ("--action", "dispute", "--reason", "not_my_post", "--despite-record")
    _, english, japanese = _logged(logged, tmp_path, PIXIV, *dispute)
    assert "that is for whoever published it.\n" in english and "or for the platform" not in english
    assert "If the complainant has seen a post of mine that they believe reproduces their work" in english
    assert "プラットフォームにご相談" not in japanese and "私の方で削除することはいたしかねます。\n" in japanese


PIXIV_FORM = (
    "moth 様\n\nいつもpixivをご利用いただきありがとうございます。\npixiv事務局です。\n\n"
    "お客様が投稿された下記の作品について、権利者の方から著作権侵害の申し立てを受けました。\n\n"
    f"■対象作品\n{POST}\n\n{{heading}}\n山田 花子\n\n"
    "■申立内容\n私が描いたイラスト「夏の庭」を無断で加工したものです。削除を求めます。\n\n"
    "ご確認のうえ、12月8日までにご対応ください。\n\npixiv事務局\n"
)
"""pixiv's notice as its form lays it out: each item under a heading, the complainant's name on the line below."""


@pytest.mark.parametrize("heading", ["■申立人", "【申立人】", "■権利者", "申立人：", "［申立人］", "◆申立人情報\n"])
def test_a_complainant_named_under_a_heading_is_the_complainant(heading: str) -> None:
    notice = platform_notice(PIXIV_FORM.format(heading=heading))
    assert notice is not None and notice.team == "pixiv事務局"
    assert notice.complainant == "山田 花子"


@pytest.mark.parametrize(
    ("under", "named"),
    [
        ("氏名：山田 花子\nメールアドレス：hanako@example.jp", "山田 花子"),  # a block of labelled lines
        ("\n■申立内容", None),  # the heading left empty: the next heading is nobody's name
        (f"受付番号：PX-2026-0042\n{POST}", None),
    ],
)
def test_what_stands_under_the_heading_names_the_complainant_only_when_it_is_a_name(under: str, named: str) -> None:
    notice = platform_notice(PIXIV_FORM.format(heading="■申立人").replace("■申立人\n山田 花子", f"■申立人\n{under}"))
    assert notice is not None and notice.complainant == named


def test_a_pixiv_notice_naming_the_complainant_under_a_heading_is_answered_naming_them(
    logged: Tracker, tmp_path: Path
) -> None:
    """The letter to pixiv事務局 thanks it for passing on 山田 花子's complaint, not an unnamed one."""
    shown, english, japanese = _logged(logged, tmp_path, PIXIV_FORM.format(heading="■申立人"))
    assert shown["complainant_name"] == "山田 花子" and shown["platform"] == "pixiv"
    assert japanese.startswith("pixiv事務局 御中\n\n"), japanese[:80]
    assert "山田 花子様からの「夏の庭」に関するお申し立てをお知らせいただき、誠にありがとうございます。" in japanese
    assert 'passing on the complaint from 山田 花子 about "夏の庭".' in english


BLUESKY_REPORT = (
    "Hi @moth.bsky.social,\n\nBluesky Trust & Safety received a copyright complaint about the following post:\n\n"
    f"{BSKY}\n\nThe complainant, Priya Raman, says this image copies their artwork\n"
    "https://priyaraman.example.net/gallery/monsoon-bride\n\n"
    "You can reply to this email within 7 days to send us your response.\n\nBluesky Trust & Safety\n"
)


@pytest.mark.parametrize(
    ("text", "basis"),
    [
        (BLUESKY_REPORT, LegalBasis.DMCA),  # as X's: a US platform's copyright report is a DMCA notice
        (BLUESKY, LegalBasis.DMCA),
        (X_NOTICE, LegalBasis.DMCA),  # it names the law
        (BLUESKY_REPORT.replace("a copyright complaint", "an impersonation complaint"), None),  # no copyright
        (PIXIV, LegalBasis.JAPAN),
    ],
)
def test_a_platforms_copyright_report_naming_no_law_is_logged_as_the_platforms_process(
    text: str, basis: LegalBasis | None
) -> None:
    """Bluesky's "copyright complaint" names no law: it was logged with basis none while X's DMCA notice was DMCA."""
    found = message_fields(message_from_text(text), lambda url: False, None, PLATFORMS)
    assert found["platform"] in ("bluesky", "x", "pixiv") and found["legal_basis"] == basis


def test_a_dispute_to_the_platform_never_calls_the_work_the_complainants_own(logged: Tracker, tmp_path: Path) -> None:
    """「申立人より、…ご自身の作品の…」: to pixiv about a company's complaint the work is the complainant's, not the
    company's "own" (ご自身), and the letter asks pixiv, not the complainant, to say what is copied."""
    path = tmp_path / "notice.txt"
    path.write_text(PIXIV, encoding="utf-8")
    logged("complaint", "add", "--message-file", path, "--channel", "email", "--lang", "ja")
    logged("complaint", "decide", "1", "--action", "dispute", "--reason", "slight_resemblance")
    japanese = logged.json("complaint", "reply", "1")["text"]
    asked = "投稿のどの部分が申立人の作品のどの部分を複製しているとのご主張か、具体的にお示しいただけましたら"
    assert asked in japanese and "ご自身の作品" not in japanese and "申立人より" not in japanese


PIXIV_LAWYER = (
    PIXIV.replace("権利者の方から", "")
    .replace("株式会社ムーンライト", "青葉法律事務所")
    .replace("申立人は、お客様の作品が自社の", "申立人は、依頼者の代理人として、お客様の作品が依頼者の")
)
BLUESKY_AGENT = BLUESKY.replace(
    "The complainant, Northwind Media LLC, states",
    "The complainant, Smith & Partners LLP, acting on behalf of their client, states",
)


@pytest.mark.parametrize("text", [PIXIV_LAWYER, BLUESKY_AGENT], ids=["pixiv-lawyer", "bluesky-agent"])
@pytest.mark.parametrize("decision", [("take_down",), ("dispute", "--reason", "slight_resemblance")])
def test_a_platform_passing_on_an_agents_complaint_speaks_of_the_clients_work(
    on_bluesky: Tracker, tmp_path: Path, text: str, decision: tuple[str, ...]
) -> None:
    """pixiv names a law firm as the complainant, acting 「依頼者の代理人として」 (Bluesky: "acting on behalf of
    their client"): the work is its client's, never the complainant's (which would call the lawyers its authors)."""
    _, english, japanese = _logged(on_bluesky, tmp_path, text, "--action", *decision)
    if text is PIXIV_LAWYER:
        assert japanese.startswith("pixiv事務局 御中\n\n") and "青葉法律事務所様" in japanese
    assert "申立人のご依頼人の作品" in japanese and not re.search("申立人の作品|依頼者の作品", japanese), japanese
    assert "the complainant's client's work" in english and "the complainant's work" not in english, english
    assert "their work" not in english, "the complainant's own work: the agent's"


def test_a_platform_naming_the_rights_holder_beside_the_agent_speaks_of_the_complainants_work(
    logged: Tracker, tmp_path: Path
) -> None:
    """X names the agent and the rights holder apart ("submitted by Brightmill Studio Ltd. on behalf of Lena Park"):
    the complainant is Lena Park, whose work it is (no "client's")."""
    _, english, japanese = _logged(logged, tmp_path, X_AGENT_NOTICE, "--action", "take_down")
    assert "client" not in english and "ご依頼人" not in japanese


def test_what_a_platforms_summary_of_an_agents_complaint_does_not_show_is_asked_of_the_agent(
    on_bluesky: Tracker, tmp_path: Path
) -> None:
    """The complainant is the agent: its signature (not "or their agent's", an agent's agent), and a use not
    authorised by the copyright owner, its client (not "by them")."""
    _, english, japanese = _logged(on_bluesky, tmp_path, BLUESKY_AGENT, "--action", "invalid")
    assert "- the complainant's physical or electronic signature\n" in english, english
    assert "not authorised by the copyright owner, its agent or the law" in english and "by them," not in english
    assert "申立人の署名（電子署名でも可）" in japanese and "その代理人の署名" not in japanese, japanese


PIXIV_LAWYER_REACHABLE = PIXIV_LAWYER.replace("受付番号", "申立人連絡先：aoba@law.example\n受付番号")
BLUESKY_AGENT_KEPT = BLUESKY_AGENT.replace(
    "We have removed the content. If you believe this was a mistake, you may submit a counter-notification.",
    "Please review the content.",
)
"""Bluesky passing on an agent's complaint without removing the post: answered by a letter, not a counter-notice."""


def _letters_to_the_platform(tracker: Tracker, tmp_path: Path, text: str, *decision: str) -> tuple[str, str]:
    """The English and Japanese letters to the platform that passed on `text`, a complaint naming no law."""
    path = tmp_path / "notice.txt"
    path.write_text(text, encoding="utf-8")
    tracker("complaint", "add", "--message-file", path, "--channel", "email")
    tracker("complaint", "set", "1", "--basis", "none")
    tracker("complaint", "decide", "1", "--action", *decision)
    english, japanese = (tracker.json("complaint", "reply", "1", "--lang", lang) for lang in ("en", "ja"))
    return str(english["text"]), str(japanese["text"])


@pytest.mark.parametrize("text", [PIXIV_LAWYER_REACHABLE, BLUESKY_AGENT_KEPT], ids=["pixiv-lawyer", "bluesky-agent"])
def test_an_invalid_letter_about_an_agents_complaint_asks_for_their_clients_work(
    on_bluesky: Tracker, tmp_path: Path, text: str
) -> None:
    """The agent holds no right and made no work: what could not be told is how a right of its client's is
    infringed, and the notice it may send names its client's original work."""
    english, japanese = _letters_to_the_platform(on_bluesky, tmp_path, text, "invalid")
    assert (
        "I could not tell from the complaint how the post is said to infringe a right of the complainant's client."
    ) in english, english
    assert (
        "If the complainant believes a post of mine copies their client's work, they are welcome to send a complete "
        "notice naming the post and their client's original work, and I will look at it carefully."
    ) in english, english
    assert not re.search(r"\btheir (original )?work|right of the complainant's\.", english), english
    assert "私の投稿が申立人のご依頼人の作品を複製しているとのご主張であれば" in japanese, japanese
    assert "申立人の作品" not in japanese


@pytest.mark.parametrize("text", [PIXIV_LAWYER_REACHABLE, BLUESKY_AGENT_KEPT], ids=["pixiv-lawyer", "bluesky-agent"])
def test_a_not_mine_letter_about_an_agents_complaint_asks_for_a_post_copying_their_clients_work(
    on_bluesky: Tracker, tmp_path: Path, text: str
) -> None:
    english, japanese = _letters_to_the_platform(
        on_bluesky, tmp_path, text, "dispute", "--reason", "not_my_post", "--despite-record"
    )
    assert "The post you named is not mine: I did not publish it, and it is not on any account of mine." in english
    assert (
        "If the complainant has seen a post of mine that they believe reproduces their client's work, I would be "
        "grateful for its address (URL), and I will look at it carefully."
    ) in english, english
    assert not re.search(r"\btheir (original )?work", english), english
    assert "申立人のご依頼人の作品を複製しているとされる私の投稿がほかにございましたら" in japanese, japanese
    assert "申立人の作品" not in japanese


BLUESKY_BY_AN_AGENT = BLUESKY.replace(
    "The complainant,", "The complaint was submitted by an authorized agent of the rights owner. The complainant,"
)
PIXIV_BY_AN_AGENT = PIXIV.replace("権利者の方から", "権利者の代理人より").replace("自社の", "")


@pytest.mark.parametrize("text", [BLUESKY_BY_AN_AGENT, PIXIV_BY_AN_AGENT], ids=["bluesky", "pixiv"])
def test_a_notice_saying_only_that_an_agent_filed_it_speaks_of_the_clients_work(
    on_bluesky: Tracker, tmp_path: Path, text: str
) -> None:
    """ "submitted by an authorized agent of the rights owner", 「権利者の代理人より」: the complainant named is that
    agent, and the work its client's, not theirs."""
    _, english, japanese = _logged(on_bluesky, tmp_path, text, "--action", "take_down")
    assert "the complainant's client's work" in english and "the complainant's work" not in english, english
    assert "申立人のご依頼人の作品" in japanese and "申立人の作品" not in japanese, japanese


@pytest.mark.parametrize(
    "text",
    [
        BLUESKY.replace(
            "We have removed",
            "Complaints may be filed by the rights owner or an authorized agent of the rights owner. We have removed",
        ),
        BLUESKY.replace(
            "The complainant, Northwind Media LLC, states that the content infringes their artwork",
            'The complainant, Lena Park, states: "I am not an agent of the rights owner: I am the artist of',
        ),
        PIXIV.replace("権利者の方から", "").replace(
            "内容をご確認", "当社では権利者または権利者の代理人からの申し立てを受け付けております。\n内容をご確認"
        ),
    ],
    ids=["bluesky-rules", "bluesky-not-an-agent", "pixiv-rules"],
)
def test_a_notice_naming_agents_only_as_the_rules_do_or_denying_one_is_the_complainants_own(
    on_bluesky: Tracker, tmp_path: Path, text: str
) -> None:
    """A platform's rules (the rights owner "or an authorized agent of the rights owner", 「権利者または権利者の代理人
    から」) or a rights holder saying they are "not an agent" name no agent: the work is the complainant's."""
    _, english, japanese = _logged(on_bluesky, tmp_path, text, "--action", "take_down")
    assert "the complainant's work" in english and "client" not in english, english
    assert "申立人の作品" in japanese and "ご依頼人" not in japanese, japanese


@pytest.mark.parametrize(
    ("team", "english", "japanese"),
    [
        ("pixiv事務局", "Dear pixiv team,", "pixiv事務局 御中"),
        ("BOOTH事務局", "Dear BOOTH team,", "BOOTH事務局 御中"),
        ("pixivFANBOX事務局", "Dear pixivFANBOX team,", "pixivFANBOX事務局 御中"),
        ("pixivサポート", "Dear pixiv team,", "pixivサポート 御中"),
        ("Bluesky Trust & Safety", "Dear Bluesky Trust & Safety team,", "Bluesky Trust & Safety 御中"),
    ],
)
def test_a_team_signed_in_japanese_is_greeted_in_english_by_the_platforms_name(
    team: str, english: str, japanese: str
) -> None:
    """An English letter greets in English: "Dear pixiv team,", never "Dear pixiv事務局,"; a Japanese letter keeps the
    team as it signed (「pixiv事務局 御中」), and a team signed in English keeps its name in both."""
    notice = platform_notice(f"お客様の作品について、著作権侵害の申し立てを受けました。\n\n{team}\n")
    assert notice is not None and notice.team == team
    for language, expected in (("en", english), ("ja", japanese)):
        table = read_toml(shipped_data_dir() / "replies" / language / "phrases.toml", "the reply phrases")
        assert platform_salutation(Words(table, language), notice, None) == expected
