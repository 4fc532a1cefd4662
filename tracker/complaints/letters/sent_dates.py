"""The day a letter says the complainant's message was sent, when what arrived forwards it.

A platform's support (or anyone) may pass a complaint on as a forward: the complaint then records when the forward
arrived, but the complainant wrote earlier, and the forward's header block says when (`Date: Tue, Dec 1, 2026 at
10:00 AM`, `日付: 2026年12月1日`). A letter addressed to the one who wrote the forwarded message (the owner recorded
them as the complainant: their address or name is the block's sender) thanks them for their message of that day,
never of the day someone else passed it on. A letter to the platform's team that passed it on (`platform_notices`)
thanks the team for its own message, of its own day; but a counter letter speaks of the complainant's notice, and
dates it as they did. A forward whose date cannot be read (none given, or in words no reader knows) dates their
message by no day at all: the letter thanks them for their message, never for one of the day someone else passed it
on (`their_sent_day` is None).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from tracker.complaints.letters.reply_phrases import Words, without_honorific
from tracker.complaints.reading.forward_blocks import ForwardBlock, forward_block, forwarded_date
from tracker.complaints.views import StoredComplaint

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
"""An e-mail address (`forwarded.addresses_in` reads the same, but that module loads the database layer, which
`complaint reply` does not load)."""


def _same_name(one: str | None, other: str | None) -> bool:
    def bare(name: str | None) -> str:
        return "".join((without_honorific(name) or "").split()).casefold()

    return bool(bare(one)) and bare(one) == bare(other)


def their_sent_day(complaint: StoredComplaint, to_platform: bool, counter: bool) -> tuple[datetime, int | None] | None:
    """(when, the sender's UTC offset in minutes or None) the letter dates the complainant's message by: the date
    of the forwarded message they wrote, when the complaint's message forwards one of theirs and the letter speaks
    of it (not a platform letter's thanks for the platform's own message, `to_platform` without `counter`), None
    when that forward's date cannot be read (the day recorded is the forwarder's, not theirs); else when it
    arrived, on the sender's clock as recorded."""
    recorded = (complaint.received_at, complaint.sent_utc_offset)
    if to_platform and not counter:
        return recorded
    block = _their_forward(complaint)
    return _sent_day(block) if block is not None else recorded


def notice_dated(complaint: StoredComplaint, to_platform: bool) -> bool:
    """Whether a counter letter can date the complainant's notice: not when a platform's notice passed it on
    (`to_platform`) without saying when they sent it (its own date is the day the platform wrote to the owner), nor
    when their forwarded notice's date cannot be read."""
    block = _their_forward(complaint)
    return _sent_day(block) is not None if block is not None else not to_platform


def _their_forward(complaint: StoredComplaint) -> ForwardBlock | None:
    """The forwarded message in the complaint's message whose sender is the recorded complainant (their e-mail
    address or their name), or None."""
    block = forward_block(complaint.message or "")
    if block is None:
        return None
    contact = {address.lower() for address in _EMAIL.findall(complaint.complainant_contact or "")}
    named = _same_name(block.sender_name, complaint.complainant_name)
    return block if named or (block.sender_address or "").lower() in contact else None


def _sent_day(block: ForwardBlock) -> tuple[datetime, int] | None:
    """(when, UTC offset in minutes) a forwarded message's header block dates it, or None when it gives no date
    that can be read."""
    when, zone = forwarded_date(block.date, UTC)  # no zone named: the day as they wrote it
    if when is None:
        return None
    offset = zone.utcoffset(when) if zone is not None else None
    return when, int(offset.total_seconds() // 60) if offset is not None else 0


NOTICE_NAMES = ("notice_of", "the_notice", "the_complaint")
"""The placeholders that name their notice with its day and reference (the phrases of the same keys):
`notice_of`, what follows a noun (" of 5 December 2026 (reference X)", 「2026年12月5日（受付番号：X）の」 before one);
`the_notice` and `the_complaint`, the noun with them, as Japanese writes it (「2026年12月5日の通知（受付番号：X）」:
the reference after the noun, never 「（受付番号：X）の通知」)."""


def notice_names(words: Words, received: str, ticket: str, dated: bool) -> dict[str, str]:
    """Each of `NOTICE_NAMES` filled: with the day `received` only when it is the one the complainant sent it
    (`notice_dated`; else its `_undated` phrase), the `ticket` where there is one. With neither, `notice_of` is ""
    (a template writes the noun itself) and the others are the noun alone; "" for a phrase the language lacks."""
    names = {}
    for key in NOTICE_NAMES:
        if key not in words.table or not (dated or ticket) and key == "notice_of":
            names[key] = ""
        else:
            names[key] = words(key if dated else f"{key}_undated", received=received, ticket=ticket)
    return names
