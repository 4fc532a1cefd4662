"""Audit entries as `tracker show` and `tracker complaint show` give them: read as SQL text, and as plain data.

Apart from `record` (a post's reading) and `views` (a post's dicts), which both use it, so that a
complaint's trail (`complaints.stored`) reads and shows its entries by the same code without loading
the post views' report machinery.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from tracker.db.plain import Row, stored_json, stored_moment
from tracker.support.dates import iso


class StoredEvent(Protocol):
    """What `event_dict` reads of an audit entry: an ORM `Event`, or a row `posts.record` read."""

    @property
    def id(self) -> int: ...
    @property
    def at(self) -> datetime: ...
    @property
    def entity(self) -> str: ...
    @property
    def entity_id(self) -> int: ...
    @property
    def action(self) -> str: ...
    @property
    def changes(self) -> dict[str, Any]: ...
    @property
    def command(self) -> str | None: ...


@dataclass(frozen=True)
class EventRow:
    """One audit entry (a `StoredEvent`)."""

    id: int
    at: datetime
    entity: str
    entity_id: int
    action: str
    changes: dict[str, Any]
    command: str | None


EVENT_COLUMNS = "id, at, entity, entity_id, action, changes, command"
"""The columns of the `event` table `event_row` reads, in its order."""


def event_row(row: Row) -> EventRow:
    """One audit entry read as `EVENT_COLUMNS`."""
    n, at, entity, entity_id, action, changes, command = row
    return EventRow(n, stored_moment(at), entity, entity_id, action, stored_json(changes), command)


def event_dict(event: StoredEvent) -> dict[str, Any]:
    """One audit entry (an ORM `Event`, or an `EventRow`)."""
    return {
        "id": event.id,
        "at": iso(event.at),
        "entity": event.entity,
        "entity_id": event.entity_id,
        "action": event.action,
        "changes": event.changes,
        "command": event.command,
    }
