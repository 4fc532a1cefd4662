"""Whether the terminal can show pictures: textual-image, imported before the app starts.

Importing textual-image asks the terminal what it can draw (Sixel, then the kitty graphics
protocol, waiting up to 0.1 s for each answer), which only works before Textual reads the
terminal itself. This module imports nothing else, so `tracker tui` can run it in a background
thread from its first line while the main thread imports Textual.
"""

from __future__ import annotations

import os


def images_wanted() -> bool:
    """The user did not turn pictures off (TRACKER_TUI_IMAGES=0) and the terminal is not `dumb`."""
    return os.environ.get("TRACKER_TUI_IMAGES", "1") != "0" and os.environ.get("TERM") != "dumb"


def images_supported() -> bool:
    """textual-image is installed and the user did not turn images off (TRACKER_TUI_IMAGES=0)."""
    if not images_wanted():
        return False
    try:
        # The renderables ask the terminal when imported; the widget module then loads Textual,
        # which the main thread is importing meanwhile.
        import textual_image.renderable  # noqa: F401
        import textual_image.widget  # noqa: F401
    except Exception:  # not installed, or no terminal to ask
        return False
    return True
