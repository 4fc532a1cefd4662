"""What a complaint gained after it was logged, read as SQL text beside `stored.read_complaint` (`complaint show`).

The complaint it was closed as a duplicate of (`closing`), as `duplicate_of` in `complaint show --json`. Read
on the same connection as the rest of the record (`db.plain`): no SQLAlchemy on a SQLite file.
"""

from __future__ import annotations

from typing import Any

from tracker.db.plain import Readable, fetch_one


def since_intake(db: Readable, number: int) -> dict[str, Any]:
    """{"duplicate_of": the complaint's number it repeats, or None} of complaint `number`."""
    row = fetch_one(db, "SELECT duplicate_of_id FROM complaint WHERE id = :id", {"id": number})
    return {"duplicate_of": row[0] if row is not None else None}


def no_letter_for(number: int, original: int | None) -> str | None:
    """Why complaint `number` gets no letter: it is closed as a duplicate of `original` (answer that one); None
    when it is not (`original` None). `closing.no_letter` and `complaint reply`'s SQL reading both say it so."""
    if original is None:
        return None
    return f"complaint #{number} is closed as a duplicate of #{original}: it gets no letter (answer #{original})"
