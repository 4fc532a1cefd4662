"""The complete deletion checklist of one persona, recomputed from the archive each time.

`build_plan` lists everything tracker knows about one persona, in the order it has to go: exports
worth keeping, the services that block account deletion (pixiv: BOOTH and FANBOX), every post
still online grouped by platform, every account with the platform's steps and waiting window (from
`platforms.toml`, with sources and the platform's own help page for each step, or why there is
none), and the traces on this computer (`purge.local`). Images archived without a post are counted
in a warning: any of them may be online where tracker does not know, so the owner must look.
Nothing of any other persona is ever in it.
The checklist is never stored, so a post logged after the purge started joins it; the marks the
owner made (`purge.marks`) are laid over it.

Read as SQL text (`db.plain`) on whatever connection the caller holds: an ORM session (`purge mark`,
the scrub, the TUI), a SQLAlchemy connection, or the standard library's driver on a SQLite file at
this revision (`db.quick`), so that `purge status` and a `purge plan` whose run has started load no
SQLAlchemy. One set of queries and one shaping of the items, whichever connection it is.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from tracker.archive.returned import read_returned
from tracker.db.enums import ComplaintStatus, PostStatus, PurgeItemState
from tracker.db.plain import Readable, chunks, fetch_all, fetch_one, in_list, stored_moment, stored_time
from tracker.db.post_checks import check_dict, last_checks
from tracker.platforms.urls import Platform
from tracker.posts.persona_names import no_such_persona, typed_name
from tracker.purge.items import SETTLED, Plan, PlanItem, Section
from tracker.purge.local import REOPENING, local_items
from tracker.purge.owned import count_of, kept_by_scrub, owned_rows
from tracker.support.dates import local_minute, local_zone, utcnow
from tracker.support.settings import Settings
from tracker.support.shell import command
from tracker.support.words import counted, verb

_Mark = tuple[PurgeItemState, str | None, datetime]
"""A stored mark: state, reason, when."""

NO_HELP_PAGE = "platforms.toml names none; check the steps on the site"
"""Why an item has no help page when its platform's table gives neither a page nor a `help_pages_note`."""


@dataclass(frozen=True)
class _Persona:
    id: int
    name: str


@dataclass(frozen=True)
class _Run:
    id: int
    started_at: datetime


@dataclass(frozen=True)
class _Account:
    """An account of the persona, as the checklist reads it (the `account` row)."""

    id: int
    platform: str
    handle: str | None
    profile_url: str | None


@dataclass
class _Context:
    persona: _Persona
    platforms: Mapping[str, Platform]
    settings: Settings
    run: _Run | None
    marks: dict[str, _Mark] = field(default_factory=dict)
    several: frozenset[str] = frozenset()
    """The platforms the persona has more than one account on."""


def build_plan(
    db: Readable,
    persona: str,
    platforms: Mapping[str, Platform],
    settings: Settings,
    post_ids: Collection[int] | None = None,
    details: bool = True,
) -> Plan:
    """The complete checklist of one persona, with the marks of its run (if one was started).

    Read-only. `post_ids` limits the post section to those posts (a quick look-up of a few items
    when marking them); `details=False` leaves out the counts and file lists of the local items
    (what only a reader needs). The items and their states are complete either way.
    """
    _flush(db)
    found = find_persona(db, persona)
    run = fetch_one(db, "SELECT id, started_at FROM purge_run WHERE persona_id = :pid", {"pid": found.id})
    ctx = _Context(found, platforms, settings, _Run(int(run[0]), stored_moment(run[1])) if run else None)
    if ctx.run is not None:
        rows = fetch_all(
            db, "SELECT item_key, state, reason, changed_at FROM purge_item WHERE run_id = :run", {"run": ctx.run.id}
        )
        ctx.marks = {key: (PurgeItemState(state), reason, stored_moment(at)) for key, state, reason, at in rows}
    accounts = [
        _Account(int(account_id), platform, handle, profile)
        for account_id, platform, handle, profile in fetch_all(
            db,
            "SELECT id, platform, handle, profile_url FROM account WHERE persona_id = :pid ORDER BY id",
            {"pid": found.id},
        )
    ]
    accounts.sort(key=lambda a: (_platform_rank(a.platform, platforms), a.id))
    platforms_seen = [a.platform for a in accounts]
    ctx.several = frozenset(p for p in platforms_seen if platforms_seen.count(p) > 1)
    items = [
        *_export_items(ctx, accounts),
        *_blocker_items(ctx, accounts),
        *_post_items(db, ctx, post_ids),
        *_account_items(ctx, accounts),
        *local_items(db, found.id, settings, details, _settled(ctx, REOPENING)),
    ]
    return Plan(
        persona=found.name,
        persona_id=found.id,
        generated_at=utcnow(),
        items=tuple(item if item.section is Section.POST else _with_mark(ctx, item) for item in items),
        run_id=ctx.run.id if ctx.run else None,
        run_started_at=ctx.run.started_at if ctx.run else None,
        warnings=tuple(_warnings(db, ctx, accounts)),
        platforms_file=str(settings.reference_file("platforms.toml")),
        platforms_override=str(settings.data_dir / "platforms.toml"),
        database=settings.database_label,
        sqlite=settings.sqlite_path is not None,
    )


def run_status(db: Readable, persona: str, platforms: Mapping[str, Platform], settings: Settings) -> Plan:
    """Where the purge of a persona stands: its plan with every mark (`Plan.left()` is what is left).

    Read-only: a persona whose purge has not started shows every item open.
    """
    return build_plan(db, persona, platforms, settings)


def find_persona(db: Readable, name: str) -> _Persona:
    """The persona of this name, or the one-line error `posts.personas.find_persona` gives (close names)."""
    names = [str(found[0]) for found in fetch_all(db, "SELECT name FROM persona")]
    wanted = typed_name(names, name)  # in another Unicode composition, or stored with spaces around it
    row = None if wanted is None else fetch_one(db, "SELECT id, name FROM persona WHERE name = :name", {"name": wanted})
    if row is None:
        raise no_such_persona(names, name.strip())
    return _Persona(int(row[0]), str(row[1]))


def has_run(db: Readable, persona: str) -> bool:
    """Whether the purge of the persona of this name has started (False too when there is no such persona)."""
    sql = "SELECT purge_run.id FROM purge_run JOIN persona ON persona.id = purge_run.persona_id WHERE persona.name = :n"
    return fetch_one(db, sql, {"n": persona.strip()}) is not None


def _flush(db: Readable) -> None:
    """An ORM session's pending changes (a run just started, marks just made), written before SQL text reads."""
    if isinstance(db, sqlite3.Connection):
        return
    from sqlalchemy.orm import Session

    if isinstance(db, Session):
        db.flush()


def _settled(ctx: _Context, keys: Iterable[str]) -> dict[str, datetime]:
    """When each of these items was marked done or skipped (those that are)."""
    return {key: mark[2] for key in keys if (mark := ctx.marks.get(key)) is not None and mark[0] in SETTLED}


def _with_mark(ctx: _Context, item: PlanItem) -> PlanItem:
    mark = ctx.marks.get(item.id)
    if mark is None or item.automatic or item.reopened_by:  # reopened: the mark did not cover them
        return item
    return replace(item, state=mark[0], reason=mark[1], marked_at=mark[2])


def _platform_rank(key: str, platforms: Mapping[str, Platform]) -> tuple[int, str]:
    order = list(platforms)
    return (order.index(key), "") if key in order else (len(order), key)


def _info(ctx: _Context, platform: str) -> dict[str, Any]:
    known = ctx.platforms.get(platform)
    return known.info if known is not None else {}


def _platform_name(ctx: _Context, platform: str) -> str:
    known = ctx.platforms.get(platform)
    return known.name if known is not None else platform


def _account_text(ctx: _Context, account: _Account) -> str:
    """`the X (Twitter) account moth_ai`, or `your pixiv account` when its handle is unknown (`your pixiv
    account #10 (handle not recorded)` beside another account there, so that the two items read apart)."""
    name = _platform_name(ctx, account.platform)
    if account.handle:
        return f"the {name} account {account.handle}"
    if account.platform in ctx.several:
        return f"your {name} account #{account.id} (handle not recorded)"
    return f"your {name} account"


def _due(deadline: datetime | None) -> str:
    """`, answer by 2026-12-08 23:59 JST` (local time), or '' for a complaint without a deadline."""
    return f", answer by {local_minute(deadline)} {local_zone(deadline)}" if deadline is not None else ""


def _unverified(info: Mapping[str, Any], *fields: str) -> tuple[str, ...]:
    return tuple(f for f in info.get("unverified", []) if f in fields)


def _help(ctx: _Context, platform: str, step: str) -> tuple[str | None, str | None]:
    """(the platform's own help page for `step`, why there is none): exactly one is set for a known platform."""
    if platform not in ctx.platforms:
        return None, None
    info = ctx.platforms[platform].info
    page = info.get("help_pages", {}).get(step)
    return (page, None) if page else (None, info.get("help_pages_note") or NO_HELP_PAGE)


SAVE_BY_HAND = (
    "Open each post you want to remember and copy what only the platform holds: its caption, tags and comments.",
    "The posted images and their metadata are in tracker's archive only until the scrub deletes it (local "
    "files, below): copy out any you want to keep first (`tracker show POST` names each one's archived file).",
)
"""The export item's steps on a platform known to have no export tool (`export = []`)."""


def _export_items(ctx: _Context, accounts: Sequence[_Account]) -> Iterable[PlanItem]:
    for account in accounts:
        info = _info(ctx, account.platform)
        if not info.get("export"):
            known = account.platform in ctx.platforms
            if not known or "export" in info:  # none, or none tracker knows of: by hand, before it goes
                name = _platform_name(ctx, account.platform)
                yield PlanItem(
                    id=f"export:{account.platform}:{account.id}",
                    section=Section.EXPORT,
                    label=f"Save by hand what you want to keep from {_account_text(ctx, account)} "
                    + ("(no export)" if known else "(tracker knows no export there)"),
                    platform=account.platform,
                    platform_name=name,
                    account=account.handle,
                    account_url=account.profile_url,
                    steps=SAVE_BY_HAND,
                    help_page_note=f"{name} offers no export of your data"
                    if known
                    else f"tracker knows nothing of {name}: look on the site for an export of your data first",
                )
            continue
        page, why = _help(ctx, account.platform, "export")
        yield PlanItem(
            id=f"export:{account.platform}:{account.id}",
            section=Section.EXPORT,
            label=f"Export your data from {_account_text(ctx, account)}",
            platform=account.platform,
            platform_name=_platform_name(ctx, account.platform),
            account=account.handle,
            account_url=account.profile_url,
            steps=tuple(info["export"]),
            sources=tuple(info.get("sources", [])),
            unverified=_unverified(info, "export"),
            help_page=page,
            help_page_note=why,
        )


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "service"


def _blocker_items(ctx: _Context, accounts: Sequence[_Account]) -> Iterable[PlanItem]:
    for account in accounts:
        info = _info(ctx, account.platform)
        for service in info.get("blocking_services", []):
            yield PlanItem(
                id=f"blocker:{account.platform}:{account.id}:{_slug(service)}",
                section=Section.BLOCKER,
                label=f"Leave {service} first: {_account_text(ctx, account)} cannot be deleted while you use it",
                platform=account.platform,
                platform_name=_platform_name(ctx, account.platform),
                account=account.handle,
                account_url=account.profile_url,
                steps=(f"Close or leave your {service} account or shop linked to this account.",),
                sources=tuple(info.get("sources", [])),
                unverified=_unverified(info, "blocking_services"),
            )


_POSTS = """SELECT p.id, p.url, p.title, p.posted_at, p.platform, p.status, p.logged_at, p.status_changed_at,
a.id, a.handle, a.profile_url
FROM post AS p JOIN account AS a ON a.id = p.account_id WHERE a.persona_id = :pid"""


def _post_rows(db: Readable, ctx: _Context, only: Collection[int] | None) -> list[tuple[Any, ...]]:
    """The persona's posts with their accounts (only those of `only`, when given), values as stored."""
    params = {"pid": ctx.persona.id}
    if only is None:
        found = fetch_all(db, _POSTS, params)
    else:
        found = []
        for part in chunks(sorted(set(only))):
            ids, more = in_list("post", part)
            found += fetch_all(db, f"{_POSTS} AND p.id IN {ids}", {**params, **more})
    return [
        (
            int(pid),
            url,
            title,
            stored_time(posted),
            platform,
            PostStatus(status),
            stored_moment(logged),
            stored_moment(changed),
            *account,
        )
        for pid, url, title, posted, platform, status, logged, changed, *account in found
    ]


def _online_since_deleted(check: Mapping[str, Any] | None, status_changed_at: datetime) -> bool:
    """Whether `tracker check` found a post recorded deleted still online when it asked after the post was
    recorded so: a deletion that did not take (or a wrong `post set --status deleted`), still to do."""
    if check is None or check.get("state") != "live" or not check.get("checked_at"):
        return False
    checked = datetime.fromisoformat(str(check["checked_at"]))
    return checked >= status_changed_at


def _post_items(db: Readable, ctx: _Context, only: Collection[int] | None) -> list[PlanItem]:
    rows = _post_rows(db, ctx, only)
    started = ctx.run.started_at if ctx.run is not None else None
    checks = {k: check_dict(v) for k, v in last_checks(db, [row[0] for row in rows]).items()}
    steps: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {}
    helps: dict[str, tuple[str | None, str | None]] = {}
    items: list[tuple[tuple[Any, ...], PlanItem]] = []
    names: dict[str, str] = {}
    ranks: dict[str, tuple[int, str]] = {}
    for pid, url, title, posted_at, platform, status, logged_at, changed_at, account_id, handle, profile in rows:
        key = f"post:{pid}"
        mark = ctx.marks.get(key)
        if status is PostStatus.DELETED and mark is None and not _online_since_deleted(checks.get(pid), changed_at):
            continue  # gone before the purge: nothing to do, the scrub removes the row
        if platform not in steps:
            info = _info(ctx, platform)
            names[platform] = _platform_name(ctx, platform)
            ranks[platform] = _platform_rank(platform, ctx.platforms)
            steps[platform] = (
                tuple(info.get("delete_post", [])),
                tuple(info.get("sources", [])),
                _unverified(info, "delete_post"),
            )
            helps[platform] = _help(ctx, platform, "delete_post")
        how, sources, unverified = steps[platform]
        notes: tuple[str, ...] = ()
        if status is PostStatus.TAKEN_DOWN:
            notes = ("Taken down earlier: check that it is really gone.",)
        elif status is PostStatus.DELETED and mark is None:  # listed only when a check found it online since
            notes = ("Recorded deleted, but the platform still showed it at the last check: delete it again.",)
        item = PlanItem(
            id=key,
            section=Section.POST,
            label=f"Delete the {names[platform]} post {url}",
            platform=platform,
            platform_name=names[platform],
            account=handle,
            account_url=profile,
            url=url,
            title=title,
            posted_at=posted_at,
            post_status=status.value,
            steps=how,
            help_page=helps[platform][0],
            help_page_note=helps[platform][1],
            notes=notes,
            sources=sources,
            unverified=unverified,
            new_since_start=started is not None and logged_at > started,
            state=mark[0] if mark else PurgeItemState.OPEN,
            reason=mark[1] if mark else None,
            marked_at=mark[2] if mark else None,
            last_check=checks.get(pid),
        )
        order = (
            ranks[platform],
            account_id,
            posted_at is None,
            posted_at or logged_at,
            pid,
        )
        items.append((order, item))
    items.sort(key=lambda pair: pair[0])
    return [item for _, item in items]


def _waiting_notes(info: Mapping[str, Any]) -> tuple[str, ...]:
    days = info.get("waiting_period_days")
    cancels = info.get("login_cancels_deletion")
    lines = []
    if days:
        lines.append(f"Waiting period: {days} days before the deletion is final.")
    if cancels:
        lines.append("Logging in during the waiting period cancels the deletion: stay logged out.")
    elif cancels is False:
        lines.append("Logging in during the waiting period does not cancel the deletion.")
    return tuple(lines)


def _account_items(ctx: _Context, accounts: Sequence[_Account]) -> Iterable[PlanItem]:
    for account in accounts:
        info = _info(ctx, account.platform)
        steps = tuple(info.get("delete_account", []))
        page, why = _help(ctx, account.platform, "delete_account")
        notes = _waiting_notes(info) + tuple(info.get("notes", []))
        if account.platform not in ctx.platforms:
            notes += (f"tracker knows no deletion steps for {account.platform!r}: add them to platforms.toml.",)
        yield PlanItem(
            id=f"account:{account.id}",
            section=Section.ACCOUNT,
            label=f"Delete {_account_text(ctx, account)}",
            platform=account.platform,
            platform_name=_platform_name(ctx, account.platform),
            account=account.handle,
            account_url=account.profile_url,
            steps=steps,
            notes=notes,
            sources=tuple(info.get("sources", [])),
            unverified=_unverified(info, "delete_account", "waiting_period_days", "login_cancels_deletion", "notes"),
            waiting_period_days=info.get("waiting_period_days"),
            login_cancels_deletion=info.get("login_cancels_deletion"),
            help_page=page,
            help_page_note=why,
        )


def _warnings(db: Readable, ctx: _Context, accounts: Sequence[_Account]) -> Iterable[str]:
    database = ctx.settings.sqlite_path
    for back in read_returned(database, {ctx.persona.name}) if database is not None else ():
        yield (
            f"This persona came back with the restore from {back.backup} on {back.restored_at.date().isoformat()}: "
            "if you had burnt it down, everything below is to do again. Kept on purpose: "
            f"{command('tracker', 'persona', 'keep', ctx.persona.name)} says so."
        )
    kept = kept_by_scrub(db, ctx.persona.id)
    owned = owned_rows(ctx.persona.id, [c.id for c in kept])  # every complaint the scrub deletes
    waiting = fetch_all(
        db,
        f"SELECT id, deadline_at FROM complaint WHERE id IN ({owned.sql['complaint']}) AND status IN (:open, :decided)"
        " ORDER BY id",
        {**owned.params, "open": ComplaintStatus.OPEN.value, "decided": ComplaintStatus.DECIDED.value},
    )
    if waiting:  # named, with the day each is due: `tracker complaint reply N` answers one
        unanswered = len(waiting)
        listed = ", ".join(f"#{number}{_due(stored_time(deadline))}" for number, deadline in waiting[:5])
        more = f" and {unanswered - 5} more" if unanswered > 5 else ""
        yield (
            f"{counted(unanswered, 'complaint')} about this persona "
            f"{verb(unanswered, 'is', 'are')} still unanswered ({listed}{more}). The scrub deletes complaints "
            f"with their replies: answer {verb(unanswered, 'it', 'them')} first "
            f"({command('tracker', 'complaint', 'reply', str(waiting[0][0]))} drafts the reply), or keep what you "
            "may need outside tracker."
        )
    unposted = count_of(
        db,
        "SELECT i.id FROM image i WHERE i.persona_id = :pid"
        " AND NOT EXISTS (SELECT 1 FROM post p WHERE p.image_id = i.id)"
        " AND NOT EXISTS (SELECT 1 FROM post_page pp WHERE pp.image_id = i.id)",
        {"pid": ctx.persona.id},
    )
    if unposted:  # imported without a sidecar tracker reads: a live post of one is on no list
        yield (
            f"{counted(unposted, 'image')} of this persona {verb(unposted, 'is', 'are')} archived without a post "
            "(the file names are under local:originals): any may "
            "still be online somewhere tracker does not know. Check where they were posted, and log each post "
            "you find with tracker log FILE --url URL so that it joins this checklist."
        )
    for complaint in kept:
        yield (
            f"Complaint #{complaint.id} also acted on {complaint.acted_on()}: the scrub keeps it for "
            f"{complaint.persona}, without this persona's posts, name and URLs."
        )
    for platform in sorted(ctx.several):
        unnamed = [a for a in accounts if a.platform == platform and not a.handle]
        if unnamed:
            on = sum(1 for a in accounts if a.platform == platform)
            yield (
                f"{ctx.persona.name} has {on} accounts on {_platform_name(ctx, platform)} and tracker knows no handle "
                f"for {', '.join(f'account #{a.id}' for a in unnamed)}: if two of them are one account, mark one "
                "done and skip the other (--reason 'same account')."
            )
    unknown = sorted({a.platform for a in accounts if a.platform not in ctx.platforms})
    if unknown:
        yield f"No deletion steps are known for {', '.join(unknown)}: add them to platforms.toml."
    known = [ctx.platforms[a.platform] for a in accounts if a.platform in ctx.platforms]
    unverified = sorted({platform.name for platform in known if platform.info.get("unverified")})
    if unverified:
        yield (
            f"Some facts for {', '.join(unverified)} could not be confirmed by their sources (marked "
            "unverified): check them on the site."
        )
