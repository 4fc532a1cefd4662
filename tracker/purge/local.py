"""The local traces of a persona: original files, backups, the archive, the index, the database rows.

Counted in SQL text (`owned`), on any connection `db.plain` reads: `purge status` loads no ORM.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from tracker.archive.copies import backup_files
from tracker.db.plain import Readable, fetch_one
from tracker.purge.drafts import DRAFTS, drafts_of, kept_images
from tracker.purge.items import (
    AUTOMATIC_ITEMS,
    LOCAL_ITEMS,
    ROW_LABELS,
    UNLINKED_ITEM,
    PlanItem,
    Section,
    command,
    row_count_text,
)
from tracker.purge.letters import REPLIES_OUT, letters_of
from tracker.purge.owned import (
    USED_IMAGES,
    Owned,
    Unlinked,
    count_of,
    ids_of,
    kept_by_scrub,
    owned_rows,
    strings_of,
    unlinked_complaints,
    unlinked_since,
)
from tracker.support.settings import Settings
from tracker.support.words import counted, verb


def _mib(size: int) -> str:
    return f"{size / 1_048_576:.1f} MiB"


REOPENING = (UNLINKED_ITEM, "local:backups")
"""Items a mark settles only for what there was when it was made: something new opens them again (`reopened_by`)."""


def local_items(
    db: Readable, persona_id: int, settings: Settings, details: bool, marked: Mapping[str, datetime] | None = None
) -> list[PlanItem]:
    """The local section of a persona's checklist; `details=False` leaves out its counts and file lists.

    `marked`: when the owner marked each item of `REOPENING` done or skipped, for what came since to open it again
    (`_unlinked_item`, `_backups_since`).
    """
    marked = marked or {}
    unlinked = unlinked_complaints(db, persona_id)
    to_link = _unlinked_item(db, persona_id, unlinked, marked.get(UNLINKED_ITEM))
    backups = backup_files(settings) if details or "local:backups" in marked else []
    since = _backups_since(backups, marked.get("local:backups"))
    if not details:
        return [
            *to_link,
            *(
                _reopened(PlanItem(id=key, section=Section.LOCAL, label=label, automatic=key in AUTOMATIC_ITEMS), since)
                for key, label in LOCAL_ITEMS.items()
            ),
        ]
    owned = owned_rows(persona_id, [c.id for c in kept_by_scrub(db, persona_id)])  # as the scrub counts
    params = owned.params
    images = owned.sql["image"]
    names, theirs_too = _original_names(db, owned)
    row = fetch_one(db, f"SELECT count(id), coalesce(sum(size_bytes), 0) FROM image WHERE id IN ({images})", params)
    image_files, image_bytes = row if row is not None else (0, 0)
    shared = count_of(db, f"SELECT u.id FROM ({USED_IMAGES}) AS u WHERE u.id NOT IN ({images})", params)
    complaint_ids = owned.sql["complaint"]
    files = f"SELECT count(DISTINCT archive_path) FROM complaint_image WHERE complaint_id IN ({complaint_ids})"
    complaint_files = int((fetch_one(db, files, params) or (0,))[0])
    counts = {table: owned.count(db, table) for table in ROW_LABELS if table in owned.sql and table != "persona"}
    archive_dir = settings.archive_dir
    complaints = ids_of(db, complaint_ids, params)
    letters = letters_of(settings, complaints)
    kept_input = drafts_of(settings, complaints, new_complaint=True)
    attached = kept_images(settings)  # the new complaint's: the scrub deletes them with its draft

    archive_notes = [
        f"{counted(image_files, 'archived image')}, {_mib(int(image_bytes))}, that no other persona uses, "
        f"in {archive_dir}."
    ]
    if complaint_files:
        archive_notes.append(f"{counted(complaint_files, 'image')} complainants sent about this persona.")
    if shared:
        archive_notes.append(
            f"{counted(shared, 'image')} another persona also posted {verb(shared, 'stays', 'stay')} "
            "in the archive (for that persona)."
        )
    if letters:
        archive_notes.append(
            f"{counted(len(letters), 'reply letter')} to complainants about this persona, copied from the TUI "
            f"into {settings.data_dir / REPLIES_OUT} (listed here)."
        )
    if kept_input:
        archive_notes.append(
            f"{counted(len(kept_input), 'form')} the TUI kept unsaved in {settings.data_dir / DRAFTS} (listed here): "
            "for complaints about this persona, or a new complaint not logged yet (whose, tracker cannot tell)"
            + (f", with {counted(len(attached), 'image')} of its message's attachments." if attached else ".")
        )
    database_notes = [
        _row_summary(counts),
        *_unlinked_going(unlinked),
        "Every audit entry about these rows goes too.",
    ]
    if settings.sqlite_path is not None:
        database_notes.append(
            "Then VACUUM with secure_delete on, and a WAL checkpoint, so the bytes leave the database file."
        )
    else:
        database_notes.append(
            "PostgreSQL keeps deleted rows on disk until VACUUM FULL rewrites the tables: run it afterwards."
        )
    items = [
        *to_link,
        PlanItem(
            id="local:originals",
            section=Section.LOCAL,
            label=LOCAL_ITEMS["local:originals"],
            steps=(
                "tracker only knows their file names (listed here): look in your generator's output folders "
                "and wherever else you kept them, and delete them.",
            ),
            notes=(f"{counted(len(names), 'file name')}.", *_shared_note(theirs_too)),
            files=tuple(names),
        ),
        PlanItem(
            id="local:backups",
            section=Section.LOCAL,
            label=LOCAL_ITEMS["local:backups"],
            steps=(
                "Copies tracker made beside the database (listed here, if any) hold every persona as it was "
                "then: delete them, or keep them only where you keep secrets.",
                "tracker backup files you made yourself (tracker-backup-*.tar, and .tracker-backup-*.tar.*.partial,"
                " the unfinished copy a killed backup leaves, as whole a copy as far as it got): those in the data"
                " folder are listed here; tracker does not know where the others are (`tracker backup` writes to the"
                " folder it ran in, and removes a killed backup's .partial there when it runs there again).",
            ),
            notes=(f"{len(backups)} found beside the database:" if backups else "None found beside the database.",),
            files=tuple(str(p) for p in backups),
        ),
        PlanItem(
            id="local:elsewhere",
            section=Section.LOCAL,
            label=LOCAL_ITEMS["local:elsewhere"],
            steps=(
                'Replies you saved with the TUI\'s "Save to file" (reply-complaint-N.txt, where you chose) or with'
                " `tracker complaint reply --out FILE`, and checklists you wrote with `tracker purge plan --output`:"
                " they name the persona and its URLs.",
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
            files=tuple(str(path) for path in [*letters, *kept_input, *attached]),
            automatic=True,
        ),
        PlanItem(
            id="local:index",
            section=Section.LOCAL,
            label=LOCAL_ITEMS["local:index"],
            notes=("It is rebuilt from what is left on the next tracker match.",),
            files=(str(settings.index_path),),
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
    return [_reopened(item, since) for item in items]


def _backups_since(backups: Sequence[Path], marked: datetime | None) -> tuple[str, ...]:
    """The copies of the database (`backup_files`) made after the owner marked `local:backups` (by their files' times):
    the mark did not cover them."""
    if marked is None:
        return ()
    since = []
    for path in backups:
        try:
            made = datetime.fromtimestamp(path.stat().st_mtime, UTC)
        except OSError:
            continue
        if made > marked:
            since.append(str(path))
    return tuple(since)


def _reopened(item: PlanItem, since: tuple[str, ...]) -> PlanItem:
    """The backups item, open again for the copies made since the mark (`_backups_since`); others as they are."""
    if not since or item.id != "local:backups":
        return item
    note = (
        f"Open again: {counted(len(since), 'copy', 'copies')} of the database made after you marked this item "
        f"({', '.join(Path(p).name for p in since)}): delete {verb(len(since), 'it', 'them')}, or keep "
        f"{verb(len(since), 'it', 'them')} only where you keep secrets, then mark the item again."
    )
    label = f"{item.label} (made since you marked it done: {', '.join(Path(p).name for p in since)})"
    return replace(item, label=label, notes=(note, *item.notes), reopened_by=since)


def _unlinked_item(db: Readable, persona_id: int, unlinked: Unlinked, marked: datetime | None) -> list[PlanItem]:
    """With other personas in the database, the complaints linked to no persona (`owned.unlinked_complaints`)
    are one item the owner settles: the scrub cannot tell whether they are about this persona, so it keeps
    them, and says so; linked to this persona first, they go with it. None when there are none, or when this
    persona is the only one (then the scrub deletes them: `_unlinked_going`).

    A mark (done or skipped at `marked`) covers the complaints the owner looked at: one that became unlinked
    after it (logged since, or unlinked since) opens the item again, named (`PlanItem.reopened_by`), until the
    owner marks it again or links that complaint; linked, the earlier mark stands again."""
    if not unlinked.complaints or unlinked.only_persona:
        return []
    row = fetch_one(db, "SELECT name FROM persona WHERE id = :pid", {"pid": persona_id})
    name = str(row[0]) if row is not None else ""
    first = str(unlinked.complaints[0].id)
    label = "Decide whose the complaints linked to no persona are"
    later = tuple(unlinked_since(db, [c.id for c in unlinked.complaints], marked)) if marked is not None else ()
    reopened = tuple(f"#{n}" for n in later)
    since: tuple[str, ...] = ()
    if later:
        numbers = ", ".join(f"#{n}" for n in later)
        label += f" (logged since you marked it done: {numbers})"
        since = (
            f"Open again: {counted(len(later), 'complaint')} linked to no persona came in or lost "
            f"{verb(len(later), 'its link', 'their links')} after you marked this item ({numbers}). Link "
            f"{verb(len(later), 'it', 'each')} to its persona, or mark the item again once you have looked.",
        )
    return [
        PlanItem(
            id=UNLINKED_ITEM,
            section=Section.LOCAL,
            label=label,
            reopened_by=reopened,
            steps=(
                "They name no post and no persona, so tracker cannot tell whether they are about this one "
                "(`tracker complaint show N` shows one): the scrub keeps them, with their complainants' details "
                "and images.",
                f"One about this persona: link it to this persona (`{command('tracker', 'complaint', 'set', first)} "
                f"--persona {command(name)}`), and the scrub deletes it with the persona.",
                "One about another persona: link it to that one (`--persona NAME`), so that persona's scrub takes it.",
            ),
            notes=(
                *since,
                f"{counted(len(unlinked.complaints), 'complaint')} linked to no persona:",
                *(complaint.line() for complaint in unlinked.complaints),
            ),
        )
    ]


def _unlinked_going(unlinked: Unlinked) -> tuple[str, ...]:
    """The database item's note on the complaints linked to no persona that the scrub deletes (this persona is
    the only one, so they can only be about it)."""
    if not unlinked.complaints or not unlinked.only_persona:
        return ()
    count = len(unlinked.complaints)
    whose = verb(count, "its complainant's", "their complainants'")
    return (
        f"Among them {counted(count, 'complaint')} linked to no persona or post ({unlinked.numbers()}): no other "
        f"persona is in tracker, so {verb(count, 'it', 'they')} can only be about this one, and "
        f"{verb(count, 'goes', 'go')} with {whose} details and "
        "images (`tracker complaint show N` shows one first).",
    )


def _original_names(db: Readable, owned: Owned) -> tuple[list[str], list[str]]:
    """Every file name the persona's images were logged or imported from, and those of images that stay.

    Each image's first name (`original_name`, as listings show it) and each name the persona gave
    it (`image_name`: a byte-identical copy logged under another name is another file to delete).
    """
    first = f"SELECT original_name FROM image WHERE id IN ({USED_IMAGES})"
    given = "SELECT name FROM image_name WHERE persona_id = :pid"
    images, params = owned.sql["image"], owned.params
    every = {*strings_of(db, first, params), *strings_of(db, given, params)}
    staying = {
        *strings_of(db, f"{first} AND id NOT IN ({images})", params),
        *strings_of(db, f"{given} AND image_id NOT IN ({images})", params),
    }
    return sorted(every), sorted(staying)


def _shared_note(names: Sequence[str]) -> tuple[str, ...]:
    if not names:
        return ()
    shown = ", ".join(names[:20]) + (f" and {len(names) - 20} more" if len(names) > 20 else "")
    return (f"Also posted by another persona (keep the file if that persona needs it): {shown}.",)


def _row_summary(counts: Mapping[str, int]) -> str:
    parts = [row_count_text(table, n) for table, n in counts.items() if n]
    return "Rows: " + (", ".join(parts) if parts else "only the persona itself") + "."
