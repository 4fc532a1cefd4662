"""What a sampler ran with: its settings, the prompt text reaching it, the size of its latent.

Settings (seed, steps, cfg, sampler name, scheduler, denoise) come from the sampler node;
`SamplerCustom*` reads them from its RandomNoise / guider / KSamplerSelect / scheduler nodes; kijai's
WanVideoWrapper samplers have their own (and a shift; the v2 sampler's steps, shift and scheduler are
in its `WanVideoSchedulerv2`), their prompts both in one `text_embeds` input.
Prompts are the text encoders reached from the positive and negative inputs through
conditioning nodes, pipes and switches (`ConditioningZeroOut` -> no text). The size is that of
the `Empty*Latent*` node at the root of the latent chain (an input image at the root -> none).
"""

from __future__ import annotations

import re
from typing import Any

from tracker.metadata.comfyui import nodes as N
from tracker.metadata.comfyui.graph import Graph, Node, Ref, integer, rounded
from tracker.metadata.comfyui.roles import is_size_source, sampler_inputs, sampler_latent, text_inputs
from tracker.metadata.comfyui.walk import Step, follow_or_note, latent_path, sampler_starts, walk

_DIMENSIONS = re.compile(r"(\d{2,5})\s*[x×*]\s*(\d{2,5})")


def _scheduler_node(graph: Graph, ref: Ref | None) -> Node | None:
    """The node computing the sigmas (through SplitSigmas & co.)."""
    for _ in range(16):
        node = graph.source(ref)
        if node is None:
            return None
        if "steps" in node.inputs or "scheduler" in node.inputs:
            return node
        ref = graph.ref(node.inputs.get("sigmas"))
    return None


def sampler_settings(graph: Graph, node: Node) -> dict[str, Any]:
    """{node, class_type, seed, steps, cfg, sampler, scheduler, denoise} of one sampler node (and the shift of a
    WanVideoWrapper sampler)."""
    out: dict[str, Any] = {"node": node.id, "class_type": node.class_type}
    seed = steps = cfg = sampler = scheduler = denoise = shift = None
    if node.class_type in N.SAMPLER_CUSTOM:
        noise = graph.source(graph.ref(node.inputs.get("noise")))
        if noise is not None and noise.class_type not in N.NOISE_NONE:
            seed = next((graph.value(noise, k) for k in N.SEED_INPUTS if k in noise.inputs), None)
        elif "noise_seed" in node.inputs:
            seed = graph.value(node, "noise_seed")
        guider = graph.source(graph.ref(node.inputs.get("guider")))
        if guider is not None:
            cfg = graph.value(guider, "cfg") if "cfg" in guider.inputs else None  # BasicGuider: none; DualCFG: two
        elif "cfg" in node.inputs:
            cfg = graph.value(node, "cfg")
        chooser = graph.source(graph.ref(node.inputs.get("sampler")))
        if chooser is not None and "sampler_name" in chooser.inputs:
            sampler = graph.value(chooser, "sampler_name")
        elif chooser is not None:
            graph.note(f"sampler: object from {chooser.class_type} (no sampler_name)")
        sigmas = _scheduler_node(graph, graph.ref(node.inputs.get("sigmas")))
        if sigmas is not None:
            steps = graph.value(sigmas, "steps")
            scheduler = graph.value(sigmas, "scheduler") if "scheduler" in sigmas.inputs else None
            if node.class_type == "SamplerCustomAdvanced" and "denoise" in sigmas.inputs:
                denoise = graph.value(sigmas, "denoise")
    elif node.class_type in N.WRAPPER_SAMPLERS:
        node = sampler_inputs(graph, node)
        seed, cfg = graph.value(node, "seed"), graph.value(node, "cfg")
        denoise = graph.value(node, "denoise_strength") if "denoise_strength" in node.inputs else None
        schedule = graph.source(graph.ref(node.inputs.get("scheduler")))
        holder = schedule if schedule is not None and "steps" in schedule.inputs else node  # WanVideoScheduler(v2)
        steps, scheduler = graph.value(holder, "steps"), graph.value(holder, "scheduler")
        shift = rounded(graph.value(holder, "shift"))
    else:
        seed = next((graph.value(node, k) for k in N.SEED_INPUTS if k in node.inputs), None)
        steps, cfg = graph.value(node, "steps"), graph.value(node, "cfg")
        sampler, scheduler = graph.value(node, "sampler_name"), graph.value(node, "scheduler")
        denoise = graph.value(node, "denoise") if "denoise" in node.inputs else None
    out["seed"] = integer(seed)
    out["steps"] = integer(steps)
    out["cfg"] = rounded(cfg)
    out["sampler"] = sampler if isinstance(sampler, str) else None
    out["scheduler"] = scheduler if isinstance(scheduler, str) else None
    out["denoise"] = rounded(denoise)
    if shift is not None:
        out["shift"] = shift
    return out


def encoder_texts(graph: Graph, node: Node, names: tuple[str, ...]) -> list[str]:
    """The distinct non-empty texts of an encoder's prompt inputs (wildcard text as a fallback)."""
    texts: list[str] = []
    for name in names:
        value = graph.value(node, name)
        if isinstance(value, str) and value.strip() and value not in texts:
            texts.append(value)
    if not texts and isinstance(node.inputs.get("wildcard_text"), str) and node.inputs["wildcard_text"].strip():
        texts.append(node.inputs["wildcard_text"])
    return texts


def prompt_text(graph: Graph, sampler: Node, role: str) -> str | None:
    """The text of every encoder reached from the sampler's `role` input, joined; None if none."""
    texts: list[str] = []

    def visit(node: Node, slot: int, current: str) -> list[Step]:
        if node.class_type in N.ZERO_CONDITIONING:
            return []
        widgets = dict(N.LOADER_TEXT_SLOTS.get(node.class_type, {}))
        if N.PIPE_TEXT_LOADERS.get(node.class_type) == slot and current in (N.POSITIVE, N.NEGATIVE):
            widgets[slot] = current  # the prompt of that role, carried in the loader's pipe
        if slot in widgets:
            found = graph.value(node, widgets[slot])
            if isinstance(found, str) and found.strip() and found not in texts:
                texts.append(found)
            return []
        names = N.ROLE_TEXT_INPUTS.get(node.class_type, {}).get(current) or text_inputs(graph, node)
        if names:
            texts.extend(t for t in encoder_texts(graph, node, names) if t not in texts)
            return []
        return follow_or_note(graph, node, slot, current, f"{current} prompt: conditioning from")

    walk(graph, sampler_starts(graph, sampler, role), visit)
    return "\n".join(texts) if texts else None


def latent_size(graph: Graph, final: Node) -> tuple[int | None, int | None]:
    """Width and height from the empty latent at the root of the final sampler's latent chain."""
    start = sampler_latent(graph, final)
    if start is None:
        return None, None
    _, root = latent_path(graph, start, stop_at_samplers=False)
    if root is None or not (is_size_source(root) or root.class_type in N.LATENT_SIZE_INPUTS):
        return None, None
    width_key, height_key = N.LATENT_SIZE_INPUTS.get(root.class_type, ("width", "height"))
    width, height = integer(graph.value(root, width_key)), integer(graph.value(root, height_key))
    if width is None and height is None:
        for key in ("dimensions", "resolution", "aspect_ratio", "size"):
            text = graph.value(root, key)
            match = _DIMENSIONS.search(text) if isinstance(text, str) else None
            if match:
                return int(match.group(1)), int(match.group(2))
        graph.note(f"size: not stated by {root.class_type} (node {root.id})")
    return width, height
