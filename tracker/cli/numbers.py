"""Record numbers typed on the command line: `complaint show N`, `inputs image:N`, `purge mark post:N`.

A number no row can have (beyond the 64-bit integer SQLite and PostgreSQL keep ids in) must not
reach the database driver, which cannot convert it (`OverflowError`, an internal error): it is
simply not there, and said so the way `tracker show N` says it (`no complaint #N`, exit 1).
One parser for every command, so all of them answer the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import click

from tracker.errors import NotFoundError
from tracker.support.textsafe import clip

MAX_ROW_ID = 2**63 - 1
"""The largest id a row can have: SQLite's INTEGER and PostgreSQL's BIGINT are 64-bit signed."""

_KEY = re.compile(r"^([a-z_]+):#?(\d+)$")
"""A key naming one record by number: `image:12`, `post:3` (a purge item), `account:4`."""


def in_range(digits: str) -> bool:
    """Whether a string of ASCII digits is a number a row id can be (checked without converting
    thousands of digits, which Python refuses)."""
    return len(digits) <= 19 and int(digits) <= MAX_ROW_ID


def _shown(text: str) -> str:
    return clip(text, 40)


class RecordNumber(click.ParamType):
    """A record's number (`12` or `#12`); one beyond any row id is `no <what> #N` (NotFoundError, exit 1)."""

    name = "integer"

    def __init__(self, what: str) -> None:
        self.what = what

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            text = str(value)
        else:
            text = str(value).strip().removeprefix("#")
        if not (text.isascii() and text.isdigit()):
            self.fail(f"{str(value)!r} is not a {self.what} number", param, ctx)
        if not in_range(text):
            raise NotFoundError(f"no {self.what} #{_shown(text)}")
        return int(text)


def check_keys(keys: Iterable[str], missing: str = "no {what} {key!r}") -> None:
    """Refuse the first `kind:N` key whose number no row can have, as `missing` says it
    (`{what}`: the kind, `{key}`: the key as typed). Keys of any other form pass unchanged."""
    for key in keys:
        match = _KEY.match(key.strip())
        if match is not None and not in_range(match.group(2)):
            raise NotFoundError(missing.format(what=match.group(1), key=_shown(key.strip())))
