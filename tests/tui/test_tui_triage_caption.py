"""The complainant's picture in triage is captioned and drawn as viewers show it, as the post's is: a phone
photo stored sideways (EXIF Orientation 6) is 512x384, said with its stored size, and drawn upright."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.tui import candidates_loaded, make_app, wait_for
from textual.widgets import Static

from tracker.tui.images import HALF_BLOCKS, Graphics

pytestmark = pytest.mark.db


async def test_their_sideways_photo_is_captioned_and_drawn_upright(tracker: Tracker, tmp_path: Path) -> None:
    from matching.test_exif_orientation import sideways

    phone = tmp_path / "phone.jpg"
    sideways(phone)
    tracker("log", phone, "--url", "https://www.pixiv.net/artworks/800000001", "--persona", "moth")
    tracker("complaint", "add", "--image", phone, "--name", "A. Painter")
    app = make_app()
    app.graphics = Graphics(HALF_BLOCKS, (8, 16))
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_complaint(1)
        await wait_for(pilot, lambda: candidates_loaded(app))
        screen = app.screen
        theirs = screen.query_one("#complaint-image")
        await wait_for(pilot, lambda: bool(theirs.query(".preview-picture")))
        caption = str(theirs.query_one(".preview-caption", Static).render())
        assert caption == "phone.jpg  512x384 (stored 384x512, EXIF-rotated)"
        await wait_for(
            pilot, lambda: "512x384" in str(screen.query_one("#candidate-image .preview-caption", Static).render())
        )
        ours = str(screen.query_one("#candidate-image .preview-caption", Static).render())
        assert ours.endswith("phone.jpg  512x384 (stored 384x512, EXIF-rotated)"), "the same words as the post's"
        width, height = theirs.query_one(".preview-picture").image.size  # type: ignore[attr-defined]
        assert width > height, "drawn upright, as viewers show it"
