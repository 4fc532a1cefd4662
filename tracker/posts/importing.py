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

Any one file can be bad: not an image, a FIFO or device in a folder (never opened: only regular
files are read), a name that is not UTF-8 (stored and shown with `\\xNN` escapes), a record the
database refuses (its batch is written again file by file). It is reported and skipped; the rest
go on; but a full disk stops the import at the first file it cannot archive, with one line (what is saved
is kept). The worker processes end when the import dies, even by SIGKILL (`import_workers`).
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from contextlib import ExitStack, closing
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from tracker.accountability.report import ReportContext
from tracker.archive import store as archive
from tracker.archive.refs import referenced_by
from tracker.db.models import Account, Image, Persona, Post, PostPage
from tracker.db.session import session_scope
from tracker.errors import ConflictError, DiskFullError, Interrupted, TrackerError, UsageError
from tracker.metadata.decoding import FileDigest
from tracker.platforms.urls import Platform, PostRef, check_handle, parse_post_url
from tracker.posts.file_names import add_name, known_names
from tracker.posts.import_files import collect_files, failed_with_copies, file_name
from tracker.posts.import_summary import FlaggedImage, ImportSummary
from tracker.posts.import_workers import GC_THRESHOLDS, Analysed, Failed, analysed
from tracker.posts.log import (
    GLOBAL_POST_IDS,
    ResourceCache,
    make_image_row,
    make_post_row,
    resolve_account,
)
from tracker.posts.personas import checked_name, other_persona_warnings, refuse_close_name
from tracker.posts.sidecars import SidecarPost, check_url_template, post_for_image
from tracker.support import testhooks
from tracker.support.ctrl_c import ctrl_c_held
from tracker.support.settings import Settings
from tracker.support.textsafe import safe_text
from tracker.support.user_files import fs_text

T = TypeVar("T")

BATCH = 64
"""Images written per database transaction."""
_UNSTORABLE = (ValueError, OverflowError, DataError)
"""What the database raises for a value it cannot store (text that is not UTF-8, an integer beyond 64 bits
on SQLite: `OverflowError`, raised by the driver unwrapped). Rows are fitted to their columns first
(`db.fit`): this is the net for whatever a check still lets through."""


def _digest(path: Path) -> FileDigest | str:
    """The file's digest, or why it cannot be read (a FIFO swapped in is refused, not waited on)."""
    try:
        return FileDigest.of(path)
    except TrackerError as exc:
        return fs_text(str(exc))
    except OSError as exc:
        return f"{fs_text(path)}: cannot read file ({exc.strerror or exc})"


@dataclass
class _Plan:
    path: Path
    digest: FileDigest
    post: SidecarPost | None

    @property
    def sha256(self) -> str:
        return self.digest.sha256


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
        new_persona: bool = False,
    ) -> None:
        persona = checked_name(persona)
        with factory() as session:
            refuse_close_name(session, persona, new_persona)  # before a single file is read
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
        self.token = ""

    def run(self, inputs: Sequence[Path], progress: Callable[[int, int], None] | None = None) -> ImportSummary:
        thresholds = gc.get_threshold()
        gc.freeze()
        gc.set_threshold(*GC_THRESHOLDS)
        try:
            with archive.writing(self.settings.archive_dir, referenced_by(self.factory)) as token:
                self.token = token
                return self._run(inputs, progress)
        except DiskFullError as exc:  # archiving a file, or writing the database: what is saved stays saved
            raise DiskFullError(
                f"{exc.what}; the import stopped with {self._saved()} of {self.summary.files} files saved: free some"
                " space, then run the same command again (what is saved is skipped)"
            ) from None
        except KeyboardInterrupt:
            raise Interrupted(
                f"import interrupted: {self._saved()} of {self.summary.files} files were saved before it stopped;"
                " the same command again imports the rest (what is saved is skipped)"
            ) from None
        finally:
            gc.set_threshold(*thresholds)
            gc.unfreeze()

    def _run(self, inputs: Sequence[Path], progress: Callable[[int, int], None] | None) -> ImportSummary:
        skipped: list[str] = []
        not_followed: list[str] = []  # links to folders: no image file, so neither counted nor failed
        files = collect_files(inputs, skipped, not_followed)
        self.summary.files = len(files) + len(skipped)
        self.summary.failed.extend(skipped)
        self.summary.warnings.extend(not_followed)
        plans = self._plan(files)
        existing = self._existing_images({p.sha256 for p in plans})
        todo = [p for p in plans if p.sha256 not in existing]
        link_only, later = _first_pages_first([p for p in plans if p.sha256 in existing], todo)
        done = len(files) - len(plans)
        if progress:
            progress(done, len(files))
        # Images already archived may still need their post (and a damaged archived copy, its original).
        for plan in [*link_only, *later]:
            archive.repair_from(self.settings.archive_dir, plan.sha256, plan.path, existing[plan.sha256])
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
        results = analysed(
            [(p.path, p.digest) for p in first.values()], self.settings.archive_dir, self.workers, self.token
        )
        with closing(results):  # a Ctrl+C: the pool is shut down here, not whenever the generator is collected
            done = self._write_analysed(results, files, by_path, same, done, progress)
        for batch in _chunks(later, BATCH):  # now that their posts are logged with the page before them
            self._write(batch, {})
        if progress:
            progress(len(files), len(files))
        return self.summary

    def _write_analysed(
        self,
        results: Generator[Analysed | Failed, None, None],
        files: list[Path],
        by_path: dict[Path, _Plan],
        same: dict[str, list[_Plan]],
        done: int,
        progress: Callable[[int, int], None] | None,
    ) -> int:
        """Record the workers' results in batches as they come; how many files are done."""
        pending: list[_Plan] = []
        analysed: dict[str, Analysed] = {}
        for result in results:
            testhooks.stop_point("import:analysed")
            plan = by_path[result.path]
            if isinstance(result, Failed) and result.full:  # one line, not one per file left: stop here
                results.close()  # the pool's files not started are cancelled
                self._flush(pending, analysed, same)  # archived already: kept, as a batch
                raise DiskFullError(f"the disk is full: {result.message}", f"the disk is full: {result.message}")
            if isinstance(result, Failed):
                self.summary.failed.extend(failed_with_copies(result.message, [p.path for p in same[plan.sha256]]))
                done += len(same[plan.sha256])
            else:
                analysed[plan.sha256] = result
                pending.append(plan)
            if len(pending) >= BATCH:
                done += self._flush(pending, analysed, same)
                pending = []
            if progress:
                progress(done, len(files))
        return done + self._flush(pending, analysed, same)

    def _saved(self) -> int:
        s = self.summary
        return s.new_posts + s.more_pages + s.without_post + s.already_done

    def _flush(self, pending: list[_Plan], analysed: dict[str, Analysed], same: dict[str, list[_Plan]]) -> int:
        if not pending:
            return 0
        batch = [plan for p in pending for plan in same[p.sha256]]
        self._write(batch, {p.sha256: analysed.pop(p.sha256) for p in pending})
        return len(batch)

    def _plan(self, files: list[Path]) -> list[_Plan]:
        plans = []
        for path in files:
            digest = _digest(path)
            if isinstance(digest, str):
                self.summary.failed.append(digest)
                continue
            try:
                post, problems = post_for_image(path, self.url_template)
            except TrackerError as exc:
                post, problems = None, [str(exc)]
            self.summary.warnings.extend(fs_text(problem) for problem in problems)
            plans.append(_Plan(path, digest, post))
        return plans

    def _existing_images(self, shas: set[str]) -> dict[str, str | None]:
        found: dict[str, str | None] = {}  # sha256 -> the archived copy the database names
        ordered = sorted(shas)
        with self.factory() as session:
            for chunk in _chunks(ordered, 500):
                rows = session.execute(select(Image.sha256, Image.archive_path).where(Image.sha256.in_(chunk)))
                found.update((sha, path) for sha, path in rows)
        return found

    def _write(self, batch: list[_Plan], analysed: dict[str, Analysed]) -> None:
        """Record a batch; when the database refuses a value in it, each image's files on their own.

        A record the checks let through may still hold what the database cannot store (text that
        is not UTF-8, a number out of range: see `_UNSTORABLE`). Then the batch is written again one image (all
        files of one content) per transaction, and only the image that fails is reported.
        """
        try:
            self._write_batch(batch, analysed)
            return
        except _UNSTORABLE as exc:
            cause = exc.orig if isinstance(exc, DataError) else exc  # the driver's words, not the SQL
            problem = fs_text(" ".join(f"{type(cause).__name__}: {cause}".split()))[:300]
        groups: dict[str, list[_Plan]] = {}
        for plan in batch:
            groups.setdefault(plan.sha256, []).append(plan)
        if len(groups) > 1:
            for sha, group in groups.items():
                self._write(group, {sha: analysed[sha]} if sha in analysed else {})
            return
        self.summary.failed.extend(fs_text(f"{plan.path.name}: cannot be recorded ({problem})") for plan in batch)
        for item in analysed.values():
            if item.created:
                archive.remove(self.settings.archive_dir, item.rel_path)

    def _write_batch(self, batch: list[_Plan], analysed: dict[str, Analysed]) -> None:
        """Record a batch in one transaction and one flush.

        Everything a record needs is looked up for the whole batch first, and each record is
        checked before it adds anything, so a failing file is simply left out (no savepoints,
        no flush per file: that is what makes a batch cheap).
        """
        if analysed:
            archive.flush()
        attempts_left = 2
        with ExitStack() as held:  # a Ctrl+C from the commit to the count waits: "N of M saved" is then true
            while True:
                try:
                    with session_scope(self.factory, command="import") as session, session.no_autoflush:
                        state = _BatchState(session, self._persona(session), batch, self.platforms)
                        for plan in sorted(batch, key=lambda p: p.post is None):  # a copy without a post after it
                            try:
                                state.record(plan, analysed.get(plan.sha256), self)
                            except TrackerError as exc:
                                state.failures.append(fs_text(f"{plan.path.name}: {exc}"))
                        session.flush()
                        testhooks.stop_point("import:before-commit")
                        held.enter_context(ctrl_c_held())
                    testhooks.stop_point("import:after-commit")
                    break
                except IntegrityError:
                    held.close()
                    # Another process added the same image or post meanwhile: the next attempt sees it.
                    if attempts_left <= 0:
                        raise ConflictError(
                            "another tracker process keeps writing the same images; run the import again"
                        ) from None
                    attempts_left -= 1
            for counter, value in state.counts.items():
                setattr(self.summary, counter, getattr(self.summary, counter) + value)
        self.summary.failed.extend(state.failures)
        self.summary.warnings.extend(state.warnings)
        self.summary.flagged.extend(state.flagged)
        self.summary.without_post_files.extend(state.without_post)
        for sha, item in analysed.items():
            if item.created and sha not in state.images:
                archive.remove(self.settings.archive_dir, item.rel_path)

    def _persona(self, session: Session) -> Persona:
        persona = session.scalar(select(Persona).where(Persona.name == self.persona))
        if persona is None:
            persona = Persona(name=self.persona)
            session.add(persona)
            session.flush()
        return persona


class _BatchState:
    """What one batch transaction knows: existing images and posts, accounts and resources in use."""

    def __init__(self, session: Session, persona: Persona, batch: list[_Plan], platforms: Mapping[str, Platform]):
        self.session = session
        self.persona = persona
        self.platforms = platforms
        self.resources = ResourceCache(session)
        self.counts: dict[str, int] = {}
        self.failures: list[str] = []
        self.warnings: list[str] = []
        """An image already another persona's, and so on (the summary's once the batch is committed)."""
        self.flagged: list[FlaggedImage] = []
        """New images of this batch with rule findings (the summary's once the batch is committed)."""
        self.without_post: list[str] = []
        """The files of this batch archived without a post, as found (the summary's once committed)."""
        shas = sorted({p.sha256 for p in batch})
        self.images: dict[str, Image] = {
            i.sha256: i for i in session.scalars(select(Image).where(Image.sha256.in_(shas)))
        }
        self.refs: dict[Path, PostRef | TrackerError] = {}
        for plan in batch:
            if plan.post is not None:
                try:
                    self.refs[plan.path] = parse_post_url(plan.post.url, platforms, plan.post.platform)
                except TrackerError as exc:
                    self.refs[plan.path] = exc
        refs = [r for r in self.refs.values() if isinstance(r, PostRef)]
        self.page_ids: set[tuple[int, int]] = set()
        """(post id, image id) of the further pages of the batch's posts already recorded."""
        self.new_pages: set[tuple[int, int]] = set()
        """(id(post), id(image)) of the pages this batch adds (their rows have no ids yet)."""
        self.posted: set[str] = set()
        """The images (sha256) this batch made a post or a page of: a copy without a post adds nothing."""
        self.by_url: dict[str, Post] = {}
        self.by_id: dict[tuple[str, str], Post] = {}
        if refs:
            urls = sorted({r.url for r in refs})
            ids = sorted({r.post_id for r in refs if r.post_id})
            found = list(session.scalars(select(Post).where(Post.url.in_(urls))))
            if ids:
                found += session.scalars(select(Post).where(Post.platform_post_id.in_(ids)))
            for post in found:
                self._remember(post)
            numbers = sorted({post.id for post in found})
            pages = select(PostPage.post_id, PostPage.image_id).where(PostPage.post_id.in_(numbers))
            self.page_ids.update((post_id, image_id) for post_id, image_id in session.execute(pages))
        self.accounts: dict[tuple[str, str | None], Account] = {}
        self.names = known_names(session, persona, shas)  # (sha256, file name) the persona gave already

    def _remember(self, post: Post) -> None:
        self.by_url[post.url] = post
        if post.platform_post_id and post.platform in GLOBAL_POST_IDS:
            self.by_id[(post.platform, post.platform_post_id)] = post

    def _count(self, *counters: str) -> None:
        for counter in counters:
            self.counts[counter] = self.counts.get(counter, 0) + 1

    def record(self, plan: _Plan, item: Analysed | None, importer: Importer) -> None:
        """Record one file: every check first, then the rows (see `Importer._write`)."""
        image = self.images.get(plan.sha256)
        if image is None and item is None:
            raise UsageError("the file changed while it was being imported; run the import again")
        ref = self.refs.get(plan.path)
        if isinstance(ref, TrackerError):
            raise ref
        existing = None
        account = None
        if ref is not None and plan.post is not None:
            existing = self.by_url.get(ref.url)
            if existing is None and ref.post_id and ref.platform in GLOBAL_POST_IDS:
                existing = self.by_id.get((ref.platform, ref.post_id))
            if existing is not None and existing.account.persona is not self.persona:
                raise UsageError(
                    safe_text(f"{ref.url} is already logged for persona {existing.account.persona.name!r}")
                )
            if existing is None:
                handle = plan.post.handle or ref.handle
                if plan.post.handle:
                    check_handle(plan.post.handle, ref.platform, self.platforms, "the sidecar's account")
                key = (ref.platform, handle.lower() if handle else None)
                account = self.accounts.get(key)
                if account is None:
                    account = resolve_account(self.session, ref, handle, self.persona.name)
                    self.accounts[key] = account
        self.warnings += other_persona_warnings(self.session, image, self.persona, fs_text(plan.path))
        new_image = image is None
        if image is None:
            assert item is not None
            image = make_image_row(self.session, item.facts, item.rel_path, importer.ctx, self.persona, self.resources)
            self.images[plan.sha256] = image
        elif image.persona is None:
            image.persona = self.persona
        add_name(self.session, self.names, image, self.persona, fs_text(file_name(plan.path)))
        counters = ["new_images"] if new_image else []
        if new_image and image.techniques:
            counters.append("missing_inputs")  # a new image cannot have its inputs recorded yet
        if new_image and image.findings:  # computed by `make_image_row`: the summary names the image
            url = ref.url if ref is not None and plan.post is not None else None
            self.flagged.append(FlaggedImage.of(plan.path, url, plan.sha256, image.findings))
        if ref is None or plan.post is None:
            alone = item is not None and plan.sha256 not in self.posted
            self._count(*counters, "without_post" if alone else "already_done")
            if alone:
                self.without_post.append(fs_text(plan.path))
            return
        self.posted.add(plan.sha256)
        if existing is not None:
            # Already logged, or a further page of a post (pixiv _p1, a second photo on X): a page of the post.
            self._count(*counters, "more_pages" if self._add_page(existing, image, plan.post.page) else "already_done")
            return
        assert account is not None  # set above for every post not logged yet
        post = make_post_row(image, account, ref, plan.post.title, plan.post.posted_at)
        self.session.add(post)
        self._remember(post)
        self._count(*counters, "new_posts")

    def _add_page(self, post: Post, image: Image, page: int | None) -> bool:
        """Link `image` to `post` as a further page, unless it is the post's image or a page of it already."""
        if post.image is image or (id(post), id(image)) in self.new_pages:
            return False
        if post.id is not None and image.id is not None and (post.id, image.id) in self.page_ids:
            return False
        self.session.add(PostPage(post=post, image=image, page=page))
        self.new_pages.add((id(post), id(image)))
        return True


def _first_pages_first(link_only: list[_Plan], todo: list[_Plan]) -> tuple[list[_Plan], list[_Plan]]:
    """(the images already archived to link now, those to link once the new images are recorded): a later page of a
    post (an X post's second photo) archived before waits for its post's earlier page that this run archives, so
    the post is logged with its first page and the other becomes its page 2, not the other way round."""
    first_new: dict[str, int] = {}
    for plan in todo:
        if plan.post is not None and plan.post.page is not None:
            first_new[plan.post.url] = min(first_new.get(plan.post.url, plan.post.page), plan.post.page)
    now: list[_Plan] = []
    later: list[_Plan] = []
    for plan in link_only:
        page = plan.post.page if plan.post is not None else None
        waits = plan.post is not None and page is not None and first_new.get(plan.post.url, page) < page
        (later if waits else now).append(plan)
    return now, later


def _chunks(items: Sequence[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])
