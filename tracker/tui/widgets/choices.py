"""Check boxes, radio buttons and selection lists whose marks read without colour: `▐X▌` when ticked, `▐ ▌` when
not (`▐●▌` / `▐ ▌` for a radio button).

Textual draws the same mark in both states and tells them apart by its colour alone (bold green, or dim): over
SSH with few colours the owner read an unticked post as ticked and took down one post too many. Every screen uses
these in place of Textual's own (same names, so the stylesheet's selectors match them); the stylesheet still
colours a ticked mark. `Selection` (an item of a selection list) is Textual's, named here beside its list.

`ToggleButton._button` is private to the pinned textual (<8.3), and a selection list's line is read as its
`render_line` draws it (the mark its second segment): the mark is blanked in what they draw.
"""

from __future__ import annotations

from typing import Generic

from rich.segment import Segment
from textual import widgets
from textual.content import Content
from textual.strip import Strip
from textual.widgets._toggle_button import ToggleButton
from textual.widgets.option_list import OptionDoesNotExist
from textual.widgets.selection_list import Selection, SelectionType

__all__ = ["UNTICKED", "Checkbox", "RadioButton", "Selection", "SelectionList"]

UNTICKED = " "
"""What is drawn inside the box of a choice not chosen."""


def _marked(button: Content, chosen: bool) -> Content:
    """`▐X▌` as drawn, its mark blanked unless `chosen` (the box keeps its colours: one cell for another)."""
    if chosen:
        return button
    text = button.plain
    return Content(text[0] + UNTICKED + text[2:], list(button.spans), button.cell_length)


class Checkbox(widgets.Checkbox):
    """A check box with an X only when ticked."""

    @property
    def _button(self) -> Content:
        return _marked(super()._button, self.value)


class RadioButton(widgets.RadioButton):
    """A radio button with a dot only when chosen."""

    @property
    def _button(self) -> Content:
        return _marked(super()._button, self.value)


class SelectionList(widgets.SelectionList[SelectionType], Generic[SelectionType]):
    """A selection list with an X only beside the items selected."""

    def render_line(self, y: int) -> Strip:
        line = super().render_line(y)
        try:
            selection = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:
            return line
        segments = list(line)
        if selection.value in self.selected or len(segments) < 2 or segments[1].text != ToggleButton.BUTTON_INNER:
            return line
        mark = segments[1]
        segments[1] = Segment(UNTICKED, mark.style, mark.control)
        return Strip(segments, line.cell_length)
