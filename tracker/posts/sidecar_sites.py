"""What each site's gallery-dl sidecar says about its post: the post URL, platform, post id, account, title,
date and page, read field by field.

`post_from_sidecar` picks the reader by the sidecar's `category`: pixiv, X (twitter), Bluesky, Misskey,
DeviantArt, Tumblr, Mastodon, pixivFANBOX and BOOTH. Every field is untrusted: a missing or malformed one
becomes a one-line problem string and the post is read without it, or not at all when its id or address
cannot be told. Every URL built here is accepted by `tracker.platforms.parse_post_url` with the shipped
platforms file (the post's platform passed as `--platform` would be, for an instance it does not list), which
finds the same platform and post id in it.

gallery-dl names a Misskey or Mastodon sidecar's `category` after the instance it came from (`misskey.io`,
`pawoo`, ...: `BaseExtractor`), so those names are read as Misskey or Mastodon; a Mastodon status fetched from
an instance configured by the user (another category) is recognised by its shape (`instance`, `account.acct`).
A DeviantArt sidecar's own `url` is the deviation's address and is read for its account and id.

X, Bluesky, Misskey and Mastodon posts have no title; the first non-blank line of the post text (a Mastodon
status's HTML read as text), cut to `TITLE_MAX_CHARS`, stands in for one so the post can be recognised in a list.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from tracker.metadata.jsonsafe import as_dict, as_text
from tracker.platforms.urls import MAX_URL_LENGTH
from tracker.posts.posting_dates import in_future
from tracker.support.dates import EARLIEST, LATEST, in_range
from tracker.support.textsafe import safe_text

TITLE_MAX_CHARS = 200
"""Titles (and the first line of a post's text standing in for one) are cut to this length."""
_DIGITS = re.compile(r"[0-9]{1,20}")  # not \d: that also matches other scripts' digits
_PIXIV_ACCOUNT = _TUMBLR_BLOG = re.compile(r"[A-Za-z0-9_-]{1,64}")  # as platforms.toml has them
_X_HANDLE = re.compile(r"(?!i\Z)[A-Za-z0-9_]{1,15}")  # x.com/i/... is X's own path, never an account
_BSKY_HANDLE = re.compile(
    r"(?=.{1,253}\Z)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9-]{0,62}"
)
_DID = re.compile(r"(?!.*\.\.)did:[a-z]{1,32}:[A-Za-z0-9._:%-]{0,1024}[A-Za-z0-9._-]")  # ".." is no account
_RKEY = re.compile(r"(?!\.{1,2}\Z)[A-Za-z0-9._:~-]{1,512}")  # "." and ".." would walk up the URL path
_NOTE_ID = re.compile(r"[A-Za-z0-9]{1,64}")  # gallery-dl misskey.py: /notes/(\w+)
_MISSKEY_USER = re.compile(r"[A-Za-z0-9_]{1,128}")
_HOST = re.compile(r"(?=.{1,253}\Z)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}")
_DEVIATION_URL = re.compile(
    r"https://(?:www\.)?deviantart\.com/([A-Za-z0-9_-]{1,64})/(art|journal)/(?:[^/?#\s]{1,400}-)?([0-9]{1,20})"
)
_MISSKEY_CATEGORIES = frozenset(
    {"misskey", "misskey.io", "misskey.art", "misskey.design", "lesbian.energy", "sushi.ski"}
)
"""gallery-dl's Misskey instances (its `category` is the instance's name) and the base name itself."""
_MASTODON_CATEGORIES = frozenset({"mastodon", "mastodon.social", "pawoo", "baraag"})
"""gallery-dl's Mastodon instances (its `category` is the instance's key in mastodon.py) and the base name."""
_MASTODON_ACCT = re.compile(
    r"[A-Za-z0-9_]{1,30}(?:@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9-]{2,63})?"
)
_FANBOX_CREATOR = _BOOTH_SHOP = _PIXIV_ACCOUNT  # as platforms.toml has them
_BOOTH_SHOP_URL = re.compile(r"https?://([A-Za-z0-9_-]{1,64})\.booth\.pm/?")
_TAG = re.compile(r"<[^<>]{0,2000}>")
_LINE_BREAK = re.compile(r"<br\s*/?>|</p\s*>", re.IGNORECASE)
_AT_POST = re.compile(r"at://([^/?#]{1,1100})/app\.bsky\.feed\.post/([^/?#]{1,512})")
INVISIBLE = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})
"""Character classes no URL may hold (control, format, space and separator characters)."""


@dataclass(frozen=True)
class SidecarPost:
    """The post an image belongs to. `source` is "sidecar" or "template".

    From a sidecar every field that could be read is set (`posted_at` is aware UTC); from a
    template only `url` is, and the caller reads the platform and post id with `parse_post_url`.
    """

    url: str
    platform: str | None
    post_id: str | None
    handle: str | None
    title: str | None
    posted_at: datetime | None
    source: str
    page: int | None = None
    """The image's page of the post, from 1 (a sidecar's `num`: pixiv and FANBOX count from 0, X, Bluesky, Misskey,
    Tumblr, Mastodon and BOOTH from 1); None: not said."""


def post_from_sidecar(data: dict[str, Any], where: str, problems: list[str]) -> SidecarPost | None:
    """The post a parsed sidecar names, by its `category` (see the module docstring); problems are appended."""
    category = as_text(data.get("category"), f"{where}: 'category'", problems)
    if category is None:
        problems.append(f"{where}: no usable 'category' field, so not read as a gallery-dl sidecar")
        return None
    reader = _READERS.get(category.strip().lower())
    if reader is None and _looks_like_mastodon(data):
        reader = _mastodon  # an instance the user configured in gallery-dl names the category
    if reader is None:
        problems.append(
            f"{where}: sidecar category {show(category)}: tracker does not read this site's sidecars, so "
            "the image is archived without a post (unless --url-template gives one)"
        )
        return None
    return reader(data, where, problems)


def _pixiv(data: dict[str, Any], where: str, problems: list[str]) -> SidecarPost | None:
    post_id = _checked(data.get("id"), f"{where}: pixiv 'id'", _DIGITS, problems, required=True)
    if post_id is None:
        return None
    handle = _checked(as_dict(data.get("user")).get("account"), f"{where}: 'user.account'", _PIXIV_ACCOUNT, problems)
    # gallery-dl's `date` is UTC without a zone; `create_date` is pixiv's own, with +09:00.
    posted = _date([("create_date", data.get("create_date")), ("date", data.get("date"))], where, problems)
    title = _first_line(data.get("title"), f"{where}: 'title'", problems)
    post = _post(f"https://www.pixiv.net/artworks/{post_id}", "pixiv", post_id, handle, title, posted, where, problems)
    return _with_page(post, data.get("num"), 1)


def _x(data: dict[str, Any], where: str, problems: list[str]) -> SidecarPost | None:
    post_id = _checked(data.get("tweet_id"), f"{where}: 'tweet_id'", _DIGITS, problems, required=True)
    if post_id is None:
        return None
    # author.name is the @handle of who posted; `user` is the timeline it was fetched from.
    handle = _checked(as_dict(data.get("author")).get("name"), f"{where}: 'author.name'", _X_HANDLE, problems)
    if handle is None:
        handle = _checked(as_dict(data.get("user")).get("name"), f"{where}: 'user.name'", _X_HANDLE, problems)
    url = f"https://x.com/{handle}/status/{post_id}" if handle else f"https://x.com/i/web/status/{post_id}"
    posted = _date([("date", data.get("date"))], where, problems)
    title = _first_line(data.get("content"), f"{where}: 'content'", problems)
    return _with_page(_post(url, "x", post_id, handle, title, posted, where, problems), data.get("num"), 0)


def _bluesky(data: dict[str, Any], where: str, problems: list[str]) -> SidecarPost | None:
    author, record = as_dict(data.get("author")), as_dict(data.get("record"))
    uri = as_text(data.get("uri"), f"{where}: 'uri'", problems)
    at_post = _AT_POST.fullmatch(uri) if uri else None
    raw_id = data.get("post_id", at_post.group(2) if at_post else None)
    post_id = _checked(raw_id, f"{where}: 'post_id'", _RKEY, problems, required=True)
    if post_id is None:
        return None
    handle = _checked(author.get("handle"), f"{where}: 'author.handle'", _BSKY_HANDLE, problems)
    if handle is None or handle.lower() == "handle.invalid":  # Bluesky's marker for a handle that failed to verify
        raw_did = author.get("did", at_post.group(1) if at_post else None)
        handle = _checked(raw_did, f"{where}: 'author.did'", _DID, problems)
    if handle is None:
        problems.append(f"{where}: Bluesky post without an author handle or DID; ignored")
        return None
    dates = [("createdAt", data.get("createdAt")), ("record.createdAt", record.get("createdAt"))]
    posted = _date([*dates, ("date", data.get("date"))], where, problems)
    title = _first_line(data.get("text", record.get("text")), f"{where}: 'text'", problems)
    url = f"https://bsky.app/profile/{handle}/post/{post_id}"
    return _with_page(_post(url, "bluesky", post_id, handle, title, posted, where, problems), data.get("num"), 0)


def _misskey(data: dict[str, Any], where: str, problems: list[str]) -> SidecarPost | None:
    post_id = _checked(data.get("id"), f"{where}: Misskey note 'id'", _NOTE_ID, problems, required=True)
    if post_id is None:
        return None
    category = str(data.get("category", "")).strip().lower()
    raw_host = data.get("instance") or (category if "." in category else None)
    host = _checked(raw_host, f"{where}: 'instance'", _HOST, problems)
    if host is None:
        problems.append(f"{where}: Misskey note without the instance it is on ('instance'); no post")
        return None
    user = as_dict(data.get("user"))
    handle = _checked(user.get("username"), f"{where}: 'user.username'", _MISSKEY_USER, problems)
    remote = _checked(user.get("host"), f"{where}: 'user.host'", _HOST, problems) if handle else None
    handle = f"{handle}@{remote}" if handle and remote else handle  # an account of another instance
    posted = _date([("createdAt", data.get("createdAt")), ("date", data.get("date"))], where, problems)
    title = _first_line(data.get("text"), f"{where}: 'text'", problems)
    post = _post(f"https://{host}/notes/{post_id}", "misskey", post_id, handle, title, posted, where, problems)
    return _with_page(post, data.get("num"), 0)  # gallery-dl numbers a note's files from 1


def _deviantart(data: dict[str, Any], where: str, problems: list[str]) -> SidecarPost | None:
    url = as_text(data.get("url"), f"{where}: DeviantArt 'url'", problems)
    found = _DEVIATION_URL.fullmatch(url.strip()) if url else None
    if found is None:
        shown = f" {show(url)} is not a deviation's address" if url else " is missing"
        problems.append(f"{where}: DeviantArt 'url'{shown}; no post")
        return None
    handle, kind, post_id = found.groups()
    index = data.get("index")
    if index not in (None, "", 0) and str(index) != post_id:
        problems.append(f"{where}: DeviantArt 'index' {show(index)} is not the id in its 'url'; no post")
        return None
    posted = _date([("date", data.get("date"))], where, problems)
    title = _first_line(data.get("title"), f"{where}: 'title'", problems)
    url = f"https://www.deviantart.com/{handle}/{kind}/{post_id}"  # the platform's canonical form, without the title
    return _post(url, "deviantart", post_id, handle, title, posted, where, problems)


def _tumblr(data: dict[str, Any], where: str, problems: list[str]) -> SidecarPost | None:
    raw_id = data.get("id_string", data.get("id"))
    post_id = _checked(raw_id, f"{where}: Tumblr 'id'", _DIGITS, problems, required=True)
    if post_id is None:
        return None
    blog = data.get("blog_name", as_dict(data.get("blog")).get("name"))
    handle = _checked(blog, f"{where}: 'blog_name'", _TUMBLR_BLOG, problems)
    if handle is None:
        problems.append(f"{where}: Tumblr post without its blog's name ('blog_name'); no post")
        return None
    posted = _date([("date", data.get("date"))], where, problems)
    title = _first_line(data.get("title") or data.get("summary"), f"{where}: 'summary'", problems)
    post = _post(
        f"https://www.tumblr.com/{handle}/{post_id}", "tumblr", post_id, handle, title, posted, where, problems
    )
    return _with_page(post, data.get("num"), 0)  # gallery-dl numbers a post's photos from 1


def _mastodon(data: dict[str, Any], where: str, problems: list[str]) -> SidecarPost | None:
    post_id = _checked(data.get("id"), f"{where}: Mastodon status 'id'", _DIGITS, problems, required=True)
    if post_id is None:
        return None
    host = _checked(data.get("instance"), f"{where}: 'instance'", _HOST, problems)
    if host is None:
        problems.append(f"{where}: Mastodon status without the instance it is on ('instance'); no post")
        return None
    account = as_dict(data.get("account"))
    # acct is `user` on the instance it was fetched from, `user@host` for an account of another instance;
    # the status id is the instance's own either way, and https://{instance}/@{acct}/{id} shows it.
    handle = _checked(account.get("acct"), f"{where}: 'account.acct'", _MASTODON_ACCT, problems)
    if handle is None:
        problems.append(f"{where}: Mastodon status without its account ('account.acct'); no post")
        return None
    posted = _date([("created_at", data.get("created_at")), ("date", data.get("date"))], where, problems)
    title = _first_line(_html_text(data.get("content")), f"{where}: 'content'", problems) or _first_line(
        data.get("spoiler_text"), f"{where}: 'spoiler_text'", problems
    )
    post = _post(f"https://{host}/@{handle}/{post_id}", "mastodon", post_id, handle, title, posted, where, problems)
    return _with_page(post, data.get("num"), 0)  # gallery-dl numbers a status's attachments from 1


def _looks_like_mastodon(data: dict[str, Any]) -> bool:
    """A status as gallery-dl's mastodon.py writes it: the instance it added, and the account's `acct`."""
    account = data.get("account")
    return isinstance(data.get("instance"), str) and isinstance(account, dict) and "acct" in account


def _html_text(value: Any) -> Any:
    """A status's HTML `content` as plain text (paragraphs and line breaks as new lines); other values as given."""
    if not isinstance(value, str):
        return value
    text = _LINE_BREAK.sub("\n", value[:100_000])
    return html.unescape(_TAG.sub("", text))


def _fanbox(data: dict[str, Any], where: str, problems: list[str]) -> SidecarPost | None:
    post_id = _checked(data.get("id"), f"{where}: FANBOX post 'id'", _DIGITS, problems, required=True)
    if post_id is None:
        return None
    creator = _checked(data.get("creatorId"), f"{where}: 'creatorId'", _FANBOX_CREATOR, problems)
    if creator is None:
        problems.append(f"{where}: FANBOX post without its creator ('creatorId'); no post")
        return None
    handle = creator.lower()  # the creator's subdomain: host names are not case-sensitive
    dates = [("publishedDatetime", data.get("publishedDatetime")), ("date", data.get("date"))]
    posted = _date(dates, where, problems)
    title = _first_line(data.get("title"), f"{where}: 'title'", problems)
    post = _post(
        f"https://{handle}.fanbox.cc/posts/{post_id}", "fanbox", post_id, handle, title, posted, where, problems
    )
    return _with_page(post, data.get("num"), 1)  # gallery-dl numbers a post's files from 0 (the cover first)


def _booth(data: dict[str, Any], where: str, problems: list[str]) -> SidecarPost | None:
    post_id = _checked(data.get("id"), f"{where}: BOOTH item 'id'", _DIGITS, problems, required=True)
    if post_id is None:
        return None
    # The shop's subdomain is its account: `shop.subdomain`, else the host of `shop.url` (BOOTH's item JSON).
    shop = as_dict(data.get("shop"))
    raw = shop.get("subdomain")
    if raw in (None, "") and isinstance(shop.get("url"), str):
        found = _BOOTH_SHOP_URL.fullmatch(shop["url"].strip())
        raw = found.group(1) if found else None
    handle = _checked(raw, f"{where}: 'shop.subdomain'", _BOOTH_SHOP, problems)
    posted = _date([("published_at", data.get("published_at")), ("date", data.get("date"))], where, problems)
    title = _first_line(data.get("name"), f"{where}: 'name'", problems)
    url = f"https://booth.pm/ja/items/{post_id}"  # the platform's canonical form: item ids are BOOTH-wide
    post = _post(url, "booth", post_id, handle.lower() if handle else None, title, posted, where, problems)
    return _with_page(post, data.get("num"), 0)  # gallery-dl numbers an item's pictures from 1


_Reader = Callable[[dict[str, Any], str, list[str]], SidecarPost | None]
_READERS: dict[str, _Reader] = {
    "pixiv": _pixiv,
    "twitter": _x,
    "x": _x,
    "bluesky": _bluesky,
    "deviantart": _deviantart,
    "tumblr": _tumblr,
    **dict.fromkeys(_MISSKEY_CATEGORIES, _misskey),
    **dict.fromkeys(_MASTODON_CATEGORIES, _mastodon),
    "fanbox": _fanbox,
    "booth": _booth,
}


def _post(
    url: str,
    platform: str,
    post_id: str,
    handle: str | None,
    title: str | None,
    posted: datetime | None,
    where: str,
    problems: list[str],
) -> SidecarPost | None:
    # The parts were checked one by one; this is the last guard before the URL is stored.
    if len(url) > MAX_URL_LENGTH or any(unicodedata.category(c) in INVISIBLE for c in url):
        problems.append(f"{where}: the post URL it gives is too long or holds control characters; ignored")
        return None
    return SidecarPost(url, platform, post_id, handle, title, posted, "sidecar")


def _with_page(post: SidecarPost | None, num: Any, first: int) -> SidecarPost | None:
    """The post with the page its sidecar's `num` names (`first` added: pixiv's num 0 is page 1); a `num` that is
    no small whole number says no page."""
    if post is None or isinstance(num, bool) or not isinstance(num, int) or not 0 <= num + first - 1 < 10_000:
        return post
    return replace(post, page=num + first)


def _checked(
    value: Any, label: str, pattern: re.Pattern[str], problems: list[str], required: bool = False
) -> str | None:
    if value is None or value == "":
        if required:
            problems.append(f"{label} is missing; no post")
        return None
    before = len(problems)
    text = as_text(value, label, problems, allow_numbers=True)
    if text is not None and pattern.fullmatch(text):
        return text
    if len(problems) == before:
        problems.append(f"{label} {show(text if text is not None else value)} is not valid; ignored")
    return None


def _date(candidates: list[tuple[str, Any]], where: str, problems: list[str]) -> datetime | None:
    """The first of the fields that reads as a date, in UTC; a date without a zone is UTC (gallery-dl's way)."""
    for name, value in candidates:
        label = f"{where}: {name!r}"
        text = as_text(value, label, problems)
        if text is None:
            continue
        try:
            if len(text) > 64:
                raise ValueError
            parsed = datetime.fromisoformat(text.strip())
        except ValueError:
            problems.append(f"{label} {show(text)} is not a date; ignored")
            continue
        if not in_range(parsed):
            problems.append(f"{label} {show(text)} is not between {EARLIEST} and {LATEST}; ignored")
            continue
        moment = (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)
        if in_future(moment):
            problems.append(f"{label} {show(text)} is in the future: no post went online then; ignored")
            continue
        return moment
    return None


def _first_line(value: Any, label: str, problems: list[str]) -> str | None:
    text = as_text(value, label, problems)
    for line in (text or "").splitlines():
        # Control characters go; so do lone surrogates (a JSON "\\ud800"), which no database stores.
        cleaned = " ".join("".join(c for c in line if unicodedata.category(c) not in ("Cc", "Cs")).split())
        if cleaned:
            return cleaned if len(cleaned) <= TITLE_MAX_CHARS else cleaned[: TITLE_MAX_CHARS - 1] + "…"
    return None


def show(value: object, limit: int = 60) -> str:
    """Untrusted text quoted for a message: cut short, control characters shown as escapes."""
    return f"'{safe_text(str(value)[:limit])}'"
