"""A take-down whose posts are removed one by one: the reply says which posts were removed (confirmed with
`complaint confirm --post`) and which are still being removed, never "I am removing" of a post already gone nor
"I have removed" of one still online, in English and in Japanese."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import A1111_INFOTEXT, pixels, write_png

pytestmark = pytest.mark.db

ONE = "https://www.pixiv.net/artworks/701"
TWO = "https://www.pixiv.net/artworks/702"
THREE = "https://www.pixiv.net/artworks/703"


@pytest.fixture
def moth(tracker: Tracker, tmp_path: Path) -> Tracker:
    for seed, url in enumerate((ONE, TWO, THREE)):
        image = write_png(tmp_path / f"{seed}.png", {"parameters": A1111_INFOTEXT}, image=pixels(seed=seed + 3))
        tracker("log", image, "--url", url, "--persona", "moth")
    tracker("persona", "set", "moth", "--display-name", "Moth Atelier", "--contact", "moth@example.org")
    return tracker


def _taken_down(tracker: Tracker, lang: str, *args: str) -> str:
    added = ["complaint", "add", "--basis", "jp", "--lang", lang, "--name", "高橋 健一", "--work-title", "夜の港"]
    number = str(tracker.json(*added, "--post", ONE, "--post", TWO, "--post", THREE, *args)["id"])
    tracker("complaint", "decide", number, "--action", "take_down")
    tracker("complaint", "confirm", number, "--post", ONE)
    return number


@pytest.mark.parametrize(
    ("lang", "removed", "removing"),
    [
        ("en", "I have removed the following post:\n- {one}", "I am also removing the following posts:\n- {two}\n- {three}"),
        ("ja", "内容を確認のうえ、以下の投稿を削除いたしました。\n・{one}", "また、以下の投稿につきましても、追って削除いたします。\n・{two}\n・{three}"),
    ],
    ids=["en", "ja"],
)  # fmt: skip
def test_a_take_down_confirmed_for_some_posts_says_which_were_removed_and_which_are_being_removed(
    moth: Tracker, lang: str, removed: str, removing: str
) -> None:
    number = _taken_down(moth, lang)
    text = moth.json("complaint", "reply", number)["text"]
    assert removed.format(one=ONE) in text, text
    assert removing.format(two=TWO, three=THREE) in text, text
    assert text.index(ONE) < text.index(TWO), "what was removed first, then what is still to remove"
    for wrong in ("I am removing the following", "I have removed the following posts", "以下の投稿を削除いたします。"):
        assert wrong not in text, text
    moth("complaint", "confirm", number)  # the rest removed: one sentence again, in the past
    done = moth.json("complaint", "reply", number)["text"]
    said = "I have removed the following posts:" if lang == "en" else "内容を確認のうえ、以下の投稿を削除いたしました。"
    assert said in done and ("also removing" not in done and "追って" not in done), done


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_post_offline_before_is_named_apart_from_those_removed_and_those_being_removed(
    moth: Tracker, lang: str
) -> None:
    moth("post", "set", THREE, "--status", "deleted")  # deleted by the owner before the complaint
    text = moth.json("complaint", "reply", _taken_down(moth, lang))["text"]
    if lang == "en":
        said = ["I have removed the following post:\n- " + ONE, "I am also removing the following post:\n- " + TWO,
                "The following post is already offline (removed earlier):\n- " + THREE]  # fmt: skip
    else:
        said = ["以下の投稿を削除いたしました。\n・" + ONE, "また、以下の投稿につきましても、追って削除いたします。\n・" + TWO,
                "以下の投稿は、すでに削除しており、現在は公開しておりません。\n・" + THREE]  # fmt: skip
    assert all(sentence in text for sentence in said), text
    assert "I am removing the following" not in text and "以下の投稿を削除いたします。" not in text


NOTICE = (
    "いつもpixivをご利用いただきありがとうございます。\n\n"
    f"お客様が投稿された作品（{ONE} 、{TWO}）について、権利者の方から著作権侵害の申し立てを受けました。\n\n"
    "申立人：株式会社ムーンライト\n受付番号：PX-2026-0077\n"
    "申立人は、お客様の作品が自社のイラスト「月夜の庭」の著作権を侵害していると主張しています。\n\n"
    "内容をご確認のうえ、該当作品の削除をご検討ください。\n\npixiv事務局\n"
)


def test_the_letter_to_a_platform_says_which_posts_were_removed_and_which_are_being_removed(
    moth: Tracker, tmp_path: Path
) -> None:
    path = tmp_path / "notice.txt"
    path.write_text(NOTICE, encoding="utf-8")
    number = str(moth.json("complaint", "add", "--message-file", path, "--channel", "email")["id"])
    moth("complaint", "decide", number, "--action", "take_down")
    moth("complaint", "confirm", number, "--post", ONE)
    japanese = moth.json("complaint", "reply", number)["text"]
    assert "以下の投稿を削除いたしました。\n・" + ONE in japanese
    assert "また、以下の投稿につきましても、追って削除いたします。\n・" + TWO in japanese
    assert "今回の削除はお申し立てを受けて行うものであり" in japanese  # the removal as a whole: still under way
    moth("complaint", "set", number, "--lang", "en")
    english = moth.json("complaint", "reply", number)["text"]
    assert "I have removed the following post:\n- " + ONE in english
    assert "I am also removing the following post:\n- " + TWO in english
    assert "These removals are made in response to the complaint." in english
    assert "I am removing them" not in english and "I removed them" not in english


def test_the_letter_to_a_platform_speaks_of_the_owners_removal_only_of_the_posts_the_owner_removes(
    moth: Tracker, tmp_path: Path
) -> None:
    """One named post the platform had removed already, the other the owner removes: "I am removing it in response
    to the complaint" (then "I removed it"), never "them" of both, nor "these removals" of the platform's own."""
    path = tmp_path / "notice.txt"
    path.write_text(NOTICE, encoding="utf-8")
    number = str(moth.json("complaint", "add", "--message-file", path, "--channel", "email", "--lang", "en")["id"])
    moth("post", "set", TWO, "--status", "taken_down")  # the platform removed it
    moth("complaint", "decide", number, "--action", "take_down")
    english = moth.json("complaint", "reply", number)["text"]
    assert "I am removing the following post:\n- " + ONE in english
    assert "The following post has been removed by pixiv on the complainant's notice:\n- " + TWO in english
    assert "I am removing it in response to the complaint." in english, english
    moth("complaint", "confirm", number)
    english = moth.json("complaint", "reply", number)["text"]
    assert "I have removed the following post:\n- " + ONE in english
    assert "I removed it in response to the complaint." in english, english
