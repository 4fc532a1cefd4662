"""URLs told apart from the Japanese prose written against them (`complaints.reading.prose_urls`).

A Japanese complainant writes `https://www.pixiv.net/artworks/12345678の画像は…` or `こちら（https://…）の投稿`
with no space; a URL may hold Japanese itself (`https://ja.wikipedia.org/wiki/東京`, a blog post's slug).
Each case is a sentence as a complaint would write it and the URL it must give, no more and no less.
"""

from __future__ import annotations

import pytest

from tracker.complaints.reading.prose_urls import other_readings, trimmed_to_post, urls_in
from tracker.platforms.urls import load_platforms, shipped_platforms_path

PIXIV = "https://www.pixiv.net/artworks/12345678"
STATUS = "https://x.com/moth_art/status/1234567890123456789"
WIKI = "https://ja.wikipedia.org/wiki/東京"
SLUG = "https://example-portfolio.jp/作品/京都の雨"
NOTE = "https://misskey.io/notes/9abcdefghi"
SKEB = "https://skeb.jp/@moth_art/works/3"


@pytest.mark.parametrize(
    ("text", "urls"),
    [
        (f"{PIXIV}の画像は私の作品をトレースしたものです。", [PIXIV]),
        (f"こちら（{STATUS}）の投稿", [STATUS]),
        (f"「{PIXIV}」『{STATUS}』【{WIKI}】", [PIXIV, STATUS, WIKI]),
        (
            "https://a.example/1、https://b.example/2・https://c.example/3",
            ["https://a.example/1", "https://b.example/2", "https://c.example/3"],
        ),
        (f"元の作品：{PIXIV}　（2023年投稿）", [PIXIV]),
        (f"{PIXIV}。{STATUS}です。{WIKI}！{SLUG}？", [PIXIV, STATUS, WIKI, SLUG]),
        (f"{PIXIV}(2023年投稿)", [PIXIV]),
        (f"{NOTE}の投稿、{SKEB}を", [NOTE, SKEB]),
        (f"{WIKI}の記事をご覧ください", [WIKI]),
        (f"{WIKI}を参照してください", [WIKI]),
        (f"{WIKI}です。", [WIKI]),
        (f"{WIKI}に", [WIKI]),
        (f"{WIKI}の", [WIKI]),
        (f"{WIKI}の画像は私の作品です", [WIKI]),
        (f"{WIKI}に掲載されている写真ではなく", [WIKI]),
        (f"{WIKI}で見つけました", [WIKI]),
        (f"{WIKI}にある画像、私の作品と同じ", [WIKI]),
        (f"{WIKI}・https://b.example/x", [WIKI, "https://b.example/x"]),
        (f"{SLUG}をご覧ください。", [SLUG]),
        ("https://x.com/moth_art/の投稿", ["https://x.com/moth_art"]),
        ("https://moth.example/blog/新作イラスト/をご覧ください", ["https://moth.example/blog/新作イラスト"]),
        ("https://example.jp/search?q=猫の画像です", ["https://example.jp/search?q=猫"]),
        ("https://www.pixiv.net/tags/オリジナルのタグ", ["https://www.pixiv.net/tags/オリジナル"]),
    ],
)
def test_the_prose_after_a_url_is_no_part_of_it(text: str, urls: list[str]) -> None:
    assert list(urls_in(text)) == urls


@pytest.mark.parametrize(
    "url",
    [
        SLUG,
        "https://ja.wikipedia.org/wiki/千と千尋の神隠し",
        "https://ja.wikipedia.org/wiki/風の谷のナウシカ",
        "https://ja.wikipedia.org/wiki/東京の写真展",
        "https://ja.wikipedia.org/wiki/はたらく細胞",
        "https://ja.wikipedia.org/wiki/にじさんじ",
        "https://ja.wikipedia.org/wiki/東京・大阪",
        "https://moth.example/2023/10/新作イラスト公開しました/",
        "https://booth.pm/ja/search/オリジナル?q=猫耳",
        "https://www.pixiv.net/tags/オリジナル/artworks",
        "https://ja.wikipedia.org/wiki/%E6%9D%B1%E4%BA%AC%E3%81%AE%E5%86%99%E7%9C%9F",
        "https://en.wikipedia.org/wiki/Moth_(insect)",
    ],
)
def test_a_url_holding_japanese_is_read_whole(url: str) -> None:
    for text in (url, f"{url} をご覧ください", f"「{url}」", f"作品：{url}\n", f"（{url}）の件"):
        assert urls_in(text) == (url,), text


def test_a_known_platforms_post_url_ends_where_its_pattern_does() -> None:
    platforms = load_platforms(shipped_platforms_path())
    assert trimmed_to_post(f"{PIXIV}/で見つけた絵", platforms) == PIXIV
    assert trimmed_to_post(f"{STATUS}/photo/1にある絵", platforms) == f"{STATUS}/photo/1"
    for kept in (WIKI, "https://www.pixiv.net/tags/オリジナル", "https://x.com/hashtag/オリジナル", PIXIV):
        assert trimmed_to_post(kept, platforms) == kept, "no post of a known platform: as it was"


def test_other_readings_end_before_a_particle_never_inside_a_word() -> None:
    text = "佐藤です。https://moth.example.jp/作品/君に届けです。https://moth.example.jp/作品/夜市場の件"
    first, second = urls_in(text)
    assert first == "https://moth.example.jp/作品/君"
    assert other_readings(first, text) == [
        "https://moth.example.jp/作品/君に届けです",
        "https://moth.example.jp/作品/君に届け",
    ]
    assert second == "https://moth.example.jp/作品/夜市場"
    assert other_readings(second, text) == [f"{second}の件"], "the whole run; no shorter name inside 夜市場"
    assert other_readings(PIXIV, f"{PIXIV}の画像") == [], "an ASCII URL is read one way"


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("https://hanako.example.com/作品集/2024年/夏祭り", "https://hanako.example.com/作品集/2024年/夏祭り"),
        (
            "https://hanako.example.com/ポートフォリオ/2024年/夏をご覧ください",
            "https://hanako.example.com/ポートフォリオ/2024年/夏",
        ),
        ("作品：https://hanako.example.com/作品集/2024年/夏祭り。", "https://hanako.example.com/作品集/2024年/夏祭り"),
        ("https://moth.example/vol.3の夏", "https://moth.example/vol.3の夏"),
        ("https://moth.example/2024年に公開した作品です", "https://moth.example/2024年"),
        ("https://moth.example/works/12について、削除をお願いします", "https://moth.example/works/12"),
        ("https://moth.example/works/12の画像は私の作品です", "https://moth.example/works/12"),
        ("https://moth.example/works/12と13です", "https://moth.example/works/12"),
        ("https://moth.example/works/12・その他", "https://moth.example/works/12"),
        ("https://moth.example/works/12投稿しました", "https://moth.example/works/12"),
        ("https://moth.example/works/12の", "https://moth.example/works/12"),
    ],
)
def test_a_part_begun_in_ascii_goes_on_into_a_name_unless_prose_begins(text: str, url: str) -> None:
    """`2024年` is a name going on after its digits, as `vol.3の夏` is; `12について`, `12の画像`, `12と13` are prose."""
    assert urls_in(text) == (url,), text


def test_a_name_going_on_after_ascii_offers_the_shorter_reading() -> None:
    text = "https://hanako.example.com/作品集/2024年/夏祭り"
    assert other_readings(text, text) == ["https://hanako.example.com/作品集/2024"]
