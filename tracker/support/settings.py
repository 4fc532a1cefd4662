"""Settings: where the database and the archive live.

Nothing happens at import time; `load_settings()` reads the command line values and the
environment (`TRACKER_DB`, `TRACKER_DATA_DIR`, `TRACKER_ARCHIVE`) when a command runs.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from tracker.errors import UsageError
from tracker.support.paths import shipped_data_dir

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

APP_NAME = "tracker"


@dataclass(frozen=True)
class Settings:
    """Resolved locations for one run of the tool."""

    db_url: str
    data_dir: Path
    archive_dir: Path

    @property
    def sqlite_path(self) -> Path | None:
        """The database file when the database is a SQLite file, else None."""
        plain = plain_sqlite_file(self.db_url)
        if plain is not None:  # the default's form: read without loading SQLAlchemy
            return plain
        url = _parse_url(self.db_url)
        if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
            return None
        return Path(url.database)

    @property
    def index_path(self) -> Path:
        """The saved similarity index: beside a SQLite file, else in the data folder keyed by database URL."""
        sqlite_file = self.sqlite_path
        if sqlite_file is not None:
            return sqlite_file.with_name(sqlite_file.name + ".hashindex.npz")
        key = hashlib.sha256(self.db_url.encode()).hexdigest()[:16]
        return self.data_dir / "hashindex" / f"{key}.npz"

    def saved_index_files(self) -> list[Path]:
        """The similarity index files on disk: the index, its region tables (`<index>.regions`) and saves
        interrupted before their rename. All are made from the database's rows, so whatever deletes those
        rows or replaces the database (a scrub, a restore) removes every one; the next `match` makes them again."""
        index = self.index_path
        found = [path for path in (index, index.with_name(index.name + ".regions")) if path.exists()]
        if index.parent.is_dir():
            found += index.parent.glob(".hashindex-*.npz")
        return found

    @property
    def database_label(self) -> str:
        """The database as shown to the owner: the SQLite file, or the URL without its password."""
        sqlite_file = self.sqlite_path
        if sqlite_file is not None:
            return str(sqlite_file)
        return _parse_url(self.db_url).render_as_string(hide_password=True)

    def reference_file(self, name: str) -> Path:
        """A reference data file: the user's copy in the data dir wins over the shipped one."""
        own = self.data_dir / name
        return own if own.is_file() else shipped_data_dir() / name


SQLITE_PREFIX = "sqlite:///"


def sqlite_url(path: Path) -> str:
    """The `sqlite:///PATH` URL of a database file, read back as that very file (`plain_sqlite_file`, SQLAlchemy):
    a `?` in a folder's name would otherwise start the URL's options (`~/what?/tracker.db` opened `~/what`), and
    `%25` in it be read as `%`. Only those two are escaped; a space, `#` or 日本語 stay as they are."""
    return SQLITE_PREFIX + str(path).replace("%", "%25").replace("?", "%3F")


def plain_sqlite_file(db_url: str) -> Path | None:
    """The file of a plain `sqlite:///PATH` URL (the default's form, and what `--db PATH` makes), else None.

    Read by hand, so that commands which only read (`db.quick`) need not load SQLAlchemy, as SQLAlchemy reads it
    (the path up to a `?`, unquoted); a URL with options is left to SQLAlchemy's reading (None here).
    """
    if not db_url.startswith(SQLITE_PREFIX) or "?" in db_url:
        return None
    path = db_url[len(SQLITE_PREFIX) :]
    if "%" in path:
        from urllib.parse import unquote  # what SQLAlchemy's URL parser does with the path

        path = unquote(path)
    return Path(path) if path and path != ":memory:" else None


def _parse_url(value: str) -> URL:
    """SQLAlchemy's reading of a database URL, or a one-line UsageError.

    SQLAlchemy is imported here, not at the top: the front ends read their settings before they
    load the database layer (the TUI draws its first screen first).
    """
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(value)
    except (ArgumentError, ValueError) as exc:  # ValueError: a port that is no number (`[::1/db`, `host:x`)
        said = str(exc).replace(value, _without_password(value))
        raise UsageError(f"not a database URL: {_without_password(value)!r} ({said})") from None


def _without_password(value: str) -> str:
    """A database URL as it may be shown: its password (up to the last @ before the host) as ***."""
    return re.sub(r"(://[^:/@]*:)[^/]*@", r"\1***@", value)


def _as_url(value: str) -> str:
    """Accept either an SQLAlchemy URL or a plain path to a SQLite file; refuse a SQLite database in memory, which
    would keep nothing of what a command records (`sqlite://`, `sqlite:///:memory:`)."""
    if "://" not in value:
        return sqlite_url(Path(value).expanduser().absolute())
    url = _parse_url(value)
    if url.get_backend_name() == "sqlite" and (
        not url.database or ":memory:" in url.database or url.query.get("mode") == "memory"
    ):
        raise UsageError(
            f"{value} is a SQLite database in memory, which keeps nothing once the command ends: give a database "
            "file (--db PATH, or TRACKER_DB=PATH)"
        )
    return value


def load_settings(db: str | None = None, data_dir: str | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Resolve the database URL, data folder and archive folder.

    The SQLite default lives in the platform's user data folder; `--db`/`TRACKER_DB` take any
    SQLAlchemy URL or a file path. The archive sits beside a SQLite file (`archive/`), or in
    the data folder for a server database, unless `TRACKER_ARCHIVE` names another folder.
    """
    env = os.environ if env is None else env
    base = Path(data_dir or env.get("TRACKER_DATA_DIR") or platformdirs.user_data_path(APP_NAME))
    base = base.expanduser().absolute()
    raw_db = db or env.get("TRACKER_DB")
    db_url = _as_url(raw_db) if raw_db else sqlite_url(base / "tracker.db")
    archive = env.get("TRACKER_ARCHIVE")
    if archive:
        archive_dir = Path(archive).expanduser().absolute()
    else:
        settings = Settings(db_url=db_url, data_dir=base, archive_dir=base / "archive")
        sqlite_file = settings.sqlite_path
        archive_dir = sqlite_file.parent / "archive" if sqlite_file else base / "archive"
    return Settings(db_url=db_url, data_dir=base, archive_dir=archive_dir)
