"""`tracker status` reminds the owner of what they typed in the TUI and did not save (a connection dropped mid-reply):
which complaint's reply or decision, or a new complaint not logged yet, and when it was typed; a damaged draft, or
one of a complaint gone, is passed over without an error."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from fixtures.common import Tracker

pytestmark = pytest.mark.db

RECORD = {"format": 1, "saved_at": "2026-12-06T05:02:00+00:00", "owner": "", "basis": "", "values": {"x": "typed"}}


def _drafts(data_dir: Path) -> Path:
    folder = data_dir / "drafts"
    folder.mkdir(mode=0o700, parents=True)
    for name in ("reply-1-en.json", "new-complaint.json", "decision-9.json"):  # no complaint #9
        (folder / name).write_text(json.dumps(RECORD), encoding="utf-8")
    (folder / "decision-1.json").write_bytes(b"\x00{not json" * 50)  # damaged: never put back, not named
    (folder / "elsewhere.json").write_text(json.dumps(RECORD))
    os.symlink(folder / "elsewhere.json", folder / "reply-2-ja.json")  # through a link: not read
    return folder


def test_status_names_the_forms_kept_unsaved_with_when_they_were_typed(tracker: Tracker, isolated_env: Path) -> None:
    tracker("complaint", "add", "--persona", "moth", "--new-persona", "--name", "K", "--message", "Remove it.")
    tracker("complaint", "add", "--persona", "moth", "--name", "L", "--message", "Remove that one too.")
    _drafts(isolated_env)
    result = tracker("status", "--json", ok=False)
    assert result.exit_code in (0, 3), result.output
    assert json.loads(result.stdout)["unsaved_in_tui"] == [
        {"form": "new complaint", "complaint": None, "language": None, "saved_at": "2026-12-06T05:02:00+00:00"},
        {"form": "reply", "complaint": 1, "language": "en", "saved_at": "2026-12-06T05:02:00+00:00"},
    ]
    text = " ".join(tracker("status", ok=False).stdout.split())
    assert "Typed in the TUI and not saved: a new complaint not logged yet (2026-12-06 " in text, text
    assert "; the reply to #1 (2026-12-06 " in text and "#9" not in text and "decision" not in text, text


def test_status_says_nothing_of_drafts_when_none_are_kept(tracker: Tracker) -> None:
    tracker("complaint", "add", "--persona", "moth", "--new-persona", "--name", "K", "--message", "Remove it.")
    assert "not saved" not in tracker("status", ok=False).stdout
    assert json.loads(tracker("status", "--json", ok=False).stdout)["unsaved_in_tui"] == []
