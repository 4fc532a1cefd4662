"""Easy Diffusion (easydiffusion/easydiffusion, `ui/easydiffusion/utils/save_utils.py`).

With "Metadata format: embed" (off by default) Easy Diffusion stores the request it ran:
PNG gets one text chunk per key (`prompt`, `negative_prompt`, `seed`,
`use_stable_diffusion_model`, `sampler_name`, `width`, `height`, `num_inference_steps`,
`guidance_scale`, `use_lora_model`, `lora_alpha`, ...), JPEG/WebP get the same as a JSON
object in EXIF UserComment. The "txt" flavour uses the UI labels instead (`Prompt`,
`Negative Prompt`, `Stable Diffusion model`, `Steps`, `Guidance Scale`, `LoRA model`, ...).

PNG values are `str()` of the Python value, so a list of LoRAs arrives as `['a', 'b']`.
`prompt_strength` is only kept when an init image was given (img2img; its value is the
denoising strength); `use_controlnet_model` / `control_filter_to_apply` name a ControlNet.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from tracker.metadata.fields import Fields
from tracker.metadata.info import CHECKPOINT, EMBEDDING, HYPERNETWORK, VAE, GenerationInfo, TechniqueRef
from tracker.metadata.jsonsafe import (
    MAX_LIST_ITEMS,
    as_float,
    as_int,
    as_text,
    file_stem,
    merge_lora,
    pruned,
    quiet_json_object,
    resource,
)

# Request key -> the label the "txt" metadata format and the UI use for it.
_LABELS = {
    "prompt": "Prompt",
    "negative_prompt": "Negative Prompt",
    "seed": "Seed",
    "use_stable_diffusion_model": "Stable Diffusion model",
    "clip_skip": "Clip Skip",
    "use_controlnet_model": "ControlNet model",
    "control_filter_to_apply": "ControlNet Filter",
    "use_vae_model": "VAE model",
    "sampler_name": "Sampler",
    "width": "Width",
    "height": "Height",
    "num_inference_steps": "Steps",
    "guidance_scale": "Guidance Scale",
    "prompt_strength": "Prompt Strength",
    "use_lora_model": "LoRA model",
    "lora_alpha": "LoRA Strength",
    "use_hypernetwork_model": "Hypernetwork model",
    "hypernetwork_strength": "Hypernetwork Strength",
    "use_embeddings_model": "Embedding models",
}
_MARKERS = ("use_stable_diffusion_model", "Stable Diffusion model")
_NONE = {"", "none", "null"}


def _is_easydiffusion(record: Mapping[str, Any]) -> bool:
    """Its model key, or a negative prompt together with its step and guidance keys."""
    if any(k in record for k in _MARKERS):
        return True
    has_negative = "negative_prompt" in record or "Negative Prompt" in record
    has_steps = "num_inference_steps" in record or "Steps" in record
    has_guidance = "guidance_scale" in record or "Guidance Scale" in record
    return has_negative and has_steps and has_guidance


def parse(fields: Fields) -> GenerationInfo | None:
    """The Easy Diffusion record (PNG text chunks or a UserComment JSON object), else None."""
    if _is_easydiffusion(fields.png) and not quiet_json_object(fields.png.get("prompt")):
        return _build(dict(fields.png), "png:text", decode_values=True)
    data = quiet_json_object(fields.exif.get("UserComment"))
    if data is not None and _is_easydiffusion(data):
        return _build(data, "exif:UserComment", decode_values=False)
    return None


def _get(record: Mapping[str, Any], key: str) -> Any:
    """The value under its request key or its UI label."""
    if key in record:
        return record[key]
    return record.get(_LABELS.get(key, key))


def _decoded(value: Any) -> Any:
    """A PNG chunk holds `str(value)`: turn `['a', 'b']`, `0.5`, `None` back into values."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text in ("None", ""):
        return None
    if text.startswith("[") and len(text) <= 64 * 1024:
        try:
            parsed = json.loads(text.replace("'", '"'))
        except (ValueError, RecursionError):
            return value
        return parsed if isinstance(parsed, list) else value
    return value


def _names_and_weights(names: Any, weights: Any) -> list[tuple[str, Any]]:
    """Pair `use_lora_model` with `lora_alpha`: a single value, lists, or the txt form "a, b"."""
    if isinstance(names, str) and "," in names and not isinstance(weights, (int, float)):
        names = [n.strip() for n in names.split(",")]
        if isinstance(weights, str):
            weights = [w.strip() for w in weights.split(",")]
    if isinstance(names, str):
        names, weights = [names], [weights]
    if not isinstance(names, list):
        return []
    weights = weights if isinstance(weights, list) else [weights] * len(names)
    pairs = []
    for index, name in enumerate(names[:MAX_LIST_ITEMS]):
        if isinstance(name, str) and name.strip().lower() not in _NONE:
            pairs.append((name, weights[index] if index < len(weights) else None))
    return pairs


def _build(record: dict[str, Any], source: str, decode_values: bool) -> GenerationInfo:
    """Turn the request keys (or their UI labels) into the normalized record."""
    warnings: list[str] = []
    values = {k: _decoded(v) for k, v in record.items()} if decode_values else record
    info = GenerationInfo(generator="easydiffusion", source=source)
    info.prompt = as_text(_get(values, "prompt"), "prompt", warnings)
    info.negative_prompt = as_text(_get(values, "negative_prompt"), "negative_prompt", warnings)
    info.seed = as_int(_get(values, "seed"), "seed", warnings)
    info.steps = as_int(_get(values, "num_inference_steps"), "num_inference_steps", warnings, minimum=1)
    info.cfg = as_float(_get(values, "guidance_scale"), "guidance_scale", warnings)
    info.sampler = as_text(_get(values, "sampler_name"), "sampler_name", warnings)
    info.width = as_int(_get(values, "width"), "width", warnings, minimum=1)
    info.height = as_int(_get(values, "height"), "height", warnings, minimum=1)
    model = as_text(_get(values, "use_stable_diffusion_model"), "use_stable_diffusion_model", warnings)
    if model:
        info.model = resource(CHECKPOINT, model)
    vae = as_text(_get(values, "use_vae_model"), "use_vae_model", warnings)
    if vae and vae.strip().lower() not in _NONE:
        info.vae = resource(VAE, vae)
    for name, weight in _names_and_weights(_get(values, "use_lora_model"), _get(values, "lora_alpha")):
        merge_lora(info.loras, name, None, as_float(weight, "lora_alpha", warnings))
    for name, weight in _names_and_weights(
        _get(values, "use_hypernetwork_model"), _get(values, "hypernetwork_strength")
    ):
        info.other_resources.append(
            resource(HYPERNETWORK, file_stem(name), weight=as_float(weight, "hypernetwork_strength", warnings))
        )
    embeddings = _get(values, "use_embeddings_model")
    for name, _ in _names_and_weights(embeddings, None):
        info.embeddings.append(resource(EMBEDDING, file_stem(name)))

    strength = _get(values, "prompt_strength")
    if strength is not None:
        info.techniques.append(
            TechniqueRef(
                kind="img2img",
                weight=as_float(strength, "prompt_strength", warnings),
                details={"via": "prompt_strength (kept only with an init image)"},
            )
        )
    controlnet = as_text(_get(values, "use_controlnet_model"), "use_controlnet_model", warnings)
    if controlnet and controlnet.strip().lower() not in _NONE:
        module = as_text(_get(values, "control_filter_to_apply"), "control_filter_to_apply", warnings)
        info.techniques.append(
            TechniqueRef(
                kind="controlnet",
                module=None if module is None or module.strip().lower() in _NONE else module,
                model=controlnet,
                details={"via": "use_controlnet_model"},
            )
        )
    info.params = pruned(values)
    info.warnings.extend(warnings)
    return info
