"""InvokeAI 3.x and later without `invokeai_metadata`: the `invokeai_graph` / `invokeai_workflow`.

`invokeai_graph` (the executed graph, `{nodes: {id: node}, edges}`) and `invokeai_workflow`
(the editor's workflow) may be stored beside the metadata; when the metadata is missing (or
unreadable) the graph is read instead: its own metadata node (`core_metadata`,
`metadata_accumulator`) as CoreMetadata (see `core_metadata`), else the first-pass denoise
node with the noise, prompt, model loader, LoRA loader and adapter nodes around it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from tracker.metadata.info import CHECKPOINT, GenerationInfo, TechniqueRef
from tracker.metadata.invokeai.core_metadata import model_ref, read_core_metadata, scalar_weight
from tracker.metadata.jsonsafe import as_dict, as_float, as_int, as_text, json_object, merge_lora


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


def read_graph_only(png: dict[str, str]) -> GenerationInfo:
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
            return read_core_metadata(meta, source, warnings)
    info = GenerationInfo(generator="invokeai", source=source)
    denoise_id = _main_denoise(graph)
    if denoise_id is not None:
        _, denoise = graph.nodes[denoise_id]
        info.steps = as_int(denoise.get("steps"), "steps", warnings, minimum=1)
        info.cfg = scalar_weight(denoise.get("cfg_scale"), "cfg_scale", warnings)
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
            info.model = model_ref(CHECKPOINT, values.get("model"), "model", warnings)
        elif node_type in ("lora_loader", "sdxl_lora_loader", "flux_lora_loader"):
            ref = model_ref("lora", values.get("lora"), "lora", warnings)
            if ref is not None:
                merge_lora(info.loras, ref.name, ref.hash, as_float(values.get("weight"), "lora weight", warnings))
        elif node_type in ("controlnet", "t2i_adapter", "ip_adapter", "flux_ip_adapter", "flux_controlnet"):
            kind = "ipadapter" if "ip_adapter" in node_type else "controlnet"
            key = {
                "controlnet": "control_model",
                "flux_controlnet": "control_model",
                "t2i_adapter": "t2i_adapter_model",
            }.get(node_type, "ip_adapter_model")
            model = model_ref(kind, values.get(key), key, warnings)
            info.techniques.append(
                TechniqueRef(
                    kind=kind,
                    model=model.name if model else None,
                    weight=scalar_weight(values.get("control_weight", values.get("weight")), "weight", warnings),
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
