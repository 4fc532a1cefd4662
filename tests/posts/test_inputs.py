"""Input images: recorded per technique, listed, warned about, and matched against complaints."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fixtures.common import Tracker, query
from fixtures.drawings import drawing
from fixtures.imagefactory import FORGE_INFOTEXT, write_png
from fixtures.purgeworld import database_bytes

from tracker.cli import AppContext, cli
from tracker.complaints.complaint_input import ComplaintInput
from tracker.complaints.intake import add_complaint
from tracker.complaints.records import get_complaint
from tracker.complaints.triage import triage

pytestmark = pytest.mark.db

URL = "https://www.pixiv.net/artworks/700000001"
TWO_UNITS = FORGE_INFOTEXT.replace(
    ", Version:",
    ', ControlNet 1: "Module: ip-adapter_clip_sd15, Model: ip-adapter_sd15 [6a3f6166], Weight: 0.5", Version:',
)


@pytest.fixture
def posted(tracker: Tracker, tmp_path: Path) -> Path:
    """A post made with ControlNet (canny), its picture unlike anything else here."""
    image = write_png(tmp_path / "made-with-controlnet.png", {"parameters": FORGE_INFOTEXT}, image=drawing(1))
    tracker("log", image, "--url", URL, "--persona", "moth")
    return image


def test_a_complaint_about_an_input_finds_the_post_first(posted: Path, tracker: Tracker, tmp_path: Path) -> None:
    """The acceptance case: the complaint image is a resized copy of the input, not of the post."""
    the_input = tmp_path / "pose-reference.png"
    drawing(7).save(the_input)
    tracker("input", "add", URL, the_input, "--kind", "licensed", "--licence", "CC BY 4.0, https://example.org/x")
    # Other posts, one of them a little like the complaint image, must not outrank it.
    for n in (2, 3):
        other = tmp_path / f"other{n}.png"
        drawing(n).save(other)
        tracker("log", other, "--url", f"https://www.pixiv.net/artworks/70000000{n + 1}", "--persona", "moth")

    theirs = tmp_path / "their-artwork.jpg"
    drawing(7).resize((drawing(7).width // 2, drawing(7).height // 2)).save(theirs, quality=80)
    context = AppContext(db=None, data_dir=None)
    factory, settings, platforms = context.sessions(), context.settings, context.platforms()
    number = add_complaint(factory, settings, ComplaintInput(received_at=datetime.now(UTC), images=[theirs]), platforms)
    with factory() as session:
        complaint = get_complaint(session, number)
        result = triage(factory, settings, complaint)
    first = result.candidates[0]
    assert first.kind == "input" and first.label == "input of post #1" and first.original_name == "pose-reference.png"
    assert [p.url for p in first.posts] == [URL]
    assert [(u.technique, u.kind) for u in first.input_of] == [("controlnet", "licensed")]

    matched = tracker.json("match", theirs)
    assert matched[0]["input_of"][0]["posts"] == [1] and matched[0]["posts"] == []
    assert "used as controlnet input of image #1 (posts #1)" in tracker("match", theirs).stdout


def test_inputs_are_listed_per_technique(tracker: Tracker, tmp_path: Path) -> None:
    image = write_png(tmp_path / "two-units.png", {"parameters": TWO_UNITS}, image=drawing(4))
    tracker("log", image, "--url", URL, "--persona", "moth")
    out = tracker("inputs", URL).stdout
    assert "2 image-input techniques, 2 without a recorded input" in out
    assert "tracker input add" in out and "--technique 2" in out

    # Two techniques: the command must be told which.
    skeleton = tmp_path / "skeleton.png"
    drawing(5).save(skeleton)
    unclear = tracker("input", "add", URL, skeleton, "--kind", "generic", ok=False)
    assert unclear.exit_code != 0 and "say which with --technique N" in unclear.stderr
    tracker("input", "add", URL, skeleton, "--technique", "1", "--kind", "generic", "--note", "blank pose")
    data = tracker.json("inputs", URL)
    first, second = data["techniques"]
    assert [u["file"] for u in first["inputs"]] == ["skeleton.png"] and first["inputs"][0]["note"] == "blank pose"
    assert second["inputs"] == []
    assert Path(first["inputs"][0]["archive_file"]).is_file()

    again = tracker("input", "add", URL, skeleton, "--technique", "1", "--kind", "generic", ok=False)
    assert again.exit_code != 0 and "already recorded" in again.stderr
    licensed = tracker("input", "add", URL, skeleton, "--technique", "2", "--kind", "licensed", ok=False)
    assert licensed.exit_code != 0 and "--licence" in licensed.stderr
    itself = tracker("input", "add", URL, image, "--technique", "2", "--kind", "own_generation", ok=False)
    assert itself.exit_code != 0 and "the generated image itself" in itself.stderr
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    bad = tracker("input", "add", URL, broken, "--technique", "2", "--kind", "own_asset", ok=False)
    assert bad.exit_code != 0 and len(bad.stderr.strip().splitlines()) == 1
    assert len(tracker.json("inputs", URL)["techniques"][1]["inputs"]) == 0


def test_an_image_without_techniques_takes_no_input(tracker: Tracker, tmp_path: Path) -> None:
    plain = tmp_path / "plain.png"
    drawing(6).save(plain)
    tracker("log", plain, "--url", URL, "--persona", "moth")
    assert "no image-input technique" in tracker("inputs", URL).stdout
    other = tmp_path / "x.png"
    drawing(8).save(other)
    refused = tracker("input", "add", URL, other, "--kind", "own_asset", ok=False)
    assert refused.exit_code != 0 and "no image-input technique" in refused.stderr
    assert json.loads(tracker("inputs", URL, "--json").stdout)["techniques"] == []


@pytest.mark.sqlite_only  # reads the SQLite file's bytes after the scrub
def test_a_scrub_takes_the_personas_inputs_and_leaves_the_others(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    shared, own = tmp_path / "shared-asset.png", tmp_path / "moth-only.png"
    drawing(20).save(shared)
    drawing(21).save(own)
    for n, (persona, extra) in enumerate([("nightmoth", own), ("lanternfish", None)]):
        image = write_png(tmp_path / f"{persona}.png", {"parameters": FORGE_INFOTEXT}, image=drawing(30 + n))
        url = f"https://www.pixiv.net/artworks/71000000{n}"
        tracker("log", image, "--url", url, "--persona", persona)
        tracker("input", "add", url, shared, "--kind", "licensed", "--licence", f"licence-of-{persona}")
        if extra is not None:
            other = write_png(tmp_path / "second.png", {"parameters": TWO_UNITS}, image=drawing(40))
            tracker("log", other, "--url", "https://www.pixiv.net/artworks/719999999", "--persona", persona)
            tracker(
                "input",
                "add",
                "https://www.pixiv.net/artworks/719999999",
                extra,
                "--technique",
                "2",
                "--kind",
                "own_asset",
            )
    tracker("purge", "plan", "nightmoth")
    tracker("purge", "mark", "*", "done", "--persona", "nightmoth")
    tracker("purge", "mark", "local:backups", "skipped", "--reason", "none", "--persona", "nightmoth")
    result = tracker.runner.invoke(cli, ["purge", "scrub", "nightmoth"], input="nightmoth\n")
    assert result.exit_code == 0, result.output
    assert "recorded input" in result.stdout
    theirs = tracker.json("inputs", "https://www.pixiv.net/artworks/710000001")["techniques"][0]["inputs"]
    # nightmoth recorded the shared file first; the name stays because lanternfish recorded it under that name too
    assert [(u["file"], u["licence"]) for u in theirs] == [("shared-asset.png", "licence-of-lanternfish")]
    assert Path(theirs[0]["archive_file"]).is_file()  # the shared input stays for the other persona
    archived = {p.name.split(".")[0] for p in (isolated_env / "archive").rglob("*.png")}
    kept = {sha for (sha,) in query(isolated_env, "select sha256 from image")}
    assert archived == kept and len(kept) == 2  # lanternfish's post and the shared input
    assert b"licence-of-nightmoth" not in database_bytes(isolated_env)


async def test_the_triage_screen_shows_the_input_hit_first(posted: Path, tracker: Tracker, tmp_path: Path) -> None:
    from fixtures.tui import candidates_loaded, make_app, wait_for
    from textual.widgets import DataTable, Static

    the_input = tmp_path / "pose-reference.png"
    drawing(7).save(the_input)
    tracker("input", "add", URL, the_input, "--kind", "commissioned", "--licence", "contract 2026-03")
    theirs = tmp_path / "their-artwork.png"
    drawing(7).resize((400, 300)).save(theirs)
    context = AppContext(db=None, data_dir=None)
    add_complaint(
        context.sessions(),
        context.settings,
        ComplaintInput(received_at=datetime.now(UTC), images=[theirs]),
        context.platforms(),
    )
    app = make_app()
    async with app.run_test(size=(140, 48)) as pilot:
        await pilot.press("enter")
        await wait_for(pilot, lambda: candidates_loaded(app))
        table = app.screen.query_one("#candidates", DataTable)
        first = [str(cell) for cell in table.get_row_at(0)]
        assert "input of post #1" in first and "recorded input image" not in first  # the post is live: its status
        assert "live" in first
        await wait_for(pilot, lambda: "Recorded inputs" in str(app.screen.query_one("#facts-text", Static).content))
        facts = str(app.screen.query_one("#facts-text", Static).content)
        assert "pose-reference.png — commissioned, with the rights; licence: contract 2026-03" in facts
        assert "recorded as the controlnet input (commissioned) of image #1, posted as #1" in facts
        assert "file: pose-reference.png" in facts and URL in facts
