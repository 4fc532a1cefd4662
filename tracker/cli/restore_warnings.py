"""The warnings of a restore, said by `tracker restore` when it finishes and by `tracker status` after one was
killed before it could say them (`archive.restore_record`): one wording for both; and the personas finished
restores brought back, which `tracker status` repeats until the owner acts (`archive.returned`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from tracker.archive.left_behind import LeftBehind, Returning
from tracker.archive.replaced import Replaced
from tracker.archive.restore_record import BEFORE, RESTORED, KilledRestore, Unsaid
from tracker.archive.returned import Returned
from tracker.support.dates import iso
from tracker.support.words import counted, verb

LOG_AGAIN = "Log these again (tracker log, tracker complaint add) or restore a newer backup."


def returning_warning(persona: Returning, came_back: bool = False, remembered: bool = False) -> str:
    """A persona the restore brings back, and the command that burns it down again; `came_back` after the fact;
    `remembered`: said by a restore that finishes, which notes it for `tracker status` (`archive.returned`)."""
    from tracker.support.shell import command

    again = command("tracker", "purge", "plan", persona.name)
    line = persona.came_back() if came_back else persona.line()
    if remembered:
        keep = command("tracker", "persona", "keep", persona.name)
        return (
            f"{line}; if it was scrubbed, burn it down again: {again} (tracker status and its checklist say so "
            f"until you scrub it; if you meant to bring it back: {keep})"
        )
    return f"{line}; if it was scrubbed, burn it down again: {again}"


def returned_lines(personas: Sequence[Returned]) -> list[str]:
    """What `tracker status` says of the personas finished restores brought back, until the owner acts."""
    from tracker.support.dates import local_minute
    from tracker.support.shell import command

    lines = []
    for back in personas:
        held = f" ({back.held()})" if back.held() else ""
        again = command("tracker", "purge", "plan", back.name)
        keep = command("tracker", "persona", "keep", back.name)
        lines.append(
            f"Persona '{back.name}'{held} came back with the restore from {back.backup} "
            f"({local_minute(back.restored_at)}): if it was scrubbed, burn it down again: {again}; "
            f"if you meant to bring it back: {keep}"
        )
    return lines


def left_warning(where: Path | str) -> str:
    """The head of the lines on what only the replaced database held."""
    return f"the replaced database held what this backup lacks; it is only in {where} now:"


def left_lines(left: LeftBehind) -> list[str]:
    """What only the replaced database held, one line per kind, deadlines as the owner reads them."""
    from tracker.complaints.deadlines import shown

    return left.lines(shown)


def replaced_lines(entries: Sequence[Replaced], database: Path, now: datetime) -> list[str]:
    """What `tracker status` says of what only the databases finished restores replaced held (`archive.replaced`),
    while their kept copies are there: the complaints, the unanswered ones with their deadlines, and how to read
    them."""
    from tracker.archive.left_behind import LeftBehind
    from tracker.complaints.deadlines import shown
    from tracker.support.dates import local_minute
    from tracker.support.shell import command

    lines = []
    for entry in entries:
        kept = str(database.parent / entry.kept_database)
        lines.append(
            f"The restore from {entry.backup} ({local_minute(entry.restored_at)}) replaced a database that held what "
            f"that backup lacks; it is only in {kept} now (said until you delete or move that file):"
        )
        lines += [f"  - {line}" for line in left_lines(LeftBehind(complaints=list(entry.complaints)))]
        if entry.others():
            lines.append(f"  - {entry.others()}")
        read = command("tracker", "--db", kept, "complaint", "list")
        unanswered = entry.unanswered()
        if unanswered:
            named = ", ".join(
                f"#{n}" + ("" if due is None else f" OVERDUE since {shown(due)}" if due < now else f" by {shown(due)}")
                for n, due in unanswered
            )
            it = verb(len(unanswered), "it", "them")
            lines.append(
                f"  {counted(len(unanswered), 'complaint')} there still to answer ({named}): read {it} with {read}, "
                f"then log {it} again here (tracker complaint add) and answer."
            )
        elif entry.unreadable:
            lines.append("  tracker cannot read that copy (damaged, or not a tracker database): keep it until you know")
        else:
            lines.append(f"  {LOG_AGAIN} To read them: {read} (or tracker --db {kept} posts)")
    return lines


def replaced_json(entries: Sequence[Replaced], database: Path) -> list[dict[str, Any]]:
    """The same for `tracker status --json`."""
    return [
        {
            "backup": entry.backup,
            "kept_database": str(database.parent / entry.kept_database),
            "restored_at": iso(entry.restored_at),
            "complaints": [n for n, _, _ in entry.complaints],
            "unanswered_complaints": [n for n, _ in entry.unanswered()],
            "posts": entry.posts,
            "archived_images_without_post": entry.images,
            "input_images": entry.inputs,
            "changes": entry.changes,
        }
        for entry in entries
    ]


# ---------------------------------------------------------------------------- after a killed restore (`tracker status`)


def interrupted_lines(found: KilledRestore, still_here: set[str]) -> list[str]:
    """What `tracker status` says of a restore killed part way: which database is in use, where the other one is
    kept, and the warnings the restore never said (each persona that came back and is still here)."""
    record = found.record
    backup = record.backup
    kept = record.kept_database
    earlier = [line for unsaid in record.carried for line in earlier_lines(unsaid, still_here)]
    if found.in_use == BEFORE:
        copy = f" (a copy of it was kept as {kept})" if kept else ""
        return [
            f"A restore from {backup} was interrupted before it replaced the database: the database from before is "
            f"in use, nothing was restored{copy}; to restore it: {_restore_command(backup)}",
            *earlier,
        ]
    where = f"; the one from before is kept as {kept}" if kept else ""
    if kept and record.kept_archive:
        where += f" (its archive as {record.kept_archive})"
    lines = [
        f"A restore from {backup} was interrupted after it put the backup's database in place: the restored "
        f"database is in use{where}."
    ]
    personas = [persona for persona in record.returning if persona.name in still_here]
    if personas or record.left:
        until = f"you delete {kept} or a restore finishes" if kept else "a restore finishes"
        lines[0] += f" What it would have said on finishing (repeated until {until}):"
    lines += [f"  - {returning_warning(persona, came_back=True)}" for persona in personas]
    if record.left:
        lines.append(f"  - {left_warning(kept or 'the replaced database')}")
        lines += [f"    {line}" for line in left_lines(record.left)]
        lines.append(f"    {LOG_AGAIN}")
    return lines + earlier


def earlier_lines(unsaid: Unsaid, still_here: set[str] | None = None, indent: str = "  ") -> list[str]:
    """What an earlier restore, killed after it put its backup's database in place, never said, carried over by
    a later restore: a head line, then one line per warning (`indent` in). `still_here`: the personas in the
    database now, for `tracker status` (None: said by the restore that finishes, every persona named is)."""
    personas = [p for p in unsaid.returning if still_here is None or p.name in still_here]
    if not personas and not unsaid.left:
        return []
    kept = unsaid.kept_database
    until = f"you delete {kept} or a restore finishes" if kept else "a restore finishes"
    head = f"An earlier restore from {unsaid.backup} put its backup's database in place and was interrupted before it"
    lines = [f"{head} said (repeated until {until}):" if still_here is not None else f"{head} said this:"]
    lines += [f"{indent}- {returning_warning(persona, came_back=True)}" for persona in personas]
    if unsaid.left:
        where = kept or "the database it replaced"
        lines.append(f"{indent}- the database it replaced held what that backup lacks; it is only in {where} now:")
        lines += [f"{indent}  {line}" for line in left_lines(unsaid.left)]
        lines.append(f"{indent}  {LOG_AGAIN}")
    return lines


def _restore_command(backup: str) -> str:
    from tracker.support.shell import command

    return command("tracker", "restore", "--force", backup)


def copied_line(count: int, found: KilledRestore | None) -> str:
    """The archived files a killed restore left that no record names, blamed on it, and what removes them."""
    files = counted(count, "archived file")
    if found is not None and found.in_use == RESTORED:
        also = f" (kept in {found.record.kept_archive} too)" if found.record.kept_archive else ""
        what = f"it left {files} that only the replaced database names{also}"
    elif found is not None:
        what = f"it copied {files} from the backup that no post or complaint names"
    else:  # its record is gone: which side of the swap a file came from is not known
        what = f"it left {files} that no post or complaint names"
    removes = f"the next tracker log or tracker import removes {verb(count, 'it', 'them')}"
    return f"A restore was interrupted: {what}; {removes}."


def interrupted_json(found: KilledRestore | None, still_here: set[str]) -> dict[str, Any] | None:
    """The same for `tracker status --json`."""
    if found is None:
        return None
    record = found.record
    restored = found.in_use == RESTORED
    return {
        "database_in_use": found.in_use,
        "backup": record.backup,
        "kept_database": record.kept_database,
        "kept_archive": record.kept_archive,
        "returning_personas": [p.name for p in record.returning if p.name in still_here] if restored else [],
        "only_in_kept_database": left_lines(record.left) if restored else [],
        "earlier_restores": [_earlier_json(unsaid, still_here) for unsaid in record.carried],
    }


def _earlier_json(unsaid: Unsaid, still_here: set[str]) -> dict[str, Any]:
    return {
        "backup": unsaid.backup,
        "kept_database": unsaid.kept_database,
        "kept_archive": unsaid.kept_archive,
        "returning_personas": [p.name for p in unsaid.returning if p.name in still_here],
        "only_in_kept_database": left_lines(unsaid.left),
    }
