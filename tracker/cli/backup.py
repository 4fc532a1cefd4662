"""`tracker backup [FILE] [--allow-missing]` and `tracker restore FILE --force` (without `--force` over an existing
database: refused, saying what the restore would put out of view)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tracker.cli.context import AppContext, echo_error, echo_warning, pass_app
from tracker.support.textsafe import safe_text
from tracker.support.words import counted

if TYPE_CHECKING:
    from tracker.archive.preview import Preview
    from tracker.archive.restore import RestoreSummary


@click.command("backup")
@click.argument("file", required=False, type=click.Path())  # as typed: a trailing / says a folder
@click.option(
    "--allow-missing",
    is_flag=True,
    help="Back up even when archived files the database names are missing from disk (they are listed).",
)
@pass_app
def backup_cmd(app: AppContext, file: str | None, allow_missing: bool) -> None:
    """Save the database and the archive into one private file (default: tracker-backup-<time>.tar here; given
    a folder, that name in it)."""
    from tracker.archive.backup import backup, default_name

    target, numbered = _target(file, default_name())
    summary = backup(app.settings, target, allow_missing=allow_missing, numbered=numbered)
    if summary.missing:
        shown = ", ".join(summary.missing[:5]) + (
            f" and {len(summary.missing) - 5} more" if len(summary.missing) > 5 else ""
        )
        click.echo(
            safe_text(
                f"warning: {counted(len(summary.missing), 'archived file')} the database names "
                f"{'is' if len(summary.missing) == 1 else 'are'} missing from disk and not in the backup: {shown}"
            ),
            err=True,
        )
    if summary.stale:
        names = ", ".join(path.name for path in summary.stale)
        click.echo(
            safe_text(f"Removed {counted(len(summary.stale), 'unfinished backup')} left by a killed backup: {names}")
        )
    click.echo(
        safe_text(f"Backed up the database and {counted(summary.files, 'archived file')} to {summary.path} ")
        + f"({summary.bytes / 2**20:.1f} MiB, private). Keep it somewhere safe: it links you to the persona."
    )


def _target(file: str | None, default: str) -> tuple[Path, bool]:
    """Where the backup goes, and whether under the default name (numbered `-2`, `-3`, ... when that is taken):
    FILE; the default name in FILE when it is a folder (`tracker backup /media/stick`); the default name here when
    none is given. A name ending in / is a folder, one that must be there (never a file of that name); an empty
    one (`tracker backup "$DEST"` with DEST unset) is refused, not taken for here."""
    from tracker.errors import UsageError

    if file is None:
        return Path(default), True
    if not file:
        raise UsageError("the backup's file name is empty: give a file name, a folder, or none")
    if file == "-":  # `tracker backup - > stick/b.tar` would leave an empty file there and the backup here as "-"
        raise UsageError("a backup is written to a file, never to standard output: give a file name or a folder")
    path = Path(file).expanduser()
    if path.is_dir():
        return path / default, True
    if file.endswith(("/", os.sep)):
        raise UsageError(f"no folder {file}: the backup goes into a folder that is there")
    return path, False


@click.command("restore")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--force", is_flag=True, help="Replace an existing database and archive (kept as .old-*).")
@pass_app
def restore_cmd(app: AppContext, file: Path, force: bool) -> None:
    """Put a backup's database and archive in place, once every member and the database check out.

    \b
    Example:
      tracker restore tracker-backup-20261201T090000Z.tar --force
    """
    from tracker.archive.restore import NeedsForce, restore

    try:
        restore(app.settings, file, force=force, tell=_tell)
    except NeedsForce as refused:  # said first, then what --force would put out of view
        from tracker.archive.preview import preview

        seen = preview(file, refused.database)
        if seen.refused is not None:  # a backup --force would not restore either: no --force advised
            raise seen.refused from None
        echo_error(refused)
        _tell_what_force_replaces(seen, refused.database)
        click.get_current_context().exit(refused.exit_code)


def _tell_what_force_replaces(seen: Preview, database: Path) -> None:
    """Before the owner chooses --force: what the current database holds that the backup lacks (a complaint logged
    since, with its deadline), and the personas the backup would bring back (`archive.preview`)."""
    from tracker.cli.restore_warnings import left_lines

    for persona in seen.returning:
        echo_warning(f"with --force, {persona.would_come_back()} (scrubbed or merged away since the backup?)")
    if seen.left:
        echo_warning(
            "the current database holds what this backup lacks; with --force it would be only in the kept "
            f"{database.name}.old-* copy, out of view:"
        )
        for line in left_lines(seen.left):
            click.echo(safe_text(f"  - {line}"), err=True)
        click.echo("  Restore a newer backup, or log these again after restoring this one.", err=True)


def _tell(summary: RestoreSummary) -> None:
    """Say what was restored and every warning; a restore killed before this, `tracker status` says them."""
    from tracker.cli.restore_warnings import LOG_AGAIN, earlier_lines, left_lines, left_warning, returning_warning

    message = f"Restored the database and {counted(summary.files, 'archived file')} from {summary.path}."
    kept = [str(path) for path in (summary.kept_database, summary.kept_archive) if path is not None]
    if kept:
        message += f" The replaced ones are kept as {' and '.join(kept)}."
    if summary.carried:
        message += (
            f" {counted(len(summary.carried), 'archived file')} the backup lacked but the restored database names "
            f"{'stays' if len(summary.carried) == 1 else 'stay'} in the archive."
        )
    if summary.unnamed:
        message += (
            f" {counted(summary.unnamed, 'file')} in the backup that its database names nowhere (left by an "
            f"interrupted import) {'was' if summary.unnamed == 1 else 'were'} left out."
        )
    click.echo(safe_text(message))
    if summary.missing:
        listed = ", ".join(summary.missing[:3]) + (", ..." if len(summary.missing) > 3 else "")
        echo_warning(
            f"the restored database names {counted(len(summary.missing), 'archived file')} that neither the backup "
            f"nor the replaced archive had ({listed}): `tracker show` marks those posts MISSING; log or import the "
            "originals again to put them back"
        )
    for persona in summary.returning:
        echo_warning(returning_warning(persona, remembered=True))
    if summary.left:
        echo_warning(left_warning(summary.kept_database or "the replaced database"))
        for line in left_lines(summary.left):
            click.echo(safe_text(f"  - {line}"), err=True)
        click.echo(f"  {LOG_AGAIN}", err=True)
    for unsaid in summary.earlier:  # carried over: what a killed restore before this one never said
        head, *rest = earlier_lines(unsaid) or [""]
        if head:
            echo_warning(head)
        for line in rest:
            click.echo(safe_text(line), err=True)
