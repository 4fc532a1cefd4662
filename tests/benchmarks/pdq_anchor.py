"""Print the PDQ hash of every image listed in a file, one JSON line each (runs in the PDQ venv).

    <pdq venv>/bin/python tests/benchmarks/pdq_anchor.py PATHS_FILE [--flip dihedral|exact]
    <pdq venv>/bin/python tests/benchmarks/pdq_anchor.py --self-check

Meant to be started by `pdq_env.py` with the python of a throwaway virtualenv that has
pdqhash==0.2.8, numpy and Pillow; it imports nothing from tracker. PATHS_FILE holds one image path
per line. Each output line is one JSON object, flushed as soon as it is done:

    {"path": ..., "pdq": <64 hex>, "quality": int, "pdq_flip": <64 hex>, "flip_source": ...,
     "decode_ms": float, "hash_ms": float}
    {"path": ..., "error": "ExceptionType: message"}

The image is hashed at full resolution (no 512 px pre-resize as in Meta's CLI) after converting
to RGB; transparency is flattened on white. A multi-frame file (animated WebP/GIF) is hashed on the
frame Pillow opens first. Hex is the reference C++ `Hash256::format()` order (word 15 first), which
is also python-threatexchange's: pdqhash returns bit 255 first, read as one big-endian number.

`pdq_flip` is the hash of the left-right mirrored image. With `--flip dihedral` (default) it comes
from the same `pdqhash.compute_dihedral` call as `pdq` (no extra cost); which of the 8 outputs is
the left-right mirror is checked at start-up against `compute()` on a mirrored test image
(pdqhash 0.2.8: index 5, the C++ `hashptrFlipY`, although its README calls index 5 "flipped
horizontally" and index 4 "flipped vertically" - index 4 is the up-down mirror). The dihedral
hashes are approximate: on real images they differ from `compute()` of the mirrored pixels by
0-20 bits. `--flip exact` hashes the mirrored pixels instead (a second full hash: 2x hash time).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pdqhash
from PIL import Image

Hasher = Callable[[np.ndarray], tuple[str, int, str]]


def to_hex(vector: Any) -> str:
    """pdqhash's 256-entry bit vector (bit 255 first) as 64 hex digits."""
    bits = np.asarray(vector, dtype=np.uint8)
    if bits.shape != (256,):
        raise ValueError(f"expected 256 bits, got shape {bits.shape}")
    return np.packbits(bits).tobytes().hex()


def load_rgb(path: Path) -> np.ndarray:
    """Full-resolution RGB pixels as a C-contiguous uint8 (h, w, 3) array; alpha flattened on white."""
    with Image.open(path) as opened:
        opened.load()
        if opened.mode in {"RGBA", "LA", "PA", "RGBa", "La"} or "transparency" in opened.info:
            rgba = opened.convert("RGBA")
            image = Image.new("RGB", rgba.size, (255, 255, 255))
            image.paste(rgba, mask=rgba.getchannel("A"))
        else:
            image = opened.convert("RGB")
    # pdqhash reads its grey buffer as C-ordered rows: a transposed/rotated view gives a wrong hash.
    return np.ascontiguousarray(np.asarray(image, dtype=np.uint8))


def _test_image() -> np.ndarray:
    """A fixed, clearly asymmetric 251x379 test image (gradients + off-centre blocks)."""
    y, x = np.mgrid[0:251, 0:379].astype(np.float32)
    grey = 40 + 120 * (x / 379) ** 1.5 + 60 * np.sin(y / 23.0) * (x > 150)
    grey[20:110, 30:140] = 235
    grey[150:230, 250:290] = 15
    grey[60:90, 300:370] = 200
    rgb = np.stack([grey, grey * 0.8 + 20, 255 - grey], axis=-1)
    return np.ascontiguousarray(rgb.clip(0, 255).astype(np.uint8))


def find_mirror_index() -> tuple[int | None, list[int], bool]:
    """Which compute_dihedral output is the left-right mirror, by comparing with compute() of the mirror.

    Returns (index or None if no output is clearly it, distances of all 8, whether output 0 equals
    compute() of the unmirrored image).
    """
    image = _test_image()
    plain, _ = pdqhash.compute(image)
    mirrored, _ = pdqhash.compute(np.ascontiguousarray(image[:, ::-1]))
    variants, _ = pdqhash.compute_dihedral(image)
    distances = [int(np.count_nonzero(np.asarray(v) != np.asarray(mirrored))) for v in variants]
    order = sorted(range(len(distances)), key=distances.__getitem__)
    best, second = order[0], order[1]
    clear = distances[best] <= 40 and distances[second] >= 64
    original_ok = bool(np.array_equal(np.asarray(variants[0]), np.asarray(plain)))
    return (best if clear else None), distances, original_ok


def make_hasher(flip: str) -> tuple[Hasher, str]:
    """The per-image hash function and a label for how `pdq_flip` is made."""
    index, _, original_ok = (None, [], False) if flip == "exact" else find_mirror_index()

    if index is not None and original_ok and hasattr(pdqhash, "compute_dihedral"):
        mirror = index

        def dihedral(pixels: np.ndarray) -> tuple[str, int, str]:
            variants, quality = pdqhash.compute_dihedral(pixels)
            return to_hex(variants[0]), int(quality), to_hex(variants[mirror])

        return dihedral, f"dihedral[{mirror}]"

    if flip != "exact":
        print(
            "warning: no clear left-right mirror among compute_dihedral's outputs; hashing mirrored pixels",
            file=sys.stderr,
        )

    def exact(pixels: np.ndarray) -> tuple[str, int, str]:
        vector, quality = pdqhash.compute(pixels)
        mirrored, _ = pdqhash.compute(np.ascontiguousarray(pixels[:, ::-1]))
        return to_hex(vector), int(quality), to_hex(mirrored)

    return exact, "mirrored-pixels"


def hash_file(path: Path, hasher: Hasher, flip_source: str) -> dict[str, Any]:
    """One output line for one file (never raises for a bad file)."""
    started = time.perf_counter()
    try:
        pixels = load_rgb(path)
        decoded = time.perf_counter()
        pdq, quality, pdq_flip = hasher(pixels)
    except Exception as exc:  # noqa: BLE001 - any unreadable/odd file is one error line, never an abort
        return {"path": str(path), "error": f"{type(exc).__name__}: {exc}"}
    done = time.perf_counter()
    return {
        "path": str(path),
        "pdq": pdq,
        "quality": quality,
        "pdq_flip": pdq_flip,
        "flip_source": flip_source,
        "decode_ms": round(1000 * (decoded - started), 2),
        "hash_ms": round(1000 * (done - decoded), 2),
    }


def self_check() -> int:
    """Print the dihedral check and a determinism check; exit status 0 when both are fine."""
    index, distances, original_ok = find_mirror_index()
    print(f"pdqhash {getattr(pdqhash, '__version__', '?')}, numpy {np.__version__}")
    print(f"compute_dihedral vs compute(mirrored): distances {distances} -> left-right mirror index {index}")
    print(f"compute_dihedral()[0] == compute(): {original_ok}")
    image = _test_image()
    first = to_hex(pdqhash.compute(image)[0])
    again = to_hex(pdqhash.compute(image.copy())[0])
    print(f"hash of the test image: {first} (repeatable: {first == again})")
    return 0 if index is not None and original_ok and first == again else 1


def main() -> None:
    """Hash every listed file and print one JSON line per file."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths_file", nargs="?", type=Path, help="text file with one image path per line")
    parser.add_argument("--flip", choices=("dihedral", "exact"), default="dihedral", help="how pdq_flip is made")
    parser.add_argument("--self-check", action="store_true", help="check the dihedral index and exit")
    args = parser.parse_args()
    if args.self_check:
        sys.exit(self_check())
    if args.paths_file is None:
        parser.error("PATHS_FILE is required (or --self-check)")
    hasher, flip_source = make_hasher(args.flip)
    for raw in args.paths_file.read_text(encoding="utf-8").splitlines():
        if raw.strip():
            line = hash_file(Path(raw), hasher, flip_source)
            sys.stdout.write(json.dumps(line) + "\n")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
