"""The tracker TUI application: shared state, global keys, the command palette."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from tracker.accountability.report import ReportContext
from tracker.posts.platforms import Platform
from tracker.support.dates import utcnow
from tracker.support.settings import Settings


class TrackerApp(App[None]):
    """Complaint triage: the dashboard first; everything else is pushed on top of it."""

    TITLE = "tracker"
    CSS = """
    Screen { background: $surface; }
    .banner { height: auto; padding: 0 1; }
    .banner.overdue { background: $error; color: $text; text-style: bold; }
    .banner.calm { background: $success-darken-2; color: $text; }
    .banner.pending { background: $warning-darken-2; color: $text; }
    .section { height: auto; padding: 1 1 0 1; text-style: bold; }
    .error { color: $error; text-style: bold; height: auto; padding: 0 1; }
    .hint { color: $text-muted; height: auto; padding: 0 1; }
    """
    BINDINGS = [
        Binding("f1", "help", "Help"),
        Binding("question_mark", "help", "Help", show=False),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(
        self,
        factory: sessionmaker[Session],
        settings: Settings,
        platforms: dict[str, Platform],
        report_context: ReportContext,
        show_images: bool = False,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        super().__init__()
        self.factory = factory
        self.settings = settings
        self.platforms = platforms
        self.report_context = report_context
        self.show_images = show_images
        self.clock = clock

    def on_mount(self) -> None:
        from tracker.tui.screens.dashboard import DashboardScreen

        self.push_screen(DashboardScreen())

    def action_help(self) -> None:
        from tracker.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_new_complaint(self) -> None:
        from tracker.tui.screens.intake import IntakeScreen

        self.push_screen(IntakeScreen())

    def action_dashboard(self) -> None:
        from tracker.tui.screens.dashboard import DashboardScreen

        while len(self.screen_stack) > 2 and not isinstance(self.screen, DashboardScreen):
            self.pop_screen()
        if isinstance(self.screen, DashboardScreen):
            self.screen.refresh_data()

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

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand("New complaint", "Log a complaint that just arrived", self.action_new_complaint)
        yield SystemCommand("Dashboard", "Open complaints and recent posts", self.action_dashboard)
        yield SystemCommand(
            "Burn down a persona", "Its deletion checklist: mark posts and accounts done", self.action_purge
        )
        yield SystemCommand("Help", "Keys and what each screen does", self.action_help)
        for command in super().get_system_commands(screen):
            if command.title in ("Quit", "Keys", "Theme", "Screenshot"):
                yield command
