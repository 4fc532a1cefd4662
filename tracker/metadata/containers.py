"""Pulling every piece of embedded text out of an image file, exactly as found.

PNG text chunks are read by walking the chunks ourselves (tEXt, zTXt, iTXt, in file order,
duplicates kept, decompression capped); EXIF (JPEG, WebP, PNG eXIf), JPEG comments and XMP
come through Pillow. The generator parsers only ever see these `RawEntry` values.
"""

from __future__ import annotations

import re
import struct
import zlib
from dataclasses import asdict, dataclass
from typing import Any

from PIL import ExifTags, Image

from tracker.metadata.problems import SKIPPED
from tracker.metadata.xmp import MAX_XMP_CHARS, xmp_property

MAX_TEXT_BYTES = 16 * 1024 * 1024
"""Cap on one decompressed text chunk; a chunk that inflates further is reported, not read."""

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
EXIF_IFD = 0x8769
USER_COMMENT = 0x9286
_TEXT_CHUNKS = {b"tEXt", b"zTXt", b"iTXt"}
JPEG_COMMENT = "jpeg:COM"
"""Where a JPEG's comment segment is found; a GIF's comment extension is `gif:comment`."""
TRUNCATED_PNG = "the PNG file ends before its IEND chunk"
EXTENDED_XMP = "xmp:extended"
"""Where a JPEG's extended XMP is found (the part of a packet too large for one segment), reassembled."""
_XMP_EXTENSION = b"http://ns.adobe.com/xmp/extension/\0"
_XMP_PIECE = len(_XMP_EXTENSION) + 32 + 4 + 4
"""Where a piece of extended XMP starts: after the signature, the GUID, the full length and the offset."""


@dataclass
class RawEntry:
    """One metadata field: where it was (`container`), its key and its decoded text."""

    container: str
    """png:tEXt, png:zTXt, png:iTXt, exif:IFD0, exif:Exif, jpeg:COM, gif:comment, xmp, xmp:extended,
    stealth:<signature>."""
    key: str
    value: str
    encoding: str
    """How the bytes were decoded: latin-1, utf-8, utf-16be, utf-16le, hex, ..."""

    def to_dict(self) -> dict[str, Any]:
        """The stored form."""
        return asdict(self)


class _Skipped(Exception):
    """A text chunk that cannot be read; the message says why (`is damaged`, `inflates past 16 MiB`)."""


def _inflate(data: bytes) -> bytes:
    """zlib-decompress at most MAX_TEXT_BYTES (`_Skipped` when corrupt or over the cap)."""
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, MAX_TEXT_BYTES)
    except zlib.error:
        raise _Skipped("is damaged (its compressed text cannot be inflated)") from None
    if inflater.unconsumed_tail:
        raise _Skipped(f"inflates past {MAX_TEXT_BYTES // 2**20} MiB (a huge text or a zip bomb)")
    return out


def png_text_chunks(data: bytes) -> tuple[list[RawEntry], list[str]]:
    """Every tEXt/zTXt/iTXt chunk of a PNG file, in order, and the problems met on the way."""
    entries: list[RawEntry] = []
    problems: list[str] = []
    if not data.startswith(PNG_SIGNATURE):
        return entries, problems
    pos = len(PNG_SIGNATURE)
    ended = False
    while pos + 8 <= len(data):
        length, ctype = struct.unpack(">I4s", data[pos : pos + 8])
        if pos + 8 + length > len(data):
            break
        start = pos + 8
        pos += 12 + length
        if ctype == b"IEND":
            ended = True
            break
        if ctype not in _TEXT_CHUNKS and ctype != b"caBX":
            continue  # pixel data and the rest: never copied
        if ctype in _TEXT_CHUNKS and length > MAX_TEXT_BYTES:
            size, cap = length // 2**20, MAX_TEXT_BYTES // 2**20
            problems.append(
                f"PNG {ctype.decode('latin-1')} chunk of {size} MiB is too large to read (over {cap} MiB){SKIPPED}"
            )
            continue
        body = data[start : start + length]
        if ctype == b"caBX":
            # C2PA manifest (JUMBF, binary): keep its printable text, which names the signer and
            # whether the content is AI-made.
            runs = re.findall(rb"[\x20-\x7e]{4,}", body[:MAX_TEXT_BYTES])
            entries.append(RawEntry("png:caBX", "caBX", "\n".join(r.decode("ascii") for r in runs), "ascii-runs"))
            continue
        key = body.partition(b"\0")[0][:80].decode("latin-1")
        named = f"PNG {ctype.decode('latin-1')} chunk" + (f" '{key}'" if key else "")
        try:
            entry = _decode_text_chunk(ctype, body)
        except _Skipped as why:
            problems.append(f"{named} {why}{SKIPPED}")
            continue
        entries.append(entry)
        if not chunk_crc_ok(data, start - 8, length):
            problems.append(f"{named} has a wrong checksum (damaged, or edited by hand): read as found")
        if entry.encoding == "utf-8" and "\ufffd" in entry.value and _not_utf8(body):
            problems.append(f"{named} is not valid UTF-8: read with replacement characters")
    if not ended:
        problems.append(TRUNCATED_PNG)
    return entries, problems


def chunk_crc_ok(data: bytes, pos: int, length: int) -> bool:
    """Whether the PNG chunk at `pos` (its length field) ends with the CRC of its type and body."""
    end = pos + 8 + length
    if end + 4 > len(data):
        return False
    return zlib.crc32(data[pos + 4 : end]) & 0xFFFFFFFF == struct.unpack_from(">I", data, end)[0]


def _decode_text_chunk(ctype: bytes, body: bytes) -> RawEntry:
    key_raw, sep, rest = body.partition(b"\0")
    if not sep or not key_raw:
        raise _Skipped("has no keyword")
    key = key_raw.decode("latin-1")
    if ctype == b"tEXt":
        return RawEntry("png:tEXt", key, rest.decode("latin-1"), "latin-1")
    if ctype == b"zTXt":
        if not rest or rest[0] != 0:
            raise _Skipped("uses an unknown compression method")
        return RawEntry("png:zTXt", key, _inflate(rest[1:]).decode("latin-1"), "latin-1")
    # iTXt: compression flag, method, language\0, translated keyword\0, text (UTF-8)
    parts = rest[2:].split(b"\0", 2)
    if len(rest) < 2 or len(parts) != 3:
        raise _Skipped("is malformed")
    flag, method = rest[0], rest[1]
    text_bytes = parts[2]
    if flag == 1:
        if method != 0:
            raise _Skipped("uses an unknown compression method")
        text_bytes = _inflate(parts[2])
    return RawEntry("png:iTXt", key, text_bytes.decode("utf-8", errors="replace"), "utf-8")


def _not_utf8(body: bytes) -> bool:
    """Whether an iTXt chunk's text is not valid UTF-8 (its U+FFFD were put there by the reading)."""
    rest = body.partition(b"\0")[2]
    text = rest[2:].split(b"\0", 2)[2]
    if rest[0] == 1:
        text = _inflate(text)
    try:
        text.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def decode_user_comment(raw: bytes | str) -> tuple[str, str]:
    """Decode an EXIF UserComment the way the generators write it; returns (text, encoding).

    An 8-byte charset prefix is stripped: UNICODE means UTF-16 (big-endian as piexif writes
    it; little-endian is detected from where the zero bytes sit), unless the body is UTF-8 under
    that prefix (some tools write it so: see `_utf8_body`); ASCII and the undefined prefix are
    read as UTF-8; no prefix at all (Fooocus) is UTF-8 too.
    """
    if isinstance(raw, str):
        return raw, "str"
    prefix, body = raw[:8], raw[8:]
    if prefix == b"UNICODE\0":
        if body[:2] in (b"\xfe\xff", b"\xff\xfe"):
            return body.decode("utf-16", errors="replace"), "utf-16"
        if _utf8_body(body):
            return body.decode("utf-8").rstrip("\0"), "utf-8"
        even_zeros = body[0::2].count(0)
        odd_zeros = body[1::2].count(0)
        codec = "utf-16le" if odd_zeros > even_zeros else "utf-16be"
        return body[: len(body) // 2 * 2].decode(codec, errors="replace").rstrip("\0"), codec
    if prefix in (b"ASCII\0\0\0", b"\0" * 8):
        return _utf8_or_latin1(body)
    if prefix == b"JIS\0\0\0\0\0":
        try:
            return body.decode("shift_jis").rstrip("\0"), "shift_jis"
        except UnicodeDecodeError:
            return _utf8_or_latin1(body)
    return _utf8_or_latin1(raw)


def _utf8_body(body: bytes) -> bool:
    """Whether a body under the UNICODE prefix is UTF-8 rather than UTF-16.

    UTF-8 text never holds a zero byte (beyond NUL padding at the end), while UTF-16 of any text
    with a Latin letter, digit or space in it (a settings line always has some) holds one in every
    such character; a body without zeros that is valid UTF-8 is read as UTF-8.
    """
    text = body.rstrip(b"\0")
    if not text or 0 in text:
        return False
    try:
        text.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _utf8_or_latin1(data: bytes) -> tuple[str, str]:
    try:
        return data.decode("utf-8").rstrip("\0"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("latin-1").rstrip("\0"), "latin-1"


def _exif_value(tag: int, value: Any) -> tuple[str, str]:
    if tag == USER_COMMENT:
        return decode_user_comment(value)
    if isinstance(value, bytes):
        text, codec = _utf8_or_latin1(value)
        if text.isprintable() or not text:
            return text, codec
        return value.hex(), "hex"
    if isinstance(value, str):
        return value.rstrip("\0"), "str"
    return str(value), "repr"


def exif_entries(image: Image.Image) -> list[RawEntry]:
    """Every tag of IFD0 and the Exif IFD (UserComment decoded), named where EXIF names it."""
    entries: list[RawEntry] = []
    exif = image.getexif()
    groups: list[tuple[str, Any]] = [("exif:IFD0", exif)]
    if EXIF_IFD in exif:
        groups.append(("exif:Exif", exif.get_ifd(EXIF_IFD)))
    for container, tags in groups:
        for tag, value in tags.items():
            if tag == EXIF_IFD or (container == "exif:IFD0" and isinstance(value, dict)):
                continue
            name = ExifTags.TAGS.get(tag, f"0x{tag:04x}")
            text, codec = _exif_value(tag, value)
            entries.append(RawEntry(container, name, text, codec))
    return entries


def other_entries(image: Image.Image) -> list[RawEntry]:
    """JPEG and GIF comments and XMP packets Pillow exposes in `info`."""
    entries: list[RawEntry] = []
    comment = image.info.get("comment")
    if isinstance(comment, bytes):
        text, codec = _utf8_or_latin1(comment)
        container = JPEG_COMMENT if image.format in ("JPEG", "MPO") else f"{str(image.format).lower()}:comment"
        entries.append(RawEntry(container, "comment", text, codec))
    xmp = image.info.get("xmp")
    if isinstance(xmp, bytes) and image.format != "PNG":
        text, codec = _utf8_or_latin1(xmp)
        entries.append(RawEntry("xmp", "XML:com.adobe.xmp", text, codec))
        extended = _extended_xmp(getattr(image, "applist", None), text)
        if extended is not None:
            entries.append(RawEntry(EXTENDED_XMP, "XML:com.adobe.xmp", *_utf8_or_latin1(extended)))
    return entries


def _extended_xmp(segments: object, main: str) -> bytes | None:
    """A JPEG's extended XMP, reassembled: the part of a packet over 64 kB (a ComfyUI graph, a long record) that
    exiftool, Photoshop and Lightroom write into further APP1 segments, each `http://ns.adobe.com/xmp/extension/`,
    the GUID the main packet names in `xmpNote:HasExtendedXMP`, the full length, its offset and a piece.

    Pieces of another GUID are ignored; at most `MAX_XMP_CHARS` bytes are kept, and a piece missing leaves what
    comes before it (a record cut short is then reported as damaged)."""
    guid = xmp_property(main, "xmpNote:HasExtendedXMP")
    if not isinstance(segments, list) or not guid or len(guid) != 32:
        return None
    pieces: dict[int, bytes] = {}
    for segment in segments:
        if not (isinstance(segment, tuple) and len(segment) == 2 and segment[0] == "APP1"):
            continue
        data = segment[1]
        if not isinstance(data, bytes) or not data.startswith(_XMP_EXTENSION) or len(data) < _XMP_PIECE:
            continue
        if data[len(_XMP_EXTENSION) : len(_XMP_EXTENSION) + 32] != guid.encode("ascii", "replace"):
            continue
        offset = struct.unpack(">I", data[_XMP_PIECE - 4 : _XMP_PIECE])[0]
        if offset < MAX_XMP_CHARS:
            pieces.setdefault(offset, data[_XMP_PIECE:])
    whole = bytearray()
    while len(whole) in pieces and len(whole) < MAX_XMP_CHARS:
        piece = pieces[len(whole)]
        if not piece:
            break
        whole += piece
    return bytes(whole[:MAX_XMP_CHARS]) if whole else None
