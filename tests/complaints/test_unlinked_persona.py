"""A complaint that names no post, with more than one persona in the archive (an X DM saying "you stole my art",
no link): no persona signs its letter. `complaint add` and `complaint reply` say so and how to say whose it is,
not only "fill in: your name"; once it is said, the persona signs."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing

pytestmark = pytest.mark.db


@pytest.fixture
def two(tracker: Tracker, tmp_path: Path) -> Tracker:
    """Two personas, each with a post."""
    for seed, url, persona in (
        (1, "https://www.pixiv.net/artworks/110000001", "moth"),
        (2, "https://x.com/kite_a/status/1922222222222222222", "kite"),
    ):
        path = tmp_path / f"{persona}.png"
        drawing(seed).save(path)
        tracker("log", path, "--url", url, "--persona", persona)
    tracker("persona", "set", "moth", "--display-name", "Moth Atelier")
    return tracker


def test_intake_and_reply_say_how_to_link_a_complaint_no_persona_signs(two: Tracker) -> None:
    added = two("complaint", "add", "--message", "you stole my art", "--channel", "dm", "--platform", "x")
    assert (
        "persona    none, so no name signs its letter: say whose it is with tracker complaint set 1 --persona NAME"
        in added.stdout
    )
    two("complaint", "decide", "1", "--action", "ask_info")
    reply = two("complaint", "reply", "1")
    assert "[[ FILL IN" in reply.stdout
    assert "tracker complaint set 1 --persona NAME" in reply.stderr
    two("complaint", "set", "1", "--persona", "moth")
    signed = two("complaint", "reply", "1")
    assert "Moth Atelier" in signed.stdout and "FILL IN" not in signed.stdout
    assert "--persona NAME" not in signed.stderr


def test_one_persona_signs_unasked(tracker: Tracker, tmp_path: Path) -> None:
    path = tmp_path / "moth.png"
    drawing(1).save(path)
    tracker("log", path, "--url", "https://www.pixiv.net/artworks/110000001", "--persona", "moth")
    added = tracker("complaint", "add", "--message", "you stole my art")
    assert "persona " not in added.stdout
    tracker("complaint", "decide", "1", "--action", "ask_info")
    assert "--persona NAME" not in tracker("complaint", "reply", "1").stderr
