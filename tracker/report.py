"""Posts as plain data: the stable `--json` form and the source of the human report.

The dict built here is the documented JSON output of `tracker posts --json` and
`tracker show --json` (see README, "JSON output"); the CLI's text output is drawn from it, so
both always say the same thing.
"""

from __future__ import annotations

from typing import Any

from tracker.db.models import Event, Image, Post
from tracker.metadata.info import CHECKPOINT, EMBEDDING, LORA, VAE

JSON_VERSION = 1


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _resources(image: Image) -> dict[str, Any]:
    model = None
    vae = None
    loras: list[dict[str, Any]] = []
    embeddings: list[dict[str, Any]] = []
    others: list[dict[str, Any]] = []
    for use in image.resources:
        res = use.resource
        item = {
            "kind": res.kind,
            "name": res.name,
            "hash": res.hash,
            "hash_kind": res.hash_kind,
            "weight": use.weight,
            "role": use.role,
            "creator": res.creator,
            "source_url": res.source_url,
            "licence_note": res.licence_note,
        }
        if res.kind == CHECKPOINT and use.role is None and model is None:
            model = item
        elif res.kind == VAE and use.role is None and vae is None:
            vae = item
        elif res.kind == LORA:
            loras.append(item)
        elif res.kind == EMBEDDING:
            embeddings.append(item)
        else:
            others.append(item)
    return {"model": model, "vae": vae, "loras": loras, "embeddings": embeddings, "other_resources": others}


def credits_line(model: dict[str, Any] | None, loras: list[dict[str, Any]]) -> str | None:
    """A ready-to-paste credits line for the post text: `Model: ...; LoRAs: a, b`."""
    if model is None:
        return None
    name = model["name"] or (f"hash {model['hash']}" if model["hash"] else None)
    if name is None:
        return None
    line = f"Model: {name}"
    names = [lora["name"] for lora in loras if lora["name"]]
    if names:
        line += "; LoRAs: " + ", ".join(dict.fromkeys(names))
    return line


def image_dict(image: Image, full: bool = False) -> dict[str, Any]:
    """An image with its parsed generation summary; `full` adds the raw metadata."""
    resources = _resources(image)
    generation = image.generation or {}
    out: dict[str, Any] = {
        "id": image.id,
        "sha256": image.sha256,
        "original_name": image.original_name,
        "archive_path": image.archive_path,
        "format": image.format,
        "width": image.width,
        "height": image.height,
        "size_bytes": image.size_bytes,
        "phash": image.phash.hex(),
        "dhash": image.dhash.hex(),
        "generator": image.generator,
        "generator_version": generation.get("generator_version"),
        "metadata_source": generation.get("source"),
        **resources,
        "techniques": [
            {
                "kind": t.kind,
                "unit": t.unit,
                "module": t.module,
                "model": t.model,
                "model_hash": t.model_hash,
                "weight": t.weight,
                "risk_class": t.risk_class,
                "risk_note": t.risk_note,
            }
            for t in image.techniques
        ],
        "credits": credits_line(resources["model"], resources["loras"]),
    }
    if full:
        out["generation"] = image.generation
        out["raw_metadata"] = image.raw_metadata
    return out


def event_dict(event: Event) -> dict[str, Any]:
    """One audit entry."""
    return {
        "id": event.id,
        "at": _iso(event.at),
        "entity": event.entity,
        "entity_id": event.entity_id,
        "action": event.action,
        "changes": event.changes,
        "command": event.command,
    }


def post_dict(post: Post, full: bool = False, events: list[Event] | None = None) -> dict[str, Any]:
    """A post, its account, persona and image; `full` adds raw metadata and the audit trail."""
    out: dict[str, Any] = {
        "id": post.id,
        "url": post.url,
        "platform": post.platform,
        "platform_post_id": post.platform_post_id,
        "title": post.title,
        "posted_at": _iso(post.posted_at),
        "status": post.status.value,
        "status_changed_at": _iso(post.status_changed_at),
        "logged_at": _iso(post.logged_at),
        "persona": post.account.persona.name,
        "account": {
            "id": post.account.id,
            "platform": post.account.platform,
            "handle": post.account.handle,
            "profile_url": post.account.profile_url,
        },
        "image": image_dict(post.image, full=full),
    }
    if events is not None:
        out["events"] = [event_dict(e) for e in events]
    return out
