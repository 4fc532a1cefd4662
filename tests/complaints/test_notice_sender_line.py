"""A formal Japanese notice (通知書) pasted as text names its sender on a line of its own with no colon
(`通知人　山田　花子`, maybe with the seal mark after it), dates itself at its head in the era's years and writes its
numbers in full-width digits: its sender, date, deadline, posts and the complainant's work are all read."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tracker.complaints.intake import message_fields
from tracker.complaints.reading.messages import message_from_text
from tracker.platforms.urls import load_platforms, shipped_platforms_path

PLATFORMS = load_platforms(shipped_platforms_path())
POST = "https://www.pixiv.net/artworks/123456789"
WORK = "https://www.pixiv.net/artworks/98765432"


def _notice(sender_line: str) -> str:
    return f"""　　　　　　　　　　　　　　　　　　　　令和８年１２月４日

moth 殿

　　　　　　　　　　　　　　　　　　　　{sender_line}
　　　　　　　　　　　　　　　　　　　　メール hanako@example.jp

通　知　書

貴殿がpixivにおいて公開している下記画像は、通知人の著作物「春の庭」を無断で複製したものであり、通知人の著作権を侵害するものです。

記
本件画像：{POST}
通知人の著作物：{WORK}

つきましては、本書到達後七日以内に本件画像を削除されるよう求めます。
"""


def _read(text: str) -> dict[str, object]:
    return message_fields(message_from_text(text), lambda url: url == POST, None, PLATFORMS)


@pytest.mark.parametrize("line", ["通知人　山田　花子", "通知人　山田　花子　㊞", "通知人 山田 花子（印）"])
def test_a_notices_sender_line_names_the_complainant(line: str) -> None:
    found = _read(_notice(line))
    assert (found["complainant_name"], found["complainant_contact"]) == ("山田 花子", "hanako@example.jp")
    assert found["received_at"] == datetime(2026, 12, 3, 15, 0, tzinfo=UTC)  # 4 December in Japan
    assert found["deadline_at"] == datetime(2026, 12, 11, 14, 59, 59, tzinfo=UTC)  # seven days after it
    assert (found["posts"], found["claimed_urls"]) == ([POST], [WORK])


def test_their_lawyers_line_is_not_the_complainants_name() -> None:
    found = _read(_notice("通知人代理人弁護士　佐藤　一郎"))
    assert "代理人" not in str(found["complainant_name"])
