"""Current bytecode for the package before whole processes are timed.

An installed tracker has its modules compiled (pip compiles at install; Python writes `.pyc` on
first use). A development tree run under `PYTHONDONTWRITEBYTECODE=1` (as this machine's shell
is) keeps whatever `.pyc` an earlier run left: every module edited since is compiled again in
every timed process, tens of milliseconds a start that no user pays. Each benchmark that times
`tracker` processes calls `compile_package` first.
"""

from __future__ import annotations

import compileall
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "tracker"


def compile_package() -> None:
    """Write up-to-date `.pyc` files for every module of the package (a no-op when they are)."""
    compileall.compile_dir(PACKAGE, quiet=1)
