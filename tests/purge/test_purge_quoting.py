"""Commands the purge prints for copy-paste name a persona with spaces as one shell word (shlex.quote)."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing

from tracker.purge.items import command

pytestmark = pytest.mark.db

NAME = "Moth Atelier"
QUOTED = shlex.quote(NAME)


@pytest.fixture
def persona(tracker: Tracker, tmp_path: Path) -> str:
    path = tmp_path / "scene.png"
    drawing(1).save(path)
    tracker("log", path, "--url", "https://www.pixiv.net/artworks/120000001", "--persona", NAME, "--new-persona")
    return NAME


def assert_quoted(output: str) -> None:
    """Every command in `output` that names the persona has it quoted; none has it bare."""
    for bare in (f"status {NAME}", f"scrub {NAME}", f"--persona {NAME}"):
        assert bare not in output, f"unquoted {bare!r} in:\n{output}"


def test_command_quotes_each_word() -> None:
    line = command("tracker", "purge", "scrub", NAME, "--dry-run")
    assert line == "tracker purge scrub 'Moth Atelier' --dry-run"
    assert shlex.split(line)[3] == NAME
    assert command("tracker", "purge", "status", "moth") == "tracker purge status moth"
    assert shlex.split(command("tracker", "purge", "status", "it's")) == ["tracker", "purge", "status", "it's"]


@pytest.mark.parametrize("fmt", ["md", "csv", "html"])
def test_the_plan_prints_pasteable_commands(tracker: Tracker, persona: str, fmt: str) -> None:
    out = tracker("purge", "plan", persona, "--format", fmt).stdout
    assert_quoted(out)
    quoted = QUOTED if fmt != "html" else QUOTED.replace("'", "&#x27;")
    if fmt != "csv":  # the CSV is the items only
        assert f"tracker purge status {quoted}" in out and f"tracker purge scrub {quoted}" in out
        assert f"tracker check --persona {quoted} --mark" in out


def test_mark_status_and_dry_run_print_pasteable_commands(tracker: Tracker, persona: str) -> None:
    tracker("purge", "plan", persona)
    marked = tracker("purge", "mark", "post:1", "done", "--persona", persona).stdout
    assert f"tracker purge status {QUOTED} shows what is left" in marked
    assert_quoted(marked)
    status = tracker("purge", "status", persona).stdout
    assert f"tracker check --persona {QUOTED} --mark" in status
    assert_quoted(status)
    dry = tracker("purge", "scrub", persona, "--dry-run").stdout
    assert_quoted(dry)
    refused = tracker("purge", "scrub", persona, ok=False)
    assert_quoted(refused.output)
    assert f"tracker purge status {QUOTED} lists them" in refused.output
