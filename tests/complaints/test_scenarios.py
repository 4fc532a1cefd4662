"""Two complaints from start to finish through the command line; their replies are the README's examples.

1. A Japanese complaint about a pixiv post, disputed as independent creation.
2. A DMCA notice sent through the platform: taken down, then disputed (a counter-notice).

The README shows both replies; this test fails when they drift apart (dates aside).
"""

from __future__ import annotations

import re
from datetime import timedelta, timezone
from pathlib import Path

import pytest
from fixtures.common import REPO, Tracker
from fixtures.imagefactory import FORGE_INFOTEXT, write_png

from tracker.support.dates import utcnow

pytestmark = pytest.mark.db

PIXIV = "https://www.pixiv.net/artworks/118000001"
TEXT_ONLY = re.sub(r'ControlNet 0: "[^"]*", ', "", FORGE_INFOTEXT)
"""Made from a text prompt alone: what an independent-creation reply says must be what the record shows."""


def _yesterday(hours: int) -> str:
    """A day before now, on a clock `hours` ahead of UTC: the reply is drafted in time, as the README's examples
    are (a fixed date made them late, with an apology the README does not show, once its deadline passed)."""
    return (utcnow() - timedelta(days=1)).astimezone(timezone(timedelta(hours=hours))).isoformat(timespec="seconds")


_DATES = re.compile(r"\d{1,2} [A-Z][a-z]+ \d{4}|\d{4}年\d{1,2}月\d{1,2}日")


def _readme_block(title: str) -> str:
    """The fenced block that follows the line `title` in the README."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    start = text.index(title)
    block = text[text.index("```text\n", start) + len("```text\n") :]
    return block[: block.index("```")]


def _same_letter(draft: str, example: str) -> None:
    assert _DATES.sub("DATE", draft) == _DATES.sub("DATE", example)


@pytest.fixture
def moth(tracker: Tracker, tmp_path: Path) -> Tracker:
    image = write_png(tmp_path / "harbour.png", {"parameters": TEXT_ONLY})
    tracker("log", image, "--url", PIXIV, "--persona", "moth")
    tracker("persona", "set", "moth", "--display-name", "Moth Atelier", "--contact", "moth.atelier@example.org")
    tracker("resource", "set", "hassakuXL_v13", "--creator", "Ikena", "--url", "https://civitai.com/models/140272")
    return tracker


def test_a_japanese_complaint_disputed_as_independent_creation(moth: Tracker) -> None:
    message = (
        "はじめまして、山田花子と申します。私のイラスト「夜の港」によく似た画像が投稿されていました。"
        f"無断転載ではないでしょうか。削除をお願いいたします。{PIXIV}"
    )
    added = moth.json(
        "complaint", "add", "--post", PIXIV, "--name", "山田 花子", "--contact", "hanako@example.jp",
        "--basis", "jp", "--work-title", "夜の港", "--message", message, "--received", _yesterday(9),
    )  # fmt: skip
    assert added["language"] == "ja" and not added["language_set"]
    moth(
        "complaint", "decide", str(added["id"]), "--action", "dispute", "--reason", "independent_creation",
        "--notes", "Her picture went up two weeks after mine.",
        "--reply-note", "該当の画像は、ご作品が公開される2週間前に投稿したものです。",
    )  # fmt: skip
    draft = moth.json("complaint", "reply", str(added["id"]))
    assert draft["kind"] == "dispute" and draft["language"] == "ja" and draft["fill_in"] == []
    assert "two weeks" not in draft["text"]
    _same_letter(draft["text"], _readme_block("A Japanese complaint about a pixiv post, disputed as independent"))
    moth("complaint", "reply", str(added["id"]), "--answered")
    assert moth.json("complaint", "show", str(added["id"]))["status"] == "answered"
    assert moth.json("posts")[0]["status"] == "live"


def test_a_dmca_notice_taken_down_then_disputed(moth: Tracker) -> None:
    added = moth.json(
        "complaint", "add", "--post", PIXIV, "--channel", "platform_form", "--platform", "pixiv",
        "--ticket", "DMCA-2026-0412", "--basis", "dmca", "--name", "Harbor Lights Studio LLC",
        "--work-title", "Night Harbor", "--element", "signature", "--element", "work", "--element", "good_faith",
        "--element", "accuracy", "--contact", "legal@harborlights.example", "--received", _yesterday(0),
        "--message", "We are the copyright owner of Night Harbor. Please remove the infringing copy.",
    )  # fmt: skip
    number = str(added["id"])
    assert added["missing_elements"] == [] and added["language"] == "en"
    moth("complaint", "decide", number, "--action", "take_down", "--notes", "Pixiv already hid it.")
    assert moth.json("posts")[0]["status"] == "live", "not removed until confirmed"
    moth("complaint", "confirm", number)
    assert moth.json("posts")[0]["status"] == "taken_down"
    moth("complaint", "reply", number, "--answered")
    moth("complaint", "decide", number, "--action", "dispute", "--reason", "independent_creation")
    assert moth.json("posts")[0]["status"] == "taken_down", "down on pixiv until it acts on the counter-notice"
    draft = moth.json("complaint", "reply", number)
    assert draft["kind"] == "counter_notice" and draft["language"] == "en"
    assert len(draft["fill_in"]) == 4 and "Pixiv already hid it" not in draft["text"]
    _same_letter(draft["text"], _readme_block("A DMCA notice sent through pixiv: taken down, then disputed"))
