"""The purge screen driven headlessly: pick a persona, mark its checklist, and nothing else moves."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing
from fixtures.tui import make_app, screen_lines, wait_for
from sqlalchemy import select
from textual.widgets import DataTable, Input, OptionList, Static

from tracker.cli import cli
from tracker.db.models import Account, Persona, Post, PostStatus, PurgeItem, PurgeItemState
from tracker.tui.app import TrackerApp
from tracker.tui.screens.purge import ConfirmScreen, PersonaPickerScreen, PurgeScreen, ReasonScreen

pytestmark = pytest.mark.db

SIZE = (120, 40)
HOSTILE_TITLE = "[bold]Loud[/bold] [link=https://evil.example]click[/link] \x1b]8;;https://evil.example\x07x"


@pytest.fixture
def two_personas(tracker: Tracker, tmp_path: Path) -> None:
    """moth: three pixiv posts and one on X (one with a hostile title); lantern: two pixiv posts."""
    posts = [
        ("moth", "https://www.pixiv.net/artworks/500000001", "Harbour"),
        ("moth", "https://www.pixiv.net/artworks/500000002", HOSTILE_TITLE),
        ("moth", "https://www.pixiv.net/artworks/500000003", "Stairs"),
        ("moth", "https://x.com/moth_makes/status/1900000000000000001", "Tide"),
        ("lantern", "https://www.pixiv.net/artworks/600000001", "Lamp"),
        ("lantern", "https://www.pixiv.net/artworks/600000002", "Wick"),
    ]
    for n, (persona, url, title) in enumerate(posts):
        path = tmp_path / f"p{n}.png"
        drawing(n).save(path)
        tracker("log", path, "--url", url, "--persona", persona, "--title", title)


def purge_screen(app: TrackerApp) -> PurgeScreen:
    assert isinstance(app.screen, PurgeScreen)
    return app.screen


def loaded(app: TrackerApp) -> bool:
    return isinstance(app.screen, PurgeScreen) and app.screen.plan is not None


def row_of(screen: PurgeScreen, key: str) -> int:
    table = screen.query_one("#items", DataTable)
    return table.get_row_index(key)


def marks(app: TrackerApp) -> dict[str, tuple[PurgeItemState, str | None]]:
    with app.factory() as session:
        return {row.item_key: (row.state, row.reason) for row in session.scalars(select(PurgeItem))}


def statuses(app: TrackerApp) -> dict[str, PostStatus]:
    with app.factory() as session:
        rows = session.execute(
            select(Persona.name, Post.url, Post.status).join(Account, Post.account_id == Account.id).join(Persona)
        ).all()
    return {url: status for _, url, status in rows}


async def open_purge_of(pilot, app: TrackerApp, persona: str) -> PurgeScreen:  # type: ignore[no-untyped-def]
    await pilot.press("b")
    assert isinstance(app.screen, PersonaPickerScreen)
    picker = app.screen
    await wait_for(pilot, lambda: picker.choices is not None)
    options = picker.query_one("#personas", OptionList)
    names = [options.get_option_at_index(i).id for i in range(options.option_count)]
    assert names == ["lantern", "moth"]
    options.highlighted = names.index(persona)
    await pilot.press("enter")
    await wait_for(pilot, lambda: loaded(app))
    return purge_screen(app)


async def test_marking_the_checklist_from_the_tui(two_personas: None) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_purge_of(pilot, app, "moth")
        table = screen.query_one("#items", DataTable)
        keys = [row.key.value for row in table.ordered_rows]
        # The whole checklist of moth, in order, and nothing of lantern.
        assert keys[0].startswith("export:")  # pixiv (by hand: it has no export), then x
        posts = [k for k in keys if k.startswith("post:")]
        assert len(posts) == 4
        assert keys.index(posts[-1]) < min(keys.index(k) for k in keys if k.startswith("account:"))
        assert not any("600000" in str(cell) for row in range(table.row_count) for cell in table.get_row_at(row))
        assert "4 of" not in str(screen.query_one("#banner", Static).render())
        assert marks(app) == {}  # opening the checklist starts nothing

        # The hostile title is shown literally: its brackets are text, the escape is neutralised.
        hostile = next(
            str(table.get_row_at(i)[3]) for i in range(table.row_count) if "500000002" in str(table.get_row_at(i)[3])
        )
        assert "[bold]Loud" in hostile and "\x1b" not in hostile

        # d: the export is done, and the cursor moves on to the next item.
        table.move_cursor(row=0)
        await pilot.press("d")
        assert table.cursor_row == 1
        assert marks(app)[keys[0]] == (PurgeItemState.DONE, None)
        assert str(table.get_row_at(0)[0]) == "[x]"
        assert "Run started" in str(screen.query_one("#notes", Static).render())

        # s asks for a reason, and will not take an empty one.
        blocker = next(k for k in keys if k.startswith("blocker:pixiv:") and k.endswith(":booth"))
        table.move_cursor(row=row_of(screen, blocker))
        await pilot.press("s")
        assert isinstance(app.screen, ReasonScreen)
        await pilot.press("enter")
        assert isinstance(app.screen, ReasonScreen)
        assert "Say why" in str(app.screen.query_one("#reason-error", Static).render())
        app.screen.query_one("#reason", Input).value = "never opened a BOOTH shop"
        await pilot.press("enter")
        assert marks(app)[blocker] == (PurgeItemState.SKIPPED, "never opened a BOOTH shop")

        # d on one post: it is recorded as deleted on its platform.
        x_post = next(k for k in posts if k == posts[-1])
        table.move_cursor(row=row_of(screen, x_post))
        await pilot.press("d")
        assert statuses(app)["https://x.com/moth_makes/status/1900000000000000001"] is PostStatus.DELETED

        # f with an optional reason, then o reopens it.
        table.move_cursor(row=row_of(screen, posts[0]))
        await pilot.press("f")
        app.screen.query_one("#reason", Input).value = "the page says 'try again later'"
        await pilot.press("enter")
        assert marks(app)[posts[0]][0] is PurgeItemState.FAILED
        assert "failed" in str(screen.query_one("#banner", Static).render())
        table.move_cursor(row=row_of(screen, posts[0]))
        await pilot.press("o")
        assert marks(app)[posts[0]][0] is PurgeItemState.OPEN

        # D: every post left on pixiv done at once, after a confirmation.
        table.move_cursor(row=row_of(screen, posts[0]))
        await pilot.press("D")
        assert isinstance(app.screen, ConfirmScreen)
        assert "3 remaining posts on pixiv" in str(app.screen.query_one(Static).render())
        await pilot.press("y")
        await wait_for(pilot, lambda: all(marks(app).get(k, (None,))[0] is PurgeItemState.DONE for k in posts))
        after = statuses(app)
        assert all(after[f"https://www.pixiv.net/artworks/50000000{n}"] is PostStatus.DELETED for n in (1, 2, 3))
        assert after["https://www.pixiv.net/artworks/600000001"] is PostStatus.LIVE
        assert after["https://www.pixiv.net/artworks/600000002"] is PostStatus.LIVE

        # a hides what is settled: only open items and the accounts remain.
        await wait_for(pilot, lambda: str(table.get_row_at(row_of(screen, posts[0]))[0]) == "[x]")
        await pilot.press("a")
        left = [row.key.value for row in table.ordered_rows]
        assert not any(k.startswith("post:") for k in left)
        assert keys[0] not in left and blocker not in left
        assert any(k.startswith("account:") for k in left)

        # Marking the rest (skipping local items with a reason) leaves the screen pointing at the scrub.
        while table.row_count:
            table.move_cursor(row=0)
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            if key.startswith("local:"):
                await pilot.press("s")
                app.screen.query_one("#reason", Input).value = "kept offline on purpose"
                await pilot.press("enter")
            else:
                await pilot.press("d")
        assert "tracker purge scrub moth" in str(screen.query_one("#banner", Static).render())
        # lantern's purge never started.
        assert all(not k.startswith("post:") or k in posts for k in marks(app))

    # The CLI agrees with what the TUI wrote.
    status = Tracker().json("purge", "status", "moth")
    assert status["summary"]["left"] == 0


async def test_picker_escape_and_an_empty_archive(tracker: Tracker) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b")
        picker = app.screen
        assert isinstance(picker, PersonaPickerScreen)
        await wait_for(pilot, lambda: picker.choices is not None)
        options = picker.query_one("#personas", OptionList)
        assert options.option_count == 1 and options.get_option_at_index(0).disabled
        assert "No persona is logged yet" in str(options.get_option_at_index(0).prompt)
        await pilot.press("escape")
        assert not isinstance(app.screen, PersonaPickerScreen | PurgeScreen)


async def test_automatic_items_cannot_be_marked(two_personas: None) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_purge_of(pilot, app, "lantern")
        table = screen.query_one("#items", DataTable)
        table.move_cursor(row=row_of(screen, "local:database"))
        await pilot.press("d")
        assert marks(app) == {}
        assert "Done by `tracker purge scrub`" in str(screen.query_one("#detail", Static).render())


async def test_a_big_persona_shows_every_account_and_some_posts_per_platform(
    two_personas: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tracker.tui.screens.purge as purge_screen_module

    monkeypatch.setattr(purge_screen_module, "POSTS_PER_PLATFORM", 1)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_purge_of(pilot, app, "moth")
        keys = [row.key.value for row in screen.query_one("#items", DataTable).ordered_rows]
        posts = [k for k in keys if k.startswith("post:")]
        assert len(posts) == 2  # one pixiv post of three, the X post
        assert any(k.startswith("account:") for k in keys) and keys[-1] == "local:database"
        assert "(2 more)" in str(screen.query_one("#notes", Static).render())
        # D still marks every pixiv post, drawn or not.
        screen.query_one("#items", DataTable).move_cursor(row=keys.index(posts[0]))
        await pilot.press("D", "y")
        pixiv = [i.id for i in screen.items.values() if i.platform == "pixiv" and i.id.startswith("post:")]
        await wait_for(pilot, lambda: all(marks(app).get(k, (None,))[0] is PurgeItemState.DONE for k in pixiv))
        assert len(pixiv) == 3


async def test_the_warnings_come_first_and_every_line_of_them_can_be_scrolled_to_at_80x24(
    two_personas: None, tracker: Tracker
) -> None:
    tracker("complaint", "add", "--post", "https://www.pixiv.net/artworks/600000001", "--name", "K", "--message", "x")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_purge_of(pilot, app, "lantern")
        notes = screen.query_one("#notes", Static)
        lines = [line for line in str(notes.render()).splitlines() if line.strip()]
        assert "still unanswered" in lines[1], "the warning before the waiting periods and reminders"
        box = screen.query_one("#notes-box")
        box.focus()
        await pilot.press("end")
        # `end` scrolls smoothly: on a loaded machine, for longer than a pause lasts
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        assert box.max_scroll_y == 0 or box.scroll_y == box.max_scroll_y, "the last line can be scrolled to"


async def test_a_persona_scrubbed_meanwhile_leaves_no_checklist_to_mark(tracker: Tracker, two_personas: None) -> None:
    """Scrubbed from another terminal, then `r`: the screen says so and shows nothing of it any more."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_purge_of(pilot, app, "lantern")
        tracker("purge", "plan", "lantern")
        tracker("purge", "mark", "*", "done", "--persona", "lantern")
        tracker.runner.invoke(cli, ["purge", "scrub", "lantern"], input="lantern\n", catch_exceptions=False)
        await pilot.press("r")
        await wait_for(pilot, lambda: screen.plan is None)
        table = screen.query_one("#items", DataTable)
        assert table.row_count == 0
        assert "no persona 'lantern'" in str(screen.query_one("#banner", Static).render())
        assert "600000001" not in " ".join(str(w.render()) for w in screen.query(Static))


async def test_all_posts_of_a_platform_leaves_a_skipped_one_out_of_its_count(
    tracker: Tracker, two_personas: None
) -> None:
    tracker("purge", "plan", "moth")
    first = next(p["id"] for p in tracker.json("posts", "--persona", "moth") if "500000001" in p["url"])
    tracker("purge", "mark", f"post:{first}", "skipped", "--reason", "removed by pixiv already")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_purge_of(pilot, app, "moth")
        pixiv = [key for key, item in screen.items.items() if item.platform == "pixiv" and key.startswith("post:")]
        screen.query_one("#items", DataTable).move_cursor(row=row_of(screen, pixiv[-1]))
        await pilot.press("D")
        assert isinstance(app.screen, ConfirmScreen)
        assert "2 remaining posts on pixiv" in str(app.screen.query_one(Static).render())


async def test_the_picker_names_what_a_renamed_persona_was_called(tracker: Tracker, two_personas: None) -> None:
    """The owner may know a persona by its old name: the picker says it beside the new one, literally (a
    name is never markup), and the line still fits the dialog at 80 columns."""
    tracker("persona", "rename", "lantern", "[b]Lantern[/b]")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("b")
        picker = app.screen
        assert isinstance(picker, PersonaPickerScreen)
        await wait_for(pilot, lambda: picker.choices is not None)
        await pilot.pause()
        options = picker.query_one("#personas", OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert prompts == [
            "[b]Lantern[/b] (formerly: lantern)  2 live posts, 1 account",
            "moth  4 live posts, 2 accounts",
        ]
        shown = [line for line in screen_lines(app) if "formerly" in line]
        assert len(shown) == 1 and "[b]Lantern[/b] (formerly: lantern)  2 live posts, 1 account" in shown[0]

    # renamed on and then back: four names given up, three of them former (never itself), more than there is
    # room for, and the latest is the one the owner knew it by last: it comes first, the oldest is cut
    for name in ("lantern-the-second", "lantern-2026", "lantern"):
        tracker("persona", "rename", tracker.json("personas")[0]["name"], name)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("b")
        picker = app.screen
        assert isinstance(picker, PersonaPickerScreen)
        await wait_for(pilot, lambda: picker.choices is not None)
        await pilot.pause()
        first = str(picker.query_one("#personas", OptionList).get_option_at_index(0).prompt)
        assert first == "lantern (formerly: lantern-2026, …)  2 live posts, 1 account"
        assert any(first in line for line in screen_lines(app)), "on one line of the dialog"
