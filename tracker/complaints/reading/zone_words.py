"""A clock a message names in words (`10:00 PM Eastern Time`, `Japan Standard Time`, 日本時間), as its date line or the
deadline it asks for writes it: read by `message_dates`' readers (`forward_blocks`) and by `deadline_words`.

A module of its own, the standard library only, so that counting days on a clock (`deadline_words.at`, which
`tracker status` and `complaint list` use) loads none of the message readers.
"""

from __future__ import annotations

from datetime import tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

WRITTEN_ZONE_EN = r"(?:eastern|central|mountain|pacific|japan)(?:[ \t]+(?:standard|daylight))?[ \t]+time"
"""A zone written out in English (`Eastern Time`, `Pacific Standard Time`, `Japan Standard Time`), lowercase: match
it case-insensitively."""
WRITTEN_ZONE = WRITTEN_ZONE_EN + "|日本時間|日本標準時"
"""`WRITTEN_ZONE_EN`, or Japan's clock written in Japanese (日本時間, 日本標準時)."""
_WRITTEN_ZONES = {"eastern": "America/New_York", "central": "America/Chicago", "mountain": "America/Denver"}
_WRITTEN_ZONES |= {"pacific": "America/Los_Angeles", "japan": "Asia/Tokyo", "日本時間": "Asia/Tokyo"}
_WRITTEN_ZONES |= {"日本標準時": "Asia/Tokyo"}


def written_zone(name: str) -> tzinfo | None:
    """The clock a zone written out names (`WRITTEN_ZONE`), daylight saving time by the date as the place keeps it
    (`10:00 PM Eastern Time` is -05:00 in December, -04:00 in July, whatever `Standard` or `Daylight` says); None for
    any other name, or when the machine has no time zone database."""
    key = _WRITTEN_ZONES.get(name.split()[0].lower()) if name.strip() else None
    try:
        return ZoneInfo(key) if key else None
    except ZoneInfoNotFoundError:
        return None
