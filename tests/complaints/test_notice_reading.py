"""What a notice's own words say (`tracker.complaints.reading.notice_reading`): the legal elements it states,
the deadline it asks for in English, who the writer acts for, the work's title, a pasted e-mail."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fixtures import mail
from fixtures.hangs import deadline

from tracker.complaints.reading.english_deadlines import asked_deadline
from tracker.complaints.reading.mail_parts import looks_like_mail
from tracker.complaints.reading.notice_reading import (
    notice_elements,
    organisation_and_role,
    work_title,
)
from tracker.db.enums import LegalBasis

RECEIVED = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)  # Thursday 3 December, 10:00 in Tokyo

pytestmark = pytest.mark.usefixtures("tokyo_time")  # local time is Japan's (conftest)

DMCA_NOTICE = """Dear Sir or Madam,

I am writing on behalf of Brightmill Studio, the copyright owner of the illustration "Night Market".
Our original work is published at https://brightmill.example/gallery/night-market

The infringing copy is posted at https://www.pixiv.net/artworks/123456 without our permission.

I have a good faith belief that use of the copyrighted materials described above as
allegedly infringing is not authorized by the copyright owner, its agent, or the law.

I swear, under penalty of perjury, that the information in the notification is accurate
and that I am the copyright owner or am authorized to act on behalf of the owner of an
exclusive right that is allegedly infringed.

Please remove it within 48 hours.

Sincerely,

/s/ Dana Whitfield
Dana Whitfield
Brightmill Studio, 12 Harbor Road, Portland, OR 97201
dana@brightmill.example
"""

DSA_NOTICE = """Notice under Article 16 of the Digital Services Act (Regulation (EU) 2022/2065)

The content at https://www.pixiv.net/artworks/123456 reproduces my drawing without a licence,
which infringes my copyright under Directive 2001/29/EC.

Name: Lena Vogel
Email: lena@example.eu

I confirm my bona fide belief that the information and allegations contained in this notice
are accurate and complete.
"""

JAPANESE_MESSAGE = """突然のご連絡失礼いたします。株式会社ハーバーライトの代理人弁護士の山田と申します。
貴殿がpixivに投稿された作品は、私どもの依頼者が著作権を有するイラスト「向日葵の少女」を無断で使用したものです。
著作権法に基づき、12月10日までに削除していただくようお願い申し上げます。

桜坂法律事務所
弁護士 山田太郎
"""


# ----------------------------------------------------------------------------- elements


def test_a_textbook_dmca_notice_states_every_element_it_has() -> None:
    found = notice_elements(DMCA_NOTICE, LegalBasis.DMCA, "Dana Whitfield")
    assert found == {"signature", "work", "good_faith", "accuracy"}, "location and contact come from URLs and contact"


def test_the_fixture_dmca_mail_signed_with_a_dash() -> None:
    """The short notice of `fixtures.mail`: "... I am authorized to act — Jane Doe", an original upload."""
    text = mail.DMCA_BODY + "Original upload: https://www.deviantart.com/janedoe/art/Moth-Study-1234567890\n"
    found = notice_elements(text, LegalBasis.DMCA, "Jane Doe")
    assert found == {"signature", "work", "good_faith", "accuracy"}


@pytest.mark.parametrize(
    "closing",
    [
        "Signature: Dana Whitfield",
        "Electronic signature: Dana Whitfield",
        "Signed: D. Whitfield",
        "/s/Dana Whitfield",
        "Regards,\nDana Whitfield",
        "Best regards, Dana Whitfield",
        "Dana Whitfield",  # the sender's name alone at the end
    ],
)
def test_signatures(closing: str) -> None:
    text = f"Please take down https://x.com/a/status/1 as it copies my drawing.\n\n{closing}\n"
    assert "signature" in notice_elements(text, LegalBasis.DMCA, "Dana Whitfield")


@pytest.mark.parametrize(
    ("closing", "sender"),
    [
        ("Signature: [your full name]", None),
        ("Regards,\nThe Legal Team", None),
        ("Thanks,\nDana", "Dana"),  # a first name alone is not told apart from a greeting
        ("Please see https://example.com/s/abc", None),  # /s/ inside a URL
        ("Dana Whitfield wrote this earlier.\nBye", "Dana Whitfield"),
        ("See our Best Practices Guide", None),  # a closing word opening a line is no closing
    ],
)
def test_no_signature(closing: str, sender: str | None) -> None:
    text = f"Please take down https://x.com/a/status/1 as it copies my drawing.\n\n{closing}\n"
    assert "signature" not in notice_elements(text, LegalBasis.DMCA, sender)


def test_an_angry_message_states_no_element() -> None:
    text = (
        "you stole my art!! take it down NOW or i report you to pixiv\n"
        "https://www.pixiv.net/artworks/123456\nsent from my phone\n"
    )
    assert notice_elements(text, LegalBasis.DMCA, "moonlit_fox") == set()


def test_good_faith_in_another_sense_is_not_the_statement() -> None:
    text = (
        "I bought a licence in good faith and I believe your post is fine to keep up, but I am not authorized "
        "to say more. I acted in good faith.\n"
    )
    assert notice_elements(text, LegalBasis.DMCA, None) == set()


def test_accuracy_needs_all_three_parts_in_one_statement() -> None:
    assert "accuracy" not in notice_elements("The information is accurate.\n", LegalBasis.DMCA, None)
    apart = "The information is accurate.\n" + "Filler text here. " * 100 + "penalty of perjury, authorized to act"
    assert "accuracy" not in notice_elements(apart, LegalBasis.DMCA, None)


@pytest.mark.parametrize(
    "statement",
    [
        "The information in this notification is accurate, and under penalty of perjury, I am the owner of an "
        "exclusive right that is allegedly infringed.",
        "I swear, under penalty of perjury, that the information in this notice is accurate and that I am the "
        "copyright owner of the work.",
        "I swear, under penalty of perjury, that the information in this notice is accurate and that I am the "
        "copyright owner or authorized to act on behalf of the owner.",
        "The above information is accurate and, under penalty of perjury, I am the owner, or an agent authorized "
        "to act on behalf of the owner, of an exclusive right.",
        "I declare under penalty of perjury that this notice is accurate and that I own the copyright in the work.",
        "I, Jane Doe, am the copyright holder, and I state under penalty of perjury that this notice is accurate.",
        "Under penalty of perjury: the information above is accurate and I’m the rights holder.",
    ],
)
def test_the_perjury_statement_is_read_in_its_common_wordings(statement: str) -> None:
    """An owner swearing in their own name states (vi) as much as an agent "authorized to act" does."""
    assert notice_elements(statement + "\n", LegalBasis.DMCA, None) == {"accuracy"}


@pytest.mark.parametrize(
    "text",
    [
        "The information in this notice is accurate. I am the copyright owner of the work.",
        "I declare under penalty of perjury that the information in this notice is accurate.",
        "Under penalty of perjury, the information is accurate, though I am not the owner of the work.",
    ],
)
def test_a_notice_without_the_whole_perjury_statement_still_lacks_it(text: str) -> None:
    """No perjury at all, or no word of who the writer is: the notice is still told it lacks (vi)."""
    assert "accuracy" not in notice_elements(text + "\n", LegalBasis.DMCA, None)


def test_a_dsa_notice_states_its_good_faith_and_its_explanation() -> None:
    assert notice_elements(DSA_NOTICE, LegalBasis.DSA, "Lena Vogel") == {"good_faith", "substantiation"}
    assert notice_elements("The notice is accurate and complete.", LegalBasis.DSA, None) == set()


@pytest.mark.parametrize(
    ("text", "explained"),
    [
        ("Explanation: This post reproduces my copyrighted photograph, published on my website in 2021.", True),
        ("Reason:\nThe image is a direct copy of my painting Red Fox, shown at my 2023 exhibition.", True),
        ("Why the content is illegal: it is my own illustration, reposted with my signature cropped out.", True),
        ("The post copies my drawing without my permission.", True),
        ("Posting it is an infringement of my copyright under Directive 2001/29/EC.", True),
        ("Explanation: see above", False),
        ("Reason: N/A", False),
        ("I am not sure whether it infringes my copyright.", False),
        ("Please remove it, it is illegal!", False),
        ("Copyright 2024 Anna. Please take down the copy.", False),
    ],
)
def test_a_dsa_explanation_is_read_from_its_section_or_a_sentence_saying_why(text: str, explained: bool) -> None:
    assert ("substantiation" in notice_elements(text, LegalBasis.DSA, None)) is explained


def test_a_japanese_message_names_its_right() -> None:
    assert notice_elements(JAPANESE_MESSAGE, LegalBasis.JAPAN, None) == {"right"}
    assert notice_elements("削除してください", LegalBasis.JAPAN, None) == set()
    assert notice_elements(DMCA_NOTICE, LegalBasis.NONE, None) == set()


def test_elements_are_only_those_of_the_basis() -> None:
    assert notice_elements(JAPANESE_MESSAGE, LegalBasis.DMCA, None) <= {"signature", "work"}
    assert "good_faith" not in notice_elements(DMCA_NOTICE, LegalBasis.DSA, None), "no 'accurate and complete'"


# ----------------------------------------------------------------------------- the deadline asked for


def _day(found: datetime | None) -> str | None:
    assert found is None or found.tzinfo is not None
    return found.astimezone().strftime("%Y-%m-%d %H:%M") if found else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Please remove it within 48 hours.", "2026-12-05 10:00"),
        ("Take the post down within 24 hrs!", "2026-12-04 10:00"),
        ("Please delete it within 5 days.", "2026-12-08 23:59"),
        ("You must remove the material within ten (10) days of this notice.", "2026-12-13 23:59"),
        ("Please respond within 7 business days.", "2026-12-14 23:59"),  # Thu + 7 weekdays: Mon 14th
        ("Please remove it by December 10, 2026.", "2026-12-10 23:59"),
        ("I ask that you remove it by 10 December 2026.", "2026-12-10 23:59"),
        ("Remove it no later than Dec 10.", "2026-12-10 23:59"),
        ("Please take it down by Friday, December 11th.", "2026-12-11 23:59"),
        ("Please respond by January 5.", "2027-01-05 23:59"),  # across the year's turn
        ("Please respond by 2026-12-09.", "2026-12-09 23:59"),
        ("Remove it within 14 days, or at the latest by December 8.", "2026-12-08 23:59"),  # the earliest
        ("Please take it down by end of day Friday.", "2026-12-04 23:59"),  # the coming Friday (a Thursday message)
        ("Please remove it by 12/10/2026.", None),  # 10 December or 12 October
        ("Please remove it by December 1, 2026.", None),  # before the message arrived
        ("I posted it on my site within 2 days of drawing it.", None),  # no action asked
        ("After a counter-notice the post is restored within 10 business days.", None),
        ("Please remove it within a reasonable time.", None),
        ("Please remove it within 400 days.", None),
        ("Under the Copyright Act I noticed it within 2 days.", None),  # "Act" asks for nothing
    ],
)
def test_the_deadline_an_english_notice_asks_for(text: str, expected: str | None) -> None:
    assert _day(asked_deadline(text, RECEIVED)) == expected


def test_the_deadline_is_never_before_receipt() -> None:
    late = RECEIVED + timedelta(days=30)
    assert asked_deadline("Please remove it by December 10, 2026.", late) is None
    assert asked_deadline("Please remove it within 1 hour.", late) == late + timedelta(hours=1)


# ----------------------------------------------------------------------------- organisation and role


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (DMCA_NOTICE, (None, "agent")),  # the client is not the writer's organisation
        ("I am the copyright owner of this drawing. Please remove it.", (None, "rights holder")),
        ("I own the copyright in the image.", (None, "rights holder")),
        ("I am the owner of the illustration “Moth Study”.", (None, "rights holder")),
        (
            "We are counsel for Harbor Light Pictures LLC. Our client owns the film.",
            (None, "lawyer"),
        ),
        ("Smith & Reyes LLP\nWe write on behalf of Acme Games, Inc. regarding your post.", (None, "lawyer")),
        ("We act for our client, Brightmill Studio.", (None, "agent")),  # a takedown service
        ("I am the copyright owner's agent.", (None, None)),
        ("I am the copyright owner or\nam authorized to act on behalf of the owner.", (None, None)),  # boilerplate
        ("As the legal representative of Brightmill Studio, I ask you", (None, "agent")),
        ("on behalf of the copyright owner, please remove it", (None, None)),
        ("you stole my art!! I will call my lawyer", (None, None)),
        (JAPANESE_MESSAGE, ("桜坂法律事務所", "lawyer")),  # the firm the lawyer signs with, not the client
        ("株式会社ハーバーライトの代理人として連絡いたします。", (None, "agent")),
        ("桜坂法律事務所の山田と申します。", ("桜坂法律事務所", "lawyer")),
        ("弁護士に相談する予定です。近くの法律事務所に行きます。", (None, None)),
        ("株式会社ハーバーライト法務部の高橋と申します。", ("株式会社ハーバーライト", None)),
        ("私がこのイラストの著作権者です。", (None, "rights holder")),
        # A firm named in kana, signed under the notice; 当職 and a signature line `弁護士 <name>` are a lawyer's.
        (
            "当職は、山田花子（通知人）の代理人として通知いたします。\n\nさくら法律事務所\n弁護士 田中 一郎\n",
            ("さくら法律事務所", "lawyer"),
        ),
        ("山田花子の代理人として通知します。\n\n弁護士 田中 一郎\n電話 03-0000-0000", (None, "lawyer")),
        ("こちらはさくら法律事務所です。", (None, "lawyer")),  # the words before it are not its name
    ],
)
def test_organisation_and_role(text: str, expected: tuple[str | None, str | None]) -> None:
    assert organisation_and_role(text) == expected


# ----------------------------------------------------------------------------- the work's title


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ('the illustration "Night Market" was copied', "Night Market"),
        ("my artwork titled “Moth Study” (2024)", "Moth Study"),
        ("the drawing 'Blue Hour' is mine", "Blue Hour"),
        ("私のイラスト「向日葵の少女」を無断で", "向日葵の少女"),
        ("弊社の作品『月夜の港町』について", "月夜の港町"),
        (mail.JAPANESE_BODY, "月の蛾"),
        ("the work's style is mine, it's 'obvious'", None),  # apostrophes, a lowercase quote
        ('my image "https://example.com/x.png"', None),
        ("you copied my drawing", None),
        ('the illustration "' + "x" * 150 + '"', None),
        ('the illustration "Night\nMarket"', None),
        ("作品は「無断転載禁止」と書きました", None),
        ("私が以前投稿した「ツインテールの少女」と酷似しております", "ツインテールの少女"),
        ("拙作「向日葵の少女」を無断で加工されたものと存じます", "向日葵の少女"),
        ("弊社が制作した『月夜の港町』の構図が", "月夜の港町"),
        ("あなたが投稿した「夜の蛾」は私の絵のトレースです", None),  # the recipient's post, not the work
    ],
)
def test_the_works_title(text: str, title: str | None) -> None:
    assert work_title(text) == title


# ----------------------------------------------------------------------------- a pasted e-mail


@pytest.mark.parametrize(
    ("text", "is_mail"),
    [
        ("From: Jane Doe <jane@example.com>\nSent: Tuesday\nTo: moth@example.com\nSubject: DMCA\n\nhi", True),
        ("差出人: 山田 花子 <hanako@example.jp>\n送信日時: 2026/11/30\n件名：削除依頼\n\n本文", True),
        ("Subject: Takedown\nTo: moth@example.com\n\nPlease remove it.", True),
        (mail.PIXIV_MESSAGE, False),  # pixiv's labels, an address only on 連絡先
        ("件名：削除依頼\n\n本文\nmisaki@example.jp", False),
        ("Please remove my drawing. Subject: my art. Write to jane@example.com", False),
        ("hello\n" * 20 + "From: a@example.com\nSubject: x", False),  # a quoted mail far below
    ],
)
def test_a_pasted_mail(text: str, is_mail: bool) -> None:
    assert looks_like_mail(text) is is_mail


# ----------------------------------------------------------------------------- hostile input


HOSTILE = {
    "within": lambda: "within " * 750_000,
    "quotes": lambda: '"' * 5_000_000,
    "curly quotes": lambda: "the illustration “" * 300_000,
    "good faith": lambda: "good faith belief " * 300_000,
    "on behalf of": lambda: "on behalf of " + "Abc " * 1_200_000,
    "company": lambda: "株式会社" + "ア" * 5_000_000,
    "by december": lambda: "by december " * 400_000,
    "signature": lambda: "Signature: " + "x" * 5_000_000,
    "closings": lambda: "Sincerely,\n" * 500_000,
    "one long line": lambda: "Please remove it " + "a" * 5_000_000 + " within 48 hours",
}


@pytest.mark.parametrize("kind", HOSTILE)
def test_hostile_text_is_read_quickly(kind: str) -> None:
    """A 5 MB message of repeated openings (`within within ...`, quotes) is read in its sample only."""
    hostile = HOSTILE[kind]()
    with deadline(10):  # each finishes in well under a second: a generous bound, no timing assert
        notice_elements(hostile, LegalBasis.DMCA, "A B")
        notice_elements(hostile, LegalBasis.DSA, None)
        asked_deadline(hostile, RECEIVED)
        organisation_and_role(hostile)
        work_title(hostile)
        looks_like_mail(hostile)


def test_the_fixture_messages_read_as_expected() -> None:
    """The sample messages the other complaint tests read (`fixtures.mail`)."""

    def read(text: str, basis: LegalBasis, sender: str | None) -> tuple[object, ...]:
        return (
            notice_elements(text, basis, sender),
            organisation_and_role(text),
            work_title(text),
            looks_like_mail(text),
        )

    assert read(mail.DMCA_BODY, LegalBasis.DMCA, "Jane Doe") == (
        {"signature", "work", "good_faith", "accuracy"},
        (None, "rights holder"),
        "Moth Study",
        False,
    )
    assert read(mail.JAPANESE_BODY, LegalBasis.JAPAN, "髙橋 花子") == ({"right"}, (None, None), "月の蛾", False)
    assert read(mail.PIXIV_MESSAGE, LegalBasis.JAPAN, "山田 花子") == ({"right"}, (None, None), None, False)
    assert asked_deadline(mail.DMCA_BODY, RECEIVED) is None


# ----------------------------------------------------------------------------- the writer's own words only

QUOTING_REPLY = (
    "Please just take it down.\n\nOn Thu, Dec 3, 2026, Moth Atelier wrote:\n"
    "> - a statement that you believe in good faith that the use is not authorised by you, your agent or the law\n"
    "> - a statement, under penalty of perjury, that your notice is accurate and that you are the owner or are"
    " authorised to act for the owner\n"
    "> Best regards,\n> Moth Atelier"
)


@pytest.mark.parametrize("basis", [LegalBasis.DMCA, LegalBasis.DSA])
def test_a_reply_quoting_the_owners_letter_states_nothing(basis: LegalBasis) -> None:
    """The owner's own list of the statements, quoted below `... wrote:`, is not the complainant's notice."""
    assert notice_elements(QUOTING_REPLY, basis, None) == set()
    dsa_quote = QUOTING_REPLY.replace(
        "> Best regards",
        "> - a statement that you believe in good faith that your notice is accurate and complete\n> Best",
    )
    assert notice_elements(dsa_quote, basis, None) == set()


@pytest.mark.parametrize(
    "header",
    [
        "On Thu, Dec 3, 2026 at 10:00, Moth Atelier wrote:",
        "-----Original Message-----",
        "2026年12月3日(木) 10:00 Moth Atelier さんは書きました：",
    ],
)
def test_nothing_below_a_reply_header_is_read(header: str) -> None:
    """Quoted lines need no `>`: everything from the reply's header on is the quoted message."""
    text = (
        f"Please just take it down.\n\n{header}\nI have a good faith belief that the use is not authorized.\n"
        'My illustration "Night Market" is mine.\nPlease remove it within 48 hours.\nSincerely,\nMoth Atelier\n'
    )
    assert notice_elements(text, LegalBasis.DMCA, None) == set()
    assert work_title(text) is None
    assert asked_deadline(text, RECEIVED) is None


def test_lines_quoted_with_a_mark_are_not_read() -> None:
    text = "Please take it down.\n\n> I am the copyright owner of this drawing.\n> Regards,\n> Jane Doe\n"
    assert notice_elements(text, LegalBasis.DMCA, "Jane Doe") == set()
    assert organisation_and_role(text) == (None, None)


def test_a_forwarded_notice_is_read() -> None:
    """A forwarded message is the notice itself, not a quotation."""
    text = "FYI, see below.\n\n---------- Forwarded message ----------\nFrom: Dana Whitfield\n\n" + DMCA_NOTICE
    assert notice_elements(text, LegalBasis.DMCA, "Dana Whitfield") == {"signature", "work", "good_faith", "accuracy"}


@pytest.mark.parametrize(
    "closing",
    [
        "Signature: (type your full name)",
        "Signature: none",
        "Signature: not provided",
        "Signature: Your Name",
        "Signature: YOUR FULL LEGAL NAME",
        "/s/ (your name here)",
        "Signed: Anonymous",
        "Signature: n/a",
        "Thanks. Please Remove It",
        "Thanks,\nSent From Mobile",
        "Best regards,\nHarbor Light",  # a company, not a person
    ],
)
def test_placeholders_and_boilerplate_are_no_signature(closing: str) -> None:
    text = f"Please take down https://x.com/a/status/1 as it copies my drawing.\n\n{closing}\n"
    assert "signature" not in notice_elements(text, LegalBasis.DMCA, None)


@pytest.mark.parametrize(
    ("closing", "sender"),
    [
        ("Sincerely,\nJane Doe", None),
        ("Sincerely,\nJane Doe", "Jane Doe"),
        ("Best regards,\nMoth Atelier", "Moth Atelier"),
    ],
)
def test_a_name_after_a_closing_is_a_signature(closing: str, sender: str | None) -> None:
    """A person's name, or the sender's own name (even one that reads like a studio's)."""
    text = f"Please take down https://x.com/a/status/1 as it copies my drawing.\n\n{closing}\n"
    assert "signature" in notice_elements(text, LegalBasis.DMCA, sender)


@pytest.mark.parametrize(
    "text",
    [
        "I do not have a good faith belief yet, but the use is without permission.",
        "I bought it in good faith belief that it was free; it was used without permission.",
        "I have a good faith belief. Separately, the use is without permission.",
        "I have a good faith belief\n\nthat it was used without permission.",
    ],
)
def test_good_faith_is_one_sentence_and_not_negated(text: str) -> None:
    assert "good_faith" not in notice_elements(text, LegalBasis.DMCA, None)
    assert "good_faith" in notice_elements(
        "I have a good faith belief that the use is not authorized.", LegalBasis.DMCA, None
    )


# ----------------------------------------------------------------------------- the work's title: whose work


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ('Your illustration "Night Market" copies my character.', None),
        ("あなたのイラスト「夜市」は私の作品のトレースです。", None),
        ("貴殿のイラスト「夜市」を削除してください。", None),
        ("貴方の作品「夜市」は無断転載です。", None),
        ("御社の作品「夜市」について", None),
        ("そちらのイラスト「夜市」について", None),
        ('The account named "Moth Atelier" reposted my drawing', None),
        ('I sent a message titled "Copyright infringement" last week.', None),
        ('The drawing "Night Market" copied my character.', None),
        ('my illustration "Night Market"', "Night Market"),
        ('the illustration "Night Market" (https://brightmill.example/works/night-market)', "Night Market"),
        ("私のイラスト「向日葵の少女」", "向日葵の少女"),
        ("作品「月夜の港町」を無断で使用しています。", "月夜の港町"),
        ('your post copies my illustration "Night Market"', "Night Market"),  # "my" is nearer
    ],
)
def test_the_title_is_the_complainants_work(text: str, title: str | None) -> None:
    assert work_title(text) == title


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("弊社の著作物「月夜の向日葵畑」を無断で使用されています。", "月夜の向日葵畑"),
        ("当社の著作物である「月夜の向日葵畑」の複製です。", "月夜の向日葵畑"),
        ("私の原画「夏の灯」をトレースしたものです。", "夏の灯"),
        ("添付の画像「港の朝」が私の作品です。", "港の朝"),
        ("弊社の商品「ムーンランプ」の写真が転載されています。", "ムーンランプ"),
        ("私の漫画『夜市』の一コマです。", "夜市"),
        ("アカウント「moth」が投稿した画像です。", None),  # an account, not a work
        ("「削除してください」とお伝えしました。", None),  # a quote, no noun naming a work
        ("貴殿の画像「港の朝」を削除してください。", None),  # the recipient's
        ("件名「著作権侵害について」でご連絡しました。", None),
    ],
)
def test_a_title_is_read_after_the_nouns_a_japanese_complaint_names_its_work_with(text: str, title: str | None) -> None:
    assert work_title(text) == title


def test_the_recipients_work_is_no_dmca_work_element() -> None:
    text = 'Your illustration "Night Market" copies my character. Take it down.'
    assert "work" not in notice_elements(text, LegalBasis.DMCA, None)


# ----------------------------------------------------------------------------- deadlines in words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Please remove it within five business days.", "2026-12-10 23:59"),  # Thu + 5 weekdays
        ("Please remove it within one business day.", "2026-12-04 23:59"),
        ("Please respond within a business day.", "2026-12-04 23:59"),
        ("Please remove it within two working days.", "2026-12-07 23:59"),  # Fri, Mon
        ("Please remove it within three calendar days.", "2026-12-06 23:59"),
        ("Please remove it within 5 business days.", "2026-12-10 23:59"),
        ("I created the original artwork before March 3, and your copy must be removed.", None),
        ("You could keep it up until March 3, but now please remove it.", None),
        ("Please remove it no later than January 5.", "2027-01-05 23:59"),  # by/no later than still roll
        ("The deadline is January 5 to remove it.", "2027-01-05 23:59"),
    ],
)
def test_deadlines_in_words(text: str, expected: str | None) -> None:
    assert _day(asked_deadline(text, RECEIVED)) == expected


# ----------------------------------------------------------------------------- who the writer is


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I will forward this to my law firm.", (None, None)),
        (
            "I am the copyright owner of this drawing. If it stays up, I will contact an attorney at law.",
            (None, "rights holder"),
        ),
        ("I am the copyright owner. My lawyer, Jane Roe, Esq., is copied.", (None, "rights holder")),
        ("I am an attorney. Please remove the post.", (None, "lawyer")),
        ("We are a law firm acting in this matter.", (None, "lawyer")),
        ("I am a partner of Smith & Reyes LLP. Please remove it.", (None, "lawyer")),
        ("Please remove it.\n\nJane Roe, Esq.\n", (None, "lawyer")),
        ("Please remove it.\n\nHarbor Law Office\n", (None, "lawyer")),
        ("On behalf of Brightmill Studio I am writing about your post.", (None, "agent")),
        ("We represent Brightmill Studio. Please remove it.", (None, "agent")),
        ("株式会社ハーバーライトの代理人弁護士の山田と申します。", (None, "lawyer")),
        (
            "株式会社ハーバーライトの高橋と申します。弊社が著作権を有するイラストです。",
            ("株式会社ハーバーライト", "rights holder"),
        ),
    ],
)
def test_the_writer_not_a_client_or_a_threat(text: str, expected: tuple[str | None, str | None]) -> None:
    assert organisation_and_role(text) == expected


def test_what_a_platform_or_a_notice_says_someone_wrote_is_read() -> None:
    """Only a mail program's reply header cuts the message: "The complainant wrote:" is no reply."""
    notice = (
        'Dear Sir or Madam,\n\nIn the description of your post you wrote:\n"fan art, not mine"\n\n'
        "I have a good faith belief that use of the material is not authorized by the copyright owner, "
        "its agent, or the law.\n\n/s/ Jordan Lee\n"
    )
    assert {"good_faith", "signature"} <= notice_elements(notice, LegalBasis.DMCA, "Jordan Lee")
    forwarded = "pixiv Support\n\nThe complainant wrote:\n\n" + notice
    assert {"good_faith", "signature"} <= notice_elements(forwarded, LegalBasis.DMCA, "Jordan Lee")


def test_a_follow_up_quoting_the_writers_own_notice_reads_it() -> None:
    from tracker.complaints.reading.quoting import as_written_by

    quoted = "\n".join("> " + line for line in DMCA_NOTICE.splitlines())
    text = f"Hello, I have not heard back. Please see my notice below.\n\nOn Wed, Dec 2, 2026, Dana Whitfield <dana@brightmill.example> wrote:\n{quoted}\n"
    assert notice_elements(text, LegalBasis.DMCA, "Dana Whitfield") == set(), "someone's quoted words, read alone"
    assert {"good_faith", "accuracy", "signature"} <= notice_elements(
        as_written_by(text, "Dana Whitfield"), LegalBasis.DMCA, "Dana Whitfield"
    )
    assert as_written_by(text, "Moth Atelier") == text, "a quote of someone else stays quoted"


@pytest.mark.parametrize(
    "signed",
    ["/s/ Dana Whitfield, Legal Counsel", "/s/ Dana Whitfield (Brightmill Studio)", "Signature: Dana Whitfield, Legal"],
)
def test_a_signature_with_a_title_or_an_organisation_counts(signed: str) -> None:
    text = DMCA_NOTICE.replace("/s/ Dana Whitfield\nDana Whitfield\n", signed + "\n")
    assert signed in text and "signature" in notice_elements(text, LegalBasis.DMCA, None)
