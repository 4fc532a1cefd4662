"""`tracker import` tells the owner which new images break her rules, as `tracker log` would one by one.

A folder holding a re-saved JPEG without metadata, an InstantID image and a prompt naming an artist
used to end in counts only; the findings were stored but never said.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import A1111_INFOTEXT, pixels, write_png

pytestmark = pytest.mark.db

SETTINGS = "Steps: 20, Sampler: Euler, Seed: 1, Size: 64x48, Model hash: 45a21ea00a, Model: waiIllustriousSDXL_v160"
INSTANTID = (
    "a portrait\n" + SETTINGS + ', ControlNet 0: "Module: instant_id_face_embedding, '
    'Model: ip-adapter_instant_id_sdxl [eb2d3ec0], Weight: 1"'
)
ARTIST = "1girl, solo, by Greg Rutkowski\n" + SETTINGS
UNHASHED_LORA = "a cat <lora:nohash:0.5>\n" + SETTINGS  # a warning only: the LoRA has no hash
TEMPLATE = "https://www.pixiv.net/artworks/{id}"


def owner_folder(root: Path) -> Path:
    """The reviewer's case: a clean image, three that break a rule, one with a warning only."""
    root.mkdir()
    write_png(root / "clean.png", {"parameters": A1111_INFOTEXT}, image=pixels(seed=1))
    pixels(seed=2).save(root / "resaved.jpg", quality=90)
    write_png(root / "instantid.png", {"parameters": INSTANTID}, image=pixels(seed=3))
    write_png(root / "120000050_p0.png", {"parameters": ARTIST}, image=pixels(seed=4))
    write_png(root / "lora.png", {"parameters": UNHASHED_LORA}, image=pixels(seed=5))
    return root


def rule_line(tracker: Tracker, path: Path, code: str) -> str:
    """`! CODE: message` as `tracker inspect` (the report `tracker log` prints) words it."""
    [line] = [line for line in tracker("inspect", path).stdout.splitlines() if f" {code}: " in line]
    return line.split("rule", 1)[1].strip()


def test_the_summary_names_each_new_image_that_breaks_a_rule(tracker: Tracker, tmp_path: Path) -> None:
    folder = owner_folder(tmp_path / "batch")
    result = tracker("import", folder, "--persona", "mia", "--url-template", TEMPLATE)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("5 files: 5 new images")
    assert lines[1] == "3 new images break your rules (! problem, ? warning):"
    by_file = {Path(line.split()[0]).name: line for line in lines[2:5]}
    assert set(by_file) == {"resaved.jpg", "instantid.png", "120000050_p0.png"}
    for name, code in (("resaved.jpg", "NO_METADATA"), ("instantid.png", "IDENTITY_INPUT")):
        assert rule_line(tracker, folder / name, code) in by_file[name]
    artist = by_file["120000050_p0.png"]
    assert "https://www.pixiv.net/artworks/120000050" in artist  # the post it was logged for
    assert rule_line(tracker, folder / "120000050_p0.png", "ARTIST_NAME") in artist
    # warnings only, and few: listed after the problems, one line each
    assert lines[5] == "1 new image has warnings only:"
    assert Path(lines[6].split()[0]).name == "lora.png" and "? HASH_MISSING: " in lines[6]
    assert lines[7].startswith("4 files archived without a post (if one is online, ")  # then one a line
    assert len(lines) == 12 and "clean.png" in lines[8] + lines[9] + lines[10] + lines[11]

    again = tracker("import", folder, "--persona", "mia", "--url-template", TEMPLATE)
    assert again.stdout.splitlines() == [
        "5 files: 0 new images, 0 new posts, 0 archived without a post, 5 already done, 0 failed"
    ]  # only what this import added is reported


def test_json_lists_the_findings_of_each_new_image(tracker: Tracker, tmp_path: Path) -> None:
    folder = owner_folder(tmp_path / "batch")
    result = tracker("import", folder, "--persona", "mia", "--url-template", TEMPLATE, "--json")
    flagged = json.loads(result.stdout)["rule_findings"]
    names = [Path(item["file"]).name for item in flagged]
    assert names[:3] == ["120000050_p0.png", "instantid.png", "resaved.jpg"] and names[3:] == ["lora.png"]
    by_name = {Path(item["file"]).name: item for item in flagged}
    artist = by_name["120000050_p0.png"]
    assert artist["post_url"] == "https://www.pixiv.net/artworks/120000050" and artist["problems"] == 1
    assert [(f["code"], f["severity"]) for f in artist["findings"]] == [("ARTIST_NAME", "problem")]
    assert "'by Greg Rutkowski'" in artist["findings"][0]["message"]
    assert by_name["resaved.jpg"]["post_url"] is None
    assert by_name["resaved.jpg"]["findings"][0]["code"] == "NO_METADATA"
    assert by_name["instantid.png"]["findings"][0]["code"] == "IDENTITY_INPUT"
    lora = by_name["lora.png"]
    assert (lora["problems"], lora["warnings"]) == (0, 1) and lora["findings"][0]["code"] == "HASH_MISSING"
    assert len(by_name["resaved.jpg"]["sha256"]) == 64


def test_a_long_list_is_capped_and_many_warnings_are_counted(tracker: Tracker, tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for seed in range(25):
        pixels(seed=100 + seed).save(folder / f"plain{seed:02d}.png")  # no metadata: a problem each
    for seed in range(5):
        write_png(folder / f"lora{seed}.png", {"parameters": UNHASHED_LORA}, image=pixels(seed=200 + seed))
    result = tracker("import", folder, "--persona", "mia")
    lines = result.stdout.splitlines()
    assert lines[1] == "25 new images break your rules (! problem, ? warning):"
    assert all("! NO_METADATA: " in line for line in lines[2:22])
    assert lines[22].startswith("  ... and 5 more: ") and "tracker inspect" in lines[22]
    assert lines[23].startswith("? 5 new images have warnings only (5 with HASH_MISSING)")
    assert (
        lines[24].startswith("30 files archived without a post")
        and lines[30] == "  ... and 25 more: --json lists them all"
    )
    assert len(lines) == 31 and "lora0.png" not in "".join(lines[:24])

    folder2 = tmp_path / "again"
    folder2.mkdir()
    for seed in range(22):
        pixels(seed=300 + seed).save(folder2 / f"p{seed}.png")
    flagged = tracker.json("import", folder2, "--persona", "mia")["rule_findings"]
    assert len(flagged) == 22  # JSON lists them all


def test_findings_from_untrusted_metadata_and_names_stay_inert(tracker: Tracker, tmp_path: Path) -> None:
    folder = tmp_path / "hostile"
    folder.mkdir()
    pixels(seed=7).save(folder / "evil\x1b[2J\u202e.jpg", "JPEG")
    prompt = "1girl, in the style of evil\x1b]0;owned\x07\u202egnp.exe\n" + SETTINGS
    write_png(folder / "styled.png", {"parameters": prompt}, image=pixels(seed=8))
    out = tracker("import", folder, "--persona", "mia").stdout
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "evil\\x1b[2J\\u202e.jpg" in out and "! NO_METADATA: " in out
    assert "! ARTIST_NAME: " in out and "\\x1b]0;owned" in out


def test_an_image_line_spells_out_two_problems_and_counts_the_rest(tracker: Tracker, tmp_path: Path) -> None:
    prompt = "1girl, artist:alpha, by Greg Rutkowski, in the style of Ilya Kuvshinov <lora:nohash:0.5>\n" + SETTINGS
    image = write_png(tmp_path / "three.png", {"parameters": prompt}, image=pixels(seed=9))
    [line] = tracker("import", image, "--persona", "mia").stdout.splitlines()[2:3]
    assert line.count("! ARTIST_NAME: ") == 2
    assert line.endswith("(+1 more problem; 1 warning: HASH_MISSING)")
