"""A platform's notice that says the platform removed the content: the posts it names follow.

Bluesky's "We have removed the content", pixiv事務局's 「削除いたしました」 (`reading.platform_notices`):
the post is no longer live, whatever the owner decides next (a counter-notice may bring it back:
`tracker post set N --status live`). Left live, it would stand in the burn-down checklist as a post still to
delete, and in `tracker status` as a promised take-down never done. So when such a notice is logged, posts are
named on one later (`complaint set --post`), or the platform's later message says it (`complaint message N`:
"we have now removed the content"), each live post it names becomes `taken_down`, in the same transaction, each
change in the audit trail (the session's hook, under the command that made it). A post already taken down or
deleted stays as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from tracker.complaints.reading.platform_notices import platform_notice
from tracker.db.enums import PostStatus
from tracker.db.models import Complaint


def recorded_down(numbers: Sequence[int] = ()) -> str:
    """What `complaint add`, `complaint set --post` and `complaint message` say when a notice took posts down
    (`numbers`: the posts, when known)."""
    listed = ", ".join(f"#{n}" for n in numbers)
    which = f"post {listed} is" if len(numbers) == 1 else f"posts {listed} are" if numbers else "the posts it names are"
    return (
        f"The platform's notice says it removed the content: {which} recorded as taken down "
        "(tracker post set N --status live if one is still online)."
    )


def says_removed(message: str | None) -> bool:
    """Is `message` a platform's notice saying the platform removed the content?"""
    notice = platform_notice(message)
    return notice is not None and notice.removed


def follow_platform_removal(complaint: Complaint, now: datetime, message: str | None = None) -> list[int]:
    """Record the live posts the complaint names as taken down when its message (or `message`, a later one kept
    with it) is a platform's notice saying the platform removed the content; returns their numbers (none
    otherwise)."""
    if not says_removed(complaint.message if message is None else message):
        return []
    taken: list[int] = []
    for link in complaint.named_posts:
        post = link.post
        if post.status is PostStatus.LIVE:
            post.status = PostStatus.TAKEN_DOWN
            post.status_changed_at = now
            taken.append(post.id)
    return taken
