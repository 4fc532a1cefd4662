"""Values from image metadata that a database cannot store as they are, logged and imported alike on both backends.

A ControlNet unit numbered beyond 64 bits (SQLite: OverflowError), a module or model name longer
than its column, a NUL byte (PostgreSQL refuses both): `tracker log` logs the post, `tracker import`
records every file, and the rows hold the same fitted values on SQLite and PostgreSQL (NUL as
U+FFFD, long names cut, ending in "…"), the full text staying in the raw metadata.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from fixtures.common import Tracker, query
from fixtures.imagefactory import A1111_INFOTEXT, pixels, write_png

pytestmark = pytest.mark.db

HUGE_UNIT = (
    ', ControlNet 99999999999999999999999: "Module: canny, Model: control_v11p_sd15_canny [d14c016b], Weight: 1"'
)
LONG_MODULE = "m" * 400
LONG_MODEL = "x" * 3000


def controlnet(module: str = "canny", model: str = "control_v11p_sd15_canny [d14c016b]") -> str:
    return f', ControlNet 0: "Module: {module}, Model: {model}, Weight: 1"'


def png(path: Path, parameters: str, seed: int) -> Path:
    """A PNG with a real `parameters` text chunk (tEXt, as the webui writes it)."""
    return write_png(path, {"parameters": parameters}, image=pixels(seed=seed))


def archived_files(data: Path) -> set[str]:
    return {p.relative_to(data / "archive").as_posix() for p in (data / "archive").rglob("*.*")}


def archive_paths(data: Path) -> set[str]:
    return {row[0] for row in query(data, "select archive_path from image")}


def import_json(tracker: Tracker, *args: str | Path) -> tuple[int, dict[str, Any], str]:
    result = tracker("import", *args, "--json", ok=False)
    assert "Traceback" not in result.output and "internal error" not in result.output
    return result.exit_code, json.loads(result.stdout), result.stderr


def test_log_keeps_a_controlnet_whose_unit_number_is_too_big(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    image = png(tmp_path / "unit.png", A1111_INFOTEXT + HUGE_UNIT, seed=1)
    result = tracker("log", image, "--url", "https://www.pixiv.net/artworks/1", "--persona", "moth", ok=False)
    assert result.exit_code == 0, result.output
    assert "Logged post #1: https://www.pixiv.net/artworks/1" in result.stdout
    # The technique is kept and shown; only the number, which is no unit, is left out (and said).
    assert re.search(r"inputs +controlnet +canny +control_v11p_sd15_canny \[d14c016b\]", result.stdout)
    assert "controlnet unit 99999999999999999999999 is out of range" in result.stdout
    inputs = tracker("inputs", "1").stdout
    assert "controlnet: canny control_v11p_sd15_canny" in inputs
    assert query(isolated_env, "select kind, unit, module from technique") == [("controlnet", None, "canny")]


def test_one_file_with_a_huge_unit_costs_nothing_in_its_import(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    png(folder / "a.png", A1111_INFOTEXT, seed=1)
    png(folder / "b.png", A1111_INFOTEXT + HUGE_UNIT, seed=2)
    png(folder / "c.png", A1111_INFOTEXT, seed=3)
    code, summary, stderr = import_json(tracker, folder, "--persona", "moth")
    assert code == 0, stderr
    assert summary["failed"] == [] and summary["new_images"] == 3
    assert summary["images_without_recorded_inputs"] == 1
    names = {row[0] for row in query(isolated_env, "select original_name from image")}
    assert names == {"a.png", "b.png", "c.png"}
    assert archived_files(isolated_env) == archive_paths(isolated_env)
    # Run again: nothing left to do, nothing failing.
    code, again, _ = import_json(tracker, folder, "--persona", "moth")
    assert code == 0 and again["failed"] == [] and again["new_images"] == 0


@pytest.mark.parametrize(
    ("extra", "sql", "stored"),
    [
        pytest.param(
            controlnet(module=LONG_MODULE),
            "select module from technique",
            "m" * 299 + "…",
            id="module-400-chars",
        ),
        pytest.param(
            controlnet(model=LONG_MODEL),
            "select name from resource where kind = 'controlnet'",
            "x" * 1023 + "…",
            id="model-3000-chars",
        ),
        pytest.param(
            controlnet(module="ca\x00nny"),
            "select module from technique",
            "ca\ufffdnny",
            id="nul-in-module",
        ),
    ],
)
def test_log_fits_long_or_nul_text_to_its_column(
    tracker: Tracker, tmp_path: Path, isolated_env: Path, extra: str, sql: str, stored: str
) -> None:
    image = png(tmp_path / "text.png", A1111_INFOTEXT + extra, seed=4)
    result = tracker("log", image, "--url", "https://www.pixiv.net/artworks/2", "--persona", "moth", ok=False)
    assert result.exit_code == 0, result.output
    assert "Logged post #1" in result.stdout
    assert query(isolated_env, sql) == [(stored,)]
    # The reading as written stays whole in the raw metadata.
    raw = query(isolated_env, "select raw_metadata from image")[0][0]
    raw_text = raw if isinstance(raw, str) else json.dumps(raw)
    assert json.dumps(extra)[1:-1] in raw_text


def test_log_stores_a_model_name_with_nul(tracker: Tracker, tmp_path: Path, isolated_env: Path) -> None:
    text = A1111_INFOTEXT.replace("Model: waiIllustriousSDXL_v160", "Model: wai\x00Illustrious")
    image = png(tmp_path / "nul.png", text, seed=5)
    result = tracker("log", image, "--url", "https://www.pixiv.net/artworks/3", "--persona", "moth", ok=False)
    assert result.exit_code == 0, result.output
    assert "Logged post #1" in result.stdout
    assert query(isolated_env, "select name from resource where kind = 'checkpoint'") == [("wai\ufffdIllustrious",)]


def test_import_records_files_with_long_or_nul_text_and_archives_only_what_rows_name(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    png(folder / "good.png", A1111_INFOTEXT, seed=6)
    png(folder / "module.png", A1111_INFOTEXT + controlnet(module=LONG_MODULE), seed=7)
    png(folder / "model.png", A1111_INFOTEXT + controlnet(model=LONG_MODEL), seed=8)
    nul_model = A1111_INFOTEXT.replace("Model: waiIllustriousSDXL_v160", "Model: wai\x00Illustrious")
    png(folder / "nul.png", nul_model, seed=9)
    code, summary, stderr = import_json(tracker, folder, "--persona", "moth")
    assert code == 0, stderr
    assert summary["failed"] == [] and summary["new_images"] == 4
    assert archived_files(isolated_env) == archive_paths(isolated_env)
    modules = {row[0] for row in query(isolated_env, "select module from technique")}
    assert "m" * 299 + "…" in modules


def test_a_value_the_database_still_refuses_costs_one_file_not_the_batch(
    tracker: Tracker, tmp_path: Path, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The net under the fitting: were a value to reach the database unfitted, one file fails, not its batch."""
    import tracker.posts.log as log

    monkeypatch.setattr(log, "fitted", lambda table, values: dict(values), raising=False)
    monkeypatch.setattr("tracker.metadata.info.UNIT_RANGE", (0, 10**30), raising=False)
    folder = tmp_path / "batch"
    folder.mkdir()
    png(folder / "a.png", A1111_INFOTEXT, seed=1)
    png(folder / "b.png", A1111_INFOTEXT + HUGE_UNIT, seed=2)
    png(folder / "c.png", A1111_INFOTEXT, seed=3)
    code, summary, stderr = import_json(tracker, folder, "--persona", "moth")
    assert code == 1
    assert len(summary["failed"]) == 1 and summary["failed"][0].startswith("b.png: cannot be recorded (")
    assert summary["new_images"] == 2
    assert {row[0] for row in query(isolated_env, "select original_name from image")} == {"a.png", "c.png"}
    assert archived_files(isolated_env) == archive_paths(isolated_env)
