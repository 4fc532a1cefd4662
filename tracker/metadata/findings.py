"""The owner's own rules, checked against what an image's metadata says.

From `ethical-practices.txt`: every posted image keeps its metadata ("if an image i post has
no metadata, that means i screwed something up"), no artist names in prompts, input images
only when owned or licensed, identity modules (InstantID, PhotoMaker, FaceID) are "a major
abuse risk", and models and LoRAs are credited so complainants can reach their creators.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracker.metadata.info import GenerationInfo
from tracker.risk import RiskTable

PROBLEM = "problem"
WARNING = "warning"

_ARTIST_PATTERNS = [
    re.compile(r"\bartist\s*:\s*[^,\n{}\[\]()]+", re.IGNORECASE),
    re.compile(r"\b(?:in the style of|art by|drawn by|painted by|illustrated by)\s+[^,\n]+", re.IGNORECASE),
    re.compile(r"[\w.\- ]+\s*\\?\(artist\\?\)", re.IGNORECASE),
]


@dataclass(frozen=True)
class Finding:
    """One breach (or possible breach) of the owner's rules."""

    code: str
    severity: str
    message: str


def artist_mentions(prompt: str | None) -> list[str]:
    """Phrases in a prompt that name an artist (NovelAI `artist:` tags, `by ...`, `x (artist)`)."""
    found: list[str] = []
    for pattern in _ARTIST_PATTERNS:
        for match in pattern.finditer(prompt or ""):
            text = match.group(0).strip()
            if text and text not in found:
                found.append(text)
    return found


def check_rules(info: GenerationInfo | None, risks: RiskTable) -> list[Finding]:
    """Every rule the image's metadata breaks or puts in doubt, most serious first."""
    if info is None:
        return [
            Finding(
                "no_metadata",
                PROBLEM,
                "no generation metadata found: the owner promised every post keeps its metadata",
            )
        ]
    findings: list[Finding] = []
    for technique in info.techniques:
        verdict = risks.classify(technique.kind, technique.module, technique.model)
        what = " / ".join(x for x in (technique.kind, technique.module, technique.model) if x)
        if verdict.risk == "identity":
            findings.append(Finding("identity_input", PROBLEM, f"identity input used ({what}): {verdict.note}"))
        else:
            findings.append(
                Finding(
                    "input_image",
                    WARNING,
                    f"an input image was used ({what}, risk {verdict.risk}): record that it was your own or licensed",
                )
            )
    characters = info.params.get("characters")
    prompts = [info.prompt]
    if isinstance(characters, list):
        prompts += [c.get("prompt") for c in characters if isinstance(c, dict)]
    for prompt in prompts:
        for mention in artist_mentions(prompt if isinstance(prompt, str) else None):
            findings.append(Finding("artist_name", PROBLEM, f"artist name in the prompt: {mention!r}"))
    if info.model is None or info.model.name is None:
        findings.append(Finding("model_unnamed", WARNING, "the model is not named in the metadata"))
    elif info.model.hash is None:
        findings.append(Finding("model_hash_missing", WARNING, f"model {info.model.name!r} has no hash"))
    for lora in info.loras:
        if lora.hash is None:
            findings.append(
                Finding("lora_hash_missing", WARNING, f"LoRA {lora.name!r} has no hash: its creator is harder to find")
            )
    order = {PROBLEM: 0, WARNING: 1}
    return sorted(findings, key=lambda f: order.get(f.severity, 2))
