"""The accountability report: what made an image, which inputs it used, and which rules it breaks.

One builder serves `tracker inspect` (a file on disk), `tracker log` and `tracker show` (a
stored image), so the text and JSON reports always agree. Resources are matched against the
owner's scanned model files (`tracker models scan`) to show the local file behind each hash and
to flag a name that does not match the file behind its hash.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker.accountability.risk import RiskTable
from tracker.accountability.rules import NAME_MISMATCH, WARNING, Finding, RuleLists, check_rules
from tracker.metadata.info import EMBEDDING, LORA, GenerationInfo, ResourceRef, TechniqueRef
from tracker.metadata.novelai import model_credit

if TYPE_CHECKING:
    from tracker.metadata.reader import ImageReading

LocalLookup = Callable[[ResourceRef], Path | None]
"""Finds the local model file behind a resource's hash, or None."""


@dataclass(frozen=True)
class ReportContext:
    """What a report needs besides the metadata: the risk table, the user's lists, the model registry."""

    risks: RiskTable
    lists: RuleLists = field(default_factory=RuleLists)
    local_file: LocalLookup | None = None
    key: str = ""
    """A digest of everything above (see `context_key`): reports kept under another key are stale."""


REPORT_FORMAT = 3
"""Bumped whenever `build_report` would say something different of the same image and context."""


def context_key(risk_table: bytes, lists: RuleLists, model_files: object) -> str:
    """The digest a kept report is filed under: tracker's report format, the risk table file's
    bytes, the user's lists and a stamp of the scanned model files (`model_files`: any value that
    changes when they do)."""
    from hashlib import sha256

    from tracker import __version__

    parts = (__version__, REPORT_FORMAT, risk_table.hex(), lists.artists, lists.allowed_models, repr(model_files))
    return sha256(repr(parts).encode()).hexdigest()


def _stem(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    for ext in (".safetensors", ".ckpt", ".pt", ".pth", ".bin", ".gguf"):
        if base.lower().endswith(ext):
            return base[: -len(ext)]
    return base


def _resource(ref: ResourceRef, ctx: ReportContext, findings: list[Finding]) -> dict[str, Any]:
    local = ctx.local_file(ref) if ctx.local_file and ref.hash else None
    item: dict[str, Any] = {
        "kind": ref.kind,
        "name": ref.name,
        "hash": ref.hash,
        "hash_kind": ref.hash_kind,
        "weight": ref.weight,
        "role": ref.role,
        "local_file": str(local) if local else None,
    }
    if local is not None and ref.name and _stem(ref.name).lower() != _stem(local.name).lower():
        findings.append(
            Finding(
                NAME_MISMATCH,
                WARNING,
                f"{ref.kind} {ref.name!r} has hash {ref.hash}, which is your file {local.name!r}: renamed or swapped?",
            )
        )
    return item


def credits_line(
    model: dict[str, Any] | None, loras: list[dict[str, Any]], model_name: str | None = None
) -> str | None:
    """A ready-to-paste credits line for the post text: `Model: ...; LoRAs: a, b`.

    `model_name` is the name to credit when the generator names its model apart from the file's
    model field (NovelAI: `NAI Diffusion V3`, not the `Stable Diffusion XL` its Source says).
    """
    if model is None:
        return None
    name = model_name or model["name"] or (f"hash {model['hash']}" if model["hash"] else None)
    if name is None:
        return None
    line = f"Model: {name}"
    names = [lora["name"] for lora in loras if lora["name"]]
    if names:
        line += "; LoRAs: " + ", ".join(dict.fromkeys(names))
    return line


def build_report(
    info: GenerationInfo | None,
    ctx: ReportContext,
    problems: Iterable[str] = (),
    hidden_signature: str | None = None,
) -> dict[str, Any]:
    """The report as plain data (the documented JSON form; see README, "Accountability report")."""
    findings = check_rules(info, ctx.risks, ctx.lists, problems)
    report: dict[str, Any] = {
        "generator": None,
        "generator_version": None,
        "generator_variant": None,
        "metadata_source": None,
        "hidden_metadata": hidden_signature,
        "prompt": None,
        "negative_prompt": None,
        "seed": None,
        "steps": None,
        "sampler": None,
        "scheduler": None,
        "cfg": None,
        "width": None,
        "height": None,
        "model": None,
        "vae": None,
        "loras": [],
        "embeddings": [],
        "other_resources": [],
        "techniques": [],
        "credits": None,
    }
    if info is not None:
        extra: list[Finding] = []
        others = [r for r in info.resources() if r is not info.model and r is not info.vae]
        report.update(
            generator=info.generator,
            generator_version=info.generator_version,
            generator_variant=info.generator_variant,
            metadata_source=info.source,
            prompt=info.prompt,
            negative_prompt=info.negative_prompt,
            seed=info.seed,
            steps=info.steps,
            sampler=info.sampler,
            scheduler=info.scheduler,
            cfg=info.cfg,
            width=info.width,
            height=info.height,
            model=_resource(info.model, ctx, extra) if info.model else None,
            vae=_resource(info.vae, ctx, extra) if info.vae else None,
            loras=[_resource(r, ctx, extra) for r in others if r.kind == LORA],
            embeddings=[_resource(r, ctx, extra) for r in others if r.kind == EMBEDDING],
            other_resources=[_resource(r, ctx, extra) for r in others if r.kind not in (LORA, EMBEDDING)],
        )
        report["techniques"] = [_technique(t, ctx.risks) for t in info.techniques]
        report["credits"] = credits_line(report["model"], report["loras"], model_credit(info))
        findings += extra
    report["findings"] = [f.__dict__ for f in findings]
    return report


def _technique(technique: TechniqueRef, risks: RiskTable) -> dict[str, Any]:
    verdict = risks.classify(technique.kind, technique.module, technique.model)
    risk_class = risks.classes.get(verdict.risk)
    return {
        "kind": technique.kind,
        "unit": technique.unit,
        "module": technique.module,
        "model": technique.model,
        "model_hash": technique.model_hash,
        "weight": technique.weight,
        "risk_class": verdict.risk,
        "risk_label": risk_class.label if risk_class else verdict.risk,
        "risk_note": verdict.note,
    }


def file_report(path: Path, reading: ImageReading, ctx: ReportContext) -> dict[str, Any]:
    """The report of an image file as read (`tracker inspect`): the file's facts, then its report."""
    signature = reading.stealth.signature if reading.stealth else None
    head = {
        "file": str(path),
        "sha256": reading.sha256,
        "format": reading.format,
        "image_width": reading.width,
        "image_height": reading.height,
    }
    return {**head, **build_report(reading.info, ctx, reading.problems, signature)}
