"""The whole command surface, recorded: every command path, its options and arguments, `--help`.

`tests/command_surface.json` is the record. This test fails when a command, an option, an
argument or any of their settings (names, type, choices, default, environment variable, ...)
disappears or changes, or when `--help` stops exiting 0. After a deliberate change to the
surface, rewrite the record with `TRACKER_RECORD_SURFACE=1 pytest tests/test_command_surface.py`
and say why in the commit.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import click
from click.testing import CliRunner

from tracker.cli import cli

RECORD = Path(__file__).with_name("command_surface.json")


def _type(param: click.Parameter) -> dict[str, Any]:
    kind = param.type
    out: dict[str, Any] = {"name": kind.name}
    if isinstance(kind, click.Choice):
        out["choices"] = [str(c) for c in kind.choices]
    if isinstance(kind, click.types._NumberRangeBase):
        out["range"] = [kind.min, kind.max, kind.min_open, kind.max_open, kind.clamp]
    if isinstance(kind, click.Path):
        out["path"] = {"exists": kind.exists, "file_okay": kind.file_okay, "dir_okay": kind.dir_okay}
    return out


def _default(param: click.Parameter) -> Any:
    value = param.default
    if callable(value):
        return "<callable>"
    if isinstance(value, tuple | list):
        return [str(v) for v in value]
    return value if value is None or isinstance(value, bool | int | float | str) else str(value)


def _param(param: click.Parameter) -> dict[str, Any]:
    out: dict[str, Any] = {
        "kind": "option" if isinstance(param, click.Option) else "argument",
        "name": param.name,
        "opts": list(param.opts),
        "secondary_opts": list(param.secondary_opts),
        "type": _type(param),
        "required": param.required,
        "nargs": param.nargs,
        "multiple": param.multiple,
        "default": _default(param),
        "envvar": param.envvar,
    }
    if isinstance(param, click.Option):
        out.update(is_flag=param.is_flag, count=param.count, hidden=param.hidden, show_default=param.show_default)
    return out


def surface() -> dict[str, Any]:
    """Every command path (`tracker`, `tracker purge plan`, ...) with its parameters."""
    found: dict[str, Any] = {}

    def walk(command: click.Command, path: list[str], parent: click.Context | None) -> None:
        ctx = click.Context(command, info_name=path[-1], parent=parent, **command.context_settings)
        entry: dict[str, Any] = {"params": [_param(p) for p in command.get_params(ctx)], "group": False}
        if isinstance(command, click.Group):
            entry["group"] = True
            entry["commands"] = sorted(command.list_commands(ctx))
        found[" ".join(path)] = entry
        if isinstance(command, click.Group):
            for name in sorted(command.list_commands(ctx)):
                sub = command.get_command(ctx, name)
                assert sub is not None, f"{' '.join(path)} lists {name} but cannot load it"
                walk(sub, [*path, name], ctx)

    walk(cli, ["tracker"], None)
    return found


def test_command_surface_is_unchanged() -> None:
    current = surface()
    if os.environ.get("TRACKER_RECORD_SURFACE"):
        RECORD.write_text(json.dumps(current, indent=1, sort_keys=True) + "\n")
    recorded = json.loads(RECORD.read_text())
    assert sorted(current) == sorted(recorded), "commands added or removed"
    for path, entry in recorded.items():
        assert current[path] == entry, f"`{path}` changed"


def test_every_command_has_help() -> None:
    runner = CliRunner()
    recorded = json.loads(RECORD.read_text())
    for path in recorded:
        result = runner.invoke(cli, [*path.split()[1:], "--help"])
        assert result.exit_code == 0, f"`{path} --help` exited {result.exit_code}: {result.output}"
        assert "Usage:" in result.output
