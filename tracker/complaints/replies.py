"""Reply drafts: the text the owner copies into their answer, made from the decision in force.

Templates are plain text with `$name` placeholders (Python's `string.Template`), one per
decision action: `data/replies/<action>.txt`, overridden by the same file under the user's data
folder (`<data dir>/replies/<action>.txt`). Unknown placeholders are left as they are.

Placeholders: `$name` (the complainant, or "there"), `$received` (date received), `$ticket`
(", ticket X" or nothing), `$claimed_work`, `$posts` (one "- URL" line each), `$resources` (the
models and LoRAs of those posts with hashes and creators), `$reason` (a dispute's reason),
`$missing` (notice elements that are missing), `$notes` (the decision's notes).
"""

from __future__ import annotations

from string import Template

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.complaints.legal import REASON_LABELS, missing_elements
from tracker.complaints.views import current_decision
from tracker.db.models import Complaint, Image, ImageResource, Post
from tracker.errors import UsageError
from tracker.metadata.info import CHECKPOINT, HYPERNETWORK, LORA
from tracker.support.settings import Settings

CREDITED = {CHECKPOINT: "model", LORA: "LoRA", HYPERNETWORK: "hypernetwork"}
"""Resources a complainant may want to take up with their creator."""


def template_text(settings: Settings, action: str) -> str:
    path = settings.reference_file(f"replies/{action}.txt")
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read the reply template {path}: {exc}") from None


def _resource_lines(posts: list[Post]) -> list[str]:
    lines: list[str] = []
    seen: set[tuple[str, str | None, str | None]] = set()
    for post in posts:
        for use in post.image.resources:
            r = use.resource
            if r.kind not in CREDITED or (r.kind, r.name, r.hash) in seen:
                continue
            seen.add((r.kind, r.name, r.hash))
            label = CREDITED[r.kind]
            text = f"- {label}: {r.name or 'unnamed'}"
            if r.hash:
                text += f" (hash {r.hash})"
            text += f", by {r.creator}" if r.creator else ", creator not recorded"
            if r.source_url:
                text += f" <{r.source_url}>"
            lines.append(text)
    return lines or ["- (no model information was recorded for these posts)"]


def draft_reply(session: Session, settings: Settings, complaint: Complaint) -> str:
    """The reply for the complaint's current decision (the complaint loaded with `get_complaint`)."""
    decision = current_decision(complaint)
    if decision is None:
        raise UsageError(f"complaint #{complaint.id} has no decision yet")
    post_ids = decision.post_ids or [link.post_id for link in complaint.named_posts]
    posts = list(
        session.scalars(
            select(Post)
            .where(Post.id.in_(post_ids))
            .order_by(Post.id)
            .options(selectinload(Post.image).selectinload(Image.resources).selectinload(ImageResource.resource))
        )
    )
    missing = missing_elements(complaint)
    values = {
        "name": complaint.complainant_name or "there",
        "received": complaint.received_at.astimezone().date().isoformat(),
        "ticket": f", ticket {complaint.ticket_id}" if complaint.ticket_id else "",
        "claimed_work": complaint.claimed_title or "your work",
        "posts": "\n".join(f"- {p.url}" for p in posts) or "- (no post named)",
        "resources": "\n".join(_resource_lines(posts)),
        "reason": REASON_LABELS[decision.reason] if decision.reason else "",
        "missing": "\n".join(f"- {m}" for m in missing) or "- (see my notes below)",
        "notes": f"\n{decision.notes}\n" if decision.notes else "",
    }
    text = Template(template_text(settings, decision.action.value)).safe_substitute(values)
    return text.strip() + "\n"
