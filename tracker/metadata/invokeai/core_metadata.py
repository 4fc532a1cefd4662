"""InvokeAI 3.x and later: the `invokeai_metadata` JSON (a CoreMetadata object).

Written by `CoreMetadataInvocation` (`invokeai/app/invocations/metadata.py`): `generation_mode`,
`positive_prompt`, `negative_prompt`, `seed`, `steps`, `cfg_scale`, `scheduler`, `width`,
`height`, `model` (`{name, hash, base, …}`; 3.0 wrote `{model_name, base_model}`), `vae`,
`loras`, `controlnets`, `ipAdapters`, `t2iAdapters`, `strength`, `init_image`, `hrf_*`,
`refiner_*`. The 4.x control-layers tab adds `control_layers`; the 5.x canvas adds
`canvas_v2_metadata` (control layers, reference images, regional guidance) and 6.x
`ref_images`. The same object can be the metadata node of a graph (see `graph`).

Image inputs come from `generation_mode` (img2img, inpaint, outpaint), `init_image`, and the
control / reference entries; model hashes lose their `blake3:` prefix.
"""

from __future__ import annotations

from typing import Any

from tracker.metadata.info import CHECKPOINT, VAE, GenerationInfo, ResourceRef, TechniqueRef
from tracker.metadata.jsonsafe import as_float, as_int, as_text, first_items, merge_lora, pruned, resource


def model_ref(kind: str, value: Any, label: str, warnings: list[str], **extra: Any) -> ResourceRef | None:
    """A model field: `{name, hash, base}` (4.x+), `{model_name, base_model}` (3.x) or a bare name."""
    if isinstance(value, str):
        name = as_text(value, label, warnings)
        return resource(kind, name, **extra) if name else None
    if not isinstance(value, dict):
        if value is not None:
            warnings.append(f"{label} is a {type(value).__name__}, not a model; ignored")
        return None
    name = as_text(value.get("name", value.get("model_name")), f"{label}.name", warnings)
    digest = value.get("hash")
    if name is None and digest is None:
        return None
    return resource(kind, name, digest if isinstance(digest, str) else None, **extra)


def _base(value: Any) -> str | None:
    """The base family (`sdxl`, `sd-1`, `flux`) of a model field, to drop adapters InvokeAI skipped."""
    if isinstance(value, dict):
        base = value.get("base", value.get("base_model"))
        return base if isinstance(base, str) else None
    return None


def read_core_metadata(meta: dict[str, Any], source: str, warnings: list[str]) -> GenerationInfo:
    """Read a CoreMetadata object (from the chunk or from the graph's metadata node)."""
    version = as_text(meta.get("app_version"), "app_version", warnings, allow_numbers=True)
    info = GenerationInfo(generator="invokeai", source=source, generator_version=version)
    info.prompt = as_text(meta.get("positive_prompt", meta.get("Positive Prompt")), "positive_prompt", warnings)
    info.negative_prompt = as_text(meta.get("negative_prompt"), "negative_prompt", warnings)
    info.seed = as_int(meta.get("seed"), "seed", warnings)
    info.steps = as_int(meta.get("steps", meta.get("Steps")), "steps", warnings, minimum=1)
    info.cfg = as_float(meta.get("cfg_scale"), "cfg_scale", warnings)
    info.sampler = as_text(meta.get("scheduler"), "scheduler", warnings)
    info.width = as_int(meta.get("width"), "width", warnings, minimum=1)
    info.height = as_int(meta.get("height"), "height", warnings, minimum=1)
    info.model = model_ref(CHECKPOINT, meta.get("model", meta.get("Model")), "model", warnings)
    info.vae = model_ref(VAE, meta.get("vae"), "vae", warnings)
    for item in first_items(meta.get("loras"), "loras", warnings):
        if not isinstance(item, dict):
            continue
        ref = model_ref("lora", item.get("model", item.get("lora")), "loras.model", warnings)
        if ref is not None:
            merge_lora(info.loras, ref.name, ref.hash, as_float(item.get("weight"), "loras.weight", warnings))
    refiner = model_ref(CHECKPOINT, meta.get("refiner_model"), "refiner_model", warnings, role="refiner")
    if refiner is not None:
        info.other_resources.append(refiner)
    hires = {k: v for k, v in meta.items() if k.startswith("hrf_")}
    if hires.get("hrf_enabled") is True:
        info.hires = pruned(hires)
    upscale = model_ref("upscaler", meta.get("upscale_model"), "upscale_model", warnings, role="upscale")
    if upscale is not None:
        info.other_resources.append(upscale)
    info.techniques = _modern_techniques(meta, _base(meta.get("model")), warnings)
    info.params = pruned(meta)
    info.warnings.extend(warnings)
    return info


def _modern_techniques(meta: dict[str, Any], base: str | None, warnings: list[str]) -> list[TechniqueRef]:
    """Image inputs: the generation mode first, then adapters from the lists or, failing those, the layer state."""
    techniques: list[TechniqueRef] = []
    mode = str(meta.get("generation_mode") or "").lower()
    strength = as_float(meta.get("strength"), "strength", warnings)
    init_image = meta.get("init_image")
    if mode.endswith("inpaint") or mode.endswith("outpaint"):
        techniques.append(TechniqueRef(kind="inpaint", weight=strength, details={"via": f"generation_mode {mode}"}))
    elif mode.endswith("img2img") or (init_image and not mode.endswith("txt2img")):
        techniques.append(TechniqueRef(kind="img2img", weight=strength, details={"via": mode or "init_image"}))
    upscale_image = meta.get("upscale_initial_image")
    if upscale_image and not techniques:
        techniques.append(TechniqueRef(kind="img2img", details={"via": "upscale_initial_image"}))

    listed = _listed_adapters(meta, warnings)
    if listed:
        techniques.extend(listed)
    else:
        techniques.extend(_layer_adapters(meta, base, warnings))
    for index, technique in enumerate(t for t in techniques if t.kind not in ("img2img", "inpaint")):
        technique.unit = index
    return techniques


def scalar_weight(value: Any, label: str, warnings: list[str]) -> float | None:
    """A weight, or None for InvokeAI's per-step weight lists (no single number was used)."""
    if isinstance(value, list):
        return None
    return as_float(value, label, warnings)


def _listed_adapters(meta: dict[str, Any], warnings: list[str]) -> list[TechniqueRef]:
    """`controlnets`, `t2iAdapters`, `ipAdapters` (3.x/4.x linear UI)."""
    techniques: list[TechniqueRef] = []
    lists = (
        ("controlnets", "control_model", "control_weight", "controlnet", None),
        ("t2iAdapters", "t2i_adapter_model", "weight", "controlnet", "t2i_adapter"),
        ("ipAdapters", "ip_adapter_model", "weight", "ipadapter", None),
    )
    for key, model_key, weight_key, kind, adapter in lists:
        for item in first_items(meta.get(key), key, warnings):
            if not isinstance(item, dict):
                continue
            model = model_ref(kind, item.get(model_key), f"{key}.{model_key}", warnings)
            details: dict[str, Any] = {"via": key}
            if adapter:
                details["adapter"] = adapter
            for extra in ("control_mode", "method", "begin_step_percent", "end_step_percent"):
                if isinstance(item.get(extra), (str, int, float)):
                    details[extra] = item[extra]
            techniques.append(
                TechniqueRef(
                    kind=kind,
                    model=model.name if model else None,
                    model_hash=model.hash if model else None,
                    weight=scalar_weight(item.get(weight_key), f"{key}.{weight_key}", warnings),
                    details=details,
                )
            )
    return techniques


def _enabled(entity: Any) -> bool:
    """A layer/reference entity that was switched on (entities without the flag count as on)."""
    return isinstance(entity, dict) and entity.get("isEnabled", True) is not False


def _reference_kind(kind: str) -> str:
    """A reference-image config type -> the image-input kind (Redux is a style model)."""
    lowered = kind.lower()
    if lowered in ("ip_adapter", "ipadapter", "flux_ip_adapter"):
        return "ipadapter"
    if "redux" in lowered:
        return "style_model"
    return "reference"


def _adapter_technique(
    config: Any, via: str, base: str | None, warnings: list[str], default_kind: str = "ipadapter"
) -> TechniqueRef | None:
    """One reference-image / control adapter config from the canvas or layer state, if it was usable."""
    if not isinstance(config, dict):
        return None
    model_value = config.get("model")
    model_base = _base(model_value)
    if base and model_base and model_base != base:
        return None
    if default_kind == "controlnet":
        kind = "controlnet"
    else:
        type_value = config.get("type")
        kind = _reference_kind(type_value) if isinstance(type_value, str) else default_kind
        if not config.get("image"):
            return None
    model = model_ref(kind, model_value, f"{via}.model", warnings)
    if model is None and kind in ("controlnet", "ipadapter"):
        return None
    details: dict[str, Any] = {"via": via}
    if isinstance(config.get("type"), str):
        details["type"] = config["type"]
    return TechniqueRef(
        kind=kind,
        model=model.name if model else None,
        model_hash=model.hash if model else None,
        weight=scalar_weight(config.get("weight"), f"{via}.weight", warnings),
        details=details,
    )


def _layer_adapters(meta: dict[str, Any], base: str | None, warnings: list[str]) -> list[TechniqueRef]:
    """Adapters kept in layer state: 4.x `control_layers`, 5.x `canvas_v2_metadata`, 6.x `ref_images`."""
    techniques: list[TechniqueRef] = []

    def add(technique: TechniqueRef | None) -> None:
        if technique is not None:
            techniques.append(technique)

    def add_reference(entity: Any, via: str) -> None:
        """A canvas reference image: its adapter config is under `ipAdapter` or `config`."""
        if _enabled(entity):
            add(_adapter_technique(entity.get("ipAdapter", entity.get("config")), via, base, warnings))

    layers = meta.get("control_layers")
    layer_list = layers.get("layers") if isinstance(layers, dict) else None
    for layer in first_items(layer_list, "control_layers.layers", warnings):
        if not _enabled(layer):
            continue
        kind = str(layer.get("type", ""))
        if kind == "control_adapter_layer":
            add(_adapter_technique(layer.get("controlAdapter"), "control_layers", base, warnings, "controlnet"))
        elif kind == "ip_adapter_layer":
            add(_adapter_technique(layer.get("ipAdapter"), "control_layers", base, warnings))
        elif kind == "regional_guidance_layer":
            for adapter in first_items(layer.get("ipAdapters"), "regional ipAdapters", warnings):
                add(_adapter_technique(adapter, "regional guidance", base, warnings))

    canvas = meta.get("canvas_v2_metadata")
    canvas = canvas if isinstance(canvas, dict) else {}
    for layer in first_items(canvas.get("controlLayers"), "controlLayers", warnings):
        if _enabled(layer) and (layer.get("objects") or "objects" not in layer):
            add(_adapter_technique(layer.get("controlAdapter"), "canvas control layer", base, warnings, "controlnet"))
    for entity in first_items(canvas.get("referenceImages"), "referenceImages", warnings):
        add_reference(entity, "canvas reference image")
    for region in first_items(canvas.get("regionalGuidance"), "regionalGuidance", warnings):
        if not _enabled(region):
            continue
        for entity in first_items(region.get("referenceImages"), "regional referenceImages", warnings):
            add_reference(entity, "regional guidance")
    for entity in first_items(meta.get("ref_images"), "ref_images", warnings):
        if _enabled(entity):
            add(_adapter_technique(entity.get("config"), "ref_images", base, warnings))
    return techniques
