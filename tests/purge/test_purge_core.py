"""The purge use cases the CLI and the TUI share, called directly on a session factory."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import pixels, write_png
from fixtures.purgeworld import OTHER, OTHER_POSTS, TARGET, TARGET_POSTS, World, build_world, database_bytes
from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from tracker.cli import AppContext
from tracker.db.enums import PostStatus, PurgeItemState
from tracker.db.models import Event, Post
from tracker.db.session import session_scope
from tracker.errors import NotFoundError, UsageError
from tracker.posts.platforms import Platform
from tracker.purge.items import PurgeNotReady, Section
from tracker.purge.marks import mark_item, mark_items, purge_runs, run_of, start_or_get_run
from tracker.purge.plan import build_plan, run_status
from tracker.purge.scrub import scrub
from tracker.support.settings import Settings

pytestmark = pytest.mark.db


class Env:
    """The session factory, settings and platforms of the test's data folder."""

    def __init__(self) -> None:
        context = AppContext(db=None, data_dir=None)
        self.factory: sessionmaker[Session] = context.sessions()
        self.settings: Settings = context.settings
        self.platforms: dict[str, Platform] = context.platforms()

    def mark(self, keys: list[str], state: str, reason: str | None = None, persona: str = TARGET) -> None:
        with session_scope(self.factory, command="test") as session:
            mark_items(session, persona, keys, state, self.platforms, self.settings, reason)

    def plan(self, persona: str = TARGET) -> list[str]:
        with self.factory() as session:
            return [item.id for item in build_plan(session, persona, self.platforms, self.settings).items]


@pytest.fixture
def world(tracker: Tracker, tmp_path: Path) -> World:
    return build_world(tracker, tmp_path / "images")


@pytest.fixture
def env(world: World) -> Env:
    return Env()


def finish_checklist(env: Env) -> None:
    env.mark(["*"], "done")


def test_one_run_per_persona_and_reads_never_start_one(env: Env) -> None:
    with env.factory() as session:
        assert run_of(session, TARGET) is None
        plan = run_status(session, TARGET, env.platforms, env.settings)
        assert plan.run_id is None and len(plan.left()) == 18
    with session_scope(env.factory) as session:
        first = start_or_get_run(session, TARGET).id
    with session_scope(env.factory) as session:
        assert start_or_get_run(session, TARGET).id == first
        assert [name for name, _ in purge_runs(session)] == [TARGET]
    with env.factory() as session, pytest.raises(NotFoundError):
        run_of(session, "nobody")


def test_mark_item_for_the_tui(env: Env) -> None:
    with env.factory() as session:
        post = session.scalar(select(Post).where(Post.url == next(iter(TARGET_POSTS))))
        assert post is not None
        key = f"post:{post.id}"
    with session_scope(env.factory, command="purge mark") as session:
        outcome = mark_item(session, TARGET, key, PurgeItemState.DONE, env.platforms, env.settings)
        assert (outcome.before, outcome.item.state) == (PurgeItemState.OPEN, PurgeItemState.DONE)
    with session_scope(env.factory, command="purge mark") as session:
        with pytest.raises(UsageError):
            mark_item(session, TARGET, "post:*", "done", env.platforms, env.settings)
        with pytest.raises(UsageError):
            mark_item(session, TARGET, key, "finished", env.platforms, env.settings)
    with env.factory() as session:
        assert session.get(Post, post.id).status is PostStatus.DELETED  # type: ignore[union-attr]
        plan = run_status(session, TARGET, env.platforms, env.settings)
        item = plan.item(key)
        assert item is not None and item.state is PurgeItemState.DONE and item.marked_at is not None
        assert len(plan.left()) == 17
        assert plan.counts()["post"] == {"done": 1, "open": 5}


def test_posts_deleted_before_the_purge_are_not_items_but_taken_down_ones_are(env: Env) -> None:
    urls = list(TARGET_POSTS)
    with session_scope(env.factory) as session:
        session.execute(update(Post).where(Post.url == urls[0]).values(status=PostStatus.DELETED))
        session.execute(update(Post).where(Post.url == urls[1]).values(status=PostStatus.TAKEN_DOWN))
    with env.factory() as session:
        plan = build_plan(session, TARGET, env.platforms, env.settings)
    posts = {item.url: item for item in plan.section(Section.POST)}
    assert urls[0] not in posts and posts[urls[1]].post_status == "taken_down"
    assert "really gone" in posts[urls[1]].notes[0]


def test_scrub_refuses_an_unfinished_checklist_in_the_core_too(env: Env) -> None:
    with pytest.raises(PurgeNotReady) as refused:
        scrub(env.factory, env.settings, TARGET, env.platforms)
    assert len(refused.value.left) == 18
    assert env.plan(), "nothing changed"


@pytest.mark.sqlite_only  # the SQLite file, VACUUM and secure_delete (test_purge_postgres covers PostgreSQL)
def test_dry_run_counts_what_the_scrub_then_removes(env: Env) -> None:
    finish_checklist(env)
    preview = scrub(env.factory, env.settings, TARGET, env.platforms, dry_run=True)
    done = scrub(env.factory, env.settings, TARGET, env.platforms)
    assert preview.rows == done.rows and preview.files_deleted == done.files_deleted
    assert preview.bytes_deleted == done.bytes_deleted and preview.images_kept == done.images_kept == 1
    assert done.vacuumed and done.residue is not None and not done.residue.name_found
    assert not preview.vacuumed


def test_an_image_archived_without_a_post_goes_with_its_persona(
    env: Env, tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    folder = tmp_path / "unposted"
    folder.mkdir()
    pixels(seed=900).save(folder / "draft.png")
    tracker("import", folder, "--persona", TARGET)
    tracker("import", folder, "--persona", OTHER)  # already archived: stays the target's
    with env.factory() as session:
        plan = build_plan(session, TARGET, env.platforms, env.settings)
    originals = plan.item("local:originals")
    assert originals is not None and "draft.png" in originals.files
    finish_checklist(env)
    report = scrub(env.factory, env.settings, TARGET, env.platforms)
    assert report.rows["image"] == 6 and report.files_deleted == 7


def test_old_audit_entries_that_name_the_persona_go_and_others_stay(env: Env) -> None:
    target_url, other_url = next(iter(TARGET_POSTS)), next(iter(OTHER_POSTS))
    with session_scope(env.factory) as session:
        session.execute(
            insert(Event),
            [
                # entries about rows deleted long ago (no such post any more)
                {"entity": "post", "entity_id": 9001, "action": "delete", "changes": {"url": [target_url, None]}},
                {"entity": "post", "entity_id": 9002, "action": "delete", "changes": {"url": [other_url, None]}},
                {"entity": "persona", "entity_id": 9003, "action": "update", "changes": {"name": [TARGET, "x"]}},
            ],
        )
    finish_checklist(env)
    scrub(env.factory, env.settings, TARGET, env.platforms)
    with env.factory() as session:
        left = set(session.scalars(select(Event.entity_id).where(Event.entity_id.in_([9001, 9002, 9003]))))
        assert left == {9002}
        assert session.scalar(select(func.count()).select_from(Event).where(Event.command == "purge scrub")) == 0


@pytest.mark.sqlite_only  # the SQLite file, VACUUM and secure_delete (test_purge_postgres covers PostgreSQL)
def test_no_other_persona_is_touched_by_marks_or_scrub(env: Env, isolated_env: Path) -> None:
    before = env.plan(OTHER)
    finish_checklist(env)
    scrub(env.factory, env.settings, TARGET, env.platforms)
    assert env.plan(OTHER) == before
    raw = database_bytes(isolated_env)
    assert all(url.encode() in raw for url in OTHER_POSTS)


@pytest.mark.sqlite_only  # the SQLite file, VACUUM and secure_delete (test_purge_postgres covers PostgreSQL)
def test_a_persona_gone_already_only_finishes_the_clean_up(env: Env, tmp_path: Path) -> None:
    report = scrub(env.factory, env.settings, "never-existed", env.platforms)
    assert report.already_gone and report.rows == {} and report.vacuumed
    assert len(env.plan(TARGET)) == 21  # nothing of the real personas changed


def test_unknown_platform_accounts_still_get_items(env: Env, tracker: Tracker, tmp_path: Path) -> None:
    image = write_png(tmp_path / "insta.png", {}, image=pixels(seed=901))
    tracker("log", image, "--url", "https://example.social/p/1", "--platform", "fedi", "--persona", TARGET)
    with env.factory() as session:
        plan = build_plan(session, TARGET, env.platforms, env.settings)
    account = next(item for item in plan.section(Section.ACCOUNT) if item.platform == "fedi")
    assert "no deletion steps" in account.notes[-1]
    assert any("fedi" in warning for warning in plan.warnings)
    assert [item.url for item in plan.section(Section.POST)][-1] == "https://example.social/p/1"
