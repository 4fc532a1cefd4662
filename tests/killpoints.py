"""Run a `tracker` command in a session of its own and SIGKILL the whole session at a named point.

The command stops itself (SIGSTOP) when it reaches the point `TRACKER_TEST_STOP_AT` names (see
`tracker.testhooks`); the test sees the stopped process and kills every process of the session,
workers included, with SIGKILL: no clean-up code runs, as after `kill -9` or a power cut.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import REPO

from tracker.support.testhooks import STOP_ENV


def _session_states(session: int) -> list[bytes]:
    """The state letter (/proc/PID/stat) of every process of this session."""
    states = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2 :].split()
        if len(fields) > 3 and int(fields[3]) == session:
            states.append(fields[0])
    return states


def _stopped_in_session(session: int) -> bool:
    return any(state in (b"T", b"t") for state in _session_states(session))


def kill_at(args: list[str], data_dir: Path, point: str, stdin: str = "", limit: float = 60.0) -> bool:
    """Run `tracker ARGS` and SIGKILL it at `point` (NAME#N); False when it finished without reaching it."""
    env = {k: v for k, v in os.environ.items() if k not in ("TRACKER_DB", "TRACKER_ARCHIVE", "TRACKER_PERSONA")}
    env.update(TRACKER_DATA_DIR=str(data_dir), PYTHONPATH=str(REPO), **{STOP_ENV: point})
    proc = subprocess.Popen(
        [sys.executable, "-m", "tracker.cli", *args],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    assert proc.stdin is not None
    proc.stdin.write(stdin.encode())
    proc.stdin.close()
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            assert proc.stderr is not None
            err = proc.stderr.read().decode(errors="replace")
            assert "Traceback" not in err, err
            return False
        if _stopped_in_session(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            assert proc.stderr is not None
            proc.stderr.close()
            _wait_session_gone(proc.pid)
            return True
        time.sleep(0.005)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    raise AssertionError(f"tracker {' '.join(args)} neither stopped at {point} nor finished in {limit}s")


def _wait_session_gone(session: int) -> None:
    """Until every process of the killed session has gone (workers die a moment after the parent)."""
    for _ in range(2000):
        if all(state in (b"Z", b"X") for state in _session_states(session)):
            return
        time.sleep(0.005)
