"""Fooocus and its forks (RuinedFooocus, Fooocus-MRE).

Fooocus (lllyasviel/Fooocus `modules/meta_parser.py`, `modules/async_worker.py`) writes one of
two schemes, chosen by the user and recorded beside the text:

- PNG: `parameters` + `fooocus_scheme` (`fooocus` = JSON, `a1111` = A1111-style text);
- JPEG/WebP: EXIF UserComment = the text, Software = "Fooocus v…", MakerNote = the scheme.

The JSON scheme has `prompt`/`negative_prompt` (what the person typed; `full_prompt` adds the
style expansions), `resolution` "(W, H)", `guidance_scale`, `sampler`, `scheduler`, `seed`
(a string), `base_model` + `base_model_hash`, `loras` as `[name, weight, hash]` triples and
`version`. The A1111 scheme is ordinary infotext with `Version: Fooocus v…`; it is read by the
A1111 parser and relabelled.

RuinedFooocus writes flat JSON to `parameters` with `"software": "RuinedFooocus"` (`Prompt`,
`Negative`, `base_model_name`, `loras` in three historical shapes); Fooocus-MRE writes JSON to a
PNG `Comment` chunk. Mainline Fooocus does not record image prompts, inpainting or upscale/vary
inputs in its metadata, so no image input can be shown for it; RuinedFooocus' `denoise` < 1
does show an input image.
"""

from __future__ import annotations

import re
from typing import Any

from tracker.metadata.a1111 import looks_like_infotext, parse_infotext
from tracker.metadata.fields import Fields
from tracker.metadata.info import CHECKPOINT, VAE, GenerationInfo, TechniqueRef
from tracker.metadata.jsonsafe import (
    MAX_LIST_ITEMS,
    as_float,
    as_int,
    as_text,
    first_items,
    merge_lora,
    prompt_loras,
    pruned,
    quiet_json_object,
    resource,
)

_RESOLUTION = re.compile(r"^\s*[(\[]?\s*'?(\d{1,6})'?\s*[,x×*]\s*'?(\d{1,6})'?\s*[)\]]?\s*$")
_FOOOCUS_KEYS = ("full_prompt", "full_negative_prompt", "base_model_hash", "metadata_scheme", "adm_guidance")
_RUINED_LORA_TAG = re.compile(r"<([^<>:]{1,300}):([-+]?\d*\.?\d+)>")
_NO_MODEL = {"", "none", "default (model)"}


def parse(fields: Fields) -> GenerationInfo | None:
    """The Fooocus-family record when the Fooocus markers are there, else None."""
    scheme, text, source = _located(fields)
    if text is None:
        return _mre(fields)
    data = quiet_json_object(text)
    if data is not None:
        if str(data.get("software", "")).strip().lower() == "ruinedfooocus":
            return _ruined(data, source)
        if scheme in ("fooocus", None) and (scheme == "fooocus" or _looks_fooocus(data)):
            return _json_scheme(data, source)
        return None
    if scheme == "a1111" or (scheme is None and _a1111_version(text)):
        return _a1111_scheme(text, source)
    return None


def _located(fields: Fields) -> tuple[str | None, str | None, str]:
    """(scheme or None, the metadata text, where it was) for the places Fooocus writes."""
    scheme_png = fields.png.get("fooocus_scheme")
    if isinstance(fields.png.get("parameters"), str):
        scheme = scheme_png.strip().lower() if isinstance(scheme_png, str) else None
        return scheme, fields.png["parameters"], "png:parameters"
    comment = fields.exif.get("UserComment")
    if isinstance(comment, str) and comment.strip():
        maker = fields.exif.get("MakerNote")
        software = fields.exif.get("Software")
        scheme = (
            maker.strip().lower() if isinstance(maker, str) and maker.strip().lower() in ("fooocus", "a1111") else None
        )
        if scheme is None and isinstance(software, str) and software.startswith("Fooocus"):
            scheme = "fooocus" if comment.lstrip().startswith("{") else "a1111"
        return scheme, comment, "exif:UserComment"
    return None, None, ""


def _looks_fooocus(data: dict[str, Any]) -> bool:
    """Fooocus JSON without its scheme marker (a re-saved file): its own keys and version."""
    version = data.get("version")
    if isinstance(version, str) and version.startswith("Fooocus"):
        return True
    return "base_model" in data and "prompt" in data and any(k in data for k in _FOOOCUS_KEYS)


def _a1111_version(text: str) -> bool:
    """A1111-style text whose `Version` names Fooocus (the scheme marker was lost)."""
    return looks_like_infotext(text) and bool(re.search(r"(?:^|[,\n])\s*Version: \"?Fooocus", text[-4096:]))


def _resolution(value: Any) -> tuple[int | None, int | None]:
    """Fooocus writes the size as the text of a Python tuple: `"(768, 1280)"`."""
    match = _RESOLUTION.match(str(value)[:60]) if value is not None else None
    return (int(match.group(1)), int(match.group(2))) if match else (None, None)


def _json_scheme(data: dict[str, Any], source: str) -> GenerationInfo:
    """Fooocus's own JSON scheme (also used by Fooocus-MRE's Comment)."""
    warnings: list[str] = []
    version = as_text(data.get("version"), "version", warnings)
    info = GenerationInfo(generator="fooocus", source=source, generator_version=version)
    info.prompt = as_text(data.get("prompt"), "prompt", warnings)
    info.negative_prompt = as_text(data.get("negative_prompt"), "negative_prompt", warnings)
    info.seed = as_int(data.get("seed"), "seed", warnings)
    info.steps = as_int(data.get("steps"), "steps", warnings, minimum=1)
    info.cfg = as_float(data.get("guidance_scale"), "guidance_scale", warnings)
    info.sampler = as_text(data.get("sampler"), "sampler", warnings)
    info.scheduler = as_text(data.get("scheduler"), "scheduler", warnings)
    info.width, info.height = _resolution(data.get("resolution"))
    if info.width is None and "width" in data:
        info.width = as_int(data.get("width"), "width", warnings, minimum=1)
        info.height = as_int(data.get("height"), "height", warnings, minimum=1)
    _checkpoints(data, info, warnings, "base_model", "refiner_model", "refiner_model_hash")
    vae = as_text(data.get("vae"), "vae", warnings)
    if vae and vae.strip().lower() not in _NO_MODEL:
        info.vae = resource(VAE, vae)
    for item in first_items(data.get("loras"), "loras", warnings):
        if isinstance(item, list) and item and isinstance(item[0], str):
            weight = as_float(item[1], "loras weight", warnings) if len(item) > 1 else None
            merge_lora(info.loras, item[0], item[2] if len(item) > 2 else None, weight)
    for key in sorted(k for k in data if k.startswith("lora_combined_"))[:MAX_LIST_ITEMS]:
        value = data[key]
        if isinstance(value, str) and " : " in value:
            parts = value.split(" : ")
            enabled, name, weight_text = ("True", *parts) if len(parts) == 2 else parts[:3]
            if enabled.strip() != "False":
                merge_lora(info.loras, name, None, as_float(weight_text, key, warnings))
    info.params = pruned(data)
    info.warnings.extend(warnings)
    return info


def _checkpoints(
    data: dict[str, Any], info: GenerationInfo, warnings: list[str], base: str, refiner: str, refiner_hash: str | None
) -> None:
    """The base model (named, or known only by `base_model_hash`) and the refiner unless none was used."""
    name = as_text(data.get(base), base, warnings)
    if name or data.get("base_model_hash"):
        info.model = resource(CHECKPOINT, name, data.get("base_model_hash"))
    refiner_name = as_text(data.get(refiner), refiner, warnings)
    if refiner_name and refiner_name.strip().lower() not in _NO_MODEL:
        hash_value = data.get(refiner_hash) if refiner_hash else None
        info.other_resources.append(resource(CHECKPOINT, refiner_name, hash_value, role="refiner"))


def _a1111_scheme(text: str, source: str) -> GenerationInfo:
    """Fooocus's A1111-style text: the webui rules, plus Fooocus's `Lora weights` list."""
    info = parse_infotext(text, source)
    info.generator = "fooocus"
    weights = info.params.get("Lora weights")
    if isinstance(weights, str):
        for item in weights.split(", ")[:MAX_LIST_ITEMS]:
            name, sep, weight = item.rpartition(": ")
            if sep:
                merge_lora(info.loras, name, None, as_float(weight, "Lora weights", info.warnings))
    return info


def _ruined(data: dict[str, Any], source: str) -> GenerationInfo:
    """RuinedFooocus (runew0lf/RuinedFooocus): flat JSON, model names with their extension."""
    warnings: list[str] = []
    info = GenerationInfo(generator="fooocus", source=source, generator_version="RuinedFooocus")
    info.prompt = as_text(data.get("Prompt", data.get("prompt")), "Prompt", warnings)
    info.negative_prompt = as_text(data.get("Negative"), "Negative", warnings)
    info.seed = as_int(data.get("seed"), "seed", warnings)
    info.steps = as_int(data.get("steps"), "steps", warnings, minimum=1)
    info.cfg = as_float(data.get("cfg"), "cfg", warnings)
    info.sampler = as_text(data.get("sampler_name"), "sampler_name", warnings)
    info.scheduler = as_text(data.get("scheduler"), "scheduler", warnings)
    info.width = as_int(data.get("width"), "width", warnings, minimum=1)
    info.height = as_int(data.get("height"), "height", warnings, minimum=1)
    _checkpoints(data, info, warnings, "base_model_name", "refiner_model_name", None)
    _ruined_loras(data.get("loras"), info, warnings)
    denoise = as_float(data.get("denoise"), "denoise", warnings)
    if denoise is not None and 0 < denoise < 1:
        info.techniques.append(TechniqueRef(kind="img2img", weight=denoise, details={"via": "denoise"}))
    info.params = pruned(data)
    info.warnings.extend(warnings)
    return info


def _ruined_loras(value: Any, info: GenerationInfo, warnings: list[str]) -> None:
    """The three shapes RuinedFooocus has used: `[[hash, "w - name"]]`, `[{name, weight, hash}]`,
    and the string `"Loras:<name:w>,<name:w>"`."""
    if isinstance(value, str):
        for name, weight in _RUINED_LORA_TAG.findall(value[: 64 * 1024])[:MAX_LIST_ITEMS]:
            merge_lora(info.loras, name, None, as_float(weight, "loras weight", warnings))
        return
    for item in first_items(value, "loras", warnings):
        if isinstance(item, dict):
            name = item.get("name")
            merge_lora(
                info.loras,
                name if isinstance(name, str) else None,
                item.get("hash"),
                as_float(item.get("weight"), "loras weight", warnings),
            )
        elif isinstance(item, list) and len(item) >= 2 and isinstance(item[1], str):
            weight, sep, name = item[1].partition(" - ")
            if sep:
                merge_lora(info.loras, name, item[0], as_float(weight.strip(), "loras weight", warnings))


def _mre(fields: Fields) -> GenerationInfo | None:
    """Fooocus-MRE: JSON in a PNG `Comment` chunk with Fooocus's `base_model` key."""
    comment = fields.png.get("Comment")
    data = quiet_json_object(comment)
    if data is None or "base_model" not in data or "prompt" not in data:
        return None
    info = _json_scheme(data, "png:Comment")
    info.generator_version = info.generator_version or "Fooocus-MRE"
    cfg = data.get("cfg")
    if info.cfg is None and cfg is not None:
        info.cfg = as_float(cfg, "cfg", info.warnings)
    if not info.loras:
        for ref in prompt_loras(info.prompt):
            merge_lora(info.loras, ref.name, None, ref.weight)
    return info
