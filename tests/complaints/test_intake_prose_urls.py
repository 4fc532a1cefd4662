"""`tracker complaint add --from FILE` on Japanese messages that write URLs straight against their prose.

The post the complainant names is found, their work's URL is the one they gave (not the sentence after it),
and the letter, in Japanese or English, lists the post by the URL it was logged under.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import pixels, write_png

pytestmark = pytest.mark.db

OWN_SITE = "https://moth.example.jp/作品/夜市"
PIXIV = "https://www.pixiv.net/artworks/12345678"
WORK = "https://www.pixiv.net/artworks/99887766"
BLOG = "https://misaki.example.jp/作品/京都の雨"
WIKI = "https://ja.wikipedia.org/wiki/東京"

MESSAGE = f"""お名前：佐藤美咲
メール：misaki@example.jp

突然のご連絡失礼いたします。イラストを描いている佐藤美咲と申します。
{OWN_SITE}の画像と{PIXIV}/にある絵は、私の作品をトレースしたものです。
元の作品：{WORK}　（2023年投稿）
制作過程は私のブログ「{BLOG}」をご覧ください。{WIKI}の記事に載っている写真ではございません。
著作権侵害にあたりますので、削除をお願いいたします。
"""


@pytest.fixture
def logged(tracker: Tracker, tmp_path: Path) -> Tracker:
    """Post #1 on the owner's own site (a Japanese path), #2 on pixiv, both of persona moth."""
    own = write_png(tmp_path / "a.png", {}, image=pixels(seed=3))
    tracker("log", own, "--url", OWN_SITE, "--platform", "mysite", "--persona", "moth")
    tracker("log", write_png(tmp_path / "b.png", {}, image=pixels(seed=4)), "--url", PIXIV)
    return tracker


def test_urls_written_against_japanese_prose_name_the_posts_and_the_work(logged: Tracker, tmp_path: Path) -> None:
    path = tmp_path / "ja.txt"
    path.write_text(MESSAGE, encoding="utf-8")
    shown = logged("complaint", "add", "--from", path).stdout
    assert f"posts      {OWN_SITE}, {PIXIV}\n" in shown, shown
    assert f"work URLs  {WORK}, {BLOG}, {WIKI}\n" in shown, shown
    added = logged.json("complaint", "show", "1")
    assert [post["id"] for post in added["posts"]] == [1, 2]
    assert added["claimed_urls"] == [WORK, BLOG, WIKI]
    logged("complaint", "decide", "1", "--action", "take_down")
    letter = logged("complaint", "reply", "1").stdout
    assert f"・{OWN_SITE}\n・{PIXIV}\n" in letter, letter
    logged("complaint", "set", "1", "--lang", "en")
    letter = logged("complaint", "reply", "1").stdout
    assert f"- {OWN_SITE}\n- {PIXIV}\n" in letter, letter


SIGNED = f"""私の作品を無断で加工したものが投稿されています。
{PIXIV}
削除をお願いいたします。

佐藤 美咲
pixiv：https://www.pixiv.net/users/4242（ご連絡はこちらへ）
X：https://x.com/misaki_draws（作品一覧）
"""


def test_words_written_against_a_link_in_the_signature_are_read_as_words(logged: Tracker, tmp_path: Path) -> None:
    """A profile under the writer's name is who they are, unless their words beside it say it shows their work:
    `（作品一覧）` written against the link is no part of it."""
    path = tmp_path / "signed.txt"
    path.write_text(SIGNED, encoding="utf-8")
    added = logged.json("complaint", "add", "--from", path)
    assert [post["id"] for post in added["posts"]] == [2]
    assert added["claimed_urls"] == ["https://x.com/misaki_draws"], "their works' page, in their words"


@pytest.mark.parametrize(
    ("logged_url", "written"),
    [
        ("https://moth.example.jp/作品/君に届け", "https://moth.example.jp/作品/君に届けです。"),
        (OWN_SITE, f"{OWN_SITE}は盗作。"),
    ],
    ids=["a title the words would cut", "prose the words would keep"],
)
def test_where_the_words_cannot_tell_the_logged_post_names_itself(
    tracker: Tracker, tmp_path: Path, logged_url: str, written: str
) -> None:
    """`…/君に届けです` reads as `…/君` + prose, `…/夜市は盗作` as one name: a logged post among the readings wins."""
    image = write_png(tmp_path / "a.png", {}, image=pixels(seed=5))
    tracker("log", image, "--url", logged_url, "--platform", "mysite", "--persona", "moth")
    path = tmp_path / "ja.txt"
    path.write_text(f"佐藤と申します。\n{written}\n削除をお願いいたします。\n", encoding="utf-8")
    added = tracker.json("complaint", "add", "--from", path)
    assert [post["url"] for post in added["posts"]] == [logged_url]
    assert added["claimed_urls"] == []


def test_a_work_url_whose_path_goes_on_from_digits_into_japanese_is_kept_whole(logged: Tracker, tmp_path: Path) -> None:
    """A line holding only the work's address, `…/作品集/2024年/夏祭り`: stored whole, not cut at `2024`."""
    summer = "https://hanako.example.com/作品集/2024年/夏祭り"
    path = tmp_path / "summer.txt"
    path.write_text(
        f"お名前：山田花子\n\n{PIXIV} の画像は私の作品の無断転載です。削除をお願いいたします。\n\n"
        f"私の作品：\n{summer}\nhttps://hanako.example.com/ポートフォリオ/2024年/夏をご覧ください\n",
        encoding="utf-8",
    )
    logged("complaint", "add", "--from", path)
    assert logged.json("complaint", "show", "1")["claimed_urls"] == [
        summer,
        "https://hanako.example.com/ポートフォリオ/2024年/夏",
    ]
