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
        await app.push_screen(ReplyScreen(1))
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


URL_PROSE = (
    "山田と申します。先日、貴殿の投稿を拝見いたしました。私の作品（https://www.pixiv.net/artworks/98765432）に酷似して"
    "おり、大変驚いております。ご確認の上、削除をお願いいたします。"
)
URL = "https://www.pixiv.net/artworks/98765432"


@pytest.mark.parametrize("fold", [divide_line, lambda text, width: compute_wrap_offsets(text, width, 4)])
@pytest.mark.parametrize("width", range(42, 120))
def test_a_url_against_japanese_prose_is_kept_on_one_line_where_it_fits(fold: object, width: int) -> None:
    """`（https://` / `www.pixiv.net/artworks/98765432）`: copied from the terminal, half a URL."""
    lines = _lines(URL_PROSE, kinsoku(fold)(URL_PROSE, width))  # type: ignore[arg-type]
    assert "".join(lines) == URL_PROSE and all(cell_len(line) <= width for line in lines)
    assert any(URL in line for line in lines), (width, lines)
    assert not [line for line in lines[1:] if line[0] in NO_START], lines
    if width >= 44:  # the URL fits with its brackets: no bracket is left at a line's end either
        assert not _broken_badly(lines), lines


@pytest.mark.db
@pytest.mark.parametrize("width", [80, 100])
async def test_the_whole_message_keeps_a_url_in_japanese_on_one_line(tracker: Tracker, width: int) -> None:
    """The message (`m`) at 80 and 100 columns, its URL written where the line ends: `（https://` / `www.pixiv…）`."""
    from fixtures.tui import screen_lines, wait_for
    from textual.widgets import Static

    from tracker.tui.screens.triage import MessageScreen

    tracker("complaint", "add", "--name", "山田", "--message", "下書き")
    app = make_app()
    async with app.run_test(size=(width, 24)) as pilot:
        app.open_complaint(1)
        await settled(pilot)
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, MessageScreen))
        await settled(pilot)
        room = app.screen.query_one("#message-text", Static).content_size.width
    # The URL starts 20 cells before the line's end: the plain folding cut it in two there.
    message = "あ" * ((room - 20) // 2 - 1) + f"（{URL}）に酷似しております。削除をお願いいたします。"
    tracker("complaint", "add", "--name", "山田", "--message", message)
    app = make_app()
    async with app.run_test(size=(width, 24)) as pilot:
        app.open_complaint(2)
        await settled(pilot)
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, MessageScreen))
        await settled(pilot)
        drawn = [line.strip(" █│┃▊▎") for line in screen_lines(app)]
        assert any(URL in line for line in drawn), "\n".join(drawn)
        assert not [line for line in drawn if line[:1] in NO_START], "\n".join(drawn)


NAME_LINE = "高橋 綾乃様、このたびはご連絡をいただき、誠にありがとうございます。ご指摘の投稿につきましては、確認のうえ削除いたしました。"


@pytest.mark.parametrize("fold", [divide_line, lambda text, width: compute_wrap_offsets(text, width, 4)])
@pytest.mark.parametrize("width", range(16, 60))
def test_one_space_in_a_japanese_line_does_not_leave_the_line_empty(fold: object, width: int) -> None:
    """Textual and Rich fold at ASCII spaces: `高橋 ` was a line of its own and the rest started on the next."""
    lines = _lines(NAME_LINE, kinsoku(fold)(NAME_LINE, width))  # type: ignore[arg-type]
    assert "".join(lines) == NAME_LINE
    assert all(cell_len(line) >= width - 3 for line in lines[:-1]), lines  # full but for 禁則's few characters


@given(st.text(alphabet="あい漢字。、「」ー っa b.　", max_size=120), st.integers(min_value=4, max_value=30))
def test_in_a_text_area_no_line_passes_the_width(text: str, width: int) -> None:
    """The TextArea's cursor needs a cell after a line's last space: there no space hangs past the width."""
    lines = _lines(text, kinsoku(lambda t, w: compute_wrap_offsets(t, w, 4), spaces_hang=False)(text, width))
    assert "".join(lines) == text
    assert all(cell_len(line) <= width for line in lines)


@pytest.mark.db
async def test_the_reply_letter_wraps_a_japanese_line_with_a_space_at_the_width(tracker: Tracker) -> None:
    """The reply box broke `高橋 綾乃 様、…` after `高橋 `, leaving most of its first line empty; the letter
    copied or saved is still exactly what was typed."""
    tracker("complaint", "add", "--name", "高橋 綾乃", "--message", "私の作品に似ています。削除をお願いいたします。")
    tracker("complaint", "decide", "1", "--action", "ask_info")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await app.push_screen(ReplyScreen(1))
        await settled(pilot)
        reply = app.screen.query_one("#reply", TextArea)
        width = reply.wrap_width
        probe = "高橋 綾乃 様、" + "いつもお世話になっております。" * 8
        reply.load_text(probe)
        await settled(pilot)
        parts = reply.wrapped_document.lines[0]
        assert "".join(parts) == probe
        assert all(width - 3 <= cell_len(part) <= width for part in parts[:-1]), parts
        assert reply.text == probe


BSKY = "https://bsky.app/profile/lantern.bsky.social/post/3kdemo2bridge"
BSKY_PROSE = f"貴殿がBlueskyに投稿された画像（{BSKY}）が、私の作品「雨上がりの橋」に酷似しており、大変驚いております。"


@pytest.mark.parametrize("fold", [divide_line, lambda text, width: compute_wrap_offsets(text, width, 4)])
@pytest.mark.parametrize("width", range(len(BSKY), len(BSKY) + 8))
def test_a_url_that_fits_only_without_its_brackets_is_still_whole(fold: object, width: int) -> None:
    """A Bluesky post's URL (63 characters) in brackets at 64 columns: the brackets cannot go with it, so it was cut
    (`…/3kdemo2bridg` / `e）`) and `（` left alone on a line; now it has a line of its own, whole."""
    lines = _lines(BSKY_PROSE, kinsoku(fold)(BSKY_PROSE, width))  # type: ignore[arg-type]
    assert any(BSKY in line for line in lines), lines
    assert all(line.strip() not in ("（", "）") for line in lines), lines


@pytest.mark.db
async def test_the_whole_message_at_80x24_shows_a_long_url_in_brackets_whole(tracker: Tracker) -> None:
    """`m` in triage: the message's Bluesky URL, in Japanese brackets, was drawn cut in two at 80 columns."""
    from fixtures.tui import screen_lines, wait_for

    from tracker.tui.screens.triage import MessageScreen

    tracker("complaint", "add", "--name", "高橋 綾乃", "--message", "突然のご連絡失礼いたします。\n" + BSKY_PROSE)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_complaint(1)
        await settled(pilot)
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, MessageScreen))
        await settled(pilot)
        drawn = [line.strip(" █│┃▇▁▆▅▃▂") for line in screen_lines(app)]
        assert any(BSKY in line for line in drawn), "\n".join(drawn)
