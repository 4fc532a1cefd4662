"""The main screens pinned as SVG snapshots (pytest-textual-snapshot) on fixed data and a fixed clock.

Update after an intended change with `pytest tests/test_tui_snapshots.py --snapshot-update`,
and look at the new SVGs before committing them.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fixtures.common import Tracker, database_url
from fixtures.drawings import drawing
from fixtures.tui import settled
from sqlalchemy import create_engine, update

from tracker.cli import AppContext
from tracker.complaints.complaint_input import ComplaintInput
from tracker.complaints.intake import add_complaint
from tracker.db.models import Channel, LegalBasis
from tracker.db.schema import decision, event, metadata, post
from tracker.tui.app import TrackerApp
from tracker.tui.screens.triage import TriageScreen

NOW = datetime(2026, 1, 20, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Dates are shown in local time: pin it, so the snapshots do not depend on the machine."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.chdir("/tmp")  # "Save to file" proposes a file in the current folder: the same one everywhere
    yield
    monkeypatch.undo()
    time.tzset()


def url(n: int) -> str:
    return f"https://www.pixiv.net/artworks/{400000000 + n}"


@pytest.fixture
def app(tracker: Tracker, tmp_path: Path, isolated_env: Path) -> TrackerApp:
    for n in range(4):
        path = tmp_path / f"scene{n}.png"
        drawing(n).save(path)
        tracker("log", path, "--url", url(n), "--persona", "moth", "--posted-at", f"2026-01-0{n + 1}T10:00:00Z")
    context = AppContext(db=None, data_dir=None)
    factory, settings, platforms = context.sessions(), context.settings, context.platforms()
    add_complaint(
        factory,
        settings,
        ComplaintInput(
            received_at=datetime(2026, 1, 2, 9, 0, tzinfo=UTC),
            channel=Channel.EMAIL,
            legal_basis=LegalBasis.JAPAN,
            complainant_name="K. Tanaka",
            complainant_contact="k@example.jp",
            claimed_title="Harbour at dusk",
            message="Your post copies my painting.",
            posts=[url(1)],
            images=[tmp_path / "scene1.png"],
        ),
        platforms,
    )
    add_complaint(
        factory,
        settings,
        ComplaintInput(
            received_at=datetime(2026, 1, 19, 9, 0, tzinfo=UTC),
            legal_basis=LegalBasis.DSA,
            complainant_org="Studio North",
            posts=[url(3)],
        ),
        platforms,
    )
    context.close()
    tracker("persona", "set", "moth", "--display-name", "Moth Atelier", "--contact", "moth@example.org")
    tracker("complaint", "decide", "1", "--action", "dispute", "--reason", "independent_creation")
    engine = create_engine(database_url(isolated_env))
    with engine.begin() as connection:  # a decision by its time, a post by its logging: pin them
        pinned = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
        connection.execute(update(decision).values(decided_at=pinned))
        connection.execute(update(post).values(logged_at=pinned, status_changed_at=pinned))
        connection.execute(update(event).values(at=pinned))
        for table in metadata.sorted_tables:  # every record's creation time
            if "created_at" in table.c:
                connection.execute(update(table).values(created_at=pinned))
    engine.dispose()
    return TrackerApp(AppContext(db=None, data_dir=None), clock=lambda: NOW)


async def _triage_ready(pilot: Any) -> None:
    await settled(pilot)
    await pilot.press("enter")
    await settled(pilot)
    assert isinstance(pilot.app.screen, TriageScreen) and pilot.app.screen.result is not None


async def _keys(pilot: Any, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settled(pilot)


async def _dashboard(pilot: Any) -> None:
    await settled(pilot)


async def _intake(pilot: Any) -> None:
    await _keys(pilot, "n")


async def _intake_asks(pilot: Any) -> None:
    await _keys(pilot, "n", "backspace", "escape")  # "now" edited, then leaving: asked first


async def _triage(pilot: Any) -> None:
    await _triage_ready(pilot)


async def _decision(pilot: Any) -> None:
    await _triage_ready(pilot)
    await _keys(pilot, "d")


async def _reply(pilot: Any) -> None:
    await _triage_ready(pilot)
    await _keys(pilot, "p")
    await pilot.pause(0.2)
    await settled(pilot)
    pilot.app.screen.query_one("#reply").cursor_blink = False  # drawn the same whenever the picture is taken
    await settled(pilot)


async def _reply_file(pilot: Any) -> None:
    await _reply(pilot)
    await _keys(pilot, "f5")


async def _post(pilot: Any) -> None:
    await settled(pilot)
    pilot.app.open_post(2)
    await settled(pilot)


async def _find(pilot: Any) -> None:
    await _keys(pilot, "o")


async def _match(pilot: Any) -> None:
    await settled(pilot)  # the dashboard below drawn first (under CI load its load could still be running)
    await _keys(pilot, "m")


async def _help(pilot: Any) -> None:
    await settled(pilot)
    await pilot.press("f1")
    await pilot.pause()


async def _persona_picker(pilot: Any) -> None:
    await _keys(pilot, "b")


async def _purge(pilot: Any) -> None:
    from tracker.tui.screens.purge import PurgeScreen

    await _keys(pilot, "b", "enter")
    assert isinstance(pilot.app.screen, PurgeScreen) and pilot.app.screen.plan is not None


async def _reason(pilot: Any) -> None:
    await _purge(pilot)
    await _keys(pilot, "s")


SCREENS = {
    "dashboard": _dashboard,
    "intake": _intake,
    "discard": _intake_asks,
    "triage": _triage,
    "decision": _decision,
    "reply": _reply,
    "reply_file": _reply_file,
    "post": _post,
    "find": _find,
    "match": _match,
    "help": _help,
    "persona_picker": _persona_picker,
    "purge": _purge,
    "reason": _reason,
}
"""Every screen and dialog, and how to get there from the dashboard."""


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen(snap_compare: Any, app: TrackerApp, screen: str, size: tuple[int, int]) -> None:
    assert snap_compare(app, terminal_size=size, run_before=SCREENS[screen])


def test_dashboard_200x60(snap_compare: Any, app: TrackerApp) -> None:
    assert snap_compare(app, terminal_size=(200, 60), run_before=_dashboard)
