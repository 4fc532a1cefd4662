"""ComfyUI graphs: which models, prompts, settings and input images made the saved image.

ComfyUI writes no "generation parameters"; it writes the graph that ran. PNG files carry the
executed API graph in the `prompt` text chunk and the editor's UI graph in `workflow`; WebP,
JPEG and AVIF saves put them in EXIF tags (`Model`/`Make` as `prompt:{...}`/`workflow:{...}`,
`ImageDescription`/`Make` as `Workflow: {...}`/`Prompt: {...}`, or a `{"prompt": ..., "workflow": ...}`
object in `UserComment`). This module finds the graph, then reads it the way the image was made:

1. **Outputs.** Saver and preview nodes (`SaveImage`, `Image Save`, `SaveImagePlus`, ... and any
   sink named *Save*/*Preview*) are the candidate outputs.
2. **Final sampler.** Every sampler upstream of an output is a candidate. The final one is the
   candidate that all the others feed (through latents, decoded images, ControlNet hints, ...):
   a hires pass, refiner or detailer after the first pass. When no single candidate is fed by all
   the others, savers are preferred over previews; if that still leaves several independent
   branches, the sampler fed by the most others is taken and the choice is flagged as ambiguous.
   The chosen outputs are those depending on the final sampler, and "executed for the saved
   image" means upstream of them.
3. **Settings** come from the final sampler (seed, steps, cfg, sampler name, scheduler);
   `SamplerCustomAdvanced` reads them from its RandomNoise / guider / KSamplerSelect / scheduler
   nodes. `samplers` lists every sampler node of the graph with its own settings.
4. **Prompts** are the text encoders reached from the final sampler's positive and negative
   inputs through conditioning nodes, pipes and switches (`ConditioningZeroOut` -> no text).
5. **Model** is the loader reached from the final sampler's model input; **VAE** the `VAELoader`
   feeding the decoder of the final sampler's latent (a checkpoint's own VAE -> None); **size**
   the `Empty*Latent*` node at the root of the final sampler's latent chain (an input image at
   the root -> no size).
6. **LoRAs** are every LoRA loader executed for the saved image (LoraLoader*, rgthree Power Lora
   Loader / Lora Loader Stack, CR LoRA Stack, LoRA Stacker, Efficient Loader, LoraTagLoader and
   Power Prompt tags); **techniques** every node executed for it that uses an image brought in
   by a loader node (img2img/inpaint, ControlNet, IP-Adapter, InstantID, PhotoMaker, unCLIP,
   style model, reference latents and edit models, image-to-video start frames).

Without an API graph the UI workflow is converted first (see `comfyui_nodes.graph_from_workflow`).
Unknown custom nodes never stop the read: what was understood is reported, the rest is listed
in `params["unknown_node_types"]`. Graph JSON is untrusted: size, node count, nesting and every
walk are bounded, and links to missing nodes or cycles only produce warnings.
"""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from tracker.metadata import comfyui_nodes as N
from tracker.metadata.a1111 import looks_like_infotext, parse_infotext
from tracker.metadata.comfyui_nodes import Graph, Node, Ref, integer, model_stem, node_sort_key, number
from tracker.metadata.fields import Fields
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
    TechniqueRef,
    classify_hash,
)

MAX_GRAPH_BYTES = 32 * 1024 * 1024
"""Graph text larger than this is skipped (real graphs are well under 1 MB)."""
MAX_WALK = 20000
"""Steps one walk may take through the graph before it gives up."""
MAX_CANDIDATES = 256
"""Samplers/outputs compared when choosing the final sampler (each costs one upstream walk)."""
MAX_TECHNIQUE_NODES = 256
"""Technique nodes examined per graph (each walks back to find its image's origin)."""

_EXIF_TAGS = ("UserComment", "ImageDescription", "Make", "Model", "Software", "Artist", "Copyright", "XPComment")
_PREFIX = re.compile(r"^\s*(prompt|workflow)\s*:\s*", re.IGNORECASE)
_LORA_TAG = re.compile(r"<(?:lora|lyco):([^>:]+)(?::([^>:]*))?(?::[^>]*)?>", re.IGNORECASE)
_EMBEDDING = re.compile(r"embedding:([^\s,()\[\]<>:|]+)", re.IGNORECASE)
_DIMENSIONS = re.compile(r"(\d{2,5})\s*[x×*]\s*(\d{2,5})")
_STRUCTURAL_LORA = re.compile(r"depth|canny", re.IGNORECASE)


# --- finding the graph -----------------------------------------------------------------------


@dataclass
class _Found:
    """The graphs found in one file and where."""

    api: dict[str, Any] | None = None
    api_source: str | None = None
    workflow: dict[str, Any] | None = None
    workflow_source: str | None = None
    broken_source: str | None = None
    warnings: list[str] = field(default_factory=list)


def _load_json(text: str, where: str, found: _Found) -> Any:
    """Parse graph JSON, or record why not (too big, too deep, invalid) and return None."""
    if len(text) > MAX_GRAPH_BYTES:
        found.warnings.append(f"{where}: graph JSON is {len(text) // 1024} KiB, larger than the limit; skipped")
        found.broken_source = found.broken_source or where
        return None
    try:
        return json.loads(text)
    except RecursionError:
        found.warnings.append(f"{where}: graph JSON is nested too deeply; skipped")
    except ValueError:
        found.warnings.append(f"{where}: graph JSON is not valid JSON; skipped")
    found.broken_source = found.broken_source or where
    return None


def _is_api_graph(obj: Any) -> bool:
    """An API graph: an object whose values include nodes with a class_type."""
    return isinstance(obj, dict) and any(
        isinstance(v, dict) and isinstance(v.get("class_type"), str) for v in obj.values()
    )


def _is_workflow(obj: Any) -> bool:
    """A UI workflow: an object with a `nodes` list."""
    return isinstance(obj, dict) and isinstance(obj.get("nodes"), list)


def _take(obj: Any, where: str, hint: str | None, found: _Found) -> None:
    """File a parsed JSON value as API graph or workflow (unwrapping {"prompt", "workflow"})."""
    if isinstance(obj, dict) and hint is None and ("prompt" in obj or "workflow" in obj) and not _is_api_graph(obj):
        for key in ("prompt", "workflow"):
            inner = obj.get(key)
            if isinstance(inner, str) and inner.lstrip().startswith("{"):
                inner = _load_json(inner, f"{where}.{key}", found)
            _take(inner, where, key, found)
        return
    if _is_workflow(obj) and found.workflow is None:
        found.workflow, found.workflow_source = obj, where
    elif _is_api_graph(obj) and found.api is None:
        found.api, found.api_source = obj, where


def _find_graphs(fields: Fields) -> _Found:
    """Every place ComfyUI (or a saver node) is known to put its graphs, PNG chunks first."""
    found = _Found()
    for key, text in fields.png.items():
        if key.lower() in ("prompt", "workflow") and isinstance(text, str) and text.lstrip().startswith("{"):
            obj = _load_json(text, f"png:{key}", found)
            _take(obj, f"png:{key}", key.lower(), found)
    for tag in _EXIF_TAGS:
        tag_text = fields.exif.get(tag)
        if not isinstance(tag_text, str):
            continue
        match = _PREFIX.match(tag_text)
        body = tag_text[match.end() :] if match else tag_text.strip()
        if not body.startswith("{"):
            continue
        head = body[:200000]
        if match is None and "class_type" not in head and "last_node_id" not in head and '"nodes"' not in head:
            continue  # some other tool's JSON (NovelAI, SwarmUI, ...)
        obj = _load_json(body, f"exif:{tag}", found)
        _take(obj, f"exif:{tag}", match.group(1).lower() if match else None, found)
    comment = fields.jpeg_comment
    if found.api is None and comment and comment.lstrip().startswith("{") and '"class_type"' in comment[:200000]:
        _take(_load_json(comment.strip(), "jpeg:COM", found), "jpeg:COM", None, found)
    return found


# --- public entry ----------------------------------------------------------------------------


def parse(fields: Fields) -> GenerationInfo | None:
    """The generation record when the fields hold a ComfyUI graph, else None."""
    found = _find_graphs(fields)
    if found.api is not None:
        graph, source, kind = Graph.from_api(found.api), str(found.api_source), "prompt"
    elif found.workflow is not None:
        graph, source, kind = N.graph_from_workflow(found.workflow), str(found.workflow_source), "workflow"
    elif found.broken_source is not None and not fields.png.get("parameters"):
        info = GenerationInfo(generator="comfyui", source=found.broken_source)
        info.warnings.extend(found.warnings)
        return info
    else:
        return None
    info = _read(graph, source, kind)
    info.warnings[:0] = found.warnings
    extra = found.api.get("extra") if found.api is not None else None
    airs = extra.get("airs") if isinstance(extra, dict) else None
    if isinstance(airs, list):
        info.params["civitai_airs"] = [a for a in airs if isinstance(a, str)][:64]
    if found.workflow is not None:
        info.generator_version = _comfy_version(found.workflow)
    _add_saver_hashes(info, fields)
    return info


def _comfy_version(workflow: dict[str, Any]) -> str | None:
    """ComfyUI's version as recorded on core nodes by recent frontends (`properties.ver`)."""
    for node in workflow.get("nodes") or []:
        props = node.get("properties") if isinstance(node, dict) else None
        if isinstance(props, dict) and props.get("cnr_id") == "comfy-core" and isinstance(props.get("ver"), str):
            return props["ver"][:40]
    return None


def _add_saver_hashes(info: GenerationInfo, fields: Fields) -> None:
    """Hashes written by a saver node's A1111-style text, attached to resources of the same name."""
    text = fields.png.get("parameters")
    if not text:
        comment = fields.exif.get("UserComment")
        text = comment if comment and not comment.lstrip().startswith("{") else None
    if not text or not looks_like_infotext(text):
        return
    saver = parse_infotext(text, "png:parameters")
    hashes: dict[tuple[str, str], str] = {}
    for ref in saver.resources():
        if ref.name and ref.hash:
            hashes[(ref.kind, model_stem(ref.name).lower())] = ref.hash
    for ref in info.resources():
        digest = hashes.get((ref.kind, model_stem(ref.name or "").lower()))
        if digest and not ref.hash:
            ref.hash, ref.hash_kind = classify_hash(digest)
    info.params["saver_infotext"] = True


# --- reading a graph -------------------------------------------------------------------------


def _read(graph: Graph, source: str, kind: str) -> GenerationInfo:
    """Everything this module reports, from one graph."""
    info = GenerationInfo(generator=_generator(graph), source=source)
    samplers = [n for n in sorted(graph.nodes.values(), key=lambda n: node_sort_key(n.id)) if _is_sampler(graph, n)]
    outputs = _outputs(graph)
    choice = _choose_final(graph, samplers, outputs)
    executed = choice.executed or set(graph.nodes)
    ordered = [graph.nodes[i] for i in graph.order(executed)]

    info.samplers = [_sampler_settings(graph, n) for n in samplers]
    final = choice.final
    if final is not None:
        settings = _sampler_settings(graph, final)
        info.seed, info.steps, info.cfg = settings["seed"], settings["steps"], settings["cfg"]
        info.sampler, info.scheduler = settings["sampler"], settings["scheduler"]
        info.prompt = _prompt_text(graph, final, N.POSITIVE)
        info.negative_prompt = _prompt_text(graph, final, N.NEGATIVE)
        info.width, info.height = _size(graph, final)
        info.vae = _vae(graph, final, choice.outputs)
        info.params["final_sampler"] = final.id
        if settings["denoise"] is not None:
            info.params["denoise"] = settings["denoise"]
    elif samplers and not choice.ambiguous:
        info.warnings.append("no sampler feeds the saved image; generation settings were not read")
    _models(graph, final, ordered, info)
    info.loras = _loras(graph, ordered)
    info.embeddings = _embeddings(graph, ordered)
    info.techniques = _techniques(graph, ordered, samplers, final, info)
    _other_resources(graph, ordered, info)

    info.params["graph"] = kind
    info.params["node_count"] = len(graph.nodes)
    info.params["outputs"] = [f"{graph.nodes[i].class_type} ({i})" for i in choice.outputs]
    if choice.ambiguous:
        info.params["candidate_samplers"] = [s.id for s in choice.candidates]
        info.warnings.append(
            "the graph has several independent final samplers and does not say which one made this image "
            "(settings, prompt, model and size left empty; LoRAs and input images are those of all branches): "
            + ", ".join(f"{s.class_type} ({s.id})" for s in choice.candidates[:8])
        )
    unknown = sorted({n.class_type for n in ordered if not _understood(graph, n)})
    if unknown:
        info.params["unknown_node_types"] = unknown
        info.warnings.append(f"{len(unknown)} node types not understood: " + ", ".join(unknown[:12]))
    info.warnings.extend(graph.warnings)
    if graph.notes:
        info.warnings.append("values computed at run time were not read: " + "; ".join(graph.notes[:10]))
    return info


def _generator(graph: Graph) -> str:
    """'civitai' when the graph names resources by Civitai AIR URNs (the on-site generator)."""
    for node in graph.nodes.values():
        for value in node.inputs.values():
            if isinstance(value, str) and value.startswith("urn:air:") and ":civitai:" in value:
                return "civitai"
    return "comfyui"


# --- node roles ------------------------------------------------------------------------------


def _is_output(node: Node, graph: Graph) -> bool:
    """A saver/preview node: known classes, or an unconsumed *Save*/*Preview* node with inputs."""
    if node.class_type in N.SAVER_CLASSES:
        return True
    return (
        re.search(r"save|preview", node.class_type, re.IGNORECASE) is not None
        and not graph.consumers().get(node.id)
        and any(True for _ in graph.links(node))
    )


def _outputs(graph: Graph) -> list[Node]:
    """Every output node, in node-id order."""
    return [n for n in sorted(graph.nodes.values(), key=lambda n: node_sort_key(n.id)) if _is_output(n, graph)]


_SAMPLING_LINKS = ("model", "positive", "latent_image", "basic_pipe", "image", "samples", "latent", "guider", "pipe")


def _is_sampler(graph: Graph, node: Node) -> bool:
    """A node that runs a sampling pass (KSampler-like inputs, or SamplerCustom*)."""
    if node.class_type in N.SAMPLER_CUSTOM:
        return True
    keys = node.inputs.keys()
    if not ("sampler_name" in keys and "steps" in keys and "cfg" in keys):
        return False
    if node.class_type in N.SAVER_CLASSES or re.search(r"save", node.class_type, re.IGNORECASE):
        return False
    return any(isinstance(node.inputs.get(name), tuple) for name in _SAMPLING_LINKS) or bool(
        re.search(r"sampler|detailer", node.class_type, re.IGNORECASE)
    )


def _checkpoint_key(node: Node) -> str | None:
    """The input naming the model file when the node is a checkpoint/UNET loader."""
    key = N.CHECKPOINT_CLASS_INPUTS.get(node.class_type)
    if key and key in node.inputs:
        return key
    if isinstance(node.inputs.get("model"), tuple):
        return None
    return next((k for k in N.CHECKPOINT_NAME_INPUTS if k in node.inputs), None)


def _text_inputs(graph: Graph, node: Node) -> tuple[str, ...]:
    """Prompt-text inputs when the node is a text encoder (conditioning comes out of text)."""
    names = N.TEXT_INPUTS.get(node.class_type)
    if names is not None:
        return names
    links = dict(graph.links(node))
    if any(_is_cond_name(name) or name in (N.POSITIVE, N.NEGATIVE) for name in links):
        return ()
    if not (any(name in links for name in N.CLIP_LIKE_INPUTS) or "TextEncode" in node.class_type):
        return ()
    return tuple(name for name in N.GENERIC_TEXT_NAMES if name in node.inputs)


def _is_cond_name(name: str) -> bool:
    """Inputs that carry conditioning into a pass-through node (conditioning_1, cond2, ...)."""
    return name.startswith("conditioning") or re.fullmatch(r"cond\d*|cond_\w+", name) is not None


def _understood(graph: Graph, node: Node) -> bool:
    """Whether some rule of this module knows what the node does."""
    cls = node.class_type
    if cls in N.KNOWN_UTILITY or cls in N.WIDGETS or cls in N.SLOT_ROLES or cls in N.IMAGE_LOADERS:
        return True
    if cls in N.CORE_ENCODERS or N.ENCODER_PATTERN.search(cls) or _is_preprocessor(node):
        return True
    return bool(
        _is_output(node, graph)
        or _is_sampler(graph, node)
        or _checkpoint_key(node)
        or _text_inputs(graph, node)
        or _technique_kind(node)
        or _lora_entries(graph, node)
        or "vae_name" in node.inputs
        or cls in N.UPSCALER_LOADERS
        or cls in N.DETECTOR_LOADERS
        or graph.switch_branch(node) is not None
    )


# --- final sampler ---------------------------------------------------------------------------


@dataclass
class _Choice:
    """The outcome of choosing the final sampler (see the module docstring, step 2)."""

    final: Node | None = None
    outputs: list[str] = field(default_factory=list)
    executed: set[str] = field(default_factory=set)
    ambiguous: bool = False
    candidates: list[Node] = field(default_factory=list)


def _sink(candidates: set[str], feeds: dict[str, set[str]]) -> str | None:
    """The one candidate every other candidate feeds, if there is exactly one."""
    sinks = [s for s in candidates if candidates - {s} <= feeds[s]]
    return sinks[0] if len(sinks) == 1 else None


def _choose_final(graph: Graph, samplers: list[Node], outputs: list[Node]) -> _Choice:
    """The sampler that produced the saved image, the outputs showing it, and what they executed."""
    if len(samplers) > MAX_CANDIDATES or len(outputs) > MAX_CANDIDATES:
        graph.warnings.append(f"more than {MAX_CANDIDATES} samplers or outputs; only the first were compared")
        samplers, outputs = samplers[:MAX_CANDIDATES], outputs[:MAX_CANDIDATES]
    sampler_ids = {s.id for s in samplers}
    reach = {o.id: graph.upstream([o.id]) for o in outputs}
    reached = {o: ids & sampler_ids for o, ids in reach.items()}
    candidates = set().union(*reached.values()) if reached else set()
    if not candidates:
        if samplers and outputs:
            graph.warnings.append("no sampler is connected to an output node; judging from all samplers")
        candidates = set(sampler_ids)
    choice = _Choice()
    if not candidates:
        choice.outputs = [o.id for o in outputs]
        choice.executed = set().union(*reach.values()) if reach else set()
        return choice
    feeds = {s: (graph.upstream([s]) & sampler_ids) - {s} for s in candidates}
    final = _sink(candidates, feeds)
    if final is None:
        savers = [o.id for o in outputs if "preview" not in graph.nodes[o.id].class_type.lower()]
        saver_candidates = set().union(*(reached[o] for o in savers)) if savers else set()
        final = _sink(saver_candidates, feeds) if saver_candidates else None
    if final is None:
        # Independent branches: the file does not say which one this image is.
        choice.ambiguous = True
        feeding = set().union(*feeds.values())
        choice.candidates = [graph.nodes[s] for s in sorted(candidates - feeding, key=node_sort_key)]
        choice.outputs = [o.id for o in outputs if reached[o.id]]
        chosen = [reach[o] for o in choice.outputs]
        choice.executed = set().union(*chosen) if chosen else graph.upstream(candidates)
        return choice
    choice.final = graph.nodes[final]
    choice.outputs = [o.id for o in outputs if final in reached[o.id]]
    chosen = [reach[o] for o in choice.outputs]
    choice.executed = set().union(*chosen) if chosen else graph.upstream([final])
    return choice


# --- walking roles upstream ------------------------------------------------------------------

Step = tuple[Ref, str]


def _walk(graph: Graph, starts: Iterable[Step], visit: Callable[[Node, int, str], list[Step]]) -> None:
    """Depth-first over (link, role) pairs in input order; bounded and cycle-safe."""
    stack = list(reversed(list(starts)))
    seen: set[tuple[str, int, str]] = set()
    steps = 0
    while stack and steps < MAX_WALK:
        (node_id, slot), role = stack.pop()
        key = (node_id, slot, role)
        node = graph.nodes.get(node_id)
        if node is None or key in seen:
            continue
        seen.add(key)
        steps += 1
        stack.extend(reversed(visit(node, slot, role)))
    if steps >= MAX_WALK:
        graph.note("a graph walk hit its step limit")


def _alternates(role: str, links: dict[str, Ref]) -> list[str]:
    """Inputs that carry `role` when no input has that exact name."""
    names = list(links)
    if role == N.MODEL:
        bad = re.compile(r"upscale|sam|ipadapter|control|clip|vision|detector|style|lora|insightface", re.IGNORECASE)
        return [n for n in names if re.search(r"model|unet", n, re.IGNORECASE) and not bad.search(n)]
    if role in (N.POSITIVE, N.NEGATIVE):
        return [n for n in names if _is_cond_name(n)]
    if role == N.VAE_ROLE:
        return [n for n in names if "vae" in n.lower()]
    if role == N.CLIP:
        return [n for n in names if "clip" in n.lower() and "vision" not in n.lower()]
    return []


def _follow(graph: Graph, node: Node, slot: int, role: str) -> list[Step] | None:
    """Where a pass-through node gets the `role` value it outputs on `slot`; None if unknown."""
    branch = graph.switch_branch(node)
    if branch is not None:
        return [(ref, role) for ref in branch]
    roles = N.SLOT_ROLES.get(node.class_type)
    if roles and slot < len(roles) and roles[slot] != N.PIPE:
        role = roles[slot]
    links = dict(graph.links(node))
    if role in (N.POSITIVE, N.NEGATIVE) and not roles and slot in (0, 1) and _outputs_conditioning_pair(links):
        role = (N.POSITIVE, N.NEGATIVE)[slot]
    if role in links:
        return [(links[role], role)]
    alternates = _alternates(role, links)
    if alternates:
        return [(links[name], role) for name in alternates]
    pipes = [name for name in links if name in N.PIPE_INPUTS or name.endswith("_pipe")]
    if pipes:
        return [(links[pipes[0]], role)]
    return None


def _outputs_conditioning_pair(links: dict[str, Ref]) -> bool:
    """A node taking positive+negative and no model/pipe outputs them again on slots 0 and 1."""
    if N.POSITIVE not in links or N.NEGATIVE not in links or N.MODEL in links:
        return False
    return not any(name in N.PIPE_INPUTS or name.endswith("_pipe") for name in links)


def _sampler_starts(graph: Graph, sampler: Node, role: str) -> list[Step]:
    """The sampler input(s) carrying `role` (through its guider for SamplerCustomAdvanced)."""
    links = dict(graph.links(sampler))
    if role in links:
        return [(links[role], role)]
    guider = graph.source(links.get("guider"))
    if guider is not None:
        glinks = dict(graph.links(guider))
        names = {N.POSITIVE: ("positive", "cond1", "conditioning", "cond"), N.NEGATIVE: ("negative",)}.get(
            role, (role,)
        )
        for name in names:
            if name in glinks:
                return [(glinks[name], role)]
        return []
    pipes = [name for name in links if name in N.PIPE_INPUTS or name.endswith("_pipe")]
    return [(links[pipes[0]], role)] if pipes else []


# --- prompts ---------------------------------------------------------------------------------


def _encoder_texts(graph: Graph, node: Node, names: tuple[str, ...]) -> list[str]:
    """The distinct non-empty texts of an encoder's prompt inputs (wildcard text as a fallback)."""
    texts: list[str] = []
    for name in names:
        value = graph.value(node, name)
        if isinstance(value, str) and value.strip() and value not in texts:
            texts.append(value)
    if not texts and isinstance(node.inputs.get("wildcard_text"), str) and node.inputs["wildcard_text"].strip():
        texts.append(node.inputs["wildcard_text"])
    return texts


def _prompt_text(graph: Graph, sampler: Node, role: str) -> str | None:
    """The text of every encoder reached from the sampler's `role` input, joined; None if none."""
    texts: list[str] = []

    def visit(node: Node, slot: int, current: str) -> list[Step]:
        if node.class_type in N.ZERO_CONDITIONING:
            return []
        widgets = N.LOADER_TEXT_SLOTS.get(node.class_type)
        if widgets is not None and slot in widgets:
            found = graph.value(node, widgets[slot])
            if isinstance(found, str) and found.strip() and found not in texts:
                texts.append(found)
            return []
        names = _text_inputs(graph, node)
        if names:
            texts.extend(t for t in _encoder_texts(graph, node, names) if t not in texts)
            return []
        nxt = _follow(graph, node, slot, current)
        if nxt is None:
            graph.note(f"{current} prompt: conditioning from {node.class_type} (node {node.id})")
            return []
        return nxt

    _walk(graph, _sampler_starts(graph, sampler, role), visit)
    return "\n".join(texts) if texts else None


# --- model, VAE, size ------------------------------------------------------------------------


def _model_loaders(graph: Graph, starts: list[Step]) -> list[Node]:
    """Checkpoint/UNET loaders reached upstream of a model input, in input order."""
    found: list[Node] = []

    def visit(node: Node, slot: int, role: str) -> list[Step]:
        if _checkpoint_key(node):
            if node not in found:
                found.append(node)
            return []
        nxt = _follow(graph, node, slot, role)
        if nxt is None:
            graph.note(f"model: from {node.class_type} (node {node.id})")
            return []
        return nxt

    _walk(graph, starts, visit)
    return found


def _checkpoint_ref(graph: Graph, node: Node, role: str | None = None) -> ResourceRef | None:
    """The model a loader names, exactly as written (None when the name is computed at run time)."""
    name = graph.value(node, _checkpoint_key(node) or "ckpt_name")
    return ResourceRef(kind=CHECKPOINT, name=name, role=role) if isinstance(name, str) and name.strip() else None


def _models(graph: Graph, final: Node | None, ordered: list[Node], info: GenerationInfo) -> None:
    """The final sampler's model; merge partners and other passes' checkpoints as extras."""
    loaders = _model_loaders(graph, _sampler_starts(graph, final, N.MODEL)) if final is not None else []
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
        if node.id not in used and _checkpoint_key(node):
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
        if _checkpoint_key(node):
            return []
        return _follow(graph, node, slot, role) or []

    _walk(graph, [(ref, N.VAE_ROLE)], visit)
    return result[0] if result else None


def _vae(graph: Graph, final: Node, outputs: list[str]) -> ResourceRef | None:
    """The VAE of the decoder that turns the final sampler's latent into the saved image."""
    nearest = _bfs(graph, outputs)
    rest = sorted(set(graph.nodes) - set(nearest), key=node_sort_key) if len(graph.nodes) <= N.MAX_NODES else []
    for node_id in nearest + rest:
        node = graph.nodes[node_id]
        samples = node.inputs.get("samples")
        if "VAEDecode" in node.class_type and isinstance(samples, tuple) and isinstance(node.inputs.get("vae"), tuple):
            path, root = _latent_path(graph, samples, stop_at_samplers=True)
            if root is final:
                return _vae_of(graph, node.inputs["vae"])
    return None


def _bfs(graph: Graph, start: list[str]) -> list[str]:
    """Upstream node ids nearest first."""
    order: list[str] = []
    seen = set(start)
    queue = deque(start)
    while queue and len(order) < N.MAX_NODES:
        node_id = queue.popleft()
        order.append(node_id)
        for _, ref in graph.links(graph.nodes[node_id]):
            if ref[0] not in seen:
                seen.add(ref[0])
                queue.append(ref[0])
    return order


def _is_size_source(node: Node) -> bool:
    """A node that creates the latent at a stated size (Empty*Latent*, image-to-video, Zero123...)."""
    return re.search(r"Empty.*Latent", node.class_type) is not None or node.class_type in N.SIZE_SOURCES


def _is_image_loader(graph: Graph, node: Node) -> bool:
    """A node bringing an outside image in (LoadImage & co., or a link-less *Load*Image* node)."""
    if node.class_type in N.IMAGE_LOADERS:
        return True
    return N.LOADER_PATTERN.search(node.class_type) is not None and not any(True for _ in graph.links(node))


def _sampler_latent(graph: Graph, sampler: Node) -> Ref | None:
    """The input a sampler denoises: its latent, or the image of a detailer/upscaler."""
    for name in ("latent_image", "samples", "latent", "image", "images", "pixels"):
        ref = graph.ref(sampler.inputs.get(name))
        if ref is not None:
            return ref
    return None


def _takes_pixels(graph: Graph, sampler: Node) -> bool:
    """A sampler whose chain input is an image, not a latent (detailers, tiled upscalers)."""
    return not any(isinstance(sampler.inputs.get(n), tuple) for n in ("latent_image", "samples", "latent"))


def _latent_path(graph: Graph, start: Ref, stop_at_samplers: bool) -> tuple[list[Node], Node | None]:
    """Nodes from `start` up the latent/image chain to its root (loader, empty latent, sampler)."""
    path: list[Node] = []
    ref: Ref | None = start
    seen: set[str] = set()
    while ref is not None and len(path) < 500:
        node = graph.nodes.get(ref[0])
        if node is None or node.id in seen:
            return path, None
        seen.add(node.id)
        path.append(node)
        if _is_size_source(node) or _is_image_loader(graph, node) or node.class_type in N.LATENT_SIZE_INPUTS:
            return path, node
        if _is_sampler(graph, node):
            if stop_at_samplers:
                return path, node
            ref = _sampler_latent(graph, node)
            continue
        branch = graph.switch_branch(node)
        if branch:
            ref = branch[0]
            continue
        ref = _chain_input(graph, node)
    return path, (path[-1] if path else None)


def _chain_input(graph: Graph, node: Node) -> Ref | None:
    """The input a latent/image pass-through node works on (samples_to before samples_from, ...)."""
    links = dict(graph.links(node))
    for name in N.CHAIN_INPUTS:
        if name in links:
            return links[name]
    for name, ref in links.items():
        if re.search(r"image|latent|samples|pixels", name, re.IGNORECASE):
            return ref
    return None


def _size(graph: Graph, final: Node) -> tuple[int | None, int | None]:
    """Width and height from the empty latent at the root of the final sampler's latent chain."""
    start = _sampler_latent(graph, final)
    if start is None:
        return None, None
    _, root = _latent_path(graph, start, stop_at_samplers=False)
    if root is None or not (_is_size_source(root) or root.class_type in N.LATENT_SIZE_INPUTS):
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


def _num(value: Any) -> float | None:
    """A number as reported: float, rounded to 6 places (UI sliders store 0.35000000000000003)."""
    as_number = number(value)
    return round(as_number, 6) if as_number is not None else None


# --- sampler settings ------------------------------------------------------------------------


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


def _sampler_settings(graph: Graph, node: Node) -> dict[str, Any]:
    """{node, class_type, seed, steps, cfg, sampler, scheduler, denoise} of one sampler node."""
    out: dict[str, Any] = {"node": node.id, "class_type": node.class_type}
    seed = steps = cfg = sampler = scheduler = denoise = None
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
    else:
        seed = next((graph.value(node, k) for k in N.SEED_INPUTS if k in node.inputs), None)
        steps, cfg = graph.value(node, "steps"), graph.value(node, "cfg")
        sampler, scheduler = graph.value(node, "sampler_name"), graph.value(node, "scheduler")
        denoise = graph.value(node, "denoise") if "denoise" in node.inputs else None
    out["seed"] = integer(seed)
    out["steps"] = integer(steps)
    out["cfg"] = _num(cfg)
    out["sampler"] = sampler if isinstance(sampler, str) else None
    out["scheduler"] = scheduler if isinstance(scheduler, str) else None
    out["denoise"] = _num(denoise)
    return out


# --- LoRAs and embeddings --------------------------------------------------------------------


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


def _lora_entries(graph: Graph, node: Node) -> list[tuple[str, float | None]]:
    """(file name, model strength) of every LoRA one node loads."""
    cls, inputs = node.class_type, node.inputs
    entries: list[tuple[Any, Any]] = []
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
    elif "lora_name" in inputs:
        strength_key = next(
            (k for k in ("strength_model", "strength", "lora_strength", "model_weight", "weight") if k in inputs), None
        )
        if strength_key is None:
            return []
        entries = [(graph.value(node, "lora_name"), graph.value(node, strength_key))]
    return [
        (str(name), _num(weight))
        for name, weight in entries
        if isinstance(name, str) and name.strip() and name.strip().lower() != "none"
    ]


def _loras(graph: Graph, ordered: list[Node]) -> list[ResourceRef]:
    """Every LoRA executed for the saved image, merged by name (first loader wins)."""
    merged: dict[str, ResourceRef] = {}
    for node in ordered:
        for name, weight in _lora_entries(graph, node):
            stem = model_stem(name)
            ref = merged.get(stem)
            if ref is None:
                merged[stem] = ResourceRef(kind=LORA, name=stem, weight=weight)
            elif ref.weight is None:
                ref.weight = weight
    return list(merged.values())


def _embeddings(graph: Graph, ordered: list[Node]) -> list[ResourceRef]:
    """Textual-inversion embeddings named as `embedding:NAME` in executed prompts."""
    names: list[str] = []
    for node in ordered:
        for text in _encoder_texts(graph, node, _text_inputs(graph, node)):
            for match in _EMBEDDING.finditer(text):
                stem = model_stem(match.group(1))
                if stem not in names:
                    names.append(stem)
    return [ResourceRef(kind=EMBEDDING, name=name) for name in names]


# --- techniques (input images) ---------------------------------------------------------------


def _external_images(graph: Graph, refs: Iterable[Ref]) -> list[Node]:
    """Loader nodes whose image reaches these inputs without passing through a sampler."""
    found: list[Node] = []
    seen: set[str] = set()
    stack = list(refs)
    while stack and len(seen) < MAX_WALK:
        node_id = stack.pop()[0]
        if node_id in seen:
            continue
        seen.add(node_id)
        node = graph.nodes[node_id]
        if _is_image_loader(graph, node):
            found.append(node)
            continue
        if _is_sampler(graph, node) or _is_size_source(node) or node.class_type == "EmptyImage":
            continue
        branch = graph.switch_branch(node)
        if branch is not None:
            stack.extend(branch)
            continue
        stack.extend(ref for name, ref in graph.links(node) if name not in N.NON_IMAGE_INPUTS)
    return found


def _loaded_name(graph: Graph, loader: Node) -> str | None:
    """The file (or URL) a loader node names, shortened for display."""
    for key in ("image", "video", "url", "path", "file", "directory", "image_path"):
        value = graph.value(loader, key)
        if isinstance(value, str) and value:
            return value if len(value) <= 200 else value[:197] + "..."
    return None


def _image_refs(graph: Graph, node: Node, names: Iterable[str] | None = None) -> list[Ref]:
    """The named image inputs of a node, or every input that may carry an image."""
    links = dict(graph.links(node))
    if names is not None:
        return [links[n] for n in names if n in links]
    return [ref for name, ref in links.items() if name not in N.NON_IMAGE_INPUTS]


def _technique_kind(node: Node) -> str | None:
    """Which technique rule applies to a node type (None: not a technique node)."""
    cls = node.class_type
    if cls in N.INSTANTID_APPLY:
        return "instantid"
    if "ControlNet" in cls and "Apply" in cls:
        return "controlnet"
    if (
        cls.startswith("IPAdapter")
        and not N.IPADAPTER_NON_APPLY.search(cls[len("IPAdapter") :])
        and any("ipadapter" in name for name in node.inputs)
    ):
        return "ipadapter"
    if cls in N.PHOTOMAKER_APPLY:
        return "photomaker"
    if cls == "unCLIPConditioning":
        return "revision"
    if cls == "StyleModelApply":
        return "style_model"
    if cls in N.REFERENCE_CLASSES:
        return "reference"
    if cls in N.VIDEO_FROM_IMAGE:
        return "img2img"
    return None


def _named_file(
    graph: Graph, ref: Ref | None, keys: tuple[str, ...], through: str, presets: tuple[str, ...] = ()
) -> tuple[str | None, bool]:
    """(name, is_file) of the model a loader behind `ref` names, following `through` inputs.

    File names are reported as stems (no folder, no extension); preset names as written.
    """
    for _ in range(16):
        node = graph.source(ref)
        if node is None:
            return None, False
        for key in keys:
            value = graph.value(node, key)
            if isinstance(value, str) and value.strip():
                return model_stem(value), True
        for key in presets:
            value = graph.value(node, key)
            if isinstance(value, str) and value.strip():
                return value, False
        ref = graph.ref(node.inputs.get(through))
    return None, False


def _is_preprocessor(node: Node) -> bool:
    """A ControlNet hint preprocessor (Canny, *Preprocessor, depth/pose estimators, ...)."""
    cls = node.class_type
    if cls in N.PREPROCESSOR_CLASSES or cls in N.PREPROCESSOR_VALUE_INPUTS:
        return True
    return bool(N.PREPROCESSOR_PATTERN.search(cls)) and not N.NOT_PREPROCESSOR.search(cls)


def _preprocessor(graph: Graph, ref: Ref | None) -> str | None:
    """The ControlNet preprocessor between the hint image and its loader (class or AIO setting)."""
    stack = [ref] if ref else []
    seen: set[str] = set()
    while stack and len(seen) < 200:
        node_id = stack.pop(0)[0]
        if node_id in seen:
            continue
        seen.add(node_id)
        node = graph.nodes[node_id]
        if node.class_type in N.PREPROCESSOR_VALUE_INPUTS:
            value = graph.value(node, N.PREPROCESSOR_VALUE_INPUTS[node.class_type])
            return value if isinstance(value, str) else node.class_type
        if _is_preprocessor(node):
            return node.class_type
        if _is_image_loader(graph, node) or _is_sampler(graph, node):
            continue
        stack.extend(r for name, r in graph.links(node) if name not in N.NON_IMAGE_INPUTS)
    return None


def _technique(graph: Graph, node: Node, kind: str, structural: str | None) -> TechniqueRef | None:
    """The technique one node applies, when its image comes from a loader."""
    cls = node.class_type
    names = N.REFERENCE_CLASSES.get(cls) or N.VIDEO_FROM_IMAGE.get(cls)
    loaders = _external_images(graph, _image_refs(graph, node, names))
    if not loaders:
        return None
    details: dict[str, Any] = {"node": node.id, "images": [_loaded_name(graph, n) for n in loaders][:8]}
    weight_key = {"controlnet": "strength", "revision": "strength", "style_model": "strength"}.get(kind, "weight")
    if cls == "ApplyInstantIDAdvanced":
        weight_key = "ip_weight"
    elif cls == "IPAdapterStyleComposition":
        weight_key = "weight_style"
    weight = _num(graph.value(node, weight_key)) if weight_key in node.inputs else None
    module = model = None
    if kind == "controlnet":
        cn_ref = graph.ref(node.inputs.get("control_net") or node.inputs.get("controlnet"))
        model, _ = _named_file(graph, cn_ref, (N.CONTROLNET_LOADER_INPUT,), "control_net")
        module = _preprocessor(graph, graph.ref(node.inputs.get("image")))
        for key in ("start_percent", "end_percent"):
            if key in node.inputs:
                details[key] = _num(graph.value(node, key))
        union = graph.source(cn_ref)
        if union is not None and union.class_type == "SetUnionControlNetType":
            details["union_type"] = graph.value(union, "type")
    elif kind == "ipadapter":
        ipadapter = graph.ref(node.inputs.get("ipadapter"))
        model, is_file = _named_file(graph, ipadapter, ("ipadapter_file",), "ipadapter", ("preset",))
        details["model_is_preset"] = model is not None and not is_file
        for key in ("weight_type", "start_at", "end_at"):
            if key in node.inputs:
                details[key] = graph.value(node, key)
    elif kind == "instantid":
        model, _ = _named_file(graph, graph.ref(node.inputs.get("instantid")), ("instantid_file",), "instantid")
        module = cls if cls == "ApplyInstantIDControlNet" else None
    elif kind == "photomaker":
        model, _ = _named_file(
            graph, graph.ref(node.inputs.get("photomaker")), ("photomaker_model_name",), "photomaker"
        )
    elif kind == "style_model":
        model, _ = _named_file(graph, graph.ref(node.inputs.get("style_model")), ("style_model_name",), "style_model")
    elif kind in ("reference", "img2img"):
        module = cls
        if cls == "InstructPixToPixConditioning" and structural:
            kind, module, model = "controlnet", None, structural
            details["via"] = "structure-conditioning LoRA/model (Flux Depth/Canny)"
    return TechniqueRef(kind=kind, module=module, model=model, weight=weight, details=details)


def _latent_inputs(graph: Graph, samplers: list[Node], final: Node | None) -> list[TechniqueRef]:
    """img2img/inpaint: samplers whose latent chain starts at an encoded outside image."""
    out: list[TechniqueRef] = []
    done: set[str] = set()
    first = [final] if final is not None else []
    for sampler in first + [s for s in reversed(samplers) if s is not final]:
        start = _sampler_latent(graph, sampler)
        if start is None:
            continue
        path, root = _latent_path(graph, start, stop_at_samplers=True)
        if root is None or not _is_image_loader(graph, root):
            continue
        if any(n.class_type in N.REFERENCE_CLASSES or n.class_type in N.VIDEO_FROM_IMAGE for n in path):
            continue  # conditioning on the image: reported by its own rule
        encoders = [n for n in path if n.class_type in N.CORE_ENCODERS or N.ENCODER_PATTERN.search(n.class_type)]
        if encoders:
            encoder = encoders[-1]
            module = None if encoder.class_type in N.CORE_ENCODERS else encoder.class_type
        elif _takes_pixels(graph, sampler):
            encoder, module = sampler, sampler.class_type  # a detailer/upscaler run on the loaded image
        else:
            continue
        if encoder.id in done:
            continue
        done.add(encoder.id)
        inpaint = any(n.class_type in N.INPAINT_MARKERS for n in path)
        denoise = _sampler_settings(graph, sampler)["denoise"]
        out.append(
            TechniqueRef(
                kind="inpaint" if inpaint else "img2img",
                module=module,
                weight=denoise if denoise is not None and denoise < 1 else None,
                details={"node": encoder.id, "sampler": sampler.id, "images": [_loaded_name(graph, root)]},
            )
        )
    return out


def _techniques(
    graph: Graph, ordered: list[Node], samplers: list[Node], final: Node | None, info: GenerationInfo
) -> list[TechniqueRef]:
    """Every use of an outside image among the nodes executed for the saved image."""
    executed = {n.id for n in ordered}
    techniques = _latent_inputs(graph, [s for s in samplers if s.id in executed], final)
    names = [ref.name for ref in [*info.loras, info.model] if ref is not None and ref.name]
    structural = next((model_stem(n) for n in names if _STRUCTURAL_LORA.search(model_stem(n))), None)
    examined = 0
    for node in ordered:
        kind = _technique_kind(node)
        if kind is None:
            continue
        examined += 1
        if examined > MAX_TECHNIQUE_NODES:
            graph.warnings.append(f"more than {MAX_TECHNIQUE_NODES} image-input nodes; the rest were not examined")
            break
        technique = _technique(graph, node, kind, structural)
        if technique is not None:
            techniques.append(technique)
    return techniques


# --- other resources -------------------------------------------------------------------------


def _other_resources(graph: Graph, ordered: list[Node], info: GenerationInfo) -> None:
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
                weight = _num(graph.value(node, weight_key))
                info.other_resources.append(ResourceRef(kind=HYPERNETWORK, name=model_stem(name), weight=weight))
    for technique in info.techniques:
        if technique.model and technique.kind == "controlnet" and "via" not in technique.details:
            info.other_resources.append(ResourceRef(kind=CONTROLNET, name=technique.model, role="controlnet"))
        elif technique.model and technique.kind == "ipadapter" and not technique.details.get("model_is_preset"):
            info.other_resources.append(ResourceRef(kind=IPADAPTER, name=technique.model, role="ipadapter"))
