"""Bytes of a complaint as text: byte-order marks, charset labels and the ones mail wears wrongly, Japanese
encodings guessed when none is given, and ISO-2022-JP as Microsoft writes it (which no Python codec reads).

Every function here takes untrusted bytes and returns text, never raises: what cannot be read becomes U+FFFD.
A label is trusted only where the bytes bear it out: 8-bit text labelled ASCII or UTF-8 is sniffed, and
valid UTF-8 (with some non-ASCII) labelled Shift_JIS, EUC-JP or a Latin charset is read as UTF-8: a
web form or a mail program that re-labels what it forwards is common, a Japanese or Latin text that is
also valid UTF-8 all but unknown (`_RELABELLED`; not so for Chinese or Korean labels).
"""

from __future__ import annotations

import codecs
import operator
import re

from tracker.complaints.reading.scripts import JAPANESE, SAMPLE

WIDE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF8)
_BOMS = tuple(zip(WIDE_BOMS, "utf-32-le utf-32-be utf-16-le utf-16-be utf-8".split(), strict=True))


_ALIASES = {"cp50220": "iso2022_jp", "cp50221": "iso2022_jp", "cp50222": "iso2022_jp", "x-sjis": "cp932"}
_ALIASES |= {"windows-31j": "cp932", "ms932": "cp932", "x-euc-jp": "euc_jp", "cp51932": "euc_jp", "eucjp-ms": "euc_jp"}
_CODECS = set("utf-8 utf-16 utf-16-le utf-16-be utf-32 utf-32-le utf-32-be ascii utf-7 cp932 shift_jis euc_jp".split())
_CODECS |= set("euc_jis_2004 gb2312 gbk gb18030 big5 big5hkscs euc_kr cp949 koi8-r koi8-u mac-roman".split())
"""Codecs a charset may pick, with ISO-8859-*, windows-125x, ISO-2022-*: linear ones (never `punycode`)."""


_RELABELLED = {"cp932", "shift_jis", "euc_jp", "euc_jis_2004", "iso8859-1", "iso8859-15", "cp1252"}
"""Labels valid UTF-8 is read through (see the module docstring): Japanese and Latin ones only. A short GB2312,
Big5 or EUC-KR name is often valid UTF-8 too (小野 in GB2312 reads as Cyrillic), so those labels are believed."""


def decode(data: bytes, charset: str | None) -> str:
    """Bytes as text in their declared charset; guessed like a text file when it is unknown or wrong."""
    label = (charset or "").strip().strip("\"'").lower()[:40]
    try:
        codec = codecs.lookup(_ALIASES.get(label, label)).name if label else ""
    except (LookupError, ValueError):
        codec = ""
    known = codec in _CODECS or codec.startswith(("iso8859-", "cp125", "iso2022_"))
    if not known or codec in ("ascii", "utf-8") or (codec.startswith("iso2022") and b"\x1b" not in data):
        return sniff(data)  # unknown, or a label that 8-bit text often wears wrongly
    if codec.startswith("iso2022_jp"):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            return _jis(data)
    if not data.isascii() and codec in _RELABELLED:
        try:
            return data.decode("utf-8")  # valid UTF-8 under another 8-bit label: the label is wrong (see above)
        except UnicodeDecodeError:
            pass
    choices = {"iso8859-1": ("cp1252", "latin-1"), "euc_jp": ("euc_jp", "euc_jis_2004"), "shift_jis": ("cp932",)}
    for choice in choices.get(codec, (codec,)):  # mail labelled Shift_JIS is CP932, Latin-1 Windows-1252
        try:
            return data.decode(choice)
        except UnicodeDecodeError:
            continue
    return data.decode(codec, "replace")


def header_text(data: bytes, charset: str | None) -> str:
    """A header's raw bytes (not MIME-encoded, as older Japanese mailers send them) as text: ISO-2022-JP by its
    escapes (Microsoft's extensions read), else the body's `charset` when the bytes read in it, else UTF-8, else
    Shift_JIS (CP932), else guessed as a text file is (`sniff`)."""
    if _JIS_ESCAPE.search(data):
        return _jis(data)
    label = (charset or "").strip().strip("\"'").lower()[:40]
    for choice in (_ALIASES.get(label, label), "utf-8", "cp932"):
        try:
            codec = codecs.lookup(choice).name if choice else ""
        except (LookupError, ValueError):
            continue
        if codec in _CODECS or codec.startswith(("iso8859-", "cp125")):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                continue
    return sniff(data)


_JIS_ESCAPE = re.compile(rb"\x1b(?:\$[@B]|\$\(D|\([BJI])")
"""An ISO-2022-JP escape sequence: a header holding one is in that charset."""
_HALFWIDTH_KANA = re.compile("[\uff61-\uff9f]")


def sniff(data: bytes) -> str:
    """Text of unknown charset: a BOM, ISO-2022-JP's escapes, UTF-8, CP932 or EUC-JP, else Windows-1252."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, "replace")
    if b"\x1b$" in data or b"\x1b(" in data:
        return _jis(data)
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    if not bad:
        return text
    if bad * 20 < len(text) - len(text.encode("ascii", "ignore")) - bad:  # UTF-8 but for a few bytes
        if any(_is_utf8(data[:-cut]) for cut in (1, 2, 3)):
            return text  # cut in the middle of a character
        mixed = _mixed(data, japanese_only=True)  # a few lines in Shift_JIS or EUC-JP (a signature, a quote)
        return text if mixed is None else mixed
    codec = _legacy(data)
    if codec in ("cp1252", "latin-1"):  # no Japanese charset reads it whole: it may be two texts in two
        mixed = _mixed(data)
        if mixed is not None:
            return mixed
    return data.decode(codec)


def _legacy(data: bytes) -> str:
    """The 8-bit charset that reads `data` (not UTF-8): CP932 or EUC-JP, whichever reads it as more Japanese,
    else Windows-1252, else Latin-1 (which reads anything)."""
    best, score = "", 0
    for codec in ("cp932", "euc_jp"):  # EUC-JP read as CP932 is mostly half-width katakana
        try:
            candidate = data.decode(codec)
        except UnicodeDecodeError:
            continue
        points = len(JAPANESE.findall(candidate[:SAMPLE])) - 2 * len(_HALFWIDTH_KANA.findall(candidate[:SAMPLE]))
        best, score = (codec, points) if points > score else (best, score)
    if best:
        return best
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return "latin-1"
    return "cp1252"


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _mixed(data: bytes, japanese_only: bool = False) -> str | None:
    """Text whose lines are in two charsets: UTF-8, and the rest in one 8-bit charset (`_legacy`), as a UTF-8
    message with an older Shift_JIS one pasted or forwarded under it comes; None unless some lines are non-ASCII
    UTF-8 and the others are not UTF-8 (then the text is in one charset, whatever it is), or when `japanese_only`
    and the others are not Japanese. Read whole as Windows-1252 or Latin-1, the Japanese in it would be
    unreadable and the complaint taken for English; read as UTF-8, a Shift_JIS signature lost its name."""
    lines = data.splitlines(keepends=True)
    read: list[str | None] = []
    for line in lines:
        try:
            read.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            read.append(None)
    if all(text is None or text.isascii() for text in read) or None not in read:
        return None
    other = b"".join(line for line, text in zip(lines, read, strict=True) if text is None)
    codec = _legacy(other)
    if japanese_only and codec not in ("cp932", "euc_jp"):
        return None
    return "".join(line.decode(codec) if text is None else text for line, text in zip(lines, read, strict=True))


_JIS_SWITCH = re.compile(rb"(\x1b\([BJHI]|\x1b\$[@B]|\x1b\$\(D|\x1b&@|\x0e|\x0f)")
_JIS_MODES = {b"\x1b(I": "kana", b"\x1b$@": "jis", b"\x1b$B": "jis", b"\x1b$(D": "jisx0212", b"\x0e": "kana"}
_JIS_RUN = re.compile(rb"([^\x21-\x7e]+)")
_LEAD = bytes(((c - 0x21) >> 1) + (0x81 if c <= 0x5E else 0xC1) if 0x21 <= c <= 0x7E else 0x3F for c in range(256))
_TRAIL = bytes(
    c + 0x7E if 0x21 <= c < 0x7F else c - 0x61 + (c >= 0xE0) if 0xA1 <= c < 0xFF else 0x3F for c in range(256)
)
_ODD_ROW = bytes(0x80 * (c & 1) for c in range(256))
_KANA_SHIFT = bytes(c | 0x80 if 0x21 <= c <= 0x5F else c for c in range(256))


def _jis(data: bytes) -> str:
    """ISO-2022-JP as Microsoft writes it (CP50220-50222): JIS X 0208 with NEC row 13 (①, ㈱) and the
    IBM extensions (髙), which no Python codec reads, and half-width katakana by `ESC ( I` or SO/SI.

    Each double-byte run goes to its Shift_JIS codes and is read as CP932, which holds all of them;
    JIS X 0212 goes through Python's iso2022_jp_2; stray 8-bit bytes are read as CP932.
    """
    out: list[str] = []
    mode, before_shift = "ascii", "ascii"
    for index, piece in enumerate(_JIS_SWITCH.split(data)):
        if index % 2:
            before_shift = mode if piece == b"\x0e" else before_shift
            mode = before_shift if piece == b"\x0f" else mode if piece == b"\x1b&@" else _JIS_MODES.get(piece, "ascii")
        elif mode == "jis":
            runs = enumerate(_JIS_RUN.split(piece))  # line ends inside a run, against the rules but seen
            out.extend(_jis0208(run) if i % 2 == 0 else run.decode("latin-1") for i, run in runs)
        elif mode == "kana":
            out.append(piece.translate(_KANA_SHIFT).decode("cp932", "replace"))
        elif mode == "jisx0212":
            out.append((b"\x1b$(D" + piece + b"\x1b(B").decode("iso2022_jp_2", "replace"))
        else:
            out.append(piece.decode("cp932", "replace"))
    return "".join(out)


def _jis0208(run: bytes) -> str:
    """JIS X 0208 byte pairs as text, through their Shift_JIS codes, without a loop in Python: the
    trail byte depends on the row's parity, put in bit 7 of the second byte (below 0x80) first."""
    pairs = run[: len(run) // 2 * 2]
    first, second = pairs[0::2], pairs[1::2]
    sjis = bytearray(len(pairs))
    sjis[0::2] = first.translate(_LEAD)
    sjis[1::2] = bytes(map(operator.or_, second, first.translate(_ODD_ROW))).translate(_TRAIL)
    return sjis.decode("cp932", "replace") + ("\ufffd" if len(run) % 2 else "")
