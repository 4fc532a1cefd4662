"""Slow work runs in workers: the first screen is drawn at once, data follows, and a failing worker
is told in one line while the app keeps running."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing
from fixtures.tui import SIZE, screen_lines, settled, wait_for
from textual.widgets import DataTable, OptionList, Static

from tracker.cli import AppContext
from tracker.complaints.complaint_input import ComplaintInput
from tracker.complaints.intake import add_complaint
from tracker.errors import NotFoundError, TrackerError
from tracker.tui.app import TrackerApp, error_line
from tracker.tui.screens.dashboard import DashboardScreen
from tracker.tui.screens.help import HelpScreen
from tracker.tui.screens.purge import PersonaPickerScreen
from tracker.tui.screens.triage import TriageScreen

pytestmark = pytest.mark.db

HOSTILE = "disk [bold]gone[/bold] \x1b[31m"


class Recorder(TrackerApp):
    """The app, keeping every notification it shows (message, severity)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.notes: list[tuple[str, str]] = []

    def notify(self, message: str, *, severity: Any = "information", **kwargs: Any) -> None:  # type: ignore[override]
        self.notes.append((message, severity))
        super().notify(message, severity=severity, **kwargs)

    def errors(self) -> list[str]:
        return [message for message, severity in self.notes if severity == "error"]


def banner(app: TrackerApp) -> str:
    return str(app.screen.query_one("#banner", Static).render())


def toasts(app: TrackerApp) -> list[str]:
    return [str(toast.render()) for toast in app.screen.query("Toast")]


@pytest.fixture
def one_complaint(tracker: Tracker, tmp_path: Path) -> int:
    path = tmp_path / "scene.png"
    drawing(1).save(path)
    tracker("log", path, "--url", "https://www.pixiv.net/artworks/300000001", "--persona", "moth")
    context = AppContext(db=None, data_dir=None)
    data = ComplaintInput(received_at=datetime.now(UTC), posts=["https://www.pixiv.net/artworks/300000001"])
    number = add_complaint(context.sessions(), context.settings, data, context.platforms())
    context.close()
    return number


def test_error_lines() -> None:
    assert error_line(NotFoundError("no post '#9'")) == "no post '#9'"
    assert error_line(ValueError(HOSTILE)) == "internal error: ValueError: disk [bold]gone[/bold] \\x1b[31m"
    assert error_line(TrackerError("two\nlines")) == "two\\x0alines"


async def test_a_failing_load_is_told_in_one_line_and_the_app_keeps_running(
    one_complaint: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tracker.complaints.queue

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(HOSTILE)

    monkeypatch.setattr(tracker.complaints.queue, "open_complaints", broken)
    app = Recorder(AppContext(db=None, data_dir=None))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settled(pilot)
        assert app.is_running and isinstance(app.screen, DashboardScreen)
        expected = "internal error: RuntimeError: disk [bold]gone[/bold] \\x1b[31m"
        assert app.errors() == [expected]
        assert any(expected in toast for toast in toasts(app)), "shown literally, not as markup"
        assert "Could not load the archive" in banner(app) and "r tries again" in banner(app)
        await pilot.press("f1")  # the app still answers
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")  # back on the dashboard, which reloads: still broken
        await settled(pilot)
        assert app.errors() == [expected, expected]
        monkeypatch.undo()
        await pilot.press("r")
        await settled(pilot)
        assert "1 complaint unanswered" in banner(app)
        assert len(app.errors()) == 2


async def test_a_tracker_error_in_a_worker_is_told_as_is(one_complaint: int, monkeypatch: pytest.MonkeyPatch) -> None:
    import tracker.tui.screens.purge as purge_screen

    def missing(*args: Any, **kwargs: Any) -> Any:
        raise NotFoundError("no persona '[moth]'")

    monkeypatch.setattr(purge_screen, "persona_choices", missing)
    app = Recorder(AppContext(db=None, data_dir=None))
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press("b")
        await settled(pilot)
        assert app.errors() == ["no persona '[moth]'"]
        picker = app.screen
        assert isinstance(picker, PersonaPickerScreen)
        option = picker.query_one("#personas", OptionList).get_option_at_index(0)
        assert "Could not read the personas: no persona '[moth]'" in str(option.prompt) and option.disabled
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen) and app.is_running


async def test_the_first_screen_is_drawn_before_the_archive_is_prepared(one_complaint: int) -> None:
    gate = threading.Event()
    calls: list[str] = []

    def prepare() -> None:
        calls.append(threading.current_thread().name)
        assert gate.wait(15), "the test never let the preparation finish"

    app = Recorder(AppContext(db=None, data_dir=None), prepare=prepare, preparing="Preparing the demo archive…")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: bool(calls))
        screen = app.screen
        assert isinstance(screen, DashboardScreen) and not screen.loaded and not app.is_ready
        assert banner(app) == "Preparing the demo archive…"
        sections = [str(s.render()) for s in screen.query(".section")]
        assert sections[-1] == "Recent posts"
        assert [str(c.label) for c in screen.query_one("#posts", DataTable).columns.values()] == [
            "#",
            "posted",
            "persona",
            "platform",
            "status",
            "url",
        ]
        # b opens the picker at once; it waits for the archive like everything else.
        await pilot.press("b")
        picker = app.screen
        assert isinstance(picker, PersonaPickerScreen) and picker.choices is None
        await pilot.press("escape")
        # Enter while loading opens the highlighted complaint once it is there.
        await pilot.press("enter")
        assert isinstance(app.screen, DashboardScreen)
        gate.set()
        await settled(pilot)
        assert isinstance(app.screen, TriageScreen) and app.screen.number == one_complaint
        assert len(calls) == 1 and calls[0] != threading.main_thread().name, "prepared once, in a worker"
        assert app.is_ready and app.errors() == []
        await pilot.press("escape")
        await settled(pilot)
        assert "1 complaint unanswered" in banner(app)


async def test_a_failed_preparation_is_told_and_not_run_again() -> None:
    calls: list[int] = []

    def prepare() -> None:
        calls.append(1)
        raise TrackerError("the demo folder is not empty")

    app = Recorder(AppContext(db=None, data_dir=None), prepare=prepare)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        assert app.errors() == ["the demo folder is not empty"]
        assert "Could not load the archive: the demo folder is not empty" in banner(app)
        await pilot.press("r")
        await settled(pilot)
        assert app.errors() == ["the demo folder is not empty"] * 2 and calls == [1]
        assert app.is_running


class SlowToOpen(AppContext):
    """The archive, whose database layer takes as long to open as the test wants (SQLAlchemy loading, say)."""

    gate = threading.Event()

    def sessions(self) -> Any:
        assert self.gate.wait(15), "the test never let the database layer open"
        return super().sessions()


@pytest.mark.sqlite_only
async def test_the_dashboard_rows_do_not_wait_for_the_database_layer(
    one_complaint: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a SQLite file at this revision the rows come as soon as `tracker status` would print: read as it reads,
    not after SQLAlchemy and the archive have opened; the archive opens after, for the screens Enter opens."""
    import tracker.db.quick

    now = datetime.now(UTC)
    SlowToOpen.gate.clear()
    app = Recorder(SlowToOpen(db=None, data_dir=None), clock=lambda: now)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: app.dashboard.loaded, timeout=5)
            await pilot.pause()
            assert not app.is_ready, "read without opening the archive"
            quick = screen_lines(app)
            assert "1 complaint unanswered" in banner(app)
            assert any(line.strip().startswith(f"#{one_complaint} ") for line in quick)
            assert any("300000001" in line and "moth" in line for line in quick), quick
            SlowToOpen.gate.set()
            await settled(pilot)
            assert app.is_ready and app.errors() == [], "opened in the background once the rows were shown"
            await pilot.press("enter")
            await settled(pilot)
            assert isinstance(app.screen, TriageScreen) and app.screen.number == one_complaint
    finally:
        SlowToOpen.gate.set()
    # Any other database (or revision) is read in a session of the archive: the same rows.
    monkeypatch.setattr(tracker.db.quick, "open_at_head", lambda url: None)
    app = Recorder(AppContext(db=None, data_dir=None), clock=lambda: now)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.dashboard.loaded)
        await settled(pilot)
        assert screen_lines(app) == quick


@pytest.mark.sqlite_only
async def test_a_database_that_cannot_be_opened_leaves_no_table_saying_loading(
    isolated_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file that is not a database (or a server that is down): the banner says why, and the complaint table
    says nothing was loaded instead of "loading…" for ever; Enter on that row opens nothing."""
    not_sql = tmp_path / "notsql.db"
    not_sql.write_bytes(b"this is not a database\n" * 200)
    monkeypatch.setenv("TRACKER_DB", str(not_sql))
    app = Recorder(AppContext(db=None, data_dir=None))
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await wait_for(pilot, lambda: "Could not load the archive" in banner(app))
        assert "is not a SQLite database" in banner(app)
        shown = "\n".join(screen_lines(app))
        assert "loading…" not in shown and "not loaded" in shown
        await pilot.press("enter")
        await settled(pilot)
        assert isinstance(app.screen, DashboardScreen) and app.is_running
