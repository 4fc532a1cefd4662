"""The archive's tables, as SQLAlchemy 2 typed models.

Portable on purpose: plain integers, strings, JSON and fixed-width binary hashes, so the same
models run on SQLite and PostgreSQL. Every change goes through an alembic revision.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from tracker.db.types import UTCDateTime, utcnow

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

HASH_BYTES = 8
"""Width of each stored perceptual hash (64-bit hashes as 8 big-endian bytes)."""


class Base(DeclarativeBase):
    """Declarative base with a naming convention, so constraint names match on every backend."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime()}


class PostStatus(enum.StrEnum):
    """Where a post stands on its platform."""

    LIVE = "live"
    TAKEN_DOWN = "taken_down"
    DELETED = "deleted"


class Persona(Base):
    """An online identity the owner posts under; everything else hangs off one."""

    __tablename__ = "persona"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    accounts: Mapped[list[Account]] = relationship(back_populates="persona")


class Account(Base):
    """One account of a persona on one platform."""

    __tablename__ = "account"
    __table_args__ = (UniqueConstraint("platform", "handle", name="uq_account_platform_handle"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    persona_id: Mapped[int] = mapped_column(ForeignKey("persona.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(64))
    handle: Mapped[str | None] = mapped_column(String(300))
    """The account name or id on the platform; None while unknown (e.g. a pixiv artwork URL)."""
    profile_url: Mapped[str | None] = mapped_column(String(2048))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    persona: Mapped[Persona] = relationship(back_populates="accounts")
    posts: Mapped[list[Post]] = relationship(back_populates="account")


class Image(Base):
    """One image file, identified by the sha256 of its bytes, archived once however often posted."""

    __tablename__ = "image"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    original_name: Mapped[str] = mapped_column(String(1024))
    archive_path: Mapped[str] = mapped_column(String(1024))
    """Path of the archived copy, relative to the archive folder."""
    format: Mapped[str] = mapped_column(String(16))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    raw_metadata: Mapped[dict[str, Any]] = mapped_column(JSON)
    """Every text chunk / EXIF field / hidden payload exactly as found (see metadata.containers)."""
    generation: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """The parsed GenerationInfo as a dict, or None when the file carries none."""
    generator: Mapped[str | None] = mapped_column(String(32), index=True)
    findings: Mapped[list[Any] | None] = mapped_column(JSON)
    """The accountability findings when the image was logged: [{code, severity, message}]."""
    phash: Mapped[bytes] = mapped_column(LargeBinary(HASH_BYTES))
    """64-bit DCT perceptual hash, 8 bytes big-endian."""
    dhash: Mapped[bytes] = mapped_column(LargeBinary(HASH_BYTES))
    """64-bit gradient (difference) hash, 8 bytes big-endian."""
    phash_mirror: Mapped[bytes | None] = mapped_column(LargeBinary(HASH_BYTES))
    """pHash of the mirror image (finds flipped reposts)."""
    dhash_mirror: Mapped[bytes | None] = mapped_column(LargeBinary(HASH_BYTES))
    region_hashes: Mapped[bytes | None] = mapped_column(LargeBinary)
    """pHashes of hashing.STORED_REGIONS, 8 bytes each, in order."""
    region_mask: Mapped[int | None] = mapped_column(Integer)
    """Bit i set: region i has texture enough to match."""
    hash_version: Mapped[int | None] = mapped_column(Integer, index=True)
    """hashing.HASH_VERSION the hashes were made with; older (or NULL) rows are re-hashed from the archive."""
    persona_id: Mapped[int | None] = mapped_column(ForeignKey("persona.id", ondelete="SET NULL"), index=True)
    """The persona the image was logged or imported for (it may have no post yet)."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

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

    __tablename__ = "post"

    id: Mapped[int] = mapped_column(primary_key=True)
    image_id: Mapped[int] = mapped_column(ForeignKey("image.id", ondelete="RESTRICT"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="RESTRICT"), index=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    platform: Mapped[str] = mapped_column(String(64), index=True)
    platform_post_id: Mapped[str | None] = mapped_column(String(300))
    title: Mapped[str | None] = mapped_column(Text)
    posted_at: Mapped[datetime | None] = mapped_column()
    status: Mapped[PostStatus] = mapped_column(
        Enum(
            PostStatus,
            name="post_status",
            native_enum=False,
            create_constraint=True,
            length=16,
            values_callable=lambda e: [m.value for m in e],
        ),
        default=PostStatus.LIVE,
    )
    status_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    logged_at: Mapped[datetime] = mapped_column(default=utcnow)
    requested_by: Mapped[str | None] = mapped_column(String(300))
    """Made for someone else: who asked for it."""
    permission_at: Mapped[datetime | None] = mapped_column()
    """When that person gave their permission (a request is never logged without it)."""
    permission_ref: Mapped[str | None] = mapped_column(Text)
    """Where the permission is, e.g. a message link."""

    image: Mapped[Image] = relationship(back_populates="posts")
    account: Mapped[Account] = relationship(back_populates="posts")


class Resource(Base):
    """A model file named in metadata: checkpoint, LoRA, embedding, VAE, ControlNet model, ..."""

    __tablename__ = "resource"
    __table_args__ = (Index("ix_resource_kind_name", "kind", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    name: Mapped[str | None] = mapped_column(String(1024))
    hash: Mapped[str | None] = mapped_column(String(64), index=True)
    hash_kind: Mapped[str | None] = mapped_column(String(16))
    """autov1 (8 hex), autov2 (10 hex), short12 (LoRA addnet / TI 12 hex), sha256, novelai."""
    creator: Mapped[str | None] = mapped_column(String(300))
    source_url: Mapped[str | None] = mapped_column(String(2048))
    licence_note: Mapped[str | None] = mapped_column(Text)
    commercial: Mapped[str | None] = mapped_column(String(16))
    """Whether its licence allows commercial use: 'yes', 'no', or None (unknown)."""
    lookup_status: Mapped[str | None] = mapped_column(String(32))
    """What the last CivitAI look-up found: 'found', 'name_mismatch', 'unknown_hash' or 'failed'."""
    looked_up_at: Mapped[datetime | None] = mapped_column()
    lookup: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """The facts the look-up returned (model and version ids and names, creator, licence flags)."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    uses: Mapped[list[ImageResource]] = relationship(back_populates="resource")


class ImageResource(Base):
    """An image's use of a resource, with the weight it was used at."""

    __tablename__ = "image_resource"

    id: Mapped[int] = mapped_column(primary_key=True)
    image_id: Mapped[int] = mapped_column(ForeignKey("image.id", ondelete="CASCADE"), index=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resource.id", ondelete="RESTRICT"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    weight: Mapped[float | None] = mapped_column(Float)
    role: Mapped[str | None] = mapped_column(String(32))
    """'hires', 'refiner', 'adetailer', ... when not the main pass."""

    image: Mapped[Image] = relationship(back_populates="resources")
    resource: Mapped[Resource] = relationship(back_populates="uses")


class Technique(Base):
    """One image-input use found in an image's metadata, with its risk class."""

    __tablename__ = "technique"

    id: Mapped[int] = mapped_column(primary_key=True)
    image_id: Mapped[int] = mapped_column(ForeignKey("image.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(32))
    unit: Mapped[int | None] = mapped_column(Integer)
    module: Mapped[str | None] = mapped_column(String(300))
    model: Mapped[str | None] = mapped_column(String(1024))
    model_hash: Mapped[str | None] = mapped_column(String(64))
    weight: Mapped[float | None] = mapped_column(Float)
    risk_class: Mapped[str] = mapped_column(String(32))
    risk_note: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    image: Mapped[Image] = relationship(back_populates="techniques")


class ModelFile(Base):
    """A model file on the owner's disk, with the hashes images use to name it (`tracker models scan`).

    Cached by path, size and mtime, so a rescan only reads files that changed.
    """

    __tablename__ = "model_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    path: Mapped[str] = mapped_column(String(4096), unique=True)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    mtime_ns: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    autov1: Mapped[str | None] = mapped_column(String(8), index=True)
    autov2: Mapped[str] = mapped_column(String(10), index=True)
    addnet: Mapped[str | None] = mapped_column(String(64), index=True)
    """Full addnet hash of a .safetensors file (the LoRA `Lora hashes` value is its first 12 hex)."""
    safetensors_metadata: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    scanned_at: Mapped[datetime] = mapped_column(default=utcnow)


class Event(Base):
    """Append-only audit trail: one row per created, changed or deleted record.

    Written by the session hook in `db.audit`, never updated or deleted by the application.
    """

    __tablename__ = "event"
    __table_args__ = (Index("ix_event_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[int] = mapped_column(BigInteger)
    action: Mapped[str] = mapped_column(String(16))
    """create, update or delete."""
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)
    """{field: [old, new]} for every field that changed (old is None on create, new on delete)."""
    command: Mapped[str | None] = mapped_column(String(200))
    """The command that made the change, e.g. 'log'."""


def _enum(cls: type[enum.StrEnum], name: str, length: int = 24) -> Enum:
    """A portable enum column: a VARCHAR with a CHECK constraint, stored as the member values."""
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=length,
        values_callable=lambda e: [m.value for m in e],
    )


class InputKind(enum.StrEnum):
    """Where an input image came from (the owner's rule: only these may ever be inputs)."""

    OWN_GENERATION = "own_generation"
    OWN_ASSET = "own_asset"
    COMMISSIONED = "commissioned"
    """Made for the owner, with the rights to use it."""
    LICENSED = "licensed"
    """An asset used under a licence (the licence text or URL is recorded)."""
    GENERIC = "generic"
    """Something that cannot infringe, such as a blank pose skeleton or a depth map of a primitive."""


class ImageInput(Base):
    """The image an image-input technique of a generated image was fed: archived and hashed like a post."""

    __tablename__ = "image_input"
    __table_args__ = (UniqueConstraint("image_id", "technique_id", "input_image_id", name="uq_image_input_use"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    image_id: Mapped[int] = mapped_column(ForeignKey("image.id", ondelete="CASCADE"), index=True)
    """The generated image the input went into."""
    technique_id: Mapped[int | None] = mapped_column(ForeignKey("technique.id", ondelete="SET NULL"), index=True)
    input_image_id: Mapped[int] = mapped_column(ForeignKey("image.id", ondelete="RESTRICT"), index=True)
    kind: Mapped[InputKind] = mapped_column(_enum(InputKind, "input_kind", 16))
    licence: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    image: Mapped[Image] = relationship(foreign_keys=[image_id])
    input_image: Mapped[Image] = relationship(foreign_keys=[input_image_id])
    technique: Mapped[Technique | None] = relationship()


class Channel(enum.StrEnum):
    """How a complaint arrived."""

    PLATFORM_FORM = "platform_form"
    EMAIL = "email"
    DM = "dm"
    LETTER = "letter"
    OTHER = "other"


class LegalBasis(enum.StrEnum):
    """The law or rule a complaint invokes."""

    DMCA = "dmca"
    DSA = "dsa"
    JAPAN = "jp"
    PLATFORM_RULES = "platform_rules"
    NONE = "none"


class ComplaintStatus(enum.StrEnum):
    """Where a complaint stands: `open` and `decided` still need the owner (nothing answered yet)."""

    OPEN = "open"
    DECIDED = "decided"
    ANSWERED = "answered"
    CLOSED = "closed"


class DecisionAction(enum.StrEnum):
    """What the owner decided about a complaint."""

    TAKE_DOWN = "take_down"
    DISPUTE = "dispute"
    ASK_INFO = "ask_info"
    INVALID = "invalid"
    WITHDRAWN = "withdrawn"


class DisputeReason(enum.StrEnum):
    """Why a complaint is disputed (the owner's document reserves the first two)."""

    SLIGHT_RESEMBLANCE = "slight_resemblance"
    SMALL_PART = "small_part"
    INDEPENDENT_CREATION = "independent_creation"
    LICENSED_INPUT = "licensed_input"
    NOT_MY_POST = "not_my_post"
    OTHER = "other"


class Complaint(Base):
    """A copyright (or other) complaint about one or more posts, from intake to answer."""

    __tablename__ = "complaint"
    __table_args__ = (Index("ix_complaint_status_deadline", "status", "deadline_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    received_at: Mapped[datetime] = mapped_column(index=True)
    channel: Mapped[Channel] = mapped_column(_enum(Channel, "complaint_channel"))
    legal_basis: Mapped[LegalBasis] = mapped_column(_enum(LegalBasis, "complaint_legal_basis"))
    platform: Mapped[str | None] = mapped_column(String(64))
    """The platform the complaint came through or is about, when there is one."""
    ticket_id: Mapped[str | None] = mapped_column(String(300))
    """The platform's case or ticket number."""
    complainant_name: Mapped[str | None] = mapped_column(String(500))
    complainant_org: Mapped[str | None] = mapped_column(String(500))
    complainant_role: Mapped[str | None] = mapped_column(String(200))
    """Rights holder, agent, lawyer, ... as they describe themselves."""
    complainant_contact: Mapped[str | None] = mapped_column(Text)
    """Email, address, handle: personal data, kept apart from the complaint text."""
    claimed_title: Mapped[str | None] = mapped_column(String(1000))
    claimed_description: Mapped[str | None] = mapped_column(Text)
    claimed_urls: Mapped[list[str]] = mapped_column(JSON, default=list)
    """Where the complainant's original work is."""
    message: Mapped[str | None] = mapped_column(Text)
    """The complaint text as received."""
    completeness: Mapped[dict[str, bool]] = mapped_column(JSON, default=dict)
    """{legal element: present?} for the notice's legal basis (see `complaints.REQUIRED_ELEMENTS`)."""
    deadline_at: Mapped[datetime | None] = mapped_column()
    """Answer by then; overdue after it while the complaint is unanswered."""
    status: Mapped[ComplaintStatus] = mapped_column(
        _enum(ComplaintStatus, "complaint_status"), default=ComplaintStatus.OPEN
    )
    answered_at: Mapped[datetime | None] = mapped_column()
    reply_text: Mapped[str | None] = mapped_column(Text)
    """The reply as sent (recorded when the owner marks the complaint answered)."""
    persona_id: Mapped[int | None] = mapped_column(ForeignKey("persona.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

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


class ComplaintImage(Base):
    """An image the complainant sent (their work, or a copy of the post), archived by content hash."""

    __tablename__ = "complaint_image"
    __table_args__ = (UniqueConstraint("complaint_id", "sha256", name="uq_complaint_image_complaint_sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id", ondelete="CASCADE"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    archive_path: Mapped[str] = mapped_column(String(1024))
    original_name: Mapped[str] = mapped_column(String(1024))
    format: Mapped[str] = mapped_column(String(16))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    complaint: Mapped[Complaint] = relationship(back_populates="images")


class ComplaintPost(Base):
    """A post the complaint names (by URL or id), resolved when the complaint was logged."""

    __tablename__ = "complaint_post"
    __table_args__ = (UniqueConstraint("complaint_id", "post_id", name="uq_complaint_post_complaint_post"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id", ondelete="CASCADE"), index=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"), index=True)
    reference: Mapped[str] = mapped_column(String(2048))
    """How the complaint named it (URL or id), as given."""

    complaint: Mapped[Complaint] = relationship(back_populates="named_posts")
    post: Mapped[Post] = relationship()


class Decision(Base):
    """One decision about a complaint. Never changed: a revision is a new row that supersedes it."""

    __tablename__ = "decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id", ondelete="CASCADE"), index=True)
    action: Mapped[DecisionAction] = mapped_column(_enum(DecisionAction, "decision_action"))
    reason: Mapped[DisputeReason | None] = mapped_column(_enum(DisputeReason, "decision_reason", length=32))
    notes: Mapped[str | None] = mapped_column(Text)
    post_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    """The posts the decision is about (taken down, for a take-down)."""
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("decision.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)

    complaint: Mapped[Complaint] = relationship(back_populates="decisions")


class PurgeItemState(enum.StrEnum):
    """Where one item of a purge checklist stands (`open` until the owner marks it)."""

    OPEN = "open"
    DONE = "done"
    SKIPPED = "skipped"
    FAILED = "failed"


class PurgeRun(Base):
    """The owner's decision to burn a persona down: one run per persona, kept until the scrub removes it.

    The checklist itself is recomputed from the archive every time (so posts logged after the run
    started join it); only the items the owner has marked are stored, as `PurgeItem` rows.
    """

    __tablename__ = "purge_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    persona_id: Mapped[int] = mapped_column(ForeignKey("persona.id", ondelete="CASCADE"), unique=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)

    persona: Mapped[Persona] = relationship()
    items: Mapped[list[PurgeItem]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by="PurgeItem.id"
    )


class PurgeItem(Base):
    """The owner's mark on one checklist item of a run (`post:12`, `account:3`, `local:backups`, ...)."""

    __tablename__ = "purge_item"
    __table_args__ = (UniqueConstraint("run_id", "item_key", name="uq_purge_item_run_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("purge_run.id", ondelete="CASCADE"))
    item_key: Mapped[str] = mapped_column(String(200))
    """The item's stable id, as the checklist shows it."""
    state: Mapped[PurgeItemState] = mapped_column(_enum(PurgeItemState, "purge_item_state", length=16))
    reason: Mapped[str | None] = mapped_column(Text)
    """Why it was skipped or failed (required for skipped)."""
    post_status_before: Mapped[str | None] = mapped_column(String(16))
    """For a post item marked done: the post's status before it became `deleted`, restored if the mark is undone."""
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)

    run: Mapped[PurgeRun] = relationship(back_populates="items")


class PurgeFile(Base):
    """An archived file a committed scrub left to delete: the queue that makes the scrub resumable.

    Written in the scrub's transaction, emptied once the files are gone; a scrub killed in between
    finishes the deletions when it runs again. Not audited: its rows only name content hashes.
    """

    __tablename__ = "purge_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    archive_path: Mapped[str] = mapped_column(String(1024), unique=True)
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
