"""The text box of the TUI's forms and of the reply letter: Textual's TextArea, drawn again whole when resized, its
edit keys typed in one burst with letters kept in their order (`key_order`), Ctrl+Home and Ctrl+End to the text's
start and end (Textual's TextArea binds neither: in a long letter they did nothing)."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.widgets import TextArea

from tracker.tui.widgets.key_order import run_own_binding


class TextBox(TextArea):
    """A TextArea whose every line is drawn again when its size changes.

    Textual folds a text area's lines again at its new width (`TextArea._on_resize`), but draws again only when
    the number of lines changed: a paragraph folded into as many lines at the new width as at the old one kept its
    first line as broken at the old width, and showed the new second line after it, so the characters between the
    two breaks were shown nowhere (a Japanese sentence being typed, the SSH window widened or narrowed): the owner
    saw part of what they typed gone. What the box holds never changed; only what it showed.

    `DRAFT_KIND` keeps the key a kept draft names the box by (`guard.typed_widgets`) what it was when the box was a
    plain TextArea, so a draft written before is still restored."""

    DRAFT_KIND = "TextArea"

    BINDINGS = [
        Binding("ctrl+home", "cursor_text_start", "Start of the text", show=False, id="text_box.start"),
        Binding("ctrl+end", "cursor_text_end", "End of the text", show=False, id="text_box.end"),
        Binding(
            "ctrl+shift+home", "cursor_text_start(True)", "Select to the start", show=False, id="text_box.select_start"
        ),
        Binding("ctrl+shift+end", "cursor_text_end(True)", "Select to the end", show=False, id="text_box.select_end"),
    ]

    def action_cursor_text_start(self, select: bool = False) -> None:
        """The cursor to the first character (Ctrl+Home), selecting what it passes with Shift."""
        self.move_cursor(self.document.start, select=select)

    def action_cursor_text_end(self, select: bool = False) -> None:
        """The cursor after the last character (Ctrl+End): where a line is added to a letter."""
        self.move_cursor(self.document.end, select=select)

    async def _on_key(self, event: events.Key) -> None:
        """Backspace, the arrows, Ctrl+K in the order typed among the letters (`key_order`); then TextArea's own."""
        await run_own_binding(self, event)

    def on_resize(self, event: events.Resize) -> None:
        """After Textual's own handler folded the lines at the new width: draw them all again; and, focused, keep the
        cursor in view (a message under the reply letter takes rows from it: the line just typed went out of view)."""
        self.refresh()
        if self.has_focus:
            self.call_after_refresh(self.scroll_cursor_visible)
