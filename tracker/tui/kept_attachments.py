"""The images of a message's attachments a new-complaint draft names, kept with it so that the draft outlives them.

Reading a message writes its attached images to a private scratch folder (`message_fill.write_attachments`) that
goes when the form closes, or with the process; a draft that named them there would come back naming files that
are gone, and the complainant's image lost. So while the form keeps its draft, each image of its images field read
from a scratch folder is copied (0600) into the draft's own folder (`purge.drafts.NEW_COMPLAINT_IMAGES`, 0700), under
the name it was read under (`-2` added when two reads gave the same one), and the draft names the copy: put back,
the form reads it from there, and Save archives it as it archives any image. A file the field no longer names is
removed; the folder goes with the draft (`purge.drafts.remove_draft`). At most `MAX_IMAGES` images and `MAX_BYTES`
are kept: an image past that stays named where it was read (the form says, when put back, that it cannot be read).
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Sequence
from pathlib import Path

from tracker.errors import TrackerError
from tracker.support.files import atomic_private, make_private_dir
from tracker.tui.message_fill import join_list, split_list

MAX_IMAGES = 20
"""As many as a complaint takes."""
MAX_BYTES = 64 * 1024 * 1024
"""All the images kept together (a message read is at most 25 MiB)."""


class KeptAttachments:
    """The copies a draft keeps in `folder`, by the scratch file each was copied from (copied once, not each time
    the draft is written)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.copies: dict[Path, str] = {}

    def keep(self, images: str, scratch: Sequence[Path]) -> str:
        """The images field's text as the draft keeps it: each image in a `scratch` folder copied here and named
        here; one named here already, or anywhere else (the owner's own file), as it is. Raises OSError."""
        try:
            items = split_list(images)
        except TrackerError:  # a list the form cannot read: Save says what is wrong with it
            return images
        folders = {os.path.abspath(folder) for folder in scratch}
        here, used, total, kept = os.path.abspath(self.folder), set(), 0, []
        for item in items:
            try:
                path = Path(os.path.abspath(Path(item).expanduser()))
            except (RuntimeError, ValueError):  # `~` with no home folder: not an attachment read
                kept.append(item)
                continue
            size = _size(path)
            if str(path.parent) == here and size is not None:  # put back from the draft
                used.add(path.name)
                total += size
            elif str(path.parent) in folders and size is not None:
                if len(used) < MAX_IMAGES and total + size <= MAX_BYTES:
                    path = self._copy(path, used)
                    used.add(path.name)
                    total += size
            kept.append(str(path) if str(path.parent) == here else item)
        self._prune(used)
        return join_list(kept)

    def _copy(self, source: Path, used: set[str]) -> Path:
        """The copy of `source` here, made unless it was made before."""
        name = self.copies.get(source)
        if name is not None and (self.folder / name).is_file():
            return self.folder / name
        taken = used | set(self.copies.values())
        name, count = source.name, 1
        while name in taken:
            count += 1
            name = f"{Path(source.name).stem[:100]}-{count}{Path(source.name).suffix[:16]}"
        make_private_dir(self.folder)
        with source.open("rb") as data, atomic_private(self.folder / name) as out:
            shutil.copyfileobj(data, out)
        self.copies[source] = name
        return self.folder / name

    def _prune(self, used: set[str]) -> None:
        """Remove the copies the field no longer names."""
        if not self.folder.is_dir() or self.folder.is_symlink():
            return
        for path in self.folder.iterdir():
            if path.name not in used:
                try:
                    path.unlink()
                except OSError:  # a folder put there: not one of the copies
                    pass
        self.copies = {source: name for source, name in self.copies.items() if name in used}


def _size(path: Path) -> int | None:
    """The size of a regular file (never through a link); None for anything else."""
    try:
        info = path.lstat()
    except (OSError, ValueError):  # a name holding NUL
        return None
    return info.st_size if stat.S_ISREG(info.st_mode) else None
