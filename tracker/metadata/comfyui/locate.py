"""Where a file keeps ComfyUI's graphs, and reading their JSON within limits.

PNG files carry the executed API graph in the `prompt` text chunk and the editor's UI graph in
`workflow`; WebP, JPEG and AVIF saves put them in EXIF tags (`Model`/`Make` as
`prompt:{...}`/`workflow:{...}`, `ImageDescription`/`Make` as `Workflow: {...}`/`Prompt: {...}`,
or a `{"prompt": ..., "workflow": ...}` object in `UserComment`); some savers use the JPEG
comment. Graph JSON is untrusted: text that is too large, nested too deeply or invalid is skipped
with a warning, and where it was is remembered (the file is still ComfyUI's).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from tracker.metadata.fields import Fields

MAX_GRAPH_BYTES = 32 * 1024 * 1024
"""Graph text larger than this is skipped (real graphs are well under 1 MB)."""

_EXIF_TAGS = ("UserComment", "ImageDescription", "Make", "Model", "Software", "Artist", "Copyright", "XPComment")
_PREFIX = re.compile(r"^\s*(prompt|workflow)\s*:\s*", re.IGNORECASE)


@dataclass
class Found:
    """The graphs found in one file and where."""

    api: dict[str, Any] | None = None
    api_source: str | None = None
    workflow: dict[str, Any] | None = None
    workflow_source: str | None = None
    broken_source: str | None = None
    warnings: list[str] = field(default_factory=list)


def _load_json(text: str, where: str, found: Found) -> Any:
    """Parse graph JSON, or record why not (too big, too deep, invalid) and return None."""
    if len(text) > MAX_GRAPH_BYTES:
        found.warnings.append(f"{where}: graph JSON is {len(text) // 1024} KiB, larger than the limit; skipped")
        found.broken_source = found.broken_source or where
        return None
    try:
        return json.loads(text)
    except RecursionError:
        found.warnings.append(f"{where}: graph JSON is nested too deeply; skipped")
    except ValueError:
        found.warnings.append(f"{where}: graph JSON is not valid JSON; skipped")
    found.broken_source = found.broken_source or where
    return None


def _is_api_graph(obj: Any) -> bool:
    """An API graph: an object whose values include nodes with a class_type."""
    return isinstance(obj, dict) and any(
        isinstance(v, dict) and isinstance(v.get("class_type"), str) for v in obj.values()
    )


def _is_workflow(obj: Any) -> bool:
    """A UI workflow: an object with a `nodes` list."""
    return isinstance(obj, dict) and isinstance(obj.get("nodes"), list)


def _take(obj: Any, where: str, hint: str | None, found: Found) -> None:
    """File a parsed JSON value as API graph or workflow (unwrapping {"prompt", "workflow"})."""
    if isinstance(obj, dict) and hint is None and ("prompt" in obj or "workflow" in obj) and not _is_api_graph(obj):
        for key in ("prompt", "workflow"):
            inner = obj.get(key)
            if isinstance(inner, str) and inner.lstrip().startswith("{"):
                inner = _load_json(inner, f"{where}.{key}", found)
            _take(inner, where, key, found)
        return
    if _is_workflow(obj) and found.workflow is None:
        found.workflow, found.workflow_source = obj, where
    elif _is_api_graph(obj) and found.api is None:
        found.api, found.api_source = obj, where


def find_graphs(fields: Fields) -> Found:
    """Every place ComfyUI (or a saver node) is known to put its graphs, PNG chunks first."""
    found = Found()
    for key, text in fields.png.items():
        if key.lower() in ("prompt", "workflow") and isinstance(text, str) and text.lstrip().startswith("{"):
            obj = _load_json(text, f"png:{key}", found)
            _take(obj, f"png:{key}", key.lower(), found)
    for tag in _EXIF_TAGS:
        tag_text = fields.exif.get(tag)
        if not isinstance(tag_text, str):
            continue
        match = _PREFIX.match(tag_text)
        body = tag_text[match.end() :] if match else tag_text.strip()
        if not body.startswith("{"):
            continue
        head = body[:200000]
        if match is None and "class_type" not in head and "last_node_id" not in head and '"nodes"' not in head:
            continue  # some other tool's JSON (NovelAI, SwarmUI, ...)
        obj = _load_json(body, f"exif:{tag}", found)
        _take(obj, f"exif:{tag}", match.group(1).lower() if match else None, found)
    comment = fields.comment
    if found.api is None and comment and comment.lstrip().startswith("{") and '"class_type"' in comment[:200000]:
        where = fields.comment_source
        _take(_load_json(comment.strip(), where, found), where, None, found)
    return found
