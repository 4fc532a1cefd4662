"""How fast a persona is burnt down on a big archive: plan, marks and scrub with 100,000 posts.

    PYTHONPATH=. python tests/benchmarks/purge_speed.py [--posts 100000]

Builds a throwaway SQLite archive through the real schema (alembic head) with bulk inserts: two
personas with three accounts each (pixiv, X, Bluesky), one image per post with two model links
and an audit entry for each image, post and link (as `tracker log` writes them), and a tiny
archived file per image. Half the posts belong to the persona that is burnt down. Then times, in
one process: the plan (`build_plan`) and each renderer, `tracker purge status`'s query, marking every
item done with two patterns (`post:*`, `*`), a dry run, and the scrub, stage by stage (rows in
one transaction, files, VACUUM with secure_delete), and the byte check. Prints a table.

The target (issue 6): the plan and the scrub take seconds, not minutes.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from sqlalchemy import insert, select  # noqa: E402

from tracker.db.models import Account, Event, Image, ImageResource, Persona, Post, Resource  # noqa: E402
from tracker.db.session import open_database, session_scope  # noqa: E402
from tracker.platforms.urls import load_platforms  # noqa: E402
from tracker.purge import scrub as purge_scrub  # noqa: E402
from tracker.purge.marks import mark_items, start_or_get_run  # noqa: E402
from tracker.purge.plan import build_plan  # noqa: E402
from tracker.purge.render import render  # noqa: E402
from tracker.support.settings import Settings, load_settings  # noqa: E402

NOW = datetime(2026, 6, 1, tzinfo=UTC)
PLATFORMS = ("pixiv", "x", "bluesky")
T = TypeVar("T")


def _url(i: int) -> str:
    kind = PLATFORMS[i % 3]
    if kind == "pixiv":
        return f"https://www.pixiv.net/artworks/{10_000_000 + i}"
    if kind == "x":
        return f"https://x.com/h{1 + i % 2}x/status/{1_800_000_000_000_000_000 + i}"
    return f"https://bsky.app/profile/h{1 + i % 2}bluesky.bsky.social/post/3k{i:010d}"


def populate(settings: Settings, n_posts: int) -> float:
    """Two personas, six accounts, n_posts posts (persona 1 has the even ones), events and files."""
    factory = open_database(settings)
    start = time.perf_counter()
    with factory() as session, session.begin():
        conn = session.connection()
        conn.execute(insert(Persona), [{"name": "moth", "created_at": NOW}, {"name": "lantern", "created_at": NOW}])
        conn.execute(
            insert(Account),
            [
                {"persona_id": p, "platform": pl, "handle": f"h{p}{pl}", "created_at": NOW}
                for p in (1, 2)
                for pl in PLATFORMS
            ],
        )
        conn.execute(
            insert(Resource),
            [{"kind": "lora", "name": f"lora{k}", "hash": f"{k:012x}", "created_at": NOW} for k in range(4)],
        )
        step = 10_000
        for lo in range(0, n_posts, step):
            hi = min(n_posts, lo + step)
            images, posts, links, events = [], [], [], []
            for i in range(lo, hi):
                persona = 1 + i % 2
                sha = f"{i:064x}"
                images.append(
                    {
                        "sha256": sha,
                        "original_name": f"img{i}.png",
                        "archive_path": f"{sha[-2:]}/{sha}.png",
                        "format": "PNG",
                        "width": 832,
                        "height": 1216,
                        "size_bytes": 1,
                        "raw_metadata": {},
                        "generation": None,
                        "findings": [],
                        "phash": i.to_bytes(8, "big"),
                        "dhash": i.to_bytes(8, "big"),
                        "persona_id": persona,
                        "created_at": NOW,
                    }
                )
                account = (persona - 1) * 3 + 1 + i % 3
                posts.append(
                    {
                        "image_id": i + 1,
                        "account_id": account,
                        "url": _url(i),
                        "platform": PLATFORMS[i % 3],
                        "platform_post_id": str(i),
                        "title": f"work {i}",
                        "status": "live",
                        "posted_at": NOW - timedelta(minutes=i),
                        "status_changed_at": NOW,
                        "logged_at": NOW,
                    }
                )
                for position, resource in enumerate((1 + persona, 1 + (persona + 1) % 4)):
                    links.append({"image_id": i + 1, "resource_id": resource, "position": position, "weight": 0.7})
                events.append(_event("image", i + 1, {"sha256": [None, sha], "persona_id": [None, persona]}))
                events.append(_event("post", i + 1, {"url": [None, _url(i)], "title": [None, f"work {i}"]}))
            conn.execute(insert(Image), images)
            conn.execute(insert(Post), posts)
            conn.execute(insert(ImageResource), links)
            conn.execute(insert(Event), events)
    for row in range(n_posts):
        sha = f"{row:064x}"
        folder = settings.archive_dir / sha[-2:]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{sha}.png").write_bytes(b"x")
    return time.perf_counter() - start


def _event(entity: str, entity_id: int, changes: dict[str, Any]) -> dict[str, Any]:
    return {"at": NOW, "entity": entity, "entity_id": entity_id, "action": "create", "changes": changes}


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tracker-bench-") as tmp:
        settings = load_settings(data_dir=tmp, env={})
        built = populate(settings, args.posts)
        factory = open_database(settings)
        platforms = load_platforms(settings.reference_file("platforms.toml"))
        rows: list[tuple[str, float, str]] = []

        with session_scope(factory, command="purge plan") as session:
            start_or_get_run(session, "moth")
        with factory() as session:
            seconds, plan = timed(lambda: build_plan(session, "moth", platforms, settings))
        rows.append(("build_plan (the checklist)", seconds, f"{len(plan.items):,} items"))
        for fmt in ("md", "csv", "html", "json"):
            seconds, text = timed(lambda fmt=fmt: render(plan, fmt))  # type: ignore[misc]
            rows.append((f"render {fmt}", seconds, f"{len(text) / 2**20:.1f} MiB"))

        def mark(keys: list[str]) -> int:
            with session_scope(factory, command="purge mark") as session:
                return len(mark_items(session, "moth", keys, "done", platforms, settings))

        seconds, n = timed(lambda: mark(["post:*"]))
        rows.append(("mark 'post:*' done (posts become deleted)", seconds, f"{n:,} items"))
        seconds, n = timed(lambda: mark(["*"]))
        rows.append(("mark '*' done (the rest)", seconds, f"{n:,} items"))

        seconds, report = timed(lambda: purge_scrub.scrub(factory, settings, "moth", platforms, dry_run=True))
        rows.append(("scrub --dry-run", seconds, f"{sum(report.rows.values()):,} rows"))

        stages: dict[str, float] = {}
        original_crash_point = purge_scrub._crash_point
        clock = [time.perf_counter()]

        def stage(step: str) -> None:
            now = time.perf_counter()
            stages[step] = now - clock[0]
            clock[0] = now
            original_crash_point(step)

        purge_scrub._crash_point = stage  # type: ignore[assignment]
        before = settings.sqlite_path.stat().st_size if settings.sqlite_path else 0
        seconds, report = timed(lambda: purge_scrub.scrub(factory, settings, "moth", platforms))
        rows.append(("scrub (all stages)", seconds, f"{sum(report.rows.values()):,} rows"))
        rows.append(("  rows, one transaction", stages["after_db_delete_before_commit"], ""))
        rows.append(("  commit", stages["after_commit"], ""))
        rows.append(("  files", stages["during_files"] + stages["after_files"], f"{report.files_deleted:,} files"))
        rows.append(
            (
                "  VACUUM + checkpoint",
                stages["after_vacuum"],
                f"{before / 2**20:.0f} -> {(report.database_bytes_after or 0) / 2**20:.0f} MiB",
            )
        )
        residue = report.residue
        rows.append(
            (
                "  byte check of the file",
                time.perf_counter() - clock[0],
                f"name found: {residue.name_found if residue else '-'}, "
                f"URLs found: {residue.urls_found if residue else '-'} of {residue.urls_checked if residue else '-'}",
            )
        )
        with factory() as session:
            left = session.scalar(select(Post.id).join(Account).where(Account.persona_id == 1).limit(1))
            others = len(session.scalars(select(Post.id)).all())
        print(f"archive: {args.posts:,} posts over 2 personas (built in {built:.1f} s)\n")
        print("| step | seconds | |")
        print("|---|---:|---|")
        for name, secs, note in rows:
            print(f"| {name} | {secs:.2f} | {note} |")
        print(
            f"\nafter the scrub: posts of the scrubbed persona left: {0 if left is None else 'SOME'}; "
            f"other persona's posts: {others:,}"
        )


if __name__ == "__main__":
    main()
