"""Who wrote a complaint: the person its From header names or the one the text introduces or signs, and the
organisation the text or the signature names without that person's name (`tracker.complaints.intake`)."""

from __future__ import annotations

import re

from tracker.complaints.reading.message_details import sender_name
from tracker.complaints.reading.notice_reading import signed_name
from tracker.complaints.reading.signer_names import names_organisation
from tracker.support.textsafe import without_terminal_sequences


def message_writer(
    header_name: str | None, text: str, addresses: tuple[str | None, ...], company: str | None
) -> str | None:
    """Who wrote the message: the person its From header names (`split_sender`), unless the text introduces or signs
    a name (`月影しずくと申します`, `/s/ Rachel Kim`, `My name is John Smith`, or `Kind regards,` / `Maria Huber` that
    the sender's `addresses` spell) and the header's is a handle (`しずく@お仕事募集中`) or in Latin letters where the
    text's is in Japanese (`Aya Sasaki`, 佐々木彩と申します: the letter greets them as they name themselves), or is part
    of the text's (`さくら` in From, 桜井さくらと申します), or shares no word with the text's under a signature naming a
    `company` (`Pinewood Animation` in From, `Sarah Cole, Rights Agent` / `Example Media LLC`: the signer writes).
    Such a From plainly an organisation's (`names_organisation`) with no name in the text names no one."""
    header_name, text = _without_markup(header_name or "") or None, _without_markup(text)
    from_text = sender_name(text) or signed_name(text, addresses)
    one, other = ((name or "").casefold() for name in (header_name, from_text))  # `中村健一` is `中村 健一`
    others = not any(w in "".join(b.split()) for a, b in ((one, other), (other, one)) for w in a.split())
    if header_name and company and (names_organisation(header_name) if not from_text else others):
        return from_text  # the From names a company, or someone else: the person signing (or no one) greeted
    if header_name and from_text and header_name.isascii() and _KANA_KANJI.search(from_text):
        return from_text  # `Aya Sasaki` in From, 「佐々木彩と申します」 in the text: greeted as they name themselves
    if header_name and from_text and _KANA_KANJI.search(from_text) and _spells_more(from_text, header_name):
        return from_text  # `さくら` in From, 「桜井さくらと申します」 in the text: their name in full
    if header_name and not (from_text and re.search("[@＠]", header_name)):
        return header_name
    return from_text or header_name


_KANA_KANJI = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
"""A name written in Japanese (kana or kanji)."""


def _spells_more(name: str, part: str) -> bool:
    """Whether `name` spells `part` and more (`桜井さくら` and `さくら`), spaces aside."""
    whole, inner = "".join(name.split()), "".join(part.split())
    return whole != inner and inner in whole


def fuller_organisation(said: str | None, signed: str | None) -> str | None:
    """The organisation the text names (`株式会社ルミナスアーツの高橋と申します`), or the signature's when it says more
    of the same (`株式会社ルミナスアーツ 法務部`: the department kept), or the signature's when the text names none."""
    if not said or not signed:
        return said or signed
    compact = "".join(signed.split())
    return signed if compact != "".join(said.split()) and compact.startswith("".join(said.split())) else said


def without_person(org: str | None, person: str | None) -> str | None:
    """The organisation a signature line gives without the writer's name ending it: `株式会社ルミナスアーツ 法務部 高橋`
    signed by 高橋 is 株式会社ルミナスアーツ 法務部 (the company, its department kept), 高橋 the person."""
    if not org or not person:
        return org
    words, named = org.split(), person.split()
    if len(words) > len(named) and words[-len(named) :] == named:
        return " ".join(words[: -len(named)])
    return org


_MARKUP_TAG = re.compile(r"\[/?(?:[A-Za-z#@][^\[\]\n]{0,80})?\]")
"""What looks like a markup tag (`[bold red]`, `[/]`, `[link=https://…]`): no part of a name."""
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]+")


def _without_markup(text: str) -> str:
    """The text a name is read from: without terminal escape sequences or markup-like tags, each other
    control character a space, so a name read never holds them (`[bold red]山田 太郎[/]と申します` names 山田 太郎)."""
    plain = _CONTROL.sub(" ", _MARKUP_TAG.sub("", without_terminal_sequences(text)))
    return re.sub(" {2,}", " ", plain).strip(" ") if plain != text else text
