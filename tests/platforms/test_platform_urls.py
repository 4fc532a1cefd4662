"""Reading post URLs: platform, post id, account, and the one URL a post is stored under."""

from __future__ import annotations

import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.errors import UsageError
from tracker.platforms.urls import (
    HELP_PAGE_STEPS,
    MAX_URL_LENGTH,
    Platform,
    PostRef,
    load_platforms,
    parse_post_url,
    shipped_platforms_path,
)

PLATFORMS = load_platforms(shipped_platforms_path())
SHIPPED_KEYS = {
    *("pixiv", "x", "bluesky", "misskey", "civitai", "deviantart", "tumblr", "tensorart", "mastodon", "fanbox"),
    *("booth", "skeb"),
}


def parse(url: str, platform: str | None = None) -> PostRef:
    return parse_post_url(url, PLATFORMS, platform)


def usage_error(url: str, platform: str | None = None) -> str:
    with pytest.raises(UsageError) as caught:
        parse(url, platform)
    message = str(caught.value)
    assert "\n" not in message and "\r" not in message
    return message


# --- the shipped file -----------------------------------------------------------------------------


def test_shipped_file_loads_with_every_platform() -> None:
    assert set(PLATFORMS) == SHIPPED_KEYS
    assert all(isinstance(p, Platform) and p.name for p in PLATFORMS.values())


def test_shipped_file_is_plain_toml_with_a_commented_header() -> None:
    path = shipped_platforms_path()
    text = path.read_text(encoding="utf-8")
    assert text.startswith("#") and "REPLACES" in text
    assert set(tomllib.loads(text)) == SHIPPED_KEYS


@pytest.mark.parametrize("key", sorted(SHIPPED_KEYS))
def test_every_platform_says_how_to_delete_and_where_that_comes_from(key: str) -> None:
    info = PLATFORMS[key].info
    assert info["delete_post"] and info["delete_account"] and info["sources"]
    assert isinstance(info["export"], list)
    assert PLATFORMS[key].post_patterns


# Where each platform's own help pages may live: its own site, never a third party's.
OWN_SITES = {
    "pixiv": ("pixiv.net", "pixiv.help"),
    "x": ("x.com", "twitter.com"),
    "bluesky": ("bsky.app", "bsky.social"),
    "misskey": ("misskey-hub.net",),
    "civitai": ("civitai.com",),
    "deviantart": ("deviantart.com", "deviantartsupport.com"),
    "tumblr": ("tumblr.com",),
    "tensorart": ("tensor.art",),
    "mastodon": ("joinmastodon.org",),
    "fanbox": ("fanbox.cc", "pixiv.help"),
    "booth": ("booth.pm", "pixiv.help"),
    "skeb": ("skeb.jp",),
}


@pytest.mark.parametrize("key", sorted(SHIPPED_KEYS))
def test_every_platform_cites_its_own_help_pages_or_says_why_not(key: str) -> None:
    info = PLATFORMS[key].info
    pages, note = info["help_pages"], info["help_pages_note"]
    assert set(pages) <= set(HELP_PAGE_STEPS)
    for step in ("delete_post", "delete_account"):
        assert step in pages or note, f"[{key}] has no help page for {step} and no help_pages_note saying why"
    if info["export"]:
        assert "export" in pages or note
    missing = [step for step in HELP_PAGE_STEPS if step not in pages and (step != "export" or info["export"])]
    assert bool(note) == bool(missing), f"[{key}]: help_pages_note must explain a missing page, and only then"
    for url in pages.values():
        host = urlsplit(url).hostname or ""
        assert url.startswith("https://") and any(host == s or host.endswith("." + s) for s in OWN_SITES[key]), url


@pytest.mark.parametrize("key", sorted(SHIPPED_KEYS))
def test_deleting_a_post_starts_with_a_step_done_in_the_app(key: str) -> None:
    # The owner deletes posts by hand, in the site or its app: an API call alone is no step for them.
    first = PLATFORMS[key].info["delete_post"][0]
    assert not first.startswith(("API", "Or by API")), f"[{key}] gives only an API call first: {first}"


def test_help_pages_found_so_far() -> None:
    # The pages the research found (stored copies of public material); the rest say why there is none.
    assert PLATFORMS["bluesky"].info["help_pages"] == {
        "delete_post": "https://docs.bsky.app/docs/api/com-atproto-repo-delete-record",
        "delete_account": "https://docs.bsky.app/docs/api/com-atproto-server-delete-account",
        "export": "https://docs.bsky.app/blog/repo-export",
    }
    assert set(PLATFORMS["x"].info["help_pages"]) == {"delete_post", "delete_account"}
    assert set(PLATFORMS["misskey"].info["help_pages"]) == set(HELP_PAGE_STEPS)
    without = {key for key, platform in PLATFORMS.items() if not platform.info["help_pages"]}
    assert without == {"pixiv", "civitai", "deviantart", "tumblr", "tensorart", "fanbox", "booth", "skeb"}
    assert set(PLATFORMS["mastodon"].info["help_pages"]) == set(HELP_PAGE_STEPS)
    # Bluesky's deleteAccount takes the emailed token and the password (its API reference says so).
    assert any("token and your password" in step for step in PLATFORMS["bluesky"].info["delete_account"])


def test_header_documents_help_pages_and_where_to_correct_them() -> None:
    header = shipped_platforms_path().read_text(encoding="utf-8").split("\n[", 1)[0]
    for name in ("help_pages", "help_pages.delete_post", "help_pages.delete_account", "help_pages.export"):
        assert name in header
    assert "help_pages_note" in header and "installed tracker package" in header


def test_deletion_facts_the_purge_plan_relies_on() -> None:
    pixiv, x, bluesky, deviantart = (PLATFORMS[k].info for k in ("pixiv", "x", "bluesky", "deviantart"))
    assert pixiv["blocking_services"] == ["BOOTH", "FANBOX"]
    assert pixiv["waiting_period_days"] == 14 and "waiting_period_days" in pixiv["unverified"]
    assert x["waiting_period_days"] == 30 and x["login_cancels_deletion"] is True
    assert any("DID persists forever" in note for note in bluesky["notes"])
    assert "waiting_period_days" in deviantart["unverified"]
    assert any("21 days" in note for note in deviantart["notes"])
    assert {"post_patterns", "delete_post", "delete_account"} <= set(PLATFORMS["tensorart"].info["unverified"])
    assert {"delete_post", "delete_account"} <= set(PLATFORMS["civitai"].info["unverified"])
    assert {"delete_post", "delete_account"} <= set(PLATFORMS["skeb"].info["unverified"])  # the doc has no Skeb
    assert "export" in PLATFORMS["tumblr"].info["unverified"]
    # The doc gives no reactivation-by-login rule except for X; absent means "not known".
    assert pixiv["login_cancels_deletion"] is None and deviantart["login_cancels_deletion"] is None


# --- pixiv ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://www.pixiv.net/artworks/100000001",
        "https://pixiv.net/artworks/100000001",
        "http://www.pixiv.net/en/artworks/100000001",
        "https://touch.pixiv.net/artworks/100000001/",
        "https://www.pixiv.net/en/artworks/100000001?utm_source=x&utm_medium=share",
        "https://www.pixiv.net/artworks/100000001#manga",
        "HTTPS://WWW.PIXIV.NET/artworks/100000001",
        "https://www.pixiv.net/member_illust.php?mode=medium&illust_id=100000001",
        "https://www.pixiv.net/member_illust.php?illust_id=100000001&mode=medium",
        "https://www.pixiv.net/i/100000001",
        "  https://www.pixiv.net/artworks/100000001\n",
    ],
)
def test_pixiv_spellings_give_one_canonical_url(url: str) -> None:
    ref = parse(url)
    assert ref == PostRef("pixiv", "100000001", None, "https://www.pixiv.net/artworks/100000001", None)


def test_pixiv_id_must_end_at_a_url_part_boundary() -> None:
    assert "not the URL of a post on pixiv" in usage_error("https://www.pixiv.net/artworks/123abc")
    assert "not the URL of a post on pixiv" in usage_error("https://www.pixiv.net/users/123")


# --- X --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://x.com/moth_ai/status/1800000000000000001",
        "https://twitter.com/moth_ai/status/1800000000000000001",
        "https://www.twitter.com/moth_ai/status/1800000000000000001",
        "https://mobile.twitter.com/moth_ai/status/1800000000000000001",
        "https://mobile.x.com/moth_ai/status/1800000000000000001/",
        "https://x.com/moth_ai/status/1800000000000000001?s=20&t=AbCdEf",
        "https://x.com/moth_ai/status/1800000000000000001/photo/1",
        "https://fxtwitter.com/moth_ai/status/1800000000000000001",
        "https://vxtwitter.com/moth_ai/status/1800000000000000001",
        "https://fixupx.com/moth_ai/status/1800000000000000001",
        "https://x.com:443/moth_ai/status/1800000000000000001#reply",
    ],
)
def test_x_spellings_give_one_canonical_url_with_the_account(url: str) -> None:
    ref = parse(url)
    assert ref.platform == "x" and ref.post_id == "1800000000000000001" and ref.handle == "moth_ai"
    assert ref.url == "https://x.com/moth_ai/status/1800000000000000001"
    assert ref.profile_url == "https://x.com/moth_ai"


@pytest.mark.parametrize(
    "url", ["https://twitter.com/i/web/status/1800000000000000001", "https://x.com/i/status/1800000000000000001"]
)
def test_x_links_without_an_account_have_no_handle(url: str) -> None:
    ref = parse(url)
    assert (ref.platform, ref.post_id, ref.handle, ref.profile_url) == ("x", "1800000000000000001", None, None)
    assert ref.url == "https://x.com/i/web/status/1800000000000000001"


# --- Bluesky --------------------------------------------------------------------------------------


def test_bluesky_handle_post() -> None:
    ref = parse("https://bsky.app/profile/moth.bsky.social/post/3kabc123xyz22?ref=share#x")
    assert ref == PostRef(
        "bluesky",
        "3kabc123xyz22",
        "moth.bsky.social",
        "https://bsky.app/profile/moth.bsky.social/post/3kabc123xyz22",
        "https://bsky.app/profile/moth.bsky.social",
    )


def test_bluesky_did_post_and_at_uri_are_one_post() -> None:
    web = parse("https://www.bsky.app/profile/did:plc:z72i7hdynmk6r22z27h6tvur/post/3kabc123xyz22")
    at = parse("at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/3kabc123xyz22")
    assert web == at
    assert at.handle == "did:plc:z72i7hdynmk6r22z27h6tvur" and at.post_id == "3kabc123xyz22"
    assert at.url == "https://bsky.app/profile/did:plc:z72i7hdynmk6r22z27h6tvur/post/3kabc123xyz22"


def test_bluesky_handle_and_did_spellings_stay_apart_without_the_network() -> None:
    by_handle = parse("https://bsky.app/profile/moth.bsky.social/post/3kabc")
    by_did = parse("https://bsky.app/profile/did:plc:abc/post/3kabc")
    assert by_handle.post_id == by_did.post_id and by_handle.url != by_did.url


def test_bluesky_embed_mirror_is_the_same_post() -> None:
    assert parse("https://fxbsky.app/profile/moth.bsky.social/post/3kabc").url == (
        "https://bsky.app/profile/moth.bsky.social/post/3kabc"
    )


def test_at_uri_that_is_not_a_post_is_refused_even_with_platform() -> None:
    assert "not a Bluesky post" in usage_error("at://did:plc:abc/app.bsky.feed.like/3kabc")
    assert "not a Bluesky post" in usage_error("at://did:plc:abc/app.bsky.feed.like/3kabc", platform="bluesky")


# --- Misskey --------------------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["misskey.io", "misskey.art", "misskey.design", "lesbian.energy", "sushi.ski"])
def test_misskey_notes_on_known_instances(host: str) -> None:
    ref = parse(f"https://{host.upper()}/notes/9abcdef123?utm_campaign=x")
    assert ref == PostRef("misskey", "9abcdef123", None, f"https://{host}/notes/9abcdef123", None)


def test_misskey_note_on_an_unlisted_instance_needs_platform() -> None:
    assert "--platform" in usage_error("https://misskey.example/notes/9abc")
    ref = parse("https://Misskey.example/notes/9abc/#top", platform="misskey")
    assert ref == PostRef("misskey", "9abc", None, "https://misskey.example/notes/9abc", None)
    assert "not the URL of a post on Misskey" in usage_error("https://misskey.example/@moth", platform="misskey")


# --- Civitai --------------------------------------------------------------------------------------


def test_civitai_images_and_posts_stay_distinct() -> None:
    image = parse("https://civitai.com/images/12345?modelVersionId=678")
    post = parse("http://CIVITAI.com/posts/12345/")
    assert (image.platform, image.post_id, image.url) == ("civitai", "12345", "https://civitai.com/images/12345")
    assert (post.platform, post.post_id, post.url) == ("civitai", "12345", "https://civitai.com/posts/12345")


# --- DeviantArt -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://www.deviantart.com/moth-ai/art/Night-Garden-1012345678",
        "https://deviantart.com/moth-ai/art/Night-Garden-1012345678/",
        "https://www.deviantart.com/moth-ai/art/Renamed-Title-1012345678?utm_source=x",
        "https://www.deviantart.com/moth-ai/art/1012345678",
        "https://moth-ai.deviantart.com/art/Night-Garden-1012345678",
    ],
)
def test_deviantart_spellings_give_one_url(url: str) -> None:
    ref = parse(url)
    assert (ref.platform, ref.post_id, ref.handle) == ("deviantart", "1012345678", "moth-ai")
    assert ref.url == "https://www.deviantart.com/moth-ai/art/1012345678"
    assert ref.profile_url == "https://www.deviantart.com/moth-ai"


def test_deviantart_fav_me_is_base36_and_kept_as_given() -> None:
    ref = parse("https://fav.me/dgsolxe")
    assert ref.platform == "deviantart" and ref.handle is None
    assert ref.post_id == str(int("gsolxe", 36))
    assert ref.url == "https://fav.me/dgsolxe"


def test_deviantart_journal_is_not_folded_into_art() -> None:
    assert parse("https://www.deviantart.com/moth-ai/journal/News-12").url == (
        "https://www.deviantart.com/moth-ai/journal/12"
    )


# --- Tumblr ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://www.tumblr.com/moth-ai/745123456789012345",
        "https://tumblr.com/moth-ai/745123456789012345/night-garden",
        "https://www.tumblr.com/moth-ai/post/745123456789012345",
        "https://moth-ai.tumblr.com/post/745123456789012345/night-garden",
        "http://MOTH-AI.tumblr.com/image/745123456789012345",
        "https://www.tumblr.com/blog/view/moth-ai/745123456789012345",
    ],
)
def test_tumblr_both_url_forms_give_one_url(url: str) -> None:
    ref = parse(url)
    assert (ref.platform, ref.post_id, ref.handle) == ("tumblr", "745123456789012345", "moth-ai")
    assert ref.url == "https://www.tumblr.com/moth-ai/745123456789012345"
    assert ref.profile_url == "https://www.tumblr.com/moth-ai"


def test_tumblr_www_is_not_a_blog_name() -> None:
    assert "not the URL of a post on Tumblr" in usage_error("https://www.tumblr.com/745123456789012345")


# --- Tensor.Art (unverified) ----------------------------------------------------------------------


def test_tensorart_is_recognised_but_not_canonicalised() -> None:
    ref = parse("https://tensor.art/images/778899/?utm_source=x#a")
    assert ref == PostRef("tensorart", "778899", None, "https://tensor.art/images/778899", None)


# --- Skeb (deletion steps unverified) --------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["https://skeb.jp/@moth_art/works/12", "http://skeb.jp/@moth_art/works/12/?utm_source=x#top"],
)
def test_a_skeb_work_is_recognised_with_its_creator(url: str) -> None:
    """A work's number is its creator's (gallery-dl skeb.py): the creator stays in the one stored URL."""
    ref = parse(url)
    assert ref == PostRef("skeb", "12", "moth_art", "https://skeb.jp/@moth_art/works/12", "https://skeb.jp/@moth_art")
    assert PLATFORMS["skeb"].name == "Skeb"


def test_a_skeb_page_that_is_no_work_is_refused_with_an_example() -> None:
    said = usage_error("https://skeb.jp/@moth_art")
    assert "not the URL of a post on Skeb" in said and "https://skeb.jp/@NAME/works/1" in said


# --- --platform -----------------------------------------------------------------------------------


def test_platform_that_agrees_with_the_url_is_fine() -> None:
    assert parse("https://x.com/moth_ai/status/5", platform="x").post_id == "5"
    assert parse("https://x.com/moth_ai/status/5", platform="Twitter").platform == "x"  # alias, any case


def test_platform_that_contradicts_the_url_is_an_error() -> None:
    message = usage_error("https://www.pixiv.net/artworks/1", platform="x")
    assert "pixiv post, not x" in message


def test_platform_names_an_unknown_site() -> None:
    ref = parse("https://Example.org/gallery/7?utm_source=feed&page=2#top", platform="instagram")
    assert ref == PostRef("instagram", None, None, "https://example.org/gallery/7?page=2", None)


def test_known_platform_with_an_unrecognised_url_form_is_no_post_even_with_platform() -> None:
    for platform in (None, "pixiv"):
        message = usage_error("https://www.pixiv.net/novel/show.php?id=5", platform=platform)
        assert message == (
            "https://www.pixiv.net/novel/show.php?id=5 is not the URL of a post on pixiv: "
            "a post URL on pixiv looks like https://www.pixiv.net/artworks/123456789"
        )


@pytest.mark.parametrize("bad", ["", "two words", "Ünïcode", "x" * 41, "../etc"])
def test_platform_name_must_be_a_short_lowercase_word(bad: str) -> None:
    assert "--platform" in usage_error("https://example.org/p/1", platform=bad)


def test_unknown_url_without_platform_says_how_to_fix_it() -> None:
    message = usage_error("https://example.org/gallery/7")
    assert message == "no known platform matches https://example.org/gallery/7; pass --platform NAME"


# --- hostile and broken input ---------------------------------------------------------------------


def test_too_long_url_is_refused_without_echoing_it() -> None:
    url = "https://x.com/a/status/1?" + "a" * MAX_URL_LENGTH
    message = usage_error(url)
    assert str(MAX_URL_LENGTH) in message and len(message) < 200


def test_a_non_default_port_is_kept_and_is_not_the_platform() -> None:
    assert "no known platform" in usage_error("http://x.com:443/moth_ai/status/1")
    assert parse("https://example.org:8443/p/1", platform="blog").url == "https://example.org:8443/p/1"


def test_url_of_exactly_the_limit_is_accepted() -> None:
    url = "https://example.org/" + "a" * (MAX_URL_LENGTH - len("https://example.org/"))
    assert parse(url, platform="blog").url == url


@pytest.mark.parametrize(
    "url",
    [
        "https://x.com/a/status/1\x00",
        "https://x.com/a/status/1\x1b[31m",
        "https://x.com/a /status/1",
        "https://x.com/a/status/1\tb",
        "https://x.com/a/status/1\nhttps://evil.example/",
        "https://x.com/a/status/1\u202e",  # right-to-left override
        "https://x.com/a\u200b/status/1",  # zero-width space
        "https://x.com/a\u3000/status/1",  # ideographic space
    ],
)
def test_control_characters_and_inner_whitespace_are_refused(url: str) -> None:
    message = usage_error(url)
    assert "control character" in message
    assert "\x1b" not in message and "\x00" not in message


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript://x.com/a/status/1%0aalert(1)",
        "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
        "ftp://x.com/a/status/1",
        "x.com/moth_ai/status/1",
        "//x.com/moth_ai/status/1",
    ],
)
def test_non_web_schemes_are_refused_even_with_platform(url: str) -> None:
    assert "https://" in usage_error(url)
    assert "https://" in usage_error(url, platform="blog")


@pytest.mark.parametrize(
    "url",
    [
        "https://x.com@evil.example/moth/status/1",
        "https://user:secret@x.com/moth/status/1",
        "https:///moth/status/1",
        "https://x.com:99999/moth/status/1",
        "https://[::1/moth/status/1",
        "https://x%2ecom/moth/status/1",
    ],
)
def test_urls_with_credentials_or_broken_hosts_are_refused(url: str) -> None:
    usage_error(url)
    usage_error(url, platform="blog")


@pytest.mark.parametrize(
    "url",
    [
        "https://x.com.evil.example/moth/status/1",
        "https://evil.example/x.com/moth/status/1",
        "https://evil.example/?next=https://www.pixiv.net/artworks/1",
        "https://notpixiv.net/artworks/1",
    ],
)
def test_lookalike_urls_do_not_match_a_platform(url: str) -> None:
    assert "no known platform" in usage_error(url)


@given(st.text(max_size=300))
def test_any_text_is_either_a_post_or_a_usage_error(text: str) -> None:
    try:
        ref = parse_post_url(text, PLATFORMS)
    except UsageError as exc:
        assert "\n" not in str(exc)
    else:
        assert ref.platform in PLATFORMS and ref.url.startswith(("https://", "http://"))


@given(st.from_regex(r"https://(www\.)?x\.com/[A-Za-z0-9_]{1,15}/status/[0-9]{1,19}", fullmatch=True))
def test_every_x_status_url_round_trips(url: str) -> None:
    ref = parse(url)
    assert parse(ref.url) == ref


# --- loading a user's file ------------------------------------------------------------------------


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "platforms.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_user_file_can_add_a_platform(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[gallery]
name = "My gallery"
post_patterns = ['https://gallery\\.example/(?P<handle>\\w+)/p/(?P<post_id>\\d+)']
canonical_post_url = "https://gallery.example/{handle}/p/{post_id}"
profile_url = "https://gallery.example/{handle}"
delete_post = ["Click delete."]
""",
    )
    platforms = load_platforms(path)
    ref = parse_post_url("https://GALLERY.example/moth/p/9?utm_source=a", platforms)
    assert ref == PostRef("gallery", "9", "moth", "https://gallery.example/moth/p/9", "https://gallery.example/moth")
    assert platforms["gallery"].info["delete_account"] == []
    assert platforms["gallery"].info["help_pages"] == {} and platforms["gallery"].info["help_pages_note"] is None


def test_user_file_can_name_help_pages(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[gallery]
name = "My gallery"
delete_post = ["Click delete."]
help_pages.delete_post = " https://help.gallery.example/delete?lang=en "
help_pages_note = "the gallery has no page on deleting the account"
""",
    )
    info = load_platforms(path)["gallery"].info
    assert info["help_pages"] == {"delete_post": "https://help.gallery.example/delete?lang=en"}
    assert info["help_pages_note"] == "the gallery has no page on deleting the account"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("'javascript:alert(1)'", "must be a full https:// address"),
        ("'ftp://help.example/delete'", "must be a full https:// address"),
        ("'help.example/delete'", "must be a full https:// address"),
        ("'https://'", "no valid host name"),
        ("'https://localhost/delete'", "no valid host name"),
        ("'https://user:pw@help.example/delete'", "no valid host name"),
        ("'https://help.example:99999/delete'", "not a valid URL"),
        ("'https://help.example/de lete'", "space or control character"),
        ("'https://help.example/\u202edelete'", "space or control character"),
        ('"https://help.example/a\\nb"', "space or control character"),  # a TOML escape: a real newline
        ("''", "must be the URL of a help page"),
        ("['https://help.example/delete']", "must be the URL of a help page"),
        (f"'https://help.example/{'a' * MAX_URL_LENGTH}'", "characters long"),
    ],
)
def test_malformed_help_page_is_a_one_line_usage_error(tmp_path: Path, value: str, expected: str) -> None:
    path = write(tmp_path, f"[x]\nname = 'X'\nhelp_pages.delete_post = {value}\n")
    with pytest.raises(UsageError) as caught:
        load_platforms(path)
    message = str(caught.value)
    assert expected in message and str(path) in message and "[x]" in message and "help_pages.delete_post" in message
    assert "\n" not in message and "\u202e" not in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("help_pages = 'https://help.example/delete'", "'help_pages' must be a table"),
        ("help_pages.delet_post = 'https://help.example/delete'", "unknown step(s) 'delet_post'"),
        ("help_pages.notes = 'https://help.example/notes'", "unknown step(s) 'notes'"),
        ("help_pages_note = ''", "'help_pages_note' must be a non-empty string"),
        ("help_pages_note = ['none']", "'help_pages_note' must be a non-empty string"),
    ],
)
def test_bad_help_pages_table_is_a_one_line_usage_error(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, f"[x]\nname = 'X'\n{text}\n")
    with pytest.raises(UsageError) as caught:
        load_platforms(path)
    message = str(caught.value)
    assert expected in message and str(path) in message and "\n" not in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[x\nname = 1", "not valid TOML"),
        ("[x]\nname = 'X'\npost_patterns = ['(?P<post_id>\\d+']", "bad post pattern"),
        ("[x]\nname = 'X'\npost_patterns = ['https://x\\.com/(\\d+)']", "no (?P<post_id>...) group"),
        ("[x]\nname = 'X'\ndelet_post = ['a']", "unknown key(s) 'delet_post'"),
        ("[x]\npost_patterns = []", "'name' must be a non-empty string"),
        ("[X]\nname = 'X'", "short lowercase name"),
        ("x = 1", "must be a [x] table"),
        ("[x]\nname = 'X'\ncanonical_post_url = 'https://x.com/{post}'", "which no post pattern supplies"),
        ("[x]\nname = 'X'\ncanonical_post_url = 'https://x.com/{post_id!r}'", "plain fields"),
        ("[x]\nname = 'X'\nwaiting_period_days = 'soon'", "whole number"),
        ("[x]\nname = 'X'\nlogin_cancels_deletion = 'yes'", "true or false"),
        ("[x]\nname = 'X'\nunverified = ['exprt']", "not a field"),
        ("[x]\nname = 'X'\n[y]\nname = 'Y'\naliases = ['x']", "already used by [x]"),
        ("[x]\nname = 'X'\ndelete_post = 'one string'", "list of non-empty strings"),
    ],
)
def test_bad_user_file_is_a_one_line_usage_error(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(UsageError) as caught:
        load_platforms(path)
    message = str(caught.value)
    assert expected in message and str(path) in message and "\n" not in message


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot read platforms file"):
        load_platforms(tmp_path / "nope.toml")


def test_shipped_path_is_in_the_checkout_or_the_installed_package() -> None:
    path = shipped_platforms_path()
    assert path.is_file() and path.name == "platforms.toml" and path.parent.name in {"data", "_data"}
