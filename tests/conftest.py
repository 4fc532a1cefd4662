"""Shared fixtures: every test gets its own data folder and database, never the user's."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from tracker.cli import cli

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point the tracker at a temporary data folder; drop any of the developer's settings."""
    data = tmp_path / "data"
    for name in ("TRACKER_DB", "TRACKER_ARCHIVE", "TRACKER_PERSONA"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TRACKER_DATA_DIR", str(data))
    yield data


class Tracker:
    """Runs `tracker` commands through Click's runner, like a user at a terminal."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, ok: bool = True) -> Result:
        result = self.runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, f"exit {result.exit_code}: {result.output}"
        return result

    def json(self, *args: str) -> Any:
        return json.loads(self(*args, "--json").stdout)


@pytest.fixture
def tracker() -> Tracker:
    return Tracker()


def corpus_manifest() -> list[dict[str, Any]]:
    """The corpus entries, or skip when ../shared/corpus is not beside the repository."""
    manifest = CORPUS / "manifest.json"
    if not manifest.is_file():
        pytest.skip(f"corpus not found at {CORPUS} (needs ../shared/corpus beside the repository)")
    return json.loads(manifest.read_text())
