"""A post recorded wrong is corrected, not duplicated: `post set --url/--platform/--account/--image`,
`account rename` and `post remove`, each in the audit trail with its old value."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fixtures.common import Tracker, database_url, query
from fixtures.imagefactory import FORGE_INFOTEXT, pixels, write_png
from fixtures.killpoints import kill_at

pytestmark = pytest.mark.db

PIXIV = "https://www.pixiv.net/artworks/{}"


def _image(folder: Path, name: str, seed: int) -> Path:
    folder.mkdir(exist_ok=True)
    return write_png(folder / name, {"parameters": FORGE_INFOTEXT}, image=pixels(size=(256, 192), seed=seed))


def _one_error(tracker: Tracker, *args: object) -> str:
    result = tracker(*args, ok=False)
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("tracker: error: "), result.stderr
    return result.stderr


def _events(data: Path) -> list[tuple[object, ...]]:
    return query(data, "SELECT entity, entity_id, action, changes, command FROM event ORDER BY id")


def _changes(value: object) -> dict[str, list[object]]:
    return json.loads(value) if isinstance(value, str) else value  # type: ignore[return-value]


def _checked_live(data: Path, post: int) -> None:
    """A stored answer of `tracker check` (as a run against the platform leaves it): the post is online."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url(data))
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO post_check (post_id, checked_at, state, url, status_code, evidence)"
                " VALUES (:post, '2026-12-01 10:00:00.000000', 'live', 'https://example.org/ajax', 200, '{}')"
            ),
            {"post": post},
        )
    engine.dispose()


def _history(tracker: Tracker, post: object) -> list[str]:
    out = tracker("show", post).stdout
    return out.split("  history\n", 1)[1].splitlines()


def _plan_accounts(tracker: Tracker, persona: str) -> list[str]:
    plan = json.loads(tracker("purge", "plan", persona, "--format", "json").stdout)
    return [f"{item['label']} {item['account']}" for item in plan["items"] if item["id"].startswith("account:")]


def test_a_wrong_file_is_replaced_and_match_then_finds_the_right_one(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    img20, img21 = _image(tmp_path / "i", "img20.png", 20), _image(tmp_path / "i", "img21.png", 21)
    tracker("log", img20, "--url", PIXIV.format(120000021), "--persona", "moth")
    assert "already logged (post #1)" in _one_error(tracker, "log", img21, "--url", PIXIV.format(120000021))
    assert tracker("match", img21).stdout.startswith("No logged image matches img21.png")  # the saved index is made
    [(old_sha, old_rel)] = query(isolated_env, "SELECT sha256, archive_path FROM image")

    missing = _one_error(tracker, "post", "set", "1", "--image", tmp_path / "nothing.png")
    assert "nothing.png" in missing
    out = tracker("post", "set", "1", "--image", img21).stdout.splitlines()
    [(new_sha, new_rel)] = query(isolated_env, "SELECT sha256, archive_path FROM image")
    assert (
        out
        == [
            "Updated post #1:",
            f"  image sha256: {old_sha[:16]} -> {new_sha[:16]}",  # as the history says it
            f"  image #1 (sha256 {old_sha[:16]}) is no longer used: removed from the archive",
        ]
    )
    found = tracker.json("match", img21)
    assert [p["id"] for p in found[0]["posts"]] == [1] and found[0]["identical"]
    assert tracker("match", img20).stdout.startswith("No logged image matches img20.png")
    assert not (isolated_env / "archive" / old_rel).exists() and (isolated_env / "archive" / new_rel).is_file()
    assert tracker.json("show", "1")["image"]["original_name"] == "img21.png"
    assert _history(tracker, "1")[-1].endswith(f"update  post set  image sha256: {old_sha[:16]} -> {new_sha[:16]}")
    [update] = [e for e in _events(isolated_env) if e[0] == "post" and e[2] == "update"]
    assert _changes(update[3])["image_sha256"] == [old_sha, new_sha] and _changes(update[3])["image_id"] == [1, 2]
    assert [e[2] for e in _events(isolated_env) if e[0] == "image" and e[1] == 1] == ["create", "delete"]


def test_an_image_another_post_shows_stays_when_one_post_is_corrected(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    shared, right = _image(tmp_path / "i", "shared.png", 5), _image(tmp_path / "i", "right.png", 6)
    tracker("log", shared, "--url", PIXIV.format(1), "--persona", "moth")
    tracker("log", shared, "--url", PIXIV.format(2))
    [(rel,)] = query(isolated_env, "SELECT archive_path FROM image")
    out = tracker("post", "set", "2", "--image", right).stdout
    assert "image #1 (sha256 " in out and ") stays: post #1 shows it too" in out
    assert (isolated_env / "archive" / rel).is_file()
    assert [p["id"] for p in tracker.json("match", shared)[0]["posts"]] == [1]
    again = tracker("post", "set", "2", "--image", right).stdout
    assert again.strip() == "Post #2: nothing changed (it already reads so)."


def test_a_mistyped_url_is_corrected_as_log_reads_urls(tracker: Tracker, tmp_path: Path, isolated_env: Path) -> None:
    tracker("log", _image(tmp_path / "i", "a.png", 1), "--url", PIXIV.format(120000021), "--persona", "moth")
    tracker("log", _image(tmp_path / "i", "b.png", 2), "--url", PIXIV.format(12000025))
    before = _events(isolated_env)
    for args, said in (
        (("--url", PIXIV.format(120000021)), "is already logged (post #1)"),
        (("--url", "https://www.pixiv.net/en/artworks/120000021?utm_source=x"), "is already logged (post #1)"),
        (("--url", "https://www.pixiv.net/users/1"), "is not the URL of a post on pixiv"),
        (("--url", "https://example.org/p/1"), "no known platform matches"),
        (("--url", "https://x.com/moth/status/1", "--platform", "pixiv"), "is a x post, not pixiv"),
        (("--account", "bad/handle"), "not a valid handle on pixiv"),
    ):
        assert said in _one_error(tracker, "post", "set", "2", *args)
    assert _events(isolated_env) == before  # nothing written

    _checked_live(isolated_env, 2)  # someone else's work, at the mistyped address, is online
    assert tracker.json("show", "2")["last_check"]["state"] == "live"
    out = tracker("post", "set", "2", "--url", "https://www.pixiv.net/en/artworks/120000025").stdout.splitlines()
    assert out == [
        "Updated post #2:",
        f'  url: "{PIXIV.format(12000025)}" -> "{PIXIV.format(120000025)}"',
        "  1 check of the old URL forgotten: tracker check 2 asks the new one",
    ]
    assert tracker.json("show", "2")["last_check"] is None
    assert tracker.json("show", PIXIV.format(120000025))["id"] == 2
    assert tracker.json("show", "2")["platform_post_id"] == "120000025"
    assert _history(tracker, "2")[-1].endswith(
        f'update  post set  url: "{PIXIV.format(12000025)}" -> "{PIXIV.format(120000025)}"'
    )

    x_url = "https://twitter.com/moth_art/status/1865000000000000001"
    out = tracker("post", "set", "2", "--url", x_url).stdout.splitlines()
    assert out[2:] == ['  platform: "pixiv" -> "x"', '  account: "pixiv (handle unknown)" -> "x moth_art"']
    shown = tracker.json("show", "2")
    assert (
        shown["url"] == "https://x.com/moth_art/status/1865000000000000001" and shown["account"]["handle"] == "moth_art"
    )
    assert _history(tracker, "2")[-1].strip() == 'account: "pixiv (handle unknown)" -> "x moth_art"'


def test_a_wrong_platform_name_is_corrected_and_leaves_no_account_behind(tracker: Tracker, tmp_path: Path) -> None:
    tracker("log", _image(tmp_path / "i", "a.png", 1), "--url", PIXIV.format(1), "--persona", "moth")
    tracker("log", _image(tmp_path / "i", "b.png", 2), "--url", "https://example.org/p/7", "--platform", "pixvi")
    assert "pixvi" in "".join(_plan_accounts(tracker, "moth"))
    said = _one_error(tracker, "post", "set", "2", "--platform", "pixiv")
    assert "example.org is not one of pixiv's hosts" in said
    out = tracker("post", "set", "2", "--platform", "instagram").stdout.splitlines()
    assert out == [
        "Updated post #2:",
        '  platform: "pixvi" -> "instagram"',
        '  account: "pixvi (handle unknown)" -> "instagram (handle unknown)"',
        "  account pixvi (handle unknown) held no other post: removed",
    ]
    accounts = _plan_accounts(tracker, "moth")
    assert len(accounts) == 2 and "pixvi" not in "".join(accounts) and "instagram" in "".join(accounts)
    assert [p["id"] for p in tracker.json("posts", "--platform", "instagram")] == [2]
    # The URL of a site tracker does not know keeps the post's platform name, as if --platform were given again.
    tracker("post", "set", "2", "--url", "https://example.org/p/8")
    assert tracker.json("show", "2")["platform"] == "instagram"


def test_an_account_renamed_on_x_is_one_account_again(tracker: Tracker, tmp_path: Path, isolated_env: Path) -> None:
    old_url, new_url = "https://x.com/moth_art/status/1", "https://x.com/moth_studio/status/2"
    tracker("log", _image(tmp_path / "i", "a.png", 1), "--url", old_url, "--persona", "moth")
    tracker("log", _image(tmp_path / "i", "b.png", 2), "--url", new_url)
    tracker(
        "log", _image(tmp_path / "i", "c.png", 3), "--url", "https://x.com/lantern/status/3", "--persona", "lantern"
    )
    assert len(_plan_accounts(tracker, "moth")) == 2
    before = _events(isolated_env)
    assert "already called 'moth_art'" in _one_error(tracker, "account", "rename", "x", "moth_art", "moth_art")
    assert "no x account 'nobody'" in _one_error(tracker, "account", "rename", "x", "nobody", "other")
    assert "not a valid handle on X" in _one_error(tracker, "account", "rename", "x", "moth_art", "moth studio")
    assert "belongs to persona 'lantern'" in _one_error(tracker, "account", "rename", "x", "moth_art", "lantern")
    assert _events(isolated_env) == before

    out = tracker("account", "rename", "twitter", "moth_art", "moth_studio").stdout.splitlines()
    assert out == [
        "The x account moth_art is now moth_studio, joining the posts already logged under moth_studio.",
        "1 post URL changed:",
        "  post #1: https://x.com/moth_art/status/1 -> https://x.com/moth_studio/status/1",
    ]
    assert len(_plan_accounts(tracker, "moth")) == 1
    assert {p["account"]["handle"] for p in tracker.json("posts", "--persona", "moth")} == {"moth_studio"}
    changed, account = _history(tracker, "1")[-2:]
    assert changed.endswith('update  account rename  url: "https://x.com/moth_art/status/1" -> '
                            '"https://x.com/moth_studio/status/1",')  # fmt: skip
    assert account == '        account: "x moth_art" -> "x moth_studio"'
    assert tracker.json("show", "https://x.com/moth_studio/status/1")["id"] == 1


def test_a_bluesky_handle_change_rewrites_the_urls_that_hold_it(tracker: Tracker, tmp_path: Path) -> None:
    url = "https://bsky.app/profile/moth.bsky.social/post/3kabc123xyz"
    tracker("log", _image(tmp_path / "i", "a.png", 1), "--url", url, "--persona", "moth")
    done = tracker.json("account", "rename", "bsky", "moth.bsky.social", "moth.art")
    new_url = "https://bsky.app/profile/moth.art/post/3kabc123xyz"
    assert done["urls"] == [{"post": 1, "old": url, "new": new_url}] and not done["merged"]
    shown = tracker.json("show", new_url)
    assert shown["account"] == {
        **shown["account"],
        "handle": "moth.art",
        "profile_url": "https://bsky.app/profile/moth.art",
    }


def test_a_post_logged_by_mistake_is_removed_with_what_only_it_used(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    typo, right = PIXIV.format(12000025), PIXIV.format(120000025)
    tracker("log", _image(tmp_path / "i", "a.png", 1), "--url", right, "--persona", "moth")
    wrong = _image(tmp_path / "i", "wrong.png", 2)
    tracker("log", wrong, "--url", "https://example.org/p/1", "--platform", "pixvi")
    tracker("log", _image(tmp_path / "i", "b.png", 3), "--url", typo)
    before = _events(isolated_env)
    [(sha, rel)] = query(isolated_env, "SELECT sha256, archive_path FROM image WHERE id = 2")
    preview = tracker("post", "remove", "2")  # without --yes: what would go, not an error, and nothing changed
    assert preview.exit_code == 0 and preview.stderr == ""
    assert preview.stdout.splitlines() == [
        "Would remove post #2: https://example.org/p/1 (nothing changed: add --yes)",
        f"  image #2 (sha256 {sha[:16]}) is used by nothing else: it would be removed from the archive",
        "  account pixvi (handle unknown) holds no other post: it would be removed too",
    ]
    assert _events(isolated_env) == before and tracker.json("show", "2")["id"] == 2
    assert (isolated_env / "archive" / rel).exists() and not list(isolated_env.glob(".archive.pending-*"))
    assert tracker.json("post", "remove", "3")["removed"] is False

    out = tracker("post", "remove", "https://example.org/p/1", "--yes").stdout.splitlines()
    assert out == [
        "Removed post #2: https://example.org/p/1",
        f"  image #2 (sha256 {sha[:16]}) is no longer used: removed from the archive",
        "  account pixvi (handle unknown) held no other post: removed",
    ]
    assert "no post '2'" in _one_error(tracker, "show", "2")
    assert not (isolated_env / "archive" / rel).exists()
    assert tracker("match", wrong).stdout.startswith("No logged image matches")
    assert "pixvi" not in "".join(_plan_accounts(tracker, "moth"))
    [gone] = [e for e in _events(isolated_env) if e[0] == "post" and e[2] == "delete"]
    assert gone[1] == 2 and gone[4] == "post remove"
    assert _changes(gone[3])["url"] == ["https://example.org/p/1", None]
    assert _changes(gone[3])["image_sha256"] == [sha, None]

    out = tracker("post", "remove", "3", "--yes").stdout  # the typo: its pixiv account is post #1's too
    assert "account" not in out and [p["id"] for p in tracker.json("posts")] == [1]


def test_a_post_in_a_complaints_record_is_never_removed(tracker: Tracker, tmp_path: Path, isolated_env: Path) -> None:
    for n in (1, 2):
        tracker("log", _image(tmp_path / "i", f"{n}.png", n), "--url", PIXIV.format(n), "--persona", "moth")
    tracker("complaint", "add", "--post", "1", "--name", "Ann", "--basis", "dmca")
    tracker("complaint", "decide", "1", "--action", "take_down", "--post", "1", "--post", "2")
    before = _events(isolated_env)
    for post in ("1", "2"):
        said = _one_error(tracker, "post", "remove", post, "--yes")
        assert f"post #{post} is part of the record of complaint #1, so it cannot be removed" in said
    assert _events(isolated_env) == before
    assert [p["id"] for p in tracker.json("posts")] == [2, 1]
    tracker("post", "set", "2", "--url", PIXIV.format(3))  # corrected instead, in its history
    assert tracker.json("show", PIXIV.format(3))["id"] == 2


@pytest.mark.slow
@pytest.mark.sqlite_only
def test_killed_between_the_commit_and_the_file_the_next_writer_deletes_it(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    wrong, right = _image(tmp_path / "i", "wrong.png", 1), _image(tmp_path / "i", "right.png", 2)
    tracker("log", wrong, "--url", PIXIV.format(1), "--persona", "moth")
    [(rel,)] = query(isolated_env, "SELECT archive_path FROM image")
    assert kill_at(["post", "set", "1", "--image", str(right)], isolated_env, "post:files-left#1")
    assert (isolated_env / "archive" / rel).is_file()  # committed: no row names it any more
    assert tracker.json("show", "1")["image"]["original_name"] == "right.png"
    tracker("log", _image(tmp_path / "i", "other.png", 3), "--url", PIXIV.format(2))  # the next writer
    assert not (isolated_env / "archive" / rel).exists()
    named = {row[0] for row in query(isolated_env, "SELECT archive_path FROM image")}
    on_disk = {str(p.relative_to(isolated_env / "archive")) for p in (isolated_env / "archive").rglob("*.png")}
    assert on_disk == named
