"""`tracker demo`'s archive is a normal tracker archive with what the demo promises."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from fixtures.common import Tracker
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from tracker.complaints.queue import overdue_summary
from tracker.complaints.records import get_complaint
from tracker.db.models import Image, Persona, Post
from tracker.db.session import open_database
from tracker.demo import DemoInfo, seed_demo
from tracker.errors import UsageError
from tracker.matching.search import match_reading
from tracker.metadata.reader import read_image
from tracker.support.settings import Settings, load_settings

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def demo(tmp_path: Path) -> tuple[DemoInfo, Settings, sessionmaker[Session]]:
    info = seed_demo(tmp_path / "demo", NOW)
    settings = load_settings(data_dir=str(tmp_path / "demo"), env={})
    return info, settings, open_database(settings)


def _images(factory: sessionmaker[Session]) -> dict[str, Image]:
    """The posted images (the demo also archives one input image, which no post shows)."""
    with factory() as session:
        query = select(Image).where(Image.posts.any()).options(selectinload(Image.techniques))
        return {i.original_name: i for i in session.scalars(query)}


def _codes(image: Image) -> set[str]:
    return {f["code"] for f in image.findings or []}


def test_two_personas_with_posts_on_several_platforms_each_image_hashed_and_archived(
    demo: tuple[DemoInfo, Settings, sessionmaker[Session]],
) -> None:
    info, settings, factory = demo
    assert info.db_path == settings.sqlite_path and info.db_path is not None and info.db_path.is_file()
    assert info.db_url == settings.db_url and info.data_dir == settings.data_dir
    with factory() as session:
        assert sorted(session.scalars(select(Persona.name))) == ["lantern", "moth"] and info.personas == 2
        posts = session.scalars(select(Post)).all()
        assert len(posts) == info.posts == 8
        assert {p.platform for p in posts} == {"pixiv", "x", "bluesky"}
        assert all(p.posted_at is not None and p.posted_at.replace(tzinfo=UTC) < NOW for p in posts)
        personas_per_platform = {(p.platform, p.account.persona.name) for p in posts}
        assert {"moth", "lantern"} <= {name for _, name in personas_per_platform}
    images = _images(factory)
    assert len(images) == 8
    for image in images.values():
        assert len(image.sha256) == 64
        archived = settings.archive_dir / image.archive_path
        assert archived.is_file() and read_image(archived).sha256 == image.sha256
        assert (image.width, image.height) in {(768, 512), (512, 768)}
    assert len({i.phash for i in images.values()}) == 8, "every picture is distinct"


def test_findings_flag_the_bare_image_and_the_artist_prompt_only(
    demo: tuple[DemoInfo, Settings, sessionmaker[Session]],
) -> None:
    images = _images(demo[2])
    assert "NO_METADATA" in _codes(images["nometa.png"])
    assert "ARTIST_NAME" in _codes(images["stairs.png"])
    others = [name for name in images if name not in ("nometa.png", "stairs.png")]
    for name in others:
        assert not {"NO_METADATA", "ARTIST_NAME"} & _codes(images[name]), name
    assert images["market.png"].generator == "novelai"
    assert images["harbour.png"].generator == "a1111" and images["orchard.png"].generator == "forge"


def test_the_reader_finds_generator_model_loras_and_controlnet_in_the_archived_files(
    demo: tuple[DemoInfo, Settings, sessionmaker[Session]],
) -> None:
    _, settings, factory = demo
    images = _images(factory)
    infos = {name: read_image(settings.archive_dir / i.archive_path).info for name, i in images.items()}
    harbour = infos["harbour.png"]
    assert harbour is not None and harbour.generator == "a1111"
    assert harbour.model is not None and (harbour.model.name, harbour.model.hash) == (
        "waiIllustriousSDXL_v160",
        "45a21ea00a",
    )
    assert [(lora.name, lora.hash) for lora in harbour.loras] == [("harbourlight", "0123456789ab")]
    assert harbour.width == 768 and harbour.seed == 1001 and harbour.negative_prompt
    orchard = infos["orchard.png"]
    assert orchard is not None and orchard.generator == "forge"
    assert [lora.name for lora in orchard.loras] == ["harbourlight", "inkwash"]
    assert [(t.kind, t.module, t.model) for t in orchard.techniques] == [
        ("controlnet", "canny", "control_v11p_sd15_canny")
    ]
    assert [t.kind for t in images["orchard.png"].techniques] == ["controlnet"]
    market = infos["market.png"]
    assert market is not None and market.generator == "novelai" and market.seed == 2771863911
    assert infos["nometa.png"] is None


def test_one_overdue_complaint_whose_picture_matches_its_post_first_and_one_recent(
    demo: tuple[DemoInfo, Settings, sessionmaker[Session]],
) -> None:
    info, settings, factory = demo
    with factory() as session:
        summary = overdue_summary(session, NOW)
        assert (summary.overdue, summary.unanswered) == (1, 2)
        overdue = get_complaint(session, info.overdue_complaint)
        recent = get_complaint(session, info.recent_complaint)
        assert overdue.deadline_at is not None and overdue.deadline_at.replace(tzinfo=UTC) < NOW
        assert recent.deadline_at is not None and recent.deadline_at.replace(tzinfo=UTC) > NOW
        assert not overdue.named_posts and len(overdue.images) == 1
        assert overdue.complainant_name and overdue.complainant_contact and overdue.message
        [named] = recent.named_posts
        assert named.post.account.persona.name == "lantern"
        matched = session.get(Post, info.matched_post_id)
        assert matched is not None and matched.url == info.matched_post_url
        assert matched.account.persona.name == "moth"
        their = overdue.images[0]
        their_file = settings.archive_dir / their.archive_path
        assert their.format == "JPEG" and their.width < 768 * 0.7
        unrelated_file = settings.archive_dir / recent.images[0].archive_path
    results = match_reading(factory, settings, read_image(their_file))
    assert results and results[0].image_id == matched.image_id
    assert results[0].candidate.score >= 0.5 and not results[0].identical
    assert [p.id for p in results[0].posts] == [info.matched_post_id]
    unrelated = match_reading(factory, settings, read_image(unrelated_file))
    assert all(r.candidate.score < 0.5 for r in unrelated)


def test_the_demo_is_deterministic_except_for_times(tmp_path: Path) -> None:
    seed_demo(tmp_path / "one", NOW)
    seed_demo(tmp_path / "two")
    hashes = []
    for folder in ("one", "two"):
        factory = open_database(load_settings(data_dir=str(tmp_path / folder), env={}))
        hashes.append(sorted(i.sha256 for i in _images(factory).values()))
    assert hashes[0] == hashes[1]


def test_the_demo_never_writes_into_a_folder_in_use(tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    with pytest.raises(UsageError, match="not empty"):
        seed_demo(tmp_path / "mine", NOW)
    assert [p.name for p in (tmp_path / "mine").iterdir()] == ["notes.txt"]


def test_demo_folder_works_with_the_cli(tmp_path: Path, tracker: Tracker) -> None:
    info = seed_demo(tmp_path / "demo")
    posts = tracker.json("--data-dir", tmp_path / "demo", "posts")
    assert len(posts) == info.posts and {p["persona"] for p in posts} == {"moth", "lantern"}
    assert {p["platform"] for p in posts} == {"pixiv", "x", "bluesky"}
    assert len(tracker.json("--data-dir", tmp_path / "demo", "posts", "--persona", "lantern")) == 3
    status = tracker("--data-dir", tmp_path / "demo", "status", ok=False)
    assert status.exit_code == 1 and "OVERDUE" in status.stdout


def test_demo_command_without_a_terminal_keeps_the_folder_and_says_how_to_open_it(
    tmp_path: Path, tracker: Tracker
) -> None:
    result = tracker("demo", "--keep", tmp_path / "kept")
    assert "complaint #1 overdue" in result.stdout and "tui" in result.stdout
    assert (tmp_path / "kept" / "tracker.db").is_file()
    again = tracker("demo", "--keep", tmp_path / "kept", ok=False)
    assert again.exit_code != 0 and "not empty" in again.stderr


def test_the_demo_records_an_input_and_a_models_creator(demo: tuple[DemoInfo, Settings, sessionmaker[Session]]) -> None:
    from tracker.db.models import ImageInput, Resource

    _, settings, factory = demo
    with factory() as session:
        uses = session.scalars(select(ImageInput)).all()
        assert len(uses) == 1 and uses[0].input_image.original_name == "my-line-sketch.png"
        assert (settings.archive_dir / uses[0].input_image.archive_path).is_file()
        creators = dict(session.execute(select(Resource.name, Resource.creator)).all())
    assert creators["harbourlight"] == "inkbird (demo)"
