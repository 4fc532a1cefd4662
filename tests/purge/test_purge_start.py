"""`tracker purge status`, and `purge plan` once its run has started, start at once: on a SQLite file at this
revision they read without SQLAlchemy, and they print the bytes the engine's path (any other database) prints.
The rows the checklist counts as the scrub's are the rows the scrub deletes."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import FORGE_INFOTEXT, pixels, write_png
from fixtures.purgeworld import OTHER, SHARED_OTHER_URL, SHARED_TARGET_URL, TARGET, build_world

pytestmark = pytest.mark.db

READ = (
    ["purge", "status", TARGET],
    ["purge", "status", TARGET, "--json"],
    ["purge", "status", TARGET, "--limit", "1"],
    ["purge", "plan", TARGET],
    ["purge", "plan", TARGET, "--format", "csv"],
    ["purge", "plan", TARGET, "--format", "html"],
    ["purge", "plan", TARGET, "--format", "json"],
    ["purge", "status", OTHER, "--json"],
    ["purge", "status", "nightmoht"],
)
"""What only reads: statuses, plans of a started run, a persona whose purge has not started, a typo."""

_GENERATED = re.compile(rb'"generated_at": "[^"]*"|Generated [^<]*? from')


def same_bytes(output: bytes) -> bytes:
    """The output without the time it was generated (two runs a second apart print two times)."""
    return _GENERATED.sub(b"<generated>", output)


@pytest.fixture
def marked(tracker: Tracker, tmp_path: Path) -> None:
    """Two personas; the target's run started, with items done, skipped and failed, a deleted and a taken-down
    post, a complaint kept for the other persona, an account marked deleted and a post logged afterwards."""
    images = tmp_path / "images"
    build_world(tracker, images)
    tracker("complaint", "add", "--post", SHARED_TARGET_URL, "--basis", "dmca", "--name", "Kei Ito")
    tracker(
        "complaint", "decide", "3", "--action", "take_down", "--post", SHARED_TARGET_URL, "--post", SHARED_OTHER_URL
    )
    tracker("complaint", "confirm", "3", "--post", SHARED_TARGET_URL)
    tracker("post", "set", "https://www.pixiv.net/artworks/555000002", "--status", "deleted")
    tracker("purge", "plan", TARGET)
    tracker("purge", "mark", "post:1", "done", "--persona", TARGET)
    tracker("purge", "mark", "post:4", "skipped", "--reason", 'kept as "evidence", for now', "--persona", TARGET)
    tracker("purge", "mark", "post:5", "failed", "--reason", "login <lost> & gone", "--persona", TARGET)
    tracker("purge", "mark", "account:2", "done", "--persona", TARGET)
    tracker("purge", "mark", "local:backups", "skipped", "--reason", "none made", "--persona", TARGET)
    late = write_png(images / "late [1].png", {"parameters": FORGE_INFOTEXT}, image=pixels(seed=900))
    tracker("log", late, "--url", "https://www.pixiv.net/artworks/555000099", "--persona", TARGET, "--title", "Late")


@pytest.mark.slow
@pytest.mark.sqlite_only
def test_purge_status_and_a_started_plan_start_without_sqlalchemy(
    marked: None, tracker: Tracker, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The quarter of a second SQLAlchemy takes to load is not spent, and the bytes and exit code are those
    the engine's path prints (the path of any other database: PostgreSQL, an older revision)."""
    from tracker.cli.context import AppContext

    monkeypatch.setattr(AppContext, "quick_reader", lambda self: None)
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}  # into a pipe, as the runner prints: unfolded
    for command in READ:
        expected = tracker(*command, ok=False)
        run = [sys.executable, "-X", "importtime", "-m", "tracker", *command]
        # run outside the checkout: `-m tracker` then imports the installed package, as this process did
        # (the plan names the platforms file it read, which is the checkout's own only in an editable install)
        done = subprocess.run(run, capture_output=True, env=env, cwd=tmp_path)
        assert done.returncode == expected.exit_code, command
        assert same_bytes(done.stdout) == same_bytes(expected.stdout_bytes), command
        loaded = done.stderr.decode()
        assert "tracker.purge.plan" in loaded and "sqlalchemy" not in loaded, command


def test_the_checklist_counts_the_rows_the_scrub_deletes(marked: None, tracker: Tracker, isolated_env: Path) -> None:
    """The scrub deletes, table by table, the rows the checklist counts (`owned.OWNED` selects both), and the
    complaint it keeps for the other persona is in neither."""
    import json

    from sqlalchemy import text

    from tracker.db.engine import open_engine
    from tracker.purge.owned import OWNED, kept_by_scrub, owned_rows
    from tracker.support.settings import load_settings

    engine = open_engine(load_settings())
    try:
        with engine.connect() as conn:
            pid = conn.execute(text("SELECT id FROM persona WHERE name = :n"), {"n": TARGET}).scalar_one()
            owned = owned_rows(pid, [c.id for c in kept_by_scrub(conn, pid)])
            counted = {table: owned.count(conn, table) for table in OWNED}
            assert [c.id for c in kept_by_scrub(conn, pid)] == [3]
    finally:
        engine.dispose()
    report = json.loads(tracker("purge", "scrub", TARGET, "--dry-run", "--json").stdout)
    assert {table: report["rows"][table] for table in OWNED} == counted
    assert counted["post"] > 0 and counted["image"] > 0 and counted["complaint"] == 1  # not the kept one
    assert tracker.json("complaint", "show", "3")["id"] == 3
