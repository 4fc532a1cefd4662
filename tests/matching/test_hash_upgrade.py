"""A database made before the similarity hashes existed is upgraded and re-hashed from its archive."""

from __future__ import annotations

import hashlib
import io
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from fixtures.common import Tracker
from fixtures.imagefactory import pixels
from PIL import Image, ImageOps
from sqlalchemy import create_engine

from tracker.db.migrate import alembic_config
from tracker.matching import hashing, stored

NOW = "2026-01-01 00:00:00.000000"


def _old_database(data: Path, picture: Image.Image) -> str:
    """A revision-0002 database with one posted image whose hashes are the old, unversioned kind."""
    data.mkdir(parents=True, exist_ok=True)
    db = data / "tracker.db"
    engine = create_engine(f"sqlite:///{db}")
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0002")
    engine.dispose()
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    payload = buffer.getvalue()
    sha = hashlib.sha256(payload).hexdigest()
    rel = f"{sha[:2]}/{sha}.png"
    (data / "archive" / sha[:2]).mkdir(parents=True)
    (data / "archive" / rel).write_bytes(payload)
    con = sqlite3.connect(db)
    con.execute("INSERT INTO persona (id, name, created_at) VALUES (1, 'moth', ?)", (NOW,))
    con.execute("INSERT INTO account (id, persona_id, platform, created_at) VALUES (1, 1, 'pixiv', ?)", (NOW,))
    con.execute(
        "INSERT INTO image (id, sha256, original_name, archive_path, format, width, height, size_bytes, "
        "raw_metadata, phash, dhash, created_at) VALUES (1, ?, 'old.png', ?, 'PNG', ?, ?, ?, '{}', ?, ?, ?)",
        (sha, rel, picture.width, picture.height, len(payload), b"\0" * 8, b"\0" * 8, NOW),
    )
    con.execute(
        "INSERT INTO post (id, image_id, account_id, url, platform, platform_post_id, status, status_changed_at, "
        "logged_at) VALUES (1, 1, 1, 'https://www.pixiv.net/artworks/5', 'pixiv', '5', 'live', ?, ?)",
        (NOW, NOW),
    )
    con.commit()
    con.close()
    return sha


def test_old_rows_are_rehashed_and_matched_after_the_upgrade(
    tracker: Tracker, isolated_env: Path, tmp_path: Path
) -> None:
    picture = pixels((320, 240), seed=11)
    sha = _old_database(isolated_env, picture)
    mirrored = tmp_path / "mirrored.jpg"
    ImageOps.mirror(picture).save(mirrored, quality=80)

    found = tracker.json("match", mirrored)

    assert [r["image_id"] for r in found] == [1]
    assert found[0]["kind"] == "flipped"
    assert found[0]["posts"][0]["url"] == "https://www.pixiv.net/artworks/5"
    assert found[0]["persona"] == "moth"  # filled in from the post by the migration
    con = sqlite3.connect(isolated_env / "tracker.db")
    version, phash = con.execute("SELECT hash_version, phash FROM image WHERE sha256 = ?", (sha,)).fetchone()
    con.close()
    assert version == hashing.HASH_VERSION
    assert phash == hashing.image_hashes(picture).phash
    assert list(isolated_env.glob("tracker.db.before-*.bak")), "the upgrade backs the database up first"


def test_an_image_whose_archived_copy_is_gone_is_left_out_not_fatal(
    tracker: Tracker, isolated_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    picture = pixels((320, 240), seed=12)
    _old_database(isolated_env, picture)
    for file in (isolated_env / "archive").rglob("*.png"):
        file.unlink()
    copy = tmp_path / "q.jpg"
    picture.save(copy, quality=90)

    assert tracker.json("match", copy) == []  # its hashes cannot be renewed, so it is not in the index

    def no_session(database: object) -> None:
        raise AssertionError("a row whose file is gone opened a session to be re-hashed")

    monkeypatch.setattr(stored, "_sessions", no_session)
    assert tracker.json("match", copy) == []  # every later match: one query, no session, no read
