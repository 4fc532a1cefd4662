"""The owner forwards a complaint from Outlook, which sends HTML only and writes no "Forwarded message" line: its
header block (`From:` / `Sent:` / `To:` / `Subject:`, `差出人:` / `送信日時:` / `宛先:` / `件名:`) in bold labels
with line breaks (new Outlook, over a rule), in a paragraph under a top border (Outlook for Windows), or as a table.
The complaint is the forwarded message: its writer, their address, its date and its words, never the owner."""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import pytest

from tracker.complaints.intake import message_fields
from tracker.complaints.reading.messages import read_message

OWNER = "owner@moth.example"
POST = "https://www.pixiv.net/artworks/131000001"
EN_BODY = (
    f'<p>Hello, I am Lisa Park. Your post <a href="{POST}">{POST}</a> copies my illustration '
    "&quot;Night Garden&quot;. Please remove it.</p><p>Lisa Park</p>"
)
NEW_OUTLOOK = (
    '<div style="font-family: Aptos">FYI</div><div id="appendonsend"></div>'
    '<hr style="display:inline-block;width:98%" tabindex="-1">'
    '<div id="divRplyFwdMsg" dir="ltr"><font face="Calibri, sans-serif" style="font-size:11pt">'
    "<b>From:</b> Lisa Park &lt;lisa@example.com&gt;<br>\n<b>Sent:</b> Saturday, December 5, 2026 10:00 AM<br>\n"
    f"<b>To:</b> Moth &lt;{OWNER}&gt;<br>\n<b>Subject:</b> Copyright</font><div>&nbsp;</div></div>" + EN_BODY
)
CLASSIC_OUTLOOK = (
    '<div class="WordSection1"><p class="MsoNormal">&nbsp;</p>'
    '<div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm">'
    '<p class="MsoNormal"><b>From:</b> Lisa Park &lt;lisa@example.com&gt; <br><b>Sent:</b> Saturday, December 5, '
    f"2026 10:00 AM<br><b>To:</b> {OWNER}<br><b>Subject:</b> Copyright</p></div>"
    '<p class="MsoNormal">&nbsp;</p>' + EN_BODY + "</div>"
)
TABLE_JA = (
    "<p>転送します。</p><table><tr><td><b>差出人:</b></td><td>佐藤 美咲 &lt;misaki@example.jp&gt;</td></tr>"
    "<tr><td><b>送信日時:</b></td><td>2026年12月6日 22:10</td></tr>"
    f"<tr><td><b>宛先:</b></td><td>{OWNER}</td></tr><tr><td><b>件名:</b></td><td>作品の無断使用について</td></tr>"
    f"</table><p>ムーンライト様</p><p>佐藤美咲と申します。<br>{POST} は、私のイラスト「夏の灯」の無断転載です。"
    "<br>削除してください。</p><p>佐藤 美咲</p>"
)


def _forward(tmp_path: Path, html: str) -> Path:
    message = EmailMessage()
    message["From"] = f"Moth <{OWNER}>"
    message["To"] = OWNER
    message["Subject"] = "FW: Copyright"
    message["Date"] = "Mon, 07 Dec 2026 23:30:00 +0900"
    message.set_content(f"<html><body>{html}</body></html>", subtype="html")
    path = tmp_path / "forward.eml"
    path.write_bytes(message.as_bytes())
    return path


@pytest.mark.parametrize(
    "html", [NEW_OUTLOOK, CLASSIC_OUTLOOK, NEW_OUTLOOK.replace("FYI", "")], ids=["new", "classic", "no-note"]
)
def test_an_outlook_html_forward_is_the_message_it_forwards(tmp_path: Path, html: str) -> None:
    found = message_fields(read_message(_forward(tmp_path, html)), lambda url: url == POST, own={OWNER})
    assert (found["complainant_name"], found["complainant_contact"]) == ("Lisa Park", "lisa@example.com")
    assert found["posts"] == [POST]
    assert found["own_sender"] is None
    assert found["message"].startswith("Subject: Copyright\n\nHello, I am Lisa Park.")


def test_an_outlook_html_forward_in_japanese_as_a_table(tmp_path: Path) -> None:
    found = message_fields(read_message(_forward(tmp_path, TABLE_JA)), lambda url: url == POST, own={OWNER})
    assert (found["complainant_name"], found["complainant_contact"]) == ("佐藤 美咲", "misaki@example.jp")
    assert found["received_at"] == datetime(2026, 12, 6, 13, 10, tzinfo=UTC)  # 22:10 in Japan
    assert found["posts"] == [POST]
