"""The schema revision this tracker is built for, in a module that loads nothing.

`db.schema` describes the tables at this revision, and `db.quick` checks a SQLite file against it
without loading SQLAlchemy; a test keeps it equal to the head of `migrations/versions/`.
"""

REVISION = "0021"
"""The alembic revision (`migrations/versions/`) these tables are at."""

TRACKER_TABLES = frozenset({"alembic_version", "image", "event"})
"""Tables every tracker database has had since its first revision: a SQLite file with other tables and not these is
another program's, left as it was (`db.engine` does not switch it to WAL; `db.migrate` refuses it)."""
