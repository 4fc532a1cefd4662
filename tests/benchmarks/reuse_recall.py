"""Posts reused inside other pictures, the ways `matching.py` does not make: recall per transform at FPR <= 0.1 %.

    PYTHONPATH=. python tests/benchmarks/reuse_recall.py [--corpus DIR] [--synthetic 20] [--limit 80]
        [--workers 2] [--unlogged-every 5] [--only x_dark,grid_collage] [--json OUT.json] [--sheet DIR] [--show-misses]

- **Originals** as in `matching.py` (corpus images plus `--synthetic` generated ones, read from the corpus folder,
  never copied anywhere but a temporary folder); every `--unlogged-every`-th is **unlogged** (not in the index).
- **Queries**: every `reuse_transforms.REUSE_TRANSFORMS` entry of every original (dark X timeline, story with
  stickers, Discord embed, pixiv page with related works, screenshot at 50 % as JPEG 60, a 30 % cut letterboxed,
  frame + signature, 2x2 / 3x3 grid, screenshot of a screenshot). The pixiv page and the grid also show other
  originals (picked by `seeded_rng`, logged or not): a logged one shown is *present* - finding it is right, so it
  is neither a positive nor a negative of that query; the table counts how many of them were found. Nor is a logged
  original related (below) to any original shown, logged or not.
- **Scores** from `rank.rank_image` with the pixel check, the path `tracker match` takes (`matching._scores`).
- **Related** originals (neither positives nor negatives of each other's queries, nor of a query showing the other):
  those the tracker matches with each other untransformed, and those that are one picture edited (`same_picture`),
  listed.
- **Table**: per transform, recall at one threshold for FPR <= 0.1 % over all negatives, recall and false
  positives at the shipped rule (score >= MATCH_SCORE), present others found, and queries of an unlogged post that
  reported a logged post not in them (must be 0).

Then every false positive with its evidence (`FALSE POSITIVE ...`). About 6 minutes for `--limit 80` with 2 idle cores.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
for _path in (str(REPO), str(HERE)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from match_accuracy import DEFAULT_CORPUS, Original, pick_threshold, table  # noqa: E402
from matching import _init_worker, _scores, log, split_originals  # noqa: E402
from reuse_transforms import OTHERS, REUSE_TRANSFORMS  # noqa: E402
from transforms import seeded_rng  # noqa: E402

from tracker.matching.similarity import MATCH_SCORE, StoredHashes  # noqa: E402

FPR_BUDGET = 1e-3
Job = tuple[str, str, list[tuple[str, int, int]], tuple[str, ...], str | None]
"""(key, png, the other originals (png, index row or -1 when unlogged, place among all originals), names, sheet)."""


def _open(png: str) -> Image.Image:
    with Image.open(png) as opened:
        return opened.convert("RGB")


def run_original(job: Job) -> dict[str, Any]:
    """The identity query and every reuse transform of one original: (scores, seconds, reasons, present rows, the
    places among all originals of every other original shown, logged or not)."""
    key, png, pool, names, sheet = job
    original = _open(png)
    results: dict[str, Any] = {"identity": (*_scores(original), [], [])}
    for name in names:
        rng = seeded_rng(key, f"reuse-{name}")
        picked = rng.sample(pool, min(len(pool), OTHERS.get(name, 0)))
        image = REUSE_TRANSFORMS[name](original, rng, [_open(other) for other, _, _ in picked])
        if sheet:
            image.save(Path(sheet, f"{hashlib.sha1(key.encode()).hexdigest()[:8]}_{name}.jpg"), quality=80)
        results[name] = (*_scores(image), [row for _, row, _ in picked if row >= 0], [at for _, _, at in picked])
    return results


SAME_PICTURE = 0.8
"""Two originals whose 32x32 grey copies correlate this well are one picture edited (inpainted, a video made from it):
the corpus's inpainting examples of one photo correlate 0.81-0.93, a video's frame with its start image 1.0, the next
closest pair 0.80 (two checkpoints merged, one seed), then 0.78 and below."""


def same_picture(originals: list[Original]) -> np.ndarray:
    """(n, n) pairs of originals that are one picture edited (`SAME_PICTURE`), found without the tracker: a picture
    showing one of them shows the other too, so the tracker naming either is right (the pixiv page and the grid
    show other originals)."""
    rows = []
    for o in originals:
        with Image.open(o.png) as opened:
            grey = np.asarray(opened.convert("L").resize((32, 32), Image.Resampling.BOX), np.float64).ravel()
        rows.append((grey - grey.mean()) / (grey.std() + 1e-9))
    matrix = np.array(rows)
    out = matrix @ matrix.T / matrix.shape[1] >= SAME_PICTURE
    np.fill_diagonal(out, False)
    return out


def summarise(
    logged: list[Original],
    unlogged: list[Original],
    results: list[dict[str, Any]],
    names: tuple[str, ...],
    show_misses: bool,
) -> dict[str, Any]:
    """Print the table and return every number."""
    n_logged = len(logged)
    related = np.zeros((len(results), n_logged), bool)
    for q, result in enumerate(results):
        related[q] = result["identity"][0] >= MATCH_SCORE
    related |= same_picture(logged + unlogged)[:, :n_logged]
    related[:n_logged] |= related[:n_logged].T
    np.fill_diagonal(related[:n_logged], False)
    key = [o.spec.key for o in logged + unlogged]
    pairs = sorted({tuple(sorted((key[q], key[r]))) for q, r in zip(*np.nonzero(related), strict=True)})
    positives: dict[str, np.ndarray] = {}
    negatives: dict[str, np.ndarray] = {}
    present_found: dict[str, list[int]] = {}
    reported: dict[str, list[str]] = {name: [] for name in names}
    misses: dict[str, list[str]] = {name: [] for name in names}
    wrong: dict[str, list[str]] = {name: [] for name in names}
    seconds: list[float] = []
    for name in names:
        pos, neg, found, shown = [], [], 0, 0
        for q, result in enumerate(results):
            scores, took, reasons, present, shown_at = result[name]
            seconds.append(took)
            others = ~related[q]
            for at in shown_at:  # a picture shown is right, and so is one it is an edit of (or edited from)
                others &= ~related[at]
            others[present] = False
            shown += len(present)
            found += int((scores[present] >= MATCH_SCORE).sum())
            if q < n_logged:
                others[q] = False
                pos.append(float(scores[q]))
                if scores[q] < MATCH_SCORE:
                    misses[name].append(f"{key[q]} ({scores[q]:.3f})")
            elif np.any(scores[others] >= MATCH_SCORE):
                reported[name].append(f"{key[q]}: " + " | ".join(reasons))
            for row in np.nonzero(others & (scores >= MATCH_SCORE))[0].tolist():
                said = [r for r in reasons if r.startswith(f"{row}: ")]
                wrong[name].append(f"{key[q]} -> {key[row]} (row {row}): " + " | ".join(said))
            neg.append(scores[others])
        positives[name] = np.array(pos, np.float64)
        negatives[name] = np.concatenate(neg).astype(np.float64)
        present_found[name] = [found, shown]
    all_neg = np.concatenate(list(negatives.values()))
    all_pos = np.concatenate(list(positives.values()))
    threshold = pick_threshold(all_neg, all_pos, FPR_BUDGET)
    rows: list[list[str]] = []
    per_transform: dict[str, dict[str, Any]] = {}
    out: dict[str, Any] = {"threshold_at_budget": threshold, "transforms": per_transform, "related_pairs": pairs}
    for name in names:
        pos_scores, neg_scores = positives[name], negatives[name]
        fp = int((neg_scores >= MATCH_SCORE).sum())
        found, shown = present_found[name]
        numbers = {
            "recall_at_budget": float((pos_scores >= threshold).mean()),
            "recall": float((pos_scores >= MATCH_SCORE).mean()),
            "false_positives": fp,
            "negative_pairs": len(neg_scores),
            "present_found": found,
            "present_shown": shown,
            "unlogged_reported": len(reported[name]),
        }
        per_transform[name] = numbers
        rows.append(
            [
                name,
                f"{numbers['recall_at_budget']:.3f}",
                f"{numbers['recall']:.3f}",
                f"{fp}/{len(neg_scores)} ({100 * fp / max(1, len(neg_scores)):.3f} %)",
                f"{found}/{shown}" if shown else "-",
                f"{len(reported[name])}/{len(unlogged)}",
            ]
        )
    all_fp = int((all_neg >= MATCH_SCORE).sum())
    rows.append(
        [
            "all",
            f"{float((all_pos >= threshold).mean()):.3f}",
            f"{float((all_pos >= MATCH_SCORE).mean()):.3f}",
            f"{all_fp}/{len(all_neg)} ({100 * all_fp / max(1, len(all_neg)):.3f} %)",
            "",
            f"{sum(len(v) for v in reported.values())}/{len(unlogged) * len(names)}",
        ]
    )
    print(f"{n_logged} logged originals, {len(unlogged)} unlogged; {len(pairs)} related pairs left out:")
    for a, b in pairs:
        print(f"  related: {a} | {b}")
    print(f"threshold at FPR <= {100 * FPR_BUDGET:g} % over all negatives: score >= {threshold:.4f}")
    header = [
        "transform",
        "recall@0.1%FPR",
        f"recall@{MATCH_SCORE}",
        "false pos. (shipped)",
        "others found",
        "unlogged rep.",
    ]
    print(table(header, rows))
    times = np.array(seconds)
    print(f"query time: median {1000 * np.median(times):.0f} ms, p95 {1000 * np.quantile(times, 0.95):.0f} ms")
    for name, lines in reported.items():
        for line in lines:
            print(f"UNLOGGED REPORTED {name}: {line}")
    for name, lines in wrong.items():
        for line in lines:
            print(f"FALSE POSITIVE {name}: {line}")
    if show_misses:
        for name, lines in misses.items():
            if lines:
                print(f"missed {name}: " + ", ".join(lines))
    out["unlogged_reported"] = reported
    out["misses"] = misses
    out["false_positives"] = wrong
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="corpus folder with manifest.json")
    parser.add_argument("--synthetic", type=int, default=20, help="generated originals to add (default 20)")
    parser.add_argument("--limit", type=int, default=80, help="use at most N originals (default 80)")
    parser.add_argument("--workers", type=int, default=2, help="processes")
    parser.add_argument("--unlogged-every", type=int, default=5, help="every N-th original is left out of the index")
    parser.add_argument("--only", default="", help="comma-separated transforms (default all)")
    parser.add_argument("--json", type=Path, help="write every number to this JSON file")
    parser.add_argument("--sheet", type=Path, help="save every query as JPEG into this folder (to look at)")
    parser.add_argument("--show-misses", action="store_true", help="list the positives missed at the shipped rule")
    args = parser.parse_args()
    names = tuple(n for n in args.only.split(",") if n) or tuple(REUSE_TRANSFORMS)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="tracker-bench-reuse-") as tmp:
        if not (args.corpus / "manifest.json").is_file():
            log(f"no corpus at {args.corpus}: synthetic originals only")
        logged, unlogged = split_originals(args, tmp)
        everyone = logged + unlogged
        log(f"{len(everyone)} originals: {len(logged)} logged, {len(unlogged)} unlogged")
        stored = StoredHashes.from_rows([(row, o.hashes) for row, o in enumerate(logged)])
        sheet = str(args.sheet) if args.sheet else None
        if args.sheet:
            args.sheet.mkdir(parents=True, exist_ok=True)
        rows = [(o.png, k if k < len(logged) else -1, k) for k, o in enumerate(everyone)]
        jobs: list[Job] = [(o.spec.key, o.png, rows[:k] + rows[k + 1 :], names, sheet) for k, o in enumerate(everyone)]
        with ProcessPoolExecutor(
            args.workers, initializer=_init_worker, initargs=(stored, [o.png for o in logged])
        ) as pool:
            results = list(pool.map(run_original, jobs, chunksize=1))
        report = summarise(logged, unlogged, results, names, args.show_misses)
    report["seconds"] = round(time.perf_counter() - started, 1)
    log(f"done in {report['seconds']} s")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
