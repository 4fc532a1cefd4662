"""A DataTable that draws its rows again once it knows their columns' widths.

Textual's DataTable (8.x) measures new rows only when it is next idle, and caches the cells it
draws by content, not by column width. Rows that arrive from a worker can be drawn once in
between, and those cells then kept their too-narrow width until the cursor passed over them.
Dropping the drawn cells whenever the table's size changes (new widths or rows) avoids that.
"""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Size
from textual.widgets import DataTable


class Table(DataTable[Text]):
    """A `DataTable` of `Text` cells, redrawn in full whenever its size changes."""

    def watch_virtual_size(self, old: Size, new: Size) -> None:
        if old != new:
            self.notify_style_update()  # clears every cache of drawn cells, then refreshes
