"""Storage: models, engine and session set-up, migrations, the audit trail."""

WRITE_OPTION = "tracker_write"
"""Execution option marking a connection that will write: on SQLite it begins with BEGIN IMMEDIATE."""
