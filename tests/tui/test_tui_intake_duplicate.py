"""The New complaint form asks before logging a message a complaint already holds, as `complaint add` refuses it.

The owner logged a DMCA notice with `tracker complaint add --from dmca.eml`; later, in the TUI, they name
the same file again (`n`, the path, Ctrl+R, Ctrl+S). Saving asks whether to log it again, naming the
complaint that holds it; Enter keeps it out (nothing logged, the form as typed), `y` logs it as a new one.
A new message from the sender of an earlier complaint about the same post is logged, and the form says
where it may belong (`tracker complaint message`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing
from fixtures.mail import dmca_notice
from fixtures.tui import make_app, settled, wait_for
from textual.widgets import Input, Static

from tracker.tui.app import TrackerApp
from tracker.tui.screens.guard import ConfirmScreen
from tracker.tui.screens.intake import IntakeScreen
from tracker.tui.screens.triage import TriageScreen

pytestmark = [pytest.mark.db]

NOW = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)


@pytest.fixture
def logged_once(tracker: Tracker, tmp_path: Path) -> Path:
    """`dmca.eml`, already logged as complaint #1 by `complaint add --from`."""
    path = tmp_path / "dmca.eml"
    path.write_bytes(dmca_notice())
    assert tracker.json("complaint", "add", "--from", str(path))["id"] == 1
    return path


async def read_and_save(app: TrackerApp, pilot: Any, path: Path) -> IntakeScreen:
    """Open the form, name the file, read it (Ctrl+R) and press Ctrl+S, as the owner would."""
    await settled(pilot)
    await pilot.press("n")
    await settled(pilot)
    form = app.screen
    assert isinstance(form, IntakeScreen)
    form.query_one("#from-file", Input).value = str(path)
    await pilot.press("ctrl+r")
    await settled(pilot)
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
    return form


def question(app: TrackerApp) -> str:
    return str(app.screen.query_one("#confirm-question", Static).render())


async def test_saving_a_message_already_logged_asks_and_enter_logs_nothing(tracker: Tracker, logged_once: Path) -> None:
    app = make_app(NOW)
    async with app.run_test() as pilot:
        form = await read_and_save(app, pilot, logged_once)
        assert "Complaint #1 already holds this message" in question(app)
        await pilot.press("enter")  # the highlighted answer: don't log
        await settled(pilot)
        assert app.screen is form, "the form stays, with everything typed"
        assert form.query_one("#from-file", Input).value == str(logged_once)
        said = str(form.query_one("#intake-error", Static).render())
        assert said == "Not saved: complaint #1 already holds this message: nothing logged", said
    assert [c["id"] for c in tracker.json("complaint", "list")] == [1]


async def test_saying_yes_logs_it_again_as_a_new_complaint(tracker: Tracker, logged_once: Path) -> None:
    app = make_app(NOW)
    async with app.run_test() as pilot:
        await read_and_save(app, pilot, logged_once)
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, TriageScreen))
        await settled(pilot)
    assert [c["id"] for c in tracker.json("complaint", "list")] == [1, 2]
    assert tracker.json("complaint", "show", "2")["message"] == tracker.json("complaint", "show", "1")["message"]


async def test_a_message_from_the_sender_of_an_earlier_complaint_about_the_post_says_so(
    tracker: Tracker, tmp_path: Path
) -> None:
    image = tmp_path / "scene.png"
    drawing(1).save(image)
    tracker("log", image, "--url", "https://www.pixiv.net/artworks/123456", "--persona", "moth")
    tracker("complaint", "add", "--name", "Jane Doe", "--post", "1", "--message", "Please remove post 1.")
    path = tmp_path / "dmca.eml"
    path.write_bytes(dmca_notice())  # from Jane Doe, naming https://www.pixiv.net/artworks/123456
    app = make_app(NOW)
    async with app.run_test() as pilot:
        await settled(pilot)
        await pilot.press("n")
        await settled(pilot)
        app.screen.query_one("#from-file", Input).value = str(path)
        await pilot.press("ctrl+r")
        await settled(pilot)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, TriageScreen))
        await settled(pilot)
        said = [n.message for n in app._notifications]
    assert (
        "Complaint #1 from the same sender names post #1 too: a follow-up? Keep its message there "
        "(tracker complaint message 1 --from FILE) and close #2 (tracker complaint close 2 --duplicate-of 1)."
    ) in said, said
    assert sorted(c["id"] for c in tracker.json("complaint", "list")) == [1, 2], "a hint, never a refusal"
