"""The owner's local model files: scanning them, and finding the file behind a hash.

`tracker models scan DIR...` hashes checkpoints, LoRAs, embeddings and VAEs the way the
generators name them (AutoV1, AutoV2, the LoRA addnet hash, full sha256) and caches the result
by path, size and mtime, so a rescan reads only what changed. Reports then show which local
file an image's hash points to. `tracker models list` reads the files without the ORM
(`resources.listing`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tracker.db.models import ModelFile
from tracker.db.session import session_scope
from tracker.errors import TrackerError
from tracker.metadata.info import ResourceRef
from tracker.resources.file_hashes import hash_model_file, iter_model_files
from tracker.resources.listing import local_lookup
from tracker.support.dates import utcnow


@dataclass
class ScanResult:
    """What one scan did."""

    hashed: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    forgotten: list[str] = field(default_factory=list)
    """Files scanned before under these folders that are gone now."""
    skipped: list[str] = field(default_factory=list)
    """Model-named entries that are no file to hash (a link leading nowhere, a FIFO), each with why."""


def scan(
    factory: sessionmaker[Session],
    roots: Iterable[Path],
    on_start: Callable[[Path, int], None] | None = None,
    on_bytes: Callable[[int], None] | None = None,
) -> ScanResult:
    """Hash every model file under the roots that is new or changed; forget vanished ones.

    Each file is committed on its own, so an interrupted scan keeps what it finished.
    """
    # Resolved: `/m`, `./sub/..` and a link to /m are one folder, its files hashed and listed once.
    roots = [Path(r).expanduser().resolve() for r in roots]
    result = ScanResult()
    with factory() as session:
        known = {m.path: (m.size_bytes, m.mtime_ns) for m in session.scalars(select(ModelFile))}
    seen: set[str] = set()
    for path in iter_model_files(roots, result.skipped):
        key = str(path)
        seen.add(key)
        try:
            stat = path.stat()
        except OSError as exc:
            result.failed.append(f"{path}: {exc.strerror or exc}")
            continue
        if known.get(key) == (stat.st_size, stat.st_mtime_ns):
            result.unchanged.append(path)
            continue
        if on_start:
            on_start(path, stat.st_size)
        try:
            hashes = hash_model_file(path, progress=on_bytes)
        except TrackerError as exc:
            result.failed.append(str(exc))
            continue
        with session_scope(factory, command="models scan") as session:
            row = session.scalar(select(ModelFile).where(ModelFile.path == key)) or ModelFile(path=key)
            row.size_bytes = hashes.size
            row.mtime_ns = hashes.mtime_ns
            row.sha256 = hashes.sha256
            row.autov1 = hashes.autov1
            row.autov2 = hashes.autov2
            row.addnet = hashes.addnet_full
            row.safetensors_metadata = hashes.safetensors_metadata
            row.scanned_at = utcnow()
            session.add(row)
        result.hashed.append(path)
    gone = [p for p in known if p not in seen and any(Path(p).is_relative_to(r) for r in roots)]
    if gone:
        with session_scope(factory, command="models scan") as session:
            for row in session.scalars(select(ModelFile).where(ModelFile.path.in_(gone))):
                session.delete(row)
        result.forgotten = sorted(gone)
    return result


def local_index(session: Session) -> Callable[[ResourceRef], Path | None]:
    """A lookup from a resource's hash to the scanned local file (loaded once, in memory): `listing.local_lookup`,
    read on the session's connection."""
    return local_lookup(session)
