"""Burning a persona down: the complete deletion checklist, the owner's marks on it, and what it covers.

The owner keeps a persona apart so that it can go in one sweep. `build_plan` lists everything
tracker knows about one persona, in the order it has to go: exports worth keeping, the services
that block account deletion (pixiv: BOOTH and FANBOX), every post still online grouped by platform,
every account with the platform's steps and waiting window (from `platforms.toml`, with sources),
and the traces on this computer. Nothing of any other persona is ever in it.

The checklist is never stored: it is recomputed from the archive each time, so a post logged
after the purge started joins it. A `PurgeRun` records that the purge started; a `PurgeItem` row
records each mark the owner made (done, skipped with a reason, failed, or open again). Marking a
post done marks the post deleted. Items whose id starts with `local:` and that the scrub performs
itself (archive, index, database) are `automatic`: they are never marked.

Item ids are stable: `export:<platform>:<account id>`, `blocker:<platform>:<account id>:<service>`,
`post:<post id>`, `account:<account id>`, `local:originals`, `local:backups`, `local:elsewhere`,
`local:archive`, `local:index`, `local:database`.

`persona_rows` says which rows belong to a persona (and which shared images stay); the scrub in
`tracker.purge_scrub` deletes exactly those rows.
"""

from __future__ import annotations

import enum
import fnmatch
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Select, and_, exists, func, insert, or_, select, update
from sqlalchemy.orm import Session, aliased

from tracker.db import audit
from tracker.db.models import (
    Account,
    Complaint,
    ComplaintImage,
    ComplaintPost,
    ComplaintStatus,
    Decision,
    Image,
    ImageInput,
    ImageResource,
    Persona,
    Post,
    PostStatus,
    PurgeItem,
    PurgeItemState,
    PurgeRun,
    Resource,
    Technique,
)
from tracker.db.types import utcnow
from tracker.errors import ConflictError, NotFoundError, UsageError
from tracker.posts.platforms import Platform
from tracker.support.settings import Settings

__all__ = [
    "AUTOMATIC_ITEMS",
    "Plan",
    "PlanItem",
    "PurgeNotReady",
    "Section",
    "build_plan",
    "find_persona",
    "mark_item",
    "mark_items",
    "persona_rows",
    "personas_of_items",
    "purge_runs",
    "run_of",
    "run_status",
    "start_or_get_run",
]

SETTLED = (PurgeItemState.DONE, PurgeItemState.SKIPPED)
"""States that let the scrub go ahead."""

LOCAL_ITEMS: dict[str, str] = {
    "local:originals": "Delete the original image files on your computer",
    "local:backups": "Delete or lock away the backups that hold this persona",
    "local:elsewhere": "Clear the traces tracker cannot see",
    "local:archive": "Delete the archived copies",
    "local:index": "Delete the similarity index (a cache of every image's hashes)",
    "local:database": "Delete the persona's rows from the database",
}
"""The local items and what they say, in checklist order."""

AUTOMATIC_ITEMS = ("local:archive", "local:index", "local:database")
"""Items the scrub performs itself; they never need (and cannot take) a mark."""

_CHUNK = 5000
"""Ids per IN (...) list: well under every backend's bound-parameter limit."""


class Section(enum.StrEnum):
    """The checklist's parts, in the order they have to be done."""

    EXPORT = "export"
    BLOCKER = "blocker"
    POST = "post"
    ACCOUNT = "account"
    LOCAL = "local"


SECTION_TITLES: dict[Section, str] = {
    Section.EXPORT: "Export what you want to keep",
    Section.BLOCKER: "Leave the services that block account deletion",
    Section.POST: "Delete every post",
    Section.ACCOUNT: "Delete the accounts",
    Section.LOCAL: "Local traces on this computer",
}


class PurgeNotReady(ConflictError):
    """The scrub was asked for while checklist items are still open or failed."""

    def __init__(self, persona: str, left: Sequence[PlanItem]) -> None:
        self.left = list(left)
        super().__init__(
            f"{len(self.left)} item(s) of the purge of {persona!r} are not done or skipped yet: "
            f"mark them first (tracker purge status {persona} lists them)"
        )


@dataclass(frozen=True)
class PlanItem:
    """One thing to do (or that the scrub will do), with everything needed to do it.

    Text fields come from the archive and from `platforms.toml`: untrusted, to be escaped by
    whoever shows them.
    """

    id: str
    section: Section
    label: str
    """What to do, in one line."""
    platform: str | None = None
    platform_name: str | None = None
    account: str | None = None
    """The account's handle, when known."""
    account_url: str | None = None
    url: str | None = None
    title: str | None = None
    posted_at: datetime | None = None
    post_status: str | None = None
    steps: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    """Paths or file names the item is about (local traces)."""
    sources: tuple[str, ...] = ()
    unverified: tuple[str, ...] = ()
    """Fields of `platforms.toml` behind this item that its sources could not confirm."""
    waiting_period_days: int | None = None
    login_cancels_deletion: bool | None = None
    automatic: bool = False
    new_since_start: bool = False
    """A post logged after the purge run started."""
    state: PurgeItemState = PurgeItemState.OPEN
    reason: str | None = None
    marked_at: datetime | None = None

    @property
    def settled(self) -> bool:
        """Nothing more to do before the scrub: done, skipped, or done by the scrub itself."""
        return self.automatic or self.state in SETTLED

    @property
    def final_after(self) -> datetime | None:
        """For an account marked done: when the platform's waiting period is over."""
        if self.state is not PurgeItemState.DONE or self.marked_at is None or not self.waiting_period_days:
            return None
        return self.marked_at + timedelta(days=self.waiting_period_days)

    def to_dict(self) -> dict[str, Any]:
        """The item as plain data (the JSON and CSV forms)."""
        return {
            "id": self.id,
            "section": self.section.value,
            "state": self.state.value,
            "reason": self.reason,
            "marked_at": _iso(self.marked_at),
            "automatic": self.automatic,
            "label": self.label,
            "platform": self.platform,
            "platform_name": self.platform_name,
            "account": self.account,
            "account_url": self.account_url,
            "url": self.url,
            "title": self.title,
            "posted_at": _iso(self.posted_at),
            "post_status": self.post_status,
            "new_since_start": self.new_since_start,
            "steps": list(self.steps),
            "notes": list(self.notes),
            "files": list(self.files),
            "waiting_period_days": self.waiting_period_days,
            "login_cancels_deletion": self.login_cancels_deletion,
            "final_after": _iso(self.final_after),
            "sources": list(self.sources),
            "unverified": list(self.unverified),
        }


@dataclass(frozen=True)
class Plan:
    """The checklist of one persona, with the marks of its purge run when one was started."""

    persona: str
    persona_id: int
    generated_at: datetime
    items: tuple[PlanItem, ...]
    run_id: int | None = None
    run_started_at: datetime | None = None
    warnings: tuple[str, ...] = ()
    platforms_file: str | None = None
    """Where the platform facts came from (so the owner can correct them)."""
    database: str | None = None
    """The database the plan was made from (a file path, or the URL without its password)."""
    sqlite: bool = True

    def section(self, section: Section) -> list[PlanItem]:
        """The items of one section, in checklist order."""
        return [item for item in self.items if item.section is section]

    def left(self) -> list[PlanItem]:
        """Items that still stand between the owner and the scrub (open or failed)."""
        return [item for item in self.items if not item.settled]

    def item(self, item_id: str) -> PlanItem | None:
        """The item with this id, if the plan has it."""
        return next((item for item in self.items if item.id == item_id), None)

    def counts(self) -> dict[str, dict[str, int]]:
        """{section: {state: n}}, automatic items counted as `automatic`."""
        out: dict[str, dict[str, int]] = {s.value: {} for s in Section}
        for item in self.items:
            key = "automatic" if item.automatic else item.state.value
            bucket = out[item.section.value]
            bucket[key] = bucket.get(key, 0) + 1
        return out

    def reminders(self) -> list[str]:
        """One line per account marked done whose waiting period is not over yet."""
        now = utcnow()
        lines = []
        for item in self.section(Section.ACCOUNT):
            final = item.final_after
            if final is None or final <= now:
                continue
            subject = item.label.removeprefix("Delete ")
            line = f"{subject[:1].upper()}{subject[1:]}: deletion final after {final.astimezone().date().isoformat()}"
            if item.login_cancels_deletion:
                line += "; do not log in before then, logging in cancels the deletion"
            lines.append(line)
        return lines

    def to_dict(self) -> dict[str, Any]:
        """The plan as plain data (the JSON form)."""
        return {
            "format": "tracker-purge-plan",
            "version": 1,
            "persona": self.persona,
            "generated_at": _iso(self.generated_at),
            "run": {"id": self.run_id, "started_at": _iso(self.run_started_at)} if self.run_id else None,
            "platforms_file": self.platforms_file,
            "warnings": list(self.warnings),
            "summary": {
                "items": len(self.items),
                "left": len(self.left()),
                "by_section": self.counts(),
            },
            "items": [item.to_dict() for item in self.items],
        }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


# ---------------------------------------------------------------------------- what a persona owns


def persona_rows(persona_id: int) -> dict[str, Select[int]]:
    """The ids of every row the scrub of a persona deletes, as one SELECT per table (by table name).

    An image goes only when no other persona uses it (posted it, or has it as its own); one that
    another persona also posted stays. A complaint goes when it is about this persona (it names
    the persona's posts, its replies quote them, and its complainant's personal data has no other
    purpose). A model (`resource`) goes when only this persona's images named it.
    """
    pid = persona_id
    accounts = select(Account.id).where(Account.persona_id == pid)
    posts = select(Post.id).where(Post.account_id.in_(accounts))
    other_post, other_account = aliased(Post), aliased(Account)
    posted_here = select(Post.id).where(Post.image_id == Image.id, Post.account_id.in_(accounts)).correlate(Image)
    posted_elsewhere = (
        select(other_post.id)
        .join(other_account, other_account.id == other_post.account_id)
        .where(other_post.image_id == Image.id, other_account.persona_id != pid)
        .correlate(Image)
    )
    other_output = aliased(Image)
    input_elsewhere = (  # an input image another persona's image was also made from stays for that persona
        select(ImageInput.id)
        .join(other_output, other_output.id == ImageInput.image_id)
        .where(ImageInput.input_image_id == Image.id, other_output.persona_id != pid)
        .correlate(Image)
    )
    images = select(Image.id).where(
        or_(Image.persona_id == pid, exists(posted_here)),
        or_(Image.persona_id.is_(None), Image.persona_id == pid),
        ~exists(posted_elsewhere),
        ~exists(input_elsewhere),
    )
    other_use = aliased(ImageResource)
    resources = select(Resource.id).where(
        exists(
            select(ImageResource.id)
            .where(ImageResource.resource_id == Resource.id, ImageResource.image_id.in_(images))
            .correlate(Resource)
        ),
        ~exists(
            select(other_use.id)
            .where(other_use.resource_id == Resource.id, other_use.image_id.not_in(images))
            .correlate(Resource)
        ),
    )
    named = select(ComplaintPost.complaint_id).where(ComplaintPost.post_id.in_(posts))
    complaints = select(Complaint.id).where(
        or_(Complaint.persona_id == pid, and_(Complaint.persona_id.is_(None), Complaint.id.in_(named)))
    )
    runs = select(PurgeRun.id).where(PurgeRun.persona_id == pid)
    return {
        "purge_item": select(PurgeItem.id).where(PurgeItem.run_id.in_(runs)),
        "purge_run": runs,
        "decision": select(Decision.id).where(Decision.complaint_id.in_(complaints)),
        "complaint_post": select(ComplaintPost.id).where(
            or_(ComplaintPost.complaint_id.in_(complaints), ComplaintPost.post_id.in_(posts))
        ),
        "complaint_image": select(ComplaintImage.id).where(ComplaintImage.complaint_id.in_(complaints)),
        "complaint": complaints,
        "post": posts,
        "image_resource": select(ImageResource.id).where(ImageResource.image_id.in_(images)),
        "image_input": select(ImageInput.id).where(ImageInput.image_id.in_(images)),
        "technique": select(Technique.id).where(Technique.image_id.in_(images)),
        "image": images,
        "resource": resources,
        "account": accounts,
        "persona": select(Persona.id).where(Persona.id == pid),
    }


def used_images(persona_id: int) -> Select[int]:
    """Every image the persona posted or holds, including those another persona also uses."""
    posted = (
        select(Post.id)
        .join(Account, Account.id == Post.account_id)
        .where(Post.image_id == Image.id, Account.persona_id == persona_id)
        .correlate(Image)
    )
    return select(Image.id).where(or_(Image.persona_id == persona_id, exists(posted)))


def _count(session: Session, query: Select[int]) -> int:
    return int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)


# ---------------------------------------------------------------------------- runs


def find_persona(session: Session, name: str) -> Persona:
    """The persona of this name, or NotFoundError."""
    persona = session.scalar(select(Persona).where(Persona.name == name.strip()))
    if persona is None:
        raise NotFoundError(f"no persona {name.strip()!r}")
    return persona


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


def purge_runs(session: Session) -> list[tuple[str, PurgeRun]]:
    """Every started purge run with its persona's name, oldest first."""
    rows = session.execute(
        select(Persona.name, PurgeRun).join(PurgeRun, PurgeRun.persona_id == Persona.id).order_by(PurgeRun.id)
    ).all()
    return [(name, run) for name, run in rows]


# ---------------------------------------------------------------------------- the plan


_Mark = tuple[PurgeItemState, str | None, datetime]
"""A stored mark: state, reason, when."""


@dataclass
class _Context:
    persona: Persona
    platforms: Mapping[str, Platform]
    settings: Settings
    run: PurgeRun | None
    marks: dict[str, _Mark] = field(default_factory=dict)


def build_plan(
    session: Session,
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
    found = find_persona(session, persona)
    run = session.scalar(select(PurgeRun).where(PurgeRun.persona_id == found.id))
    ctx = _Context(found, platforms, settings, run)
    if run is not None:
        rows = session.execute(
            select(PurgeItem.item_key, PurgeItem.state, PurgeItem.reason, PurgeItem.changed_at).where(
                PurgeItem.run_id == run.id
            )
        )
        ctx.marks = {key: (state, reason, at) for key, state, reason, at in rows}
    accounts = list(session.scalars(select(Account).where(Account.persona_id == found.id).order_by(Account.id)).all())
    accounts.sort(key=lambda a: (_platform_rank(a.platform, platforms), a.id))
    items = [
        *_export_items(ctx, accounts),
        *_blocker_items(ctx, accounts),
        *_post_items(session, ctx, post_ids),
        *_account_items(ctx, accounts),
        *_local_items(session, ctx, details),
    ]
    return Plan(
        persona=found.name,
        persona_id=found.id,
        generated_at=utcnow(),
        items=tuple(item if item.section is Section.POST else _with_mark(ctx, item) for item in items),
        run_id=run.id if run else None,
        run_started_at=run.started_at if run else None,
        warnings=tuple(_warnings(session, ctx, accounts)),
        platforms_file=str(settings.reference_file("platforms.toml")),
        database=str(settings.sqlite_path) if settings.sqlite_path else _safe_url(settings.db_url),
        sqlite=settings.sqlite_path is not None,
    )


def run_status(session: Session, persona: str, platforms: Mapping[str, Platform], settings: Settings) -> Plan:
    """Where the purge of a persona stands: its plan with every mark (`Plan.left()` is what is left).

    Read-only: a persona whose purge has not started shows every item open.
    """
    return build_plan(session, persona, platforms, settings)


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _with_mark(ctx: _Context, item: PlanItem) -> PlanItem:
    mark = ctx.marks.get(item.id)
    if mark is None or item.automatic:
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


def _account_text(ctx: _Context, account: Account) -> str:
    """`the X (Twitter) account moth_ai`, or `your pixiv account` when its handle is unknown."""
    name = _platform_name(ctx, account.platform)
    return f"the {name} account {account.handle}" if account.handle else f"your {name} account"


def _unverified(info: Mapping[str, Any], *fields: str) -> tuple[str, ...]:
    return tuple(f for f in info.get("unverified", []) if f in fields)


def _export_items(ctx: _Context, accounts: Sequence[Account]) -> Iterable[PlanItem]:
    for account in accounts:
        info = _info(ctx, account.platform)
        if not info.get("export"):
            continue
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
        )


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "service"


def _blocker_items(ctx: _Context, accounts: Sequence[Account]) -> Iterable[PlanItem]:
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


def _post_items(session: Session, ctx: _Context, only: Collection[int] | None) -> list[PlanItem]:
    query = (
        select(
            Post.id,
            Post.url,
            Post.title,
            Post.posted_at,
            Post.platform,
            Post.status,
            Post.logged_at,
            Account.id,
            Account.handle,
            Account.profile_url,
        )
        .join(Account, Account.id == Post.account_id)
        .where(Account.persona_id == ctx.persona.id)
    )
    rows: list[Any] = []
    if only is None:
        rows = list(session.execute(query))
    else:
        wanted = sorted(set(only))
        for start in range(0, len(wanted), _CHUNK):
            rows += session.execute(query.where(Post.id.in_(wanted[start : start + _CHUNK]))).all()
    started = ctx.run.started_at if ctx.run is not None else None
    steps: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {}
    items: list[tuple[tuple[Any, ...], PlanItem]] = []
    names: dict[str, str] = {}
    ranks: dict[str, tuple[int, str]] = {}
    for pid, url, title, posted_at, platform, status, logged_at, account_id, handle, profile in rows:
        key = f"post:{pid}"
        mark = ctx.marks.get(key)
        if status is PostStatus.DELETED and mark is None:
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
        how, sources, unverified = steps[platform]
        notes = ("Taken down earlier: check that it is really gone.",) if status is PostStatus.TAKEN_DOWN else ()
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
            notes=notes,
            sources=sources,
            unverified=unverified,
            new_since_start=started is not None and logged_at > started,
            state=mark[0] if mark else PurgeItemState.OPEN,
            reason=mark[1] if mark else None,
            marked_at=mark[2] if mark else None,
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


def _account_items(ctx: _Context, accounts: Sequence[Account]) -> Iterable[PlanItem]:
    for account in accounts:
        info = _info(ctx, account.platform)
        steps = tuple(info.get("delete_account", []))
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
        )


# ---------------------------------------------------------------------------- local traces


def _mib(size: int) -> str:
    return f"{size / 1_048_576:.1f} MiB"


def backup_files(settings: Settings) -> list[Path]:
    """Copies of the whole database (and archive) tracker left beside it: they hold every persona.

    Migration backups (`tracker.db.before-0005.<time>.bak`) and what `tracker restore --force`
    moved aside (`tracker.db.old-<time>`, `archive.old-<time>`).
    """
    found: list[Path] = []
    database = settings.sqlite_path
    if database is not None and database.parent.is_dir():
        found += database.parent.glob(f"{_glob_escape(database.name)}.*.bak")
        found += database.parent.glob(f"{_glob_escape(database.name)}.old-*")
    archive_dir = settings.archive_dir
    if archive_dir.parent.is_dir():
        found += archive_dir.parent.glob(f"{_glob_escape(archive_dir.name)}.old-*")
    return sorted(set(found))


def _glob_escape(name: str) -> str:
    """A file name as a literal glob pattern."""
    return re.sub(r"([*?\[])", r"[\1]", name)


def _local_items(session: Session, ctx: _Context, details: bool) -> list[PlanItem]:
    if not details:
        return [
            PlanItem(id=key, section=Section.LOCAL, label=label, automatic=key in AUTOMATIC_ITEMS)
            for key, label in LOCAL_ITEMS.items()
        ]
    pid = ctx.persona.id
    owned = persona_rows(pid)
    used = used_images(pid)
    names = sorted(set(session.scalars(select(Image.original_name).where(Image.id.in_(used))).all()))
    theirs_too = sorted(
        set(session.scalars(select(Image.original_name).where(Image.id.in_(used), Image.id.not_in(owned["image"]))))
    )
    image_files, image_bytes = session.execute(
        select(func.count(Image.id), func.coalesce(func.sum(Image.size_bytes), 0)).where(Image.id.in_(owned["image"]))
    ).one()
    shared = _count(session, used.where(Image.id.not_in(owned["image"])))
    complaint_files = int(
        session.scalar(
            select(func.count(func.distinct(ComplaintImage.archive_path))).where(
                ComplaintImage.complaint_id.in_(owned["complaint"])
            )
        )
        or 0
    )
    counts = {table: _count(session, owned[table]) for table in ROW_LABELS if table in owned and table != "persona"}
    backups = backup_files(ctx.settings)
    archive_dir = ctx.settings.archive_dir
    from tracker.matching.index import index_path

    archive_notes = [
        f"{image_files} archived image(s), {_mib(int(image_bytes))}, that no other persona uses, in {archive_dir}."
    ]
    if complaint_files:
        archive_notes.append(f"{complaint_files} image(s) complainants sent about this persona.")
    if shared:
        archive_notes.append(f"{shared} image(s) another persona also posted stay in the archive (for that persona).")
    database_notes = [
        _row_summary(counts),
        "Every audit entry about these rows goes too.",
    ]
    if ctx.settings.sqlite_path is not None:
        database_notes.append(
            "Then VACUUM with secure_delete on, and a WAL checkpoint, so the bytes leave the database file."
        )
    else:
        database_notes.append(
            "PostgreSQL keeps deleted rows on disk until VACUUM FULL rewrites the tables: run it afterwards."
        )
    return [
        PlanItem(
            id="local:originals",
            section=Section.LOCAL,
            label=LOCAL_ITEMS["local:originals"],
            steps=(
                "tracker only knows their file names (listed here): look in your generator's output folders "
                "and wherever else you kept them, and delete them.",
            ),
            notes=(f"{len(names)} file name(s).", *_shared_note(theirs_too)),
            files=tuple(names),
        ),
        PlanItem(
            id="local:backups",
            section=Section.LOCAL,
            label=LOCAL_ITEMS["local:backups"],
            steps=(
                "Copies tracker made beside the database (listed here, if any) hold every persona as it was "
                "then: delete them, or keep them only where you keep secrets.",
                "tracker backup files (tracker-backup-*.tar) you made yourself: tracker does not know where they are.",
            ),
            notes=(f"{len(backups)} found beside the database:" if backups else "None found beside the database.",),
            files=tuple(str(p) for p in backups),
        ),
        PlanItem(
            id="local:elsewhere",
            section=Section.LOCAL,
            label=LOCAL_ITEMS["local:elsewhere"],
            steps=(
                "Downloads of your own posts (gallery-dl folders and their .json sidecars).",
                "Your shell history: the tracker commands you typed name the persona and its URLs.",
                "Browser history, sessions and saved passwords of the accounts; the password manager entries.",
                "The email addresses and phone numbers registered to the accounts.",
                "Copies of the data folder in cloud sync or system backups.",
            ),
        ),
        PlanItem(
            id="local:archive",
            section=Section.LOCAL,
            label=LOCAL_ITEMS["local:archive"],
            notes=tuple(archive_notes),
            automatic=True,
        ),
        PlanItem(
            id="local:index",
            section=Section.LOCAL,
            label=LOCAL_ITEMS["local:index"],
            notes=("It is rebuilt from what is left on the next tracker match.",),
            files=(str(index_path(ctx.settings)),),
            automatic=True,
        ),
        PlanItem(
            id="local:database",
            section=Section.LOCAL,
            label=LOCAL_ITEMS["local:database"],
            notes=("The scrub asks you to type the persona's name first.", *database_notes),
            automatic=True,
        ),
    ]


def _shared_note(names: Sequence[str]) -> tuple[str, ...]:
    if not names:
        return ()
    shown = ", ".join(names[:20]) + (f" and {len(names) - 20} more" if len(names) > 20 else "")
    return (f"Also posted by another persona (keep the file if that persona needs it): {shown}.",)


ROW_LABELS: dict[str, str] = {
    "persona": "persona",
    "account": "account(s)",
    "post": "post(s)",
    "image": "image(s)",
    "image_resource": "model link(s)",
    "technique": "image-input technique(s)",
    "image_input": "recorded input(s)",
    "resource": "model(s) only its images named",
    "complaint": "complaint(s) with the complainant's personal data",
    "complaint_image": "complainant image(s)",
    "complaint_post": "complaint-post link(s)",
    "decision": "decision(s)",
    "purge_run": "purge run",
    "purge_item": "checklist mark(s)",
    "event": "audit entries",
}
"""How a table's rows are named in summaries, in the order they are listed."""


def _row_summary(counts: Mapping[str, int]) -> str:
    parts = [f"{n} {ROW_LABELS.get(table, table)}" for table, n in counts.items() if n]
    return "Rows: " + (", ".join(parts) if parts else "only the persona itself") + "."


def _warnings(session: Session, ctx: _Context, accounts: Sequence[Account]) -> Iterable[str]:
    unanswered = _count(
        session,
        select(Complaint.id).where(
            Complaint.persona_id == ctx.persona.id,
            Complaint.status.in_((ComplaintStatus.OPEN, ComplaintStatus.DECIDED)),
        ),
    )
    if unanswered:
        yield (
            f"{unanswered} complaint(s) about this persona are still unanswered. The scrub deletes complaints "
            "with their replies: answer them first, or keep what you may need outside tracker."
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


# ---------------------------------------------------------------------------- marks


@dataclass(frozen=True)
class MarkOutcome:
    """One item's mark before and after `mark_items`."""

    item: PlanItem
    before: PurgeItemState


_POST_KEY = re.compile(r"^post:(\d+)$")


def _is_pattern(key: str) -> bool:
    return any(char in key for char in "*?[")


def _post_ids(keys: Iterable[str]) -> set[int] | None:
    """The post ids named by plain keys, or None when a pattern needs the whole plan."""
    ids: set[int] = set()
    for key in keys:
        if _is_pattern(key):
            return None
        match = _POST_KEY.match(key)
        if match:
            ids.add(int(match.group(1)))
    return ids


def _select_items(plan: Plan, keys: Sequence[str], platform: str | None) -> list[PlanItem]:
    chosen: dict[str, PlanItem] = {}
    for key in keys:
        if _is_pattern(key):
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
            chosen.update((item.id, item) for item in hits)
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
    chosen = _select_items(plan, keys, platform)
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
    if _is_pattern(item_id):
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
        for start in range(0, len(ids), _CHUNK):
            query = select(Post.id, Post.status, Post.status_changed_at).where(Post.id.in_(ids[start : start + _CHUNK]))
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
                    if status is not PostStatus.DELETED:
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
        query = select(Persona.name).join(Account).join(Post).where(Post.id.in_(sorted(posts)[:_CHUNK]))
        names.update(session.scalars(query))
    if accounts:
        query = select(Persona.name).join(Account).where(Account.id.in_(sorted(accounts)[:_CHUNK]))
        names.update(session.scalars(query))
    return names
