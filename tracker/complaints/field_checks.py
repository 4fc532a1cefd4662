"""The values a complaint's fields must have, checked as it is logged (`intake`) and as it is corrected (`records`).

Where the complainant's work is must be a web address (`http://` or `https://` and a host): `not a url`, a
`javascript:` or an `ftp://` link is no place a letter can point to. The platform is read as `tracker log
--platform` reads it (`platforms.urls.named_platform`): a known platform's key or alias, stored as its key
(`Twitter` is `x`), else a short lowercase name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

from tracker.errors import UsageError
from tracker.platforms.urls import Platform, named_platform
from tracker.support.textsafe import clip
from tracker.support.userinput import typed_line


def checked_work_urls(urls: Iterable[str]) -> list[str]:
    """The work URLs given (blank ones left out, each once), each an http(s) address; else a one-line `UsageError`."""
    checked: list[str] = []
    for url in urls:
        text = typed_line(url)
        if text is None or text in checked:
            continue
        if not _web_address(text):
            raise UsageError(f"{clip(text, 60)!r} is not a work URL: give a web address (http:// or https://)")
        checked.append(text)
    return checked


def _web_address(text: str) -> bool:
    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError:  # `http://[::1` and the like
        return False
    return parts.scheme.lower() in ("http", "https") and bool(host) and not any(c.isspace() for c in text)


def checked_platform(name: str | None, platforms: Mapping[str, Platform]) -> str | None:
    """The platform key `name` stands for, as `log --platform` reads it (None: none given); else a `UsageError`."""
    text = typed_line(name)
    if text is None:
        return None
    try:
        return named_platform(text, platforms)
    except UsageError:
        raise UsageError(f"the platform is a name such as 'pixiv' or 'instagram', not {clip(text, 40)!r}") from None
