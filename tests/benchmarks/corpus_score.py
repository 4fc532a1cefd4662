"""Per-generator score of tracker's reader on ../shared/corpus (run by hand).

    python tests/benchmarks/corpus_score.py [--show-diffs GENERATOR]

Prints, for each generator label of the manifest, how many files the reader gets fully right.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fixtures.corpus_check import CORPUS, compare, manifest_entries, observed  # noqa: E402

from tracker.errors import ImageReadError  # noqa: E402
from tracker.metadata.reader import read_image  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--show-diffs", metavar="GENERATOR", help="print the differences for this label")
    args = parser.parse_args()
    entries = manifest_entries()
    if not entries:
        sys.exit(f"no corpus at {CORPUS}")
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for entry in entries:
        label = entry["expected"]["generator"]
        total[label] += 1
        try:
            reading = read_image(CORPUS / entry["file"])
            got = observed(reading.info, reading.stealth.signature if reading.stealth else None)
            diffs = compare(entry["expected"], got)
        except ImageReadError as exc:
            diffs = [] if entry["expected"].get("unreadable") else [f"error: {exc}"]
        if not diffs:
            right[label] += 1
        elif args.show_diffs == label:
            print(f"--- {entry['file']}")
            for line in diffs:
                print("   ", line[:300])
    print(f"{'generator':<14}{'right':>7}{'files':>7}")
    for label in sorted(total):
        print(f"{label:<14}{right[label]:>7}{total[label]:>7}")
    print(f"{'all':<14}{sum(right.values()):>7}{sum(total.values()):>7}")


if __name__ == "__main__":
    main()
