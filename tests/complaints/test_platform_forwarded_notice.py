"""A law firm's DMCA notice that pixiv事務局 forwards: the complainant is the client the firm says it represents
("We represent Brightmill Studio Ltd."), not nobody, and the letter to pixiv names them."""

from __future__ import annotations

from pathlib import Path

import pytest
from complaints.test_intake_from import POST
from complaints.test_intake_from import logged as logged  # noqa: F401  (the fixture)
from fixtures.common import Tracker

from tracker.complaints.platform_notices import platform_notice

pytestmark = pytest.mark.db

FORWARDED = (
    "kumo 様\n\nいつもpixivをご利用いただきありがとうございます。pixiv事務局です。\n\n"
    "お客様の投稿作品について、権利者の方から以下の申し立てがありましたので転送いたします。\n"
    f"対象作品：{POST}\n\n"
    "---------- Forwarded message ----------\n"
    "From: Harlow & Finch LLP <legal@harlowfinch.example>\nDate: Fri, 4 Dec 2026 09:00:00 -0500\n"
    "Subject: DMCA Takedown Notice\n\nDear pixiv Copyright Agent,\n\n"
    'We represent Brightmill Studio Ltd. ("our client") in intellectual property matters. I am an attorney at '
    "Harlow & Finch LLP, writing on behalf of our client.\n\n"
    'Our client owns the copyright in the artwork titled "Lantern Harbor".\n\n'
    f"The following material infringes our client's copyright: {POST}\n\n"
    "I have a good faith belief that use of the material in the manner complained of is not authorized by the "
    "copyright owner, its agent, or the law.\n\n"
    "The information in this notification is accurate, and under penalty of perjury, I am authorized to act on "
    "behalf of the owner of an exclusive right that is allegedly infringed.\n\n"
    "/s/ Jonathan Reyes\nJonathan Reyes, Esq.\nHarlow & Finch LLP\nlegal@harlowfinch.example\n"
)


@pytest.mark.parametrize(
    ("said", "named"),
    [
        ('We represent Brightmill Studio Ltd. ("our client") in these matters.', "Brightmill Studio Ltd."),
        ("I represent Jane Doe, an illustrator.", "Jane Doe"),
        ("We represent Northwind Media LLC in this matter.", "Northwind Media LLC"),
        ("We represent our client in this matter.", None),
    ],
)
def test_the_client_a_lawyer_represents_is_the_complainant(said: str, named: str | None) -> None:
    notice = platform_notice(f"権利者の方から以下の申し立てがありました。\n{said}\n")
    assert notice is not None and notice.complainant == named


def test_a_forwarded_law_firm_notice_names_its_client(logged: Tracker, tmp_path: Path) -> None:
    path = tmp_path / "notice.txt"
    path.write_text(FORWARDED, encoding="utf-8")
    added = logged("complaint", "add", "--message-file", path, "--channel", "email").stdout
    assert "from       Brightmill Studio Ltd." in added, added
    logged("complaint", "decide", "1", "--action", "take_down")
    logged("complaint", "set", "1", "--lang", "en")
    english = logged("complaint", "reply", "1").stdout
    assert 'passing on the complaint from Brightmill Studio Ltd. about "Lantern Harbor"' in english, english
    logged("complaint", "set", "1", "--lang", "ja")
    japanese = logged("complaint", "reply", "1").stdout
    assert "Brightmill Studio Ltd.様からの「Lantern Harbor」に関するお申し立て" in japanese, japanese


def test_the_letter_to_the_platform_is_not_sent_to_the_law_firm(logged: Tracker, tmp_path: Path) -> None:
    """The complaint's contact is the firm's address (read from the notice forwarded), but the letter greets
    pixiv: `complaint reply` says where it goes."""
    path = tmp_path / "notice.txt"
    path.write_text(FORWARDED, encoding="utf-8")
    logged("complaint", "add", "--message-file", path, "--channel", "email", "--platform", "pixiv")
    logged("complaint", "decide", "1", "--action", "take_down")
    said = logged("complaint", "reply", "1").stderr
    assert "send it back to pixiv" in said and "not to legal@harlowfinch.example, the complainant's contact" in said
    logged("complaint", "set", "1", "--contact", "copyright@pixiv.net")  # the platform's own address: no warning
    assert "send it back" not in logged("complaint", "reply", "1").stderr


def test_a_complainants_own_letter_has_no_such_warning(logged: Tracker) -> None:
    logged("complaint", "add", "--post", "1", "--name", "Jane Doe", "--contact", "jane@example.com")
    logged("complaint", "decide", "1", "--action", "take_down")
    assert "send it back" not in logged("complaint", "reply", "1").stderr
