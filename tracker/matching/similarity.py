"""Finding the stored images a query image is, or shares a part with: numpy only, no database.

Stored hashes are held column by column as uint64 arrays, so comparing a query with every
stored image is an XOR and `np.bitwise_count` over contiguous memory (about a millisecond per
million hashes). Three kinds of evidence are collected (`hashing` explains the hashes):

- **whole**: the mean of the pHash and dHash distances between the query and the image;
- **flipped**: the same against the image's mirror-image hashes;
- **region**: the smallest mean pHash/dHash distance between one of the query's dense windows and either
  the image as a whole (the image sits inside the query: a collage, a frame, a border) or one of
  its stored regions (the query is a part of the image: a crop). The pair of windows is kept,
  so the answer can say which part of each picture matched. Region search is exact and uses a
  multi-index (`regions`, saved with the index) rather than a full scan, because there are
  ~3,500 query windows. A pair of small windows (the 0.4 stored regions, the stretched query
  windows) is a **proposal**: it scores just below `MATCH_SCORE` (`PROPOSAL_SCORE`) until the
  pixels confirm it (`verify`, `crops`: the whole query compared with the part of the post the
  pair puts it on), because small windows agree by chance far more often than large ones.

**Score and calibration.** Each kind has a distance threshold, set by
`tests/benchmarks/match_accuracy.py` (278 originals: real corpus images and generated ones,
16 transforms, 1.2 million non-matching pairs). At these thresholds the whole kinds alone wrongly
match none of those pairs and all kinds together 0.008% (budget 0.1%), while the region kind
still finds 96% of 25% crops and 99% of collages; looser region thresholds buy collage recall
at 2-5x the false alarms (the benchmark's sweep). A distance d of a kind with
threshold T scores `1 - d / (2T)`, clipped to [0, 1]: identical hashes score 1, a distance at
the threshold scores 0.5 (`MATCH_SCORE`), twice the threshold scores 0. An image's score is the
best of its kinds, and it is a candidate when that score is at least `MATCH_SCORE`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import ClassVar

import numpy as np
import numpy.typing as npt

from tracker.matching.hashing import SMALL_REGION, STORED_REGIONS, WHOLE_BIT, ImageHashes, QueryHashes, from_bytes
from tracker.matching.regions import WINDOWS, StoredWindows, WindowColumn, WindowTables

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]

WHOLE_THRESHOLD = 13.0
"""Mean of the pHash and dHash distances (bits of 64) at which a whole/flipped match scores 0.5."""
REGION_THRESHOLD = 10.0
"""Mean pHash/dHash distance (bits of 64) between two windows at which a region match scores 0.5."""
REGION_PHASH_RADIUS = 11
"""A region pair is only considered when its pHash distance is at most this (bits of 64)."""
NARROW_RADIUS = 11
"""The pHash radius of the stretched query windows (`QueryHashes.narrow`) while the archive is small
(at most `NARROW_WIDE_UNTIL` stored windows); beyond it `NARROW_RADIUS_LARGE`."""
NARROW_RADIUS_LARGE = 9
"""The stretched windows' radius in a large archive. There are ~2,400 of them: at radius 11 a whole
`tracker match` at 100,000 posts takes ~1.25x as long as at 9, at a million ~1.35x. Radius 9 still finds
off-centre crops as often as the floor asks (`tests/benchmarks/matching.py --large-archive`: 0.90 of
them, against 0.95 at 11); radius 7 (one flipped bit per 16-bit chunk) found only 0.83."""
NARROW_WIDE_UNTIL = 1_500_000
"""Stored windows (~43,000 posts) up to which the stretched windows are searched at `NARROW_RADIUS`."""
MATCH_SCORE = 0.5
"""Candidates score at least this; it is where each kind meets its threshold."""
PROPOSAL_SCORE = 0.49
"""The most a region match on small windows alone scores (`RegionMatch.proposal`): just below `MATCH_SCORE`."""
PIXELS_AGREE = 0.75
"""Pixel correlation (`verify.CONFIRMED`) at which the answer says the pixels agree."""
PIXELS_SURE = 0.9
"""Pixel correlation at which the pixels raise the confidence a step (`Candidate.confidence`), when what they compared
is the post as shown: the whole picture, the whole post, or at least `SURE_PART` of it."""
SURE_PART = 0.5
"""The part of the post (of its area) whose pixels, agreeing, say more than its hashes: a smaller part (a quarter)
agrees with a sibling picture (another seed of one prompt, one subject on another background) as well as a copy."""
CONFIDENCE_BANDS = ((0.85, "certain"), (0.7, "high"), (MATCH_SCORE, "possible"))
"""The confidence word of a score alone (`Candidate.confidence`), best first; below the last, "unlikely"."""
NEAR_TIE = 0.01
"""Scores this close are as good: the candidate whose post is shown larger in the picture is listed first (`ranked`)."""
WHOLE_PREFERENCE = 1.5
"""Bits by which a region pair with the whole stored picture may be worse and still be the one reported."""
GUESS_MARGIN = 3.0
"""Bits by which a pair through a guessed window (`QueryHashes.guessed`: a square tile taken for a post's centre)
must be better than the post's other pairs to be the one reported: another explanation, the whole post shown
there say, comes first (its pixels are compared as such)."""

_WHOLE_BOX = (0.0, 0.0, 1.0, 1.0)
_SMALL_CODES = np.asarray([False] + [x1 - x0 <= SMALL_REGION for x0, _, x1, _ in STORED_REGIONS])
"""By window code (`regions.WINDOWS`): is it a small stored region?"""


def to_words(hashes: Sequence[bytes]) -> U64:
    """8-byte big-endian hashes -> (n,) uint64."""
    if any(len(h) != 8 for h in hashes):
        raise ValueError("64-bit hashes must be 8 bytes each")
    return np.frombuffer(b"".join(hashes), dtype=">u8").astype(np.uint64)


def popcount_xor(column: U64, value: int | np.uint64) -> npt.NDArray[np.uint8]:
    """Hamming distance from one 64-bit value to every entry of a column."""
    return np.bitwise_count(np.bitwise_xor(column, np.uint64(value)))


def score(distance: float, threshold: float) -> float:
    """The calibrated score of one distance (see the module docstring)."""
    return float(min(1.0, max(0.0, 1.0 - distance / (2.0 * threshold))))


@dataclass
class StoredHashes:
    """The hashes of many stored images, one array per hash, row i is image `ids[i]`."""

    ids: I64
    phash: U64
    dhash: U64
    phash_mirror: U64
    dhash_mirror: U64
    regions: U64
    """(n, len(STORED_REGIONS)) pHashes"""
    region_dhash: U64
    """(n, len(STORED_REGIONS)) dHashes"""
    region_mask: I64

    def __post_init__(self) -> None:
        n = len(self.ids)
        columns = (self.phash, self.dhash, self.phash_mirror, self.dhash_mirror, self.region_mask)
        shape = (n, len(STORED_REGIONS))
        if any(len(c) != n for c in columns) or self.regions.shape != shape or self.region_dhash.shape != shape:
            raise ValueError("every hash array needs one row per id")

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def empty(cls) -> StoredHashes:
        z = np.zeros(0, dtype=np.uint64)
        r = np.zeros((0, len(STORED_REGIONS)), np.uint64)
        return cls(np.zeros(0, np.int64), z, z, z, z, r, r.copy(), np.zeros(0, np.int64))

    @classmethod
    def from_rows(cls, rows: Sequence[tuple[int, ImageHashes]]) -> StoredHashes:
        """Build from (id, hashes) pairs."""
        if not rows:
            return cls.empty()
        regions = np.frombuffer(b"".join(h.regions for _, h in rows), dtype=">u8").astype(np.uint64)
        regions = regions.reshape(len(rows), 2, len(STORED_REGIONS))
        return cls(
            ids=np.array([i for i, _ in rows], dtype=np.int64),
            phash=to_words([h.phash for _, h in rows]),
            dhash=to_words([h.dhash for _, h in rows]),
            phash_mirror=to_words([h.phash_mirror for _, h in rows]),
            dhash_mirror=to_words([h.dhash_mirror for _, h in rows]),
            regions=np.ascontiguousarray(regions[:, 0]),
            region_dhash=np.ascontiguousarray(regions[:, 1]),
            region_mask=np.array([h.region_mask for _, h in rows], dtype=np.int64),
        )

    def concat(self, other: StoredHashes) -> StoredHashes:
        return StoredHashes(
            ids=np.concatenate([self.ids, other.ids]),
            phash=np.concatenate([self.phash, other.phash]),
            dhash=np.concatenate([self.dhash, other.dhash]),
            phash_mirror=np.concatenate([self.phash_mirror, other.phash_mirror]),
            dhash_mirror=np.concatenate([self.dhash_mirror, other.dhash_mirror]),
            regions=np.concatenate([self.regions, other.regions]),
            region_dhash=np.concatenate([self.region_dhash, other.region_dhash]),
            region_mask=np.concatenate([self.region_mask, other.region_mask]),
        )

    def select(self, keep: npt.NDArray[np.bool_]) -> StoredHashes:
        return StoredHashes(
            ids=self.ids[keep],
            phash=self.phash[keep],
            dhash=self.dhash[keep],
            phash_mirror=self.phash_mirror[keep],
            dhash_mirror=self.dhash_mirror[keep],
            regions=self.regions[keep],
            region_dhash=self.region_dhash[keep],
            region_mask=self.region_mask[keep],
        )


class MultiIndex:
    """Exact radius search over a plain array of 64-bit hashes: the region tables (`regions.WindowTables`)
    over entries 0 .. n - 1, each entry its own window. For tests and benchmarks; the search uses
    `regions.StoredWindows`."""

    def __init__(self, hashes: U64) -> None:
        self.hashes = np.ascontiguousarray(hashes, dtype=np.uint64)
        self.tables = WindowTables.build(np.arange(len(self.hashes), dtype=np.int64), self.hashes)

    def within(self, queries: U64, radius: int) -> tuple[I64, I64, npt.NDArray[np.uint8]]:
        """Every (query index, stored index, distance) with distance <= radius; pairs may repeat."""
        return self.tables.within(queries, radius, len(self.hashes), lambda w: self.hashes[w])


def _same_box(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    """Whether two boxes (fractions of their pictures) are one place, give or take 3 % of a side."""
    return all(abs(x - y) <= 0.03 for x, y in zip(a, b, strict=True))


def _flipped(box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """The same box in the picture flipped left to right."""
    x0, y0, x1, y1 = box
    return (round(1.0 - x1, 4), y0, round(1.0 - x0, 4), y1)


@dataclass(frozen=True)
class RegionMatch:
    """Which part of the stored image matched which part of the query (fractions x0, y0, x1, y1)."""

    image_box: tuple[float, float, float, float]
    query_box: tuple[float, float, float, float]
    distance: float
    """Mean of the two windows' pHash and dHash distances (bits of 64)."""
    proposal: bool = False
    """Matched on windows too small (or too stretched) to be evidence alone: scores below `MATCH_SCORE`
    until the pixels confirm it (`crops`)."""
    mirrored: bool = False
    """The query matched mirrored (`rank`'s second pass): `query_box` is where the match lies in the query as given,
    and the post's part at `image_box` is shown there flipped left to right."""

    def describe(self) -> str:
        """What the match means, e.g. "the post is shown inside the picture at 31 % of its width"."""
        q, i = self.query_box, self.image_box
        m = ", mirrored" if self.mirrored else ""
        if _same_box(q, _WHOLE_BOX) and _same_box(i, _WHOLE_BOX):
            return (
                f"the whole picture matches the whole post{m} by its windows, not as closely as a copy: "
                "an edited copy, or another picture much like it"
            )
        if i == _WHOLE_BOX and q != _WHOLE_BOX:
            shown = "shown mirrored" if self.mirrored else "shown"
            return f"the post is {shown} inside the picture at {round(100 * (q[2] - q[0]))} % of its width"
        if q == _WHOLE_BOX and i != _WHOLE_BOX:
            return f"the picture is a part of the post{m} ({round(100 * (i[2] - i[0]) * (i[3] - i[1]))} % of its area)"
        if _same_box(_flipped(q) if self.mirrored else q, i):
            # (nothing here saw an edit: a sibling picture, another seed of one prompt, matches a part this way too)
            return (
                f"the same part of the picture and of the post matches{m}, in the same place "
                f"({round(100 * (i[2] - i[0]) * (i[3] - i[1]))} % of the post), only that part found alike: "
                "an edited copy, or another picture much like it"
            )
        return f"a part of the picture matches a part of the post{m}"

    def as_mirrored(self) -> RegionMatch:
        """This match, found on the mirrored query, placed in the query as given and said to be mirrored."""
        return replace(self, query_box=_flipped(self.query_box), mirrored=True)

    def describe_part(self) -> str:
        """A part of the post shown in a window of the picture (`verify`'s check of it), e.g. "part of the post is
        shown inside the picture at 79 % of its width: 85 % of the post's height, the rest cut off"."""
        q, i = self.query_box, self.image_box
        kept_w, kept_h = i[2] - i[0], i[3] - i[1]
        kept = (
            f"{round(100 * kept_h)} % of the post's height"
            if kept_w >= 0.98
            else f"{round(100 * kept_w)} % of the post's width"
            if kept_h >= 0.98
            else f"{round(100 * kept_w * kept_h)} % of the post's area"
        )
        width = round(100 * (q[2] - q[0]))
        part = "part of the post, mirrored," if self.mirrored else "part of the post"
        return f"{part} is shown inside the picture at {width} % of its width: {kept}, the rest cut off"


@dataclass(frozen=True)
class Candidate:
    """One stored image the query may show, with the evidence."""

    id: int
    score: float
    kind: str
    """"whole", "flipped" or "region": the evidence that gave the score."""
    phash_distance: int
    """pHash distance of the whole images, in the orientation that matched best."""
    dhash_distance: int
    region: RegionMatch | None = None
    evidence: dict[str, float] = field(default_factory=dict)
    """Score of every kind that was looked at, e.g. {"whole": 0.31, "region": 0.67}."""
    pixel_check: float | None = None
    """Correlation of the matched windows' pixels (`verify`), when they were checked."""
    pixels_unconfirmed: bool = False
    """Its archived picture was compared (`verify`) and did not confirm it, nor refute it: the hashes' word alone."""
    explained_by: int | None = None
    """The image id of another candidate, scoring higher with its pixels confirmed, whose post is shown where this
    one's matched part of the picture lies (`verify.explain_overlaps`): a sibling picture sharing that part (one
    subject on two backgrounds) matches there too. Its confidence is then at most "possible"."""
    explains: ClassVar[bool] = True
    """Its post, confirmed, explains region matches where it is shown (`verify.explain_overlaps`): not so one found
    only once another post blended into the picture was taken out (`blends`), which is shown there too."""

    @property
    def reason(self) -> str:
        """Why it matches, in words: what the evidence that gave its score says it is."""
        if self.kind == "region" and self.region is not None:
            said = self.region.describe_part() if "part" in self.evidence else self.region.describe()
            if self.explained_by is not None:
                said += f"; image #{self.explained_by} is shown there and matches it better"
            return said
        mirrored = self.kind == "flipped"
        if self.score < MATCH_SCORE:
            return f"the whole picture{' mirrored' if mirrored else ''} is only faintly alike: below the threshold"
        if self.pixel_check is not None and self.pixel_check < PIXELS_AGREE:
            return (
                f"the whole picture looks alike{' mirrored' if mirrored else ''}, but may not be the same: "
                "an edited copy, or another picture much like it"
            )
        if mirrored:
            return "the whole picture matches mirrored: the same image, flipped left to right"
        return "the whole picture matches: the same image, resized, re-encoded, recoloured or lightly edited"

    @property
    def matched(self) -> list[str]:
        """Human-readable list: why it matches (`reason`, for a whole match), the hashes that matched (within
        their thresholds) and what the pixels said."""
        out = [self.reason] if self.kind in ("whole", "flipped") else []
        mirrored = " (mirrored)" if self.kind == "flipped" else ""
        if self.evidence.get("whole", 0) >= MATCH_SCORE or self.evidence.get("flipped", 0) >= MATCH_SCORE:
            out.append(f"pHash {self.phash_distance}/64{mirrored}")
            out.append(f"dHash {self.dhash_distance}/64{mirrored}")
        if self.region is not None and self.kind == "region" and self.evidence.get("region", 0) >= MATCH_SCORE:
            # (a whole match says nothing of a part: a re-saved post's windows agree too, and said so confusingly)
            said = "" if "part" in self.evidence else f": {self.reason}"  # (the pixels' line says which part)
            out.append(f"region pHash+dHash {self.region.distance:g}/64{said}")
        elif self.region is not None and self.kind == "region" and self.score < MATCH_SCORE:
            out.append(f"region pHash+dHash {self.region.distance:g}/64, below the threshold (perhaps {self.reason})")
        out.extend(self._pixels_said())
        return out

    def _pixels_said(self) -> list[str]:
        """What the pixel check (`verify`) said, in the words of the evidence it checked."""
        if self.pixel_check is not None and "crop" in self.evidence:
            there = "there, mirrored" if self.region is not None and self.region.mirrored else "there"
            said = f"every part of the picture matches the post's pixels {there} (correlation {self.pixel_check:.2f})"
            # Confirmed from a region below the threshold, no hashes' line said what the picture is: said here.
            unsaid = self.evidence.get("region", 0) < MATCH_SCORE <= self.score and self.region is not None
            return [f"{self.reason}: {said}" if unsaid else said]
        if self.pixel_check is not None and "part" in self.evidence and self.region is not None:
            return [f"{self.reason}; the pixels shown match the post's there (correlation {self.pixel_check:.2f})"]
        if self.pixel_check is not None and "inside" in self.evidence and self.region is not None:
            return [
                f"{self.region.describe()}: the post's pixels match the picture's there "
                f"(correlation {self.pixel_check:.2f})"
            ]
        agree = self.pixel_check is not None and self.pixel_check >= PIXELS_AGREE
        if self.pixel_check is not None and self.kind != "region":
            said = "agree" if agree else "only partly agree"
            return [f"the pixels of the whole picture {said} (correlation {self.pixel_check:.2f})"]
        if self.pixel_check is not None:
            said = "agree" if agree else "partly agree"
            return [f"pixels {said} where the hashes match (correlation {self.pixel_check:.2f})"]
        if self.kind == "region" and self.pixels_unconfirmed:
            return ["pixels compared, not confirmed: the hashes' word alone"]
        if self.kind == "region":
            return ["pixels not compared: the hashes' word alone"]
        return []

    @property
    def confidence(self) -> str:
        """How sure the match is, in a word: "certain", "high", "possible" or "unlikely".

        The word follows the score (`CONFIDENCE_BANDS`: certain from 0.85, high from 0.7, possible from
        `MATCH_SCORE`, else unlikely), then what the pixels (`verify`) said of it:
        - compared and agreeing closely (`PIXELS_SURE`) over the post as shown (the whole picture, the whole post,
          or at least `SURE_PART` of it): a step up, since the pixels say more than the hashes there;
        - a region match whose pixels were not compared (after the few best, or its archived picture gone) or did
          not confirm it: at most "high", the hashes' word alone (two small windows' hashes can agree by chance);
        - compared and only partly agreeing (below `PIXELS_AGREE`): at most "possible", whatever the hashes say;
        - its matched part lies where another candidate's post is shown and matches better (`explained_by`): at
          most "possible".
        Pixels agreeing over a small part of the post (a quarter) raise nothing: a sibling picture agrees there too.
        """
        if self.score < MATCH_SCORE:
            return "unlikely"
        words = [word for _, word in reversed(CONFIDENCE_BANDS)]  # possible, high, certain
        level = next(len(words) - 1 - n for n, (floor, _) in enumerate(CONFIDENCE_BANDS) if self.score >= floor)
        if self.pixel_check is not None and self.pixel_check >= PIXELS_SURE and self._pixels_saw_post():
            level += 1
        if self.kind == "region" and self.pixel_check is None:
            level = min(level, 1)
        if (self.pixel_check is not None and self.pixel_check < PIXELS_AGREE) or self.explained_by is not None:
            level = min(level, 0)
        return words[min(level, len(words) - 1)]

    def _pixels_saw_post(self) -> bool:
        """Did the pixel check compare the post as shown: the whole picture (a whole match, a crop), the whole post
        shown inside it, or at least `SURE_PART` of the post?"""
        if self.kind != "region" or self.region is None or "crop" in self.evidence or "inside" in self.evidence:
            return True
        x0, y0, x1, y1 = self.region.image_box
        return (x1 - x0) * (y1 - y0) >= SURE_PART

    @property
    def shown_area(self) -> float:
        """How much of the picture (of its area) shows this post by its evidence: all of it for a whole match or a
        crop, else the matched window of the picture."""
        if self.kind != "region" or self.region is None:
            return 1.0
        x0, y0, x1, y1 = self.region.query_box
        return (x1 - x0) * (y1 - y0)


def ranked(candidates: Sequence[Candidate]) -> list[Candidate]:
    """Best first: by score, ties by id; of scores within `NEAR_TIE` of the best left, the post shown larger first
    (the post a page is about before a sidebar thumbnail of another that scores a hair higher)."""
    left = sorted(candidates, key=lambda c: (-c.score, c.id))
    out: list[Candidate] = []
    while left:
        near = [c for c in left if c.score >= left[0].score - NEAR_TIE]
        pick = max(near, key=lambda c: c.shown_area)  # (the first of equal areas: the better score, the lower id)
        out.append(pick)
        left.remove(pick)
    return out


@dataclass(frozen=True)
class _RegionRows:
    """Every searchable window of every image: the whole image (code 0) and each textured region (i+1).

    Indexed by window id (`regions.WINDOWS` per row): `owners[w]` is its row, `codes[w]` its code,
    `dhash[w]` its dHash, all read from the stored rows.
    """

    index: StoredWindows
    dhash: WindowColumn
    owners: WindowColumn
    codes: WindowColumn


RegionTablesFor = Callable[[StoredHashes], WindowTables | None]
"""Gives saved region tables over the first `tables.rows` rows of these hashes, or None (`index.region_tables`)."""


class MatchIndex:
    """Search over `StoredHashes`; the region multi-index is made on first use.

    `saved_regions`, when given, supplies region tables saved for the first rows (the saved index);
    rows after those (added since) get tables made here, so a search never rebuilds all of them.
    """

    def __init__(self, stored: StoredHashes, saved_regions: RegionTablesFor | None = None) -> None:
        self.stored = stored
        self._saved_regions = saved_regions
        self._regions: _RegionRows | None = None

    def __len__(self) -> int:
        return len(self.stored)

    def _region_rows(self) -> _RegionRows:
        if self._regions is None:
            s = self.stored
            base = self._saved_regions(s) if self._saved_regions is not None else None
            tables = [base] if base is not None and base.rows <= len(s) else []
            covered = tables[0].rows if tables else 0
            if covered < len(s):
                tables.append(WindowTables.of_rows(s.phash, s.regions, s.region_mask, start_row=covered))
            windows = StoredWindows(s.phash, s.dhash, s.regions, s.region_dhash, tables)
            self._regions = _RegionRows(windows, windows.dhash, windows.owners, windows.codes)
        return self._regions

    def whole_distances(self, query: ImageHashes) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
        """Mean pHash/dHash distance of the query to every image, upright and mirrored."""
        s = self.stored
        qp, qd = from_bytes(query.phash), from_bytes(query.dhash)
        upright = popcount_xor(s.phash, qp).astype(np.float32) + popcount_xor(s.dhash, qd)
        mirrored = popcount_xor(s.phash_mirror, qp).astype(np.float32) + popcount_xor(s.dhash_mirror, qd)
        return upright * np.float32(0.5), mirrored * np.float32(0.5)

    def nearest_whole(self, query: ImageHashes, k: int) -> list[tuple[int, float]]:
        """The k images nearest to the query as a whole (upright or mirrored): [(id, mean distance)]."""
        if k <= 0 or not len(self.stored):
            return []
        upright, mirrored = self.whole_distances(query)
        best = np.minimum(upright, mirrored)
        k = min(k, len(best))
        part = np.argpartition(best, k - 1)[:k]
        order = part[np.lexsort((self.stored.ids[part], best[part]))]
        return [(int(self.stored.ids[i]), float(best[i])) for i in order]

    def _region_hits(self, query: QueryHashes, limit: float) -> dict[int, RegionMatch]:
        """Per image row, the best pair of windows whose mean pHash/dHash distance is <= limit."""
        rows = self._region_rows()
        # Candidate pairs come from the pHash multi-index; its radius is capped where its probe count explodes.
        radius = min(int(2 * limit), REGION_PHASH_RADIUS)
        narrow = np.zeros(len(query.window_hashes), bool) if query.narrow is None else query.narrow
        wide_at, narrow_at = np.flatnonzero(~narrow), np.flatnonzero(narrow)
        q_idx, s_idx, p_dist = rows.index.within(query.window_hashes[wide_at], radius)
        q_idx = wide_at[q_idx]
        if len(narrow_at):
            wide = len(self.stored) * WINDOWS <= NARROW_WIDE_UNTIL
            more = rows.index.within(
                query.window_hashes[narrow_at], min(radius, NARROW_RADIUS if wide else NARROW_RADIUS_LARGE)
            )
            q_idx = np.concatenate([q_idx, narrow_at[more[0]]])
            s_idx, p_dist = np.concatenate([s_idx, more[1]]), np.concatenate([p_dist, more[2]])
        # The whole query against the whole image is the "whole" evidence, not a region.
        codes = rows.codes[s_idx]
        keep = ~((q_idx == 0) & (codes == 0))
        q_idx, s_idx, p_dist, codes = q_idx[keep], s_idx[keep], p_dist[keep], codes[keep]
        d_dist = np.bitwise_count(rows.dhash[s_idx] ^ query.window_dhashes[q_idx])
        mean = (p_dist.astype(np.float32) + d_dist) / 2
        keep = mean <= limit
        q_idx, s_idx, mean, codes = q_idx[keep], s_idx[keep], mean[keep], codes[keep]
        if not len(mean):
            return {}
        owners = rows.owners[s_idx]
        proposal = _SMALL_CODES[codes] | narrow[q_idx]
        # A window matching the whole stored picture says more (the post is shown there) than one
        # matching a part of it: preferred while within the threshold, unless a part matches clearly better.
        # Pairs of small windows are proposals only: any other pair within the threshold comes first,
        # and otherwise the closest pair, proposal or not (the pixels may confirm it: `crops`).
        within = mean <= REGION_THRESHOLD
        whole = (codes == 0) & within
        rank = mean - np.where(whole, WHOLE_PREFERENCE, 0.0).astype(np.float32)
        guessed = np.zeros(len(q_idx), bool) if query.guessed is None else query.guessed[q_idx]
        rank -= np.where(within & ~proposal & ~guessed, 4 * REGION_THRESHOLD, 0.0).astype(np.float32)
        rank += np.where(guessed, GUESS_MARGIN, 0.0).astype(np.float32)
        order = np.lexsort((q_idx, s_idx, rank, owners))
        first = order[np.r_[True, owners[order][1:] != owners[order][:-1]]]
        hits = {}
        for i in first:
            code = int(rows.codes[s_idx[i]])
            image_box = _WHOLE_BOX if code == 0 else STORED_REGIONS[code - 1]
            x0, y0, x1, y1 = (round(float(v), 4) for v in query.windows[q_idx[i]])
            hits[int(owners[i])] = RegionMatch(image_box, (x0, y0, x1, y1), float(mean[i]), bool(proposal[i]))
        return hits

    def search(
        self, query: QueryHashes, top: int = 20, regions: bool = True, min_score: float = MATCH_SCORE
    ) -> list[Candidate]:
        """Candidates scoring at least `min_score`, best first (ties by id), at most `top`."""
        s = self.stored
        if not len(s) or top <= 0:
            return []
        upright, mirrored = self.whole_distances(query.whole)
        # A (nearly) blank picture hashes like every other blank picture: no whole-image evidence
        # for or against it.
        if query.whole.blank:
            upright[:] = mirrored[:] = 64.0
        else:
            blank = (s.region_mask >> WHOLE_BIT) & 1 == 0
            upright[blank] = mirrored[blank] = 64.0
        # Whole-image evidence is cheap for every image; keep those that could reach min_score.
        reach = 2.0 * WHOLE_THRESHOLD * (1.0 - min_score)
        rows = set(np.flatnonzero(np.minimum(upright, mirrored) <= reach).tolist())
        hits = self._region_hits(query, 2.0 * REGION_THRESHOLD * (1.0 - min_score)) if regions else {}
        rows.update(hits)
        qp, qd = from_bytes(query.whole.phash), from_bytes(query.whole.dhash)
        found = []
        for row in rows:
            flipped = mirrored[row] < upright[row]
            p_col, d_col = (s.phash_mirror, s.dhash_mirror) if flipped else (s.phash, s.dhash)
            evidence = {
                "whole": score(float(upright[row]), WHOLE_THRESHOLD),
                "flipped": score(float(mirrored[row]), WHOLE_THRESHOLD),
            }
            region = hits.get(row)
            if region is not None:
                evidence["region"] = score(region.distance, REGION_THRESHOLD)
                if region.proposal:
                    evidence["region"] = min(evidence["region"], PROPOSAL_SCORE)
            kind = max(evidence, key=lambda k: (evidence[k], k == "whole"))
            best = evidence[kind]
            if best < min_score:
                continue
            found.append(
                Candidate(
                    id=int(s.ids[row]),
                    score=round(best, 4),
                    kind=kind,
                    phash_distance=int((int(p_col[row]) ^ qp).bit_count()),
                    dhash_distance=int((int(d_col[row]) ^ qd).bit_count()),
                    region=region,
                    evidence={k: round(v, 4) for k, v in evidence.items()},
                )
            )
        return ranked(found)[:top]
