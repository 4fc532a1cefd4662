"""A header in raw bytes, as older Japanese mailers send it (ISO-2022-JP not MIME-encoded, or 8-bit text): read as
text, never shown as `\\x1b$B...`; an escape that is no Japanese text stays escaped where it is shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker

from tracker.complaints.reading.messages import read_message

pytestmark = pytest.mark.usefixtures("tokyo_time")  # local time is Japan's (conftest)

BODY = "月影アトリエ様\n山本健と申します。https://www.pixiv.net/artworks/131000001 は私の写真の無断使用です。削除してください。\n"


def raw_mail(sender: bytes, subject: bytes, charset: str, body: bytes) -> bytes:
    return (
        b"From: " + sender + b" <ken@example.jp>\r\nSubject: " + subject + b"\r\n"
        b"Date: Sun, 6 Dec 2026 08:00:00 +0900\r\nContent-Type: text/plain; charset=" + charset.encode() + b"\r\n\r\n"
        + body
    )  # fmt: skip


@pytest.mark.parametrize("charset", ["ISO-2022-JP", "Shift_JIS", "EUC-JP", "UTF-8"])
def test_a_raw_header_is_read_in_the_bodys_charset_or_guessed(tmp_path: Path, charset: str) -> None:
    codec = {"ISO-2022-JP": "iso2022_jp", "Shift_JIS": "cp932", "EUC-JP": "euc_jp", "UTF-8": "utf-8"}[charset]
    path = tmp_path / "raw.eml"
    path.write_bytes(raw_mail("山本 健".encode(codec), "写真の無断使用".encode(codec), charset, BODY.encode(codec)))
    found = read_message(path)
    assert (found.subject, found.sender_name, found.sender_contact) == ("写真の無断使用", "山本 健", "ken@example.jp")


def test_a_raw_iso_2022_jp_subject_shows_as_text_and_other_escapes_stay_escaped(
    tracker: Tracker, tmp_path: Path
) -> None:
    path = tmp_path / "raw.eml"
    path.write_bytes(raw_mail("山本 健".encode("iso2022_jp"), "写真の無断使用".encode("iso2022_jp"), "ISO-2022-JP",
                              BODY.encode("iso2022_jp")))  # fmt: skip
    tracker("complaint", "add", "--from", path)
    shown = tracker("complaint", "show", "1").stdout
    assert "Subject: 写真の無断使用" in shown and "\\x1b" not in shown and "\x1b" not in shown
    assert tracker.json("complaint", "show", "1")["complainant_name"] == "山本 健"
    hostile = tmp_path / "hostile.eml"
    hostile.write_bytes(raw_mail(b"Ken", b"\x1b[31mred\x1b[0m notice", "UTF-8", b"Please remove it."))
    tracker("complaint", "add", "--from", hostile)
    shown = tracker("complaint", "show", "2").stdout
    assert "\x1b" not in shown and "red" in shown, "a terminal escape in a header is never sent to the terminal"
