"""A letter to a platform that passed a complaint on (`platform_notices`): addressed to its team, not the complainant.

It greets the team as it signed (「pixiv事務局 御中」, "Dear Bluesky Trust & Safety team,"), thanks it for passing on
the complaint of the complainant it named (its case number kept), and never says the removal is "at your request":
the platform asked for nothing. When the notice says the platform has removed the post, the letter says it "has
been removed"; otherwise the owner is removing it. What the letter says of "your work" is the complainant's
(`[for_platform]` of the phrases). `replies` fills the template, then hands the values here.
"""

from __future__ import annotations

from tracker.complaints.letters.letter_facts import LetterPost
from tracker.complaints.letters.reply_phrases import Words, claims_a_work, platform_name, without_honorific
from tracker.complaints.reading.platform_notices import PlatformNotice
from tracker.complaints.views import StoredComplaint

_TEAM_WORDS = ("team", "corp.", "事務局", "チーム", "サポート", "窓口")
"""Words a team's signature may end with: the salutation adds no "team" after them."""


def platform_salutation(words: Words, notice: PlatformNotice, platform: str | None) -> str:
    """Whom the letter greets: the team as it signed (`salutation_platform`), else the platform's team by the
    platform's name (`salutation_platform_unsigned`), else whoever reads it (`salutation_unnamed`)."""
    if notice.team:
        team = notice.team.removeprefix("The ").removeprefix("the ")  # "The Bluesky Team": Dear Bluesky Team
        if words.language == "en" and not team.lower().endswith(_TEAM_WORDS):
            team = words("platform_team", team=team)
        return words("salutation_platform", team=team)
    if platform:
        return words("salutation_platform_unsigned", platform=platform_name(words, platform))
    return words("salutation_unnamed")


def address_platform(
    words: Words,
    values: dict[str, str],
    complaint: StoredComplaint,
    notice: PlatformNotice,
    kind: str,
    posts: list[LetterPost],
    late: bool,
) -> None:
    """The letter's `values` rewritten for the platform's team: its salutation, its opening (the complaint it
    passed on, from whom), and for a take-down, who removed the posts and why (never "at your request")."""
    values["salutation"] = platform_salutation(words, notice, complaint.platform)
    named = without_honorific(notice.complainant)
    key = "thanks_platform" if named else "thanks_platform_unnamed"
    opening = words(key, received=values["received"], ticket=values["ticket"], work=values["work"], complainant=named)
    values["opening"] = opening + words("sentence_gap") + words("late_apology") if late else opening
    if kind != "take_down":
        return
    if notice.removed and posts:
        values["removal"] = words("removed_by_the_platform")
        values["posts"] = "\n".join(words("bullet") + post.url for post in posts)
        values["offline"] = ""
        values["disclaimer"] = words("take_down_disclaimer_platform" + ("" if claims_a_work(complaint) else "_rules"))
    elif values["disclaimer"] in (
        words.table.get("take_down_disclaimer"),
        words.table.get("take_down_disclaimer_rules"),
    ):
        rules = values["disclaimer"] == words.table.get("take_down_disclaimer_rules")
        values["disclaimer"] = words("take_down_disclaimer_passed_on" + ("_rules" if rules else ""))
