"""Which post a user means: its number (`12`, `#12`) or its URL, in any spelling it may be stored under;
and which generated image: a post's, or `image:N`.

SQL text (`db.plain`): `tracker show` and `tracker inputs` find their post or image without loading
SQLAlchemy on a SQLite file at this revision, and `lookup.find_post` and `inputs.resolve_image` (the
ORM's, for every other command) find them the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from tracker.db.plain import MAX_DIGITS, Readable, fetch_one, in_list
from tracker.errors import NotFoundError

if TYPE_CHECKING:
    from tracker.platforms.urls import Platform


def post_number(db: Readable, key: str, platforms: Mapping[str, Platform]) -> int:
    """A post's number from its number or its URL (any spelling the platform patterns recognise; on any
    site, the host in any case, with or without a trailing slash or a fragment); `NotFoundError` if none."""
    from tracker.platforms.urls import stored_spellings

    key = key.strip()
    found = None
    number = key.lstrip("#")
    if number.isascii() and number.isdigit():
        if len(number) <= MAX_DIGITS:
            found = fetch_one(db, "SELECT id FROM post WHERE id = :id", {"id": int(number)})
    else:
        found = fetch_one(db, "SELECT id FROM post WHERE url = :url ORDER BY id LIMIT 1", {"url": key})
        spellings = stored_spellings(key, platforms) if found is None else ()
        if spellings:  # the URL as it is stored (any site's: host case, trailing slash, fragment)
            urls, params = in_list("url", spellings)
            found = fetch_one(db, f"SELECT id FROM post WHERE url IN {urls} ORDER BY id LIMIT 1", params)
    if found is None:
        raise NotFoundError(f"no post {key!r}")
    return int(found[0])


def image_key(db: Readable, key: str, platforms: Mapping[str, Platform]) -> tuple[int, str]:
    """The generated image a command is about: `image:N`, or a post's (number or URL). Returns (image id, label)."""
    if key.startswith("image:"):
        number = key.removeprefix("image:")
        found = fetch_one(db, "SELECT id FROM image WHERE id = :id", {"id": int(number)}) if number.isdigit() else None
        if found is None:
            raise NotFoundError(f"no image {key!r}")
        return int(found[0]), f"image #{found[0]}"
    post = post_number(db, key, platforms)
    found = fetch_one(db, "SELECT image_id FROM post WHERE id = :id", {"id": post})
    if found is None:  # removed since it was found
        raise NotFoundError(f"no post {key.strip()!r}")
    return int(found[0]), f"post #{post}"
