"""What a notice's own words say (`tracker.complaints.notice_reading`): the legal elements it states,
the deadline it asks for in English, who the writer acts for, the work's title, a pasted e-mail."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fixtures import mail
from fixtures.hangs import deadline

from tracker.complaints.notice_reading import (
    asked_deadline,
    looks_like_mail,
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


def test_a_dsa_notice_states_its_good_faith_but_never_its_substantiation() -> None:
    assert notice_elements(DSA_NOTICE, LegalBasis.DSA, "Lena Vogel") == {"good_faith"}
    assert notice_elements("The notice is accurate and complete.", LegalBasis.DSA, None) == set()


def test_a_japanese_message_names_its_right() -> None:
    assert notice_elements(JAPANESE_MESSAGE, LegalBasis.JAPAN, None) == {"right"}
    assert notice_elements("削除してください", LegalBasis.JAPAN, None) == set()
    assert notice_elements(DMCA_NOTICE, LegalBasis.NONE, None) == set()


def test_elements_are_only_those_of_the_basis() -> None:
    assert notice_elements(JAPANESE_MESSAGE, LegalBasis.DMCA, None) <= {"signature", "work"}
    assert notice_elements(DMCA_NOTICE, LegalBasis.DSA, None) == set(), "no 'accurate and complete'"


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
        ("Please take it down by end of day Friday.", None),  # which Friday?
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
        (DMCA_NOTICE, ("Brightmill Studio", "agent")),
        ("I am the copyright owner of this drawing. Please remove it.", (None, "rights holder")),
        ("I own the copyright in the image.", (None, "rights holder")),
        ("I am the owner of the illustration “Moth Study”.", (None, "rights holder")),
        (
            "We are counsel for Harbor Light Pictures LLC. Our client owns the film.",
            ("Harbor Light Pictures LLC", "lawyer"),
        ),
        ("Smith & Reyes LLP\nWe write on behalf of Acme Games, Inc. regarding your post.", ("Acme Games", "lawyer")),
        ("We act for our client, Brightmill Studio.", ("Brightmill Studio", "agent")),  # a takedown service
        ("I am the copyright owner's agent.", (None, None)),
        ("I am the copyright owner or\nam authorized to act on behalf of the owner.", (None, None)),  # boilerplate
        ("As the legal representative of Brightmill Studio, I ask you", ("Brightmill Studio", "agent")),
        ("on behalf of the copyright owner, please remove it", (None, None)),
        ("you stole my art!! I will call my lawyer", (None, None)),
        (JAPANESE_MESSAGE, ("株式会社ハーバーライト", "lawyer")),
        ("株式会社ハーバーライトの代理人として連絡いたします。", ("株式会社ハーバーライト", "agent")),
        ("桜坂法律事務所の山田と申します。", ("桜坂法律事務所", "lawyer")),
        ("弁護士に相談する予定です。近くの法律事務所に行きます。", (None, None)),
        ("株式会社ハーバーライト法務部の高橋と申します。", ("株式会社ハーバーライト", None)),
        ("私がこのイラストの著作権者です。", (None, "rights holder")),
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
