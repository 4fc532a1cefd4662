"""`tracker match` end to end: which logged posts a picture shows, whole, re-encoded, mirrored or in part.

The pictures are drawn here (gradients, many seeded shapes, text), so their perceptual hashes carry
real texture: flat images are deliberately ignored by the engine and would prove nothing.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing
from PIL import Image, ImageDraw, ImageOps

from tracker.cli import AppContext
from tracker.matching.index import load_saved
from tracker.matching.stored import DatabaseHashes

pytestmark = pytest.mark.db

SCENES = 5
SIZE = (320, 240)


def url(n: int) -> str:
    return f"https://www.pixiv.net/artworks/{200000001 + n}"


def save(image: Image.Image, path: Path, **options: Any) -> Path:
    image.save(path, **options)
    return path


@pytest.fixture
def logged(tracker: Tracker, tmp_path: Path) -> list[Path]:
    """Five distinct scenes logged as pixiv posts 200000001.. for persona moth (image ids 1..5)."""
    folder = tmp_path / "posted"
    folder.mkdir()
    files = []
    for n in range(SCENES):
        path = save(drawing(n), folder / f"scene{n}.png")
        tracker("log", path, "--url", url(n), "--persona", "moth")
        files.append(path)
    return files


def match(tracker: Tracker, *args: str | Path) -> list[dict[str, Any]]:
    return tracker.json("match", *(str(a) for a in args))


def test_the_posted_file_itself_is_identical(tracker: Tracker, logged: list[Path]) -> None:
    results = match(tracker, logged[2])
    assert len(results) == 1
    best = results[0]
    assert best["identical"] is True and best["score"] == 1.0 and best["kind"] == "whole"
    assert best["image_id"] == 3 and best["original_name"] == "scene2.png" and best["persona"] == "moth"
    assert best["phash_distance"] == 0 and best["dhash_distance"] == 0
    assert [(p["url"], p["platform"], p["status"], p["persona"]) for p in best["posts"]] == [
        (url(2), "pixiv", "live", "moth")
    ]
    out = tracker("match", logged[2]).stdout
    assert "1 candidate image for scene2.png, best first:" in out
    assert "score 1.00 (certain)  identical file image #3 scene2.png  persona moth" in out
    assert "matched: the same file, byte for byte (its sha256)" in out and "share a part" not in out
    assert f"post #3 [live] pixiv  {url(2)}" in out


def _jpeg_half(n: int, path: Path) -> Path:
    image = drawing(n)
    return save(image.resize((image.width // 2, image.height // 2), Image.Resampling.LANCZOS), path, quality=70)


def _mirrored(n: int, path: Path) -> Path:
    return save(ImageOps.mirror(drawing(n)), path)


def _centre_crop(n: int, path: Path) -> Path:
    w, h = SIZE
    return save(drawing(n).crop((w // 4, h // 4, 3 * w // 4, 3 * h // 4)), path)


def _mirrored_crop(picture: Image.Image, path: Path) -> Path:
    """The picture flipped left to right, then 60 % of each side cut out off centre (right of middle, near the top)."""
    m = ImageOps.mirror(picture)
    w, h = m.size
    return save(
        m.crop((int(w * 0.35), int(h * 0.08), int(w * 0.35) + int(w * 0.6), int(h * 0.08) + int(h * 0.6))), path
    )


def _pasted(n: int, path: Path) -> Path:
    """The post at 60% of each side of a bigger, busy canvas (a collage, a frame)."""
    w, h = SIZE
    canvas = drawing(900 + n, (round(w / 0.6), round(h / 0.6)))
    canvas.paste(drawing(n), (round(w / 0.6 * 0.2), round(h / 0.6 * 0.2)))
    return save(canvas, path)


def test_a_smaller_jpeg_copy_matches_whole(tracker: Tracker, logged: list[Path], tmp_path: Path) -> None:
    for n in range(SCENES):
        results = match(tracker, _jpeg_half(n, tmp_path / f"small{n}.jpg"))
        assert [r["image_id"] for r in results] == [n + 1], n
        best = results[0]
        assert best["kind"] == "whole" and best["identical"] is False and best["score"] >= 0.8, best
        assert best["posts"][0]["url"] == url(n)


def test_a_mirrored_copy_matches_flipped(tracker: Tracker, logged: list[Path], tmp_path: Path) -> None:
    for n in range(SCENES):
        results = match(tracker, _mirrored(n, tmp_path / f"mirror{n}.png"))
        assert [r["image_id"] for r in results] == [n + 1], n
        best = results[0]
        assert best["kind"] == "flipped" and best["score"] >= 0.8, best
        assert best["evidence"]["flipped"] > best["evidence"]["whole"]
    out = tracker("match", tmp_path / "mirror0.png").stdout
    assert "flipped" in out and "(mirrored)" in out and url(0) in out


def test_a_central_crop_matches_a_region(tracker: Tracker, logged: list[Path], tmp_path: Path) -> None:
    for n in range(SCENES):
        results = match(tracker, _centre_crop(n, tmp_path / f"crop{n}.png"))
        assert [r["image_id"] for r in results] == [n + 1], n
        best = results[0]
        assert best["kind"] == "region" and best["score"] >= 0.75, best
        x0, y0, x1, y1 = best["region"]["post_box"]
        assert abs((x0 + x1) / 2 - 0.5) <= 0.15 and abs((y0 + y1) / 2 - 0.5) <= 0.15, best["region"]
        assert x1 - x0 <= 0.75 and y1 - y0 <= 0.75
        qx0, qy0, qx1, qy1 = best["region"]["query_box"]
        assert qx1 - qx0 >= 0.9 and qy1 - qy0 >= 0.9, best["region"]  # the crop as a whole
    out = tracker("match", tmp_path / "crop0.png").stdout
    assert "region" in out and "post's x 25-75%, y 25-75% matches the image's whole picture" in out and url(0) in out


def test_a_mirrored_off_centre_crop_matches_a_region_said_to_be_mirrored(
    tracker: Tracker, logged: list[Path], tmp_path: Path
) -> None:
    for n in range(SCENES):
        results = match(tracker, _mirrored_crop(drawing(n), tmp_path / f"mcrop{n}.png"))
        assert [r["image_id"] for r in results] == [n + 1], n
        best = results[0]
        assert best["kind"] == "region" and best["confidence"] == "certain", best
        assert best["reason"] == "the picture is a part of the post, mirrored (36 % of its area)", best
        assert best["region"]["mirrored"] is True and best["region"]["query_box"] == [0.0, 0.0, 1.0, 1.0]
        x0, y0, x1, y1 = best["region"]["post_box"]  # the crop's place in the post itself: x 5-65 %, y 8-68 %
        assert all(abs(a - b) <= 0.04 for a, b in zip((x0, y0, x1, y1), (0.05, 0.08, 0.65, 0.68), strict=True))
    out = tracker("match", tmp_path / "mcrop0.png").stdout
    assert "every part of the picture matches the post's pixels there, mirrored" in out and url(0) in out
    assert "post's x 5-65%, y 8-68% matches the image's whole picture, mirrored" in out
    # The same cut of a picture never logged is no match, mirrored or not.
    for seed in (777, 778, 779):
        assert match(tracker, _mirrored_crop(drawing(seed), tmp_path / f"other{seed}.png")) == []


def test_a_post_pasted_into_a_bigger_picture_matches_whole_post(
    tracker: Tracker, logged: list[Path], tmp_path: Path
) -> None:
    for n in range(SCENES):
        results = match(tracker, _pasted(n, tmp_path / f"collage{n}.png"))
        assert [r["image_id"] for r in results] == [n + 1], n
        best = results[0]
        assert best["kind"] == "region" and best["region"]["post_box"] == [0.0, 0.0, 1.0, 1.0], best
        box = best["region"]["query_box"]
        assert all(abs(a - b) <= 0.06 for a, b in zip(box, (0.2, 0.2, 0.8, 0.8), strict=True)), box
    out = tracker("match", tmp_path / "collage0.png").stdout
    assert "post's whole picture matches the image's x " in out


def test_no_regions_skips_region_search(tracker: Tracker, logged: list[Path], tmp_path: Path) -> None:
    crop = _centre_crop(0, tmp_path / "crop.png")
    assert match(tracker, crop, "--no-regions") == []
    assert [r["kind"] for r in match(tracker, _mirrored(0, tmp_path / "m.png"), "--no-regions")] == ["flipped"]


def test_an_unrelated_picture_matches_nothing(tracker: Tracker, logged: list[Path], tmp_path: Path) -> None:
    other = save(drawing(777), tmp_path / "unrelated.png")
    assert match(tracker, other) == []
    first, hint = tracker("match", other).stdout.splitlines()
    assert first == "No logged image matches unrelated.png (score >= 0.5)."
    assert "square thumbnail (a profile grid, a phone's two-column feed)" in hint
    assert "score >= 0.9" in tracker("match", other, "--min-score", "0.9").stdout


def test_top_limits_the_candidates(tracker: Tracker, logged: list[Path], tmp_path: Path) -> None:
    copy = save(drawing(0), tmp_path / "copy.jpg", quality=92)
    tracker("log", copy, "--url", "https://x.com/moth_ai/status/1800000000000000009")
    both = match(tracker, logged[0])
    assert [r["image_id"] for r in both] == [1, 6]
    assert both[0]["identical"] and not both[1]["identical"] and both[1]["kind"] == "whole"
    assert both[1]["posts"][0]["platform"] == "x"
    assert [r["image_id"] for r in match(tracker, logged[0], "--top", "1")] == [1]
    assert "1 candidate image" in tracker("match", logged[0], "--top", "1").stdout
    assert tracker("match", logged[0], "--top", "0", ok=False).exit_code == 2


def test_a_file_that_is_no_image_is_a_one_line_error(tracker: Tracker, logged: list[Path], tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a picture\n")
    result = tracker("match", notes, ok=False)
    assert result.exit_code == 1
    assert result.stderr.strip() == "tracker: error: notes.txt: not an image file (or a format tracker cannot read)"
    assert "Traceback" not in result.output and result.stdout == ""
    missing = tracker("match", tmp_path / "gone.png", ok=False)
    assert missing.exit_code != 0 and len(missing.stderr.splitlines()) == 1 and "gone.png" in missing.stderr


def test_match_on_a_fresh_data_dir_creates_nothing(tracker: Tracker, tmp_path: Path, isolated_env: Path) -> None:
    query = save(drawing(3), tmp_path / "q.png")
    result = tracker("match", query, ok=False)
    if "TRACKER_DB" in os.environ:  # a PostgreSQL database that exists, empty
        assert result.exit_code == 0 and "No logged image matches q.png" in result.stdout
    else:  # a SQLite file never created: a mistyped data folder, never "no logged image matches"
        assert result.exit_code == 2 and "no database at" in result.stderr and result.stdout == ""
    assert not (isolated_env / "tracker.db").exists()
    assert not (isolated_env / "tracker.db.hashindex.npz").exists()


@pytest.mark.sqlite_only
def test_saved_index_is_private_and_kept_up_to_date(
    tracker: Tracker, logged: list[Path], tmp_path: Path, isolated_env: Path
) -> None:
    index = isolated_env / "tracker.db.hashindex.npz"
    assert [r["image_id"] for r in match(tracker, logged[0])] == [1]
    assert index.is_file() and stat.S_IMODE(os.stat(index).st_mode) == 0o600
    assert saved_ids(index) == [1, 2, 3, 4, 5]
    # A post logged after the index was saved is found: the index grows by the new rows.
    new = save(drawing(5), tmp_path / "scene5.png")
    tracker("log", new, "--url", url(5))
    results = match(tracker, _mirrored(5, tmp_path / "m5.png"))
    assert [(r["image_id"], r["kind"], r["posts"][0]["url"]) for r in results] == [(6, "flipped", url(5))]
    assert saved_ids(index) == [1, 2, 3, 4, 5, 6]
    assert stat.S_IMODE(os.stat(index).st_mode) == 0o600
    assert not [p.name for p in isolated_env.iterdir() if p.name.startswith(".hashindex-")]
    # The index is only a cache: deleted or damaged, it is rebuilt from the database.
    index.unlink()
    assert [r["image_id"] for r in match(tracker, new)] == [6] and index.is_file()
    index.write_bytes(b"not an npz file")
    assert [r["image_id"] for r in match(tracker, logged[4])] == [5]
    assert [r["image_id"] for r in match(tracker, logged[3], "--rebuild-index")] == [4]
    assert saved_ids(index) == [1, 2, 3, 4, 5, 6]


def saved_ids(index: Path) -> list[int]:
    """The image ids the saved index holds, read as `tracker match` reads it (for this database only)."""
    context = AppContext(db=None, data_dir=None)
    try:
        with context.sessions()() as session:
            identity = DatabaseHashes(session).identity()
    finally:
        context.close()
    saved = load_saved(index, identity)
    assert saved is not None
    return sorted(saved.ids.tolist())


def test_imported_images_are_found_after_the_index_was_saved(
    tracker: Tracker, logged: list[Path], tmp_path: Path
) -> None:
    assert match(tracker, logged[1])[0]["image_id"] == 2  # the index is saved with images 1-5
    folder = tmp_path / "downloads"
    folder.mkdir()
    save(drawing(6), folder / "888_p0.png")
    save(drawing(7), folder / "unposted.png")
    tracker("import", folder, "--persona", "moth", "--url-template", "https://www.pixiv.net/artworks/{id}")
    found = match(tracker, _centre_crop(6, tmp_path / "crop6.png"))
    assert [(r["image_id"], r["kind"], [p["url"] for p in r["posts"]]) for r in found] == [
        (6, "region", ["https://www.pixiv.net/artworks/888"])
    ]
    unposted = match(tracker, _jpeg_half(7, tmp_path / "small7.jpg"))
    assert [(r["image_id"], r["posts"], r["persona"]) for r in unposted] == [(7, [], "moth")]
    assert "(archived, not posted)" in tracker("match", tmp_path / "small7.jpg").stdout


@pytest.mark.sqlite_only
def test_a_truncated_index_file_is_only_a_cache(tracker: Tracker, logged: list[Path], isolated_env: Path) -> None:
    index = isolated_env / "tracker.db.hashindex.npz"
    match(tracker, logged[0])
    index.write_bytes(index.read_bytes()[:300])  # a disk that lost the end of the file
    assert [r["image_id"] for r in match(tracker, logged[1])] == [2]


@pytest.mark.sqlite_only
def test_an_index_left_from_an_older_database_is_not_trusted(
    tracker: Tracker, logged: list[Path], tmp_path: Path, isolated_env: Path
) -> None:
    assert match(tracker, logged[0])[0]["image_id"] == 1  # index saved for images 1-5
    for leftover in isolated_env.glob("tracker.db*"):
        if not leftover.name.endswith(".npz"):
            leftover.unlink()  # the user starts over; the hidden cache file stays
    fresh = [save(drawing(20 + n), tmp_path / f"fresh{n}.png") for n in range(SCENES)]
    for n, path in enumerate(fresh):
        tracker("log", path, "--url", url(20 + n), "--persona", "moth")  # image ids 1-5 again
    assert [r["image_id"] for r in match(tracker, fresh[0])] == [1]
    assert match(tracker, logged[0]) == []


def test_rebuild_index_gives_the_same_answers(tracker: Tracker, logged: list[Path], tmp_path: Path) -> None:
    crop = _centre_crop(2, tmp_path / "crop.png")
    before = match(tracker, crop)
    assert match(tracker, crop, "--rebuild-index") == before
    assert match(tracker, crop) == before


def test_text_output_escapes_hostile_names_and_urls(tracker: Tracker, tmp_path: Path) -> None:
    name = "e\x1b]8;;https:x\x07vil [bold]x[red].png"
    hostile = save(drawing(11), tmp_path / name)
    tracker("log", hostile, "--url", "https://example.org/[red]gallery[/red]/7", "--platform", "blog", "--persona", "m")
    query = save(drawing(11), tmp_path / "q\x1b[2J[bold].png")
    out = tracker("match", query).stdout
    assert "\x1b" not in out and "\x07" not in out
    assert "e\\x1b]8;;https:x\\x07vil [bold]x[red].png" in out
    assert "https://example.org/[red]gallery[/red]/7" in out
    assert "for q\\x1b[2J[bold].png" in out
    as_json = tracker("match", query, "--json").stdout
    assert "\x1b" not in as_json and "\x07" not in as_json
    none = tracker("match", save(drawing(12), tmp_path / "n\x9b1m.png")).stdout
    assert "\x9b" not in none and "n\\x9b1m.png" in none


def test_match_has_help(tracker: Tracker) -> None:
    out = tracker("match", "--help").stdout
    assert "Usage:" in out and "--rebuild-index" in out and "--no-regions" in out


def test_the_standard_driver_and_the_engine_give_the_same_answers(
    tracker: Tracker, logged: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a SQLite file at this revision `match` reads through the standard library's driver
    (`db.quick`); opened through SQLAlchemy's engine instead, every answer is the same."""
    crop = save(drawing(2).crop((60, 40, 260, 200)), tmp_path / "crop.png")
    smaller = save(drawing(1).resize((160, 120)), tmp_path / "small.jpg", quality=80)
    queries = [logged[0], crop, smaller, save(ImageOps.mirror(drawing(3)), tmp_path / "mirror.png")]
    quick = [match(tracker, q) for q in queries]
    with monkeypatch.context() as patch:
        patch.setattr(AppContext, "quick_reader", lambda self: None)
        through_engine = [match(tracker, q) for q in queries]
    assert quick == through_engine
    assert [r[0]["image_id"] for r in quick] == [1, 3, 2, 4]


@pytest.mark.slow
def test_a_match_on_a_sqlite_file_starts_without_sqlalchemy(
    tracker: Tracker, logged: list[Path], tmp_path: Path
) -> None:
    """The quarter of a second SQLAlchemy takes to load is not spent, nor the generator parsers' (a
    complaint image's metadata says nothing about which post it shows): same answer, found by a whole process."""
    import subprocess
    import sys

    if os.environ.get("TRACKER_DB"):
        pytest.skip("the quick path is for SQLite files; PostgreSQL opens through the engine")
    crop = save(drawing(4).crop((40, 30, 280, 210)), tmp_path / "crop.png")
    expected = match(tracker, crop)  # saves the index, as the first match does
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "tracker", "match", str(crop), "--json"],
        capture_output=True,
        check=True,
    )
    import json

    assert json.loads(done.stdout) == expected and expected[0]["image_id"] == 5
    loaded = done.stderr.decode()
    assert "tracker.matching.search" in loaded and "sqlalchemy" not in loaded
    assert "tracker.metadata.decoding" in loaded and "tracker.metadata.comfyui" not in loaded


TALL = (512, 768)


def test_a_crop_keeping_most_of_a_post_is_rated_as_the_part_of_it_shown(tracker: Tracker, tmp_path: Path) -> None:
    """A 90 % crop hashes about as close to the whole post as its windows do to the part it was cut from. It is rated
    by its best evidence: its pixels compared with that part of the post, not the whole post with the whole picture
    (which the crop only partly fills: a centred 90 % crop of this post was "possible", correlation 0.62)."""
    folder = tmp_path / "posted"
    folder.mkdir()
    for n in range(3):
        tracker("log", save(drawing(5 + n, TALL), folder / f"tall{n}.png"), "--url", url(n), "--persona", "moth")
    post = drawing(5, TALL)
    centred = save(post.crop((26, 38, 487, 729)), tmp_path / "centred.png")  # 90 % of each side, lossless
    off_centre = save(post.crop((12, 86, 463, 731)), tmp_path / "off.jpg", quality=85)  # 88 % x 84 %, JPEG
    for query, kept in ((centred, 0.81), (off_centre, 0.74)):
        results = match(tracker, query)
        assert [r["image_id"] for r in results] == [1], results
        best = results[0]
        assert best["confidence"] in ("certain", "high") and best["kind"] == "region", best
        assert best["reason"].startswith("the picture is a part of the post ("), best
        x0, y0, x1, y1 = best["region"]["post_box"]
        assert (x1 - x0) * (y1 - y0) == pytest.approx(kept, abs=0.05)
    out = tracker("match", centred).stdout
    assert "(certain)  region   image #1 tall0.png" in out
    assert "every part of the picture matches the post's pixels there" in out and "only partly agree" not in out


def _smooth(seed: int, size: tuple[int, int] = (640, 640)) -> Image.Image:
    """Slow colour waves with a few thin white rings: too smooth for the pixel check to compare its parts."""
    rng = np.random.default_rng(seed)
    w, h = size
    y, x = np.mgrid[0:h, 0:w] / max(w, h)
    a = rng.uniform(-1, 1, (3, 3))
    waves = [128 + 100 * np.sin(3 * (a[c, 0] * x + a[c, 1] * y) + a[c, 2] * 5) for c in range(3)]
    image = Image.fromarray(np.stack(waves, -1).clip(0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(image)
    for _ in range(3):
        x0, y0 = rng.integers(0, w), rng.integers(0, h)
        draw.ellipse((x0, y0, x0 + 60, y0 + 60), outline=(255, 255, 255), width=4)
    return image


def test_a_crop_of_a_smooth_post_is_still_found_by_its_whole_hashes(tracker: Tracker, tmp_path: Path) -> None:
    """Its windows match the part it was cut from, but are too smooth for their pixels to be compared: the crop is
    left to its whole-picture hashes, which match the post, rather than dropped with the region match."""
    folder = tmp_path / "posted"
    folder.mkdir()
    tracker("log", save(_smooth(107), folder / "waves.png"), "--url", url(0), "--persona", "moth")
    for n in (1, 2):
        tracker("log", save(drawing(n), folder / f"scene{n}.png"), "--url", url(n), "--persona", "moth")
    crop = save(_smooth(107).crop((32, 32, 608, 608)), tmp_path / "crop.png")  # 90 % of each side
    results = match(tracker, crop)
    assert [r["image_id"] for r in results] == [1], results
    assert results[0]["kind"] == "whole" and results[0]["confidence"] in ("certain", "high"), results[0]
    assert match(tracker, save(_smooth(108).crop((32, 32, 608, 608)), tmp_path / "other.png")) == []


def test_a_picture_searched_again_reads_each_archived_picture_once(
    tracker: Tracker, logged: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A post shown tilted is missed as given and searched again mirrored and turned (a dozen searches), its best
    candidates' pixels checked in each: each archived picture is read from disk once, not once a search."""
    from collections import Counter

    from tracker.matching import search

    opened: Counter[str] = Counter()
    real_open = search.PILImage.open

    def counted(path: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(path, str | os.PathLike):  # an archived file, not a query's bytes
            opened[Path(path).name] += 1
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(search.PILImage, "open", counted)
    tilted = drawing(3).rotate(3.0, Image.Resampling.BICUBIC, expand=True, fillcolor=(255, 255, 255))
    found = match(tracker, save(tilted, tmp_path / "tilted.png"))
    assert [r["image_id"] for r in found] == [4]
    assert "turned 3° clockwise" in found[0]["reason"]
    assert opened and max(opened.values()) == 1, opened


def test_a_match_leaves_its_objects_to_the_end_of_the_process(tracker: Tracker, logged: list[Path]) -> None:
    """A `tracker match` process ends as soon as it has answered: the objects it made are frozen (`gc.freeze`), so
    Python's shutdown does not walk them for cycles to break (a tenth of the whole command's time)."""
    import gc

    gc.unfreeze()
    try:
        assert match(tracker, logged[1])[0]["image_id"] == 2
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()  # the rest of the test session collects as usual


def test_nothing_found_is_folded_to_a_small_terminal(
    tracker: Tracker, logged: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")  # a terminal over SSH, 80 columns: no line the terminal cuts mid-word
    lines = tracker("match", save(drawing(777), tmp_path / "unrelated.png")).stdout.splitlines()
    assert lines[0] == "No logged image matches unrelated.png (score >= 0.5)."
    assert len(lines) > 2 and all(len(line) <= 80 for line in lines), lines
    assert " ".join(lines[1:]).startswith("Look at the picture yourself: a crop of under 40 % of a post, or a post")


def test_an_animated_picture_says_only_its_first_frame_was_searched(
    tracker: Tracker, logged: list[Path], tmp_path: Path
) -> None:
    frames = [drawing(0), drawing(1)]  # the second frame shows another post
    path = tmp_path / "anim.gif"
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=100)
    said = "anim.gif is animated (2 frames): only its first frame is searched: look at the others yourself."
    text = tracker("match", path).stdout.splitlines()
    assert text[-1] == said and "image #1 scene0.png" in text[1]
    result = tracker("match", path, "--json")
    assert [r["image_id"] for r in json.loads(result.stdout)] == [1]  # stdout stays the array of candidates
    assert result.stderr.strip() == f"tracker: note: {said}"
    assert "animated" not in tracker("match", logged[0]).stdout


CANDIDATE_KEYS = {
    "image_id", "sha256", "original_name", "persona", "score", "kind", "identical", "confidence", "reason", "matched",
    "pixel_check", "phash_distance", "dhash_distance", "evidence", "region", "posts", "input_of",
}  # fmt: skip
"""README "JSON output": `tracker match --json`'s candidate."""


def test_every_json_candidate_has_the_documented_keys(tracker: Tracker, logged: list[Path], tmp_path: Path) -> None:
    found = [
        *match(tracker, logged[0]),  # the file itself
        *match(tracker, _centre_crop(1, tmp_path / "crop.png")),  # a region
        *match(tracker, _mirrored(2, tmp_path / "m.png"), "--no-regions"),  # flipped, no region searched
    ]
    assert [c["kind"] for c in found] == ["whole", "region", "flipped"] and found[0]["identical"]
    assert all(set(c) == CANDIDATE_KEYS for c in found)
    assert all(
        {"id", "url", "platform", "persona", "status", "further_page", "page"} == set(c["posts"][0]) for c in found
    )
    assert found[1]["region"] is not None and set(found[1]["region"]) == {
        "post_box",
        "query_box",
        "distance",
        "mirrored",
    }


def test_a_blank_picture_says_it_shows_nothing_to_compare(tracker: Tracker, logged: list[Path], tmp_path: Path) -> None:
    black = save(Image.new("RGB", (1080, 2340), (0, 0, 0)), tmp_path / "black.png")  # an app blacked the screen out
    assert tracker("match", black).stdout.splitlines() == [
        "No logged image matches black.png (score >= 0.5).",
        "black.png is one plain colour (a blacked-out screenshot, or a picture that did not load): it shows nothing "
        "to compare with your posts; ask for the picture again.",
    ]
