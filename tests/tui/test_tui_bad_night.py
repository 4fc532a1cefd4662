"""The night before a deadline, over SSH in an 80x24 terminal: a Japanese complaint due tomorrow is read, compared
with the post, decided and answered. Each test reads what the screen draws.

- A deadline tomorrow says "due tomorrow" on the dashboard and the complaint's screen, as the banner and
  `tracker status` say it: no date to work out at 2 a.m.
- The candidate's post page (its prompt, settings and history: what a copyright complaint is judged on) opens
  from the complaint's screen with Enter, and Esc comes back to the complaint.
- The help says how to close it and scroll it on its first screen.
- Over SSH (no desktop), `v` puts the archived picture's path on the clipboard as well as in a toast that stays long
  enough to read: at 80 columns the path wraps over three lines of a toast gone in five seconds.
- A sentence for the complainant typed for a dispute, which the record refuses ("... or take it down"), is said
  above the buttons when the owner then chooses take down: it would go into the take-down letter unread.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing
from fixtures.imagefactory import write_png
from fixtures.tui import candidates_loaded, make_app, screen_lines, settled, wait_for
from textual.widgets import Select, Static, TextArea

from tracker.tui.app import TrackerApp
from tracker.tui.screens.dashboard import DashboardScreen
from tracker.tui.screens.decision import DecisionScreen
from tracker.tui.screens.help import HelpScreen
from tracker.tui.screens.post import PostScreen
from tracker.tui.screens.triage import TriageScreen

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("tokyo_time")]  # local time is Japan's (tests/conftest.py)

SMALL = (80, 24)
NOW = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)
"""10:00 on 3 December in Tokyo: tomorrow is the 4th."""

PROMPT = "1girl, paper lantern, night, in the style of tsukiyo_artist"
PARAMETERS = (
    f"{PROMPT}\nNegative prompt: lowres\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 42, Size: 64x64, "
    "Model hash: 67ab2fd8ec, Model: animagineXL_v31, Version: v1.9.4"
)


def drawn(app: TrackerApp) -> str:
    return "\n".join(screen_lines(app))


@pytest.fixture
def posted(tracker: Tracker, tmp_path: Path) -> Tracker:
    """Post #1, with a prompt, and its picture cropped and scaled: what the complainant sent."""
    post = tmp_path / "lantern.png"
    pixels = drawing(0)
    write_png(post, {"parameters": PARAMETERS}, image=pixels)
    tracker("log", post, "--url", "https://www.pixiv.net/artworks/130000001", "--persona", "moth")
    theirs = tmp_path / "theirs.png"
    width, height = pixels.size
    pixels.crop((width // 10, height // 10, width * 9 // 10, height * 9 // 10)).resize((180, 180)).save(theirs)
    message = "佐藤美咲と申します。私の作品「月夜のランタン」を無断で使用した画像の削除をお願いいたします。"
    tracker(
        "complaint", "add", "--image", theirs, "--post", "1", "--name", "佐藤美咲", "--message", message,
        "--received", "2026-12-03T09:00:00+09:00", "--deadline", "2026-12-04T17:00:00+09:00",
    )  # fmt: skip
    tracker("complaint", "add", "--post", "1", "--received", "2026-12-03T09:00:00+09:00", "--deadline", "2026-12-04")
    return tracker


async def test_a_deadline_tomorrow_says_tomorrow_on_the_dashboard_and_the_complaints_screen(posted: Tracker) -> None:
    app = make_app(NOW)
    async with app.run_test(size=SMALL) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen) and app.screen.loaded)
        await settled(pilot)
        lines = screen_lines(app)
        timed = next(line for line in lines if line.strip().startswith("#1 "))
        day_only = next(line for line in lines if line.strip().startswith("#2 "))
        assert "due tomorrow 17:00" in timed, timed
        assert "due tomorrow" in day_only and "17:00" not in day_only, day_only

        app.open_complaint(1)
        await wait_for(pilot, lambda: candidates_loaded(app))
        await settled(pilot)
        shown = drawn(app)
        assert "Complaint #1 — due tomorrow 17:00 JST" in shown, shown
        assert "Complaint #1  due tomorrow 17:00 JST" in shown, shown


async def test_enter_on_a_candidate_opens_its_posts_page_with_the_prompt_and_esc_comes_back(posted: Tracker) -> None:
    app = make_app(NOW)
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot)
        app.open_complaint(1)
        await wait_for(pilot, lambda: candidates_loaded(app))
        await settled(pilot)
        triage = app.screen
        assert isinstance(triage, TriageScreen)
        evidence = str(triage.query_one("#facts-text").content)
        assert "Enter: post #1's page (its prompt, settings and history)" in evidence, evidence
        assert PROMPT not in evidence, "the evidence pane leaves the prompt to the post's page"

        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PostScreen))
        await settled(pilot)
        assert "in the style of tsukiyo_artist" in str(app.screen.query_one("#post-text").render())

        await pilot.press("escape")
        await settled(pilot)
        assert app.screen is triage, "Esc comes back to the complaint"


async def test_the_help_says_how_to_scroll_and_close_it_on_its_first_screen_at_80x24(posted: Tracker) -> None:
    app = make_app(NOW)
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot)
        await pilot.press("f1")
        await settled(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert any("PgUp/PgDn scroll · Esc or q close" in line for line in screen_lines(app)), drawn(app)
        await pilot.press("pagedown", "pagedown")
        await settled(pilot)
        assert any("Esc or q close" in line for line in screen_lines(app)), "still said once scrolled"
        await pilot.press("q")
        await settled(pilot)
        assert isinstance(app.screen, DashboardScreen)


DISPUTE_NOTE = "当該画像は私自身のプロンプトから生成したもので、ご作品を参照したものではございません。"


def moved_line(form: DecisionScreen) -> str:
    line = form.query_one("#reply-note-moved", Static)
    return " ".join(str(line.render()).split()) if line.display else ""


async def test_a_sentence_typed_for_a_dispute_is_said_above_the_buttons_when_take_down_is_chosen(
    posted: Tracker, tmp_path: Path
) -> None:
    img2img = PARAMETERS.replace("Version:", "Denoising strength: 0.5, Version:")
    write_png(tmp_path / "img2img.png", {"parameters": img2img}, image=drawing(3))
    posted("log", tmp_path / "img2img.png", "--url", "https://www.pixiv.net/artworks/130000002")
    posted("complaint", "add", "--post", "2", "--name", "佐藤美咲", "--message", "削除をお願いいたします。")
    app = make_app(NOW)
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot)
        app.open_complaint(3)
        await wait_for(pilot, lambda: candidates_loaded(app))
        await settled(pilot)
        await pilot.press("d")
        await settled(pilot)
        form = app.screen
        assert isinstance(form, DecisionScreen)
        form.query_one("#action-dispute").value = True
        form.query_one("#reason", Select).value = "independent_creation"
        form.query_one("#reply-note", TextArea).text = DISPUTE_NOTE
        await settled(pilot)
        assert moved_line(form) == "", "typed for the action chosen: nothing to say"
        await pilot.press("ctrl+s")
        await settled(pilot)
        assert isinstance(app.screen, DecisionScreen), "refused: the post was made with img2img"
        assert "or take it down" in str(form.query_one("#decision-error", Static).render())

        form.query_one("#action-take_down").value = True  # as the refusal suggests; the sentence is below the fold
        await settled(pilot)
        said = moved_line(form)
        assert 'written for "dispute": it goes into the letter for "take down" as it stands' in said, said
        assert any("Your sentence for the complainant" in line for line in screen_lines(app)), "\n".join(
            screen_lines(app)
        )
        assert form.query_one("#reply-note", TextArea).text == DISPUTE_NOTE, "the owner's sentence stays theirs"

        form.query_one("#reply-note", TextArea).text = "ご指摘を受け、投稿を削除いたしました。"
        await settled(pilot)
        assert moved_line(form) == "", "written again for the take-down: nothing to say"


async def test_v_over_ssh_copies_the_pictures_path_and_keeps_saying_it(
    posted: Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("SSH_CONNECTION", "192.0.2.1 50000 192.0.2.2 22")
    app = make_app(NOW)
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot)
        app.open_complaint(1)
        await wait_for(pilot, lambda: candidates_loaded(app))
        await settled(pilot)
        triage = app.screen
        assert isinstance(triage, TriageScreen)
        await wait_for(pilot, lambda: triage._shown["candidate"] is not None)
        await pilot.press("v")
        await pilot.pause()
        path = str(triage._shown["candidate"])
        assert app.clipboard == path, "the path is on the clipboard, for scp"
        [toast] = [n for n in app._notifications if "no desktop" in n.message]
        assert path in toast.message and "copied to the clipboard" in toast.message
        assert toast.timeout >= 20, "it stays long enough to read a path wrapped over three lines"
