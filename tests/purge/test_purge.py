"""`tracker purge plan|mark|status|scrub` end to end, through Click's runner, on two personas."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from pathlib import Path

import pytest
from click.testing import Result
from fixtures.common import Tracker, database_url
from fixtures.imagefactory import pixels, write_png
from fixtures.purgeworld import (
    OTHER,
    OTHER_COMPLAINANT,
    OTHER_POSTS,
    SHARED_TARGET_URL,
    TARGET,
    TARGET_COMPLAINANT,
    TARGET_POSTS,
    World,
    build_world,
    database_bytes,
    mark_everything,
)
from sqlalchemy import create_engine, text

from tracker.cli import cli

pytestmark = pytest.mark.db

SECTIONS = ["export", "blocker", "post", "account", "local"]


@pytest.fixture
def world(tracker: Tracker, tmp_path: Path) -> World:
    return build_world(tracker, tmp_path / "images")


def plan(tracker: Tracker, fmt: str = "json") -> str:
    return tracker("purge", "plan", TARGET, "--format", fmt).stdout


def items(tracker: Tracker) -> list[dict[str, object]]:
    return json.loads(plan(tracker))["items"]  # type: ignore[no-any-return]


def post_ids(tracker: Tracker, persona: str) -> dict[str, int]:
    return {p["url"]: p["id"] for p in tracker.json("posts", "--persona", persona)}


def scrub(tracker: Tracker, typed: str | None, *extra: str) -> Result:
    """Run the scrub, typing `typed` at the prompt (None: no input at all)."""
    return tracker.runner.invoke(
        cli, ["purge", "scrub", TARGET, *extra], input=None if typed is None else typed + "\n", catch_exceptions=False
    )


def one_error(result: Result, *fragments: str) -> None:
    assert result.exit_code != 0
    assert len(result.stderr.splitlines()) == 1 or "Type the persona" in result.stderr, result.stderr
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in result.stderr


def count(data_dir: Path, sql: str) -> int:
    engine = create_engine(database_url(data_dir))
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(sql)).scalar_one())
    finally:
        engine.dispose()


def archived(data_dir: Path) -> set[Path]:
    return {p for p in (data_dir / "archive").rglob("*") if p.is_file()}


# ---------------------------------------------------------------------------- the plan


def test_every_format_lists_each_live_post_once_and_nothing_of_the_other_persona(
    tracker: Tracker, world: World
) -> None:
    outputs = {fmt: plan(tracker, fmt) for fmt in ("json", "csv", "md", "html")}
    data = json.loads(outputs["json"])
    ids = [item["id"] for item in data["items"]]
    assert len(ids) == len(set(ids))
    assert sorted(i["url"] for i in data["items"] if i["section"] == "post") == sorted(TARGET_POSTS)
    rows = list(csv.DictReader(io.StringIO(outputs["csv"])))
    assert [row["id"] for row in rows] == ids  # the same items, the same stable ids
    assert sorted(row["url"] for row in rows if row["section"] == "post") == sorted(TARGET_POSTS)
    for url, title in TARGET_POSTS.items():
        assert outputs["md"].count(url) == 1 and f"<{url}>" in outputs["md"]
        assert outputs["html"].count(f'href="{url}"') == 1
        assert title in outputs["md"] and title in outputs["html"]
    for output in outputs.values():
        assert OTHER not in output and OTHER_COMPLAINANT not in output
        assert not [url for url in OTHER_POSTS if url in output]
    assert outputs["md"].count("- [ ]") == len(ids)
    assert outputs["html"].startswith("<!DOCTYPE html>") and "<script" not in outputs["html"]
    assert "default-src 'none'" in outputs["html"] and "<style>" in outputs["html"]


def test_the_plan_goes_in_order_with_the_platforms_facts(tracker: Tracker, world: World) -> None:
    found = items(tracker)
    sections = [item["section"] for item in found]
    assert sections == sorted(sections, key=SECTIONS.index)
    exports = {item["platform"]: item for item in found if item["section"] == "export"}
    assert set(exports) == {"x", "bluesky", "misskey", "pixiv"}
    assert "Download an archive" in " ".join(exports["x"]["steps"])  # type: ignore[arg-type]
    # pixiv offers no export: what only it holds is saved by hand before the account goes
    assert str(exports["pixiv"]["label"]).startswith("Save by hand what you want to keep from")
    assert "caption, tags and comments" in " ".join(exports["pixiv"]["steps"])  # type: ignore[arg-type]
    blockers = [item["id"] for item in found if item["section"] == "blocker"]
    assert [b.rsplit(":", 1)[1] for b in blockers] == ["booth", "fanbox"]  # type: ignore[union-attr]
    posts = [item for item in found if item["section"] == "post"]
    assert [p["platform"] for p in posts] == ["pixiv", "pixiv", "pixiv", "x", "bluesky", "misskey"]
    assert [p["posted_at"][:7] for p in posts[:3]] == ["2026-01", "2026-02", "2026-03"]  # type: ignore[index]
    accounts = {item["platform"]: item for item in found if item["section"] == "account"}
    assert accounts["x"]["waiting_period_days"] == 30 and accounts["x"]["login_cancels_deletion"] is True
    assert accounts["pixiv"]["waiting_period_days"] == 14 and "waiting_period_days" in accounts["pixiv"]["unverified"]
    assert any("DID persists" in note for note in accounts["bluesky"]["notes"])  # type: ignore[union-attr]
    assert all(item["sources"] for item in accounts.values())
    assert [item["id"] for item in found if item["section"] == "local"] == [
        "local:originals", "local:backups", "local:elsewhere", "local:archive", "local:index", "local:database",
    ]  # fmt: skip
    automatic = {item["id"] for item in found if item["automatic"]}
    assert automatic == {"local:archive", "local:index", "local:database"}
    originals = next(item for item in found if item["id"] == "local:originals")
    assert originals["files"] == sorted(["moth0.png", "moth1.png", "shared.png", "moth3.png", "moth4.png", "moth5.png"])


def test_the_markdown_reads_as_a_checklist(tracker: Tracker, world: World) -> None:
    md = plan(tracker, "md")
    assert md.startswith(f"# Purge checklist: persona {TARGET}\n")
    for heading in ("## 1. Export what you want to keep (4)", "## 3. Delete every post (6)", "### pixiv: 3 posts"):
        assert heading in md
    assert "How to delete one: Open the work's edit page and choose delete." in md
    assert "Waiting period: 30 days" in md and "Logging in during the waiting period cancels the deletion" in md
    assert "`tracker purge mark ITEM done`" in md and f"`tracker purge scrub {TARGET}`" in md
    assert "*(tracker purge scrub does this)*" in md


def test_plan_to_a_file_is_private_and_an_unknown_persona_is_one_error(
    tracker: Tracker, world: World, tmp_path: Path
) -> None:
    target = tmp_path / "checklist.html"
    out = tracker("purge", "plan", TARGET, "--format", "html", "--output", target).stdout
    assert f"to {target}" in out
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    one_error(tracker("purge", "plan", "nobody", ok=False), "no persona 'nobody' (`tracker personas` lists them)")
    one_error(tracker("purge", "status", "nobody", ok=False), "no persona 'nobody'")


def test_plan_starts_one_run_and_says_so_once(tracker: Tracker, world: World) -> None:
    first = tracker("purge", "plan", TARGET)
    assert "started purge run #1" in first.stderr
    assert "started" not in tracker("purge", "plan", TARGET).stderr


# ---------------------------------------------------------------------------- marks


def test_a_post_marked_done_is_recorded_deleted_and_undoing_restores_it(tracker: Tracker, world: World) -> None:
    tracker("purge", "plan", TARGET)
    url = next(iter(TARGET_POSTS))
    number = post_ids(tracker, TARGET)[url]
    out = tracker("purge", "mark", f"post:{number}", "done").stdout
    assert f"post:{number}  open -> done" in out
    assert tracker.json("show", str(number))["status"] == "deleted"
    found = {item["id"]: item for item in items(tracker)}
    assert found[f"post:{number}"]["state"] == "done"
    assert f"- [x] <{url}>" in plan(tracker, "md")
    tracker("purge", "mark", f"post:{number}", "failed", "--reason", "still online")
    assert tracker.json("show", str(number))["status"] == "live"
    found = {item["id"]: item for item in items(tracker)}
    assert (found[f"post:{number}"]["state"], found[f"post:{number}"]["reason"]) == ("failed", "still online")
    history = tracker.json("show", str(number))["events"]
    assert [e["changes"]["status"] for e in history if e["command"] == "purge mark"] == [
        ["live", "deleted"],
        ["deleted", "live"],
    ]


def test_mark_rules(tracker: Tracker, world: World) -> None:
    tracker("purge", "plan", TARGET)
    found = items(tracker)
    export = next(item["id"] for item in found if item["section"] == "export")
    one_error(tracker("purge", "mark", export, "skipped", ok=False), "--reason")
    tracker("purge", "mark", export, "skipped", "--reason", "nothing worth keeping")
    one_error(tracker("purge", "mark", "local:archive", "done", ok=False), "tracker purge scrub")
    theirs = post_ids(tracker, OTHER)[next(iter(OTHER_POSTS))]
    one_error(tracker("purge", "mark", f"post:{theirs}", "done", ok=False), f"no item 'post:{theirs}'")
    assert tracker.json("show", str(theirs))["status"] == "live"
    one_error(tracker("purge", "mark", "post:*", "done", "--platform", "tumblr", ok=False), "matches")
    marked = tracker.json("purge", "mark", "post:*", "done", "--platform", "bluesky")
    assert [m["url"] for m in marked] == [u for u in TARGET_POSTS if "bsky.app" in u]
    assert {p["status"] for p in tracker.json("posts", "--persona", OTHER)} == {"live"}


def test_the_persona_of_a_mark_is_guessed_only_when_clear(tracker: Tracker, world: World) -> None:
    tracker("purge", "plan", TARGET)
    tracker.runner.invoke(cli, ["purge", "plan", OTHER])  # a second run
    one_error(tracker("purge", "mark", "local:backups", "done", ok=False), "--persona")
    ours = post_ids(tracker, TARGET)[next(iter(TARGET_POSTS))]
    tracker("purge", "mark", f"post:{ours}", "done")  # the post says whose purge it is
    assert tracker.json("show", str(ours))["status"] == "deleted"


def test_the_checklist_names_the_letters_and_checklists_saved_outside_the_data_folder(
    tracker: Tracker, world: World
) -> None:
    elsewhere = next(item for item in items(tracker) if item["id"] == "local:elsewhere")
    steps = " ".join(str(step) for step in elsewhere["steps"])  # type: ignore[union-attr]
    assert "reply-complaint-N.txt" in steps and "purge plan --output" in steps


def test_a_mark_for_a_persona_whose_purge_has_not_started_is_refused(tracker: Tracker, world: World) -> None:
    tracker("purge", "plan", TARGET)
    refused = tracker("purge", "mark", "post:*", "done", "--persona", OTHER, "--platform", "x", ok=False)
    one_error(refused, f"no purge of '{OTHER}' has started", f"tracker purge plan {OTHER}")
    assert {p["status"] for p in tracker.json("posts", "--persona", OTHER)} == {"live"}, "the kept persona's posts"
    assert [line for line in tracker("purge", "status", TARGET).stdout.splitlines() if OTHER in line] == []


def test_a_post_logged_after_the_purge_started_joins_it(tracker: Tracker, world: World, tmp_path: Path) -> None:
    tracker("purge", "plan", TARGET)
    late = write_png(tmp_path / "late.png", {}, image=pixels(seed=777))
    url = "https://www.pixiv.net/artworks/555000099"
    tracker("log", late, "--url", url, "--persona", TARGET)
    md = plan(tracker, "md")
    line = next(line for line in md.splitlines() if url in line)
    assert line.startswith("- [ ]") and "logged after the purge started" in line
    assert url in tracker("purge", "status", TARGET).stdout


def test_status_shows_what_is_left(tracker: Tracker, world: World) -> None:
    out = tracker("purge", "status", TARGET).stdout
    assert "not started" in out and "Left before the scrub (19):" in out
    mark_everything(tracker)
    url = next(iter(TARGET_POSTS))
    tracker("purge", "mark", f"post:{post_ids(tracker, TARGET)[url]}", "open")
    out = tracker("purge", "status", TARGET).stdout
    assert "run #1 started" in out and "Left before the scrub (1):" in out and url in out
    assert "deletion final after" in out and "do not log in" in out  # X's 30 days
    tracker("purge", "mark", "post:*", "done", "--persona", TARGET)
    assert "Nothing is left" in tracker("purge", "status", TARGET).stdout


# ---------------------------------------------------------------------------- scrub


def test_scrub_is_refused_while_items_are_open(tracker: Tracker, world: World, isolated_env: Path) -> None:
    tracker("purge", "plan", TARGET)
    result = scrub(tracker, TARGET)
    one_error(result, "19 items", "not done or skipped")
    assert "Not done or skipped yet (19):" in result.stdout and "local:elsewhere" in result.stdout
    assert "Type the persona" not in result.output  # refused before asking
    assert len(tracker.json("posts", "--persona", TARGET)) == len(TARGET_POSTS)


@pytest.mark.sqlite_only  # the SQLite file, VACUUM and secure_delete (test_purge_postgres covers PostgreSQL)
def test_scrub_wants_the_persona_name_typed(tracker: Tracker, world: World, isolated_env: Path) -> None:
    mark_everything(tracker)
    wrong = scrub(tracker, OTHER)
    assert wrong.exit_code == 1 and "does not match" in wrong.stderr
    assert "1 complaint still unanswered: #" in wrong.stderr, "said before the point of no return"
    nothing = scrub(tracker, None)
    assert nothing.exit_code != 0
    assert len(tracker.json("posts", "--persona", TARGET)) == len(TARGET_POSTS)
    assert TARGET.encode() in database_bytes(isolated_env)


def test_dry_run_shows_the_scrub_and_changes_nothing(tracker: Tracker, world: World, isolated_env: Path) -> None:
    tracker("purge", "plan", TARGET)
    files = archived(isolated_env)
    preview = scrub(tracker, None, "--dry-run")
    assert preview.exit_code == 0 and "Type the persona" not in preview.output
    assert "would remove" in preview.stdout and "refused until these 19 items" in preview.stdout
    mark_everything(tracker)
    report = json.loads(scrub(tracker, None, "--dry-run", "--json").stdout)
    assert report["dry_run"] is True and report["left"] == []
    rows = report["rows"]
    assert (rows["persona"], rows["account"], rows["post"], rows["image"]) == (1, 4, 6, 5)
    assert (rows["complaint"], rows["complaint_image"], rows["complaint_post"]) == (1, 1, 1)
    assert rows["event"] > 30 and report["images_kept"] == 1
    assert report["files_deleted"] == 6  # five images of its own, one complainant image
    assert archived(isolated_env) == files
    assert len(tracker.json("posts", "--persona", TARGET)) == len(TARGET_POSTS)


@pytest.mark.sqlite_only  # the SQLite file, VACUUM and secure_delete (test_purge_postgres covers PostgreSQL)
def test_scrub_leaves_nothing_of_the_persona_and_everything_of_the_other(
    tracker: Tracker, world: World, isolated_env: Path
) -> None:
    theirs_before = tracker.json("posts", "--persona", OTHER)
    tracker("match", world.shared_image)  # writes the similarity index beside the database
    index = isolated_env / "tracker.db.hashindex.npz"
    assert index.exists()
    files_before = archived(isolated_env)
    shared_file = Path(tracker.json("show", SHARED_TARGET_URL)["image"]["archive_file"])
    mark_everything(tracker)

    result = scrub(tracker, TARGET)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert f"Scrubbed persona '{TARGET}'" in out and "6 posts" in out and "4 accounts" in out
    assert "the name no longer appears" in out and "none of its 6 post URLs appear" in out

    raw = database_bytes(isolated_env)
    assert TARGET.encode() not in raw and TARGET_COMPLAINANT.encode() not in raw
    assert not [url for url in TARGET_POSTS if url.encode() in raw]
    assert not [title for title in ("Harbour at dusk", "Night market") if title.encode() in raw]
    assert OTHER.encode() in raw and OTHER_COMPLAINANT.encode() in raw
    assert all(url.encode() in raw for url in OTHER_POSTS)

    # The shared image stays the other persona's, under the name it logged it under: "shared.png" was the target's.
    for post in theirs_before:
        if post["image"]["original_name"] == "shared.png":
            post["image"]["original_name"] = "lantern-repost.png"
    assert tracker.json("posts", "--persona", OTHER) == theirs_before
    assert b"shared.png" not in raw and b"lantern-repost.png" in raw  # the other persona's own name for it stays
    assert tracker.json("posts") == theirs_before  # none of the target's posts is left
    assert "no persona" in tracker("posts", "--persona", TARGET, ok=False).stderr  # nor the persona
    assert [c["complainant_name"] for c in tracker.json("complaint", "list")] == [f"Owner {OTHER_COMPLAINANT}"]
    assert shared_file.exists()  # the other persona posted it too
    assert len(archived(isolated_env)) == len(files_before) - 6
    assert not index.exists()
    assert count(isolated_env, "select count(*) from persona") == 1
    for table in ("purge_run", "purge_item", "purge_file"):
        assert count(isolated_env, f"select count(*) from {table}") == 0
    assert count(isolated_env, "select count(*) from image where persona_id is null") == 0
    rel = shared_file.relative_to(isolated_env / "archive").as_posix()
    holder = f"select count(*) from image join persona on persona.id = image.persona_id where archive_path = '{rel}'"
    assert count(isolated_env, f"{holder} and persona.name = '{OTHER}'") == 1  # now held by the other persona
    assert tracker.json("show", next(iter(OTHER_POSTS)))["events"]  # the other persona's history is intact

    again = scrub(tracker, None)
    assert again.exit_code == 0 and "No persona" in again.stdout
    assert tracker.json("posts", "--persona", OTHER) == theirs_before


def test_purge_commands_have_help(tracker: Tracker) -> None:
    assert "plan" in tracker("purge", "--help").stdout
    for command in ("plan", "mark", "status", "scrub"):
        assert "Usage:" in tracker("purge", command, "--help").stdout


def test_scrub_first_removes_the_files_a_killed_import_left(tracker: Tracker, world: World, isolated_env: Path) -> None:
    """An import killed between writing a file and committing its row leaves a file no row names (and its
    journal): no plan or count sees it, so the scrub sweeps it before anything else, as any writer would."""
    import hashlib
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (12, 34, 56)).save(buffer, format="PNG")
    digest = hashlib.sha256(buffer.getvalue()).hexdigest()
    rel = f"{digest[:2]}/{digest}.png"
    left = isolated_env / "archive" / rel
    left.parent.mkdir(mode=0o700, exist_ok=True)
    left.write_bytes(buffer.getvalue())
    (isolated_env / ".archive.pending-4242-deadbeef").write_text(rel + "\n", encoding="ascii")
    mark_everything(tracker)
    assert scrub(tracker, TARGET).exit_code == 0
    assert not left.exists(), "an image of the killed import outlived the scrub"
    assert not list(isolated_env.glob(".archive.pending-*"))


def test_a_mistyped_persona_is_never_reported_scrubbed(tracker: Tracker, world: World) -> None:
    mark_everything(tracker)
    for typo in (TARGET.title(), TARGET[:-1]):
        refused = tracker("purge", "scrub", typo, ok=False)
        one_error(refused, f"no persona {typo!r}", f"did you mean {TARGET!r}", "nothing was changed")
        assert "Scrubbed" not in refused.stdout and "check" not in refused.stdout
    assert len(tracker.json("posts", "--persona", TARGET)) == len(TARGET_POSTS)
    one_error(tracker("purge", "status", TARGET.upper(), ok=False), f"did you mean {TARGET!r}")


def test_a_platform_is_named_for_marks_as_the_checklist_shows_it(tracker: Tracker, world: World) -> None:
    tracker("purge", "plan", TARGET)
    for shown in ("Bluesky", "X (Twitter)", "twitter"):
        marked = tracker.json("purge", "mark", "post:*", "failed", "--platform", shown)
        assert marked and all(m["platform"] in ("bluesky", "x") for m in marked), shown
        tracker("purge", "mark", "post:*", "open", "--platform", shown)


def test_a_pattern_leaves_settled_items_as_they_are(tracker: Tracker, world: World) -> None:
    tracker("purge", "plan", TARGET)
    exports = [item["id"] for item in items(tracker) if item["section"] == "export"]
    tracker("purge", "mark", exports[0], "skipped", "--reason", "nothing worth keeping")
    result = tracker("purge", "mark", "export:*", "done")
    assert exports[0] not in result.stdout and "A pattern leaves items already done or skipped" in result.stdout
    kept = next(item for item in items(tracker) if item["id"] == exports[0])
    assert (kept["state"], kept["reason"]) == ("skipped", "nothing worth keeping")
    again = tracker("purge", "mark", "export:*", "done").stdout
    assert "Marked 0 items done." in again, "nothing re-marked done -> done"
    tracker("purge", "mark", "export:*", "open")
    assert {item["state"] for item in items(tracker) if item["section"] == "export"} == {"open"}, "open undoes all"


def test_scrub_json_is_json_when_refused_and_when_nothing_is_left_to_finish(tracker: Tracker, world: World) -> None:
    tracker("purge", "plan", TARGET)
    refused = tracker("purge", "scrub", TARGET, "--json", ok=False)
    assert refused.exit_code != 0 and json.loads(refused.stdout)["scrubbed"] is False
    assert len(json.loads(refused.stdout)["left"]) == 19
    finished = tracker.json("purge", "scrub", "--finish", "--json")
    assert finished["finished"] is False


def test_the_export_step_says_the_scrub_deletes_the_archive(tracker: Tracker, world: World) -> None:
    by_hand = next(item for item in items(tracker) if item["id"].startswith("export:pixiv"))  # type: ignore[union-attr]
    steps = " ".join(str(step) for step in by_hand["steps"])  # type: ignore[union-attr]
    assert "until the scrub deletes it" in steps and "copy out any you want to keep first" in steps
    assert "already" not in steps


def test_a_post_recorded_live_again_is_open_on_the_checklist(tracker: Tracker, world: World) -> None:
    tracker("purge", "plan", TARGET)
    url = next(iter(TARGET_POSTS))
    number = post_ids(tracker, TARGET)[url]
    tracker("purge", "mark", f"post:{number}", "done")
    tracker("post", "set", str(number), "--status", "live")
    item = next(item for item in items(tracker) if item["id"] == f"post:{number}")
    assert item["state"] == "open", "the scrub must wait for a post that is online again"


def test_a_take_down_marked_done_stays_a_take_down(tracker: Tracker, world: World) -> None:
    tracker("purge", "plan", TARGET)
    url = next(iter(TARGET_POSTS))
    number = post_ids(tracker, TARGET)[url]
    tracker("post", "set", str(number), "--status", "taken_down")
    tracker("purge", "mark", f"post:{number}", "done")
    assert tracker.json("show", str(number))["status"] == "taken_down", "removed by the platform, not by the owner"
