"""The post page, driven as the owner would: Enter on a recent post, what the page says, Esc back."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing
from fixtures.imagefactory import FORGE_INFOTEXT, write_png
from fixtures.tui import SIZE, make_app, wait_for
from textual.widgets import DataTable, Static

from tracker.cli import AppContext
from tracker.complaints.complaint_input import ComplaintInput
from tracker.complaints.intake import add_complaint
from tracker.db.models import LegalBasis
from tracker.tui.app import TrackerApp
from tracker.tui.screens.dashboard import DashboardScreen
from tracker.tui.screens.post import PostScreen

pytestmark = pytest.mark.db


def url(n: int) -> str:
    return f"https://www.pixiv.net/artworks/{300000000 + n}"


@pytest.fixture
def archive(tracker: Tracker, tmp_path: Path) -> list[Path]:
    """Post #1 made with a model and LoRAs (the model's creator recorded) and named by complaint #1;
    posts #2-#3 plain drawings, #2 taken down since."""
    folder = tmp_path / "posted"
    folder.mkdir()
    made = write_png(folder / "forge.png", {"parameters": FORGE_INFOTEXT}, image=drawing(0))
    tracker("log", made, "--url", url(0), "--persona", "moth")
    paths = [made]
    for n in (1, 2):
        path = folder / f"scene{n}.png"
        drawing(n).save(path)
        tracker("log", path, "--url", url(n), "--persona", "moth")
        paths.append(path)
    tracker("resource", "set", "hassakuXL_v13", "--creator", "Ikena")
    tracker("post", "set", "2", "--status", "taken_down")
    context = AppContext(db=None, data_dir=None)
    naming = ComplaintInput(
        received_at=datetime.now(UTC), legal_basis=LegalBasis.DMCA, posts=[url(0)], complainant_name="A. Painter"
    )
    add_complaint(context.sessions(), context.settings, naming, context.platforms())
    return paths


def dashboard_loaded(app: TrackerApp) -> bool:
    return isinstance(app.screen, DashboardScreen) and app.screen.loaded


def page_loaded(app: TrackerApp) -> bool:
    return isinstance(app.screen, PostScreen) and app.screen.page is not None


def page_text(app: TrackerApp) -> str:
    return str(app.screen.query_one("#post-text", Static).render())


async def test_enter_on_a_recent_post_opens_its_page(archive: list[Path]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: dashboard_loaded(app))
        posts = app.screen.query_one("#posts", DataTable)
        await pilot.press("tab", "tab")
        assert app.screen.focused is posts
        assert posts.coordinate_to_cell_key((2, 0)).row_key.value == "post-1", "newest first"
        await pilot.press("j", "j", "enter")
        await wait_for(pilot, lambda: page_loaded(app))
        assert isinstance(app.screen, PostScreen) and app.screen.number == 1
        text = page_text(app)
        assert url(0) in text and "persona moth" in text and "platform pixiv" in text
        assert "model: hassakuXL_v13 [163ac69059]" in text and "by Ikena" in text
        assert "LoRA: shadow-circuit [88e247aa8c3d] x0.78" in text and "creator not recorded" in text
        assert "controlnet: canny" in text.lower() and "risk" in text
        assert "prompt: masterpiece" in text
        assert "Complaints about this post" in text and "#1 open  DMCA  received" in text
        assert "History" in text and "status: (none) -> live" in text
        assert "None" not in text, "no Python reprs"
        assert "Burn-down" not in text, "no burn-down started: nothing said"
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)


async def test_a_taken_down_post_says_so_in_words(archive: list[Path]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.open_post(2)
        await pilot.pause()
        await wait_for(pilot, lambda: page_loaded(app))
        text = page_text(app)
        assert "Post #2  taken down since" in text
        assert "status: live -> taken down" in text and "taken_down" not in text
        assert "Complaints about this post\nnone" in text
        assert "no generation metadata" in text


async def test_the_burn_down_mark_of_a_post(archive: list[Path], tracker: Tracker) -> None:
    tracker("purge", "plan", "moth", "--output", archive[0].parent / "plan.md")
    tracker("purge", "mark", "post:3", "skipped", "--persona", "moth", "--reason", "already gone")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.open_post(3)
        await pilot.pause()
        await wait_for(pilot, lambda: page_loaded(app))
        text = page_text(app)
        assert "The burn-down of persona moth started" in text
        assert "this post is skipped" in text and "reason: already gone" in text


async def test_a_missing_post_is_said_in_one_line(archive: list[Path]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.open_post(99)
        await pilot.pause()
        await wait_for(pilot, lambda: "Cannot show" in page_text(app))
        assert page_text(app) == "Cannot show post #99: no post '99'"
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)


async def test_the_page_fits_a_small_terminal(archive: list[Path]) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_post(1)
        await pilot.pause()
        await wait_for(pilot, lambda: page_loaded(app))
        await pilot.pause()
        screen = app.screen
        assert screen.has_class("-narrow"), "picture above the text under 100 columns"
        image = screen.query_one("#post-image")
        facts = screen.query_one("#post-facts")
        assert image.region.bottom <= facts.region.y and facts.region.height >= 8
        assert facts.region.right <= 80 and facts.max_scroll_y > 0, "the rest scrolls"
        await pilot.press("j")
        await pilot.pause()
        assert facts.scroll_y > 0


async def test_a_photo_stored_sideways_is_given_the_size_it_is_shown_at(archive: list[Path], tracker: Tracker) -> None:
    """A phone JPEG stored 384x512 with EXIF Orientation 6 shows 512x384 everywhere: the page says both, as
    `tracker show` does, and the picture's caption too."""
    from matching.test_exif_orientation import sideways

    phone = archive[0].parent / "phone.jpg"
    sideways(phone)
    tracker("log", phone, "--url", url(3), "--persona", "moth")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.open_post(4)
        await pilot.pause()
        await wait_for(pilot, lambda: page_loaded(app))
        assert "phone.jpg  JPEG 512x384 (stored 384x512, EXIF-rotated)" in page_text(app)
        caption = str(app.screen.query_one("#post-image .preview-caption", Static).render())
        assert caption == "phone.jpg  512x384 (stored 384x512, EXIF-rotated)"


async def test_the_history_shows_every_correction_as_tracker_show_does(
    archive: list[Path], tracker: Tracker, tmp_path: Path
) -> None:
    """A corrected URL, account, image, a move to another persona and a title written as markup: the page's
    history says each in the words `tracker show` prints, one change a line, the markup shown as typed."""
    other = tmp_path / "other.png"
    drawing(7).save(other)
    tracker("log", tmp_path / "posted" / "scene1.png", "--url", "https://www.pixiv.net/artworks/9", "--persona", "kite")
    old = tracker.json("show", "3")["image"]["sha256"]
    tracker("post", "set", "3", "--url", url(33))
    tracker("post", "set", "3", "--image", other)
    tracker("post", "set", "3", "--persona", "kite", "--title", "[bold red]x[/bold red]")
    tracker("post", "set", "3", "--account", "kite_pixiv")
    new = tracker.json("show", "3")["image"]["sha256"]
    said = [
        f'url: "{url(2)}" -> "{url(33)}"',
        'account: "pixiv (handle unknown)" -> "pixiv kite_pixiv"',
        f"image sha256: {old[:16]} -> {new[:16]}",
        'persona: "moth" -> "kite"',
        'title: (none) -> "[bold red]x[/bold red]"',
    ]
    shown = tracker("show", "3").stdout
    assert all(words in shown for words in said), shown
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_post(3)
        await pilot.pause()
        await wait_for(pilot, lambda: page_loaded(app))
        lines = page_text(app).split("History", 1)[1].splitlines()
        for words in said:
            assert f"  {words}" in lines, words


async def test_a_posts_further_pages_are_listed_with_their_archived_files(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    """pixiv's `_p1` is the post's too (a scrub deletes it): the page names it and its archived file, as
    `tracker show` does, and at 80x24 the page scrolls down to it."""
    from posts.test_post_pages import pixiv_pages

    second = pixiv_pages(tmp_path / "imp" / "pixiv")[1]
    tracker("import", tmp_path / "imp", "--persona", "moth")
    image = tracker.json("show", "1")["image"]
    sha = hashlib.sha256(second.read_bytes()).hexdigest()
    archived = image["archive_file"].removesuffix(image["archive_path"]) + f"{sha[:2]}/{sha}.png"
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_post(1)
        await pilot.pause()
        await wait_for(pilot, lambda: page_loaded(app))
        await pilot.pause()
        text = page_text(app)
        assert "\nimage 777_p0.png" in text and "\npage 2 777_p1.png  sha256 " in text, text
        assert f"\n  archived {archived}" in text, text
        facts = app.screen.query_one("#post-facts")
        assert facts.region.right <= 80 and facts.max_scroll_y > 0, "the rest scrolls"


async def test_a_post_logged_after_it_was_posted_is_live_since_it_was_posted(tracker: Tracker, tmp_path: Path) -> None:
    """Posted on 1 November and logged today: the page says it is live since 1 November (as the dashboard lists
    it), not since today, when tracker merely learnt of it."""
    drawing(4).save(tmp_path / "late.png")
    tracker("log", tmp_path / "late.png", "--url", url(7), "--persona", "moth", "--posted-at", "2026-11-01T10:00:00Z")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.open_post(1)
        await pilot.pause()
        await wait_for(pilot, lambda: page_loaded(app))
        first = page_text(app).splitlines()[0]
        assert first.startswith("Post #1  live since 2026-11-01"), first
