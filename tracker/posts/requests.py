"""Posts made for someone else: who asked, and when they gave permission.

The owner's rule is that an image made for someone else is made, and posted, only with their
permission; `tracker log` and `tracker post set` refuse a requester without a permission date.
"""

from __future__ import annotations

from tracker.errors import UsageError

MAX_REQUESTED_BY = 300
"""The length of the `post.requested_by` column."""

PERMISSION_NEEDED = (
    "a post made for someone else needs the date they gave permission: --permission-at WHEN "
    "(and --permission-ref LINK to where it is)"
)


def check_requester(name: str | None, empty_hint: str = "") -> None:
    """Refuse an empty or over-long `--requested-by` (None: not given)."""
    if name is None:
        return
    if not name.strip():
        raise UsageError(f"--requested-by is empty: say who asked for the image{empty_hint}")
    if len(name.strip()) > MAX_REQUESTED_BY:
        raise UsageError(f"--requested-by is longer than {MAX_REQUESTED_BY} characters")
