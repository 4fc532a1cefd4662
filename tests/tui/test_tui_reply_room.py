"""The reply screen on a small terminal (a phone over SSH, a tmux pane): the letter keeps rows to read and edit,
the warnings above it give way, and every button stays whole on the screen, never cut mid-word."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import FORGE_INFOTEXT, pixels, write_png
from fixtures.tui import footer_drawn, make_app, screen_lines, settled, wait_for
from textual.pilot import Pilot
from textual.widgets import Button, Static, TextArea
from textual.widgets._footer import FooterKey

from tracker.complaints.letters.replies import COUNTER_NOTICE_WARNING, Draft, draft_reply
from tracker.tui.app import TrackerApp
from tracker.tui.screens.help import HelpScreen
from tracker.tui.screens.reply import ReplyScreen

pytestmark = pytest.mark.db

NOTE_WARNING = "the reply note is in Japanese but the letter is in English: translate the note, or answer in Japanese"


@pytest.fixture
def decided(tracker: Tracker, tmp_path: Path) -> None:
    """Complaint #1 (in English) about post #1, decided: take it down."""
    image = write_png(tmp_path / "a.png", {"parameters": FORGE_INFOTEXT})
    tracker("log", image, "--url", "https://www.pixiv.net/artworks/5", "--persona", "moth")
    tracker("complaint", "add", "--post", "1", "--name", "K", "--message", "Please take my picture down.")
    tracker("complaint", "set", "1", "--lang", "en")
    tracker("complaint", "decide", "1", "--action", "take_down")


@pytest.fixture
def counter_notice(tracker: Tracker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Complaint #1, a DMCA notice the platform acted on, disputed: its reply is a counter-notice, with its privacy
    warning and a second one (the note's language), as the CLI words it."""
    import tracker.tui.screens.reply as reply_screen

    text_only = re.sub(r'ControlNet 0: "[^"]*", ', "", FORGE_INFOTEXT)
    image = write_png(tmp_path / "p.png", {"parameters": text_only}, image=pixels(seed=11))
    tracker("log", image, "--url", "https://www.pixiv.net/artworks/7", "--persona", "moth")
    tracker("persona", "set", "moth", "--display-name", "Moth Atelier", "--contact", "moth@example.org")
    tracker("complaint", "add", "--post", "1", "--basis", "dmca", "--name", "Harbor", "--platform", "pixiv")
    tracker("complaint", "decide", "1", "--action", "take_down")
    tracker("complaint", "confirm", "1")
    tracker("complaint", "decide", "1", "--action", "dispute", "--reason", "independent_creation")

    def two_warnings(*args: object, **kwargs: object) -> Draft:
        draft = draft_reply(*args, **kwargs)  # type: ignore[arg-type]
        return replace(draft, warnings=[*draft.warnings, f"{NOTE_WARNING} (tracker complaint set 1 --lang ja)"])

    monkeypatch.setattr(reply_screen, "draft_reply", two_warnings)


async def open_reply(app: TrackerApp, pilot: Pilot[None]) -> ReplyScreen:
    await settled(pilot)
    await app.push_screen(ReplyScreen(1))
    await settled(pilot)
    assert isinstance(app.screen, ReplyScreen) and app.screen.draft is not None
    return app.screen


def letter_rows(screen: ReplyScreen) -> int:
    """The rows of the letter on the screen: inside the editor's frame, above the buttons, not cut off."""
    letter = screen.query_one("#reply", TextArea)
    buttons = screen.query_one(".buttons")
    shown = letter.content_region.intersection(screen.region).intersection(letter.parent.region)  # type: ignore[union-attr]
    return min(shown.bottom, buttons.region.y) - shown.y if shown.height else 0


def buttons_whole(app: TrackerApp, screen: ReplyScreen) -> list[str]:
    """The buttons' labels as drawn; each button wholly inside the dialog (its label not cut)."""
    dialog = screen.query_one("#reply").parent
    assert dialog is not None
    labels = []
    for button in screen.query(Button):
        assert dialog.region.contains_region(button.region), f"{button.label} is cut"
        row = screen_lines(app)[button.region.y + button.region.height // 2]
        label = str(button.label)
        assert label in row[button.region.x : button.region.right], f"{label!r} is drawn whole"
        labels.append(label)
    return labels


async def test_the_letter_keeps_its_rows_and_the_buttons_stay_whole_as_the_terminal_shrinks(decided: None) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_reply(app, pilot)
        assert letter_rows(screen) >= 10
        await pilot.press(*"Hi ")
        for size, rows in (((80, 20), 8), ((80, 18), 6), ((80, 15), 4)):
            await pilot.resize_terminal(*size)
            await settled(pilot)
            assert letter_rows(screen) >= rows, f"the letter keeps {rows} rows at {size}"
            assert buttons_whole(app, screen) == ["Close", "Copy", "Save to file", "Mark answered"]
        await pilot.press(*"XYZ")
        await pilot.pause()
        assert screen.query_one("#reply", TextArea).text.startswith("Hi XYZDear K,")
        assert any("Hi XYZDear K," in line for line in screen_lines(app)), "what is typed is seen"
        await pilot.resize_terminal(70, 20)
        await settled(pilot)
        assert buttons_whole(app, screen) == ["Close", "Copy", "Save to file", "Mark answered"]
        await pilot.resize_terminal(60, 15)
        await settled(pilot)
        assert letter_rows(screen) >= 4
        assert buttons_whole(app, screen) == ["Close", "Copy", "Save", "Answered"], "shorter, never cut"


async def test_two_warnings_are_whole_above_a_letter_of_six_rows_at_80x24(counter_notice: None) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_reply(app, pilot)
        box = screen.query_one("#reply-warnings", Static).region
        assert screen.query_one("#reply-warnings-box").region.contains_region(box), "no warning scrolled away"
        drawn = " ".join(" ".join(line[box.x : box.right].split()) for line in screen_lines(app)[box.y : box.bottom])
        assert f"⚠ {COUNTER_NOTICE_WARNING}" in drawn
        assert f"⚠ {NOTE_WARNING} (Ctrl+L or F4 redrafts it in the other language)" in drawn
        assert letter_rows(screen) >= 6, "the letter keeps room to be read and edited"
        buttons_whole(app, screen)
        await pilot.resize_terminal(80, 15)
        await settled(pilot)
        assert letter_rows(screen) >= 4, "the warnings give way (they scroll), not the letter"
        assert any("⚠ PRIVACY" in line for line in screen_lines(app)), "the first warning starts on the screen"
        buttons_whole(app, screen)


async def _footer_keys(app: TrackerApp, pilot: Pilot[None]) -> list[str]:
    """The keys the footer shows, each asserted whole on the bottom row."""
    await footer_drawn(pilot)
    await settled(pilot)
    last = screen_lines(app)[-1]
    shown = []
    for key in app.screen.query(FooterKey):
        words = f"{key.key_display} {key.description}"
        assert words in last, f"{words!r} is cut from the footer: {last!r}"
        shown.append(key.key_display)
    return shown


async def test_the_help_key_stays_in_the_footer_at_80_columns_with_a_new_draft_offered(
    decided: None, tracker: Tracker
) -> None:
    """With `^n New draft` shown (the reply sent is on the screen), the footer ran past 80 columns and F1 Help, the
    key listing all the others, was cut: now the keys that are buttons too give way, and F1 and ^p stay."""
    tracker("complaint", "reply", "1", "--answered")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        reply = await open_reply(app, pilot)
        await wait_for(pilot, lambda: reply.sent is not None)
        shown = await _footer_keys(app, pilot)
        assert {"f1", "^n", "f2", "f3", "^l", "^p"} <= set(shown), screen_lines(app)[-1]
        await pilot.resize_terminal(130, 30)
        await settled(pilot)
        shown = await _footer_keys(app, pilot)
        assert {"esc", "f1", "^n", "f2", "f3", "^l", "^s", "^t", "^p"} <= set(shown), "all, where there is room"
        await pilot.resize_terminal(80, 24)
        await settled(pilot)
        await pilot.press("f1")
        await settled(pilot)
        assert isinstance(app.screen, HelpScreen)


async def test_a_fresh_draft_at_80_columns_shows_every_key_and_the_help_key(decided: None) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reply(app, pilot)
        shown = await _footer_keys(app, pilot)
        assert {"f1", "f2", "f3", "^l", "^p"} <= set(shown), screen_lines(app)[-1]


async def test_a_bluesky_url_in_the_letter_is_whole_at_80_columns(decided: None) -> None:
    """The dialog took 90% of 80 columns: the letter had 62 cells, and a Bluesky post's URL (63) was cut in two."""
    url = "https://bsky.app/profile/lantern.bsky.social/post/3kdemo2bridge"
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        reply = await open_reply(app, pilot)
        letter = reply.query_one("#reply", TextArea)
        letter.load_text(f"以下の投稿について、確認いたしました。\n・{url}\n")
        await settled(pilot)
        assert any(url in line for line in screen_lines(app)), "\n".join(screen_lines(app))
