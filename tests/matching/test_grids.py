"""A post shown whole as a tile of a grid (a phone's profile grid, a collage) is found in every column, the outer
ones at the picture's own edge too, and the grid's size is counted.

Every picture is drawn here: smooth colour fields with round shapes on them (photographs and drawings have few long
straight edges inside), in a 3-column phone grid like a profile page's.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from fixtures.common import Tracker
from PIL import Image, ImageDraw, ImageFilter

from tracker.matching import grids, limits, screenshots
from tracker.matching.hashing import image_hashes
from tracker.matching.rank import rank_image
from tracker.matching.similarity import MATCH_SCORE, Candidate, MatchIndex, StoredHashes

POST = 7


def best_for(index: MatchIndex, query: Image.Image, posts: dict[int, Image.Image]) -> list[Candidate]:
    """What `tracker match` lists for the query (its pixels checked against `posts`)."""
    return [c for c in rank_image(index, query, pixels=posts.get) if c.score >= MATCH_SCORE]


def picture(seed: int, size: tuple[int, int]) -> Image.Image:
    """A smooth random colour field with ellipses on it: no long straight edge inside, as in most pictures."""
    rng = np.random.default_rng(seed)
    field = rng.integers(0, 256, (3, 3, 3), dtype=np.uint8)
    image = Image.fromarray(field, "RGB").resize(size, Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(image)
    w, h = size
    for _ in range(10):
        x0, y0 = int(rng.integers(0, w)), int(rng.integers(0, h))
        x1, y1 = x0 + int(rng.integers(w // 10, w // 3)), y0 + int(rng.integers(h // 10, h // 3))
        draw.ellipse((x0, y0, x1, y1), fill=tuple(int(c) for c in rng.integers(0, 256, 3)))
    return image


def profile_grid(shown: dict[int, Image.Image], gap: int = 4, margin: int = 0) -> Image.Image:
    """A 1170x2532 phone screenshot: a profile header, then 3 columns x 5 rows of square tiles `gap` apart,
    `margin` white pixels left and right; tile k shows `shown[k]` or a filler picture."""
    width = 1170 + 2 * margin
    screen = Image.new("RGB", (width, 2532), "white")
    cell = (1170 - 2 * gap) // 3
    for k in range(15):
        row, col = divmod(k, 3)
        tile = shown.get(k) or picture(100 + k, (cell, cell))
        screen.paste(tile.resize((cell, cell)), (margin + col * (cell + gap), 300 + row * (cell + gap)))
    return screen


@pytest.fixture(scope="module")
def post() -> Image.Image:
    return picture(POST, (800, 800))


@pytest.mark.parametrize(("slot", "gap"), [(3, 4), (5, 4), (4, 4), (0, 16), (14, 2)])
def test_a_post_in_any_column_of_a_phone_grid_is_found_at_its_tile(post: Image.Image, slot: int, gap: int) -> None:
    """Left, middle or right column, the outer ones bounded by the screenshot's own edge: the post is found, said to
    be shown whole at its tile's share of the picture's width, its pixels agreeing, and not as found turned."""
    index = MatchIndex(StoredHashes.from_rows([(POST, image_hashes(post))]))
    found = best_for(index, profile_grid({slot: post}, gap), {POST: post})
    assert [c.id for c in found] == [POST]
    c = found[0]
    shown = round(100 * ((1170 - 2 * gap) // 3) / 1170)  # 33 %, 32 % with gutters of 16 pixels
    assert (
        c.region is not None
        and c.region.describe() == f"the post is shown inside the picture at {shown} % of its width"
    )
    assert c.confidence == "certain" and c.pixel_check is not None
    assert not any("turned" in line for line in c.matched), c.matched


def striped(seed: int) -> Image.Image:
    """A picture with straight stripes top to bottom (blinds, a barcode): lines of its own across its tile."""
    image = picture(seed, (800, 800))
    draw = ImageDraw.Draw(image)
    rng = np.random.default_rng(seed)
    for x in range(40, 800, 90):
        draw.rectangle((x, 0, x + 30, 799), fill=tuple(int(c) for c in rng.integers(0, 256, 3)))
    return image


@pytest.mark.parametrize(("seed", "slot"), [(7, 0), (9, 3), (9, 6)])
def test_a_striped_post_in_the_left_column_of_a_grid_with_a_margin_is_found(seed: int, slot: int) -> None:
    """A phone grid 24 pixels from the screen's sides: the left column's tiles are bounded by no edge of the picture,
    and a tile whose picture has straight lines across it bounds no rectangle of its own; the grid's gutters, long
    lines down and across the screen, place it, and the post is found there."""
    post = striped(seed)
    index = MatchIndex(StoredHashes.from_rows([(POST, image_hashes(post))]))
    found = best_for(index, profile_grid({slot: post}, margin=24), {POST: post})
    assert [c.id for c in found] == [POST]
    region = found[0].region
    assert region is not None and region.query_box[2] < 0.35, "found in the left column"


def test_an_unlogged_tile_is_not_matched(post: Image.Image) -> None:
    """The outer cells placed by the grid are hashed like any proposal: a grid of pictures none logged matches none."""
    index = MatchIndex(StoredHashes.from_rows([(POST, image_hashes(post))]))
    assert best_for(index, profile_grid({}), {POST: post}) == []


def test_the_grid_counts_its_tiles(post: Image.Image) -> None:
    """A profile grid holds 15 pictures however wide its gutters; a browser page with one post is no grid."""
    assert screenshots.grid_tiles(profile_grid({3: post})) == 15
    assert screenshots.grid_tiles(profile_grid({}, gap=16)) == 15
    page = Image.new("RGB", (1600, 900), "white")
    page.paste(post.resize((500, 500)), (400, 200))
    assert screenshots.grid_tiles(page) == 0


def test_grid_cells_completes_a_collage_grid_from_the_cells_found() -> None:
    """Five cells of a 3x2 grid found (one seen twice, either side of its gutter): the sixth is proposed, and
    nothing overlapping the others; boxes of different sizes make no grid."""
    w, h = 0.33, 0.49
    starts = [(x, y) for y in (0.005, 0.505) for x in (0.005, 0.337, 0.669)]
    found = [(x, y, x + w, y + h) for x, y in starts[1:]]
    found.append((0.331, 0.009, 0.331 + w, 0.009 + h))  # the cell at (0.337, 0.005) again, a gutter's width off
    added = grids.grid_cells(found)
    assert any(grids.iou(cell, (0.005, 0.005, 0.005 + w, 0.005 + h)) > 0.9 for cell in added), added
    assert all(grids.iou(cell, other) < 0.9 for cell in added for other in found)
    assert grids.grid_cells([(0.0, 0.0, 0.3, 0.3), (0.5, 0.5, 0.9, 0.95)]) == []


def test_a_column_of_cells_places_the_columns_beside_it() -> None:
    """Cells found in the middle column only (the outer ones bounded by the picture's edge): the grid's other
    columns are placed a cell and the same gutter away, cut at the picture's edge."""
    w, h, aspect = 0.33, 0.153, 2532 / 1170
    found = [(0.335, y, 0.335 + w, y + h) for y in (0.12, 0.275, 0.43)]
    added = grids.grid_cells(found, aspect)
    for x in (0.0, 0.67):
        assert any(abs(cell[0] - x) < 0.01 and abs(cell[1] - 0.12) < 0.01 for cell in added), (x, added)


def tiled_floor(motif: Image.Image | None = None) -> Image.Image:
    """A floor of 5 x 5 tiles between grout lines, each tile a mottled colour of its own (or the same `motif`)."""
    rng = np.random.default_rng(0)
    floor = np.full((1000, 1000, 3), (150, 145, 140), np.float32)
    cell = (1000 - 6 * 10) // 5
    for row in range(5):
        for col in range(5):
            y, x = 10 + row * (cell + 10), 10 + col * (cell + 10)
            if motif is not None:
                floor[y : y + cell, x : x + cell] = np.asarray(motif.resize((cell, cell)), np.float32)
                continue
            mottle = Image.fromarray(rng.integers(0, 255, (6, 6), dtype=np.uint8)).resize((cell, cell), Image.BICUBIC)
            grain = rng.normal(0, 18, (cell, cell, 1)) + (np.asarray(mottle, np.float32)[..., None] - 127) / 10
            floor[y : y + cell, x : x + cell] = np.array([205, 190, 170]) + rng.normal(0, 12, 3) + grain
    return Image.fromarray(floor.clip(0, 255).astype(np.uint8), "RGB").filter(ImageFilter.GaussianBlur(0.7))


def test_a_tiled_floor_is_no_grid_of_pictures(post: Image.Image) -> None:
    """The grout of a tiled floor lines up as a grid, but its tiles are one colour, or one motif repeated: it is no grid
    of pictures to look at."""
    assert screenshots.grid_tiles(tiled_floor()) == 0
    assert screenshots.grid_tiles(tiled_floor(picture(3, (200, 200)))) == 0


@pytest.mark.db
def test_match_says_how_many_of_a_grids_pictures_it_found(tracker: Tracker, post: Image.Image, tmp_path: Path) -> None:
    """`tracker match` of a profile grid showing one logged post says the grid holds 15 pictures and 1 matched, so
    the owner looks at the other 14; a picture nothing matches says what the search can miss."""
    logged = tmp_path / "post.png"
    post.save(logged)
    tracker("log", logged, "--url", "https://www.pixiv.net/artworks/300000001", "--persona", "moth")
    grid = tmp_path / "grid.png"
    profile_grid({3: post}).save(grid)
    out = tracker("match", grid).stdout
    assert "1 candidate image for grid.png" in out
    assert out.splitlines()[-1] == (
        "grid.png is a grid of 15 pictures; 1 of them matches a logged image: look at the other 14 yourself."
    )
    other = tmp_path / "other.png"
    picture(99, (600, 400)).save(other)
    first, hint = tracker("match", other).stdout.splitlines()
    assert first == "No logged image matches other.png (score >= 0.5)."
    assert hint.startswith("Look at the picture yourself: a crop of under 40 % of a post, or a post shown as a square")
    as_json = tracker("match", grid, "--json")
    assert [c["image_id"] for c in json.loads(as_json.stdout)] == [1], "stdout stays the array of candidates"
    assert as_json.stderr.splitlines() == [
        "tracker: note: grid.png is a grid of 15 pictures; 1 of them matches a logged image: look at the other 14 yourself."
    ]
    assert tracker("match", other, "--json").stderr == "", "no grid, no note"
    floor = tmp_path / "floor.png"
    tiled_floor().save(floor)
    first, hint = tracker("match", floor).stdout.splitlines()
    assert first == "No logged image matches floor.png (score >= 0.5)."
    assert hint == f"Look at the picture yourself: {limits.can_miss()}.", "a tiled floor is no grid of 25 pictures"
