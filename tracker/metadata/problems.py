"""The wording of reading problems that mean metadata is there but was not read.

A reading's problems are plain one-line texts (stored with the image, shown as READ_PROBLEM).
Some of them mean the file does carry metadata the reader left unread: a text chunk too large or
damaged to read, a damaged EXIF block, hidden pixel data that could not be decoded, or text in a
generator's usual place that no parser understood. `left_unread` tells those apart, so that a
report with no generation record says "metadata was found but not read", not "no metadata".
Standard library only: the accountability rules import it.
"""

from __future__ import annotations

from collections.abc import Iterable

SKIPPED = ": skipped"
"""How a metadata block that could not be read ends its problem (`PNG tEXt chunk ... is damaged: skipped`)."""
EXIF_SKIPPED = "EXIF block is damaged and was skipped"
HIDDEN_SKIPPED = "hidden pixel metadata skipped"
UNREAD_TEXT = "text was found but not understood as any generator's record"
FOUND_IN_XMP = "the generation record was found in XMP"
"""How the note that a record was read from XMP, where a re-saving tool moved it, begins: read, not left unread."""


def left_unread(problems: Iterable[str]) -> bool:
    """Whether any of a reading's problems says metadata was found but not read."""
    return any(
        problem.endswith(SKIPPED) or problem.startswith((EXIF_SKIPPED, HIDDEN_SKIPPED, UNREAD_TEXT))
        for problem in problems
    )
