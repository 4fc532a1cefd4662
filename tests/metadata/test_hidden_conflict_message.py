"""The "hidden data disagrees" finding shows where the hidden record and the text record differ.

A prompt edited at its end (an artist name added after the image was made) used to read
`'general, masterpiece, best quality, a...' vs hidden 'general, masterpiece, best quality, a...'`:
both sides cut at the same place, the change invisible.
"""

from __future__ import annotations

from pathlib import Path

from fixtures.imagefactory import FORGE_INFOTEXT, pixels, write_png
from fixtures.stealth_writer import embed_stealth

from tracker.metadata.reader import read_image

PROMPT = "general, masterpiece, best quality, amazing quality, 1girl, solo, hatsune miku"
SETTINGS = FORGE_INFOTEXT.split("\n", 1)[1]


def _conflicts(tmp_path: Path, text_prompt: str, hidden_prompt: str) -> list[str]:
    image = embed_stealth(pixels((160, 160), mode="RGBA"), f"{hidden_prompt}\n{SETTINGS}", mode="alpha")
    path = write_png(tmp_path / "s.png", {"parameters": f"{text_prompt}\n{SETTINGS}"}, image=image)
    info = read_image(path).info
    assert info is not None
    return list(info.params.get("hidden_metadata_conflict", []))


def test_a_change_at_the_end_of_a_long_prompt_is_shown(tmp_path: Path) -> None:
    [conflict] = _conflicts(tmp_path, PROMPT + ", by Greg Rutkowski", PROMPT)
    assert conflict.startswith("prompt: …'")
    shown, hidden = conflict.removeprefix("prompt: ").split(" vs hidden ")
    assert "by Greg Rutkowski" in shown and "Greg" not in hidden
    assert shown != hidden
    assert hidden.endswith("hatsune miku'")  # the hidden prompt ends there: no `…` after it


def test_a_change_in_the_middle_is_shown_with_cuts_marked_on_both_sides(tmp_path: Path) -> None:
    long_tail = ", detailed background" * 20
    text = PROMPT + ", red dress" + long_tail
    hidden = PROMPT + ", blue dress" + long_tail
    [conflict] = _conflicts(tmp_path, text, hidden)
    shown, hidden_shown = conflict.removeprefix("prompt: ").split(" vs hidden ")
    assert "red dress" in shown and "blue dress" in hidden_shown
    assert shown.startswith("…'") and shown.endswith("'…")
    assert hidden_shown.startswith("…'") and hidden_shown.endswith("'…")
    assert len(conflict) < 140


def test_the_shown_difference_stays_escaped_and_short(tmp_path: Path) -> None:
    hostile = "\x1b[2J\x1b]0;owned\x07\u202e" * 40
    [conflict] = _conflicts(tmp_path, PROMPT + ", " + hostile, PROMPT + ", tail")
    assert "\x1b" not in conflict and "\x07" not in conflict and "\u202e" not in conflict
    assert "\\x1b[2J" in conflict and "tail" in conflict
    assert len(conflict) < 240
