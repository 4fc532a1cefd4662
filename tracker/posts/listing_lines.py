"""One listed post as its JSON line, and a batch of lines made safe for the terminal: `tracker posts`.

A listing prints 100,000 of these lines, so a line is written out field by field with json's own
string encoder (a dict plus `json.dumps` per post costs more than reading the post), and the
image's accountability report is spliced in as the text it was kept as. The line is
`views.post_row_dict`'s form, key for key and byte for byte (`tests/posts/test_listing.py`
compares it with `show --json`).

Nothing read from the database is trusted to be safe to print: a database restored from
elsewhere could hold anything, kept reports included. Every line is checked (`printable`: the
same answer as `str.isprintable`, at the speed of `bytes.translate` for the ASCII that is nearly
all of a listing), as the UTF-8 bytes that are then written out; only a line that fails is
escaped (`_escaped`). Lines are checked one by one, not as one joined batch: a megabyte-sized
string per batch costs more in fresh memory (page faults) than the check itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from json.encoder import encode_basestring
from typing import Any

from tracker.db.enums import PostStatus
from tracker.db.plain import stored_time
from tracker.errors import DatabaseError
from tracker.support.textsafe import escape_unsafe

IMAGE_ID_AT = 17
"""Where the image's id is in a row."""

_PRINTABLE_ASCII = bytes(range(0x20, 0x7F))
_STATUS = {s.value: encode_basestring(s.value) for s in PostStatus}
_CONTROL = re.compile("[\x00-\x1f]")


def printable(text: str) -> bool:
    """`text.isprintable()`, several times faster on text that is mostly ASCII (`_printable_utf8`)."""
    return _printable_utf8(text.encode("utf-8", "surrogatepass"))


def _printable_utf8(data: bytes) -> bool:
    """Whether the UTF-8 text is printable (`str.isprintable`), judged at the speed of `bytes.translate`.

    Printable ASCII is dropped byte by byte (one C loop); what is left (control bytes and whole
    UTF-8 sequences, which never contain an ASCII byte) is what `isprintable` still has to judge,
    and it is usually nothing. Lone surrogates survive the round trip (`surrogatepass`) and are
    judged unprintable, as `isprintable` judges them.
    """
    rest = data.translate(None, _PRINTABLE_ASCII)
    return not rest or rest.decode("utf-8", "surrogatepass").isprintable()


def encoded_lines(rows: Iterable[Sequence[Any]], reports: Mapping[int, str]) -> list[bytes]:
    """Each row's JSON line as UTF-8, printable: as `_line` writes it when it is (nearly always),
    escaped otherwise. A row's report is its last value, or else `reports[image id]`; a row with
    neither is left out. One loop for the batch: at 100,000 lines, every call per line counts.
    """
    out = []
    for row in rows:
        report = row[-1]
        if report is None:
            report = reports.get(row[IMAGE_ID_AT])
            if report is None:
                continue
        try:
            line = _line(row, report)
        except (TypeError, AttributeError, KeyError):
            line = _checked_line(row, report)
        data = line.encode("utf-8", "surrogatepass")
        if not _printable_utf8(data):
            data = _escaped(line).encode()
        out.append(data)
    return out


def _text(value: str | None) -> str:
    """A JSON string or null (made printable by `encoded_lines`, once per line)."""
    return "null" if value is None else encode_basestring(value)


def _number(value: int | None) -> str:
    return "null" if value is None else str(int(value))


def _when(value: str | datetime | None) -> str | None:
    """A stored time (naive UTC: text on SQLite, a datetime on PostgreSQL) as `support.dates.iso` writes it."""
    moment = stored_time(value)
    return None if moment is None else moment.isoformat()


def _when_text(value: str | datetime | None) -> str:
    """`_when` as a JSON string; SQLite's stored form (`2026-12-03 10:31:19.424247`) rewritten directly."""
    if isinstance(value, str) and len(value) == 26 and value[10] == " " and value[19] == ".":
        if value.endswith(".000000"):
            return f'"{value[:10]}T{value[11:19]}+00:00"'
        return f'"{value[:10]}T{value[11:]}+00:00"'
    return _text(_when(value))


def _line(
    values: Sequence[Any],
    report: str,
    text: Callable[[str], str] = encode_basestring,
    number: Callable[[int], str | int] = int,
    status_of: Callable[[str], str] = _STATUS.__getitem__,
) -> str:
    """The post's JSON line (`views.post_row_dict`'s form), its image's report spliced in, not yet
    checked for the terminal. By default the columns the schema makes NOT NULL are written without
    a None check (a listing writes 100,000 lines); a row that breaks that (a database made
    elsewhere) fails here and `_checked_line` writes it again with careful encoders."""
    (pid, url, platform, platform_id, title, posted, status, changed, logged, persona,
     account_id, account_platform, handle, profile, requested_by, permission_at, permission_ref,
     image_id, sha, name, path, fmt, width, height, size, phash, dhash, _) = values  # fmt: skip
    request = (
        f'{{"requested_by": {text(requested_by)}, "permission_at": {_when_text(permission_at)}, '
        f'"permission_ref": {_text(permission_ref)}}}'
        if requested_by
        else "null"
    )
    inner = report.strip()[1:-1].strip()
    return (
        f'{{"id": {number(pid)}, "url": {text(url)}, "platform": {text(platform)}, '
        f'"platform_post_id": {"null" if platform_id is None else text(platform_id)}, '
        f'"title": {"null" if title is None else text(title)}, '
        f'"posted_at": {"null" if posted is None else _when_text(posted)}, "status": {status_of(status)}, '
        f'"status_changed_at": {_when_text(changed)}, "logged_at": {_when_text(logged)}, '
        f'"persona": {text(persona)}, "account": {{"id": {number(account_id)}, "platform": {text(account_platform)}, '
        f'"handle": {"null" if handle is None else text(handle)}, '
        f'"profile_url": {"null" if profile is None else text(profile)}}}, '
        f'"image": {{"id": {number(image_id)}, "sha256": {text(sha)}, "original_name": {text(name)}, '
        f'"archive_path": {text(path)}, "format": {text(fmt)}, "width": {number(width)}, '
        f'"height": {number(height)}, "size_bytes": {number(size)}, "phash": "{phash.hex()}", '
        f'"dhash": "{dhash.hex()}"{", " if inner else ""}{inner}}}, "request": {request}}}'
    )


def _checked_line(values: Sequence[Any], report: str) -> str:
    """`_line` with every value checked for None (the schema says most cannot be; a foreign database
    may disagree); a value of the wrong kind altogether is a one-line error, not a traceback."""
    try:
        return _line(values, report, text=_text, number=_number, status_of=_status_text)
    except (TypeError, ValueError, AttributeError) as exc:
        raise DatabaseError(
            f"post #{values[0]} cannot be listed: a stored value is not what it should be ({exc})"
        ) from None


def _status_text(status: str) -> str:
    return _text(PostStatus(status).value)


def _escaped(line: str) -> str:
    """An unprintable line made printable: raw control characters (only a tampered kept report
    holds any: json's encoder escapes them everywhere else) as `\\u00XX`, then what `safe_json` escapes."""
    return escape_unsafe(_CONTROL.sub(_escaped_control, line))


def _escaped_control(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"
