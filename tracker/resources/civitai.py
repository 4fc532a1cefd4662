"""The opt-in CivitAI look-up: who made a model and on what licence, found from its hash.

One of the two network features of tracker (the other is `tracker check`), and only `tracker
resource lookup` calls it. It sends model hashes and nothing else: `GET /api/v1/model-versions/by-hash/{hash}`,
then `GET /api/v1/models/{modelId}` for the creator and the licence flags. Answers are stored
with their date (a later run skips resources looked up in the last `CACHE_DAYS` days).

A hash CivitAI does not know is the owner's document's "private, deleted or modified" case; a
model found behind a hash under another name is its "made to look like a different model" case.
Both are reported, and stored as the resource's `lookup_status`.

The server is not trusted. Each request has one deadline covering the name look-up, the
connection, any redirect and the whole answer (a server that drips one byte at a time is given
up on when it passes); a redirect is followed only to the same scheme, host and port (the hashes
are never sent anywhere else); the answer has a size limit; and an answer that is not a JSON
object, or holds NaN or Infinity, is a one-line error. Fields of the wrong type are dropped.
"""

from __future__ import annotations

import http.client
import json
import math
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tracker.db.models import Resource
from tracker.db.session import session_scope
from tracker.errors import TrackerError
from tracker.resources.catalog import find_resource
from tracker.support.dates import utcnow
from tracker.support.deadline_http import Deadline as _Deadline
from tracker.support.deadline_http import HTTPHandler as _HTTPHandler
from tracker.support.deadline_http import HTTPSHandler as _HTTPSHandler
from tracker.support.deadline_http import RedirectElsewhere, SameOriginRedirects
from tracker.support.deadline_http import origin as _origin

__all__ = ["API_ENV", "DEFAULT_API", "LookupError_", "LookupOutcome", "commercial_from", "lookup"]

DEFAULT_API = "https://civitai.com"
API_ENV = "TRACKER_CIVITAI_URL"
"""Where to ask instead of civitai.com (the tests' local fake server)."""
CACHE_DAYS = 30
MAX_ANSWER_BYTES = 4 * 2**20
CHUNK = 64 * 1024
"""Bytes read at a time, so the deadline is checked between reads."""
TEXT_LIMIT = 300
"""Characters kept of any text CivitAI sends (names, creator)."""


class LookupError_(TrackerError):  # noqa: N801 - LookupError is a builtin
    """The look-up could not be done (network, timeout, an answer that is not CivitAI's)."""

    exit_code = 3


@dataclass(frozen=True)
class LookupOutcome:
    resource_id: int
    kind: str
    name: str | None
    hash: str | None
    status: str
    """found, name_mismatch, unknown_hash, cached or no_hash."""
    message: str
    creator: str | None = None
    commercial: str | None = None


# ---------------------------------------------------------------------------- one request, one deadline


def _host(url: str) -> str:
    return urllib.parse.urlsplit(url).netloc or url


def _fetch(url: str, deadline: _Deadline) -> bytes | None:
    """The body of one GET (None on 404), read in chunks within the deadline; runs in `_request`'s worker."""
    opener = urllib.request.build_opener(_HTTPHandler(deadline), _HTTPSHandler(deadline), SameOriginRedirects())
    request = urllib.request.Request(
        url, headers={"Accept": "application/json", "User-Agent": "tracker (opt-in model licence look-up)"}
    )
    path = urllib.parse.urlsplit(url).path
    try:
        answer = opener.open(request, timeout=deadline.remaining())
    except RedirectElsewhere as exc:  # the hashes go nowhere else
        parts = urllib.parse.urlsplit(exc.target)
        where = f"{parts.scheme}://{parts.netloc}" if parts.netloc else exc.target
        raise LookupError_(f"{_host(url)} redirected the look-up to {where[:100]!r}: not followed") from None
    except urllib.error.HTTPError as exc:
        exc.close()
        if exc.code == 404:
            return None
        if 300 <= exc.code < 400:
            raise LookupError_(f"{_host(url)} redirected the look-up in a loop (or too often) for {path}") from None
        reason = re.sub(r"\s+", " ", str(exc.reason))[:100]
        raise LookupError_(f"{_host(url)} answered {exc.code} {reason} for {path}") from None
    with answer:
        length = re.fullmatch(r"\s*([0-9]{1,18})\s*", answer.headers.get("Content-Length") or "")
        declared = int(length.group(1)) if length else None
        if declared is not None and declared > MAX_ANSWER_BYTES:
            raise LookupError_(f"{_host(url)} sent more than {MAX_ANSWER_BYTES // 2**20} MiB for {path}")
        body = bytearray()
        while True:
            left = deadline.remaining()
            for connection in deadline.connections:
                if connection.sock is not None:
                    connection.sock.settimeout(left)
            chunk = answer.read1(CHUNK)
            if not chunk:
                if declared is not None and len(body) < declared:
                    raise LookupError_(f"{_host(url)}'s answer to {path} was cut short")
                return bytes(body)
            body += chunk
            if len(body) > MAX_ANSWER_BYTES:
                raise LookupError_(f"{_host(url)} sent more than {MAX_ANSWER_BYTES // 2**20} MiB for {path}")


def _request(url: str, timeout: float) -> bytes | None:
    """`_fetch` in a worker thread the caller stops waiting for at the deadline, whatever the server does.

    The worker's connections are then shut down, which ends its reads at once; a name look-up or
    a TLS handshake that hangs (which no socket timeout bounds) only holds the abandoned thread.
    """
    deadline = _Deadline(timeout)
    outcome: list[bytes | None] = []
    failure: list[Exception] = []

    def work() -> None:
        try:
            outcome.append(_fetch(url, deadline))
        except Exception as exc:  # handed over to the caller's thread, which turns it into one line
            failure.append(exc)

    worker = threading.Thread(target=work, name="civitai-lookup", daemon=True)
    worker.start()
    worker.join(timeout)
    if outcome:
        return outcome[0]
    host = _host(url)
    late = f"{host} did not answer within {timeout:g} s"
    if not failure:
        deadline.expire()
        raise LookupError_(late)
    exc = failure[0]
    if isinstance(exc, TrackerError):
        raise exc
    if isinstance(exc, TimeoutError) or (
        isinstance(exc, urllib.error.URLError) and isinstance(exc.reason, TimeoutError)
    ):
        raise LookupError_(late)
    if isinstance(exc, urllib.error.URLError):
        reason = exc.reason
        text = reason.strerror if isinstance(reason, OSError) and reason.strerror else str(reason)
        raise LookupError_(f"cannot reach {host}: {text}")
    if isinstance(exc, http.client.HTTPException):
        raise LookupError_(f"{host} sent an answer that is not HTTP ({type(exc).__name__})")
    if isinstance(exc, OSError):
        raise LookupError_(f"cannot reach {host}: {exc.strerror or exc}")
    if isinstance(exc, ValueError):  # an address urllib cannot use (a bad port, a host that is not IDNA)
        raise LookupError_(f"cannot ask {host}: {exc}")
    raise exc


class _NotFinite(ValueError):
    """NaN or Infinity in an answer (Python's JSON reader takes them; JSON has no such numbers)."""


def _not_finite(constant: str) -> Any:
    raise _NotFinite(constant)


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e999
        raise _NotFinite(text)
    return value


def _get_json(base: str, path: str, timeout: float) -> dict[str, Any] | None:
    """One GET within `timeout` seconds; None on 404. Any other failure is one clear line."""
    url = base.rstrip("/") + path
    body = _request(url, timeout)
    if body is None:
        return None
    host = _host(base)
    try:
        data = json.loads(body, parse_constant=_not_finite, parse_float=_finite)
    except _NotFinite as exc:
        raise LookupError_(f"{host}'s answer to {path} holds a number that is not finite ({str(exc)[:20]})") from None
    except (ValueError, RecursionError):  # RecursionError: [[[[... nested deeper than Python recurses
        raise LookupError_(f"{host}'s answer to {path} is not JSON") from None
    if not isinstance(data, dict):
        raise LookupError_(f"{host}'s answer to {path} is not a JSON object")
    return data


def commercial_from(value: Any) -> tuple[str, list[str]]:
    """CivitAI's `allowCommercialUse` ('None', 'Image', ['Image', 'Sell', ...]) as (yes|no, the uses allowed)."""
    items = value if isinstance(value, list) else [value] if isinstance(value, str) else []
    allowed = [str(item) for item in items if isinstance(item, str) and item and item != "None"]
    return ("yes" if allowed else "no"), allowed


_EXTENSIONS = re.compile(r"\.(safetensors|ckpt|pt|pth|bin)$", re.IGNORECASE)


def _normal(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", _EXTENSIONS.sub("", name.lower()))


def _same_model(ours: str | None, theirs: Sequence[str]) -> bool:
    """Whether the name in the image's metadata is one of the names CivitAI has for that file."""
    if not ours:
        return True
    mine = _normal(ours)
    if not mine:
        return True
    return any(mine in _normal(t) or (_normal(t) and _normal(t) in mine) for t in theirs if t)


def _text(value: Any) -> str | None:
    """A text field of the answer, or None when it is not text (kept to `TEXT_LIMIT` characters)."""
    return value[:TEXT_LIMIT] if isinstance(value, str) else None


def _id(value: Any) -> int | None:
    """An id of the answer, or None when it is not a positive 64-bit integer."""
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**63 else None


def _flag(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _facts(version: dict[str, Any], model: dict[str, Any] | None, base: str) -> dict[str, Any]:
    """What is stored of the answers: known fields of the right type only, whatever else CivitAI sent."""
    model = model or {}
    creator = model.get("creator")
    creator = creator if isinstance(creator, dict) else {}
    commercial, uses = commercial_from(model.get("allowCommercialUse"))
    files = version.get("files")
    files = files if isinstance(files, list) else []
    version_model = version.get("model")
    version_model = version_model if isinstance(version_model, dict) else {}
    model_id = _id(version.get("modelId")) or _id(model.get("id"))
    names = (_text(f.get("name")) for f in files[:100] if isinstance(f, dict))
    return {
        "model_id": model_id,
        "version_id": _id(version.get("id")),
        "model_name": _text(model.get("name")) or _text(version_model.get("name")),
        "version_name": _text(version.get("name")),
        "file_names": [name for name in names if name][:10],
        "creator": _text(creator.get("username")),
        "allow_commercial_use": [use[:TEXT_LIMIT] for use in uses[:20]],
        "commercial": commercial if model else None,
        "allow_derivatives": _flag(model.get("allowDerivatives")),
        "allow_no_credit": _flag(model.get("allowNoCredit")),
        "url": f"{base.rstrip('/')}/models/{model_id}" if model_id else None,
    }


def _licence_text(facts: dict[str, Any]) -> str:
    uses = ", ".join(facts["allow_commercial_use"]) or "none"
    parts = [f"CivitAI: commercial use allowed: {uses}"]
    if facts["allow_derivatives"] is not None:
        parts.append(f"derivatives allowed: {'yes' if facts['allow_derivatives'] else 'no'}")
    if facts["allow_no_credit"] is not None:
        parts.append(f"credit required: {'no' if facts['allow_no_credit'] else 'yes'}")
    return "; ".join(parts)


def _targets(session: Session, keys: Sequence[str] | None) -> list[Resource]:
    if keys:
        return list(dict.fromkeys(find_resource(session, key) for key in keys))
    return list(session.scalars(select(Resource).where(Resource.hash.is_not(None)).order_by(Resource.id)))


def lookup(
    factory: sessionmaker[Session],
    keys: Sequence[str] | None,
    base: str = DEFAULT_API,
    timeout: float = 10.0,
    refresh: bool = False,
    before_network: Callable[[int], None] | None = None,
) -> list[LookupOutcome]:
    """Ask CivitAI about some resources (all with a hash when `keys` is None); store and return what it says.

    Each answer is committed as it arrives, so an interrupted run keeps what it learnt. Fields the
    owner filled in by hand (creator, url, licence, commercial) are kept; the answer itself is
    always stored in `Resource.lookup`.
    """
    scheme, host, port = _origin(base)
    if scheme not in ("http", "https") or not host or port < 0:
        raise LookupError_(f"the look-up address must be an http(s) address, not {base[:200]!r}")
    now = utcnow()
    with factory() as session:
        targets = [(r.id, r.kind, r.name, r.hash, r.looked_up_at) for r in _targets(session, keys)]
    outcomes: list[LookupOutcome] = []
    todo = []
    for rid, kind, name, digest, looked_up_at in targets:
        if not digest:
            outcomes.append(
                LookupOutcome(rid, kind, name, None, "no_hash", "no hash in the metadata: cannot be looked up")
            )
        elif looked_up_at and not refresh and now - looked_up_at < timedelta(days=CACHE_DAYS):
            outcomes.append(LookupOutcome(rid, kind, name, digest, "cached", f"looked up {looked_up_at.date()}"))
        else:
            todo.append((rid, kind, name, digest))
    if todo and before_network is not None:
        before_network(len(todo))
    for rid, kind, name, digest in todo:
        version = _get_json(base, f"/api/v1/model-versions/by-hash/{urllib.parse.quote(digest)}", timeout)
        if version is None:
            outcome = LookupOutcome(
                rid, kind, name, digest, "unknown_hash",
                "CivitAI does not know this hash: the file may be private, deleted, or modified",
            )  # fmt: skip
            _store(factory, rid, outcome.status, {"hash": digest, "found": False}, None)
            outcomes.append(outcome)
            continue
        model_id = _id(version.get("modelId"))
        model = _get_json(base, f"/api/v1/models/{model_id}", timeout) if model_id else None
        facts = _facts(version, model, base)
        names = [n for n in (facts["model_name"], facts["version_name"], *facts["file_names"]) if isinstance(n, str)]
        same = _same_model(name, names)
        status = "found" if same else "name_mismatch"
        message = f"{facts['model_name'] or '?'} ({facts['version_name'] or '?'}) by {facts['creator'] or '?'}"
        if not same:
            message = (
                f"the metadata calls it {name!r} but CivitAI has this hash as {message}: "
                "made to look like a different model?"
            )
        _store(factory, rid, status, facts, facts)
        outcomes.append(LookupOutcome(rid, kind, name, digest, status, message, facts["creator"], facts["commercial"]))
    return outcomes


def _store(
    factory: sessionmaker[Session], rid: int, status: str, answer: dict[str, Any], facts: dict[str, Any] | None
) -> None:
    with session_scope(factory, command="resource lookup") as session:
        resource = session.get_one(Resource, rid)
        resource.lookup_status = status
        resource.looked_up_at = utcnow()
        resource.lookup = answer
        if facts is None:
            return
        if resource.creator is None and facts["creator"]:
            resource.creator = str(facts["creator"])[:300]
        if resource.source_url is None and facts["url"]:
            resource.source_url = str(facts["url"])
        if resource.licence_note is None and facts["commercial"] is not None:
            resource.licence_note = _licence_text(facts)
        if resource.commercial is None and facts["commercial"] is not None:
            resource.commercial = facts["commercial"]
