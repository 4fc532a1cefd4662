"""The README as a newcomer reads it: its command list and its JSON shapes say what the commands do today.

A newcomer learns the commands from the README's "Every command" list and writes scripts against its `post`
JSON shape; an option added to a command, or a key added to a post, that the README does not mention is a
feature they never find.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from cli.test_command_surface import surface
from fixtures.common import Tracker

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "examples" / "forge-example.png"
OPTION = re.compile(r"(?<![\w-])(--[a-z][a-z0-9-]*|-[a-zA-Z])\b")


def _block(after: str) -> str:
    """The text of the first fenced block after the line `after`."""
    return README.split(after, 1)[1].split("```", 2)[1]


def _listed() -> dict[str, set[str]]:
    """Each command path the "Every command" list names, with the options its line gives it (`None` for a path
    named only in passing, `complaint add|show ...`)."""
    commands = surface()
    listed: dict[str, set[str]] = {}
    for line in _block("Every command:").splitlines()[1:]:
        line = line.split("  #", 1)[0].strip()
        if not line.startswith("tracker "):
            continue
        words = line.split()[1:]
        if not words[0].startswith("-") and "|" in words[0]:  # `complaint add|show|... ...`: named, options elsewhere
            continue
        path = "tracker"
        for segment in re.split(r" \| (?=[a-z])", " ".join(words)):  # `persona set ... | rename OLD NEW | ...`
            tokens = segment.split()
            if path.count(" ") >= 2:  # a sibling subcommand of the same group
                path = path.rsplit(" ", 1)[0]
            while tokens and f"{path} {tokens[0]}" in commands:
                path = f"{path} {tokens.pop(0)}"
            listed.setdefault(path, set()).update(OPTION.findall(" ".join(tokens)))
    return listed


def test_the_command_list_gives_every_option_of_every_command() -> None:
    listed = _listed()
    wrong = []
    for path, entry in surface().items():
        if entry["group"] or path not in listed:
            continue
        options = {o for p in entry["params"] if p["kind"] == "option" for o in (*p["opts"], *p["secondary_opts"])}
        options -= {"-h", "--help"}
        if missing := sorted(options - listed[path]):
            wrong.append(f"{path}: the README does not list {', '.join(missing)}")
        if unknown := sorted(listed[path] - options):
            wrong.append(f"{path}: the README lists {', '.join(unknown)}, which it does not take")
    assert not wrong, "\n".join(wrong)


def test_every_command_is_in_the_command_list() -> None:
    block = _block("Every command:")
    named = set(_listed())
    for line in block.splitlines():  # `complaint add|show|decide ...`
        if match := re.match(r"tracker ([a-z]+) ([a-z|]+\|[a-z|]+) ", line.strip()):
            named |= {f"tracker {match[1]} {sub}" for sub in match[2].split("|")}
    leaves = {path for path, entry in surface().items() if not entry["group"]}
    assert sorted(leaves - named) == []


@pytest.mark.usefixtures("isolated_env")
def test_the_post_json_shape_names_every_key_a_post_has(tracker: Tracker) -> None:
    tracker("log", str(EXAMPLE), "--url", "https://www.pixiv.net/artworks/123456789", "--persona", "moth")
    tracker("post", "set", "1", "--requested-by", "Kim", "--permission-at", "2026-01-02")
    (post,) = tracker.json("posts")
    shape = _block("`tracker show --json` and `tracker log --json` print one post.")
    keys = [*post, *(f"account.{k}" for k in post["account"]), *(f"request.{k}" for k in post["request"])]
    assert [key for key in keys if f'"{key.rsplit(".", 1)[-1]}"' not in shape] == []


def _slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_every_link_within_the_readme_leads_to_a_heading() -> None:
    headings = {_slug(h) for h in re.findall(r"^#+ (.+)$", README, re.M)}
    links = re.findall(r"\]\(#([^)]+)\)", README)
    assert len(links) > 10  # the contents line
    assert sorted(set(links) - headings) == []
