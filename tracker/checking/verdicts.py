"""Reading a platform's answer: live, gone or unknown, with the evidence that decided.

Each reader knows how one platform says a post is there or gone (`endpoints.KINDS`). Whatever it
does not recognise is `unknown` with a reason, never `gone`: a login page, an error page, a JSON
shape that changed, a rate limit. The evidence is small plain data kept with the answer: the HTTP
status, the field that decided and its value, and a short detail.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tracker.checking.fetch import Answer

__all__ = [
    "GONE",
    "LIVE",
    "LOGIN_WALL",
    "RATE_LIMITED",
    "SERVER_ERROR",
    "UNEXPECTED",
    "UNKNOWN",
    "Verdict",
    "read_answer",
]

LIVE, GONE, UNKNOWN = "live", "gone", "unknown"
STATES = (LIVE, GONE, UNKNOWN)
RATE_LIMITED = "rate-limited"
SERVER_ERROR = "server error"
LOGIN_WALL = "login wall"
UNEXPECTED = "unexpected answer"
NO_SIGNAL = "no public signal for this platform"
DETAIL_LIMIT = 200
"""Characters kept of any text a server sends."""

# pixiv's messages for a work that is deleted or never existed (Japanese and English interface).
_PIXIV_GONE = ("削除", "存在しない", "見つかりません", "deleted", "does not exist", "doesn't exist", "not found")


@dataclass(frozen=True)
class Verdict:
    """One answer about one post."""

    state: str
    reason: str | None = None
    """Why the answer is unknown (None for live and gone)."""
    status: int | None = None
    evidence: dict[str, Any] = field(default_factory=dict)


def _short(value: Any) -> Any:
    if isinstance(value, str):
        return " ".join(value.split())[:DETAIL_LIMIT]
    if isinstance(value, bool | int | float) or value is None:
        return value
    return _short(json.dumps(value, ensure_ascii=False)[:DETAIL_LIMIT])


def _evidence(
    answer: Answer, fieldname: str | None = None, value: Any = None, detail: str | None = None
) -> dict[str, Any]:
    out: dict[str, Any] = {"status": answer.status}
    if fieldname is not None:
        out["field"] = fieldname
        out["value"] = _short(value)
    if detail:
        out["detail"] = _short(detail)
    return out


def live(answer: Answer, fieldname: str | None = None, value: Any = None) -> Verdict:
    return Verdict(LIVE, None, answer.status, _evidence(answer, fieldname, value))


def gone(answer: Answer, fieldname: str | None = None, value: Any = None, detail: str | None = None) -> Verdict:
    return Verdict(GONE, None, answer.status, _evidence(answer, fieldname, value, detail))


def unknown(
    answer: Answer, reason: str, fieldname: str | None = None, value: Any = None, detail: str | None = None
) -> Verdict:
    return Verdict(UNKNOWN, reason, answer.status, _evidence(answer, fieldname, value, detail))


class _NotFinite(ValueError):
    pass


def _refuse(constant: str) -> Any:
    raise _NotFinite(constant)


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _NotFinite(text)
    return value


def json_object(answer: Answer) -> dict[str, Any] | None:
    """The body as a JSON object, or None when it is anything else (HTML, a list, NaN, too deep)."""
    try:
        value = json.loads(answer.body.decode("utf-8"), parse_constant=_refuse, parse_float=_finite)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def _same_id(value: Any, post_id: str | None) -> bool:
    return (
        post_id is not None and isinstance(value, str | int) and not isinstance(value, bool) and str(value) == post_id
    )


# ---------------------------------------------------------------------------- the readers


def _pixiv(answer: Answer, data: dict[str, Any] | None, post_id: str | None) -> Verdict:
    if data is None or not isinstance(data.get("error"), bool):
        return unknown(answer, UNEXPECTED, detail="not pixiv's JSON answer")
    message = data.get("message")
    if data["error"] is False:
        body = data.get("body")
        found = body.get("illustId", body.get("id")) if isinstance(body, dict) else None
        if _same_id(found, post_id):
            return live(answer, "error", False)
        return unknown(answer, UNEXPECTED, "body.illustId", found, "the answer is about another work")
    text = message if isinstance(message, str) else ""
    if any(phrase in text.lower() for phrase in _PIXIV_GONE):
        return gone(answer, "error", True, text)
    return unknown(answer, UNEXPECTED, "message", text)


def _oembed(answer: Answer, data: dict[str, Any] | None, post_id: str | None) -> Verdict:
    if answer.status == 404:
        return gone(answer, "status", 404)
    if answer.status == 200 and data is not None and isinstance(data.get("html", data.get("type")), str):
        return live(answer, "html" if "html" in data else "type", "present")
    return unknown(answer, UNEXPECTED, detail="not an oEmbed answer")


def _bluesky(answer: Answer, data: dict[str, Any] | None, post_id: str | None) -> Verdict:
    if data is None:
        return unknown(answer, UNEXPECTED, detail="not an XRPC JSON answer")
    error = data.get("error")
    if answer.status != 200:
        if error == "NotFound":
            return gone(answer, "error", error, data.get("message"))
        return unknown(answer, UNEXPECTED, "error", error, data.get("message"))
    thread = data.get("thread")
    kind = thread.get("$type") if isinstance(thread, dict) else None
    if kind == "app.bsky.feed.defs#threadViewPost":
        return live(answer, "thread.$type", kind)
    if kind == "app.bsky.feed.defs#notFoundPost":
        return gone(answer, "thread.$type", kind)
    return unknown(answer, UNEXPECTED, "thread.$type", kind)


def _misskey(answer: Answer, data: dict[str, Any] | None, post_id: str | None) -> Verdict:
    if data is None:
        return unknown(answer, UNEXPECTED, detail="not Misskey's JSON answer")
    if answer.status == 200:
        if _same_id(data.get("id"), post_id):
            return live(answer, "id", data.get("id"))
        return unknown(answer, UNEXPECTED, "id", data.get("id"), "the answer is about another note")
    error = data.get("error")
    code = error.get("code") if isinstance(error, dict) else None
    if code == "NO_SUCH_NOTE":
        return gone(answer, "error.code", code)
    if code in ("SIGNIN_REQUIRED", "CREDENTIAL_REQUIRED", "AUTHENTICATION_FAILED", "PERMISSION_DENIED"):
        return unknown(answer, LOGIN_WALL, "error.code", code)
    if code == "RATE_LIMIT_EXCEEDED":
        return unknown(answer, RATE_LIMITED, "error.code", code)
    return unknown(answer, UNEXPECTED, "error.code", code)


def _civitai(answer: Answer, data: dict[str, Any] | None, post_id: str | None) -> Verdict:
    if answer.status == 404:
        return gone(answer, "status", 404)
    if answer.status != 200 or data is None:
        return unknown(answer, UNEXPECTED, detail="not CivitAI's JSON answer")
    items = data.get("items")
    if isinstance(items, list):
        if not items:
            return gone(answer, "items", "empty")
        if any(isinstance(item, dict) and _same_id(item.get("id"), post_id) for item in items):
            return live(answer, "items[].id", post_id)
        return unknown(answer, UNEXPECTED, "items[].id", None, "the answer lists other images")
    if _same_id(data.get("id"), post_id):
        return live(answer, "id", data.get("id"))
    return unknown(answer, UNEXPECTED, detail="neither an image list nor the post")


_Reader = Callable[[Answer, "dict[str, Any] | None", "str | None"], Verdict]
READERS: dict[str, _Reader] = {
    "pixiv_ajax": _pixiv,
    "oembed": _oembed,
    "bluesky_thread": _bluesky,
    "misskey_note": _misskey,
    "civitai_api": _civitai,
}


def read_answer(kind: str, answer: Answer, post_id: str | None) -> Verdict:
    """What the answer says about the post, read the way its platform speaks.

    Answers every platform gives alike come first: a rate limit (429, or 503) and a server error
    (5xx) are unknown; 401 and 403 are a login wall (nothing public answers them).
    """
    if answer.status == 429:
        return unknown(answer, RATE_LIMITED, "Retry-After", answer.headers.get("retry-after"))
    if answer.status >= 500:
        if answer.status == 503 and "retry-after" in answer.headers:
            return unknown(answer, RATE_LIMITED, "Retry-After", answer.headers.get("retry-after"))
        return unknown(answer, SERVER_ERROR)
    if answer.status in (401, 403):
        return unknown(answer, LOGIN_WALL)
    if 300 <= answer.status < 400:
        return unknown(answer, UNEXPECTED, "Location", answer.headers.get("location"))
    return READERS[kind](answer, json_object(answer), post_id)
