"""Changing what is recorded about a logged post: the use case behind `tracker post set`.

A post's title, date and status change after logging (a post deleted by hand, a date logged
wrong), and posts logged before the request fields existed need them added. Every change goes
through the ORM, so the audit trail records each field's old and new value under the command
`post set`; the owner's rule for requests holds as at logging time: a post made for someone else
always has the date they gave permission. A URL, platform, account or image recorded wrong is
corrected by `corrections`, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from tracker.archive import store as archive
from tracker.archive.refs import referenced_by, remove_unnamed
from tracker.db.audit import plain_value
from tracker.db.enums import PostStatus, PurgeItemState
from tracker.db.models import Post, PurgeItem
from tracker.db.session import session_scope
from tracker.errors import ConflictError, UsageError
from tracker.platforms.urls import Platform
from tracker.posts.corrections import NewImage, NewPlace, move_to, show_image
from tracker.posts.dropping import delete_files
from tracker.posts.log import remove_created
from tracker.posts.lookup import find_post
from tracker.posts.personas import move_post
from tracker.posts.posting_dates import check_permission_at, check_posted_at
from tracker.posts.requests import PERMISSION_NEEDED, check_requester
from tracker.support.dates import utcnow

COMMAND = "post set"


@dataclass(frozen=True)
class PostChanges:
    """What to change; None leaves a field as it is (an empty title clears it)."""

    title: str | None = None
    posted_at: datetime | None = None
    clear_posted_at: bool = False
    """Forget the posting date (`--posted-at ''`): it is unknown after all."""
    status: PostStatus | None = None
    requested_by: str | None = None
    permission_at: datetime | None = None
    permission_ref: str | None = None
    clear_request: bool = False
    """Forget who the post was made for, and the permission (it was logged as a request by mistake)."""
    persona: str | None = None
    """Record the post as this persona's (its account moves with it)."""
    new_persona: bool = False
    """`persona` is a new one: make it when none is called so (`--new-persona`, as `log` has it)."""
    place: NewPlace = NewPlace()
    """A corrected URL, platform or account."""
    image: NewImage | None = None
    """The file the post shows instead."""

    def check(self, image_coming: bool = False) -> None:
        """Refuse a contradictory or empty request before anything is read (`image_coming`: the file given
        with `--image` is still to be read)."""
        request = (self.requested_by, self.permission_at, self.permission_ref)
        if self.clear_request and any(value is not None for value in request):
            raise UsageError("--clear-request cannot be combined with --requested-by/--permission-at/--permission-ref")
        check_requester(self.requested_by, " (or --clear-request)")
        check_posted_at(self.posted_at)
        if self.new_persona and self.persona is None:
            raise UsageError("--new-persona goes with --persona NAME: the persona to make and move the post to")
        check_permission_at(self.permission_at)
        if not (self.clear_request or self.clear_posted_at or self.place or image_coming) and all(
            value is None for value in (self.title, self.posted_at, self.status, self.persona, self.image, *request)
        ):
            raise UsageError(
                "nothing to change: give --title, --posted-at, --status, --persona, --url, --platform, --account, "
                "--image, --requested-by/--permission-at/--permission-ref or --clear-request"
            )


@dataclass
class PostUpdate:
    """The post changed and each changed field's (old, new) value, as the audit trail has it."""

    post_id: int
    changes: dict[str, tuple[Any, Any]]
    notes: list[str] = field(default_factory=list)
    """What else the change did (an account or image left unused, removed; an image kept, and why)."""
    warnings: list[str] = field(default_factory=list)
    """The new image belongs to other personas too (as `log` warns)."""
    dropped: list[str] = field(default_factory=list)
    """Archived files whose image row went: deleted after the commit when no row names them."""


def _new_values(post: Post, changes: PostChanges) -> dict[str, Any]:
    """Field -> new value for every field the changes touch, after the request rule is checked."""
    values: dict[str, Any] = {}
    if changes.title is not None:
        values["title"] = changes.title.strip() or None
    if changes.posted_at is not None or changes.clear_posted_at:
        values["posted_at"] = changes.posted_at
    if changes.status is not None:
        values["status"] = changes.status
    if changes.clear_request:
        values.update(requested_by=None, permission_at=None, permission_ref=None)
        return values
    if changes.requested_by is not None:
        values["requested_by"] = changes.requested_by.strip()
        if post.requested_by is not None and values["requested_by"] != post.requested_by:
            # Someone else's request: the earlier person's permission does not cover it.
            if changes.permission_at is None:
                raise UsageError(
                    f"post #{post.id} was made for {post.requested_by!r}: a new requester needs the date "
                    "they gave permission (--permission-at WHEN)"
                )
            values["permission_ref"] = None
    if changes.permission_at is not None:
        values["permission_at"] = changes.permission_at
    if changes.permission_ref is not None:
        values["permission_ref"] = changes.permission_ref.strip() or None
    requested_by = values.get("requested_by", post.requested_by)
    if requested_by is None and (changes.permission_at is not None or changes.permission_ref is not None):
        raise UsageError(
            f"post #{post.id} was not made for anyone: --permission-at/--permission-ref need --requested-by"
        )
    if requested_by is not None and values.get("permission_at", post.permission_at) is None:
        raise UsageError(PERMISSION_NEEDED)
    return values


def _reopen_purge_item(session: Session, post_id: int) -> None:
    """A post recorded live again is not done on a burn-down's checklist: its item opens again (the
    scrub waits for it), through the ORM so that the audit trail has the change."""
    for item in session.scalars(
        select(PurgeItem).where(PurgeItem.item_key == f"post:{post_id}", PurgeItem.state == PurgeItemState.DONE)
    ):
        item.state, item.post_status_before, item.changed_at = PurgeItemState.OPEN, None, utcnow()


def update_post(
    factory: sessionmaker[Session], key: str, changes: PostChanges, platforms: Mapping[str, Platform]
) -> PostUpdate:
    """Apply `changes` to the post named by `key` (number or URL) in one transaction. A new image is archived
    as `log` archives it (removed again if the transaction fails), the old image's file goes after the commit."""
    changes.check()
    if changes.image is None:
        return _update_post(factory, key, changes, platforms, [])
    root = changes.image.settings.archive_dir
    created: list[str] = []
    with archive.writing(root, referenced_by(factory)):
        try:
            update = _update_post(factory, key, changes, platforms, created)
        except IntegrityError:
            remove_created(changes.image.settings, created)
            raise ConflictError(
                f"another tracker process changed the archive while post {key.strip()} was being corrected; "
                "run the command again"
            ) from None
        except BaseException:  # a Ctrl+C may come after the commit: what the rows name stays
            remove_unnamed(factory, root, created)
            raise
        delete_files(factory, root, update.dropped)
    return update


def _update_post(
    factory: sessionmaker[Session],
    key: str,
    changes: PostChanges,
    platforms: Mapping[str, Platform],
    created: list[str],
) -> PostUpdate:
    with session_scope(factory, command=COMMAND) as session:
        post = find_post(session, key, platforms)
        done: dict[str, tuple[Any, Any]] = {}
        for name, new in _new_values(post, changes).items():
            old = getattr(post, name)
            if old != new:  # timestamps are always timezone-aware, so this compares instants
                setattr(post, name, new)
                done[name] = (plain_value(old), plain_value(new))
        if "status" in done:
            post.status_changed_at = utcnow()
            if post.status is PostStatus.LIVE:
                _reopen_purge_item(session, post.id)
        update = PostUpdate(post.id, done)
        if changes.place:
            moved, notes = move_to(session, post, changes.place, platforms)
            done.update(moved)
            update.notes.extend(notes)
        if changes.image is not None:
            _show_image(session, post, changes.image, created, update)
        if changes.persona is not None:
            old = move_post(session, post, changes.persona, new=changes.new_persona)
            if old is not None:
                done["persona"] = (old, post.account.persona.name)
        return update


def _show_image(session: Session, post: Post, new: NewImage, created: list[str], update: PostUpdate) -> None:
    """`--image`: the post shows the file in hand; the change and what became of the old image go into `update`."""
    change = show_image(session, post, new, created)
    if change.left is None:
        return
    update.changes["image"] = (change.left.sha256, change.shown.image.sha256)
    update.notes.append(change.left.line())
    if change.left.archive_path is not None:
        update.dropped.append(change.left.archive_path)
    if change.shown.others is not None:
        update.warnings.append(change.shown.others.warning(post.account.persona.name))
