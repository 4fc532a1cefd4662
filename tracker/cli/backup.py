"""`tracker backup [FILE]` and `tracker restore FILE --force`."""

from __future__ import annotations

from pathlib import Path

import click

from tracker.cli.context import AppContext, pass_app
from tracker.support.textsafe import safe_text
from tracker.support.words import counted


@click.command("backup")
@click.argument("file", required=False, type=click.Path(path_type=Path, dir_okay=False))
@pass_app
def backup_cmd(app: AppContext, file: Path | None) -> None:
    """Save the database and the archive into one private file (default: tracker-backup-<time>.tar here)."""
    from tracker.archive.backup import backup, default_name

    summary = backup(app.settings, file or Path(default_name()))
    click.echo(
        safe_text(f"Backed up the database and {counted(summary.files, 'archived file')} to {summary.path} ")
        + f"({summary.bytes / 2**20:.1f} MiB, private). Keep it somewhere safe: it links you to the persona."
    )


@click.command("restore")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--force", is_flag=True, help="Replace an existing database and archive (kept as .old-*).")
@pass_app
def restore_cmd(app: AppContext, file: Path, force: bool) -> None:
    """Put a backup's database and archive in place, once every member and the database check out."""
    from tracker.archive.restore import restore

    summary = restore(app.settings, file, force=force)
    message = f"Restored the database and {counted(summary.files, 'archived file')} from {summary.path}."
    kept = [str(path) for path in (summary.kept_database, summary.kept_archive) if path is not None]
    if kept:
        message += f" The replaced ones are kept as {' and '.join(kept)}."
    click.echo(safe_text(message))
