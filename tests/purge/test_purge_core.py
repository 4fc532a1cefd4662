"""The purge use cases the CLI and the TUI share, called directly on a session factory."""

from __future__ import annotations

import csv
import io
import json
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
from tracker.platforms.urls import Platform, load_platforms, shipped_platforms_path
from tracker.purge.items import PurgeNotReady, Section
from tracker.purge.marks import mark_item, mark_items, purge_runs, run_of, start_or_get_run
from tracker.purge.plan import NO_HELP_PAGE, build_plan, run_status
from tracker.purge.render import md_code, render
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
        assert plan.run_id is None and len(plan.left()) == 19
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
        assert len(plan.left()) == 18
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
    assert len(refused.value.left) == 19
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
    assert len(env.plan(TARGET)) == 22  # nothing of the real personas changed


def test_unknown_platform_accounts_still_get_items(env: Env, tracker: Tracker, tmp_path: Path) -> None:
    image = write_png(tmp_path / "insta.png", {}, image=pixels(seed=901))
    tracker("log", image, "--url", "https://example.social/p/1", "--platform", "fedi", "--persona", TARGET)
    with env.factory() as session:
        plan = build_plan(session, TARGET, env.platforms, env.settings)
    account = next(item for item in plan.section(Section.ACCOUNT) if item.platform == "fedi")
    assert "no deletion steps" in account.notes[-1]
    assert account.help_page is None and account.help_page_note is None  # nothing is known, not even that
    assert any("fedi" in warning for warning in plan.warnings)
    assert [item.url for item in plan.section(Section.POST)][-1] == "https://example.social/p/1"


def test_the_plan_counts_the_personas_images_archived_without_a_post(
    env: Env, tracker: Tracker, tmp_path: Path
) -> None:
    with env.factory() as session:
        before = build_plan(session, TARGET, env.platforms, env.settings)
    assert not any("without a post" in warning for warning in before.warnings)  # every image has its post
    folder = tmp_path / "unposted"
    folder.mkdir()
    for seed in range(3):  # e.g. Misskey notes imported before tracker read their sidecars: live, on no list
        write_png(folder / f"note{seed}.png", {}, image=pixels(seed=950 + seed))
    tracker("import", folder, "--persona", TARGET)
    tracker("import", folder / "note0.png", "--persona", OTHER)  # another persona's copy is not counted twice
    with env.factory() as session:
        plan = build_plan(session, TARGET, env.platforms, env.settings)
        theirs = build_plan(session, OTHER, env.platforms, env.settings)
    [warning] = [w for w in plan.warnings if "without a post" in w]
    assert warning.startswith("3 images of this persona are archived without a post")
    assert "Check where they were posted" in warning and "tracker log FILE --url URL" in warning
    assert not any("without a post" in w for w in theirs.warnings)  # the image stays the first persona's
    assert "3 images of this persona are archived without a post" in tracker("purge", "plan", TARGET).stdout


def test_a_further_page_of_a_post_is_not_counted_as_archived_without_a_post(
    env: Env, tracker: Tracker, tmp_path: Path
) -> None:
    """pixiv's `_p1` is linked to its post (`post_page`): it is on the checklist with the post, not in the warning."""
    folder = tmp_path / "pages"
    folder.mkdir()
    for num in (0, 1):
        page = write_png(folder / f"888_p{num}.png", {}, image=pixels((96, 72), seed=960 + num))
        sidecar = {"category": "pixiv", "id": 888, "num": num, "title": "Pages", "user": {"account": "pages_ai"}}
        page.with_name(page.name + ".json").write_text(json.dumps(sidecar), encoding="utf-8")
    summary = tracker.json("import", folder, "--persona", TARGET)
    assert (summary["new_posts"], summary["more_pages"], summary["archived_without_post"]) == (1, 1, 0)
    with env.factory() as session:
        plan = build_plan(session, TARGET, env.platforms, env.settings)
    assert not any("without a post" in warning for warning in plan.warnings)


def test_plan_cites_each_platforms_own_help_page_or_says_why_not(env: Env) -> None:
    with env.factory() as session:
        plan = build_plan(session, TARGET, env.platforms, env.settings)
    pages = {key: platform.info["help_pages"] for key, platform in env.platforms.items()}
    posts = {item.platform: item for item in plan.section(Section.POST)}
    assert set(posts) == {"pixiv", "x", "bluesky", "misskey"}
    assert posts["bluesky"].help_page == pages["bluesky"]["delete_post"] and posts["bluesky"].help_page_note is None
    assert posts["pixiv"].help_page is None and "pixiv's own help centre" in (posts["pixiv"].help_page_note or "")
    accounts = {item.platform: item for item in plan.section(Section.ACCOUNT)}
    assert accounts["x"].help_page == pages["x"]["delete_account"]
    assert accounts["pixiv"].help_page is None and accounts["pixiv"].help_page_note
    exports = {item.platform: item for item in plan.section(Section.EXPORT)}
    assert exports["bluesky"].help_page == pages["bluesky"]["export"]
    assert exports["x"].help_page is None and "archive" in (exports["x"].help_page_note or "")
    for item in [*posts.values(), *accounts.values(), *exports.values()]:
        assert (item.help_page is None) != (item.help_page_note is None), item.id  # a page, or why there is none
    for item in plan.section(Section.BLOCKER) + plan.section(Section.LOCAL):
        assert item.help_page is None and item.help_page_note is None  # tracker's own steps, no platform's page
    assert plan.platforms_override == str(env.settings.data_dir / "platforms.toml")
    assert plan.platforms_file == str(shipped_platforms_path()) != plan.platforms_override


def test_every_format_shows_the_help_pages_and_where_to_correct_the_steps(env: Env) -> None:
    with env.factory() as session:
        plan = build_plan(session, TARGET, env.platforms, env.settings)
    own = str(env.settings.data_dir / "platforms.toml")
    bluesky = env.platforms["bluesky"].info["help_pages"]
    x_account = env.platforms["x"].info["help_pages"]["delete_account"]

    markdown = render(plan, "md")
    assert f"Steps from Bluesky's help: <{bluesky['delete_post']}>" in markdown
    assert f"    - Steps from X (Twitter)'s help: <{x_account}>" in markdown
    assert "pixiv's own help page for these steps: none was found" in markdown
    group = markdown[markdown.index("### Bluesky") :]
    assert group.index("How to delete one") < group.index("Steps from Bluesky's help") < group.index("- [ ]")
    assert md_code(own) in markdown and "never edit the copy inside the installed tracker package" in markdown

    page = render(plan, "html")
    for url in (bluesky["delete_post"], bluesky["export"], x_account):
        assert f'<a href="{url}" rel="noreferrer noopener">' in page
    assert f"<code>{own}</code>" in page and "installed tracker package" in page

    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(render(plan, "csv")))}
    account = next(item.id for item in plan.section(Section.ACCOUNT) if item.platform == "x")
    assert rows[account]["help_page"] == x_account and own in rows[account]["steps_override"]

    data = json.loads(render(plan, "json"))
    assert data["platforms_override"]["path"] == own and data["platforms_file"] == str(shipped_platforms_path())
    assert {item["help_page"] for item in data["items"]} >= {*bluesky.values(), x_account}


def test_an_own_copy_in_the_data_folder_is_the_one_to_correct(env: Env) -> None:
    text = shipped_platforms_path().read_text(encoding="utf-8")
    start = text.index("help_pages_note = ", text.index("[pixiv]"))
    end = text.index("\n", start)
    own = env.settings.data_dir / "platforms.toml"
    own.write_text(text[:start] + 'help_pages.delete_post = "https://help.example.com/pixiv-delete"' + text[end:])
    platforms = load_platforms(env.settings.reference_file("platforms.toml"))
    with env.factory() as session:
        plan = build_plan(session, TARGET, platforms, env.settings)
    assert plan.platforms_file == plan.platforms_override == str(own)
    pixiv_post = next(item for item in plan.section(Section.POST) if item.platform == "pixiv")
    assert pixiv_post.help_page == "https://help.example.com/pixiv-delete"
    pixiv_account = next(item for item in plan.section(Section.ACCOUNT) if item.platform == "pixiv")
    assert pixiv_account.help_page is None and pixiv_account.help_page_note == NO_HELP_PAGE
    assert f"correct them in your own copy, {md_code(own)}" in render(plan, "md")
