"""`tracker import` over links and copies: the file itself gives the post, and the summary counts each file once.

A link in the import folder to a file in it is the same image: the file, with its own name and gallery-dl
sidecar, is read whatever the walk meets first. A copy of a posted image in the same run adds nothing.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from fixtures.common import Tracker, query
from fixtures.imagefactory import pixels, write_png

pytestmark = pytest.mark.db

PIXIV = "https://www.pixiv.net/artworks/888"


def pixiv_file(folder: Path) -> Path:
    """`888_p0.png` with its gallery-dl sidecar."""
    folder.mkdir(parents=True, exist_ok=True)
    image = write_png(folder / "888_p0.png", {}, image=pixels((90, 70), seed=31))
    data = {"category": "pixiv", "id": 888, "num": 0, "title": "Lamp", "user": {"account": "moth_ai"}}
    (folder / "888_p0.png.json").write_text(json.dumps(data), encoding="utf-8")
    return image


def test_the_file_wins_over_a_link_to_it_met_first(tracker: Tracker, tmp_path: Path, isolated_env: Path) -> None:
    image = pixiv_file(tmp_path / "imp" / "pixiv")
    (tmp_path / "imp" / "misc").mkdir()
    os.symlink(image, tmp_path / "imp" / "misc" / "link.png")  # misc/ sorts before pixiv/
    summary = tracker.json("import", tmp_path / "imp", "--persona", "moth")
    assert (summary["files"], summary["new_posts"], summary["archived_without_post"]) == (1, 1, 0)
    assert [p["url"] for p in tracker.json("posts")] == [PIXIV]
    assert query(isolated_env, "select original_name from image") == [("888_p0.png",)]


def test_a_link_to_a_file_elsewhere_finds_the_sidecar_beside_that_file(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    image = pixiv_file(tmp_path / "downloads")
    (tmp_path / "imp").mkdir()
    os.symlink(image, tmp_path / "imp" / "chosen.png")
    summary = tracker.json("import", tmp_path / "imp", "--persona", "moth")
    assert (summary["new_posts"], summary["archived_without_post"]) == (1, 0)
    assert [p["url"] for p in tracker.json("posts")] == [PIXIV]


def test_importing_again_adds_the_post_an_image_archived_without_one_now_has(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    image = pixiv_file(tmp_path / "imp")
    sidecar = image.with_name(image.name + ".json")
    kept = sidecar.read_bytes()
    sidecar.unlink()
    first = tracker.json("import", tmp_path / "imp", "--persona", "moth")
    assert (first["new_posts"], first["archived_without_post"]) == (0, 1)
    sidecar.write_bytes(kept)
    again = tracker.json("import", tmp_path / "imp", "--persona", "moth")
    assert (again["new_images"], again["new_posts"], again["already_done"]) == (0, 1, 0)
    assert [p["url"] for p in tracker.json("posts")] == [PIXIV]


def test_a_copy_of_a_posted_image_is_not_archived_without_a_post(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    image = pixiv_file(tmp_path / "imp" / "pixiv")
    (tmp_path / "imp" / "a").mkdir()
    (tmp_path / "imp" / "a" / "copy.png").write_bytes(image.read_bytes())  # walked first
    text = tracker("import", tmp_path / "imp", "--persona", "moth").stdout
    assert text.splitlines()[0] == (
        "2 files: 1 new image, 1 new post, 0 archived without a post, 1 already done, 0 failed"
    )
