"""AUTOMATIC1111 / sd-webui-forge "infotext": the prompt, negative prompt and one line of settings.

Parsed the way the webui parses it (`parse_generation_parameters`): the last line holds the
settings when it has at least three `key: value` items; values with `,`, `:` or newlines are
JSON-quoted; everything before `Negative prompt:` is the prompt. On top of that this module
reads what the webui leaves raw: the Civitai extension's unquoted `Hashes: {...}` JSON, the
ControlNet unit strings (current, legacy and oldest layouts), LoRA tags and their hashes.
Which tool wrote the text (A1111, Forge, reForge, Forge Classic/Neo, SD.Next, a ComfyUI saver
node, Civitai) is told by `webui_versions` from the settings.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from tracker.metadata.info import (
    CHECKPOINT,
    CONTROLNET,
    DETECTOR,
    EMBEDDING,
    HYPERNETWORK,
    LORA,
    UPSCALER,
    VAE,
    GenerationInfo,
    ResourceRef,
    TechniqueRef,
    classify_hash,
    drop_absurd_numbers,
)
from tracker.metadata.webui_versions import identify, split_comfy_sampler

_KEY = re.compile(r"\s*(\w[\w \-/+.]*?):\s*")
_SIZE = re.compile(r"^\s*(\d+)\s*x\s*(\d+)\s*$")
_NETWORK_TAG = re.compile(r"<(lora|lyco|hypernet):([^>]+)>", re.IGNORECASE)
_TRAILING_HASH = re.compile(r"^(.*?)\s*[\[(]([0-9a-fA-F]{8,64})[\])]\s*$")
_CN_ITEM_SPLIT = re.compile(r",\s*(?=[A-Za-z][\w /+\-]*:\s)")
_OLD_CN_KEY = re.compile(
    r"^controlnet(?:-(\d+))? (enabled|module|model|weight|guidance start|guidance end)$", re.IGNORECASE
)
_CN_UNIT_KEY = re.compile(r"^controlnet (\d+)$", re.IGNORECASE)
_DECODER = json.JSONDecoder(strict=False)
"""Control characters inside a quoted value are kept (a strict decoder would drop the whole value)."""
_MAX_DIGITS = 4000
"""Longer digit strings are not read (Python refuses 4,300 or more); shorter absurd ones are read, then
left out of the record with a warning (`drop_absurd_numbers`)."""


MAX_INFOTEXT = 1024 * 1024
"""Longer text is not parsed: real infotexts are a few KiB, and a huge one is an attack or an accident."""


def _is_settings_line(line: str) -> bool:
    """The webui's test: at least three `key: value` items (counted in linear time)."""
    return len(parse_settings_line(line, limit=3)) >= 3


def looks_like_infotext(text: str) -> bool:
    """True when the text has a webui settings line (or at least `Steps:` and `Sampler:`)."""
    if len(text) > MAX_INFOTEXT:
        return "Steps: " in text[-65536:]
    last = text.strip().rsplit("\n", 1)[-1]
    return _is_settings_line(last) or ("Steps: " in text and "Sampler: " in text)


def split_infotext(text: str) -> tuple[str, str | None, str]:
    """Split into (prompt, negative prompt or None, settings line), like the webui."""
    *lines, last = text.strip().split("\n")
    if not _is_settings_line(last):
        lines.append(last)
        last = ""
    prompt: list[str] = []
    negative: list[str] = []
    in_negative = False
    for line in lines:
        line = line.strip()
        if line.startswith("Negative prompt:"):
            in_negative = True
            line = line[16:].strip()
        (negative if in_negative else prompt).append(line)
    return "\n".join(prompt), ("\n".join(negative) if in_negative else None), last


def parse_settings_line(line: str, limit: int | None = None) -> dict[str, Any]:
    """Parse `k: v, k: "quoted", k: {raw json}, ...` into a dict, keeping values as written.

    Quoted values are JSON-decoded; a value that starts with `{` or `[` and is valid JSON is
    taken whole (the Civitai extension appends `Hashes: {...}` unquoted). A stretch that is
    not `key: value` is skipped, as the webui's regex skips it. Stops after `limit` keys if given.
    """
    params: dict[str, Any] = {}
    pos = 0
    end = len(line)
    while pos < end and (limit is None or len(params) < limit):
        match = _KEY.match(line, pos)
        if match is None:
            comma = line.find(",", pos)
            pos = end if comma < 0 else comma + 1
            continue
        key = match.group(1).strip()
        pos = match.end()
        value: Any
        if pos < end and line[pos] in '"{[':
            try:
                value, stop = _DECODER.raw_decode(line, pos)
            except ValueError:
                value, stop = None, -1
            if stop > 0 and (stop >= end or line[stop:].lstrip().startswith(",") or not line[stop:].strip()):
                params[key] = value
                comma = line.find(",", stop)
                pos = end if comma < 0 else comma + 1
                continue
        comma = line.find(",", pos)
        stop = end if comma < 0 else comma
        params[key] = line[pos:stop].strip()
        pos = stop + 1
    return params


def _digits(text: str) -> int | None:
    """`text` (digits only) as a number; None when it is too long to be a real one."""
    return int(text) if len(text) <= _MAX_DIGITS else None


def _int(value: Any) -> int | None:
    if len(str(value).strip()) > _MAX_DIGITS:
        return None
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        try:
            number = float(str(value).strip())
        except (TypeError, ValueError):
            return None
        return int(number) if number.is_integer() else None


def _float(value: Any) -> float | None:
    try:
        number = float(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _size(value: Any) -> tuple[int | None, int | None]:
    match = _SIZE.match(str(value)) if value is not None else None
    return (_digits(match.group(1)), _digits(match.group(2))) if match else (None, None)


def _name_and_hash(text: str | None) -> tuple[str | None, str | None]:
    """`control_v11p_sd15_canny [d14c016b]` or `name(fef5e48e)` -> (name, hash)."""
    if text is None:
        return None, None
    text = str(text).strip()
    match = _TRAILING_HASH.match(text)
    if match:
        return match.group(1).strip() or None, match.group(2).lower()
    return text or None, None


def _resource(kind: str, name: str | None, hash_text: str | None, **extra: Any) -> ResourceRef:
    digest, hash_kind = classify_hash(hash_text)
    return ResourceRef(kind=kind, name=name, hash=digest, hash_kind=hash_kind, **extra)


def _strip_model_ext(name: str) -> str:
    return re.sub(r"\.(safetensors|ckpt|pt|pth|bin)$", "", name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1])


def _hash_pairs(value: Any) -> list[tuple[str, str]]:
    """`"a: 0123456789ab, b: ..."` (Lora hashes / TI hashes) -> [(name, hash)]."""
    pairs = []
    for item in str(value or "").split(","):
        name, sep, digest = item.rpartition(":")
        if sep and name.strip():
            pairs.append((name.strip(), digest.strip()))
    return pairs


class _Networks:
    """LoRAs, embeddings and hypernetworks merged by name from tags and hash lists."""

    def __init__(self) -> None:
        self.items: dict[tuple[str, str], ResourceRef] = {}

    def add(self, kind: str, name: str, hash_text: str | None = None, weight: float | None = None) -> None:
        name = _strip_model_ext(name.strip())
        if not name:
            return
        key = (kind, re.sub(r"[:,]", "", name).lower())
        ref = self.items.get(key)
        if ref is None:
            self.items[key] = _resource(kind, name, hash_text, weight=weight)
            return
        if ref.hash is None and hash_text:
            ref.hash, ref.hash_kind = classify_hash(hash_text)
        if ref.weight is None and weight is not None:
            ref.weight = weight

    def of_kind(self, kind: str) -> list[ResourceRef]:
        return [ref for (k, _), ref in self.items.items() if k == kind]


def _network_tags(prompt: str, networks: _Networks) -> None:
    for kind_word, body in _NETWORK_TAG.findall(prompt):
        parts = body.split(":")
        weight = None
        for part in parts[1:]:
            weight = _float(part.split("=")[-1] if "=" in part else part)
            if weight is not None:
                break
        if len(parts) == 1:
            weight = 1.0
        kind = HYPERNETWORK if kind_word.lower() == "hypernet" else LORA
        networks.add(kind, parts[0], None, weight)


def _controlnet_kind(module: str | None, model: str | None) -> str:
    text = f"{module or ''} {model or ''}".lower()
    if "instant_id" in text or "instantid" in text:
        return "instantid"
    if "ip-adapter" in text or "ip_adapter" in text or "ipadapter" in text:
        return "ipadapter"
    if (module or "").lower().startswith("reference"):
        return "reference"
    if (module or "").lower().startswith("revision"):
        return "revision"
    # T2I-Adapters stay "controlnet" (the corpus vocabulary has no separate kind); the risk table
    # classifies them by module/model like their ControlNet counterparts.
    return "controlnet"


def _controlnet_unit(unit: int | None, fields: dict[str, str]) -> TechniqueRef:
    """Build one ControlNet technique from its lower-cased, underscored fields."""
    module = fields.get("module", fields.get("preprocessor"))
    if module is not None and module.strip().lower() in {"none", ""}:
        module = None
    model, model_hash = _name_and_hash(fields.get("model"))
    if model is not None and model.lower() == "none":
        model = None
    weight = _float(fields.get("weight")) if "weight" in fields else None
    return TechniqueRef(
        kind=_controlnet_kind(module, model),
        module=module.strip() if module else None,
        model=model,
        model_hash=model_hash,
        weight=weight,
        unit=unit,
        details={"via": "controlnet", **fields},
    )


def _parse_unit_string(text: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for item in _CN_ITEM_SPLIT.split(str(text)):
        key, sep, value = item.partition(":")
        if sep:
            fields[key.strip().lower().replace(" ", "_")] = value.strip()
    return fields


def _controlnets(params: dict[str, Any]) -> list[TechniqueRef]:
    """Every ControlNet unit written, new (`ControlNet 0: "Module: ..."`) or legacy (`ControlNet Enabled`) form.

    A `ControlNet {i}` key is a unit that was on even when its value is empty: the Mikubill
    extension writes `""` when any setting holds `,` or `:`, so module and model are then unknown.
    """
    units: list[TechniqueRef] = []
    old: dict[int | None, dict[str, str]] = {}
    for key, value in params.items():
        unit_match = _CN_UNIT_KEY.match(key)
        if unit_match and isinstance(value, str):
            units.append(_controlnet_unit(_digits(unit_match.group(1)), _parse_unit_string(value)))
            continue
        old_match = _OLD_CN_KEY.match(key)
        if old_match:
            unit = _digits(old_match.group(1) or "0")
            old.setdefault(unit, {})[old_match.group(2).lower().replace(" ", "_")] = str(value)
    for unit, fields in sorted(old.items(), key=lambda item: (item[0] is None, item[0] or 0)):
        if fields.get("enabled", "True").strip().lower() != "false":
            fields.pop("enabled", None)
            units.append(_controlnet_unit(unit, fields))
    return units


def _img2img(params: dict[str, Any]) -> TechniqueRef | None:
    """`Denoising strength` means img2img only when no hires-fix key explains it."""
    if "Denoising strength" not in params:
        return None
    if any(k.startswith("Hires ") or k == "First pass size" for k in params):
        return None
    inpaint = any(k in params for k in ("Mask blur", "Inpaint area", "Masked content", "Mask mode"))
    details: dict[str, Any] = {k: params[k] for k in ("Mask blur", "Init image hash", "Image CFG scale") if k in params}
    return TechniqueRef(
        kind="inpaint" if inpaint else "img2img",
        weight=_float(params["Denoising strength"]),
        details=details,
    )


def _json_value(value: Any) -> Any:
    """A value the writer may have left raw (already decoded) or JSON-quoted as a string."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except (ValueError, RecursionError):
            return None
    return value


def _civitai(params: dict[str, Any], info: GenerationInfo, networks: _Networks) -> None:
    """Civitai's on-site generator lists its resources by id in a `Civitai resources` JSON trailer."""
    resources = _json_value(params.get("Civitai resources"))
    if not isinstance(resources, list):
        return
    for item in resources:
        if not isinstance(item, dict):
            continue
        kind = str(item.get("type", "")).lower()
        name = item.get("modelName")
        name = str(name) if name not in (None, "") else None
        weight = _float(item.get("weight")) if "weight" in item else None
        if kind == "checkpoint":
            if info.model is None:
                info.model = _resource(CHECKPOINT, name, None)
            elif info.model.name is None:
                info.model.name = name
        elif kind in ("lora", "locon", "lycoris", "dora") and name:
            networks.add(LORA, name, None, weight)
        elif kind in ("embed", "embedding", "textualinversion") and name:
            networks.add(EMBEDDING, name, None, weight)


def _civitai_workflow(params: dict[str, Any]) -> str | None:
    meta = _json_value(params.get("Civitai metadata"))
    workflow = meta.get("workflow") if isinstance(meta, dict) else None
    return str(workflow).lower() if workflow else None


def _fabric(params: dict[str, Any]) -> list[TechniqueRef]:
    """sd-webui-fabric: liked/disliked feedback images steer the generation (an image input)."""
    techniques = []
    strength = _float(params.get("fabric_max_weight", params.get("fabric_feedback_strength")))
    for key, polarity in (("fabric_pos_images", "positive"), ("fabric_neg_images", "negative")):
        images = _json_value(params.get(key))
        if isinstance(images, list) and images:
            techniques.append(
                TechniqueRef(
                    kind="fabric",
                    module=f"{polarity} feedback",
                    weight=strength,
                    details={"images": len(images), **{k: v for k, v in params.items() if k.startswith("fabric_")}},
                )
            )
    return techniques


def parse_infotext(text: str, source: str) -> GenerationInfo:
    """Parse an A1111/Forge infotext into a GenerationInfo (never raises on odd input)."""
    if len(text) > MAX_INFOTEXT:
        info = GenerationInfo(generator="a1111", source=source)
        info.warnings.append(f"the metadata text is {len(text) // 1024} KiB, too large to parse; kept raw only")
        return info
    prompt, negative, settings = split_infotext(text)
    params = parse_settings_line(settings) if settings else {}
    webui = identify(params)
    info = GenerationInfo(
        generator=webui.generator,
        source=source,
        generator_version=str(params["Version"]) if "Version" in params else None,
        generator_variant=webui.variant,
        prompt=prompt or None,
        negative_prompt=negative or None,
        params=params,
    )
    if not settings:
        info.warnings.append("no settings line found; only the prompt was read")
    if webui.note:
        info.warnings.append(webui.note)
    info.seed = _int(params.get("Seed"))
    info.steps = _int(params.get("Steps"))
    info.sampler = str(params["Sampler"]) if "Sampler" in params else None
    info.scheduler = str(params["Schedule type"]) if "Schedule type" in params else None
    if webui.generator == "comfyui" and info.sampler and info.scheduler is None:
        info.scheduler = split_comfy_sampler(info.sampler)[1]  # `euler_karras`: the sampler stays as written
    info.cfg = _float(params.get("CFG scale", params.get("CFG Scale")))  # Comfy Image Saver capitalises it
    info.width, info.height = _size(params.get("Size"))

    raw_hashes = params.get("Hashes")
    hashes: dict[str, Any] = raw_hashes if isinstance(raw_hashes, dict) else {}
    model_name = str(params["Model"]).strip() if params.get("Model") not in (None, "") else None
    model_hash = params.get("Model hash") or hashes.get("model")
    if model_name or model_hash:
        info.model = _resource(CHECKPOINT, model_name, str(model_hash) if model_hash else None)
    vae_name = str(params["VAE"]).strip() if params.get("VAE") not in (None, "") else None
    vae_hash = params.get("VAE hash") or hashes.get("vae")
    if vae_name or vae_hash:
        info.vae = _resource(VAE, vae_name, str(vae_hash) if vae_hash else None)

    networks = _Networks()
    _network_tags(prompt, networks)
    for name, digest in _hash_pairs(params.get("Lora hashes")):
        networks.add(LORA, name, digest)
    for key, value in params.items():  # ComfyUI's SaveImageWithMetaData: Lora_N Model name/hash/Strength model
        match = re.match(r"^Lora_(\d+) Model name$", key)
        if match and value:
            unit = match.group(1)
            digest_value = params.get(f"Lora_{unit} Model hash")
            weight = _float(params.get(f"Lora_{unit} Strength model"))
            networks.add(LORA, str(value), str(digest_value) if digest_value else None, weight)
    for name, digest in _hash_pairs(params.get("TI hashes")):
        networks.add(EMBEDDING, name, digest)
    for key, digest in hashes.items():
        kind_word, sep, name = str(key).partition(":")
        kind = {"lora": LORA, "lyco": LORA, "embed": EMBEDDING, "hypernet": HYPERNETWORK}.get(kind_word)
        if sep and kind:
            networks.add(kind, name, str(digest))
    _civitai(params, info, networks)
    info.loras = networks.of_kind(LORA)
    info.embeddings = networks.of_kind(EMBEDDING)
    info.other_resources.extend(networks.of_kind(HYPERNETWORK))

    hires = {k: v for k, v in params.items() if k.startswith("Hires ") or k == "First pass size"}
    if hires:
        info.hires = {**hires, "Denoising strength": params.get("Denoising strength")}
        if params.get("Hires checkpoint") not in (None, "", "Use same checkpoint"):
            ckpt, ckpt_hash = _name_and_hash(str(params["Hires checkpoint"]))
            info.other_resources.append(_resource(CHECKPOINT, ckpt, ckpt_hash, role="hires"))
        if params.get("Hires upscaler"):
            info.other_resources.append(_resource(UPSCALER, str(params["Hires upscaler"]), None, role="hires"))
    if params.get("Refiner"):
        ckpt, ckpt_hash = _name_and_hash(str(params["Refiner"]))
        info.other_resources.append(_resource(CHECKPOINT, ckpt, ckpt_hash, role="refiner"))
    for key, value in params.items():
        if re.match(r"^ADetailer model( \d+\w*)?$", key) and value:
            info.other_resources.append(_resource(DETECTOR, str(value), None, role="adetailer"))
        if re.match(r"^ADetailer ControlNet model( \d+\w*)?$", key) and str(value).lower() != "none":
            cn_model, cn_hash = _name_and_hash(str(value))
            info.other_resources.append(_resource(CONTROLNET, cn_model, cn_hash, role="adetailer"))

    img2img = _img2img(params)
    if img2img is not None:
        info.techniques.append(img2img)
    elif _civitai_workflow(params) == "img2img":
        info.techniques.append(TechniqueRef(kind="img2img", details={"via": "Civitai metadata workflow"}))
    info.techniques.extend(_controlnets(params))
    info.techniques.extend(_fabric(params))
    drop_absurd_numbers(info)
    for technique in info.techniques:
        if technique.model and technique.kind in ("controlnet", "ipadapter", "instantid"):
            role = "controlnet" if technique.unit is None else f"controlnet unit {technique.unit}"
            info.other_resources.append(_resource(CONTROLNET, technique.model, technique.model_hash, role=role))
    return info
