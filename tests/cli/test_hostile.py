"""200+ malformed and hostile files through `inspect`, `log` and complaint intake (issue 7).

One subprocess runs every command in turn (so the memory ceiling can be measured for the tool
alone); each must end in a clear one-line error or a report, never a traceback, within 5 s, and a
failed `log` or `complaint add` must leave no record.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures.common import REPO
from fixtures.hostile import write_corpus

DRIVER = r"""
import json, resource, sys, time, traceback
from pathlib import Path
from click.testing import CliRunner
from tracker.cli import cli

def peak_mb():
    # VmHWM belongs to this process image (ru_maxrss would carry the parent's peak across exec).
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

folder, names = Path(sys.argv[1]), json.loads(Path(sys.argv[2]).read_text())
runner = CliRunner()
rows = []
for n, name in enumerate(names):
    path = str(folder / name)
    for command in (
        ["inspect", path],
        ["log", path, "--url", f"https://www.pixiv.net/artworks/{10**8 + n}", "--persona", "moth"],
        ["complaint", "add", "--image", path, "--name", "hostile"],
    ):
        start = time.perf_counter()
        result = runner.invoke(cli, command)
        seconds = time.perf_counter() - start
        crash = None
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            crash = "".join(traceback.format_exception(result.exception))[-600:]
        rows.append({"file": name, "command": command[0] + (" " + command[1] if command[0] == "complaint" else ""),
                     "exit": result.exit_code, "stdout": result.stdout[-2000:], "stderr": result.stderr,
                     "seconds": seconds, "crash": crash,
                     "rss_mb": peak_mb()})
print(json.dumps({"rows": rows, "max_rss_mb": peak_mb()}))
"""


@pytest.mark.slow
def test_hostile_files_end_cleanly(tmp_path: Path, isolated_env: Path) -> None:
    folder = tmp_path / "hostile"
    names = write_corpus(folder)
    assert len(names) >= 200
    listing = tmp_path / "names.json"
    listing.write_text(json.dumps(names))
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env.update(TRACKER_DATA_DIR=str(isolated_env), PYTHONPATH=str(REPO))
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, str(folder), str(listing)], env=env, capture_output=True, timeout=600
    )
    assert done.returncode == 0, done.stderr.decode()[-3000:]
    report = json.loads(done.stdout)
    rows = report["rows"]
    assert len(rows) == 3 * len(names)
    crashes = [(r["file"], r["command"], r["crash"]) for r in rows if r["crash"]]
    assert not crashes, crashes[:3]
    slow = [(r["file"], r["command"], round(r["seconds"], 1)) for r in rows if r["seconds"] > 5]
    assert not slow, slow
    jumps = [(r["file"], r["command"], round(r["rss_mb"])) for r in rows if r["rss_mb"] > 400]
    assert report["max_rss_mb"] < 500, (report["max_rss_mb"], sorted(jumps, key=lambda j: -j[2])[:5])
    for r in rows:
        out = r["stdout"] + r["stderr"]
        assert "Traceback" not in out and "\x1b" not in out, (r["file"], r["command"])
        if r["exit"] != 0:
            lines = [line for line in r["stderr"].splitlines() if line.strip()]
            assert len(lines) == 1 and lines[0].startswith("tracker: "), (r["file"], r["command"], r["stderr"])
    failed_logs = {r["file"] for r in rows if r["command"] == "log" and r["exit"] != 0}
    logged = {r["file"] for r in rows if r["command"] == "log" and r["exit"] == 0}
    added = sum(1 for r in rows if r["command"] == "complaint add" and r["exit"] == 0)
    assert failed_logs and logged, "the corpus must hold both readable and unreadable files"
    import sqlite3

    conn = sqlite3.connect(isolated_env / "tracker.db")
    try:
        names_in_db = {row[0] for row in conn.execute("select original_name from image")}
        posts = conn.execute("select count(*) from post").fetchone()[0]
        complaints = conn.execute("select count(*) from complaint").fetchone()[0]
    finally:
        conn.close()
    assert not (names_in_db & failed_logs), "a failed log left an image record"
    assert posts == len(logged) and complaints == added
