"""`tracker check` against a fake platform on 127.0.0.1, for every platform it can ask.

Each platform answers live, deleted (each way it says so), rate-limited, with a server error, a
login wall, a stall, a drip, a redirect to another host and a malformed body. Only live and the
platform's own deletion answers may give `live` and `gone`; everything else is `unknown` with its
reason, and nothing ends in a traceback, exit 70 or a wait past the timeout.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing
from fixtures.fakeplatforms import Asked, Reply, json_reply, platform_server

pytestmark = pytest.mark.db

TIMEOUT = 0.6
MARGIN = 8.0
"""Seconds a stalled check may take beyond its timeout (thread hand-over, a loaded test machine: 2 s was passed on
two shared cores). Still far below what the timeout cuts short: a stalled server answers after 30 s, a dripping one
after 20 s, a Retry-After asks for an hour."""


@dataclass(frozen=True)
class Case:
    platform: str
    url: str
    path: str
    """The check URL template below the fake server's address."""
    live: Reply
    gone: tuple[Reply, ...]
    """Every way the platform says the post is deleted."""


PIXIV_GONE = "該当作品は削除されたか、存在しない作品IDです。"
CASES = [
    Case(
        "pixiv",
        "https://www.pixiv.net/artworks/720000001",
        "/ajax/illust/{post_id}",
        json_reply({"error": False, "message": "", "body": {"illustId": "720000001", "title": "moth"}}),
        (
            json_reply({"error": True, "message": PIXIV_GONE, "body": []}, status=404),
            json_reply({"error": True, "message": "This work was deleted.", "body": []}, status=400),
        ),
    ),
    Case(
        "x",
        "https://x.com/moth_ai/status/1800000000000000001",
        "/oembed?url={url}",
        json_reply({"type": "rich", "html": "<blockquote>moth</blockquote>"}),
        (json_reply({"error": "not found"}, status=404),),
    ),
    Case(
        "bluesky",
        "https://bsky.app/profile/moth.bsky.social/post/3kmothpost22",
        "/xrpc/app.bsky.feed.getPostThread?uri=at://{handle}/app.bsky.feed.post/{post_id}",
        json_reply({"thread": {"$type": "app.bsky.feed.defs#threadViewPost", "post": {}}}),
        (
            json_reply({"error": "NotFound", "message": "Post not found"}, status=400),
            json_reply({"thread": {"$type": "app.bsky.feed.defs#notFoundPost", "notFound": True}}),
        ),
    ),
    Case(
        "misskey",
        "https://misskey.io/notes/9mothnote1",
        "/api/notes/show",
        json_reply({"id": "9mothnote1", "text": "moth"}),
        (json_reply({"error": {"message": "No such note.", "code": "NO_SUCH_NOTE"}}, status=400),),
    ),
    Case(
        "civitai",
        "https://civitai.com/images/4400001",
        "/api/{kind}/{post_id}",
        json_reply({"items": [{"id": 4400001}], "metadata": {}}),
        (json_reply({"items": [], "metadata": {}}), json_reply({"error": "No image"}, status=404)),
    ),
    Case(
        "civitai",
        "https://civitai.com/posts/5500001",
        "/api/{kind}/{post_id}",
        json_reply({"id": 5500001, "images": []}),
        (json_reply({"error": "No post"}, status=404),),
    ),
    Case(
        "deviantart",
        "https://www.deviantart.com/moth-ai/art/123456789",
        "/oembed?url={url}",
        json_reply({"type": "photo", "url": "https://images.example/moth.png"}),
        (json_reply({"error": "not found"}, status=404),),
    ),
]
UNKNOWN_ANSWERS = [
    (json_reply({"error": "slow down"}, 429, **{"Retry-After": "3600"}), "rate-limited"),
    (json_reply({}, 503, **{"Retry-After": "3600"}), "rate-limited"),
    (Reply(503, b"Service Unavailable"), "server error"),
    (Reply(500, b"oops"), "server error"),
    (Reply(403, b"<html>log in</html>"), "login wall"),
    (Reply(200, b"<html>Just a moment...</html>", {"Content-Type": "text/html"}), "unexpected answer"),
    (Reply(200, b'{"error": false, "body": '), "unexpected answer"),
    (Reply(200, b'["a", "list"]'), "unexpected answer"),
    (Reply(raw=b"this is not HTTP at all\r\n\r\n"), "unexpected answer"),
    (Reply(stall=True), "timeout"),
    (Reply(200, b'{"padding": "' + b"x" * 400 + b'"}', drip=True), "timeout"),
]


def check(tracker: Tracker, post: str = "1", *extra: str) -> tuple[dict[str, Any], str]:
    """One `tracker check --json` of one post: its answer, and stderr. Never a traceback or exit 70."""
    result = tracker("check", post, "--json", "--timeout", str(TIMEOUT), *extra, ok=False)
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    (answer,) = json.loads(result.stdout)
    return answer, result.stderr


@pytest.mark.parametrize("case", CASES, ids=[f"{c.platform}-{c.url.split('/')[-2]}" for c in CASES])
def test_every_answer_of_a_platform_is_read_as_live_gone_or_unknown(
    case: Case, tracker: Tracker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    image = tmp_path / "post.png"
    drawing(7).save(image)
    tracker("log", image, "--url", case.url, "--persona", "moth")
    replies: list[Reply] = []

    def behave(asked: Asked) -> Reply:
        return replies[-1]

    with platform_server(behave) as (base, asked):
        monkeypatch.setenv(f"TRACKER_CHECK_URL_{case.platform.upper()}", base + case.path)
        replies.append(case.live)
        answer, stderr = check(tracker)
        assert (answer["state"], answer["reason"], answer["post"], answer["url"]) == ("live", None, 1, case.url)
        assert answer["evidence"]["status"] == 200 and answer["checked_at"]
        assert stderr.startswith("tracker: checking 1 post: asking 127.0.0.1:")
        for gone in case.gone:
            replies.append(gone)
            answer, _ = check(tracker)
            assert (answer["state"], answer["reason"]) == ("gone", None), answer
            assert answer["evidence"]["status"] == gone.status
        for reply, reason in UNKNOWN_ANSWERS:
            replies.append(reply)
            started = time.monotonic()
            answer, _ = check(tracker)
            assert time.monotonic() - started < TIMEOUT + MARGIN
            assert (answer["state"], answer["reason"]) == ("unknown", reason), (reply, answer)
        for sent in asked:
            assert sent.headers["User-Agent"].startswith("tracker/")
            assert "post-removal check" in sent.headers["User-Agent"]
        if case.platform == "misskey":  # the note id, and nothing else, in the body
            assert json.loads(asked[0].body) == {"noteId": "9mothnote1"}
    history = tracker.json("show", "1")
    assert history["last_check"]["state"] == "unknown" and history["last_check"]["reason"] == "timeout"


def test_a_redirect_to_another_host_is_unknown_and_never_followed(
    tracker: Tracker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    image = tmp_path / "post.png"
    drawing(8).save(image)
    tracker("log", image, "--url", CASES[0].url, "--persona", "moth")
    with platform_server(lambda asked: CASES[0].live) as (elsewhere, asked_elsewhere):
        other = elsewhere.replace("127.0.0.1", "localhost")
        targets = [other + "/ajax/illust/1", elsewhere + "/ajax/illust/1"]  # another host; another port
        for target in targets:

            def away(asked: Asked, target: str = target) -> Reply:
                return Reply(302, b"", {"Location": target})

            with platform_server(away) as (base, asked):
                monkeypatch.setenv("TRACKER_CHECK_URL_PIXIV", base + CASES[0].path)
                answer, _ = check(tracker)
            assert (answer["state"], answer["reason"]) == ("unknown", "redirect to another host")
            assert len(asked) == 1
    assert asked_elsewhere == []

    def moved(asked: Asked) -> Reply:  # on the same host a redirect is followed
        if asked.path.startswith("/old/"):
            return Reply(301, b"", {"Location": asked.path.replace("/old/", "/ajax/illust/")})
        return CASES[0].live

    with platform_server(moved) as (base, asked):
        monkeypatch.setenv("TRACKER_CHECK_URL_PIXIV", base + "/old/{post_id}")
        answer, _ = check(tracker)
    assert answer["state"] == "live" and [a.path for a in asked] == ["/old/720000001", "/ajax/illust/720000001"]
