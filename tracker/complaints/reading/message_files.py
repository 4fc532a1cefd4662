"""Files that are plainly not a message, told by their first bytes: an image, a PDF, an archive; and a mailbox
file of several messages (mbox), which would be read as one complaint, another sender's message in its text.

`tracker complaint add --from FILE` reads a saved e-mail or a text file. The complainant's image given
there by a slip (instead of `--image`) would otherwise be stored as a "message" of megabytes of
binary (a PNG with big text chunks passes a test for control characters); it is refused, saying what
it is and where it goes.
"""

from __future__ import annotations

import re

_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "an image"),
    (b"\xff\xd8\xff", "an image"),
    (b"GIF8", "an image"),
    (b"II*\x00", "an image"),
    (b"MM\x00*", "an image"),
    (b"%PDF-", "a PDF"),
    (b"PK\x03\x04", "a zip archive or office document"),
    (b"\x1f\x8b", "a compressed file"),
)
IMAGE_HINT = " (a complainant's image goes with --image)"
"""Where the complainant's image goes instead, in the command line's words (the TUI's form says its own)."""
_HINT = {
    "an image": IMAGE_HINT,
    "a PDF": " (paste its text, or save the e-mail it came with)",
}


def not_a_message(data: bytes) -> str | None:
    """Why the file's bytes are no message (`an image, not a text file or a saved e-mail (...)`), or None."""
    kind = next((kind for magic, kind in _MAGIC if data.startswith(magic)), None)
    if kind is None and (data[:4] == b"RIFF" and data[8:12] == b"WEBP" or data[4:8] == b"ftyp"):
        kind = "an image"
    return None if kind is None else f"{kind}, not a text file or a saved e-mail{_HINT.get(kind, '')}"


_MBOX_SEPARATOR = re.compile(rb"(?:\A|\n\r?\n)From \S+ +(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) [^\n]*\d{4}\r?(?=\n)")
"""The line an mbox file opens each message with (`From sato@example.jp Mon Dec  7 10:00:00 2026`), after an empty
line (a body's own `From ` lines are written `>From `)."""


def messages_in_mailbox(data: bytes) -> int:
    """How many messages a mailbox file (mbox) holds: 0 when `data` does not open as one."""
    if not _MBOX_SEPARATOR.match(data):
        return 0
    return len(_MBOX_SEPARATOR.findall(data))


def is_mbox_separator(line: str | bytes) -> bool:
    """Whether a message's first line is the line an mbox file opens it with (`From sato@example.jp Mon Dec  7
    10:00:00 2026`), not its words or a pasted mail's own line (`From Misaki Sato <misaki@example.jp>`)."""
    raw = line.encode("utf-8", "replace") if isinstance(line, str) else line
    return _MBOX_SEPARATOR.match(raw.split(b"\n", 1)[0] + b"\n") is not None
