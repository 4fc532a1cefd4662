"""Reading a backup before anything is replaced: its members against its manifest, then its database.

A backup is foreign input (a damaged disk, a file from elsewhere), so `restore` trusts nothing in
it until these checks pass, in this order:

1. `open_backup`: a regular file only (never a FIFO or a device), read as a plain, uncompressed tar.
2. `scan`, on the headers alone, before a byte is written: the manifest comes first; every other
   member is a regular file (not sparse) or a folder at a path a backup uses (`tracker.db`,
   `archive/<xx>/<sha256>.<ext>`; so no link, device, absolute or `..` path), listed in the
   manifest once with the same size; every member the manifest lists is there; the sizes add up
   to no more than the backup file itself (an uncompressed tar cannot hold more, so a sparse or
   compressed bomb is refused) and fit the free disk space.
3. `extract` streams each member into a private staging folder, never past its size, hashing as
   it goes: the database must match the manifest's `database_sha256` (older backups have none),
   an archived file the sha256 its name is.
4. `check_database` opens the staged database read-only and accepts it only if its schema is
   exactly what the migrations produce at the revision it records (`db.schema_check`), it passes
   `PRAGMA integrity_check`, every archive path it stores stays inside the archive folder, and every
   image's (and complaint image's) sha256 is the one its archive path is named after.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG
from typing import BinaryIO

from tracker import __version__
from tracker.archive.backup import ARCHIVE, ARCHIVE_PATH, DATABASE, FORMAT, MANIFEST, is_archive_path
from tracker.db import schema_check
from tracker.db.schema import REVISION
from tracker.errors import UsageError
from tracker.support import testhooks
from tracker.support.shell import command

MAX_MANIFEST_BYTES = 64 * 2**20
MAX_ARCHIVE_FILE = 2**30
"""No archived image is near this (the readers refuse files over 256 MiB)."""
FREE_SPACE_MARGIN = 64 * 2**20
MAX_PATH_CHARS = 1024

_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_SUBFOLDER = re.compile(rf"^{ARCHIVE}/[0-9a-f]{{2}}$")
_DAMAGED = (tarfile.TarError, EOFError, OSError, ValueError, OverflowError)
"""What tarfile raises on a damaged file (bad headers, data that ends early, undecodable names)."""


@dataclass(frozen=True)
class Manifest:
    """What `manifest.json` says the backup holds."""

    database_bytes: int
    database_sha256: str | None
    archive: dict[str, int]


@dataclass(frozen=True)
class Plan:
    """A scanned backup: its manifest and its members in file order (archive path, or None for the database)."""

    manifest: Manifest
    members: list[tuple[tarfile.TarInfo, str | None]]

    @property
    def files(self) -> list[str]:
        """The archive paths the backup holds."""
        return [rel for _, rel in self.members if rel is not None]


def _shown(name: str) -> str:
    """A member name for a one-line message (escaped, shortened)."""
    return repr(name if len(name) <= 120 else name[:117] + "...")


def open_backup(source: Path) -> tuple[BinaryIO, int]:
    """The backup file opened for reading, and its size; a FIFO or device is refused without blocking."""
    try:
        fd = os.open(source, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise UsageError(f"cannot read {source}: {exc.strerror}") from None
    info = os.fstat(fd)
    if not S_ISREG(info.st_mode):
        os.close(fd)
        raise UsageError(f"{source} is not a regular file: a backup is a .tar file")
    return os.fdopen(fd, "rb"), info.st_size


_CUT_SHORT = ("unexpected end of data", "truncated header", "empty header")
"""What tarfile says of a header the file ends inside (or before, where one must follow: "empty header")."""


def _members(tar: tarfile.TarFile) -> Iterator[tarfile.TarInfo]:
    """The tar's members, one header at a time; a damaged header is a one-line error."""
    while True:
        try:
            member = tar.next()
        except _DAMAGED as exc:
            if str(exc) in _CUT_SHORT:  # a copy cut short, not bytes damaged: said as what to look for
                raise UsageError(
                    "the backup is truncated (it ends inside a member's header): refusing to restore"
                ) from None
            raise UsageError(f"the backup is damaged ({exc}): refusing to restore") from None
        if member is None:
            return
        yield member


def _is_size(value: object, limit: int) -> bool:
    return type(value) is int and 0 <= value <= limit


_VERSION = re.compile(r"[0-9A-Za-z.+-]{1,40}")
"""A version as a backup's manifest may name it, shown in an error only when it looks like one (it is foreign text)."""


def _read_manifest(tar: tarfile.TarFile, member: tarfile.TarInfo | None, file_size: int) -> Manifest:
    if member is None or member.name != MANIFEST or not _plain_file(member) or member.size > MAX_MANIFEST_BYTES:
        raise UsageError("not a tracker backup (it does not start with manifest.json)")
    if member.offset_data + member.size > file_size:  # a copy cut short: a backup still, said as one
        raise UsageError("the backup is truncated (it ends inside its manifest.json): nothing was restored")
    try:
        handle = tar.extractfile(member)
        raw = json.loads(handle.read() if handle else b"")
    except (*_DAMAGED, RecursionError):
        raise UsageError("not a tracker backup (its manifest.json cannot be read)") from None
    if isinstance(raw, dict) and type(raw.get("format")) is int and raw["format"] > FORMAT:
        made_by = raw.get("tracker_version")
        by = f"tracker {made_by}" if isinstance(made_by, str) and _VERSION.fullmatch(made_by) else "a newer tracker"
        raise UsageError(
            f"this backup was made by {by} (backup format {raw['format']}), which this tracker ({__version__}) "
            "cannot read: restore it with that tracker, or upgrade this one; nothing was restored"
        )
    if not isinstance(raw, dict) or type(raw.get("format")) is not int or raw["format"] != FORMAT:
        raise UsageError("not a tracker backup this version can read (unknown manifest format)")
    database_bytes, database_sha256, archive = raw.get("database_bytes"), raw.get("database_sha256"), raw.get("archive")
    if not _is_size(database_bytes, 2**62) or not isinstance(archive, dict):
        raise UsageError("not a tracker backup (its manifest lacks the database size or the archive list)")
    if database_sha256 is not None and not (isinstance(database_sha256, str) and _HEX64.fullmatch(database_sha256)):
        raise UsageError("the backup's manifest is damaged (database_sha256 is not a sha256)")
    for rel, size in archive.items():
        if not is_archive_path(rel):
            raise UsageError(f"the backup's manifest lists {_shown(rel)}, which is not an archived file: refusing")
        if type(size) is int and size > MAX_ARCHIVE_FILE:
            raise UsageError(
                f"the backup's manifest gives {_shown(rel)} a size of {size} bytes, over the "
                f"{MAX_ARCHIVE_FILE // 2**30} GiB no archived image comes near: refusing to restore"
            )
        if not _is_size(size, MAX_ARCHIVE_FILE):
            raise UsageError(f"the backup's manifest gives {_shown(rel)} no size in bytes: refusing to restore")
    assert isinstance(database_bytes, int)
    return Manifest(database_bytes, database_sha256, dict(archive))


def _plain_file(member: tarfile.TarInfo) -> bool:
    return member.type in (tarfile.REGTYPE, tarfile.AREGTYPE) and not member.issparse()


def _kind(member: tarfile.TarInfo) -> str:
    if member.isdir():
        return "a folder no backup has"
    if member.issym():
        return "a symbolic link"
    if member.islnk():
        return "a hard link"
    if member.ischr() or member.isblk():
        return "a device"
    if member.isfifo():
        return "a FIFO"
    if member.issparse():
        return "a sparse file"
    return f"of tar type {member.type!r}"


def _check_name(name: str) -> None:
    """Refuse a member path no backup writes: absolute, climbing out with `..`, or odd characters."""
    parts = name.split("/")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        raise UsageError(f"backup member {_shown(name)} has an absolute path: refusing to restore")
    if ".." in parts:
        raise UsageError(f"backup member {_shown(name)} climbs out of its folder ('..'): refusing to restore")
    if "\\" in name or "\x00" in name or len(name) > MAX_PATH_CHARS:
        raise UsageError(f"backup member {_shown(name)} is not where a backup puts files: refusing to restore")


def scan(tar: tarfile.TarFile, file_size: int, free_bytes: int) -> Plan:
    """Check every header against the manifest, before anything is written (see the module docstring)."""
    members = _members(tar)
    manifest = _read_manifest(tar, next(members, None), file_size)
    limit = len(manifest.archive) + 2 + 256  # the database, the archive folder and its subfolders
    planned: list[tuple[tarfile.TarInfo, str | None]] = []
    seen: set[str] = set()
    for count, member in enumerate(members):
        name = member.name
        if count >= limit:
            raise UsageError("the backup holds more members than its manifest lists: refusing to restore")
        _check_name(name)
        if member.isdir() and (name == ARCHIVE or _SUBFOLDER.fullmatch(name)):
            continue
        if not _plain_file(member):
            raise UsageError(f"backup member {_shown(name)} is {_kind(member)}: only files and folders are restored")
        if member.size < 0 or member.offset_data + member.size > file_size:
            raise UsageError(f"the backup is truncated (member {_shown(name)} ends past the end of the file)")
        rel = name.removeprefix(f"{ARCHIVE}/") if name.startswith(f"{ARCHIVE}/") else None
        if name == DATABASE:
            expected = manifest.database_bytes
        elif rel is not None and rel in manifest.archive:
            expected = manifest.archive[rel]
        else:
            raise UsageError(f"backup member {_shown(name)} is not listed in its manifest: refusing to restore")
        if name in seen:
            raise UsageError(f"backup member {_shown(name)} appears twice: refusing to restore")
        if member.size != expected:
            raise UsageError(f"backup member {_shown(name)} does not match the manifest's size: the file is damaged")
        seen.add(name)
        planned.append((member, rel))
    if DATABASE not in seen:
        raise UsageError("the backup holds no database (is it truncated?)")
    missing = len(manifest.archive) - (len(seen) - 1)
    if missing:
        raise UsageError(f"the backup lacks {missing} of the archived files its manifest lists (is it truncated?)")
    total = manifest.database_bytes + sum(manifest.archive.values())
    if total > file_size:
        raise UsageError("the backup's members add up to more than the file holds: refusing to restore")
    if total + FREE_SPACE_MARGIN > free_bytes:
        raise UsageError(
            f"not enough free disk space to restore: {_mib(total + FREE_SPACE_MARGIN)} needed (the backup's "
            f"{_mib(total)} and a {_mib(FREE_SPACE_MARGIN)} margin), {_mib(free_bytes, up=False)} free"
        )
    return Plan(manifest, planned)


def _mib(count: int, up: bool = True) -> str:
    """A byte count in whole MiB: rounded up for what is needed, down for what is free (never understated)."""
    return f"{-(-count // 2**20) if up else count // 2**20} MiB"


def stage(source: Path, staging: Path) -> Plan:
    """Steps 1-3: open the backup, check its headers against its manifest, stream it into `staging`."""
    raw, size = open_backup(source)
    with raw, open_tar(raw, source) as tar:
        plan = scan(tar, size, shutil.disk_usage(staging).free)
        extract(tar, plan, staging)
    return plan


def open_tar(raw: BinaryIO, source: Path) -> tarfile.TarFile:
    """The opened backup read as a plain tar, or a one-line error: compressed (and how to unpack it), or no tar."""
    try:
        return tarfile.open(fileobj=raw, mode="r:")
    except _DAMAGED as exc:
        packed = _packed(raw)
        if packed is not None:
            kind, unpack = packed
            raise UsageError(
                f"{source} is compressed ({kind}), not a plain tar file: unpack it first "
                f"({command(unpack, str(source))}), then restore the .tar it gives"
            ) from None
        raise UsageError(f"{source} is not a tracker backup (not a plain tar file: {exc})") from None


PACKED = {b"\x1f\x8b": ("gzip", "gunzip"), b"BZh": ("bzip2", "bunzip2"), b"\xfd7zXZ\x00": ("xz", "unxz"),
          b"\x28\xb5\x2f\xfd": ("zstd", "unzstd")}  # fmt: skip
"""How a compressed file begins, with its kind and the command that unpacks it."""


def _packed(raw: BinaryIO) -> tuple[str, str] | None:
    """The kind of compression of a backup the owner compressed (`gzip b.tar`), and its unpacking command."""
    try:
        raw.seek(0)
        head = raw.read(6)
    except OSError:
        return None
    return next((found for magic, found in PACKED.items() if head.startswith(magic)), None)


def extract(tar: tarfile.TarFile, plan: Plan, staging: Path) -> None:
    """Stream every member into `staging` (`tracker.db`, `archive/...`), each checked against its hash."""
    archive = staging / ARCHIVE
    archive.mkdir(mode=0o700)
    for member, rel in plan.members:
        if rel is None:
            digest = _stream(tar, member, staging / DATABASE)
            expected = plan.manifest.database_sha256
            if expected is not None and digest != expected:
                raise UsageError("the backup's database does not match its recorded sha256: the file is damaged")
        else:
            (archive / rel[:2]).mkdir(mode=0o700, exist_ok=True)
            digest = _stream(tar, member, archive / rel)
            if digest != rel[3:67]:
                raise UsageError(f"backup member {_shown(member.name)} does not match its content hash: damaged")
        testhooks.stop_point("restore:staged")


def extract_database(tar: tarfile.TarFile, plan: Plan, target: Path) -> None:
    """Stream the backup's database alone to `target`, checked against its recorded sha256 (`preview`)."""
    member = next(member for member, rel in plan.members if rel is None)
    digest = _stream(tar, member, target)
    if plan.manifest.database_sha256 is not None and digest != plan.manifest.database_sha256:
        raise UsageError("the backup's database does not match its recorded sha256: the file is damaged")


def _stream(tar: tarfile.TarFile, member: tarfile.TarInfo, target: Path) -> str:
    """Copy one member's bytes (never more than its size) into a new private file; returns their sha256."""
    digest = hashlib.sha256()
    written = 0
    try:
        handle = tar.extractfile(member)
    except _DAMAGED as exc:
        raise UsageError(f"the backup is damaged ({exc}): refusing to restore") from None
    if handle is None:  # pragma: no cover - scan let only regular files through
        raise UsageError(f"backup member {_shown(member.name)} cannot be read")
    try:
        out = open(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600), "wb")
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror}") from None
    with out:
        while written < member.size:
            try:
                chunk = handle.read(min(1 << 20, member.size - written))
            except _DAMAGED as exc:
                raise UsageError(f"the backup is damaged ({exc}): refusing to restore") from None
            if not chunk:
                break
            digest.update(chunk)
            written += len(chunk)
            try:
                out.write(chunk)
            except OSError as exc:
                raise UsageError(f"cannot write {target}: {exc.strerror}") from None
        out.flush()
        os.fsync(out.fileno())
    if written != member.size:
        raise UsageError(f"the backup is truncated (member {_shown(member.name)} ends early)")
    return digest.hexdigest()


# ---------------------------------------------------------------------------- the staged database


def check_database(path: Path) -> str:
    """Accept the staged database only if it is exactly tracker's (see the module docstring); its revision."""
    try:
        conn = sqlite3.connect(path.absolute().as_uri() + "?mode=ro&immutable=1", uri=True)
    except sqlite3.Error as exc:
        raise UsageError(f"the backup's database cannot be opened ({exc}): refusing to restore") from None
    try:
        conn.execute("PRAGMA trusted_schema=OFF")
        found = schema_check.read_schema(conn)
        version_table = found.get(("table", "alembic_version"))
        reference = schema_check.expected_schema(REVISION)[("table", "alembic_version")]
        revision = schema_check.recorded_revision(conn) if version_table == reference else None
        if revision is None:
            raise UsageError("the backup's database is not a tracker database (it records no schema revision)")
        if revision not in schema_check.known_revisions():
            raise UsageError(
                f"the backup's database is at schema revision {_shown(revision)}, which this tracker does not "
                "know: restore it with the newer tracker that made it"
            )
        problems = schema_check.schema_problems(found, schema_check.expected_schema(revision))
        if problems:
            more = f" (and {len(problems) - 1} more differences)" if len(problems) > 1 else ""
            raise UsageError(
                f"the backup's database does not have tracker's schema (revision {revision}): "
                f"it has {problems[0]}{more}; refusing to restore"
            )
        result = conn.execute("PRAGMA integrity_check").fetchone()
        if not result or result[0] != "ok":
            raise UsageError("the backup's database fails SQLite's integrity check: refusing to restore")
        expected = schema_check.expected_schema(revision)
        for table in schema_check.columns_named(expected, "archive_path"):
            for (value,) in conn.execute(f'SELECT archive_path FROM "{table}"'):
                if not inside_archive(value):
                    raise UsageError(
                        f"the backup's database names a file outside the archive folder ({table}: "
                        f"{_shown(str(value))}): refusing to restore"
                    )
        _check_content_names(conn, set(schema_check.columns_named(expected, "archive_path")))
    except sqlite3.Error as exc:
        reason = (str(exc).splitlines() or [type(exc).__name__])[0][:200]
        raise UsageError(f"the backup's database cannot be read ({reason}): refusing to restore") from None
    finally:
        conn.close()
    return revision


def _check_content_names(conn: sqlite3.Connection, tables: set[str]) -> None:
    """Refuse a database whose rows contradict the archive: an archived file is named after its sha256
    (`store.relative_path`), so a row's sha256 must be the one its archive path names. Otherwise the
    row would show one hash beside another's file, and logging that file again would add a second row."""
    for table in sorted(tables & {"image", "complaint_image"}):
        for row_id, sha256, rel in conn.execute(f'SELECT id, sha256, archive_path FROM "{table}" ORDER BY id'):
            found = ARCHIVE_PATH.fullmatch(rel) if isinstance(rel, str) else None
            if found is None or not is_archive_path(rel) or found.group(2) != sha256:
                raise UsageError(
                    f"the backup's database contradicts its archive: {table.replace('_', ' ')} {row_id} has "
                    f"sha256 {_shown(str(sha256))} but is archived as {_shown(str(rel))}: refusing to restore"
                )


def inside_archive(value: object) -> bool:
    """Whether a stored archive path stays inside the archive folder: relative, no `..`, no odd characters."""
    if not isinstance(value, str) or not 0 < len(value) <= MAX_PATH_CHARS:
        return False
    if value.startswith("/") or "\\" in value or "\x00" in value or (len(value) > 1 and value[1] == ":"):
        return False
    return all(part not in ("", ".", "..") for part in value.split("/"))
