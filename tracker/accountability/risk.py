"""How risky an image-input technique is, from an editable rule table (`data/risk.toml`).

The persona's owner documents which techniques could accidentally reproduce an input image
("safe" = unlikely to) and which take a person's identity. The tracker uses that judgement to
sort and flag images, so it lives in a data file the user can read and change rather than in
code: an ordered list of risk classes (most serious first) and an ordered list of rules, the
first matching rule winning. Anything no rule recognises gets the fallback class ("unknown"),
which the shipped table ranks above everything the owner calls safer, because an unrecognised
technique needs a human look rather than a reassuring label.

The table is loaded once and is immutable; `classify` is a pure function of its arguments.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from tracker.errors import UsageError
from tracker.support.paths import shipped_data_dir
from tracker.support.tomlfile import one_line, read_toml

__all__ = [
    "ANY_KIND",
    "RiskClass",
    "RiskRule",
    "RiskTable",
    "RiskVerdict",
    "load_risk_table",
    "shipped_risk_path",
]

ANY_KIND = "*"
"""A rule `kind` that matches every technique kind."""

_CLASS_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_RULE_FIELDS = frozenset({"kind", "module", "model", "risk", "note"})
_CLASS_FIELDS = frozenset({"key", "label", "description"})
_TOP_FIELDS = frozenset({"class", "rule", "fallback"})

# A1111/Forge write ControlNet models as "control_v11p_sd15_canny [d14c016b]". The bracketed
# AutoV1 hash is hex, and hex spells words ("face", "bead"), so it is removed before matching.
_HASH_SUFFIX = re.compile(r"\s*[\[(]\s*[0-9a-fA-F]{6,64}\s*[\])]\s*$")


@dataclass(frozen=True)
class RiskClass:
    """One risk class: `rank` 0 is the most serious; the order comes from the table file."""

    key: str
    rank: int
    label: str
    description: str


@dataclass(frozen=True)
class RiskVerdict:
    """The class a technique falls in, why, and which rule said so.

    `rule` is the 0-based index into `RiskTable.rules` (the n-th `[[rule]]` in the file is
    index n-1), or None when no rule matched and the fallback class was used.
    """

    risk: str
    note: str
    rule: int | None


@dataclass(frozen=True)
class RiskRule:
    """One `[[rule]]`: kinds it applies to (None = any), optional compiled patterns, result."""

    kinds: frozenset[str] | None
    module: re.Pattern[str] | None
    model: re.Pattern[str] | None
    risk: str
    note: str

    def matches(self, kind: str, module: str | None, model: str | None) -> bool:
        """True when the kind is covered and every pattern the rule has finds its field.

        A pattern never matches a missing field: a rule about model names must not fire for a
        technique whose metadata named no model.
        """
        if self.kinds is not None and kind not in self.kinds:
            return False
        if self.module is not None and (module is None or self.module.search(module) is None):
            return False
        return self.model is None or (model is not None and self.model.search(model) is not None)


class RiskTable:
    """Risk classes in rank order plus the ordered rules that assign them."""

    def __init__(self, classes: Iterable[RiskClass], rules: Iterable[RiskRule], fallback: str) -> None:
        ordered = sorted(classes, key=lambda c: c.rank)
        self.classes: Mapping[str, RiskClass] = MappingProxyType({c.key: c for c in ordered})
        self.rules: tuple[RiskRule, ...] = tuple(rules)
        if fallback not in self.classes:
            raise UsageError(f"risk table: fallback class {fallback!r} is not defined")
        for rule in self.rules:
            if rule.risk not in self.classes:
                raise UsageError(f"risk table: a rule names the unknown risk class {rule.risk!r}")
        self.fallback: str = fallback

    def classify(self, kind: str, module: str | None = None, model: str | None = None) -> RiskVerdict:
        """Classify one technique use (a ControlNet unit, an img2img pass, a vibe transfer ...).

        `module` is the preprocessor name as written ("canny", "none", "InsightFace+CLIP-H
        (IPAdapter)"); `model` the model name, with or without its " [hash]" suffix. Empty
        strings count as missing. The first matching rule wins; with none, the fallback class.
        """
        norm_kind = kind.strip().lower()
        norm_module = _clean(module)
        norm_model = _clean(model)
        if norm_model is not None:
            norm_model = _HASH_SUFFIX.sub("", norm_model) or None
        for index, rule in enumerate(self.rules):
            if rule.matches(norm_kind, norm_module, norm_model):
                return RiskVerdict(rule.risk, rule.note, index)
        what = ", ".join(
            f"{name} {value!r}"
            for name, value in (("kind", norm_kind), ("module", norm_module), ("model", norm_model))
            if value is not None
        )
        return RiskVerdict(self.fallback, f"No rule recognises {what}: review by hand.", None)

    def rank(self, risk: str) -> int:
        """The rank of a class key (0 = most serious).

        A key the table does not define (a verdict stored before the user renamed a class) gets
        the fallback class's rank: it is no longer known what it meant, so it needs review too.
        """
        found = self.classes.get(risk)
        if found is None:
            found = self.classes[self.fallback]
        return found.rank

    def __repr__(self) -> str:
        return f"RiskTable(classes={list(self.classes)!r}, rules={len(self.rules)}, fallback={self.fallback!r})"


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _text(path: Path, where: str, table: Mapping[str, Any], name: str, required: bool = True) -> str | None:
    value = table.get(name)
    if value is None:
        if required:
            raise UsageError(f"{path}: {where}: missing {name!r}")
        return None
    if not isinstance(value, str) or not value.strip():
        raise UsageError(f"{path}: {where}: {name!r} must be a non-empty string")
    return value.strip()


def _pattern(path: Path, where: str, table: Mapping[str, Any], name: str) -> re.Pattern[str] | None:
    source = _text(path, where, table, name, required=False)
    if source is None:
        return None
    try:
        return re.compile(source, re.IGNORECASE)
    except re.error as exc:
        raise UsageError(f"{path}: {where}: bad {name} regex {source!r}: {one_line(exc)}") from None


def _kinds(path: Path, where: str, table: Mapping[str, Any]) -> frozenset[str] | None:
    value = table.get("kind")
    items: list[object]
    if isinstance(value, str):
        items = [value]
    elif isinstance(value, list) and value:
        items = list(value)
    else:
        raise UsageError(f"{path}: {where}: 'kind' must be a kind, a list of kinds, or \"*\"")
    kinds: set[str] = set()
    for item in items:
        if not isinstance(item, str) or not item.strip():
            raise UsageError(f"{path}: {where}: 'kind' entries must be non-empty strings")
        kinds.add(item.strip().lower())
    return None if ANY_KIND in kinds else frozenset(kinds)


def _array_of_tables(path: Path, data: Mapping[str, Any], name: str) -> list[Mapping[str, Any]]:
    value = data.get(name, [])
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise UsageError(f"{path}: '{name}' must be written as [[{name}]] tables")
    return value


def _unexpected(path: Path, where: str, table: Mapping[str, Any], allowed: frozenset[str]) -> None:
    # A typo such as `modle = "canny"` would otherwise silently widen the rule to every model.
    extra = sorted(set(table) - allowed)
    if extra:
        raise UsageError(f"{path}: {where}: unknown key(s) {', '.join(map(repr, extra))}")


def load_risk_table(path: Path) -> RiskTable:
    """Read and check a risk table file.

    Every problem (unreadable file, bad TOML, a missing or misspelt field, a bad regex, a rule
    naming an undefined class, duplicate class keys) raises `UsageError` with a one-line message
    naming the file and the offending `[[class]]`/`[[rule]]` (counted from 1, as in the file),
    so a hand-edited table fails loudly at load time instead of misclassifying later.
    """
    path = Path(path)
    data = read_toml(path, "risk table")
    _unexpected(path, "top level", data, _TOP_FIELDS)

    classes: list[RiskClass] = []
    seen: set[str] = set()
    for number, table in enumerate(_array_of_tables(path, data, "class"), start=1):
        where = f"[[class]] {number}"
        _unexpected(path, where, table, _CLASS_FIELDS)
        key = _text(path, where, table, "key")
        assert key is not None
        if not _CLASS_KEY.match(key):
            raise UsageError(f"{path}: {where}: key {key!r} must be a short lowercase identifier")
        if key in seen:
            raise UsageError(f"{path}: {where}: class {key!r} is defined twice")
        seen.add(key)
        label = _text(path, where, table, "label")
        description = _text(path, where, table, "description")
        assert label is not None and description is not None
        classes.append(RiskClass(key=key, rank=number - 1, label=label, description=description))
    if not classes:
        raise UsageError(f"{path}: no [[class]] tables: at least one risk class is needed")

    fallback = data.get("fallback", "unknown")
    if not isinstance(fallback, str) or fallback not in seen:
        raise UsageError(f"{path}: fallback class {fallback!r} is not one of the [[class]] keys")

    rules: list[RiskRule] = []
    for number, table in enumerate(_array_of_tables(path, data, "rule"), start=1):
        where = f"[[rule]] {number}"
        _unexpected(path, where, table, _RULE_FIELDS)
        risk = _text(path, where, table, "risk")
        note = _text(path, where, table, "note")
        assert risk is not None and note is not None
        if risk not in seen:
            raise UsageError(f"{path}: {where}: risk {risk!r} is not one of the [[class]] keys")
        rules.append(
            RiskRule(
                kinds=_kinds(path, where, table),
                module=_pattern(path, where, table, "module"),
                model=_pattern(path, where, table, "model"),
                risk=risk,
                note=one_line(note),
            )
        )
    return RiskTable(classes, rules, fallback)


def shipped_risk_path() -> Path:
    """The risk table that ships with the tracker (inside the wheel, or `data/` of a checkout)."""
    return shipped_data_dir() / "risk.toml"
