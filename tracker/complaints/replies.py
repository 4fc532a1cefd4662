"""Reply drafts ready to send: the letter for the decision in force, in the complaint's language.

A template per kind of letter and language, `data/replies/<language>/<kind>.txt` (a more specific
`<kind>.<basis>.txt` wins when present), filled from the complaint, its posts, the models behind
them and the persona's sign-off. The words the templates are made of (salutations, dates, each
dispute reason, each missing legal element, ...) are in `data/replies/<language>/phrases.toml`.
Every file can be replaced by a copy under `<data folder>/replies/<language>/`.

The kinds: `take_down`, `dispute`, `ask_info`, `invalid`, `withdrawn` (one per decision), and for a
dispute of a notice the platform has acted on, the `counter_notice` (DMCA, 17 U.S.C. § 512(g)(3))
or the `counter_statement` (DSA, Article 20).

What the owner keeps private never reaches a reply: the decision's `notes` are not a
placeholder; only its `reply_note` is. A creator hand-off appears only for models and LoRAs whose
creator is recorded. What only the owner can fill in (their legal name, address, signature on a
counter-notice) is marked `[[ FILL IN: ... ]]` and listed in `Draft.fill_in`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from string import Template
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.complaints.language import reply_language
from tracker.complaints.legal import REQUIRED_ELEMENTS
from tracker.complaints.views import current_decision
from tracker.db.enums import DecisionAction, LegalBasis, PostStatus
from tracker.db.models import Complaint, Decision, Image, ImageResource, Post
from tracker.errors import UsageError
from tracker.metadata.info import CHECKPOINT, HYPERNETWORK, LORA
from tracker.support.settings import Settings
from tracker.support.tomlfile import read_toml

CREDITED = (CHECKPOINT, LORA, "lycoris", "locon", HYPERNETWORK, "embedding")
"""Resources a complainant may want to take up with their creator, in the order they are listed."""

_PLACEHOLDER = re.compile(r"\$(?:\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)")


@dataclass
class Draft:
    """A reply ready to copy: its text, the language and kind it was written from, and what to fill in."""

    text: str
    language: str
    kind: str
    fill_in: list[str] = field(default_factory=list)
    """What the owner must write in before sending (the text marks each place)."""

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "language": self.language, "kind": self.kind, "fill_in": list(self.fill_in)}


def _reference(settings: Settings, relative: str) -> Path:
    """The user's copy in `<data folder>/replies/` wins over the shipped one."""
    return settings.reference_file(f"replies/{relative}")


def template_text(settings: Settings, language: str, kind: str, basis: LegalBasis) -> str:
    """The template for a kind of letter: `<kind>.<basis>.txt` if there is one, else `<kind>.txt`."""
    for name in (f"{language}/{kind}.{basis.value}.txt", f"{language}/{kind}.txt"):
        path = _reference(settings, name)
        if path.is_file():
            try:
                return path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise UsageError(f"cannot read the reply template {path}: {exc}") from None
    raise UsageError(f"no reply template {language}/{kind}.txt (looked in {_reference(settings, language)})")


def phrases(settings: Settings, language: str) -> dict[str, Any]:
    """The words of one language's templates (`phrases.toml`)."""
    return read_toml(_reference(settings, f"{language}/phrases.toml"), "the reply phrases")


_NUMBER = re.compile(r"\{([^{}|]*)\|([^{}|]*)\}")
"""`{one|many}` in a template or phrase: the first when the letter is about one post, else the second."""


def agree(text: str, count: int) -> str:
    """Every `{one|many}` choice in `text` resolved for `count` posts ("{it|them}", "{post|posts}")."""
    return _NUMBER.sub(lambda m: m.group(1) if count == 1 else m.group(2), text)


class _Words:
    """Looks up phrases, turning a missing key into a one-line error naming the file.

    `count` is how many posts the letter is about: it settles each phrase's `{one|many}` choices.
    """

    def __init__(self, table: dict[str, Any], language: str, count: int = 1) -> None:
        self.table, self.language, self.count = table, language, count

    def __call__(self, *keys: str, **values: object) -> str:
        node: Any = self.table
        for key in keys:
            if not isinstance(node, dict) or key not in node:
                raise UsageError(f"replies/{self.language}/phrases.toml has no {'.'.join(keys)!r}")
            node = node[key]
        if not isinstance(node, str):
            raise UsageError(f"replies/{self.language}/phrases.toml: {'.'.join(keys)!r} is not text")
        node = agree(node, self.count)
        return node.format(**values) if values else node


def _kind(complaint: Complaint, decision: Decision, posts: list[Post]) -> str:
    """Which letter: the decision's, or a counter-notice when a disputed notice was acted on."""
    if decision.action is DecisionAction.DISPUTE:
        acted = any(post.status is PostStatus.TAKEN_DOWN for post in posts) or any(
            earlier.takedowns for earlier in complaint.decisions
        )
        if acted and complaint.legal_basis is LegalBasis.DMCA:
            return "counter_notice"
        if acted and complaint.legal_basis is LegalBasis.DSA:
            return "counter_statement"
    return decision.action.value


def _date(words: _Words, value: Any) -> str:
    local = value.astimezone()
    months = words.table.get("months") or []
    month_name = months[local.month - 1] if len(months) == 12 else str(local.month)
    return words("date", day=local.day, month=local.month, month_name=month_name, year=local.year)


def _models(words: _Words, posts: list[Post]) -> tuple[str, str]:
    """(the models and LoRAs with their hashes, the creator hand-off) for the posts; each may be empty."""
    listed: list[str] = []
    creators: list[str] = []
    seen: set[tuple[str, str | None, str | None]] = set()
    uses = [use for post in posts for use in post.image.resources if use.resource.kind in CREDITED]
    uses.sort(key=lambda use: CREDITED.index(use.resource.kind))
    for use in uses:
        r = use.resource
        if (r.kind, r.name, r.hash) in seen:
            continue
        seen.add((r.kind, r.name, r.hash))
        kind = words("kinds", r.kind)
        name = r.name or r.hash or "?"
        listed.append(
            words("bullet") + f"{kind} {name}" + (words("model_hash", hash=r.hash) if r.hash and r.name else "")
        )
        if r.creator:
            line = words("creator_line", kind=kind, name=name, creator=r.creator)
            if r.source_url:
                line += words("creator_at", url=r.source_url)
            creators.append(words("bullet") + line)
    models = "\n".join([words("models_intro"), *listed]) if listed else ""
    handoff = "\n".join([words("creators_intro"), *creators]) if creators else ""
    return models, handoff


def _missing(words: _Words, complaint: Complaint) -> list[str]:
    basis = complaint.legal_basis
    absent = [key for key, present in (complaint.completeness or {}).items() if not present]
    known = dict(REQUIRED_ELEMENTS.get(basis, ()))
    return [words("bullet") + words("elements", basis.value, key) for key in absent if key in known]


def _signature(words: _Words, complaint: Complaint, posts: list[Post], fill_in: list[str]) -> str:
    persona = complaint.persona or next((post.account.persona for post in posts), None)
    name = (persona.display_name or persona.name) if persona is not None else None
    if not name:
        fill_in.append(words("your_name"))
        name = words("fill_in", what=words("your_name"))
    lines = [name]
    if persona is not None and persona.contact:
        lines.append(words("signature_contact", contact=persona.contact))
    return "\n".join(lines)


def _fill(words: _Words, key: str, fill_in: list[str]) -> str:
    what = words(key)
    fill_in.append(what)
    return words("fill_in", what=what)


def _email(contact: str | None) -> str | None:
    found = re.search(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", contact or "")
    return found.group(0) if found else None


def draft_reply(session: Session, settings: Settings, complaint: Complaint) -> Draft:
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
            .options(
                selectinload(Post.image).selectinload(Image.resources).selectinload(ImageResource.resource),
                selectinload(Post.account),
            )
        )
    )
    language = reply_language(complaint.language, complaint.message, complaint.claimed_description)
    words = _Words(phrases(settings, language), language, len(posts))
    kind = _kind(complaint, decision, posts)
    fill_in: list[str] = []
    basis = complaint.legal_basis
    models, handoff = _models(words, posts)
    missing = _missing(words, complaint)
    confirmed = {done.post_id for done in decision.takedowns}
    persona = complaint.persona or next((post.account.persona for post in posts), None)
    email = _email(persona.contact if persona is not None else None)
    values = {
        "salutation": words("salutation", name=complaint.complainant_name)
        if complaint.complainant_name
        else words("salutation_unnamed"),
        "complainant": words("complainant", name=complaint.complainant_name)
        if complaint.complainant_name
        else words("complainant_unnamed"),
        "received": _date(words, complaint.received_at),
        "today": _date(words, decision.decided_at),
        "ticket": words("counter_ticket" if kind.startswith("counter_") else "ticket", ticket=complaint.ticket_id)
        if complaint.ticket_id
        else "",
        "work": words("work", title=complaint.claimed_title) if complaint.claimed_title else words("work_unnamed"),
        "platform": complaint.platform or (posts[0].platform if posts else None) or words("platform_unnamed"),
        "removal": words("removed") if posts and all(p.id in confirmed for p in posts) else words("removing"),
        "posts": "\n".join(words("bullet") + post.url for post in posts) or words("no_posts"),
        "reason": words(
            "counter_reasons" if kind.startswith("counter_") else "reasons",
            decision.reason.value if decision.reason else "other",
        ),
        "basis_note": words("dispute_basis", basis.value),
        "missing_intro": words("invalid_basis", basis.value),
        "missing": "\n".join(missing),
        "models": models,
        "creators": handoff,
        "reply_note": decision.reply_note or "",
        "signature": _signature(words, complaint, posts, fill_in),
        "legal_name": _fill(words, "legal_name", fill_in),
        "address": _fill(words, "address", fill_in),
        "phone": _fill(words, "phone", fill_in),
        "email": email or _fill(words, "email", fill_in),
        "legal_signature": _fill(words, "legal_signature", fill_in),
    }
    template = agree(template_text(settings, language, kind, basis), len(posts))
    unknown = sorted({name.strip("${}") for name in _PLACEHOLDER.findall(template)} - set(values))
    if unknown:
        listed = ", ".join("$" + name for name in unknown)
        raise UsageError(f"the reply template {language}/{kind}.txt has unknown placeholders: {listed}")
    text = _tidy(Template(template).safe_substitute(values))
    needed = [what for what in dict.fromkeys(fill_in) if words("fill_in", what=what) in text]
    return Draft(text, language, kind, needed)


def _tidy(text: str) -> str:
    """No trailing spaces, at most one empty line in a row (a placeholder left empty leaves none)."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    out: list[str] = []
    for line in lines:
        if not line and out and not out[-1]:
            continue
        out.append(line)
    return "\n".join(out) + "\n"
