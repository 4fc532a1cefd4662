"""Draw Things (the iOS/macOS app): a JSON object in the XMP packet's `exif:UserComment`.

The packet also has `xmp:CreatorTool` "Draw Things" and an A1111-like `dc:description`; the
JSON is the complete record (receyuki `format/drawthings.py`; real files in the corpus):
`c` / `uc` (prompt / negative), `model`, `sampler`, `seed`, `scale`, `steps`, `size` "WxH",
`strength` (1 = text-to-image; lower = the share of an input image that was redrawn),
`lora` [{model, weight}], and a `v2` block with the app's full configuration, including
`controls` (ControlNet / T2I / IP-Adapter units) and `loras` [{file, weight}].

Model names keep their file extension as Draw Things writes them (`flux_1_dev_q8p.ckpt`);
LoRA names are reduced to the bare name, as for every other tool.
"""

from __future__ import annotations

import re
from typing import Any

from tracker.metadata.fields import Fields
from tracker.metadata.info import CHECKPOINT, GenerationInfo, TechniqueRef
from tracker.metadata.jsonsafe import (
    as_dict,
    as_float,
    as_int,
    as_text,
    first_items,
    merge_lora,
    pruned,
    quiet_json_object,
    resource,
)
from tracker.metadata.xmp import xmp_property

_CREATOR = re.compile(r"<xmp:CreatorTool>\s*Draw Things", re.IGNORECASE)
_SIZE = re.compile(r"^\s*(\d{1,6})\s*x\s*(\d{1,6})\s*$")


def _is_drawthings(data: dict[str, Any], creator: bool) -> bool:
    """Draw Things' short keys (`c`, `scale`, `size`), or its CreatorTool with a usable record."""
    if creator and any(k in data for k in ("c", "model", "seed")):
        return True
    return "c" in data and ("scale" in data or "size" in data) and "steps" in data


def parse(fields: Fields) -> GenerationInfo | None:
    """The Draw Things record from XMP (or an EXIF UserComment copy), else None."""
    candidates: list[tuple[str, str | None, bool]] = []
    comment = xmp_property(fields.xmp, "exif:UserComment")
    if comment is not None and fields.xmp is not None:
        candidates.append(("xmp:exif:UserComment", comment, bool(_CREATOR.search(fields.xmp))))
    candidates.append(("exif:UserComment", fields.exif.get("UserComment"), False))
    for source, text, creator in candidates:
        data = quiet_json_object(text)
        if data is not None and _is_drawthings(data, creator):
            return _build(data, source)
    return None


def _build(data: dict[str, Any], source: str) -> GenerationInfo:
    """Turn the Draw Things JSON into the normalized record."""
    warnings: list[str] = []
    info = GenerationInfo(generator="drawthings", source=source)
    v2 = as_dict(data.get("v2"))
    info.prompt = as_text(data.get("c"), "c", warnings)
    info.negative_prompt = as_text(data.get("uc"), "uc", warnings)
    info.seed = as_int(data.get("seed"), "seed", warnings)
    info.steps = as_int(data.get("steps"), "steps", warnings, minimum=1)
    info.cfg = as_float(data.get("scale"), "scale", warnings)
    info.sampler = as_text(data.get("sampler"), "sampler", warnings)
    size = _SIZE.match(str(data.get("size", ""))[:40])
    if size:
        info.width, info.height = int(size.group(1)), int(size.group(2))
    else:
        info.width = as_int(v2.get("width"), "v2.width", warnings, minimum=1)
        info.height = as_int(v2.get("height"), "v2.height", warnings, minimum=1)
    model = as_text(data.get("model"), "model", warnings) or as_text(v2.get("model"), "v2.model", warnings)
    if model:
        info.model = resource(CHECKPOINT, model)
    for item in first_items(data.get("lora"), "lora", warnings):
        if isinstance(item, dict) and isinstance(item.get("model"), str):
            merge_lora(info.loras, item["model"], None, as_float(item.get("weight"), "lora.weight", warnings))
    for item in first_items(v2.get("loras"), "v2.loras", warnings):
        if isinstance(item, dict) and isinstance(item.get("file"), str):
            merge_lora(info.loras, item["file"], None, as_float(item.get("weight"), "v2.loras.weight", warnings))
    refiner = as_text(data.get("refiner") or v2.get("refinerModel"), "refiner", warnings)
    if refiner:
        info.other_resources.append(resource(CHECKPOINT, refiner, role="refiner"))
    if data.get("hires_fix") is True or v2.get("hiresFix") is True:
        info.hires = {k: v2[k] for k in ("hiresFixWidth", "hiresFixHeight", "hiresFixStrength") if k in v2}

    strength = as_float(data.get("strength", v2.get("strength")), "strength", warnings)
    if strength is not None and 0 < strength < 1:
        info.techniques.append(TechniqueRef(kind="img2img", weight=strength, details={"via": "strength"}))
    for unit, control in enumerate(first_items(data.get("controls", v2.get("controls")), "controls", warnings)):
        if isinstance(control, dict) and isinstance(control.get("file"), str) and control["file"].strip():
            info.techniques.append(_control(control, unit, warnings))
    info.params = pruned(data)
    info.warnings.extend(warnings)
    return info


def _control(control: dict[str, Any], unit: int, warnings: list[str]) -> TechniqueRef:
    """One entry of `controls`: its model file decides the kind (IP-Adapter vs ControlNet/T2I)."""
    model = control["file"].strip()
    lowered = model.lower()
    kind = "ipadapter" if "ip_adapter" in lowered or "ipadapter" in lowered else "controlnet"
    module = control.get("inputOverride")
    return TechniqueRef(
        kind=kind,
        module=module if isinstance(module, str) and module.strip() else None,
        model=model,
        weight=as_float(control.get("weight"), "controls.weight", warnings),
        unit=unit,
        details={"via": "controls"},
    )
