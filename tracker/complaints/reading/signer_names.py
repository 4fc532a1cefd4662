"""Whether the line signing an English message is a person's name the owner may greet them by: not a title, a
company or a pleasantry (`Head Of Licensing`, `Pinewood Animation`, `Have A Great Day`), and spelled in the
sender's own e-mail address (`Maria Huber` from `maria.huber@example.at`), or signed with a title (`Sarah Cole,
Rights Agent`: `is_title`, `with_title`), as an agent writing from a company's address signs.

A wrong name in "Dear ..." is worse than "Hello," and asking for it: these rules only ever say no more often.
Plain text in, plain data out: the standard library only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
"""A word of letters; a `'`, `’` or `-` inside it allowed (`O'Brien`, `Jean-Luc`)."""
_FUNCTION_WORDS = frozenset(
    "a about all an and as at by for from in into is of on or per the to via with yours".split()
)
_NOT_A_SIGNER = _FUNCTION_WORDS | frozenset(
    "account agent animation anime artist assistant attached behalf board ceo center centre chief city client "
    "club company corp counsel customer day department dept director division editor enterprises everyone "
    "executive fan fans firm google great greetings have head hq inc incorporated industries ink lawyer legal "
    "licensing limited llc ltd manager marketing new office officer operations original owner partner president "
    "rep representative sales screenshot screenshots secretary see service services staff studio success support "
    "team traders translated translation translator widgets".split()
)
"""Function words and words of a role, an organisation or a courtesy, never of a signing person's name
(`Head Of Licensing`, `Customer Success`, `Northwind Traders`, `Translated By Google`, `An Angry Fan`)."""


def is_signer(name: str) -> bool:
    """Whether a signing line is two to four capitalised words of letters, none a function word or a word of a
    role, an organisation or a courtesy."""
    words = name.split()
    if not 2 <= len(words) <= 4 or len(name) > 60:
        return False
    return all(_WORD.fullmatch(word) and word[0].isupper() and word.casefold() not in _NOT_A_SIGNER for word in words)


def names_organisation(name: str) -> bool:
    """Whether a name of two to four words in Latin letters holds a word of a role, an organisation or a courtesy
    (`Pinewood Animation`, `Moth Fan Club`, `Example Media Legal`): no person's, whom a letter may greet by it."""
    words = name.split()
    if not name.isascii() or not 2 <= len(words) <= 4:
        return False
    return any(word.casefold() in _NOT_A_SIGNER - _FUNCTION_WORDS for word in words)


def _folded(text: str) -> str:
    """`Jürgen` as `jurgen`: accents dropped, case folded, so a name matches the address it is spelled in."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()


def local_parts(addresses: Iterable[str | None]) -> set[str]:
    """The local parts (before the `@`) of the e-mail addresses in `addresses`, folded; a handle (`@moth`) has none."""
    return {
        _folded(found)
        for address in addresses
        if address
        for found in re.findall(r"([\w.+-]{1,64})@[\w-]{1,63}\.", address[:400])
    }


def spelled_in(name: str, parts: set[str]) -> bool:
    """Whether a word of the name of three letters or more, accents folded, stands in one of the local parts
    (`Maria Huber` in `maria.huber`, `mhuber`; `Ken Sato` in `ken.sato`)."""
    words = [_folded(word) for word in name.split()]
    return any(len(word) >= 3 and word in part for word in words for part in parts)


_FUNCTION = r"[A-Z][a-z]+(?:tion|sion|ment|ance|ence|ity|ety|ship|ness|ics)"
"""A word naming what a desk does, by its ending (`Enforcement`, `Protection`, `Compliance`, `Safety`, `Affairs` no):
an abstract noun, never a person's given name or surname but for a few (`Clement`, `Florence`) no title ends on."""
_ROLE = re.compile(
    r"(?:(?:[A-Z][\w&'’-]*|of|and|for|&)[ \t]+){1,4}(?:Team|Desk|Unit|Department)(?![\w&'’-])|"
    r"(?:(?:[A-Z][\w&'’-]*|of|and|for|&)[ \t]+){0,4}"
    r"(?:[A-Z][a-z]+(?:er|or|ist|ant|ent|ive|ate|al)(?<!Center)(?<!Centre)|Counsel|Attorney(?:[ -]at[ -]Law)?"
    rf"|Affairs|Esq\.?|{_FUNCTION})(?![\w&'’-])"
    r"|Head[ \t]+of[ \t]+[A-Z][\w&'’-]*(?:[ \t]+[A-Z&][\w&'’-]*){0,3}"
    r"|[\u3040-\u30ff\u3400-\u9fff]{1,12}(?:部|課|室|チーム|グループ|担当|部長|課長|室長|センター)"
)
"""A signer's title, by the shape of its last word rather than a list of titles: capitalised words ending in a
word of one who does something (`Rights Agent`, `Licensing Manager`, `Paralegal`, `Legal Counsel`, `Esq.`) or of what a
desk does (`Rights Enforcement`, `Brand Protection`, `Trust and Safety`, `Legal Affairs`), `Head of ...`, a team
(`Content Protection Team`, `Rights Team`: after a name, `Sarah Cole – Rights Team`; alone it names no one, as
`is_signer` reads it), or a Japanese department (`知的財産部`, `ブランド保護チーム`)."""
_NOT_A_NAME = re.compile(rf"\b{_FUNCTION}\b|\b[A-Za-z]+(?:tion|sion|ness|ship|ety)\b", re.I)
"""A word no person is named by (`Moderation` in `Bluesky Moderation`): the line is a team's, whatever follows it."""
_AFTER_TITLE = re.compile(r"[ \t]*(?:$|[,|(]|[–—-][ \t]|at[ \t])")


def is_title(line: str) -> bool:
    """Whether a line opens with a signer's title (`Rights Agent`, `Rights Agent, Example Media LLC`, `Legal Counsel |
    Example Media`, `Licensing Manager at Example Media`)."""
    found = _ROLE.match(line.strip())
    return found is not None and _AFTER_TITLE.match(line.strip(), found.end()) is not None


def with_title(line: str) -> str | None:
    """The name before a title on one signing line (`Sarah Cole, Rights Agent`, `Sarah Cole – Rights Enforcement`,
    `Sarah Cole | Legal Counsel`, `Ken Sato, 知的財産部`); None when no title follows a name there."""
    found = re.match(r"(?P<name>[^,|–—、]{2,60}?)[ \t]*(?:[,|、]|[–—]|[ \t]-)[ \t]*(?P<title>.+)$", line.strip())
    return found.group("name") if found and is_title(found.group("title")) else None


def organisation_named(name: str, lines: Iterable[str], addresses: Iterable[str | None]) -> bool:
    """Whether a name signing over a title is the organisation's, not a person's: a word no person is named by
    (`Bluesky Moderation`), a line that goes on from it (`Example Media` over `Example Media LLC`), or every word
    of it spelled in the domain of the sender's address (`Example Media` from `legal@examplemedia.example`)."""
    if _NOT_A_NAME.search(name) or any(line.startswith(f"{name} ") for line in lines):
        return True
    domains = {_folded(found) for a in addresses if a for found in re.findall(r"@([\w.-]{1,253})", a[:400])}
    words = [_folded(word) for word in name.split()]
    return any(all(word in domain for word in words) for domain in domains)
