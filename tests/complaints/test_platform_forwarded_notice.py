"""A platform's notice passing a complaint on (pixiv事務局) that gives the complainant's own address: the complaint
keeps it as their contact, but the letter greets the platform, so `complaint reply` and the reply screen say it goes
back to the platform, not to that address; so too for a platform's support desk forwarding a complainant's mail."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest
from complaints.test_intake_from import POST
from complaints.test_intake_from import logged as logged  # noqa: F401  (the fixture)
from fixtures.common import Tracker
from fixtures.tui import SIZE, make_app, settled, wait_for
from textual.widgets import Static

from tracker.tui.screens.reply import ReplyScreen

pytestmark = pytest.mark.db

PIXIV = (
    "いつもpixivをご利用いただきありがとうございます。\n\n"
    f"お客様が投稿された作品（{POST}）について、権利者の方から著作権侵害の申し立てを受けました。\n\n"
    "申立人：株式会社ムーンライト\n申立人連絡先：legal@moonlight.example\n受付番号：PX-2026-0042\n\n"
    "内容をご確認のうえ、該当作品の削除をご検討ください。\n\npixiv事務局\n"
)


def test_the_letter_to_the_platform_is_not_sent_to_the_complainants_address(logged: Tracker, tmp_path: Path) -> None:
    path = tmp_path / "notice.txt"
    path.write_text(PIXIV, encoding="utf-8")
    logged("complaint", "add", "--from", path, "--channel", "email")
    assert logged.json("complaint", "show", "1")["complainant_contact"] == "legal@moonlight.example"
    logged("complaint", "decide", "1", "--action", "take_down")
    reply = logged("complaint", "reply", "1")
    assert reply.stdout.startswith("pixiv事務局 御中\n"), reply.stdout
    assert (
        "tracker: warning: this letter is addressed to pixiv事務局, which passed the complaint on: send it back to "
        "pixiv事務局 (answer its message, or its form), not to legal@moonlight.example, the complainant's contact"
    ) in reply.stderr.splitlines()
    logged("complaint", "set", "1", "--contact", "copyright@pixiv.net")  # the platform's own address: no warning
    assert "send it back" not in logged("complaint", "reply", "1").stderr


def test_a_complainants_own_letter_has_no_such_warning(logged: Tracker) -> None:
    logged("complaint", "add", "--post", "1", "--name", "Jane Doe", "--contact", "jane@example.com")
    logged("complaint", "decide", "1", "--action", "take_down")
    assert "send it back" not in logged("complaint", "reply", "1").stderr


BLUESKY = f"""From: Bluesky Trust & Safety <moderation@blueskyweb.xyz>
Subject: Copyright complaint regarding your content
Date: Sat, 5 Dec 2026 18:00:00 +0000

Hello,

We have received a copyright complaint regarding your content at {POST}.
The complainant, Northwind Media LLC, states that the image reproduces their illustration "Harbour Lights".
We have removed the content. If you believe this was a mistake, you may submit a counter-notification by replying
to this email.

Bluesky Trust & Safety
"""


def test_a_notice_whose_contact_is_the_address_it_came_from_has_no_such_warning(
    logged: Tracker, tmp_path: Path
) -> None:
    """The contact recorded is the platform's own sender (Bluesky's moderation address, which no platform file
    names): the letter goes there, and nothing says otherwise."""
    path = tmp_path / "bluesky.eml"
    path.write_text(BLUESKY, encoding="utf-8")
    logged("complaint", "add", "--from", path)
    assert logged.json("complaint", "show", "1")["complainant_contact"] == "moderation@blueskyweb.xyz"
    logged("complaint", "decide", "1", "--action", "take_down")
    reply = logged("complaint", "reply", "1")
    assert reply.stdout.startswith("Dear Bluesky Trust & Safety team,"), reply.stdout
    assert "send it back" not in reply.stderr, reply.stderr


def _support_forward(signed_with: str) -> bytes:
    """Bluesky's support desk forwarding Lisa Park's own mail, which signs with another address of hers."""
    message = EmailMessage()
    message["From"] = "Bluesky Support <support@bsky.app>"
    message["To"] = "owner@moth.example"
    message["Subject"] = "Fwd: Copyright complaint"
    message["Date"] = "Sat, 05 Dec 2026 18:00:00 +0900"
    message.set_content(
        "Hello,\n\nWe are forwarding the complaint below, which we received about your post.\n\n"
        "---------- Forwarded message ---------\nFrom: Lisa Park <lisa@example.com>\n"
        f"Date: Tue, Dec 1, 2026 at 10:00 AM\nSubject: Copyright\n\nYour post {POST} copies my illustration "
        f'"Night Garden". Please remove it.\n\nLisa Park\nStudio mail: {signed_with}\n'
    )
    return message.as_bytes()


@pytest.fixture
def forwarded_by_support(logged: Tracker, tmp_path: Path) -> Tracker:
    """Complaint #1: Lisa Park's mail as Bluesky's support desk forwarded it, decided (take it down), her studio
    address (which her mail signs with) recorded as the contact: the letter still greets Bluesky's team."""
    path = tmp_path / "forward.eml"
    path.write_bytes(_support_forward("lisa.park@studio.example"))
    logged("complaint", "add", "--from", path)
    logged("complaint", "decide", "1", "--action", "take_down")
    logged("complaint", "set", "1", "--contact", "lisa.park@studio.example")
    return logged


SEND_IT_BACK = (
    "this letter is addressed to Bluesky, which passed the complaint on: send it back to Bluesky (answer its "
    "message, or its form), not to lisa.park@studio.example, the complainant's contact"
)


def test_a_support_desks_forward_answered_to_the_platform_is_not_sent_to_the_complainants_address(
    forwarded_by_support: Tracker,
) -> None:
    """The letter greets the team of the platform whose support desk forwarded the mail (the platform the complaint
    records): the warning reads the notice the letter was drafted for, the platform's forward included."""
    reply = forwarded_by_support("complaint", "reply", "1")
    assert reply.stdout.startswith("Dear Bluesky team,\n"), reply.stdout
    assert f"tracker: warning: {SEND_IT_BACK}" in reply.stderr.splitlines(), reply.stderr
    assert SEND_IT_BACK in forwarded_by_support.json("complaint", "reply", "1")["warnings"]
    forwarded_by_support("complaint", "set", "1", "--contact", "lisa@example.com")  # her own: the letter is hers
    reply = forwarded_by_support("complaint", "reply", "1")
    assert reply.stdout.startswith("Dear Lisa Park,\n") and "send it back" not in reply.stderr, reply.stderr


async def test_the_reply_screen_says_the_letter_goes_back_to_the_platform(forwarded_by_support: Tracker) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await app.push_screen(ReplyScreen(1))
        await wait_for(pilot, lambda: isinstance(app.screen, ReplyScreen) and app.screen.draft is not None)
        await settled(pilot)
        assert app.screen.query_one("#reply").text.startswith("Dear Bluesky team,\n")
        warned = " ".join(str(app.screen.query_one("#reply-warnings", Static).render()).split())
        assert SEND_IT_BACK in warned, warned
