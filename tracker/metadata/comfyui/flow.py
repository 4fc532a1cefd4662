"""Image inputs found by data flow: every loaded image whose pixels reach sampling or the output.

The rules in `techniques` start from nodes they know (ControlNet apply, IP-Adapter, image-to-
video, VAE-encoded latents, ...) and walk back to a loader. That misses custom nodes: a loaded
image can reach a sampler through conditioning, latents, model patches or video guides of a
node no table names. This module walks the other way: from every loader executed for the saved
image (`roles.is_image_loader`: known loaders, or any loader-like node naming an image/video
file) downstream through every consumer, until it reaches a sampler, a technique node or an
output node (saver, preview, video combiner) of the saved image. A face swap node entered through
the picture it pastes a face onto (not its face input) passes the picture on.

Each such arrival is an `ImageUse`. Uses the known rules already reported (the same loader and
the same sampler/technique node) are left out by the caller; the rest get a kind:

- a known technique node entered through an input its rule does not read: that node's kind
  (through a `clip_vision*` input: `reference`; a `control*` input: `controlnet`);
- a sampler reached through a VAE encoder into its latent: `img2img` (`inpaint` with an inpaint
  node on the way); a detailer/upscale sampler reached through its image input (or Easy-Use's
  pre-sampling through the picture it encodes): `img2img`; through a ControlNet stack (the hint
  image the loader it feeds applies): `controlnet`;
- an output reached without sampling: `composite` when a node on the way combines the loaded
  image with pixels from elsewhere (a sampler's, another loaded image's: ImageCompositeMasked,
  ImageBlend, ImageBatch, LatentComposite, a face swap onto it, ...; module: that node);
  `edit` when the saved picture is the loaded image itself, resized, cropped, filtered or
  re-encoded (module: the first node on the way, None when saved as loaded). A node on the way
  that no table knows makes it `unknown`;
- anything else: `unknown` ("image input of unknown kind: check by hand"), never clean; when
  the way passes a face-identity node (PuLID, FaceID, InstantID, PhotoMaker, InsightFace) its
  class is the module, which the risk table ranks as an identity input. Otherwise no module,
  so no rule can rank the use as safer than "unknown".

A switch passes on only its selected input (all of them when the choice is made at run time).
Cut on purpose: edges into mask inputs (a mask shapes where, not what) and into number or text
inputs (an image reduced to its size, a caption or its embedded prompt is not its pixels), and
outputs of nodes that measure an image but its first (GetImageSize & co. output its size: cut by the
inputs it feeds; GetImageSizeAndCount outputs the image first). Bounded: at most `MAX_LOADERS` loaders
and `MAX_FLOW_STEPS` node visits per graph, iterative, cycle-safe.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from tracker.metadata.comfyui import nodes as N
from tracker.metadata.comfyui.graph import Graph, Node
from tracker.metadata.comfyui.roles import (
    face_inputs,
    is_face_swap,
    is_image_loader,
    is_output,
    is_preprocessor,
    is_sampler,
    takes_pixels,
    technique_kind,
)

UNKNOWN_KIND = "unknown"
"""Technique kind of an image input no rule recognises (the risk table's fallback: review)."""
COMPOSITE_KIND = "composite"
"""A loaded image pasted, blended or batched into the saved picture without sampling."""
EDIT_KIND = "edit"
"""The saved picture is a loaded image itself: resized, cropped, filtered, or saved as loaded."""
_SAMPLED = "sampler"
MAX_LOADERS = 64
MAX_FLOW_STEPS = 20000

_CUT_INPUT = re.compile(
    r"mask|^(width|height|length|batch_size|frames?|frame_count|num_frames|seed|noise_seed|steps|cfg|denoise|"
    r"text|text_[gl]|prompt|positive_prompt|negative_prompt|string|strings?_[ab]|wildcard_text|populated_text|"
    r"clip_l|clip_g|t5xxl|value|int|float|number|a|b|index|select|boolean|.*_name)$",
    re.IGNORECASE,
)
"""Inputs that take a mask, a number or text: an image reaching them is no longer pixels."""
_MEASURE = re.compile(r"(?<!re)size|info|count|metadata|shape", re.IGNORECASE)
"""Nodes that only measure an image (its size, batch count, metadata)."""
_IDENTITY = re.compile(r"pulid|face_?id|instant_?id|insightface|photo_?maker", re.IGNORECASE)
"""Face-identity nodes (PuLID, FaceID, ...): an unknown-kind use through one names it as its module."""
_OUTPUT_PIXELS = re.compile(r"image|pixel|frame|video|latent|samples", re.IGNORECASE)
"""Output inputs that take the picture (a saver's `images`, a video combiner's frames)."""
_LATENT_ENTRY = frozenset({"latent_image", "samples", "latent", "latents"})
_PIXEL_ENTRY = frozenset({"image", "images", "pixels", "image_to_latent", "upscaled_image"})
"""A sampler's inputs taking the picture it samples (a detailer's image, Easy-Use's pre-sampling image)."""


@dataclass
class ImageUse:
    """A loaded image reaching a sampler or a technique node (`target`) through `path`."""

    loader: Node
    target: Node
    path: list[Node]
    """loader ... target, as first found."""
    entry: str
    """The target's input the image came in through."""
    to_output: bool = False
    """The target is an output node: the image reaches the saved picture without sampling."""
    kind: str = UNKNOWN_KIND
    module: str | None = None


def _consumer_table(graph: Graph, executed: set[str]) -> dict[str, list[tuple[str, str, int]]]:
    """node id -> (consumer id, consumer input name, output slot it takes) among executed nodes, cut inputs
    left out."""
    table: dict[str, list[tuple[str, str, int]]] = {}
    for node_id in executed:
        node = graph.nodes[node_id]
        branch = graph.switch_branch(node)  # a switch passes on only its selected input
        for name, ref in graph.links(node):
            if branch is not None and ref not in branch:
                continue
            if ref[0] in executed and not _CUT_INPUT.search(name):
                table.setdefault(ref[0], []).append((node_id, name, ref[1]))
    return table


def _arrivals(
    graph: Graph, loader: Node, table: dict[str, list[tuple[str, str, int]]], budget: list[int]
) -> Iterable[ImageUse]:
    """Breadth-first from one loader; stops at samplers, technique nodes and outputs. A node that measures the
    image passes on only its first output (KJNodes' GetImageSizeAndCount: the image, then its size)."""
    parent: dict[str, str] = {loader.id: ""}
    queue = deque([loader.id])
    while queue and budget[0] > 0:
        node_id = queue.popleft()
        measures = node_id != loader.id and _MEASURE.search(graph.nodes[node_id].class_type) is not None
        for consumer_id, name, slot in table.get(node_id, ()):
            if consumer_id in parent or (measures and slot != 0):
                continue
            budget[0] -= 1
            parent[consumer_id] = node_id
            consumer = graph.nodes[consumer_id]
            kind = technique_kind(consumer)
            if kind == "face_swap" and name not in face_inputs(graph, consumer):
                queue.append(consumer_id)  # the picture a face is pasted onto goes on
                continue
            if is_sampler(graph, consumer) or kind is not None:
                yield ImageUse(loader, consumer, _path(graph, parent, consumer_id), name)
                continue
            if is_output(consumer, graph):
                if _OUTPUT_PIXELS.search(name):  # not its file name or prompt text passed to a saver
                    yield ImageUse(loader, consumer, _path(graph, parent, consumer_id), name, to_output=True)
                continue
            if is_image_loader(graph, consumer):
                continue
            queue.append(consumer_id)


def _path(graph: Graph, parent: dict[str, str], end: str) -> list[Node]:
    ids = [end]
    while parent.get(ids[-1]) and len(ids) < 500:
        ids.append(parent[ids[-1]])
    return [graph.nodes[i] for i in reversed(ids)]


def _pixel_links(graph: Graph, node: Node) -> Iterable[tuple[str, str]]:
    """(input name, source id) of the inputs that may carry pixels (not masks, numbers, models, ...)."""
    branch = graph.switch_branch(node)
    for name, ref in graph.links(node):
        if branch is not None and ref not in branch:
            continue
        if (name in N.NON_IMAGE_INPUTS and name != "segs") or _CUT_INPUT.search(name):
            continue
        yield name, ref[0]


def _pixel_sources(graph: Graph, ordered: list[Node]) -> dict[str, frozenset[str]]:
    """node id -> where its pixels come from: loader ids, and "sampler" for anything sampled.

    One pass in upstream-first order; a sampler's output counts as new pixels (its own inputs
    are reported by the rules for sampling).
    """
    sources: dict[str, frozenset[str]] = {}
    for node in ordered:
        if is_image_loader(graph, node):
            sources[node.id] = frozenset({node.id})
        elif is_sampler(graph, node):
            sources[node.id] = frozenset({_SAMPLED})
        else:
            found: set[str] = set()
            for _, source in _pixel_links(graph, node):
                found.update(sources.get(source, ()))
                if len(found) > MAX_LOADERS:
                    break
            sources[node.id] = frozenset(found)
    return sources


def _known_step(graph: Graph, node: Node) -> bool:
    """A node on the way from a loader to the output whose effect on the picture is known."""
    cls = node.class_type
    return bool(
        cls in N.KNOWN_UTILITY
        or cls in N.IMAGE_EDITS
        or cls in N.CORE_ENCODERS
        or N.ENCODER_PATTERN.search(cls)
        or "VAEDecode" in cls
        or is_preprocessor(node)
        or is_face_swap(node)
        or graph.switch_branch(node) is not None
    )


def _classify_output(graph: Graph, use: ImageUse, sources: dict[str, frozenset[str]]) -> None:
    """Kind of a loaded image reaching the saved output without sampling: composite, edit or unknown."""
    inner = use.path[1:-1]
    if any(not _known_step(graph, n) for n in inner):
        identity = next((n.class_type for n in inner if _IDENTITY.search(n.class_type)), None)
        use.kind, use.module = UNKNOWN_KIND, identity
        return
    previous = use.loader.id
    for node in inner:
        others: set[str] = set()
        for _, source in _pixel_links(graph, node):
            if source != previous:
                others.update(sources.get(source, ()))
        if others - {use.loader.id}:
            use.kind, use.module = COMPOSITE_KIND, node.class_type
            return
        previous = node.id
    use.kind, use.module = EDIT_KIND, (inner[0].class_type if inner else None)


def _classify(graph: Graph, use: ImageUse) -> None:
    """Set the kind (and module) of a use the known rules did not report."""
    target, inner = use.target, use.path[1:-1]
    kind = technique_kind(target)
    if kind is not None:
        entry = use.entry.lower()
        if "clip_vision" in entry:
            kind = "reference"
        elif "control" in entry:
            kind = "controlnet"
        use.kind = kind
        use.module = target.class_type if kind in ("reference", "img2img") else None
        return
    encoders = [n for n in inner if n.class_type in N.CORE_ENCODERS or N.ENCODER_PATTERN.search(n.class_type)]
    if encoders and use.entry in _LATENT_ENTRY:
        inpaint = any(n.class_type in N.INPAINT_MARKERS for n in inner)
        use.kind = "inpaint" if inpaint else "img2img"
        last = encoders[-1].class_type
        use.module = None if last in N.CORE_ENCODERS else last
    elif use.entry in _PIXEL_ENTRY and takes_pixels(graph, target):
        use.kind, use.module = "img2img", target.class_type
    elif any(N.CONTROLNET_STACK.search(n.class_type) for n in inner):
        use.kind = "controlnet"  # the hint image of a ControlNet stack, applied by the loader it feeds
    else:
        identity = next((n.class_type for n in use.path[1:] if _IDENTITY.search(n.class_type)), None)
        use.module = identity  # a face-identity node keeps its name so the risk table can say "identity"


def uncovered_uses(graph: Graph, ordered: list[Node], covered: set[tuple[str, str]]) -> list[ImageUse]:
    """Uses of loaded images executed for the saved image that the known rules did not report.

    `covered` holds (loader id, sampler or technique node id) pairs the known rules reported.
    """
    executed = {n.id for n in ordered}
    loaders = [n for n in ordered if is_image_loader(graph, n)]
    if not loaders:
        return []
    if len(loaders) > MAX_LOADERS:
        graph.warnings.append(f"more than {MAX_LOADERS} image loaders; the rest were not followed")
        loaders = loaders[:MAX_LOADERS]
    table = _consumer_table(graph, executed)
    budget = [MAX_FLOW_STEPS]
    out: list[ImageUse] = []
    seen: set[tuple[str, str, str | None]] = set()
    sources: dict[str, frozenset[str]] | None = None
    for loader in loaders:
        for use in _arrivals(graph, loader, table, budget):
            if (loader.id, use.target.id) in covered:
                continue
            if use.to_output:
                sources = sources if sources is not None else _pixel_sources(graph, ordered)
                _classify_output(graph, use, sources)
            else:
                _classify(graph, use)
            if (loader.id, use.kind, use.module) not in seen:  # one record per loader and kind
                seen.add((loader.id, use.kind, use.module))
                out.append(use)
    if budget[0] <= 0:
        graph.note("following loaded images hit its step limit")
    return out
