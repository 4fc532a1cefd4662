"""A scrub interrupted after its rows were deleted: what it left, and the one command that finishes it.

`purge scrub` deletes a persona's rows first (one transaction) and queues its archived files and
saved letters (`purge_file`); it then deletes the files and VACUUMs (`scrub`). Killed in between,
the persona's pictures, and the deleted rows' bytes, stay on disk with nothing in the archive
naming them. So that such a half-burnt persona is never forgotten nor carried further:
`tracker status` says so (exit 3, as for other work left to do), `tracker backup` refuses to
pack the queued files, and `purge plan/status` of the scrubbed name say how to finish it:
`tracker purge scrub --finish` (or the same scrub again).
"""

from __future__ import annotations

from tracker.db.plain import Readable, fetch_one
from tracker.support.words import counted

FINISH = "tracker purge scrub --finish"
"""Finishes an interrupted scrub (deletes the queued files, then VACUUMs), whatever persona it was."""


def queued_files(db: Readable) -> int:
    """Files and letters an interrupted scrub queued and has not deleted yet."""
    row = fetch_one(db, "SELECT count(*) FROM purge_file")
    return int(row[0]) if row is not None else 0


def unfinished_line(count: int) -> str:
    """What the owner is told while a scrub is unfinished."""
    return (
        f"A persona scrub was interrupted: {counted(count, 'file')} of the scrubbed persona still queued for "
        f"deletion; finish it: {FINISH}"
    )


def stopped_line(db: Readable, persona: str) -> str | None:
    """What a scrub of `persona` stopped by a Ctrl+C left: nothing (the persona is whole), or its queued files and
    how to finish; None when neither (it stopped in its VACUUM, after the files: the rows and files are gone)."""
    if persona and fetch_one(db, "SELECT id FROM persona WHERE name = :n", {"n": persona}) is not None:
        return f"the scrub of {persona} was interrupted before it deleted anything: nothing was changed"
    queued = queued_files(db)
    if not queued:
        return None
    return f"the rows of {persona} were deleted before the scrub stopped. {unfinished_line(queued)}"
