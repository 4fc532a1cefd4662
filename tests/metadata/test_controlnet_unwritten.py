"""A ControlNet unit written as `""` is still a ControlNet unit: an input image was used.

The Mikubill extension serialises a unit as `""` when one of its values holds `,` or `:`
(docs/formats-and-platforms.md, ControlNet). The key alone says the unit was on; `inspect` used
to print "no image-input technique in the metadata" and no rule.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import write_png

pytestmark = pytest.mark.db

SETTINGS = "a cat\nNegative prompt: lowres\nSteps: 20, Sampler: Euler a, Seed: 1, Size: 64x48, Model hash: 45a21ea00a, Model: someModel_v1"
CANNY = 'ControlNet 0: "Module: canny, Model: control_v11p_sd15_canny [d14c016b], Weight: 0.8"'


def test_an_empty_unit_is_an_input_of_unknown_risk(tracker: Tracker, tmp_path: Path) -> None:
    path = write_png(tmp_path / "cn.png", {"parameters": f'{SETTINGS}, ControlNet 0: "", Version: v1.10.1'})
    report = tracker.json("inspect", path)[0]
    assert [(t["kind"], t["unit"], t["module"], t["model"], t["risk_class"]) for t in report["techniques"]] == [
        ("controlnet", 0, None, None, "unknown")
    ]
    [finding] = [f for f in report["findings"] if f["code"] == "INPUT_IMAGE"]
    assert finding["message"] == "an input image was used (controlnet, risk unknown): it must be your own or licensed"
    shown = tracker("inspect", path).stdout
    assert "no image-input technique" not in shown
    assert "controlnet 0  -  -  weight -  risk: unknown" in shown


def test_an_empty_unit_beside_a_written_one_is_listed_too(tracker: Tracker, tmp_path: Path) -> None:
    text = f'{SETTINGS}, {CANNY}, ControlNet 1: "", Version: v1.10.1'
    report = tracker.json("inspect", write_png(tmp_path / "two.png", {"parameters": text}))[0]
    assert [(t["unit"], t["module"], t["risk_class"]) for t in report["techniques"]] == [
        (0, "canny", "lineart"),
        (1, None, "unknown"),
    ]
