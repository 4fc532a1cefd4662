"""A platform's notice that says the platform already removed the content takes the post it names out of `live`.

Left live, the post would stand in the burn-down checklist as one still to delete. Logged (or named later with
`complaint set --post`), the notice records each live post it names as taken down, in the same transaction, with
the change in the post's history; a notice that only passes a complaint on changes nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing

pytestmark = pytest.mark.db

BSKY = "https://bsky.app/profile/moth.bsky.social/post/3kdemo2bridge"
REMOVED = (
    "Hello,\n\n"
    f"We have received a copyright complaint regarding your content: {BSKY}\n"
    'The complainant, Northwind Media LLC, states that the content infringes their artwork "Rain Bridge".\n'
    "We have removed the content. If you believe this was a mistake, you may submit a counter-notification.\n\n"
    "Bluesky Trust & Safety\n"
)
PASSED_ON = REMOVED.replace("We have removed the content. If you believe this was a mistake, y", "Y")


def _log_post(tracker: Tracker, tmp_path: Path, url: str = BSKY) -> int:
    image = tmp_path / "post.png"
    drawing(7).save(image)
    return int(tracker.json("log", image, "--url", url, "--persona", "moth", "--json")["id"])


def _add(tracker: Tracker, tmp_path: Path, text: str) -> str:
    path = tmp_path / "notice.txt"
    path.write_text(text, encoding="utf-8")
    return tracker("complaint", "add", "--message-file", path, "--channel", "email").stdout


def _post_item(tracker: Tracker, number: int) -> dict[str, object]:
    items = {item["id"]: item for item in tracker.json("purge", "status", "moth")["items"]}
    return items[f"post:{number}"]


@pytest.mark.usefixtures("isolated_env")
def test_a_notice_that_the_platform_removed_the_post_records_it_taken_down(tracker: Tracker, tmp_path: Path) -> None:
    number = _log_post(tracker, tmp_path)
    said = _add(tracker, tmp_path, REMOVED)
    assert f"#{number} {BSKY} (taken down)" in said
    assert "The platform's notice says it removed the content" in said
    post = tracker.json("show", str(number))
    assert post["status"] == "taken_down"
    assert [e["command"] for e in post["events"] if e["changes"].get("status") == ["live", "taken_down"]] == [
        "complaint add"
    ], "the change is in the audit trail, under the command that made it"
    item = _post_item(tracker, number)
    assert item["post_status"] == "taken_down" and "Taken down earlier: check that it is really gone." in item["notes"]


@pytest.mark.usefixtures("isolated_env")
def test_a_notice_that_only_passes_a_complaint_on_leaves_the_post_live(tracker: Tracker, tmp_path: Path) -> None:
    number = _log_post(tracker, tmp_path)
    said = _add(tracker, tmp_path, PASSED_ON)
    assert "(taken down)" not in said and "removed the content" not in said
    assert tracker.json("show", str(number))["status"] == "live"


@pytest.mark.usefixtures("isolated_env")
def test_a_post_named_later_on_a_removal_notice_follows_it(tracker: Tracker, tmp_path: Path) -> None:
    _add(tracker, tmp_path, REMOVED)  # logged before its post was
    number = _log_post(tracker, tmp_path)
    assert tracker.json("show", str(number))["status"] == "live"
    said = tracker("complaint", "set", "1", "--post", str(number)).stdout
    assert f"taken down - -> #{number}" in " ".join(said.split())
    assert tracker.json("show", str(number))["status"] == "taken_down"
    tracker("post", "set", str(number), "--status", "deleted")
    tracker("complaint", "set", "1", "--post", "")
    tracker("complaint", "set", "1", "--post", str(number))
    assert tracker.json("show", str(number))["status"] == "deleted", "a deleted post stays deleted"


@pytest.mark.usefixtures("isolated_env")
def test_the_platforms_later_message_that_it_removed_the_post_takes_it_down(tracker: Tracker, tmp_path: Path) -> None:
    number = _log_post(tracker, tmp_path)
    _add(tracker, tmp_path, PASSED_ON)
    later = tmp_path / "later.txt"
    later.write_text(
        f"Hello,\n\nFollowing the copyright complaint regarding your content ({BSKY}), we have removed the content."
        "\n\nBluesky Trust & Safety\n",
        encoding="utf-8",
    )
    said = tracker("complaint", "message", "1", "--message-file", later).stdout
    assert f"post #{number} is recorded as taken down" in said
    post = tracker.json("show", str(number))
    assert post["status"] == "taken_down"
    assert [e["command"] for e in post["events"] if e["changes"].get("status")][-1] == "complaint message #1"
    thanks = tmp_path / "thanks.txt"
    thanks.write_text("Thank you, I can see it has been removed now.\n", encoding="utf-8")
    tracker("post", "set", str(number), "--status", "live")  # the owner knows better: it is back
    tracker("complaint", "message", "1", "--message-file", thanks)  # the complainant's words, not the platform's
    assert tracker.json("show", str(number))["status"] == "live"
