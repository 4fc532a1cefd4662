"""Correcting where a post is and what it shows: `post set --url/--platform/--account/--image`.

A post logged with a mistyped URL, under a platform name typed wrong, or with the wrong file is corrected
in place, so its number, its complaints and its history stay one record. The new URL is read exactly as
`tracker log` reads one (`platforms.urls.parse_post_url`, the same duplicate rules: `log.refuse_logged`),
and the account follows it as `log` would choose it (`log.resolve_account`); the new file is read, hashed
and archived by `log`'s own code (`log.image_for_post`). The post's audit entry keeps the old and new
value of each field, with the account's handle and the image's sha256 beside the row ids
(`audit.add_to_entry`). The account and image the post leaves go when nothing else uses them (`dropping`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from tracker.db.audit import add_to_entry, record
from tracker.db.models import Account, Post, PostCheck
from tracker.errors import UsageError
from tracker.platforms.urls import Platform, PostRef, check_handle, parse_post_url
from tracker.posts.dropping import ImageLeft, leave_account, leave_image
from tracker.posts.log import PostImage, image_for_post, refuse_logged, resolve_account
from tracker.support.words import counted

if TYPE_CHECKING:
    from tracker.accountability.report import ReportContext
    from tracker.metadata.reader import ImageReading
    from tracker.support.settings import Settings


@dataclass(frozen=True)
class NewImage:
    """The file a post shows instead (`post set --image`), read by the caller, and where it is archived."""

    reading: ImageReading
    settings: Settings
    ctx: ReportContext


@dataclass(frozen=True)
class NewPlace:
    """Where the post is: its URL, platform and account; None keeps each as it is."""

    url: str | None = None
    platform: str | None = None
    account: str | None = None

    def __bool__(self) -> bool:
        return any(value is not None for value in (self.url, self.platform, self.account))


def account_label(account: Account) -> str:
    """`x moth_art`, `pixiv (handle unknown)`: an account as the post's history names it."""
    return f"{account.platform} {account.handle or '(handle unknown)'}"


def _parsed(post: Post, place: NewPlace, platforms: Mapping[str, Platform]) -> PostRef:
    """The new URL read as `tracker log` reads it. Without `--platform`, the URL names its platform as for
    `log`; a site tracker does not know keeps the post's own platform name, as if it were given again."""
    url = place.url if place.url is not None else post.url
    if place.platform is not None:
        return parse_post_url(url, platforms, place.platform)
    if place.url is None:
        return parse_post_url(url, platforms, post.platform)  # `--account` alone
    try:
        return parse_post_url(url, platforms)
    except UsageError as first:
        if post.platform in platforms:
            raise
        try:
            return parse_post_url(url, platforms, post.platform)
        except UsageError:
            raise first from None


def move_to(
    session: Session, post: Post, place: NewPlace, platforms: Mapping[str, Platform]
) -> tuple[dict[str, Any], list[str]]:
    """Give the post its corrected URL, platform and account; returns each changed field's (old, new), and
    what else happened (the account it left, removed)."""
    ref = _parsed(post, place, platforms)
    handle = check_handle(place.account, ref.platform, platforms) if place.account is not None else ref.handle
    refuse_logged(session, ref, other_than=post.id)
    old_account = post.account
    before = account_label(old_account)
    account = old_account
    if ref.platform != old_account.platform or (handle and handle.lower() != (old_account.handle or "").lower()):
        account = resolve_account(session, ref, handle, old_account.persona.name)
    done: dict[str, Any] = {}
    for field, new in (("url", ref.url), ("platform", ref.platform), ("platform_post_id", ref.post_id)):
        old = getattr(post, field)
        if old != new:
            setattr(post, field, new)
            if field != "platform_post_id":  # said by the URL
                done[field] = (old, new)
    if account is not old_account:
        post.account = account
    if account_label(account) != before:
        done["account"] = (before, account_label(account))
        if account is not old_account or session.is_modified(post):
            add_to_entry(session, "post", post.id, {"account": list(done["account"])})
        else:  # the account itself learnt its handle: the post's row is as it was, its history says it all the same
            record(session, "post", "update", [(post.id, {"account": list(done["account"])})])
    session.flush()
    notes = _drop_checks(session, post.id) if "url" in done else []
    if account is not old_account and leave_account(session, old_account):
        notes.append(f"account {before} held no other post: removed")
    return done, notes


def _drop_checks(session: Session, post_id: int) -> list[str]:
    """Forget what `tracker check` answered about the old URL: another address's answer (someone else's work
    still online, a typo gone) would stand as this post's last check on its page, in `status` and in a burn-down."""
    dropped = session.connection().execute(delete(PostCheck).where(PostCheck.post_id == post_id)).rowcount
    if not dropped:
        return []
    return [f"{counted(dropped, 'check')} of the old URL forgotten: tracker check {post_id} asks the new one"]


@dataclass(frozen=True)
class ImageChange:
    """What `post set --image` did: the post's new image, and what became of the old one."""

    shown: PostImage
    left: ImageLeft | None
    """None when the file is the image the post showed already."""


def show_image(session: Session, post: Post, new: NewImage, created: list[str]) -> ImageChange:
    """Make the post show the file in hand (archived as `log` archives it); the old image goes when nothing
    else uses it. Files archived now are added to `created` (removed again if the transaction fails)."""
    old = post.image
    shown = image_for_post(session, new.settings, new.reading, new.ctx, post.account.persona, created)
    if shown.image is old:
        return ImageChange(shown, None)
    add_to_entry(session, "post", post.id, {"image_sha256": [old.sha256, shown.image.sha256]})
    post.image = shown.image
    return ImageChange(shown, leave_image(session, old, new.settings.archive_dir))
