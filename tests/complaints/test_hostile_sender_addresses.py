"""A sender's address run together with control characters (an escape sequence in a From line) is no address
anyone can be answered at: it is kept with them shown as escapes, never cut down to the plausible other address
its tail spells (`x\\x1b[2Jy@example.org` is not `2Jy@example.org`, which someone else may own)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker

from tracker.complaints.reading.messages import message_from_text, read_message

POST = "https://www.pixiv.net/artworks/123456789"
HOSTILE = "x\x1b[2Jy@example.org"
SHOWN = "x\\x1b[2Jy@example.org"


def _mail(sender: str) -> bytes:
    return (
        f"From: {sender}\nTo: moth.contact@example.com\nSubject: copyright\n"
        "Date: Mon, 07 Dec 2026 01:00:00 +0000\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n"
        f"Hello, my name is Sam Reed. Your post {POST} copies my work. Please remove it.\n"
    ).encode()


@pytest.mark.parametrize(
    "sender",
    [f"[bold red]Admin[/bold red] <{HOSTILE}>", f"Admin <{HOSTILE}>", HOSTILE, "Admin <x\x07y@example.org>"],
)
def test_a_from_address_with_control_characters_is_shown_escaped(tmp_path: Path, sender: str) -> None:
    path = tmp_path / "m.eml"
    path.write_bytes(_mail(sender))
    read = read_message(path)
    assert read.sender_contact is not None and "\\x" in read.sender_contact, read.sender_contact
    assert "\x1b" not in read.sender_contact and "\x07" not in read.sender_contact
    assert read.sender_contact not in ("2Jy@example.org", "y@example.org", "xy@example.org")
    assert read.sender_contact.endswith("y@example.org") and read.sender_contact.startswith("x\\x")


def test_a_well_formed_from_address_is_read_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "m.eml"
    path.write_bytes(_mail("Lisa Park <lisa.park@example.com>"))
    assert read_message(path).sender_contact == "lisa.park@example.com"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (f"From: Admin <{HOSTILE}>\nDate: 2026-12-07 10:00\n\nYour post {POST} copies my work.\n", "Admin"),
        (f"差出人: 管理者 <{HOSTILE}>\n\n{POST} は私の作品の無断転載です。\n", "管理者"),
        (f"Your post {POST} copies my work. Write to me at {HOSTILE} please.\n", None),
    ],
)
def test_a_pasted_address_with_control_characters_is_shown_escaped(text: str, name: str | None) -> None:
    read = message_from_text(text)
    assert read.sender_contact == SHOWN
    assert read.sender_name == name  # not `Admin <x` with the address's head


def test_a_forwarded_senders_address_with_control_characters_is_shown_escaped() -> None:
    text = (
        "fyi\n\n---------- Forwarded message ---------\n"
        f"From: Admin <{HOSTILE}>\nDate: Mon, Dec 7, 2026 at 10:00 AM\nSubject: copyright\n"
        "To: <moth.contact@example.com>\n\n"
        f"Your post {POST} copies my work. Please remove it.\n"
    )
    from tracker.complaints.reading.forward_blocks import forward_block

    block = forward_block(text)
    assert block is not None and block.sender_address == SHOWN and block.sender_name == "Admin"


@pytest.mark.db
def test_complaint_add_keeps_the_hostile_address_visible_not_another(tracker: Tracker, tmp_path: Path) -> None:
    """`complaint add --from` shows and keeps the address escaped (the escape sequence neither clears the screen
    nor is dropped to leave `xy@example.org`), so the owner sees it is no address to answer at."""
    path = tmp_path / "m.eml"
    path.write_bytes(_mail(f"[bold red]Admin[/bold red] <{HOSTILE}>"))
    result = tracker("complaint", "add", "--from", path)
    assert "\x1b" not in result.output and f"contact    {SHOWN}" in result.stdout, result.stdout
    shown = tracker.json("complaint", "show", "1")
    assert shown["complainant_contact"] == SHOWN


@pytest.mark.parametrize(
    ("headers", "body_contact", "contact"),
    [
        (f"From: Sam Reed <sam@example.org>\nReply-To: <{HOSTILE}>", "", "sam@example.org"),
        (f"From: Sam Reed <{HOSTILE}>", "\nSam Reed\nsam.reed@example.org", "sam.reed@example.org"),
    ],
)
def test_an_address_that_takes_answers_wins_over_an_escaped_one(
    tmp_path: Path, headers: str, body_contact: str, contact: str
) -> None:
    path = tmp_path / "m.eml"
    path.write_text(
        f"{headers}\nTo: moth.contact@example.com\nSubject: copyright\nDate: Mon, 07 Dec 2026 01:00:00 +0000\n\n"
        f"Hello, your post {POST} copies my work. Please remove it.\n{body_contact}\n",
        encoding="utf-8",
    )
    assert read_message(path).sender_contact == contact
