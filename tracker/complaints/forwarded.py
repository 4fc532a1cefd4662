"""Who a complaint is from when the owner forwarded it: the person whose message it forwards, never the owner.

An owner often forwards a complaint to the address they keep the tracker's mail in, so the file's From is their own
(a persona's contact), or at least went to the address it came from (`ReceivedMessage.to_self`: a forward to
oneself, from an address no persona names). The complainant then is the forwarded message's sender, its date when
it was sent, its words the message (`messages.ReceivedMessage.forwarded`, read from a `message/rfc822` part or an
inline block). A forwarded message from the owner's own address (a complainant forwarding the owner's earlier reply
back) is no complaint: the forward is. Any other forward is its sender's message, however short the note above what
it forwards: a lawyer or agent forwarding their client's notice ("Please see my client's notice below"), a
platform's support passing a report on (a notice, `platform_notices.forwarded_notice`: its letter goes to the
platform's team, the complainant recorded being the one whose mail it forwards), a complainant forwarding the owner's
letter back or their own earlier notice. They wrote to the owner, so they are the ones the owner answers. A message
sent from the owner's address that forwards nothing readable names no complainant at all: the owner fills them in.
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

    from tracker.complaints.reading.messages import ReceivedMessage

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
    forward_dated: bool = False
    """The forwarded message gives no date of its own: `message` bears the forward's, sent after it."""

    def kept_text(self, forwarder: ReceivedMessage) -> str:
        """The message's words as the complaint keeps them; an undated forward's (`forward_dated`) with its block's
        header as it came (`forwarder`'s text without the owner's note above it), so that a letter dates their
        message by no day (`letters.sent_dates`), never by the forward's."""
        if not self.forward_dated:
            return self.message.text
        text, note = forwarder.text.strip(), forwarder.forward_note.strip()
        return text[len(note) :].strip() if note and text.startswith(note) else text


def complaint_part(message: ReceivedMessage, own: Collection[str]) -> ComplaintPart:
    """The forwarded message when `message` forwards one whose sender is not the owner, forwarded by the owner (from
    one of `own`, or to the address it came from), with the forward's date when it gives none (`forward_dated`: the
    best evidence, for the intake to say); else `message`, without its sender when that is one of the owner's
    addresses (`own_sender`)."""
    inner = message.forwarded
    forwarder = _from_owner(message, own)
    if (
        inner is not None
        and (inner.sender_contact or inner.sender_address)
        and not _from_owner(inner, own)
        and (forwarder or message.to_self)
    ):
        if inner.received_at is None and message.received_at is not None:
            inner = replace(inner, received_at=message.received_at, sent_zone=message.sent_zone)
            return ComplaintPart(inner, forward_dated=True)
        return ComplaintPart(inner)
    if forwarder:
        sender = message.sender_contact or message.sender_address
        return ComplaintPart(replace(message, sender_name=None, sender_contact=None, sender_address=None), sender)
    return ComplaintPart(message)


def _from_owner(message: ReceivedMessage, own: Collection[str]) -> bool:
    return is_own(message.sender_contact, own) or is_own(message.sender_address, own)


def own_sender_warning(address: str) -> str:
    """What the intake says of a message from the owner's own address that forwards nothing it can read."""
    return f"sent from your own address ({address}) and forwarding no message that could be read: no complainant taken"


def forward_dated_warning(forwarded_at: str) -> str:
    """What the intake says of a forwarded message with no date of its own (`ComplaintPart.forward_dated`): the date
    taken is the forward's, `forwarded_at`, and a deadline it asks for within a time is counted from it."""
    return (
        f"the forwarded message gives no date of its own: taken as {forwarded_at}, when it was forwarded; it was "
        'sent earlier, so a deadline counted from it ("within 48 hours", 「3日以内」) may fall earlier'
    )
