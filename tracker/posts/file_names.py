"""The file names a persona's images were logged or imported from: every one, not only the image's first.

An image is archived once, by content; the same picture saved under another name and logged again
for a persona is still a local original that links the persona to it. `image.original_name` keeps
the first name (what listings show); `image_name` keeps each persona's names, so a persona's
burn-down lists every file to delete (`purge.local`) and its scrub removes them (`purge.ownership`).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.db import schema
from tracker.db.fit import fitted
from tracker.db.models import Image, ImageName, Persona
from tracker.db.plain import chunks


def stored_name(name: str) -> str:
    """A file name as its column keeps it (`db.fit`: no NUL, no longer than the column)."""
    return str(fitted(schema.image_name, {"name": name})["name"])


def known_names(session: Session, persona: Persona, shas: Iterable[str]) -> set[tuple[str, str]]:
    """(sha256, file name) of the names the persona already gave the images with these contents."""
    if persona.id is None:
        return set()
    found: set[tuple[str, str]] = set()
    for part in chunks(sorted(set(shas))):
        rows = session.execute(
            select(Image.sha256, ImageName.name)
            .join(Image, Image.id == ImageName.image_id)
            .where(ImageName.persona_id == persona.id, Image.sha256.in_(list(part)))
        )
        found.update((sha, name) for sha, name in rows)
    return found


def add_name(session: Session, known: set[tuple[str, str]], image: Image, persona: Persona, name: str) -> None:
    """Record the name unless `known` (the persona's (sha256, name) pairs, from `known_names`) has it; add it there.

    A bulk import looks up the names of a whole batch once, then adds each file's name through this.
    """
    name = stored_name(name)
    if (image.sha256, name) not in known:
        known.add((image.sha256, name))
        session.add(ImageName(image=image, persona=persona, name=name))


def remember_name(session: Session, image: Image, persona: Persona, name: str) -> None:
    """Record that the persona logged or imported the image from a file of this name (once per name)."""
    known = known_names(session, persona, [image.sha256]) if image.id is not None else set()
    add_name(session, known, image, persona, name)


def copy_names(session: Session, image: Image, source: Persona, target: Persona) -> None:
    """Give `target` the names `source` logged the image from (a post of it moved between them)."""
    names = session.scalars(
        select(ImageName.name).where(ImageName.image_id == image.id, ImageName.persona_id == source.id)
    )
    for name in sorted(set(names)):
        remember_name(session, image, target, name)
