"""What a corrected or removed post leaves behind: its old image and account, when nothing else uses them.

A post that shows another picture (`post set --image`) or that was logged by mistake (`post remove`) no
longer needs the image it pointed at, nor, when it was the account's only post, the account. Both are
deleted in the correcting transaction (audited, as every row) unless something else still uses them; an
image another post shows, or one that is an input of an image or has inputs recorded, stays. The image's
archived file goes only after the commit, and only when no row names it any more (a complaint image of
the same content keeps it), as a scrub's queued files go: the file is journalled first
(`archive.store.note_leaving`), so a process killed between the commit and the deletion leaves it to the
next writer's sweep instead of to no one.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from tracker.archive import store as archive
from tracker.archive.refs import named_among
from tracker.db.models import Account, Image, ImageInput, Post, PostPage
from tracker.support import testhooks


@dataclass(frozen=True)
class ImageLeft:
    """The image a post no longer shows: deleted (its file to go after the commit) or kept, and why."""

    image_id: int
    sha256: str
    archive_path: str | None
    """The archived file to delete after the commit (None: the image stays)."""
    kept_because: str | None
    """Why the image stays (`post #4 shows it too`), or None when it was deleted."""

    def line(self) -> str:
        """What the owner is told about it."""
        if self.kept_because is None:
            return f"image #{self.image_id} (sha256 {self.sha256[:16]}) is no longer used: removed from the archive"
        return f"image #{self.image_id} (sha256 {self.sha256[:16]}) stays: {self.kept_because}"


def _still_used(session: Session, image: Image) -> str | None:
    """What still uses the image (said as the owner reads it), or None."""
    session.flush()  # the post's own change first: it no longer counts
    other = session.scalar(select(Post.id).where(Post.image_id == image.id).order_by(Post.id).limit(1))
    if other is not None:
        return f"post #{other} shows it too"
    page = session.scalar(select(PostPage.post_id).where(PostPage.image_id == image.id).order_by(PostPage.id).limit(1))
    if page is not None:
        return f"it is a further page of post #{page}"
    fed = session.scalar(select(ImageInput.image_id).where(ImageInput.input_image_id == image.id).limit(1))
    if fed is not None:
        return f"it is an input of image #{fed}"
    if session.scalar(select(ImageInput.id).where(ImageInput.image_id == image.id).limit(1)) is not None:
        return f"inputs are recorded for it (tracker inputs image:{image.id} lists them)"
    return None


def leave_image(session: Session, image: Image, archive_dir: Path) -> ImageLeft:
    """Delete the image row when nothing uses it any more (its models and techniques go with it, its file
    is journalled for `delete_files` after the commit); otherwise keep it, saying why."""
    used = _still_used(session, image)
    if used is not None:
        return ImageLeft(image.id, image.sha256, None, used)
    archive.note_leaving(archive_dir, image.archive_path)
    session.delete(image)
    session.flush()
    return ImageLeft(image.id, image.sha256, image.archive_path, None)


def leave_account(session: Session, account: Account) -> bool:
    """Delete the account when it holds no post any more: an account is recorded only for its posts, and one
    left empty would stay on the persona's burn-down as an account to delete. Returns whether it went."""
    session.flush()
    if session.scalar(select(func.count(Post.id)).where(Post.account_id == account.id)):
        return False
    session.delete(account)
    session.flush()
    return True


def delete_files(factory: sessionmaker[Session], archive_dir: Path, rels: Sequence[str]) -> None:
    """After the commit: delete the archived files of `rels` that no image or complaint image names, and a
    folder left empty (inside `archive.writing`, like every writer of the archive)."""
    if not rels:
        return
    with factory() as session:
        named = named_among(session, rels)
    testhooks.stop_point("post:files-left")
    for rel in rels:
        if rel in named or Path(rel).is_absolute() or ".." in Path(rel).parts:
            continue  # named again, or a stored path that would leave the archive folder
        path = archive_dir / rel
        path.unlink(missing_ok=True)
        try:
            os.rmdir(path.parent)  # only when empty
        except OSError:
            pass
