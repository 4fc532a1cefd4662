"""A post the platform removed on one complaint's notice is never said, in the letter answering another complaint
about the same post, to have been removed on that other sender's notice.

The platform's notice of complaint A says it removed the post (`platform_removed`: the post becomes `taken_down`);
complaint B, passed on by the same platform but saying no such thing, is answered later: its letter says the post
is already removed and no longer published, not "removed by pixiv on your notice" (「お申し立てを受けて」), and a
dispute of B is no counter-notice swearing that B's notice removed it by mistake.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import FORGE_INFOTEXT, write_png

pytestmark = pytest.mark.db

ONE = "https://www.pixiv.net/artworks/701"
REMOVED_A = (
    "いつもpixivをご利用いただきありがとうございます。\n\n"
    f"お客様が投稿された作品（{ONE} ）について、権利者の方から著作権侵害の申し立てを受けました。\n\n"
    "申立人：株式会社ムーンライト\n受付番号：PX-2026-0101\n"
    "申立人は、お客様の作品が自社のイラスト「月夜の庭」の著作権を侵害していると主張しています。\n\n"
    "規約に基づき、該当作品を削除いたしました。\n\npixiv事務局\n"
)
PASSED_ON_B = (
    "いつもpixivをご利用いただきありがとうございます。\n\n"
    f"お客様が投稿された作品（{ONE} ）について、権利者の方から著作権侵害の申し立てを受けました。\n\n"
    "申立人：山田花子\n受付番号：PX-2026-0102\n"
    "申立人は、お客様の作品が自身のイラスト「夕焼けの港」の著作権を侵害していると主張しています。\n\n"
    "内容をご確認のうえ、該当作品の削除をご検討ください。\n\npixiv事務局\n"
)
B_BY_HAND = "Your AI picture on pixiv copies my drawing of a harbour at sunset. Please remove it."


@pytest.fixture
def moth(tracker: Tracker, tmp_path: Path) -> Tracker:
    tracker("log", write_png(tmp_path / "a.png", {"parameters": FORGE_INFOTEXT}), "--url", ONE, "--persona", "moth")
    tracker("persona", "set", "moth", "--display-name", "Moth Atelier")
    return tracker


def _add_file(tracker: Tracker, tmp_path: Path, name: str, text: str, lang: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    args = ["complaint", "add", "--message-file", path, "--channel", "email", "--lang", lang]
    return str(tracker.json(*args)["id"])


def _reply(tracker: Tracker, number: str, *decide: str) -> dict[str, Any]:
    tracker("complaint", "decide", number, *decide)
    draft: dict[str, Any] = tracker.json("complaint", "reply", number)
    return draft


@pytest.mark.parametrize(
    ("lang", "already", "wrong"),
    [
        (
            "en",
            "The following post has already been removed and is no longer published:\n- " + ONE,
            ("on your notice", "As your message says", "I am removing", "I have removed"),
        ),
        (
            "ja",
            "以下の投稿は、すでに削除されており、現在は公開されておりません。\n・" + ONE,
            ("お申し立てを受けてpixivにより削除", "ご連絡のとおり", "削除いたします", "削除いたしました"),
        ),
    ],
)
def test_a_letter_never_says_the_post_was_removed_on_its_notice_when_another_notice_removed_it(
    moth: Tracker, tmp_path: Path, lang: str, already: str, wrong: tuple[str, ...]
) -> None:
    first = _add_file(moth, tmp_path, "a.txt", REMOVED_A, lang)
    assert moth.json("show", ONE)["status"] == "taken_down", "A's notice says pixiv removed it"
    second = _add_file(moth, tmp_path, "b.txt", PASSED_ON_B, lang)
    text = _reply(moth, second, "--action", "take_down")["text"]
    assert already in text, text
    for said in wrong:
        assert said not in text, said
    # A's own letter still says what A's notice said: pixiv removed it
    own = _reply(moth, first, "--action", "take_down")["text"]
    assert ("As your message says" if lang == "en" else "ご連絡のとおり") in own, own


def test_a_dispute_of_another_notice_is_no_counter_notice_for_a_post_it_did_not_remove(
    moth: Tracker, tmp_path: Path
) -> None:
    """A counter-notice swears the material was removed on that notice by mistake: B's notice removed nothing."""
    _add_file(moth, tmp_path, "a.txt", REMOVED_A, "en")
    second = _add_file(moth, tmp_path, "b.txt", PASSED_ON_B, "en")
    moth("complaint", "set", second, "--basis", "dmca")
    draft = _reply(moth, second, "--action", "dispute", "--reason", "slight_resemblance")
    assert "under penalty of perjury" not in draft["text"], draft["text"]


def test_a_post_the_owner_marked_taken_down_is_still_removed_on_the_notice_that_came_through_the_platform(
    moth: Tracker,
) -> None:
    """No other complaint's notice says it removed the post: a complaint through pixiv is answered as before."""
    moth("post", "set", ONE, "--status", "taken_down")
    cmd = ["complaint", "add", "--basis", "none", "--lang", "en", "--name", "Kai", "--message", B_BY_HAND]
    number = str(moth.json(*cmd, "--post", ONE, "--platform", "pixiv")["id"])
    text = _reply(moth, number, "--action", "take_down")["text"]
    assert "The following post has been removed by pixiv on your notice:\n- " + ONE in text, text
