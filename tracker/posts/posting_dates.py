"""When a post went online: the one rule for a posting date (`log` and `post set --posted-at`, a sidecar's date).

A post cannot have been published in the future, so a date ahead of now is a typo (2099 for 2029, a month and
day swapped) that would stand in every report and burn-down. A day of slack allows for clock skew and time
zones: a platform's date seen from a zone ahead of this machine's (Japan's evening, on a server that keeps
UTC) is still the day it went online.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tracker.errors import UsageError
from tracker.support.dates import local_minute, utcnow

SLACK = timedelta(days=1)
"""How far ahead of this machine's clock a posting date may be (another zone's day, a clock set wrong)."""


def in_future(when: datetime, now: datetime | None = None) -> bool:
    """Is `when` more than `SLACK` after `now` (this machine's clock)?"""
    return when > (now or utcnow()) + SLACK


def check_posted_at(when: datetime | None, now: datetime | None = None) -> None:
    """Refuse a posting date more than `SLACK` after `now` (this machine's clock) with one line; None passes."""
    if when is None or not in_future(when, now):
        return
    raise UsageError(
        f"--posted-at {local_minute(when)} is in the future: a post cannot have been published yet "
        "(give the day it went online)"
    )


def check_permission_at(when: datetime | None, now: datetime | None = None) -> None:
    """Refuse a permission date (`--permission-at`: when the requester gave it) in the future, as a posting date."""
    if when is None or not in_future(when, now):
        return
    raise UsageError(f"--permission-at {local_minute(when)} is in the future: give the day the permission was given")
