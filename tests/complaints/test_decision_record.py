"""A dispute may not state what the archive's own record contradicts, and a disputed take-down stays down.

The reply to a dispute states facts ("generated from a text prompt only", "not my post"); posts keep
their metadata in public, and a DMCA counter-notice is sworn under penalty of perjury. So `decide`
refuses a reason the record of a post contradicts, in one line naming the post and the fact, unless
the owner decides despite the record (which the audit trail keeps).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import FORGE_INFOTEXT, pixels, write_png
from fixtures.tui import SIZE, candidates_loaded, make_app, screen_lines, settled, wait_for
from sqlalchemy import select
from textual.widgets import Checkbox, Select, Static

from tracker.cli import AppContext
from tracker.db.models import Decision, Event
from tracker.tui.screens.decision import DecisionScreen
from tracker.tui.screens.triage import TriageScreen

pytestmark = pytest.mark.db

CONTROLNET = "https://www.pixiv.net/artworks/501"
TEXT_POST = "https://www.pixiv.net/artworks/502"
ARTIST_POST = "https://x.com/moth_ai/status/1900000000000000003"
TEXT_ONLY = re.sub(r'ControlNet 0: "[^"]*", ', "", FORGE_INFOTEXT)
ARTIST = TEXT_ONLY.replace("1girl, solo,", "1girl, solo, in the style of Misaki Sato,")


@pytest.fixture
def archive(tracker: Tracker, tmp_path: Path) -> Tracker:
    """#1 made with ControlNet canny, #2 from a text prompt alone, #3 with an artist's name in its prompt."""
    for n, (url, text) in enumerate(((CONTROLNET, FORGE_INFOTEXT), (TEXT_POST, TEXT_ONLY), (ARTIST_POST, ARTIST))):
        image = write_png(tmp_path / f"p{n}.png", {"parameters": text}, image=pixels(seed=n + 10))
        tracker("log", image, "--url", url, "--persona", "moth")
    tracker("persona", "set", "moth", "--display-name", "Moth Atelier", "--contact", "moth@example.org")
    return tracker


def _dispute(tracker: Tracker, post: str, reason: str, *extra: str, ok: bool = True, basis: str = "jp") -> str:
    number = tracker.json("complaint", "add", "--post", post, "--basis", basis, "--name", "Sato", "--lang", "en")["id"]
    result = tracker("complaint", "decide", str(number), "--action", "dispute", "--reason", reason, *extra, ok=ok)
    return str(number) if ok else result.stderr


def _one_line_error(stderr: str, *parts: str) -> None:
    assert stderr.startswith("tracker: error: ") and stderr.count("\n") == 1, stderr
    for part in parts:
        assert part in stderr, (part, stderr)


def test_independent_creation_is_refused_for_a_post_made_with_an_image_input(archive: Tracker) -> None:
    stderr = _dispute(archive, CONTROLNET, "independent_creation", ok=False)
    _one_line_error(stderr, "post #1", CONTROLNET, "image input (controlnet canny)", "text prompt only")
    _one_line_error(stderr, "--reason licensed_input", "--despite-record")
    assert archive.json("complaint", "show", "1")["decisions"] == [], "nothing is recorded"


def test_independent_creation_is_refused_for_an_artist_name_in_the_prompt(archive: Tracker) -> None:
    stderr = _dispute(archive, ARTIST_POST, "independent_creation", ok=False)
    _one_line_error(stderr, "post #3", "artist's name in its prompt", "in the style of Misaki Sato")


def test_not_my_post_is_refused_for_a_post_logged_as_yours(archive: Tracker) -> None:
    stderr = _dispute(archive, TEXT_POST, "not_my_post", ok=False)
    _one_line_error(stderr, "post #2", "logged as yours", "persona moth", "not-my-post")


def test_not_my_post_is_refused_when_the_picture_they_sent_is_a_posts_file(archive: Tracker, tmp_path: Path) -> None:
    """No post named, but the picture attached is byte for byte a logged post's image: the letter would tell them it
    matched nothing."""
    from tracker.support.settings import load_settings

    sent = tmp_path / "their-copy.png"
    image = archive.json("show", TEXT_POST)["image"]
    sent.write_bytes((load_settings().archive_dir / image["archive_path"]).read_bytes())
    number = str(archive.json("complaint", "add", "--image", sent, "--name", "Sam Lee", "--lang", "en")["id"])
    stderr = archive("complaint", "decide", number, "--action", "dispute", "--reason", "not_my_post", ok=False).stderr
    _one_line_error(stderr, "their-copy.png", "the very file of your post #2", "not-my-post")
    assert archive.json("complaint", "show", number)["decisions"] == [], "nothing is recorded"


def test_licensed_input_needs_an_input_on_record(archive: Tracker) -> None:
    stderr = _dispute(archive, TEXT_POST, "licensed_input", ok=False)
    _one_line_error(stderr, "no image input is recorded for post #2", "choose another reason")
    _dispute(archive, CONTROLNET, "licensed_input")  # the ControlNet post has one: accepted


def test_what_the_record_supports_is_accepted_and_said(archive: Tracker) -> None:
    number = _dispute(archive, TEXT_POST, "independent_creation")
    text = archive.json("complaint", "reply", number)["text"]
    assert "generated from a text prompt" in text and "without your name or any other artist's name" in text


def test_deciding_despite_the_record_is_audited_and_the_reply_says_less(archive: Tracker) -> None:
    result = archive(
        "complaint", "add", "--post", CONTROLNET, "--post", ARTIST_POST, "--basis", "jp", "--name", "Sato",
        "--lang", "ja",
    )  # fmt: skip
    assert result.exit_code == 0
    decided = archive("complaint", "decide", "1", "--action", "dispute", "--reason", "independent_creation",
                      "--despite-record")  # fmt: skip
    assert "decided despite the record (kept in the audit trail): post #1" in decided.stderr
    assert "Misaki Sato" in decided.stderr
    with AppContext(db=None, data_dir=None).sessions()() as session:
        decision = session.scalars(select(Decision)).one()
        entry = session.scalars(select(Event).where(Event.action == "despite_record")).one()
        assert entry.entity == "decision" and entry.entity_id == decision.id
        assert entry.command == "complaint decide --despite-record"
        assert "controlnet canny" in entry.changes["despite_record"][1]
    text = archive.json("complaint", "reply", "1")["text"]
    assert "テキストのプロンプトのみ" not in text and "作家のお名前" not in text, "only what the record supports"
    assert "ご作品とは無関係に制作したものであり、入力画像として使用したこともございません" in text


def test_a_disputed_take_down_stays_down_until_the_owner_says_it_is_back(archive: Tracker) -> None:
    archive("complaint", "add", "--post", TEXT_POST, "--basis", "dmca", "--name", "Harbor", "--platform", "pixiv")
    archive("complaint", "decide", "1", "--action", "take_down")
    archive("complaint", "confirm", "1")
    decided = archive("complaint", "decide", "1", "--action", "dispute", "--reason", "independent_creation")
    assert "still down #2 https://www.pixiv.net/artworks/502 stays taken down (decision #1)" in decided.stdout
    assert "tracker post set 2 --status live" in decided.stdout
    assert "is live again" not in decided.stdout
    statuses = {p["id"]: p["status"] for p in archive.json("posts")}
    assert statuses[2] == "taken_down", "down on the platform until it acts on the counter-notice"
    archive("post", "set", "2", "--status", "live")
    assert {p["id"]: p["status"] for p in archive.json("posts")}[2] == "live"


def test_a_counter_notice_warns_that_it_reveals_who_you_are(archive: Tracker, tmp_path: Path) -> None:
    archive("complaint", "add", "--post", TEXT_POST, "--basis", "dmca", "--name", "Harbor", "--platform", "pixiv")
    archive("complaint", "decide", "1", "--action", "take_down")
    archive("complaint", "confirm", "1")
    decided = archive("complaint", "decide", "1", "--action", "dispute", "--reason", "independent_creation")
    assert "forwards it to the complainant" in decided.stderr and "let the post stay down" in decided.stderr
    shown = archive("complaint", "reply", "1", "--out", tmp_path / "counter.txt")
    warning = shown.stderr.index("PRIVACY")
    assert warning < shown.stderr.index("fill in before sending"), "before the list of what to fill in"
    assert "appeal" in shown.stderr
    text = (tmp_path / "counter.txt").read_text(encoding="utf-8")
    assert "PRIVACY" not in text and "forwards" not in text, "the warning is for the owner, not the letter"
    draft = archive.json("complaint", "reply", "1")
    assert draft["warnings"] and "legal name" in draft["warnings"][0]


def test_no_warning_for_a_letter_that_reveals_nothing(archive: Tracker) -> None:
    number = _dispute(archive, TEXT_POST, "slight_resemblance", basis="dmca")
    assert archive.json("complaint", "reply", number)["warnings"] == []


async def test_the_tui_form_shows_the_refusal_and_offers_the_override(archive: Tracker) -> None:
    archive("complaint", "add", "--post", CONTROLNET, "--basis", "jp", "--name", "Sato")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: candidates_loaded(app))
        await pilot.press("d")
        form = app.screen
        assert isinstance(form, DecisionScreen)
        await pilot.click("#action-dispute")
        form.query_one("#reason", Select).value = "independent_creation"
        await pilot.click("#save")
        await pilot.pause()
        assert app.screen is form, "refused: the form stays open with what was typed"
        error = str(form.query_one("#decision-error", Static).render())
        assert "post #1" in error and "controlnet canny" in error
        form.query_one("#despite-record", Checkbox).value = True
        await pilot.press("ctrl+s")
        await settled(pilot)
        assert isinstance(app.screen, TriageScreen), str(form.query_one("#decision-error", Static).render())
    with AppContext(db=None, data_dir=None).sessions()() as session:
        assert session.scalars(select(Decision)).one().reason is not None
        assert session.scalars(select(Event).where(Event.action == "despite_record")).one()


def test_several_reasons_are_refused_in_one_line_naming_the_one_reason_rule(archive: Tracker) -> None:
    """Only the last `--reason` was kept, and the letter argued it alone: refused, nothing recorded."""
    many = ("--reason", "independent_creation", "--reason", "small_part")
    stderr = _dispute(archive, TEXT_POST, "slight_resemblance", *many, ok=False)
    _one_line_error(stderr, "one reason", "slight_resemblance, independent_creation, small_part", "--reply-note")
    assert archive.json("complaint", "show", "1")["decisions"] == [], "nothing is recorded"
    _dispute(archive, TEXT_POST, "small_part", "--reason", "small_part")  # the same one twice is one reason
    assert archive.json("complaint", "show", "2")["decisions"][0]["reason"] == "small_part"


BOTH_POST = "https://www.pixiv.net/artworks/504"
BOTH = FORGE_INFOTEXT.replace("1girl, solo,", "1girl, solo, in the style of Misaki Sato,")
"""Made with ControlNet canny, and an artist's name in its prompt: two facts an independent creation denies."""


def _both(archive: Tracker, tmp_path: Path) -> str:
    image = write_png(tmp_path / "both.png", {"parameters": BOTH}, image=pixels(seed=40))
    archive("log", image, "--url", BOTH_POST, "--persona", "moth")
    return str(archive.json("complaint", "add", "--post", BOTH_POST, "--basis", "jp", "--name", "Sato")["id"])


def test_every_contradiction_is_said_not_the_first_and_a_count(archive: Tracker, tmp_path: Path) -> None:
    """The image input and the artist's name both: "(and 1 more)" hid the name until after deciding despite it."""
    number = _both(archive, tmp_path)
    decided = ("complaint", "decide", number, "--action", "dispute", "--reason", "independent_creation")
    stderr = archive(*decided, ok=False).stderr
    _one_line_error(stderr, "the record contradicts this dispute: (1) post #4", "image input (controlnet canny)")
    _one_line_error(stderr, "(2) it has an artist's name in its prompt", "in the style of Misaki Sato")
    _one_line_error(stderr, "--reason licensed_input", "choose another reason or take it down")
    assert "more)" not in stderr and stderr.count("--despite-record") == 1, stderr
    two = archive(  # two posts, one fact each
        "complaint", "add", "--post", CONTROLNET, "--post", ARTIST_POST, "--basis", "jp", "--name", "Sato"
    )  # fmt: skip
    assert two.exit_code == 0
    stderr = archive("complaint", "decide", str(int(number) + 1), "--action", "dispute", "--reason",
                     "independent_creation", ok=False).stderr  # fmt: skip
    _one_line_error(stderr, "(1) post #1", "(2) post #3", "Misaki Sato")


async def test_the_tui_form_shows_every_contradiction_at_80_columns(archive: Tracker, tmp_path: Path) -> None:
    _both(archive, tmp_path)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: candidates_loaded(app))
        await pilot.press("d")
        form = app.screen
        assert isinstance(form, DecisionScreen)
        await pilot.click("#action-dispute")
        form.query_one("#reason", Select).value = "independent_creation"
        await pilot.click("#save")
        await pilot.pause()
        error = form.query_one("#decision-error", Static)
        said = str(error.render())
        assert "controlnet canny" in said and "Misaki Sato" in said and "more)" not in said
        assert '"Decide despite the record"' in said and "--" not in said, "in the form's words"
        shown = " ".join(" ".join(line.strip(" █") for line in screen_lines(app)).split())
        assert "(1) post #4 was made with an image input (controlnet canny)" in shown, shown
        assert "(2) it has an artist's name in its prompt ('in the style of Misaki Sato')" in shown, shown
        last_words = " ".join(said.split()[-4:])
        assert last_words in shown, f"the refusal's end ({last_words!r}) is cut off by its height"
