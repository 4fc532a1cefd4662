"""Reading one image file: decode it once, collect every metadata field, parse what we know.

`read_image` is the single entry point used by `tracker log` (and later `inspect` and the
importer). Untrusted files are the normal case: anything wrong ends in an `ImageReadError`
with a one-line message, never in a half-read result.
"""

from __future__ import annotations

import json
import re
import struct
import warnings
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tracker.errors import ImageReadError
from tracker.metadata import comfyui, drawthings, easydiffusion, fooocus, invokeai, other, swarmui, xmp_records
from tracker.metadata.a1111 import looks_like_infotext, parse_infotext
from tracker.metadata.containers import TRUNCATED_PNG, RawEntry, exif_entries, other_entries, png_text_chunks
from tracker.metadata.decoding import DAMAGED, DecodedImage, FileDigest, decode_file
from tracker.metadata.fields import XMP_KEY, Fields
from tracker.metadata.info import GenerationInfo, TechniqueRef, drop_absurd_numbers
from tracker.metadata.novelai import envelope_fields, envelope_in, is_novelai, parse_novelai
from tracker.metadata.problems import EXIF_SKIPPED, HIDDEN_SKIPPED, UNREAD_TEXT
from tracker.metadata.stealth import StealthPayload, read_stealth
from tracker.metadata.xmp import too_large, xmp_property

_LOSSLESS_CARRIERS = {"PNG", "WEBP", "TIFF", "BMP", "GIF"}


@dataclass
class ImageReading(DecodedImage):
    """Everything read from one file: identity, pixels, raw metadata and the parsed record."""

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


def _json_object(text: str | None) -> dict[str, Any] | None:
    if not text or not text.lstrip().startswith("{"):
        return None
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def _novelai(fields: Fields) -> GenerationInfo | None:
    if fields.png and is_novelai(fields.png):
        return parse_novelai(fields.png, "png:text")
    envelope = envelope_in(fields.exif.get("UserComment"))
    return parse_novelai(envelope, "exif:UserComment") if envelope is not None else None


def _infotext(fields: Fields) -> GenerationInfo | None:
    parameters = fields.png.get("parameters")
    if parameters and parameters.strip() and _json_object(parameters) is None:
        return parse_infotext(parameters, "png:parameters")
    comment = fields.exif.get("UserComment")
    if comment and _json_object(comment) is None and looks_like_infotext(comment):
        return parse_infotext(comment, "exif:UserComment")
    if fields.comment and looks_like_infotext(fields.comment):
        return parse_infotext(fields.comment, fields.comment_source)
    return None


def _saver_text(fields: Fields) -> tuple[str, str] | None:
    """A1111-style text a ComfyUI saver node wrote beside its graph, and where: (text, source)."""
    candidates = (
        ("png:parameters", fields.png.get("parameters")),
        ("exif:UserComment", fields.exif.get("UserComment")),
        (fields.comment_source, fields.comment),
    )
    for source, text in candidates:
        if text and text.strip() and _json_object(text) is None and looks_like_infotext(text):
            return text, source
    return None


_SAVER_FILLS = ("prompt", "negative_prompt", "seed", "steps", "cfg", "sampler", "scheduler", "model")


def _comfyui(fields: Fields) -> GenerationInfo | None:
    """A ComfyUI graph; settings it leaves unresolved are taken from a saver node's A1111-style text.

    Saver nodes (SaveImageWithMetaData, Image Saver, SD Prompt Saver, ...) write the values the
    run actually used, so where the graph cannot say (a value computed at run time, several
    candidate samplers, LoRAs from loaders it does not know) their text answers; the size only
    when the graph has no sampler at all (a workflow cut short), since a graph's img2img has no
    generation size of its own. What was taken is listed in `params["from_saver_text"]`.
    """
    info = comfyui.parse(fields)
    if info is None:
        return None
    found = _saver_text(fields)
    if found is None:
        return info
    saver = parse_infotext(found[0], found[1])
    filled = []
    names = _SAVER_FILLS if info.samplers else (*_SAVER_FILLS, "width", "height")
    for name in names:
        if getattr(info, name) is None and getattr(saver, name) is not None:
            setattr(info, name, getattr(saver, name))
            filled.append(name)
    if not info.loras and saver.loras:
        info.loras = saver.loras
        filled.append("loras")
    if filled:
        info.params["from_saver_text"] = filled
        info.warnings.append(f"read from the saver node's A1111-style text ({found[1]}): " + ", ".join(filled))
    return info


def _hidden(fields: Fields) -> GenerationInfo | None:
    stealth = fields.stealth
    if stealth is None:
        return None
    source = f"stealth:{stealth.signature}"
    envelope = _json_object(stealth.text)
    if envelope is not None and is_novelai(envelope_fields(envelope)):
        return parse_novelai(envelope_fields(envelope), source)
    if envelope is None and stealth.text.strip():
        return parse_infotext(stealth.text, source)
    return None


PARSERS: tuple[Callable[[Fields], GenerationInfo | None], ...] = (
    swarmui.parse,  # a front-end's own record wins over the ComfyUI graph it ran
    other.parse,  # Stability Matrix, TensorArt, ... records (also front-ends over a graph)
    invokeai.parse,
    _novelai,
    _comfyui,  # the graph wins over A1111-style text written by a saver node
    fooocus.parse,
    easydiffusion.parse,
    drawthings.parse,
    _infotext,
    xmp_records.parse,  # a record another tool moved into XMP when it re-saved the file
    _hidden,
)
"""The generator parsers, in the order that decides which record describes the image."""


_SHOWN = 40
"""Characters of a value a conflict shows (of each side, around where the two differ)."""
_BEFORE = 12
"""Of those, how many come before the first difference."""
_SHOWN_ESCAPED = 80
"""At most this many characters of each side once escaped (`repr`), so the line stays short."""


def _short(value: object) -> str:
    return _window(" ".join(str(value).split()), 0)


def _window(text: str, start: int) -> str:
    """`text[start:]` cut to `_SHOWN` characters, escaped, `…` outside the quotes where text was cut."""
    end = min(len(text), start + _SHOWN)
    shown = repr(text[start:end])
    while len(shown) > _SHOWN_ESCAPED and end > start + 1:  # escapes (`\x1b`) take room: show fewer characters
        end -= 1
        shown = repr(text[start:end])
    return ("…" if start > 0 else "") + shown + ("…" if end < len(text) else "")


def _difference(text: str, other: str) -> tuple[str, str]:
    """Both texts shown around their first difference (a change at the end of a long prompt shows)."""
    first = next((i for i, (a, b) in enumerate(zip(text, other, strict=False)) if a != b), min(len(text), len(other)))
    start = max(0, first - _BEFORE)
    return _window(text, start), _window(other, start)


def _input_kinds(techniques: Iterable[TechniqueRef]) -> str:
    """The image inputs a record names, by kind: `none`, `img2img`, `controlnet x2, img2img`."""
    counts = Counter(technique.kind for technique in techniques)
    return ", ".join(kind + (f" x{n}" if n > 1 else "") for kind, n in sorted(counts.items())) or "none"


def hidden_conflicts(info: GenerationInfo, hidden: GenerationInfo) -> list[str]:
    """Fields where the hidden pixel record and the text record disagree, e.g. `seed: '1' vs hidden '2'`.

    Texts are shown from a little before their first difference, `…` marking what is cut, so a
    change at the end of a long prompt shows; each side is escaped (`repr`) and bounded in length.
    Image inputs are compared by kind (`image inputs: none vs hidden img2img`): text edited to hide
    an img2img or a reference image is exactly what the hidden copy exists to catch.
    """
    pairs = {
        "prompt": (info.prompt, hidden.prompt),
        "negative prompt": (info.negative_prompt, hidden.negative_prompt),
        "seed": (info.seed, hidden.seed),
        "steps": (info.steps, hidden.steps),
        "model": (info.model.name if info.model else None, hidden.model.name if hidden.model else None),
        "model hash": (info.model.hash if info.model else None, hidden.model.hash if hidden.model else None),
    }
    out = []
    for label, (text_value, hidden_value) in pairs.items():
        if isinstance(text_value, str) and isinstance(hidden_value, str):
            text, hidden_text = " ".join(text_value.split()), " ".join(hidden_value.split())
            if text != hidden_text:
                shown, hidden_shown = _difference(text, hidden_text)
                out.append(f"{label}: {shown} vs hidden {hidden_shown}")
        elif text_value != hidden_value:
            out.append(f"{label}: {_short(text_value)} vs hidden {_short(hidden_value)}")
    text_inputs, hidden_inputs = _input_kinds(info.techniques), _input_kinds(hidden.techniques)
    if text_inputs != hidden_inputs:
        out.append(f"image inputs: {text_inputs} vs hidden {hidden_inputs}")
    return out


def _add_hidden_inputs(info: GenerationInfo, hidden: GenerationInfo) -> None:
    """Give the record every image input the hidden record names beyond the text's own, of each kind.

    An edit of the visible text must never hide an input image, so the record lists the inputs
    found in either; each one taken from the pixels says so in `details["found_in"]`, and the model
    file it used (a ControlNet's) is listed with the other resources, as the text would have listed it.
    """
    left = Counter(technique.kind for technique in info.techniques)
    for technique in hidden.techniques:
        if left[technique.kind] > 0:
            left[technique.kind] -= 1
            continue
        technique.details = {**technique.details, "found_in": hidden.source}
        info.techniques.append(technique)
        info.other_resources += [
            resource
            for resource in hidden.other_resources
            if technique.model and resource.name == technique.model and resource not in info.other_resources
        ]


def interpret(entries: list[RawEntry], stealth: StealthPayload | None) -> GenerationInfo | None:
    """Find and parse the generation record: the first parser that recognises the fields wins.

    When the record came from text chunks and the pixels also hide one, both are compared and
    any disagreement is recorded in `params["hidden_metadata_conflict"]`; image inputs only the
    hidden record names are added to the record.
    """
    fields = Fields.from_entries(entries, stealth)
    info = None
    for parser in PARSERS:
        info = parser(fields)
        if info is not None:
            drop_absurd_numbers(info)  # whichever generator wrote it: no 309-digit step count in the record
            break
    if info is not None and stealth is not None and not info.source.startswith("stealth:"):
        hidden = _hidden(Fields(stealth=stealth))
        if hidden is not None:
            conflicts = hidden_conflicts(info, hidden)
            if conflicts:
                info.params["hidden_metadata_conflict"] = conflicts
            _add_hidden_inputs(info, hidden)
    return info


def read_image(
    path: Path, known: FileDigest | None = None, fast_png: bool = True, damaged_pixels_ok: bool = False
) -> ImageReading:
    """Read, verify and interpret one image file.

    `known` saves hashing the bytes a second time when the caller has just digested the file and
    it has not changed since (same size and modification time); otherwise the bytes are hashed.
    `fast_png` False: Pillow decodes every PNG, loading no numpy, for a reader that hashes no
    pixels (`decoding.decode_file`).
    `damaged_pixels_ok` (`tracker inspect` only): a file whose pixels are damaged or cut short, but
    whose header opens, is not refused: its metadata is read as far as the file goes, and a problem
    says the pixels are damaged and were not checked for hidden metadata. Logging and importing keep
    refusing it: the archive keeps whole pictures, and a search needs their pixels.
    Library warnings about a damaged file (Pillow's "Corrupt EXIF data", ...) never reach the
    terminal: what matters about the file ends in an error or in the reading's problems.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _read_image(path, known, fast_png, damaged_pixels_ok)


def _conflicting(entries: list[RawEntry]) -> list[str]:
    """A PNG text key written twice with different texts (`parameters` appended by a later tool, or planted):
    the reading uses the first, and says so."""
    texts: dict[str, set[str]] = {}
    for entry in entries:
        if entry.container.startswith("png:"):
            texts.setdefault(entry.key, set()).add(entry.value)
    return [
        f"PNG text '{key}' appears {len(found)} times with different texts: the first was read"
        for key, found in texts.items()
        if len(found) > 1
    ]


_PLAIN_PNG_KEYS = frozenset(
    {"Software", "Creation Time", "Author", "Copyright", "Title", "Disclaimer", "Warning", "Source", "Make", "Model"}
    | {"date:create", "date:modify", "date:timestamp", XMP_KEY}
)
"""PNG text keys of ordinary image software (PNG's own keywords, ImageMagick's dates): never a record."""
_EXIF_TEXTS = ("UserComment", "ImageDescription")
_LONG_TEXT = 64
"""Text this long where generators write is worth a warning whatever it says."""
_RECORD_WORDS = re.compile(r"\b(?:prompt|negative|seed|steps?|sampler|cfg|scale|model|lora|checkpoint)\b", re.I)
"""Words any generator's record holds: shorter text without them is an editor's label (`Created with GIMP`)."""


def _looks_like_record(text: str) -> bool:
    text = text.strip()
    return len(text) >= _LONG_TEXT or text.startswith("{") or _RECORD_WORDS.search(text) is not None


def _unread_text(entries: list[RawEntry]) -> list[str]:
    """A problem naming the places generators write to that hold text no parser understood.

    Only called when nothing was read: the user then learns that the file does carry text (a
    tool's format this tracker does not know, or a record too damaged to parse) rather than
    being told flatly that it has no metadata.
    """
    fields = Fields.from_entries(entries)
    found = [
        (f"png:{key}", text)
        for key, text in fields.png.items()
        if key not in _PLAIN_PNG_KEYS and key[:17] != "Raw profile type "
    ]
    found += [(f"exif:{key}", fields.exif[key]) for key in _EXIF_TEXTS if key in fields.exif]
    found.append((fields.comment_source, fields.comment or ""))
    shown = [f"{where} ({len(text):,} characters)" for where, text in found if _looks_like_record(text)]
    for name in xmp_records.XMP_TEXTS:
        text = xmp_property(fields.xmp, name) or ""
        reason = xmp_records.unread_reason(text)  # JSON cut short, damaged or nested too deeply
        if _looks_like_record(text):
            shown.append(f"xmp:{name} ({len(text):,} characters{': ' + reason if reason else ''})")
    return [f"{UNREAD_TEXT}: " + ", ".join(shown)] if shown else []


def _xmp_too_large(entries: list[RawEntry]) -> list[str]:
    """A problem when the file's XMP packet was too large to search."""
    problem = too_large(Fields.from_entries(entries).xmp)
    return [problem] if problem else []


def _decode_or_header(
    path: Path, known: FileDigest | None, fast_png: bool, damaged_ok: bool
) -> tuple[DecodedImage, str | None]:
    """The decoded file and None, or with `damaged_ok` its opened header and why its pixels were not decoded."""
    try:
        return decode_file(path, known, fast_png), None
    except ImageReadError as refused:
        if not damaged_ok or DAMAGED not in str(refused):
            raise
        try:
            header = decode_file(path, known, fast_png, header_only=True)
        except ImageReadError:
            raise refused from None
        return header, str(refused)[str(refused).index(DAMAGED) :]


def _damage_problem(damage: str, pixels_read: bool, lossless: bool) -> str:
    """What `inspect` says of a damaged file it read anyway (`read_image(damaged_pixels_ok=True)`)."""
    if pixels_read:
        return f"{damage}: its metadata was read as far as the file goes"
    unchecked = ", so hidden pixel metadata was not checked" if lossless else ""
    return f"{damage}: its metadata was read as far as the file goes; its pixels could not be read{unchecked}"


def _read_image(path: Path, known: FileDigest | None, fast_png: bool, damaged_ok: bool) -> ImageReading:
    decoded, damage = _decode_or_header(path, known, fast_png, damaged_ok)
    pixels_read = damage is None
    data, image, image_format = decoded.data, decoded.image, decoded.format
    entries, problems = png_text_chunks(data) if image_format == "PNG" else ([], [])
    if TRUNCATED_PNG in problems:
        if not damaged_ok:
            raise ImageReadError(f"{path.name}: {DAMAGED} ({TRUNCATED_PNG})")
        problems.remove(TRUNCATED_PNG)
        damage = damage or f"{DAMAGED} ({TRUNCATED_PNG})"
    if damage is not None:
        problems.insert(0, _damage_problem(damage, pixels_read, image_format in _LOSSLESS_CARRIERS))
    try:
        if pixels_read or image_format != "PNG" or "exif" in image.info:  # Pillow looks past the pixels for eXIf
            entries.extend(exif_entries(image))
    except (OSError, ValueError, SyntaxError, KeyError, TypeError, IndexError, struct.error) as exc:
        problems.append(f"{EXIF_SKIPPED} ({type(exc).__name__})")
    entries.extend(other_entries(image))
    stealth = None
    try:
        stealth = read_stealth(image) if image_format in _LOSSLESS_CARRIERS and pixels_read else None
    except ImageReadError as exc:
        problems.append(f"{HIDDEN_SKIPPED}: {exc}")
    info = interpret(entries, stealth)
    problems.extend(_conflicting(entries))
    problems.extend(xmp_records.moved_problem(info))
    problems.extend(_xmp_too_large(entries))
    if info is None:
        problems.extend(_unread_text(entries))
    try:
        frames = getattr(image, "n_frames", 1)
    except (OSError, EOFError, SyntaxError, ValueError, struct.error):
        frames = 1  # a damaged GIF's later frames: the damage is reported already
    if isinstance(frames, int) and frames > 1:
        problems.append(f"animated image ({frames} frames): only the first frame is hashed and matched")
    return ImageReading(
        path=path,
        data=data,
        sha256=decoded.sha256,
        format=image_format,
        width=decoded.width,
        height=decoded.height,
        image=image,
        entries=entries,
        stealth=stealth,
        info=info,
        problems=problems,
    )
