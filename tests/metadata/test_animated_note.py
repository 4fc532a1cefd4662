"""An animated WebP or GIF is matched by its first frame only: the reading says so, so an owner who logs one
knows a complainant's still of a later frame will not be found."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.imagefactory import pixels

from tracker.metadata.reader import read_image


@pytest.mark.parametrize("fmt", ["WEBP", "GIF"])
def test_an_animation_says_only_its_first_frame_is_matched(tmp_path: Path, fmt: str) -> None:
    frames = [pixels((64, 48), seed=seed) for seed in range(4)]
    path = tmp_path / f"anim.{fmt.lower()}"
    frames[0].save(path, fmt, save_all=True, append_images=frames[1:], duration=100, loop=0)
    reading = read_image(path)
    assert "animated image (4 frames): only the first frame is hashed and matched" in reading.problems


def test_a_still_image_has_no_such_note(tmp_path: Path) -> None:
    path = tmp_path / "still.webp"
    pixels((64, 48), seed=1).save(path, "WEBP")
    assert not any("animated" in problem for problem in read_image(path).problems)
