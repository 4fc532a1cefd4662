"""A dispute of a post made with an image input (ControlNet) whose letter says nothing of that input.

The letter lists the models and LoRAs; only the owner knows what the input was, so the letter claims nothing about
it, but the owner is told, before sending, that it is silent on an input the image's metadata shows (and how to
say what it was). A licensed-input dispute speaks of the input, and a post made from a text prompt has none: no
warning for either.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import FORGE_INFOTEXT, write_png

pytestmark = pytest.mark.db

PIXIV = "https://www.pixiv.net/artworks/9301"
TEXT_ONLY = re.sub(r'ControlNet 0: "[^"]*", ', "", FORGE_INFOTEXT)
SILENT = "was made with an image input (tracker inputs 1), which this letter does not mention"


def _dispute(tracker: Tracker, tmp_path: Path, parameters: str, reason: str, lang: str = "en") -> dict[str, Any]:
    tracker("log", write_png(tmp_path / "post.png", {"parameters": parameters}), "--url", PIXIV, "--persona", "moth")
    tracker("persona", "set", "moth", "--display-name", "Moth Atelier")
    number = str(
        tracker.json(
            "complaint", "add", "--post", PIXIV, "--basis", "none", "--lang", lang, "--name", "Kai",
            "--message", "Your picture copies my drawing. Please remove it.",
        )["id"]
    )  # fmt: skip
    tracker("complaint", "decide", number, "--action", "dispute", "--reason", reason)
    return dict(tracker.json("complaint", "reply", number))


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_dispute_silent_on_a_recorded_image_input_tells_the_owner(
    tracker: Tracker, tmp_path: Path, lang: str
) -> None:
    draft = _dispute(tracker, tmp_path, FORGE_INFOTEXT, "other", lang)
    said = [w for w in draft["warnings"] if SILENT in w]
    assert said == [
        f"post #1 {SILENT}: the complainant may read it in the image's metadata; if the input was your own or "
        "licensed, decide again with --reason licensed_input, or say what it was in --reply-note"
    ]
    assert "tracker inputs" not in draft["text"] and "--reason" not in draft["text"], "for the owner only"


def test_a_licensed_input_dispute_speaks_of_the_input_itself(tracker: Tracker, tmp_path: Path) -> None:
    draft = _dispute(tracker, tmp_path, FORGE_INFOTEXT, "licensed_input")
    assert "Every input image I used to generate the post was my own work" in draft["text"]
    assert not [w for w in draft["warnings"] if SILENT in w]


def test_a_post_made_from_a_text_prompt_has_no_input_to_mention(tracker: Tracker, tmp_path: Path) -> None:
    draft = _dispute(tracker, tmp_path, TEXT_ONLY, "slight_resemblance")
    assert not [w for w in draft["warnings"] if "image input" in w]
