"""A scrub killed at any step leaves the old archive or the scrubbed one, never half; a rerun finishes.

The scrub runs in a child process that dies with `os._exit(9)` (no clean-up, like `kill -9`) at
the step `TRACKER_TEST_CRASH_AT` names (a test-only hook, see `tracker.purge_scrub.CRASH_ENV`).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fixtures.common import REPO, Tracker
from fixtures.killpoints import kill_at
from fixtures.purgeworld import OTHER, OTHER_POSTS, TARGET, TARGET_POSTS, build_world, database_bytes, mark_everything
from sqlalchemy import create_engine, text

from tracker.cli import cli
from tracker.purge.scrub import CRASH_ENV, CRASH_STEPS


def _state(data_dir: Path) -> dict[str, object]:
    engine = create_engine(f"sqlite:///{data_dir / 'tracker.db'}")
    try:
        with engine.connect() as conn:

            def one(sql: str) -> int:
                return int(conn.execute(text(sql)).scalar_one())

            return {
                "personas": sorted(conn.execute(text("select name from persona")).scalars()),
                "posts": one("select count(*) from post"),
                "accounts": one("select count(*) from account"),
                "images": one("select count(*) from image"),
                "complaints": one("select count(*) from complaint"),
                "marks": one("select count(*) from purge_item"),
                "events naming the persona": one(f"select count(*) from event where changes like '%{TARGET}%'"),
                "orphan posts": one("select count(*) from post where account_id not in (select id from account)"),
            }
    finally:
        engine.dispose()


OLD = {
    "personas": [OTHER, TARGET],
    "posts": len(TARGET_POSTS) + len(OTHER_POSTS),
    "accounts": 7,
    "images": 8,
    "complaints": 2,
    "orphan posts": 0,
}
SCRUBBED = {
    "personas": [OTHER],
    "posts": len(OTHER_POSTS),
    "accounts": 3,
    "images": 3,
    "complaints": 1,
    "marks": 0,
    "events naming the persona": 0,
    "orphan posts": 0,
}


def _as_scrubbed(posts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The other persona's posts once the target is scrubbed: the image both posted has the name the other
    persona logged it under instead of the name the target gave it."""
    out = []
    for post in posts:
        image = dict(post["image"])
        if image["original_name"] == "shared.png":
            image["original_name"] = "lantern-repost.png"
        out.append({**post, "image": image})
    return out


def _integrity(data_dir: Path) -> str:
    engine = create_engine(f"sqlite:///{data_dir / 'tracker.db'}")
    try:
        with engine.connect() as conn:
            return str(conn.execute(text("pragma integrity_check")).scalar_one())
    finally:
        engine.dispose()


def _crash(data_dir: Path, step: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("TRACKER_DB", "TRACKER_PERSONA", "TRACKER_ARCHIVE")}
    env.update(TRACKER_DATA_DIR=str(data_dir), PYTHONPATH=str(REPO), **{CRASH_ENV: step})
    return subprocess.run(
        [sys.executable, "-m", "tracker.cli", "purge", "scrub", TARGET],
        input=TARGET + "\n",
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


KILL_POINTS = [
    *(f"scrub:{step}" for step in CRASH_STEPS),
    "scrub:file#1",
    "scrub:file#3",
    "scrub:file#5",
    "scrub:before_vacuum",
]
"""Where the SIGKILL variant stops the scrub (`tracker.testhooks`): each step, and between file deletions."""


@pytest.mark.slow
@pytest.mark.parametrize(
    ("how", "step"), [*(("exit", step) for step in CRASH_STEPS), *(("sigkill", point) for point in KILL_POINTS)]
)
def test_a_killed_scrub_leaves_old_or_scrubbed_and_a_rerun_finishes(
    how: str, step: str, tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    world = build_world(tracker, tmp_path / "images")
    tracker("match", world.shared_image)  # the similarity index file
    mark_everything(tracker)
    files_before = {p for p in (isolated_env / "archive").rglob("*") if p.is_file()}
    theirs = tracker.json("posts", "--persona", OTHER)

    if how == "exit":
        crashed = _crash(isolated_env, step)
        assert crashed.returncode == 9, crashed.stderr
    else:
        assert kill_at(["purge", "scrub", TARGET], isolated_env, step, stdin=TARGET + "\n"), f"never reached {step}"
        assert _integrity(isolated_env) == "ok"

    state = _state(isolated_env)
    if step.removeprefix("scrub:") == "after_db_delete_before_commit":
        assert {k: state[k] for k in OLD} == OLD  # nothing happened
        assert state["marks"] and state["events naming the persona"]
        assert {p for p in (isolated_env / "archive").rglob("*") if p.is_file()} == files_before
        assert tracker.json("posts", "--persona", OTHER) == theirs
    else:
        assert state == SCRUBBED  # the whole database part happened
        assert tracker.json("posts", "--persona", OTHER) == _as_scrubbed(theirs)

    rerun = tracker.runner.invoke(cli, ["purge", "scrub", TARGET], input=TARGET + "\n", catch_exceptions=False)
    assert rerun.exit_code == 0, rerun.output
    assert _state(isolated_env) == SCRUBBED
    assert len({p for p in (isolated_env / "archive").rglob("*") if p.is_file()}) == len(files_before) - 6
    assert not (isolated_env / "tracker.db.hashindex.npz").exists()
    raw = database_bytes(isolated_env)
    assert TARGET.encode() not in raw
    assert not [url for url in TARGET_POSTS if url.encode() in raw]
    assert tracker.json("posts", "--persona", OTHER) == _as_scrubbed(theirs)


@pytest.mark.slow
@pytest.mark.parametrize("point", ["scrub:file#1", "scrub:before_vacuum"])
def test_a_scrub_killed_after_its_rows_went_leaves_no_name_in_the_database_file(
    point: str, tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    """The deletion reaches tracker.db itself before the files go, not only its WAL: a copy of the file alone
    (`cp tracker.db`, a sync client), taken before any other command opens the database, holds no name."""
    build_world(tracker, tmp_path / "images")
    mark_everything(tracker)
    assert kill_at(["purge", "scrub", TARGET], isolated_env, point, stdin=TARGET + "\n"), f"never reached {point}"

    main_file = (isolated_env / "tracker.db").read_bytes()  # read before anything opens (and checkpoints) it
    assert TARGET.encode() not in main_file
    assert not [url for url in TARGET_POSTS if url.encode() in main_file]
    assert _integrity(isolated_env) == "ok"
    assert _state(isolated_env) == SCRUBBED
