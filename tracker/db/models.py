"""The archive's records as SQLAlchemy 2 typed ORM classes, mapped onto the tables of `db.schema`.

Each class names its table (`__table__`) and declares its columns' Python types for the type
checker; the columns themselves, their types and constraints, are defined once, in `db.schema`.
Relationships live here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import DeclarativeBase, Mapped, relationship

from tracker.db import schema
from tracker.db.enums import (
    Channel,
    ComplaintStatus,
    DecisionAction,
    DisputeReason,
    InputKind,
    LegalBasis,
    PostStatus,
    PurgeItemState,
)


class Base(DeclarativeBase):
    """Declarative base over the one schema (`db.schema.metadata`)."""

    metadata = schema.metadata


class Persona(Base):
    """An online identity the owner posts under; everything else hangs off one."""

    __table__ = schema.persona

    id: Mapped[int]
    name: Mapped[str]
    created_at: Mapped[datetime]
    display_name: Mapped[str | None]
    """The name replies are signed with."""
    contact: Mapped[str | None]
    """How a complainant reaches the persona, shown under the signature."""
    accounts: Mapped[list[Account]] = relationship(back_populates="persona")


class Account(Base):
    """One account of a persona on one platform."""

    __table__ = schema.account

    id: Mapped[int]
    persona_id: Mapped[int]
    platform: Mapped[str]
    handle: Mapped[str | None]
    """The account name or id on the platform; None while unknown (e.g. a pixiv artwork URL)."""
    profile_url: Mapped[str | None]
    created_at: Mapped[datetime]
    persona: Mapped[Persona] = relationship(back_populates="accounts")
    posts: Mapped[list[Post]] = relationship(back_populates="account")


class Image(Base):
    """One image file, identified by the sha256 of its bytes, archived once however often posted."""

    __table__ = schema.image

    id: Mapped[int]
    sha256: Mapped[str]
    original_name: Mapped[str]
    archive_path: Mapped[str]
    """Path of the archived copy, relative to the archive folder."""
    format: Mapped[str]
    width: Mapped[int]
    height: Mapped[int]
    size_bytes: Mapped[int]
    raw_metadata: Mapped[dict[str, Any]]
    """Every text chunk / EXIF field / hidden payload exactly as found (see metadata.containers)."""
    generation: Mapped[dict[str, Any] | None]
    """The parsed GenerationInfo as a dict, or None when the file carries none."""
    generator: Mapped[str | None]
    findings: Mapped[list[Any] | None]
    """The accountability findings when the image was logged: [{code, severity, message}]."""
    phash: Mapped[bytes]
    """64-bit DCT perceptual hash, 8 bytes big-endian."""
    dhash: Mapped[bytes]
    """64-bit gradient (difference) hash, 8 bytes big-endian."""
    phash_mirror: Mapped[bytes | None]
    """pHash of the mirror image (finds flipped reposts)."""
    dhash_mirror: Mapped[bytes | None]
    region_hashes: Mapped[bytes | None]
    """pHashes of hashing.STORED_REGIONS, 8 bytes each, in order."""
    region_mask: Mapped[int | None]
    """Bit i set: region i has texture enough to match."""
    hash_version: Mapped[int | None]
    """hashing.HASH_VERSION the hashes were made with; older (or NULL) rows are re-hashed from the archive."""
    persona_id: Mapped[int | None]
    """The persona the image was logged or imported for (it may have no post yet)."""
    created_at: Mapped[datetime]
    posts: Mapped[list[Post]] = relationship(back_populates="image")
    persona: Mapped[Persona | None] = relationship()
    resources: Mapped[list[ImageResource]] = relationship(
        back_populates="image", cascade="all, delete-orphan", order_by="ImageResource.position"
    )
    techniques: Mapped[list[Technique]] = relationship(
        back_populates="image", cascade="all, delete-orphan", order_by="Technique.position"
    )


class Post(Base):
    """One publication of an image at one URL."""

    __table__ = schema.post

    id: Mapped[int]
    image_id: Mapped[int]
    account_id: Mapped[int]
    url: Mapped[str]
    platform: Mapped[str]
    platform_post_id: Mapped[str | None]
    title: Mapped[str | None]
    posted_at: Mapped[datetime | None]
    status: Mapped[PostStatus]
    status_changed_at: Mapped[datetime]
    logged_at: Mapped[datetime]
    requested_by: Mapped[str | None]
    """Made for someone else: who asked for it."""
    permission_at: Mapped[datetime | None]
    """When that person gave their permission (a request is never logged without it)."""
    permission_ref: Mapped[str | None]
    """Where the permission is, e.g. a message link."""
    image: Mapped[Image] = relationship(back_populates="posts")
    account: Mapped[Account] = relationship(back_populates="posts")
    pages: Mapped[list[PostPage]] = relationship(
        back_populates="post", cascade="all, delete-orphan", passive_deletes=True, order_by="PostPage.id"
    )


class PostPage(Base):
    """A further page of a post that shows several images (pixiv's `_p1`, an X post's second photo).

    `Post.image` is the image the post was logged with; each other image it shows is one of these, as much
    the post's as that one. Not audited (like `ImageName`): the post's own entries say what was posted.
    """

    __table__ = schema.post_page

    id: Mapped[int]
    post_id: Mapped[int]
    image_id: Mapped[int]
    page: Mapped[int | None]
    """The page as the platform numbers it, from 1 (pixiv's `_p1` is page 2); None when the import could not tell."""
    post: Mapped[Post] = relationship(back_populates="pages")
    image: Mapped[Image] = relationship()


class Resource(Base):
    """A model file named in metadata: checkpoint, LoRA, embedding, VAE, ControlNet model, ..."""

    __table__ = schema.resource

    id: Mapped[int]
    kind: Mapped[str]
    name: Mapped[str | None]
    hash: Mapped[str | None]
    hash_kind: Mapped[str | None]
    """autov1 (8 hex), autov2 (10 hex), short12 (LoRA addnet / TI 12 hex), sha256, novelai."""
    creator: Mapped[str | None]
    source_url: Mapped[str | None]
    licence_note: Mapped[str | None]
    commercial: Mapped[str | None]
    """Whether its licence allows commercial use: 'yes', 'no', or None (unknown)."""
    lookup_status: Mapped[str | None]
    """What the last CivitAI look-up found: 'found', 'name_mismatch', 'unknown_hash' or 'failed'."""
    looked_up_at: Mapped[datetime | None]
    lookup: Mapped[dict[str, Any] | None]
    """The facts the look-up returned (model and version ids and names, creator, licence flags)."""
    created_at: Mapped[datetime]
    uses: Mapped[list[ImageResource]] = relationship(back_populates="resource")


class ImageResource(Base):
    """An image's use of a resource, with the weight it was used at."""

    __table__ = schema.image_resource

    id: Mapped[int]
    image_id: Mapped[int]
    resource_id: Mapped[int]
    position: Mapped[int]
    weight: Mapped[float | None]
    role: Mapped[str | None]
    """'hires', 'refiner', 'adetailer', ... when not the main pass."""
    image: Mapped[Image] = relationship(back_populates="resources")
    resource: Mapped[Resource] = relationship(back_populates="uses")


class Technique(Base):
    """One image-input use found in an image's metadata, with its risk class."""

    __table__ = schema.technique

    id: Mapped[int]
    image_id: Mapped[int]
    position: Mapped[int]
    kind: Mapped[str]
    unit: Mapped[int | None]
    module: Mapped[str | None]
    model: Mapped[str | None]
    model_hash: Mapped[str | None]
    weight: Mapped[float | None]
    risk_class: Mapped[str]
    risk_note: Mapped[str | None]
    details: Mapped[dict[str, Any]]
    image: Mapped[Image] = relationship(back_populates="techniques")


class ModelFile(Base):
    """A model file on the owner's disk, with the hashes images use to name it (`tracker models scan`).

    Cached by path, size and mtime, so a rescan only reads files that changed.
    """

    __table__ = schema.model_file

    id: Mapped[int]
    path: Mapped[str]
    size_bytes: Mapped[int]
    mtime_ns: Mapped[int]
    sha256: Mapped[str]
    autov1: Mapped[str | None]
    autov2: Mapped[str]
    addnet: Mapped[str | None]
    """Full addnet hash of a .safetensors file (the LoRA `Lora hashes` value is its first 12 hex)."""
    safetensors_metadata: Mapped[dict[str, Any] | None]
    scanned_at: Mapped[datetime]


class Event(Base):
    """Append-only audit trail: one row per created, changed or deleted record.

    Written by the session hook in `db.audit`, never updated or deleted by the application.
    """

    __table__ = schema.event

    id: Mapped[int]
    at: Mapped[datetime]
    entity: Mapped[str]
    entity_id: Mapped[int]
    action: Mapped[str]
    """create, update or delete."""
    changes: Mapped[dict[str, Any]]
    """{field: [old, new]} for every field that changed (old is None on create, new on delete)."""
    command: Mapped[str | None]
    """The command that made the change, e.g. 'log'."""


class ImageInput(Base):
    """The image an image-input technique of a generated image was fed: archived and hashed like a post."""

    __table__ = schema.image_input

    id: Mapped[int]
    image_id: Mapped[int]
    """The generated image the input went into."""
    technique_id: Mapped[int | None]
    input_image_id: Mapped[int]
    kind: Mapped[InputKind]
    licence: Mapped[str | None]
    note: Mapped[str | None]
    created_at: Mapped[datetime]
    image: Mapped[Image] = relationship(foreign_keys=[schema.image_input.c.image_id])
    input_image: Mapped[Image] = relationship(foreign_keys=[schema.image_input.c.input_image_id])
    technique: Mapped[Technique | None] = relationship()


class ImageName(Base):
    """One file name an image was logged or imported from by a persona (what its burn-down lists to delete)."""

    __table__ = schema.image_name

    id: Mapped[int]
    image_id: Mapped[int]
    persona_id: Mapped[int]
    name: Mapped[str]
    image: Mapped[Image] = relationship()
    persona: Mapped[Persona] = relationship()


class Complaint(Base):
    """A copyright (or other) complaint about one or more posts, from intake to answer."""

    __table__ = schema.complaint

    id: Mapped[int]
    received_at: Mapped[datetime]
    channel: Mapped[Channel]
    legal_basis: Mapped[LegalBasis]
    platform: Mapped[str | None]
    """The platform the complaint came through or is about, when there is one."""
    ticket_id: Mapped[str | None]
    """The platform's case or ticket number."""
    complainant_name: Mapped[str | None]
    complainant_org: Mapped[str | None]
    complainant_role: Mapped[str | None]
    """Rights holder, agent, lawyer, ... as they describe themselves."""
    complainant_contact: Mapped[str | None]
    """Email, address, handle: personal data, kept apart from the complaint text."""
    claimed_title: Mapped[str | None]
    claimed_description: Mapped[str | None]
    claimed_urls: Mapped[list[str]]
    """Where the complainant's original work is."""
    message: Mapped[str | None]
    """The complaint text as received."""
    completeness: Mapped[dict[str, bool | None]]
    """{legal element: present?} for the notice's legal basis (see `complaints.REQUIRED_ELEMENTS`)."""
    deadline_at: Mapped[datetime | None]
    """Answer by then; overdue after it while the complaint is unanswered."""
    status: Mapped[ComplaintStatus]
    answered_at: Mapped[datetime | None]
    reply_text: Mapped[str | None]
    """The reply as sent (recorded when the owner marks the complaint answered)."""
    persona_id: Mapped[int | None]
    created_at: Mapped[datetime]
    language: Mapped[str | None]
    """The language replies are written in ('ja', 'en'); None: guessed from the complaint's text."""
    sent_utc_offset: Mapped[int | None]
    """Minutes east of UTC of the Date its message was sent with; None: unknown. A reply dates the message
    as its sender did: a notice sent late on 3 December in California is "your message of 3 December"."""
    duplicate_of_id: Mapped[int | None]
    """The complaint this one repeats, when it was closed as its duplicate (`complaint close --duplicate-of`)."""
    follow_ups: Mapped[list[dict[str, Any]] | None]
    """The sender's later messages, oldest first: [{"received_at": ISO 8601, "message": text}]; `message` stays
    the one it was logged with (`complaints.follow_ups`)."""
    attachments_not_kept: Mapped[list[str] | None]
    """What arrived attached to its message and was not kept: each name and why (`x.pdf (not an image)`)."""
    persona: Mapped[Persona | None] = relationship()
    images: Mapped[list[ComplaintImage]] = relationship(
        back_populates="complaint", cascade="all, delete-orphan", order_by="ComplaintImage.id"
    )
    named_posts: Mapped[list[ComplaintPost]] = relationship(
        back_populates="complaint", cascade="all, delete-orphan", order_by="ComplaintPost.id"
    )
    decisions: Mapped[list[Decision]] = relationship(
        back_populates="complaint", cascade="all, delete-orphan", order_by="Decision.id"
    )

    @property
    def persona_name(self) -> str | None:
        """The name of the persona the complaint is about, if known."""
        return self.persona.name if self.persona else None

    @property
    def post_ids(self) -> list[int]:
        """The posts the complaint names, in the order it named them."""
        return [link.post_id for link in self.named_posts]


class ComplaintImage(Base):
    """An image the complainant sent (their work, or a copy of the post), archived by content hash."""

    __table__ = schema.complaint_image

    id: Mapped[int]
    complaint_id: Mapped[int]
    sha256: Mapped[str]
    archive_path: Mapped[str]
    original_name: Mapped[str]
    format: Mapped[str]
    width: Mapped[int]
    height: Mapped[int]
    size_bytes: Mapped[int]
    created_at: Mapped[datetime]
    plain_colour: Mapped[bool | None]
    """One plain colour (`matching.limits.is_blank`); None: kept by an older tracker, not checked yet."""
    frames: Mapped[int | None]
    """How many frames (`matching.limits.frame_count`); None: kept by an older tracker."""
    complaint: Mapped[Complaint] = relationship(back_populates="images")


class ComplaintPost(Base):
    """A post the complaint names (by URL or id), resolved when the complaint was logged."""

    __table__ = schema.complaint_post

    id: Mapped[int]
    complaint_id: Mapped[int]
    post_id: Mapped[int]
    reference: Mapped[str]
    """How the complaint named it (URL or id), as given."""
    complaint: Mapped[Complaint] = relationship(back_populates="named_posts")
    post: Mapped[Post] = relationship()


class Decision(Base):
    """One decision about a complaint. Never changed: a revision is a new row that supersedes it."""

    __table__ = schema.decision

    id: Mapped[int]
    complaint_id: Mapped[int]
    action: Mapped[DecisionAction]
    reason: Mapped[DisputeReason | None]
    notes: Mapped[str | None]
    """The owner's private notes: kept on the record, never put into a reply."""
    reply_note: Mapped[str | None]
    """The sentence meant for the complainant, put into the reply."""
    post_ids: Mapped[list[int]]
    """The posts the decision is about (taken down, for a take-down)."""
    supersedes_id: Mapped[int | None]
    decided_at: Mapped[datetime]
    complaint: Mapped[Complaint] = relationship(back_populates="decisions")
    takedowns: Mapped[list[Takedown]] = relationship(
        back_populates="decision", cascade="all, delete-orphan", order_by="Takedown.id"
    )


class Takedown(Base):
    """A post of a take-down decision that the owner confirmed removed (the post became `taken_down`).

    A revision that no longer takes the post down gives it `status_before` back and records when.
    """

    __table__ = schema.takedown

    id: Mapped[int]
    decision_id: Mapped[int]
    post_id: Mapped[int]
    confirmed_at: Mapped[datetime]
    status_before: Mapped[str]
    restored_at: Mapped[datetime | None]
    decision: Mapped[Decision] = relationship(back_populates="takedowns")
    post: Mapped[Post] = relationship()


class PurgeRun(Base):
    """The owner's decision to burn a persona down: one run per persona, kept until the scrub removes it.

    The checklist itself is recomputed from the archive every time (so posts logged after the run
    started join it); only the items the owner has marked are stored, as `PurgeItem` rows.
    """

    __table__ = schema.purge_run

    id: Mapped[int]
    persona_id: Mapped[int]
    started_at: Mapped[datetime]
    persona: Mapped[Persona] = relationship()
    items: Mapped[list[PurgeItem]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by="PurgeItem.id"
    )


class PurgeItem(Base):
    """The owner's mark on one checklist item of a run (`post:12`, `account:3`, `local:backups`, ...)."""

    __table__ = schema.purge_item

    id: Mapped[int]
    run_id: Mapped[int]
    item_key: Mapped[str]
    """The item's stable id, as the checklist shows it."""
    state: Mapped[PurgeItemState]
    reason: Mapped[str | None]
    """Why it was skipped or failed (required for skipped)."""
    post_status_before: Mapped[str | None]
    """For a post item marked done: the post's status before it became `deleted`, restored if the mark is undone."""
    changed_at: Mapped[datetime]
    run: Mapped[PurgeRun] = relationship(back_populates="items")


class PurgeFile(Base):
    """An archived file a committed scrub left to delete: the queue that makes the scrub resumable.

    Written in the scrub's transaction, emptied once the files are gone; a scrub killed in between
    finishes the deletions when it runs again. Not audited: its rows only name content hashes.
    """

    __table__ = schema.purge_file

    id: Mapped[int]
    archive_path: Mapped[str]
    queued_at: Mapped[datetime]


class PostCheck(Base):
    """One answer of `tracker check`: whether a platform still shows a post, when asked, and why.

    Kept as a history (the newest row per post is its last check); removed with the post.
    """

    __table__ = schema.post_check

    id: Mapped[int]
    post_id: Mapped[int]
    checked_at: Mapped[datetime]
    state: Mapped[str]
    """live, gone or unknown."""
    reason: Mapped[str | None]
    """Why the answer is unknown (rate-limited, server error, login wall, unexpected answer, ...)."""
    url: Mapped[str]
    """The public address asked."""
    status_code: Mapped[int | None]
    evidence: Mapped[dict[str, Any]]
