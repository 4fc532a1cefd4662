"""`tracker personas` reads with one plain SQL text; it lists exactly what `posts.personas.list_personas` does.

On the demo archive (a SQLite file the demo makes in the data folder), with a post deleted so the
live count differs from the post count.
"""

from __future__ import annotations

from pathlib import Path

from fixtures.common import Tracker

from tracker.cli.context import AppContext
from tracker.cli.personas import persona_rows


def test_plain_listing_matches_the_orm_listing(isolated_env: Path, tracker: Tracker) -> None:
    from tracker.demo import seed_demo
    from tracker.posts.personas import list_personas

    seed_demo(isolated_env)
    tracker("post", "set", "1", "--status", "deleted")  # a live count below the post count
    app = AppContext(db=None, data_dir=None)
    try:
        with app.sessions()() as session:
            expected = [p.to_dict() for p in list_personas(session)]
        assert persona_rows(app) == expected
        assert len(expected) == 2 and any(p["posts"] != p["live_posts"] for p in expected)
        assert any(p["open_complaints"] for p in expected)
        assert tracker.json("personas") == expected
    finally:
        app.close()
