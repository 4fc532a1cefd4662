"""The limits the English and Japanese deadline readers share are one limit each, defined once.

`within N days` is read up to `deadline_words.MAX_DAYS` days, and a day named without a year rolls into the next
year only within `deadline_words.YEAR_TURN` of it, in both languages; the most digits a row's number can have
(`db.plain.MAX_DIGITS`) is the same for `tracker show N` and the TUI's Find. A second copy of one of them could
be changed alone, and the two readers (or the two look-ups) would then disagree without anyone deciding so.
"""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from pathlib import Path

from tracker.complaints.reading.english_deadlines import asked_deadline
from tracker.complaints.reading.message_details import demanded_deadline

PACKAGE = Path(__file__).resolve().parents[2] / "tracker"
RECEIVED = datetime(2026, 12, 4, 3, 0, tzinfo=UTC)


def test_english_and_japanese_read_the_same_longest_span() -> None:
    from tracker.complaints.reading.deadline_words import MAX_DAYS

    for days, read in ((MAX_DAYS, True), (MAX_DAYS + 1, False)):
        english = asked_deadline(f"Please remove the image within {days} days.", RECEIVED, UTC)
        japanese = demanded_deadline(f"{days}日以内に削除してください。", RECEIVED, UTC)
        assert (english is not None, japanese is not None) == (read, read), days
        assert english == japanese


def test_english_and_japanese_turn_the_year_alike() -> None:
    from tracker.complaints.reading.deadline_words import YEAR_TURN

    english = asked_deadline("Please remove the image by January 5.", RECEIVED, UTC)
    japanese = demanded_deadline("1月5日までに削除してください。", RECEIVED, UTC)
    assert english is not None and english == japanese and english.year == 2027
    assert YEAR_TURN.days >= (datetime(2027, 1, 5, tzinfo=UTC) - RECEIVED).days


def _defined(names: set[str]) -> dict[str, list[str]]:
    """Where each of `names` (with or without a leading underscore) is assigned at a module's top level."""
    found: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            targets = node.targets if isinstance(node, ast.Assign) else []
            for target in targets:
                if isinstance(target, ast.Name) and target.id.lstrip("_") in names:
                    value = ast.unparse(node.value)
                    found.setdefault(target.id.lstrip("_"), []).append(f"{path.relative_to(PACKAGE)} = {value}")
    return found


def test_each_shared_limit_has_one_home() -> None:
    found = _defined({"MAX_DAYS", "YEAR_TURN", "MAX_DIGITS"})
    assert found["MAX_DAYS"] == ["complaints/reading/deadline_words.py = 120"]
    assert found["YEAR_TURN"] == ["complaints/reading/deadline_words.py = timedelta(days=120)"]
    # a1111's `_MAX_DIGITS` (4000) is another limit: the longest digit string read as a number in metadata
    assert [where for where in found["MAX_DIGITS"] if where.endswith("= 18")] == ["db/plain.py = 18"]
