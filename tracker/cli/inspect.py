"""`tracker inspect FILE...`: the accountability report of image files, changing nothing.

It reads the database only for the owner's scanned model files (which local file a hash names)
and through the same plain reading `tracker posts` uses (`AppContext.plain_report_context`): on
a SQLite file at this tracker's revision no SQLAlchemy is loaded, and the ORM only when a model
file was scanned and a report names a hash.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from tracker.cli.context import AppContext, echo_error, echo_lines, pass_app, terminal_width
from tracker.cli.output import hanging, report_text
from tracker.errors import TrackerError
from tracker.posts.sizes import size_text
from tracker.support.textsafe import safe_json, safe_text


@click.command("inspect")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of reports.")
@click.option("--prompt/--no-prompt", default=True, help="Show the prompts in the text report.")
@pass_app
def inspect_cmd(app: AppContext, files: tuple[Path, ...], as_json: bool, prompt: bool) -> None:
    """Read FILES' generation metadata and print the accountability report (changes nothing).

    \b
    Examples:
      tracker inspect new-image.png        # before you post it
      tracker inspect --no-prompt *.png
    """
    from tracker.accountability.report import file_report
    from tracker.metadata.decoding import exif_orientation
    from tracker.metadata.reader import read_image  # Pillow (and numpy only for hidden pixel data found)

    ctx = app.plain_report_context(app.reader()) if app.database_exists() else app.report_context(None)
    results: list[dict[str, Any]] = []
    failed = 0
    for path in files:
        try:
            # No pixels hashed: libspng's numpy costs more than it saves. A damaged picture's metadata is still shown.
            reading = read_image(path, fast_png=False, damaged_pixels_ok=True)
        except TrackerError as exc:
            failed += 1
            echo_error(exc)
            results.append({"file": str(path), "error": str(exc)})
            continue
        report = file_report(path, reading, ctx)
        results.append(report)
        if not as_json:
            turn = exif_orientation(reading.image)  # (read after the reader: damaged EXIF is its problem to report)
            width = terminal_width()
            size = size_text(
                {"format": reading.format, "width": reading.width, "height": reading.height, "orientation": turn}
            )
            echo_lines(hanging("", safe_text(f"{path}  ({size})"), width, 2))
            echo_lines(report_text(report, prompt, width))
    if as_json:
        click.echo(safe_json(results))
    if failed:
        sys.exit(1)
