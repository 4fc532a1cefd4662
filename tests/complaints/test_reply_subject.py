"""A reply's subject line, for the e-mail or the form that carries it: in the letter's language, naming the
complainant's message by its date and reference as they wrote it, and what the letter does; never part of the
letter itself (the text is what gets copied into the body)."""

from __future__ import annotations

from typing import Any

import pytest
from complaints.test_reply_texts import ONE, PRIVATE, TWO
from complaints.test_reply_texts import moth as moth  # noqa: F401  (the fixture: two logged posts, signed Moth Atelier)
from fixtures.common import Tracker

pytestmark = pytest.mark.db


def _draft(tracker: Tracker, *args: str, action: tuple[str, ...] = ("take_down",), lang: str = "ja") -> dict[str, Any]:
    cmd = ["complaint", "add", "--post", ONE, "--post", TWO, "--basis", "jp", "--lang", lang, "--name", "高橋 健一"]
    cmd += ["--received", "2026-11-30T10:00:00+09:00", *args]
    number = str(tracker.json(*cmd)["id"])
    tracker("complaint", "decide", number, "--action", *action, "--notes", PRIVATE)
    draft: dict[str, Any] = tracker.json("complaint", "reply", number)
    assert draft["subject"] and draft["subject"] not in draft["text"], "the subject is apart from the letter"
    assert PRIVATE not in draft["subject"]
    return draft


def test_a_japanese_subject_names_their_message_and_what_the_letter_does(moth: Tracker) -> None:
    assert _draft(moth)["subject"] == "2026年11月30日にいただいたご連絡について（投稿削除のご報告）"
    disputed = _draft(moth, action=("dispute", "--reason", "independent_creation"))
    assert disputed["subject"] == "2026年11月30日にいただいたご連絡について（ご回答）"
    asked = _draft(moth, "--ticket", "PX-4411", action=("ask_info",))
    assert asked["subject"] == "2026年11月30日にいただいたご連絡（受付番号：PX-4411）について（ご確認のお願い）"


def test_a_lawyers_or_a_companys_notice_is_named_as_the_letter_names_it(moth: Tracker) -> None:
    lawyer = _draft(moth, "--org", "桜坂法律事務所", "--role", "弁護士")
    assert lawyer["subject"] == "2026年11月30日に拝受した通知書について（投稿削除のご報告）"
    assert "通知書を拝受いたしました" in lawyer["text"]
    company = _draft(moth, "--org", "株式会社ハーバーライト")
    assert company["subject"] == "2026年11月30日に拝受した貴社ご通知について（投稿削除のご報告）"


def test_an_english_subject_agrees_with_the_number_of_posts(moth: Tracker) -> None:
    draft = _draft(moth, "--ticket", "PX-4411", lang="en")
    assert draft["subject"] == "Your message of 30 November 2026 (case PX-4411): removal of my posts"


def test_a_counter_notice_is_titled_as_its_heading(moth: Tracker) -> None:
    cmd = ["complaint", "add", "--post", ONE, "--basis", "dmca", "--lang", "en", "--platform", "pixiv"]
    number = str(moth.json(*cmd, "--name", "Pat Doe", "--ticket", "T-9")["id"])
    moth("complaint", "decide", number, "--action", "take_down")
    moth("complaint", "confirm", number)
    moth("complaint", "decide", number, "--action", "dispute", "--reason", "independent_creation")
    draft = moth.json("complaint", "reply", number)
    assert draft["kind"] == "counter_notice"
    assert draft["subject"] == "Counter-notification under 17 U.S.C. § 512(g)(3) (reference T-9)"


def test_the_command_prints_the_subject_apart_from_the_letter(moth: Tracker) -> None:
    _draft(moth)
    printed = moth("complaint", "reply", "1")
    assert "件名" not in printed.stdout and "Subject" not in printed.stdout, "the letter alone on stdout"
    assert "tracker: subject line: 2026年11月30日にいただいたご連絡について（投稿削除のご報告）" in printed.stderr


def test_the_owners_phrases_give_their_own_subject_and_an_older_copy_the_shipped_one(moth: Tracker) -> None:
    """A phrases.toml the owner copied before subjects existed gets the shipped subjects (merged key by key);
    a subject the owner wrote wins."""
    from pathlib import Path

    from tracker.support.settings import load_settings

    shipped = (Path(__file__).parents[2] / "data" / "replies" / "en" / "phrases.toml").read_text(encoding="utf-8")
    own = load_settings().data_dir / "replies" / "en" / "phrases.toml"
    own.parent.mkdir(parents=True)
    own.write_text(shipped[: shipped.index("[subject]")] + shipped[shipped.index("[kinds]") :], encoding="utf-8")
    number = str(moth.json("complaint", "add", "--post", ONE, "--lang", "en", "--name", "Pat Doe")["id"])
    moth("complaint", "decide", number, "--action", "take_down")
    assert moth.json("complaint", "reply", number)["subject"].endswith(": removal of my post")
    own.write_text(own.read_text(encoding="utf-8") + '\n[subject]\ntake_down = "Takedown done{ticket}"\n')
    assert moth.json("complaint", "reply", number)["subject"] == "Takedown done"


def test_a_withdrawal_is_acknowledged_by_its_subject(moth: Tracker) -> None:
    """As a Japanese business letter's subject reads: one の before 取り下げ, the day as the letter gives it (the
    day the complaint was received), never 「…のお申し立てのお取り下げについて」 with the の strung together."""
    assert _draft(moth, action=("withdrawn",))["subject"] == "2026年11月30日に拝受したお申し立ての取り下げについて"
    numbered = _draft(moth, "--ticket", "PX-9", action=("withdrawn",))["subject"]
    assert numbered == "2026年11月30日に拝受したお申し立て（受付番号：PX-9）の取り下げについて"
    assert _draft(moth, lang="en", action=("withdrawn",))["subject"] == (
        "Your message of 30 November 2026: withdrawal received"
    )


def test_a_pasted_colour_code_never_reaches_the_letter(moth: Tracker) -> None:
    """A name or title pasted from a coloured terminal keeps its text and loses the escape codes, at intake and in
    a correction: the letter greets the complainant by name, not by `\\x1b[31m`."""
    red, reset = "\x1b[31m", "\x1b[0m"
    draft = _draft(moth, "--work-title", f"{red}Sunflower{reset}\tgirl", lang="en", action=("take_down",))
    number = str(draft["complaint"])
    moth("complaint", "set", number, "--name", f"{red}Pat Doe{reset}", "--org", "Doe\x07 Studio")
    moth("complaint", "decide", number, "--action", "take_down", "--reply-note", f"Thank you.{red}\r\nRegards")
    letter = moth.json("complaint", "reply", number)["text"]
    assert "Pat Doe" in letter and "Sunflower girl" in letter and "Thank you.\nRegards" in letter
    assert "\x1b" not in letter and "x1b" not in letter and "x07" not in letter
    shown = moth.json("complaint", "show", number)
    assert (shown["complainant_name"], shown["complainant_org"]) == ("Pat Doe", "Doe Studio")
    assert shown["claimed_title"] == "Sunflower girl"
