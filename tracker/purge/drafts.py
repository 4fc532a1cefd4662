"""What the owner typed into a TUI form and has not saved yet, kept in case the tracker dies: `<data dir>/drafts/`.

A form that holds unsaved input (`tui.screens.guard.GuardsInput`) writes it here about once a second
(`tui.kept_input`), one private file per form and complaint: `decision-N.json` (the decision form, private notes
included), `reply-N-<language>.json` (the reply being edited) and `new-complaint.json` (the new-complaint form,
the pasted message included; one at a time, with the images of the message's attachments it names in
`new-complaint-images/`). It goes once the form is saved or the owner discards it.

A draft names the persona's complainants and holds the owner's private notes, so it is handled like a reply letter
(`letters`): the purge plan lists the drafts of the persona's complaints and the scrub deletes them, queued in
`purge_file` (as `drafts:<name>`, never an archive path) in the scrub's transaction. A new complaint not logged yet
belongs to no persona the tracker can tell (its message may name a post by a title or a number only), so every
scrub deletes it too. Backups leave drafts out, as they leave reply letters out, and a restore leaves them: a draft
whose complaint is gone, or is another one after a restore, is dropped when the TUI starts (`tui.kept_input`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tracker.db.plain import Readable, chunks, fetch_all, in_list
from tracker.support.dates import iso
from tracker.support.files import read_regular
from tracker.support.settings import Settings

DRAFTS = "drafts"
"""The folder in the data folder where the TUI keeps unsaved input."""

QUEUE_PREFIX = f"{DRAFTS}:"
"""How a queued draft is told from an archived file (and a reply letter) in `purge_file`."""

NEW_COMPLAINT = "new-complaint.json"
"""The new-complaint form's draft: it belongs to no complaint yet."""

NEW_COMPLAINT_IMAGES = "new-complaint-images"
"""The folder beside it holding the images of a message's attachments the form names (`tui.kept_attachments`):
the scratch folder they were read into goes with the form. Removed with the draft."""

NEW_COMPLAINT_LOCK = "new-complaint.lock"
"""Held by the one new-complaint form that keeps the draft (`tui.screens.intake_kept`); empty, never deleted."""

MAX_BYTES = 8 * 1024 * 1024
"""A larger draft is not read (what is typed and pasted into a form is far smaller)."""

_DRAFT = re.compile(r"^(decision|reply)-([0-9]{1,18})(?:-([A-Za-z0-9_.-]{1,64}))?\.json$")


def drafts_folder(settings: Settings) -> Path:
    """Where the drafts are kept."""
    return settings.data_dir / DRAFTS


def decision_draft(settings: Settings, number: int) -> Path:
    """Where the decision form of complaint `number` keeps what was typed in it."""
    return drafts_folder(settings) / f"decision-{int(number)}.json"


def reply_draft(settings: Settings, number: int, language: str | None) -> Path:
    """Where the reply to complaint `number` in `language` keeps the edits not copied or saved."""
    return drafts_folder(settings) / f"reply-{int(number)}-{language or 'reply'}.json"


def new_complaint_draft(settings: Settings) -> Path:
    """Where the new-complaint form keeps what was typed or pasted into it."""
    return drafts_folder(settings) / NEW_COMPLAINT


def new_complaint_images(settings: Settings) -> Path:
    """Where the new-complaint draft keeps the attached images it names."""
    return drafts_folder(settings) / NEW_COMPLAINT_IMAGES


def new_complaint_lock(settings: Settings) -> Path:
    """The lock the new-complaint form that keeps the draft holds (`NEW_COMPLAINT_LOCK`)."""
    return drafts_folder(settings) / NEW_COMPLAINT_LOCK


def kept_images(settings: Settings) -> list[Path]:
    """The attached images the new-complaint draft keeps (regular files only), sorted."""
    folder = new_complaint_images(settings)
    if not folder.is_dir() or folder.is_symlink():
        return []
    try:
        return sorted(p for p in folder.iterdir() if p.is_file() and not p.is_symlink())
    except OSError:
        return []


def remove_kept_images(folder: Path) -> None:
    """Remove the folder of the new complaint's attached images (a link there is removed, never followed)."""
    if folder.is_symlink() or folder.is_file():
        folder.unlink(missing_ok=True)
    elif folder.is_dir():
        shutil.rmtree(folder, ignore_errors=True)


def remove_draft(path: Path) -> None:
    """Delete a draft, the new complaint's with the images kept with it (first: never left without it). Raises
    OSError (FileNotFoundError when it is gone already)."""
    if path.name == NEW_COMPLAINT:
        remove_kept_images(path.parent / NEW_COMPLAINT_IMAGES)
    os.unlink(path)


def is_draft_name(name: str) -> bool:
    """Whether a file name in the drafts folder is one the TUI writes."""
    return name == NEW_COMPLAINT or _DRAFT.fullmatch(name) is not None


def complaint_of(path: Path) -> int | None:
    """The complaint a draft belongs to (None: the new complaint's, or not a draft's name)."""
    match = _DRAFT.fullmatch(path.name)
    return int(match.group(2)) if match else None


def all_drafts(settings: Settings) -> list[Path]:
    """Every draft in the drafts folder (regular files with a draft's name only), sorted."""
    folder = drafts_folder(settings)
    if not folder.is_dir() or folder.is_symlink():
        return []
    try:
        found = [p for p in folder.iterdir() if is_draft_name(p.name) and p.is_file() and not p.is_symlink()]
    except OSError:
        return []
    return sorted(found)


def drafts_of(settings: Settings, complaint_ids: Iterable[int], new_complaint: bool = False) -> list[Path]:
    """The drafts kept for these complaints (and the new complaint's, when `new_complaint`), sorted."""
    wanted = {int(number) for number in complaint_ids}
    return [
        path
        for path in all_drafts(settings)
        if (number := complaint_of(path)) in wanted or (new_complaint and number is None)
    ]


def queue_entry(path: Path) -> str:
    """A draft's entry in the scrub's queue."""
    return QUEUE_PREFIX + path.name


def queued_draft(settings: Settings, entry: str) -> Path | None:
    """The draft a queue entry names; None when the entry is not a draft's (or not a draft's name)."""
    if not entry.startswith(QUEUE_PREFIX):
        return None
    name = entry.removeprefix(QUEUE_PREFIX)
    return drafts_folder(settings) / name if is_draft_name(name) else None


def is_draft(entry: str) -> bool:
    """Whether a queue entry is a draft's (handled apart from archived files)."""
    return entry.startswith(QUEUE_PREFIX)


def drop_stale(settings: Settings, db: Readable) -> list[Path]:
    """Remove the drafts of complaints no longer there (deleted), or closed as duplicates of another (merged: no
    decision nor letter of their own); returns them. A draft of a complaint that a restore gave the number of
    another is told when it is opened (`tui.kept_input`: the complaint's logged time is kept with it)."""
    found = {path: number for path in all_drafts(settings) if (number := complaint_of(path)) is not None}
    live = _live(db, found.values())
    dropped = []
    for path, number in found.items():
        if number not in live:
            try:
                path.unlink()
            except OSError:
                continue
            dropped.append(path)
    return dropped


def _live(db: Readable, numbers: Iterable[int]) -> set[int]:
    """Those of the complaints `numbers` still there and not closed as another's duplicate."""
    live: set[int] = set()
    for part in chunks(sorted(set(numbers))):
        listed, params = in_list("n", part)
        sql = f"SELECT id FROM complaint WHERE id IN {listed} AND duplicate_of_id IS NULL"
        live |= {int(row[0]) for row in fetch_all(db, sql, params)}
    return live


@dataclass(frozen=True)
class Unsaved:
    """A form the TUI kept unsaved (`tracker status` and the dashboard remind the owner of it): which, for which
    complaint (None: a new complaint not logged yet), and when what it holds was written."""

    kind: str
    """`decision`, `reply` or `new complaint`."""
    complaint: int | None
    saved_at: datetime
    language: str | None = None
    """The reply's language (from its file name)."""

    def said(self) -> str:
        """`the reply to #3`, `the decision on #5`, `a new complaint not logged yet`."""
        if self.complaint is None:
            return "a new complaint not logged yet"
        return f"the reply to #{self.complaint}" if self.kind == "reply" else f"the decision on #{self.complaint}"

    def brief(self) -> str:
        """`reply #3`, `decision #5`, `new complaint`: for a line as narrow as the dashboard's."""
        return self.kind if self.complaint is None else f"{self.kind} #{self.complaint}"

    def json(self) -> dict[str, Any]:
        return {
            "form": self.kind,
            "complaint": self.complaint,
            "language": self.language,
            "saved_at": iso(self.saved_at),
        }


def written_at(path: Path) -> datetime | None:
    """When the draft at `path` was written, read as untrusted (`read_regular`): None for a file that is not a
    draft the TUI wrote (not JSON of its shape, a symlink, too large), which the TUI would not put back either."""
    data = read_regular(path, MAX_BYTES)
    if data is None:
        return None
    try:
        record = json.loads(data.decode("utf-8"))
        if not isinstance(record, dict) or record.get("format") != 1 or not isinstance(record.get("values"), dict):
            return None
        saved_at = datetime.fromisoformat(record["saved_at"])
    except (UnicodeDecodeError, ValueError, TypeError, KeyError, RecursionError):
        return None
    return saved_at if saved_at.tzinfo is not None else saved_at.replace(tzinfo=UTC)


def unsaved_forms(settings: Settings, db: Readable) -> list[Unsaved]:
    """The forms the TUI kept unsaved that it would open with what they hold: the new complaint's first (it is
    logged nowhere yet), then by complaint; a draft of a complaint gone or merged, or damaged, is left out."""
    found: list[Unsaved] = []
    for path in all_drafts(settings):
        saved_at = written_at(path)
        match = _DRAFT.fullmatch(path.name)
        if saved_at is not None:
            kind, number, language = match.groups() if match else ("new complaint", None, None)
            found.append(Unsaved(kind, None if number is None else int(number), saved_at, language))
    live = _live(db, [form.complaint for form in found if form.complaint is not None])
    kept = [form for form in found if form.complaint is None or form.complaint in live]
    return sorted(kept, key=lambda form: (form.complaint is not None, form.complaint or 0, form.kind))
