"""Subgraphs and group nodes of a UI workflow, expanded into the one flat workflow ComfyUI queues.

The editor can fold nodes into a reusable node: a **subgraph** (recent frontends: a node whose
`type` is the id of an entry of `definitions.subgraphs`, holding `nodes` and `links` of its own,
with links from the input node -10 and to the output node -20 standing for its `inputs` and
`outputs`) or a legacy **group node** (`extra.groupNodes[NAME]`, used by nodes of type
`workflow>NAME` or `workflow/NAME`; inner nodes by position, `links` as `[from, slot, to, slot,
...]` with a null origin for a link from outside). The API graph ComfyUI queues holds their inner
nodes, with ids `INSTANCE:INNER` (nested: `30:12:3`); without a `prompt` chunk the workflow reader
must do the same, or a sampler, loader or LoRA inside one is never seen.

A group node instance keeps the values of its inner nodes' widgets in its own `widgets_values`, laid out
as the frontend builds the group's widgets: each inner node's widgets in node order, leaving out those
converted to input sockets, then the converted ones no inner link feeds (a seed with its control value);
one fed from inside (by a primitive) has no value there. A widget the group's config hides keeps its place;
an input it hides (`visible: false`) is no input of the group.

`expand_workflow` returns a workflow whose nodes are all plain: each instance is replaced by its
inner nodes (ids prefixed like ComfyUI's), each of its inputs by a `Reroute` carrying the outer
link (or a `PrimitiveNode` carrying the instance's widget value) and each output by a `Reroute`
from the inner node feeding it, so `workflow.graph_from_workflow` folds them away as it folds the
editor's own reroutes and primitives. The workflow is untrusted: nesting depth and the size of
the expansion are bounded, a subgraph holding itself is not expanded, and an instance whose
definition is missing stays one node of unknown type; each of these is said in a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from tracker.metadata.comfyui.constants import UTILITY_WIDGETS
from tracker.metadata.comfyui.graph import MAX_NODES, integer
from tracker.metadata.comfyui.nodes import CONTROL_VALUES, SEED_INPUTS, WIDGETS

MAX_DEPTH = 8
"""Subgraphs nested deeper than this are left folded (the editor's own examples nest two or three)."""
MAX_CELLS = MAX_NODES * 20
"""Nodes, input sockets and links copied by all expansions together (a few hundred subgraph uses)."""
MUTED, BYPASSED = 2, 4
INPUT_NODE, OUTPUT_NODE = "-10", "-20"

_SUBGRAPH_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)
_GROUP_TYPE = re.compile(r"^workflow[>/](.+)$", re.DOTALL)

Link = tuple[str, int, str]
"""origin node id (INPUT_NODE for the definition's input slot), origin slot, type."""


@dataclass
class _Port:
    name: str
    widget: bool


@dataclass
class _Definition:
    """One subgraph or group node, normalised: inner nodes keep their ids, inputs' `link` fields
    name entries of `links`, and `outputs[k]` is the link feeding output k."""

    key: str
    name: str
    group: bool
    nodes: list[dict[str, Any]]
    links: dict[int, Link]
    inputs: list[_Port]
    outputs: list[int | None]
    cost: int = 0
    converted: dict[str, list[tuple[str, bool]]] = field(default_factory=dict)
    """Group nodes: inner node id -> its widgets converted to input sockets, in socket order, and whether an
    inner link feeds each."""


@dataclass
class _Scope:
    prefix: str
    nodes: list[dict[str, Any]]
    links: dict[int, Link]
    depth: int
    chain: tuple[str, ...]
    fed: set[int] | None = None
    widgets: dict[str, list[Any]] = field(default_factory=dict)


def expand_workflow(data: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The workflow with every subgraph and group node replaced by its inner nodes, and warnings
    for what was left folded. A workflow using neither is returned as it is."""
    definitions = _Definitions(data)
    raw_nodes = data.get("nodes")
    top = [n for n in _list(raw_nodes) if _is_node(n)]
    if not any(definitions.used_by(n) for n in top):
        return data, []
    links = _links(data.get("links"))
    flat = _Flattener(definitions, len(top), len(links))
    flat.run(_Scope("", top, links, 0, ()))
    return {**data, "nodes": flat.nodes, "links": flat.links}, flat.warnings


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _is_node(item: Any) -> bool:
    return isinstance(item, dict) and isinstance(item.get("type"), str) and isinstance(item.get("id"), str | int)


def _links(raw: Any) -> dict[int, Link]:
    """link id -> (origin, slot, type) from a workflow's or subgraph's list or dict link records."""
    out: dict[int, Link] = {}
    for record in _list(raw)[: MAX_NODES * 8]:
        parsed = _link_record(record)
        if parsed is not None:
            out[parsed[0]] = (parsed[1], parsed[2], parsed[5])
    return out


def _link_record(item: Any) -> tuple[int, str, int, str, int, str] | None:
    """(id, origin, origin slot, target, target slot, type) of one link record, or None."""
    if isinstance(item, list) and len(item) >= 5:
        fields = item[:6] + [""] * (6 - min(len(item), 6))
    elif isinstance(item, dict):
        fields = [item.get(k) for k in ("id", "origin_id", "origin_slot", "target_id", "target_slot", "type")]
    else:
        return None
    link_id, origin, slot, target, target_slot = (
        integer(fields[0]),
        fields[1],
        integer(fields[2]),
        fields[3],
        integer(fields[4]),
    )
    if link_id is None or slot is None or not isinstance(origin, str | int):
        return None
    target_id = str(target) if isinstance(target, str | int) else ""
    return link_id, str(origin), slot, target_id, target_slot if target_slot is not None else -1, str(fields[5] or "")


class _Definitions:
    """The workflow's subgraphs and group nodes, normalised on first use."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.subgraphs: dict[str, dict[str, Any]] = {}
        nested: list[Any] = []
        for item in _list(_dict(data.get("definitions")).get("subgraphs"))[:MAX_NODES]:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                self.subgraphs.setdefault(item["id"], item)
                nested += _list(_dict(item.get("definitions")).get("subgraphs"))
        for item in nested[:MAX_NODES]:  # those a subgraph defines itself (one level: ComfyUI keeps them at the root)
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                self.subgraphs.setdefault(item["id"], item)
        extra = data.get("extra")
        groups = extra.get("groupNodes") if isinstance(extra, dict) else None
        self.groups: dict[str, Any] = dict(list(groups.items())[:MAX_NODES]) if isinstance(groups, dict) else {}
        self._cache: dict[str, _Definition | None] = {}

    def used_by(self, node: dict[str, Any]) -> bool:
        """Whether the node is an instance of a subgraph or group node (defined or not)."""
        kind = node["type"]
        return kind in self.subgraphs or bool(_SUBGRAPH_ID.match(kind) or _GROUP_TYPE.match(kind))

    def lookup(self, kind: str) -> _Definition | None:
        if kind not in self._cache:
            group = _GROUP_TYPE.match(kind)
            if kind in self.subgraphs:
                self._cache[kind] = _subgraph(kind, self.subgraphs[kind])
            elif group and isinstance(self.groups.get(group.group(1)), dict):
                self._cache[kind] = _group(group.group(1), self.groups[group.group(1)])
            else:
                self._cache[kind] = None
        return self._cache[kind]


def _cost(definition: _Definition) -> int:
    inputs = sum(len(_list(n.get("inputs"))) for n in definition.nodes)
    return len(definition.nodes) + inputs + len(definition.links) + len(definition.inputs) + len(definition.outputs)


def _subgraph(key: str, raw: dict[str, Any]) -> _Definition:
    """A subgraph definition: its links from node -10 stand for its inputs, those to -20 for its outputs."""
    nodes = [n for n in _list(raw.get("nodes"))[:MAX_NODES] if _is_node(n)]
    links: dict[int, Link] = {}
    feeding: dict[int, int] = {}
    for record in _list(raw.get("links"))[: MAX_NODES * 8]:
        parsed = _link_record(record)
        if parsed is None:
            continue
        link_id, origin, slot, target, target_slot, kind = parsed
        links[link_id] = (origin, slot, kind)
        if target == OUTPUT_NODE and target_slot >= 0:
            feeding.setdefault(target_slot, link_id)
    ports = _list(raw.get("inputs"))
    inputs = [_Port(str(p.get("name", "")) if isinstance(p, dict) else "", False) for p in ports[:MAX_NODES]]
    count = len(_list(raw.get("outputs"))[:MAX_NODES])
    outputs = [feeding.get(k) for k in range(max(count, max(feeding, default=-1) + 1))]
    name = raw.get("name")
    found = _Definition(key, name[:80] if isinstance(name, str) else key, False, nodes, links, inputs, outputs)
    found.cost = _cost(found)
    return found


def _group(name: str, raw: dict[str, Any]) -> _Definition:
    """A legacy group node: inner nodes numbered by position, its open inputs and outputs in node order.

    As ComfyUI's frontend builds it: every inner input not fed from inside (and not a widget) is
    an input of the group, every inner output not used inside, or used outside (`external`), is
    an output of the group; a widget socket is an input named after its widget.
    """
    items = _list(raw.get("nodes"))
    nodes: list[dict[str, Any]] = []
    for position, item in enumerate(items[:MAX_NODES]):
        if isinstance(item, dict) and isinstance(item.get("type"), str):
            inputs = [dict(i, link=None) for i in _list(item.get("inputs")) if isinstance(i, dict)]
            index = integer(item.get("index"))
            nodes.append({**item, "id": str(index if index is not None else position), "inputs": inputs})
    by_id = {n["id"]: n for n in nodes}
    links: dict[int, Link] = {}
    inside: set[tuple[str, int]] = set()
    fed: set[tuple[str, int]] = set()
    for record in _list(raw.get("links"))[: MAX_NODES * 8]:
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
    config = _dict(raw.get("config"))
    ports: list[_Port] = []
    outputs: list[int | None] = []
    converted: dict[str, list[tuple[str, bool]]] = {}
    for node in nodes:
        renamed = _dict(_dict(config.get(node["id"])).get("input"))
        for slot, socket in enumerate(node["inputs"]):
            widget = isinstance(socket.get("widget"), dict)
            own = str(socket["widget"].get("name", "")) if widget else str(socket.get("name", ""))
            if widget:
                converted.setdefault(node["id"], []).append((own, (node["id"], slot) in fed))
            new = renamed.get(own)
            if (node["id"], slot) in fed or (not widget and isinstance(new, dict) and new.get("visible") is False):
                continue  # fed inside, or an input the group hides: no input of the group
            shown = str(new["name"]) if isinstance(new, dict) and isinstance(new.get("name"), str) else own
            link_id = len(links) + 1
            links[link_id] = (INPUT_NODE, len(ports), str(socket.get("type", "")))
            socket["link"] = link_id
            ports.append(_Port(shown, widget))
        for slot, out in enumerate(_list(node.get("outputs"))):
            if (node["id"], slot) in inside and (node["id"], slot) not in external:
                continue
            link_id = len(links) + 1
            links[link_id] = (node["id"], slot, str(out.get("type", "")) if isinstance(out, dict) else "")
            outputs.append(link_id)
    found = _Definition(f"workflow>{name}", name[:80], True, nodes, links, ports, outputs, converted=converted)
    found.cost = _cost(found)
    return found


def _externals(raw: Any) -> set[tuple[str, int]]:
    """(inner node, output slot) pairs a group node's `external` list says are used outside it."""
    out: set[tuple[str, int]] = set()
    for item in _list(raw)[:MAX_NODES]:
        if isinstance(item, list) and len(item) >= 2:
            index = integer(item[0].get("index")) if isinstance(item[0], dict) else integer(item[0])
            slot = integer(item[1])
            if index is not None and slot is not None:
                out.add((str(index), slot))
    return out


class _Flattener:
    """Copies scopes into one flat node and link list, expanding instances as it meets them."""

    def __init__(self, definitions: _Definitions, top_nodes: int, top_links: int) -> None:
        self.definitions = definitions
        self.nodes: list[dict[str, Any]] = []
        self.links: list[list[Any]] = []
        self.warnings: list[str] = []
        self._ids: dict[tuple[str, int], int] = {}
        self._planned = top_nodes
        self._cells = 0
        self._linked = top_links

    def run(self, top: _Scope) -> None:
        pending = [top]
        while pending:
            pending.extend(self._copy(pending.pop()))

    def _warn(self, text: str) -> None:
        if text not in self.warnings and len(self.warnings) < 20:
            self.warnings.append(text)

    def _link_id(self, prefix: str, local: int) -> int:
        """The flat workflow's id for a link of a scope (scopes number their links independently)."""
        return self._ids.setdefault((prefix, local), len(self._ids) + 1)

    def _expandable(self, node: dict[str, Any], scope: _Scope) -> _Definition | None:
        """The definition to expand this node into, or None (with a warning when it should have been)."""
        kind, shown = node["type"], f"{scope.prefix}{node['id']}"
        if not self.definitions.used_by(node):
            return None
        found = self.definitions.lookup(kind)
        if found is None:
            what = "group node" if _GROUP_TYPE.match(kind) else "subgraph"
            self._warn(
                f"node {shown} is a {what} ({kind[:80]!r}) the workflow does not define: what it holds was not read"
            )
            return None
        if integer(node.get("mode")) in (MUTED, BYPASSED) or not found.nodes:
            return None
        if found.key in scope.chain:
            what = "group node" if found.group else "subgraph"
            self._warn(f"{what} {found.name!r} contains itself (node {shown}): it was not expanded")
            return None
        if scope.depth >= MAX_DEPTH:
            self._warn(f"subgraphs nested more than {MAX_DEPTH} deep (node {shown}): the innermost were not expanded")
            return None
        size = len(found.nodes) + len(found.inputs) + len(found.outputs)
        too_many_links = self._linked + len(found.links) > MAX_NODES * 8  # what the workflow reader reads
        if self._planned + size > MAX_NODES or self._cells + found.cost > MAX_CELLS or too_many_links:
            self._warn(
                f"subgraphs expand to over {MAX_NODES} nodes: {found.name!r} (node {shown}) and others were left folded"
            )
            return None
        self._planned += size
        self._cells += found.cost
        self._linked += len(found.links)
        return found

    def _copy(self, scope: _Scope) -> list[_Scope]:
        """Copy one scope's plain nodes and links; return the scopes of the instances it holds."""
        expanded = {str(n["id"]): d for n in scope.nodes if (d := self._expandable(n, scope)) is not None}
        dropped: set[int] = set()
        for local, (origin, slot, kind) in scope.links.items():
            if origin == INPUT_NODE:
                if scope.fed is None or slot not in scope.fed:
                    dropped.add(local)  # an input of the instance nothing feeds: inner widgets keep their values
                    continue
                source, source_slot = f"{scope.prefix}in{slot}", 0
            elif origin in expanded:
                source, source_slot = f"{scope.prefix}{origin}:out{slot}", 0
            else:
                source, source_slot = f"{scope.prefix}{origin}", slot
            self.links.append([self._link_id(scope.prefix, local), source, source_slot, "", 0, kind])
        inner: list[_Scope] = []
        for node in scope.nodes:
            node_id = str(node["id"])
            if node_id in expanded:
                inner.append(self._instance(node, expanded[node_id], scope, dropped))
                continue
            sockets = _list(node.get("inputs"))
            copied = {**node, "id": f"{scope.prefix}{node_id}"}
            copied["inputs"] = [
                {**s, "link": self._outer(scope.prefix, s.get("link"), dropped)} for s in sockets if isinstance(s, dict)
            ]
            if node_id in scope.widgets:
                copied["widgets_values"] = scope.widgets[node_id]
            self.nodes.append(copied)
        return inner

    def _outer(self, prefix: str, raw: Any, dropped: set[int]) -> int | None:
        local = integer(raw)
        return None if local is None or local in dropped else self._link_id(prefix, local)

    def _instance(self, node: dict[str, Any], found: _Definition, scope: _Scope, dropped: set[int]) -> _Scope:
        """Connectors for one instance's inputs and outputs, and the scope of its inner nodes."""
        flat_id = f"{scope.prefix}{node['id']}"
        inner_prefix = f"{flat_id}:"
        sockets = [s for s in _list(node.get("inputs")) if isinstance(s, dict)]
        values = _list(node.get("widgets_values"))
        literals = {} if found.group else _widget_values(sockets, values)
        fed: set[int] = set()
        for position, port in _assign(sockets, found.inputs).items():
            socket = sockets[position]
            link = self._outer(scope.prefix, socket.get("link"), dropped)
            connector = f"{inner_prefix}in{port}"
            if link is not None:
                self.nodes.append(_connector(connector, "Reroute", [{"name": "", "type": "*", "link": link}]))
            elif position in literals:
                self.nodes.append(_connector(connector, "PrimitiveNode", [], [literals[position]]))
            else:
                continue
            fed.add(port)
        for slot, local in enumerate(found.outputs):
            if local is not None:
                link = self._link_id(inner_prefix, local)
                self.nodes.append(
                    _connector(f"{inner_prefix}out{slot}", "Reroute", [{"name": "", "type": "*", "link": link}])
                )
        widgets = _group_widgets(found, values) if found.group else {}
        return _Scope(inner_prefix, found.nodes, found.links, scope.depth + 1, (*scope.chain, found.key), fed, widgets)


def _connector(
    node_id: str, kind: str, inputs: list[dict[str, Any]], widgets: list[Any] | None = None
) -> dict[str, Any]:
    """A reroute or primitive standing for an instance's input or output in the flat workflow."""
    return {
        "id": node_id,
        "type": kind,
        "mode": 0,
        "inputs": inputs,
        "outputs": [{"name": "", "type": "*"}],
        "widgets_values": widgets,
    }


def _assign(sockets: list[dict[str, Any]], ports: list[_Port]) -> dict[int, int]:
    """instance input position -> definition input: by name, else (a plain input) the next plain one in order.

    Linear in both lists (each may hold thousands of entries in a hostile file).
    """
    by_name: dict[str, list[int]] = {}
    for index in range(len(ports) - 1, -1, -1):
        by_name.setdefault(ports[index].name, []).append(index)  # smallest index last
    plain = [i for i, p in enumerate(ports) if not p.widget]
    taken: set[int] = set()
    out: dict[int, int] = {}
    cursor = 0
    for position, socket in enumerate(sockets):
        widget = isinstance(socket.get("widget"), dict)
        names = [str(socket.get("name", ""))] + ([str(socket["widget"].get("name", ""))] if widget else [])
        found: list[int] = []
        for name in names:
            stack = by_name.get(name, [])
            while stack and stack[-1] in taken:
                stack.pop()
            found += stack[-1:]
        port = min(found) if found else None
        if port is None and not widget:
            while cursor < len(plain) and plain[cursor] in taken:
                cursor += 1
            port = plain[cursor] if cursor < len(plain) else None
        if port is not None:
            taken.add(port)
            out[position] = port
    return out


def _widget_values(sockets: list[dict[str, Any]], values: list[Any]) -> dict[int, Any]:
    """instance input position -> the value a subgraph instance shows for that promoted widget.

    The instance's `widgets_values` follow its widget inputs in order; a seed's "randomize"-style
    control value, when stored too, is skipped.
    """
    positions = [i for i, s in enumerate(sockets) if isinstance(s.get("widget"), dict)]
    extra = len(values) - len(positions)
    out: dict[int, Any] = {}
    cursor = 0
    for position in positions:
        if cursor >= len(values):
            break
        out[position] = values[cursor]
        cursor += 1
        if extra > 0 and cursor < len(values) and isinstance(values[cursor], str) and values[cursor] in CONTROL_VALUES:
            cursor += 1
            extra -= 1
    return out


def _group_widgets(found: _Definition, values: list[Any]) -> dict[str, list[Any]]:
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
    `nodes.WIDGETS`): one each, and a seed's control value stored right after it as its second."""
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
