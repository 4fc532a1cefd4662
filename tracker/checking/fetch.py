"""One check request under one deadline, against a server that is not trusted.

The deadline (`support.deadline_http`) covers the name look-up, the connection, TLS, every redirect
and the whole body; a redirect is followed only to the same scheme, host and port (anything else
is `unknown: redirect to another host`, and the post's address is never sent there); the body has
a size limit. Every HTTP status comes back as an `Answer` (a 404 is an answer, not an error);
everything that is not an answer is a `NoAnswer` with the `unknown` reason it stands for.
"""

from __future__ import annotations

import http.client
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from tracker import __version__
from tracker.checking.endpoints import CheckRequest
from tracker.support.deadline_http import (
    Deadline,
    HTTPHandler,
    HTTPSHandler,
    RedirectElsewhere,
    SameOriginRedirects,
    TooLarge,
    read_capped,
)

__all__ = ["MAX_BODY_BYTES", "USER_AGENT", "Answer", "NoAnswer", "fetch"]

MAX_BODY_BYTES = 2 * 2**20
"""No check answer is anywhere near this; a longer one is not the platform's."""
USER_AGENT = f"tracker/{__version__} (+post-removal check; local tool)"
"""Says honestly what asks: a local tool checking that a post was removed."""
_KEPT_HEADERS = ("retry-after", "content-type", "location")


@dataclass(frozen=True)
class Answer:
    """What the server said: the status, a few headers (lower-case names) and the body."""

    status: int
    headers: dict[str, str]
    body: bytes


class NoAnswer(Exception):
    """No answer to read: `reason` is the `unknown` reason, `detail` one line on what happened."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def host_of(url: str) -> str:
    """The host (and port) a request goes to, as shown to the owner."""
    return urllib.parse.urlsplit(url).netloc or url


def _fetch(request: CheckRequest, deadline: Deadline) -> Answer:
    opener = urllib.request.build_opener(HTTPHandler(deadline), HTTPSHandler(deadline), SameOriginRedirects())
    headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
    if request.body is not None:
        headers["Content-Type"] = "application/json"
    sent = urllib.request.Request(request.url, data=request.body, headers=headers, method=request.method)
    try:
        response: Any = opener.open(sent, timeout=deadline.remaining())
    except urllib.error.HTTPError as exc:
        response = exc.fp if exc.fp is not None else exc
        try:
            body = read_capped(response, deadline, MAX_BODY_BYTES) if exc.fp is not None else b""
        finally:
            exc.close()
        return Answer(exc.code, _headers(exc.headers), body)
    with response:
        return Answer(response.status, _headers(response.headers), read_capped(response, deadline, MAX_BODY_BYTES))


def _headers(message: Any) -> dict[str, str]:
    if message is None:
        return {}
    return {name: str(message.get(name))[:200] for name in _KEPT_HEADERS if message.get(name) is not None}


def fetch(request: CheckRequest, timeout: float) -> Answer:
    """Send `request` and read the answer within `timeout` seconds; `NoAnswer` when there is none to read.

    The work runs in a worker thread the caller stops waiting for at the deadline, whatever the
    server does; the worker's connections are then shut down, which ends its reads at once.
    """
    deadline = Deadline(timeout)
    outcome: list[Answer] = []
    failure: list[BaseException] = []

    def work() -> None:
        try:
            outcome.append(_fetch(request, deadline))
        except Exception as exc:  # handed to the caller's thread, which turns it into a reason
            failure.append(exc)

    worker = threading.Thread(target=work, name="tracker-check", daemon=True)
    worker.start()
    worker.join(timeout)
    if outcome:
        return outcome[0]
    host = host_of(request.url)
    if not failure:
        deadline.expire()
        raise NoAnswer("timeout", f"{host} did not answer within {timeout:g} s")
    raise _no_answer(failure[0], host, timeout)


def _no_answer(exc: BaseException, host: str, timeout: float) -> NoAnswer:
    """The `unknown` reason a failed request stands for."""
    if isinstance(exc, RedirectElsewhere):
        parts = urllib.parse.urlsplit(exc.target)
        where = f"{parts.scheme}://{parts.netloc}" if parts.netloc else exc.target
        return NoAnswer("redirect to another host", f"{host} redirected to {where[:100]!r}: not followed")
    if isinstance(exc, TimeoutError) or (
        isinstance(exc, urllib.error.URLError) and isinstance(exc.reason, TimeoutError)
    ):
        return NoAnswer("timeout", f"{host} did not answer within {timeout:g} s")
    if isinstance(exc, TooLarge):
        return NoAnswer("unexpected answer", f"{host} sent more than {MAX_BODY_BYTES // 2**20} MiB")
    if isinstance(exc, urllib.error.HTTPError):  # a redirect loop (or too many redirects)
        return NoAnswer("unexpected answer", f"{host} redirected in a loop (or too often)")
    if isinstance(exc, urllib.error.URLError):
        reason = exc.reason
        text = reason.strerror if isinstance(reason, OSError) and reason.strerror else str(reason)
        return NoAnswer("network error", f"cannot reach {host}: {text}")
    if isinstance(exc, http.client.HTTPException):
        return NoAnswer("unexpected answer", f"{host} sent an answer that is not HTTP ({type(exc).__name__})")
    if isinstance(exc, OSError):
        return NoAnswer("network error", f"cannot reach {host}: {exc.strerror or exc}")
    if isinstance(exc, ValueError):  # an address urllib cannot use (a bad port, a host that is not IDNA)
        return NoAnswer("network error", f"cannot ask {host}: {exc}")
    return NoAnswer("unexpected answer", f"{host}: {type(exc).__name__}")
