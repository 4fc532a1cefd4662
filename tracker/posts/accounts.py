"""Renaming an account: the use case behind `tracker account rename`.

A platform account renamed by its owner (X `moth_art` to `moth_studio`) stays one account: its handle
changes, and so does every post URL that holds the handle (X, Bluesky, DeviantArt, Tumblr). Bluesky and
Tumblr answer an old-handle URL with "not found", so a URL left as it was would be reported gone by
`tracker check`, and letters would quote an address that no longer leads anywhere; the URL each post had is
kept in its audit entry. A URL that does not hold the handle (pixiv, an `i/web` X link) stays as it is.
When posts were already logged under the new handle (a second account made meanwhile), the two are one
account again: the old one's posts join it and the old one goes, so a burn-down lists one account.
Each new URL is read as `tracker log` reads one and must not be logged already. One transaction, every
change in the audit trail.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from tracker.db.audit import add_to_entry
from tracker.db.models import Account, Post
from tracker.db.session import session_scope
from tracker.errors import ConflictError, NotFoundError, UsageError
from tracker.platforms.urls import Platform, PostRef, check_handle, parse_post_url, platform_key
from tracker.posts.corrections import account_label
from tracker.posts.log import refuse_logged

COMMAND = "account rename"


@dataclass
class AccountRename:
    """What a rename changed: the account's handle, each post URL (post id, old, new), a merge."""

    platform: str
    old: str
    new: str
    urls: list[tuple[int, str, str]] = field(default_factory=list)
    merged_into: int | None = None
    """The account that already had the new handle, which the old one's posts joined (None: renamed)."""


def _platform(name: str, platforms: Mapping[str, Platform]) -> str:
    """The platform key an account is stored under: a known platform's (any alias or case), else the name given."""
    return platform_key(name, platforms) or unicodedata.normalize("NFKC", name).strip().casefold()


def _find(session: Session, platform: str, handle: str) -> Account:
    account = session.scalar(
        select(Account).where(Account.platform == platform, func.lower(Account.handle) == handle.strip().lower())
    )
    if account is not None:
        return account
    known = session.scalars(
        select(Account.handle).where(Account.platform == platform, Account.handle.is_not(None)).order_by(Account.handle)
    ).all()
    listed = f"the {platform} accounts are {', '.join(h for h in known if h)}" if known else f"none is on {platform}"
    raise NotFoundError(f"no {platform} account {handle.strip()!r}: {listed}")


def swapped_segment(url: str, old: str, new: str) -> str | None:
    """`url` with its one path segment that is `old` (any case) made `new`; None when no single segment is."""
    parts = urlsplit(url)
    segments = parts.path.split("/")
    hits = [n for n, segment in enumerate(segments) if segment.lower() == old.lower()]
    if len(hits) != 1:
        return None
    segments[hits[0]] = new
    return urlunsplit(parts._replace(path="/".join(segments)))


def _renamed_ref(post: Post, old: str, new: str, platforms: Mapping[str, Platform]) -> PostRef | None:
    """The post's URL with the new handle, read as `log` reads it; None when its URL does not hold the handle."""
    candidate = swapped_segment(post.url, old, new)
    if candidate is None:
        return None
    try:
        ref = parse_post_url(candidate, platforms, post.platform)
    except UsageError:
        return None
    if ref.post_id != post.platform_post_id or (ref.handle or "").lower() != new.lower():
        return None  # the segment was something else that happened to read as the handle
    return ref


def rename_account(
    factory: sessionmaker[Session], platform: str, old: str, new: str, platforms: Mapping[str, Platform]
) -> AccountRename:
    """Give the account `old` on `platform` the handle `new` (see the module docstring)."""
    key = _platform(platform, platforms)
    if not key or not old.strip():
        raise UsageError(f"{'PLATFORM' if not key else 'OLD'} is empty")
    new = check_handle(new, key, platforms, "NEW")
    with session_scope(factory, command=COMMAND) as session:
        account = _find(session, key, old)
        before, label = account.handle or "", account_label(account)
        if before == new:
            raise UsageError(f"the {key} account is already called {new!r}")
        target = session.scalar(
            select(Account).where(
                Account.platform == key, func.lower(Account.handle) == new.lower(), Account.id != account.id
            )
        )
        if target is not None and target.persona_id != account.persona_id:
            raise ConflictError(
                f"the {key} account {target.handle!r} belongs to persona {target.persona.name!r}, not "
                f"{account.persona.name!r}: an account belongs to one persona"
            )
        result = AccountRename(key, before, new, merged_into=target.id if target is not None else None)
        profile = None
        after = account_label(target) if target is not None else f"{key} {new}"
        for post in sorted(account.posts, key=lambda p: p.id):
            ref = _renamed_ref(post, before, new, platforms)
            moved = ref is not None and ref.url != post.url
            if moved or target is not None:  # the post's own entry names the account it is on now
                add_to_entry(session, "post", post.id, {"account": [label, after]})
            if ref is not None and moved:
                refuse_logged(session, ref, other_than=post.id)
                result.urls.append((post.id, post.url, ref.url))
                post.url = ref.url
                profile = profile or ref.profile_url
            if target is not None:
                post.account = target
        if target is None:
            account.handle = new
            account.profile_url = profile or _renamed_profile(account.profile_url, before, new)
        else:
            session.flush()
            session.delete(account)
        return result


def _renamed_profile(profile: str | None, old: str, new: str) -> str | None:
    """The account's page with the new handle when its address holds the old one; else as it was."""
    if profile is None:
        return None
    return swapped_segment(profile, old, new) or profile
