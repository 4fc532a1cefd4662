"""Per-generator comparison of tracker's reader with sd-parsers and sd-prompt-reader (run by hand).

    python tests/benchmarks/compare_readers.py [--venv DIR] [--corpus DIR] [--json] [--show FILE_SUBSTRING]

For every generator label of ../shared/corpus/manifest.json it prints how many files each reader
gets fully right (every scored manifest field, judged by tests/corpus_check.compare) and a
lenient score that only looks at generator, prompt_start, negative_start, seed, steps, cfg,
sampler, width, height and model name, restricted for the anchor libraries to the fields they
can express for that file (tracker is held to all ten).

The anchors are not tracker dependencies: they are installed into a throwaway virtualenv outside
the repository (default ~/.cache/tracker-bench/anchors, reused when it already has the pinned
versions) and run there by anchor_readers.py as a subprocess, while tracker's reader runs in this
process. sd-prompt-reader 1.3.5 pins Pillow==10.3.0 for its GUI while sd-parsers 0.6 needs
Pillow>=10.4, so sd-prompt-reader goes in with --no-deps plus piexif, the one other package its
reader imports (its utility module is written to run without the GUI packages).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(1, str(HERE.parents[1]))

from fixtures.corpus_check import CORPUS, REPO, compare, manifest_entries, observed  # noqa: E402

from tracker.metadata.reader import read_image  # noqa: E402

DEFAULT_VENV = Path.home() / ".cache" / "tracker-bench" / "anchors"
ANCHOR_SCRIPT = HERE / "anchor_readers.py"
PINS = {"sd-parsers": "0.6", "sd-prompt-reader": "1.3.5"}
TRACKER = "tracker"
SD_PARSERS = "sd-parsers"
SD_PROMPT_READER = "sd-prompt-reader"
READERS = (TRACKER, SD_PARSERS, SD_PROMPT_READER)
LENIENT_FIELDS = (
    "generator",
    "prompt_start",
    "negative_start",
    "seed",
    "steps",
    "cfg",
    "sampler",
    "width",
    "height",
    "model",
)
SHOW_FIELDS = (
    "generator",
    "stealth",
    "prompt_start",
    "negative_start",
    "seed",
    "steps",
    "cfg",
    "sampler",
    "width",
    "height",
    "model",
    "vae",
    "loras",
    "image_inputs",
    "samplers",
)


@dataclass
class Verdict:
    """One reader on one file: its observed values and how they score."""

    got: dict[str, Any] | None
    error: str | None
    diffs: list[str]
    lenient_diffs: list[str]
    provided: list[str] = field(default_factory=list)

    @property
    def right(self) -> bool:
        """Fully right: no difference on any scored field."""
        return not self.diffs

    @property
    def lenient_right(self) -> bool:
        """Right on the reduced field set (only the fields the reader provides)."""
        return not self.lenient_diffs


# --- scoring ------------------------------------------------------------------------------------


def lenient_compare(expected: dict[str, Any], got: dict[str, Any], provided: list[str] | tuple[str, ...]) -> list[str]:
    """Differences on the reduced field set that `provided` covers (model: its name only)."""
    fields = [f for f in LENIENT_FIELDS if f in provided]
    want: dict[str, Any] = {"unscored": expected.get("unscored") or []}
    have: dict[str, Any] = {}
    for name in fields:
        want[name] = expected.get(name)
        have[name] = got.get(name)
        if name == "model":
            want[name] = (expected.get("model") or {}).get("name")
            have[name] = (got.get("model") or {}).get("name") if isinstance(got.get("model"), dict) else None
    return compare(want, have)


def judge(expected: dict[str, Any], got: dict[str, Any] | None, error: str | None, provided: Any) -> Verdict:
    """Score one reader's answer; a failure to read counts as right only for the unreadable file."""
    if got is None:
        if expected.get("unreadable"):
            return Verdict(None, error, [], [], [])
        reason = [f"error: {error or 'no result'}"]
        return Verdict(None, error, reason, reason, [])
    provided = list(provided)
    return Verdict(got, error, compare(expected, got), lenient_compare(expected, got, provided), provided)


def run_tracker(corpus: Path, entry: dict[str, Any]) -> Verdict:
    """Tracker's reader on one manifest file (in this process)."""
    try:
        reading = read_image(corpus / entry["file"])
        got = observed(reading.info, reading.stealth.signature if reading.stealth else None)
    except Exception as exc:  # noqa: BLE001 - ImageReadError and any bug: one failed file, never abort
        return judge(entry["expected"], None, f"{type(exc).__name__}: {exc}", [])
    return judge(entry["expected"], got, None, LENIENT_FIELDS)


# --- the throwaway anchor environment -----------------------------------------------------------


def _venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _clean_env() -> dict[str, str]:
    """This environment minus what would leak tracker's interpreter setup into the anchor venv."""
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}}
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def _installed_versions(python: Path) -> dict[str, str | None]:
    code = (
        "import importlib.metadata as m, json, sys\n"
        "out = {}\n"
        "for name in sys.argv[1:]:\n"
        "    try:\n"
        "        out[name] = m.version(name)\n"
        "    except m.PackageNotFoundError:\n"
        "        out[name] = None\n"
        "print(json.dumps(out))\n"
    )
    proc = subprocess.run(
        [str(python), "-c", code, *PINS, "piexif", "pillow"],
        capture_output=True,
        text=True,
        env=_clean_env(),
        check=False,
    )
    if proc.returncode != 0:
        return {}
    return json.loads(proc.stdout)


def _ready(versions: dict[str, str | None]) -> bool:
    """The pinned anchors, piexif, and a Pillow recent enough for sd-parsers (>= 10.4)."""
    pillow = tuple(int(p) for p in (versions.get("pillow") or "0.0").split(".")[:2] if p.isdigit())
    return (
        all(versions.get(name) == pin for name, pin in PINS.items())
        and bool(versions.get("piexif"))
        and pillow >= (10, 4)
    )


def ensure_anchor_venv(venv: Path, log: Any) -> Path:
    """Create or reuse the throwaway virtualenv with the pinned anchor libraries; return its python."""
    venv = venv.expanduser().resolve()
    if venv == Path(sys.prefix).resolve() or venv.is_relative_to(REPO.resolve()):
        raise SystemExit(
            f"refusing to install the anchor libraries into {venv}: use a throwaway folder outside the repo"
        )
    python = _venv_python(venv)
    if not python.exists():
        print(f"creating the anchor virtualenv at {venv}", file=log)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, env=_clean_env())
    versions = _installed_versions(python)
    if _ready(versions):
        return python
    print(f"installing sd-parsers {PINS['sd-parsers']} and sd-prompt-reader {PINS['sd-prompt-reader']}", file=log)
    steps = [
        ["install", "--quiet", f"sd-parsers=={PINS['sd-parsers']}"],
        ["install", "--quiet", "--no-deps", f"sd-prompt-reader=={PINS['sd-prompt-reader']}"],
        ["install", "--quiet", "piexif>=1.1.3,<1.2"],
    ]
    for args in steps:
        proc = subprocess.run(
            [str(python), "-m", "pip", *args], capture_output=True, text=True, env=_clean_env(), check=False
        )
        if proc.returncode != 0:
            detail = "\n".join(line for line in proc.stderr.splitlines() if "is ignored" not in line)
            raise SystemExit(f"pip {' '.join(args)} failed in {venv}:\n{detail[-3000:]}")
    versions = _installed_versions(python)
    if not _ready(versions):
        raise SystemExit(f"the anchor virtualenv at {venv} has {versions}, expected {PINS}")
    return python


def start_anchors(python: Path, corpus: Path, only: str | None) -> tuple[subprocess.Popen[bytes], Path, Path]:
    """Start anchor_readers.py in the anchor venv; its JSON lines go to a temporary file."""
    tmp = Path(tempfile.mkdtemp(prefix="tracker-bench-"))
    out, err = tmp / "anchors.jsonl", tmp / "anchors.stderr"
    cmd = [str(python), str(ANCHOR_SCRIPT), str(corpus)]
    if only:
        cmd += ["--only", only]
    with out.open("wb") as stdout, err.open("wb") as stderr:
        proc = subprocess.Popen(cmd, stdout=stdout, stderr=stderr, env=_clean_env(), cwd=tmp)
    return proc, out, err


def collect_anchors(out: Path) -> dict[tuple[str, str], dict[str, Any]]:
    """The anchor run's lines keyed by (file, reader)."""
    lines: dict[tuple[str, str], dict[str, Any]] = {}
    for raw in out.read_text(encoding="utf-8").splitlines():
        try:
            line = json.loads(raw)
        except ValueError:
            continue
        lines[(line["file"], line["reader"])] = line
    return lines


# --- output -------------------------------------------------------------------------------------


def _cell(value: Any, width: int) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def show_file(entry: dict[str, Any], verdicts: dict[str, Verdict], width: int = 34) -> None:
    """Print the expected value and the three readers' observed values field by field (`*` = differs)."""
    expected = entry["expected"]
    print(f"--- {entry['file']}  [{entry['format']}]")
    head = f"  {'field':<15}{'expected':<{width + 2}}" + "".join(f"{r:<{width + 2}}" for r in READERS)
    print(head)
    for name in SHOW_FIELDS:
        cells = [" " + _cell(expected.get(name), width - 1)]
        for reader in READERS:
            verdict = verdicts[reader]
            if verdict.got is None:
                cells.append("-")
                continue
            wrong = any(d.startswith(f"{name}:") for d in verdict.diffs)
            mark = "*" if wrong else " "
            cells.append(mark + _cell(verdict.got.get(name), width - 1))
        print(f"  {name:<15}" + "".join(f"{c:<{width + 2}}" for c in cells))
    for reader in READERS:
        verdict = verdicts[reader]
        status = "fully right" if verdict.right else f"{len(verdict.diffs)} difference(s)"
        lenient = "right" if verdict.lenient_right else "wrong"
        extra = f"; error: {verdict.error}" if verdict.error else ""
        print(f"  {reader}: {status}; lenient {lenient}{extra}")
    if expected.get("unscored"):
        print(f"  unscored: {', '.join(expected['unscored'])}")
    print()


def print_table(
    labels: list[str], files: Counter[str], right: dict[str, Counter[str]], lenient: dict[str, Counter[str]]
) -> None:
    """The per-generator table: files, fully-right counts, lenient counts, totals."""
    short = {TRACKER: "tracker", SD_PARSERS: "sd-parsers", SD_PROMPT_READER: "sd-prompt-rd"}
    head = f"{'generator':<14}{'files':>6}  " + "".join(f"{short[r]:>13}" for r in READERS)
    head += "  |" + "".join(f"{short[r]:>13}" for r in READERS)
    print(f"{'':<22}{'fully right':^39}  |{'lenient (10 core fields)':^39}")
    print(head)
    print("-" * len(head))
    for label in [*labels, "all"]:
        if label == "all":
            print("-" * len(head))
        n = files[label]
        row = f"{label:<14}{n:>6}  " + "".join(f"{right[r][label]:>13}" for r in READERS)
        row += "  |" + "".join(f"{lenient[r][label]:>13}" for r in READERS)
        print(row)


def main() -> None:
    """Set up the anchors, run all three readers on the corpus, print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--venv", type=Path, default=DEFAULT_VENV, help=f"anchor virtualenv (default {DEFAULT_VENV})")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help=f"corpus folder (default {CORPUS})")
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON instead of the table")
    parser.add_argument("--show", metavar="FILE_SUBSTRING", help="print the readers' values for matching files")
    parser.add_argument("--only", metavar="FILE_SUBSTRING", help="score only the files whose path contains this")
    args = parser.parse_args()

    started = time.perf_counter()
    corpus = args.corpus.resolve()
    if corpus == CORPUS.resolve():
        entries = manifest_entries()
    else:
        manifest = corpus / "manifest.json"
        entries = json.loads(manifest.read_text()) if manifest.is_file() else []
    if not entries:
        sys.exit(f"no corpus manifest at {corpus}")
    if args.only:
        entries = [e for e in entries if args.only in e["file"]]
    log = sys.stderr if args.json else sys.stdout

    python = ensure_anchor_venv(args.venv, log)
    setup_seconds = time.perf_counter() - started
    proc, out_path, err_path = start_anchors(python, corpus, args.only)

    tracker_started = time.perf_counter()
    tracker_verdicts = {entry["file"]: run_tracker(corpus, entry) for entry in entries}
    tracker_seconds = time.perf_counter() - tracker_started

    returncode = proc.wait()
    anchor_seconds = time.perf_counter() - tracker_started
    lines = collect_anchors(out_path)
    anchor_failure = None
    if returncode != 0:
        tail = err_path.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-5:]
        anchor_failure = f"anchor_readers.py exited {returncode}: " + " | ".join(tail)
        print(f"warning: {anchor_failure}", file=sys.stderr)

    files: Counter[str] = Counter()
    right = {r: Counter[str]() for r in READERS}
    lenient = {r: Counter[str]() for r in READERS}
    errors: Counter[str] = Counter()
    per_file = []
    for entry in entries:
        expected = entry["expected"]
        label = expected["generator"]
        verdicts = {TRACKER: tracker_verdicts[entry["file"]]}
        for reader in (SD_PARSERS, SD_PROMPT_READER):
            line = lines.get((entry["file"], reader))
            if line is None:
                verdicts[reader] = judge(expected, None, anchor_failure or "no output from anchor_readers.py", [])
            else:
                verdicts[reader] = judge(expected, line["result"], line["error"], line.get("provided") or [])
        for reader, verdict in verdicts.items():
            for bucket in (label, "all"):
                right[reader][bucket] += verdict.right
                lenient[reader][bucket] += verdict.lenient_right
            if verdict.error and not expected.get("unreadable"):
                errors[reader] += 1
        files[label] += 1
        files["all"] += 1
        per_file.append(
            {
                "file": entry["file"],
                "generator": label,
                **{
                    reader: {
                        "right": v.right,
                        "lenient_right": v.lenient_right,
                        "provided": v.provided,
                        "error": v.error,
                        "diffs": v.diffs,
                        "observed": v.got,
                    }
                    for reader, v in verdicts.items()
                },
            }
        )
        if args.show and args.show in entry["file"] and not args.json:
            show_file(entry, verdicts)

    labels = sorted((k for k in files if k != "all"), key=lambda k: (-files[k], k))
    seconds = time.perf_counter() - started
    if args.json:
        report = {
            "corpus": str(corpus),
            "anchor_venv": str(args.venv.expanduser()),
            "versions": PINS,
            "seconds": round(seconds, 1),
            "anchor_failure": anchor_failure,
            "lenient_fields": list(LENIENT_FIELDS),
            "by_generator": {
                label: {
                    "files": files[label],
                    "right": {r: right[r][label] for r in READERS},
                    "lenient_right": {r: lenient[r][label] for r in READERS},
                }
                for label in [*labels, "all"]
            },
            "exceptions": {r: errors[r] for r in READERS},
            "files": [f for f in per_file if not args.show or args.show in f["file"]],
        }
        print(json.dumps(report, indent=1, ensure_ascii=False))
        return
    print_table(labels, files, right, lenient)
    print()
    print(
        "exceptions (file counted wrong): "
        + ", ".join(f"{r} {errors[r]}" for r in READERS)
        + f"   [sd-parsers {PINS['sd-parsers']}, sd-prompt-reader {PINS['sd-prompt-reader']}]"
    )
    print(
        f"took {seconds:.1f} s (anchor setup {setup_seconds:.1f} s, tracker {tracker_seconds:.1f} s, "
        f"anchor run {anchor_seconds:.1f} s, concurrent with tracker)"
    )


if __name__ == "__main__":
    main()
