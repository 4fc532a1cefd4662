"""Files a command writes where the owner says (`complaint reply --out`, `purge plan --output`) are new
files: a slip of the hand (the database's name, a backup's) never replaces one."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import FORGE_INFOTEXT, write_png

pytestmark = pytest.mark.db


@pytest.fixture
def decided(tracker: Tracker, tmp_path: Path) -> Tracker:
    tracker(
        "log",
        write_png(tmp_path / "a.png", {"parameters": FORGE_INFOTEXT}),
        "--url",
        "https://x.com/m/status/1",
        "--persona",
        "moth",
    )
    tracker("complaint", "add", "--post", "1", "--name", "Ann", "--basis", "dmca")
    tracker("complaint", "decide", "1", "--action", "take_down")
    return tracker


def _refused(result, path: Path, before: bytes) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == 2 and "exists already" in result.stderr and "Traceback" not in result.output
    assert path.read_bytes() == before, "the file is untouched"


def test_a_reply_never_replaces_a_file(decided: Tracker, tmp_path: Path) -> None:
    precious = tmp_path / "notes.txt"
    precious.write_bytes(b"precious")
    _refused(decided("complaint", "reply", "1", "--out", precious, "--answered", ok=False), precious, b"precious")
    assert decided.json("complaint", "show", "1")["status"] == "decided", "nothing recorded as sent"
    new = tmp_path / "reply.txt"
    decided("complaint", "reply", "1", "--out", new)
    assert new.read_text(encoding="utf-8").startswith("Subject: Your message of ")
    assert "\n\nDear Ann,\n" in new.read_text(encoding="utf-8")


def test_a_checklist_never_replaces_a_file(decided: Tracker, tmp_path: Path) -> None:
    precious = tmp_path / "backup.tar"
    precious.write_bytes(b"tar")
    _refused(decided("purge", "plan", "moth", "--output", precious, ok=False), precious, b"tar")
    assert "started purge run" in decided("purge", "plan", "moth").stderr, "the refused call started nothing"
