"""InvokeAI, all three generations of its metadata.

- **1.x (lstein/stable-diffusion, "dream")**: PNG `Dream` holds the command line that made the
  image: `"prompt [negative]" -s 50 -S 42 -W 512 -H 768 -C 7.5 -A k_lms -I init.png -f 0.75`.
  Text inside `[...]` is the negative prompt. Lines starting with `!` (`!fix`, `!mask`) or `<`
  are not generations.
- **1.15–2.x**: the same `Dream` plus `sd-metadata` JSON: `model_id`/`model_weights`,
  `model_hash`, `app_version` and `image` (or an `images` list) with `prompt` (a string or
  `[{prompt, weight}]`), `seed`, `steps`, `cfg_scale`, `sampler`, `width`, `height`, `type`
  (`txt2img`/`img2img`), `strength_steps`/`strength`, `init_img`, `init_mask` and
  `postprocessing` (an `outpaint`/`outcrop` entry means the image extends an input picture).
  Where the two disagree the JSON is taken.
- **3.x and later**: `invokeai_metadata` JSON from `CoreMetadataInvocation`
  (`invokeai/app/invocations/metadata.py`): `generation_mode`, `positive_prompt`,
  `negative_prompt`, `seed`, `steps`, `cfg_scale`, `scheduler`, `width`, `height`, `model`
  (`{name, hash, base, …}`; 3.0 wrote `{model_name, base_model}`), `vae`, `loras`,
  `controlnets`, `ipAdapters`, `t2iAdapters`, `strength`, `init_image`, `hrf_*`, `refiner_*`.
  The 4.x control-layers tab adds `control_layers`; the 5.x canvas adds `canvas_v2_metadata`
  (control layers, reference images, regional guidance) and 6.x `ref_images`. Beside it
  `invokeai_graph` (the executed graph) and `invokeai_workflow` may be stored; when the
  metadata is missing the graph is read instead.

Image inputs come from `generation_mode` (img2img, inpaint, outpaint), `init_image`, and the
control / reference entries; model hashes lose their `blake3:` prefix.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tracker.metadata.fields import Fields
from tracker.metadata.info import CHECKPOINT, VAE, GenerationInfo, ResourceRef, TechniqueRef
from tracker.metadata.jsonsafe import (
    MAX_LIST_ITEMS,
    MAX_TEXT_CHARS,
    as_dict,
    as_float,
    as_int,
    as_text,
    first_items,
    json_object,
    merge_lora,
    pruned,
    quiet_json_object,
    resource,
)

_GRAPH_KEYS = ("invokeai_graph", "invokeai_workflow")
_NEGATIVE = re.compile(r"\[([^\[\]]*)\]")
_SWITCH = re.compile(r"^--?[A-Za-z]")
# Dream switches: short letters that may carry their value glued on (`-s50`, `-Ak_lms`).
_SHORT = {
    "s": "steps",
    "S": "seed",
    "W": "width",
    "H": "height",
    "C": "cfg_scale",
    "A": "sampler",
    "I": "init_img",
    "M": "init_mask",
    "f": "strength",
    "G": "gfpgan_strength",
    "U": "upscale",
    "V": "with_variations",
    "v": "variation_amount",
    "n": "iterations",
    "b": "batch_size",
    "g": "grid",
    "F": "fit",
    "x": "skip_normalize",
    "t": "log_tokens",
    "D": "out_direction",
    "c": "outcrop",
    "m": "model",
}
_MULTI = {"cf": "codeformer_fidelity", "ft": "facetool", "tm": "text_mask", "embiggen": "embiggen"}
_LONG = {"sampler_name": "sampler", "init_image": "init_img", "image_strength": "strength"}
_FLAGS = {"fit", "grid", "skip_normalize", "log_tokens", "seamless", "hires_fix", "save_intermediates"}
_OUTPAINT_TOOLS = {"outpaint", "outcrop"}


# --- entry point --------------------------------------------------------------------------------


def parse(fields: Fields) -> GenerationInfo | None:
    """The InvokeAI record when any of its keys is present, else None."""
    png = fields.png
    if "invokeai_metadata" in png:
        return _modern_from_text(png["invokeai_metadata"], "png:invokeai_metadata", png)
    envelope = quiet_json_object(fields.exif.get("UserComment"))
    if envelope is not None and "invokeai_metadata" in envelope:
        value = envelope["invokeai_metadata"]
        return _modern_from_text(value if isinstance(value, str) else _dumps(value), "exif:UserComment", {})
    if "sd-metadata" in png or "Dream" in png:
        return _legacy(png.get("sd-metadata"), png.get("Dream"))
    if any(k in png for k in _GRAPH_KEYS):
        return _graph_only(png)
    return None


def _dumps(value: Any) -> str:
    """A JSON object that arrived already decoded (inside an envelope), as text again."""
    try:
        return json.dumps(value)
    except (TypeError, ValueError, RecursionError):
        return ""


# --- 1.x / 2.x ------------------------------------------------------------------------------------


@dataclass
class DreamCommand:
    """A parsed `Dream` line: the prompt and the switches, or a non-generation command."""

    prompt: str | None = None
    options: dict[str, str | bool] = field(default_factory=dict)
    command: str | None = None
    """`!fix`, `!mask`, ... or a placeholder: the line did not make an image from a prompt."""


def parse_dream(text: str) -> DreamCommand:
    """Split a Dream line into prompt and switches; never raises."""
    text = text.strip()
    if not text or text[0] in "!<":
        return DreamCommand(command=text.split(None, 1)[0][:40] if text else "")
    rest = text
    prompt: str | None = None
    if text.startswith('"'):
        match = re.match(r'"((?:[^"\\]|\\.)*)"', text, re.DOTALL)
        if match:
            prompt = match.group(1).replace('\\"', '"')
            rest = text[match.end() :]
        else:
            prompt, rest = text[1:], ""
    tokens = [(m.start(), m.group()) for m in re.finditer(r"\S+", rest)]
    if prompt is None:
        first = next((i for i, (_, tok) in enumerate(tokens) if _known_switch(tok)), len(tokens))
        prompt = rest[: tokens[first][0]].strip() if first < len(tokens) else rest.strip()
        tokens = tokens[first:]
    return DreamCommand(prompt=prompt, options=_switches([tok for _, tok in tokens]))


def _known_switch(token: str) -> bool:
    """A token that starts the switches (a known short letter, a known word, or any `--name`)."""
    if token.startswith("--"):
        return bool(_SWITCH.match(token))
    body = token[1:]
    return token.startswith("-") and bool(body) and (body in _MULTI or body[0] in _SHORT)


def _switches(tokens: list[str]) -> dict[str, str | bool]:
    """`-s 50 -S42 --fit -f 0.9` -> {"steps": "50", "seed": "42", "fit": True, "strength": "0.9"}."""
    options: dict[str, str | bool] = {}
    index = 0
    while index < len(tokens) and len(options) < 64:
        token = tokens[index]
        index += 1
        if not _SWITCH.match(token):
            continue
        value: str | None = None
        if token.startswith("--"):
            name, _, inline = token[2:].partition("=")
            name = _LONG.get(name, name)
            value = inline or None
        else:
            body = token[1:]
            if body in _MULTI:
                name = _MULTI[body]
            elif body[0] in _SHORT:
                name = _SHORT[body[0]]
                value = body[1:] or None
            else:
                name = body
        if value is None and name not in _FLAGS and index < len(tokens) and not _SWITCH.match(tokens[index]):
            value = tokens[index]
            index += 1
        options[name] = value if value is not None else True
    return options


def split_negative(prompt: str) -> tuple[str | None, str | None]:
    """InvokeAI 1.x/2.x: text in `[...]` is the negative prompt, the rest the positive."""
    negatives = [group.strip() for group in _NEGATIVE.findall(prompt) if group.strip()]
    positive = _NEGATIVE.sub("", prompt).strip()
    return positive or None, ", ".join(negatives) or None


def _legacy(sd_text: object, dream_text: object) -> GenerationInfo:
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


# --- 3.x and later --------------------------------------------------------------------------------


def _modern_from_text(text: object, source: str, png: dict[str, str]) -> GenerationInfo:
    """Parse `invokeai_metadata`; a broken chunk falls back on the graph, keeping the warning."""
    warnings: list[str] = []
    meta = json_object(text, "invokeai_metadata", warnings)
    if meta is None:
        graph_info = _graph_only(png) if any(k in png for k in _GRAPH_KEYS) else None
        info = graph_info or GenerationInfo(generator="invokeai", source=source)
        info.warnings = warnings + info.warnings
        return info
    return _modern(meta, source, warnings)


def _model_ref(kind: str, value: Any, label: str, warnings: list[str], **extra: Any) -> ResourceRef | None:
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


def _modern(meta: dict[str, Any], source: str, warnings: list[str]) -> GenerationInfo:
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
    info.model = _model_ref(CHECKPOINT, meta.get("model", meta.get("Model")), "model", warnings)
    info.vae = _model_ref(VAE, meta.get("vae"), "vae", warnings)
    for item in first_items(meta.get("loras"), "loras", warnings):
        if not isinstance(item, dict):
            continue
        ref = _model_ref("lora", item.get("model", item.get("lora")), "loras.model", warnings)
        if ref is not None:
            merge_lora(info.loras, ref.name, ref.hash, as_float(item.get("weight"), "loras.weight", warnings))
    refiner = _model_ref(CHECKPOINT, meta.get("refiner_model"), "refiner_model", warnings, role="refiner")
    if refiner is not None:
        info.other_resources.append(refiner)
    hires = {k: v for k, v in meta.items() if k.startswith("hrf_")}
    if hires.get("hrf_enabled") is True:
        info.hires = pruned(hires)
    upscale = _model_ref("upscaler", meta.get("upscale_model"), "upscale_model", warnings, role="upscale")
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


def _weight(value: Any, label: str, warnings: list[str]) -> float | None:
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
            model = _model_ref(kind, item.get(model_key), f"{key}.{model_key}", warnings)
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
                    weight=_weight(item.get(weight_key), f"{key}.{weight_key}", warnings),
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
    model = _model_ref(kind, model_value, f"{via}.model", warnings)
    if model is None and kind in ("controlnet", "ipadapter"):
        return None
    details: dict[str, Any] = {"via": via}
    if isinstance(config.get("type"), str):
        details["type"] = config["type"]
    return TechniqueRef(
        kind=kind,
        model=model.name if model else None,
        model_hash=model.hash if model else None,
        weight=_weight(config.get("weight"), f"{via}.weight", warnings),
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


# --- graph only -----------------------------------------------------------------------------------


@dataclass
class _Graph:
    """An InvokeAI graph or workflow reduced to nodes (type, values) and edges."""

    nodes: dict[str, tuple[str, dict[str, Any]]]
    edges: list[tuple[str, str, str, str]]

    def into(self, node_id: str, field_name: str) -> str | None:
        """The node feeding `field_name` of `node_id`."""
        return next((src for src, _, dst, dfield in self.edges if dst == node_id and dfield == field_name), None)

    def feeding(self, node_id: str) -> Iterable[str]:
        """Every node with an edge into `node_id`."""
        return (src for src, _, dst, _ in self.edges if dst == node_id)


def _list(value: Any) -> list[Any]:
    """The value when it is a list, else an empty one."""
    return value if isinstance(value, list) else []


def _load_graph(png: dict[str, str], warnings: list[str]) -> _Graph | None:
    """`invokeai_graph` ({nodes: {id: node}, edges}) or, failing that, `invokeai_workflow`."""
    graph = json_object(png.get("invokeai_graph"), "invokeai_graph", warnings) if "invokeai_graph" in png else None
    if isinstance(graph, dict) and isinstance(graph.get("nodes"), dict):
        nodes = {}
        for node_id, node in list(graph["nodes"].items())[:4096]:
            if isinstance(node, dict):
                nodes[str(node_id)] = (str(node.get("type", "")), node)
        edges = []
        for edge in _list(graph.get("edges"))[:16384]:
            if (
                isinstance(edge, dict)
                and isinstance(edge.get("source"), dict)
                and isinstance(edge.get("destination"), dict)
            ):
                src, dst = edge["source"], edge["destination"]
                edges.append(
                    (str(src.get("node_id")), str(src.get("field")), str(dst.get("node_id")), str(dst.get("field")))
                )
        return _Graph(nodes, edges)
    workflow = (
        json_object(png.get("invokeai_workflow"), "invokeai_workflow", warnings) if "invokeai_workflow" in png else None
    )
    if isinstance(workflow, dict) and isinstance(workflow.get("nodes"), list):
        nodes = {}
        for node in workflow["nodes"][:4096]:
            data = node.get("data") if isinstance(node, dict) else None
            if not isinstance(data, dict):
                continue
            inputs = as_dict(data.get("inputs"))
            values = {k: v.get("value") for k, v in inputs.items() if isinstance(v, dict)}
            nodes[str(data.get("id", node.get("id")))] = (str(data.get("type", "")), values)
        edges = []
        for edge in _list(workflow.get("edges"))[:16384]:
            if isinstance(edge, dict):
                edges.append(
                    (
                        str(edge.get("source")),
                        str(edge.get("sourceHandle")),
                        str(edge.get("target")),
                        str(edge.get("targetHandle")),
                    )
                )
        return _Graph(nodes, edges)
    return None


def _graph_only(png: dict[str, str]) -> GenerationInfo:
    """No metadata chunk: read the graph's own metadata node, or its denoise/noise/prompt nodes."""
    warnings: list[str] = []
    graph = _load_graph(png, warnings)
    source = "png:invokeai_graph" if "invokeai_graph" in png else "png:invokeai_workflow"
    if graph is None:
        info = GenerationInfo(generator="invokeai", source=source)
        info.warnings.extend(warnings or ["the InvokeAI graph could not be read"])
        return info
    for node_type, values in graph.nodes.values():
        if node_type in ("core_metadata", "metadata_accumulator"):
            meta = {k: v for k, v in values.items() if k not in ("id", "type", "is_intermediate", "use_cache")}
            return _modern(meta, source, warnings)
    info = GenerationInfo(generator="invokeai", source=source)
    denoise_id = _main_denoise(graph)
    if denoise_id is not None:
        _, denoise = graph.nodes[denoise_id]
        info.steps = as_int(denoise.get("steps"), "steps", warnings, minimum=1)
        info.cfg = _weight(denoise.get("cfg_scale"), "cfg_scale", warnings)
        info.sampler = as_text(denoise.get("scheduler"), "scheduler", warnings)
        noise_id = graph.into(denoise_id, "noise")
        noise = graph.nodes[noise_id][1] if noise_id in graph.nodes else denoise
        info.seed = as_int(noise.get("seed"), "seed", warnings)
        info.width = as_int(noise.get("width"), "width", warnings, minimum=1)
        info.height = as_int(noise.get("height"), "height", warnings, minimum=1)
        info.prompt = _graph_prompt(graph, graph.into(denoise_id, "positive_conditioning"), warnings)
        info.negative_prompt = _graph_prompt(graph, graph.into(denoise_id, "negative_conditioning"), warnings)
        start = as_float(denoise.get("denoising_start"), "denoising_start", warnings)
        if graph.into(denoise_id, "latents") is not None and start:
            info.techniques.append(TechniqueRef(kind="img2img", weight=round(1 - start, 6), details={"via": "graph"}))
    for node_type, values in graph.nodes.values():
        if node_type.endswith("model_loader") and info.model is None:
            info.model = _model_ref(CHECKPOINT, values.get("model"), "model", warnings)
        elif node_type in ("lora_loader", "sdxl_lora_loader", "flux_lora_loader"):
            ref = _model_ref("lora", values.get("lora"), "lora", warnings)
            if ref is not None:
                merge_lora(info.loras, ref.name, ref.hash, as_float(values.get("weight"), "lora weight", warnings))
        elif node_type in ("controlnet", "t2i_adapter", "ip_adapter", "flux_ip_adapter", "flux_controlnet"):
            kind = "ipadapter" if "ip_adapter" in node_type else "controlnet"
            key = {
                "controlnet": "control_model",
                "flux_controlnet": "control_model",
                "t2i_adapter": "t2i_adapter_model",
            }.get(node_type, "ip_adapter_model")
            model = _model_ref(kind, values.get(key), key, warnings)
            info.techniques.append(
                TechniqueRef(
                    kind=kind,
                    model=model.name if model else None,
                    weight=_weight(values.get("control_weight", values.get("weight")), "weight", warnings),
                    details={"via": "graph", "type": node_type},
                )
            )
    info.params = {"graph_node_types": sorted({t for t, _ in graph.nodes.values()})[:256]}
    info.warnings.extend(warnings)
    info.warnings.append("no invokeai_metadata; settings were read from the graph")
    return info


def _main_denoise(graph: _Graph) -> str | None:
    """The denoise node of the first pass (denoising_start 0), else the first denoise node."""
    candidates = [nid for nid, (t, _) in graph.nodes.items() if "denoise" in t]
    for node_id in candidates:
        if not graph.nodes[node_id][1].get("denoising_start"):
            return node_id
    return candidates[0] if candidates else None


def _graph_prompt(graph: _Graph, node_id: str | None, warnings: list[str]) -> str | None:
    """The prompt text of the conditioning node feeding a denoise input (through collect nodes).

    Walked breadth-first with a visited set, so a hostile graph full of cycles stays linear.
    """
    queue = [node_id] if node_id is not None else []
    seen: set[str] = set()
    while queue and len(seen) < 256:
        current = queue.pop(0)
        if current in seen or current not in graph.nodes:
            continue
        seen.add(current)
        node_type, values = graph.nodes[current]
        if isinstance(values.get("prompt"), str):
            return as_text(values["prompt"], f"{node_type} prompt", warnings)
        queue.extend(graph.feeding(current))
    return None
