"""A phone photo stored sideways (EXIF Orientation) is matched as every viewer shows it.

The file keeps its pixels 384x512 and says "turn me 90 degrees" (Orientation 6): a browser, a
platform and a complainant's screenshot all show it 512x384. Its hashes are made of the picture as
shown, so the screenshot finds its post, and a database whose hashes were made of the stored pixels
re-hashes those images when it is upgraded.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fixtures.common import Tracker, database_url
from fixtures.drawings import drawing
from fixtures.imagefactory import pixels
from PIL import Image

from tracker.cli import AppContext
from tracker.complaints.records import get_complaint
from tracker.complaints.triage import triage
from tracker.matching import hashing

pytestmark = pytest.mark.db

URL = "https://www.pixiv.net/artworks/555"
SHOWN = (512, 384)
"""The picture as viewers show it; the file stores it turned a quarter to the left (384x512)."""


def sideways(path: Path, orientation: Any = 6, seed: int = 3, fmt: str = "JPEG") -> Image.Image:
    """Write the picture stored sideways with an EXIF Orientation of 6 (turn 90 degrees clockwise to show it);
    returns the picture as shown."""
    shown = drawing(seed, SHOWN)
    exif = Image.Exif()
    exif[0x0112] = orientation
    options: dict[str, Any] = {"quality": 92} if fmt == "JPEG" else {}
    shown.transpose(Image.Transpose.ROTATE_90).save(path, fmt, exif=exif, **options)
    return shown


def screenshots(shown: Image.Image, folder: Path) -> tuple[Path, Path]:
    """The picture as shown, saved as a PNG at full size, and a smaller JPEG copy of it."""
    whole, small = folder / "phone_screenshot.png", folder / "phone_small.jpg"
    shown.save(whole)
    shown.resize((400, 300), Image.Resampling.LANCZOS).save(small, quality=80)
    return whole, small


def best(tracker: Tracker, picture: Path) -> dict[str, Any]:
    found = tracker.json("match", picture)
    assert found, f"nothing matches {picture.name}"
    return dict(found[0])


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_a_screenshot_of_a_sideways_photo_finds_its_post(tracker: Tracker, tmp_path: Path, fmt: str) -> None:
    phone = tmp_path / f"phone.{fmt.lower()}"
    shown = sideways(phone, fmt=fmt)
    tracker("log", phone, "--url", URL, "--persona", "p", "--new-persona")

    for picture in screenshots(shown, tmp_path):
        found = best(tracker, picture)
        assert (found["image_id"], found["kind"], found["confidence"]) == (1, "whole", "certain"), found
        assert [p["url"] for p in found["posts"]] == [URL]
    out = tracker("match", tmp_path / "phone_small.jpg").stdout
    assert "(certain)  whole    image #1" in out and f"post #1 [live] pixiv  {URL}" in out
    assert best(tracker, phone)["identical"] is True  # the file itself still, by its sha256


def test_show_gives_the_size_as_shown_and_the_stored_one(tracker: Tracker, tmp_path: Path) -> None:
    phone = tmp_path / "phone.jpg"
    sideways(phone)
    logged = tracker("log", phone, "--url", URL, "--persona", "p", "--new-persona").stdout
    assert "phone.jpg  JPEG 512x384 (stored 384x512, EXIF-rotated)  sha256" in logged
    assert tracker("inspect", phone).stdout.startswith(f"{phone}  (JPEG 512x384 (stored 384x512, EXIF-rotated))\n")

    assert "phone.jpg  JPEG 512x384 (stored 384x512, EXIF-rotated)  sha256" in tracker("show", "1").stdout
    image = tracker.json("show", "1")["image"]
    assert (image["width"], image["height"], image["orientation"]) == (384, 512, 6)  # the file's pixels, and the turn


def test_a_complaint_screenshot_of_a_sideways_photo_names_its_post(tracker: Tracker, tmp_path: Path) -> None:
    phone = tmp_path / "phone.jpg"
    _, small = screenshots(sideways(phone), tmp_path)
    tracker("log", phone, "--url", URL, "--persona", "p", "--new-persona")
    number = tracker.json("complaint", "add", "--image", small, "--name", "Sam Lee", "--lang", "en")["id"]

    context = AppContext(db=None, data_dir=None)  # what the complaint's triage screen lists
    try:
        factory = context.sessions()
        with factory() as session:
            found = triage(factory, context.settings, get_complaint(session, number)).candidates
    finally:
        context.close()
    assert found, "the complaint's picture matches no post"
    assert [p.url for p in found[0].posts] == [URL] and found[0].evidence is not None
    assert found[0].evidence.confidence == "certain"


def test_an_imported_sideways_photo_is_found_too(tracker: Tracker, tmp_path: Path) -> None:
    folder = tmp_path / "phone"
    folder.mkdir()
    shown = sideways(folder / "IMG_0001.jpg")
    tracker("import", folder, "--persona", "p", "--new-persona")

    found = best(tracker, screenshots(shown, tmp_path)[1])
    assert (found["original_name"], found["confidence"]) == ("IMG_0001.jpg", "certain")


def _hostile_exif(path: Path) -> Image.Image:
    """A JPEG whose EXIF block is garbage after its header: the picture as stored."""
    stored = drawing(3, SHOWN)
    stored.save(path, quality=92, exif=b"Exif\0\0\x01\x02garbage, not a TIFF header at all")
    return stored


def _orientation(value: Any) -> Any:
    def write(path: Path) -> Image.Image:
        stored = drawing(3, SHOWN)
        exif = Image.Exif()
        exif[0x0112] = value
        stored.save(path, quality=92, exif=exif)
        return stored

    return write


@pytest.mark.parametrize("write", [_orientation(9), _orientation(0), _orientation(65535), _hostile_exif])
def test_a_hostile_orientation_is_ignored_and_the_picture_hashed_as_stored(
    tracker: Tracker, tmp_path: Path, write: Any
) -> None:
    odd = tmp_path / "odd.jpg"
    stored = write(odd)
    logged = tracker("log", odd, "--url", URL, "--persona", "p", "--new-persona").stdout
    assert "odd.jpg  JPEG 512x384  sha256" in logged

    assert tracker.json("show", "1")["image"]["orientation"] == 1
    copy = tmp_path / "copy.png"
    stored.resize((400, 300)).save(copy)
    assert best(tracker, copy)["confidence"] == "certain"


def _downgrade(data: Path, revision: str) -> None:
    from alembic import command
    from sqlalchemy import create_engine

    from tracker.db import migrate

    engine = create_engine(database_url(data))
    try:
        with engine.begin() as connection:
            config = migrate.alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, revision)
    finally:
        engine.dispose()


def _execute(data: Path, *statements: tuple[str, dict[str, Any]]) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url(data))
    try:
        with engine.begin() as connection:
            for sql, params in statements:
                connection.execute(text(sql), params)
    finally:
        engine.dispose()


def test_an_upgraded_database_rehashes_its_sideways_photos_and_their_saved_index(
    tracker: Tracker, isolated_env: Path, tmp_path: Path
) -> None:
    """An archive from before: the photo's hashes are of the stored pixels, and the saved index (and its
    region tables) holds them. The upgrade re-hashes it, and the next search finds it, even in an archive
    large enough that the saved index is checked against the database on a sample of its rows only."""
    others = tmp_path / "others"
    others.mkdir()
    for n in range(39):
        pixels((96, 64), seed=100 + n).save(others / f"other{n:02}.png")
    tracker("log", others / "other00.png", "--url", f"{URL}0", "--persona", "p", "--new-persona")
    (others / "other00.png").unlink()
    phone = tmp_path / "phone.jpg"
    shown = sideways(phone)
    tracker("log", phone, "--url", URL, "--persona", "p")  # image #2: not among the rows a check samples
    tracker("import", others, "--persona", "p")
    with Image.open(phone) as stored:
        old = hashing.image_hashes(stored)  # what an older tracker stored: the unturned pixels' hashes
    columns = "phash = :p, dhash = :d, phash_mirror = :pm, dhash_mirror = :dm, region_hashes = :r, region_mask = :m"
    values = {"p": old.phash, "d": old.dhash, "pm": old.phash_mirror, "dm": old.dhash_mirror, "r": old.regions}
    _execute(isolated_env, (f"UPDATE image SET {columns} WHERE id = 2", {**values, "m": old.region_mask}))
    whole, small = screenshots(shown, tmp_path)
    assert tracker.json("match", small) == []  # the old hashes, now saved in the index and its region tables
    index = AppContext(db=None, data_dir=None).settings.index_path
    assert index.with_name(index.name + ".regions").is_file()
    _downgrade(isolated_env, "0013")  # the schema as the older tracker left it (later revisions undone)

    for picture in (small, whole):
        found = best(tracker, picture)
        assert (found["image_id"], found["confidence"]) == (2, "certain"), found
