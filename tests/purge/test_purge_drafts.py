"""What the TUI's forms kept unsaved (`drafts/`: private notes, an unsent letter, a pasted complaint) goes with the
persona: the checklist lists the drafts of its complaints and the new complaint's (with the attached images kept with
it), the scrub deletes them, and another persona's stay."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fixtures.common import Tracker, query
from fixtures.purgeworld import OTHER, TARGET, build_world, mark_everything

from tracker.cli import cli


def _complaint_of(data_dir: Path, persona: str) -> int:
    rows = query(
        data_dir,
        "select complaint.id from complaint join persona on persona.id = complaint.persona_id "
        "where persona.name = :name",
        name=persona,
    )
    assert len(rows) == 1
    return int(rows[0][0])


def _drafts(data_dir: Path) -> tuple[list[Path], Path]:
    """Drafts as the TUI keeps them: the persona's decision and reply, the new complaint's, and another's."""
    folder = data_dir / "drafts"
    folder.mkdir(mode=0o700)
    theirs, other = _complaint_of(data_dir, TARGET), _complaint_of(data_dir, OTHER)
    record = {"format": 1, "saved_at": "2026-12-06T11:40:00+00:00", "owner": "", "values": {"TextArea#notes": TARGET}}
    doomed = [folder / f"decision-{theirs}.json", folder / f"reply-{theirs}-en.json", folder / "new-complaint.json"]
    for path in [*doomed, folder / f"decision-{other}.json"]:
        path.write_text(json.dumps(record), encoding="utf-8")
    (folder / "new-complaint-images").mkdir(mode=0o700)
    (folder / "new-complaint-images" / "their-work.png").write_bytes(b"the complainant's image")  # its attachment
    return sorted(doomed), folder / f"decision-{other}.json"


@pytest.mark.db
def test_the_plan_lists_the_persona_drafts_and_the_scrub_deletes_them(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    build_world(tracker, tmp_path / "images")
    doomed, other = _drafts(isolated_env)
    plan = json.loads(tracker("purge", "plan", TARGET, "--format", "json").stdout)
    item = next(i for i in plan["items"] if i["id"] == "local:archive")
    attached = isolated_env / "drafts" / "new-complaint-images" / "their-work.png"
    assert item["files"] == [*(str(path) for path in doomed), str(attached)]
    assert any("with 1 image of its message's attachments" in note for note in item["notes"])
    assert any("kept unsaved" in note for note in item["notes"])

    mark_everything(tracker)
    dry = tracker.runner.invoke(cli, ["purge", "scrub", TARGET, "--dry-run", "--json"], input=TARGET + "\n")
    assert dry.exit_code == 0, dry.output
    assert json.loads(dry.stdout)["drafts_deleted"] == 3
    assert all(path.exists() for path in doomed)
    done = tracker.runner.invoke(cli, ["purge", "scrub", TARGET, "--json"], input=TARGET + "\n")
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["drafts_deleted"] == 3
    assert not any(path.exists() for path in doomed), "the scrub left a draft of the persona's complaints"
    assert not attached.parent.exists(), "the new complaint's attached images go with its draft"
    assert other.exists(), "the scrub deleted another persona's draft"
