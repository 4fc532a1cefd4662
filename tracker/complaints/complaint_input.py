"""What the owner types in when logging a complaint (`ComplaintInput`): the intake reads it, its checks judge it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from tracker.db.enums import Channel, LegalBasis


@dataclass
class ComplaintInput:
    """Everything the owner types in at intake; only `received_at` has to be right."""

    received_at: datetime
    channel: Channel = Channel.PLATFORM_FORM
    legal_basis: LegalBasis = LegalBasis.NONE
    platform: str | None = None
    ticket_id: str | None = None
    complainant_name: str | None = None
    complainant_org: str | None = None
    complainant_role: str | None = None
    complainant_contact: str | None = None
    claimed_title: str | None = None
    claimed_description: str | None = None
    claimed_urls: list[str] = field(default_factory=list)
    message: str | None = None
    sent_utc_offset: int | None = None
    """Minutes east of UTC of the message's Date (`message_fields`), so a reply dates it as its sender did."""
    elements: set[str] = field(default_factory=set)
    """Legal elements the owner found in the notice (keys of `REQUIRED_ELEMENTS`)."""
    deadline_at: datetime | None = None
    posts: list[str] = field(default_factory=list)
    """The posts the complaint names: URLs or post numbers."""
    images: list[Path] = field(default_factory=list)
    persona: str | None = None
    """Whose complaint it is, when no named post says so."""
    language: str | None = None
    """The language to answer in (`ja`, `en`); None: guessed from the message when a reply is drafted."""
    new_persona: bool = False
    """`persona` is new: create it (even when its name is close to an existing one)."""
    duplicate: bool = False
    """Log it even though an earlier complaint holds the very same message (`intake_checks.SameMessage`)."""
    left_out: list[str] = field(default_factory=list)
    """Attachments that arrived with the message and are not kept, each name and why (`readable_images`)."""
