"""An image inside the terminal (textual-image), or a text placeholder where it cannot be shown.

How pictures are drawn in this terminal is found out before the app starts (`tracker.tui.images`);
textual-image itself loads with the first picture.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from tracker.tui.images import Graphics, image_widget
from tracker.tui.text import plain


class ImagePreview(Vertical):
    """A titled picture: the image itself when `show` is set, else a placeholder naming it (styled in app.tcss).

    Focusable, so Tab reaches it (and scrolls it into view where the pictures sit below the fold)."""

    can_focus = True

    def __init__(self, title: str, graphics: Graphics | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.border_title = title
        self.graphics = graphics
        self._path: Path | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text("nothing selected"), classes="preview-caption")

    def set_image(self, path: Path | None, caption: str) -> None:
        """Show the file at `path` (None clears), with a one-line caption."""
        self.query(".preview-image").remove()
        self.query_one(".preview-caption", Static).update(plain(caption))
        self._path = path
        if path is None:
            return
        if not path.is_file():
            self.mount(Static(plain(f"archived copy missing: {path.name}"), classes="preview-image"))
            return
        if self.graphics is not None:
            try:
                # Pillow and textual-image load with the first picture, not with the app.
                from PIL import Image as PILImage
                from textual_image._terminal import get_cell_size

                TerminalImage = image_widget(self.graphics)
                cell = get_cell_size()
                box = self.content_region.size
                cols, rows = max(box.width, 10), max(box.height - 1, 5)
                from tracker.metadata.decoding import as_displayed

                with PILImage.open(path) as opened:
                    opened.draft("RGB", (cols * cell.width, rows * cell.height))
                    picture_pixels = as_displayed(opened).convert("RGB")  # a phone photo stored sideways: upright
                # Scale to the box (aspect kept): the widget then draws it at its natural cell size.
                picture_pixels.thumbnail((cols * cell.width, rows * cell.height))
                if picture_pixels.width < cols * cell.width and picture_pixels.height < rows * cell.height:
                    factor = min(cols * cell.width / picture_pixels.width, rows * cell.height / picture_pixels.height)
                    size = (max(1, int(picture_pixels.width * factor)), max(1, int(picture_pixels.height * factor)))
                    picture_pixels = picture_pixels.resize(size)
                # Drawn at its natural cell size (app.tcss: .preview-picture).
                self.mount(TerminalImage(picture_pixels, classes="preview-image preview-picture"))
                return
            except Exception as exc:  # a file the renderer cannot read: say so, keep the screen
                self.mount(Static(plain(f"cannot show the image: {type(exc).__name__}"), classes="preview-image"))
                return
        self.mount(
            Static(
                plain("[picture not drawn in this terminal]"),
                classes="preview-image",
            )
        )
