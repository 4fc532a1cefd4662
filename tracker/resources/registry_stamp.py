"""The model registry's stamp: one value that changes whenever a scanned model file is added, changed or removed.

Reports depend on the scanned model files (`accountability.report.context_key` files kept
reports under it), so every command that builds or reuses reports asks for it. SQLAlchemy Core
only, on a session or a plain connection: `tracker posts` asks without loading the ORM.
"""

from __future__ import annotations

from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session

from tracker.db.schema import model_file


def registry_stamp(database: Session | Connection) -> tuple[object, ...]:
    """Count, newest id, newest scan, and the sums of modification times and sizes of the scanned model files."""
    m = model_file.c
    query = select(
        func.count(m.id), func.max(m.id), func.max(m.scanned_at), func.sum(m.mtime_ns), func.sum(m.size_bytes)
    )
    return tuple(database.execute(query).one())
