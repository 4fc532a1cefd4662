"""Subgraphs and group nodes of a UI workflow, expanded into the one flat workflow ComfyUI queues.

The editor can fold nodes into a reusable node: a **subgraph** (recent frontends: a node whose
`type` is the id of an entry of `definitions.subgraphs`, holding `nodes` and `links` of its own,
with links from the input node -10 and to the output node -20 standing for its `inputs` and
`outputs`) or a legacy **group node** (`extra.groupNodes[NAME]`, used by nodes of type
`workflow>NAME` or `workflow/NAME`; inner nodes by position, `links` as `[from, slot, to, slot,
...]` with a null origin for a link from outside). The API graph ComfyUI queues holds their inner
nodes, with ids `INSTANCE:INNER` (nested: `30:12:3`); without a `prompt` chunk the workflow reader
must do the same, or a sampler, loader or LoRA inside one is never seen.

A group node's definition, the names of its inputs and the layout of its instance's widget values are
read by `groupnodes`.

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

from tracker.metadata.comfyui.graph import MAX_NODES, integer
from tracker.metadata.comfyui.groupnodes import (
    INPUT_NODE,
    Definition,
    Link,
    Port,
    as_dict,
    as_list,
    cost,
    group_definition,
    group_widgets,
)
from tracker.metadata.comfyui.nodes import CONTROL_VALUES

MAX_DEPTH = 8
"""Subgraphs nested deeper than this are left folded (the editor's own examples nest two or three)."""
MAX_CELLS = MAX_NODES * 20
"""Nodes, input sockets and links copied by all expansions together (a few hundred subgraph uses)."""
MUTED, BYPASSED = 2, 4
OUTPUT_NODE = "-20"

_SUBGRAPH_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)
_GROUP_TYPE = re.compile(r"^workflow[>/](.+)$", re.DOTALL)


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
    definitions = Definitions(data)
    raw_nodes = data.get("nodes")
    top = [n for n in as_list(raw_nodes) if _is_node(n)]
    if not any(definitions.used_by(n) for n in top):
        return data, []
    links = _links(data.get("links"))
    flat = _Flattener(definitions, len(top), len(links))
    flat.run(_Scope("", top, links, 0, ()))
    return {**data, "nodes": flat.nodes, "links": flat.links}, flat.warnings


def _is_node(item: Any) -> bool:
    return isinstance(item, dict) and isinstance(item.get("type"), str) and isinstance(item.get("id"), str | int)


def _links(raw: Any) -> dict[int, Link]:
    """link id -> (origin, slot, type) from a workflow's or subgraph's list or dict link records."""
    out: dict[int, Link] = {}
    for record in as_list(raw)[: MAX_NODES * 8]:
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


class Definitions:
    """The workflow's subgraphs and group nodes, normalised on first use."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.subgraphs: dict[str, dict[str, Any]] = {}
        nested: list[Any] = []
        for item in as_list(as_dict(data.get("definitions")).get("subgraphs"))[:MAX_NODES]:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                self.subgraphs.setdefault(item["id"], item)
                nested += as_list(as_dict(item.get("definitions")).get("subgraphs"))
        for item in nested[:MAX_NODES]:  # those a subgraph defines itself (one level: ComfyUI keeps them at the root)
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                self.subgraphs.setdefault(item["id"], item)
        extra = data.get("extra")
        groups = extra.get("groupNodes") if isinstance(extra, dict) else None
        self.groups: dict[str, Any] = dict(list(groups.items())[:MAX_NODES]) if isinstance(groups, dict) else {}
        self._cache: dict[str, Definition | None] = {}

    def used_by(self, node: dict[str, Any]) -> bool:
        """Whether the node is an instance of a subgraph or group node (defined or not)."""
        kind = node["type"]
        return kind in self.subgraphs or bool(_SUBGRAPH_ID.match(kind) or _GROUP_TYPE.match(kind))

    def lookup(self, kind: str) -> Definition | None:
        if kind not in self._cache:
            group = _GROUP_TYPE.match(kind)
            if kind in self.subgraphs:
                self._cache[kind] = _subgraph(kind, self.subgraphs[kind])
            elif group and isinstance(self.groups.get(group.group(1)), dict):
                self._cache[kind] = group_definition(group.group(1), self.groups[group.group(1)])
            else:
                self._cache[kind] = None
        return self._cache[kind]


def _subgraph(key: str, raw: dict[str, Any]) -> Definition:
    """A subgraph definition: its links from node -10 stand for its inputs, those to -20 for its outputs."""
    nodes = [n for n in as_list(raw.get("nodes"))[:MAX_NODES] if _is_node(n)]
    links: dict[int, Link] = {}
    feeding: dict[int, int] = {}
    for record in as_list(raw.get("links"))[: MAX_NODES * 8]:
        parsed = _link_record(record)
        if parsed is None:
            continue
        link_id, origin, slot, target, target_slot, kind = parsed
        links[link_id] = (origin, slot, kind)
        if target == OUTPUT_NODE and target_slot >= 0:
            feeding.setdefault(target_slot, link_id)
    ports = as_list(raw.get("inputs"))
    inputs = [Port(str(p.get("name", "")) if isinstance(p, dict) else "", False) for p in ports[:MAX_NODES]]
    count = len(as_list(raw.get("outputs"))[:MAX_NODES])
    outputs = [feeding.get(k) for k in range(max(count, max(feeding, default=-1) + 1))]
    name = raw.get("name")
    found = Definition(key, name[:80] if isinstance(name, str) else key, False, nodes, links, inputs, outputs)
    found.cost = cost(found)
    return found


class _Flattener:
    """Copies scopes into one flat node and link list, expanding instances as it meets them."""

    def __init__(self, definitions: Definitions, top_nodes: int, top_links: int) -> None:
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

    def _expandable(self, node: dict[str, Any], scope: _Scope) -> Definition | None:
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
        size = len(found.nodes) + len(found.inputs) - found.spare + len(found.outputs)
        linked = len(found.links) - found.spare
        too_many_links = self._linked + linked > MAX_NODES * 8  # what the workflow reader reads
        if self._planned + size > MAX_NODES or self._cells + found.cost > MAX_CELLS or too_many_links:
            self._warn(
                f"subgraphs expand to over {MAX_NODES} nodes: {found.name!r} (node {shown}) and others were left folded"
            )
            return None
        self._planned += size
        self._cells += found.cost
        self._linked += linked
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
            sockets = as_list(node.get("inputs"))
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

    def _instance(self, node: dict[str, Any], found: Definition, scope: _Scope, dropped: set[int]) -> _Scope:
        """Connectors for one instance's inputs and outputs, and the scope of its inner nodes."""
        flat_id = f"{scope.prefix}{node['id']}"
        inner_prefix = f"{flat_id}:"
        sockets = [s for s in as_list(node.get("inputs")) if isinstance(s, dict)]
        values = as_list(node.get("widgets_values"))
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
        widgets = group_widgets(found, values) if found.group else {}
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


def _assign(sockets: list[dict[str, Any]], ports: list[Port]) -> dict[int, int]:
    """instance input position -> definition input: by name, else (a plain input) the next plain one in order.
    A plain input is never matched to a group node's widget, which only a widget socket feeds.

    Linear in both lists (each may hold thousands of entries in a hostile file).
    """
    by_name: dict[str, list[int]] = {}
    plain_by_name: dict[str, list[int]] = {}
    for index in range(len(ports) - 1, -1, -1):
        by_name.setdefault(ports[index].name, []).append(index)  # smallest index last
        if not ports[index].widget:
            plain_by_name.setdefault(ports[index].name, []).append(index)
    plain = [i for i, p in enumerate(ports) if not p.widget]
    taken: set[int] = set()
    out: dict[int, int] = {}
    cursor = 0
    for position, socket in enumerate(sockets):
        widget = isinstance(socket.get("widget"), dict)
        names = [str(socket.get("name", ""))] + ([str(socket["widget"].get("name", ""))] if widget else [])
        found: list[int] = []
        for name in names:
            stack = (by_name if widget else plain_by_name).get(name, [])
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
