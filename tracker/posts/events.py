"""Audit entries as `tracker show` and `tracker complaint show` give them: read as SQL text, and as plain data.

Apart from `record` (a post's reading) and `views` (a post's dicts), which both use it, so that a
complaint's trail (`complaints.stored`) reads and shows its entries by the same code without loading
the post views' report machinery.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tracker.db.plain import Row, stored_json, stored_moment
from tracker.support.dates import iso

if TYPE_CHECKING:
    from tracker.posts.views import StoredEvent


@dataclass(frozen=True)
class EventRow:
    """One audit entry (`views.StoredEvent`)."""

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
