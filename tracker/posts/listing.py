"""Listing every post in constant memory and at the speed of the database: `tracker posts`.

One query joins post, account, persona and image and is read in batches, so a listing of
100,000 posts holds one batch of rows at a time, never the archive. Only what a listing shows is
read: an image's raw metadata (a ComfyUI workflow can be 100 KB) is not, only the two small
values its report needs, picked out by the database. It reads on the engine with SQLAlchemy Core
(no ORM: `cli.listing` starts without it), on SQLite through the driver's own cursor (`_rows`),
and each batch becomes JSON lines in one loop (`listing_lines`).

The slow part of a post's JSON is its image's accountability report (rules over the prompt, the
risk table, the model registry). Each report is therefore kept, as the JSON line it prints as,
in `image_report`, filed under the report context's key (`accountability.report.context_key`):
the first listing builds and keeps them, later ones splice the kept text in unchanged. A report
kept under another key (a new risk table, new lists, rescanned models, a new tracker) is simply
built again. Keeping is best effort, in its own short transactions: a read-only or busy
database still lists, it just does not keep.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Select, String, Text, and_, cast, delete, insert, select, type_coerce
from sqlalchemy.exc import SQLAlchemyError

from tracker.db import schema
from tracker.db.enums import PostStatus
from tracker.errors import UsageError
from tracker.posts.listing_lines import IMAGE_ID_AT, encoded_lines

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

    from tracker.accountability.report import ReportContext

BATCH = 500
"""Rows read from the database at a time (and reports built at a time)."""


def post_status(status: str) -> PostStatus:
    """The status a user typed, or a usage error naming the choices."""
    try:
        return PostStatus(status)
    except ValueError:
        choices = ", ".join(s.value for s in PostStatus)
        raise UsageError(f"unknown status {status!r}; choose one of {choices}") from None


def _raw(column: ColumnElement[Any]) -> ColumnElement[Any]:
    """The column as the driver gives it, without SQLAlchemy's conversion (`listing_lines` does it, faster)."""
    return type_coerce(column, String)


def _query(key: str, persona: str | None, platform: str | None, status: str | None) -> Select[Any]:
    p, a, pe, i, r = schema.post.c, schema.account.c, schema.persona.c, schema.image.c, schema.image_report.c
    query = (
        select(
            p.id,
            p.url,
            p.platform,
            p.platform_post_id,
            p.title,
            _raw(p.posted_at),
            _raw(p.status),
            _raw(p.status_changed_at),
            _raw(p.logged_at),
            pe.name,
            a.id,
            a.platform,
            a.handle,
            a.profile_url,
            p.requested_by,
            _raw(p.permission_at),
            p.permission_ref,
            i.id,
            i.sha256,
            i.original_name,
            i.archive_path,
            i.format,
            i.width,
            i.height,
            i.size_bytes,
            i.phash,
            i.dhash,
            r.report,
        )
        .join(schema.account, a.id == p.account_id)
        .join(schema.persona, pe.id == a.persona_id)
        .join(schema.image, i.id == p.image_id)
        .outerjoin(schema.image_report, and_(r.image_id == i.id, r.context == key))
    )
    if persona:
        query = query.where(pe.name == persona)
    if platform:
        query = query.where(p.platform == platform)
    if status:
        query = query.where(_raw(p.status) == post_status(status).value)
    return query.order_by(p.logged_at.desc(), p.id.desc())


def _reports(connection: Connection, ids: list[int], ctx: ReportContext) -> dict[int, str]:
    """The reports of images not kept yet, built from what a report needs (generation, problems, signature)."""
    # Building a report loads the rules, the metadata model and the ORM: only a listing with
    # reports to build pays for them.
    from tracker.posts.views import image_report
    from tracker.support.textsafe import safe_json

    i = schema.image.c
    query = select(
        i.id,
        cast(i.generation, Text),
        i.raw_metadata["problems"],
        i.raw_metadata[("stealth", "signature")],
    ).where(i.id.in_(ids))
    built = {}
    for image_id, generation, problems, signature in connection.execute(query):
        info = json.loads(generation) if generation else None
        report = image_report(
            info if isinstance(info, dict) else None,
            [str(x) for x in problems] if isinstance(problems, list) else [],
            signature if isinstance(signature, str) else None,
            ctx,
        )
        built[image_id] = safe_json(report, one_line=True)
    return built


KEEP_BATCH = 10_000
"""Reports written per transaction: each commit waits for the disk, so not one per batch read."""


class _Keeper:
    """Files newly built reports under the context's key, in large batches, until the database refuses."""

    def __init__(self, engine: Engine, key: str) -> None:
        self.engine, self.key, self.enabled = engine, key, bool(key)
        self.pending: dict[int, str] = {}

    def keep(self, reports: dict[int, str]) -> None:
        if self.enabled:
            self.pending.update(reports)
            if len(self.pending) >= KEEP_BATCH:
                self.flush()

    def flush(self) -> None:
        reports, self.pending = self.pending, {}
        if not (self.enabled and reports):
            return
        table = schema.image_report
        try:
            with self.engine.begin() as connection:
                connection.execute(delete(table).where(table.c.image_id.in_(list(reports))))
                connection.execute(
                    insert(table), [{"image_id": k, "context": self.key, "report": v} for k, v in reports.items()]
                )
        except SQLAlchemyError:
            self.enabled = False  # read-only, busy or another listing got there first: list without keeping


def post_batches(
    engine: Engine,
    ctx: ReportContext,
    persona: str | None = None,
    platform: str | None = None,
    status: str | None = None,
) -> Iterator[list[bytes]]:
    """The posts matching the filters, newest logged first, as JSON lines (`post_row_dict`'s form)
    in UTF-8, printable (`listing_lines.encoded_lines`), a batch of up to `BATCH` at a time."""
    keeper = _Keeper(engine, ctx.key)
    try:
        with engine.connect() as connection:
            for batch in _rows(connection, _query(ctx.key, persona, platform, status)):
                missing = sorted({row[IMAGE_ID_AT] for row in batch if row[-1] is None})
                built: dict[int, str] = {}
                if missing:
                    with engine.connect() as reader:
                        built = _reports(reader, missing, ctx)
                    keeper.keep(built)
                lines = encoded_lines(batch, built)
                if lines:
                    yield lines
    finally:
        keeper.flush()


def _rows(connection: Connection, query: Select[Any]) -> Iterator[Sequence[Sequence[Any]]]:
    """The query's rows, `BATCH` at a time, in one transaction (one snapshot): plain tuples from
    the driver's cursor on SQLite (`_driver_rows`), rows of SQLAlchemy's result (`yield_per`, a
    server-side cursor where there is one) on any other database."""
    connection.begin()  # before the driver's cursor runs: SQLAlchemy's autobegin would not see it
    rows = _driver_rows(connection, query)
    if rows is None:
        rows = connection.execute(query.execution_options(yield_per=BATCH)).partitions()
    yield from rows


def _driver_rows(connection: Connection, query: Select[Any]) -> Iterator[Sequence[Sequence[Any]]] | None:
    """On SQLite, the query run on the driver's own cursor; None elsewhere (the general path).

    SQLAlchemy's result rows cost more than SQLite's own work. The statement is compiled from the
    same select, so both paths ask the same question; the listing's columns are already the
    driver's values (`_raw`). A parameter that is not a plain value (one that would need
    SQLAlchemy's conversion) takes the general path too.
    """
    if connection.dialect.name != "sqlite":
        return None
    compiled = query.compile(dialect=connection.dialect)
    params = tuple(compiled.params[name] for name in compiled.positiontup or ())
    if not all(value is None or type(value) in (str, int) for value in params):
        return None
    return _fetched(connection.connection.cursor(), str(compiled), params)


def _fetched(cursor: Any, statement: str, params: tuple[Any, ...]) -> Iterator[list[Any]]:
    try:
        cursor.execute(statement, params)
        while rows := cursor.fetchmany(BATCH):
            yield rows
    finally:
        cursor.close()


def post_dicts(
    engine: Engine,
    ctx: ReportContext,
    persona: str | None = None,
    platform: str | None = None,
    status: str | None = None,
) -> Iterator[dict[str, Any]]:
    """`post_batches` as dicts, one post at a time (the text listing)."""
    for batch in post_batches(engine, ctx, persona, platform, status):
        for line in batch:
            yield json.loads(line)
