"""Reading the hand-editable TOML reference files (platforms, risk table) with one-line errors."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from tracker.errors import UsageError


def one_line(text: object) -> str:
    """Any message folded onto one line."""
    return " ".join(str(text).split())


def read_toml(path: Path, what: str) -> dict[str, Any]:
    """Parse a TOML file; an unreadable or invalid file is a `UsageError` naming it."""
    try:
        with Path(path).open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise UsageError(f"cannot read {what} {path}: {exc.strerror or one_line(exc)}") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: not valid TOML: {one_line(exc)}") from None
