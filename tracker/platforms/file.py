"""Reading and checking a platforms file (`platforms.toml`): `urls.load_platforms` calls `read_platforms`.

Every field of every platform is checked here, each problem a one-line `UsageError` naming the
file and the platform (see the shipped file's header for what each field means).
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tracker.errors import UsageError
from tracker.platforms.model import (
    _BOUNDARY,
    _DEFAULT_PORTS,
    _FIELDS,
    _HOST,
    _ID_GROUPS,
    _INVISIBLE,
    _KEY,
    _STEP_FIELDS,
    HELP_PAGE_STEPS,
    MAX_URL_LENGTH,
    Platform,
    _template_fields,
)
from tracker.support.tomlfile import one_line, read_toml


def read_platforms(path: Path) -> dict[str, Platform]:
    """Read and check a platforms file, in file order (see `platforms.load_platforms`).

    The file is hand-editable, so every problem (unreadable file, bad TOML, an unknown or
    misspelt key, a bad regex, a pattern without a post id, a template naming a field no pattern
    supplies, an alias clash) raises `UsageError` with one line naming the file and the platform.
    A broken file then fails when it is loaded, not by misfiling posts later.
    """
    path = Path(path)
    data = read_toml(path, "platforms file")

    platforms: dict[str, Platform] = {}
    names: dict[str, str] = {}  # key or alias -> the platform it belongs to
    for key, table in data.items():
        if not isinstance(table, dict):
            raise UsageError(f"{path}: {key!r} must be a [{key}] table of platform settings")
        where = f"[{key}]"
        if not _KEY.match(key):
            raise UsageError(f"{path}: {where}: the key must be a short lowercase name (a-z, 0-9, _ or -)")
        platform = _platform(path, where, key, table)
        for name in (key, *platform.aliases):
            if name in names:
                raise UsageError(f"{path}: {where}: the name {name!r} is already used by [{names[name]}]")
            names[name] = key
        platforms[key] = platform
    return platforms


# --- loading --------------------------------------------------------------------------------------


def _platform(path: Path, where: str, key: str, table: Mapping[str, Any]) -> Platform:
    extra = sorted(set(table) - _FIELDS)
    if extra:
        # A typo such as `delet_post` would otherwise silently drop a step from the purge plan.
        raise UsageError(f"{path}: {where}: unknown key(s) {', '.join(map(repr, extra))}")
    name = table.get("name")
    if not isinstance(name, str) or not name.strip():
        raise UsageError(f"{path}: {where}: 'name' must be a non-empty string")
    aliases = tuple(a.lower() for a in _strings(path, where, table, "aliases"))
    for alias in aliases:
        if not _KEY.match(alias):
            raise UsageError(f"{path}: {where}: alias {alias!r} must be a short lowercase name")

    sources = _strings(path, where, table, "post_patterns")
    patterns = tuple(_compile(path, where, source) for source in sources)
    groups = {"host"}.union(*(p.groupindex for p in patterns))
    canonical = _templates(path, where, table, "canonical_post_url", groups)
    profile = _templates(path, where, table, "profile_url", groups | {"handle"}, single=True)
    handle_pattern = _handle_pattern(path, where, table.get("handle_pattern"))
    example = _post_url_example(path, where, table.get("post_url_example"), patterns)

    info: dict[str, Any] = {name: list(_strings(path, where, table, name)) for name in _STEP_FIELDS}
    days = table.get("waiting_period_days")
    if days is not None and (isinstance(days, bool) or not isinstance(days, int) or days < 0):
        raise UsageError(f"{path}: {where}: 'waiting_period_days' must be a whole number of days")
    info["waiting_period_days"] = days
    cancels = table.get("login_cancels_deletion")
    if cancels is not None and not isinstance(cancels, bool):
        raise UsageError(f"{path}: {where}: 'login_cancels_deletion' must be true or false")
    info["login_cancels_deletion"] = cancels
    unverified = list(_strings(path, where, table, "unverified"))
    for entry in unverified:
        if entry not in _FIELDS:
            raise UsageError(f"{path}: {where}: 'unverified' names {entry!r}, which is not a field")
    info["unverified"] = unverified
    info["help_pages"] = _help_pages(path, where, table.get("help_pages", {}))
    note = table.get("help_pages_note")
    if note is not None and (not isinstance(note, str) or not note.strip()):
        raise UsageError(f"{path}: {where}: 'help_pages_note' must be a non-empty string")
    info["help_pages_note"] = " ".join(note.split()) if note is not None else None
    if not isinstance(check := table.get("check", {}), dict):  # read by `tracker.checking.endpoints`
        raise UsageError(f"{path}: {where}: 'check' must be a table such as [{key}.check]")
    info["check"] = dict(check)
    return Platform(
        key=key,
        name=name.strip(),
        post_patterns=patterns,
        canonical_post_url=canonical,
        profile_url=profile[0] if profile else None,
        aliases=aliases,
        info=info,
        handle_pattern=handle_pattern,
        host_patterns=tuple(p for p in map(_host_pattern, sources) if p is not None),
        open_hosts=any("host" in _template_fields(t) for t in (*canonical, *profile)),
        post_url_example=example,
    )


def _post_url_example(path: Path, where: str, value: object, patterns: Iterable[re.Pattern[str]]) -> str | None:
    """`post_url_example`: a post URL one of the platform's own patterns matches (else it would mislead)."""
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip().startswith(("https://", "http://")):
        raise UsageError(f"{path}: {where}: 'post_url_example' must be the https:// URL of a post")
    example = value.strip()
    if not any(pattern.match(example) for pattern in patterns):
        raise UsageError(f"{path}: {where}: post_url_example {example[:80]!r} is matched by none of its post_patterns")
    return example


def _handle_pattern(path: Path, where: str, source: object) -> re.Pattern[str] | None:
    if source is None:
        return None
    if not isinstance(source, str) or not source.strip():
        raise UsageError(f"{path}: {where}: 'handle_pattern' must be a regex string")
    try:
        return re.compile(source.strip(), re.ASCII)
    except re.error as exc:
        raise UsageError(f"{path}: {where}: bad handle_pattern {source!r}: {one_line(exc)}") from None


def _host_pattern(source: str) -> re.Pattern[str] | None:
    """The host part of a web post pattern (between `://` and the first `/` outside brackets), compiled.

    None for a pattern of another scheme (`at://`) or one whose host part cannot be told apart.
    """
    scheme, sep, rest = source.partition("://")
    try:
        if not sep or not any(re.fullmatch(scheme, name) for name in _DEFAULT_PORTS):
            return None
    except re.error:
        return None
    depth, in_class, escaped = 0, False, False
    for position, char in enumerate(rest):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char in "()":
            depth += 1 if char == "(" else -1
        elif char == "/" and depth == 0:
            try:
                return re.compile(rest[:position], re.ASCII)
            except re.error:
                return None
    return None


def _strings(path: Path, where: str, table: Mapping[str, Any], name: str) -> tuple[str, ...]:
    value = table.get(name, [])
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise UsageError(f"{path}: {where}: {name!r} must be a list of non-empty strings")
    return tuple(item.strip() for item in value)


def _help_pages(path: Path, where: str, value: object) -> dict[str, str]:
    """`help_pages`: a table of step -> the platform's own help page for it, each a plain https:// URL."""
    if not isinstance(value, dict):
        raise UsageError(
            f"{path}: {where}: 'help_pages' must be a table such as help_pages.delete_post = \"https://...\""
        )
    extra = sorted(set(value) - set(HELP_PAGE_STEPS))
    if extra:
        raise UsageError(
            f"{path}: {where}: 'help_pages' has unknown step(s) {', '.join(map(repr, extra))}; "
            f"use {', '.join(HELP_PAGE_STEPS)}"
        )
    return {step: _help_url(path, where, step, value[step]) for step in HELP_PAGE_STEPS if step in value}


def _help_url(path: Path, where: str, step: str, url: object) -> str:
    """A help page is shown as a link in the purge plan, so only a plain web address is accepted."""
    field_name = f"help_pages.{step}"
    if not isinstance(url, str) or not url.strip():
        raise UsageError(f"{path}: {where}: {field_name!r} must be the URL of a help page, as a string")
    text = url.strip()
    shown = repr(text[:80])
    if len(text) > MAX_URL_LENGTH:
        raise UsageError(f"{path}: {where}: {field_name!r} is {len(text)} characters long; at most {MAX_URL_LENGTH}")
    if any(unicodedata.category(char) in _INVISIBLE for char in text):
        raise UsageError(f"{path}: {where}: {field_name!r} contains a space or control character: {shown}")
    try:
        parts = urlsplit(text)
        _ = parts.port  # a bad port raises here
    except ValueError as exc:
        raise UsageError(f"{path}: {where}: {field_name!r} is not a valid URL: {shown} ({one_line(exc)})") from None
    if parts.scheme.lower() not in _DEFAULT_PORTS or not text.lower().startswith(("https://", "http://")):
        raise UsageError(f"{path}: {where}: {field_name!r} must be a full https:// address, not {shown}")
    host = (parts.hostname or "").rstrip(".")
    if "@" in parts.netloc or not host or not _HOST.match(host) or "." not in host:
        raise UsageError(f"{path}: {where}: {field_name!r} has no valid host name: {shown}")
    return text


def _compile(path: Path, where: str, source: str) -> re.Pattern[str]:
    try:
        pattern = re.compile(f"(?:{source}){_BOUNDARY}", re.ASCII)
    except re.error as exc:
        raise UsageError(f"{path}: {where}: bad post pattern {source!r}: {one_line(exc)}") from None
    if not any(group in pattern.groupindex for group in _ID_GROUPS):
        raise UsageError(f"{path}: {where}: post pattern {source!r} has no (?P<post_id>...) group")
    if "host" in pattern.groupindex:
        raise UsageError(f"{path}: {where}: post pattern {source!r}: the group name 'host' is reserved")
    return pattern


def _templates(
    path: Path, where: str, table: Mapping[str, Any], name: str, groups: Iterable[str], single: bool = False
) -> tuple[str, ...]:
    value = table.get(name)
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else value
    if single and not isinstance(value, str):
        raise UsageError(f"{path}: {where}: {name!r} must be a template string")
    if not isinstance(items, list) or not items or not all(isinstance(i, str) and i.strip() for i in items):
        raise UsageError(f"{path}: {where}: {name!r} must be a template or a list of templates")
    known = set(groups)
    for template in items:
        try:
            parsed = list(string.Formatter().parse(template))
        except ValueError as exc:
            raise UsageError(f"{path}: {where}: bad {name} template {template!r}: {one_line(exc)}") from None
        for _, field_name, spec, conversion in parsed:
            if field_name is None:
                continue
            if not field_name.isidentifier() or spec or conversion:
                raise UsageError(f"{path}: {where}: {name} template {template!r}: use plain fields like {{post_id}}")
            if field_name not in known:
                raise UsageError(
                    f"{path}: {where}: {name} template {template!r} uses {{{field_name}}}, "
                    "which no post pattern supplies"
                )
        if not template.startswith(("https://", "http://")):
            raise UsageError(f"{path}: {where}: {name} template {template!r} must start with https://")
    return tuple(items)
