"""Legacy group nodes (`extra.groupNodes`): a definition read the way ComfyUI's frontend builds the node.

A group node's inputs and widgets are named by the frontend (`GroupNodeConfig.getInputConfig`), and an
instance's sockets and converted widgets are matched to them by those names, so they must be named the same
way here: the first inner node to use a name keeps it, a later one with the same name gets its title (or, with
none, its type) in front ("KSampler seed"), and a third the count of those before it ("KSampler 2 seed").
Names are claimed node by node, each node's widgets before its open inputs; widgets converted to inputs
inside the group are named after every node, as the frontend appends them last.

An instance keeps the values of its inner nodes' widgets in its own `widgets_values`, laid out as the
frontend builds the group's widgets (`group_widgets`): each inner node's widgets in node order, leaving out
those converted to input sockets, then the converted ones no inner link feeds (a seed with its control value);
one fed from inside (by a primitive) has no value there. A widget the group's config hides keeps its place; an
input it hides (`visible: false`) is no input of the group. Any widget can also be converted to an input on the
instance and linked from outside, so each widget the node tables name is an input of the group here too, fed
only when the instance links it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tracker.metadata.comfyui.constants import UTILITY_WIDGETS
from tracker.metadata.comfyui.graph import MAX_NODES, integer
from tracker.metadata.comfyui.nodes import CONTROL_VALUES, SEED_INPUTS
from tracker.metadata.comfyui.widgets import WIDGETS

INPUT_NODE = "-10"
"""The origin standing for a definition's input slot in its links (a subgraph's input node)."""
NOT_INPUTS = frozenset({"upload"})
"""Widgets the node tables list that are no input of the node's definition (LoadImage's upload button)."""

Link = tuple[str, int, str]
"""origin node id (INPUT_NODE for the definition's input slot), origin slot, type."""


@dataclass
class Port:
    name: str
    widget: bool


@dataclass
class Definition:
    """One subgraph or group node, normalised: inner nodes keep their ids, inputs' `link` fields
    name entries of `links`, and `outputs[k]` is the link feeding output k."""

    key: str
    name: str
    group: bool
    nodes: list[dict[str, Any]]
    links: dict[int, Link]
    inputs: list[Port]
    outputs: list[int | None]
    cost: int = 0
    converted: dict[str, list[tuple[str, bool]]] = field(default_factory=dict)
    """Group nodes: inner node id -> its widgets converted to input sockets, in socket order, and whether an
    inner link feeds each."""
    spare: int = 0
    """Group nodes: the inputs (the last ones, one link each) that only a widget converted on an instance feeds;
    an instance that does not link them expands without them, so they count toward no limit."""


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def cost(definition: Definition) -> int:
    inputs = sum(len(as_list(n.get("inputs"))) for n in definition.nodes)
    return len(definition.nodes) + inputs + len(definition.links) + len(definition.inputs) + len(definition.outputs)


class _Names:
    """The frontend's names for a group's inputs and widgets, claimed in the order it builds them."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        self.seen: dict[str, int] = {}

    def custom(self, node: dict[str, Any], input_name: str) -> dict[str, Any]:
        return as_dict(as_dict(as_dict(self.config.get(node["id"])).get("input")).get(input_name))

    def claim(self, node: dict[str, Any], input_name: str) -> str:
        renamed = self.custom(node, input_name).get("name")
        label = next((s.get("label") for s in node["inputs"] if s.get("name") == input_name), None)
        name = renamed if isinstance(renamed, str) else label if isinstance(label, str) else input_name
        key = name
        title = node.get("title")
        if (node["type"] == "PrimitiveNode" and title) or name in self.seen:
            prefix = f"{title if isinstance(title, str) else node['type']} "
            key = name = f"{prefix}{input_name}"
            if name in self.seen:
                name = f"{prefix}{self.seen[name]} {input_name}"
        self.seen[key] = self.seen.get(key, 1) + 1
        return name


def group_definition(name: str, raw: dict[str, Any]) -> Definition:
    """A legacy group node: inner nodes numbered by position, its open inputs and outputs in node order.

    As ComfyUI's frontend builds it: every inner input not fed from inside (and not a widget) is
    an input of the group, then every widget converted to an input that nothing inside feeds; every
    inner output not used inside, or used outside (`external`), is an output of the group. The inner
    widgets the node tables name follow, each an input the instance may link.
    """
    items = as_list(raw.get("nodes"))
    nodes: list[dict[str, Any]] = []
    for position, item in enumerate(items[:MAX_NODES]):
        if isinstance(item, dict) and isinstance(item.get("type"), str):
            inputs = [dict(i, link=None) for i in as_list(item.get("inputs")) if isinstance(i, dict)]
            index = integer(item.get("index"))
            nodes.append({**item, "id": str(index if index is not None else position), "inputs": inputs})
    by_id = {n["id"]: n for n in nodes}
    links: dict[int, Link] = {}
    inside: set[tuple[str, int]] = set()
    fed: set[tuple[str, int]] = set()
    for record in as_list(raw.get("links"))[: MAX_NODES * 8]:
        if not isinstance(record, list) or len(record) < 4 or record[0] is None:
            continue
        origin, slot, target, target_slot = (integer(v) for v in record[:4])
        if origin is None or slot is None or target is None or target_slot is None:
            continue
        link_id = len(links) + 1
        links[link_id] = (str(origin), slot, str(record[5]) if len(record) > 5 else "")
        inside.add((str(origin), slot))
        target_node = by_id.get(str(target))
        if target_node is not None and 0 <= target_slot < len(target_node["inputs"]):
            target_node["inputs"][target_slot]["link"] = link_id
            fed.add((str(target), target_slot))
    external = _externals(raw.get("external"))
    names = _Names(as_dict(raw.get("config")))
    ports: list[Port] = []
    outputs: list[int | None] = []
    converted: dict[str, list[tuple[str, bool]]] = {}
    later: list[tuple[dict[str, Any], dict[str, Any]]] = []
    widgets: list[tuple[dict[str, Any], str, str]] = []

    def add_port(socket: dict[str, Any], shown: str, widget: bool) -> None:
        link_id = len(links) + 1
        links[link_id] = (INPUT_NODE, len(ports), str(socket.get("type", "")))
        socket["link"] = link_id
        ports.append(Port(shown, widget))

    for node in nodes:
        sockets = node["inputs"]
        turned = {str(s["widget"].get("name", "")) for s in sockets if isinstance(s.get("widget"), dict)}
        for widget in WIDGETS.get(node["type"]) or UTILITY_WIDGETS.get(node["type"]) or []:
            if widget not in turned and widget not in NOT_INPUTS:
                widgets.append((node, widget, names.claim(node, widget)))
        for slot, socket in enumerate(sockets):
            if isinstance(socket.get("widget"), dict):
                own = str(socket["widget"].get("name", ""))
                converted.setdefault(node["id"], []).append((own, (node["id"], slot) in fed))
                if (node["id"], slot) not in fed:
                    later.append((node, socket))
                continue
            if (node["id"], slot) in fed:
                continue  # fed inside: no input of the group
            own = str(socket.get("name", ""))
            shown = names.claim(node, own)
            if names.custom(node, own).get("visible") is not False:  # an input the group hides is none of its
                add_port(socket, shown, False)
        for slot, out in enumerate(as_list(node.get("outputs"))):
            if (node["id"], slot) in inside and (node["id"], slot) not in external:
                continue
            link_id = len(links) + 1
            links[link_id] = (node["id"], slot, str(out.get("type", "")) if isinstance(out, dict) else "")
            outputs.append(link_id)
    for node, socket in later:
        add_port(socket, names.claim(node, str(socket["widget"].get("name", ""))), True)
    for node, widget, shown in widgets:
        socket = {"name": widget, "type": "", "widget": {"name": widget}, "link": None}
        node["inputs"].append(socket)
        add_port(socket, shown, True)
    found = Definition(f"workflow>{name}", name[:80], True, nodes, links, ports, outputs, converted=converted)
    found.spare = len(widgets)
    found.cost = cost(found) - 2 * found.spare
    return found


def _externals(raw: Any) -> set[tuple[str, int]]:
    """(inner node, output slot) pairs a group node's `external` list says are used outside it."""
    out: set[tuple[str, int]] = set()
    for item in as_list(raw)[:MAX_NODES]:
        if isinstance(item, list) and len(item) >= 2:
            index = integer(item[0].get("index")) if isinstance(item[0], dict) else integer(item[0])
            slot = integer(item[1])
            if index is not None and slot is not None:
                out.add((str(index), slot))
    return out


def group_widgets(found: Definition, values: list[Any]) -> dict[str, list[Any]]:
    """inner node id -> its widget values taken from a group node instance's `widgets_values`.

    Laid out as the frontend builds the group's widgets: each inner node's widgets one after another in
    inner-node order, but for those converted to input sockets, which follow all of them (node by node, a
    seed with its control value) unless an inner link feeds them, when they have no value on the instance
    at all. Where a converted widget sits in a node's own values is known from the node tables; a node of
    another type with a converted widget keeps its own stored values, the others' places still counted."""
    out: dict[str, list[Any]] = {}
    cursor = 0
    tail: list[tuple[str, list[int]]] = []
    for node in found.nodes:
        own = node.get("widgets_values")
        if not isinstance(own, list) or not own:
            continue
        node_id = node["id"]
        sockets = found.converted.get(node_id, [])
        names = WIDGETS.get(node["type"]) or UTILITY_WIDGETS.get(node["type"]) or []
        places = widget_places(names, own) if sockets else {}
        if any(name not in places for name, _ in sockets):  # a converted widget the tables do not place
            cursor += len(own) - sum(1 + (name in SEED_INPUTS) for name, _ in sockets)
            tail += [(node_id, [-1] * (1 + (name in SEED_INPUTS))) for name, inside in sockets if not inside]
            continue
        taken = {at for name, _ in sockets for at in places[name]}
        shown = [at for at in range(len(own)) if at not in taken]
        if cursor + len(shown) <= len(values):
            merged = list(own)
            for at, value in zip(shown, values[cursor : cursor + len(shown)], strict=True):
                merged[at] = value
            out[node_id] = merged
        cursor += len(shown)
        tail += [(node_id, places[name]) for name, inside in sockets if not inside]
    for node_id, positions in tail:
        for at in positions:
            if at >= 0 and cursor < len(values) and node_id in out:
                out[node_id][at] = values[cursor]
            cursor += 1
    return out


def widget_places(names: list[str], values: list[Any]) -> dict[str, list[int]]:
    """widget name -> its places in a UI node's `widgets_values`, for a node whose widgets are `names` (from
    `widgets.WIDGETS`): one each, and a seed's control value stored right after it as its second."""
    out: dict[str, list[int]] = {}
    at = 0
    for name in names:
        if at >= len(values):
            break
        out[name] = [at]
        at += 1
        if name in SEED_INPUTS and at < len(values) and is_control_value(values[at]):
            out[name].append(at)
            at += 1
    return out


def is_control_value(value: Any) -> bool:
    """The widget a seed's value is followed by in `widgets_values`, not a setting of its own.

    Recent frontends store `control_after_generate` as text ("fixed", "randomize", ...); ComfyUI
    (early 2023) stored a "randomize" toggle, true or false (a JSON boolean, never a seed of 0 or
    1); a missing widget is null. Skipping it keeps steps, cfg, sampler and scheduler in their places.
    """
    return value is None or isinstance(value, bool) or (isinstance(value, str) and value in CONTROL_VALUES)
