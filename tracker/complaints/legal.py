"""What a complaint's legal basis asks for: the elements a valid notice carries, the default answer
target, and the words the owner sees for each basis, channel, action and reason.

The default deadline is the owner's own answer target for the legal basis (`ANSWER_DAYS`), not a
legal deadline: set `--deadline` from the notice or the platform's message when it gives one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Protocol

from tracker.db.enums import Channel, DecisionAction, DisputeReason, LegalBasis
from tracker.errors import UsageError


class Noticed(Protocol):
    """What `missing_elements` reads of a complaint: an ORM `Complaint`, or a `stored.ComplaintRecord`."""

    @property
    def legal_basis(self) -> LegalBasis: ...
    @property
    def completeness(self) -> dict[str, bool | None]: ...


ANSWER_DAYS: dict[LegalBasis, int] = {
    LegalBasis.DMCA: 10,
    LegalBasis.DSA: 14,
    LegalBasis.JAPAN: 7,
    LegalBasis.PLATFORM_RULES: 7,
    LegalBasis.NONE: 14,
}
"""Days from receipt to the default answer deadline. Japan: the 7-day reply period of a platform's
inquiry (意見照会); DMCA: inside the 10-14 business-day restore window of a counter-notice; the
rest: the owner's own promise to answer, kept short on purpose."""

REQUIRED_ELEMENTS: dict[LegalBasis, tuple[tuple[str, str], ...]] = {
    LegalBasis.DMCA: (
        ("signature", "signature of the owner or their agent (512(c)(3)(A)(i))"),
        ("work", "the copyrighted work is identified (ii)"),
        ("location", "the material is identified with its URL (iii)"),
        ("contact", "the complainant's address, phone or email (iv)"),
        ("good_faith", "good-faith statement that the use is not authorised (v)"),
        ("accuracy", "accuracy statement and authority under penalty of perjury (vi)"),
    ),
    LegalBasis.DSA: (
        ("substantiation", "a substantiated explanation of why the content is illegal (Art. 16(2)(a))"),
        ("exact_url", "the exact URL of the content (b)"),
        ("name_email", "the notifier's name and email (c)"),
        ("good_faith", "bona fide statement that the notice is accurate and complete (d)"),
    ),
    LegalBasis.JAPAN: (
        ("location", "the post is identified with its URL"),
        ("right", "the right claimed to be infringed and why"),
        ("contact", "the requester's name and contact"),
    ),
    LegalBasis.PLATFORM_RULES: (),
    LegalBasis.NONE: (),
}
"""The elements a valid notice carries, per legal basis (`../shared/docs/formats-and-platforms.md` B1-B3)."""

JUDGED: dict[LegalBasis, frozenset[str]] = {
    LegalBasis.DMCA: frozenset({"work"}),
    LegalBasis.DSA: frozenset({"substantiation"}),
    LegalBasis.JAPAN: frozenset({"right"}),
}
"""Elements a notice gives in words of its own, not in a set form of words (a good-faith or perjury statement, a
signature) nor in a field the record holds (the post's URL, a contact): why the content is illegal, which work,
which right. The reader ticks one it finds (`notice_reading.notice_elements`); one it does not find is None, *not
found*, for the owner to check, never *absent*: a letter lists only elements marked absent (False), by the owner
(`complaint set --no-element`) or because the reader can tell, so a notice is never told it lacks what it says
in words no pattern reads."""

CHANNEL_LABELS: dict[Channel, str] = {
    Channel.PLATFORM_FORM: "platform form",
    Channel.EMAIL: "email",
    Channel.DM: "direct message",
    Channel.LETTER: "letter",
    Channel.OTHER: "other",
}
BASIS_LABELS: dict[LegalBasis, str] = {
    LegalBasis.DMCA: "DMCA (US)",
    LegalBasis.DSA: "EU DSA",
    LegalBasis.JAPAN: "Japanese platform law",
    LegalBasis.PLATFORM_RULES: "platform rules",
    LegalBasis.NONE: "none given",
}
BASIS_SHORT: dict[LegalBasis, str] = {
    LegalBasis.DMCA: "DMCA",
    LegalBasis.DSA: "EU DSA",
    LegalBasis.JAPAN: "Japan",
    LegalBasis.PLATFORM_RULES: "rules",
    LegalBasis.NONE: "none",
}
"""The legal basis in a table column (the dashboard at 80 columns)."""
ACTION_LABELS: dict[DecisionAction, str] = {
    DecisionAction.TAKE_DOWN: "take down",
    DecisionAction.DISPUTE: "dispute",
    DecisionAction.ASK_INFO: "ask for more information",
    DecisionAction.INVALID: "invalid notice",
    DecisionAction.WITHDRAWN: "withdrawn by the complainant",
}
REASON_LABELS: dict[DisputeReason, str] = {
    DisputeReason.SLIGHT_RESEMBLANCE: "only a slight resemblance",
    DisputeReason.SMALL_PART: "only a small part resembles",
    DisputeReason.INDEPENDENT_CREATION: "independent creation",
    DisputeReason.LICENSED_INPUT: "licensed or own input",
    DisputeReason.NOT_MY_POST: "not my post",
    DisputeReason.OTHER: "other",
}


def default_deadline(basis: LegalBasis, received_at: datetime) -> datetime:
    return received_at + timedelta(days=ANSWER_DAYS[basis])


def completeness(
    basis: LegalBasis,
    elements: Iterable[str],
    has_post_urls: bool,
    contact: str | None,
    has_work: bool = False,
    name: str | None = None,
) -> dict[str, bool | None]:
    """{element: present} for the basis: ticked elements, plus what the record itself shows
    (a post named by its URL is the location; a contact given is the contact; the work's title or
    URL given identifies the work; a name and an e-mail address are the DSA notifier's). An element of
    `JUDGED` that is not ticked is None (not found: the owner's to check), any other False (absent)."""
    ticked = set(elements)
    known = {key for key, _ in REQUIRED_ELEMENTS[basis]}
    unknown = ticked - known
    if unknown:
        allowed = ", ".join(sorted(known)) or "none for this legal basis"
        raise UsageError(f"unknown notice element(s) {', '.join(sorted(unknown))} (allowed: {allowed})")
    if has_post_urls:
        ticked |= {"location", "exact_url"} & known
    if contact:
        ticked |= {"contact"} & known
    if has_work:
        ticked |= {"work"} & known
    if name and contact and "@" in contact:
        ticked |= {"name_email"} & known
    return {key: unread(basis, key) if key not in ticked else True for key, _ in REQUIRED_ELEMENTS[basis]}


def unread(basis: LegalBasis, key: str) -> bool | None:
    """What an element no one ticked is: None (not found, the owner's to check) for one of `JUDGED`, else False."""
    return None if key in JUDGED.get(basis, ()) else False


def missing_elements(complaint: Noticed) -> list[str]:
    """Labels of the legal elements the notice lacks (marked absent: False)."""
    labels = dict(REQUIRED_ELEMENTS.get(complaint.legal_basis, ()))
    return [labels.get(key, key) for key, present in (complaint.completeness or {}).items() if present is False]


def unchecked_elements(complaint: Noticed) -> list[str]:
    """Keys of the elements the reader did not find and the owner has not judged (None: `JUDGED`)."""
    return [key for key, present in (complaint.completeness or {}).items() if present is None]
