"""Storage: the schema, the ORM over it, opening a database, migrations, the audit trail.

- `enums`: the fixed vocabularies (post and complaint states, legal bases, ...), plain Python;
- `schema`: every table in SQLAlchemy Core, the one description of the schema;
- `revision`: the revision the schema is at (`REVISION`), loadable without SQLAlchemy;
- `types`: column types that behave the same on SQLite and PostgreSQL;
- `models`: the typed ORM classes, mapped onto `schema`'s tables;
- `engine`: opening a database without the ORM (one query checks the revision) and each
  backend's set-up; `session`: the ORM session factory and transactional scopes;
- `migrate`: backing up and upgrading with alembic (loaded only when an upgrade is due);
- `sqlite`: SQLite files created private, copied with the online backup API;
- `quick`: the standard library's connection to a SQLite file already at `REVISION`, for
  commands that only read and should not wait for SQLAlchemy to load (`tracker posts`);
- `plain`: one SQL text read on whichever connection a command holds (the standard library's or
  SQLAlchemy's), and `Reader`, a read connection with the engine opened only if asked for;
- `fit`: values fitted to the columns they go into (length, NUL, integers out of range), the same on
  SQLite and PostgreSQL;
- `audit`: the append-only audit trail, written by one session hook;
- `schema_check`: whether a database's schema is exactly what the migrations make at its revision;
- `post_checks`: the newest stored answer of `tracker check` for each post, as plain data.

May import: `tracker.support`, `tracker.errors`.
"""

WRITE_OPTION = "tracker_write"
"""Execution option marking a connection that will write: on SQLite it begins with BEGIN IMMEDIATE."""
