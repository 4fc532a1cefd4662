"""What a `tracker import` did: the counts of its summary, and the new images whose metadata breaks a rule.

Kept apart from the import itself (`posts.importing`): the report (`cli.importing`) reads these alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracker.accountability.rules import PROBLEM
from tracker.support.user_files import fs_text


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


@dataclass
class ImportSummary:
    """What an import did, for the report and the exit code. Every file lands in one of new_posts, more_pages
    (a new page of a post there, pixiv's `_p1`), without_post (archived, no post known), already_done (its
    post, or its image, was there) or failed; new_images counts the distinct images added (a copy adds none)."""

    files: int = 0
    new_images: int = 0
    new_posts: int = 0
    already_done: int = 0
    more_pages: int = 0
    without_post: int = 0
    missing_inputs: int = 0
    """New images made with image-input techniques (img2img, ControlNet, ...): record their inputs."""
    failed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    flagged: list[FlaggedImage] = field(default_factory=list)
    """New images with rule findings, in the order they were recorded."""
    without_post_files: list[str] = field(default_factory=list)
    """The files counted in without_post (`folder/x.png`): an owner finds out where each was posted."""

    def flagged_in_order(self) -> list[FlaggedImage]:
        """The new images with findings: those breaking a rule first, then those with warnings only."""
        return sorted(self.flagged, key=lambda item: item.problems == 0)

    def to_dict(self) -> dict[str, Any]:
        """The summary as plain data (`tracker import --json`)."""
        return {
            "files": self.files,
            "new_images": self.new_images,
            "new_posts": self.new_posts,
            "already_done": self.already_done,
            "more_pages": self.more_pages,
            "archived_without_post": self.without_post,
            "archived_without_post_files": self.without_post_files,
            "images_without_recorded_inputs": self.missing_inputs,
            "failed": self.failed,
            "warnings": self.warnings,
            "rule_findings": [item.to_dict() for item in self.flagged_in_order()],
        }
