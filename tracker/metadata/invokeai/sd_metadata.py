"""InvokeAI 1.15–2.x: `sd-metadata` JSON, with the `Dream` line for what it lacks.

`sd-metadata` holds `model_id`/`model_weights`, `model_hash`, `app_version` and `image` (or an
`images` list) with `prompt` (a string or `[{prompt, weight}]`), `seed`, `steps`, `cfg_scale`,
`sampler`, `width`, `height`, `type` (`txt2img`/`img2img`), `strength_steps`/`strength`,
`init_img`, `init_mask` and `postprocessing` (an `outpaint`/`outcrop` entry means the image
extends an input picture). Where it and the `Dream` line (see `dream`) disagree the JSON is
taken; an image with only a `Dream` line (1.x) is read from that line alone.
"""

from __future__ import annotations

from typing import Any

from tracker.metadata.info import CHECKPOINT, GenerationInfo, TechniqueRef
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
    if dream is not None and dream.command is not None:
        warnings.append(f"Dream is not a generation command ({dream.command!r}); no settings read")
    info.techniques = _legacy_techniques(image, options, warnings)
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
    """`image.prompt`: a string, or `[{prompt, weight}]` (weighted sub-prompts, joined)."""
    if isinstance(value, list):
        parts = [item.get("prompt") for item in value[:MAX_LIST_ITEMS] if isinstance(item, dict)]
        texts = [p for p in parts if isinstance(p, str)]
        return as_text(" ".join(texts), "prompt", warnings) if texts else None
    return as_text(value, "prompt", warnings)


def _legacy_techniques(
    image: dict[str, Any], options: dict[str, str | bool], warnings: list[str]
) -> list[TechniqueRef]:
    """img2img / inpaint from the request type, init image and mask; outpainting post-steps."""
    techniques: list[TechniqueRef] = []
    kind = str(image.get("type", "")).lower()
    # A mask, or outpainting (`-D top 64`, `-c`), means the input picture was partly redrawn.
    masked = bool(image.get("init_mask")) or any(k in options for k in ("init_mask", "out_direction", "outcrop"))
    if kind in ("img2img", "inpaint") or image.get("init_img") or (not image and "init_img" in options):
        strength = image.get("strength_steps", image.get("strength")) if image else None
        if strength is None and isinstance(options.get("strength"), str):
            strength = options["strength"]
        techniques.append(
            TechniqueRef(
                kind="inpaint" if masked or kind == "inpaint" else "img2img",
                weight=as_float(strength, "strength", warnings),
                details={"via": "sd-metadata" if image else "Dream -I"},
            )
        )
    post = image.get("postprocessing")
    for step in post[:MAX_LIST_ITEMS] if isinstance(post, list) else []:
        tool = str(step.get("tool") or step.get("type") or "").lower() if isinstance(step, dict) else ""
        if tool in _OUTPAINT_TOOLS and not any(t.kind == "inpaint" for t in techniques):
            techniques.append(TechniqueRef(kind="inpaint", details={"via": f"postprocessing {tool}"}))
    return techniques
