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
from fixtures.common import Tracker
from fixtures.drawings import drawing
from fixtures.tui import settled

from tracker.cli import AppContext
from tracker.complaints.intake import ComplaintInput, add_complaint
from tracker.db.models import Channel, LegalBasis
from tracker.tui.app import TrackerApp
from tracker.tui.screens.triage import TriageScreen

NOW = datetime(2026, 1, 20, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Dates are shown in local time: pin it, so the snapshots do not depend on the machine."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def url(n: int) -> str:
    return f"https://www.pixiv.net/artworks/{400000000 + n}"


@pytest.fixture
def app(tracker: Tracker, tmp_path: Path) -> TrackerApp:
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
    return TrackerApp(AppContext(db=None, data_dir=None), clock=lambda: NOW)


async def _triage_ready(pilot: Any) -> None:
    await settled(pilot)
    await pilot.press("enter")
    await settled(pilot)
    assert isinstance(pilot.app.screen, TriageScreen) and pilot.app.screen.result is not None


def test_dashboard_80x24(snap_compare: Any, app: TrackerApp) -> None:
    assert snap_compare(app, terminal_size=(80, 24), run_before=settled)


def test_dashboard_200x60(snap_compare: Any, app: TrackerApp) -> None:
    assert snap_compare(app, terminal_size=(200, 60), run_before=settled)


def test_triage_120x40(snap_compare: Any, app: TrackerApp) -> None:
    assert snap_compare(app, terminal_size=(120, 40), run_before=_triage_ready)


def test_decision_120x40(snap_compare: Any, app: TrackerApp) -> None:
    async def decide(pilot: Any) -> None:
        await _triage_ready(pilot)
        await pilot.press("d")
        await settled(pilot)

    assert snap_compare(app, terminal_size=(120, 40), run_before=decide)


def test_help_80x24(snap_compare: Any, app: TrackerApp) -> None:
    async def open_help(pilot: Any) -> None:
        await settled(pilot)
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_help)


def test_purge_120x40(snap_compare: Any, app: TrackerApp) -> None:
    async def open_purge(pilot: Any) -> None:
        from tracker.tui.screens.purge import PurgeScreen

        await settled(pilot)
        await pilot.press("b")
        await settled(pilot)
        await pilot.press("enter")
        await settled(pilot)
        assert isinstance(pilot.app.screen, PurgeScreen) and pilot.app.screen.plan is not None

    assert snap_compare(app, terminal_size=(120, 40), run_before=open_purge)
