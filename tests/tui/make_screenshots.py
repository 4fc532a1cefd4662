"""Draw the README's TUI screenshots (SVG, Textual's own export) from the demo archive.

    .venv/bin/python tests/tui/make_screenshots.py [--out tests/tui/screenshots]

The demo archive is built in a throwaway folder with a fixed clock, the app is driven headlessly
(as the tests drive it) at 100x30, and the dashboard and the triage of the overdue complaint are
saved as `dashboard.svg` and `triage.svg`. Pictures are drawn as text placeholders: an SVG cannot
hold the terminal's graphics.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
SIZE = (100, 30)


async def _draw(out: Path, folder: Path) -> list[Path]:
    from tracker.cli.context import AppContext
    from tracker.demo import seed_demo
    from tracker.tui.app import TrackerApp
    from tracker.tui.screens.triage import TriageScreen

    info = seed_demo(folder, now=NOW)
    app = TrackerApp(AppContext(db=info.db_url, data_dir=str(folder)), clock=lambda: NOW)
    written = []
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        written.append(Path(app.save_screenshot("dashboard.svg", str(out))))
        app.open_complaint(info.overdue_complaint)
        await _settle(pilot)
        screen = app.screen
        if not isinstance(screen, TriageScreen) or screen.result is None:
            raise SystemExit("the triage screen did not load")
        await _settle(pilot)
        written.append(Path(app.save_screenshot("triage.svg", str(out))))
    return written


async def _settle(pilot: object) -> None:
    app = pilot.app  # type: ignore[attr-defined]
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)  # type: ignore[attr-defined]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "screenshots", help="folder for the SVG files")
    args = parser.parse_args(argv)
    os.environ["TZ"] = "UTC"  # dates in the pictures do not depend on the machine
    time.tzset()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tracker-screenshots-") as tmp:
        for path in asyncio.run(_draw(args.out, Path(tmp) / "demo")):
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
