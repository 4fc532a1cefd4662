"""Deciding a complaint, confirming a take-down, and recording that it was answered.

A decision is never changed: deciding again records a revision that supersedes the previous
decision, which stays on record. A take-down decision only says which posts are to go: the posts
become `taken_down` when the owner confirms they were removed (`confirm_takedown`), each one
recorded as a `Takedown`. A revision that no longer takes a post down leaves it `taken_down`: it
is still down on the platform until the platform acts on the counter-notice (or the owner puts it
back), and the owner records that with `tracker post set N --status live`
(`awaiting_restoration` lists those posts).

A dispute's reply states facts about the posts ("generated from a text prompt only", "not my
post"). When the archive's own record of a post contradicts the reason given (`record_clashes`),
`decide` refuses unless the owner says to decide despite the record; that override is written
into the audit trail. Every change is one transaction and lands in the audit trail.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from tracker.accountability.rules import (
    ARTIST_NAME,
    IDENTITY_INPUT,
    POSSIBLE_ARTIST_NAME,
    artist_mentions,
    possible_artist_mentions,
    prompts_of,
)
from tracker.complaints.history import NOT_SENT, SUBJECT, sent_subject
from tracker.complaints.legal import ACTION_LABELS
from tracker.complaints.records import get_complaint
from tracker.complaints.stored import pending_takedown
from tracker.complaints.views import current_decision
from tracker.db import audit
from tracker.db.enums import RESEMBLES, ComplaintStatus, DecisionAction, DisputeReason, PostStatus
from tracker.db.models import Account, Complaint, Decision, Event, Image, Post, PostPage, Takedown
from tracker.db.session import session_scope
from tracker.errors import ConflictError, NotFoundError, UsageError
from tracker.support.dates import local_day, utcnow
from tracker.support.settings import Settings
from tracker.support.userinput import typed_text

if TYPE_CHECKING:
    from tracker.complaints.sent_matches import SentMatch


@dataclass(frozen=True)
class DecisionInput:
    action: DecisionAction
    reason: DisputeReason | None = None
    notes: str | None = None
    """Private: kept on the record and shown to the owner, never put into a reply."""
    reply_note: str | None = None
    """The sentence meant for the complainant (it goes into the reply)."""
    post_ids: tuple[int, ...] = ()
    despite_record: bool = False
    """Decide even though the archive's record contradicts the dispute reason (audited)."""


OVERRIDE = "--despite-record"
"""The CLI flag (and the TUI check box) that decides despite the record."""


@dataclass(frozen=True)
class RecordClash:
    """A recorded fact about a post that the reply for a dispute reason would contradict."""

    post_id: int
    fact: str
    """What the record shows, e.g. "post #3 (URL) was made with an image input (img2img)"."""
    advice: str
    """What to do instead, e.g. "choose another reason or take it down"."""
    url: str | None = None
    """The post's URL as `fact` gives it after the post's number, left out where several clashes are listed."""

    def message(self) -> str:
        return f"{self.fact}: {self.advice}, or decide despite the record ({OVERRIDE}, kept in the audit trail)"


def _artist_mentions(image: Image, artists: Sequence[str]) -> tuple[list[str], list[str]]:
    """The artists' names in an image's prompts, and the phrases that may be one (`by jane doe`).

    Read again from the stored prompts with today's lists (`artists` from the owner's `artists.txt`
    and the shipped names), besides what was found when the image was logged: a name added to
    `artists.txt` since then counts too.
    """
    sure: list[str] = []
    maybe: list[str] = []
    for finding in image.findings or []:
        if isinstance(finding, dict) and finding.get("code") in (ARTIST_NAME, POSSIBLE_ARTIST_NAME):
            message = str(finding.get("message") or "")
            phrase = message.split(": ", 1)[1] if ": " in message else message
            (sure if finding.get("code") == ARTIST_NAME else maybe).append(phrase.split(" (check", 1)[0])
    generation = image.generation if isinstance(image.generation, dict) else {}
    for prompt in prompts_of(generation.get("prompt"), generation.get("params")):
        named = artist_mentions(prompt, artists)
        sure += [repr(m) for m in named]
        maybe += [repr(m) for m in possible_artist_mentions(prompt, named)]
    sure = list(dict.fromkeys(sure))
    return sure, [m for m in dict.fromkeys(maybe) if m not in sure]


def _inputs(image: Image) -> list[str]:
    """The image-input techniques recorded for an image (identity findings too, should a row be missing)."""
    named = [" ".join(x for x in (t.kind, t.module) if x) for t in image.techniques]
    if not named and any(isinstance(f, dict) and f.get("code") == IDENTITY_INPUT for f in image.findings or []):
        named.append("an identity input")
    return list(dict.fromkeys(named))


def record_clashes(
    reason: DisputeReason | None, posts: Sequence[Post], artists: Sequence[str] = ()
) -> list[RecordClash]:
    """What the archive recorded about `posts` that the reply for `reason` would contradict.

    `artists`: the names no prompt may hold (`RuleLists.artists`), read against the stored prompts.

    - independent creation: the reply says "a text prompt only, no artist's name in it": a post made
      with any image-input technique, or whose prompt names an artist, contradicts it;
    - not my post: every logged post is on one of the owner's own accounts;
    - licensed or own input: the reply speaks of the input image used: none of the posts has one.
    """
    clashes: list[RecordClash] = []
    if reason is DisputeReason.INDEPENDENT_CREATION:
        for post in posts:
            where = f"post #{post.id} ({post.url})"
            inputs = _inputs(post.image)
            if inputs:
                clashes.append(
                    RecordClash(
                        post.id,
                        f"{where} was made with an image input ({', '.join(inputs)}), but an independent-creation "
                        "reply says it came from a text prompt only",
                        "use --reason licensed_input if the input was your own or licensed, or take it down",
                        post.url,
                    )
                )
            mentions, possible = _artist_mentions(post.image, artists)
            if mentions:
                clashes.append(
                    RecordClash(
                        post.id,
                        f"{where} has an artist's name in its prompt ({', '.join(mentions)}), but an "
                        "independent-creation reply says the prompt names no artist",
                        "choose another reason or take it down",
                        post.url,
                    )
                )
            elif possible:
                clashes.append(
                    RecordClash(
                        post.id,
                        f"{where} has a phrase in its prompt that may name an artist ({', '.join(possible)}), "
                        "but an independent-creation reply says the prompt names no artist",
                        "check the prompt: choose another reason or take it down",
                        post.url,
                    )
                )
    elif reason is DisputeReason.NOT_MY_POST:
        for post in posts:
            persona = post.account.persona.name
            clashes.append(
                RecordClash(
                    post.id,
                    f"post #{post.id} ({post.url}) is logged as yours (persona {persona}, {post.platform}), but a "
                    "not-my-post reply says it is not yours",
                    "leave it out with --post, or choose another reason",
                    post.url,
                )
            )
    elif reason is DisputeReason.LICENSED_INPUT and posts and not any(_inputs(post.image) for post in posts):
        listed = ", ".join(f"#{post.id} ({post.url})" for post in posts)
        clashes.append(
            RecordClash(
                posts[0].id,
                f"no image input is recorded for post {listed}, but a licensed-input reply speaks of the input "
                "image used",
                "choose another reason (e.g. independent_creation)",
            )
        )
    return clashes


def unnamed_dispute(number: int, choice: DecisionInput) -> str | None:
    """Why a dispute of a complaint that names no post (and is given none) is refused, or None.

    Every reason but not-my-post is a judgement of the posts ("they share only ideas with your work"): with no
    post named, its letter would claim to have examined posts that do not exist. The owner names the posts, asks
    for them, or answers that no post of theirs could be identified (the not-my-post letter says just that)."""
    reason = choice.reason
    if choice.action is not DecisionAction.DISPUTE or reason is None or reason is DisputeReason.NOT_MY_POST:
        return None
    return (
        f"complaint #{number} names no post, and the letter of a dispute ({reason.value}) speaks of the posts: "
        "name them "
        "(--post), ask for them (--action ask_info), or answer that no post of yours could be identified "
        "(--reason not_my_post)"
    )


def _sent_pictures_posted(session: Session, complaint: Complaint) -> list[RecordClash]:
    """The pictures the complainant sent that are, byte for byte, the image of a post of the owner's: a not-my-post
    reply would tell them it matched nothing."""
    sent = {picture.sha256: picture.original_name for picture in complaint.images}
    if not sent:
        return []
    found = list(
        session.execute(
            select(Post.id, Post.url, Image.sha256).join(Image, Image.id == Post.image_id).where(Image.sha256.in_(sent))
        )
    )
    found += session.execute(  # a further page of a post (pixiv's _p1) is the post's as much as its first image
        select(Post.id, Post.url, Image.sha256)
        .join(PostPage, PostPage.post_id == Post.id)
        .join(Image, Image.id == PostPage.image_id)
        .where(Image.sha256.in_(sent))
    ).all()
    return [
        RecordClash(
            post_id,
            f"the picture they sent ({sent[sha256]}) is the very file of your post #{post_id} ({url}), but a "
            "not-my-post reply says no published image shows it",
            "name the post (--post) and choose another reason, or take it down",
            url,
        )
        for post_id, url, sha256 in sorted(set(found))
    ]


def clash_error(clashes: Sequence[RecordClash]) -> str:
    """The one-line refusal (the CLI's error line, the decision form's refusal): every clash, each with what to do
    instead, numbered when there are several, and once how to decide despite the record. A post made with an image
    input whose prompt also names an artist is refused for both: "(and 1 more)" hid the artist's name, which the
    owner then met only in the audit trail after deciding despite the record."""
    if len(clashes) == 1:
        return clashes[0].message()
    facts = [_without_url(clash) for clash in clashes]
    for n in range(len(clashes) - 1, 0, -1):  # the same post again: "it" ("(2) it has an artist's name ...")
        named = f"post #{clashes[n].post_id} "
        if clashes[n - 1].post_id == clashes[n].post_id and facts[n].startswith(named):
            facts[n] = "it " + facts[n].removeprefix(named)
    pairs = zip(facts, clashes, strict=True)
    listed = "; ".join(f"({n}) {fact}: {clash.advice}" for n, (fact, clash) in enumerate(pairs, 1))
    despite = f"decide despite the record ({OVERRIDE}, kept in the audit trail)"
    return f"the record contradicts this dispute: {listed}; or {despite}"


def _without_url(clash: RecordClash) -> str:
    """The fact with the post named by its number alone (`post #3`): the list stays short enough to read whole
    under the decision form at 80 columns, which lists the posts with their URLs."""
    return clash.fact.replace(f" ({clash.url})", "", 1) if clash.url else clash.fact


def _matched_clashes(matches: Sequence[SentMatch], clashes: Sequence[RecordClash]) -> list[RecordClash]:
    """The posts the complainant's pictures match as sure as the search gets (`SentMatch.blocks`), each once and
    not already refused for (the very file: `_sent_pictures_posted`)."""
    said = {clash.post_id for clash in clashes}
    return [
        RecordClash(
            match.posts[0].id,
            f"{match.summary()} (as tracker match finds), but a not-my-post reply says no published image shows it",
            "name the post (--post) and choose another reason, or take it down",
        )
        for match in matches
        if match.blocks and not said & {p.id for p in match.posts}
    ]


def decide(
    factory: sessionmaker[Session],
    number: int,
    choice: DecisionInput,
    artists: Sequence[str] = (),
    settings: Settings | None = None,
    matches: Sequence[SentMatch] | None = None,
) -> int:
    """Record a decision (or a revision of the one in force); returns the decision's id.

    `settings`: where the complainant's pictures are archived: a not-my-post dispute of a complaint with pictures
    searches the archive for them as `tracker match` does (`sent_matches`), and is refused when a post of the
    owner's matches with confidence "certain" or "high"; what it found is kept with the decision, so the letter
    never says nothing was found (`enums.RESEMBLES`). `matches`: that search's findings when the caller ran it
    already (the TUI, in a worker thread, so the screen does not freeze): not run again.

    A take-down names the posts to remove; they are marked taken down once the owner confirms
    the removal. A dispute needs a reason. A revision keeps the earlier decision and links to it,
    and gives every post an earlier take-down removed, and this decision no longer takes down,
    its status back; the complaint needs answering again unless withdrawn.
    """
    if choice.action is DecisionAction.DISPUTE and choice.reason is None:
        raise UsageError("a dispute needs a reason")
    if choice.action is not DecisionAction.DISPUTE and choice.reason is not None:
        raise UsageError("only a dispute takes a reason")
    not_mine = choice.action is DecisionAction.DISPUTE and choice.reason is DisputeReason.NOT_MY_POST
    # Searched before the writing transaction opens: the search may refresh the stored hashes.
    if not not_mine:
        matches = []
    elif matches is None and settings is not None:
        from tracker.complaints.sent_matches import sent_picture_matches  # the search's modules: only for this

        matches = sent_picture_matches(factory, settings, number)
    matches = matches or []
    with session_scope(factory, command=f"complaint decide #{number}") as session:
        complaint = get_complaint(session, number)
        post_ids = list(dict.fromkeys(choice.post_ids)) or [link.post_id for link in complaint.named_posts]
        if choice.action is DecisionAction.TAKE_DOWN and not post_ids:
            raise UsageError("a take-down needs the posts to take down (the complaint names none)")
        posts = (
            list(
                session.scalars(
                    select(Post)
                    .where(Post.id.in_(post_ids))
                    .order_by(Post.id)
                    .options(
                        selectinload(Post.image).selectinload(Image.techniques),
                        selectinload(Post.account).selectinload(Account.persona),
                    )
                )
            )
            if post_ids
            else []
        )
        missing = set(post_ids) - {p.id for p in posts}
        if missing:
            raise NotFoundError(f"no post #{min(missing)}")
        if not posts:
            unnamed = unnamed_dispute(number, choice)
            if unnamed:  # refused by the record, as a reason it contradicts is: exit 1, not a usage error's 2
                raise ConflictError(unnamed)
        clashes = record_clashes(choice.reason, posts, artists) if choice.action is DecisionAction.DISPUTE else []
        if not_mine:
            clashes += _sent_pictures_posted(session, complaint)
            clashes += _matched_clashes(matches, clashes)
        if clashes and not choice.despite_record:
            raise ConflictError(clash_error(clashes))
        if clashes:
            session.info["command"] = f"complaint decide {OVERRIDE}"
        previous = current_decision(complaint)
        decision = Decision(
            action=choice.action,
            reason=choice.reason,
            notes=typed_text(choice.notes),
            reply_note=typed_text(choice.reply_note),
            post_ids=post_ids,
            supersedes_id=previous.id if previous else None,
            decided_at=utcnow(),
        )
        complaint.decisions.append(decision)
        complaint.duplicate_of_id = None  # a duplicate decided is a complaint of its own again (`closing`)
        if choice.action is DecisionAction.WITHDRAWN:
            complaint.status = ComplaintStatus.CLOSED
        else:
            complaint.status = ComplaintStatus.DECIDED
            complaint.answered_at = None
            complaint.reply_text = None  # the earlier reply stays in the audit trail
        session.flush()
        if clashes:
            facts = "; ".join(clash.fact for clash in clashes)
            audit.record(session, "decision", "despite_record", [(decision.id, {"despite_record": [None, facts]})])
        if matches:
            found = "; ".join(match.summary() for match in matches)
            audit.record(session, "decision", RESEMBLES, [(decision.id, {RESEMBLES: [None, found]})])
        return decision.id


def mark_answered(factory: sessionmaker[Session], number: int, reply: str, subject: str = "") -> None:
    """Record that the reply was sent (its text is kept); the complaint stops being unanswered.

    Its subject line (`Draft.subject`) goes into the same audit entry as the text (`history.SUBJECT`; no column
    holds it), so the letter sent is read back with it (`show --reply`, the reply screen of an answered one).
    """
    with session_scope(factory, command="complaint answered") as session:
        complaint = get_complaint(session, number)
        if current_decision(complaint) is None:
            raise UsageError(f"complaint #{number} has no decision yet: decide before answering")
        audit.add_to_entry(session, "complaint", number, {SUBJECT: [sent_subject(session, complaint) or None, subject]})
        complaint.reply_text = reply
        complaint.answered_at = utcnow()
        complaint.status = ComplaintStatus.ANSWERED


def unmark_answered(factory: sessionmaker[Session], number: int) -> None:
    """Undo a reply marked sent by mistake: the complaint is unanswered again (`decided`), due as before.

    The entry says so (`history.NOT_SENT`), so the letter it had kept is no longer counted as sent (`show --reply`)
    while the trail keeps both; refused when no reply is marked sent."""
    with session_scope(factory, command="complaint not answered") as session:
        complaint = get_complaint(session, number)
        if complaint.status is not ComplaintStatus.ANSWERED or complaint.reply_text is None:
            raise ConflictError(f"complaint #{number} is not marked answered: nothing to undo")
        audit.add_to_entry(session, "complaint", number, {NOT_SENT: [None, True]})
        complaint.reply_text = None
        complaint.answered_at = None
        complaint.status = ComplaintStatus.DECIDED


def awaiting_restoration(complaint: Complaint) -> list[tuple[Post, int]]:
    """(post, the decision that took it down) for each post an earlier confirmed take-down of the complaint
    removed, still marked taken down, that the decision in force no longer takes down.

    Such a post stays down on the platform until the platform acts on the counter-notice (or the owner
    puts it back): the owner records that with `tracker post set N --status live`.
    """
    decision = current_decision(complaint)
    if decision is None:
        return []
    kept = set(decision.post_ids) if decision.action is DecisionAction.TAKE_DOWN else set()
    found: dict[int, tuple[Post, int]] = {}
    for earlier in complaint.decisions:
        for done in earlier.takedowns:
            if done.restored_at is None and done.post_id not in kept and done.post.status is PostStatus.TAKEN_DOWN:
                found[done.post_id] = (done.post, earlier.id)
    return [found[post_id] for post_id in sorted(found)]


def confirm_takedown(factory: sessionmaker[Session], number: int, post_ids: tuple[int, ...] = ()) -> list[int]:
    """Record that the posts of the take-down in force were removed (all of them, or `post_ids`).

    Each post still live becomes `taken_down` and gets a `Takedown` row; returns their ids, never
    none: when nothing can be confirmed (no take-down in force, a post it does not cover, every post
    already confirmed or no longer live) it raises, saying why, and records nothing. A post the
    take-down covers that the complaint does not name (`decide --post`) is confirmed like the others.
    """
    with session_scope(factory, command=f"complaint confirm #{number}") as session:
        complaint = get_complaint(session, number)
        decision = current_decision(complaint)
        if decision is None:
            raise UsageError(
                f"complaint #{number} has no take-down in force (no decision yet): nothing to confirm; "
                f"decide first: tracker complaint decide {number} --action take_down"
            )
        if decision.action is not DecisionAction.TAKE_DOWN:
            raise UsageError(
                f"complaint #{number} has no take-down in force (decision #{decision.id} is "
                f"{ACTION_LABELS[decision.action]}): nothing to confirm"
            )
        covered = list(decision.post_ids or [])
        if not covered:
            raise UsageError(
                f"complaint #{number}'s take-down (decision #{decision.id}) names no posts: nothing to confirm"
            )
        wanted = list(dict.fromkeys(post_ids)) or covered
        outside = [post_id for post_id in wanted if post_id not in covered]
        if outside:
            raise UsageError(_outside(complaint, decision, outside[0]))
        done = {row.post_id: row for row in decision.takedowns}
        posts = session.scalars(select(Post).where(Post.id.in_(wanted)).order_by(Post.id)).all()
        now = utcnow()
        changed = []
        for post in posts:
            if post.status is not PostStatus.LIVE:
                continue
            again = done.get(post.id)
            if again is not None:  # confirmed removed before, and live again since: removed once more
                again.confirmed_at, again.status_before, again.restored_at = now, post.status.value, None
            else:
                decision.takedowns.append(Takedown(post=post, confirmed_at=now, status_before=post.status.value))
            post.status = PostStatus.TAKEN_DOWN
            post.status_changed_at = now
            changed.append(post.id)
        if not changed:
            found = {post.id: post for post in posts}
            why = "; ".join(not_live(post_id, found.get(post_id), done) for post_id in wanted)
            if set(wanted) == set(covered):
                raise UsageError(
                    f"nothing to confirm: the posts of complaint #{number}'s take-down are all marked removed "
                    f"already ({why})"
                )
            raise UsageError(f"nothing to confirm for complaint #{number}: {why}")
        return changed


def _outside(complaint: Complaint, decision: Decision, post_id: int) -> str:
    """Why a post asked for is not confirmed: the take-down in force does not cover it."""
    covered = ", ".join(f"#{n}" for n in decision.post_ids)
    if post_id in {link.post_id for link in complaint.named_posts}:
        return (
            f"post #{post_id} is named by complaint #{complaint.id} but not in its take-down (decision "
            f"#{decision.id}: {covered}): nothing recorded; to take it down too, decide again with --post"
        )
    return (
        f"post #{post_id} is not named by complaint #{complaint.id} nor in its take-down (decision "
        f"#{decision.id}: {covered}): nothing recorded"
    )


@dataclass(frozen=True)
class Confirmation:
    """What `confirm_takedown` did, as the owner reads it afterwards."""

    recorded: list[tuple[int, str, bool]]
    """(post id, URL, whether the complaint names it) of each post recorded as taken down."""
    unchanged: list[str]
    """Why each other post asked for was left as it is (`not_live`)."""
    pending: list[int]
    """The posts of the take-down still to be removed (`stored.pending_takedown`)."""


def confirmation(session: Session, number: int, changed: Sequence[int], post_ids: Sequence[int] = ()) -> Confirmation:
    """The posts `confirm_takedown(number, post_ids)` recorded (`changed`), those it left and why, and what remains."""
    complaint = get_complaint(session, number)
    decision = current_decision(complaint)
    asked = list(dict.fromkeys(post_ids)) or list(decision.post_ids if decision is not None else [])
    done = {row.post_id: row for row in decision.takedowns} if decision is not None else {}
    posts = {post.id: post for post in session.scalars(select(Post).where(Post.id.in_(asked)))}
    named = {link.post_id for link in complaint.named_posts}
    return Confirmation(
        recorded=[(n, posts[n].url, n in named) for n in changed if n in posts],
        unchanged=[not_live(n, posts.get(n), done) for n in asked if n not in changed],
        pending=pending_takedown(session, complaint),
    )


def not_live(post_id: int, post: Post | None, done: Mapping[int, Takedown]) -> str:
    """Why a post of a take-down is not confirmed (again): confirmed already, or no longer live."""
    if post_id in done:
        return f"post #{post_id} was confirmed removed on {local_day(done[post_id].confirmed_at)}"
    if post is None:
        return f"post #{post_id} is no longer in the archive"
    return f"post #{post_id} is marked {post.status.value.replace('_', ' ')}"


def decision_overrides(session: Session, decision_id: int) -> str | None:
    """The record facts a decision was taken despite (from its audit entry), or None."""
    return _audited(session, decision_id, "despite_record")


def decision_resembles(session: Session, decision_id: int) -> str | None:
    """What the search found of the complainant's pictures among the owner's posts when a not-my-post dispute was
    decided (`enums.RESEMBLES`), or None."""
    return _audited(session, decision_id, RESEMBLES)


def resembles_warning(found: str) -> str:
    """What the CLI and the TUI say after a not-my-post dispute decided with a weaker match (`decision_resembles`)."""
    return f"{found}: look at both pictures before you answer; the letter says one image resembles theirs"


def _audited(session: Session, decision_id: int, action: str) -> str | None:
    """The text a decision's audit entry of `action` keeps under that name (the newest), or None."""
    entry = session.scalar(
        select(Event)
        .where(Event.entity == "decision", Event.entity_id == decision_id, Event.action == action)
        .order_by(Event.id.desc())
    )
    if entry is None:
        return None
    value = (entry.changes or {}).get(action)
    return str(value[1]) if isinstance(value, list) and len(value) == 2 else None
