"""Issue 18, case 8: the CivitAI look-up against a hostile server on 127.0.0.1; and what may touch the network.

Only two commands ever send anything: `tracker resource lookup` (the CivitAI look-up) and `tracker
check` (issue 20, whose hostile-server cases are in tests/checking/). The first test below holds
that line: no other module imports networking code.

One deadline per request (connect, redirects, headers and the whole body), no redirect to another
host, a size limit on the answer, and every bad answer (not HTTP, an HTTP error, not JSON, the wrong
shape, NaN or Infinity) ends as one line and a non-zero exit, never an internal error or a hang.
"""

from __future__ import annotations

import ast
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from fixtures.common import Tracker
from fixtures.drawings import drawing
from fixtures.fakecivitai import MODELS, VERSIONS
from fixtures.imagefactory import FORGE_INFOTEXT, write_png

from tracker.resources.civitai import API_ENV, MAX_ANSWER_BYTES

pytestmark = pytest.mark.db

HASH = "163ac69059"
"""hassakuXL_v13's AutoV2 hash in FORGE_INFOTEXT (the fake API knows it)."""
MARGIN = 2.0
"""Seconds a refused request may take beyond its timeout (thread hand-over, a loaded test machine)."""

Behaviour = Callable[[BaseHTTPRequestHandler], None]


class _Handler(BaseHTTPRequestHandler):
    behaviour: dict[str, Behaviour] = {}
    asked: list[str] = []
    stop = threading.Event()

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        type(self).asked.append(self.path)
        for prefix, behave in type(self).behaviour.items():
            if self.path.startswith(prefix):
                behave(self)
                return
        send_json(self, _civitai(self.path))

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - keep the test output quiet
        pass


def _civitai(path: str) -> Any:
    if path.startswith("/api/v1/model-versions/by-hash/"):
        return VERSIONS.get(path.rsplit("/", 1)[1].lower())
    tail = path.rsplit("/", 1)[1]
    return MODELS.get(int(tail)) if tail.isdigit() else None


def send_json(handler: BaseHTTPRequestHandler, body: Any, raw: bytes | None = None, status: int = 200) -> None:
    data = raw if raw is not None else json.dumps(body).encode()
    if body is None and raw is None:
        status, data = 404, b'{"error": "Model not found"}'
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


@contextmanager
def server(behaviour: dict[str, Behaviour] | None = None, name: str = "127.0.0.1") -> Iterator[tuple[str, list[str]]]:
    """(base URL under `name`, the paths asked) of a fake API whose paths behave as `behaviour` says."""
    handler = type("Handler", (_Handler,), {"behaviour": behaviour or {}, "asked": [], "stop": threading.Event()})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://{name}:{httpd.server_address[1]}", handler.asked
    finally:
        handler.stop.set()  # ends any drip still running
        httpd.shutdown()
        httpd.server_close()


def drip(handler: BaseHTTPRequestHandler, data: bytes, pause: float = 0.05) -> None:
    """Send one byte at a time, each well within any socket timeout, until the test ends."""
    stop = type(handler).stop  # type: ignore[attr-defined]
    for byte in data:
        if stop.wait(pause):
            return
        try:
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
        except OSError:
            return  # the client gave up: what the test wants


@pytest.fixture
def posted(tracker: Tracker, tmp_path: Path) -> None:
    """A Forge post naming the checkpoint hassakuXL_v13 (hash 163ac69059)."""
    image = write_png(tmp_path / "forge.png", {"parameters": FORGE_INFOTEXT}, image=drawing(1))
    tracker("log", image, "--url", "https://www.pixiv.net/artworks/720000001", "--persona", "moth")


def lookup(tracker: Tracker, monkeypatch: pytest.MonkeyPatch, base: str, timeout: float = 2.0) -> Result:
    monkeypatch.setenv(API_ENV, base)
    return tracker("resource", "lookup", "hassakuXL_v13", "--refresh", "--timeout", str(timeout), ok=False)


def one_line_error(result: Result, *fragments: str) -> str:
    """The look-up failed with its notice and one error line (never exit 70, never a traceback)."""
    assert result.exit_code not in (0, 70), result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2 and lines[0].startswith("tracker: asking "), lines
    error = lines[1]
    assert error.startswith("tracker: error: "), error
    for fragment in fragments:
        assert fragment in error, error
    return error


def hassaku(tracker: Tracker) -> dict[str, Any]:
    return next(r for r in tracker.json("resources") if r["name"] == "hassakuXL_v13")


NETWORK_MODULES = {
    "tracker/support/deadline_http.py": "one request under one deadline, shared by the two below",
    "tracker/resources/civitai.py": "tracker resource lookup",
    "tracker/checking/fetch.py": "tracker check",
}
"""The only modules that may import networking code, and what each is for."""
NETWORK_IMPORTS = ("socket", "ssl", "http.client", "urllib.request", "requests", "httpx", "aiohttp", "urllib3")


def test_only_the_look_up_and_the_check_import_networking_code() -> None:
    package = Path(__file__).resolve().parents[2] / "tracker"
    found = set()
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""] + [f"{node.module}.{a.name}" for a in node.names]
            if any(n == m or n.startswith(m + ".") for n in names for m in NETWORK_IMPORTS):
                found.add(path.relative_to(package.parent).as_posix())
    assert found == set(NETWORK_MODULES), found


# ---------------------------------------------------------------------------- one deadline per request


def test_a_body_dripped_one_byte_at_a_time_is_given_up_at_the_deadline(
    posted: None, tracker: Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    def slow_body(handler: BaseHTTPRequestHandler) -> None:
        body = json.dumps(VERSIONS[HASH]).encode()
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        drip(handler, body)

    with server({"/api/v1/model-versions/": slow_body}) as (base, _):
        started = time.monotonic()
        result = lookup(tracker, monkeypatch, base, timeout=1.0)
        elapsed = time.monotonic() - started
    assert elapsed < 1.0 + MARGIN, elapsed
    one_line_error(result, "did not answer within 1 s")
    assert hassaku(tracker)["lookup_status"] is None


def test_headers_dripped_one_byte_at_a_time_are_given_up_at_the_deadline(
    posted: None, tracker: Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    def slow_headers(handler: BaseHTTPRequestHandler) -> None:
        handler.wfile.write(b"HTTP/1.1 200 OK\r\n")
        drip(handler, b"X-Padding: " + b"a" * 10_000 + b"\r\n\r\n{}")

    with server({"/api/v1/model-versions/": slow_headers}) as (base, _):
        started = time.monotonic()
        result = lookup(tracker, monkeypatch, base, timeout=1.0)
        elapsed = time.monotonic() - started
    assert elapsed < 1.0 + MARGIN, elapsed
    one_line_error(result, "did not answer within 1 s")


def test_the_deadline_covers_both_requests_of_a_look_up_each(
    posted: None, tracker: Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    def slow_model(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", "100")
        handler.end_headers()
        drip(handler, b" " * 100)

    with server({"/api/v1/models/": slow_model}) as (base, asked):
        started = time.monotonic()
        result = lookup(tracker, monkeypatch, base, timeout=1.0)
        elapsed = time.monotonic() - started
    assert elapsed < 2 * 1.0 + MARGIN, elapsed
    one_line_error(result, "did not answer within 1 s")
    assert [p.split("/")[3] for p in asked] == ["model-versions", "models"]


# ---------------------------------------------------------------------------- redirects


def test_a_redirect_to_another_host_is_not_followed(
    posted: None, tracker: Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    with server(name="localhost") as (elsewhere, asked_elsewhere):

        def away(handler: BaseHTTPRequestHandler) -> None:
            handler.send_response(302)
            handler.send_header("Location", elsewhere + handler.path)
            handler.end_headers()

        with server({"/api/": away}) as (base, asked):
            result = lookup(tracker, monkeypatch, base)
    one_line_error(result, "redirected the look-up to 'http://localhost:", "not followed")
    assert len(asked) == 1 and asked_elsewhere == []  # the hash never reached the other host
    assert hassaku(tracker)["lookup_status"] is None


def test_a_redirect_to_another_port_or_scheme_of_the_same_host_is_not_followed(
    posted: None, tracker: Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    with server() as (elsewhere, asked_elsewhere):
        port = elsewhere.rsplit(":", 1)[1]
        for target in (f"http://127.0.0.1:{port}/api/v1/x", f"https://127.0.0.1:{port}/x", "file:///etc/passwd"):

            def away(handler: BaseHTTPRequestHandler, target: str = target) -> None:
                handler.send_response(301)
                handler.send_header("Location", target)
                handler.end_headers()

            with server({"/api/": away}) as (base, _):
                one_line_error(lookup(tracker, monkeypatch, base), "not followed")
    assert asked_elsewhere == []


def test_a_redirect_on_the_same_host_is_followed_and_a_loop_is_an_error(
    posted: None, tracker: Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    def moved(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(301)
        handler.send_header("Location", handler.path.replace("/api/v1/", "/v2/"))  # a path on the same server
        handler.end_headers()

    def new_home(handler: BaseHTTPRequestHandler) -> None:
        send_json(handler, _civitai(handler.path.replace("/v2/", "/api/v1/")))

    with server({"/api/v1/model-versions/": moved, "/v2/": new_home}) as (base, asked):
        monkeypatch.setenv(API_ENV, base)
        result = tracker("resource", "lookup", "hassakuXL_v13", "--timeout", "2")
    assert "Hassaku XL (v1.3) by hassaku-author" in result.stdout
    assert [p.split("/")[1:3] for p in asked] == [["api", "v1"], ["v2", "model-versions"], ["api", "v1"]]

    def loop(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(302)
        handler.send_header("Location", handler.path)
        handler.end_headers()

    with server({"/api/": loop}) as (base, asked):
        result = lookup(tracker, monkeypatch, base)
    one_line_error(result, "redirected the look-up in a loop")
    assert len(asked) <= 6


# ---------------------------------------------------------------------------- bad answers


def _answer(raw: bytes, status: int = 200) -> Behaviour:
    def behave(handler: BaseHTTPRequestHandler) -> None:
        send_json(handler, None, raw=raw, status=status)

    return behave


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        (b"<html>Cloudflare says hello</html>", "is not JSON"),
        (b'{"id": 501, "modelId": ', "is not JSON"),
        (b"\xff\xfe\x00garbage", "is not JSON"),
        (b"[" * 200_000 + b"]" * 200_000, "is not JSON"),
        (b'["a", "list"]', "is not a JSON object"),
        (b'"a string"', "is not a JSON object"),
        (b'{"id": NaN, "modelId": 41}', "not finite (NaN)"),
        (b'{"id": 501, "modelId": 41, "x": [-Infinity]}', "not finite (-Infinity)"),
        (b'{"id": 501, "modelId": 41, "weight": 1e999}', "not finite (1e999)"),
    ],
    ids=["html", "cut", "bytes", "deep", "list", "string", "nan", "infinity", "overflow"],
)
def test_an_answer_that_is_not_a_json_object_is_one_line(
    posted: None, tracker: Tracker, monkeypatch: pytest.MonkeyPatch, raw: bytes, fragment: str
) -> None:
    with server({"/api/v1/model-versions/": _answer(raw)}) as (base, _):
        one_line_error(lookup(tracker, monkeypatch, base), fragment)
    assert hassaku(tracker)["lookup_status"] is None


def test_nan_in_the_model_answer_is_not_stored(posted: None, tracker: Tracker, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = json.dumps({**MODELS[41], "allowDerivatives": float("nan")}).encode()  # json.dumps writes NaN
    with server({"/api/v1/models/": _answer(raw)}) as (base, _):
        one_line_error(lookup(tracker, monkeypatch, base), "not finite (NaN)")
    assert hassaku(tracker)["lookup_status"] is None


@pytest.mark.parametrize("status", [500, 502, 403, 429])
def test_an_http_error_is_one_line(
    posted: None, tracker: Tracker, monkeypatch: pytest.MonkeyPatch, status: int
) -> None:
    with server({"/api/": _answer(b"oops", status)}) as (base, _):
        one_line_error(lookup(tracker, monkeypatch, base), f"answered {status} ")


@pytest.mark.parametrize(
    "reply",
    [
        b"this is not HTTP at all\r\n\r\n",
        b'HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n{"id": 5',  # closes before the promised body
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        b"HTTP/1.1 200 OK\r\n" + b"X: y\r\n" * 200 + b"\r\n{}",
        b"",
    ],
    ids=["garbage", "short", "chunks", "headers", "nothing"],
)
def test_an_answer_that_is_not_http_is_one_line(
    posted: None, tracker: Tracker, monkeypatch: pytest.MonkeyPatch, reply: bytes
) -> None:
    def broken(handler: BaseHTTPRequestHandler) -> None:
        handler.wfile.write(reply)
        handler.close_connection = True

    with server({"/api/": broken}) as (base, _):
        error = one_line_error(lookup(tracker, monkeypatch, base))
    assert "not HTTP" in error or "cut short" in error or "is not JSON" in error


def test_a_huge_answer_is_refused(posted: None, tracker: Tracker, monkeypatch: pytest.MonkeyPatch) -> None:
    def announced(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", str(10 * MAX_ANSWER_BYTES))
        handler.end_headers()
        handler.wfile.write(b" " * 1000)

    def streamed(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Connection", "close")
        handler.end_headers()
        block = b" " * 65536
        try:
            for _ in range(3 * MAX_ANSWER_BYTES // len(block)):
                handler.wfile.write(block)
        except OSError:
            pass  # the client stopped reading: what the test wants
        handler.close_connection = True

    for behave in (announced, streamed):
        with server({"/api/": behave}) as (base, _):
            one_line_error(lookup(tracker, monkeypatch, base, timeout=10), "sent more than 4 MiB")


def test_fields_of_the_wrong_type_are_dropped_not_stored(
    posted: None, tracker: Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    version = {"id": True, "modelId": 41, "name": {"nested": ["x" * 10]}, "files": "none", "model": []}
    model = {"id": 41, "name": "n" * 5000, "creator": {"username": 12}, "allowDerivatives": "yes",
             "allowNoCredit": None, "allowCommercialUse": [{"x": 1}, "Image", "Sell" * 200]}  # fmt: skip
    with server(
        {
            "/api/v1/model-versions/": _answer(json.dumps(version).encode()),
            "/api/v1/models/": _answer(json.dumps(model).encode()),
        }
    ) as (base, _):
        monkeypatch.setenv(API_ENV, base)
        tracker("resource", "lookup", "hassakuXL_v13")
    stored = hassaku(tracker)
    facts = stored["lookup"]
    assert facts["version_id"] is None and facts["version_name"] is None and facts["file_names"] == []
    assert len(facts["model_name"]) == 300 and facts["creator"] is None and facts["allow_derivatives"] is None
    assert facts["allow_commercial_use"][0] == "Image" and len(facts["allow_commercial_use"][1]) == 300
    assert stored["commercial"] == "yes" and stored["creator"] is None


def test_a_bad_look_up_address_is_one_line(posted: None, tracker: Tracker, monkeypatch: pytest.MonkeyPatch) -> None:
    for base in ("ftp://127.0.0.1", "http://", "http://127.0.0.1:99999", "file:///etc"):
        monkeypatch.setenv(API_ENV, base)
        result = tracker("resource", "lookup", "hassakuXL_v13", ok=False)
        assert result.exit_code not in (0, 70) and len(result.stderr.strip().splitlines()) == 1, result.output
        assert "http(s) address" in result.stderr


def test_https_to_a_server_that_does_not_speak_tls_is_one_line(
    posted: None, tracker: Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    with server() as (base, _):
        one_line_error(lookup(tracker, monkeypatch, base.replace("http://", "https://")), "cannot reach 127.0.0.1:")


def test_a_tls_handshake_that_never_ends_is_given_up_at_the_deadline(
    posted: None, tracker: Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # accepts the connection, never answers the TLS greeting
    try:
        started = time.monotonic()
        result = lookup(tracker, monkeypatch, f"https://127.0.0.1:{silent.getsockname()[1]}", timeout=1.0)
        elapsed = time.monotonic() - started
    finally:
        silent.close()
    assert elapsed < 1.0 + MARGIN, elapsed
    one_line_error(result, "did not answer within 1 s")
