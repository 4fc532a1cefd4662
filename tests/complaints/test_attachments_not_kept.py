"""An attachment that arrived with a complaint and was not kept stays in its record, not only in the output
of `complaint add`: `complaint show` (text and JSON) and the TUI's complaint summary name it."""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import pytest
from fixtures import mail
from fixtures.common import Tracker
from fixtures.imagefactory import FORGE_INFOTEXT, write_png

pytestmark = pytest.mark.db  # a column of its own (revision 0017): on PostgreSQL too

POST = "https://www.pixiv.net/artworks/123456"


def _mail(tmp_path: Path) -> Path:
    message = EmailMessage()
    message["From"] = "Jane Doe <jane@example.com>"
    message["Date"] = "Tue, 01 Dec 2026 09:30:00 +0000"
    message.set_content(f"Please take down {POST}\n")
    message.add_attachment(mail.png_bytes()[:-60], maintype="image", subtype="png", filename="evidence.png")
    message.add_attachment(b"%PDF-1.4 proof", maintype="application", subtype="pdf", filename="proof.pdf")
    path = tmp_path / "trunc_att.eml"
    path.write_bytes(message.as_bytes())
    return path


def test_show_names_the_attachments_that_were_not_kept(tracker: Tracker, tmp_path: Path, isolated_env: Path) -> None:
    tracker("log", write_png(tmp_path / "a.png", {"parameters": FORGE_INFOTEXT}), "--url", POST, "--persona", "moth")
    added = tracker("complaint", "add", "--from", _mail(tmp_path)).stdout
    assert "not kept   proof.pdf (not an image), evidence.png (damaged or truncated image)" in added
    shown = tracker("complaint", "show", "1").stdout
    assert "  not kept   proof.pdf (not an image): attached to the message; save it from there yourself\n" in shown
    assert (
        "  not kept   evidence.png (damaged or truncated image): attached to the message; save it from there" in shown
    )
    assert tracker.json("complaint", "show", "1")["attachments_not_kept"] == [
        "proof.pdf (not an image)",
        "evidence.png (damaged or truncated image)",
    ]

    from tracker.db.models import Complaint
    from tracker.db.session import open_database
    from tracker.support.settings import load_settings
    from tracker.tui.triage_text import complaint_text

    factory = open_database(load_settings())
    with factory() as session:
        complaint = session.get(Complaint, 1)
        assert complaint is not None
        summary = complaint_text(complaint, datetime(2026, 12, 2, tzinfo=UTC), []).plain
    assert "\nnot kept: proof.pdf (not an image)\nnot kept: evidence.png (damaged or truncated image)\n" in summary


def test_a_picture_too_large_is_said_so_not_called_damaged(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    """A picture of 60000x60000 pixels (a decompression bomb, or a scan far too large) was a 'damaged or truncated
    image': the owner would ask the complainant for another copy of one that is neither."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    huge = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 60000, 60000, 8, 0, 0, 0, 0))
    huge += chunk(b"IDAT", zlib.compress(b"\x00" * 1000)) + chunk(b"IEND", b"")
    tracker("log", write_png(tmp_path / "a.png", {"parameters": FORGE_INFOTEXT}), "--url", POST, "--persona", "moth")
    message = EmailMessage()
    message["From"] = "Jane Doe <jane@example.com>"
    message.set_content(f"Please take down {POST}\n")
    message.add_attachment(huge, maintype="image", subtype="png", filename="scan.png")
    (tmp_path / "m.eml").write_bytes(message.as_bytes())
    tracker("complaint", "add", "--from", tmp_path / "m.eml")
    assert tracker.json("complaint", "show", "1")["attachments_not_kept"] == [
        "scan.png (too large an image to read safely)"
    ]


def test_a_complaint_with_every_attachment_kept_says_nothing_of_it(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    tracker("log", write_png(tmp_path / "a.png", {"parameters": FORGE_INFOTEXT}), "--url", POST, "--persona", "moth")
    tracker("complaint", "add", "--post", "1", "--name", "Jane", "--message", "Please take it down")
    assert "not kept" not in tracker("complaint", "show", "1").stdout
    assert tracker.json("complaint", "show", "1")["attachments_not_kept"] == []


async def test_the_tui_form_keeps_the_same_record_of_them(
    tracker: Tracker, tmp_path: Path, isolated_env: Path, tokyo_time: None
) -> None:
    from fixtures.tui import make_app, settled, wait_for
    from textual.widgets import Input

    from tracker.tui.screens.intake import IntakeScreen
    from tracker.tui.screens.triage import TriageScreen

    tracker("log", write_png(tmp_path / "a.png", {"parameters": FORGE_INFOTEXT}), "--url", POST, "--persona", "moth")
    app = make_app(datetime(2026, 12, 2, tzinfo=UTC))
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await pilot.press("n")
        await settled(pilot)
        form = app.screen
        assert isinstance(form, IntakeScreen)
        form.query_one("#from-file", Input).value = str(_mail(tmp_path))
        await pilot.press("ctrl+r")
        await settled(pilot)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, TriageScreen))
        await settled(pilot)
    assert tracker.json("complaint", "show", "1")["attachments_not_kept"] == [
        "proof.pdf (not an image)",
        "evidence.png (damaged or truncated image)",
    ]
