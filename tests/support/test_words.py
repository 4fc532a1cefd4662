"""Counted nouns and the due day: the wording the owner reads in every message."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tracker.support.dates import start_of_local_day
from tracker.support.words import counted, verb


@pytest.mark.parametrize(
    ("count", "word", "expected"),
    [
        (1, "complaint", "1 complaint"),
        (0, "complaint", "0 complaints"),
        (3, "archived file", "3 archived files"),
        (2, "audit entry", "2 audit entries"),
        (2, "post URL", "2 post URLs"),
        (5, "box", "5 boxes"),
    ],
)
def test_counted_nouns_agree_with_their_number(count: int, word: str, expected: str) -> None:
    assert counted(count, word) == expected


def test_verbs_agree_with_their_number() -> None:
    assert [verb(n, "was", "were") for n in (0, 1, 2)] == ["were", "was", "were"]


def test_a_day_starts_at_local_midnight() -> None:
    now = datetime(2026, 12, 3, 15, 30).astimezone()
    start = start_of_local_day(now).astimezone()
    assert (start.date(), start.hour, start.minute) == (now.date(), 0, 0)
    assert start_of_local_day(start) == start_of_local_day(now + timedelta(hours=1))


def test_json_of_a_name_that_is_not_utf8_can_always_be_printed() -> None:
    import os

    from tracker.support.textsafe import safe_json

    text = safe_json({"name": os.fsdecode(b"scan\xff.png")})
    assert text.encode("utf-8") and "\\udcff" in text


def test_a_name_that_is_not_utf8_reads_the_same_everywhere() -> None:
    """`inspect` and `import` warnings (safe_text) and `show` (fs_text) spell the stray byte alike: `\\xff`."""
    import os

    from tracker.support.textsafe import safe_text
    from tracker.support.user_files import fs_text

    name = os.fsdecode(b"bad\xffname.webp")
    assert safe_text(name) == fs_text(name) == "bad\\xffname.webp"
