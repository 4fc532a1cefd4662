"""The owner's bad day, continued: a Japanese complaint due tomorrow, read over SSH at 80 columns.

- `tracker show POST` lists the complaints about the post and says which complaint each history
  entry came from;
- `complaint confirm` never succeeds silently: it prints every post it records (one the complaint
  does not name too), and says why on one line when there is nothing to record;
- `complaint set --basis` corrects the legal basis, audited, and replies follow it;
- deadlines typed as 明日 / tomorrow / 3日後, and 明日中に in a message;
- a reply note not in the letter's language is warned about (stderr), the letter kept as typed.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import Result
from fixtures.common import Tracker, query
from fixtures.imagefactory import FORGE_INFOTEXT, pixels, write_png

from tracker.complaints.deadlines import parse_deadline
from tracker.complaints.reading.message_details import demanded_deadline
from tracker.support.textsafe import cell_width

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("tokyo_time")]  # local time is Japan's

ONE = "https://www.pixiv.net/artworks/123"
TWO = "https://www.pixiv.net/artworks/124"
NOW = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)  # 10:00 on 3 December in Tokyo


@pytest.fixture
def posted(tracker: Tracker, tmp_path: Path) -> Tracker:
    """Posts #1 and #2 of persona moth on pixiv."""
    tracker("log", write_png(tmp_path / "a.png", {"parameters": FORGE_INFOTEXT}), "--url", ONE, "--persona", "moth")
    second = write_png(tmp_path / "b.png", {"parameters": FORGE_INFOTEXT}, image=pixels(seed=5))
    tracker("log", second, "--url", TWO)
    tracker("persona", "set", "moth", "--display-name", "Moth Atelier", "--contact", "moth@example.org")
    return tracker


def _local_today() -> date:
    return datetime.now(UTC).astimezone().date()


def _statuses(tracker: Tracker) -> dict[int, str]:
    return {p["id"]: p["status"] for p in tracker.json("posts")}


def _one_error(result: Result, *fragments: str) -> None:
    assert result.exit_code != 0 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("tracker: error: "), result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


# ---------------------------------------------------------------------------- 1. show POST


def test_show_lists_the_complaints_and_names_them_in_the_history(posted: Tracker) -> None:
    posted(
        "complaint", "add", "--post", ONE, "--basis", "jp", "--name", "佐藤 美咲\x1b[31m", "--org", "[bold]月[/bold]",
        "--deadline", "tomorrow", "--message", "著作権の件",
    )  # fmt: skip
    posted("complaint", "add", "--post", ONE, "--basis", "dmca", "--name", "Ann", "--message", "copy")
    posted("complaint", "decide", "1", "--action", "take_down", "--post", "1", "--post", "2")
    posted("complaint", "confirm", "1")

    shown = posted("show", "1").stdout
    lines = shown.splitlines()
    complaints = [line for line in lines if line.startswith("  complaint  ")]
    assert len(complaints) == 2
    first, second = complaints
    tomorrow = (_local_today() + timedelta(days=1)).isoformat()
    assert first.startswith(f"  complaint  #1 decided, due {tomorrow} (tomorrow)  Japan  佐藤 美咲")
    assert second.startswith("  complaint  #2 open, due ") and second.endswith("DMCA  Ann")
    [confirmed] = [line for line in lines if " update " in line]
    assert confirmed.endswith("update  complaint #1 confirm  status: live -> taken_down")
    for line in [*complaints, confirmed]:
        assert cell_width(line) <= 80, line
    # What was typed stays text: a pasted colour code is not kept (nor shown), markup is shown as typed.
    assert "\x1b" not in shown and "x1b" not in first and "佐藤 美咲 ([bold]月[" in first

    # Post #2 is in the take-down but the complaint does not name it: still listed, and said so.
    other = [line for line in posted("show", "2").stdout.splitlines() if line.startswith("  complaint")]
    assert len(other) == 1 and other[0].startswith("  complaint  #1 decided") and other[0].endswith("(not named)")

    data = posted.json("show", "1")
    assert [(c["id"], c["status"], c["named"], c["due"]) for c in data["complaints"]] == [
        (1, "decided", True, "tomorrow"),
        (2, "open", True, None),
    ]
    assert data["complaints"][0]["complainant"] == "佐藤 美咲 ([bold]月[/bold])"
    assert data["complaints"][0]["deadline_at"].startswith(tomorrow[:8])
    assert [(e["command"], e["complaint"]) for e in data["events"]] == [("log", None), ("complaint confirm #1", 1)]
    assert "\x1b" not in posted("show", "1", "--json").stdout  # escaped as \u001b


def test_a_post_without_complaints_says_none(posted: Tracker) -> None:
    shown = posted("show", "2").stdout.splitlines()
    assert "  complaints none" in shown
    assert posted.json("show", "2")["complaints"] == []


# ---------------------------------------------------------------------------- 2. confirm


def test_confirm_prints_a_taken_down_post_the_complaint_does_not_name(posted: Tracker) -> None:
    posted("complaint", "add", "--post", ONE, "--basis", "jp", "--message", "x")
    decided = posted("complaint", "decide", "1", "--action", "take_down", "--post", TWO).stdout
    assert f"to remove  #2 [live] {TWO}  (not named by the complaint)" in decided
    out = posted("complaint", "confirm", "1").stdout.splitlines()
    assert out[0] == "Complaint #1: 1 post recorded as taken down"
    assert out[1] == f"  taken down #2 {TWO}  (not named by the complaint; its take-down names it)"
    assert _statuses(posted) == {1: "live", 2: "taken_down"}


def test_confirm_says_why_when_there_is_nothing_to_confirm(posted: Tracker, isolated_env: Path) -> None:
    posted("complaint", "add", "--persona", "moth", "--basis", "jp", "--message", "no posts named")
    _one_error(posted("complaint", "confirm", "1", ok=False), "complaint #1", "no decision yet", "nothing to confirm")
    posted("complaint", "decide", "1", "--action", "ask_info")
    _one_error(posted("complaint", "confirm", "1", ok=False), "ask for more information", "nothing to confirm")

    posted("complaint", "add", "--post", ONE, "--post", TWO, "--basis", "jp", "--message", "two posts")
    posted("complaint", "decide", "2", "--action", "take_down", "--post", ONE)
    _one_error(
        posted("complaint", "confirm", "2", "--post", TWO, ok=False),
        "post #2 is named by complaint #2 but not in its take-down",
        "nothing recorded",
    )
    posted("post", "set", "1", "--status", "deleted")  # removed by hand before confirming
    _one_error(posted("complaint", "confirm", "2", ok=False), "post #1 is marked deleted")
    assert _statuses(posted) == {1: "deleted", 2: "live"}
    assert query(isolated_env, "select count(*) from takedown") == [(0,)]


def test_confirm_lists_what_it_left_alone(posted: Tracker) -> None:
    posted("complaint", "add", "--post", ONE, "--post", TWO, "--basis", "jp", "--message", "two posts")
    posted("complaint", "decide", "1", "--action", "take_down")
    posted("post", "set", "2", "--status", "deleted")
    out = posted("complaint", "confirm", "1").stdout.splitlines()
    assert out == [
        "Complaint #1: 1 post recorded as taken down",
        f"  taken down #1 {ONE}",
        "  unchanged  post #2 is marked deleted",
    ]


# ---------------------------------------------------------------------------- 3. set --basis


def _ask_info_reply(tracker: Tracker, number: str) -> str:
    tracker("complaint", "decide", number, "--action", "ask_info")
    return str(tracker.json("complaint", "reply", number)["text"])


def test_the_legal_basis_is_corrected_audited_and_the_reply_follows_it(posted: Tracker, isolated_env: Path) -> None:
    common = ["--post", ONE, "--received", "2026-12-01T10:00", "--name", "Ann Artist", "--message", "you copied"]
    posted("complaint", "add", "--basis", "none", *common)
    posted("complaint", "add", "--basis", "dmca", *common, "--duplicate")
    before = _ask_info_reply(posted, "1")

    out = posted("complaint", "set", "1", "--basis", "dmca").stdout.splitlines()
    assert "  basis      none given -> DMCA (US)" in out
    assert "  answer by  2026-12-15 10:00 JST -> 2026-12-11 10:00 JST" in out  # the default target of the new basis
    one, two = posted.json("complaint", "show", "1"), posted.json("complaint", "show", "2")
    for key in ("legal_basis", "deadline_at", "completeness", "missing_elements"):
        assert one[key] == two[key], key

    after = _ask_info_reply(posted, "1")
    assert after != before and after == _ask_info_reply(posted, "2"), "as if it had been logged as DMCA"

    rows = query(isolated_env, "select changes from event where entity = 'complaint' and action = 'update'")
    changes = [c if isinstance(c, dict) else json.loads(c) for (c,) in rows]
    [corrected] = [c for c in changes if "legal_basis" in c]
    assert corrected["legal_basis"] == ["none", "dmca"]
    assert "deadline_at" in corrected and "completeness" in corrected, "one correction, one entry"


def test_a_deadline_given_stays_when_the_basis_changes(posted: Tracker) -> None:
    posted("complaint", "add", "--post", ONE, "--basis", "none", "--received", "2026-12-01T10:00",
           "--deadline", "2026-12-20", "--message", "x")  # fmt: skip
    out = posted("complaint", "set", "1", "--basis", "jp", "--element", "right").stdout
    assert "answer by" not in out and "basis      none given -> Japanese platform law" in out
    data = posted.json("complaint", "show", "1")
    assert datetime.fromisoformat(data["deadline_at"]).astimezone().date() == date(2026, 12, 20)
    assert data["completeness"] == {"location": True, "right": True, "contact": False}


# ---------------------------------------------------------------------------- 4. relative deadlines


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("today", "2026-12-03"),
        ("Tomorrow", "2026-12-04"),
        ("本日", "2026-12-03"),
        ("今日", "2026-12-03"),
        ("明日", "2026-12-04"),
        ("明日中", "2026-12-04"),
        ("明後日", "2026-12-05"),
        ("3日後", "2026-12-06"),
        ("３日後", "2026-12-06"),
        ("in 3 days", "2026-12-06"),
        ("in 1 day", "2026-12-04"),
    ],
)
def test_a_deadline_typed_as_a_relative_day(typed: str, day: str) -> None:
    found = parse_deadline(typed, NOW).astimezone()
    assert found.date().isoformat() == day and found.strftime("%H:%M:%S") == "23:59:59", "the whole day"


@pytest.mark.parametrize("typed", ["soon", "next week", "in three days", "明日以降", "yesterday", "-1日後"])
def test_vague_deadlines_are_refused(posted: Tracker, typed: str) -> None:
    posted("complaint", "add", "--post", ONE, "--basis", "jp", "--message", "x")
    result = posted("complaint", "set", "1", "--deadline", typed, ok=False)
    _one_error(result, "cannot read the date", "tomorrow", "明日")


def test_a_relative_deadline_from_the_command_line(posted: Tracker) -> None:
    posted("complaint", "add", "--post", ONE, "--basis", "jp", "--deadline", "明日", "--message", "x")
    data = posted.json("complaint", "show", "1")
    assert datetime.fromisoformat(data["deadline_at"]).astimezone().date() == _local_today() + timedelta(days=1)
    out = posted("complaint", "set", "1", "--deadline", "3日後").stdout
    assert out.rstrip().endswith((_local_today() + timedelta(days=3)).isoformat())


ASKED_FOR = {
    "大変恐縮ですが、明日中に当該投稿を削除してください。": "2026-12-04",
    "明日までにご対応ください。": "2026-12-04",
    "本日中にご返信ください。": "2026-12-03",
    "明後日までにご連絡をお願いいたします。": "2026-12-05",
    "明日の正午までに": "2026-12-04",
    "12月10日まで、遅くとも明日中に": "2026-12-04",  # the earliest
    "明日以降にご連絡します。": None,  # no day asked for
    "明日確認いたします。": None,
    "明日中国に出張します。": None,
    "明日香と申します。": None,  # a name
    "今日まで何度もご連絡しましたが、お返事がありません。": None,  # up to now: history, not a deadline
    "今日までにご返信ください。": "2026-12-03",
    "明日12月4日中に削除していただけない場合は、法的措置を検討いたします。": "2026-12-04",  # within that day
    "明日（12月4日）中にご対応ください。": "2026-12-04",
    "12月5日中にご返信をお願いいたします。": "2026-12-05",
    "12月2日中に確認しました。": None,  # a day before it came: history
    "4日（金）までに削除してください。": "2026-12-04",  # a day of the month alone
    "金曜日までにご対応ください。": "2026-12-04",  # a weekday: the coming one
    "来週月曜日までにご返信ください。": "2026-12-07",
    "4日に投稿された画像です。": None,
    "金曜日に気づきました。": None,
    "来週確認します。": None,
}


def test_a_message_asking_for_a_day_counted_from_its_arrival() -> None:
    for text, day in ASKED_FOR.items():
        found = demanded_deadline(text, NOW)
        if day is None:
            assert found is None, text
        else:
            assert found is not None and found.astimezone().date().isoformat() == day, text
            expected = "12:00" if "正午" in text else "23:59"  # noon when it says so, else the whole day
            assert found.astimezone().strftime("%H:%M") == expected, text


# ---------------------------------------------------------------------------- 5. reply note language


def _reply_with_note(tracker: Tracker, lang: str, note: str) -> Result:
    number = str(
        tracker.json(
            "complaint", "add", "--post", ONE, "--basis", "jp", "--lang", lang, "--message", "x", "--duplicate"
        )["id"]
    )
    tracker("complaint", "decide", number, "--action", "take_down", "--reply-note", note)
    return tracker("complaint", "reply", number)


SENTENCE_JA = "生成に使用した設定は公開しております。"
SENTENCE_EN = "I made this from my own sketch, not from your work."


@pytest.mark.parametrize(
    ("lang", "warned", "fine"),
    [
        ("en", (SENTENCE_JA, "the reply note is in Japanese but the letter is in English"), [SENTENCE_EN]),
        (
            "ja",
            (SENTENCE_EN, "the reply note has no Japanese in it but the letter is in Japanese"),
            [SENTENCE_JA, "https://example.org/my-sketch", "OK"],  # a link or a word is no sentence
        ),
    ],
)
def test_a_reply_note_in_another_language_is_warned_about(
    posted: Tracker, lang: str, warned: tuple[str, str], fine: list[str]
) -> None:
    note, warning = warned
    result = _reply_with_note(posted, lang, note)
    assert note in result.stdout, "the letter keeps the note as typed"
    [line] = [line for line in result.stderr.splitlines() if "reply note" in line]
    assert (
        line.startswith("tracker: warning: ") and warning in line and f"--lang {'en' if lang == 'ja' else 'ja'}" in line
    )
    assert "warning" not in result.stdout
    for note in fine:
        result = _reply_with_note(posted, lang, note)
        assert note in result.stdout and "reply note" not in result.stderr, note


def test_show_gives_a_deadline_its_hour(posted: Tracker) -> None:
    """明日の17時まで is kept to the minute: `show` says so, as `complaint show` and the dashboard do."""
    posted("complaint", "add", "--post", ONE, "--deadline", "2031-12-06T08:00Z", "--message", "著作権の件")
    [line] = [line for line in posted("show", "1").stdout.splitlines() if line.startswith("  complaint  ")]
    assert "due 2031-12-06 17:00 JST" in line, line
