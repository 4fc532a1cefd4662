"""Logging many images at once: the use case behind `tracker import`.

1. The files are listed and their sha256 taken (cheap next to decoding); files whose image is
   already archived, and whose post (if any) is already logged, are done and skipped, which is
   what makes a second run add nothing and a killed run resumable.
2. The remaining files are read, hashed and copied into the archive by a pool of worker
   processes (one per core): decoding is the expensive part and runs in parallel.
3. This process writes the database in batches, one transaction each; a record that fails
   (a URL logged for another image, ...) is reported and skipped without losing its batch.

The post of each image comes from a gallery-dl sidecar, or `--url-template`, or there is none
and the image is archived for the persona without a post (`sidecars.post_for_image`).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from tracker import archive
from tracker.accountability import ReportContext
from tracker.config import Settings
from tracker.db.models import Image, Persona, Post, PostStatus
from tracker.db.session import session_scope
from tracker.errors import TrackerError, UsageError
from tracker.platforms import Platform, parse_post_url
from tracker.posts import GLOBAL_POST_IDS, ImageFacts, make_image_row, resolve_account
from tracker.sidecars import SidecarPost, check_url_template, post_for_image
from tracker.textsafe import safe_text

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".jfif", ".webp", ".gif", ".tif", ".tiff", ".bmp", ".avif"})
BATCH = 64
"""Images written per database transaction."""


@dataclass(frozen=True)
class Analysed:
    """A file read, hashed and archived by a worker."""

    path: Path
    facts: ImageFacts
    rel_path: str


@dataclass(frozen=True)
class Failed:
    path: Path
    message: str


@dataclass
class ImportSummary:
    """What an import did, for the report and the exit code."""

    files: int = 0
    new_images: int = 0
    new_posts: int = 0
    already_done: int = 0
    without_post: int = 0
    failed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def collect_files(inputs: Sequence[Path]) -> list[Path]:
    """Image files named directly, plus those under named folders (recursively, sorted, no dot-folders)."""
    found: list[Path] = []
    seen: set[Path] = set()
    for item in inputs:
        if item.is_dir():
            candidates: Iterable[Path] = sorted(
                p
                for p in item.rglob("*")
                if p.suffix.lower() in IMAGE_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(item).parts)
                and p.is_file()
            )
        elif item.exists():
            candidates = [item]
        else:
            raise UsageError(f"{item}: no such file or folder")
        for path in candidates:
            key = path.resolve()
            if key not in seen:
                seen.add(key)
                found.append(path)
    return found


def _sha256(path: Path) -> str | None:
    try:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


def analyse(path: Path, archive_dir: Path) -> Analysed | Failed:
    """Worker: read, hash and archive one file. Never raises."""
    from tracker.metadata.reader import read_image

    try:
        reading = read_image(path)
        facts = ImageFacts.from_reading(reading)
        rel, _ = archive.store(archive_dir, reading.sha256, reading.format, reading.data, durable=False)
        return Analysed(path, facts, rel)
    except TrackerError as exc:
        return Failed(path, str(exc))
    except OSError as exc:
        return Failed(path, f"{path.name}: cannot archive ({exc.strerror or exc})")
    except Exception as exc:  # a bug must cost one file, not the import
        return Failed(path, f"{path.name}: internal error: {type(exc).__name__}: {exc}")


def _analyse_job(job: tuple[Path, Path]) -> Analysed | Failed:
    return analyse(*job)


def _analysed(paths: list[Path], archive_dir: Path, workers: int) -> Iterator[Analysed | Failed]:
    jobs = [(p, archive_dir) for p in paths]
    if workers <= 1 or len(paths) < 4:
        yield from map(_analyse_job, jobs)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(_analyse_job, jobs, chunksize=2)


@dataclass
class _Plan:
    path: Path
    sha256: str
    post: SidecarPost | None


class Importer:
    """One `tracker import` run (see the module docstring)."""

    def __init__(
        self,
        factory: sessionmaker[Session],
        settings: Settings,
        persona: str,
        platforms: Mapping[str, Platform],
        ctx: ReportContext,
        url_template: str | None = None,
        workers: int | None = None,
    ) -> None:
        persona = persona.strip()
        if not persona:
            raise UsageError("the persona name is empty")
        if url_template is not None:
            check_url_template(url_template)
        self.factory = factory
        self.settings = settings
        self.persona = persona
        self.platforms = platforms
        self.ctx = ctx
        self.url_template = url_template
        self.workers = workers or min(2, os.cpu_count() or 1)
        self.summary = ImportSummary()

    def run(self, inputs: Sequence[Path], progress: Callable[[int, int], None] | None = None) -> ImportSummary:
        files = collect_files(inputs)
        self.summary.files = len(files)
        plans = self._plan(files)
        existing = self._existing_images({p.sha256 for p in plans})
        todo = [p for p in plans if p.sha256 not in existing]
        link_only = [p for p in plans if p.sha256 in existing]
        done = len(files) - len(plans)
        if progress:
            progress(done, len(files))
        # Images already archived may still need their post.
        for batch in _chunks(link_only, BATCH):
            self._write(batch, {})
            done += len(batch)
            if progress:
                progress(done, len(files))
        # One analysis per distinct content; duplicates in the same run only add their posts.
        same: dict[str, list[_Plan]] = {}
        for plan in todo:
            same.setdefault(plan.sha256, []).append(plan)
        first = {sha: plans[0] for sha, plans in same.items()}
        by_path = {plan.path: plan for plan in first.values()}
        pending: list[_Plan] = []
        analysed: dict[str, Analysed] = {}
        for result in _analysed([p.path for p in first.values()], self.settings.archive_dir, self.workers):
            plan = by_path[result.path]
            if isinstance(result, Failed):
                self.summary.failed.append(result.message)
                done += len(same[plan.sha256])
            else:
                analysed[plan.sha256] = result
                pending.append(plan)
            if len(pending) >= BATCH:
                done += self._flush(pending, analysed, same)
                pending = []
            if progress:
                progress(done, len(files))
        done += self._flush(pending, analysed, same)
        if progress:
            progress(len(files), len(files))
        return self.summary

    def _flush(self, pending: list[_Plan], analysed: dict[str, Analysed], same: dict[str, list[_Plan]]) -> int:
        if not pending:
            return 0
        batch = [plan for p in pending for plan in same[p.sha256]]
        self._write(batch, {p.sha256: analysed.pop(p.sha256) for p in pending})
        return len(batch)

    def _plan(self, files: list[Path]) -> list[_Plan]:
        plans = []
        for path in files:
            sha = _sha256(path)
            if sha is None:
                self.summary.failed.append(f"{path}: cannot read file")
                continue
            try:
                post, problems = post_for_image(path, self.url_template)
            except TrackerError as exc:
                post, problems = None, [str(exc)]
            self.summary.warnings.extend(problems)
            plans.append(_Plan(path, sha, post))
        return plans

    def _existing_images(self, shas: set[str]) -> set[str]:
        found: set[str] = set()
        ordered = sorted(shas)
        with self.factory() as session:
            for chunk in _chunks(ordered, 500):
                found.update(session.scalars(select(Image.sha256).where(Image.sha256.in_(chunk))))
        return found

    def _write(self, batch: list[_Plan], analysed: dict[str, Analysed]) -> None:
        """One transaction for the batch; each record in a savepoint so one failure costs only itself."""
        if analysed:
            archive.flush()
        while True:
            try:
                with session_scope(self.factory, command="import") as session:
                    persona = self._persona(session)
                    for plan in batch:
                        try:
                            with session.begin_nested():
                                self._record(session, persona, plan, analysed.get(plan.sha256))
                        except TrackerError as exc:
                            self.summary.failed.append(f"{plan.path.name}: {exc}")
                return
            except IntegrityError:
                # Another process added the same image or post meanwhile: the next attempt sees it.
                if getattr(self, "_retried", False):
                    raise
                self._retried = True

    def _persona(self, session: Session) -> Persona:
        persona = session.scalar(select(Persona).where(Persona.name == self.persona))
        if persona is None:
            persona = Persona(name=self.persona)
            session.add(persona)
            session.flush()
        return persona

    def _record(self, session: Session, persona: Persona, plan: _Plan, item: Analysed | None) -> None:
        image = session.scalar(select(Image).where(Image.sha256 == plan.sha256))
        if image is None:
            if item is None:
                raise UsageError("the file changed while it was being imported; run the import again")
            image = make_image_row(session, item.facts, item.rel_path, self.ctx, persona)
            session.flush()
            self.summary.new_images += 1
        elif image.persona is None:
            image.persona = persona
        if plan.post is None:
            if item is not None:
                self.summary.without_post += 1
            else:
                self.summary.already_done += 1
            return
        ref = parse_post_url(plan.post.url, self.platforms, plan.post.platform)
        existing = session.scalar(select(Post).where(Post.url == ref.url))
        if existing is None and ref.post_id and ref.platform in GLOBAL_POST_IDS:
            existing = session.scalar(
                select(Post).where(Post.platform == ref.platform, Post.platform_post_id == ref.post_id)
            )
        if existing is not None:
            if existing.image_id != image.id and existing.account.persona_id == persona.id:
                # A multi-image post (pixiv _p1, a second photo on X): the post keeps its first image.
                pass
            elif existing.account.persona_id != persona.id:
                raise UsageError(
                    safe_text(f"{ref.url} is already logged for persona {existing.account.persona.name!r}")
                )
            self.summary.already_done += 1
            return
        account = resolve_account(session, ref, plan.post.handle or ref.handle, persona.name)
        session.add(
            Post(
                image=image,
                account=account,
                url=ref.url,
                platform=ref.platform,
                platform_post_id=ref.post_id,
                title=plan.post.title,
                posted_at=plan.post.posted_at,
                status=PostStatus.LIVE,
            )
        )
        session.flush()
        self.summary.new_posts += 1


def _chunks(items: Sequence[_Plan] | Sequence[str], size: int) -> Iterator[list]:  # type: ignore[type-arg]
    for start in range(0, len(items), size):
        yield list(items[start : start + size])
