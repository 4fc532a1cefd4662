"""From a file's fields to the `GenerationInfo` record: find the graph, then read it the way
the image was made.

1. **Outputs.** Saver and preview nodes (`SaveImage`, `Image Save`, `SaveImagePlus`, ... and any
   sink named *Save*/*Preview*) are the candidate outputs.
2. **Final sampler.** The sampler all other candidates feed (see `final`); with several
   independent branches the choice is flagged as ambiguous and the settings are left empty.
   When no sampler reaches an output but a loaded image does, the saved image is that loaded
   image: no settings, model or LoRAs are the image's (the graph's are named in a warning and
   `params["not_run"]`), and the loaded image is listed as an input (`edit`, see `flow`).
3. **Settings** come from the final sampler (see `sampling`); `samplers` lists every sampler
   node of the graph with its own settings.
4. **Prompts** are the text encoders reached from the final sampler's positive and negative
   inputs.
5. **Model** is the loader reached from the final sampler's model input; **VAE** the `VAELoader`
   feeding the decoder of the final sampler's latent (a checkpoint's own VAE -> None); **size**
   the `Empty*Latent*` node at the root of the final sampler's latent chain.
6. **LoRAs** are every LoRA loader executed for the saved image (see `resources`);
   **techniques** every node executed for it that uses an image brought in by a loader node
   (see `techniques`), and every loaded image reaching the saved output without sampling
   (pasted in, face-swapped, edited: see `flow`).

Without an API graph the UI workflow is converted first (`workflow.graph_from_workflow`).
Unknown custom nodes never stop the read: what was understood is reported, the rest is listed
in `params["unknown_node_types"]`. Graph JSON is untrusted: size, node count, nesting and every
walk are bounded, and links to missing nodes or cycles only produce warnings.
"""

from __future__ import annotations

from tracker.metadata.a1111 import looks_like_infotext, parse_infotext
from tracker.metadata.comfyui import nodes as N
from tracker.metadata.comfyui.final import choose_final
from tracker.metadata.comfyui.graph import Graph, Node, model_stem, node_sort_key
from tracker.metadata.comfyui.locate import find_graphs
from tracker.metadata.comfyui.resources import (
    add_models,
    add_other_resources,
    embedding_refs,
    final_vae,
    lora_entries,
    lora_refs,
)
from tracker.metadata.comfyui.roles import (
    checkpoint_key,
    is_output,
    is_preprocessor,
    is_sampler,
    output_nodes,
    technique_kind,
    text_inputs,
)
from tracker.metadata.comfyui.sampling import latent_size, prompt_text, sampler_settings
from tracker.metadata.comfyui.techniques import technique_refs
from tracker.metadata.comfyui.widgets import WIDGETS
from tracker.metadata.comfyui.workflow import comfy_version, graph_from_workflow
from tracker.metadata.fields import Fields
from tracker.metadata.info import CHECKPOINT, GenerationInfo, ResourceRef, classify_hash


def parse(fields: Fields) -> GenerationInfo | None:
    """The generation record when the fields hold a ComfyUI graph, else None."""
    found = find_graphs(fields)
    if found.api is not None:
        graph, source, kind = Graph.from_api(found.api), str(found.api_source), "prompt"
    elif found.workflow is not None:
        graph, source, kind = graph_from_workflow(found.workflow), str(found.workflow_source), "workflow"
    elif found.broken_source is not None and not fields.png.get("parameters"):
        info = GenerationInfo(generator="comfyui", source=found.broken_source)
        info.warnings.extend(found.warnings)
        return info
    else:
        return None
    info = read_graph(graph, source, kind)
    info.warnings[:0] = found.warnings
    extra = found.api.get("extra") if found.api is not None else None
    airs = extra.get("airs") if isinstance(extra, dict) else None
    if isinstance(airs, list):
        info.params["civitai_airs"] = [a for a in airs if isinstance(a, str)][:64]
    if found.workflow is not None:
        info.generator_version = comfy_version(found.workflow)
    _add_saver_hashes(info, fields)
    return info


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


def read_graph(graph: Graph, source: str, kind: str) -> GenerationInfo:
    """Everything this package reports, from one graph."""
    info = GenerationInfo(generator=_generator(graph), source=source)
    samplers = [n for n in sorted(graph.nodes.values(), key=lambda n: node_sort_key(n.id)) if is_sampler(graph, n)]
    outputs = output_nodes(graph)
    choice = choose_final(graph, samplers, outputs)
    executed = choice.executed or set(graph.nodes)
    ordered = [graph.nodes[i] for i in graph.order(executed)]

    info.samplers = [sampler_settings(graph, n) for n in samplers]
    final = choice.final
    if final is not None:
        settings = sampler_settings(graph, final)
        info.seed, info.steps, info.cfg = settings["seed"], settings["steps"], settings["cfg"]
        info.sampler, info.scheduler = settings["sampler"], settings["scheduler"]
        info.prompt = prompt_text(graph, final, N.POSITIVE)
        info.negative_prompt = prompt_text(graph, final, N.NEGATIVE)
        info.width, info.height = latent_size(graph, final)
        info.vae = final_vae(graph, final, choice.outputs)
        info.params["final_sampler"] = final.id
        if settings["denoise"] is not None:
            info.params["denoise"] = settings["denoise"]
        if settings.get("shift") is not None:
            info.params["shift"] = settings["shift"]
    elif choice.from_loaded:
        _not_run(graph, samplers, info)
    elif samplers and not choice.ambiguous:
        info.warnings.append("no sampler feeds the saved image; generation settings were not read")
    add_models(graph, final, ordered, info)
    info.loras = lora_refs(graph, ordered)
    info.embeddings = embedding_refs(graph, ordered)
    info.techniques = technique_refs(graph, ordered, samplers, final, info)
    add_other_resources(graph, ordered, info)

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
        shown = [f"subgraph {graph.type_names[t]!r}" if t in graph.type_names else t for t in unknown[:12]]
        info.warnings.append(f"{len(unknown)} node types not understood: " + ", ".join(shown))
    info.warnings.extend(graph.warnings)
    if graph.notes:
        info.warnings.append("values computed at run time were not read: " + "; ".join(graph.notes[:10]))
    return info


def _not_run(graph: Graph, samplers: list[Node], info: GenerationInfo) -> None:
    """The saved image is a loaded image: say so, and keep the graph's models and LoRAs out of its record.

    They are listed in `params["not_run"]` and in the warning, never as the image's model or LoRAs
    (nor credited): no sampler they feed reaches an output, so ComfyUI did not run them for it.
    """
    everything = [graph.nodes[i] for i in graph.order(graph.nodes)]
    refs = [ref for ref in (_checkpoint_name(graph, n) for n in everything) if ref is not None]
    files = [ref.name for ref in [*refs, *lora_refs(graph, everything)] if ref.name]
    files = list(dict.fromkeys(files))[:16]
    info.params["not_run"] = files
    unused = f"; the graph's models and LoRAs ({', '.join(files)}) did not make it" if files else ""
    info.warnings.append(
        "no sampler is connected to an output: the saved image is a loaded image (see its image inputs), "
        "not one this graph generated"
        + unused
        + " (samplers not run: "
        + ", ".join(f"{s.class_type} ({s.id})" for s in samplers[:8])
        + ")"
    )


def _checkpoint_name(graph: Graph, node: Node) -> ResourceRef | None:
    key = checkpoint_key(node)
    name = graph.value(node, key) if key else None
    return ResourceRef(kind=CHECKPOINT, name=name) if isinstance(name, str) and name.strip() else None


def _generator(graph: Graph) -> str:
    """'civitai' when the graph names resources by Civitai AIR URNs (the on-site generator)."""
    for node in graph.nodes.values():
        for value in node.inputs.values():
            if isinstance(value, str) and value.startswith("urn:air:") and ":civitai:" in value:
                return "civitai"
    return "comfyui"


def _understood(graph: Graph, node: Node) -> bool:
    """Whether some rule of this package knows what the node does."""
    cls = node.class_type
    if (
        cls in N.KNOWN_UTILITY
        or cls in WIDGETS
        or cls in N.SLOT_ROLES
        or cls in N.IMAGE_LOADERS
        or cls in N.CONTEXT_SLOTS
    ):
        return True
    if cls in N.CORE_ENCODERS or N.ENCODER_PATTERN.search(cls) or is_preprocessor(node):
        return True
    return bool(
        is_output(node, graph)
        or is_sampler(graph, node)
        or checkpoint_key(node)
        or text_inputs(graph, node)
        or technique_kind(node) not in (None, "face_swap")
        or cls in N.FACE_SWAPS
        or cls in N.IMAGE_EDITS
        or N.FACE_MODEL_LOADER.search(cls)
        or lora_entries(graph, node)
        or "vae_name" in node.inputs
        or cls in N.UPSCALER_LOADERS
        or cls in N.DETECTOR_LOADERS
        or graph.switch_branch(node) is not None
    )
