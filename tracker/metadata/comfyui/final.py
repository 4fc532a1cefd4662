"""Choosing the final sampler: the one that produced the saved image.

Every sampler upstream of an output is a candidate. The final one is the candidate that all
the others feed (through latents, decoded images, ControlNet hints, ...): a hires pass, refiner
or detailer after the first pass. When no single candidate is fed by all the others, savers are
preferred over previews; if that still leaves several independent branches, the choice is
flagged as ambiguous. The chosen outputs are those depending on the final sampler, and
"executed for the saved image" means upstream of them.

When no sampler reaches any output but a loaded image does (LoadImage -> upscale -> SaveImage),
the saved image is that loaded image: there is no final sampler, the chosen outputs are those the
loaded image reaches, and the samplers did not run for them (ComfyUI runs only what an output
needs), so their models, LoRAs and settings are not the image's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tracker.metadata.comfyui.graph import Graph, Node, node_sort_key
from tracker.metadata.comfyui.roles import is_image_loader

MAX_CANDIDATES = 256
"""Samplers/outputs compared when choosing the final sampler (each costs one upstream walk)."""


@dataclass
class Choice:
    """The outcome of choosing the final sampler (see the module docstring)."""

    final: Node | None = None
    outputs: list[str] = field(default_factory=list)
    executed: set[str] = field(default_factory=set)
    ambiguous: bool = False
    candidates: list[Node] = field(default_factory=list)
    from_loaded: bool = False
    """No sampler reaches an output; the chosen outputs show a loaded image (see the module docstring)."""


def _sink(candidates: set[str], feeds: dict[str, set[str]]) -> str | None:
    """The one candidate every other candidate feeds, if there is exactly one."""
    sinks = [s for s in candidates if candidates - {s} <= feeds[s]]
    return sinks[0] if len(sinks) == 1 else None


def choose_final(graph: Graph, samplers: list[Node], outputs: list[Node]) -> Choice:
    """The sampler that produced the saved image, the outputs showing it, and what they executed."""
    if len(samplers) > MAX_CANDIDATES or len(outputs) > MAX_CANDIDATES:
        graph.warnings.append(f"more than {MAX_CANDIDATES} samplers or outputs; only the first were compared")
        samplers, outputs = samplers[:MAX_CANDIDATES], outputs[:MAX_CANDIDATES]
    sampler_ids = {s.id for s in samplers}
    reach = {o.id: graph.upstream([o.id]) for o in outputs}
    reached = {o: ids & sampler_ids for o, ids in reach.items()}
    candidates = set().union(*reached.values()) if reached else set()
    if not candidates:
        fed = [o.id for o in outputs if any(is_image_loader(graph, graph.nodes[i]) for i in reach[o.id])]
        if samplers and fed:
            return Choice(outputs=fed, executed=set().union(*(reach[o] for o in fed)), from_loaded=True)
        if samplers and outputs:
            graph.warnings.append("no sampler is connected to an output node; judging from all samplers")
        candidates = set(sampler_ids)
    choice = Choice()
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
