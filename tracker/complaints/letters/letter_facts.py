"""What a reply letter reads of the record besides the complaint: the posts it is about with the models behind
them, the personas that may sign it, the posts taken down for another complaint, and whether a scrub handed the
complaint over to its persona.

Read as SQL text (`db.plain`) on whichever connection the command holds: the standard library's on a SQLite
file at this tracker's revision (`tracker complaint reply` loads no SQLAlchemy, half a second sooner), the
engine's connection or an ORM session anywhere else (PostgreSQL, an older file, `--answered`, `complaint
decide`, the TUI). The complaint itself is an ORM `Complaint` or a `stored.ComplaintRecord`: both are a
`LetterComplaint`. `replies` drafts the letter from these alone, so it is the same letter however it was read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol, TypeVar
from urllib.parse import urlsplit

from tracker.complaints.reading.platform_notices import platform_notice
from tracker.complaints.views import StoredComplaint, StoredDecision
from tracker.db.enums import HANDED_OVER, RESEMBLES, PostStatus
from tracker.db.plain import Readable, chunks, fetch_all, fetch_one, in_list, stored_json
from tracker.metadata.info import HASH_NOVELAI
from tracker.metadata.novelai import family_of

T = TypeVar("T")


class LetterComplaint(StoredComplaint, Protocol):
    """What a letter reads of a complaint: `views.StoredComplaint`, and the persona it is logged under."""

    @property
    def persona_id(self) -> int | None: ...


@dataclass(frozen=True)
class UsedResource:
    """A model, LoRA, VAE, ... a post's image was made with, in the order its metadata lists them."""

    kind: str
    name: str | None
    hash: str | None
    creator: str | None
    source_url: str | None
    hash_kind: str | None = None
    """How `hash` was computed (`novelai` for the id NovelAI writes in its `Source`, ...)."""

    @property
    def known_name(self) -> str | None:
        """The name a reader knows it by: NovelAI's model by its family ("NovelAI NAI Diffusion V3", not its
        `Source`'s "Stable Diffusion XL", which reads as the open base model); else its name."""
        if self.hash_kind != HASH_NOVELAI:
            return self.name
        named = family_of(self.hash) or self.name
        return named if named is None or named.startswith("NovelAI") else f"NovelAI {named}"


@dataclass(frozen=True)
class LetterPost:
    """A post as a letter speaks of it: where it is, whether it is up, and what its image was made with."""

    id: int
    url: str
    platform: str
    status: PostStatus
    persona_id: int
    """The persona of the account it was posted from."""
    generation_read: bool
    """Whether the image's generation parameters were read from its metadata."""
    has_techniques: bool
    """Whether an image-input technique (img2img, ControlNet, ...) is recorded for the image."""
    finding_codes: frozenset[str]
    """The codes of the accountability findings recorded when the image was logged."""
    resources: tuple[UsedResource, ...]


@dataclass(frozen=True)
class LetterPersona:
    """Who signs: the persona's names, its contact, and the platforms of its accounts (oldest account first)."""

    name: str
    display_name: str | None
    contact: str | None
    platforms: tuple[str, ...]

    def signed_contact(self) -> tuple[str, bool] | None:
        """The contact as the signature gives it, and whether it keeps a label the owner typed: a mail or contact
        label is the letter's own (`Mail: moth@example.org`, `連絡先：メール：…` is `moth@example.org`, under the
        letter's 「連絡先：」 or "Contact:"), a channel's name says more than it (`Discord: moth_makes` stands as
        typed). None when nothing is left."""
        contact = _CONTACT_LABEL.sub("", " ".join((self.contact or "").split()))
        if not contact:
            return None
        return contact, bool(_CHANNEL_LABEL.match(contact))


_CONTACT_LABEL = re.compile(
    r"^(?:(?:contact(?:\s+(?:me|info|address))?|e-?mail(?:\s+address)?|mail(?:\s+address)?|mailto"
    r"|(?:e|ｅ|Ｅ)?メール(?:アドレス)?|連絡先|ご?連絡|お問い?合わ?せ(?:先)?|問い?合わ?せ先)\s*[:：]\s*)+",
    re.IGNORECASE,
)
"""A label the owner typed before a contact that the letter's own (「連絡先：」, "Contact:") says already."""
_CHANNEL_LABEL = re.compile(r"[^\s:：/@]{1,20}\s*[:：]\s*(?!//)\S")
"""A channel's name the owner typed before a contact (`Discord: moth`, `X：@moth`), not a URL's scheme (`https://`)."""


@dataclass(frozen=True)
class LetterFacts:
    """Everything a letter reads besides the complaint (`read_letter_facts`)."""

    posts: dict[int, LetterPost]
    """The posts the decision and the complaint name that are still recorded, by number."""
    removed_for_others: frozenset[int]
    """Those down through another complaint's take-down (confirmed, not restored since)."""
    personas: dict[int, LetterPersona]
    """The complaint's persona and its posts', by number."""
    only_persona: LetterPersona | None
    """The archive's persona when it has exactly one (who signs when no post is known), else None."""
    handed_over: bool
    """Whether a scrub of another persona moved the complaint to its persona (`audit.HANDED_OVER`)."""
    resembled: bool = False
    """Whether the search for the complainant's pictures found a post of the owner's when the decision was made
    (`enums.RESEMBLES`): a not-my-post letter then never says nothing was found."""
    removed_on_other_notice: frozenset[int] = frozenset()
    """Those taken down that another complaint's platform notice says the platform removed (what made them
    `taken_down`: `platform_removed`), when this complaint's own messages say no such thing: removed, but never
    on this sender's notice."""

    def decision_posts(self, complaint: LetterComplaint, decision: StoredDecision) -> list[LetterPost]:
        """The posts a decision is about (the complaint's named posts when it names none), by number."""
        wanted = set(decision.post_ids or complaint.post_ids)
        return [self.posts[number] for number in sorted(wanted) if number in self.posts]

    def answering_id(self, complaint: LetterComplaint, decision: StoredDecision) -> int | None:
        """The number of the persona the letter answers as (`answering_persona`), or None with no post known."""
        named = [self.posts[n].persona_id for n in complaint.post_ids if n in self.posts]
        listed = [self.posts[n].persona_id for n in decision.post_ids or () if n in self.posts]
        return answering_persona(complaint.persona_id, named, listed)

    def persona(self, answering: int | None) -> LetterPersona | None:
        """Who signs: the persona answering (`answering_id`); with no post known, the archive's only persona.

        With several personas and no post, nobody is guessed: the letter keeps a place to sign, marked to fill in.
        """
        return self.personas.get(answering) if answering is not None else self.only_persona


def answering_persona(complaint: T | None, named: Sequence[T], listed: Sequence[T]) -> T | None:
    """The one persona a letter answers as (a number, or a name where the TUI has only that): the complaint's
    own, else that of the first post the complaint names, else that of the first post the decision lists (the
    TUI lists the best match first). The letter names only that persona's posts: another persona's, taken down in
    the same decision, are the owner's to know (`persona_split`), never the complainant's, who would learn that
    the two personas are one person."""
    if complaint is not None:
        return complaint
    first = list(named) or list(listed)
    return first[0] if first else None


_SPOKEN_OF = {
    "pixiv": r"pixiv(?!\s*fanbox)|ピクシブ",
    "x": r"twitter|x\.com|ツイッター|(?-i:(?<![A-Za-z0-9])X(?=で|に|の|上|[（(])|\bon X\b|\bX (?:post|account))",
    "bluesky": r"bluesky|bsky|ブルースカイ",
    "misskey": r"misskey|ミスキー",
    "civitai": r"civitai",
    "deviantart": r"deviantart",
    "tumblr": r"tumblr|タンブラー",
    "mastodon": r"mastodon|マストドン",
    "fanbox": r"fanbox",
    "booth": r"booth\.pm|(?-i:(?<![A-Za-z0-9])BOOTH(?![A-Za-z0-9]))",
    "skeb": r"skeb",  # never スケブ: a sketchbook too
}
"""How a complainant's message names a platform (`platforms_spoken_of`); a bare "X" is too common a letter to read."""


def platforms_spoken_of(text: str | None, platforms: Sequence[str]) -> list[str]:
    """Those of `platforms` (a persona's) that `text` (the complainant's message) names, in their order: where the
    complaint is about, when it names no post (a letter says where the persona posts only where they looked)."""
    said = text or ""
    return [key for key in platforms if key in _SPOKEN_OF and re.search(_SPOKEN_OF[key], said, re.IGNORECASE)]


def read_letter_facts(db: Readable, complaint: LetterComplaint, decision: StoredDecision) -> LetterFacts:
    """What the letter answering `decision` on `complaint` reads besides the complaint, on connection `db`."""
    posts = _posts(db, [*decision.post_ids, *complaint.post_ids])
    posts = {number: replace(post, url=as_named(post.url, complaint.message)) for number, post in posts.items()}
    only = [row[0] for row in fetch_all(db, "SELECT id FROM persona ORDER BY id LIMIT 2")]
    alone = only if len(only) == 1 else []
    wanted = {complaint.persona_id, *(post.persona_id for post in posts.values()), *alone}
    personas = _personas(db, [number for number in wanted if number is not None])
    down = [post.id for post in posts.values() if post.status is not PostStatus.LIVE]
    taken = [post.id for post in posts.values() if post.status is PostStatus.TAKEN_DOWN]
    return LetterFacts(
        posts=posts,
        removed_for_others=_removed_for_others(db, complaint.id, down),
        personas=personas,
        only_persona=personas.get(alone[0]) if alone else None,
        handed_over=_handed_over(db, complaint.id),
        resembled=_resembled(db, decision.id),
        removed_on_other_notice=_removed_on_other_notice(db, complaint.id, taken),
    )


_URL = re.compile(r"https?://[^\s<>\"'()（）「」『』【】、。]+", re.IGNORECASE)


_NOT_A_TITLE = frozenset({"photo", "video", "analytics", "likes", "retweets", "quotes", "history", "embed"})
"""Path segments after a post's id that are a view of it (X's `/photo/1`), not its title."""


def as_named(stored: str, message: str | None) -> str:
    """A post's URL as the letter names it: the stored one, or the same with the title the complainant's message
    gives it where the stored spelling dropped it (DeviantArt's `/moth/art/Night-Harbour-1100000004` is stored as
    `/moth/art/1100000004`, Tumblr's `/moth/123/night-harbour` as `/moth/123`), so they recognise the post they named.
    Only the path's title is taken from their words: the host, and no query or fragment (tracking) of theirs."""
    base = urlsplit(stored)
    segments = base.path.rstrip("/").split("/")
    if not message or not segments[-1].isdigit():
        return stored
    for found in _URL.finditer(message):
        try:
            parts = urlsplit(found.group(0).rstrip(".,;:!?"))
        except ValueError:  # `[url]https://their.site[/url]` pasted from a forum: square brackets in the host
            continue
        if parts.netloc.lower().removeprefix("www.") != base.netloc.lower().removeprefix("www."):
            continue
        theirs = parts.path.rstrip("/").split("/")
        titled = len(theirs) == len(segments) and theirs[-1].endswith("-" + segments[-1]) and len(theirs[-1]) > 1
        appended = len(theirs) == len(segments) + 1 and bool(theirs[-1]) and not theirs[-1].isdigit()
        appended = appended and theirs[-1].lower() not in _NOT_A_TITLE
        if theirs[: len(segments) - 1] == segments[:-1] and (titled or appended and theirs[-2] == segments[-1]):
            return f"{base.scheme}://{base.netloc}{parts.path.rstrip('/')}"
    return stored


_POSTS_SQL = """
SELECT p.id, p.url, p.platform, p.status, a.persona_id, p.image_id, i.generation, i.findings,
       EXISTS (SELECT 1 FROM technique AS t WHERE t.image_id = i.id)
FROM post AS p JOIN account AS a ON a.id = p.account_id JOIN image AS i ON i.id = p.image_id
WHERE p.id IN {listed}
"""
_RESOURCES_SQL = """
SELECT u.image_id, r.kind, r.name, r.hash, r.creator, r.source_url, r.hash_kind
FROM image_resource AS u JOIN resource AS r ON r.id = u.resource_id
WHERE u.image_id IN {listed} ORDER BY u.image_id, u.position, u.id
"""


def _posts(db: Readable, numbers: Iterable[int]) -> dict[int, LetterPost]:
    rows = []
    for part in chunks(sorted(set(numbers))):
        listed, params = in_list("post", part)
        rows += fetch_all(db, _POSTS_SQL.format(listed=listed), params)
    used = _resources(db, [row[5] for row in rows])
    found = {}
    for post_id, url, platform, status, persona_id, image_id, generation, findings, techniques in rows:
        codes = {f.get("code") for f in stored_json(findings) or [] if isinstance(f, dict)}
        found[post_id] = LetterPost(
            id=post_id,
            url=url,
            platform=platform,
            status=PostStatus(status),
            persona_id=persona_id,
            generation_read=stored_json(generation) is not None,
            has_techniques=bool(techniques),
            finding_codes=frozenset(code for code in codes if isinstance(code, str)),
            resources=tuple(used.get(image_id, [])),
        )
    return found


def _resources(db: Readable, images: list[int]) -> dict[int, list[UsedResource]]:
    """{image: the resources it was made with, in their order}."""
    found: dict[int, list[UsedResource]] = {}
    for part in chunks(sorted(set(images))):
        listed, params = in_list("image", part)
        for image_id, *resource in fetch_all(db, _RESOURCES_SQL.format(listed=listed), params):
            found.setdefault(image_id, []).append(UsedResource(*resource))
    return found


def _personas(db: Readable, numbers: list[int]) -> dict[int, LetterPersona]:
    found: dict[int, LetterPersona] = {}
    for part in chunks(sorted(numbers)):
        listed, params = in_list("persona", part)
        people = fetch_all(db, f"SELECT id, name, display_name, contact FROM persona WHERE id IN {listed}", params)
        accounts = fetch_all(
            db, f"SELECT persona_id, platform FROM account WHERE persona_id IN {listed} ORDER BY id", params
        )
        for persona_id, name, display_name, contact in people:
            platforms = tuple(platform for owner, platform in accounts if owner == persona_id)
            found[persona_id] = LetterPersona(name, display_name, contact, platforms)
    return found


def _removed_for_others(db: Readable, number: int, down: list[int]) -> frozenset[int]:
    """The posts of `down` taken down through another complaint's take-down (confirmed, not restored since)."""
    found: set[int] = set()
    for part in chunks(sorted(down)):
        listed, params = in_list("post", part)
        query = (
            "SELECT t.post_id FROM takedown AS t JOIN decision AS d ON d.id = t.decision_id"
            f" WHERE t.post_id IN {listed} AND t.restored_at IS NULL AND d.complaint_id != :complaint"
        )
        found.update(int(row[0]) for row in fetch_all(db, query, {**params, "complaint": number}))
    return frozenset(found)


def _says_removed(message: object, follow_ups: object) -> bool:
    """Whether a complaint's message, or a later one kept with it, is a platform's notice that says the platform
    removed the content (as `platform_removed.says_removed` reads it when it takes the posts down)."""
    later = stored_json(follow_ups) if follow_ups is not None else []
    texts = (
        [message, *(item.get("message") for item in later if isinstance(item, dict))]
        if isinstance(later, list)
        else [message]
    )
    for text in texts:
        notice = platform_notice(text) if isinstance(text, str) else None
        if notice is not None and notice.removed:
            return True
    return False


def _removed_on_other_notice(db: Readable, number: int, taken: list[int]) -> frozenset[int]:
    """The posts of `taken` that another complaint naming them says the platform removed, unless complaint
    `number`'s own messages say it too (then the platform told this sender it removed them)."""
    if not taken:
        return frozenset()
    own = fetch_one(db, "SELECT message, follow_ups FROM complaint WHERE id = :id", {"id": number})
    if own is not None and _says_removed(own[0], own[1]):
        return frozenset()
    found: set[int] = set()
    for part in chunks(sorted(taken)):
        listed, params = in_list("post", part)
        query = (
            "SELECT l.post_id, c.message, c.follow_ups FROM complaint_post AS l JOIN complaint AS c"
            f" ON c.id = l.complaint_id WHERE l.post_id IN {listed} AND c.id != :complaint"
        )
        rows = fetch_all(db, query, {**params, "complaint": number})
        found.update(int(post_id) for post_id, message, later in rows if _says_removed(message, later))
    return frozenset(found)


def _handed_over(db: Readable, number: int) -> bool:
    query = "SELECT id FROM event WHERE entity = 'complaint' AND entity_id = :id AND command = :command LIMIT 1"
    return fetch_one(db, query, {"id": number, "command": HANDED_OVER}) is not None


def _resembled(db: Readable, decision_id: int) -> bool:
    query = "SELECT id FROM event WHERE entity = 'decision' AND entity_id = :id AND action = :action LIMIT 1"
    return fetch_one(db, query, {"id": decision_id, "action": RESEMBLES}) is not None
