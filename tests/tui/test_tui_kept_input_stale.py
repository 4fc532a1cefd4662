"""A draft is kept for the decision in force when it was typed: decided again since (from the shell, say), the reply
and the decision form drop it, saying so, rather than put back a letter or notes written for the earlier one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import write_png
from fixtures.tui import SIZE, candidates_loaded, make_app, settled, wait_for
from textual.screen import Screen
from textual.widgets import Static, TextArea

from tracker.tui.app import TrackerApp
from tracker.tui.screens.decision import DecisionScreen
from tracker.tui.screens.reply import ReplyScreen

pytestmark = pytest.mark.db

TXT2IMG = "a moth at dusk\nSteps: 20, Sampler: Euler, Seed: 1, Model: m"
"""Made from a text prompt alone: an independent-creation dispute of it is not refused."""
STALE = "What you typed for the earlier decision was dropped: the decision changed since"


@pytest.fixture
def decided(tracker: Tracker, tmp_path: Path) -> None:
    """Post #1 logged, complaint #1 naming it, decided (take down)."""
    image = write_png(tmp_path / "a.png", {"parameters": TXT2IMG})
    tracker("log", image, "--url", "https://www.pixiv.net/artworks/5", "--persona", "moth")
    tracker("complaint", "add", "--post", "1", "--name", "K", "--message", "Please remove it.")
    tracker("complaint", "decide", "1", "--action", "take_down", "--post", "1")


def drafts() -> Path:
    return Path(os.environ["TRACKER_DATA_DIR"]) / "drafts"


def said(app: TrackerApp) -> list[str]:
    return [n.message for n in app._notifications]


def shown(screen: Screen[object], selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def open_reply(app: TrackerApp, pilot) -> ReplyScreen:  # type: ignore[no-untyped-def]
    await settled(pilot)
    await app.push_screen(ReplyScreen(1))
    await settled(pilot)
    reply = app.screen
    assert isinstance(reply, ReplyScreen)
    return reply


async def open_decision(app: TrackerApp, pilot) -> DecisionScreen:  # type: ignore[no-untyped-def]
    await settled(pilot)
    app.open_complaint(1)
    await wait_for(pilot, lambda: candidates_loaded(app))
    await pilot.press("d")
    await pilot.pause()
    decision = app.screen
    assert isinstance(decision, DecisionScreen)
    return decision


async def test_a_reply_edited_for_a_take_down_is_dropped_once_the_owner_decided_to_dispute(
    decided: None, tracker: Tracker
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        reply = await open_reply(app, pilot)
        await pilot.press(*"EDITEDXYZ ")
        assert "EDITEDXYZ" in reply.text
        reply.keep_input()
        app.exit()  # the tracker killed with the letter edited
    kept = drafts() / f"reply-1-{reply.language}.json"
    assert kept.is_file()
    tracker("complaint", "decide", "1", "--action", "dispute", "--reason", "independent_creation", "--post", "1")

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        reply = await open_reply(app, pilot)
        await pilot.pause()
        assert "EDITEDXYZ" not in reply.text, "the take-down letter came back after deciding to dispute"
        assert not reply.has_unsaved_input()
        assert f"⚠ {STALE}" in shown(reply, "#reply-warnings")  # above the letter: no toast over the buttons
        assert not any(m.startswith("Restored") for m in said(app))
    assert not kept.exists()


async def test_the_reply_edited_for_the_decision_still_in_force_comes_back(decided: None) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        reply = await open_reply(app, pilot)
        await pilot.press(*"EDITEDXYZ ")
        reply.keep_input()
        app.exit()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        reply = await open_reply(app, pilot)
        await pilot.pause()
        assert "EDITEDXYZ" in reply.text and reply.has_unsaved_input()
        assert STALE not in shown(reply, "#reply-warnings")


async def test_decision_notes_typed_before_another_decision_was_recorded_are_dropped(
    decided: None, tracker: Tracker
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        decision = await open_decision(app, pilot)
        decision.query_one("#notes", TextArea).text = "revising the take-down: NOTESXYZ"
        decision.keep_input()
        app.exit()
    kept = drafts() / "decision-1.json"
    assert kept.is_file()
    tracker("complaint", "decide", "1", "--action", "dispute", "--reason", "independent_creation", "--post", "1")

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        decision = await open_decision(app, pilot)
        await pilot.pause()
        assert "NOTESXYZ" not in decision.query_one("#notes", TextArea).text
        assert shown(decision, "#decision-keys") == STALE  # beside the buttons
        assert not decision.has_unsaved_input()
    assert not kept.exists()
