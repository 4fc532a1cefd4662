"""The reply screen: the letter in the complaint's language (F4), copied, saved to a file, kept as edited."""

from __future__ import annotations

import shutil
import stat
import tempfile
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import FORGE_INFOTEXT, write_png
from fixtures.tui import SIZE, footer_drawn, make_app, screen_lines, settled, wait_for
from textual.binding import Binding
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input, Static, TextArea

from tracker.db.models import Complaint
from tracker.db.session import session_scope
from tracker.support.dates import utcnow
from tracker.tui.app import TrackerApp
from tracker.tui.screens.reply import ReplyScreen
from tracker.tui.screens.reply_file import ReplyFileScreen

pytestmark = pytest.mark.db


async def test_f4_switches_the_reply_between_japanese_and_english(tracker: Tracker, tmp_path: Path) -> None:
    image = write_png(tmp_path / "a.png", {"parameters": FORGE_INFOTEXT})
    tracker("log", image, "--url", "https://www.pixiv.net/artworks/5", "--persona", "moth")
    message = "私の作品に似ています。削除をお願いいたします。"
    tracker("complaint", "add", "--post", "1", "--name", "山田 花子", "--message", message)
    tracker("complaint", "decide", "1", "--action", "take_down", "--notes", "private thought")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await app.push_screen(ReplyScreen(1))
        await settled(pilot)
        reply = app.screen.query_one("#reply")
        assert reply.text.startswith("山田 花子 様") and "private thought" not in reply.text
        subject = app.screen.query_one("#reply-subject", Static)
        assert (
            subject.display and "Subject: " in str(subject.render()) and "（投稿削除のご報告）" in str(subject.render())
        )
        assert "Subject" not in reply.text, "the subject line is not part of the letter"
        await pilot.press("f4")
        await settled(pilot)
        assert reply.text.startswith("Dear 山田 花子,\n")
        assert str(subject.render()).endswith(": removal of my post"), "the subject follows the language"
    assert tracker.json("complaint", "show", "1")["language"] == "en"


async def test_f4_drafts_a_counter_notice_to_x_in_japanese_when_asked(tracker: Tracker, tmp_path: Path) -> None:
    """X's team works in English: the counter-notice to X for a complaint answered in Japanese opens in English,
    saying why above the letter; F4 drafts it in Japanese all the same."""
    x_post = "https://x.com/moth_makes/status/1800000000000000005"
    tracker("log", write_png(tmp_path / "a.png", {"parameters": FORGE_INFOTEXT}), "--url", x_post, "--persona", "moth")
    message = "私の作品に似ています。削除をお願いいたします。"
    added = ("--basis", "dmca", "--platform", "x", "--name", "山田 花子", "--lang", "ja", "--message", message)
    tracker("complaint", "add", "--post", "1", *added)
    tracker("post", "set", "1", "--status", "taken_down")
    tracker("complaint", "decide", "1", "--action", "dispute", "--reason", "other")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reply(app, pilot)
        reply = screen.query_one("#reply", TextArea)
        assert reply.text.startswith("Counter-notification under 17 U.S.C. § 512(g)(3)")
        warned = " ".join(str(screen.query_one("#reply-warnings", Static).render()).split())
        assert "works in English" in warned and "(Ctrl+L or F4 redrafts it in the other language)" in warned, warned
        await pilot.press("f4")
        await settled(pilot)
        assert reply.text.startswith("米国著作権法第512条(g)(3)に基づく異議申立通知"), reply.text[:80]
        assert "works in English" not in str(screen.query_one("#reply-warnings", Static).render())
    assert tracker.json("complaint", "show", "1")["language"] == "ja"


@pytest.fixture
def decided(tracker: Tracker, tmp_path: Path) -> None:
    """Complaint #1 (in English) about post #1, decided: take it down."""
    image = write_png(tmp_path / "a.png", {"parameters": FORGE_INFOTEXT})
    tracker("log", image, "--url", "https://www.pixiv.net/artworks/5", "--persona", "moth")
    tracker("complaint", "add", "--post", "1", "--name", "K", "--message", "Please take my picture down.")
    tracker("complaint", "set", "1", "--lang", "en")
    tracker("complaint", "decide", "1", "--action", "take_down")


def notice(screen: ReplyScreen) -> str:
    """What the last key did, in the reply screen's own line under the letter (no toast over it)."""
    return str(screen.query_one("#reply-notice", Static).render())


async def open_reply(app: TrackerApp, pilot: Pilot[None]) -> ReplyScreen:
    await settled(pilot)
    await app.push_screen(ReplyScreen(1))
    await settled(pilot)
    assert isinstance(app.screen, ReplyScreen) and app.screen.draft is not None
    return app.screen


async def test_a_long_subject_is_shown_whole_and_copied_at_80_columns(tracker: Tracker, tmp_path: Path) -> None:
    """A company's take-down subject is longer than the screen: it was cut with …, and Copy left it out."""
    image = write_png(tmp_path / "a.png", {"parameters": FORGE_INFOTEXT})
    tracker("log", image, "--url", "https://www.pixiv.net/artworks/5", "--persona", "moth")
    tracker("complaint", "add", "--post", "1", "--name", "法務部", "--org", "株式会社サクラ・クリエイティブ 法務部",
            "--lang", "ja", "--basis", "jp", "--ticket", "SG-2025-014-LONG-REFERENCE")  # fmt: skip
    tracker("complaint", "decide", "1", "--action", "take_down")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await app.push_screen(ReplyScreen(1))
        await settled(pilot)
        screen = app.screen
        assert isinstance(screen, ReplyScreen)
        subject = screen.subject
        assert subject.endswith("（投稿削除のご報告）") and "SG-2025-014-LONG-REFERENCE" in subject
        lines = screen_lines(app)
        at = next(i for i, line in enumerate(lines) if "Subject:" in line)
        shown = "".join(line.strip(" │▎▊") for line in lines[at : at + 3])
        assert "（投稿削除のご報告）" in shown, "the whole subject is on the screen, over two rows"
        assert screen.query_one("#reply", TextArea).region.height >= 8, "the letter keeps its room"
        await pilot.press("f9")
        await pilot.pause()
        assert app.clipboard == subject, "F9 copies the subject line"
        assert "Subject line copied" in notice(screen), "and says so"


async def test_a_japanese_file_name_saved_to_is_said_whole_at_80x24(tracker: Tracker, tmp_path: Path) -> None:
    """The notice was a toast drawn over the letter: a wide character of the path was lost where the layers below
    cut it (`返信_  ミナスアーツ様.txt`). It is in the screen's own line now, as the dialog's refusals are."""
    image = write_png(tmp_path / "a.png", {"parameters": FORGE_INFOTEXT})
    tracker("log", image, "--url", "https://www.pixiv.net/artworks/5", "--persona", "moth")
    tracker("complaint", "add", "--post", "1", "--name", "高橋", "--org", "株式会社ルミナスアーツ 法務部",
            "--lang", "ja", "--basis", "jp")  # fmt: skip
    tracker("complaint", "decide", "1", "--action", "take_down")
    folder = Path(tempfile.mkdtemp(prefix="x", dir="/tmp"))  # a short path: the notice is one line at 80 columns
    try:
        (folder / "返信").mkdir()
        target = folder / "返信_ルミナスアーツ様.txt"
        app = make_app()
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            reply = await open_reply(app, pilot)
            await pilot.press("ctrl+s")
            await pilot.pause()
            dialog = app.screen
            assert isinstance(dialog, ReplyFileScreen)
            dialog.query_one("#path", Input).value = str(folder / "返信")
            await pilot.press("enter")
            await pilot.pause()
            refused = f"{folder / '返信'} is a folder: give a file name."
            assert str(dialog.query_one("#path-error", Static).render()) == refused, "under the path, not a toast"
            dialog.query_one("#path", Input).value = str(target)
            await pilot.press("enter")
            await wait_for(pilot, lambda: app.screen is reply and notice(reply) != "")
            await pilot.pause(0.2)
            assert target.is_file()
            said = f"Reply saved to {target}"
            assert any(said in line for line in screen_lines(app)), "\n".join(screen_lines(app))
            assert not app._notifications, "no toast over the letter"
    finally:
        shutil.rmtree(folder)


async def test_copy_sends_the_edited_reply_to_the_clipboard_and_a_private_file(
    decided: None, isolated_env: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        reply = await open_reply(app, pilot)
        await pilot.press(*"Hi")
        text = reply.query_one("#reply", TextArea).text
        assert text.startswith("HiDear K,")
        await pilot.press("f2")
        await pilot.pause()
        assert app.clipboard == text, "OSC 52 is still sent"
        copy = isolated_env / "replies-out" / "complaint-1-en.txt"
        assert reply.subject.startswith("Your message of ") and reply.subject.endswith(": removal of my post")
        assert copy.read_text(encoding="utf-8") == f"Subject: {reply.subject}\n\n{text}", "under its subject line"
        assert stat.S_IMODE(copy.stat().st_mode) == 0o600
        assert stat.S_IMODE(copy.parent.stat().st_mode) == 0o700
        said = notice(reply)
        assert "clipboard" in said and f"{copy}, under its subject line" in said
        await pilot.press("escape")  # copied to a file: nothing is lost by closing
        await pilot.pause()
        assert not isinstance(app.screen, ReplyScreen)


async def test_save_to_file_writes_the_edited_reply_and_never_overwrites_silently(
    decided: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        reply = await open_reply(app, pilot)
        await pilot.press(*"Hi")
        text = f"Subject: {reply.subject}\n\n" + reply.query_one("#reply", TextArea).text
        await pilot.press("f5")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ReplyFileScreen)
        target = tmp_path / "reply-complaint-1.txt"
        assert dialog.query_one("#path", Input).value == str(target), "a default in the current folder"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is reply
        assert target.read_text(encoding="utf-8") == text
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        assert notice(reply) == f"Reply saved to {target}"

        await pilot.press(*"Yo")
        edited = f"Subject: {reply.subject}\n\n" + reply.query_one("#reply", TextArea).text
        assert reply.has_unsaved_input()
        await pilot.press("ctrl+s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ReplyFileScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog, "an existing file is not replaced without asking"
        assert "exists" in str(dialog.query_one("#path-error", Static).render())
        assert target.read_text(encoding="utf-8") == text
        missing = tmp_path / "no-such-folder" / "reply.txt"
        dialog.query_one("#path", Input).value = str(missing)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog and not missing.exists()
        said = str(dialog.query_one("#path-error", Static).render())
        assert said.startswith(f"cannot write {missing}") and "\n" not in said
        dialog.query_one("#path", Input).value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog and target.read_text(encoding="utf-8") == text
        await pilot.press("enter")  # the second time, on purpose: replaced
        await pilot.pause()
        assert app.screen is reply and target.read_text(encoding="utf-8") == edited
        assert not reply.has_unsaved_input()
        assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == [], "no partial file left"


async def test_mark_answered_keeps_the_edited_text(decided: None) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        reply = await open_reply(app, pilot)
        await pilot.press(*"Hi")
        text = reply.query_one("#reply", TextArea).text
        await pilot.press("f3")
        await pilot.pause()
        await pilot.press("enter")  # Mark answered, in the question F3 asks
        await pilot.pause()
        assert not isinstance(app.screen, ReplyScreen), "answered: closes without asking about the edits"
    with app.factory() as session:
        assert session.get(Complaint, 1).reply_text == text


async def test_the_reply_marked_sent_keeps_its_subject_line(
    decided: None, tracker: Tracker, isolated_env: Path
) -> None:
    """Over SSH F9 may reach no clipboard: once the reply is marked sent (F3), reopening it still shows its
    subject above it (F9 copies it, F2's file starts with it), and `complaint show 1 --reply` prints it. A reply
    marked sent before subjects were kept (`mark_answered` with the letter alone) still opens, with none."""
    with session_scope(make_app().factory, command="complaint answered") as session:
        complaint = session.get(Complaint, 1)
        assert complaint is not None
        complaint.reply_text, complaint.answered_at = "Dear K, done.", utcnow()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        older = await open_reply(app, pilot)
        assert older.sent is not None and older.query_one("#reply", TextArea).text == "Dear K, done."
        assert not older.query_one("#reply-subject", Static).display and older.subject == ""
        await pilot.press("f8")  # a new draft, to send instead
        await settled(pilot)
        subject = older.subject
        assert older.sent is None and subject.endswith(": removal of my post")
        text = older.query_one("#reply", TextArea).text
        await pilot.press("f3")
        await pilot.pause()
        await pilot.press("enter")  # Mark answered
        await pilot.pause()
        sent = await open_reply(app, pilot)
        assert sent.sent is not None and sent.query_one("#reply", TextArea).text == text, "the reply sent"
        line = sent.query_one("#reply-subject", Static)
        assert line.display and str(line.render()) == f"Subject: {subject}"
        await pilot.press("f9")
        await pilot.pause()
        assert app.clipboard == subject
        await pilot.press("f2")
        await pilot.pause()
        copy = isolated_env / "replies-out" / "complaint-1-en.txt"
        assert copy.read_text(encoding="utf-8") == f"Subject: {subject}\n\n{text}"
    letters = tracker("complaint", "show", "1", "--reply").stdout
    assert "(complaint #1, 1 of 2):\nDear K, done.\n" in letters, "the older letter as it was, with no subject"
    assert f"(complaint #1, 2 of 2):\nSubject: {subject}\n\n{text}" in letters


def test_the_reply_keys_have_ids_and_show_in_the_footer() -> None:
    bindings = {b.id: b for b in ReplyScreen.BINDINGS if isinstance(b, Binding)}
    assert {"reply.close", "reply.copy", "reply.answered", "reply.language", "reply.save"} <= set(bindings)
    assert all(b.show for key, b in bindings.items() if key != "reply.palette"), "the palette key has its own place"


async def test_a_keyboard_without_f_keys_reaches_every_reply_action(tracker: Tracker, tmp_path: Path) -> None:
    """A vt100 or a phone over SSH has no F4 or F9: Ctrl+L switches the language, Ctrl+T copies the subject line,
    the command palette finds each action, and the footer shows the Ctrl keys."""
    image = write_png(tmp_path / "a.png", {"parameters": FORGE_INFOTEXT})
    tracker("log", image, "--url", "https://www.pixiv.net/artworks/5", "--persona", "moth")
    message = "私の作品に似ています。削除をお願いいたします。"
    tracker("complaint", "add", "--post", "1", "--name", "山田 花子", "--message", message)
    tracker("complaint", "decide", "1", "--action", "take_down")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        reply = await open_reply(app, pilot)
        letter = reply.query_one("#reply", TextArea)
        assert letter.text.startswith("山田 花子 様")
        await footer_drawn(pilot)
        footer = screen_lines(app)[-1]
        assert "^l Language" in footer and "^s Save" in footer and "^t Subject" in footer, footer
        await pilot.press("ctrl+l")
        await settled(pilot)
        assert letter.text.startswith("Dear 山田 花子,\n"), "Ctrl+L drafts it in English"
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.clipboard == reply.subject and reply.subject.endswith(": removal of my post")
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"lang")
        await wait_for(pilot, lambda: any("Switch the reply's language" in line for line in screen_lines(app)))
        await pilot.press("down", "enter")
        await settled(pilot)
        assert app.screen is reply and letter.text.startswith("山田 花子 様"), "back in Japanese, from the palette"
        commands = {command.title for command in app.get_system_commands(reply)}
        assert {"Copy the reply", "Copy the subject line", "Save the reply to a file"} <= commands
        assert "Mark the complaint answered" in commands and "Draft a new reply" not in commands, "not while a draft"
