"""What the complaint screen (`screens.triage`) says: the complaint's summary, each candidate's evidence, the
complainant's pictures' best matches, the whole message's heading. Text only, escaped (`tui.text.plain`)."""

from __future__ import annotations

import re
from typing import Any

from rich.cells import cell_len
from rich.text import Text

from tracker.complaints.answer_again import answered_again
from tracker.complaints.legal import (
    ACTION_LABELS,
    BASIS_LABELS,
    CHANNEL_LABELS,
    REASON_LABELS,
    REQUIRED_ELEMENTS,
    missing_elements,
    unchecked_elements,
)
from tracker.complaints.queue import unnamed_sender
from tracker.complaints.reading.mail_parts import message_body
from tracker.complaints.reading.platform_notices import summary_holder
from tracker.complaints.since_intake import follow_up_list
from tracker.complaints.triage import TriageCandidate
from tracker.complaints.views import current_decision
from tracker.db.enums import Channel
from tracker.db.models import Complaint
from tracker.support.dates import from_iso, on_both_clocks, their_other_day
from tracker.tui.text import Hanging, as_words, day, due_text, plain, received_when, sender_deadline, short
from tracker.tui.widgets.facts import generation_text

MESSAGE_LINE = 72
"""The columns of the summary's message line ("message: ", its first words, "… (m: whole message)"): one line of
the summary at 80 columns, so the first screen of a small terminal has it; `MESSAGE_KEY` shows the message whole."""
MESSAGE_KEY = "m"


def message_line(message: str) -> Text:
    """The message's first words on one line (its line breaks as spaces) and, when it is cut, how to read it all.

    The words of a pasted e-mail come after its header lines (`mail_parts.message_body`): `From: … To: …` is no
    summary of what it says. The message stays stored as it came; `MESSAGE_KEY` shows it whole, headers too."""
    out = Text("\nmessage: ")
    hint = f" ({MESSAGE_KEY}: whole message)"
    whole = " ".join(message.split())
    words = " ".join(message_body(message).split())
    start = short(words, MESSAGE_LINE - len("message: ") - len(hint))
    out.append_text(start)
    if start.plain != plain(whole).plain:
        out.append(hint, style="bold")
    return out


def later_messages(c: Complaint) -> list[dict[str, Any]]:
    """The sender's later messages (`complaint message N`), oldest first."""
    return follow_up_list(c.follow_ups)


def later_when(item: dict[str, Any]) -> str:
    """When a later message arrived, on this machine's clock, then the sender's day when another (as a complaint's
    `received_when`)."""
    return on_both_clocks(from_iso(item.get("received_at")), item.get("sent_utc_offset"))


def later_line(c: Complaint) -> Text:
    """One line under the message's first words naming the sender's later messages, the last one's day and the key
    that shows them all; their answer that opened the complaint again says the owner decides again. Empty: none."""
    later = later_messages(c)
    if not later:
        return Text("")
    last = day(from_iso(later[-1].get("received_at")))  # this machine's day, as the complaint's "answered"
    if answered_again(c.status, bool(c.decisions)):
        return Text(f"\ntheir answer of {last} came: decide again ({MESSAGE_KEY}: messages)", style="bold yellow")
    said = f"a later message of {last}" if len(later) == 1 else f"{len(later)} later messages, the last of {last}"
    out = Text(f"\n{said} (")
    out.append(f"{MESSAGE_KEY}: messages", style="bold")
    out.append(")")
    return out


def decided_line(c: Complaint) -> Text:
    """The decision in force of a complaint decided and not yet answered, on one line near the summary's top: at
    80x24 the summary shows its first five lines, and the decisions listed at its end were out of sight, the owner
    back from deciding seeing only "status decided". Empty otherwise (a take-down's posts still to remove say it)."""
    decision = current_decision(c)
    if c.status.value != "decided" or decision is None:
        return Text("")
    said = ACTION_LABELS[decision.action] + (f" ({REASON_LABELS[decision.reason]})" if decision.reason else "")
    return Text(f"\ndecided: {said}", style="bold")


def where_line(c: Complaint) -> str:
    """The platform and its ticket after the channel, as `tracker complaint show` says them: ` (pixiv, ticket T-1)`,
    ` (on pixiv)`; a ticket with no platform recorded is the ticket alone, saying the platform is not recorded when
    the complaint came by a platform's form (the platform it is to be answered on). Empty: neither recorded."""
    if not c.ticket_id:
        return f" (on {c.platform})" if c.platform else ""
    if c.platform:
        return f" ({c.platform}, ticket {c.ticket_id})"
    unknown = "; platform not recorded" if c.channel is Channel.PLATFORM_FORM else ""
    return f" (ticket {c.ticket_id}{unknown})"


def complaint_text(c: Complaint, now: Any, pending: list[int]) -> Text:
    """The complaint's summary: where it stands, who sent it, what is still to remove, the start of the message,
    then which law, what is missing and the work."""
    out = Text()
    out.append(f"Complaint #{c.id}  ", style="bold")
    unanswered = c.status.value in ("open", "decided")
    if not unanswered:  # "answered 2026-12-05; was due 2026-12-06": no date without its label
        said = as_words(c.status.value)
        if c.answered_at:
            answered = f"answered {day(c.answered_at)}"
            said = answered if c.status.value == "answered" else f"{said}, {answered}"
        out.append(said, style="bold")
        out.append("; " if c.deadline_at else "")
    if unanswered or c.deadline_at:
        out.append_text(due_text(c.deadline_at, now, unanswered))
    if unanswered and (on_their_clock := sender_deadline(c.deadline_at, c.sent_utc_offset)):
        out.append(f" {on_their_clock}")  # the hour the complainant wrote (12月8日17時まで), beside the owner's
    # Who, what is still owed and what they wrote first: at 80x24 the summary shows its first five lines.
    out.append("\nfrom: ")
    who = ", ".join(x for x in (c.complainant_name, c.complainant_org, c.complainant_role) if x) or unnamed_sender(
        c.complainant_contact, c.platform, c.ticket_id
    )
    out.append_text(plain(who))
    if c.complainant_contact and who != c.complainant_contact.strip():
        out.append_text(plain(f" <{c.complainant_contact}>"))
    if pending:
        listed = ", ".join(f"#{n}" for n in pending)
        out.append(f"\nto remove: {listed} (press c once they are removed)", style="bold yellow")
    else:
        out.append_text(decided_line(c))
    if c.message:
        out.append_text(message_line(c.message))
    out.append_text(later_line(c))
    # On this machine's clock, as "answered" above: a reply is never shown sent before the message came. The
    # sender's day, which the letter names, on a line of its own when it is another (80 columns hold each line).
    received = on_both_clocks(c.received_at, None)
    out.append(f"\nstatus {c.status.value}; received {received} by {CHANNEL_LABELS[c.channel]}")
    out.append_text(plain(where_line(c)))
    if theirs := their_other_day(c.received_at, c.sent_utc_offset):
        out.append(f"\n({theirs} in the sender's time: the day the letter names)")
    out.append(f"\nlegal basis: {BASIS_LABELS[c.legal_basis]}")
    missing = missing_elements(c)
    if missing and (holder := summary_holder(c.message, c.platform, c.complainant_contact)):
        out.append_text(plain(f"\nnot in {holder}'s message (ask it for the whole notice): ", style="yellow"))
        out.append_text(plain("; ".join(missing), style="yellow"))
    elif missing:
        out.append("\nnotice lacks: ", style="yellow")
        out.append_text(plain("; ".join(missing), style="yellow"))
    labels = dict(REQUIRED_ELEMENTS.get(c.legal_basis, ()))
    if unchecked := [labels.get(key, key) for key in unchecked_elements(c)]:  # the owner's to judge: no letter says
        out.append("\nnot found, yours to judge: ")
        out.append_text(plain("; ".join(unchecked)))
    out.append_text(plain("".join(f"\nnot kept: {n}" for n in c.attachments_not_kept or []), keep_newlines=True))
    out.append("\nwork: ")
    out.append_text(plain(c.claimed_title or "not named"))
    for url in c.claimed_urls or []:
        out.append("\n")
        out.append_text(plain(f"  {url}"))
    for d in c.decisions:
        out.append(f"\ndecision #{d.id} {day(d.decided_at)}: {ACTION_LABELS[d.action]}", style="bold")
        if d.reason:
            out.append(f" ({REASON_LABELS[d.reason]})")
        if d.supersedes_id:
            out.append(f", revises #{d.supersedes_id}", style="italic")
        if d.notes:
            out.append_text(plain(f" — private note: {d.notes}"))
        if d.reply_note:
            out.append_text(plain(f" — to the complainant: {d.reply_note}"))
    return out


def candidate_text(candidate: TriageCandidate) -> Text:
    """Why a candidate is listed: what it is, its posts (full URLs, wrapped), and how it matched."""
    out = Text()
    out.append(f"{candidate.label}", style="bold")
    named = candidate.named and candidate.kind != "named"  # a "named" candidate says so already
    out.append(f"  ({candidate.kind_label}{', named in the complaint' if named else ''})")
    if candidate.original_name:
        out.append("\nfile: ")
        out.append_text(plain(candidate.original_name))
    for post in candidate.posts:
        out.append("\n")
        page = (f", page {post.page}" if post.page else ", a further page") if post.further_page else ""
        out.append_text(plain(f"#{post.id}{page} {post.platform}, {as_words(post.status)}, persona {post.persona}"))
        out.append("\n  ")
        out.append_text(plain(post.url))
    e = candidate.evidence
    if e is None:
        out.append(f"\n{candidate.why_unmatched}", style="yellow")
        return out
    out.append(f"\nscore {e.score:.2f} ({e.confidence}): {candidate.match}", style="bold")
    out.append_text(plain(f" against {e.complaint_image}"))
    if e.distance:  # the tool's own line breaks stay line breaks; only what it quotes is escaped
        out.append("\n  distance: ")
        out.append_text(plain(e.distance))
    if e.matched:
        out.append("\n  matched by: ")
        out.append_text(plain(", ".join(e.matched)))
    if e.region:
        out.append("\n  ")
        out.append_text(plain(e.region))
    for use in candidate.input_of:
        made = ", ".join(f"#{n}" for n in use.post_ids) or "no post yet"
        out.append("\n")
        out.append_text(
            plain(
                f"recorded as the {use.technique} input ({use.kind.replace('_', ' ')}) of image #{use.image_id}, "
                f"posted as {made}",
                style="bold yellow",
            )
        )
    return out


def their_images_text(rows: list[tuple[str, str]]) -> Text:
    """The line saying how many images the complainant sent and what each one matches best."""
    out = Text(f"They sent {len(rows)} images; each one's best match:", style="bold")
    for name, best in rows:
        out.append("\n  ")
        out.append_text(plain(name))
        out.append(" → ")
        out.append_text(plain(best))
    out.append("\n  (i shows the next of their images)", style="dim")
    return out


LABEL = re.compile(r" *[\w#.' -]{1,24}: ")
"""A line's label ("warning: ", "  distance: ", "model: "): a long line folds under the text after it."""


def hanging_lines(text: Text) -> Hanging:
    """`text` line by line, each line folding under its own text (`text.Hanging`): after its label when it starts
    with one (`LABEL`), else two cells in from where it starts; never back at the pane's left edge."""
    lines: list[tuple[Text, int]] = []
    for line in text.split("\n", allow_blank=True):
        indent = len(line.plain) - len(line.plain.lstrip(" "))
        label = LABEL.match(line.plain)
        lines.append((line, cell_len(label.group()) if label else indent + 2))
    return Hanging(lines)


def facts_text(facts: dict[str, Any], candidate: TriageCandidate) -> Hanging:
    """A candidate's evidence and accountability report (of its first post, or of the image), each long line folded
    under its own text (`hanging_lines`)."""
    out = candidate_text(candidate)
    if candidate.kind == "input" and facts.get("post_id"):
        out.append(f"\n\nThe post made with it, #{facts['post_id']}:", style="bold")
    if candidate.first_post is not None:  # the prompt and settings are on the post's page, not here
        out.append("\n")
        out.append_text(
            plain(f"Enter: post #{candidate.first_post.id}'s page (its prompt, settings and history)", style="dim")
        )
    out.append("\n\n")
    out.append_text(generation_text(facts))
    return hanging_lines(out)


def message_heading(c: Complaint) -> Text:
    """Whose message it is and when it arrived, above the whole message."""
    who = ", ".join(x for x in (c.complainant_name, c.complainant_org) if x) or unnamed_sender(
        c.complainant_contact, c.platform, c.ticket_id
    )
    out = Text(f"Message of complaint #{c.id} from ", style="bold")
    out.append_text(plain(who, style="bold"))
    out.append(f", received {received_when(c)} by {CHANNEL_LABELS[c.channel]}", style="bold")
    return out


def messages_text(c: Complaint) -> Text:
    """The message the complaint was logged with, whole, then each later message under the day it arrived, oldest
    first: literal text (control characters as escapes), line breaks kept."""
    out = plain(c.message or "", keep_newlines=True)
    for item in later_messages(c):
        out.append(f"\n\nLater message, received {later_when(item)}\n", style="bold")
        out.append_text(plain(item.get("message"), keep_newlines=True))
    return out


def posts_where(candidate: TriageCandidate, personas: bool = False) -> str:
    """A triage row's platforms, with the persona of each post when the candidates are of several (`personas`):
    "pixiv (moth), x (kite)". One image posted under two personas shows both, so a take-down of the row is never
    read as one persona's; with one persona, the platform alone keeps the row in 80 columns."""
    if not candidate.posts:
        return "-"
    if not personas:
        return candidate.posts[0].platform
    return ", ".join(dict.fromkeys(f"{post.platform} ({post.persona})" for post in candidate.posts))
