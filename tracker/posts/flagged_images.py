"""The new images of a `tracker import` that break the owner's rules or put them in doubt, as the summary names them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tracker.accountability.rules import PROBLEM
from tracker.support.user_files import fs_text

__all__ = ["FlaggedImage"]


@dataclass(frozen=True)
class FlaggedImage:
    """A newly imported image whose metadata breaks the owner's rules or puts them in doubt.

    The findings are those stored with the image (the `rule` lines of `tracker log` and `show`),
    problems first: computed while the image was recorded, never read again.
    """

    file: str
    """The file as it was found (`folder/a/x.png`), non-UTF-8 bytes as `\\xNN`."""
    post_url: str | None
    sha256: str
    findings: tuple[dict[str, Any], ...]

    @classmethod
    def of(cls, path: Path, post_url: str | None, sha256: str, findings: list[Any]) -> FlaggedImage:
        kept = [f for f in findings if isinstance(f, dict)]
        ordered = sorted(kept, key=lambda f: f.get("severity") != PROBLEM)  # stable: the report's order within each
        return cls(fs_text(path), post_url, sha256, tuple(ordered))

    @property
    def problem_findings(self) -> list[dict[str, Any]]:
        return [f for f in self.findings if f.get("severity") == PROBLEM]

    @property
    def warning_findings(self) -> list[dict[str, Any]]:
        return [f for f in self.findings if f.get("severity") != PROBLEM]

    @property
    def problems(self) -> int:
        return len(self.problem_findings)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "post_url": self.post_url,
            "sha256": self.sha256,
            "problems": self.problems,
            "warnings": len(self.findings) - self.problems,
            "findings": [
                {"code": f.get("code"), "severity": f.get("severity"), "message": f.get("message")}
                for f in self.findings
            ],
        }
