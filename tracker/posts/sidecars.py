"""The post an imported image belongs to: a gallery-dl sidecar, a URL template, or none.

`tracker import DIR` logs many images at once. For each image the post comes from, in order:

1. the JSON sidecar gallery-dl's `--write-metadata` wrote next to it (`12345_p0.png.json`, or
   `12345_p0.json` with `extension-format: json`), understood for pixiv, X (twitter), Bluesky,
   Misskey, DeviantArt, Tumblr, Mastodon, pixivFANBOX and BOOTH (what each says: `sidecar_sites`);
2. the user's `--url-template`, such as `https://www.pixiv.net/artworks/{id}` (`{id}` only from a
   file name that is a post id, such as `12345_p0.png`: see `expand_url_template`);
3. nothing: the image is archived without a post.

Sidecars are untrusted input. Whatever is wrong with one (too large, not UTF-8, not JSON, nested
too deep, wrong types, ids that are not ids) becomes a one-line problem string, never an
exception.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from tracker.errors import UsageError
from tracker.metadata.jsonsafe import json_object
from tracker.platforms.urls import MAX_URL_LENGTH
from tracker.posts.sidecar_sites import INVISIBLE, TITLE_MAX_CHARS, SidecarPost, post_from_sidecar, show
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
TEMPLATE_PLACEHOLDERS = ("stem", "name", "id", "num")
"""Placeholders every `--url-template` may use; the image's top-level sidecar fields come on top."""

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_BRACED = re.compile(r"\{[^{}]*\}|[{}]")
_NUM = re.compile(r"_p?([0-9]+)\Z")
_ID_NAME = re.compile(r"([1-9][0-9]{0,19})(?:_p?[0-9]{1,4})?(?:_(?:master|square|custom)1200)?")
"""A file name that carries a post id (`{id}`), matched whole on the stem: the id alone (`120000050`) or
with the page suffix gallery-dl and pixiv add (`120000050_p0`, a tweet's `1800000000000000001_1`,
pixiv's `_master1200` size). An id never starts with 0. Nothing else is taken for one: `art0`,
ComfyUI's `ComfyUI_00001_` (a counter), A1111's and Forge's `00012-747066619` (a counter and the seed)."""
_URL_SAFE = "-._~:@"  # template values are percent-encoded except for these, so `/ ? # &` cannot reshape the URL


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
    return (post_from_sidecar(data, _where(path), problems) if data is not None else None), problems


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
        if unicodedata.category(char) in INVISIBLE:
            raise UsageError(f"--url-template contains a space or control character ({char!r})")
    for token in _BRACED.finditer(template):
        if not _PLACEHOLDER.fullmatch(token.group()):
            raise UsageError(
                f"--url-template: {show(token.group(), 40)} is not a placeholder; use "
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
    shown = show(image.name, 120)

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
        post = post_from_sidecar(data, _where(sidecar), problems) if data is not None else None
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
