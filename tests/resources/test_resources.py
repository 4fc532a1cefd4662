"""Resources and their creators: listed, recorded by hand, looked up on a fake CivitAI, and the licence rule."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing
from fixtures.fakecivitai import fake_civitai
from fixtures.imagefactory import FORGE_INFOTEXT, write_png

from tracker.resources.civitai import API_ENV, commercial_from

pytestmark = pytest.mark.db

URL = "https://www.pixiv.net/artworks/720000001"


@pytest.fixture
def posted(tracker: Tracker, tmp_path: Path) -> None:
    """A Forge post: checkpoint hassakuXL_v13, LoRAs shadow-circuit and retrowave, a ControlNet unit."""
    image = write_png(tmp_path / "forge.png", {"parameters": FORGE_INFOTEXT}, image=drawing(1))
    tracker("log", image, "--url", URL, "--persona", "moth")


def by_name(tracker: Tracker) -> dict[str, dict]:
    return {r["name"]: r for r in tracker.json("resources")}


def test_resources_list_every_model_with_its_posts(posted: None, tracker: Tracker) -> None:
    found = by_name(tracker)
    assert {"hassakuXL_v13", "shadow-circuit", "retrowave"} <= set(found)
    assert found["hassakuXL_v13"]["live_posts"] == 1 and found["hassakuXL_v13"]["licence_problem"] == "unknown"
    loras = tracker.json("resources", "--kind", "lora")
    assert {r["name"] for r in loras} == {"shadow-circuit", "retrowave"}
    out = tracker("resources").stdout
    assert "hassakuXL_v13" in out and "no licence recorded" in out


def test_set_records_creator_and_licence_and_the_reply_names_the_creator(posted: None, tracker: Tracker) -> None:
    tracker("resource", "set", "hassakuXL_v13", "--creator", "Ikena", "--licence", "CreativeML Open RAIL++-M",
            "--commercial", "no")  # fmt: skip
    tracker("resource", "set", "88e247aa8c3d", "--creator", "circuit-maker", "--commercial", "yes")
    found = by_name(tracker)
    assert found["hassakuXL_v13"]["creator"] == "Ikena" and found["hassakuXL_v13"]["licence_problem"] is None
    assert found["shadow-circuit"]["licence_problem"] == "commercial"
    missing = tracker("resource", "set", "no-such-model", "--creator", "x", ok=False)
    assert missing.exit_code != 0 and "no model or LoRA named" in missing.stderr

    counts = json.loads(tracker("status", "--json").stdout)["provenance"]
    assert counts["posts_with_commercial_models"] == 1 and counts["posts_with_unknown_licence_models"] == 0
    shown = tracker.json("show", URL)["provenance"]["licence_findings"]
    codes = {(f["code"], f["message"].split(":")[0]) for f in shown}
    assert ("COMMERCIAL_MODEL", "lora shadow-circuit") in codes and ("LICENCE_UNKNOWN", "lora retrowave") in codes
    assert not any("hassakuXL_v13" in f["message"] for f in shown)

    number = tracker.json("complaint", "add", "--received", "2026-11-20", "--post", URL)["id"]
    tracker("complaint", "decide", str(number), "--action", "take_down")
    reply = tracker("complaint", "reply", str(number)).stdout
    assert "by Ikena" in reply and "by circuit-maker" in reply


def test_lookup_on_a_fake_civitai(posted: None, tracker: Tracker, monkeypatch: pytest.MonkeyPatch) -> None:
    with fake_civitai() as (base, asked):
        monkeypatch.setenv(API_ENV, base)
        result = tracker("resource", "lookup", "--all")
        assert "asking 127.0.0.1:" in result.stderr and "over the network" in result.stderr
        out = result.stdout
        assert "found          checkpoint hassakuXL_v13 [163ac69059]: Hassaku XL (v1.3) by hassaku-author" in out
        assert "NAME MISMATCH  lora shadow-circuit" in out and "made to look like a different model?" in out
        assert "UNKNOWN HASH   lora retrowave [edafb9df7da1]" in out and "private, deleted, or modified" in out
        assert "\x1b" not in out and "[bold]someone" in out  # CivitAI's text is shown literally
        first_round = len(asked)
        again = tracker.json("resource", "lookup", "--all")
        assert len(asked) == first_round and {o["status"] for o in again} == {"cached"}
        tracker("resource", "lookup", "hassakuXL_v13", "--refresh")
        assert len(asked) == first_round + 2
    found = by_name(tracker)
    hassaku = found["hassakuXL_v13"]
    assert hassaku["creator"] == "hassaku-author" and hassaku["commercial"] == "no"
    assert hassaku["lookup_status"] == "found" and hassaku["looked_up_at"]
    assert hassaku["lookup"]["model_id"] == 41 and hassaku["lookup"]["allow_derivatives"] is True
    assert hassaku["licence"].startswith("CivitAI: commercial use allowed: none")
    circuit = found["shadow-circuit"]
    assert circuit["lookup_status"] == "name_mismatch" and circuit["commercial"] == "yes"
    assert found["retrowave"]["lookup_status"] == "unknown_hash" and found["retrowave"]["creator"] is None


def test_lookup_keeps_what_the_owner_recorded(posted: None, tracker: Tracker, monkeypatch: pytest.MonkeyPatch) -> None:
    tracker("resource", "set", "hassakuXL_v13", "--creator", "my note of the author", "--commercial", "yes")
    with fake_civitai() as (base, _):
        monkeypatch.setenv(API_ENV, base)
        tracker("resource", "lookup", "hassakuXL_v13")
    hassaku = by_name(tracker)["hassakuXL_v13"]
    assert hassaku["creator"] == "my note of the author" and hassaku["commercial"] == "yes"
    assert hassaku["lookup"]["creator"] == "hassaku-author"


def test_lookup_with_the_network_blocked_is_one_clear_line(
    posted: None, tracker: Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An address literal (no DNS query leaves the machine); the suite's socket guard refuses the connection.
    monkeypatch.setenv(API_ENV, "https://192.0.2.1")
    result = tracker("resource", "lookup", "hassakuXL_v13", "--timeout", "2", ok=False)
    assert result.exit_code != 0
    errors = result.stderr.strip().splitlines()
    assert errors == [
        "tracker: asking 192.0.2.1 about 1 model hash(es) over the network (nothing else is sent)",
        "tracker: error: cannot reach 192.0.2.1: network access blocked in tests (tried 192.0.2.1)",
    ]
    assert by_name(tracker)["hassakuXL_v13"]["lookup_status"] is None


def test_lookup_times_out_cleanly(posted: None, tracker: Tracker, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # accepts the connection, never answers
    try:
        monkeypatch.setenv(API_ENV, f"http://127.0.0.1:{silent.getsockname()[1]}")
        started = datetime.now(UTC)
        result = tracker("resource", "lookup", "hassakuXL_v13", "--timeout", "0.5", ok=False)
        assert (datetime.now(UTC) - started).total_seconds() < 10
    finally:
        silent.close()
    assert result.exit_code != 0 and len(result.stderr.strip().splitlines()) == 2  # the notice, the error
    assert "0.5" in result.stderr or "timed out" in result.stderr


def test_lookup_needs_names_or_all(posted: None, tracker: Tracker) -> None:
    assert tracker("resource", "lookup", ok=False).exit_code == 2


@pytest.mark.parametrize(
    ("value", "expected"),
    [("None", ("no", [])), (["Image", "Sell"], ("yes", ["Image", "Sell"])), ("Image", ("yes", ["Image"])),
     ([], ("no", [])), (None, ("no", [])), ([1, "Rent"], ("yes", ["Rent"]))],
)  # fmt: skip
def test_commercial_flags(value: object, expected: tuple[str, list[str]]) -> None:
    assert commercial_from(value) == expected


def test_status_counts_provenance_gaps(posted: None, tracker: Tracker, tmp_path: Path) -> None:
    plain = tmp_path / "for-a-friend.png"
    drawing(2).save(plain)
    refused = tracker(
        "log", plain, "--url", "https://www.pixiv.net/artworks/720000002", "--requested-by", "a friend", ok=False
    )
    assert refused.exit_code != 0 and "--permission-at" in refused.stderr
    assert len(tracker.json("posts")) == 1  # nothing logged
    tracker("log", plain, "--url", "https://www.pixiv.net/artworks/720000002", "--requested-by", "a friend",
            "--permission-at", "2026-11-01", "--permission-ref", "https://example.org/dm/1")  # fmt: skip
    shown = tracker("show", "https://www.pixiv.net/artworks/720000002").stdout
    assert "made for   a friend, permission given 2026-11-01  (https://example.org/dm/1)" in shown
    status = json.loads(tracker("status", "--json").stdout)["provenance"]
    assert status == {
        "posts_with_unrecorded_inputs": 1,
        "posts_with_commercial_models": 0,
        "posts_with_unknown_licence_models": 1,
        "requests_without_permission": 0,
    }
    line = tracker("status").stdout
    assert "Provenance: 1 live post with image inputs not recorded" in line


def test_exceptions_exempt_a_listed_model(posted: None, tracker: Tracker, isolated_env: Path) -> None:
    tracker("resource", "set", "shadow-circuit", "--commercial", "yes")
    tracker("resource", "set", "retrowave", "--commercial", "no")
    tracker("resource", "set", "hassakuXL_v13", "--commercial", "no")
    assert json.loads(tracker("status", "--json").stdout)["provenance"]["posts_with_commercial_models"] == 1
    (isolated_env / "commercial-exceptions.txt").write_text("# my exceptions\nshadow-circuit\n", encoding="utf-8")
    assert json.loads(tracker("status", "--json").stdout)["provenance"]["posts_with_commercial_models"] == 0
    assert tracker.json("show", URL)["provenance"]["licence_findings"] == []


def test_two_loras_sharing_a_hash_are_told_apart_by_name(tracker: Tracker, tmp_path: Path) -> None:
    for n in range(2):
        text = (
            f"a cat <lora:myLora{n}:0.7>\nSteps: 20, Sampler: Euler, Seed: 1, Model: m, "
            f'Lora hashes: "myLora{n}: 1234567890ab"'
        )
        image = write_png(tmp_path / f"{n}.png", {"parameters": text}, image=drawing(n))
        tracker("log", image, "--url", f"https://www.pixiv.net/artworks/72000001{n}", "--persona", "moth")
    refused = tracker("resource", "set", "1234567890ab", "--creator", "X", ok=False)
    assert refused.exit_code == 2 and "give its name" in refused.stderr and "hash" not in refused.stderr.split(":")[-1]
    tracker("resource", "set", "myLora1", "--creator", "X")
