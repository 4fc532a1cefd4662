"""Reading untrusted JSON records safely: the helpers the JSON-writing front-end parsers share.

InvokeAI, SwarmUI, Fooocus, Easy Diffusion, Draw Things and the `other` front-ends all store a
JSON record. Every value is read with its type checked, oversized text is refused, and each
problem becomes a warning in the record instead of an error.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from tracker.metadata.a1111 import parse_infotext
from tracker.metadata.info import LORA, ResourceRef, classify_hash

MAX_JSON_CHARS = 8 * 1024 * 1024
"""Real records are a few kB (a full InvokeAI graph a few hundred); larger JSON is refused."""
MAX_TEXT_CHARS = 256 * 1024
"""A prompt or name longer than this is an attack or an accident; the field is left empty."""
MAX_PARAM_DEPTH = 32
"""Nesting kept in `params`; deeper parts are replaced by a marker so storing never recurses away."""
MAX_PARAM_STRING = 64 * 1024
"""Strings kept in `params` are cut to this length (the typed fields are checked separately)."""
MAX_LIST_ITEMS = 256
"""Entries read from one list (LoRAs, control units, ...); real files have a handful."""

_TOO_DEEP = "<nested too deep: cut>"
_MODEL_EXT = re.compile(r"\.(safetensors|ckpt|pt|pth|bin|sft|gguf|onnx)$", re.IGNORECASE)
_HASH_PREFIX = re.compile(r"^\s*([a-z][a-z0-9_]*):", re.IGNORECASE)


def load_json(text: object, label: str, warnings: list[str]) -> Any:
    """Parse JSON text written by a generator; None (with a warning) when it cannot be read."""
    if text is None:
        return None
    if not isinstance(text, str):
        warnings.append(f"{label} is a {type(text).__name__}, not JSON text; ignored")
        return None
    stripped = text.strip().rstrip("\0").strip()
    if not stripped:
        return None
    if len(stripped) > MAX_JSON_CHARS:
        warnings.append(f"{label} is larger than {MAX_JSON_CHARS // 2**20} MiB; not parsed")
        return None
    try:
        return json.loads(stripped)
    except RecursionError:
        warnings.append(f"{label} is JSON nested too deeply to read")  # `JSON JSON` for no label
    except ValueError as exc:
        warnings.append(f"{label} is not valid JSON ({str(exc)[:80]})")
    return None


def json_object(text: object, label: str, warnings: list[str]) -> dict[str, Any] | None:
    """Like `load_json`, but only a JSON object counts."""
    value = load_json(text, label, warnings)
    if value is None or isinstance(value, dict):
        return value
    warnings.append(f"{label} JSON is a {type(value).__name__}, not an object; ignored")
    return None


def quiet_json_object(text: object) -> dict[str, Any] | None:
    """A JSON object from text that may well be something else (used for detection: no warnings)."""
    if not isinstance(text, str) or not text.lstrip().startswith("{"):
        return None
    value = load_json(text, "", [])
    return value if isinstance(value, dict) else None


def repair_mojibake(text: str) -> str:
    """UTF-8 bytes that were stored in a latin-1 tEXt chunk, decoded back to what was meant.

    TensorArt and Stability Matrix write UTF-8 into tEXt; read as latin-1 (as the PNG spec says)
    a Japanese tag turns into `ã\\x83\\x86...`. Text that is not such a round trip is left alone.
    """
    if not any("\x80" <= c <= "\xff" for c in text):
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def pruned(value: Any, depth: int = 0) -> Any:
    """A copy safe to store: nesting cut at MAX_PARAM_DEPTH, long strings and lists shortened."""
    if isinstance(value, str):
        return value if len(value) <= MAX_PARAM_STRING else value[:MAX_PARAM_STRING] + "…<cut>"
    if depth >= MAX_PARAM_DEPTH:
        return _TOO_DEEP if isinstance(value, (dict, list)) else value
    if isinstance(value, dict):
        return {str(k)[:256]: pruned(v, depth + 1) for k, v in list(value.items())[:4096]}
    if isinstance(value, list):
        return [pruned(v, depth + 1) for v in value[:4096]]
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


def as_dict(value: Any) -> dict[str, Any]:
    """The value when it is a JSON object, else an empty one (so lookups need no type checks)."""
    return value if isinstance(value, dict) else {}


def first_items(value: Any, label: str, warnings: list[str]) -> list[Any]:
    """The entries of a list value (at most MAX_LIST_ITEMS); [] with a warning for a non-list."""
    if value is None:
        return []
    if not isinstance(value, list):
        warnings.append(f"{label} is a {type(value).__name__}, not a list; ignored")
        return []
    if len(value) > MAX_LIST_ITEMS:
        warnings.append(f"{label} has {len(value)} entries; only the first {MAX_LIST_ITEMS} were read")
    return value[:MAX_LIST_ITEMS]


def as_text(value: Any, label: str, warnings: list[str], allow_numbers: bool = False) -> str | None:
    """A string value (None when absent, empty, not a string, or oversized)."""
    if value is None:
        return None
    if allow_numbers and isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        warnings.append(f"{label} is a {type(value).__name__}, not text; ignored")
        return None
    if len(value) > MAX_TEXT_CHARS:
        warnings.append(f"{label} is {len(value) // 1024} KiB long; not read")
        return None
    return value if value.strip() else None


def as_int(value: Any, label: str, warnings: list[str], minimum: int | None = None) -> int | None:
    """An integer value; numeric strings and whole floats count, booleans and junk do not."""
    if value is None or value == "":
        return None
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and math.isfinite(value) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and len(value) <= 40:
        text = value.strip()
        if re.fullmatch(r"[+-]?\d+", text):
            number = int(text)
        elif re.fullmatch(r"[+-]?\d+\.0*", text):
            number = int(float(text))
    if number is None or (minimum is not None and number < minimum):
        warnings.append(f"{label} {str(value)[:40]!r} is not a usable whole number; ignored")
        return None
    return number


def as_float(value: Any, label: str, warnings: list[str]) -> float | None:
    """A finite number value; numeric strings count, booleans and junk do not."""
    if value is None or value == "":
        return None
    number: float | None = None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str) and len(value) <= 40:
        try:
            number = float(value.strip())
        except ValueError:
            number = None
    if number is None or not math.isfinite(number):
        warnings.append(f"{label} {str(value)[:40]!r} is not a usable number; ignored")
        return None
    return round(number, 6)


def hash_ref(value: Any) -> tuple[str | None, str | None]:
    """A hash as written (`blake3:…`, `0x…`, upper case) -> (lowercase hex, kind); (None, None) if not hex."""
    if not isinstance(value, str) or len(value) > 200:
        return None, None
    text = value.strip()
    kind_hint = None
    prefix = _HASH_PREFIX.match(text)
    if prefix:
        kind_hint = prefix.group(1).lower()
        text = text[prefix.end() :]
    digest, kind = classify_hash(text)
    if digest is None:
        return None, None
    if kind_hint and kind_hint.startswith("blake3"):
        kind = "blake3"
    elif kind_hint == "random":
        kind = "random"
    return digest, kind


def resource(kind: str, name: str | None, hash_value: Any = None, **extra: Any) -> ResourceRef:
    """A ResourceRef with its hash normalized (see `hash_ref`)."""
    digest, hash_kind = hash_ref(hash_value)
    return ResourceRef(kind=kind, name=name, hash=digest, hash_kind=hash_kind, **extra)


def file_stem(name: str) -> str:
    """`loras/style/foo.safetensors` or `C:\\x\\foo.ckpt` -> `foo` (the corpus's LoRA naming)."""
    base = name.strip().replace("\\", "/").rsplit("/", 1)[-1]
    return _MODEL_EXT.sub("", base).strip()


def merge_lora(loras: list[ResourceRef], name: str | None, hash_value: Any = None, weight: float | None = None) -> None:
    """Add a LoRA by name (folder and extension dropped), filling hash/weight of a known one."""
    if not name or not file_stem(name):
        return
    stem = file_stem(name)
    digest, hash_kind = hash_ref(hash_value)
    for ref in loras:
        if ref.name is not None and ref.name.casefold() == stem.casefold():
            if ref.hash is None and digest:
                ref.hash, ref.hash_kind = digest, hash_kind
            if ref.weight is None and weight is not None:
                ref.weight = weight
            return
    loras.append(ResourceRef(kind=LORA, name=stem, hash=digest, hash_kind=hash_kind, weight=weight))


def prompt_loras(prompt: str | None) -> list[ResourceRef]:
    """LoRAs named by `<lora:name:weight>` tags in a prompt (the A1111 tag rules)."""
    if not prompt or "<" not in prompt:
        return []
    return [ref for ref in parse_infotext(prompt, "prompt").loras if ref.kind == LORA]
