"""The files a graph used: the final sampler's model (merge partners and other passes'
checkpoints as extras), its VAE, every LoRA executed for the saved image, embeddings named in
executed prompts, and upscalers, detectors, hypernetworks, ControlNet and IP-Adapter models.

LoRA loaders read by class: LoraLoader*, rgthree Power Lora Loader / Lora Loader Stack, CR LoRA
Stack, LoRA Stacker, Efficient Loader, LoraTagLoader and Power Prompt `<lora:...>` tags; any
other node by what its inputs name (`loras.generic_lora_entries`).
"""

from __future__ import annotations

import re
from typing import Any

from tracker.metadata.comfyui import nodes as N
from tracker.metadata.comfyui.graph import MAX_NODES, Graph, Node, Ref, integer, model_stem, node_sort_key, rounded
from tracker.metadata.comfyui.loras import generic_lora_entries
from tracker.metadata.comfyui.roles import checkpoint_key, text_inputs
from tracker.metadata.comfyui.sampling import encoder_texts
from tracker.metadata.comfyui.walk import (
    Step,
    follow,
    follow_or_note,
    latent_path,
    nearest_upstream,
    sampler_starts,
    walk,
)
from tracker.metadata.info import (
    CHECKPOINT,
    CONTROLNET,
    DETECTOR,
    EMBEDDING,
    HYPERNETWORK,
    IPADAPTER,
    LORA,
    UPSCALER,
    VAE,
    GenerationInfo,
    ResourceRef,
)

_LORA_TAG = re.compile(r"<(?:lora|lyco):([^>:]+)(?::([^>:]*))?(?::[^>]*)?>", re.IGNORECASE)
_EMBEDDING = re.compile(r"embedding:([^\s,()\[\]<>:|]+)", re.IGNORECASE)


def _model_loaders(graph: Graph, starts: list[Step]) -> list[Node]:
    """Checkpoint/UNET loaders reached upstream of a model input, in input order."""
    found: list[Node] = []

    def visit(node: Node, slot: int, role: str) -> list[Step]:
        if checkpoint_key(node):
            if node not in found:
                found.append(node)
            return []
        return follow_or_note(graph, node, slot, role, "model: from")

    walk(graph, starts, visit)
    return found


def _checkpoint_ref(graph: Graph, node: Node, role: str | None = None) -> ResourceRef | None:
    """The model a loader names, exactly as written (None when the name is computed at run time)."""
    name = graph.value(node, checkpoint_key(node) or "ckpt_name")
    return ResourceRef(kind=CHECKPOINT, name=name, role=role) if isinstance(name, str) and name.strip() else None


def add_models(graph: Graph, final: Node | None, ordered: list[Node], info: GenerationInfo) -> None:
    """The final sampler's model; merge partners and other passes' checkpoints as extras."""
    loaders = _model_loaders(graph, sampler_starts(graph, final, N.MODEL)) if final is not None else []
    refs = [_checkpoint_ref(graph, n) for n in loaders]
    if refs:
        info.model = refs[0]
        for partner in refs[1:]:
            if partner is not None:
                partner.role = "merge"
                info.other_resources.append(partner)
        if len(refs) > 1:
            info.params["model_merge"] = [r.name if r else None for r in refs]
    used = {n.id for n in loaders}
    for node in ordered:
        if node.id not in used and checkpoint_key(node):
            extra = _checkpoint_ref(graph, node, role="other pass")
            if extra is not None:
                info.other_resources.append(extra)
    info.params["checkpoints"] = [r.name for r in info.resources() if r.kind == CHECKPOINT and r.name]


def _vae_of(graph: Graph, ref: Ref) -> ResourceRef | None:
    """The VAELoader behind a decoder's vae input (None for a checkpoint's built-in VAE)."""
    result: list[ResourceRef] = []

    def visit(node: Node, slot: int, role: str) -> list[Step]:
        if result:
            return []
        name_key = N.VAE_LOADERS.get(node.class_type) or ("vae_name" if "vae_name" in node.inputs else None)
        if name_key:
            name = graph.value(node, name_key)
            if isinstance(name, str) and name.strip().lower() not in ("baked vae", "none", ""):
                result.append(ResourceRef(kind=VAE, name=name))
                return []
            if node.class_type in N.VAE_LOADERS:
                return []
        if checkpoint_key(node):
            return []
        return follow(graph, node, slot, role) or []

    walk(graph, [(ref, N.VAE_ROLE)], visit)
    return result[0] if result else None


def final_vae(graph: Graph, final: Node, outputs: list[str]) -> ResourceRef | None:
    """The VAE of the decoder that turns the final sampler's latent into the saved image."""
    nearest = nearest_upstream(graph, outputs)
    rest = sorted(set(graph.nodes) - set(nearest), key=node_sort_key) if len(graph.nodes) <= MAX_NODES else []
    for node_id in nearest + rest:
        node = graph.nodes[node_id]
        samples = node.inputs.get("samples")
        if (
            ("VAEDecode" in node.class_type or node.class_type in N.DECODERS)
            and isinstance(samples, tuple)
            and isinstance(node.inputs.get("vae"), tuple)
        ):
            path, root = latent_path(graph, samples, stop_at_samplers=True)
            if root is final:
                return _vae_of(graph, node.inputs["vae"])
    return None


def _tag_loras(text: Any) -> list[tuple[str, float | None]]:
    """(name, weight) of `<lora:name:weight>` tags; weight 1.0 when not written."""
    out: list[tuple[str, float | None]] = []
    if not isinstance(text, str):
        return out
    for match in _LORA_TAG.finditer(text):
        weight_text = (match.group(2) or "").strip()
        try:
            weight = float(weight_text) if weight_text else 1.0
        except ValueError:
            weight = None
        out.append((match.group(1).strip(), weight))
    return out


def _numbered(inputs: dict[str, Any], prefix: str) -> list[str]:
    """Input names `prefix1`, `prefix2`, ... in numeric order (lora_10 after lora_9)."""
    keys = [k for k in inputs if re.fullmatch(rf"{prefix}\d+", k)]
    return sorted(keys, key=lambda k: int(k[len(prefix) :]))


def lora_entries(graph: Graph, node: Node) -> list[tuple[str, float | None]]:
    """(file name, model strength) of every LoRA one node loads."""
    cls, inputs = node.class_type, node.inputs
    entries: list[tuple[Any, Any]] = []
    if cls in N.LORA_LIST_TAKERS:
        return []
    if "Power Lora Loader" in cls:
        for key in _numbered(inputs, "lora_"):
            item = inputs[key]
            if isinstance(item, dict) and item.get("on") is True:
                entries.append((item.get("lora"), item.get("strength")))
    elif cls == "Lora Loader Stack (rgthree)":
        entries = [(graph.value(node, k), graph.value(node, "strength_" + k[5:])) for k in _numbered(inputs, "lora_")]
    elif cls == "CR LoRA Stack":
        for key in _numbered(inputs, "lora_name_"):
            index = key[len("lora_name_") :]
            if str(graph.value(node, f"switch_{index}")).lower() == "on":
                entries.append((graph.value(node, key), graph.value(node, f"model_weight_{index}")))
    elif cls == "LoRA Stacker":
        count = integer(graph.value(node, "lora_count")) or 0
        advanced = str(graph.value(node, "input_mode")).lower() == "advanced"
        for i in range(1, min(count, 49) + 1):
            weight_key = f"model_str_{i}" if advanced else f"lora_wt_{i}"
            entries.append((graph.value(node, f"lora_name_{i}"), graph.value(node, weight_key)))
    elif cls == "LoraTagLoader":
        return [(n, w) for n, w in _tag_loras(graph.value(node, "text"))]
    elif cls.startswith("Power Prompt") and any(k in dict(graph.links(node)) for k in ("opt_model", "opt_clip")):
        return [(n, w) for n, w in _tag_loras(graph.value(node, "prompt"))]
    elif cls in ("Efficient Loader", "Eff. Loader SDXL"):
        entries = [(graph.value(node, "lora_name"), graph.value(node, "lora_model_strength"))]
    elif "lora_name" in inputs and (
        strength_key := next(
            (k for k in ("strength_model", "strength", "lora_strength", "model_weight", "weight") if k in inputs), None
        )
    ):
        entries = [(graph.value(node, "lora_name"), graph.value(node, strength_key))]
    else:
        entries = generic_lora_entries(graph, node)
    if cls in N.ZERO_SKIPPING_LORA_NODES:
        entries = [(name, weight) for name, weight in entries if rounded(weight) != 0]
    return [
        (str(name), rounded(weight))
        for name, weight in entries
        if isinstance(name, str) and name.strip() and name.strip().lower() != "none"
    ]


def lora_refs(graph: Graph, ordered: list[Node]) -> list[ResourceRef]:
    """Every LoRA executed for the saved image, merged by name (first loader wins)."""
    merged: dict[str, ResourceRef] = {}
    for node in ordered:
        for name, weight in lora_entries(graph, node):
            stem = model_stem(name)
            ref = merged.get(stem)
            if ref is None:
                merged[stem] = ResourceRef(kind=LORA, name=stem, weight=weight)
            elif ref.weight is None:
                ref.weight = weight
    return list(merged.values())


def embedding_refs(graph: Graph, ordered: list[Node]) -> list[ResourceRef]:
    """Textual-inversion embeddings named as `embedding:NAME` in executed prompts."""
    names: list[str] = []
    for node in ordered:
        for text in encoder_texts(graph, node, text_inputs(graph, node)):
            for match in _EMBEDDING.finditer(text):
                stem = model_stem(match.group(1))
                if stem not in names:
                    names.append(stem)
    return [ResourceRef(kind=EMBEDDING, name=name) for name in names]


def add_other_resources(graph: Graph, ordered: list[Node], info: GenerationInfo) -> None:
    """Upscalers, detectors, hypernetworks and the ControlNet/IP-Adapter files that were used."""
    for node in ordered:
        cls = node.class_type
        if cls in N.UPSCALER_LOADERS:
            name = graph.value(node, N.UPSCALER_LOADERS[cls])
            info.other_resources.append(ResourceRef(kind=UPSCALER, name=name if isinstance(name, str) else None))
        elif cls in N.DETECTOR_LOADERS:
            name = graph.value(node, N.DETECTOR_LOADERS[cls])
            if isinstance(name, str):
                info.other_resources.append(ResourceRef(kind=DETECTOR, name=name, role="detailer"))
        elif cls in N.HYPERNETWORK_LOADERS:
            name_key, weight_key = N.HYPERNETWORK_LOADERS[cls]
            name = graph.value(node, name_key)
            if isinstance(name, str):
                weight = rounded(graph.value(node, weight_key))
                info.other_resources.append(ResourceRef(kind=HYPERNETWORK, name=model_stem(name), weight=weight))
    for technique in info.techniques:
        if technique.model and technique.kind == "controlnet" and "via" not in technique.details:
            info.other_resources.append(ResourceRef(kind=CONTROLNET, name=technique.model, role="controlnet"))
        elif technique.model and technique.kind == "ipadapter" and not technique.details.get("model_is_preset"):
            info.other_resources.append(ResourceRef(kind=IPADAPTER, name=technique.model, role="ipadapter"))
