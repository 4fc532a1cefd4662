"""Which files a `tracker import` reads: image files named directly, and those under named folders.

A folder is walked recursively in sorted order, dot-folders left out. Nothing is opened here: a FIFO,
device or socket with an image's name is left out with a line saying so, as is a link that leads nowhere
(the owner meant an image there: both fail the import). A link to a folder is never followed (a loop, or a
folder elsewhere): it is no image file, so it is passed over with a warning, not counted as a failed file.
A link to an image file is read as that file and recorded under the real file's name (`file_name`), not the
link's: the name is what the persona's purge plan lists among its original files to find and delete.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path

from tracker.errors import UsageError
from tracker.support.user_files import check_regular, fs_text, not_regular

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".jfif", ".webp", ".gif", ".tif", ".tiff", ".bmp", ".avif"})


def collect_files(
    inputs: Sequence[Path], skipped: list[str] | None = None, not_followed: list[str] | None = None
) -> list[Path]:
    """Image files named directly, plus those under named folders (recursively, sorted, no dot-folders).

    A FIFO, device or socket with an image's name in a folder is never opened: it is left out, with
    a line in `skipped` (a failed file); a link to a folder is left out with a line in `not_followed`. One
    named directly is refused (`UsageError`) before anything is read. A file reached twice (a link to it
    beside it) is read once, as the file itself whatever the walk met first: its name and its gallery-dl
    sidecar are those of the file, not of the link. A link to a file elsewhere is recorded under that file's
    name (`file_name`); its sidecar is the one beside the link, else the file's (`sidecars.find_sidecar`).
    """
    found: list[Path] = []
    seen: dict[Path, int] = {}  # the file a path leads to -> its place in `found`
    for item in inputs:
        if item.is_dir():
            candidates: Iterable[Path] = _walk(
                item, [] if skipped is None else skipped, [] if not_followed is None else not_followed
            )
        elif item.exists():
            check_regular(item, "image file")  # a FIFO or device named directly: refused before it is opened
            candidates = [item]
        elif item.is_symlink():
            raise UsageError(f"{fs_text(item)}: {_broken_link(item)}")
        else:
            raise UsageError(f"{fs_text(item)}: no such file or folder")
        for path in candidates:
            try:
                key = path.resolve()
            except (OSError, RuntimeError):  # a symlink loop: the path is its own key
                key = path.absolute()
            if key not in seen:
                seen[key] = len(found)
                found.append(path)
            elif _is_link(found[seen[key]]) and not _is_link(path):
                found[seen[key]] = path  # the file itself, with its own name and sidecar, over a link to it
    return found


def file_name(path: Path) -> str:
    """The name an imported file is recorded under: the real file's when `path` is a link to it (a link
    elsewhere, `ext_link.png`, names only where the owner put it, not the original the purge plan sends
    them to find and delete)."""
    if _is_link(path):
        try:
            return path.resolve(strict=True).name
        except (OSError, RuntimeError):  # gone or a loop meanwhile: the read fails and says so
            pass
    return path.name


def _is_link(path: Path) -> bool:
    try:
        return path.is_symlink()
    except (OSError, ValueError):
        return False


def failed_with_copies(message: str, paths: Sequence[Path]) -> list[str]:
    """The failure of a file an import read once for all its identical copies (`paths`, that file first),
    and a line for each copy: every file named in the summary and counted, none silently left out."""
    first = fs_text(paths[0])
    return [fs_text(message), *(f"{fs_text(path)}: the same file as {first}, which failed" for path in paths[1:])]


def _walk(folder: Path, skipped: list[str], not_followed: list[str]) -> list[Path]:
    """The regular files with an image's suffix under `folder`, sorted; others named in `skipped`, links to
    folders in `not_followed`."""
    found = []
    for path in sorted(folder.rglob("*")):
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        if path.is_symlink() and path.is_dir():  # never followed (a loop, or a folder outside): said, not hidden
            not_followed.append(f"{fs_text(path)}: a link to a folder, not followed (name the folder to import it)")
            continue
        if path.is_symlink() and not path.exists():  # a loop or a dangling link: a folder or an image meant there
            skipped.append(f"{fs_text(path)}: {_broken_link(path)}; skipped")
            continue
        if path.suffix.lower() not in IMAGE_SUFFIXES:
            continue
        try:
            mode = path.stat().st_mode  # looks, never opens
        except OSError:  # a dangling symlink or a loop (said: the owner meant an image there), or gone meanwhile
            if path.is_symlink():
                skipped.append(f"{fs_text(path)}: {_broken_link(path)}; skipped")
            continue
        if stat.S_ISREG(mode):
            found.append(path)
        elif not stat.S_ISDIR(mode):
            skipped.append(f"{fs_text(path)}: {not_regular(mode)}, not a regular file; skipped")
    return found


def _broken_link(path: Path) -> str:
    """What is wrong with a link that leads nowhere: `a link to /gone.png, which does not exist`, or a loop."""
    try:
        path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a link that leads back to itself (a loop), not an image"
    try:
        target = fs_text(os.readlink(path))
    except OSError:
        target = "?"
    return f"a link to {target}, which does not exist"
