"""The reply letters the TUI saved for a persona's complaints: `<data dir>/replies-out/complaint-N-<lang>.txt`.

F2's "Copy" also writes the reply to that file (the terminal may ignore the clipboard). A letter
holds the complainant's name, the persona's signature and its post URLs, so the purge plan lists
the letters of the persona's complaints and the scrub deletes them, the way it deletes archived
files: they are queued in `purge_file` in the scrub's transaction (as `replies-out:<name>`, which
is never an archive path) and deleted once it commits; a scrub killed in between finishes when run
again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from tracker.support.settings import Settings

REPLIES_OUT = "replies-out"
"""The folder in the data folder where the TUI also writes a copied reply (the clipboard may not get it)."""

QUEUE_PREFIX = f"{REPLIES_OUT}:"
"""How a queued letter is told from an archived file in `purge_file`."""

_LETTER = re.compile(r"^complaint-([0-9]{1,18})-[A-Za-z0-9_.-]{1,64}\.txt$")


def letter_path(settings: Settings, number: int, language: str | None) -> Path:
    """Where the TUI writes the reply to complaint `number`: `replies-out/complaint-N-<language>.txt`."""
    return settings.data_dir / REPLIES_OUT / f"complaint-{number}-{language or 'reply'}.txt"


def letters_of(settings: Settings, complaint_ids: Iterable[int]) -> list[Path]:
    """The letters in `replies-out` written for these complaints (regular files only), sorted."""
    folder = settings.data_dir / REPLIES_OUT
    wanted = {int(number) for number in complaint_ids}
    if not wanted or not folder.is_dir() or folder.is_symlink():
        return []
    found = []
    for path in folder.iterdir():
        match = _LETTER.fullmatch(path.name)
        if match and int(match.group(1)) in wanted and path.is_file() and not path.is_symlink():
            found.append(path)
    return sorted(found)


def queue_entry(path: Path) -> str:
    """A letter's entry in the scrub's queue."""
    return QUEUE_PREFIX + path.name


def queued_letter(settings: Settings, entry: str) -> Path | None:
    """The letter a queue entry names; None when the entry is an archived file (or not a letter's name)."""
    if not entry.startswith(QUEUE_PREFIX):
        return None
    name = entry.removeprefix(QUEUE_PREFIX)
    return settings.data_dir / REPLIES_OUT / name if _LETTER.fullmatch(name) else None


def is_letter(entry: str) -> bool:
    """Whether a queue entry is a letter's (handled apart from archived files)."""
    return entry.startswith(QUEUE_PREFIX)
