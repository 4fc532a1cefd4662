"""Sentences of a reply that must agree with what the letter lists, and lines a mail program would change.

A letter that lists one model says "this", not "one of these" (「こちら」, not 「これらのいずれか」); no line of a
shipped template or phrase starts with "From ", which a mail program sends as ">From " (mbox quoting).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import A1111_INFOTEXT, pixels, write_png

from tracker.support.paths import shipped_data_dir

pytestmark = pytest.mark.db

ONE = "https://www.pixiv.net/artworks/801"
ONE_MODEL = A1111_INFOTEXT.replace(", <lora:catstyle:0.6>", "").replace(', Lora hashes: "catstyle: 0123456789ab"', "")
"""A picture made with a checkpoint alone: its letter lists one model."""


@pytest.fixture
def moth(tracker: Tracker, tmp_path: Path) -> Tracker:
    """Post #1 made with waiIllustriousSDXL_v160 alone, whose creator is recorded; #2 with it and a LoRA."""
    tracker("log", write_png(tmp_path / "a.png", {"parameters": ONE_MODEL}), "--url", ONE, "--persona", "moth")
    tracker("persona", "set", "moth", "--display-name", "Moth Atelier", "--contact", "moth@example.org")
    tracker("resource", "set", "waiIllustriousSDXL_v160", "--creator", "Ikena")
    return tracker


def _letter(tracker: Tracker, lang: str, action: str = "take_down") -> str:
    number = str(
        tracker.json(
            "complaint", "add", "--post", ONE, "--basis", "none", "--lang", lang, "--name", "Kai",
            "--work-title", "Moth at night", "--message", "Your picture copies my drawing. Please remove it.",
        )["id"]
    )  # fmt: skip
    tracker("complaint", "decide", number, "--action", action, *(["--reason", "other"] if action == "dispute" else []))
    draft: dict[str, Any] = tracker.json("complaint", "reply", number)
    return str(draft["text"])


@pytest.mark.parametrize("action", ["take_down", "dispute"])
def test_one_model_listed_is_this_model_not_one_of_these(moth: Tracker, action: str) -> None:
    text = _letter(moth, "en", action)
    assert "- model waiIllustriousSDXL_v160 (45a21ea00a)\n\n" in text, "one model listed"
    assert (
        "If you believe this was trained on your work, its creator is the person who can act on that:\n"
        "- model waiIllustriousSDXL_v160: made by Ikena\n"
    ) in text
    assert "one of these" not in text


@pytest.mark.parametrize("action", ["take_down", "dispute"])
def test_one_model_listed_is_kochira_in_japanese(moth: Tracker, action: str) -> None:
    text = _letter(moth, "ja", action)
    assert "・モデル waiIllustriousSDXL_v160（45a21ea00a）\n\n" in text, "one model listed"
    assert (
        "こちらがご作品を学習しているとお考えの場合は、その作成者にお問い合わせいただけますと幸いです。\n"
        "・モデル「waiIllustriousSDXL_v160」：作成者 Ikena\n"
    ) in text
    assert "これらのいずれか" not in text and "それぞれの作成者" not in text


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_model_and_a_lora_listed_are_still_one_of_these(moth: Tracker, tmp_path: Path, lang: str) -> None:
    moth("post", "remove", "1", "--yes")
    moth("log", write_png(tmp_path / "b.png", {"parameters": A1111_INFOTEXT}), "--url", ONE, "--persona", "moth")
    text = _letter(moth, lang)
    if lang == "en":
        assert "If you believe one of these was trained on your work, its creator" in text
    else:
        assert "これらのいずれかがご作品を学習しているとお考えの場合は、それぞれの作成者に" in text


def _shipped_lines() -> list[tuple[str, str]]:
    """(file, text) of every line a shipped English or Japanese template or phrase can start a letter's line with."""
    found: list[tuple[str, str]] = []
    for folder in (shipped_data_dir() / "replies").iterdir():
        for path in sorted(folder.glob("*.txt")):
            found += [(path.name, line) for line in path.read_text(encoding="utf-8").splitlines()]
        table = tomllib.loads((folder / "phrases.toml").read_text(encoding="utf-8"))
        stack: list[Any] = [table]
        while stack:
            node = stack.pop()
            values = node.values() if isinstance(node, dict) else node if isinstance(node, list) else [node]
            for value in values:
                if isinstance(value, str):
                    found += [(f"{folder.name}/phrases.toml", line) for line in value.splitlines()]
                else:
                    stack.append(value)
    return found


def test_no_shipped_line_starts_as_a_mail_program_would_quote_it() -> None:
    quoted = [(name, line) for name, line in _shipped_lines() if re.match(r"From ", line)]
    assert quoted == [], "a line starting 'From ' is sent as '>From ' by many mail programs"


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_post_found_from_their_picture_is_introduced_without_from(moth: Tracker, tmp_path: Path, lang: str) -> None:
    """ask_info about a post found from the image they attached (not named): the sentence above it."""
    picture = write_png(tmp_path / "theirs.png", {})
    number = str(
        moth.json(
            "complaint", "add", "--image", picture, "--persona", "moth", "--basis", "none", "--lang", lang,
            "--name", "Kai", "--message", "This looks like my drawing, see the attached screenshot.",
        )["id"]
    )  # fmt: skip
    moth("complaint", "decide", number, "--action", "ask_info", "--post", "1")
    text = str(moth.json("complaint", "reply", number)["text"])
    assert not any(line.startswith("From ") for line in text.splitlines())
    if lang == "en":
        assert f"Judging by the screenshot you attached, I take your message to be about this post:\n- {ONE}\n" in text
    else:
        assert f"添付のスクリーンショットから、以下の投稿についてのご連絡と拝察いたしました。\n・{ONE}\n" in text


def test_a_note_starting_a_line_with_from_is_warned_about_and_kept(moth: Tracker) -> None:
    number = str(
        moth.json(
            "complaint", "add", "--post", ONE, "--basis", "none", "--lang", "en", "--name", "Kai",
            "--message", "Your picture copies my drawing. Please remove it.",
        )["id"]
    )  # fmt: skip
    note = "From what I can see, the drawing is my own."
    moth("complaint", "decide", number, "--action", "dispute", "--reason", "other", "--reply-note", note)
    draft: dict[str, Any] = moth.json("complaint", "reply", number)
    assert f"\n{note}\n" in draft["text"], "the letter keeps the owner's sentence as typed"
    assert any("starts with 'From '" in said and "'>From '" in said for said in draft["warnings"])
    printed = moth("complaint", "reply", number)
    assert "tracker: warning: a line of the letter starts with 'From ' ('From what I can see" in printed.stderr
    moth("complaint", "decide", number, "--action", "dispute", "--reason", "other", "--reply-note", "I drew it myself.")
    assert not any("'From '" in said for said in moth.json("complaint", "reply", number)["warnings"])


@pytest.mark.parametrize(
    ("title", "lang", "said"),
    [
        ("「霧の果樹園」", "ja", "このたびは、{day}に「霧の果樹園」に関するご連絡をいただき"),
        ("『霧の果樹園』", "ja", "このたびは、{day}に「霧の果樹園」に関するご連絡をいただき"),
        ('"Mist Orchard"', "ja", "このたびは、{day}に「Mist Orchard」に関するご連絡をいただき"),
        ('"Mist Orchard"', "en", 'Thank you for your message of {day} about "Mist Orchard".'),
        ("\u201cMist Orchard\u201d", "en", 'Thank you for your message of {day} about "Mist Orchard".'),
        ("「霧の果樹園」", "en", 'Thank you for your message of {day} about "霧の果樹園".'),
        ("Mist Orchard", "en", 'Thank you for your message of {day} about "Mist Orchard".'),
    ],
)
def test_a_title_recorded_in_quotes_is_quoted_once(moth: Tracker, title: str, lang: str, said: str) -> None:
    number = str(
        moth.json(
            "complaint", "add", "--post", ONE, "--basis", "none", "--lang", lang, "--name", "Kai",
            "--work-title", title, "--received", "2026-12-01 12:00+09:00",
            "--message", "Your picture copies my drawing. Please remove it.",
        )["id"]
    )  # fmt: skip
    moth("complaint", "decide", number, "--action", "take_down")
    text = str(moth.json("complaint", "reply", number)["text"])
    day = "2026年12月1日" if lang == "ja" else "1 December 2026"
    assert said.format(day=day) in text
    assert "「「" not in text and "「『" not in text and '""' not in text and '"“' not in text


def _named_letter(tracker: Tracker, lang: str, *who: str, action: str = "take_down") -> str:
    number = str(
        tracker.json(
            "complaint", "add", "--post", ONE, "--basis", "none", "--lang", lang, *who, "--duplicate",
            "--message", "Your picture copies my drawing. Please remove it.",
        )["id"]
    )  # fmt: skip
    tracker("complaint", "decide", number, "--action", action)
    return str(tracker.json("complaint", "reply", number)["text"])


@pytest.mark.parametrize(
    ("who", "ja", "en"),
    [
        (("--name", "佐藤美咲様"), "佐藤美咲 様\n", "Dear 佐藤美咲,\n"),
        (("--name", "佐藤 美咲 様"), "佐藤 美咲 様\n", "Dear 佐藤 美咲,\n"),
        (("--name", "高橋さん"), "高橋 様\n", "Dear 高橋,\n"),
        (("--name", "中村 殿"), "中村 様\n", "Dear 中村,\n"),
        (("--name", "山田 太郎", "--org", "株式会社ムーンライト 御中"), "株式会社ムーンライト\n山田 太郎 様\n", None),
        (("--name", "株式会社ムーンライト御中"), "株式会社ムーンライト\nご担当者様\n", "Dear Sir or Madam,\n"),
    ],
)
def test_an_honorific_typed_with_the_name_is_not_said_twice(
    moth: Tracker, who: tuple[str, ...], ja: str, en: str | None
) -> None:
    """`--name 佐藤美咲様` greeted 「佐藤美咲様 様」 and "Dear 佐藤美咲様,"; `--org …御中` put 御中 above a 様."""
    text = _named_letter(moth, "ja", *who)
    assert text.startswith(ja)
    assert "様 様" not in text and "御中\n" not in text and "さん 様" not in text and "殿 様" not in text
    if en is not None:
        assert _named_letter(moth, "en", *who).startswith(en)


def test_a_name_ending_like_an_honorific_keeps_it(moth: Tracker) -> None:
    assert _named_letter(moth, "ja", "--name", "源氏").startswith("源氏 様\n"), "氏 after one character is a name"


def test_a_counter_notice_names_a_company_without_shi(moth: Tracker) -> None:
    """A DMCA notice from a company (no person named) that the platform acted on, disputed: the counter-notice
    names the company as it is, 「株式会社ムーンライトによる」, never 「株式会社ムーンライト氏」 or 「申立人」."""
    for lang, said in (("ja", "件名：株式会社ムーンライトによる"), ("en", "sent by 株式会社ムーンライト\n")):
        number = str(
            moth.json(
                "complaint", "add", "--post", ONE, "--basis", "dmca", "--platform", "pixiv", "--lang", lang,
                "--org", "株式会社ムーンライト 御中", "--message", "Your picture copies our artwork.", "--duplicate",
            )["id"]
        )  # fmt: skip
        moth("post", "set", "1", "--status", "taken_down")
        moth("complaint", "decide", number, "--action", "dispute", "--reason", "other")
        draft = moth.json("complaint", "reply", number)
        assert draft["kind"] == "counter_notice"
        assert said in draft["text"] and "ムーンライト氏" not in draft["text"] and "御中" not in draft["text"]
        moth("post", "set", "1", "--status", "live")


@pytest.mark.parametrize(
    ("who", "received", "their"),
    [
        (
            ("--org", "さくら総合法律事務所", "--name", "中村 健一", "--role", "lawyer"),
            "通知書を拝受",
            "いただいたご通知",
        ),
        (("--org", "株式会社ムーンライト", "--name", "山田 太郎"), "貴社のご通知を拝受", "いただいた貴社のご通知"),
    ],
)
def test_a_notice_received_is_a_notice_in_the_letters_body(
    moth: Tracker, who: tuple[str, ...], received: str, their: str
) -> None:
    """A lawyer's or a company's notice under a law is 通知書 / 貴社のご通知 in the opening: the body no longer
    calls the same document いただいたご連絡 two lines on."""
    for reason, said in (("small_part", f"{their}には"), ("other", "ご通知の内容を踏まえて")):
        number = str(
            moth.json(
                "complaint", "add", "--post", ONE, "--basis", "jp", "--lang", "ja", *who, "--duplicate",
                "--message", "貴殿の画像は弊社の著作物を複製したものです。削除を求めます。",
            )["id"]
        )  # fmt: skip
        moth("complaint", "decide", number, "--action", "dispute", "--reason", reason)
        text = str(moth.json("complaint", "reply", number)["text"])
        assert received in text and said in text
        assert "いただいたご連絡" not in text and "ご連絡の内容" not in text


def test_a_companys_message_under_no_law_stays_a_message(moth: Tracker) -> None:
    text = _named_letter(moth, "ja", "--org", "株式会社ムーンライト", "--name", "山田 太郎", action="invalid")
    assert "ご連絡を拝受" in text and "いただいたご連絡の内容からは" in text and "ご通知" not in text


def test_a_japanese_counter_notice_addresses_x_without_stacked_brackets(moth: Tracker, tmp_path: Path) -> None:
    """「宛先：X（旧Twitter）（著作権侵害の通知を受け付ける指定代理人）」 put two brackets side by side."""
    x_post = "https://x.com/moth_makes/status/1800000000000000009"
    picture = write_png(tmp_path / "x.png", {"parameters": ONE_MODEL}, image=pixels(seed=3))
    moth("log", picture, "--url", x_post, "--persona", "moth")
    number = str(
        moth.json(
            "complaint", "add", "--post", x_post, "--basis", "dmca", "--platform", "x", "--lang", "ja",
            "--name", "Emily Carter", "--message", "Your picture copies my artwork.",
        )["id"]
    )  # fmt: skip
    moth("post", "set", "2", "--status", "taken_down")
    moth("complaint", "decide", number, "--action", "dispute", "--reason", "other")
    draft = moth.json("complaint", "reply", number, "--lang", "ja")  # X's team works in English: asked for
    assert draft["kind"] == "counter_notice"
    assert "\n宛先：X（旧Twitter）の指定代理人（著作権侵害の通知の受付窓口）\n" in draft["text"]
    assert "）（" not in draft["text"]


def test_a_japanese_counter_notice_is_not_dated_by_its_arrival(moth: Tracker, tmp_path: Path) -> None:
    """A notice dated 12月1日 that reached the owner on 12月3日: the counter-notice names 「2026年12月3日の通知」,
    never 「2026年12月3日付の通知」 (付 says the paper bears that date, which it does not)."""
    x_post = "https://x.com/moth_makes/status/1800000000000000009"
    picture = write_png(tmp_path / "x.png", {"parameters": ONE_MODEL}, image=pixels(seed=3))
    moth("log", picture, "--url", x_post, "--persona", "moth")
    number = str(
        moth.json(
            "complaint", "add", "--post", x_post, "--basis", "dmca", "--platform", "x", "--lang", "ja",
            "--name", "Emily Carter", "--received", "2026-12-03", "--message", "Your picture copies my artwork.",
        )["id"]
    )  # fmt: skip
    moth("post", "set", "2", "--status", "taken_down")
    moth("complaint", "decide", number, "--action", "dispute", "--reason", "other")
    draft = moth.json("complaint", "reply", number, "--lang", "ja")
    assert draft["kind"] == "counter_notice"
    assert "\n件名：Emily Carter氏による2026年12月3日の通知について\n" in draft["text"], draft["text"][:300]
    assert "3日付" not in draft["text"], draft["text"]


def test_the_japanese_take_down_says_the_removal_in_the_tense_the_letter_does(moth: Tracker) -> None:
    """「以下の投稿を削除いたします」 is followed by a removal that is to come (「行うもの」), never one already done
    (「お応えしたもの」); once the removal is confirmed, 「削除いたしました」 and 「行ったもの」 agree."""
    text = _letter(moth, "ja")
    assert "以下の投稿を削除いたします。" in text and "今回の削除はお申し出を受けて行うものであり、" in text, text
    assert "したものであり" not in text and "行ったもの" not in text, text
    moth("complaint", "confirm", "1")
    done = str(moth.json("complaint", "reply", "1")["text"])
    assert "以下の投稿を削除いたしました。" in done and "今回の削除はお申し出を受けて行ったものであり、" in done, done


@pytest.mark.parametrize(
    ("who", "basis", "understood"),
    [
        (
            ("--org", "株式会社ムーンライト", "--name", "山田 太郎"),
            "none",
            "貴社からのご連絡は、以下の投稿に関するものと理解しております",
        ),
        (
            ("--org", "株式会社ムーンライト", "--name", "山田 太郎"),
            "jp",
            "貴社のご通知は、以下の投稿に関するものと理解しております",
        ),
        (
            ("--org", "ひかり法律事務所", "--role", "弁護士", "--name", "田中 一郎"),
            "none",
            "以下の投稿についてのご連絡と理解しております",
        ),
        (
            ("--org", "ひかり法律事務所", "--role", "弁護士", "--name", "田中 一郎"),
            "jp",
            "以下の投稿についてのご通知と理解しております",
        ),
    ],
)
def test_a_message_acknowledged_as_a_message_is_not_called_a_notice_further_on(
    moth: Tracker, who: tuple[str, ...], basis: str, understood: str
) -> None:
    """A company's or a lawyer's e-mail under no law is acknowledged as ご連絡 (「ご連絡を拝受いたしました」): the
    ask_info letter goes on to speak of 貴社からのご連絡 / ご連絡, not of a ご通知 it never received; under a law it
    is a ご通知 from the opening on."""
    number = str(
        moth.json(
            "complaint", "add", "--post", ONE, "--basis", basis, "--lang", "ja", *who, "--duplicate",
            "--message", "貴殿の画像は弊社の著作物を複製したものです。削除を求めます。",
        )["id"]
    )  # fmt: skip
    moth("complaint", "decide", number, "--action", "ask_info")
    text = str(moth.json("complaint", "reply", number)["text"])
    assert understood + "。" in text, text
    assert "についての貴社" not in text, text  # not 「以下の投稿についての貴社のご通知と理解しております」: stiff
    if basis == "none":
        assert "ご連絡を拝受いたしました" in text and "ご通知" not in text, text
