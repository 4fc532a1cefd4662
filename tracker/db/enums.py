"""The fixed vocabularies of the archive: post and complaint states, channels, legal bases, ... (and the command
of the audit entry a persona scrub's hand-over leaves, which a reply reads without loading the audit machinery).

Plain Python enums, stored as their values. Kept apart from the tables so that the command line
can offer them as choices, and the TUI can label them, without loading the database layer.
"""

from __future__ import annotations

import enum

HANDED_OVER = "purge scrub: handed over"
"""The command of the audit entry a scrub leaves on a complaint it moved to another persona (`purge.kept_complaints`):
its earlier letters were signed by the scrubbed persona, and a reply drafted now says so (`letters.replies`)."""

RESEMBLES = "resembles"
"""The action of the audit entry that keeps, on a not-my-post decision, the owner's posts the search found for the
complainant's pictures (`complaints.sent_matches`): the letter then never says that nothing was found."""


def values(enum_type: type[enum.Enum]) -> list[str]:
    """The stored values of an enum, in order (the choices a command offers)."""
    return [member.value for member in enum_type]


class PostStatus(enum.StrEnum):
    """Where a post stands on its platform."""

    LIVE = "live"
    TAKEN_DOWN = "taken_down"
    DELETED = "deleted"


class InputKind(enum.StrEnum):
    """Where an input image came from (the owner's rule: only these may ever be inputs)."""

    OWN_GENERATION = "own_generation"
    OWN_ASSET = "own_asset"
    COMMISSIONED = "commissioned"
    """Made for the owner, with the rights to use it."""
    LICENSED = "licensed"
    """An asset used under a licence (the licence text or URL is recorded)."""
    GENERIC = "generic"
    """Something that cannot infringe, such as a blank pose skeleton or a depth map of a primitive."""


class Channel(enum.StrEnum):
    """How a complaint arrived."""

    PLATFORM_FORM = "platform_form"
    EMAIL = "email"
    DM = "dm"
    LETTER = "letter"
    OTHER = "other"


class LegalBasis(enum.StrEnum):
    """The law or rule a complaint invokes."""

    DMCA = "dmca"
    DSA = "dsa"
    JAPAN = "jp"
    PLATFORM_RULES = "platform_rules"
    NONE = "none"


class ComplaintStatus(enum.StrEnum):
    """Where a complaint stands: `open` and `decided` still need the owner (nothing answered yet)."""

    OPEN = "open"
    DECIDED = "decided"
    ANSWERED = "answered"
    CLOSED = "closed"


class DecisionAction(enum.StrEnum):
    """What the owner decided about a complaint."""

    TAKE_DOWN = "take_down"
    DISPUTE = "dispute"
    ASK_INFO = "ask_info"
    INVALID = "invalid"
    WITHDRAWN = "withdrawn"


class DisputeReason(enum.StrEnum):
    """Why a complaint is disputed (the owner's document reserves the first two)."""

    SLIGHT_RESEMBLANCE = "slight_resemblance"
    SMALL_PART = "small_part"
    INDEPENDENT_CREATION = "independent_creation"
    LICENSED_INPUT = "licensed_input"
    NOT_MY_POST = "not_my_post"
    OTHER = "other"


class PurgeItemState(enum.StrEnum):
    """Where one item of a purge checklist stands (`open` until the owner marks it)."""

    OPEN = "open"
    DONE = "done"
    SKIPPED = "skipped"
    FAILED = "failed"


UNANSWERED = (ComplaintStatus.OPEN, ComplaintStatus.DECIDED)
"""The statuses of a complaint that still needs an answer (no reply sent yet)."""
