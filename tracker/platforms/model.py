"""What a platform is (`Platform`), what a post URL says (`PostRef`), and the limits both modules share.

Both `urls` (reading post URLs) and `file` (reading and checking a platforms file) import it; it
imports neither. `urls` re-exports the public names.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from typing import Any

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
    {
        "name",
        "aliases",
        "post_patterns",
        "canonical_post_url",
        "post_url_example",
        "profile_url",
        "handle_pattern",
        "check",
        *_INFO_FIELDS,
    }
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
    post_url_example: str | None = None
    """A post URL of this platform, as error messages show what one looks like (checked: a pattern matches it)."""

    def owns_host(self, host: str) -> bool:
        """Whether `host` (lowercase, IDNA form, no port) is one of this platform's hosts."""
        return any(pattern.fullmatch(host) for pattern in self.host_patterns)

    def post_url_looks_like(self) -> str:
        """What a post URL on this platform looks like, for a message: its `post_url_example`, else its
        first canonical template with the fields named (`<post id>`), else where the patterns are."""
        if self.post_url_example:
            return self.post_url_example
        if self.canonical_post_url:
            template = self.canonical_post_url[0]
            return template.format_map({name: f"<{name.replace('_', ' ')}>" for name in _template_fields(template)})
        return f"one that a post pattern of [{self.key}] in the platforms file matches"


@dataclass(frozen=True)
class PostRef:
    """What a post URL says: the platform key, the post and account when known, and the URL to store."""

    platform: str
    post_id: str | None
    handle: str | None
    url: str
    profile_url: str | None


def _template_fields(template: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
