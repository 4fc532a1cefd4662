"""What a take-down leaves live elsewhere (`complaints.live_copies`): the pictures the complaint is about, on every
page of each post taken down, wherever else they are posted, as the image a post was logged with or a further page.

pixiv post 777 shows two pictures (`777_p0`, `777_p1`); a complaint about the second must send the owner to the X
post that shows it too, and never to one that shows only the first.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import pixels, write_png

pytestmark = pytest.mark.db

PIXIV = "https://www.pixiv.net/artworks/777"
TWEET = "https://x.com/moth_ai/status/1800000000000000001"


def sidecar(image: Path, data: dict[str, Any]) -> None:
    image.with_name(image.name + ".json").write_text(json.dumps(data), encoding="utf-8")


def pixiv_post(tracker: Tracker, folder: Path) -> dict[int, Path]:
    """pixiv post 777 (#1) of moth as gallery-dl saves it, both pages imported: {num: file}."""
    folder.mkdir(parents=True)
    pages = {}
    for num in (0, 1):
        pages[num] = write_png(folder / f"777_p{num}.png", {}, image=pixels((96, 72), seed=11 + num))
        sidecar(pages[num], {"category": "pixiv", "id": 777, "num": num, "user": {"account": "moth_ai"}})
    tracker("import", folder, "--persona", "moth")
    return pages


def on_x(tracker: Tracker, picture: Path, where: Path) -> None:
    """The same file posted on X as post #2, the image it is logged with."""
    where.mkdir(parents=True)
    tracker("log", shutil.copyfile(picture, where / "x.png"), "--url", TWEET, "--persona", "moth")


def copy_of(image: Path, where: Path) -> Path:
    """A complainant's copy: the picture made smaller and saved as JPEG (not the same file)."""
    from PIL import Image

    with Image.open(image) as opened:
        opened.convert("RGB").resize((72, 54)).save(where, "JPEG", quality=90)
    return where


def complaint_about(tracker: Tracker, *pictures: Path) -> str:
    images = [arg for picture in pictures for arg in ("--image", picture)]
    added = tracker.json("complaint", "add", "--post", PIXIV, *images, "--name", "Tom Lee", "--persona", "moth")
    return str(added["id"])


def take_down(tracker: Tracker, number: str) -> str:
    return tracker("complaint", "decide", number, "--action", "take_down", "--post", "1").stdout


def test_a_complaint_about_page_2_names_the_x_post_that_shows_page_2(tracker: Tracker, tmp_path: Path) -> None:
    pages = pixiv_post(tracker, tmp_path / "pixiv")
    on_x(tracker, pages[1], tmp_path / "x")
    out = take_down(tracker, complaint_about(tracker, copy_of(pages[1], tmp_path / "theirs.jpg")))
    assert f"to remove  #1 [live] {PIXIV}" in out
    assert f"also live  #2 {TWEET}  (the same image as post #1, page 2; not in this take-down)" in out, out
    assert "tracker complaint decide 1 --action take_down --post 1 --post 2" in out


def test_a_complaint_about_page_2_does_not_name_a_copy_of_page_1(tracker: Tracker, tmp_path: Path) -> None:
    """Post #1's first picture is on X too, but the complainant's picture is its second: X shows nothing of theirs."""
    pages = pixiv_post(tracker, tmp_path / "pixiv")
    on_x(tracker, pages[0], tmp_path / "x")
    out = take_down(tracker, complaint_about(tracker, copy_of(pages[1], tmp_path / "theirs.jpg")))
    assert f"to remove  #1 [live] {PIXIV}" in out
    assert "also live" not in out and "--post 2" not in out, out


def test_the_very_file_sent_tells_the_page_as_a_copy_does(tracker: Tracker, tmp_path: Path) -> None:
    pages = pixiv_post(tracker, tmp_path / "pixiv")
    on_x(tracker, pages[0], tmp_path / "x")
    theirs = shutil.copyfile(pages[1], tmp_path / "theirs.png")
    assert "also live" not in take_down(tracker, complaint_about(tracker, theirs))


def test_without_a_picture_every_page_of_the_post_is_what_the_complaint_is_about(
    tracker: Tracker, tmp_path: Path
) -> None:
    pages = pixiv_post(tracker, tmp_path / "pixiv")
    on_x(tracker, pages[1], tmp_path / "x")
    out = take_down(tracker, complaint_about(tracker))
    assert f"also live  #2 {TWEET}  (the same image as post #1, page 2; not in this take-down)" in out, out


def test_a_copy_posted_as_a_further_page_elsewhere_is_named_by_its_page(tracker: Tracker, tmp_path: Path) -> None:
    """The X post's second photo is pixiv's page 2: the line says which page of the X post to look at."""
    pages = pixiv_post(tracker, tmp_path / "pixiv")
    folder = tmp_path / "x"
    folder.mkdir()
    photos = {1: write_png(folder / "1800000000000000001_1.png", {}, image=pixels((80, 60), seed=31))}
    photos[2] = shutil.copyfile(pages[1], folder / "1800000000000000001_2.png")
    for num, photo in photos.items():
        sidecar(
            photo, {"category": "twitter", "tweet_id": 1800000000000000001, "num": num, "author": {"name": "moth_ai"}}
        )
    tracker("import", photos[1], "--persona", "moth")
    assert tracker.json("import", photos[2], "--persona", "moth")["more_pages"] == 1
    out = take_down(tracker, complaint_about(tracker, copy_of(pages[1], tmp_path / "theirs.jpg")))
    assert f"also live  #2 {TWEET}, page 2  (the same image as post #1, page 2; not in this take-down)" in out, out
    tracker("post", "set", "2", "--status", "taken_down")
    assert "also live" not in take_down(tracker, "1"), "a post no longer live is no copy to look for"
