"""`tracker log`, `posts` and `show` end to end, through Click's runner, as a user runs them."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from fixtures.common import Tracker, database_url
from fixtures.imagefactory import (
    A1111_INFOTEXT,
    FORGE_INFOTEXT,
    pixels,
    write_exif_image,
    write_novelai_png,
    write_png,
)
from sqlalchemy import create_engine, text

pytestmark = pytest.mark.db

PIXIV = "https://www.pixiv.net/artworks/100000001"


def test_log_prints_the_report_and_credits(tracker: Tracker, tmp_path: Path) -> None:
    image = write_png(tmp_path / "forge.png", {"parameters": FORGE_INFOTEXT})
    out = tracker("log", image, "--url", PIXIV, "--persona", "moth", "--title", "Night").stdout
    assert "Logged post #1: https://www.pixiv.net/artworks/100000001" in out
    assert "forge f2.0.1v1.10.1-previous-669-gdfdcbab6" in out
    assert "hassakuXL_v13  autov2 163ac69059" in out
    assert "shadow-circuit  short12 88e247aa8c3d  0.78" in out
    assert "controlnet 0  canny" in out and "control_v11p_sd15_canny [d14c016b]" in out
    assert "Model: hassakuXL_v13; LoRAs: shadow-circuit, retrowave" in out


def test_posts_json_lists_every_logged_post(tracker: Tracker, tmp_path: Path) -> None:
    forge = write_png(tmp_path / "forge.png", {"parameters": FORGE_INFOTEXT})
    jpeg = write_exif_image(tmp_path / "a1111.jpg", A1111_INFOTEXT, image=pixels(seed=2))
    nai = write_novelai_png(tmp_path / "nai.png")
    tracker("log", forge, "--url", PIXIV, "--persona", "moth")
    tracker("log", jpeg, "--url", "https://x.com/moth_ai/status/1800000000000000001", "--posted-at", "2026-11-01")
    tracker("log", nai, "--url", "https://bsky.app/profile/moth.bsky.social/post/3kabc123")
    posts = tracker.json("posts")
    assert [p["platform"] for p in posts] == ["bluesky", "x", "pixiv"]
    by_platform = {p["platform"]: p for p in posts}
    assert by_platform["x"]["platform_post_id"] == "1800000000000000001"
    assert by_platform["x"]["account"]["handle"] == "moth_ai"
    assert by_platform["x"]["posted_at"].startswith("2026-")
    assert by_platform["x"]["image"]["generator"] == "a1111"
    assert by_platform["x"]["image"]["model"]["hash"] == "45a21ea00a"
    assert by_platform["x"]["image"]["vae"]["name"] == "sdxl_vae_fp16_fix.safetensors"
    assert by_platform["bluesky"]["image"]["generator"] == "novelai"
    assert by_platform["bluesky"]["image"]["techniques"][0]["kind"] == "vibe_transfer"
    assert {p["persona"] for p in posts} == {"moth"}
    assert {p["status"] for p in posts} == {"live"}
    assert len(tracker.json("posts", "--platform", "x")) == 1
    assert tracker.json("posts", "--status", "deleted") == []


def test_same_image_twice_is_one_image_two_posts(tracker: Tracker, tmp_path: Path, isolated_env: Path) -> None:
    image = write_png(tmp_path / "forge.png", {"parameters": FORGE_INFOTEXT})
    first = tracker.json("log", image, "--url", PIXIV, "--persona", "moth")
    second = tracker.json("log", image, "--url", "https://twitter.com/moth_ai/status/1800000000000000002")
    assert first["new_image"] is True and second["new_image"] is False
    assert first["image"]["id"] == second["image"]["id"]
    archived = list((isolated_env / "archive").rglob("*.png"))
    assert len(archived) == 1
    assert archived[0].read_bytes() == image.read_bytes()
    assert second["url"] == "https://x.com/moth_ai/status/1800000000000000002"


def test_same_url_twice_is_a_clear_error(tracker: Tracker, tmp_path: Path) -> None:
    image = write_png(tmp_path / "forge.png", {"parameters": FORGE_INFOTEXT})
    other = write_png(tmp_path / "other.png", {}, image=pixels(seed=9))
    tracker("log", image, "--url", PIXIV, "--persona", "moth")
    result = tracker("log", other, "--url", "https://www.pixiv.net/en/artworks/100000001?utm_source=x", ok=False)
    assert result.exit_code != 0
    assert (
        result.stderr.strip() == "tracker: error: https://www.pixiv.net/artworks/100000001 is already logged (post #1)"
    )
    assert len(tracker.json("posts")) == 1


def test_unknown_platform_needs_platform_option(tracker: Tracker, tmp_path: Path) -> None:
    image = write_png(tmp_path / "a.png", {"parameters": A1111_INFOTEXT})
    result = tracker("log", image, "--url", "https://example.org/gallery/7", "--persona", "moth", ok=False)
    assert result.exit_code != 0 and "--platform" in result.stderr and len(result.stderr.splitlines()) == 1
    ok = tracker.json("log", image, "--url", "https://example.org/gallery/7", "--persona", "moth", "--platform", "blog")
    assert ok["platform"] == "blog"


def test_failed_log_writes_nothing(tracker: Tracker, tmp_path: Path, isolated_env: Path) -> None:
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    result = tracker("log", bad, "--url", PIXIV, "--persona", "moth", ok=False)
    assert result.exit_code != 0 and "bad.png" in result.stderr and "Traceback" not in result.output
    listed = tracker("posts", "--json", ok=False)
    assert "no database at" in listed.stderr if listed.exit_code else json.loads(listed.stdout) == []
    assert not list((isolated_env / "archive").rglob("*.*")) if (isolated_env / "archive").exists() else True


def test_persona_rules(tracker: Tracker, tmp_path: Path) -> None:
    a = write_png(tmp_path / "a.png", {"parameters": A1111_INFOTEXT})
    result = tracker("log", a, "--url", PIXIV, ok=False)
    assert "no persona yet" in result.stderr
    tracker("log", a, "--url", "https://x.com/moth_ai/status/1", "--persona", "moth")
    tracker("log", a, "--url", "https://x.com/moth_ai/status/2")  # the only persona is used
    clash = tracker("log", a, "--url", "https://x.com/moth_ai/status/3", "--persona", "other", ok=False)
    assert "belongs to persona 'moth'" in clash.stderr
    tracker("log", a, "--url", "https://x.com/other_ai/status/4", "--persona", "other")
    ambiguous = tracker("log", a, "--url", PIXIV, ok=False)
    assert "several personas" in ambiguous.stderr


def test_show_by_id_and_url_with_history(tracker: Tracker, tmp_path: Path) -> None:
    image = write_png(tmp_path / "forge.png", {"parameters": FORGE_INFOTEXT})
    tracker("log", image, "--url", PIXIV, "--persona", "moth", "--title", "Night")
    by_id = tracker.json("show", "1")
    by_url = tracker.json("show", "https://www.pixiv.net/en/artworks/100000001")
    assert by_id["id"] == by_url["id"] == 1
    assert by_id["title"] == "Night"
    assert by_id["image"]["raw_metadata"]["entries"][0]["key"] == "parameters"
    assert by_id["image"]["generation"]["seed"] == 1234567890
    assert [e["action"] for e in by_id["events"]] == ["create"]
    assert by_id["events"][0]["changes"]["url"] == [None, PIXIV]
    text_out = tracker("show", "1").stdout
    assert "status     live" in text_out and "prompt     masterpiece" in text_out
    [created] = [line for line in text_out.splitlines() if " create " in line]
    assert 'url: (none) -> "https://www.pixiv.net/artworks/100000001"' in created and "None" not in text_out
    missing = tracker("show", "99", ok=False)
    assert missing.exit_code != 0 and missing.stderr.strip() == "tracker: error: no post '99'"


def test_audit_trail_records_every_created_record(tracker: Tracker, tmp_path: Path, isolated_env: Path) -> None:
    image = write_png(tmp_path / "forge.png", {"parameters": FORGE_INFOTEXT})
    tracker("log", image, "--url", PIXIV, "--persona", "moth")
    engine = create_engine(database_url(isolated_env))
    with engine.connect() as conn:
        rows = conn.execute(text("select entity, action, command from event")).all()
    entities = {r[0] for r in rows}
    assert {"persona", "account", "image", "post", "resource", "image_resource", "technique"} <= entities
    assert {(r[1], r[2]) for r in rows} == {("create", "log")}


def test_findings_flag_the_owners_rules(tracker: Tracker, tmp_path: Path) -> None:
    plain = tmp_path / "plain.png"
    pixels(seed=5).save(plain)
    out = tracker("log", plain, "--url", PIXIV, "--persona", "moth").stdout
    assert "no generation metadata" in out
    artist = write_png(
        tmp_path / "artist.png",
        {"parameters": "1girl, artist:someone famous\nSteps: 20, Sampler: Euler, Seed: 1, Model: m"},
        image=pixels(seed=6),
    )
    flagged = tracker.json("log", artist, "--url", "https://x.com/moth_ai/status/5")
    assert any(f["code"] == "ARTIST_NAME" for f in flagged["image"]["findings"])


@pytest.mark.sqlite_only
def test_database_and_archive_are_private(tracker: Tracker, tmp_path: Path, isolated_env: Path) -> None:
    image = write_png(tmp_path / "forge.png", {"parameters": FORGE_INFOTEXT})
    tracker("log", image, "--url", PIXIV, "--persona", "moth")
    assert stat.S_IMODE(os.stat(isolated_env / "tracker.db").st_mode) == 0o600
    assert stat.S_IMODE(os.stat(isolated_env).st_mode) == 0o700
    archive = isolated_env / "archive"
    assert stat.S_IMODE(os.stat(archive).st_mode) == 0o700
    for path in archive.rglob("*"):
        assert stat.S_IMODE(os.stat(path).st_mode) == (0o700 if path.is_dir() else 0o600)


def test_db_option_takes_a_path_or_url(tracker: Tracker, tmp_path: Path) -> None:
    image = write_png(tmp_path / "forge.png", {"parameters": FORGE_INFOTEXT})
    db = tmp_path / "elsewhere" / "my.db"
    tracker("--db", db, "log", image, "--url", PIXIV, "--persona", "moth")
    assert db.is_file() and (db.parent / "archive").is_dir()
    assert len(tracker.json("--db", f"sqlite:///{db}", "posts")) == 1
    default = tracker("posts", "--json", ok=False)
    assert "no database at" in default.stderr if default.exit_code else json.loads(default.stdout) == []


def test_metadata_text_cannot_drive_the_terminal(tracker: Tracker, tmp_path: Path) -> None:
    hostile = (
        "evil \x1b]0;pwned\x07 \x1b[31mred [bold]x[/bold]\nSteps: 20, Sampler: Euler\x1b[2J, Seed: 1, Model: m\x9b1m"
    )
    image = write_png(tmp_path / "h.png", {"parameters": hostile})
    out = tracker("log", image, "--url", PIXIV, "--persona", "moth").stdout
    shown = tracker("show", "1").stdout + tracker("posts").stdout + tracker("show", "1", "--json").stdout
    for output in (out, shown):
        assert "\x1b" not in output and "\x9b" not in output and "\x07" not in output
    assert "\\x1b]0;pwned" in shown and "[bold]x[/bold]" in shown


def test_every_command_has_help(tracker: Tracker) -> None:
    for command in ("log", "posts", "show"):
        assert "Usage:" in tracker(command, "--help").stdout
    assert "log" in tracker("--help").stdout


def test_handles_are_matched_case_insensitively(tracker: Tracker, tmp_path: Path) -> None:
    a = write_png(tmp_path / "a.png", {"parameters": A1111_INFOTEXT})
    tracker("log", a, "--url", "https://x.com/Moth_AI/status/10", "--persona", "moth")
    second = tracker.json("log", a, "--url", "https://x.com/moth_ai/status/11")
    assert second["account"]["handle"] == "Moth_AI"
    dup = tracker("log", a, "--url", "https://twitter.com/MOTH_ai/status/10", ok=False)
    assert "x post 10 is already logged" in dup.stderr


def test_a_handle_learnt_later_names_the_account_logged_without_one(tracker: Tracker, tmp_path: Path) -> None:
    """A pixiv artwork URL names no account; the handle given later is that account's, not a second one."""
    a = write_png(tmp_path / "a.png", {"parameters": A1111_INFOTEXT})
    b = write_png(tmp_path / "b.png", {"parameters": FORGE_INFOTEXT})
    c = write_exif_image(tmp_path / "c.jpg", A1111_INFOTEXT, image=pixels(seed=3))
    first = tracker.json("log", a, "--url", PIXIV, "--persona", "moth")
    assert first["account"]["handle"] is None
    second = tracker.json("log", b, "--url", "https://www.pixiv.net/artworks/100000002", "--account", "moth_atelier")
    assert second["account"]["handle"] == "moth_atelier"
    third = tracker.json("log", c, "--url", "https://www.pixiv.net/artworks/100000003")  # no longer ambiguous
    assert third["account"] == second["account"] == tracker.json("show", "1")["account"]
    assert len(tracker.json("posts", "--platform", "pixiv")) == 3
    assert tracker.json("personas")[0]["accounts"] == 1


def test_post_json_keeps_file_size_and_generation_size_apart(tracker: Tracker, tmp_path: Path) -> None:
    image = write_png(tmp_path / "forge.png", {"parameters": FORGE_INFOTEXT})
    post = tracker.json("log", image, "--url", PIXIV, "--persona", "moth")
    assert (post["image"]["width"], post["image"]["height"]) == (64, 48)
    assert (post["image"]["generation_width"], post["image"]["generation_height"]) == (832, 1216)
    assert "size 832x1216" in tracker("show", "1").stdout


def test_log_without_persona_uses_the_one_the_image_is_archived_for(tracker: Tracker, tmp_path: Path) -> None:
    """Among several personas, an image already archived (imported without a post) as one persona's is logged
    for that one, and the output says why; an image nobody holds still asks for --persona."""
    folder = tmp_path / "imp"
    folder.mkdir()
    moths = write_png(folder / "moth-forest.png", {"parameters": FORGE_INFOTEXT})
    tracker("import", folder, "--persona", "moth")
    tracker("log", write_png(tmp_path / "kite.png", {}, image=pixels(seed=41)), "--url", PIXIV, "--persona", "kite")
    url = "https://www.deviantart.com/mothart/art/moth-forest-1012345678"
    out = tracker("log", moths, "--url", url).stdout
    assert "no --persona given: the image is archived as moth's" in out
    assert tracker.json("show", url)["persona"] == "moth"
    unknown = write_png(tmp_path / "new.png", {}, image=pixels(seed=42))
    asked = tracker("log", unknown, "--url", "https://x.com/someone/status/5", ok=False)
    assert "several personas exist (kite, moth)" in asked.stderr
