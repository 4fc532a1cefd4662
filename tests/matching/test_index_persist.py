"""Issue 19, item 4: the region tables are saved beside the whole-image index and mapped, not rebuilt.

Unit tests on small indexes (random hashes, no database): the tables saved and loaded answer
exactly as tables made fresh; tables made for some rows serve those rows once more rows are
appended (the tail gets its own tables); tables of other rows, another database, or damaged
are never used; and tables that are wrong in a way no check sees still never make a match.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import numpy as np
import pytest

from tracker.matching import regions, saved_regions
from tracker.matching.hashing import STORED_REGIONS
from tracker.matching.regions import WINDOWS, StoredWindows, WindowTables, window_ids, window_phashes
from tracker.matching.saved_regions import load_regions, region_tables, regions_path, save_regions
from tracker.matching.similarity import MatchIndex, StoredHashes

R = len(STORED_REGIONS)
DB = "database-one"


def random_stored(n: int, seed: int = 7, first_id: int = 1) -> StoredHashes:
    rng = np.random.default_rng(seed)

    def col(*shape: int) -> np.ndarray:
        return rng.integers(0, 2**64, size=shape, dtype=np.uint64)

    masks = rng.integers(0, 1 << R, size=n, dtype=np.int64) | (1 << 18)
    return StoredHashes(
        ids=np.arange(first_id, first_id + n, dtype=np.int64),
        phash=col(n),
        dhash=col(n),
        phash_mirror=col(n),
        dhash_mirror=col(n),
        regions=col(n, R),
        region_dhash=col(n, R),
        region_mask=masks,
    )


def near(stored: StoredHashes, rng: np.random.Generator, count: int = 60) -> np.ndarray:
    """Window pHashes of the stored rows with up to 11 bits flipped, and some random hashes."""
    windows = window_ids(stored.region_mask)
    picks = rng.choice(windows, size=count)
    queries = window_phashes(stored.phash, stored.regions, picks)
    for i in range(count):
        for bit in rng.choice(64, size=int(rng.integers(0, 12)), replace=False):
            queries[i] ^= np.uint64(1 << int(bit))
    return np.concatenate([queries, rng.integers(0, 2**64, size=20, dtype=np.uint64)])


def brute_force(stored: StoredHashes, queries: np.ndarray, radius: int) -> set[tuple[int, int]]:
    windows = window_ids(stored.region_mask)
    hashes = window_phashes(stored.phash, stored.regions, windows)
    q, w = np.nonzero(np.bitwise_count(queries[:, None] ^ hashes[None, :]) <= radius)
    return {(int(a), int(windows[b])) for a, b in zip(q, w, strict=True)}


def found(stored: StoredHashes, tables: list[WindowTables], queries: np.ndarray, radius: int = 11) -> set:
    rows = StoredWindows(stored.phash, stored.dhash, stored.regions, stored.region_dhash, tables)
    q_idx, windows, _ = rows.within(queries, radius)
    return set(zip(q_idx.tolist(), windows.tolist(), strict=True))


@pytest.fixture
def stored() -> StoredHashes:
    return random_stored(300)


@pytest.mark.parametrize("radius", [7, 11])
def test_query_windows_hashing_alike_are_searched_once_and_each_gets_its_pairs(
    stored: StoredHashes, monkeypatch: pytest.MonkeyPatch, radius: int
) -> None:
    """Neighbouring windows of a plain part of a complaint image often have one pHash (a fifth of an unrelated
    picture's dense windows): the tables are probed once per distinct pHash, and every window gets the pairs."""
    some = near(stored, np.random.default_rng(5))
    queries = np.concatenate([some, some[::3], some[:7]])  # repeated, out of order
    tables = [WindowTables.of_rows(stored.phash, stored.regions, stored.region_mask)]
    probed: list[int] = []
    probe = WindowTables.within

    def counted(self: WindowTables, values: np.ndarray, *args: object) -> object:
        probed.append(len(values))
        return probe(self, values, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(WindowTables, "within", counted)
    assert found(stored, tables, queries, radius) == brute_force(stored, queries, radius)
    assert probed == [len(np.unique(queries))]


@pytest.mark.parametrize("radius", [7, 11])
@pytest.mark.parametrize("chunks", [8, 4, 3], ids=["eight 8-bit chunks", "four 16-bit chunks", "three 21-bit chunks"])
def test_saved_tables_answer_exactly_as_fresh_ones(
    stored: StoredHashes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunks: int, radius: int
) -> None:
    if chunks == 3:
        monkeypatch.setattr(regions, "LARGE_FROM", 0)  # the layout of a million images, on a few hundred
    if chunks == 8:
        monkeypatch.setattr(regions, "SMALL_FROM", 10**9)  # the layout of a few candidates, on a few hundred
    path = regions_path(tmp_path / "t.hashindex.npz")
    tables = WindowTables.of_rows(stored.phash, stored.regions, stored.region_mask)
    assert save_regions(path, tables, stored, DB)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    loaded = load_regions(path, stored, DB)
    assert loaded is not None and loaded.rows == len(stored) and len(loaded) == len(tables)
    assert len(loaded.layout) == chunks
    queries = near(stored, np.random.default_rng(1))
    expected = brute_force(stored, queries, radius)
    assert len(expected) >= (60 if radius == 11 else 20)
    assert found(stored, [loaded], queries, radius) == expected == found(stored, [tables], queries, radius)


def test_rows_appended_after_the_save_are_searched_through_their_own_tables(
    stored: StoredHashes, tmp_path: Path
) -> None:
    """`log`/`import` append rows: the saved tables keep serving the first rows, the tail gets tables of its own."""
    first = stored.select(np.arange(len(stored)) < 200)
    path = tmp_path / "t.hashindex.npz"
    save_regions(regions_path(path), WindowTables.of_rows(first.phash, first.regions, first.region_mask), first, DB)

    loaded = load_regions(regions_path(path), stored, DB)  # all 300 rows now: the first 200 are the saved ones
    assert loaded is not None and loaded.rows == 200
    made: list[WindowTables | None] = []

    def saved(rows: StoredHashes) -> WindowTables | None:
        made.append(load_regions(regions_path(path), rows, DB))
        return made[-1]

    index = MatchIndex(stored, saved)
    windows = index._region_rows().index
    assert [t.rows for t in windows.tables] == [200, 300]  # saved tables, then the tail's
    queries = near(stored, np.random.default_rng(2))
    assert found(stored, windows.tables, queries) == brute_force(stored, queries, 11)
    assert made[0] is not None


def test_region_tables_are_made_and_saved_once_then_loaded(
    stored: StoredHashes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index_file = tmp_path / "t.hashindex.npz"
    index_file.write_bytes(b"the whole-image index")
    stamp = saved_regions.file_stamp(index_file)
    first = region_tables(index_file, DB, stamp)(stored)
    assert first is not None and regions_path(index_file).is_file()

    def no_build(*args: object) -> WindowTables:
        raise AssertionError("the saved tables should have been used")

    with monkeypatch.context() as patch:
        patch.setattr(WindowTables, "of_rows", no_build)
        again = region_tables(index_file, DB, stamp)(stored)
    assert again is not None and again.rows == len(stored)

    more = stored.concat(random_stored(5, seed=9, first_id=len(stored) + 1))
    monkeypatch.setattr(saved_regions, "TAIL_ROWS", 4)  # 5 new rows are too many to leave to each search
    rebuilt = region_tables(index_file, DB, stamp)(more)
    assert rebuilt is not None and rebuilt.rows == len(more)
    assert load_regions(regions_path(index_file), more, DB) is not None


def test_tables_are_not_saved_over_an_index_replaced_meanwhile(stored: StoredHashes, tmp_path: Path) -> None:
    """A scrub removed the whole-image index after these rows were read: their tables must not be saved."""
    index_file = tmp_path / "t.hashindex.npz"
    index_file.write_bytes(b"before the scrub")
    stamp = saved_regions.file_stamp(index_file)
    index_file.unlink()
    assert region_tables(index_file, DB, stamp)(stored) is not None  # the search still gets its tables ...
    assert not regions_path(index_file).exists()  # ... but nothing of the old rows is written


def _saved(stored: StoredHashes, tmp_path: Path) -> Path:
    path = regions_path(tmp_path / "t.hashindex.npz")
    save_regions(path, WindowTables.of_rows(stored.phash, stored.regions, stored.region_mask), stored, DB)
    return path


def test_tables_of_other_rows_or_another_database_are_not_used(stored: StoredHashes, tmp_path: Path) -> None:
    path = _saved(stored, tmp_path)
    assert load_regions(path, stored, "database-two") is None
    rehashed = stored.select(np.ones(len(stored), dtype=bool))
    rehashed.regions = rehashed.regions.copy()
    rehashed.regions[17, 3] ^= np.uint64(1)  # one region hash of one row changed (re-hashed, say)
    assert load_regions(path, rehashed, DB) is None
    fewer = stored.select(np.arange(len(stored)) != 5)  # a row deleted
    assert load_regions(path, fewer, DB) is None
    assert load_regions(path, stored.select(np.arange(len(stored)) < 100), DB) is None  # fewer rows than saved


@pytest.mark.parametrize(
    "damage",
    ["truncated", "one more byte", "bit flip in the data", "bit flip in the header", "empty", "random", "other file"],
)
def test_damaged_tables_are_not_used(stored: StoredHashes, tmp_path: Path, damage: str) -> None:
    path = _saved(stored, tmp_path)
    data = path.read_bytes()
    header_end = data.index(b"}") + 1
    changed = {
        "truncated": data[:-1],
        "one more byte": data + b"\0",
        "bit flip in the data": data[:-5000] + bytes([data[-5000] ^ 4]) + data[-4999:],
        "bit flip in the header": data[:30] + bytes([data[30] ^ 1]) + data[31:],
        "empty": b"",
        "random": os.urandom(len(data)),
        "other file": b"TRACKER-HASH-INDEX\n" + data[header_end:],
    }[damage]
    path.write_bytes(changed)
    assert load_regions(path, stored, DB) is None


def test_a_folder_or_fifo_in_place_of_the_tables_is_not_read(stored: StoredHashes, tmp_path: Path) -> None:
    path = regions_path(tmp_path / "t.hashindex.npz")
    os.mkfifo(path)
    assert load_regions(path, stored, DB) is None  # no hang on the FIFO
    path.unlink()
    path.mkdir()
    assert load_regions(path, stored, DB) is None


def test_wrong_tables_never_make_a_match(stored: StoredHashes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Big tables are not checksummed on every load; entries pointing at the wrong window are still never returned."""
    monkeypatch.setattr(saved_regions, "FULL_CHECK_BYTES", 0)
    path = _saved(stored, tmp_path)
    tables = load_regions(path, stored, DB)
    assert tables is not None
    rng = np.random.default_rng(3)
    wrong = WindowTables(
        [rng.permutation(np.asarray(o)) for o in tables.orders],  # every entry names a random window
        [np.asarray(h) for h in tables.hashes],
        [np.asarray(o) for o in tables.offsets],
        rows=tables.rows,
    )
    queries = near(stored, rng)
    truth = brute_force(stored, queries, 11)
    assert found(stored, [wrong], queries) <= truth  # may lose matches, never invents one
    out_of_range = WindowTables(
        [np.full(len(tables), len(stored) * WINDOWS + 7, dtype=np.int64) for _ in tables.orders],
        [np.asarray(h) for h in tables.hashes],
        [np.asarray(o) for o in tables.offsets],
        rows=tables.rows,
    )
    assert found(stored, [out_of_range], queries) == set()  # no index error either


def test_the_scrub_and_the_restore_remove_the_region_tables_too(tmp_path: Path) -> None:
    """The files both remove (`Settings.saved_index_files`) include the region tables beside the index."""
    from tracker.support.settings import load_settings

    settings = load_settings(data_dir=str(tmp_path), env={})
    settings.index_path.parent.mkdir(parents=True, exist_ok=True)
    regions_path(settings.index_path).write_bytes(b"tables")
    assert regions_path(settings.index_path) in settings.saved_index_files()
