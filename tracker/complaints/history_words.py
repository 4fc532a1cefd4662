"""A complaint's history in words: the one wording `tracker complaint show` and the TUI's complaint screen give an
audit entry.

A complaint's entries are about several records: the complaint itself (a `complaint set` correction, the
language, when the reply was marked sent, the sender's later messages), the posts and images it names, each
decision (with its private notes and the reply note that goes into the letter) and each take-down; a post's
own fields are said as a post's history says them (`posts.history_words`). The front ends only lay the lines
out: `cli.complaint.history` folds them to the terminal's width, `tui.screens.complaint_history` styles them.
Nothing here escapes text: each front end makes it safe its own way (`safe_text`, a plain `Text`).
"""

from __future__ import annotations

from typing import Any

from tracker.complaints.deadlines import shown as deadline_shown
from tracker.complaints.history import NOT_SENT, SUBJECT
from tracker.complaints.legal import ACTION_LABELS, REASON_LABELS
from tracker.complaints.persona_ids import with_persona_names
from tracker.complaints.stored import history_dicts
from tracker.db.enums import DecisionAction, DisputeReason
from tracker.db.plain import Readable
from tracker.posts.history_words import change_words, value_words
from tracker.support.dates import from_iso, local_minute

_WORDS = ("status", "channel", "legal_basis", "language", "status_before", "action", "reason")
"""Fields whose values are words of the tracker's own (`open`, `dmca`, `ja`), shown without quotes."""
_TIMES = ("received_at", "answered_at", "decided_at", "confirmed_at", "restored_at", "created_at")
_NAMES = {"duplicate_of_id": "duplicate of"}
"""Fields said in other words than their column's (`duplicate of: (none) -> #2`)."""
_NUMBERS = ("duplicate_of_id",)
"""Fields holding a complaint's number, shown as `#2`."""


def _value(field: str, value: Any) -> str:
    """A value as the owner reads it: `(none)` for nothing, times in local time, text in quotes."""
    if value is None or value in ("", [], {}):
        return "(none)"
    if field == "deadline_at":
        return deadline_shown(from_iso(value))
    if field in _TIMES:
        return local_minute(from_iso(value))
    if field == "completeness" and isinstance(value, dict):
        return ", ".join(key for key, present in value.items() if present) or "none"
    if field == "persona":  # as a post's history says it: `persona: "moth" -> "kite"`
        return value_words(field, value)
    if field in _NUMBERS:
        return f"#{value}"
    if field == "post_ids" and isinstance(value, list):
        return ", ".join(f"#{n}" for n in value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, str) and field not in _WORDS:
        return f'"{value}"'
    return str(value)


def _changed(changes: dict[str, list[Any]], skip: tuple[str, ...] = ()) -> list[str]:
    """`language: en -> ja` for each field that changed."""
    return [
        f"{_NAMES.get(field, field.replace('_', ' '))}: {_value(field, old)} -> {_value(field, new)}"
        for field, (old, new) in changes.items()
        if field not in skip and old != new
    ]


def _complaint(event: dict[str, Any], number: int, messages_at: str) -> list[str]:
    """The complaint's own entry: logged, corrected, answered (the letter itself: `--reply`)."""
    changes = event["changes"] or {}
    if event["action"] != "update":
        return [f"complaint #{number} {'logged' if event['action'] == 'create' else 'deleted'}"]
    named = ("persona_id",) if "persona" in changes else ()  # `complaint set --persona`: said by its name
    out = []
    old_messages, new_messages = changes.get("follow_ups") or [None, None]
    for later in new_messages or []:  # `complaint message N`: each message kept once, said once, first
        if later not in (old_messages or []) and isinstance(later, dict):
            out.append(f"follow-up of {_value('received_at', later.get('received_at'))} kept ({messages_at})")
    skipped = ("reply_text", SUBJECT, NOT_SENT, "follow_ups", *named)  # the letter and its subject: `--reply`
    out += _changed(changes, skip=skipped)
    if changes.get(NOT_SENT):  # `complaint reply N --not-answered`
        out.append("reply: marked sent by mistake: no letter counted as sent by it (still in the trail)")
    elif "reply_text" in changes:
        sent = changes["reply_text"][1]
        out.append(
            f"reply: the letter sent is kept (tracker complaint show {number} --reply)"
            if sent
            else "reply: the letter sent is set aside: their answer came, to decide again (still in --reply)"
            if "follow_ups" in changes
            else "reply: the letter sent is set aside for a new decision (still in --reply)"
        )
    return out


def _decision(event: dict[str, Any]) -> list[str]:
    """`decision #2: dispute`, its reason, posts, what it revises, private notes and the reply note."""
    values = {field: new for field, (_, new) in (event["changes"] or {}).items()}
    if event["action"] != "create":
        return [f"decision #{event['entity_id']} {event['action']}d"]
    out = [f"decision #{event['entity_id']}: {ACTION_LABELS[DecisionAction(values['action'])]}"]
    if values.get("reason"):
        out.append(f"reason: {REASON_LABELS[DisputeReason(values['reason'])]}")
    if values.get("post_ids"):
        out.append(f"posts: {_value('post_ids', values['post_ids'])}")
    if values.get("supersedes_id"):
        out.append(f"revises decision #{values['supersedes_id']}")
    if values.get("notes"):
        out.append(f"notes (private, never sent): {_value('notes', values['notes'])}")
    if values.get("reply_note"):
        out.append(f"reply note (goes into the letter): {_value('reply_note', values['reply_note'])}")
    return out


def _link(event: dict[str, Any]) -> list[str]:
    """A post or image the complaint names: named, or no longer."""
    values = {field: new if event["action"] == "create" else old for field, (old, new) in event["changes"].items()}
    gone = "" if event["action"] == "create" else " no longer"
    if event["entity"] == "complaint_post":
        reference = f" (as {_value('reference', values.get('reference'))})" if values.get("reference") else ""
        return [f"post #{values.get('post_id')}{gone} named{reference}"]
    return [f"image {_value('original_name', values.get('original_name'))}{gone} kept"]


def entry_changes(event: dict[str, Any], number: int, messages_at: str = "shown above") -> list[str]:
    """What one entry of complaint `number`'s history changed, record by record; a later message of the sender
    kept says where its words are (`messages_at`: above the history in `complaint show`)."""
    entity, changes = event["entity"], event["changes"] or {}
    if entity == "complaint":
        return _complaint(event, number, messages_at)
    if entity == "decision":
        return _decision(event)
    if entity in ("complaint_post", "complaint_image"):
        return _link(event)
    if entity == "takedown" and event["action"] == "create":
        post, decision = changes["post_id"][1], changes["decision_id"][1]
        return [f"post #{post} recorded removed (decision #{decision})"]
    if entity == "post":
        return [f"post #{event['entity_id']} {change}" for change in change_words(event)]
    return [f"{entity} #{event['entity_id']} {change}" for change in _changed(changes)]


def history_entries(db: Readable, number: int) -> list[dict[str, Any]]:
    """Complaint `number`'s history as `complaint show` and the TUI say it: every audit entry about it, oldest first
    (`stored.history_dicts`), an entry of an older tracker naming a persona by number given its name
    (`persona_ids.with_persona_names`)."""
    return with_persona_names(db, history_dicts(db, number))
