"""A "not my post" dispute is refused when `tracker match` finds the complainant's picture among the owner's posts.

The letter for that reason tells them no image the owner published shows their picture. The complaint need not name
a post: the same search `tracker match` and the triage run decides, and a "certain" or "high" match with a post
refutes the reason, in one line naming the post and the score, in the CLI and the TUI decision form alike. A lower
match is the owner's to judge; the letter then says one image resembles theirs, never that none was found.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import pixels, write_png
from fixtures.tui import SIZE, candidates_loaded, make_app, settled, wait_for
from PIL import Image
from textual.widgets import Select, SelectionList, Static

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


async def _save_not_mine(app: Any, pilot: Any) -> DecisionScreen:
    """From the dashboard: open complaint #1, `d`, a not-my-post dispute naming no post, Save; the form it was."""
    await settled(pilot)
    await pilot.press("enter")
    await wait_for(pilot, lambda: candidates_loaded(app))
    await pilot.press("d")
    form = app.screen
    assert isinstance(form, DecisionScreen)
    await pilot.click("#action-dispute")
    form.query_one("#reason", Select).value = "not_my_post"
    form.query_one("#posts", SelectionList).deselect_all()  # the triage ticks the match: untick it
    await pilot.click("#save")
    return form


async def test_the_tui_form_refuses_it_too(sent: Tracker) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await _save_not_mine(app, pilot)
        await pilot.pause()
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
