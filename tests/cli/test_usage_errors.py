"""A usage error Click finds is one line on stderr, in the form of every other error, exit 2.

(`tracker: error: Missing option '--url' (see tracker log --help)`, not Click's four lines of
usage, hint, blank line and error.)
"""

from __future__ import annotations

import sys

import pytest

from tracker.cli import main


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["log", "x.png"], "Missing option '--url' (see tracker log --help)"),
        (["nosuch"], "No such command 'nosuch' (see tracker --help)"),
        (["posts", "--bogus"], "No such option '--bogus' (see tracker posts --help)"),
        (["complaint", "show"], "Missing argument 'NUMBER' (see tracker complaint show --help)"),
        (
            ["purge", "status", "someone", "--limit", "-1"],
            "Invalid value for '--limit': -1 is not in the range x>=0 (see tracker purge status --help)",
        ),
        (["resource", "lookup"], "name the models to look up, or give --all"),
    ],
)
def test_usage_error_is_one_line(
    args: list[str], line: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "argv", ["tracker", *args])
    with pytest.raises(SystemExit) as stopped:
        main()
    assert stopped.value.code == 2
    captured = capsys.readouterr()
    assert captured.err == f"tracker: error: {line}\n"
    assert captured.out == ""


@pytest.mark.parametrize("args", [[], ["purge"]], ids=["tracker", "tracker purge"])
def test_a_group_alone_still_shows_its_help(
    args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "argv", ["tracker", *args])
    with pytest.raises(SystemExit):
        main()
    err = capsys.readouterr().err
    assert err.startswith(f"Usage: {' '.join(['tracker', *args])} [OPTIONS] COMMAND [ARGS]...\n")
    assert "Commands:" in err and "tracker: error" not in err
