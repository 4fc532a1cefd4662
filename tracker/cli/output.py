"""Plain-text rendering of reports and posts for the terminal.

Everything here takes the documented dicts (`accountability.report`, `posts.views`) and returns lines;
every value from metadata passes through `safe_text`, so it cannot drive the terminal.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from tracker.cli.context import echo_warning
from tracker.errors import UsageError
from tracker.support.files import write_private_text as write_private
from tracker.support.textsafe import cell_width, pad, safe_text

if TYPE_CHECKING:
    from tracker.complaints.replies import Draft

LABEL = 10


def row(label: str, value: Any) -> str:
    """One `  label      value` line."""
    return f"  {label:<{LABEL}} {safe_text(value)}"


def table(rows: list[list[str]]) -> list[str]:
    """Columns padded to their widest cell in terminal columns, CJK counted double (cells must already be safe)."""
    if not rows:
        return []
    widths = [max(cell_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  ".join(pad(c, w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]


OVERDUE = "OVERDUE"


def alarmed(line: str) -> str:
    """The line with its first OVERDUE in bold red (click shows colour on a terminal, drops it in a pipe or file;
    none at all where NO_COLOR is set, as no-color.org asks)."""
    if os.environ.get("NO_COLOR"):
        return line
    return line.replace(OVERDUE, click.style(OVERDUE, fg="red", bold=True), 1)


def echo_draft_notes(draft: Draft) -> None:
    """On stderr, after a reply draft: its subject line, what to know and what to fill in before sending it."""
    if draft.subject:
        click.echo(safe_text(f"tracker: subject line: {draft.subject}"), err=True)
    for warning in draft.warnings:
        echo_warning(warning)
    if draft.fill_in:
        echo_warning(f"fill in before sending: {'; '.join(draft.fill_in)}")


def _block(label: str, lines: list[str]) -> list[str]:
    out = [f"  {label:<{LABEL}} {lines[0]}"] if lines else []
    out += [f"  {'':<{LABEL}} {line}" for line in lines[1:]]
    return out


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


def report_lines(report: dict[str, Any], with_prompt: bool = False) -> list[str]:
    """The accountability report as aligned text."""
    lines: list[str] = []
    gen = report["generator"] or "none found"
    if report.get("generator_variant") and report["generator_variant"] != report["generator"]:
        gen += f" ({report['generator_variant']})"
    if report["generator_version"]:
        gen += f" {report['generator_version']}"
    if report["metadata_source"]:
        gen += f"  [{report['metadata_source']}]"
    if report.get("hidden_metadata"):
        gen += f"  (hidden {report['hidden_metadata']})"
    lines.append(row("generator", gen))
    if report["generator"] is None:
        return lines + _finding_lines(report["findings"])
    lines.append(f"  {'model':<{LABEL}} {resource_text(report['model'])}")
    if report["vae"]:
        lines.append(f"  {'VAE':<{LABEL}} {resource_text(report['vae'])}")
    if report["loras"]:
        rows = [["name", "hash", "weight", ""]] + [
            [
                safe_text(item["name"] or "?"),
                safe_text(f"{item['hash_kind']} {item['hash']}" if item["hash"] else "no hash"),
                _weight(item["weight"]),
                safe_text(f"local: {item['local_file']}") if item.get("local_file") else "",
            ]
            for item in report["loras"]
        ]
        lines += _block("LoRAs", table(rows))
    else:
        lines.append(row("LoRAs", "none"))
    if report["embeddings"]:
        lines += _block("embeddings", [resource_text(e) for e in report["embeddings"]])
    if report["other_resources"]:
        lines += _block(
            "also used",
            [f"{safe_text(r['role'] or r['kind'])}: {resource_text(r)}" for r in report["other_resources"]],
        )
    if report["techniques"]:
        rows = []
        for t in report["techniques"]:
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
        lines += _block("inputs", table(rows))
    else:
        lines.append(row("inputs", "no image-input technique in the metadata"))
    settings = [
        f"{name} {safe_text(report[key])}"
        for key, name in (("seed", "seed"), ("steps", "steps"), ("sampler", "sampler"), ("cfg", "cfg"))
        if report[key] is not None
    ]
    if report["width"] and report["height"]:
        settings.append(f"size {report['width']}x{report['height']}")
    if settings:
        lines.append(f"  {'settings':<{LABEL}} {', '.join(settings)}")
    for key, label in (("prompt", "prompt"), ("negative_prompt", "negative")):
        if with_prompt and report[key]:
            text_lines = safe_text(report[key], keep_newlines=True).strip("\n").split("\n")
            lines += _block(label, text_lines)
    lines += _finding_lines(report["findings"])
    if report["credits"]:
        lines.append(row("credits", report["credits"]))
    return lines


def _finding_lines(findings: list[dict[str, Any]]) -> list[str]:
    """`rule  ! CODE: message`, marked by severity: `!` a problem, `?` a warning (as `--json` says)."""
    lines = []
    for finding in findings:
        mark = "!" if finding["severity"] == "problem" else "?"
        lines.append(row("rule", f"{mark} {finding['code']}: {finding['message']}"))
    return lines


def report_text(report: dict[str, Any], with_prompt: bool = False) -> list[str]:
    """The report of a file being read, or of a stored image (whose width/height are the file's)."""
    if "generation_width" in report:
        report = {**report, "width": report["generation_width"], "height": report["generation_height"]}
    return report_lines(report, with_prompt)


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
