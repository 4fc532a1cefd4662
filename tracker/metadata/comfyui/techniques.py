"""Every use of an outside image among the nodes executed for the saved image.

An image counts when it reaches the node from a loader node without passing through a sampler:
img2img/inpaint (a sampler's latent chain starting at an encoded loaded image), ControlNet (with
the preprocessor between image and loader), IP-Adapter, InstantID, PhotoMaker, unCLIP, style
model, reference latents and edit models, image-to-video start frames, face swaps (the source face:
a loaded image or a saved face model). Loaded images that reach the saved output without sampling
(pasted in, edited, or through nodes no rule knows) are found by `flow`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from tracker.metadata.comfyui import nodes as N
from tracker.metadata.comfyui.flow import UNKNOWN_KIND, ImageUse, uncovered_uses
from tracker.metadata.comfyui.graph import Graph, Node, Ref, model_stem, rounded
from tracker.metadata.comfyui.roles import (
    face_inputs,
    is_image_loader,
    is_preprocessor,
    is_sampler,
    is_size_source,
    media_file,
    sampler_latent,
    takes_pixels,
    technique_kind,
)
from tracker.metadata.comfyui.sampling import sampler_settings
from tracker.metadata.comfyui.walk import MAX_WALK, latent_path
from tracker.metadata.info import GenerationInfo, TechniqueRef

MAX_TECHNIQUE_NODES = 256
"""Technique nodes examined per graph (each walks back to find its image's origin)."""
_STRUCTURAL_LORA = re.compile(r"depth|canny", re.IGNORECASE)


def _external_images(graph: Graph, refs: Iterable[Ref], face_models: bool = False) -> list[Node]:
    """Loader nodes whose image reaches these inputs without passing through a sampler.

    With `face_models`, nodes loading a saved face (`nodes.FACE_MODEL_LOADER`) count as loaders too.
    """
    found: list[Node] = []
    seen: set[str] = set()
    stack = list(refs)
    while stack and len(seen) < MAX_WALK:
        node_id = stack.pop()[0]
        if node_id in seen:
            continue
        seen.add(node_id)
        node = graph.nodes[node_id]
        if is_image_loader(graph, node) or (face_models and N.FACE_MODEL_LOADER.search(node.class_type)):
            found.append(node)
            continue
        if is_sampler(graph, node) or is_size_source(node) or node.class_type == "EmptyImage":
            continue
        branch = graph.switch_branch(node)
        if branch is not None:
            stack.extend(branch)
            continue
        stack.extend(ref for name, ref in graph.links(node) if name not in N.NON_IMAGE_INPUTS)
    return found


def _loaded_name(graph: Graph, loader: Node) -> str | None:
    """The file (or URL) a loader node names, shortened for display."""
    for key in ("image", "video", "url", "path", "file", "directory", "image_path", "face_model", "latent"):
        value = graph.value(loader, key)
        if isinstance(value, str) and value:
            return value if len(value) <= 200 else value[:197] + "..."
    value = media_file(loader)
    return None if value is None else value if len(value) <= 200 else value[:197] + "..."


def _image_refs(graph: Graph, node: Node, names: Iterable[str] | None = None) -> list[Ref]:
    """The named image inputs of a node, or every input that may carry an image."""
    links = dict(graph.links(node))
    if names is not None:
        return [links[n] for n in names if n in links]
    return [ref for name, ref in links.items() if name not in N.NON_IMAGE_INPUTS]


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
        if is_preprocessor(node):
            return node.class_type
        if is_image_loader(graph, node) or is_sampler(graph, node):
            continue
        stack.extend(r for name, r in graph.links(node) if name not in N.NON_IMAGE_INPUTS)
    return None


def _technique(
    graph: Graph, node: Node, kind: str, structural: str | None, covered: set[tuple[str, str]]
) -> TechniqueRef | None:
    """The technique one node applies, when its image comes from a loader."""
    cls = node.class_type
    names = N.REFERENCE_CLASSES.get(cls) or N.VIDEO_FROM_IMAGE.get(cls)
    if kind == "face_swap":
        names = tuple(face_inputs(graph, node))
    loaders = _external_images(graph, _image_refs(graph, node, names), face_models=kind == "face_swap")
    if not loaders:
        return None
    covered.update((loader.id, node.id) for loader in loaders)
    details: dict[str, Any] = {"node": node.id, "images": [_loaded_name(graph, n) for n in loaders][:8]}
    weight_key = {"controlnet": "strength", "revision": "strength", "style_model": "strength"}.get(kind, "weight")
    if cls == "ApplyInstantIDAdvanced":
        weight_key = "ip_weight"
    elif cls == "IPAdapterStyleComposition":
        weight_key = "weight_style"
    weight = rounded(graph.value(node, weight_key)) if weight_key in node.inputs else None
    module = model = None
    if kind == "controlnet":
        cn_ref = graph.ref(node.inputs.get("control_net") or node.inputs.get("controlnet"))
        model, _ = _named_file(graph, cn_ref, (N.CONTROLNET_LOADER_INPUT,), "control_net")
        own = graph.value(node, N.CONTROLNET_LOADER_INPUT) if cn_ref is None else None
        model = model_stem(own) if isinstance(own, str) and own.strip() else model  # named by the node itself
        module = _preprocessor(graph, graph.ref(node.inputs.get("image")))
        for key in ("start_percent", "end_percent"):
            if key in node.inputs:
                details[key] = rounded(graph.value(node, key))
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
    elif kind == "face_swap":
        module = cls
        swap_model = graph.value(node, "swap_model")
        model = model_stem(swap_model) if isinstance(swap_model, str) and swap_model.strip() else None
    elif kind in ("reference", "img2img"):
        module = cls
        if cls == "InstructPixToPixConditioning" and structural:
            kind, module, model = "controlnet", None, structural
            details["via"] = "structure-conditioning LoRA/model (Flux Depth/Canny)"
    return TechniqueRef(kind=kind, module=module, model=model, weight=weight, details=details)


def _latent_inputs(
    graph: Graph, samplers: list[Node], final: Node | None, covered: set[tuple[str, str]]
) -> list[TechniqueRef]:
    """img2img/inpaint: samplers whose latent chain starts at an encoded outside image."""
    out: list[TechniqueRef] = []
    done: set[str] = set()
    first = [final] if final is not None else []
    for sampler in first + [s for s in reversed(samplers) if s is not final]:
        start = sampler_latent(graph, sampler)
        if start is None:
            continue
        path, root = latent_path(graph, start, stop_at_samplers=True)
        if root is None or not is_image_loader(graph, root):
            continue
        if any(n.class_type in N.REFERENCE_CLASSES or n.class_type in N.VIDEO_FROM_IMAGE for n in path):
            continue  # conditioning on the image: reported by its own rule
        encoders = [n for n in path if n.class_type in N.CORE_ENCODERS or N.ENCODER_PATTERN.search(n.class_type)]
        if encoders:
            encoder = encoders[-1]
            module = None if encoder.class_type in N.CORE_ENCODERS else encoder.class_type
        elif takes_pixels(graph, sampler):
            encoder, module = sampler, sampler.class_type  # a detailer/upscaler run on the loaded image
        else:
            continue
        covered.add((root.id, sampler.id))
        if encoder.id in done:
            continue
        done.add(encoder.id)
        inpaint = any(n.class_type in N.INPAINT_MARKERS for n in path)
        denoise = sampler_settings(graph, sampler)["denoise"]
        out.append(
            TechniqueRef(
                kind="inpaint" if inpaint else "img2img",
                module=module,
                weight=denoise if denoise is not None and denoise < 1 else None,
                details={"node": encoder.id, "sampler": sampler.id, "images": [_loaded_name(graph, root)]},
            )
        )
    return out


def technique_refs(
    graph: Graph, ordered: list[Node], samplers: list[Node], final: Node | None, info: GenerationInfo
) -> list[TechniqueRef]:
    """Every use of an outside image among the nodes executed for the saved image."""
    executed = {n.id for n in ordered}
    covered: set[tuple[str, str]] = set()
    techniques = _latent_inputs(graph, [s for s in samplers if s.id in executed], final, covered)
    names = [ref.name for ref in [*info.loras, info.model] if ref is not None and ref.name]
    structural = next((model_stem(n) for n in names if _STRUCTURAL_LORA.search(model_stem(n))), None)
    examined = 0
    for node in ordered:
        kind = technique_kind(node)
        if kind is None:
            continue
        examined += 1
        if examined > MAX_TECHNIQUE_NODES:
            graph.warnings.append(f"more than {MAX_TECHNIQUE_NODES} image-input nodes; the rest were not examined")
            break
        technique = _technique(graph, node, kind, structural, covered)
        if technique is not None:
            techniques.append(technique)
    for use in uncovered_uses(graph, ordered, covered):
        techniques.append(_flow_technique(graph, use))
    return techniques


def _flow_technique(graph: Graph, use: ImageUse) -> TechniqueRef:
    """The record of an image use found only by following the data flow (see `flow`)."""
    name = _loaded_name(graph, use.loader)
    via = [n.class_type for n in use.path[1:]][:8]
    details: dict[str, Any] = {"node": use.target.id, "images": [name], "loader": use.loader.class_type, "via": via}
    if use.to_output:
        details["output"] = f"{use.target.class_type} ({use.target.id})"
    if use.kind == UNKNOWN_KIND:
        route = " -> ".join(via) or use.target.class_type
        where = "the saved output" if use.to_output else "sampling"
        graph.warnings.append(
            f"image input of unknown kind: check by hand ({name or use.loader.class_type} from "
            f"{use.loader.class_type} (node {use.loader.id}) reaches {where} through {route})"
        )
    return TechniqueRef(kind=use.kind, module=use.module, details=details)
