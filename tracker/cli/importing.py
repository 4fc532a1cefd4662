"""`tracker import DIR|FILE...`: log many images at once."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from tracker.cli.context import AppContext, pass_app
from tracker.posts.sidecars import check_url_template
from tracker.support.textsafe import safe_json, safe_text
from tracker.support.userinput import check_decodable
from tracker.support.words import counted, verb


@click.command("import")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--persona",
    envvar="TRACKER_PERSONA",
    show_envvar=True,
    required=True,
    help="Persona the images belong to.",
)
@click.option("--new-persona", is_flag=True, help="The persona is new, even if its name is close to an existing one.")
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
    new_persona: bool,
    url_template: str | None,
    workers: int | None,
    as_json: bool,
) -> None:
    """Log many images at once: folders (searched recursively) or files.

    Each image's post comes from the gallery-dl --write-metadata sidecar beside it (pixiv, X,
    Bluesky), else from --url-template, else the image is archived for the persona without a post.
    Importing again skips what is already there; a killed import finishes when run again.
    """

    # The importer loads the ORM, Pillow, numpy and a process pool: not for `tracker import --help`.
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from tracker.matching.stored import refresh_saved_index
    from tracker.posts.importing import Importer

    check_decodable({"persona": persona, "url_template": url_template})
    if url_template is not None:
        check_url_template(url_template)
    factory = app.sessions()
    with factory() as session:
        ctx = app.report_context(session)
    importer = Importer(
        factory, app.settings, persona, app.platforms(), ctx, url_template, workers, new_persona=new_persona
    )
    columns = (TextColumn("importing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, transient=True, disable=not sys.stderr.isatty()) as progress:
        task = progress.add_task("import", total=None)
        summary = importer.run(list(inputs), lambda done, total: progress.update(task, completed=done, total=total))
    refresh_saved_index(factory, app.settings)  # the next `tracker match` finds the new images at once
    data = summary.to_dict()
    if as_json:
        click.echo(safe_json(data))
    else:
        for warning in summary.warnings:
            click.echo(f"tracker: warning: {safe_text(warning)}", err=True)
        click.echo(
            f"{counted(summary.files, 'file')}: {counted(summary.new_images, 'new image')}, "
            f"{counted(summary.new_posts, 'new post')}, "
            f"{summary.without_post} archived without a post, {summary.already_done} already done, "
            f"{len(summary.failed)} failed"
        )
        if summary.missing_inputs:
            click.echo(
                f"tracker: warning: {counted(summary.missing_inputs, 'new image')} "
                f"{verb(summary.missing_inputs, 'was', 'were')} made with image inputs (img2img, "
                "ControlNet, ...) that are not recorded: `tracker inputs POST` lists them, "
                "`tracker input add` records one",
                err=True,
            )
    for failure in summary.failed:
        click.echo(f"tracker: error: {safe_text(failure)}", err=True)
    if summary.failed:
        sys.exit(1)
