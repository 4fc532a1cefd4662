"""A message from a person, not a notice: what intake reads of it and how its letter addresses them. An informal
pixiv message saying 無断 is no formal request (no Japanese platform law, no 7-day period, no elements to lack)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from complaints.test_intake_from import POST
from complaints.test_intake_from import logged as logged  # noqa: F401  (the fixture)
from fixtures.common import Tracker

pytestmark = pytest.mark.db

INFORMAL = f"""日時: 2026年12月5日 21:10

こんばんは。{POST} の絵、私が去年描いたキャラにすごく似てるんですが、無断で使ってるなら消してもらえませんか？
"""


def _add(tracker: Tracker, tmp_path: Path, text: str, *options: str) -> dict:
    path = tmp_path / "message.txt"
    path.write_text(text, encoding="utf-8")
    tracker("complaint", "add", "--from", path, *options)
    return tracker.json("complaint", "show", "1")


def test_mudan_alone_is_no_formal_notice(logged: Tracker, tmp_path: Path) -> None:
    added = _add(logged, tmp_path, INFORMAL)
    assert added["legal_basis"] == "none", "無断 is a reproach, not a request under Japanese law"
    received, deadline = datetime.fromisoformat(added["received_at"]), datetime.fromisoformat(added["deadline_at"])
    assert deadline - received == timedelta(days=14), "no law's 7-day period: the default answer target"
    assert added["missing_elements"] == []
    logged("complaint", "decide", "1", "--action", "ask_info")
    letter = logged("complaint", "reply", "1").stdout
    assert "ご住所" not in letter and "お電話番号" not in letter, (
        "a hobbyist is not asked for a formal notice's contact"
    )


def test_a_message_naming_copyright_is_still_a_japanese_request(logged: Tracker, tmp_path: Path) -> None:
    added = _add(logged, tmp_path, INFORMAL.replace("消してもらえませんか？", "著作権侵害ですので削除してください。"))
    assert added["legal_basis"] == "jp"
