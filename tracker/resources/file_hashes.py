"""Hashing local model files the way the generators name them, in one streaming pass.

Images name their model files by hashes (formats doc A1, "Hashes — how each is computed"), all
reproduced here exactly as AUTOMATIC1111 computes them so a hash found in an image can be traced
back to the local file behind it:

- AutoV1 (old `Model hash`, 8 hex; also ControlNet `[xxxxxxxx]`): A1111 `sd_models.model_hash`
  does `seek(0x100000)` then `sha256(read(0x10000))[:8]`, i.e. the sha256 of the 64 KiB window
  `file[0x100000:0x110000]` — *not* 1 MiB of data, and not from the start of the file.
- AutoV2 (current `Model hash`, Civitai `Hashes`): the first 10 hex of the whole file's sha256.
- addnet (`Lora hashes`, 12 hex): for a `.safetensors` file, the sha256 of everything after the
  8-byte little-endian header length and the JSON header (A1111 `hashes.addnet_hash_safetensors`,
  from kohya-ss), so editing the metadata does not change the LoRA's identity.
- TI hashes: the full sha256, shortened to 12 hex by the caller.

Model files are gigabytes, so the file is read once, in chunks, and every hash is fed from the
same chunk; memory use is a few chunks whatever the file size. The addnet hash covers almost the
same bytes as the full sha256, which would double the CPU time if done in line, so the whole-file
sha256 runs on a helper thread (hashlib releases the GIL for large updates) while the reading
thread feeds the addnet and AutoV1 hashes: a LoRA costs about as much wall time as one sha256.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat as stat_module
import struct
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tracker.errors import TrackerError
from tracker.support.textsafe import safe_text

MODEL_EXTENSIONS = (".safetensors", ".ckpt", ".pt", ".pth", ".bin", ".gguf")

AUTOV1_OFFSET = 0x100000
"""A1111 `model_hash` seeks here (1 MiB) ..."""
AUTOV1_LENGTH = 0x10000
"""... and hashes this many bytes (64 KiB), or fewer when the file ends first."""

MAX_HEADER = 100 * 1024 * 1024
"""The safetensors format's own header limit; a bigger length field means a corrupt file."""
MAX_PARSED_HEADER = 32 * 1024 * 1024
"""Headers up to this size are parsed for `__metadata__`; bigger ones (never seen in practice)
still get an addnet hash, but parsing them could take ten times their size in memory."""
MAX_METADATA_VALUE = 64 * 1024
"""Longest `__metadata__` value kept, in characters (big ones are base64 thumbnails or huge
tag-frequency tables, not worth a database row each)."""
MAX_METADATA_TOTAL = 1024 * 1024
"""All kept `__metadata__` values together, in characters."""
MAX_METADATA_KEYS = 1000
OMITTED_KEY = "tracker.omitted_keys"
"""Added to the metadata (comma-separated key names) when values were left out for size, so a
missing `ss_tag_frequency` reads as "too big to keep", not "not in the file"."""

_THREAD_MIN_CHUNKS = 4
"""Files shorter than this many chunks are hashed on the calling thread: starting a helper thread
costs more than it saves on a small embedding."""


@dataclass(frozen=True)
class ModelHashes:
    """Every hash an image might use to name this file, plus what identifies the file version."""

    path: Path
    size: int
    """Bytes actually hashed (the file's size, unless it changed while being read)."""
    mtime_ns: int
    """Modification time before reading: with `size`, tells a rescan the file is unchanged."""
    sha256: str
    """Full-file sha256, lowercase hex (TI hashes are its first 12 hex)."""
    autov1: str | None
    """8 hex, exactly A1111's old `model_hash`. None when the file ends at or before 1 MiB: A1111
    then hashes an empty read and shows `e3b0c442` (sha256 of nothing) for every such file, which
    names no file in particular. Between 1 MiB and 1 MiB + 64 KiB A1111 hashes the shorter tail
    it gets, and so does this."""
    autov2: str
    """sha256[:10]."""
    addnet: str | None
    """12-hex short addnet hash, as shown in `Lora hashes`; .safetensors only."""
    addnet_full: str | None
    """Full addnet sha256; None for other extensions or when the header length is impossible
    (over 100 MB or past the end of the file)."""
    safetensors_metadata: dict[str, str] | None
    """The header's `__metadata__` block (ss_* training fields, modelspec.*), size-capped."""


def _cap_metadata(raw: dict[Any, Any]) -> dict[str, str]:
    """`__metadata__` as str → str within the size caps, naming whatever was left out."""
    kept: dict[str, str] = {}
    omitted: list[str] = []
    total = 0
    for key, value in raw.items():
        name = str(key)[:256]
        # The format says str -> str; a writer that put JSON objects there still told us something.
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        if len(kept) >= MAX_METADATA_KEYS or len(text) > MAX_METADATA_VALUE or total + len(text) > MAX_METADATA_TOTAL:
            omitted.append(name)
            continue
        kept[name] = text
        total += len(text)
    if omitted:
        kept[OMITTED_KEY] = ",".join(omitted)[:MAX_METADATA_VALUE]
    return kept


def _read_safetensors_header(handle: Any, size: int) -> tuple[int | None, dict[str, str] | None]:
    """(offset where the addnet hash starts, `__metadata__`), reading only the header.

    The offset is None when the length field is impossible: A1111 would then hash an empty read
    past the end of the file, a value shared by every broken file and so of no use. A header that
    is not valid JSON still gets an addnet hash, because A1111 never parses it either.
    """
    first = handle.read(8)
    if len(first) < 8:
        return None, None
    (length,) = struct.unpack("<Q", first)
    if length > MAX_HEADER or 8 + length > size:
        return None, None
    if length > MAX_PARSED_HEADER:
        return 8 + length, None
    try:
        header = json.loads(_read_exact(handle, length))
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return 8 + length, None
    block = header.get("__metadata__") if isinstance(header, dict) else None
    return 8 + length, _cap_metadata(block) if isinstance(block, dict) else None


def _read_exact(handle: Any, length: int) -> bytes:
    """`length` bytes (fewer only at the end of the file): an unbuffered read may return less."""
    parts: list[bytes] = []
    while length > 0 and (part := handle.read(length)):
        parts.append(part)
        length -= len(part)
    return b"".join(parts)


class _Window:
    """sha256 of the bytes [start, end) of a stream fed to it chunk by chunk at any boundaries."""

    def __init__(self, start: int, end: int | None = None) -> None:
        self.start, self.end = start, end
        self.digest = hashlib.sha256()

    def feed(self, position: int, chunk: memoryview) -> None:
        lo = max(position, self.start)
        hi = position + len(chunk) if self.end is None else min(position + len(chunk), self.end)
        if lo < hi:
            self.digest.update(chunk[lo - position : hi - position])


def hash_model_file(
    path: Path, progress: Callable[[int], None] | None = None, chunk_size: int = 1 << 20
) -> ModelHashes:
    """Hash one model file in a single streaming pass (see the module docstring).

    `progress` gets the number of bytes of each chunk as it is read, so a progress bar can show a
    multi-gigabyte file moving. Any failure to read is a `TrackerError` naming the file.
    """
    if chunk_size <= 0:
        raise ValueError("chunk_size must be positive")
    path = Path(path)
    try:
        info = path.stat()
        if not stat_module.S_ISREG(info.st_mode):
            # A FIFO or device named *.ckpt would block or never end.
            raise TrackerError(f"{safe_text(path)}: cannot read (not a regular file)")
        with path.open("rb", buffering=0) as handle:
            data_start, metadata = None, None
            if path.suffix.lower() == ".safetensors":
                data_start, metadata = _read_safetensors_header(handle, info.st_size)
                handle.seek(0)
            full = hashlib.sha256()
            windows = [_Window(AUTOV1_OFFSET, AUTOV1_OFFSET + AUTOV1_LENGTH)]
            addnet = _Window(data_start) if data_start is not None else None
            if addnet is not None:
                windows.append(addnet)
            use_thread = info.st_size >= _THREAD_MIN_CHUNKS * chunk_size
            position = _stream(handle, chunk_size, full, windows, progress, use_thread)
    except OSError as exc:
        raise TrackerError(f"{safe_text(path)}: cannot read ({safe_text(exc.strerror or exc)})") from None
    digest = full.hexdigest()
    addnet_full = addnet.digest.hexdigest() if addnet is not None else None
    return ModelHashes(
        path=path,
        size=position,
        mtime_ns=info.st_mtime_ns,
        sha256=digest,
        autov1=windows[0].digest.hexdigest()[:8] if position > AUTOV1_OFFSET else None,
        autov2=digest[:10],
        addnet=addnet_full[:12] if addnet_full is not None else None,
        addnet_full=addnet_full,
        safetensors_metadata=metadata,
    )


def _stream(
    handle: Any,
    chunk_size: int,
    full: Any,
    windows: list[_Window],
    progress: Callable[[int], None] | None,
    use_thread: bool,
) -> int:
    """Feed every chunk to the full hash and the windows; returns the number of bytes read.

    With a thread, chunk N's full-file hash runs on the helper while this thread reads chunk N+1
    and feeds the windows; the single worker keeps the full hash's updates in order, and waiting
    for chunk N-1 before going on keeps at most two chunks in flight (constant memory).
    """
    position = 0
    if not use_thread:
        while chunk := handle.read(chunk_size):
            view = memoryview(chunk)
            full.update(view)
            for window in windows:
                window.feed(position, view)
            position += len(chunk)
            if progress is not None:
                progress(len(chunk))
        return position
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="tracker-hash") as pool:
        previous: Future[None] | None = None
        while chunk := handle.read(chunk_size):
            view = memoryview(chunk)
            pending = pool.submit(full.update, view)
            for window in windows:
                window.feed(position, view)
            if previous is not None:
                previous.result()
            previous = pending
            position += len(chunk)
            if progress is not None:
                progress(len(chunk))
        if previous is not None:
            previous.result()
    return position


def iter_model_files(roots: Iterable[Path], skipped: list[str] | None = None) -> Iterator[Path]:
    """Every model file under the roots (a root may also be a file), sorted, each file once.

    Symlinked folders are followed — model folders are often links to a bigger disk — but each
    real folder is entered once, so a link back to an ancestor cannot loop. A file reachable by
    several paths (a symlink, a hard link, a linked folder) is yielded once, preferably by a path
    that goes through no symlink, so the listing shows where the file really is. Unreadable
    folders are skipped. Paths are yielded under the root as given (not resolved), so callers can
    tell which root they came from. A root that does not exist is a `TrackerError`, checked
    before anything is yielded. An entry with a model's name that is no file to hash (a link that
    leads nowhere, a FIFO) is named in `skipped`, with why.
    """
    roots = [Path(r) for r in roots]
    for root in roots:
        if not root.exists():
            raise TrackerError(f"{safe_text(root)}: no such file or folder")
    seen_files: set[tuple[int, int]] = set()
    for root in roots:
        best: dict[tuple[int, int], tuple[bool, Path]] = {}
        for path, via_link in _candidates(root):
            try:
                info = path.stat()
                via_link = via_link or path.is_symlink()
            except OSError as exc:  # a link leading nowhere (or round), or gone since the listing
                if skipped is not None and path.is_symlink():
                    skipped.append(f"{path}: a link that leads nowhere ({exc.strerror or exc}); skipped")
                continue
            if not stat_module.S_ISREG(info.st_mode):
                if skipped is not None and not stat_module.S_ISDIR(info.st_mode):
                    skipped.append(f"{path}: not a regular file; skipped")
                continue
            key = (info.st_dev, info.st_ino)
            if key not in seen_files and (key not in best or (via_link, path) < best[key]):
                best[key] = (via_link, path)
        seen_files.update(best)
        yield from sorted(path for _, path in best.values())


def _candidates(root: Path) -> list[tuple[Path, bool]]:
    """(path, reached through a symlinked folder) for files with a model extension under the root.

    Real folders are all walked before any symlinked one, so a folder that is both inside the
    tree and the target of a link is entered by its real path; `visited` then stops the link
    (and any loop) from entering it again.
    """
    if not root.is_dir():
        return [(root, False)] if root.suffix.lower() in MODEL_EXTENSIONS else []
    found: list[tuple[Path, bool]] = []
    visited: set[tuple[int, int]] = set()
    real: list[Path] = [root]
    linked: list[Path] = []
    while real or linked:
        via_link = not real
        folder = real.pop() if real else linked.pop()
        try:
            info = folder.stat()
            if (info.st_dev, info.st_ino) in visited:
                continue
            visited.add((info.st_dev, info.st_ino))
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            try:
                is_dir = entry.is_dir()  # follows symlinks; loops are stopped by `visited`
                is_link = entry.is_symlink()
            except OSError:
                continue
            if is_dir:
                (linked if via_link or is_link else real).append(Path(entry.path))
            elif os.path.splitext(entry.name)[1].lower() in MODEL_EXTENSIONS:
                found.append((Path(entry.path), via_link))
    return found
