"""Counted nouns in English messages: "1 complaint", "3 complaints", never "complaint(s)"."""

from __future__ import annotations

IRREGULAR = {"person": "people", "copy": "copies", "entry": "entries", "body": "bodies"}


def plural(word: str) -> str:
    """The English plural of a message's noun (the few irregular ones this tool says, else +s/+es)."""
    if word in IRREGULAR:
        return IRREGULAR[word]
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


def counted(count: int, word: str, many: str | None = None) -> str:
    """`count` and the noun in the right number: `counted(1, "post")` is "1 post", 2 gives "2 posts".

    `word` may be a phrase ending in the noun ("archived file" gives "2 archived files"); `many`
    overrides the plural form of the whole phrase.
    """
    if count == 1:
        return f"{count} {word}"
    if many is not None:
        return f"{count} {many}"
    head, _, noun = word.rpartition(" ")
    return f"{count} {head} {plural(noun)}" if head else f"{count} {plural(noun)}"


def verb(count: int, one: str, many: str) -> str:
    """The verb form agreeing with `count`: `verb(n, "was", "were")`."""
    return one if count == 1 else many
