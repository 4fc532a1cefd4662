"""gallery-dl sidecars of Mastodon, pixivFANBOX and BOOTH: the post's URL, account, title, date and page, as
`tracker import` reads them (they were "a site tracker does not read"), and hostile ones as one-line problems.

The sidecars are synthetic, shaped by gallery-dl's extractors: `mastodon.py` (the status as Mastodon's API gives
it, with `instance`, `instance_remote`, `date`, `num` added; `category` is the instance's key), `fanbox.py` (the
post of `api.fanbox.cc/post.info`, with `date`, `num` from 0 and the cover first) and `booth.py` (the item's JSON
with `date`, `num` from 1; `shop.subdomain` and `shop.url` as BOOTH's item JSON has them).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import pixels, write_png

from tracker.platforms.urls import load_platforms, parse_post_url, shipped_platforms_path
from tracker.posts.sidecars import SidecarPost, find_sidecar, read_sidecar

PLATFORMS = load_platforms(shipped_platforms_path())

MASTODON = {
    "category": "pawoo",
    "subcategory": "status",
    "id": "112233445566778899",
    "created_at": "2026-03-01T09:30:00.000Z",
    "content": '<p>Night moth &amp; lamp<br>second line</p><p><a href="https://pawoo.net/tags/AIart">#AIart</a></p>',
    "spoiler_text": "",
    "uri": "https://pawoo.net/users/moth/statuses/112233445566778899",
    "url": "https://pawoo.net/@moth/112233445566778899",
    "account": {"id": "1", "username": "moth", "acct": "moth", "display_name": "Moth"},
    "instance": "pawoo.net",
    "instance_remote": None,
    "tags": ["AIart"],
    "date": "2026-03-01 09:30:00",
    "count": 2,
    "num": 2,
    "media": {"id": "998877", "type": "image"},
    "filename": "998877",
    "extension": "png",
}
FANBOX = {
    "category": "fanbox",
    "subcategory": "post",
    "id": "4815949",
    "title": "月夜の蛾\n(本文)",
    "creatorId": "MothWorks",
    "user": {"userId": "1234567", "name": "蛾", "iconUrl": "https://example.invalid/i.png"},
    "publishedDatetime": "2026-02-10T21:00:00+09:00",
    "updatedDatetime": "2026-02-11T08:00:00+09:00",
    "type": "image",
    "feeRequired": 500,
    "hasAdultContent": False,
    "tags": [],
    "date": "2026-02-10 12:00:00",
    "isCoverImage": False,
    "num": 1,
    "filename": "abcdef",
    "extension": "png",
}
BOOTH = {
    "category": "booth",
    "subcategory": "item",
    "id": 5123456,
    "name": "蛾のアクリルスタンド",
    "description": "AI生成イラストを使ったグッズです。",
    "published_at": "2026-01-20T10:00:00.000+09:00",
    "date": "2026-01-20 01:00:00",
    "shop": {"name": "蛾の店", "subdomain": "moth-shop", "url": "https://moth-shop.booth.pm/", "id": 42},
    "booth_category": {"id": 1, "name": "アクリルスタンド"},
    "tags": ["アクスタ"],
    "count": 3,
    "num": 3,
    "filename": "5123456-abc",
    "extension": "jpg",
}


def read(folder: Path, data: Any, name: str = "a.png") -> tuple[SidecarPost | None, list[str]]:
    image = folder / name
    image.write_bytes(b"\x89PNG\r\n\x1a\n")
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    image.with_name(name + ".json").write_text(text, encoding="utf-8")
    sidecar = find_sidecar(image)
    assert sidecar is not None
    return read_sidecar(sidecar)


def assert_round_trip(post: SidecarPost, platform: str | None = None) -> None:
    """The URL is the one `parse_post_url` stores, with the same platform, post and account."""
    ref = parse_post_url(post.url, PLATFORMS, platform)
    assert (ref.platform, ref.post_id, ref.url) == (post.platform, post.post_id, post.url)
    if ref.handle is not None:
        assert ref.handle == post.handle


def test_a_mastodon_status_gives_its_address_account_first_line_date_and_page(tmp_path: Path) -> None:
    post, problems = read(tmp_path, MASTODON)
    assert problems == []
    assert post == SidecarPost(
        url="https://pawoo.net/@moth/112233445566778899",
        platform="mastodon",
        post_id="112233445566778899",
        handle="moth",
        title="Night moth & lamp",
        posted_at=datetime(2026, 3, 1, 9, 30, tzinfo=UTC),
        source="sidecar",
        page=2,
    )
    assert_round_trip(post)


def test_a_status_of_another_instance_s_account_or_from_an_instance_the_user_configured(tmp_path: Path) -> None:
    """acct user@host: the status as the instance it was fetched from shows it; an instance gallery-dl does not
    know names the category after itself and is read by the status's shape (the platform named, as
    `--platform mastodon` would)."""
    remote = {**MASTODON, "account": {"username": "owl", "acct": "owl@misskey.io"}, "instance_remote": "misskey.io"}
    post, _ = read(tmp_path, remote, "b.png")
    assert post is not None and post.url == "https://pawoo.net/@owl@misskey.io/112233445566778899"
    assert post.handle == "owl@misskey.io"
    assert_round_trip(post)
    configured = {**MASTODON, "category": "mstdn.example", "instance": "mstdn.example"}
    post, problems = read(tmp_path, configured, "c.png")
    assert problems == [] and post is not None and post.url == "https://mstdn.example/@moth/112233445566778899"
    assert_round_trip(post, "mastodon")


def test_a_status_with_only_a_content_warning_is_titled_by_it(tmp_path: Path) -> None:
    post, _ = read(tmp_path, {**MASTODON, "content": "<p></p>", "spoiler_text": "moth (flashing)"})
    assert post is not None and post.title == "moth (flashing)"


def test_a_fanbox_post_gives_the_creator_s_address_title_date_and_page(tmp_path: Path) -> None:
    """The creator id is the subdomain (lowercased: host names know no case); `num` 1 is the second file (the
    cover is 0)."""
    post, problems = read(tmp_path, FANBOX)
    assert problems == []
    assert post == SidecarPost(
        url="https://mothworks.fanbox.cc/posts/4815949",
        platform="fanbox",
        post_id="4815949",
        handle="mothworks",
        title="月夜の蛾",
        posted_at=datetime(2026, 2, 10, 12, 0, tzinfo=UTC),
        source="sidecar",
        page=2,
    )
    assert_round_trip(post)
    assert parse_post_url("https://www.fanbox.cc/@mothworks/posts/4815949", PLATFORMS).url == post.url


def test_a_booth_item_gives_its_address_shop_name_date_and_page(tmp_path: Path) -> None:
    post, problems = read(tmp_path, BOOTH)
    assert problems == []
    assert post == SidecarPost(
        url="https://booth.pm/ja/items/5123456",
        platform="booth",
        post_id="5123456",
        handle="moth-shop",
        title="蛾のアクリルスタンド",
        posted_at=datetime(2026, 1, 20, 1, 0, tzinfo=UTC),
        source="sidecar",
        page=3,
    )
    assert_round_trip(post)
    for spelling in ("https://moth-shop.booth.pm/items/5123456", "https://booth.pm/en/items/5123456"):
        assert parse_post_url(spelling, PLATFORMS).url == post.url  # one item, one stored URL
    without_subdomain = {**BOOTH, "shop": {"name": "蛾の店", "url": "https://moth-shop.booth.pm/"}}
    post, _ = read(tmp_path, without_subdomain, "b.png")
    assert post is not None and post.handle == "moth-shop"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({**MASTODON, "id": "../../x"}, "Mastodon status 'id' '../../x' is not valid"),
        ({**MASTODON, "instance": "evil.example/@x"}, "'instance' 'evil.example/@x' is not valid"),
        ({**MASTODON, "account": "moth"}, "without its account ('account.acct'); no post"),
        ({**MASTODON, "account": {"acct": "mo th"}}, "'account.acct' 'mo th' is not valid"),
        ({**FANBOX, "creatorId": None}, "FANBOX post without its creator ('creatorId'); no post"),
        ({**FANBOX, "creatorId": "a.evil.example/x"}, "'creatorId' 'a.evil.example/x' is not valid"),
        ({**FANBOX, "id": ["1"]}, "FANBOX post 'id'"),
        ({**BOOTH, "id": None}, "BOOTH item 'id' is missing; no post"),
    ],
)
def test_a_malformed_sidecar_of_these_sites_gives_no_post_and_one_line_problems(
    tmp_path: Path, data: dict[str, Any], expected: str
) -> None:
    post, problems = read(tmp_path, data)
    assert post is None
    assert any(expected in problem for problem in problems), problems
    assert all("\n" not in p and "Traceback" not in p for p in problems)


@pytest.mark.parametrize(
    "data",
    [
        {**MASTODON, "created_at": "yesterday", "date": 5, "content": {"html": 1}, "num": "2"},
        {**FANBOX, "publishedDatetime": "3026-01-01T00:00:00+09:00", "date": None, "title": ["x"], "num": -5},
        {**BOOTH, "shop": {"subdomain": "../x", "url": 7}, "published_at": "", "date": "0", "name": 12, "num": True},
    ],
)
def test_wrong_optional_fields_are_left_out_with_a_problem_each(tmp_path: Path, data: dict[str, Any]) -> None:
    """A date that is no date (or in the future), a title that is no text, a page that is no number: the post is
    still read, without them."""
    post, problems = read(tmp_path, data)
    assert post is not None and post.posted_at is None and post.title is None and post.page is None
    assert problems and all("\n" not in p for p in problems)
    assert_round_trip(post, post.platform)


def test_tracker_import_logs_the_posts_of_these_sidecars(tracker: Tracker, tmp_path: Path) -> None:
    """End to end: each image gets its post, with the account, title and date its sidecar gives."""
    folder = tmp_path / "gallery-dl"
    folder.mkdir()
    for seed, (name, data) in enumerate(
        [("pawoo_1.png", MASTODON), ("4815949_1.png", FANBOX), ("03 5123456-abc.png", BOOTH)]
    ):
        image = write_png(folder / name, {}, image=pixels((60, 60), seed=40 + seed))
        image.with_name(image.name + ".json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = tracker("import", folder, "--persona", "moth")
    assert "sidecar" not in result.stderr  # every sidecar was read, without a warning
    assert "3 files: 3 new images, 3 new posts, 0 archived without a post" in result.stdout
    posts = {p["url"]: p for p in tracker.json("posts")}
    seen = {url: (p["platform"], p["account"]["handle"], p["title"], p["posted_at"][:16]) for url, p in posts.items()}
    assert seen == {
        "https://pawoo.net/@moth/112233445566778899": ("mastodon", "moth", "Night moth & lamp", "2026-03-01T09:30"),
        "https://mothworks.fanbox.cc/posts/4815949": ("fanbox", "mothworks", "月夜の蛾", "2026-02-10T12:00"),
        "https://booth.pm/ja/items/5123456": ("booth", "moth-shop", "蛾のアクリルスタンド", "2026-01-20T01:00"),
    }
