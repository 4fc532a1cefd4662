"""A DataTable that draws its rows again once it knows their columns' widths, and fitting a row to a width.

Textual's DataTable (8.x) measures new rows only when it is next idle, and caches the cells it
draws by content, not by column width. Rows that arrive from a worker can be drawn once in
between, and those cells then kept their too-narrow width until the cursor passed over them.
Dropping the drawn cells whenever the table's size changes (new widths or rows) avoids that.

A table is as wide as its widest cells; at 80 columns one long cell (a URL, a complainant's name)
would push the columns after it off the screen. `flex_width` says how much room one column has
once the others have theirs, so that column's cells can be cut to it (`fit_cell`).

An empty table's cursor stays on its first row: Textual's moved it to row -1 on `Up` (its clamp between 0 and
row_count - 1 swaps the bounds), and said that row was highlighted with no key, which the screens read
(`event.row_key.value`): `Up` on a complaint with no candidates ended the TUI with a traceback.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.geometry import Size
from textual.widgets import DataTable

from tracker.support.textsafe import cell_width, clip

CELL_PADDING = 2
"""Columns a DataTable adds to each column (its default `cell_padding` of 1 on either side)."""
LEAST = 12
"""The narrowest a flexible column gets, even when the others leave less."""


class Table(DataTable[Text]):
    """A `DataTable` of `Text` cells, redrawn in full whenever its size changes."""

    def watch_virtual_size(self, old: Size, new: Size) -> None:
        if old != new:
            self.notify_style_update()  # clears every cache of drawn cells, then refreshes

    def validate_cursor_coordinate(self, value: Coordinate) -> Coordinate:
        """Inside the table, and never before its first row or column (see the module's docstring)."""
        row, column = super().validate_cursor_coordinate(value)
        return Coordinate(max(row, 0), max(column, 0))


class OpenTable(Table):
    """A table whose rows open (`DataTable.RowSelected` on Enter), saying `⏎ Open` in the footer while it has the
    focus: DataTable's own Enter binding is hidden, and being the focused widget's it hid the screen's too."""

    BINDINGS = [Binding("enter", "select_cursor", "Open", tooltip="the row's complaint or post", id="table.open")]


def flex_width(rows: Sequence[Sequence[Text]], labels: Sequence[str], flex: int, width: int) -> int:
    """The columns left for column `flex` when the table may take `width` columns and every other
    column is as wide as its widest cell or label (at least `LEAST`)."""
    others = 0
    for n, label in enumerate(labels):
        if n != flex:
            others += max([cell_width(label), *(cell_width(row[n].plain) for row in rows)]) + CELL_PADDING
    return max(LEAST, width - others - CELL_PADDING)


def fit_cell(cell: Text, width: int, cut: Callable[[str, int], str] = clip) -> Text:
    """A one-style cell cut to `width` columns by `cut` (`clip` keeps the start, `keep_end` the end)."""
    if cell_width(cell.plain) <= width:
        return cell
    return Text(cut(cell.plain, width), style=cell.style)
