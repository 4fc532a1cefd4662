"""Finding things, driven as the owner would: the dashboard's filter and sort, opening a complaint or a
post by number or URL (keys and command palette), matching an image file."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing
from fixtures.tui import SIZE, candidates_loaded, make_app, settled, wait_for
from PIL import Image
from textual.command import CommandPalette
from textual.widgets import DataTable, Input, Static

from tracker.cli import AppContext
from tracker.complaints.complaint_input import ComplaintInput
from tracker.complaints.intake import add_complaint
from tracker.db.models import LegalBasis
from tracker.tui.app import TrackerApp
from tracker.tui.screens.dashboard import DashboardScreen
from tracker.tui.screens.find import FindScreen, MatchScreen, complaint_number, typed_number, typed_path
from tracker.tui.screens.post import PostScreen
from tracker.tui.screens.triage import TriageScreen

pytestmark = pytest.mark.db


def url(n: int) -> str:
    return f"https://www.pixiv.net/artworks/{300000000 + n}"


@pytest.fixture
def posted(tracker: Tracker, tmp_path: Path) -> list[Path]:
    """Posts #1-#3 of persona moth and #4 of persona wren; complaint #1 (from K) names post #2."""
    folder = tmp_path / "posted"
    folder.mkdir()
    paths = []
    for n in range(4):
        path = folder / f"scene{n}.png"
        drawing(n).save(path)
        tracker("log", path, "--url", url(n), "--persona", "wren" if n == 3 else "moth")
        paths.append(path)
    context = AppContext(db=None, data_dir=None)
    complaint = ComplaintInput(
        received_at=datetime.now(UTC), legal_basis=LegalBasis.DSA, posts=[url(1)], complainant_name="K"
    )
    add_complaint(context.sessions(), context.settings, complaint, context.platforms())
    return paths


def dashboard_loaded(app: TrackerApp) -> bool:
    return isinstance(app.screen, DashboardScreen) and app.screen.loaded


def keys(table: DataTable) -> list[str | None]:  # type: ignore[type-arg]
    return [row.key.value for row in table.ordered_rows]


def counts(screen: DashboardScreen) -> list[int]:
    return [screen.query_one(f"#{t}", DataTable).row_count for t in ("complaints", "done", "posts")]


async def test_slash_filters_every_table_and_escape_restores_them(posted: list[Path]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: dashboard_loaded(app))
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        assert counts(screen) == [1, 0, 4]
        await pilot.press("slash")
        field = screen.query_one("#filter", Input)
        assert field.has_focus and field.display
        await pilot.press(*"WREN")
        assert counts(screen) == [0, 0, 1], "case ignored; complaints filtered too"
        assert keys(screen.query_one("#posts", DataTable)) == ["post-4"]
        assert "posts 1/4" in str(screen.query_one("#filter-count", Static).render())
        await pilot.press("escape")
        assert counts(screen) == [1, 0, 4] and field.value == ""
        assert not screen.query_one("#filter-bar").has_class("-open")
        assert screen.focused is screen.query_one("#complaints", DataTable)
        await pilot.press("slash", *"300000001")  # a part of the URL: the row of post #2
        assert counts(screen) == [0, 0, 1]
        await pilot.press("enter")  # to the table with rows left; the filter stays
        assert screen.focused is screen.query_one("#posts", DataTable)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PostScreen) and app.screen.page is not None)
        assert app.screen.number == 2
        await pilot.press("escape")
        await settled(pilot)
        assert counts(screen) == [0, 0, 1], "the filter holds across a reload"
        await pilot.press("escape")
        assert counts(screen) == [1, 0, 4]


async def test_letters_typed_in_the_filter_are_text_not_keys(posted: list[Path]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: dashboard_loaded(app))
        await pilot.press("slash", *"smog nq")
        assert isinstance(app.screen, DashboardScreen) and app.return_code is None
        assert app.screen.query_one("#filter", Input).value == "smog nq"


async def test_s_sorts_the_focused_table_and_shift_s_reverses(posted: list[Path]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: dashboard_loaded(app))
        screen = app.screen
        posts = screen.query_one("#posts", DataTable)
        await pilot.press("tab", "tab")
        assert keys(posts) == ["post-4", "post-3", "post-2", "post-1"], "newest first, as read"
        await pilot.press("s")
        assert keys(posts) == ["post-1", "post-2", "post-3", "post-4"], "by number"
        assert posts.ordered_columns[0].label.plain == "# ▲"
        await pilot.press("S")
        assert keys(posts) == ["post-4", "post-3", "post-2", "post-1"]
        assert posts.ordered_columns[0].label.plain == "# ▼"
        await pilot.press("s", "s")  # posted (all the same day), then persona
        assert keys(posts)[-1] == "post-4", "moth before wren"
        assert posts.ordered_columns[2].label.plain == "persona ▲"
        await pilot.press(*"ssss")  # platform, status, url, then back to the order as read
        assert keys(posts) == ["post-4", "post-3", "post-2", "post-1"]
        assert [c.label.plain for c in posts.ordered_columns] == ["#", "posted", "persona", "platform", "status", "url"]


async def test_sorting_while_loading_keeps_the_placeholder(posted: list[Path]) -> None:
    opened = threading.Event()  # the archive opens only once the keys are pressed
    app = TrackerApp(AppContext(db=None, data_dir=None), prepare=lambda: opened.wait(15))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, DashboardScreen) and not screen.loaded
        await pilot.press("s", "S")
        complaints = screen.query_one("#complaints", DataTable)
        assert not screen.loaded and keys(complaints) == ["loading"]
        opened.set()
        await wait_for(pilot, lambda: dashboard_loaded(app))
        assert keys(complaints) == ["1"]
        assert complaints.ordered_columns[0].label.plain == "# ▼"


async def test_o_opens_a_complaint_by_number_and_says_when_there_is_none(posted: list[Path]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: dashboard_loaded(app))
        await pilot.press("o")
        assert isinstance(app.screen, FindScreen)
        await pilot.press(*"99", "enter")
        error = app.screen.query_one("#find-error", Static)
        await wait_for(pilot, lambda: "no complaint #99" in str(error.render()))
        assert str(error.render()) == "no complaint #99" and isinstance(app.screen, FindScreen)
        field = app.screen.query_one("#find-input", Input)
        field.value = "twelve"
        await pilot.press("enter")
        await wait_for(pilot, lambda: "not a complaint number" in str(error.render()))
        field.value = "#1"
        await pilot.press("enter")
        await wait_for(pilot, lambda: candidates_loaded(app))
        assert isinstance(app.screen, TriageScreen) and app.screen.number == 1
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("o", "escape")
        assert isinstance(app.screen, DashboardScreen)


async def test_g_opens_a_post_by_url_or_number(posted: list[Path]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: dashboard_loaded(app))
        await pilot.press("g")
        assert isinstance(app.screen, FindScreen)
        # Another spelling of post #3's URL: resolved as `tracker show URL` resolves it.
        await pilot.press(*"http://pixiv.net/en/artworks/300000002", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PostScreen) and app.screen.page is not None)
        assert app.screen.number == 3
        assert url(2) in str(app.screen.query_one("#post-text", Static).render())
        await pilot.press("escape", "g", *"https://example.com/nothing", "enter")
        error = app.screen.query_one("#find-error", Static)
        await wait_for(pilot, lambda: "no post" in str(error.render()))
        assert str(error.render()) == "no post 'https://example.com/nothing'"
        app.screen.query_one("#find-input", Input).value = "4"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PostScreen) and app.screen.page is not None)
        assert app.screen.number == 4


async def palette_run(pilot, title: str) -> None:  # type: ignore[no-untyped-def]
    """Run a command of the palette by typing its title and pressing Enter on the first hit."""
    app = pilot.app
    await pilot.press("ctrl+p")
    await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
    await pilot.press(*title)
    await wait_for(pilot, lambda: app.screen.query_one("CommandList").option_count > 0)
    await pilot.press("down", "enter")


async def test_the_palette_opens_complaints_posts_and_the_matcher(posted: list[Path]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: dashboard_loaded(app))
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for title in ("Open complaint…", "Open post…", "Match an image file…", "Burn-down plan", "New complaint"):
            assert title in titles
        await palette_run(pilot, "Open post")
        await wait_for(pilot, lambda: isinstance(app.screen, FindScreen))
        assert app.screen.kind == "post"
        await pilot.press(*url(0), "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PostScreen) and app.screen.page is not None)
        assert app.screen.number == 1
        await palette_run(pilot, "Open complaint")
        await wait_for(pilot, lambda: isinstance(app.screen, FindScreen))
        assert app.screen.kind == "complaint"
        await pilot.press("1", "enter")
        await wait_for(pilot, lambda: candidates_loaded(app))
        await palette_run(pilot, "Match an image")
        await wait_for(pilot, lambda: isinstance(app.screen, MatchScreen))


async def test_m_matches_an_image_file_and_opens_the_post_it_shows(posted: list[Path], tmp_path: Path) -> None:
    copy = tmp_path / "their copy.jpg"
    drawing(2).resize((200, 150)).convert("RGB").save(copy, quality=80)
    not_an_image = tmp_path / "notes.txt"
    not_an_image.write_text("hello")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: dashboard_loaded(app))
        await pilot.press("m")
        screen = app.screen
        assert isinstance(screen, MatchScreen)
        status = screen.query_one("#match-status", Static)
        screen.query_one("#match-path", Input).value = str(not_an_image)
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.results is None and status.has_class("error"))
        assert "notes.txt" in str(status.render()) and "\n" not in str(status.render())
        screen.query_one("#match-path", Input).value = f"'{copy}'"  # as a terminal drops a file
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.results is not None)
        table = screen.query_one("#matches", DataTable)
        assert keys(table)[0] == "post-3", "the resized copy of post #3's picture ranks first"
        assert "best first" in str(status.render())
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PostScreen) and app.screen.page is not None)
        assert app.screen.number == 3
        await pilot.press("escape")
        assert app.screen is screen, "back to the results"
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)


def test_what_the_dialogs_understand(tmp_path: Path) -> None:
    assert complaint_number(" #12 ") == 12
    with pytest.raises(Exception, match="not a complaint number"):
        complaint_number("12a")
    with pytest.raises(Exception, match="no complaint"):
        complaint_number("9" * 30)
    spaced = tmp_path / "a b.png"
    spaced.write_bytes(b"")
    assert typed_path(f'"{spaced}"') == spaced
    assert typed_path(str(spaced).replace(" ", "\\ ")) == spaced
    assert typed_path("~/x.png") == Path.home() / "x.png"


async def test_the_filters_counts_are_whole_at_80_columns(posted: list[Path]) -> None:
    from fixtures.tui import screen_lines

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: dashboard_loaded(app))
        await pilot.press("slash", *"WREN")
        await pilot.pause()
        row = next(line for line in screen_lines(app) if "to answer" in line)
        assert "to answer 0/1 · answered 0/0 · posts 1/4" in row, row


async def test_a_picture_nothing_matches_says_what_the_search_can_miss_at_80_columns(
    posted: list[Path], tmp_path: Path
) -> None:
    """The Match screen gives the hint `tracker match` gives when nothing is found (`limits.can_miss`), whole
    at 80x24, the buttons still on the screen."""
    from fixtures.tui import screen_lines

    from tracker.matching import limits

    other = tmp_path / "unrelated.png"
    Image.effect_noise((300, 200), 60).convert("RGB").save(other)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: dashboard_loaded(app))
        await pilot.press("m")
        screen = app.screen
        assert isinstance(screen, MatchScreen)
        screen.query_one("#match-path", Input).value = str(other)
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.results is not None)
        await pilot.pause()
        drawn = screen_lines(app)
        words = " ".join(" ".join(line.strip(" █") for line in drawn).split())
        hint = f"Look at the picture yourself: {limits.can_miss()}."
        assert f"No logged image matches unrelated.png. {hint}" in words, "\n".join(drawn)
        assert any("Close" in line and "Match" in line for line in drawn), drawn


async def test_a_number_typed_in_full_width_opens_what_it_names(posted: list[Path]) -> None:
    """A Japanese input method left on after typing notes types `＃１` and `４`: the number is understood."""
    assert complaint_number("１２") == 12 and complaint_number(" ＃１２ ") == 12
    assert typed_number("https://www.pixiv.net/artworks/３") == "https://www.pixiv.net/artworks/３", "a URL as typed"
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: dashboard_loaded(app))
        await pilot.press("o")
        assert isinstance(app.screen, FindScreen)
        app.screen.query_one("#find-input", Input).value = "＃１"
        await pilot.press("enter")
        await wait_for(pilot, lambda: candidates_loaded(app))
        assert isinstance(app.screen, TriageScreen) and app.screen.number == 1
        await pilot.press("escape")
        await pilot.press("g")
        app.screen.query_one("#find-input", Input).value = "４"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PostScreen) and app.screen.page is not None)
        assert app.screen.number == 4
