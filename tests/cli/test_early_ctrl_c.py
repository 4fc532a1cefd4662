"""A Ctrl+C while `tracker` is still starting (Python loading the command line) is one line and exit 130.

The command line takes tens of milliseconds to load (Click, the command registry): a Ctrl+C pressed then is
as likely as one pressed later, and must say the same one line, never Python's traceback.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import tracker

REPO = Path(__file__).resolve().parents[2]
PACKAGE = Path(tracker.__file__).resolve().parent
SCRIPT = Path(sys.executable).parent / "tracker"

CTRL_C_WHILE_LOADING = """
import os, signal, sys


class CtrlC:  # Ctrl+C pressed the moment Python starts loading MODULE, deep inside the command line's imports
    def find_spec(self, name, path=None, target=None):
        if name == os.environ["CTRL_C_AT"]:
            sys.meta_path.remove(self)
            if os.environ.get("CTRL_C_IN_EXEC"):  # inside code run by exec() of a string, as dataclasses make methods
                exec("os.kill(os.getpid(), signal.SIGINT); sum(range(100)); [0 for _ in range(100)]")
            else:
                os.kill(os.getpid(), signal.SIGINT)
        return None


sys.meta_path.insert(0, CtrlC())
"""
"""A `sitecustomize` for the child: it runs before the command does, and presses Ctrl+C on one import."""


def _env(tmp_path: Path, ctrl_c_at: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TRACKER_", "PYTHON"))}
    env["TRACKER_DATA_DIR"] = str(tmp_path / "data")
    env["PYTHONPATH"] = str(REPO)
    if ctrl_c_at is not None:
        hook = tmp_path / "hook"
        hook.mkdir(exist_ok=True)
        (hook / "sitecustomize.py").write_text(CTRL_C_WHILE_LOADING)
        env["PYTHONPATH"] = os.pathsep.join([str(hook), str(REPO)])
        env["CTRL_C_AT"] = ctrl_c_at
    return env


def _default_sigint() -> None:
    """In the child, before it execs: SIGINT as a terminal's Ctrl+C (a test run in the background ignores it)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _commands() -> list[list[str]]:
    commands = [[sys.executable, "-m", "tracker"]]
    if SCRIPT.exists():  # the console script `pip install` made
        commands.append([str(SCRIPT)])
    return commands


@pytest.mark.parametrize("module", ["click", "tracker.cli.context", "tracker.errors"])
@pytest.mark.parametrize("command", _commands(), ids=lambda c: "script" if c[0] == str(SCRIPT) else "python -m")
def test_ctrl_c_while_the_command_line_loads_is_one_line(tmp_path: Path, module: str, command: list[str]) -> None:
    done = subprocess.run(
        [*command, "status"],
        env=_env(tmp_path, ctrl_c_at=module),
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_default_sigint,
    )
    assert (done.returncode, done.stderr) == (130, "tracker: aborted\n"), done.stderr
    assert done.stdout == ""
    assert not (tmp_path / "data").exists(), "nothing was made"


@pytest.mark.parametrize("module", ["tracker.cli.context", "tracker.cli.status"], ids=["loading", "command-loading"])
def test_ctrl_c_inside_a_dataclass_being_made_still_exits_130(tmp_path: Path, module: str) -> None:
    """Python marks a KeyboardInterrupt leaving `exec()` of a string as never caught, even once tracker caught and
    said it, and then kills itself with SIGINT at exit: the shell would see 130 + nothing it can tell apart from
    a process killed before it could speak, and `set -e` scripts a different status than the line says."""
    env = {**_env(tmp_path, ctrl_c_at=module), "CTRL_C_IN_EXEC": "1"}
    for command in _commands():
        done = subprocess.run(
            [*command, "status"], env=env, capture_output=True, text=True, timeout=60, preexec_fn=_default_sigint
        )
        assert (done.returncode, done.stderr) == (130, "tracker: aborted\n"), (command, done.returncode, done.stderr)


PARSE_INTERRUPTED = """
import os, signal, sys
import click
import tracker.cli

real_parse_args = click.Group.parse_args


def parse_args(self, ctx, args):  # Ctrl+C pressed while Click reads the command line, before any command runs
    os.kill(os.getpid(), signal.SIGINT)
    return real_parse_args(self, ctx, args)


click.Group.parse_args = parse_args
sys.argv = ["tracker", *sys.argv[1:]]
tracker.cli.main()
"""


def test_ctrl_c_while_the_command_line_is_parsed_is_one_line_without_an_empty_one(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PARSE_INTERRUPTED, "status"],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_default_sigint,
    )
    assert (done.returncode, done.stderr) == (130, "tracker: aborted\n")


def _traceback_through_tracker(stderr: str) -> bool:
    """A traceback that passes through tracker's code: one from Python's own start (`site`, runpy, the console
    script's `import re`, loading the two-line `tracker` package and its entry module) runs before any of tracker
    can, and is out of its hands."""
    frames = re.findall(r'File "([^"]+)", line \d+, in (\S+)', stderr)
    entry = {str(PACKAGE / "__init__.py"), str(PACKAGE / "__main__.py")}
    return any(
        Path(file).is_relative_to(PACKAGE) and not (file in entry and function == "<module>")
        for file, function in frames
    )


@pytest.mark.slow
@pytest.mark.parametrize("command", _commands(), ids=lambda c: "script" if c[0] == str(SCRIPT) else "python -m")
def test_ctrl_c_in_the_first_milliseconds_is_never_a_traceback(tmp_path: Path, command: list[str]) -> None:
    """The real thing: `tracker status` started, Ctrl+C a few milliseconds later. Whatever it was doing, the
    answer is one line and exit 130, or the command's own finish (exit 2: no database here)."""
    env = _env(tmp_path)
    for delay in (0.01, 0.02, 0.03, 0.045, 0.06, 0.08):
        child = subprocess.Popen(
            [*command, "status"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=_default_sigint,
        )
        time.sleep(delay)
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=60)
        assert not _traceback_through_tracker(err), (delay, err)
        if child.returncode in (1, -signal.SIGINT) and "tracker: " not in err:
            continue  # Python itself was still starting (its own Ctrl+C handling not yet set): nothing of ours ran
        assert (child.returncode, err) == (130, "tracker: aborted\n") or (
            child.returncode == 2 and err.startswith("tracker: error: no database at")
        ), (delay, child.returncode, err)
