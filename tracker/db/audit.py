"""The append-only audit trail, written by one session hook for every audited model.

Every insert, update and delete of the archive's records adds an `Event` row in the same
transaction, with the old and new value of each changed column; nothing needs to remember to
log. Events themselves can never be changed or removed through a session; the only removal
is the persona scrub (`tracker.purge_scrub`), which deletes the entries about the persona's records
with Core statements in its own transaction.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy import insert, inspect
from sqlalchemy.orm import Session, UOWTransaction

from tracker.db import models
from tracker.db.enums import HANDED_OVER as HANDED_OVER  # where a scrub's entry is named (no SQLAlchemy)
from tracker.db.models import Base, Event
from tracker.errors import TrackerError
from tracker.support.dates import utcnow

AUDITED: tuple[type[Base], ...] = (
    models.Persona,
    models.Account,
    models.Image,
    models.Post,
    models.Resource,
    models.ImageResource,
    models.Technique,
    models.Complaint,
    models.ComplaintImage,
    models.ComplaintPost,
    models.Decision,
    models.Takedown,
    models.PurgeRun,
    models.PurgeItem,
)
_SKIPPED = {"raw_metadata", "generation"}
"""Large blobs kept out of the trail; they never change after an image is logged."""
_WITH_ENTRY = "audit_with_entry"
"""`session.info` key of what the next entry about a record carries besides its columns (`add_to_entry`)."""


def plain_value(value: Any) -> Any:
    """Make a column value JSON-safe for the trail."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    return value


def _columns(obj: Any) -> list[str]:
    return [attr.key for attr in inspect(type(obj)).column_attrs if attr.key not in _SKIPPED]


def _row(obj: Any, action: str, changes: dict[str, list[Any]], command: str | None) -> dict[str, Any]:
    return {
        "at": utcnow(),
        "entity": obj.__table__.name,
        "entity_id": inspect(obj).dict.get("id"),
        "action": action,
        "changes": changes,
        "command": command,
    }


def add_to_entry(session: Session, entity: str, entity_id: int, fields: dict[str, list[Any]]) -> None:
    """Put `fields` ({field: [old, new]}) into the entry the next flush writes about that record, beside its columns.

    For what a change carries that no column holds, so that it stays with the change it belongs to (the subject
    line of a reply marked sent, with the letter's text): one entry, not a second one to be paired with it.
    """
    extra = session.info.setdefault(_WITH_ENTRY, {})
    extra[(entity, entity_id)] = {key: [plain_value(old), plain_value(new)] for key, (old, new) in fields.items()}


def _extra(session: Session, obj: Any) -> dict[str, list[Any]]:
    """What `add_to_entry` put aside for this record's entry (once: the next entry about it does not repeat it)."""
    extra: dict[tuple[str, int], dict[str, list[Any]]] = session.info.get(_WITH_ENTRY) or {}
    return extra.pop((obj.__table__.name, inspect(obj).dict.get("id")), {})


def _collect(session: Session, flush_context: UOWTransaction) -> None:
    command = session.info.get("command")
    rows: list[dict[str, Any]] = []
    for obj in session.new:
        if isinstance(obj, AUDITED):
            state = inspect(obj)
            changes = {key: [None, plain_value(state.dict.get(key))] for key in _columns(obj)}
            rows.append(_row(obj, "create", {**changes, **_extra(session, obj)}, command))
    for obj in session.dirty:
        if not isinstance(obj, AUDITED):
            continue
        state = inspect(obj)
        changes = {}
        for key in _columns(obj):
            hist = state.attrs[key].history
            if hist.has_changes():
                old = hist.deleted[0] if hist.deleted else None
                new = hist.added[0] if hist.added else None
                if old != new:
                    changes[key] = [plain_value(old), plain_value(new)]
        changes.update(_extra(session, obj))
        if changes:
            rows.append(_row(obj, "update", changes, command))
    for obj in session.deleted:
        if isinstance(obj, AUDITED):
            state = inspect(obj)
            changes = {key: [plain_value(state.dict.get(key)), None] for key in _columns(obj)}
            rows.append(_row(obj, "delete", {**changes, **_extra(session, obj)}, command))
    if rows:
        session.connection().execute(insert(Event), rows)


def record(session: Session, entity: str, action: str, changes: Iterable[tuple[int, dict[str, list[Any]]]]) -> None:
    """Write the entries for changes made with bulk Core statements, which the flush hook cannot see.

    `changes` holds (row id, {field: [old, new]}) pairs, in the hook's format; the command is the
    session's, as for every other entry.
    """
    command = session.info.get("command")
    rows = [
        {
            "at": utcnow(),
            "entity": entity,
            "entity_id": entity_id,
            "action": action,
            "changes": {key: [plain_value(old), plain_value(new)] for key, (old, new) in fields.items()},
            "command": command,
        }
        for entity_id, fields in changes
    ]
    if rows:
        session.connection().execute(insert(Event), rows)


def _guard(session: Session, flush_context: UOWTransaction, instances: Any) -> None:
    # This guards the ORM unit of work only. The one sanctioned removal of events, the persona
    # scrub (`tracker.purge_scrub.scrub`), issues Core `delete(Event)` statements on the connection, in
    # the same transaction as the deletion of the rows they describe; the session never sees them.
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, Event):
            raise TrackerError("the audit trail is append-only: events cannot be changed or deleted")
    for obj in session.dirty:
        if isinstance(obj, models.Decision) and session.is_modified(obj, include_collections=False):
            raise TrackerError("a decision is never changed: record a revision instead")


def install(session_class: Any) -> None:
    """Attach the audit hooks to a Session class (or sessionmaker), once.

    The mark is kept on the object itself: SQLAlchemy's own registry (`event.contains`) is keyed
    by id(), and a new sessionmaker that reuses a collected one's id could be taken for it and
    left without its hooks.
    """
    if getattr(session_class, "_tracker_audit_installed", False):
        return
    sa_event.listen(session_class, "before_flush", _guard)
    sa_event.listen(session_class, "after_flush", _collect)
    session_class._tracker_audit_installed = True
