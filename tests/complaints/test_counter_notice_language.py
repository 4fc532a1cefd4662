"""A counter letter goes to the platform's team, not to the complainant: in the language that team works in.

A Japanese complaint answered in Japanese (`--lang ja`) whose post X removed is disputed with a counter-notice to X's
designated agent, whose team works in English: the draft is in English, and the owner is told why and how to have
it in Japanese anyway (`complaint reply N --lang ja`). pixiv's team works in Japanese: its counter-notice stays so.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import A1111_INFOTEXT, pixels, write_png

pytestmark = pytest.mark.db

X_POST = "https://x.com/moth_makes/status/1800000000000000009"
PIXIV_POST = "https://www.pixiv.net/artworks/802"
MESSAGE = "私のイラストを無断で使用した画像が投稿されています。削除をお願いいたします。"


def _counter_notice(tracker: Tracker, tmp_path: Path, url: str, platform: str) -> str:
    """A Japanese DMCA complaint (answered in Japanese) on a post of `platform` it removed, disputed."""
    picture = write_png(tmp_path / f"{platform}.png", {"parameters": A1111_INFOTEXT}, image=pixels(seed=5))
    tracker("log", picture, "--url", url, "--persona", "moth")
    tracker("persona", "set", "moth", "--display-name", "Moth Atelier", "--contact", "moth@example.org")
    number = str(
        tracker.json(
            "complaint", "add", "--post", url, "--basis", "dmca", "--platform", platform, "--lang", "ja",
            "--name", "佐藤 花", "--message", MESSAGE, "--received", "2026-12-05",
        )["id"]
    )  # fmt: skip
    tracker("post", "set", url, "--status", "taken_down")
    tracker("complaint", "decide", number, "--action", "dispute", "--reason", "other")
    return number


def test_a_counter_notice_to_x_is_drafted_in_english_and_says_why(tracker: Tracker, tmp_path: Path) -> None:
    number = _counter_notice(tracker, tmp_path, X_POST, "x")
    draft: dict[str, Any] = tracker.json("complaint", "reply", number)
    assert draft["kind"] == "counter_notice" and draft["language"] == "en"
    assert draft["text"].startswith("Counter-notification under 17 U.S.C. § 512(g)(3)\n\nTo: X (designated agent")
    assert "Regarding: the notice of 5 December 2026 sent by 佐藤 花\n" in draft["text"]
    said = [w for w in draft["warnings"] if "works in English" in w]
    assert said == [
        "this counter-notice goes to X's team, which works in English: drafted in English, though this complaint is "
        "answered in Japanese (X forwards it to the complainant as it is); ask for it in Japanese to have it so "
        f"(tracker complaint reply {number} --lang ja)"
    ]
    shown = tracker("complaint", "reply", number)
    assert "works in English" in shown.stderr and "works in English" not in shown.stdout, "for the owner only"


def test_the_owner_who_insists_gets_it_in_japanese(tracker: Tracker, tmp_path: Path) -> None:
    number = _counter_notice(tracker, tmp_path, X_POST, "x")
    draft: dict[str, Any] = tracker.json("complaint", "reply", number, "--lang", "ja")
    assert draft["language"] == "ja" and draft["text"].startswith("米国著作権法第512条(g)(3)に基づく異議申立通知")
    assert not [w for w in draft["warnings"] if "works in English" in w]
    again: dict[str, Any] = tracker.json("complaint", "reply", number)
    assert again["language"] == "en", "asked for one draft: the complaint's language is unchanged"


def test_a_counter_notice_to_pixiv_stays_in_japanese(tracker: Tracker, tmp_path: Path) -> None:
    number = _counter_notice(tracker, tmp_path, PIXIV_POST, "pixiv")
    draft: dict[str, Any] = tracker.json("complaint", "reply", number)
    assert draft["kind"] == "counter_notice" and draft["language"] == "ja"
    assert "宛先：pixivの指定代理人" in draft["text"]
    assert not [w for w in draft["warnings"] if "works in English" in w]


def test_a_letter_to_the_complainant_keeps_their_language(tracker: Tracker, tmp_path: Path) -> None:
    """Only the counter letter goes to X's team: a dispute of a post still up goes to the complainant, in Japanese."""
    number = _counter_notice(tracker, tmp_path, X_POST, "x")
    tracker("post", "set", X_POST, "--status", "live")
    draft: dict[str, Any] = tracker.json("complaint", "reply", number)
    assert draft["kind"] == "dispute" and draft["language"] == "ja"


def test_a_language_it_has_no_letters_in_is_refused_in_one_line(tracker: Tracker, tmp_path: Path) -> None:
    number = _counter_notice(tracker, tmp_path, X_POST, "x")
    refused = tracker("complaint", "reply", number, "--lang", "fr", ok=False)
    assert refused.exit_code != 0 and "unknown language 'fr' (one of: ja, en)" in refused.stderr
    assert "Traceback" not in refused.output


def test_a_dsa_counter_statement_to_bluesky_is_in_english_and_promises_no_forwarding(
    tracker: Tracker, tmp_path: Path
) -> None:
    url = "https://bsky.app/profile/moth.bsky.social/post/3kmothpost"
    picture = write_png(tmp_path / "b.png", {"parameters": A1111_INFOTEXT}, image=pixels(seed=6))
    tracker("log", picture, "--url", url, "--persona", "moth")
    number = str(
        tracker.json(
            "complaint", "add", "--post", url, "--basis", "dsa", "--platform", "bluesky", "--lang", "ja",
            "--name", "佐藤 花", "--message", MESSAGE,
        )["id"]
    )  # fmt: skip
    tracker("post", "set", url, "--status", "taken_down")
    tracker("complaint", "decide", number, "--action", "dispute", "--reason", "other")
    draft: dict[str, Any] = tracker.json("complaint", "reply", number)
    assert draft["kind"] == "counter_statement" and draft["language"] == "en"
    assert draft["text"].startswith("Complaint against a decision under Article 20 of the Digital Services Act")
    said = [w for w in draft["warnings"] if "works in English" in w]
    assert said and said[0].startswith("this counter-statement goes to Bluesky's team") and "forwards" not in said[0]


REASONS = ("slight_resemblance", "small_part", "independent_creation", "licensed_input", "not_my_post", "other")
_PLAIN_NEGATIVE = re.compile(r"(?<!ござい)(?<!おり)(?<!いたし)(?<!構い)ません")
"""A plain 「ません」 (「ありません」「使用していません」) beside the letter's 「違反しておりません」「宣誓いたします」;
「構いません」 is the owner's own note in a blank to fill in."""


def _counter_letters(tracker: Tracker, number: str) -> dict[str, str]:
    """The Japanese counter letter of complaint `number` disputed for each reason."""
    letters = {}
    for reason in REASONS:
        tracker("complaint", "decide", number, "--action", "dispute", "--reason", reason, "--despite-record")
        letters[reason] = tracker.json("complaint", "reply", number, "--lang", "ja")["text"]
    return letters


def test_a_japanese_counter_notice_gives_its_reasons_in_one_business_register(tracker: Tracker, tmp_path: Path) -> None:
    """The reasons said 「使用したこともありません」「使用していません」 and the promise 「送達を受け入れます」 in a letter
    that swears 「宣誓いたします」: every reason now reads as the letter does (「ございません」「おりません」), same meaning."""
    number = _counter_notice(tracker, tmp_path, PIXIV_POST, "pixiv")
    letters = _counter_letters(tracker, number)
    for reason, text in letters.items():
        assert text.startswith("米国著作権法第512条(g)(3)に基づく異議申立通知"), text[:60]
        assert not _PLAIN_NEGATIVE.findall(text), (reason, text)
        assert "訴状の送達をお受けいたします。" in text
    assert "申立人の作品は使用しておりません。" in letters["licensed_input"]


def test_a_japanese_dsa_counter_statement_gives_its_reasons_as_it_closes(tracker: Tracker, tmp_path: Path) -> None:
    """「…再現したものではありません。」 then 「…貴社の利用規約にも違反しておりません。」: now 「ございません」 before it."""
    picture = write_png(tmp_path / "dsa.png", {"parameters": A1111_INFOTEXT}, image=pixels(seed=5))
    tracker("log", picture, "--url", PIXIV_POST, "--persona", "moth")
    cmd = ["complaint", "add", "--post", PIXIV_POST, "--platform", "pixiv", "--channel", "platform_form"]
    number = str(tracker.json(*cmd, "--basis", "dsa", "--name", "Anna Schmidt", "--lang", "ja")["id"])
    tracker("complaint", "decide", number, "--action", "take_down")
    tracker("complaint", "confirm", number)
    tracker("complaint", "reply", number, "--answered")
    letters = _counter_letters(tracker, number)
    for reason, text in letters.items():
        assert text.startswith("EUデジタルサービス法（DSA）第20条に基づく決定への異議申立て"), text[:60]
        assert not _PLAIN_NEGATIVE.findall(text), (reason, text)
        assert "貴社の利用規約にも違反しておりません。" in text
    assert "その部分も創作的な表現にあたるものではございません。" in letters["small_part"]
    assert "通知で特定されたコンテンツではございません。" in letters["not_my_post"]
