"""The tracker TUI application: what it is built from, global keys, the command palette, worker errors.

The app is built from a `Backend` (what `tracker.cli.context.AppContext` offers: settings, the
session factory, the reference data) and opens nothing itself: the first worker that asks for
`archive()` runs the optional `prepare` step, opens the database and reads the reference data,
once. So the dashboard is drawn at once and its data arrives a moment later.

This module and the dashboard's import no database layer, Pillow or numpy: feature modules are
imported inside workers and inside the actions that open other screens, so the first screen costs
little more than Textual's own start-up (tests/test_tui_structure.py checks it).
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from textual import events
from textual.actions import SkipAction
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from tracker.errors import TrackerError
from tracker.support.dates import utcnow
from tracker.support.textsafe import safe_text
from tracker.tui import line_breaks, paste
from tracker.tui.screens.base import TrackerScreen
from tracker.tui.screens.dashboard import DashboardScreen

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from tracker.accountability.report import ReportContext
    from tracker.platforms.urls import Platform
    from tracker.support.settings import Settings
    from tracker.tui.images import Graphics
    from tracker.tui.kept_input import Value

ESCAPE_THEN = re.compile(r"alt\+(shift\+)?([a-z])")
"""An Alt+letter key: what a terminal multiplexer (tmux) or SSH sends for Esc then that letter typed quickly
(`TrackerApp.on_key`; Alt+Q has a binding of its own)."""

SIGNAL_GRACE = 3.0
"""Seconds after a SIGHUP/SIGTERM in which more of them are the same going away (`TrackerApp.on_mount`)."""


class EndOnSignal:
    """The SIGHUP/SIGTERM handler of `TrackerApp.on_mount`: the first signal asks the app to end in order (`end`),
    more within `SIGNAL_GRACE` are the same going away, and one after that ends the process at once."""

    def __init__(self, end: Callable[[], object], clock: Callable[[], float] = time.monotonic) -> None:
        self.end, self.clock = end, clock
        self.first: float | None = None

    def __call__(self, number: int, frame: object) -> None:
        if self.first is None:
            self.first = self.clock()
            self.end()
        elif self.clock() - self.first > SIGNAL_GRACE:
            signal.signal(number, signal.SIG_DFL)
            os.kill(os.getpid(), number)


class Backend(Protocol):
    """What the app is built from: `tracker.cli.context.AppContext`, or anything alike in a test."""

    @property
    def settings(self) -> Settings: ...

    def sessions(self) -> sessionmaker[Session]:
        """The session factory (may open and upgrade the database: called in a worker)."""
        ...

    def platforms(self) -> dict[str, Platform]: ...

    def report_context(self, session: Session) -> ReportContext: ...


@dataclass(frozen=True)
class Archive:
    """The open database and the reference data every screen reads with (`TrackerApp.archive()`)."""

    factory: sessionmaker[Session]
    platforms: dict[str, Platform]
    report_context: ReportContext


def error_line(error: BaseException | None) -> str:
    """One line for a failure: a `TrackerError`'s message as is, anything else as an internal error."""
    if isinstance(error, TrackerError):
        text = str(error)
    else:
        text = f"internal error: {type(error).__name__}: {error}"
    return safe_text(text)


class TrackerApp(App[None]):
    """Complaint triage: the dashboard first; everything else is pushed on top of it."""

    dashboard: DashboardScreen
    """The first screen, at the bottom of the stack."""

    TITLE = "tracker"
    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute: a subclass elsewhere finds it too
    HELP = (
        "The command palette offers the app's main actions, every action of the reply screen when opened there "
        "(for a keyboard without F-keys), and the colour theme. The mouse works too."
    )
    BINDINGS = [
        Binding("f1", "help", "Help", id="app.help"),
        Binding("question_mark", "help", "Help", show=False, id="app.help_question_mark"),
        # Above the dashboard `q` is each screen's (`TrackerScreen`: back, as Esc), this one's only on the dashboard.
        Binding("q", "quit", "Quit", tooltip="on the dashboard; above it, back one screen as Esc", id="app.quit"),
        # Textual's own Ctrl+Q, here to be named in the help.
        Binding("ctrl+q", "quit", "Quit", tooltip="from any screen", show=False, priority=True, id="app.ctrl_q"),
        # Esc then q typed quickly reaches the app as one key, Alt+Q (tmux, and a terminal over SSH, pass them on
        # together): both, in turn. Priority: in a text field it was a `q` typed into the letter, Esc lost.
        Binding(
            "alt+q",
            "escape_then_q",
            "as Esc then q",
            tooltip="what tmux sends for Esc and q typed quickly",
            show=False,
            priority=True,
            id="app.alt_q",
        ),
    ]

    def __init__(
        self,
        backend: Backend,
        graphics: Graphics | None = None,
        clock: Callable[[], datetime] = utcnow,
        prepare: Callable[[], object] | None = None,
        preparing: str = "Preparing the archive…",
    ) -> None:
        """`prepare` runs once, in the first worker, before the database is opened (the demo
        seeds its archive there); `preparing` is what the dashboard says meanwhile. `graphics` is
        how this terminal draws pictures (`tui.images.probe_terminal`), None for text placeholders."""
        super().__init__()
        line_breaks.install()  # Japanese lines never start with 。 or 」 on this screen
        paste.install()  # a paste holding an escape sequence arrives whole, in order
        self.backend = backend
        self.graphics = graphics
        self.clock = clock
        self._prepare = prepare
        self._preparing = preparing
        self._prepare_error: BaseException | None = None
        self._archive: Archive | None = None
        self._lock = threading.Lock()
        self.drawn = False
        """The first frame is on the terminal (the `Ready` event came)."""
        self.set_aside: dict[str, dict[str, Value]] = {}
        """What `Esc` closed a small dialog on (a number, a path), by dialog, put back when it opens again
        (`screens.guard.GuardsInput.set_aside_key`): held while the app runs, never written."""

    # ------------------------------------------------------------------ what the screens read with

    @property
    def show_images(self) -> bool:
        """Pictures are drawn (else text placeholders)."""
        return self.graphics is not None

    @property
    def settings(self) -> Settings:
        """Where the database, archive and data folder are (read once; no database is opened)."""
        return self.backend.settings

    def archive(self) -> Archive:
        """The open database and reference data: `prepare`, then opened and read on first use.

        Slow the first time (it may seed a demo or upgrade the database): call it in a worker.
        Thread-safe: workers that ask at once wait for the first one. A failed `prepare` is not
        run again; every later call raises its error.
        """
        with self._lock:
            if self._archive is None:
                if self._prepare_error is not None:
                    raise self._prepare_error
                if self._prepare is not None:
                    try:
                        self._prepare()
                    except Exception as exc:
                        self._prepare_error = exc
                        raise
                    self._prepare = None
                factory = self.backend.sessions()
                with factory() as session:
                    context = self.backend.report_context(session)
                self._archive = Archive(factory, self.backend.platforms(), context)
            return self._archive

    @property
    def is_ready(self) -> bool:
        """The archive is open (`archive()` no longer blocks)."""
        return self._archive is not None

    @property
    def prepared(self) -> bool:
        """No `prepare` step is left to run (none was given, or it ran): the database may be read
        without `archive()` (the dashboard's quick read), as it will be once opened."""
        return self._prepare is None

    @property
    def loading_text(self) -> str:
        """What the first screen says until its data arrives."""
        return self._preparing if self._prepare is not None else "Loading…"

    @property
    def factory(self) -> sessionmaker[Session]:
        """The session factory (blocks until the archive is open: use it in workers, or once loaded)."""
        return self.archive().factory

    @property
    def platforms(self) -> dict[str, Platform]:
        """The platform table (`platforms.toml`)."""
        return self.archive().platforms

    @property
    def report_context(self) -> ReportContext:
        """Risk table, rule lists and local model registry, read once."""
        return self.archive().report_context

    # ------------------------------------------------------------------ workers that fail

    def report_worker_error(self, worker: Worker[object]) -> str:
        """Tell the owner, in one line, that a worker failed; the app keeps running. The line is returned."""
        message = error_line(worker.error)
        self.notify(message, severity="error", markup=False)
        return message

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The app's own workers (screens forward theirs: `screens.base.TrackerScreen`)."""
        if event.state is WorkerState.ERROR:
            self.report_worker_error(event.worker)

    # ------------------------------------------------------------------ screens
    # Screen modules other than the dashboard import feature modules (and SQLAlchemy) at their
    # top: they are imported here, when first opened, so that start-up never waits for them.

    def get_default_screen(self) -> Screen:
        """The dashboard is the first screen, at the bottom of the stack."""
        self.dashboard = DashboardScreen()
        return self.dashboard

    def on_mount(self) -> None:
        """SIGHUP (the SSH connection or the terminal gone) and SIGTERM (a `kill`) end the app in order, once every
        form on the stack has written its unsaved input to its draft (`screens.guard`: it is put back when the form
        is opened again), rather than end the process where it stands. A terminal that goes away sends its hangup
        more than once in a moment (the terminal closing, then its multiplexer or sshd): signals within `SIGNAL_GRACE`
        of the first are taken as the same, so the app still ends in order (the demo deletes its folder); one later
        ends it at once (an app too busy to end in order still ends). Where signals cannot be taken (Windows, a
        thread other than the main one, a headless test), the drafts written about once a second are what is kept."""
        if self.is_headless:
            return
        loop = asyncio.get_running_loop()
        received = EndOnSignal(lambda: loop.call_soon_threadsafe(self.keep_input_and_exit))
        try:
            for number in (signal.SIGHUP, signal.SIGTERM):
                signal.signal(number, received)
        except (ValueError, AttributeError, OSError):
            pass

    def on_key(self, event: events.Key) -> None:
        """A printable key that reaches the app while a text field has the focus was typed ahead of that field,
        and goes into it (the app's own keys, `q`, are not taken from it). A field takes every printable key sent to
        it, so such a key was sent to the screen before, while the dialog holding the field was still opening:
        `o1⏎` arriving in one SSH packet opened the dialog, lost the `1`, and pressed Enter on an empty field.

        An Alt+letter no binding took, away from a text field, is Esc then that letter typed quickly (tmux sends them
        as one key): both act, in turn (`escape_then`), where it did nothing at all. In a text field it stays the
        field's (Textual types the letter there), as a key typed ahead does."""
        from textual.widgets import Input, TextArea

        field = self.focused
        if (found := ESCAPE_THEN.fullmatch(event.key)) is not None and not isinstance(field, (Input, TextArea)):
            letter = found[2].upper() if found[1] else found[2]
            event.prevent_default()
            event.stop()
            self.call_later(self.escape_then, letter)
            return
        if not (event.is_printable and event.character):
            return
        if isinstance(field, Input):
            field.insert_text_at_cursor(event.character)
        elif isinstance(field, TextArea) and not field.read_only:
            field.insert(event.character)
        else:
            return
        event.prevent_default()  # not App._on_key: the app's bindings are not this key's
        event.stop()

    def keep_input_and_exit(self) -> None:
        """Write what every form holds unsaved to its draft, then end the app (without asking: no one is there)."""
        from tracker.tui.screens.guard import GuardsInput

        for screen in self.screen_stack:
            if isinstance(screen, GuardsInput):
                screen.keep_input()
        self.exit()

    def on_ready(self) -> None:
        """The first frame is drawn: only now start loading, which would compete with drawing it."""
        self.drawn = True
        self.dashboard.refresh_data()
        self.set_interval(self.dashboard.AUTO_REFRESH, self.dashboard.reload_by_itself)  # a deadline passes: shown
        self.set_interval(self.dashboard.WATCH, self.dashboard.watch_by_itself)  # another terminal logged: shown

    async def action_quit(self) -> None:
        """Quit, asking first when a form or dialog on the stack holds unsaved input.

        Ctrl+Q (from any screen), `q` on the dashboard and the palette's Quit (Textual's system command) all call
        this action; `q` typed into a text field is text, never quit.
        """
        from tracker.tui.screens.guard import ask_before_losing_input

        ask_before_losing_input(self, self.exit, "Quit and discard what you typed?", "Discard and quit")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`back_as_escape` (`q`) is not the dashboard's: there the app's own `q` quits (and its footer says so)."""
        return not (action == "back_as_escape" and isinstance(self.screen, DashboardScreen))

    def action_back_as_escape(self) -> None:
        """`q` on a screen above the dashboard (`TrackerScreen`): whatever `Esc` does there, as if it were pressed
        (back one screen; a form holding typed text asks first, a one-line dialog sets it aside, a dialog answers
        no), so that `q` never loses more than `Esc` would. On the dashboard the app's `q` quits instead."""
        if isinstance(self.screen, DashboardScreen):
            raise SkipAction()
        self.simulate_key("escape")

    async def action_escape_then_q(self) -> None:
        """Alt+Q, as a terminal multiplexer sends Esc and q typed within its escape time: what `Esc` does here, then
        what `q` does where that leaves the owner (back one more screen, a question answered no, or quit on the
        dashboard), each key's binding run in turn, so the `q` acts only once the Esc has; never a `q` typed into a
        field (two keys replayed would race: the `q` reached the field before the Esc had closed the form)."""
        await self.escape_then("q")

    async def escape_then(self, key: str) -> None:
        """What `Esc` does here, then the binding of `key` where that leaves the owner (`action_escape_then_q`,
        `on_key`). A letter other than `q` is let go when the `Esc` left a text field in focus: there it would have
        been typed, and a letter is never typed into a field on the owner's behalf."""
        from textual.widgets import Input, TextArea

        for name in ("escape", key):
            if name not in ("escape", "q") and isinstance(self.screen.focused, (Input, TextArea)):
                return
            active = self.active_bindings.get(name)
            if active is not None and active.enabled:
                await self.run_action(active.binding.action, active.node)

    def action_help(self) -> None:
        from tracker.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(type(self.screen)))

    def action_new_complaint(self) -> None:
        from tracker.tui.screens.intake import IntakeScreen

        self.push_screen(IntakeScreen())

    def action_dashboard(self) -> None:
        """Back to the dashboard, closing every screen above it (asking first if one holds typed input)."""
        from tracker.tui.screens.guard import ask_before_losing_input

        def back() -> None:
            while len(self.screen_stack) > 1 and not isinstance(self.screen, DashboardScreen):
                self.pop_screen()
            if isinstance(self.screen, DashboardScreen):
                self.screen.refresh_data()

        ask_before_losing_input(self, back)

    def action_purge(self) -> None:
        from tracker.tui.screens.purge import PersonaPickerScreen

        def chosen(persona: str | None) -> None:
            if persona:
                self.open_purge(persona)

        self.push_screen(PersonaPickerScreen(), chosen)

    def open_purge(self, persona: str) -> None:
        from tracker.tui.screens.purge import PurgeScreen

        self.push_screen(PurgeScreen(persona))

    def open_complaint(self, number: int) -> None:
        from tracker.tui.screens.triage import TriageScreen

        self.push_screen(TriageScreen(number))

    def open_post(self, number: int) -> None:
        """Open the page of post #`number`: its facts, picture, complaints and history."""
        from tracker.tui.screens.post import PostScreen

        self.push_screen(PostScreen(number))

    def action_find_complaint(self) -> None:
        """Ask for a complaint's number, then open it."""
        from tracker.tui.screens.find import FindScreen

        self.push_screen(FindScreen("complaint"), lambda number: self.open_complaint(number) if number else None)

    def action_find_post(self) -> None:
        """Ask for a post's number or URL, then open it."""
        from tracker.tui.screens.find import FindScreen

        self.push_screen(FindScreen("post"), lambda number: self.open_post(number) if number else None)

    def action_match_image(self) -> None:
        """Ask for an image file and list the logged posts it shows."""
        from tracker.tui.screens.find import MatchScreen

        self.push_screen(MatchScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The app's commands, then those of the screen the palette was opened on (`TrackerScreen.PALETTE`)."""
        if isinstance(screen, TrackerScreen):
            yield from screen.palette_commands()
        yield SystemCommand("New complaint", "Log a complaint that just arrived", self.action_new_complaint)
        yield SystemCommand("Dashboard", "Open complaints and recent posts", self.action_dashboard)
        yield SystemCommand("Open complaint…", "A complaint by its number", self.action_find_complaint)
        yield SystemCommand("Open post…", "A logged post by its number or URL", self.action_find_post)
        yield SystemCommand(
            "Match an image file…", "Which logged posts an image file shows, whole or in part", self.action_match_image
        )
        yield SystemCommand(
            "Burn-down plan", "A persona's deletion checklist: mark posts and accounts done", self.action_purge
        )
        yield SystemCommand("Help", "Keys and what each screen does", self.action_help)
        for command in super().get_system_commands(screen):
            if command.title in ("Quit", "Keys", "Theme", "Screenshot"):
                yield command
