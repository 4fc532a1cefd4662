"""Process-wide tuning for short commands that churn through large numpy arrays (`tracker match`)."""

from __future__ import annotations

import os
import sys

_M_TRIM_THRESHOLD = -1
_M_TOP_PAD = -2
_M_MMAP_THRESHOLD = -3
_KEEP_BELOW = 256 << 20
"""Freed blocks up to this size stay in the process for the next array rather than going back to the system."""


def reuse_freed_memory() -> bool:
    """Ask glibc's allocator to keep freed arrays for reuse instead of returning each one to the system.

    A search allocates and frees hundreds of arrays of a few megabytes; by default glibc maps each
    one afresh and unmaps it on free, so every page of every array is faulted in again (about a
    third of `tracker match`'s system time). Kept, they cost a higher peak of a process that ends
    within a second. Only for such processes: the TUI and the import workers keep the defaults.
    Returns whether the allocator took the settings (False off glibc, where nothing changes).
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        if not os.confstr("CS_GNU_LIBC_VERSION"):
            return False
        import ctypes

        libc = ctypes.CDLL(None)
        return all(
            libc.mallopt(option, value) == 1
            for option, value in (
                (_M_MMAP_THRESHOLD, 32 << 20),
                (_M_TRIM_THRESHOLD, _KEEP_BELOW),
                (_M_TOP_PAD, 16 << 20),
            )
        )
    except (AttributeError, OSError, ValueError):
        return False
