"""`tracker import` end to end: many images, their gallery-dl sidecars, URL templates, re-runs and kills."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fixtures.common import REPO, Tracker
from fixtures.common import query as query_db
from fixtures.imagefactory import A1111_INFOTEXT, FORGE_INFOTEXT, pixels, write_exif_image, write_png

pytestmark = pytest.mark.db

BROKEN = "broken.png: the image is damaged or truncated"
PIXIV_777 = "https://www.pixiv.net/artworks/777"
TWEET = "https://x.com/moth_ai/status/1800000000000000001"


def sidecar(image: Path, data: dict[str, Any]) -> None:
    """gallery-dl's --write-metadata file: `NAME.EXT.json` beside the image."""
    image.with_name(image.name + ".json").write_text(json.dumps(data), encoding="utf-8")


def pixiv_sidecar(image: Path, post_id: int, page: int, title: str = "Moth at night") -> None:
    sidecar(
        image,
        {
            "category": "pixiv",
            "id": post_id,
            "num": page,
            "title": title,
            "user": {"id": 4242, "account": "moth_ai", "name": "Moth"},
            "create_date": "2026-01-02T12:00:00+09:00",
            "extension": image.suffix[1:],
        },
    )


def make_folder(root: Path) -> dict[str, Path]:
    """Seven distinct good images (one more file is a byte copy), a broken one, and things to ignore."""
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / ".thumbnails").mkdir()
    files = {
        "777_p0.png": write_png(root / "777_p0.png", {"parameters": A1111_INFOTEXT}, image=pixels((96, 72), seed=1)),
        "777_p1.png": write_png(root / "777_p1.png", {}, image=pixels((96, 72), seed=2)),
        "tweet.jpg": write_exif_image(root / "tweet.jpg", A1111_INFOTEXT, image=pixels((80, 60), seed=3)),
        "forge.webp": write_exif_image(root / "forge.webp", FORGE_INFOTEXT, fmt="WEBP", image=pixels(seed=4)),
        "plain.png": root / "plain.png",
        "nested.png": root / "sub" / "nested.png",
        "12345_p0.png": root / "sub" / "deeper" / "12345_p0.png",
    }
    pixels((70, 70), seed=5).save(files["plain.png"])
    pixels((50, 90), seed=6).save(files["nested.png"])
    pixels((64, 64), seed=7).convert("RGBA").save(files["12345_p0.png"])
    files["copy.png"] = root / "sub" / "copy.png"
    files["copy.png"].write_bytes(files["plain.png"].read_bytes())
    pixiv_sidecar(files["777_p0.png"], 777, 0)
    pixiv_sidecar(files["777_p1.png"], 777, 1)
    sidecar(
        files["tweet.jpg"],
        {
            "category": "twitter",
            "tweet_id": 1800000000000000001,
            "author": {"name": "moth_ai", "nick": "Moth"},
            "content": "new moth\nsecond line",
            "date": "2026-03-04 05:06:07",
        },
    )
    pixels(seed=8).save(root / ".thumbnails" / "hidden.png")  # dot-folders are never imported
    (root / "notes.txt").write_text("not an image\n")
    (root / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR broken")  # a PNG cut short
    return files


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def query(db: Path, sql: str) -> list[tuple[Any, ...]]:
    """Rows of one statement on the test's database (`db` is the SQLite file when it is on SQLite)."""
    return query_db(db.parent, sql)


def one_failure(failed: list[str], stderr: str) -> None:
    """Exactly broken.png failed, and stderr is that one line (after it, on the first import, the line saying it
    started a new archive for what it did import): no traceback, nothing else."""
    assert len(failed) == 1 and "/" + BROKEN in failed[0], failed  # named by its whole path
    lines = stderr.splitlines()
    if lines and lines[-1].startswith("tracker: started a new archive at "):
        lines.pop()
    assert lines == [f"tracker: error: {failed[0]}"]


def import_json(tracker: Tracker, *args: str | Path, code: int = 0) -> dict[str, Any]:
    result = tracker("import", *(str(a) for a in args), "--json", ok=False)
    assert result.exit_code == code, f"exit {result.exit_code}: {result.output}"
    return json.loads(result.stdout)


def test_import_a_folder(tracker: Tracker, tmp_path: Path, isolated_env: Path) -> None:
    folder = tmp_path / "downloads"
    files = make_folder(folder)
    result = tracker("import", folder, "--persona", "moth", "--json", ok=False)
    assert result.exit_code == 1 and "Traceback" not in result.output
    summary = json.loads(result.stdout)
    one_failure(summary.pop("failed"), result.stderr)
    flagged = {Path(item["file"]).name: item for item in summary.pop("rule_findings")}
    unposted = summary.pop("archived_without_post_files")
    assert sorted(Path(name).name for name in unposted) == [
        "12345_p0.png",
        "copy.png",
        "forge.webp",
        "nested.png",
        "plain.png",
    ]  # named by their whole path, so the owner can find out where each was posted
    assert all(name.startswith(str(folder)) for name in unposted)
    assert {name for name, item in flagged.items() if item["problems"]} == {
        "777_p1.png",
        "plain.png",
        "nested.png",
        "12345_p0.png",
    }  # no metadata (the copy of plain.png is no new image)
    assert summary == {
        "files": 9,
        "new_images": 7,
        "new_posts": 2,
        "already_done": 0,
        "more_pages": 1,  # 777_p1: a new page of 777_p0's post
        "archived_without_post": 5,  # plain.png and its copy count one each
        "images_without_recorded_inputs": 1,  # forge.webp: made with ControlNet
        "warnings": [],
    }

    posts = {p["url"]: p for p in tracker.json("posts")}
    assert set(posts) == {TWEET, PIXIV_777}
    pixiv, tweet = posts[PIXIV_777], posts[TWEET]
    assert pixiv["platform"] == "pixiv" and pixiv["platform_post_id"] == "777"
    assert pixiv["title"] == "Moth at night" and pixiv["account"]["handle"] == "moth_ai"
    assert pixiv["posted_at"] == "2026-01-02T03:00:00+00:00"
    assert pixiv["image"]["original_name"] == "777_p0.png" and pixiv["image"]["generator"] == "a1111"
    assert tweet["platform"] == "x" and tweet["title"] == "new moth"
    assert tweet["posted_at"] == "2026-03-04T05:06:07+00:00" and tweet["image"]["format"] == "JPEG"
    assert {p["persona"] for p in posts.values()} == {"moth"} and {p["status"] for p in posts.values()} == {"live"}

    db = isolated_env / "tracker.db"
    rows = query(
        db,
        "select i.sha256, i.original_name, i.archive_path, p.name from image i join persona p on p.id = i.persona_id",
    )
    assert len(rows) == 7
    assert {r[0] for r in rows} == {sha256(f) for f in files.values()}
    assert {r[3] for r in rows} == {"moth"}
    for sha, _, rel, _ in rows:
        archived = isolated_env / "archive" / rel
        assert sha256(archived) == sha
    names = {r[1] for r in rows}
    assert "hidden.png" not in names and "broken.png" not in names and "notes.txt" not in names
    assert {"777_p1.png", "forge.webp", "nested.png", "12345_p0.png"} <= names
    generators = dict(query(db, "select original_name, generator from image"))
    assert generators["forge.webp"] == "forge" and generators["tweet.jpg"] == "a1111"
    assert len(list((isolated_env / "archive").rglob("*.*"))) == 7


def test_importing_again_adds_nothing(tracker: Tracker, tmp_path: Path, isolated_env: Path) -> None:
    folder = tmp_path / "downloads"
    make_folder(folder)
    first = tracker("import", folder, "--persona", "moth", ok=False)
    assert first.exit_code == 1
    summary_line, *rule_lines = first.stdout.splitlines()
    assert summary_line == (
        "9 files: 7 new images, 2 new posts, 1 more page of a post, 5 archived without a post, 0 already done, 1 failed"
    )
    assert rule_lines[0] == "4 new images break your rules (! problem, ? warning):"  # no metadata
    warning, error, *started = first.stderr.splitlines()
    # The scratch PostgreSQL database is made a tracker archive before the test, recording nothing: as a database a
    # killed first command left, it is said to be new once this command records something in it.
    assert len(started) == 1 and started[0].startswith("tracker: started a new archive at "), started
    assert (
        warning.startswith("tracker: warning: 1 new image was made with image inputs") and "tracker inputs" in warning
    )
    assert error.startswith("tracker: error: ") and f"/{BROKEN}" in error
    db = isolated_env / "tracker.db"
    counts = [query(db, f"select count(*) from {t}")[0][0] for t in ("image", "post", "account", "event")]
    result = tracker("import", folder, "--persona", "moth", "--json", ok=False)
    assert result.exit_code == 1
    again = json.loads(result.stdout)
    one_failure(again.pop("failed"), result.stderr)
    assert again == {
        "files": 9,
        "new_images": 0,
        "new_posts": 0,
        "already_done": 8,
        "more_pages": 0,
        "archived_without_post": 0,
        "archived_without_post_files": [],
        "images_without_recorded_inputs": 0,
        "warnings": [],
        "rule_findings": [],  # only new images are reported
    }
    assert [query(db, f"select count(*) from {t}")[0][0] for t in ("image", "post", "account", "event")] == counts
    (folder / "broken.png").unlink()
    text = tracker("import", folder, "--persona", "moth")
    assert text.stdout.strip() == (
        "8 files: 0 new images, 0 new posts, 0 archived without a post, 8 already done, 0 failed"
    )
    assert text.stderr == ""


def test_named_files_and_folders_together(tracker: Tracker, tmp_path: Path) -> None:
    folder = tmp_path / "downloads"
    files = make_folder(folder)
    summary = import_json(tracker, files["777_p0.png"], files["tweet.jpg"], folder / "sub", "--persona", "moth")
    assert (summary["files"], summary["new_images"], summary["new_posts"]) == (5, 5, 2)
    assert summary["archived_without_post"] == 3 and summary["failed"] == []
    twice = import_json(
        tracker, folder, folder / "plain.png", folder / "sub" / ".." / "plain.png", "--persona", "moth", code=1
    )
    assert twice["files"] == 9 and twice["new_images"] == 2  # each file once, however often it is named
    (tmp_path / "empty").mkdir()
    assert tracker("import", tmp_path / "empty", "--persona", "moth").stdout.startswith("0 files: 0 new images")
    missing = tracker("import", tmp_path / "nowhere", "--persona", "moth", ok=False)
    assert (
        missing.exit_code == 2
        and missing.stderr.count("\n") == 1
        and "nowhere: no such file or folder" in missing.stderr
    )


def test_url_template_gives_posts_to_files_without_sidecars(tracker: Tracker, tmp_path: Path) -> None:
    folder = tmp_path / "pixiv"
    folder.mkdir()
    for name, seed in (("12345_p0.png", 1), ("12345_p1.png", 2), ("67890_p0.png", 3), ("cover.png", 4), ("555.png", 5)):
        pixels(seed=seed).save(folder / name)
    sidecar(folder / "555.png", {"category": "twitter", "tweet_id": 555, "author": {"name": "moth_ai"}})
    template = "https://www.pixiv.net/artworks/{id}"
    summary = import_json(tracker, folder, "--persona", "moth", "--url-template", template)
    flagged = {Path(item["file"]).name: item["post_url"] for item in summary.pop("rule_findings")}
    assert flagged == {  # none has metadata
        "12345_p0.png": "https://www.pixiv.net/artworks/12345",
        "12345_p1.png": "https://www.pixiv.net/artworks/12345",
        "67890_p0.png": "https://www.pixiv.net/artworks/67890",
        "cover.png": None,
        "555.png": "https://x.com/moth_ai/status/555",
    }
    assert summary == {
        "files": 5,
        "new_images": 5,
        "new_posts": 3,
        "already_done": 0,
        "more_pages": 1,
        "archived_without_post": 1,
        "archived_without_post_files": [str(folder / "cover.png")],
        "images_without_recorded_inputs": 0,
        "failed": [],
        "warnings": [
            "--url-template: no value for {id} for 'cover.png': "
            "the file name has no post id (a name such as 12345.png or 12345_p0.png)"
        ],
    }
    posts = {p["url"]: p["image"]["original_name"] for p in tracker.json("posts")}
    assert posts == {
        "https://www.pixiv.net/artworks/12345": "12345_p0.png",
        "https://www.pixiv.net/artworks/67890": "67890_p0.png",
        "https://x.com/moth_ai/status/555": "555.png",  # the sidecar wins over the template
    }
    warned = tracker("import", folder, "--persona", "moth", "--url-template", template)
    assert warned.stderr.strip() == (
        "tracker: warning: --url-template: no value for {id} for 'cover.png': "
        "the file name has no post id (a name such as 12345.png or 12345_p0.png)"
    )


@pytest.mark.parametrize(
    "template",
    ["https://www.pixiv.net/artworks/{id.__class__}", "https://x/{0}", "https://x/{id!r}", "https://x/{{id}}", "  "],
)
def test_a_bad_template_is_a_usage_error_before_anything_is_written(
    tracker: Tracker, tmp_path: Path, isolated_env: Path, template: str
) -> None:
    folder = tmp_path / "pixiv"
    folder.mkdir()
    pixels(seed=1).save(folder / "12345_p0.png")
    result = tracker("import", folder, "--persona", "moth", "--url-template", template, ok=False)
    assert result.exit_code == 2
    assert result.stderr.startswith("tracker: error: --url-template") and result.stderr.count("\n") == 1
    assert result.stdout == "" and "Traceback" not in result.output
    assert not (isolated_env / "archive").exists()
    db = isolated_env / "tracker.db"
    if db.exists():
        assert query(db, "select count(*) from image")[0][0] == 0
        assert query(db, "select count(*) from persona")[0][0] == 0


def test_a_bad_template_does_not_create_the_database(tracker: Tracker, tmp_path: Path, isolated_env: Path) -> None:
    pixels(seed=1).save(tmp_path / "1_p0.png")
    tracker(
        "import", tmp_path / "1_p0.png", "--persona", "moth", "--url-template", "https://x/{id.__class__}", ok=False
    )
    assert not (isolated_env / "tracker.db").exists()


def test_hostile_sidecar_text_is_shown_inert(tracker: Tracker, tmp_path: Path) -> None:
    folder = tmp_path / "downloads"
    folder.mkdir()
    image = write_png(folder / "31337_p0.png", {}, image=pixels(seed=3))
    title = "Moth \x1b]8;;http://x\x07click\x1b]8;;\x07 [bold]bold[/bold] \u202eevil\x9b31m"
    pixiv_sidecar(image, 31337, 0, title=title)
    bad = write_png(folder / "bad.png", {}, image=pixels(seed=4))
    sidecar(bad, {"category": "pixiv", "id": "1\x1b[2J/../x", "title": "[red]x[/red]"})
    result = tracker("import", folder, "--persona", "moth")
    outputs = [result.output, tracker("posts").stdout, tracker("show", "1").stdout, tracker("posts", "--json").stdout]
    for out in outputs:
        assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out and "\u202e" not in out
    show = outputs[2]
    assert "[bold]bold[/bold]" in show and "\\u202eevil" in show and "title" in show
    assert "[bold]bold[/bold]" in outputs[3] and "\\u202eevil" in outputs[3]
    assert "pixiv 'id' '1\\x1b[2J/../x' is not valid; ignored" in result.stderr
    assert "https://www.pixiv.net/artworks/31337" in outputs[1]
    assert len(tracker.json("posts")) == 1


def _dump(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows without the columns that hold the time of writing."""
    timed = {"created_at", "status_changed_at", "logged_at", "at", "changes"}
    out = {}
    for (table,) in query(db, "select name from sqlite_master where type = 'table' and name != 'alembic_version'"):
        columns = [c for (c,) in query(db, f"select name from pragma_table_info('{table}')") if c not in timed]
        out[table] = query(db, f"select {', '.join(columns)} from {table} order by 1")
    return out


@pytest.mark.sqlite_only
def test_workers_do_not_change_the_result(tracker: Tracker, tmp_path: Path) -> None:
    folder = tmp_path / "downloads"
    make_folder(folder)
    dumps, summaries, archives = [], [], []
    for workers in ("1", "2"):
        data = tmp_path / f"data{workers}"
        summary = tracker(
            "--data-dir", data, "import", folder, "--persona", "moth", "--workers", workers, "--json", ok=False
        )
        summaries.append(json.loads(summary.stdout))
        dumps.append(_dump(data / "tracker.db"))
        archives.append(sorted(p.relative_to(data).as_posix() for p in (data / "archive").rglob("*")))
    assert summaries[0] == summaries[1] and summaries[0]["new_images"] == 7
    assert dumps[0] == dumps[1] and len(dumps[0]["image"]) == 7 and len(dumps[0]["post"]) == 2
    assert archives[0] == archives[1]
    assert tracker("import", folder, "--persona", "moth", "--workers", "0", ok=False).exit_code == 2


def test_a_url_of_another_persona_fails_only_that_file(tracker: Tracker, tmp_path: Path, isolated_env: Path) -> None:
    folder = tmp_path / "downloads"
    files = make_folder(folder)
    (folder / "broken.png").unlink()
    other = write_png(tmp_path / "other.png", {}, image=pixels(seed=50))
    tracker("log", other, "--url", TWEET, "--persona", "other")
    result = tracker("import", folder, "--persona", "moth", "--json", ok=False)
    assert result.exit_code == 1
    clash = f"tweet.jpg: {TWEET} is already logged for persona 'other'"
    assert json.loads(result.stdout)["failed"] == [clash]
    assert result.stderr.strip() == f"tracker: error: {clash}"
    db = isolated_env / "tracker.db"
    names = {r[0] for r in query(db, "select original_name from image")}
    assert names == {"other.png", "777_p0.png", "777_p1.png", "forge.webp", "plain.png", "nested.png", "12345_p0.png"}
    assert sha256(files["tweet.jpg"]) not in {r[0] for r in query(db, "select sha256 from image")}
    posts = {p["url"]: p["persona"] for p in tracker.json("posts")}
    assert posts == {TWEET: "other", PIXIV_777: "moth"}
    for (rel,) in query(db, "select archive_path from image"):
        assert (isolated_env / "archive" / rel).is_file()


def test_summary_counts_only_images_really_added(tracker: Tracker, tmp_path: Path, isolated_env: Path) -> None:
    folder = tmp_path / "downloads"
    make_folder(folder)
    (folder / "broken.png").unlink()
    tracker("log", write_png(tmp_path / "o.png", {}, image=pixels(seed=50)), "--url", TWEET, "--persona", "other")
    summary = import_json(tracker, folder, "--persona", "moth", code=1)
    added = query(isolated_env / "tracker.db", "select count(*) from image")[0][0] - 1
    assert summary["new_images"] == added == 6


# --- a killed import finishes when run again ----------------------------------------------------

KILL_IMAGES = 150  # more than two of the importer's 64-image transactions


def _start(folder: Path, data: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k not in ("TRACKER_DB", "TRACKER_ARCHIVE", "TRACKER_PERSONA")}
    env.update(TRACKER_DATA_DIR=str(data), PYTHONPATH=str(REPO))
    return subprocess.Popen(
        [sys.executable, "-m", "tracker.cli", "import", str(folder), "--persona", "moth", "--workers", "2", "--json"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: the kill takes the worker processes too
    )


def _image_rows(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.05)
        try:
            return conn.execute("select count(*) from image").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:  # not created or migrated yet, or busy
        return 0


def _kill_when(proc: subprocess.Popen[bytes], ready: Callable[[], bool], limit: float = 10.0) -> bool:
    """SIGKILL the import's process group as soon as `ready()`; False when it finished first."""
    deadline = time.monotonic() + limit
    while proc.poll() is None and time.monotonic() < deadline:
        if ready():
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            return True
        time.sleep(0.003)
    proc.communicate(timeout=30)
    return False


@pytest.mark.slow
@pytest.mark.sqlite_only
def test_a_killed_import_finishes_when_run_again(tmp_path: Path, isolated_env: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(KILL_IMAGES):
        pixels((96, 72), seed=1000 + i).save(folder / f"img{i:03d}.png")
    shas = {sha256(p) for p in folder.iterdir()}
    assert len(shas) == KILL_IMAGES
    db, archive = isolated_env / "tracker.db", isolated_env / "archive"

    def archived() -> bool:  # files are archived before their rows are written
        return archive.is_dir() and any(archive.rglob("*.png"))

    before = _image_rows(db)
    killed = [_kill_when(_start(folder, isolated_env), archived)]
    rows_after_first = _image_rows(db)
    killed.append(_kill_when(_start(folder, isolated_env), lambda: _image_rows(db) > rows_after_first))
    rows_after_second = _image_rows(db)
    assert any(killed), "the import finished before it could be killed"
    assert before == 0 and rows_after_first <= rows_after_second <= KILL_IMAGES

    final = _start(folder, isolated_env)
    out, err = final.communicate(timeout=60)
    assert final.returncode == 0, err.decode()
    summary = json.loads(out)
    assert summary["failed"] == [] and summary["files"] == KILL_IMAGES
    assert summary["new_images"] == KILL_IMAGES - rows_after_second
    assert summary["archived_without_post"] + summary["already_done"] == KILL_IMAGES

    assert query(db, "pragma integrity_check") == [("ok",)]
    assert query(db, "pragma foreign_key_check") == []
    rows = query(db, "select sha256, archive_path from image")
    assert len(rows) == KILL_IMAGES and {r[0] for r in rows} == shas
    for sha, rel in rows:
        assert sha256(archive / rel) == sha
    created = query(db, "select count(*), count(distinct entity_id) from event where entity = 'image'")
    assert created == [(KILL_IMAGES, KILL_IMAGES)]
    assert query(db, "select count(*) from persona") == [(1,)]


def test_a_linked_folder_inside_is_named_not_silently_skipped(tracker: Tracker, tmp_path: Path) -> None:
    """A symlink to a folder is not followed (a loop, a folder elsewhere), and the summary says so: a warning,
    not a failed file (it is no image), so an import with nothing else wrong ends as a clean one."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    write_png(elsewhere / "a.png", {"parameters": FORGE_INFOTEXT})
    top = tmp_path / "top" / "sub"
    top.mkdir(parents=True)
    write_png(top / "b.png", {"parameters": FORGE_INFOTEXT}, image=pixels((60, 60), seed=3))
    (top / "link").symlink_to(elsewhere, target_is_directory=True)
    (top / "loop").symlink_to(tmp_path / "top", target_is_directory=True)
    summary = import_json(tracker, tmp_path / "top", "--persona", "moth")
    assert (summary["files"], summary["new_images"], summary["failed"]) == (1, 1, [])
    said = [
        f"{top / name}: a link to a folder, not followed (name the folder to import it)" for name in ("link", "loop")
    ]
    assert all(line in summary["warnings"] for line in said), summary["warnings"]
    again = tracker("import", tmp_path / "top", "--persona", "moth", ok=False)
    assert again.exit_code == 0 and "1 file: 0 new images" in again.stdout and "0 failed" in again.stdout
    assert f"tracker: warning: {said[1]}\n" in again.stderr and "error" not in again.stderr, again.stderr


def test_a_link_to_a_file_elsewhere_is_recorded_under_the_files_name(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    """`ext_link.png -> ../elsewhere/real.png`: the original the purge plan sends the owner to delete is real.png."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    real = write_png(elsewhere / "real.png", {"parameters": FORGE_INFOTEXT})
    top = tmp_path / "top"
    top.mkdir()
    (top / "ext_link.png").symlink_to(real)
    summary = import_json(tracker, top, "--persona", "moth")
    assert (summary["new_images"], summary["failed"]) == (1, [])
    db = isolated_env / "tracker.db"
    assert query(db, "select original_name from image") == [("real.png",)]
    assert query(db, "select name from image_name") == [("real.png",)]
    tracker("purge", "plan", "moth", "--output", tmp_path / "plan.md")
    plan = (tmp_path / "plan.md").read_text(encoding="utf-8")
    assert "real.png" in plan and "ext_link.png" not in plan


def test_failures_name_the_whole_path_and_broken_links_are_said(tracker: Tracker, tmp_path: Path) -> None:
    """Two damaged x.png in two folders are told apart; a link to a deleted image is a failure, not silence."""
    top = tmp_path / "downloads"
    for sub, data in (("a", b"\x89PNG\r\n\x1a\n" + b"\0" * 20), ("b", b"")):
        (top / sub).mkdir(parents=True)
        (top / sub / "x.png").write_bytes(data)
    write_png(top / "ok.png", {"parameters": FORGE_INFOTEXT})
    (top / "gone.png").symlink_to(tmp_path / "deleted.png")
    summary = import_json(tracker, top, "--persona", "moth", code=1)
    assert summary["new_images"] == 1
    failed = summary["failed"]
    assert any(line.startswith(f"{top / 'a' / 'x.png'}: ") for line in failed), failed
    assert any(line.startswith(f"{top / 'b' / 'x.png'}: ") for line in failed), failed
    assert f"{top / 'gone.png'}: a link to {tmp_path / 'deleted.png'}, which does not exist; skipped" in failed
    loop = tmp_path / "loop.png"
    loop.symlink_to(loop)
    named = tracker("import", loop, "--persona", "moth", ok=False)
    assert named.exit_code == 2 and "a link that leads back to itself (a loop)" in named.stderr


def test_a_link_loop_in_a_folder_is_said_whatever_its_name(tracker: Tracker, tmp_path: Path) -> None:
    """`ln -s selfloop selfloop`: no image suffix, but a link that leads nowhere may have been a folder."""
    top = tmp_path / "top"
    top.mkdir()
    write_png(top / "ok.png", {"parameters": FORGE_INFOTEXT})
    (top / "selfloop").symlink_to(top / "selfloop")
    summary = import_json(tracker, top, "--persona", "moth", code=1)
    assert summary["new_images"] == 1
    assert f"{top / 'selfloop'}: a link that leads back to itself (a loop), not an image; skipped" in summary["failed"]


def test_identical_damaged_files_are_each_named_and_counted(tracker: Tracker, tmp_path: Path) -> None:
    """Two copies of one truncated PNG are read once, but both fail in the summary, beside a damaged JPEG."""
    top = tmp_path / "in"
    top.mkdir()
    write_png(tmp_path / "whole.png", {"parameters": FORGE_INFOTEXT})
    truncated = (tmp_path / "whole.png").read_bytes()[:-40]
    (top / "a.png").write_bytes(truncated)
    (top / "b.png").write_bytes(truncated)
    (top / "c.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\0" * 30)
    result = tracker("import", top, "--persona", "moth", ok=False)
    assert result.exit_code == 1
    assert "3 files: 0 new images, 0 new posts, 0 archived without a post, 0 already done, 3 failed" in result.output
    assert f"tracker: error: {top / 'b.png'}: the same file as {top / 'a.png'}, which failed\n" in result.stderr
    assert all(f"tracker: error: {top / name}: " in result.stderr for name in ("a.png", "c.jpg"))


def test_misskey_and_deviantart_sidecars_give_posts_and_files_without_one_are_named(
    tracker: Tracker, tmp_path: Path
) -> None:
    folder = tmp_path / "gallery-dl"
    folder.mkdir()
    note = write_png(folder / "misskey.io_9abcdefghi_9f1.png", {}, image=pixels((60, 60), seed=11))
    deviation = write_png(folder / "moth-forest-1012345678.png", {}, image=pixels((60, 60), seed=12))
    sidecar(  # gallery-dl misskey.py: the category is the instance's name
        note,
        {"category": "misskey.io", "id": "9abcdefghi", "instance": "misskey.io", "user": {"username": "moth"}},
    )
    sidecar(
        deviation,
        {
            "category": "deviantart",
            "index": 1012345678,
            "title": "Moth forest",
            "url": "https://www.deviantart.com/mothart/art/Moth-forest-1012345678",
        },
    )
    for seed in range(7):
        pixels((40, 40), seed=20 + seed).save(folder / f"unposted-{seed}.png")
    result = tracker("import", folder, "--persona", "moth")
    assert "sidecar" not in result.stderr  # both sidecars were read, without a warning
    assert "9 files: 9 new images, 2 new posts, 7 archived without a post" in result.stdout
    lines = result.stdout.splitlines()
    start = lines.index(
        "7 files archived without a post (if one is online, `tracker log FILE --url URL` logs its post):"
    )
    named = lines[start + 1 : start + 6]
    assert all(line.startswith(f"  {folder}/unposted-") for line in named)
    assert lines[start + 6] == "  ... and 2 more: --json lists them all"
    posts = {p["url"]: p for p in tracker.json("posts")}
    assert set(posts) == {"https://misskey.io/notes/9abcdefghi", "https://www.deviantart.com/mothart/art/1012345678"}
    assert posts["https://www.deviantart.com/mothart/art/1012345678"]["title"] == "Moth forest"
