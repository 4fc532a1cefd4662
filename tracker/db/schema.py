"""The archive's tables, in SQLAlchemy Core: the one description of the schema.

Portable on purpose: plain integers, strings, JSON and fixed-width binary hashes, so the same
tables run on SQLite and PostgreSQL. Every change goes through an alembic revision (the test suite
checks that these tables and the revisions agree). The ORM classes in `db.models` are mapped onto
these tables; commands that only count or list (`tracker status`) query them directly, without
loading the ORM.
"""

from __future__ import annotations

import enum

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.sql.naming import conv

from tracker.db import enums
from tracker.db.revision import REVISION as REVISION  # the revision these tables are at
from tracker.db.types import UTCDateTime
from tracker.support.dates import utcnow

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


HASH_BYTES = 8
"""Width of each stored perceptual hash (64-bit hashes as 8 big-endian bytes)."""

metadata = MetaData(naming_convention=NAMING)


def _enum(cls: type[enum.StrEnum], table: str, name: str, length: int = 24) -> Enum:
    """A portable enum column: a VARCHAR with a CHECK constraint `ck_<table>_<name>`, stored as the member values.

    The constraint's name is given in full (`conv`): the naming convention would leave a type's
    own name as it is, and the databases the migrations made before this module carry
    `ck_<table>_<name>` (those made since carry `<name>`: the migrations take this module's
    convention; `db.schema_check` counts both as the same constraint).
    """
    return Enum(
        cls,
        name=conv(f"ck_{table}_{name}"),
        native_enum=False,
        create_constraint=True,
        length=length,
        values_callable=lambda e: [m.value for m in e],
    )


persona = Table(
    "persona",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("created_at", UTCDateTime(), nullable=False, default=utcnow),
    # The name replies are signed with (the persona's public name; the key `name` is tracker's own).
    Column("display_name", String(200)),
    # How a complainant reaches the persona (an address, a platform message link), under the signature.
    Column("contact", Text),
)


account = Table(
    "account",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("persona_id", Integer, ForeignKey("persona.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("platform", String(64), nullable=False),
    # The account name or id on the platform; None while unknown (e.g. a pixiv artwork URL).
    Column("handle", String(300)),
    Column("profile_url", String(2048)),
    Column("created_at", UTCDateTime(), nullable=False, default=utcnow),
    UniqueConstraint("platform", "handle", name="uq_account_platform_handle"),
)


image = Table(
    "image",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("original_name", String(1024), nullable=False),
    # Path of the archived copy, relative to the archive folder.
    Column("archive_path", String(1024), nullable=False),
    Column("format", String(16), nullable=False),
    Column("width", Integer, nullable=False),
    Column("height", Integer, nullable=False),
    Column("size_bytes", BigInteger, nullable=False),
    # Every text chunk / EXIF field / hidden payload exactly as found (see metadata.containers).
    Column("raw_metadata", JSON, nullable=False),
    # The parsed GenerationInfo as a dict, or None when the file carries none.
    Column("generation", JSON),
    Column("generator", String(32), index=True),
    # The accountability findings when the image was logged: [{code, severity, message}].
    Column("findings", JSON),
    # 64-bit DCT perceptual hash, 8 bytes big-endian.
    Column("phash", LargeBinary(HASH_BYTES), nullable=False),
    # 64-bit gradient (difference) hash, 8 bytes big-endian.
    Column("dhash", LargeBinary(HASH_BYTES), nullable=False),
    # pHash of the mirror image (finds flipped reposts).
    Column("phash_mirror", LargeBinary(HASH_BYTES)),
    Column("dhash_mirror", LargeBinary(HASH_BYTES)),
    # pHashes of hashing.STORED_REGIONS, 8 bytes each, in order.
    Column("region_hashes", LargeBinary),
    # Bit i set: region i has texture enough to match.
    Column("region_mask", BigInteger().with_variant(Integer(), "sqlite")),  # SQLite: 64-bit anyway (0011)
    # hashing.HASH_VERSION the hashes were made with; older (or NULL) rows are re-hashed from the archive.
    Column("hash_version", Integer, index=True),
    # The persona the image was logged or imported for (it may have no post yet).
    Column("persona_id", Integer, ForeignKey("persona.id", ondelete="SET NULL"), index=True),
    Column("created_at", UTCDateTime(), nullable=False, default=utcnow),
)


post = Table(
    "post",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("image_id", Integer, ForeignKey("image.id", ondelete="RESTRICT"), nullable=False, index=True),
    Column("account_id", Integer, ForeignKey("account.id", ondelete="RESTRICT"), nullable=False, index=True),
    Column("url", String(2048), nullable=False, unique=True),
    Column("platform", String(64), nullable=False, index=True),
    Column("platform_post_id", String(300)),
    Column("title", Text),
    Column("posted_at", UTCDateTime()),
    Column(
        "status",
        _enum(enums.PostStatus, "post", "post_status", 16),
        nullable=False,
        default=enums.PostStatus.LIVE,
    ),
    Column("status_changed_at", UTCDateTime(), nullable=False, default=utcnow),
    Column("logged_at", UTCDateTime(), nullable=False, default=utcnow),
    # Made for someone else: who asked for it.
    Column("requested_by", String(300)),
    # When that person gave their permission (a request is never logged without it).
    Column("permission_at", UTCDateTime()),
    # Where the permission is, e.g. a message link.
    Column("permission_ref", Text),
)


# The other pages of a post that shows several images (pixiv's `_p1`, `_p2`, the second photo of an X post):
# `post.image_id` is the image it was logged with, each further image is a row here, with its page number
# (1-based, as the platform shows it) when the import knew it. An image here is as much the post's as its first.
post_page = Table(
    "post_page",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("post_id", Integer, ForeignKey("post.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("image_id", Integer, ForeignKey("image.id", ondelete="RESTRICT"), nullable=False, index=True),
    Column("page", Integer),
    UniqueConstraint("post_id", "image_id", name="uq_post_page_post_id_image_id"),
)


# Every file name an image was logged or imported from, per persona (`image.original_name` is only the first):
# the local originals a persona's burn-down lists (`purge.local`), removed by its scrub. Not audited: the
# names stay out of the trail, so a scrub has nothing more to find there.
image_name = Table(
    "image_name",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("image_id", Integer, ForeignKey("image.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("persona_id", Integer, ForeignKey("persona.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("name", String(1024), nullable=False),
)


resource = Table(
    "resource",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("name", String(1024)),
    Column("hash", String(64), index=True),
    # autov1 (8 hex), autov2 (10 hex), short12 (LoRA addnet / TI 12 hex), sha256, novelai.
    Column("hash_kind", String(16)),
    Column("creator", String(300)),
    Column("source_url", String(2048)),
    Column("licence_note", Text),
    # Whether its licence allows commercial use: 'yes', 'no', or None (unknown).
    Column("commercial", String(16)),
    # What the last CivitAI look-up found: 'found', 'name_mismatch', 'unknown_hash' or 'failed'.
    Column("lookup_status", String(32)),
    Column("looked_up_at", UTCDateTime()),
    # The facts the look-up returned (model and version ids and names, creator, licence flags).
    Column("lookup", JSON),
    Column("created_at", UTCDateTime(), nullable=False, default=utcnow),
    Index("ix_resource_kind_name", "kind", "name"),
)


image_resource = Table(
    "image_resource",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("image_id", Integer, ForeignKey("image.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("resource_id", Integer, ForeignKey("resource.id", ondelete="RESTRICT"), nullable=False, index=True),
    Column("position", Integer, nullable=False, default=0),
    Column("weight", Float),
    # 'hires', 'refiner', 'adetailer', ... when not the main pass.
    Column("role", String(32)),
)


technique = Table(
    "technique",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("image_id", Integer, ForeignKey("image.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("position", Integer, nullable=False, default=0),
    Column("kind", String(32), nullable=False),
    Column("unit", Integer),
    Column("module", String(300)),
    Column("model", String(1024)),
    Column("model_hash", String(64)),
    Column("weight", Float),
    Column("risk_class", String(32), nullable=False),
    Column("risk_note", Text),
    Column("details", JSON, nullable=False, default=dict),
)


model_file = Table(
    "model_file",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("path", String(4096), nullable=False, unique=True),
    Column("size_bytes", BigInteger, nullable=False),
    Column("mtime_ns", BigInteger, nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    Column("autov1", String(8), index=True),
    Column("autov2", String(10), nullable=False, index=True),
    # Full addnet hash of a .safetensors file (the LoRA `Lora hashes` value is its first 12 hex).
    Column("addnet", String(64), index=True),
    Column("safetensors_metadata", JSON),
    Column("scanned_at", UTCDateTime(), nullable=False, default=utcnow),
)


event = Table(
    "event",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", UTCDateTime(), nullable=False, default=utcnow, index=True),
    Column("entity", String(64), nullable=False),
    Column("entity_id", BigInteger, nullable=False),
    # create, update or delete.
    Column("action", String(16), nullable=False),
    # {field: [old, new]} for every field that changed (old is None on create, new on delete).
    Column("changes", JSON, nullable=False),
    # The command that made the change, e.g. 'log'.
    Column("command", String(200)),
    Index("ix_event_entity", "entity", "entity_id"),
)


image_input = Table(
    "image_input",
    metadata,
    Column("id", Integer, primary_key=True),
    # The generated image the input went into.
    Column("image_id", Integer, ForeignKey("image.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("technique_id", Integer, ForeignKey("technique.id", ondelete="SET NULL"), index=True),
    Column("input_image_id", Integer, ForeignKey("image.id", ondelete="RESTRICT"), nullable=False, index=True),
    Column("kind", _enum(enums.InputKind, "image_input", "input_kind", 16), nullable=False),
    Column("licence", Text),
    Column("note", Text),
    Column("created_at", UTCDateTime(), nullable=False, default=utcnow),
    UniqueConstraint("image_id", "technique_id", "input_image_id", name="uq_image_input_use"),
)


complaint = Table(
    "complaint",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("received_at", UTCDateTime(), nullable=False, index=True),
    Column("channel", _enum(enums.Channel, "complaint", "complaint_channel"), nullable=False),
    Column("legal_basis", _enum(enums.LegalBasis, "complaint", "complaint_legal_basis"), nullable=False),
    # The platform the complaint came through or is about, when there is one.
    Column("platform", String(64)),
    # The platform's case or ticket number.
    Column("ticket_id", String(300)),
    Column("complainant_name", String(500)),
    Column("complainant_org", String(500)),
    # Rights holder, agent, lawyer, ... as they describe themselves.
    Column("complainant_role", String(200)),
    # Email, address, handle: personal data, kept apart from the complaint text.
    Column("complainant_contact", Text),
    Column("claimed_title", String(1000)),
    Column("claimed_description", Text),
    # Where the complainant's original work is.
    Column("claimed_urls", JSON, nullable=False, default=list),
    # The complaint text as received.
    Column("message", Text),
    # {legal element: present?} for the notice's legal basis (see `complaints.REQUIRED_ELEMENTS`).
    Column("completeness", JSON, nullable=False, default=dict),
    # Answer by then; overdue after it while the complaint is unanswered.
    Column("deadline_at", UTCDateTime()),
    Column(
        "status",
        _enum(enums.ComplaintStatus, "complaint", "complaint_status"),
        nullable=False,
        default=enums.ComplaintStatus.OPEN,
    ),
    Column("answered_at", UTCDateTime()),
    # The reply as sent (recorded when the owner marks the complaint answered).
    Column("reply_text", Text),
    Column("persona_id", Integer, ForeignKey("persona.id", ondelete="SET NULL"), index=True),
    Column("created_at", UTCDateTime(), nullable=False, default=utcnow),
    # The language replies are written in ('ja', 'en'); None: guessed from the complaint's text.
    Column("language", String(8)),
    # Minutes east of UTC of the Date its message was sent with (-480 for -0800); None: unknown (local time).
    Column("sent_utc_offset", Integer),
    # The complaint this one repeats, when it was closed as a duplicate of it (the same complaint logged twice).
    Column("duplicate_of_id", Integer, ForeignKey("complaint.id", ondelete="SET NULL")),
    # The sender's later messages, [{"received_at": ISO 8601, "message": text}], oldest first; None: none yet.
    Column("follow_ups", JSON),
    # What arrived attached to its message and was not kept, ["evidence.png (damaged or truncated image)"]; None: none.
    Column("attachments_not_kept", JSON),
    Index("ix_complaint_status_deadline", "status", "deadline_at"),
)


complaint_image = Table(
    "complaint_image",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("complaint_id", Integer, ForeignKey("complaint.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("sha256", String(64), nullable=False, index=True),
    Column("archive_path", String(1024), nullable=False),
    Column("original_name", String(1024), nullable=False),
    Column("format", String(16), nullable=False),
    Column("width", Integer, nullable=False),
    Column("height", Integer, nullable=False),
    Column("size_bytes", BigInteger, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False, default=utcnow),
    # What `complaint show` says of the picture (`matching.limits`), read when it was kept: one plain colour, and
    # how many frames (an animated one). NULL for a picture an older tracker kept: read from the file when shown.
    Column("plain_colour", Boolean),
    Column("frames", Integer),
    UniqueConstraint("complaint_id", "sha256", name="uq_complaint_image_complaint_sha256"),
)


complaint_post = Table(
    "complaint_post",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("complaint_id", Integer, ForeignKey("complaint.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("post_id", Integer, ForeignKey("post.id", ondelete="CASCADE"), nullable=False, index=True),
    # How the complaint named it (URL or id), as given.
    Column("reference", String(2048), nullable=False),
    UniqueConstraint("complaint_id", "post_id", name="uq_complaint_post_complaint_post"),
)


decision = Table(
    "decision",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("complaint_id", Integer, ForeignKey("complaint.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("action", _enum(enums.DecisionAction, "decision", "decision_action"), nullable=False),
    Column("reason", _enum(enums.DisputeReason, "decision", "decision_reason", length=32)),
    # The owner's private notes: kept on the record, never put into a reply.
    Column("notes", Text),
    # The sentence meant for the complainant, put into the reply.
    Column("reply_note", Text),
    # The posts the decision is about (taken down, for a take-down).
    Column("post_ids", JSON, nullable=False, default=list),
    Column("supersedes_id", Integer, ForeignKey("decision.id", ondelete="SET NULL")),
    Column("decided_at", UTCDateTime(), nullable=False, default=utcnow),
)


takedown = Table(
    "takedown",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("decision_id", Integer, ForeignKey("decision.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("post_id", Integer, ForeignKey("post.id", ondelete="CASCADE"), nullable=False, index=True),
    # When the owner confirmed the post was removed (the post became `taken_down` then).
    Column("confirmed_at", UTCDateTime(), nullable=False, default=utcnow),
    # The post's status before, given back if a revision no longer takes it down.
    Column("status_before", String(16), nullable=False),
    # When a revision that no longer takes the post down gave it its status back.
    Column("restored_at", UTCDateTime()),
    UniqueConstraint("decision_id", "post_id", name="uq_takedown_decision_post"),
)


purge_run = Table(
    "purge_run",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("persona_id", Integer, ForeignKey("persona.id", ondelete="CASCADE"), nullable=False, unique=True),
    Column("started_at", UTCDateTime(), nullable=False, default=utcnow),
)


purge_item = Table(
    "purge_item",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("run_id", Integer, ForeignKey("purge_run.id", ondelete="CASCADE"), nullable=False),
    # The item's stable id, as the checklist shows it.
    Column("item_key", String(200), nullable=False),
    Column("state", _enum(enums.PurgeItemState, "purge_item", "purge_item_state", length=16), nullable=False),
    # Why it was skipped or failed (required for skipped).
    Column("reason", Text),
    # For a post item marked done: the post's status before it became `deleted`, restored if the mark is undone.
    Column("post_status_before", String(16)),
    Column("changed_at", UTCDateTime(), nullable=False, default=utcnow),
    UniqueConstraint("run_id", "item_key", name="uq_purge_item_run_key"),
)


purge_file = Table(
    "purge_file",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("archive_path", String(1024), nullable=False, unique=True),
    Column("queued_at", UTCDateTime(), nullable=False, default=utcnow),
)


post_check = Table(
    "post_check",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("post_id", Integer, ForeignKey("post.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("checked_at", UTCDateTime(), nullable=False, default=utcnow),
    # live, gone or unknown (`tracker check`); unknown is never read as gone.
    Column("state", String(16), nullable=False),
    # Why the answer is unknown: rate-limited, server error, login wall, unexpected answer, ...
    Column("reason", String(64)),
    # The public address asked (the platform's check endpoint for this post).
    Column("url", String(2048), nullable=False),
    # The HTTP status of the deciding answer (None: no answer, or no request for this platform).
    Column("status_code", Integer),
    # What decided: {"status": 404, "field": "error", "value": true, "detail": "..."}.
    Column("evidence", JSON, nullable=False),
)


# `tracker posts` lists newest first: with this index the database reads posts in that order
# instead of sorting every row (and every report text joined to it) first.
Index("ix_post_logged_at_id", post.c.logged_at, post.c.id)


image_report = Table(
    "image_report",
    metadata,
    # An image's accountability report as `tracker posts --json` prints it, kept so a listing of
    # 100,000 posts need not rebuild 100,000 reports. Derived data: rebuilt whenever `context`
    # (a digest of what a report depends on besides the image: tracker's report format, the risk
    # table, the user's rule lists, the scanned model files) differs from the current one.
    Column("image_id", Integer, ForeignKey("image.id", ondelete="CASCADE"), primary_key=True),
    Column("context", String(64), nullable=False),
    # One line of JSON (an object), already escaped for the terminal (`support.textsafe.safe_json`).
    Column("report", Text, nullable=False),
)
