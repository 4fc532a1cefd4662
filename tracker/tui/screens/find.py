"""Finding things from anywhere: open a complaint or a post by what the owner has at hand, match an image file.

`FindScreen` asks for a complaint's number, or a post's number or URL (resolved as
`tracker show URL` resolves it, `tracker.posts.lookup.find_post`); `MatchScreen` asks for the
path of an image file and lists the logged images it shows, as `tracker match FILE` does. Both
look things up in a worker and say in one line what went wrong, staying open to try again. `Esc` closes
either at once, setting aside what was typed and not used yet: the dialog opens with it again
(`guard.GuardsInput.set_aside_key`).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any, Literal

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Input, Label, Static
from textual.worker import Worker

from tracker.complaints.records import get_complaint
from tracker.db.plain import MAX_DIGITS
from tracker.errors import NotFoundError, TrackerError, UsageError
from tracker.matching import limits
from tracker.matching.search import MatchResult, describe_box, match_reading
from tracker.metadata.reader import read_image
from tracker.posts.lookup import find_post
from tracker.support.textsafe import keep_end, keep_extension, safe_text
from tracker.support.words import counted
from tracker.tui.screens.base import TrackerModal
from tracker.tui.screens.guard import GuardsInput
from tracker.tui.text import as_words, bare_url, plain
from tracker.tui.widgets.line_input import LineInput
from tracker.tui.widgets.table import Table

Kind = Literal["complaint", "post"]

QUESTIONS: dict[Kind, tuple[str, str]] = {
    "complaint": ("Open a complaint: its number", "12"),
    "post": ("Open a post: its number or URL", "12 or https://www.pixiv.net/artworks/…"),
}
"""What the dialog asks, and the example in its empty field."""


def typed_number(text: str) -> str:
    """A number typed with a Japanese input method left in full width (`１２`, `＃１２`) as ASCII (`12`, `#12`);
    anything else (a URL, a word) as it was typed."""
    narrow = unicodedata.normalize("NFKC", text).strip()
    return narrow if narrow.lstrip("#").strip().isascii() and narrow.lstrip("#").strip().isdigit() else text


def complaint_number(text: str) -> int:
    """A complaint number as typed (`12` or `#12`, in full width too); UsageError for anything else."""
    number = typed_number(text).strip().lstrip("#").strip()
    if not (number.isascii() and number.isdigit()):
        raise UsageError(f"not a complaint number: {text.strip()!r} (type its number, such as 12)")
    if len(number) > MAX_DIGITS:
        raise NotFoundError(f"no complaint #{number}")
    return int(number)


def typed_path(text: str) -> Path:
    """A file path as typed or dropped into the terminal: surrounding quotes, `~` and `\\ ` understood."""
    value = text.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1]
    path = Path(value).expanduser()
    if not path.exists() and "\\ " in value:
        path = Path(value.replace("\\ ", " ")).expanduser()
    return path


class FindScreen(GuardsInput, TrackerModal[int | None]):
    """Ask for a complaint's number or a post's number or URL; dismissed with the number once found."""

    HELP = (
        "Open a complaint by its number, or a post by its number or URL (any spelling of the URL the "
        "platform uses). `Enter` opens it; a number or URL that names nothing is said in one line. `Esc` "
        "closes it; what you typed is there again the next time you open it."
    )
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="find.cancel")]

    def __init__(self, kind: Kind, value: str = "") -> None:
        super().__init__()
        self.kind: Kind = kind
        self.value = value

    def compose(self) -> ComposeResult:
        question, example = QUESTIONS[self.kind]
        with Vertical():
            yield Label(Text(question), classes="section")
            yield LineInput(self.value, placeholder=example, id="find-input")
            yield Static(Text(""), id="find-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Open", id="open", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#find-input", Input).focus()
        self.remember_input()

    def set_aside_key(self) -> str:
        return f"find-{self.kind}"

    def say_kept(self, message: str) -> None:
        self._error(message, error=False)

    @on(Input.Submitted)
    @on(Button.Pressed, "#open")
    def action_open(self) -> None:
        text = self.query_one("#find-input", Input).value
        if not text.strip():
            self._error("Type a number" + (" or a URL." if self.kind == "post" else "."))
            return
        self._error("")
        self.look_up(text)

    @work(thread=True, exclusive=True, group="find", exit_on_error=False)
    def look_up(self, text: str) -> None:
        """Check that what was typed names a complaint or a post (in this worker's own session)."""
        archive = self.tracker.archive()
        try:
            with archive.factory() as session:
                if self.kind == "complaint":
                    number = get_complaint(session, complaint_number(text)).id
                else:
                    number = find_post(session, typed_number(text), archive.platforms).id
        except TrackerError as exc:
            self.from_worker(self._error, str(exc))
            return
        self.from_worker(self._found, number)

    def _found(self, number: int) -> None:
        if self.is_active:  # not closed meanwhile, nothing opened over it
            self.dismiss(number)

    def worker_failed(self, worker: Worker[Any], message: str) -> None:
        self._error(message)

    def _error(self, message: str, error: bool = True) -> None:
        line = self.query_one("#find-error", Static)
        line.update(plain(message))
        line.set_classes("error" if error else "hint")

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.leave_setting_aside(lambda: self.dismiss(None))


def match_why(result: MatchResult) -> Text:
    """Why an image matched, as `tracker match` says it: how sure, which hashes, which region."""
    c = result.candidate
    out = Text(f"score {c.score:.2f} ({c.confidence})", style="bold")
    if c.matched:
        out.append("; matched by: ")
        out.append_text(plain(", ".join(c.matched)))
    if c.region is not None and c.kind == "region":
        out.append(f"; the post's {describe_box(c.region.image_box)} is the image's {describe_box(c.region.query_box)}")
    return out


class MatchScreen(GuardsInput, TrackerModal[None]):
    """Ask for an image file and list the logged images (and their posts) it shows; `Enter` opens a post."""

    HELP = (
        "Which logged posts an image file shows: the same picture resized, re-encoded or flipped, or a part "
        "of one, as `tracker match FILE` finds them (score, kind, archived image, its posts). `Enter` on a "
        "result opens its post; `Esc` there comes back to the results. `Esc` here closes it; a path you typed "
        "and did not match yet is there again the next time you open it."
    )
    BINDINGS = [Binding("escape", "close", "Close", id="match.close")]
    NARROW = 100
    """Under this many columns each result takes two rows (score over kind, post over its URL), so that the URL has
    the room the kind and status columns took: one row each cut it to `pixiv.net/` at 80 columns."""
    WIDE_COLUMNS = ("score", "kind", "image", "post", "status", "url")
    NARROW_COLUMNS = ("score, kind", "image", "post, url")

    def __init__(self, value: str = "") -> None:
        super().__init__()
        self.value = value
        self.path: Path | None = None
        self.narrow: bool | None = None
        """Whether the results are shown two rows each (None: no columns yet)."""
        self.results: list[MatchResult] | None = None
        """The last search's results (None until one finishes)."""
        self.why: dict[str, Text] = {}
        """Each row's "why": how sure, and which hashes and region matched."""
        self.tiles = 0
        """How many pictures the last searched picture shows as a grid's tiles, when nothing matched (0: no grid)."""
        self.blank = False
        """Whether the last searched picture, matching nothing, is one plain colour (`limits.blank_picture`)."""
        self.frames = 1
        """How many frames the last searched picture holds (more than 1: only the first was searched)."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text("Match an image file: which logged posts does it show?"), classes="section")
            yield LineInput(self.value, placeholder="path of an image file (~ works)", id="match-path")
            yield Static(Text(""), id="match-status", classes="hint")
            yield Table(id="matches", cursor_type="row")
            yield Static(Text(""), id="match-why", classes="hint")
            with Horizontal(classes="buttons"):
                yield Button("Close", id="close")
                yield Button("Match", id="match", variant="primary")

    def on_mount(self) -> None:
        self._columns()
        self.query_one("#match-path", Input).focus()
        self.remember_input()

    def set_aside_key(self) -> str:
        return "match"

    def say_kept(self, message: str) -> None:
        self._status(message)

    def on_resize(self) -> None:
        if self.narrow != (self.app.size.width < self.NARROW) and self.results is not None and self.path is not None:
            self.show_results(self.path, self.results)

    def _columns(self) -> bool:
        """The table's columns for the terminal's width, set again when it changed; whether it is narrow."""
        narrow = self.app.size.width < self.NARROW
        if narrow != self.narrow:
            table = self.query_one("#matches", DataTable)
            table.clear(columns=True)
            table.add_columns(*(self.NARROW_COLUMNS if narrow else self.WIDE_COLUMNS))
            self.narrow = narrow
        return narrow

    @on(Input.Submitted)
    @on(Button.Pressed, "#match")
    def action_match(self) -> None:
        text = self.query_one("#match-path", Input).value
        if not text.strip():
            self._status("Type the path of an image file.", error=True)
            return
        self._status("Reading the file and comparing it with the archive…")
        self.search(typed_path(text), text)

    @work(thread=True, exclusive=True, group="match", exit_on_error=False)
    def search(self, path: Path, typed: str) -> None:
        """Read the file and rank the archive against it (the similarity index may be built first)."""
        from tracker.matching.screenshots import grid_tiles  # numpy: only when a picture is searched

        archive = self.tracker.archive()
        try:
            reading = read_image(path)
            results = match_reading(archive.factory, self.tracker.settings, reading)
        except TrackerError as exc:
            self.from_worker(self._status, str(exc), True)
            return
        self.tiles = 0 if results else grid_tiles(reading.displayed)  # what to look at when nothing matched
        self.blank = not results and limits.is_blank(reading.displayed)  # nothing in it to compare
        self.frames = limits.frame_count(reading.image)
        self.from_worker(self.show_results, path, results, typed)

    def worker_failed(self, worker: Worker[Any], message: str) -> None:
        self._status(message, error=True)

    def _status(self, message: str, error: bool = False, whole: str | None = None) -> None:
        """Say `message` under the path; `whole`: the file's name in full, for the mouse to read (a tooltip)."""
        status = self.query_one("#match-status", Static)
        status.update(plain(message))
        status.set_classes("error" if error else "hint")
        status.tooltip = None if whole is None else plain(whole)

    def show_results(self, path: Path, results: list[MatchResult], typed: str | None = None) -> None:
        """One row per post of each matching image, best image first (an image never posted gets one row); two
        rows each on a narrow terminal (`NARROW`), the post's URL whole under its number where it fits. The path
        `typed` for this search was used: `Esc` keeps it no longer (a path the file could not be read from stays)."""
        self.path, self.results = path, results
        if typed is not None and self.query_one("#match-path", Input).value == typed:
            self.input_sent()
        narrow = self._columns()
        table = self.query_one("#matches", DataTable)
        table.clear()
        self.why = {}
        url_room = self.url_room(narrow)
        for rank, result in enumerate(results):
            c = result.candidate
            score = f"{c.score:.2f} {c.confidence}"
            kind = "identical" if result.identical else c.kind
            number = f"#{result.image_id} "
            image = Text(number + keep_extension(safe_text(result.original_name), (20 if narrow else 24) - len(number)))
            why = match_why(result)
            for post in result.posts:
                status = plain(as_words(post.status), style="" if post.status == "live" else "yellow")
                url = plain(keep_end(bare_url(post.url), url_room))
                number = f"#{post.id}" + (f" p.{post.page or '?'}" if post.further_page else "")
                key = f"post-{post.id}"
                if key in self.why:  # two pages of one post can both match: one row each
                    key = f"post-{post.id}-{rank}"
                if narrow:
                    post_cell = Text(f"{number} ").append_text(status).append("\n").append_text(url)
                    table.add_row(plain(f"{score}\n{kind}", keep_newlines=True), image, post_cell, key=key, height=2)
                else:
                    table.add_row(Text(score), plain(kind), image, Text(number), status, url, key=key)
                self.why[key] = why
            if not result.posts:
                used = ", ".join(f"#{n}" for use in result.input_of for n in use.post_ids)
                note = plain(f"input of posts {used}" if used else "archived, not posted", style="dim")
                if narrow:
                    cells = (plain(f"{score}\n{kind}", keep_newlines=True), image, Text("-\n").append_text(note))
                    table.add_row(*cells, key=f"image-{rank}", height=2)
                else:
                    table.add_row(Text(score), plain(kind), image, Text("-"), Text(""), note, key=f"image-{rank}")
                self.why[f"image-{rank}"] = why
        name = keep_extension(safe_text(path.name), self.name_room())
        animated = f" {limits.animated(name, self.frames)}" if self.frames > 1 else ""
        if results:
            found = f"{counted(len(results), 'matching image')} for {name}, best first. Enter opens a post."
            self._status(found + animated, whole=path.name)
            table.focus()
        else:
            hint = limits.blank_picture(name) if self.blank else limits.nothing_found(name, self.tiles)
            self._status(f"No logged image matches {name}. {hint}{animated}", whole=path.name)

    def text_room(self) -> int:
        """The columns of the dialog's lines: 90% of the screen (110 at most), its frame and padding aside."""
        return min(110, self.app.size.width * 9 // 10) - 6

    def name_room(self) -> int:
        """The columns the searched file's name may take in the line under the path (`keep_extension`: cut in its
        middle, its extension kept), so that the line never folds it mid-name: a line's width, less what comes before
        the name ("No logged image matches ") and the full stop after it (the path typed above holds it whole)."""
        return max(20, self.text_room() - 26)

    def url_room(self, narrow: bool) -> int:
        """The columns a post's URL may take: at 80, what the dialog (90% wide, its frame and the table's scroll bar
        aside) leaves beside the score and the image; 28 when the results take one row each."""
        if not narrow:
            return 28
        return max(20, self.text_room() - (12 + 2) - (20 + 2) - 2)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.query_one("#match-why", Static).update(self.why.get(event.row_key.value or "", Text("")))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value or ""
        if key.startswith("post-"):
            self.tracker.open_post(int(key.split("-")[1]))

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.leave_setting_aside(lambda: self.dismiss(None))
