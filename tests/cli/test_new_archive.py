"""A command that records something into a database that was not there says it started a new archive:
a mistyped data folder or --db must not quietly take what is logged where the owner's dashboard never looks."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing

NEW = "tracker: started a new archive at "


@pytest.mark.sqlite_only
def test_a_mistyped_data_folder_says_a_new_archive_was_started(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    typo = tmp_path / "dtaa2"
    added = tracker("--data-dir", typo, "complaint", "add", "--name", "X", "--message", "hi")
    assert added.stdout.startswith("Logged complaint #1")
    assert added.stderr == f"{NEW}{typo / 'tracker.db'} (it held nothing before this command)\n"
    again = tracker("--data-dir", typo, "complaint", "add", "--name", "Y", "--message", "other")
    assert again.stderr == "", "said once, when the archive is made"

    image = tmp_path / "a.png"
    drawing(1).save(image)
    logged = tracker("--db", tmp_path / "other.db", "log", image, "--url", "https://x.com/a/status/1", "--persona", "k")
    assert logged.stdout.startswith("Logged post #1") and logged.stderr.startswith(NEW + str(tmp_path / "other.db"))


@pytest.mark.sqlite_only
def test_a_command_that_fails_keeps_its_error_to_one_line(tracker: Tracker, tmp_path: Path, isolated_env: Path) -> None:
    image = tmp_path / "a.png"
    drawing(1).save(image)
    failed = tracker("log", image, "--url", "https://example.org/gallery/7", "--persona", "k", ok=False)
    assert failed.exit_code == 2 and failed.stderr.startswith("tracker: error: no known platform")
    assert len(failed.stderr.splitlines()) == 1


@pytest.mark.sqlite_only
def test_a_failed_first_command_leaves_no_archive_so_the_next_one_says_it_started_one(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    typo = tmp_path / "dtaa2"
    image = tmp_path / "a.png"
    drawing(1).save(image)
    failed = tracker(
        "--data-dir", typo, "log", image, "--url", "https://example.org/gallery/7", "--persona", "k", ok=False
    )
    assert failed.exit_code == 2 and len(failed.stderr.splitlines()) == 1
    assert not typo.exists(), "the failed command took away the folder and the database it made"
    damaged = tmp_path / "damaged.png"
    damaged.write_bytes(image.read_bytes()[:200])
    failed = tracker("--data-dir", typo, "import", damaged, "--persona", "k", ok=False)
    assert failed.exit_code == 1 and NEW not in failed.stderr and not typo.exists()

    logged = tracker("--data-dir", typo, "log", image, "--url", "https://x.com/a/status/1", "--persona", "k")
    assert logged.stderr.startswith(NEW + str(typo / "tracker.db")), "the mistyped folder is still noticed"


@pytest.mark.sqlite_only
def test_a_failed_command_keeps_a_database_it_did_not_make_or_recorded_something_in(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    image = tmp_path / "a.png"
    drawing(1).save(image)
    damaged = tmp_path / "damaged.png"
    damaged.write_bytes(image.read_bytes()[:200])
    partly = tracker("--data-dir", tmp_path / "one", "import", damaged, image, "--persona", "k", ok=False)
    assert partly.exit_code == 1 and partly.stderr.endswith(
        f"{NEW}{tmp_path / 'one' / 'tracker.db'} (it held nothing before this command)\n"
    ), "what it imported is kept, in an archive it says it started"
    assert (tmp_path / "one" / "tracker.db").is_file()

    empty = tmp_path / "two" / "tracker.db"
    empty.parent.mkdir()
    empty.touch()  # the owner's (empty) file: never taken away
    tracker(
        "--data-dir", empty.parent, "log", image, "--url", "https://example.org/gallery/7", "--persona", "k", ok=False
    )
    assert empty.is_file()


@pytest.mark.sqlite_only
def test_a_first_command_killed_after_the_schema_was_made_leaves_the_notice_to_the_next_that_records(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    """`kill -9` (or a power cut) after the first command made the schema and before it recorded anything leaves a
    database at this revision with nothing in it: the next command that records says it started the archive (it
    said nothing, and status then asked whether it was the archive meant); one that only reads does not say it;
    and a database with anything in it is never called new."""
    from fixtures.killpoints import kill_at

    typo = tmp_path / "dtaa2"
    image = tmp_path / "a.png"
    drawing(1).save(image)
    log = ["log", str(image), "--url", "https://x.com/a/status/1", "--persona", "k"]
    assert kill_at(log, typo, "log:before-commit")
    assert (typo / "tracker.db").is_file()

    listed = tracker("--data-dir", typo, "complaint", "list")
    assert NEW not in listed.stderr, "a command that recorded nothing does not say it"
    logged = tracker("--data-dir", typo, *log)
    assert logged.stderr.startswith(NEW + str(typo / "tracker.db")), logged.stderr
    again = tracker("--data-dir", typo, "complaint", "add", "--name", "X", "--message", "hi")
    assert NEW not in again.stderr
