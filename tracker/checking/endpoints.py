"""Where and how to ask a platform about one post: the `[KEY.check]` tables of `platforms.toml`.

The tables are read here, not when the platforms file is loaded, so a mistake in one only stops
`tracker check` (with a one-line error naming the platform), never the commands that only read post
URLs. `TRACKER_CHECK_URL_<KEY>` replaces one platform's `url` template for a run: the tests point a
platform at a fake server on 127.0.0.1 that way, and a mirror can be used the same way.

A request carries nothing but the post's public address or id: the template's fields are the groups
of the post pattern the stored URL matches, its host and the URL itself, each percent-encoded.
"""

from __future__ import annotations

import json
import re
import string
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tracker.errors import UsageError
from tracker.platforms.urls import Platform

__all__ = ["KINDS", "NO_SIGNAL", "CheckRequest", "Endpoint", "endpoint_of", "env_name", "request_for"]

KINDS = ("pixiv_ajax", "oembed", "bluesky_thread", "misskey_note", "civitai_api", "none")
"""How an answer is read (`verdicts`); `none` asks nothing."""
NO_SIGNAL = "none"
_FIELDS = frozenset({"kind", "url", "method", "body", "reliability", "why_unknown", "sources"})
ENV_PREFIX = "TRACKER_CHECK_URL_"


@dataclass(frozen=True)
class Endpoint:
    """One platform's check: how the answer is read, and the address template(s) asked."""

    platform: str
    kind: str
    urls: dict[str, str] = field(default_factory=dict)
    """Templates by the post pattern's `kind` group; the key "" is the one template for every post."""
    method: str = "GET"
    body: dict[str, str] | None = None
    reliability: str = ""
    why_unknown: str = ""
    sources: tuple[str, ...] = ()
    overridden: bool = False
    """The address comes from `TRACKER_CHECK_URL_<KEY>`."""


@dataclass(frozen=True)
class CheckRequest:
    """The one request to send for a post (the address is filled in; the body is JSON bytes or None)."""

    url: str
    method: str
    body: bytes | None
    kind: str
    post_id: str | None


def env_name(platform: str) -> str:
    """The variable that replaces a platform's check URL: `TRACKER_CHECK_URL_PIXIV`."""
    return ENV_PREFIX + re.sub(r"[^A-Z0-9]", "_", platform.upper())


def endpoint_of(platform: Platform | None, key: str, env: Mapping[str, str]) -> Endpoint | None:
    """The platform's check endpoint, or None when it has no `[KEY.check]` table (or is not known)."""
    table: Any = platform.info.get("check") if platform is not None else None
    override = env.get(env_name(key), "").strip()
    if not table:
        if not override:
            return None
        table = {"kind": NO_SIGNAL}
    where = f"platforms.toml [{key}.check]"
    extra = sorted(set(table) - _FIELDS)
    if extra:
        raise UsageError(f"{where}: unknown key(s) {', '.join(map(repr, extra))}")
    kind = table.get("kind")
    if kind not in KINDS:
        raise UsageError(f"{where}: 'kind' must be one of {', '.join(KINDS)}")
    urls = _urls(where, table.get("url"), kind)
    if override:
        if kind == NO_SIGNAL:
            raise UsageError(f"{env_name(key)} is set, but {key} has no check to point elsewhere (kind none)")
        urls = {"": _template(env_name(key), override)}
    method = str(table.get("method", "GET")).upper()
    if method not in ("GET", "POST"):
        raise UsageError(f"{where}: 'method' must be GET or POST")
    body = table.get("body")
    if body is not None and (not isinstance(body, dict) or not all(isinstance(v, str) for v in body.values())):
        raise UsageError(f"{where}: 'body' must be a table of strings, such as body = {{ noteId = \"{{post_id}}\" }}")
    sources = table.get("sources", [])
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        raise UsageError(f"{where}: 'sources' must be a list of strings")
    return Endpoint(
        platform=key,
        kind=kind,
        urls=urls,
        method=method,
        body={k: _template(where, v, web=False) for k, v in body.items()} if body else None,
        reliability=_text(where, table, "reliability"),
        why_unknown=_text(where, table, "why_unknown"),
        sources=tuple(sources),
        overridden=bool(override),
    )


def _text(where: str, table: Mapping[str, Any], name: str) -> str:
    value = table.get(name, "")
    if not isinstance(value, str):
        raise UsageError(f"{where}: {name!r} must be a string")
    return " ".join(value.split())


def _urls(where: str, value: object, kind: str) -> dict[str, str]:
    if kind == NO_SIGNAL:
        return {}
    if isinstance(value, str):
        return {"": _template(where, value)}
    if isinstance(value, dict) and value and all(isinstance(v, str) for v in value.values()):
        return {str(k): _template(where, v) for k, v in value.items()}
    raise UsageError(f"{where}: 'url' must be a template, or a table of templates by the post's kind")


def _template(where: str, template: str, web: bool = True) -> str:
    text = template.strip()
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise UsageError(f"{where}: bad check URL template {text!r}: {exc}") from None
    for _, name, spec, conversion in parsed:
        if name is not None and (not name.isidentifier() or spec or conversion):
            raise UsageError(f"{where}: check URL template {text!r}: use plain fields like {{post_id}}")
    if web and not text.lower().startswith(("https://", "http://")):
        raise UsageError(f"{where}: check URL template {text!r} must start with https:// (or http://)")
    return text


def fields_of(url: str, platform: Platform | None) -> dict[str, str]:
    """The template fields a stored post URL gives: its pattern's groups, {host} and {url}."""
    parts = urllib.parse.urlsplit(url)
    found: dict[str, str] = {"url": url, "host": (parts.hostname or "").lower()}
    for pattern in platform.post_patterns if platform is not None else ():
        match = pattern.match(url)
        if match is not None:
            found.update({k: v for k, v in match.groupdict().items() if v is not None})
            if "post_id_b36" in found and "post_id" not in found:
                found["post_id"] = str(int(found["post_id_b36"], 36))
            break
    return found


def request_for(endpoint: Endpoint, url: str, platform: Platform | None, post_id: str | None) -> CheckRequest | None:
    """The request that asks about the post at `url`, or None when its fields cannot fill the template."""
    values = fields_of(url, platform)
    if post_id and "post_id" not in values:
        values["post_id"] = post_id
    template = endpoint.urls.get(values.get("kind", ""), endpoint.urls.get(""))
    if template is None:
        return None
    try:
        address = _fill(template, values)
        body = (
            json.dumps({k: _fill(v, values, quote=False) for k, v in endpoint.body.items()}).encode()
            if endpoint.body
            else None
        )
    except KeyError:
        return None
    return CheckRequest(address, endpoint.method, body, endpoint.kind, values.get("post_id"))


def _fill(template: str, values: Mapping[str, str], quote: bool = True) -> str:
    encoded = {k: urllib.parse.quote(v, safe="") if quote else v for k, v in values.items()}
    if not quote:
        return template.format_map(encoded)
    # The host is checked by the platform's own patterns; it goes in as it is (it is a host, not a path).
    encoded["host"] = values.get("host", "")
    return template.format_map(encoded)
