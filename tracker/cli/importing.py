"""`tracker import DIR|FILE...`: log many images at once."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tracker.cli.context import AppContext, echo_error, echo_warning, pass_app
from tracker.posts.sidecars import check_url_template
from tracker.support.textsafe import clip, safe_json, safe_text
from tracker.support.userinput import check_decodable
from tracker.support.words import counted, verb

if TYPE_CHECKING:
    from tracker.posts.import_summary import FlaggedImage

SHOWN_IMAGES = 20
"""Images breaking a rule listed after an import, one line each; the rest are counted."""
SHOWN_WARNED = 3
"""Images with warnings only are listed one per line when there are at most this many; else counted."""
SHOWN_PROBLEMS = 2
"""Problems spelt out on an image's line; more are counted."""
MESSAGE_WIDTH = 240
"""A finding's message is cut (`…`) to this many columns on an image's line."""
SEE_ALSO = "`tracker show URL` (a post) or `tracker inspect FILE` shows the rest"
SHOWN_WITHOUT_POST = 5
"""Files archived without a post named after an import, one a line; the rest are counted (--json has all)."""


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
    "({stem}, {name}, {num}: page number, {id}: the post id a name such as 12345.png or 12345_p0.png is; "
    "a name with more after the id, as 12345-title.png, has none: use {stem} or rename).",
)
@click.option(
    "--workers", type=click.IntRange(1, 64), help="Processes that decode and hash (default: one per core, at most 2)."
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print the summary as JSON, with the rule findings of each new image."
)
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
    Bluesky, Misskey, DeviantArt, Tumblr), else from --url-template, else the image is archived for
    the persona without a post (those files are named at the end; --json lists them all).
    Importing again skips what is already there; a killed import finishes when run again.
    The new images that break your rules are named at the end, in the words of `tracker log`.

    \b
    Examples:
      tracker import ~/gallery-dl/pixiv/moth --persona moth
      tracker import ~/outputs/posted --persona moth \\
          --url-template 'https://www.pixiv.net/artworks/{id}'
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
            echo_warning(warning)
        click.echo(
            f"{counted(summary.files, 'file')}: {counted(summary.new_images, 'new image')}, "
            f"{counted(summary.new_posts, 'new post')}, "
            + (f"{counted(summary.more_pages, 'more page')} of a post, " if summary.more_pages else "")
            + f"{summary.without_post} archived without a post, {summary.already_done} already done, "
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
        for line in [*rule_lines(summary.flagged_in_order()), *without_post_lines(summary.without_post_files)]:
            click.echo(line)
    for failure in summary.failed:
        echo_error(failure)
    if summary.failed:
        sys.exit(1)


def without_post_lines(files: list[str]) -> list[str]:
    """The files archived without a post, at most `SHOWN_WITHOUT_POST` named: each may be online somewhere
    tracker does not know of, so the owner needs to see which they are."""
    if not files:
        return []
    lines = [
        f"{counted(len(files), 'file')} archived without a post (if one is online, "
        "`tracker log FILE --url URL` logs its post):"
    ]
    lines += [f"  {safe_text(name)}" for name in files[:SHOWN_WITHOUT_POST]]
    if len(files) > SHOWN_WITHOUT_POST:
        lines.append(f"  ... and {len(files) - SHOWN_WITHOUT_POST} more: --json lists them all")
    return lines


def rule_lines(flagged: list[FlaggedImage]) -> list[str]:
    """The new images that break the owner's rules, one line each (at most `SHOWN_IMAGES`), then
    those with warnings only: listed when few, else one line counting them."""
    with_problems = [item for item in flagged if item.problems]
    warned = [item for item in flagged if not item.problems]
    lines = []
    if with_problems:
        lines.append(
            f"{counted(len(with_problems), 'new image')} {verb(len(with_problems), 'breaks', 'break')} "
            "your rules (! problem, ? warning):"
        )
        lines += [_image_line(item) for item in with_problems[:SHOWN_IMAGES]]
        if len(with_problems) > SHOWN_IMAGES:
            lines.append(f"  ... and {len(with_problems) - SHOWN_IMAGES} more: {SEE_ALSO}; --json lists them all")
    if warned and len(warned) <= SHOWN_WARNED:
        lines.append(f"{counted(len(warned), 'new image')} {verb(len(warned), 'has', 'have')} warnings only:")
        lines += [_image_line(item) for item in warned]
    elif warned:
        codes = Counter(code for item in warned for code in dict.fromkeys(str(f.get("code")) for f in item.findings))
        listed = ", ".join(f"{count} with {safe_text(code)}" for code, count in codes.most_common())
        lines.append(
            f"? {counted(len(warned), 'new image')} {verb(len(warned), 'has', 'have')} warnings only ({listed}): "
            f"{SEE_ALSO.replace(' the rest', ' them')}; --json lists them all"
        )
    return lines


def _image_line(item: FlaggedImage) -> str:
    """`  folder/x.png  URL  ! CODE: message; ? CODE: message`, in the words of `tracker log`'s rule lines."""
    where = safe_text(item.file) + (f"  {safe_text(item.post_url)}" if item.post_url else "")
    problems, warnings = item.problem_findings, item.warning_findings
    shown = problems[:SHOWN_PROBLEMS] if problems else warnings[:SHOWN_PROBLEMS]
    mark = "!" if problems else "?"  # as `tracker log` marks a problem and a warning
    parts = [f"{mark} {safe_text(f.get('code'))}: {clip(safe_text(f.get('message')), MESSAGE_WIDTH)}" for f in shown]
    rest = len(item.findings) - len(shown)
    if rest:
        rest_problems = len(problems) - len(shown) if problems else 0
        more = [counted(rest_problems, "more problem")] if rest_problems else []
        rest_warnings = len(warnings) if problems else len(warnings) - len(shown)
        if rest_warnings:
            codes = sorted({safe_text(f.get("code")) for f in warnings[-rest_warnings:]})
            more.append(f"{counted(rest_warnings, 'warning')}: {', '.join(codes)}")
        parts.append(f"(+{'; '.join(more)})")
    return f"  {where}  " + "; ".join(parts)
