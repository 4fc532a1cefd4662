"""Speed of the similarity engine and of `tracker import`, printed as tables.

    PYTHONPATH=. python tests/benchmarks/match_speed.py [--corpus DIR] [--sizes 10000,100000,1000000] [--repeat 7]

1. Import throughput on the corpus images (read in place from ../shared/corpus, archived into a
   temporary folder) next to Pillow's decode-only throughput on the same files in the same run:
   the floor, since import must decode every file too. Both are given per core: decode-only runs
   in one process; import runs with 1 worker and with 2 (both cores), and its CPU use is
   measured from the worker processes' CPU time.
2. Query time on synthetic archives of 10k, 100k and 1M images (random hashes plus the planted
   true image): whole-image search (upright and mirrored), and the full search with region
   matching (~1,000 dense windows of a real query image against every stored window); the
   time to save and load the index file; the peak memory of this process.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tracker.matching import hashing  # noqa: E402
from tracker.matching.similarity import STORED_REGIONS, MatchIndex, StoredHashes  # noqa: E402


def corpus_files(corpus: Path) -> list[Path]:
    manifest = json.loads((corpus / "manifest.json").read_text())
    files = []
    for entry in manifest:
        path = corpus / entry["file"]
        try:
            with Image.open(path) as img:
                img.load()
        except Exception:
            continue  # the corpus keeps one deliberately unreadable file
        files.append(path)
    return files


def decode_only(files: list[Path]) -> float:
    start = time.perf_counter()
    for path in files:
        with Image.open(path) as img:
            img.load()
    return time.perf_counter() - start


def tracker_decode_only(files: list[Path]) -> float:
    """Decoding alone as `read_image` decodes: libspng for plain PNGs, JPEG drafted, Pillow for the rest."""
    from tracker.metadata.reader import _decode

    start = time.perf_counter()
    for path in files:
        _decode(path.read_bytes(), path.name)
    return time.perf_counter() - start


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_import(files: list[Path], workers: int, pillow_png: bool = False) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds of this process, CPU seconds of the workers) for one import.

    `pillow_png` switches libspng off, so every PNG is decoded by Pillow as in the floor.
    """
    from tracker.accountability.report import ReportContext
    from tracker.accountability.risk import load_risk_table
    from tracker.accountability.rules import RuleLists
    from tracker.db.session import open_database
    from tracker.metadata import pngpixels
    from tracker.posts.importing import Importer
    from tracker.posts.platforms import load_platforms
    from tracker.support.settings import load_settings

    with tempfile.TemporaryDirectory(prefix="tracker-bench-") as tmp:
        settings = load_settings(data_dir=tmp, env={})
        factory = open_database(settings)
        ctx = ReportContext(
            risks=load_risk_table(settings.reference_file("risk.toml")),
            lists=RuleLists.load(settings.data_dir),
            local_file=None,
        )
        platforms = load_platforms(settings.reference_file("platforms.toml"))
        importer = Importer(factory, settings, "bench", platforms, ctx, workers=workers)
        decoder, pngpixels.spng = pngpixels.spng, None if pillow_png else pngpixels.spng
        try:  # the workers are forked from here, so they see the switch too
            own0, kids0 = time.process_time(), children_cpu()
            start = time.perf_counter()
            summary = importer.run(files)
            wall = time.perf_counter() - start
            own, kids = time.process_time() - own0, children_cpu() - kids0
        finally:
            pngpixels.spng = decoder
        if summary.failed:
            print(f"  (import failures: {summary.failed[:3]})", file=sys.stderr)
    return wall, own, kids


def synthetic(n: int, rng: np.random.Generator, planted: hashing.ImageHashes) -> StoredHashes:
    r = len(STORED_REGIONS)

    def col(*shape: int) -> np.ndarray:
        return rng.integers(0, 2**64, size=shape, dtype=np.uint64)

    stored = StoredHashes(
        ids=np.arange(1, n + 1, dtype=np.int64),
        phash=col(n),
        dhash=col(n),
        phash_mirror=col(n),
        dhash_mirror=col(n),
        regions=col(n, r),
        region_dhash=col(n, r),
        region_mask=np.full(n, (1 << r) - 1, dtype=np.int64),
    )
    true = StoredHashes.from_rows([(0, planted)])
    return true.concat(stored.select(np.arange(n) >= 1))


def timed(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(
    n: int,
    rng: np.random.Generator,
    planted: hashing.ImageHashes,
    whole_query: hashing.QueryHashes,
    query: hashing.QueryHashes,
    repeat: int,
) -> str:
    """One table row: an archive of n images searched both ways, saved and loaded."""
    from tracker.matching.index import load_saved, save

    stored = synthetic(n, rng, planted)
    index = MatchIndex(stored)
    whole_ms = timed(lambda: index.search(whole_query, top=20, regions=False), repeat) * 1000
    found_whole = [c.kind for c in index.search(whole_query, top=20, regions=False) if c.id == 0]
    start = time.perf_counter()
    index._region_rows()
    build = time.perf_counter() - start
    region_repeat = max(1, repeat if n <= 100_000 else 3)
    full_ms = timed(lambda: index.search(query, top=20), region_repeat) * 1000
    found_region = [c.kind for c in index.search(query, top=20) if c.id == 0]
    with tempfile.TemporaryDirectory(prefix="tracker-bench-") as tmp:
        path = Path(tmp) / "t.hashindex.npz"
        start = time.perf_counter()
        save(path, stored)
        saved = time.perf_counter() - start
        size = path.stat().st_size / 2**20
        start = time.perf_counter()
        loaded = load_saved(path)
        assert loaded is not None
        MatchIndex(loaded)
        load = time.perf_counter() - start
    return (
        f"| {n:,} | {whole_ms:.1f} | {','.join(found_whole) or 'MISSED'} | {build:.2f} | {full_ms:.0f} | "
        f"{','.join(found_region) or 'MISSED'} | {saved:.2f} | {load:.2f} | {size:.0f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--skip-import", action="store_true")
    args = parser.parse_args()

    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, numpy {np.__version__}\n")
    if not args.skip_import:
        files = corpus_files(args.corpus)
        decode_only(files)  # warm the page cache
        floor = min(decode_only(files) for _ in range(2))
        own_decode = min(tracker_decode_only(files) for _ in range(2))
        rows = [
            ("Pillow decode only (floor)", floor, floor, 0.0),
            ("decode only as tracker decodes (libspng for plain PNGs)", own_decode, own_decode, 0.0),
        ]
        for workers in (1, 2):
            wall, own, kids = run_import(files, workers)
            rows.append((f"tracker import, {workers} worker(s)", wall, own, kids))
        wall, own, kids = run_import(files, 2, pillow_png=True)
        rows.append(("tracker import, 2 workers, every PNG by Pillow", wall, own, kids))
        floor_rate, own_rate = len(files) / floor, len(files) / own_decode
        print(
            f"## Import throughput: {len(files)} corpus files, {sum(f.stat().st_size for f in files) / 2**20:.0f} MiB"
        )
        print(
            "| pipeline | wall s | images/s | CPU used (cores) | images/s per core | ratio to floor per core |"
            " ratio to tracker's decoding |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|")
        for name, wall, own, kids in rows:
            rate = len(files) / wall
            cores = (own + kids) / wall
            per_core = rate / max(1.0, cores)
            print(
                f"| {name} | {wall:.2f} | {rate:.1f} | {cores:.2f} | {per_core:.1f} | {per_core / floor_rate:.2f} |"
                f" {per_core / own_rate:.2f} |"
            )
        print()

    query_image = Image.open(REPO / "data" / "examples" / "forge-example.png")
    query_image.load()
    planted = hashing.image_hashes(query_image)
    crop = query_image.crop(
        (query_image.width // 4, query_image.height // 4, query_image.width * 3 // 4, query_image.height * 3 // 4)
    )
    start = time.perf_counter()
    query = hashing.query_hashes(crop)
    hash_time = time.perf_counter() - start
    whole_query = hashing.query_hashes(query_image)
    rng = np.random.default_rng(4)
    print(
        f"## Query time (median of {args.repeat}); query hashing {hash_time * 1000:.0f} ms, "
        f"{len(query.window_hashes)} windows"
    )
    print(
        "| images | whole-image search ms | found | region index build s | full search with regions ms | found |"
        " index save s | index load s | index MB |"
    )
    print("|---:|---:|---|---:|---:|---|---:|---:|---:|")
    for n in (int(s) for s in args.sizes.split(",")):
        print(measure(n, rng, planted, whole_query, query, args.repeat))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory (max RSS of this process): {peak:.0f} MiB")


if __name__ == "__main__":
    main()
