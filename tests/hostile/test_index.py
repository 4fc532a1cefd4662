"""Issue 18, case 9: a damaged, hostile or foreign saved similarity index is only ever rebuilt.

The same holds for the region tables saved beside it (issue 19, `<index>.regions`).

The index file is a cache. Truncated, bit-flipped, padded, replaced by a FIFO, a device, a folder,
an old `.npz` (a zip bomb included), a header that lies about its size, or a whole file copied from
another database: `tracker match` answers exactly as with a fresh index, never with an internal
error (exit 70), a hang or a multi-gigabyte read, and leaves a good index behind.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import struct
import zipfile
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing
from fixtures.hangs import deadline
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.cli import AppContext
from tracker.matching import hashing
from tracker.matching import index as index_module
from tracker.matching.index import MAGIC, ROW_BYTES, SPARE_ROWS, load_saved, save
from tracker.matching.regions import WindowTables
from tracker.matching.saved_regions import regions_path, save_regions
from tracker.matching.similarity import StoredHashes
from tracker.matching.stored import DatabaseHashes

pytestmark = pytest.mark.db

SCENES = 4
HANG = 30
"""Seconds after which a command counts as hung (the issue's acceptance)."""


def no_hang(seconds: int = HANG) -> AbstractContextManager[None]:
    """Fail instead of hanging (the issue's 30 s)."""
    return deadline(seconds)


def identity() -> str:
    """The identity of the test's database, as `tracker match` computes it."""
    context = AppContext(db=None, data_dir=None)
    try:
        with context.sessions()() as session:
            return DatabaseHashes(session).identity()
    finally:
        context.close()


def index_path() -> Path:
    context = AppContext(db=None, data_dir=None)
    return context.settings.index_path


def header_of(path: Path) -> dict[str, Any]:
    data = path.read_bytes()
    assert data.startswith(MAGIC)
    (length,) = struct.unpack(">I", data[len(MAGIC) : len(MAGIC) + 4])
    return dict(json.loads(data[len(MAGIC) + 4 : len(MAGIC) + 4 + length]))


class Scene:
    """A database with SCENES logged drawings, the answer `tracker match` gives for a query, and its index."""

    def __init__(self, tracker: Tracker, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.tracker = tracker
        self.files = []
        for n in range(SCENES):
            path = folder / f"scene{n}.png"
            drawing(n).save(path)
            tracker("log", path, "--url", f"https://www.pixiv.net/artworks/{300000001 + n}", "--persona", "moth")
            self.files.append(path)
        self.query = folder / "crop.png"
        w, h = drawing(2).size
        drawing(2).crop((w // 4, h // 4, 3 * w // 4, 3 * h // 4)).save(self.query)
        self.expected = self.match()
        self.index = index_path()
        self.pristine = self.index.read_bytes()
        self.regions = regions_path(self.index)
        self.pristine_regions = self.regions.read_bytes()

    def match(self) -> list[dict[str, Any]]:
        """`tracker match --json` on the query: never an internal error, never a hang."""
        with no_hang():
            result = self.tracker("match", self.query, "--json", ok=False)
        assert result.exit_code == 0, result.output
        return list(json.loads(result.stdout))

    def answers_and_heals(self) -> None:
        """The match answers as with a fresh index, and the index saved again is byte for byte a fresh one."""
        assert self.match() == self.expected
        saved = load_saved(self.index, identity())
        assert saved is not None and saved.ids.tolist() == list(range(1, SCENES + 1))
        assert self.index.read_bytes() == self.pristine  # no damaged row was kept
        assert self.regions.read_bytes() == self.pristine_regions  # nor any damaged region table


@pytest.fixture
def scene(tracker: Tracker, tmp_path: Path) -> Scene:
    made = Scene(tracker, tmp_path / "posted")
    assert [r["image_id"] for r in made.expected] == [3] and made.expected[0]["kind"] == "region"
    return made


# ---------------------------------------------------------------------------- random damage (Hypothesis)


def _truncate(data: bytes, at: int, _: bytes) -> bytes:
    return data[: at % (len(data) + 1)]


def _flip(data: bytes, at: int, extra: bytes) -> bytes:
    if not data:
        return data
    i = at % len(data)
    return data[:i] + bytes([data[i] ^ (1 << (extra[0] % 8) if extra else 1)]) + data[i + 1 :]


def _insert(data: bytes, at: int, extra: bytes) -> bytes:
    i = at % (len(data) + 1)
    return data[:i] + extra + data[i:]


def _overwrite(data: bytes, at: int, extra: bytes) -> bytes:
    i = at % (len(data) + 1)
    return data[:i] + extra + data[i + len(extra) :]


MUTATIONS: dict[str, Callable[[bytes, int, bytes], bytes]] = {
    "truncate": _truncate,
    "flip": _flip,
    "insert": _insert,
    "overwrite": _overwrite,
}

damage = st.lists(
    st.tuples(st.sampled_from(sorted(MUTATIONS)), st.integers(0, 2**20), st.binary(min_size=1, max_size=16)),
    min_size=1,
    max_size=3,
)
"""Up to three truncations, bit flips, insertions or overwrites, anywhere (header or rows)."""


def damaged(scene: Scene, changes: list[tuple[str, int, bytes]]) -> None:
    data = scene.pristine
    for kind, at, extra in changes:
        data = MUTATIONS[kind](data, at, extra)
    scene.index.write_bytes(data)
    scene.answers_and_heals()


@pytest.mark.sqlite_only  # the file logic is the same on PostgreSQL; one backend keeps the suite fast
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=damage)
def test_a_randomly_damaged_index_is_rebuilt_and_the_answer_is_the_same(
    scene: Scene, changes: list[tuple[str, int, bytes]]
) -> None:
    damaged(scene, changes)


@pytest.mark.slow
@pytest.mark.sqlite_only
@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=damage)
def test_many_randomly_damaged_indexes_are_rebuilt(scene: Scene, changes: list[tuple[str, int, bytes]]) -> None:
    damaged(scene, changes)


@pytest.mark.sqlite_only
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=damage)
def test_randomly_damaged_region_tables_are_rebuilt_and_the_answer_is_the_same(
    scene: Scene, changes: list[tuple[str, int, bytes]]
) -> None:
    data = scene.pristine_regions
    for kind, at, extra in changes:
        data = MUTATIONS[kind](data, at, extra)
    scene.regions.write_bytes(data)
    scene.answers_and_heals()


@pytest.mark.sqlite_only  # special files beside the SQLite database
@pytest.mark.parametrize("kind", ["empty", "whole-image index", "fifo", "folder", "other rows"])
def test_region_tables_that_cannot_be_used_are_rebuilt(scene: Scene, kind: str) -> None:
    scene.regions.unlink()
    if kind == "empty":
        scene.regions.write_bytes(b"")
    elif kind == "whole-image index":
        scene.regions.write_bytes(scene.pristine)
    elif kind == "fifo":
        os.mkfifo(scene.regions)
    elif kind == "folder":
        scene.regions.mkdir()
    else:  # the tables of a database with other images under the same ids
        rows = StoredHashes.from_rows([(i, hashing.image_hashes(drawing(40 + i))) for i in range(1, SCENES + 1)])
        save_regions(scene.regions, WindowTables.of_rows(rows.phash, rows.regions, rows.region_mask), rows, identity())
    if kind == "folder":
        assert scene.match() == scene.expected  # answered; the folder stays, nothing is saved over it
        assert scene.regions.is_dir()
    else:
        scene.answers_and_heals()


# ---------------------------------------------------------------------------- crafted files


def _header(**fields: Any) -> bytes:
    body = json.dumps(fields, sort_keys=True).encode()
    return MAGIC + struct.pack(">I", len(body)) + body


def _good_header(scene: Scene) -> dict[str, Any]:
    return header_of(scene.index)


def _npz_bomb() -> bytes:
    """An old-format index whose `ids` member inflates from a few kB to 64 MiB (claims 4 GiB in its header)."""
    out = io.BytesIO()
    npy_header = b"{'descr': '<i8', 'fortran_order': False, 'shape': (536870912,), }"
    npy_header += b" " * (118 - len(npy_header)) + b"\n"
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("ids.npy", "w", force_zip64=True) as member:
            member.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(npy_header)) + npy_header)
            zeros = bytes(2**20)
            for _ in range(64):
                member.write(zeros)
    return out.getvalue()


CRAFTED: dict[str, Callable[[Scene], bytes]] = {
    "empty": lambda s: b"",
    "magic only": lambda s: MAGIC,
    "header length 4 GiB": lambda s: MAGIC + b"\xff\xff\xff\xff" + b"{}",
    "header not JSON": lambda s: MAGIC + struct.pack(">I", 5) + b"{{{{{",
    "header nested deeply": lambda s: MAGIC + struct.pack(">I", 4000) + b"[" * 2000 + b"]" * 2000,
    "header a list": lambda s: _header_bytes([1, 2, 3]),
    "rows claimed 10^12": lambda s: _header(**{**_good_header(s), "rows": 10**12}) + b"\0" * 64,
    "rows negative": lambda s: _header(**{**_good_header(s), "rows": -1}),
    "rows a bool": lambda s: _header(**{**_good_header(s), "rows": True}) + b"\0" * ROW_BYTES,
    "rows a float": lambda s: _header(**{**_good_header(s), "rows": 4.0}) + s.pristine[-4 * ROW_BYTES :],
    "rows NaN": lambda s: _header_bytes({**_good_header(s), "rows": float("nan")}),
    "older format": lambda s: _header(**{**_good_header(s), "format": 1}) + s.pristine[-4 * ROW_BYTES :],
    "other hash version": lambda s: (
        _header(**{**_good_header(s), "hash_version": hashing.HASH_VERSION + 1}) + s.pristine[-4 * ROW_BYTES :]
    ),
    "other region layout": lambda s: _header(**{**_good_header(s), "regions": 3}) + s.pristine[-4 * ROW_BYTES :],
    "extra field": lambda s: _header(**{**_good_header(s), "x": 1}) + s.pristine[-4 * ROW_BYTES :],
    "trailing byte": lambda s: s.pristine + b"\0",
    "rows doubled": lambda s: s.pristine + s.pristine[-4 * ROW_BYTES :],
    "old npz": lambda s: _old_npz(),
    "npz bomb": lambda s: _npz_bomb(),
    "random": lambda s: os.urandom(len(s.pristine)),
}


def _header_bytes(value: Any) -> bytes:
    body = json.dumps(value).encode()
    return MAGIC + struct.pack(">I", len(body)) + body


def _old_npz() -> bytes:
    out = io.BytesIO()
    np.savez(out, format=np.array([1, 4, 4, 10, hashing.HASH_VERSION]), ids=np.arange(1, 5))
    return out.getvalue()


@pytest.mark.parametrize("name", sorted(CRAFTED))
def test_a_crafted_index_file_is_rebuilt(scene: Scene, name: str) -> None:
    scene.index.write_bytes(CRAFTED[name](scene))
    scene.answers_and_heals()


def test_rows_that_cannot_be_an_index_are_not_loaded(scene: Scene) -> None:
    """A file with a correct header and checksum is still refused when its rows are impossible."""
    saved = load_saved(scene.index, identity())
    assert saved is not None
    backwards = saved.select(np.ones(len(saved), dtype=bool))
    backwards.ids = backwards.ids[::-1].copy()  # ids out of order
    save(scene.index, backwards, identity())
    assert load_saved(scene.index, identity()) is None
    scene.answers_and_heals()

    rows = 2 * SCENES + SPARE_ROWS + 1  # more than this database could explain
    many = StoredHashes.from_rows([(i, hashing.image_hashes(drawing(0))) for i in range(1, 2)])
    many = many.select(np.zeros(rows, dtype=np.int64))
    many.ids = np.arange(1, rows + 1, dtype=np.int64)
    save(scene.index, many, identity())
    assert load_saved(scene.index, identity()) is not None  # a well-formed file ...
    assert load_saved(scene.index, identity(), max_rows=2 * SCENES + SPARE_ROWS) is None  # ... too big for it
    scene.answers_and_heals()


def test_forged_rows_that_pass_every_check_still_never_report_a_wrong_post(
    scene: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A big index is not checked in full on each search (`index.REGION_CHECK_BYTES`, a sample of rows):
    rows that pass every check, image 1 holding image 3's hashes here, can hide a match but never
    make image 1 one, since each candidate is searched again over its rows as the database holds them."""
    query = scene.files[2]  # image 3's own file: matched whole, never pixel-checked
    expected = json.loads(scene.tracker("match", query, "--json").stdout)
    assert [r["image_id"] for r in expected] == [3]
    monkeypatch.setattr(index_module, "_same_rows", lambda source, saved: True)  # the sample missed row 1
    saved = load_saved(scene.index, identity())
    assert saved is not None
    forged = saved.select(np.ones(len(saved), dtype=bool))
    for name in ("phash", "dhash", "phash_mirror", "dhash_mirror", "regions", "region_dhash", "region_mask"):
        column = getattr(forged, name).copy()
        column[0] = column[2]
        setattr(forged, name, column)
    save(scene.index, forged, identity())  # checksums that hold
    scene.regions.unlink()  # made again from the forged rows
    assert json.loads(scene.tracker("match", query, "--json").stdout) == expected


@pytest.mark.sqlite_only  # special files beside the SQLite database
@pytest.mark.parametrize("kind", ["fifo", "device", "folder", "dangling link"])
def test_an_index_that_is_not_a_regular_file_neither_hangs_nor_fails(scene: Scene, kind: str) -> None:
    scene.index.unlink()
    if kind == "fifo":
        os.mkfifo(scene.index)
    elif kind == "device":
        scene.index.symlink_to("/dev/zero")
    elif kind == "folder":
        scene.index.mkdir()
        (scene.index / "x").write_bytes(b"x")
    else:
        scene.index.symlink_to(scene.index.with_name("nowhere"))
    if kind == "folder":
        assert scene.match() == scene.expected  # answered; the folder stays, nothing is saved over it
        assert scene.index.is_dir()
    elif kind == "device":
        assert scene.match() == scene.expected  # answered without reading /dev/zero
        scene.answers_and_heals()
    else:
        scene.answers_and_heals()


# ---------------------------------------------------------------------------- another database's index


@pytest.mark.sqlite_only  # two SQLite databases side by side
def test_an_index_copied_from_another_database_is_not_used(
    scene: Scene, tracker: Tracker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ours = identity()
    # Another database with the very same rows (same files, same order, same ids and hashes):
    # only the identity in the header tells the two indexes apart.
    monkeypatch.setenv("TRACKER_DATA_DIR", str(tmp_path / "other"))
    other_scene = Scene(tracker, tmp_path / "other-posted")
    theirs = identity()
    assert theirs != ours and header_of(other_scene.index)["database"] == theirs
    monkeypatch.setenv("TRACKER_DATA_DIR", str(tmp_path / "data"))

    shutil.copyfile(other_scene.index, scene.index)
    assert load_saved(scene.index, ours) is None  # not ours ...
    scene.answers_and_heals()
    assert header_of(scene.index)["database"] == ours  # ... so rebuilt for this database

    # And a different database's index under our ids (the user started again beside the old file).
    for leftover in scene.index.parent.glob("tracker.db*"):
        if not leftover.name.endswith((".npz", ".lock")):
            leftover.unlink()
    for n in range(SCENES):
        fresh = tmp_path / f"fresh{n}.png"
        drawing(40 + n).save(fresh)
        tracker("log", fresh, "--url", f"https://www.pixiv.net/artworks/{310000001 + n}", "--persona", "moth")
    assert load_saved(scene.index, identity()) is None
    assert scene.match() == []  # the crop of an image this database never had
    assert header_of(scene.index)["database"] == identity()
