"""`tracker complaint reply N`: the letter answering complaint N's decision, and recording it sent (or not).

The draft is printed (or written `--out FILE`); `--answered` records it sent, with the text drafted, or with the
text actually sent when the owner edited it first (`--text FILE`, read by `complaints.letters.sent_letter`). A letter
copied or saved from the TUI's reply screen for the decision in force (`letters.kept_reply`) stands in for the
draft, as the screen shows it and its F3 records it: printed and recorded, saying so (`--new-draft`: the draft);
`--not-answered` undoes a mark made by mistake (`decisions.unmark_answered`), in the audit trail. Registered on the
`complaint` group by `tracker.cli.complaint.commands`, loaded only when called.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from tracker.cli.context import AppContext, echo_warning, pass_app
from tracker.cli.numbers import RecordNumber
from tracker.cli.output import refuse_existing, write_private_text
from tracker.db.enums import UNANSWERED
from tracker.errors import ConflictError, UsageError
from tracker.support.shell import shell_word
from tracker.support.textsafe import safe_json, safe_text
from tracker.support.user_files import MESSAGE_MAX_BYTES, fs_text, read_text_limited

if TYPE_CHECKING:
    from tracker.complaints.letters.replies import Draft
    from tracker.complaints.views import StoredDecision


def _not_answered(app: AppContext, number: int, as_json: bool) -> None:
    """`--not-answered`: the reply marked sent by mistake is no longer counted as sent."""
    from tracker.complaints.decisions import unmark_answered

    app.require_database()
    unmark_answered(app.sessions(), number)
    if as_json:
        click.echo(safe_json({"complaint": number, "answered": False}))
        return
    click.echo(
        f"tracker: complaint #{number} is no longer marked answered: unanswered again, due as before "
        f"(the mark stays in its history)",
        err=True,
    )


@click.command("reply")
@click.argument("number", type=RecordNumber("complaint"))
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the reply to FILE (private, 0600), under a first line 'Subject: ...' and an empty line.",
)
@click.option("--answered", is_flag=True, help="Also record that this reply was sent.")
@click.option(
    "--new-draft",
    "new_draft",
    is_flag=True,
    help="A new draft from the decision, not the letter you copied or saved in the TUI (kept in replies-out/).",
)
@click.option(
    "--text",
    "sent_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="With --answered: the letter as you sent it (UTF-8; a first line 'Subject: ...' and an empty line give "
    "its subject), kept instead of the draft.",
)
@click.option(
    "--not-answered", "not_answered", is_flag=True, help="Undo --answered given by mistake (kept in the history)."
)
@click.option(
    "--lang",
    metavar="ja|en",
    help="Draft it in this language this time (the complaint's own: tracker complaint set N --lang).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the draft as JSON.")
@pass_app
def complaint_reply_cmd(
    app: AppContext,
    number: int,
    out: Path | None,
    answered: bool,
    new_draft: bool,
    sent_file: Path | None,
    not_answered: bool,
    lang: str | None,
    as_json: bool,
) -> None:
    """The reply to complaint NUMBER's decision, in its language, ready to send.

    Once it is sent, --answered records it, with the text drafted; if you changed the letter before sending
    it, give the file you sent it from with --text FILE, and that text (and its 'Subject:' line) is kept.
    A letter you copied (F2) or saved in the TUI's reply screen for this decision is printed and recorded in
    place of the draft, as the screen shows it (it says so); --new-draft drafts anew.
    --not-answered undoes a mark made by mistake: the complaint is unanswered again.
    A counter-notice to a platform whose team works in English (X, Bluesky, ...) is drafted in English
    even when the complaint is answered in Japanese (it says so); --lang ja drafts it in Japanese.

    Templates: data/replies/<language>/<kind>.txt; put your own in <data dir>/replies/<language>/.

    \b
    Examples:
      tracker complaint reply 3 --out reply.txt
      tracker complaint reply 3 --answered --text reply.txt
    """
    if not_answered:
        if answered or sent_file is not None or out is not None or new_draft or lang is not None:
            raise UsageError(
                "--not-answered undoes a mark: give it alone (not with --answered, --text, --out, --new-draft or "
                "--lang)"
            )
        _not_answered(app, number, as_json)
        return
    if lang is not None and sent_file is not None:
        raise UsageError("give --text (the letter sent) or --lang (a draft in that language), not both")
    if sent_file is not None and not answered:
        raise UsageError("--text is the letter you sent: give it with --answered")
    if sent_file is not None and out is not None:
        raise UsageError("give --out (write the draft) or --text (the letter sent), not both")
    if sent_file is not None and new_draft:
        raise UsageError("give --text (the letter sent) or --new-draft (the letter drafted now), not both")
    from tracker.complaints.answer_again import answered_again, decide_again_first
    from tracker.complaints.history import with_subject
    from tracker.complaints.language import checked_language
    from tracker.complaints.letters.replies import draft_reply
    from tracker.complaints.since_intake import no_letter_for, since_intake
    from tracker.complaints.stored import read_complaint
    from tracker.complaints.views import current_decision
    from tracker.db.plain import reading

    language = checked_language(lang) if lang is not None else ""
    refuse_existing(out)  # before anything is recorded (`--answered`)
    raw = read_text_limited(sent_file, MESSAGE_MAX_BYTES, "letter file") if sent_file is not None else None
    app.require_database()
    # Read as SQL text, as `complaint show` reads: no SQLAlchemy on a SQLite file at this revision. Recording
    # the reply sent needs the engine: with `--answered` the letter is read through it too.
    with reading(app.engine() if answered else app.reader()) as db:
        complaint = read_complaint(db, number)
        if (duplicate := no_letter_for(number, since_intake(db, number)["duplicate_of"])) is not None:
            raise ConflictError(duplicate)
        if current_decision(complaint) is None:  # as `complaint confirm` says it: what to do first
            raise UsageError(
                f"complaint #{number} has no decision yet: nothing to reply; decide first: "
                f"tracker complaint decide {number} --action ..."
            )
        draft = draft_reply(db, app.settings, complaint, language=language)
    decision = current_decision(complaint)
    kept = False
    if sent_file is None and not new_draft and complaint.reply_text is None:  # answered: a new letter, as Ctrl+N
        draft, kept, unreadable = _kept_instead(app, number, draft, decision)
        if answered and unreadable:  # the letter sent is not the draft: record neither in its place
            raise UsageError(
                "the letter you copied or saved in the TUI for this decision cannot be read as a letter (not UTF-8 "
                "text, or binary): nothing recorded; record the letter you sent with --answered --text FILE, or this "
                "new draft with --answered --new-draft"
            )
    if answered_again(complaint.status, decision is not None):  # their answer came (`answer_again.reopens`)
        echo_warning(
            decide_again_first(
                number, f"read it: tracker complaint show {number}; then tracker complaint decide {number} ..."
            )
        )
    action = decision.action.value if decision else None
    data = {"complaint": number, "decision": decision.id if decision else None, "action": action}
    if out is not None:
        write_private_text(out, with_subject(draft.subject, draft.text))  # as the TUI's F2 writes it
    if raw is not None and sent_file is not None:
        _answered_with(app, data, raw, draft.subject, sent_file, as_json)
        return
    if answered:
        from tracker.complaints.decisions import mark_answered

        mark_answered(app.sessions(), number, draft.text, draft.subject)
    if as_json:
        click.echo(safe_json({**data, **draft.to_dict(), "answered": answered}))
        return
    if out is None:
        click.echo(safe_text(draft.text, keep_newlines=True), nl=False)
    else:
        click.echo(safe_text(f"tracker: the reply to complaint #{number} is in {out}"), err=True)
    echo_draft_notes(draft)
    if answered and kept:
        shown = f"the letter you copied or saved in the TUI is kept as sent: tracker complaint show {number} --reply"
        click.echo(f"tracker: complaint #{number} marked answered ({shown})", err=True)
    elif answered:
        click.echo(f"tracker: complaint #{number} marked answered (the reply is kept)", err=True)
    elif complaint.status in UNANSWERED:  # what to do once it went: `status` counts it until then
        sent = f" --text {shell_word(str(out))}" if out is not None else ""
        said = f"tracker: once you have sent it, mark it sent: tracker complaint reply {number} --answered{sent}"
        click.echo(safe_text(said), err=True)


def echo_draft_notes(draft: Draft) -> None:
    """On stderr, after a reply draft: its subject line, what to know and what to fill in before sending it."""
    if draft.subject:
        click.echo(safe_text(f"tracker: subject line: {draft.subject}"), err=True)
    for warning in draft.warnings:
        echo_warning(warning)
    if draft.fill_in:
        echo_warning(f"fill in before sending: {'; '.join(draft.fill_in)}")


def _kept_instead(
    app: AppContext, number: int, draft: Draft, decision: StoredDecision | None
) -> tuple[Draft, bool, bool]:
    """The letter copied or saved from the TUI's reply screen in the draft's language (`kept_reply`) in place of
    `draft`, as the screen shows it and F3 records it, a note first among its warnings saying so (and that the draft
    changed when the removal was confirmed after it was kept); `draft` itself when there is none, or it answers an
    earlier decision (`decision` is the one in force: a note then says that). Read as text from outside:
    escape sequences and control characters go (`sent_letter.as_sent`). The second value: the kept letter is used;
    the third: a letter kept for this decision cannot be read (`KeptInstead.unreadable`)."""
    from tracker.complaints.history import with_subject
    from tracker.complaints.letters.kept_reply import kept_instead, removal_confirmed_at, unreadable_letter
    from tracker.complaints.letters.sent_letter import as_sent
    from tracker.purge.letters import letter_path
    from tracker.support.dates import local_minute

    path = letter_path(app.settings, number, draft.language)
    decided_at = decision.decided_at if decision is not None else None
    instead = kept_instead(path, draft.text, decided_at, "--new-draft drafts it anew", removal_confirmed_at(decision))
    if instead.kept is not None:
        try:
            sent = as_sent(with_subject(instead.kept.subject, instead.kept.text), draft.subject)
        except UsageError:  # nothing left of it once made text (binary): as for a letter that cannot be read
            instead = unreadable_letter(f"{path.parent.name}/{path.name}", local_minute(instead.kept.saved_at))
    if instead.kept is None:
        noted = replace(draft, warnings=[instead.note, *draft.warnings]) if instead.note else draft
        return noted, False, instead.unreadable
    fill_in = draft.fill_in if sent.unfilled else []
    return (
        replace(draft, text=sent.text, subject=sent.subject, fill_in=fill_in, warnings=[instead.note, *draft.warnings]),
        True,
        False,
    )


def _answered_with(
    app: AppContext, data: dict[str, Any], raw: str, drafted_subject: str, path: Path, as_json: bool
) -> None:
    """`--answered --text FILE`: the letter in the file (`raw`) recorded as the one sent, with its subject; `data`
    names the complaint, its decision and the decision's action, as the `--json` form of a draft does."""
    from tracker.complaints.decisions import mark_answered
    from tracker.complaints.letters.sent_letter import as_sent

    number = data["complaint"]
    sent = as_sent(raw, drafted_subject, f"{fs_text(path)}: the letter file")
    mark_answered(app.sessions(), number, sent.text, sent.subject)
    if sent.unfilled:
        echo_warning("the letter kept still has a place marked [[ FILL IN: ... ]]: was it sent so? (see --reply)")
    if as_json:
        click.echo(safe_json({**data, "subject": sent.subject, "text": sent.text, "answered": True}))
        return
    if sent.subject:
        click.echo(safe_text(f"tracker: subject line: {sent.subject}"), err=True)
    shown = safe_text(f"the letter in {fs_text(path)} is kept as sent: tracker complaint show {number} --reply")
    click.echo(f"tracker: complaint #{number} marked answered ({shown})", err=True)
