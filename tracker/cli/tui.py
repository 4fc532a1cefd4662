"""`tracker tui` and `tracker demo`: open the TUI on the user's archive or on a throwaway one."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import click

from tracker.cli.context import AppContext, pass_app
from tracker.errors import UsageError
from tracker.support.textsafe import safe_text


def _has_terminal() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def run_tui(app_context: AppContext, show_images: bool) -> None:
    """Open the TUI on the context's database (upgraded to the newest revision first)."""
    from tracker.tui.widgets.preview import images_supported

    images = show_images and images_supported()  # imports textual-image before the app starts
    from tracker.tui.app import TrackerApp

    factory = app_context.sessions()
    with factory() as session:
        ctx = app_context.report_context(session)
    TrackerApp(factory, app_context.settings, app_context.platforms(), ctx, show_images=images).run()


@click.command("tui")
@click.option("--no-images", is_flag=True, help="Never draw pictures in the terminal (text placeholders instead).")
@pass_app
def tui_cmd(app: AppContext, no_images: bool) -> None:
    """Open the complaint dashboard: triage, decide, reply."""
    if not _has_terminal():
        raise UsageError("`tracker tui` needs a terminal; use `tracker status` or `tracker complaint list` in scripts")
    run_tui(app, show_images=not no_images)


@click.command("demo")
@click.option("--keep", type=click.Path(path_type=Path, file_okay=False), help="Build the demo in DIR and keep it.")
@click.option("--no-images", is_flag=True, help="Never draw pictures in the terminal.")
def demo_cmd(keep: Path | None, no_images: bool) -> None:
    """Open the TUI on a throwaway archive with sample posts, personas and complaints."""
    from tracker.demo import seed_demo

    folder = keep or Path(tempfile.mkdtemp(prefix="tracker-demo-"))
    if keep is not None and keep.exists() and any(keep.iterdir()):
        raise UsageError(f"{keep} is not empty: give a new or empty folder")
    info = seed_demo(folder)
    click.echo(
        safe_text(
            f"Demo archive in {folder}: {info.personas} personas, {info.posts} posts, "
            f"complaint #{info.overdue_complaint} overdue and #{info.recent_complaint} open."
        )
    )
    if not _has_terminal():
        click.echo(safe_text(f"No terminal here: open it later with `tracker --data-dir {folder} tui`."))
        return

    try:
        run_tui(AppContext(db=None, data_dir=str(folder)), show_images=not no_images)
    finally:
        if keep is None:
            shutil.rmtree(folder, ignore_errors=True)
