"""The `tracker` command line: parse options, call the core, print.

Thin on purpose: each command turns its options into a call to a feature package (`tracker.posts`,
`tracker.complaints`, `tracker.purge`, ...) and prints what comes back. One module per command
group, loaded only when that command runs (`COMMANDS`), and every heavy import (the database,
Pillow, numpy, Textual) inside the command that needs it: `tracker --version` and `tracker --help`
cost little more than importing Click.

Every `TrackerError` ends as one line on stderr and a non-zero exit code (`TrackerGroup`, `main`);
output drawn from metadata goes through `support.textsafe`, so it cannot drive the terminal.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import click

from tracker import __version__
from tracker.cli.context import AppContext, echo_error
from tracker.errors import TrackerError
from tracker.support.textsafe import safe_text

COMMANDS: dict[str, str] = {
    "inspect": "tracker.cli.inspect:inspect_cmd",
    "log": "tracker.cli.posts:log_cmd",
    "posts": "tracker.cli.posts:posts_cmd",
    "show": "tracker.cli.posts:show_cmd",
    "post": "tracker.cli.posts:post_group",
    "import": "tracker.cli.importing:import_cmd",
    "match": "tracker.cli.match:match_cmd",
    "inputs": "tracker.cli.inputs:inputs_cmd",
    "input": "tracker.cli.inputs:input_group",
    "models": "tracker.cli.resources:models_group",
    "resources": "tracker.cli.resources:resources_cmd",
    "resource": "tracker.cli.resources:resource_group",
    "complaint": "tracker.cli.complaints:complaint_group",
    "status": "tracker.cli.status:status_cmd",
    "tui": "tracker.cli.tui:tui_cmd",
    "demo": "tracker.cli.tui:demo_cmd",
    "backup": "tracker.cli.backup:backup_cmd",
    "restore": "tracker.cli.backup:restore_cmd",
    "purge": "tracker.cli.purge:purge_group",
}
"""Every top-level command and where it lives (`module:attribute`), imported when it is called."""


class TrackerGroup(click.Group):
    """The root group: loads a command's module on first use, and turns tracker errors into one line.

    This is Click's documented lazy-loading pattern: `list_commands` names every command without
    importing anything, `get_command` imports the one module that defines it.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        command = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(command, click.Command):  # pragma: no cover - a wiring mistake
            raise TypeError(f"{target} is not a click command")
        return command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TrackerError as exc:
            echo_error(exc)
            ctx.exit(exc.exit_code)


@click.group(cls=TrackerGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", metavar="URL", envvar="TRACKER_DB", help="Database: an SQLAlchemy URL or a SQLite file path.")
@click.option(
    "--data-dir", metavar="DIR", envvar="TRACKER_DATA_DIR", help="Folder for the default database and archive."
)
@click.version_option(__version__, prog_name="tracker")
@click.pass_context
def cli(ctx: click.Context, db: str | None, data_dir: str | None) -> None:
    """A private archive of the AI images you post: metadata, complaints, deletions."""
    ctx.obj = AppContext(db=db, data_dir=data_dir)
    ctx.call_on_close(ctx.obj.close)


def main() -> None:
    """Console entry point: no traceback ever reaches the user."""
    try:
        code = cli.main(prog_name="tracker", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("tracker: aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except TrackerError as exc:
        echo_error(exc)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("tracker: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:  # the last line of defence: one line, never a traceback
        if os.environ.get("TRACKER_DEBUG"):
            raise
        click.echo(f"tracker: internal error: {type(exc).__name__}: {safe_text(exc)}", err=True)
        sys.exit(70)
    sys.exit(code if isinstance(code, int) else 0)
