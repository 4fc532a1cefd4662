"""A platform's support desk forwarding a complainant's mail ("We are forwarding the complaint below",
「以下の申し立てを転送いたします」, from support@bsky.app or support@pixiv.net, signed by no team): the platform passes
the complaint on. The complainant is the person whose mail it forwards, never "Bluesky Support"; the letter is
addressed to the platform's team and thanks it for passing on their complaint, until the owner records the
complainant's own address, when the letter is theirs. A person forwarding a complaint (a friend) stays the one
the owner answers."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest
from complaints.test_intake_from import POST
from complaints.test_intake_from import logged as logged  # noqa: F401  (the fixture)
from fixtures.common import Tracker

pytestmark = pytest.mark.db

EN_BODY = f'Your post {POST} copies my illustration "Night Garden". Please remove it.\n\nLisa Park'
JA_BODY = f"お世話になります。\n{POST} は、私のイラスト「夏の灯」の無断転載です。\n削除してください。\n\n佐藤 美咲"


def _mail(sender: str, subject: str, note: str, inner_from: str, inner_date: str, body: str) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "owner@moth.example"
    message["Subject"] = subject
    message["Date"] = "Sat, 05 Dec 2026 18:00:00 +0900"
    forwarded = f"---------- Forwarded message ---------\n{inner_from}\n{inner_date}\nSubject: Copyright\n\n{body}\n"
    message.set_content(f"{note}\n\n{forwarded}", charset="utf-8")
    return message.as_bytes()


BLUESKY = _mail(
    "Bluesky Support <support@bsky.app>",
    "Fwd: Copyright complaint",
    "Hello,\n\nWe are forwarding the complaint below, which we received about your post.",
    "From: Lisa Park <lisa@example.com>",
    "Date: Tue, Dec 1, 2026 at 10:00 AM",
    EN_BODY,
)
PIXIV = _mail(
    "pixiv <support@pixiv.net>",
    "転送：著作権侵害の申し立て",
    "moth 様\n\n以下の申し立てを転送いたします。内容をご確認ください。",
    "差出人: 佐藤 美咲 <misaki@example.jp>",
    "Date: 2026年12月1日(火) 10:00",
    JA_BODY,
)
CASES = {  # the mail, the complainant, their address, the platform, and what each language's letter opens with
    "bluesky": (BLUESKY, "Lisa Park", "lisa@example.com", "bluesky", "Dear Bluesky team,\n", "Bluesky ご担当者様\n"),
    "pixiv": (PIXIV, "佐藤 美咲", "misaki@example.jp", "pixiv", "Dear pixiv team,\n", "pixiv ご担当者様\n"),
}
PASSED_ON = {"en": "passing on the complaint from {name}", "ja": "{name}様からの"}
THEIRS = {"en": ("Dear {name},\n", "1 December 2026"), "ja": ("{name} 様\n", "2026年12月1日")}


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("case", CASES)
def test_a_support_desks_forward_is_answered_to_the_platform_for_the_complainant_it_forwards(
    logged: Tracker, tmp_path: Path, case: str, lang: str
) -> None:
    raw, name, address, platform, en_greeting, ja_greeting = CASES[case]
    path = tmp_path / "forward.eml"
    path.write_bytes(raw)
    logged("complaint", "add", "--from", path, "--lang", lang)
    shown = logged.json("complaint", "show", "1")
    assert (shown["complainant_name"], shown["complainant_org"], shown["platform"]) == (name, None, platform)
    logged("complaint", "decide", "1", "--action", "take_down")
    letter = logged("complaint", "reply", "1").stdout
    assert letter.startswith(en_greeting if lang == "en" else ja_greeting), letter
    assert PASSED_ON[lang].format(name=name) in letter, letter
    assert "Support 様" not in letter and "ご作品" not in letter and "your work" not in letter, letter
    logged("complaint", "set", "1", "--contact", address)  # the owner writes to the complainant directly
    letter = logged("complaint", "reply", "1").stdout
    greeting, written = THEIRS[lang]
    assert letter.startswith(greeting.format(name=name)) and written in letter, letter


def test_a_friend_forwarding_a_complaint_is_no_platform(logged: Tracker, tmp_path: Path) -> None:
    """A friend forwards a complaint from their own address: the owner answers the friend, as any forward."""
    raw = _mail(
        "Sam Lee <sam.lee@gmail.com>",
        "Fwd: Copyright",
        "Hi, I'm forwarding the complaint below, it came to my inbox by mistake.",
        "From: Lisa Park <lisa@example.com>",
        "Date: Tue, Dec 1, 2026 at 10:00 AM",
        EN_BODY,
    )
    path = tmp_path / "friend.eml"
    path.write_bytes(raw)
    logged("complaint", "add", "--from", path, "--lang", "en")
    assert logged.json("complaint", "show", "1")["complainant_name"] == "Sam Lee"
    logged("complaint", "decide", "1", "--action", "take_down")
    letter = logged("complaint", "reply", "1").stdout
    assert letter.startswith("Dear Sam Lee,\n") and "passing on" not in letter, letter
