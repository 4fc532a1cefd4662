"""Reading a complaint as it arrived, a saved e-mail (`.eml`) or a text file holding a message pasted
from a platform, into plain data the intake fills its form from.

The complaint is the one input the owner does not write: every byte is untrusted, in whatever its
sender's software chose (Japanese mail is often ISO-2022-JP with Microsoft's extensions, pasted text
Shift_JIS). Reading it here, with the standard library only, keeps that guesswork apart from the
intake's rules and testable on its own. What it finds is a suggestion for the owner to check. Bytes
become text in `charsets` (labels, guesses, ISO-2022-JP), dates in `message_dates`.

- Limits: over 25 MiB or 400,000 lines, headers over 256 KiB (32 KiB for one that is read), over 200
  parts, 32 multiparts or 16 levels, binary data, nothing readable: one `UsageError` line. So is an e-mail cut
  short (saved or copied only in part: a multipart that never ends, a one-part mail's base64 cut), which would
  be read without what was cut (the posts it names, the day it asks for) and logged as if whole.
- An e-mail opens with a header block holding a transport or MIME header (`Received`,
  `MIME-Version`, ...) or both `From` and `Date`; anything else is a pasted message.
- Sender: From's display name (`Halvorsen, Mark` as `Mark Halvorsen`; else Reply-To's; Reply-To's or the
  message's first when From is a web form or a no-reply robot); the contact is Reply-To's address, else
  From's but a no-reply one (`no-reply@pixiv.net`, `no_reply`): where an answer goes (forms send from no-reply,
  the complainant in Reply-To; a platform forwarding a notice, in its text); a no-reply Reply-To
  (`noreply@x.com` under `support@x.com`) gives way to From. What headers lack comes from
  `From:`/`差出人:`/`名前:`/`Name:`/`Email:`/`連絡先:` lines (a 通知書's `通知人　山田　花子` too), else the first
  address not on a `To:` line (never a no-reply one). `sender_address` is From's address as sent (whose system sent it).
- Date: the Date header (`-0000` is UTC), else a `Date:`/`日時:`/`送信日時:` line (also as a mail program shows it,
  `Fri, Dec 4, 2026 at 10:00 PM`, Outlook's `Friday, 4 December 2026 10:00`, or with no time, `December 4, 2026`:
  `forward_blocks.forwarded_date`) or a timestamp
  opening one of the first five lines (`2026-11-30 14:05`, `2026/11/30 14:05`, `2026年11月30日 14時05分`,
  RFC 5322), in its zone (`Z`, `UTC`, `JST`, `+09:00`), else Japan's in a message written in Japanese (the
  sender's clock, as `intake.sender_zone` takes it), else local time; else the date a letter bears on a line of
  its own at its head or above its signature (a 通知書's `令和8年12月4日`, `2026/12/04`: `message_dates.dated`),
  never over a mail's Date header; no time of day is 00:00. The zone it
  names is kept (`sent_zone`; none for `-0000` or no zone named): the clock the deadline is read on (`message_dates`).
- Text: the inline text/plain parts, else text/html as text (`html_text`: a link's target after it as `<URL>`),
  else text/plain attachments; a forwarded message (`message/rfc822`) headed by its From, Date, To and
  Subject, as a mail program shows a forward (who first wrote it); LF line ends, no NUL bytes, never
  escaped (the callers do that). A header in raw bytes (ISO-2022-JP from older Japanese mailers) is read in
  the body's charset or guessed (`charsets.header_text`).
- Forward: the message forwarded (a `message/rfc822` part, else an inline block: `forward_blocks`) is read
  too, as `forwarded`, what the forwarder wrote above it as `forward_note` (which is the complaint:
  `forwarded.complaint_part`).
- URLs: told apart from the Japanese prose written against them (`prose_urls`): a part that starts with a
  non-ASCII letter runs on to the next punctuation or space (`https://example.jp/作品/京都の雨。`) unless it reads
  as prose, then up to where the prose begins (`…/wiki/東京の記事をご覧ください` is `…/wiki/東京`); Japanese after
  an ASCII character ends a URL (`…/works/12をご覧ください`) unless it goes on as a name (`…/2024年/夏祭り`);
  trailing `.,;:!?'`, unbalanced `)` `]`, unclosed `(` go.
- Legal basis: the first of DMCA, DSA, Japan whose words are in the subject or text (Japan: 著作権, 送信防止措置,
  侵害情報 or the law's name; never 無断 or 削除依頼 alone, a person's reproach or request; `intake`: a platform's).
- Images (`attached_images`): by type, extension or PNG/JPEG/GIF/WebP bytes, never SVG (no pixels, maybe scripts); names
  lose folders, control characters and leading dots, `image-N.ext` when missing, `-2` when repeated.
"""

from __future__ import annotations

import binascii
import codecs
import itertools
import re
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo
from email.errors import (
    CloseBoundaryNotFoundDefect,
    HeaderParseError,
    InvalidBase64LengthDefect,
    InvalidBase64PaddingDefect,
)
from email.header import Header, decode_header
from email.message import Message
from email.parser import BytesFeedParser
from email.utils import parseaddr
from pathlib import Path

from tracker.complaints.reading.attached_images import IMAGE_SUFFIXES, is_image, safe_name
from tracker.complaints.reading.charsets import WIDE_BOMS, decode, header_text, sniff
from tracker.complaints.reading.forward_blocks import (
    address_as_written,
    address_span,
    forward_block,
    forwarded_date,
    sent_to_self,
)
from tracker.complaints.reading.html_text import html_text
from tracker.complaints.reading.mail_parts import first_name_first, name_before_title
from tracker.complaints.reading.message_dates import JAPAN, STAMP, dated, text_date
from tracker.complaints.reading.message_files import is_mbox_separator, messages_in_mailbox, not_a_message
from tracker.complaints.reading.prose_urls import URL, urls_in
from tracker.complaints.reading.quoting import own_words
from tracker.complaints.reading.scripts import JAPANESE, LATIN, SAMPLE, leans_japanese
from tracker.db.enums import LegalBasis
from tracker.errors import UsageError
from tracker.support.user_files import fs_text, open_regular, read_at_most

MAX_BYTES = 25 * 2**20
MAX_LINES = 400_000
"""A 25 MiB mail of base64 has about 340,000 lines; the parser keeps one object per line."""
MAX_HEADER_BLOCK = 256 * 2**10
MAX_HEADER = 32 * 2**10
"""The standard library parses a header's parameters in time quadratic in its length."""
MAX_PARTS = 200
MAX_CONTAINERS = 32
"""The parser tries every line against each open multipart's boundary."""
MAX_DEPTH = 16


@dataclass(frozen=True)
class Attachment:
    """An image that came with the complaint, under a safe file name (made up when it had none)."""

    name: str
    data: bytes


@dataclass(frozen=True)
class ReceivedMessage:
    """What a complaint file says, as plain data for the intake: each field a suggestion to check."""

    sender_name: str | None
    sender_contact: str | None
    received_at: datetime | None
    """Aware, UTC."""
    subject: str | None
    text: str
    urls: tuple[str, ...]
    attachments: tuple[Attachment, ...]
    basis: LegalBasis | None
    language: str
    mail: bool = False
    """Read as an e-mail (a header block), not as a pasted message."""
    sent_zone: tzinfo | None = None
    """The UTC offset the date was written in (`+0900`, `JST`): the sender's clock; None when it gives none."""
    left_out: tuple[str, ...] = ()
    """Attachments not kept (a PDF, a document): their names, so the owner saves them by hand."""
    sender_address: str | None = None
    """The address it was sent from, a no-reply robot's too (`no-reply@pixiv.net`): whose system sent it."""
    forwarded: ReceivedMessage | None = None
    """The message it forwards (a `message/rfc822` part, else an inline block: `forward_blocks`), read as if it had
    come itself, with this message's attachments; which of the two is the complaint, `forwarded.complaint_part` says."""
    forward_note: str = ""
    """What the forwarder wrote above the message it forwards."""
    to_self: bool = False
    """The mail went to its sender's own address too (`forward_blocks.sent_to_self`): the owner forwarded it."""


def read_message(path: Path) -> ReceivedMessage:
    """Read a saved e-mail or a text file holding a pasted message; one `UsageError` line when it cannot be."""
    data = _read_bytes(path).removeprefix(codecs.BOM_UTF8).lstrip(b"\r\n")
    fields = header_fields(data, path.name)  # an e-mail's header block: see the module's docstring
    mail = fields is not None and (bool(fields & _MAIL_FIELDS) or {"from", "date"} <= fields)
    message = (
        _read_mail(_whole(_parse(data, path.name), path.name), path.name) if mail else message_from_text(sniff(data))
    )
    if not (message.text or message.attachments or message.subject or message.sender_contact):
        raise UsageError(f"{path.name}: nothing readable in the file (no text, sender or image)")
    return message


def message_from_text(text: str) -> ReceivedMessage:
    """A message pasted as text (into a form), read as a pasted text file is: labelled lines, date, URLs."""
    return _with_inline_forward(_from_text(_clean(text)))


def guess_language(text: str) -> str:
    """`ja` when the text is mostly Japanese script, else `en` (URLs and addresses left out).

    The rule is `scripts.leans_japanese`: a kana or kanji weighs three Latin letters, so a name in kanji
    tips a short line (`山田 花子 from Tokyo` is `ja`), fit for a writer who reads Japanese.
    """
    sample = URL.sub(" ", _EMAIL.sub(" ", text[: SAMPLE * 2]))
    return "ja" if leans_japanese(len(JAPANESE.findall(sample)), len(LATIN.findall(sample))) else "en"


_CONTROL = bytes(c for c in range(32) if c not in b"\t\n\v\f\r\x0e\x0f\x1b")
"""Bytes no text holds (ESC, SO and SI belong to ISO-2022-JP): over 5% of them is binary data (random bytes: 9%)."""


def _read_bytes(path: Path) -> bytes:
    try:  # a FIFO or device (/dev/zero) is refused before it is opened, and again once open
        with open_regular(path) as handle:
            data = read_at_most(handle, MAX_BYTES)
    except OSError as exc:
        raise UsageError(f"{fs_text(path)}: cannot read the file ({exc.strerror or exc})") from None
    if len(data) > MAX_BYTES:
        raise UsageError(f"{fs_text(path.name)}: the file is larger than {MAX_BYTES // 2**20} MiB: not a message")
    if not data.strip(b"\x00 \t\r\n"):
        raise UsageError(f"{path.name}: the file is empty")
    if max(data.count(b"\n"), data.count(b"\r")) > MAX_LINES:
        raise UsageError(f"{path.name}: more than {MAX_LINES:,} lines: not a message (damaged or hostile)")
    kind = not_a_message(data)
    if kind is not None:
        raise UsageError(f"{path.name}: {kind}")
    if (count := messages_in_mailbox(data)) > 1:
        raise UsageError(
            f"{path.name}: a mailbox file of {count} messages (mbox), not one message: save the complaint alone "
            "(your mail program's Save As, as .eml) and give that file"
        )
    sample = data[:SAMPLE].rstrip(b"\x00")
    controls = len(sample) - len(sample.translate(None, _CONTROL))
    if controls * 20 > len(sample) and not data.startswith(WIDE_BOMS[:4]):
        raise UsageError(f"{path.name}: not a text file or a saved e-mail (binary data)")
    return data


_FIELD = re.compile(rb"[!-9;-~]+:")
_MAIL_FIELDS = set("received message-id mime-version content-type return-path dkim-signature x-mailer".split())


def header_fields(data: bytes, name: str = "the message") -> set[str] | None:
    """The names (lower case) of the fields of the e-mail header block `data` opens with (after an mbox `From ` line),
    or None when it opens with none (a line neither a field nor a folded one); over 256 KiB, `name`'s `UsageError`."""
    head = data[: MAX_HEADER_BLOCK + 1]
    head = head.partition(b"\n")[2] if is_mbox_separator(head) else head  # not `From Misaki Sato <…>`
    fields: set[str] = set()
    for line in head.split(b"\n"):
        if not line.rstrip(b"\r"):
            return fields
        if not (line[:1] in (b" ", b"\t") and fields):
            if not (found := _FIELD.match(line)):
                return None
            fields.add(found.group()[:-1].decode().lower())
    if len(data) > MAX_HEADER_BLOCK:
        raise UsageError(f"{name}: the headers are over {MAX_HEADER_BLOCK // 2**10} KiB: damaged or hostile")
    return fields


def _clean(text: str) -> str:
    return text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").strip()


def _one_line(text: str | None) -> str | None:
    return " ".join(text.replace("\x00", "").split()) or None if text else None


_CONTENT_TYPE = re.compile(rb"^content-type[ \t]*:((?:[^\r\n]|\r?\n[ \t])*)", re.I | re.M)
_READ_FIELDS = "content-type content-disposition content-transfer-encoding from reply-to subject date".split()


def _parse(data: bytes, name: str) -> Message:
    """The message's tree, its limits kept before the parser reaches them."""
    containers = 0
    for found in _CONTENT_TYPE.finditer(data):
        if len(found.group(1)) > MAX_HEADER:
            raise UsageError(f"{name}: a Content-Type header is over {MAX_HEADER // 2**10} KiB: damaged or hostile")
        containers += found.group(1).lstrip().lower().startswith((b"multipart/", b"message/"))
    if containers > MAX_CONTAINERS:
        raise UsageError(f"{name}: more than {MAX_CONTAINERS} multipart or nested parts: damaged or hostile")
    parts = itertools.count(1)

    def new_part() -> Message:
        if next(parts) > MAX_PARTS:
            raise UsageError(f"{name}: more than {MAX_PARTS} parts: damaged or hostile")
        return Message()

    parser = BytesFeedParser(_factory=new_part)  # compat32: headers kept as they came, parsed only when asked
    try:
        for start in range(0, len(data), 2**20):
            parser.feed(data[start : start + 2**20])
        return parser.close()
    except UsageError:
        raise
    except Exception as exc:  # the parser promises defects, not exceptions: a slip must not become a traceback
        raise UsageError(f"{name}: cannot read the e-mail ({type(exc).__name__})") from None


_BASE64_CUT = (InvalidBase64LengthDefect, InvalidBase64PaddingDefect)


def _whole(message: Message, name: str) -> Message:
    """The message, refused in one line when it is cut short: a multipart that never reaches its closing boundary,
    or a message of one part whose base64 stops at a length no whole encoding has or without its padding (RFC 2045
    requires it). A part's bad base64 inside a multipart that ends is its sender's slip: read as far as it goes."""
    cut = any(isinstance(defect, CloseBoundaryNotFoundDefect) for part in message.walk() for defect in part.defects)
    if (
        not cut
        and not message.is_multipart()
        and str(message.get("content-transfer-encoding", "")).strip().lower() == "base64"
    ):
        message.get_payload(decode=True)  # base64's defects are noted as it is decoded
        cut = any(isinstance(defect, _BASE64_CUT) for defect in message.defects)
    if cut:
        raise UsageError(
            f"{name}: the e-mail is cut short (it ends inside a part): nothing was read from it; "
            "save the whole message again from your mail program"
        )
    return message


_FORWARDED_FIELDS = {
    "from": "Originally from",
    "date": "Originally sent",
    "to": "Originally to",
    "subject": "Original subject",
}


@dataclass(frozen=True)
class _Forwarded:
    """Where a forwarded message (`message/rfc822`) starts among the parts: its headers head its text."""

    inner: Message

    def text(self) -> str:
        """Its From, Date, To and Subject as a mail program shows a forward inline: who first wrote the complaint,
        which the forward's own headers no longer say. Not `From:` itself: a pasted header line names the sender
        (`_from_text`), and a forward of the owner's own earlier mail would name the owner."""
        lines = [
            f"{label}: {_one_line(_words(value))}"
            for field, label in _FORWARDED_FIELDS.items()
            if (value := _header(self.inner, field))
        ]
        return "---------- Forwarded message ----------\n" + "\n".join(lines) if lines else ""


def _leaves(message: Message, name: str) -> list[Message | _Forwarded]:
    """The parts that hold content, in order, each forwarded message marked where it starts."""
    leaves: list[Message | _Forwarded] = []
    stack: list[tuple[Message | _Forwarded, int]] = [(message, 0)]
    while stack:
        part, depth = stack.pop()
        if isinstance(part, _Forwarded):
            leaves.append(part)
            continue
        if depth > MAX_DEPTH:
            raise UsageError(f"{name}: parts nested more than {MAX_DEPTH} deep: damaged or hostile")
        for field in _READ_FIELDS:
            if any(len(str(value)) > MAX_HEADER for value in part.get_all(field) or ()):
                raise UsageError(f"{name}: a {field} header is over {MAX_HEADER // 2**10} KiB: damaged or hostile")
        if part.is_multipart() and isinstance(payload := part.get_payload(), list):
            stack.extend((child, depth + 1) for child in reversed(payload) if isinstance(child, Message))
            if part.get_content_type() == "message/rfc822" and payload and isinstance(payload[0], Message):
                stack.append((_Forwarded(payload[0]), depth + 1))  # read before the message it heads
        else:
            leaves.append(part)
    return leaves


_AUTOMATED = re.compile(
    r"<(?:no-?reply|do-?not-?reply|noreply|mailer-daemon|form|forms|webform|wordpress)[@+.]|フォーム|\bcontact form\b"
    r"|\b(?:web ?)?form\b|自動送信|自動配信|\bno-?reply\b",
    re.I,
)
"""A From that is a web form or a robot (`お問い合わせフォーム <no-reply@form.example>`): the writer's name is in
Reply-To or their message (`お名前：`, `Name:`), not there."""


_NO_REPLY = re.compile(r"(?:(?:no|do[-_.]?not)[-_.]?reply|mailer-daemon|postmaster|bounces?)(?:[-+_.][^@]*)?@", re.I)


def no_reply(address: str | None) -> bool:
    """Whether an address takes no answer (`no-reply@pixiv.net`, `donotreply@`, `noreply+123@`, `mailer-daemon@`):
    never a complainant's contact, however it came."""
    return bool(address and _NO_REPLY.match(address))


def _read_mail(message: Message, name: str) -> ReceivedMessage:
    leaves = _leaves(message, name)
    texts: list[tuple[str, str]] = []  # (plain, html, attached or forwarded, the text), in the mail's order
    images: list[Attachment] = []
    left_out: list[str] = []
    taken: set[str] = set()
    for part in leaves:
        if isinstance(part, _Forwarded):
            texts.append(("forwarded", part.text()))
            continue
        kind, body = part.get_content_type(), _payload(part)
        filename = _param(part, "filename", "content-disposition") or _param(part, "name", "content-type")
        if kind in ("text/plain", "text/html") and Path(filename or "").suffix.lower() not in IMAGE_SUFFIXES:
            text = _clean(decode(body, _param(part, "charset", "content-type")))
            attached = str(part.get("content-disposition", "")).split(";")[0].strip().lower() == "attachment"
            texts.append(("attached" if attached else "html" if kind == "text/html" else "plain", text))
        elif is_image(kind, filename, body):
            images.append(Attachment(safe_name(filename, kind, body, len(images) + 1, taken), body))
        elif filename:
            left_out.append(_one_line(filename) or kind)
    texts = [(where, _clean(html_text(found)) if where == "html" else found) for where, found in texts]
    chosen = next((kind for kind in ("plain", "html", "attached") if any(w == kind and t for w, t in texts)), None)
    text = "\n\n".join(found for where, found in texts if found and where in (chosen, "forwarded"))
    in_text, (received, zone) = _from_text(text), text_date(_header(message, "date") or "")
    sender_name, sender = _address(_header(message, "from"))
    reply_name, reply = _address(_header(message, "reply-to"))
    subject = _one_line(_words(_header(message, "subject") or ""))
    if _AUTOMATED.search(f"{sender_name or ''} <{sender or ''}>"):  # a web form's or a platform's robot
        sender_name = reply_name or in_text.sender_name or sender_name
    read = replace(
        in_text,
        sender_name=sender_name or reply_name or in_text.sender_name,
        sender_contact=_contact(reply, sender, in_text.sender_contact),
        sender_address=sender or in_text.sender_address,
        received_at=received or in_text.received_at,
        sent_zone=zone if received else in_text.sent_zone,
        subject=subject or in_text.subject,
        attachments=tuple(images),
        left_out=tuple(left_out),
        basis=_basis(f"{subject or ''}\n{text[: SAMPLE * 4]}"),
        language=guess_language(text or subject or ""),
        mail=True,
        to_self=sent_to_self(sender, [str(v) for k in ("to", "cc", "delivered-to") for v in message.get_all(k, [])]),
    )
    inner = next((part.inner for part in leaves if isinstance(part, _Forwarded)), None)
    if inner is None:
        return _with_inline_forward(read)
    forwarded = replace(_read_mail(inner, name), attachments=read.attachments, left_out=read.left_out)
    first = next(at for at, (where, _) in enumerate(texts) if where == "forwarded")
    note = "\n\n".join(found for where, found in texts[:first] if found and where == chosen)
    return replace(read, forwarded=forwarded, forward_note=note)


def _with_inline_forward(read: ReceivedMessage) -> ReceivedMessage:
    """`read` with the message its text forwards inline (`forward_blocks`), if any, as `forwarded`."""
    block = forward_block(read.text, bare=read.mail)  # a pasted message's own header lines are no forward
    if block is None:
        return read
    clock = JAPAN if guess_language(block.text or read.text) == "ja" else None
    received, zone = forwarded_date(_words(block.date or ""), clock)
    words = _from_text(block.text)
    name = _one_line(first_name_first(name_before_title(_words(block.sender_name or "").strip("\"'"))))
    forwarded = replace(
        words,
        sender_name=name,
        sender_contact=None if no_reply(block.sender_address) else block.sender_address,
        sender_address=block.sender_address,
        received_at=received,
        sent_zone=zone,
        subject=_one_line(_words(block.subject or "")),
        attachments=read.attachments,
        left_out=read.left_out,
        basis=_basis(f"{block.subject or ''}\n{block.text}"),
        mail=read.mail,
    )
    return replace(read, forwarded=forwarded, forward_note=block.note)


def _header(part: Message, field: str) -> str | None:
    """A header as sent (RFC 2047 words still encoded); raw bytes, against the rules but common (ISO-2022-JP from
    older Japanese mailers, 8-bit text), read in the body's charset or guessed (`charsets.header_text`)."""
    value = part.get(field)
    if isinstance(value, Header):  # compat32 wraps a value holding 8-bit bytes
        charset = _body_charset(part)
        return "".join(header_text(c, charset) if isinstance(c, bytes) else c for c, _ in decode_header(value))
    if value is not None and "\x1b" in (value := str(value)):  # raw ISO-2022-JP: 7-bit, so kept as a str
        return header_text(value.encode("latin-1", "replace"), _body_charset(part))
    return value


def _body_charset(part: Message) -> str | None:
    """The charset of a message's text, or of a multipart's first text part: a header in raw bytes is likely in it."""
    if part.is_multipart() and isinstance(payload := part.get_payload(), list):
        return next(
            (found for child in payload[:8] if isinstance(child, Message) and (found := _body_charset(child))), None
        )
    return _param(part, "charset", "content-type") if part.get_content_maintype() == "text" else None


def _words(value: str) -> str:
    """RFC 2047 encoded words (`=?ISO-2022-JP?B?...?=`) decoded, each in its charset."""
    try:
        chunks = decode_header(value) if "=?" in value else [(value, None)]
    except (HeaderParseError, ValueError, LookupError):  # a damaged word: the header as it came
        return value
    return "".join(
        c if isinstance(c, str) else decode(c, charset) if charset else c.decode("raw-unicode-escape", "replace")
        for c, charset in chunks
    )


def _param(part: Message, param: str, field: str) -> str | None:
    """A parameter of a header, in RFC 2231 or (against the rules, but common) RFC 2047 form, decoded."""
    try:
        value = part.get_param(param, header=field)
    except (ValueError, IndexError, TypeError):
        return None
    if isinstance(value, tuple):
        return decode(str(value[2]).encode("raw-unicode-escape"), str(value[0] or "utf-8"))
    return _words(value) if isinstance(value, str) else None


_NOT_BASE64 = bytes(c for c in range(256) if not (chr(c).isascii() and (chr(c).isalnum() or chr(c) in "+/")))


def _contact(*found: str | None) -> str | None:
    """The first address found that takes an answer (`no_reply`), one shown with escapes (`address_as_written`: no
    address at all) only when no other is given: Reply-To, then From, then one the text gives."""
    answered = [address for address in found if address and not no_reply(address)]
    return next((address for address in answered if "\\" not in address), answered[0] if answered else None)


def _payload(part: Message) -> bytes:
    """A part's bytes, its transfer encoding undone. Never `get_payload()` without `decode`: it decodes
    8-bit bytes in the declared charset, whatever that is. Base64 cut at a bad length comes back raw."""
    data = part.get_payload(decode=True)
    if isinstance(data, bytes) and any(isinstance(defect, InvalidBase64LengthDefect) for defect in part.defects):
        letters = data.translate(None, _NOT_BASE64)
        return binascii.a2b_base64(letters[: len(letters) // 4 * 4])  # as far as it goes
    return data if isinstance(data, bytes) else b""


def _address(value: str | None) -> tuple[str | None, str | None]:
    """The display name and address of an address header's first address (`address_as_written`: one run together
    with control characters is shown with them escaped, never cut down to another address)."""
    if not value:
        return None, None
    display, address = parseaddr(value[:4096])
    if not _EMAIL.fullmatch(address):
        found = _EMAIL.search(value)
        address = address_as_written(value, found) if found else ""
    shown = _one_line(_words(display).strip("\"' "))
    return (first_name_first(shown) if shown and shown != address else None), address or None


_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
_BASES = (
    (LegalBasis.DMCA, re.compile(r"\bDMCA\b|\b512\s*\(\s*c\s*\)|Digital\s+Millennium", re.I)),
    (LegalBasis.DSA, re.compile(r"\bDSA\b|Digital\s+Services\s+Act|\bArticle\s+16\b", re.I)),
    # A formal request names the right or the law's procedure (著作権, 送信防止措置, 侵害情報の通知, the law); 無断,
    # 盗用, トレパク or 削除依頼 alone is a person's reproach or request, not a notice ("please take it down"): none.
    (LegalBasis.JAPAN, re.compile("著作権|プロバイダ責任制限法|情報流通プラットフォーム対処法|送信防止措置|侵害情報")),
)
_LABEL = re.compile(
    r"^[ \t>]*(?:【([^】\n]{1,24})】[ \t]*[:：]?|([^\s:：【][^:：\n]{0,24}?)[ \t]*[:：])[ \t]*(.*)$", re.M
)
_NOTIFIER = re.compile(r"^[ \t\u3000]*(?:通知人|申立人|通知者)[ \t\u3000]+(?!代理人|弁護士)(\S[^\n]{0,60})$", re.M)
"""The sender as a formal notice (通知書) names them, on a line of its own without a colon: `通知人　山田　花子` (not
`通知人代理人弁護士 …`, their lawyer, whom the notice's signature names; nor `被通知人`, the owner)."""
_SEAL = re.compile(r"[ \t\u3000]*[(（]?[印㊞][)）]?[ \t\u3000]*$")
"""The seal mark a printed letter leaves after a name (`山田花子　㊞`)."""
_SENDER = "from sender notifier complainant claimant reporter 差出人 送信者 送信元 申立人 通知者".split()
_LABELS = dict.fromkeys((*_SENDER, "rights holder", "copyright owner"), "sender")
_LABELS |= dict.fromkeys(("name", "your name", "full name", "名前", "氏名", "お名前"), "name")
_LABELS |= dict.fromkeys(("reply-to", "email", "e-mail", "email address", "contact", "メール", "連絡先"), "contact")
_LABELS |= dict.fromkeys(("date", "sent", "日時", "送信日時", "受信日時", "日付"), "date")
_LABELS |= dict.fromkeys(("subject", "件名", "タイトル"), "subject") | dict.fromkeys(("to", "cc", "bcc", "宛先"), "to")


def _from_text(text: str) -> ReceivedMessage:
    """What a pasted message says of itself: labelled lines, a leading timestamp, addresses, URLs."""
    head = text[:SAMPLE]
    found: dict[str, str] = {}
    to_lines: list[tuple[int, int]] = []
    for line in _LABEL.finditer(head):
        kind = _LABELS.get(" ".join((line.group(1) or line.group(2)).lower().split()))
        if kind == "to":
            to_lines.append(line.span())
        elif kind and line.group(3).strip():
            found.setdefault(kind, line.group(3).strip())
    if "sender" not in found and (signed := _NOTIFIER.search(head)):  # a 通知書's `通知人　山田　花子`
        found["sender"] = _SEAL.sub("", signed.group(1))
    labelled = [address_as_written(f, m) for k in ("sender", "contact") if (m := _EMAIL.search(f := found.get(k, "")))]
    contact = next((address for address in labelled if not no_reply(address)), None)
    raw_sender = sender = found.get("sender", "")
    sent_from = _EMAIL.search(raw_sender)
    if sent_from:  # the name around it; an address run together with control characters goes whole
        start, end = address_span(sender, sent_from)
        sender = _EMAIL.sub("", sender[:start] + sender[end:])
    sender = sender.replace("<>", "").replace("()", "").strip("\"'<>() ")
    if contact is None:
        free = (m for m in _EMAIL.finditer(head) if not any(a <= m.start() < b for a, b in to_lines))
        contact = next((a for m in free if not no_reply(a := address_as_written(head, m))), None)
    openings = [row.strip().lstrip("[(（【") for row in head[:4096].split("\n") if row.strip()][:5]
    sent = [found.get("date", "")] + [row for row in openings if (stamp := STAMP.match(row)) and stamp.group("h")]
    language = guess_language(text)
    clock = JAPAN if language == "ja" else None  # a time written in Japanese naming no zone is Japan's
    date, zone = next((read for row in sent if (read := forwarded_date(row, clock))[0]), dated(own_words(text), clock))
    found = {kind: _words(value) for kind, value in found.items()}  # header lines kept raw: RFC 2047 words
    sender = _words(sender)
    subject = _one_line(found.get("subject"))
    name = _one_line(first_name_first(name_before_title(sender or found.get("name", "").strip("\"'"))))
    urls, basis = urls_in(text), _basis(text)
    return ReceivedMessage(
        name, contact, date, subject, text, urls, (), basis, language, sent_zone=zone,
        sender_address=address_as_written(raw_sender, sent_from) if sent_from else None,
    )  # fmt: skip


def _basis(text: str) -> LegalBasis | None:
    """The law the text invokes, by its words in the first 256 KiB (where a notice says it)."""
    return next((basis for basis, words in _BASES if words.search(text, 0, SAMPLE * 4)), None)
