"""The opt-in CivitAI look-up: who made a model and on what licence, found from its hash.

This is the only code in tracker that touches the network, and only `tracker resource lookup`
calls it. It sends model hashes and nothing else: `GET /api/v1/model-versions/by-hash/{hash}`,
then `GET /api/v1/models/{modelId}` for the creator and the licence flags. Answers are stored
with their date (a later run skips resources looked up in the last `CACHE_DAYS` days).

A hash CivitAI does not know is the owner's document's "private, deleted or modified" case; a
model found behind a hash under another name is its "made to look like a different model" case.
Both are reported, and stored as the resource's `lookup_status`.
"""

from __future__ import annotations

import json
import re
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

__all__ = ["API_ENV", "DEFAULT_API", "LookupError_", "LookupOutcome", "commercial_from", "lookup"]

DEFAULT_API = "https://civitai.com"
API_ENV = "TRACKER_CIVITAI_URL"
"""Where to ask instead of civitai.com (the tests' local fake server)."""
CACHE_DAYS = 30
MAX_ANSWER_BYTES = 4 * 2**20


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


def _get_json(base: str, path: str, timeout: float) -> dict[str, Any] | None:
    """One GET; None on 404. Any other failure is one clear line."""
    url = base.rstrip("/") + path
    host = urllib.parse.urlsplit(base).netloc or base
    request = urllib.request.Request(
        url, headers={"Accept": "application/json", "User-Agent": "tracker (opt-in model licence look-up)"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310 - http(s) only, see lookup()
            body = answer.read(MAX_ANSWER_BYTES + 1)
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return None
        raise LookupError_(f"{host} answered {exc.code} {exc.reason} for {path}") from None
    except urllib.error.URLError as exc:
        raise LookupError_(f"cannot reach {host}: {exc.reason}") from None
    except TimeoutError:
        raise LookupError_(f"{host} did not answer within {timeout:g} s") from None
    except OSError as exc:
        raise LookupError_(f"cannot reach {host}: {exc.strerror or exc}") from None
    if len(body) > MAX_ANSWER_BYTES:
        raise LookupError_(f"{host} sent more than {MAX_ANSWER_BYTES // 2**20} MiB for {path}")
    try:
        data = json.loads(body)
    except ValueError:
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


def _facts(version: dict[str, Any], model: dict[str, Any] | None, base: str) -> dict[str, Any]:
    model = model or {}
    creator = model.get("creator")
    creator = creator if isinstance(creator, dict) else {}
    commercial, uses = commercial_from(model.get("allowCommercialUse"))
    files = version.get("files")
    files = files if isinstance(files, list) else []
    version_model = version.get("model")
    version_model = version_model if isinstance(version_model, dict) else {}
    model_id = version.get("modelId") or model.get("id")
    return {
        "model_id": model_id,
        "version_id": version.get("id"),
        "model_name": model.get("name") or version_model.get("name"),
        "version_name": version.get("name"),
        "file_names": [f.get("name") for f in files if isinstance(f, dict) and isinstance(f.get("name"), str)][:10],
        "creator": creator.get("username") if isinstance(creator.get("username"), str) else None,
        "allow_commercial_use": uses,
        "commercial": commercial if model else None,
        "allow_derivatives": model.get("allowDerivatives"),
        "allow_no_credit": model.get("allowNoCredit"),
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
    if urllib.parse.urlsplit(base).scheme not in ("http", "https"):
        raise LookupError_(f"the look-up address must be http(s), not {base!r}")
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
        model_id = version.get("modelId")
        model = _get_json(base, f"/api/v1/models/{int(model_id)}", timeout) if isinstance(model_id, int) else None
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
