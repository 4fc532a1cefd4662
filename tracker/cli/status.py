"""`tracker status`: a headline on unanswered and overdue complaints (then one line each), for a login script or cron.

Exit codes, so `tracker status || notify-send ...` works and a script can tell the cases apart:
0 nothing overdue or due within a day; 1 a complaint is overdue; 2 the answer is unknown (no
database at the configured path, one that cannot be read, a usage error); 3 a complaint is due
today or within 24 hours (01:00 tomorrow is tonight's work), a take-down promised in a sent reply
is not confirmed yet, a persona scrub was interrupted, or a restore was killed after it put the backup
in place with warnings it never said (none overdue). A missing database is never
an all-clear: a cron job with a mistyped data folder would otherwise stay silent for ever. Archived
files an interrupted import or log left, that no record names, are told of too, with no exit code of
their own: no deadline hangs on them, and the next import or log removes them. So are the copies a killed
`tracker restore` left beside the database (`store.killed_restore_left`: told of, not removed, by a reader), and
which database such a restore left in use (`restore_record`): when it is the restored one, what the restore would
have warned (a persona that came back, what only the replaced database held, and what an earlier killed restore
never said, carried over) is said too, with exit 3, until the owner deletes the replaced database's copy or a
restore finishes. A persona a finished restore brought back (one scrubbed since the backup: `archive.returned`) is
said too, with exit 3, until the owner scrubs it again or keeps it (`tracker persona keep NAME`). What only the
database a finished restore replaced held (`archive.replaced`) is said while its `.old-*` copy is there, an
unanswered complaint among it with exit 3 (1 once overdue): the owner deletes or moves the copy to end it, and the
next status drops it from the note (`store.drop_spent_note`; the note goes with its last copy). A
record left with nothing to say is removed here, under the restore lock (`store.drop_spent_record`): it names
personas, and must not outlive what it was about. What the owner typed into
the TUI and did not save (a reply, a decision, a new complaint not logged yet: `purge.drafts`, kept should an SSH
connection drop) is said too, with when it was typed, so that the complaint it answers is not forgotten; no exit
code of its own: the complaint's deadline has one.
"""

from __future__ import annotations

import sqlite3
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from tracker.cli.context import EXIT_IF_CUT, AppContext, no_database, pass_app, terminal_width
from tracker.cli.output import alarmed, hanging, together
from tracker.complaints.deadlines import shown as deadline_shown
from tracker.complaints.legal import BASIS_LABELS
from tracker.db.enums import LegalBasis
from tracker.errors import TrackerError
from tracker.support.dates import from_iso, iso, local_minute, utcnow
from tracker.support.textsafe import safe_json, safe_text
from tracker.support.words import counted, verb

if TYPE_CHECKING:
    from tracker.archive.replaced import Replaced
    from tracker.archive.restore_record import KilledRestore
    from tracker.archive.returned import Returned
    from tracker.complaints.queue import ComplaintSummary, DueSoon, Overdue
    from tracker.purge.drafts import Unsaved


def _overdue_line(c: dict[str, Any]) -> str:
    from tracker.complaints.queue import complainant_label

    due = deadline_shown(from_iso(c["deadline_at"]))
    basis = BASIS_LABELS[LegalBasis(c["legal_basis"])]
    return safe_text(f"  #{c['id']}  OVERDUE since {due}  {complainant_label(c)}  ") + together(basis)


QUICK_CHECK_BYTES = 4 * 2**20
"""SQLite files up to this size (a couple of thousand posts) get `PRAGMA quick_check` on every status (tens of
milliseconds: ~20 ms per MB read), so a page a failing disk overwrote is an unknown answer (exit 2), not a
quiet all-clear. Bigger files are checked by `tracker backup` (integrity_check), not on every status."""


def _check_small_sqlite(conn: Any, path: Path | None) -> None:
    from tracker.db.plain import fetch_all

    if path is None or not path.is_file() or path.stat().st_size > QUICK_CHECK_BYTES:
        return
    found = [str(row[0]) for row in fetch_all(conn, "PRAGMA quick_check(3)")]
    if found != ["ok"]:
        raise StatusUnknown(f"the database is damaged ({found[0]}): restore it from a backup (tracker restore)")


def _database_error(exc: Exception) -> bool:
    """An error of the database driver (SQLAlchemy's only when it was loaded: the quick path never loads it)."""
    if isinstance(exc, sqlite3.Error):
        return True
    loaded = sys.modules.get("sqlalchemy.exc")
    return loaded is not None and isinstance(exc, loaded.SQLAlchemyError)


EXIT_OVERDUE = 1
EXIT_UNKNOWN = 2
EXIT_DUE_TODAY = 3


class StatusUnknown(TrackerError):
    """The database is missing or cannot be read: `status` cannot say whether anything is overdue."""

    exit_code = EXIT_UNKNOWN


@click.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print the counts and the overdue complaints as JSON.")
@pass_app
def status_cmd(app: AppContext, as_json: bool) -> None:
    """A headline on unanswered, overdue and soon-due complaints, then a line for each that needs you.

    Exit code 0: nothing overdue or due within a day; 1: a complaint is overdue; 2: no database at
    the configured path, or it cannot be read; 3: a complaint is due today or within 24 hours, a
    take-down promised in a sent reply is not confirmed yet, a persona scrub was interrupted, a restore was
    killed after it put the backup in place, with warnings it never said, or an unanswered complaint is only in
    the database a restore replaced (kept as .old-*: exit 1 once it is overdue).
    """
    # SQL text on one connection (`db.plain`): on a SQLite file at this revision the standard library's
    # (`db.quick`, no SQLAlchemy: a login script's status answers in a tenth of a second), else the engine's.
    from tracker.accountability.provenance import provenance_counts
    from tracker.archive.refs import named_among
    from tracker.archive.replaced import read_replaced, replaced_path
    from tracker.archive.restore_record import RESTORED, has_record, personas_here
    from tracker.archive.returned import read_returned, returned_path
    from tracker.archive.store import (
        drop_spent_note,
        drop_spent_record,
        killed_restore_left,
        killed_restore_record,
        unrecorded,
    )
    from tracker.checking.unverified import unverified_takedowns
    from tracker.complaints.queue import (
        awaiting_answers,
        due_soon,
        is_overdue,
        open_complaints,
        overdue_summary,
        promised_takedowns,
        summary_dict,
    )
    from tracker.db.plain import fetch_one, reading
    from tracker.purge.drafts import unsaved_forms
    from tracker.purge.unfinished import queued_files

    try:
        if not app.database_exists():
            raise StatusUnknown(no_database(app.settings.sqlite_path))
        app.keep_private(deep=True)  # the check a login script runs: the archive's subfolders are looked at too
        now = utcnow()
        with reading(app.reader()) as conn:
            _check_small_sqlite(conn, app.settings.sqlite_path)
            summary = overdue_summary(conn, now)
            waiting = open_complaints(conn)
            provenance = provenance_counts(conn, app.settings)
            unverified = unverified_takedowns(conn, now)
            promised = promised_takedowns(conn)
            asked = awaiting_answers(conn)
            unscrubbed = queued_files(conn)
            archive = app.settings.archive_dir
            leftovers = len(unrecorded(archive, lambda rels: named_among(conn, rels)))
            copied = len(unrecorded(archive, lambda rels: named_among(conn, rels), by_restore=True))
            database = app.settings.sqlite_path
            restore_left = killed_restore_left(database, archive) if database else ([], False)
            killed = killed_restore_record(database, archive) if database else None
            recorded = database is not None and has_record(database)
            noted = database is not None and returned_path(database).is_file()
            here = personas_here(conn) if recorded or noted else set()
            returned = read_returned(database, here) if database is not None and noted else []
            empty = not summary.unanswered and fetch_one(conn, "SELECT 1 FROM post LIMIT 1") is None
            unsaved = unsaved_forms(app.settings, conn)
    except StatusUnknown:
        raise
    except TrackerError as exc:
        raise StatusUnknown(str(exc)) from None
    except Exception as exc:
        if not _database_error(exc):
            raise
        raise StatusUnknown(f"cannot read the database: {str(exc).splitlines()[0] if str(exc) else exc}") from None
    left = _unfinished_backups(app)
    replaced = read_replaced(database) if database is not None and replaced_path(database).is_file() else []
    if database is not None and replaced_path(database).is_file():
        drop_spent_note(database)  # the entries whose copies the owner deleted, and the note once it names none
    overdue = [summary_dict(c, now) for c in waiting if is_overdue(c, now)]
    soon = due_soon(waiting, now)
    restored = _Restored(killed, here, copied, restore_left, recorded, returned, replaced, database, now)
    if (
        recorded
        and database is not None
        and (killed is None or (killed.in_use == RESTORED and not restored.killed_warns))
    ):
        drop_spent_record(database, archive, here)  # nothing left to say: a persona's name must not outlive it
    alarm = soon.within_a_day or promised or unscrubbed or restored.warns
    code = EXIT_OVERDUE if summary.overdue or restored.overdue_elsewhere else EXIT_DUE_TODAY if alarm else 0
    click.get_current_context().meta[EXIT_IF_CUT] = code  # `tracker status | head -1` still says "overdue"
    if as_json:
        found = (summary, overdue, soon, provenance, unverified, promised, unscrubbed, asked, leftovers, restored)
        _print_json(*found, unsaved, left)
    else:
        _print_text(
            summary, overdue, soon, provenance, unverified, promised, unscrubbed, asked, leftovers, restored, left,
            _next_due(waiting, summary.unanswered) if not (overdue or soon.line()) else None,
        )  # fmt: skip
        if unsaved:
            for piece in hanging("", _unsaved_line(unsaved), terminal_width(), 2):
                click.echo(piece)
        if empty:  # a mistyped data folder that `models scan` made, say: an all-clear about nothing
            where = app.settings.sqlite_path or "this database"
            click.echo(safe_text(f"No post logged yet in {where}: is it the archive you meant?"))
    if code:
        sys.exit(code)


def _unfinished_backups(app: AppContext) -> list[Path]:
    """What killed `tracker backup` runs left (`.<name>.<random>.partial`, each a copy of every persona) in the
    folders tracker can know: the data folder, the database's, and this one (a backup is written where it runs)."""
    from tracker.archive.backup import stale_partials

    settings = app.settings
    folders = [settings.data_dir]
    try:
        folders.append(Path.cwd())
    except OSError:  # the shell's folder was deleted under it: nothing to look at there
        pass
    if settings.sqlite_path is not None:
        folders.append(settings.sqlite_path.absolute().parent)
    found: list[Path] = []
    for folder in dict.fromkeys(path.absolute() for path in folders):
        found += stale_partials(folder)
    return found


@dataclass(frozen=True)
class _Restored:
    """What a killed `tracker restore` left for status to tell: its record (`restore_record`), the names of the
    personas in the database, the archived files it left that no row names, and its unfinished copies."""

    killed: KilledRestore | None
    here: set[str]
    copied: int
    left: tuple[list[Path], bool]
    recorded: bool
    """A record is there (one that no longer applies included): without one, a kill came before any change."""
    returned: list[Returned] = field(default_factory=list)
    """The personas finished restores brought back, still here and not acted on (`archive.returned`)."""
    replaced: list[Replaced] = field(default_factory=list)
    """What only the databases finished restores replaced held, while their copies are kept (`archive.replaced`)."""
    database: Path | None = None
    now: datetime | None = None

    @property
    def killed_warns(self) -> bool:
        """A persona it (or an earlier killed restore) brought back is still here, or what only the database it
        replaced held is only in that copy."""
        return self.killed is not None and self.killed.says(self.here)

    @property
    def warns(self) -> bool:
        """The same, or a persona a finished restore brought back is still here, not acted on, or a complaint to
        answer is only in a database a finished restore replaced."""
        waiting = any(entry.unanswered() for entry in self.unsaid_replaced())
        return self.killed_warns or bool(self.unsaid_returned()) or waiting

    @property
    def overdue_elsewhere(self) -> bool:
        """A complaint only in a database a finished restore replaced is still to answer, and overdue."""
        now = self.now
        due = [due for entry in self.unsaid_replaced() for _, due in entry.unanswered() if due is not None]
        return now is not None and any(moment < now for moment in due)

    def unsaid_replaced(self) -> list[Replaced]:
        """The finished restores' notes of what the replaced databases held, less a copy a killed restore's record
        already speaks of."""
        from tracker.archive.restore_record import RESTORED

        named: set[str | None] = set()
        if self.killed is not None:
            own = {self.killed.record.kept_database} if self.killed.in_use == RESTORED else set()
            named = own | {u.kept_database for u in self.killed.record.carried}
        return [entry for entry in self.replaced if entry.kept_database not in named]

    def unsaid_returned(self) -> list[Returned]:
        """The personas finished restores brought back, less those a killed restore's record names already."""
        from tracker.archive.restore_record import RESTORED

        named: set[str] = set()
        if self.killed is not None:
            own = self.killed.record.returning if self.killed.in_use == RESTORED else ()
            named = {p.name for p in own} | {p.name for u in self.killed.record.carried for p in u.returning}
        return [p for p in self.returned if p.name not in named]

    def lines(self) -> list[str]:
        from tracker.cli.restore_warnings import copied_line, interrupted_lines, replaced_lines, returned_lines

        lines = interrupted_lines(self.killed, self.here) if self.killed is not None else []
        lines += returned_lines(self.unsaid_returned())
        if self.database is not None and self.now is not None:
            lines += replaced_lines(self.unsaid_replaced(), self.database, self.now)
        if self.copied:
            lines.append(copied_line(self.copied, self.killed))
        if self.left[0]:
            lines.append(_restore_line(*self.left, before=not self.recorded))
        return lines

    def json(self) -> dict[str, Any]:
        from tracker.cli.restore_warnings import interrupted_json, replaced_json

        replaced = replaced_json(self.unsaid_replaced(), self.database) if self.database is not None else []
        return {
            "only_in_replaced_databases": replaced,
            "interrupted_restore_files": len(self.left[0]),
            "interrupted_restore": interrupted_json(self.killed, self.here),
            "restore_archive_files": self.copied,
            "returned_personas": [p.to_dict() for p in self.unsaid_returned()],
        }


def _restore_line(left: list[Path], by_writer: bool, before: bool = False) -> str:
    """One line on what a killed restore left (its staging folder, a full copy of the backup; half-made copies of
    the old database and archive) and the command that removes it. `before`: killed before it wrote its record,
    so before it changed the database or the archive (which it says)."""
    names = ", ".join(safe_text(path.name) for path in sorted(left)[:2]) + (", ..." if len(left) > 2 else "")
    clears = "the next tracker log or tracker import (or tracker restore)" if by_writer else "the next tracker restore"
    unchanged = " before it changed anything (the database from before is in use)" if before else ""
    return (
        f"A restore was interrupted{unchanged}: it left "
        f"{counted(len(left), 'unfinished copy', 'unfinished copies')} beside the "
        f"database and archive ({names}); {clears} removes {verb(len(left), 'it', 'them')}."
    )


def _print_json(
    summary: Overdue,
    overdue: list[dict[str, Any]],
    soon: DueSoon,
    provenance: dict[str, int],
    unverified: int,
    promised: list[int],
    unscrubbed: int,
    asked: list[int],
    leftovers: int,
    restored: _Restored,
    unsaved: list[Unsaved],
    backups_left: list[Path],
) -> None:
    data: dict[str, Any] = {"unanswered": summary.unanswered, "overdue": summary.overdue}
    data_all = {**data, "oldest_overdue": iso(summary.oldest_overdue), "complaints": overdue}
    data_all |= {"due_today": soon.today, "due_tomorrow": soon.tomorrow, "takedowns_to_confirm": promised}
    data_all |= {"unfinished_scrub_files": unscrubbed, "awaiting_their_answer": asked}
    data_all |= {"unrecorded_archive_files": leftovers, **restored.json()}
    data_all |= {"unsaved_in_tui": [form.json() for form in unsaved]}
    data_all |= {"unfinished_backups": [str(path) for path in backups_left]}
    click.echo(safe_json({**data_all, "provenance": provenance, "unverified_takedowns": unverified}))


UNSAVED_SHOWN = 5
"""The unsaved forms `status` names one by one; more are counted."""


def _unsaved_line(unsaved: list[Unsaved]) -> str:
    """What the TUI kept unsaved, each with when it was typed: `Typed in the TUI and not saved: the reply to #3
    (2026-12-06 14:02); ... Opened again in tracker tui, it holds what you typed.`"""
    named = [f"{form.said()} ({local_minute(form.saved_at)})" for form in unsaved[:UNSAVED_SHOWN]]
    if len(unsaved) > UNSAVED_SHOWN:
        named.append(f"{counted(len(unsaved) - UNSAVED_SHOWN, 'more form')}")
    holds = verb(len(unsaved), "it holds", "each holds")
    return f"Typed in the TUI and not saved: {'; '.join(named)}. Opened again in tracker tui, {holds} what you typed."


def _next_due(waiting: list[ComplaintSummary], unanswered: int) -> str | None:
    """The unanswered complaint due first, when none is overdue or due today or tomorrow: "3 complaints
    unanswered, none overdue" alone names none, and exits 0, so a complaint due in a week is not forgotten."""
    if not waiting:
        return None
    first = waiting[0]  # `open_complaints`: by deadline, none last
    when = f"by {deadline_shown(first.deadline_at)}" if first.deadline_at is not None else "(no deadline)"
    listed = "shows it" if unanswered == 1 else f"lists all {unanswered}"
    return f"Next to answer: #{first.id} {when} (tracker complaint list {listed})"


def _print_text(
    summary: Overdue,
    overdue: list[dict[str, Any]],
    soon: DueSoon,
    provenance: dict[str, int],
    unverified: int,
    promised: list[int],
    unscrubbed: int,
    asked: list[int],
    leftovers: int,
    restored: _Restored,
    backups_left: list[Path],
    next_due: str | None = None,
) -> None:
    from tracker.accountability.provenance import provenance_line
    from tracker.checking.unverified import VERIFY_AFTER
    from tracker.purge.unfinished import unfinished_line

    width = terminal_width()

    def say(line: str, alarm: bool = False, indent: int = 2) -> None:
        """One line of the answer, folded to the terminal's width (continued `indent` columns in), OVERDUE in red."""
        for piece in hanging("", line, width, indent):
            click.echo(alarmed(piece) if alarm else piece)

    say(summary.line())
    for c in overdue:  # continued under its text, not under its number: `  #1  ...` is one complaint
        say(_overdue_line(c), alarm=True, indent=len(f"  #{c['id']}  "))
    due = soon.line()
    if due:
        say(due)
    if next_due:
        say(next_due)
    if promised:
        numbers = ", ".join(f"#{n}" for n in promised)
        say(
            f"{counted(len(promised), 'take-down')} promised in a sent reply, not confirmed ({numbers}): "
            f"remove the posts, then tracker complaint confirm {promised[0]}"
        )
    if asked:
        shown = ", ".join(f"#{n}" for n in asked[:10]) + (", ..." if len(asked) > 10 else "")
        say(
            f"{counted(len(asked), 'complaint')} waiting for the sender's answer to your questions ({shown}): "
            "when it comes, record it (then it is yours to answer, with a deadline): "
            f"tracker complaint message {asked[0]} --from FILE"
        )
    if unscrubbed:
        say(unfinished_line(unscrubbed))
    if leftovers:
        say(
            f"An import or log was interrupted: {counted(leftovers, 'archived file')} "
            f"{verb(leftovers, 'belongs', 'belong')} to no post or complaint; the next tracker import or tracker log "
            f"removes {verb(leftovers, 'it', 'them')} (run the interrupted import again to finish it)."
        )
    for restore_line in restored.lines():
        say(safe_text(restore_line))
    if backups_left:
        names = ", ".join(str(path) for path in backups_left)
        say(
            safe_text(
                f"A killed tracker backup left {counted(len(backups_left), 'unfinished backup')}, a copy of the "
                f"database and archive as far as it got: {names}; delete "
                f"{verb(len(backups_left), 'it', 'them')}, or run tracker backup in that folder again "
                f"(it removes {verb(len(backups_left), 'it', 'them')})."
            )
        )
    line = provenance_line(provenance) if provenance else None
    if line:
        say(safe_text(line))
    if unverified:
        say(
            f"{counted(unverified, 'taken-down post')} not verified gone after {VERIFY_AFTER.days} days: "
            "tracker check --taken-down asks the platforms."
        )
