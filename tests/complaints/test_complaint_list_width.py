"""`tracker complaint list` fits 80 columns in any time zone: a deadline at a time of day (a Japanese day's end
is 04:59 in Honolulu), a Japanese complainant (two columns a letter), several posts and a take-down promised in
a sent reply; a wider terminal shows everything, and `--json` is as it was."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import pixels, write_png

from tracker.cli import cli
from tracker.support.textsafe import cell_width

ZONES = ["HST10", "JST-9", "UTC0", "<+0530>-5:30", "NST3:30NDT,M3.2.0,M11.1.0", "<+1345>-13:45"]
"""POSIX zone strings (no tz database needed): Honolulu, Tokyo, UTC, India, Newfoundland, Chatham."""


@pytest.fixture(params=ZONES)
def zone(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()


@pytest.fixture(scope="module")
def images(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("images")
    return [write_png(folder / f"{n}.png", {}, image=pixels(seed=n)) for n in range(1, 5)]


def _logged(tracker: Tracker, images: list[Path]) -> None:
    """Complaints whose rows run long: four posts from a Japanese company, promised taken down in a sent reply;
    one overdue at a time of day on the platform's rules; one due at a day's end."""
    for n, image in enumerate(images, 1):
        tracker("log", image, "--url", f"https://www.pixiv.net/artworks/10000000{n}", "--persona", "moth")
    posts = [a for n in range(1, 5) for a in ("--post", str(n))]
    tracker(
        "complaint", "add", *posts, "--name", "佐藤 美咲", "--org", "株式会社サンプル出版", "--basis", "jp",
        "--message", "12月9日17時までに削除をお願いします。", "--received", "2026-12-05T01:00Z",
    )  # fmt: skip
    tracker("complaint", "decide", "1", "--action", "take_down")
    tracker("complaint", "reply", "1", "--answered")
    tracker(
        "complaint", "add", *posts[:4], "--name", "高橋 一郎", "--org", "合同会社ながいなまえ", "--basis",
        "platform_rules", "--message", "1月6日17時までに削除してください。", "--received", "2026-01-05T01:00Z",
    )  # fmt: skip
    tracker("complaint", "add", "--post", "3", "--name", "Ann Artist", "--basis", "dmca", "--deadline", "tomorrow")


def test_complaint_list_fits_80_columns_in_any_zone(tracker: Tracker, images: list[Path], zone: str) -> None:
    _logged(tracker, images)
    for args in (["complaint", "list"], ["complaint", "list", "--all"]):
        lines = tracker(*args).stdout.splitlines()
        assert lines and all(cell_width(line) < 80 for line in lines), "\n".join(lines)
        ids = [line.split()[0] for line in lines[1:]]
        assert ids == (["2", "3", "1"] if "--all" in args else ["2", "3"]), lines
    listed = tracker("complaint", "list", "--all").stdout.splitlines()
    assert "take-down pending" in listed[3] and "OVERDUE" in listed[1], listed
    assert "佐藤 美" in listed[3] and "#1" in listed[3], "the name and the posts are cut at the end, not left out"
    assert [c["status"] for c in tracker.json("complaint", "list", "--all")] == ["open", "open", "answered"]
    assert tracker.json("complaint", "list", "--all")[2]["post_ids"] == [1, 2, 3, 4], "--json keeps everything"


def test_a_wide_terminal_shows_every_column_whole(tracker: Tracker, images: list[Path], zone: str) -> None:
    _logged(tracker, images)
    wide = tracker.runner.invoke(cli, ["complaint", "list", "--all"], env={"COLUMNS": "200"}).stdout.splitlines()
    assert "RECEIVED" in wide[0] and "2026-12-0" in wide[3]
    assert "佐藤 美咲 (株式会社サンプル出版)" in wide[3] and wide[3].endswith("#1, #2, #3, #4"), wide
