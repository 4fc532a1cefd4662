"""`tracker log`, `show` and `post set`: logging a post, showing and correcting one (`posts` is in `listing`)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from tracker.cli.context import AppContext, echo_lines, pass_app, terminal_width
from tracker.cli.output import VALUE_COLUMN, folded_row, hanging, report_text
from tracker.db.enums import InputKind, PostStatus
from tracker.errors import Interrupted, UsageError
from tracker.posts.history_words import field_change
from tracker.posts.sizes import size_text
from tracker.support.dates import from_iso, local_minute, parse_when, utcnow
from tracker.support.textsafe import safe_json, safe_text
from tracker.support.userinput import check_decodable
from tracker.support.words import counted, verb

if TYPE_CHECKING:
    from collections.abc import Mapping

    from sqlalchemy.orm import Session, sessionmaker

    from tracker.accountability.report import ReportContext
    from tracker.platforms.model import Platform
    from tracker.posts.corrections import NewImage
    from tracker.posts.log import LogOutcome


@click.command("log")
@click.argument("image", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--url", required=True, help="Where the image was posted.")
@click.option(
    "--persona",
    envvar="TRACKER_PERSONA",
    show_envvar=True,
    help="Persona the post belongs to (needed for the first post).",
)
@click.option("--new-persona", is_flag=True, help="The persona is new, even if its name is close to an existing one.")
@click.option("--account", "account", metavar="HANDLE", help="Account handle, when the URL does not show it.")
@click.option("--platform", help="Platform name for URLs tracker does not recognise.")
@click.option("--title", help="Title of the post.")
@click.option("--posted-at", "posted_at", metavar="WHEN", help="When it was posted: YYYY-MM-DD, ISO 8601 or 'now'.")
@click.option("--requested-by", metavar="WHO", help="Made for someone else: who asked for it.")
@click.option("--permission-at", metavar="WHEN", help="With --requested-by: when they gave permission (required).")
@click.option("--permission-ref", metavar="LINK", help="With --requested-by: where the permission is (a message link).")
@click.option("--json", "as_json", is_flag=True, help="Print the logged post as JSON.")
@pass_app
def log_cmd(
    app: AppContext,
    image: Path,
    url: str,
    persona: str | None,
    new_persona: bool,
    account: str | None,
    platform: str | None,
    title: str | None,
    posted_at: str | None,
    requested_by: str | None,
    permission_at: str | None,
    permission_ref: str | None,
    as_json: bool,
) -> None:
    """Record a post: read IMAGE's metadata, hash and archive it, and link it to URL.

    \b
    Examples:
      tracker log moth-042.png --url https://www.pixiv.net/artworks/123456789 \\
          --persona moth --title "Harbour at night"
      tracker log 043.png --url https://x.com/moth_art/status/1865000000000000001
    """
    # Reading and hashing an image loads Pillow and numpy, and logging it the ORM: imported here, so that
    # `tracker log --help` (and every other command of this module) loads none of them.
    from tracker.metadata.reader import read_image
    from tracker.posts.log import LogRequest, kept_post, log_post

    check_decodable(
        {
            "url": url,
            "persona": persona,
            "account": account,
            "platform": platform,
            "title": title,
            "requested_by": requested_by,
            "permission_ref": permission_ref,
        }
    )
    when = parse_when(posted_at) if posted_at else None
    request = LogRequest(
        url=url,
        persona=persona,
        account=account,
        platform=platform,
        title=title,
        posted_at=when,
        requested_by=requested_by,
        permission_at=parse_when(permission_at) if permission_at else None,
        permission_ref=permission_ref,
        new_persona=new_persona,
    )
    request.check_request()  # before reading the file: a refused post costs nothing
    platforms = app.platforms()
    reading = read_image(image)
    factory = app.sessions()
    with factory() as session:
        ctx = app.report_context(session)
    outcome = log_post(factory, app.settings, reading, request, platforms, ctx)
    try:
        _after_log(app, factory, outcome, platforms, ctx, as_json)
    except KeyboardInterrupt:  # the post is committed: say so, or the owner logs it again (and is refused)
        raise Interrupted(f"interrupted after {kept_post(outcome.post_id)}") from None


def _after_log(
    app: AppContext,
    factory: sessionmaker[Session],
    outcome: LogOutcome,
    platforms: Mapping[str, Platform],
    ctx: ReportContext,
    as_json: bool,
) -> None:
    """What `tracker log` prints once the post is saved (and the saved index brought up to date)."""
    from tracker.db.models import Image
    from tracker.matching.stored import refresh_saved_index
    from tracker.posts.inputs import missing_inputs
    from tracker.posts.lookup import find_post
    from tracker.posts.views import post_dict

    refresh_saved_index(factory, app.settings)  # the next `tracker match` finds the new image at once
    with factory() as session:
        data = post_dict(find_post(session, str(outcome.post_id), platforms), ctx)
    data["new_image"] = outcome.new_image
    data["persona_from_image"] = outcome.persona_from_image
    others = outcome.other_personas
    data["other_personas"] = others.names if others else []
    data["warnings"] = [others.warning(data["persona"])] if others else []
    with factory() as session:
        data["missing_inputs"] = missing_inputs(session, session.get_one(Image, outcome.image_id))
    for warning in data["warnings"]:  # on stderr with --json too: the owner keeps personas apart
        click.echo(safe_text(f"tracker: warning: {warning}"), err=True)
    if as_json:
        click.echo(safe_json(data))
        return

    img = data["image"]
    state = "new in archive" if outcome.new_image else f"already archived (image #{img['id']})"
    width = terminal_width()
    echo_lines(hanging("", safe_text(f"Logged post #{data['id']}: {data['url']}"), width, 2))
    chosen = f"; no --persona given: the image is archived as {data['persona']}'s" if outcome.persona_from_image else ""
    echo_lines(folded_row("persona", _persona_text(data) + chosen, width))
    size = size_text(img)
    echo_lines(folded_row("image", f"{img['original_name']}  {size}  sha256 {img['sha256'][:16]}  {state}", width))
    echo_lines(report_text(img, width=width))
    if data["missing_inputs"]:
        click.echo(
            safe_text(
                f"tracker: warning: {counted(data['missing_inputs'], 'image-input technique')} "
                f"{verb(data['missing_inputs'], 'has', 'have')} no input recorded: "
                f"`tracker inputs {data['id']}` lists them, "
                f"`tracker input add {data['id']} FILE --kind ...` records one"
            ),
            err=True,
        )


@click.command("show")
@click.argument("post")
@click.option("--json", "as_json", is_flag=True, help="Print the post, its metadata and its history as JSON.")
@pass_app
def show_cmd(app: AppContext, post: str, as_json: bool) -> None:
    """Show one post (by number or URL): image, metadata, rules and history."""
    from tracker.complaints.about_post import history_complaints, post_complaints
    from tracker.db.plain import reading
    from tracker.db.post_checks import check_dict, last_check
    from tracker.posts.by_key import post_number
    from tracker.posts.inputs import numbered_techniques, technique_dicts
    from tracker.posts.record import read_post
    from tracker.posts.views import page_dict, provenance_dict, shown_post_dict

    # SQL text, as `tracker posts` reads: no SQLAlchemy on a SQLite file at this revision (`AppContext.reader`).
    app.require_database()
    platforms = app.platforms()
    now = utcnow()
    database = app.reader()
    ctx = app.plain_report_context(database)
    with reading(database) as db:
        found = read_post(db, post_number(db, post, platforms))
        data = shown_post_dict(found.post, found.image, ctx, full=True, events=found.events)
        inputs = technique_dicts(numbered_techniques(found.techniques, found.inputs), app.settings)
        data["provenance"] = provenance_dict(inputs, found.resources, found.image.generator, app.settings)
        checked = last_check(db, found.post.id)
        data["last_check"] = check_dict(checked) if checked is not None else None
        data["complaints"] = post_complaints(db, found.post.id, now)
        by_complaint = history_complaints(db, found.post.id, found.events)
    for event in data["events"]:
        event["complaint"] = by_complaint.get(event["id"])
    data["image"]["archive_file"] = str(app.settings.archive_dir / data["image"]["archive_path"])
    data["pages"] = [page_dict(page, app.settings.archive_dir) for page in found.pages]
    if as_json:
        click.echo(safe_json(data))
        return
    echo_lines(_post_lines(data, terminal_width()))


HISTORY_INDENT = 8
"""Where a history line too wide for the terminal continues (where `post_history` puts further changes)."""


def _post_lines(data: dict[str, Any], width: int | None) -> list[str]:
    """`tracker show`'s text: every value folded to `width` terminal columns under its column (None: one
    line each, into a pipe or a file)."""
    from tracker.checking.results import check_line
    from tracker.cli.post_history import complaint_lines, history_lines  # deadline words: not for `log`

    lines = hanging("", safe_text(f"Post #{data['id']}: {data['url']}"), width, 2)
    lines += folded_row("status", f"{data['status']} since {local_minute(from_iso(data['status_changed_at']))}", width)
    if data["last_check"]:
        lines += folded_row("checked", check_line(data["last_check"]), width)
    lines += folded_row("persona", _persona_text(data), width)
    if data["platform_post_id"]:
        lines += folded_row("post id", data["platform_post_id"], width)
    if data["title"]:
        lines += folded_row("title", data["title"], width)
    lines += folded_row("posted", local_minute(from_iso(data["posted_at"])), width)
    lines += folded_row("logged", local_minute(from_iso(data["logged_at"])), width)
    if data["request"]:
        req = data["request"]
        given = (req["permission_at"] or "")[:10] or "NOT RECORDED"
        where = f"  ({req['permission_ref']})" if req["permission_ref"] else ""
        lines += folded_row("made for", f"{req['requested_by']}, permission given {given}{where}", width)
    img = data["image"]
    size = size_text(img)
    lines += folded_row("image", f"{img['original_name']}  {size}  sha256 {img['sha256']}", width)
    lines += folded_row("archived", _archived_text(img["archive_file"]), width)
    for page in data["pages"]:  # pixiv's `_p1`: the post's as much as its image, deleted by a scrub with it
        label = "page" if page["page"] is None else f"page {page['page']}"
        lines += folded_row(label, f"{page['file']}  sha256 {page['sha256']}", width)
        lines += folded_row("archived", _archived_text(page["archived"]), width)
    lines += report_text(img, with_prompt=True, width=width)
    lines += _provenance_lines(data["provenance"], width)
    for line in complaint_lines(data["complaints"]):
        lines += hanging("", line, width, VALUE_COLUMN)
    lines.append("  history")
    for line in history_lines(data["events"]):
        lines += hanging("", line, width, HISTORY_INDENT)
    return lines


def _archived_text(archived: str) -> str:
    """An archived file's path, said MISSING when deleted or lost: here, not first by a failing backup."""
    if archived and not Path(archived).is_file():
        return f"{archived}  MISSING: log or import the original again to put it back"
    return archived


def _persona_text(data: dict[str, Any]) -> str:
    """`moth  (pixiv account: moth_makes)`."""
    return f"{data['persona']}  ({data['platform']} account: {data['account']['handle'] or 'handle unknown'})"


def _provenance_lines(provenance: dict[str, Any], width: int | None) -> list[str]:
    from tracker.posts.inputs import KIND_LABELS

    lines = []
    for t in provenance["inputs"]:
        uses = t["inputs"]
        what = "; ".join(
            f"{u['file']} ({KIND_LABELS[InputKind(u['kind'])]}{', ' + u['licence'] if u['licence'] else ''})"
            for u in uses
        )
        named = t.get("named_in_metadata") or []
        missing = "NOT RECORDED (tracker input add)" + (f"; the metadata names {', '.join(named)}" if named else "")
        recorded = f"{t['kind']}: {what or missing}"
        lines += folded_row(f"input {t['technique']}", recorded, width)
    for f in provenance["licence_findings"]:
        lines += folded_row(f["severity"], f["message"], width)
    return lines


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
@click.option("--persona", metavar="NAME", help="Record the post as this persona's (its account moves with it).")
@click.option("--new-persona", is_flag=True, help="With --persona: the persona is new, make it (as log does).")
@click.option(
    "--url", metavar="URL", help="Its corrected URL (read as `tracker log` reads one; the account follows it)."
)
@click.option("--platform", metavar="NAME", help="Its corrected platform name (for a site tracker does not recognise).")
@click.option("--account", metavar="HANDLE", help="The account it is on, when the URL does not show it.")
@click.option(
    "--image", type=click.Path(path_type=Path, dir_okay=False), help="The file it shows (archived as log does)."
)
@click.option("--json", "as_json", is_flag=True, help="Print the changed fields as JSON.")
@pass_app
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
    persona: str | None,
    new_persona: bool,
    url: str | None,
    platform: str | None,
    account: str | None,
    image: Path | None,
    as_json: bool,
) -> None:
    """Change POST (its number or URL): title, date, status, who it was made for, its persona, or correct
    its URL, platform, account or image (the old image goes when nothing else uses it).

    \b
    Examples:
      tracker post set 12 --requested-by "a friend" --permission-at 2026-11-01 \\
          --permission-ref https://example.com/message/1
      tracker post set 25 --url https://www.pixiv.net/artworks/120000025
      tracker post set 21 --image img21.png
      tracker post set 7 --persona kite --new-persona
    """
    from tracker.posts.corrections import NewPlace
    from tracker.posts.edit import PostChanges, update_post

    check_decodable(
        {
            "title": title,
            "requested_by": requested_by,
            "permission_ref": permission_ref,
            "persona": persona,
            "url": url,
            "platform": platform,
            "account": account,
        }
    )
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
        persona=persona,
        new_persona=new_persona,
        place=NewPlace(url=url, platform=platform, account=account),
    )
    changes.check(image_coming=image is not None)  # before the database is opened, and before a file is read
    app.require_database()
    factory = app.sessions()
    if image is not None:
        changes = replace(changes, image=_new_image(app, factory, image))
    result = update_post(factory, post, changes, app.platforms())
    if image is not None:
        from tracker.matching.stored import refresh_saved_index

        refresh_saved_index(factory, app.settings)  # the next `tracker match` finds the new image at once
    for warning in result.warnings:
        click.echo(safe_text(f"tracker: warning: {warning}"), err=True)
    if as_json:
        changed = {k: list(v) for k, v in result.changes.items()}
        click.echo(safe_json({"id": result.post_id, "changes": changed, "notes": result.notes}))
        return
    if not result.changes:
        click.echo(f"Post #{result.post_id}: nothing changed (it already reads so).")
        return
    click.echo(f"Updated post #{result.post_id}:")
    for field, (old, new) in result.changes.items():
        # In the history's words (`tracker show`): an image by its sha256's first digits, a time local, to the minute.
        click.echo(safe_text(f"  {field_change('image_sha256' if field == 'image' else field, old, new)}"))
    for note in result.notes:
        click.echo(safe_text(f"  {note}"))


def _new_image(app: AppContext, factory: sessionmaker[Session], path: Path) -> NewImage:
    """`--image`: the file read and hashed as `log` reads it, with where and how it is archived."""
    from tracker.metadata.reader import read_image
    from tracker.posts.corrections import NewImage

    reading = read_image(path)
    with factory() as session:
        ctx = app.report_context(session)
    return NewImage(reading, app.settings, ctx)


@post_group.command("remove")
@click.argument("post")
@click.option(
    "--yes", is_flag=True, help="Remove it (without --yes it only says what would go, and nothing is changed)."
)
@click.option("--json", "as_json", is_flag=True, help="Print what was removed as JSON.")
@pass_app
def remove_cmd(app: AppContext, post: str, yes: bool, as_json: bool) -> None:
    """Forget POST (its number or URL), logged by mistake, with its image and account when nothing else
    uses them. A post a complaint names or a decision covers stays: correct it with `post set` instead.

    Example: tracker post remove 25 --yes
    """
    from tracker.matching.stored import refresh_saved_index
    from tracker.posts.removal import remove_post

    app.require_database()
    factory = app.sessions()
    removal = remove_post(factory, app.settings.archive_dir, post, app.platforms(), confirmed=yes)
    if removal.removed:
        refresh_saved_index(factory, app.settings)  # a removed image is no longer matched
    if as_json:
        data = {"id": removal.post_id, "url": removal.url, "image_sha256": removal.image_sha256}
        click.echo(safe_json({**data, "removed": removal.removed, "notes": removal.notes}))
        return
    if removal.removed:
        click.echo(safe_text(f"Removed post #{removal.post_id}: {removal.url}"))
    else:
        click.echo(safe_text(f"Would remove post #{removal.post_id}: {removal.url} (nothing changed: add --yes)"))
    for note in removal.notes:
        click.echo(safe_text(f"  {note}"))
