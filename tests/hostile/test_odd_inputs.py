"""Odd inputs met outside the readers' own tests: what the user sees stays one clean line or a report, and the
archive never holds bytes under another content's hash.

A picture whose damaged EXIF Pillow warns about, read again from the archive by `tracker match`; a Ctrl+C in
a command's last instant or its first; a picture saved again while an import reads it; PNGs of a hundred thousand
tiny chunks; a model file name that is Rich markup, in the progress bar of `tracker models scan`.
"""

from __future__ import annotations

import hashlib
import io
import os
import signal
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from fixtures.common import REPO, Tracker, query
from fixtures.imagefactory import pixels, write_png

from tracker.metadata import decoding


def _run(args: list[str], data: Path, code: str | None = None) -> subprocess.CompletedProcess[str]:
    """`tracker ARGS` in a process of its own (Python's own warnings and exit are what is tested), Ctrl+C reaching
    it as at a terminal (a test run started in the background by a non-interactive shell ignores SIGINT)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env.update(TRACKER_DATA_DIR=str(data), PYTHONPATH=str(REPO))
    command = [sys.executable, "-c", code, *args] if code else [sys.executable, "-m", "tracker.cli", *args]
    return subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=120, preexec_fn=_default_sigint, check=False
    )


def _default_sigint() -> None:
    """In the child, before it execs: SIGINT as a terminal's Ctrl+C (only a signal reset: safe after fork)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _jpeg_with_damaged_exif(path: Path) -> Path:
    """A JPEG whose EXIF IFD claims 65,535 entries and holds none (Pillow warns "Corrupt EXIF data")."""
    out = io.BytesIO()
    pixels((64, 48), seed=41).save(out, "JPEG", quality=90)
    jpeg = out.getvalue()
    app1 = b"Exif\0\0" + b"MM\0*" + struct.pack(">I", 8) + struct.pack(">H", 65535)
    path.write_bytes(jpeg[:2] + b"\xff\xe1" + (len(app1) + 2).to_bytes(2, "big") + app1 + jpeg[2:])
    return path


@pytest.mark.slow
def test_match_says_nothing_of_a_damaged_exif_in_an_archived_picture(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    picture = _jpeg_with_damaged_exif(tmp_path / "damaged-exif.jpg")
    tracker("log", picture, "--url", "https://www.pixiv.net/artworks/300", "--persona", "moth")
    copy = tmp_path / "copy.png"
    pixels((64, 48), seed=41).save(copy)  # the same picture, another file: the archived one is read to check it
    done = _run(["match", str(copy)], isolated_env)
    assert done.returncode == 0, done.stderr
    assert "https://www.pixiv.net/artworks/300" in done.stdout
    assert done.stderr == "", "a library warning reached the terminal"


CLOSE_INTERRUPTED = """
import os
import signal
import sys
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite

real_close = SQLiteDialect_pysqlite.do_close


def do_close(self, connection):  # Ctrl+C pressed while the database connection closes, at the end of a command
    os.kill(os.getpid(), signal.SIGINT)
    real_close(self, connection)


SQLiteDialect_pysqlite.do_close = do_close
from tracker.cli import main

sys.argv = ["tracker", *sys.argv[1:]]
main()
"""

SHUTDOWN_INTERRUPTED = """
import atexit
import os
import signal
import sys
import time


def ctrl_c():  # registered first, so run last: Ctrl+C pressed while Python shuts down after the command
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(0.05)


atexit.register(ctrl_c)
from tracker.cli import main

sys.argv = ["tracker", *sys.argv[1:]]
main()
"""

LOAD_INTERRUPTED = """
import os
import signal
import sys
import tracker.cli

real_get_command = tracker.cli.TrackerGroup.get_command


def get_command(self, ctx, name):  # Ctrl+C pressed while the command's module loads, before it does anything
    os.kill(os.getpid(), signal.SIGINT)
    return real_get_command(self, ctx, name)


tracker.cli.TrackerGroup.get_command = get_command
sys.argv = ["tracker", *sys.argv[1:]]
tracker.cli.main()
"""


@pytest.mark.slow
@pytest.mark.parametrize("when", [CLOSE_INTERRUPTED, SHUTDOWN_INTERRUPTED], ids=["database-closing", "shutdown"])
def test_ctrl_c_after_a_command_finished_leaves_it_finished(
    when: str, tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    """A Ctrl+C in the last instant of a command that has done its work (its database closing, Python shutting
    down) neither reports it interrupted (exit 130, "tracker: aborted") nor prints Python's "Exception ignored"."""
    first, second = tmp_path / "first.png", tmp_path / "second.png"
    pixels((64, 48), seed=42).save(first)
    pixels((64, 48), seed=43).save(second)
    tracker("log", first, "--url", "https://www.pixiv.net/artworks/301", "--persona", "moth")
    args = ["log", str(second), "--url", "https://www.pixiv.net/artworks/302", "--persona", "moth"]
    done = _run(args, isolated_env, when)
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    assert "https://www.pixiv.net/artworks/302" in done.stdout
    urls = {post["url"] for post in tracker.json("posts")}
    assert urls == {"https://www.pixiv.net/artworks/301", "https://www.pixiv.net/artworks/302"}, "the post was saved"


def test_ctrl_c_before_a_command_starts_is_one_line_without_an_empty_one(tmp_path: Path, isolated_env: Path) -> None:
    """Pressed while `tracker import`'s module still loads: one line on stderr (a log or a pipe gets no empty
    line above it, as Click writes), exit 130, and nothing was made."""
    folder = tmp_path / "posted"
    folder.mkdir()
    pixels((40, 32), seed=1).save(folder / "p.png")
    done = _run(["import", str(folder), "--persona", "moth", "--new-persona"], isolated_env, LOAD_INTERRUPTED)
    assert (done.returncode, done.stderr) == (130, "tracker: aborted\n")
    assert not (isolated_env / "tracker.db").exists()


def test_a_file_rewritten_while_an_import_reads_it_is_never_archived_under_another_files_hash(
    tracker: Tracker, tmp_path: Path, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An editor or a sync client saving the picture again between the import's digest and its read (same size,
    a new modification time) must not leave bytes in the archive under the hash of what was there before."""
    first = tmp_path / "first.png"
    pixels((64, 48), seed=45).save(first)
    tracker("log", first, "--url", "https://www.pixiv.net/artworks/399", "--persona", "moth")
    folder = tmp_path / "posted"
    folder.mkdir()
    picture = write_png(folder / "400.png", {"parameters": "moth, Steps: 20, Seed: 1111"}, image=pixels(seed=44))
    saved_again = write_png(
        tmp_path / "again.png", {"parameters": "moth, Steps: 20, Seed: 2222"}, image=pixels(seed=44)
    )
    assert saved_again.stat().st_size == picture.stat().st_size
    real_read = decoding.read_at_most
    rewritten: list[Path] = []

    def read_while_rewritten(handle: io.BufferedReader, limit: int) -> bytes:
        if not rewritten and os.fstat(handle.fileno()).st_ino == picture.stat().st_ino:  # saved again as it is read
            rewritten.append(picture)
            before = picture.stat()
            with open(picture, "r+b") as rewrite:
                rewrite.write(saved_again.read_bytes())
            os.utime(picture, ns=(before.st_atime_ns, before.st_mtime_ns + 10**9))  # a clock coarser than this
        return real_read(handle, limit)

    monkeypatch.setattr(decoding, "read_at_most", read_while_rewritten)
    template = "https://www.pixiv.net/artworks/{id}"
    result = tracker("import", folder, "--persona", "moth", "--url-template", template, ok=False)
    assert rewritten
    archive = isolated_env / "archive"
    for sha256, path in query(isolated_env, "select sha256, archive_path from image"):
        held = hashlib.sha256((archive / path).read_bytes()).hexdigest()
        assert held == sha256 and path.split("/")[1].startswith(sha256), "an archived file is not what it is named"
    assert result.exit_code == 1 and "changed while it was read" in result.stderr, result.output
    again = tracker("import", folder, "--persona", "moth", "--url-template", template)
    assert "1 new post" in again.stdout
    assert (hashlib.sha256(saved_again.read_bytes()).hexdigest(),) in query(isolated_env, "select sha256 from image")


def _on_a_terminal(args: list[str], data: Path) -> bytes:
    """What `tracker ARGS` writes to a terminal (a pseudo-terminal: the progress bars draw only there)."""
    import pty

    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env.update(TRACKER_DATA_DIR=str(data), PYTHONPATH=str(REPO), COLUMNS="200", LINES="40", TERM="xterm-256color")
    parent, child = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "tracker.cli", *args], env=env, stdout=child, stderr=child)
    os.close(child)
    out = b""
    while True:
        try:
            chunk = os.read(parent, 65536)
        except OSError:  # the command ended and closed the terminal
            break
        if not chunk:
            break
        out += chunk
    os.close(parent)
    assert proc.wait(timeout=120) == 0, out.decode(errors="replace")
    return out


@pytest.mark.slow
def test_a_model_file_name_is_never_markup_in_the_progress_bar(tmp_path: Path, isolated_env: Path) -> None:
    folder = tmp_path / "models"
    folder.mkdir()
    (folder / "[reverse]boss.safetensors").write_bytes(os.urandom(1 << 20))
    shown = _on_a_terminal(["models", "scan", str(folder)], isolated_env)
    assert b"[reverse]boss" in shown, "the name is shown as it is"
    assert b"\x1b[7m" not in shown, "a file name styled the terminal (reverse video)"


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return len(body).to_bytes(4, "big") + kind + body + zlib.crc32(kind + body).to_bytes(4, "big")


def _png_with(chunks: bytes, seed: int) -> bytes:
    """A real picture with `chunks` right after its header."""
    out = io.BytesIO()
    pixels((64, 48), seed=seed).save(out, "PNG")
    png = out.getvalue()
    return png[:33] + chunks + png[33:]


def test_a_png_of_a_hundred_thousand_tiny_text_chunks_is_refused_not_read_for_minutes(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    """1.5 MB of 15-byte text chunks took 1.6 s to read; the 256 MB a file may be, five minutes and gigabytes."""
    stall = tmp_path / "stall.png"
    stall.write_bytes(_png_with(_png_chunk(b"tEXt", b"k\0v") * 100_000, seed=46))
    for command in (
        ["inspect", stall],
        ["log", stall, "--url", "https://www.pixiv.net/artworks/500", "--persona", "moth"],
    ):
        result = tracker(*command, ok=False)
        assert result.exit_code == 1, result.output
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert lines == ["tracker: error: stall.png: more than 10,000 chunks besides its pixels: damaged or hostile"]


def test_a_png_whose_pixels_come_in_many_small_chunks_is_read(tracker: Tracker, tmp_path: Path) -> None:
    """Pixel data may be cut into chunks of any size (an encoder writing 8 KiB at a time): their number alone is
    no reason to refuse a picture."""
    out = io.BytesIO()
    pixels((640, 480), seed=47).save(out, "PNG", compress_level=0)
    png = out.getvalue()
    start = png.index(b"IDAT") - 4
    stream, pos = b"", start
    while png[pos + 4 : pos + 8] == b"IDAT":
        length = int.from_bytes(png[pos : pos + 4], "big")
        stream += png[pos + 8 : pos + 8 + length]
        pos += 12 + length
    pieces = b"".join(_png_chunk(b"IDAT", stream[i : i + 64]) for i in range(0, len(stream), 64))
    split = tmp_path / "split.png"
    split.write_bytes(png[:start] + pieces + png[pos:])
    assert len(stream) // 64 > 10_000
    report = tracker("inspect", split).stdout
    assert "PNG 640x480" in report


def test_a_png_of_a_million_empty_pixel_chunks_is_refused(tracker: Tracker, tmp_path: Path) -> None:
    empty = _png_chunk(b"IDAT", b"")
    out = io.BytesIO()
    pixels((64, 48), seed=48).save(out, "PNG")
    png = out.getvalue()
    start = png.index(b"IDAT") - 4
    stall = tmp_path / "empty-chunks.png"
    stall.write_bytes(png[:start] + empty * 1_000_000 + png[start:])
    result = tracker("inspect", stall, ok=False)
    assert result.exit_code == 1, result.output
    assert "more than 100,000 chunks of pixel data: damaged or hostile" in result.stderr
