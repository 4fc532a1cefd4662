"""The one error hierarchy of the tracker.

The CLI turns every `TrackerError` into a single line on stderr and a non-zero exit code;
anything else escaping is a bug.
"""


class TrackerError(Exception):
    """A problem the user can act on; its message is shown as is, on one line."""

    exit_code = 1


class UsageError(TrackerError):
    """The command was given something that cannot work (unknown platform, bad date, ...)."""

    exit_code = 2


class NotFoundError(TrackerError):
    """A post, image or persona named on the command line does not exist."""


class ConflictError(TrackerError):
    """The change would break a rule of the archive (a URL logged twice, a persona mix-up)."""


class ImageReadError(TrackerError):
    """An image file cannot be read: missing, not an image, truncated, too large or hostile."""


class DatabaseError(TrackerError):
    """The database cannot be opened, backed up or upgraded."""


class DiskFullError(DatabaseError):
    """The disk (or the quota) holding the database or the archive has no room left: waiting will not help, freeing
    space will; what was saved before is kept. `what`: the line's first part, for a command that says more of what
    it kept (`tracker import`: how many files were saved)."""

    def __init__(self, message: str, what: str = "the disk is full") -> None:
        super().__init__(message)
        self.what = what


class NoDatabaseError(DatabaseError):
    """The database a command reads was never created (a mistyped TRACKER_DATA_DIR, another machine's `--db`):
    never answered as an empty archive ("nothing logged, nothing due"), and no empty one is made."""

    exit_code = 2


class Interrupted(TrackerError):
    """The user stopped a command (Ctrl+C) at a point where what was kept needs saying."""

    exit_code = 130
