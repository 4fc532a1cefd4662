"""`tracker complaint list|show|decide|confirm`, and the `complaint` group that loads the others when called: `add`
(in `add`), `set` (in `corrections`), `message`, `close` and `reply` (`tracker status` is in `tracker.cli.status`).

Thin on purpose: options become a `DecisionInput`, the use cases in `tracker.complaints` do the work, and the
output is drawn from one dict per complaint (`complaint_dict`, also the `--json` form: `load_complaint`). Every value
that came from a complainant, a post or a file goes through `safe_text` / `safe_json`, so it cannot drive the
terminal.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from tracker.cli.context import AppContext, echo_lines, echo_warning, pass_app, terminal_width
from tracker.cli.numbers import RecordNumber
from tracker.cli.output import alarmed, row
from tracker.complaints.legal import (
    ACTION_LABELS,
)
from tracker.db.enums import DecisionAction, DisputeReason, PostStatus, values
from tracker.errors import UsageError
from tracker.support.dates import utcnow
from tracker.support.textsafe import safe_json, safe_text
from tracker.support.words import counted


def load_complaint(app: AppContext, number: int) -> dict[str, Any]:
    """The `--json` form of add and show: the complaint's dict (`views.complaint_dict`), what it gained since
    it was logged (`since_intake`: the complaint it duplicates, its later messages) and its `history`.

    Read as SQL text, as `tracker show` reads a post: no SQLAlchemy on a SQLite file at this revision."""
    from tracker.complaints.since_intake import since_intake
    from tracker.complaints.stored import history_dicts, pending_takedown, read_complaint
    from tracker.complaints.views import complaint_dict
    from tracker.db.plain import reading

    app.require_database()
    with reading(app.reader()) as db:
        complaint = read_complaint(db, number)
        data = complaint_dict(complaint, app.settings.archive_dir, utcnow(), pending_takedown(db, complaint))
        return {**data, **since_intake(db, number), "history": history_dicts(db, number)}


# ---------------------------------------------------------------------------- commands


_LOADED_LATER = {
    "add": ("add", "complaint_add_cmd"),
    "set": ("corrections", "complaint_set_cmd"),
    "close": ("close", "complaint_close_cmd"),
    "message": ("message", "complaint_message_cmd"),
    "reply": ("reply", "complaint_reply_cmd"),
}
"""The `complaint` commands kept in modules of their own: {name: (module of `tracker.cli.complaint`, command)}."""


class _ComplaintGroup(click.Group):
    """The `complaint` group; `complaint set` (its dates and languages), `close`, `message` and `reply` are loaded
    only when they are called or listed, so `complaint list` and `show` start without them."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *_LOADED_LATER})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in _LOADED_LATER and cmd_name not in self.commands:
            module, command = _LOADED_LATER[cmd_name]
            self.add_command(getattr(importlib.import_module(f"tracker.cli.complaint.{module}"), command))
        return super().get_command(ctx, cmd_name)


@click.group("complaint", cls=_ComplaintGroup)
def complaint_group() -> None:
    """Complaints about your posts: log, list, show, decide and answer them, or close one logged twice."""


@complaint_group.command("list")
@click.option("--all", "show_all", is_flag=True, help="Also answered and closed complaints (the newest 50).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@pass_app
def complaint_list_cmd(app: AppContext, show_all: bool, as_json: bool) -> None:
    """Unanswered complaints, overdue first."""
    from tracker.cli.complaint.table import complaint_table
    from tracker.complaints.queue import (
        due_soon,
        open_complaints,
        promised_takedowns,
        recent_complaints,
        summary_dict,
    )
    from tracker.db.plain import reading

    app.require_database()  # a mistyped data folder is never "no unanswered complaints"
    now = utcnow()
    with reading(app.reader()) as connection:  # SQL text, as `tracker status` reads them: no SQLAlchemy on SQLite
        found = open_complaints(connection) + (recent_complaints(connection) if show_all else [])
        data = [summary_dict(c, now) for c in found]
        soon = due_soon(found, now)
        promised = set(promised_takedowns(connection)) if show_all else set()
    if as_json:
        click.echo(safe_json(data))
        return
    if not data:
        click.echo("No complaints logged yet." if show_all else "No unanswered complaints.")
        return
    lines = complaint_table(data, promised, soon, now, terminal_width())
    overdue = [False] + [bool(c["overdue"]) for c in data]  # the heading, then each complaint
    for line, late in zip(lines, overdue, strict=True):
        click.echo(alarmed(line) if late else line)


@complaint_group.command("show")
@click.argument("number", type=RecordNumber("complaint"))
@click.option("--reply", "letters", is_flag=True, help="Print the letters sent instead, as kept when marked sent.")
@click.option("--json", "as_json", is_flag=True, help="Print the complaint with its decisions and history as JSON.")
@pass_app
def complaint_show_cmd(app: AppContext, number: int, letters: bool, as_json: bool) -> None:
    """Show complaint NUMBER: who, what, which posts, what is missing, every decision, its history."""
    from tracker.cli.complaint.history import letter_lines, with_history
    from tracker.cli.complaint.text import complaint_lines, picture_notes  # the message readers: only `show`'s
    from tracker.complaints.history import sent_letters
    from tracker.complaints.history_words import history_entries
    from tracker.db.plain import reading

    data = load_complaint(app, number)
    if as_json:
        click.echo(safe_json(sent_letters(data) if letters else data))
        return
    if letters:
        echo_lines(letter_lines(data))
        return
    with reading(app.reader()) as db:  # an entry of an older tracker names a persona by number: said by name
        shown = {**data, "history": history_entries(db, number)}
    notes, _ = picture_notes(data["images"])  # one plain colour, animated: as `tracker match` says
    echo_lines(with_history(complaint_lines(data, notes), shown, terminal_width()))


def _post_ids(app: AppContext, references: tuple[str, ...]) -> tuple[int, ...]:
    from tracker.posts.lookup import find_post

    if not references:
        return ()
    platforms = app.platforms()
    with app.sessions()() as session:
        return tuple(find_post(session, ref, platforms).id for ref in references)


_ONE_REASON = (
    "a dispute has one reason, and {listed} were given: choose the one the letter argues (--reason), and say "
    "anything more to the complainant with --reply-note"
)


@complaint_group.command("decide")
@click.argument("number", type=RecordNumber("complaint"))
@click.option("--action", required=True, type=click.Choice(values(DecisionAction)), help="What you decided.")
@click.option(
    "--reason",
    multiple=True,  # given twice, refused in a line: never the last one kept unsaid
    type=click.Choice(values(DisputeReason)),
    help="Why you dispute it (a dispute needs one, and has one).",
)
@click.option("--notes", help="Private notes: kept with the decision and shown to you, never put into a reply.")
@click.option(
    "--reply-note", "reply_note", metavar="TEXT", help="A sentence for the complainant: it goes into the reply."
)
@click.option("--post", multiple=True, metavar="URL_OR_NUMBER", help="The posts it is about (default: the named ones).")
@click.option(
    "--despite-record",
    "despite_record",
    is_flag=True,
    help="Dispute even though the archive's record of a post contradicts the reason (kept in the audit trail).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the decision as JSON.")
@pass_app
def complaint_decide_cmd(
    app: AppContext,
    number: int,
    action: str,
    reason: tuple[str, ...],
    notes: str | None,
    reply_note: str | None,
    post: tuple[str, ...],
    despite_record: bool,
    as_json: bool,
) -> None:
    """Decide complaint NUMBER; deciding again records a revision that supersedes the last decision.

    \b
    Examples:
      tracker complaint decide 3 --action take_down
      tracker complaint decide 4 --action dispute --reason independent_creation \\
          --reply-note "I had never seen your work." --notes "seed checked"
    """
    from tracker.complaints.decisions import (
        DecisionInput,
        awaiting_restoration,
        decide,
        decision_overrides,
        decision_resembles,
        resembles_warning,
    )
    from tracker.complaints.letters.letter_personas import decision_split
    from tracker.complaints.letters.owner_warnings import not_mine_warning, reply_note_warning
    from tracker.complaints.letters.replies import counter_notice_warning
    from tracker.complaints.live_copies import take_down_copies
    from tracker.complaints.records import get_complaint
    from tracker.db.models import Post

    app.require_database()
    reasons = list(dict.fromkeys(reason))
    if reasons and action != DecisionAction.DISPUTE.value:  # said for the action given, however many reasons
        raise UsageError(f"only a dispute takes a reason: leave out --reason {', '.join(reasons)} for {action}")
    if len(reasons) > 1:  # one column, and each letter argues its reason alone: several would contradict
        raise UsageError(_ONE_REASON.format(listed=", ".join(reasons)))
    choice = DecisionInput(
        action=DecisionAction(action),
        reason=DisputeReason(reasons[0]) if reasons else None,
        notes=notes,
        reply_note=reply_note,
        post_ids=_post_ids(app, post),
        despite_record=despite_record,
    )
    from tracker.accountability.rules import RuleLists

    decision_id = decide(app.sessions(), number, choice, RuleLists.load(app.settings.data_dir).artists, app.settings)
    data = load_complaint(app, number)
    decided = next(d for d in data["decisions"] if d["id"] == decision_id)
    with app.sessions()() as session:
        complaint = get_complaint(session, number)
        down = [(p.id, p.url, by) for p, by in awaiting_restoration(complaint)]
        overridden = decision_overrides(session, decision_id)
        resembles = None if overridden else decision_resembles(session, decision_id)
        counter = counter_notice_warning(session, complaint)
        note_warning = reply_note_warning(complaint) or not_mine_warning(complaint)
        take_down = choice.action is DecisionAction.TAKE_DOWN
        targets = [session.get(Post, n) for n in decided["post_ids"]] if take_down else []
        named = {link.post_id for link in complaint.named_posts}
        removing = [(p.id, p.status.value, p.url, p.id in named) for p in targets if p is not None]
        split = decision_split(session, complaint)
    taken = [post_id for post_id, _, _, _ in removing]
    copies = take_down_copies(app.sessions(), app.settings, number, taken) if take_down else []
    apart = {number: persona for number, persona, _ in split.others} if split else {}
    if overridden:
        echo_warning(f"decided despite the record (kept in the audit trail): {overridden}")
    if resembles:  # a weaker match than refuses it: the owner's to judge, with both pictures in front of them
        echo_warning(resembles_warning(resembles))
    for warning in (counter, note_warning):
        if warning:
            echo_warning(warning)
    if as_json:
        click.echo(safe_json(decided))
        return
    revises = f", revises decision #{decided['supersedes']}" if decided["supersedes"] else ""
    click.echo(f"Decision #{decision_id} on complaint #{number}: {ACTION_LABELS[choice.action]}{revises}")
    for post_id, url, by in down:
        kept = f"#{post_id} {url} stays taken down (decision #{by}) until the platform puts it back"
        click.echo(row("still down", safe_text(kept)))
        click.echo(f"Once it is back online, record it: tracker post set {post_id} --status live")
    if choice.action is DecisionAction.TAKE_DOWN:
        for post_id, status, url, is_named in removing:
            unnamed = "" if is_named else "  (not named by the complaint)"
            if post_id in apart:  # the same image under another persona: never in the letter
                unnamed = f"  (persona {apart[post_id]}: not named in the letter)"
            if status == PostStatus.LIVE.value:
                click.echo(row("to remove", f"#{post_id} [{status}] {url}{unnamed}"))
            else:  # removed already (by the platform, or by the owner): nothing to do or confirm for it
                click.echo(row("removed", f"#{post_id} [{status}] {url}{unnamed}  (already down)"))
        for copy in copies:  # the same picture posted elsewhere, which the complainant may find next
            click.echo(row("also live", safe_text(copy.line())))
        if copies:
            every = " ".join(f"--post {n}" for n in dict.fromkeys([*taken, *(c.post_id for c in copies)]))
            click.echo(f"To take those down too: tracker complaint decide {number} --action take_down {every}")
        if any(status == PostStatus.LIVE.value for _, status, _, _ in removing):
            click.echo(f"Once they are removed, record it: tracker complaint confirm {number}")
    if split is not None:
        click.echo(row("letter", split.answers_line()))
    if choice.action is not DecisionAction.WITHDRAWN:
        click.echo(f"Draft the answer: tracker complaint reply {number}")


@complaint_group.command("confirm")
@click.argument("number", type=RecordNumber("complaint"))
@click.option("--post", multiple=True, metavar="URL_OR_NUMBER", help="Only these posts (default: every one it names).")
@click.option("--json", "as_json", is_flag=True, help="Print the posts marked taken down as JSON.")
@pass_app
def complaint_confirm_cmd(app: AppContext, number: int, post: tuple[str, ...], as_json: bool) -> None:
    """Record that the posts of complaint NUMBER's take-down were removed: they become taken down.

    Each post recorded is printed; a post the take-down covers but the complaint does not name says
    so. When nothing can be recorded (no take-down in force, a post it does not cover, every post
    already marked removed) it says why on one line, exits non-zero and changes nothing.
    """
    from tracker.complaints.decisions import confirm_takedown, confirmation

    app.require_database()
    asked = _post_ids(app, post)
    changed = confirm_takedown(app.sessions(), number, asked)
    with app.sessions()() as session:
        done = confirmation(session, number, changed, asked)
    if as_json:
        click.echo(safe_json({"complaint": number, "taken_down": changed, "not_changed": done.unchanged}))
        return
    click.echo(f"Complaint #{number}: {counted(len(changed), 'post')} recorded as taken down")
    for post_id, url, named in done.recorded:
        unnamed = "" if named else "  (not named by the complaint; its take-down names it)"
        click.echo(row("taken down", f"#{post_id} {url}{unnamed}"))
    for reason in done.unchanged:
        click.echo(row("unchanged", reason))
    if done.pending:
        click.echo(f"Still to remove: {', '.join(f'#{n}' for n in done.pending)}")
