"""The parts of a message around what it asks: whether pasted text is a copied e-mail (its header
lines) and its words after them, the sender's reference number (in the subject or the text), and the organisation
and title a signature block names.

Plain text in, plain data out: the standard library only, no escaping (the callers do that).
"""

from __future__ import annotations

import re
import unicodedata

from tracker.complaints.reading.message_files import is_mbox_separator
from tracker.complaints.reading.quoting import own_words

_HEADER_LINE = re.compile(
    r"[ \t>*]*(?:【(?P<k1>[^】\n]{1,8})】[ \t]*[:：]?|(?P<k2>[A-Za-z\u3000-\u9fff\-]{2,12})[ \t]*[:：])[ \t]*(?P<v>.*)"
)
_SUBJECT_KEYS = {"subject", "件名"}
_ADDRESS_KEYS = {"from", "to", "cc", "差出人", "送信者", "送信元", "宛先", "宛て先"}
_ADDRESS = re.compile(r"[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9\-]{1,63}(?:\.[A-Za-z0-9\-]{1,63}){1,8}")


def looks_like_mail(text: str) -> bool:
    """Whether a pasted message is a copied e-mail: among its first 15 non-empty lines, a `Subject:`
    (`件名：`) line and a `From:`/`To:`/`Cc:` (`差出人`, `送信者`, `宛先`) line holding an e-mail address.

    Does not count: a platform message pasted with its labels (`差出人：山田 花子` / `件名：...` and a
    `連絡先:` address further down, as pixiv shows one), an address anywhere else in the text, header
    lines after the first 15 lines (a quoted mail at the bottom of a reply).
    """
    lines = [line for line in text[:8192].split("\n") if line.strip()][:15]
    keys: set[str] = set()
    for line in lines:
        if found := _HEADER_LINE.match(line):
            key = (found.group("k1") or found.group("k2")).strip().lower()
            if key in _SUBJECT_KEYS:
                keys.add("subject")
            elif key in _ADDRESS_KEYS and _ADDRESS.search(found.group("v")):
                keys.add("address")
    return keys == {"subject", "address"}


_HEADER_FIELD = re.compile(r"(?P<key>[!-9;-~]{1,60}|[\u3000-\u9fff]{2,6})[ \t]*[:：][ \t]*(?P<value>.*)")
_HEADER_KEYS = {"from", "to", "cc", "bcc", "subject", "date", "sent", "reply-to", "sender", "return-path", "received"}
_HEADER_KEYS |= {"message-id", "mime-version", "content-type", "content-transfer-encoding", "importance"}
_HEADER_KEYS |= {"in-reply-to", "references", "dkim-signature", "authentication-results", "delivered-to"}
_HEADER_KEYS |= {"差出人", "送信者", "送信元", "宛先", "宛て先", "件名", "日付", "日時", "送信日時", "返信先", "重要度"}
_BODY_KEYS = {
    "from",
    "to",
    "cc",
    "subject",
    "date",
    "sent",
    "差出人",
    "送信者",
    "宛先",
    "件名",
    "日付",
    "日時",
    "送信日時",
}
"""What a copied e-mail's header block holds at least one of (a mail's own fields alone, `Content-Type:`, are no
message's words either)."""


def message_body(text: str) -> str:
    """The words of a pasted e-mail after its header block: the lines it opens with that are mail headers (`From:`,
    `To:`, `Subject:`, `Date:`, `差出人：`, `件名：`, an `X-` field, the lines continuing them), up to the first blank
    line or the first other line, when they name a sender, recipient, subject or date and words follow them. The
    text itself otherwise: a message that opens with its words, or with a label of its own (`URL:`)."""
    lines = _lines(text)
    keys = _header_keys(lines)
    body = "\n".join(lines[len(keys) :]).strip()
    return body if set(keys) & _BODY_KEYS and body else text


def without_subject(text: str) -> str:
    """A pasted e-mail without the subject its header block holds (`Subject:`, `件名：`, and the lines continuing
    it), wherever in the block it is (as `message_body` reads one): its words and its other header lines. The text
    itself when it opens with no header block holding a subject."""
    lines = _lines(text)
    keys = _header_keys(lines)
    if not set(keys) & _SUBJECT_KEYS:
        return text
    kept, subject = [], False
    for key, line in zip(keys, lines, strict=False):
        subject = key in _SUBJECT_KEYS or (subject and not key)
        kept += [] if subject else [line]
    return "\n".join(kept + lines[len(keys) :])


def _lines(text: str) -> list[str]:
    """A pasted message's lines, without the empty ones above it and an mbox separator line (`From sato@example.jp
    Mon Dec  7 10:00:00 2026`: `is_mbox_separator`); a line of its own opening with `From Misaki Sato` is kept."""
    lines = text.lstrip("\n").split("\n")
    return lines[1:] if lines and is_mbox_separator(lines[0]) else lines


def _header_keys(lines: list[str]) -> list[str]:
    """The keys (lower case) of the mail header lines `lines` open with, one per line ("" for a line continuing
    the one above): they stop at a blank line or the first line that is not a mail header (the message's words)."""
    keys: list[str] = []
    for line in lines:
        if line[:1] in (" ", "\t") and line.strip() and keys:
            keys.append("")
            continue
        found = _HEADER_FIELD.fullmatch(line.rstrip("\r"))
        key = found.group("key").lower() if found else ""
        if key not in _HEADER_KEYS and not key.startswith("x-"):
            break
        keys.append(key)
    return keys


_REFERENCE = re.compile(
    r"(?i:\b(?:our[ \t]+)?(?:ref(?:erence)?|ticket|case)(?:[ \t]+(?:no|number|id))?\.?[ \t]*[:#.]?[ \t]*)"
    r"(?P<ref>(?=[A-Z0-9-]{0,40}\d)[A-Z0-9][A-Z0-9-]{3,40})\b"
    r"|(?:お問い?合わせ番号|受付番号|管理番号|案件番号|整理番号)[ \t\u3000]*[:：]?[ \t\u3000]*"
    r"(?P<ja>[A-Za-z0-9-]{3,40})"
)
"""A sender's reference: `Ref. BRM-2026-11873`, `Reference: 11873`, `Ticket #A1234`, `Case ID: 55-21`,
`受付番号：20261204-001`. It holds a digit, and in English its letters are capitals (`ref. your post` is none)."""


def reference(subject: str | None, text: str) -> str | None:
    """The sender's reference number for their notice, from the subject first, then their own words."""
    for sample in (subject or "", own_words(text)[:20000]):
        if found := _REFERENCE.search(unicodedata.normalize("NFKC", sample)):
            return found.group("ref") or found.group("ja")
    return None


_COMPANY_FORM = (
    r"(?:LLC|L\.L\.C\.|LLP|Inc\.?|Ltd\.?|Limited|GmbH|Corp\.?|Corporation|Co\.,?[ \t]Ltd\.?"
    r"|K\.K\.|S\.A\.|Pty[ \t]Ltd\.?|PLC)"
)
_ORG_LINE = re.compile(
    r"^[ \t]*(?:(?P<title>[A-Za-z][A-Za-z ]{1,40}?),[ \t]+)?"
    rf"(?P<org>(?:(?:[A-Z0-9][\w&'’.-]{{0,40}}|&),?[ \t]{{1,2}}){{1,6}}{_COMPANY_FORM})"
    r"[ \t]*$"
)
"""A signature line naming a company: `Brightline Rights Management LLC`, `Copyright Agent, Brightline Rights
Management LLC`, `Halvorsen & Reed LLP`, `Acme Images, Inc.`."""
_AGENT_TITLE = re.compile(
    r"^[ \t]*(?:copyright|dmca|rights|enforcement|takedown)[ \t]+(?:agent|representative)\b", re.I
)
"""A signature line (or the title before a company) saying the writer is an agent: `Copyright Agent`."""


_JA_ORG_LINE = re.compile(
    r"^[ \t\u3000]*(?P<org>[^\s。、，,:：@「」]{0,20}"
    r"(?:株式会社|有限会社|合同会社|一般社団法人|一般財団法人|㈱|㈲|[(（][株有][)）]|法律事務所|特許事務所)"
    r"[^。、，,:：@「」]{0,30}?)[ \t\u3000]*$"
)
"""A Japanese signature line naming a company or firm: `株式会社ルミナスゲームス　法務部`,
`㈱アークライト　権利管理室`."""
_JA_SENTENCE = re.compile("です|ます|ください|でした|ません|として|より|から$|代理人|御中|様$")
_ABBREVIATED = {
    "㈱": "株式会社",
    "(株)": "株式会社",
    "（株）": "株式会社",
    "㈲": "有限会社",
    "(有)": "有限会社",
    "（有）": "有限会社",
}
"""Abbreviated company forms, written out: a letter's address spells 株式会社 in full."""


_JA_FORM = "(?:株式会社|有限会社|合同会社|合資会社|合名会社|一般社団法人|一般財団法人|㈱|㈲|[(（][株有][)）])"
_COMPANY_NAME = re.compile(
    rf"{_JA_FORM}[^\s。、，,]{{1,30}}|[^\s。、，,]{{1,30}}{_JA_FORM}"
    rf"|(?:[\w&'’.-]{{1,40}},?[ \t]{{1,2}}){{1,6}}{_COMPANY_FORM}"
)


def is_company(name: str) -> bool:
    """Whether a name is a company's alone, no person's: its legal form before or after it (`株式会社ムーンライト`,
    `ムーンライト株式会社`, `一般社団法人…`, `Brightmill Studio Ltd.`, `Acme Images, Inc.`, `Nordlicht GmbH`), with no
    space in a Japanese one (`株式会社ルミナスアーツ 法務部 高橋` names a department and a person too)."""
    return bool(_COMPANY_NAME.fullmatch(" ".join(unicodedata.normalize("NFKC", name).split())))


def _ja_org(line: str) -> str | None:
    found = _JA_ORG_LINE.match(line)
    if found is None or _JA_SENTENCE.search(line):
        return None
    org = " ".join(found.group("org").split())
    for short, full in _ABBREVIATED.items():
        org = org.replace(short, full)
    return org


def signature_org(text: str) -> tuple[str | None, bool]:
    """(company, is an agent) as the writer's signature block gives them, in its last 10 lines of their own words.

    Reads a line that is a company name ending in its legal form (LLC, Inc., Ltd, GmbH, ...), maybe after a
    title and a comma, and a title line such as `Copyright Agent`; a Japanese line naming a company or firm
    (`㈱アークライト　権利管理室`, written out as 株式会社アークライト 権利管理室). Not a company named in a sentence.
    """
    lines = [line for line in own_words(text)[-4000:].split("\n") if line.strip()][-10:]
    org, agent = None, False
    for line in lines:
        if found := _ORG_LINE.match(line):
            org = found.group("org").strip()
            agent = agent or bool(found.group("title") and _AGENT_TITLE.match(found.group("title")))
        elif ja := _ja_org(line):
            org = ja
        elif _AGENT_TITLE.match(line) and len(line.split()) <= 4:
            agent = True
    return org, agent


def name_before_title(value: str) -> str:
    """`Lena Hoffmann, illustrator, Berlin` -> `Lena Hoffmann`: a name that two or more capitalised words start,
    cut before what follows a comma (a surname first, `Hoffmann, Lena`, stays whole)."""
    head = value.split(",", 1)[0].strip()
    words = head.split()
    if "," in value and 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words):
        return head
    return value


_LATIN_WORDS = r"[A-Z\u00c0-\u00de][A-Za-z\u00c0-\u024f'’.-]*(?: [A-Za-z\u00c0-\u024f'’.-]+){0,2}"
_SURNAME_FIRST = re.compile(rf"(?P<last>{_LATIN_WORDS}), (?P<first>{_LATIN_WORDS})")
_NOT_A_GIVEN_NAME = frozenset(
    "inc llc llp ltd limited gmbh corp corporation co company plc kk sa ag bv pty jr sr ii iii iv esq phd md".split()
)
"""Words after a comma that make it no `Last, First` name: a company's form (`Acme, Inc.`), a suffix (`Doe, Jr.`)."""


def first_name_first(name: str) -> str:
    """`Halvorsen, Mark` (as a mail program files a From name) -> `Mark Halvorsen`, as a letter greets the writer.
    Only a Latin-script name with exactly one comma, no company form or suffix after it (`Acme, Inc.`,
    `Doe, Jr.`); any other name as it is."""
    found = _SURNAME_FIRST.fullmatch(" ".join(name.split()))
    words = {word.strip(".").casefold() for word in found.group(0).replace(",", " ").split()} if found else set()
    if found is None or words & _NOT_A_GIVEN_NAME:
        return name
    return f"{found.group('first')} {found.group('last')}"
