"""What one node is: an output, a sampler, a checkpoint loader, a text encoder, an image loader,
a latent size source, a ControlNet preprocessor or a technique node (face swaps included).

Each answer looks at the node itself (class and inputs) and at most at the links into and
out of it; walks across the graph live in `walk`.
"""

from __future__ import annotations

import re

from tracker.metadata.comfyui import nodes as N
from tracker.metadata.comfyui.graph import Graph, Node, Ref, node_sort_key


def is_output(node: Node, graph: Graph) -> bool:
    """A saver/preview node: known classes, or an unconsumed *Save*/*Preview* node with inputs."""
    if node.class_type in N.SAVER_CLASSES:
        return True
    return (
        re.search(r"save|preview", node.class_type, re.IGNORECASE) is not None
        and not graph.consumers().get(node.id)
        and any(True for _ in graph.links(node))
    )


def output_nodes(graph: Graph) -> list[Node]:
    """Every output node, in node-id order."""
    return [n for n in sorted(graph.nodes.values(), key=lambda n: node_sort_key(n.id)) if is_output(n, graph)]


_SAMPLING_LINKS = ("model", "positive", "latent_image", "basic_pipe", "image", "samples", "latent", "guider", "pipe")


def is_sampler(graph: Graph, node: Node) -> bool:
    """A node that runs a sampling pass (KSampler-like inputs, SamplerCustom*, WanVideoWrapper's samplers)."""
    if node.class_type in N.SAMPLER_CUSTOM or node.class_type in N.WRAPPER_SAMPLERS:
        return True
    keys = node.inputs.keys()
    if not ("sampler_name" in keys and "steps" in keys and "cfg" in keys):
        return False
    if node.class_type in N.SAVER_CLASSES or re.search(r"save", node.class_type, re.IGNORECASE):
        return False
    return any(isinstance(node.inputs.get(name), tuple) for name in _SAMPLING_LINKS) or bool(
        re.search(r"sampler|detailer", node.class_type, re.IGNORECASE)
    )


def checkpoint_key(node: Node) -> str | None:
    """The input naming the model file when the node is a checkpoint/UNET loader."""
    key = N.CHECKPOINT_CLASS_INPUTS.get(node.class_type)
    if key and key in node.inputs:
        return key
    if isinstance(node.inputs.get("model"), tuple):
        return None
    return next((k for k in N.CHECKPOINT_NAME_INPUTS if k in node.inputs), None)


def text_inputs(graph: Graph, node: Node) -> tuple[str, ...]:
    """Prompt-text inputs when the node is a text encoder (conditioning comes out of text)."""
    names = N.TEXT_INPUTS.get(node.class_type)
    if names is not None:
        return names
    by_role = N.ROLE_TEXT_INPUTS.get(node.class_type)
    if by_role is not None:
        return tuple(name for names in by_role.values() for name in names)
    links = dict(graph.links(node))
    if any(is_cond_name(name) or name in (N.POSITIVE, N.NEGATIVE) for name in links):
        return ()
    if not (any(name in links for name in N.CLIP_LIKE_INPUTS) or "TextEncode" in node.class_type):
        return ()
    return tuple(name for name in N.GENERIC_TEXT_NAMES if name in node.inputs)


def is_cond_name(name: str) -> bool:
    """Inputs that carry conditioning into a pass-through node (conditioning_1, cond2, ...)."""
    return name.startswith("conditioning") or re.fullmatch(r"cond\d*|cond_\w+", name) is not None


def is_size_source(node: Node) -> bool:
    """A node that creates the latent at a stated size (Empty*Latent*, image-to-video, Zero123...)."""
    return re.search(r"Empty.*Latent", node.class_type) is not None or node.class_type in N.SIZE_SOURCES


_PIXEL_LINK = re.compile(r"images?|pixels|frames?|video|samples|latents?|.*_(image|images|latent)", re.IGNORECASE)
"""Inputs taking a picture or latent: a *Load*Image* node with one linked works on pictures, it loads none."""


def is_image_loader(graph: Graph, node: Node) -> bool:
    """A node bringing an outside image in, recognised by its name or by the file it names.

    Known loaders (LoadImage & co.); a *Load*Image*/*Video* node taking no picture (its file, folder
    or URL typed in or linked from a text node); or any node whose
    class looks like a loader (load, upload, open, read, url, ...) and one of whose image/video/
    file inputs, or unnamed UI widgets, names an image or video file. Model loaders (LoRA,
    checkpoint, VAE, ControlNet, ...) never count.
    """
    cls = node.class_type
    if cls in N.IMAGE_LOADERS:
        return True
    if N.NOT_IMAGE_LOADER.search(cls):
        return False
    if N.LOADER_PATTERN.search(cls) is not None and not any(
        _PIXEL_LINK.fullmatch(name) for name, _ in graph.links(node)
    ):
        return True  # its file, folder or URL may come from a text node
    return N.LOADERISH_PATTERN.search(cls) is not None and media_file(node) is not None


def media_file(node: Node) -> str | None:
    """The image/video file a node's inputs (or unnamed UI widgets) name, if any."""
    for name, value in node.inputs.items():
        if isinstance(value, dict):
            value = value.get("content") or value.get("filename")
        if isinstance(value, str) and N.MEDIA_INPUT_NAMES.search(name) and N.MEDIA_FILE.search(value):
            return value
    for value in node.widgets[:32]:
        if isinstance(value, str) and N.MEDIA_FILE.search(value):
            return value
    return None


def sampler_inputs(graph: Graph, sampler: Node) -> Node:
    """The node holding a sampler's inputs: the sampler itself, or the `WanVideoSamplerSettings` node a
    `WanVideoSamplerFromSettings` runs with."""
    source = graph.source(graph.ref(sampler.inputs.get("sampler_inputs")))
    return source if source is not None and source.class_type in N.SETTINGS_HOLDERS else sampler


def sampler_latent(graph: Graph, sampler: Node) -> Ref | None:
    """The input a sampler denoises: its latent, or the image of a detailer/upscaler (Ultimate SD Upscale's no-upscale
    node: `upscaled_image`; a WanVideoWrapper sampler with no `samples`: its image embeds, which set the size)."""
    holder = sampler_inputs(graph, sampler)
    for name in (
        "latent_image",
        "samples",
        "latent",
        "image",
        "images",
        "pixels",
        "upscaled_image",
        N.WRAPPER_CHAIN_INPUT,
    ):
        ref = graph.ref(holder.inputs.get(name))
        if ref is not None:
            return ref
    return None


def takes_pixels(graph: Graph, sampler: Node) -> bool:
    """A sampler whose chain input is an image, not a latent (detailers, tiled upscalers)."""
    if sampler.class_type in N.WRAPPER_SAMPLERS:
        return False
    return not any(isinstance(sampler.inputs.get(n), tuple) for n in ("latent_image", "samples", "latent"))


def technique_kind(node: Node) -> str | None:
    """Which technique rule applies to a node type (None: not a technique node)."""
    cls = node.class_type
    if cls in N.INSTANTID_APPLY:
        return "instantid"
    if ("ControlNet" in cls and "Apply" in cls) or cls in N.CONTROLNET_APPLY:
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
    if is_face_swap(node):
        return "face_swap"
    return None


def is_face_swap(node: Node) -> bool:
    """A face swap node (ReActor, FaceFusion, InsightFace swappers, roop)."""
    cls = node.class_type
    return N.FACE_SWAP_PATTERN.search(cls) is not None and N.NOT_FACE_SWAP.search(cls) is None


def face_inputs(graph: Graph, node: Node) -> list[str]:
    """The linked inputs of a face swap node that carry the face (all image inputs when none is named so)."""
    names = [name for name, _ in graph.links(node) if name not in N.NON_IMAGE_INPUTS]
    return [name for name in names if N.FACE_SOURCE_INPUTS.search(name)] or names


def is_preprocessor(node: Node) -> bool:
    """A ControlNet hint preprocessor (Canny, *Preprocessor, depth/pose estimators, ...)."""
    cls = node.class_type
    if cls in N.PREPROCESSOR_CLASSES or cls in N.PREPROCESSOR_VALUE_INPUTS:
        return True
    return bool(N.PREPROCESSOR_PATTERN.search(cls)) and not N.NOT_PREPROCESSOR.search(cls)
