"""`tracker tui` and `tracker demo`: open the TUI on the user's archive or on a throwaway one.

Both draw the first screen at once: the app opens the database (and the demo seeds its archive)
in a worker, after the dashboard is up. The one thing that happens before the app starts is one
round trip asking the terminal what it can draw (`tracker.tui.images`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tracker.cli.context import AppContext, pass_app
from tracker.errors import UsageError
from tracker.support.textsafe import safe_text

if TYPE_CHECKING:
    from tracker.demo import DemoInfo
    from tracker.support.settings import Settings


def _has_terminal() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


class DemoContext(AppContext):
    """The demo's folder and nothing else: TRACKER_DB / TRACKER_ARCHIVE never point it at the user's archive."""

    @property
    def settings(self) -> Settings:
        # Read on first use, in the app's worker: resolving the database URL loads SQLAlchemy.
        if self._settings is None:
            from tracker.support.settings import load_settings

            self._settings = load_settings(data_dir=self.data_dir, env={})
        return self._settings


class DemoSeeder:
    """`prepare` for the demo: seeds the archive once, in the app's first worker."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.info: DemoInfo | None = None
        self._lock = threading.Lock()
        self._closed = False

    def __call__(self) -> None:
        from tracker.demo import seed_demo

        with self._lock:
            if self._closed:
                raise UsageError("the demo has ended")
            self.info = seed_demo(self.folder)

    def close(self) -> None:
        """Wait for a seeding still under way, and refuse any later one (the folder goes next)."""
        with self._lock:
            self._closed = True


def run_tui(app_context: AppContext, images: bool, seeder: DemoSeeder | None = None) -> None:
    """Build the app on the context (nothing is opened yet) and run it; the database opens in a worker.

    Textual loads here, not when the command module is imported: `tracker demo` without a terminal
    never needs it.
    """
    from tracker.tui.app import TrackerApp
    from tracker.tui.images import probe_terminal

    graphics = probe_terminal() if images else None  # the last moment the terminal is ours to ask
    if seeder is None:
        app = TrackerApp(app_context, graphics=graphics)
    else:
        app = TrackerApp(app_context, graphics=graphics, prepare=seeder, preparing="Preparing the demo archive…")
    app.run()


def _demo_line(info: DemoInfo) -> str:
    return safe_text(
        f"Demo archive in {info.data_dir}: {info.personas} personas, {info.posts} posts, "
        f"complaint #{info.overdue_complaint} overdue and #{info.recent_complaint} open."
    )


@click.command("tui")
@click.option("--no-images", is_flag=True, help="Never draw pictures in the terminal (text placeholders instead).")
@pass_app
def tui_cmd(app: AppContext, no_images: bool) -> None:
    """Open the complaint dashboard: triage, decide, reply."""
    if not _has_terminal():
        raise UsageError("`tracker tui` needs a terminal; use `tracker status` or `tracker complaint list` in scripts")
    if os.environ.get("TERM") == "dumb":
        raise UsageError(
            "`tracker tui` needs a terminal that can move its cursor (TERM is dumb): set TERM=xterm, or use "
            "`tracker status` and `tracker complaint list`"
        )
    app.require_database()  # an empty dashboard on a mistyped data folder would look like an all-clear
    run_tui(app, images=not no_images)


@click.command("demo")
@click.option(
    "--keep",
    metavar="DIR",
    type=click.Path(path_type=Path, file_okay=False),
    help="Build the demo in DIR (new or empty) and keep it.",
)
@click.option("--no-images", is_flag=True, help="Never draw pictures in the terminal.")
def demo_cmd(keep: Path | None, no_images: bool) -> None:
    """Open the TUI on a throwaway archive with sample posts, personas and complaints."""
    terminal = _has_terminal() and os.environ.get("TERM") != "dumb"  # a dumb terminal is told where the demo is
    if keep is not None and keep.exists() and any(keep.iterdir()):
        raise UsageError(f"{keep} is not empty: give a new or empty folder")
    folder = keep or Path(tempfile.mkdtemp(prefix="tracker-demo-"))
    if not terminal:
        from tracker.demo import seed_demo

        click.echo(_demo_line(seed_demo(folder)))
        click.echo(safe_text(f"No terminal here: open it later with `tracker --data-dir {folder} tui`."))
        return

    context = DemoContext(db=None, data_dir=str(folder))
    seeder = DemoSeeder(folder)
    try:
        run_tui(context, not no_images, seeder)
    finally:
        seeder.close()
        context.close()
        if keep is None:  # first: the line below fails when the terminal is gone (a dropped SSH connection)
            shutil.rmtree(folder, ignore_errors=True)
        if seeder.info is not None:
            with contextlib.suppress(OSError):
                click.echo(_demo_line(seeder.info))
