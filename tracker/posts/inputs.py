"""Input images: the file each image-input technique of a generated image was fed.

The owner's rule is that an input is only ever their own generation, an asset they own or license,
or something that cannot infringe. Recording the file (archived by content hash and hashed like a
post, so complaints are matched against it too), its kind and its licence lets them show it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from tracker.db.enums import InputKind
from tracker.errors import NotFoundError
from tracker.support.settings import Settings

if TYPE_CHECKING:  # the ORM only where it is used: `tracker show` reads its inputs as SQL rows (`posts.record`)
    from sqlalchemy.orm import Session

    from tracker.db.models import Image, ImageInput, Technique
    from tracker.platforms.urls import Platform

__all__ = [
    "KIND_LABELS",
    "inputs_dict",
    "named_in_metadata",
    "numbered_techniques",
    "inputs_of",
    "technique_dicts",
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


class InputTechnique(Protocol):
    """What the inputs' view reads of a technique: an ORM `Technique`, or a row `posts.record` read."""

    @property
    def id(self) -> int: ...
    @property
    def position(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def module(self) -> str | None: ...
    @property
    def model(self) -> str | None: ...
    @property
    def risk_class(self) -> str: ...
    @property
    def details(self) -> dict[str, Any]: ...


class InputFile(Protocol):
    """The stored image an input was: its name, hash and archived copy."""

    @property
    def original_name(self) -> str: ...
    @property
    def sha256(self) -> str: ...
    @property
    def archive_path(self) -> str: ...


class RecordedInput(Protocol):
    """What the inputs' view reads of a recorded input: an ORM `ImageInput`, or a row `posts.record` read."""

    @property
    def id(self) -> int: ...
    @property
    def technique_id(self) -> int | None: ...
    @property
    def kind(self) -> InputKind: ...
    @property
    def licence(self) -> str | None: ...
    @property
    def note(self) -> str | None: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def input_image(self) -> InputFile: ...


T = TypeVar("T", bound=InputTechnique)
U = TypeVar("U", bound=RecordedInput)


def resolve_image(session: Session, key: str, platforms: Mapping[str, Platform]) -> tuple[Image, str]:
    """The generated image a command is about: `image:N`, or a post (number or URL), as `by_key.image_key`
    finds it (`tracker input add`). Returns (image, label)."""
    from tracker.db.models import Image
    from tracker.posts.by_key import image_key

    image_id, label = image_key(session, key, platforms)
    image = session.get(Image, image_id)
    if image is None:  # removed since it was found
        raise NotFoundError(f"no image {key!r}")
    return image, label


def inputs_of(session: Session, image: Image) -> list[tuple[int, Technique, list[ImageInput]]]:
    """Every technique of an image (numbered from 1) with the inputs recorded for it."""
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from tracker.db.models import ImageInput

    uses = session.scalars(
        select(ImageInput).where(ImageInput.image_id == image.id).options(selectinload(ImageInput.input_image))
    ).all()
    return numbered_techniques(image.techniques, uses)


def numbered_techniques(techniques: Iterable[T], uses: Iterable[U]) -> list[tuple[int, T, list[U]]]:
    """An image's techniques in their order, numbered from 1, each with the inputs recorded for it (`uses`,
    in the order read), however they were read."""
    by_technique: dict[int | None, list[U]] = {}
    for use in uses:
        by_technique.setdefault(use.technique_id, []).append(use)
    ordered = sorted(techniques, key=lambda t: t.position)
    return [(n, t, by_technique.get(t.id, [])) for n, t in enumerate(ordered, 1)]


def missing_inputs(session: Session, image: Image) -> int:
    """How many of an image's techniques have no input recorded."""
    return sum(1 for _, _, uses in inputs_of(session, image) if not uses)


def named_in_metadata(technique: InputTechnique) -> list[str]:
    """The input files the generator wrote down for a technique (a ComfyUI `LoadImage`'s file name), at
    most eight: the only trace of which picture was the input until the owner records it."""
    images = (technique.details or {}).get("images")
    if not isinstance(images, list):
        return []  # A1111's FABRIC counts its images, naming none
    return [str(name)[:200] for name in images if isinstance(name, str) and name.strip()][:8]


def inputs_dict(session: Session, image: Image, settings: Settings) -> list[dict[str, Any]]:
    """The techniques of an image with their inputs, as plain data (`tracker inputs --json`, the TUI)."""
    return technique_dicts(inputs_of(session, image), settings)


def technique_dicts(
    numbered: Iterable[tuple[int, InputTechnique, Sequence[RecordedInput]]], settings: Settings
) -> list[dict[str, Any]]:
    """`inputs_dict` of techniques already numbered with their inputs (`numbered_techniques`)."""
    out = []
    for n, technique, uses in numbered:
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
