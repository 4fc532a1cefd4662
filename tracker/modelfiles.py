"""Hashing local model files the way the generators name them, in one streaming pass.

Images name their model files by hashes (see formats doc A1): AutoV1 is the sha256 of the 64 KiB
at offset 1 MiB (old A1111 "Model hash", 8 hex), AutoV2 the first 10 hex of the whole file's
sha256, and the LoRA "addnet" hash the sha256 of a .safetensors file after its header (12 hex in
`Lora hashes`). One read of the file computes all three with constant memory.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tracker.errors import TrackerError

MODEL_EXTENSIONS = (".safetensors", ".ckpt", ".pt", ".pth", ".bin", ".gguf")
AUTOV1_OFFSET = 0x100000
AUTOV1_LENGTH = 0x10000
MAX_HEADER = 100 * 1024 * 1024
MAX_METADATA_CHARS = 256 * 1024


@dataclass(frozen=True)
class ModelHashes:
    """Every hash an image might use to name this file."""

    path: Path
    size: int
    mtime_ns: int
    sha256: str
    autov1: str | None
    """8 hex; None when the file ends before offset 1 MiB (A1111 then hashes nothing useful)."""
    autov2: str
    addnet: str | None
    """12-hex short addnet hash (.safetensors only)."""
    addnet_full: str | None
    safetensors_metadata: dict[str, str] | None


def _safetensors_header(handle: Any, size: int) -> tuple[int | None, dict[str, str] | None]:
    """(offset where tensor data starts, `__metadata__`) or (None, None) when the header is bad."""
    first = handle.read(8)
    if len(first) < 8:
        return None, None
    length = struct.unpack("<Q", first)[0]
    if length > MAX_HEADER or 8 + length > size:
        return None, None
    try:
        header = json.loads(handle.read(length))
    except (ValueError, RecursionError):
        return None, None
    meta = header.get("__metadata__") if isinstance(header, dict) else None
    metadata = None
    if isinstance(meta, dict):
        metadata = {str(k)[:200]: str(v)[:MAX_METADATA_CHARS] for k, v in list(meta.items())[:500]}
    return 8 + length, metadata


def hash_model_file(
    path: Path, progress: Callable[[int], None] | None = None, chunk_size: int = 1 << 20
) -> ModelHashes:
    """Hash one model file in a single streaming pass (see the module docstring)."""
    path = Path(path)
    try:
        stat = path.stat()
        with path.open("rb") as handle:
            data_start, metadata = (None, None)
            if path.suffix.lower() == ".safetensors":
                data_start, metadata = _safetensors_header(handle, stat.st_size)
                handle.seek(0)
            full = hashlib.sha256()
            addnet = hashlib.sha256() if data_start is not None else None
            window = hashlib.sha256()
            position = 0
            while chunk := handle.read(chunk_size):
                end = position + len(chunk)
                full.update(chunk)
                if addnet is not None and end > data_start:  # type: ignore[operator]
                    addnet.update(chunk[max(0, data_start - position) :])  # type: ignore[operator]
                lo, hi = max(position, AUTOV1_OFFSET), min(end, AUTOV1_OFFSET + AUTOV1_LENGTH)
                if lo < hi:
                    window.update(chunk[lo - position : hi - position])
                if progress is not None:
                    progress(len(chunk))
                position = end
    except OSError as exc:
        raise TrackerError(f"{path}: cannot read ({exc.strerror or exc})") from None
    digest = full.hexdigest()
    addnet_full = addnet.hexdigest() if addnet is not None else None
    return ModelHashes(
        path=path,
        size=position,
        mtime_ns=stat.st_mtime_ns,
        sha256=digest,
        autov1=window.hexdigest()[:8] if position > AUTOV1_OFFSET else None,
        autov2=digest[:10],
        addnet=addnet_full[:12] if addnet_full else None,
        addnet_full=addnet_full,
        safetensors_metadata=metadata,
    )


def iter_model_files(roots: Iterable[Path]) -> Iterator[Path]:
    """Every model file under the roots, sorted, each once, without following symlinked folders."""
    seen: set[Path] = set()
    for root in roots:
        root = Path(root)
        candidates = [root] if root.is_file() else []
        if root.is_dir():
            for folder, dirs, files in os.walk(root, followlinks=False):
                dirs.sort()
                candidates += [Path(folder) / name for name in sorted(files)]
        for path in candidates:
            if path.suffix.lower() in MODEL_EXTENSIONS and path.is_file():
                real = path.resolve()
                if real not in seen:
                    seen.add(real)
                    yield path
