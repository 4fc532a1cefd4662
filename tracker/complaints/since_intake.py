"""What a complaint gained after it was logged, read as SQL text beside `stored.read_complaint` (`complaint show`).

The complaint it was closed as a duplicate of (`closing`), as `duplicate_of`, and its sender's later messages
(`follow_ups`), as `follow_ups` in `complaint show --json`; with them what arrived attached to its message and
was not kept (`attachments_not_kept`, names and why), so the record says the owner has it to save. Read on the
same connection as the rest of the record (`db.plain`): no SQLAlchemy on a SQLite file.
"""

from __future__ import annotations

from typing import Any

from tracker.db.plain import Readable, fetch_one, stored_json


def since_intake(db: Readable, number: int) -> dict[str, Any]:
    """{"duplicate_of": the number of the complaint it repeats or None, "follow_ups": [{"received_at", "message"}],
    "attachments_not_kept": [text]} of complaint `number`."""
    sql = "SELECT duplicate_of_id, follow_ups, attachments_not_kept FROM complaint WHERE id = :id"
    row = fetch_one(db, sql, {"id": number})
    if row is None:
        return {"duplicate_of": None, "follow_ups": [], "attachments_not_kept": []}
    not_kept = [str(item) for item in stored_json(row[2]) or [] if isinstance(item, str)]
    return {"duplicate_of": row[0], "follow_ups": follow_up_list(stored_json(row[1])), "attachments_not_kept": not_kept}


def follow_up_list(stored: Any) -> list[dict[str, Any]]:
    """The follow-ups as a complaint's dict gives them: [{"received_at", "message"}], oldest first, from the
    column's value (None: none; stored in UTC, so their times sort as text)."""
    items = [item for item in stored or [] if isinstance(item, dict) and isinstance(item.get("message"), str)]
    return sorted(items, key=lambda item: str(item.get("received_at") or ""))


def no_letter_for(number: int, original: int | None) -> str | None:
    """Why complaint `number` gets no letter: it is closed as a duplicate of `original` (answer that one); None
    when it is not (`original` None). `closing.no_letter` and `complaint reply`'s SQL reading both say it so."""
    if original is None:
        return None
    return f"complaint #{number} is closed as a duplicate of #{original}: it gets no letter (answer #{original})"
