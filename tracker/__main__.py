"""The `tracker` command's entry point, and `python -m tracker`: the same as the `tracker` command.

It loads the command line (`tracker.cli`: Click, the commands' registry, tens of milliseconds) inside a guard,
so a Ctrl+C pressed while it loads ends as the one line a Ctrl+C says later (`tracker: aborted`, exit 130),
never as Python's traceback. Nothing has been read or written yet at that point: there is nothing to keep.
Nothing is imported before the guard (not even `signal`, which loads `enum`).
"""

import sys


def main() -> None:
    """Console entry point (`[project.scripts]`): `tracker.cli.main`, loaded under the Ctrl+C guard."""
    try:
        from tracker.cli import main as run

        run()
    except KeyboardInterrupt:  # before `tracker.cli.main` took the Ctrl+C over: the command had not begun
        _aborted()


def _aborted() -> None:
    """A Ctrl+C while the command line loaded: one line (after a line break at a terminal, where `^C` was
    echoed), exit 130; a second Ctrl+C is ignored."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    exec("")  # forget the Ctrl+C caught here (`tracker.cli._forget_caught_ctrl_c`): exit 130, not death by SIGINT
    try:
        terminal = sys.stderr.isatty()
    except (AttributeError, ValueError):  # a closed or replaced stream
        terminal = False
    try:
        sys.stderr.write(("\n" if terminal else "") + "tracker: aborted\n")
        sys.stderr.flush()
    except (OSError, ValueError):  # stderr closed: the exit code says it
        pass
    sys.exit(130)


if __name__ == "__main__":
    main()
