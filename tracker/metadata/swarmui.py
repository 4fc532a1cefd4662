"""SwarmUI (formerly StableSwarmUI): one JSON object with `sui_image_params`, `sui_extra_data`
and `sui_models`.

Where it is (mcmonkeyprojects/SwarmUI `docs/Image Metadata Format.md`, `T2IParamInput.cs`):
PNG `parameters`, JPEG/WebP EXIF UserComment, and in old builds EXIF Model (0x0110). A PNG
usually also holds the ComfyUI `prompt` graph Swarm ran; Swarm's own record is what the person
set, so this parser runs first in `reader.py` and wins over the graph.

`sui_image_params` maps parameter ids (names lowercased, letters only: `cfgscale`,
`initimagecreativity`, `controlnettwostrength`) to values, which may be numbers or numeric
strings; lists may be JSON lists or comma-separated text. Images themselves are never written
(Swarm drops every image value), so an input image shows only through the parameters that go
with it: init-image creativity, mask settings, ControlNet strength/model, ReVision / IP-Adapter
settings. A parameter Swarm reports in `sui_extra_data.unused_parameters` was set but not used,
and is not evidence. `sui_models` lists the model files with their sha256 (`0x…`).
"""

from __future__ import annotations

import re
from typing import Any

from tracker.metadata.fields import Fields
from tracker.metadata.info import CHECKPOINT, EMBEDDING, UPSCALER, VAE, GenerationInfo, ResourceRef, TechniqueRef
from tracker.metadata.jsonsafe import (
    MAX_LIST_ITEMS,
    as_dict,
    as_float,
    as_int,
    as_text,
    file_stem,
    hash_ref,
    json_object,
    merge_lora,
    pruned,
    resource,
)

MARKER = "sui_image_params"
_CONTROLNET_SLOTS = ("", "two", "three")
_MASK_PARAMS = ("maskblur", "maskshrinkgrow", "maskbehavior", "useinpaintingencode", "initimagerecompositemask")
_EMBED_TAG = re.compile(r"<embed(?:ding)?:([^>]{1,300})>", re.IGNORECASE)
_NO_MODEL = {"", "none", "(none)", "automatic", "(use base)"}


def _candidates(fields: Fields) -> list[tuple[str, str]]:
    """Where Swarm writes its JSON, in the order it is looked for."""
    places = [
        ("png:parameters", fields.png.get("parameters")),
        ("exif:UserComment", fields.exif.get("UserComment")),
        ("exif:Model", fields.exif.get("Model")),
        ("exif:ImageDescription", fields.exif.get("ImageDescription")),
        ("png:prompt", fields.png.get("prompt")),
    ]
    return [(src, text) for src, text in places if isinstance(text, str) and MARKER in text]


def parse(fields: Fields) -> GenerationInfo | None:
    """The SwarmUI record when one of the fields carries `sui_image_params`, else None."""
    for source, text in _candidates(fields):
        warnings: list[str] = []
        data = json_object(text, source, warnings)
        if data is None:
            continue
        nested = data.get("parameters") if MARKER not in data else None
        if isinstance(nested, str) and MARKER in nested:
            data = json_object(nested, f"{source} parameters", warnings) or {}
        params = data.get(MARKER)
        if not isinstance(params, dict):
            continue
        return _build(data, params, source, warnings)
    return None


def _build(data: dict[str, Any], params: dict[str, Any], source: str, warnings: list[str]) -> GenerationInfo:
    """Turn one Swarm metadata object into the normalized record."""
    extra = as_dict(data.get("sui_extra_data"))
    unused_raw = extra.get("unused_parameters")
    unused = {str(k) for k in unused_raw[:MAX_LIST_ITEMS]} if isinstance(unused_raw, list) else set()
    models = _models(data.get("sui_models"))
    version = params.get("swarm_version") or extra.get("swarm_version")
    info = GenerationInfo(
        generator="swarmui",
        source=source,
        generator_version=str(version)[:40] if isinstance(version, (str, int, float)) else None,
    )
    info.prompt = as_text(params.get("prompt"), "prompt", warnings)
    info.negative_prompt = as_text(params.get("negativeprompt"), "negativeprompt", warnings)
    info.seed = as_int(params.get("seed"), "seed", warnings)
    info.steps = as_int(params.get("steps"), "steps", warnings, minimum=0)
    info.cfg = as_float(params.get("cfgscale"), "cfgscale", warnings)
    info.sampler = (
        as_text(params.get("sampler"), "sampler", warnings)
        or as_text(params.get("comfyuisampler"), "comfyuisampler", warnings)
        or as_text(params.get("autowebuisampler"), "autowebuisampler", warnings)
    )
    info.scheduler = as_text(params.get("scheduler"), "scheduler", warnings) or as_text(
        params.get("comfyuischeduler"), "comfyuischeduler", warnings
    )
    info.width, info.height = _size(params, warnings)

    model = as_text(params.get("model"), "model", warnings)
    if model:
        info.model = resource(CHECKPOINT, model, _model_hash(models, "model", model))
    vae = as_text(params.get("vae"), "vae", warnings)
    if vae and vae.strip().lower() not in _NO_MODEL:
        info.vae = resource(VAE, vae, _model_hash(models, "vae", vae))

    names = _list(params.get("loras"))
    weights = _list(params.get("loraweights"))
    for index, name in enumerate(names):
        weight = as_float(weights[index], f"loraweights[{index}]", warnings) if index < len(weights) else None
        merge_lora(info.loras, name, _model_hash(models, "loras", name), weight)
    for name in _list(params.get("used_embeddings") or extra.get("used_embeddings")) or _EMBED_TAG.findall(
        info.prompt or ""
    ):
        info.embeddings.append(resource(EMBEDDING, file_stem(name), _model_hash(models, "used_embeddings", name)))

    _refiner(params, models, info, warnings)
    info.techniques = _techniques(params, unused, warnings)
    info.params = pruned({**data})
    info.warnings.extend(warnings)
    return info


def _size(params: dict[str, Any], warnings: list[str]) -> tuple[int | None, int | None]:
    """`rawresolution` "WxH" when set, else width/height as written."""
    raw = params.get("rawresolution")
    if isinstance(raw, str):
        match = re.fullmatch(r"\s*(\d{1,6})\s*x\s*(\d{1,6})\s*", raw[:40])
        if match:
            return int(match.group(1)), int(match.group(2))
    return (
        as_int(params.get("width"), "width", warnings, minimum=1),
        as_int(params.get("height"), "height", warnings, minimum=1),
    )


def _list(value: Any) -> list[str]:
    """A JSON list or a comma-separated string, as stripped strings."""
    if isinstance(value, list):
        items = value[:MAX_LIST_ITEMS]
    elif isinstance(value, str) and len(value) <= 64 * 1024:
        items = value.split(",")[:MAX_LIST_ITEMS]
    else:
        return []
    return [str(item).strip() for item in items if isinstance(item, (str, int, float)) and str(item).strip()]


def _models(value: Any) -> list[dict[str, Any]]:
    """The `sui_models` entries that are objects."""
    return [m for m in value[:MAX_LIST_ITEMS] if isinstance(m, dict)] if isinstance(value, list) else []


def _model_hash(models: list[dict[str, Any]], param: str, name: str) -> str | None:
    """The `sui_models` hash of the file used for `param` whose name matches (extension-insensitive)."""
    stem = file_stem(name).casefold()
    for entry in models:
        entry_name = entry.get("name")
        if entry.get("param") != param or not isinstance(entry_name, str):
            continue
        if file_stem(entry_name).casefold() == stem:
            digest = entry.get("hash")
            return digest if isinstance(digest, str) and hash_ref(digest)[0] else None
    return None


def _refiner(params: dict[str, Any], models: list[dict[str, Any]], info: GenerationInfo, warnings: list[str]) -> None:
    """Swarm's "Refine / Upscale" group: a second pass, possibly upscaled, possibly another model."""
    refine = {k: v for k, v in params.items() if k.startswith("refiner")}
    if not refine:
        return
    info.hires = pruned(refine)
    model = as_text(params.get("refinermodel"), "refinermodel", warnings)
    if model and model.strip().lower() not in _NO_MODEL:
        info.other_resources.append(
            resource(CHECKPOINT, model, _model_hash(models, "refinermodel", model), role="refiner")
        )
    method = as_text(params.get("refinerupscalemethod"), "refinerupscalemethod", warnings)
    if method and method.startswith("model-"):
        info.other_resources.append(ResourceRef(kind=UPSCALER, name=method[len("model-") :], role="hires"))


def _used(params: dict[str, Any], unused: set[str], key: str) -> bool:
    """Set in the parameters and not reported by Swarm as unused."""
    return key in params and key not in unused


def _techniques(params: dict[str, Any], unused: set[str], warnings: list[str]) -> list[TechniqueRef]:
    """Image inputs, read from the parameters that only exist alongside an input image."""
    techniques: list[TechniqueRef] = []
    if _used(params, unused, "initimagecreativity") or isinstance(params.get("initimage"), str):
        masked = any(_used(params, unused, k) for k in _MASK_PARAMS) or isinstance(params.get("maskimage"), str)
        techniques.append(
            TechniqueRef(
                kind="inpaint" if masked else "img2img",
                weight=as_float(params.get("initimagecreativity"), "initimagecreativity", warnings),
                details={"via": "init image"},
            )
        )
    for unit, slot in enumerate(_CONTROLNET_SLOTS):
        prefix = f"controlnet{slot}"
        keys = (f"{prefix}strength", f"{prefix}model", f"{prefix}preprocessor")
        if not any(_used(params, unused, k) for k in keys):
            continue
        model = as_text(params.get(f"{prefix}model"), f"{prefix}model", warnings)
        module = as_text(params.get(f"{prefix}preprocessor"), f"{prefix}preprocessor", warnings)
        techniques.append(
            TechniqueRef(
                kind="controlnet",
                module=None if module is None or module.strip().lower() == "none" else module,
                model=model,
                weight=as_float(params.get(f"{prefix}strength"), f"{prefix}strength", warnings),
                unit=unit,
                details={"via": "controlnet", **{k: params[k] for k in params if k.startswith(prefix)}},
            )
        )
    adapter = as_text(params.get("useipadapterforrevision"), "useipadapterforrevision", warnings)
    if adapter and adapter.strip().lower() != "none" and "useipadapterforrevision" not in unused:
        techniques.append(
            TechniqueRef(
                kind="ipadapter",
                model=adapter,
                weight=as_float(params.get("ipadapterweight"), "ipadapterweight", warnings),
                details={"via": "prompt images"},
            )
        )
    elif _used(params, unused, "revisionstrength"):
        techniques.append(
            TechniqueRef(
                kind="revision",
                weight=as_float(params.get("revisionstrength"), "revisionstrength", warnings),
                details={"via": "prompt images"},
            )
        )
    if params.get("usereferenceonly") in (True, "true", "True") and "usereferenceonly" not in unused:
        techniques.append(TechniqueRef(kind="reference", module="reference_only", details={"via": "prompt images"}))
    return techniques
