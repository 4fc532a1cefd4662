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
platform's name with a host that is not one of its own is refused, and so is a URL on a known
platform's host that none of its post patterns matches (not a post: the message shows what one
looks like, `post_url_example`). A note on a Misskey instance the file does not list is read with
Misskey's patterns as if it were on a listed one. The hosts of a platform are the host parts of its
post patterns. Account handles are checked per platform (`handle_pattern`), and for every platform
against path tricks (`/`, `..`) and control characters.

Every URL is normalised the same way, on any site: the host in lower case (IDNA), no default port,
no trailing slash, no fragment, no tracking parameters, the path's percent-escaped non-ASCII characters
written out (`/%E4%BD%9C%E5%93%81` is `/作品`: a browser copies one spelling, a message quotes the other).

Nothing here touches the network. Whatever only the platform could answer (which DID a Bluesky
handle belongs to, where a fav.me short link points, which account posted an `i/web` tweet) is
left as the URL gave it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import quote, urlsplit

from tracker.errors import UsageError
from tracker.platforms.file import read_platforms
from tracker.platforms.model import (
    _DEFAULT_PORTS,
    _HOST,
    _INVISIBLE,
    _KEY,
    HELP_PAGE_STEPS,
    MAX_HANDLE_LENGTH,
    MAX_URL_LENGTH,
    TRACKING_PARAMS,
    Platform,
    PostRef,
    _template_fields,
)
from tracker.support.paths import shipped_data_dir
from tracker.support.tomlfile import one_line

__all__ = [
    "HELP_PAGE_STEPS",
    "MAX_URL_LENGTH",
    "TRACKING_PARAMS",
    "Platform",
    "PostRef",
    "check_handle",
    "load_platforms",
    "named_platform",
    "parse_post_url",
    "platform_of_sender",
    "platform_key",
    "shipped_platforms_path",
    "stored_spellings",
    "with_old_spelling",
]


def shipped_platforms_path() -> Path:
    """The platforms file that ships with the tracker (in a checkout or inside an installed wheel).

    A user's own `platforms.toml` in the data folder replaces it; `Settings.reference_file`
    makes that choice, this only says where the shipped copy is.
    """
    return shipped_data_dir() / "platforms.toml"


def load_platforms(path: Path) -> dict[str, Platform]:
    """Read and check a platforms file, in file order (`file.read_platforms`).

    The file is hand-editable, so every problem (unreadable file, bad TOML, an unknown or
    misspelt key, a bad regex, a pattern without a post id, a template naming a field no pattern
    supplies, an alias clash, an example that is no post) raises `UsageError` with one line naming
    the file and the platform. A broken file then fails when it is loaded, not by misfiling posts later.
    """
    return read_platforms(Path(path))


def parse_post_url(url: str, platforms: Mapping[str, Platform], platform: str | None = None) -> PostRef:
    """Find the platform, post id and account of a post URL, and the URL to store for it.

    The URL is normalised first, on every site (lowercase scheme and host, no default port, no
    trailing slash, no fragment, no tracking parameters) and then put in the platform's canonical
    form when it has one, so two spellings of one post give one URL. `platform` is what the user
    passed as `--platform` (a key or an alias, any case): it names the platform of a URL on a host
    no platform owns, but may not contradict one that a pattern recognises. A URL on a known
    platform's host that no pattern of it matches (a profile, `artworks/` without its id) is no
    post, with or without `--platform`. Every refusal is a `UsageError` with a one-line message.
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
    owner = _owner(normalised, host, platforms)
    if owner is not None:
        # A known platform's page that is not a post (a profile, a search, an id left out): logging it,
        # even with --platform, would record a post that no id, no check and no complaint can find.
        raise UsageError(_not_a_post(text, owner, wanted, host, platforms))
    if wanted is None:
        raise UsageError(f"no known platform matches {text}; pass --platform NAME")
    netloc = urlsplit(normalised).netloc
    _check_named_host(text, netloc, wanted, platforms)
    known = platforms.get(wanted)
    if known is not None:  # a platform of many hosts (Misskey) on an instance it does not list
        return _on_unlisted_host(text, normalised, netloc, known, platforms)
    return PostRef(platform=wanted, post_id=None, handle=None, url=normalised, profile_url=None)


def _not_a_post(text: str, owner: Platform, wanted: str | None, host: str, platforms: Mapping[str, Platform]) -> str:
    """Why a URL on `owner`'s host that none of its patterns matches is refused, in one line."""
    looks = f"a post URL on {owner.name} looks like {owner.post_url_looks_like()}"
    if wanted is None or wanted == owner.key:
        return f"{text} is not the URL of a post on {owner.name}: {looks}"
    if wanted in platforms:
        return f"{text} is on {owner.name}, not {wanted}, and is not the URL of a post there: {looks}"
    return (
        f"{host} belongs to {owner.name}, which tracker knows, so --platform {wanted} cannot name it; "
        f"{text} is not the URL of a post there: {looks}"
    )


def _on_unlisted_host(
    text: str, normalised: str, netloc: str, known: Platform, platforms: Mapping[str, Platform]
) -> PostRef:
    """A URL on an instance of a platform of many hosts that the platforms file does not list (`--platform
    misskey`): read with the platform's patterns as if it were on the host of its `post_url_example`, so a
    note gets its id and canonical URL on its own host; a page that is no post there is refused."""
    stand_in = urlsplit(known.post_url_example or "").netloc
    if not stand_in:  # no example to read it by: kept as given, as a site tracker does not know
        return PostRef(platform=known.key, post_id=None, handle=None, url=normalised, profile_url=None)
    scheme, _, rest = normalised.partition("://")
    found = _match(known, f"{scheme}://{stand_in}{rest[len(netloc) :]}", host=netloc)
    if found is None:
        raise UsageError(_not_a_post(text, known, None, netloc, platforms))
    if found.handle is not None:
        check_handle(found.handle, known.key, platforms, "the URL's account")
    return found


def stored_spellings(url: str, platforms: Mapping[str, Platform]) -> tuple[str, ...]:
    """The spellings a post of this URL may be stored under: the one `parse_post_url` gives (on a host
    no platform owns too, where it needs no `--platform` here), and the same with the trailing slash that
    earlier versions of tracker kept (`https://example.org/p/1/`). Empty when the URL cannot be a post's."""
    try:
        stored = parse_post_url(url, platforms).url
    except UsageError:
        try:
            stored = parse_post_url(url, platforms, _ANY_SITE).url
        except UsageError:
            return ()
    return with_old_spelling(stored)


def with_old_spelling(stored: str) -> tuple[str, ...]:
    """A stored post URL (`PostRef.url`), and the same with the trailing slash earlier versions of tracker
    kept on a site no pattern knows (`https://example.org/p/1/`), when it has a path; for a path with
    non-ASCII characters, both also percent-escaped, as earlier versions kept a path copied from a browser."""
    parts = urlsplit(stored)
    if parts.scheme not in _DEFAULT_PORTS or parts.path in ("", "/"):
        return (stored,)
    query = f"?{parts.query}" if parts.query else ""
    paths = dict.fromkeys((parts.path, "".join(c if c.isascii() else quote(c) for c in parts.path)))
    return tuple(f"{parts.scheme}://{parts.netloc}{path}{end}" for path in paths for end in (query, f"/{query}"))


_ANY_SITE = "any-site"
"""A `--platform` name for `stored_spellings`: the URL of a site tracker does not know is normalised as any is."""


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


def platform_page(url: str, platforms: Mapping[str, Platform]) -> bool:
    """Whether `url` is a known platform's page that is no post (a profile such as `https://x.com/handle`, a
    search); False for a post, another site's page, or no URL at all."""
    try:
        parse_post_url(url, platforms)
        return False
    except UsageError:
        pass
    try:
        text = _checked_text(url)
        if text.partition(":")[0].lower() not in _DEFAULT_PORTS:
            return False
        normalised, host = _normalise_web(text, platforms)
    except UsageError:
        return False
    return _owner(normalised, host, platforms) is not None


def platform_of_sender(address: str | None, platforms: Mapping[str, Platform]) -> str | None:
    """The key of the known platform an e-mail address is at, on its host or under it (`no-reply@pixiv.net`,
    `info@mail.pixiv.net`: pixiv), or None: a notice a platform forwards comes from its own domain."""
    labels = (address or "").rpartition("@")[2].strip().rstrip(".").lower().split(".")
    for start in range(len(labels) - 1):
        host = ".".join(labels[start:])
        if found := next((known.key for known in platforms.values() if known.owns_host(host)), None):
            return found
    return None


def _owner(normalised: str, host: str, platforms: Mapping[str, Platform]) -> Platform | None:
    """The known platform whose host the URL is on (None on a port of its own: that is another server)."""
    if not host or urlsplit(normalised).netloc != host:
        return None
    return next((p for p in platforms.values() if p.owns_host(host)), None)


def _check_named_host(text: str, host: str, wanted: str, platforms: Mapping[str, Platform]) -> None:
    """`--platform` names a platform only for a host tracker does not know (see the module docstring);
    a URL on a known platform's own host never gets here (`parse_post_url` refuses it unless a pattern matches)."""
    known = platforms.get(wanted)
    if known is None or known.open_hosts:
        return
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


def platform_key(name: str, platforms: Mapping[str, Platform]) -> str | None:
    """The key of the platform `name` names (its key or an alias, in any case or width), or None."""
    folded = unicodedata.normalize("NFKC", name).strip().casefold()
    if folded in platforms:
        return folded
    return next((known.key for known in platforms.values() if folded in known.aliases), None)


def named_platform(platform: str, platforms: Mapping[str, Platform]) -> str:
    """The platform key `platform` names as `tracker log --platform` reads it: a known platform's key or alias (in
    any case or width), else a short lowercase name of a site tracker does not know; anything else a `UsageError`."""
    return _wanted_platform(platform, platforms)


def _wanted_platform(platform: str, platforms: Mapping[str, Platform]) -> str:
    known = platform_key(platform, platforms)
    if known is not None:
        return known
    name = platform.strip().lower()
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
    # One post, one URL on any site: `/p/1/` is `/p/1` (the root stays `/`); the fragment is dropped in `_assemble`.
    return _assemble(scheme, netloc, _written_out(parts.path).rstrip("/") or "/", parts.query), host


_ESCAPES = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
_UTF8_LENGTHS = {0xC: 2, 0xD: 2, 0xE: 3, 0xF: 4}
"""The length of a UTF-8 character by its first byte's high four bits (a bad sequence fails to decode)."""


def _written_out(path: str) -> str:
    """The path with its percent-escaped non-ASCII characters written out, as a browser shows them and a message
    quotes them: `/%E4%BD%9C%E5%93%81` (what a browser copies) is `/作品`, one URL. ASCII escapes (`%2F`, `%20`),
    bytes that are no UTF-8 and invisible characters stay escaped: written out they would mean something else."""
    return _ESCAPES.sub(lambda found: _decoded_run(found.group()), path)


def _decoded_run(run: str) -> str:
    """A run of escapes (`%E4%BD%9C%2F`) with each whole UTF-8 character written out (`作%2F`), the rest as it came."""
    data = bytes.fromhex(run.replace("%", ""))
    out, at = [], 0
    while at < len(data):
        size = _UTF8_LENGTHS.get(data[at] >> 4, 1) if data[at] >= 0xC2 else 1
        try:
            char = data[at : at + size].decode("utf-8") if size > 1 else ""
        except UnicodeDecodeError:
            char = ""
        if len(char) == 1 and unicodedata.category(char) not in _INVISIBLE:
            out.append(char)
            at += size
        else:
            out.append(run[at * 3 : at * 3 + 3])
            at += 1
    return "".join(out)


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


def _match(platform: Platform, url: str, host: str | None = None) -> PostRef | None:
    """What `platform`'s first matching pattern reads from `url`; `host` is the one its templates name,
    when `url` was read on a stand-in host (`_on_unlisted_host`)."""
    for pattern in platform.post_patterns:
        match = pattern.match(url)
        if match is None:
            continue
        groups = {name: value for name, value in match.groupdict().items() if value is not None}
        if "post_id_b36" in groups:
            groups["post_id"] = str(int(groups.pop("post_id_b36"), 36))
        fields = {**groups, "host": host or urlsplit(url).netloc}
        canonical = next((_fill(t, fields) for t in platform.canonical_post_url if _fills(t, fields)), None)
        profile = None
        if platform.profile_url and "handle" in groups and _fills(platform.profile_url, fields):
            profile = _fill(platform.profile_url, fields)
        return PostRef(
            platform=platform.key,
            post_id=groups.get("post_id"),
            handle=groups.get("handle"),
            url=canonical or (url if host is None else url.replace(urlsplit(url).netloc, host, 1)),
            profile_url=profile,
        )
    return None


def _fills(template: str, fields: Mapping[str, str]) -> bool:
    return all(name in fields for name in _template_fields(template))


def _fill(template: str, fields: Mapping[str, str]) -> str:
    return template.format_map(fields)
