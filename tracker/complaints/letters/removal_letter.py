"""What a take-down letter says of the posts it removes: who removed each one, and whether the work was an input.

A post the owner removes (or has removed, confirmed: a `Takedown` of this complaint) is "removed at your request":
"I have removed" once confirmed, "I am removing" before, each post as far as it has gone (`owner_removal`).
One that was offline before (deleted by the owner, taken down for another complaint) is named apart, "already
offline". One the platform removed (`taken_down` with no take-down of the owner's behind it: README, `post set
--status`) is said to be removed by the platform, on their notice when the complaint came through it (but for a post
another complaint's notice says the platform removed: "already removed", on nobody's notice), and the owner accepts
that without admitting anything. `replies` fills the take-down template with these.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracker.accountability.rules import IDENTITY_INPUT, INPUT_IMAGE, NO_METADATA
from tracker.complaints.letters.letter_facts import LetterFacts, LetterPost
from tracker.complaints.letters.reply_phrases import Words, platform_name
from tracker.complaints.views import StoredComplaint
from tracker.db.enums import Channel, PostStatus

_INPUT_CLAIM = re.compile(
    r"元画像|元絵|入力画像|i2i|img2img|image[- ]?to[- ]?image|\b(?:source|input|base) image|\bas (?:an? |the )?input\b"
    r"|controlnet|ip-?adapter"
    r"|(?:絵|イラスト|作品|画像|写真|原画|もの|[」』])\s*(?:を|から)\s*(?:元|もと|基|ベース|下敷き)に|トレース|トレパク|を加工"
    r"|\btrac(?:ed|ing|es)\b|\btrace of\b"
    r"|\b(?:based on|made from|generated from|created from) (?:my|our|the|his|her|their|your client's) (?:own )?"
    r"(?:art|artwork|work|image|picture|illustration|drawing|painting|photo)",
    re.IGNORECASE,
)
"""A complaint saying the work was used as an image input: 「AI生成の元画像として利用」, "used as the source image", and
the work a post was made from or traced (「私の絵を元にした画像」, をもとに, をベースに, トレース, "based on my art",
"traced"). Not 「参考にした」 nor "inspired by": a reference or a style is no input image, and saying the work was
not one would answer a claim they did not make."""


def input_note(
    words: Words, complaint: StoredComplaint, posts: list[LetterPost], facts: LetterFacts, listed: int | None = None
) -> str:
    """A take-down's answer to "you used my work as the source image", when the complaint says so and the record
    proves it false for every post: generation metadata read, no image-input technique, no identity module. The
    removal is no admission; this says the one thing the record settles. "" otherwise.

    "Every post" is every one the letter is about and every one the complaint names (`facts.posts`), those that
    stay up too: the sentence reads as said of all of them, so one named post whose metadata was never read (or
    that records an image input) leaves it out. It speaks of the images the letter lists (`listed`: how many, the
    removed posts and those it names as staying up; `posts` when not given): 「該当の画像は」 for one, never
    「いずれも」 counting a named post the letter does not show (one offline before the complaint)."""
    said = " ".join(text for text in (complaint.message, complaint.claimed_description) if text)
    if not posts or not _INPUT_CLAIM.search(said) or not isinstance(words.table.get("no_input_image"), str):
        return ""
    taken = {post.id for post in posts}
    spoken = [*posts, *(post for number, post in sorted(facts.posts.items()) if number not in taken)]
    for post in spoken:
        if not post.generation_read or post.has_techniques:
            return ""
        if post.finding_codes & {IDENTITY_INPUT, INPUT_IMAGE, NO_METADATA}:
            return ""
    return Words(words.table, words.language, len(posts) if listed is None else listed)("no_input_image")


def owner_removal(words: Words, posts: list[LetterPost]) -> tuple[str, str]:
    """(`$removal`, `$posts`) for the posts the owner removes at this request: "I have removed" those no longer
    live (the removal confirmed), "I am removing" the live ones. When some are each, the removed ones come first and
    the ones still to remove follow under their own sentence (`removing_also`, in `$posts`: a template made before
    it still says both), so no post still online is called removed, nor one gone still to be removed."""
    done = [post for post in posts if post.status is not PostStatus.LIVE]
    still = [post for post in posts if post.status is PostStatus.LIVE]

    def said(key: str, group: list[LetterPost]) -> str:
        return Words(words.table, words.language, len(group))(key)

    def listed(group: list[LetterPost]) -> str:
        return "\n".join(words("bullet") + post.url for post in group)

    if done and still and isinstance(words.table.get("removing_also"), str):
        return said("removed", done), f"{listed(done)}\n\n{said('removing_also', still)}\n{listed(still)}"
    return said("removing" if still else "removed", posts), listed(posts)


def removal_state(posts: list[LetterPost]) -> str:
    """How far the owner's removal of `posts` has gone, as the suffix of a phrase that says it: `_done` (every
    one removed), `_some` (some removed, some still live), "" (none removed yet, or no post)."""
    gone = sum(post.status is not PostStatus.LIVE for post in posts)
    return "_done" if posts and gone == len(posts) else "_some" if gone else ""


def removed_by_owner(
    complaint: StoredComplaint, posts: list[LetterPost], removed_for_others: frozenset[int]
) -> list[LetterPost]:
    """A take-down's posts the owner removes at this request: not those offline before it, nor those the platform
    removed (`not_removed_here` names those apart); what the disclaimer's "I am removing it" speaks of."""
    offline = _offline(complaint, posts, removed_for_others)
    return [post for post in posts if post not in offline.before and post not in offline.by_platform]


@dataclass(frozen=True)
class _Offline:
    """A take-down's posts not removed by the owner on this notice, by who removed them."""

    before: list[LetterPost]
    """Offline before it: deleted by the owner, or taken down for another complaint."""
    by_platform: list[LetterPost]
    """Removed by the platform (`taken_down`, with no take-down of the owner's behind it)."""


def _offline(complaint: StoredComplaint, posts: list[LetterPost], removed_for_others: frozenset[int]) -> _Offline:
    before = [p for p in posts if p.id in removed_for_others or p.status is PostStatus.DELETED]
    mine = {row.post_id for earlier in complaint.decisions for row in earlier.takedowns}
    platform = [p for p in posts if p.status is PostStatus.TAKEN_DOWN and p not in before and p.id not in mine]
    return _Offline(before, platform)


def not_removed_here(
    words: Words,
    values: dict[str, str],
    complaint: StoredComplaint,
    posts: list[LetterPost],
    facts: LetterFacts,
    work_claimed: bool,
) -> None:
    """A take-down's posts that the owner is not removing at this sender's request, named apart (`$offline`) in
    `values`: those offline before it (removed for another complaint, deleted) and those the platform removed.
    When no post is removed by the owner, the removal sentence is the first of these, and the request's
    disclaimer goes (nothing was removed at their request) or, for the platform's removal, says the owner
    accepts it without admitting anything (`take_down_disclaimer_platform`). A post another complaint's platform
    notice removed (`facts.removed_on_other_notice`) is "already removed", never removed "on your notice" of one
    that came through the platform too."""
    if "already_offline" not in words.table:
        return
    offline = _offline(complaint, posts, facts.removed_for_others)
    other_notice = facts.removed_on_other_notice
    gone = offline.by_platform if "removed_by_platform" in words.table else []
    if not offline.before and not gone:
        return
    removed_now = [p for p in posts if p not in offline.before and p not in gone]
    groups: list[tuple[str, list[LetterPost]]] = []
    if gone:
        noticed = bool(complaint.platform) or complaint.channel is Channel.PLATFORM_FORM
        # the platform's notice of another complaint removed these: never "on your notice" of this one
        elsewhere = [p for p in gone if noticed and p.id in other_notice and "removed_already" in words.table]
        for key, group in (
            ("removed_on_notice" if noticed else "removed_by_platform", [p for p in gone if p not in elsewhere]),
            ("removed_already", elsewhere),
        ):
            if group:
                said = Words(words.table, words.language, len(group))
                groups.append((said(key, platform=platform_name(words, group[0].platform)), group))
    if offline.before:
        groups.append((Words(words.table, words.language, len(offline.before))("already_offline"), offline.before))
    paragraphs = ["\n".join([heading, *(words("bullet") + post.url for post in group)]) for heading, group in groups]
    if removed_now:
        values["removal"], values["posts"] = owner_removal(words, removed_now)
        values["offline"] = "\n\n".join(paragraphs)
        return
    first, *rest = paragraphs
    values["removal"], values["posts"] = first.split("\n", 1)
    values["offline"] = "\n\n".join(rest)
    accepted = "take_down_disclaimer_platform" + ("" if work_claimed else "_rules")
    values["disclaimer"] = str(words.table.get(accepted) or "") if gone else ""
