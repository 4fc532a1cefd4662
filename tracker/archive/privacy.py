"""The archive made private again when something opened it to other users (`chmod -R go+rX` on the data folder).

Tracker creates every folder 0700 and every file 0600, but the owner's own chmod, a copy or an unpacking tool can
open them to the other users of the machine afterwards. Walking an archive of 100,000 files on every command would
cost seconds, so it is walked only when a cheap look says it was loosened:

- every command that opens the database looks at two folders first (`keep_private`): the data folder and the
  archive. One open to group or others was most likely loosened with all it holds, and the archive is walked and
  tightened (`tighten_archive`) before the opening makes the data folder and the database private again (which
  would hide that it had been loosened);
- `tracker status`, the check a login script runs, looks at the archive's subfolders as well (`deep`: at most 256,
  a millisecond): a loosening whose top folders were made private again since is found there;
- the archive's writer tightens its top folder the same way (`store`), and a file it finds already stored as it
  stores it again (`store.store`).

Only the archive's own layout is walked: its `<xx>` folders and the files in them, the lock and journal files
beside it (`.archive.*`) and the `archive.old-*` copies a restore kept; and the copies of the database tracker
wrote, found by their names (`copies.backup_files`: `tracker.db.old-*` a restore kept, the migrations' `.bak`,
`tracker backup` files saved in the data folder, a killed restore's staging folder), whole. Nothing else in those
folders is tracker's, and it is left as it is; a file that cannot be changed (another user's, read-only media) is
skipped. Only group's and others' permissions are taken away, never the owner's own.
"""

from __future__ import annotations

import glob
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from tracker.archive.copies import backup_files
from tracker.support.settings import Settings
from tracker.support.words import counted

_SUBFOLDER = re.compile(r"^[0-9a-f]{2}$")

OTHERS = 0o077
"""The permission bits of group and others."""


@dataclass(frozen=True)
class Tightened:
    """An archive found open to other users and made private again: how many files and folders were changed."""

    archive: Path
    changed: int
    copies: tuple[Path, ...] = ()
    """The copies of the database (`copies.backup_files`) that were open: each holds every persona."""
    archive_open: bool = True
    """Whether anything of the archive itself was open (else only copies were)."""

    def line(self) -> str:
        """What the owner is told (on stderr, when the command ends)."""
        what = [f"the archive {self.archive}"] if self.archive_open else []
        if self.copies:
            names = ", ".join(path.name for path in self.copies)
            what.append(f"{counted(len(self.copies), 'copy', 'copies')} of the database tracker made ({names})")
        one = len(what) == 1 and not (len(self.copies) > 1 and not self.archive_open)
        return (
            f"{' and '.join(what)} {'was' if one else 'were'} open to other users of this machine (a chmod, or a "
            f"copy, loosened {'it' if one else 'them'}): made private again ({self.changed} files and folders, "
            "now 0600/0700)"
        )


def open_to_others(path: Path) -> bool:
    """Whether `path` (not a link) lets group or others in; False when it is not there or cannot be looked at."""
    try:
        found = os.lstat(path)
    except OSError:
        return False
    return not stat.S_ISLNK(found.st_mode) and bool(found.st_mode & OTHERS)


def _take_others_away(path: Path, found: os.stat_result) -> int:
    """Take group's and others' permissions from `path` (`found` its lstat); 1 when changed, else 0."""
    if stat.S_ISLNK(found.st_mode) or not found.st_mode & OTHERS:
        return 0
    try:
        os.chmod(path, stat.S_IMODE(found.st_mode) & ~OTHERS, follow_symlinks=False)
    except (OSError, NotImplementedError):  # another user's, read-only media: left as it is
        return 0
    return 1


def _tighten_layout(root: Path) -> int:
    """Tighten `root` and the archive layout inside it: its `<xx>` folders and the regular files in them."""
    try:
        changed = _take_others_away(root, os.lstat(root))
        with os.scandir(root) as entries:
            folders = [Path(e.path) for e in entries if _SUBFOLDER.match(e.name) and e.is_dir(follow_symlinks=False)]
    except OSError:
        return 0
    for folder in folders:
        try:
            changed += _take_others_away(folder, os.lstat(folder))
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.is_file(follow_symlinks=False):
                        changed += _take_others_away(Path(entry.path), entry.stat(follow_symlinks=False))
        except OSError:
            continue
    return changed


def tighten_archive(archive: Path) -> int:
    """Take group's and others' permissions from the archive's layout (see the module docstring), its lock and
    journal files and the `.old-*` copies a restore kept beside it; how many files and folders were changed."""
    changed = _tighten_layout(archive.resolve())  # an archive linked to another disk: the folder it links to
    parent = archive.parent
    if not parent.is_dir():
        return changed
    for path in parent.glob(f"{glob.escape(archive.name)}.old-*"):
        if path.is_dir() and not path.is_symlink():
            changed += _tighten_layout(path)
    for path in parent.glob(f".{glob.escape(archive.name)}.*"):
        try:
            found = os.lstat(path)
        except OSError:
            continue
        if stat.S_ISREG(found.st_mode):
            changed += _take_others_away(path, found)
    return changed


def _tighten_tree(path: Path) -> int:
    """Tighten `path`, and when it is a folder everything in it (never through a link); how many were changed."""
    try:
        found = os.lstat(path)
    except OSError:
        return 0
    changed = _take_others_away(path, found)
    if not stat.S_ISDIR(found.st_mode):
        return changed
    for folder, folders, files in os.walk(path):
        for name in folders + files:
            inside = Path(folder, name)
            try:
                changed += _take_others_away(inside, os.lstat(inside))
            except OSError:
                continue
    return changed


def _subfolder_open(archive: Path) -> bool:
    """Whether one of the archive's `<xx>` folders lets group or others in (at most 256 looked at)."""
    try:
        with os.scandir(archive) as entries:
            for entry in entries:
                if _SUBFOLDER.match(entry.name) and entry.is_dir(follow_symlinks=False):
                    if entry.stat(follow_symlinks=False).st_mode & OTHERS:
                        return True
    except OSError:
        return False
    return False


def keep_private(settings: Settings, deep: bool = False) -> Tightened | None:
    """Walk and tighten the archive and the database's copies when the data folder or the archive lets group or
    others in (with `deep`, one of the archive's subfolders or of the copies too); what was made private again, or
    None when nothing was changed."""
    archive = settings.archive_dir
    real = archive.resolve() if archive.is_dir() else None  # a folder linked elsewhere: the folder it links to
    loosened = open_to_others(settings.data_dir.resolve()) or (real is not None and open_to_others(real))
    copies = backup_files(settings) if loosened or deep else []
    if deep and not loosened:
        loosened = (real is not None and _subfolder_open(real)) or any(open_to_others(path) for path in copies)
    if not loosened:
        return None
    changed = tighten_archive(archive) if real is not None else 0
    opened: list[Path] = []
    copies_changed = 0
    for path in copies:
        if count := _tighten_tree(path):
            opened.append(path)
            copies_changed += count
    if not changed and not opened:
        return None
    return Tightened(archive.absolute(), changed + copies_changed, tuple(opened), archive_open=bool(changed))
