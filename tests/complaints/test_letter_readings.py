"""Letters read as their reader reads them: a platform's team is never told of "your name" or "your notice" (the
complainant's), and a withdrawal is never dated by a day the complainant's letter does not bear."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import FORGE_INFOTEXT, write_png

pytestmark = pytest.mark.db

BSKY = "https://bsky.app/profile/moth.bsky.social/post/3kread"
PIXIV = "https://www.pixiv.net/artworks/1001"
TEXT_ONLY = re.sub(r'ControlNet 0: "[^"]*", ', "", FORGE_INFOTEXT)
PASSED_ON = (
    "Hello,\n\n"
    f"We have received a copyright complaint regarding your content: {BSKY}\n"
    'The complainant, Northwind Media LLC, states that the content infringes their artwork "Rain Bridge".\n'
    "Please review the complaint. If you believe this was a mistake, you may submit a counter-notification.\n\n"
    "Bluesky Trust & Safety\n"
)
LAWYER = (
    "通知書\n\n令和8年12月1日\n\nMoth Atelier 殿\n\n山田法律事務所\n弁護士 山田 太郎\n\n"
    "当職は、イラストレーター鈴木花子氏の代理人として、貴殿に対し、以下のとおり通知いたします。\n\n"
    f"貴殿がpixivに投稿した画像（{PIXIV}）は、通知人の著作物であるイラスト「夜の港」の著作権を侵害するものです。\n"
    "つきましては、本書面到達後7日以内に、当該画像を削除するよう求めます。\n\n連絡先：yamada-law@example.jp\n"
)


@pytest.fixture
def moth(tracker: Tracker, tmp_path: Path) -> Tracker:
    tracker("log", write_png(tmp_path / "a.png", {"parameters": TEXT_ONLY}), "--url", BSKY, "--persona", "moth")
    tracker("log", write_png(tmp_path / "b.png", {"parameters": TEXT_ONLY}), "--url", PIXIV, "--persona", "moth")
    tracker("persona", "set", "moth", "--display-name", "Moth Atelier")
    return tracker


def _add(tracker: Tracker, tmp_path: Path, text: str, *args: str) -> str:
    path = tmp_path / "message.txt"
    path.write_text(text, encoding="utf-8")
    return str(tracker.json("complaint", "add", "--message-file", path, *args)["id"])


def test_a_dispute_told_to_the_platform_speaks_of_the_complainants_name_and_notice(
    moth: Tracker, tmp_path: Path
) -> None:
    """To Bluesky's team: "without the complainant's name in the prompt", "if you remove it on the complainant's
    notice" (the team is the platform that would remove it: not "if the platform removes it", as if another); never
    "your name" nor "your notice" (the team wrote no notice and has no name in it). In Japanese likewise: the
    request refused is the complainant's, the removal 貴社's (not 「プラットフォーム上で」)."""
    number = _add(moth, tmp_path, PASSED_ON, "--channel", "email", "--lang", "en", "--basis", "dmca")
    moth("complaint", "decide", number, "--action", "dispute", "--reason", "independent_creation")
    text = moth.json("complaint", "reply", number)["text"]
    assert text.startswith("Dear Bluesky Trust & Safety team,"), text
    assert "without the complainant's name or any other artist's name in the prompt" in text, text
    assert "If you remove it on the complainant's notice, I may send you a counter-notification" in text, text
    assert "your name" not in text and "your notice" not in text and "the platform" not in text, text
    japanese = moth.json("complaint", "reply", number, "--lang", "ja")["text"]
    assert (
        "申立人からの削除のご依頼には応じかねます。お申し立てに基づき貴社にて投稿が削除された場合には、"
        "米国著作権法第512条(g)に基づく異議申立通知を提出することがございます。"
    ) in japanese, japanese
    assert "プラットフォーム" not in japanese, japanese


def test_a_dispute_of_a_report_under_the_rules_told_to_the_platform_calls_them_its_own(
    moth: Tracker, tmp_path: Path
) -> None:
    """A report under the platform's rules passed on by Bluesky's team: the post breaks none of "your rules"
    (「貴社の規約」), not "the platform's rules", written to the platform itself."""
    number = _add(moth, tmp_path, PASSED_ON, "--channel", "email", "--lang", "en", "--basis", "platform_rules")
    moth("complaint", "decide", number, "--action", "dispute", "--reason", "slight_resemblance")
    text = moth.json("complaint", "reply", number)["text"]
    assert "I therefore do not believe the post breaks your rules, and I am keeping it up as it is." in text, text
    assert "the platform's rules" not in text, text
    japanese = moth.json("complaint", "reply", number, "--lang", "ja")["text"]
    assert "該当の投稿は貴社の規約に違反するものではないと判断いたしました。" in japanese, japanese
    assert "プラットフォームの規約" not in japanese, japanese


def test_a_withdrawal_of_a_posted_notice_is_not_dated_by_the_day_it_arrived(moth: Tracker, tmp_path: Path) -> None:
    """A lawyer's 通知書 dated 12月1日 arrived by post on 12月3日: the reply to its withdrawal speaks of the notice
    received on 12月3日 (「2026年12月3日に拝受した」), never of one 「2026年12月3日付」 (dated that day)."""
    number = _add(moth, tmp_path, LAWYER, "--channel", "letter", "--received", "2026-12-03", "--lang", "ja")
    moth("complaint", "decide", number, "--action", "withdrawn")
    text = moth.json("complaint", "reply", number)["text"]
    assert "2026年12月3日に拝受したお申し立てを取り下げられた旨のご連絡をいただき" in text, text
    assert "12月3日付" not in text, text


def test_a_draft_in_another_language_warns_of_a_reply_note_not_in_it(moth: Tracker, tmp_path: Path) -> None:
    """A Japanese complaint drafted in English this time (`reply --lang en`) with a note typed in Japanese: the owner
    is told, as when the complaint itself is answered in English; the Japanese draft with it is not warned of."""
    number = _add(moth, tmp_path, LAWYER, "--channel", "letter", "--received", "2026-12-03")
    moth("complaint", "decide", number, "--action", "take_down", "--reply-note", "今後は十分に注意いたします。")
    english = moth.json("complaint", "reply", number, "--lang", "en")
    assert any("the reply note is in Japanese but the letter is in English" in said for said in english["warnings"])
    japanese = moth.json("complaint", "reply", number)
    assert not any("reply note" in said for said in japanese["warnings"]), japanese["warnings"]


X_POST = "https://x.com/moth_ai/status/1002"
RULES = "Hi, your AI post breaks X's rules on synthetic media: it is not labelled as AI. Please take it down."


@pytest.mark.parametrize(
    ("lang", "says", "never"),
    [
        (
            "en",
            ("I have looked at your message and the post carefully.", "what in the post breaks the platform's rules"),
            ("your work", "copies"),
        ),
        (
            "ja",
            ("慎重に検討いたしました。", "投稿のどの点が規約のどの定めに違反しているとお考えか"),
            ("ご作品", "複製"),
        ),
    ],
)
def test_a_dispute_of_a_rules_report_naming_no_work_never_answers_a_claim_of_copying(
    tracker: Tracker, tmp_path: Path, lang: str, says: tuple[str, ...], never: tuple[str, ...]
) -> None:
    """ "It breaks X's rules on synthetic media" names no work of the sender's: a dispute (reason other) says the
    owner looked at it, and asks what breaks the rules; never "I do not believe it copies your work"."""
    tracker("log", write_png(tmp_path / "x.png", {"parameters": TEXT_ONLY}), "--url", X_POST, "--persona", "moth")
    cmd = ["complaint", "add", "--basis", "platform_rules", "--platform", "x", "--name", "Jordan Lee"]
    number = str(tracker.json(*cmd, "--post", X_POST, "--message", RULES, "--lang", lang)["id"])
    tracker("complaint", "decide", number, "--action", "dispute", "--reason", "other")
    text = tracker.json("complaint", "reply", number)["text"]
    for said in says:
        assert said in text, text
    for said in never:
        assert said not in text, text


AGENT = (
    "Dear Sir or Madam,\nWe represent Northwind Media LLC. Your post https://www.pixiv.net/artworks/8 is a problem.\n"
    "Roe & Partners LLP\n"
)


@pytest.mark.parametrize("post", [True, False], ids=["post-named", "no-post"])
def test_an_invalid_letter_to_an_agent_speaks_of_a_right_of_their_clients(
    moth: Tracker, tmp_path: Path, post: bool
) -> None:
    """A law firm holds no right of its own in the work: what could not be told is how a right of its client's is
    infringed ("a right of yours" would make the firm the rights holder)."""
    text = AGENT if post else AGENT.replace(" https://www.pixiv.net/artworks/8", "")
    number = _add(moth, tmp_path, text, "--lang", "en", "--basis", "none")
    moth("complaint", "decide", number, "--action", "invalid")
    letter = moth.json("complaint", "reply", number)["text"]
    assert "infringes a right of your client's." in letter, letter
    assert "a right of yours" not in letter, letter
