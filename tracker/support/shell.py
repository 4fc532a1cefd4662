"""Command lines for the owner to copy and paste: every word quoted so that the shell hands tracker exactly it.

A word of printable text is quoted as a POSIX shell reads it (`shlex.quote`: `'Moth Atelier'`). A word holding a
character that is never printed as is (a control character, a newline, a bidirectional override: what
`textsafe.safe_text` shows as an escape; a persona name restored from a hostile backup, a file name with a newline)
is written in ANSI-C quoting, `$'kite\\x1b'`, which bash, zsh, ksh and busybox sh read back as those very
characters (POSIX sh too since its 2024 edition; not dash). The line is then safe to print and still the exact
command: `shlex.quote` would have put the raw characters between quotes, and the terminal-safe escape of that a
name no command finds. A byte of a file name that is not UTF-8 (Python's surrogate escape) is written `\\xNN`, the
byte itself.
"""

from __future__ import annotations

import shlex

from tracker.support.textsafe import safe_text


def shell_word(word: str) -> str:
    """One word of a command line, quoted to be pasted into a shell (see the module docstring)."""
    if safe_text(word) == word:
        return shlex.quote(word)
    out = []
    for char in word:
        code = ord(char)
        if char in "\\'":
            out.append("\\" + char)
        elif safe_text(char) == char:
            out.append(char)
        elif 0xDC80 <= code <= 0xDCFF:  # a file name's byte that is not UTF-8
            out.append(f"\\x{code - 0xDC00:02x}")
        elif code < 0x100:
            out.append(f"\\x{code:02x}")
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    return "$'" + "".join(out) + "'"


def command(*words: str) -> str:
    """A tracker command line for the owner to copy: every word quoted (`shell_word`), so a persona named
    "Moth Atelier" pastes as one argument (`tracker purge scrub 'Moth Atelier'`)."""
    return " ".join(shell_word(word) for word in words)
