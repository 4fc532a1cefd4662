"""Comparing a reader's result with the corpus manifest's `expected` block.

Shared by the conformance test and the reader comparison benchmark, so both judge the same
way: prompts by their first 40 normalised characters, floats with a small tolerance, `loras`,
`image_inputs` and `samplers` as unordered lists, fields listed in `unscored` skipped.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tracker.metadata.info import GenerationInfo

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
LIST_FIELDS = ("loras", "image_inputs", "samplers")


def manifest_entries() -> list[dict[str, Any]]:
    """Every manifest entry, or [] when ../shared/corpus is absent."""
    manifest = CORPUS / "manifest.json"
    return json.loads(manifest.read_text()) if manifest.is_file() else []


def snippet(text: str | None) -> str | None:
    """The manifest's prompt_start rule: whitespace collapsed, first 40 characters."""
    if not text:
        return None
    return " ".join(text.split())[:40] or None


def observed(info: GenerationInfo | None, stealth: str | None) -> dict[str, Any]:
    """Our reader's result in the manifest's vocabulary."""
    if info is None:
        return {"generator": "none", "stealth": stealth}
    return {
        "generator": info.generator,
        "stealth": stealth,
        "prompt_start": snippet(info.prompt),
        "negative_start": snippet(info.negative_prompt),
        "seed": info.seed,
        "steps": info.steps,
        "cfg": info.cfg,
        "sampler": info.sampler,
        "width": info.width,
        "height": info.height,
        "model": {"name": info.model.name, "hash": info.model.hash} if info.model else None,
        "vae": {"name": info.vae.name, "hash": info.vae.hash} if info.vae else None,
        "loras": [{"name": l.name, "hash": l.hash, "weight": l.weight} for l in info.loras],
        "image_inputs": [
            {"kind": t.kind, "module": t.module, "model": t.model, "weight": t.weight} for t in info.techniques
        ],
        "samplers": info.samplers or None,
    }


def _close(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(float(a) - float(b)) < 1e-4
    return a == b


def _sort_key(item: Any) -> str:
    if not isinstance(item, dict):
        return repr(item)
    return repr(sorted((str(k), str(v)) for k, v in item.items()))


def _same_list(want: list[Any] | None, have: list[Any] | None) -> bool:
    want_l = sorted(want or [], key=_sort_key)
    have_l = sorted(have or [], key=_sort_key)
    if len(want_l) != len(have_l):
        return False
    unmatched = list(have_l)
    for w in want_l:
        for h in unmatched:
            if isinstance(w, dict) and isinstance(h, dict) and all(_close(w.get(f), h.get(f)) for f in w):
                unmatched.remove(h)
                break
        else:
            return False
    return True


def compare(expected: dict[str, Any], got: dict[str, Any]) -> list[str]:
    """Differences between the manifest and a reader, one line each (empty: fully right)."""
    diffs = []
    skip = set(expected.get("unscored") or []) | {"generator_detail", "notes", "unscored", "unreadable"}
    for key, want in expected.items():
        if key in skip:
            continue
        have = got.get(key)
        if key in LIST_FIELDS:
            same = _same_list(want, have)
        elif isinstance(want, dict) and isinstance(have, dict):
            same = all(_close(want.get(f), have.get(f)) for f in want)
        else:
            same = _close(want, have)
        if not same:
            diffs.append(f"{key}: expected {want!r}, got {have!r}")
    return diffs
