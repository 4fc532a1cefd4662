"""Walking a graph upstream: one role (model, prompt, VAE, ...) followed through pass-through
nodes, pipes, switches and rgthree contexts, and a latent/image chain followed to its root.

Every walk is bounded and cycle-safe.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterable

from tracker.metadata.comfyui import nodes as N
from tracker.metadata.comfyui.graph import MAX_NODES, Graph, Node, Ref, context_step
from tracker.metadata.comfyui.roles import (
    is_cond_name,
    is_image_loader,
    is_sampler,
    is_size_source,
    sampler_inputs,
    sampler_latent,
)

MAX_WALK = 20000
"""Steps one walk may take through the graph before it gives up."""


Step = tuple[Ref, str]


def walk(graph: Graph, starts: Iterable[Step], visit: Callable[[Node, int, str], list[Step]]) -> None:
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
        return [n for n in names if is_cond_name(n)] or [n for n in N.TEXT_EMBEDS_INPUTS if n in links]
    if role == N.VAE_ROLE:
        return [n for n in names if "vae" in n.lower()]
    if role == N.CLIP:
        return [n for n in names if "clip" in n.lower() and "vision" not in n.lower()]
    return []


def follow(graph: Graph, node: Node, slot: int, role: str) -> list[Step] | None:
    """Where a pass-through node gets the `role` value it outputs on `slot`; None if unknown."""
    step = context_step(node, slot, role)
    if step is not None:
        field_name, sources = step
        return [(ref, field_name) for ref in sources if isinstance(ref, tuple)]
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


def follow_or_note(graph: Graph, node: Node, slot: int, role: str, what: str) -> list[Step]:
    """`follow`; where no rule knows the node, a note "<what> <class> (node <id>)" and a stop."""
    nxt = follow(graph, node, slot, role)
    if nxt is None:
        graph.note(f"{what} {node.class_type} (node {node.id})")
        return []
    return nxt


def _outputs_conditioning_pair(links: dict[str, Ref]) -> bool:
    """A node taking positive+negative and no model/pipe outputs them again on slots 0 and 1."""
    if N.POSITIVE not in links or N.NEGATIVE not in links or N.MODEL in links:
        return False
    return not any(name in N.PIPE_INPUTS or name.endswith("_pipe") for name in links)


def sampler_starts(graph: Graph, sampler: Node, role: str) -> list[Step]:
    """The sampler input(s) carrying `role` (through its guider for SamplerCustomAdvanced, its settings node for
    WanVideoSamplerFromSettings)."""
    links = dict(graph.links(sampler_inputs(graph, sampler)))
    if role in links:
        return [(links[role], role)]
    embeds = next((name for name in N.TEXT_EMBEDS_INPUTS if name in links), None)
    if role in (N.POSITIVE, N.NEGATIVE) and embeds is not None:
        return [(links[embeds], role)]  # WanVideoWrapper: both prompts in one input
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


def nearest_upstream(graph: Graph, start: list[str]) -> list[str]:
    """Upstream node ids nearest first."""
    order: list[str] = []
    seen = set(start)
    queue = deque(start)
    while queue and len(order) < MAX_NODES:
        node_id = queue.popleft()
        order.append(node_id)
        for _, ref in graph.links(graph.nodes[node_id]):
            if ref[0] not in seen:
                seen.add(ref[0])
                queue.append(ref[0])
    return order


def latent_path(graph: Graph, start: Ref, stop_at_samplers: bool) -> tuple[list[Node], Node | None]:
    """Nodes from `start` up the latent/image chain to its root (loader, empty latent, sampler)."""
    path: list[Node] = []
    ref: Ref | None = start
    seen: set[str] = set()
    wanted = ""
    while ref is not None and len(path) < 500:
        node = graph.nodes.get(ref[0])
        if node is None or node.id in seen:
            return path, None
        seen.add(node.id)
        path.append(node)
        if is_size_source(node) or is_image_loader(graph, node) or node.class_type in N.LATENT_SIZE_INPUTS:
            return path, node
        if is_sampler(graph, node):
            if stop_at_samplers:
                return path, node
            ref = sampler_latent(graph, node)
            continue
        step = context_step(node, ref[1], wanted)
        if step is not None:  # an rgthree context: the latent (or image) field it carries
            wanted, sources = step
            ref = next((source for source in sources if isinstance(source, tuple)), None)
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
