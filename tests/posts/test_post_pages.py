"""A post that shows several images (pixiv's `_p0`, `_p1`, an X post's photos 1 and 2): every page is the post's.

The import links each further page to its post (`post_page`), so a complaint about page 2 finds the post as one
about page 1 does: `tracker match` names "post #1, page 2", a not-my-post dispute is refused, and the persona's
scrub deletes the page and the complainant's copy of it like any image of the persona's.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from fixtures.common import Tracker, query
from fixtures.imagefactory import pixels, write_png

from tracker.cli import cli

pytestmark = pytest.mark.db

PIXIV = "https://www.pixiv.net/artworks/777"
TWEET = "https://x.com/moth_ai/status/1800000000000000001"


def sidecar(image: Path, data: dict[str, Any]) -> None:
    image.with_name(image.name + ".json").write_text(json.dumps(data), encoding="utf-8")


def pixiv_pages(folder: Path) -> dict[int, Path]:
    """pixiv post 777 as gallery-dl saves it: `777_p0.png` and `777_p1.png`, each with its sidecar (num 0 and 1)."""
    folder.mkdir(parents=True, exist_ok=True)
    pages = {}
    for num in (0, 1):
        pages[num] = write_png(folder / f"777_p{num}.png", {}, image=pixels((96, 72), seed=11 + num))
        sidecar(
            pages[num],
            {"category": "pixiv", "id": 777, "num": num, "title": "Moth", "user": {"account": "moth_ai"}},
        )
    return pages


def copy_of(image: Path, where: Path) -> Path:
    """A complainant's copy: the picture made smaller and saved as JPEG."""
    from PIL import Image

    with Image.open(image) as opened:
        small = opened.convert("RGB").resize((72, 54))
    small.save(where, "JPEG", quality=90)
    return where


def complaint_about(tracker: Tracker, picture: Path) -> int:
    added = tracker.json(
        "complaint", "add", "--image", picture, "--name", "Tom Lee", "--contact", "tom@example.com",
        "--message", "You copied my picture, please remove it.", "--persona", "moth",
    )  # fmt: skip
    return int(added["id"])


def test_a_further_page_matches_its_post_by_page(tracker: Tracker, tmp_path: Path, isolated_env: Path) -> None:
    pages = pixiv_pages(tmp_path / "imp" / "pixiv")
    summary = tracker.json("import", tmp_path / "imp", "--persona", "moth")
    assert (summary["new_posts"], summary["more_pages"]) == (1, 1)
    picture = copy_of(pages[1], tmp_path / "p1.jpg")

    found = tracker.json("match", picture)[0]
    assert found["persona"] == "moth"
    assert [(p["id"], p["url"], p["page"]) for p in found["posts"]] == [(1, PIXIV, 2)]
    text = tracker("match", picture).stdout
    assert f"post #1, page 2 [live] pixiv  {PIXIV}" in text and "not posted" not in text
    first = tracker("match", copy_of(pages[0], tmp_path / "p0.jpg")).stdout
    assert f"post #1 [live] pixiv  {PIXIV}" in first  # the image it was logged with: no page said


def test_a_second_photo_of_an_x_post_is_the_posts(tracker: Tracker, tmp_path: Path, isolated_env: Path) -> None:
    folder = tmp_path / "imp" / "x"
    folder.mkdir(parents=True)
    photos = {}
    for num in (1, 2):
        photos[num] = write_png(folder / f"1800000000000000001_{num}.png", {}, image=pixels((80, 60), seed=20 + num))
        sidecar(
            photos[num],
            {"category": "twitter", "tweet_id": 1800000000000000001, "num": num, "author": {"name": "moth_ai"}},
        )
    tracker("import", tmp_path / "imp", "--persona", "moth")
    found = tracker.json("match", copy_of(photos[2], tmp_path / "x2.jpg"))[0]
    assert [(p["url"], p["page"]) for p in found["posts"]] == [(TWEET, 2)]


def test_a_not_my_post_dispute_about_a_further_page_is_refused(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    pages = pixiv_pages(tmp_path / "imp" / "pixiv")
    tracker("import", tmp_path / "imp", "--persona", "moth")
    number = complaint_about(tracker, copy_of(pages[1], tmp_path / "p1.jpg"))
    refused = tracker("complaint", "decide", number, "--action", "dispute", "--reason", "not_my_post", ok=False)
    assert refused.exit_code != 0
    assert f"matches post #1, page 2 ({PIXIV})" in refused.output and "certain" in refused.output
    assert tracker.json("complaint", "show", number)["decisions"] == []


def test_the_scrub_deletes_a_further_page_and_the_complainants_copy_of_it(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    pages = pixiv_pages(tmp_path / "imp" / "pixiv")
    tracker("import", tmp_path / "imp", "--persona", "moth")
    complaint_about(tracker, copy_of(pages[1], tmp_path / "p1.jpg"))
    tracker("purge", "plan", "moth")
    tracker("purge", "mark", "*", "done", "--persona", "moth")
    tracker("purge", "mark", "local:backups", "skipped", "--reason", "no copies", "--persona", "moth")
    preview = tracker("purge", "scrub", "moth", "--dry-run").stdout
    done = tracker.runner.invoke(cli, ["purge", "scrub", "moth"], input="moth\n", catch_exceptions=False)
    assert done.exit_code == 0, done.output
    assert sorted(p.name for p in (isolated_env / "archive").rglob("*.*")) == []
    assert query(isolated_env, "select count(*) from image")[0][0] == 0
    assert "2 images" in preview and "1 further page of a post" in preview


def test_importing_again_links_nothing_twice(tracker: Tracker, tmp_path: Path, isolated_env: Path) -> None:
    pixiv_pages(tmp_path / "imp" / "pixiv")
    tracker("import", tmp_path / "imp", "--persona", "moth")
    again = tracker.json("import", tmp_path / "imp", "--persona", "moth")
    assert (again["already_done"], again["more_pages"]) == (2, 0)
    assert query(isolated_env, "select post_id, page from post_page") == [(1, 2)]


def test_upgrading_links_the_pages_imported_before(isolated_env: Path) -> None:
    """An archive from before `post_page` (revision 0017): each image imported from `{id}_p{num}` / `{tweet}_{num}`
    for the persona that logged that post becomes its page; an image whose name says nothing stays as it was."""
    from alembic import command
    from sqlalchemy import text

    from tracker.db import migrate
    from tracker.db.engine import create_db_engine
    from tracker.db.session import open_database
    from tracker.support.settings import load_settings

    isolated_env.mkdir(parents=True, exist_ok=True)
    settings = load_settings()  # the test's database: SQLite in the data folder, or PostgreSQL
    engine = create_db_engine(settings)
    cfg = migrate.alembic_config()
    at = "'2026-01-01 00:00:00'"
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0017")
        command.downgrade(cfg, "0017")  # a scratch PostgreSQL database comes at head: back to before post_page
        conn.execute(text(f"insert into persona (id, name, created_at) values (1, 'moth', {at}), (2, 'kite', {at})"))
        conn.execute(
            text(
                "insert into account (id, persona_id, platform, created_at) "
                f"values (1, 1, 'pixiv', {at}), (2, 1, 'x', {at}), (3, 2, 'pixiv', {at})"
            )
        )
        images = {
            1: ("777_p0.png", 1),
            2: ("777_p1.png", 1),
            3: ("777_p2.png", 2),  # kite's file: kite never logged pixiv 777
            4: ("18000_1.jpg", 1),
            5: ("18000_2.jpg", 1),
            6: ("cover.png", 1),  # says nothing of a post
        }
        for image, (name, persona) in images.items():
            conn.execute(
                text(
                    "insert into image (id, sha256, original_name, archive_path, format, width, height, size_bytes, "
                    "raw_metadata, phash, dhash, persona_id, created_at) values (:id, :sha, :name, :name, 'PNG', 1, "
                    f"1, 1, '{{}}', :hash, :hash, :persona, {at})"
                ),
                {"id": image, "sha": str(image) * 64, "name": name, "persona": persona, "hash": bytes(8)},
            )
            conn.execute(
                text("insert into image_name (image_id, persona_id, name) values (:id, :persona, :name)"),
                {"id": image, "name": name, "persona": persona},
            )
        for post, image, account, platform, post_id in ((1, 1, 1, "pixiv", "777"), (2, 4, 2, "x", "18000")):
            conn.execute(
                text(
                    "insert into post (id, image_id, account_id, url, platform, platform_post_id, status, "
                    f"status_changed_at, logged_at) values (:id, :image, :account, :url, :platform, :pid, 'live', "
                    f"{at}, {at})"
                ),
                {"id": post, "image": image, "account": account, "url": f"https://example.org/{post}",
                 "platform": platform, "pid": post_id},
            )  # fmt: skip
    engine.dispose()
    factory = open_database(settings)
    with factory() as session:
        rows = session.execute(text("select post_id, image_id, page from post_page order by id")).all()
    assert [tuple(row) for row in rows] == [(1, 2, 2), (2, 5, 2)]


def test_the_triage_row_of_a_further_page_is_its_post(tracker: Tracker, tmp_path: Path, isolated_env: Path) -> None:
    """The complaint's triage (the TUI's rows) lists the page as the post's, on its platform, not as archived only."""
    from tracker.complaints.triage import triage
    from tracker.db.models import Complaint
    from tracker.db.session import open_database
    from tracker.support.settings import load_settings

    pages = pixiv_pages(tmp_path / "imp" / "pixiv")
    tracker("import", tmp_path / "imp", "--persona", "moth")
    number = complaint_about(tracker, copy_of(pages[1], tmp_path / "p1.jpg"))
    settings = load_settings()
    factory = open_database(settings)
    with factory() as session:
        best = triage(factory, settings, session.get_one(Complaint, number)).candidates[0]
    assert (best.kind, best.label, best.kind_label) == ("post", "post #1, page 2", "posted image")
    assert best.first_post is not None and best.first_post.platform == "pixiv"


def test_a_page_another_persona_posted_stays_with_that_persona_after_a_scrub(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    """moth archived the picture first (without a post); kite posted it as page 2 of a post: moth's scrub leaves
    it to kite, as it would a post's first image."""
    pages = pixiv_pages(tmp_path / "kite" / "pixiv")
    (tmp_path / "moth").mkdir()
    (tmp_path / "moth" / "mine.png").write_bytes(pages[1].read_bytes())
    tracker("import", pages[0], "--persona", "kite")
    tracker("import", tmp_path / "moth", "--persona", "moth")
    assert tracker.json("import", pages[1], "--persona", "kite")["more_pages"] == 1
    tracker("purge", "plan", "moth")
    tracker("purge", "mark", "*", "done", "--persona", "moth")
    tracker("purge", "mark", "local:backups", "skipped", "--reason", "no copies", "--persona", "moth")
    done = tracker.runner.invoke(cli, ["purge", "scrub", "moth"], input="moth\n", catch_exceptions=False)
    assert done.exit_code == 0, done.output
    held = query(isolated_env, "select pe.name from image i join persona pe on pe.id = i.persona_id")
    assert held == [("kite",), ("kite",)]
    assert query(isolated_env, "select count(*) from post_page")[0][0] == 1


def test_a_post_moved_to_another_persona_takes_its_pages(tracker: Tracker, tmp_path: Path, isolated_env: Path) -> None:
    pixiv_pages(tmp_path / "imp" / "pixiv")
    tracker("import", tmp_path / "imp", "--persona", "moth")
    tracker("post", "set", "1", "--persona", "kite", "--new-persona")
    held = query(isolated_env, "select i.original_name, pe.name from image i join persona pe on pe.id = i.persona_id")
    assert sorted(held) == [("777_p0.png", "kite"), ("777_p1.png", "kite")]
    names = query(isolated_env, "select n.name, pe.name from image_name n join persona pe on pe.id = n.persona_id")
    assert sorted(names) == [("777_p0.png", "kite"), ("777_p1.png", "kite")]  # moth's burn-down lists neither


def test_removing_a_post_removes_its_pages(tracker: Tracker, tmp_path: Path, isolated_env: Path) -> None:
    pixiv_pages(tmp_path / "imp" / "pixiv")
    tracker("import", tmp_path / "imp", "--persona", "moth")
    out = tracker("post", "remove", "1", "--yes").stdout
    assert out.count("is no longer used: removed from the archive") == 2
    assert query(isolated_env, "select count(*) from image")[0][0] == 0
    assert list((isolated_env / "archive").rglob("*.png")) == []


def test_show_names_each_further_page_and_its_archived_file(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    """The purge plan sends the owner to `tracker show POST` for each page's archived file: it is there."""
    pixiv_pages(tmp_path / "imp" / "pixiv")
    tracker("import", tmp_path / "imp", "--persona", "moth")
    data = tracker.json("show", "1")
    assert data["image"]["original_name"] == "777_p0.png"
    assert [(p["page"], p["file"]) for p in data["pages"]] == [(2, "777_p1.png")]
    page = data["pages"][0]
    assert Path(page["archived"]).is_file() and page["archived"].endswith(page["archive_path"])
    text = tracker("show", "1").stdout
    assert f"  page 2     777_p1.png  sha256 {page['sha256']}\n  archived   {page['archived']}\n" in text, text


@pytest.mark.parametrize(
    ("name", "data", "url"),
    [
        (
            "tumblr",
            {"category": "tumblr", "id": 712345678901234567, "blog_name": "mothblog", "count": 2},
            "https://www.tumblr.com/mothblog/712345678901234567",
        ),
        (
            "misskey",
            {"category": "misskey.io", "id": "9abcdefghi", "instance": "misskey.io", "user": {"username": "moth"}},
            "https://misskey.io/notes/9abcdefghi",
        ),
        (
            "bluesky",
            {"category": "bluesky", "post_id": "3lbcdefghij2k", "author": {"handle": "moth.bsky.social"}},
            "https://bsky.app/profile/moth.bsky.social/post/3lbcdefghij2k",
        ),
    ],
)
def test_a_second_picture_of_a_tumblr_misskey_or_bluesky_post_is_page_2(
    tracker: Tracker, tmp_path: Path, isolated_env: Path, name: str, data: dict[str, Any], url: str
) -> None:
    """gallery-dl numbers a Tumblr post's photos, a Misskey note's files and a Bluesky post's images from 1 (`num`),
    as X's."""
    folder = tmp_path / "imp"
    folder.mkdir()
    files = {}
    for num in (1, 2):
        files[num] = write_png(folder / f"{name}_{num}.png", {}, image=pixels((96, 72), seed=40 + num))
        sidecar(files[num], {**data, "num": num})
    summary = tracker.json("import", folder, "--persona", "moth")
    assert (summary["new_posts"], summary["more_pages"]) == (1, 1)
    assert [(p["page"], p["file"]) for p in tracker.json("show", "1")["pages"]] == [(2, f"{name}_2.png")]
    text = tracker("match", copy_of(files[2], tmp_path / "copy.jpg")).stdout
    assert f"post #1, page 2 [live] {name}  {url}" in text, text


def test_upgrading_links_the_bluesky_pages_imported_before(isolated_env: Path) -> None:
    """An archive at revision 0018: each image imported from gallery-dl's Bluesky name
    `{createdAt[:19]}_{rkey}_{num}` for the persona that logged that post becomes its page `num` (a link the sidecar
    made without a page gets it); another persona's file, or a name that says nothing, stays as it was."""
    from alembic import command
    from sqlalchemy import text

    from tracker.db import migrate
    from tracker.db.engine import create_db_engine
    from tracker.db.session import open_database
    from tracker.support.settings import load_settings

    isolated_env.mkdir(parents=True, exist_ok=True)
    settings = load_settings()  # the test's database: SQLite in the data folder, or PostgreSQL
    engine = create_db_engine(settings)
    cfg = migrate.alembic_config()
    at = "'2026-01-01 00:00:00'"
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0018")
        command.downgrade(cfg, "0018")  # a scratch PostgreSQL database comes at head: back to before 0019
        conn.execute(text(f"insert into persona (id, name, created_at) values (1, 'moth', {at}), (2, 'kite', {at})"))
        conn.execute(
            text(
                "insert into account (id, persona_id, platform, created_at) "
                f"values (1, 1, 'bluesky', {at}), (2, 2, 'bluesky', {at})"
            )
        )
        images = {
            1: ("2024-11-20T10:15:30_3lbcdefghij2k_1.jpeg", 1),
            2: ("2024-11-20T10:15:30_3lbcdefghij2k_2.jpeg", 1),
            3: ("2024-11-20T10_15_30_3lbcdefghij2k_3.jpeg", 1),  # saved on Windows: the time's ':' made '_'
            4: ("2024-11-20T10:15:30_3lbcdefghij2k_4.jpeg", 2),  # kite's file: kite never logged that post
            5: ("3lbcdefghij2k_2.jpeg", 1),  # not gallery-dl's name
            6: ("2024-12-01T08:00:00_3lzzzzzzzzz2a_2.png", 1),  # linked by an import since, without its page
        }
        for image, (name, persona) in images.items():
            conn.execute(
                text(
                    "insert into image (id, sha256, original_name, archive_path, format, width, height, size_bytes, "
                    "raw_metadata, phash, dhash, persona_id, created_at) values (:id, :sha, :name, :name, 'JPEG', 1, "
                    f"1, 1, '{{}}', :hash, :hash, :persona, {at})"
                ),
                {"id": image, "sha": str(image) * 64, "name": name, "persona": persona, "hash": bytes(8)},
            )
            conn.execute(
                text("insert into image_name (image_id, persona_id, name) values (:id, :persona, :name)"),
                {"id": image, "name": name, "persona": persona},
            )
        for post, image, rkey in ((1, 1, "3lbcdefghij2k"), (2, 5, "3lzzzzzzzzz2a")):
            conn.execute(
                text(
                    "insert into post (id, image_id, account_id, url, platform, platform_post_id, status, "
                    f"status_changed_at, logged_at) values (:id, :image, 1, :url, 'bluesky', :rkey, 'live', {at}, "
                    f"{at})"
                ),
                {"id": post, "image": image, "url": f"https://bsky.app/profile/moth.bsky.social/post/{rkey}",
                 "rkey": rkey},
            )  # fmt: skip
        conn.execute(text("insert into post_page (post_id, image_id, page) values (2, 6, null)"))
    engine.dispose()
    factory = open_database(settings)
    with factory() as session:
        rows = session.execute(text("select post_id, image_id, page from post_page order by post_id, image_id")).all()
    assert [tuple(row) for row in rows] == [(1, 2, 2), (1, 3, 3), (2, 6, 2)]


def test_a_post_is_logged_with_its_first_page_when_a_later_one_was_archived_before(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    """The X post's second photo was imported before as a plain file (archived, not posted): importing the post's
    gallery-dl folder logs the post with photo 1 and links photo 2 as its page 2, as it would with neither archived."""
    folder = tmp_path / "x"
    folder.mkdir()
    photos = {}
    for num in (1, 2):
        photos[num] = write_png(folder / f"1800000000000000001_{num}.png", {}, image=pixels((80, 60), seed=20 + num))
        sidecar(
            photos[num],
            {"category": "twitter", "tweet_id": 1800000000000000001, "num": num, "author": {"name": "moth_ai"}},
        )
    (tmp_path / "loose").mkdir()
    tracker("import", shutil.copyfile(photos[2], tmp_path / "loose" / "second.png"), "--persona", "moth")
    summary = tracker.json("import", folder, "--persona", "moth")
    assert (summary["new_posts"], summary["more_pages"]) == (1, 1)
    data = tracker.json("show", "1")
    assert data["image"]["original_name"] == "1800000000000000001_1.png"
    assert [p["page"] for p in data["pages"]] == [2]
    text = tracker("match", copy_of(photos[2], tmp_path / "x2.jpg")).stdout
    assert f"post #1, page 2 [live] x  {TWEET}" in text, text
