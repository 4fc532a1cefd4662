"""posts a stored platform notice says the platform removed are recorded taken down

Since `complaints.platform_removed`, a platform's notice saying the platform removed the content (Bluesky's "We
have removed the content", pixiv事務局's 「削除いたしました」, X's "we have disabled access to" and
「アクセスを無効にしました」, pixivFANBOX's 「公開を停止いたしました」) records the live
posts its complaint names as `taken_down` when it is logged, when posts are named on it later, or when the
platform's later message kept with it says so. A complaint an older tracker logged keeps such a notice with its
posts still `live`: they stand in the burn-down checklist as still to delete and in `tracker status` as a promised
take-down never done. This revision reads every stored notice once, the complaint's own message and each later
message kept with it (`follow_ups`), and records the posts it names as the newer tracker would have: each live one
becomes `taken_down`, with an audit entry of its own whose command says so (`complaint upgrade: read from its stored
notice #3`, which `tracker show` and `complaint show` print as `complaint #3 upgrade: read from its stored notice`).

A post whose status changed after the complaint was logged is left as it is: the owner (or the tracker that read
the notice) has dealt with it since (`post set N --status live` after a counter-notice brought it back), and an
upgrade never undoes that. A post already taken down or deleted stays too.

The reading is a frozen copy of `complaints.reading.platform_notices` as it was when this revision was written
(only what says "a platform's notice that says it removed the content"): the application's reading may change,
this revision must read the same way on every database it ever upgrades.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COMMAND = "complaint upgrade: read from its stored notice #{number}"
"""The command of each audit entry this revision writes (a complaint command naming its complaint's number)."""

_BRAND = (
    r"bluesky|x(?:\s+corp\.?)?|twitter(?:,?\s+inc\.?)?|pixiv|ピクシブ|misskey|civitai|deviantart|tumblr"
    r"|(?:pixiv\s*)?fanbox|(?:pixiv\s*)?booth"
)
_TEAM_WORDS = (
    rf"(?:the\s+)?(?:{_BRAND})\s*(?:"
    r"(?:trust\s*(?:&|and)\s*safety|support|safety|copyright|legal|moderation|help\s*desk)(?:\s+(?:team|department|desk))?"
    r"|team|corp\.|事務局|サポート(?:チーム|窓口|事務局)?|運営(?:事務局|チーム)?|カスタマーサポート)"
)
_TEAM_LINE = re.compile(_TEAM_WORDS, re.I)
_INTRODUCED = re.compile(
    rf"(?:こちらは\s*)?(?P<team>{_TEAM_WORDS})\s*(?:です|でございます)(?:[。、!！]|$)"
    rf"|(?:(?:hello|hi|dear\s+[^,\n]{{1,40}})[,!]?\s+)?(?:this\s+is|we\s+are|we're)\s+"
    rf"(?P<team_en>{_TEAM_WORDS})(?:[.,!:;]|\s*$)",
    re.I,
)
_PASSES_ON = re.compile(
    r"\bwe(?:\s+have|'ve)\s+received\s+an?\s+(?:[\w-]+\s+){0,3}(?:complaint|notice|notification|report|claim|request)"
    r"[^.\n]{0,80}?\b(?:regarding|about|concerning|against|for|related to)\s+(?:your|the following)\b"
    r"|権利者(?:様|の方|を名乗る方)(?:から|より)[^。\n]{0,40}申し?立て"
    r"|著作権侵害(?:の|に関する)(?:申し?立て|通報|通知)(?:を受け|がありました|が寄せられ|をいただ)",
    re.I,
)
_PLATFORM_VOICE = re.compile(
    r"\bwe(?:\s+have|'ve)?\s+(?:removed|disabled(?:\s+access\s+to)?|taken\s+down|withheld|restricted|hidden)\b"
    r"|\bwe(?:\s+are|'re|\s+have|'ve)?\s+forward(?:ing|ed)\b"
    r"|\b(?:on|from|to|of)\s+our\s+(?:service|platform|site|website|app|network)\b"
    r"|\bour\s+(?:terms(?:\s+of\s+(?:service|use))?|community\s+guidelines|policies|(?:copyright\s+)?policy|rules)\b"
    r"|お客様(?:が|の)(?:投稿|アップロード|公開)|(?:当|本|弊社)サービス|ご利用いただき|利用規約|ガイドライン"
    r"|削除(?:いたしました|しました|させていただきました)|非公開(?:と|に)(?:いたしました|しました|させていただきました)"
    r"|公開を停止(?:いたしました|しました)|アクセスを無効に(?:いたしました|しました)|無効化(?:いたしました|しました)",
    re.I,
)
_AGENT_VOICE = re.compile(
    r"\b(?:our|my)\s+clients?(?:'s?)?\b|\bwe\s+(?:represent|act\s+(?:for|on\s+behalf\s+of))\b"
    r"|\b(?:we\s+are|I\s+am)\s+(?:the\s+)?(?:(?:authori[sz]ed\s+)?agents?|attorneys?|counsel|solicitors?|lawyers?)\b"
    r"|\b(?:instructed|retained)\s+by\b"
    r"|当職|通知人|当事務所|代理人として|ご?依頼者|(?:ご依頼|委任)を受け|受任",
    re.I,
)
_COMPLAINT_WORD = re.compile(r"complaint|notice|notification|claim|DMCA|申し?立て|通報|権利侵害", re.I)
_REMOVED = re.compile(
    r"\bwe(?:\s+have|'ve)\s+(?:removed|disabled(?:\s+access\s+to)?|taken\s+down|withheld)\b"
    r"|\b(?:has|have)\s+been\s+(?:removed|disabled|taken\s+down|withheld)\b"
    r"|削除(?:いたしました|しました|させていただきました|済み)|非公開(?:と|に)(?:いたしました|しました|させていただきました)"
    r"|公開を停止(?:いたしました|しました)|アクセスを無効に(?:いたしました|しました)|無効化(?:いたしました|しました)",
    re.I,
)


def says_removed(text: str | None) -> bool:
    """Is `text` a platform's notice (signed by its team, or introduced by it as it opens, and speaking of a
    complaint; or in a platform's own words passing a complaint on, not a lawyer's) saying it removed the content?"""
    if not text or not _REMOVED.search(text):
        return False
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    team = any(_TEAM_LINE.fullmatch(line) for line in lines[-4:]) or any(
        (found := _INTRODUCED.match(line)) and _TEAM_LINE.fullmatch(found.group("team") or found.group("team_en"))
        for line in lines[:3]
    )
    if team and _COMPLAINT_WORD.search(text):
        return True
    return bool(_PASSES_ON.search(text) and _PLATFORM_VOICE.search(text) and not _AGENT_VOICE.search(text))


_complaint = sa.table(
    "complaint",
    sa.column("id", sa.Integer),
    sa.column("message", sa.Text),
    sa.column("follow_ups", sa.JSON),
    sa.column("created_at", sa.DateTime),
)
_link = sa.table("complaint_post", sa.column("complaint_id", sa.Integer), sa.column("post_id", sa.Integer))
_post = sa.table(
    "post", sa.column("id", sa.Integer), sa.column("status", sa.String), sa.column("status_changed_at", sa.DateTime)
)
_event = sa.table(
    "event",
    sa.column("at", sa.DateTime),
    sa.column("entity", sa.String),
    sa.column("entity_id", sa.BigInteger),
    sa.column("action", sa.String),
    sa.column("changes", sa.JSON),
    sa.column("command", sa.String),
)


def _iso(naive_utc: datetime | None) -> str | None:
    """A stored time (naive UTC) as the audit trail writes one (`db.audit.plain_value`: ISO 8601 in UTC)."""
    return None if naive_utc is None else naive_utc.replace(tzinfo=UTC).isoformat()


def _texts(message: str | None, follow_ups: Any) -> list[str]:
    """The complaint's message and each later message kept with it."""
    texts = [message] if message else []
    for kept in follow_ups if isinstance(follow_ups, list) else []:
        if isinstance(kept, dict) and isinstance(kept.get("message"), str):
            texts.append(kept["message"])
    return texts


def _status_changed_since(bind: sa.Connection, post_id: int, since: datetime) -> bool:
    """Did an audit entry change the post's status at or after `since` (naive UTC)?"""
    entries = bind.execute(
        sa.select(_event.c.changes).where(
            _event.c.entity == "post", _event.c.entity_id == post_id, _event.c.at >= since
        )
    )
    return any(isinstance(changes, dict) and "status" in changes for (changes,) in entries)


def upgrade() -> None:
    bind = op.get_bind()
    now = datetime.now(UTC).replace(tzinfo=None)
    complaints = bind.execute(
        sa.select(_complaint.c.id, _complaint.c.message, _complaint.c.follow_ups, _complaint.c.created_at).order_by(
            _complaint.c.id
        )
    ).all()
    taken: set[int] = set()
    for number, message, follow_ups, created_at in complaints:
        if not any(says_removed(text) for text in _texts(message, follow_ups)):
            continue
        named = bind.execute(
            sa.select(_post.c.id, _post.c.status, _post.c.status_changed_at)
            .join(_link, _link.c.post_id == _post.c.id)
            .where(_link.c.complaint_id == number)
            .order_by(_post.c.id)
        ).all()
        for post_id, status, changed_at in named:
            if status != "live" or post_id in taken or _status_changed_since(bind, post_id, created_at):
                continue
            bind.execute(
                sa.update(_post).where(_post.c.id == post_id).values(status="taken_down", status_changed_at=now)
            )
            changes = {"status": ["live", "taken_down"], "status_changed_at": [_iso(changed_at), _iso(now)]}
            bind.execute(
                sa.insert(_event).values(
                    at=now,
                    entity="post",
                    entity_id=post_id,
                    action="update",
                    changes=changes,
                    command=COMMAND.format(number=number),
                )
            )
            taken.add(post_id)


def downgrade() -> None:
    """Nothing to undo in the schema: the posts stay taken down (an older tracker reads them as any other)."""
