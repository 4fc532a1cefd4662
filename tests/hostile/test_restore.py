"""Issue 18, cases 1-5: `tracker restore` loses nothing, races safely, and refuses damaged or hostile backups.

1. `--force` keeps the old database with the changes still in its WAL;
2. a second restore is refused while one runs, and two restores in one second keep both old copies;
3. a truncated backup, an empty database, a manifest that does not match the members: one-line errors;
4. a sparse member, or sizes larger than the file, are refused before a byte is written;
5. a database with a schema of its own, or archive paths leading outside the archive, is refused.
Last, a Hypothesis property: truncations, bit flips and inserted bytes of a real backup never end in
an internal error, a traceback or a hang, and a refused restore leaves the existing data untouched.
Every refusal here is a one-line error (exit 2) and leaves the existing database as it was.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from alembic import command
from click.testing import Result
from fixtures.common import REPO, Tracker
from fixtures.hangs import deadline
from fixtures.imagefactory import pixels
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.archive import restore as restoring
from tracker.db import WRITE_OPTION
from tracker.db.engine import create_db_engine
from tracker.db.migrate import alembic_config
from tracker.support.settings import Settings
from tracker.support.testhooks import STOP_ENV

pytestmark = pytest.mark.sqlite_only


# ---------------------------------------------------------------------------- helpers


def log_images(tracker: Tracker, data: Path, images: Path, seeds: list[int], persona: str) -> None:
    images.mkdir(parents=True, exist_ok=True)
    for seed in seeds:
        path = images / f"i{seed}.png"
        pixels((48, 40), seed=seed).save(path)
        url = f"https://www.pixiv.net/artworks/{800000000 + seed}"
        tracker("--data-dir", data, "log", path, "--url", url, "--persona", persona)


def personas(database: Path) -> list[str]:
    conn = sqlite3.connect(database)
    try:
        return sorted(name for (name,) in conn.execute("select name from persona"))
    finally:
        conn.close()


def snapshot(data: Path) -> dict[str, str]:
    """Every file under the data folder (lock files aside) with the sha256 of its bytes."""
    return {
        str(p.relative_to(data)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(data.rglob("*"))
        if p.is_file() and not p.name.endswith(".lock")
    }


def refused(result: Result, *words: str) -> None:
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


def unpack(backup: Path) -> tuple[dict[str, object], dict[str, bytes]]:
    with tarfile.open(backup) as tar:
        found = {m.name: (tar.extractfile(m) or io.BytesIO()).read() for m in tar if m.isfile()}
    return json.loads(found.pop("manifest.json")), found


def pack(path: Path, manifest: dict[str, object], members: dict[str, bytes], fix: bool = True) -> Path:
    """Write a backup; `fix` makes the manifest match the members (sizes and the database's sha256)."""
    if fix:
        database = members["tracker.db"]
        manifest = {
            **manifest,
            "database_bytes": len(database),
            "database_sha256": hashlib.sha256(database).hexdigest(),
            "archive": {n.removeprefix("archive/"): len(b) for n, b in members.items() if n.startswith("archive/")},
        }
    with tarfile.open(path, "w") as tar:
        for name, content in {"manifest.json": json.dumps(manifest).encode(), **members}.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    return path


def with_database(backup: Path, out: Path, change: Callable[[sqlite3.Connection], None]) -> Path:
    """The same backup, its database changed by `change` (and the manifest made to match)."""
    manifest, members = unpack(backup)
    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "t.db"
        database.write_bytes(members["tracker.db"])
        conn = sqlite3.connect(database)
        change(conn)
        conn.commit()
        conn.close()
        members["tracker.db"] = database.read_bytes()
    return pack(out, manifest, members)


@dataclass
class World:
    """A data folder with two posts (copied for each test), and a backup of another with three."""

    existing: Path
    backup: Path


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    root = tmp_path_factory.mktemp("world")
    tracker = Tracker()
    log_images(tracker, root / "existing", root / "images", [1, 2], "moth")
    log_images(tracker, root / "source", root / "images", [2, 3, 4], "ink")
    tracker("--data-dir", root / "source", "backup", root / "b.tar")
    return World(root / "existing", root / "b.tar")


@pytest.fixture
def data(world: World, tmp_path: Path) -> Path:
    copy = tmp_path / "existing"
    shutil.copytree(world.existing, copy)
    return copy


def assert_refused_untouched(tracker: Tracker, data: Path, backup: Path, *words: str) -> None:
    """Refused with --force, and without it with the same line: the backup's own fault, never "restore over it
    with --force" (which would not restore it either)."""
    before = snapshot(data)
    forced = tracker("--data-dir", data, "restore", backup, "--force", ok=False)
    refused(forced, *words)
    assert tracker("--data-dir", data, "restore", backup, ok=False).stderr == forced.stderr
    assert snapshot(data) == before
    assert personas(data / "tracker.db") == ["moth"]


# ---------------------------------------------------------------------------- 1. the WAL


def test_force_keeps_the_changes_still_in_the_old_databases_wal(tracker: Tracker, world: World, tmp_path: Path) -> None:
    """The old database had committed changes only in its WAL (a killed process): the kept copy has them."""
    data = tmp_path / "crashed"
    shutil.copytree(world.existing, data)
    conn = sqlite3.connect(data / "tracker.db")
    conn.execute("pragma wal_autocheckpoint=0")
    conn.execute("insert into persona (name, created_at) values ('only-in-the-wal', '2025-01-01 00:00:00')")
    conn.commit()
    snapshot_dir = tmp_path / "as-left"  # the files as a killed process leaves them
    shutil.copytree(data, snapshot_dir)
    conn.close()
    main_file_only = sqlite3.connect((snapshot_dir / "tracker.db").as_uri() + "?immutable=1", uri=True)
    assert main_file_only.execute("select name from persona").fetchall() == [("moth",)]  # the change is in the WAL
    main_file_only.close()

    result = tracker("--data-dir", snapshot_dir, "restore", world.backup, "--force")
    assert "kept as" in result.stdout
    (kept,) = snapshot_dir.glob("tracker.db.old-*")
    assert personas(kept) == ["moth", "only-in-the-wal"]
    assert not (snapshot_dir / "tracker.db-wal").exists()  # nothing of the old one left to replay
    assert personas(snapshot_dir / "tracker.db") == ["ink"]


def test_restore_is_refused_while_another_process_has_the_database_open(
    tracker: Tracker, world: World, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(restoring, "HOLD_TIMEOUT", 0.2)
    reader = sqlite3.connect(data / "tracker.db")
    reader.execute("select count(*) from post").fetchall()
    try:
        before = snapshot(data)
        refused(tracker("--data-dir", data, "restore", world.backup, "--force", ok=False), "open in another")
        assert snapshot(data) == before
        assert not list(data.glob("*.old-*"))
    finally:
        reader.close()


# ---------------------------------------------------------------------------- 2. two restores


def _stopped(pid: int) -> bool:
    with open(f"/proc/{pid}/stat", "rb") as handle:
        stat = handle.read()
    return stat[stat.rfind(b")") + 2 :].split()[0] in (b"T", b"t")


@pytest.mark.slow
def test_a_second_restore_is_refused_while_the_first_runs(tracker: Tracker, world: World, data: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env.update(TRACKER_DATA_DIR=str(data), PYTHONPATH=str(REPO), **{STOP_ENV: "restore:held"})
    first = subprocess.Popen(
        [sys.executable, "-m", "tracker.cli", "restore", str(world.backup), "--force"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while not _stopped(first.pid):
            assert first.poll() is None and time.monotonic() < deadline, "the first restore never reached its stop"
            time.sleep(0.01)
        refused(tracker("--data-dir", data, "restore", world.backup, "--force", ok=False), "another restore")
    finally:
        first.send_signal(signal.SIGCONT)
        out, err = first.communicate(timeout=60)
    assert first.returncode == 0, err
    assert personas(data / "tracker.db") == ["ink"]
    (kept,) = data.glob("tracker.db.old-*")
    assert personas(kept) == ["moth"]


def test_restores_within_one_second_keep_every_old_database(tracker: Tracker, world: World, data: Path) -> None:
    tracker("--data-dir", data, "restore", world.backup, "--force")
    tracker("--data-dir", data, "restore", world.backup, "--force")
    kept = sorted(data.glob("tracker.db.old-*"))
    assert len(kept) == 2
    assert sorted(personas(p)[0] for p in kept) == ["ink", "moth"]
    assert len(list(data.glob("archive.old-*"))) == 2


# ---------------------------------------------------------------------------- 3. truncation, empty, manifest


def test_a_truncated_backup_is_refused(tracker: Tracker, world: World, data: Path, tmp_path: Path) -> None:
    blob = world.backup.read_bytes()
    with tarfile.open(world.backup) as tar:
        last = tar.getmembers()[-1]
        database = tar.getmember("tracker.db")
    cuts = [0, 100, 600, database.offset_data + 10, database.offset_data + database.size // 2, last.offset_data + 1]
    for cut in cuts:
        (tmp_path / "t.tar").write_bytes(blob[:cut])
        assert_refused_untouched(tracker, data, tmp_path / "t.tar")
    # Cut inside the manifest, or inside a header after it: "truncated", where it said "not a tracker backup (its
    # manifest.json cannot be read)" or "damaged (unexpected end of data)", and the owner looked for another cause.
    for cut in (512, 1024, 1536, last.offset_data - 100):
        (tmp_path / "t.tar").write_bytes(blob[:cut])
        assert_refused_untouched(tracker, data, tmp_path / "t.tar", "truncated")


def test_an_empty_database_is_refused(tracker: Tracker, world: World, data: Path, tmp_path: Path) -> None:
    manifest, members = unpack(world.backup)
    members["tracker.db"] = b""
    assert_refused_untouched(tracker, data, pack(tmp_path / "e.tar", manifest, members), "not a tracker database")


def test_the_manifest_must_match_every_member(tracker: Tracker, world: World, data: Path, tmp_path: Path) -> None:
    manifest, members = unpack(world.backup)
    archived = [n for n in members if n.startswith("archive/")]
    lacking = {n: b for n, b in members.items() if n != archived[0]}
    extra = {**members, "archive/cd/" + "cd" * 32 + ".png": b"x"}
    wrong_size = json.loads(json.dumps(manifest))
    wrong_size["archive"][archived[1].removeprefix("archive/")] += 1
    cases = [
        ("lacks 1 of the archived files", manifest, lacking),
        ("not listed in its manifest", manifest, extra),
        ("size", wrong_size, members),
        ("size", {**manifest, "database_bytes": 512}, members),
        ("recorded sha256", {**manifest, "database_sha256": "0" * 64}, members),
    ]
    for words, edited, content in cases:
        path = pack(tmp_path / "m.tar", edited, content, fix=False)
        assert_refused_untouched(tracker, data, path, words)
    # The same member twice.
    with tarfile.open(tmp_path / "twice.tar", "w") as tar:
        for name, content in {"manifest.json": json.dumps(manifest).encode(), **members}.items():
            for _ in range(2 if name == archived[0] else 1):
                info = tarfile.TarInfo(name)
                info.size = len(content)
                tar.addfile(info, io.BytesIO(content))
    assert_refused_untouched(tracker, data, tmp_path / "twice.tar", "twice")


# ---------------------------------------------------------------------------- 4. bombs


def _sparse_header(name: str, real_size: int) -> bytes:
    """An old-GNU sparse member ('S') of `real_size` bytes whose one data block is the last byte."""
    info = tarfile.TarInfo(name)
    info.type = tarfile.GNUTYPE_SPARSE
    info.size = 512
    block = bytearray(info.tobuf(format=tarfile.GNU_FORMAT))
    block[386:398] = b"%011o\0" % (real_size - 1)  # sparse map: offset ...
    block[398:410] = b"%011o\0" % 1  # ... and length of the one stored piece
    block[483:495] = b"%011o\0" % real_size  # the size it expands to
    block[148:156] = b" " * 8
    block[148:156] = b"%06o\0 " % sum(block)
    return bytes(block) + b"\0" * 512


def test_a_sparse_member_is_refused_before_anything_is_written(tracker: Tracker, data: Path, tmp_path: Path) -> None:
    four_gb = 4 * 2**30
    manifest = json.dumps({"format": 1, "database_bytes": four_gb, "archive": {}}).encode()
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        info = tarfile.TarInfo("manifest.json")
        info.size = len(manifest)
        tar.addfile(info, io.BytesIO(manifest))
        tar.fileobj.write(_sparse_header("tracker.db", four_gb))
        tar.offset += 1024
    (tmp_path / "sparse.tar").write_bytes(buffer.getvalue())
    with tarfile.open(tmp_path / "sparse.tar") as tar:  # tarfile would expand it to 4 GB
        assert tar.getmember("tracker.db").size == four_gb
    started = time.monotonic()
    assert_refused_untouched(tracker, data, tmp_path / "sparse.tar", "sparse")
    assert time.monotonic() - started < 5


def test_sizes_larger_than_the_backup_file_are_refused_before_writing(
    tracker: Tracker, data: Path, tmp_path: Path
) -> None:
    """A header (and manifest) that claim 4 GB in a file of a few KB: a plain tar cannot hold it."""
    four_gb = 4 * 2**30
    manifest = json.dumps({"format": 1, "database_bytes": four_gb, "archive": {}}).encode()
    buffer = io.BytesIO()
    header = tarfile.TarInfo("manifest.json")
    header.size = len(manifest)
    buffer.write(header.tobuf(format=tarfile.PAX_FORMAT) + manifest + b"\0" * (512 - len(manifest) % 512))
    big = tarfile.TarInfo("tracker.db")
    big.size = four_gb
    buffer.write(big.tobuf(format=tarfile.PAX_FORMAT) + b"\0" * 4096)
    (tmp_path / "big.tar").write_bytes(buffer.getvalue())
    started = time.monotonic()
    assert_refused_untouched(tracker, data, tmp_path / "big.tar", "truncated")
    assert time.monotonic() - started < 5


def test_a_compressed_backup_is_refused_unread(tracker: Tracker, data: Path, tmp_path: Path) -> None:
    """A gzip of a highly compressible tar (a bomb): backups are plain tars, so it is never inflated."""
    raw = io.BytesIO()
    zeros = b"\0" * (16 * 2**20)
    manifest = json.dumps({"format": 1, "database_bytes": len(zeros), "archive": {}}).encode()
    with tarfile.open(fileobj=raw, mode="w") as tar:
        for name, content in (("manifest.json", manifest), ("tracker.db", zeros)):
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    (tmp_path / "bomb.tar").write_bytes(gzip.compress(raw.getvalue(), compresslevel=1))
    assert_refused_untouched(tracker, data, tmp_path / "bomb.tar", "not a plain tar")


# ---------------------------------------------------------------------------- 5. foreign schemas and paths

SCHEMA_CHANGES = {
    "trigger": "create trigger spy after insert on post begin delete from event; end",
    "view": "create view everything as select * from image",
    "table": "create table kept_secret (x text)",
    "index": "create index ix_extra on post (title)",
    "column": "alter table persona add column note text",
    "missing index": "drop index ix_post_platform",
    "looser column": (  # the same names, the table rebuilt by hand with a column of another type
        "pragma foreign_keys=off; create table persona_new (id integer primary key, name text, "
        "created_at datetime, display_name varchar(200), contact text); insert into persona_new "
        "select * from persona; drop table persona; alter table persona_new rename to persona"
    ),
}


@pytest.mark.parametrize("change", sorted(SCHEMA_CHANGES))
def test_a_database_with_a_schema_of_its_own_is_refused(
    change: str, tracker: Tracker, world: World, data: Path, tmp_path: Path
) -> None:
    statement = SCHEMA_CHANGES[change]
    backup = with_database(world.backup, tmp_path / "s.tar", lambda conn: conn.executescript(statement))
    assert_refused_untouched(tracker, data, backup, "schema")


@pytest.mark.parametrize(
    "table, path",
    [
        ("image", "../../outside.png"),
        ("image", "/etc/passwd"),
        ("image", "ab/../../../x.png"),
        ("complaint_image", "../escape.png"),
        ("purge_file", "/home/someone/photo.png"),
    ],
)
def test_archive_paths_leading_outside_the_archive_are_refused(
    table: str, path: str, tracker: Tracker, world: World, data: Path, tmp_path: Path
) -> None:
    def point_outside(conn: sqlite3.Connection) -> None:
        if table == "image":
            conn.execute("update image set archive_path = ? where id = 1", (path,))
        elif table == "complaint_image":
            conn.execute(
                "insert into complaint (received_at, channel, legal_basis, claimed_urls, completeness, status, "
                "created_at) values ('2025-01-01', 'email', 'dmca', '[]', '{}', 'open', '2025-01-01')"
            )
            conn.execute(
                "insert into complaint_image (complaint_id, sha256, archive_path, original_name, format, width, "
                "height, size_bytes, created_at) values (1, ?, ?, 'x.png', 'PNG', 1, 1, 1, '2025-01-01')",
                ("ab" * 32, path),
            )
        else:
            conn.execute("insert into purge_file (archive_path, queued_at) values (?, '2025-01-01')", (path,))

    backup = with_database(world.backup, tmp_path / "p.tar", point_outside)
    assert_refused_untouched(tracker, data, backup, "outside the archive")


def _database_at(revision: str, folder: Path) -> Path:
    folder.mkdir()
    path = folder / "tracker.db"
    engine = create_db_engine(Settings(db_url=f"sqlite:///{path}", data_dir=folder, archive_dir=folder / "archive"))
    config = alembic_config()
    with engine.connect() as conn, conn.execution_options(**{WRITE_OPTION: True}).begin():
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
    engine.dispose()
    return path


def test_a_backup_at_an_older_revision_restores_then_upgrades(tracker: Tracker, tmp_path: Path) -> None:
    old = _database_at("0005", tmp_path / "old")
    tracker("--data-dir", tmp_path / "old", "backup", tmp_path / "old.tar")
    tracker("--data-dir", tmp_path / "restored", "restore", tmp_path / "old.tar")
    assert tracker.json("--data-dir", tmp_path / "restored", "posts") == []  # upgraded on first use
    # At that revision too, a trigger of its own is refused.
    conn = sqlite3.connect(old)
    conn.execute("create trigger spy after insert on persona begin delete from event; end")
    conn.commit()
    conn.close()
    tracker("--data-dir", tmp_path / "old", "backup", tmp_path / "spy.tar")
    refused(tracker("--data-dir", tmp_path / "r2", "restore", tmp_path / "spy.tar", ok=False), "trigger 'spy'")


def test_a_database_from_a_newer_or_no_revision_is_refused(
    tracker: Tracker, world: World, data: Path, tmp_path: Path
) -> None:
    newer = with_database(
        world.backup, tmp_path / "n.tar", lambda c: c.execute("update alembic_version set version_num='9999'")
    )
    assert_refused_untouched(tracker, data, newer, "does not know")
    none = with_database(world.backup, tmp_path / "x.tar", lambda c: c.execute("delete from alembic_version"))
    assert_refused_untouched(tracker, data, none, "not a tracker database")
    alias = with_database(
        world.backup, tmp_path / "h.tar", lambda c: c.execute("update alembic_version set version_num='head'")
    )
    assert_refused_untouched(tracker, data, alias, "does not know")


# ---------------------------------------------------------------------------- random damage (Hypothesis)


@dataclass
class Damage:
    """A real backup in two manifest formats (with and without database_sha256), and where its headers are."""

    existing: Path
    blobs: dict[str, bytes]
    headers: list[int]


@pytest.fixture(scope="module")
def damage(world: World, tmp_path_factory: pytest.TempPathFactory) -> Damage:
    manifest, members = unpack(world.backup)
    older = dict(manifest)
    del older["database_sha256"]
    old_format = pack(tmp_path_factory.mktemp("old") / "old.tar", older, members, fix=False)
    with tarfile.open(world.backup) as tar:
        headers = [m.offset for m in tar.getmembers()]
    return Damage(world.existing, {"new": world.backup.read_bytes(), "old": old_format.read_bytes()}, headers)


def _offsets(blob_size: int, headers: list[int]) -> st.SearchStrategy[int]:
    anywhere = st.integers(0, blob_size - 1)
    in_a_header = st.sampled_from(headers).flatmap(lambda start: st.integers(start, start + 1535))
    return st.one_of(anywhere, in_a_header).map(lambda offset: min(offset, blob_size - 1))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_damaged_backups_never_crash_and_a_refusal_changes_nothing(damage: Damage, data: st.DataObject) -> None:
    kind = data.draw(st.sampled_from(sorted(damage.blobs)), label="manifest")
    blob = bytearray(damage.blobs[kind])
    how = data.draw(st.sampled_from(["truncate", "flip", "insert"]), label="damage")
    offset = data.draw(_offsets(len(blob), damage.headers), label="offset")
    if how == "truncate":
        del blob[offset:]
    elif how == "flip":
        blob[offset] ^= 1 << data.draw(st.integers(0, 7), label="bit")
    else:
        blob[offset:offset] = data.draw(st.binary(min_size=1, max_size=64), label="inserted")
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "data"
        shutil.copytree(damage.existing, target)
        before = snapshot(target)
        (Path(tmp) / "b.tar").write_bytes(bytes(blob))
        with deadline(30):
            result = Tracker()("--data-dir", target, "restore", Path(tmp) / "b.tar", "--force", ok=False)
        assert result.exit_code in (0, 2), (result.exit_code, result.output)
        assert "Traceback" not in result.output
        if result.exit_code:
            assert result.stderr.count("\n") == 1, result.stderr
            assert snapshot(target) == before
        else:
            assert personas(target / "tracker.db") == ["ink"]
            assert personas(next(target.glob("tracker.db.old-*"))) == ["moth"]
