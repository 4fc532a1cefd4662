"""The content-addressed archive of image files: one private copy per sha256.

Files are written to a temporary name and renamed into place, so a crash never leaves a
partial file under a real name; the folders are 0700 and the files 0600.

A file is written before the database row that names it commits, so a writer killed in between
(SIGKILL, power cut) would leave a file nothing names. Every writing command therefore works
inside `writing()`: it holds a shared lock on the archive for as long as it runs, and notes each
file it is about to create in a journal first (both beside the archive folder, `.archive.lock` and
`.archive.pending-*` for the folder `archive`, so the archive itself holds only images). The
next writer that finds no other writer running (it gets the lock exclusively) reads the journals
left behind, deletes the files no row names and the `.incoming-*` temporaries beside them, and
removes the journals; until then `tracker status` tells of those files (`unrecorded`). It also
clears what a killed `tracker restore` left (its staging folder, a full copy of the backup, and
half-made `.old-*.partial` copies): a restore holds the archive lock
exclusively for its whole run and notes its database in `.archive.restoring` while it runs, so a
writer that gets the lock exclusively and finds that note knows no restore is running any more.

A file that is already archived under its content address but whose bytes differ from the data in
hand (damaged on disk) is rewritten, atomically, when the same content is stored again.
"""

from __future__ import annotations

import errno
import glob
import hashlib
import os
import re
import secrets
import shutil
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from stat import S_IMODE, S_ISREG
from typing import IO

from tracker.archive.privacy import OTHERS, open_to_others, tighten_archive
from tracker.archive.restore_record import RESTORED, KilledRestore, clear_record, read_interrupted, record_path
from tracker.db.sqlite import ReadOnlyError, read_only_folder
from tracker.errors import DiskFullError, TrackerError
from tracker.support import testhooks
from tracker.support.files import make_private_dir

try:
    import fcntl
except ImportError:  # Windows: no sweeping of other writers' leftovers (see `writing`)
    fcntl = None  # type: ignore[assignment]

EXTENSIONS = {
    "PNG": ".png",
    "JPEG": ".jpg",
    "WEBP": ".webp",
    "GIF": ".gif",
    "TIFF": ".tif",
    "BMP": ".bmp",
    "AVIF": ".avif",
}


def relative_path(sha256: str, image_format: str) -> str:
    """Where an image lives inside the archive, e.g. `ab/ab12....png`."""
    return f"{sha256[:2]}/{sha256}{EXTENSIONS.get(image_format, '.bin')}"


_READY: set[Path] = set()
"""Folders this process already made private (a bulk import stores thousands of files)."""


def _private_dirs(root: Path, target_dir: Path, again: bool = False) -> None:
    """Make the archive and the folder a file goes into private (once a process); an archive found open to other
    users is walked first (`privacy.tighten_archive`): tightening its top alone would hide what it holds."""
    if root not in _READY and open_to_others(root.resolve()):
        tighten_archive(root)
    for folder in (root, target_dir):
        if folder in _READY and not again:
            continue
        make_private_dir(folder)
        _READY.add(folder)


def _create_temporary(folder: Path) -> tuple[int, Path]:
    """A new private (0600) temporary file in the folder, opened for writing."""
    while True:
        path = folder / f".incoming-{os.getpid()}-{secrets.token_hex(6)}"
        try:
            return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), path
        except FileExistsError:
            continue


def store(root: Path, sha256: str, image_format: str, data: bytes, durable: bool = True) -> tuple[str, bool]:
    """Write the bytes under their content address; return (relative path, newly created).

    A file already there with other bytes (damaged on disk) is rewritten; it does not count as
    newly created, since rows may name it. `durable=False` skips the per-file fsync: a bulk import
    flushes a whole batch with `flush()` before committing the rows that point at it.
    """
    rel = relative_path(sha256, image_format)
    target = root / rel
    existed = False
    try:
        found = target.stat()
        existed = S_ISREG(found.st_mode)
        if existed and found.st_size == len(data) and _holds(target, data):
            if found.st_mode & OTHERS:  # loosened since it was stored: private again as it is touched
                try:
                    os.chmod(target, S_IMODE(found.st_mode) & ~OTHERS)
                except OSError:  # another user's file: left as it is
                    pass
            return rel, False
    except FileNotFoundError:
        pass
    _write(root, rel, data, durable)
    return rel, not existed  # a repaired file was there before: rows may name it, an undo must not remove it


def _write(root: Path, rel: str, data: bytes, durable: bool) -> None:
    """Write `data` to a private temporary file beside `root/rel` and rename it into place."""
    target = root / rel
    _private_dirs(root, target.parent)
    _journal_note(root, rel)
    try:
        fd, temporary = _create_temporary(target.parent)
    except FileNotFoundError:  # the folder was removed since (a scrub removes emptied folders)
        _private_dirs(root, target.parent, again=True)
        fd, temporary = _create_temporary(target.parent)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        testhooks.stop_point("archive:before-rename")
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    testhooks.stop_point("archive:stored")


def repair(root: Path, rel: str, sha256: str, data: bytes) -> bool:
    """Rewrite the archived file `rel` (named by the database) when it is missing or its bytes are not `data`.

    `data` must be the content `rel` is named after (its sha256); anything else is left alone.
    Returns whether the file was rewritten; a file that cannot be written is left for the backup
    to report (False).
    """
    if not _REL.fullmatch(rel) or rel[3:67] != sha256 or hashlib.sha256(data).hexdigest() != sha256:
        return False
    target = root / rel
    try:
        found = target.stat()
        if S_ISREG(found.st_mode) and found.st_size == len(data) and _holds(target, data):
            return False
    except FileNotFoundError:
        pass
    except OSError:
        return False
    try:
        _write(root, rel, data, durable=True)
    except OSError:
        return False
    return True


def repair_from(root: Path, sha256: str, source: Path, named: str | None = None) -> bool:
    """Rewrite the archived copy of `sha256` from `source` (the original file) when the copy is damaged,
    or when it is missing and the database names it (`named`, its path in the archive).

    For a file whose image is archived already (an import run again): the copy is hashed, and the
    original read only when the copy does not match its name. Returns whether a copy was rewritten.
    """
    folder = root / sha256[:2]
    try:
        copies = [p for p in folder.glob(f"{sha256}.*") if _REL.fullmatch(f"{folder.name}/{p.name}") and p.is_file()]
        if not copies and named:  # deleted or lost: written again from the original
            return repair(root, named, sha256, source.read_bytes())
        damaged = [p for p in copies if _sha256_of(p) != sha256]
        if not damaged:
            return False
        data = source.read_bytes()
    except OSError:
        return False
    return any([repair(root, f"{folder.name}/{path.name}", sha256, data) for path in damaged])


def _sha256_of(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _holds(path: Path, data: bytes) -> bool:
    """Whether the file holds exactly `data` (same size already checked); False when it cannot be read."""
    try:
        with open(path, "rb") as handle:
            view = memoryview(data)
            offset = 0
            while chunk := handle.read(1 << 20):
                if chunk != view[offset : offset + len(chunk)]:
                    return False
                offset += len(chunk)
            return offset == len(data)
    except OSError:
        return False


def remove(root: Path, rel: str) -> None:
    """Delete an archived file (used to undo a store whose transaction failed)."""
    (root / rel).unlink(missing_ok=True)


def note_leaving(root: Path, rel: str) -> None:
    """Journal an archived file whose row this run deletes, before the file itself goes after the commit
    (`posts.dropping`): killed in between, the run leaves it to the next writer's `sweep`, which deletes it
    once no row names it. Inside `writing` only (elsewhere nothing is journalled)."""
    _journal_note(root, rel)


def flush() -> None:
    """Make every archive file written without fsync durable (before the rows that name them commit)."""
    os.sync()


# ---------------------------------------------------------------------------- leftovers of killed writers


def lock_path(root: Path) -> Path:
    """The lock file writers of the archive at `root` share (restore takes it exclusively)."""
    return root.parent / f".{root.name}.lock"


def restore_lock_path(database: Path) -> Path:
    """The lock a restore into `database` holds for its whole run (a second restore is refused by it)."""
    return database.parent / f".{database.name}.restore.lock"


def restore_note_path(root: Path) -> Path:
    """Where a running restore notes its database, so that the next writer can clear what a kill left."""
    return root.parent / f".{root.name}.restoring"


def restore_leftovers(database: Path, root: Path) -> list[Path]:
    """What a killed restore leaves: its staging folder and its unfinished `.old-*.partial` copies."""
    return [
        *database.parent.glob(f".{glob.escape(database.name)}.restoring-*"),
        *database.parent.glob(f"{glob.escape(database.name)}.old-*.partial"),
        *root.parent.glob(f"{glob.escape(root.name)}.old-*.partial"),
    ]


def killed_restore_left(database: Path, root: Path) -> tuple[list[Path], bool]:
    """What a killed restore left (`restore_leftovers`), for `tracker status` to tell of, and whether the next
    writer clears it (the restore's note is there: `_clear_killed_restore`) rather than only the next restore.

    Nothing while a writer or a restore runs: a restore holds the writer lock from before it stages anything to its
    end, so what is there then is its work, not leftovers. Only told of, never removed here: removing must hold the
    restore lock and the writer lock exclusively for as long as it takes (a full copy of the backup), and a reader
    holding them would make a restore or a writer starting meanwhile refuse or wait."""
    database = database.resolve() if database.is_symlink() else database  # where a restore stages (`restore`)
    found = restore_leftovers(database, root)
    if not found or _depth or not _no_writer_running(root):
        return [], False
    return found, restore_note_path(root).is_file()


def killed_restore_record(database: Path, root: Path) -> KilledRestore | None:
    """The record of a restore killed part way (`restore_record`: which database is in use, what it would have
    warned), for `tracker status`; None while a writer or a restore runs (its record is no leftover yet)."""
    if _depth or not _no_writer_running(root):
        return None
    return read_interrupted(database)


def drop_spent_record(database: Path, root: Path, here: set[str]) -> None:
    """Remove a killed restore's record that has nothing left to say (`tracker status` found so): it no longer
    applies, or its database is in use and no warning in it stands, `here` being the personas in the database. Only
    under the restore lock, taken for an instant (a restore starting meanwhile writes its own record), and only while
    no writer runs; left as it is otherwise, or when the folder is read-only."""
    database = database.resolve() if database.is_symlink() else database
    if fcntl is None or _depth or not _no_writer_running(root):
        return
    try:
        lock_fd = os.open(restore_lock_path(database), os.O_RDWR)
    except OSError:
        return
    try:
        fcntl.flock(lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a flock: closing this descriptor drops only this one
        found = read_interrupted(database)
        if found is None or (found.in_use == RESTORED and not found.says(here)):
            record_path(database).unlink(missing_ok=True)
    except OSError:
        pass
    finally:
        os.close(lock_fd)


def drop_spent_note(database: Path) -> None:
    """Drop from the note of what replaced databases held (`archive.replaced`) the entries whose `.old-*` copies the
    owner deleted or moved, and the note once it names none (`tracker status`). Only under the restore lock, taken
    for an instant (a restore writes the note and makes the copies under it); left as it is while a restore runs,
    or when the folder is read-only."""
    from tracker.archive.replaced import prune_replaced

    database = database.resolve() if database.is_symlink() else database
    if fcntl is None or read_only_folder(database):
        return
    try:
        lock_fd = os.open(restore_lock_path(database), os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return
    try:
        fcntl.flock(lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a flock: closing this descriptor drops only this one
        prune_replaced(database)
    except OSError:
        pass
    finally:
        os.close(lock_fd)


def remove_leftovers(paths: Sequence[Path]) -> None:
    """Delete files and whole folders (never following a link); raises OSError."""
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)


def _clear_killed_restore(root: Path) -> None:
    """Under the exclusive archive lock: remove what a killed restore left (see the module docstring)."""
    note = restore_note_path(root)
    try:
        database = Path(os.fsdecode(note.read_bytes().strip()))  # as `restore._note` wrote it: the name's bytes
    except OSError:
        return  # no restore was killed (the usual case)
    if not database.is_absolute():
        note.unlink(missing_ok=True)
        return
    try:
        lock_fd = os.open(restore_lock_path(database), os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return
    try:
        if fcntl is not None:
            fcntl.flock(lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a restore in this very process
        remove_leftovers(restore_leftovers(database, root))
        clear_record(database)
        note.unlink(missing_ok=True)
    except OSError:
        pass  # left for the next writer or restore
    finally:
        os.close(lock_fd)


def journal_prefix(root: Path) -> str:
    """The name prefix of the pending-file lists that let an interrupted writer be cleaned up."""
    return f".{root.name}.pending-"


RESTORE_JOURNAL = "restore-"
"""How the journal of a `tracker restore` is told from a writer's (`<pid>-<random>`) after the prefix."""

_REL = re.compile(r"^[0-9a-f]{2}/[0-9a-f]{64}\.[a-z]{3,4}$")

Referenced = Callable[[Sequence[str]], set[str]]
"""Given archive paths, the ones a database row still names."""


class _Journal:
    """This process's list of files it is about to create (appended before each one)."""

    def __init__(self, root: Path, name: str) -> None:
        self.root, self.path = root, root.parent / name
        self.handle: IO[str] | None = None

    def note(self, rel: str) -> None:
        if self.handle is None:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            self.handle = os.fdopen(fd, "a", encoding="ascii")
        self.handle.write(rel + "\n")
        self.handle.flush()  # in the kernel before the file exists: enough for a killed process

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None


_journal: _Journal | None = None
_depth = 0


def _journal_note(root: Path, rel: str) -> None:
    if _journal is not None and _journal.root == root:
        _journal.note(rel)


def journal_in_worker(root: Path, token: str) -> None:
    """In a worker process of a `writing()` run: journal its files under the run's token."""
    global _journal
    _journal = _Journal(root, f"{journal_prefix(root)}{token}-w{os.getpid()}")


@contextmanager
def writing(root: Path, referenced: Referenced) -> Iterator[str]:
    """Hold the archive for writing; yields the run's token (for `journal_in_worker`).

    First clears what killed writers left (when no other writer is running), then journals every
    file this process creates. A clean exit removes the run's journals: its files are either named
    by committed rows or were removed by the code that failed to commit them.
    """
    global _journal, _depth
    if _depth:  # nested (a command that logs inside an import): the outer run covers it
        _depth += 1
        try:
            yield _journal.path.name.removeprefix(journal_prefix(root)) if _journal else ""
        finally:
            _depth -= 1
        return
    if read_only_folder(lock_path(root)):  # a write-protected stick, a mounted snapshot: said before anything
        raise ReadOnlyError(lock_path(root).absolute().parent)
    _private_dirs(root, root)
    lock_fd = os.open(lock_path(root), os.O_RDWR | os.O_CREAT, 0o600)
    token = f"{os.getpid()}-{secrets.token_hex(4)}"
    try:
        if fcntl is not None:
            try:
                fcntl.lockf(lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                alone = True
            except OSError:
                alone = False  # another writer is running: its journals are not leftovers
            if alone:
                sweep(root, referenced)
                _clear_killed_restore(root)
            fcntl.lockf(lock_fd, fcntl.LOCK_SH)  # waits only while another writer sweeps
        _journal, _depth = _Journal(root, f"{journal_prefix(root)}{token}"), 1
        try:
            yield token
        except BaseException as exc:
            if disk_full(exc):
                _journal.close()
                _give_space_back(root, referenced, lock_fd)
            raise
        _journal.close()
        for path in root.parent.glob(f"{journal_prefix(root)}{token}*"):
            path.unlink(missing_ok=True)
    finally:
        if _journal is not None:
            _journal.close()
        _journal, _depth = None, 0
        os.close(lock_fd)  # releases the lock


def disk_full(exc: BaseException) -> bool:
    """Whether a writer stopped because the disk (or the quota) holding the archive or the database is full."""
    return isinstance(exc, DiskFullError) or (isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT))


def _give_space_back(root: Path, referenced: Referenced, lock_fd: int) -> None:
    """A writer the full disk stopped: the files it archived that no committed row names are deleted at once (the
    space they hold is what the owner must free; `tracker status` would otherwise blame an interrupted import for
    them), when no other writer runs (the lock taken exclusively, as the next writer's `sweep` would)."""
    if fcntl is not None:
        try:
            fcntl.lockf(lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return  # another writer runs: the next one sweeps them
    from sqlalchemy.exc import SQLAlchemyError  # loaded already: the writer wrote through it

    try:
        sweep(root, referenced)
    except (OSError, TrackerError, SQLAlchemyError):  # the database unreadable now: the next writer's sweep does it
        pass


def sweep(root: Path, referenced: Referenced) -> list[str]:
    """Delete the files that journals of finished or killed writers list and no row names.

    Only safe while no other writer runs (`writing` calls it under the exclusive lock). Returns
    the archive paths deleted. Journal lines that are not archive paths are ignored.
    """
    removed: list[str] = []
    for journal in sorted(root.parent.glob(f"{journal_prefix(root)}*")):
        try:
            rels = _journal_files(journal)
        except OSError:
            continue
        keep = referenced(rels) if rels else set()
        for rel in rels:
            if rel not in keep:
                try:
                    (root / rel).unlink()
                    removed.append(rel)
                except FileNotFoundError:
                    pass
        for folder in sorted({rel.split("/", 1)[0] for rel in rels}):
            for temporary in (root / folder).glob(".incoming-*"):
                temporary.unlink(missing_ok=True)
        journal.unlink(missing_ok=True)
    return removed


def _journal_files(journal: Path) -> list[str]:
    """The archive paths a journal lists (its other lines ignored); raises OSError."""
    lines = journal.read_text(encoding="ascii", errors="replace").splitlines()
    return sorted({line for line in lines if _REL.match(line)})


def unrecorded(root: Path, referenced: Referenced, by_restore: bool = False) -> list[str]:
    """The archived files a killed writer (an import, a log) left that no row names, for `tracker status` to tell
    of: the next writer's `sweep` deletes them. Empty while a writer runs, whose journals are no leftovers.

    `by_restore`: those a killed `tracker restore` left instead (its journal, `restore-*`: the backup's files it
    copied in before the database was replaced, or the replaced archive's files the restored database does not name);
    without it, those are left out, so that an import never run is not blamed for them."""
    journals = [
        path
        for path in sorted(root.parent.glob(f"{glob.escape(journal_prefix(root))}*"))
        if path.name.startswith(f"{journal_prefix(root)}{RESTORE_JOURNAL}") == by_restore
    ]
    if not journals or _depth or not _no_writer_running(root):
        return []  # `_depth`: a writer in this very process (closing a lock file there would drop its lock)
    rels: set[str] = set()
    for journal in journals:
        try:
            rels.update(rel for rel in _journal_files(journal) if (root / rel).is_file())
        except OSError:
            continue
    named = referenced(sorted(rels)) if rels else set()
    return sorted(rels - named)


def _no_writer_running(root: Path) -> bool:
    """Whether the archive's writer lock is free: taken exclusively for an instant and released (a writer starting
    in that instant only leaves its sweep to the next one)."""
    if fcntl is None:
        return True  # no locks: the journals are told of as they are
    try:
        lock_fd = os.open(lock_path(root), os.O_RDWR)
    except OSError:
        return True  # no lock file (or none this user may open): the journals are told of as they are
    try:
        fcntl.lockf(lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False
    finally:
        os.close(lock_fd)
