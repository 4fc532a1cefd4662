"""How fast the TUI dashboard opens on a big archive: 100,000 posts and 1,000 complaints.

    PYTHONPATH=. python tests/benchmarks/dashboard_speed.py [--posts 100000] [--complaints 1000] [--repeat 5]

Builds a throwaway SQLite archive through the real schema (alembic head) with bulk inserts
(images with random hashes, posts over two personas and three platforms, complaints of which a
third are overdue and half name a post), then times, in one process:

- `overdue_summary` + the dashboard's queries alone (what `tracker status` runs), and
- the whole dashboard: `TrackerApp.run_test()` from start until the dashboard's tables are
  filled (app start-up, then the worker: database open, queries; then the render), median of
  --repeat runs.

Prints a table. The target (issue 5) is under one second for the dashboard.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from sqlalchemy import insert  # noqa: E402

from tracker.complaints.queue import open_complaints, overdue_summary, recent_complaints  # noqa: E402
from tracker.db.models import Account, Complaint, ComplaintPost, Image, Persona, Post  # noqa: E402
from tracker.db.session import open_database  # noqa: E402
from tracker.support.settings import load_settings  # noqa: E402

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def populate(data_dir: Path, n_posts: int, n_complaints: int) -> float:
    settings = load_settings(data_dir=str(data_dir), env={})
    factory = open_database(settings)
    rng = np.random.default_rng(5)
    start = time.perf_counter()
    with factory() as session, session.begin():
        conn = session.connection()
        conn.execute(insert(Persona), [{"name": "moth", "created_at": NOW}, {"name": "lantern", "created_at": NOW}])
        platforms = ("pixiv", "x", "bluesky")
        conn.execute(
            insert(Account),
            [
                {"persona_id": p, "platform": pl, "handle": f"h{p}{pl}", "created_at": NOW}
                for p in (1, 2)
                for pl in platforms
            ],
        )
        hashes = rng.integers(0, 2**63, size=(n_posts, 4), dtype=np.int64)
        step = 20000
        for lo in range(0, n_posts, step):
            hi = min(n_posts, lo + step)
            conn.execute(
                insert(Image),
                [
                    {
                        "sha256": f"{i:064x}",
                        "original_name": f"img{i}.png",
                        "archive_path": f"00/{i:064x}.png",
                        "format": "PNG",
                        "width": 832,
                        "height": 1216,
                        "size_bytes": 1_500_000,
                        "raw_metadata": {},
                        "generation": None,
                        "findings": [],
                        "phash": int(hashes[i, 0]).to_bytes(8, "big", signed=True),
                        "dhash": int(hashes[i, 1]).to_bytes(8, "big", signed=True),
                        "persona_id": 1 + i % 2,
                        "created_at": NOW,
                    }
                    for i in range(lo, hi)
                ],
            )
            conn.execute(
                insert(Post),
                [
                    {
                        "image_id": i + 1,
                        "account_id": 1 + i % 6,
                        "url": f"https://www.pixiv.net/artworks/{10_000_000 + i}",
                        "platform": platforms[i % 3],
                        "platform_post_id": str(10_000_000 + i),
                        "status": "live",
                        "posted_at": NOW - timedelta(minutes=i),
                        "status_changed_at": NOW,
                        "logged_at": NOW,
                    }
                    for i in range(lo, hi)
                ],
            )
        conn.execute(
            insert(Complaint),
            [
                {
                    "received_at": NOW - timedelta(days=int(rng.integers(0, 60))),
                    "channel": "email",
                    "legal_basis": ("dmca", "dsa", "jp")[k % 3],
                    "complainant_name": f"sender {k}",
                    "claimed_urls": [],
                    "completeness": {},
                    "deadline_at": NOW + timedelta(days=(-5 if k % 3 == 0 else 5)),
                    "status": ("open", "decided", "answered", "closed")[k % 4] if k % 3 else "open",
                    "persona_id": 1 + k % 2,
                    "created_at": NOW,
                }
                for k in range(n_complaints)
            ],
        )
        conn.execute(
            insert(ComplaintPost),
            [
                {"complaint_id": k + 1, "post_id": int(rng.integers(1, n_posts + 1)), "reference": "#1"}
                for k in range(0, n_complaints, 2)
            ],
        )
    return time.perf_counter() - start


def queries(data_dir: Path) -> float:
    settings = load_settings(data_dir=str(data_dir), env={})
    start = time.perf_counter()
    factory = open_database(settings)
    with factory() as session:
        overdue_summary(session, NOW)
        open_complaints(session)
        recent_complaints(session, limit=20)
    return time.perf_counter() - start


def dashboard(data_dir: Path) -> tuple[float, int, str]:
    from textual.widgets import DataTable, Static

    from tracker.cli.context import AppContext
    from tracker.tui.app import TrackerApp
    from tracker.tui.screens.dashboard import DashboardScreen

    async def run() -> tuple[float, int, str]:
        start = time.perf_counter()
        context = AppContext(db=None, data_dir=str(data_dir), _settings=load_settings(data_dir=str(data_dir), env={}))
        app = TrackerApp(context, clock=lambda: NOW)
        async with app.run_test(size=(120, 40)) as pilot:
            while not isinstance(app.screen, DashboardScreen) or not app.screen.loaded:
                await pilot.pause(0.001)
            elapsed = time.perf_counter() - start
            rows = app.screen.query_one("#complaints", DataTable).row_count
            banner = str(app.screen.query_one("#banner", Static).render())
        context.close()
        return elapsed, rows, banner

    return asyncio.run(run())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--complaints", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tracker-bench-") as tmp:
        folder = Path(tmp)
        built = populate(folder, args.posts, args.complaints)
        query_times = [queries(folder) for _ in range(args.repeat)]
        runs = [dashboard(folder) for _ in range(args.repeat)]
        times = [t for t, _, _ in runs]
        print(f"archive: {args.posts:,} posts, {args.complaints:,} complaints (built in {built:.1f} s)\n")
        print("| measure | median s | min s | max s |")
        print("|---|---:|---:|---:|")
        print(
            f"| open database + dashboard queries | {statistics.median(query_times):.3f} | "
            f"{min(query_times):.3f} | {max(query_times):.3f} |"
        )
        print(
            f"| dashboard open (app start to filled tables) | {statistics.median(times):.3f} | {min(times):.3f} | {max(times):.3f} |"
        )
        print(f"\ncomplaint rows shown: {runs[0][1]}; banner: {runs[0][2]}")


if __name__ == "__main__":
    main()
