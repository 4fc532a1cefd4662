"""The reply the owner copied (F2) or saved (Ctrl+S) from the TUI's reply screen, kept to be shown again.

The usual flow is: edit the draft, copy it, close the screen, send it from the mail program, come back
later and mark the complaint answered. Redrafting from the decision then would show (and F3 would record)
a letter other than the one sent. So the letter as copied is kept, and shown again in place of a new draft;
`tracker complaint reply N` prints it and `--answered` records it, as the screen's F3 does (`kept_instead`).

It is kept in the file F2 already writes (`replies-out/complaint-N-<language>.txt`, `purge.letters`), not in
the database: that file is the text the owner pasted, one per complaint and language, private (0600), deleted
with the persona by the scrub; keeping it elsewhere too would make two copies that can disagree, and a column
would keep a letter the owner never sent in the archive's history. The file's time (when it was written, on the
clock a decision's time is taken from) says which decision it was written for: a decision made after it means the
kept letter answers an earlier decision, and the screen (or the command) says so rather than show it. A letter kept
before the owner confirmed the take-down's removal is still shown (it may be the one sent), saying that a new draft
would say the posts have been removed.
The file is read as any text from outside the database: no bigger than a letter, never a link, and what is kept
of it is made safe by whoever shows or records it (`tui.screens.reply.shown_letter`, `sent_letter.as_sent`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tracker.complaints.history import split_subject, with_subject
from tracker.complaints.views import StoredDecision
from tracker.db.enums import DecisionAction
from tracker.support.dates import local_minute
from tracker.support.files import make_private_dir, write_private_text
from tracker.support.textsafe import safe_text

KEPT_MAX_BYTES = 1024 * 1024
"""A kept letter is a few kB: a bigger file in its place is not one the reply screen wrote, and is not read."""


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
        if path.is_symlink() or not path.is_file() or path.stat().st_size > KEPT_MAX_BYTES:
            return None
        content = path.read_text(encoding="utf-8")
        saved_at = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    except (OSError, UnicodeDecodeError, ValueError, OverflowError):
        return None
    subject, text = split_subject(content)
    return KeptReply(text, subject or "", saved_at)


def written_before(saved_at: datetime, decided_at: datetime | None) -> bool:
    """Whether a letter kept at `saved_at` was kept before the decision in force was made (it answers an earlier
    decision)."""
    if decided_at is None:
        return False
    decided = decided_at if decided_at.tzinfo is not None else decided_at.replace(tzinfo=UTC)
    return saved_at < decided


def same_letter(one: str, other: str) -> bool:
    """Whether two letters read the same once shown (line ends and control characters as the editor shows them)."""
    return _shown(one) == _shown(other)


def _shown(text: str) -> str:
    return safe_text(text.replace("\r\n", "\n"), keep_newlines=True)


@dataclass(frozen=True)
class KeptInstead:
    """What the letter kept at `path` means for a new draft: `kept` to show (or record) in its place, with `note`
    saying so; else (`kept` None) `note` says why the kept letter is not used ("" when there is none, or it reads
    as the draft does)."""

    kept: KeptReply | None
    note: str = ""
    unreadable: bool = False
    """A letter was kept after the decision in force but cannot be read as one (not UTF-8 text, a NUL in it, over
    `KEPT_MAX_BYTES`): the draft is no stand-in for it, so nothing is recorded as sent in its place."""


def removal_confirmed_at(decision: StoredDecision | None) -> datetime | None:
    """When the owner last confirmed a post of the take-down in force removed (`decisions.confirm_takedown`), or
    None: from then on its letter says the posts "have been removed" (「削除いたしました」), not "I am removing"."""
    if decision is None or decision.action is not DecisionAction.TAKE_DOWN:
        return None
    return max((row.confirmed_at for row in decision.takedowns if row.restored_at is None), default=None)


def kept_instead(
    path: Path, drafted: str, decided_at: datetime | None, redraft: str, confirmed_at: datetime | None = None
) -> KeptInstead:
    """The letter kept at `path` in place of the letter `drafted` from the decision in force (made `decided_at`),
    unless there is none, it reads the same, or it was written before that decision (then the note says so).
    `redraft` is how the owner asks for a new draft instead (`Ctrl+N`, `--new-draft`).

    A letter kept before the owner confirmed the removal (`confirmed_at`: `removal_confirmed_at`) is still shown, as
    the one they may have sent already (F3 records it), and the note says the draft changed since: it speaks of the
    posts as still to be removed, and a new draft says they have been."""
    kept = read_kept(path)
    name = f"{path.parent.name}/{path.name}"
    if kept is None and (when := _kept_since(path, decided_at)) is not None:
        return unreadable_letter(name, when)
    if kept is None or same_letter(kept.text, drafted):
        return KeptInstead(None)
    when = local_minute(kept.saved_at)
    if written_before(kept.saved_at, decided_at):
        return KeptInstead(
            None,
            f"the letter you copied or saved on {when} ({name}) answers an earlier decision: you decided again on "
            f"{local_minute(decided_at)}. This is a new draft from the decision in force",
        )
    note = f"your letter as you copied or saved it on {when} ({name}), edits kept"
    if confirmed_at is not None and written_before(kept.saved_at, confirmed_at):
        return KeptInstead(
            kept,
            f"{note}; you confirmed the removal since ({local_minute(confirmed_at)}) and it may say the posts are "
            f"still to be removed: unless you sent it already, {redraft}, saying they have been removed",
        )
    return KeptInstead(kept, f"{note}; {redraft}")


def unreadable_letter(name: str, when: str) -> KeptInstead:
    """The note on a letter kept (`name`, written `when`) that cannot be read as text: the draft is shown instead."""
    note = f"the letter you copied or saved on {when} ({name}) cannot be read as a letter (not UTF-8 text, or binary)"
    return KeptInstead(None, f"{note}: this is a new draft from the decision in force", unreadable=True)


def _kept_since(path: Path, decided_at: datetime | None) -> str | None:
    """When a regular file at `path` was written, if it was after the decision made `decided_at`; else None."""
    try:
        if path.is_symlink() or not path.is_file():
            return None
        saved_at = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    except (OSError, ValueError, OverflowError):
        return None
    return None if written_before(saved_at, decided_at) else local_minute(saved_at)
