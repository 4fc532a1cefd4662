"""`tracker posts`: every logged post, newest first, as a table, a JSON array or JSON Lines.

Kept apart from the other post commands (`cli.posts`) because a listing of 100,000 posts is
meant to run at the speed of the database, start-up included: on a SQLite file already at this
tracker's revision it reads through the standard library's driver (`db.quick`) and loads no
SQLAlchemy at all (a quarter of a second); any other database is opened as every command opens
it, with SQLAlchemy Core only. The ORM loads only if a report has to be built and some model file
was scanned (`AppContext.plain_report_context`).
"""

from __future__ import annotations

import codecs
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, BinaryIO, TextIO

import click

from tracker.cli.context import AppContext, echo_lines, pass_app, terminal_width
from tracker.errors import UsageError
from tracker.support.textsafe import safe_text

WRITE_BUFFER = 1 << 20
"""Bytes gathered before each write to stdout by `posts --json`/`--jsonl`."""


@click.command("posts")
@click.option("--persona", help="Only this persona's posts (its exact name).")
@click.option("--platform", help="Only posts on this platform (its name or an alias: twitter is x).")
@click.option("--status", type=click.Choice(["live", "taken_down", "deleted"]), help="Only posts in this state.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of posts (one post per line).")
@click.option("--jsonl", "as_jsonl", is_flag=True, help="Print JSON Lines: one JSON object per post.")
@pass_app
def posts_cmd(
    app: AppContext, persona: str | None, platform: str | None, status: str | None, as_json: bool, as_jsonl: bool
) -> None:
    """List logged posts, newest first (streamed: any number of posts in constant memory)."""
    from tracker.db.plain import reading
    from tracker.posts.listing import listing_persona, listing_platform, post_batches, post_dicts

    if as_json and as_jsonl:
        raise UsageError("--json and --jsonl print the same posts two ways: choose one")
    app.require_database()  # a mistyped data folder is never "no posts logged yet", and makes no database
    database = app.reader()
    if persona is not None or platform is not None:  # a typo is an error, never an empty listing
        with reading(database) as connection:
            if persona is not None:
                persona = listing_persona(connection, persona)
            if platform is not None:
                platform = listing_platform(connection, app.platforms(), platform)
    ctx = app.plain_report_context(database)
    if as_json or as_jsonl:
        write_batches(post_batches(database, ctx, persona, platform, status), array=as_json)
        return
    data = list(post_dicts(database, ctx, persona, platform, status))
    if not data:
        click.echo("No posts logged yet." if not (persona or platform or status) else "No posts match.")
        return
    echo_lines(post_table(data, terminal_width()))


NARROW = 120
"""Below this many terminal columns `tracker posts` leaves out the platform (the URL names it),
the generator and the model (`tracker show` has them), so that a row is one line."""


WIDE_COLUMNS = ("ID", "STATUS", "PLATFORM", "PERSONA", "POSTED", "GENERATOR", "MODEL", "URL", "TITLE")
NARROW_COLUMNS = ("ID", "STATUS", "POSTED", "PERSONA", "URL", "TITLE")


def post_table(data: list[dict[str, Any]], width: int | None) -> list[str]:
    """The posts as aligned lines: every column into a pipe (`width` None); on a terminal, rows cut to
    its width, the URL in its middle so the post's id stays, the title last and only where there is room."""
    from tracker.cli.output import table
    from tracker.support.textsafe import cell_width, clip, keep_end

    narrow = width is not None and width < NARROW
    head = NARROW_COLUMNS if narrow else WIDE_COLUMNS
    rows = [list(head)]
    for p in data:
        link = safe_text(p["url"])
        if narrow:  # the scheme and www. say nothing: the room goes to the post's id
            link = link.removeprefix("https://").removeprefix("http://").removeprefix("www.")
        cells = {
            "ID": str(p["id"]),
            "STATUS": p["status"],
            "PLATFORM": safe_text(p["platform"]),
            "PERSONA": safe_text(p["persona"]),
            "POSTED": (p["posted_at"] or "-")[:10],
            "GENERATOR": safe_text(p["image"]["generator"] or "none"),
            "MODEL": safe_text((p["image"]["model"] or {}).get("name") or "-"),
            "URL": link,
            "TITLE": safe_text(p.get("title") or ""),
        }
        rows.append([cells[name] for name in head])
    if width is None:
        return table(rows)
    persona, url, title = (head.index(name) for name in ("PERSONA", "URL", "TITLE"))
    widths = [max(cell_width(r[i]) for r in rows) for i in range(len(head))]
    if not any(r[title] for r in rows[1:]):
        widths[title] = 0
    _shrink(widths, width, ((title, 12), (persona, 12), (url, 16)))
    if widths[title] and _overflow(widths, width) > 0:  # no room for the titles: the others get it
        widths[title] = 0
        _shrink(widths, width, ((persona, 12), (url, 16)))
    for column, cut in ((persona, clip), (url, keep_end), (title, clip)):
        for r in rows[1:]:
            r[column] = cut(r[column], widths[column])
    if widths[title] == 0:
        rows = [r[:title] + r[title + 1 :] for r in rows]
    return table(rows)


def _overflow(widths: list[int], width: int) -> int:
    """Columns past the terminal's last (kept one free) of a table with these column widths (0: left out)."""
    shown = [w for w in widths if w]
    return sum(shown) + 2 * (len(shown) - 1) - (width - 1)


def _shrink(widths: list[int], width: int, order: Iterable[tuple[int, int]]) -> None:
    """Narrow the columns in `order`, each down to its least width, until the table fits."""
    for column, least in order:
        if widths[column]:
            widths[column] -= max(0, min(_overflow(widths, width), widths[column] - least))


def write_batches(batches: Iterable[list[bytes]], array: bool) -> None:
    """Batches of JSON lines (UTF-8, already printable) as they come: JSON Lines, or (`array`) a JSON
    array with one value per line. Nothing is held back but one batch: any length in constant memory.

    A batch goes out through a large buffer (`writelines`: no joined copy of it), when stdout is a
    file that takes UTF-8: joining a batch into one string would cost a megabyte of fresh memory
    per batch, which costs more (page faults) than the writes.
    """
    out = sys.stdout
    out.flush()
    with _byte_sink(out) as sink:
        if sink is None:
            from tracker.cli.output import write_json_lines

            write_json_lines((line.decode() for lines in batches for line in lines), array=array)
            return
        separator = b",\n" if array else b"\n"
        first = True
        for lines in batches:
            parts = [separator] * (2 * len(lines))
            if array:  # a separator before each line, the array's opening before the first
                parts[1::2] = lines
                if first:
                    parts[0] = b"[\n"
            else:  # a newline after each line
                parts[0::2] = lines
            sink.writelines(parts)
            first = False
        if array:
            sink.write(b"[]\n" if first else b"\n]\n")


@contextmanager
def _byte_sink(out: TextIO) -> Iterator[BinaryIO | None]:
    """A large buffer over stdout's file when stdout takes UTF-8 (else None: write text), flushed at the end."""
    if codecs.lookup(out.encoding or "ascii").name != "utf-8":
        yield None
        return
    try:
        fd = out.fileno()
    except (OSError, ValueError):  # not a file (a test's capture): its own byte buffer will do
        buffer = getattr(out, "buffer", None)
        yield buffer
        if buffer is not None:
            buffer.flush()
        return
    with open(fd, "wb", buffering=WRITE_BUFFER, closefd=False) as sink:
        yield sink
