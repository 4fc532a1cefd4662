"""A complaint linked to no persona and naming no post (logged before its post was found, or never matched).

Whose it is, tracker cannot tell. When the scrubbed persona is the only one, it can only be about that one: the
scrub deletes it with its complainant's details and image, and the checklist and the report say so. With other
personas it may be theirs: the scrub keeps it, and the checklist asks the owner to settle it first (link it to
this persona, and it goes with it), and the report names it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing
from fixtures.purgeworld import OTHER, TARGET, build_world, mark_everything

from tracker.cli import cli

pytestmark = pytest.mark.db


def unlinked_complaint(tracker: Tracker, tmp_path: Path) -> tuple[int, Path]:
    """A complaint with an image of nobody's post: no post named, no persona. Returns it and its archived image."""
    image = tmp_path / "theirs.png"
    drawing(41).save(image)
    added = tracker.json(
        "complaint", "add", "--name", "Aoi Mori", "--contact", "aoi@example.org", "--message", "my drawing",
        "--image", image,
    )  # fmt: skip
    number = int(added["id"])
    assert added["persona"] is None and added["posts"] == []
    shown = tracker.json("complaint", "show", number)
    return number, Path(shown["images"][0]["archive_file"])


def scrub(tracker: Tracker, persona: str) -> str:
    done = tracker.runner.invoke(cli, ["purge", "scrub", persona], input=persona + "\n", catch_exceptions=False)
    assert done.exit_code == 0, done.output
    return done.output


def complaint_numbers(tracker: Tracker) -> list[int]:
    return [int(c["id"]) for c in tracker.json("complaint", "list", "--all")]


def test_the_only_personas_scrub_deletes_a_complaint_linked_to_nothing_and_says_so(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    image = tmp_path / "mine.png"
    drawing(3).save(image)
    tracker("log", image, "--url", "https://www.pixiv.net/artworks/7001", "--persona", "moth")
    number, archived = unlinked_complaint(tracker, tmp_path)
    assert archived.is_file()

    plan = tracker("purge", "plan", "moth").stdout.replace("\\#", "#")
    assert "1 complaint linked to no persona or post (#1): no other persona is in tracker" in plan
    assert "1 complaint about this persona is still unanswered" in plan
    tracker("purge", "mark", "*", "done", "--persona", "moth")
    dry = tracker("purge", "scrub", "moth", "--dry-run").stdout
    assert f"would delete 1 complaint linked to no persona or post (#{number}, received " in dry

    on_sqlite = (isolated_env / "tracker.db").is_file()
    if on_sqlite:  # what a restore kept beside the database: named in plain words, as holding this persona too
        (isolated_env / "tracker.db.old-20261201T000000Z-0a1b2c").write_bytes(b"")
        tracker("purge", "mark", "local:backups", "done", "--persona", "moth")  # made after the mark: opened it again
    report = scrub(tracker, "moth")
    assert f"deleted 1 complaint linked to no persona or post (#{number}, received " in report
    if on_sqlite:
        assert "1 copy of the database or the archive beside it holds every persona as it was then, this one " in report
    assert "from Aoi Mori, 1 image): no other persona is in tracker" in report
    assert complaint_numbers(tracker) == [] and not archived.exists()


def test_with_other_personas_a_complaint_linked_to_nothing_is_kept_only_once_the_owner_has_looked(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    build_world(tracker, tmp_path / "images")
    before = complaint_numbers(tracker)
    number, archived = unlinked_complaint(tracker, tmp_path)
    plan = tracker("purge", "plan", TARGET).stdout.replace("\\#", "#")
    assert "Decide whose the complaints linked to no persona are** `local:complaints`" in plan
    assert f"tracker complaint set {number} --persona {TARGET}" in plan
    assert f"#{number}, received " in plan and "from Aoi Mori, 1 image\n" in plan

    tracker("purge", "plan", TARGET)
    tracker("purge", "mark", "post:*", "done", "--persona", TARGET)
    for item in tracker.json("purge", "status", TARGET)["items"]:
        if item["state"] == "open" and not item["automatic"] and item["id"] != "local:complaints":
            tracker("purge", "mark", item["id"], "done", "--persona", TARGET)
    refused = tracker.runner.invoke(cli, ["purge", "scrub", TARGET], input=TARGET + "\n")
    assert refused.exit_code != 0 and "1 item of the purge" in refused.output, "the owner must look at it first"

    tracker("purge", "mark", "local:complaints", "done", "--persona", TARGET)
    report = scrub(tracker, TARGET)
    assert f"kept 1 complaint linked to no persona or post (#{number}, received " in report
    assert "may be another persona's" in report
    assert number in complaint_numbers(tracker) and archived.is_file()
    assert len(complaint_numbers(tracker)) == len(before), "the target's own complaint went, the other's stayed"


def test_a_complaint_linked_to_the_persona_before_the_scrub_goes_with_it(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    build_world(tracker, tmp_path / "images")
    number, archived = unlinked_complaint(tracker, tmp_path)
    screenshot = tracker.json(
        "complaint", "add", "--name", "Ren", "--message", "this one", "--image", tmp_path / "images" / "moth0.png",
    )  # fmt: skip
    plan = tracker("purge", "plan", TARGET).stdout.replace("\\#", "#")
    assert f"#{screenshot['id']}, received " in plan
    assert "from Ren, 1 image (it is the same file as an image of this persona's)" in plan, "a hint whose it is"
    tracker("complaint", "set", screenshot["id"], "--persona", TARGET)
    tracker("complaint", "set", number, "--persona", TARGET)
    plan = tracker("purge", "plan", TARGET).stdout
    assert "local:complaints" not in plan
    mark_everything(tracker)
    scrub(tracker, TARGET)
    assert number not in complaint_numbers(tracker) and not archived.exists()


def _mark_all_but_unlinked(tracker: Tracker) -> None:
    tracker("purge", "plan", TARGET)
    tracker("purge", "mark", "post:*", "done", "--persona", TARGET)
    for item in tracker.json("purge", "status", TARGET)["items"]:
        if item["state"] == "open" and not item["automatic"] and item["id"] != "local:complaints":
            tracker("purge", "mark", item["id"], "done", "--persona", TARGET)


def _unlinked_item(tracker: Tracker) -> dict[str, object]:
    items = {item["id"]: item for item in tracker.json("purge", "status", TARGET)["items"]}
    return items["local:complaints"]


def test_a_complaint_linked_to_nothing_logged_after_the_mark_opens_the_item_again(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    build_world(tracker, tmp_path / "images")
    first, _ = unlinked_complaint(tracker, tmp_path)
    _mark_all_but_unlinked(tracker)
    tracker("purge", "mark", "local:complaints", "done", "--persona", TARGET)
    assert _unlinked_item(tracker)["state"] == "done"

    later = tmp_path / "later.png"
    drawing(42).save(later)
    second = int(tracker.json("complaint", "add", "--name", "Kai", "--message", "mine too", "--image", later)["id"])
    item = _unlinked_item(tracker)
    assert item["state"] == "open", "the owner looked at the complaints before this one came in"
    assert item["reopened_by"] == [f"#{second}"]
    status = tracker("purge", "status", TARGET).stdout.replace("\\#", "#")
    assert f"#{second}" in status and "logged since you marked" in status
    plan = tracker("purge", "plan", TARGET).stdout.replace("\\#", "#")
    assert f"logged since you marked it done: #{second}" in plan
    refused = tracker.runner.invoke(cli, ["purge", "scrub", TARGET], input=TARGET + "\n")
    assert refused.exit_code != 0 and "1 item of the purge" in refused.output
    assert second in complaint_numbers(tracker)

    tracker("complaint", "set", second, "--persona", OTHER)  # handed to its persona: the earlier mark stands again
    assert _unlinked_item(tracker)["state"] == "done"
    tracker("complaint", "set", second, "--persona", "")  # unlinked again, after the mark: open again
    assert _unlinked_item(tracker)["state"] == "open"
    tracker("purge", "mark", "local:complaints", "done", "--persona", TARGET)  # looked at again
    assert _unlinked_item(tracker)["state"] == "done"
    report = scrub(tracker, TARGET)
    assert f"kept 2 complaints linked to no persona or post (#{first}, received " in report
    assert {first, second} <= set(complaint_numbers(tracker))
