"""Recording the file an image-input technique was fed: read, archived by content hash and hashed.

The input is stored like a posted image (so `tracker match` and complaint triage find a post through
its input), and linked to the technique it went into, with its kind and licence. Its file name is kept
for the persona as a logged file's is (`file_names`): the same picture given again under another name
is one more local file the persona's burn-down lists.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from tracker.accountability.report import ReportContext
from tracker.archive import store as archive
from tracker.archive.refs import referenced_by, remove_unnamed
from tracker.db.enums import InputKind
from tracker.db.models import Image, ImageInput, Technique
from tracker.db.session import session_scope
from tracker.errors import ConflictError, UsageError
from tracker.metadata.reader import ImageReading, read_image
from tracker.platforms.urls import Platform
from tracker.posts.file_names import remember_name
from tracker.posts.inputs import resolve_image
from tracker.posts.log import ImageFacts, make_image_row
from tracker.support.settings import Settings
from tracker.support.user_files import fs_text


def _technique(image: Image, number: int | None, label: str) -> tuple[int, Technique]:
    """The technique an input goes to, with its number (from 1, in metadata order)."""
    techniques = sorted(image.techniques, key=lambda t: t.position)
    if not techniques:
        raise UsageError(f"{label} has no image-input technique in its metadata (img2img, ControlNet, ...)")
    if number is None:
        if len(techniques) == 1:
            return 1, techniques[0]
        listed = ", ".join(f"{n} {t.kind}" for n, t in enumerate(techniques, 1))
        raise UsageError(
            f"{label} has {len(techniques)} image-input techniques ({listed}): say which with --technique N"
        )
    if not 1 <= number <= len(techniques):
        raise UsageError(f"{label} has techniques 1 to {len(techniques)}; there is no technique {number}")
    return number, techniques[number - 1]


def add_input(
    factory: sessionmaker[Session],
    settings: Settings,
    target: str,
    technique: int | None,
    file: Path,
    kind: InputKind,
    platforms: Mapping[str, Platform],
    ctx: ReportContext,
    licence: str | None = None,
    note: str | None = None,
) -> tuple[int, str]:
    """Record what one technique of a generated image was fed, in one transaction; returns (input id, label)."""
    licence = licence.strip() if licence and licence.strip() else None
    if kind is InputKind.LICENSED and licence is None:
        raise UsageError("a licensed asset needs its licence: --licence TEXT_OR_URL")
    reading = read_image(file)
    with archive.writing(settings.archive_dir, referenced_by(factory)):
        return _add_input(factory, settings, target, technique, reading, kind, platforms, ctx, licence, note)


def _add_input(
    factory: sessionmaker[Session],
    settings: Settings,
    target: str,
    number: int | None,
    reading: ImageReading,
    kind: InputKind,
    platforms: Mapping[str, Platform],
    ctx: ReportContext,
    licence: str | None,
    note: str | None,
) -> tuple[int, str]:
    created: str | None = None
    try:
        with session_scope(factory, command="input add") as session:
            image, label = resolve_image(session, target, platforms)
            position, technique = _technique(image, number, label)
            if reading.sha256 == image.sha256:
                raise UsageError("that file is the generated image itself, not its input")
            source = session.scalar(select(Image).where(Image.sha256 == reading.sha256))
            if source is None:
                rel, new = archive.store(settings.archive_dir, reading.sha256, reading.format, reading.data)
                created = rel if new else None
                source = make_image_row(session, ImageFacts.from_reading(reading), rel, ctx, image.persona)
            if image.persona is not None:  # a copy under another name is one more local file to burn down
                remember_name(session, source, image.persona, fs_text(reading.path.name))
            use = ImageInput(
                image=image,
                technique=technique,
                input_image=source,
                kind=kind,
                licence=licence,
                note=note.strip() if note and note.strip() else None,
            )
            session.add(use)
            session.flush()
            return use.id, f"{label}, technique {position} ({technique.kind})"
    except IntegrityError:
        if created:
            archive.remove(settings.archive_dir, created)
        raise ConflictError("that input is already recorded for this technique") from None
    except BaseException:  # a Ctrl+C may come after the commit: what the rows name stays
        remove_unnamed(factory, settings.archive_dir, [created] if created else [])
        raise
