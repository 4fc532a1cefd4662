"""The checklist's parts: its sections, one item, the whole plan, and the states that settle an item.

Item ids are stable: `export:<platform>:<account id>`, `blocker:<platform>:<account id>:<service>`,
`post:<post id>`, `account:<account id>`, `local:complaints` (when complaints are linked to no persona),
`local:originals`, `local:backups`, `local:elsewhere`, `local:archive`, `local:index`, `local:database`. Items
whose id starts with `local:` and that the scrub performs itself (archive, index, database) are `automatic`: they
are never marked.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tracker.db.enums import PurgeItemState
from tracker.errors import ConflictError
from tracker.support.dates import iso, utcnow
from tracker.support.shell import command
from tracker.support.words import counted, verb

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

UNLINKED_ITEM = "local:complaints"
"""The item that asks the owner whose the complaints linked to no persona are (listed only when there are some
and other personas too: `local._unlinked_item`)."""

AUTOMATIC_ITEMS = ("local:archive", "local:index", "local:database")
"""Items the scrub performs itself; they never need (and cannot take) a mark."""

CHUNK = 5000
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
            f"{counted(len(self.left), 'item')} of the purge of {persona!r} "
            f"{verb(len(self.left), 'is', 'are')} not done or skipped yet: "
            f"mark them first ({command('tracker', 'purge', 'status', persona)} lists them)"
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
    help_page: str | None = None
    """The platform's own help page for these steps (from `platforms.toml`), when one is known."""
    help_page_note: str | None = None
    """Why there is no help page for these steps (set only for platform steps that lack one)."""
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
    last_check: dict[str, Any] | None = None
    """A post's newest `tracker check` answer: state, reason, checked_at (ISO), url asked, evidence."""
    reopened_by: tuple[str, ...] = ()
    """What came after the owner's mark and was not covered by it: for `local:complaints` the complaints linked to
    nothing that came in (or lost their links) since (`#7`), for `local:backups` the copies of the database made
    since (their paths). While there are any the item is open again, whatever the mark says (`local`)."""

    @property
    def still_online(self) -> bool:
        """A post the platform still showed at its last check although it is marked done or was taken down."""
        if self.last_check is None or self.last_check.get("state") != "live":
            return False
        return self.state is PurgeItemState.DONE or self.post_status in ("taken_down", "deleted")

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

    @property
    def waiting_unconfirmed(self) -> bool:
        """The platform's waiting period is a figure its sources could not confirm (`platforms.toml` marks it
        unverified: pixiv's two weeks come from a third party, DeviantArt's sources disagree)."""
        return "waiting_period_days" in self.unverified

    def to_dict(self) -> dict[str, Any]:
        """The item as plain data (the JSON and CSV forms)."""
        return {
            "id": self.id,
            "section": self.section.value,
            "state": self.state.value,
            "reason": self.reason,
            "marked_at": iso(self.marked_at),
            "automatic": self.automatic,
            "label": self.label,
            "platform": self.platform,
            "platform_name": self.platform_name,
            "account": self.account,
            "account_url": self.account_url,
            "url": self.url,
            "title": self.title,
            "posted_at": iso(self.posted_at),
            "post_status": self.post_status,
            "new_since_start": self.new_since_start,
            "steps": list(self.steps),
            "notes": list(self.notes),
            "files": list(self.files),
            "waiting_period_days": self.waiting_period_days,
            "login_cancels_deletion": self.login_cancels_deletion,
            "final_after": iso(self.final_after),
            "sources": list(self.sources),
            "unverified": list(self.unverified),
            "help_page": self.help_page,
            "help_page_note": self.help_page_note,
            "last_check": self.last_check,
            "still_online": self.still_online,
            "reopened_by": list(self.reopened_by),
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
    platforms_override: str | None = None
    """Where the owner's own corrected copy of `platforms.toml` goes: the data folder, whose copy
    replaces the shipped one (never the copy inside the installed package, which an upgrade overwrites)."""
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
            if item.waiting_unconfirmed:
                line += f" (if the {item.waiting_period_days} days the sources give are right: check on the site)"
            if item.login_cancels_deletion:
                line += "; do not log in before then, logging in cancels the deletion"
            lines.append(line)
        return lines

    def verification(self) -> dict[str, Any]:
        """The plan's last step: what `tracker check` found about its posts, and the command that checks them."""
        posts = self.section(Section.POST)
        states = [item.last_check.get("state") if item.last_check else None for item in posts]
        return {
            "command": command("tracker", "check", "--persona", self.persona, "--mark"),
            "posts": len(posts),
            "gone": states.count("gone"),
            "live": states.count("live"),
            "unknown": states.count("unknown"),
            "never_checked": states.count(None),
            "still_online": [item.id for item in posts if item.still_online],
        }

    def override_advice_parts(self) -> tuple[str, str | None, str]:
        """The advice on correcting platform steps as (text, path or None, text), for formats that mark up paths."""
        own = self.platforms_override
        never = "never edit the copy inside the installed tracker package, which an upgrade overwrites."
        if own is None:
            whole = (
                "If a platform changed its steps, put a corrected copy of the whole platforms.toml in your data folder"
            )
            return f"{whole}; {never}", None, ""
        if own == self.platforms_file:
            return "If a platform changed its steps, correct them in your own copy, ", own, f"; {never}"
        return (
            "If a platform changed its steps, put a corrected copy of the whole platforms.toml at ",
            own,
            f" (your data folder: that copy replaces the shipped one, nothing is merged); {never}",
        )

    def override_advice(self) -> str:
        """Where to correct platform steps that changed: the data folder's copy, never the installed one."""
        before, path, after = self.override_advice_parts()
        return f"{before}{path or ''}{after}"

    def to_dict(self) -> dict[str, Any]:
        """The plan as plain data (the JSON form).

        `platforms_override` says where a corrected copy of the platforms file goes (`path`, the data
        folder) and what to do (`advice`); each item's `help_page` is the platform's own page for its
        steps, or `help_page_note` says why there is none.
        """
        return {
            "format": "tracker-purge-plan",
            "version": 1,
            "persona": self.persona,
            "generated_at": iso(self.generated_at),
            "run": {"id": self.run_id, "started_at": iso(self.run_started_at)} if self.run_id else None,
            "platforms_file": self.platforms_file,
            "platforms_override": {"path": self.platforms_override, "advice": self.override_advice()},
            "warnings": list(self.warnings),
            "summary": {
                "items": len(self.items),
                "left": len(self.left()),
                "by_section": self.counts(),
            },
            "items": [item.to_dict() for item in self.items],
            "verification": self.verification(),
        }


ROW_LABELS: dict[str, tuple[str, str]] = {
    "persona": ("persona", "personas"),
    "account": ("account", "accounts"),
    "post": ("post", "posts"),
    "post_page": ("further page of a post", "further pages of posts"),
    "image": ("image", "images"),
    "image_name": ("original file name", "original file names"),
    "image_resource": ("model link", "model links"),
    "technique": ("image-input technique", "image-input techniques"),
    "image_input": ("recorded input", "recorded inputs"),
    "resource": ("model only its images named", "models only its images named"),
    "complaint": ("complaint with the complainant's personal data", "complaints with the complainant's personal data"),
    "complaint_image": ("complainant image", "complainant images"),
    "complaint_post": ("complaint-post link", "complaint-post links"),
    "decision": ("decision", "decisions"),
    "takedown": ("confirmed take-down", "confirmed take-downs"),
    "purge_run": ("purge run", "purge runs"),
    "purge_item": ("checklist mark", "checklist marks"),
    "event": ("audit entry", "audit entries"),
}
"""How a table's rows are named in summaries (one, many), in the order they are listed."""


def row_count_text(table: str, count: int) -> str:
    """`count` rows of `table` in words: "1 post", "3 audit entries"."""
    one, many = ROW_LABELS.get(table, (table, table))
    return f"{count} {one if count == 1 else many}"
