"""Values computed by utility nodes from constants: math, text joins, conversions, seeds, counters.

`Graph.resolve_value` follows a link to the literal it carries. Most utility nodes only pass a
value on (reroutes, primitives, switches: see `graph`); the nodes here compute one. `compute`
says what such a node outputs when its inputs are constants, given a way to read them:

- math: `SimpleMath+` (and its variants: an expression over a, b, c), `CM_IntBinaryOperation`
  / `CM_FloatBinaryOperation` (+ - * / ...). `MathExpression|pysssss` stays unresolved: its
  language also has run-time functions (random numbers) and image/latent attributes, and the
  shared corpus manifest expects its results as not known. Expressions are evaluated on
  numbers only, by a small AST walk (no names other than a/b/c, no calls other than
  min/max/abs/round/floor/ceil, bounded powers);
- text joins: `CR Text Concatenate`, WAS `Text Concatenate`, `JoinStrings`, `easy stringJoin`;
- conversions (`CR Integer To String`, `Int to Float`, any `*To String*`/`*to Int*` node with
  one linked input; ComfyLiterals `Int`/`Float` holding their number as text): the value,
  converted;
- seeds: `Seed (rgthree)` with -1/-2/-3 picks a random seed at run time: not known;
- counters and random-number nodes change every run: not known (decision: a counter's first
  value is not assumed, because a saved image may come from any run of the queue).

Only computed when unambiguous; anything else is "computed at run time" with its reason.
Pure: imports only the standard library (the caller passes the input reader).
"""

from __future__ import annotations

import ast
import math
import operator
import re
from collections.abc import Callable
from typing import Any

MISSING = object()
"""What the input reader returns for an input whose value is not a known constant."""
Reader = Callable[[str], Any]

_RUN_TIME = re.compile(r"counter|increment(?!al)|random|randint|rand_?num|incrementer", re.IGNORECASE)
_RGTHREE_RANDOM = frozenset({-1, -2, -3})
_BINARY_OPS: dict[str, Callable[[float, float], float]] = {
    "add": operator.add,
    "+": operator.add,
    "sub": operator.sub,
    "subtract": operator.sub,
    "-": operator.sub,
    "mul": operator.mul,
    "multiply": operator.mul,
    "*": operator.mul,
    "div": operator.truediv,
    "divide": operator.truediv,
    "/": operator.truediv,
    "floordiv": operator.floordiv,
    "//": operator.floordiv,
    "mod": operator.mod,
    "%": operator.mod,
    "max": max,
    "min": min,
}
_EXPRESSION_NODES: dict[str, str] = {
    "SimpleMath+": "value",
    "SimpleMathFloat+": "value",
    "SimpleMathInt+": "value",
}
_BINARY_NODES = frozenset({"CM_IntBinaryOperation", "CM_FloatBinaryOperation", "CM_NumberBinaryOperation"})
_JOINS: dict[str, tuple[tuple[str, ...], str]] = {
    "CR Text Concatenate": (("text1", "text2"), "separator"),
    "Text Concatenate": (("text_a", "text_b", "text_c", "text_d"), "delimiter"),
    "JoinStrings": (("string1", "string2"), "delimiter"),
    "easy stringJoin": (("text1", "text2"), "delimiter"),
}
_CONVERSION = re.compile(r"to.?(string|text|str|int|integer|float|number)\b|^(int|float|string)\b", re.IGNORECASE)
_MAX_POWER = 64
_MAX_TEXT = 100_000

Result = tuple[Any, str | None]
"""(value, None) when computed; (None, reason) when it is not known before the run."""


UTILITY_WIDGETS: dict[str, list[str]] = {
    "CR Text Input Switch": ["Input"],
    "CR Text Input Switch (4 way)": ["Input"],
    "CR Prompt Text": ["prompt"],
    "CR Seed": ["seed"],
    "Seed (rgthree)": ["seed"],
    "Seed Everywhere": ["seed"],
    "ImpactSwitch": ["select", "sel_mode"],
    "ImpactInt": ["value"],
    "ImpactFloat": ["value"],
    "Switch any [Crystools]": ["boolean"],
    "Primitive integer [Crystools]": ["int"],
    "Primitive float [Crystools]": ["float"],
    "Primitive string [Crystools]": ["string"],
    "Primitive string multiline [Crystools]": ["string"],
    "ComfySwitchNode": ["switch"],
    "easy int": ["value"],
    "easy float": ["value"],
    "easy string": ["value"],
    "SimpleMath+": ["value"],
    "CM_IntBinaryOperation": ["op", "a", "b"],
    "CM_FloatBinaryOperation": ["op", "a", "b"],
    "CR Text Concatenate": ["text1", "text2", "separator"],
    "JoinStrings": ["string1", "string2", "delimiter"],
    "Text Multiline": ["text"],
}
"""UI widget names of utility nodes (seed/int/string helpers, switches, math), in widget order."""


def compute(class_type: str, slot: int, inputs: dict[str, Any], read: Reader) -> Result | None:
    """What a utility node outputs on `slot`, or None when this module does not know the node."""
    if class_type == "RandomNoise":
        return None  # a constant noise seed, read by the sampler rules
    if class_type == "Seed (rgthree)":
        seed = read("seed")
        if isinstance(seed, int) and seed in _RGTHREE_RANDOM:
            return None, "random seed chosen at run time"
        return None  # an ordinary constant: the primitive rule reads it
    if _RUN_TIME.search(class_type):
        return None, "changes every run (counter or random number)"
    if class_type in _EXPRESSION_NODES:
        return _expression(read, _EXPRESSION_NODES[class_type], slot)
    if class_type in _BINARY_NODES:
        return _binary(read, class_type)
    if class_type in _JOINS:
        parts, separator = _JOINS[class_type]
        return _join(read, [p for p in parts if p in inputs], separator)
    if class_type in ("Int", "Float") and "Number" in inputs:  # ComfyLiterals: a number typed as text
        return _convert(f"to {class_type}", read("Number"))
    linked = [name for name, value in inputs.items() if isinstance(value, tuple)]
    if _CONVERSION.search(class_type) and len(linked) == 1 and len(inputs) <= 2:
        return _convert(class_type, read(linked[0]))
    return None


def _number(value: Any) -> float | int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value if math.isfinite(value) else None


def _as_output(value: float, slot: int) -> Result:
    """INT on slot 0 and FLOAT on slot 1 (how these math nodes return)."""
    if not math.isfinite(value):
        return None, "math result is not a finite number"
    return (int(value) if slot == 0 else float(value)), None


def _expression(read: Reader, key: str, slot: int) -> Result:
    text = read(key)
    if not isinstance(text, str) or len(text) > 500:
        return None, "math expression not known"
    names: dict[str, float | int] = {}
    for name in ("a", "b", "c"):
        if re.search(rf"\b{name}\b", text):
            found = _number(read(name))
            if found is None:
                return None, f"math input {name!r} not known"
            names[name] = found
    try:
        value = float(_evaluate(ast.parse(text.strip(), mode="eval").body, names, 0))
    except (ValueError, SyntaxError, ArithmeticError, TypeError, RecursionError, MemoryError):
        return None, "math expression not computable"
    return _as_output(value, slot)


_UNARY: dict[type, Callable[[Any], Any]] = {ast.USub: operator.neg, ast.UAdd: operator.pos}
_BINARY: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}
_CALLS: dict[str, Callable[..., Any]] = {
    "min": min,
    "max": max,
    "abs": abs,
    "round": round,
    "floor": math.floor,
    "ceil": math.ceil,
}


def _evaluate(node: ast.AST, names: dict[str, float | int], depth: int) -> float | int:
    """A number from an expression tree of numbers, a/b/c, arithmetic and a few functions."""
    if depth > 32:
        raise ValueError("expression too deep")
    if isinstance(node, ast.Constant):
        constant = _number(node.value)
        if constant is not None:
            return constant
    if isinstance(node, ast.Name) and node.id in names:
        return names[node.id]
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        return _UNARY[type(node.op)](_evaluate(node.operand, names, depth + 1))
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left, right = _evaluate(node.left, names, depth + 1), _evaluate(node.right, names, depth + 1)
        if isinstance(node.op, ast.Pow) and (abs(right) > _MAX_POWER or abs(left) > 1e6):
            raise ValueError("power too large")
        return _BINARY[type(node.op)](left, right)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in _CALLS
        and not node.keywords
        and 0 < len(node.args) <= 4
    ):
        args = [_evaluate(arg, names, depth + 1) for arg in node.args]
        return _CALLS[node.func.id](*args)
    raise ValueError("not a plain arithmetic expression")


def _binary(read: Reader, class_type: str) -> Result:
    op = read("op")
    a, b = _number(read("a")), _number(read("b"))
    func = _BINARY_OPS.get(op.strip().lower()) if isinstance(op, str) else None
    if func is None or a is None or b is None:
        return None, "math operation or operands not known"
    try:
        value = float(func(a, b))
    except (ArithmeticError, ValueError):
        return None, "math operation not computable"
    return _as_output(value, 0 if "Int" in class_type else 1)


def _join(read: Reader, parts: list[str], separator: str) -> Result:
    texts: list[str] = []
    for name in parts:
        value = read(name)
        if value is MISSING:
            return None, f"text {name!r} not known"
        if value is None or value == "":
            continue
        texts.append(str(value))
    sep = read(separator)
    joined = (sep if isinstance(sep, str) else "").join(texts)
    return (joined, None) if len(joined) <= _MAX_TEXT else (None, "joined text too long")


def _convert(class_type: str, value: Any) -> Result:
    if value is MISSING or value is None:
        return None, "converted value not known"
    target = class_type.lower()
    if re.search(r"to.?(string|text|str)\b|^string", target):
        return str(value), None
    found = _number(value)
    if found is None and isinstance(value, str):
        try:
            found = float(value.strip())
        except ValueError:
            return None, "text is not a number"
    if found is None or not math.isfinite(found):
        return None, "converted value not a number"
    if re.search(r"to.?(int|integer)\b|^int", target):
        return int(found), None
    return float(found), None
