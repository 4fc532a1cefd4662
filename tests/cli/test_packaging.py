"""The installed app (not the checkout) carries its migrations and reference data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _clean_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TRACKER_", "PYTHON"))}
    env["TRACKER_DATA_DIR"] = str(tmp_path / "data")
    return env


@pytest.mark.slow
def test_installed_package_finds_migrations_and_data(tmp_path: Path) -> None:
    probe = (
        "import tracker, tracker.support.paths as p;"
        "print(p.migrations_dir()); print(p.shipped_data_dir()); print(tracker.__file__)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        env=_clean_env(tmp_path),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    migrations, data, module = (Path(line) for line in out)
    assert (migrations / "env.py").is_file() and list((migrations / "versions").glob("0001_*.py"))
    assert (data / "platforms.toml").is_file() and (data / "risk.toml").is_file()
    package = module.parent
    if REPO not in package.parents:  # a real install: the files must be inside the package
        assert migrations == package / "_migrations"
        assert data == package / "_data"


@pytest.mark.slow
def test_installed_console_script_creates_a_database(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "tracker"
    if not script.exists():
        pytest.skip("the tracker console script is not installed in this environment")
    db = tmp_path / "fresh.db"

    def tracker(*args: str) -> subprocess.CompletedProcess[str]:
        command = [str(script), "--db", str(db), *args]
        return subprocess.run(command, cwd=tmp_path, env=_clean_env(tmp_path), capture_output=True, text=True)

    result = tracker("posts", "--json")
    assert result.returncode == 2 and "no database at" in result.stderr, "reading makes no database"
    assert not db.exists()
    result = tracker("complaint", "add", "--message", "Please take my picture down.", "--json")
    assert result.returncode == 0, result.stderr
    assert db.is_file()
    result = tracker("posts", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


@pytest.mark.slow
def test_errors_are_one_line_without_traceback(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "tracker"
    if not script.exists():
        pytest.skip("the tracker console script is not installed in this environment")
    bogus = tmp_path / "x.png"
    bogus.write_text("not an image")
    result = subprocess.run(
        [str(script), "log", str(bogus), "--url", "https://www.pixiv.net/artworks/1", "--persona", "p"],
        cwd=tmp_path,
        env=_clean_env(tmp_path),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("tracker: error: x.png: not an image")
