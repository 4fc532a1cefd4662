"""A dispute answers someone who only asked the owner to check a post as well as someone who asked for its removal:
the letter says the owner judged the post not to infringe and keeps it as it is, never that a request is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing

pytestmark = pytest.mark.db

POST = "https://www.pixiv.net/artworks/120000001"
WORK = ("--work-url", "https://example.jp/their-work")


@pytest.fixture
def moth(tracker: Tracker, tmp_path: Path) -> Tracker:
    drawing(3).save(tmp_path / "scene.png")
    tracker("log", tmp_path / "scene.png", "--url", POST, "--persona", "moth")
    tracker("persona", "set", "moth", "--display-name", "Moth Atelier")
    return tracker


def _letter(tracker: Tracker, *sender: str, lang: str, reason: str = "slight_resemblance") -> str:
    number = tracker.json("complaint", "add", "--post", POST, *sender, *WORK, "--lang", lang)["id"]
    tracker("complaint", "decide", str(number), "--action", "dispute", "--reason", reason)
    return str(tracker.json("complaint", "reply", str(number))["text"])


@pytest.mark.parametrize(
    ("sender", "work"),
    [
        (("--name", "鈴木", "--message", "こちらの投稿が私のイラストに似ている気がします。確認していただけると嬉しいです。"), "ご作品"),
        (("--name", "山田", "--org", "株式会社サンプル", "--message", "弊社のイラストとの類似について、ご確認をお願いいたします。"), "貴社の作品"),
    ],
    ids=["individual", "company"],
)  # fmt: skip
def test_the_japanese_dispute_refuses_no_request_nobody_made(moth: Tracker, sender: tuple[str, ...], work: str) -> None:
    letter = _letter(moth, *sender, lang="ja")
    assert "ご依頼" not in letter and "応じかねます" not in letter, letter
    said = (
        f"以上のことから、該当の投稿は{work}の権利を侵害するものではないと判断いたしました。"
        "誠に恐れ入りますが、投稿はこのまま掲載を継続いたします。"
    )
    assert said in letter, letter


@pytest.mark.parametrize("reason", ["slight_resemblance", "small_part", "other"])
def test_the_english_dispute_keeps_the_post_up_without_refusing_a_request(moth: Tracker, reason: str) -> None:
    message = ("--name", "Sam Lee", "--message", "This post looks a lot like my drawing. Could you take a look?")
    letter = _letter(moth, *message, lang="en", reason=reason)
    assert "I am therefore keeping the post up as it is." in letter and "not removing" not in letter, letter
