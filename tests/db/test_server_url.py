"""A database server URL that cannot be used (a server that never answers, a misspelt scheme, a driver not
installed): one line that names the database without its password, a non-zero exit, and soon."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
from fixtures.common import Tracker

pytestmark = pytest.mark.sqlite_only  # the URL is the test's own, whichever backend the suite runs on

PASSWORD = "s3cretPW"


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port that accepts connections and never says a word (an SSH tunnel whose far end is gone); closed after
    40 s, so that a tracker that would wait for ever fails the test instead of hanging it."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        closing = threading.Timer(40, lambda: listener.shutdown(socket.SHUT_RDWR))
        closing.start()
        try:
            yield listener.getsockname()[1]
        finally:
            closing.cancel()


def _one_line_without_password(result: object) -> str:
    stderr = str(getattr(result, "stderr", ""))
    assert len(stderr.splitlines()) == 1 and "Traceback" not in stderr, stderr
    assert PASSWORD not in stderr and PASSWORD not in str(getattr(result, "stdout", "")), stderr
    return stderr


def test_a_server_that_never_answers_is_a_one_line_error_within_seconds(
    tracker: Tracker, monkeypatch: pytest.MonkeyPatch, silent_server: int
) -> None:
    pytest.importorskip("psycopg")
    from tracker.db import engine

    monkeypatch.setattr(engine, "CONNECT_TIMEOUT_S", 2, raising=False)
    monkeypatch.setenv("TRACKER_DB", f"postgresql://bob:{PASSWORD}@127.0.0.1:{silent_server}/tracker")
    started = time.monotonic()
    result = tracker("status", ok=False)
    assert time.monotonic() - started < 30, "waited for the server as long as the system lets a connection wait"
    assert result.exit_code == 2
    said = _one_line_without_password(result)
    assert f"postgresql://bob:***@127.0.0.1:{silent_server}/tracker" in said and "cannot be reached" in said


@pytest.mark.parametrize(
    ("url", "hint"),
    [
        (f"postgres://bob:{PASSWORD}@127.0.0.1:1/tracker", "the scheme is postgresql://, not postgres://"),
        (f"nosuchdb://bob:{PASSWORD}@127.0.0.1/tracker", "Can't load plugin"),
        (f"mysql://bob:{PASSWORD}@127.0.0.1/tracker", "its driver is not installed"),
    ],
)
def test_a_url_sqlalchemy_cannot_use_never_shows_its_password(
    tracker: Tracker, monkeypatch: pytest.MonkeyPatch, url: str, hint: str
) -> None:
    monkeypatch.setenv("TRACKER_DB", url)
    for command in (("status",), ("posts",)):
        result = tracker(*command, ok=False)
        assert result.exit_code != 0
        said = _one_line_without_password(result)
        assert "bob:***@" in said and hint in said, said


def test_a_password_with_an_at_sign_is_never_shown_in_part(tracker: Tracker, monkeypatch: pytest.MonkeyPatch) -> None:
    """`bob:s3cret@PW@host`: the URL ends the password at the first @, and the rest (`PW`) would be shown as the
    server's name; the URL is not shown, and the error says how to write the @."""
    monkeypatch.setenv("TRACKER_DB", "postgresql://bob:s3cret@PW@127.0.0.1:1/tracker")
    result = tracker("status", ok=False)
    assert result.exit_code == 2
    said = _one_line_without_password(result)
    assert "PW" not in said and "s3cret" not in said and "%40" in said, said
