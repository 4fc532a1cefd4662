"""`tracker demo`'s archive is a normal tracker archive with what the demo promises."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from conftest import Tracker
from sqlalchemy import select

from tracker.complaints import get_complaint, overdue_summary
from tracker.config import load_settings
from tracker.db.models import Image, Persona, Post
from tracker.db.session import open_database
from tracker.demo import seed_demo
from tracker.matching import match_reading
from tracker.metadata.reader import read_image

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def test_demo_archive_holds_two_personas_findings_and_an_overdue_matching_complaint(tmp_path: Path) -> None:
    info = seed_demo(tmp_path / "demo", NOW)
    settings = load_settings(data_dir=str(tmp_path / "demo"), env={})
    factory = open_database(settings)
    with factory() as session:
        assert sorted(session.scalars(select(Persona.name))) == ["lantern", "moth"]
        posts = session.scalars(select(Post)).all()
        assert len(posts) == info.posts == 8 and {p.platform for p in posts} == {"pixiv", "x", "bluesky"}
        images = session.scalars(select(Image)).all()
        assert all((settings.archive_dir / i.archive_path).is_file() for i in images)
        codes = {i.original_name: {f["code"] for f in i.findings or []} for i in images}
        assert "NO_METADATA" in codes["nometa.png"] and "ARTIST_NAME" in codes["stairs.png"]
        assert "NO_METADATA" not in codes["harbour.png"]
        generators = {i.original_name: i.generator for i in images}
        assert generators["market.png"] == "novelai" and generators["harbour.png"] == "a1111"
        orchard = next(i for i in images if i.original_name == "orchard.png")
        assert [t.kind for t in orchard.techniques] == ["controlnet"]
        summary = overdue_summary(session, NOW)
        assert (summary.overdue, summary.unanswered) == (1, 2)
        overdue = get_complaint(session, info.overdue_complaint)
        recent = get_complaint(session, info.recent_complaint)
        assert not overdue.named_posts and len(recent.named_posts) == 1
        their_file = settings.archive_dir / overdue.images[0].archive_path
    results = match_reading(factory, settings, read_image(their_file))
    assert results and results[0].candidate.score >= 0.5
    assert [p.url for p in results[0].posts] == [info.matched_post_url]


def test_demo_folder_works_with_the_cli(tmp_path: Path, tracker: Tracker) -> None:
    seed_demo(tmp_path / "demo")
    posts = tracker.json("--data-dir", tmp_path / "demo", "posts", "--persona", "lantern")
    assert len(posts) == 3
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
