"""The owner's non-commercial rule: which models' licences break it, and the exceptions to it.

The owner keeps to models whose licence does not allow commercial use (NovelAI, a service, being
their one exception). Plain logic over what is recorded of each resource: no database access, so
`tracker status` and the reports can judge rows however they were read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


class LicensedResource(Protocol):
    """What the rule reads of a resource (an ORM `Resource` or a row of the `resource` table)."""

    kind: str
    name: str | None
    hash: str | None
    commercial: str | None


COMMERCIAL = ("yes", "no", "unknown")
LICENSED_KINDS = ("checkpoint", "lora", "lycoris", "locon", "embedding", "hypernetwork")
"""Kinds whose licence the non-commercial rule looks at (models one downloads and could have chosen)."""


@dataclass(frozen=True)
class Exceptions:
    """Models the non-commercial rule does not apply to: NovelAI images, and the owner's own list."""

    names: tuple[str, ...] = ()
    generators: tuple[str, ...] = ("novelai",)

    @classmethod
    def load(cls, data_dir: Path) -> Exceptions:
        """`commercial-exceptions.txt` in the data folder: one model name or hash per line (# comments)."""
        try:
            text = (data_dir / "commercial-exceptions.txt").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return cls()
        names = tuple(
            line.strip().lower() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")
        )
        return cls(names=names)

    def covers(self, resource: LicensedResource, generator: str | None) -> bool:
        return generator in self.generators or self.lists(resource)

    def lists(self, resource: LicensedResource) -> bool:
        """Whether the owner's exception list names this resource (by name or hash)."""
        keys = {(resource.name or "").lower(), (resource.hash or "").lower()}
        return any(name in keys for name in self.names)


def licence_problem(resource: LicensedResource) -> str | None:
    """Why a resource breaks the non-commercial rule: 'commercial', 'unknown', or None when it keeps it."""
    if resource.kind not in LICENSED_KINDS:
        return None
    if resource.commercial == "yes":
        return "commercial"
    if resource.commercial == "no":
        return None
    return "unknown"


def licence_findings(
    resources: Iterable[LicensedResource], generator: str | None, exceptions: Exceptions
) -> list[dict[str, str]]:
    """The non-commercial rule on one image's models: a finding per model that breaks it (show, the TUI)."""
    out = []
    for resource in resources:
        if exceptions.covers(resource, generator):
            continue
        problem = licence_problem(resource)
        name = resource.name or resource.hash or "an unnamed model"
        if problem == "commercial":
            out.append(
                {
                    "code": "COMMERCIAL_MODEL",
                    "severity": "problem",
                    "message": f"{resource.kind} {name}: its licence allows commercial use (your rule: non-commercial)",
                }
            )
        elif problem == "unknown":
            out.append(
                {
                    "code": "LICENCE_UNKNOWN",
                    "severity": "warning",
                    "message": f"{resource.kind} {name}: licence not recorded "
                    "(tracker resource set, or tracker resource lookup)",
                }
            )
    return out
