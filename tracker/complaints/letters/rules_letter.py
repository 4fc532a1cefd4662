"""What a dispute of a report under a platform's rules says when the report names no work of the sender's.

"It breaks X's rules on synthetic media" (`LegalBasis.PLATFORM_RULES`, no title, address or description of a work:
`reply_phrases.claims_a_work`) is no claim that a post copies anyone's work: the letter never answers one. The reason
`other` says the owner looked at the report and the post (`other_rules` of `[reasons]`), and the closing asks what in
the post breaks the rules, not what reproduces "your work" (`[for_rules]`: phrases of the templates and their
replacements, applied to the template before it is filled, so nothing the complainant wrote is changed).
"""

from __future__ import annotations

from tracker.complaints.letters.reply_phrases import Words, claims_a_work
from tracker.complaints.views import StoredComplaint, StoredDecision
from tracker.db.enums import DecisionAction

_DISPUTES = ("dispute",)
"""The letters whose reason and closing speak of the sender's work (a counter letter speaks to the platform)."""


def without_a_work(
    words: Words, complaint: StoredComplaint, decision: StoredDecision, kind: str, template: str, reason: str
) -> tuple[str, str]:
    """(template, reason sentence) of a dispute of a report that names no work: the closing as `[for_rules]` says
    it, and the reason `other` as `other_rules`; both as they were for any other letter, reason or complaint, or
    when the phrases have neither (a user's copy made before them)."""
    if kind not in _DISPUTES or decision.action is not DecisionAction.DISPUTE or claims_a_work(complaint):
        return template, reason
    for said, meant in (words.table.get("for_rules") or {}).items():
        template = template.replace(said, str(meant))
    reasons = words.table.get("reasons")
    if decision.reason is None or decision.reason.value == "other":
        if isinstance(reasons, dict) and isinstance(reasons.get("other_rules"), str):
            reason = words("reasons", "other_rules")
    return template, reason
