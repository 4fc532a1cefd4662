"""`tracker check` as the owner uses it: polite to each host, honest about what it cannot tell, and
tied into the purge checklist, `show` and `tracker status`."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import Result
from fixtures.common import Tracker, database_url, query
from fixtures.drawings import drawing
from fixtures.fakeplatforms import Asked, Reply, json_reply, platform_server

from tracker.support.dates import utcnow

pytestmark = pytest.mark.db

PIXIV = "https://www.pixiv.net/artworks/{}"
GONE = json_reply({"error": True, "message": "該当作品は削除されたか、存在しない作品IDです。", "body": []}, status=404)


def live(illust: str) -> Reply:
    return json_reply({"error": False, "message": "", "body": {"illustId": illust}})


def log(tracker: Tracker, tmp_path: Path, seed: int, url: str, persona: str = "moth") -> None:
    image = tmp_path / f"post{seed}.png"
    drawing(seed).save(image)
    tracker("log", image, "--url", url, "--persona", persona)


def pixiv_server(monkeypatch: pytest.MonkeyPatch, base: str) -> None:
    monkeypatch.setenv("TRACKER_CHECK_URL_PIXIV", base + "/ajax/illust/{post_id}")


def sql(data_dir: Path, statement: str, **params: object) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url(data_dir))
    try:
        with engine.begin() as conn:
            conn.execute(text(statement), params)
    finally:
        engine.dispose()


def test_one_second_between_requests_to_a_host_and_retry_after_is_honoured(
    tracker: Tracker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in (1, 2):
        log(tracker, tmp_path, n, PIXIV.format(n))
    limited: list[bool] = []

    def behave(asked: Asked) -> Reply:
        if not limited:
            limited.append(True)
            return json_reply({"error": True, "message": "rate limit"}, 429, **{"Retry-After": "1"})
        return live(asked.path.rsplit("/", 1)[1])

    with platform_server(behave) as (base, asked):
        pixiv_server(monkeypatch, base)
        result = tracker("check", "1", "2", "--timeout", "3")
    assert [a.path for a in asked] == ["/ajax/illust/1", "/ajax/illust/1", "/ajax/illust/2"]
    gaps = [later.at - earlier.at for earlier, later in zip(asked, asked[1:], strict=False)]
    assert all(gap >= 0.95 for gap in gaps), gaps
    for sent in asked:  # the post's id, an honest name, and nothing else about the owner
        assert sent.method == "GET" and sent.body == b""
        assert sent.headers["User-Agent"].startswith("tracker/") and "Cookie" not in sent.headers
    assert result.stderr.startswith(f"tracker: checking 2 posts: asking {base.removeprefix('http://')} ")
    assert "0 gone, 2 live, 0 unknown." in result.stdout


def test_platforms_without_a_public_signal_are_unknown_and_nothing_is_asked(
    tracker: Tracker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log(tracker, tmp_path, 1, "https://www.tumblr.com/moth/712345678901234567")
    log(tracker, tmp_path, 2, "https://tensor.art/images/600000001")
    log(tracker, tmp_path, 3, PIXIV.format(3))
    assert tracker("check", ok=True).stdout.strip() == "No post to check."  # only taken-down or deleted by default
    result = tracker("check", "1", "2", "--json")
    assert result.stderr == ""  # no host to contact, so none is named
    answers = json.loads(result.stdout)
    assert [(a["platform"], a["state"], a["reason"]) for a in answers] == [
        ("tumblr", "unknown", "no public signal for this platform"),
        ("tensorart", "unknown", "no public signal for this platform"),
    ]
    assert "API key" in answers[0]["evidence"]["detail"] and answers[0]["asked"] is None


def test_gone_posts_are_offered_then_marked_done_and_live_done_posts_are_still_online(
    tracker: Tracker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated_env: Path
) -> None:
    for n in (1, 2, 3):
        log(tracker, tmp_path, n, PIXIV.format(n))
    tracker("purge", "plan", "moth")  # starts the burn-down
    tracker("purge", "mark", "post:2", "done")  # marked done, but pixiv still shows it
    answers = {"1": GONE, "2": live("2")}

    def behave(asked: Asked) -> Reply:
        return answers.get(asked.path.rsplit("/", 1)[1], Reply(503, b"busy"))

    with platform_server(behave) as (base, _):
        pixiv_server(monkeypatch, base)
        first: Result = tracker("check", "--persona", "moth", "--timeout", "2", ok=False)
        assert first.exit_code == 1  # something that should be gone is online
        assert "STILL ONLINE: post #2 https://www.pixiv.net/artworks/2 is marked done" in first.stdout
        assert "1 post found gone is still open on the purge checklist: run again with --mark" in first.stdout
        assert "#3  pixiv  unknown (server error)" in first.stdout
        items = {i["id"]: i for i in tracker.json("purge", "status", "moth")["items"]}
        assert items["post:1"]["state"] == "open" and items["post:1"]["last_check"]["state"] == "gone"
        tracker("check", "1", "--mark", "--timeout", "2")
    item = next(i for i in tracker.json("purge", "status", "moth")["items"] if i["id"] == "post:1")
    assert item["state"] == "done" and item["reason"].startswith("verified gone by tracker check ")
    assert "/ajax/illust/1 answered HTTP 404, error = true" in item["reason"]
    assert item["last_check"]["state"] == "gone" and item["post_status"] == "deleted"
    (event,) = query(
        isolated_env, "SELECT command, changes FROM event WHERE entity = 'purge_item' AND command = 'check --mark'"
    )
    changes = event[1] if isinstance(event[1], dict) else json.loads(event[1])
    assert "verified gone" in str(changes["reason"][1])
    plan = tracker("purge", "plan", "moth", "--format", "md").stdout
    assert "**STILL ONLINE at the last check" in plan and "## 6. Verify it is gone" in plan
    assert "tracker check --persona moth --mark" in plan
    assert "last check" in tracker("purge", "plan", "moth", "--format", "html").stdout
    verification = tracker.json("purge", "status", "moth")["verification"]
    assert (verification["gone"], verification["live"], verification["still_online"]) == (1, 1, ["post:2"])
    status = tracker("purge", "status", "moth").stdout
    assert "Verified gone: 1 of 3 posts; 1 live, 1 unknown, 0 never checked" in status
    assert "STILL ONLINE although done, taken down or recorded deleted: post:2" in status
    shown = tracker("show", "1").stdout
    assert "checked    gone, checked " in shown and "(HTTP 404, error = true" in shown


def test_status_names_take_downs_not_verified_gone_after_a_week(
    tracker: Tracker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated_env: Path
) -> None:
    log(tracker, tmp_path, 1, PIXIV.format(1))
    log(tracker, tmp_path, 2, PIXIV.format(2))
    week_ago, day_ago = utcnow() - timedelta(days=8), utcnow() - timedelta(days=1)
    for post, when in ((1, week_ago), (2, day_ago)):
        sql(
            isolated_env,
            "UPDATE post SET status = 'taken_down', status_changed_at = :at WHERE id = :id",
            at=when.replace(tzinfo=None),
            id=post,
        )
    assert "1 taken-down post not verified gone after 7 days: tracker check --taken-down" in tracker("status").stdout
    assert tracker.json("status")["unverified_takedowns"] == 1
    with platform_server(lambda asked: GONE) as (base, asked):
        pixiv_server(monkeypatch, base)
        result = tracker("check", "--taken-down", "--json", "--timeout", "2")
    assert [a["state"] for a in json.loads(result.stdout)] == ["gone", "gone"]
    assert "not verified gone" not in tracker("status").stdout


@pytest.mark.parametrize(
    ("toml", "fragment"),
    [
        ('[pixiv.check]\nkind = "guess"\n', "'kind' must be one of"),
        ('[pixiv.check]\nkind = "oembed"\nurl = "ftp://x/{post_id}"\n', "must start with https://"),
        ('[pixiv.check]\nkind = "oembed"\nurl = "https://x/{post_id!r}"\n', "use plain fields"),
        ("[pixiv]\ncheck = 3\n", "'check' must be a table"),
    ],
)
def test_a_broken_check_table_is_one_line(
    tracker: Tracker, tmp_path: Path, isolated_env: Path, toml: str, fragment: str
) -> None:
    log(tracker, tmp_path, 1, PIXIV.format(1))
    pixiv = "name = \"pixiv\"\npost_patterns = ['https?://www\\.pixiv\\.net/artworks/(?P<post_id>\\d+)']\n"
    text = toml.replace("[pixiv]\n", "[pixiv]\n" + pixiv) if toml.startswith("[pixiv]") else f"[pixiv]\n{pixiv}{toml}"
    (isolated_env / "platforms.toml").write_text(text, encoding="utf-8")
    result = tracker("check", "1", ok=False)
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1, result.output
    assert fragment in result.stderr
