"""A backup made after the owner marked `local:backups` opens the item again: the mark was about the copies there were.

`tracker backup` into the data folder (or a restore's `.old-*` copy) after the mark holds the persona too; the
checklist names it, the scrub waits, and marking the item again (having deleted it or locked it away) settles it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.purgeworld import TARGET, build_world, mark_everything

from tracker.cli import cli

pytestmark = [pytest.mark.sqlite_only]


def _backups_item(tracker: Tracker) -> dict[str, object]:
    return {item["id"]: item for item in tracker.json("purge", "status", TARGET)["items"]}["local:backups"]


def test_a_backup_made_after_the_mark_opens_the_backups_item_again(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    build_world(tracker, tmp_path / "images")
    mark_everything(tracker)
    assert _backups_item(tracker)["state"] == "skipped"
    tracker("backup", isolated_env / "later.tar")
    item = _backups_item(tracker)
    assert item["state"] == "open" and item["reopened_by"] == [str(isolated_env / "later.tar")]
    status = tracker("purge", "status", TARGET).stdout
    assert "(made since you marked it done: later.tar)" in status
    refused = tracker.runner.invoke(cli, ["purge", "scrub", TARGET], input=TARGET + "\n")
    assert refused.exit_code != 0 and "1 item of the purge" in refused.output
    tracker("purge", "mark", "local:backups", "done", "--persona", TARGET)  # the owner put it away
    assert _backups_item(tracker)["state"] == "done"
    done = tracker.runner.invoke(cli, ["purge", "scrub", TARGET], input=TARGET + "\n")
    assert done.exit_code == 0, done.output
