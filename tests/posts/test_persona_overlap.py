"""An image that is already another persona's: logging it again warns, naming that persona.

The owner keeps personas apart; the same picture under two of them links them. `tracker log` still
records the post (a warning, not an error) and says so in text (stderr) and in `--json`
(`other_personas`, `warnings`); `tracker import` gets the same line for each such file from
`posts.personas.other_persona_warnings`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import FORGE_INFOTEXT, pixels, write_png
from sqlalchemy import select

from tracker.db.engine import open_engine
from tracker.db.models import Image, Persona
from tracker.db.session import session_factory
from tracker.support.settings import load_settings

pytestmark = pytest.mark.db

PIXIV = "https://www.pixiv.net/artworks/{}"
WARNING = (
    "tracker: warning: image #1 is also posted under persona 'moth'; "
    "personas are kept apart: check that 'Night Owl' should have it"
)


@pytest.fixture
def forge(tmp_path: Path) -> Path:
    """The reviewer's image (its ControlNet input adds a warning of its own, on the next line)."""
    return write_png(tmp_path / "samples__png__forge.png", {"parameters": FORGE_INFOTEXT})


def warnings(stderr: str) -> list[str]:
    """The persona warnings among a command's stderr lines."""
    return [line for line in stderr.splitlines() if "personas are kept apart" in line]


def test_logging_another_personas_image_warns_and_still_logs(tracker: Tracker, forge: Path) -> None:
    tracker("log", forge, "--url", PIXIV.format(100000001), "--persona", "moth")
    result = tracker("log", forge, "--url", PIXIV.format(100000002), "--persona", "Night Owl")
    assert "already archived (image #1)" in result.stdout and "Logged post #2" in result.stdout
    assert warnings(result.stderr) == [WARNING]
    assert [p["persona"] for p in tracker.json("posts")] == ["Night Owl", "moth"]


def test_the_warning_is_in_the_json_too(tracker: Tracker, forge: Path) -> None:
    tracker("log", forge, "--url", PIXIV.format(100000001), "--persona", "moth")
    result = tracker("log", forge, "--url", PIXIV.format(100000002), "--persona", "Night Owl", "--json")
    data = json.loads(result.stdout)
    assert data["other_personas"] == ["moth"]
    assert data["warnings"] == [WARNING.removeprefix("tracker: warning: ")]
    assert warnings(result.stderr) == [WARNING]


def test_every_other_persona_is_named_and_the_own_one_is_not(tracker: Tracker, forge: Path) -> None:
    tracker("log", forge, "--url", PIXIV.format(100000001), "--persona", "moth")
    tracker("log", forge, "--url", PIXIV.format(100000002), "--persona", "Night Owl")
    again = tracker("log", forge, "--url", "https://x.com/moth_ai/status/1", "--persona", "moth", "--json")
    assert warnings(again.stderr) == [
        "tracker: warning: image #1 is also posted under persona 'Night Owl'; "
        "personas are kept apart: check that 'moth' should have it"
    ]
    third = tracker.json("log", forge, "--url", "https://x.com/lark_ai/status/2", "--persona", "lark")
    assert third["other_personas"] == ["Night Owl", "moth"]
    assert "posted under personas 'Night Owl', 'moth';" in third["warnings"][0]


def test_no_warning_for_the_same_persona_or_a_new_image(tracker: Tracker, forge: Path, tmp_path: Path) -> None:
    first = tracker("log", forge, "--url", PIXIV.format(100000001), "--persona", "moth", "--json")
    second = tracker("log", forge, "--url", "https://x.com/moth_ai/status/1", "--persona", "moth", "--json")
    other = write_png(tmp_path / "b.png", {}, image=pixels(seed=3))
    third = tracker("log", other, "--url", PIXIV.format(100000003), "--persona", "Night Owl", "--json")
    for result in (first, second, third):
        assert warnings(result.stderr) == []
    assert [json.loads(r.stdout)["other_personas"] for r in (first, second, third)] == [[], [], []]


def test_an_image_archived_for_another_persona_without_a_post(tracker: Tracker, tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    pixels(seed=1).save(folder / "art0.png")
    tracker("import", folder, "--persona", "moth")  # archived for moth, no post
    result = tracker("log", folder / "art0.png", "--url", PIXIV.format(100000009), "--persona", "Night Owl")
    assert result.stderr.strip() == (
        "tracker: warning: image #1 is also archived for persona 'moth'; "
        "personas are kept apart: check that 'Night Owl' should have it"
    )


def test_the_importers_warning_names_the_file(tracker: Tracker, forge: Path, isolated_env: Path) -> None:
    from tracker.posts.personas import other_persona_warnings

    tracker("log", forge, "--url", PIXIV.format(100000001), "--persona", "moth")
    engine = open_engine(load_settings())
    try:
        with session_factory(engine)() as session:
            image = session.scalars(select(Image)).one()
            night_owl = Persona(name="Night Owl")
            session.add(night_owl)
            session.flush()
            moth = session.scalars(select(Persona).where(Persona.name == "moth")).one()
            assert other_persona_warnings(session, image, night_owl, "samples__png__forge.png") == [
                "samples__png__forge.png: image #1 is also posted under persona 'moth'; "
                "personas are kept apart: check that 'Night Owl' should have it"
            ]
            assert other_persona_warnings(session, image, moth, "samples__png__forge.png") == []
            assert other_persona_warnings(session, None, night_owl, "new.png") == []
            session.rollback()
    finally:
        engine.dispose()


def test_reimporting_a_folder_for_another_persona_warns_for_each_file(tracker: Tracker, tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    for seed in range(3):
        pixels(seed=seed).save(folder / f"art{seed}.png")
    tracker("import", folder, "--persona", "moth")
    again = json.loads(tracker("import", folder, "--persona", "Night Owl", "--json").stdout)
    assert again["already_done"] == 3
    numbered = sorted(re.sub(r"image #\d+", "image #N", line) for line in again["warnings"])
    assert numbered == [
        f"{folder / f'art{seed}.png'}: image #N is also archived for persona 'moth'; "
        "personas are kept apart: check that 'Night Owl' should have it"
        for seed in range(3)
    ]
