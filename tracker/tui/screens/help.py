"""The help screen (F1 or ?): what each screen is for and its keys, built from the screens themselves.

Each screen says what it is for in its `HELP` (Textual's own attribute for a node's help text);
the keys come from its `BINDINGS` (key, description, tooltip), so the help can never list a key
that does not exist or miss one that does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.keys import format_key
from textual.screen import Screen
from textual.widgets import Markdown, Static

from tracker.tui.screens.base import VIEW_KEYS, TrackerModal, TrackerScreen
from tracker.tui.screens.complaint_history import HistoryScreen
from tracker.tui.screens.dashboard import DashboardScreen
from tracker.tui.screens.decision import DecisionScreen
from tracker.tui.screens.find import FindScreen, MatchScreen
from tracker.tui.screens.guard import ConfirmDiscard
from tracker.tui.screens.intake import IntakeScreen
from tracker.tui.screens.post import PostScreen
from tracker.tui.screens.purge import ConfirmScreen, PersonaPickerScreen, PurgeScreen, ReasonScreen
from tracker.tui.screens.reply import ConfirmAnswered, ReplyScreen
from tracker.tui.screens.reply_file import ReplyFileScreen
from tracker.tui.screens.triage import MessageScreen, TriageScreen

NAMED_KEYS = {
    "escape": "Esc",
    "enter": "Enter",
    "tab": "Tab",
    "space": "Space",
    "question_mark": "?",
    "up": "↑",
    "down": "↓",
}


def key_label(key: str) -> str:
    """A key as the help names it: `Ctrl+S`, `F1`, `Esc`, `?`, `D`."""
    *modifiers, name = key.split("+")
    if name in NAMED_KEYS:
        label = NAMED_KEYS[name]
    elif re.fullmatch(r"f\d{1,2}", name):
        label = name.upper()
    else:
        label = format_key(name)
    if modifiers:
        label = "+".join(m.capitalize() for m in modifiers) + "+" + (label.upper() if len(label) == 1 else label)
    return label


def own_bindings(node: type) -> list[Binding]:
    """The bindings a screen (or the app) declares, not those Textual gives every screen or app.

    Taken from the nearest class that declares any, so a subclass (in a test, say) keeps them.
    """
    for cls in node.__mro__:
        if cls.__module__.split(".")[0] == "textual" or cls.__module__ == "tracker.tui.screens.base":
            break  # Textual's own, and Tab / Shift+Tab every screen has
        if "BINDINGS" in cls.__dict__:
            declared: Sequence[BindingType] = cls.__dict__["BINDINGS"]
            return [b for b in declared if isinstance(b, Binding)]
    return []


def _describe(binding: Binding) -> str:
    text = binding.description or binding.action
    text = text[0].lower() + text[1:] if len(text) > 1 and not text[1].isupper() else text
    return f"{text} ({binding.tooltip})" if binding.tooltip else text


def keys_line(bindings: Iterable[Binding], extra: Iterable[tuple[str, str]] = ()) -> str:
    """`n` new complaint · `F1`/`?` help · ...: keys of one action and description together."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for binding in bindings:
        labels = grouped.setdefault((binding.action, _describe(binding)), [])
        labels += [key_label(key.strip()) for key in binding.key.split(",")]
    parts = ["/".join(f"`{label}`" for label in labels) + f" {text}" for (_, text), labels in grouped.items()]
    parts += [f"`{label}` {text}" for label, text in extra]
    return " · ".join(parts)


SECTIONS: list[tuple[str, type[Screen[Any]]]] = [
    ("Dashboard", DashboardScreen),
    ("New complaint", IntakeScreen),
    ("Complaint", TriageScreen),
    ("The complaint's whole message", MessageScreen),
    ("The complaint's history", HistoryScreen),
    ("Decision", DecisionScreen),
    ("Reply", ReplyScreen),
    ("Save the reply to a file", ReplyFileScreen),
    ("Mark the complaint answered?", ConfirmAnswered),
    ("Post", PostScreen),
    ("Open a complaint or a post", FindScreen),
    ("Match an image file", MatchScreen),
    ("Burn down: choose a persona", PersonaPickerScreen),
    ("Burn down", PurgeScreen),
    ("Why skip or fail an item", ReasonScreen),
    ("Yes or no", ConfirmScreen),
    ("Discard what you typed?", ConfirmDiscard),
]
"""Every screen, in the order the help explains them (the help screen itself comes last)."""


def help_markdown(app: type[App[Any]], first: type[Screen[Any]] | None = None) -> str:
    """The help text: each screen's `HELP` and its keys, then the app's (the keys that work anywhere); the
    section of `first` (the screen F1 was pressed on) comes first, so a small terminal shows it at once."""
    lines = ["# tracker — complaint triage", ""]
    sections: list[tuple[str, type[Screen[Any]]]] = [*SECTIONS, ("Help", HelpScreen)]
    if first is not None:
        sections.sort(key=lambda section: not issubclass(first, section[1]))  # stable: the rest keep their order
    palette_key = key_label(app.COMMAND_PALETTE_BINDING)
    for title, screen in sections:
        lines += [f"**{title}** — {screen.HELP or ''}", "", keys_line(own_bindings(screen)), ""]
        if issubclass(screen, TrackerScreen) and screen.PALETTE:
            lines += [f"In the command palette (`{palette_key}`): " + " · ".join(t for t, _, _ in screen.PALETTE), ""]
    palette = [(palette_key, "command palette")]
    lines += [f"**Anywhere** — {app.HELP or ''}", "", keys_line(own_bindings(app), palette), ""]
    return "\n".join(lines)


CLOSE_HINT = VIEW_KEYS
"""Said under the help text (`HelpScreen`), as the whole message's dialog says its keys."""


class HelpScreen(TrackerModal[None]):
    """What each screen is for, and its keys."""

    HELP = "This text. The footer of each screen shows its main keys."
    BINDINGS = [
        Binding("escape", "dismiss_help", "Close", id="help.close"),
        Binding("q", "dismiss_help", "Close", show=False, id="help.close_q"),
    ]

    def __init__(self, opened_on: type[Screen[Any]] | None = None) -> None:
        super().__init__()
        self.opened_on = opened_on
        """The screen F1 was pressed on: its section comes first."""

    def compose(self) -> ComposeResult:
        # The keys that scroll and close it stay under the text, on its first screen at 80x24: the help has no
        # footer, and an owner who opened it on a bad night must see how to get back.
        with Vertical():
            with VerticalScroll():
                yield Markdown(help_markdown(type(self.app), self.opened_on))
            yield Static(Text(CLOSE_HINT), id="help-keys", classes="hint")

    def action_dismiss_help(self) -> None:
        self.dismiss(None)
