"""The text box of the TUI's forms and of the reply letter: Textual's TextArea, drawn again whole when resized, its
edit keys typed in one burst with letters kept in their order (`key_order`)."""

from __future__ import annotations

from textual import events
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

    async def _on_key(self, event: events.Key) -> None:
        """Backspace, the arrows, Ctrl+K in the order typed among the letters (`key_order`); then TextArea's own."""
        await run_own_binding(self, event)

    def on_resize(self, event: events.Resize) -> None:
        """After Textual's own handler folded the lines at the new width: draw them all again."""
        self.refresh()
