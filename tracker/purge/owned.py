"""A persona's rows as its scrub selects them, in SQL text: what the scrub deletes and the checklist counts.

One statement per table (`OWNED`), used by both: the scrub gathers the ids they select and deletes
them (`scrub`), and `purge status` and a `purge plan` whose run has started count them. Written as
SQL text with named parameters (`db.plain`), they run on the standard library's driver (`db.quick`:
no SQLAlchemy loaded, the command starts at once), on a SQLAlchemy connection or on an ORM session,
on SQLite and PostgreSQL alike.

The complaints the scrub keeps for another persona (`kept_by_scrub`) are read here too, for the
checklist and the scrub alike.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tracker.db.plain import Readable, chunks, fetch_all, fetch_one, in_list, stored_json, stored_moment

REMOVED = "[removed]"
"""What stands where the scrubbed persona's name, handle or post URL was."""

_ACCOUNTS = "SELECT account.id FROM account WHERE account.persona_id = :pid"
_POSTS = f"SELECT post.id FROM post WHERE post.account_id IN ({_ACCOUNTS})"
_IMAGES = f"""SELECT i.id FROM image AS i
WHERE (
    i.persona_id = :pid
    OR EXISTS (SELECT 1 FROM post AS ph WHERE ph.image_id = i.id AND ph.account_id IN ({_ACCOUNTS}))
    OR EXISTS (
        SELECT 1 FROM post_page AS pg JOIN post AS pp ON pp.id = pg.post_id
        WHERE pg.image_id = i.id AND pp.account_id IN ({_ACCOUNTS})
    )
)
AND (i.persona_id IS NULL OR i.persona_id = :pid)
AND NOT EXISTS (
    SELECT 1 FROM post AS op JOIN account AS oa ON oa.id = op.account_id
    WHERE op.image_id = i.id AND oa.persona_id != :pid
)
AND NOT EXISTS (
    SELECT 1 FROM post_page AS og JOIN post AS gp ON gp.id = og.post_id JOIN account AS ga ON ga.id = gp.account_id
    WHERE og.image_id = i.id AND ga.persona_id != :pid
)
AND NOT EXISTS (
    SELECT 1 FROM image_input AS ii JOIN image AS oo ON oo.id = ii.image_id
    WHERE ii.input_image_id = i.id AND oo.persona_id != :pid
)"""
_RESOURCES = f"""SELECT r.id FROM resource AS r
WHERE EXISTS (SELECT 1 FROM image_resource AS ir WHERE ir.resource_id = r.id AND ir.image_id IN ({_IMAGES}))
AND NOT EXISTS (SELECT 1 FROM image_resource AS ou WHERE ou.resource_id = r.id AND ou.image_id NOT IN ({_IMAGES}))"""
_UNLINKED = """SELECT complaint.id FROM complaint WHERE complaint.persona_id IS NULL
AND NOT EXISTS (SELECT 1 FROM complaint_post AS linked WHERE linked.complaint_id = complaint.id)"""
"""Complaints linked to no persona and naming no post: whose they are, tracker cannot tell."""
ONLY_PERSONA = "NOT EXISTS (SELECT 1 FROM persona AS other WHERE other.id != :pid)"
"""True while persona `:pid` is the only one in the database."""
_COMPLAINTS = f"""SELECT complaint.id FROM complaint
WHERE (complaint.persona_id = :pid OR (complaint.persona_id IS NULL AND complaint.id IN (
    SELECT complaint_post.complaint_id FROM complaint_post WHERE complaint_post.post_id IN ({_POSTS})
)) OR ({ONLY_PERSONA} AND complaint.id IN ({_UNLINKED}))){{kept}}"""
_RUNS = "SELECT purge_run.id FROM purge_run WHERE purge_run.persona_id = :pid"
_DECISIONS = f"SELECT decision.id FROM decision WHERE decision.complaint_id IN ({_COMPLAINTS})"

OWNED: dict[str, str] = {
    "purge_item": f"SELECT purge_item.id FROM purge_item WHERE purge_item.run_id IN ({_RUNS})",
    "purge_run": _RUNS,
    "takedown": f"SELECT takedown.id FROM takedown WHERE takedown.post_id IN ({_POSTS})"
    f" OR takedown.decision_id IN ({_DECISIONS})",
    "decision": _DECISIONS,
    "complaint_post": "SELECT complaint_post.id FROM complaint_post"
    f" WHERE complaint_post.complaint_id IN ({_COMPLAINTS}) OR complaint_post.post_id IN ({_POSTS})",
    "complaint_image": "SELECT complaint_image.id FROM complaint_image"
    f" WHERE complaint_image.complaint_id IN ({_COMPLAINTS})",
    "complaint": _COMPLAINTS,
    "post_page": f"SELECT post_page.id FROM post_page WHERE post_page.post_id IN ({_POSTS})"
    f" OR post_page.image_id IN ({_IMAGES})",
    "post": _POSTS,
    "image_resource": f"SELECT image_resource.id FROM image_resource WHERE image_resource.image_id IN ({_IMAGES})",
    "image_input": f"SELECT image_input.id FROM image_input WHERE image_input.image_id IN ({_IMAGES})",
    "technique": f"SELECT technique.id FROM technique WHERE technique.image_id IN ({_IMAGES})",
    "image_name": f"SELECT image_name.id FROM image_name WHERE image_name.persona_id = :pid"
    f" OR image_name.image_id IN ({_IMAGES})",
    "image": _IMAGES,
    "resource": _RESOURCES,
    "account": _ACCOUNTS,
    "persona": "SELECT persona.id FROM persona WHERE persona.id = :pid",
}
"""The ids of the rows the scrub of persona `:pid` deletes, one SELECT per table (by table name).

An image goes only when no other persona uses it (posted it, as a post's first image or a further page, or has
it as its own, or made an image from it); one that another persona also posted stays. A complaint goes when it
is about this persona (it names the persona's posts, its replies quote them, and its complainant's personal
data has no other purpose), or names no post and is linked to no persona while this persona is the only one
(then it can only be about this one: `unlinked_complaints`), unless the scrub keeps it for another persona
(`kept_by_scrub`: it acted on another persona's post too); a kept one loses only its links to, and take-downs
of, the persona's posts. A model (`resource`) goes when only this persona's images named it. The file names the
persona logged or imported images from go (`image_name`), and every name of an image that goes.

`{kept}` stands where the complaints the scrub keeps for another persona are left out (`owned_rows`)."""

USED_IMAGES = """SELECT i.id FROM image AS i
WHERE i.persona_id = :pid OR EXISTS (
    SELECT 1 FROM post AS p JOIN account AS a ON a.id = p.account_id WHERE p.image_id = i.id AND a.persona_id = :pid
) OR EXISTS (
    SELECT 1 FROM post_page AS g JOIN post AS p ON p.id = g.post_id JOIN account AS a ON a.id = p.account_id
    WHERE g.image_id = i.id AND a.persona_id = :pid
)"""
"""Every image the persona posted or holds, those another persona uses too (the scrub's `ownership.used_images`)."""


@dataclass(frozen=True)
class Owned:
    """The SQL of the rows a persona's scrub deletes (`OWNED`), with the parameters they all take."""

    sql: dict[str, str]
    params: dict[str, Any]

    def count(self, db: Readable, table: str) -> int:
        """How many rows of `table` the scrub deletes."""
        return count_of(db, self.sql[table], self.params)


def owned_rows(persona_id: int, kept: Collection[int] = ()) -> Owned:
    """`OWNED` for one persona, the complaints in `kept` left out (they stay, for another persona)."""
    clause, params = not_in("complaint.id", "kept", sorted(kept))
    return Owned({table: sql.replace("{kept}", clause) for table, sql in OWNED.items()}, {"pid": persona_id, **params})


def not_in(column: str, name: str, values: Collection[Any]) -> tuple[str, dict[str, Any]]:
    """` AND column NOT IN (...)` for each run of `values` (nothing for none), and its parameters."""
    clause, params = "", {}
    for number, part in enumerate(chunks(list(values))):
        listed, more = in_list(f"{name}{number}", part)
        clause += f" AND {column} NOT IN {listed}"
        params.update(more)
    return clause, params


def count_of(db: Readable, sql: str, params: Mapping[str, Any]) -> int:
    """The number of rows one SELECT gives."""
    row = fetch_one(db, f"SELECT count(*) FROM ({sql}) AS counted", params)
    return int(row[0]) if row is not None else 0


# ---------------------------------------------------------------------------- complaints linked to nothing


@dataclass(frozen=True)
class UnlinkedComplaint:
    """A complaint linked to no persona and naming no post (logged before its post was found, or never matched)."""

    id: int
    received: str
    """The day it arrived (YYYY-MM-DD)."""
    sender: str
    images: int
    same_as_persona: int = 0
    """How many of its images are byte for byte an image of the persona being scrubbed (a strong hint whose it is)."""

    def line(self) -> str:
        """`#4, received 2026-12-06 from Unlinked Person, 1 image (the same file as one of this persona's)`."""
        sent = f" from {self.sender}" if self.sender else ""
        pictures = f", {self.images} image{'s' if self.images != 1 else ''}" if self.images else ""
        if self.same_as_persona:
            which = (
                "it is"
                if self.images == 1
                else f"{self.same_as_persona} of them {'is' if self.same_as_persona == 1 else 'are'}"
            )
            pictures += f" ({which} the same file as an image of this persona's)"
        return f"#{self.id}, received {self.received}{sent}{pictures}"


@dataclass(frozen=True)
class Unlinked:
    """The complaints linked to nothing when a persona is scrubbed, and whether the scrub takes them."""

    complaints: tuple[UnlinkedComplaint, ...]
    only_persona: bool
    """The persona is the only one: the complaints can only be about it, and its scrub deletes them. Otherwise
    they may be another persona's: the scrub keeps them, and the checklist asks the owner to link them."""

    def numbers(self) -> str:
        """`#4, #7`."""
        return ", ".join(f"#{c.id}" for c in self.complaints)

    def notes(self, dry_run: bool) -> list[str]:
        """What the scrub's report says of them: with this persona the only one, they go with it; else they
        stay, named, since they may be another persona's."""
        count = len(self.complaints)
        if not count:
            return []
        listed = "; ".join(complaint.line() for complaint in self.complaints)
        one = count == 1
        if self.only_persona:
            return [
                f"{'would delete' if dry_run else 'deleted'} {count} complaint{'' if one else 's'} linked to no "
                f"persona or post ({listed}): no other persona is in tracker, so "
                f"{'it was' if one else 'they were'} about this one"
            ]
        them = "it" if one else "them"
        return [
            f"{'would keep' if dry_run else 'kept'} {count} complaint{'' if one else 's'} linked to no persona or "
            f"post ({listed}): {'it' if one else 'they'} may be another persona's (link one to its persona: "
            f"tracker complaint set N --persona NAME); nothing of this persona was cut out of {them}, so read "
            f"{them} in case {'it' if one else 'one'} was about this persona"
        ]


def unlinked_complaints(db: Readable, persona_id: int) -> Unlinked:
    """The complaints linked to no persona and naming no post, as the scrub of this persona treats them."""
    sql = f"""SELECT complaint.id, complaint.received_at, complaint.complainant_name, complaint.complainant_org,
(SELECT count(*) FROM complaint_image WHERE complaint_image.complaint_id = complaint.id),
(SELECT count(*) FROM complaint_image AS same WHERE same.complaint_id = complaint.id
    AND same.sha256 IN (SELECT own.sha256 FROM image AS own WHERE own.id IN ({USED_IMAGES})))
FROM complaint WHERE complaint.id IN ({_UNLINKED}) ORDER BY complaint.id"""
    complaints = tuple(
        UnlinkedComplaint(
            int(number), stored_moment(received).date().isoformat(), str(name or org or ""), int(images), int(same)
        )
        for number, received, name, org, images, same in fetch_all(db, sql, {"pid": persona_id})
    )
    alone = fetch_one(db, f"SELECT 1 WHERE {ONLY_PERSONA}", {"pid": persona_id}) is not None
    return Unlinked(complaints, alone)


def unlinked_since(db: Readable, numbers: Collection[int], moment: datetime) -> list[int]:
    """Those of the complaints `numbers` (linked to nothing now) that became so after `moment`: logged since,
    or since then unlinked from their persona (`complaint set --persona ''`) or from the posts they named.

    The owner's mark on the unlinked-complaints item covers the complaints they looked at; one of these was
    not among them. Read from each complaint's `created_at` and the audit trail, so no mark stores a list.
    """
    wanted = set(numbers)
    later: set[int] = set()
    for part in chunks(sorted(wanted)):
        listed, ids = in_list("c", part)
        for number, created in fetch_all(db, f"SELECT id, created_at FROM complaint WHERE id IN {listed}", ids):
            if stored_moment(created) > moment:
                later.add(int(number))
        updates = (
            f"SELECT entity_id, at, changes FROM event WHERE entity = 'complaint' AND action = 'update'"
            f" AND entity_id IN {listed}"
        )
        for number, at, changes in fetch_all(db, updates, ids):
            persona = (stored_json(changes) or {}).get("persona_id")
            if isinstance(persona, list) and persona[-1] is None and stored_moment(at) > moment:
                later.add(int(number))
    unlinks = "SELECT at, changes FROM event WHERE entity = 'complaint_post' AND action = 'delete'"
    for at, changes in fetch_all(db, unlinks):
        complaint = (stored_json(changes) or {}).get("complaint_id")
        if isinstance(complaint, list) and complaint[0] in wanted and stored_moment(at) > moment:
            later.add(int(complaint[0]))
    return sorted(later)


# ---------------------------------------------------------------------------- kept complaints


@dataclass(frozen=True)
class KeptComplaint:
    """A complaint the scrub keeps: its number, the persona it goes to, and that persona's posts it acted on."""

    id: int
    persona_id: int
    persona: str
    post_ids: tuple[int, ...]
    others: tuple[tuple[str, tuple[int, ...]], ...] = ()
    """Posts of yet other personas it acted on too: (persona, post ids); it goes to the first persona only."""

    def acted_on(self) -> str:
        """`kite's post #2 and owl's post #3`."""
        parts = [(self.persona, self.post_ids), *self.others]
        return " and ".join(
            f"{persona}'s post{'s' if len(posts) > 1 else ''} {', '.join(f'#{n}' for n in posts)}"
            for persona, posts in parts
        )

    def note(self, dry_run: bool) -> str:
        """What the scrub's report says of it."""
        return (
            f"complaint #{self.id} {'would stay' if dry_run else 'stays'}, now under persona {self.persona}: "
            f"it also acted on {self.acted_on()}. This persona's posts, name, handles and URLs are cut out of "
            f"it (shown as {REMOVED}); a sentence meant for the complainant that named it is dropped. Read the "
            f"next reply before sending it: it is signed as {self.persona}."
        )


def kept_by_scrub(db: Readable, persona_id: int) -> list[KeptComplaint]:
    """The complaints the scrub of this persona keeps for another persona (`kept_complaints`): those of
    its complaints that named, decided on or took down a post of another persona that still exists."""
    params = {"pid": persona_id}
    complaints = _COMPLAINTS.replace("{kept}", "")
    acted = acted_on(db, complaints, params)
    own = {int(row[0]) for row in fetch_all(db, _POSTS, params)}
    others = sorted({p for posts in acted.values() for p in posts} - own)
    owners: dict[int, tuple[int, str]] = {}
    for part in chunks(others):
        listed, ids = in_list("post", part)
        rows = fetch_all(db, _OWNERS.format(ids=listed), ids)
        owners.update((int(post), (int(persona), str(name))) for post, persona, name in rows)
    return kept_from(acted, owners)


_OWNERS = """SELECT post.id, persona.id, persona.name FROM post
JOIN account ON account.id = post.account_id JOIN persona ON persona.id = account.persona_id
WHERE post.id IN {ids}"""


def acted_on(db: Readable, complaints: str, params: Mapping[str, Any]) -> dict[int, set[int]]:
    """The posts each complaint of the SELECT `complaints` named, decided on or took down (by number)."""
    acted: dict[int, set[int]] = defaultdict(set)
    named = f"SELECT complaint_id, post_id FROM complaint_post WHERE complaint_id IN ({complaints})"
    taken = (
        "SELECT d.complaint_id, t.post_id FROM decision AS d JOIN takedown AS t ON t.decision_id = d.id "
        f"WHERE d.complaint_id IN ({complaints})"
    )
    for sql in (named, taken):
        for number, post_id in fetch_all(db, sql, params):
            acted[int(number)].add(int(post_id))
    decided = f"SELECT complaint_id, post_ids FROM decision WHERE complaint_id IN ({complaints})"
    for number, post_ids in fetch_all(db, decided, params):
        acted[int(number)].update(int(p) for p in stored_json(post_ids) or () if isinstance(p, int))
    return acted


def kept_from(acted: Mapping[int, set[int]], owners: Mapping[int, tuple[int, str]]) -> list[KeptComplaint]:
    """The kept complaints, from the posts each acted on and the (persona id, name) owning each other post."""
    kept = []
    for number in sorted(acted):
        theirs = sorted(p for p in acted[number] if p in owners)
        if theirs:
            by_persona: dict[tuple[int, str], list[int]] = defaultdict(list)
            for post in theirs:  # by post number: the first persona is the one of the oldest post
                by_persona[owners[post]].append(post)
            (persona_id, name), *rest = by_persona
            more = tuple((other, tuple(by_persona[(pid, other)])) for pid, other in rest)
            kept.append(KeptComplaint(number, persona_id, name, tuple(by_persona[(persona_id, name)]), more))
    return kept


def ids_of(db: Readable, sql: str, params: Mapping[str, Any]) -> list[int]:
    """The ids one SELECT gives, in its order."""
    return [int(row[0]) for row in fetch_all(db, sql, params)]


def strings_of(db: Readable, sql: str, params: Mapping[str, Any]) -> Iterable[str]:
    """The text values one SELECT gives."""
    return (str(row[0]) for row in fetch_all(db, sql, params))
