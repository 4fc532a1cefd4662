"""NovelAI's metadata envelope: what was generated, with which model, and from which input images.

NovelAI writes the same envelope in three places: PNG text chunks (`Title`, `Description`,
`Software`="NovelAI", `Source`, `Generation time`, `Comment`), the JSON object in a WebP's EXIF
UserComment, and gzip'd JSON hidden in the alpha channel's low bits. `containers.py`/`stealth.py`
do that container work; this module only reads the flat mapping they hand over.

`Comment` is a JSON object with the request parameters. What matters most to the owner's rules
(`ethical-practices.txt`) is whether an input image was used, and NovelAI records that only
through traces in the request, never the image itself:

- `request_type` `Img2ImgRequest` (img2img) or `NativeInfillingRequest` (inpainting). v1 files
  carry `strength`/`noise` for plain txt2img too, so `strength` alone proves nothing.
- `reference_information_extracted_multiple` / `reference_strength_multiple`: one entry per vibe
  transfer image. The v3 scalars `reference_information_extracted`/`reference_strength` are
  client defaults written even when no image was given, so they are not evidence.
- `director_reference_*` lists (V4.5 character reference; the caption says "character",
  "style" or "character&style").
- `controlnet_model` not null (v1/v2 ControlNet).
- `req_type` (Director tools / "AI augmented image": the output transforms an uploaded image).

Everything here is untrusted: no value is assumed to have its documented type, oversized or
over-nested JSON is refused or cut, and every problem becomes a warning instead of an exception.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any

from tracker.metadata.info import (
    CHECKPOINT,
    HASH_NOVELAI,
    GenerationInfo,
    ResourceRef,
    TechniqueRef,
)

MAX_COMMENT_BYTES = 8 * 1024 * 1024
"""A real Comment is a few kB; anything past this is refused rather than parsed."""
MAX_DEPTH = 32
"""Nesting kept in `params`; deeper parts are replaced by a marker so storing never recurses away."""
MAX_REFERENCES = 64
"""Techniques recorded per reference list; NovelAI allows a handful, a huge list is garbage."""

_ENVELOPE_KEYS = ("Title", "Description", "Software", "Source", "Generation time", "Comment")
_TITLES = {"AI generated image", "NovelAI generated image", "AI augmented image"}
_HEX8 = re.compile(r"[0-9A-Fa-f]{8}")
_SOURCE_PREFIXES = ("Stable Diffusion", "NovelAI Diffusion")
_NAI_KEYS = frozenset(
    {
        "uc",
        "request_type",
        "req_type",
        "signed_hash",
        "v4_prompt",
        "v4_negative_prompt",
        "n_samples",
        "uncond_scale",
        "noise_schedule",
        "controlnet_model",
        "reference_strength_multiple",
    }
)
_TOO_DEEP = "<nested too deep: cut>"

# Model family by Source id, from LlmKira/novelai-python `sdk/ai/_enum.py` PROMOTION and the
# formats doc (A2). Unknown ids fall back on the Source name itself (`NovelAI Diffusion V4.5`).
_FAMILIES: dict[str, str] = {
    **dict.fromkeys(("1D44365E", "F4D50568"), "NAI Diffusion V1 (safe)"),
    **dict.fromkeys(("81274D13", "3B3287AF"), "NAI Diffusion V1 (anime)"),
    **dict.fromkeys(("4CC42576", "1D09C008", "1D09D794", "F64BA557"), "NAI Diffusion V1 (furry)"),
    **dict.fromkeys(("49BFAF6A", "F1022D28"), "NAI Diffusion V2"),
    **dict.fromkeys(("B0BDF6C1", "C1E1DE52", "7BCCAA2C", "1120E6A9", "8BA2AF87"), "NAI Diffusion V3"),
    **dict.fromkeys(("4BE8C60C", "C8704949", "37C2B166", "F306816B", "9CC2F394"), "NAI Diffusion Furry V3"),
    **dict.fromkeys(("37442FCA", "4F49EC75", "CA4B7203", "79F47848", "F6302A9D"), "NAI Diffusion V4 Full"),
    **dict.fromkeys(("7ABFFA2A", "C1CCBA86", "770A9E12"), "NAI Diffusion V4 Curated"),
    **dict.fromkeys(("B9F340FD", "F3D95188"), "NAI Diffusion V4.5 Full"),
    **dict.fromkeys(("5AB81C7C", "B5A2A797"), "NAI Diffusion V4.5 Curated"),
}


def family_of(source_id: str | None) -> str | None:
    """The model family a NovelAI `Source` id names (`C1E1DE52` -> "NAI Diffusion V3"), or None for an unknown id."""
    return _FAMILIES.get((source_id or "").upper())


def envelope_fields(obj: Mapping[str, Any]) -> dict[str, str]:
    """A NovelAI JSON envelope (a WebP's EXIF UserComment, hidden pixel data) as the flat str->str mapping a PNG's
    text chunks give (its Comment may be an object already)."""
    return {str(k): v if isinstance(v, str) else json.dumps(v) for k, v in obj.items()}


def envelope_in(text: str | None) -> dict[str, str] | None:
    """The NovelAI envelope a JSON text holds, as `envelope_fields`; None for any other text."""
    if not text or not text.lstrip().startswith("{") or len(text) > MAX_COMMENT_BYTES:
        return None
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(value, dict):
        return None
    fields = envelope_fields(value)
    return fields if is_novelai(fields) else None


def is_novelai(fields: Mapping[str, str]) -> bool:
    """True when text fields look like NovelAI's.

    `Software` == "NovelAI" is what NovelAI always writes; without it (a stripped or re-saved
    file) a Comment JSON with NovelAI's own keys plus a NovelAI-style `Source` or `Title` is
    accepted, so an A1111 or ComfyUI file with a stray `Comment` is not mistaken for NovelAI.
    """
    software: object = fields.get("Software")
    if isinstance(software, str) and software.strip().casefold() == "novelai":
        return True
    comment, _ = _comment_object(fields.get("Comment"))
    if not isinstance(comment, dict) or not _NAI_KEYS.intersection(comment):
        return False
    source: object = fields.get("Source")
    title: object = fields.get("Title")
    source_ok = isinstance(source, str) and source.strip().startswith(_SOURCE_PREFIXES)
    if source_ok and _split_source(str(source))[1] is not None:
        return True
    return isinstance(title, str) and title.strip() in _TITLES


def parse_novelai(fields: Mapping[str, str], source: str) -> GenerationInfo:
    """Read a NovelAI envelope into a GenerationInfo; never raises on bad values.

    A value that is present but unusable (a seed of "abc", a list where a prompt belongs) leaves
    its field None and adds a warning, so the report can say "the metadata is damaged" instead of
    silently pretending the value was not written.
    """
    info = GenerationInfo(generator="novelai", source=source)
    comment_raw: object = fields.get("Comment")
    comment, problem = _comment_object(comment_raw)
    if problem:
        info.warnings.append(problem)
    params: dict[str, Any] = {}
    if isinstance(comment, dict):
        params.update(_pruned(comment))
    elif comment is not None:
        params["Comment"] = _pruned(comment)
    elif isinstance(comment_raw, str):
        if len(comment_raw) <= MAX_COMMENT_BYTES:
            params["Comment"] = comment_raw
    elif comment_raw is not None:
        params["Comment"] = _pruned(comment_raw)
    c: dict[str, Any] = comment if isinstance(comment, dict) else {}
    _add_envelope(params, fields)

    info.model = _model(fields.get("Source"), info.warnings)
    info.generator_version = _version(info.model, c)
    info.prompt = _prompt(c, fields, info.warnings)
    info.negative_prompt = _text(c.get("uc"), "uc", info.warnings) or _caption(c.get("v4_negative_prompt"))
    info.seed = _int(c, "seed", info.warnings)
    info.steps = _int(c, "steps", info.warnings, minimum=1)
    info.cfg = _float(c, "scale", info.warnings)
    info.sampler = _text(c.get("sampler"), "sampler", info.warnings)
    info.scheduler = _text(c.get("noise_schedule"), "noise_schedule", info.warnings)
    info.width = _int(c, "width", info.warnings, minimum=1)
    info.height = _int(c, "height", info.warnings, minimum=1)

    characters = _characters(c)
    if characters:
        if "characters" in params:
            params["Comment.characters"] = params.pop("characters")
        params["characters"] = characters
    info.params = params
    info.techniques = _techniques(c, fields, info.warnings)
    return info


# --- the envelope -------------------------------------------------------------------------------


def _comment_object(value: object) -> tuple[object, str | None]:
    """The parsed Comment (object or not) and a warning; (None, None) when there is no Comment."""
    if value is None:
        return None, None
    if isinstance(value, dict):
        return value, None
    if not isinstance(value, str):
        return None, f"Comment is a {type(value).__name__}, not JSON text; ignored"
    if not value.strip():
        return None, None
    if len(value) > MAX_COMMENT_BYTES or len(value.encode("utf-8", "surrogatepass")) > MAX_COMMENT_BYTES:
        return None, f"Comment is larger than {MAX_COMMENT_BYTES // 2**20} MB; not parsed"
    try:
        parsed = json.loads(value)
    except RecursionError:
        return None, "Comment JSON is nested too deeply to read; kept as text"
    except ValueError as exc:
        return None, f"Comment is not valid JSON ({str(exc)[:80]}); kept as text"
    if not isinstance(parsed, dict):
        return parsed, f"Comment JSON is a {type(parsed).__name__}, not an object; no settings read"
    return parsed, None


def _pruned(value: Any, depth: int = 0) -> Any:
    """A copy with anything deeper than MAX_DEPTH replaced, so `asdict`/`json.dumps` cannot overflow."""
    if depth >= MAX_DEPTH:
        return _TOO_DEEP if isinstance(value, (dict, list)) else value
    if isinstance(value, dict):
        return {str(k): _pruned(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_pruned(v, depth + 1) for v in value]
    return value


def _add_envelope(params: dict[str, Any], fields: Mapping[str, str]) -> None:
    """Copy every envelope field except Comment into params; a Comment key of the same name moves aside."""
    for key, value in fields.items():
        if key == "Comment":
            continue
        if key in params:
            params[f"Comment.{key}"] = params.pop(key)
        params[str(key)] = value if isinstance(value, str) else _pruned(value)


def _model(value: object, warnings: list[str]) -> ResourceRef | None:
    """`Source` "NovelAI Diffusion V4.5 4BDE2A90" -> checkpoint "NovelAI Diffusion V4.5", hash 4bde2a90."""
    if value is None:
        return None
    if not isinstance(value, str):
        warnings.append(f"Source is a {type(value).__name__}, not text; model not read")
        return None
    name, digest = _split_source(value)
    if name is None:
        return None
    if digest is None:
        return ResourceRef(kind=CHECKPOINT, name=name)
    return ResourceRef(kind=CHECKPOINT, name=name, hash=digest, hash_kind=HASH_NOVELAI)


def _split_source(value: str) -> tuple[str | None, str | None]:
    """("NovelAI Diffusion V4.5", "4bde2a90") from the Source text; (text, None) without an 8-hex id.

    Split on the last whitespace rather than with a backtracking regex: Source is untrusted and
    may be long.
    """
    text = value.strip()
    if not text:
        return None, None
    parts = text.rsplit(None, 1)
    if len(parts) == 2 and _HEX8.fullmatch(parts[1]):
        return parts[0].strip(), parts[1].lower()
    return text, None


def _version(model: ResourceRef | None, comment: dict[str, Any]) -> str | None:
    """The model family (free text): known Source ids by name, else the Source name, else Comment `version`."""
    if model is not None:
        return family_of(model.hash) or model.name
    version = comment.get("version")
    if isinstance(version, (str, int, float)) and not isinstance(version, bool) and str(version).strip():
        return f"metadata version {str(version).strip()[:40]}"
    return None


def model_credit(info: GenerationInfo) -> str | None:
    """The model a credits line names for a NovelAI image, as its generator line does: `NAI Diffusion V3`.

    `Source` names only the base a NovelAI model was built on ("Stable Diffusion XL" for V3), which
    credits the wrong model; a Source id no table knows is credited as `NovelAI (<Source name>)`.
    None for other generators, and when no Source named the model.
    """
    if info.generator != "novelai" or info.model is None or not info.generator_version:
        return None
    version = info.generator_version
    return version if version.startswith(("NAI ", "NovelAI")) else f"NovelAI ({version})"


# --- plain values -------------------------------------------------------------------------------


def _show(value: object) -> str:
    """A short repr of an untrusted value for a warning (never the repr of a huge or deep container)."""
    if isinstance(value, (dict, list)):
        return f"a {type(value).__name__} of {len(value)} items"
    text = repr(value[:61]) if isinstance(value, str) else repr(value)[:200]
    return text if len(text) <= 60 else text[:57] + "..."


def _text(value: object, key: str, warnings: list[str]) -> str | None:
    """A string as written; empty -> None; anything else -> None with a warning."""
    if value is None:
        return None
    if not isinstance(value, str):
        warnings.append(f"{key}: {_show(value)} is not text; ignored")
        return None
    return value if value.strip() else None


def _number(value: object) -> float | None:
    """A finite number from a JSON number or numeric string (booleans are not numbers here)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return float(value) if abs(value) < 2**63 else None
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, str) and len(value) < 64:
        try:
            number = float(value.strip())
        except ValueError:
            return None
        return number if math.isfinite(number) else None
    return None


def _int(comment: dict[str, Any], key: str, warnings: list[str], minimum: int = 0) -> int | None:
    """A whole number >= minimum (seeds are unsigned), or None with a warning when written but unusable."""
    if key not in comment or comment[key] is None:
        return None
    value = comment[key]
    if isinstance(value, int) and not isinstance(value, bool):
        whole: int | None = value
    else:
        number = _number(value)
        whole = int(number) if number is not None and number.is_integer() else None
    if whole is None or whole < minimum:
        warnings.append(f"{key}: {_show(value)} is not a whole number >= {minimum}; ignored")
        return None
    return whole


def _float(comment: dict[str, Any], key: str, warnings: list[str]) -> float | None:
    """A finite number, or None with a warning when written but unusable."""
    if key not in comment or comment[key] is None:
        return None
    number = _number(comment[key])
    if number is None:
        warnings.append(f"{key}: {_show(comment[key])} is not a number; ignored")
    return number


def _weight(value: object, what: str, warnings: list[str]) -> float | None:
    """A strength from a list entry or field; None quietly when absent, with a warning when garbage."""
    if value is None:
        return None
    number = _number(value)
    if number is None:
        warnings.append(f"{what}: {_show(value)} is not a number; weight left empty")
    return number


def _weight_at(values: list[Any], index: int, key: str, warnings: list[str]) -> float | None:
    """Entry `index` of the reference list `key` as a strength (None when the list is shorter)."""
    return _weight(values[index] if index < len(values) else None, f"{key}[{index}]", warnings)


# --- prompts ------------------------------------------------------------------------------------


def _caption(value: object) -> str | None:
    """`v4_prompt`/`v4_negative_prompt` -> caption.base_caption, when it is non-empty text."""
    caption = value.get("caption") if isinstance(value, dict) else None
    base = caption.get("base_caption") if isinstance(caption, dict) else None
    return base if isinstance(base, str) and base.strip() else None


def _prompt(comment: dict[str, Any], fields: Mapping[str, str], warnings: list[str]) -> str | None:
    """Comment `prompt` (the base prompt), else the V4 base caption, else `Description`."""
    prompt = _text(comment.get("prompt"), "prompt", warnings)
    if prompt is not None:
        return prompt
    caption = _caption(comment.get("v4_prompt"))
    if caption is not None:
        return caption
    description: object = fields.get("Description")
    return description if isinstance(description, str) and description.strip() else None


def _char_captions(value: object) -> list[Any]:
    caption = value.get("caption") if isinstance(value, dict) else None
    chars = caption.get("char_captions") if isinstance(caption, dict) else None
    return chars[:MAX_REFERENCES] if isinstance(chars, list) else []


def _center(value: object) -> dict[str, float] | None:
    """`{x, y}` with numeric coordinates, else None (0 means "auto placement" to NovelAI)."""
    if not isinstance(value, dict):
        return None
    x, y = _number(value.get("x")), _number(value.get("y"))
    return {"x": x, "y": y} if x is not None and y is not None else None


def _characters(comment: dict[str, Any]) -> list[dict[str, Any]]:
    """V4 character captions as `[{prompt, uc, center}]` (the shape findings.py reads).

    Prompts come from `v4_prompt.caption.char_captions`, negatives from the same index of
    `v4_negative_prompt`; request-style `characterPrompts` is the fallback.
    """
    positives = _char_captions(comment.get("v4_prompt"))
    negatives = _char_captions(comment.get("v4_negative_prompt"))
    out: list[dict[str, Any]] = []
    for index, item in enumerate(positives):
        if not isinstance(item, dict):
            continue
        negative = negatives[index] if index < len(negatives) and isinstance(negatives[index], dict) else {}
        centers = item.get("centers")
        first = centers[0] if isinstance(centers, list) and centers else None
        prompt, uc = item.get("char_caption"), negative.get("char_caption")
        out.append(
            {
                "prompt": prompt if isinstance(prompt, str) else None,
                "uc": uc if isinstance(uc, str) else None,
                "center": _center(first),
            }
        )
    if out:
        return out
    requested = comment.get("characterPrompts")
    for item in requested[:MAX_REFERENCES] if isinstance(requested, list) else []:
        if isinstance(item, dict):
            prompt, uc = item.get("prompt"), item.get("uc")
            out.append(
                {
                    "prompt": prompt if isinstance(prompt, str) else None,
                    "uc": uc if isinstance(uc, str) else None,
                    "center": _center(item.get("center")),
                }
            )
    return out


# --- input images -------------------------------------------------------------------------------


def _request_types(comment: dict[str, Any]) -> set[str]:
    """`request_type` split on '+' (some tools join several), lower-cased."""
    value = comment.get("request_type")
    if not isinstance(value, str):
        return set()
    return {part.strip().lower() for part in value.split("+") if part.strip()}


def _list(comment: dict[str, Any], key: str, warnings: list[str]) -> list[Any]:
    """A reference list; null/absent -> []; a non-list value -> [] with a warning."""
    value = comment.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        warnings.append(f"{key}: {_show(value)} is not a list; ignored")
        return []
    return value


def _director(comment: dict[str, Any], keys: tuple[str, ...], warnings: list[str]) -> list[Any]:
    """The first non-empty `director_reference_*` list under any of its names, top level first.

    Image metadata writes `director_reference_strengths`, requests `..._strength_values`; V4.5
    also copies them into `extra_passthrough_testing`, read only when the top level is empty.
    """
    passthrough = comment.get("extra_passthrough_testing")
    for scope in (comment, passthrough if isinstance(passthrough, dict) else {}):
        for key in keys:
            values = _list(scope, key, warnings)
            if values:
                return values
    return []


def _capped(count: int, what: str, warnings: list[str]) -> int:
    if count > MAX_REFERENCES:
        warnings.append(f"{what}: {count} entries; only the first {MAX_REFERENCES} recorded")
        return MAX_REFERENCES
    return count


def _reference_caption(value: object) -> str | None:
    """A director description: `{caption: {base_caption: "character&style"}}` or a plain string."""
    if isinstance(value, str):
        return value.strip() or None
    return _caption(value)


def _techniques(comment: dict[str, Any], fields: Mapping[str, str], warnings: list[str]) -> list[TechniqueRef]:
    """Every input-image use the Comment proves, in a stable order."""
    out: list[TechniqueRef] = []
    kinds = _request_types(comment)

    if "img2imgrequest" in kinds:
        out.append(
            TechniqueRef(
                kind="img2img",
                weight=_weight(comment.get("strength"), "strength", warnings),
                details={"request_type": comment.get("request_type"), "noise": _number(comment.get("noise"))},
            )
        )
    if any("infill" in kind or "inpaint" in kind for kind in kinds):
        # NovelAI keeps the generic img2img `strength` default on infill requests; the user's
        # slider is `inpaintImg2ImgStrength`, so only that counts as the weight.
        out.append(
            TechniqueRef(
                kind="inpaint",
                weight=_weight(comment.get("inpaintImg2ImgStrength"), "inpaintImg2ImgStrength", warnings),
                details={
                    "request_type": comment.get("request_type"),
                    "mask_blur": _number(comment.get("mask_blur")),
                    "strength": _number(comment.get("strength")),
                    "noise": _number(comment.get("noise")),
                },
            )
        )

    req_type = comment.get("req_type")
    if req_type is not None:
        module = _text(req_type, "req_type", warnings)
        title: object = fields.get("Title")
        out.append(
            TechniqueRef(
                kind="img2img",
                module=module,
                details={"req_type": module, "title": title if isinstance(title, str) else None},
            )
        )

    extracted = _list(comment, "reference_information_extracted_multiple", warnings)
    strengths = _list(comment, "reference_strength_multiple", warnings)
    count = _capped(max(len(extracted), len(strengths)), "vibe transfer", warnings)
    normalize = comment.get("normalize_reference_strength_multiple")
    for index in range(count):
        out.append(
            TechniqueRef(
                kind="vibe_transfer",
                weight=_weight_at(strengths, index, "reference_strength_multiple", warnings),
                unit=index,
                details={
                    "information_extracted": _weight_at(
                        extracted, index, "reference_information_extracted_multiple", warnings
                    ),
                    "normalize_strength": normalize if isinstance(normalize, bool) else None,
                },
            )
        )

    descriptions = _director(comment, ("director_reference_descriptions",), warnings)
    d_strengths = _director(comment, ("director_reference_strengths", "director_reference_strength_values"), warnings)
    secondary = _director(
        comment,
        ("director_reference_secondary_strengths", "director_reference_secondary_strength_values"),
        warnings,
    )
    d_extracted = _director(comment, ("director_reference_information_extracted",), warnings)
    count = _capped(max(len(descriptions), len(d_strengths)), "character reference", warnings)
    for index in range(count):
        out.append(
            TechniqueRef(
                kind="character_reference",
                module=_reference_caption(descriptions[index]) if index < len(descriptions) else None,
                weight=_weight_at(d_strengths, index, "director_reference_strengths", warnings),
                unit=index,
                details={
                    "secondary_strength": _number(secondary[index]) if index < len(secondary) else None,
                    "information_extracted": _number(d_extracted[index]) if index < len(d_extracted) else None,
                },
            )
        )

    controlnet = comment.get("controlnet_model")
    if controlnet is not None and not (isinstance(controlnet, str) and not controlnet.strip()):
        name = _text(controlnet, "controlnet_model", warnings)
        out.append(
            TechniqueRef(
                kind="novelai_controlnet",
                module=name,
                model=name,
                weight=_weight(comment.get("controlnet_strength"), "controlnet_strength", warnings),
            )
        )
    return out


__all__ = ["MAX_COMMENT_BYTES", "is_novelai", "model_credit", "parse_novelai"]
