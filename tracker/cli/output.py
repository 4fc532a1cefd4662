"""Plain-text rendering of reports and posts for the terminal.

Everything here takes the documented dicts (`accountability.report`, `posts.views`) and returns lines;
every value from metadata passes through `safe_text`, so it cannot drive the terminal.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import click

from tracker.errors import UsageError
from tracker.support.files import write_private_text as write_private
from tracker.support.kinsoku import MOST_MOVED, NO_END, NO_START
from tracker.support.textsafe import cell_width, pad, safe_text

LABEL = 10
VALUE_COLUMN = LABEL + 3
"""Where a `row`'s value starts (two spaces, the label, one space): what a folded value continues under."""


def row(label: str, value: Any) -> str:
    """One `  label      value` line."""
    return f"  {label:<{LABEL}} {safe_text(value)}"


def folded_row(label: str, value: Any, width: int | None, hang: int = 0) -> list[str]:
    """`row`, its value folded to `width` terminal columns (None: one line), continued `hang` columns
    right of the value column."""
    return _block(label, [safe_text(value)], width, hang)


LEAST_ROOM = 10
"""The fewest columns a folded line is given, however narrow the terminal says it is."""
_WORDS = re.compile(r"( *)([^ ]+)")
_UNITS = re.compile(r"\\x[0-9a-f]{2}|\\u[0-9a-f]{4}|.", re.DOTALL)
"""What a word may be cut between: one character, or one whole escape `safe_text` wrote."""


def hanging(head: str, text: str, width: int | None, indent: int, outdent: int | None = None) -> list[str]:
    """`head` then `text` (both safe), folded at spaces to `width` terminal columns (None: one line),
    each further line starting `indent` columns in, so that a value stays under its column. With an
    `outdent`, a word too long for such a line (a URL) that a line starting `outdent` columns in
    holds goes there, whole and alone. A command to run (`tracker complaint confirm 3`) that a line holds is
    never cut in two (`glue_commands`), nor a path or URL (`whole_word`): one no line holds stands alone, whole,
    for the terminal to wrap (copied from the screen, it is still the path), as in `stderr_lines`."""
    if width is None:
        return [(head + text).replace(_GLUE, " ")]
    rest = width - indent
    glued = glue_commands(text, rest)  # `(then: tracker complaint confirm 3)`: never cut in two
    whole = width - (indent if outdent is None else outdent)
    pieces = fold(glued, width - cell_width(head), rest, whole, whole_word)
    if not pieces[0] and not head.strip() and len(pieces) > 1:  # a path no line holds starts the text: it starts
        pieces = [" " * (len(glued) - len(glued.lstrip(" "))) + pieces[1], *pieces[2:]]  # the first line, no blank one
    further = (outdent if outdent is not None and cell_width(piece) > rest else indent for piece in pieces[1:])
    first_line = head + pieces[0] if pieces[0] else head.rstrip()  # empty: a URL that starts the text goes below
    lines = [first_line, *(" " * at + piece for at, piece in zip(further, pieces[1:], strict=True))]
    return [line.replace(_GLUE, " ") for line in lines]


def folded_lines(lines: Iterable[str], width: int | None) -> list[str]:
    """Lines (safe) of a record folded to `width` terminal columns (None: as they are): a `  label  value` row
    continuing under its value (`VALUE_COLUMN`), any other line under its own first character."""
    out: list[str] = []
    for line in lines:
        indent = len(line) - len(line.lstrip(" "))
        out += hanging("", line, width, VALUE_COLUMN if indent == 2 else indent)
    return out


def together(words: str) -> str:
    """`words` that `hanging` folds as one (a label: `Japanese platform law`, never `Japanese` at a line's end and
    `platform law` under it); the lines it returns have their spaces back."""
    return words.replace(" ", _GLUE)


def glue_commands(text: str, room: int) -> str:
    """`text` with the spaces inside each command it tells the owner to run (`tracker complaint confirm 3`, or an
    option and its value: `--no-element right`) that a line of `room` columns holds made `_GLUE`, so that `fold`
    keeps the command on one line, to be copied whole; the folded lines have their spaces put back
    (`line.replace(_GLUE, " ")`)."""
    return _COMMAND.sub(lambda m: m[0].replace(" ", _GLUE) if cell_width(m[0]) <= room else m[0], text)


STDERR_INDENT = 2
"""Where a folded `tracker: error:` or `warning:` line continues: under the line, marked off as its continuation."""
_BREAKS = re.compile(r"[:;.,](?= )|(?= \()")
"""Where a message's first clause may end: after `:` `;` `.` `,` before a space, or before a ` (...)`."""
_COMMAND = re.compile(r"\btracker(?: [^\s:;,()`]+)+|(?<![\w-])--[a-z][a-z0-9-]* (?!-)[^\s:;,()`]+")
"""A command the message tells the owner to run (`tracker complaint decide 1 --action ...`), or an option with its
value said on its own (`or --no-element right`): folded as one word."""
_GLUE = "\ue000"
"""A private-use character, one column wide, standing for a space inside a command while the line is folded."""


def stderr_lines(head: str, text: str, width: int | None) -> list[str]:
    """`head` (`tracker: error: `) then `text` (safe) as one line on a terminal of `width` columns (None: into a pipe
    or a file, always one line) when it fits; else folded at spaces: the first line `head` and the message's first
    clauses, as many as fit (a summary complete in itself), the rest under it `STDERR_INDENT` columns in, a command
    to run next (`tracker ...`) kept on one line where one holds it, and a path or URL never cut: one no line holds
    stands alone, whole, for the terminal to wrap (copied from the screen, it is still the path)."""
    if width is None or cell_width(head + text) <= width:
        return [head + text]
    room, rest = width - cell_width(head), width - STDERR_INDENT
    glued = glue_commands(text, rest)
    whole = max([rest, *(cell_width(w) for w in glued.split() if "/" in w or "\\" in w)])
    ends = [m.end() for m in _BREAKS.finditer(glued) if cell_width(glued[: m.end()]) <= room]
    if ends and ends[-1] >= room // 3:  # a first clause long enough to say what went wrong
        pieces = [glued[: ends[-1]], *fold(glued[ends[-1] :].strip(" "), rest, rest, whole)]
    else:
        pieces = fold(glued, room, rest, whole)
    lines = [head + pieces[0], *(" " * STDERR_INDENT + piece for piece in pieces[1:])]
    if not pieces[0]:  # a path that starts the message, wider than the line: the terminal wraps it, the text follows
        word, _, after = glued.partition(" ")
        left = width - cell_width(head + word) % width - 1
        more = fold(after, left, rest, whole) if after and left >= LEAST_ROOM else ["", *fold(after, rest, rest, whole)]
        lines = [f"{head}{word} {more[0]}".rstrip(), *(" " * STDERR_INDENT + piece for piece in more[1:] if piece)]
    return [line.replace(_GLUE, " ") for line in lines]


def whole_word(word: str) -> bool:
    """Whether `word` is a path (`/…`, `~/…`, `./…`, `C:\\…`, or relative: `archive/fb/…png`, `photos/2026/x.png`)
    or a URL standing by itself (not one written against Japanese text, `…/123の画像は…`, which folds with the
    sentence, nor a Japanese sentence with a slash in it: a path of narrow characters only)."""
    bare = word.lstrip("(<\"'")
    if _PATH_START.match(bare):
        return True
    narrow = cell_width(word) == len(word)
    return narrow and (bool(_URL_START.match(bare)) or bool(_RELATIVE_PATH.fullmatch(bare.rstrip(")>\"',.;:"))))


_PATH_START = re.compile(r"~?/|\.\.?/|[A-Za-z]:\\|\\\\")
_URL_START = re.compile(r"[a-z][a-z0-9+.-]*://", re.I)
_RELATIVE_PATH = re.compile(r"[\w.~@%+=,-]+(?:/[\w.~@%+=,-]+)+/?")
"""A relative path: names of a file's characters (no space, no quote) joined by `/` (`archive/fb/fb12….png`)."""


def fold(
    text: str, first: int, rest: int, whole: int = 0, always_whole: Callable[[str], bool] | None = None
) -> list[str]:
    """`text` (safe, one line) as lines of at most `first` terminal columns, then `rest`, broken at
    spaces (wide characters count two). A word longer than `rest` that `whole` columns hold, or that
    `always_whole` says is never cut (a path), is a line of its own (`hanging` moves it left); any other
    word no line holds (a path, a Japanese sentence) is cut, after a `/` where there is one, never inside
    an escape: the cut pieces put together again are the word."""
    first, rest = max(first, LEAST_ROOM), max(rest, LEAST_ROOM)
    if cell_width(text) <= first:
        return [text]
    lines: list[str] = []
    line = ""
    for gap, word in _WORDS.findall(text):
        room = rest if lines else first
        joined = line + gap + word if line or not lines else word
        if cell_width(joined) <= room:
            line = joined
            continue
        if cell_width(word) <= rest:  # the word whole on the next line (the head alone on the first)
            lines.append(line)
            line = word
            continue
        if cell_width(word) <= whole or (always_whole is not None and always_whole(word)):  # alone, a wider line
            lines += [line, word] if line or not lines else [word]
            line = ""
            continue
        start = line + gap if line or not lines else ""
        if line and room - cell_width(start) < rest // 3:  # little room left here: the word starts a line
            lines.append(line)
            start, room = "", rest
        pieces = _cut(word, room - cell_width(start), rest)
        if pieces[0]:
            pieces[0] = start + pieces[0]
        else:  # a URL the word starts with goes to the next line whole
            lines.append(start.rstrip())  # (the head alone on the first line, when nothing precedes the URL)
            pieces = pieces[1:]
        *done, line = pieces
        lines += done
    return [*lines, line] if line else lines


def _cut(word: str, first: int, rest: int) -> list[str]:
    """`word` in pieces of at most `first`, then `rest` columns (at least one character or escape
    each), a piece ending after its last `/` when that keeps at least half of it. A URL inside the word
    (written against Japanese text: `…https://www.pixiv.net/artworks/123の画像は…`) that a line holds starts
    a piece rather than being cut: copied from the terminal by halves, it names another page."""
    units: list[str] = []
    for unit in _UNITS.findall(word):
        if units and cell_width(unit) == 0:  # a combining mark stays with its letter
            units[-1] += unit
        else:
            units.append(unit)
    urls = _url_units(units, rest) if "://" in word else []
    pieces: list[str] = []
    room, at = first, 0
    while units:
        taken, used = 0, 0
        while taken < len(units) and used + cell_width(units[taken]) <= room:
            used += cell_width(units[taken])
            taken += 1
        taken = max(taken, 1)
        if taken < len(units):
            # A URL starting the word moves to the next line whole (an empty first piece); elsewhere it starts a piece.
            inside = next((b for b, e in urls if at <= b < at + taken < e and (b > at or not pieces)), None)
            # Never after a slash inside a URL kept whole.
            cuts = (i for i in range(taken // 2, taken) if units[i] == "/")
            slash = max((i for i in cuts if not any(at + i + 1 in range(b + 1, e) for b, e in urls)), default=None)
            if inside is not None:
                taken = inside - at
            elif slash is not None:
                taken = slash + 1
            else:
                taken = _kept_together(units, taken)
        pieces.append("".join(units[:taken]))
        units, at = units[taken:], at + taken
        room = rest
    return pieces


def _kept_together(units: list[str], taken: int) -> int:
    """A cut before `taken` units, moved back (by at most `MOST_MOVED`) so that the next piece does not start with
    。 or 」 nor this one end with 「 (禁則処理); where a longer run would have to move, the cut stays."""
    moved = taken
    while moved > 1 and taken - moved < MOST_MOVED and (units[moved] in NO_START or units[moved - 1] in NO_END):
        moved -= 1
    return taken if units[moved] in NO_START or units[moved - 1] in NO_END else moved


def _url_units(units: list[str], rest: int) -> list[tuple[int, int]]:
    """Where each URL in the word lies, in units (begin, end), that a line of `rest` columns holds whole."""
    from tracker.complaints.reading.prose_urls import url_spans

    text = "".join(units)
    starts = {}  # character offset of each unit's start -> its index
    offset = 0
    for i, unit in enumerate(units):
        starts[offset] = i
        offset += len(unit)
    starts[offset] = len(units)
    found = []
    for begin, end in url_spans(text):
        if begin in starts and end in starts and cell_width(text[begin:end]) <= rest:
            found.append((starts[begin], starts[end]))
    return found


def table(rows: list[list[str]]) -> list[str]:
    """Columns padded to their widest cell in terminal columns, CJK counted double (cells must already be safe)."""
    if not rows:
        return []
    widths = [max(cell_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  ".join(pad(c, w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]


OVERDUE = "OVERDUE"


def alarmed(line: str) -> str:
    """The line with its first OVERDUE in bold red (click shows colour on a terminal, drops it in a pipe or file;
    none at all where NO_COLOR is set, as no-color.org asks, nor on a terminal that says it has none: TERM=dumb)."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return line
    return line.replace(OVERDUE, click.style(OVERDUE, fg="red", bold=True), 1)


def _block(label: str, lines: list[str], width: int | None = None, hang: int = 0) -> list[str]:
    """Lines (safe) under one label, each folded to `width` (None: as they are), continued `hang`
    columns right of the value column (a table's row, a list's item: its own lines stand out)."""
    out = []
    for i, line in enumerate(lines):
        out += hanging(f"  {label if i == 0 else '':<{LABEL}} ", line, width, VALUE_COLUMN + hang)
    return out


def _table_block(label: str, rows: list[list[str]], width: int | None, header: bool = False) -> list[str]:
    """Rows (safe) under one label: as a table where every line fits `width`; otherwise each row as
    its leading cells that fit one line, then the rest under them, each named by the `header` row
    where there is one (`hash short12 0123456789ab  weight 0.8`): no column is split across lines."""
    lines = table(rows)
    if width is None or all(VALUE_COLUMN + cell_width(line) <= width for line in lines):
        return _block(label, lines, width, hang=2)
    names, body = (rows[0], rows[1:]) if header else ([""] * len(rows[0]), rows)
    out: list[str] = []
    for i, row in enumerate(body):
        cells = [f"{name} {cell}".strip() if n else cell for n, (name, cell) in enumerate(zip(names, row, strict=True))]
        cells = [cell for cell in cells if cell]
        for n, group in enumerate(_cell_lines(cells, width - VALUE_COLUMN - 2, width - VALUE_COLUMN)):
            head = f"  {label if i == 0 and n == 0 else '':<{LABEL}} " + ("  " if n else "")
            out += hanging(head, group, width, cell_width(head) + 2)
    return out


def _cell_lines(cells: list[str], room: int, first: int) -> list[str]:
    """`cells` packed into lines two spaces apart, `first` columns for the first line and `room` for
    the others; a cell starts a new line rather than being split (unless no line holds it)."""
    lines = [cells[0]]
    for cell in cells[1:]:
        joined = f"{lines[-1]}  {cell}"
        if cell_width(joined) <= (first if len(lines) == 1 else room):
            lines[-1] = joined
        else:
            lines.append(cell)
    return lines


def _weight(value: Any) -> str:
    return "-" if value is None else f"{value:g}" if isinstance(value, int | float) else safe_text(value)


def resource_text(item: dict[str, Any] | None) -> str:
    """`name  autov2 0123456789  (local: /path)`."""
    if not item:
        return "-"
    parts = [safe_text(item["name"] or "(unnamed)")]
    if item["hash"]:
        parts.append(f"{item['hash_kind'] or 'hash'} {safe_text(item['hash'])}")
    else:
        parts.append("no hash")
    if item.get("local_file"):
        parts.append(f"(local: {safe_text(item['local_file'])})")
    return "  ".join(parts)


def report_lines(report: dict[str, Any], with_prompt: bool = False, width: int | None = None) -> list[str]:
    """The accountability report as aligned text, each value folded to `width` terminal columns under
    its column (None: one line each, for a pipe or a file)."""
    lines = folded_row("generator", _generator_text(report), width)
    if report["generator"] is None:
        return lines + _finding_lines(report["findings"], width)
    lines += folded_row("model", resource_text(report["model"]), width)
    if report["vae"]:
        lines += folded_row("VAE", resource_text(report["vae"]), width)
    if report["loras"]:
        lines += _table_block("LoRAs", _lora_rows(report["loras"]), width, header=True)
    else:
        lines += folded_row("LoRAs", "none", width)
    if report["embeddings"]:
        lines += _block("embeddings", [resource_text(e) for e in report["embeddings"]], width, hang=2)
    if report["other_resources"]:
        used = [f"{safe_text(r['role'] or r['kind'])}: {resource_text(r)}" for r in report["other_resources"]]
        lines += _block("also used", used, width, hang=2)
    if report["techniques"]:
        lines += _table_block("inputs", _technique_rows(report["techniques"]), width)
    else:
        lines += folded_row("inputs", "no image-input technique in the metadata", width)
    settings = [
        f"{name} {safe_text(report[key])}"
        for key, name in (("seed", "seed"), ("steps", "steps"), ("sampler", "sampler"), ("cfg", "cfg"))
        if report[key] is not None
    ]
    if report["width"] and report["height"]:
        settings.append(f"size {report['width']}x{report['height']}")
    if settings:
        lines += folded_row("settings", ", ".join(settings), width)
    for key, label in (("prompt", "prompt"), ("negative_prompt", "negative")):
        if with_prompt and report[key]:
            text_lines = safe_text(report[key], keep_newlines=True).strip("\n").split("\n")
            lines += _block(label, text_lines, width)
    lines += _finding_lines(report["findings"], width)
    if report["credits"]:
        lines += folded_row("credits", report["credits"], width)
    return lines


def _generator_text(report: dict[str, Any]) -> str:
    """`forge (Forge) f2.0.1  [png:parameters]  (hidden ...)`, or `none found`."""
    gen = report["generator"] or "none found"
    if report.get("generator_variant") and report["generator_variant"] != report["generator"]:
        gen += f" ({report['generator_variant']})"
    if report["generator_version"]:
        gen += f" {report['generator_version']}"
    if report["metadata_source"]:
        gen += f"  [{report['metadata_source']}]"
    if report.get("hidden_metadata"):
        gen += f"  (hidden {report['hidden_metadata']})"
    return gen


def _lora_rows(loras: list[dict[str, Any]]) -> list[list[str]]:
    return [["name", "hash", "weight", ""]] + [
        [
            safe_text(item["name"] or "?"),
            safe_text(f"{item['hash_kind']} {item['hash']}" if item["hash"] else "no hash"),
            _weight(item["weight"]),
            safe_text(f"local: {item['local_file']}") if item.get("local_file") else "",
        ]
        for item in loras
    ]


def _technique_rows(techniques: list[dict[str, Any]]) -> list[list[str]]:
    rows = []
    for t in techniques:
        label = t["kind"] + (f" {t['unit']}" if t["unit"] is not None else "")
        model = (t["model"] or "-") + (f" [{t['model_hash']}]" if t["model_hash"] else "")
        rows.append(
            [
                safe_text(label),
                safe_text(t["module"] or "-"),
                safe_text(model),
                f"weight {_weight(t['weight'])}",
                f"risk: {safe_text(t['risk_class'])}",
            ]
        )
    return rows


def _finding_lines(findings: list[dict[str, Any]], width: int | None) -> list[str]:
    """`rule  ! CODE: message`, marked by severity: `!` a problem, `?` a warning (as `--json` says)."""
    lines = []
    for finding in findings:
        mark = "!" if finding["severity"] == "problem" else "?"
        lines += folded_row("rule", f"{mark} {finding['code']}: {finding['message']}", width, hang=2)
    return lines


def report_text(report: dict[str, Any], with_prompt: bool = False, width: int | None = None) -> list[str]:
    """The report of a file being read, or of a stored image (whose width/height are the file's),
    folded to `width` terminal columns (None: not folded)."""
    if "generation_width" in report:
        report = {**report, "width": report["generation_width"], "height": report["generation_height"]}
    return report_lines(report, with_prompt, width)


def refuse_existing(path: Path | None) -> None:
    """A file named to be written must be new: a slip (`--out tracker.db`, a backup's name) never replaces a file."""
    if path is not None and (path.exists() or path.is_symlink()):
        raise UsageError(f"{path} exists already: give a new file name (nothing written)")


def write_private_text(path: Path, text: str) -> None:
    """Write text a complainant or a platform will read to a new file only the owner can read (0600),
    atomically; an existing file is never replaced (`refuse_existing`)."""
    refuse_existing(path)
    try:
        write_private(path, text)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


def write_json_lines(lines: Iterable[str], array: bool) -> None:
    """Lines of JSON (each one value, already escaped) as they come: JSON Lines, or (`array`) a JSON
    array with one value per line. Nothing is held back but one line, so a listing of any length
    prints in constant memory."""
    out = sys.stdout
    first = True
    if array:
        out.write("[")
    for line in lines:
        if array:
            out.write("\n" if first else ",\n")
            out.write(line)
        else:
            out.write(line + "\n")
        first = False
    if array:
        out.write("]\n" if first else "\n]\n")
    out.flush()
