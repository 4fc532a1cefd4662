"""Logging a post: the use case behind `tracker log` (and each post `tracker import` records).

`log_post` is one transaction: the image is archived under its content hash, and the image,
its resources and techniques, the account and the post are recorded together; if anything
fails the database is untouched and a newly archived file is removed again. Looking posts up is
elsewhere: `lookup` and `by_key` (one post by number or URL), `record` (one post's page), `listing`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from tracker.accountability.report import ReportContext, build_report
from tracker.accountability.risk import RiskTable
from tracker.archive import store as archive
from tracker.archive.refs import referenced_by, remove_unnamed
from tracker.db import schema
from tracker.db.enums import PostStatus
from tracker.db.fit import fitted
from tracker.db.models import Account, Image, ImageResource, Persona, Post, PostPage, Resource, Technique
from tracker.db.session import KEPT, session_scope
from tracker.errors import ConflictError, UsageError
from tracker.matching import hashing
from tracker.metadata.info import GenerationInfo, ResourceRef
from tracker.platforms.urls import Platform, PostRef, check_handle, parse_post_url, with_old_spelling
from tracker.posts.file_names import remember_name
from tracker.posts.personas import OtherPersonas, other_personas, persona_for_new_records
from tracker.posts.posting_dates import check_permission_at, check_posted_at
from tracker.posts.requests import PERMISSION_NEEDED, check_requester
from tracker.support import testhooks
from tracker.support.settings import Settings
from tracker.support.user_files import fs_text

if TYPE_CHECKING:
    from tracker.metadata.reader import ImageReading

GLOBAL_POST_IDS = frozenset({"pixiv", "x", "deviantart", "fanbox", "booth"})
"""Platforms whose post ids are unique site-wide, so one id is one post whatever the URL spelling (a FANBOX creator
who renamed keeps their posts' ids under the new subdomain; BOOTH's item ids are BOOTH-wide)."""


@dataclass(frozen=True)
class LogRequest:
    """What the user said about a post when logging it."""

    url: str
    persona: str | None = None
    account: str | None = None
    platform: str | None = None
    title: str | None = None
    posted_at: datetime | None = None
    requested_by: str | None = None
    """Made for someone else: who asked (their permission date is then required)."""
    permission_at: datetime | None = None
    permission_ref: str | None = None
    new_persona: bool = False
    """The persona named is new, even if its name is close to an existing one."""

    def check_request(self) -> None:
        """The owner's rules: a post was published in the past (`posting_dates`), and an image made for someone
        else is made only with their permission."""
        check_posted_at(self.posted_at)
        check_permission_at(self.permission_at)
        check_requester(self.requested_by)
        if self.requested_by and self.permission_at is None:
            raise UsageError(PERMISSION_NEEDED)
        if self.requested_by is None and (self.permission_at is not None or self.permission_ref):
            raise UsageError("--permission-at and --permission-ref go with --requested-by NAME")


@dataclass(frozen=True)
class LogOutcome:
    """The logged post and whether its image was new to the archive."""

    post_id: int
    image_id: int
    new_image: bool
    other_personas: OtherPersonas | None = None
    """The personas besides the post's that the image was already posted under or archived for (a warning)."""
    persona_from_image: bool = False
    """No --persona was given among several personas: the post went to the one persona the image is archived for."""


def kept_post(post_id: int) -> str:
    """What a Ctrl+C once the post is saved says was kept: the owner would log it again, and be refused."""
    return f"the post was saved as #{post_id}: tracker show {post_id} shows it"


def _resolve_persona(
    session: Session, name: str | None, account: Account | None, allow_new: bool, fallback: Persona | None = None
) -> Persona:
    if account is not None:
        if name is not None and account.persona.name != name:
            raise ConflictError(
                f"account {account.handle!r} on {account.platform} belongs to persona "
                f"{account.persona.name!r}, not {name!r}"
            )
        return account.persona
    if name is not None:
        return persona_for_new_records(session, name, allow_new)
    if fallback is not None:
        return fallback
    personas = session.scalars(select(Persona).order_by(Persona.name)).all()
    if len(personas) == 1:
        return personas[0]
    if not personas:
        raise UsageError("no persona yet: name one with --persona NAME")
    names = ", ".join(p.name for p in personas)
    raise UsageError(f"several personas exist ({names}): choose one with --persona NAME")


def resolve_account(
    session: Session,
    ref: PostRef,
    handle: str | None,
    persona_name: str | None,
    allow_new: bool = False,
    fallback: Persona | None = None,
) -> Account:
    """The account a post goes under: the one with this handle, else the persona's only one there, else a new one.

    A persona named for the first time is created, unless its name is close to an existing one and
    `allow_new` is not set (a typo must not split a persona). Without a handle's account or a name, the
    persona is `fallback` when given (the one the image is archived for), else the only one there is.
    """
    account = None
    if handle:
        # Handles are case-insensitive on every supported platform (X, Bluesky, DeviantArt, ...).
        account = session.scalar(
            select(Account).where(Account.platform == ref.platform, func.lower(Account.handle) == handle.lower())
        )
    persona = _resolve_persona(session, persona_name, account, allow_new, fallback)
    if account is not None:
        return account
    existing = (
        session.scalars(select(Account).where(Account.persona_id == persona.id, Account.platform == ref.platform)).all()
        if persona.id is not None
        else []
    )
    if handle and len(existing) == 1 and existing[0].handle is None:
        # The persona's only account there, logged before its handle was known (a pixiv artwork URL
        # names none): this is its handle, not a second account.
        account = existing[0]
        account.handle = handle
        if account.profile_url is None and handle == ref.handle:
            account.profile_url = ref.profile_url
        return account
    if not handle:
        if len(existing) == 1:
            return existing[0]
        if len(existing) > 1:
            handles = ", ".join(a.handle or "one with no handle yet" for a in existing)
            raise UsageError(
                f"persona {persona.name!r} has several {ref.platform} accounts ({handles}): "
                "say which with --account HANDLE"
            )
    account = Account(
        persona=persona,
        platform=ref.platform,
        handle=handle or None,
        profile_url=ref.profile_url if handle == ref.handle else None,
    )
    session.add(account)
    return account


class ResourceCache:
    """Resources by (kind, name, hash): one query for all of them per session, not one per LoRA.

    A resource named by metadata is fitted to its columns first (`db.fit`): a name too long is cut,
    so it is found again under the name it was stored with.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self.known: dict[tuple[Any, ...], Resource] | None = None

    def get(self, ref: ResourceRef) -> Resource:
        if self.known is None:
            self.known = {}
            for resource in self.session.scalars(select(Resource).order_by(Resource.id)):
                self.known.setdefault((resource.kind, resource.name, resource.hash), resource)
        values = fitted(
            schema.resource, {"kind": ref.kind, "name": ref.name, "hash": ref.hash, "hash_kind": ref.hash_kind}
        )
        key = (values["kind"], values["name"], values["hash"])
        found = self.known.get(key)
        if found is not None:
            return found
        resource = Resource(**values)
        self.session.add(resource)
        self.known[key] = resource
        return resource


@dataclass(frozen=True)
class ImageFacts:
    """What the image row is made from: everything read from the file except its pixels and bytes."""

    sha256: str
    original_name: str
    format: str
    width: int
    height: int
    size_bytes: int
    raw_metadata: dict[str, Any]
    info: GenerationInfo | None
    problems: list[str]
    stealth_signature: str | None
    hashes: hashing.ImageHashes

    @classmethod
    def from_reading(cls, reading: ImageReading) -> ImageFacts:
        return cls(
            sha256=reading.sha256,
            original_name=fs_text(reading.path.name),  # a name that is not UTF-8 is stored with \xNN escapes
            format=reading.format,
            width=reading.width,
            height=reading.height,
            size_bytes=len(reading.data),
            raw_metadata=reading.raw_metadata(),
            info=reading.info,
            problems=list(reading.problems),
            stealth_signature=reading.stealth.signature if reading.stealth else None,
            hashes=hashing.image_hashes(reading.displayed),
        )


def make_image_row(
    session: Session,
    facts: ImageFacts,
    rel_path: str,
    ctx: ReportContext,
    persona: Persona | None,
    resources: ResourceCache | None = None,
) -> Image:
    """The image row (with its resources and techniques) for a newly archived file.

    Every row is built here from what was read, each value fitted to its column (`db.fit`): text
    from the metadata without NUL and no longer than its column, numbers within range. The
    untouched metadata stays in `raw_metadata` and `generation` (JSON).
    """
    info, hashes = facts.info, facts.hashes
    report = build_report(info, ctx, facts.problems, facts.stealth_signature)
    values = fitted(
        schema.image,
        {
            "original_name": facts.original_name,
            "format": facts.format,
            "generator": info.generator if info else None,
        },
    )
    image = Image(
        sha256=facts.sha256,
        original_name=values["original_name"],
        archive_path=rel_path,
        format=values["format"],
        width=facts.width,
        height=facts.height,
        size_bytes=facts.size_bytes,
        raw_metadata=facts.raw_metadata,
        generation=info.to_dict() if info else None,
        generator=values["generator"],
        findings=report["findings"],
        phash=hashes.phash,
        dhash=hashes.dhash,
        phash_mirror=hashes.phash_mirror,
        dhash_mirror=hashes.dhash_mirror,
        region_hashes=hashes.regions,
        region_mask=hashes.region_mask,
        hash_version=hashing.HASH_VERSION,
        persona=persona,
    )
    session.add(image)
    if info is not None:
        _attach_generation(image, info, ctx.risks, resources or ResourceCache(session))
    return image


def _attach_generation(image: Image, info: GenerationInfo, risks: RiskTable, resources: ResourceCache) -> None:
    for position, ref in enumerate(info.resources()):
        values = fitted(schema.image_resource, {"position": position, "weight": ref.weight, "role": ref.role})
        image.resources.append(ImageResource(resource=resources.get(ref), **values))
    for position, technique in enumerate(info.techniques):
        verdict = risks.classify(technique.kind, technique.module, technique.model)
        values = fitted(
            schema.technique,
            {
                "position": position,
                "kind": technique.kind,
                "unit": technique.unit,  # a unit number out of range is damage, not a unit: None
                "module": technique.module,
                "model": technique.model,
                "model_hash": technique.model_hash,
                "weight": technique.weight,
                "risk_class": verdict.risk,
                "risk_note": verdict.note,
                "details": technique.details,
            },
        )
        image.techniques.append(Technique(**values))


def make_post_row(image: Image, account: Account, ref: PostRef, title: str | None, posted_at: datetime | None) -> Post:
    """A new live post of an image at the URL `ref` names (not yet added to a session)."""
    return Post(
        image=image,
        account=account,
        url=ref.url,
        platform=ref.platform,
        platform_post_id=ref.post_id,
        title=title,
        posted_at=posted_at,
        status=PostStatus.LIVE,
    )


def log_post(
    factory: sessionmaker[Session],
    settings: Settings,
    reading: ImageReading,
    request: LogRequest,
    platforms: Mapping[str, Platform],
    ctx: ReportContext,
) -> LogOutcome:
    """Record one post of one image, in one transaction (see the module docstring)."""
    request.check_request()
    ref = parse_post_url(request.url, platforms, request.platform)
    if request.account is not None:
        request = replace(request, account=check_handle(request.account, ref.platform, platforms))
    with archive.writing(settings.archive_dir, referenced_by(factory)):
        return _log_post(factory, settings, reading, request, ref, ctx)


def refuse_logged(session: Session, ref: PostRef, other_than: int | None = None) -> None:
    """Refuse a post URL that is logged already: the same stored URL (or the spelling earlier versions of
    tracker kept), or, on a platform whose post ids are unique site-wide, the same post under another spelling.
    `other_than`: the post being corrected (`post set --url`), whose own URL is no clash."""
    spellings = with_old_spelling(ref.url)  # and as earlier versions of tracker kept it
    others = Post.id != other_than if other_than is not None else true()
    clash = session.scalar(select(Post).where(Post.url.in_(spellings), others).order_by(Post.id).limit(1))
    if clash is not None:
        raise ConflictError(f"{ref.url} is already logged (post #{clash.id})")
    if ref.post_id and ref.platform in GLOBAL_POST_IDS:
        same = session.scalar(
            select(Post)
            .where(Post.platform == ref.platform, Post.platform_post_id == ref.post_id, others)
            .order_by(Post.id)
            .limit(1)
        )
        if same is not None:
            raise ConflictError(f"{ref.platform} post {ref.post_id} is already logged as {same.url} (post #{same.id})")


@dataclass(frozen=True)
class PostImage:
    """The image a post shows, as logging found or archived it."""

    image: Image
    new: bool
    """Archived now (not found in the archive)."""
    others: OtherPersonas | None
    """The personas besides the post's the image already belongs to (a warning)."""


def image_for_post(
    session: Session,
    settings: Settings,
    reading: ImageReading,
    ctx: ReportContext,
    persona: Persona,
    created: list[str],
) -> PostImage:
    """The image row of the file in hand, as `log` records it (and `post set --image`): the archived one of the
    same content, its copy repaired from the original when damaged or missing, else archived now. A file this
    writes is added to `created`: the caller removes it again when its transaction fails. The file name is kept
    for the persona's burn-down."""
    image = session.scalar(select(Image).where(Image.sha256 == reading.sha256))
    new_image = image is None
    if image is None:
        rel, made = archive.store(settings.archive_dir, reading.sha256, reading.format, reading.data)
        if made:
            created.append(rel)
        image = make_image_row(session, ImageFacts.from_reading(reading), rel, ctx, persona)
    else:  # the original in hand repairs a missing or damaged archived copy
        archive.repair(settings.archive_dir, image.archive_path, reading.sha256, reading.data)
    others = None if new_image else other_personas(session, image, persona)
    if image.persona is None:
        image.persona = persona
    remember_name(session, image, persona, fs_text(reading.path.name))
    return PostImage(image, new_image, others or None)


def _log_post(
    factory: sessionmaker[Session],
    settings: Settings,
    reading: ImageReading,
    request: LogRequest,
    ref: PostRef,
    ctx: ReportContext,
) -> LogOutcome:
    created: list[str] = []
    try:
        with session_scope(factory, command="log") as session:
            refuse_logged(session, ref)
            held = persona_of_image(session, reading.sha256) if request.persona is None else None
            account = resolve_account(
                session, ref, request.account or ref.handle, request.persona, request.new_persona, held
            )
            shown = image_for_post(session, settings, reading, ctx, account.persona, created)
            post = make_post_row(shown.image, account, ref, request.title, request.posted_at)
            post.requested_by = request.requested_by.strip() if request.requested_by else None
            post.permission_at = request.permission_at
            post.permission_ref = request.permission_ref
            session.add(post)
            session.flush()
            several = held is not None and account.persona is held and _persona_count(session) > 1
            outcome = LogOutcome(post.id, shown.image.id, shown.new, shown.others, persona_from_image=several)
            session.info[KEPT] = kept_post(post.id)  # a Ctrl+C as it commits names the post
            testhooks.stop_point("log:before-commit")
    except IntegrityError:
        remove_created(settings, created)
        raise ConflictError(
            f"another tracker process changed the archive while {ref.url} was being logged; run the command again"
        ) from None
    except BaseException:  # a Ctrl+C may come after the commit: what the rows name stays
        remove_unnamed(factory, settings.archive_dir, created)
        raise
    return outcome


def persona_of_image(session: Session, sha256: str) -> Persona | None:
    """The persona an archived image belongs to when it is exactly one (archived for it, posted by it as a post's
    first image or a further page), else None: not archived, or several personas' (then --persona decides)."""
    image = session.scalar(select(Image).where(Image.sha256 == sha256))
    if image is None:
        return None
    posted = select(Post.account_id).where(Post.image_id == image.id)
    paged = select(Post.account_id).join(PostPage, PostPage.post_id == Post.id).where(PostPage.image_id == image.id)
    ids = set(session.scalars(select(Account.persona_id).where(Account.id.in_(posted.union(paged)))))
    if image.persona_id is not None:
        ids.add(image.persona_id)
    return session.get(Persona, ids.pop()) if len(ids) == 1 else None


def _persona_count(session: Session) -> int:
    return int(session.scalar(select(func.count(Persona.id))) or 0)


def remove_created(settings: Settings, created: list[str]) -> None:
    """Undo the archive files a failed transaction stored (`image_for_post` lists them)."""
    for rel in created:
        archive.remove(settings.archive_dir, rel)
