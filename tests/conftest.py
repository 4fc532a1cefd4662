"""Shared fixtures: every test gets its own data folder and database, never the user's."""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fixtures.common import Tracker


def _allowed_hosts() -> set[str]:
    """Only this machine may be reached: a test PostgreSQL server, the tests' own fake servers."""
    from sqlalchemy.engine import make_url

    url = os.environ.get("TRACKER_TEST_POSTGRES_URL")
    loopback = {"127.0.0.1", "::1", "localhost"}
    return loopback | ({make_url(url).host or "localhost"} if url else set())


@pytest.fixture(autouse=True, scope="session")
def no_network() -> Iterator[None]:
    """The whole suite runs with outgoing network connections refused: tracker must never phone home."""
    allowed = _allowed_hosts()
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def check(sock: socket.socket, address: object) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            host = address[0] if isinstance(address, tuple) else str(address)
            if host not in allowed:
                raise OSError(f"network access blocked in tests (tried {host})")

    def connect(self: socket.socket, address: object) -> None:
        check(self, address)
        real_connect(self, address)  # type: ignore[arg-type]

    def connect_ex(self: socket.socket, address: object) -> int:
        check(self, address)
        return real_connect_ex(self, address)  # type: ignore[arg-type]

    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
    yield
    socket.socket.connect, socket.socket.connect_ex = real_connect, real_connect_ex  # type: ignore[method-assign]


POSTGRES_URL = os.environ.get("TRACKER_TEST_POSTGRES_URL")
"""A scratch PostgreSQL database (its server must let this user create databases). When set, every
test marked `db` runs twice: on SQLite and on a fresh PostgreSQL database of its own."""


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "db: runs on PostgreSQL too when TRACKER_TEST_POSTGRES_URL is set")
    config.addinivalue_line("markers", "sqlite_only: reads the SQLite file itself (never run on PostgreSQL)")
    config.addinivalue_line("markers", 'slow: starts whole tracker processes (deselect with -m "not slow")')


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    definition = metafunc.definition
    if (
        POSTGRES_URL
        and "backend" in metafunc.fixturenames
        and definition.get_closest_marker("db")
        and not definition.get_closest_marker("sqlite_only")
    ):
        metafunc.parametrize("backend", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """Where the test's database lives: `sqlite` (a file in the data folder) or `postgresql`."""
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str) -> Iterator[Path]:
    """Point the tracker at a temporary data folder; drop any of the developer's settings."""
    data = tmp_path / "data"
    for name in ("TRACKER_DB", "TRACKER_ARCHIVE", "TRACKER_PERSONA"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TRACKER_DATA_DIR", str(data))
    if backend != "postgresql":
        yield data
        return
    from fixtures.pgscratch import scratch_database

    with scratch_database(POSTGRES_URL or "") as url:
        monkeypatch.setenv("TRACKER_DB", url)
        yield data


@pytest.fixture
def tracker() -> Tracker:
    return Tracker()


@pytest.fixture
def tokyo_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is Japan's (a POSIX zone string: no tz database needed), so local dates are known
    (the complaint and TUI tests of a Japanese owner's day: today, tomorrow, 12月4日まで)."""
    monkeypatch.setenv("TZ", "JST-9")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def utc_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is UTC, as on a server the owner reaches over SSH: the sender's clock (Japan's, New York's)
    is then not the owner's, and a day counted on the wrong one shows."""
    monkeypatch.setenv("TZ", "UTC0")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()
