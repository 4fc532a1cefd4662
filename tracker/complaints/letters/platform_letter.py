"""A letter to a platform that passed a complaint on (`platform_notices`): addressed to its team, not the complainant.

It greets the team as it signed (「pixiv事務局 御中」, "Dear Bluesky Trust & Safety team,"; a team signed in Japanese by
the platform's name in English, "Dear pixiv team,"), thanks it for passing on
the complaint of the complainant it named (its case number kept), and never says the removal is "at your request":
the platform asked for nothing. When the notice says the platform has removed the post, the letter says it "has
been removed"; otherwise the owner is removing it. Each sentence is chosen so as the letter is filled: the phrases
of `[to_platform]` take the place of the same keys (`platform_phrases`), and what the letter says of "your work"
is the complainant's (`[for_platform]`, applied by `replies` to the text).
"""

from __future__ import annotations

from typing import Any

from tracker.complaints.letters.letter_facts import LetterPost
from tracker.complaints.letters.reply_phrases import (
    Words,
    claims_a_work,
    complainant,
    formal_org,
    merged,
    platform_name,
    without_honorific,
)
from tracker.complaints.reading.platform_notices import PlatformNotice
from tracker.complaints.reading.scripts import JAPANESE
from tracker.complaints.views import StoredComplaint
from tracker.db.enums import LegalBasis

_TEAM_WORDS = ("team", "corp.", "事務局", "チーム", "サポート", "窓口")
"""Words a team's signature may end with: the salutation adds no "team" after them."""


def platform_phrases(table: dict[str, Any]) -> dict[str, Any]:
    """A language's phrases as a letter to a platform's team uses them: `[to_platform]` in place of the same keys."""
    variants = table.get("to_platform")
    return merged(table, variants) if isinstance(variants, dict) else table


def platform_salutation(words: Words, notice: PlatformNotice, platform: str | None) -> str:
    """Whom the letter greets: the team as it signed (`salutation_platform`), else the platform's team by the
    platform's name (`salutation_platform_unsigned`), else whoever reads it (`salutation_unnamed`). A team that signed
    in Japanese (pixiv事務局, BOOTH事務局) is greeted in an English letter by the platform's name, "Dear pixiv team,",
    not "Dear pixiv事務局,": a letter greets in its own language."""
    platform = platform or notice.platform
    if notice.team and not (words.language == "en" and JAPANESE.search(notice.team)):
        team = notice.team.removeprefix("The ").removeprefix("the ")  # "The Bluesky Team": Dear Bluesky Team
        if words.language == "en" and not team.lower().endswith(_TEAM_WORDS):
            team = words("platform_team", team=team)
        return words("salutation_platform", team=team)
    if platform:
        return words("salutation_platform_unsigned", platform=platform_name(words, platform))
    return words("salutation_unnamed")


def platform_opening(words: Words, notice: PlatformNotice, late: bool, titled: bool, **values: str) -> str:
    """The letter's first sentence: thanks for passing on the complaint of whom the notice names (or of nobody
    named) about the work by its title (`titled`; without one, no work is named: never "from Brightmill Studio
    Ltd. about the complainant's work"), then (when late) the apology for the delay. `values`: `received`,
    `ticket`, `work`."""
    named = without_honorific(notice.complainant)
    key = "thanks_platform" if named else "thanks_platform_unnamed"
    if not titled and f"{key}_untitled" in words.table:
        key += "_untitled"
    opening = words(key, complainant=named, **values)
    return opening + words("sentence_gap") + words("late_apology") if late else opening


def removed_by_the_platform(
    words: Words, values: dict[str, str], complaint: StoredComplaint, notice: PlatformNotice, posts: list[LetterPost]
) -> bool:
    """A take-down's removal as the platform's notice tells it, in `values`: when it says the platform removed the
    posts, "As your message says, the following post has been removed", and the owner accepts that without
    admitting anything. False (`values` as they were) when it does not say so."""
    if not notice.removed or not posts:
        return False
    values["removal"] = words("removed_by_the_platform")
    values["posts"] = "\n".join(words("bullet") + post.url for post in posts)
    values["offline"] = ""
    values["disclaimer"] = words("take_down_disclaimer_platform" + ("" if claims_a_work(complaint) else "_rules"))
    return True


def notice_sender(words: Words, complaint: StoredComplaint, notice: PlatformNotice | None) -> str:
    """Who sent the notice, as a counter letter names them to the platform: as the platform's notice did when an
    agent filed it for the rights holder ("Brightmill Studio Ltd. on behalf of Lena Park", 「Lena Park氏の代理人である
    Brightmill Studio Ltd.」, `complainant_agent`), so the platform finds the notice it forwarded; else the complainant
    as recorded (`complainant`). Only while the record still names whom the notice named (the owner's correction
    wins)."""
    named = complainant(words, complaint)
    phrase = words.table.get("complainant_agent")
    if notice is None or not notice.agent or not isinstance(phrase, str):
        return named
    recorded = without_honorific(complaint.complainant_name or complaint.complainant_org)
    if recorded != without_honorific(notice.complainant):
        return named
    return words("complainant_agent", agent=formal_org(without_honorific(notice.agent) or notice.agent), name=named)


_ASKING_KINDS = ("invalid", "ask_info")


def summary_request(
    words: Words, kind: str, basis: LegalBasis, notice: PlatformNotice | None, missing: list[str]
) -> str | None:
    """What an invalid or ask_info letter to a platform says of the elements of the notice its message does not
    show (`missing`, listed under it): its message sums up a notice the platform holds whole, so the letter asks it
    for a copy (`notice_request.txt`) and never tells it the notice lacks them (`[to_platform.summary_basis]`).
    None for any other letter, or when the phrases have no such sentence for the basis (then the letter is as
    before)."""
    if notice is None or kind not in _ASKING_KINDS or not missing:
        return None
    said = words.table.get("summary_basis")
    return words("summary_basis", basis.value) if isinstance(said, dict) and basis.value in said else None


def summary_warning(notice: PlatformNotice) -> str:
    """Told the owner with such a letter: why it asks for the notice instead of calling it incomplete."""
    holder = notice.team or "the platform"
    return (
        f"this letter asks {holder} for a copy of the whole notice: its message sums the notice up, so what is not "
        "in it may well be in the notice it received (the letter does not call the notice incomplete)"
    )
