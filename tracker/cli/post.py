"""`tracker post set`: change the title, date, status or request details of one logged post."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from tracker.db.models import PostStatus
from tracker.errors import UsageError
from tracker.support.textsafe import safe_json, safe_text

if TYPE_CHECKING:
    from tracker.cli import AppContext


@click.group("post")
def post_group() -> None:
    """Change what is recorded about one logged post (every change goes into its audit trail)."""


@post_group.command("set")
@click.argument("post")
@click.option("--title", help="New title ('' clears it).")
@click.option(
    "--posted-at", "posted_at", metavar="WHEN", help="When it was posted: YYYY-MM-DD, ISO 8601 or 'now' ('' clears it)."
)
@click.option(
    "--status",
    type=click.Choice([s.value for s in PostStatus]),
    help="Where the post stands: live, taken_down (by the platform) or deleted (by you).",
)
@click.option("--requested-by", metavar="WHO", help="Made for someone else: who asked for it.")
@click.option("--permission-at", metavar="WHEN", help="When they gave permission (needed with --requested-by).")
@click.option("--permission-ref", metavar="LINK", help="Where the permission is (a message link).")
@click.option("--clear-request", is_flag=True, help="The post was not made for anyone: forget the request.")
@click.option("--json", "as_json", is_flag=True, help="Print the changed fields as JSON.")
@click.pass_obj
def set_cmd(
    app: AppContext,
    post: str,
    title: str | None,
    posted_at: str | None,
    status: str | None,
    requested_by: str | None,
    permission_at: str | None,
    permission_ref: str | None,
    clear_request: bool,
    as_json: bool,
) -> None:
    """Change POST (its number or URL): title, date, status, or who it was made for.

    Example: tracker post set 12 --requested-by "a friend" --permission-at 2026-11-01
    --permission-ref https://example.com/message/1
    """
    from tracker.posts.edit import PostChanges, update_post
    from tracker.support.dates import parse_when

    if permission_at is not None and not permission_at.strip():
        raise UsageError("--permission-at is empty: give the date the permission was given")
    changes = PostChanges(
        title=title,
        posted_at=parse_when(posted_at) if posted_at and posted_at.strip() else None,
        clear_posted_at=posted_at is not None and not posted_at.strip(),
        status=PostStatus(status) if status else None,
        requested_by=requested_by,
        permission_at=parse_when(permission_at) if permission_at else None,
        permission_ref=permission_ref,
        clear_request=clear_request,
    )
    changes.check()  # before the database is opened
    result = update_post(app.sessions(), post, changes, app.platforms())
    if as_json:
        click.echo(safe_json({"id": result.post_id, "changes": {k: list(v) for k, v in result.changes.items()}}))
        return
    if not result.changes:
        click.echo(f"Post #{result.post_id}: nothing changed (it already reads so).")
        return
    click.echo(f"Updated post #{result.post_id}:")
    for field, (old, new) in result.changes.items():
        click.echo(safe_text(f"  {field}: {old if old is not None else '-'} -> {new if new is not None else '-'}"))
