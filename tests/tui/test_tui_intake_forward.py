"""The New complaint form reads a complaint the owner forwarded to themselves as `complaint add --from` does.

Persona moth's contact is the owner's address. A complaint forwarded from it (Thunderbird in Japanese) fills in
the person who wrote it, their address and when they sent it; a mail from the owner's address that forwards nothing
fills in no one and says so in the read's one line. A work named 弊社の著作物「…」 fills in the work's title.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing
from fixtures.tui import make_app, settled
from textual.widgets import Input, Static

from tracker.tui.app import TrackerApp
from tracker.tui.screens.intake import IntakeScreen

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("tokyo_time")]  # local time is Japan's (tests/conftest.py)

NOW = datetime(2026, 12, 8, 1, 0, tzinfo=UTC)
OWNER = "owner@moth.example"
POST = "https://www.pixiv.net/artworks/131000001"
FORWARD = (
    "\n-------- 転送メッセージ --------\n件名: 作品の無断使用について\n日付: Sun, 6 Dec 2026 22:10:00 +0900\n"
    f"差出人: 佐藤 美咲 <misaki@example.jp>\n宛先: {OWNER}\n\nムーンライト様\n\n佐藤美咲と申します。\n"
    f"{POST} は、弊社の著作物「月夜の畑」の無断転載です。削除してください。\n\n佐藤 美咲\n"
)


def owner_mail(path: Path, body: str) -> Path:
    message = EmailMessage()
    message["From"] = f"Moth <{OWNER}>"
    message["To"] = OWNER
    message["Subject"] = "Fwd: 作品の無断使用について"
    message["Date"] = "Mon, 07 Dec 2026 23:30:00 +0900"
    message.set_content(body, charset="iso-2022-jp")
    path.write_bytes(message.as_bytes())
    return path


@pytest.fixture
def owner(tracker: Tracker, tmp_path: Path) -> Tracker:
    image = tmp_path / "scene.png"
    drawing(1).save(image)
    tracker("log", image, "--url", POST, "--persona", "moth")
    tracker("persona", "set", "moth", "--contact", OWNER)
    return tracker


async def read(app: TrackerApp, pilot: Any, path: Path) -> IntakeScreen:
    await settled(pilot)
    await pilot.press("n")
    await settled(pilot)
    form = app.screen
    assert isinstance(form, IntakeScreen)
    form.query_one("#from-file", Input).value = str(path)
    await pilot.press("ctrl+r")
    await settled(pilot)
    return form


def value(form: IntakeScreen, widget_id: str) -> str:
    return form.query_one(f"#{widget_id}", Input).value


@pytest.mark.usefixtures("owner")
async def test_a_forwarded_complaint_fills_in_who_wrote_it(tmp_path: Path) -> None:
    path = owner_mail(tmp_path / "forward.eml", FORWARD)
    app = make_app(NOW)
    async with app.run_test(size=(100, 40)) as pilot:
        form = await read(app, pilot, path)
        assert (value(form, "name"), value(form, "contact")) == ("佐藤 美咲", "misaki@example.jp")
        assert value(form, "received") == "2026-12-06T22:10:00+09:00", "when she sent it"
        assert value(form, "posts") == POST
        assert value(form, "work-title") == "月夜の畑", "弊社の著作物「…」 names the work"


@pytest.mark.usefixtures("owner")
async def test_a_mail_from_the_owners_address_forwarding_nothing_fills_in_no_one(tmp_path: Path) -> None:
    path = owner_mail(tmp_path / "memo.eml", f"電話で苦情がありました: {POST}")
    app = make_app(NOW)
    async with app.run_test(size=(100, 40)) as pilot:
        form = await read(app, pilot, path)
        assert (value(form, "name"), value(form, "contact")) == ("", "")
        said = str(form.query_one("#from-file-status", Static).render())
        assert f"Sent from your own address ({OWNER})" in said and "fill in who they are" in said, said
