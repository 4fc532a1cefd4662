"""`tracker complaint add` at 80 columns: what it read from the message and logged, every row folded under its
value, as `complaint show` folds its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.columns import fitting_lines
from fixtures.common import Tracker
from PIL import Image

from tracker.support.textsafe import cell_width

pytestmark = pytest.mark.db


JAPANESE = """差出人: 山田 花子 <hanako.yamada@example.jp>
件名: 作品の無断使用について
日付: 2026年12月6日 10:12

突然のご連絡失礼いたします。イラストレーターの山田花子と申します。
貴殿の投稿は、私の作品「夜の港」を無断で模倣したものと考えております。
つきましては、12月8日までに当該投稿を削除していただきますよう、お願い申し上げます。
"""


def test_complaint_add_at_80_columns_folds_what_it_read_under_each_value(
    tracker: Tracker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The deadline a Japanese letter asks for, said with the clock it was read on, is longer than a line: folded
    under its value at 80 columns (a terminal's own wrap cut it mid-word, back at the left edge)."""
    message = tmp_path / "message.txt"
    message.write_text(JAPANESE, encoding="utf-8")
    monkeypatch.setenv("COLUMNS", "80")
    lines = tracker("complaint", "add", "--message-file", message, "--basis", "jp").stdout.splitlines()
    assert all(cell_width(line) <= 80 for line in lines), lines
    at = next(n for n, line in enumerate(lines) if line.startswith("  deadline   "))
    assert lines[at + 1].startswith(" " * 13) and lines[at + 1].strip(), lines[at : at + 3]


def test_complaint_show_at_80_columns_keeps_an_archive_path_whole_to_copy(
    tracker: Tracker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The archived picture's path, longer than a line, stands alone on its line for the terminal to wrap: copied
    from the screen it opens the file (cut after a `/`, its second half on an indented line, it named nothing);
    the Japanese message beside it is still folded within 80 columns."""
    message = tmp_path / "message.txt"
    message.write_text(JAPANESE, encoding="utf-8")
    picture = tmp_path / "theirs.png"
    Image.new("RGB", (64, 48), (200, 30, 30)).save(picture)
    tracker("complaint", "add", "--message-file", message, "--image", picture, "--basis", "jp")
    archived = tracker.json("complaint", "show", "1")["images"][0]["archive_file"]
    monkeypatch.setenv("COLUMNS", "80")
    lines = fitting_lines(tracker("complaint", "show", "1").stdout)
    assert cell_width(archived) > 80 - 13, "the path is longer than a row's room"
    copied = [line.strip() for line in lines if archived in line]
    assert copied == [archived] and Path(copied[0]).read_bytes() == picture.read_bytes(), lines
    said = [line for line in lines if "無断で模倣" in line or "無断で" in line]
    assert said and all(cell_width(line) <= 80 for line in said), lines
