"""A burn-down started by mistake (a `purge plan` that was only a look) is cancelled, and the checklist reads
right after posts moved between personas: one item per account, or two told apart."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fixtures.common import Tracker, query
from fixtures.imagefactory import FORGE_INFOTEXT, pixels, write_png

from tracker.cli import cli

pytestmark = pytest.mark.db

PIXIV = "https://www.pixiv.net/artworks/{}"


def _log(tracker: Tracker, tmp_path: Path, seed: int, persona: str, *extra: str) -> None:
    image = write_png(tmp_path / f"{seed}.png", {"parameters": FORGE_INFOTEXT}, image=pixels(seed=seed))
    tracker("log", image, "--url", PIXIV.format(seed), "--persona", persona, *extra)


def _error(tracker: Tracker, *args: str) -> str:
    result = tracker(*args, ok=False)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert len(result.stderr.splitlines()) == 1, result.stderr
    return result.stderr


def _items(tracker: Tracker, persona: str) -> list[dict[str, str]]:
    return list(json.loads(tracker("purge", "plan", persona, "--format", "json").stdout)["items"])


@pytest.fixture
def moth(tracker: Tracker, tmp_path: Path) -> Tracker:
    """moth: pixiv posts #1 and #2; its checklist looked at once (which started its purge run)."""
    _log(tracker, tmp_path, 1, "moth")
    _log(tracker, tmp_path, 2, "moth")
    started = tracker("purge", "plan", "moth")
    assert "started purge run #1 of moth (tracker purge cancel moth cancels it)" in started.stderr
    return tracker


def test_a_plan_only_looked_at_is_cancelled_and_a_typo_persona_merged(
    moth: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    _log(moth, tmp_path, 3, "nobody", "--new-persona")
    refused = _error(moth, "persona", "merge", "nobody", "moth")
    assert (
        "the burn-down of persona 'moth' has started: scrub it when it is finished, "
        "or cancel it first (tracker purge cancel moth)"
    ) in refused

    said = moth("purge", "cancel", "moth").stdout
    assert said.startswith("Cancelled purge run #1 of moth (started ")
    assert said.rstrip().endswith("nothing was marked). tracker purge plan moth starts a new one.")
    assert "not started" in moth("purge", "status", "moth").stdout
    events = query(isolated_env, "select entity, action from event where command = 'purge cancel'")
    assert events == [("purge_run", "delete")]

    moved = moth.json("persona", "merge", "nobody", "moth")["moved"]
    assert moved == {"accounts": 0, "posts": 1, "images": 1, "complaints": 0}  # into moth's pixiv account
    accounts = [item["label"] for item in _items(moth, "moth") if item["id"].startswith("account:")]
    assert accounts == ["Delete your pixiv account"]


def test_a_run_with_marks_is_cancelled_only_when_told_and_its_marks_leave_with_the_scrub(
    moth: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    moth("purge", "mark", "post:1", "done")
    moth("purge", "mark", "local:backups", "skipped", "--reason", "kept on the blue drive")
    refused = _error(moth, "purge", "cancel", "moth")
    assert (
        "the purge of 'moth' has 2 marks (1 done, 1 skipped): --discard-marks cancels it anyway "
        "(posts marked done stay recorded deleted)"
    ) in refused
    assert "run #1 started" in moth("purge", "status", "moth").stdout

    cancelled = moth.json("purge", "cancel", "moth", "--discard-marks")
    assert cancelled == {"persona": "moth", "run": 1, "discarded_marks": {"done": 1, "skipped": 1}}
    assert moth.json("show", "1")["status"] == "deleted"  # it was deleted: that stays
    gone = query(isolated_env, "select entity, action from event where command = 'purge cancel' order by id")
    assert sorted(gone) == [("purge_item", "delete"), ("purge_item", "delete"), ("purge_run", "delete")]
    assert "no purge of 'moth' has started: there is nothing to cancel" in _error(moth, "purge", "cancel", "moth")

    _log(moth, tmp_path, 3, "kite")  # kite's run may take the cancelled run's number: its marks are kite's
    moth("purge", "plan", "kite")
    moth("purge", "mark", "local:backups", "skipped", "--reason", "kite keeps a copy", "--persona", "kite")
    moth("purge", "plan", "moth")
    moth("purge", "mark", "*", "done", "--persona", "moth")
    moth("purge", "mark", "local:backups", "skipped", "--reason", "none", "--persona", "moth")
    result = moth.runner.invoke(cli, ["purge", "scrub", "moth"], input="moth\n")
    assert result.exit_code == 0, result.output
    trail = str(query(isolated_env, "select changes from event"))
    assert "blue drive" not in trail and "post:1" not in trail
    assert "kite keeps a copy" in trail


def test_two_pixiv_accounts_of_one_persona_read_apart(tracker: Tracker, tmp_path: Path) -> None:
    """moth has two pixiv accounts by name; a post of kite's that was moth's comes with no handle: a third
    account, whose items say which one they are, and a warning says what to do if two are one."""
    _log(tracker, tmp_path, 1, "moth", "--account", "moth_a")
    _log(tracker, tmp_path, 2, "moth", "--account", "moth_b")
    _log(tracker, tmp_path, 3, "kite")
    _log(tracker, tmp_path, 4, "kite")
    tracker("post", "set", "4", "--persona", "moth")
    items = _items(tracker, "moth")
    labels = [item["label"] for item in items if item["id"].startswith("account:")]
    assert labels == [
        "Delete the pixiv account moth_a",
        "Delete the pixiv account moth_b",
        "Delete your pixiv account #4 (handle not recorded)",
    ]
    status = tracker("purge", "status", "moth").stdout
    assert "Warning: moth has 3 accounts on pixiv and tracker knows no handle for account #4: if two of them" in (
        " ".join(status.split())
    )
    assert [i["label"] for i in _items(tracker, "kite") if i["id"].startswith("account:")] == [
        "Delete your pixiv account"
    ]
