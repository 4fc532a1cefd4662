"""The text report of `inspect`, `log` and `show`: marks that say what `--json` says."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import pixels
from fixtures.stealth_writer import stealth_bits, write_bits

pytestmark = pytest.mark.db


def test_a_read_problem_without_metadata_is_marked_a_warning(tracker: Tracker, tmp_path: Path) -> None:
    # Hidden data claiming 512 MiB in a 64x64 image: a read problem (a warning), and no generator found.
    bits = stealth_bits(b"stealth_pngcomp", b"x" * 64, length_bits=0xFFFFFFFF)
    path = tmp_path / "claim.png"
    write_bits(pixels((64, 64), mode="RGBA"), bits, "alpha").save(path)
    [report] = tracker.json("inspect", path)
    severity = {f["code"]: f["severity"] for f in report["findings"]}
    assert report["generator"] is None and severity == {"NO_METADATA": "problem", "READ_PROBLEM": "warning"}
    out = tracker("inspect", path).stdout
    assert "rule       ! NO_METADATA: " in out
    assert "rule       ? READ_PROBLEM: " in out and "! READ_PROBLEM" not in out
