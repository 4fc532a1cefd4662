"""The reply the owner copied (F2) or saved (Ctrl+S) from the reply screen, kept to be shown again.

The usual flow is: edit the draft, copy it, close the screen, send it from the mail program, come back
later and mark the complaint answered. Redrafting from the decision then would show (and F3 would record)
a letter other than the one sent. So the letter as copied is kept, and shown again in place of a new draft.

It is kept in the file F2 already writes (`replies-out/complaint-N-<language>.txt`, `purge.letters`), not in
the database: that file is the text the owner pasted, one per complaint and language, private (0600), deleted
with the persona by the scrub; keeping it elsewhere too would make two copies that can disagree, and a column
would keep a letter the owner never sent in the archive's history. The file's time (when it was written, on the
clock a decision's time is taken from) says which decision it was written for: a decision made after it means the
kept letter answers an earlier decision, and the screen says so rather than show it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tracker.complaints.history import split_subject, with_subject
from tracker.support.files import make_private_dir, write_private_text


@dataclass(frozen=True)
class KeptReply:
    """A letter read back from its file: its text, its subject line ("" when none), and when it was written."""

    text: str
    subject: str
    saved_at: datetime


def keep_reply(path: Path, subject: str, text: str) -> None:
    """Write the letter under its subject line (`with_subject`) to `path`, private and whole. Raises OSError."""
    make_private_dir(path.parent)
    write_private_text(path, with_subject(subject, text))


def read_kept(path: Path) -> KeptReply | None:
    """The letter kept at `path`, or None when there is none (or it cannot be read as text)."""
    try:
        if path.is_symlink() or not path.is_file():
            return None
        content = path.read_text(encoding="utf-8")
        saved_at = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    except (OSError, UnicodeDecodeError, ValueError, OverflowError):
        return None
    subject, text = split_subject(content)
    return KeptReply(text, subject or "", saved_at)


def written_before(kept: KeptReply, decided_at: datetime | None) -> bool:
    """Whether the letter was kept before the decision in force was made (it answers an earlier decision)."""
    if decided_at is None:
        return False
    decided = decided_at if decided_at.tzinfo is not None else decided_at.replace(tzinfo=UTC)
    return kept.saved_at < decided
