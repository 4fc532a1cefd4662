"""The letter a complaint was answered with, as the owner sent it: edited after it was drafted, perhaps.

`tracker complaint reply N --answered` keeps the letter it drafts; a letter edited before it went out (in a mail
program, or saved from the reply screen and changed) is kept as sent with `--text FILE` (`as_sent`). The file is
read as `complaint reply --out` writes one: a first line `Subject: ...` and an empty line give its subject line,
else the drafted subject stands. What is kept is text: terminal escape sequences and control characters go, as
from any text the owner types or pastes (`userinput.typed_text`). A mark made by mistake is undone with
`--not-answered` (`decisions.unmark_answered`), and the letter it kept is no longer counted as sent
(`history.sent_letters`).
"""

from __future__ import annotations

from dataclasses import dataclass

from tracker.complaints.history import split_subject
from tracker.errors import UsageError
from tracker.support.userinput import typed_line, typed_text

_FILL_IN = "[[ FILL IN:"
"""The mark a draft puts where the owner must write something in (`replies`)."""


@dataclass(frozen=True)
class SentLetter:
    """A letter as it went out: its text and its subject line ("" when it has none)."""

    text: str
    subject: str
    unfilled: bool = False
    """It still holds a place marked to fill in (`[[ FILL IN: ... ]]`): sent so, or the wrong file?"""


def as_sent(raw: str, drafted_subject: str, what: str = "the letter file") -> SentLetter:
    """The letter the owner sent, read from what they saved (`raw`): its `Subject:` head, else `drafted_subject`.

    Refused in one line (nothing recorded) when it is no text (a NUL byte: a binary file) or holds no letter."""
    if "\x00" in raw:
        raise UsageError(f"{what} is binary data, not the text of a letter: nothing recorded")
    text = raw.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    head, body = split_subject(text)
    subject = typed_line(head) if head is not None else None
    letter = typed_text(body)
    if letter is None:
        raise UsageError(f"{what} holds no letter (it is empty): nothing recorded")
    return SentLetter(letter + "\n", subject or drafted_subject, _FILL_IN in letter)
