"""`tracker backup` and `tracker restore`: a round trip, and backups that must be refused."""

from __future__ import annotations

import io
import json
import stat
import tarfile
from pathlib import Path

from fixtures.common import Tracker
from fixtures.drawings import drawing


def _log_two(tracker: Tracker, tmp_path: Path) -> None:
    for n in range(2):
        path = tmp_path / f"p{n}.png"
        drawing(n).save(path)
        tracker("log", path, "--url", f"https://www.pixiv.net/artworks/{700000000 + n}", "--persona", "moth")


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


def test_restore_refuses_to_overwrite_without_force(tracker: Tracker, tmp_path: Path, isolated_env: Path) -> None:
    _log_two(tracker, tmp_path)
    tracker("backup", tmp_path / "b.tar")
    refused = tracker("restore", tmp_path / "b.tar", ok=False)
    assert refused.exit_code != 0 and "--force" in refused.stderr
    tracker("restore", tmp_path / "b.tar", "--force")
    assert len(tracker.json("posts")) == 2
    assert any(p.name.startswith("tracker.db.old-") for p in isolated_env.iterdir())


def _evil_tar(path: Path, members: dict[str, bytes], manifest: dict[str, object] | None = None) -> Path:
    with tarfile.open(path, "w") as tar:
        data = json.dumps(manifest or {"format": 1, "archive": {}}).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    return path


def test_hostile_backups_are_refused_and_write_nothing(tracker: Tracker, tmp_path: Path) -> None:
    target = tmp_path / "victim"
    cases = {
        "traversal": _evil_tar(tmp_path / "a.tar", {"archive/../../evil.txt": b"x"}),
        "absolute": _evil_tar(tmp_path / "b.tar", {"/tmp/evil.txt": b"x"}),
        "not a backup": tmp_path / "c.tar",
        "no database": _evil_tar(tmp_path / "d.tar", {}),
        "bad hash": _evil_tar(
            tmp_path / "e.tar",
            {"archive/ab/" + "ab" * 32 + ".png": b"not this content"},
            {"format": 1, "archive": {"ab/" + "ab" * 32 + ".png": 16}},
        ),
    }
    (tmp_path / "c.tar").write_bytes(b"just text")
    for label, path in cases.items():
        result = tracker("--data-dir", target, "restore", path, ok=False)
        assert result.exit_code != 0, label
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, label
        assert not (target / "tracker.db").exists(), label
    assert not (tmp_path / "evil.txt").exists() and not Path("/tmp/evil.txt").exists()


def test_backup_without_a_database_is_a_clear_error(tracker: Tracker, tmp_path: Path) -> None:
    result = tracker("backup", tmp_path / "x.tar", ok=False)
    assert result.exit_code != 0 and "nothing to back up" in result.stderr
    assert not (tmp_path / "x.tar").exists()
