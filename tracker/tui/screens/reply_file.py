"""Where the reply screen saves a letter (Ctrl+S): the path asked for, a file replaced only once confirmed.

Every refusal (a folder, a file that cannot be written) is said in the dialog's own line under the path, never in
a toast drawn over it: a toast lost a wide character of a Japanese path where the layers below cut it. `Esc`
closes it at once, a path typed there set aside for the next time it opens for the same complaint
(`guard.GuardsInput.set_aside_key`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from tracker.support.files import write_private_text
from tracker.support.textsafe import safe_text
from tracker.tui.screens.base import TrackerModal
from tracker.tui.screens.guard import GuardsInput
from tracker.tui.text import plain
from tracker.tui.widgets.line_input import LineInput


def write_error(path: Path, error: OSError) -> str:
    """One line for a file that could not be written."""
    return safe_text(f"cannot write {path}: {error.strerror or error}")


def default_reply_file(number: int) -> Path:
    """Where "Save to file" proposes to write: `reply-complaint-N.txt` in the current folder."""
    name = f"reply-complaint-{number}.txt"
    try:
        return Path.cwd() / name
    except OSError:  # the current folder was removed
        return Path.home() / name


class ReplyFileScreen(GuardsInput, TrackerModal[Path | None]):
    """Ask where to save the reply and write it there (private, whole); an existing file is replaced only
    once the owner confirms."""

    HELP = (
        "Where to save the reply (a private file, written whole). A file that exists is replaced only when "
        "you press Save again (the button then says Replace). A folder that does not exist or cannot be "
        "written is told in one line, and the dialog stays open to give another path. `Esc` closes it; a path "
        "you typed is there again the next time you save this reply."
    )
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="reply_file.cancel")]

    def __init__(self, text: str, default: Path, write: Callable[[Path, str], None] = write_private_text) -> None:
        super().__init__()
        self.text = text
        self.default = default
        self.write = write
        self.to_replace: Path | None = None
        """The existing file the owner was warned about: saving to it again replaces it."""
        self.said_for: str | None = None
        """The path the line under it speaks of: it stays until the path is edited (not when it is first shown)."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text("Save the reply to a file (only you can read it)"), classes="section")
            yield LineInput(value=str(self.default), id="path")
            yield Static(Text(""), id="path-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Save", id="save", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()
        self.remember_input()

    def set_aside_key(self) -> str:
        return f"reply-file:{self.default}"  # the default names the complaint

    def say_kept(self, message: str) -> None:
        self._line(plain(message), error=False)

    def target(self) -> Path:
        """The file the path input names (`~` expanded, relative to the current folder)."""
        return Path(self.query_one("#path", Input).value.strip()).expanduser().absolute()

    @on(Input.Changed, "#path")
    def path_changed(self) -> None:
        if self.query_one("#path", Input).value != self.said_for:  # not the value it opened with, nor one put back
            self._warn(None)

    def say(self, refusal: str) -> None:
        """Why the reply was not saved, in the dialog's own line under the path: a toast over the dialog lost a wide
        character of a Japanese path where it was cut (`返信_  ミナス`)."""
        self._line(plain(refusal))

    def _line(self, text: Text, error: bool = True) -> None:
        line = self.query_one("#path-error", Static)
        line.update(text)
        line.set_classes("error" if error else "hint")
        self.said_for = self.query_one("#path", Input).value

    def _warn(self, existing: Path | None) -> None:
        """Say that `existing` would be replaced (the Save button becomes Replace), or clear the warning."""
        self.to_replace = existing
        self._line(Text("") if existing is None else plain(f"{existing} exists: Enter or Replace replaces it."))
        self.query_one("#save", Button).label = "Save" if existing is None else "Replace"

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        if not self.query_one("#path", Input).value.strip():
            self.say("Give a file name.")
            return
        path = self.target()
        if path.is_dir():
            self.say(f"{path} is a folder: give a file name.")
            return
        if path.exists() and path != self.to_replace:
            self._warn(path)
            return
        try:
            self.write(path, self.text)
        except OSError as exc:
            self.say(write_error(path, exc))
            return
        self.dismiss(path)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.leave_setting_aside(lambda: self.dismiss(None))
