"""Listing every post in constant memory and at the speed of the database: `tracker posts`.

One query joins post, account, persona and image and is read in batches, so a listing of
100,000 posts holds one batch of rows at a time, never the archive. Only what a listing shows is
read: an image's raw metadata (a ComfyUI workflow can be 100 KB) is not, only the two small
values its report needs, picked out by the database. The query is one SQL text (`LISTING_SQL`)
read through the standard library's driver on a SQLite file at this tracker's revision
(`db.quick`, `db.plain.Reader`: SQLAlchemy is not even loaded), through the engine's driver cursor on any other
SQLite file, through SQLAlchemy's result elsewhere (`_rows`); each batch becomes JSON lines in one
loop (`listing_lines`).

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
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from tracker.db.enums import PostStatus
from tracker.db.plain import Readable, Reader, fetch_all, stored_time
from tracker.errors import NotFoundError, UsageError
from tracker.posts.listing_lines import IMAGE_ID_AT, encoded_lines
from tracker.posts.persona_names import close_names, did_you_mean, fold, typed_name

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

    from tracker.accountability.report import ReportContext
    from tracker.platforms.urls import Platform

BATCH = 500
"""Rows read from the database at a time (and reports built at a time)."""


def post_status(status: str) -> PostStatus:
    """The status a user typed, or a usage error naming the choices."""
    try:
        return PostStatus(status)
    except ValueError:
        choices = ", ".join(s.value for s in PostStatus)
        raise UsageError(f"unknown status {status!r}; choose one of {choices}") from None


LISTING_SQL = """
SELECT p.id, p.url, p.platform, p.platform_post_id, p.title, p.posted_at, p.status, p.status_changed_at,
       p.logged_at, pe.name, a.id, a.platform, a.handle, a.profile_url, p.requested_by, p.permission_at,
       p.permission_ref, i.id, i.sha256, i.original_name, i.archive_path, i.format, i.width, i.height,
       i.size_bytes, i.phash, i.dhash, r.report
FROM post AS p
JOIN account AS a ON a.id = p.account_id
JOIN persona AS pe ON pe.id = a.persona_id
JOIN image AS i ON i.id = p.image_id
LEFT OUTER JOIN image_report AS r ON r.image_id = i.id AND r.context = :key
{where}ORDER BY p.logged_at DESC, p.id DESC
"""
"""The listing's one query, in SQL both databases and both drivers read (named parameters): its
columns are the driver's own values, which `listing_lines` converts (faster than SQLAlchemy's
result processing). The tables' names and columns are `db.schema`'s (a test runs it on both)."""


def listing_persona(db: Readable, persona: str) -> str:
    """The persona `tracker posts --persona` names, exactly as stored; an unknown name is a one-line
    not-found error (exit 1, as every command naming a persona) suggesting the close ones (`persona_names`)."""
    wanted = persona.strip()
    if not wanted:
        raise UsageError("--persona is empty: give the name of a persona (`tracker personas` lists them)")
    names = [str(row[0]) for row in fetch_all(db, "SELECT name FROM persona")]
    if (stored := typed_name(names, persona)) is not None:
        return stored
    hint = did_you_mean(close_names(names, wanted)) or " (`tracker personas` lists them)"
    raise NotFoundError(f"no persona {wanted!r}{hint}")


def listing_platform(db: Readable, platforms: Mapping[str, Platform], platform: str) -> str:
    """The platform key `tracker posts --platform` names: a key or alias of the platforms file in any case or
    width (`twitter` is `x`), or the name posts of a site tracker does not know were logged under;
    anything else is a one-line usage error suggesting the close names."""
    from tracker.platforms.urls import platform_key  # read only when a platform is named

    wanted = platform.strip()
    if not wanted:
        raise UsageError("--platform is empty: give a platform's name, such as pixiv or x")
    key = platform_key(wanted, platforms)
    if key is not None:
        return key
    logged = sorted({str(row[0]) for row in fetch_all(db, "SELECT DISTINCT platform FROM post")} - set(platforms))
    folded = fold(wanted)
    found = next((name for name in logged if fold(name) == folded), None)
    if found is not None:
        return found
    names = [*platforms, *(alias for p in platforms.values() for alias in p.aliases), *logged]
    close = close_names(names, wanted)
    hint = did_you_mean(close) or f"; the platforms are {', '.join([*platforms, *logged])}"
    raise UsageError(f"no platform {wanted!r}{hint}")


_FILTERS = {"persona": "pe.name = :persona", "platform": "p.platform = :platform", "status": "p.status = :status"}


def listing_query(
    key: str, persona: str | None, platform: str | None, status: str | None
) -> tuple[str, dict[str, str]]:
    """The listing's SQL and its parameters for these filters (a status is checked first: a usage error)."""
    params = {"key": key}
    if persona:
        params["persona"] = persona
    if platform:
        params["platform"] = platform
    if status:
        params["status"] = post_status(status).value
    conditions = [_FILTERS[name] for name in ("persona", "platform", "status") if name in params]
    where = f"WHERE {' AND '.join(conditions)}\n" if conditions else ""
    return LISTING_SQL.format(where=where), params


RECENT_SQL = """
SELECT p.id, p.posted_at, p.logged_at, pe.name, p.platform, p.status, p.url
FROM post AS p
JOIN account AS a ON a.id = p.account_id
JOIN persona AS pe ON pe.id = a.persona_id
ORDER BY p.id DESC
LIMIT :limit
"""


def recent_posts(db: Readable, limit: int = 20) -> list[dict[str, Any]]:
    """The newest logged posts, as the dashboard lists them: id, when, persona, platform, status, URL.

    SQL text, so the dashboard reads them as `tracker status` reads its summary: through the standard
    library's driver on a SQLite file at this revision (`db.quick`), without waiting for SQLAlchemy."""
    rows = fetch_all(db, RECENT_SQL, {"limit": limit})
    return [
        {
            "id": n,
            "posted_at": stored_time(posted),
            "logged_at": stored_time(logged),
            "persona": persona,
            "platform": platform,
            "status": PostStatus(status),
            "url": url,
        }
        for n, posted, logged, persona, platform, status, url in rows
    ]


def _reports(connection: Connection, ids: list[int], ctx: ReportContext) -> dict[int, str]:
    """The reports of images not kept yet, built from what a report needs (generation, problems, signature)."""
    # Building a report loads the rules, the metadata model and the ORM: only a listing with
    # reports to build pays for them.
    from sqlalchemy import Text, cast, select

    from tracker.db import schema
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

    def __init__(self, engine: Callable[[], Engine], key: str) -> None:
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
        from sqlalchemy import delete, insert
        from sqlalchemy.exc import SQLAlchemyError

        from tracker.db import schema

        table = schema.image_report
        try:
            with self.engine().begin() as connection:
                connection.execute(delete(table).where(table.c.image_id.in_(list(reports))))
                connection.execute(
                    insert(table), [{"image_id": k, "context": self.key, "report": v} for k, v in reports.items()]
                )
        except SQLAlchemyError:
            self.enabled = False  # read-only, busy or another listing got there first: list without keeping


def post_batches(
    database: Reader | Engine,
    ctx: ReportContext,
    persona: str | None = None,
    platform: str | None = None,
    status: str | None = None,
) -> Iterator[list[bytes]]:
    """The posts matching the filters, newest logged first, as JSON lines (`post_row_dict`'s form)
    in UTF-8, printable (`listing_lines.encoded_lines`), a batch of up to `BATCH` at a time.

    `database` is an engine, or a reader of a SQLite file at this tracker's revision (`db.plain.Reader`:
    no SQLAlchemy loaded); reports that are not kept yet are built and kept through its engine,
    opened only when one is missing.
    """
    statement, params = listing_query(ctx.key, persona, platform, status)
    engine = database.engine if isinstance(database, Reader) else (lambda: database)
    keeper = _Keeper(engine, ctx.key)
    try:
        for batch in _rows(database, statement, params):
            missing = sorted({row[IMAGE_ID_AT] for row in batch if row[-1] is None})
            built: dict[int, str] = {}
            if missing:
                with engine().connect() as reader:
                    built = _reports(reader, missing, ctx)
                keeper.keep(built)
            lines = encoded_lines(batch, built)
            if lines:
                yield lines
    finally:
        keeper.flush()


def _rows(database: Reader | Engine, statement: str, params: dict[str, str]) -> Iterator[Sequence[Sequence[Any]]]:
    """The query's rows, `BATCH` at a time, in one transaction (one snapshot): plain tuples from
    SQLite's driver (`_driver_cursor`), rows of SQLAlchemy's result (`yield_per`, a server-side
    cursor where there is one) on any other database."""
    if isinstance(database, Reader):
        driver = database.connection
        driver.execute("BEGIN")
        try:
            yield from _fetched(driver.cursor(), statement, params)
        finally:
            driver.execute("ROLLBACK")  # nothing was written: the read snapshot is let go
        return
    with database.connect() as connection:
        connection.begin()  # before the driver's cursor runs: SQLAlchemy's autobegin would not see it
        cursor = _driver_cursor(connection)
        if cursor is not None:
            yield from _fetched(cursor, statement, params)
            return
        from sqlalchemy import text

        yield from connection.execute(text(statement).execution_options(yield_per=BATCH), params).partitions()


def _driver_cursor(connection: Connection) -> Any:
    """On SQLite, a cursor of the driver's own connection (SQLAlchemy's rows cost more than SQLite's
    own work); None elsewhere (the general path)."""
    return connection.connection.cursor() if connection.dialect.name == "sqlite" else None


def _fetched(cursor: Any, statement: str, params: dict[str, str]) -> Iterator[list[Any]]:
    try:
        cursor.execute(statement, params)
        while rows := cursor.fetchmany(BATCH):
            yield rows
    finally:
        cursor.close()


def post_dicts(
    database: Reader | Engine,
    ctx: ReportContext,
    persona: str | None = None,
    platform: str | None = None,
    status: str | None = None,
) -> Iterator[dict[str, Any]]:
    """`post_batches` as dicts, one post at a time (the text listing)."""
    for batch in post_batches(database, ctx, persona, platform, status):
        for line in batch:
            yield json.loads(line)
