"""Private files: folders only the owner can enter, and files written whole or not at all.

Everything tracker writes links the owner to a persona, so folders are 0700 and files 0600 from
the moment they exist. A file is written to a temporary name beside its target and renamed over
it once complete, so a crash leaves the old file or the new one, never half of one.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

try:
    import fcntl
except ImportError:  # Windows: no advisory locks
    fcntl = None  # type: ignore[assignment]


def make_private_dir(path: Path, tighten_existing: bool = True) -> None:
    """Create a folder (and its parents) readable by the owner only (0700), tightening it if it exists.

    Every folder this creates is 0700 whatever the umask (`Path.mkdir(parents=True)` would make the
    parents with the umask's mode, world-writable under `umask 000`); folders that were already
    there above `path` are left as they are, and so is `path` itself with `tighten_existing=False` (a folder
    of the owner's that tracker was only asked to put a file in).
    """
    path = Path(path).absolute()
    missing: list[Path] = []
    for folder in (path, *path.parents):
        if os.path.isdir(folder):
            break
        missing.append(folder)
    for folder in reversed(missing):
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:
            if not os.path.isdir(folder):
                raise
            continue  # made meanwhile by another process: that one sets its mode
        os.chmod(folder, 0o700)  # the umask may have taken bits away from 0o700 too
    if tighten_existing:
        tighten(path, 0o700)


def missing_folders(*paths: Path) -> list[Path]:
    """The folders `make_private_dir` would create for `paths` (those not there yet), deepest first: what a command
    refused before it changed anything takes away again (`remove_if_only`)."""
    missing: set[Path] = set()
    for path in paths:
        for folder in (Path(path).absolute(), *Path(path).absolute().parents):
            if os.path.isdir(folder):
                break
            missing.add(folder)
    return sorted(missing, key=lambda folder: len(folder.parts), reverse=True)


def remove_if_only(files: Sequence[Path], folders: Sequence[Path]) -> None:
    """Take `files` and then `folders` (deepest first, as `missing_folders` lists them) away again, when those
    folders hold nothing else: what a refused command made, and nothing of anyone else's (another process that
    started in a folder meanwhile keeps it, and its files). Never raises: what cannot go stays."""
    mine = {Path(file).absolute() for file in files}
    made = {Path(folder).absolute() for folder in folders}
    try:
        for folder in made:
            if any(entry.absolute() not in mine | made for entry in folder.iterdir()):
                return
        for file in mine:
            file.unlink(missing_ok=True)
        for folder in folders:
            Path(folder).rmdir()
    except OSError:
        return


def tighten(path: Path, mode: int) -> None:
    """Give an existing file or folder this mode; one that has it already is not touched (a read-only
    disk, where `chmod` fails even to set the same mode, is then still read)."""
    if stat.S_IMODE(os.stat(path).st_mode) != mode:
        os.chmod(path, mode)


def create_private_file(path: Path) -> None:
    """Make sure `path` exists and is 0600, without touching what it holds."""
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    tighten(path, 0o600)


@contextmanager
def atomic_private(
    path: Path,
    prefix: str | None = None,
    suffix: str = ".partial",
    locked: bool = False,
    place: Callable[[str], None] | None = None,
) -> Iterator[BinaryIO]:
    """A binary file to write `path` through: private (0600), synced, and renamed into place on success.

    The temporary file sits beside the target (`prefix` defaults to `.<name>.`) and is removed when
    the block raises, so the target is either untouched or complete. `locked` holds an exclusive
    `flock` on it from before its first byte until after the rename: one that can be locked is no
    live writer's (what a process killed mid-write leaves, which `archive.backup` clears). `place`, when given,
    puts the finished temporary file (its path given) where it belongs instead of the rename over `path`
    (`place_new`: never over an existing file); it must leave nothing under the temporary name.
    """
    folder = path.parent if str(path.parent) else Path(".")
    fd, temporary = tempfile.mkstemp(prefix=prefix or f".{path.name}.", suffix=suffix, dir=folder)
    held = -1
    try:
        if locked and fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a new file: no one else has it
                held = os.dup(fd)  # the lock stays while this is open, after the handle is closed
            except OSError:  # a file system without locks: written unlocked (and never cleared as stale)
                pass
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o600)
        if place is None:
            os.replace(temporary, path)
        else:
            place(temporary)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    finally:
        if held >= 0:
            os.close(held)


def place_new(temporary: str, path: Path) -> None:
    """Rename file `temporary` to `path` unless something is there already (FileExistsError, `temporary` left): a
    hard link then the old name removed, since a rename would replace what is there. A file system without hard
    links (a FAT stick) has the name checked first, then taken by a rename."""
    try:
        os.link(temporary, path, follow_symlinks=False)
    except FileExistsError:
        raise
    except OSError:  # no hard links there: checked, then renamed (a race with another writer is not excluded)
        if os.path.lexists(path):
            raise FileExistsError(errno.EEXIST, "File exists", str(path)) from None
        os.replace(temporary, path)
        return
    os.unlink(temporary)


def write_private_text(path: Path, text: str) -> None:
    """Write `text` (UTF-8) to a file only the owner can read (0600), whole or not at all; raises OSError."""
    with atomic_private(path) as handle:
        handle.write(text.encode("utf-8"))


def read_regular(path: Path, limit: int) -> bytes | None:
    """The bytes of a file read as untrusted (a draft the TUI wrote, say): None unless it is a regular file, not
    reached through a symlink, of at most `limit` bytes (a FIFO there does not block the read)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(limit + 1)
        return data if len(data) <= limit else None
    except OSError:
        return None
    finally:
        os.close(fd)


@contextmanager
def file_lock(path: Path, wait: float) -> Iterator[bool]:
    """Hold an exclusive advisory lock on the file `path` (created empty, 0600, never deleted: a
    waiter would then lock a file no one else sees). Yields True once held, False after `wait`
    seconds without it, or when the lock file cannot be created. Where there is no `fcntl`
    (Windows), nothing is locked and True is yielded."""
    if fcntl is None:
        yield True
        return
    try:
        make_private_dir(path.parent)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        yield False
        return
    try:
        end = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                held = True
                break
            except OSError:
                if time.monotonic() >= end:
                    held = False
                    break
                time.sleep(0.05)
        yield held
    finally:
        os.close(fd)  # releases the lock


def try_lock(path: Path) -> int | None:
    """Take an exclusive advisory lock on the file `path` (created empty, 0600, never deleted) and hold it until
    `unlock` or the process ends (killed too: the system lets go of it): the open file's number; None when another
    holds it. -1 when nothing can be locked (Windows, a file system without locks, a folder that cannot be
    written): no one is refused there, as before locks."""
    if fcntl is None:
        return -1
    try:
        make_private_dir(path.parent)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except OSError:
        return -1
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    except OSError:
        os.close(fd)
        return -1
    return fd


def unlock(fd: int | None) -> None:
    """Let go of a lock `try_lock` took (nothing for None or -1)."""
    if fd is not None and fd >= 0:
        os.close(fd)
