"""What every command is given: the settings, the database opened on first use, the reference data.

Nothing is opened or read at import time: a command that never touches the database (`--help`,
`--version`, `inspect` without an archive) never loads the database layer. The heavy modules are
imported inside the methods that need them, so this module stays cheap to import.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tracker.errors import NoDatabaseError, UsageError
from tracker.support.textsafe import safe_text

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

    from tracker.accountability.report import LocalLookup, ReportContext
    from tracker.accountability.risk import RiskTable
    from tracker.accountability.rules import RuleLists
    from tracker.archive.privacy import Tightened
    from tracker.db.plain import Reader
    from tracker.metadata.info import ResourceRef
    from tracker.platforms.urls import Platform
    from tracker.support.settings import Settings


@dataclass
class AppContext:
    """Settings, and the database opened (and upgraded) the first time a command asks for it."""

    db: str | None
    data_dir: str | None
    _settings: Settings | None = None
    _engine: Engine | None = field(default=None, repr=False)
    _factory: sessionmaker[Session] | None = field(default=None, repr=False)
    _quick: sqlite3.Connection | None = field(default=None, repr=False)
    started_new: str | None = None
    """The database, when this command found it empty and made it a new archive: said on stderr when the
    command ends with the archive kept (`settle_new_archive`, `new_archive_line`)."""
    _found_empty: bool = field(default=False, repr=False)
    """`started_new` is a database made before, by a command killed before it recorded anything: said only once
    this command recorded something in it (`settle_new_archive`)."""
    _nothing_recorded: bool | None = field(default=None, repr=False)
    """Whether the database `started_new` names still recorded nothing when it was closed (None: not looked at)."""
    _created: Path | None = field(default=None, repr=False)
    """The SQLite file when this command created it (a failed command that recorded nothing takes it away)."""
    _opened: bool = field(default=False, repr=False)
    """Whether this command opened the database (its connections are closed by `close`)."""
    _made_folders: list[Path] = field(default_factory=list, repr=False)
    """The folders above the database, and the archive's, that were not there when this command opened the
    database, deepest first."""
    tightened: Tightened | None = None
    """The archive, when this command found it open to other users and made it private again (`keep_private`):
    said on stderr when the command ends."""
    _privacy_checked: bool = field(default=False, repr=False)

    @property
    def settings(self) -> Settings:
        """Where the database, archive and data folder are (read from options and environment once)."""
        if self._settings is None:
            from tracker.support.settings import load_settings

            self._settings = load_settings(self.db, self.data_dir)
        return self._settings

    def keep_private(self, deep: bool = False) -> None:
        """Before the database is first opened (which makes the data folder private again, and would hide that it
        was loosened): an archive found open to other users is made private again (`archive.privacy`), and said
        when the command ends (`tightened`). Two folders are looked at; `deep` (`tracker status`) looks at the
        archive's subfolders too."""
        if self._privacy_checked and not deep:
            return
        self._privacy_checked = True
        from tracker.archive.privacy import keep_private

        found = keep_private(self.settings, deep)
        if found is not None:
            self.tightened = found

    def engine(self) -> Engine:
        """The database engine, opening and upgrading the database the first time (no ORM loaded)."""
        if self._engine is None:
            from tracker.db.engine import open_engine

            sqlite_file = self.settings.sqlite_path
            if sqlite_file is not None and (said := folder_is_a_file(sqlite_file)):
                raise UsageError(said)
            self.keep_private()

            if sqlite_file is not None and self._created is None:
                archive = self.settings.archive_dir.absolute()
                self._made_folders = [archive] if not archive.exists() else []
                self._made_folders += _missing_folders(sqlite_file.absolute().parent)
            self._engine = open_engine(self.settings, self._started, self._created_file)
        return self._engine

    def _started(self, label: str, made: bool) -> None:
        self.started_new = label
        self._found_empty = not made

    def _created_file(self, path: Path) -> None:
        self._created = path

    def settle_new_archive(self, failed: bool) -> str | None:
        """When the command is over: the database to say a new archive was started at (`new_archive_line`), if
        this command started one and it is kept; else None. The database is closed first, and a full disk that
        kept SQLite from merging what is saved into the file is said (`_say_unmerged_wal`).

        A command that created the SQLite file and then failed (an error, a non-zero exit, an interruption) with
        nothing recorded in it takes the file away again, with the folders it made for it when they are left
        empty (`db.sqlite.discard_unused`): a failed first command leaves no archive behind, so the next command
        that records something starts it and says so, and a mistyped data folder is still noticed. A file that
        was already there, or that holds anything (a bulk import that logged some files and failed on others),
        is kept, and then said when this command started it. One a killed command made before and left recording
        nothing is said once a command records something in it (a command that only read leaves it to the next).
        """
        if self.started_new is not None and (self._found_empty or failed):
            # A failed command that recorded nothing started no archive: a SQLite file it made goes with it below,
            # and a server's database keeps only the schema, for the next command that records to announce.
            self.close()  # an error's exit closed it already (Click's context), looking first (`close`)
            if self._nothing_recorded:
                self.started_new = None
        self.close()
        if failed and self._created is not None:
            from tracker.db.sqlite import discard_unused

            if discard_unused(self._created):
                _remove_made_folders(self._made_folders, self.settings.archive_dir)
                self._created = None
                return None
        if self._opened:
            self._say_unmerged_wal()
        return self.started_new

    def quick_reader(self) -> sqlite3.Connection | None:
        """For a command that only reads: the standard library's connection to a plain SQLite file that
        is at this tracker's revision already (`db.quick`, no SQLAlchemy loaded), else None (then use
        `engine`, which creates, upgrades or reports the database). Closed with the context."""
        if self._quick is None:
            from tracker.db.quick import open_at_head

            self.keep_private()
            self._quick = open_at_head(self.settings.db_url, self.settings.data_dir)
        return self._quick

    def reader(self) -> Reader | Engine:
        """For a command that mostly reads: `quick_reader` with the engine opened only if asked for
        (`db.plain.Reader`), or the engine itself when there is no quick reader."""
        quick = self.quick_reader()
        if quick is None:
            return self.engine()
        from tracker.db.plain import Reader

        return Reader(quick, self.engine)

    def sessions(self) -> sessionmaker[Session]:
        """The ORM session factory on the same engine."""
        if self._factory is None:
            from tracker.db.session import session_factory

            self._factory = session_factory(self.engine())
        return self._factory

    def close(self) -> None:
        """Close the database's connections (the command is over). A database this command found recording
        nothing (`started_new`) is looked at first: whether it still records nothing (`settle_new_archive`)."""
        self._opened = self._opened or self._engine is not None or self._quick is not None
        if self._engine is not None:
            if self.started_new is not None:
                self._nothing_recorded = _records_nothing(self._engine)
            self._engine.dispose()
        if self._quick is not None:
            self._quick.close()
        self._engine = None
        self._quick = None
        self._factory = None

    def _say_unmerged_wal(self) -> None:
        """A SQLite database whose last changes SQLite could not merge into the file on closing it, the disk being
        full (`db.sqlite.unmerged_wal`): they are saved, in its `-wal` file, but the database file alone (a new one
        above all, which then holds hardly anything) is not the archive; the owner is told to keep the two files
        together and to free some space, after which the next command merges them."""
        from tracker.db.sqlite import unmerged_wal

        path = self.settings.sqlite_path
        if path is None or not unmerged_wal(path):
            return
        echo_warning(
            f"the disk is full: the database's latest changes are saved in {path.name}-wal beside {path}, but could "
            f"not be merged into {path.name}; keep the two files together (never copy or move {path.name} "
            "alone), free some space, and the next tracker command merges them"
        )

    def database_exists(self) -> bool:
        """False for a SQLite file that was never created, or that is empty (0 bytes: a copy cut short, a disk
        that filled up), so read-only commands neither make an archive in it nor answer from nothing."""
        path = self.settings.sqlite_path
        return path is None or (path.exists() and not _empty_file(path))

    def require_database(self) -> None:
        """For a command that reads or changes what is recorded: a database never created is an error
        (`NoDatabaseError`, exit 2, as `status` says it), never an empty answer, and none is made. Only
        the commands that record something new (`log`, `import`, `complaint add`, ...) start one."""
        if not self.database_exists():
            raise NoDatabaseError(no_database(self.settings.sqlite_path))

    def platforms(self) -> dict[str, Platform]:
        """The platform table (`platforms.toml`: the user's copy wins over the shipped one)."""
        from tracker.platforms.urls import load_platforms

        return load_platforms(self.settings.reference_file("platforms.toml"))

    def risks(self) -> RiskTable:
        """The risk table of image-input techniques (`risk.toml`)."""
        from tracker.accountability.risk import load_risk_table

        return load_risk_table(self.settings.reference_file("risk.toml"))

    def report_context(self, session: Session | None) -> ReportContext:
        """Risk table, the user's rule lists and (with a session) the local model registry and the context's key."""
        from tracker.accountability.report import ReportContext
        from tracker.accountability.rules import RuleLists

        lists = RuleLists.load(self.settings.data_dir)
        if session is None:
            return ReportContext(risks=self.risks(), lists=lists)
        from tracker.resources.local_models import local_index  # the ORM: only with a session, which has it
        from tracker.resources.registry_stamp import registry_stamp

        risks = self.risks()
        key = self.report_key(lists, registry_stamp(session))
        return ReportContext(risks=risks, lists=lists, local_file=local_index(session), key=key)

    def plain_report_context(self, database: Reader | Engine) -> ReportContext:
        """`report_context` without the ORM, for a command that only reads (`posts`, `inspect`).

        The key is the one `report_context` makes (kept reports are filed under it): the same
        registry stamp (`resources.registry_stamp`), asked on the driver's connection or a plain
        one. The local model lookup is read (as SQL text, on the same database) the first time a report
        asks for it, and never when no model file was scanned (the stamp's count is 0): then no hash has a file.
        """
        from tracker.accountability.report import ReportContext
        from tracker.accountability.rules import RuleLists
        from tracker.db.plain import reading
        from tracker.resources.registry_stamp import registry_stamp

        lists = RuleLists.load(self.settings.data_dir)
        risks = self.risks()
        with reading(database) as connection:
            stamp = registry_stamp(connection)
        local: LocalLookup = _LocalFiles(database) if stamp and stamp[0] else _no_local_file
        return ReportContext(risks=risks, lists=lists, local_file=local, key=self.report_key(lists, stamp))

    def report_key(self, lists: RuleLists, stamp: tuple[object, ...]) -> str:
        """The key kept reports are filed under (`accountability.report.context_key`); "" without a risk table."""
        from tracker.accountability.report import context_key

        try:
            return context_key(self.settings.reference_file("risk.toml").read_bytes(), lists, stamp)
        except OSError:
            return ""


def _missing_folders(folder: Path) -> list[Path]:
    """`folder` and those above it that are not there yet, deepest first."""
    missing: list[Path] = []
    for each in (folder, *folder.parents):
        if each.exists():
            break
        missing.append(each)
    return missing


def _remove_made_folders(folders: list[Path], archive_dir: Path) -> None:
    """Remove the folders a failed command made for its database (`settle_new_archive`), when they hold nothing
    but what an empty archive is: the archive's empty folders and its lock file (taken away only while no
    writer holds it). A folder with anything else in it (a file the command archived before it failed, which
    the next writer's sweep removes) is kept."""
    import os

    try:
        import fcntl
    except ImportError:  # Windows: the lock file stays, and so does its folder
        fcntl = None  # type: ignore[assignment]
    if not folders:
        return
    archive = archive_dir.absolute()
    if archive in folders and archive.is_dir():
        for inner in sorted(archive.glob("*"), reverse=True):
            _rmdir(inner)
        _rmdir(archive)
        lock = archive.parent / f".{archive.name}.lock"
        if fcntl is not None and lock.is_file() and not archive.exists():
            descriptor = os.open(lock, os.O_RDWR)
            try:
                fcntl.lockf(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                lock.unlink()
            except OSError:
                pass  # a writer holds it: the folder stays
            finally:
                os.close(descriptor)
    for folder in folders:
        _rmdir(folder)


def _rmdir(folder: Path) -> None:
    """Remove an empty folder; one with anything in it (or none at all) is left as it is."""
    try:
        folder.rmdir()
    except OSError:
        pass


class _LocalFiles:
    """`resources.listing.local_lookup`, read (as SQL text, no ORM) the first time a report asks for it."""

    def __init__(self, database: Reader | Engine) -> None:
        self.database = database
        self.lookup: LocalLookup | None = None

    def __call__(self, ref: ResourceRef) -> Path | None:
        if self.lookup is None:
            from tracker.db.plain import reading
            from tracker.resources.listing import local_lookup

            with reading(self.database) as connection:
                self.lookup = local_lookup(connection)
        return self.lookup(ref)


def _no_local_file(ref: ResourceRef) -> Path | None:
    """The local model lookup when no model file was scanned."""
    return None


pass_app = click.make_pass_decorator(AppContext)
"""Hands a command the `AppContext` the `tracker` group made."""


EXIT_IF_CUT = "tracker.exit_if_cut"
"""`click.Context.meta` key: the exit code a command has already decided on (`status`'s "overdue"), kept when the
reader of its output closes the pipe early (`tracker status | head -1`); otherwise such a command exits 0."""


def new_archive_line(label: object) -> str:
    """What a command says (on stderr) when it started a new archive (one that held nothing before the command,
    though it holds what the command recorded): a mistyped data folder or `--db` would otherwise quietly take
    what is logged where the owner's dashboard never shows it."""
    return f"tracker: started a new archive at {label} (it held nothing before this command)"


def _empty_file(path: Path) -> bool:
    try:
        return path.is_file() and path.stat().st_size == 0
    except OSError:
        return False


def _records_nothing(engine: Engine) -> bool | None:
    """`db.engine.records_nothing`, or None when the database cannot say (gone, a full disk): then as before."""
    from tracker.db.engine import records_nothing

    try:
        return records_nothing(engine)
    except Exception:  # noqa: BLE001 - a notice is at stake, never the command's own outcome
        return None


def folder_is_a_file(database: Path) -> str | None:
    """What to say when the folder the database file would be in is a file (a data folder set to a file's path by
    mistake): else "a file is in the way" or "no database at FILE/tracker.db", neither naming what is wrong."""
    folder = database.parent
    try:
        if folder.is_dir() or not folder.exists():
            return None
    except OSError:
        return None
    return (
        f"the data folder {folder} is a file, not a folder: point TRACKER_DATA_DIR / --data-dir (or --db) at a "
        "folder (tracker keeps its database and archive in it)"
    )


def no_database(path: object) -> str:
    """What a command says when the database it would read was never created (or is an empty file)."""
    if isinstance(path, Path) and (said := folder_is_a_file(path)):
        return said
    if isinstance(path, Path) and _empty_file(path):
        return (
            f"the database {path} is an empty file (0 bytes: a copy cut short, or a disk that filled up?): nothing "
            "is recorded in it; restore a backup over it (tracker restore --force FILE), or check TRACKER_DATA_DIR "
            "/ --data-dir / --db"
        )
    return (
        f"no database at {path}: check TRACKER_DATA_DIR / --data-dir / --db "
        "(nothing is recorded there; tracker log or tracker import starts a new archive)"
    )


def terminal_width() -> int | None:
    """The terminal's width when printing to one (or when COLUMNS says); None into a pipe or a file,
    whose lines are never folded."""
    import os
    import shutil
    import sys

    if "COLUMNS" not in os.environ and not sys.stdout.isatty():
        return None
    return shutil.get_terminal_size().columns


def echo_lines(lines: Iterable[str]) -> None:
    """Print lines that are already safe for the terminal."""
    for line in lines:
        click.echo(line)


def stderr_width() -> int | None:
    """The width of the terminal stderr prints to (COLUMNS when set); None when stderr is a pipe or a file, where an
    error or a warning stays one line, for a script or a log to read."""
    import os
    import sys

    if not sys.stderr.isatty():
        return None
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        return os.get_terminal_size(sys.stderr.fileno()).columns
    except (OSError, ValueError):
        return None


def echo_stderr(head: str, message: object) -> None:
    """`head` and the message (control characters escaped) on stderr: one line, folded on a terminal too narrow
    for it (`output.stderr_lines`) so that no file name or command to run is lost past its edge."""
    from tracker.cli.output import stderr_lines

    for line in stderr_lines(head, safe_text(message), stderr_width()):
        click.echo(line, err=True)


def echo_error(message: object) -> None:
    """`tracker: error: ...` on stderr, with control characters escaped (folded on a narrow terminal)."""
    echo_stderr("tracker: error: ", message)


def echo_warning(message: object) -> None:
    """`tracker: warning: ...` on stderr, with control characters escaped (folded on a narrow terminal)."""
    echo_stderr("tracker: warning: ", message)
