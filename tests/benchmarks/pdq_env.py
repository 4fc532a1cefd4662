"""PDQ hashes for the matching benchmark, computed in a throwaway virtualenv (the "PDQ anchor").

    PYTHONPATH=. python tests/benchmarks/pdq_env.py [--venv DIR] [--n 20] [--workers 2]

pdqhash is not a tracker dependency, so - like the metadata anchors of compare_readers.py - it
lives in its own virtualenv outside the repository (default ~/.cache/tracker-bench/pdq, reused
when it already has the pinned versions) and `pdq_anchor.py` runs there as a subprocess.

    from pdq_env import ensure_pdq_venv, pdq_hashes, hamming_hex

    results = pdq_hashes([Path("a.png"), Path("b.jpg")])   # creates/reuses the venv
    # {Path("a.png"): {"path": "/abs/a.png", "pdq": "<64 hex>", "quality": 100, "pdq_flip": "<64 hex>",
    #                  "flip_source": "dihedral[5]", "decode_ms": 12.3, "hash_ms": 11.4}, ...}
    # or {"path": ..., "error": "..."} for a file that could not be hashed
    hamming_hex(results[a]["pdq"], results[b]["pdq"])      # 0..256

pdqhash 0.2.8 has no binary wheel for CPython 3.11 on Linux x86-64: pip builds it from the sdist
(Cython + the C++ reference code, build dependency numpy >= 2.0), which needs a C++ compiler and
takes ~15 s the first time here. numpy and Pillow are pinned to the versions of the dev venv
(the hashing-baseline measurements), so both sides decode images with the same Pillow.

Run as a script it is the end-to-end self-check: it hashes ~20 corpus images (PNG/JPEG/WEBP from
the corpus manifest) plus their hflip / resize50 / jpeg70 copies and prints the distances.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, TextIO

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
DEFAULT_VENV = Path("~/.cache/tracker-bench/pdq")
ANCHOR_SCRIPT = HERE / "pdq_anchor.py"
# Distribution name -> exact version. pdqhash is the anchor; numpy/Pillow match the dev venv.
PINS: dict[str, str] = {"pdqhash": "0.2.8", "numpy": "2.4.6", "pillow": "13.0.0"}

# Runs in the venv: versions of the pins, and whether pdqhash really imports and hashes
# (a wheel/sdist built against another numpy ABI imports fine as metadata but fails here).
_PROBE = """
import importlib.metadata as m, json, sys
out = {}
for name in sys.argv[1:]:
    try:
        out[name] = m.version(name)
    except m.PackageNotFoundError:
        out[name] = None
try:
    import numpy as np, pdqhash, PIL.Image
    vec, quality = pdqhash.compute(np.zeros((64, 64, 3), dtype=np.uint8))
    out["_works"] = len(vec) == 256
except Exception as exc:
    out["_works"] = False
    out["_error"] = f"{type(exc).__name__}: {exc}"
print(json.dumps(out))
"""


# --- the throwaway environment ------------------------------------------------------------------


def _venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _clean_env() -> dict[str, str]:
    """This environment minus what would leak the dev interpreter's setup into the PDQ venv."""
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}}
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def _probe(python: Path) -> dict[str, Any]:
    if not python.exists():
        return {}
    proc = subprocess.run(
        [str(python), "-c", _PROBE, *PINS], capture_output=True, text=True, env=_clean_env(), check=False
    )
    if proc.returncode != 0:
        return {}
    try:
        result: dict[str, Any] = json.loads(proc.stdout)
    except ValueError:
        return {}
    return result


def _ready(found: dict[str, Any]) -> bool:
    return all(found.get(name) == pin for name, pin in PINS.items()) and bool(found.get("_works"))


def _resolve_venv(venv: Path) -> Path:
    venv = venv.expanduser().resolve()
    if venv == Path(sys.prefix).resolve() or venv.is_relative_to(REPO.resolve()):
        raise SystemExit(f"refusing to install pdqhash into {venv}: use a throwaway folder outside the repo")
    return venv


def ensure_pdq_venv(venv: Path = DEFAULT_VENV, log: TextIO = sys.stderr) -> Path:
    """Create or reuse the virtualenv with pdqhash==0.2.8, numpy and Pillow; return its python.

    Refuses the running interpreter's own environment and any folder inside the repository. A venv
    that already has the pinned versions (and whose pdqhash actually hashes) is reused without
    touching the network.
    """
    venv = _resolve_venv(venv)
    python = _venv_python(venv)
    if _ready(_probe(python)):
        return python
    if not python.exists():
        print(f"creating the PDQ virtualenv at {venv}", file=log)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, env=_clean_env())
    pins = [f"{name}=={version}" for name, version in PINS.items()]
    print(f"installing {' '.join(pins)} into {venv} (pdqhash builds from its sdist)", file=log)
    started = time.perf_counter()
    proc = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", *pins],
        capture_output=True,
        text=True,
        env=_clean_env(),
        check=False,
    )
    if proc.returncode != 0:
        detail = "\n".join(line for line in proc.stderr.splitlines() if "is ignored" not in line)
        raise SystemExit(f"pip install {' '.join(pins)} failed in {venv}:\n{detail[-3000:]}")
    found = _probe(python)
    if not _ready(found):
        raise SystemExit(f"the PDQ virtualenv at {venv} has {found}, expected {PINS} and a working pdqhash")
    print(f"PDQ virtualenv ready in {time.perf_counter() - started:.0f} s", file=log)
    return python


# --- hashing ------------------------------------------------------------------------------------


def hamming_hex(a: str, b: str) -> int:
    """Number of differing bits between two equal-length hex strings (e.g. two PDQ hashes)."""
    if len(a) != len(b):
        raise ValueError(f"hex strings of different length: {len(a)} and {len(b)}")
    return (int(a, 16) ^ int(b, 16)).bit_count()


def pdq_hashes(
    paths: list[Path],
    venv: Path | None = None,
    workers: int = 2,
    *,
    exact_flip: bool = False,
    log: TextIO = sys.stderr,
) -> dict[Path, dict[str, Any]]:
    """PDQ of every file, computed by pdq_anchor.py in the PDQ venv (`workers` processes in parallel).

    Keys are the given Path objects; values are pdq_anchor.py's JSON lines: `pdq` / `pdq_flip`
    (64 hex digits each), `quality`, `flip_source`, `decode_ms`, `hash_ms` - or `error` for a file
    that failed (including files a crashed worker never reached). `venv=None` means the default
    venv. `pdq_flip` comes from compute_dihedral (free, but 0-20 bits off the hash of the mirrored
    pixels); `exact_flip=True` hashes the mirrored pixels instead (twice the hashing time).
    """
    if not paths:
        return {}
    python = ensure_pdq_venv(DEFAULT_VENV if venv is None else venv, log)
    by_abs: dict[str, list[Path]] = {}
    for path in paths:
        text = str(Path(path).expanduser().resolve())
        if "\n" in text or "\r" in text:
            raise ValueError(f"pdq_anchor.py reads one path per line; cannot pass {text!r}")
        by_abs.setdefault(text, []).append(path)
    unique = list(by_abs)
    workers = max(1, min(workers, len(unique)))
    chunks = [unique[i::workers] for i in range(workers)]  # interleaved: similar work per process

    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="tracker-bench-pdq-") as tmp:
        procs: list[tuple[subprocess.Popen[bytes], Path, Path]] = []
        for i, chunk in enumerate(chunks):
            listing, out, err = Path(tmp, f"paths{i}.txt"), Path(tmp, f"out{i}.jsonl"), Path(tmp, f"err{i}.txt")
            listing.write_text("".join(f"{p}\n" for p in chunk), encoding="utf-8")
            with out.open("wb") as stdout, err.open("wb") as stderr:
                cmd = [str(python), str(ANCHOR_SCRIPT), str(listing), "--flip", "exact" if exact_flip else "dihedral"]
                procs.append((subprocess.Popen(cmd, stdout=stdout, stderr=stderr, env=_clean_env(), cwd=tmp), out, err))
        failures: list[str] = []
        for proc, out, err in procs:
            code = proc.wait()
            for raw in out.read_text(encoding="utf-8").splitlines():
                try:
                    line = json.loads(raw)
                except ValueError:
                    continue
                if isinstance(line, dict) and isinstance(line.get("path"), str):
                    results[line["path"]] = line
            if code != 0:
                tail = err.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-5:]
                failures.append(f"pdq_anchor.py exited {code}: " + " | ".join(tail))
    for failure in failures:
        print(f"warning: {failure}", file=log)
    missing = "; ".join(failures) or "no output from pdq_anchor.py"
    answer: dict[Path, dict[str, Any]] = {}
    for text, originals in by_abs.items():
        line = results.get(text, {"path": text, "error": missing})
        for original in originals:
            answer[original] = line
    return answer


# --- self-check ---------------------------------------------------------------------------------


def _corpus_images(n: int) -> list[Path]:
    """The first n PNG/JPEG/WEBP files of the corpus manifest, spread over the formats."""
    corpus = REPO.parent / "shared" / "corpus"
    entries = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    by_format: dict[str, list[Path]] = {"PNG": [], "JPEG": [], "WEBP": []}
    for entry in entries:
        fmt = entry.get("format")
        if fmt in by_format and not (entry.get("expected") or {}).get("unreadable"):
            by_format[fmt].append(corpus / entry["file"])
    picked: list[Path] = []
    while len(picked) < n and any(by_format.values()):
        for files in by_format.values():
            if files and len(picked) < n:
                picked.append(files.pop(0))
    return picked


def main() -> None:
    """Hash corpus images and transformed copies in the PDQ venv; print distances and timing."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--venv", type=Path, default=DEFAULT_VENV, help=f"PDQ virtualenv (default {DEFAULT_VENV})")
    parser.add_argument("--n", type=int, default=20, help="corpus images to use (default 20)")
    parser.add_argument("--workers", type=int, default=2, help="anchor processes (default 2)")
    parser.add_argument("--exact-flip", action="store_true", help="pdq_flip from the mirrored pixels")
    args = parser.parse_args()

    sys.path.insert(0, str(HERE))
    from PIL import Image
    from transforms import TRANSFORMS, encoded_bytes, seeded_rng

    started = time.perf_counter()
    ensure_pdq_venv(args.venv)
    print(f"venv ready/checked in {time.perf_counter() - started:.1f} s")
    originals = _corpus_images(args.n)
    names = ("hflip", "resize50", "jpeg70")
    with tempfile.TemporaryDirectory(prefix="tracker-bench-pdqcheck-") as tmp:
        copies: dict[tuple[Path, str], Path] = {}
        flat: dict[Path, Path] = {}
        for i, path in enumerate(originals):
            with Image.open(path) as opened:
                opened.load()
                if opened.mode in {"RGBA", "LA", "PA"} or "transparency" in opened.info:
                    rgba = opened.convert("RGBA")
                    image = Image.new("RGB", rgba.size, (255, 255, 255))
                    image.paste(rgba, mask=rgba.getchannel("A"))
                else:
                    image = opened.convert("RGB")
            flat[path] = Path(tmp, f"{i:03d}_orig.png")
            image.save(flat[path], compress_level=1)
            for name in names:
                rng = seeded_rng(path.name, name)
                if name in {"jpeg70", "jpeg40", "webp60"}:
                    data, ext = encoded_bytes(name, image)
                else:
                    data, ext = encoded_bytes(name, TRANSFORMS[name](image, rng))
                copies[(path, name)] = Path(tmp, f"{i:03d}_{name}.{ext}")
                copies[(path, name)].write_bytes(data)
        everything = [*originals, *flat.values(), *copies.values()]
        t0 = time.perf_counter()
        res = pdq_hashes(everything, args.venv, workers=args.workers, exact_flip=args.exact_flip)
        wall = time.perf_counter() - t0
    errors = {p: r["error"] for p, r in res.items() if "error" in r}
    for p, e in errors.items():
        print(f"ERROR {p}: {e}")
    ok = [r for r in res.values() if "error" not in r]
    hash_ms = sorted(r["hash_ms"] for r in ok)
    decode_ms = sorted(r["decode_ms"] for r in ok)
    print(
        f"{len(everything)} files in {wall:.1f} s wall with {args.workers} workers "
        f"({1000 * wall / len(everything):.0f} ms/file incl. start-up); per file: "
        f"hash median {hash_ms[len(hash_ms) // 2]:.0f} ms (max {hash_ms[-1]:.0f}), "
        f"decode median {decode_ms[len(decode_ms) // 2]:.0f} ms"
    )
    print(f"{'file':<60}{'q':>4}{'vsflat':>7}{'resize50':>9}{'jpeg70':>7}{'hflip':>6}{'flip*':>6}")
    worst: dict[str, int] = {}
    for path in originals:
        if "error" in res[path] or "error" in res[flat[path]]:
            continue
        base = res[flat[path]]
        row = {
            "vsflat": hamming_hex(res[path]["pdq"], base["pdq"]),
            "resize50": hamming_hex(res[copies[(path, "resize50")]]["pdq"], base["pdq"]),
            "jpeg70": hamming_hex(res[copies[(path, "jpeg70")]]["pdq"], base["pdq"]),
            "hflip": hamming_hex(res[copies[(path, "hflip")]]["pdq"], base["pdq"]),
            "flip*": hamming_hex(res[copies[(path, "hflip")]]["pdq"], base["pdq_flip"]),
        }
        for key, value in row.items():
            worst[key] = max(worst.get(key, 0), value)
        label = str(path.relative_to(REPO.parent / "shared" / "corpus" / "files"))[-58:]
        print(f"{label:<60}{base['quality']:>4}" + "".join(f"{row[k]:>{len(k) + 1}}" for k in row))
    print("max: " + ", ".join(f"{k} {v}" for k, v in worst.items()))
    print("(vsflat: stored file vs its alpha-flattened PNG; flip*: hflip copy vs the original's pdq_flip)")
    if errors or worst.get("resize50", 99) >= 30 or worst.get("flip*", 99) >= 30:
        raise SystemExit("self-check FAILED")
    print("self-check ok")


if __name__ == "__main__":
    main()
