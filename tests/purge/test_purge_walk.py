"""What the owner met walking a burn-down at an 80-column terminal: a checklist file that could not be written,
waiting periods the sources could not confirm, lines cut inside words."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import FORGE_INFOTEXT, pixels, write_png

pytestmark = pytest.mark.db

PERSONA = "夜蛾"
POSTS = (
    "https://www.pixiv.net/artworks/920000001",
    "https://x.com/yaga_ai/status/1866000000000000001",
    "https://bsky.app/profile/yaga.bsky.social/post/3kyaga00001",
)


def _log(tracker: Tracker, folder: Path) -> None:
    for seed, url in enumerate(POSTS):
        image = write_png(folder / f"p{seed}.png", {"parameters": FORGE_INFOTEXT}, image=pixels(seed=60 + seed))
        tracker("log", image, "--url", url, "--persona", PERSONA)


def test_a_checklist_that_cannot_be_written_starts_no_purge(tracker: Tracker, tmp_path: Path) -> None:
    """`purge plan -o` into a folder that is not there fails with one line, and starts no purge run: the persona
    can still be merged, and the next plan is the one that starts it (and says so)."""
    _log(tracker, tmp_path)
    failed = tracker("purge", "plan", PERSONA, "-o", tmp_path / "no such folder" / "plan.md", ok=False)
    assert failed.exit_code != 0 and "cannot write" in failed.stderr and "Traceback" not in failed.output
    assert "not started" in tracker("purge", "status", PERSONA).stdout
    refused = tracker("purge", "mark", "post:1", "done", "--persona", PERSONA, ok=False)
    assert refused.exit_code != 0 and "has started" in refused.stderr
    written = tracker("purge", "plan", PERSONA, "-o", tmp_path / "plan.md")
    assert "started purge run #1" in written.stderr
    assert "post:1" in (tmp_path / "plan.md").read_text()
    assert "run #1 started" in tracker("purge", "status", PERSONA).stdout


def test_a_waiting_period_the_sources_could_not_confirm_is_not_given_as_certain(
    tracker: Tracker, tmp_path: Path
) -> None:
    """pixiv's two weeks come from a third party (`unverified` in platforms.toml): the reminder that the
    deletion is final after a date says the date rests on that figure; X's confirmed 30 days say no such thing."""
    _log(tracker, tmp_path)
    tracker("purge", "plan", PERSONA)
    tracker("purge", "mark", "account:*", "done", "--persona", PERSONA)
    status = tracker("purge", "status", PERSONA).stdout
    [pixiv] = [line for line in status.splitlines() if "Your pixiv account: deletion final after" in line]
    assert "14 days the sources give are right: check on the site" in pixiv
    [x] = [line for line in status.splitlines() if "yaga_ai: deletion final after" in line]
    assert "sources give" not in x
    plan = tracker("purge", "plan", PERSONA).stdout
    [marked] = [line for line in plan.splitlines() if "`account:1`" in line]
    assert "final after" in marked and "unconfirmed 14 days" in marked
