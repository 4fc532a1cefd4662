"""Two posts crossfaded into one picture: how often `tracker match` lists both, one or neither.

    PYTHONPATH=. python tests/benchmarks/crossfade_recall.py [--limit 40] [--synthetic 0] [--pairs 30] [--workers 2]

- **Originals** as in `matching.py` (corpus images plus `--synthetic` generated ones); every `--unlogged-every`-th
  is **unlogged** (not in the index).
- **Queries**: `--pairs` pairs of logged originals (picked by a fixed seed), the second resized to the first and
  blended at 55 % over it, saved as JPEG 85; then up to 10 logged originals each blended with an unlogged one (the
  unlogged one 55 % or 45 % of the picture, in turn).
- **Scores** from `rank.rank_image` at the shipped rule (min_score `MATCH_SCORE`, the pixel check on), the path
  `tracker match` takes.
- **Table**: pairs with both posts listed, one, none; and queries that listed a logged post not in them (must be 0).
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from PIL import Image

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
for _path in (str(REPO), str(HERE)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

import matching  # noqa: E402
from match_accuracy import DEFAULT_CORPUS, table  # noqa: E402
from matching import _init_worker, log, split_originals  # noqa: E402

from tracker.matching.rank import rank_image  # noqa: E402
from tracker.matching.similarity import MATCH_SCORE, StoredHashes  # noqa: E402

Job = tuple[str, str, int, int, float]
"""(first png, second png, first's index row, second's or -1 when unlogged, the second's share of the picture)."""


def _open(png: str) -> Image.Image:
    with Image.open(png) as opened:
        return opened.convert("RGB")


def run_pair(job: Job) -> tuple[int, int, list[int], float]:
    """(first row, second row, the rows listed at the shipped rule, seconds) of one crossfade."""
    first_png, second_png, first, second, part = job
    a = _open(first_png)
    buffer = io.BytesIO()
    Image.blend(a, _open(second_png).resize(a.size), part).save(buffer, format="JPEG", quality=85)
    query = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    assert matching._INDEX is not None
    started = time.perf_counter()
    found = rank_image(matching._INDEX, query, pixels=matching._archived)
    return first, second, [c.id for c in found if c.score >= MATCH_SCORE], time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="corpus folder with manifest.json")
    parser.add_argument("--synthetic", type=int, default=0, help="generated originals to add (default 0)")
    parser.add_argument("--limit", type=int, default=40, help="use at most N originals (default 40)")
    parser.add_argument("--pairs", type=int, default=30, help="crossfades of two logged originals (default 30)")
    parser.add_argument("--workers", type=int, default=2, help="processes")
    parser.add_argument("--unlogged-every", type=int, default=5, help="every N-th original is left out of the index")
    parser.add_argument("--show-misses", action="store_true", help="list the pairs not both listed, with their names")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tracker-bench-crossfade-") as tmp:
        logged, unlogged = split_originals(args, tmp)
        log(f"{len(logged) + len(unlogged)} originals: {len(logged)} logged, {len(unlogged)} unlogged")
        rng = random.Random("crossfade")
        jobs: list[Job] = []
        for _ in range(args.pairs):
            i, j = rng.sample(range(len(logged)), 2)
            jobs.append((logged[i].png, logged[j].png, i, j, 0.55))
        for k, other in enumerate(unlogged[:10]):
            i = rng.randrange(len(logged))
            jobs.append((logged[i].png, other.png, i, -1, 0.55 if k % 2 else 0.45))
        stored = StoredHashes.from_rows([(row, o.hashes) for row, o in enumerate(logged)])
        with ProcessPoolExecutor(
            args.workers, initializer=_init_worker, initargs=(stored, [o.png for o in logged])
        ) as pool:
            results = list(pool.map(run_pair, jobs, chunksize=1))
    counts = {"both": 0, "one": 0, "none": 0}
    wrong: list[str] = []
    misses: list[str] = []
    for first, second, listed, _ in results:
        shown = {first, second} - {-1}
        if set(listed) - shown:
            wrong.append(f"{first} + {second}: listed {listed}")
        if second >= 0:
            counts[("none", "one", "both")[len(shown & set(listed))]] += 1
            if len(shown & set(listed)) < 2:
                names = " + ".join(logged[row].spec.key for row in (first, second))
                misses.append(f"{names}: listed {[logged[row].spec.key for row in listed]}")
    pairs = len(jobs) - sum(second < 0 for _, second, _, _ in results)
    rows = [[name, f"{n}/{pairs}"] for name, n in counts.items()]
    rows.append(["listed a post not in them", f"{len(wrong)}/{len(jobs)}"])
    print(table(["crossfades of two logged posts", "queries"], rows))
    times = np.array([took for *_, took in results])
    print(f"query time: median {1000 * np.median(times):.0f} ms, p95 {1000 * np.quantile(times, 0.95):.0f} ms")
    for line in wrong:
        print(f"WRONG: {line}")
    for line in misses if args.show_misses else []:
        print(f"missed: {line}")


if __name__ == "__main__":
    main()
