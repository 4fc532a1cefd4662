"""How fast `hash_model_file` is next to a plain sha256 of the same file, in the same run.

    PYTHONPATH=. python tests/benchmarks/hash_speed.py [--mb 512] [--repeat 3] [--dir DIR]

Writes one temporary file of random bytes laid out as a .safetensors (a real header, then the
payload) and deletes it afterwards. The baseline is `hashlib.file_digest(f, "sha256")`, the
standard library's own fastest whole-file hash. `hash_model_file` is timed twice on the same bytes:
as `.safetensors` (sha256 + AutoV1 + addnet, the worst case: two sha256 over almost the whole file)
and as `.ckpt` (sha256 + AutoV1). The file is read once first so every run hashes from the page
cache, which measures the hashing rather than the disk; runs alternate so a busy moment hurts all
three alike, and each row shows the best and the median of `--repeat` runs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import struct
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tracker.resources.file_hashes import hash_model_file


def _write_file(path: Path, megabytes: int) -> None:
    header = json.dumps(
        {
            "__metadata__": {"ss_output_name": "bench"},
            "w": {"dtype": "U8", "shape": [megabytes << 20], "data_offsets": [0, megabytes << 20]},
        }
    ).encode()
    with path.open("wb") as handle:
        handle.write(struct.pack("<Q", len(header)) + header)
        for _ in range(megabytes // 16):
            handle.write(os.urandom(16 << 20))
        handle.write(os.urandom((megabytes % 16) << 20))


def _plain_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _time(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=512, help="file size in MiB (default 512)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each (default 3)")
    parser.add_argument("--dir", type=Path, default=None, help="where to write the file (default: the temp dir)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="tracker-hash-bench-", dir=args.dir) as tmp:
        lora = Path(tmp) / "bench.safetensors"
        _write_file(lora, args.mb)
        ckpt = Path(tmp) / "bench.ckpt"
        os.link(lora, ckpt)  # the same bytes under a name without an addnet hash
        size_mb = lora.stat().st_size / (1 << 20)
        _plain_sha256(lora)  # warm the page cache

        expected = _plain_sha256(lora)
        assert hash_model_file(lora).sha256 == expected

        cases: dict[str, Callable[[], object]] = {
            "hashlib.file_digest sha256 (baseline)": lambda: _plain_sha256(lora),
            "hash_model_file .safetensors (sha256+AutoV1+addnet)": lambda: hash_model_file(lora),
            "hash_model_file .ckpt (sha256+AutoV1)": lambda: hash_model_file(ckpt),
        }
        times: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(args.repeat):
            for name, fn in cases.items():
                times[name].append(_time(fn))

    baseline = min(times[next(iter(cases))])
    width = max(len(name) for name in cases)
    print(f"{size_mb:.0f} MiB file, {args.repeat} runs each, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    print(f"{'':{width}}  {'best MiB/s':>11}  {'median MiB/s':>12}  {'time vs baseline':>16}")
    for name, runs in times.items():
        best, median = min(runs), statistics.median(runs)
        print(f"{name:{width}}  {size_mb / best:11.0f}  {size_mb / median:12.0f}  {best / baseline:15.2f}x")


if __name__ == "__main__":
    main()
