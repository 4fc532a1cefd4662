"""The TUI driven headlessly, as the owner would: intake, triage, decision, reply, overdue count."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing
from fixtures.tui import SIZE, candidates_loaded, make_app, settled, wait_for
from sqlalchemy import select
from textual.widgets import DataTable, Select, Static

from tracker.cli import AppContext
from tracker.complaints.complaint_input import ComplaintInput
from tracker.complaints.intake import add_complaint
from tracker.db.models import Complaint, ComplaintStatus, Decision, Event, LegalBasis, Post, PostStatus
from tracker.demo import complainant_copy
from tracker.tui.app import TrackerApp
from tracker.tui.screens.dashboard import DashboardScreen
from tracker.tui.screens.decision import DecisionScreen
from tracker.tui.screens.guard import ConfirmScreen
from tracker.tui.screens.intake import IntakeScreen
from tracker.tui.screens.reply import ReplyScreen
from tracker.tui.screens.triage import TriageScreen

pytestmark = pytest.mark.db


def url(n: int) -> str:
    return f"https://www.pixiv.net/artworks/{300000000 + n}"


@pytest.fixture
def posted(tracker: Tracker, tmp_path: Path) -> list[Path]:
    """Four distinct drawings logged as pixiv posts #1-#4 of persona moth."""
    folder = tmp_path / "posted"
    folder.mkdir()
    paths = []
    for n in range(4):
        path = folder / f"scene{n}.png"
        drawing(n).save(path)
        tracker("log", path, "--url", url(n), "--persona", "moth")
        paths.append(path)
    return paths


def dashboard_loaded(app: TrackerApp) -> bool:
    return isinstance(app.screen, DashboardScreen) and app.screen.loaded


async def test_complaint_logged_in_the_form_is_triaged_and_taken_down(posted: list[Path], tmp_path: Path) -> None:
    theirs = complainant_copy(posted[2], tmp_path / "their-work.jpg")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("n")
        assert isinstance(app.screen, IntakeScreen)
        form = app.screen
        form.query_one("#images").value = str(theirs)
        form.query_one("#name").value = "A. Painter"
        form.query_one("#work-title").value = "Lighthouse study"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: candidates_loaded(app))
        screen = app.screen
        assert isinstance(screen, TriageScreen)
        table = screen.query_one("#candidates", DataTable)
        assert table.row_count >= 1
        first = table.coordinate_to_cell_key((0, 0)).row_key.value
        assert first == "image-3", "the image of the post whose crop was sent must rank first"
        assert screen.result is not None and screen.result.candidates[0].match == "region"
        assert screen.result.candidates[0].kind == "post" and screen.result.candidates[0].post_ids == [3]
        await wait_for(pilot, lambda: "post #3" in str(screen.query_one("#facts-text", Static).content))
        facts = str(screen.query_one("#facts-text", Static).content)
        assert "post #3" in facts and "score" in facts and url(2) in facts
        await pilot.press("t")
        assert isinstance(app.screen, DecisionScreen)
        await pilot.click("#save")
        await pilot.pause()
        assert isinstance(app.screen, TriageScreen)
        await settled(pilot)
        with app.factory() as session:
            assert session.get(Post, 3).status is PostStatus.LIVE, "removed only once the owner confirms"
        assert "to remove: #3" in str(screen.query_one("#summary-text", Static).render())
        await pilot.press("c")  # one key by mistake records nothing: it asks first
        assert isinstance(app.screen, ConfirmScreen) and "post #3 as removed?" in str(
            app.screen.query_one("#confirm-question", Static).render()
        )
        said = str(app.screen.query_one("#confirm-question", Static).render())
        assert "deleted it on the platform" in said, "one post: it, not them"
        assert "y: yes · n or Esc: no" in str(app.screen.query_one(".hint", Static).render()), "its keys are said"
        await pilot.press("n")
        await settled(pilot)
        with app.factory() as session:
            assert session.get(Post, 3).status is PostStatus.LIVE
        await pilot.press("c", "y")
        await settled(pilot)
        assert "to remove" not in str(screen.query_one("#summary-text", Static).render())
    with app.factory() as session:
        complaint = session.scalars(select(Complaint)).one()
        decision = session.scalars(select(Decision)).one()
        assert decision.action.value == "take_down" and decision.post_ids == [3]
        assert complaint.status is ComplaintStatus.DECIDED and complaint.complainant_name == "A. Painter"
        assert session.get(Post, 3).status is PostStatus.TAKEN_DOWN
        assert session.get(Post, 1).status is PostStatus.LIVE
        events = {(e.entity, e.action) for e in session.scalars(select(Event).where(Event.command.like("complaint%")))}
        assert {("complaint", "create"), ("complaint_image", "create"), ("decision", "create")} <= events
        assert ("post", "update") in events and ("complaint", "update") in events


async def test_bad_intake_is_told_plainly_and_nothing_is_kept(posted: list[Path], tmp_path: Path) -> None:
    not_an_image = tmp_path / "notes.txt"
    not_an_image.write_text("hello")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        form = app.screen
        form.query_one("#images").value = str(not_an_image)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "Not saved" in str(form.query_one("#intake-error", Static).render()))
        assert "not an image" in str(form.query_one("#intake-error", Static).render())
        form.query_one("#images").value = ""
        form.query_one("#posts").value = "https://www.pixiv.net/artworks/999"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "matches no logged post" in str(form.query_one("#intake-error", Static).render()))
        assert isinstance(app.screen, IntakeScreen)
    with app.factory() as session:
        assert session.scalars(select(Complaint)).all() == []


async def test_dispute_revision_and_the_overdue_count(posted: list[Path]) -> None:
    now = datetime.now(UTC)
    context = AppContext(db=None, data_dir=None)
    old = ComplaintInput(
        received_at=now - timedelta(days=30), legal_basis=LegalBasis.JAPAN, posts=[url(1)], complainant_name="K"
    )
    fresh = ComplaintInput(received_at=now - timedelta(days=1), legal_basis=LegalBasis.DSA, posts=[url(0)])
    late = add_complaint(context.sessions(), context.settings, old, context.platforms())
    add_complaint(context.sessions(), context.settings, fresh, context.platforms())
    app = make_app(now)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: dashboard_loaded(app))
        banner = str(app.screen.query_one("#banner", Static).render())
        assert "1 complaint OVERDUE, 2 unanswered" in banner
        assert "OVERDUE" in (app.sub_title or "")
        table = app.screen.query_one("#complaints", DataTable)
        assert table.coordinate_to_cell_key((0, 0)).row_key.value == str(late), "overdue first"
        await pilot.press("enter")
        await wait_for(pilot, lambda: candidates_loaded(app))
        await pilot.press("d")
        decision = app.screen
        assert isinstance(decision, DecisionScreen)
        await pilot.click("#action-dispute")
        decision.query_one("#reason", Select).value = "small_part"
        decision.query_one("#notes").text = "Only the sky resembles theirs."
        await pilot.click("#save")
        await pilot.pause()
        assert isinstance(app.screen, TriageScreen)
        await settled(pilot)
        summary = str(app.screen.query_one("#summary-text", Static).render())
        assert "dispute (only a small part resembles)" in summary
        await pilot.press("d")
        assert "revises decision" in str(app.screen.query_one("Label").render())
        await pilot.click("#action-ask_info")
        await pilot.click("#save")
        await settled(pilot)
        await pilot.press("p")
        assert isinstance(app.screen, ReplyScreen)
        await settled(pilot)
        reply = app.screen.query_one("#reply").text
        assert "Dear K," in reply and url(1) in reply
        await pilot.press("f3")
        await pilot.pause()
        await pilot.press("enter")  # Mark answered, in the question F3 asks
        await pilot.pause()
        await pilot.press("escape")
        await settled(pilot)
        assert isinstance(app.screen, DashboardScreen)
        banner = str(app.screen.query_one("#banner", Static).render())
        assert "1 complaint unanswered, none overdue" in banner
    with app.factory() as session:
        decisions = session.scalars(select(Decision).where(Decision.complaint_id == late).order_by(Decision.id)).all()
        assert [d.action.value for d in decisions] == ["dispute", "ask_info"]
        assert decisions[0].reason is not None and decisions[0].reason.value == "small_part"
        assert decisions[1].supersedes_id == decisions[0].id
        complaint = session.get(Complaint, late)
        assert complaint.status is ComplaintStatus.ANSWERED and "Dear K," in (complaint.reply_text or "")
        assert session.get(Post, 2).status is PostStatus.LIVE


async def test_help_palette_and_markup_in_metadata(posted: list[Path]) -> None:
    context = AppContext(db=None, data_dir=None)
    hostile = ComplaintInput(
        received_at=datetime.now(UTC),
        complainant_name="[bold red]Boss[/] \x1b[31m",
        claimed_title="[link=https://evil.example]click[/link] \x1b]8;;https://evil.example\x07here\x1b]8;;\x07",
        message="[@click=app.quit]quit[/] $(rm -rf ~)",
        posts=[url(0)],
    )
    add_complaint(context.sessions(), context.settings, hostile, context.platforms())
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        assert app.screen.__class__.__name__ == "HelpScreen"
        await pilot.press("escape")
        await pilot.press("j", "k", "enter")
        await wait_for(pilot, lambda: candidates_loaded(app))
        summary = str(app.screen.query_one("#summary-text", Static).render())
        assert "[bold red]Boss[/]" in summary and "\x1b" not in summary
        assert "[link=https://evil.example]click[/link]" in summary and "[@click=app.quit]quit[/]" in summary
        assert isinstance(app.screen, TriageScreen), "a markup action in metadata must not run"
