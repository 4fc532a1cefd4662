"""The owner on a small terminal (80x24 over SSH): what the screens show must stay readable and whole.

Each test reads the text the screen draws (the compositor's lines), as the owner would see it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing
from fixtures.tui import candidates_loaded, make_app, screen_lines, settled, wait_for
from textual.widgets import DataTable, Input, Static
from textual.widgets._footer import FooterKey

from tracker.demo import complainant_copy
from tracker.support.textsafe import keep_end
from tracker.tui.app import TrackerApp
from tracker.tui.screens.dashboard import DashboardScreen
from tracker.tui.screens.find import MatchScreen
from tracker.tui.screens.purge import PurgeScreen
from tracker.tui.screens.triage import TriageScreen

pytestmark = pytest.mark.db

SMALL = (80, 24)
PERSONA = "Moth Atelier of the Harbour"
LONG_NAME = "Yamada Hanako of the Very Long Illustrators Guild Association"


def url(n: int) -> str:
    return f"https://www.pixiv.net/artworks/{120000000 + n}"


def dashboard_loaded(app: TrackerApp) -> bool:
    return isinstance(app.screen, DashboardScreen) and app.screen.loaded


@pytest.fixture
def posted(tracker: Tracker, tmp_path: Path) -> list[Path]:
    """Three pixiv posts of PERSONA, whose URLs differ only in their last digits; only #2's posting date is known."""
    paths = []
    for n in range(3):
        path = tmp_path / f"scene{n}.png"
        drawing(n).save(path)
        extra = ["--new-persona"] if n == 0 else []
        extra += ["--posted-at", "2026-11-01"] if n == 1 else []
        tracker("log", path, "--url", url(n), "--persona", PERSONA, *extra)
        paths.append(path)
    return paths


def test_keep_end_keeps_the_post_id_of_a_url() -> None:
    assert keep_end("pixiv.net/artworks/120000001", 20) == "pixiv.net…/120000001"
    assert keep_end("pixiv.net/artworks/120000001", 40) == "pixiv.net/artworks/120000001"
    assert keep_end("pixiv.net/artworks/120000001", 8).endswith("0000001")
    assert keep_end("x.com/moth/status/1234567890123456789/", 16).endswith("456789/")


async def test_recent_posts_tell_pixiv_posts_apart_and_show_no_log_date_as_posting_date(
    tracker: Tracker, posted: list[Path]
) -> None:
    tracker("complaint", "add", "--post", "1", "--name", LONG_NAME, "--basis", "jp", "--message", "x")
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await wait_for(pilot, lambda: dashboard_loaded(app))
        await settled(pilot)
        lines = screen_lines(app)
        logged = date.today().isoformat()
        for n in range(3):
            row = next(line for line in lines if line.strip().startswith(f"#{n + 1} ") and "Moth" in line)
            assert str(120000000 + n) in row, f"post #{n + 1}'s id is cut: {row!r}"
            assert ("2026-11-01" in row) == (n == 1)
            assert logged not in row, f"the day post #{n + 1} was logged is shown as its posting date: {row!r}"
        complaint_row = next(line for line in lines if line.strip().startswith("#1 "))
        assert "Japan" in complaint_row and complaint_row.rstrip().endswith("1"), complaint_row
        assert "Yamada" in complaint_row and "…" in complaint_row
        for table in app.screen.query(DataTable):
            assert table.virtual_size.width <= table.size.width, f"#{table.id} is wider than the screen"


async def test_unnamed_sender_is_called_unnamed_on_every_screen(tracker: Tracker, posted: list[Path]) -> None:
    tracker("complaint", "add", "--post", "1", "--message", "take it down")
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await wait_for(pilot, lambda: dashboard_loaded(app))
        # drawn once the tables are filled (on a loaded machine a frame or two after the data)
        await wait_for(pilot, lambda: any("unnamed" in line for line in screen_lines(app)))
        app.open_complaint(1)
        await wait_for(pilot, lambda: candidates_loaded(app))
        summary = str(app.screen.query_one("#summary-text", Static).render())
        assert "from: unnamed" in summary and "unknown" not in summary


async def test_candidate_evidence_has_real_line_breaks(tracker: Tracker, posted: list[Path], tmp_path: Path) -> None:
    theirs = complainant_copy(posted[2], tmp_path / "their\x1bwork.jpg")
    tracker("complaint", "add", "--image", theirs, "--name", "A. Painter")
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        app.open_complaint(1)
        await wait_for(pilot, lambda: candidates_loaded(app))
        facts = app.screen.query_one("#facts-text", Static)
        await wait_for(pilot, lambda: "score" in str(facts.content))
        text = str(facts.content)
        assert "\\x0a" not in text and "\n  distance: region " in text  # a crop: the distance it rests on first
        assert "\n  matched by: " in text
        assert "their\\x1bwork.jpg" in text, "the complainant's file name is still escaped"


async def _footer_fits(app: TrackerApp) -> list[str]:
    """The footer's keys drawn whole on the last line; what it shows."""
    last = screen_lines(app)[-1]
    shown = []
    for key in app.screen.query(FooterKey):
        words = f"{key.key_display} {key.description}"
        assert words in last, f"{words!r} is cut from the footer: {last!r}"
        shown.append(key.key_display)
    assert "f1" in shown, f"the help key is not in the footer: {last!r}"
    return shown


async def test_every_footer_fits_at_80_columns_and_shows_the_help_key(tracker: Tracker, posted: list[Path]) -> None:
    tracker("complaint", "add", "--image", posted[0], "--name", "A. Painter")
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await wait_for(pilot, lambda: dashboard_loaded(app))
        await settled(pilot)
        assert {"n", "o", "b", "q"} <= set(await _footer_fits(app))
        app.open_complaint(1)
        await wait_for(pilot, lambda: candidates_loaded(app))
        await settled(pilot)
        assert {"d", "t", "p", "h"} <= set(await _footer_fits(app))
        await pilot.press("escape")
        await settled(pilot)
        await pilot.press("b", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PurgeScreen) and app.screen.plan is not None)
        await settled(pilot)
        assert {"d", "s", "f", "D"} <= set(await _footer_fits(app))


async def test_each_dashboard_tab_stop_is_a_table_and_the_footer_offers_open_and_quit_whole(
    tracker: Tracker, posted: list[Path]
) -> None:
    """A Tab stop where no table had the focus offered `⏎ Open`, which did nothing; a table in focus did not offer
    it; and `q Quit` was cut to `q` at 80 columns."""
    tracker("complaint", "add", "--image", posted[0], "--name", "A. Painter")
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await wait_for(pilot, lambda: dashboard_loaded(app))
        await settled(pilot)
        stops = []
        for _ in range(4):
            focused = app.screen.focused
            assert isinstance(focused, DataTable), f"a Tab stop with no table: {focused!r}"
            stops.append(focused.id)
            shown = await _footer_fits(app)
            assert {"⏎", "q"} <= set(shown), screen_lines(app)[-1]
            assert "⏎ Open" in screen_lines(app)[-1] and "q Quit" in screen_lines(app)[-1]
            await pilot.press("tab")
            await pilot.pause()
        assert stops == ["complaints", "done", "posts", "complaints"]
        await pilot.press("tab", "tab")  # the posts: Enter opens the one under the cursor
        await pilot.press("enter")
        await settled(pilot)
        assert not isinstance(app.screen, DashboardScreen)


async def test_the_dashboard_tables_stay_whole_with_the_filter_open(
    tracker: Tracker, posted: list[Path], tmp_path: Path
) -> None:
    """`/` on a full dashboard at 80x24: the filter field's margin narrowed the tables' pane by two columns, so
    each table, fitted to the screen's width, ran past its edge: `basis  post`, `Japa`, cut and scrolling sideways."""
    for n in range(3, 12):
        path = tmp_path / f"more{n}.png"
        drawing(n).save(path)
        tracker("log", path, "--url", url(n), "--persona", PERSONA)
    for n in range(3):
        tracker("complaint", "add", "--post", str(n + 1), "--name", LONG_NAME, "--basis", "jp", "--message", f"#{n}")
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await wait_for(pilot, lambda: dashboard_loaded(app))
        await settled(pilot)
        await pilot.press("slash")
        await settled(pilot)
        assert isinstance(app.screen.focused, Input) and app.screen.focused.id == "filter"
        for table in app.screen.query(DataTable):
            assert table.virtual_size.width <= table.size.width, f"#{table.id} is wider than its pane"
        heading = next(line for line in screen_lines(app) if "deadline" in line)
        assert heading.rstrip().endswith("basis  posts"), heading


async def test_burn_down_list_keeps_each_posts_id_at_80_columns(tracker: Tracker, posted: list[Path]) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await wait_for(pilot, lambda: dashboard_loaded(app))
        await pilot.press("b", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PurgeScreen) and app.screen.plan is not None)
        await settled(pilot)
        table = app.screen.query_one("#items", DataTable)
        rows: list[Any] = [" ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]
        for n in range(3):
            assert any(str(120000000 + n) in row for row in rows), f"post {n + 1}'s id is cut: {rows}"
        assert table.virtual_size.width <= table.size.width, "the checklist is wider than the screen"


async def test_two_images_from_the_complainant_each_show_their_best_match(
    tracker: Tracker, posted: list[Path], tmp_path: Path
) -> None:
    crop = complainant_copy(posted[2], tmp_path / "crop.jpg")
    small = tmp_path / "screenshot.png"
    drawing(2).resize((112, 84)).save(small)
    tracker("complaint", "add", "--image", crop, "--image", small, "--name", "A. Painter")
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        app.open_complaint(1)
        await wait_for(pilot, lambda: candidates_loaded(app))
        screen = app.screen
        assert isinstance(screen, TriageScreen)
        theirs = screen.query_one("#their-images", Static)
        await wait_for(pilot, lambda: "screenshot.png" in str(theirs.render()))
        text = str(theirs.render())
        assert "They sent 2 images" in text
        lines = text.splitlines()
        assert any("crop.jpg" in line and "post #3" in line for line in lines), text
        assert any("screenshot.png" in line and "post #3" in line for line in lines), text
        await settled(pilot)
        caption = screen.query_one("#complaint-image .preview-caption", Static)
        first = str(caption.render())
        await pilot.press("i")
        second = str(caption.render())
        assert first != second and {first[:6], second[:6]} == {"1 of 2", "2 of 2"}


async def test_the_scrub_command_shown_when_all_is_done_pastes_as_one_persona(
    tracker: Tracker, posted: list[Path]
) -> None:
    tracker("purge", "plan", PERSONA)
    tracker("purge", "mark", "*", "done", "--persona", PERSONA)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: dashboard_loaded(app))
        await pilot.press("b", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PurgeScreen) and app.screen.plan is not None)
        banner = str(app.screen.query_one("#banner", Static).render())
        assert f"tracker purge scrub '{PERSONA}'" in banner, banner


async def test_the_match_dialog_says_how_sure_and_why_and_keeps_the_post_id(
    tracker: Tracker, posted: list[Path], tmp_path: Path
) -> None:
    copy = complainant_copy(posted[2], tmp_path / "their copy.jpg")
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await wait_for(pilot, lambda: dashboard_loaded(app))
        await pilot.press("m")
        screen = app.screen
        assert isinstance(screen, MatchScreen)
        screen.query_one("#match-path", Input).value = str(copy)
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.results is not None)
        await settled(pilot)
        table = screen.query_one("#matches", DataTable)
        row = " ".join(str(cell) for cell in table.get_row_at(0))
        assert "certain" in row or "high" in row, row
        assert str(120000002) in row, f"the post's id is cut: {row}"
        why = str(screen.query_one("#match-why", Static).render())
        assert "matched by" in why and "score" in why, why


async def test_the_match_dialog_shows_each_posts_url_whole_at_80_columns(
    tracker: Tracker, posted: list[Path], tmp_path: Path
) -> None:
    """`0.97 certain  region  #1 a1111_markup.png  #1    live    pixiv.net/`: the URL was cut to its host."""
    copy = complainant_copy(posted[2], tmp_path / "their copy.jpg")
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await wait_for(pilot, lambda: dashboard_loaded(app))
        await pilot.press("m")
        screen = app.screen
        assert isinstance(screen, MatchScreen)
        screen.query_one("#match-path", Input).value = str(copy)
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.results is not None)
        await settled(pilot)
        lines = screen_lines(app)
        assert any("pixiv.net/artworks/120000002" in line for line in lines), "\n".join(lines)
        first = next(n for n, line in enumerate(lines) if "#3 scene2.png" in line)
        assert "certain" in lines[first] or "high" in lines[first], lines[first]
        assert "live" in lines[first] and "pixiv.net/artworks/120000002" in lines[first + 1], "the URL under the post"


async def test_the_match_dialog_cuts_a_long_file_name_in_its_middle_keeping_its_extension(
    tracker: Tracker, tmp_path: Path
) -> None:
    """A complainant's screenshot saved under a long name, matched at 80x24: the line under the path folded the name
    mid-word (`…complainant_for` / `warded_evidence…`), and the image column cut the archived name's end (`.png`).
    Both now keep their beginning and their end on one line, the cut marked `…`; the name is whole in the path typed
    above and in the line's tooltip."""
    archived = tmp_path / "moonlit_garden_commission_for_the_winter_festival_upscaled_4x_final.png"
    drawing(2).save(archived)
    tracker("log", archived, "--url", url(2), "--persona", PERSONA, "--new-persona")
    name = "スクリーンショット_2026-12-03_complainant_forwarded_evidence_of_the_copy_posted_elsewhere_v2_final.jpg"
    copy = complainant_copy(archived, tmp_path / name)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await wait_for(pilot, lambda: dashboard_loaded(app))
        await pilot.press("m")
        screen = app.screen
        assert isinstance(screen, MatchScreen)
        screen.query_one("#match-path", Input).value = str(copy)
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.results is not None)
        await settled(pilot)
        lines = screen_lines(app)
        said = next(line for line in lines if "1 matching image for" in line)
        assert "スクリーンショット_2026" in said and "…" in said and "_final.jpg," in said, "\n".join(lines)
        assert not any("warded_evidence" in line or "posted_elsewhere" in line for line in lines), "\n".join(lines)
        row = next(line for line in lines if "#1 moonlit" in line)
        assert "…" in row and row.split("#1 moonlit")[1].split()[0].endswith(".png"), row
        assert str(screen.query_one("#match-status", Static).tooltip) == name
        assert screen.query_one("#match-path", Input).value.endswith(name), "the name whole where it was typed"


async def test_triage_at_80x24_shows_both_pictures_on_its_first_screen_and_pgdn_reaches_the_evidence(
    tracker: Tracker, posted: list[Path], tmp_path: Path
) -> None:
    """Over SSH in 80x24, with a long message from a sender with a long name, the pictures start on the first
    screen (the summary is shorter there; `m` shows the whole message), PgDn scrolls the column down to the
    evidence even with the candidates table focused, and Tab stops on each picture. F1 opens the help at triage."""
    from tracker.tui.screens.help import HelpScreen

    theirs = complainant_copy(posted[2], tmp_path / "theirs.jpg")
    message = "この画像は私の作品を無断で使用したものです。削除をお願いいたします。" * 20
    tracker("complaint", "add", "--image", theirs, "--name", LONG_NAME, "--org", "Atelier", "--message", message)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        app.open_complaint(1)
        await wait_for(pilot, lambda: candidates_loaded(app))
        await settled(pilot)
        screen = app.screen
        assert isinstance(screen, TriageScreen)
        lines = screen_lines(app)
        assert any("their image" in line and "candidate" in line for line in lines), "\n".join(lines)
        boxes = [screen.query_one("#complaint-image"), screen.query_one("#candidate-image")]
        assert all(box.region.y + 4 < 23 for box in boxes), "at least their captions and a few rows of picture"
        assert not any("Generation" in line for line in lines)
        assert screen.focused is not None and screen.focused.id == "candidates"
        await pilot.press("pagedown")
        await settled(pilot)
        assert any("matched by" in line or "Generation" in line for line in screen_lines(app)), "the evidence"
        await pilot.press("pageup")
        await settled(pilot)
        await pilot.press("tab")
        assert screen.focused is boxes[0], screen.focused
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await settled(pilot)
        await wait_for(pilot, lambda: any("Complaint —" in line for line in screen_lines(app)[:8]))


NOTICE = (
    "To whom it may concern, I am the author of the illustration Night Market.\n\n"
    + "Your post copies its composition and palette. " * 20
    + "\n/s/ Jane Doe"
)
"""A message far longer than the summary can show at 80x24."""


async def test_triage_at_80x24_shows_the_start_of_the_message_and_the_key_for_the_rest(
    tracker: Tracker, posted: list[Path]
) -> None:
    """On the first screen, even with a take-down still owed: who sent it, what is to remove, the first words of
    the message with "m: whole message", and `m` in the footer; `m` opens the whole message."""
    from tracker.tui.screens.triage import MessageScreen

    tracker(
        "complaint", "add", "--post", "1", "--name", LONG_NAME, "--contact", "jane@example.org", "--message", NOTICE
    )
    tracker("complaint", "decide", "1", "--action", "take_down")
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        app.open_complaint(1)
        await wait_for(pilot, lambda: candidates_loaded(app))
        await settled(pilot)
        lines = screen_lines(app)
        drawn = "\n".join(lines)
        assert "to remove: #1" in drawn, drawn
        line = next((line for line in lines if "message: To whom it may concern" in line), None)
        assert line is not None, f"the start of the message is not on the first screen:\n{drawn}"
        assert "… (m: whole message)" in line, line
        assert "m" in await _footer_fits(app), f"`m` is not in the footer: {lines[-1]!r}"
        await pilot.press("m")
        await settled(pilot)
        assert isinstance(app.screen, MessageScreen)


async def test_triage_at_80x24_shows_the_decision_in_force_on_its_first_screen(
    tracker: Tracker, posted: list[Path]
) -> None:
    """A dispute decided the day before the deadline: back on the complaint, the first screen said only "status
    decided", what was decided (the action and its reason) last in the summary, out of sight at 80x24."""
    tracker(
        "complaint", "add", "--post", "1", "--name", "山田花子", "--contact", "hanako@example.jp", "--message", NOTICE
    )
    tracker("complaint", "decide", "1", "--action", "dispute", "--reason", "slight_resemblance")
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        app.open_complaint(1)
        await wait_for(pilot, lambda: candidates_loaded(app))
        await settled(pilot)
        drawn = "\n".join(screen_lines(app))
        assert "decided: dispute (only a slight resemblance)" in drawn, drawn
        assert "message: To whom it may concern" in drawn, drawn


async def test_triage_gives_the_confidence_word_tracker_match_gives(
    tracker: Tracker, posted: list[Path], tmp_path: Path
) -> None:
    theirs = complainant_copy(posted[2], tmp_path / "theirs.jpg")
    found = tracker.json("match", theirs)[0]
    said = f"score {found['score']:.2f} ({found['confidence']})"
    tracker("complaint", "add", "--image", theirs, "--name", "A. Painter")
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        app.open_complaint(1)
        await wait_for(pilot, lambda: candidates_loaded(app))
        screen = app.screen
        facts = screen.query_one("#facts-text", Static)
        await wait_for(pilot, lambda: "score" in str(facts.content))
        assert said in str(facts.content), str(facts.content)
        await settled(pilot)
        row = next(line for line in screen_lines(app) if "post #3" in line)
        assert f"{found['score']:.2f} " in row and row.rstrip(" │▁▃▅▇").endswith(found["confidence"]), row
        table = screen.query_one("#candidates", DataTable)
        assert table.virtual_size.width <= table.size.width, "the candidates are wider than the screen"


async def test_the_columns_narrow_again_once_a_long_row_leaves_the_table(tracker: Tracker, posted: list[Path]) -> None:
    """A complaint from a long name is answered while the TUI is open: back on the dashboard, the complaints'
    `from` column is as wide as the names still waiting, and every heading is whole again."""
    tracker("complaint", "add", "--post", "1", "--name", LONG_NAME, "--basis", "jp", "--message", "x")
    tracker("complaint", "add", "--post", "2", "--name", "K", "--basis", "jp", "--message", "y")
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await wait_for(pilot, lambda: dashboard_loaded(app))
        await settled(pilot)
        complaints = app.screen.query_one("#complaints", DataTable)
        wide = complaints.ordered_columns[4].content_width
        assert wide > len("from"), "the long name takes the room the others leave"
        tracker("complaint", "decide", "1", "--action", "take_down")
        tracker("complaint", "reply", "1", "--answered")
        await pilot.press("r")
        await settled(pilot)
        await wait_for(pilot, lambda: complaints.row_count == 1)
        await pilot.pause()
        assert complaints.ordered_columns[4].content_width == len("from"), "as wide as `K` and its heading"
        lines = screen_lines(app)
        heading = next(line for line in lines if "deadline" in line and "received" in line)
        assert heading.rstrip().endswith("posts"), f"the last heading is cut: {heading!r}"
        for table in app.screen.query(DataTable):
            assert table.virtual_size.width <= table.size.width, f"#{table.id} is wider than the screen"
