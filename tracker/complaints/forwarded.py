"""Who a complaint is from when the owner forwarded it: the person whose message it forwards, never the owner.

An owner often forwards a complaint to the address they keep the tracker's mail in, so the file's From is their own
(a persona's contact). The complainant then is the forwarded message's sender, its date when it was sent, its words
the message (`messages.ReceivedMessage.forwarded`, read from a `message/rfc822` part or an inline block). A
forwarded message from the owner's own address (a complainant forwarding the owner's earlier reply back) is no
complaint: the forward is. A forward from an address not known to be the owner's is read so only when next to
nothing is written above it (`FYI`, `転送します`) under a forward's subject (`Fwd:`): a complainant's reminder above
their notice, or a short answer above the owner's letter it replies to, is their message. A message sent from
the owner's address that forwards nothing readable names no complainant at all: the owner fills them in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from sqlalchemy import select

from tracker.db.models import Persona

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable

    from sqlalchemy.orm import Session

    from tracker.complaints.messages import ReceivedMessage

_ADDRESS = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")


def own_addresses(session: Session) -> frozenset[str]:
    """The owner's e-mail addresses: those in a persona's contact, lower case."""
    contacts = session.scalars(select(Persona.contact).where(Persona.contact.is_not(None)))
    return addresses_in(contacts)


def addresses_in(texts: Iterable[str | None]) -> frozenset[str]:
    """The e-mail addresses the texts hold (`Mail: moth@example.org, X: @moth`), lower case."""
    return frozenset(found.lower() for text in texts for found in _ADDRESS.findall(text or ""))


def is_own(address: str | None, own: Collection[str]) -> bool:
    """Whether an address is one of the owner's (`own_addresses`), in any case."""
    return bool(address) and (address or "").strip().lower() in own


@dataclass(frozen=True)
class ComplaintPart:
    """The message that is the complaint, and the owner's address it came from when it names nobody else."""

    message: ReceivedMessage
    own_sender: str | None = None


def complaint_part(message: ReceivedMessage, own: Collection[str]) -> ComplaintPart:
    """The forwarded message when `message` forwards one whose sender is not the owner, forwarded by the owner or with
    next to nothing written above it (`BARE_NOTE`), with the forward's date when it gives none; else `message`,
    without its sender when that is one of the owner's addresses (`own_sender`)."""
    inner = message.forwarded
    forwarder = _from_owner(message, own)
    if (
        inner is not None
        and (inner.sender_contact or inner.sender_address)
        and not _from_owner(inner, own)
        and (forwarder or (_bare(message.forward_note) and _FORWARD_SUBJECT.match(message.subject or "Fwd:")))
    ):
        if inner.received_at is None:
            inner = replace(inner, received_at=message.received_at, sent_zone=message.sent_zone)
        return ComplaintPart(inner)
    if forwarder:
        sender = message.sender_contact or message.sender_address
        return ComplaintPart(replace(message, sender_name=None, sender_contact=None, sender_address=None), sender)
    return ComplaintPart(message)


BARE_NOTE = 40
"""The most characters (on at most two lines) a forward's note holds for the forward to be read as the message it
forwards when it is not from the owner's address: `FYI`, `転送します`, a name. Longer, it is the sender's own
message (a complainant's reminder above their notice, or above the owner's letter they quote back)."""


_FORWARD_SUBJECT = re.compile(r"\s*(?:\[?(?:fwd?|fw|転送|tr|wg)\]?\s*[:：]|\[fwd?\])", re.I)
"""A subject a forward wears (`Fwd:`, `FW:`, `転送:`): a reply's (`Re:`) quotes the mail it answers, not forwards it."""


def _bare(note: str) -> bool:
    lines = [line for line in note.split("\n") if line.strip()]
    return len(lines) <= 2 and len("".join(lines)) <= BARE_NOTE


def _from_owner(message: ReceivedMessage, own: Collection[str]) -> bool:
    return is_own(message.sender_contact, own) or is_own(message.sender_address, own)


def own_sender_warning(address: str) -> str:
    """What the intake says of a message from the owner's own address that forwards nothing it can read."""
    return f"sent from your own address ({address}) and forwarding no message that could be read: no complainant taken"
