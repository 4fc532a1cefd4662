"""Which script a complaint's text is written in: kana and kanji, Latin letters, and the one rule that tells a
Japanese text from an English one; and how much of a text such guesses read.

The message reader (`messages.guess_language`), the reply language (`language`), the charset guesses
(`charsets`), the reading of a message's own words (`message_details`) and the reply checks (`replies`) all
count the same characters the same way: they take them from here. The standard library only.
"""

from __future__ import annotations

import re

SAMPLE = 64 * 2**10
"""How much of a text the guesses read (its charset, its language, labelled lines, the writer's name, the day it
asks for): far more than any letter's opening, and a bound on the work of the regular expressions."""

JAPANESE = re.compile("[\u3005-\u3007\u3041-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")
"""A character of Japanese text: kana, kanji, the iteration marks, half-width katakana."""

KANA_KANJI = re.compile("[\u3041-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
"""A kana or kanji proper (no iteration mark, no half-width katakana): what tells a name written in Japanese."""

LATIN = re.compile("[A-Za-z\u00c0-\u024f]")
"""A Latin letter, accented ones included."""


def leans_japanese(japanese: int, latin: int) -> bool:
    """Whether a text with this many Japanese characters and Latin letters is Japanese: it has some Japanese
    script, and a kana or kanji weighs three Latin letters (the usual length ratio of a Japanese text to its
    English translation). So a name in kanji tips a short line: `山田 花子 from Tokyo` is Japanese (4 x 3
    against 9); `Hanako Yamada (山田)` is not; no letters at all is not."""
    return bool(japanese) and japanese * 3 >= latin
