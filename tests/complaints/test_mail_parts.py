"""What a takedown agent's e-mail says around its request: the agency from the signature block, that the writer
is an agent, the agency's reference number from the subject, and the work's title after "the illustration
series". Read at intake, so the letter addresses the agency about its client's work and cites its reference."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.complaints.intake import message_fields
from tracker.complaints.reading.mail_parts import (
    first_name_first,
    message_body,
    reference,
    signature_org,
    without_subject,
)
from tracker.complaints.reading.messages import message_from_text, read_message

AGENT_MAIL = """From: Jennifer Walsh <jwalsh@brightline-rights.example>
To: moth.atelier@example.org
Subject: DMCA Takedown Notice - Unauthorized use of "Night Harbor" (Ref. BRM-2026-11873)
Date: Wed, 02 Dec 2026 09:15:00 -0800

Dear Sir or Madam,

I am writing on behalf of my client, Kaito Mori, the owner of the copyright in the illustration series
"Night Harbor" (https://www.artstation.com/artwork/kaito-night-harbor-03).

It has come to our attention that the following material infringes our client's copyright:

https://www.pixiv.net/artworks/120000006

I have a good faith belief that use of the material in the manner complained of is not authorized by the
copyright owner, its agent, or the law.

/s/ Jennifer Walsh
Jennifer Walsh
Copyright Agent, Brightline Rights Management LLC
1200 Harbor Blvd, Suite 400, Oakland, CA 94607
"""


def test_an_agents_mail_names_the_agency_the_role_the_reference_and_the_work() -> None:
    found = message_fields(message_from_text(AGENT_MAIL), lambda url: "pixiv.net" in url)
    assert found["complainant_org"] == "Brightline Rights Management LLC"
    assert found["complainant_role"] == "agent"
    assert found["ticket_id"] == "BRM-2026-11873"
    assert found["claimed_title"] == "Night Harbor"
    assert "work" in found["elements_by_basis"][next(b for b in found["elements_by_basis"] if b.value == "dmca")]


def test_we_represent_the_artist_is_an_agent() -> None:
    text = 'Hello,\n\nWe represent the artist Kaito Mori. Our client\'s artwork titled "Harbor Lights" was copied.\n'
    found = message_fields(message_from_text(text), lambda url: False)
    assert found["complainant_role"] == "agent"


@pytest.mark.parametrize(
    ("subject", "text", "expected"),
    [
        ("Copyright notice - Ref. BRM-2026-11902", "", "BRM-2026-11902"),
        (None, "Please quote our Reference: 55817 in any reply.", "55817"),
        (None, "Ticket #A1234 has been opened.", "A1234"),
        (None, "受付番号：20261204-001\n著作権侵害のご連絡です。", "20261204-001"),
        (None, "Reference: https://example.art/harbor", None),
        (None, "see the case of my drawing", None),
        (None, "ref. your post of yesterday", None),
    ],
)
def test_the_senders_reference(subject: str | None, text: str, expected: str | None) -> None:
    assert reference(subject, text) == expected


def test_a_company_named_in_a_sentence_is_not_the_writers() -> None:
    assert signature_org("I will report this to Example Hosting Inc. tomorrow.\n\nRegards,\nAmy") == (None, False)
    assert signature_org("Regards,\nAmy Chen\nCopyright Agent\nBrightline Rights Management LLC") == (
        "Brightline Rights Management LLC",
        True,
    )


@pytest.mark.parametrize(
    ("signed", "org"),
    [
        ("Mark T. Halvorsen\nAttorney at Law\nHalvorsen & Reed LLP", "Halvorsen & Reed LLP"),
        ("Amy Chen\nAcme Images, Inc.", "Acme Images, Inc."),
        ("Jürgen Müller\nBildwerk Müller GmbH", "Bildwerk Müller GmbH"),
        ("高橋 誠\n株式会社ノースライト", "株式会社ノースライト"),
        ("弁護士 中村 健一\nさくら総合法律事務所", "さくら総合法律事務所"),
    ],
)
def test_the_firm_a_signature_ends_with_is_the_organisation(signed: str, org: str) -> None:
    assert signature_org(f"Please remove the image.\n\nSincerely,\n\n{signed}\n") == (org, False)


LETTER_TO_A_LAWYER = """From: "Halvorsen, Mark" <mhalvorsen@halvorsenreed.example>
To: moth@example.com
Subject: Infringing image
Date: Mon, 30 Nov 2026 10:00:00 -0500
MIME-Version: 1.0

Dear Sir or Madam,

We represent Jane Doe. Please remove the image at https://www.pixiv.net/artworks/123456.

Sincerely,

Mark T. Halvorsen
Attorney at Law
Halvorsen & Reed LLP
"""


def test_a_lawyer_filed_last_name_first_is_greeted_first_name_first_at_his_firm(tmp_path: Path) -> None:
    path = tmp_path / "lawyer.eml"
    path.write_text(LETTER_TO_A_LAWYER, encoding="utf-8")
    found = message_fields(read_message(path), lambda url: False)
    assert (found["complainant_name"], found["complainant_org"], found["complainant_role"]) == (
        "Mark Halvorsen",
        "Halvorsen & Reed LLP",
        "lawyer",
    )


@pytest.mark.parametrize(
    ("name", "greeted"),
    [
        ("Halvorsen, Mark", "Mark Halvorsen"),
        ("Müller, Jürgen K.", "Jürgen K. Müller"),
        ("Acme, Inc.", "Acme, Inc."),  # a company
        ("Doe, Jr.", "Doe, Jr."),  # a suffix
        ("Doe, Jane, Esq.", "Doe, Jane, Esq."),  # two commas
        ("山田, 花子", "山田, 花子"),  # not Latin script
    ],
)
def test_only_a_latin_last_first_name_is_turned_round(tmp_path: Path, name: str, greeted: str) -> None:
    assert first_name_first(name) == greeted
    pasted = message_from_text(f"From: {name} <someone@example.com>\nSubject: my work\n\nPlease remove it.")
    assert pasted.sender_name == greeted


@pytest.mark.parametrize(
    ("text", "left"),
    [
        ("From: a@example.com\nSubject: 作品\n について\nTo: b@example.com\n\nPlease remove it.",
         "From: a@example.com\nTo: b@example.com\n\nPlease remove it."),
        ("差出人：佐藤\n件名：作品について\n\n削除してください。", "差出人：佐藤\n\n削除してください。"),
        ("Hello,\nSubject: my work\n\nPlease remove it.", None),  # no header block: the words are the message's
        ("From: a@example.com\n\nSubject: my work is copied", None),  # under the header block: the message's words
    ],
)  # fmt: skip
def test_a_pasted_mails_subject_is_found_anywhere_in_its_header_block(text: str, left: str | None) -> None:
    assert without_subject(text) == (text if left is None else left)


MBOX_LINE = "From sato@example.jp Mon Dec  7 10:00:00 2026\n"


@pytest.mark.parametrize(
    "first",
    ["From Misaki Sato <misaki@example.jp>\n", "From Misaki Sato, who drew 夏の灯\n"],
)
def test_a_pasted_mail_opening_with_from_and_a_name_keeps_that_line(first: str) -> None:
    """`From Misaki Sato ...` was taken for an mbox separator and dropped: the one line naming who wrote was lost
    from the words the triage line and the language are read from. Only a real separator (`From sato@example.jp
    Mon Dec  7 10:00:00 2026`) is no part of the message."""
    text = f"{first}To: owner@moth.example\nSubject: 作品について\n\n削除してください。"
    assert message_body(text).startswith(first.strip()) and first.strip() in without_subject(text)
    mbox = f"{MBOX_LINE}From: Misaki Sato <misaki@example.jp>\nSubject: 作品について\n\n削除してください。"
    assert message_body(mbox) == "削除してください。" and "Mon Dec" not in without_subject(mbox)


def test_a_pasted_mail_file_opening_with_from_and_a_name_keeps_it_and_its_header_block(tmp_path: Path) -> None:
    path = tmp_path / "pasted.txt"
    head = "From Misaki Sato <misaki@example.jp>\nFrom: Misaki Sato <misaki@example.jp>\n"
    path.write_text(f"{head}Date: Mon, 7 Dec 2026 10:00:00 +0900\nSubject: Copyright\n\nPlease remove it.\n")
    message = read_message(path)
    assert message.text.startswith(head) and (message.sender_name, message.subject) == ("Misaki Sato", "Copyright")
    assert message.received_at is not None and message.received_at.hour == 1
