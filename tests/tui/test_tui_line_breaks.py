"""Japanese at 80 columns: no wrapped line of a letter or a message starts with 。 or 」 or ends with 「."""

from __future__ import annotations

import pytest
from fixtures.common import Tracker
from fixtures.tui import SIZE, make_app, settled
from hypothesis import given
from hypothesis import strategies as st
from rich._wrap import divide_line
from rich.cells import cell_len
from textual._wrap import compute_wrap_offsets
from textual.widgets import TextArea

from tracker.tui.line_breaks import NO_END, NO_START, kinsoku
from tracker.tui.screens.reply import ReplyScreen

LETTER = "このたびはご連絡をいただき、誠にありがとうございます。ご指摘の投稿につきましては、確認のうえ削除いたしました。「夜の港」とのご作品名も拝見しております。"


def _lines(text: str, offsets: list[int]) -> list[str]:
    return [text[a:b] for a, b in zip([0, *offsets], [*offsets, len(text)], strict=True)]


def _broken_badly(lines: list[str]) -> list[str]:
    return [line for line in lines[1:] if line[0] in NO_START] + [line for line in lines[:-1] if line[-1] in NO_END]


@pytest.mark.parametrize("fold", [divide_line, lambda text, width: compute_wrap_offsets(text, width, 4)])
@pytest.mark.parametrize("width", range(12, 44))
def test_a_japanese_paragraph_is_broken_where_a_japanese_reader_expects(fold: object, width: int) -> None:
    lines = _lines(LETTER, kinsoku(fold)(LETTER, width))  # type: ignore[arg-type]
    assert "".join(lines) == LETTER
    assert all(cell_len(line) <= width for line in lines), "no line grows past the width"
    assert not _broken_badly(lines)


def test_the_plain_folding_does_break_badly_at_some_width() -> None:
    """The test above would pass on an unchanged fold only if the paragraph never hit a bad break."""
    assert any(_broken_badly(_lines(LETTER, divide_line(LETTER, width))) for width in range(12, 44))


@given(st.text(alphabet="あい漢字。、「」ー っa b.", max_size=120), st.integers(min_value=4, max_value=30))
def test_any_text_keeps_its_characters_and_the_width(text: str, width: int) -> None:
    for fold in (divide_line, lambda t, w: compute_wrap_offsets(t, w, 4)):
        offsets = kinsoku(fold)(text, width)
        assert offsets == sorted(set(offsets)) and all(0 < o < len(text) for o in offsets)
        lines = _lines(text, offsets)
        assert "".join(lines) == text
        assert all(cell_len(line.rstrip()) <= width for line in lines)


@pytest.mark.db
async def test_the_reply_letter_at_80_columns_never_starts_a_line_with_a_full_stop(tracker: Tracker) -> None:
    tracker("complaint", "add", "--name", "山田 花子", "--message", "私の作品に似ています。削除をお願いいたします。")
    tracker("complaint", "decide", "1", "--action", "ask_info")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        app.push_screen(ReplyScreen(1))
        await settled(pilot)
        reply = app.screen.query_one("#reply", TextArea)
        width = reply.wrap_width
        assert width > 10
        # A line whose full stop falls just past the right edge: a plain fold starts the next line with 。
        probe = "あ" * (width // 2) + "。" + "続きの文です。" * 3
        reply.load_text(reply.text + "\n" + probe)
        await settled(pilot)
        lines = reply.wrapped_document.lines  # each line of the letter as the screen folds it
        assert any(part == "あ" * (width // 2 - 1) for line in lines for part in line), "the last あ moved down"
        assert not [part for line in lines for part in line[1:] if part[:1] in NO_START], "a line starts with 。"


def test_a_latin_title_inside_japanese_moves_down_whole() -> None:
    """`「Orchard in fog」` was broken as `「Orcha` / `rd in fog`: a Latin word in a Japanese line moves down whole."""
    text = "このたびは、2024年11月15日に「Orchard in fog (watercolour, 2024)」に関するご連絡をいただき、誠にありがとうございます。"
    for width in range(14, 60):
        for fold in (divide_line, lambda t, w: compute_wrap_offsets(t, w, 4)):
            lines = _lines(text, kinsoku(fold)(text, width))
            assert "".join(lines) == text and all(cell_len(line.rstrip()) <= width for line in lines)
            for line, after in zip(lines, lines[1:], strict=False):
                assert not (line[-1].isascii() and line[-1].isalpha() and after[0].isascii() and after[0].isalpha()), (
                    width,
                    lines,
                )


@pytest.mark.db
async def test_the_whole_message_at_80x24_never_starts_a_line_with_a_full_stop(tracker: Tracker) -> None:
    """`m` in triage shows the message in a Static, which Textual folds with its own copy of Rich's function:
    `…申します` / `。` was drawn there although the letter's TextArea was already right."""
    from fixtures.tui import screen_lines, wait_for

    from tracker.tui.screens.triage import MessageScreen

    # One of these paragraphs puts its full stop just past the right edge, whatever the view's exact width.
    message = "\n".join("あ" * k + "。続きます。" for k in range(31, 36))
    tracker("complaint", "add", "--name", "佐藤 美咲", "--message", message)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_complaint(1)
        await settled(pilot)
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, MessageScreen))
        await settled(pilot)
        drawn = [line.strip(" █│┃") for line in screen_lines(app)]
        assert all(paragraph in "".join(drawn) for paragraph in message.split("\n")), "every paragraph is shown whole"
        assert not [line for line in drawn if line[:1] in NO_START], "\n".join(drawn)
