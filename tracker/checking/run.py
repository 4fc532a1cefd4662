"""Checking posts: which to ask about, asking politely, keeping the answers, marking what is gone.

`choose_targets` reads the posts and works out each request before anything is sent, so the
command can say which hosts it will contact first. `check_targets` then asks one post at a time:
at least `MIN_GAP` seconds between a host's answer and the next request to it, a 429 or 503
answered by waiting (the server's Retry-After when it fits in the timeout) and asking again at
most `RETRIES` times, after which the host is left alone for the rest of the run (its other posts
are `unknown: rate-limited` without a request). Each answer is stored in its own transaction,
together with the checklist mark `--mark` adds for a post found gone, so an interrupted run keeps
what it learnt.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tracker.checking.endpoints import NO_SIGNAL, CheckRequest, endpoint_of, request_for
from tracker.checking.fetch import Answer, NoAnswer, fetch, host_of
from tracker.checking.results import evidence_text
from tracker.checking.verdicts import GONE, LIVE, RATE_LIMITED, UNEXPECTED, UNKNOWN, Verdict, read_answer
from tracker.checking.verdicts import NO_SIGNAL as NO_SIGNAL_REASON
from tracker.db.enums import PostStatus, PurgeItemState
from tracker.db.models import Account, Persona, Post, PostCheck, PurgeItem, PurgeRun
from tracker.db.post_checks import CHUNK
from tracker.db.session import session_scope
from tracker.errors import UsageError
from tracker.platforms.urls import Platform
from tracker.posts.lookup import find_post
from tracker.posts.personas import find_persona
from tracker.purge.marks import mark_items
from tracker.support.dates import iso, utcnow
from tracker.support.settings import Settings

__all__ = ["MIN_GAP", "RETRIES", "Outcome", "Target", "check_targets", "choose_targets", "hosts_of"]

MIN_GAP = 1.0
"""Seconds between two requests to the same host, at least."""
RETRIES = 2
"""Times a request answered 429 or 503 is asked again (after waiting) before the answer is `unknown`."""
DEFAULT_BACKOFF = 2.0
"""Seconds to wait after a 429 or 503 that names no Retry-After (doubled each time)."""
MARKABLE = (PurgeItemState.OPEN, PurgeItemState.FAILED)


@dataclass(frozen=True)
class Target:
    """One post to check, with the request that asks about it (or the answer known without asking)."""

    post_id: int
    url: str
    platform: str
    persona: str
    post_status: str
    item_state: str | None
    """The post's item on its persona's purge checklist (open, done, ...), None without a started purge."""
    request: CheckRequest | None
    known: Verdict | None = None
    """The answer when nothing is asked (no public signal, no usable address)."""


@dataclass(frozen=True)
class Outcome:
    """What one check found, as stored, and what was done about it."""

    target: Target
    verdict: Verdict
    checked_at: datetime
    marked: bool = False

    @property
    def still_online(self) -> bool:
        """Live although it is marked done, taken down or deleted: the platform kept or restored it."""
        return self.verdict.state == LIVE and (
            self.target.item_state == PurgeItemState.DONE
            or self.target.post_status in (PostStatus.TAKEN_DOWN, PostStatus.DELETED)
        )

    @property
    def markable(self) -> bool:
        """Gone, and its checklist item is still open (or failed): `--mark` marks it done."""
        return self.verdict.state == GONE and self.target.item_state in MARKABLE

    def to_dict(self) -> dict[str, Any]:
        """The `--json` form: the post, where it is, what the check found and why."""
        t, v = self.target, self.verdict
        return {
            "post": t.post_id,
            "url": t.url,
            "platform": t.platform,
            "persona": t.persona,
            "post_status": t.post_status,
            "state": v.state,
            "reason": v.reason,
            "checked_at": iso(self.checked_at),
            "asked": t.request.url if t.request else None,
            "status_code": v.status,
            "evidence": v.evidence,
            "checklist": t.item_state,
            "still_online": self.still_online,
            "marked_done": self.marked,
        }


# ---------------------------------------------------------------------------- choosing


def choose_targets(
    session: Session,
    keys: Sequence[str],
    persona: str | None,
    taken_down: bool,
    platforms: Mapping[str, Platform],
    env: Mapping[str, str],
) -> list[Target]:
    """The posts to check, each with its request: read-only, nothing is sent.

    POST arguments (numbers or URLs) name posts; `persona` and `taken_down` narrow them, or choose
    among every post when none is named. With neither, the posts checked are those taken down or
    deleted (what should be gone).
    """
    query = select(Post, Persona.name).join(Account, Account.id == Post.account_id).join(Persona)
    if keys:
        ids = [find_post(session, key, platforms).id for key in keys]
        query = query.where(Post.id.in_(ids))
    if persona is not None:
        query = query.where(Persona.id == find_persona(session, persona).id)
    if taken_down:
        query = query.where(Post.status == PostStatus.TAKEN_DOWN)
    elif not keys and persona is None:
        query = query.where(Post.status.in_([PostStatus.TAKEN_DOWN, PostStatus.DELETED]))
    rows = session.execute(query.order_by(Post.id)).all()
    started, marks = _checklist_states(session, [post.id for post, _ in rows])
    endpoints: dict[str, Any] = {}
    targets = []
    for post, name in rows:
        if post.platform not in endpoints:
            endpoints[post.platform] = endpoint_of(platforms.get(post.platform), post.platform, env)
        endpoint = endpoints[post.platform]
        state = marks.get(post.id)
        if state is None and post.id in started and post.status is not PostStatus.DELETED:
            state = PurgeItemState.OPEN.value  # on the checklist, not marked yet
        base = Target(post.id, post.url, post.platform, name, post.status.value, state, None)
        if endpoint is None or endpoint.kind == NO_SIGNAL:
            why = endpoint.why_unknown if endpoint is not None else "platforms.toml has no check for this platform"
            targets.append(replace(base, known=Verdict(UNKNOWN, NO_SIGNAL_REASON, None, {"detail": why})))
            continue
        request = request_for(endpoint, post.url, platforms.get(post.platform), post.platform_post_id)
        if request is None:
            detail = "the post's URL does not give what the check address needs"
            targets.append(replace(base, known=Verdict(UNKNOWN, UNEXPECTED, None, {"detail": detail})))
            continue
        targets.append(replace(base, request=request))
    return targets


def _checklist_states(session: Session, post_ids: Collection[int]) -> tuple[set[int], dict[int, str]]:
    """The posts whose persona's purge has started, and {post id: its checklist mark} of those marked."""
    wanted = sorted(set(post_ids))
    started: set[int] = set()
    marks: dict[int, str] = {}
    for start in range(0, len(wanted), CHUNK):
        query = (
            select(Post.id, PurgeRun.id)
            .join(Account, Account.id == Post.account_id)
            .join(PurgeRun, PurgeRun.persona_id == Account.persona_id)
            .where(Post.id.in_(wanted[start : start + CHUNK]))
        )
        runs = {post_id: run_id for post_id, run_id in session.execute(query)}
        started |= set(runs)
        keys = {f"post:{pid}": pid for pid in runs}
        if not keys:
            continue
        rows = session.execute(
            select(PurgeItem.item_key, PurgeItem.state, PurgeItem.run_id).where(PurgeItem.item_key.in_(list(keys)))
        )
        for key, state, run_id in rows:
            if runs[keys[key]] == run_id:  # the mark on the checklist of the post's own persona
                marks[keys[key]] = PurgeItemState(state).value
    return started, marks


def hosts_of(targets: Sequence[Target]) -> list[str]:
    """Every host the run will contact, in the order first asked."""
    return list(dict.fromkeys(host_of(t.request.url) for t in targets if t.request is not None))


# ---------------------------------------------------------------------------- asking


class _Pacer:
    """Keeps `MIN_GAP` between a host's answer and the next request to it; remembers hosts that rate-limited the run."""

    def __init__(self, sleep: Callable[[float], None], clock: Callable[[], float]) -> None:
        self.sleep, self.clock = sleep, clock
        self.last: dict[str, float] = {}
        self.limited: dict[str, str] = {}

    def wait_for(self, host: str, extra: float = 0.0) -> None:
        """Wait until `MIN_GAP` (or `extra`, when longer) has passed since the host's last answer."""
        due = self.last.get(host, -1e9) + max(MIN_GAP, extra)
        now = self.clock()
        if due > now:
            self.sleep(due - now)

    def answered(self, host: str) -> None:
        """The host's request is over (answered or given up on): the gap counts from now."""
        self.last[host] = self.clock()


def retry_after(answer: Answer, now: datetime | None = None) -> float | None:
    """Seconds the server asks to wait (Retry-After: seconds or an HTTP date), or None when it says nothing usable."""
    value = answer.headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(int(value[:9]))
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or utcnow())).total_seconds())


def ask(request: CheckRequest, timeout: float, pacer: _Pacer) -> Verdict:
    """One post's answer: the request sent (again after a 429/503 when the wait fits in `timeout`), then read."""
    host = host_of(request.url)
    if host in pacer.limited:
        return Verdict(UNKNOWN, RATE_LIMITED, None, {"detail": f"not asked: {pacer.limited[host]}"})
    wait = 0.0
    for attempt in range(RETRIES + 1):
        pacer.wait_for(host, wait)
        try:
            answer = fetch(request, timeout)
        except NoAnswer as exc:
            return Verdict(UNKNOWN, exc.reason, None, {"detail": exc.detail})
        finally:
            pacer.answered(host)
        if answer.status not in (429, 503):
            return read_answer(request.kind, answer, request.post_id)
        asked = retry_after(answer)
        wait = asked if asked is not None else DEFAULT_BACKOFF * 2**attempt
        if wait > timeout or attempt == RETRIES:
            verdict = read_answer(request.kind, answer, request.post_id)
            if answer.status == 429 or asked is not None:
                pacer.limited[host] = f"{host} answered {answer.status} earlier in this run"
                verdict = replace(verdict, reason=RATE_LIMITED)
            return verdict
    raise AssertionError("unreachable")  # pragma: no cover


def check_targets(
    factory: sessionmaker[Session],
    targets: Sequence[Target],
    platforms: Mapping[str, Platform],
    settings: Settings,
    timeout: float,
    mark: bool = False,
    on_outcome: Callable[[Outcome], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> list[Outcome]:
    """Ask about each target in turn and store each answer (with its `--mark`) in its own transaction."""
    if timeout <= 0:
        raise UsageError("--timeout must be more than 0 seconds")
    pacer = _Pacer(sleep, clock)
    outcomes = []
    for target in targets:
        if target.known is not None:
            verdict = target.known
        else:
            assert target.request is not None
            verdict = ask(target.request, timeout, pacer)
        outcome = _store(factory, Outcome(target, verdict, utcnow()), platforms, settings, mark)
        outcomes.append(outcome)
        if on_outcome is not None:
            on_outcome(outcome)
    return outcomes


def _store(
    factory: sessionmaker[Session], outcome: Outcome, platforms: Mapping[str, Platform], settings: Settings, mark: bool
) -> Outcome:
    target, verdict = outcome.target, outcome.verdict
    asked = target.request.url if target.request else target.url
    with session_scope(factory, "check --mark" if mark else "check") as session:
        session.add(
            PostCheck(
                post_id=target.post_id,
                checked_at=outcome.checked_at,
                state=verdict.state,
                reason=verdict.reason,
                url=asked[:2048],
                status_code=verdict.status,
                evidence=verdict.evidence,
            )
        )
        if mark and outcome.markable:
            when = iso(outcome.checked_at)
            reason = f"verified gone by tracker check {when}: {asked} answered {evidence_text(verdict.evidence)}"
            mark_items(
                session, target.persona, [f"post:{target.post_id}"], PurgeItemState.DONE, platforms, settings, reason
            )
            return replace(outcome, marked=True, target=replace(target, item_state=PurgeItemState.DONE.value))
    return outcome
