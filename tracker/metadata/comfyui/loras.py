"""LoRAs named by any node, read from what its inputs name rather than from its class.

`resources.lora_entries` knows the common loaders by class; everything else goes through
`generic_lora_entries`, which looks at the inputs themselves, wherever the node sits:

- dict entries holding a `lora` file (rgthree Power Lora Loader/Stacker style
  `lora_1: {on, lora, strength}`; `on: false` entries are skipped), and LoRA Manager's `loras`
  list (`{"__value__": [{name, strength, active}]}`, names without their extension; inactive
  entries skipped);
- list inputs whose name mentions a LoRA, holding file names or `{name|lora|lora_name,
  strength|weight}` objects (loaders that take a list);
- any input naming a model file inside a LoRA folder (`loras/x.safetensors`, `Lora\\x.pt`);
- every input whose name mentions `lora` and whose value names a model file (`x.safetensors`,
  `loras/x.pt`, ...): numbered stacks (`lora_1`, `lora_01`, `lora_name_1`, `lora_1_name`) with
  their strength (`strength_1`, `lora_wt_1`, `model_str_1`, `model_weight_1`,
  `lora_1_strength`, ...), switched off entries (`switch_1: Off`, `lora_1_on: false`, ...)
  and entries past a `lora_count`/`num_loras` skipped;
- a UI workflow node of unknown type with "lora" in its class: every model-file widget, with
  the number right after it as its strength.

"None" and empty names are never LoRAs.
"""

from __future__ import annotations

import re
from typing import Any

from tracker.metadata.comfyui.graph import Graph, Node, integer, number
from tracker.metadata.comfyui.nodes import MODEL_EXTENSIONS

MAX_ENTRIES = 64
"""LoRA entries read from one node."""

_LORA_NAME_INPUT = re.compile(r"lora|lyco", re.IGNORECASE)
_LINKED_NAME = re.compile(r"^lora_?(name)?_?\d*$|^lora_?\d+_?name$", re.IGNORECASE)
"""Linked inputs followed to a literal name (a primitive/switch feeding `lora_name`), not stacks."""
_INDEX = re.compile(r"(\d+)")
_LORA_FOLDER = re.compile(r"(^|[\\/])(loras?|lycoris|locon)[\\/]", re.IGNORECASE)
_OFF = frozenset({"off", "of", "false", "no", "disabled", "disable", "0", "none"})
_COUNT_INPUTS = ("lora_count", "num_loras", "loras_count")
_STRENGTH_TEMPLATES = (
    "strength_{i}",
    "lora_wt_{i}",
    "model_str_{i}",
    "model_weight_{i}",
    "strength_model_{i}",
    "lora_strength_{i}",
    "lora_{i}_strength",
    "lora_{i}_model_strength",
    "lora_{i}_strength_model",
    "weight_{i}",
    "lora{i}_strength",
    "strength{i}",
)
_PLAIN_STRENGTHS = (
    "strength_model",
    "strength",
    "lora_strength",
    "model_weight",
    "lora_model_strength",
    "model_strength",
    "weight",
)
_SWITCH_TEMPLATES = (
    "switch_{i}",
    "enabled_{i}",
    "enable_{i}",
    "on_{i}",
    "lora_{i}_on",
    "lora_{i}_enabled",
    "toggle_{i}",
)


def is_model_file(value: Any) -> bool:
    """A string naming a model file (by extension, or by sitting in a LoRA folder)."""
    if not isinstance(value, str):
        return False
    text = value.strip().lower()
    if not text or text == "none":
        return False
    return text.endswith(MODEL_EXTENSIONS) or _LORA_FOLDER.search(text) is not None


def _off(value: Any) -> bool:
    """An on/off input set to off (False, 0, "Off", "disabled", ...)."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value == 0
    return isinstance(value, str) and value.strip().lower() in _OFF


def _first_number(graph: Graph, node: Node, names: list[str]) -> float | None:
    for name in names:
        if name in node.inputs:
            found = number(graph.value(node, name))
            if found is not None:
                return found
    return None


def _dict_entries(value: Any, named_lora: bool = False) -> list[tuple[Any, Any]]:
    """(name, strength) from a `{on, lora, strength}` dict, or [] when off / not one.

    A plain `name` key counts only inside an input already named as holding LoRAs.
    """
    if not isinstance(value, dict):
        return []
    name = value.get("lora", value.get("lora_name", value.get("name") if named_lora else None))
    listed = named_lora and "active" in value and isinstance(name, str) and name.strip().lower() not in ("", "none")
    if not (is_model_file(name) or listed) or value.get("on", True) is False or _off(value.get("enabled", True)):
        return []
    if value.get("active", True) is False:
        return []
    return [(name, value.get("strength", value.get("strength_model", value.get("weight"))))]


def generic_lora_entries(graph: Graph, node: Node) -> list[tuple[Any, Any]]:
    """(name, model strength) of every LoRA the node's inputs name; see the module docstring."""
    inputs = node.inputs
    entries: list[tuple[Any, Any]] = []
    count = next((integer(graph.value(node, k)) for k in _COUNT_INPUTS if k in inputs), None)
    global_switch = next((inputs[k] for k in ("toggle", "enabled", "switch") if k in inputs), True)
    if _off(global_switch):
        return []
    for key, value in list(inputs.items())[:512]:
        named = _LORA_NAME_INPUT.search(key) is not None
        if named and isinstance(value, dict) and isinstance(value.get("__value__"), list):
            value = value["__value__"]  # LoRA Manager's list widget
        if isinstance(value, dict):
            entries += _dict_entries(value, named)
        elif isinstance(value, list) and named:
            for item in value[:MAX_ENTRIES]:
                if isinstance(item, dict):
                    entries += _dict_entries(item, True)
                elif is_model_file(item):
                    entries.append((item, None))
        elif named and (not isinstance(value, tuple) or _LINKED_NAME.search(key)):
            entries += _named_entry(graph, node, key, count)
        elif isinstance(value, str) and _LORA_FOLDER.search(value) and value.lower().endswith(MODEL_EXTENSIONS):
            entries.append((value, _first_number(graph, node, list(_PLAIN_STRENGTHS))))  # a file in a LoRA folder
    if not entries and node.widgets and _LORA_NAME_INPUT.search(node.class_type):
        entries = _widget_entries(node.widgets)
    return entries[:MAX_ENTRIES]


def _named_entry(graph: Graph, node: Node, key: str, count: int | None) -> list[tuple[Any, Any]]:
    """The LoRA one `lora*` input names, with its strength, unless switched off or past the count."""
    name = graph.value(node, key)
    if not is_model_file(name):
        return []
    match = _INDEX.search(key)
    if match is None:
        return [(name, _first_number(graph, node, list(_PLAIN_STRENGTHS)))]
    digits = match.group(1)
    index = int(digits)
    if count is not None and index > count:
        return []
    forms = dict.fromkeys((digits, str(index), f"{index:02d}"))
    if any(
        _off(graph.value(node, t.format(i=i))) for t in _SWITCH_TEMPLATES for i in forms if t.format(i=i) in node.inputs
    ):
        return []
    strengths = [t.format(i=i) for t in _STRENGTH_TEMPLATES for i in forms]
    return [(name, _first_number(graph, node, strengths))]


def _widget_entries(widgets: list[Any]) -> list[tuple[Any, Any]]:
    """Model-file widgets of an unknown LoRA node, each with the number right after it."""
    out: list[tuple[Any, Any]] = []
    for i, value in enumerate(widgets[:512]):
        if isinstance(value, dict) and isinstance(value.get("__value__"), list):
            value = value["__value__"]
        if isinstance(value, list):
            out += [entry for item in value[:MAX_ENTRIES] for entry in _dict_entries(item, True)]
        elif isinstance(value, dict):
            out += _dict_entries(value, True)
        elif is_model_file(value):
            following = widgets[i + 1] if i + 1 < len(widgets) else None
            out.append((value, following if number(following) is not None else None))
    return out
