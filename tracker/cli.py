"""The `tracker` command line: parse options, call the core, print.

Every `TrackerError` ends as one line on stderr and a non-zero exit code (see `TrackerGroup`);
output drawn from metadata goes through `textsafe` so it cannot drive the terminal.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
from sqlalchemy.orm import Session, sessionmaker

from tracker import __version__
from tracker.config import Settings, load_settings
from tracker.errors import TrackerError
from tracker.textsafe import safe_json, safe_text


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

    def platforms(self) -> Any:
        from tracker.platforms import load_platforms

        return load_platforms(self.settings.reference_file("platforms.toml"))

    def risks(self) -> Any:
        from tracker.risk import load_risk_table

        return load_risk_table(self.settings.reference_file("risk.toml"))


class TrackerGroup(click.Group):
    """A click group that turns tracker errors into one stderr line and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TrackerError as exc:
            click.echo(f"tracker: error: {safe_text(exc)}", err=True)
            ctx.exit(exc.exit_code)


pass_app = click.make_pass_decorator(AppContext)


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


# ---------------------------------------------------------------- output helpers


def _row(label: str, value: Any) -> None:
    click.echo(f"  {label:<10} {safe_text(value)}")


def _resource_text(item: dict[str, Any] | None) -> str:
    if not item:
        return "-"
    parts = [item["name"] or "(unnamed)"]
    if item["hash"]:
        parts.append(f"{item['hash_kind'] or 'hash'} {item['hash']}")
    return "  ".join(parts)


def _table(rows: list[list[str]], indent: int = 0) -> list[str]:
    if not rows:
        return []
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return [" " * indent + "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]


def _print_image(image: dict[str, Any], findings: list[dict[str, Any]]) -> None:
    gen = image["generator"] or "none found"
    if image["generator_version"]:
        gen += f" {image['generator_version']}"
    if image["metadata_source"]:
        gen += f"  [{image['metadata_source']}]"
    _row("generator", gen)
    _row("model", _resource_text(image["model"]))
    if image["vae"]:
        _row("VAE", _resource_text(image["vae"]))
    if image["loras"]:
        rows = [["name", "hash", "weight"]] + [
            [
                safe_text(l["name"] or "?"),
                safe_text(l["hash"] or "-"),
                "-" if l["weight"] is None else f"{l['weight']:g}",
            ]
            for l in image["loras"]
        ]
        lines = _table(rows)
        click.echo(f"  {'LoRAs':<10} {lines[0]}")
        for line in lines[1:]:
            click.echo(f"  {'':<10} {line}")
    else:
        _row("LoRAs", "none")
    if image["embeddings"]:
        _row("embeddings", ", ".join(_resource_text(e) for e in image["embeddings"]))
    if image["techniques"]:
        rows = []
        for t in image["techniques"]:
            label = t["kind"] + (f" {t['unit']}" if t["unit"] is not None else "")
            model = (t["model"] or "-") + (f" [{t['model_hash']}]" if t["model_hash"] else "")
            weight = "-" if t["weight"] is None else f"{t['weight']:g}"
            rows.append(
                [label, safe_text(t["module"] or "-"), safe_text(model), f"weight {weight}", f"risk: {t['risk_class']}"]
            )
        lines = _table(rows)
        click.echo(f"  {'inputs':<10} {lines[0]}")
        for line in lines[1:]:
            click.echo(f"  {'':<10} {line}")
    else:
        _row("inputs", "no image-input technique in the metadata")
    for finding in findings:
        mark = "!" if finding["severity"] == "problem" else "?"
        _row("rule", f"{mark} {finding['message']}")
    if image["credits"]:
        _row("credits", image["credits"])


def _findings_for(app: AppContext, image: Any) -> list[dict[str, Any]]:
    from tracker.metadata.findings import check_rules
    from tracker.metadata.info import info_from_dict

    info = info_from_dict(image.generation) if image.generation else None
    return [f.__dict__ for f in check_rules(info, app.risks())]


# ---------------------------------------------------------------- commands


@cli.command("log")
@click.argument("image", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--url", required=True, help="Where the image was posted.")
@click.option("--persona", envvar="TRACKER_PERSONA", help="Persona the post belongs to (needed for the first post).")
@click.option("--account", "account", metavar="HANDLE", help="Account handle, when the URL does not show it.")
@click.option("--platform", help="Platform name for URLs tracker does not recognise.")
@click.option("--title", help="Title of the post.")
@click.option("--posted-at", "posted_at", metavar="WHEN", help="When it was posted: YYYY-MM-DD, ISO 8601 or 'now'.")
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
    as_json: bool,
) -> None:
    """Record a post: read IMAGE's metadata, hash and archive it, and link it to URL."""
    from tracker.dates import parse_when
    from tracker.metadata.reader import read_image
    from tracker.posts import LogRequest, find_post, log_post
    from tracker.report import post_dict

    when = parse_when(posted_at) if posted_at else None
    platforms = app.platforms()
    risks = app.risks()
    reading = read_image(image)
    request = LogRequest(url=url, persona=persona, account=account, platform=platform, title=title, posted_at=when)
    factory = app.sessions()
    outcome = log_post(factory, app.settings, reading, request, platforms, risks)
    findings = [f.__dict__ for f in outcome.findings]
    with factory() as session:
        data = post_dict(find_post(session, str(outcome.post_id), platforms))
    data["findings"] = findings
    data["new_image"] = outcome.new_image
    if as_json:
        click.echo(safe_json(data))
        return
    account_text = data["account"]["handle"] or "handle unknown"
    click.echo(safe_text(f"Logged post #{data['id']}: {data['url']}"))
    _row("persona", f"{data['persona']}  ({data['platform']} account: {account_text})")
    img = data["image"]
    state = "new in archive" if outcome.new_image else f"already archived (image #{img['id']})"
    _row(
        "image",
        f"{img['original_name']}  {img['format']} {img['width']}x{img['height']}  sha256 {img['sha256'][:16]}  {state}",
    )
    for problem in reading.problems:
        _row("note", problem)
    _print_image(img, findings)


@cli.command("posts")
@click.option("--persona", help="Only this persona's posts.")
@click.option("--platform", help="Only posts on this platform.")
@click.option("--status", type=click.Choice(["live", "taken_down", "deleted"]), help="Only posts in this state.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of posts.")
@pass_app
def posts_cmd(app: AppContext, persona: str | None, platform: str | None, status: str | None, as_json: bool) -> None:
    """List logged posts, newest first."""
    from tracker.posts import list_posts
    from tracker.report import post_dict

    with app.sessions()() as session:
        data = [post_dict(p) for p in list_posts(session, persona, platform, status)]
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
    for line in _table(rows):
        click.echo(line)


@cli.command("show")
@click.argument("post")
@click.option("--json", "as_json", is_flag=True, help="Print the post, its metadata and its history as JSON.")
@pass_app
def show_cmd(app: AppContext, post: str, as_json: bool) -> None:
    """Show one post (by number or URL): image, metadata, rules and history."""
    from tracker.posts import find_post, post_events
    from tracker.report import post_dict

    platforms = app.platforms()
    with app.sessions()() as session:
        found = find_post(session, post, platforms)
        data = post_dict(found, full=True, events=post_events(session, found))
        data["findings"] = _findings_for(app, found.image)
    data["image"]["archive_file"] = str(app.settings.archive_dir / data["image"]["archive_path"])
    if as_json:
        click.echo(safe_json(data))
        return
    click.echo(safe_text(f"Post #{data['id']}: {data['url']}"))
    _row("status", f"{data['status']} since {data['status_changed_at'][:19]}")
    _row("persona", f"{data['persona']}  ({data['platform']} account: {data['account']['handle'] or 'handle unknown'})")
    if data["platform_post_id"]:
        _row("post id", data["platform_post_id"])
    if data["title"]:
        _row("title", data["title"])
    _row("posted", data["posted_at"] or "-")
    _row("logged", data["logged_at"][:19])
    img = data["image"]
    _row("image", f"{img['original_name']}  {img['format']} {img['width']}x{img['height']}  sha256 {img['sha256']}")
    _row("archived", img["archive_file"])
    _print_image(img, data["findings"])
    generation = img.get("generation") or {}
    if generation.get("prompt"):
        _row("prompt", generation["prompt"])
    if generation.get("negative_prompt"):
        _row("negative", generation["negative_prompt"])
    click.echo("  history")
    for event in data["events"]:
        changes = ", ".join(
            f"{k}: {v[0]!r} -> {v[1]!r}"
            for k, v in event["changes"].items()
            if k in ("status", "url", "title", "posted_at")
        )
        click.echo(
            safe_text(f"    {event['at'][:19]}  {event['action']:<7} {event['command'] or ''}  {changes}".rstrip())
        )


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


if __name__ == "__main__":
    main()
