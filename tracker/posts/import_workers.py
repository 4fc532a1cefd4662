"""`tracker import`'s worker processes: each reads, hashes and archives files (`analyse`), in a pool that ends with
the import (`analysed`), even when the import is killed (`_end_with_parent`).

A worker ignores Ctrl+C (the import alone answers it) and journals the files it archives under the import's run
(`archive.store.journal_in_worker`), so a killed import's files are swept by the next writer.
"""

from __future__ import annotations

import ctypes
import errno
import gc
import os
import signal
import sys
import threading
import time
from collections.abc import Generator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from tracker.archive import store as archive
from tracker.errors import TrackerError
from tracker.metadata.decoding import FileDigest
from tracker.metadata.reader import read_image
from tracker.posts.import_files import file_name
from tracker.posts.log import ImageFacts
from tracker.support.user_files import fs_text

GC_THRESHOLDS = (50_000, 20, 100)
"""The garbage collector's thresholds while an import runs (workers too): many short-lived objects per file."""
PARENT_CHECK_SECONDS = 0.5
"""How often a worker looks whether the import that started it is still there."""
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Analysed:
    """A file read, hashed and archived by a worker."""

    path: Path
    facts: ImageFacts
    rel_path: str
    created: bool
    """The archive file was written by this run (so it is removed again if its record fails)."""


@dataclass(frozen=True)
class Failed:
    path: Path
    message: str
    full: bool = False
    """The disk is full (or the quota used up): every file after it would fail the same way."""


def analyse(path: Path, archive_dir: Path, known: FileDigest | None = None) -> Analysed | Failed:
    """Worker: read, hash and archive one file. Never raises."""
    try:
        reading = read_image(path, known)
        facts = ImageFacts.from_reading(reading)
        if (name := file_name(path)) != path.name:  # a link to a file elsewhere: recorded as that file
            facts = replace(facts, original_name=fs_text(name))
        rel, created = archive.store(archive_dir, reading.sha256, reading.format, reading.data, durable=False)
        return Analysed(path, facts, rel, created)
    except TrackerError as exc:
        return Failed(path, _with_path(path, fs_text(str(exc))))
    except OSError as exc:
        full = exc.errno in (errno.ENOSPC, errno.EDQUOT)
        return Failed(path, fs_text(f"{path}: cannot archive ({exc.strerror or exc})"), full)
    except Exception as exc:  # a bug must cost one file, not the import
        return Failed(path, fs_text(f"{path.name}: internal error: {type(exc).__name__}: {exc}"))


def _with_path(path: Path, message: str) -> str:
    """A reader's `x.png: ...` as `folder/a/x.png: ...`: an import names two x.png in two folders apart."""
    name = fs_text(path.name) + ":"
    return fs_text(path) + message[len(name) - 1 :] if message.startswith(name) else message


def _analyse_job(job: tuple[Path, Path, FileDigest]) -> Analysed | Failed:
    return analyse(*job)


def _worker_started(archive_dir: Path, token: str, importer: int) -> None:
    """Journal the worker's archive files under the run's token (see `archive.writing`).

    Keep the garbage collector off the modules a worker inherits, and run it less often: a worker
    allocates many short-lived objects per file (parsed workflows); with the default thresholds the
    collector keeps walking everything imported, a few percent of the import.
    """
    # Ctrl+C at a terminal reaches the workers too (the whole foreground group): the import alone answers it. A
    # worker that raised KeyboardInterrupt (the handler it inherited) printed a traceback when it came while it
    # waited for work, and one that died broke the pool, whose clean-up then raised in its own threads; ignored
    # here, the import cancels the work not started and waits for the few files being read (what they wrote,
    # no row names: it is journalled for the next writer to sweep).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _end_with_parent(importer)
    archive.journal_in_worker(archive_dir, token)
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def _end_with_parent(importer: int) -> None:
    """Make this worker end when the import that started it (process `importer`) dies.

    A pool's workers wait on a queue that nothing closes when the import is killed (SIGKILL, a
    crash), so they would wait forever. On Linux the kernel kills the worker when its parent dies
    (prctl PR_SET_PDEATHSIG); everywhere, a daemon thread checks every `PARENT_CHECK_SECONDS` that
    the parent is still the one the worker started under and the import still runs.
    """
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # no libc to ask: the thread below does it alone
            pass
    parent = os.getppid()
    if _parent_gone(parent, importer):  # it died before the death signal was set
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent, importer), name="parent-watch", daemon=True).start()


def _watch_parent(parent: int, importer: int) -> None:
    while not _parent_gone(parent, importer):
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)  # no clean-up to run: the next import sweeps what this one left (archive.writing)


def _parent_gone(parent: int, importer: int) -> bool:
    """Whether the worker was orphaned (its parent changed) or the import process no longer exists.

    `parent` is the process that started the worker: the import itself, or the start method's
    server process (forkserver), which ends with the import.
    """
    if os.getppid() != parent:
        return True
    if parent == importer:
        return False
    try:
        os.kill(importer, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # it exists, as another user's process: not ours, but there
        return False
    return False


def analysed(
    files: list[tuple[Path, FileDigest]], archive_dir: Path, workers: int, token: str
) -> Generator[Analysed | Failed, None, None]:
    """Each file (with its digest) read, hashed and archived, in order: by `workers` processes of a pool, which
    closing the generator shuts down (the files not started are cancelled), or here for a few files."""
    jobs = [(path, archive_dir, digest) for path, digest in files]
    if workers <= 1 or len(files) < 4:
        yield from map(_analyse_job, jobs)
        return
    started = (archive_dir, token, os.getpid())
    with ProcessPoolExecutor(max_workers=workers, initializer=_worker_started, initargs=started) as pool:
        yield from pool.map(_analyse_job, jobs, chunksize=max(1, min(8, len(jobs) // (4 * workers))))
