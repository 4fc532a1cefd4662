"""What a complaint must pass before it is logged, checked in `intake.add_complaint` for the CLI and the TUI alike.

A message an earlier complaint already holds (the same file logged twice) is refused as `SameMessage`, naming
that complaint, unless the intake says to log it anyway (`ComplaintInput.duplicate`): `complaint add` refuses
it unless `--duplicate` is given, the New complaint form asks first. The check runs in the transaction that
logs the complaint, so nothing can slip in between the question and the save.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracker.complaints.records import complaint_with_message
from tracker.errors import ConflictError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from tracker.complaints.intake import ComplaintInput


class SameMessage(ConflictError):
    """An earlier complaint (`earlier`, its number) holds the very message being logged."""

    def __init__(self, earlier: int) -> None:
        super().__init__(f"complaint #{earlier} holds the same message: nothing logged")
        self.earlier = earlier


def refuse_same_message(session: Session, data: ComplaintInput) -> None:
    """Raise `SameMessage` when an earlier complaint holds `data`'s message, unless it is to be logged anyway."""
    if data.duplicate:
        return
    earlier = complaint_with_message(session, data.message)
    if earlier is not None:
        raise SameMessage(earlier)
