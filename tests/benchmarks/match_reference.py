"""The floor `tracker match` is measured against: the least a whole-image match can do in a fresh process.

    python tests/benchmarks/match_reference.py HASHES.npy IMAGE

Imports numpy and Pillow, decodes IMAGE, makes its 64-bit pHash and dHash (greyscale, 32x32 DCT
low frequencies against their median; 9x8 gradients), reads HASHES.npy (an (n, 2) uint64 array of
stored pHashes and dHashes, written by `match_speed.py`) and scans it once: the mean Hamming
distance to every stored image, printing the nearest one's row and distance. No database, no
region search, no checks: `tracker match` does all of that too, so the issue's acceptance allows
it 1.5x this at 100,000 images. Deliberately self-contained (nothing from `tracker`), so it
measures only numpy and Pillow.
"""

from __future__ import annotations

import sys

import numpy as np
from PIL import Image


def dct_matrix(n: int) -> np.ndarray:
    k = np.arange(n)[:, None]
    x = np.arange(n)[None, :]
    m = np.cos(np.pi * (2 * x + 1) * k / (2 * n)) * np.sqrt(2 / n)
    m[0] /= np.sqrt(2)
    return m


def bits_to_int(bits: np.ndarray) -> int:
    return int.from_bytes(np.packbits(bits.astype(np.uint8).ravel()).tobytes(), "big")


def hashes(image: Image.Image) -> tuple[int, int]:
    grey = image.convert("L")
    small = np.asarray(grey.resize((32, 32), Image.Resampling.BILINEAR), dtype=np.float64)
    d = dct_matrix(32)
    low = (d @ small @ d.T)[:8, :8]
    phash = bits_to_int(low > np.median(low))
    grad = np.asarray(grey.resize((9, 8), Image.Resampling.BILINEAR), dtype=np.int16)
    dhash = bits_to_int(grad[:, 1:] > grad[:, :-1])
    return phash, dhash


def main() -> None:
    stored = np.load(sys.argv[1])
    with Image.open(sys.argv[2]) as image:
        image.load()
        phash, dhash = hashes(image)
    distance = np.bitwise_count(stored[:, 0] ^ np.uint64(phash)).astype(np.float32)
    distance += np.bitwise_count(stored[:, 1] ^ np.uint64(dhash))
    best = int(np.argmin(distance))
    print(best, float(distance[best]) / 2)


if __name__ == "__main__":
    main()
