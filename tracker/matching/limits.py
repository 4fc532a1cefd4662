"""What the search can miss, in the owner's words: said where a search found nothing (`tracker match`, complaint
triage) and where the owner says a picture shows no post of theirs (`owner_warnings.NOT_MINE_LIMITS`), so the three
agree.

Figures behind them: README, "What is often missed".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.Image import Image

    from tracker.metadata.decoding import DecodedImage

SMALL_CROP = "a crop of under 40 % of a post"
THUMBNAIL = "shown as a square thumbnail (a profile grid, a phone's two-column feed)"
"""A non-square post shown as its centre square: neither its whole picture nor most of its stored regions."""
SAME_COLOUR = "on a page the colour of its edges"


def can_miss() -> str:
    """The hint when a search of a picture found nothing: which posts it shows may have been missed."""
    return f"{SMALL_CROP}, or a post {THUMBNAIL} or {SAME_COLOUR}, can be missed"


def nothing_found(name: str, tiles: int) -> str:
    """The line under "No logged image matches NAME" (`tracker match`, the TUI's Match screen): that the picture is a
    grid of `tiles` pictures (`screenshots.grid_tiles`, 0 when it is none) to look at, else what the search can miss."""
    said = grid_found(tiles, 0)
    return f"{name} is {said}." if said else f"Look at the picture yourself: {can_miss()}."


def blank_picture(name: str) -> str:
    """The line under "No logged image matches NAME" when the picture is one plain colour (`hashing.BLANK_STD`: a
    screenshot an app blacked out, a picture that failed to load): nothing in it can be compared with a post."""
    return (
        f"{name} is one plain colour (a blacked-out screenshot, or a picture that did not load): it shows nothing "
        "to compare with your posts; ask for the picture again."
    )


def animated(name: str, frames: int) -> str:
    """The note on a picture of `frames` frames (an animated GIF, PNG or WebP): only its first frame is hashed, and a
    later one may show another post (`tracker match`, the TUI's Match screen and complaint screen, `tracker complaint
    show` and `add`, which search nothing themselves: hence "is", not "was")."""
    return f"{name} is animated ({frames} frames): only its first frame is searched: look at the others yourself."


def frame_count(picture: Image) -> int:
    """How many frames the file holds (an animated GIF, PNG or WebP); 1 when it cannot tell (a damaged later frame)."""
    try:
        frames = getattr(picture, "n_frames", 1)
    except (OSError, EOFError, SyntaxError, ValueError):
        return 1
    return frames if isinstance(frames, int) else 1


def is_blank(picture: Image) -> bool:
    """Whether the picture (as displayed) is one plain colour, whose hashes are noise (`hashing.image_hashes`)."""
    from tracker.matching.hashing import image_hashes  # numpy: only when a picture is searched

    return image_hashes(picture).blank


def looks(picture: DecodedImage) -> tuple[bool, int]:
    """Whether a complainant's picture is one plain colour (`is_blank`), and its frames (`frame_count`): recorded
    when it is kept (`complaint_image.plain_colour`, `frames`), so `complaint show` says them without decoding it."""
    return is_blank(picture.displayed), frame_count(picture.image)


def grid_found(tiles: int, found: int) -> str | None:
    """What to say of a picture that is a grid of `tiles` pictures (`screenshots.grid_tiles`) when `found` logged
    images were found in it, fewer than its tiles (else None), so the owner looks at the others: "a grid of 15
    pictures; 1 of them matches a logged image: look at the other 14 yourself"."""
    if tiles < 2 or found >= tiles:
        return None
    if not found:
        return f"a grid of {tiles} pictures; none of them matches a logged image: look at them yourself"
    matched = "1 of them matches" if found == 1 else f"{found} of them match"
    return f"a grid of {tiles} pictures; {matched} a logged image: look at the other {tiles - found} yourself"
