"""The one-line field of the TUI's forms and dialogs: Textual's Input, but a paste of several lines loses none, and
its edit keys typed in one burst with letters keep their order (`key_order`).

Textual's Input keeps the first line of a paste and drops the rest, silently: a whole e-mail pasted into the
new-complaint form as it opens (its first field has the focus) left `From: …` there and nothing else. A
`LineInput` takes the paste whole: its lines side by side, separated by spaces (URLs or paths pasted one a line
are what a list field asks for), or, for a field that says where a message goes (`lines_to`, the new-complaint
form's file field), into that text area, which then has the focus, saying so in the line under it (`<id>-status`,
else a toast).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import events
from textual.widgets import Input, Static, TextArea

from tracker.tui.paste import pasted_text
from tracker.tui.widgets.key_order import run_own_binding


def one_line(text: str) -> str:
    """A paste's lines as one line: each stripped, the empty ones left out, separated by one space."""
    return " ".join(line.strip() for line in pasted_text(text).splitlines() if line.strip())


PASTED_MESSAGE = ("message", "Pasted into the message box, at the end of the form: Ctrl+R reads it into the fields.")
"""Where the new-complaint form's first field sends a message pasted into it, and what it says then."""


class LineInput(Input):
    """An Input that keeps every line of a paste (see the module's docstring)."""

    DRAFT_KIND = "Input"
    """Its drafts' key is an Input's (`guard.typed_widgets`): a draft kept before it is still put back."""

    def __init__(self, *args: Any, lines_to: tuple[str, str] | None = None, **kwargs: Any) -> None:
        """`lines_to`: the id of the text area (on the same screen) a paste of several lines goes to, and what
        to say when it went there (`PASTED_MESSAGE`)."""
        super().__init__(*args, **kwargs)
        self.lines_to = lines_to

    async def _on_key(self, event: events.Key) -> None:
        """Backspace, the arrows, Ctrl+U in the order typed among the letters (`key_order`); then Input's own."""
        await run_own_binding(self, event)

    def _on_paste(self, event: events.Paste) -> None:
        """Then Input's own handler inserts `event.text` (in place of the selection): the paste on one line, its
        escape sequences gone, other control characters shown as escapes, never run."""
        found = self.screen.query(f"#{self.lines_to[0]}").results(TextArea) if self.lines_to else iter(())
        target = next(iter(found), None)
        if len(event.text.strip().splitlines()) < 2 or target is None or target.read_only:
            event.text = one_line(event.text)
            return
        event.prevent_default()  # the message goes where messages go
        event.stop()
        target.focus()
        self.app.post_message(events.Paste(event.text))  # to the focused widget, once it is the area: pasted there
        said = self.lines_to[1] if self.lines_to else ""
        status = next(iter(self.screen.query(f"#{target.id}-status").results(Static)), None)
        if status is None:
            self.notify(said, markup=False)
            return
        status.update(Text(said))  # the line under the area, beside what was pasted: no toast over the buttons
        status.display = True
