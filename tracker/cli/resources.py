"""`tracker resources` and `tracker resource set|lookup`: who made each model, on what licence; `tracker models
scan|list`: your local model files, hashed the way images name them."""

from __future__ import annotations

import os
import stat
import sys
import urllib.parse
from pathlib import Path

import click

from tracker.cli.context import AppContext, echo_error, echo_lines, echo_warning, pass_app
from tracker.cli.output import table
from tracker.errors import UsageError
from tracker.resources.licences import COMMERCIAL
from tracker.support.textsafe import safe_json, safe_text
from tracker.support.user_files import fs_text, not_regular
from tracker.support.words import counted, verb


def _short(value: str | None, width: int) -> str:
    text = safe_text(value or "-")
    return text if len(text) <= width else text[: width - 1] + "…"


@click.command("resources")
@click.option("--kind", help="Only this kind: checkpoint, lora, embedding, controlnet, vae, ...")
@click.option("--json", "as_json", is_flag=True, help="Print every resource with its posts as JSON.")
@pass_app
def resources_cmd(app: AppContext, kind: str | None, as_json: bool) -> None:
    """List every model, LoRA, embedding and ControlNet model the archive names, most used first."""
    from tracker.db.plain import reading
    from tracker.resources.listing import list_resources

    app.require_database()
    with reading(app.reader()) as db:  # SQL text: no SQLAlchemy on a SQLite file at this revision
        data = list_resources(db, kind)
    if as_json:
        click.echo(safe_json(data))
        return
    if not data:
        click.echo("No model is named by the archive yet." if not kind else f"No {safe_text(kind)} in the archive.")
        return
    rows = [["KIND", "NAME", "HASH", "POSTS", "CREATOR", "COMMERCIAL", "LOOK-UP"]]
    for r in data:
        rows.append(
            [
                _short(r["kind"], 12),
                _short(r["name"], 40),
                _short(r["hash"], 12),
                str(r["live_posts"]),
                _short(r["creator"], 20),
                r["commercial"],
                _short(r["lookup_status"], 14),
            ]
        )
    for line in table(rows):
        click.echo(line)
    unknown = sum(1 for r in data if r["licence_problem"] == "unknown")
    commercial = sum(1 for r in data if r["licence_problem"] == "commercial")
    if unknown or commercial:
        click.echo(
            f"{commercial} allow commercial use and {unknown} have no licence recorded: "
            "`tracker resource set NAME --commercial no ...` records one, "
            "`tracker resource lookup` asks CivitAI (network)."
        )


@click.group("resource")
def resource_group() -> None:
    """Record who made a model and on what licence (by hand, or from CivitAI)."""


@resource_group.command("set")
@click.argument("key", metavar="NAME_OR_HASH")
@click.option("--kind", help="When a name is shared by several kinds.")
@click.option("--creator", help="Who made it (a complainant is sent to them).")
@click.option("--url", help="Where it is published.")
@click.option("--licence", help="Its licence, in words or as a URL.")
@click.option("--commercial", type=click.Choice(COMMERCIAL), help="Whether the licence allows commercial use.")
@pass_app
def set_cmd(
    app: AppContext,
    key: str,
    kind: str | None,
    creator: str | None,
    url: str | None,
    licence: str | None,
    commercial: str | None,
) -> None:
    """Record what is known of the model, LoRA or embedding NAME_OR_HASH."""
    from tracker.db.models import Resource
    from tracker.resources.catalog import set_resource
    from tracker.resources.listing import resource_dict

    app.require_database()
    factory = app.sessions()
    rid = set_resource(factory, key, kind, creator, url, licence, commercial)
    with factory() as session:
        r = resource_dict(session.get_one(Resource, rid))
    click.echo(
        safe_text(
            f"{r['kind']} {r['name'] or '-'} [{r['hash'] or 'no hash'}]: creator {r['creator'] or '-'}, "
            f"licence {r['licence'] or '-'}, commercial use {r['commercial']}"
        )
    )


@resource_group.command("lookup")
@click.argument("keys", nargs=-1, metavar="[NAME_OR_HASH]...")
@click.option("--all", "everything", is_flag=True, help="Every resource with a hash.")
@click.option("--refresh", is_flag=True, help="Ask again about resources looked up in the last 30 days.")
@click.option(
    "--timeout", default=10.0, show_default=True, type=click.FloatRange(0.1, 120), help="Seconds per request."
)
@click.option("--json", "as_json", is_flag=True, help="Print the outcomes as JSON.")
@pass_app
def lookup_cmd(
    app: AppContext, keys: tuple[str, ...], everything: bool, refresh: bool, timeout: float, as_json: bool
) -> None:
    """Ask CivitAI who made these models and on what licence (network: one of two commands, with `check`).

    Only the model hashes are sent. Answers are stored with their date; hashes CivitAI does not
    know, and models it knows under another name, are reported.
    """
    from tracker.resources.civitai import API_ENV, DEFAULT_API, lookup

    if not keys and not everything:
        raise UsageError("name the models to look up, or give --all")
    if keys and everything:
        raise UsageError("give names or --all, not both")
    app.require_database()
    base = os.environ.get(API_ENV) or DEFAULT_API
    host = urllib.parse.urlsplit(base).netloc or base

    def announce(count: int) -> None:
        click.echo(
            safe_text(f"tracker: asking {host} about {count} model hash(es) over the network (nothing else is sent)"),
            err=True,
        )

    outcomes = lookup(app.sessions(), list(keys) or None, base, timeout, refresh, announce)
    if as_json:
        click.echo(safe_json([o.__dict__ for o in outcomes]))
        return
    for o in outcomes:
        label = f"{o.kind} {o.name or '-'} [{o.hash or 'no hash'}]"
        mark = {"found": "found", "name_mismatch": "NAME MISMATCH", "unknown_hash": "UNKNOWN HASH"}.get(
            o.status, o.status
        )
        click.echo(safe_text(f"{mark:<14} {label}: {o.message}"))
    odd = [o for o in outcomes if o.status in ("unknown_hash", "name_mismatch")]
    if odd:
        click.echo(f"{counted(len(odd), 'model')} {verb(len(odd), 'needs', 'need')} a look: see above.")


@click.group("models")
def models_group() -> None:
    """Your local model files, hashed the way images name them."""


def _check_folder(path: Path) -> None:
    """Refuse (`UsageError`) a FIFO, device or socket given where a folder of models is expected.

    Click's `file_okay=False` refuses only a regular file: a named pipe passed it and was scanned as an
    empty folder ("hashed 0"), as if the owner had no models there.
    """
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        raise UsageError(f"{fs_text(path)}: cannot read the folder ({exc.strerror or exc})") from None
    if not stat.S_ISDIR(mode):
        raise UsageError(f"{fs_text(path)}: {not_regular(mode)}, not a folder; give the folder the models are in")


@models_group.command("scan")
@click.argument("dirs", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True, file_okay=False))
@pass_app
def models_scan_cmd(app: AppContext, dirs: tuple[Path, ...]) -> None:
    """Hash the model files under DIRS (AutoV1, AutoV2, LoRA addnet, sha256); unchanged files are skipped."""
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn

    from tracker.resources.local_models import scan

    for folder in dirs:
        _check_folder(folder)
    factory = app.sessions()
    # a file name is shown as it is, never read as Rich markup ([reverse], [link=...])
    columns = (TextColumn("{task.description}", markup=False), BarColumn(), DownloadColumn(), TransferSpeedColumn())
    with Progress(*columns, transient=True, disable=not sys.stderr.isatty()) as progress:
        task = progress.add_task("hashing", total=None)

        def on_start(path: Path, size: int) -> None:
            progress.update(task, description=safe_text(path.name)[:40], total=size, completed=0)

        result = scan(factory, dirs, on_start, lambda n: progress.advance(task, n))
    click.echo(f"hashed {len(result.hashed)}, unchanged {len(result.unchanged)}, forgotten {len(result.forgotten)}")
    for skip in result.skipped:
        echo_warning(skip)
    for failure in result.failed:
        echo_error(failure)
    if result.failed:
        sys.exit(1)


@models_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@pass_app
def models_list_cmd(app: AppContext, as_json: bool) -> None:
    """List the scanned model files with their hashes."""
    from tracker.db.plain import reading
    from tracker.resources.listing import model_files

    app.require_database()
    with reading(app.reader()) as db:  # SQL text: no SQLAlchemy on a SQLite file at this revision
        data = model_files(db)
    if as_json:
        click.echo(safe_json(data))
        return
    rows = [["AUTOV2", "AUTOV1", "ADDNET", "PATH"]]
    rows += [[m["autov2"], m["autov1"] or "-", (m["addnet"] or "-")[:12], safe_text(m["path"])] for m in data]
    echo_lines(table(rows) if data else ["No model files scanned yet: run `tracker models scan DIR`."])
