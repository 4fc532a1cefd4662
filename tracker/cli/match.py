"""`tracker match IMAGE`: which logged posts an image shows, whole or in part."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from tracker.cli.context import AppContext, echo_lines, pass_app, terminal_width
from tracker.matching import limits
from tracker.support.textsafe import safe_json, safe_text
from tracker.support.words import counted

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage

    from tracker.matching.search import MatchResult

TOP = 20
"""`--top`'s default: `matching.search.MATCH_TOP`, written out so that `--help` loads no numpy (a test
keeps the two equal)."""
MIN_SCORE = 0.5
"""`--min-score`'s default: `matching.similarity.MATCH_SCORE` (the same; a test keeps them equal)."""
DETAIL = 7
"""Where a candidate's details start (under its score), and where its first line continues."""
MATCHED = DETAIL + len("matched: ")
"""Where the reasons continue, under the first one."""


@click.command("match")
@click.argument("image", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--top", default=TOP, show_default=True, type=click.IntRange(1, 10000), help="At most this many images.")
@click.option(
    "--min-score",
    default=MIN_SCORE,
    show_default=True,
    type=click.FloatRange(0.0, 1.0),
    help="Lowest score listed; 0.5 is each kind's calibrated threshold.",
)
@click.option("--no-regions", is_flag=True, help="Whole-image and flipped matches only (faster).")
@click.option("--rebuild-index", is_flag=True, help="Rebuild the saved similarity index from the database first.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of candidates.")
@pass_app
def match_cmd(
    app: AppContext, image: Path, top: int, min_score: float, no_regions: bool, rebuild_index: bool, as_json: bool
) -> None:
    """Find the logged posts IMAGE shows: the same picture (resized, re-encoded, flipped) or a part of one.

    \b
    Examples:
      tracker match their-screenshot.png
      tracker match their-image.jpg --min-score 0 --top 5  # unlikely ones too
    """
    import gc

    from tracker.support.memory import reuse_freed_memory

    reuse_freed_memory()  # a short process freeing hundreds of large arrays: keep them for reuse
    # Its objects (numpy's, Pillow's, the search's: ~50,000) live to the end: Python's shutdown need not walk them
    # looking for cycles to break, a tenth of the whole command's time (`posts.importing` freezes its workers alike).
    click.get_current_context().call_on_close(gc.freeze)
    from tracker.matching.search import match_reading, open_index  # numpy, Pillow
    from tracker.metadata.decoding import decode_file

    decoded = decode_file(image)  # the pixels and the digest: a search reads no metadata
    app.require_database()  # a mistyped data folder is never "no logged image matches"
    database = app.reader()  # no SQLAlchemy on a SQLite file at this revision, no ORM anywhere
    if rebuild_index:
        open_index(database, app.settings, rebuild=True)
    results = match_reading(database, app.settings, decoded, top=top, min_score=min_score, regions=not no_regions)
    tiles = 0 if no_regions else _tiles(decoded.displayed)
    found = sum(r.candidate.score >= MIN_SCORE for r in results)  # matches, not the unlikely ones --min-score lists
    said = limits.grid_found(tiles, found)
    notes = [safe_text(f"{image.name} is {said}.")] if said else []
    frames = limits.frame_count(decoded.image)
    if frames > 1:  # a later frame may show another post (or this one): only the first is hashed
        notes.append(safe_text(limits.animated(image.name, frames)))
    if as_json:
        click.echo(safe_json([r.to_dict() for r in results]))
        for line in notes:  # stdout stays the documented array of candidates; the owner still reads the hint
            click.echo(f"tracker: note: {line}", err=True)
        return
    width = terminal_width()
    if not results:
        lines = [safe_text(f"No logged image matches {image.name} (score >= {min_score:g}).")]
        if limits.is_blank(decoded.displayed):  # not "look at the picture yourself": there is nothing in it to see
            lines.append(safe_text(limits.blank_picture(image.name)))
        elif not said:  # the grid's line says what to look at instead
            lines.append(safe_text(limits.nothing_found(image.name, tiles)))
        echo_lines(_folded(lines + notes, width))
        return
    echo_lines(_result_lines(image, results, width) + _folded(notes, width))


def _folded(lines: list[str], width: int | None) -> list[str]:
    """Lines (safe) folded at spaces to `width` terminal columns (None: as they are)."""
    from tracker.cli.output import hanging

    return [piece for line in lines for piece in hanging("", line, width, 0)]


def _tiles(picture: PILImage) -> int:
    """How many pictures the picture shows as a grid's tiles (`screenshots.grid_tiles`; 0: it is no grid)."""
    from tracker.matching.screenshots import grid_tiles

    return grid_tiles(picture)


def _result_lines(image: Path, results: list[MatchResult], width: int | None) -> list[str]:
    """The text answer: each candidate's line, then why it matched and where it is posted, every line
    folded to `width` terminal columns (None: one line each), a continuation under its first word."""
    from tracker.cli.output import hanging
    from tracker.matching.search import describe_box

    lines = [safe_text(f"{counted(len(results), 'candidate image')} for {image.name}, best first:")]

    def add(head: str, text: str, indent: int = DETAIL) -> None:
        lines.extend(hanging(head, safe_text(text), width, indent))

    for rank, result in enumerate(results, 1):
        c = result.candidate
        kind = "identical file" if result.identical else c.kind
        persona = f"  persona {result.persona}" if result.persona else ""
        add(
            f"{rank:>3}. ",
            f"score {c.score:.2f} ({c.confidence})  {kind:<8} image #{result.image_id} {result.original_name}{persona}",
        )
        if result.identical:
            add(" " * DETAIL + "matched: ", "the same file, byte for byte (its sha256)", MATCHED)
        elif c.matched:
            add(" " * DETAIL + "matched: ", ", ".join(c.matched), MATCHED)
        if c.region is not None and c.kind == "region" and not result.identical:
            add(
                " " * DETAIL,
                f"post's {describe_box(c.region.image_box)} matches the image's {describe_box(c.region.query_box)}"
                + (", mirrored" if c.region.mirrored else ""),
            )
        for post in result.posts:
            add(" " * DETAIL, f"{post.where} [{post.status}] {post.platform}  {post.url}")
        for use in result.input_of:
            posts = ", ".join(f"#{n}" for n in use.post_ids) or "none yet"
            add(" " * DETAIL, f"used as {use.technique} input of image #{use.image_id} (posts {posts})")
        if not result.posts and not result.input_of:
            lines.append(" " * DETAIL + "(archived, not posted)")
    return lines
