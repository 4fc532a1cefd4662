"""The UI workflow format: the editor's graph turned into the API graph ComfyUI would queue.

A UI workflow holds `nodes` (with widget values by position) and `links`. `graph_from_workflow`
converts it the way ComfyUI's frontend builds the API graph: muted nodes dropped, bypassed
nodes passing their matching input through, reroutes, Get/Set nodes and primitives folded in.
Widget names come from `nodes.WIDGETS` (`constants.UTILITY_WIDGETS` for utility nodes), or for
unknown sampler nodes from the position of the sampler/scheduler pair; a "Seed Everywhere"
broadcast fills the unlinked seed inputs. `comfy_version` reads the version recent frontends
record on core nodes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from tracker.metadata.comfyui.constants import UTILITY_WIDGETS
from tracker.metadata.comfyui.graph import MAX_NODES, MAX_VALUE_HOPS, Graph, Node, Ref, integer, is_scalar, number
from tracker.metadata.comfyui.groupnodes import is_control_value, widget_places
from tracker.metadata.comfyui.nodes import SAMPLER_NAMES, SCHEDULER_NAMES, SEED_INPUTS
from tracker.metadata.comfyui.subgraphs import expand_workflow
from tracker.metadata.comfyui.widgets import WIDGETS

MUTED, BYPASSED = 2, 4


@dataclass
class _Literal:
    """A PrimitiveNode's value standing in for a link."""

    value: Any


@dataclass
class _UiNode:
    id: str
    type: str
    mode: int
    inputs: list[dict[str, Any]]
    output_types: list[str]
    widgets: Any


def _widget_inputs(node: _UiNode) -> tuple[dict[str, Any], list[Any]]:
    """Named widget values of a UI node (by table, by heuristics), or the raw list when unknown."""
    values = node.widgets
    if isinstance(values, dict):
        return {str(k): v for k, v in values.items() if is_scalar(v)}, []
    if not isinstance(values, list):
        return {}, []
    if node.type == "Power Lora Loader (rgthree)":
        loras = [v for v in values if isinstance(v, dict) and "lora" in v]
        return {f"lora_{i}": entry for i, entry in enumerate(loras, 1)}, []
    if node.type == "PrimitiveNode":
        return ({"value": values[0]} if values else {}), []
    names = WIDGETS.get(node.type) or UTILITY_WIDGETS.get(node.type)
    if names is None:
        guessed = _guess_sampler_widgets(node.type, values)
        return (guessed, []) if guessed else ({}, list(values))
    return {name: values[places[0]] for name, places in widget_places(names, values).items()}, []


def _guess_sampler_widgets(node_type: str, values: list[Any]) -> dict[str, Any]:
    """Sampler settings of an unknown *Sampler*/*Detailer* node, found by the sampler/scheduler pair."""
    if not re.search(r"sampler|detailer", node_type, re.IGNORECASE):
        return {}
    for i in range(2, len(values) - 1):
        if values[i] in SAMPLER_NAMES and values[i + 1] in SCHEDULER_NAMES:
            out: dict[str, Any] = {
                "sampler_name": values[i],
                "scheduler": values[i + 1],
                "cfg": values[i - 1],
                "steps": values[i - 2],
            }
            if i + 2 < len(values) and number(values[i + 2]) is not None and 0 <= values[i + 2] <= 1:
                out["denoise"] = values[i + 2]
            before = [v for v in values[: i - 2] if not is_control_value(v)]
            if before and integer(before[-1]) is not None:
                out["seed"] = before[-1]
            return out
    return {}


def _ui_links(raw: Any) -> dict[int, tuple[str, int, str]]:
    """link id -> (origin node id, origin slot, type) from list or dict link records."""
    out: dict[int, tuple[str, int, str]] = {}
    if not isinstance(raw, list):
        return out
    for item in raw[: MAX_NODES * 8]:
        if isinstance(item, list) and len(item) >= 5:
            link_id, origin, slot = item[0], item[1], item[2]
            kind = item[5] if len(item) > 5 else ""
        elif isinstance(item, dict):
            link_id, origin, slot, kind = (
                item.get("id"),
                item.get("origin_id"),
                item.get("origin_slot"),
                item.get("type", ""),
            )
        else:
            continue
        if integer(link_id) is not None and isinstance(origin, str | int) and integer(slot) is not None:
            out[int(link_id)] = (str(origin), int(slot), str(kind))
    return out


def _ui_nodes(raw: Any, warnings: list[str]) -> dict[str, _UiNode]:
    nodes: dict[str, _UiNode] = {}
    if not isinstance(raw, list):
        return nodes
    for item in raw:
        if len(nodes) >= MAX_NODES:
            warnings.append(f"workflow has more than {MAX_NODES} nodes; the rest were ignored")
            break
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("type"), str)
            or not isinstance(item.get("id"), str | int)
        ):
            continue
        raw_inputs, raw_outputs = item.get("inputs"), item.get("outputs")
        inputs = [i for i in raw_inputs if isinstance(i, dict)] if isinstance(raw_inputs, list) else []
        outputs: list[Any] = raw_outputs if isinstance(raw_outputs, list) else []
        types = [str(o.get("type", "")) if isinstance(o, dict) else "" for o in outputs]
        mode = integer(item.get("mode")) or 0
        nodes[str(item["id"])] = _UiNode(str(item["id"]), item["type"], mode, inputs, types, item.get("widgets_values"))
    return nodes


def graph_from_workflow(data: dict[str, Any]) -> Graph:
    """The API graph ComfyUI's frontend would queue for this UI workflow (best effort).

    Muted nodes (mode 2) are dropped; a link from a bypassed node (mode 4) is re-pointed at the
    bypassed node's input of the same type; Reroute/Get/Set nodes are folded away; a link from a
    PrimitiveNode becomes its literal value. A linked input overrides the widget of that name.
    Subgraphs and group nodes are expanded into their inner nodes first (`subgraphs`); what Use
    Everywhere's broadcasters feed is linked (`_broadcast`).
    """
    flat, warnings = expand_workflow(data)
    ui = _ui_nodes(flat.get("nodes"), warnings)
    links = _ui_links(flat.get("links"))
    _broadcast(ui, links, warnings)
    setters = {
        str(n.widgets[0]): n for n in ui.values() if n.type == "SetNode" and isinstance(n.widgets, list) and n.widgets
    }

    def origin(link_id: Any) -> Ref | _Literal | None:
        """Follow a link to its real origin; a literal for primitives; None when cut."""
        seen: set[int] = set()
        current = integer(link_id)
        while current is not None and current not in seen and len(seen) < MAX_VALUE_HOPS:
            seen.add(current)
            if current not in links:
                return None
            node_id, slot, kind = links[current]
            src = ui.get(node_id)
            if src is None or src.mode == MUTED:
                return None
            if src.type == "PrimitiveNode":
                values = src.widgets if isinstance(src.widgets, list) else []
                return _Literal(values[0] if values else None)
            if src.type in ("Reroute", "Reroute (rgthree)"):
                current = next((integer(i.get("link")) for i in src.inputs if i.get("link") is not None), None)
                continue
            if src.type == "GetNode":
                name = src.widgets[0] if isinstance(src.widgets, list) and src.widgets else None
                setter = setters.get(str(name))
                current = (
                    next((integer(i.get("link")) for i in setter.inputs if i.get("link") is not None), None)
                    if setter
                    else None
                )
                continue
            if src.mode == BYPASSED:
                if kind in ("", "*") and slot < len(src.output_types):
                    kind = src.output_types[slot]
                current = _bypass_input(src, slot, kind)
                continue
            return (node_id, slot)
        return None

    nodes: dict[str, Node] = {}
    skipped = {"Note", "MarkdownNote", "Reroute", "Reroute (rgthree)", "PrimitiveNode", "SetNode", "GetNode"}
    for node in ui.values():
        if node.mode in (MUTED, BYPASSED) or node.type in skipped:
            continue
        inputs, unnamed = _widget_inputs(node)
        for slot_input in node.inputs:
            name = slot_input.get("name")
            if not isinstance(name, str) or slot_input.get("link") is None:
                continue
            found = origin(slot_input.get("link"))
            if isinstance(found, _Literal):
                inputs[name] = found.value
            elif isinstance(found, tuple):
                inputs[name] = (found[0], found[1])
            elif name in inputs and isinstance(slot_input.get("widget"), dict):
                del inputs[name]  # converted widget fed by a cut link: value unknown
        nodes[node.id] = Node(node.id, node.type, inputs, unnamed)
    _seed_everywhere(nodes, ui)
    graph = Graph(nodes, warnings, api_links=False)
    graph.type_names = subgraph_names(data)
    return graph


def subgraph_names(workflow: dict[str, Any]) -> dict[str, str]:
    """id -> name of the subgraphs a workflow defines (`definitions.subgraphs`): a node of such a type
    is an instance of the subgraph, and the editor shows it by its name, never by its id."""
    definitions = workflow.get("definitions")
    subgraphs = definitions.get("subgraphs") if isinstance(definitions, dict) else None
    if not isinstance(subgraphs, list):
        return {}
    return {
        str(item["id"]): item["name"][:80]
        for item in subgraphs[:MAX_NODES]
        if isinstance(item, dict) and isinstance(item.get("id"), str) and isinstance(item.get("name"), str)
    }


BROADCASTERS = frozenset({"Anything Everywhere", "Anything Everywhere3", "Anything Everywhere?"})
"""Use Everywhere's nodes feeding what they take to every unlinked input of its type when the prompt is queued."""


def _broadcast(ui: dict[str, _UiNode], links: dict[int, tuple[str, int, str]], warnings: list[str]) -> None:
    """Link the unlinked inputs an active Anything Everywhere node feeds, as the queued prompt links them.

    An input of a type one broadcaster sends is linked to what it sends. Which of several sent values of one
    type an input takes depends on the broadcasters' settings (title, group and colour rules), so it is linked
    to a stand-in node taking all of them, which no rule reads as one value (every picture it takes is listed
    as an input), and a warning says to check by hand.
    """
    sent: dict[str, list[int]] = {}
    for node in ui.values():
        if node.type not in BROADCASTERS or node.mode != 0:
            continue
        for socket in node.inputs:
            link = integer(socket.get("link"))
            kind = links[link][2] if link in links else ""
            if link is not None and kind not in ("", "*"):
                sent.setdefault(kind, []).append(link)
    fed: dict[str, int] = {}
    for kind, sources in list(sent.items())[:64]:
        fed[kind] = sources[0]
        if len(sources) > 1:
            stand_in = f"everywhere:{kind}"
            inputs = [{"name": f"anything_{i}", "link": source} for i, source in enumerate(sources)]
            ui[stand_in] = _UiNode(stand_in, "Anything Everywhere", 0, inputs, [kind], [])
            fed[kind] = max(links) + 1
            links[fed[kind]] = (stand_in, 0, kind)
            warnings.append(
                f"unlinked {kind[:40]} inputs take one of the {len(sources)} values Anything Everywhere nodes send "
                "(which one depends on their settings): check by hand"
            )
    for node in ui.values():
        if fed and node.type not in BROADCASTERS and node.mode != MUTED:
            node.inputs = [
                {**i, "link": fed[str(i.get("type"))]}
                if i.get("link") is None and str(i.get("type")) in fed and not isinstance(i.get("widget"), dict)
                else i
                for i in node.inputs
            ]


def _seed_everywhere(nodes: dict[str, Node], ui: dict[str, _UiNode]) -> None:
    """Use Everywhere's "Seed Everywhere" feeds every unlinked seed input when the prompt is queued.

    The UI workflow keeps the stale widget value of those inputs; the broadcast seed is the one
    that ran. Only applied when exactly one active broadcaster holds a literal seed.
    """
    seeds = [
        n.widgets[0]
        for n in ui.values()
        if n.type == "Seed Everywhere" and n.mode == 0 and isinstance(n.widgets, list) and n.widgets
    ]
    if len(seeds) != 1 or integer(seeds[0]) is None:
        return
    for node in nodes.values():
        sockets = {i.get("name") for i in ui[node.id].inputs if i.get("link") is None} if node.id in ui else set()
        for name in SEED_INPUTS:
            if name in sockets and name in node.inputs and not isinstance(node.inputs[name], tuple):
                node.inputs[name] = seeds[0]  # an unlinked seed socket: what the broadcast feeds


def _bypass_input(node: _UiNode, slot: int, kind: str) -> int | None:
    """The link a bypassed node passes on for its output `slot` (the frontend's matching rule)."""
    typed = [i for i in node.inputs if i.get("link") is not None]
    if slot < len(node.inputs):
        same_slot = node.inputs[slot]
        if same_slot.get("link") is not None and str(same_slot.get("type", "")) in (kind, "*"):
            return integer(same_slot.get("link"))
    for candidate in typed:
        if str(candidate.get("type", "")) == kind:
            return integer(candidate.get("link"))
    return None


def comfy_version(workflow: dict[str, Any]) -> str | None:
    """ComfyUI's version as recorded on core nodes by recent frontends (`properties.ver`)."""
    for node in workflow.get("nodes") or []:
        props = node.get("properties") if isinstance(node, dict) else None
        if isinstance(props, dict) and props.get("cnr_id") == "comfy-core" and isinstance(props.get("ver"), str):
            return props["ver"][:40]
    return None
