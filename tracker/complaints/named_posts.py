"""The posts a complaint names and whose complaint it is, resolved at intake and when a correction names others.

A post is named by its URL (in any spelling its platform knows) or its number; the persona is the one the named
posts belong to, else the one given by name. Used by `intake.add_complaint` and `records.change_complaint`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy.orm import Session

from tracker.db.models import Persona, Post
from tracker.errors import NotFoundError, UsageError
from tracker.platforms.urls import Platform
from tracker.posts.lookup import find_post
from tracker.posts.personas import find_persona, persona_for_new_records


def resolve_posts(
    session: Session, references: Sequence[str], platforms: Mapping[str, Platform]
) -> list[tuple[str, Post]]:
    """(the reference as given, its post) for each post named (URL or number), each post once, blanks left out;
    a reference that matches no logged post is a one-line `NotFoundError`."""
    found: list[tuple[str, Post]] = []
    ids: set[int] = set()
    for reference in references:
        reference = reference.strip()
        if not reference:
            continue
        try:
            post = find_post(session, reference, platforms)
        except NotFoundError:
            raise NotFoundError(f"{reference!r} matches no logged post (give its URL or its number)") from None
        if post.id not in ids:
            ids.add(post.id)
            found.append((reference, post))
    return found


def complaint_persona(session: Session, name: str | None, posts: Sequence[Post], allow_new: bool) -> Persona | None:
    """Whose complaint it is: the persona of the posts it names (all one's: a complaint about two personas' posts
    would sign one letter for both), else the persona `name` names (made when `allow_new`), else None."""
    owners = list(dict.fromkeys(post.account.persona.name for post in posts))
    if len(owners) > 1:
        raise UsageError(f"the named posts belong to different personas ({', '.join(owners)}): log one complaint each")
    if owners and name and name.strip() and name.strip() != owners[0]:
        raise UsageError(f"the named posts belong to persona {owners[0]!r}, not {name.strip()!r}")
    if posts:
        return posts[0].account.persona
    if name and name.strip():
        return persona_for_new_records(session, name, allow_new) if allow_new else find_persona(session, name)
    return None
