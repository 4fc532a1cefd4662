"""Which platform a post URL belongs to, and the one spelling a post is stored under.

`tracker log IMAGE --url URL` learns the platform, the post id and often the account from the
URL alone, so the user does not type them, and two spellings of one post (`twitter.com` and
`x.com`, pixiv's `/en/`, a share link ending in `?utm_source=...`) are recognised as the same
post instead of being logged twice. The URL patterns, and the facts a purge plan needs about
deleting posts and accounts, live in `data/platforms.toml`: reference data the user may replace,
which this module reads, checks and applies.

Hosts are compared in their IDNA (ASCII) form, so a full-width or upper-case spelling of a known
host is that host; a host mixing scripts within a label, or a non-ASCII look-alike of a known host
(Cyrillic `р` for `p`), is refused. `--platform` names the platform only of a host tracker does not
know (or, for a platform on many hosts such as Misskey, of an instance it does not list): a known
platform's name with a host that is not one of its own is refused. The hosts of a platform are the
host parts of its post patterns. Account handles are checked per platform (`handle_pattern`), and
for every platform against path tricks (`/`, `..`) and control characters.

Nothing here touches the network. Whatever only the platform could answer (which DID a Bluesky
handle belongs to, where a fav.me short link points, which account posted an `i/web` tweet) is
left as the URL gave it.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tracker.errors import UsageError
from tracker.support.paths import shipped_data_dir
from tracker.support.tomlfile import one_line, read_toml

__all__ = [
    "HELP_PAGE_STEPS",
    "MAX_URL_LENGTH",
    "TRACKING_PARAMS",
    "Platform",
    "PostRef",
    "check_handle",
    "load_platforms",
    "parse_post_url",
    "shipped_platforms_path",
]

MAX_URL_LENGTH = 2048
"""Longer input is refused: no post URL is that long, and it keeps error lines and the database sane."""

TRACKING_PARAMS = frozenset(
    "fbclid gclid dclid gbraid wbraid msclkid yclid twclid ttclid igshid igsh mc_cid mc_eid _ga _gl".split()
    + ["ref_src", "ref_url"]
)
"""Query parameters (besides every `utm_*`) that only say where a link was shared, never which post."""

_KEY = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
_ID_GROUPS = ("post_id", "post_id_b36")
_STEP_FIELDS = ("delete_post", "delete_account", "export", "blocking_services", "notes", "sources")
HELP_PAGE_STEPS = ("delete_post", "delete_account", "export")
"""The steps a platform's own help page can be named for (`help_pages.<step> = "https://..."`)."""
_INFO_FIELDS = frozenset(
    {*_STEP_FIELDS, "waiting_period_days", "login_cancels_deletion", "unverified", "help_pages", "help_pages_note"}
)
_FIELDS = frozenset(
    {"name", "aliases", "post_patterns", "canonical_post_url", "profile_url", "handle_pattern", "check", *_INFO_FIELDS}
)
MAX_HANDLE_LENGTH = 253
"""The longest handle accepted on any platform (a Bluesky domain handle's limit)."""
_HOST = re.compile(r"^[\w.\u3002\uff0e\uff61-]+$")  # IDNA also splits labels at the ideographic full stops
# A pattern must stop where a URL part stops, so `artworks/123abc` is not read as post 123.
_BOUNDARY = r"(?=[/?#&]|\Z)"
_DEFAULT_PORTS = {"http": 80, "https": 443}
_INVISIBLE = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})


@dataclass(frozen=True)
class Platform:
    """One platform from the platforms file: how to read its post URLs and how to leave it.

    `post_patterns` are compiled and anchored (a match must end at a URL part boundary);
    `canonical_post_url` holds the templates tried in order; `info` carries the deletion facts
    (`delete_post`, `delete_account`, `export`, `waiting_period_days`, `login_cancels_deletion`,
    `blocking_services`, `notes`, `sources`, `unverified`) as plain values for the purge plan, plus
    `help_pages` ({step: URL of the platform's own help page}, only the steps that have one) and
    `help_pages_note` (why a step has none, or None).
    """

    key: str
    name: str
    post_patterns: tuple[re.Pattern[str], ...]
    canonical_post_url: tuple[str, ...]
    profile_url: str | None
    aliases: tuple[str, ...] = ()
    info: dict[str, Any] = field(default_factory=dict, hash=False)
    handle_pattern: re.Pattern[str] | None = None
    """What an account handle on this platform looks like (matched whole), or None: any safe handle."""
    host_patterns: tuple[re.Pattern[str], ...] = ()
    """The host parts of the web post patterns: a host one of them matches whole is this platform's."""
    open_hosts: bool = False
    """The platform lives on many hosts (its templates use `{host}`, as Misskey's instances do)."""

    def owns_host(self, host: str) -> bool:
        """Whether `host` (lowercase, IDNA form, no port) is one of this platform's hosts."""
        return any(pattern.fullmatch(host) for pattern in self.host_patterns)


@dataclass(frozen=True)
class PostRef:
    """What a post URL says: the platform key, the post and account when known, and the URL to store."""

    platform: str
    post_id: str | None
    handle: str | None
    url: str
    profile_url: str | None


def shipped_platforms_path() -> Path:
    """The platforms file that ships with the tracker (in a checkout or inside an installed wheel).

    A user's own `platforms.toml` in the data folder replaces it; `Settings.reference_file`
    makes that choice, this only says where the shipped copy is.
    """
    return shipped_data_dir() / "platforms.toml"


def load_platforms(path: Path) -> dict[str, Platform]:
    """Read and check a platforms file, in file order.

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


def parse_post_url(url: str, platforms: Mapping[str, Platform], platform: str | None = None) -> PostRef:
    """Find the platform, post id and account of a post URL, and the URL to store for it.

    The URL is normalised first (lowercase scheme and host, no default port, no fragment, no
    tracking parameters) and then put in the platform's canonical form when it has one, so two
    spellings of one post give one URL. `platform` is what the user passed as `--platform`
    (a key or an alias): it names the platform of a URL no pattern knows, but may not contradict
    one that a pattern recognises. Every refusal is a `UsageError` with a one-line message.
    """
    text = _checked_text(url)
    wanted = _wanted_platform(platform, platforms) if platform is not None else None
    scheme = text.partition(":")[0].lower() if ":" in text else ""
    host = ""
    if scheme in _DEFAULT_PORTS:
        normalised, host = _normalise_web(text, platforms)
    elif scheme == "at":
        normalised = _normalise_at(text)
    else:
        raise UsageError(f"not a web address: {text}; give the full https:// URL of the post")

    candidates = list(platforms.values())
    if wanted in platforms:  # the user's choice is tried first, in case two platforms' patterns overlap
        candidates.sort(key=lambda p: p.key != wanted)
    for candidate in candidates:
        found = _match(candidate, normalised)
        if found is None:
            continue
        if wanted is not None and candidate.key != wanted:
            raise UsageError(
                f"{text} is a {candidate.key} post, not {wanted}: "
                f"leave out --platform or pass --platform {candidate.key}"
            )
        if found.handle is not None:
            check_handle(found.handle, candidate.key, platforms, "the URL's account")
        return found
    if scheme == "at":
        raise UsageError(f"{text} is not a Bluesky post: only at:// URIs of app.bsky.feed.post records are understood")
    if wanted is None:
        raise UsageError(f"no known platform matches {text}; pass --platform NAME")
    _check_named_host(text, host, wanted, platforms)
    return PostRef(platform=wanted, post_id=None, handle=None, url=normalised, profile_url=None)


def check_handle(handle: str, platform: str, platforms: Mapping[str, Platform], what: str = "--account") -> str:
    """The account handle, stripped, when it is valid on `platform`; a one-line `UsageError` otherwise.

    Every handle is refused when it holds a `/` or `\\`, a `..`, a control, format or space character,
    or is longer than `MAX_HANDLE_LENGTH`; a platform's `handle_pattern` (a known platform's key or
    alias) must then match it whole. A handle names an account in URLs and files, never a path.
    """
    text = handle.strip() if isinstance(handle, str) else ""
    shown = repr(text[:60])
    known = platforms.get(platform) or next((p for p in platforms.values() if platform in p.aliases), None)
    where = f"a valid handle on {known.name}" if known else "a valid account handle"
    if not text:
        raise UsageError(f"{what} is empty")
    if len(text) > MAX_HANDLE_LENGTH:
        raise UsageError(f"{what} is {len(text)} characters long: not {where}")
    if any(unicodedata.category(c) in _INVISIBLE or c in "/\\" for c in text) or ".." in text or text == ".":
        raise UsageError(f"{what} {shown} is not {where}: no slashes, '..', spaces or control characters")
    if known is not None and known.handle_pattern is not None and not known.handle_pattern.fullmatch(text):
        raise UsageError(f"{what} {shown} is not {where} (see handle_pattern in the platforms file)")
    return text


def _check_named_host(text: str, host: str, wanted: str, platforms: Mapping[str, Platform]) -> None:
    """`--platform` names a platform only for a host tracker does not know (see the module docstring)."""
    owner = next((p for p in platforms.values() if host and p.owns_host(host)), None)
    known = platforms.get(wanted)
    if known is None:
        if owner is not None:
            raise UsageError(
                f"{host} belongs to {owner.name}, which tracker knows, so --platform {wanted} cannot name it; "
                f"pass --platform {owner.key} to log it as a {owner.key} post"
            )
        return
    if owner is known or (owner is None and known.open_hosts):
        return
    if owner is not None:
        raise UsageError(f"{text} is on {owner.name}, not {wanted}: pass --platform {owner.key}")
    raise UsageError(
        f"{host} is not one of {known.name}'s hosts, so --platform {wanted} cannot name it; "
        "a site tracker does not know takes a name of its own, e.g. --platform mysite"
    )


# --- input checks and normalisation ---------------------------------------------------------


def _checked_text(url: str) -> str:
    if not isinstance(url, str):
        raise UsageError("the post URL must be text")
    text = url.strip()
    if not text:
        raise UsageError("the post URL is empty")
    if len(text) > MAX_URL_LENGTH:
        raise UsageError(f"the post URL is {len(text)} characters long; at most {MAX_URL_LENGTH} are accepted")
    for position, char in enumerate(text, start=1):
        # Spaces, newlines, bidi overrides and zero-width characters make a URL that looks like
        # one thing and is stored as another; a pasted URL never needs them.
        if unicodedata.category(char) in _INVISIBLE:
            raise UsageError(
                f"the post URL contains a space or control character ({char!r}) at position {position}: {text[:80]!r}"
            )
    return text


def _wanted_platform(platform: str, platforms: Mapping[str, Platform]) -> str:
    name = platform.strip().lower()
    if name in platforms:
        return name
    for known in platforms.values():
        if name in known.aliases:
            return known.key
    if not _KEY.match(name):
        raise UsageError(f"--platform takes a short lowercase name such as 'instagram', not {platform[:40]!r}")
    return name


def _normalise_web(text: str, platforms: Mapping[str, Platform]) -> tuple[str, str]:
    """The normalised URL and its host (lowercase IDNA form, no port); look-alike hosts refused."""
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise UsageError(f"not a valid URL: {text} ({one_line(exc)})") from None
    if "@" in parts.netloc:
        raise UsageError(f"{text} carries a user name or password; give the plain URL of the post")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise UsageError(f"{text} has no host name")
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    elif not _HOST.match(host):
        raise UsageError(f"{text} has an invalid host name")
    else:
        host = _ascii_host(text, host, platforms)
    scheme = parts.scheme.lower()
    netloc = host if port is None or port == _DEFAULT_PORTS[scheme] else f"{host}:{port}"
    return _assemble(scheme, netloc, parts.path or "/", parts.query), host


def _ascii_host(text: str, host: str, platforms: Mapping[str, Platform]) -> str:
    """The host in IDNA form (`xn--...` labels), after refusing mixed scripts and look-alikes of known hosts."""
    try:
        ascii_host = host.encode("idna").decode("ascii").lower()
        unicode_host = ascii_host.encode("ascii").decode("idna")
    except UnicodeError:
        raise UsageError(f"{text} has an invalid host name") from None
    if not _ASCII_HOST.match(ascii_host):
        raise UsageError(f"{text} has an invalid host name")
    if unicode_host.isascii():
        return ascii_host
    for label in unicode_host.split("."):
        scripts = {_script(c) for c in label if unicodedata.category(c).startswith("L")}
        if len(scripts) > 1 and not any(scripts <= allowed for allowed in _SCRIPT_MIXES):
            raise UsageError(f"{text}: the host {ascii_host} mixes scripts ({', '.join(sorted(scripts))}) in one name")
    skeleton = _skeleton(unicode_host)
    owner = next((p for p in platforms.values() if skeleton.isascii() and p.owns_host(skeleton)), None)
    if owner is not None:
        raise UsageError(f"{text}: the host {ascii_host} looks like {skeleton} ({owner.name}) but is not it")
    return ascii_host


_ASCII_HOST = re.compile(r"^[a-z0-9_.-]+$")
_SCRIPT_MIXES = ({"LATIN", "HAN", "KANA"}, {"LATIN", "HAN", "HANGUL"}, {"LATIN", "HAN", "BOPOMOFO"})
"""Scripts one host label may mix (Japanese, Korean and Chinese writing); any other mix is refused."""
_CONFUSABLES = str.maketrans(
    {
        **dict(zip("аеіјкорсуһԁԛԝхѕӏ", "aeijkopcyhdqwxsl", strict=True)),  # Cyrillic
        **dict(zip("αεικνορτυχϲ", "aeikvoptuxc", strict=True)),  # Greek
        **dict(zip("օսհոց", "ouhng", strict=True)),  # Armenian
        **dict(zip("ɡıɩ", "gii", strict=True)),  # Latin letters outside ASCII
    }
)
"""Letters drawn like ASCII ones, for a host's skeleton (what it looks like): a small, common subset."""


def _script(char: str) -> str:
    name = unicodedata.name(char, "UNKNOWN").split(" ")[0]
    if name in ("CJK", "IDEOGRAPHIC"):
        return "HAN"
    return "KANA" if name in ("HIRAGANA", "KATAKANA", "KATAKANA-HIRAGANA") else name


def _skeleton(host: str) -> str:
    """What a host looks like in Latin letters: accents dropped, look-alike letters replaced."""
    text = "".join(c for c in unicodedata.normalize("NFKD", host) if not unicodedata.combining(c))
    return text.translate(_CONFUSABLES).lower()


def _normalise_at(text: str) -> str:
    # An AT URI's authority is a DID or a handle; DIDs are case-sensitive, so it is kept as written.
    try:
        parts = urlsplit(text)
    except ValueError as exc:
        raise UsageError(f"not a valid at:// URI: {text} ({one_line(exc)})") from None
    if not parts.netloc or "@" in parts.netloc:
        raise UsageError(f"{text} is not a valid at:// URI")
    return _assemble("at", parts.netloc, parts.path, parts.query)


def _assemble(scheme: str, netloc: str, path: str, query: str) -> str:
    kept = [piece for piece in query.split("&") if piece and not _is_tracking(piece)]
    return f"{scheme}://{netloc}{path}" + ("?" + "&".join(kept) if kept else "")


def _is_tracking(piece: str) -> bool:
    name = piece.partition("=")[0].lower()
    return name.startswith("utm_") or name in TRACKING_PARAMS


# --- matching -----------------------------------------------------------------------------------


def _match(platform: Platform, url: str) -> PostRef | None:
    for pattern in platform.post_patterns:
        match = pattern.match(url)
        if match is None:
            continue
        groups = {name: value for name, value in match.groupdict().items() if value is not None}
        if "post_id_b36" in groups:
            groups["post_id"] = str(int(groups.pop("post_id_b36"), 36))
        fields = {**groups, "host": urlsplit(url).netloc}
        canonical = next((_fill(t, fields) for t in platform.canonical_post_url if _fills(t, fields)), None)
        profile = None
        if platform.profile_url and "handle" in groups and _fills(platform.profile_url, fields):
            profile = _fill(platform.profile_url, fields)
        return PostRef(
            platform=platform.key,
            post_id=groups.get("post_id"),
            handle=groups.get("handle"),
            url=canonical or url,
            profile_url=profile,
        )
    return None


def _template_fields(template: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]


def _fills(template: str, fields: Mapping[str, str]) -> bool:
    return all(name in fields for name in _template_fields(template))


def _fill(template: str, fields: Mapping[str, str]) -> str:
    return template.format_map(fields)


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
    )


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
