"""Placeholder: the swarmui reader is being written; until then it recognises nothing."""

from __future__ import annotations

from tracker.metadata.fields import Fields
from tracker.metadata.info import GenerationInfo


def parse(fields: Fields) -> GenerationInfo | None:
    """The generation record when the fields are swarmui's, else None."""
    return None
