"""Which post an imported image belongs to: gallery-dl sidecars, URL templates, and hostile sidecars."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.errors import UsageError
from tracker.platforms.urls import load_platforms, parse_post_url, shipped_platforms_path
from tracker.posts.sidecars import (
    SIDECAR_MAX_BYTES,
    TITLE_MAX_CHARS,
    SidecarPost,
    check_url_template,
    expand_url_template,
    find_sidecar,
    post_for_image,
    read_sidecar,
)

PLATFORMS = load_platforms(shipped_platforms_path())

# Shaped like gallery-dl's --write-metadata output (docs/formats-and-platforms.md, section D).
PIXIV = {
    "category": "pixiv",
    "subcategory": "work",
    "id": 104123456,
    "title": "夕焼けの少女",
    "type": "illust",
    "caption": "",
    "create_date": "2023-05-01T12:00:00+09:00",
    "date": "2023-05-01 03:00:00",
    "tags": ["オリジナル", "AIイラスト"],
    "user": {"id": 1234567, "name": "作者", "account": "artist_01"},
    "illust_ai_type": 2,
    "page_count": 2,
    "num": 0,
    "suffix": "_p0",
    "filename": "104123456_p0",
    "extension": "png",
}
TWEET = {
    "category": "twitter",
    "subcategory": "tweet",
    "tweet_id": 1785123456789012345,
    "retweet_id": 0,
    "date": "2024-04-30 10:15:00",
    "author": {"id": 99, "name": "artist_x", "nick": "Artist ✨"},
    "user": {"id": 99, "name": "artist_x", "nick": "Artist ✨"},
    "content": "\n  New piece!   #AIart\nsecond line",
    "lang": "en",
    "count": 2,
    "num": 1,
    "type": "photo",
    "filename": "1785123456789012345_1",
    "extension": "jpg",
}
BSKY = {
    "category": "bluesky",
    "subcategory": "post",
    "uri": "at://did:plc:abc123xyz/app.bsky.feed.post/3kxyzabc2def",
    "post_id": "3kxyzabc2def",
    "author": {"did": "did:plc:abc123xyz", "handle": "artist.bsky.social", "displayName": "Artist"},
    "createdAt": "2024-06-01T08:30:00.123Z",
    "date": "2024-06-01 08:30:05",
    "text": "a quiet evening",
    "num": 1,
    "filename": "bafkreiabc",
    "extension": "jpeg",
}


def image_with_sidecar(folder: Path, name: str, data: Any, suffix: str = ".json") -> Path:
    """An image file and the sidecar gallery-dl writes beside it (`{name}.json` by default)."""
    image = folder / name
    image.write_bytes(b"\x89PNG\r\n\x1a\n")
    text = data if isinstance(data, (str, bytes)) else json.dumps(data, ensure_ascii=False)
    sidecar = image.with_name(name + suffix) if suffix == ".json" else folder / suffix
    if isinstance(text, bytes):
        sidecar.write_bytes(text)
    else:
        sidecar.write_text(text, encoding="utf-8")
    return image


def read(folder: Path, data: Any, name: str = "12345_p0.png") -> tuple[SidecarPost | None, list[str]]:
    image = image_with_sidecar(folder, name, data)
    sidecar = find_sidecar(image)
    assert sidecar is not None
    return read_sidecar(sidecar)


def assert_round_trip(post: SidecarPost) -> None:
    """parse_post_url accepts the URL as is, finds the same platform, post and account, and keeps the URL."""
    ref = parse_post_url(post.url, PLATFORMS)
    assert (ref.platform, ref.post_id, ref.url) == (post.platform, post.post_id, post.url)
    if post.platform != "pixiv":  # pixiv URLs do not name the account
        assert ref.handle == post.handle


def assert_one_line(problems: list[str]) -> None:
    assert problems
    for problem in problems:
        assert "\n" not in problem and "\r" not in problem and "Traceback" not in problem


# --- finding sidecars ----------------------------------------------------------------------------


def test_sidecar_is_the_image_name_plus_json(tmp_path: Path) -> None:
    image = image_with_sidecar(tmp_path, "12345_p0.png", PIXIV)
    (tmp_path / "12345_p0.json").write_text("{}")
    assert find_sidecar(image) == tmp_path / "12345_p0.png.json"


def test_stem_json_is_the_fallback(tmp_path: Path) -> None:
    image = image_with_sidecar(tmp_path, "12345_p0.png", PIXIV, suffix="12345_p0.json")
    assert find_sidecar(image) == tmp_path / "12345_p0.json"


def test_no_sidecar_and_directories_are_not_sidecars(tmp_path: Path) -> None:
    image = tmp_path / "a.png"
    image.write_bytes(b"x")
    assert find_sidecar(image) is None
    (tmp_path / "a.png.json").mkdir()
    (tmp_path / "target").mkdir()
    (tmp_path / "a.json").symlink_to(tmp_path / "target", target_is_directory=True)
    assert find_sidecar(image) is None
    assert find_sidecar(Path("/")) is None


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_neither_found_nor_waited_on(tmp_path: Path) -> None:
    image = tmp_path / "a.png"
    image.write_bytes(b"x")
    os.mkfifo(tmp_path / "a.png.json")
    assert find_sidecar(image) is None
    post, problems = read_sidecar(tmp_path / "a.png.json")  # would block forever without O_NONBLOCK
    assert post is None and "not a regular file" in problems[0]


# --- pixiv, X, Bluesky ---------------------------------------------------------------------------


def test_pixiv_pages_of_one_work_give_one_post(tmp_path: Path) -> None:
    first = read(tmp_path, PIXIV, "104123456_p0.png")
    second = read(tmp_path, {**PIXIV, "num": 1, "suffix": "_p1", "filename": "104123456_p1"}, "104123456_p1.png")
    assert first[1] == second[1] == []
    post = first[0]
    assert post == SidecarPost(
        url="https://www.pixiv.net/artworks/104123456",
        platform="pixiv",
        post_id="104123456",
        handle="artist_01",
        title="夕焼けの少女",
        posted_at=datetime(2023, 5, 1, 3, 0, tzinfo=UTC),
        source="sidecar",
        page=1,  # gallery-dl's num counts from 0
    )
    assert second[0] == replace(post, page=2)
    assert_round_trip(post)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"date": "2023-05-01 03:00:00"}, datetime(2023, 5, 1, 3, tzinfo=UTC)),  # gallery-dl's zone-less UTC
        ({"create_date": "2023-05-01T12:00:00+09:00"}, datetime(2023, 5, 1, 3, tzinfo=UTC)),  # JST
        ({"create_date": "garbage", "date": "2023-05-01 03:00:00"}, datetime(2023, 5, 1, 3, tzinfo=UTC)),
        ({}, None),
    ],
)
def test_pixiv_dates_end_in_utc(tmp_path: Path, fields: dict[str, str], expected: datetime | None) -> None:
    data = {k: v for k, v in PIXIV.items() if k not in ("date", "create_date")} | fields
    post, _ = read(tmp_path, data)
    assert post is not None and post.posted_at == expected
    assert post.posted_at is None or post.posted_at.utcoffset() == UTC.utcoffset(None)


def test_a_date_in_the_future_is_no_posting_date(tmp_path: Path) -> None:
    """A sidecar saying the post went online in 2099 (a clock or a tool gone wrong) gives the post no date, and says
    why; the other date the sidecar holds is taken instead."""
    data = {k: v for k, v in PIXIV.items() if k not in ("date", "create_date")}
    post, problems = read(tmp_path, data | {"create_date": "2099-05-01T12:00:00+09:00", "date": "2023-05-01 03:00:00"})
    assert post is not None and post.posted_at == datetime(2023, 5, 1, 3, tzinfo=UTC)
    assert len(problems) == 1 and "'create_date' '2099-05-01T12:00:00+09:00' is in the future" in problems[0]
    post, problems = read(tmp_path, data | {"date": "2099-05-01 03:00:00"})
    assert post is not None and post.posted_at is None and "in the future" in problems[0]


def test_tweet_url_names_the_author_and_the_title_is_the_first_line(tmp_path: Path) -> None:
    post, problems = read(tmp_path, TWEET, "1785123456789012345_1.jpg")
    assert problems == []
    assert post is not None
    assert post.url == "https://x.com/artist_x/status/1785123456789012345"
    assert (post.platform, post.post_id, post.handle) == ("x", "1785123456789012345", "artist_x")
    assert post.title == "New piece! #AIart"
    assert post.posted_at == datetime(2024, 4, 30, 10, 15, tzinfo=UTC)
    assert_round_trip(post)


def test_tweet_without_author_uses_user_then_no_account(tmp_path: Path) -> None:
    no_author = {k: v for k, v in TWEET.items() if k != "author"}
    post, _ = read(tmp_path, no_author, "a.jpg")
    assert post is not None and post.url == "https://x.com/artist_x/status/1785123456789012345"
    post, _ = read(tmp_path, {**no_author, "user": {}, "category": "x"}, "b.jpg")
    assert post is not None and post.url == "https://x.com/i/web/status/1785123456789012345"
    assert post.handle is None
    assert_round_trip(post)


def test_long_tweet_text_is_cut_for_the_title(tmp_path: Path) -> None:
    post, _ = read(tmp_path, {**TWEET, "content": "x" * 1000 + "\x1b[31m"})
    assert post is not None and post.title is not None
    assert len(post.title) == TITLE_MAX_CHARS and post.title.endswith("…")


def test_bluesky_post(tmp_path: Path) -> None:
    post, problems = read(tmp_path, BSKY, "bafkreiabc.jpeg")
    assert problems == []
    assert post == SidecarPost(
        url="https://bsky.app/profile/artist.bsky.social/post/3kxyzabc2def",
        platform="bluesky",
        post_id="3kxyzabc2def",
        handle="artist.bsky.social",
        title="a quiet evening",
        posted_at=datetime(2024, 6, 1, 8, 30, 0, 123000, tzinfo=UTC),
        source="sidecar",
        page=1,  # gallery-dl's num counts a post's images from 1
    )
    assert_round_trip(post)


def test_bluesky_falls_back_to_the_did_and_the_uri(tmp_path: Path) -> None:
    data = {**BSKY, "author": {"did": "did:plc:abc123xyz", "handle": "handle.invalid"}}
    post, _ = read(tmp_path, data, "a.jpeg")
    assert post is not None and post.url == "https://bsky.app/profile/did:plc:abc123xyz/post/3kxyzabc2def"
    assert_round_trip(post)
    bare = {"category": "bluesky", "uri": BSKY["uri"], "date": "2024-06-01 08:30:05"}
    post, _ = read(tmp_path, bare, "b.jpeg")
    assert post is not None and post.url == "https://bsky.app/profile/did:plc:abc123xyz/post/3kxyzabc2def"
    assert post.posted_at == datetime(2024, 6, 1, 8, 30, 5, tzinfo=UTC)


@pytest.mark.parametrize("category", ["danbooru", "fantia", "kemonoparty"])
def test_categories_tracker_does_not_read_give_no_post(tmp_path: Path, category: str) -> None:
    post, problems = read(tmp_path, {"category": category, "index": 123, "id": "9xyz"})
    assert post is None
    assert problems == [
        f"sidecar 12345_p0.png.json: sidecar category {category!r}: tracker does not read this site's sidecars, "
        "so the image is archived without a post (unless --url-template gives one)"
    ]


# gallery-dl misskey.py: the note itself, with `instance` added; `category` is the instance's name.
MISSKEY_NOTE = {
    "category": "misskey.io",
    "subcategory": "note",
    "id": "9abcdefghi",
    "createdAt": "2026-02-04T00:00:00.000Z",
    "text": "night moth\nsecond line",
    "user": {"id": "9u", "username": "moth", "host": None},
    "instance": "misskey.io",
    "instance_remote": None,
    "date": "2026-02-04 00:00:00",
    "num": 1,
    "filename": "9abcdefghi",
    "extension": "png",
}
# gallery-dl deviantart.py: the deviation, with its own `url` and `index` (the id at the URL's end).
DEVIATION = {
    "category": "deviantart",
    "subcategory": "deviation",
    "index": 1012345678,
    "title": "Moth forest",
    "url": "https://www.deviantart.com/mothart/art/Moth-forest-1012345678",
    "author": {"username": "mothart"},
    "date": "2026-02-05 00:00:00",
    "filename": "moth-forest-1012345678",
    "extension": "png",
}


def test_a_misskey_sidecar_names_its_note(tmp_path: Path) -> None:
    post, problems = read(tmp_path, MISSKEY_NOTE, "9abcdefghi.png")
    assert problems == []
    assert post is not None
    assert (post.url, post.platform, post.post_id, post.handle) == (
        "https://misskey.io/notes/9abcdefghi",
        "misskey",
        "9abcdefghi",
        "moth",
    )
    assert post.title == "night moth" and post.posted_at == datetime(2026, 2, 4, tzinfo=UTC)
    assert parse_post_url(post.url, PLATFORMS).post_id == "9abcdefghi"
    # Another instance, a user of a third one, and the base name as category (a user's own config).
    other = {
        **MISSKEY_NOTE,
        "category": "misskey",
        "instance": "mk.example.net",
        "user": {"username": "moth", "host": "b.example"},
    }
    post, problems = read(tmp_path, other, "b.png")
    assert problems == [] and post is not None
    assert (post.url, post.handle) == ("https://mk.example.net/notes/9abcdefghi", "moth@b.example")
    assert parse_post_url(post.url, PLATFORMS, post.platform).post_id == "9abcdefghi"
    no_instance = {k: v for k, v in MISSKEY_NOTE.items() if k != "instance"}
    post, _ = read(tmp_path, {**no_instance, "category": "sushi.ski"}, "c.png")
    assert post is not None and post.url == "https://sushi.ski/notes/9abcdefghi"
    post, problems = read(tmp_path, {**no_instance, "category": "misskey"}, "d.png")
    assert post is None and problems[-1].endswith("Misskey note without the instance it is on ('instance'); no post")
    post, problems = read(tmp_path, {**MISSKEY_NOTE, "instance": "misskey.io/../x"}, "e.png")
    assert post is None and "'instance' 'misskey.io/../x' is not valid" in problems[0]


def test_a_deviantart_sidecar_names_its_deviation_by_its_own_url(tmp_path: Path) -> None:
    post, problems = read(tmp_path, DEVIATION, "moth-forest-1012345678.png")
    assert problems == []
    assert post == SidecarPost(
        "https://www.deviantart.com/mothart/art/1012345678",
        "deviantart",
        "1012345678",
        "mothart",
        "Moth forest",
        datetime(2026, 2, 5, tzinfo=UTC),
        "sidecar",
    )
    assert_round_trip(post)
    post, problems = read(tmp_path, {**DEVIATION, "index": 5}, "b.png")
    assert post is None and problems == [
        "sidecar b.png.json: DeviantArt 'index' '5' is not the id in its 'url'; no post"
    ]
    post, problems = read(tmp_path, {**DEVIATION, "url": "https://www.deviantart.com/mothart"}, "c.png")
    assert post is None and "is not a deviation's address; no post" in problems[0]


def test_a_tumblr_sidecar_names_its_post(tmp_path: Path) -> None:
    data = {
        "category": "tumblr",
        "id": 712345678901234567,
        "blog_name": "mothblog",
        "summary": "moth",
        "date": "2026-01-02 03:04:05",
    }
    post, problems = read(tmp_path, data, "tumblr_abc.png")
    assert problems == [] and post is not None
    assert (post.url, post.handle, post.title) == (
        "https://www.tumblr.com/mothblog/712345678901234567",
        "mothblog",
        "moth",
    )
    assert_round_trip(post)


# --- hostile sidecars --------------------------------------------------------------------------------

HOSTILE: dict[str, Any] = {
    "invalid JSON": '{"category": "pixiv", "id": 1',
    "empty file": "",
    "top level list": json.dumps([PIXIV]),
    "top level string": '"pixiv"',
    "nested 10000 deep": '{"category": "pixiv", "id": ' + "[" * 10000 + "]" * 10000 + "}",
    "invalid UTF-8": b'{"category": "pixiv", "id": 1, "title": "\xff\xfe"}',
    "no category": {k: v for k, v in PIXIV.items() if k != "category"},
    "category is a list": {**PIXIV, "category": ["pixiv"]},
    "pixiv id missing": {k: v for k, v in PIXIV.items() if k != "id"},
    "pixiv id is a list": {**PIXIV, "id": [1]},
    "pixiv id is a bool": {**PIXIV, "id": True},
    "pixiv id is a float": {**PIXIV, "id": 1.5},
    "pixiv id is negative": {**PIXIV, "id": -5},
    "pixiv id walks up the path": {**PIXIV, "id": "123/../../users/1"},
    "pixiv id with a newline": {**PIXIV, "id": "123\n456"},
    "pixiv id in other digits": {**PIXIV, "id": "١٢٣"},
    "tweet id with a query": {**TWEET, "tweet_id": "123?x=1"},
    "tweet id is a dict": {**TWEET, "tweet_id": {"id": 1}},
    "tweet id too long": {**TWEET, "tweet_id": "9" * 400},
    "bluesky rkey is ..": {**BSKY, "post_id": ".."},
    "bluesky rkey with a slash": {**BSKY, "post_id": "abc/def"},
    "bluesky rkey with control characters": {**BSKY, "post_id": "abc\x00\u202edef"},
    "bluesky author is junk": {**BSKY, "uri": None, "author": {"handle": "x/../y", "did": "did:evil"}},
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_sidecars_give_no_post_and_a_problem(tmp_path: Path, name: str) -> None:
    post, problems = read(tmp_path, HOSTILE[name])
    assert post is None
    assert_one_line(problems)
    assert all(p.startswith("sidecar 12345_p0.png.json") for p in problems)


def test_a_huge_sidecar_is_not_read(tmp_path: Path) -> None:
    padding = "x" * (10 * 1024 * 1024)
    post, problems = read(tmp_path, {**PIXIV, "caption": padding})
    assert post is None
    assert problems == [f"sidecar 12345_p0.png.json: 10.0 MiB, larger than {SIDECAR_MAX_BYTES // 2**20} MiB; ignored"]


def test_an_unreadable_sidecar_is_a_problem(tmp_path: Path) -> None:
    post, problems = read_sidecar(tmp_path / "missing.png.json")
    assert post is None and "cannot be read" in problems[0]


def test_bad_optional_fields_keep_the_post_with_a_problem(tmp_path: Path) -> None:
    data = {**TWEET, "author": {"name": "evil/../x\n"}, "date": "9999-12-31T23:00:00-05:00", "content": 42}
    post, problems = read(tmp_path, data)
    assert post is not None
    assert post.url == "https://x.com/artist_x/status/1785123456789012345"  # user.name, not the bad author
    assert post.posted_at is None and post.title is None
    assert_one_line(problems)
    assert len(problems) == 3
    assert_round_trip(post)


def test_a_sidecar_file_name_with_control_characters_stays_one_line(tmp_path: Path) -> None:
    post, problems = read(tmp_path, "not json", "a\x1b[2J\nb.png")
    assert post is None
    assert_one_line(problems)
    assert "\x1b" not in problems[0]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
id_like = st.integers() | st.from_regex(r"[0-9a-z./:?#%\\ \n-]{0,20}", fullmatch=True) | json_values
handle_like = st.from_regex(r"[A-Za-z0-9_.:/@?#-]{0,20}", fullmatch=True) | json_values


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    category=st.sampled_from(["pixiv", "twitter", "x", "bluesky"]),
    post_id=id_like,
    handle=handle_like,
    date=json_values | st.from_regex(r"[0-9: T+-]{0,25}", fullmatch=True),
)
def test_any_sidecar_gives_a_parseable_url_or_a_problem(
    tmp_path: Path, category: str, post_id: Any, handle: Any, date: Any
) -> None:
    data = {
        "category": category,
        "id": post_id,
        "tweet_id": post_id,
        "post_id": post_id,
        "user": {"account": handle, "name": handle},
        "author": {"name": handle, "handle": handle, "did": handle},
        "date": date,
    }
    sidecar = tmp_path / "fuzz.png.json"
    sidecar.write_text(json.dumps(data), encoding="utf-8")
    post, problems = read_sidecar(sidecar)
    if post is None:
        assert_one_line(problems)
    else:
        assert_round_trip(post)
        assert post.posted_at is None or post.posted_at.tzinfo is UTC


# --- URL templates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "name", "expected"),
    [
        ("https://www.pixiv.net/artworks/{id}", "12345_p0.png", "https://www.pixiv.net/artworks/12345"),
        ("https://example.com/{id}/{num}", "12345_p12.png", "https://example.com/12345/12"),
        ("https://example.com/{id}/{num}", "1800000000000000001_3.jpg", "https://example.com/1800000000000000001/3"),
        ("https://example.com/{stem}", "12345_p0.png", "https://example.com/12345_p0"),
        ("https://example.com/f/{name}", "my file#1.png", "https://example.com/f/my%20file%231.png"),
        ("https://example.com/{stem}", "夕焼け.png", "https://example.com/%E5%A4%95%E7%84%BC%E3%81%91"),
        ("https://example.com/static", "anything.png", "https://example.com/static"),
    ],
)
def test_template_placeholders(template: str, name: str, expected: str) -> None:
    assert expand_url_template(template, Path("/some/dir") / name) == expected


def test_template_uses_top_level_sidecar_fields_but_builtins_win() -> None:
    fields = {"tweet_id": 1785123456789012345, "id": 999, "path": "../../admin?x=1", "flag": True, "user": {"a": 1}}
    image = Path("12345_1.jpg")
    assert expand_url_template("https://x.com/i/web/status/{tweet_id}", image, fields).endswith("/1785123456789012345")
    assert expand_url_template("https://e.com/{id}", image, fields) == "https://e.com/12345"
    assert expand_url_template("https://e.com/{path}", image, fields) == "https://e.com/..%2F..%2Fadmin%3Fx%3D1"
    for name in ("flag", "user", "absent"):
        with pytest.raises(UsageError, match=rf"\{{{name}\}}.*12345_1\.jpg"):
            expand_url_template(f"https://e.com/{{{name}}}", image, fields)


@pytest.mark.parametrize(
    "template",
    [
        "https://e.com/{id.__class__}",
        "https://e.com/{0}",
        "https://e.com/{}",
        "https://e.com/{id!r}",
        "https://e.com/{id:>10}",
        "https://e.com/{ID}",
        "https://e.com/{{id}}",
        "https://e.com/{id",
        "https://e.com/id}",
        "https://e.com/{id}\n",
        "https://e.com/a b/{id}",
        "",
    ],
)
def test_malformed_templates_are_refused(template: str) -> None:
    with pytest.raises(UsageError) as caught:
        expand_url_template(template, Path("12345_p0.png"))
    assert "\n" not in str(caught.value)
    with pytest.raises(UsageError):
        check_url_template(template)


@pytest.mark.parametrize(
    ("template", "name", "placeholder"),
    [
        ("https://e.com/{unknown}", "12345_p0.png", "{unknown}"),
        ("https://e.com/{id}", "cover.png", "{id}"),
        ("https://e.com/{num}", "12345.png", "{num}"),
    ],
)
def test_template_errors_name_the_placeholder_and_the_file(template: str, name: str, placeholder: str) -> None:
    with pytest.raises(UsageError) as caught:
        expand_url_template(template, Path(name))
    message = str(caught.value)
    assert placeholder in message and repr(name) in message and "\n" not in message


# --- post_for_image ---------------------------------------------------------------------------------------


def test_the_sidecar_wins_over_the_template(tmp_path: Path) -> None:
    image = image_with_sidecar(tmp_path, "104123456_p0.png", PIXIV)
    post, problems = post_for_image(image, "https://example.com/{id}")
    assert post is not None and post.source == "sidecar" and post.url == "https://www.pixiv.net/artworks/104123456"
    assert problems == []


def test_the_template_is_used_without_a_usable_sidecar(tmp_path: Path) -> None:
    plain = tmp_path / "555_p0.png"
    plain.write_bytes(b"x")
    post, problems = post_for_image(plain, "https://www.pixiv.net/artworks/{id}")
    assert post == SidecarPost("https://www.pixiv.net/artworks/555", None, None, None, None, None, "template")
    assert problems == []
    assert parse_post_url(post.url, PLATFORMS).post_id == "555"

    deviation = image_with_sidecar(tmp_path, "art.png", {"category": "deviantart", "index": 987, "username": "bob"})
    post, problems = post_for_image(deviation, "https://www.deviantart.com/{username}/art/{index}")
    assert post is not None and post.url == "https://www.deviantart.com/bob/art/987"
    assert problems == ["sidecar art.png.json: DeviantArt 'url' is missing; no post"]


def test_no_sidecar_and_no_template_means_no_post(tmp_path: Path) -> None:
    image = tmp_path / "a.png"
    image.write_bytes(b"x")
    assert post_for_image(image, None) == (None, [])
    broken = image_with_sidecar(tmp_path, "b.png", "{")
    post, problems = post_for_image(broken, None)
    assert post is None and len(problems) == 1 and "not valid JSON" in problems[0]


def test_a_template_without_a_value_for_one_image_is_a_problem_not_an_abort(tmp_path: Path) -> None:
    cover = tmp_path / "cover.png"
    cover.write_bytes(b"x")
    post, problems = post_for_image(cover, "https://www.pixiv.net/artworks/{id}")
    assert post is None
    assert len(problems) == 1 and "{id}" in problems[0] and "cover.png" in problems[0]
    with pytest.raises(UsageError):
        post_for_image(cover, "https://www.pixiv.net/artworks/{id.__class__}")
