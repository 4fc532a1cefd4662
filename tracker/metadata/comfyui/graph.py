"""The executed ComfyUI graph and resolving values through its links.

- `Graph`: the executed API graph (`{"id": {"class_type", "inputs"}}`) with its links checked
  once, so no later walk can trip over a missing node or a malformed input.
- `Graph.value`: the literal behind an input, followed through primitive, reroute, pass-through
  and switch nodes (the selected branch when the selector is known), rgthree's Context nodes
  (`context_step`: the field, from the node or the context it builds on), and through the utility
  nodes `constants` can compute (math, text joins, conversions); `None` when the value is only
  known at run time (a TIPO prompt, a counter, a random seed, a switch chosen at run time).
- The value helpers every rule shares: `number`, `integer`, `rounded`, `model_stem`,
  `node_sort_key`.

Everything here treats the graph as hostile: every lookup is bounded (hops, nesting, steps per
look-up and per graph; switch choices are computed once), every walk iterative.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from tracker.metadata.comfyui.constants import MISSING, compute
from tracker.metadata.comfyui.nodes import CONTEXT_INPUTS, CONTEXT_SLOTS, MODEL_EXTENSIONS, SWITCH_CLASSES, TEXT_INPUTS

MAX_NODES = 5000
"""Nodes read from one graph; real workflows have a few hundred at most."""
MAX_VALUE_HOPS = 64
"""Nodes followed to find one literal value (primitive -> switch -> reroute -> ...)."""
MAX_NESTING = 24
"""Look-ups nested inside one value look-up (switch selectors, math operands)."""
MAX_LOOKUP_STEPS = 512
"""Nodes visited by one value look-up, nested look-ups included."""
MAX_GRAPH_LOOKUP_STEPS = 500_000
"""Nodes visited by all value look-ups of one graph (a hostile graph cannot make reading slow)."""
MAX_NOTES = 40
"""Unresolved-value notes kept per graph (they become warnings)."""

_PASSTHROUGH = re.compile(r"reroute|show|display|preview|pass.?through|echo|^any$", re.IGNORECASE)
"""Nodes that, with one linked input and nothing else, hand the value on unchanged."""

_BRANCH = re.compile(
    r"^(on_(true|false)|(tt|ff)_value|(input|text|image|any|string|int|float|value|latent|conditioning)_?(\d+|[ab]))$",
    re.IGNORECASE,
)
"""Literal inputs of a switch that are branches (not settings such as `sel_mode`)."""

Ref = tuple[str, int]
"""A link: (source node id, output slot)."""
API_EXTRA_KEYS = frozenset({"extra", "extraMetadata", "extra_data", "extra_pnginfo", "client_id"})
"""Non-node keys front-ends add to an API graph (Civitai's `extra.airs`, ...)."""


@dataclass
class Node:
    """One executed node: its type, inputs (literals or links) and unnamed UI widget values."""

    id: str
    class_type: str
    inputs: dict[str, Any]
    widgets: list[Any] = field(default_factory=list)
    """UI-workflow widget values of a node type whose widget names are unknown."""


def is_link(value: Any) -> bool:
    """True for an API-graph link `[node_id, output_index]`."""
    return (
        isinstance(value, list)
        and len(value) == 2
        and isinstance(value[0], str | int)
        and not isinstance(value[0], bool)
        and isinstance(value[1], int)
        and not isinstance(value[1], bool)
    )


def is_scalar(value: Any) -> bool:
    """A literal input value (not a link, list or object)."""
    return value is None or isinstance(value, str | int | float | bool)


def number(value: Any) -> float | None:
    """A finite number, or None (bools and text are not numbers here)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if value == value and abs(value) != float("inf") else None


def integer(value: Any) -> int | None:
    """An integral number as int, or None."""
    as_number = number(value)
    return int(as_number) if as_number is not None and as_number == int(as_number) else None


def rounded(value: Any) -> float | None:
    """A number as reported: float, rounded to 6 places (UI sliders store 0.35000000000000003)."""
    as_number = number(value)
    return round(as_number, 6) if as_number is not None else None


def model_stem(name: str) -> str:
    """A model file name without folders and without a model-file extension."""
    base = re.split(r"[\\/]", name.strip())[-1]
    lower = base.lower()
    for ext in MODEL_EXTENSIONS:
        if lower.endswith(ext) and len(base) > len(ext):
            return base[: -len(ext)]
    return base


class Graph:
    """The executed graph with checked links, plus bounded helpers to read values through it."""

    def __init__(self, nodes: dict[str, Node], warnings: list[str] | None = None, *, api_links: bool = True) -> None:
        self.nodes = nodes
        self.warnings: list[str] = warnings if warnings is not None else []
        self.notes: list[str] = []
        self.type_names: dict[str, str] = {}
        """Names to show for node types that are ids (a UI workflow's subgraphs: id -> its name)."""
        self._consumers: dict[str, list[str]] | None = None
        self._nesting = 0
        self._lookup_steps = MAX_LOOKUP_STEPS
        self._graph_steps = MAX_GRAPH_LOOKUP_STEPS
        self._switches: dict[str, list[tuple[str, Any]]] = {}
        self._switching: set[str] = set()
        self._check_links(api_links)

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Graph:
        """Build from the API `prompt` JSON, skipping entries that are not nodes."""
        warnings: list[str] = []
        nodes: dict[str, Node] = {}
        skipped = 0
        for key, entry in data.items():
            if len(nodes) >= MAX_NODES:
                warnings.append(f"graph has more than {MAX_NODES} nodes; the rest were ignored")
                break
            if not isinstance(entry, dict) or not isinstance(entry.get("class_type"), str):
                if isinstance(entry, dict) and entry and key not in API_EXTRA_KEYS:
                    skipped += 1
                continue
            inputs = entry.get("inputs")
            nodes[str(key)] = Node(str(key), entry["class_type"], dict(inputs) if isinstance(inputs, dict) else {})
        if skipped:
            warnings.append(f"{skipped} graph entries are not nodes (no class_type) and were ignored")
        return cls(nodes, warnings)

    def _check_links(self, api_links: bool) -> None:
        """Turn links into (id, slot) tuples; drop links to missing nodes with a warning.

        In an API graph every `[id, slot]` list is a link (ComfyUI reads it so); a converted UI
        workflow already holds tuples, and its list-valued widgets stay literals.
        """
        missing = 0
        for node in self.nodes.values():
            for name, value in list(node.inputs.items()):
                if (api_links and is_link(value)) or isinstance(value, tuple):
                    target = str(value[0])
                    if target in self.nodes:
                        node.inputs[name] = (target, int(value[1]))
                    else:
                        missing += 1
                        del node.inputs[name]
        if missing:
            self.warnings.append(f"{missing} links point to nodes missing from the graph; they were ignored")

    # --- structure ---

    @staticmethod
    def ref(value: Any) -> Ref | None:
        """The link held by an input value, if it is one."""
        return value if isinstance(value, tuple) else None

    def links(self, node: Node) -> Iterator[tuple[str, Ref]]:
        """(input name, link) for every linked input, in input order."""
        for name, value in node.inputs.items():
            if isinstance(value, tuple):
                yield name, value

    def source(self, ref: Ref | None) -> Node | None:
        """The node a link comes from."""
        return self.nodes.get(ref[0]) if ref is not None else None

    def consumers(self) -> dict[str, list[str]]:
        """node id -> ids of nodes that take one of its outputs (computed once)."""
        if self._consumers is None:
            table: dict[str, list[str]] = {node_id: [] for node_id in self.nodes}
            for node in self.nodes.values():
                for _, ref in self.links(node):
                    table[ref[0]].append(node.id)
            self._consumers = table
        return self._consumers

    def upstream(self, start: Iterable[str]) -> set[str]:
        """Every node the start nodes depend on (start included); iterative, cycle-safe."""
        seen: set[str] = set()
        stack = [node_id for node_id in start if node_id in self.nodes]
        while stack:
            node_id = stack.pop()
            if node_id in seen:
                continue
            seen.add(node_id)
            stack.extend(ref[0] for _, ref in self.links(self.nodes[node_id]) if ref[0] not in seen)
        return seen

    def order(self, ids: Iterable[str]) -> list[str]:
        """Ids upstream-first (Kahn's topological order, ties by node id; cycles broken by id)."""
        wanted = set(ids)
        deps = {i: {ref[0] for _, ref in self.links(self.nodes[i]) if ref[0] in wanted and ref[0] != i} for i in wanted}
        users: dict[str, list[str]] = {i: [] for i in wanted}
        for node_id, sources in deps.items():
            for source in sources:
                users[source].append(node_id)
        remaining = {i: len(d) for i, d in deps.items()}
        ready = [(node_sort_key(i), i) for i, n in remaining.items() if n == 0]
        heapq.heapify(ready)
        out: list[str] = []
        done: set[str] = set()
        while len(out) < len(wanted):
            if not ready:  # only cycles left: release the smallest id
                cut = min((i for i in wanted if i not in done), key=node_sort_key)
                heapq.heappush(ready, (node_sort_key(cut), cut))
                remaining[cut] = 0
            _, node_id = heapq.heappop(ready)
            if node_id in done:
                continue
            done.add(node_id)
            out.append(node_id)
            for user in users[node_id]:
                remaining[user] -= 1
                if remaining[user] == 0 and user not in done:
                    heapq.heappush(ready, (node_sort_key(user), user))
        return out

    def note(self, text: str) -> None:
        """Record something that could not be read (deduplicated, capped)."""
        if text not in self.notes and len(self.notes) < MAX_NOTES:
            self.notes.append(text)

    # --- values ---

    def value(self, node: Node, name: str) -> Any:
        """The literal behind an input, following links through value nodes; None if computed."""
        raw = node.inputs.get(name)
        ref = self.ref(raw)
        if ref is None:
            if isinstance(raw, dict) and isinstance(raw.get("content"), str):
                return raw["content"]  # pysssss loaders store {"content": file, "image": preview}
            return raw if is_scalar(raw) else None
        return self.resolve_value(ref, f"{node.class_type}.{name}")

    def resolve_value(self, ref: Ref, what: str, depth: int = 0) -> Any:
        """The literal a link carries when its source is a primitive/switch/string node.

        Nested look-ups (a switch's selector, a math node's operands) are bounded as a whole, so
        a switch selected by its own output or a self-feeding math node cannot recurse forever.
        """
        if self._nesting >= MAX_NESTING:
            self.note(f"{what}: value chain too deep")
            return None
        if self._nesting == 0:
            self._lookup_steps = MAX_LOOKUP_STEPS
        self._nesting += 1
        try:
            return self._resolve_value(ref, what, depth)
        finally:
            self._nesting -= 1

    def _resolve_value(self, ref: Ref, what: str, depth: int) -> Any:
        wanted = ""  # the field of an rgthree context being followed through whole contexts
        for _ in range(MAX_VALUE_HOPS):
            self._lookup_steps -= 1
            self._graph_steps -= 1
            if self._lookup_steps < 0 or self._graph_steps < 0:
                self.note(
                    f"{what}: value look-up too long" if self._graph_steps >= 0 else "value look-ups hit their limit"
                )
                return None
            src = self.nodes.get(ref[0])
            if src is None:
                return None
            step = context_step(src, ref[1], wanted)
            if step is not None:
                wanted, sources = step
                if len(sources) != 1:
                    how = "chosen at run time by" if sources else "not set in"
                    self.note(f"{what}: {wanted or 'context'} {how} {src.class_type} (node {src.id})")
                    return None
                if not isinstance(sources[0], tuple):
                    return sources[0] if is_scalar(sources[0]) else None
                ref = sources[0]
                continue
            chosen = self.switch_choice(src)
            if chosen is not None:
                if len(chosen) != 1:
                    self.note(f"{what}: chosen by {src.class_type} (node {src.id}) at run time")
                    return None
                if not isinstance(chosen[0][1], tuple):
                    return chosen[0][1]
                ref = chosen[0][1]
                continue
            computed = (
                compute(src.class_type, ref[1], src.inputs, self._reader(src, what, depth)) if depth < 8 else None
            )
            if computed is not None:
                if computed[1] is not None:
                    self.note(f"{what}: {computed[1]} ({src.class_type}, node {src.id})")
                return computed[0]
            if src.class_type == "StringConcatenate" and depth < 8:
                parts = [self._string_input(src, key, what, depth) for key in ("string_a", "string_b")]
                if any(part is None for part in parts):
                    return None
                delimiter = src.inputs.get("delimiter")
                return (delimiter if isinstance(delimiter, str) else "").join(str(p) for p in parts)
            if src.class_type in TEXT_INPUTS and src.class_type.startswith("Power Prompt") and ref[1] == 3:
                text = src.inputs.get("prompt")
                return text if isinstance(text, str) else None
            passthrough = self._single_passthrough(src)
            if passthrough is not None:
                ref = passthrough
                continue
            found, literal = self._primitive(src)
            if found:
                return literal
            self.note(f"{what}: value computed by {src.class_type} (node {src.id})")
            return None
        self.note(f"{what}: value chain too long")
        return None

    def _reader(self, node: Node, what: str, depth: int) -> Callable[[str], Any]:
        """How `constants.compute` reads a node's inputs: literal, resolved link, or MISSING."""

        def read(name: str) -> Any:
            raw = node.inputs.get(name)
            if isinstance(raw, tuple):
                found = self.resolve_value(raw, what, depth + 1)
                return MISSING if found is None else found
            return raw if is_scalar(raw) else MISSING

        return read

    def _string_input(self, node: Node, name: str, what: str, depth: int) -> str | None:
        raw = node.inputs.get(name)
        ref = self.ref(raw)
        if ref is None:
            return raw if isinstance(raw, str) else ("" if raw is None else None)
        found = self.resolve_value(ref, what, depth + 1)
        return found if isinstance(found, str) else None

    def _single_passthrough(self, node: Node) -> Ref | None:
        """Reroute-like nodes (one linked input, nothing else) pass their value through."""
        if node.class_type in ("Reroute", "Reroute (rgthree)") or (
            len(node.inputs) == 1 and _PASSTHROUGH.search(node.class_type)
        ):
            refs = [ref for _, ref in self.links(node)]
            return refs[0] if len(refs) == 1 else None
        return None

    _VALUE_NAMES = (
        "value",
        "seed",
        "noise_seed",
        "int",
        "float",
        "number",
        "string",
        "text",
        "boolean",
        "Value",
        "Text",
    )

    def _primitive(self, node: Node) -> tuple[bool, Any]:
        """(True, value) when the node is a constant: no linked inputs and one obvious literal."""
        widgets = [v for v in node.widgets if isinstance(v, str | int | float) and not isinstance(v, bool)]
        if len(widgets) == 1 and len(node.widgets) == 1:
            return True, widgets[0]  # a UI node of unknown type showing one value (a selector)
        if any(True for _ in self.links(node)):
            return False, None
        scalars = [v for v in node.inputs.values() if is_scalar(v) and v is not None]
        if len(scalars) > 3:
            return False, None  # a generator with settings (TIPO, a resolution picker, ...), not a constant
        named = [node.inputs[k] for k in self._VALUE_NAMES if k in node.inputs and is_scalar(node.inputs[k])]
        if len(named) == 1:
            return True, named[0]
        if len(scalars) == 1 and not named:
            return True, scalars[0]
        return False, None

    _SELECTORS = ("switch", "boolean", "select", "Input", "boolean_number", "select_index", "index", "cond")

    def switch_choice(self, node: Node) -> list[tuple[str, Any]] | None:
        """For a switch node, the (input, link or literal) it passes on: one when the choice is
        literal (a boolean, or an index matched against the inputs' numbers), else every branch.

        Branches are its linked inputs and literal inputs named like branches (`text1`,
        `on_true`, `input_b`, ...: the UI folds primitives into literals).
        """
        if "switch" not in node.class_type.lower() and node.class_type not in SWITCH_CLASSES:
            return None
        selector_name = next((s for s in self._SELECTORS if s in node.inputs), None)
        branches = [
            (name, value)
            for name, value in node.inputs.items()
            if name != selector_name
            and (isinstance(value, tuple) or (is_scalar(value) and value is not None and _BRANCH.match(name)))
        ]
        if not branches:
            return []
        if node.id in self._switches:
            return self._switches[node.id]
        if node.id in self._switching:
            return branches  # selected by its own output: not known before the run
        self._switching.add(node.id)
        try:
            chosen = self._select(node, selector_name, branches)
        finally:
            self._switching.discard(node.id)
        self._switches[node.id] = chosen
        return chosen

    def _select(self, node: Node, selector_name: str | None, branches: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
        """The branch(es) a switch passes on, given its selector input."""
        choice = self.value(node, selector_name) if selector_name else None
        by_name = dict(branches)
        if isinstance(choice, bool) or (isinstance(choice, int) and selector_name == "boolean_number"):
            for name in (
                ("on_true", "tt_value", "image_a", "input_a", "text_a")
                if choice
                else ("on_false", "ff_value", "image_b", "input_b", "text_b")
            ):
                if name in by_name:
                    return [(name, by_name[name])]
            return [branches[0] if choice else branches[-1]]
        if isinstance(choice, int) and not isinstance(choice, bool):
            for name, value in branches:
                if re.search(rf"(?<!\d)0*{choice}$", name):
                    return [(name, value)]
        if node.class_type in ("Any Switch (rgthree)", "Context Switch (rgthree)"):
            return [branches[0]]
        return branches

    def switch_branch(self, node: Node) -> list[Ref] | None:
        """For a switch node, the link(s) it passes on (see `switch_choice`); None if no switch."""
        choice = self.switch_choice(node)
        return None if choice is None else [value for _, value in choice if isinstance(value, tuple)]


def context_step(node: Node, slot: int, wanted: str) -> tuple[str, list[Any]] | None:
    """For an rgthree Context node (`nodes.CONTEXT_SLOTS`): the field its output `slot` carries (`wanted` for
    slot 0, the whole context, passed on whole) and where that field comes from: the node's own input (a link
    or a literal), else the context it builds on; a switch's first linked context, a merge's linked ones last
    first (any may hold the field). None for any other node."""
    fields = CONTEXT_SLOTS.get(node.class_type)
    if fields is None:
        return None
    field_name = fields[slot] if 0 < slot < len(fields) else wanted
    if not field_name:
        return "", []
    contexts = [node.inputs[name] for name in CONTEXT_INPUTS if isinstance(node.inputs.get(name), tuple)]
    if "Switch" in node.class_type:
        return field_name, contexts[:1]
    if "Merge" in node.class_type:
        return field_name, contexts[::-1]
    own = node.inputs.get(field_name)
    if own is not None:
        return field_name, [own]
    base = node.inputs.get("base_ctx")
    return field_name, [base] if isinstance(base, tuple) else []


def node_sort_key(node_id: str) -> tuple[int, int, str]:
    """Numeric ids in numeric order, then subgraph ids like '37:8', then the rest."""
    head = node_id.split(":", 1)[0]
    if head.isdigit():
        return (0, int(head), node_id)
    return (1, 0, node_id)
