"""Start-up of whole `tracker` processes, as ratios against plain Python baselines.

    python tests/benchmarks/startup.py [--runs 7] [--tracker PATH ...] [--posts 1000] [--no-demo]

Each row pairs one tracker command with the baseline it is judged against, runs them in turn
(A B A B ..., one warm-up each, then `--runs` counted runs) and prints both medians and their
ratio:

- `tracker --version` against `python -c "import click"` (target: at most 3x);
- `tracker import --help` and `tracker log --help` against `python -c "import click"` (target:
  at most 3x, as `--version`: a command's help loads no database or imaging library);
- `tracker status` on a database of `--posts` posts against
  `python -c "import sqlalchemy, sqlite3"` (target: at most 1.6x), and `tracker complaint list`
  on it (the same target: SQLAlchemy Core, no ORM);
- `tracker personas` on that database against `python -c "import click"` (target: at most 3x: a
  SQLite file at this revision is read with the standard library's driver, no SQLAlchemy);
- `tracker inspect FILE` (`data/examples/forge-example.png`), without a database and with that
  one, against `python -c "import numpy, PIL.Image"` (target: at most 2.5x: reading one file
  needs Pillow and numpy, not the ORM);
- `tracker show 1` on that database against `python -c "import click"` (for information: a SQLite
  file at this revision is read with the standard library's driver, no SQLAlchemy), and `tracker
  complaint show 1` (a complaint naming post 1) against `python -c "import sqlalchemy.orm"` (for
  information: it reads through the ORM);
- `python -c pass` against `python -c "import numpy, PIL.Image"` (for information: the floor and
  the imaging libraries on this machine, measured in the same run);
- `tracker demo` until its first screen is drawn against a minimal Textual app that shows one
  DataTable (target: at most 1.5x), and until its sample data is on screen (for information).
  Both run in a pseudo-terminal of 80x24 that answers the terminal queries an xterm answers
  (device attributes, cell size), and a run ends when the screen's text appears.

`--no-demo` leaves out the two `tracker demo` rows (no pseudo-terminal, no Textual).
`--tracker` may be given several times (for example an older checkout's `tracker` next to this
one's): every tracker is measured in the same run, so the ratios can be compared. The database
for `status` is made once per tracker by `tracker import` of generated images, in a temporary
folder that is deleted afterwards. Nothing is written into the repository.
"""

from __future__ import annotations

import argparse
import os
import pty
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "examples" / "forge-example.png"
"""The image `tracker inspect` reads: a Forge PNG with models, LoRAs and a ControlNet unit."""

MINIMAL_APP = """
from textual.app import App
from textual.widgets import DataTable

class Minimal(App):
    def compose(self):
        yield DataTable()

    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns("id", "what")
        table.add_row("1", "first-screen-marker")

Minimal().run()
"""

_ESCAPES = re.compile(
    rb"\x1b(?:\[[0-9;?<=>$ ]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|_[^\x1b]*\x1b\\|[()][0-9A-Za-z]|[=>78])"
)
_QUERIES = {
    b"\x1b[c": b"\x1b[?62;22c",  # primary device attributes: a VT220-class terminal without Sixel
    b"\x1b[16t": b"\x1b[6;16;8t",  # cell size in pixels
}


@dataclass
class Row:
    label: str
    command: Callable[[], float]
    baseline_label: str
    baseline: Callable[[], float]
    target: float | None
    """The ratio the row must stay under; None: shown for information."""


def timed(argv: list[str], env: dict[str, str]) -> float:
    """Wall time of one whole process, start to exit."""
    start = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def first_screen(argv: list[str], env: dict[str, str], marker: bytes, timeout: float = 60.0) -> float:
    """Seconds from starting `argv` in an 80x24 pseudo-terminal until `marker` is on its screen."""
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: a terminal of 80x24, then the command
        try:
            import fcntl

            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
            os.execvpe(argv[0], argv, env)
        finally:
            os._exit(127)
    seen = b""
    try:
        while True:
            left = timeout - (time.perf_counter() - start)
            if left <= 0:
                raise TimeoutError(f"{argv[0]}: no first screen after {timeout:.0f} s")
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                chunk = b""
            if not chunk:
                raise RuntimeError(f"{argv[0]} ended before its first screen: {seen[-300:]!r}")
            seen += chunk
            for query, answer in _QUERIES.items():
                if query in chunk:
                    os.write(fd, answer)
            if marker in _ESCAPES.sub(b"", seen):
                return time.perf_counter() - start
    finally:
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
        os.close(fd)


def _png(width: int, height: int, seed: int) -> bytes:
    """A small RGB PNG whose pixels differ from every other seed's."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)
        for x in range(width):
            v = (x * 7 + y * 13 + seed * 31) & 0xFF
            rows += bytes(((v * seed) & 0xFF, (x * seed + y) & 0xFF, (y * 3 + seed) & 0xFF))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(rows))) + chunk(b"IEND", b"")
    )


def make_database(tracker: str, folder: Path, posts: int, env: dict[str, str]) -> dict[str, str]:
    """A data folder holding `posts` logged posts, made by `tracker import`; its environment."""
    images = folder / "images"
    images.mkdir(parents=True)
    for n in range(posts):
        (images / f"{100000000 + n}.png").write_bytes(_png(32, 32, n + 1))
    data_env = {**env, "TRACKER_DATA_DIR": str(folder / "data")}
    done = subprocess.run(
        [tracker, "import", str(images), "--persona", "bench", "--url-template", "https://www.pixiv.net/artworks/{id}"],
        env=data_env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"could not make the {posts}-post database: {done.stderr.strip()}")
    complaint = [tracker, "complaint", "add", "--post", "1", "--basis", "dmca", "--name", "A. Bench"]
    done = subprocess.run(complaint, env=data_env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"could not add a complaint to the database: {done.stderr.strip()}")
    return data_env


def measure(row: Row, runs: int) -> tuple[list[float], list[float]]:
    """One warm-up of each, then `runs` pairs, alternating."""
    row.command()
    row.baseline()
    a: list[float] = []
    b: list[float] = []
    for _ in range(runs):
        a.append(row.command())
        b.append(row.baseline())
    return a, b


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="counted runs of each command (default 7)")
    parser.add_argument("--posts", type=int, default=1000, help="posts in the status database (default 1000)")
    parser.add_argument("--no-demo", action="store_true", help="leave out the two `tracker demo` rows")
    parser.add_argument(
        "--tracker",
        action="append",
        help="a tracker executable (repeat to compare; default: the one beside this Python)",
    )
    args = parser.parse_args()
    from fresh_bytecode import compile_package

    compile_package()  # time what an installed tracker runs, not the compiler
    python = sys.executable
    trackers = args.tracker or [str(Path(python).parent / "tracker")]
    for exe in trackers:
        if not shutil.which(exe):
            sys.exit(f"no tracker executable at {exe}")

    scratch = Path(tempfile.mkdtemp(prefix="tracker-startup-"))
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    base_env.update(
        TERM="xterm-256color", COLORTERM="truecolor", TMPDIR=str(scratch), TRACKER_DATA_DIR=str(scratch / "none")
    )
    try:
        minimal = scratch / "minimal_app.py"
        minimal.write_text(MINIMAL_APP)

        def baseline(code: str) -> Callable[[], float]:
            return lambda: timed([python, "-c", code], base_env)

        click_only, imaging, core, orm = (
            baseline(code)
            for code in (
                "import click",
                "import numpy, PIL.Image",
                "import sqlalchemy, sqlite3",
                "import sqlalchemy.orm",
            )
        )
        rows = [Row("python -c pass", baseline("pass"), 'python -c "import numpy, PIL.Image"', imaging, None)]
        for n, exe in enumerate(trackers):
            tag = f" [{n + 1}]" if len(trackers) > 1 else ""
            status_env = make_database(exe, scratch / f"db{n}", args.posts, base_env)
            posts = f"{args.posts:,} posts{tag}"

            def run(argv: list[str], env: dict[str, str] = base_env, exe: str = exe) -> Callable[[], float]:
                return lambda: timed([exe, *argv], env)

            rows += [
                Row(f"tracker --version{tag}", run(["--version"]), 'python -c "import click"', click_only, 3.0),
                Row(
                    f"tracker import --help{tag}",
                    run(["import", "--help"]),
                    'python -c "import click"',
                    click_only,
                    3.0,
                ),
                Row(f"tracker log --help{tag}", run(["log", "--help"]), 'python -c "import click"', click_only, 3.0),
                Row(
                    f"tracker status, {posts}",
                    run(["status"], status_env),
                    'python -c "import sqlalchemy, sqlite3"',
                    core,
                    1.6,
                ),
                Row(
                    f"tracker complaint list, {posts}",
                    run(["complaint", "list"], status_env),
                    'python -c "import sqlalchemy, sqlite3"',
                    core,
                    1.6,
                ),
                Row(
                    f"tracker personas, {posts}",
                    run(["personas"], status_env),
                    'python -c "import click"',
                    click_only,
                    3.0,
                ),
                Row(
                    f"tracker inspect FILE, no database{tag}",
                    run(["inspect", str(EXAMPLE)]),
                    'python -c "import numpy, PIL.Image"',
                    imaging,
                    2.5,
                ),
                Row(
                    f"tracker inspect FILE, {posts}",
                    run(["inspect", str(EXAMPLE)], status_env),
                    'python -c "import numpy, PIL.Image"',
                    imaging,
                    2.5,
                ),
                Row(
                    f"tracker show 1, {posts}",
                    run(["show", "1"], status_env),
                    'python -c "import click"',
                    click_only,
                    None,
                ),
                Row(
                    f"tracker complaint show 1, {posts}",
                    run(["complaint", "show", "1"], status_env),
                    'python -c "import sqlalchemy.orm"',
                    orm,
                    None,
                ),
            ]
            if args.no_demo:
                continue
            rows += [
                Row(
                    f"tracker demo, first screen{tag}",
                    lambda exe=exe: first_screen([exe, "demo"], base_env, b"Recent posts"),
                    "minimal Textual app, one DataTable",
                    lambda: first_screen([python, str(minimal)], base_env, b"first-screen-marker"),
                    1.5,
                ),
                Row(
                    f"tracker demo, its data on screen{tag}",
                    lambda exe=exe: first_screen([exe, "demo"], base_env, b"Studio North"),  # whole at 80 columns
                    "minimal Textual app, one DataTable",
                    lambda: first_screen([python, str(minimal)], base_env, b"first-screen-marker"),
                    None,
                ),
            ]
        print(f"{args.runs} runs each after one warm-up, medians in seconds; Python {sys.version.split()[0]}")
        print()
        head = ("command", "median", "baseline", "median", "ratio", "target")
        lines = [head]
        for row in rows:
            a, b = measure(row, args.runs)
            ratio = statistics.median(a) / statistics.median(b)
            lines.append(
                (
                    row.label,
                    f"{statistics.median(a):.3f}",
                    row.baseline_label,
                    f"{statistics.median(b):.3f}",
                    f"{ratio:.2f}x",
                    "-" if row.target is None else f"<= {row.target:g}x {'ok' if ratio <= row.target else 'OVER'}",
                )
            )
        widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
        for line in lines:
            print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(line)).rstrip())
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
