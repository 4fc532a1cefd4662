"""A message from a person, not a notice: what intake reads of it and how its letter addresses them. An informal
pixiv message saying 無断 is no formal request (no Japanese platform law, no 7-day period, no elements to lack)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from complaints.test_intake_from import POST
from complaints.test_intake_from import logged as logged  # noqa: F401  (the fixture)
from fixtures.common import Tracker

pytestmark = pytest.mark.db

INFORMAL = f"""日時: 2026年12月5日 21:10

こんばんは。{POST} の絵、私が去年描いたキャラにすごく似てるんですが、無断で使ってるなら消してもらえませんか？
"""


def _add(tracker: Tracker, tmp_path: Path, text: str, *options: str) -> dict:
    path = tmp_path / "message.txt"
    path.write_text(text, encoding="utf-8")
    tracker("complaint", "add", "--from", path, *options)
    return tracker.json("complaint", "show", "1")


def test_mudan_alone_is_no_formal_notice(logged: Tracker, tmp_path: Path) -> None:
    added = _add(logged, tmp_path, INFORMAL)
    assert added["legal_basis"] == "none", "無断 is a reproach, not a request under Japanese law"
    received, deadline = datetime.fromisoformat(added["received_at"]), datetime.fromisoformat(added["deadline_at"])
    assert deadline - received == timedelta(days=14), "no law's 7-day period: the default answer target"
    assert added["missing_elements"] == []
    logged("complaint", "decide", "1", "--action", "ask_info")
    letter = logged("complaint", "reply", "1").stdout
    assert "ご住所" not in letter and "お電話番号" not in letter, (
        "a hobbyist is not asked for a formal notice's contact"
    )


def test_a_message_naming_copyright_is_still_a_japanese_request(logged: Tracker, tmp_path: Path) -> None:
    added = _add(logged, tmp_path, INFORMAL.replace("消してもらえませんか？", "著作権侵害ですので削除してください。"))
    assert added["legal_basis"] == "jp"


LISA = f"""Hello, I'm Lisa Park. I draw fan art of my original characters and post them on my blog.

Your post {POST} looks a lot like my character Mina. Could you tell me how it was made?

Thanks,
Lisa Park
"""


def test_a_writer_introducing_herself_in_english_is_greeted_by_name(logged: Tracker, tmp_path: Path) -> None:
    added = _add(logged, tmp_path, LISA)
    assert added["complainant_name"] == "Lisa Park"
    logged("complaint", "decide", "1", "--action", "ask_info")
    assert logged("complaint", "reply", "1").stdout.startswith("Dear Lisa Park,\n")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (LISA, "Lisa Park"),
        ("Hi, I am Lisa. Your post looks like my art.\n\nBest,\nLisa Park\n", "Lisa Park"),  # the signature in full
        ("Dear moth, this is Tom Becker from Oslo. Please look at your post.\n\nTom Becker\n", "Tom Becker"),
        ("Hi, I'm Lisa Park. Your post looks like my art.\n", "Lisa Park"),  # a greeting opens the message
        ("Your post looks like my art. I'm Lisa Park, by the way.\n", None),  # no greeting, no signature repeats it
        ("I'm Very Upset. Take It Down.\n", None),
        ("Hello, I am the artist. Remove it.\n", None),
        ("I'm writing about your post. Thanks, Lisa Park\n", None),  # a sign-off alone says no introduction
    ],
)
def test_a_self_introduction_gives_the_name(text: str, name: str | None) -> None:
    from tracker.complaints.reading.notice_reading import signed_name

    assert signed_name(text) == name


def test_a_person_who_gave_no_name_is_not_addressed_as_a_companys_staff(logged: Tracker, tmp_path: Path) -> None:
    _add(logged, tmp_path, INFORMAL)
    logged("complaint", "decide", "1", "--action", "take_down")
    letter = logged("complaint", "reply", "1").stdout
    assert letter.startswith("ご連絡をいただいた方へ\n\n") and "ご担当者様" not in letter, letter[:40]


def test_an_unnamed_formal_notice_is_still_addressed_to_whoever_handles_it(logged: Tracker, tmp_path: Path) -> None:
    _add(logged, tmp_path, INFORMAL.replace("消してもらえませんか？", "著作権侵害ですので削除してください。"))
    logged("complaint", "decide", "1", "--action", "take_down")
    assert logged("complaint", "reply", "1").stdout.startswith("ご担当者様\n")


def test_a_message_with_nothing_to_read_says_so_under_its_heading(logged: Tracker, tmp_path: Path) -> None:
    """An X DM saved as text, "you stole my art": no empty "Read from dm.txt:" heading over nothing."""
    path = tmp_path / "dm.txt"
    path.write_text("you stole my art\n", encoding="utf-8")
    out = logged("complaint", "add", "--from", path, "--channel", "dm", "--persona", "moth").stdout
    assert out.splitlines()[0] == "Read from dm.txt: the message alone (no sender, date, post or work)", out
