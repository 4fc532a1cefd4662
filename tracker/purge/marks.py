"""The owner's marks on a checklist: done, skipped with a reason, failed, or open again.

A `PurgeRun` records that the purge of a persona started (one per persona; `cancel_run` forgets
one started by mistake); a `PurgeItem` row records each mark. Marking a post done marks the post
deleted; undoing the mark gives the post back the status it had. Every change lands in the audit trail.
"""

from __future__ import annotations

import fnmatch
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from tracker.db import audit
from tracker.db.enums import PostStatus, PurgeItemState
from tracker.db.models import Account, Persona, Post, PurgeItem, PurgeRun
from tracker.errors import ConflictError, NotFoundError, UsageError
from tracker.platforms.urls import Platform, platform_key
from tracker.posts.persona_renames import former_names
from tracker.posts.personas import find_persona
from tracker.purge.items import CHUNK, SETTLED, Plan, PlanItem, Section
from tracker.purge.plan import build_plan
from tracker.support.dates import utcnow
from tracker.support.settings import Settings
from tracker.support.words import counted


def run_of(session: Session, persona: str) -> PurgeRun | None:
    """The persona's purge run, or None when its purge has not started (NotFoundError: no such persona)."""
    found = find_persona(session, persona)
    return session.scalar(select(PurgeRun).where(PurgeRun.persona_id == found.id))


def start_or_get_run(session: Session, persona: str) -> PurgeRun:
    """The persona's purge run, started now if there is none (one run per persona)."""
    found = find_persona(session, persona)
    run = session.scalar(select(PurgeRun).where(PurgeRun.persona_id == found.id))
    if run is None:
        run = PurgeRun(persona=found)
        session.add(run)
        session.flush()
    return run


@dataclass(frozen=True)
class Cancelled:
    """A purge run cancelled by `cancel_run`: its number, when it started, and how many marks went with it."""

    run_id: int
    started_at: datetime
    marks: dict[str, int]


def cancel_run(session: Session, persona: str, discard_marks: bool = False) -> Cancelled:
    """Forget the persona's purge run (started by a `purge plan` that was only a look, say), so that it can be
    merged again and its checklist flags nothing as new.

    A run with marks is cancelled only with `discard_marks`: the marks go (each deletion in the audit
    trail), and the posts marked done stay recorded deleted, since the owner did delete them.
    """
    run = run_of(session, persona)
    if run is None:
        raise NotFoundError(f"no purge of {persona.strip()!r} has started: there is nothing to cancel")
    marks: dict[str, int] = {}
    for item in run.items:
        marks[item.state.value] = marks.get(item.state.value, 0) + 1
    if marks and not discard_marks:
        listed = ", ".join(f"{n} {state}" for state, n in sorted(marks.items()))
        raise ConflictError(
            f"the purge of {persona.strip()!r} has {counted(len(run.items), 'mark')} ({listed}): "
            "--discard-marks cancels it anyway (posts marked done stay recorded deleted)"
        )
    cancelled = Cancelled(run.id, run.started_at, marks)
    session.delete(run)  # its marks with it (`PurgeRun.items` cascades through the ORM: audited)
    return cancelled


def purge_runs(session: Session) -> list[tuple[str, PurgeRun]]:
    """Every started purge run with its persona's name, oldest first."""
    rows = session.execute(
        select(Persona.name, PurgeRun).join(PurgeRun, PurgeRun.persona_id == Persona.id).order_by(PurgeRun.id)
    ).all()
    return [(name, run) for name, run in rows]


@dataclass(frozen=True)
class MarkOutcome:
    """One item's mark before and after `mark_items`."""

    item: PlanItem
    before: PurgeItemState


_POST_KEY = re.compile(r"^post:(\d+)$")


def is_pattern(key: str) -> bool:
    """Is `key` a glob pattern over item ids (`post:*`), not one id?"""
    return any(char in key for char in "*?[")


def _post_ids(keys: Iterable[str]) -> set[int] | None:
    """The post ids named by plain keys, or None when a pattern needs the whole plan."""
    ids: set[int] = set()
    for key in keys:
        if is_pattern(key):
            return None
        match = _POST_KEY.match(key)
        if match:
            ids.add(int(match.group(1)))
    return ids


def _platform_named(name: str | None, platforms: Mapping[str, Platform]) -> str | None:
    """The key of the platform `--platform` names: its key, an alias, or the name the checklist shows it by
    ("X (Twitter)", "Bluesky"), in any case; a name no platform has is kept as typed (no item matches it)."""
    if name is None:
        return None
    folded = unicodedata.normalize("NFKC", name).strip().casefold()
    by_name = {unicodedata.normalize("NFKC", p.name).casefold(): key for key, p in platforms.items()}
    return platform_key(name, platforms) or by_name.get(folded) or name


def _select_items(plan: Plan, keys: Sequence[str], platform: str | None, state: PurgeItemState) -> list[PlanItem]:
    """The items named: by id, or every item a pattern matches that the mark changes.

    A pattern leaves an item already in `state` alone, and one already done or skipped (a skip keeps its
    reason) unless it opens items again: `post:* done` after an account's deletion marks what was left.
    """
    chosen: dict[str, PlanItem] = {}
    for key in keys:
        if is_pattern(key):
            hits = [
                item
                for item in plan.items
                if fnmatch.fnmatchcase(item.id, key)
                and not item.automatic
                and (platform is None or item.platform == platform)
            ]
            if not hits:
                where = f" on {platform}" if platform else ""
                raise NotFoundError(f"no item of the purge of {plan.persona!r} matches {key!r}{where}")
            chosen.update((item.id, item) for item in hits if _pattern_changes(item, state))
            continue
        item = plan.item(key)
        if item is None:
            raise NotFoundError(f"no item {key!r} in the purge of {plan.persona!r} (tracker purge plan lists them)")
        if item.automatic:
            raise UsageError(f"{key} is done by `tracker purge scrub`; it cannot be marked")
        if platform is not None and item.platform != platform:
            raise UsageError(f"{key} is not on {platform}")
        chosen[item.id] = item
    return list(chosen.values())


def _pattern_changes(item: PlanItem, state: PurgeItemState) -> bool:
    if item.state is state:
        return False
    return state is PurgeItemState.OPEN or item.state not in SETTLED


def mark_items(
    session: Session,
    persona: str,
    keys: Sequence[str],
    state: PurgeItemState | str,
    platforms: Mapping[str, Platform],
    settings: Settings,
    reason: str | None = None,
    platform: str | None = None,
) -> list[MarkOutcome]:
    """Mark checklist items of a persona's purge (starting the run if needed); returns what changed.

    `keys` are item ids or glob patterns over them (`post:*`), `platform` narrows patterns to one
    platform. `skipped` needs a reason. A post marked done becomes `deleted`; undoing that mark
    (open, failed, skipped) gives the post back the status it had. Tens of thousands of items are
    written with bulk statements, each change with its audit entry (`audit.record`).
    """
    state = _state(state)
    reason = reason.strip() if reason and reason.strip() else None
    if state is PurgeItemState.SKIPPED and reason is None:
        raise UsageError("say why with --reason when you skip an item")
    if not keys:
        raise UsageError("name at least one item")
    run = start_or_get_run(session, persona)
    plan = build_plan(session, persona, platforms, settings, post_ids=_post_ids(keys), details=False)
    chosen = _select_items(plan, keys, _platform_named(platform, platforms), state)
    now = utcnow()
    befores = _MarkWriter(session, run.id, now).write(chosen, state, reason)
    return [
        MarkOutcome(replace(item, state=state, reason=reason, marked_at=now), before)
        for item, before in zip(chosen, befores, strict=True)
    ]


def mark_item(
    session: Session,
    persona: str,
    item_id: str,
    state: PurgeItemState | str,
    platforms: Mapping[str, Platform],
    settings: Settings,
    reason: str | None = None,
) -> MarkOutcome:
    """Mark one checklist item (see `mark_items`)."""
    if is_pattern(item_id):
        raise UsageError(f"{item_id!r} is a pattern; mark_item takes one item id")
    return mark_items(session, persona, [item_id], state, platforms, settings, reason)[0]


def _state(value: PurgeItemState | str) -> PurgeItemState:
    try:
        return PurgeItemState(value)
    except ValueError:
        choices = ", ".join(s.value for s in PurgeItemState)
        raise UsageError(f"unknown state {value!r}; choose one of {choices}") from None


@dataclass(frozen=True)
class _StoredMark:
    id: int
    state: PurgeItemState
    reason: str | None
    post_status_before: str | None
    changed_at: datetime


class _MarkWriter:
    """Writes marks, and the post statuses they imply, with bulk statements and their audit entries."""

    def __init__(self, session: Session, run_id: int, now: datetime) -> None:
        self.session, self.run_id, self.now = session, run_id, now
        rows = session.execute(
            select(
                PurgeItem.item_key,
                PurgeItem.id,
                PurgeItem.state,
                PurgeItem.reason,
                PurgeItem.post_status_before,
                PurgeItem.changed_at,
            ).where(PurgeItem.run_id == run_id)
        )
        self.stored = {row[0]: _StoredMark(*row[1:]) for row in rows}

    def _posts(self, items: Sequence[PlanItem]) -> dict[str, tuple[int, PostStatus, datetime]]:
        ids = sorted(int(item.id.split(":", 1)[1]) for item in items if item.section is Section.POST)
        found: dict[str, tuple[int, PostStatus, datetime]] = {}
        for start in range(0, len(ids), CHUNK):
            query = select(Post.id, Post.status, Post.status_changed_at).where(Post.id.in_(ids[start : start + CHUNK]))
            for post_id, status, changed in self.session.execute(query):
                found[f"post:{post_id}"] = (post_id, status, changed)
        return found

    def write(self, items: Sequence[PlanItem], state: PurgeItemState, reason: str | None) -> list[PurgeItemState]:
        """Mark every item `state`; returns each item's state before."""
        posts = self._posts(items)
        inserts: list[dict[str, Any]] = []
        updates: list[tuple[_StoredMark, dict[str, Any]]] = []
        post_changes: list[tuple[int, PostStatus, PostStatus, datetime]] = []
        befores = []
        for item in items:
            old = self.stored.get(item.id)
            before = old.state if old is not None else PurgeItemState.OPEN
            befores.append(before)
            status_before = old.post_status_before if old is not None else None
            post = posts.get(item.id)
            if post is not None:
                post_id, status, changed = post
                if state is PurgeItemState.DONE:
                    if status is PostStatus.LIVE:  # a platform's take-down stays on record as one
                        status_before = status.value
                        post_changes.append((post_id, status, PostStatus.DELETED, changed))
                elif before is PurgeItemState.DONE and status_before is not None:
                    if status is PostStatus.DELETED:
                        post_changes.append((post_id, status, PostStatus(status_before), changed))
                    status_before = None
            values = {"state": state, "reason": reason, "post_status_before": status_before, "changed_at": self.now}
            if old is None:
                inserts.append({"run_id": self.run_id, "item_key": item.id, **values})
            else:
                updates.append((old, values))
        self._insert(inserts)
        self._update(updates)
        self._update_posts(post_changes)
        return befores

    def _insert(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        created = self.session.execute(
            insert(PurgeItem).returning(PurgeItem.id, sort_by_parameter_order=True), rows
        ).scalars()
        audit.record(
            self.session,
            "purge_item",
            "create",
            (
                (item_id, {"id": [None, item_id], **{k: [None, v] for k, v in row.items()}})
                for item_id, row in zip(created, rows, strict=True)
            ),
        )

    def _update(self, rows: list[tuple[_StoredMark, dict[str, Any]]]) -> None:
        if not rows:
            return
        self.session.execute(update(PurgeItem), [{"id": old.id, **values} for old, values in rows])
        changes = []
        for old, values in rows:
            fields = {key: [getattr(old, key), new] for key, new in values.items() if getattr(old, key) != new}
            if fields:
                changes.append((old.id, fields))
        audit.record(self.session, "purge_item", "update", changes)

    def _update_posts(self, changes: list[tuple[int, PostStatus, PostStatus, datetime]]) -> None:
        if not changes:
            return
        self.session.execute(
            update(Post),
            [{"id": post_id, "status": new, "status_changed_at": self.now} for post_id, _, new, _ in changes],
        )
        audit.record(
            self.session,
            "post",
            "update",
            (
                (post_id, {"status": [old, new], "status_changed_at": [changed, self.now]})
                for post_id, old, new, changed in changes
            ),
        )


_ACCOUNT_KEY = re.compile(r"^(?:account|export:[a-z0-9_-]+|blocker:[a-z0-9_-]+):(\d+)(?::|$)")


def personas_of_items(session: Session, keys: Iterable[str]) -> set[str]:
    """The personas that the post and account items among `keys` belong to (for guessing the persona)."""
    posts, accounts = set(), set()
    for key in keys:
        if match := _POST_KEY.match(key):
            posts.add(int(match.group(1)))
        elif match := _ACCOUNT_KEY.match(key):
            accounts.add(int(match.group(1)))
    names: set[str] = set()
    if posts:
        query = select(Persona.name).join(Account).join(Post).where(Post.id.in_(sorted(posts)[:CHUNK]))
        names.update(session.scalars(query))
    if accounts:
        query = select(Persona.name).join(Account).where(Account.id.in_(sorted(accounts)[:CHUNK]))
        names.update(session.scalars(query))
    return names


@dataclass(frozen=True)
class PersonaChoice:
    """A persona as the burn-down picker lists it: what a purge of it would cover."""

    name: str
    accounts: int
    live_posts: int
    purge_started: bool
    former_names: tuple[str, ...] = ()
    """What it was called before `persona rename`, oldest first: the owner may know it by one of them."""


def persona_choices(session: Session) -> list[PersonaChoice]:
    """Every persona, by name, with its accounts, live posts, whether its purge has started and its former names."""
    accounts = dict(
        session.execute(select(Account.persona_id, func.count(Account.id)).group_by(Account.persona_id)).all()
    )
    live = dict(
        session.execute(
            select(Account.persona_id, func.count(Post.id))
            .join(Post, Post.account_id == Account.id)
            .where(Post.status == PostStatus.LIVE)
            .group_by(Account.persona_id)
        ).all()
    )
    started = set(session.scalars(select(PurgeRun.persona_id)))
    personas = session.execute(select(Persona.id, Persona.name).order_by(Persona.name)).all()
    former = former_names(session)
    return [
        PersonaChoice(name, accounts.get(pid, 0), live.get(pid, 0), pid in started, tuple(former.get(name, ())))
        for pid, name in personas
    ]
