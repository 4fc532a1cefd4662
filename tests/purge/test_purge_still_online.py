"""A post recorded deleted that `tracker check` found still online afterwards is back on the burn-down checklist."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fixtures.common import Tracker, database_url
from fixtures.imagefactory import FORGE_INFOTEXT, pixels, write_png

from tracker.cli import cli

pytestmark = pytest.mark.db

PERSONA = "夜蛾"
STILL_THERE = "https://www.pixiv.net/artworks/910000001"
GONE_SINCE = "https://www.pixiv.net/artworks/910000002"
LIVE = "https://x.com/yaga_ai/status/1866000000000000001"


def _checked_live(data: Path, post: int, at: datetime) -> None:
    """A stored answer of `tracker check` (as a run against the platform leaves it): the post is online."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url(data))
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO post_check (post_id, checked_at, state, url, status_code, evidence)"
                " VALUES (:post, :at, 'live', 'https://www.pixiv.net/ajax/illust/1', 200, '{}')"
            ),
            {"post": post, "at": at.astimezone(UTC).replace(tzinfo=None)},
        )
    engine.dispose()


def test_a_post_recorded_deleted_but_found_online_since_is_on_the_checklist(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    """The owner set a post `deleted`, then `tracker check` still found it (STILL ONLINE): the checklist lists it
    (loudly), and the scrub waits for it, instead of forgetting a live post's address. A post checked live
    only before it was deleted (an old answer) stays off the list."""
    ids = {}
    for seed, url in enumerate((STILL_THERE, GONE_SINCE, LIVE)):
        image = write_png(tmp_path / f"p{seed}.png", {"parameters": FORGE_INFOTEXT}, image=pixels(seed=40 + seed))
        ids[url] = tracker.json("log", image, "--url", url, "--persona", PERSONA)["id"]
    _checked_live(isolated_env, ids[GONE_SINCE], datetime.now(UTC) - timedelta(hours=2))  # before it was deleted
    tracker("post", "set", STILL_THERE, "--status", "deleted")
    tracker("post", "set", GONE_SINCE, "--status", "deleted")
    _checked_live(isolated_env, ids[STILL_THERE], datetime.now(UTC) + timedelta(seconds=1))  # after it was deleted

    plan = json.loads(tracker("purge", "plan", PERSONA, "--format", "json").stdout)
    posts = {item["url"]: item for item in plan["items"] if item["section"] == "post"}
    assert set(posts) == {STILL_THERE, LIVE}
    assert posts[STILL_THERE]["still_online"] and posts[STILL_THERE]["state"] == "open"
    assert "delete it again" in " ".join(posts[STILL_THERE]["notes"])
    assert plan["verification"]["still_online"] == [f"post:{ids[STILL_THERE]}"]
    assert "STILL ONLINE" in tracker("purge", "plan", PERSONA).stdout

    tracker("purge", "mark", "*", "done", "--persona", PERSONA)
    tracker("purge", "mark", f"post:{ids[STILL_THERE]}", "open", "--persona", PERSONA)
    refused = tracker.runner.invoke(cli, ["purge", "scrub", PERSONA], input=PERSONA + "\n")
    assert refused.exit_code != 0 and f"post:{ids[STILL_THERE]}" in refused.output
    assert tracker.json("show", STILL_THERE)["status"] == "deleted"  # reopening gives it back its status
