"""Fixtures the complaint tests share."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest


@pytest.fixture
def tokyo_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is Japan's (a POSIX zone string: no tz database needed), so local dates are known."""
    monkeypatch.setenv("TZ", "JST-9")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()
