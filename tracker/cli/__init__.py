"""The `tracker` command line: parse options, call the core, print.

Thin on purpose: each command turns its options into a call to a feature package (`tracker.posts`,
`tracker.complaints`, `tracker.purge`, ...) and prints what comes back. One module per command
group, loaded only when that command runs (`COMMANDS`), and every heavy import (the database,
Pillow, numpy, Textual) inside the command that needs it: `tracker --version` and `tracker --help`
cost little more than importing Click.

Every `TrackerError`, and every usage error Click finds, ends as one line on stderr
(`tracker: error: ...`) and a non-zero exit code (`TrackerGroup`, `main`);
output drawn from metadata goes through `support.textsafe`, so it cannot drive the terminal.

- `context`: what every command is given (settings, the database opened on first use); `output`: reports and
  posts as text; `numbers`: record numbers as typed (`complaint show N`, `purge mark post:N`);
- `inspect`: `tracker inspect`; `posts`: `log`, `show`, `post set|remove` (`post_history`: the complaints and
  history `show` ends with); `listing`: `tracker posts`; `importing`: `tracker import`; `match`: `tracker match`;
  `inputs`: `inputs`, `input add`; `resources`: `resources`, `resource set|lookup`, `models scan|list`;
  `personas`: `personas`, `persona set|rename|merge|remove|keep`; `accounts`: `account rename`;
- `complaint/`: every `tracker complaint ...` command (see its `__init__.py`);
- `status`: `tracker status`; `restore_warnings`: what a restore warns of (`restore`, then `status` after a
  killed one); `backup`: `backup` and `restore`; `purge`: `purge plan|mark|status|cancel|scrub`; `check`:
  `tracker check`; `tui`: `tui` and `demo`; `__main__`: `python -m tracker.cli`.
"""

from __future__ import annotations

import errno
import importlib
import os
import signal
import sqlite3
import sys
from typing import Any

import click

from tracker import __version__
from tracker.cli.context import EXIT_IF_CUT, AppContext, echo_error, echo_warning, new_archive_line
from tracker.errors import DatabaseError, Interrupted, TrackerError
from tracker.support.textsafe import safe_text

COMMANDS: dict[str, tuple[str, str]] = {
    "inspect": (
        "tracker.cli.inspect:inspect_cmd",
        "Print the accountability report of image files (changes nothing).",
    ),
    "log": ("tracker.cli.posts:log_cmd", "Record a post: hash, read and archive IMAGE, posted at URL."),
    "posts": ("tracker.cli.listing:posts_cmd", "List logged posts, newest first."),
    "show": ("tracker.cli.posts:show_cmd", "Show one post: image, metadata, rules and history."),
    "post": ("tracker.cli.posts:post_group", "Change what is recorded about one logged post."),
    "import": ("tracker.cli.importing:import_cmd", "Log many images at once: folders (searched recursively) or files."),
    "match": ("tracker.cli.match:match_cmd", "Find the logged posts IMAGE shows, whole or in part."),
    "inputs": (
        "tracker.cli.inputs:inputs_cmd",
        "List a post's image-input techniques and the input of each.",
    ),
    "input": ("tracker.cli.inputs:input_group", "Record the input image behind a post's img2img, ControlNet, ..."),
    "models": ("tracker.cli.resources:models_group", "Your local model files, hashed the way images name them."),
    "resources": ("tracker.cli.resources:resources_cmd", "List every model, LoRA and embedding the archive names."),
    "resource": ("tracker.cli.resources:resource_group", "Record who made a model and on what licence."),
    "personas": ("tracker.cli.personas:personas_cmd", "List your personas: posts, live posts, open complaints."),
    "persona": ("tracker.cli.personas:persona_group", "Sign-off, rename or merge a persona."),
    "account": ("tracker.cli.accounts:account_group", "Rename a persona's account on a platform."),
    "complaint": (
        "tracker.cli.complaint.commands:complaint_group",
        "Complaints about your posts: log, list, show, decide, answer.",
    ),
    "status": ("tracker.cli.status:status_cmd", "Unanswered, overdue and due-soon complaints (exit 1: overdue)."),
    "tui": ("tracker.cli.tui:tui_cmd", "Open the complaint dashboard: triage, decide, reply."),
    "demo": ("tracker.cli.tui:demo_cmd", "Open the TUI on a throwaway archive with sample data."),
    "backup": ("tracker.cli.backup:backup_cmd", "Save the database and the archive into one private file."),
    "restore": ("tracker.cli.backup:restore_cmd", "Put a backup's database and archive in place."),
    "purge": ("tracker.cli.purge:purge_group", "Burn a persona down: its deletion checklist, tracked to the end."),
    "check": ("tracker.cli.check:check_cmd", "Ask the platforms whether posts are still online (opt-in network)."),
}
"""Every top-level command: where it lives (`module:attribute`, imported when it is called) and the
line `tracker --help` shows for it (so the overview imports none of them)."""


class TrackerGroup(click.Group):
    """The root group: loads a command's module on first use, and turns tracker errors into one line.

    This is Click's documented lazy-loading pattern: `list_commands` names every command without
    importing anything, `get_command` imports the one module that defines it, and the help overview
    is written from `COMMANDS`.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        target = COMMANDS[cmd_name][0]
        module_name, attribute = target.split(":")
        command = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(command, click.Command):  # pragma: no cover - a wiring mistake
            raise TypeError(f"{target} is not a click command")
        command.short_help = COMMANDS[cmd_name][1]
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list of `tracker --help`, from `COMMANDS` (no command module is imported)."""
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any
    ) -> click.Context:
        """Click's, but a Ctrl+C while the command line is parsed ends as `Abort` here: Click's own catch would
        write an empty line above `main`'s one (in a pipe or a log, a line of its own)."""
        try:
            return super().make_context(info_name, args, parent, **extra)
        except KeyboardInterrupt:
            raise click.exceptions.Abort() from None

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command (`_invoke`), then say the new archive it started, or take away the one a failed
        command started with nothing recorded in it (`AppContext.settle_new_archive`).

        A Ctrl+C the command did not turn into its own message (one pressed while its module loads, say) ends
        as Click's `Abort`, which `main` says in one line, without the empty line Click writes above it (in a
        pipe or a log, an empty line). Once the command is over, a Ctrl+C no longer interrupts what is left
        (`_command_over`)."""
        _forget_saved()  # a test's earlier command in this process saved nothing of this one
        try:
            try:
                result = self._invoke(ctx)
            except KeyboardInterrupt:
                raise click.exceptions.Abort() from None
            finally:
                _command_over()
        except click.exceptions.Exit as exc:
            self._settle_new_archive(ctx, failed=exc.exit_code != 0)
            raise
        except BaseException:
            self._settle_new_archive(ctx, failed=True)
            raise
        self._settle_new_archive(ctx, failed=False)
        return result

    @staticmethod
    def _settle_new_archive(ctx: click.Context, failed: bool) -> None:
        if isinstance(ctx.obj, AppContext):
            if ctx.obj.tightened is not None:  # others could read the archive: the owner should know
                echo_warning(ctx.obj.tightened.line())
            started = ctx.obj.settle_new_archive(failed)
            if started is not None:  # a mistyped --db or data folder
                click.echo(safe_text(new_archive_line(started)), err=True)

    def _invoke(self, ctx: click.Context) -> Any:
        try:
            result = super().invoke(ctx)
        except BrokenPipeError:  # `tracker posts | head -1`: the reader has what it wanted (Click would exit 1)
            _quiet_stdout()
            ctx.exit(_exit_if_cut(ctx))
        except Interrupted as exc:  # the user's own Ctrl+C: what was kept, not an error
            _interrupted_line(f"tracker: {safe_text(exc)}")
            ctx.exit(exc.exit_code)
        except TrackerError as exc:
            echo_error(exc)
            ctx.exit(exc.exit_code)
        except sqlite3.Error as exc:  # read through the standard driver (`db.quick`): a damaged file, say
            error = DatabaseError(f"cannot read the database: {str(exc).splitlines()[0] if str(exc) else exc}")
            echo_error(error)
            ctx.exit(error.exit_code)
        except OSError as exc:
            said = _disk_error(exc)
            if said is None:
                raise
            echo_error(said)
            ctx.exit(said.exit_code)
        except Exception as exc:
            damaged = _damaged_database(exc)
            if damaged is None:
                raise
            echo_error(damaged)
            ctx.exit(damaged.exit_code)
        return result


_DISK_ERRORS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the disk is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOTDIR: "a file stands where a folder should be",
    errno.EISDIR: "a folder stands where a file should be",
    errno.EEXIST: "a file is in the way",
}
"""What a file operation failed on, as the owner can act on it (free space, fix a folder)."""


def _disk_error(exc: OSError) -> TrackerError | None:
    """A failed read or write as one line; None for any other OSError (an internal error). A command that
    writes is transactional: what it had not finished is not kept."""
    what = _DISK_ERRORS.get(exc.errno or 0)
    if what is None:
        return None
    where = f" ({safe_text(_in_the_way(exc))})" if exc.filename else ""
    then = "; free some space, then run it again" if exc.errno in (errno.ENOSPC, errno.EDQUOT) else ""
    return TrackerError(f"{what}{where}: the command stopped{then}")


def _in_the_way(exc: OSError) -> str:
    """The path to name: for a file where a folder should be, that file (`archive/1a`), not the path below it
    that could not be made."""
    from pathlib import Path

    path = Path(os.fsdecode(exc.filename))
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        return str(next((p for p in (path, *path.parents) if p.is_file()), path))
    return str(path)


def _ctrl_c(signum: int, frame: object) -> None:
    """Ctrl+C while a command runs: Python's KeyboardInterrupt (`main` installs this; `_command_over` replaces it)."""
    raise KeyboardInterrupt


def _command_over() -> None:
    """The command is over (finished or failed, and said so): a Ctrl+C pressed from now on is ignored, so a
    command that finished is never reported interrupted (exit 130, "tracker: aborted") by a Ctrl+C while its
    database closes, nor prints "Exception ignored in atexit callback" or dies of SIGINT while Python shuts down
    (Python puts its default back for that, unless the signal is ignored). Only for the process `main` runs:
    a test calling the command in its own process keeps its Ctrl+C."""
    if signal.getsignal(signal.SIGINT) is _ctrl_c:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    _forget_caught_ctrl_c()


def _forget_caught_ctrl_c() -> None:
    """Python (3.11, 3.12) marks a KeyboardInterrupt that leaves code run by `exec()` of a string (how dataclasses
    and namedtuples make their methods, while a module loads) as never caught, even when tracker caught it and
    said so: the process then kills itself with SIGINT at exit (status -2, not 130). An `exec()` that finishes
    clears that mark."""
    exec("")


def _interrupted_line(line: str) -> None:
    """What a Ctrl+C (or Ctrl+D at a prompt) stopped, on a line of its own: at a terminal after a line break, as
    the terminal echoed `^C` where the cursor was; in a pipe or a log, with no empty line above it."""
    try:
        terminal = sys.stderr.isatty()
    except (AttributeError, ValueError):  # a closed or replaced stream
        terminal = False
    click.echo(("\n" if terminal else "") + line, err=True)


def _forget_saved() -> None:
    """Start the command with no commit noted (`_kept_line`)."""
    session = sys.modules.get("tracker.db.session")
    if session is not None:
        session.SAVED.clear()
        session.KEPT_WORDS.clear()


def _kept_line() -> str | None:
    """A Ctrl+C that landed after the command committed its change (as it printed what it did, say): the change is
    kept, and running the command again would do it twice (or be refused), so it says so; None when nothing was
    committed (then nothing was changed: every command is one transaction, or says what it kept itself)."""
    session = sys.modules.get("tracker.db.session")  # not imported: nothing can have been saved
    saved: list[str] = getattr(session, "SAVED", [])
    if not saved:
        return None
    kept: list[str] = getattr(session, "KEPT_WORDS", [])
    if kept:  # the commit said what it saved (`tracker log`: the post's number)
        return safe_text(f"tracker: interrupted after {kept[-1]}")
    if saved[-1] in _AS_THEY_GO:
        changes = f"{len(saved)} change{'' if len(saved) == 1 else 's'}"
        return safe_text(f"tracker: interrupted: what {saved[-1]} saved ({changes}) is kept; run it again for the rest")
    return safe_text(
        f"tracker: interrupted after the change was saved ({saved[-1]}): it is kept, no need to run the command again"
    )


_AS_THEY_GO = frozenset({"check", "check --mark", "models scan", "resource lookup"})
"""Commands that save one item at a time (a post checked, a model file hashed, a model looked up): interrupted, what
they saved is kept and the rest is not done (`_kept_line`)."""


def _readable_output() -> None:
    """On a terminal or pipe whose encoding is not UTF-8 (a Latin-1 locale passed over SSH), a character it cannot
    show is written as its escape (`\\u5c71`) rather than ending the command: JSON stays valid JSON, and files
    `--out` writes are UTF-8 whatever the locale."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="backslashreplace")
            except (ValueError, OSError):  # pragma: no cover - a stream that cannot be reconfigured
                pass


def _exit_if_cut(ctx: click.Context) -> int:
    """The exit code the command that was cut off had decided on (`EXIT_IF_CUT`; `meta` is shared by every
    context of the command line), else 0."""
    return int(ctx.meta.get(EXIT_IF_CUT, 0))


def _quiet_stdout() -> None:
    """Point stdout at the null device: the closed pipe is not flushed again on the way out (which would
    print "Exception ignored ... BrokenPipeError" and exit 120)."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
    except (OSError, ValueError):  # no real stdout (a test's runner): nothing to flush there
        pass


def _damaged_database(exc: BaseException) -> DatabaseError | None:
    """A damaged SQLite file met through SQLAlchemy (`database disk image is malformed`), as one line without
    the statement SQLAlchemy appends; None for any other error (sqlalchemy is not imported to tell)."""
    orig = getattr(exc, "orig", None)
    if not type(exc).__module__.startswith("sqlalchemy") or not isinstance(orig, sqlite3.DatabaseError):
        return None
    text = str(orig).splitlines()[0] if str(orig) else type(orig).__name__
    if "malformed" not in text and "not a database" not in text:
        return None
    return DatabaseError(f"the database is damaged ({text}): restore it from a backup (tracker restore)")


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


_NO_ARGS_IS_HELP: tuple[type[click.UsageError], ...] = tuple(
    kind for kind in (getattr(click.exceptions, "NoArgsIsHelpError", None),) if kind is not None
)
"""Click's "a group without a command shows its help" (a usage error since Click 8.2)."""


def usage_line(exc: click.UsageError) -> str:
    """Click's usage error as one line: `Missing option '--url' (see tracker log --help)`."""
    message = " ".join(exc.format_message().split()).removesuffix(".")
    if exc.ctx is None:
        return message
    return f"{message} (see {exc.ctx.command_path} --help)"


def main() -> None:
    """Console entry point: no traceback ever reaches the user."""
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:  # not when started with Ctrl+C ignored (`&`)
        signal.signal(signal.SIGINT, _ctrl_c)
    try:
        # numpy's matrices here are small (32x32 per window): OpenBLAS threads would only spin beside
        # the work, and compete with `import`'s worker processes for the cores. Set before numpy loads.
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
        _readable_output()
        code = cli.main(prog_name="tracker", standalone_mode=False)
    except click.exceptions.Abort:
        _command_over()
        _interrupted_line(_kept_line() or "tracker: aborted")
        sys.exit(130)
    except click.UsageError as exc:  # one line, as every other error: what is wrong, and where help is
        if isinstance(exc, _NO_ARGS_IS_HELP):  # `tracker` or `tracker purge` alone: the help, as Click shows it
            exc.show()
        else:
            echo_error(usage_line(exc))
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except TrackerError as exc:
        echo_error(exc)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        _command_over()
        _interrupted_line(_kept_line() or "tracker: interrupted")
        sys.exit(130)
    except BrokenPipeError:
        _quiet_stdout()
        sys.exit(0)
    except Exception as exc:  # the last line of defence: one line, never a traceback
        if os.environ.get("TRACKER_DEBUG"):
            raise
        click.echo(f"tracker: internal error: {type(exc).__name__}: {safe_text(exc)}", err=True)
        sys.exit(70)
    finally:
        _command_over()  # what is left is Python's shutdown: no Ctrl+C may turn a finished command into 130
    sys.exit(code if isinstance(code, int) else 0)
