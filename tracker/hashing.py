"""Content and perceptual hashes: the only module that knows the hash libraries.

Perceptual hashes are returned as fixed-width bytes (8 bytes for a 64-bit hash, big-endian
bit order as imagehash lays out its bit matrix), which is how the database stores them and how
the similarity code will load them into integer arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

import imagehash
import numpy as np
from PIL import Image

HASH_SIZE = 8


@dataclass(frozen=True)
class PerceptualHashes:
    """The perceptual hashes kept for every image."""

    phash: bytes
    """64-bit DCT hash: survives resizing and re-encoding."""
    dhash: bytes
    """64-bit gradient hash: a second opinion with different failure modes."""


def _to_bytes(value: imagehash.ImageHash) -> bytes:
    return np.packbits(np.asarray(value.hash, dtype=bool).flatten()).tobytes()


def _flatten(image: Image.Image) -> Image.Image:
    """Greyscale pixels with transparency composited onto white, so hidden colours don't count."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("L")
    return image.convert("L")


def perceptual_hashes(image: Image.Image) -> PerceptualHashes:
    """Compute every stored perceptual hash from one decoded image."""
    grey = _flatten(image)
    return PerceptualHashes(
        phash=_to_bytes(imagehash.phash(grey, hash_size=HASH_SIZE)),
        dhash=_to_bytes(imagehash.dhash(grey, hash_size=HASH_SIZE)),
    )
