"""Conformance on real images: every A1111, Forge and NovelAI file of ../shared/corpus.

The manifest's `expected` block says what a correct reader returns; this test reads each file
in place (never copying it) and compares field by field, skipping fields marked `unscored`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import CORPUS, corpus_manifest

from tracker.metadata.info import GenerationInfo
from tracker.metadata.reader import read_image

LABELS = ("a1111", "forge", "novelai")


def _entries() -> list[dict[str, Any]]:
    manifest = CORPUS / "manifest.json"
    if not manifest.is_file():
        return []
    import json

    return [e for e in json.loads(manifest.read_text()) if e["expected"].get("generator") in LABELS]


def _snippet(text: str | None) -> str | None:
    if not text:
        return None
    return " ".join(text.split())[:40] or None


def _close(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and abs(float(a) - float(b)) < 1e-4
    return a == b


def observed(info: GenerationInfo | None, stealth: str | None) -> dict[str, Any]:
    """The reader's result in the manifest's vocabulary."""
    if info is None:
        return {"generator": "none", "stealth": stealth}
    return {
        "generator": info.generator,
        "stealth": stealth,
        "prompt_start": _snippet(info.prompt),
        "negative_start": _snippet(info.negative_prompt),
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
    }


def _sort_key(item: dict[str, Any]) -> str:
    return repr(sorted((k, str(v)) for k, v in item.items()))


def compare(expected: dict[str, Any], got: dict[str, Any]) -> list[str]:
    """Differences between the manifest and the reader, one line each."""
    diffs = []
    skip = set(expected.get("unscored") or [])
    for key, want in expected.items():
        if key in skip or key not in got:
            continue
        have = got[key]
        if key in ("loras", "image_inputs"):
            want_l = sorted(want or [], key=_sort_key)
            have_l = sorted(have or [], key=_sort_key)
            same = len(want_l) == len(have_l) and all(
                all(_close(w.get(f), h.get(f)) for f in w) for w, h in zip(want_l, have_l, strict=True)
            )
        elif isinstance(want, dict) and isinstance(have, dict):
            same = all(_close(want.get(f), have.get(f)) for f in want)
        else:
            same = _close(want, have)
        if not same:
            diffs.append(f"{key}: expected {want!r}, got {have!r}")
    return diffs


@pytest.mark.parametrize("entry", _entries() or [None], ids=lambda e: e["file"].rsplit("/", 1)[-1] if e else "none")
def test_corpus_file(entry: dict[str, Any] | None) -> None:
    if entry is None:
        corpus_manifest()  # skips with the reason when the corpus is absent
        pytest.skip("no A1111/Forge/NovelAI entries in the manifest")
    path = Path(CORPUS / entry["file"])
    reading = read_image(path)
    got = observed(reading.info, reading.stealth.signature if reading.stealth else None)
    diffs = compare(entry["expected"], got)
    assert not diffs, "\n".join(diffs)
