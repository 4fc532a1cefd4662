"""A formal Japanese letter may write the numbers of the day it asks for in kanji (令和八年十二月十日までに,
十二月十日（木）十七時までに, 十日以内に, 一週間以内に): the deadline is read as from digits; `一日も早く` ("as soon as
possible") still names no day."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tracker.complaints.reading.message_dates import JAPAN
from tracker.complaints.reading.message_details import demanded_deadline

RECEIVED = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)  # 10:00 on Monday 7 December in Japan


def _asked(words: str) -> datetime | None:
    text = f"moth様\n\n貴殿の投稿は当方の著作権を侵害しています。{words}\n\n山田花子"
    return demanded_deadline(text, RECEIVED, JAPAN)


@pytest.mark.parametrize(
    ("words", "due"),
    [
        ("令和八年十二月十日までに削除してください。", datetime(2026, 12, 10, 14, 59, 59, tzinfo=UTC)),
        ("二〇二六年十二月十日までに削除してください。", datetime(2026, 12, 10, 14, 59, 59, tzinfo=UTC)),
        ("十二月十日までに削除を求めます。", datetime(2026, 12, 10, 14, 59, 59, tzinfo=UTC)),
        ("十二月十日（木）十七時までに削除してください。", datetime(2026, 12, 10, 8, 0, tzinfo=UTC)),
        ("本書到達後十日以内に削除してください。", datetime(2026, 12, 17, 14, 59, 59, tzinfo=UTC)),
        ("一週間以内に削除してください。", datetime(2026, 12, 14, 14, 59, 59, tzinfo=UTC)),
    ],
)
def test_a_day_written_in_kanji_numbers_is_the_deadline(words: str, due: datetime) -> None:
    assert _asked(words) == due


def test_as_soon_as_possible_names_no_day() -> None:
    assert _asked("一日も早く削除してください。一時的に非公開にしていただいても構いません。") is None
