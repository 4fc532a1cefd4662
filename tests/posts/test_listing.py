"""`tracker posts --json` / `--jsonl`: streamed listings that say exactly what `show` says of each post."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fixtures.common import Tracker, query
from fixtures.imagefactory import FORGE_INFOTEXT, pixels, write_novelai_png, write_png
from fixtures.stealth_writer import embed_stealth, noise

pytestmark = pytest.mark.db

SHOW_ONLY = ("events", "provenance", "last_check")
IMAGE_SHOW_ONLY = ("generation", "raw_metadata", "archive_file")
"""What `show --json` adds to a post and its image that a listing leaves out."""


@pytest.fixture
def archive(tracker: Tracker, tmp_path: Path) -> None:
    """Posts of every kind a listing meets: infotext, NovelAI, hidden metadata, none, one image twice."""
    forge = write_png(tmp_path / "夜の庭.png", {"parameters": FORGE_INFOTEXT})
    tracker("log", forge, "--url", "https://www.pixiv.net/artworks/100000001", "--persona", "moth",
            "--title", "夜の庭", "--posted-at", "2026-10-01")  # fmt: skip
    tracker("log", forge, "--url", "https://x.com/moth_ai/status/1800000000000000001")
    tracker(
        "log", write_novelai_png(tmp_path / "nai.png"), "--url", "https://bsky.app/profile/moth.bsky.social/post/3kabc"
    )
    bare = tmp_path / "bare.png"
    pixels(seed=9).save(bare)
    tracker("log", bare, "--url", "https://www.pixiv.net/artworks/100000002", "--requested-by", "a friend",
            "--permission-at", "2026-09-30")  # fmt: skip
    hidden = tmp_path / "hidden.png"
    embed_stealth(noise(96, 96, seed=4), "a hidden prompt\nSteps: 20, Sampler: Euler, Seed: 1").save(hidden)
    tracker("log", hidden, "--url", "https://www.pixiv.net/artworks/100000003")


def _expected(tracker: Tracker, post_id: int) -> dict[str, Any]:
    shown = tracker.json("show", str(post_id))
    image = {k: v for k, v in shown["image"].items() if k not in IMAGE_SHOW_ONLY}
    return {**{k: v for k, v in shown.items() if k not in SHOW_ONLY}, "image": image}


def test_the_listing_says_what_show_says_of_every_post(archive: None, tracker: Tracker) -> None:
    listed = tracker.json("posts")
    assert [p["id"] for p in listed] == [5, 4, 3, 2, 1]  # newest logged first
    for post in listed:
        assert post == _expected(tracker, post["id"])
    by_id = {p["id"]: p for p in listed}
    assert by_id[1]["image"] == by_id[2]["image"]  # one picture, two platforms
    assert by_id[1]["image"]["generator"] and by_id[3]["image"]["generator"] == "novelai"
    assert by_id[4]["image"]["generator"] is None and by_id[4]["request"]["requested_by"] == "a friend"
    assert by_id[5]["image"]["hidden_metadata"]


def test_json_lines_give_one_post_per_line(archive: None, tracker: Tracker) -> None:
    out = tracker("posts", "--jsonl").stdout
    lines = out.splitlines()
    assert len(lines) == 5 and out.endswith("\n")
    assert [json.loads(line) for line in lines] == tracker.json("posts")
    assert "夜の庭" in out  # readable, not \\u-escaped


def test_filters_and_an_empty_listing(archive: None, tracker: Tracker) -> None:
    assert [p["id"] for p in tracker.json("posts", "--platform", "pixiv")] == [5, 4, 1]
    assert [p["id"] for p in tracker.json("posts", "--status", "live", "--persona", "moth")] == [5, 4, 3, 2, 1]
    assert tracker("posts", "--persona", "nobody", "--json").stdout == "[]\n"
    assert tracker("posts", "--persona", "nobody", "--jsonl").stdout == ""
    both = tracker("posts", "--json", "--jsonl", ok=False)
    assert both.exit_code != 0 and "choose one" in both.output


def test_text_from_metadata_cannot_drive_the_terminal(tracker: Tracker, tmp_path: Path) -> None:
    hostile = FORGE_INFOTEXT.replace("Model: hassakuXL_v13", "Model: hassaku\x1b]52;c;ZXZpbA==\x07\u202e\x9b31m", 1)
    tracker("log", write_png(tmp_path / "h.png", {"parameters": hostile}, image=pixels(seed=5)),
            "--url", "https://www.pixiv.net/artworks/100000009", "--persona", "moth")  # fmt: skip
    for flag in ("--json", "--jsonl"):
        out = tracker("posts", flag).stdout
        assert not any(c in out for c in "\x1b\x07\u202e\x9b")
        assert "hassaku\\u001b]52;c;ZXZpbA==\\u0007\\u202e\\u009b31m" in out
        assert json.loads(out.splitlines()[0 if flag == "--jsonl" else 1])["image"]["model"]["name"].startswith(
            "hassaku\x1b"
        )


def test_reports_are_kept_and_rebuilt_when_the_rules_change(
    archive: None, tracker: Tracker, isolated_env: Path
) -> None:
    first = tracker("posts", "--jsonl").stdout
    kept = query(isolated_env, "SELECT image_id, context FROM image_report ORDER BY image_id")
    assert [image for image, _ in kept] == [1, 2, 3, 4]  # one report per image, the shared one once
    assert tracker("posts", "--jsonl").stdout == first  # spliced from what was kept, word for word
    # A new artist list changes what the rules say: no kept report may answer for it.
    (isolated_env / "artists.txt").write_text("solo\n")
    flagged = [json.loads(line) for line in tracker("posts", "--jsonl").stdout.splitlines()]
    forge = next(p for p in flagged if p["id"] == 1)
    assert any("solo" in f["message"] for f in forge["image"]["findings"])
    assert forge == _expected(tracker, 1)
    assert {context for _, context in query(isolated_env, "SELECT image_id, context FROM image_report")} != {kept[0][1]}


def test_a_kept_report_is_escaped_again(archive: None, tracker: Tracker, isolated_env: Path) -> None:
    """A database restored from elsewhere could hold anything in its kept reports."""
    tracker("posts", "--jsonl")
    from fixtures.common import database_url
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url(isolated_env))
    with engine.begin() as conn:
        conn.execute(text("UPDATE image_report SET report = :r"), {"r": '{"generator": "x\x1b]52;c;\u202e"}'})
    engine.dispose()
    out = tracker("posts", "--jsonl").stdout
    assert "\x1b" not in out and "\u202e" not in out
    assert json.loads(out.splitlines()[0])["image"]["generator"] == "x\x1b]52;c;\u202e"
