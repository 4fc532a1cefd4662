"""Front-ends without a label of their own: Stability Matrix, TensorArt, Hugging Face Spaces,
LoRA-trainer samples and files that carry only a C2PA manifest. All are reported as `other`,
with the tool's name in `generator_version`.

Several of these wrap a ComfyUI backend and store its `prompt` graph beside their own record
(Stability Matrix `smproj`, TensorArt `generation_data`). The front-end record is what the
person set, so it wins over the graph; `reader.py` runs this parser before the ComfyUI one for
that reason. Everything else here must stay narrow: a plain A1111 or ComfyUI file is not ours.

The module starts with the small untrusted-JSON helpers that the JSON-writing front-end parsers
(InvokeAI, SwarmUI, Fooocus, Easy Diffusion, Draw Things) share: every value is read with its
type checked, oversized text is refused, and each problem becomes a warning instead of an error.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from tracker.metadata.a1111 import looks_like_infotext, parse_infotext, parse_settings_line, split_infotext
from tracker.metadata.fields import Fields
from tracker.metadata.info import (
    CHECKPOINT,
    LORA,
    UPSCALER,
    VAE,
    GenerationInfo,
    ResourceRef,
    TechniqueRef,
    classify_hash,
)

MAX_JSON_CHARS = 8 * 1024 * 1024
"""Real records are a few kB (a full InvokeAI graph a few hundred); larger JSON is refused."""
MAX_TEXT_CHARS = 256 * 1024
"""A prompt or name longer than this is an attack or an accident; the field is left empty."""
MAX_PARAM_DEPTH = 32
"""Nesting kept in `params`; deeper parts are replaced by a marker so storing never recurses away."""
MAX_PARAM_STRING = 64 * 1024
"""Strings kept in `params` are cut to this length (the typed fields are checked separately)."""
MAX_LIST_ITEMS = 256
"""Entries read from one list (LoRAs, control units, ...); real files have a handful."""

_TOO_DEEP = "<nested too deep: cut>"
_MODEL_EXT = re.compile(r"\.(safetensors|ckpt|pt|pth|bin|sft|gguf|onnx)$", re.IGNORECASE)
_HASH_PREFIX = re.compile(r"^\s*([a-z][a-z0-9_]*):", re.IGNORECASE)
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


# --- shared helpers for JSON-writing front-ends -------------------------------------------------


def load_json(text: object, label: str, warnings: list[str]) -> Any:
    """Parse JSON text written by a generator; None (with a warning) when it cannot be read."""
    if text is None:
        return None
    if not isinstance(text, str):
        warnings.append(f"{label} is a {type(text).__name__}, not JSON text; ignored")
        return None
    stripped = text.strip().rstrip("\0").strip()
    if not stripped:
        return None
    if len(stripped) > MAX_JSON_CHARS:
        warnings.append(f"{label} is larger than {MAX_JSON_CHARS // 2**20} MiB; not parsed")
        return None
    try:
        return json.loads(stripped)
    except RecursionError:
        warnings.append(f"{label} JSON is nested too deeply to read")
    except ValueError as exc:
        warnings.append(f"{label} is not valid JSON ({str(exc)[:80]})")
    return None


def json_object(text: object, label: str, warnings: list[str]) -> dict[str, Any] | None:
    """Like `load_json`, but only a JSON object counts."""
    value = load_json(text, label, warnings)
    if value is None or isinstance(value, dict):
        return value
    warnings.append(f"{label} JSON is a {type(value).__name__}, not an object; ignored")
    return None


def quiet_json_object(text: object) -> dict[str, Any] | None:
    """A JSON object from text that may well be something else (used for detection: no warnings)."""
    if not isinstance(text, str) or not text.lstrip().startswith("{"):
        return None
    value = load_json(text, "", [])
    return value if isinstance(value, dict) else None


def repair_mojibake(text: str) -> str:
    """UTF-8 bytes that were stored in a latin-1 tEXt chunk, decoded back to what was meant.

    TensorArt and Stability Matrix write UTF-8 into tEXt; read as latin-1 (as the PNG spec says)
    a Japanese tag turns into `ã\\x83\\x86...`. Text that is not such a round trip is left alone.
    """
    if not any("\x80" <= c <= "\xff" for c in text):
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def pruned(value: Any, depth: int = 0) -> Any:
    """A copy safe to store: nesting cut at MAX_PARAM_DEPTH, long strings and lists shortened."""
    if isinstance(value, str):
        return value if len(value) <= MAX_PARAM_STRING else value[:MAX_PARAM_STRING] + "…<cut>"
    if depth >= MAX_PARAM_DEPTH:
        return _TOO_DEEP if isinstance(value, (dict, list)) else value
    if isinstance(value, dict):
        return {str(k)[:256]: pruned(v, depth + 1) for k, v in list(value.items())[:4096]}
    if isinstance(value, list):
        return [pruned(v, depth + 1) for v in value[:4096]]
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


def as_dict(value: Any) -> dict[str, Any]:
    """The value when it is a JSON object, else an empty one (so lookups need no type checks)."""
    return value if isinstance(value, dict) else {}


def first_items(value: Any, label: str, warnings: list[str]) -> list[Any]:
    """The entries of a list value (at most MAX_LIST_ITEMS); [] with a warning for a non-list."""
    if value is None:
        return []
    if not isinstance(value, list):
        warnings.append(f"{label} is a {type(value).__name__}, not a list; ignored")
        return []
    if len(value) > MAX_LIST_ITEMS:
        warnings.append(f"{label} has {len(value)} entries; only the first {MAX_LIST_ITEMS} were read")
    return value[:MAX_LIST_ITEMS]


def as_text(value: Any, label: str, warnings: list[str], allow_numbers: bool = False) -> str | None:
    """A string value (None when absent, empty, not a string, or oversized)."""
    if value is None:
        return None
    if allow_numbers and isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        warnings.append(f"{label} is a {type(value).__name__}, not text; ignored")
        return None
    if len(value) > MAX_TEXT_CHARS:
        warnings.append(f"{label} is {len(value) // 1024} KiB long; not read")
        return None
    return value if value.strip() else None


def as_int(value: Any, label: str, warnings: list[str], minimum: int | None = None) -> int | None:
    """An integer value; numeric strings and whole floats count, booleans and junk do not."""
    if value is None or value == "":
        return None
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and math.isfinite(value) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and len(value) <= 40:
        text = value.strip()
        if re.fullmatch(r"[+-]?\d+", text):
            number = int(text)
        elif re.fullmatch(r"[+-]?\d+\.0*", text):
            number = int(float(text))
    if number is None or (minimum is not None and number < minimum):
        warnings.append(f"{label} {str(value)[:40]!r} is not a usable whole number; ignored")
        return None
    return number


def as_float(value: Any, label: str, warnings: list[str]) -> float | None:
    """A finite number value; numeric strings count, booleans and junk do not."""
    if value is None or value == "":
        return None
    number: float | None = None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str) and len(value) <= 40:
        try:
            number = float(value.strip())
        except ValueError:
            number = None
    if number is None or not math.isfinite(number):
        warnings.append(f"{label} {str(value)[:40]!r} is not a usable number; ignored")
        return None
    return round(number, 6)


def hash_ref(value: Any) -> tuple[str | None, str | None]:
    """A hash as written (`blake3:…`, `0x…`, upper case) -> (lowercase hex, kind); (None, None) if not hex."""
    if not isinstance(value, str) or len(value) > 200:
        return None, None
    text = value.strip()
    kind_hint = None
    prefix = _HASH_PREFIX.match(text)
    if prefix:
        kind_hint = prefix.group(1).lower()
        text = text[prefix.end() :]
    digest, kind = classify_hash(text)
    if digest is None:
        return None, None
    if kind_hint and kind_hint.startswith("blake3"):
        kind = "blake3"
    elif kind_hint == "random":
        kind = "random"
    return digest, kind


def resource(kind: str, name: str | None, hash_value: Any = None, **extra: Any) -> ResourceRef:
    """A ResourceRef with its hash normalized (see `hash_ref`)."""
    digest, hash_kind = hash_ref(hash_value)
    return ResourceRef(kind=kind, name=name, hash=digest, hash_kind=hash_kind, **extra)


def file_stem(name: str) -> str:
    """`loras/style/foo.safetensors` or `C:\\x\\foo.ckpt` -> `foo` (the corpus's LoRA naming)."""
    base = name.strip().replace("\\", "/").rsplit("/", 1)[-1]
    return _MODEL_EXT.sub("", base).strip()


def merge_lora(loras: list[ResourceRef], name: str | None, hash_value: Any = None, weight: float | None = None) -> None:
    """Add a LoRA by name (folder and extension dropped), filling hash/weight of a known one."""
    if not name or not file_stem(name):
        return
    stem = file_stem(name)
    digest, hash_kind = hash_ref(hash_value)
    for ref in loras:
        if ref.name is not None and ref.name.casefold() == stem.casefold():
            if ref.hash is None and digest:
                ref.hash, ref.hash_kind = digest, hash_kind
            if ref.weight is None and weight is not None:
                ref.weight = weight
            return
    loras.append(ResourceRef(kind=LORA, name=stem, hash=digest, hash_kind=hash_kind, weight=weight))


def prompt_loras(prompt: str | None) -> list[ResourceRef]:
    """LoRAs named by `<lora:name:weight>` tags in a prompt (the A1111 tag rules)."""
    if not prompt or "<" not in prompt:
        return []
    return [ref for ref in parse_infotext(prompt, "prompt").loras if ref.kind == LORA]


# --- Stability Matrix ------------------------------------------------------------------------------


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
