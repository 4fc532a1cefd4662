"""InvokeAI 1.15–2.x: `sd-metadata` JSON, with the `Dream` line for what it lacks.

`sd-metadata` (`ldm/invoke/args.py` `metadata_dumps`, and the 2.x web server) holds
`model_weights`/`model_id`, `model_hash`, `app_version` and `image` (or an `images` list for a
grid) with `prompt` (a string or weighted `[{prompt, weight}]`, packed back as InvokeAI does),
`seed`, `steps`, `cfg_scale`, `sampler`, `width`, `height`, `type` (`txt2img`/`img2img`),
`variations`, `hires_fix`, `postprocessing` (`esrgan`, `gfpgan`, `codeformer`, `outpaint`, ...).
img2img adds `strength_steps` and `orig_hash` (CLI) or `strength`, `fit`, `init_image_path` and
`mask_image_path`/`mask_hash` (web UI). The init image (path, hash) and the strength are reported
as an image input (`inpaint` when a mask or outpainting redrew part of it); upscalers and face
restorers run afterwards are listed as resources. Where the JSON and the `Dream` line (see
`dream`) disagree the JSON is taken; an image with only a `Dream` line (1.x) is read from it alone.
"""

from __future__ import annotations

from typing import Any

from tracker.metadata.info import CHECKPOINT, UPSCALER, GenerationInfo, ResourceRef, TechniqueRef
from tracker.metadata.invokeai.dream import parse_dream, split_negative
from tracker.metadata.jsonsafe import (
    MAX_LIST_ITEMS,
    MAX_TEXT_CHARS,
    as_float,
    as_int,
    as_text,
    json_object,
    pruned,
    resource,
)

_OUTPAINT_TOOLS = {"outpaint", "outcrop"}
_POSTPROCESSORS = {"esrgan": "RealESRGAN", "gfpgan": "GFPGAN", "codeformer": "CodeFormer", "embiggen": "Embiggen"}


def read_legacy(sd_text: object, dream_text: object) -> GenerationInfo:
    """InvokeAI 1.x/2.x: `sd-metadata` where present, the Dream line for what it lacks."""
    warnings: list[str] = []
    meta = json_object(sd_text, "sd-metadata", warnings) if sd_text is not None else None
    dream = None
    if isinstance(dream_text, str) and len(dream_text) <= MAX_TEXT_CHARS:
        dream = parse_dream(dream_text)
    elif dream_text is not None:
        warnings.append("Dream is not readable text (or too long); ignored")
    image: dict[str, Any] = {}
    if meta is not None:
        raw_image = meta.get("image")
        if raw_image is None and isinstance(meta.get("images"), list) and meta["images"]:
            raw_image = meta["images"][0]
        image = raw_image if isinstance(raw_image, dict) else {}
    source = "png:sd-metadata" if meta is not None else "png:Dream"
    version = as_text(meta.get("app_version"), "app_version", warnings, allow_numbers=True) if meta else None
    info = GenerationInfo(generator="invokeai", source=source, generator_version=version)
    options = dream.options if dream else {}

    prompt_text = _sd_prompt(image.get("prompt"), warnings)
    if prompt_text is None and dream is not None:
        prompt_text = dream.prompt
    if prompt_text:
        info.prompt, info.negative_prompt = split_negative(prompt_text)

    def pick(key: str, dream_key: str, reader: Any, **kw: Any) -> Any:
        value = reader(image.get(key), key, warnings, **kw) if key in image else None
        if value is None and dream_key in options and isinstance(options[dream_key], str):
            value = reader(options[dream_key], f"Dream {dream_key}", warnings, **kw)
        return value

    info.seed = pick("seed", "seed", as_int)
    info.steps = pick("steps", "steps", as_int, minimum=1)
    info.cfg = pick("cfg_scale", "cfg_scale", as_float)
    info.sampler = pick("sampler", "sampler", as_text)
    info.width = pick("width", "width", as_int, minimum=1)
    info.height = pick("height", "height", as_int, minimum=1)
    if meta is not None:
        name = as_text(meta.get("model_weights"), "model_weights", warnings) or as_text(
            meta.get("model_id"), "model_id", warnings
        )
        if name or meta.get("model_hash"):
            info.model = resource(CHECKPOINT, name, meta.get("model_hash"))
    if info.model is None and isinstance(options.get("model"), str):
        info.model = resource(CHECKPOINT, as_text(options["model"], "Dream model", warnings))
    if image.get("hires_fix") is True or options.get("hires_fix") is True:
        info.hires = {"hires_fix": True}
    if dream is not None and dream.command is not None:
        warnings.append(f"Dream is not a generation command ({dream.command!r}); no settings read")
    info.techniques = _legacy_techniques(image, options, warnings)
    info.other_resources.extend(_postprocessing_resources(image, options))
    info.params = pruned(
        {
            "sd-metadata": meta,
            "Dream": dream_text if isinstance(dream_text, str) else None,
            "dream_options": options,
            **({"dream_command": dream.command} if dream and dream.command else {}),
        }
    )
    info.warnings.extend(warnings)
    return info


def _sd_prompt(value: Any, warnings: list[str]) -> str | None:
    """`image.prompt`: a string, or `[{prompt, weight}]` weighted sub-prompts.

    Packed back the way InvokeAI's own `repack_prompt` does: one sub-prompt as it is, several as
    `text:weight` joined by commas (the form its prompt box accepts).
    """
    if isinstance(value, list):
        items = [
            item for item in value[:MAX_LIST_ITEMS] if isinstance(item, dict) and isinstance(item.get("prompt"), str)
        ]
        if not items:
            return None
        if len(items) == 1:
            return as_text(items[0]["prompt"], "prompt", warnings)
        parts = []
        for item in items:
            weight = item.get("weight")
            number = weight if isinstance(weight, (int, float)) and not isinstance(weight, bool) else None
            parts.append(f"{item['prompt']}:{number}" if number is not None else item["prompt"])
        return as_text(",".join(parts), "prompt", warnings)
    return as_text(value, "prompt", warnings)


def _text(value: Any) -> str | None:
    """A non-empty string field (paths, hashes), else None."""
    return value.strip()[:1024] if isinstance(value, str) and value.strip() else None


def _legacy_techniques(
    image: dict[str, Any], options: dict[str, str | bool], warnings: list[str]
) -> list[TechniqueRef]:
    """img2img / inpaint from the request type, init image and mask; outpainting post-steps.

    The CLI wrote `type: img2img`, `strength_steps` and `orig_hash` (the init image's sha256) and
    `-I path -f strength` in the Dream line; the 2.x web UI wrote `strength`, `init_image_path`
    and `mask_image_path`/`mask_hash`. The init image (path and hash) goes in the details, so
    a reviewer can see which picture was used.
    """
    techniques: list[TechniqueRef] = []
    kind = str(image.get("type", "")).lower()
    dream_init = _text(options.get("init_img"))
    init_path = _text(image.get("init_image_path")) or _text(image.get("init_img")) or dream_init
    mask = (
        _text(image.get("mask_image_path"))
        or _text(image.get("init_mask"))
        or _text(image.get("mask_hash"))
        or _text(options.get("init_mask"))
        or _text(options.get("text_mask"))
    )
    # A mask, or outpainting (`-D top 64`, `-c`), means the input picture was partly redrawn.
    masked = bool(mask) or any(k in options for k in ("out_direction", "outcrop"))
    in_json = kind in ("img2img", "inpaint") or bool(
        _text(image.get("init_img")) or _text(image.get("init_image_path"))
    )
    if in_json or dream_init is not None:
        strength = image.get("strength_steps", image.get("strength")) if in_json else None
        if strength is None and isinstance(options.get("strength"), str):
            strength = options["strength"]
        details: dict[str, Any] = {"via": "sd-metadata" if in_json else "Dream -I"}
        if image and not in_json:
            warnings.append("the Dream line names an init image (-I) that sd-metadata does not; reported as used")
        extras = {
            "init_image": init_path,
            "init_image_hash": _text(image.get("orig_hash")),
            "mask": mask,
            "fit": image.get("fit", options.get("fit")) is True or None,
            "inpaint_replace": as_float(image.get("inpaint_replace"), "inpaint_replace", warnings),
        }
        details.update({k: v for k, v in extras.items() if v not in (None, False, 0, 0.0)})
        techniques.append(
            TechniqueRef(
                kind="inpaint" if masked or kind == "inpaint" else "img2img",
                weight=as_float(strength, "strength", warnings),
                details=details,
            )
        )
    for step in _postprocessing(image):
        tool = str(step.get("tool") or step.get("type") or "").lower()
        if tool in _OUTPAINT_TOOLS and not any(t.kind == "inpaint" for t in techniques):
            techniques.append(TechniqueRef(kind="inpaint", details={"via": f"postprocessing {tool}"}))
    return techniques


def _postprocessing(image: dict[str, Any]) -> list[dict[str, Any]]:
    post = image.get("postprocessing")
    return [step for step in post[:MAX_LIST_ITEMS] if isinstance(step, dict)] if isinstance(post, list) else []


def _postprocessing_resources(image: dict[str, Any], options: dict[str, str | bool]) -> list[ResourceRef]:
    """Upscalers and face restorers run after generation (`postprocessing`, Dream `-U`/`-G`/`-ft`)."""
    refs: list[ResourceRef] = []
    tools = {str(step.get("tool") or step.get("type") or "").lower() for step in _postprocessing(image)}
    if "upscale" in options or image.get("upscale"):
        tools.add("esrgan")
    if "facetool_strength" in options or image.get("facetool_strength"):
        tools.add(str(options.get("facetool") or image.get("facetool") or "gfpgan").lower())
    for tool in sorted(tools & _POSTPROCESSORS.keys()):
        refs.append(ResourceRef(kind=UPSCALER, name=_POSTPROCESSORS[tool], role="postprocessing"))
    return refs
