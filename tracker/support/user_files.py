"""Files the user names: regular files only, read within a size limit, named whatever their bytes.

A FIFO, a device (`/dev/zero`) or a socket given where a file is expected would block or never end,
so every such path is refused before it is opened (`check_regular`) and again after (`open_regular`
opens without blocking and looks at what it got, in case the path was swapped meanwhile). Text
files are read up to a limit (`read_text_limited`), so a huge or endless file costs at most that.

File names are bytes on POSIX: one that is not valid UTF-8 reaches Python with surrogate escapes,
which no database, terminal or JSON output accepts. `fs_text` turns such a name into text that
shows each bad byte as `\\xNN`, the form tracker stores and prints.
"""

from __future__ import annotations

import io
import os
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from tracker.errors import TrackerError, UsageError

MESSAGE_MAX_BYTES = 1024 * 1024
"""A complaint's text (`--message-file`): a long notice is a few kB."""

_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO or terminal swapped in must not block the open
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def fs_text(value: str | os.PathLike[str]) -> str:
    """A path or file name as text any output accepts: bytes that are not UTF-8 shown as `\\xNN`.

    A name that is valid text comes back unchanged; control characters are left for `safe_text`.
    """
    text = os.fspath(value)
    try:
        raw = os.fsencode(text)
    except UnicodeEncodeError:  # a lone surrogate that did not come from a file name
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return raw.decode(sys.getfilesystemencoding(), "backslashreplace")


def not_regular(mode: int) -> str:
    """What a non-regular file is, for a message: "a folder", "a FIFO", "a device", ..."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "something special"


def check_regular(path: Path, what: str = "file", error: type[TrackerError] = UsageError) -> os.stat_result:
    """The `os.stat` of `path` when it is a regular file (a symlink to one is fine), else `error`.

    Nothing is opened: a FIFO or a device is refused before anything could block on it.
    """
    shown = fs_text(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise error(f"{shown}: no such {what}") from None
    except (OSError, ValueError) as exc:
        raise error(f"{shown}: cannot read the {what} ({_reason(exc)})") from None
    if not stat.S_ISREG(info.st_mode):
        raise error(f"{shown}: {not_regular(info.st_mode)}, not a regular file")
    return info


@contextmanager
def open_regular(path: Path, what: str = "file", error: type[TrackerError] = UsageError) -> Iterator[io.BufferedReader]:
    """`path` opened for reading in binary, refused (`error`) unless it is a regular file.

    It is checked before the open (`check_regular`) and again on the open file descriptor, so a
    path swapped for a FIFO in between is refused too, without blocking.
    """
    check_regular(path, what, error)
    shown = fs_text(path)
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        raise error(f"{shown}: no such {what}") from None
    except (OSError, ValueError) as exc:
        raise error(f"{shown}: cannot read the {what} ({_reason(exc)})") from None
    handle = os.fdopen(fd, "rb")
    with handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise error(f"{shown}: {not_regular(info.st_mode)}, not a regular file")
        yield handle


def read_at_most(handle: BinaryIO, limit: int) -> bytes:
    """The open file's bytes, at most `limit` + 1 of them (more than `limit`: the caller refuses the file).

    Sized by the file (`fstat`) rather than by the limit: `read(limit + 1)` reserves the whole limit
    (64 MiB for an image) for every file, which cost an import of small files 4x the reading itself.
    A file that grew since it was measured is read on, up to the limit.
    """
    size = os.fstat(handle.fileno()).st_size
    data = handle.read(min(size, limit) + 1)
    if len(data) <= size or len(data) > limit:
        return data
    return data + handle.read(limit + 1 - len(data))


def read_bytes_limited(path: Path, limit: int, what: str = "file", error: type[TrackerError] = UsageError) -> bytes:
    """A regular file's bytes, refused (`error`, one line) when it holds more than `limit` bytes."""
    try:
        with open_regular(path, what, error) as handle:
            data = read_at_most(handle, limit)
    except OSError as exc:
        raise error(f"{fs_text(path)}: cannot read the {what} ({_reason(exc)})") from None
    if len(data) > limit:
        raise error(f"{fs_text(path)}: the {what} is larger than {_size(limit)}")
    return data


def read_text_limited(path: Path, limit: int, what: str = "file", error: type[TrackerError] = UsageError) -> str:
    """A regular file's UTF-8 text (a BOM dropped), at most `limit` bytes; anything else is `error`."""
    data = read_bytes_limited(path, limit, what, error)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(f"{fs_text(path)}: the {what} is not UTF-8 text (bad byte at offset {exc.start})") from None


def _reason(exc: BaseException) -> str:
    text = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return " ".join(text.split())


def _size(limit: int) -> str:
    return f"{limit // 2**20} MiB" if limit >= 2**20 and limit % 2**20 == 0 else f"{limit:,} bytes"
