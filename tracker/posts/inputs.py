"""Input images: the file each image-input technique of a generated image was fed.

The owner's rule is that an input is only ever their own generation, an asset they own or license,
or something that cannot infringe. Recording the file (archived by content hash and hashed like a
post, so complaints are matched against it too), its kind and its licence lets them show it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.db.enums import InputKind
from tracker.db.models import Image, ImageInput, Post, Technique
from tracker.errors import NotFoundError
from tracker.platforms.urls import Platform
from tracker.posts.lookup import find_post
from tracker.support.settings import Settings

__all__ = [
    "KIND_LABELS",
    "InputUse",
    "input_uses",
    "inputs_dict",
    "named_in_metadata",
    "inputs_of",
    "missing_inputs",
    "resolve_image",
]

KIND_LABELS: dict[InputKind, str] = {
    InputKind.OWN_GENERATION: "my own generation",
    InputKind.OWN_ASSET: "an asset I own",
    InputKind.COMMISSIONED: "commissioned, with the rights",
    InputKind.LICENSED: "a licensed asset",
    InputKind.GENERIC: "a generic asset that cannot infringe (pose skeleton, ...)",
}


def resolve_image(session: Session, key: str, platforms: Mapping[str, Platform]) -> tuple[Image, str]:
    """The generated image a command is about: `image:N`, or a post (number or URL). Returns (image, label)."""
    if key.startswith("image:"):
        number = key.removeprefix("image:")
        image = session.get(Image, int(number)) if number.isdigit() else None
        if image is None:
            raise NotFoundError(f"no image {key!r}")
        return image, f"image #{image.id}"
    post = find_post(session, key, platforms)
    return post.image, f"post #{post.id}"


def inputs_of(session: Session, image: Image) -> list[tuple[int, Technique, list[ImageInput]]]:
    """Every technique of an image (numbered from 1) with the inputs recorded for it."""
    uses = session.scalars(
        select(ImageInput).where(ImageInput.image_id == image.id).options(selectinload(ImageInput.input_image))
    ).all()
    by_technique: dict[int | None, list[ImageInput]] = {}
    for use in uses:
        by_technique.setdefault(use.technique_id, []).append(use)
    techniques = sorted(image.techniques, key=lambda t: t.position)
    return [(n, t, by_technique.get(t.id, [])) for n, t in enumerate(techniques, 1)]


def missing_inputs(session: Session, image: Image) -> int:
    """How many of an image's techniques have no input recorded."""
    return sum(1 for _, _, uses in inputs_of(session, image) if not uses)


@dataclass(frozen=True)
class InputUse:
    """A stored image that was the input of a technique of another image, and that image's posts."""

    input_image_id: int
    image_id: int
    technique: str
    kind: str
    post_ids: tuple[int, ...]


def input_uses(session: Session, input_image_ids: Iterable[int]) -> dict[int, list[InputUse]]:
    """For stored images, the generated images (and their posts) each was fed into."""
    ids = sorted(set(input_image_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(ImageInput.input_image_id, ImageInput.image_id, Technique.kind, ImageInput.kind)
        .outerjoin(Technique, Technique.id == ImageInput.technique_id)
        .where(ImageInput.input_image_id.in_(ids))
        .order_by(ImageInput.id)
    ).all()
    posts: dict[int, list[int]] = {}
    for post_id, image_id in session.execute(
        select(Post.id, Post.image_id).where(Post.image_id.in_([r[1] for r in rows])).order_by(Post.id)
    ):
        posts.setdefault(image_id, []).append(post_id)
    out: dict[int, list[InputUse]] = {}
    for input_id, image_id, technique, kind in rows:
        use = InputUse(input_id, image_id, technique or "image input", str(kind), tuple(posts.get(image_id, [])))
        out.setdefault(input_id, []).append(use)
    return out


def named_in_metadata(technique: Technique) -> list[str]:
    """The input files the generator wrote down for a technique (a ComfyUI `LoadImage`'s file name), at
    most eight: the only trace of which picture was the input until the owner records it."""
    images = (technique.details or {}).get("images")
    if not isinstance(images, list):
        return []  # A1111's FABRIC counts its images, naming none
    return [str(name)[:200] for name in images if isinstance(name, str) and name.strip()][:8]


def inputs_dict(session: Session, image: Image, settings: Settings) -> list[dict[str, Any]]:
    """The techniques of an image with their inputs, as plain data (`tracker inputs --json`, the TUI)."""
    out = []
    for n, technique, uses in inputs_of(session, image):
        out.append(
            {
                "technique": n,
                "kind": technique.kind,
                "module": technique.module,
                "model": technique.model,
                "risk_class": technique.risk_class,
                "named_in_metadata": named_in_metadata(technique),
                "inputs": [
                    {
                        "id": use.id,
                        "kind": use.kind.value,
                        "kind_label": KIND_LABELS[use.kind],
                        "licence": use.licence,
                        "note": use.note,
                        "file": use.input_image.original_name,
                        "sha256": use.input_image.sha256,
                        "archive_file": str(settings.archive_dir / use.input_image.archive_path),
                        "recorded_at": use.created_at.isoformat(),
                    }
                    for use in uses
                ],
            }
        )
    return out
