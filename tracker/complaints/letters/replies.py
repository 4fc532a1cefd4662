"""Reply drafts ready to send: the letter for the decision in force, in the complaint's language.

A template per kind of letter and language, `data/replies/<language>/<kind>.txt` (a more specific
`<kind>.<basis>.txt` wins when present), filled from the complaint, its posts, the models behind
them and the persona's sign-off. The words the templates are made of (salutations, dates, each
dispute reason, each missing legal element, ...) are in `data/replies/<language>/phrases.toml`.
Every file can be replaced by a copy under `<data folder>/replies/<language>/`.
The sentences chosen from the record, and the phrases' loading, are in `reply_phrases`.

The kinds: `take_down`, `dispute`, `ask_info`, `invalid`, `withdrawn` (one per decision), and for a
dispute of a notice the platform has acted on, the `counter_notice` (DMCA, 17 U.S.C. § 512(g)(3))
or the `counter_statement` (DSA, Article 20). A not-my-post dispute has letters of its own (`not_mine*`:
what was checked when no post is named; `not_mine_named` for named posts the owner denies).

What the owner keeps private never reaches a reply: the decision's `notes` are not a
placeholder; only its `reply_note` is. A creator hand-off appears only for models and LoRAs whose
creator is recorded. What only the owner can fill in (their legal name, address, signature on a
counter-notice) is marked `[[ FILL IN: ... ]]` and listed in `Draft.fill_in`; what the owner must
know before sending (a counter-notice reveals who they are) is in `Draft.warnings` (`owner_warnings`), never in
the text.

A letter to an agent or a lawyer speaks of their client's work, one to a company's staff of the
company's (`writers.writer_kind`; the words swapped are the `for_client` / `for_company` tables of a
language's phrases, English has its own rule); one to a platform passing a complaint on, to its team, of the
complainant's (`platform_letter`: `<kind>.platform.txt` where there is one, `[to_platform]`, `[for_platform]`); an
invalid or ask_info letter to a platform whose message does not show elements of the notice it passes on asks it for
the whole notice (`notice_request.txt`, `platform_letter.summary_request`), never calls the notice incomplete.

A letter says only what the record supports: "a text prompt only" when no image-input technique,
artist name or missing metadata is recorded for the posts; the models of several posts are listed
per post; a take-down of some of the named posts names the ones that stay up. The models sentence
names only the kinds listed (a model, a model and LoRAs) and speaks of hashes only when one is listed
(a full SHA-256 shortened to the 10 digits the others show). An ask_info letter names the posts when
they are known (linked by the owner, "from the screenshot you attached") and asks for their URLs only
when none is; it asks for what the notice lacks, where the complainant's work is among it. A take-down answers
"you used my work as the source image" (「元画像として利用」) only when every post's record disproves it
(`removal_letter.input_note`), and says who removed each post (`removal_letter.not_removed_here`); a dispute
claims to have compared the work only when the complainant showed it (`_reason_key`).

Its opening (`opening`): a person is thanked; a lawyer's, an agent's or a company's notice is
acknowledged (ja: 「…に通知書を拝受いたしました。」); a late reply apologises after it. Its closing
looks to an ongoing relationship (今後とも) only for a person who wrote politely (`ongoing`). A
Japanese take-down regrets the trouble (`$regret`) to a person only: a lawyer, an agent or a company's
legal department could read it as the admission the letter has just declined to make. With no post
known, the archive's only persona signs (`LetterFacts.persona`); with several, a place to sign is marked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from string import Template
from typing import Any

from tracker.accountability.rules import ARTIST_NAME, IDENTITY_INPUT, NO_METADATA
from tracker.complaints.language import reply_language
from tracker.complaints.letters.letter_facts import (
    LetterComplaint,
    LetterFacts,
    LetterPersona,
    LetterPost,
    read_letter_facts,
)
from tracker.complaints.letters.letter_personas import no_persona_line, persona_split
from tracker.complaints.letters.owner_warnings import (
    counter_language,
    for_the_platform_warning,
    not_mine_warning,
    quoted_line_warning,
    reply_note_warning,
    unmentioned_input_warning,
    unsigned_warning,
)
from tracker.complaints.letters.platform_letter import (
    notice_sender,
    platform_opening,
    platform_phrases,
    platform_salutation,
    removed_by_the_platform,
    summary_request,
    summary_warning,
)
from tracker.complaints.letters.removal_letter import (
    input_note,
    not_removed_here,
    owner_removal,
    removal_state,
    removed_by_owner,
)
from tracker.complaints.letters.reply_phrases import (
    Words,
    about_posts,
    agree,
    asked_for,
    called_a_notice,
    claims_a_work,
    introduction,
    kept_posts,
    kept_up,
    letter_date,
    missing_elements,
    models_and_creators,
    models_below,
    ongoing,
    opening,
    phrases,
    platform_name,
    reference_file,
    request_sentences,
    salutation,
    subject,
    work_title,
)
from tracker.complaints.letters.rules_letter import without_a_work
from tracker.complaints.letters.sent_dates import notice_dated, notice_names, their_sent_day
from tracker.complaints.letters.writers import as_the_writer_reads, for_a_client, writer_kind
from tracker.complaints.reading.platform_notices import PlatformNotice, platform_notice
from tracker.complaints.views import StoredComplaint, StoredDecision, current_decision
from tracker.db.enums import Channel, DecisionAction, DisputeReason, LegalBasis, PostStatus
from tracker.db.plain import Readable
from tracker.errors import UsageError
from tracker.metadata.info import CHECKPOINT, VAE
from tracker.platforms.urls import load_platforms
from tracker.support.dates import utcnow
from tracker.support.settings import Settings
from tracker.support.textsafe import safe_text

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
    subject: str = ""
    """A subject line for the e-mail or form that carries it (not part of the text); "" when the phrases have none."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
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


def template_text(
    settings: Settings, language: str, kind: str, basis: LegalBasis, to_platform: bool = False, request: bool = False
) -> str:
    """The template for a kind of letter: `<kind>.<basis>.txt` if there is one, else `<kind>.txt`; a letter to a
    platform's team (`to_platform`) is `<kind>.platform.txt` where there is one (it speaks of the complainant), and
    one asking it for the whole notice it summed up (`request`) is `notice_request.txt` where there is one."""
    names = [f"{language}/{kind}.{basis.value}.txt", f"{language}/{kind}.txt"]
    names = [f"{language}/notice_request.txt"] * request + [f"{language}/{kind}.platform.txt"] * to_platform + names
    for name in names:
        path = reference_file(settings, name)
        if path.is_file():
            try:
                return path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise UsageError(f"cannot read the reply template {path}: {exc}") from None
    raise UsageError(f"no reply template {language}/{kind}.txt (looked in {reference_file(settings, language)})")


def _acted_on(complaint: StoredComplaint, posts: list[LetterPost], elsewhere: frozenset[int]) -> list[LetterPost]:
    """The posts removed on this notice: taken down through its own take-down, or down with no other complaint's
    take-down behind it (the platform removed it); not one down for another (`elsewhere`)."""
    here = {row.post_id for earlier in complaint.decisions for row in earlier.takedowns}
    return [p for p in posts if p.id in here or (p.status is PostStatus.TAKEN_DOWN and p.id not in elsewhere)]


def _letter(
    facts: LetterFacts, complaint: LetterComplaint, decision: StoredDecision, notice: PlatformNotice | None
) -> tuple[str, list[LetterPost]]:
    """(which letter, the posts it is about): a counter letter is about the material removed on this notice,
    and only that; any letter only about the posts of the persona it answers as (`answering_persona`). `notice`:
    the platform's notice the complaint's message is (`platform_notice`), or None."""
    answering = facts.answering_id(complaint, decision)
    posts = [p for p in facts.decision_posts(complaint, decision) if answering is None or p.persona_id == answering]
    acted = _acted_on(complaint, posts, facts.removed_for_others | facts.removed_on_other_notice)
    acted = posts if notice is not None and notice.removed else acted  # the platform says it removed them
    kind = _kind(complaint, decision, posts, acted, facts.resembled, offered=notice is not None and notice.counter)
    return kind, acted if kind.startswith("counter_") else posts


def _kind(
    complaint: StoredComplaint,
    decision: StoredDecision,
    posts: list[LetterPost],
    acted: list[LetterPost],
    resembled: bool = False,
    offered: bool = False,
) -> str:
    """Which letter: the decision's, or a counter-notice when a disputed notice was acted on (`acted`: the posts
    removed on it; a counter-notice swears they were removed by mistake, so never for a post removed for another).
    A platform's notice that `offered` its counter-notification process is answered with one, on any basis but
    the DSA's."""
    if decision.action is DecisionAction.DISPUTE:
        # A counter-notice answers a platform that acted on the notice: not a notice e-mailed to the owner
        # alone, whose posts the owner took down themselves (no platform named, not through its form).
        acted = acted if (bool(complaint.platform) or complaint.channel is Channel.PLATFORM_FORM or offered) else []
        if acted and (
            complaint.legal_basis is LegalBasis.DMCA or offered and complaint.legal_basis is not LegalBasis.DSA
        ):
            return "counter_notice"
        if acted and complaint.legal_basis is LegalBasis.DSA:
            return "counter_statement"
        if decision.reason is DisputeReason.NOT_MY_POST and not posts:
            # No post of the owner's is named: say only what was checked, the picture they sent (and the links in
            # their message), the links alone, or, with neither, that no post could be identified. A link only
            # the owner typed (`--work-url`: where their work is) is not one their message gave as a post.
            linked = bool(_linked(complaint))
            if complaint.images:  # "one resembles it", never "found none", when the search found a post
                return ("not_mine_links" if linked else "not_mine") + ("_similar" if resembled else "")
            return "not_mine_urls" if linked else "not_mine_described"
        if decision.reason is DisputeReason.NOT_MY_POST:
            # Named posts the owner says are not theirs (decided despite the record): no models "used to generate"
            # them, and no "show me what in them copies your work" (`not_mine_named`).
            return "not_mine_named"
        if not posts:
            # Any other reason judges the posts: with none named (a decision from before `decide` refused that,
            # `decisions.unnamed_dispute`), the letter never claims to have examined them.
            return "not_mine_described"
    return decision.action.value


def _linked(complaint: StoredComplaint) -> list[str]:
    """The addresses the complaint's message gives (not one only the owner typed, `--work-url`: where their work is)."""
    return [url for url in complaint.claimed_urls or [] if url in (complaint.message or "")]


_STYLE_ADDON = re.compile(r"style|artist|画[風风]|[風风]格|画[師师]|絵師|作[風风]|タッチ", re.IGNORECASE)
"""A LoRA or embedding named for a style or an artist (`MoriiMee_Gothic_Style`, `2新画风焦茶`, `xx_artist`), in
English, Japanese or Chinese: it may be named, and made, after an artist."""


def _made_from_text_only(posts: list[LetterPost]) -> bool:
    """Whether the record supports "generated from a text prompt only, no artist's name in it": no image input,
    no artist's name found, metadata read, and no style LoRA or embedding called into the prompt by its name."""
    for post in posts:
        codes = post.finding_codes
        if not post.generation_read or post.has_techniques or codes & {ARTIST_NAME, IDENTITY_INPUT, NO_METADATA}:
            return False
        addons = [resource for resource in post.resources if resource.kind not in (CHECKPOINT, VAE)]
        if any(_STYLE_ADDON.search(addon.name or "") for addon in addons):
            return False
    return True


def _reason_key(
    decision: StoredDecision, posts: list[LetterPost], complaint: StoredComplaint, reasons: dict[str, Any]
) -> str:
    """The key of the reason's sentence in `reasons`. A reason that says the owner compared their work with the
    posts (`slight_resemblance`, `small_part`) has an `_uncompared` form for a complaint that sent no image of the
    work (a URL of it alone too: what was looked at is the post, in the light of their words): the letter never
    claims a comparison of pictures the owner never had."""
    reason = decision.reason.value if decision.reason else "other"
    if decision.reason is DisputeReason.INDEPENDENT_CREATION and not _made_from_text_only(posts):
        return "independent_creation_unrecorded"
    if not complaint.images and f"{reason}_uncompared" in reasons:
        return f"{reason}_uncompared"
    return reason


def _late(complaint: StoredComplaint, decision: StoredDecision, now: datetime) -> bool:
    """Whether the letter goes out after the deadline: decided after it, or drafted after it.

    To the minute, not by calendar day: 17:00 JST answered at 21:00 the same day is late, and so is
    a decision made in time whose letter is drafted only after the deadline.
    """
    if complaint.deadline_at is None:
        return False
    return max(decision.decided_at, now) > complaint.deadline_at


def counter_notice_warning(db: Readable, complaint: LetterComplaint) -> str | None:
    """The privacy warning when the reply to the decision in force is a DMCA counter-notice, else None."""
    decision = current_decision(complaint)
    if decision is None or decision.action is not DecisionAction.DISPUTE:
        return None
    kind, _ = _letter(read_letter_facts(db, complaint, decision), complaint, decision, _notice(complaint))
    return COUNTER_NOTICE_WARNING if kind == "counter_notice" else None


def _notice(complaint: LetterComplaint) -> PlatformNotice | None:
    """The platform's notice the complaint's message is (`platform_notice`): its support desk forwarding a complaint
    when the complaint came through the platform, unless the letter goes to the forwarded sender's own address."""
    return platform_notice(complaint.message, complaint.platform, complaint.complainant_contact)


def _signature(words: Words, persona: LetterPersona | None, fill_in: list[str]) -> str:
    name = (persona.display_name or persona.name) if persona is not None else None
    if not name:
        fill_in.append(words("your_name"))
        name = words("fill_in", what=words("your_name"))
    lines = [name]
    if persona is not None and (signed := persona.signed_contact()) is not None:
        contact, labelled = signed  # `Discord: moth` as typed, a bare address under the letter's label
        lines.append(contact if labelled else words("signature_contact", contact=contact))
    return "\n".join(lines)


def _fill(words: Words, key: str, fill_in: list[str]) -> str:
    what = words(key)
    fill_in.append(what)
    return words("fill_in", what=what)


def _email(contact: str | None) -> str | None:
    found = re.search(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", contact or "")
    return found.group(0) if found else None


def draft_reply(
    db: Readable, settings: Settings, complaint: LetterComplaint, now: datetime | None = None, language: str = ""
) -> Draft:
    """The reply for the complaint's current decision, drafted `now` (the clock's time when None: a letter
    drafted after the deadline apologises); a reply already sent for this decision is drafted as of when it
    was marked answered. In `language` when given (the owner asks for it for this draft), else in the complaint's,
    a Japanese counter letter to a platform whose team works in English in English (`counter_language`).

    The complaint is the ORM's (`records.get_complaint`, on a session: `db`) or its rows read as SQL text
    (`stored.read_complaint`, on any connection: `tracker complaint reply` on a SQLite file loads no
    SQLAlchemy); the rest of what the letter says is read as SQL text on `db` (`letter_facts`), so both
    give the same letter."""
    decision = current_decision(complaint)
    if decision is None:
        raise UsageError(f"complaint #{complaint.id} has no decision yet")
    facts = read_letter_facts(db, complaint, decision)
    notice = _notice(complaint)  # a platform passing the complaint on: its team reads the letter
    kind, posts = _letter(facts, complaint, decision, notice)
    theirs = reply_language(complaint.language, complaint.message, complaint.claimed_description)
    platform = complaint.platform or (posts[0].platform if posts else None)  # the platform a counter letter goes to
    language, desk = (language, None) if language else counter_language(kind, platform, theirs, complaint.id)
    # `{one|many}` counts the posts; a not-my-post letter naming none counts the addresses it says were checked.
    counted = len(_linked(complaint)) if kind.startswith("not_mine") and not posts else len(posts)
    table = phrases(settings, language)
    words = Words(platform_phrases(table) if notice is not None else table, language, counted)
    fill_in: list[str] = []
    basis = complaint.legal_basis
    reasons = "counter_reasons" if kind.startswith("counter_") else "reasons"
    reason = _reason_key(decision, posts, complaint, words.table.get(reasons) or {})
    # "made from a text prompt with the models listed below": the list under it is headed as a list, not said again
    listed = "models_listed" if (reasons, reason) == ("reasons", "independent_creation") else "models_intro"
    answering = facts.answering_id(complaint, decision)
    kept = [p for p in kept_posts(decision, complaint, posts, facts.posts) if p.persona_id == answering]
    models, handoff = models_and_creators(words, posts + kept, intro=listed)  # every post the letter names
    work_claimed = claims_a_work(complaint)
    handoff = handoff if work_claimed else ""  # "if a model was trained on your work": they named none
    missing = missing_elements(words, complaint)
    asked = asked_for(words, complaint, posts)
    gone = removal_state(posts) == "_done"  # every post offline: a dispute has nothing left to remove
    # "I have removed" the posts confirmed removed, "I am removing" the others (`owner_removal`)
    removal, removed = owner_removal(words, posts) if posts else (words("removing"), words("no_posts"))
    mine = removed_by_owner(complaint, posts, facts.removed_for_others)  # "I am removing it": not one gone before
    persona = facts.persona(answering)
    email = _email(persona.contact if persona is not None else None)
    request, missing_intro = request_sentences(words, kind, basis, missing, asked, named=bool(posts))
    summary = summary_request(words, kind, basis, notice, missing)  # what the platform's summary does not show
    if summary is not None:
        missing_intro, asked = summary, missing
    writer = writer_kind(complaint, notice)
    answered = complaint.answered_at
    if answered is not None and decision.decided_at <= answered:
        now = answered  # the reply that was sent, drafted again: dated (and late or not) as it went out
    now = now or utcnow()
    late = _late(complaint, decision, now)
    # the day the sender dated it: the forwarded message's own, when the letter speaks of a forwarded one of theirs
    sent_day = their_sent_day(complaint, notice is not None, kind.startswith("counter_"))
    received = letter_date(words, *sent_day) if sent_day is not None else ""  # "" when their forward shows no day
    ticket = words("ticket", ticket=complaint.ticket_id) if complaint.ticket_id else ""
    if complaint.ticket_id:  # a counter letter gives the platform's case number as its own reference
        ticket_line = words("counter_ticket" if kind.startswith("counter_") else "ticket", ticket=complaint.ticket_id)
    else:
        ticket_line = ""
    work = work_title(words, complaint.claimed_title) if complaint.claimed_title else words("work_unnamed")
    values = {
        "salutation": salutation(words, complaint)
        if notice is None
        else platform_salutation(words, notice, complaint.platform),
        "introduction": introduction(words, posts + kept, persona, complaint.platform, complaint.message),
        "opening": opening(words, complaint, kind, writer, late, received=received, ticket=ticket, work=work)
        if notice is None
        else platform_opening(
            words, notice, late, bool(complaint.claimed_title), received=received, ticket=ticket_line, work=work
        ),
        "apology": words("late_apology") if late else "",  # a user's template made before $opening
        "closing": words("closing_ongoing" if ongoing(complaint, writer) else "closing"),
        "regret": str(words.table.get("take_down_regret") or "") if writer is None else "",  # a person only
        "about_posts": about_posts(words, complaint, posts),
        "kept": kept_up(words, kept),
        "request": request,
        "complainant": notice_sender(words, complaint, notice),
        "received": received,
        **notice_names(words, received, ticket_line, notice_dated(complaint, notice is not None)),
        "today": letter_date(words, now),  # the day it is written, as a letter is dated
        "ticket": ticket_line,
        "work": work,
        "platform": platform_name(words, platform),
        "removal": removal,
        "posts": removed,
        "offline": "",
        "input_note": input_note(words, complaint, posts, facts, len(posts) + len(kept)) if kind == "take_down" else "",
        "disclaimer": agree(_disclaimer(words, work_claimed, removal_state(mine)), len(mine) or len(posts)),
        "reason": _reason(words, reasons, reason, posts),
        "basis_note": _basis_note(words, basis, kind, gone, noted=bool((decision.reply_note or "").strip())),
        "missing_intro": missing_intro,
        "missing": "\n".join(asked if kind == "ask_info" else missing),
        "models": models,
        "creators": handoff,
        "reply_note": decision.reply_note or "",
        "signature": _signature(words, persona, fill_in),
        "legal_name": _fill(words, "legal_name", fill_in),
        "address": _fill(words, "address", fill_in),
        "phone": _fill(words, "phone", fill_in),
        "email": email or _fill(words, "email", fill_in),
        "legal_signature": _fill(words, "legal_signature", fill_in),
    }
    if kind == "take_down" and not (notice and removed_by_the_platform(words, values, complaint, notice, posts)):
        not_removed_here(words, values, complaint, posts, facts, work_claimed)
    template = agree(template_text(settings, language, kind, basis, notice is not None, summary is not None), counted)
    template, values["reason"] = without_a_work(words, complaint, decision, kind, template, values["reason"])
    if values["kept"] and values["reply_note"] and re.search(r"\$\{?kept\b", template):
        # A partial take-down: the owner's note is most likely why a post stays up; it goes under that post
        # (`kept_up`), not after the disclaimer, far from it.
        values["kept"], values["reply_note"] = kept_up(words, kept, values["reply_note"]), ""
    unknown = sorted({name.strip("${}") for name in _PLACEHOLDER.findall(template)} - set(values))
    if unknown:
        listed = ", ".join("$" + name for name in unknown)
        raise UsageError(f"the reply template {language}/{kind}.txt has unknown placeholders: {listed}")
    # What the letter quotes (the complainant's name, their title, model names from metadata) came from
    # outside: a control character in it is shown as an escape, never sent to a terminal or a mail program.
    text = safe_text(
        _tidy(Template(_without_empty_lines(template, values)).safe_substitute(values)), keep_newlines=True
    )
    text = as_the_writer_reads(words, text, writer, for_a_client(complaint, notice))
    for said, meant in (
        (words.table.get(f"for_{writer}_notice") or {}).items() if called_a_notice(complaint, writer) else ()
    ):
        text = text.replace(said, str(meant))  # ja: 通知書を拝受 above, then いただいたご通知, not いただいたご連絡
    needed = [what for what in dict.fromkeys(fill_in) if words("fill_in", what=what) in text]
    warnings = [COUNTER_NOTICE_WARNING] if kind == "counter_notice" else []
    warnings += [desk] if desk else []
    if kind.startswith("counter_") and decision.reply_note and decision.reply_note not in text:
        warnings.append(
            "your note for the complainant is not in this letter (it goes to the platform): send it to them apart"
        )
    silent = unmentioned_input_warning(kind, decision.reason, posts)  # an image input the letter never names
    warnings += [
        said for said in (reply_note_warning(complaint, language), not_mine_warning(complaint), silent) if said
    ]
    warnings += [said for said in (quoted_line_warning(text),) if said]
    if facts.handed_over:
        signed = (persona.display_name or persona.name) if persona is not None else "no persona"
        warnings.append(
            f"this complaint was moved to this persona when another one was scrubbed: earlier letters to the "
            f"complainant were signed by that persona, and this one is signed {signed}. Read it before sending; "
            "sending it links the two."
        )
    split = persona_split(facts, complaint, decision)
    if split is not None:
        warnings.append(split.owner_line())
    if persona is not None and not (persona.display_name or "").strip():
        warnings.append(unsigned_warning(persona.name))
    if persona is None:
        warnings.append(no_persona_line(complaint.id))
    if notice is not None and complaint.complainant_contact:  # whose address the letter to a platform must not go to
        platforms = load_platforms(settings.reference_file("platforms.toml"))
        warnings += [said for said in (for_the_platform_warning(complaint, notice, platforms),) if said]
    if summary is not None and notice is not None:
        warnings.append(summary_warning(notice))
    asking = "ask_info" if summary is not None else kind  # a request for the whole notice, named as one
    topic = subject(words, complaint, asking, writer, received=received, ticket=values["ticket"])
    return Draft(text, language, kind, needed, warnings, safe_text(topic))


def _basis_note(words: Words, basis: LegalBasis, kind: str, gone: bool, noted: bool = False) -> str:
    """What a dispute concludes: it does not remove the posts, or, when none is online any more (taken down
    for another complaint, deleted), that there is nothing left to remove though the claim is not accepted.
    One reason is "for this reason"; with the owner's note after it (`noted`), `[dispute_basis_noted]` where a
    language's phrases count them ("for these reasons")."""
    if kind == "dispute" and gone and isinstance(words.table.get("dispute_gone"), str):
        return words("dispute_gone")
    if noted and isinstance((words.table.get("dispute_basis_noted") or {}).get(basis.value), str):
        return words("dispute_basis_noted", basis.value)
    return words("dispute_basis", basis.value)


def _disclaimer(words: Words, work_claimed: bool, state: str) -> str:
    """The take-down's disclaimer; once the owner confirmed the removal of every post (`state` `_done`), or of some
    (`_some`), its wording for that where the phrases have one (`_done`: a letter to a platform's team said "I am
    removing it" of a post removed already)."""
    key = "take_down_disclaimer" if work_claimed else "take_down_disclaimer_rules"
    done = words.table.get(f"{key}{state}") if state else None  # a user's phrases from before it: the ongoing wording
    return str(done or words.table.get(key) or "")


def _reason(words: Words, table: str, key: str, posts: list[LetterPost]) -> str:
    """The reason's sentence; one that speaks of the models listed below names them as the list does (`models_below`:
    "the model listed below", not "the models" for one)."""
    phrase = (words.table.get(table) or {}).get(key)
    if isinstance(phrase, str) and "{models_below}" in phrase:
        return words(table, key, models_below=models_below(words, posts))
    return words(table, key)


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
    """No trailing spaces, at most one empty line in a row (a placeholder left empty leaves none), and no two
    paragraphs in a row opening with なお (a reply note the owner began so, then the models): the second drops it."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    out: list[str] = []
    for line in lines:
        if not line and out and not out[-1]:
            continue
        opening = len(out) >= 2 and not out[-1] and line.startswith(_BY_THE_WAY)
        if opening and any(earlier.startswith(_BY_THE_WAY) for earlier in _last_paragraph(out[:-1])[:1]):
            line = line.removeprefix(_BY_THE_WAY)
        out.append(line)
    return "\n".join(out) + "\n"


_BY_THE_WAY = "なお、"


def _last_paragraph(lines: list[str]) -> list[str]:
    """The lines of the last paragraph of `lines` (which ends with it), first line first."""
    start = len(lines)
    while start and lines[start - 1]:
        start -= 1
    return lines[start:]
