"""A footer with more keys than an 80-column line holds: which keys give way, so that F1 Help stays.

Textual's `Footer` draws a screen's keys in the order they are bound, the app's (F1 Help) last, and cuts what
passes the terminal's edge: on a screen with many keys the help key, the one that lists every other, was the first
lost. `fitted` says which keys the footer shows at a width: all of them if they fit (compact if need be), else
without the screen's least needed, in the order the screen gives (each still works, and is in the help and the
command palette). Only what the footer shows changes, never what a key does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from rich.cells import cell_len
from textual.binding import ActiveBinding, Binding
from textual.screen import Screen
from textual.widgets import Footer

PALETTE = "^p palette"
"""The footer's command palette key, drawn at its right end."""


def footer_width(keys: Iterable[tuple[str, str]], compact: bool) -> int:
    """Cells Textual's footer takes for `keys` (key as shown, description) and `^p palette` (`Footer`'s CSS)."""
    if compact:  # `key desc`, a cell after each; the palette after a one-cell border
        return sum(cell_len(key) + 1 + cell_len(text) + 1 for key, text in keys) + 1 + cell_len(PALETTE)
    return sum(cell_len(key) + cell_len(text) + 3 for key, text in keys) + 2 + cell_len(PALETTE) + 2


def fitted(
    bindings: Mapping[str, ActiveBinding], shown_as: Callable[[Binding], str], width: int, gives_way: Sequence[str]
) -> tuple[dict[str, ActiveBinding], bool]:
    """The bindings with those the footer leaves out at `width` no longer shown, and whether it must be compact.

    `shown_as`: a key as the footer shows it (`App.get_key_display`); `gives_way`: binding ids, the first
    left out first."""
    result = dict(bindings)

    def drawn() -> list[tuple[str, str]]:
        seen: set[str] = set()
        keys = []
        for active in result.values():
            if active.binding.show and active.binding.action not in seen:  # the footer shows an action once
                seen.add(active.binding.action)
                keys.append((shown_as(active.binding), active.binding.description))
        return keys

    if footer_width(drawn(), compact=False) <= width:
        return result, False
    for binding_id in gives_way:
        if footer_width(drawn(), compact=True) <= width:
            break
        for key, active in result.items():
            if active.binding.id == binding_id:
                result[key] = active._replace(binding=replace(active.binding, show=False))
    return result, True


def fit_footer(
    screen: Screen[Any], bindings: Mapping[str, ActiveBinding], gives_way: Sequence[str]
) -> dict[str, ActiveBinding]:
    """A screen's `active_bindings` (`bindings`: its own, from Textual) as its footer shows them at the terminal's
    width: `fitted`, the footer made compact when they do not fit otherwise."""
    shown, compact = fitted(bindings, screen.app.get_key_display, screen.app.size.width, gives_way)
    for footer in screen.query(Footer):
        footer.compact = compact
    return shown
