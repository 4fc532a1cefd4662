"""The purge on PostgreSQL: the same plan, marks and scrub, with nothing SQLite-only in the way.

Runs only when TRACKER_TEST_POSTGRES_URL names a scratch database (its `public` schema is wiped),
e.g. `postgresql+psycopg://postgres@127.0.0.1:5432/tracker_test`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.purgeworld import (
    OTHER,
    OTHER_POSTS,
    TARGET,
    TARGET_COMPLAINANT,
    TARGET_POSTS,
    build_world,
    mark_everything,
)
from sqlalchemy import bindparam, create_engine, text

from tracker.cli import cli

URL = os.environ.get("TRACKER_TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(not URL, reason="set TRACKER_TEST_POSTGRES_URL to a scratch PostgreSQL database")


@pytest.fixture
def postgres(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    assert URL is not None
    engine = create_engine(URL)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    monkeypatch.setenv("TRACKER_DB", URL)
    yield URL


def test_plan_mark_and_scrub_on_postgresql(postgres: str, tracker: Tracker, tmp_path: Path) -> None:
    build_world(tracker, tmp_path / "images")
    data = json.loads(tracker("purge", "plan", TARGET, "--format", "json").stdout)
    assert sorted(i["url"] for i in data["items"] if i["section"] == "post") == sorted(TARGET_POSTS)
    local = {i["id"]: i for i in data["items"] if i["section"] == "local"}
    assert "VACUUM FULL" in " ".join(local["local:database"]["notes"])
    theirs = tracker.json("posts", "--persona", OTHER)
    mark_everything(tracker)
    assert {p["status"] for p in tracker.json("posts", "--persona", TARGET)} == {"deleted"}
    preview = json.loads(tracker("purge", "scrub", TARGET, "--dry-run", "--json").stdout)
    result = tracker.runner.invoke(cli, ["purge", "scrub", TARGET], input=TARGET + "\n", catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "VACUUM FULL" in result.stdout
    for post in theirs:  # the shared image stays, under the other persona's name for it ("shared.png" was the target's)
        if post["image"]["original_name"] == "shared.png":
            post["image"]["original_name"] = "lantern-repost.png"
    assert tracker.json("posts", "--persona", OTHER) == theirs
    assert tracker.json("posts") == theirs  # none of the target's posts is left
    assert "no persona" in tracker("posts", "--persona", TARGET, ok=False).stderr  # nor the persona
    engine = create_engine(postgres)
    try:
        with engine.connect() as conn:
            names = list(conn.execute(text("select name from persona")).scalars())
            naming = conn.execute(
                text("select count(*) from event where cast(changes as text) like :a or cast(changes as text) like :b"),
                {"a": f"%{TARGET}%", "b": f"%{TARGET_COMPLAINANT}%"},
            ).scalar_one()
            query = text("select count(*) from post where url in :urls").bindparams(bindparam("urls", expanding=True))
            urls = conn.execute(query, {"urls": list(OTHER_POSTS)}).scalar_one()
    finally:
        engine.dispose()
    assert names == [OTHER] and naming == 0 and urls == len(OTHER_POSTS)
    assert preview["rows"]["post"] == len(TARGET_POSTS)
