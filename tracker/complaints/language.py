"""Which language a reply is written in: the one the owner set, else the one the complaint is in.

Replies exist in Japanese and English (`data/replies/<language>/`); a complaint set to neither, or
written in neither, is answered in English. Japanese is recognised by its scripts (kana and kanji:
`messages.guess_language`, which also reads the language of a complaint that arrived as a file).
"""

from __future__ import annotations

from tracker.complaints.messages import guess_language
from tracker.errors import UsageError

LANGUAGES = {"ja": "Japanese", "en": "English"}
"""The languages replies are drafted in."""

DEFAULT = "en"


def checked_language(value: str) -> str:
    """A language the user typed (`ja`, `EN`, `japanese`), as one of `LANGUAGES`, or a one-line error."""
    wanted = value.strip().lower()
    for code, name in LANGUAGES.items():
        if wanted in (code, name.lower()):
            return code
    raise UsageError(f"unknown language {value!r} (one of: {', '.join(LANGUAGES)})")


def reply_language(language: str | None, *texts: str | None) -> str:
    """The language set for the complaint, else the one its texts are written in."""
    if language:
        return language
    return guess_language(" ".join(t for t in texts if t)) if any(texts) else DEFAULT
