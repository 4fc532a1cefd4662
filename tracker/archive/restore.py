"""`tracker restore`: a verified backup put in place of the database and archive, or nothing changed.

The backup is read and checked in full first (`verify`), into a private staging folder beside the
database: nothing else changes until its members, its manifest and its database have passed. The
swap then runs under two locks: one beside the database, which a second restore is refused by,
and the archive's writer lock taken exclusively (`store.writing`), so no `log` or `import` runs
meanwhile. Its steps are ordered so that a kill at any point leaves the database file holding the
old database or the new one, complete, and the archive every file that database names:

1. The old database is taken over: switching it out of WAL mode checkpoints every committed
   change into the file (and fails while another process has it open, a TUI say: the restore is
   then refused), and `BEGIN EXCLUSIVE` keeps everyone out until the swap is over. It is copied
   whole to `<db>.old-<time>-<random>` through one descriptor opened under that lock and closed only
   after it: closing any descriptor of a file drops every POSIX lock this process holds on it, and
   with it SQLite's (so no `open()` of the database while it is held). What only it holds is read
   from that copy (`left_behind`), so a change made before the lock is named too. A file SQLite
   cannot open is copied as it is, with its `-wal` file beside the copy, where SQLite looks for it.
2. The old archive is copied to `<archive>.old-<time>-<random>` as hard links (no extra space; a
   scrub unlinks files, it never overwrites them). Then a random mark is written into the restored
   database's header and the restore's record (`restore_record`): that mark, where the old ones are
   kept, and the warnings (personas that come back, what only the old database holds, and what an
   earlier killed restore never said: carried over), for `tracker status` to say if the restore is
   killed before it says them itself.
3. A journal lists the files only the new archive or only the old one has (`store.sweep` deletes
   those no database row names, in the next writing command), then the new files are added to the
   archive. Files are named by their content, so the old database's files stay where they were.
4. The new database is renamed over the old one: the commit point. The old one's `-wal`, `-shm`
   and `-journal` go first, so nothing of it can be applied to the new file.
   The personas it brings back are noted at once for `tracker status` and their checklists (`returned`:
   said until the owner scrubs them again or keeps them).
5. The files only the old archive had leave the archive (they are in the `.old-*` copy).
6. What only the replaced database held is noted for `tracker status`, to repeat while its copy is kept
   (`replaced`), the summary and its warnings are said (`tell`), then the record is removed: the restore is over
   (a note that cannot be written leaves the record, which `tracker status` says instead).

Files the old archive has and the backup lacks stay when the new database names them (a backup made
with `--allow-missing`, say): step 5 never removes a file the restored database names. Files in the
backup that its database names nowhere (an older tracker's backup, made while an import ran) are left
out: no command would ever see them, not even a persona's scrub. Files the restored database names
that neither side had are listed (`RestoreSummary.missing`). A swap stopped by an error (a full disk)
removes its own copies of the old database and archive at once: the old ones are still in place.

What a killed restore leaves (its staging folder, a full copy of the backup, half-made
`.old-*.partial` copies) is removed by the next restore or by the next writing command (`log`,
`import`, ...: `store.writing`, which finds the note `.archive.restoring` a restore writes for its
run), and its journal by the next writing command or restore. Its record stays while it has something to say:
until the next writing command or restore when the old database is still in use; when the restored
one is, until the owner deletes the old database's copy or a restore finishes.
"""

from __future__ import annotations

import errno
import glob
import os
import secrets
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from tracker.archive import verify
from tracker.archive.backup import ARCHIVE, DATABASE, archived_files, named_files
from tracker.archive.left_behind import LeftBehind, Returning, left_behind, returning_personas
from tracker.archive.replaced import note_restore
from tracker.archive.restore_record import (
    RestoreRecord,
    Unsaid,
    clear_record,
    mark_database,
    new_mark,
    personas_here,
    read_interrupted,
    record_path,
    write_record,
)
from tracker.archive.returned import Returned, after_restore
from tracker.archive.store import (
    RESTORE_JOURNAL,
    journal_prefix,
    lock_path,
    remove_leftovers,
    restore_leftovers,
    restore_lock_path,
    restore_note_path,
    sweep,
)
from tracker.db.sqlite import ReadOnlyError, empty_database_file, read_only_where
from tracker.errors import Interrupted, UsageError
from tracker.support import testhooks
from tracker.support.files import make_private_dir, missing_folders, remove_if_only
from tracker.support.settings import Settings

try:
    import fcntl
except ImportError:  # Windows: no locks; a restore there must not run beside another tracker
    fcntl = None  # type: ignore[assignment]

HOLD_TIMEOUT = 5.0
"""Seconds to wait for another process's write to the old database to finish before refusing."""


@dataclass(frozen=True)
class RestoreSummary:
    """What was restored, and where the replaced database and archive were kept."""

    path: Path
    files: int
    kept_database: Path | None
    kept_archive: Path | None
    carried: tuple[str, ...] = ()
    """Files the backup lacked that the restored database names, kept from the replaced archive."""
    missing: tuple[str, ...] = ()
    """Files the restored database names that neither the backup nor the replaced archive had."""
    unnamed: int = 0
    """Files in the backup that its database names nowhere (left by an import killed before its rows): left out."""
    left: LeftBehind = field(default_factory=LeftBehind)
    """What only the replaced database held (new records, later changes): in `kept_database` alone now."""
    returning: tuple[Returning, ...] = ()
    """Personas only the backup has (scrubbed or merged away since it was made): back with the restore."""
    earlier: tuple[Unsaid, ...] = ()
    """What earlier restores, killed after they put their backup in place, never said (still true)."""


class NeedsForce(UsageError):
    """A restore over an existing database without `--force`; `database` is the one it would replace."""

    def __init__(self, database: Path) -> None:
        super().__init__(f"{database} exists: restore over it with --force (the current one is kept as .old-*)")
        self.database = database


def restore(
    settings: Settings, source: Path, force: bool = False, tell: Callable[[RestoreSummary], None] | None = None
) -> RestoreSummary:
    """Put a backup's database and archive in place of the current ones (see the module docstring).

    `tell` says the summary (the CLI prints its warnings) before the restore's record goes: killed before that,
    `tracker status` says them instead (`restore_record`)."""
    database = settings.sqlite_path
    if database is None:
        raise UsageError("restore writes a SQLite database; set --db to a file path")
    if database.is_symlink():
        database = database.resolve()  # restored where the link points (another disk, say), the link kept
    if (read_only := read_only_where(database)) is not None:  # a write-protected stick, a file made read-only
        raise ReadOnlyError(read_only)  # said as every writer says it
    if database.exists() and not force and not empty_database_file(database):
        raise NeedsForce(database)
    archive = settings.archive_dir
    made = missing_folders(database.parent, archive.parent)  # taken away again if the restore is refused
    make_private_dir(database.parent, tighten_existing=database.absolute().parent == settings.data_dir.absolute())
    if not archive.parent.is_dir():
        make_private_dir(archive.parent)
    swap = _Swap(database)
    try:
        with _locked(database, archive, made):
            earlier = _clear_leftovers(database, archive)
            note = _note(database, archive)
            try:
                with tempfile.TemporaryDirectory(prefix=f".{database.name}.restoring-", dir=database.parent) as tmp:
                    staging = Path(tmp)
                    plan = verify.stage(source, staging)
                    verify.check_database(staging / DATABASE)
                    named = named_files(staging / DATABASE)
                    testhooks.stop_point("restore:verified")
                    adding = [rel for rel in plan.files if rel in named]
                    done = _swap_in(staging, adding, named, database, archive, swap, source, earlier)
                    summary = RestoreSummary(
                        source,
                        len(adding),
                        done.kept_database,
                        done.kept_archive,
                        carried=done.carried,
                        left=done.left,
                        missing=done.missing,
                        unnamed=len(plan.files) - len(adding),
                        returning=done.returning,
                        earlier=done.earlier,
                    )
                    noted = note_restore(database, _told(summary))  # for `tracker status` while the copies are kept
                    if tell is not None:
                        tell(summary)
                if noted:  # said, and nothing left behind: the restore is over
                    record_path(database).unlink(missing_ok=True)
                testhooks.stop_point("restore:told")
            finally:
                _forget_unless_unsaid(database)  # stopped by an error or Ctrl+C (which say so themselves)
                note.unlink(missing_ok=True)
                if swap.replaced:
                    _remove_saved_index(settings)
    except KeyboardInterrupt:
        raise Interrupted(_interrupted(swap)) from None
    return summary


def _told(summary: RestoreSummary) -> list[tuple[str, str | None, LeftBehind]]:
    kept = summary.kept_database.name if summary.kept_database is not None else None
    earlier = [(unsaid.backup, unsaid.kept_database, unsaid.left) for unsaid in summary.earlier]
    return [(str(summary.path.absolute()), kept, summary.left), *earlier]


def _remember_returned(database: Path, backup: str, returning: Sequence[Returning], earlier: Sequence[Unsaid]) -> None:
    """Note the personas the restored database brings back (and those an earlier killed restore did, which this one
    says with its own warnings), so that `tracker status` and their checklists repeat the warning until the owner
    acts (`returned`). Written as soon as the restored database is in place: a kill after that loses nothing. A
    note that cannot be written leaves the restore's record to say them (`tracker status`)."""
    now = datetime.now(UTC)
    told = [(backup, p) for p in returning] + [(unsaid.backup, p) for unsaid in earlier for p in unsaid.returning]
    try:
        # Read-write, though it only reads: a read-only connection to a database in WAL mode leaves a `-wal` file
        # behind, which the last read-write connection to close removes.
        with closing(sqlite3.connect(database.resolve())) as conn:
            here = personas_here(conn)
    except sqlite3.Error:
        here = {p.name for _, p in told}
    try:
        after_restore(database, [Returned(p.name, p.posts, p.complaints, name, now) for name, p in told], here)
    except OSError:
        pass  # the record stays while it has this to say


def _forget_unless_unsaid(database: Path) -> None:
    """A restore stopped by an error or Ctrl+C says itself which database is in use: its record goes, unless the
    restored database is in place with warnings it never said (`tracker status` says them). Before the note goes:
    a kill in between leaves both, for the next writer."""
    try:
        clear_record(database)
    except OSError:
        pass  # the next writer (the note is there) or restore removes it


def _remove_saved_index(settings: Settings) -> None:
    """The saved index and its region tables were made from the replaced database's rows (a persona scrubbed
    since the backup, say): removed, as a scrub removes them; the next `match` builds them from the restored rows."""
    for path in settings.saved_index_files():
        path.unlink(missing_ok=True)


@dataclass
class _Swap:
    """How far the swap went, for what an interrupted restore says."""

    database: Path
    new_inode: int | None = None
    """The restored database file's inode, known just before it is renamed into place."""
    kept: Path | None = None
    """Where the replaced database was copied."""

    @property
    def replaced(self) -> bool:
        """Is the restored database in place (step 4, the commit point)? Asked of the file itself, so a
        Ctrl+C right after the rename is told apart from one right before it."""
        try:
            return self.new_inode is not None and self.database.stat().st_ino == self.new_inode
        except OSError:
            return False


def _interrupted(swap: _Swap) -> str:
    if not swap.replaced:
        return "restore interrupted: the database and archive are as they were (the next command clears what it left)"
    kept = f"; the replaced one is kept as {swap.kept.name}" if swap.kept is not None else ""
    return (
        f"restore interrupted after the backup was put in place: the restored database is in use{kept}"
        " (old archive files it does not name are removed by the next writing command; tracker status repeats"
        " any warning the restore did not get to say)"
    )


def _note(database: Path, archive: Path) -> Path:
    """Note the database this restore writes, for the writer that clears up after a kill (`store.writing`)."""
    note = restore_note_path(archive)
    try:
        with open(os.open(note, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as handle:
            handle.write(os.fsencode(database.absolute()) + b"\n")  # the name's bytes: it may not be UTF-8
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        raise UsageError(f"cannot write {note} ({exc.strerror or exc}): nothing was restored") from None
    return note


@contextmanager
def _locked(database: Path, archive: Path, made: list[Path]) -> Iterator[None]:
    """Hold the restore lock beside the database and the archive's writer lock, or refuse at once. A restore
    refused in folders it `made` takes them away again, with the lock files it made there (`remove_if_only`)."""
    if fcntl is None:
        yield
        return
    locks = [restore_lock_path(database), lock_path(archive)]
    new = [lock for lock in locks if not lock.exists()]
    restore_fd = os.open(locks[0], os.O_RDWR | os.O_CREAT, 0o600)
    archive_fd = None
    try:
        try:
            fcntl.flock(restore_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise UsageError(f"another restore into {database} is running: let it finish first") from None
        archive_fd = os.open(locks[1], os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.lockf(archive_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise UsageError("another tracker command is writing to the archive: restore once it ends") from None
        try:
            yield
        except BaseException:
            if made:  # under both locks still: nothing in those folders is anyone else's when they hold no more
                remove_if_only(new, made)
            raise
    finally:
        if archive_fd is not None:
            os.close(archive_fd)
        os.close(restore_fd)


def _clear_leftovers(database: Path, archive: Path) -> tuple[Unsaid, ...]:
    """Remove what a killed restore left: its staging folder and its unfinished `.old-*.partial` copies, the files
    its journal lists that the database in use does not name (as the next writer would), and its record unless it
    still has something to tell (`restore_record.clear_record`). Returns what that record still has to tell, for
    this restore to carry over."""
    found = read_interrupted(database)
    try:
        remove_leftovers(restore_leftovers(database, archive))
        _sweep(database, archive)
        clear_record(database)
    except OSError as exc:
        raise UsageError(f"cannot remove what an interrupted restore left ({exc})") from None
    return found.unsaid() if found is not None else ()


def _sweep(database: Path, archive: Path) -> None:
    """The journals killed writers and restores left, swept against the database in use (under the exclusive
    writer lock, as `store.writing` does): so an earlier restore's files are not blamed on this one if it is killed.
    Left to the next writer when the database cannot be read. The database is read only when a journal is there:
    a restore refused for its backup leaves the data folder as it was, not even a reader's -wal and -shm files."""
    if not database.is_file():
        return
    named: list[set[str]] = []

    def referenced(rels: Sequence[str]) -> set[str]:
        if not named:
            named.append(named_files(database))
        return named[0] & set(rels)

    try:
        sweep(archive, referenced)
    except sqlite3.Error:
        return


def _tag() -> str:
    """The `.old-*` suffix: the time, and random hex so that two restores never pick the same name."""
    return f"{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}-{secrets.token_hex(3)}"


@dataclass(frozen=True)
class _Swapped:
    """What the swap did: where the old database and archive were kept, the old archive's files the backup
    lacked that stay because the new database names them, the files the new database names that neither had,
    and what only the old database held or only the backup has."""

    kept_database: Path | None
    kept_archive: Path | None
    carried: tuple[str, ...]
    missing: tuple[str, ...]
    left: LeftBehind
    returning: tuple[Returning, ...]
    earlier: tuple[Unsaid, ...]


def _swap_in(
    staging: Path,
    new_files: list[str],
    named: set[str],
    database: Path,
    archive: Path,
    swap: _Swap,
    source: Path,
    earlier: tuple[Unsaid, ...],
) -> _Swapped:
    """Steps 1-5 of the module docstring."""
    tag = _tag()
    held = _hold(database) if database.exists() else None
    try:
        try:
            kept_database = _keep_database(database, tag, held) if database.exists() else None
            swap.kept = kept_database
            left, returning = _compared(kept_database, staging / DATABASE)
            old = archived_files(archive)
            kept_archive = _keep_archive(old, archive, tag)
            still = _carried(earlier, staging / DATABASE)
            mark = new_mark()
            mark_database(staging / DATABASE, mark)
            record = RestoreRecord(
                str(source.absolute()),
                kept_database.name if kept_database is not None else None,
                kept_archive.name if kept_archive is not None else None,
                tuple(returning),
                left,
                mark=mark,
                carried=still,
            )
            write_record(database, record)  # before the archive or database changes: what a kill leaves
            testhooks.stop_point("restore:recorded")
            new = set(new_files)
            journal = _write_journal(archive, tag, sorted((new - old.keys()) | (old.keys() - new)))
            _add_files(staging / ARCHIVE, archive, new_files)
            for suffix in ("-wal", "-shm", "-journal"):
                Path(f"{database}{suffix}").unlink(missing_ok=True)
            _sync()
            testhooks.stop_point("restore:before-replace")
            swap.new_inode = (staging / DATABASE).stat().st_ino
            os.replace(staging / DATABASE, database)
        except OSError as exc:
            _drop_copies(database, archive, tag)  # of what is still in place: on a full disk, room back at once
            raise UsageError(f"restore stopped, the database is unchanged: {exc}") from None
        _sync()
        _remember_returned(database, str(source.absolute()), returning, still)  # past the commit point
        testhooks.stop_point("restore:replaced")
    finally:
        if held is not None:
            held.close()
    carried = tuple(sorted((old.keys() - new) & named))
    missing = tuple(sorted(named - new - old.keys()))  # named, and in neither the backup nor the old archive
    for rel in sorted(old.keys() - new - named):
        (archive / rel).unlink(missing_ok=True)
        testhooks.stop_point("restore:old-removed")
        folder = (archive / rel).parent
        if not any(folder.iterdir()):
            folder.rmdir()
    if journal is not None:
        journal.unlink(missing_ok=True)
    testhooks.stop_point("restore:done")
    return _Swapped(kept_database, kept_archive, carried, missing, left, tuple(returning), still)


def _carried(earlier: tuple[Unsaid, ...], restored: Path) -> tuple[Unsaid, ...]:
    """An earlier restore's warnings as they stand once `restored` is in place: a persona that came back then is
    named only if the restored database has it too (else it is gone from the database in use again)."""
    if not earlier:
        return ()
    try:
        with closing(sqlite3.connect(restored.absolute().as_uri() + "?mode=ro", uri=True)) as conn:
            here = personas_here(conn)
    except sqlite3.Error:
        here = {persona.name for unsaid in earlier for persona in unsaid.returning}
    kept = (replace(u, returning=tuple(p for p in u.returning if p.name in here)) for u in earlier)
    return tuple(unsaid for unsaid in kept if unsaid.warns)


def _compared(kept: Path | None, restored: Path) -> tuple[LeftBehind, list[Returning]]:
    """What only the replaced database holds and the personas only the backup has, read from the copy of the
    replaced one taken under the lock: every change committed before the lock is in it, none after."""
    if kept is None:
        return LeftBehind(), []
    return left_behind(kept, restored), returning_personas(kept, restored)


@dataclass
class _Held:
    """The old database locked exclusively by `conn`, and `fd`, the one descriptor its file is read through
    while the lock lasts (closed after `conn`: closing a descriptor drops this process's locks on the file)."""

    conn: sqlite3.Connection
    fd: int

    def close(self) -> None:
        self.conn.close()
        os.close(self.fd)


def _hold(database: Path) -> _Held | None:
    """The old database checkpointed out of WAL mode and locked exclusively; None if SQLite cannot open it.

    Leaving WAL mode needs every other connection closed, so a database another process has open
    is refused here, before anything changed.
    """
    try:
        conn = sqlite3.connect(database, timeout=HOLD_TIMEOUT, isolation_level=None)
    except sqlite3.Error:
        return None
    in_use = UsageError(f"{database} is open in another tracker process (the TUI?): close it, then restore again")
    try:
        mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()
        if not mode or str(mode[0]).lower() != "delete":
            conn.close()
            raise in_use
        conn.execute("BEGIN EXCLUSIVE")
    except sqlite3.Error as exc:
        conn.close()
        if (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            raise in_use from None
        return None
    try:
        fd = os.open(database, os.O_RDONLY)
    except OSError as exc:
        conn.close()
        raise UsageError(f"cannot read {database} ({exc.strerror or exc}): nothing was restored") from None
    testhooks.stop_point("restore:held")
    return _Held(conn, fd)


def _drop_copies(database: Path, archive: Path, tag: str) -> None:
    """After a failed swap (the old database still in place): remove this run's `.old-<tag>` copies, whole or
    partial. The files it added to the archive are in its journal, for the next writing command's sweep."""
    kept = [
        *database.parent.glob(f"{glob.escape(database.name)}.old-{tag}*"),
        *archive.parent.glob(f"{glob.escape(archive.name)}.old-{tag}*"),
    ]
    try:
        remove_leftovers(kept)
    except OSError:
        pass  # named in the error's folder listing by `purge plan`; the next restore clears a .partial


def _keep_database(database: Path, tag: str, held: _Held | None) -> Path:
    """Copy the old database to `<db>.old-<tag>`: through the held descriptor, or, when SQLite could not open
    it (nothing `held`), as it is, with its WAL."""
    target = database.with_name(f"{database.name}.old-{tag}")
    wal = Path(f"{database}-wal")
    if held is None and wal.exists():
        _copy_whole(wal, Path(f"{target}-wal"))
    _copy_whole(database, target, held.fd if held is not None else None)
    testhooks.stop_point("restore:database-kept")
    return target


def _copy_whole(source: Path, target: Path, source_fd: int | None = None) -> None:
    """Copy a file to a new private file under a `.partial` name, synced, then renamed to `target`;
    read through `source_fd` when given (left open: see `_Held`)."""
    partial = target.with_name(f"{target.name}.partial")
    with (
        open(source, "rb") if source_fd is None else open(source_fd, "rb", closefd=False) as src,
        open(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as dst,
    ):
        src.seek(0)
        shutil.copyfileobj(src, dst, 1 << 20)
        dst.flush()
        os.fsync(dst.fileno())
    testhooks.stop_point("restore:copied")
    os.replace(partial, target)


def _keep_archive(files: dict[str, Path], archive: Path, tag: str) -> Path | None:
    """Hard-link (or copy) the old archive's files into `<archive>.old-<tag>`; None when it has none."""
    if not files:
        return None
    target = archive.with_name(f"{archive.name}.old-{tag}")
    partial = archive.with_name(f"{archive.name}.old-{tag}.partial")
    partial.mkdir(mode=0o700)
    for rel, path in files.items():
        (partial / rel[:2]).mkdir(mode=0o700, exist_ok=True)
        try:
            os.link(path, partial / rel)
        except OSError:  # a file system without hard links
            _copy_whole(path, partial / rel)
        testhooks.stop_point("restore:archive-linked")
    os.replace(partial, target)
    testhooks.stop_point("restore:archive-kept")
    return target


def _write_journal(archive: Path, tag: str, rels: list[str]) -> Path | None:
    """List the files whose fate depends on which database wins, for `store.sweep` after a kill."""
    if not rels:
        return None
    journal = archive.parent / f"{journal_prefix(archive)}{RESTORE_JOURNAL}{tag}"
    with open(os.open(journal, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w", encoding="ascii") as handle:
        handle.write("".join(f"{rel}\n" for rel in rels))
        handle.flush()
        os.fsync(handle.fileno())
    testhooks.stop_point("restore:journal-written")
    return journal


def _add_files(staged: Path, archive: Path, rels: list[str]) -> None:
    """Move the staged files into the archive (copied when the archive is on another file system)."""
    make_private_dir(archive)
    for rel in rels:
        target = archive / rel
        target.parent.mkdir(mode=0o700, exist_ok=True)
        try:
            os.replace(staged / rel, target)
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                raise
            temporary = target.with_name(f".incoming-restore-{secrets.token_hex(6)}")
            _copy_whole(staged / rel, temporary)
            os.replace(temporary, target)
        testhooks.stop_point("restore:archive-added")


def _sync() -> None:
    """Make the renames so far durable before the next step depends on them."""
    if hasattr(os, "sync"):
        os.sync()
