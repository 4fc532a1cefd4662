"""The letter to a platform that passes a notice on in a summary (X's copyright mail): what its message does not
show is in the notice the platform received whole, so an invalid or ask_info letter asks the platform for a copy of
the complete notice, in English and in Japanese, and never tells it the notice lacks a signature. A complainant's
own incomplete notice keeps its letter."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from complaints.test_intake_real_messages import X_NOTICE, X_POST, _write
from complaints.test_intake_real_messages import logged as logged  # noqa: F401  (the fixture)
from fixtures.common import Tracker

pytestmark = pytest.mark.db


def _reply(tracker: Tracker, action: str, lang: str) -> dict[str, Any]:
    tracker("complaint", "set", "1", "--lang", lang)
    tracker("complaint", "decide", "1", "--action", action)
    reply: dict[str, Any] = tracker.json("complaint", "reply", "1")
    return reply


@pytest.mark.parametrize("action", ["invalid", "ask_info"])
def test_a_letter_to_x_asks_it_for_the_whole_notice(logged: Tracker, tmp_path: Path, action: str) -> None:
    logged("complaint", "add", "--from", _write(tmp_path, "x.eml", X_NOTICE))
    reply = _reply(logged, action, "en")
    text = reply["text"]
    assert text.startswith("Dear X team,") and X_POST in text
    assert "Could you please send me a copy of the complete complaint as you received it" in text, text
    assert "Your message sums up the complaint it passes on, and I cannot see in it the following" in text
    assert "- the complainant's physical or electronic signature (or their agent's)" in text
    # never "your notice lacks", nor asks X to get from the complainant what X holds
    for said in ("does not contain these", "cannot act on it", "send a complete notice", "ask them for it"):
        assert said not in text, said
    assert any("asks the platform for a copy of the whole notice" in w for w in reply["warnings"])
    assert reply["subject"] == "Your message of 7 December 2026 (case 0123456789): a question before I act on it"


@pytest.mark.parametrize("action", ["invalid", "ask_info"])
def test_the_japanese_letter_to_x_asks_for_the_whole_notice_politely(
    logged: Tracker, tmp_path: Path, action: str
) -> None:
    logged("complaint", "add", "--from", _write(tmp_path, "x.eml", X_NOTICE))
    reply = _reply(logged, action, "ja")
    text = reply["text"]
    assert text.startswith("X（旧Twitter） ご担当者様")
    assert "お知らせいただいた内容はお申し立ての要旨かと存じますが" in text, text
    assert (
        "貴社にて受け付けられたお申し立ての全文の写し（全文のご提供が難しい場合は、上記の事項が記載された部分）をお送りいただけますでしょうか。"
        in text
    )
    # the elements are the complainant's: 「ご本人」「ご自身」 would mean X's team, who reads it
    assert "・申立人またはその代理人の署名（電子署名でも可）" in text
    assert "申立人が権利者または権利者の代理権を有する者であること" in text
    for said in ("ご本人", "ご自身", "含まれておりませんでした", "対応いたしかねます", "申立人にご確認"):
        assert said not in text, said
    assert reply["subject"].endswith("について（ご確認のお願い）")


def test_a_complainants_own_incomplete_notice_keeps_its_letter(logged: Tracker, tmp_path: Path) -> None:
    message = (
        "From: Lena Park <lena@example.com>\nSubject: DMCA notice\nDate: Sat, 05 Dec 2026 10:00:00 +0000\n\n"
        f"This is a DMCA notice. Your post {X_POST} copies my drawing https://lena.example.com/harbour.\n"
        "Lena Park\n"
    )
    logged("complaint", "add", "--from", _write(tmp_path, "own.eml", message))
    text = _reply(logged, "invalid", "en")["text"]
    assert "must contain all of the following, and yours does not contain these:" in text
    assert "- a statement that you believe in good faith" in text
    assert "copy of the complete complaint" not in text
    japanese = _reply(logged, "invalid", "ja")["text"]
    assert "以下の事項がいただいたご連絡に含まれておりませんでした。" in japanese
    assert "全文の写し" not in japanese


def test_the_japanese_counter_notice_names_the_notice_before_its_number(logged: Tracker, tmp_path: Path) -> None:
    """「Kenta Mori氏による通知（受付番号：…）について」, as Japanese writes it, never 「…による（受付番号：…）の通知」."""
    logged("complaint", "add", "--from", _write(tmp_path, "x.eml", X_NOTICE))
    logged("complaint", "decide", "1", "--action", "dispute", "--reason", "slight_resemblance")
    logged("complaint", "set", "1", "--lang", "ja")
    japanese = logged("complaint", "reply", "1", "--lang", "ja").stdout  # X's team works in English: asked for
    assert "\n件名：Kenta Mori氏による通知（受付番号：0123456789）について\n" in japanese, japanese[:300]
    logged("complaint", "set", "1", "--lang", "en")
    assert (
        "\nRegarding: the notice (reference 0123456789) sent by Kenta Mori\n"
        in logged("complaint", "reply", "1").stdout
    )


def test_an_owners_own_template_keeps_the_placeholder_it_was_written_with(logged: Tracker, tmp_path: Path) -> None:
    """A copy of the counter-notice made before `$the_notice`: `$notice_of` still means what it did then."""
    own = Path(os.environ["TRACKER_DATA_DIR"]) / "replies" / "ja" / "counter_notice.txt"
    own.parent.mkdir(parents=True)
    own.write_text("件名：${complainant}による${notice_of}通知について\n\n$posts\n\n$signature\n", encoding="utf-8")
    logged("complaint", "add", "--from", _write(tmp_path, "x.eml", X_NOTICE))
    logged("complaint", "decide", "1", "--action", "dispute", "--reason", "slight_resemblance")
    logged("complaint", "set", "1", "--lang", "ja")
    assert logged("complaint", "reply", "1", "--lang", "ja").stdout.startswith(
        "件名：Kenta Mori氏による（受付番号：0123456789）の通知について\n"
    )


def test_a_japanese_withdrawal_names_the_complaint_then_its_number(logged: Tracker, tmp_path: Path) -> None:
    message = (
        "From: Lena Park <lena@example.com>\nSubject: DMCA notice\nDate: Sat, 05 Dec 2026 10:00:00 +0000\n\n"
        f"This is a DMCA notice. Your post {X_POST} copies my drawing https://lena.example.com/harbour.\nLena Park\n"
    )
    logged("complaint", "add", "--from", _write(tmp_path, "own.eml", message), "--ticket", "LP-7")
    logged("complaint", "decide", "1", "--action", "withdrawn")
    logged("complaint", "set", "1", "--lang", "ja")
    japanese = logged("complaint", "reply", "1", "--lang", "ja").stdout  # X's team works in English: asked for
    assert "2026年12月5日に拝受したお申し立て（受付番号：LP-7）を取り下げられた旨のご連絡をいただき" in japanese, (
        japanese
    )
