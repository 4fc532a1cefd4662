"""Which logged posts a given image shows, whole or in part: the use case behind `tracker match`.

The similarity engine (`similarity`) ranks stored images; this module adds what the owner needs
to act on a hit: the posts each image was published as, their persona and status.

It reads in SQLAlchemy Core over `db.schema`, on the engine or the session factory it is
handed (`Database`): a `tracker match` process never loads the ORM unless a candidate was the
input of another image (`posts.inputs`) or old rows must be re-hashed (`stored.rehash_stale`),
and a few statements answer each search.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PIL import Image as PILImage
from sqlalchemy import Engine, bindparam, exists, select

from tracker.db import schema
from tracker.matching.hashing import QueryHashes
from tracker.matching.index import SPARE_ROWS, index_lock, load_saved, refresh, save, stored_from_rows
from tracker.matching.rank import rank_image
from tracker.matching.saved_regions import file_stamp, region_tables, regions_path
from tracker.matching.similarity import MATCH_SCORE, Candidate, MatchIndex, RegionTablesFor, StoredHashes
from tracker.matching.stored import Database, DatabaseHashes, engine_of, rehash_stale
from tracker.matching.verify import Pixels
from tracker.metadata.reader import ImageReading
from tracker.support.settings import Settings

if TYPE_CHECKING:
    from tracker.posts.inputs import InputUse

MATCH_TOP = 20
"""How many images a search lists by default (`tracker match --top`, the triage screen)."""


@dataclass(frozen=True)
class MatchedPost:
    id: int
    url: str
    platform: str
    persona: str
    status: str


@dataclass(frozen=True)
class MatchResult:
    """One stored image the query may show, and where it was posted."""

    candidate: Candidate
    image_id: int
    sha256: str
    original_name: str
    persona: str | None
    identical: bool
    """The query file is byte for byte the archived file."""
    posts: list[MatchedPost]
    input_of: list[InputUse] = field(default_factory=list)
    """The generated images (and their posts) this stored image was an input of."""

    def to_dict(self) -> dict[str, Any]:
        c = self.candidate
        region = None
        if c.region is not None:
            region = {
                "post_box": list(c.region.image_box),
                "query_box": list(c.region.query_box),
                "distance": c.region.distance,
            }
        return {
            "image_id": self.image_id,
            "score": c.score,
            "kind": c.kind,
            "identical": self.identical,
            "evidence": c.evidence,
            "matched": c.matched,
            "confidence": c.confidence,
            "reason": c.region.describe() if c.kind == "region" and c.region is not None else None,
            "pixel_check": c.pixel_check,
            "phash_distance": c.phash_distance,
            "dhash_distance": c.dhash_distance,
            "region": region,
            "sha256": self.sha256,
            "original_name": self.original_name,
            "persona": self.persona,
            "posts": [p.__dict__ for p in self.posts],
            "input_of": [
                {"image_id": u.image_id, "technique": u.technique, "input_kind": u.kind, "posts": list(u.post_ids)}
                for u in self.input_of
            ],
        }


_image, _post, _input = schema.image.c, schema.post.c, schema.image_input.c
_IMAGES = (
    select(
        _image.id,
        _image.sha256,
        _image.original_name,
        schema.persona.c.name.label("persona"),
        exists().where(_input.input_image_id == _image.id).label("is_input"),
    )
    .select_from(schema.image.outerjoin(schema.persona, schema.persona.c.id == _image.persona_id))
    .where(_image.id.in_(bindparam("ids", expanding=True)))
)
"""The candidates' images, their persona's name, and whether each was recorded as another image's input."""
_POSTS = (
    select(_post.id, _post.image_id, _post.url, _post.platform, _post.status, schema.persona.c.name.label("persona"))
    .select_from(
        schema.post.join(schema.account, schema.account.c.id == _post.account_id).join(
            schema.persona, schema.persona.c.id == schema.account.c.persona_id
        )
    )
    .where(_post.image_id.in_(bindparam("ids", expanding=True)))
    .order_by(_post.id)
)
"""The candidates' posts, oldest first, with the persona of the account each was posted from."""


class ConfirmedIndex(MatchIndex):
    """The index `open_index` returns: its candidates are searched again over their rows as the database holds them.

    The saved index is a cache that a big archive does not checksum in full on every search
    (`index.REGION_CHECK_BYTES`); searching the few candidates' own rows once more (one query,
    a few milliseconds) means a damaged or stale file can hide a match but never report one the
    database does not hold. With a sound index the answer is the same list.
    """

    def __init__(self, stored: StoredHashes, engine: Engine, saved_regions: RegionTablesFor | None = None) -> None:
        super().__init__(stored, saved_regions)
        self._engine = engine

    def search(self, query: QueryHashes, *args: Any, **kwargs: Any) -> list[Candidate]:
        found = super().search(query, *args, **kwargs)
        if not found:
            return found
        with self._engine.connect() as connection:
            rows = DatabaseHashes(connection).hash_rows(sorted({c.id for c in found}))
        return MatchIndex(stored_from_rows(rows)).search(query, *args, **kwargs)


def open_index(database: Database, settings: Settings, rebuild: bool = False) -> MatchIndex:
    """The up-to-date similarity index of the database (re-hashing old rows, saving what changed).

    The saved index is mapped, brought up to date and saved under its lock (`index.index_lock`),
    so a persona scrub never sees a search save rows it deleted. A saved index that is damaged or
    not this database's is rebuilt silently; when the lock cannot be had in time (a long scrub),
    the index is built from the database and not saved. The region tables saved beside it
    (`saved_regions`) are mapped on the first region search, and made and saved when missing.
    """
    engine = engine_of(database)
    rehash_stale(database, settings)
    path = settings.index_path
    with index_lock(path) as held, engine.connect() as connection:
        source = DatabaseHashes(connection)
        identity = source.identity() if held else ""
        saved = None
        if held and not rebuild:
            saved = load_saved(path, identity, max_rows=2 * source.stamp()[0] + SPARE_ROWS)
        stored, changed = refresh(source, saved)
        if held and (changed or rebuild):
            try:
                save(path, stored, identity)
                if rebuild:
                    regions_path(path).unlink(missing_ok=True)  # made again by the next region search
            except OSError:
                pass  # a cache that cannot be written costs speed next time, nothing else
        saved_as = file_stamp(path) if held else None
    if not held:
        return ConfirmedIndex(stored, engine)
    return ConfirmedIndex(stored, engine, region_tables(path, identity, saved_as, rebuild=rebuild))


def archived_pixels(database: Database, settings: Settings) -> Pixels:
    """Reads a stored image's archived picture for the pixel check (`verify`); None when it is gone or unreadable."""
    engine = engine_of(database)

    def load(image_id: int) -> PILImage.Image | None:
        with engine.connect() as connection:
            path = connection.scalar(select(_image.archive_path).where(_image.id == image_id))
        if path is None:
            return None
        try:
            with PILImage.open(settings.archive_dir / path) as opened:
                opened.draft("RGB", (1024, 1024))  # JPEG: decode at a reduced size, plenty for the check
                opened.load()
                return opened.convert("RGB") if opened.mode not in ("RGB", "L") else opened.copy()
        except (OSError, ValueError, SyntaxError, PILImage.DecompressionBombError):
            return None

    return load


def describe_box(box: tuple[float, float, float, float]) -> str:
    """A window as the user reads it: 'whole picture' or 'x 25-75%, y 0-50%'."""
    if box == (0.0, 0.0, 1.0, 1.0):
        return "whole picture"
    x0, y0, x1, y1 = (round(v * 100) for v in box)
    return f"x {x0}-{x1}%, y {y0}-{y1}%"


def match_reading(
    database: Database,
    settings: Settings,
    reading: ImageReading,
    top: int = MATCH_TOP,
    min_score: float = MATCH_SCORE,
    regions: bool = True,
) -> list[MatchResult]:
    """Rank the archive against one decoded image, best first."""
    index = open_index(database, settings)
    candidates = rank_image(
        index, reading.image, top=top, min_score=min_score, regions=regions, pixels=archived_pixels(database, settings)
    )
    engine = engine_of(database)
    with engine.connect() as connection:
        same_file = connection.scalar(select(_image.id).where(_image.sha256 == reading.sha256))
        if same_file is not None and all(c.id != same_file for c in candidates):
            # The very file (a blank picture, say, which perceptual hashes ignore) is always a match.
            exact = Candidate(id=same_file, score=1.0, kind="whole", phash_distance=0, dhash_distance=0)
            candidates = [exact, *candidates[: top - 1]]
        if not candidates:
            return []
        ids = [c.id for c in candidates]
        images = {row.id: row for row in connection.execute(_IMAGES, {"ids": ids})}
        posts: dict[int, list[MatchedPost]] = defaultdict(list)
        for row in connection.execute(_POSTS, {"ids": ids}):
            posts[row.image_id].append(MatchedPost(row.id, row.url, row.platform, row.persona, str(row.status.value)))
    inputs = [i for i, row in images.items() if row.is_input]
    uses = _input_uses(database, inputs) if inputs else {}
    results = []
    for c in candidates:
        image = images.get(c.id)
        if image is None:  # deleted since the index was saved
            continue
        results.append(
            MatchResult(
                candidate=c,
                image_id=image.id,
                sha256=image.sha256,
                original_name=image.original_name,
                persona=image.persona,
                identical=image.sha256 == reading.sha256,
                posts=posts.get(image.id, []),
                input_of=uses.get(image.id, []),
            )
        )
    return results


def _input_uses(database: Database, ids: list[int]) -> dict[int, list[InputUse]]:
    """The images (and posts) these candidates were inputs of: the ORM loads only when one was."""
    from sqlalchemy.orm import Session

    from tracker.posts.inputs import input_uses

    with Session(engine_of(database)) as session:
        return input_uses(session, ids)
