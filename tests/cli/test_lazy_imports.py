"""Commands start at once: `--help` of every command, and the commands that only read, load no more than they use.

Each case runs a whole `tracker` process (`tracker.cli.main`) and looks at `sys.modules` when it
ends: `--help` must load neither the database layer (SQLAlchemy, alembic) nor the imaging
libraries (numpy, Pillow) nor the TUI's or the progress bar's (Textual, rich.progress), as
`tracker --help` does not (`tracker.cli`'s promise). `inspect FILE` needs Pillow but not the ORM;
`personas` on a SQLite file at this revision needs no SQLAlchemy at all; `complaint list` needs
SQLAlchemy Core only, and not `complaint set`'s module; `complaint show` of a complaint with pictures decodes none.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import write_png
from fixtures.loaded import clean_environment, loaded_modules
from PIL import Image

from tracker.support.paths import shipped_data_dir

HEAVY = (
    "sqlalchemy",
    "sqlalchemy.orm",
    "alembic",
    "numpy",
    "PIL",
    "textual",
    "rich.progress",
    "concurrent.futures.process",
)
SURFACE = Path(__file__).with_name("command_surface.json")
EXAMPLE = shipped_data_dir() / "examples" / "forge-example.png"


def loaded(args: list[str], env: dict[str, str]) -> set[str]:
    """The heavy libraries a whole `tracker ...` process imported."""
    return loaded_modules(args, env, HEAVY)


@pytest.fixture
def clean_env(tmp_path: Path) -> dict[str, str]:
    return clean_environment(tmp_path / "data")


def _command_paths() -> list[str]:
    return sorted(path.removeprefix("tracker").strip() for path in json.loads(SURFACE.read_text()))


@pytest.mark.slow
@pytest.mark.parametrize("path", _command_paths(), ids=lambda p: p or "tracker")
def test_help_loads_no_database_imaging_or_tui_library(path: str, clean_env: dict[str, str]) -> None:
    assert loaded([*path.split(), "--help"], clean_env) == set(), f"tracker {path} --help"


def test_match_defaults_written_out_are_the_search_defaults() -> None:
    """`tracker match`'s option defaults are written in the command module (no numpy for `--help`)."""
    from tracker.cli import match
    from tracker.matching.search import MATCH_TOP
    from tracker.matching.similarity import MATCH_SCORE

    assert (match.TOP, match.MIN_SCORE) == (MATCH_TOP, MATCH_SCORE)


@pytest.mark.slow
def test_inspect_reads_a_file_without_the_orm(clean_env: dict[str, str]) -> None:
    assert not loaded(["inspect", str(EXAMPLE)], clean_env) & {"sqlalchemy", "sqlalchemy.orm"}  # no database
    _make_database(clean_env)
    assert not loaded(["inspect", str(EXAMPLE)], clean_env) & {"sqlalchemy.orm", "alembic"}


@pytest.mark.slow
def test_inspect_loads_no_numpy_for_a_file_without_hidden_pixel_metadata(clean_env: dict[str, str]) -> None:
    """numpy (a tenth of a second) is for hashing pixels and for a hidden payload that is there: `inspect` of an
    ordinary PNG hashes nothing, and looks for hidden metadata without it."""
    assert "numpy" not in loaded(["inspect", str(EXAMPLE)], clean_env)
    assert "numpy" not in loaded(["inspect", "--json", str(EXAMPLE), str(EXAMPLE)], clean_env)


@pytest.mark.slow
def test_log_loads_no_complaint_deadline_words(clean_env: dict[str, str]) -> None:
    """`tracker log` prints the post it logged, never a complaint's deadline: the deadline words (Japanese days,
    end-of-day rules) are `show`'s to load."""
    words = ["tracker.complaints.deadlines", "tracker.complaints.reading.deadline_words", "tracker.cli.post_history"]
    logged = ["log", str(EXAMPLE), "--url", "https://www.pixiv.net/artworks/131000002", "--persona", "moth"]
    assert loaded_modules([*logged, "--json"], clean_env, [*words, "tracker.posts.log"]) == {"tracker.posts.log"}
    assert loaded_modules(["show", "1"], clean_env, words) == set(words), "show gives the complaints' deadlines"


@pytest.mark.slow
@pytest.mark.sqlite_only
def test_personas_and_complaint_list_read_without_the_orm(clean_env: dict[str, str]) -> None:
    _make_database(clean_env)
    assert loaded(["personas"], clean_env) == set()
    assert not loaded(["complaint", "list"], clean_env) & {"sqlalchemy.orm", "alembic", "numpy", "PIL"}
    # `complaint set`'s module (deadline words, languages) is loaded only for `complaint set` itself
    assert loaded_modules(["complaint", "list"], clean_env, ["tracker.cli.complaint.corrections"]) == set()
    assert loaded_modules(["complaint", "set", "--help"], clean_env, ["tracker.cli.complaint.corrections"]) == {
        "tracker.cli.complaint.corrections"
    }


def _make_database(env: dict[str, str]) -> None:
    """A database at the newest revision in the environment's data folder."""
    from tracker.db.engine import open_engine
    from tracker.support.settings import load_settings

    open_engine(load_settings(env=env)).dispose()


POST = "https://www.pixiv.net/artworks/131000001"


@pytest.mark.slow
def test_complaint_reply_reads_no_message_it_has_the_facts_of(tracker: Tracker, tmp_path: Path) -> None:
    """Drafting a letter reads the complaint as stored: the message reader (`complaints.reading.messages`: e-mail parsing,
    charsets, URLs) is not loaded to tell an English or Japanese letter's language, nor the notice reader
    (`notice_reading`) for a writer whose role or law firm is recorded; only a role left unrecorded is read."""
    tracker("log", EXAMPLE, "--url", POST, "--persona", "moth")
    for args in (
        ["--role", "lawyer", "--message", "On behalf of Brightmill Studio: please remove it."],
        ["--org", "桜坂法律事務所", "--message", f"貴殿の投稿 {POST} を削除してください。"],
        ["--name", "Jane Doe", "--message", "Your post copies my picture. Please remove it."],
    ):
        tracker("complaint", "add", "--post", "1", *args)
    for number in (1, 2, 3):
        tracker("complaint", "decide", str(number), "--action", "take_down")
    env = clean_environment(tmp_path / "data")
    readers = ["tracker.complaints.reading.messages", "tracker.complaints.reading.notice_reading"]
    assert loaded_modules(["complaint", "reply", "1"], env, readers) == set()
    assert loaded_modules(["complaint", "reply", "2"], env, readers) == set(), "Japanese, with a URL"
    assert loaded_modules(["complaint", "reply", "3"], env, readers) == {"tracker.complaints.reading.notice_reading"}
    assert loaded_modules(["complaint", "show", "2"], env, readers) == set()


_COMPILED_ENGLISH_DEADLINES = (
    "import gc, re, sys\n"
    "from tracker.cli import main\n"
    "sys.argv = ['tracker', *sys.argv[1:]]\n"
    "try:\n    main()\nexcept SystemExit:\n    pass\n"
    "found = [o for o in gc.get_objects() if isinstance(o, re.Pattern) and 'no later than' in str(o.pattern)]\n"
    "print(f'compiled:{len(found)}', file=sys.stderr)\n"
)
"""A whole `tracker ARGS` process that says how many of the English deadline patterns (`by close of business
tomorrow`, `no later than 6 December`) it compiled."""


@pytest.mark.slow
@pytest.mark.sqlite_only
def test_status_and_complaint_list_compile_no_english_deadline_pattern(clean_env: dict[str, str]) -> None:
    """`tracker status`, `complaint list` and the dashboard count days (`deadline_words.at`, `day_of`), and never read
    an English message's deadline: its patterns, milliseconds to compile, wait for a message to read."""
    _make_database(clean_env)
    for args in (["status"], ["complaint", "list"]):
        done = subprocess.run(
            [sys.executable, "-c", _COMPILED_ENGLISH_DEADLINES, *args],
            env=clean_env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert "compiled:0" in done.stderr, (args, done.stderr[-500:])


@pytest.mark.slow
@pytest.mark.sqlite_only
def test_show_names_a_scanned_model_file_without_sqlalchemy(
    tracker: Tracker, isolated_env: Path, tmp_path: Path
) -> None:
    """Once `tracker models scan` has hashed the owner's model files, `show` still reads through the standard
    library's driver: the file behind a model's hash is read as SQL text, not through the ORM (a quarter of a
    second, every `show` of an owner who scanned their models)."""
    checkpoint = tmp_path / "models" / "myModel_v1.safetensors"
    checkpoint.parent.mkdir()
    checkpoint.write_bytes(b"\x02\x00\x00\x00\x00\x00\x00\x00{}" + bytes(range(256)) * 64)
    tracker("models", "scan", checkpoint.parent)
    (scanned,) = tracker.json("models", "list")
    image = write_png(
        tmp_path / "post.png",
        {"parameters": f"a cat\nSteps: 20, Sampler: Euler, Seed: 1, Model hash: {scanned['autov2']}, Model: x"},
    )
    tracker("log", image, "--url", "https://www.pixiv.net/artworks/131000003", "--persona", "moth")
    assert tracker.json("show", "1")["image"]["model"]["local_file"] == str(checkpoint)
    assert str(checkpoint) in tracker("show", "1").stdout
    assert loaded_modules(["show", "1"], clean_environment(isolated_env), ["sqlalchemy"]) == set()


@pytest.mark.slow
@pytest.mark.sqlite_only
def test_complaint_show_of_a_complaint_with_pictures_loads_no_imaging_library(
    tracker: Tracker, isolated_env: Path, tmp_path: Path
) -> None:
    """Whether the complainant's picture is one plain colour, and its frames, were read when it was kept: `complaint
    show` says so without Pillow or numpy (a fifth of a second, every time the owner looks at the complaint)."""
    black = tmp_path / "black.png"
    Image.new("RGB", (400, 300), (0, 0, 0)).save(black)
    tracker("complaint", "add", "--image", black, "--image", EXAMPLE, "--name", "A. Painter")
    env = clean_environment(isolated_env)
    assert not loaded(["complaint", "show", "1"], env) & {"numpy", "PIL", "sqlalchemy"}
    assert "black.png is one plain colour" in " ".join(tracker("complaint", "show", "1").stdout.split())


MESSAGE_READERS = ("tracker.complaints.reading.message_dates", "tracker.complaints.reading.platform_notices")
"""What reads a complaint's message (its date lines, a platform passing a notice on): tens of milliseconds of
patterns to compile, for the commands that read a message's words."""


@pytest.mark.slow
@pytest.mark.sqlite_only
def test_status_complaint_list_and_show_load_no_message_reader(tracker: Tracker, isolated_env: Path) -> None:
    """`status` and `complaint list` count days and print rows; `complaint show` of a complaint whose notice lacks
    nothing prints what was read when it was logged: none of them reads a message's words again."""
    tracker("complaint", "add", "--name", "A. Painter", "--basis", "none", "--message", "Please take it down.")
    env = clean_environment(isolated_env)
    for args in (["status"], ["complaint", "list"], ["complaint", "show", "1"]):
        assert loaded_modules(args, env, MESSAGE_READERS) == set(), args
    assert "Please take it down." in tracker("complaint", "show", "1").stdout
