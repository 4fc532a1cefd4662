"""Reading a saved or pasted message for the intake form: as `complaint add --from` reads it, with a refusal told
in the form's words (a complainant's image goes in the form's image field: the form has no `--image`)."""

from __future__ import annotations

from pathlib import Path

from tracker.complaints.reading.message_files import IMAGE_HINT
from tracker.complaints.reading.messages import ReceivedMessage, message_from_text
from tracker.complaints.reading.messages import read_message as read
from tracker.errors import UsageError

__all__ = ["FORM_IMAGE_HINT", "message_from_text", "read_message"]

FORM_IMAGE_HINT = " (a complainant's image goes in the field \"Complainant's image file(s)\", not here)"
"""What the form says in place of the CLI's `message_files.IMAGE_HINT`."""


def read_message(path: Path) -> ReceivedMessage:
    """`complaint add --from`'s reading of the file; refused as it is, pointing to the form's field for images."""
    try:
        return read(path)
    except UsageError as exc:
        if IMAGE_HINT not in str(exc):
            raise
        raise UsageError(str(exc).replace(IMAGE_HINT, FORM_IMAGE_HINT)) from None
