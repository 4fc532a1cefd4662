"""One HTTP request under one deadline: name look-up, connect, TLS, redirects and body together.

The tracker's two network features (the CivitAI look-up, `tracker check`) ask servers that are not
trusted. A socket timeout bounds one read, not a server that drips a byte every second, so each
request gets a `Deadline`: its connections take only the time the request has left, and when the
caller gives up the deadline shuts them down, which ends any read blocked on them. `HTTPHandler`
and `HTTPSHandler` plug the deadline into `urllib.request` (certificates and host names checked as
urllib checks them); `origin` says where a URL goes, for refusing redirects to anywhere else;
`read_capped` reads a body in chunks within the deadline and a size limit.

Nothing here sends a request by itself.
"""

from __future__ import annotations

import http.client
import re
import socket
import ssl
import threading
import time
import urllib.parse
import urllib.request
from typing import IO, Any

__all__ = [
    "Deadline",
    "DeadlineConnection",
    "HTTPConnection",
    "HTTPHandler",
    "HTTPSConnection",
    "HTTPSHandler",
    "TooLarge",
    "declared_length",
    "origin",
    "read_capped",
]

CHUNK = 64 * 1024
"""Bytes read at a time, so the deadline is checked between reads."""


class Deadline:
    """The end of one request, and the connections it opened (cut when the caller gives up)."""

    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds
        self.connections: list[http.client.HTTPConnection] = []
        self.lock = threading.Lock()
        self.expired = False

    def remaining(self) -> float:
        """Seconds left; TimeoutError once none are."""
        left = self.end - time.monotonic()
        if left <= 0 or self.expired:
            raise TimeoutError("deadline passed")
        return left

    def opened(self, connection: http.client.HTTPConnection) -> None:
        with self.lock:
            self.connections.append(connection)
            if self.expired:
                self._shut(connection)

    def expire(self) -> None:
        """Shut every connection of the request down, which ends any read blocked on it."""
        with self.lock:
            self.expired = True
            for connection in self.connections:
                self._shut(connection)

    @staticmethod
    def _shut(connection: http.client.HTTPConnection) -> None:
        sock = connection.sock
        if sock is None:
            return
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # already closed, or not connected yet: the socket's own timeout ends it


class DeadlineConnection:
    """Gives a connection's connect and reads only the time the request has left (mixed in first)."""

    timeout: float | None

    def __init__(self, *args: Any, deadline: Deadline, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.deadline = deadline

    def connect(self) -> None:
        self.timeout = self.deadline.remaining()
        self.deadline.opened(self)  # type: ignore[arg-type]
        super().connect()  # type: ignore[misc]


class HTTPConnection(DeadlineConnection, http.client.HTTPConnection):
    """An HTTP connection under the request's deadline."""


class HTTPSConnection(DeadlineConnection, http.client.HTTPSConnection):
    """The same over TLS (the certificate is checked as urllib checks it)."""


class HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: Deadline) -> None:
        super().__init__()
        self.deadline = deadline

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(HTTPConnection, req, deadline=self.deadline)  # type: ignore[arg-type]


class HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: Deadline) -> None:
        super().__init__()
        self.deadline = deadline
        self.tls = ssl.create_default_context()  # certificates and host names checked

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(HTTPSConnection, req, context=self.tls, deadline=self.deadline)  # type: ignore[arg-type]


def origin(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of a URL: where a request goes."""
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        port = -1
    return scheme, (parts.hostname or "").lower(), port


class RedirectElsewhere(Exception):
    """A redirect to another scheme, host or port: never followed (`target` says where)."""

    def __init__(self, target: str) -> None:
        super().__init__(target)
        self.target = target


class SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to the same scheme, host and port (at most 5); else `RedirectElsewhere`."""

    max_redirections = 5

    def http_error_302(
        self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str, headers: http.client.HTTPMessage
    ) -> Any:
        location = headers.get("Location") or headers.get("URI") or ""
        target = urllib.parse.urljoin(req.full_url, location.strip())
        if origin(target) != origin(req.full_url):
            fp.close()
            raise RedirectElsewhere(target)
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


class TooLarge(ValueError):
    """A body longer than the caller's limit (announced or sent)."""


def declared_length(response: http.client.HTTPResponse) -> int | None:
    """The Content-Length a response announces, when it is a plain number."""
    length = re.fullmatch(r"\s*([0-9]{1,18})\s*", response.headers.get("Content-Length") or "")
    return int(length.group(1)) if length else None


def read_capped(response: Any, deadline: Deadline, limit: int) -> bytes:
    """The whole body of `response`, read in chunks within `deadline`; `TooLarge` past `limit` bytes.

    Raises `TimeoutError` when the deadline passes and `http.client.IncompleteRead` when the body
    ends before the length it announced.
    """
    declared = declared_length(response) if isinstance(response, http.client.HTTPResponse) else None
    if declared is not None and declared > limit:
        raise TooLarge(declared)
    body = bytearray()
    while True:
        left = deadline.remaining()
        for connection in deadline.connections:
            if connection.sock is not None:
                connection.sock.settimeout(left)
        chunk = response.read1(CHUNK) if hasattr(response, "read1") else response.read(CHUNK)
        if not chunk:
            if declared is not None and len(body) < declared:
                raise http.client.IncompleteRead(bytes(body), declared - len(body))
            return bytes(body)
        body += chunk
        if len(body) > limit:
            raise TooLarge(len(body))
