"""The model registry's stamp: one value that changes whenever a scanned model file is added, changed or removed.

Reports depend on the scanned model files (`accountability.report.context_key` files kept
reports under it), so every command that builds or reuses reports asks for it: on an ORM
session, a SQLAlchemy connection, or the standard library's SQLite connection (`db.quick`:
`tracker posts` without SQLAlchemy). One SQL text for all three, and the driver's own values
(no type conversion), so each way of asking gives the same stamp and so the same key.
"""

from __future__ import annotations

from tracker.db.plain import Readable, fetch_one

STAMP_SQL = "SELECT count(id), max(id), max(scanned_at), sum(mtime_ns % 1000000007), sum(size_bytes) FROM model_file"
"""The sum of the modification times is taken modulo a prime: six times of about 1.8e18 ns would overflow
SQLite's 64-bit sum (an `integer overflow` error), and any change of a time still changes the stamp."""


def registry_stamp(database: Readable) -> tuple[object, ...]:
    """Count, newest id, newest scan, and the sums of modification times and sizes of the scanned model files."""
    return fetch_one(database, STAMP_SQL) or ()
