"""Matching a persona or platform name as typed against the names that exist: "did you mean".

Pure functions on lists of names (no database, no SQLAlchemy), so that a command which reads
without the ORM (`tracker posts`) answers a typo exactly as the commands that write do
(`log`, `import`, `complaint add`, through `posts.personas`).

A name typed in another Unicode composition (a combining accent) is the stored one (`stored_name`).
Names are compared folded (`fold`): Unicode compatibility forms (a full-width `ｍｏｔｈ` is
`moth`), case (`Moth` is `moth`) and runs of spaces do not make another name. Folding only finds
suggestions: a name that is not exactly an existing one is never taken for it silently, with one exception
(`typed_name`): a stored name with spaces around it (from an old or hostile backup: new names are trimmed) is
found by the name without them, when it is the only one, since no command line keeps those spaces.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable

from tracker.errors import NotFoundError
from tracker.support.shell import shell_word

CLOSE_CUTOFF = 0.75
"""How alike (difflib's ratio, on folded names) a name must be to be suggested."""
MAX_SUGGESTIONS = 3


def fold(name: str) -> str:
    """A name as compared for "did you mean": NFKC (full-width letters), case folded, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def stored_name(names: Iterable[str], name: str) -> str | None:
    """The one of `names` that is `name`: the same characters, or the same text in another Unicode composition
    (`café` typed with a combining accent, as some keyboards, file names and scripts give it, is `café`); None
    when none is. Not a suggestion: the two look and are the same name."""
    composed = unicodedata.normalize("NFC", name)
    found = None
    for candidate in names:
        if candidate == name:
            return candidate
        if found is None and unicodedata.normalize("NFC", candidate) == composed:
            found = candidate
    return found


def typed_name(names: Iterable[str], typed: str) -> str | None:
    """The one of `names` that a command line's `typed` names: exactly it (spaces and all), else the name trimmed
    (`stored_name`: in any Unicode composition), else the only stored name that is it once trimmed itself (a name
    restored with spaces around it, which `checked_name` would never make: trimmed before any look-up, it could
    not be named at all). None when none is, or several are (then `close_names` suggests each)."""
    names = list(names)
    if typed in names:
        return typed
    wanted = typed.strip()
    found = stored_name(names, wanted)
    if found is not None:
        return found
    composed = unicodedata.normalize("NFC", wanted)
    padded = [candidate for candidate in names if unicodedata.normalize("NFC", candidate.strip()) == composed]
    return padded[0] if len(padded) == 1 else None


def close_names(names: Iterable[str], name: str) -> list[str]:
    """The names that are `name` in another case or width, else those a small edit away (at most three).

    `name` itself is never suggested.
    """
    by_key: dict[str, list[str]] = {}
    for candidate in names:
        if candidate != name:
            by_key.setdefault(fold(candidate), []).append(candidate)
    key = fold(name)
    if key in by_key:
        return sorted(by_key[key])[:MAX_SUGGESTIONS]
    alike = difflib.get_close_matches(key, list(by_key), n=MAX_SUGGESTIONS, cutoff=CLOSE_CUTOFF)
    return [candidate for found in alike for candidate in sorted(by_key[found])][:MAX_SUGGESTIONS]


def did_you_mean(close: Iterable[str]) -> str:
    """`: did you mean 'a' or 'b'?`, or nothing when there is no suggestion."""
    listed = " or ".join(quoted(name) for name in close)
    return f": did you mean {listed}?" if listed else ""


def quoted(name: str) -> str:
    """A name as the owner can paste it into a command: `'moth'`, `' moth '` (the spaces kept), `$'kite\\x1b'`."""
    word = shell_word(name)
    return word if word != name else f"'{name}'"


def no_such_persona(names: Iterable[str], wanted: str) -> NotFoundError:
    """The one-line error for a persona name that is none of `names`, suggesting the close ones."""
    hint = did_you_mean(close_names(names, wanted)) or " (`tracker personas` lists them)"
    return NotFoundError(f"no persona {wanted!r}{hint}")
