"""`tracker posts`: every logged post, newest first, as a table, a JSON array or JSON Lines.

Kept apart from the other post commands (`cli.posts`) because a listing of 100,000 posts is
meant to run at the speed of the database, start-up included: on a SQLite file already at this
tracker's revision it reads through the standard library's driver (`db.quick`) and loads no
SQLAlchemy at all (a quarter of a second); any other database is opened as every command opens
it, with SQLAlchemy Core only. The ORM loads only if a report has to be built (`_LocalFiles`).
"""

from __future__ import annotations

import codecs
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, TextIO

import click

from tracker.cli.context import AppContext, echo_lines, pass_app
from tracker.errors import UsageError
from tracker.support.textsafe import safe_text

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from tracker.accountability.report import LocalLookup, ReportContext
    from tracker.db.plain import Reader
    from tracker.metadata.info import ResourceRef

WRITE_BUFFER = 1 << 20
"""Bytes gathered before each write to stdout by `posts --json`/`--jsonl`."""


@click.command("posts")
@click.option("--persona", help="Only this persona's posts.")
@click.option("--platform", help="Only posts on this platform.")
@click.option("--status", type=click.Choice(["live", "taken_down", "deleted"]), help="Only posts in this state.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of posts (one post per line).")
@click.option("--jsonl", "as_jsonl", is_flag=True, help="Print JSON Lines: one JSON object per post.")
@pass_app
def posts_cmd(
    app: AppContext, persona: str | None, platform: str | None, status: str | None, as_json: bool, as_jsonl: bool
) -> None:
    """List logged posts, newest first (streamed: any number of posts in constant memory)."""
    from tracker.posts.listing import post_batches, post_dicts

    if as_json and as_jsonl:
        raise UsageError("--json and --jsonl print the same posts two ways: choose one")
    database = app.reader()
    ctx = listing_context(app, database)
    if as_json or as_jsonl:
        write_batches(post_batches(database, ctx, persona, platform, status), array=as_json)
        return
    data = list(post_dicts(database, ctx, persona, platform, status))
    if not data:
        click.echo("No posts logged yet." if not (persona or platform or status) else "No posts match.")
        return
    from tracker.cli.output import table

    rows = [["ID", "STATUS", "PLATFORM", "PERSONA", "POSTED", "GENERATOR", "MODEL", "URL"]]
    for p in data:
        rows.append(
            [
                str(p["id"]),
                p["status"],
                safe_text(p["platform"]),
                safe_text(p["persona"]),
                (p["posted_at"] or "-")[:10],
                safe_text(p["image"]["generator"] or "none"),
                safe_text((p["image"]["model"] or {}).get("name") or "-"),
                safe_text(p["url"]),
            ]
        )
    echo_lines(table(rows))


def listing_context(app: AppContext, database: Reader | Engine) -> ReportContext:
    """`AppContext.report_context`, without the ORM: the same key, the local model lookup loaded on first use.

    The key must be the one `report_context` makes (kept reports are filed under it): the same
    registry stamp (`resources.registry_stamp`), asked on the driver's connection or a plain one.
    """
    from tracker.accountability.report import ReportContext
    from tracker.accountability.rules import RuleLists
    from tracker.resources.registry_stamp import registry_stamp

    lists = RuleLists.load(app.settings.data_dir)
    risks = app.risks()
    from tracker.db.plain import reading

    with reading(database) as connection:
        key = app.report_key(lists, registry_stamp(connection))
    return ReportContext(risks=risks, lists=lists, local_file=_LocalFiles(app), key=key)


class _LocalFiles:
    """`resources.local_models.local_index`, read (with the ORM) the first time a report asks for it."""

    def __init__(self, app: AppContext) -> None:
        self.app = app
        self.lookup: LocalLookup | None = None

    def __call__(self, ref: ResourceRef) -> Path | None:
        if self.lookup is None:
            from tracker.resources.local_models import local_index

            with self.app.sessions()() as session:
                self.lookup = local_index(session)
        return self.lookup(ref)


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
