"""Handing a file to the system: its image viewer, where there is a screen to show it on.

Nothing is sent anywhere: the file is opened by the desktop's own program (`xdg-open`, `open`,
`os.startfile`). Over SSH or on a console there is no desktop; the caller is told where the file
is instead, so the owner can copy it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path


def viewer_command(path: Path, env: dict[str, str] | None = None) -> list[str] | None:
    """The command that opens `path` in the desktop's viewer, or None where there is no desktop."""
    env = dict(os.environ) if env is None else env
    if sys.platform == "darwin":
        return ["open", str(path)] if not env.get("SSH_CONNECTION") else None
    if sys.platform.startswith("win"):
        return None  # os.startfile, see open_in_viewer
    if not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        return None
    opener = shutil.which("xdg-open")
    return [opener, str(path)] if opener else None


def open_in_viewer(path: Path) -> str:
    """Open `path` in the system's image viewer; returns what happened, in one line for the owner."""
    if not path.is_file():
        return f"the archived copy is missing: {path}"
    if sys.platform.startswith("win"):
        os.startfile(path)  # type: ignore[attr-defined]  # noqa: S606 (Windows only)
        return f"opened {path.name} in the image viewer"
    command = viewer_command(path)
    if command is None:
        return f"no desktop to show it on (over SSH?); the file is {path}"
    try:
        subprocess.Popen(  # noqa: S603 (a fixed program and a path, no shell)
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as exc:
        return f"could not start the image viewer ({exc.strerror or exc}); the file is {path}"
    return f"opened {path.name} in the image viewer"
