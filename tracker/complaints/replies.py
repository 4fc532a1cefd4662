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
counter-notice) is marked `[[ FILL IN: ... ]]` and listed in `Draft.fill_in`; what the owner must
know before sending (a counter-notice reveals who they are) is in `Draft.warnings`, never in the text.

A letter to an agent or a lawyer speaks of their client's work, one to a company's staff of the
company's (`_writer_kind`; the words swapped are the `for_client` / `for_company` tables of a
language's phrases, English has its own rule).

A letter says only what the record supports: "a text prompt only" when no image-input technique,
artist name or missing metadata is recorded for the posts; the models of several posts are listed
per post; a take-down of some of the named posts names the ones that stay up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta, timezone
from pathlib import Path
from string import Template
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.accountability.rules import ARTIST_NAME, IDENTITY_INPUT, NO_METADATA
from tracker.complaints.language import reply_language
from tracker.complaints.legal import REQUIRED_ELEMENTS
from tracker.complaints.notice_reading import organisation_and_role
from tracker.complaints.views import current_decision
from tracker.db.enums import Channel, DecisionAction, DisputeReason, LegalBasis, PostStatus
from tracker.db.models import Complaint, Decision, Image, ImageResource, Post
from tracker.errors import UsageError
from tracker.metadata.info import CHECKPOINT, HYPERNETWORK, LORA
from tracker.support.paths import shipped_data_dir
from tracker.support.settings import Settings
from tracker.support.textsafe import safe_text
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
    warnings: list[str] = field(default_factory=list)
    """What the owner must know before sending it (for the owner only: never part of the text)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "language": self.language,
            "kind": self.kind,
            "fill_in": list(self.fill_in),
            "warnings": list(self.warnings),
        }


COUNTER_NOTICE_WARNING = (
    "PRIVACY: a DMCA counter-notice must carry your legal name, postal address and telephone number, and the "
    "platform forwards it to the complainant: it ties this persona to you. Instead you can let the post stay down, "
    "or use the platform's own appeal or support form where it has one (it does not go to the complainant)."
)
"""Shown to the owner (stderr, the reply screen) with every counter-notice draft; never in the letter."""


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
    """The words of one language's templates (`phrases.toml`).

    The user's copy wins key by key over the shipped file, so a copy made before a phrase was added
    still works (the new phrase comes from the shipped file).
    """
    relative = f"{language}/phrases.toml"
    shipped_path = shipped_data_dir() / "replies" / relative
    own = _reference(settings, relative)
    shipped = read_toml(shipped_path, "the reply phrases") if shipped_path.is_file() else {}
    if own == shipped_path:
        return shipped
    return _merged(shipped, read_toml(own, "the reply phrases"))


def _merged(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        out[key] = _merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


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
        # A counter-notice answers a platform that acted on the notice: not a notice e-mailed to the owner
        # alone, whose posts the owner took down themselves (no platform named, not through its form).
        acted = acted and (bool(complaint.platform) or complaint.channel is Channel.PLATFORM_FORM)
        if acted and complaint.legal_basis is LegalBasis.DMCA:
            return "counter_notice"
        if acted and complaint.legal_basis is LegalBasis.DSA:
            return "counter_statement"
    return decision.action.value


def _date(words: _Words, value: Any, offset_minutes: int | None = None) -> str:
    """A day as the letter writes it, in the owner's local time or, given, the sender's UTC offset."""
    local = value.astimezone(None if offset_minutes is None else timezone(timedelta(minutes=offset_minutes)))
    months = words.table.get("months") or []
    month_name = months[local.month - 1] if len(months) == 12 else str(local.month)
    return words("date", day=local.day, month=local.month, month_name=month_name, year=local.year)


def _resource_lines(words: _Words, post: Post) -> list[tuple[tuple[str, str | None, str | None], str, str | None]]:
    """((kind, name, hash), the listed line, the creator line or None) for each credited resource of a post."""
    uses = [use for use in post.image.resources if use.resource.kind in CREDITED]
    uses.sort(key=lambda use: CREDITED.index(use.resource.kind))
    found = []
    for use in uses:
        r = use.resource
        kind = words("kinds", r.kind)
        name = r.name or r.hash or "?"
        listed = f"{kind} {name}" + (words("model_hash", hash=r.hash) if r.hash and r.name else "")
        creator = None
        if r.creator:
            creator = words("creator_line", kind=kind, name=name, creator=r.creator)
            if r.source_url:
                creator += words("creator_at", url=r.source_url)
        found.append(((r.kind, r.name, r.hash), listed, creator))
    return found


def _models(words: _Words, posts: list[Post]) -> tuple[str, str]:
    """(the models and LoRAs with their hashes, the creator hand-off) for the posts; each may be empty.

    One post: one list. Several: a list under each post's URL, so that no reader takes the models of
    different images for one image's.
    """
    listed: list[str] = []
    creators: list[str] = []
    seen: set[tuple[str, str | None, str | None]] = set()
    per_post = [(post, _resource_lines(words, post)) for post in posts]
    any_listed = any(lines for _, lines in per_post)
    for post, lines in per_post:
        if len(posts) > 1 and any_listed:
            listed.append(words("bullet") + post.url)
            if not lines:
                listed.append(words("model_indent") + words("no_models"))
        for key, line, creator in lines:
            if len(posts) > 1:
                listed.append(words("model_indent") + line)
            elif key not in seen:
                listed.append(words("bullet") + line)
            if creator and key not in seen:
                creators.append(words("bullet") + creator)
            seen.add(key)
    models = "\n".join([words("models_intro"), *listed]) if any_listed else ""
    handoff = "\n".join([words("creators_intro"), *creators]) if creators else ""
    return models, handoff


def _made_from_text_only(posts: list[Post]) -> bool:
    """Whether the record supports "generated from a text prompt only, no artist's name in it"."""
    for post in posts:
        image = post.image
        codes = {f.get("code") for f in image.findings or [] if isinstance(f, dict)}
        if image.generation is None or image.techniques or codes & {ARTIST_NAME, IDENTITY_INPUT, NO_METADATA}:
            return False
    return True


def _reason_key(decision: Decision, posts: list[Post]) -> str:
    reason = decision.reason.value if decision.reason else "other"
    if decision.reason is DisputeReason.INDEPENDENT_CREATION and not _made_from_text_only(posts):
        return "independent_creation_unrecorded"
    return reason


def _missing(words: _Words, complaint: Complaint) -> list[str]:
    basis = complaint.legal_basis
    absent = [key for key, present in (complaint.completeness or {}).items() if not present]
    known = dict(REQUIRED_ELEMENTS.get(basis, ()))
    return [words("bullet") + words("elements", basis.value, key) for key in absent if key in known]


def _late(complaint: Complaint, decision: Decision) -> bool:
    """Whether the letter (dated by its decision) goes out after the deadline's day."""
    if complaint.deadline_at is None:
        return False
    return bool(decision.decided_at.astimezone().date() > complaint.deadline_at.astimezone().date())


def _salutation(words: _Words, complaint: Complaint) -> str:
    name, org = complaint.complainant_name, complaint.complainant_org
    if name and org and org != name:
        return words("salutation_org", name=name, org=org)
    if name:
        return words("salutation", name=name)
    if org:
        return words("salutation_org_unnamed", org=org)
    return words("salutation_unnamed")


def _platform_name(words: _Words, key: str | None) -> str:
    """A platform as the letter names it (`x` is "X"; one typed in by the owner stays as typed)."""
    if not key:
        return words("platform_unnamed")
    return str((words.table.get("platform_names") or {}).get(key, key))


def _introduction(words: _Words, posts: list[Post], persona_name: str | None) -> str:
    """The self-introduction ("I post on pixiv as Moth Atelier"): the persona's name and where its posts are."""
    if not persona_name or not posts:
        return ""
    names = words.table.get("platform_names") or {}
    platforms = list(dict.fromkeys(str(names.get(post.platform, post.platform)) for post in posts))
    joined = words("and").join(platforms)
    return words("introduction", name=persona_name, platforms=joined)


def counter_notice_warning(session: Session, complaint: Complaint) -> str | None:
    """The privacy warning when the reply to the decision in force is a DMCA counter-notice, else None."""
    decision = current_decision(complaint)
    if decision is None or decision.action is not DecisionAction.DISPUTE:
        return None
    posts = _decision_posts(session, complaint, decision)
    return COUNTER_NOTICE_WARNING if _kind(complaint, decision, posts) == "counter_notice" else None


_JAPANESE_SCRIPT = re.compile(
    "[\u3005-\u3007\u3041-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]"
)
"""Kana and kanji (as `messages.guess_language` counts them)."""
_LATIN_WORD = re.compile("[A-Za-z\u00c0-\u024f]{2,}")
_LINK = re.compile(r"https?://\S+|\S+@\S+")
SENTENCE_WORDS = 3
"""A note without Japanese in a Japanese letter is worth a warning from this many Latin words on
(a sentence; a name, a URL or `OK` is not one)."""


def reply_note_warning(complaint: Complaint) -> str | None:
    """A warning when the decision's reply note is not in the letter's language, else None.

    The note goes into the letter as typed. An English letter with a note in Japanese script, or a
    Japanese letter with a note that is an English sentence (no kana or kanji, a few words at least),
    would read wrong to the complainant. For the owner only: the letter stays as it is.
    """
    decision = current_decision(complaint)
    note = (decision.reply_note or "") if decision is not None else ""
    if not note.strip():
        return None
    language = reply_language(complaint.language, complaint.message, complaint.claimed_description)
    japanese = bool(_JAPANESE_SCRIPT.search(note))
    if language == "en" and japanese:
        return (
            "the reply note is in Japanese but the letter is in English: translate the note, or answer in "
            f"Japanese (tracker complaint set {complaint.id} --lang ja)"
        )
    if language == "ja" and not japanese and len(_LATIN_WORD.findall(_LINK.sub(" ", note))) >= SENTENCE_WORDS:
        return (
            "the reply note has no Japanese in it but the letter is in Japanese: translate the note, or answer "
            f"in English (tracker complaint set {complaint.id} --lang en)"
        )
    return None


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


def _decision_posts(session: Session, complaint: Complaint, decision: Decision) -> list[Post]:
    """The posts a decision is about (the complaint's named posts when it names none), by number."""
    post_ids = decision.post_ids or [link.post_id for link in complaint.named_posts]
    if not post_ids:
        return []
    return list(
        session.scalars(
            select(Post)
            .where(Post.id.in_(post_ids))
            .order_by(Post.id)
            .options(
                selectinload(Post.image).selectinload(Image.resources).selectinload(ImageResource.resource),
                selectinload(Post.image).selectinload(Image.techniques),
                selectinload(Post.account),
            )
        )
    )


def _kept_up(words: _Words, decision: Decision, complaint: Complaint, posts: list[Post]) -> str:
    """For a take-down of only some of the named posts: the named posts that stay up."""
    if decision.action is not DecisionAction.TAKE_DOWN:
        return ""
    removed = {post.id for post in posts}
    kept = [link.post for link in complaint.named_posts if link.post_id not in removed]
    if not kept:
        return ""
    some = _Words(words.table, words.language, len(kept))
    return "\n".join([some("kept_up"), *(some("bullet") + post.url for post in kept)])


def _request(words: _Words, kind: str, basis: LegalBasis, missing: list[str]) -> tuple[str, str]:
    """(what an ask_info letter asks for, the invalid letter's sentence on what is missing).

    A notice that lacks none of its basis's elements gets a sentence of its own, never an
    introduction followed by an empty list.
    """
    if missing:
        return words("ask_missing"), words("invalid_basis", basis.value)
    if kind == "invalid" and not REQUIRED_ELEMENTS.get(basis):
        return words("ask_details"), words("invalid_basis", basis.value)
    return words("ask_details"), words("invalid_unclear")


def draft_reply(session: Session, settings: Settings, complaint: Complaint) -> Draft:
    """The reply for the complaint's current decision (the complaint loaded with `get_complaint`)."""
    decision = current_decision(complaint)
    if decision is None:
        raise UsageError(f"complaint #{complaint.id} has no decision yet")
    posts = _decision_posts(session, complaint, decision)
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
    request, missing_intro = _request(words, kind, basis, missing)
    values = {
        "salutation": _salutation(words, complaint),
        "introduction": _introduction(words, posts, (persona.display_name or persona.name) if persona else None),
        "apology": words("late_apology") if _late(complaint, decision) else "",
        "kept": _kept_up(words, decision, complaint, posts),
        "request": request,
        "complainant": words("complainant", name=complaint.complainant_name)
        if complaint.complainant_name
        else words("complainant_unnamed"),
        "received": _date(words, complaint.received_at, complaint.sent_utc_offset),  # the day the sender dated it
        "today": _date(words, decision.decided_at),
        "ticket": words("counter_ticket" if kind.startswith("counter_") else "ticket", ticket=complaint.ticket_id)
        if complaint.ticket_id
        else "",
        "work": words("work", title=complaint.claimed_title) if complaint.claimed_title else words("work_unnamed"),
        "platform": _platform_name(words, complaint.platform or (posts[0].platform if posts else None)),
        "removal": words("removed") if posts and all(p.id in confirmed for p in posts) else words("removing"),
        "posts": "\n".join(words("bullet") + post.url for post in posts) or words("no_posts"),
        "reason": words("counter_reasons" if kind.startswith("counter_") else "reasons", _reason_key(decision, posts)),
        "basis_note": words("dispute_basis", basis.value),
        "missing_intro": missing_intro,
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
    # What the letter quotes (the complainant's name, their title, model names from metadata) came from
    # outside: a control character in it is shown as an escape, never sent to a terminal or a mail program.
    text = safe_text(
        _tidy(Template(_without_empty_lines(template, values)).safe_substitute(values)), keep_newlines=True
    )
    writer = _writer_kind(complaint)
    if language == "en" and writer == "client":
        text = _YOURS.sub(r"your client's \1", text)  # an agent's letter: the work and the name are their client's
    for said, meant in (words.table.get(f"for_{writer}") or {}).items() if writer else ():
        text = text.replace(said, str(meant))  # e.g. ja: ご作品 -> ご依頼者様の作品, 貴社の作品
    needed = [what for what in dict.fromkeys(fill_in) if words("fill_in", what=what) in text]
    warnings = [COUNTER_NOTICE_WARNING] if kind == "counter_notice" else []
    if kind.startswith("counter_") and decision.reply_note and decision.reply_note not in text:
        warnings.append(
            "your note for the complainant is not in this letter (it goes to the platform): send it to them apart"
        )
    note_warning = reply_note_warning(complaint)
    if note_warning:
        warnings.append(note_warning)
    return Draft(text, language, kind, needed, warnings)


_AGENT_ROLE = re.compile(
    r"\b(?:agent|lawyer|attorney|counsel|solicitor|representative|law firm)\b|代理人|代理して|弁護士|法律事務所", re.I
)
"""A writer acting for the rights holder (`complainant_role`): the work and the name are their client's."""
_LAW_FIRM = re.compile("法律事務所|弁護士法人|弁護士|代理人")
"""An organisation (`complainant_org`) that is the writer's law firm or names them an agent."""
_COMPANY = re.compile(r"株式会社|有限会社|合同会社|合資会社|合名会社|[(（]株[)）]|[(（]有[)）]")
"""A Japanese company form in `complainant_org`: the writer is its staff, the work is the company's."""


def _writer_kind(complaint: Complaint) -> str | None:
    """`client` when the writer acts for the rights holder, `company` when they write for their company, else None.

    The role as recorded wins; with none recorded, the message is read as `complaint add --from` reads one
    (`依頼者□□の代理人として`, `〇〇法律事務所の弁護士△△と申します`, "on behalf of ...").
    """
    role = complaint.complainant_role or ""
    if not role.strip() and complaint.message:
        role = organisation_and_role(complaint.message)[1] or ""
    if _AGENT_ROLE.search(role) or _LAW_FIRM.search(complaint.complainant_org or ""):
        return "client"
    return "company" if _COMPANY.search(complaint.complainant_org or "") else None


_YOURS = re.compile(r"\byour (work|original work|original expression|name)\b")


_ALONE = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?")


def _without_empty_lines(template: str, values: dict[str, str]) -> str:
    """The template without the lines that hold nothing but a placeholder left empty (no gap in a paragraph)."""
    kept = []
    for line in template.splitlines():
        alone = _ALONE.fullmatch(line.strip())
        if alone and values.get(alone.group(1)) == "":
            continue
        kept.append(line)
    return "\n".join(kept) + "\n"


def _tidy(text: str) -> str:
    """No trailing spaces, at most one empty line in a row (a placeholder left empty leaves none)."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    out: list[str] = []
    for line in lines:
        if not line and out and not out[-1]:
            continue
        out.append(line)
    return "\n".join(out) + "\n"
