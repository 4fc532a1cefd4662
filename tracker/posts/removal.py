"""Removing a post logged by mistake: the use case behind `tracker post remove`.

A post that never was the owner's (a mistyped URL logged beside the right one, a test) would otherwise
stay on the persona's burn-down and in every check. It goes in one transaction, with its image and
account when nothing else uses them (`dropping`); the audit trail keeps its delete entry, with every
column (the URL among them) and its image's sha256. A post a complaint names or a decision covers is
part of that complaint's record and is never removed: it can be corrected (`post set --url/--image`) or
marked deleted instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tracker.archive import store as archive
from tracker.archive.refs import referenced_by
from tracker.db.audit import add_to_entry
from tracker.db.models import ComplaintPost, Decision, Post, Takedown
from tracker.db.session import session_scope
from tracker.errors import ConflictError
from tracker.platforms.urls import Platform
from tracker.posts.corrections import account_label
from tracker.posts.dropping import delete_files, leave_account, leave_image
from tracker.posts.lookup import find_post

COMMAND = "post remove"


@dataclass
class Removal:
    """The post removed, and what went with it or stayed."""

    post_id: int
    url: str
    image_sha256: str
    notes: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    """Archived files whose image row went: deleted after the commit when no row names them."""
    removed: bool = True
    """False for a preview (no `--yes`): nothing was changed, the notes say what would go."""


def _complaint_covering(session: Session, post_id: int) -> int | None:
    """The first complaint that names the post, took it down or decided about it (None: no complaint)."""
    named = session.scalar(
        select(ComplaintPost.complaint_id).where(ComplaintPost.post_id == post_id).order_by(ComplaintPost.complaint_id)
    )
    if named is not None:
        return named
    taken = session.scalar(
        select(Decision.complaint_id)
        .join(Takedown, Takedown.decision_id == Decision.id)
        .where(Takedown.post_id == post_id)
    )
    if taken is not None:
        return taken
    decided = session.execute(select(Decision.complaint_id, Decision.post_ids).order_by(Decision.complaint_id))
    return next((complaint for complaint, ids in decided if post_id in (ids or [])), None)


def _refuse_if_recorded(session: Session, post: Post) -> None:
    """A post a complaint names or a decision covers belongs to that complaint's record: one line saying so."""
    complaint = _complaint_covering(session, post.id)
    if complaint is not None:
        raise ConflictError(
            f"post #{post.id} is part of the record of complaint #{complaint}, so it cannot be removed: "
            f"correct it (tracker post set {post.id} --url URL / --image FILE) or mark it deleted (--status deleted)"
        )


class _Previewed(Exception):
    """Raised inside the transaction of a preview (`confirmed` False) so that it rolls back what it did."""


def remove_post(
    factory: sessionmaker[Session], archive_dir: Path, key: str, platforms: Mapping[str, Platform], confirmed: bool
) -> Removal:
    """Forget the post named by `key` (number or URL), in one transaction. Without `confirmed` it is a preview:
    the same removal is done and rolled back, so what it says would go is what `--yes` removes (`Removal.removed`
    False, nothing changed, no file deleted); a post that cannot be removed is refused either way."""
    removal: Removal | None = None
    with archive.writing(archive_dir, referenced_by(factory)):
        try:
            with session_scope(factory, command=COMMAND) as session:
                post = find_post(session, key, platforms)
                _refuse_if_recorded(session, post)
                image, account = post.image, post.account
                pages = [page.image for page in post.pages]  # its further pages go with it, as its image does
                removal = Removal(post.id, post.url, image.sha256, removed=confirmed)
                add_to_entry(session, "post", post.id, {"image_sha256": [image.sha256, None]})
                session.delete(post)
                session.flush()
                for shown in [image, *pages]:
                    left = leave_image(session, shown, archive_dir)
                    kept = confirmed or left.kept_because is not None
                    removal.notes.append(left.line() if kept else _would_drop(left.image_id, left.sha256))
                    if left.archive_path is not None:
                        removal.dropped.append(left.archive_path)
                label = account_label(account)
                if leave_account(session, account):
                    removal.notes.append(
                        f"account {label} held no other post: removed"
                        if confirmed
                        else f"account {label} holds no other post: it would be removed too"
                    )
                if not confirmed:
                    raise _Previewed  # rolled back; the writing run ends cleanly (its file note is cleared)
        except _Previewed:
            assert removal is not None
            removal.dropped.clear()
            return removal
        delete_files(factory, archive_dir, removal.dropped)
    return removal


def _would_drop(image_id: int, sha256: str) -> str:
    """What a preview says of an image only the post uses (`dropping.LeftImage.line`, not yet done)."""
    return f"image #{image_id} (sha256 {sha256[:16]}) is used by nothing else: it would be removed from the archive"
