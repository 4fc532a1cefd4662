"""Which audit entries a persona's scrub deletes, and how the images another persona also uses stay.

The rows it deletes, table by table, are `owned.OWNED` (SQL text the checklist counts them with too)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from pathlib import PurePosixPath
from typing import Any

from sqlalchemy import (
    Connection,
    Integer,
    ScalarSelect,
    Select,
    TextualSelect,
    bindparam,
    case,
    exists,
    func,
    or_,
    select,
    text,
    update,
)
from sqlalchemy import column as sql_column
from sqlalchemy.orm import InstrumentedAttribute

from tracker.db.audit import AUDITED
from tracker.db.models import Account, Base, Event, Image, ImageName, Post, PostPage
from tracker.purge.owned import OWNED, USED_IMAGES


def used_images(persona_id: int) -> TextualSelect:
    """Every image the persona posted or holds, including those another persona also uses (`owned.USED_IMAGES`)."""
    return text(USED_IMAGES).bindparams(pid=persona_id).columns(sql_column("id", Integer))


def named_by_persona(persona_id: int, doomed_images: Any) -> Select[int, str]:
    """(id, archive path) of the persona's images that stay although it is scrubbed, with a file name it gave.

    An image stays when another persona also posted it (or made an image from it). Its file name
    came with the persona that logged it first: this one when the image is still held by it, and,
    for an image held by no persona (older archives), possibly this one too.
    """
    return select(Image.id, Image.archive_path).where(
        Image.id.in_(used_images(persona_id)),
        Image.id.not_in(doomed_images),
        or_(Image.persona_id == persona_id, Image.persona_id.is_(None)),
    )


def neutral_name(archive_path: str) -> str:
    """The name a shared image keeps once the persona that named it is gone: its archived file's name."""
    return PurePosixPath(archive_path.replace("\\", "/")).name or "image"


def hand_over_shared_images(conn: Connection, persona_id: int, doomed_images: Any) -> int:
    """Give the persona's images that stay to another persona, without the names this one gave them.

    Each goes to the persona that posted it first (none, for an image kept only as another
    image's input), and a file name that came from the scrubbed persona becomes the name that
    persona logged it under (`_names_of_others`), else the archived file's name. Core statements:
    the scrub leaves no audit entry of its own. Returns how many stay.
    """
    kept = conn.execute(
        select(func.count())
        .select_from(Image)
        .where(Image.id.in_(used_images(persona_id)), Image.id.not_in(doomed_images))
    ).scalar_one()
    named = {row[0]: row[1] for row in conn.execute(named_by_persona(persona_id, doomed_images))}
    own = _names_of_others(conn, persona_id, list(named))
    renamed = [
        {"image": image_id, "neutral": own.get(image_id) or neutral_name(path)} for image_id, path in named.items()
    ]
    if renamed:
        conn.execute(
            update(Image).where(Image.id == bindparam("image")).values(original_name=bindparam("neutral")), renamed
        )
    conn.execute(
        update(Image)
        .where(Image.persona_id == persona_id, Image.id.not_in(doomed_images))
        .values(persona_id=_goes_to(persona_id, Image.id, Image))
    )
    return int(kept)


def _names_of_others(conn: Connection, persona_id: int, images: Sequence[int]) -> dict[int, str]:
    """For each of these images, the file name another persona logged it under (`image_name`): the earliest the
    persona it goes to (`_goes_to`) gave it, else the earliest another gave it. The scrubbed persona's names are
    never among them; an image no other persona named has none here (it keeps its archived file's name)."""
    if not images:
        return {}
    its_new_owner = ImageName.persona_id == _goes_to(persona_id, ImageName.image_id, ImageName)
    given = (
        select(ImageName.image_id, ImageName.name)
        .where(ImageName.image_id.in_(images), ImageName.persona_id != persona_id)
        .order_by(case((its_new_owner, 0), else_=1), ImageName.id)
    )
    names: dict[int, str] = {}
    for image_id, name in conn.execute(given):  # the first row of each image is the name it keeps
        names.setdefault(image_id, name)
    return names


def _goes_to(persona_id: int, image_id: InstrumentedAttribute[int], outer: type[Base]) -> ScalarSelect[int]:
    """The persona a shared image of the scrubbed one goes to, for the image `image_id` of each row of `outer`:
    the other persona that posted it first (NULL when none did: an image kept only as another image's input)."""
    paged = select(PostPage.post_id).where(PostPage.image_id == image_id)  # a further page of a post shows it too
    return (
        select(Account.persona_id)
        .join(Post, Post.account_id == Account.id)
        .where(or_(Post.image_id == image_id, Post.id.in_(paged)), Account.persona_id != persona_id)
        .order_by(Post.id)
        .limit(1)
        .correlate(outer)
        .scalar_subquery()
    )


def persona_events(
    conn: Connection,
    persona_id: int,
    strings: Collection[str],
    doomed: Callable[[str], Any],
    renamed: Sequence[int],
    kept_complaints: Collection[int] = (),
) -> set[int]:
    """The audit entries of the persona beyond those of its doomed rows (which the scrub deletes by id).

    `doomed(table)` selects the ids of the rows the scrub deletes from a table; `renamed` are the
    kept images whose names came from the persona (`named_by_persona`); `strings` its name, post
    URLs and handles. The entries of `kept_complaints` stay (the persona is cut out of them instead).
    """
    tables = set(OWNED)
    return {
        *_stale_events(conn, persona_id, strings),
        *_pointing_events(conn, doomed, tables, kept_complaints),
        *_name_events(conn, renamed, persona_id),
        *_cancelled_mark_events(conn, persona_id),
    }


def _pointing_events(
    conn: Connection, doomed: Callable[[str], Any], tables: Collection[str], kept_complaints: Collection[int]
) -> Iterable[int]:
    """Entries of remaining rows whose old or new value of a foreign key is a doomed row.

    An image first logged for the persona and kept for another (`persona_id` [None, the
    persona]), a post moved off one of its accounts, a complaint once filed under it: the rows
    stay, the history naming the persona's records goes. A kept complaint's history stays.
    """
    for model in AUDITED:
        table = Base.metadata.tables[model.__table__.name]  # type: ignore[attr-defined]
        spared = list(kept_complaints) if table.name == "complaint" else []
        for column in table.columns:
            for key in column.foreign_keys:
                target = key.column.table.name
                if target not in tables:
                    continue
                points = or_(*(Event.changes[(column.name, side)].as_integer().in_(doomed(target)) for side in (0, 1)))
                query = select(Event.id).where(Event.entity == table.name, points)
                if spared:
                    query = query.where(Event.entity_id.not_in(spared))
                yield from conn.execute(query).scalars()


def _cancelled_mark_events(conn: Connection, persona_id: int) -> Iterable[int]:
    """Entries of the marks of the persona's purge runs cancelled earlier (`purge cancel`).

    A mark's entries name its run, not the persona, and a skip's reason is the owner's own words
    about it. Run and mark numbers may be given again once deleted, so the trail is read in order:
    a run number is the persona's from the entry of its creation to the next creation of that
    number, and a mark's entries are its run's from its creation to its deletion.
    """
    trail = conn.execute(
        select(Event.id, Event.entity, Event.entity_id, Event.action, Event.changes)
        .where(Event.entity.in_(["purge_run", "purge_item"]))
        .order_by(Event.id)
    )
    persona_runs: set[int] = set()
    persona_marks: set[int] = set()
    for event_id, entity, entity_id, action, changes in trail:
        if entity == "purge_run":
            if action == "create":
                persona_runs.discard(entity_id)
                if _names_persona(changes, persona_id, ()):
                    persona_runs.add(entity_id)
            continue
        if action == "create":
            run = changes.get("run_id") if isinstance(changes, dict) else None
            persona_marks.discard(entity_id)
            if isinstance(run, list) and run[-1] in persona_runs:
                persona_marks.add(entity_id)
        if entity_id in persona_marks:
            yield event_id
        if action == "delete":
            persona_marks.discard(entity_id)


def _name_events(conn: Connection, renamed: Sequence[int], persona_id: int) -> Iterable[int]:
    """Entries of the kept images named by the persona that hold a file name or the persona's id."""
    for start in range(0, len(renamed), 5000):
        query = select(Event.id, Event.changes).where(
            Event.entity == "image", Event.entity_id.in_(renamed[start : start + 5000])
        )
        for event_id, changes in conn.execute(query):
            if isinstance(changes, dict) and ("original_name" in changes or _names_persona(changes, persona_id, ())):
                yield event_id


def _stale_events(conn: Connection, persona_id: int, strings: Collection[str]) -> Iterable[int]:
    """Entries about rows that no longer exist (deleted before this scrub) which name this persona.

    Entries of rows that still exist hold another persona's records, and are only touched when
    they point at the persona's rows (`_pointing_events`) or hold a name it gave (`_name_events`).
    """
    for model in AUDITED:
        table = Base.metadata.tables[model.__table__.name]  # type: ignore[attr-defined]
        gone = ~exists(select(table.c.id).where(table.c.id == Event.entity_id).correlate(Event))
        rows = conn.execute(select(Event.id, Event.changes).where(Event.entity == table.name, gone))
        for event_id, changes in rows:
            if _names_persona(changes, persona_id, strings):
                yield event_id


def _names_persona(changes: Any, persona_id: int, strings: Collection[str]) -> bool:
    if not isinstance(changes, dict):
        return False
    owner = changes.get("persona_id")
    if isinstance(owner, list) and persona_id in owner:
        return True
    return any(value in strings for value in _strings_in(changes))


def _strings_in(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings_in(item)
