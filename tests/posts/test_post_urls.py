"""One post, one URL, on every site; and a page of a known platform that is no post is never logged as one.

The spelling of a URL on a site tracker does not know (`--platform NAME`) is normalised as the
built-in platforms' are: host case, a trailing slash and a `#fragment` make no second post. A URL on
pixiv, X, ... that none of the platform's patterns reads (no post id) is refused, with or without
`--platform`, saying what a post URL there looks like.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker, database_url
from fixtures.imagefactory import pixels, write_png
from sqlalchemy import create_engine, text

from tracker.errors import UsageError
from tracker.platforms.urls import load_platforms, parse_post_url, platform_of_sender, shipped_platforms_path

pytestmark = pytest.mark.db

PLATFORMS = load_platforms(shipped_platforms_path())


def image(tmp_path: Path, seed: int) -> Path:
    return write_png(tmp_path / f"img{seed}.png", {}, image=pixels(seed=seed))


@pytest.mark.parametrize(
    "again",
    [
        "https://EXAMPLE-art.net/u/moth/12345/",
        "https://example-art.net/u/moth/12345#comments",
        "https://Example-Art.NET:443/u/moth/12345/?utm_source=feed#top",
    ],
)
def test_the_same_post_on_an_unknown_site_is_refused_as_already_logged(
    tracker: Tracker, tmp_path: Path, again: str
) -> None:
    first = tracker.json("log", image(tmp_path, 1), "--url", "https://example-art.net/u/moth/12345",
                         "--persona", "moth", "--platform", "exampleart")  # fmt: skip
    assert first["url"] == "https://example-art.net/u/moth/12345"
    result = tracker("log", image(tmp_path, 2), "--url", again, "--persona", "moth", "--platform", "exampleart",
                     ok=False)  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr.strip() == ("tracker: error: https://example-art.net/u/moth/12345 is already logged (post #1)")
    assert len(tracker.json("posts")) == 1
    assert tracker.json("show", again)["id"] == 1  # found again by any of its spellings


def test_a_post_an_earlier_tracker_stored_with_its_trailing_slash_is_still_refused(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    tracker("log", image(tmp_path, 1), "--url", "https://blog.example/p/7", "--persona", "moth", "--platform", "blog")
    engine = create_engine(database_url(isolated_env))
    with engine.begin() as connection:  # as stored before
        connection.execute(text("UPDATE post SET url = 'https://blog.example/p/7/' WHERE id = 1"))
    engine.dispose()
    result = tracker("log", image(tmp_path, 2), "--url", "https://blog.example/p/7", "--platform", "blog", ok=False)
    assert "is already logged (post #1)" in result.stderr
    assert tracker.json("show", "https://blog.example/p/7")["id"] == 1


ART = "https://example-art-site.jp/ユーザー/月の影/作品/12345"
ART_ESCAPED = (
    "https://example-art-site.jp/%E3%83%A6%E3%83%BC%E3%82%B6%E3%83%BC/%E6%9C%88%E3%81%AE%E5%BD%B1"
    "/%E4%BD%9C%E5%93%81/12345"
)
"""One post's URL as a message quotes it and as a browser copies it (its path percent-escaped)."""


@pytest.mark.parametrize(("logged", "asked"), [(ART, ART_ESCAPED), (ART_ESCAPED, ART), (ART_ESCAPED, ART_ESCAPED)])
def test_a_non_ascii_path_is_one_url_escaped_or_not(tracker: Tracker, tmp_path: Path, logged: str, asked: str) -> None:
    first = tracker.json("log", image(tmp_path, 1), "--url", logged, "--persona", "moth", "--platform", "artsite")
    assert first["url"] == ART, "stored as it reads"
    assert tracker.json("show", asked)["id"] == 1
    again = tracker("log", image(tmp_path, 2), "--url", asked, "--platform", "artsite", ok=False)
    assert "is already logged (post #1)" in again.stderr
    added = tracker.json("complaint", "add", "--post", asked, "--name", "K")
    assert [post["id"] for post in added["posts"]] == [1]


def test_a_post_an_earlier_tracker_stored_percent_escaped_is_found_by_either_spelling(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    tracker("log", image(tmp_path, 1), "--url", ART, "--persona", "moth", "--platform", "artsite")
    engine = create_engine(database_url(isolated_env))
    with engine.begin() as connection:  # as stored before, when the URL was logged as a browser copies it
        connection.execute(text("UPDATE post SET url = :url WHERE id = 1"), {"url": ART_ESCAPED})
    engine.dispose()
    assert tracker.json("show", ART)["id"] == 1 and tracker.json("show", ART_ESCAPED)["id"] == 1
    result = tracker("log", image(tmp_path, 2), "--url", ART, "--platform", "artsite", ok=False)
    assert "is already logged (post #1)" in result.stderr


def test_only_whole_non_ascii_characters_are_written_out() -> None:
    url = "https://example.jp/%E4%BD%9C%E5%93%81%2F%20%E2%80%AE%FF/x"
    assert parse_post_url(url, PLATFORMS, "mysite").url == "https://example.jp/作品%2F%20%E2%80%AE%FF/x", (
        "an escaped slash, a space, a bidi override and a byte that is no UTF-8 stay escaped"
    )


@pytest.mark.parametrize("platform", [None, "pixiv"])
def test_a_pixiv_url_without_a_post_id_is_refused_even_with_platform(
    tracker: Tracker, tmp_path: Path, platform: str | None
) -> None:
    flags = ["--platform", platform] if platform else []
    result = tracker("log", image(tmp_path, 1), "--url", "https://www.pixiv.net/artworks/", "--persona", "moth",
                     *flags, ok=False)  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "tracker: error: https://www.pixiv.net/artworks/ is not the URL of a post on pixiv: "
        "a post URL on pixiv looks like https://www.pixiv.net/artworks/123456789"
    )
    listed = tracker("posts", "--json", ok=False)  # a new SQLite database the failed command made went with it
    assert listed.stdout.strip() == "[]" or "no database at" in listed.stderr


@pytest.mark.parametrize(
    ("url", "platform", "words"),
    [
        ("https://x.com/home", "x", "a post URL on X (Twitter) looks like https://x.com/NAME/status/"),
        ("https://x.com/moth_ai", "twitter", "not the URL of a post on X (Twitter)"),
        ("https://www.pixiv.net/users/123", "mysite", "cannot name it; https://www.pixiv.net/users/123 is not the URL"),
        ("https://bsky.app/profile/moth.bsky.social", "bluesky", "looks like https://bsky.app/profile/"),
        ("https://civitai.com/user/moth", None, "looks like https://civitai.com/images/"),
        ("https://tensor.art/u/moth", "tensorart", "looks like https://tensor.art/images/"),
    ],
)
def test_pages_of_known_platforms_that_are_no_post_are_refused(url: str, platform: str | None, words: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_post_url(url, PLATFORMS, platform)
    message = str(caught.value)
    assert words in message and "\n" not in message


def test_a_misskey_note_on_an_unlisted_instance_gets_its_id() -> None:
    ref = parse_post_url("https://Misskey.Example/notes/9abcdef123/#reply", PLATFORMS, "misskey")
    assert (ref.platform, ref.post_id, ref.url) == ("misskey", "9abcdef123", "https://misskey.example/notes/9abcdef123")
    with pytest.raises(UsageError, match="not the URL of a post on Misskey"):
        parse_post_url("https://misskey.example/@moth", PLATFORMS, "misskey")


def test_a_platforms_file_example_must_be_one_of_its_posts(tmp_path: Path) -> None:
    path = tmp_path / "platforms.toml"
    path.write_text(
        "[site]\nname = \"Site\"\npost_patterns = ['https://site\\.example/p/(?P<post_id>\\d+)']\n"
        'post_url_example = "https://site.example/u/1"\n',
        encoding="utf-8",
    )
    with pytest.raises(UsageError, match="post_url_example .* is matched by none of its post_patterns"):
        load_platforms(path)


@pytest.mark.parametrize(
    ("address", "platform"),
    [
        ("no-reply@pixiv.net", "pixiv"),
        ("info@mail.pixiv.net", "pixiv"),
        ("notify@x.com", "x"),
        ("someone@gmail.com", None),
        ("fake@notpixiv.net", None),
        ("fake@pixiv.net.example.com", None),
        (None, None),
    ],
)
def test_the_platform_a_mail_comes_from(address: str | None, platform: str | None) -> None:
    assert platform_of_sender(address, PLATFORMS) == platform


@pytest.mark.parametrize(
    ("logged", "again", "platform"),
    [
        # A creator renamed on FANBOX: the post keeps its id under the new subdomain.
        ("https://moth.fanbox.cc/posts/7001", "https://www.fanbox.cc/@moth-art/posts/7001", "fanbox"),
        # A BOOTH item linked through a shop's subdomain and through booth.pm.
        ("https://moth.booth.pm/items/4242", "https://booth.pm/en/items/4242", "booth"),
    ],
)
def test_a_fanbox_or_booth_post_is_one_post_whatever_its_url(
    tracker: Tracker, tmp_path: Path, logged: str, again: str, platform: str
) -> None:
    tracker("log", image(tmp_path, 1), "--url", logged, "--persona", "moth")
    result = tracker("log", image(tmp_path, 2), "--url", again, "--persona", "moth", ok=False)
    assert result.exit_code == 1
    assert "is already logged" in result.stderr and "(post #1)" in result.stderr, platform
    assert len(tracker.json("posts")) == 1
