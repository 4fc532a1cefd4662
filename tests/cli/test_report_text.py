"""The text of `inspect`, `log` and `show`: marks that say what `--json` says; lines that fit the terminal."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.columns import assert_whole, fitting_lines
from fixtures.common import Tracker
from fixtures.imagefactory import pixels, write_exif_image, write_png
from fixtures.stealth_writer import stealth_bits, write_bits

from tracker.support.textsafe import cell_width

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


# ---------------------------------------------------------------------------- an 80-column terminal

TITLE = "夜の港で提灯を見上げる少女と石畳の坂道を描いた長い題名の作品、その二"
PROMPT = "夜の港、提灯の灯り、穏やかな水面、漁船が並ぶ夕暮れの風景、紙の灯籠が揺れる石畳の坂道、少女、masterpiece"
IP_ADAPTER = (
    'ControlNet 0: "Module: ip-adapter_face_id_plus, Model: ip-adapter-faceid-plusv2_sd15 [6e14fc1a], Weight: 0.9"'
)
INFOTEXT = (
    f"{PROMPT}\nNegative prompt: lowres, bad anatomy, watermark, signature, \x1b[31m\x1b[31m\x1b[31m\x1b[31m"
    "\x1b[31m\x1b[31m\x1b[31m\x1b[31m\x1b[31m\x1b[31m\x1b[31m\n"
    "Steps: 20, Sampler: DPM++ 2M, CFG scale: 7, Seed: 42, Size: 64x48, Model hash: 163ac69059, "
    f"Model: hassakuXL_v13, {IP_ADAPTER}, Version: f2.0.1v1.10.1-previous-669-gdfdcbab6"
)
URL = "https://www.pixiv.net/artworks/120000001"


@pytest.fixture
def logged(tracker: Tracker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = write_png(tmp_path / "night-harbour.png", {"parameters": INFOTEXT})
    tracker("log", path, "--url", URL, "--persona", "Moth", "--title", TITLE)
    monkeypatch.setenv("COLUMNS", "80")
    return path


def test_show_fits_80_columns_every_value_whole(
    tracker: Tracker, logged: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tracker.json("show", "1")
    out = tracker("show", "1").stdout
    lines = fitting_lines(out)
    for value in (TITLE, PROMPT, data["image"]["archive_file"], data["image"]["sha256"], URL):
        assert_whole(out, value)
    assert any(data["image"]["sha256"] in line for line in lines), "a hash fits a line: it is never cut"
    assert any(line.startswith("  title      夜の港") for line in lines)
    [inputs] = [line for line in lines if line.startswith("  inputs")]
    assert "ip-adapter_face_id_plus" in inputs
    at = lines.index(inputs) + 1
    rest = lines[at : at + 2]
    assert all(line.startswith(" " * 15) for line in rest), "a row's rest is indented under it"
    assert any("risk: identity" in line for line in rest) and any("[6e14fc1a]" in line for line in rest)
    for finding in data["image"]["findings"]:
        assert_whole(out, finding["message"])
    assert not [line for line in lines if line.lstrip().startswith("x1b") or line.endswith("\\")], "an escape is cut"
    assert_whole(out, "\\x1b[31m" * 11)
    monkeypatch.delenv("COLUMNS")  # into a pipe or a file: every value on its one line, as before
    piped = tracker("show", "1").stdout.splitlines()
    assert f"  archived   {data['image']['archive_file']}" in piped and f"  prompt     {PROMPT}" in piped


def test_log_and_inspect_fit_80_columns(tracker: Tracker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_png(tmp_path / "night-harbour.png", {"parameters": INFOTEXT})
    monkeypatch.setenv("COLUMNS", "80")
    for out in (tracker("inspect", path).stdout, tracker("log", path, "--url", URL, "--persona", "Moth").stdout):
        fitting_lines(out)
        assert_whole(out, "risk: identity")
    assert_whole(tracker("inspect", path).stdout, PROMPT)


LONG_LORAS = (
    "1girl <lora:very_long_lora_name_for_detailed_hands_and_eyes_v3.5_final:0.8>\n"
    "Steps: 20, Sampler: Euler, CFG scale: 7, Seed: 1, Size: 64x48, Model: m, "
    'Lora hashes: "very_long_lora_name_for_detailed_hands_and_eyes_v3.5_final: 0123456789ab", Version: v1.10.1'
)


def test_a_lora_table_too_wide_for_80_columns_keeps_each_column_whole(
    tracker: Tracker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_png(tmp_path / "hands.png", {"parameters": LONG_LORAS})
    monkeypatch.setenv("COLUMNS", "80")
    lines = fitting_lines(tracker("inspect", path).stdout)
    at = lines.index("  LoRAs      very_long_lora_name_for_detailed_hands_and_eyes_v3.5_final")
    assert lines[at + 1].split() == ["hash", "short12", "0123456789ab", "weight", "0.8"], lines[at : at + 3]
    monkeypatch.setenv("COLUMNS", "200")  # a wide terminal: the table, its header first
    wide = tracker("inspect", path).stdout.splitlines()
    at = next(i for i, line in enumerate(wide) if line.startswith("  LoRAs"))
    assert wide[at].split() == ["LoRAs", "name", "hash", "weight"]
    assert wide[at + 1].split() == [
        "very_long_lora_name_for_detailed_hands_and_eyes_v3.5_final",
        "short12",
        "0123456789ab",
        "0.8",
    ]


def test_no_metadata_headline_says_when_text_was_found_but_not_read(tracker: Tracker, tmp_path: Path) -> None:
    unread = write_exif_image(tmp_path / "unread.jpg", "SomeNewTool 3: a lighthouse at dusk | seed 7 | 30 passes")
    [report] = tracker.json("inspect", unread)
    messages = {f["code"]: f["message"] for f in report["findings"]}
    assert messages["NO_METADATA"].startswith("no generation metadata could be read: the file carries metadata")
    assert messages["READ_PROBLEM"] == "text was found but not understood as any generator's record: " + (
        "exif:UserComment (56 characters)"
    )
    bare = tmp_path / "bare.png"
    pixels().save(bare)
    [plain] = tracker.json("inspect", bare)
    assert [f["message"] for f in plain["findings"]] == [
        "no generation metadata found: every posted image should keep its metadata"
    ]


def test_inspect_at_80_columns_keeps_a_relative_path_whole(
    tracker: Tracker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file named by a relative path longer than a line (`complaints/2026-12/…png`) starts the report whole, on a
    line of its own, for the terminal to wrap, as an absolute path does: cut after a `/` (or inside its name), copied
    from the screen it named no file. No empty line above it."""
    folder = tmp_path / "complaints" / "2026-12" / "from-hanako"
    folder.mkdir(parents=True)
    name = "0123456789abcdef" * 4 + ".png"
    write_png(folder / name, {"parameters": INFOTEXT})
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "80")
    for typed in (f"complaints/2026-12/from-hanako/{name}", str(folder / name)):
        lines = fitting_lines(tracker("inspect", typed).stdout)
        assert cell_width(typed) > 80 and lines[0] == typed, lines[:3]
        assert lines[1].strip().startswith("(PNG "), lines[:3]
