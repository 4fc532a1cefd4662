"""`tracker complaint message N`: a later message from a complaint's sender, kept with that complaint.

The answer to an `ask_info` reply, a reminder, a second notice about the same post: kept with its date
beside the message the complaint was logged with (`complaints.follow_ups`), shown by `complaint show N`
and in its history. Logged with `complaint add`, it would get a deadline and a reply of its own.
Registered on the `complaint` group by `tracker.cli.complaint.commands`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from tracker.cli.context import AppContext, echo_warning, pass_app
from tracker.cli.numbers import RecordNumber
from tracker.complaints.deadlines import shown as deadline_shown
from tracker.errors import UsageError
from tracker.support.dates import iso, local_day, local_minute, local_zone, parse_when, utcnow
from tracker.support.textsafe import safe_json, safe_text
from tracker.support.user_files import MESSAGE_MAX_BYTES, fs_text, read_text_limited
from tracker.support.userinput import check_decodable
from tracker.support.words import counted, verb


def _given(
    app: AppContext, from_file: Path | None, message: str | None, message_file: Path | None
) -> tuple[str | None, Any, int | None]:
    """The message's text as a complaint keeps it, when it says it was sent (None: it does not say), and its
    sender's UTC offset in minutes, as `complaint add` reads it (`intake.sender_offset`; None: unknown).

    A saved e-mail is kept as `complaint add --from` keeps one (`Subject: ...`, an empty line, the text); one the
    owner forwarded to themselves, as the message it forwards (`forwarded.complaint_part`).
    """
    from tracker.complaints.forwarded import complaint_part, own_addresses
    from tracker.complaints.intake import sender_offset
    from tracker.complaints.reading.messages import message_from_text, read_message

    if sum(given is not None for given in (from_file, message, message_file)) != 1:
        raise UsageError("give one of --from, --message or --message-file")
    if from_file is not None:
        with app.sessions()() as session:
            own = own_addresses(session)
        read = complaint_part(read_message(from_file), own).message
        if read.attachments or read.left_out:
            names = [fs_text(a.name) for a in read.attachments] + list(read.left_out)
            echo_warning(f"not kept with a later message: {', '.join(names)} (save what you need yourself)")
        subject = read.subject if read.mail else None
        text = f"Subject: {subject}\n\n{read.text}" if subject else read.text
        return text, read.received_at, sender_offset(read)
    if message_file is not None:
        message = read_text_limited(message_file, MESSAGE_MAX_BYTES, "message file")
    pasted = message_from_text(message or "")
    return message, pasted.received_at, sender_offset(pasted)


@click.command("message")
@click.argument("number", type=RecordNumber("complaint"))
@click.option(
    "--from", "from_file", type=click.Path(path_type=Path, dir_okay=False),
    help="Read it from what arrived: a saved e-mail (.eml) or a pasted message (text).",
)  # fmt: skip
@click.option("--message", help="The message text as received.")
@click.option(
    "--message-file", "message_file", type=click.Path(path_type=Path, dir_okay=False), help="Read it from a file."
)
@click.option("--received", metavar="WHEN", help="When it arrived.  [default: the file's date, else now]")
@click.option("--json", "as_json", is_flag=True, help="Print the complaint's later messages as JSON.")
@pass_app
def complaint_message_cmd(
    app: AppContext,
    number: int,
    from_file: Path | None,
    message: str | None,
    message_file: Path | None,
    received: str | None,
    as_json: bool,
) -> None:
    """Keep a later message from the sender of complaint NUMBER with it, with the date it arrived.

    The message the complaint was logged with stays as it was; `tracker complaint show NUMBER` shows both,
    and the history says when each was added. The decision stays as it is: decide again if the message
    changes your answer. When your reply was sent asking them for more (ask_info), their message is the
    answer: the complaint is unanswered again, due by its basis's answer target (7 days for Japan, 10 for the
    DMCA, 14 for the DSA or none) from when it arrived; one received before the day you decided to ask
    cannot answer your letter and changes nothing. Images attached to it are not kept.

    \b
    Examples:
      tracker complaint message 1 --from reply.eml
      tracker complaint message 1 --message "Here is the URL of my original: ..." --received 2026-12-05
    """
    from tracker.complaints.follow_ups import add_follow_up
    from tracker.complaints.records import get_complaint
    from tracker.complaints.since_intake import since_intake
    from tracker.db.plain import reading

    check_decodable({"message": message, "received": received})
    from tracker.complaints.deadlines import sender_clock
    from tracker.complaints.reading.message_dates import FUTURE_SLACK, later_than_now, typed_offset_of_sender

    app.require_database()
    text, dated, offset = _given(app, from_file, message, message_file)
    arrived = parse_when(received) if received else dated or utcnow()
    if received:  # a zone typed with it is the sender's clock (as `complaint add --received`), else the message's
        offset = typed_offset_of_sender(received) if typed_offset_of_sender(received) is not None else offset
    factory = app.sessions()
    kept = add_follow_up(factory, number, text, arrived, offset)
    # Later than now: a typo or the wrong clock. Kept, said as `complaint add` says it of a message's date.
    if received and arrived > utcnow() + FUTURE_SLACK:
        echo_warning(f"--received {safe_text(received)} is later than now: kept as given; check when it arrived")
    elif not received and (late := later_than_now(arrived, sender_clock(offset), utcnow())):
        echo_warning(f"{late}: kept as read; check when it arrived (`--received WHEN` gives it)")
    with factory() as session:
        decided = bool(get_complaint(session, number).decisions)
    if as_json:
        with reading(app.reader()) as db:
            later = since_intake(db, number)["follow_ups"]
        reopened = {"reopened": kept.reopened is not None, "deadline_at": iso(kept.reopened)}
        click.echo(safe_json({"complaint": number, "messages": kept.messages, "follow_ups": later, **reopened}))
        return
    click.echo(
        safe_text(f"Complaint #{number}: the message of {local_minute(arrived)} {local_zone(arrived)} is kept with it")
        + f" ({kept.messages} messages now: tracker complaint show {number})"
    )
    if kept.taken_down:
        from tracker.complaints.platform_removed import recorded_down

        click.echo(recorded_down(kept.taken_down))
    if kept.too_early is not None:
        click.echo(
            f"It arrived before you decided to ask them for more ({local_day(kept.too_early)}), so it cannot answer "
            f"your letter: complaint #{number} stays answered, waiting for their answer"
        )
    elif kept.reopened is not None:
        click.echo(
            f"It answers the questions you sent, so complaint #{number} is unanswered again: answer by "
            f"{deadline_shown(kept.reopened)} (decide again: tracker complaint decide {number} --action ...)"
        )
    elif decided:
        click.echo(f"If it changes your answer, decide again: tracker complaint decide {number} --action ...")
    if text and (unnamed := _posts_it_names(app, number, text)) is not None:
        click.echo(unnamed)


def _posts_it_names(app: AppContext, number: int, text: str) -> str | None:
    """A line naming the logged posts the message links that complaint `number` does not name (the answer to "which
    post?", an X DM with the link at last), with the `complaint set` that adds them; None when there are none. The
    owner adds them: the complaint's posts are what its decision and letter answer for."""
    from tracker.complaints.reading.prose_urls import trimmed_to_post, urls_in
    from tracker.complaints.records import get_complaint
    from tracker.errors import NotFoundError
    from tracker.posts.lookup import find_post

    platforms = app.platforms()
    new: dict[int, str] = {}
    with app.sessions()() as session:
        named = [link.post_id for link in get_complaint(session, number).named_posts]
        for url in urls_in(text):
            try:
                post = find_post(session, trimmed_to_post(url, platforms), platforms)
            except NotFoundError:
                continue
            if post.id not in named:
                new.setdefault(post.id, post.url)
    if not new:
        return None
    listed = ", ".join(f"#{post} {url}" for post, url in new.items())
    posts = " ".join(f"--post {post}" for post in [*named, *new])
    return safe_text(
        f"It links {counted(len(new), 'logged post')} complaint #{number} does not name ({listed}): if it is about "
        f"{verb(len(new), 'it', 'them')}, name {verb(len(new), 'it', 'them')}: tracker complaint set {number} {posts}"
    )
