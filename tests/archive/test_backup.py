"""`tracker backup` and `tracker restore`: a round trip, the manifest, and backups that must be refused.

The hostile cases of issue 18 (WAL, races, truncation, bombs, foreign schemas, kills, random damage)
are in tests/hostile/test_restore.py and test_restore_kill.py.
"""

from __future__ import annotations

import hashlib
import io
import json
import stat
import tarfile
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing

from tracker.archive import verify
from tracker.errors import UsageError

ARCHIVED = "ab/" + "ab" * 32 + ".png"


def _log_two(tracker: Tracker, tmp_path: Path) -> None:
    for n in range(2):
        path = tmp_path / f"p{n}.png"
        drawing(n).save(path)
        tracker("log", path, "--url", f"https://www.pixiv.net/artworks/{700000000 + n}", "--persona", "moth")


def _members(backup: Path) -> tuple[dict[str, object], dict[str, bytes]]:
    """A backup's manifest and its other members' bytes, in file order."""
    with tarfile.open(backup) as tar:
        found = {m.name: (tar.extractfile(m) or io.BytesIO()).read() for m in tar if m.isfile()}
    return json.loads(found.pop("manifest.json")), found


def _pack(path: Path, manifest: dict[str, object], members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w") as tar:
        for name, content in {"manifest.json": json.dumps(manifest).encode(), **members}.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    return path


def test_backup_and_restore_round_trip(tracker: Tracker, tmp_path: Path, isolated_env: Path) -> None:
    _log_two(tracker, tmp_path)
    tracker("complaint", "add", "--post", "https://www.pixiv.net/artworks/700000001", "--name", "K")
    before_posts = tracker.json("posts")
    before_files = sorted(p.relative_to(isolated_env) for p in (isolated_env / "archive").rglob("*") if p.is_file())
    out = tmp_path / "keep" / "b.tar"
    out.parent.mkdir()
    result = tracker("backup", out)
    assert "2 archived files" in result.stdout
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    # Lose everything, then restore into a fresh data folder.
    tracker("--data-dir", tmp_path / "elsewhere", "restore", out)
    restored = tmp_path / "elsewhere"
    assert tracker.json("--data-dir", restored, "posts") == before_posts
    files = sorted(p.relative_to(restored) for p in (restored / "archive").rglob("*") if p.is_file())
    assert files == before_files
    listed = tracker("--data-dir", restored, "complaint", "list")
    assert listed.stdout.splitlines()[1].split()[:2] == ["1", "open"]
    assert stat.S_IMODE((restored / "tracker.db").stat().st_mode) == 0o600
    assert stat.S_IMODE((restored / "archive").stat().st_mode) == 0o700


@pytest.mark.sqlite_only
def test_a_data_folder_whose_name_is_not_utf8_is_restored_into_and_cleared_after_a_kill(
    tracker: Tracker, tmp_path: Path
) -> None:
    """A folder named in another encoding (Latin-1 `caf\\xe9`) ended `restore` in 'internal error:
    UnicodeEncodeError' before anything was restored; now it restores, with --force too, and the note of a restore
    killed there is read by the next writer, which clears what it left."""
    import os

    from fixtures.killpoints import kill_at

    folder = Path(os.fsdecode(bytes(tmp_path) + b"/caf\xe9"))
    image = tmp_path / "a.png"
    drawing(1).save(image)
    tracker("--data-dir", folder, "log", image, "--url", "https://www.pixiv.net/artworks/700000001", "--persona", "m")
    backup = tmp_path / "b.tar"
    tracker("--data-dir", folder, "backup", backup)
    restored = tracker("--data-dir", folder, "restore", "--force", backup)
    assert restored.stdout.startswith("Restored the database and 1 archived file") and restored.stderr == ""
    fresh = Path(os.fsdecode(bytes(tmp_path) + b"/new\xff"))
    assert tracker("--data-dir", fresh, "restore", backup).stdout.startswith("Restored")
    assert [p["id"] for p in tracker.json("--data-dir", fresh, "posts")] == [1]

    assert kill_at(["restore", "--force", str(backup)], folder, "restore:staged")
    assert list(folder.glob(".tracker.db.restoring-*"))
    drawing(2).save(image)
    tracker("--data-dir", folder, "log", image, "--url", "https://www.pixiv.net/artworks/700000002", "--persona", "m")
    assert not list(folder.glob(".tracker.db.restoring-*")), "the next writer read the note and cleared the copy"


def test_the_manifest_records_every_member_with_its_size_and_sha256(tracker: Tracker, tmp_path: Path) -> None:
    _log_two(tracker, tmp_path)
    tracker("backup", tmp_path / "b.tar")
    manifest, members = _members(tmp_path / "b.tar")
    assert list(members)[0] == "tracker.db"
    database = members.pop("tracker.db")
    assert manifest["database_bytes"] == len(database)
    assert manifest["database_sha256"] == hashlib.sha256(database).hexdigest()
    assert manifest["archive"] == {name.removeprefix("archive/"): len(data) for name, data in members.items()}
    for name, data in members.items():  # an archived file's name is its sha256
        assert Path(name).stem == hashlib.sha256(data).hexdigest()


def test_a_backup_made_before_sha256_was_recorded_still_restores(tracker: Tracker, tmp_path: Path) -> None:
    """The manifest of backups made before this change: no database_sha256; sizes are still checked."""
    _log_two(tracker, tmp_path)
    tracker("backup", tmp_path / "b.tar")
    manifest, members = _members(tmp_path / "b.tar")
    del manifest["database_sha256"]
    old = _pack(tmp_path / "old.tar", manifest, members)
    tracker("--data-dir", tmp_path / "restored", "restore", old)
    assert len(tracker.json("--data-dir", tmp_path / "restored", "posts")) == 2
    # Without a recorded sha256, a damaged database is still caught by its size ...
    members["tracker.db"] += b"\0"
    refused = tracker("--data-dir", tmp_path / "r2", "restore", _pack(tmp_path / "o2.tar", manifest, members), ok=False)
    assert refused.exit_code == 2 and "size" in refused.stderr


def test_a_backup_from_a_newer_tracker_s_format_says_which_tracker_made_it(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    _log_two(tracker, tmp_path)
    tracker("backup", tmp_path / "b.tar")
    manifest, members = _members(tmp_path / "b.tar")
    newer = _pack(tmp_path / "newer.tar", {**manifest, "format": 2, "tracker_version": "9.1.0"}, members)
    hostile = _pack(tmp_path / "hostile.tar", {**manifest, "format": 2, "tracker_version": "\x1b[2J9"}, members)
    for backup, by in ((newer, "made by tracker 9.1.0 (backup format 2)"), (hostile, "made by a newer tracker")):
        refused = tracker("--data-dir", tmp_path / "new", "restore", backup, ok=False)
        assert refused.exit_code == 2 and len(refused.stderr.splitlines()) == 1, refused.stderr
        assert by in refused.stderr and "restore it with that tracker, or upgrade this one" in refused.stderr
        assert not (tmp_path / "new").exists()


def test_restore_refuses_to_overwrite_without_force(tracker: Tracker, tmp_path: Path, isolated_env: Path) -> None:
    _log_two(tracker, tmp_path)
    tracker("backup", tmp_path / "b.tar")
    refused = tracker("restore", tmp_path / "b.tar", ok=False)
    assert refused.exit_code != 0 and "--force" in refused.stderr
    done = tracker("restore", tmp_path / "b.tar", "--force")
    assert "kept as" in done.stdout
    assert len(tracker.json("posts")) == 2
    assert any(p.name.startswith("tracker.db.old-") for p in isolated_env.iterdir())
    assert any(p.name.startswith("archive.old-") for p in isolated_env.iterdir())
    assert "warning" not in done.stderr, "the backup held everything: nothing to tell"


def test_restore_over_an_empty_database_file_needs_no_force(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    """A database file of 0 bytes (a copy cut short, a full disk) records nothing: the backup restores over it without
    --force; one of 0 bytes whose changes are in its -wal still needs it."""
    _log_two(tracker, tmp_path)
    tracker("backup", tmp_path / "b.tar")
    empty = tmp_path / "cut"
    empty.mkdir()
    (empty / "tracker.db").write_bytes(b"")
    tracker("--data-dir", empty, "restore", tmp_path / "b.tar")
    assert len(tracker.json("--data-dir", empty, "posts")) == 2
    walled = tmp_path / "walled"
    walled.mkdir()
    (walled / "tracker.db").write_bytes(b"")
    (walled / "tracker.db-wal").write_bytes(b"changes")
    refused = tracker("--data-dir", walled, "restore", tmp_path / "b.tar", ok=False)
    assert refused.exit_code == 2 and "--force" in refused.stderr


def test_restore_without_force_says_what_the_current_database_holds_that_the_backup_lacks(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    """Before the owner chooses --force, not only after: a complaint logged since the backup, with its deadline,
    would be out of view, and the refusal says so (the restore with --force also keeps it in the .old-* copy)."""
    _log_two(tracker, tmp_path)
    tracker("backup", tmp_path / "b.tar")
    tracker("complaint", "add", "--post", "1", "--name", "Sato", "--deadline", "tomorrow")
    before = sorted(p.name for p in isolated_env.iterdir())
    refused = tracker("restore", tmp_path / "b.tar", ok=False)
    assert refused.exit_code == 2
    lines = refused.stderr.splitlines()
    assert lines[0].startswith("tracker: error: ") and lines[0].endswith(
        "exists: restore over it with --force (the current one is kept as .old-*)"
    )
    assert lines[1] == (
        "tracker: warning: the current database holds what this backup lacks; with --force it would be only in the "
        "kept tracker.db.old-* copy, out of view:"
    )
    assert lines[2].startswith("  - 1 complaint: #1 open, answer by ")
    assert sorted(p.name for p in isolated_env.iterdir()) == before, "nothing was written, nothing left behind"
    assert [c["id"] for c in tracker.json("complaint", "list")] == [1]


def test_restore_without_force_names_the_persona_the_backup_would_bring_back(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    _log_two(tracker, tmp_path)
    kite = tmp_path / "kite.png"
    drawing(5).save(kite)
    tracker("log", kite, "--url", "https://www.pixiv.net/artworks/700000005", "--persona", "kite", "--new-persona")
    tracker("backup", tmp_path / "b.tar")
    tracker("persona", "merge", "kite", "moth")
    refused = tracker("restore", tmp_path / "b.tar", ok=False)
    assert (
        "tracker: warning: with --force, persona 'kite' (1 post) is not in the current database: it would come back"
    ) in refused.stderr


def test_restore_without_force_of_a_damaged_backup_says_what_is_wrong_with_it(tracker: Tracker, tmp_path: Path) -> None:
    """Not "restore over it with --force": --force would refuse it too, after the owner chose to replace."""
    _log_two(tracker, tmp_path)
    tracker("backup", tmp_path / "b.tar")
    tracker("complaint", "add", "--post", "1", "--name", "Sato")
    cut = tmp_path / "cut.tar"
    cut.write_bytes((tmp_path / "b.tar").read_bytes()[:4096])
    refused = tracker("restore", cut, ok=False)
    assert refused.exit_code == 2 and len(refused.stderr.splitlines()) == 1, refused.stderr
    assert "truncated" in refused.stderr and "--force" not in refused.stderr, refused.stderr


def test_restore_removes_the_saved_index_and_its_region_tables(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    """Both were made from the replaced database's rows (a persona scrubbed since, say): neither outlives it."""
    _log_two(tracker, tmp_path)
    tracker("backup", tmp_path / "b.tar")
    tracker("match", tmp_path / "p0.png")
    saved = sorted(p.name for p in isolated_env.glob("tracker.db.hashindex.npz*") if not p.name.endswith(".lock"))
    assert saved == ["tracker.db.hashindex.npz", "tracker.db.hashindex.npz.regions"]
    tracker("restore", tmp_path / "b.tar", "--force")
    assert [p.name for p in isolated_env.glob("tracker.db.hashindex.npz*") if not p.name.endswith(".lock")] == []
    assert "score 1.00" in tracker("match", tmp_path / "p0.png").stdout, "made again from the restored rows"


def test_restore_names_what_only_the_replaced_database_held(tracker: Tracker, tmp_path: Path) -> None:
    """A complaint due tomorrow logged after the backup is not silently out of view after `restore --force`."""
    _log_two(tracker, tmp_path)
    tracker("backup", tmp_path / "b.tar")
    later = tmp_path / "later.png"
    drawing(7).save(later)
    tracker("log", later, "--url", "https://www.pixiv.net/artworks/700000009", "--persona", "moth")
    tracker("complaint", "add", "--post", "3", "--name", "Sato", "--deadline", "tomorrow")
    tracker("complaint", "decide", "1", "--action", "take_down")
    done = tracker("restore", tmp_path / "b.tar", "--force")
    warning = done.stderr
    assert (
        "the replaced database held what this backup lacks; it is only in" in warning and "tracker.db.old-" in warning
    )
    assert "1 post: #3 https://www.pixiv.net/artworks/700000009" in warning
    assert "1 complaint: #1 decided, answer by " in warning
    assert len(tracker.json("posts")) == 2 and tracker.json("complaint", "list") == []


def test_a_database_that_contradicts_its_own_archive_is_refused(tracker: Tracker, tmp_path: Path) -> None:
    """An image row whose sha256 is not the one its archived file is named after would show one hash beside
    another's file (and logging that file again would add a second row): the backup is refused."""
    import sqlite3

    _log_two(tracker, tmp_path)
    tracker("backup", tmp_path / "b.tar")
    manifest, members = _members(tmp_path / "b.tar")
    edited = tmp_path / "edited.db"
    edited.write_bytes(members["tracker.db"])
    with sqlite3.connect(edited) as conn:
        (sha256,) = conn.execute("SELECT sha256 FROM image WHERE id = 1").fetchone()
        conn.execute("UPDATE image SET sha256 = ? WHERE id = 1", ("000" + sha256[3:],))
    conn.close()
    members["tracker.db"] = edited.read_bytes()
    manifest["database_bytes"] = len(members["tracker.db"])
    manifest["database_sha256"] = hashlib.sha256(members["tracker.db"]).hexdigest()
    target = tmp_path / "victim"
    refused = tracker("--data-dir", target, "restore", _pack(tmp_path / "e.tar", manifest, members), ok=False)
    assert refused.exit_code == 2 and refused.stderr.count("\n") == 1, refused.stderr
    assert "the backup's database contradicts its archive: image 1 has sha256 '000" in refused.stderr
    assert f"but is archived as '{sha256[:2]}/{sha256}.png': refusing to restore" in refused.stderr
    assert not (target / "tracker.db").exists()


def _evil_tar(path: Path, members: dict[str, bytes], archive: dict[str, int] | None = None) -> Path:
    """A tar with a manifest that passes (the database listed at its size) and the given members."""
    database = members.get("tracker.db", b"")
    manifest = {"format": 1, "database_bytes": len(database), "archive": archive or {}}
    return _pack(path, manifest, members)


def _special(path: Path, name: str, kind: bytes, link: str = "") -> Path:
    """A backup whose one extra member is a link, device or FIFO."""
    with tarfile.open(path, "w") as tar:
        data = json.dumps({"format": 1, "database_bytes": 0, "archive": {}}).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
        special = tarfile.TarInfo(name)
        special.type, special.linkname = kind, link
        tar.addfile(special)
    return path


def test_hostile_backups_are_refused_and_write_nothing(tracker: Tracker, tmp_path: Path) -> None:
    """Refused into a data folder that was not there (nor its parent), a restore leaves neither: no lock file."""
    target = tmp_path / "victim" / "data"
    cases = {
        "climbs out": _evil_tar(tmp_path / "a.tar", {"archive/../../evil.txt": b"x"}),
        "absolute path": _evil_tar(tmp_path / "b.tar", {"/tmp/evil.txt": b"x"}),
        "not a tracker backup": tmp_path / "c.tar",
        "no database": _evil_tar(tmp_path / "d.tar", {}),
        "content hash": _evil_tar(
            tmp_path / "e.tar", {"tracker.db": b"", f"archive/{ARCHIVED}": b"not this"}, {ARCHIVED: 8}
        ),
        "symbolic link": _special(tmp_path / "f.tar", "tracker.db", tarfile.SYMTYPE, "/etc/passwd"),
        "hard link": _special(tmp_path / "g.tar", "tracker.db", tarfile.LNKTYPE, "manifest.json"),
        "device": _special(tmp_path / "h.tar", "tracker.db", tarfile.CHRTYPE),
        "FIFO": _special(tmp_path / "i.tar", "tracker.db", tarfile.FIFOTYPE),
        "not listed in its manifest": _evil_tar(tmp_path / "j.tar", {"tracker.db": b"", "notes.txt": b"x"}),
    }
    (tmp_path / "c.tar").write_bytes(b"just text")
    for reason, path in cases.items():
        result = tracker("--data-dir", target, "restore", path, ok=False)
        assert result.exit_code == 2, reason
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, reason
        assert reason in result.stderr, (reason, result.stderr)
        assert not (tmp_path / "victim").exists(), reason
    assert not (tmp_path / "evil.txt").exists() and not Path("/tmp/evil.txt").exists()


def test_a_refused_restore_keeps_what_another_process_put_in_the_folder_it_made(
    tracker: Tracker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The data folder a refused restore made is kept, lock files and all, once something else is in it (another
    tracker started there meanwhile): only what the restore alone made is taken away."""
    target = tmp_path / "new"

    def meanwhile(source: Path, staging: Path) -> None:
        (target / "tracker.db").write_bytes(b"")
        raise UsageError("not a tracker backup (made up)")

    monkeypatch.setattr(verify, "stage", meanwhile)
    (tmp_path / "c.tar").write_bytes(b"just text")
    result = tracker("--data-dir", target, "restore", tmp_path / "c.tar", ok=False)
    assert result.exit_code == 2 and "made up" in result.stderr
    assert sorted(p.name for p in target.iterdir()) == [".archive.lock", ".tracker.db.restore.lock", "tracker.db"]


def test_a_manifest_size_out_of_range_is_called_a_size(tracker: Tracker, tmp_path: Path) -> None:
    """The archived file's path is fine: the error is about its size, not about what the file is."""
    large = _evil_tar(tmp_path / "large.tar", {"tracker.db": b""}, {ARCHIVED: 2**30 + 1})
    refused = tracker("--data-dir", tmp_path / "victim", "restore", large, ok=False)
    assert refused.exit_code == 2 and refused.stderr.count("\n") == 1, refused.stderr
    assert f"the backup's manifest gives '{ARCHIVED}' a size of 1073741825 bytes, over the 1 GiB" in refused.stderr
    negative = _evil_tar(tmp_path / "negative.tar", {"tracker.db": b""}, {ARCHIVED: -1})
    refused = tracker("--data-dir", tmp_path / "victim", "restore", negative, ok=False)
    assert f"the backup's manifest gives '{ARCHIVED}' no size in bytes: refusing to restore" in refused.stderr


def test_a_fifo_or_device_named_as_the_backup_is_refused_without_blocking(tracker: Tracker, tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.tar"
    os.mkfifo(fifo)
    for source in (fifo, Path("/dev/zero")):
        result = tracker("--data-dir", tmp_path / "victim", "restore", source, ok=False)
        assert result.exit_code == 2 and "not a regular file" in result.stderr


def test_a_backup_given_a_folder_goes_into_it_under_the_default_name(tracker: Tracker, tmp_path: Path) -> None:
    """`tracker backup /media/stick` writes tracker-backup-<time>.tar there; `stick/` for a folder that is not there
    is refused (never a file named `stick`), and so is an empty name (a script's unset variable), not taken for here."""
    _log_two(tracker, tmp_path)
    stick = tmp_path / "stick"
    stick.mkdir()
    said = tracker("backup", stick).stdout
    (made,) = stick.iterdir()
    assert made.name.startswith("tracker-backup-") and made.suffix == ".tar" and str(made) in said
    for wrong, words in ((f"{tmp_path / 'gone'}/", "no folder"), ("", "file name is empty")):
        refused = tracker("backup", wrong, ok=False)
        assert refused.exit_code == 2 and len(refused.stderr.splitlines()) == 1 and words in refused.stderr
    assert not (tmp_path / "gone").exists() and list(stick.iterdir()) == [made]


def test_a_backup_into_the_archive_folder_is_refused(tracker: Tracker, tmp_path: Path, isolated_env: Path) -> None:
    """`tracker backup ~/.local/share/tracker/archive` hid a copy of every persona among the archived images, where
    no persona's checklist lists it: refused in one line, nothing written; the data folder itself is fine."""
    _log_two(tracker, tmp_path)
    for inside in (isolated_env / "archive", next((isolated_env / "archive").iterdir())):
        refused = tracker("backup", inside, ok=False)
        assert refused.exit_code == 2 and len(refused.stderr.splitlines()) == 1
        assert "is inside the archive folder, which holds only archived images" in refused.stderr
    assert not [p for p in (isolated_env / "archive").rglob("*.tar")]
    assert tracker("backup", isolated_env).stdout.startswith("Backed up")


def test_a_backup_to_a_dash_is_refused_not_written_to_a_file_named_dash(
    tracker: Tracker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`tracker backup - > /media/stick/b.tar` wrote every persona to a file named "-" where it ran, and left the
    file on the stick empty: refused in one line, nothing written."""
    _log_two(tracker, tmp_path)
    monkeypatch.chdir(tmp_path)
    refused = tracker("backup", "-", ok=False)
    assert refused.exit_code == 2 and refused.stdout == ""
    assert refused.stderr.splitlines() == [
        "tracker: error: a backup is written to a file, never to standard output: give a file name or a folder"
    ]
    assert not (tmp_path / "-").exists()


def test_backup_without_a_database_is_a_clear_error(tracker: Tracker, tmp_path: Path) -> None:
    result = tracker("backup", tmp_path / "x.tar", ok=False)
    assert result.exit_code != 0 and "nothing to back up" in result.stderr
    assert not (tmp_path / "x.tar").exists()


def test_backup_refuses_an_archived_file_damaged_on_disk(tracker: Tracker, tmp_path: Path, isolated_env: Path) -> None:
    _log_two(tracker, tmp_path)
    victim = next(p for p in (isolated_env / "archive").rglob("*.png"))
    victim.write_bytes(victim.read_bytes()[:-1] + b"\0")
    result = tracker("backup", tmp_path / "b.tar", ok=False)
    assert result.exit_code == 2 and "damaged on disk" in result.stderr and victim.name in result.stderr
    assert not (tmp_path / "b.tar").exists()
    assert not list(tmp_path.glob(".b.tar.*"))


def test_backup_leaves_out_what_is_not_an_archived_file(tracker: Tracker, tmp_path: Path, isolated_env: Path) -> None:
    _log_two(tracker, tmp_path)
    (isolated_env / "archive" / ".DS_Store").write_bytes(b"x")
    folder = next(p for p in (isolated_env / "archive").iterdir() if p.is_dir())
    (folder / "notes.txt").write_text("x")
    (folder / ("cd" * 32 + ".png")).symlink_to("/etc/hostname")
    tracker("backup", tmp_path / "b.tar")
    _, members = _members(tmp_path / "b.tar")
    assert len(members) == 3  # the database and the two images
    tracker("--data-dir", tmp_path / "restored", "restore", tmp_path / "b.tar")


def test_the_tables_naming_archive_files_are_the_schemas() -> None:
    """`backup.NAMING_TABLES` is spelt out so a backup loads no SQLAlchemy: it must stay the schema's names, and
    every other table with an `archive_path` names files to delete, not to keep (`purge_file`)."""
    from tracker.archive.backup import NAMING_TABLES
    from tracker.db import schema

    assert NAMING_TABLES == (schema.image.name, schema.complaint_image.name)
    naming = {table.name for table in schema.metadata.tables.values() if "archive_path" in table.columns}
    assert naming - set(NAMING_TABLES) == {"purge_file"}


def test_a_backup_leaves_no_wal_files_beside_the_database(tracker: Tracker, tmp_path: Path, isolated_env: Path) -> None:
    """A finished backup leaves the data folder as a finished `tracker posts` does: no empty `tracker.db-wal` and
    `tracker.db-shm` (its read-only copy made them and may not remove them); WAL mode stays."""
    import sqlite3

    _log_two(tracker, tmp_path)
    tracker("posts")
    assert not list(isolated_env.glob("tracker.db-*"))  # a reading command leaves none
    tracker("backup", tmp_path / "b.tar")
    assert not list(isolated_env.glob("tracker.db-*"))
    with sqlite3.connect(isolated_env / "tracker.db") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_two_backups_in_one_second_into_one_folder_both_keep_their_file(
    tracker: Tracker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The default name has the time to the second: a second backup in that second takes `-2` (never refused
    with "exists already", never over the first)."""
    from tracker.archive import backup as backup_module

    _log_two(tracker, tmp_path)
    monkeypatch.setattr(backup_module, "default_name", lambda: "tracker-backup-20261207T111801Z.tar")
    stick = tmp_path / "stick"
    stick.mkdir()
    tracker("backup", stick)
    first = (stick / "tracker-backup-20261207T111801Z.tar").read_bytes()
    said = tracker("backup", stick).stdout
    assert str(stick / "tracker-backup-20261207T111801Z-2.tar") in said
    assert sorted(p.name for p in stick.iterdir()) == [
        "tracker-backup-20261207T111801Z-2.tar",
        "tracker-backup-20261207T111801Z.tar",
    ]
    assert (stick / "tracker-backup-20261207T111801Z.tar").read_bytes() == first
    tracker("--data-dir", tmp_path / "restored", "restore", stick / "tracker-backup-20261207T111801Z-2.tar")


def test_a_backup_never_replaces_a_file_that_appeared_while_it_was_written(
    tracker: Tracker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another backup (or anything) that takes the name while this one is written keeps it: a name given is then
    refused and nothing is left; the default name takes the next number."""
    from tracker.archive import backup as backup_module

    _log_two(tracker, tmp_path)
    target = tmp_path / "b.tar"

    def sneak(folder: Path) -> tuple[Path, ...]:
        target.write_bytes(b"another backup")
        return ()

    monkeypatch.setattr(backup_module, "remove_stale_partials", sneak)
    refused = tracker("backup", target, ok=False)
    assert refused.exit_code == 2 and "exists already" in refused.stderr
    assert target.read_bytes() == b"another backup" and sorted(tmp_path.glob(".b.tar.*")) == []
    monkeypatch.setattr(backup_module, "default_name", lambda: "b.tar")
    said = tracker("backup", tmp_path).stdout
    assert str(tmp_path / "b-2.tar") in said and target.read_bytes() == b"another backup"


def test_a_backup_the_owner_compressed_is_refused_with_how_to_unpack_it(tracker: Tracker, tmp_path: Path) -> None:
    """`gzip b.tar` to save room on the stick, then a restore of `b.tar.gz`: says what it is and the command that
    unpacks it (not only "not a plain tar file"), writing nothing."""
    import gzip
    import shutil

    _log_two(tracker, tmp_path)
    tracker("backup", tmp_path / "b.tar")
    packed = tmp_path / "my b.tar.gz"
    with open(tmp_path / "b.tar", "rb") as plain, gzip.open(packed, "wb") as out:
        shutil.copyfileobj(plain, out)
    refused = tracker("--data-dir", tmp_path / "fresh", "restore", packed, ok=False)
    assert refused.exit_code == 2 and len(refused.stderr.splitlines()) == 1, refused.stderr
    assert f"is compressed (gzip), not a plain tar file: unpack it first (gunzip '{packed}')" in refused.stderr
    assert not (tmp_path / "fresh" / "tracker.db").exists()
