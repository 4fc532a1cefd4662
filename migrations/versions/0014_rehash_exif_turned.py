"""images stored turned by an EXIF orientation are re-hashed as they are shown

Hashes are now made of the picture as viewers show it (the EXIF Orientation applied), so a phone
photo stored sideways matches a screenshot of its post. Images already stored with an orientation
of 2-8 hold hashes of the unturned pixels: their hash_version is cleared, and the next search
re-hashes them from their archived copies (`matching.stored.rehash_stale`) and rebuilds its saved
index. The orientation is read back from the EXIF entries of the raw metadata (`posts.views.exif_orientation`).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TURNED = {"2", "3", "4", "5", "6", "7", "8"}


def _turned(raw: Any) -> bool:
    """Does this raw metadata (JSON text) hold an EXIF Orientation that turns the picture?"""
    try:
        metadata = json.loads(raw) if isinstance(raw, str | bytes) else raw
    except (ValueError, RecursionError):
        return False
    entries = metadata.get("entries") if isinstance(metadata, dict) else None
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict) and (entry.get("container"), entry.get("key")) == ("exif:IFD0", "Orientation"):
            value = entry.get("value")
            return entry.get("encoding") == "repr" and isinstance(value, str) and value in _TURNED
    return False


def _mark_turned_stale() -> None:
    """Clear the hash version of every image stored with such an orientation: the next search re-hashes it."""
    bind = op.get_bind()
    found = bind.execute(
        sa.text("SELECT id, raw_metadata FROM image WHERE CAST(raw_metadata AS TEXT) LIKE '%\"Orientation\"%'")
    )
    turned = [int(image_id) for image_id, raw in found if _turned(raw)]
    for start in range(0, len(turned), 500):
        part = turned[start : start + 500]
        bind.execute(
            sa.text("UPDATE image SET hash_version = NULL WHERE id IN :ids").bindparams(
                sa.bindparam("ids", expanding=True)
            ),
            {"ids": part},
        )


def upgrade() -> None:
    _mark_turned_stale()


def downgrade() -> None:
    # An older tracker hashes the pixels as stored: the same images are re-hashed its way.
    _mark_turned_stale()
