"""Front-ends without a label of their own: Stability Matrix, TensorArt, Hugging Face Spaces,
LoRA-trainer samples and files that carry only a C2PA manifest. All are reported as `other`,
with the tool's name in `generator_version`.

Several of these wrap a ComfyUI backend and store its `prompt` graph beside their own record
(Stability Matrix `smproj`, TensorArt `generation_data`). The front-end record is what the
person set, so it wins over the graph; `reader.py` runs this parser before the ComfyUI one for
that reason. Everything else here must stay narrow: a plain A1111 or ComfyUI file is not ours.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from tracker.metadata.a1111 import looks_like_infotext, parse_infotext, parse_settings_line, split_infotext
from tracker.metadata.fields import Fields
from tracker.metadata.info import (
    CHECKPOINT,
    UPSCALER,
    VAE,
    GenerationInfo,
    TechniqueRef,
)
from tracker.metadata.jsonsafe import (
    MAX_JSON_CHARS,
    MAX_LIST_ITEMS,
    MAX_TEXT_CHARS,
    as_dict,
    as_float,
    as_int,
    as_text,
    first_items,
    json_object,
    merge_lora,
    prompt_loras,
    pruned,
    quiet_json_object,
    repair_mojibake,
    resource,
)

_C2PA_AI_SOURCE = re.compile(
    r"digitalsourcetype/(trainedAlgorithmicMedia|compositeWithTrainedAlgorithmicMedia|algorithmicMedia"
    r"|compositeSynthetic)",
    re.IGNORECASE,
)
_C2PA_VENDORS = (
    ("OpenAI Media Service API", "OpenAI"),
    ("Google C2PA Core Generator Library", "Google"),
    ("Google LLC", "Google"),
    ("Adobe Firefly", "Adobe Firefly"),
    ("Microsoft", "Microsoft"),
)
_TRAINER_MODEL = re.compile(r"^\d+\.safetensors$")
_HF_KEYS = ("num_inference_steps", "guidance_scale", "Model", "sampler")


def _records(fields: Fields) -> dict[str, str]:
    """The PNG text chunks, plus the keys of a UserComment JSON envelope (a JPEG/WebP re-save)."""
    merged: dict[str, str] = dict(fields.png)
    envelope = quiet_json_object(fields.exif.get("UserComment"))
    if envelope:
        for key in ("smproj", "parameters-json", "generation_data", "parameters", "prompt"):
            value = envelope.get(key)
            if key not in merged and value is not None:
                merged[key] = value if isinstance(value, str) else json.dumps(value)
    return merged


def _stability_matrix(fields: Fields) -> GenerationInfo | None:
    """Stability Matrix Inference: `parameters-json` (typed), `parameters` (A1111 text), `smproj`."""
    record = _records(fields)
    if "smproj" not in record and "parameters-json" not in record:
        return None
    warnings: list[str] = []
    source = "png:parameters-json" if "parameters-json" in record else "png:smproj"
    text = record.get("parameters")
    info: GenerationInfo
    if isinstance(text, str) and text.strip() and quiet_json_object(text) is None:
        info = parse_infotext(repair_mojibake(text), source)
        info.warnings = [w for w in info.warnings if "no settings line" not in w]
    else:
        info = GenerationInfo(generator="other", source=source)
    info.generator = "other"
    info.generator_version = "Stability Matrix"
    data = json_object(record.get("parameters-json"), "parameters-json", warnings) or {}
    project = json_object(record.get("smproj"), "smproj", warnings) or {}
    if data:
        prompt = as_text(data.get("PositivePrompt"), "PositivePrompt", warnings)
        negative = as_text(data.get("NegativePrompt"), "NegativePrompt", warnings)
        info.prompt = prompt if prompt is not None else info.prompt
        info.negative_prompt = negative if negative is not None else info.negative_prompt
        info.steps = as_int(data.get("Steps"), "Steps", warnings, minimum=1) or info.steps
        info.sampler = as_text(data.get("Sampler"), "Sampler", warnings) or info.sampler
        cfg = as_float(data.get("CfgScale"), "CfgScale", warnings)
        info.cfg = cfg if cfg is not None else info.cfg
        seed = as_int(data.get("Seed"), "Seed", warnings)
        info.seed = seed if seed is not None else info.seed
        info.width = as_int(data.get("Width"), "Width", warnings, minimum=1) or info.width
        info.height = as_int(data.get("Height"), "Height", warnings, minimum=1) or info.height
        name = as_text(data.get("ModelName"), "ModelName", warnings)
        digest = data.get("ModelHash")
        if name or digest:
            info.model = resource(CHECKPOINT, name, digest)
        for ref in prompt_loras(info.prompt):
            merge_lora(info.loras, ref.name, None, ref.weight)
    if project:
        info.techniques = []  # the project type says what the inputs were; infotext keys would guess
        _stability_matrix_project(project, info, warnings)
    info.params = pruned({**info.params, "parameters-json": data, "smproj": project})
    info.warnings.extend(warnings)
    return info


def _stability_matrix_project(project: dict[str, Any], info: GenerationInfo, warnings: list[str]) -> None:
    """Image inputs from the saved project: its type, and enabled ControlNet / IP-Adapter modules."""
    state = as_dict(project.get("State"))
    sampler = as_dict(state.get("Sampler"))
    kind = str(project.get("ProjectType") or "")
    if kind in ("ImageToImage", "Inpainting"):
        strength = None
        if sampler.get("IsDenoiseStrengthEnabled", True):
            strength = as_float(sampler.get("DenoiseStrength"), "DenoiseStrength", warnings)
        info.techniques.append(
            TechniqueRef(kind="inpaint" if kind == "Inpainting" else "img2img", weight=strength, details={"via": kind})
        )
    for module in _sm_modules(state):
        module_type = str(module.get("$type", ""))
        if not module.get("IsEnabled", False):
            continue
        lowered = module_type.lower()
        if "controlnet" in lowered or "ipadapter" in lowered:
            card = next((m for m in _sm_values(module) if isinstance(m, dict)), module)
            model = card.get("SelectedModel")
            model_name = model.get("Name") if isinstance(model, dict) else model
            info.techniques.append(
                TechniqueRef(
                    kind="ipadapter" if "ipadapter" in lowered else "controlnet",
                    model=str(model_name) if isinstance(model_name, str) and model_name else None,
                    weight=as_float(card.get("Strength"), f"{module_type} Strength", warnings),
                    details={"via": module_type},
                )
            )


def _sm_values(node: Any) -> list[Any]:
    """The `$values` list of a Stability Matrix (.NET-serialized) collection."""
    values = node.get("$values") if isinstance(node, dict) else None
    return values[:MAX_LIST_ITEMS] if isinstance(values, list) else []


def _sm_modules(state: dict[str, Any]) -> Iterable[dict[str, Any]]:
    """Module cards of the project (top level and the sampler's add-ons), one level deep."""
    sampler = as_dict(state.get("Sampler"))
    for holder in (state.get("Modules"), sampler.get("Modules")):
        for item in _sm_values(holder):
            if isinstance(item, dict):
                yield item


# --- TensorArt -------------------------------------------------------------------------------------


def _tensorart(fields: Fields) -> GenerationInfo | None:
    """TensorArt's `generation_data` JSON (its backend ComfyUI graph is only used for the real seed)."""
    record = _records(fields)
    raw = record.get("generation_data")
    if raw is None:
        return None
    warnings: list[str] = []
    info = GenerationInfo(generator="other", source="png:generation_data", generator_version="TensorArt")
    data = json_object(repair_mojibake(raw) if isinstance(raw, str) else raw, "generation_data", warnings) or {}
    info.prompt = as_text(data.get("prompt"), "prompt", warnings)
    info.negative_prompt = as_text(data.get("negativePrompt"), "negativePrompt", warnings)
    info.width = as_int(data.get("width"), "width", warnings, minimum=1)
    info.height = as_int(data.get("height"), "height", warnings, minimum=1)
    info.steps = as_int(data.get("steps"), "steps", warnings, minimum=1)
    info.cfg = as_float(data.get("cfgScale"), "cfgScale", warnings)
    info.sampler = as_text(data.get("ksamplerName"), "ksamplerName", warnings) or as_text(
        data.get("samplerName"), "samplerName", warnings
    )
    info.scheduler = as_text(data.get("schedule"), "schedule", warnings)
    seed = as_int(data.get("seed"), "seed", warnings)
    if seed is None or seed < 0:
        # -1 means "random": the seed that was drawn is only in the backend graph, if anywhere.
        seed = _graph_seed(record.get("prompt"))
        if seed is not None:
            warnings.append("generation_data says the seed was random; the backend graph's seed was taken")
    info.seed = seed
    base = data.get("baseModel")
    if isinstance(base, dict):
        name = as_text(base.get("modelFileName"), "baseModel.modelFileName", warnings)
        info.model = resource(CHECKPOINT, name, base.get("hash"))
    vae = as_text(data.get("sdVae"), "sdVae", warnings)
    if vae and vae.lower() not in ("automatic", "none", "auto"):
        info.vae = resource(VAE, vae)
    for item in first_items(data.get("models"), "models", warnings):
        if isinstance(item, dict) and str(item.get("type", "")).upper() in ("LORA", "LYCORIS", "LOCON", "DORA"):
            name = as_text(item.get("modelFileName") or item.get("label"), "models.modelFileName", warnings)
            merge_lora(info.loras, name, item.get("hash"), as_float(item.get("weight"), "models.weight", warnings))
    for item in first_items(data.get("controlnets") or data.get("controlNets"), "controlnets", warnings):
        if isinstance(item, dict):
            model = item.get("model") or item.get("modelFileName")
            info.techniques.append(
                TechniqueRef(
                    kind="controlnet",
                    module=as_text(item.get("preprocessor"), "controlnet.preprocessor", warnings),
                    model=model if isinstance(model, str) else None,
                    weight=as_float(item.get("weight"), "controlnet.weight", warnings),
                    details={"via": "generation_data"},
                )
            )
    info.params = pruned(data)
    info.warnings.extend(warnings)
    return info


def _graph_seed(text: object) -> int | None:
    """The seed of the backend graph's sampler, when the graph has exactly one distinct seed."""
    graph = quiet_json_object(text)
    if not graph:
        return None
    seeds: set[int] = set()
    for node in list(graph.values())[:4096]:
        if not isinstance(node, dict) or "sampler" not in str(node.get("class_type", "")).lower():
            continue
        inputs = as_dict(node.get("inputs"))
        for key in ("seed", "noise_seed"):
            value = inputs.get(key)
            if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
                seeds.add(value)
    return seeds.pop() if len(seeds) == 1 else None


# --- Hugging Face Spaces -----------------------------------------------------------------------------


def _hf_space(fields: Fields) -> GenerationInfo | None:
    """A Gradio Space (Animagine XL and its clones): JSON `parameters` with `resolution` "W x H"."""
    for source, text in (
        ("png:parameters", fields.png.get("parameters")),
        ("exif:UserComment", fields.exif.get("UserComment")),
    ):
        data = quiet_json_object(text)
        if data is None or not _is_hf_space(data):
            continue
        warnings: list[str] = []
        info = GenerationInfo(generator="other", source=source, generator_version="Hugging Face Space")
        info.prompt = as_text(data.get("prompt"), "prompt", warnings)
        info.negative_prompt = as_text(data.get("negative_prompt"), "negative_prompt", warnings)
        size = re.fullmatch(r"\s*(\d{1,6})\s*[x×*]\s*(\d{1,6})\s*", str(data.get("resolution", ""))[:40])
        if size:
            info.width, info.height = int(size.group(1)), int(size.group(2))
        info.cfg = as_float(data.get("guidance_scale"), "guidance_scale", warnings)
        info.steps = as_int(data.get("num_inference_steps"), "num_inference_steps", warnings, minimum=1)
        info.seed = as_int(data.get("seed"), "seed", warnings)
        info.sampler = as_text(data.get("sampler"), "sampler", warnings)
        name = as_text(data.get("Model"), "Model", warnings)
        digest = data.get("Model hash")
        if name or digest:
            info.model = resource(CHECKPOINT, name, digest)
        upscaler = data.get("use_upscaler")
        if isinstance(upscaler, dict):
            info.hires = pruned(upscaler)
            method = upscaler.get("upscale_method")
            if isinstance(method, str) and method:
                info.other_resources.append(resource(UPSCALER, method[:200], role="hires"))
        for ref in prompt_loras(info.prompt):
            merge_lora(info.loras, ref.name, None, ref.weight)
        info.params = pruned(data)
        info.warnings.extend(warnings)
        return info
    return None


def _is_hf_space(data: Mapping[str, Any]) -> bool:
    """`resolution` + `prompt` + a diffusers-style key, and none of the keys other tools use."""
    if "resolution" not in data or "prompt" not in data:
        return False
    foreign = (
        "base_model",
        "full_prompt",
        "metadata_scheme",
        "use_stable_diffusion_model",
        "sui_image_params",
        "software",
    )
    return any(k in data for k in _HF_KEYS) and not any(k in data for k in foreign)


# --- LoRA-trainer samples ------------------------------------------------------------------------


def _trainer_sample(fields: Fields) -> GenerationInfo | None:
    """A kohya sd-scripts / Civitai-trainer sample: A1111-style text naming the base model by its
    Civitai id (`Model: 132760.safetensors`), with no seed and no version — the trainer wrote it,
    not a web UI."""
    for source, text in (
        ("exif:UserComment", fields.exif.get("UserComment")),
        ("png:parameters", fields.png.get("parameters")),
    ):
        if not isinstance(text, str) or len(text) > MAX_TEXT_CHARS or not looks_like_infotext(text):
            continue
        _, _, settings = split_infotext(text)
        params = parse_settings_line(settings) if settings else {}
        model = str(params.get("Model", "")).strip()
        if "Seed" in params or "Version" in params or not _TRAINER_MODEL.match(model):
            continue
        info = parse_infotext(text, source)
        info.generator = "other"
        info.generator_version = "LoRA-trainer sample (kohya sd-scripts / Civitai trainer)"
        return info
    return None


# --- C2PA-only files -------------------------------------------------------------------------------


def _c2pa_only(fields: Fields) -> GenerationInfo | None:
    """A file whose only AI statement is a Content Credentials manifest (ChatGPT, Gemini, Firefly).

    Claimed only when the manifest (or the XMP DigitalSourceType) says the content was made by a
    trained model and the file carries no generation record of any other kind.
    """
    manifest = getattr(fields, "c2pa", None) or next(
        (v for k, v in fields.png.items() if k.lower() in ("c2pa", "cabx", "jumbf")), None
    )
    candidates = [
        (src, t[:MAX_JSON_CHARS]) for src, t in (("png:caBX", manifest), ("xmp", fields.xmp)) if isinstance(t, str)
    ]
    found = next(((src, m) for src, t in candidates if (m := _C2PA_AI_SOURCE.search(t))), None)
    if found is None or _has_generation_record(fields):
        return None
    source, statement = found
    vendor = next((label for _, text in candidates for marker, label in _C2PA_VENDORS if marker in text), None)
    info = GenerationInfo(
        generator="other",
        source=source,
        generator_version=f"C2PA: {vendor}" if vendor else "C2PA Content Credentials",
    )
    info.params = {
        "c2pa_vendor": vendor,
        "digital_source_type": f"http://cv.iptc.org/newscodes/digitalsourcetype/{statement.group(1)}",
    }
    info.warnings.append("only a C2PA manifest states AI generation; no generation settings are recorded")
    return info


_RECORD_KEYS = frozenset(
    {
        "parameters",
        "prompt",
        "workflow",
        "invokeai_metadata",
        "invokeai_graph",
        "sd-metadata",
        "Dream",
        "Comment",
        "generation_data",
        "smproj",
        "negative_prompt",
        "Negative Prompt",
        "fooocus_scheme",
    }
)


def _has_generation_record(fields: Fields) -> bool:
    """True when anything besides a provenance manifest could describe the generation."""
    if fields.stealth is not None or _RECORD_KEYS.intersection(fields.png):
        return True
    comment = fields.exif.get("UserComment")
    return isinstance(comment, str) and len(comment.strip()) > 40


_READERS: tuple[Callable[[Fields], GenerationInfo | None], ...] = (
    _stability_matrix,
    _tensorart,
    _hf_space,
    _trainer_sample,
    _c2pa_only,
)


def parse(fields: Fields) -> GenerationInfo | None:
    """The record of one of the `other` front-ends, or None when the fields are not theirs."""
    for reader in _READERS:
        info = reader(fields)
        if info is not None:
            return info
    return None
