"""A fresh PostgreSQL database per test, copied from a template migrated to head once per run."""

from __future__ import annotations

import atexit
import itertools
import os
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

_TEMPLATE = f"tracker_tpl_{os.getpid()}"
_counter = itertools.count()
_ready: set[str] = set()


def _admin(url: str) -> Engine:
    """An autocommit connection to the server (CREATE/DROP DATABASE cannot run in a transaction)."""
    return create_engine(url, isolation_level="AUTOCOMMIT")


def _template(url: str) -> None:
    if _TEMPLATE in _ready:
        return
    from tracker.cli import AppContext

    admin = _admin(url)
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{_TEMPLATE}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{_TEMPLATE}"'))
    finally:
        admin.dispose()
    template_url = make_url(url).set(database=_TEMPLATE).render_as_string(hide_password=False)
    context = AppContext(db=template_url, data_dir=None)
    context.sessions()  # migrates the template to head
    context.close()
    _ready.add(_TEMPLATE)
    atexit.register(_drop_template, url)


def _drop_template(url: str) -> None:
    admin = _admin(url)
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{_TEMPLATE}" WITH (FORCE)'))
    finally:
        admin.dispose()


@contextmanager
def scratch_database(url: str) -> Iterator[str]:
    """A new database at head (a copy of the template); dropped afterwards."""
    _template(url)
    name = f"tracker_t_{os.getpid()}_{next(_counter)}"
    admin = _admin(url)
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{_TEMPLATE}"'))
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
