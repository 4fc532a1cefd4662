"""The post an imported image belongs to: a gallery-dl sidecar, a URL template, or none.

`tracker import DIR` logs many images at once. For each image the post comes from, in order:

1. the JSON sidecar gallery-dl's `--write-metadata` wrote next to it (`12345_p0.png.json`, or
   `12345_p0.json` with `extension-format: json`), understood for pixiv, X (twitter), Bluesky,
   Misskey, DeviantArt and Tumblr (see `_READERS`);
2. the user's `--url-template`, such as `https://www.pixiv.net/artworks/{id}` (`{id}` only from a
   file name that is a post id, such as `12345_p0.png`: see `expand_url_template`);
3. nothing: the image is archived without a post.

Sidecars are untrusted input. Whatever is wrong with one (too large, not UTF-8, not JSON, nested
too deep, wrong types, ids that are not ids) becomes a one-line problem string, never an
exception. Every URL built from a sidecar is accepted by `tracker.platforms.parse_post_url` with
the shipped platforms file, which finds the same platform and post id in it.

gallery-dl names a Misskey sidecar's `category` after the instance it came from (`misskey.io`,
`sushi.ski`, ...: `BaseExtractor`), so those names, and `misskey`, are read as Misskey; the note's
address is `https://{instance}/notes/{id}`. A DeviantArt sidecar's own `url` is the deviation's
address and is read for its account and id. Mastodon, FANBOX and BOOTH have no platform in the
shipped platforms file, so their sidecars are not read (`--url-template '{url}'` can take a
sidecar's own `url` field when it is the post's address).

X, Bluesky and Misskey posts have no title; the first non-blank line of the post text, cut to
`TITLE_MAX_CHARS`, stands in for one so the post can be recognised in a list.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from tracker.errors import UsageError
from tracker.metadata.jsonsafe import as_dict, as_text, json_object
from tracker.platforms.urls import MAX_URL_LENGTH
from tracker.posts.posting_dates import in_future
from tracker.support.dates import EARLIEST, LATEST, in_range
from tracker.support.textsafe import safe_text
from tracker.support.tomlfile import one_line
from tracker.support.user_files import fs_text, read_at_most

__all__ = [
    "SIDECAR_MAX_BYTES",
    "TEMPLATE_PLACEHOLDERS",
    "TITLE_MAX_CHARS",
    "SidecarPost",
    "check_url_template",
    "expand_url_template",
    "find_sidecar",
    "post_for_image",
    "read_sidecar",
]

SIDECAR_MAX_BYTES = 4 * 1024 * 1024
"""gallery-dl sidecars are a few kB; a larger file is ignored with a problem message."""
TITLE_MAX_CHARS = 200
"""Titles (and the first line of a post's text standing in for one) are cut to this length."""
TEMPLATE_PLACEHOLDERS = ("stem", "name", "id", "num")
"""Placeholders every `--url-template` may use; the image's top-level sidecar fields come on top."""

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
_AT_POST = re.compile(r"at://([^/?#]{1,1100})/app\.bsky\.feed\.post/([^/?#]{1,512})")
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_BRACED = re.compile(r"\{[^{}]*\}|[{}]")
_NUM = re.compile(r"_p?([0-9]+)\Z")
_ID_NAME = re.compile(r"([1-9][0-9]{0,19})(?:_p?[0-9]{1,4})?(?:_(?:master|square|custom)1200)?")
"""A file name that carries a post id (`{id}`), matched whole on the stem: the id alone (`120000050`) or
with the page suffix gallery-dl and pixiv add (`120000050_p0`, a tweet's `1800000000000000001_1`,
pixiv's `_master1200` size). An id never starts with 0. Nothing else is taken for one: `art0`,
ComfyUI's `ComfyUI_00001_` (a counter), A1111's and Forge's `00012-747066619` (a counter and the seed)."""
_URL_SAFE = "-._~:@"  # template values are percent-encoded except for these, so `/ ? # &` cannot reshape the URL
_INVISIBLE = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})


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
    """The image's page of the post, from 1 (a sidecar's `num`: pixiv counts from 0, X, Bluesky, Misskey and Tumblr
    from 1);
    None: not said."""


def find_sidecar(image: Path) -> Path | None:
    """The gallery-dl sidecar of an image: `{name}.json` (`12345_p0.png.json`), else `{stem}.json`; for a link to an
    image with neither beside it, those beside the file it leads to (gallery-dl wrote them there).

    Only regular files count (a symlink to one is fine); a directory or device of that name is not
    a sidecar, and any error looking is taken as "none".
    """
    image = Path(image)
    found = _sidecar_beside(image)
    if found is None:
        try:
            target = image.resolve() if image.is_symlink() else None
        except (OSError, RuntimeError, ValueError):  # a loop, or gone meanwhile
            target = None
        if target is not None and target != image:
            found = _sidecar_beside(target)
    return found


def _sidecar_beside(image: Path) -> Path | None:
    try:
        candidates = (image.with_name(image.name + ".json"), image.with_name(image.stem + ".json"))
    except ValueError:  # no file name at all, e.g. "/"
        return None
    for candidate in candidates:
        try:
            if candidate != image and candidate.is_file():
                return candidate
        except (OSError, ValueError):
            continue
    return None


def read_sidecar(path: Path) -> tuple[SidecarPost | None, list[str]]:
    """The post a sidecar names, and one-line problems; (None, problems) when it names none usable."""
    problems: list[str] = []
    path = Path(path)
    data = _load(path, problems)
    return (_post_from(data, _where(path), problems) if data is not None else None), problems


def check_url_template(template: str) -> None:
    """Refuse a malformed `--url-template` (a `UsageError`): call it once before importing.

    Only `{name}` placeholders of lowercase letters and `_` are allowed; any other brace, such as
    `{0}`, `{id.__class__}`, `{id!r}` or `{{`, is refused rather than handed to `str.format`.
    """
    if not isinstance(template, str) or not template.strip():
        raise UsageError("--url-template is empty")
    if len(template) > MAX_URL_LENGTH:
        raise UsageError(f"--url-template is {len(template)} characters long; at most {MAX_URL_LENGTH} are accepted")
    for char in template:
        if unicodedata.category(char) in _INVISIBLE:
            raise UsageError(f"--url-template contains a space or control character ({char!r})")
    for token in _BRACED.finditer(template):
        if not _PLACEHOLDER.fullmatch(token.group()):
            raise UsageError(
                f"--url-template: {_show(token.group(), 40)} is not a placeholder; use "
                f"{_known_names()} or a top-level sidecar field such as {{tweet_id}} (no other braces)"
            )


def expand_url_template(template: str, image: Path, fields: Mapping[str, object] | None = None) -> str:
    """The post URL for an image from a `--url-template`.

    Placeholders: `{stem}` (file name without extension), `{name}` (file name), `{id}` (the post id
    of a file name that is one, `12345` from `12345_p0` but none from `art0` or A1111's
    `00012-747066619`: see `_ID_NAME`), `{num}` (digits after a final `_p` or `_`:
    `0` from `12345_p0`), and, when `fields` (the image's sidecar) is given, any of its top-level
    text or number fields; the built-in names win over sidecar fields of the same name. Values are
    percent-encoded, so a value cannot add path parts or query parameters. A malformed template,
    an unknown placeholder or one without a value for this image is a one-line `UsageError`.
    """
    check_url_template(template)
    image = Path(image)
    builtins = _builtin_values(image)
    shown = _show(image.name, 120)

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in builtins:
            found, why = builtins[name], f"the file name has no {_BUILTIN_MEANING[name]}"
        elif fields is None:
            raise UsageError(
                f"--url-template: unknown placeholder {{{name}}} for {shown}: use {_known_names()}, or a "
                "top-level field of the image's gallery-dl sidecar (this image has none)"
            )
        else:
            found, why = _scalar(fields.get(name)), f"its sidecar has no text or number field {name!r}"
        if not found:
            raise UsageError(f"--url-template: no value for {{{name}}} for {shown}: {why}")
        return quote(found, safe=_URL_SAFE)

    url = _PLACEHOLDER.sub(value, template)
    if len(url) > MAX_URL_LENGTH:
        raise UsageError(f"--url-template gives a URL of {len(url)} characters for {shown}; at most {MAX_URL_LENGTH}")
    return url


def post_for_image(image: Path, url_template: str | None) -> tuple[SidecarPost | None, list[str]]:
    """The post of an image: from its sidecar, else from the URL template, else none.

    The sidecar's problems are returned either way. When the template has no value for this
    image (`{id}` for `cover.png`, a sidecar field this image lacks), that becomes a problem and
    the image gets no post; only a malformed template raises `UsageError`, as it would for every image.
    """
    problems: list[str] = []
    data = None
    sidecar = find_sidecar(image)
    if sidecar is not None:
        data = _load(sidecar, problems)
        post = _post_from(data, _where(sidecar), problems) if data is not None else None
        if post is not None:
            return post, problems
    if url_template is None:
        return None, problems
    check_url_template(url_template)
    try:
        url = expand_url_template(url_template, image, data)
    except UsageError as exc:
        problems.append(one_line(exc))
        return None, problems
    return SidecarPost(url, None, None, None, None, None, "template"), problems


# --- reading a sidecar ----------------------------------------------------------------------------


def _where(path: Path) -> str:
    return f"sidecar {safe_text(fs_text(path.name)[:160])}"


def _load(path: Path, problems: list[str]) -> dict[str, Any] | None:
    where = _where(path)
    try:
        # O_NONBLOCK: a FIFO swapped in after find_sidecar looked must not hang the import.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        problems.append(f"{where}: cannot be read ({exc.strerror or one_line(exc)})")
        return None
    try:
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                problems.append(f"{where}: not a regular file; ignored")
                return None
            raw = b"" if info.st_size > SIDECAR_MAX_BYTES else read_at_most(handle, SIDECAR_MAX_BYTES)
    except OSError as exc:
        problems.append(f"{where}: cannot be read ({exc.strerror or one_line(exc)})")
        return None
    if info.st_size > SIDECAR_MAX_BYTES or len(raw) > SIDECAR_MAX_BYTES:
        size = max(info.st_size, len(raw)) / 2**20
        problems.append(f"{where}: {size:.1f} MiB, larger than {SIDECAR_MAX_BYTES // 2**20} MiB; ignored")
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(f"{where}: not UTF-8 text (bad byte at offset {exc.start}); ignored")
        return None
    before = len(problems)
    data = json_object(text, where, problems)
    if data is None and len(problems) == before:
        problems.append(f"{where}: empty; ignored")
    return data


def _post_from(data: dict[str, Any], where: str, problems: list[str]) -> SidecarPost | None:
    category = as_text(data.get("category"), f"{where}: 'category'", problems)
    if category is None:
        problems.append(f"{where}: no usable 'category' field, so not read as a gallery-dl sidecar")
        return None
    reader = _READERS.get(category.strip().lower())
    if reader is None:
        problems.append(
            f"{where}: sidecar category {_show(category)}: tracker does not read this site's sidecars, so "
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
        shown = f" {_show(url)} is not a deviation's address" if url else " is missing"
        problems.append(f"{where}: DeviantArt 'url'{shown}; no post")
        return None
    handle, kind, post_id = found.groups()
    index = data.get("index")
    if index not in (None, "", 0) and str(index) != post_id:
        problems.append(f"{where}: DeviantArt 'index' {_show(index)} is not the id in its 'url'; no post")
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


_Reader = Callable[[dict[str, Any], str, list[str]], SidecarPost | None]
_READERS: dict[str, _Reader] = {
    "pixiv": _pixiv,
    "twitter": _x,
    "x": _x,
    "bluesky": _bluesky,
    "deviantart": _deviantart,
    "tumblr": _tumblr,
    **dict.fromkeys(_MISSKEY_CATEGORIES, _misskey),
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
    if len(url) > MAX_URL_LENGTH or any(unicodedata.category(c) in _INVISIBLE for c in url):
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
        problems.append(f"{label} {_show(text if text is not None else value)} is not valid; ignored")
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
            problems.append(f"{label} {_show(text)} is not a date; ignored")
            continue
        if not in_range(parsed):
            problems.append(f"{label} {_show(text)} is not between {EARLIEST} and {LATEST}; ignored")
            continue
        moment = (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)
        if in_future(moment):
            problems.append(f"{label} {_show(text)} is in the future: no post went online then; ignored")
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


def _show(value: object, limit: int = 60) -> str:
    """Untrusted text quoted for a message: cut short, control characters shown as escapes."""
    return f"'{safe_text(str(value)[:limit])}'"


# --- templates ----------------------------------------------------------------------------------------

_BUILTIN_MEANING = {
    "stem": "stem",
    "name": "name",
    "id": "post id (a name such as 12345.png or 12345_p0.png)",
    "num": "_pN or _N page suffix",
}


def _builtin_values(image: Path) -> dict[str, str | None]:
    post_id = _ID_NAME.fullmatch(image.stem)
    num = _NUM.search(image.stem)
    return {
        "stem": image.stem or None,
        "name": image.name or None,
        "id": post_id.group(1) if post_id else None,
        "num": num.group(1) if num else None,
    }


def _scalar(value: object) -> str | None:
    if isinstance(value, str) and value.strip():
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def _known_names() -> str:
    return ", ".join(f"{{{name}}}" for name in TEMPLATE_PLACEHOLDERS)
