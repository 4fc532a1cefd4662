"""Issue 18, cases 6, 7, 10, 11, 12 and 14: odd files, endless inputs, dates, workers, platforms, folders.

Each numbered case has its regression tests below; the property tests at the end feed truncated and
bit-flipped images and e-mails to `log`, `match` and `complaint add --from`: none may end in an
internal error or a traceback, and a refused `log` writes nothing.

(Named `test_hostile_inputs.py`, not `test_inputs.py`: the test folders have no `__init__.py`, so two
test modules of one name, this one and tests/posts/test_inputs.py, cannot be collected together.)
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import Result
from fixtures.common import REPO, Tracker, database_url, query
from fixtures.hangs import deadline
from fixtures.imagefactory import A1111_INFOTEXT, FORGE_INFOTEXT, pixels, write_exif_image, write_png, write_png_itxt
from fixtures.mail import dmca_notice, html_only, japanese_complaint, pasted_pixiv, with_images
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, text

from tracker.errors import UsageError
from tracker.platforms.urls import check_handle, load_platforms, parse_post_url, shipped_platforms_path
from tracker.support import dates
from tracker.support.files import make_private_dir
from tracker.support.user_files import fs_text, read_text_limited

pytestmark = pytest.mark.db

PLATFORMS = load_platforms(shipped_platforms_path())
BAD_NAME = os.fsdecode(b"moth-\xff\xfe night.png")
"""A file name whose bytes are not UTF-8 (Latin-1 or Shift_JIS from an old archive)."""
SHOWN_NAME = "moth-\\xff\\xfe night.png"


def clean(result: Result) -> None:
    """No internal error, no traceback: a report, or one `tracker: error:` line and a user error's exit."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code != 70 and "Traceback" not in result.output
    if result.exit_code:
        lines = [line for line in result.stderr.splitlines() if line.startswith("tracker: error:")]
        assert lines, result.output


def refused(result: Result, *words: str) -> str:
    """The one-line error of a refused command, which names each of `words`."""
    clean(result)
    assert result.exit_code in (1, 2), result.output
    message = result.stderr.strip().splitlines()[-1]
    for word in words:
        assert word in message, message
    return message


def counts(data: Path) -> tuple[int, ...]:
    """Rows and archived files: what a refused command must leave as it was."""
    tables = ("post", "image", "account", "persona", "complaint")
    rows = tuple(query(data, f"select count(*) from {table}")[0][0] for table in tables)
    archive = data / "archive"
    files = sum(1 for p in archive.rglob("*") if p.is_file()) if archive.is_dir() else 0
    return (*rows, files)


@pytest.fixture
def image(tmp_path: Path) -> Path:
    return write_png(tmp_path / "night.png", {"parameters": A1111_INFOTEXT}, image=pixels(seed=11))


@pytest.fixture
def logged(tracker: Tracker, image: Path) -> Path:
    """A database with one post in it (so a refused command has something to leave alone)."""
    tracker("log", image, "--url", "https://www.pixiv.net/artworks/100", "--persona", "moth")
    return image


# --- 6. file names that are not UTF-8 ------------------------------------------------------------


def test_fs_text_shows_bad_bytes_and_keeps_good_names() -> None:
    assert fs_text(BAD_NAME) == SHOWN_NAME
    assert fs_text(Path("/tmp") / BAD_NAME) == "/tmp/" + SHOWN_NAME
    assert fs_text("月の蛾.png") == "月の蛾.png"
    assert fs_text("\ud800 lone") == "\\ud800 lone"  # a surrogate no file name decodes to


def test_log_a_file_whose_name_is_not_utf8_every_time(tracker: Tracker, tmp_path: Path, isolated_env: Path) -> None:
    path = write_png(tmp_path / BAD_NAME, {"parameters": A1111_INFOTEXT}, image=pixels(seed=12))
    for n in range(2):  # the second run (another post of the same image) must work too
        result = tracker("log", path, "--url", f"https://www.pixiv.net/artworks/{200 + n}", "--persona", "moth")
        assert SHOWN_NAME in result.stdout
    data = tracker.json("show", "1")
    assert data["image"]["original_name"] == SHOWN_NAME
    assert query(isolated_env, "select original_name from image") == [(SHOWN_NAME,)]


def test_complaint_add_with_an_image_whose_name_is_not_utf8(tracker: Tracker, tmp_path: Path) -> None:
    path = write_png(tmp_path / BAD_NAME, {}, image=pixels(seed=13))
    data = tracker.json("complaint", "add", "--image", path, "--name", "K")
    assert [i["original_name"] for i in data["images"]] == [SHOWN_NAME]


def test_complaint_from_a_file_whose_name_is_not_utf8(tracker: Tracker, tmp_path: Path) -> None:
    path = tmp_path / os.fsdecode(b"notice-\xff.eml")
    path.write_bytes(dmca_notice())
    result = tracker("complaint", "add", "--from", path)
    assert "Read from notice-\\xff.eml" in result.stdout


def test_one_bad_name_in_an_import_batch_does_not_stop_it(tracker: Tracker, tmp_path: Path, isolated_env: Path) -> None:
    folder = tmp_path / "downloads"
    folder.mkdir()
    for n in range(5):
        pixels((40, 30), seed=20 + n).save(folder / f"ok{n}.png")
    write_png(folder / BAD_NAME, {"parameters": A1111_INFOTEXT}, image=pixels(seed=30))
    for _ in range(2):
        result = tracker("import", folder, "--persona", "moth", "--json", "--workers", "1")
        summary = json.loads(result.stdout)
        assert summary["failed"] == [] and summary["files"] == 6
    names = {row[0] for row in query(isolated_env, "select original_name from image")}
    assert names == {SHOWN_NAME, *(f"ok{n}.png" for n in range(5))}


def test_a_record_the_database_refuses_fails_alone(
    tracker: Tracker, tmp_path: Path, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever still reaches the database unstorable costs its own file, not the batch of 64."""
    monkeypatch.setattr("tracker.posts.log.fs_text", lambda name: name)  # let the raw name through
    folder = tmp_path / "downloads"
    folder.mkdir()
    for n in range(5):
        pixels((40, 30), seed=40 + n).save(folder / f"ok{n}.png")
    pixels((40, 30), seed=50).save(folder / BAD_NAME)
    result = tracker("import", folder, "--persona", "moth", "--json", "--workers", "1", ok=False)
    clean(result)
    summary = json.loads(result.stdout)
    assert result.exit_code == 1 and summary["new_images"] == 5
    assert len(summary["failed"]) == 1 and summary["failed"][0].startswith(SHOWN_NAME + ": cannot be recorded")
    assert counts(isolated_env)[-1] == 5  # the refused image's archive file is gone again


@pytest.mark.parametrize("option", ["--title", "--persona", "--account"])
def test_typed_text_that_is_not_utf8_is_a_usage_error(tracker: Tracker, image: Path, option: str) -> None:
    args = ["log", image, "--url", "https://www.pixiv.net/artworks/300", "--persona", "moth"]
    result = tracker(*args, option, os.fsdecode(b"caf\xe9"), ok=False)
    refused(result, option, "UTF-8")


# --- 7. FIFOs and devices named where a file is expected -----------------------------------------


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.png"
    os.mkfifo(path)
    return path


def special_commands(path: Path) -> list[list[str]]:
    return [
        ["log", str(path), "--url", "https://www.pixiv.net/artworks/400", "--persona", "moth"],
        ["match", str(path)],
        ["inspect", str(path)],
        ["import", str(path), "--persona", "moth"],
        ["complaint", "add", "--image", str(path), "--name", "K"],
        ["complaint", "add", "--from", str(path)],
        ["complaint", "add", "--message-file", str(path), "--name", "K"],
    ]


@pytest.mark.parametrize("index", range(7))
@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_fifos_and_devices_are_refused_before_they_are_opened(
    tracker: Tracker, logged: Path, fifo: Path, isolated_env: Path, kind: str, index: int
) -> None:
    path = fifo if kind == "fifo" else Path("/dev/zero")
    before = counts(isolated_env)
    with deadline(10):
        result = tracker(*special_commands(path)[index], ok=False)
    refused(result, str(path), "not a regular file")
    assert counts(isolated_env) == before


def test_a_fifo_in_an_imported_folder_is_reported_and_skipped(tracker: Tracker, tmp_path: Path) -> None:
    folder = tmp_path / "downloads"
    folder.mkdir()
    pixels(seed=60).save(folder / "ok.png")
    os.mkfifo(folder / "stuck.png")
    with deadline(20):
        result = tracker("import", folder, "--persona", "moth", "--json", ok=False)
    clean(result)
    summary = json.loads(result.stdout)
    assert summary["files"] == 2 and summary["new_images"] == 1
    assert summary["failed"] == [f"{folder / 'stuck.png'}: a FIFO (named pipe), not a regular file; skipped"]


def test_a_fifo_swapped_in_after_the_check_does_not_block(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The open file is looked at again: the stat before the open may have seen a regular file."""
    from tracker.errors import ImageReadError
    from tracker.metadata import decoding, reader

    path = tmp_path / "swap.png"
    os.mkfifo(path)
    real_stat = os.stat
    regular = real_stat(write_png(tmp_path / "real.png", {}))
    monkeypatch.setattr(decoding.os, "stat", lambda p, *a, **k: regular if Path(p) == path else real_stat(p, *a, **k))
    with deadline(10), pytest.raises(ImageReadError, match="not a regular file"):
        reader.read_image(path)


# --- 10. endless text inputs, dates outside the calendar -------------------------------------------


def test_message_file_of_dev_zero_or_too_large_is_refused(tracker: Tracker, tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (2**20 + 1))
    refused(tracker("complaint", "add", "--message-file", big, "--name", "K", ok=False), "larger than 1 MiB")
    at_limit = tmp_path / "limit.txt"
    at_limit.write_bytes(b"a" * 2**20)
    data = tracker.json("complaint", "add", "--message-file", at_limit, "--name", "K")
    assert len(data["message"]) == 2**20
    binary = tmp_path / "latin1.txt"
    binary.write_bytes(b"caf\xe9")
    refused(tracker("complaint", "add", "--message-file", binary, "--name", "K", ok=False), "not UTF-8")


def test_read_text_limited_counts_bytes(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_bytes("\ufeff月".encode())
    assert read_text_limited(path, 6) == "月"
    with pytest.raises(UsageError, match="larger than 5 bytes"):
        read_text_limited(path, 5)


OUT_OF_RANGE = ["0001-01-01", "9999-12-31", "1989-12-31", "2101-01-01", "0001-01-01T00:00:00+14:00", "2101-01-01Z"]


@pytest.mark.parametrize("when", OUT_OF_RANGE)
def test_dates_outside_the_range_are_one_line_errors(tracker: Tracker, logged: Path, when: str) -> None:
    url = "https://www.pixiv.net/artworks/500"
    commands = [
        ["log", logged, "--url", url, "--persona", "moth", "--posted-at", when],
        ["log", logged, "--url", url, "--requested-by", "K", "--permission-at", when],
        ["post", "set", "1", "--posted-at", when],
        ["complaint", "add", "--name", "K", "--received", when],
        ["complaint", "add", "--name", "K", "--deadline", when],
    ]
    for command in commands:
        refused(tracker(*command, ok=False), "out of range", "1990-01-01", "2100-12-31")


def test_the_range_ends_are_dates(tracker: Tracker, logged: Path) -> None:
    assert dates.parse_when("1990-01-01T00:00+09:00") == datetime(1989, 12, 31, 15, tzinfo=UTC)
    tracker("post", "set", "1", "--posted-at", "1990-01-01T00:00:00+14:00")  # a posting date is never in the future
    tracker("complaint", "add", "--name", "K", "--received", "1990-01-01", "--deadline", "2100-12-31T23:59:59-12:00")


def test_a_sidecar_date_outside_the_range_is_a_warning(tracker: Tracker, tmp_path: Path) -> None:
    folder = tmp_path / "downloads"
    folder.mkdir()
    path = write_png(folder / "777_p0.png", {}, image=pixels(seed=70))
    sidecar = {"category": "pixiv", "id": 777, "title": "t", "create_date": "0001-01-01T00:00:00+09:00"}
    path.with_name(path.name + ".json").write_text(json.dumps(sidecar))
    result = tracker("import", folder, "--persona", "moth")
    assert "between 1990-01-01 and 2100-12-31; ignored" in result.stderr
    assert tracker.json("show", "1")["posted_at"] is None


def test_a_pasted_message_dated_year_one_is_not_trusted(tracker: Tracker, tmp_path: Path) -> None:
    path = tmp_path / "pasted.txt"
    path.write_text(
        "From: K <k@example.com>\nDate: 0001-01-01 00:00\n\nPlease remove https://www.pixiv.net/artworks/1\n"
    )
    data = tracker.json("complaint", "add", "--from", path)
    assert data["received_at"][:4] not in ("0001", "0000")


@pytest.mark.parametrize("zone", ["America/New_York", "Pacific/Kiritimati", "Etc/GMT+12"])
def test_stored_dates_at_the_calendar_ends_never_crash(
    tracker: Tracker, logged: Path, isolated_env: Path, monkeypatch: pytest.MonkeyPatch, zone: str
) -> None:
    tracker("complaint", "add", "--name", "K", "--post", "1")
    engine = create_engine(database_url(isolated_env))
    with engine.begin() as conn:
        conn.execute(
            text("update complaint set received_at = :low, deadline_at = :high"),
            {"low": datetime(1, 1, 1), "high": datetime(9999, 12, 31, 23, 59)},
        )
        conn.execute(text("update post set posted_at = :low"), {"low": datetime(1, 1, 1)})
    engine.dispose()
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        for command in (["complaint", "list"], ["complaint", "show", "1"], ["status"], ["show", "1"], ["posts"]):
            clean(tracker(*command, ok=False))
        for value in (datetime(1, 1, 1, tzinfo=UTC), datetime.max.replace(tzinfo=UTC)):
            assert dates.local_day(value) and dates.local_minute(value)
            assert dates.start_of_local_day(value).tzinfo is UTC
    finally:
        monkeypatch.undo()
        time.tzset()


# --- 11. import workers end with the import ---------------------------------------------------------


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _state(pid: int) -> str | None:
    """The process's state letter (`T` stopped, `Z` zombie), or None when it is gone."""
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return None


@pytest.mark.slow
@pytest.mark.sqlite_only
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
def test_workers_end_when_the_import_is_killed(tmp_path: Path, isolated_env: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(40):
        pixels((400, 300), seed=3000 + n).save(folder / f"img{n:03d}.png")
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    # The import stops itself (SIGSTOP) when its first result comes back: its workers are running then.
    env.update(TRACKER_DATA_DIR=str(isolated_env), PYTHONPATH=str(REPO), TRACKER_TEST_STOP_AT="import:analysed#1")
    command = [sys.executable, "-m", "tracker.cli", "import", str(folder), "--persona", "moth", "--workers", "2"]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: list[int] = []
    try:
        limit = time.monotonic() + 60
        while _state(proc.pid) != "T" and proc.poll() is None and time.monotonic() < limit:
            time.sleep(0.02)
        assert _state(proc.pid) == "T", "the import never reached its first result"
        workers = _children(proc.pid)
        assert len(workers) >= 2
        proc.kill()  # the import alone: SIGKILL, as the OOM killer or `kill -9` would
        proc.wait(timeout=10)
        limit = time.monotonic() + 5
        while any(_state(w) not in (None, "Z") for w in workers) and time.monotonic() < limit:
            time.sleep(0.05)
        assert [w for w in workers if _state(w) not in (None, "Z")] == []
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for worker in workers:  # never leave one behind, even when the test failed
            if _state(worker) not in (None, "Z"):
                os.kill(worker, signal.SIGKILL)


def test_a_worker_sees_its_parent_go(monkeypatch: pytest.MonkeyPatch) -> None:
    """The watch thread's test (where prctl is missing): orphaned, or the import behind a forkserver gone."""
    from tracker.posts import import_workers as importing

    parent = os.getppid()
    assert not importing._parent_gone(parent, parent)
    assert importing._parent_gone(-1, -1)  # its parent is another process now: it was orphaned
    monkeypatch.setattr(importing.os, "kill", lambda pid, sig: None)
    assert not importing._parent_gone(parent, 4242)  # started by a server process; the import is there

    def gone(pid: int, sig: int) -> None:
        raise ProcessLookupError(pid)

    monkeypatch.setattr(importing.os, "kill", gone)
    assert importing._parent_gone(parent, 4242)  # the server is there, the import is not


# --- 12. --platform, look-alike hosts, handles ------------------------------------------------------


def parse_error(url: str, platform: str | None = None) -> str:
    with pytest.raises(UsageError) as caught:
        parse_post_url(url, PLATFORMS, platform)
    return str(caught.value)


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("https://evil.example/artworks/1", "not one of pixiv's hosts"),
        ("https://pixiv.net.evil.example/artworks/1", "not one of pixiv's hosts"),
        ("https://x.com/i/lists/1", "is on X (Twitter), not pixiv"),
    ],
)
def test_a_known_platform_name_cannot_claim_another_host(url: str, words: str) -> None:
    assert words in parse_error(url, "pixiv")


def test_known_platforms_keep_their_own_hosts() -> None:
    assert parse_post_url("https://www.pixiv.net/artworks/5", PLATFORMS, "pixiv").platform == "pixiv"
    ref = parse_post_url("https://misskey.example/notes/9abc", PLATFORMS, "misskey")  # a platform of many hosts
    assert ref.platform == "misskey"
    assert "not misskey" in parse_error("https://x.com/notes/9abc", "misskey")


def test_an_unknown_platform_name_cannot_claim_a_known_host() -> None:
    assert "belongs to pixiv" in parse_error("https://www.pixiv.net/novel/show.php?id=5", "novels")
    assert parse_post_url("https://blog.example/p/1", PLATFORMS, "blog").platform == "blog"


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("https://pіxiv.net/artworks/1", "mixes scripts"),  # Cyrillic і among Latin letters
        ("https://xn--pxiv-8nd.net/artworks/1", "mixes scripts"),  # the same trick, as punycode (Greek ι)
        ("https://х.com/moth/status/1", "looks like x.com"),  # a Cyrillic х alone
        ("https://рiхiv.net/artworks/1", "mixes scripts"),
        ("https://ϲivitai.com/images/1", "mixes scripts"),
    ],
)
def test_lookalike_hosts_are_refused_with_or_without_platform(url: str, words: str) -> None:
    assert words in parse_error(url)
    assert words in parse_error(url, "pixiv")
    assert words in parse_error(url, "blog")


def test_hosts_are_compared_in_idna_form() -> None:
    ref = parse_post_url("https://ｗｗｗ．ｐｉｘｉｖ．ｎｅｔ/artworks/7", PLATFORMS)  # full-width: the same host
    assert (ref.platform, ref.url) == ("pixiv", "https://www.pixiv.net/artworks/7")
    ref = parse_post_url("https://bücher.example/p/1", PLATFORMS, "blog")
    assert ref.url == "https://xn--bcher-kva.example/p/1"
    assert parse_post_url("https://日本語.jp/p", PLATFORMS, "blog").url.startswith("https://xn--")


@pytest.mark.parametrize(
    "url",
    ["https://x.com/../status/1", "https://bsky.app/profile/../post/3k", "https://x.com/a_very_long_handle_x/status/1"],
)
def test_a_url_naming_an_impossible_account_is_refused(url: str) -> None:
    assert "not a valid handle" in parse_error(url)


@pytest.mark.parametrize(
    ("platform", "good", "bad"),
    [
        ("x", ["moth_ai", "A1"], ["..", "moth.ai", "a" * 16, "moth/ai", "@moth", ""]),
        ("pixiv", ["4242", "moth-ai"], ["月", "a b"]),
        ("bluesky", ["moth.bsky.social", "did:plc:abc123"], ["..", "moth", "did:plc:a..b"]),
        ("misskey", ["moth", "moth@misskey.example"], ["moth@", "a/b"]),
        ("instagram", ["moth.ai", "月の蛾"], ["..", "a/b", "a\\b", "a\x1bb", "a\u202eb", "."]),
    ],
)
def test_handles_are_checked_per_platform(platform: str, good: list[str], bad: list[str]) -> None:
    for handle in good:
        assert check_handle(handle, platform, PLATFORMS) == handle
    for handle in bad:
        with pytest.raises(UsageError):
            check_handle(handle, platform, PLATFORMS)


def test_log_refuses_a_bad_account_and_a_borrowed_platform(tracker: Tracker, logged: Path, isolated_env: Path) -> None:
    before = counts(isolated_env)
    url = "https://x.com/i/web/status/77"
    refused(tracker("log", logged, "--url", url, "--persona", "moth", "--account", "..", ok=False), "handle")
    other = "https://pixiv-lookalike.example/artworks/1"
    refused(tracker("log", logged, "--url", other, "--platform", "pixiv", ok=False), "pixiv")
    assert counts(isolated_env) == before
    tracker("log", logged, "--url", url, "--persona", "moth", "--account", "moth_ai")


# --- 14. folders created 0700 whatever the umask ---------------------------------------------------


def test_folders_above_the_database_are_private_under_umask_000(
    tracker: Tracker, tmp_path: Path, image: Path, monkeypatch: pytest.MonkeyPatch, backend: str
) -> None:
    if backend != "sqlite":
        pytest.skip("the database is a server's, not a file")
    outer = tmp_path / "shared"
    outer.mkdir(mode=0o755)
    os.chmod(outer, 0o755)
    db = outer / "a" / "b" / "c" / "tracker.db"
    monkeypatch.setenv("TRACKER_DB", str(db))
    old = os.umask(0)
    try:
        tracker("log", image, "--url", "https://www.pixiv.net/artworks/900", "--persona", "moth")
    finally:
        os.umask(old)
    made = [outer / "a", outer / "a" / "b", db.parent, *(p for p in (db.parent / "archive").rglob("*") if p.is_dir())]
    assert {f"{p.relative_to(outer)}": stat.S_IMODE(p.stat().st_mode) for p in made} == {
        f"{p.relative_to(outer)}": 0o700 for p in made
    }
    assert stat.S_IMODE(outer.stat().st_mode) == 0o755  # a folder that was there is left as it was
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


def test_make_private_dir_under_a_strict_umask(tmp_path: Path) -> None:
    old = os.umask(0o277)  # would leave 0500: tracker could not write into its own folder
    try:
        make_private_dir(tmp_path / "x" / "y")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "x").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "x" / "y").stat().st_mode) == 0o700
    (tmp_path / "file").write_text("")
    with pytest.raises(OSError):
        make_private_dir(tmp_path / "file" / "sub")


# --- property tests: damaged images and e-mails ------------------------------------------------------


def _image_seeds() -> dict[str, bytes]:
    """Real files with metadata chunks, as the generators write them (kept in memory)."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        files = [
            write_png(root / "a.png", {"parameters": A1111_INFOTEXT}, image=pixels((48, 32), seed=80)),
            write_png(root / "z.png", {"parameters": FORGE_INFOTEXT}, zip_keys=("parameters",)),
            write_png_itxt(root / "i.png", "parameters", "月の蛾, Steps: 20, Seed: 1"),
            write_exif_image(root / "j.jpg", FORGE_INFOTEXT, image=pixels((48, 32), seed=81)),
            write_exif_image(root / "w.webp", A1111_INFOTEXT, fmt="WEBP", image=pixels((48, 32), seed=82)),
        ]
        return {path.suffix + ":" + path.stem: path.read_bytes() for path in files}


IMAGES = _image_seeds()
MAILS = {
    "japanese.eml": japanese_complaint(),
    "dmca.eml": dmca_notice(),
    "images.eml": with_images(),
    "html.eml": html_only(),
    "pasted.txt": pasted_pixiv(),
}


@st.composite
def damaged(draw: st.DrawFn, seeds: dict[str, bytes]) -> tuple[str, bytes]:
    """A seed file cut short, with bits flipped, or both (at least one of the two)."""
    name = draw(st.sampled_from(sorted(seeds)))
    data = bytearray(seeds[name])
    cut = draw(st.none() | st.integers(0, len(data)))
    flips = draw(st.lists(st.tuples(st.integers(0, len(data) - 1), st.integers(0, 7)), max_size=8))
    if cut is None and not flips:
        cut = len(data) // 2
    for position, bit in flips:
        data[position] ^= 1 << bit
    return name, bytes(data[:cut] if cut is not None else data)


PROPERTY = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@PROPERTY
@given(case=damaged(IMAGES))
def test_damaged_images_never_crash_log_or_match(
    tracker: Tracker, logged: Path, tmp_path: Path, isolated_env: Path, case: tuple[str, bytes]
) -> None:
    name, data = case
    path = tmp_path / ("damaged" + name.split(":")[0])
    path.write_bytes(data)
    serial = int.from_bytes(os.urandom(4), "big")
    before = counts(isolated_env)
    log = tracker("log", path, "--url", f"https://www.pixiv.net/artworks/{serial}", "--persona", "moth", ok=False)
    clean(log)
    if log.exit_code:
        assert counts(isolated_env) == before, log.output
    clean(tracker("match", path, ok=False))


@PROPERTY
@given(case=damaged(MAILS))
def test_damaged_mails_never_crash_complaint_add(
    tracker: Tracker, logged: Path, tmp_path: Path, isolated_env: Path, case: tuple[str, bytes]
) -> None:
    name, data = case
    path = tmp_path / name
    path.write_bytes(data)
    before = counts(isolated_env)
    result = tracker("complaint", "add", "--from", path, "--name", "K", ok=False)
    clean(result)
    if result.exit_code:
        assert counts(isolated_env) == before, result.output


def test_seeds_are_what_the_property_tests_damage(tracker: Tracker, tmp_path: Path) -> None:
    """Undamaged, every seed reads: so the damage, not the seed, is what the properties test."""
    for name, data in IMAGES.items():
        path = tmp_path / ("seed" + name.split(":")[0])
        path.write_bytes(data)
        assert tracker("inspect", path, ok=False).exit_code == 0, name
    for name, data in MAILS.items():
        (tmp_path / name).write_bytes(data)
        assert tracker("complaint", "add", "--from", tmp_path / name, ok=False).exit_code == 0, name
