"""What the owner typed into a form, kept in a private file while it is not saved, so that it outlives the tracker.

An SSH connection that drops (SIGHUP), a laptop that sleeps, a `kill` or an unexpected error ends the process with
the form open: what the guard (`screens.guard.GuardsInput`) would have asked about is then lost. So a form that
holds unsaved input writes what its fields hold (`screens.guard.typed_values`, as JSON) to its draft file
(`purge.drafts`: one per form and complaint, 0600 in a 0700 folder, written whole or not at all) about once a
second, and removes it once saved or discarded. Opened again, the form is filled in from it and says so.

A draft is read as untrusted input (the folder may hold anything): a file that is not a regular file (a symlink, a
folder), larger than `MAX_BYTES`, not UTF-8 JSON of the shape written here, or kept for another complaint that had
the same number (after a restore: `owner` is the complaint's logged time) is ignored. Its text only ever goes back
into the fields it came from (an input, a text area: never markup), and a choice no longer offered is left out.

A draft also keeps what it was typed for (`basis`: for the reply and the decision form, the decision then in force):
another decision recorded since makes it stale, and the form drops it (saying so) rather than put back a letter or
notes written for the earlier one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from textual.widget import Widget
from textual.widgets import Input, RadioButton, RadioSet, Select, SelectionList, TextArea
from textual.widgets.select import InvalidSelectValueError

from tracker.purge.drafts import MAX_BYTES
from tracker.support.files import make_private_dir, read_regular, write_private_text
from tracker.support.textsafe import safe_text

FORMAT = 1

Value = str | int | None | list[str | int]
"""What a field is kept as: a text, a choice, a radio button's index, a list's selected values."""


@dataclass(frozen=True)
class KeptInput:
    """A draft read back: the fields' values by `typed_values` key, when it was written, whose it is, and what it
    was typed for ("" when nothing: a form whose input depends on no decision, or a draft written before `basis`)."""

    values: dict[str, Value]
    saved_at: datetime
    owner: str
    basis: str = ""


def as_kept(values: Mapping[str, object]) -> dict[str, Value]:
    """`typed_values` as JSON can hold it: a selection as a sorted list, a blank choice as None."""
    kept: dict[str, Value] = {}
    for key, value in values.items():
        if isinstance(value, (frozenset, set, list, tuple)):
            kept[key] = sorted((v for v in value if isinstance(v, (str, int))), key=lambda v: (type(v).__name__, v))
        elif isinstance(value, (str, int)) and not isinstance(value, bool):
            kept[key] = value
        else:
            kept[key] = None  # Select.BLANK, no choice
    return kept


def keep_input(path: Path, values: Mapping[str, object], owner: str, now: datetime, basis: str = "") -> None:
    """Write `values` (`typed_values`) to the draft at `path`, private and whole. Raises OSError."""
    make_private_dir(path.parent)
    record = {
        "format": FORMAT,
        "saved_at": now.astimezone(UTC).isoformat(),
        "owner": owner,
        "basis": basis,
        "values": as_kept(values),
    }
    write_private_text(path, json.dumps(record, ensure_ascii=False))


def drop_input(path: Path) -> None:
    """Remove the draft at `path` (nothing when there is none; a folder there is left alone)."""
    try:
        if path.is_symlink() or path.is_file():
            path.unlink()
    except OSError:
        pass


def _value(value: object) -> bool:
    if value is None or isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
        return True
    return isinstance(value, list) and all(
        isinstance(v, str) or (isinstance(v, int) and not isinstance(v, bool)) for v in value
    )


def read_input(path: Path) -> KeptInput | None:
    """The draft kept at `path`, or None when there is none or it is not one this module wrote (see above)."""
    data = read_regular(path, MAX_BYTES)
    if data is None:
        return None
    try:
        record = json.loads(data.decode("utf-8"))
        saved_at = datetime.fromisoformat(record["saved_at"])
    except (UnicodeDecodeError, ValueError, TypeError, KeyError, RecursionError):
        return None
    if not isinstance(record, dict) or record.get("format") != FORMAT or not isinstance(record.get("owner"), str):
        return None
    values = record.get("values")
    if not isinstance(values, dict) or not all(isinstance(k, str) and _value(v) for k, v in values.items()):
        return None
    basis = record.get("basis", "")
    if not isinstance(basis, str):
        return None
    if saved_at.tzinfo is None:
        saved_at = saved_at.replace(tzinfo=UTC)
    return KeptInput(values, saved_at, record["owner"], basis)


def put_back(widget: Widget, value: Value) -> None:
    """Put a kept value back into the field it was kept from; a value of the wrong kind, or a choice the field
    no longer offers, leaves the field as it is."""
    if isinstance(widget, Input) and isinstance(value, str):
        widget.value = safe_text(value)  # as typed (a control character a file slipped in shows as an escape)
    elif isinstance(widget, TextArea) and isinstance(value, str):
        widget.text = safe_text(value, keep_newlines=True)
    elif isinstance(widget, Select):
        _choose(widget, value)
    elif isinstance(widget, SelectionList) and isinstance(value, list):
        offered = {widget.get_option_at_index(i).value for i in range(widget.option_count)}
        widget.deselect_all()
        for chosen in value:
            if chosen in offered:
                widget.select(chosen)
    elif isinstance(widget, RadioSet) and isinstance(value, int) and not isinstance(value, bool):
        buttons = list(widget.query(RadioButton))
        if 0 <= value < len(buttons):
            buttons[value].value = True


def _choose(select: Select[object], value: Value) -> None:
    try:
        if value is None:
            select.clear()
        else:
            select.value = value
    except InvalidSelectValueError:  # no blank allowed, or a choice no longer offered
        pass
