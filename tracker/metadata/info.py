"""The normalized generation record every metadata parser returns.

Each generator module (a1111.py, novelai.py, ...) turns what its tool wrote into a
`GenerationInfo`; the rest of the tracker only ever sees this shape.
"""

from __future__ import annotations

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
    instantid, photomaker, vibe_transfer, character_reference, novelai_controlnet, style_model,
    or unknown (an image that reaches sampling in a way no rule knows: check by hand).
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
