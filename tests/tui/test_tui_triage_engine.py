"""The triage screen and `tracker match` are one engine: the same candidates, in the same order.

The archive holds the three kinds of image a complaint can be about: a posted image, an image
archived without a post (imported, never posted), and a recorded input image (the ControlNet
source of another post). The complainant's picture looks like all three.
"""

from __future__ import annotations

import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing
from fixtures.imagefactory import FORGE_INFOTEXT, write_png
from fixtures.tui import candidates_loaded, make_app, wait_for
from textual.widgets import DataTable, Static

from tracker.cli import AppContext
from tracker.complaints.complaint_input import ComplaintInput
from tracker.complaints.deadlines import end_of_local_day
from tracker.complaints.intake import add_complaint
from tracker.tui.screens.triage import TriageScreen

pytestmark = pytest.mark.db

MADE_WITH_INPUT = "https://www.pixiv.net/artworks/700000001"
POSTED = "https://www.pixiv.net/artworks/700000002"


def complaint_about(image: Path, deadline_at: datetime | None = None) -> int:
    """Log a complaint whose picture is `image`, as the intake form does; its number."""
    context = AppContext(db=None, data_dir=None)
    try:
        return add_complaint(
            context.sessions(),
            context.settings,
            ComplaintInput(received_at=datetime.now(UTC), images=[image], deadline_at=deadline_at),
            context.platforms(),
        )
    finally:
        context.close()


@pytest.fixture
def three_kinds(tracker: Tracker, tmp_path: Path) -> Path:
    """A post, an archived image without a post and a recorded input, all like one picture; the
    complainant's copy of that picture is returned."""
    source = drawing(5)
    made = write_png(tmp_path / "made-with-controlnet.png", {"parameters": FORGE_INFOTEXT}, image=drawing(1))
    tracker("log", made, "--url", MADE_WITH_INPUT, "--persona", "moth")
    reference = tmp_path / "pose-reference.png"
    source.save(reference)
    tracker("input", "add", MADE_WITH_INPUT, reference, "--kind", "own_asset")
    posted = tmp_path / "posted.jpg"
    source.save(posted, quality=90)
    tracker("log", posted, "--url", POSTED, "--persona", "moth")
    folder = tmp_path / "never-posted"
    folder.mkdir()
    source.transpose(0).save(folder / "mirrored.webp", quality=85)  # flipped, re-encoded
    tracker("import", folder, "--persona", "moth")
    theirs = tmp_path / "their-copy.jpg"
    source.resize((source.width * 2 // 3, source.height * 2 // 3)).save(theirs, quality=75)
    return theirs


async def test_triage_lists_what_match_finds_in_the_same_order(tracker: Tracker, three_kinds: Path) -> None:
    matched = tracker.json("match", three_kinds)
    kinds = {("post" if m["posts"] else "input" if m["input_of"] else "archived"): m["image_id"] for m in matched}
    assert set(kinds) == {"post", "archived", "input"}, matched

    number = complaint_about(three_kinds)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_complaint(number)
        await wait_for(pilot, lambda: candidates_loaded(app))
        screen = app.screen
        assert isinstance(screen, TriageScreen) and screen.result is not None
        shown = [(c.image_id, c.kind, c.score) for c in screen.result.candidates]
        assert shown == [
            (m["image_id"], "post" if m["posts"] else "input" if m["input_of"] else "archived", m["score"])
            for m in matched
        ]
        table = screen.query_one("#candidates", DataTable)
        rows = [" ".join(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count)]
        labels = dict(zip([c.kind for c in screen.result.candidates], rows, strict=True))
        assert "post #2" in labels["post"]
        assert f"archived image #{kinds['archived']}" in labels["archived"]
        assert "input of post #1" in labels["input"]

        # Each kind's evidence says what it is and how it matched.
        for kind, label in (
            ("archived", "archived, not posted"),
            ("input", "recorded input image"),
            ("post", "posted image"),
        ):
            row = [c.kind for c in screen.result.candidates].index(kind)
            table.move_cursor(row=row)
            await wait_for(pilot, lambda label=label: label in str(screen.query_one("#facts-text", Static).content))
            facts = str(screen.query_one("#facts-text", Static).content)
            assert "score" in facts and "distance: pHash" in facts
            if kind == "input":
                assert "recorded as the controlnet input (own asset) of image #1, posted as #1" in facts


async def test_the_title_follows_the_complaint(tracker: Tracker, three_kinds: Path) -> None:
    today = end_of_local_day(datetime.now().astimezone().date())  # a deadline given as today: all of it
    number = complaint_about(three_kinds, deadline_at=today)
    tracker("complaint", "decide", str(number), "--action", "take_down", "--post", "2")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_complaint(number)
        await wait_for(pilot, lambda: candidates_loaded(app))
        assert app.screen.sub_title == "due today"
    tracker("complaint", "reply", str(number), "--answered")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_complaint(number)
        await wait_for(pilot, lambda: candidates_loaded(app))
        assert app.screen.sub_title == "answered" and "OVERDUE" not in app.screen.title


def test_the_viewer_is_the_desktops_and_only_where_there_is_one(tmp_path: Path) -> None:
    from tracker.tui.external import open_in_viewer, viewer_command

    picture = tmp_path / "a.png"
    picture.write_bytes(b"not really")
    assert viewer_command(picture, env={}) is None  # a console or SSH: no desktop
    if sys.platform.startswith("linux"):
        opener = shutil.which("xdg-open")
        assert viewer_command(picture, env={"DISPLAY": ":0"}) == ([opener, str(picture)] if opener else None)
    assert "missing" in open_in_viewer(tmp_path / "gone.png")


async def test_v_says_where_the_picture_is_without_a_desktop(
    tracker: Tracker, three_kinds: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    number = complaint_about(three_kinds)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_complaint(number)
        await wait_for(pilot, lambda: candidates_loaded(app))
        await wait_for(pilot, lambda: app.screen._shown["candidate"] is not None)  # type: ignore[attr-defined]
        await pilot.press("v")
        await pilot.pause()
        said = [n.message for n in app._notifications]
        assert any("no desktop" in m and "/archive/" in m for m in said), said
