"""Personas: listing them, their sign-off, renaming, merging, removing an empty one, moving a post, catching typos.

A persona is created by the first post, import or complaint that names it. A name that does not
exist but is close to one that does (another case, a small edit) is refused with "did you mean",
unless the owner says it is new: a typo must never split a persona in two, since the burn-down of
a persona covers only what is recorded under its name. Every change is one transaction and lands
in the audit trail; a post moved to another persona, by `post set --persona`, a rename or a merge, has
`persona: "old" -> "new"` in its own history (`history_words`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, delete, func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from tracker.db.audit import add_to_entry, record
from tracker.db.enums import UNANSWERED, PostStatus
from tracker.db.models import Account, Complaint, ComplaintPost, Image, ImageName, Persona, Post, PostPage, PurgeRun
from tracker.db.session import session_scope
from tracker.errors import ConflictError, NotFoundError, UsageError
from tracker.posts import persona_names
from tracker.posts.file_names import copy_names
from tracker.posts.persona_names import did_you_mean, fold
from tracker.posts.persona_renames import former_names
from tracker.support.shell import shell_word
from tracker.support.userinput import typed_line
from tracker.support.words import counted

MAX_NAME = 200
"""The length of the `persona.name` column."""


@dataclass(frozen=True)
class PersonaSummary:
    """One persona as `tracker personas` lists it."""

    name: str
    display_name: str | None
    contact: str | None
    accounts: int
    posts: int
    live_posts: int
    open_complaints: int
    former_names: tuple[str, ...] = ()
    """What it was called before `persona rename`, oldest first (`posts.persona_renames`)."""

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "display_name": self.display_name,
            "contact": self.contact,
            "accounts": self.accounts,
            "posts": self.posts,
            "live_posts": self.live_posts,
            "open_complaints": self.open_complaints,
            "former_names": list(self.former_names),
        }


_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Direction overrides and isolates: they make a name read as another in a terminal."""


def checked_name(name: str) -> str:
    """A persona name as typed, trimmed, or a one-line error when it is empty or too long."""
    cleaned = unicodedata.normalize("NFC", name.strip())  # stored composed: `café` one way, however typed
    if not cleaned:
        raise UsageError("the persona name is empty")
    if any(unicodedata.category(char) == "Cc" or char in _BIDI for char in cleaned):  # an escape, a newline
        raise UsageError("a persona name cannot hold control characters")
    if len(cleaned) > MAX_NAME:
        raise UsageError(f"a persona name has at most {MAX_NAME} characters")
    return cleaned


def close_names(session: Session, name: str) -> list[str]:
    """Existing personas whose name is this one in another case or width, or a small edit of it
    (`persona_names.close_names`: the same answer `tracker posts` gives without the ORM)."""
    return persona_names.close_names(session.scalars(select(Persona.name)), name)


def persona_for_new_records(session: Session, name: str, allow_new: bool) -> Persona:
    """The persona named `name`, created when it does not exist yet.

    A new name close to an existing one is refused ("did you mean ...") unless `allow_new`.
    """
    name = checked_name(name)
    persona = _named(session, name)
    if persona is not None:
        return persona
    refuse_close_name(session, name, allow_new)
    persona = Persona(name=name)
    session.add(persona)
    return persona


def refuse_close_name(session: Session, name: str, allow_new: bool) -> None:
    """Refuse a persona name that does not exist but is close to one that does, unless `allow_new`."""
    name = checked_name(name)
    if allow_new or _named(session, name) is not None:
        return
    close = close_names(session, name)
    if close:
        raise UsageError(f"no persona {name!r}{did_you_mean(close)} (--new-persona to create it)")


def find_persona(session: Session, name: str) -> Persona:
    """The persona of this name, or a one-line error (suggesting close names)."""
    persona = _named(session, name)
    if persona is None:
        raise persona_names.no_such_persona(session.scalars(select(Persona.name)), name.strip())
    return persona


def _named(session: Session, name: str) -> Persona | None:
    """The persona called `name`, in whatever Unicode composition it was stored or typed, or stored with spaces
    around it (`typed_name`)."""
    persona = session.scalar(select(Persona).where(Persona.name == name))
    if persona is not None:
        return persona
    stored = persona_names.typed_name(session.scalars(select(Persona.name)), name)
    return None if stored is None else session.scalar(select(Persona).where(Persona.name == stored))


@dataclass(frozen=True)
class OtherPersonas:
    """The personas other than one that an image already belongs to: those it is posted under, and the
    persona it was archived for (`image.persona`) when that is another and not among them."""

    image_id: int
    posted_under: tuple[str, ...]
    archived_for: str | None

    def __bool__(self) -> bool:
        return bool(self.posted_under or self.archived_for)

    @property
    def names(self) -> list[str]:
        """Every other persona, by name (what `log --json` gives as `other_personas`)."""
        return sorted({*self.posted_under, *([self.archived_for] if self.archived_for else [])})

    def warning(self, persona: str, source: str | None = None) -> str:
        """One line for the owner, who keeps personas apart (`source`: the file, for an import)."""
        parts = []
        if self.posted_under:
            parts.append(f"posted under {_personas(self.posted_under)}")
        if self.archived_for:
            parts.append(f"archived for {_personas([self.archived_for])}")
        where = f"{source}: " if source else ""
        return (
            f"{where}image #{self.image_id} is also {' and '.join(parts)}; "
            f"personas are kept apart: check that {persona!r} should have it"
        )


def _personas(names: Sequence[str]) -> str:
    listed = ", ".join(repr(n) for n in names)
    return f"persona {listed}" if len(names) == 1 else f"personas {listed}"


def other_personas(session: Session, image: Image, persona: Persona) -> OtherPersonas:
    """Who else an archived image belongs to, besides `persona` (see `OtherPersonas`); falsy when no one.

    `tracker log` warns with it when an image it logs is another persona's already, and so does
    `tracker import` for each file whose image was archived before (`OtherPersonas.warning`): the
    same picture under two personas links them, which the owner must decide knowingly. Two small
    indexed queries; the posts being added in this transaction count once flushed.
    """
    if image.id is None:  # not archived before: no one else has it
        return OtherPersonas(0, (), None)
    posted = (
        select(Persona.name)
        .join(Account, Account.persona_id == Persona.id)
        .join(Post, Post.account_id == Account.id)
        .where(_shows(image.id))
        .distinct()
    )
    if persona.id is not None:
        posted = posted.where(Persona.id != persona.id)
    under = tuple(sorted(session.scalars(posted)))
    owner = image.persona
    archived = owner.name if owner is not None and owner.id != persona.id and owner.name not in under else None
    return OtherPersonas(image.id, under, archived)


def other_persona_warnings(session: Session, image: Image | None, persona: Persona, source: str) -> list[str]:
    """`tracker import`'s warning for one file (`source`, its name): none for an image new to the archive
    (None), else the line `OtherPersonas.warning` gives when another persona has the image already."""
    others = other_personas(session, image, persona) if image is not None else None
    return [others.warning(persona.name, source)] if others else []


def list_personas(session: Session) -> list[PersonaSummary]:
    """Every persona with its counts and former names, by name."""
    query = select(Account.persona_id, func.count(Account.id)).group_by(Account.persona_id)
    accounts = {persona_id: n for persona_id, n in session.execute(query)}
    posts: dict[int, int] = {}
    live: dict[int, int] = {}
    rows = session.execute(
        select(Account.persona_id, Post.status, func.count(Post.id))
        .join(Post, Post.account_id == Account.id)
        .group_by(Account.persona_id, Post.status)
    )
    for persona_id, status, count in rows:
        posts[persona_id] = posts.get(persona_id, 0) + count
        if status is PostStatus.LIVE:
            live[persona_id] = count
    open_ones = (
        select(Complaint.persona_id, func.count(Complaint.id))
        .where(Complaint.status.in_(UNANSWERED))
        .group_by(Complaint.persona_id)
    )
    complaints = {persona_id: n for persona_id, n in session.execute(open_ones)}
    former = former_names(session)
    return [
        PersonaSummary(
            name=p.name,
            display_name=p.display_name,
            contact=p.contact,
            accounts=accounts.get(p.id, 0),
            posts=posts.get(p.id, 0),
            live_posts=live.get(p.id, 0),
            open_complaints=complaints.get(p.id, 0),
            former_names=tuple(former.get(p.name, ())),
        )
        for p in session.scalars(select(Persona).order_by(Persona.name))
    ]


def set_persona(
    factory: sessionmaker[Session], name: str, display_name: str | None = None, contact: str | None = None
) -> str:
    """Record how replies are signed for a persona (`''` clears a field; None leaves it); returns its name as
    stored (typed in another composition, or stored with spaces around it: `typed_name`)."""
    if display_name is None and contact is None:
        raise UsageError("say what to record: --display-name and/or --contact")
    with session_scope(factory, command="persona set") as session:
        persona = find_persona(session, name)
        if display_name is not None:
            if len(display_name.strip()) > MAX_NAME:
                raise UsageError(f"a display name has at most {MAX_NAME} characters")
            persona.display_name = typed_line(display_name)
        if contact is not None:
            persona.contact = typed_line(contact)
        return persona.name


def rename_persona(factory: sessionmaker[Session], old: str, new: str) -> tuple[str, int]:
    """Give a persona another name (everything recorded under it follows); returns the name it had, as stored
    (`typed_name`: a restored name with spaces around it, say), and how many posts it has, each with the rename
    in its history."""
    new = checked_name(new)
    with session_scope(factory, command="persona rename") as session:
        persona = find_persona(session, old)
        if persona.name == new:
            raise UsageError(f"the persona is already called {new!r}")
        if session.scalar(select(Persona.id).where(Persona.name == new)) is not None:
            raise ConflictError(f"a persona {new!r} exists already: merge into it with `tracker persona merge`")
        alike = [n for n in close_names(session, new) if n != persona.name and fold(n) == fold(new)]
        if alike:  # `bob` beside `Bob`: two personas told apart by case or width only, a typo waiting to split one
            raise ConflictError(
                f"a persona {alike[0]!r} exists already, {new!r} differs from it only in case or width: "
                "merge into it with `tracker persona merge`, or choose another name"
            )
        posts, was = _post_ids(session, persona.id), persona.name
        _in_histories(session, posts, was, new)
        persona.name = new
        return was, len(posts)


def _post_ids(session: Session, persona_id: int) -> list[int]:
    """The posts on the persona's accounts, by number."""
    query = select(Post.id).join(Account, Account.id == Post.account_id).where(Account.persona_id == persona_id)
    return list(session.scalars(query.order_by(Post.id)))


def _in_histories(session: Session, post_ids: Sequence[int], old: str, new: str) -> None:
    """Put `persona: "old" -> "new"` into the history of posts whose own rows do not change (a rename, an account
    that moves with its posts): the post's page says whose it became and by which command, as for `post set`."""
    record(session, "post", "update", [(post_id, {"persona": [old, new]}) for post_id in post_ids])


def refuse_started_purges(session: Session, personas: Sequence[Persona]) -> None:
    """Refuse a change to personas whose burn-down has started, saying how to cancel one started by mistake."""
    ids = [p.id for p in personas]
    started = set(session.scalars(select(PurgeRun.persona_id).where(PurgeRun.persona_id.in_(ids))))
    for persona in personas:
        if persona.id in started:
            raise ConflictError(
                f"the burn-down of persona {persona.name!r} has started: scrub it when it is finished, "
                f"or cancel it first (tracker purge cancel {shell_word(persona.name)})"
            )


def merge_personas(factory: sessionmaker[Session], source: str, into: str) -> tuple[str, str, dict[str, int]]:
    """Move everything of persona `source` (accounts, their posts, images, complaints) to `into`, then drop it.

    An account whose handle was never recorded is the persona's account on its platform, as `tracker
    log` takes it: its posts join `into`'s account there (`home_account`) rather than make a second.

    Refused while either persona's burn-down has started: a purge covers one persona's records as
    they were when it started (`tracker purge cancel` ends one started by mistake). Returns the two names as
    stored (a restored ' moth ', a name typed in another Unicode form) and what moved.
    """
    with session_scope(factory, command="persona merge") as session:
        old = find_persona(session, source)
        new = find_persona(session, into)
        if old.id == new.id:
            raise UsageError("a persona cannot be merged into itself")
        refuse_started_purges(session, [old, new])
        moved = {
            "accounts": 0,
            "posts": 0,
            "images": 0,
            "complaints": 0,
        }
        for account in list(session.scalars(select(Account).where(Account.persona_id == old.id))):
            moved["posts"] += len(account.posts)
            home = home_account(session, new, account.platform) if account.handle is None else None
            if home is None:
                account.persona = new
                moved["accounts"] += 1
                _in_histories(session, [post.id for post in account.posts], old.name, new.name)
                continue
            for post in list(account.posts):  # a handle never recorded: its posts join the persona's account there
                add_to_entry(session, "post", post.id, {"persona": [old.name, new.name]})
                post.account = home
            session.flush()
            session.delete(account)
        for image in session.scalars(select(Image).where(Image.persona_id == old.id)):
            image.persona = new
            moved["images"] += 1
        complaints = list(session.scalars(select(Complaint).where(Complaint.persona_id == old.id)))
        _complaints_follow(session, complaints, old, new)
        moved["complaints"] += len(complaints)
        session.execute(update(ImageName).where(ImageName.persona_id == old.id).values(persona_id=new.id))
        session.flush()
        names = (old.name, new.name)
        session.delete(old)
        return names[0], names[1], moved


def remove_persona(factory: sessionmaker[Session], name: str) -> str:
    """Delete a persona that holds nothing: a name typed wrong, whose only post went to the right persona; returns
    its name as stored.

    Refused while it has an account, an image or a complaint (merge it, or burn it down), or a burn-down
    with marks; a burn-down started without marks, and the file names it gave images it no longer
    holds, go with it. The deletion is in the audit trail, as a merge's is.
    """
    with session_scope(factory, command="persona remove") as session:
        persona = find_persona(session, name)
        held = [
            counted(n, what)
            for model, what in ((Account, "account"), (Image, "image"), (Complaint, "complaint"))
            if (n := session.scalar(select(func.count(model.id)).where(model.persona_id == persona.id)) or 0)
        ]
        if held:
            raise ConflictError(
                f"persona {persona.name!r} still has {', '.join(held)}: only an empty persona can be removed "
                "(move them with tracker persona merge, or burn it down with tracker purge plan)"
            )
        run = session.scalar(select(PurgeRun).where(PurgeRun.persona_id == persona.id))
        if run is not None and run.items:
            raise ConflictError(
                f"the burn-down of persona {persona.name!r} has marks: "
                f"cancel it first (tracker purge cancel {shell_word(persona.name)} --discard-marks)"
            )
        if run is not None:
            session.delete(run)
        session.execute(delete(ImageName).where(ImageName.persona_id == persona.id))
        was = persona.name
        session.delete(persona)
        return was


def move_post(session: Session, post: Post, persona: str, new: bool = False) -> str | None:
    """Record a post as another persona's; returns the persona's old name, or None when it was the persona's already.

    `new` (`post set --persona NAME --new-persona`, as `log` has it): the persona is made when none is called so,
    even with a name close to another's; without it, a name no persona has is refused, saying how to make one.

    An account belongs to one persona. On an account whose handle is known (`@moth_art` on X), the
    post is that account's: it moves with its account, so only when the account holds no other post;
    otherwise it is refused (the owner means to merge the personas, or logged it with the wrong
    account), never by moving the account's other posts. An account whose handle tracker never
    learnt (a pixiv artwork URL names none) says nothing about whose the post is: the post goes to
    the target persona's account on that platform (made when it has none, `home_account`), and the
    placeholder it leaves empty is deleted, so neither persona's checklist keeps an account for it.
    """
    target = persona_for_new_records(session, persona, allow_new=True) if new else _existing(session, persona)
    account = post.account
    if account.persona_id == target.id:
        return None
    others = session.scalar(select(func.count(Post.id)).where(Post.account_id == account.id, Post.id != post.id))
    if account.handle is not None and others:
        raise ConflictError(
            f"post #{post.id} is on the {account.platform} account {account.handle} of persona "
            f"{account.persona.name!r}, which has {counted(others or 0, 'other post')}: a post stays with its "
            f"account (if the account is {target.name!r}'s, merge the personas: tracker persona merge)"
        )
    old = account.persona
    complaints = _complaints_moving_with(session, post, old, target)
    home = home_account(session, target, account.platform) if account.handle is None else None
    # The move goes into the entry of the post's own change (its account, a title changed with it) when its row
    # changes, else into an entry of its own.
    if session.is_modified(post) or (account.handle is None and (home is not None or others)):
        add_to_entry(session, "post", post.id, {"persona": [old.name, target.name]})
    else:
        _in_histories(session, [post.id], old.name, target.name)
    if account.handle is not None:
        account.persona = target
    else:
        _reattach(session, post, target, home, alone=not others)
    _image_follows(session, post, old, target)
    _complaints_follow(session, complaints, old, target)
    return old.name


def _complaints_follow(session: Session, complaints: Sequence[Complaint], old: Persona, new: Persona) -> None:
    """Move complaints from persona `old` to `new`, their names beside the ids in each complaint's history entry
    (`persona: "moth" -> "kite"`, as the post's history says it and as `complaint set --persona` records it)."""
    for complaint in complaints:
        add_to_entry(session, "complaint", complaint.id, {"persona": [old.name, new.name]})
        complaint.persona = new


def _existing(session: Session, name: str) -> Persona:
    """The persona a post moves to, which must exist: refused with the close names, and how to make a new one."""
    try:
        return find_persona(session, name)
    except NotFoundError:
        wanted = name.strip()
        hint = did_you_mean(close_names(session, wanted))
        raise NotFoundError(f"no persona {wanted!r}{hint} (--new-persona to create it)") from None


def home_account(session: Session, persona: Persona, platform: str) -> Account | None:
    """The persona's account on `platform` that a post with no known handle goes to, as `tracker log` picks
    it: its only account there, else its only one with no handle yet; None when it has none or several."""
    accounts = list(
        session.scalars(select(Account).where(Account.persona_id == persona.id, Account.platform == platform))
    )
    if len(accounts) == 1:
        return accounts[0]
    unknown = [a for a in accounts if a.handle is None]
    return unknown[0] if len(unknown) == 1 else None


def _reattach(session: Session, post: Post, target: Persona, home: Account | None, alone: bool) -> None:
    """Put a post of a handle-unknown account on the target's account there (`home`, `home_account`'s): a new
    one when it has none, or the post's own account when it holds no other post; an account left empty goes."""
    account = post.account
    if home is None and alone:
        account.persona = target
        return
    if home is None:
        home = Account(persona=target, platform=account.platform)
        session.add(home)
    post.account = home
    session.flush()
    if alone:
        session.delete(account)


def _shows(image_id: int) -> ColumnElement[bool]:
    """Posts that show the image: as the image they were logged with, or as a further page (`post_page`)."""
    return or_(Post.image_id == image_id, Post.id.in_(select(PostPage.post_id).where(PostPage.image_id == image_id)))


def _image_follows(session: Session, post: Post, old: Persona, target: Persona) -> None:
    """The post's images (its first and its further pages), and the file names they were logged from, go to
    `target` unless the old persona still posts them: the old persona's burn-down must not list the target's
    originals to delete."""
    pages = session.scalars(select(PostPage.image_id).where(PostPage.post_id == post.id).order_by(PostPage.id))
    for image_id in [post.image_id, *pages]:
        image = session.get_one(Image, image_id)
        copy_names(session, image, old, target)  # the file it was logged from is the target's original now
        still_posted = session.scalar(
            select(func.count(Post.id))
            .join(Account, Account.id == Post.account_id)
            .where(_shows(image.id), Post.id != post.id, Account.persona_id == old.id)
        )
        if still_posted:
            continue
        if image.persona_id == old.id:
            image.persona = target
        session.execute(delete(ImageName).where(ImageName.image_id == image.id, ImageName.persona_id == old.id))


def _complaints_moving_with(session: Session, post: Post, old: Persona, target: Persona) -> list[Complaint]:
    """The old persona's complaints about the post, which move with it to `target`: a complaint belongs to the
    persona of the posts it names (a scrub of one persona removes its complaints, never another's).

    A complaint that also names another post of the old persona cannot follow it: refused, saying which."""
    about = list(
        session.scalars(
            select(Complaint)
            .join(ComplaintPost, ComplaintPost.complaint_id == Complaint.id)
            .where(ComplaintPost.post_id == post.id, Complaint.persona_id == old.id)
            .order_by(Complaint.id)
        ).unique()
    )
    for complaint in about:
        others = list(
            session.scalars(
                select(ComplaintPost.post_id)
                .join(Post, Post.id == ComplaintPost.post_id)
                .join(Account, Account.id == Post.account_id)
                .where(ComplaintPost.complaint_id == complaint.id, Post.id != post.id, Account.persona_id == old.id)
                .order_by(ComplaintPost.post_id)
            )
        )
        if others:
            listed = ", ".join(f"#{n}" for n in others)
            raise ConflictError(
                f"post #{post.id} is named by complaint #{complaint.id} together with {old.name}'s post {listed}: "
                "a complaint belongs to one persona (to move all of them, merge the personas: "
                "tracker persona merge)"
            )
    return about
