"""A data folder or database file whose name has a space, 日本語, `?`, `%` or `#` in it: the database and the archive
are where the owner said, every command finds them there, and a backup restores into them."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing

from tracker.support.settings import load_settings, plain_sqlite_file

pytestmark = pytest.mark.sqlite_only

ODD = ["my data 日本語", "what?", "100%25 sure", "take #1"]


@pytest.mark.parametrize("name", ODD)
def test_a_data_folder_with_an_odd_name_holds_the_database_and_its_archive(
    tracker: Tracker, tmp_path: Path, isolated_env: Path, name: str
) -> None:
    """`what?` opened a database file `what` beside it (the rest was read as the URL's options), with the archive
    beside that; `100%25 sure` opened `100% sure`."""
    data, image = tmp_path / name, tmp_path / "a.png"
    drawing(1).save(image)
    tracker("--data-dir", data, "log", image, "--url", "https://x.com/a/status/1", "--persona", "猫")
    assert {"tracker.db", "archive"} <= {p.name for p in data.iterdir()}
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["a.png", name])
    assert "猫" in tracker("--data-dir", data, "posts").stdout
    assert "猫" in tracker("--db", data / "tracker.db", "posts").stdout
    tracker("--data-dir", data, "backup", tmp_path / f"{name}.tar")
    restored = tracker("--data-dir", data, "restore", tmp_path / f"{name}.tar", "--force")
    assert f"kept as {data / 'tracker.db'}.old-" in restored.stdout
    assert tracker("--data-dir", data, "status").exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["a.png", name, f"{name}.tar"])


@pytest.mark.parametrize("name", ODD)
def test_the_quick_reading_of_the_url_is_sqlalchemy_s(tmp_path: Path, name: str) -> None:
    """Commands that only read take the file from the URL by hand (`plain_sqlite_file`); it must be the one
    SQLAlchemy opens, or a listing would read another file than a writer writes."""
    from sqlalchemy.engine import make_url

    settings = load_settings(None, str(tmp_path / name), env={})
    assert settings.sqlite_path == tmp_path / name / "tracker.db"
    assert plain_sqlite_file(settings.db_url) == Path(str(make_url(settings.db_url).database))


def test_a_data_folder_that_is_a_file_is_said_to_be_one(tracker: Tracker, tmp_path: Path, isolated_env: Path) -> None:
    """TRACKER_DATA_DIR naming a file (a typo, the database's own path): `status` said "no database at FILE/tracker.db"
    and `log` "a file is in the way", neither saying the data folder itself is a file."""
    data, image = tmp_path / "notes.txt", tmp_path / "a.png"
    data.write_text("mine\n")
    drawing(1).save(image)
    for args in (("status",), ("posts",), ("log", image, "--url", "https://x.com/a/status/1", "--persona", "p")):
        result = tracker("--data-dir", data, *args, ok=False)
        assert result.exit_code == 2
        assert f"the data folder {data} is a file, not a folder" in result.stderr
        assert "Traceback" not in result.stderr
    assert data.read_text() == "mine\n"
    assert tracker("--data-dir", data, "inspect", image).exit_code == 0
