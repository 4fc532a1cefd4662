"""The content-addressed archive of image files: one private copy per sha256.

Files are written to a temporary name and renamed into place, so a crash never leaves a
partial file under a real name; the folders are 0700 and the files 0600.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from stat import S_ISREG

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


def _private_dirs(root: Path, target_dir: Path) -> None:
    for folder in (root, target_dir):
        if folder in _READY and folder.is_dir():
            continue
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(folder, 0o700)
        _READY.add(folder)


def store(root: Path, sha256: str, image_format: str, data: bytes, durable: bool = True) -> tuple[str, bool]:
    """Write the bytes under their content address; return (relative path, newly created).

    `durable=False` skips the per-file fsync: a bulk import flushes a whole batch with `flush()`
    before committing the rows that point at it.
    """
    rel = relative_path(sha256, image_format)
    target = root / rel
    try:
        if S_ISREG((found := target.stat()).st_mode) and found.st_size == len(data):
            return rel, False
    except FileNotFoundError:
        pass
    _private_dirs(root, target.parent)
    fd, tmp_name = tempfile.mkstemp(prefix=".incoming-", dir=target.parent)  # created 0600
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return rel, True


def remove(root: Path, rel: str) -> None:
    """Delete an archived file (used to undo a store whose transaction failed)."""
    (root / rel).unlink(missing_ok=True)


def flush() -> None:
    """Make every archive file written without fsync durable (before the rows that name them commit)."""
    os.sync()
