"""A "not my post" dispute is refused when `tracker match` finds the complainant's picture among the owner's posts.

The letter for that reason tells them no image the owner published shows their picture. The complaint need not name
a post: the same search `tracker match` and the triage run decides, and a "certain" or "high" match with a post
refutes the reason, in one line naming the post and the score, in the CLI and the TUI decision form alike. A lower
match is the owner's to judge; the letter then says one image resembles theirs, never that none was found.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import pixels, write_png
from fixtures.tui import SIZE, candidates_loaded, make_app, settled, wait_for
from PIL import Image
from textual.widgets import Button, Checkbox, Select, SelectionList, Static

import tracker.complaints.sent_matches as sent_matches
from tracker.matching.similarity import Candidate
from tracker.support.settings import load_settings
from tracker.tui.screens.decision import DecisionScreen

pytestmark = pytest.mark.db

POST = "https://www.pixiv.net/artworks/502"
SCORE = re.compile(r"post #2 \(https://www\.pixiv\.net/artworks/502\): [01]\.\d\d, (certain|high)")


@pytest.fixture
def sent(tracker: Tracker, tmp_path: Path) -> Tracker:
    """Two posts of moth's, and a complaint that names none but sends post #2's picture re-saved as a JPEG."""
    for n, url in enumerate(("https://www.pixiv.net/artworks/501", POST)):
        tracker(
            "log", write_png(tmp_path / f"p{n}.png", {}, image=pixels(seed=n + 10)), "--url", url, "--persona", "moth"
        )
    archived = load_settings().archive_dir / tracker.json("show", POST)["image"]["archive_path"]
    with Image.open(archived) as picture:
        picture.convert("RGB").save(tmp_path / "seen-online.jpg", quality=80)
    tracker("complaint", "add", "--image", tmp_path / "seen-online.jpg", "--name", "Sam Lee", "--lang", "en")
    return tracker


def _not_mine(tracker: Tracker, *extra: str, ok: bool = True) -> str:
    result = tracker("complaint", "decide", "1", "--action", "dispute", "--reason", "not_my_post", *extra, ok=ok)
    return result.stderr


def test_a_sure_match_with_a_post_refuses_not_my_post_in_one_line(sent: Tracker) -> None:
    stderr = _not_mine(sent, ok=False)
    assert stderr.startswith("tracker: error: ") and stderr.count("\n") == 1, stderr
    assert SCORE.search(stderr) and "seen-online.jpg" in stderr and "--despite-record" in stderr, stderr
    assert sent.json("complaint", "show", "1")["decisions"] == [], "nothing is recorded"


def test_decided_despite_the_match_the_letter_never_says_none_was_found(sent: Tracker) -> None:
    assert SCORE.search(_not_mine(sent, "--despite-record"))
    text = sent.json("complaint", "reply", "1")["text"]
    assert "found none" not in text and "resembles it in part" in text


@pytest.mark.parametrize(("lang", "said", "never"), [("en", "resembles it in part", "found none"),
                                                     ("ja", "一部が似ている画像はございましたが", "見当たりませんでした")])  # fmt: skip
def test_a_lower_match_is_the_owners_to_judge_and_the_letter_says_it_resembles(
    sent: Tracker, monkeypatch: pytest.MonkeyPatch, lang: str, said: str, never: str
) -> None:
    monkeypatch.setattr(Candidate, "confidence", property(lambda self: "possible"))
    warned = _not_mine(sent)
    assert "matches post #2" in warned and "possible: look at both pictures" in warned, warned
    sent("complaint", "set", "1", "--lang", lang)
    text = sent.json("complaint", "reply", "1")["text"]
    assert said in text and never not in text, text
    assert "502" not in text, "the post it resembles is not named to them"


def test_no_match_at_all_still_says_none_was_found(tracker: Tracker, tmp_path: Path) -> None:
    tracker("log", write_png(tmp_path / "p.png", {}, image=pixels(seed=3)), "--url", POST, "--persona", "moth")
    other = write_png(tmp_path / "theirs.png", {}, image=pixels(seed=99))
    tracker("complaint", "add", "--image", other, "--name", "Sam Lee", "--lang", "en")
    _not_mine(tracker)
    assert "found none that shows it" in tracker.json("complaint", "reply", "1")["text"]


async def _save_not_mine(app: Any, pilot: Any, despite: bool = False) -> DecisionScreen:
    """From the dashboard: open complaint #1, `d`, a not-my-post dispute naming no post (`despite`: "Decide despite
    the record" ticked, so that it is saved once searched), Save; the form it was."""
    await settled(pilot)
    await pilot.press("enter")
    await wait_for(pilot, lambda: candidates_loaded(app))
    await pilot.press("d")
    form = app.screen
    assert isinstance(form, DecisionScreen)
    await pilot.click("#action-dispute")
    form.query_one("#reason", Select).value = "not_my_post"
    form.query_one("#posts", SelectionList).deselect_all()  # the triage ticks the match: untick it
    form.query_one("#despite-record", Checkbox).value = despite
    await pilot.click("#save")
    return form


async def test_the_tui_form_refuses_it_too(sent: Tracker) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await _save_not_mine(app, pilot)
        await wait_for(pilot, lambda: "Not saved" in str(form.query_one("#decision-error", Static).render()))
        assert app.screen is form, "refused: the form stays open"
        error = str(form.query_one("#decision-error", Static).render())
        assert "post #2" in error and re.search(r"[01]\.\d\d, (certain|high)", error), error


async def test_the_tui_says_a_lower_match_as_the_cli_does(sent: Tracker, monkeypatch: pytest.MonkeyPatch) -> None:
    """Saved despite a weaker match, the complaint screen warns to look at both pictures, in the CLI's words."""
    monkeypatch.setattr(Candidate, "confidence", property(lambda self: "possible"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await _save_not_mine(app, pilot)
        await wait_for(pilot, lambda: app.screen is not form)
        await pilot.pause()
        said = [str(n.message) for n in app._notifications]
        assert any("possible: look at both pictures before you answer" in m for m in said), said


@pytest.fixture
def held_search(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[threading.Event, list[int]]]:
    """The search for the complainant's pictures waits (2 s at most) until the event is set; each run is counted."""
    release, runs = threading.Event(), []
    search = sent_matches.sent_picture_matches

    def held(*args: Any) -> Any:
        runs.append(1)
        release.wait(2)
        return search(*args)

    monkeypatch.setattr(sent_matches, "sent_picture_matches", held)
    yield release, runs
    release.set()


def _checking(form: DecisionScreen) -> bool:
    return any("Checking your archive" in str(hint.render()) for hint in form.query(".keys-hint").results(Static))


async def test_the_tui_searches_off_the_screen_and_a_second_ctrl_s_saves_once(
    sent: Tracker, held_search: tuple[threading.Event, list[int]]
) -> None:
    """While the search runs the form says so and answers keys; Ctrl+S again neither searches nor saves twice."""
    release, runs = held_search
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await _save_not_mine(app, pilot, despite=True)
        await wait_for(pilot, lambda: _checking(form), timeout=1.5)
        assert form.query_one("#save", Button).disabled
        await pilot.press("ctrl+s")
        await pilot.pause()
        release.set()
        await wait_for(pilot, lambda: app.screen is not form)
        await settled(pilot)
    assert len(runs) == 1, "searched once"
    assert len(sent.json("complaint", "show", "1")["decisions"]) == 1, "saved once"


async def test_leaving_the_form_while_it_searches_saves_nothing(
    sent: Tracker, held_search: tuple[threading.Event, list[int]]
) -> None:
    release, runs = held_search
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await _save_not_mine(app, pilot, despite=True)
        await wait_for(pilot, lambda: bool(runs))
        await pilot.press("escape")  # stops the search; the form holds what was chosen: asked first
        await pilot.press("ctrl+d")
        await wait_for(pilot, lambda: app.screen is not form)
        release.set()
        await settled(pilot)
    assert runs and sent.json("complaint", "show", "1")["decisions"] == [], "nothing is recorded"
