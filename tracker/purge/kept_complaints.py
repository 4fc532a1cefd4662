"""Complaints about a scrubbed persona that another persona still needs, and how the scrub keeps them.

The owner may post one picture as two personas, and answer a complaint about one copy by taking
down both. That complaint is about the persona being scrubbed, but its decision also acted on
another persona's post: that post's take-down (done, or still to be confirmed) is the other
persona's record, and an unanswered complaint must never be forgotten. So the scrub keeps it
(`kept_complaints`) and hands it over (`cut_out`):

- it moves to the other persona (the one whose post it acted on first; the report names any more);
- its links to the scrubbed persona's posts, and their take-downs, go with those posts;
- its decisions no longer list those posts;
- the scrubbed persona's name, the name and address its letters were signed with, its handles and
  post URLs are cut out of its text, its decisions' notes and the audit entries of both (`REMOVED`
  stands in their place), and the persona's id out of those entries, so the database holds nothing
  of the persona afterwards; a post's URL is cut however it was written (its id on the site marks it),
  and a sentence for the complainant that named the persona is dropped rather than sent with a gap.
  The complainant's own words are not mangled: a name that is also an ordinary word goes only where it
  names the persona, and their work's title stays as they wrote it (`Redactor` says the rule).

Another persona's own complaint whose take-down also covered the scrubbed persona's copy (`touching`)
stays where it is, with the persona cut out of it the same way.

Which complaints are kept is read as SQL text (`owned.kept_by_scrub`), so that the checklist
(`purge status`) reads it without the ORM. Core statements on the scrub's connection, like the
rest of the scrub. Its one audit entry is the move
of each kept complaint (`audit.HANDED_OVER`, naming only the persona it goes to), so that a reply drafted
later warns that the earlier letters were signed by another persona.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Select, and_, insert, or_, select, update

from tracker.db.audit import HANDED_OVER
from tracker.db.models import (
    Complaint,
    ComplaintImage,
    ComplaintPost,
    Decision,
    Event,
    Takedown,
)
from tracker.purge.owned import REMOVED, KeptComplaint, kept_by_scrub
from tracker.support.dates import utcnow

__all__ = ["REMOVED", "KeptComplaint", "Redactor", "cut_out", "cut_out_notes", "kept_by_scrub", "touching"]

_TEXT_FIELDS = ("message", "reply_text", "claimed_title", "claimed_description", "claimed_urls")
"""The complaint's own fields that may quote the persona (the complainant's details are theirs)."""
_DECISION_TEXT = ("notes", "reply_note")
_WORD_START, _WORD_END = "(?<![A-Za-z0-9_])", "(?![A-Za-z0-9_])"
_URL_CHARS = r"[A-Za-z0-9._~:/?#@!$&*+,;=%-]*"
"""Characters of a URL written in running text (not brackets or quotes, which close it)."""


def cut_out_notes(
    kept: Sequence[KeptComplaint], touched: Sequence[int], dry_run: bool, emptied: Sequence[int] = ()
) -> list[str]:
    """What the scrub's report says of the complaints it kept and those it cut the persona out of."""
    notes = [c.note(dry_run) for c in kept]
    notes += [
        f"complaint #{n}'s decision in force was about this persona's posts only, so it names no post now: "
        f"decide it again (tracker complaint decide {n} ...) before answering"
        for n in emptied
    ]
    others = [number for number in touched if number not in {c.id for c in kept}]
    if others:
        notes.append(
            f"{'would cut' if dry_run else 'cut'} this persona's posts, name and URLs out of "
            f"{'complaint' if len(others) == 1 else 'complaints'} {', '.join(f'#{n}' for n in others)}, "
            "which stay: their take-downs covered its copies too"
        )
    return notes


def touching(conn: Connection, complaints: Select[Any], own_posts: Select[Any]) -> list[int]:
    """The other complaints (not among `complaints`, the persona's) that named, decided on or took down one
    of `own_posts`: another persona's complaint that took this one's copy down too. They stay where they
    are, with the persona cut out of them (`cut_out`)."""
    own = set(conn.execute(own_posts).scalars())
    acted = _acted_on(conn, select(Complaint.id).where(Complaint.id.not_in(complaints)))
    return sorted(number for number, posts in acted.items() if posts & own)


def _acted_on(conn: Connection, complaints: Select[Any]) -> dict[int, set[int]]:
    """The posts each of these complaints named, decided on or took down (by complaint number)."""
    acted: dict[int, set[int]] = defaultdict(set)
    named = select(ComplaintPost.complaint_id, ComplaintPost.post_id).where(ComplaintPost.complaint_id.in_(complaints))
    taken = (
        select(Decision.complaint_id, Takedown.post_id)
        .join(Takedown, Takedown.decision_id == Decision.id)
        .where(Decision.complaint_id.in_(complaints))
    )
    for query in (named, taken):
        for number, post_id in conn.execute(query):
            acted[int(number)].add(int(post_id))
    decided = select(Decision.complaint_id, Decision.post_ids).where(Decision.complaint_id.in_(complaints))
    for number, post_ids in conn.execute(decided):
        acted[int(number)].update(int(p) for p in post_ids or () if isinstance(p, int))
    return acted


class Redactor:
    """Cuts a persona out of stored values: its strings (name, handles, URLs), its id, its post ids.

    What counts as the persona: its posts' URLs (however written: the post's id on its site marks them), and its
    names, handles and addresses wherever they stand as a word, in any case (`Moth posted it`, `@Moth`, `Moth様`):
    the scrub is there to leave nothing that names the persona, so an ordinary word that is also its name goes too.

    The complainant's work title (`claimed_title`) is theirs: it is kept as they wrote it, where it stands on
    its own and inside their message (`text(value, keep=title)`), unless it is the persona's name or handle
    itself; a title that held a URL of the persona loses that URL without a `[removed]` in its place (`title`).
    """

    def __init__(
        self, strings: Iterable[str], persona_id: int, post_ids: Collection[int], site_ids: Iterable[str] = ()
    ) -> None:
        pieces = sorted({s.strip() for s in strings if s and s.strip()}, key=len, reverse=True)
        self.names = {p.casefold() for p in pieces}
        # A post's own id on its site (pixiv's 120000004, an X status number) names it however its URL is
        # written (pixiv.net/en/artworks/…, twitter.com/…, ?utm_source=…): the whole URL-like run around it
        # goes, and the id alone too. Short ids (under 6 characters) could be any number: not cut.
        ids = sorted({i.strip() for i in site_ids if i and len(i.strip()) >= 6}, key=len, reverse=True)
        addresses = [rf"{_URL_CHARS}{_WORD_START}{re.escape(i)}{_WORD_END}{_URL_CHARS}" for i in ids]
        # A URL wherever it starts, but not as the start of a longer one (…/555000003 inside …/5550000031).
        addresses += [rf"{re.escape(p)}{_WORD_END}" for p in pieces if "://" in p]
        addresses += [
            rf"{re.escape(p.split('://', 1)[1])}{_WORD_END}" for p in pieces if "://" in p and p.split("://", 1)[1]
        ]
        # A name, handle or e-mail address is cut where it stands as a word (not inside a longer ASCII word).
        names = [rf"{_WORD_START}(?i:{re.escape(p)}){_WORD_END}" for p in pieces if "://" not in p]
        self.url_pattern = re.compile("|".join(addresses), re.IGNORECASE) if addresses else None
        self.pattern = re.compile("|".join(addresses + names)) if addresses or names else None
        self.persona_id = persona_id
        self.post_ids = set(post_ids)

    def text(self, value: str, keep: str | None = None) -> str:
        """The text with the persona cut out; `keep` (the complainant's work title) is left as written wherever
        it stands, in any case (`MOTH GARDEN`, `moth garden` for the title `Moth Garden`: each occurrence as the
        text has it), unless it is the persona's name or handle itself."""
        if self.pattern is None:
            return value
        if keep and keep.strip() and keep.strip().casefold() not in self.names:
            # Split around each occurrence (captured, so kept as written); only the text between is cut.
            parts = re.split(f"({re.escape(keep.strip())})", value, flags=re.IGNORECASE)
            return "".join(part if index % 2 else self.pattern.sub(REMOVED, part) for index, part in enumerate(parts))
        return self.pattern.sub(REMOVED, value)

    def title(self, value: str | None) -> str | None:
        """The complainant's work title: as written, but None when it is the persona's name or handle, and without
        (not `[removed]` for) a URL of the persona in it: a reply quotes it, and must never show a gap in it."""
        if not value or self.pattern is None:
            return value
        if value.strip().casefold() in self.names:
            return None
        cut = " ".join(self.url_pattern.sub(" ", value).split()) if self.url_pattern else value
        return (cut or None) if cut != " ".join(value.split()) else value

    def value(self, value: Any, key: str | None = None) -> Any:
        """The value with the persona cut out (JSON-like: strings, lists, dicts, numbers)."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {k: self.value(v, k) for k, v in value.items()}
        if isinstance(value, list):
            if key in ("post_ids", "persona_id", "post_id") and any(isinstance(v, list) for v in value):
                return [self.value(v, key) for v in value]  # an audit entry's [old, new]
            if key == "post_ids":
                return [p for p in value if p not in self.post_ids]
            if key == "persona_id":
                return [None if p == self.persona_id else p for p in value]
            if key == "post_id":
                return [None if p in self.post_ids else p for p in value]
            return [self.value(v) for v in value]
        return value


def cut_out(conn: Connection, complaints: Mapping[int, int | None], redactor: Redactor) -> list[int]:
    """Cut the scrubbed persona out of these complaints, and move each to the persona it maps to (None:
    it stays where it is); see the module docstring. Run after the scrubbed rows are deleted.

    Returns the complaints whose decision in force was about the scrubbed persona's posts only (a revision
    that disputed only its copy, say): it names no post now, and wants deciding again."""
    emptied: list[int] = []
    complaint_table, decision_table = Complaint.__table__, Decision.__table__
    decisions: dict[int, list[int]] = defaultdict(list)
    query = select(Decision.complaint_id, Decision.id).where(Decision.complaint_id.in_(list(complaints)))
    for number, decision_id in conn.execute(query):
        decisions[int(number)].append(int(decision_id))
    for number, persona_id in complaints.items():
        columns = [getattr(complaint_table.c, name) for name in _TEXT_FIELDS]
        found = conn.execute(select(*columns).where(complaint_table.c.id == number)).one()
        row = dict(zip(_TEXT_FIELDS, found, strict=True))
        title = row["claimed_title"]
        changed = {
            name: redactor.text(old, keep=title) if isinstance(old, str) else redactor.value(old)
            for name, old in row.items()
        }
        changed["claimed_title"] = redactor.title(title)
        if persona_id is not None:
            changed["persona_id"] = persona_id
            moved = {"persona_id": [None, persona_id]}  # from a persona it no longer names
            conn.execute(
                insert(Event.__table__).values(
                    at=utcnow(),
                    entity="complaint",
                    entity_id=number,
                    action="update",
                    changes=moved,
                    command=HANDED_OVER,
                )
            )
        conn.execute(update(complaint_table).where(complaint_table.c.id == number).values(**changed))
        for decision_id in decisions.get(number, []):
            columns = [decision_table.c.post_ids, *(getattr(decision_table.c, n) for n in _DECISION_TEXT)]
            post_ids, *texts = conn.execute(select(*columns).where(decision_table.c.id == decision_id)).one()
            values: dict[str, Any] = {"post_ids": redactor.value(list(post_ids or []), "post_ids")}
            values.update((name, redactor.value(text)) for name, text in zip(_DECISION_TEXT, texts, strict=True))
            if values["reply_note"] != texts[-1]:  # it named the persona: never sent with a gap in it
                values["reply_note"] = None
            if post_ids and not values["post_ids"] and decision_id == max(decisions[number]):
                emptied.append(number)
            conn.execute(update(decision_table).where(decision_table.c.id == decision_id).values(**values))
    images = ComplaintImage.__table__
    names = select(images.c.id, images.c.original_name).where(images.c.complaint_id.in_(list(complaints)))
    for image_id, name in conn.execute(names).all():
        cleaned = redactor.text(name)
        if cleaned != name:  # the complainant's screenshot named after the persona's post
            conn.execute(update(images).where(images.c.id == image_id).values(original_name=cleaned))
    _redact_events(conn, list(complaints), redactor, decisions)
    return emptied


def _redact_events(
    conn: Connection, numbers: Sequence[int], redactor: Redactor, decisions: Mapping[int, list[int]]
) -> None:
    """Cut the persona out of the audit entries of these complaints, their decisions, links and take-downs."""
    decision_ids = [d for c in numbers for d in decisions.get(c, [])]
    links = select(ComplaintPost.id).where(ComplaintPost.complaint_id.in_(numbers))
    takedowns = select(Takedown.id).where(Takedown.decision_id.in_(decision_ids))
    images = select(ComplaintImage.id).where(ComplaintImage.complaint_id.in_(numbers))
    about = or_(
        and_(Event.entity == "complaint", Event.entity_id.in_(numbers)),
        and_(Event.entity == "complaint_image", Event.entity_id.in_(images)),
        and_(Event.entity == "decision", Event.entity_id.in_(decision_ids)),
        and_(Event.entity == "complaint_post", Event.entity_id.in_(links)),
        and_(Event.entity == "takedown", Event.entity_id.in_(takedowns)),
    )
    event_table = Event.__table__
    for event_id, changes in conn.execute(select(Event.id, Event.changes).where(about)).all():
        cleaned = redactor.value(changes)
        if cleaned != changes:
            conn.execute(update(event_table).where(event_table.c.id == event_id).values(changes=cleaned))
