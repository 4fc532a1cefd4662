"""Issue 18, case 13: a scrub leaves nothing of the persona in what stays, and no search saves its rows again.

An image both personas posted stays for the other one, without the file name the scrubbed persona
gave it and without the audit entries that name the persona's records (its creation for that
persona, a post moved off one of its accounts). A search running during the scrub waits for the
index lock, so it never saves the scrubbed rows into a new index file.
"""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from fixtures.common import Tracker, query
from fixtures.imagefactory import FORGE_INFOTEXT, pixels, write_png
from fixtures.purgeworld import OTHER, OTHER_POSTS, TARGET, World, build_world, database_bytes, mark_everything
from sqlalchemy import insert, select
from sqlalchemy.orm import Session, sessionmaker

from tracker.cli import AppContext
from tracker.db.models import Account, Event, Image, Persona, Post
from tracker.db.session import session_scope
from tracker.matching import search
from tracker.matching.index import index_lock, load_saved
from tracker.matching.similarity import MatchIndex
from tracker.matching.stored import DatabaseHashes
from tracker.platforms.urls import Platform
from tracker.purge import scrub as scrubbing
from tracker.purge.scrub import scrub
from tracker.support.settings import Settings

pytestmark = pytest.mark.db

THEIR_FIRST = "https://www.pixiv.net/artworks/777000009"
OURS_TOO = "https://www.pixiv.net/artworks/555000009"


class Env:
    """The session factory, settings and platforms of the test's data folder."""

    def __init__(self) -> None:
        self.context = AppContext(db=None, data_dir=None)
        self.factory: sessionmaker[Session] = self.context.sessions()
        self.settings: Settings = self.context.settings
        self.platforms: dict[str, Platform] = self.context.platforms()

    def scrub(self) -> scrubbing.ScrubReport:
        return scrub(self.factory, self.settings, TARGET, self.platforms)


@pytest.fixture
def world(tracker: Tracker, tmp_path: Path) -> World:
    built = build_world(tracker, tmp_path / "images")
    # An image the other persona logged first (its name stays), then posted by the target too.
    theirs = write_png(tmp_path / "images" / "lantern-first.png", {"parameters": FORGE_INFOTEXT}, image=pixels(seed=77))
    tracker("log", theirs, "--url", THEIR_FIRST, "--persona", OTHER)
    ours = tmp_path / "images" / "nightmoth-copy.png"
    shutil.copyfile(theirs, ours)
    tracker("log", ours, "--url", OURS_TOO, "--persona", TARGET)
    return built


@pytest.fixture
def env(world: World, tracker: Tracker) -> Any:
    mark_everything(tracker)
    tracker("purge", "mark", "post:*", "done", "--persona", TARGET)  # the post logged after the world
    environment = Env()
    yield environment
    environment.context.close()


def image_of(env: Env, url: str) -> Image:
    with env.factory() as session:
        image = session.scalars(select(Image).join(Post, Post.image_id == Image.id).where(Post.url == url)).one()
        session.expunge(image)
        return image


def events_of(env: Env, entity: str, entity_id: int) -> list[dict[str, Any]]:
    with env.factory() as session:
        rows = session.execute(
            select(Event.changes).where(Event.entity == entity, Event.entity_id == entity_id).order_by(Event.id)
        )
        return [changes for (changes,) in rows]


def test_a_shared_image_loses_the_name_and_the_creation_entry_the_persona_gave_it(
    env: Env, world: World, isolated_env: Path
) -> None:
    shared_before = image_of(env, next(url for url in OTHER_POSTS if "x.com" in url))
    assert shared_before.original_name == "shared.png"
    with env.factory() as session:
        target_id = session.scalars(select(Persona.id).where(Persona.name == TARGET)).one()
    assert any(e.get("persona_id") == [None, target_id] for e in events_of(env, "image", shared_before.id))

    report = env.scrub()
    assert report.images_kept == 2

    shared = image_of(env, next(url for url in OTHER_POSTS if "x.com" in url))
    assert shared.original_name == "lantern-repost.png"  # the name the other persona logged it under, not the target's
    for changes in events_of(env, "image", shared.id):
        assert "original_name" not in changes and target_id not in (changes.get("persona_id") or [])
    rows = query(isolated_env, "select count(*) from event where cast(changes as text) like '%shared.png%'")
    assert rows == [(0,)]

    theirs = image_of(env, THEIR_FIRST)  # logged by the other persona first: its name and history stay
    assert theirs.original_name == "lantern-first.png"
    assert any(e.get("original_name") == [None, "lantern-first.png"] for e in events_of(env, "image", theirs.id))
    assert query(
        isolated_env, "select count(*) from event where cast(changes as text) like '%nightmoth-copy.png%'"
    ) == [(0,)]


@pytest.mark.sqlite_only  # the bytes of the SQLite file
def test_the_shared_image_name_is_gone_from_the_database_file(env: Env, isolated_env: Path) -> None:
    assert b"shared.png" in database_bytes(isolated_env)
    env.scrub()
    raw = database_bytes(isolated_env)
    assert b"shared.png" not in raw and b"nightmoth-copy.png" not in raw
    assert b"lantern-first.png" in raw and TARGET.encode() not in raw


def test_history_pointing_at_the_persona_goes_and_the_rest_of_the_other_personas_stays(env: Env) -> None:
    other_url = next(iter(OTHER_POSTS))
    with env.factory() as session:
        post = session.scalars(select(Post).where(Post.url == other_url)).one()
        ours = session.scalars(select(Account.id).join(Persona).where(Persona.name == TARGET)).first()
        post_id, account_id = post.id, post.account_id
    with session_scope(env.factory) as session:
        session.execute(
            insert(Event),
            [  # as if the post had been moved off one of the target's accounts, then retitled
                {
                    "entity": "post",
                    "entity_id": post_id,
                    "action": "update",
                    "changes": {"account_id": [ours, account_id]},
                },
                {"entity": "post", "entity_id": post_id, "action": "update", "changes": {"title": ["a", "b"]}},
            ],
        )
    before = events_of(env, "post", post_id)
    env.scrub()
    after = events_of(env, "post", post_id)
    assert {"account_id": [ours, account_id]} not in after
    assert after == [e for e in before if e != {"account_id": [ours, account_id]}]
    assert {"title": ["a", "b"]} in after and after[0]["url"] == [None, other_url]  # its creation stays


def test_a_search_during_a_scrub_never_saves_the_scrubbed_rows(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    """A search that read the rows before the scrub's commit and saved after the index was removed
    would bring the scrubbed hashes back: the index lock makes it wait for the scrub instead."""
    with env.factory() as session:
        doomed = set(session.scalars(select(Image.id).where(Image.persona_id == session.scalar(
            select(Persona.id).where(Persona.name == TARGET)))))  # fmt: skip
    doomed -= {image_of(env, next(url for url in OTHER_POSTS if "x.com" in url)).id}  # the shared image stays
    removed = threading.Event()
    found: list[MatchIndex] = []
    failures: list[BaseException] = []
    real_refresh, real_remove = search.refresh, scrubbing._remove_index

    def slow_refresh(*args: Any) -> Any:
        result = real_refresh(*args)  # the rows as this search sees them ...
        removed.wait(10)  # ... saved only once the scrub has removed the index (without the lock: stale rows)
        return result

    def remove_index(*args: Any) -> None:
        real_remove(*args)
        removed.set()

    def searching() -> None:
        try:
            found.append(search.open_index(env.factory, env.settings))
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            failures.append(exc)

    searcher = threading.Thread(target=searching)

    def stop_point(name: str) -> None:
        if name == "scrub:after_db_delete_before_commit":
            searcher.start()  # the search starts while the scrub's deletions are not yet committed
            time.sleep(0.5)

    assert search.open_index(env.factory, env.settings) is not None  # an index holding every row
    assert env.settings.index_path.exists()
    monkeypatch.setattr(search, "refresh", slow_refresh)
    monkeypatch.setattr(scrubbing, "_remove_index", remove_index)
    monkeypatch.setattr(scrubbing.testhooks, "stop_point", stop_point)
    env.scrub()
    searcher.join(30)
    assert not searcher.is_alive() and not failures, failures
    assert doomed and not doomed & set(found[0].stored.ids.tolist())
    with env.factory() as session:
        saved = load_saved(env.settings.index_path, DatabaseHashes(session).identity())
    assert saved is not None and not doomed & set(saved.ids.tolist())


def test_a_scrub_waits_for_a_search_that_holds_the_index_lock(env: Env) -> None:
    reports: list[scrubbing.ScrubReport] = []
    with index_lock(env.settings.index_path) as held:
        assert held
        scrubber = threading.Thread(target=lambda: reports.append(env.scrub()))
        scrubber.start()
        time.sleep(0.5)
        assert not reports  # still waiting: nothing deleted yet
        with env.factory() as session:
            assert session.scalar(select(Persona.id).where(Persona.name == TARGET)) is not None
    scrubber.join(60)
    assert reports and reports[0].rows["persona"] == 1


def test_a_search_goes_without_the_saved_index_while_the_lock_is_held(
    env: Env, tracker: Tracker, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tracker.matching.index.LOCK_WAIT", 0.2)
    index = env.settings.index_path
    with index_lock(index) as held:
        assert held
        started = time.monotonic()
        results = tracker.json("match", world.shared_image)
        assert time.monotonic() - started < 10
    assert [r["original_name"] for r in results] == ["shared.png"]
    assert not index.exists()  # nothing saved while the lock was another's
