"""The new-complaint form's deadline: read as `complaint add --deadline` reads it, and said back as it is typed.

The owner may type the day as the complaint wrote it (`12月8日`, `12/8`, `令和8年12月8日`, `12月8日 17:00`:
`deadlines.parse_deadline`). Slashes are month/day, and a day typed without a year is the next one from the day
the complaint arrived: so that no `8/12` (12 August, not 8 December) or year is saved unseen, the line under the
field says the day read, its weekday and whose clock it ends on (`deadlines.read_as`) before anything is saved;
nothing while the field is empty or holds what is not a date yet (Save says what is wrong with it).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from textual.widgets import Static

from tracker.complaints.deadlines import checked_deadline, read_as, sender_clock
from tracker.errors import TrackerError
from tracker.support.dates import parse_when
from tracker.tui.message_fill import sender_offset
from tracker.tui.text import plain
from tracker.tui.widgets.message_area import MessageArea

if TYPE_CHECKING:
    from tracker.tui.screens.base import TrackerScreen


class ShowsDeadline:
    """Mixed into the new-complaint form: its deadline read, and the line under it saying the day read."""

    _sent_offset: int | None
    """The UTC offset of the message read (`screens.intake`)."""

    def _text(self, widget_id: str) -> str:
        """What an input means, stripped (`screens.intake`)."""
        raise NotImplementedError

    def _value(self, widget_id: str, shown: str) -> str:
        """What a field showing `shown` means (`screens.intake`)."""
        raise NotImplementedError

    def _message_text(self) -> str:
        """The message the form holds, as it is saved: the one read while the form still shows it."""
        return self._value("message", cast("TrackerScreen[Any]", self).query_one("#message", MessageArea).text)

    def typed_received(self, text: str, now: datetime) -> datetime:
        """When the message arrived, as typed in its field (empty or `now`: the app's `now`)."""
        return now if text.lower() in ("", "now") else parse_when(text)

    def senders_offset(self, message: str) -> int | None:
        """The sender's UTC offset, as `complaint add` records it: the message read's, else the one the arrival time
        or `message` gives (`message_fill.sender_offset`)."""
        return sender_offset(self._sent_offset, self._text("received"), message)

    def typed_deadline(self, text: str, received: datetime, now: datetime, offset: int | None) -> datetime | None:
        """The deadline typed (None when empty), as `complaint add --deadline` reads it: a day ends on the sender's
        clock (`offset`), a day without a year is the next from the day it arrived, none is before it arrived."""
        return checked_deadline(text, received, now, offset) if text else None

    def deadline_changed(self, field: str | None) -> None:
        """The deadline or the arrival time changed: say again, under the deadline, the day it is read as."""
        if field not in ("deadline", "received"):
            return
        screen = cast("TrackerScreen[Any]", self)
        line = screen.query_one("#deadline-status", Static)
        said = ""
        try:
            now = screen.tracker.clock()
            received = self.typed_received(self._text("received"), now)
            offset = self.senders_offset(self._message_text())
            deadline = self.typed_deadline(self._text("deadline"), received, now, offset)
            if deadline is not None:
                said = f"Read as {read_as(deadline, sender_clock(offset))}"
        except TrackerError:
            said = ""  # not a date (yet): Save says what is wrong
        line.update(plain(said))
        line.display = bool(said)
        if said and screen.focused is screen.query_one("#deadline"):  # typed there: in view (not after a read)
            screen.call_after_refresh(line.scroll_visible, animate=False)
