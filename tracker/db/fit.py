"""Values fitted to the columns they go into, so a row stores the same way on SQLite and PostgreSQL.

What is read from an image's metadata is untrusted: a model name of 3,000 characters, a NUL byte,
a ControlNet unit numbered 99999999999999999999999. SQLite stores long text and NUL as they are but
no integer beyond 64 bits (`OverflowError`); PostgreSQL refuses text longer than its VARCHAR, any
NUL, and an INTEGER beyond 32 bits. Rows built from a reading go through `fitted`, so both take
them alike:

- NUL becomes U+FFFD (visibly something was there), in every text column;
- text longer than its column is cut to fit, ending in `CUT_MARK` (the full text stays in the
  image's raw metadata, a JSON column of its own);
- a whole number outside the column's portable range (PostgreSQL's, the narrower) becomes None:
  such a number is no count or index, it is damage;
- a float that is not finite becomes None (PostgreSQL would store it, SQLite NaN as NULL).

JSON columns are left alone: both backends store any JSON text (NUL escaped as \\u0000).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from sqlalchemy import BigInteger, Enum, Float, Integer, SmallInteger, String, Table
from sqlalchemy.types import TypeEngine

CUT_MARK = "…"
"""Ends a text cut to its column's length."""
NUL_STANDIN = "\ufffd"
"""What a NUL character is stored as (PostgreSQL text cannot hold NUL)."""

_RANGES: tuple[tuple[type[Integer], int], ...] = (
    (SmallInteger, 2**15),
    (BigInteger, 2**63),
    (Integer, 2**31),  # PostgreSQL's INTEGER; SQLite's would take 64 bits, the narrower one decides
)


def fit_text(value: str, length: int | None) -> str:
    """`value` without NUL, cut to `length` characters (ending in CUT_MARK) when longer."""
    if "\0" in value:
        value = value.replace("\0", NUL_STANDIN)
    if length is not None and len(value) > length:
        value = value[: max(length - len(CUT_MARK), 0)] + CUT_MARK
    return value


def int_range(type_: TypeEngine[Any]) -> tuple[int, int]:
    """The whole numbers an integer column holds on every supported database (inclusive)."""
    for kind, bound in _RANGES:
        if isinstance(type_, kind):
            return -bound, bound - 1
    raise TypeError(f"{type_!r} is not an integer type")


def fit_value(value: Any, type_: TypeEngine[Any]) -> Any:
    """One value fitted to a column of type `type_` (see the module docstring)."""
    if value is None or isinstance(value, bool) or isinstance(type_, Enum):
        return value
    if isinstance(type_, String) and isinstance(value, str):
        return fit_text(value, type_.length)
    if isinstance(type_, Integer) and isinstance(value, int):
        low, high = int_range(type_)
        return value if low <= value <= high else None
    if isinstance(type_, Float) and isinstance(value, float):
        return value if math.isfinite(value) else None
    return value


def fitted(table: Table, values: Mapping[str, Any]) -> dict[str, Any]:
    """`values` (by column name) fitted to `table`'s columns; keys that are not columns pass unchanged."""
    columns = table.c
    return {key: fit_value(value, columns[key].type) if key in columns else value for key, value in values.items()}
