"""A record number no row can have (beyond SQLite's 64-bit integers) is "not there", never an internal error.

Every command that takes a record number answers as `tracker show N` does: one line
`tracker: error: no complaint #N` (`no image 'image:N'`, `no item 'post:N' ...`) and exit 1, on an
archive that holds complaints, posts and personas (so the number does reach the lookup).
"""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import pytest

from tracker.cli import main

BIG = "99999999999999999999999"
HUGE = "9" * 5000  # more digits than Python turns into an int


@pytest.fixture(scope="module")
def demo_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tracker.demo import seed_demo

    folder = tmp_path_factory.mktemp("demo")
    seed_demo(folder)
    return folder


def run(args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    """`tracker ARGS` through the console entry point: its exit code and stderr."""
    monkeypatch.setattr(sys, "argv", ["tracker", *args])
    ctrl_c = signal.getsignal(signal.SIGINT)
    try:
        with pytest.raises(SystemExit) as stopped:
            main()
    finally:
        signal.signal(signal.SIGINT, ctrl_c)  # `main` ignores Ctrl+C once the command is over: the test run keeps it
    code = stopped.value.code
    return code if isinstance(code, int) else 1, capsys.readouterr().err


COMMANDS = [
    (["complaint", "show", BIG], f"no complaint #{BIG}"),
    (["complaint", "decide", BIG, "--action", "withdrawn"], f"no complaint #{BIG}"),
    (["complaint", "confirm", BIG], f"no complaint #{BIG}"),
    (["complaint", "reply", BIG], f"no complaint #{BIG}"),
    (["complaint", "set", BIG, "--name", "x"], f"no complaint #{BIG}"),
    (["complaint", "show", f"#{BIG}"], f"no complaint #{BIG}"),
    (["complaint", "show", HUGE], "no complaint #9999"),
    (["inputs", f"image:{BIG}"], f"no image 'image:{BIG}'"),
    (["input", "add", f"image:{BIG}", "input.png", "--kind", "generic"], f"no image 'image:{BIG}'"),
    (["purge", "mark", f"post:{BIG}", "done", "--persona", "moth"], f"no item 'post:{BIG}'"),
    (["purge", "mark", f"post:{BIG}", "done"], f"no item 'post:{BIG}'"),
    (["show", BIG], f"no post '{BIG}'"),
    (["post", "set", BIG, "--title", "x"], f"no post '{BIG}'"),
    (["check", BIG], f"no post '{BIG}'"),
]


@pytest.mark.parametrize(("args", "said"), COMMANDS, ids=lambda v: " ".join(v)[:40] if isinstance(v, list) else "")
def test_a_number_beyond_any_row_is_not_found(
    args: list[str],
    said: str,
    demo_archive: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TRACKER_DATA_DIR", str(demo_archive))
    monkeypatch.delenv("TRACKER_DB", raising=False)  # the demo archive is a SQLite file of its own
    code, err = run(args, capsys, monkeypatch)
    assert code == 1, err
    assert err.count("\n") == 1 and err.startswith(f"tracker: error: {said}"), err
    assert "internal error" not in err and len(err) < 200, err


def test_a_number_that_is_not_one_is_a_usage_error(
    demo_archive: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_DATA_DIR", str(demo_archive))
    monkeypatch.delenv("TRACKER_DB", raising=False)
    code, err = run(["complaint", "show", "1.5"], capsys, monkeypatch)
    assert code == 2
    assert err == (
        "tracker: error: Invalid value for 'NUMBER': '1.5' is not a complaint number "
        "(see tracker complaint show --help)\n"
    )
