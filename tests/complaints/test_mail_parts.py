"""What a takedown agent's e-mail says around its request: the agency from the signature block, that the writer
is an agent, the agency's reference number from the subject, and the work's title after "the illustration
series". Read at intake, so the letter addresses the agency about its client's work and cites its reference."""

from __future__ import annotations

import pytest

from tracker.complaints.intake import message_fields
from tracker.complaints.mail_parts import reference, signature_org
from tracker.complaints.messages import message_from_text

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
