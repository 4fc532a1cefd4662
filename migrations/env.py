"""Alembic environment: runs on the connection the app hands over, or on TRACKER_DB's URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from tracker.db.engine import create_db_engine
from tracker.db.schema import metadata
from tracker.support.settings import load_settings

config = context.config
target_metadata = metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Use the app's connection when given (normal case); else open the configured database."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_db_engine(load_settings())
    with engine.begin() as conn:
        _run(conn)


if context.is_offline_mode():
    raise SystemExit("tracker migrations run online only")
run_migrations_online()
