"""Reading one image file: decode it once, collect every metadata field, parse what we know.

`read_image` is the single entry point used by `tracker log` (and later `inspect` and the
importer). Untrusted files are the normal case: anything wrong ends in an `ImageReadError`
with a one-line message, never in a half-read result.
"""

from __future__ import annotations

import hashlib
import io
import json
import struct
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image, UnidentifiedImageError

from tracker.errors import ImageReadError
from tracker.metadata.a1111 import looks_like_infotext, parse_infotext
from tracker.metadata.containers import TRUNCATED_PNG, RawEntry, exif_entries, other_entries, png_text_chunks
from tracker.metadata.info import GenerationInfo
from tracker.metadata.novelai import is_novelai, parse_novelai
from tracker.metadata.stealth import StealthPayload, read_stealth

MAX_FILE_BYTES = 256 * 1024 * 1024
MAX_PIXELS = 16384 * 16384
SUPPORTED_FORMATS = {"PNG", "JPEG", "WEBP", "GIF", "TIFF", "BMP", "AVIF"}
_LOSSLESS_CARRIERS = {"PNG", "WEBP", "TIFF", "BMP", "GIF"}


@dataclass
class ImageReading:
    """Everything read from one file: identity, pixels, raw metadata and the parsed record."""

    path: Path
    data: bytes = field(repr=False)
    sha256: str
    format: str
    width: int
    height: int
    image: Image.Image = field(repr=False)
    entries: list[RawEntry]
    stealth: StealthPayload | None
    info: GenerationInfo | None
    problems: list[str]

    def raw_metadata(self) -> dict[str, Any]:
        """The stored form of everything found, exactly as found."""
        stealth = None
        if self.stealth is not None:
            stealth = {
                "signature": self.stealth.signature,
                "mode": self.stealth.mode,
                "compressed": self.stealth.compressed,
                "text": self.stealth.text,
            }
        return {
            "entries": [entry.to_dict() for entry in self.entries],
            "stealth": stealth,
            "problems": list(self.problems),
        }


def _decode(data: bytes, name: str) -> Image.Image:
    """Open and fully decode the pixels, turning every Pillow failure into one clear line."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > MAX_PIXELS:
                raise ImageReadError(f"{name}: {image.width}x{image.height} pixels is too large to read safely")
            image.load()
    except ImageReadError:
        raise
    except UnidentifiedImageError:
        raise ImageReadError(f"{name}: not an image file (or a format tracker cannot read)") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageReadError(f"{name}: image dimensions are too large (decompression bomb?)") from None
    except (OSError, SyntaxError, ValueError, EOFError, MemoryError, IndexError, struct.error) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ImageReadError(f"{name}: the image is damaged or truncated ({reason})") from None
    if image.format not in SUPPORTED_FORMATS:
        raise ImageReadError(f"{name}: {image.format} images are not supported")
    return image


def _first_values(entries: list[RawEntry], prefix: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for entry in entries:
        if entry.container.startswith(prefix):
            out.setdefault(entry.key, entry.value)
    return out


def _json_object(text: str) -> dict[str, Any] | None:
    if not text.lstrip().startswith("{"):
        return None
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def _envelope_fields(obj: Mapping[str, Any]) -> dict[str, str]:
    """A NovelAI JSON envelope as a flat str->str mapping (Comment may be an object already)."""
    return {str(k): v if isinstance(v, str) else json.dumps(v) for k, v in obj.items()}


def interpret(entries: list[RawEntry], stealth: StealthPayload | None) -> GenerationInfo | None:
    """Find and parse the generation record, trying text chunks, EXIF, then hidden pixels."""
    png = _first_values(entries, "png:")
    if png and is_novelai(png):
        return parse_novelai(png, "png:text")
    parameters = png.get("parameters")
    if parameters and _json_object(parameters) is None and parameters.strip():
        return parse_infotext(parameters, "png:parameters")

    exif = _first_values(entries, "exif:")
    comment = exif.get("UserComment")
    if comment:
        envelope = _json_object(comment)
        if envelope is not None and is_novelai(_envelope_fields(envelope)):
            return parse_novelai(_envelope_fields(envelope), "exif:UserComment")
        if envelope is None and looks_like_infotext(comment):
            return parse_infotext(comment, "exif:UserComment")
    jpeg_comment = _first_values(entries, "jpeg:").get("comment")
    if jpeg_comment and looks_like_infotext(jpeg_comment):
        return parse_infotext(jpeg_comment, "jpeg:COM")

    if stealth is not None:
        source = f"stealth:{stealth.signature}"
        envelope = _json_object(stealth.text)
        if envelope is not None and is_novelai(_envelope_fields(envelope)):
            return parse_novelai(_envelope_fields(envelope), source)
        if envelope is None and stealth.text.strip():
            return parse_infotext(stealth.text, source)
    return None


def read_image(path: Path) -> ImageReading:
    """Read, verify and interpret one image file."""
    name = path.name
    try:
        if not path.is_file():
            raise ImageReadError(f"{path}: no such file")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ImageReadError(f"{name}: file is larger than {MAX_FILE_BYTES // 2**20} MiB")
        data = path.read_bytes()
    except OSError as exc:
        raise ImageReadError(f"{path}: cannot read file ({exc.strerror or exc})") from None
    if not data:
        raise ImageReadError(f"{name}: the file is empty")
    image = _decode(data, name)
    entries, problems = png_text_chunks(data) if image.format == "PNG" else ([], [])
    if TRUNCATED_PNG in problems:
        raise ImageReadError(f"{name}: the image is damaged or truncated ({TRUNCATED_PNG})")
    try:
        entries.extend(exif_entries(image))
    except (OSError, ValueError, SyntaxError, KeyError, TypeError, IndexError, struct.error) as exc:
        problems.append(f"EXIF block is damaged and was skipped ({type(exc).__name__})")
    entries.extend(other_entries(image))
    stealth = None
    try:
        stealth = read_stealth(image) if image.format in _LOSSLESS_CARRIERS else None
    except ImageReadError as exc:
        problems.append(f"hidden pixel metadata skipped: {exc}")
    info = interpret(entries, stealth)
    return ImageReading(
        path=path,
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        format=str(image.format),
        width=image.width,
        height=image.height,
        image=image,
        entries=entries,
        stealth=stealth,
        info=info,
        problems=problems,
    )
