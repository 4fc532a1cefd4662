"""`tracker purge status` fits an 80-column terminal: nothing cut in a word, each URL whole on a line."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.columns import assert_whole, fitting_lines
from fixtures.common import Tracker
from fixtures.imagefactory import FORGE_INFOTEXT, pixels, write_png
from fixtures.purgeworld import TARGET, TARGET_POSTS, build_world

from tracker.purge.items import SECTION_TITLES

pytestmark = pytest.mark.db

JAPANESE_URL = "https://bsky.app/profile/nightmoth.bsky.social/post/3knightmoth2harbour"
JAPANESE_TITLE = "夜の港で提灯を見上げる少女と石畳の坂道を描いた長い題名"


def test_status_fits_80_columns_with_every_url_whole(
    tracker: Tracker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_world(tracker, tmp_path / "images")
    image = write_png(tmp_path / "harbour.png", {"parameters": FORGE_INFOTEXT}, image=pixels(seed=9))
    tracker("log", image, "--url", JAPANESE_URL, "--persona", TARGET, "--title", JAPANESE_TITLE)
    tracker("purge", "plan", TARGET)
    piped = tracker("purge", "status", TARGET).stdout
    monkeypatch.setenv("COLUMNS", "80")
    out = tracker("purge", "status", TARGET).stdout
    lines = fitting_lines(out)
    for url, title in [*TARGET_POSTS.items(), (JAPANESE_URL, JAPANESE_TITLE)]:
        assert any(line.strip() == url or f" {url}" in line for line in lines), f"{url} is not whole on a line"
        assert_whole(out, title)
    words = " ".join(word for word in out.split() if not word.isdigit())  # a title with its counts left out
    assert all(title in words for title in SECTION_TITLES.values())
    [counts] = [line for line in lines if line.rstrip().endswith("by scrub")]
    assert counts.split() == ["open", "failed", "done", "skipped", "by", "scrub"]
    piped_lines = piped.splitlines()  # into a pipe, as before: one line each
    assert any(line.endswith(f"{JAPANESE_URL}  {JAPANESE_TITLE}") for line in piped_lines)
    left = next(i for i, line in enumerate(piped_lines) if line.startswith("Left before the scrub"))
    for line in piped_lines[left:]:  # each item, each warning: all of it on the terminal
        assert_whole(out, line)
