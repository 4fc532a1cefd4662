"""Which logged posts a given image shows, whole or in part: the use case behind `tracker match`.

The similarity engine (`similarity`) ranks stored images; this module adds what the owner needs
to act on a hit: the posts each image was published as, their persona and status.

It reads in SQL text (`db.plain`) on the reader, engine or session factory it is handed
(`stored.Database`): a `tracker match` process on a SQLite file at this revision loads no
SQLAlchemy, and elsewhere no ORM, unless old rows must be re-hashed (`stored.rehash_stale`); a few
statements answer each search, what a candidate was recorded as the input of (`input_uses`) too.
"""

from __future__ import annotations

import warnings
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from PIL import Image as PILImage

from tracker.db.plain import Readable, chunks, fetch_all, fetch_one, in_list
from tracker.matching.hashing import QueryHashes
from tracker.matching.index import SPARE_ROWS, index_lock, load_saved, refresh, save, stored_from_rows
from tracker.matching.rank import rank_image
from tracker.matching.saved_regions import file_stamp, region_tables, regions_path
from tracker.matching.similarity import MATCH_SCORE, Candidate, MatchIndex, RegionTablesFor, StoredHashes
from tracker.matching.stored import Database, DatabaseHashes, read_connection, rehash_stale
from tracker.matching.verify import CHECK_TOP, Pixels
from tracker.metadata.decoding import DecodedImage, as_displayed
from tracker.support.settings import Settings

MATCH_TOP = 20
"""How many images a search lists by default (`tracker match --top`, the triage screen)."""


@dataclass(frozen=True)
class InputUse:
    """A stored image that was the input of a technique of another image, and that image's posts."""

    input_image_id: int
    image_id: int
    technique: str
    kind: str
    post_ids: tuple[int, ...]


@dataclass(frozen=True)
class MatchedPost:
    id: int
    url: str
    platform: str
    persona: str
    status: str
    further_page: bool = False
    """The image is a further page of the post (`post_page`: pixiv's `_p1`), not the one it was logged with."""
    page: int | None = None
    """That page's number, from 1, when the import knew it."""

    @property
    def where(self) -> str:
        """`post #2`, `post #2, page 2`, or `post #2, a further page` when its number is not known."""
        return page_words(self.id, self.further_page, self.page)


def page_words(post_id: int, further_page: bool, page: int | None) -> str:
    """Where an image is in a post, as the owner reads it everywhere: `post #2` (the image it was logged with),
    `post #2, page 2`, or `post #2, a further page` when the page's number is not known."""
    if not further_page:
        return f"post #{post_id}"
    return f"post #{post_id}, page {page}" if page else f"post #{post_id}, a further page"


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
                "mirrored": c.region.mirrored,
            }
        return {
            "image_id": self.image_id,
            "score": c.score,
            "kind": c.kind,
            "identical": self.identical,
            "evidence": c.evidence,
            "matched": c.matched,
            "confidence": c.confidence,
            "reason": "the same file, byte for byte (its sha256)" if self.identical else c.reason,
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


_IMAGES = """
SELECT i.id, i.sha256, i.original_name, pe.name,
       EXISTS (SELECT 1 FROM image_input AS ii WHERE ii.input_image_id = i.id)
FROM image AS i LEFT OUTER JOIN persona AS pe ON pe.id = i.persona_id
WHERE i.id IN {ids}
"""
"""The candidates' images, their persona's name, and whether each was recorded as another image's input."""
_POSTS = """
SELECT p.id, p.image_id, p.url, p.platform, p.status, pe.name, 0 AS further, NULL AS page
FROM post AS p JOIN account AS a ON a.id = p.account_id JOIN persona AS pe ON pe.id = a.persona_id
WHERE p.image_id IN {ids}
UNION ALL
SELECT p.id, pp.image_id, p.url, p.platform, p.status, pe.name, 1 AS further, pp.page
FROM post_page AS pp JOIN post AS p ON p.id = pp.post_id
JOIN account AS a ON a.id = p.account_id JOIN persona AS pe ON pe.id = a.persona_id
WHERE pp.image_id IN {ids}
ORDER BY 1
"""
"""The candidates' posts, oldest first, with the persona of the account each was posted from: the posts each was
logged with, and those it is a further page of (`post_page`)."""


class ConfirmedIndex(MatchIndex):
    """The index `open_index` returns: its candidates are searched again over their rows as the database holds them.

    The saved index is a cache that a big archive does not checksum in full on every search
    (`index.REGION_CHECK_BYTES`); searching the few candidates' own rows once more (one query,
    a few milliseconds) means a damaged or stale file can hide a match but never report one the
    database does not hold. With a sound index the answer is the same list.
    """

    def __init__(self, stored: StoredHashes, database: Database, saved_regions: RegionTablesFor | None = None) -> None:
        super().__init__(stored, saved_regions)
        self._database = database

    def search(self, query: QueryHashes, *args: Any, **kwargs: Any) -> list[Candidate]:
        found = super().search(query, *args, **kwargs)
        if not found:
            return found
        with read_connection(self._database) as connection:
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
    if rehash_stale(database, settings):
        rebuild = True  # the saved index and its region tables may hold those rows' old hashes
    path = settings.index_path
    with index_lock(path) as held, read_connection(database) as connection:
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
        return ConfirmedIndex(stored, database)
    return ConfirmedIndex(stored, database, region_tables(path, identity, saved_as, rebuild=rebuild))


PIXELS_KEPT = CHECK_TOP
"""Archived pictures `archived_pixels` keeps once read: a search that finds nothing sure runs up to a dozen more
(mirrored, turned 1-4 degrees), and their best candidates are mostly the same few images, each read and decoded once
(a few tens of milliseconds each) instead of once a search. A search reads at most `CHECK_TOP` region candidates'."""


def archived_pixels(database: Database, settings: Settings) -> Pixels:
    """Reads a stored image's archived picture for the pixel check (`verify`); None when it is gone or unreadable.

    The last `PIXELS_KEPT` read are kept (the pixel check only reads them) for the one match it is made for."""

    @lru_cache(maxsize=PIXELS_KEPT)
    def load(image_id: int) -> PILImage.Image | None:
        with read_connection(database) as connection:
            row = fetch_one(connection, "SELECT archive_path FROM image WHERE id = :id", {"id": image_id})
        if row is None or row[0] is None:
            return None
        path = str(row[0])
        try:
            with warnings.catch_warnings():
                # Pillow's "Corrupt EXIF data" about a picture logged with damaged EXIF: read as `log` read it
                warnings.simplefilter("ignore")
                with PILImage.open(settings.archive_dir / path) as opened:
                    opened.draft("RGB", (1024, 1024))  # JPEG: decode at a reduced size, plenty for the check
                    opened.load()
                    shown = as_displayed(opened)  # as the query was decoded: turned by its EXIF orientation
                    return shown.convert("RGB") if shown.mode not in ("RGB", "L") else shown.copy()
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
    decoded: DecodedImage,
    top: int = MATCH_TOP,
    min_score: float = MATCH_SCORE,
    regions: bool = True,
) -> list[MatchResult]:
    """Rank the archive against one decoded image, best first."""
    index = open_index(database, settings)
    pixels = archived_pixels(database, settings)
    candidates = rank_image(index, decoded.displayed, top=top, min_score=min_score, regions=regions, pixels=pixels)
    with read_connection(database) as connection:
        row = fetch_one(connection, "SELECT id FROM image WHERE sha256 = :sha", {"sha": decoded.sha256})
        same_file = None if row is None else int(row[0])
        if same_file is not None and all(c.id != same_file for c in candidates):
            # The very file (a blank picture, say, which perceptual hashes ignore) is always a match.
            exact = Candidate(id=same_file, score=1.0, kind="whole", phash_distance=0, dhash_distance=0)
            candidates = [exact, *candidates[: top - 1]]
        if not candidates:
            return []
        images: dict[int, tuple[Any, ...]] = {}
        posts: dict[int, list[MatchedPost]] = defaultdict(list)
        for part in chunks([c.id for c in candidates]):
            listed, params = in_list("id", part)
            images.update((int(row[0]), row) for row in fetch_all(connection, _IMAGES.format(ids=listed), params))
            for post_id, image_id, url, platform, status, persona, further, page in fetch_all(
                connection, _POSTS.format(ids=listed), params
            ):
                posts[int(image_id)].append(
                    MatchedPost(
                        int(post_id),
                        url,
                        platform,
                        persona,
                        str(status),
                        bool(further),
                        None if page is None else int(page),
                    )
                )
        inputs = [i for i, row in images.items() if row[4]]
        uses = input_uses(connection, inputs) if inputs else {}
    results = []
    for c in candidates:
        image = images.get(c.id)
        if image is None:  # deleted since the index was saved
            continue
        image_id, sha256, original_name, persona = image[:4]
        results.append(
            MatchResult(
                candidate=c,
                image_id=image_id,
                sha256=sha256,
                original_name=original_name,
                persona=persona,
                identical=sha256 == decoded.sha256,
                posts=posts.get(image_id, []),
                input_of=uses.get(image_id, []),
            )
        )
    return results


_INPUT_USES = """
SELECT u.id, u.input_image_id, u.image_id, t.kind, u.kind
FROM image_input AS u LEFT OUTER JOIN technique AS t ON t.id = u.technique_id
WHERE u.input_image_id IN {ids}
ORDER BY u.id
"""
"""What the candidates were recorded as the input of: the generated image, the technique's kind, the input's kind."""


def input_uses(db: Readable, input_image_ids: list[int]) -> dict[int, list[InputUse]]:
    """For stored images, the generated images (and their posts) each was fed into, in the order recorded."""
    rows: list[tuple[Any, ...]] = []
    for part in chunks(sorted(set(input_image_ids))):
        listed, params = in_list("id", part)
        rows += fetch_all(db, _INPUT_USES.format(ids=listed), params)
    rows.sort(key=lambda row: int(row[0]))  # in the order they were recorded, across chunks
    posts: dict[int, list[int]] = defaultdict(list)
    for part in chunks(sorted({int(row[2]) for row in rows})):
        listed, params = in_list("id", part)
        for post_id, image_id in fetch_all(db, f"SELECT id, image_id FROM post WHERE image_id IN {listed}", params):
            posts[int(image_id)].append(int(post_id))
    out: dict[int, list[InputUse]] = defaultdict(list)
    for _, input_id, image_id, technique, kind in rows:
        post_ids = tuple(sorted(posts.get(int(image_id), [])))
        out[int(input_id)].append(
            InputUse(int(input_id), int(image_id), technique or "image input", str(kind), post_ids)
        )
    return dict(out)
