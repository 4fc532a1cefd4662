"""What `complaint add` says to do next. A mailed complaint's picture is kept only in the archive: when it names
no post, the owner on the command line is given the `tracker match` that finds the post the picture shows."""

from __future__ import annotations

import shlex
from email.message import EmailMessage
from io import BytesIO
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing

pytestmark = pytest.mark.db


def _mail(path: Path, picture: bytes) -> Path:
    mail = EmailMessage()
    mail["From"] = "Dana Cole <dana@example.com>"
    mail["Subject"] = "my character"
    mail["Date"] = "Sat, 05 Dec 2026 10:00:00 +0000"
    mail.set_content("Hi, I'm Dana Cole. Your post uses my character design. My original is attached.\n")
    mail.add_attachment(picture, maintype="image", subtype="png", filename="original.png")
    path.write_bytes(bytes(mail))
    return path


def test_a_mailed_picture_naming_no_post_gets_the_match_command(tracker: Tracker, tmp_path: Path) -> None:
    post = tmp_path / "moth.png"
    drawing(3).save(post)
    tracker("log", post, "--url", "https://www.pixiv.net/artworks/110000001", "--persona", "moth")
    buffer = BytesIO()
    drawing(3).save(buffer, "PNG", optimize=True)  # the same picture, other bytes
    said = tracker("complaint", "add", "--from", _mail(tmp_path / "c.eml", buffer.getvalue())).stdout.splitlines()
    told = [line for line in said if line.startswith("Find the post their picture shows: tracker match ")]
    assert len(told) == 1, said
    command = shlex.split(told[0].split(": ", 1)[1])
    assert Path(command[-1]).is_file()
    found = tracker(*command[1:]).stdout
    assert "https://www.pixiv.net/artworks/110000001" in found


def test_a_complaint_naming_its_post_is_not_told_to_search(tracker: Tracker, tmp_path: Path) -> None:
    post = tmp_path / "moth.png"
    drawing(3).save(post)
    tracker("log", post, "--url", "https://www.pixiv.net/artworks/110000001", "--persona", "moth")
    said = tracker("complaint", "add", "--post", "1", "--image", post, "--name", "Dana").stdout
    assert "tracker match" not in said
    assert "Triage it with `tracker tui`, or decide: tracker complaint decide 1 --action ..." in said


def test_a_drafted_reply_says_how_to_mark_it_sent(tracker: Tracker, tmp_path: Path) -> None:
    """`status` counts a complaint until its reply is marked sent: the draft says how, with the file it wrote."""
    post = tmp_path / "moth.png"
    drawing(3).save(post)
    tracker("log", post, "--url", "https://www.pixiv.net/artworks/110000001", "--persona", "moth")
    tracker("complaint", "add", "--post", "1", "--name", "Dana", "--message", "Please remove it.")
    tracker("complaint", "decide", "1", "--action", "take_down")
    hint = "tracker: once you have sent it, mark it sent: tracker complaint reply 1 --answered"
    assert hint in tracker("complaint", "reply", "1").stderr.splitlines()
    letter = tmp_path / "letter 1.txt"
    said = tracker("complaint", "reply", "1", "--out", letter).stderr.splitlines()
    assert f"{hint} --text {shlex.quote(str(letter))}" in said
    marked = tracker("complaint", "reply", "1", "--answered", "--text", letter).stderr
    assert "once you have sent it" not in marked
    assert "once you have sent it" not in tracker("complaint", "reply", "1").stderr  # answered already


def test_a_later_message_linking_a_post_says_how_to_name_it(tracker: Tracker, tmp_path: Path) -> None:
    """ "you stole my art", then, asked which post, the link: the complaint still names none until the owner says so,
    and `complaint message` gives the command (every post it names, since --post replaces the list)."""
    for seed, number in ((3, 1), (4, 2)):
        post = tmp_path / f"p{seed}.png"
        drawing(seed).save(post)
        tracker("log", post, "--url", f"https://www.pixiv.net/artworks/11000000{number}", "--persona", "moth")
    tracker("complaint", "add", "--message", "you stole my art", "--channel", "dm")
    tracker("complaint", "decide", "1", "--action", "ask_info")
    tracker("complaint", "reply", "1", "--answered")
    said = tracker(
        "complaint", "message", "1", "--message", "this one https://www.pixiv.net/artworks/110000002 and my site https://example.com"
    ).stdout  # fmt: skip
    command = "tracker complaint set 1 --post 2"
    assert f"(#2 https://www.pixiv.net/artworks/110000002): if it is about it, name it: {command}" in said, said
    tracker(*command.split()[1:])
    said = tracker("complaint", "message", "1", "--message", "and https://www.pixiv.net/artworks/110000001 too").stdout
    assert "name it: tracker complaint set 1 --post 2 --post 1" in said, said
    assert "does not name" not in tracker("complaint", "message", "1", "--message", "again: #1 110000001").stdout


def test_a_reply_before_any_decision_says_to_decide_first(tracker: Tracker, tmp_path: Path) -> None:
    post = tmp_path / "moth.png"
    drawing(3).save(post)
    tracker("log", post, "--url", "https://www.pixiv.net/artworks/110000001", "--persona", "moth")
    tracker("complaint", "add", "--post", "1", "--name", "Dana", "--message", "Please remove it.")
    for marked in ((), ("--answered",)):
        refused = tracker("complaint", "reply", "1", *marked, ok=False)
        assert refused.exit_code == 2 and refused.stdout == ""
        assert refused.stderr == (
            "tracker: error: complaint #1 has no decision yet: nothing to reply; decide first: "
            "tracker complaint decide 1 --action ...\n"
        )
