"""Which language a reply is written in: the one the owner set, else the one the complaint is in.

Replies exist in Japanese and English (`data/replies/<language>/`); a complaint set to neither, or
written in neither, is answered in English. Japanese is recognised by its scripts (kana and kanji).
"""

from __future__ import annotations

import re

from tracker.errors import UsageError

LANGUAGES = {"ja": "Japanese", "en": "English"}
"""The languages replies are drafted in."""

DEFAULT = "en"

_JAPANESE = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]")
_LETTERS = re.compile(r"[A-Za-z\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]")


def guess_language(text: str | None) -> str:
    """`ja` when at least a fifth of the text's letters are Japanese script (names in kanji in an
    English letter stay English; a Japanese message quoting an English URL stays Japanese), else `en`."""
    if not text:
        return DEFAULT
    letters = len(_LETTERS.findall(text))
    japanese = len(_JAPANESE.findall(text))
    return "ja" if letters and japanese * 5 >= letters else DEFAULT


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
    return guess_language(" ".join(t for t in texts if t))
