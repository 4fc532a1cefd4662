"""The text area a message is pasted into (the New complaint form's): a paste shows as `paste.pasted_text`
gives it, in order, its escape sequences gone and its other control characters shown as escapes."""

from __future__ import annotations

from textual import events

from tracker.tui.paste import pasted_text
from tracker.tui.widgets.text_box import TextBox


class MessageArea(TextBox):
    """A text area for a message pasted in: what a paste brings is `pasted_text` (what is saved is what is shown)."""

    DRAFT_KIND = "MessageArea"

    async def _on_paste(self, event: events.Paste) -> None:
        event.text = pasted_text(event.text)  # then inserted by TextArea's own handler, as any paste
