"""Files that are plainly not a message, told by their first bytes: an image, a PDF, an archive.

`tracker complaint add --from FILE` reads a saved e-mail or a text file. The complainant's image given
there by a slip (instead of `--image`) would otherwise be stored as a "message" of megabytes of
binary (a PNG with big text chunks passes a test for control characters); it is refused, saying what
it is and where it goes.
"""

from __future__ import annotations

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
