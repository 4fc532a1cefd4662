"""The New complaint form reads what arrived (Ctrl+R), at 80x24, as `tracker complaint add --from` does.

A Japanese complaint due tomorrow, over SSH: the owner names the saved message (or pastes it) and the
form fills in the sender, contact, date, legal basis, the posts it names, the deadline it asks for
and its attached images; what the owner typed is kept; a file that cannot be read is one line under
its field; the file's text is never markup or a terminal escape. Saved, the complaint is the one
`complaint add --from` logs from the same file. Each test reads what the form holds or draws.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing
from fixtures.tui import make_app, open_intake_form, screen_lines, settled, wait_for
from textual.widgets import Button, Input, Select, SelectionList, Static, TextArea
from textual.widgets._footer import FooterKey

from tracker.tui.app import TrackerApp
from tracker.tui.screens.intake import IntakeScreen
from tracker.tui.screens.triage import TriageScreen

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("tokyo_time")]  # local time is Japan's (tests/conftest.py)

SMALL = (80, 24)
NOW = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)
"""10:00 on 3 December in Tokyo."""


def url(n: int) -> str:
    return f"https://www.pixiv.net/artworks/{131000000 + n}"


WORK_URL = "https://example.jp/works/harbour"

JAPANESE = f"""日時: 2026-12-03 09:30 JST
連絡先: misaki@example.jp
件名: 著作権侵害による削除のお願い

突然のご連絡失礼いたします。イラストレーターの佐藤美咲と申します。
貴殿が投稿された {url(1)} は、私の作品 {WORK_URL} を無断で複製したものです。
12月4日までに削除してください。

佐藤美咲
"""
"""A complaint pasted from a platform's form: it names post #2 (url(1)) and asks for action by 4 December."""


@pytest.fixture
def posted(tracker: Tracker, tmp_path: Path) -> Tracker:
    """Posts #1-#3, distinct drawings of persona moth."""
    for n in range(3):
        path = tmp_path / f"scene{n}.png"
        drawing(n).save(path)
        tracker("log", path, "--url", url(n), "--persona", "moth")
    return tracker


def notifications(app: TrackerApp) -> list[str]:
    return [n.message for n in app._notifications]


def read_said(form: IntakeScreen) -> str:
    """What a read says it found, under the file's field (said there only: a toast would cover the form)."""
    return str(form.query_one("#from-file-status", Static).render())


def value(form: IntakeScreen, widget_id: str) -> str:
    return form.query_one(f"#{widget_id}", Input).value


async def read(form: IntakeScreen, pilot: Any, path: Path | None) -> None:
    """Name the file (None: none, the pasted message is read) and press Ctrl+R, as the owner would."""
    form.query_one("#from-file", Input).value = "" if path is None else str(path)
    await pilot.press("ctrl+r")
    await settled(pilot)


async def save(app: TrackerApp, pilot: Any) -> None:
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: isinstance(app.screen, TriageScreen))
    await settled(pilot)


COMPARED = (
    "received_at",
    "channel",
    "legal_basis",
    "complainant_name",
    "complainant_org",
    "complainant_role",
    "complainant_contact",
    "claimed_title",
    "claimed_urls",
    "message",
    "sent_utc_offset",
    "deadline_at",
    "completeness",
    "language",
    "persona",
)


def as_logged(shown: dict[str, Any]) -> dict[str, Any]:
    """What a logged complaint holds, without what differs between two loggings (number, times logged)."""
    kept = {key: shown[key] for key in COMPARED if key in shown}
    kept["posts"] = [post["id"] for post in shown["posts"]]
    kept["images"] = [(i["sha256"], i["original_name"], i["format"], i["size_bytes"]) for i in shown["images"]]
    return kept


def same_as_cli(tracker: Tracker, path: Path) -> None:
    """Complaint #1 (saved by the form) holds what `complaint add --from` logs from the same file."""
    by_form = tracker.json("complaint", "show", "1")
    by_cli = tracker.json("complaint", "add", "--from", str(path), "--duplicate")
    assert by_cli["id"] != by_form["id"]
    assert as_logged(by_form) == as_logged(by_cli)


@pytest.mark.parametrize("encoding", ["utf-8", "shift_jis"])
async def test_a_japanese_message_fills_the_form_and_saves_as_complaint_add_from(
    posted: Tracker, tmp_path: Path, encoding: str
) -> None:
    path = tmp_path / "complaint.txt"
    path.write_bytes(JAPANESE.encode(encoding))
    app = make_app(NOW)
    async with app.run_test(size=SMALL) as pilot:
        form = await open_intake_form(app, pilot)
        await read(form, pilot, path)
        assert value(form, "name") == "佐藤美咲"
        assert value(form, "contact") == "misaki@example.jp"
        assert value(form, "posts") == url(1), "the logged post's URL is a post the complaint names"
        assert value(form, "work-urls") == WORK_URL, "any other URL is where their work is"
        assert value(form, "deadline") == "2026-12-04", "12月4日まで"
        assert value(form, "received") == "2026-12-03T09:30:00+09:00"
        assert form.query_one("#basis", Select).value == "jp"
        assert "right" in form.query_one("#elements", SelectionList).selected, "無断で: the right is named"
        assert "12月4日までに削除してください。" in form.query_one("#message", TextArea).text
        said = read_said(form)
        assert said.startswith("Read from complaint.txt: "), said
        for words in ("name", "contact", "1 post", "1 work URL", "deadline 2026-12-04", "legal basis", "message"):
            assert words in said, (words, said)
        assert not [n for n in notifications(app) if n.startswith("Read from")], "no toast over the form repeats it"
        await save(app, pilot)
        assert "Complaint #1 logged: answer by 2026-12-04." in notifications(app)
    same_as_cli(posted, path)


async def test_the_message_pasted_into_the_form_is_read_when_no_file_is_named(posted: Tracker) -> None:
    app = make_app(NOW)
    async with app.run_test(size=SMALL) as pilot:
        form = await open_intake_form(app, pilot)
        form.query_one("#message", TextArea).text = JAPANESE
        await read(form, pilot, None)
        assert value(form, "name") == "佐藤美咲" and value(form, "contact") == "misaki@example.jp"
        assert value(form, "posts") == url(1) and value(form, "deadline") == "2026-12-04"
        assert form.query_one("#message", TextArea).text == JAPANESE, "what was pasted stays as it was"
        assert read_said(form).startswith("Read from the pasted message: ")
        await save(app, pilot)
    shown = posted.json("complaint", "show", "1")
    assert shown["complainant_name"] == "佐藤美咲" and [p["id"] for p in shown["posts"]] == [2]
    assert shown["legal_basis"] == "jp" and shown["deadline_at"].startswith("2026-12-04T14:59:59")


def png_bytes() -> bytes:
    out = io.BytesIO()
    drawing(7).save(out, format="PNG")
    return out.getvalue()


def write_eml(path: Path) -> Path:
    mail = EmailMessage()
    mail["From"] = "Misaki Sato <misaki@example.jp>"
    mail["To"] = "moth@example.org"
    mail["Subject"] = "DMCA takedown notice"
    mail["Date"] = "Thu, 03 Dec 2026 09:30:00 +0900"
    mail["Message-ID"] = "<notice-1@example.jp>"
    mail.set_content(f"Your post {url(2)} copies my work {WORK_URL}.\nPlease remove it.\n\nMisaki Sato\n")
    mail.add_attachment(png_bytes(), maintype="image", subtype="png", filename="their-work.png")
    path.write_bytes(mail.as_bytes())
    return path


async def test_an_eml_fills_its_attached_image_which_is_archived_as_the_cli_archives_it(
    posted: Tracker, tmp_path: Path
) -> None:
    path = write_eml(tmp_path / "complaint.eml")
    app = make_app(NOW)
    async with app.run_test(size=SMALL) as pilot:
        form = await open_intake_form(app, pilot)
        await read(form, pilot, path)
        image = Path(value(form, "images"))
        assert image.name == "their-work.png" and image.read_bytes() == png_bytes()
        assert (image.parent.stat().st_mode & 0o077) == 0, "the scratch folder is private"
        assert form.query_one("#channel", Select).value == "email"
        assert form.query_one("#basis", Select).value == "dmca"
        assert value(form, "name") == "Misaki Sato" and value(form, "contact") == "misaki@example.jp"
        assert value(form, "posts") == url(2)
        said = read_said(form)
        assert said.startswith("Read from complaint.eml: ") and "1 image" in said, said
        await save(app, pilot)
    assert not image.exists(), "the scratch copy goes with the form"
    shown = posted.json("complaint", "show", "1")
    assert [(i["original_name"], i["format"]) for i in shown["images"]] == [("their-work.png", "PNG")]
    same_as_cli(posted, path)


async def test_fields_the_owner_typed_are_kept(posted: Tracker, tmp_path: Path) -> None:
    path = tmp_path / "complaint.txt"
    path.write_text(JAPANESE, encoding="utf-8")
    app = make_app(NOW)
    async with app.run_test(size=SMALL) as pilot:
        form = await open_intake_form(app, pilot)
        typed = {"name": "Sato M.", "posts": "#1", "deadline": "2026-12-10"}
        for widget_id, text in typed.items():
            form.query_one(f"#{widget_id}", Input).value = text
        form.query_one("#basis", Select).value = "dmca"
        await pilot.pause()
        await read(form, pilot, path)
        assert {widget_id: value(form, widget_id) for widget_id in typed} == typed
        assert form.query_one("#basis", Select).value == "dmca"
        assert value(form, "contact") == "misaki@example.jp", "what was empty is filled"
        said = read_said(form)
        assert "Kept what you typed: " in said and "name" in said.split("Kept what you typed: ")[1], said
        await read(form, pilot, path)  # read again: nothing it filled is overwritten either
        assert value(form, "contact") == "misaki@example.jp" and value(form, "name") == "Sato M."
        await save(app, pilot)
    shown = posted.json("complaint", "show", "1")
    assert shown["complainant_name"] == "Sato M." and [p["id"] for p in shown["posts"]] == [1]
    assert shown["legal_basis"] == "dmca" and shown["deadline_at"].startswith("2026-12-10")
    assert shown["complainant_contact"] == "misaki@example.jp"


ENGLISH = f"""Date: 2026-12-03 09:30 JST
Name: Misaki Sato
Email: misaki@example.jp

I am writing under the Digital Services Act about {url(1)}, which copies my work {WORK_URL}.
I have a good faith belief that use of the material in the manner complained of is not authorized
by the copyright owner, its agent, or the law. The information in this notification is accurate,
and under penalty of perjury, I am authorized to act on behalf of the owner.

/s/ Misaki Sato
"""
"""A DSA notice that states what a DMCA notice must (good faith, accuracy, a signature)."""


async def test_another_basis_chosen_after_reading_ticks_what_the_message_states_for_it(
    posted: Tracker, tmp_path: Path
) -> None:
    path = tmp_path / "notice.txt"
    path.write_text(ENGLISH, encoding="utf-8")
    app = make_app(NOW)
    async with app.run_test(size=SMALL) as pilot:
        form = await open_intake_form(app, pilot)
        await read(form, pilot, path)
        assert form.query_one("#basis", Select).value == "dsa"
        form.query_one("#basis", Select).value = "dmca"  # the owner knows better
        await pilot.pause()
        assert form.query_one("#elements", SelectionList).selected, "what the notice states for the DMCA is ticked"
        await save(app, pilot)
    by_form = posted.json("complaint", "show", "1")
    by_cli = posted.json("complaint", "add", "--from", str(path), "--basis", "dmca", "--duplicate")
    assert by_form["legal_basis"] == "dmca" and as_logged(by_form) == as_logged(by_cli)
    assert any(by_form["completeness"].values())


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("missing.eml", None, "no such file"),
        ("photo.eml", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "not a text file or a saved e-mail"),
        ("empty.txt", b"\n\n", "the file is empty"),
    ],
    ids=["missing", "binary", "empty"],
)
async def test_a_file_that_cannot_be_read_is_one_line_under_its_field_and_nothing_is_saved(
    posted: Tracker, tmp_path: Path, name: str, content: bytes | None, words: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    app = make_app(NOW)
    async with app.run_test(size=SMALL) as pilot:
        form = await open_intake_form(app, pilot)
        await read(form, pilot, path)
        error = form.field_error("from-file")
        text = str(error.render())
        assert error.display and words in text and text.startswith("Not read: "), text
        assert "\n" not in text and "Traceback" not in text
        assert any(words in line for line in screen_lines(app)), "drawn under the field, in view"
        assert app.screen is form and value(form, "name") == "" and value(form, "received") == "now"
        assert words in notifications(app)[-1]
        assert not form.query_one("#read", Button).disabled, "the owner can try another file"
    assert posted.json("complaint", "list") == []


async def test_read_with_nothing_to_read_says_what_to_give(posted: Tracker) -> None:
    app = make_app(NOW)
    async with app.run_test(size=SMALL) as pilot:
        form = await open_intake_form(app, pilot)
        await read(form, pilot, None)
        assert "paste the message below" in str(form.field_error("from-file").render())
        assert app.screen is form
    assert posted.json("complaint", "list") == []


HOSTILE_NAME = "[bold red]Evil[/] \x1b[31mRed\x1b]0;pwned\x07"
HOSTILE = f"""日時: 2026-12-03 09:30 JST
名前: {HOSTILE_NAME}
連絡先: evil@example.jp

[link=https://evil.example]click[/link] \x1b[2J著作権侵害です。 {url(1)}
"""


async def test_markup_and_escapes_in_the_message_show_literally_and_are_kept_as_read(
    posted: Tracker, tmp_path: Path
) -> None:
    path = tmp_path / "[red]notice[bold].txt"
    path.write_text(HOSTILE, encoding="utf-8")
    app = make_app(NOW)
    async with app.run_test(size=SMALL) as pilot:
        form = await open_intake_form(app, pilot)
        await read(form, pilot, path)
        assert value(form, "name") == "Evil Red", "markup tags and escape sequences are no part of a name read"
        assert "\x1b" not in form.query_one("#message", TextArea).text
        assert "[link=https://evil.example]click[/link] \\x1b[2J" in form.query_one("#message", TextArea).text
        said = read_said(form)
        assert said.startswith("Read from [red]notice[bold].txt: "), said
        assert str(form.query_one("#from-file-status", Static).render()) == said
        lines = screen_lines(app)
        assert any("Read from [red]notice[bold].txt" in line for line in lines), "the file's name as it is, not bold"
        form.query_one("#name", Input).scroll_visible(animate=False)
        await pilot.pause()
        lines = screen_lines(app)
        assert any("Evil Red" in line for line in lines), lines
        assert not any("\x1b" in line or "\x07" in line for line in lines)
        await save(app, pilot)
    shown = posted.json("complaint", "show", "1")
    assert shown["complainant_name"] == "Evil Red", "saved as read, as the CLI saves it"
    assert "\x1b[2J" in shown["message"]
    same_as_cli(posted, path)


async def test_the_read_field_and_key_fit_80x24_without_pushing_the_footer_off() -> None:
    app = make_app(NOW)
    async with app.run_test(size=SMALL) as pilot:
        form = await open_intake_form(app, pilot)
        field, button = form.query_one("#from-file", Input), form.query_one("#read", Button)
        for widget in (field, button):
            assert 0 < widget.region.y and widget.region.bottom <= 23, f"#{widget.id} is in view on opening"
        assert field.region.width >= 60 and button.region.right <= 80
        last = screen_lines(app)[-1]
        shown = {key.key_display: key.description for key in form.query(FooterKey)}
        assert {"esc", "^r", "^s"} <= set(shown), shown
        for key in form.query(FooterKey):
            assert f"{key.key_display} {key.description}" in last, f"cut from the footer: {last!r}"
        assert app.focused is form.query_one("#from-file", Input), "typing starts in the first field: what arrived"


TODAY_JA = "はじめまして。私のイラストを無断で使用されています。\n本日中に削除してください。\n"
"""A message in Japanese asking for removal today: on Japan's clock unless the owner types the sender's zone."""


async def test_a_zone_typed_with_the_arrival_is_the_senders_clock_as_complaint_add_reads_it(posted: Tracker) -> None:
    """Received at 11:00 in New York (-05:00): 本日中に ends with 4 December there, and the letter is dated then,
    not on Japan's clock (the message's language) as the form read it before; the same as `--received` gives."""
    typed = "2026-12-04T11:00:00-05:00"
    app = make_app(datetime(2026, 12, 4, 17, 0, tzinfo=UTC))
    async with app.run_test(size=SMALL) as pilot:
        form = await open_intake_form(app, pilot)
        form.query_one("#received", Input).value = typed
        form.query_one("#message", TextArea).text = TODAY_JA
        await read(form, pilot, None)
        await save(app, pilot)
    by_form = posted.json("complaint", "show", "1")
    assert by_form["deadline_at"] == "2026-12-05T04:59:59+00:00", "the end of 4 December in New York"
    assert by_form["sent_utc_offset"] == -300
    by_cli = posted.json("complaint", "add", "--message", TODAY_JA, "--received", typed, "--duplicate")
    assert (by_cli["deadline_at"], by_cli["sent_utc_offset"]) == (by_form["deadline_at"], -300)


async def test_a_zone_typed_with_no_message_read_dates_the_letter_on_the_senders_day(posted: Tracker) -> None:
    """Nothing read (the message only pasted): the letter still thanks them for their message of 4 December,
    their day, although it was already 5 December in Japan (the owner's local day here)."""
    app = make_app(datetime(2026, 12, 4, 17, 0, tzinfo=UTC))
    async with app.run_test(size=SMALL) as pilot:
        form = await open_intake_form(app, pilot)
        form.query_one("#received", Input).value = "2026-12-04T11:00:00-05:00"
        form.query_one("#name", Input).value = "Sato Misaki"
        form.query_one("#posts", Input).value = url(1)
        form.query_one("#message", TextArea).text = TODAY_JA
        await save(app, pilot)
    assert posted.json("complaint", "show", "1")["sent_utc_offset"] == -300
    posted("complaint", "decide", "1", "--action", "ask_info")
    assert "2026年12月4日にご作品に関するご連絡をいただき" in posted.json("complaint", "reply", "1")["text"]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("2026-12-05", "2026-12-06T04:59:59+00:00"), ("明日", "2026-12-06T04:59:59+00:00")],
)
async def test_a_day_typed_in_the_deadline_field_ends_on_the_senders_clock(
    posted: Tracker, typed: str, expected: str
) -> None:
    """Received at 11:00 in New York (-05:00), at 02:00 on 5 December in Japan (the owner's local day): 2026-12-05,
    and 明日 counted from the sender's 4 December, are the end of 5 December in New York, as the CLI reads them."""
    app = make_app(datetime(2026, 12, 4, 17, 0, tzinfo=UTC))
    async with app.run_test(size=SMALL) as pilot:
        form = await open_intake_form(app, pilot)
        form.query_one("#received", Input).value = "2026-12-04T11:00:00-05:00"
        form.query_one("#message", TextArea).text = "Please remove my artwork."
        await read(form, pilot, None)
        form.query_one("#deadline", Input).value = typed
        await save(app, pilot)
        assert any("answer by 2026-12-06 13:59 JST" in said for said in notifications(app)), notifications(app)
    assert posted.json("complaint", "show", "1")["deadline_at"] == expected


async def test_the_read_of_a_message_pasted_at_80x24_is_seen_where_ctrl_r_was_pressed(posted: Tracker) -> None:
    """Ctrl+R in the message field (the form's bottom): what was read was said some 20 rows up, out of sight,
    and the view went to other fields, as if nothing happened. It is said under the message, in view."""
    app = make_app(NOW)
    async with app.run_test(size=SMALL) as pilot:
        form = await open_intake_form(app, pilot)
        area = form.query_one("#message", TextArea)
        area.focus()
        area.text = JAPANESE
        await pilot.press("ctrl+r")
        await settled(pilot)
        await pilot.pause()
        shown = " ".join(line.strip() for line in screen_lines(app))
        assert "Read from the pasted message: name, contact" in shown, shown
        assert "Not found: " in shown and "Save complaint" in shown, "the whole summary, then the buttons"
        assert not form.query_one("#from-file-status", Static).display, "said once"


async def test_an_image_read_as_the_message_points_to_the_forms_image_field(posted: Tracker, tmp_path: Path) -> None:
    """The command line says a complainant's image goes with --image: the form has no flags, it has a field."""
    path = tmp_path / "their-work.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    app = make_app(NOW)
    async with app.run_test(size=SMALL) as pilot:
        form = await open_intake_form(app, pilot)
        await read(form, pilot, path)
        text = str(form.field_error("from-file").render())
        assert "an image, not a text file or a saved e-mail" in text and "--image" not in text, text
        assert 'goes in the field "Complainant\'s image file(s)"' in text, text
        assert "--image" not in notifications(app)[-1]


async def test_an_unlogged_post_on_the_owners_own_account_is_said_and_not_taken_as_their_work(
    tracker: Tracker, tmp_path: Path
) -> None:
    """The message names a logged X post and another on the same (the owner's) X account that was never logged:
    the form says so under the file's field, and that URL is not filled in as where their work is."""
    logged_post, unlogged = (
        "https://x.com/moth_art/status/1865000000000000001",
        "https://x.com/moth_art/status/1865000000000000999",
    )
    drawing(1).save(tmp_path / "a.png")
    tracker("log", tmp_path / "a.png", "--url", logged_post, "--persona", "moth")
    path = tmp_path / "complaint.txt"
    path.write_text(
        f"小林ゆいと申します。\n{logged_post}\n{unlogged}\nは私の絵 {WORK_URL} の無断転載です。\n小林ゆい\n"
    )
    app = make_app(NOW)
    async with app.run_test(size=SMALL) as pilot:
        form = await open_intake_form(app, pilot)
        await read(form, pilot, path)
        assert value(form, "posts") == logged_post
        assert value(form, "work-urls") == WORK_URL
        said = " ".join(read_said(form).split())
        assert f"On your own accounts and not logged (not taken as their work; log it to name it): {unlogged}." in said
