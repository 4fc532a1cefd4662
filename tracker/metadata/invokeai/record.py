"""InvokeAI's entry point: which of its records the fields hold, read by the module for it.

In order: `invokeai_metadata` (a PNG chunk, or inside an EXIF `UserComment` JSON envelope) ->
`core_metadata`, falling back on the graph when the chunk is broken; `sd-metadata` or `Dream`
-> `sd_metadata`; `invokeai_graph` or `invokeai_workflow` alone -> `graph`.
"""

from __future__ import annotations

import json
from typing import Any

from tracker.metadata.fields import Fields
from tracker.metadata.info import GenerationInfo
from tracker.metadata.invokeai.core_metadata import read_core_metadata
from tracker.metadata.invokeai.graph import read_graph_only
from tracker.metadata.invokeai.sd_metadata import read_legacy
from tracker.metadata.jsonsafe import json_object, quiet_json_object

_GRAPH_KEYS = ("invokeai_graph", "invokeai_workflow")


def parse(fields: Fields) -> GenerationInfo | None:
    """The InvokeAI record when any of its keys is present, else None."""
    png = fields.png
    if "invokeai_metadata" in png:
        return _modern_from_text(png["invokeai_metadata"], "png:invokeai_metadata", png)
    envelope = quiet_json_object(fields.exif.get("UserComment"))
    if envelope is not None and "invokeai_metadata" in envelope:
        value = envelope["invokeai_metadata"]
        return _modern_from_text(value if isinstance(value, str) else _dumps(value), "exif:UserComment", {})
    if "sd-metadata" in png or "Dream" in png:
        return read_legacy(png.get("sd-metadata"), png.get("Dream"))
    if any(k in png for k in _GRAPH_KEYS):
        return read_graph_only(png)
    return None


def _dumps(value: Any) -> str:
    """A JSON object that arrived already decoded (inside an envelope), as text again."""
    try:
        return json.dumps(value)
    except (TypeError, ValueError, RecursionError):
        return ""


def _modern_from_text(text: object, source: str, png: dict[str, str]) -> GenerationInfo:
    """Parse `invokeai_metadata`; a broken chunk falls back on the graph, keeping the warning."""
    warnings: list[str] = []
    meta = json_object(text, "invokeai_metadata", warnings)
    if meta is None:
        graph_info = read_graph_only(png) if any(k in png for k in _GRAPH_KEYS) else None
        info = graph_info or GenerationInfo(generator="invokeai", source=source)
        info.warnings = warnings + info.warnings
        return info
    return read_core_metadata(meta, source, warnings)
