"""`tracker complaint` as text: the record `complaint show` and `complaint add` print, one line per fact.

Drawn from the complaint's dict (`complaints.views.complaint_dict`, the `--json` form too), every value that
came from a complainant or a file through `safe_text`. The history under it is `history`'s.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker.cli.output import row
from tracker.complaints.deadlines import sender_clock
from tracker.complaints.deadlines import shown as deadline_shown
from tracker.complaints.legal import ACTION_LABELS, BASIS_LABELS, CHANNEL_LABELS, REASON_LABELS, REQUIRED_ELEMENTS
from tracker.db.enums import UNANSWERED, Channel, DecisionAction, DisputeReason, LegalBasis
from tracker.support.dates import from_iso, local_day, local_minute, local_zone, minute_here_first, utcnow
from tracker.support.shell import shell_word
from tracker.support.textsafe import safe_text

if TYPE_CHECKING:
    from tracker.cli.context import AppContext


def status_text(data: dict[str, Any]) -> str:
    """Its status, with OVERDUE when its deadline has passed unanswered."""
    return f"{data['status']}, OVERDUE" if data["overdue"] else data["status"]


def decision_line(d: dict[str, Any]) -> str:
    """One decision: when, what, why, which posts, what it revises."""
    text = f"#{d['id']} {local_minute(from_iso(d['decided_at']))}  "
    text += ACTION_LABELS[DecisionAction(d["action"])]
    if d["reason"]:
        text += f": {REASON_LABELS[DisputeReason(d['reason'])]}"
    if d["post_ids"]:
        text += "  posts " + ", ".join(f"#{i}" for i in d["post_ids"])
    if d["supersedes"]:
        text += f"  (revises decision #{d['supersedes']})"
    return text


def indented(text: str, indent: str = "    ") -> list[str]:
    """Stored text (safe, its own line breaks kept) as lines under a heading."""
    return [indent + line for line in safe_text(text, keep_newlines=True).strip("\n").split("\n")]


def complaint_lines(data: dict[str, Any], notes: list[str] | None = None) -> list[str]:
    """The record: who, when, which law and deadline, their work, the posts and images (and the `notes` on them,
    `picture_notes`), what the notice lacks, the message and the later ones, every decision and the last one's
    private notes, and what is still to remove."""
    from tracker.complaints.queue import complainant_label

    lines = [f"Complaint #{data['id']}: {status_text(data)}"]
    if data.get("duplicate_of"):  # `complaint close --duplicate-of`: the one to answer is the one it repeats
        lines[0] += f", a duplicate of #{data['duplicate_of']} (no letter of its own: answer #{data['duplicate_of']})"
    via = CHANNEL_LABELS[Channel(data["channel"])]
    if data["platform"]:
        via += f" ({data['platform']}" + (f", ticket {data['ticket_id']})" if data["ticket_id"] else ")")
    elif data["ticket_id"]:
        via += f" (ticket {data['ticket_id']})"
    at = from_iso(data["received_at"])
    clock = sender_clock(data.get("sent_utc_offset"))  # this machine's time, as the answer's; then the sender's
    lines.append(row("received", f"{minute_here_first(at, clock)} via {via}" if at else f"- via {via}"))
    lines.append(row("basis", BASIS_LABELS[LegalBasis(data["legal_basis"])]))
    lines.append(row("answer by", deadline_text(data)))
    who = complainant_label(data) + (f", {data['complainant_role']}" if data["complainant_role"] else "")
    contact = data["complainant_contact"]
    if contact and complainant_label(data) != contact.strip():  # a sender known by their address alone: said once
        who += f"  <{contact}>"
    lines.append(row("from", who))
    if data["persona"]:
        lines.append(row("persona", data["persona"]))
    if data["claimed_title"] or data["claimed_description"]:
        work = " - ".join(t for t in (data["claimed_title"], data["claimed_description"]) if t)
        lines.append(row("their work", work))
    lines += [row("work url", url) for url in data["claimed_urls"]]
    lines += [row("post", f"#{p['id']} [{p['status']}] {p['url']}") for p in data["posts"]] or [
        row("posts", "none named")
    ]
    for image in data["images"]:
        size = f"{image['format']} {image['width']}x{image['height']}"
        lines.append(row("image", f"{image['original_name']}  {size}  {image['archive_file']}"))
    lines += [row("note", note) for note in notes or []]
    lines += [
        row("not kept", f"{name}: attached to the message; save it from there yourself")
        for name in data.get("attachments_not_kept", [])
    ]
    lines += notice_lines(data)
    if data["message"]:
        lines.append("  message")
        lines += indented(data["message"])
    for later in data.get("follow_ups", []):  # `complaint message N`: the sender's later messages, oldest first
        at = from_iso(later["received_at"])
        lines.append(row("follow-up", f"received {local_minute(at)} {local_zone(at)}" if at else "received -"))
        lines += indented(later["message"])
    lines.append("  decisions" if data["decisions"] else "  decisions  none yet")
    lines += [safe_text(f"    {decision_line(d)}") for d in data["decisions"]]
    for d in data["decisions"][-1:]:
        if d["notes"]:
            lines.append("  notes")
            lines += indented(d["notes"])
    if data["takedown_pending"]:
        posts = ", ".join(f"#{n}" for n in data["takedown_pending"])
        promised = "promised in the sent reply: " if data["answered_at"] else ""
        lines.append(f"  to remove  {promised}{posts} still live (then: tracker complaint confirm {data['id']})")
    return lines


def deadline_text(data: dict[str, Any]) -> str:
    """The deadline as `answer by` shows it: with OVERDUE, or the day it was answered."""
    if data["answered_at"]:
        return f"{deadline_shown(from_iso(data['deadline_at']))}  " + (
            f"(answered {local_day(from_iso(data['answered_at']))})"
        )
    if not data["deadline_at"]:
        return "-"
    deadline = from_iso(data["deadline_at"])
    return deadline_shown(deadline) + ("  OVERDUE" if data["overdue"] else _due_day(deadline, data["status"]))


def _due_day(deadline: datetime | None, status: str) -> str:
    """`  due today` / `  due tomorrow` (this machine's days, as `tracker status` names them) for an unanswered
    complaint whose deadline falls then; else ''."""
    if deadline is None or status not in {s.value for s in UNANSWERED}:
        return ""
    today = date.fromisoformat(local_day(utcnow()))
    day = date.fromisoformat(local_day(deadline))
    return "  due today" if day == today else "  due tomorrow" if day == today + timedelta(days=1) else ""


def notice_lines(data: dict[str, Any]) -> list[str]:
    """Whether the notice holds every element its legal basis requires, which it lacks, and which the reader did
    not find and are the owner's to judge (`legal.JUDGED`: a letter never says those are missing)."""
    if not data["completeness"]:
        return [row("notice", "no formal elements for this legal basis")]
    unchecked = data.get("unchecked_elements") or []
    if not data["missing_elements"] and not unchecked:
        return [row("notice", "complete (every required element is there)")]
    lines = []
    if data["missing_elements"]:
        from tracker.complaints.reading.platform_notices import summary_holder  # its patterns: only for what lacks

        holder = summary_holder(data.get("message"), data.get("platform"), data.get("complainant_contact"))
        said = f"not in {holder}'s message (it passes the notice on: ask it for the whole notice if it matters):"
        lines.append(row("notice", safe_text(said) if holder else "lacks:"))
        lines += [safe_text(f"    - {label}") for label in data["missing_elements"]]
    if unchecked:
        labels = dict(REQUIRED_ELEMENTS.get(LegalBasis(data["legal_basis"]), ()))
        lines.append(
            row("" if lines else "notice", "not found by the reader (yours to judge; no letter calls it missing):")
        )
        for key in unchecked:
            lines.append(safe_text(f"    - {labels.get(key, key)}"))
            lines.append(
                f"      tracker complaint set {data['id']} --element {key} (it is there) or --no-element {key}"
            )
    return lines


def persona_line(app: AppContext, number: int, persona: str | None) -> str | None:
    """`complaint add`'s row saying that complaint `number` is linked to no persona when none signs its letter
    (`letter_personas.signer_unknown`: more than one persona, none named), and how to say whose it is; else None."""
    from tracker.complaints.letters.letter_personas import signer_unknown
    from tracker.db.plain import reading

    with reading(app.reader()) as db:
        unknown = signer_unknown(db, persona)
    said = f"none, so no name signs its letter: say whose it is with tracker complaint set {number} --persona NAME"
    return row("persona", said) if unknown else None


def picture_notes(images: list[dict[str, Any]]) -> tuple[list[str], list[dict[str, Any]]]:
    """Notes on the complainant's pictures (`complaint_dict`'s images) a search cannot use as they are, in
    the words `tracker match` and triage use (`matching.limits`): one plain colour (nothing to compare: ask for it
    again), animated (only its first frame searched); and the pictures that are not one plain colour, the ones
    worth a `tracker match`. Both were recorded when the picture was kept (`plain_colour`, `frames`): only a
    picture an older tracker kept is read from its file (`_looks`). An archived copy that does not read is left to
    `tracker check` to report."""
    from tracker.matching import limits

    notes: list[str] = []
    searchable: list[dict[str, Any]] = []
    for image in images:
        name = image["original_name"]
        plain, frames = image.get("plain_colour"), image.get("frames")
        if plain is None or frames is None:
            plain, frames = _looks(Path(image["archive_file"]))
        if plain:
            notes.append(limits.blank_picture(name))
        else:
            searchable.append(image)
        if frames > 1:
            notes.append(limits.animated(name, frames))
    return [safe_text(note) for note in notes], searchable


def _looks(archived: Path) -> tuple[bool, int]:
    """`limits.looks` of a picture an older tracker kept (nothing recorded of it), read from its archived file; one
    that does not read counts as neither (`tracker check` reports it)."""
    from tracker.errors import TrackerError
    from tracker.matching import limits
    from tracker.metadata.decoding import decode_file  # Pillow and numpy: only for a picture kept before 0021

    try:
        return limits.looks(decode_file(archived))
    except TrackerError:
        return False, 1


def next_steps(
    data: dict[str, Any], unlinked: str | None = None, searchable: list[dict[str, Any]] | None = None
) -> list[str]:
    """What `complaint add` tells the owner to do next: `unlinked`, the row saying whose complaint it is when no
    persona signs its letter; for a complaint that sent a picture and names no post (a mail's attachment, kept only
    in the archive), the `tracker match` that finds the post it shows, of the first of `searchable` (the pictures
    not one plain colour, `picture_notes`; None: all of them); then triage or decide."""
    number = data["id"]
    lines = [unlinked] if unlinked else []  # no persona signs its letter (`persona_line`): say whose it is
    pictures = data["images"] if searchable is None else searchable
    if pictures and not data["posts"]:
        found = shell_word(pictures[0]["archive_file"])
        lines.append(safe_text(f"Find the post their picture shows: tracker match {found}"))
    return [*lines, f"Triage it with `tracker tui`, or decide: tracker complaint decide {number} --action ..."]


def deadline_read_as(typed: str, deadline: datetime, offset: int | None) -> str | None:
    """`--deadline 12/8 read as 2026-12-08 (Tue), the end of that day on the sender's clock (UTC+09:00)`: said when
    the day was typed as a message writes it (`12月8日`, `12/8`: month/day, a year guessed), so the owner sees the
    day read; None for `YYYY-MM-DD`, `tomorrow` and the other unambiguous forms."""
    from tracker.complaints.deadlines import read_as
    from tracker.complaints.reading.message_details import typed_day

    if typed_day(typed, deadline.date()) is None:
        return None
    return f"--deadline {safe_text(typed.strip())} read as {read_as(deadline, sender_clock(offset))}"
