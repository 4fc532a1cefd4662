"""Perceptual hashes (`tracker.hashing`) on pictures the tests draw themselves.

`draw_scene` makes a seeded, textured picture (blended gradients, many random shapes, a few
words), the kind of content the hashes have to tell apart; `test_similarity` uses it too.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import imagehash
import numpy as np
import pytest
from fixtures.drawings import SCENE_SEEDS, draw_scene, scene_size
from PIL import Image, ImageDraw, ImageOps

from tracker.matching import hashing
from tracker.matching.hashing import STORED_REGIONS, ImageHashes, from_bytes, to_bytes


def bits(a: bytes | int | np.uint64, b: bytes | int | np.uint64) -> int:
    """Hamming distance between two 64-bit hashes given as stored bytes or integers."""
    ia = from_bytes(a) if isinstance(a, bytes) else int(a)
    ib = from_bytes(b) if isinstance(b, bytes) else int(b)
    return (ia ^ ib).bit_count()


def reencoded(image: Image.Image, fmt: str, **options: int) -> Image.Image:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    buffer.seek(0)
    with Image.open(buffer) as decoded:
        return decoded.convert("RGB")


@pytest.fixture(scope="module")
def scenes() -> list[Image.Image]:
    return [draw_scene(seed, scene_size(i)) for i, seed in enumerate(SCENE_SEEDS)]


@pytest.fixture(scope="module")
def scene_hashes(scenes: list[Image.Image]) -> list[ImageHashes]:
    return [hashing.image_hashes(image) for image in scenes]


# --- the drawn fixtures themselves -------------------------------------------------------------


def test_drawn_scenes_are_deterministic_and_far_apart(
    scenes: list[Image.Image], scene_hashes: list[ImageHashes]
) -> None:
    assert draw_scene(3, scene_size(2)).tobytes() == scenes[2].tobytes()
    closest = min(bits(a.phash, b.phash) for i, a in enumerate(scene_hashes) for b in scene_hashes[:i])
    assert closest >= 16, "the fixtures must be unrelated pictures for the other tests to mean anything"


def test_textured_scene_is_not_flat_and_every_region_is_usable(scene_hashes: list[ImageHashes]) -> None:
    for h in scene_hashes:
        assert not h.blank
        assert h.region_mask == (1 << (len(STORED_REGIONS) + 1)) - 1  # every region, and the whole picture
        assert len(h.phash) == len(h.dhash) == len(h.phash_mirror) == len(h.dhash_mirror) == 8
        assert len(h.regions) == 16 * len(STORED_REGIONS)


# --- agreement with imagehash and robustness -------------------------------------------------------


def test_whole_image_phash_agrees_with_imagehash(scenes: list[Image.Image], scene_hashes: list[ImageHashes]) -> None:
    distances = []
    for image, h in zip(scenes, scene_hashes, strict=True):
        reference = imagehash.phash(image.convert("L"))
        distances.append(bits(h.phash, bytes.fromhex(str(reference))))
    assert np.mean(distances) <= 6, distances
    assert max(distances) <= 10, distances


def test_to_hex_is_the_hex_imagehash_prints() -> None:
    value = to_bytes(0x0123456789ABCDEF)
    assert hashing.to_hex(value) == "0123456789abcdef"
    assert str(imagehash.hex_to_hash(hashing.to_hex(value))) == "0123456789abcdef"


COPIES: dict[str, Callable[[Image.Image], Image.Image]] = {
    "half size": lambda im: im.resize((im.width // 2, im.height // 2), Image.Resampling.LANCZOS),
    "double size": lambda im: im.resize((im.width * 2, im.height * 2), Image.Resampling.BICUBIC),
    "jpeg q70": lambda im: reencoded(im, "JPEG", quality=70),
    "webp q75": lambda im: reencoded(im, "WEBP", quality=75),
    "half size jpeg q70": lambda im: reencoded(im.resize((im.width // 2, im.height // 2)), "JPEG", quality=70),
}


@pytest.mark.parametrize("copy", list(COPIES))
def test_resized_and_reencoded_copies_hash_within_a_few_bits(
    copy: str, scenes: list[Image.Image], scene_hashes: list[ImageHashes]
) -> None:
    for image, h in zip(scenes, scene_hashes, strict=True):
        c = hashing.image_hashes(COPIES[copy](image))
        assert bits(h.phash, c.phash) <= 6
        assert bits(h.dhash, c.dhash) <= 6


def test_greyscale_copy_hashes_exactly_the_same(scenes: list[Image.Image], scene_hashes: list[ImageHashes]) -> None:
    for image, h in zip(scenes[:4], scene_hashes, strict=False):
        assert hashing.image_hashes(image.convert("L")) == h


def test_mirror_hash_is_the_hash_of_the_flipped_image(
    scenes: list[Image.Image], scene_hashes: list[ImageHashes]
) -> None:
    for image, h in zip(scenes, scene_hashes, strict=True):
        flipped = hashing.image_hashes(ImageOps.mirror(image))
        assert bits(h.phash_mirror, flipped.phash) <= 2
        assert bits(h.dhash_mirror, flipped.dhash) <= 2
        # ...and the other way round: the flipped picture's mirror hash is the upright picture's hash.
        assert bits(flipped.phash_mirror, h.phash) <= 2
        assert bits(flipped.dhash_mirror, h.dhash) <= 2


def test_stored_region_hash_is_the_hash_of_that_crop(
    scenes: list[Image.Image], scene_hashes: list[ImageHashes]
) -> None:
    """Region i's stored hashes are what the crop of `STORED_REGIONS[i]` hashes to as a whole picture."""
    for image, h in zip(scenes[:3], scene_hashes, strict=False):
        p, d = hashing.region_hashes(h.regions)
        w, ht = image.size
        for i, (x0, y0, x1, y1) in enumerate(STORED_REGIONS):
            crop = hashing.image_hashes(image.crop((round(x0 * w), round(y0 * ht), round(x1 * w), round(y1 * ht))))
            assert bits(p[i], crop.phash) <= 6, (i, STORED_REGIONS[i])
            assert bits(d[i], crop.dhash) <= 6, (i, STORED_REGIONS[i])


# --- flat pictures and modes -----------------------------------------------------------------------


@pytest.mark.parametrize("colour", [(255, 255, 255), (0, 0, 0), (30, 120, 200)])
def test_single_colour_picture_is_flat_and_has_no_usable_region(colour: tuple[int, int, int]) -> None:
    h = hashing.image_hashes(Image.new("RGB", (300, 200), colour))
    assert h.blank
    assert h.region_mask == 0


def test_only_textured_regions_are_marked_usable(scenes: list[Image.Image]) -> None:
    """A scene in the top-left quarter of a white page: regions that see only white are masked out."""
    page = Image.new("RGB", (400, 400), "white")
    page.paste(scenes[0].resize((200, 200)), (0, 0))
    h = hashing.image_hashes(page)
    assert not h.blank
    for i, (x0, y0, _, _) in enumerate(STORED_REGIONS):
        sees_scene = x0 < 0.5 and y0 < 0.5
        assert bool(h.region_mask >> i & 1) == sees_scene, STORED_REGIONS[i]


def test_transparency_is_composited_onto_white(scenes: list[Image.Image]) -> None:
    # A fully transparent picture is a white one, whatever colour its invisible pixels have.
    white = hashing.image_hashes(Image.new("RGB", (200, 150), "white"))
    assert hashing.image_hashes(Image.new("RGBA", (200, 150), (0, 0, 0, 0))) == white
    assert hashing.image_hashes(Image.new("LA", (200, 150), (0, 0))) == white

    # A scene whose right half is transparent black hashes as the scene with a white right half.
    scene = scenes[0]
    w, h = scene.size
    rgba = scene.convert("RGBA")
    ImageDraw.Draw(rgba).rectangle((w // 2, 0, w, h), fill=(0, 0, 0, 0))
    on_white = scene.copy()
    ImageDraw.Draw(on_white).rectangle((w // 2, 0, w, h), fill="white")
    assert hashing.image_hashes(rgba) == hashing.image_hashes(on_white)
    # Dropping the alpha channel instead would have shown the invisible black: a different picture.
    assert bits(hashing.image_hashes(rgba).dhash, hashing.image_hashes(rgba.convert("RGB")).dhash) > 10


def test_palette_images_with_and_without_transparency(
    scenes: list[Image.Image], scene_hashes: list[ImageHashes]
) -> None:
    for image, h in zip(scenes[:4], scene_hashes, strict=False):
        palette = image.convert("P", palette=Image.Palette.ADAPTIVE, colors=256)
        p = hashing.image_hashes(palette)
        assert bits(p.phash, h.phash) <= 6
        assert bits(p.dhash, h.dhash) <= 6
    # A palette entry marked transparent is white, as in a GIF with a transparent background.
    gif = Image.new("P", (120, 90), 0)
    gif.putpalette([0, 0, 0] * 256)
    gif.info["transparency"] = 0
    assert hashing.image_hashes(gif) == hashing.image_hashes(Image.new("L", (120, 90), 255))


def test_16_bit_greyscale_hashes_like_its_8_bit_version(
    scenes: list[Image.Image], scene_hashes: list[ImageHashes]
) -> None:
    for image, h in zip(scenes[:4], scene_hashes, strict=False):
        grey = np.asarray(image.convert("L"), dtype=np.uint16)
        wide = Image.fromarray(grey * 257)
        assert wide.mode == "I;16"
        assert hashing.image_hashes(wide) == h
        # ...and as a 16-bit PNG, decoded by Pillow the way a user's file would be.
        buffer = io.BytesIO()
        wide.save(buffer, "PNG")
        buffer.seek(0)
        with Image.open(buffer) as decoded:
            assert bits(hashing.image_hashes(decoded).phash, h.phash) <= 2


@pytest.mark.parametrize("size", [(1, 1), (3, 200), (500, 2)])
@pytest.mark.parametrize("mode", ["RGB", "RGBA", "L", "P"])
def test_tiny_and_thin_pictures_do_not_crash(size: tuple[int, int], mode: str) -> None:
    image = draw_scene(7, size).convert(mode)
    h = hashing.image_hashes(image)
    assert len(h.phash) == 8 and len(h.regions) == 16 * len(STORED_REGIONS)
    q = hashing.query_hashes(image)
    assert q.whole == h
    assert len(q.windows) == len(q.window_hashes) == len(q.window_dhashes) >= 1
    assert hashing.working_grey(image).shape == (
        max(1, round(size[1] * 256 / max(size))),
        max(1, round(size[0] * 256 / max(size))),
    )


def test_one_pixel_picture_is_flat() -> None:
    assert hashing.image_hashes(Image.new("RGB", (1, 1), (200, 10, 10))).blank


@pytest.mark.parametrize("size", [(3, 200), (120, 1000)])
def test_thin_single_colour_picture_is_flat(size: tuple[int, int]) -> None:
    h = hashing.image_hashes(Image.new("RGB", size, (90, 90, 90)))
    assert h.blank and h.region_mask == 0


def test_working_copy_has_a_256_pixel_long_side(scenes: list[Image.Image]) -> None:
    assert hashing.working_grey(Image.new("RGB", (1024, 512))).shape == (128, 256)
    assert hashing.working_grey(Image.new("RGB", (100, 300))).shape == (256, 85)
    grey = hashing.working_grey(scenes[0])
    assert grey.dtype == np.uint8 and max(grey.shape) == hashing.WORK_SIZE


# --- query windows ---------------------------------------------------------------------------------


def test_dense_windows_cover_whole_down_to_half_size() -> None:
    windows = hashing.dense_windows()
    assert windows.shape[1] == 4 and 1000 <= len(windows) <= 1100
    assert tuple(windows[0]) == (0.0, 0.0, 1.0, 1.0)
    assert windows.min() >= 0.0 and windows.max() <= 1.0 + 1e-9
    widths, heights = windows[:, 2] - windows[:, 0], windows[:, 3] - windows[:, 1]
    np.testing.assert_allclose(widths, heights)
    assert widths.max() == pytest.approx(1.0)
    assert 0.48 <= widths.min() <= 0.52
    for scale in np.unique(np.round(widths, 9)):
        same = windows[np.isclose(widths, scale)]
        xs = np.unique(np.round(same[:, 0], 9))
        assert xs[0] == 0.0 and xs[-1] == pytest.approx(1.0 - scale)  # touches both edges
        assert np.diff(xs).max(initial=0.0) <= scale * hashing.QUERY_STRIDE + 1e-9  # no gaps wider than the stride
        assert len(same) == len(xs) ** 2


def test_query_hashes_keep_the_whole_picture_and_drop_flat_windows(
    scenes: list[Image.Image], scene_hashes: list[ImageHashes]
) -> None:
    q = hashing.query_hashes(scenes[0], proposals=False)
    assert q.whole == scene_hashes[0]
    grid = len(hashing.dense_windows()) + len(hashing.stretched_windows())
    assert len(q.windows) == len(q.window_hashes) == len(q.window_dhashes) == grid
    # The stretched windows (width and height scaled apart) come after the square ones, searched narrowly.
    assert q.narrow is not None and not q.narrow[: len(hashing.dense_windows())].any() and q.narrow[-1]
    # With proposals (rectangles where a picture may sit inside the query) their windows come after the grid.
    full = hashing.query_hashes(scenes[0])
    np.testing.assert_array_equal(full.windows[: len(q.windows)], q.windows)
    assert len(full.windows) == len(full.window_hashes) == len(full.window_dhashes) >= len(q.windows)
    assert tuple(q.windows[0]) == (0.0, 0.0, 1.0, 1.0)
    assert int(q.window_hashes[0]) == from_bytes(q.whole.phash)
    assert int(q.window_dhashes[0]) == from_bytes(q.whole.dhash)

    # The left half of this page is blank: windows that only see blank are not searched with.
    page = Image.new("RGB", (400, 400), "white")
    page.paste(scenes[1].resize((200, 400)), (200, 0))
    half = hashing.query_hashes(page)
    assert 1 <= len(half.windows) < len(hashing.dense_windows()) + len(hashing.stretched_windows())
    assert (half.windows[1:, 2] > 0.5).all()

    blank = hashing.query_hashes(Image.new("RGB", (300, 300), "white"))
    assert len(blank.windows) == 1 and tuple(blank.windows[0]) == (0.0, 0.0, 1.0, 1.0)


# --- storage format --------------------------------------------------------------------------------


def test_region_hashes_round_trip(scene_hashes: list[ImageHashes]) -> None:
    n = len(STORED_REGIONS)
    p = np.arange(1, n + 1, dtype=np.uint64) * np.uint64(0x0101010101010101)
    d = ~p
    data = np.concatenate([p, d]).astype(">u8").tobytes()
    got_p, got_d = hashing.region_hashes(data)
    assert got_p.dtype == got_d.dtype == np.uint64
    np.testing.assert_array_equal(got_p, p)
    np.testing.assert_array_equal(got_d, d)
    stored_p, _ = hashing.region_hashes(scene_hashes[0].regions)
    assert int(stored_p[0]) == from_bytes(scene_hashes[0].regions[:8])


@pytest.mark.parametrize("length", [0, 8, 16 * len(STORED_REGIONS) - 8, 16 * len(STORED_REGIONS) + 8])
def test_region_hashes_rejects_the_wrong_length(length: int) -> None:
    with pytest.raises(ValueError):
        hashing.region_hashes(b"\x01" * length)


def test_to_bytes_and_from_bytes_round_trip() -> None:
    assert to_bytes(1) == b"\x00" * 7 + b"\x01"
    assert to_bytes(0xFF00000000000000) == b"\xff" + b"\x00" * 7
    rng = np.random.default_rng(3)
    values = [0, 1, 2**63, 2**64 - 1, *rng.integers(0, 2**64, size=50, dtype=np.uint64)]
    for value in values:
        data = to_bytes(value)
        assert len(data) == 8
        assert from_bytes(data) == int(value)
    with pytest.raises(OverflowError):
        to_bytes(2**64)


def test_stretched_windows_change_the_aspect_ratio_up_to_twice() -> None:
    """A crop that changes the aspect ratio shows a stored region stretched: windows wider than tall and back."""
    windows = hashing.stretched_windows()
    widths, heights = windows[:, 2] - windows[:, 0], windows[:, 3] - windows[:, 1]
    ratio = widths / heights
    assert windows.min() >= 0.0 and windows.max() <= 1.0 + 1e-9
    assert not np.isclose(ratio, 1.0).any()
    assert ratio.max() <= hashing.STRETCH_MAX + 1e-9 and ratio.min() >= 1 / hashing.STRETCH_MAX - 1e-9
    assert widths.min() == pytest.approx(hashing.STRETCH_MIN) and heights.max() == pytest.approx(1.0)
