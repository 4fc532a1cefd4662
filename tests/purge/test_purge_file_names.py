"""The checklist's "original files" item names every file an image was logged or imported from, and the scrub
removes those names: a byte-identical copy saved under another name is another local original of the persona."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from fixtures.common import Tracker, query
from fixtures.imagefactory import FORGE_INFOTEXT, pixels, write_png
from fixtures.purgeworld import database_bytes

from tracker.cli import cli

pytestmark = pytest.mark.db

PERSONA = "hp"
OTHER = "lanternfish"


def originals(tracker: Tracker, persona: str = PERSONA) -> list[str]:
    found = json.loads(tracker("purge", "plan", persona, "--format", "json").stdout)["items"]
    return next(item["files"] for item in found if item["id"] == "local:originals")


def image_and_copy(folder: Path, first: str = "esc_prompt.png", second: str = "scan_copy.png") -> tuple[Path, Path]:
    """One image and a byte-identical copy of it under another name."""
    folder.mkdir(parents=True, exist_ok=True)
    image = write_png(folder / first, {"parameters": "a harbour at dusk\nSteps: 20, Seed: 1"}, image=pixels(seed=4))
    return image, Path(shutil.copyfile(image, folder / second))


def log(tracker: Tracker, image: Path, post: int, persona: str = PERSONA) -> str:
    return tracker("log", image, "--url", f"https://www.pixiv.net/artworks/{post}", "--persona", persona).stdout


def mark_everything(tracker: Tracker, persona: str = PERSONA) -> None:
    tracker("purge", "plan", persona)
    tracker("purge", "mark", "post:*", "done", "--persona", persona)
    tracker("purge", "mark", "*", "done", "--persona", persona)
    tracker("purge", "mark", "local:backups", "skipped", "--reason", "no copies", "--persona", persona)


def scrub(tracker: Tracker, persona: str = PERSONA) -> None:
    result = tracker.runner.invoke(cli, ["purge", "scrub", persona], input=persona + "\n")
    assert result.exit_code == 0, result.output


def test_a_copy_logged_under_another_name_is_listed_in_every_format(tracker: Tracker, tmp_path: Path) -> None:
    image, copy = image_and_copy(tmp_path / "h")
    log(tracker, image, 900004)
    assert "already archived (image #1)" in log(tracker, copy, 900007)
    assert originals(tracker) == ["esc_prompt.png", "scan_copy.png"]
    assert "2 file names." in tracker("purge", "plan", PERSONA, "--format", "md").stdout
    for fmt in ("md", "html"):
        shown = tracker("purge", "plan", PERSONA, "--format", fmt).stdout
        assert "esc_prompt.png" in shown and "scan_copy.png" in shown, fmt
    rows = list(csv.reader(io.StringIO(tracker("purge", "plan", PERSONA, "--format", "csv").stdout)))
    assert next(row for row in rows if row[0] == "local:originals").count("esc_prompt.png\nscan_copy.png") == 1
    assert tracker.json("show", "https://www.pixiv.net/artworks/900007")["image"]["original_name"] == "esc_prompt.png"


def test_the_same_name_logged_twice_is_listed_once(tracker: Tracker, tmp_path: Path) -> None:
    image, copy = image_and_copy(tmp_path / "h")
    log(tracker, image, 900004)
    log(tracker, copy, 900007)
    again = shutil.copyfile(copy, tmp_path / "scan_copy.png")  # the same name in another folder
    log(tracker, Path(again), 900009)
    assert originals(tracker) == ["esc_prompt.png", "scan_copy.png"]


def test_imported_copies_are_listed(tracker: Tracker, tmp_path: Path) -> None:
    image, copy = image_and_copy(tmp_path / "batch", "00001-1.png", "00001-1 (copy).png")
    tracker("import", tmp_path / "batch", "--persona", PERSONA)
    later = tmp_path / "later"
    later.mkdir()
    shutil.copyfile(image, later / "upscaled_final.png")  # an image already archived, imported again
    tracker("import", later, "--persona", PERSONA)
    tracker("import", later, "--persona", PERSONA)  # a second run adds nothing
    assert originals(tracker) == ["00001-1 (copy).png", "00001-1.png", "upscaled_final.png"]
    assert len(query(tmp_path / "data", "select name from image_name")) == 3


def test_an_input_added_again_under_another_name_is_listed(tracker: Tracker, tmp_path: Path) -> None:
    """`input add` keeps each name an input file was given, as log and import keep a post's."""
    for n in (1, 2):  # two generated images (ControlNet in their metadata), each with its own post
        made = write_png(tmp_path / f"made{n}.png", {"parameters": FORGE_INFOTEXT}, image=pixels(seed=10 + n))
        log(tracker, made, 900010 + n)
    sketch, copy = image_and_copy(tmp_path / "inputs", "pose sketch.png", "pose sketch (copy).png")
    tracker("input", "add", "1", sketch, "--kind", "own_asset")
    tracker("input", "add", "2", copy, "--kind", "own_asset")
    assert {"pose sketch.png", "pose sketch (copy).png"} <= set(originals(tracker))


def test_a_merged_persona_brings_its_file_names(tracker: Tracker, tmp_path: Path) -> None:
    image, copy = image_and_copy(tmp_path / "h")
    log(tracker, image, 900004)
    log(tracker, copy, 900007, persona="hp-alt")
    tracker("persona", "merge", "hp-alt", PERSONA)
    assert originals(tracker) == ["esc_prompt.png", "scan_copy.png"]


@pytest.mark.sqlite_only  # reads the SQLite file's bytes
def test_the_scrub_removes_every_name_it_listed(tracker: Tracker, tmp_path: Path, isolated_env: Path) -> None:
    image, copy = image_and_copy(tmp_path / "h")
    log(tracker, image, 900004)
    log(tracker, copy, 900007)
    assert originals(tracker) == ["esc_prompt.png", "scan_copy.png"]
    mark_everything(tracker)
    scrub(tracker)
    raw = database_bytes(isolated_env)
    assert b"esc_prompt.png" not in raw and b"scan_copy.png" not in raw
    assert query(isolated_env, "select count(*) from image_name") == [(0,)]


@pytest.mark.sqlite_only  # reads the SQLite file's bytes
def test_a_name_another_persona_also_gave_stays_for_it_only(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    image, copy = image_and_copy(tmp_path / "h")
    other_copy = Path(shutil.copyfile(copy, tmp_path / "shared_name.png"))
    log(tracker, image, 900004)
    log(tracker, copy, 900007)
    log(tracker, other_copy, 900011)  # hp's third name for it
    tracker("log", copy, "--url", "https://x.com/lantern_ai/status/1877700000000000009", "--persona", OTHER)
    assert originals(tracker) == ["esc_prompt.png", "scan_copy.png", "shared_name.png"]
    assert originals(tracker, OTHER) == ["esc_prompt.png", "scan_copy.png"]  # its first name, and its own
    mark_everything(tracker)
    scrub(tracker)
    raw = database_bytes(isolated_env)
    assert b"esc_prompt.png" not in raw and b"shared_name.png" not in raw
    names = query(isolated_env, "select p.name, n.name from image_name n join persona p on p.id = n.persona_id")
    assert names == [(OTHER, "scan_copy.png")]
    listed = originals(tracker, OTHER)
    assert "scan_copy.png" in listed and "esc_prompt.png" not in listed


def test_a_post_moved_to_another_persona_takes_its_file_name_along(tracker: Tracker, tmp_path: Path) -> None:
    image, copy = image_and_copy(tmp_path / "h")
    log(tracker, image, 900004)
    tracker("log", copy, "--url", "https://x.com/hp_ai/status/1877700000000000007", "--persona", PERSONA)
    log(tracker, write_png(tmp_path / "alt.png", {}, image=pixels(seed=9)), 900008, persona="hp-alt")
    tracker("post", "set", "https://x.com/hp_ai/status/1877700000000000007", "--persona", "hp-alt")
    assert "scan_copy.png" in originals(tracker, "hp-alt")


def test_a_file_name_with_a_newline_is_escaped_in_every_format_of_the_checklist(
    tracker: Tracker, tmp_path: Path
) -> None:
    """`new\\nline.png` is shown `new\\x0aline.png`, as everywhere else: never `new line.png` (a file that does not
    exist) in Markdown, nor split over two lines of a CSV cell; CSV stays valid CSV; JSON keeps the name exact."""
    folder = tmp_path / "odd"
    folder.mkdir()
    image = write_png(folder / "new\nline.png", {"parameters": "a harbour\nSteps: 20, Seed: 1"}, image=pixels(seed=5))
    log(tracker, image, 900011)
    shown = "new\\x0aline.png"
    markdown = tracker("purge", "plan", PERSONA, "--format", "md").stdout
    assert "new line.png" not in markdown and shown in markdown  # CommonMark shows `\x` as is: raw and rendered
    assert shown in tracker("purge", "plan", PERSONA, "--format", "html").stdout
    rows = list(csv.DictReader(io.StringIO(tracker("purge", "plan", PERSONA, "--format", "csv").stdout)))
    (row,) = [r for r in rows if r["id"] == "local:originals"]
    assert row["files"] == shown
    assert originals(tracker) == ["new\nline.png"]
