"""What the terminal can draw: one round trip before the app starts, textual-image loaded later
without questioning the terminal Textual owns."""

from __future__ import annotations

import os
import pty
import select
import sys
import time
from pathlib import Path

import pytest

from tracker.tui.images import HALF_BLOCKS, KITTY, SIXEL, Graphics, graphics_from, probe_terminal


def test_the_answers_say_how_to_draw() -> None:
    assert graphics_from(b"\x1b[6;20;10t\x1b[?62;4;22c") == Graphics(SIXEL, (10, 20))
    assert graphics_from(b"\x1b_Gi=31;OK\x1b\\\x1b[?62;22c") == Graphics(KITTY, None)
    assert graphics_from(b"\x1b[?62;22c", cell=(9, 18)) == Graphics(HALF_BLOCKS, (9, 18))
    assert graphics_from(b"") == Graphics(HALF_BLOCKS, None)  # no answer at all: still a terminal
    assert graphics_from(b"\x1b_Gi=31;ENOTSUPPORTED\x1b\\\x1b[?1;2c").method == HALF_BLOCKS


def test_no_pictures_when_turned_off_or_without_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    assert probe_terminal() is None  # the test runner's stdin is not a terminal
    monkeypatch.setenv("TRACKER_TUI_IMAGES", "0")
    assert probe_terminal() is None


def _in_a_terminal(code: str, answers: dict[bytes, bytes], timeout: float = 20.0) -> tuple[str, bytes, float]:
    """Run Python `code` on a pseudo-terminal that answers `answers`; its last line, all it wrote, seconds."""
    start = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(sys.executable, [sys.executable, "-c", code])
    seen = b""
    try:
        while time.monotonic() - start < timeout:
            if not select.select([fd], [], [], 0.05)[0]:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
            for query, answer in answers.items():
                if query in chunk:
                    os.write(fd, answer)
    finally:
        os.waitpid(pid, 0)
        os.close(fd)
    lines = [line[line.index("RESULT ") :] for line in seen.decode(errors="replace").splitlines() if "RESULT " in line]
    return (lines[-1].strip() if lines else ""), seen, time.monotonic() - start


@pytest.mark.slow
def test_one_round_trip_finds_sixel_and_the_cell_size() -> None:
    code = "from tracker.tui.images import probe_terminal\nprint('RESULT', probe_terminal())"
    result, _, _ = _in_a_terminal(code, {b"\x1b[c": b"\x1b[6;18;9t\x1b[?62;4;22c"})
    assert result == "RESULT Graphics(method='sixel', cell=(9, 18))"


@pytest.mark.slow
def test_a_silent_terminal_costs_half_a_second_at_most() -> None:
    code = (
        "import time\nfrom tracker.tui.images import probe_terminal\n"
        "t = time.monotonic(); g = probe_terminal(); print('RESULT', g.method, round(time.monotonic() - t, 1))"
    )
    result, _, _ = _in_a_terminal(code, {})
    method, seconds = result.split()[1:]
    assert method == HALF_BLOCKS and float(seconds) <= 0.7


@pytest.mark.slow
def test_textual_image_loads_later_without_asking_the_terminal() -> None:
    code = (
        "from tracker.tui.images import Graphics, image_widget\n"
        "widget = image_widget(Graphics('half-blocks', (7, 14)))\n"
        "from textual_image._terminal import get_cell_size\n"
        "print('RESULT', widget.__name__, tuple(get_cell_size()))"
    )
    result, written, _ = _in_a_terminal(code, {})
    assert result == "RESULT HalfcellImage (7, 14)"
    assert b"\x1b[c" not in written and b"\x1b_G" not in written and b"\x1b[16t" not in written


@pytest.mark.parametrize("inside", ["TMUX", "STY"])
def test_inside_tmux_or_screen_the_kitty_question_is_not_asked(inside: str) -> None:
    """tmux takes kitty's unknown sequence for the pane's title (`Gi=31,s=1,...`), which stays after quitting."""
    code = (
        f"import os\nos.environ[{inside!r}] = '/tmp/tmux-0/default,1,0'\n"
        "from tracker.tui.images import probe_terminal\nprint('RESULT', probe_terminal())"
    )
    result, wrote, _ = _in_a_terminal(code, {b"\x1b[c": b"\x1b[?62;22c"})
    assert result.startswith("RESULT Graphics(method='half-blocks'"), result
    assert b"\x1b[c" in wrote and b"\x1b_G" not in wrote
    _, plain, _ = _in_a_terminal(
        "import os\nos.environ.pop('TMUX', None); os.environ.pop('STY', None); os.environ['TERM'] = 'xterm'\n"
        "from tracker.tui.images import probe_terminal\nprint('RESULT', probe_terminal())",
        {b"\x1b[c": b"\x1b[?62;22c"},
    )
    assert b"\x1b_Gi=31" in plain, "elsewhere kitty graphics are still asked about"


async def test_a_photo_stored_sideways_is_drawn_upright(tmp_path: Path) -> None:
    """The preview turns a picture by its EXIF orientation, as viewers do: next to a complainant's screenshot of
    the post, the phone photo is not lying on its side."""
    from matching.test_exif_orientation import SHOWN, sideways
    from textual.app import App, ComposeResult

    from tracker.tui.widgets.preview import ImagePreview

    phone = tmp_path / "phone.jpg"
    sideways(phone)

    class One(App[None]):
        def compose(self) -> ComposeResult:
            yield ImagePreview("post", Graphics(HALF_BLOCKS, (8, 16)), id="preview")

    app = One()
    async with app.run_test(size=(80, 40)) as pilot:
        app.query_one(ImagePreview).set_image(phone, "phone.jpg")
        await pilot.pause()
        drawn = app.query_one(".preview-picture")
        width, height = drawn.image.size  # type: ignore[attr-defined]
        assert width > height and abs(width / height - SHOWN[0] / SHOWN[1]) < 0.05
