"""A disk that fills up as the database closes: SQLite cannot merge its `-wal` back into the file, and says nothing.

What a command saved is then only in `tracker.db-wal` (a new database's `tracker.db` holds hardly anything), so
the owner is told to keep the two files together and to free some space; a first command that failed on the full
disk with nothing recorded leaves no database behind; one that cannot even open the database says the disk is full.

Nothing short of a real full disk makes SQLite fail that way (a file-size limit gives an I/O error instead), so
the commands run on a real 2 MB tmpfs, mounted in a mount namespace of their own (`unshare`, as an ordinary user
where the system allows it); the test is skipped where it cannot be mounted.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import A1111_INFOTEXT, pixels, write_png

pytestmark = pytest.mark.sqlite_only

URL = "https://www.pixiv.net/artworks/100"


def _on_small_disk(tmp_path: Path, free_kb: int, *commands: list[str]) -> list[dict[str, object]]:
    """Run tracker commands one after another on a new data folder on a 2 MB tmpfs with `free_kb` left free, the
    last one after the filler is gone; each one's exit code, stderr and the data folder's files after it."""
    disk = tmp_path / "disk"
    disk.mkdir(exist_ok=True)
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    python = sys.executable
    steps = []
    for n, command in enumerate(commands):
        if n == len(commands) - 1:
            steps.append('rm -f "$DISK/fill"')
        args = " ".join(f"'{a}'" for a in command)
        steps.append(
            f'TRACKER_DATA_DIR="$DISK/data" "{python}" -m tracker {args} >/dev/null 2>"$OUT/{n}.err"; '
            f'echo $? >"$OUT/{n}.rc"; ls -A "$DISK/data" >"$OUT/{n}.ls" 2>/dev/null || true'
        )
    script = "\n".join(
        [
            "set -u",
            f'DISK="{disk}"; OUT="{out}"',
            'mount -t tmpfs -o size=2m tmpfs "$DISK" || exit 77',
            'avail=$(df -k --output=avail "$DISK" | tail -1)',
            f'dd if=/dev/zero of="$DISK/fill" bs=1k count=$((avail - {free_kb})) 2>/dev/null',
            *steps,
        ]
    )
    try:
        done = subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True, timeout=120)
    except FileNotFoundError:
        pytest.skip("no unshare here to mount a small disk")
    if done.returncode != 0:
        pytest.skip(f"a small tmpfs cannot be mounted here: {done.stderr.strip()}")
    return [
        {
            "rc": int((out / f"{n}.rc").read_text()),
            "stderr": (out / f"{n}.err").read_text(),
            "files": (out / f"{n}.ls").read_text().split(),
        }
        for n in range(len(commands))
    ]


@pytest.fixture
def sizes(tracker: Tracker, isolated_env: Path, tmp_path: Path) -> dict[str, int]:
    """The image logged below, and how large a new database and its `-wal` grow in logging it (KB)."""
    image = write_png(tmp_path / "a.png", {"parameters": A1111_INFOTEXT}, image=pixels(seed=3))
    tracker("log", image, "--url", URL, "--persona", "moth")
    database = isolated_env / "tracker.db"
    return {"database": database.stat().st_size // 1024, "image": image.stat().st_size // 1024}


def test_a_new_database_left_in_its_wal_by_a_full_disk_is_said_and_merged_by_the_next_command(
    sizes: dict[str, int], tmp_path: Path
) -> None:
    # room for the -wal (about 1.4 times the database) and the image, not for the file it is merged into as well
    free = sizes["database"] * 2
    log, posts = _on_small_disk(
        tmp_path,
        free,
        ["log", str(tmp_path / "a.png"), "--url", URL, "--persona", "moth"],
        ["posts", "--json"],
    )
    assert log["rc"] == 0, log
    assert "tracker.db-wal" in log["files"], log
    said = [line for line in str(log["stderr"]).splitlines() if line.startswith("tracker: warning:")]
    assert len(said) == 1, log["stderr"]
    assert "disk is full" in said[0] and "keep the two files together" in said[0], said
    assert "free some space" in said[0], said
    assert posts["rc"] == 0 and posts["files"] == [".archive.lock", "archive", "tracker.db"], posts
    assert "warning" not in str(posts["stderr"]), posts


def test_a_first_command_the_full_disk_stopped_leaves_nothing_and_says_the_disk_is_full(
    sizes: dict[str, int], tmp_path: Path
) -> None:
    log_it = ["log", str(tmp_path / "a.png"), "--url", URL, "--persona", "moth"]
    for free in (sizes["database"] // 3, sizes["database"] * 5 // 4):  # full as it opens it, full as it logs
        opened, again = _on_small_disk(tmp_path, free, log_it, ["posts", "--json"])
        assert opened["rc"] == 1, opened
        lines = str(opened["stderr"]).splitlines()
        assert len(lines) == 1 and "disk is full" in lines[0] and "free some space" in lines[0], lines
        assert "cannot be read" not in lines[0], lines
        assert opened["files"] == [], opened
        assert again["rc"] == 2 and "no database" in str(again["stderr"]), again
