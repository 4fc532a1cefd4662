"""Bindings have ids and descriptions, and the help screen is built from them: no key goes unexplained."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from typing import Any

import pytest
from fixtures.tui import SIZE, make_app, settled
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Markdown

import tracker.tui
from tracker.tui.app import TrackerApp
from tracker.tui.screens.help import SECTIONS, HelpScreen, help_markdown, key_label, own_bindings
from tracker.tui.screens.reply import ReplyScreen


def tui_screens() -> list[type[Screen[Any]]]:
    """Every screen class defined in tracker.tui (every module imported)."""
    found: dict[str, type[Screen[Any]]] = {}
    for info in pkgutil.walk_packages(tracker.tui.__path__, "tracker.tui."):
        module = importlib.import_module(info.name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, Screen) and value.__module__ == info.name and own_bindings(value):
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return list(found.values())


def all_bindings() -> list[tuple[str, Binding]]:
    return [(owner.__name__, b) for owner in [TrackerApp, *tui_screens()] for b in own_bindings(owner)]


def test_the_screens_are_found() -> None:
    names = {screen.__name__ for screen in tui_screens()}
    assert {"DashboardScreen", "TriageScreen", "PurgeScreen", "HelpScreen", "ConfirmScreen"} <= names


def test_every_binding_has_a_unique_id_and_a_description() -> None:
    bindings = all_bindings()
    assert len(bindings) > 30
    missing = [f"{owner}: {b.key}" for owner, b in bindings if not b.id or not b.description]
    assert missing == []
    ids = [b.id for _, b in bindings]
    assert sorted(i for i in ids if ids.count(i) > 1) == []


def test_binding_ids_name_their_screen() -> None:
    prefixes = {b.id.split(".")[0] for _, b in all_bindings() if b.id}
    assert prefixes == {
        "app",
        "dashboard",
        "intake",
        "triage",
        "decision",
        "reply",
        "reply_file",
        "discard",
        "post",
        "find",
        "match",
        "persona_picker",
        "purge",
        "reason",
        "confirm",
        "help",
    }


def test_every_screen_is_explained_in_the_help() -> None:
    explained = {screen for _, screen in SECTIONS} | {HelpScreen}
    assert set(tui_screens()) <= explained
    assert all(screen.HELP for screen in explained) and TrackerApp.HELP


@pytest.mark.parametrize(
    "owner", [TrackerApp, *(screen for _, screen in SECTIONS), HelpScreen], ids=lambda c: c.__name__
)
def test_the_help_lists_every_shown_key_with_its_description(owner: type) -> None:
    text = help_markdown(TrackerApp)
    for binding in own_bindings(owner):
        if not binding.show:
            continue
        for key in binding.key.split(","):
            assert f"`{key_label(key)}`" in text, (owner.__name__, key)
        assert binding.description.lower() in text.lower()


def test_key_labels() -> None:
    assert [key_label(k) for k in ("ctrl+s", "f1", "question_mark", "escape", "enter", "D", "j", "tab")] == [
        "Ctrl+S",
        "F1",
        "?",
        "Esc",
        "Enter",
        "D",
        "j",
        "Tab",
    ]


def test_the_help_keeps_the_explanations() -> None:
    text = help_markdown(TrackerApp)
    for phrase in (
        "overdue ones first and in red",
        "only the date is required",
        "recorded input images",
        "Deciding again records a revision",
        "`replies/<language>/`",
        "`tracker purge scrub PERSONA`",
        "`D` all posts (done: every post on that platform, once the account deletion took them)",
        "`s` skip (with a reason)",
        "`F1`/`?` help",
        "`Ctrl+P` command palette",
        "The mouse works too.",
        "their later messages); opened again, each starts where you closed it.",
        "opened again from the complaint, it starts where you closed it.",
        "`h` there opens it again where you closed it.",
    ):
        assert phrase in text, phrase


async def test_f1_shows_the_help_built_from_the_bindings() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        assert app.screen.query_one(Markdown).source == help_markdown(TrackerApp)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_f1_in_a_dialog_opens_the_help_at_that_dialog() -> None:
    """The help says F1 works anywhere: in the match and find dialogs too, and it starts at their section."""
    from tracker.tui.screens.find import FindScreen, MatchScreen

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        for key, dialog, section in (("m", MatchScreen, "**Match an image file**"), ("o", FindScreen, "**Open")):
            await pilot.press(key)
            await settled(pilot)
            assert isinstance(app.screen, dialog)
            await pilot.press("f1")
            await settled(pilot)
            assert isinstance(app.screen, HelpScreen), f"F1 did nothing on {dialog.__name__}"
            source = app.screen.query_one(Markdown).source
            assert source.split("\n\n")[1].startswith(section), source[:200]
            await pilot.press("escape", "escape")
            await settled(pilot)


def test_every_action_bound_only_to_f_keys_is_in_the_command_palette_and_the_help() -> None:
    """A vt100 or a phone over SSH has no F-keys: an action bound to F-keys alone (F1 aside: `?`, and the palette's
    Help) is in its screen's command palette entries, and the help names those entries."""
    text = help_markdown(TrackerApp)
    for screen in tui_screens():
        palette = {action for _, _, action in getattr(screen, "PALETTE", [])}
        for binding in own_bindings(screen):
            keys = [key.strip() for key in binding.key.split(",")]
            if binding.action != "app.help" and all(re.fullmatch(r"f\d+", key) for key in keys):
                assert binding.action in palette, (screen.__name__, binding.key)
        for title in getattr(screen, "PALETTE", []):
            assert title[0] in text
    reply = {action for _, _, action in ReplyScreen.PALETTE}
    assert {"copy", "answered", "switch_language", "save_file", "copy_subject", "new_draft"} <= reply
    assert "In the command palette (`Ctrl+P`): Copy the reply · Copy the subject line" in text
