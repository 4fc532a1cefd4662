"""`tracker purge plan|mark|status|cancel|scrub`: burn a persona down from the command line.

Thin on purpose: `tracker.purge` builds the checklist and records the marks, `tracker.purge_render`
writes it in each format, `tracker.purge_scrub` deletes. Text from the archive reaches the
terminal only through `safe_text` / `safe_json` or an escaping renderer.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tracker.cli.context import AppContext, pass_app, terminal_width
from tracker.cli.numbers import check_keys
from tracker.cli.output import fold, hanging, refuse_existing, table, write_private_text
from tracker.complaints.deadlines import shown as deadline_shown
from tracker.errors import NotFoundError, TrackerError, UsageError
from tracker.purge.items import ROW_LABELS, SECTION_TITLES, PurgeNotReady, Section, row_count_text
from tracker.purge.render import render
from tracker.support.dates import local_minute
from tracker.support.shell import command
from tracker.support.textsafe import cell_width, pad, safe_json, safe_text
from tracker.support.words import counted

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from tracker.db.plain import Readable
    from tracker.platforms.urls import Platform
    from tracker.purge.items import Plan, PlanItem
    from tracker.purge.scrub import ScrubReport


STATES = ("done", "skipped", "failed", "open")
FORMATS = ("md", "csv", "html", "json")


def _size(n: int) -> str:
    return f"{n / 1_048_576:.1f} MiB" if n >= 1_048_576 else f"{n / 1024:.1f} KiB"


@click.group("purge")
def purge_group() -> None:
    """Burn a persona down: its complete deletion checklist, tracked to the end, then a scrub."""


# ---------------------------------------------------------------------------- plan


@purge_group.command("plan")
@click.argument("persona")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="md", show_default=True, help="Output format.")
@click.option(
    "--output", "-o", type=click.Path(path_type=Path, dir_okay=False), help="Write to FILE (private) instead."
)
@pass_app
def plan_cmd(app: AppContext, persona: str, fmt: str, output: Path | None) -> None:
    """Print PERSONA's complete deletion checklist; the first plan starts its purge run.

    Exports first, then the services that block account deletion, every post still online by
    platform, every account with its steps and waiting period, and the traces on this computer.
    Each item has a stable id for `tracker purge mark`.

    The purge run starts with the first `purge plan` (or the first mark made in the TUI's checklist;
    opening it does not start it). `purge mark` needs a started run, so that a mistyped persona
    never marks posts deleted. Once it has started,
    posts logged later are flagged as new on the checklist, and the persona cannot be merged;
    `tracker purge cancel PERSONA` cancels a run started only to have a look.
    """
    from tracker.db.plain import reading
    from tracker.purge.plan import build_plan, has_run

    refuse_existing(output)  # before the run starts
    app.require_database()
    platforms = app.platforms()
    new_run = None
    with reading(app.reader()) as db:  # once the run has started, the plan only reads: no ORM
        plan = build_plan(db, persona, platforms, app.settings) if has_run(db, persona) else None
    if plan is None:
        plan, text, new_run = _start_run(app, persona, platforms, fmt, output)
    else:
        text = render(plan, fmt)
        if output is not None:
            write_private_text(output, text)
    if output is not None:
        _echo_folded([safe_text(f"Wrote the checklist of {plan.persona} ({len(plan.items)} items) to {output}.")])
    else:
        click.echo(safe_text(text, keep_newlines=True) if fmt == "csv" else text, nl=False)
    if new_run is not None:
        cancel = command("tracker", "purge", "cancel", plan.persona)
        _echo_folded(
            [safe_text(f"tracker: started purge run #{new_run} of {plan.persona} ({cancel} cancels it)")], err=True
        )


def _start_run(
    app: AppContext, persona: str, platforms: dict[str, Platform], fmt: str, output: Path | None
) -> tuple[Plan, str, int | None]:
    """The first `purge plan` of a persona: start its run, make its checklist and write it to `output`, in one
    transaction: a checklist that cannot be written (no such folder, a full disk) starts no run."""
    from tracker.db.session import session_scope
    from tracker.purge.marks import run_of, start_or_get_run
    from tracker.purge.plan import build_plan

    with session_scope(app.sessions(), command="purge plan") as session, _scrubbed_hint(session):
        new_run = None if run_of(session, persona) is not None else start_or_get_run(session, persona).id
        plan = build_plan(session, persona, platforms, app.settings)
        text = render(plan, fmt)
        if output is not None:
            write_private_text(output, text)
    return plan, text, new_run


# ---------------------------------------------------------------------------- mark


def _persona_for(app: AppContext, persona: str | None, items: tuple[str, ...]) -> str:
    from tracker.purge.marks import personas_of_items, purge_runs

    if persona:
        return persona
    with app.sessions()() as session:
        runs = purge_runs(session)
        if len(runs) == 1:
            return runs[0][0]
        names = personas_of_items(session, items)
    if len(names) == 1:
        return names.pop()
    if len(names) > 1:
        raise UsageError(f"the items belong to several personas ({', '.join(sorted(names))}); mark them one at a time")
    raise UsageError("say which persona's purge with --persona NAME")


@purge_group.command("mark")
@click.argument("items", nargs=-1, required=True)
@click.argument("state", type=click.Choice(STATES))
@click.option("--reason", help="Why it was skipped (required) or failed.")
@click.option("--persona", help="The persona whose purge this is (guessed when only one purge has started).")
@click.option("--platform", help="With a pattern: only items on this platform.")
@click.option("--json", "as_json", is_flag=True, help="Print the marked items as JSON.")
@pass_app
def mark_cmd(
    app: AppContext,
    items: tuple[str, ...],
    state: str,
    reason: str | None,
    persona: str | None,
    platform: str | None,
    as_json: bool,
) -> None:
    """Mark checklist ITEMS done, skipped (with --reason), failed, or open again.

    ITEMS are ids from `tracker purge plan` (post:12, account:3, local:backups, ...) or patterns
    over them ('post:*' with --platform pixiv, after deleting the pixiv account took every post
    with it). A post marked done is recorded as deleted.
    """
    from tracker.db.session import session_scope
    from tracker.purge.marks import is_pattern, mark_items, run_of

    check_keys(items, "no item {key!r} in any purge (tracker purge plan lists them)")
    app.require_database()
    name = _persona_for(app, persona, items)
    platforms = app.platforms()
    with session_scope(app.sessions(), command="purge mark") as session:
        if run_of(session, name) is None:  # marking a post done records it deleted: never by a slip of --persona
            raise UsageError(
                f"no purge of {name.strip()!r} has started: "
                f"{command('tracker', 'purge', 'plan', name.strip())} starts it and lists its items"
            )
        outcomes = mark_items(session, name, list(items), state, platforms, app.settings, reason, platform)
    if as_json:
        click.echo(safe_json([{**o.item.to_dict(), "before": o.before.value} for o in outcomes]))
        return
    shown = outcomes if len(outcomes) <= 20 else outcomes[:10]
    lines = []
    for outcome in shown:
        item = outcome.item
        extra = "  (post recorded as deleted)" if item.section == "post" and state == "done" else ""
        lines.append(safe_text(f"{item.id}  {outcome.before.value} -> {state}  {item.label}{extra}"))
    if len(shown) < len(outcomes):
        lines.append(f"... and {len(outcomes) - len(shown)} more")
    lines.append(
        safe_text(
            f"Marked {counted(len(outcomes), 'item')} {state}. "
            f"{command('tracker', 'purge', 'status', name)} shows what is left."
        )
    )
    if any(is_pattern(key) for key in items) and state != "open":
        lines.append("A pattern leaves items already done or skipped as they are: name one by its id to change it.")
    _echo_folded(lines)


def _echo_folded(lines: list[str], indent: int = 2, err: bool = False) -> None:
    """Lines (safe), each folded at spaces to the terminal's width (a URL whole on a line of its own), never cut
    inside a word by the terminal; into a pipe or a file, one line each."""
    width = terminal_width()
    for line in lines:
        at = 13 if line.startswith("  ") else indent  # under the scrub report's `  rows       ...` column
        for piece in hanging("", line, width, at, outdent=0):
            click.echo(piece, err=err)


# ---------------------------------------------------------------------------- status


def _item_line(item: PlanItem) -> list[str]:
    where = item.platform_name or ""
    text = item.url or item.label
    if item.title:
        text += f"  {item.title}"
    note = ""
    if item.state.value == "failed":
        note = "  FAILED" + (f": {item.reason}" if item.reason else "")
    if item.new_since_start:
        note += "  (logged after the purge started)"
    return [safe_text(item.id), safe_text(where), safe_text(text + note)]


def _status_lines(plan: Plan, limit: int, width: int | None) -> list[str]:
    """`purge status` as text, folded to `width` terminal columns (None: one line each, into a pipe or a file)."""
    started = local_minute(plan.run_started_at) if plan.run_started_at else None
    head = f"Purge of persona {plan.persona}: " + (
        f"run #{plan.run_id} started {started}" if started else "not started (tracker purge plan starts it)"
    )
    lines = hanging("", safe_text(head), width, 2)
    lines += _section_lines(plan, width)
    left = plan.left()
    if not left:
        scrub_line = command("tracker", "purge", "scrub", plan.persona)
        lines += hanging("", safe_text(f"Nothing is left: {scrub_line} deletes the persona from tracker."), width, 2)
    else:
        lines.append(f"Left before the scrub ({len(left)}):")
        shown = left if limit == 0 else _limited(left, limit)
        lines += _item_lines(shown, width)
        if len(shown) < len(left):
            lines.append(f"  ... and {len(left) - len(shown)} more posts (--limit 0 lists them all)")
    reminders = plan.reminders()
    if reminders:
        lines.append("Waiting periods:")
        for line in reminders:
            lines += hanging("  ", safe_text(line), width, 4)
    for line in _verification_lines(plan) + [safe_text(f"Warning: {w}") for w in plan.warnings]:
        lines += hanging("", line, width, 2)
    return lines


def _section_lines(plan: Plan, width: int | None) -> list[str]:
    """The count of items in each state per section, a title too long for `width` folded in its column."""
    counts = plan.counts()
    states = ("open", "failed", "done", "skipped", "automatic")
    numbers = [[str(counts[section.value].get(key, 0)) for key in states] for section in Section]
    head = ["open", "failed", "done", "skipped", "by scrub"]
    titles = [SECTION_TITLES[section] for section in Section]
    room = max(cell_width(title) for title in titles)
    if width is not None:  # what the counts leave of the line: each of their columns, two spaces before it
        taken = sum(max(cell_width(cell) for cell in column) + 2 for column in zip(head, *numbers, strict=True))
        room = min(room, width - 2 - taken)
    folded = [fold(title, room, room - 2) if width is not None else [title] for title in titles]
    first, *rest = table([["", *head], *([pieces[0], *cells] for pieces, cells in zip(folded, numbers, strict=True))])
    lines = ["  " + first]
    for line, (_, *more) in zip(rest, folded, strict=True):
        lines += ["  " + line, *("    " + piece for piece in more)]
    return lines


def _item_lines(items: list[PlanItem], width: int | None) -> list[str]:
    """`  id  platform  what to do`, aligned; what to do folded to `width` under its column, a URL too
    long for that column alone on a line 4 columns in, whole (so that it can still be opened)."""
    cells = [_item_line(item) for item in items]
    id_width = max((cell_width(c[0]) for c in cells), default=0)
    where_width = max((cell_width(c[1]) for c in cells), default=0)
    lines = []
    for item_id, where, text in cells:
        head = f"  {pad(item_id, id_width)}  {pad(where, where_width)}  "
        lines += [line.rstrip() for line in hanging(head, text, width, 6 + id_width + where_width, outdent=4)]
    return lines


def _verification_lines(plan: Plan) -> list[str]:
    """What `tracker check` last found about the persona's posts; a post still online, loudly."""
    found = plan.verification()
    if not found["posts"]:
        return []
    lines = [
        f"Verified gone: {found['gone']} of {counted(found['posts'], 'post')}; {found['live']} live, "
        f"{found['unknown']} unknown, {found['never_checked']} never checked "
        f"({safe_text(found['command'])} checks them)."
    ]
    if found["still_online"]:
        lines.append(
            safe_text(f"STILL ONLINE although done, taken down or recorded deleted: {', '.join(found['still_online'])}")
        )
    return lines


def _limited(items: list[PlanItem], limit: int) -> list[PlanItem]:
    """Every item that is not a post, and at most `limit` posts per platform."""
    seen: dict[str | None, int] = {}
    out = []
    for item in items:
        if item.section == "post":
            seen[item.platform] = seen.get(item.platform, 0) + 1
            if seen[item.platform] > limit:
                continue
        out.append(item)
    return out


@purge_group.command("status")
@click.argument("persona")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(0), help="Posts per platform (0: all).")
@click.option("--json", "as_json", is_flag=True, help="Print the plan with its marks as JSON.")
@pass_app
def status_cmd(app: AppContext, persona: str, limit: int, as_json: bool) -> None:
    """Show what is left of PERSONA's purge."""
    from tracker.db.plain import reading
    from tracker.purge.plan import run_status

    app.require_database()
    with reading(app.reader()) as db, _scrubbed_hint(db):  # only reads: no ORM
        plan = run_status(db, persona, app.platforms(), app.settings)
    if as_json:
        click.echo(safe_json(plan.to_dict()))
        return
    for line in _status_lines(plan, limit, terminal_width()):
        click.echo(line)


@contextmanager
def _scrubbed_hint(db: Readable) -> Iterator[None]:
    """A persona not found while an interrupted scrub left files (its own, perhaps): say how to finish it."""
    from tracker.purge.unfinished import queued_files, unfinished_line

    try:
        yield
    except NotFoundError as exc:
        queued = queued_files(db)
        if not queued:
            raise
        raise NotFoundError(f"{exc}. {unfinished_line(queued)}") from None


# ---------------------------------------------------------------------------- cancel


@purge_group.command("cancel")
@click.argument("persona")
@click.option("--discard-marks", is_flag=True, help="Cancel a run that has marks too (they are lost).")
@click.option("--json", "as_json", is_flag=True, help="Print the cancelled run as JSON.")
@pass_app
def cancel_cmd(app: AppContext, persona: str, discard_marks: bool, as_json: bool) -> None:
    """Cancel PERSONA's purge run: for a `purge plan` that was only a look, or a burn-down given up.

    Nothing else changes: the persona and its records stay, and it can be merged again. A run with
    marks needs --discard-marks (posts marked done stay recorded deleted). `purge plan` starts a new run.
    """
    from tracker.db.session import session_scope
    from tracker.purge.marks import cancel_run

    app.require_database()
    with session_scope(app.sessions(), command="purge cancel") as session:
        cancelled = cancel_run(session, persona, discard_marks)
    name = persona.strip()
    if as_json:
        click.echo(safe_json({"persona": name, "run": cancelled.run_id, "discarded_marks": cancelled.marks}))
        return
    marks = sum(cancelled.marks.values())
    lost = f"{counted(marks, 'mark')} discarded" if marks else "nothing was marked"
    said = (
        f"Cancelled purge run #{cancelled.run_id} of {name} (started {local_minute(cancelled.started_at)}; "
        f"{lost}). {command('tracker', 'purge', 'plan', name)} starts a new one."
    )
    _echo_folded([safe_text(said)])


# ---------------------------------------------------------------------------- scrub


def _rows_text(rows: dict[str, int]) -> str:

    order = [table for table in ROW_LABELS if table in rows] + [table for table in rows if table not in ROW_LABELS]
    parts = [row_count_text(table, rows[table]) for table in order if rows[table]]
    return ", ".join(parts) or "none"


def _report_lines(report: ScrubReport) -> list[str]:
    verb = "would remove" if report.dry_run else "removed"
    if report.already_gone and not report.persona:
        head = "Finished the clean-up an interrupted scrub left (the persona's rows were gone already):"
    elif report.already_gone:
        head = (
            f"No persona {report.persona!r} in the database: nothing of it is left there "
            "(tracker personas lists the personas there are)."
        )
        if not report.dry_run:
            head += " Finished any clean-up an interrupted scrub left:"
    elif report.dry_run:
        head = f"Dry run: scrubbing persona {report.persona!r} would remove (nothing was changed):"
    else:
        head = f"Scrubbed persona {report.persona!r}:"
    lines = [safe_text(head)]
    if not report.already_gone:
        lines.append(f"  rows       {_rows_text(report.rows)}")
        if report.images_kept:
            lines.append(f"  kept       {counted(report.images_kept, 'image')} another persona also posted")
    files = f"{counted(report.files_deleted, 'archived file')}, {_size(report.bytes_deleted)}"
    if report.files_kept:
        files += f"; {report.files_kept} kept (still used by another persona or complaint)"
    lines.append(f"  files      {verb} {files}")
    index = "similarity index" if report.index_removed else "no similarity index"
    lines.append(f"  index      {verb} {index}" + (" (rebuilt on the next match)" if report.index_removed else ""))
    lines += _database_lines(report)
    if report.dry_run and report.left:
        lines.append(f"The real scrub is refused until these {counted(len(report.left), 'item')} are done or skipped:")
        lines += [safe_text(f"  {item.id}  {item.label}") for item in report.left[:20]]
        if len(report.left) > 20:
            lines.append(f"  ... and {len(report.left) - 20} more (tracker purge status lists them)")
    lines += [safe_text(f"Remember: {line}") for line in report.reminders]
    lines += [safe_text(f"Note: {line}") for line in report.notes]
    return lines


def _database_lines(report: ScrubReport) -> list[str]:
    if report.dry_run:
        return ["  database   then VACUUM with secure_delete (SQLite), so the bytes leave the file"]
    if not report.vacuumed:
        return []
    before, after = report.database_bytes_before or 0, report.database_bytes_after or 0
    lines = [f"  database   VACUUM with secure_delete and a WAL checkpoint: {_size(before)} -> {_size(after)}"]
    residue = report.residue
    if residue is not None and report.persona:  # --finish: no name or URLs are known any more
        name = "still appears" if residue.name_found else "no longer appears"
        urls = f"; {residue.urls_found} of its {counted(residue.urls_checked, 'post URL')} still appear"
        if not residue.urls_found:
            urls = f"; none of its {counted(residue.urls_checked, 'post URL')} appear"
        if not residue.urls_checked:  # an earlier scrub took its posts: their URLs are not known to look for
            urls = " (its post URLs were not known any more: not looked for)" if report.already_gone else ""
        lines.append(f"  check      the name {name} in the database file{urls}")
        if residue.name_found and residue.name_where:
            lines.append(f"             (another record holds the same text: {', '.join(residue.name_where)})")
        elif residue.name_found:
            lines.append("             (another record holds the same text, e.g. another persona's title)")
    return lines


@purge_group.command("scrub")
@click.argument("persona", required=False)
@click.option("--dry-run", is_flag=True, help="Show what would be removed; change nothing (no prompt).")
@click.option(
    "--finish", is_flag=True, help="Finish a scrub that was interrupted (its files, then VACUUM); no PERSONA needed."
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@pass_app
def scrub_cmd(app: AppContext, persona: str | None, dry_run: bool, finish: bool, as_json: bool) -> None:
    """Delete PERSONA from tracker for good, once every checklist item is done or skipped.

    Deletes its posts, accounts, complaints (with the complainant's personal data), archived files
    no other persona uses, its audit entries, and then VACUUMs the database so the bytes are gone. A
    complaint that also acted on another persona's post stays with that persona, this one cut out of it.
    You type the persona's name to confirm. Interrupted? Run it again, or `--finish`: it finishes the job.
    """
    from tracker.posts.personas import close_names
    from tracker.purge.plan import run_status
    from tracker.purge.scrub import scrub

    if finish == bool((persona or "").strip()) or (finish and dry_run):
        raise click.UsageError("give the PERSONA to scrub, or --finish alone to finish an interrupted scrub")
    app.require_database()
    factory = app.sessions()
    platforms = app.platforms()
    name = "" if finish else (persona or "").strip()  # no persona has an empty name: only the clean-up runs
    if finish:
        from tracker.purge.unfinished import queued_files

        with factory() as session:
            if not queued_files(session.connection()):
                said = "No interrupted scrub to finish: nothing was changed."
                click.echo(safe_json({"finished": False, "message": said}) if as_json else said)
                return
    if not finish:
        with factory() as session:
            try:
                plan: Plan | None = run_status(session, persona or "", platforms, app.settings)
            except NotFoundError as exc:
                if close_names(session, name):  # `Moth` for moth: a slip, never reported "nothing left"
                    raise NotFoundError(f"{exc}: nothing was changed") from None
                plan = None  # scrubbed already (a rerun finishes what an interrupted scrub left)
            waiting = _unanswered(session, plan.persona if plan is not None else name)
        if plan is not None and not dry_run:
            _confirm(plan, waiting, as_json)
    try:
        report = scrub(factory, app.settings, name, platforms, dry_run=dry_run)
    except PurgeNotReady as exc:
        _echo_left(exc.left, as_json)
        raise
    except KeyboardInterrupt:
        if not dry_run:
            _interrupted(factory, name)
        raise
    if as_json:
        click.echo(safe_json(report.to_dict()))
        return
    _echo_folded(_report_lines(report))


def _interrupted(factory: sessionmaker[Session], name: str) -> None:
    """A Ctrl+C in the scrub: say whether it changed anything, and how to finish what it began."""
    import sys

    from tracker.purge.unfinished import stopped_line

    with factory() as session:
        said = stopped_line(session.connection(), name)
    if said is not None:
        if sys.stderr.isatty():  # past the ^C the terminal echoed
            click.echo("", err=True)
        _echo_folded([safe_text(f"tracker: {said}")], err=True)


def _echo_left(left: list[PlanItem], as_json: bool = False) -> None:
    """What keeps the scrub waiting (JSON with --json: `{"scrubbed": false, "left": [items]}`)."""
    if as_json:
        click.echo(safe_json({"scrubbed": False, "left": [item.to_dict() for item in left]}))
        return
    click.echo(f"Not done or skipped yet ({len(left)}):")
    for line in _item_lines(left[:50], terminal_width()):
        click.echo(line)
    if len(left) > 50:
        click.echo(f"  ... and {len(left) - 50} more (tracker purge status lists them)")


def _unanswered(session: Session, persona: str) -> list[tuple[int, datetime | None]]:
    """The persona's complaints still waiting for an answer: (number, deadline), by number."""
    from sqlalchemy import select

    from tracker.db.enums import UNANSWERED
    from tracker.db.models import Complaint, Persona
    from tracker.purge.kept_complaints import kept_by_scrub

    found = session.scalar(select(Persona.id).where(Persona.name == persona))
    if found is None:
        return []
    kept = [c.id for c in kept_by_scrub(session.connection(), found)]  # these stay, for another persona
    rows = session.execute(
        select(Complaint.id, Complaint.deadline_at)
        .where(Complaint.persona_id == found, Complaint.status.in_(UNANSWERED), Complaint.id.not_in(kept))
        .order_by(Complaint.id)
    )
    return [(int(number), deadline) for number, deadline in rows]


def _warn(text: str) -> None:
    """`tracker: warning: ...` on stderr as `echo_warning` says it, folded to the terminal's width."""
    _echo_folded([f"tracker: warning: {safe_text(text)}"], err=True)


def _confirm(plan: Plan, waiting: list[tuple[int, datetime | None]], as_json: bool = False) -> None:
    """Refuse while items are left; otherwise make the owner type the persona's name (after saying which
    complaints still wait for an answer: the scrub deletes them with everything else)."""

    left = plan.left()
    if left:
        _echo_left(left, as_json)
        raise PurgeNotReady(plan.persona, left)
    if waiting:
        listed = ", ".join(f"#{n} (answer by {deadline_shown(d)})" for n, d in waiting[:5])
        more = f" and {len(waiting) - 5} more" if len(waiting) > 5 else ""
        _warn(
            f"{counted(len(waiting), 'complaint')} still unanswered: {listed}{more}. The scrub deletes "
            f"{'it' if len(waiting) == 1 else 'them'} unanswered: answer first "
            f"({command('tracker', 'complaint', 'reply', str(waiting[0][0]), '--answered')}) unless you mean to."
        )
    found = plan.verification()
    unproven = found["posts"] - found["gone"]
    if unproven:  # after the scrub no post URL is left to check
        _warn(
            f"{unproven} of {counted(found['posts'], 'post')} not verified gone ({found['never_checked']} never "
            f"checked): after the scrub tracker no longer knows their addresses; check first "
            f"({safe_text(found['command'])}) unless you have seen them gone."
        )
    for line in plan.reminders():  # waiting periods (an account deletion final after 30 days, ...)
        _warn(f"{line} (tracker keeps no note of it after the scrub: write it down)")
    said = (
        f"This deletes persona {plan.persona} from tracker for good: its posts, accounts, complaints, "
        "archived files and audit entries. It cannot be undone "
        f"({command('tracker', 'purge', 'scrub', plan.persona, '--dry-run')} shows everything it removes)."
    )
    _echo_folded([safe_text(said)], indent=0, err=True)
    typed = click.prompt("Type the persona's name to confirm", default="", show_default=False, err=True)
    shown = (plan.persona.strip(), safe_text(plan.persona).strip())  # as stored, or as shown (escapes typed out)
    if typed.strip() not in shown:  # spaces around a restored name are not typed (nor kept by the prompt)
        raise TrackerError("the name you typed does not match the persona; nothing was changed")
