"""Listing every post in constant memory and at the speed of the database: `tracker posts`.

One query joins post, account, persona and image and is read in batches (`yield_per`), so a
listing of 100,000 posts holds one batch of rows at a time, never the archive. Only what a
listing shows is read: an image's raw metadata (a ComfyUI workflow can be 100 KB) is not, only
the two small values its report needs, picked out by the database.

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
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from json.encoder import encode_basestring
from typing import Any

from sqlalchemy import ColumnElement, Select, String, Text, and_, cast, delete, insert, select, type_coerce
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from tracker.accountability.report import ReportContext
from tracker.db import schema
from tracker.db.enums import PostStatus
from tracker.errors import UsageError
from tracker.posts.views import image_report
from tracker.support.textsafe import escape_unsafe, safe_json

BATCH = 500
"""Rows read from the database at a time, and reports kept per transaction."""


def post_status(status: str) -> PostStatus:
    """The status a user typed, or a usage error naming the choices."""
    try:
        return PostStatus(status)
    except ValueError:
        choices = ", ".join(s.value for s in PostStatus)
        raise UsageError(f"unknown status {status!r}; choose one of {choices}") from None


def _raw(column: ColumnElement[Any]) -> ColumnElement[Any]:
    """The column as the driver gives it, without SQLAlchemy's conversion (`_when` does it, faster)."""
    return type_coerce(column, String)


def _when(value: str | datetime | None) -> str | None:
    """A stored time (naive UTC: text on SQLite, a datetime on PostgreSQL) as `support.dates.iso` writes it."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC).isoformat()


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
        query = query.where(p.status == post_status(status))
    return query.order_by(p.logged_at.desc(), p.id.desc())


def _reports(session: Session, ids: list[int], ctx: ReportContext) -> dict[int, str]:
    """The reports of images not kept yet, built from what a report needs (generation, problems, signature)."""
    i = schema.image.c
    query = select(
        i.id,
        cast(i.generation, Text),
        i.raw_metadata["problems"],
        i.raw_metadata[("stealth", "signature")],
    ).where(i.id.in_(ids))
    built = {}
    for image_id, generation, problems, signature in session.execute(query):
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

    def __init__(self, factory: sessionmaker[Session], key: str) -> None:
        self.factory, self.key, self.enabled = factory, key, bool(key)
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
            with self.factory() as session, session.begin():
                session.execute(delete(table).where(table.c.image_id.in_(list(reports))))
                session.execute(
                    insert(table), [{"image_id": k, "context": self.key, "report": v} for k, v in reports.items()]
                )
        except SQLAlchemyError:
            self.enabled = False  # read-only, busy or another listing got there first: list without keeping


def _text(value: str | None) -> str:
    """A JSON string or null (escaped for the terminal by `_line`, once per line)."""
    return "null" if value is None else encode_basestring(value)


def _number(value: int | None) -> str:
    return "null" if value is None else str(int(value))


def _when_text(value: str | datetime | None) -> str:
    """`_when` as a JSON string; SQLite's stored form (`2026-12-03 10:31:19.424247`) rewritten directly."""
    if isinstance(value, str) and len(value) == 26 and value[10] == " " and value[19] == ".":
        fraction = "" if value.endswith(".000000") else value[19:]
        return f'"{value[:10]}T{value[11:19]}{fraction}+00:00"'
    return _text(_when(value))


def _line(values: Any, report: str) -> str:
    """The post's JSON line, `post_row_dict`'s form key for key, with the image's report text spliced in.

    Written out field by field with json's own string encoder: a listing prints 100,000 of these,
    and a dict plus `json.dumps` per post costs more than reading the post from the database.
    """
    (pid, url, platform, platform_id, title, posted, status, changed, logged, persona,
     account_id, account_platform, handle, profile, requested_by, permission_at, permission_ref,
     image_id, sha, name, path, fmt, width, height, size, phash, dhash, _) = values  # fmt: skip
    head = (
        f'{{"id": {_number(pid)}, "url": {_text(url)}, "platform": {_text(platform)}, '
        f'"platform_post_id": {_text(platform_id)}, "title": {_text(title)}, "posted_at": {_when_text(posted)}, '
        f'"status": {_text(PostStatus(status).value)}, "status_changed_at": {_when_text(changed)}, '
        f'"logged_at": {_when_text(logged)}, "persona": {_text(persona)}, '
        f'"account": {{"id": {_number(account_id)}, "platform": {_text(account_platform)}, '
        f'"handle": {_text(handle)}, "profile_url": {_text(profile)}}}, '
        f'"image": {{"id": {_number(image_id)}, "sha256": {_text(sha)}, "original_name": {_text(name)}, '
        f'"archive_path": {_text(path)}, "format": {_text(fmt)}, "width": {_number(width)}, '
        f'"height": {_number(height)}, "size_bytes": {_number(size)}, "phash": "{phash.hex()}", '
        f'"dhash": "{dhash.hex()}"'
    )
    if requested_by:
        request = (
            f'{{"requested_by": {_text(requested_by)}, "permission_at": {_when_text(permission_at)}, '
            f'"permission_ref": {_text(permission_ref)}}}'
        )
    else:
        request = "null"
    inner = report.strip()[1:-1].strip()
    line = head + (", " + inner if inner else "") + '}, "request": ' + request + "}"
    if line.isprintable():  # one pass over the line: nothing to escape (the common case)
        return line
    # Escaped again even in the kept report: a database restored from elsewhere could hold anything.
    inner = escape_unsafe(_CONTROL.sub(_escaped_control, inner))
    return escape_unsafe(head) + (", " + inner if inner else "") + '}, "request": ' + escape_unsafe(request) + "}"


_CONTROL = re.compile("[\x00-\x1f]")


def _escaped_control(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def post_lines(
    factory: sessionmaker[Session],
    ctx: ReportContext,
    persona: str | None = None,
    platform: str | None = None,
    status: str | None = None,
) -> Iterator[str]:
    """Each post matching the filters as one line of JSON (`post_row_dict`'s form), newest logged first."""
    keeper = _Keeper(factory, ctx.key)
    try:
        with factory() as session:
            query = _query(ctx.key, persona, platform, status).execution_options(yield_per=BATCH)
            for batch in session.execute(query).partitions():
                missing = sorted({row[17] for row in batch if row[-1] is None})
                built: dict[int, str] = {}
                if missing:
                    with factory() as reader:
                        built = _reports(reader, missing, ctx)
                    keeper.keep(built)
                for row in batch:
                    report = row[-1] if row[-1] is not None else built.get(row[17])
                    if report is not None:
                        yield _line(row, report)
    finally:
        keeper.flush()


def post_dicts(
    factory: sessionmaker[Session],
    ctx: ReportContext,
    persona: str | None = None,
    platform: str | None = None,
    status: str | None = None,
) -> Iterator[dict[str, Any]]:
    """`post_lines` as dicts (the text listing)."""
    for line in post_lines(factory, ctx, persona, platform, status):
        yield json.loads(line)
