"""Japanese text in the CLI's folded output (`complaint show` at 80 columns) breaks as in the TUI: a URL written
against it stays whole on one line (cut after its last `/`, `…/artworks/` + `111111111の画像は…`, it was copied by
halves), and no line starts with 。 or 」 nor ends with 「."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker

from tracker.cli.output import fold, hanging
from tracker.support.kinsoku import NO_END, NO_START
from tracker.support.textsafe import cell_width

PIXIV = "https://www.pixiv.net/artworks/111111111"
THEIRS = "https://lumi.example.jp/作品/向日葵の少女"
MESSAGE = (
    f"貴殿が投稿された {PIXIV}の画像は、弊社の作品「向日葵の少女」（{THEIRS}）を無断で使用しております。"
    "ご確認のほどよろしくお願いいたします。"
)


def test_a_url_against_japanese_text_is_not_cut() -> None:
    lines = fold(MESSAGE, 76, 76)
    assert any(PIXIV in line for line in lines), lines
    assert any(THEIRS in line for line in lines), lines
    assert "".join(lines).replace(" ", "") == MESSAGE.replace(" ", ""), "nothing lost or added"
    assert all(cell_width(line) <= 76 for line in lines)


def test_a_url_that_does_not_fit_the_first_line_starts_the_next() -> None:
    lines = hanging("  message  ", f"{PIXIV}の画像は、弊社の作品です。", 48, 4)
    assert lines[0] == "  message", lines
    assert lines[1].strip().startswith(PIXIV), lines
    assert all(cell_width(line) <= 48 for line in lines)


def test_a_path_longer_than_a_line_is_still_cut_after_a_slash() -> None:
    path = "/home/user/some/very/long/path/that/does/not/fit/anywhere/in/the/line/at/all/really.png"
    lines = fold(path, 30, 30)
    assert "".join(lines) == path
    assert all(line.endswith("/") for line in lines[:-1])


@pytest.mark.db
def test_complaint_show_keeps_the_urls_whole_at_80_columns(
    tracker: Tracker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    message = tmp_path / "ja.txt"
    message.write_text(f"件名: 作品の無断使用について\n\n{MESSAGE}\n\n株式会社ルミナスアーツ 高橋\n", encoding="utf-8")
    tracker("complaint", "add", "--from", str(message))
    monkeypatch.setenv("COLUMNS", "80")
    shown = tracker("complaint", "show", "1").stdout
    message = shown.split("\n  message\n", 1)[1].split("\n  decisions", 1)[0]
    assert f"{PIXIV}の画像は" in message and f"（{THEIRS}）" in message, message
    assert not [line for line in shown.splitlines() if cell_width(line) > 80]
    assert not [line for line in message.splitlines() if line.strip()[:1] in NO_START], message


def test_no_line_starts_with_a_closing_mark_or_ends_with_an_opening_one() -> None:
    text = "貴殿が投稿された画像は、弊社の作品「向日葵の少女」を無断で使用しております。ご確認のほどよろしくお願いいたします。"
    for width in range(12, 60):
        lines = fold(text * 2, width, width)
        assert "".join(lines) == text * 2
        assert all(cell_width(line) <= width for line in lines), width
        assert not [line for line in lines[1:] if line[0] in NO_START], (width, lines)
        assert not [line for line in lines[:-1] if line[-1] in NO_END], (width, lines)


def test_a_relative_path_longer_than_a_line_stands_whole_and_a_japanese_sentence_still_folds() -> None:
    """`archive/fb/…png` (a path relative to where the owner is) is never cut, as `/home/…` is not; a Japanese
    sentence with a slash in it is no path, and folds within the line."""
    path = "archive/fb/" + "fb0123456789abcd" * 4 + ".png"
    lines = hanging("", f"  image      theirs.png  PNG 64x48  {path}", 80, 13)
    assert [line.strip() for line in lines] == ["image      theirs.png  PNG 64x48", path], lines
    sentence = "貴殿の投稿/作品は弊社の作品「向日葵の少女」を無断で使用したものと考えております。" * 2
    folded = hanging("", f"    {sentence}", 80, 4)
    assert len(folded) > 1 and all(cell_width(line) <= 80 for line in folded), folded
