"""Which language a reply is written in: the one the owner set, else the one the complaint is in.

Replies exist in Japanese and English (`data/replies/<language>/`); a complaint set to neither, or
written in neither, is answered in English. Japanese is recognised by its scripts (kana and kanji weighed
against Latin letters: `scripts.leans_japanese`, as `messages.guess_language` applies it, which also reads the
language of a complaint that arrived as a file).

Every letter and record asks it, so the message reader (`messages`: e-mail parsing, charsets, the URL reader, a
tenth of `complaint reply`'s start) is loaded only when the answer depends on which parts of the text are web or
mail addresses, which `guess_language` leaves out (`_language_of`): an English text has no kana or kanji to count.
"""

from __future__ import annotations

from tracker.complaints.reading.scripts import JAPANESE, LATIN, SAMPLE, leans_japanese
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


ENOUGH = 12
"""How many letters a message's body needs for its language to be the letter's, a kana or kanji weighing three
Latin letters (`scripts.leans_japanese`): two English words ("Please remove"), four kana or kanji (削除して)."""


def reply_language(language: str | None, *texts: str | None) -> str:
    """The language set for the complaint, else the one its texts are written in: their words without the
    e-mail's subject (`Subject: ...` on the first line of the message, as intake keeps it, or anywhere in the header
    block a pasted one opens with), which decides only with them when they say too little (fewer than `ENOUGH`
    letters, web and mail addresses left out). A Japanese subject on an English letter ("作品の無断使用について" over
    "Hello, please remove ...") is answered in English."""
    if language:
        return language
    said = [text for text in texts if text]
    if not said:
        return DEFAULT
    body = " ".join(_without_subject(text) for text in said)
    return _language_of(body) if _letters(body) >= ENOUGH else _language_of(" ".join(said))


def _without_subject(text: str) -> str:
    """The message without its subject line: `Subject: ...` and the blank line under it (intake's
    `message_fields`), when the text opens with them; else the `Subject:` (`件名：`) line of the header block a
    pasted e-mail opens with, wherever in it (`mail_parts.without_subject`, loaded only for such a text)."""
    first, _, rest = text.partition("\n")
    if first.startswith("Subject:") and rest.startswith(("\n", "\r\n")):
        return rest.lstrip("\r\n")
    if first.startswith("Subject:") and not rest.strip():
        return ""
    if "ubject" not in text[:SAMPLE] and "件名" not in text[:SAMPLE]:
        return text
    from tracker.complaints.reading.mail_parts import without_subject

    return without_subject(text)


def _letters(text: str) -> int:
    """The text's letters outside its web and mail addresses, a kana or kanji counted as three."""
    bare = " ".join(word for word in text[: SAMPLE * 2].split() if "://" not in word and "@" not in word)
    return len(JAPANESE.findall(bare)) * 3 + len(LATIN.findall(bare))


def _language_of(text: str) -> str:
    """`messages.guess_language(text)`, the same answer, without loading `messages` when it is certain anyway.

    `guess_language` counts the Japanese and Latin letters of its sample without its URLs and e-mail addresses.
    Those lie within the words (runs between white space) holding `://` or `@`, so the counts lie between
    those of the sample without such words and those of the whole sample: when both ends give the same answer,
    that is the answer; else `guess_language` itself decides."""
    sample = text[: SAMPLE * 2]
    bare = sample
    if "://" in sample or "@" in sample:
        bare = " ".join(word for word in sample.split() if "://" not in word and "@" not in word)
    fewest, most = len(JAPANESE.findall(bare)), len(JAPANESE.findall(sample))
    if not most:
        return "en"  # the usual English letter: no kana or kanji at all
    latin_fewest, latin_most = len(LATIN.findall(bare)), len(LATIN.findall(sample))
    if leans_japanese(fewest, latin_most):
        return "ja"
    if not leans_japanese(most, latin_fewest):
        return "en"
    from tracker.complaints.reading.messages import guess_language

    return guess_language(text)
