"""What the owner must know about a drafted reply before sending it: said on stderr and on the reply screen, never
part of the letter (`Draft.warnings`).

A reply note not in the letter's language, a not-my-post answer to a picture that matching may have missed a post
in, a line that mail programs would send as ">From ", a persona signing with no display name, a letter to a
platform's team while the contact recorded is the complainant's own address, a dispute silent on the image input
a post's record shows (`unmentioned_input_warning`), a counter letter drafted in English
for a platform whose team works in English though the complaint is answered in Japanese (`counter_language`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from tracker.complaints.language import reply_language
from tracker.complaints.letters.letter_facts import LetterPost
from tracker.complaints.reading.platform_notices import PlatformNotice
from tracker.complaints.reading.scripts import JAPANESE
from tracker.complaints.views import StoredComplaint, current_decision
from tracker.db.enums import DisputeReason
from tracker.matching import limits
from tracker.platforms.urls import Platform, platform_of_sender
from tracker.support.shell import shell_word

_LATIN_WORD = re.compile("[A-Za-z\u00c0-\u024f]{2,}")
_LINK = re.compile(r"https?://\S+|\S+@\S+")
SENTENCE_WORDS = 3
"""A note without Japanese in a Japanese letter is worth a warning from this many Latin words on
(a sentence; a name, a URL or `OK` is not one)."""


NOT_MINE_LIMITS = (
    "before you say the picture shows no post of yours, look at it yourself: matching finds most posts inside a "
    f"screenshot, but can miss one {limits.THUMBNAIL} or {limits.SAME_COLOUR}"
)
"""Said to the owner (stderr) when a not-my-post dispute answers a complaint that sent a picture."""


def not_mine_warning(complaint: StoredComplaint) -> str | None:
    """`NOT_MINE_LIMITS` when the decision in force disputes a complaint with a picture as not the owner's post."""
    decision = current_decision(complaint)
    if decision is None or decision.reason is not DisputeReason.NOT_MY_POST or not complaint.images:
        return None
    return NOT_MINE_LIMITS


_SILENT_ON_INPUT = frozenset({DisputeReason.SLIGHT_RESEMBLANCE, DisputeReason.SMALL_PART, DisputeReason.OTHER})
"""The dispute reasons whose sentences say nothing of an input image (a licensed-input reply says what it was; an
independent-creation one is refused for such a post, or says "without your work as an input" despite the record)."""


def unmentioned_input_warning(kind: str, reason: DisputeReason | None, posts: Sequence[LetterPost]) -> str | None:
    """Said when a dispute (or a counter letter) keeps up posts whose record shows an image-input technique
    (ControlNet, img2img, ...) and its reason says nothing of the input: the letter lists the models and LoRAs only,
    while the image's metadata, which the owner leaves in for anyone to read, shows the input was used. Only the owner
    knows what that input was: the letter claims nothing about it, the owner is told it is silent."""
    if reason not in _SILENT_ON_INPUT or not (kind == "dispute" or kind.startswith("counter_")):
        return None
    used = [post.id for post in posts if post.has_techniques]
    if not used:
        return None
    which = ", ".join(f"#{number}" for number in used)
    return (
        f"post {which} was made with an image input (tracker inputs {used[0]}), which this letter does not mention: "
        "the complainant may read it in the image's metadata; if the input was your own or licensed, decide again "
        "with --reason licensed_input, or say what it was in --reply-note"
    )


def reply_note_warning(complaint: StoredComplaint, language: str | None = None) -> str | None:
    """A warning when the decision's reply note is not in the letter's language (`language`: the draft's, which
    `complaint reply --lang` may set for this draft only; else the complaint's), else None.

    The note goes into the letter as typed. An English letter with a note in Japanese script, or a
    Japanese letter with a note that is an English sentence (no kana or kanji, a few words at least),
    would read wrong to the complainant. For the owner only: the letter stays as it is.
    """
    decision = current_decision(complaint)
    note = (decision.reply_note or "") if decision is not None else ""
    if not note.strip():
        return None
    language = language or reply_language(complaint.language, complaint.message, complaint.claimed_description)
    japanese = bool(JAPANESE.search(note))
    if language == "en" and japanese:
        return (
            "the reply note is in Japanese but the letter is in English: translate the note, or answer in "
            f"Japanese (tracker complaint set {complaint.id} --lang ja)"
        )
    if language == "ja" and not japanese and len(_LATIN_WORD.findall(_LINK.sub(" ", note))) >= SENTENCE_WORDS:
        return (
            "the reply note has no Japanese in it but the letter is in Japanese: translate the note, or answer "
            f"in English (tracker complaint set {complaint.id} --lang en)"
        )
    return None


_MBOX_FROM = re.compile(r"^From ", re.MULTILINE)


def quoted_line_warning(text: str) -> str | None:
    """Said to the owner when a line of the letter starts with "From " (the owner's note, a template of theirs):
    many mail programs send or store such a line as ">From " (mbox), and the complainant reads it so. The letter
    keeps it as written; the shipped phrases never start a line so."""
    found = _MBOX_FROM.search(text)
    if found is None:
        return None
    line = text[found.start() :].split("\n", 1)[0]
    shown = line if len(line) <= 40 else line[:39] + "…"
    return f"a line of the letter starts with 'From ' ({shown!r}): many mail programs send it as '>From '; reword it"


def unsigned_warning(persona: str) -> str:
    """Said to the owner (stderr, the reply screen) when the persona signing has no display name: the letter is
    signed with the persona's name in tracker, which the complainant may never have seen."""
    return (
        f"no display name is set for persona {persona}: the letter is signed with its name in tracker "
        f"({persona}); set the name you sign replies with: tracker persona set {shell_word(persona)} "
        "--display-name NAME"
    )


def for_the_platform_warning(
    complaint: StoredComplaint, notice: PlatformNotice | None, platforms: Mapping[str, Platform]
) -> str | None:
    """Said when the letter is addressed to a platform that passed the complaint on (`notice`: the one the letter
    was drafted for, its support desk's forward too) while the complaint's contact is the complainant's own, as the
    message's words give it (申立人連絡先: the law firm whose notice pixiv forwarded; the address a forwarded mail
    signs with): the letter goes back to the platform, which runs the notice and counter-notice, not to that
    address. A contact the message does not give came from its sender (Bluesky's moderation address), and one a
    platform owns (`platforms`) is the platform's own: the letter goes there."""
    contact, message = complaint.complainant_contact, complaint.message
    if notice is None or not contact or not message or contact.casefold() not in message.casefold():
        return None  # a complainant's own letter, or the address the notice came from: the letter goes there
    if platform_of_sender(contact, platforms) is not None:
        return None  # the platform's own address, named in its words
    known = platforms.get(complaint.platform or "")
    team = notice.team or (known.name if known else complaint.platform) or "the platform"
    return (
        f"this letter is addressed to {team}, which passed the complaint on: send it back to {team} (answer its "
        f"message, or its form), not to {contact}, the complainant's contact"
    )


ENGLISH_DESKS = {
    "x": "X",
    "bluesky": "Bluesky",
    "civitai": "Civitai",
    "deviantart": "DeviantArt",
    "tumblr": "Tumblr",
    "tensorart": "Tensor.Art",
}
"""The platforms whose copyright and complaint teams work in English ({key: name}): a counter-notice or a
counter-statement goes to them, not to the complainant, and is drafted in English. pixiv and its shops, Skeb
(Japanese teams) and Misskey and Mastodon (each instance its own) are not here: their counter letters keep the
complaint's language."""


def counter_language(kind: str, platform: str | None, language: str, number: int) -> tuple[str, str | None]:
    """(the language a letter is drafted in, the line telling the owner why, or None): a Japanese counter letter
    (`counter_notice`, `counter_statement`: addressed to the platform's agent or complaint system; a counter-notice
    is forwarded to the complainant as it is) for a platform whose team works in English (`ENGLISH_DESKS`) is
    drafted in English; every other letter stays in `language`. The owner who wants it in Japanese anyway asks for
    it for the draft (`tracker complaint reply N --lang ja`, F4 on the reply screen), and gets it so."""
    team = ENGLISH_DESKS.get(platform or "")
    if language != "ja" or team is None or not kind.startswith("counter_"):
        return language, None
    if kind == "counter_notice":  # forwarded to the complainant as it is (17 U.S.C. § 512(g)(2)(B))
        letter, forwarded = "counter-notice", f" ({team} forwards it to the complainant as it is)"
    else:  # a DSA complaint (Article 20) is the platform's to decide: nothing says it goes on to the complainant
        letter, forwarded = "counter-statement", ""
    return "en", (
        f"this {letter} goes to {team}'s team, which works in English: drafted in English, though this complaint "
        f"is answered in Japanese{forwarded}; ask for it in Japanese to have it so "
        f"(tracker complaint reply {number} --lang ja)"
    )
