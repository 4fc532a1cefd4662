"""Upgrading a database an older tracker wrote: the posts a stored platform notice says the platform removed are
recorded taken down (revision 0020), each with a history entry saying it was read from the complaint's stored notice;
a post the owner set since, another kind of message, and a lawyer's letter leave their posts as they were."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fixtures.common import Tracker

_AT = "2026-11-01 09:00:00"
_LATER = "2026-11-03 09:00:00"

_PIXIV = """pixiv事務局です。

いつもpixivをご利用いただきありがとうございます。
お客様が投稿された下記の作品について、権利者の方から著作権侵害の申し立てを受けました。
https://www.pixiv.net/artworks/11111111
利用規約に基づき、当該作品を非公開にいたしました。

pixiv事務局"""
_X_LATER = """Hello,

We have received a DMCA notice regarding your content. In accordance with our policies we have withheld the
following media: https://x.com/moth_art/status/3333333333

X Corp."""
_X_FIRST = """Hello,

We have received a DMCA notice regarding your content: https://x.com/moth_art/status/3333333333
Please respond within 10 days.

X Corp."""
_X_JAPANESE = """以下のコンテンツについて、著作権侵害の申し立てを受けたため、当該メディアへのアクセスを無効にしました。
https://x.com/moth_art/status/5555555555
申し立て者: 株式会社スタジオ青嵐

X Corp."""
_LAWYER = """Dear Sir or Madam,

We represent Northwind Media LLC. We have received a copyright complaint regarding your content from our client.
The image has been removed from our client's gallery and must be removed from yours.

Jane Roe, Attorney"""
_DM = "勝手に使わないでください。https://www.pixiv.net/artworks/55555555 を削除してください。"


def _database_at_0019(posts: dict[int, str], complaints: list[dict[str, Any]], events: list[dict[str, Any]]) -> None:
    """The test's database at revision 0019 (before the upgrade reads stored notices), holding `posts`
    ({number: url}, all live), `complaints` (their message, follow-ups and the posts they name) and `events`."""
    from alembic import command
    from sqlalchemy import text

    from tracker.db import migrate
    from tracker.db.engine import create_db_engine
    from tracker.support.settings import load_settings

    settings = load_settings()
    engine = create_db_engine(settings)
    cfg = migrate.alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0019")
        command.downgrade(cfg, "0019")  # a scratch PostgreSQL database comes at head: back to before 0020
        conn.execute(text(f"insert into persona (id, name, created_at) values (1, 'moth', '{_AT}')"))
        conn.execute(text(f"insert into account (id, persona_id, platform, created_at) values (1, 1, 'x', '{_AT}')"))
        for number, url in posts.items():
            conn.execute(
                text(
                    "insert into image (id, sha256, original_name, archive_path, format, width, height, size_bytes, "
                    "raw_metadata, phash, dhash, persona_id, created_at) values (:id, :sha, :name, :name, 'PNG', 1, "
                    f"1, 1, '{{}}', :hash, :hash, 1, '{_AT}')"
                ),
                {"id": number, "sha": str(number) * 64, "name": f"{number}.png", "hash": bytes(8)},
            )
            conn.execute(
                text(
                    "insert into post (id, image_id, account_id, url, platform, status, status_changed_at, logged_at) "
                    f"values (:id, :id, 1, :url, 'x', 'live', '{_AT}', '{_AT}')"
                ),
                {"id": number, "url": url},
            )
        for number, complaint in enumerate(complaints, start=1):
            conn.execute(
                text(
                    "insert into complaint (id, received_at, channel, legal_basis, claimed_urls, message, completeness, "
                    f"status, persona_id, created_at, follow_ups) values (:id, '{_AT}', 'email', 'platform_rules', "
                    f"'[]', :message, '{{}}', 'open', 1, '{_AT}', :follow_ups)"
                ),
                {"id": number, "message": complaint["message"], "follow_ups": json.dumps(complaint.get("follow_ups"))},
            )
            for post in complaint["posts"]:
                conn.execute(
                    text("insert into complaint_post (complaint_id, post_id, reference) values (:c, :p, :ref)"),
                    {"c": number, "p": post, "ref": posts[post]},
                )
        for entry in events:
            conn.execute(
                text(
                    "insert into event (at, entity, entity_id, action, changes, command) "
                    "values (:at, 'post', :post, 'update', :changes, :command)"
                ),
                {**entry, "changes": json.dumps(entry["changes"])},
            )
    engine.dispose()


def test_upgrading_records_the_posts_a_stored_platform_notice_says_it_removed(
    tracker: Tracker, isolated_env: Path
) -> None:
    """pixiv's 「非公開にいたしました」 logged by an older tracker: its post is taken down after the upgrade, and its
    history and the complaint's say the upgrade read it from the stored notice; X's later message ("we have
    withheld") kept with its complaint does the same for that complaint's post, and so does X's Japanese notice."""
    isolated_env.mkdir(parents=True, exist_ok=True)
    posts = {
        1: "https://www.pixiv.net/artworks/11111111",
        2: "https://x.com/moth_art/status/3333333333",
        3: "https://x.com/moth_art/status/5555555555",
    }
    later = [{"received_at": "2026-11-02T09:00:00+00:00", "message": _X_LATER}]
    complaints = [
        {"message": _PIXIV, "posts": [1]},
        {"message": _X_FIRST, "posts": [2], "follow_ups": later},
        {"message": _X_JAPANESE, "posts": [3]},
    ]
    _database_at_0019(posts, complaints, [])
    shown = tracker.json("show", "1")
    assert shown["status"] == "taken_down"
    text = tracker("show", "1").stdout
    assert "complaint #1 upgrade: read from its stored notice  status: live -> taken_down" in text, text
    assert tracker.json("show", "2")["status"] == "taken_down"
    assert tracker.json("show", "3")["status"] == "taken_down"  # X's 「アクセスを無効にしました」
    history = tracker("complaint", "show", "2").stdout
    assert "complaint upgrade: read from its stored notice #2  post #2 status: live -> taken_down" in history, history


def test_upgrading_leaves_a_post_set_since_and_a_complaint_that_is_no_platform_notice(
    tracker: Tracker, isolated_env: Path
) -> None:
    """A post the owner set live again after the notice (a counter-notice brought it back) stays live; so do the
    posts of a lawyer's letter that says their client's copy "has been removed", of a personal DM, and of a
    platform's notice that removed nothing yet."""
    isolated_env.mkdir(parents=True, exist_ok=True)
    posts = {
        1: "https://www.pixiv.net/artworks/11111111",
        2: "https://x.com/moth_art/status/4444444444",
        3: "https://www.pixiv.net/artworks/55555555",
        4: "https://x.com/moth_art/status/3333333333",
    }
    complaints = [
        {"message": _PIXIV, "posts": [1]},
        {"message": _LAWYER, "posts": [2]},
        {"message": _DM, "posts": [3]},
        {"message": _X_FIRST, "posts": [4]},
    ]
    set_back = {"status": ["taken_down", "live"]}
    _database_at_0019(posts, complaints, [{"at": _LATER, "post": 1, "changes": set_back, "command": "post set"}])
    assert [tracker.json("show", str(n))["status"] for n in posts] == ["live"] * 4
    assert "read from its stored notice" not in tracker("show", "1").stdout
