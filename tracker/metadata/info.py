"""The normalized generation record every metadata parser returns.

Each generator module (a1111.py, novelai.py, ...) turns what its tool wrote into a
`GenerationInfo`; the rest of the tracker only ever sees this shape.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from typing import Any

# Resource kinds (what a model file is used as).
CHECKPOINT = "checkpoint"
LORA = "lora"
EMBEDDING = "embedding"
HYPERNETWORK = "hypernetwork"
VAE = "vae"
CONTROLNET = "controlnet"
IPADAPTER = "ipadapter"
UPSCALER = "upscaler"
DETECTOR = "detector"

# Which hash a resource hash is (see docs: AutoV1 8 hex, AutoV2 10 hex, LoRA/addnet 12 hex, full sha256).
HASH_AUTOV1 = "autov1"
HASH_AUTOV2 = "autov2"
HASH_SHORT12 = "short12"
HASH_SHA256 = "sha256"
HASH_NOVELAI = "novelai"


# What a generation setting can really be: a value outside is damage (or an attack), not a setting.
# `reader.interpret` keeps it out of every generator's record (`drop_absurd_numbers`), with a warning;
# `params` keeps it as written. The A1111 parser drops them early too, before a unit number names a role.
SEED_RANGE = (-(2**63), 2**64)
"""Seeds are 32- or 64-bit, signed or not (ComfyUI: up to 2**64 - 1; some tools write -1)."""
STEPS_RANGE = (1, 10_000)
CFG_RANGE = (-100.0, 100.0)
"""The widest any front-end offers (ComfyUI: 0 to 100; negative guidance is an experiment, but real)."""
SIZE_RANGE = (1, 65_536)
"""Pixels per side (the largest generators stop at 16,384)."""
UNIT_RANGE = (0, 10_000)
"""A ControlNet / reference unit's number (the webui offers a handful of units)."""


@dataclass
class ResourceRef:
    """A model file named by the metadata: checkpoint, LoRA, embedding, VAE, ControlNet model, ..."""

    kind: str
    name: str | None
    hash: str | None = None
    hash_kind: str | None = None
    weight: float | None = None
    role: str | None = None
    """Where it was used when not the main pass: 'hires', 'refiner', 'adetailer', ..."""


@dataclass
class TechniqueRef:
    """One use of an input image: img2img, a ControlNet unit, IP-Adapter, vibe transfer, ...

    `kind` is one of: img2img, inpaint, controlnet, t2i_adapter, ipadapter, reference, revision,
    instantid, photomaker, vibe_transfer, character_reference, novelai_controlnet, style_model, fabric,
    face_swap (a face put into the picture), composite (a loaded image pasted or blended into the
    output), edit (the output is a loaded image, resized or filtered), or unknown (an image that
    reaches sampling or the output in a way no rule knows: check by hand).
    """

    kind: str
    module: str | None = None
    model: str | None = None
    model_hash: str | None = None
    weight: float | None = None
    unit: int | None = None
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class GenerationInfo:
    """What one generator wrote about how an image was made, normalized."""

    generator: str
    """a1111, forge, sdnext, novelai, comfyui, ..."""
    source: str
    """Where the record was found, e.g. 'png:parameters', 'exif:UserComment', 'stealth:stealth_pngcomp'."""
    generator_version: str | None = None
    generator_variant: str | None = None
    """Which fork or edition within the `generator` family wrote it, when the metadata says so:
    forge, reforge, forge-classic, forge-neo (all `forge`), sdnext, ... `generator` keeps the family
    label the rest of the tracker (and the corpus vocabulary) uses; this names the tool itself."""
    prompt: str | None = None
    negative_prompt: str | None = None
    seed: int | None = None
    steps: int | None = None
    sampler: str | None = None
    scheduler: str | None = None
    cfg: float | None = None
    width: int | None = None
    height: int | None = None
    model: ResourceRef | None = None
    vae: ResourceRef | None = None
    loras: list[ResourceRef] = field(default_factory=list)
    embeddings: list[ResourceRef] = field(default_factory=list)
    other_resources: list[ResourceRef] = field(default_factory=list)
    """Hires/refiner checkpoints, ADetailer detectors, upscalers, hypernetworks ..."""
    techniques: list[TechniqueRef] = field(default_factory=list)
    hires: dict[str, Any] | None = None
    samplers: list[dict[str, Any]] = field(default_factory=list)
    """Every sampling pass that ran (ComfyUI: each executed sampler node with its settings)."""
    params: dict[str, Any] = field(default_factory=dict)
    """Every key/value the generator wrote, as parsed (for the raw view and later rules)."""
    warnings: list[str] = field(default_factory=list)

    def resources(self) -> list[ResourceRef]:
        """Every resource named, main model first."""
        out: list[ResourceRef] = []
        if self.model is not None:
            out.append(self.model)
        if self.vae is not None:
            out.append(self.vae)
        out.extend(self.loras)
        out.extend(self.embeddings)
        out.extend(self.other_resources)
        return out

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict (the stored and `--json` form): `asdict`'s result, without its deep copies.

        Lists and dicts are copied one level deep (what a caller might change); the values inside
        them are the parsers' own JSON-safe values, never changed after parsing.
        """
        out = _shallow(self)
        for key in ("model", "vae"):
            if out[key] is not None:
                out[key] = _shallow(out[key])
        for key in ("loras", "embeddings", "other_resources", "techniques"):
            out[key] = [_shallow(item) for item in out[key]]
        out["samplers"] = [dict(sampler) for sampler in self.samplers]
        out["hires"] = dict(self.hires) if self.hires is not None else None
        out["params"] = dict(self.params)
        out["warnings"] = list(self.warnings)
        return out


def _shown(value: object) -> str:
    """A number as a warning shows it: a whole number of many digits in short (`1.00e+308`)."""
    text = str(value)
    if len(text) <= 24:
        return text
    sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
    return f"{sign}{digits[0]}.{digits[1:3]}e+{len(digits) - 1}" if digits.isdigit() else f"{text[:20]}…"


def _within(
    value: float | None, bounds: tuple[float, float], label: str, warnings: list[str], outcome: str = "ignored"
) -> bool:
    if value is None or isinstance(value, bool) or not isinstance(value, int | float):
        return True  # not a number: its parser's business, not a range's
    if isinstance(value, float) and not math.isfinite(value):
        ok = False
    else:
        ok = bounds[0] <= value <= bounds[1]
    if not ok:
        warnings.append(f"{label} {_shown(value)} is out of range ({bounds[0]:,} to {bounds[1]:,}); {outcome}")
    return ok


def drop_absurd_numbers(info: GenerationInfo) -> GenerationInfo:
    """Leave out of the record the seed, steps, cfg, size and unit numbers no generator could have used.

    Each one dropped (set to None) gets a warning; `params` keeps what was written. Returns `info`.
    """
    warnings = info.warnings
    if not _within(info.seed, SEED_RANGE, "seed", warnings):
        info.seed = None
    if not _within(info.steps, STEPS_RANGE, "steps", warnings):
        info.steps = None
    if not _within(info.cfg, CFG_RANGE, "cfg", warnings):
        info.cfg = None
    width_ok = _within(info.width, SIZE_RANGE, "width", warnings)
    height_ok = _within(info.height, SIZE_RANGE, "height", warnings)
    if not (width_ok and height_ok):
        info.width = info.height = None  # one side without the other is no size
    for technique in info.techniques:
        outcome = f"the {technique.kind} is kept without a unit number"
        if not _within(technique.unit, UNIT_RANGE, f"{technique.kind} unit", warnings, outcome):
            technique.unit = None  # the technique stays: only its number is damaged
    return info


def _shallow(obj: Any) -> dict[str, Any]:
    out = {name: getattr(obj, name) for name in _field_names(type(obj))}
    if "details" in out:
        out["details"] = dict(out["details"])
    return out


_FIELDS: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in fields(cls))
    return names


def classify_hash(value: str | None) -> tuple[str | None, str | None]:
    """Normalize a hash as written (case, `0x` prefix, brackets) and name its kind by length.

    Returns (hash, kind); (None, None) when the value is not hexadecimal.
    """
    if value is None:
        return None, None
    text = value.strip().strip("[]()").strip().lower()
    text = text.removeprefix("0x")
    if not text or any(c not in "0123456789abcdef" for c in text):
        return None, None
    kind = {8: HASH_AUTOV1, 10: HASH_AUTOV2, 12: HASH_SHORT12, 64: HASH_SHA256}.get(len(text))
    return text, kind


def _ref_from(data: Any) -> ResourceRef | None:
    if not isinstance(data, dict) or not data.get("kind"):
        return None
    return ResourceRef(
        kind=str(data["kind"]),
        name=data.get("name"),
        hash=data.get("hash"),
        hash_kind=data.get("hash_kind"),
        weight=data.get("weight"),
        role=data.get("role"),
    )


def _refs(items: Any) -> list[ResourceRef]:
    refs = (_ref_from(item) for item in items or [])
    return [ref for ref in refs if ref is not None]


def info_from_dict(data: dict[str, Any]) -> GenerationInfo:
    """Rebuild a GenerationInfo from its stored dict (unknown keys are ignored)."""
    techniques = [
        TechniqueRef(
            kind=str(t["kind"]),
            module=t.get("module"),
            model=t.get("model"),
            model_hash=t.get("model_hash"),
            weight=t.get("weight"),
            unit=t.get("unit"),
            details=t.get("details") or {},
        )
        for t in data.get("techniques") or []
        if isinstance(t, dict) and t.get("kind")
    ]
    return GenerationInfo(
        generator=str(data.get("generator") or "unknown"),
        source=str(data.get("source") or ""),
        generator_version=data.get("generator_version"),
        generator_variant=data.get("generator_variant"),
        prompt=data.get("prompt"),
        negative_prompt=data.get("negative_prompt"),
        seed=data.get("seed"),
        steps=data.get("steps"),
        sampler=data.get("sampler"),
        scheduler=data.get("scheduler"),
        cfg=data.get("cfg"),
        width=data.get("width"),
        height=data.get("height"),
        model=_ref_from(data.get("model")),
        vae=_ref_from(data.get("vae")),
        loras=_refs(data.get("loras")),
        embeddings=_refs(data.get("embeddings")),
        other_resources=_refs(data.get("other_resources")),
        techniques=techniques,
        hires=data.get("hires"),
        samplers=list(data.get("samplers") or []),
        params=data.get("params") or {},
        warnings=list(data.get("warnings") or []),
    )
