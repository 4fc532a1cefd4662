"""Tilted posts found by the turned search (`tracker.matching.tilted`), and what a miss costs: recall per angle.

    PYTHONPATH=. python tests/benchmarks/tilted_recall.py [--corpus DIR] [--synthetic 10] [--limit 40]
        [--workers 2] [--unlogged-every 5] [--kinds alone,in_page,photo,jpeg] [--json OUT.json] [--sheet DIR]

- **Originals** as in `matching.py` (the decodable corpus images plus `--synthetic` generated ones, loaded by
  `match_accuracy.load_original`); every `--unlogged-every`-th is **unlogged**: left out of the index, its tilted
  copies are queries that must never be reported.
- **Queries**: every original tilted by 0.5, 1, ..., 4.5 degrees (one way or the other, by `seeded_rng`), as
  - `alone`: the post turned on a plain fill (white, black or its own grey), the corners the tilt uncovers kept;
  - `in_page`: that tilted post quoted in an upright desktop or phone screenshot with text around it
    (`transforms.screenshot_desktop` / `screenshot_phone`);
  - `photo`: a phone photograph of a screen showing the post upright (a screenshot as above): the whole screen
    tilted, cut by the photograph's frame (no perspective), shrunk, saved as JPEG;
  - `jpeg`: the post turned alone, shrunk to 40-80 % and saved as JPEG (`transforms.resize`, `transforms.lossy`).
- **Scores**: `rank.rank_image` with the pixel check against the archived originals, the path `tracker match`
  takes (`matching._scores`), so a tilted post is found as a user's is: as given, or by the turned search.
- **Table**: per kind and tilt, the logged queries found at the shipped rule (score >= MATCH_SCORE) out of those
  made; false positives (another logged original reported, originals the tracker matches with each other
  untransformed left out); unlogged queries reported (must be 0). Then the CPU time of a query that finds
  nothing (the unlogged ones: every fallback runs, mirrored and turned), and of all queries; the index holds a
  few dozen originals, so the searches are cheap and the hashing of the turned copies is most of it
  (`match_speed.py` times a miss in a 100,000-post archive).

Then every false positive with its evidence (`FALSE POSITIVE kind tilt: query -> post (row): score, kind, confidence,
[evidence], boxes, and why`), and every unlogged query reported (`UNLOGGED REPORTED ...`).

About 5 minutes for `--limit 40` with 2 idle cores.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
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

from match_accuracy import DEFAULT_CORPUS, Original, table  # noqa: E402
from matching import _init_worker, _scores, log, split_originals  # noqa: E402
from transforms import lossy, resize, screenshot_desktop, screenshot_phone, seeded_rng  # noqa: E402

from tracker.matching.similarity import MATCH_SCORE, StoredHashes  # noqa: E402

TILTS = (0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5)
"""Degrees a query is tilted by, clockwise or anticlockwise (`seeded_rng`, about half each way)."""
KINDS = ("alone", "in_page", "photo", "jpeg")
_FILLS = ((255, 255, 255), (0, 0, 0), (128, 128, 128))


def _tilted(image: Image.Image, degrees: float, fill: tuple[int, int, int]) -> Image.Image:
    """The picture turned about its centre, the whole of it kept (the canvas grows), the uncovered corners filled."""
    return image.rotate(degrees, Image.Resampling.BICUBIC, expand=True, fillcolor=fill)


def _page(image: Image.Image, rng: random.Random) -> Image.Image:
    """A desktop or phone screenshot showing `image`, text around it."""
    return (screenshot_desktop if rng.random() < 0.5 else screenshot_phone)(image, rng)


def _photographed(screen: Image.Image, degrees: float, rng: random.Random) -> Image.Image:
    """A phone photograph of `screen`: tilted, the dark bezel cut off by the frame with a little of the screen, shrunk
    and saved as JPEG (no perspective)."""
    w, h = screen.size
    turned = screen.rotate(degrees, Image.Resampling.BICUBIC, expand=False, fillcolor=(18, 18, 20))
    slack = np.sin(np.radians(abs(degrees)))
    dx, dy = h * slack / 2, w * slack / 2  # the bezel a turn uncovers at the sides and at the top and bottom
    box = (
        round(dx + w * rng.uniform(0.0, 0.04)),
        round(dy + h * rng.uniform(0.0, 0.04)),
        round(w - dx - w * rng.uniform(0.0, 0.04)),
        round(h - dy - h * rng.uniform(0.0, 0.04)),
    )
    shot = resize(turned.crop(box), rng, rng.uniform(0.5, 0.9))
    return lossy(shot, rng, "jpeg70")


def tilted_query(kind: str, original: Image.Image, degrees: float, rng: random.Random) -> Image.Image:
    """One query of `kind` showing `original` tilted by `degrees` (counter-clockwise)."""
    if kind == "alone":
        return _tilted(original, degrees, rng.choice(_FILLS))
    if kind == "in_page":
        return _page(_tilted(original, degrees, (255, 255, 255)), rng)
    if kind == "photo":
        return _photographed(_page(original, rng), degrees, rng)
    if kind == "jpeg":
        shrunk = resize(_tilted(original, degrees, rng.choice(_FILLS)), rng, rng.uniform(0.4, 0.8))
        return lossy(shrunk, rng, "jpeg70")
    raise KeyError(kind)


def signed(key: str, kind: str, tilt: float) -> float:
    """`tilt` one way or the other, the same in every run."""
    return tilt if seeded_rng(key, f"tilted-{kind}-{tilt:g}-sign").random() < 0.5 else -tilt


def run_original(job: tuple[str, str, tuple[str, ...], str | None]) -> dict[str, Any]:
    """The identity query and every tilted query of one original: (scores, CPU seconds, reasons) each."""
    key, png, kinds, sheet = job
    with Image.open(png) as opened:
        original = opened.convert("RGB")
    results: dict[str, Any] = {"identity": _scores(original)}
    for kind in kinds:
        for tilt in TILTS:
            degrees = signed(key, kind, tilt)
            image = tilted_query(kind, original, degrees, seeded_rng(key, f"tilted-{kind}-{tilt:g}"))
            if sheet:
                name = f"{hashlib.sha1(key.encode()).hexdigest()[:8]}_{kind}_{degrees:+g}.jpg"
                image.save(Path(sheet, name), quality=80)
            cpu = time.process_time()
            scores, _, reasons = _scores(image)
            results[f"{kind} {tilt:g}"] = (scores, time.process_time() - cpu, reasons)
    return results


def summarise(
    logged: list[Original], unlogged: list[Original], results: list[dict[str, Any]], kinds: tuple[str, ...]
) -> dict[str, Any]:
    """Print the tables and return every number."""
    n_logged = len(logged)
    related = np.zeros((len(results), n_logged), bool)
    for q, result in enumerate(results):
        related[q] = result["identity"][0] >= MATCH_SCORE
    related[:n_logged] |= related[:n_logged].T
    np.fill_diagonal(related[:n_logged], False)
    key = [o.spec.key for o in logged + unlogged]
    rows, out = [], {}
    miss_cpu, all_cpu = [], []
    reported_lines: list[str] = []
    wrong_lines: list[str] = []
    for kind in kinds:
        found_per_tilt, fp, reported, negatives = [], 0, 0, 0
        for tilt in TILTS:
            name = f"{kind} {tilt:g}"
            found = 0
            for q, result in enumerate(results):
                scores, cpu, reasons = result[name]
                all_cpu.append(cpu)
                others = ~related[q]
                if q < n_logged:
                    others[q] = False
                    found += bool(scores[q] >= MATCH_SCORE)
                else:
                    miss_cpu.append(cpu)
                    if np.any(scores[others] >= MATCH_SCORE):
                        reported += 1
                        reported_lines.append(
                            f"{name} {signed(key[q], kind, tilt):+g}: {key[q]}: {' | '.join(reasons)}"
                        )
                for row in np.nonzero(others & (scores >= MATCH_SCORE))[0].tolist():
                    said = " | ".join(r for r in reasons if r.startswith(f"{row}: "))
                    wrong_lines.append(
                        f"{name} {signed(key[q], kind, tilt):+g}: {key[q]} -> {key[row]} (row {row}): {said}"
                    )
                fp += int((scores[others] >= MATCH_SCORE).sum())
                negatives += int(others.sum())
            found_per_tilt.append(found)
        out[kind] = {"found": found_per_tilt, "false_positives": fp, "unlogged_reported": reported}
        rows.append(
            [kind, *(f"{f}/{n_logged}" for f in found_per_tilt)]
            + [
                f"{sum(found_per_tilt)}/{n_logged * len(TILTS)}",
                f"{fp}/{negatives}",
                f"{reported}/{len(unlogged) * len(TILTS)}",
            ]
        )
    total = [sum(out[k]["found"][t] for k in kinds) for t in range(len(TILTS))]
    rows.append(
        ["all", *(f"{f}/{n_logged * len(kinds)}" for f in total)]
        + [
            f"{sum(total)}/{n_logged * len(kinds) * len(TILTS)}",
            str(sum(out[k]["false_positives"] for k in kinds)),
            str(sum(out[k]["unlogged_reported"] for k in kinds)),
        ]
    )
    print(f"{n_logged} logged originals, {len(unlogged)} unlogged; found at score >= {MATCH_SCORE}, per tilt (degrees)")
    header = ["kind", *(f"±{t:g}" for t in TILTS), "all", "false pos.", "unlogged rep."]
    print(table(header, rows))
    misses, every = np.array(miss_cpu), np.array(all_cpu)
    print(
        f"CPU per query that finds nothing (unlogged, {len(misses)}): median {1000 * np.median(misses):.0f} ms, "
        f"mean {1000 * misses.mean():.0f} ms; per query (all {len(every)}): median {1000 * np.median(every):.0f} ms, "
        f"mean {1000 * every.mean():.0f} ms"
    )
    for line in wrong_lines:
        print(f"FALSE POSITIVE {line}")
    for line in reported_lines:
        print(f"UNLOGGED REPORTED {line}")
    return {
        "kinds": out,
        "miss_cpu_ms_median": float(1000 * np.median(misses)),
        "miss_cpu_ms_mean": float(1000 * misses.mean()),
        "cpu_ms_mean": float(1000 * every.mean()),
        "unlogged_reported": reported_lines,
        "false_positives": wrong_lines,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="corpus folder with manifest.json")
    parser.add_argument("--synthetic", type=int, default=10, help="generated originals to add (default 10)")
    parser.add_argument("--limit", type=int, default=40, help="use at most N originals (default 40)")
    parser.add_argument("--workers", type=int, default=2, help="processes")
    parser.add_argument("--unlogged-every", type=int, default=5, help="every N-th original is left out of the index")
    parser.add_argument("--kinds", default=",".join(KINDS), help="kinds of tilted query (default all)")
    parser.add_argument("--json", type=Path, help="write every number to this JSON file")
    parser.add_argument("--sheet", type=Path, help="save every query as JPEG into this folder (to look at)")
    args = parser.parse_args()
    kinds = tuple(k for k in args.kinds.split(",") if k)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="tracker-bench-tilted-") as tmp:
        if not (args.corpus / "manifest.json").is_file():
            log(f"no corpus at {args.corpus}: synthetic originals only")
        logged, unlogged = split_originals(args, tmp)
        total = len(logged) + len(unlogged)
        log(f"{total} originals: {len(logged)} logged, {len(unlogged)} unlogged; kinds {', '.join(kinds)}")
        stored = StoredHashes.from_rows([(row, o.hashes) for row, o in enumerate(logged)])
        sheet = str(args.sheet) if args.sheet else None
        if args.sheet:
            args.sheet.mkdir(parents=True, exist_ok=True)
        jobs = [(o.spec.key, o.png, kinds, sheet) for o in logged + unlogged]
        with ProcessPoolExecutor(
            args.workers, initializer=_init_worker, initargs=(stored, [o.png for o in logged])
        ) as pool:
            results = list(pool.map(run_original, jobs, chunksize=1))
        report = summarise(logged, unlogged, results, kinds)
    report["seconds"] = round(time.perf_counter() - started, 1)
    log(f"done in {report['seconds']} s")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
