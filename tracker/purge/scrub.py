"""The scrub: once a persona's checklist is finished, remove every row, file and byte of it.

Three stages, each safe to interrupt:

1. **Rows**, in one transaction: the persona, its accounts and posts, the file names it logged images
   from, the images no other persona uses (with their model links and image-input records), models
   only those images named, the complaints about the persona (complainant's personal data, images,
   decisions, replies), its purge run and marks, and every audit entry about those rows. A complaint
   that also acted on another persona's post stays for that persona, with this one cut out of it
   (`kept_complaints`).
   Images another persona also posted stay, handed over to it without the file names this persona
   gave them (`ownership.hand_over_shared_images`); the audit entries that hold those names, or an old
   value pointing at any deleted row (an image first logged for the persona, a post moved off
   one of its accounts), go too. The archived files to delete are queued (`purge_file`) in the
   same transaction. A crash before the commit leaves the old state.
2. **Files**: the queued files that no remaining row names are deleted, and the reply letters
   the TUI saved for the persona's complaints and the input its forms kept for them (queued too, see
   `letters` and `drafts`: the new complaint's form, of no persona yet, goes too), then the queue is
   emptied; the similarity index (a cache holding every image's hashes) is deleted too. The
   index's lock (`<index>.lock`, the one `matching.index.index_lock` takes) is held from before
   stage 1 until the index is gone, so a search running meanwhile waits, and never saves the
   scrubbed rows into a new index.
3. **Bytes** (SQLite): `PRAGMA secure_delete=ON`, `VACUUM` and `PRAGMA wal_checkpoint(TRUNCATE)`,
   so the deleted rows are gone from the database file and its WAL, not only unlinked from the
   b-tree (`vacuum`). PostgreSQL is not vacuumed here (the report says to run `VACUUM FULL`). The WAL
   is checkpointed once already, right after stage 1 commits: the zeroed pages then reach the
   database file at once, so a scrub killed before its VACUUM leaves no name there.

A crash after the commit leaves a scrubbed database with, at worst, queued files and free pages:
running the scrub again with the same name finds no persona, and finishes stages 2 and 3. The
scrub is idempotent.

The deletions are set-based: the ids of the doomed rows are gathered once into a temporary table
(`owned.OWNED` says which: the very SQL the checklist counts them with), and each table is emptied
with one `DELETE ... WHERE id IN (...)`.
The audit trail forbids deleting events through the ORM (`db.audit._guard`); these are Core
statements on the transaction's connection, which that guard never sees, on purpose.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    MetaData,
    String,
    Table,
    delete,
    exists,
    insert,
    literal,
    select,
    text,
)
from sqlalchemy.orm import Session, sessionmaker

from tracker.archive.copies import backup_files
from tracker.archive.refs import referenced_by
from tracker.archive.restore_record import forget_persona
from tracker.archive.store import writing
from tracker.db.models import Account, Base, ComplaintImage, Event, Image, Persona, Post, PurgeFile
from tracker.db.session import session_scope
from tracker.db.types import UTCDateTime
from tracker.errors import DatabaseError
from tracker.platforms.urls import Platform
from tracker.posts.persona_names import typed_name
from tracker.purge import drafts
from tracker.purge.items import PlanItem, PurgeNotReady
from tracker.purge.kept_complaints import Redactor, cut_out, cut_out_notes, kept_by_scrub, touching
from tracker.purge.letters import QUEUE_PREFIX, is_letter, letters_of, queue_entry, queued_letter
from tracker.purge.owned import owned_rows, unlinked_complaints
from tracker.purge.ownership import hand_over_shared_images, named_by_persona, persona_events
from tracker.purge.plan import build_plan
from tracker.purge.residue import Residue, find_residue
from tracker.purge.vacuum import checkpoint, database_bytes, engine_of, vacuum
from tracker.support import testhooks
from tracker.support.dates import utcnow
from tracker.support.files import file_lock
from tracker.support.settings import Settings
from tracker.support.shell import command
from tracker.support.words import counted

__all__ = ["CRASH_ENV", "CRASH_STEPS", "Residue", "ScrubReport", "find_residue", "scrub"]

CRASH_ENV = "TRACKER_TEST_CRASH_AT"
"""TEST ONLY. Naming one of `CRASH_STEPS` here makes the scrub die at that step (`os._exit(9)`),
as a power cut or `kill -9` would; the crash-safety tests use it. Never set it otherwise."""

CRASH_STEPS = ("after_db_delete_before_commit", "after_commit", "during_files", "after_files", "after_vacuum")

DELETE_ORDER = (
    "purge_item",
    "purge_run",
    "takedown",
    "decision",
    "complaint_post",
    "complaint_image",
    "complaint",
    "post_page",
    "post",
    "image_resource",
    "image_input",
    "technique",
    "image_name",
    "image",
    "resource",
    "account",
    "persona",
)
"""Tables in an order the foreign keys accept (referencing rows first)."""

_DOOMED = Table(
    "tracker_scrub_doomed",
    MetaData(),
    Column("entity", String(64), primary_key=True),
    Column("id", BigInteger, primary_key=True),
    prefixes=["TEMPORARY"],
)
"""(table name, id) of every row the scrub deletes; a temporary table of the scrub's connection only."""
_GATHER = "INSERT INTO {doomed} (entity, id) SELECT CAST(:doomed_entity AS VARCHAR(64)), owned.id FROM ({sql}) AS owned"
"""Puts the ids one `owned.OWNED` query selects into the doomed table, under its table's name."""


INDEX_LOCK_WAIT = 600.0
"""Seconds the scrub waits for a search that is saving the similarity index."""


def _crash_point(step: str) -> None:
    """TEST ONLY: die here without cleaning up when `TRACKER_TEST_CRASH_AT` names this step
    (or stop here for a SIGKILL when `TRACKER_TEST_STOP_AT` names `scrub:STEP`, see `testhooks`)."""
    if os.environ.get(CRASH_ENV) == step:
        os._exit(9)
    testhooks.stop_point(f"scrub:{step}")


@dataclass
class ScrubReport:
    """What the scrub removed (or, for a dry run, would remove)."""

    persona: str
    dry_run: bool
    already_gone: bool = False
    """The persona was not in the database: only an earlier scrub's clean-up was finished."""
    rows: dict[str, int] = field(default_factory=dict)
    """Rows deleted per table (`event` for the audit entries)."""
    images_kept: int = 0
    """Images of the persona that stay because another persona also posted them."""
    files_deleted: int = 0
    bytes_deleted: int = 0
    files_kept: int = 0
    """Queued files that stay because a remaining row still names them."""
    letters_deleted: int = 0
    """Reply letters to the persona's complainants deleted from `replies-out`."""
    drafts_deleted: int = 0
    """Unsaved input the TUI kept for the persona's complaints (and a new complaint's) deleted from `drafts`."""
    complaints_kept: dict[int, str] = field(default_factory=dict)
    """Complaints that also acted on another persona's posts: number -> the persona they now belong to."""
    index_removed: list[str] = field(default_factory=list)
    vacuumed: bool = False
    database_bytes_before: int | None = None
    database_bytes_after: int | None = None
    residue: Residue | None = None
    left: list[PlanItem] = field(default_factory=list)
    """Dry run: the checklist items that would make the real scrub refuse."""
    reminders: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The report as plain data (`--json`)."""
        return {
            "persona": self.persona,
            "dry_run": self.dry_run,
            "already_gone": self.already_gone,
            "rows": dict(self.rows),
            "images_kept": self.images_kept,
            "files_deleted": self.files_deleted,
            "bytes_deleted": self.bytes_deleted,
            "files_kept": self.files_kept,
            "letters_deleted": self.letters_deleted,
            "drafts_deleted": self.drafts_deleted,
            "complaints_kept": {str(n): persona for n, persona in self.complaints_kept.items()},
            "index_removed": list(self.index_removed),
            "vacuumed": self.vacuumed,
            "database_bytes_before": self.database_bytes_before,
            "database_bytes_after": self.database_bytes_after,
            "residue": None
            if self.residue is None
            else {
                "files": list(self.residue.files),
                "name_found": self.residue.name_found,
                "urls_checked": self.residue.urls_checked,
                "urls_found": self.residue.urls_found,
                "name_where": list(self.residue.name_where),
            },
            "left": [item.id for item in self.left],
            "reminders": list(self.reminders),
            "notes": list(self.notes),
        }


class _DryRun(Exception):
    """Raised inside the scrub's transaction to roll a dry run back."""

    def __init__(self, report: ScrubReport) -> None:
        super().__init__("dry run")
        self.report = report


@dataclass(frozen=True)
class _Needles:
    """What must not be left in the database file: the persona's name and its post URLs."""

    name: str
    urls: frozenset[str] = frozenset()
    handles: frozenset[str] = frozenset()


def scrub(
    factory: sessionmaker[Session],
    settings: Settings,
    persona: str,
    platforms: Mapping[str, Platform],
    dry_run: bool = False,
) -> ScrubReport:
    """Delete everything of a persona whose checklist is finished (see the module docstring).

    Raises `PurgeNotReady` (listing the items) while an item is open or failed. With `dry_run`
    nothing changes: the deletions run in a transaction that is rolled back, so the counts are
    exact. The caller asks the owner to type the persona's name first; this function does not.
    """
    name = persona.strip()
    report = ScrubReport(persona=name, dry_run=dry_run)
    if not dry_run:
        # As a writer of the archive: first the files a killed import left (written, never named by a row:
        # no count or plan sees them) are swept, so none of the persona's images outlives its scrub.
        with writing(settings.archive_dir, referenced_by(factory)):
            return _scrub(factory, settings, name, platforms, report)
    return _scrub(factory, settings, name, platforms, report)


def _scrub(
    factory: sessionmaker[Session],
    settings: Settings,
    name: str,
    platforms: Mapping[str, Platform],
    report: ScrubReport,
) -> ScrubReport:
    dry_run = report.dry_run
    try:
        with _index_lock(settings):
            with session_scope(factory, command="purge scrub") as session:
                needles = _delete_rows(session, settings, name, platforms, report)
                if dry_run:
                    _dry_files(session.connection(), settings, report)
                    raise _DryRun(report)
                _crash_point("after_db_delete_before_commit")
            if settings.sqlite_path is not None:
                checkpoint(engine_of(factory))  # the zeroed pages reach the file now, not at the VACUUM
            _crash_point("after_commit")
            _remove_index(settings, report)
    except _DryRun:
        _dry_finish(settings, report)
        return report
    _finish(factory, settings, report, needles)
    return report


@contextmanager
def _index_lock(settings: Settings) -> Iterator[None]:
    """Hold the similarity index's lock file (the one `matching.index.index_lock` takes): a search
    waits while it is held, so it cannot save rows the scrub deletes."""
    path = settings.index_path
    with file_lock(path.with_name(path.name + ".lock"), INDEX_LOCK_WAIT) as held:
        if not held and path.parent.is_dir() and os.access(path.parent, os.W_OK):
            raise DatabaseError(
                "another tracker has been saving the similarity index for 10 minutes: close it and run the scrub again"
            )
        yield


# ---------------------------------------------------------------------------- stage 1: rows


def _delete_rows(
    session: Session, settings: Settings, name: str, platforms: Mapping[str, Platform], report: ScrubReport
) -> _Needles:
    stored = typed_name(session.scalars(select(Persona.name)), name)  # a restored name with spaces around it, ...
    found = None if stored is None else session.scalar(select(Persona).where(Persona.name == stored))
    if found is None:
        report.already_gone = True
        return _Needles(name)
    plan = build_plan(session, name, platforms, settings, details=False)
    left = plan.left()
    if left and not report.dry_run:
        raise PurgeNotReady(name, left)
    report.left, report.reminders = left, plan.reminders()
    conn = session.connection()  # session_scope began it with the write lock
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA secure_delete=ON")
    kept = kept_by_scrub(conn, found.id)
    report.notes += unlinked_complaints(conn, found.id).notes(report.dry_run)
    _DOOMED.create(conn)
    owned = owned_rows(found.id, [c.id for c in kept])
    for table, sql in owned.sql.items():
        conn.execute(text(_GATHER.format(doomed=_DOOMED.name, sql=sql)), {**owned.params, "doomed_entity": table})
    touched = touching(conn, _ids("complaint"), _ids("post"))
    needles = _needles(conn, found)
    _queue_files(conn)
    _queue_letters(conn, settings, [c.id for c in kept])
    renamed = list(conn.execute(named_by_persona(found.id, _ids("image"))).scalars())
    report.rows["event"] = _delete_events(conn, found.id, needles, renamed, [c.id for c in kept])
    report.images_kept = hand_over_shared_images(conn, found.id, _ids("image"))
    own_posts = conn.execute(select(Post.id, Post.platform_post_id).where(Post.id.in_(_ids("post")))).all()
    for table in DELETE_ORDER:
        target = Base.metadata.tables[table]
        result = conn.execute(delete(target).where(target.c.id.in_(_ids(table))))
        report.rows[table] = result.rowcount
    _DOOMED.drop(conn)
    if touched or kept:
        strings = [needles.name, *needles.urls, *needles.handles, found.display_name or "", found.contact or ""]
        redactor = Redactor(strings, found.id, [p for p, _ in own_posts], [i for _, i in own_posts if i])
        emptied = cut_out(conn, {**dict.fromkeys(touched), **{c.id: c.persona_id for c in kept}}, redactor)
        report.complaints_kept = {c.id: c.persona for c in kept}
        report.notes += cut_out_notes(kept, touched, report.dry_run, emptied)
    return needles


def _ids(table: str) -> Any:
    return select(_DOOMED.c.id).where(_DOOMED.c.entity == table)


def _needles(conn: Connection, persona: Persona) -> _Needles:
    urls = frozenset(conn.execute(select(Post.url).where(Post.id.in_(_ids("post")))).scalars())
    handles = frozenset(
        value
        for row in conn.execute(select(Account.handle, Account.profile_url).where(Account.persona_id == persona.id))
        for value in row
        if value
    )
    return _Needles(persona.name, urls, handles)


def _queue_files(conn: Connection) -> None:
    """Queue the archived files of the doomed images and complaint images (once each)."""
    now = literal(utcnow(), UTCDateTime())
    not_queued_image = ~exists(select(PurgeFile.id).where(PurgeFile.archive_path == Image.archive_path))
    conn.execute(
        insert(PurgeFile).from_select(
            ["archive_path", "queued_at"],
            select(Image.archive_path, now).where(Image.id.in_(_ids("image")), not_queued_image),
        )
    )
    not_queued_complaint = ~exists(select(PurgeFile.id).where(PurgeFile.archive_path == ComplaintImage.archive_path))
    conn.execute(
        insert(PurgeFile).from_select(
            ["archive_path", "queued_at"],
            select(ComplaintImage.archive_path, now)
            .where(ComplaintImage.id.in_(_ids("complaint_image")), not_queued_complaint)
            .group_by(ComplaintImage.archive_path),
        )
    )


def _queue_letters(conn: Connection, settings: Settings, kept: Collection[int]) -> None:
    """Queue the reply letters the TUI saved for the doomed complaints (`letters`), and for the kept ones:
    those letters were the scrubbed persona's, signed by it and quoting its posts; and the input the TUI's forms
    kept for them (`drafts`: private notes, an unsent letter), with the new complaint's (whose, none can tell)."""
    complaints = [*conn.execute(_ids("complaint")).scalars(), *kept]
    letters = letters_of(settings, complaints)
    kept_input = drafts.drafts_of(settings, complaints, new_complaint=True)
    if drafts.kept_images(settings):  # left without their draft (a form killed between the two): go with it too
        kept_input.append(drafts.new_complaint_draft(settings))
    queued = set(
        conn.execute(
            select(PurgeFile.archive_path).where(
                PurgeFile.archive_path.startswith(QUEUE_PREFIX) | PurgeFile.archive_path.startswith(drafts.QUEUE_PREFIX)
            )
        ).scalars()
    )
    now = utcnow()
    entries = {queue_entry(path) for path in letters} | {drafts.queue_entry(path) for path in kept_input}
    for entry in sorted(entries - queued):
        conn.execute(insert(PurgeFile).values(archive_path=entry, queued_at=now))


def _delete_events(
    conn: Connection, persona_id: int, needles: _Needles, renamed: Sequence[int], kept: Collection[int]
) -> int:
    """The audit entries of every doomed row, of remaining rows that point at one, of the shared images'
    names, and older entries of long-deleted rows that name the persona."""
    doomed = (
        select(_DOOMED.c.id).where(_DOOMED.c.entity == Event.entity, _DOOMED.c.id == Event.entity_id).correlate(Event)
    )
    deleted = conn.execute(delete(Event).where(exists(doomed))).rowcount
    strings = {needles.name, *needles.urls, *needles.handles}
    stale = sorted(persona_events(conn, persona_id, strings, _ids, renamed, kept))
    for start in range(0, len(stale), 5000):
        deleted += conn.execute(delete(Event).where(Event.id.in_(stale[start : start + 5000]))).rowcount
    return deleted


# ---------------------------------------------------------------------------- stage 2: files


def _safe_path(archive_dir: Path, rel: str) -> str | None:
    """The archived file's path, or None when the stored path would leave the archive folder."""
    if not rel or rel.startswith(("/", "\\")) or ".." in re.split(r"[/\\]", rel):
        return None
    return os.path.join(archive_dir, rel)


def _queued(conn: Connection) -> tuple[list[str], set[str]]:
    """The queued files, and those of them a remaining image or complaint image still names."""
    queued = list(conn.execute(select(PurgeFile.archive_path).order_by(PurgeFile.id)).scalars())
    waiting = select(PurgeFile.archive_path)
    kept = set(conn.execute(select(Image.archive_path).where(Image.archive_path.in_(waiting))).scalars())
    kept |= set(
        conn.execute(select(ComplaintImage.archive_path).where(ComplaintImage.archive_path.in_(waiting))).scalars()
    )
    return queued, kept


def _dry_files(conn: Connection, settings: Settings, report: ScrubReport) -> None:
    queued, kept = _queued(conn)
    for rel in queued:
        if is_letter(rel):
            letter = queued_letter(settings, rel)
            if letter is not None and letter.is_file():
                report.letters_deleted += 1
            continue
        if drafts.is_draft(rel):
            draft = drafts.queued_draft(settings, rel)
            if draft is not None and draft.is_file():
                report.drafts_deleted += 1
            continue
        if rel in kept:
            report.files_kept += 1
            continue
        path = _safe_path(settings.archive_dir, rel)
        if path is not None and os.path.isfile(path):
            report.files_deleted += 1
            report.bytes_deleted += os.stat(path).st_size


def _delete_files(factory: sessionmaker[Session], settings: Settings, report: ScrubReport) -> None:
    """Delete the queued files no row names any more, then empty the queue (under the write lock)."""
    with session_scope(factory, command="purge scrub") as session:
        conn = session.connection()
        queued, kept = _queued(conn)
        folders: set[str] = set()
        for rel in queued:
            if is_letter(rel) or drafts.is_draft(rel):
                _delete_letter(settings, rel, report)
                continue
            if rel in kept:
                report.files_kept += 1
                continue
            path = _safe_path(settings.archive_dir, rel)
            if path is None:
                report.notes.append(f"not deleted (outside the archive folder): {rel}")
                continue
            try:
                size = os.stat(path).st_size
                os.unlink(path)
            except FileNotFoundError:
                continue  # deleted by an interrupted earlier run
            report.files_deleted += 1
            report.bytes_deleted += size
            testhooks.stop_point("scrub:file")
            folders.add(os.path.dirname(path))
            if report.files_deleted == 1:
                _crash_point("during_files")
        conn.execute(delete(PurgeFile))
    for folder in folders:
        try:
            os.rmdir(folder)  # only when empty
        except OSError:
            pass


def _delete_letter(settings: Settings, entry: str, report: ScrubReport) -> None:
    """Delete a queued reply letter, or a queued draft (`drafts`)."""
    draft = drafts.is_draft(entry)
    letter = drafts.queued_draft(settings, entry) if draft else queued_letter(settings, entry)
    if letter is None:
        report.notes.append(f"not deleted (not a {'draft' if draft else 'reply letter'}'s name): {entry}")
        return
    try:
        if draft:
            drafts.remove_draft(letter)  # the new complaint's with the attached images kept with it
        else:
            os.unlink(letter)
    except FileNotFoundError:
        return  # deleted by an interrupted earlier run, or by hand
    if draft:
        report.drafts_deleted += 1
    else:
        report.letters_deleted += 1


def _remove_index(settings: Settings, report: ScrubReport) -> None:
    for path in settings.saved_index_files():
        path.unlink(missing_ok=True)
        report.index_removed.append(str(path))


# ---------------------------------------------------------------------------- stage 3: bytes (`vacuum`)


def _finish(factory: sessionmaker[Session], settings: Settings, report: ScrubReport, needles: _Needles) -> None:
    _delete_files(factory, settings, report)
    _crash_point("after_files")
    database = settings.sqlite_path
    if database is None:
        report.notes.append(
            "PostgreSQL keeps deleted rows on disk until the tables are rewritten: run VACUUM FULL on the "
            "database (and mind the server's WAL archive and backups)."
        )
    else:
        report.database_bytes_before = database_bytes(database)
        testhooks.stop_point("scrub:before_vacuum")
        busy = vacuum(engine_of(factory), command("tracker", "purge", "scrub", report.persona))
        report.vacuumed = True
        if busy:
            report.notes.append(
                "another program has the database open, so its WAL file could not be emptied: close it and run "
                "the scrub again to finish"
            )
        _crash_point("after_vacuum")
        report.database_bytes_after = database_bytes(database)
        wal = database.with_name(database.name + "-wal")
        report.residue = find_residue([database, wal], needles.name, needles.urls, database=database)
        try:
            forget_persona(database, needles.name, needles.urls)  # a killed restore's record named it as come back
        except OSError:
            pass  # the purge checklist lists the record with the other copies of the database
    _common_notes(settings, report)


def _dry_finish(settings: Settings, report: ScrubReport) -> None:
    report.index_removed = [str(p) for p in settings.saved_index_files()]
    if settings.sqlite_path is None:
        report.notes.append("PostgreSQL: after the scrub, run VACUUM FULL on the database.")
    _common_notes(settings, report)


def _common_notes(settings: Settings, report: ScrubReport) -> None:
    done = "would delete" if report.dry_run else "deleted"
    if report.letters_deleted:
        report.notes.append(
            f"{done} {counted(report.letters_deleted, 'reply letter')} to the persona's complainants saved in "
            "replies-out"
        )
    if report.drafts_deleted:
        report.notes.append(
            f"{done} {counted(report.drafts_deleted, 'form')} the TUI kept unsaved (in drafts) for the persona's "
            "complaints or a new complaint"
        )
    copies = backup_files(settings)
    if copies:
        them = "it" if len(copies) == 1 else "them"
        report.notes.append(
            f"{counted(len(copies), 'copy', 'copies')} of the database or the archive beside it "
            f"{'holds' if len(copies) == 1 else 'hold'} every persona as it was then, this one included: delete "
            f"{them}, or keep {them} only where you keep secrets: " + ", ".join(str(p) for p in copies)
        )
