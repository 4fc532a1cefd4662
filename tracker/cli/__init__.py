"""The `tracker` command line: parse options, call the core, print.

Every `TrackerError` ends as one line on stderr and a non-zero exit code (see `TrackerGroup`);
output drawn from metadata goes through `textsafe` so it cannot drive the terminal.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from tracker import __version__
from tracker.errors import TrackerError
from tracker.support.settings import Settings, load_settings
from tracker.support.textsafe import safe_json, safe_text

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from tracker.accountability.report import ReportContext
    from tracker.accountability.risk import RiskTable
    from tracker.posts.platforms import Platform


@dataclass
class AppContext:
    """What every command gets: settings, and the database opened on first use."""

    db: str | None
    data_dir: str | None
    _settings: Settings | None = None
    _factory: sessionmaker[Session] | None = field(default=None, repr=False)

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings(self.db, self.data_dir)
        return self._settings

    def sessions(self) -> sessionmaker[Session]:
        """The session factory, opening and upgrading the database the first time."""
        if self._factory is None:
            from tracker.db.session import open_database

            self._factory = open_database(self.settings)
        return self._factory

    def close(self) -> None:
        """Close the database's connections (the command is over)."""
        if self._factory is not None:
            bind = self._factory.kw.get("bind")
            if bind is not None:
                bind.dispose()
            self._factory = None

    def database_exists(self) -> bool:
        """False only for a SQLite file that was never created (so read-only commands don't make one)."""
        path = self.settings.sqlite_path
        return path is None or path.exists()

    def platforms(self) -> dict[str, Platform]:
        from tracker.posts.platforms import load_platforms

        return load_platforms(self.settings.reference_file("platforms.toml"))

    def risks(self) -> RiskTable:
        from tracker.accountability.risk import load_risk_table

        return load_risk_table(self.settings.reference_file("risk.toml"))

    def report_context(self, session: Session | None) -> ReportContext:
        """Risk table, the user's rule lists and (with a session) the local model registry."""
        from tracker.accountability.report import ReportContext
        from tracker.accountability.rules import RuleLists
        from tracker.resources.local_models import local_index

        return ReportContext(
            risks=self.risks(),
            lists=RuleLists.load(self.settings.data_dir),
            local_file=local_index(session) if session is not None else None,
        )


class TrackerGroup(click.Group):
    """A click group that turns tracker errors into one stderr line and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TrackerError as exc:
            click.echo(f"tracker: error: {safe_text(exc)}", err=True)
            ctx.exit(exc.exit_code)


pass_app = click.make_pass_decorator(AppContext)


def _echo_lines(lines: list[str]) -> None:
    for line in lines:
        click.echo(line)


@click.group(cls=TrackerGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", metavar="URL", envvar="TRACKER_DB", help="Database: an SQLAlchemy URL or a SQLite file path.")
@click.option(
    "--data-dir", metavar="DIR", envvar="TRACKER_DATA_DIR", help="Folder for the default database and archive."
)
@click.version_option(__version__, prog_name="tracker")
@click.pass_context
def cli(ctx: click.Context, db: str | None, data_dir: str | None) -> None:
    """A private archive of the AI images you post: metadata, complaints, deletions."""
    ctx.obj = AppContext(db=db, data_dir=data_dir)
    ctx.call_on_close(ctx.obj.close)


@cli.command("inspect")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of reports.")
@click.option("--prompt/--no-prompt", default=True, help="Show the prompts in the text report.")
@pass_app
def inspect_cmd(app: AppContext, files: tuple[Path, ...], as_json: bool, prompt: bool) -> None:
    """Read FILES' generation metadata and print the accountability report (changes nothing)."""
    from tracker.accountability.report import build_report
    from tracker.metadata.reader import read_image

    session = app.sessions()() if app.database_exists() else None
    try:
        ctx = app.report_context(session)
        results: list[dict[str, Any]] = []
        failed = 0
        for path in files:
            try:
                reading = read_image(path)
            except TrackerError as exc:
                failed += 1
                click.echo(f"tracker: error: {safe_text(exc)}", err=True)
                results.append({"file": str(path), "error": str(exc)})
                continue
            signature = reading.stealth.signature if reading.stealth else None
            report = build_report(reading.info, ctx, reading.problems, signature)
            head = {
                "file": str(path),
                "sha256": reading.sha256,
                "format": reading.format,
                "image_width": reading.width,
                "image_height": reading.height,
            }
            results.append({**head, **report})
            if not as_json:
                click.echo(safe_text(f"{path}  ({reading.format} {reading.width}x{reading.height})"))
                _echo_lines(_report_lines(report, prompt))
    finally:
        if session is not None:
            session.close()
    if as_json:
        click.echo(safe_json(results))
    if failed:
        sys.exit(1)


def _report_lines(report: dict[str, Any], with_prompt: bool = False) -> list[str]:
    from tracker.cli.output import report_lines

    if "generation_width" in report:  # a stored image: its width/height are the file's
        report = {**report, "width": report["generation_width"], "height": report["generation_height"]}
    return report_lines(report, with_prompt)


@cli.command("log")
@click.argument("image", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--url", required=True, help="Where the image was posted.")
@click.option("--persona", envvar="TRACKER_PERSONA", help="Persona the post belongs to (needed for the first post).")
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
    account: str | None,
    platform: str | None,
    title: str | None,
    posted_at: str | None,
    requested_by: str | None,
    permission_at: str | None,
    permission_ref: str | None,
    as_json: bool,
) -> None:
    """Record a post: read IMAGE's metadata, hash and archive it, and link it to URL."""
    from tracker.db.models import Image
    from tracker.metadata.reader import read_image
    from tracker.posts.inputs import missing_inputs
    from tracker.posts.log import LogRequest, find_post, log_post
    from tracker.posts.views import post_dict
    from tracker.support.dates import parse_when

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
    )
    request.check_request()  # before reading the file: a refused post costs nothing
    platforms = app.platforms()
    reading = read_image(image)
    factory = app.sessions()
    with factory() as session:
        ctx = app.report_context(session)
    outcome = log_post(factory, app.settings, reading, request, platforms, ctx)
    with factory() as session:
        data = post_dict(find_post(session, str(outcome.post_id), platforms), ctx)
    data["new_image"] = outcome.new_image
    with factory() as session:
        data["missing_inputs"] = missing_inputs(session, session.get_one(Image, outcome.image_id))
    if as_json:
        click.echo(safe_json(data))
        return
    from tracker.cli.output import row

    img = data["image"]
    state = "new in archive" if outcome.new_image else f"already archived (image #{img['id']})"
    click.echo(safe_text(f"Logged post #{data['id']}: {data['url']}"))
    click.echo(
        row(
            "persona",
            f"{data['persona']}  ({data['platform']} account: {data['account']['handle'] or 'handle unknown'})",
        )
    )
    size = f"{img['format']} {img['width']}x{img['height']}"
    click.echo(row("image", f"{img['original_name']}  {size}  sha256 {img['sha256'][:16]}  {state}"))
    _echo_lines(_report_lines(img))
    if data["missing_inputs"]:
        click.echo(
            safe_text(
                f"tracker: warning: {data['missing_inputs']} image-input technique(s) have no input recorded: "
                f"`tracker inputs {data['id']}` lists them, "
                f"`tracker input add {data['id']} FILE --kind ...` records one"
            ),
            err=True,
        )


@cli.command("posts")
@click.option("--persona", help="Only this persona's posts.")
@click.option("--platform", help="Only posts on this platform.")
@click.option("--status", type=click.Choice(["live", "taken_down", "deleted"]), help="Only posts in this state.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of posts.")
@pass_app
def posts_cmd(app: AppContext, persona: str | None, platform: str | None, status: str | None, as_json: bool) -> None:
    """List logged posts, newest first."""
    from tracker.cli.output import table
    from tracker.posts.log import list_posts
    from tracker.posts.views import post_dict

    with app.sessions()() as session:
        ctx = app.report_context(session)
        data = [post_dict(p, ctx) for p in list_posts(session, persona, platform, status)]
    if as_json:
        click.echo(safe_json(data))
        return
    if not data:
        click.echo("No posts logged yet." if not (persona or platform or status) else "No posts match.")
        return
    rows = [["ID", "STATUS", "PLATFORM", "PERSONA", "POSTED", "GENERATOR", "MODEL", "URL"]]
    for p in data:
        rows.append(
            [
                str(p["id"]),
                p["status"],
                safe_text(p["platform"]),
                safe_text(p["persona"]),
                (p["posted_at"] or "-")[:10],
                safe_text(p["image"]["generator"] or "none"),
                safe_text((p["image"]["model"] or {}).get("name") or "-"),
                safe_text(p["url"]),
            ]
        )
    _echo_lines(table(rows))


@cli.command("show")
@click.argument("post")
@click.option("--json", "as_json", is_flag=True, help="Print the post, its metadata and its history as JSON.")
@pass_app
def show_cmd(app: AppContext, post: str, as_json: bool) -> None:
    """Show one post (by number or URL): image, metadata, rules and history."""
    from tracker.accountability.provenance import image_provenance
    from tracker.cli.output import row
    from tracker.posts.log import find_post, post_events
    from tracker.posts.views import post_dict

    platforms = app.platforms()
    with app.sessions()() as session:
        found = find_post(session, post, platforms)
        data = post_dict(found, app.report_context(session), full=True, events=post_events(session, found))
        data["provenance"] = image_provenance(session, found.image, app.settings)
    data["image"]["archive_file"] = str(app.settings.archive_dir / data["image"]["archive_path"])
    if as_json:
        click.echo(safe_json(data))
        return
    click.echo(safe_text(f"Post #{data['id']}: {data['url']}"))
    click.echo(row("status", f"{data['status']} since {data['status_changed_at'][:19]}"))
    click.echo(
        row(
            "persona",
            f"{data['persona']}  ({data['platform']} account: {data['account']['handle'] or 'handle unknown'})",
        )
    )
    if data["platform_post_id"]:
        click.echo(row("post id", data["platform_post_id"]))
    if data["title"]:
        click.echo(row("title", data["title"]))
    click.echo(row("posted", data["posted_at"] or "-"))
    click.echo(row("logged", data["logged_at"][:19]))
    if data["request"]:
        req = data["request"]
        given = (req["permission_at"] or "")[:10] or "NOT RECORDED"
        where = f"  ({req['permission_ref']})" if req["permission_ref"] else ""
        click.echo(row("made for", f"{req['requested_by']}, permission given {given}{where}"))
    img = data["image"]
    click.echo(
        row("image", f"{img['original_name']}  {img['format']} {img['width']}x{img['height']}  sha256 {img['sha256']}")
    )
    click.echo(row("archived", img["archive_file"]))
    _echo_lines(_report_lines(img, with_prompt=True))
    _echo_lines(_provenance_lines(data["provenance"]))
    click.echo("  history")
    for event in data["events"]:
        shown = ("status", "url", "title", "posted_at", "requested_by", "permission_at", "permission_ref")
        changes = ", ".join(
            f"{k}: {v[0]!r} -> {v[1]!r}" for k, v in event["changes"].items() if k in shown and v[0] != v[1]
        )
        click.echo(
            safe_text(f"    {event['at'][:19]}  {event['action']:<7} {event['command'] or ''}  {changes}".rstrip())
        )


def _provenance_lines(provenance: dict[str, Any]) -> list[str]:
    from tracker.cli.output import row
    from tracker.db.models import InputKind
    from tracker.posts.inputs import KIND_LABELS

    lines = []
    for t in provenance["inputs"]:
        uses = t["inputs"]
        what = "; ".join(
            f"{u['file']} ({KIND_LABELS[InputKind(u['kind'])]}{', ' + u['licence'] if u['licence'] else ''})"
            for u in uses
        )
        lines.append(row(f"input {t['technique']}", f"{t['kind']}: {what or 'NOT RECORDED (tracker input add)'}"))
    for f in provenance["licence_findings"]:
        lines.append(row(f["severity"], f["message"]))
    return lines


@cli.command("import")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--persona", envvar="TRACKER_PERSONA", required=True, help="Persona the images belong to.")
@click.option(
    "--url-template",
    metavar="TEMPLATE",
    help="Post URL for images without a gallery-dl sidecar, e.g. 'https://www.pixiv.net/artworks/{id}' "
    "({stem}, {name}, {id}: first digits of the name, {num}: page number).",
)
@click.option(
    "--workers", type=click.IntRange(1, 64), help="Processes that decode and hash (default: one per core, at most 2)."
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@pass_app
def import_cmd(
    app: AppContext,
    inputs: tuple[Path, ...],
    persona: str,
    url_template: str | None,
    workers: int | None,
    as_json: bool,
) -> None:
    """Log many images at once: folders (searched recursively) or files.

    Each image's post comes from the gallery-dl --write-metadata sidecar beside it (pixiv, X,
    Bluesky), else from --url-template, else the image is archived for the persona without a post.
    Importing again skips what is already there; a killed import finishes when run again.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from tracker.posts.importing import Importer
    from tracker.posts.sidecars import check_url_template

    if url_template is not None:
        check_url_template(url_template)
    factory = app.sessions()
    with factory() as session:
        ctx = app.report_context(session)
    importer = Importer(factory, app.settings, persona, app.platforms(), ctx, url_template, workers)
    columns = (TextColumn("importing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, transient=True, disable=not sys.stderr.isatty()) as progress:
        task = progress.add_task("import", total=None)
        summary = importer.run(list(inputs), lambda done, total: progress.update(task, completed=done, total=total))
    data = {
        "files": summary.files,
        "new_images": summary.new_images,
        "new_posts": summary.new_posts,
        "already_done": summary.already_done,
        "archived_without_post": summary.without_post,
        "images_without_recorded_inputs": summary.missing_inputs,
        "failed": summary.failed,
        "warnings": summary.warnings,
    }
    if as_json:
        click.echo(safe_json(data))
    else:
        for warning in summary.warnings:
            click.echo(f"tracker: warning: {safe_text(warning)}", err=True)
        click.echo(
            f"{summary.files} file(s): {summary.new_images} new image(s), {summary.new_posts} new post(s), "
            f"{summary.without_post} archived without a post, {summary.already_done} already done, "
            f"{len(summary.failed)} failed"
        )
        if summary.missing_inputs:
            click.echo(
                f"tracker: warning: {summary.missing_inputs} new image(s) were made with image inputs (img2img, "
                "ControlNet, ...) that are not recorded: `tracker inputs POST` lists them, "
                "`tracker input add` records one",
                err=True,
            )
    for failure in summary.failed:
        click.echo(f"tracker: error: {safe_text(failure)}", err=True)
    if summary.failed:
        sys.exit(1)


@cli.command("match")
@click.argument("image", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--top", default=20, show_default=True, type=click.IntRange(1, 10000), help="At most this many images.")
@click.option(
    "--min-score",
    default=0.5,
    show_default=True,
    type=click.FloatRange(0.0, 1.0),
    help="Lowest score listed; 0.5 is each kind's calibrated threshold.",
)
@click.option("--no-regions", is_flag=True, help="Whole-image and flipped matches only (faster).")
@click.option("--rebuild-index", is_flag=True, help="Rebuild the saved similarity index from the database first.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of candidates.")
@pass_app
def match_cmd(
    app: AppContext, image: Path, top: int, min_score: float, no_regions: bool, rebuild_index: bool, as_json: bool
) -> None:
    """Find the logged posts IMAGE shows: the same picture (resized, re-encoded, flipped) or a part of one."""
    from tracker.matching.index import open_index
    from tracker.matching.search import describe_box, match_reading
    from tracker.metadata.reader import read_image

    reading = read_image(image)
    if not app.database_exists():
        results = []
    else:
        factory = app.sessions()
        if rebuild_index:
            open_index(factory, app.settings, rebuild=True)
        results = match_reading(factory, app.settings, reading, top=top, min_score=min_score, regions=not no_regions)
    if as_json:
        click.echo(safe_json([r.to_dict() for r in results]))
        return
    if not results:
        click.echo(f"No logged image matches {safe_text(image.name)} (score >= {min_score:g}).")
        return
    click.echo(safe_text(f"{len(results)} candidate image(s) for {image.name}, best first:"))
    for rank, result in enumerate(results, 1):
        c = result.candidate
        kind = "identical file" if result.identical else c.kind
        persona = f"  persona {result.persona}" if result.persona else ""
        click.echo(
            safe_text(
                f"{rank:>3}. score {c.score:.2f}  {kind:<8} image #{result.image_id} {result.original_name}{persona}"
            )
        )
        if c.matched:
            click.echo(safe_text(f"       matched: {', '.join(c.matched)}"))
        if c.region is not None and c.kind == "region":
            click.echo(
                safe_text(
                    f"       post's {describe_box(c.region.image_box)} matches "
                    f"the image's {describe_box(c.region.query_box)}"
                )
            )
        for post in result.posts:
            click.echo(safe_text(f"       post #{post.id} [{post.status}] {post.platform}  {post.url}"))
        for use in result.input_of:
            posts = ", ".join(f"#{n}" for n in use.post_ids) or "none yet"
            click.echo(safe_text(f"       used as {use.technique} input of image #{use.image_id} (posts {posts})"))
        if not result.posts and not result.input_of:
            click.echo("       (archived, not posted)")


@cli.group("models")
def models_group() -> None:
    """Your local model files, hashed the way images name them."""


@models_group.command("scan")
@click.argument("dirs", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True, file_okay=False))
@pass_app
def models_scan_cmd(app: AppContext, dirs: tuple[Path, ...]) -> None:
    """Hash the model files under DIRS (AutoV1, AutoV2, LoRA addnet, sha256); unchanged files are skipped."""
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn

    from tracker.resources.local_models import scan

    factory = app.sessions()
    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn())
    with Progress(*columns, transient=True, disable=not sys.stderr.isatty()) as progress:
        task = progress.add_task("hashing", total=None)

        def on_start(path: Path, size: int) -> None:
            progress.update(task, description=safe_text(path.name)[:40], total=size, completed=0)

        result = scan(factory, dirs, on_start, lambda n: progress.advance(task, n))
    click.echo(f"hashed {len(result.hashed)}, unchanged {len(result.unchanged)}, forgotten {len(result.forgotten)}")
    for failure in result.failed:
        click.echo(f"tracker: error: {safe_text(failure)}", err=True)
    if result.failed:
        sys.exit(1)


@models_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@pass_app
def models_list_cmd(app: AppContext, as_json: bool) -> None:
    """List the scanned model files with their hashes."""
    from tracker.cli.output import table
    from tracker.resources.local_models import list_files

    with app.sessions()() as session:
        data: list[dict[str, Any]] = [
            {
                "path": m.path,
                "size_bytes": m.size_bytes,
                "sha256": m.sha256,
                "autov1": m.autov1,
                "autov2": m.autov2,
                "addnet": m.addnet,
            }
            for m in list_files(session)
        ]
    if as_json:
        click.echo(safe_json(data))
        return
    rows = [["AUTOV2", "AUTOV1", "ADDNET", "PATH"]]
    rows += [[m["autov2"], m["autov1"] or "-", (m["addnet"] or "-")[:12], safe_text(m["path"])] for m in data]
    _echo_lines(table(rows) if data else ["No model files scanned yet: run `tracker models scan DIR`."])


from tracker.cli.backup import backup_cmd, restore_cmd  # noqa: E402
from tracker.cli.complaints import complaint_group, status_cmd  # noqa: E402
from tracker.cli.inputs import input_group, inputs_cmd  # noqa: E402
from tracker.cli.post import post_group  # noqa: E402
from tracker.cli.purge import purge_group  # noqa: E402
from tracker.cli.resources import resource_group, resources_cmd  # noqa: E402
from tracker.cli.tui import demo_cmd, tui_cmd  # noqa: E402

cli.add_command(complaint_group)
cli.add_command(status_cmd)
cli.add_command(tui_cmd)
cli.add_command(demo_cmd)
cli.add_command(backup_cmd)
cli.add_command(restore_cmd)
cli.add_command(purge_group)
cli.add_command(input_group)
cli.add_command(inputs_cmd)
cli.add_command(resources_cmd)
cli.add_command(resource_group)
cli.add_command(post_group)


def main() -> None:
    """Console entry point: no traceback ever reaches the user."""
    try:
        code = cli.main(prog_name="tracker", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("tracker: aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except TrackerError as exc:
        click.echo(f"tracker: error: {safe_text(exc)}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("tracker: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:  # the last line of defence: one line, never a traceback
        if os.environ.get("TRACKER_DEBUG"):
            raise
        click.echo(f"tracker: internal error: {type(exc).__name__}: {safe_text(exc)}", err=True)
        sys.exit(70)
    sys.exit(code if isinstance(code, int) else 0)
