"""Logging a complaint that arrived: its details, the complainant's images and the posts it names.

Every image is read and every named post resolved before anything is written: a file that is not
an image or a post that is not logged ends the intake with nothing kept. One transaction; the
images go into the archive by content hash.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tracker.archive import store as archive
from tracker.archive.refs import referenced_by, remove_unnamed
from tracker.complaints.complaint_input import ComplaintInput
from tracker.complaints.field_checks import checked_platform, checked_work_urls
from tracker.complaints.forwarded import complaint_part
from tracker.complaints.intake_checks import refuse_empty, refuse_same_message
from tracker.complaints.legal import completeness, default_deadline
from tracker.complaints.named_posts import complaint_persona, resolve_posts
from tracker.complaints.platform_removed import follow_platform_removal
from tracker.complaints.reading.english_deadlines import asked_deadline
from tracker.complaints.reading.mail_parts import looks_like_mail, signature_org
from tracker.complaints.reading.mail_parts import reference as sender_reference
from tracker.complaints.reading.message_dates import JAPAN
from tracker.complaints.reading.message_details import demanded_deadline, split_sender
from tracker.complaints.reading.message_writer import fuller_organisation, message_writer, without_person
from tracker.complaints.reading.messages import ReceivedMessage, guess_language
from tracker.complaints.reading.notice_reading import (
    notice_elements,
    organisation_and_role,
    work_title,
)
from tracker.complaints.reading.platform_notices import (
    complainant_fields,
    copyright_basis,
    platform_notice,
    sender_team,
)
from tracker.complaints.reading.prose_urls import linked_images, other_readings, trimmed_to_post, urls_in
from tracker.complaints.reading.quoting import EarlierMessage, as_written_by, earlier_message, own_words, quoted_words
from tracker.db.enums import Channel, ComplaintStatus, LegalBasis
from tracker.db.models import Account, Complaint, ComplaintImage, ComplaintPost
from tracker.db.session import session_scope
from tracker.errors import NotFoundError, TrackerError, UsageError
from tracker.matching import limits
from tracker.platforms.urls import Platform, parse_post_url, platform_of_sender, platform_page
from tracker.posts.lookup import find_post
from tracker.support.dates import utcnow
from tracker.support.settings import Settings
from tracker.support.user_files import fs_text
from tracker.support.userinput import stripped, typed_line, typed_text

if TYPE_CHECKING:
    from tracker.metadata.reader import ImageReading  # numpy: loaded only when a complaint has images

MAX_IMAGES = 20


def readable_images(paths: Sequence[Path], left_out: list[str]) -> list[Path]:
    """The attached images (written aside) that can be read; each other one is deleted and named in `left_out` with
    why (`x.png (damaged or truncated image)`): one broken picture in a mail never keeps the complaint out. Only the
    pixels are decoded here, which is where a damaged file fails; the intake reads the rest once, as for `--image`."""
    if not paths:
        return []
    from tracker.metadata.decoding import decode_file

    kept = []
    for path in paths:
        try:
            decode_file(path)
        except TrackerError as exc:  # billions of pixels (a decompression bomb?) is not called damaged
            path.unlink(missing_ok=True)
            why = (
                "too large an image to read safely" if "too large to read" in str(exc) else "damaged or truncated image"
            )
            left_out.append(f"{fs_text(path.name)} ({why})")
            continue
        kept.append(path)
    return kept


def _read_images(paths: Sequence[Path]) -> list[ImageReading]:
    if len(paths) > MAX_IMAGES:
        raise UsageError(f"at most {MAX_IMAGES} images per complaint")
    if not paths:
        return []
    from tracker.metadata.reader import read_image

    return [read_image(Path(p)) for p in paths]


def add_complaint(
    factory: sessionmaker[Session], settings: Settings, data: ComplaintInput, platforms: Mapping[str, Platform]
) -> int:
    """Log a complaint with its images and named posts, in one transaction; returns its number.

    Every image is read and every named post resolved before anything is written: a file that
    is not an image or a post that is not logged ends the command with nothing kept, and so does a
    message an earlier complaint holds (`intake_checks.SameMessage`) unless `data.duplicate` says to log it.
    """
    refuse_empty(data)
    urls, platform = checked_work_urls(data.claimed_urls), checked_platform(data.platform, platforms)
    data = replace(data, claimed_urls=urls, platform=platform)  # as `complaint set` takes them
    readings = _read_images(data.images)
    with archive.writing(settings.archive_dir, referenced_by(factory)):
        return _add_complaint(factory, settings, data, platforms, readings)


def _add_complaint(
    factory: sessionmaker[Session],
    settings: Settings,
    data: ComplaintInput,
    platforms: Mapping[str, Platform],
    readings: list[ImageReading],
) -> int:
    created: list[str] = []
    looks = {reading.sha256: limits.looks(reading) for reading in readings}  # read before the write lock is taken
    try:
        with session_scope(factory, command="complaint add") as session:
            refuse_same_message(session, data)
            named = resolve_posts(session, data.posts, platforms)
            persona = complaint_persona(session, data.persona, [post for _, post in named], data.new_persona)
            complaint = Complaint(
                received_at=data.received_at,
                channel=data.channel,
                legal_basis=data.legal_basis,
                platform=typed_line(data.platform),
                ticket_id=typed_line(data.ticket_id),
                complainant_name=typed_line(data.complainant_name),
                complainant_org=typed_line(data.complainant_org),
                complainant_role=typed_line(data.complainant_role),
                complainant_contact=typed_line(data.complainant_contact),
                claimed_title=typed_line(data.claimed_title),
                claimed_description=typed_text(data.claimed_description),
                claimed_urls=[u for u in map(typed_line, data.claimed_urls) if u],
                message=stripped(data.message),
                sent_utc_offset=data.sent_utc_offset,
                completeness=completeness(
                    data.legal_basis,
                    data.elements,
                    any("://" in reference for reference, _ in named),
                    typed_line(data.complainant_contact),
                    has_work=bool(typed_line(data.claimed_title)) or any(map(typed_line, data.claimed_urls)),
                    name=typed_line(data.complainant_name),
                ),
                deadline_at=data.deadline_at or default_deadline(data.legal_basis, data.received_at),
                status=ComplaintStatus.OPEN,
                persona=persona,
                language=data.language,
                attachments_not_kept=[n for n in map(typed_line, data.left_out) if n] or None,
            )
            session.add(complaint)
            for reference, post in named:
                complaint.named_posts.append(ComplaintPost(post=post, reference=reference))
            follow_platform_removal(complaint, utcnow())  # "we have removed the content": its posts are down
            seen: set[str] = set()
            for reading in readings:
                if reading.sha256 in seen:
                    continue
                seen.add(reading.sha256)
                rel, new = archive.store(settings.archive_dir, reading.sha256, reading.format, reading.data)
                if new:
                    created.append(rel)
                complaint.images.append(
                    ComplaintImage(
                        sha256=reading.sha256,
                        archive_path=rel,
                        original_name=fs_text(reading.path.name),  # a name that is not UTF-8: \xNN escapes
                        format=reading.format,
                        width=reading.width,
                        height=reading.height,
                        size_bytes=len(reading.data),
                        plain_colour=looks[reading.sha256][0],
                        frames=looks[reading.sha256][1],
                    )
                )
            session.flush()
            number = complaint.id
    except BaseException:  # a Ctrl+C may come after the commit: what the rows name stays
        remove_unnamed(factory, settings.archive_dir, created)
        raise
    return number


def message_fields(
    message: ReceivedMessage,
    names_post: Callable[[str], bool],
    received_at: datetime | None = None,
    platforms: Mapping[str, Platform] | None = None,
    typed_zone: tzinfo | None = None,
    typed_contact: str | None = None,
    own: Collection[str] = (),
    own_post: Callable[[str], bool] | None = None,
    own_page: Callable[[str], bool] | None = None,
) -> dict[str, Any]:
    """What a complaint that arrived as a file says, as `ComplaintInput` fields (None: it does not say).

    The file's URLs (told apart from the prose written against them, `prose_urls`: a known platform's post URL
    ends where its pattern does, and a logged post's URL is read where the words alone cannot tell) are split
    by `names_post`: a logged post's URL is a post the complaint names;
    any other URL is where the complainant's work is, but for a page of one of `platforms` that is no
    post (`platform_page`: their profile, `https://x.com/handle`) in the signature (`_signed_off_urls`),
    which says who they are, not which work, and for the picture a BBCode link shows (`prose_urls.linked_images`:
    the page it links is the work's place, its thumbnail no second one).

    The text's own words fill in what its headers and labelled lines do not
    (`message_details`, `notice_reading`): the name the writer introduces themselves or signs
    with (a name under a closing only when the sender's e-mail address spells it: `typed_contact`, the contact
    the owner typed, or the message's own), who they act for and as what (`complainant_org`, `complainant_role`),
    the title of their work (`claimed_title`), the day it asks for action by (`deadline_at`: 12月4日まで, 明日中に,
    "within 48 hours", never before `received_at` when the owner gives it, else the file's date,
    else now; its days and hours on the sender's clock: `typed_zone` when given, else `sender_zone`),
    a pasted e-mail (`channel`), the clock its date is said on (`received_clock`: the sender's, `zone`, whether
    the message's date names it or it was taken to be Japan's, so the owner sees the hour and the day the message
    shows, as `complaint show` and the letter give them), and the legal elements it
    plainly states: `elements` for the basis it names, `elements_by_basis` for every basis (the owner may give
    another one).

    A message the owner forwarded (from one of `own`, their addresses) is read as the message it forwards
    (`forwarded.complaint_part`): who wrote that, when (`forward_dated`: the forward's date, it giving none), and its
    words; one sent from their own address that forwards nothing readable names no complainant (`own_sender`).

    A post on one of the owner's own accounts that is not logged (`own_post`, `own_account_post`) is no work of
    the complainant's: it is `unlogged_own`, for the intake to say it names a post tracker does not hold. Nor is a
    page of one of those accounts (`own_page`, `own_account_page`: `https://x.com/moth_art`, the owner's profile).
    A post only in the owner's letter a reply quotes is left out when the writer's words name one: `_only_quoted`.
    """
    part = complaint_part(message, own)
    forwarder, message = message, part.message
    read = (trimmed_to_post(url, platforms or {}) for url in message.urls)
    urls = list(dict.fromkeys(_as_logged(url, message.text, names_post) for url in read))
    posts = [url for url in urls if names_post(url)]
    unlogged_own = [url for url in urls if url not in posts and own_post is not None and own_post(url)]
    received = received_at or message.received_at or utcnow()
    zone = typed_zone or sender_zone(message)  # the letter dates the message on the clock the deadline is read on
    header_person, header_org = split_sender(message.sender_name)
    addresses = (typed_contact, message.sender_contact, message.sender_address)
    name = message_writer(header_person, message.text, addresses, signature_org(message.text)[0])
    text = as_written_by(message.text, name, message.sender_contact)  # a follow-up quoting their own notice reads it
    earlier = earlier_message(message.text, name, message.sender_contact)
    quoted_posts = _only_quoted(posts, own_words(text), names_post, platforms or {})
    posts = [url for url in posts if url not in quoted_posts]
    org, role = organisation_and_role(text)
    signed_org, signed_agent = signature_org(text)
    org = without_person(fuller_organisation(org, without_person(signed_org, name)) or header_org, name)
    role = role or ("agent" if signed_agent else None)
    # the platform passing a complaint on (its notice, or its support desk forwarding one): its team is no complainant
    came_from = platform_of_sender(message.sender_address, platforms or {}) or sender_team(message.sender_name)
    notice = platform_notice(text, came_from, message.sender_contact or message.sender_address)
    if notice is not None:
        (name, org), role = complainant_fields(notice), None
    noticed = notice.platform if notice is not None and notice.platform in (platforms or {}) else None
    subject = message.subject if message.mail else None  # a pasted message's Subject: line is in its text already
    by_basis = {basis: notice_elements(f"{subject}\n{text}" if subject else text, basis, name) for basis in LegalBasis}
    basis = message.basis
    if basis is None and {"good_faith", "accuracy"} <= by_basis[LegalBasis.DMCA]:
        basis = LegalBasis.DMCA  # never says "DMCA", but makes its two sworn statements in its own words
    if basis is None and notice is not None and _PLATFORM_REQUEST.search(f"{subject or ''}\n{text}"):
        basis = LegalBasis.JAPAN  # a platform passing on a 削除依頼: its procedure under the Japanese platform law
    if basis is None and notice is not None:
        basis = copyright_basis(notice, f"{subject or ''}\n{text}")  # Bluesky's copyright report: as X's DMCA notice
    shots = _screenshot_links(text)  # evidence of the post, not the complainant's work
    signed = _signed_off_urls(text) | _signed_off_urls(quoted_words(message.text))  # a quoted signature's too
    shots |= {url for url in signed if platforms and _profile(url, platforms)}  # their own account
    shots |= {url for url in urls if platforms and _platform_help(url, platforms)}  # a notice's counter-notice form
    own_pages = {url for url in urls if own_page is not None and own_page(url)}  # the owner's own profile
    thumbnails = linked_images(message.text)  # a BBCode link's picture: the page it links is where the work is
    return {
        "received_at": message.received_at,
        "channel": Channel.EMAIL if message.mail or looks_like_mail(message.text) else None,
        "legal_basis": basis,
        "complainant_name": name,
        "complainant_org": org,
        "complainant_role": role,
        "complainant_contact": message.sender_contact,
        "platform": noticed
        or platform_of_sender(message.sender_address, platforms or {})  # a notice pixiv forwards
        or platform_of_sender(forwarder.sender_address, platforms or {}),
        "ticket_id": sender_reference(message.subject, message.text)
        or sender_reference(forwarder.subject, forwarder.text),
        "sent_utc_offset": _offset_minutes(zone, message.received_at or received),
        "zone_assumed": JAPAN_ZONE if zone is JAPAN else None,
        "received_clock": zone,  # the clock its date is shown on, the sender's (as `complaint show` says it)
        "claimed_title": work_title(text) or (work_title(message.subject, subject=True) if message.subject else None),
        "message": (f"Subject: {subject}\n\n" if subject else "") + part.kept_text(forwarder) or None,
        "posts": posts,
        "claimed_urls": [
            url
            for url in urls
            if url not in posts
            and url not in unlogged_own
            and url not in quoted_posts
            and url not in own_pages
            and url not in thumbnails
            and not any(s.startswith(url) for s in shots)
        ],
        "unlogged_own": unlogged_own,
        "deadline_at": _asked_by(text, earlier, received, zone),
        "elements": by_basis[basis] if basis else set(),
        "elements_by_basis": by_basis,
        "left_out": [f"{name} (not an image)" for name in message.left_out],
        "own_sender": part.own_sender,
        "forward_dated": part.forward_dated,
    }


_PLATFORM_REQUEST = re.compile("削除依頼|削除のご依頼|削除申請")
"""A removal request as a platform's notice names the one it passes on (a person's own 削除依頼 is no notice)."""

JAPAN_ZONE = "Japan time (JST)"  # how a message's clock is named when it is taken to be Japan's (`sender_zone`)


def sender_zone(message: ReceivedMessage) -> tzinfo | None:
    """The sender's clock: the offset the message's date gives; else Japan's for a message written in Japanese
    (a pasted pixiv message or X DM names no zone, and 17時 in it means 17:00 in Japan, also to an owner
    reading it on a server that keeps UTC); else None (the owner's local time). A `+0000` date on a message
    in Japanese is a mail server's clock, not the writer's: Japan's too. A zone the text names after an hour
    (`17:00 PST`) wins over all of them (`deadline_words`)."""
    japanese = bool(message.text) and guess_language(message.text) == "ja"
    if message.sent_zone is not None and not (japanese and _is_utc(message.sent_zone, message.received_at)):
        return message.sent_zone
    return JAPAN if japanese else None


def sender_offset(message: ReceivedMessage) -> int | None:
    """The sender's UTC offset in minutes (`sender_zone`), as `message_fields` records it; None when unknown."""
    return _offset_minutes(sender_zone(message), message.received_at)


def _is_utc(zone: tzinfo, at: datetime | None) -> bool:
    offset = zone.utcoffset(at)
    return offset is not None and not offset


_SCREENSHOT_LINK = re.compile(
    r"(?:スクリーンショット|スクショ|キャプチャ|screenshots?|screen shots?|screen captures?)[^\n]{0,40}?(https?://[^\s<>\"]+)",
    re.I,
)


SIGNATURE_LINES = 6
"""The most lines a message's signature (name, title, contact, profile) is read to have."""
_SENTENCE_END = re.compile(r"[。．.!！?？]\s*$")


_WORK_WORDS = re.compile(
    r"作品|元絵|原画|オリジナル|イラスト(?!レータ)|ギャラリー|モデル"
    r"|\b(?:works?|original|art(?:works?)?|galler(?:y|ies)|models?|loras?)\b",
    re.I,
)
"""Words that introduce the complainant's work (`My original work:`, `元の作品：`): a link after them is the work's.
Whole words, so a job title in a signature (イラストレーター, Artist) introduces none."""
_ADDRESS = re.compile(r"[\x21-\x3f\x41-\x7e]*@[\x21-\x3f\x41-\x7e]+")
"""An e-mail address (ASCII: the Japanese written against it is words): `.art` in `misaki.sato.art@example.jp` is
no word, nor is `/artworks/` in a link (`urls_in` tells a link from the prose after it: `…/moth_artの作品です`)."""
_NOT_AN_ACCOUNT = frozenset("models model images image posts post artworks art gallery works novel".split())
"""First path segments of a platform's pages that show a work, not an account."""


def _signed_off_urls(text: str) -> set[str]:
    """The URLs only the message's signature gives: the lines of its own words after its last sentence (at most
    `SIGNATURE_LINES`) that no word of a work introduces (`My original work:` on the line or the one above); none
    when no line ends a sentence (a message all links, say: no signature to tell apart)."""
    lines = [line for line in own_words(text).split("\n") if line.strip()]
    last = max((i for i, line in enumerate(lines) if _SENTENCE_END.search(line)), default=len(lines))
    signed = [
        line
        for at, line in enumerate(lines[last + 1 :][:SIGNATURE_LINES], start=last + 1)
        if not _introduces_work(line) and not _introduces_work(lines[at - 1])
    ]
    return set(urls_in("\n".join(signed))) - set(urls_in("\n".join(lines[: last + 1])))


def _only_quoted(
    posts: list[str], mine: str, names_post: Callable[[str], bool], platforms: Mapping[str, Platform]
) -> set[str]:
    """The posts only what the message quotes names (the owner's own letter a reply quotes: a post they took down,
    another they mentioned), when the writer's own words (`mine`) name a post: those are the complaint's. When their
    words name none ("please remove the post you wrote about"), the quote is all that names one: none is left out."""
    said = {_as_logged(trimmed_to_post(url, platforms), mine, names_post) for url in urls_in(mine)}
    return {url for url in posts if url not in said} if any(url in said for url in posts) else set()


def _introduces_work(line: str) -> bool:
    """Whether a line has a word of `_WORK_WORDS` outside its e-mail addresses and links."""
    for url in urls_in(line):
        line = line.replace(url, " ")
    return bool(_WORK_WORDS.search(_ADDRESS.sub(" ", line)))


def _as_logged(url: str, text: str, names_post: Callable[[str], bool]) -> str:
    """The URL as read, or, when that is no logged post, another reading of the text there that is one
    (`other_readings`): `…/作品/夜市は盗作` names the logged `…/作品/夜市`, where words alone cannot tell; a pixiv
    picture's address (`https://i.pximg.net/…/123456789_p0_master1200.jpg`) names its logged post."""
    if names_post(url):
        return url
    if (picture := _PXIMG.match(url)) and names_post(page := f"https://www.pixiv.net/artworks/{picture.group(1)}"):
        return page  # the picture of a logged pixiv post (its file is named by the post's id): that post
    return next((other for other in other_readings(url, text) if names_post(other)), url)


_PXIMG = re.compile(r"https?://i\.pximg\.net/\S*/(\d{1,12})_(?:p\d+|ugoira|master|square|custom)", re.I)


def _profile(url: str, platforms: Mapping[str, Platform]) -> bool:
    """A known platform's account page (`x.com/name`, `pixiv.net/users/42`, `bsky.app/profile/name`): a page that
    is no post, with at most two path segments and no query, not a model's or a gallery's page."""
    parts = urlsplit(url)
    segments = [piece for piece in parts.path.split("/") if piece]
    if parts.query or len(segments) > 2 or (segments and segments[0].lower() in _NOT_AN_ACCOUNT):
        return False
    return platform_page(url, platforms)


_HELP_HOST = re.compile(r"(?:help|support|legal|polic(?:y|ies)|privacy|safety|transparency)\.", re.I)
_HELP_PATH = re.compile(
    r"/(?:[a-z]{2}(?:-[a-z]{2})?/)?(?:help|rules(?:-and-policies)?|tos|terms|legal|polic(?:y|ies)|privacy|guidelines"
    r"|support|forms?)(?:[/?#]|$)",
    re.I,
)


def _platform_help(url: str, platforms: Mapping[str, Platform]) -> bool:
    """A known platform's own help, policy or form page (`https://help.x.com/forms/dmca-counternotice`,
    `https://www.pixiv.net/terms`): a platform's notice links them for the owner, and they are never where the
    complainant's work is."""
    host = urlsplit(url).hostname or ""
    if platform_of_sender(f"@{host}", platforms) is None:
        return False
    return bool(_HELP_HOST.match(host) or _HELP_PATH.match(urlsplit(url).path))


def _screenshot_links(text: str) -> set[str]:
    """URLs the message gives as a screenshot of the post (`スクリーンショット：https://i.imgur.com/…`): evidence,
    not where the complainant's work is."""
    return {url for m in _SCREENSHOT_LINK.finditer(text[: 64 * 2**10]) for url in urls_in(m.group(1))[:1]}


def _offset_minutes(zone: tzinfo | None, at: datetime | None) -> int | None:
    """A message's zone as minutes east of UTC (None: unknown), within the ±18 hours any zone can be."""
    offset = zone.utcoffset(at) if zone is not None else None
    if offset is None:
        return None
    minutes = round(offset.total_seconds() / 60)
    return minutes if abs(minutes) <= 18 * 60 else None


def _asked_by(text: str, earlier: EarlierMessage | None, received: datetime, zone: tzinfo | None) -> datetime | None:
    """The deadline the message asks for, counted on the sender's clock (`zone`) from the day it was `received`.
    A reply quoting the sender's own earlier message (`quoting.earlier_message`) asks for what its new words ask
    (`明後日までに` now wins over the `明日中に` quoted); when they ask for none, the quoted message's deadline counted
    from the day that one was sent (`明日中に` in a mail of 6 December is the end of the 7th, not of the day after
    the reply). A quote whose header gives no date is counted from the reply's (its `12月8日まで` still holds; its
    `明日中に` then falls a little late, never unasked). A day that had passed when the reply came is the reply's
    arrival: they wrote again because it passed, and the answer is due at once."""
    if earlier is None:
        return _earliest(demanded_deadline(text, received, zone), asked_deadline(text, received, zone))
    now = _earliest(demanded_deadline(earlier.above, received, zone), asked_deadline(earlier.above, received, zone))
    if now is not None:
        return now
    sent = earlier.sent_at(zone) or received
    asked = _earliest(demanded_deadline(earlier.words, sent, zone), asked_deadline(earlier.words, sent, zone))
    return max(asked, received) if asked is not None else None


def _earliest(*moments: datetime | None) -> datetime | None:
    """The soonest of the deadlines a message's languages ask for (a bilingual notice may give two)."""
    given = [m for m in moments if m is not None]
    return min(given) if given else None


def own_account_post(session: Session, platforms: Mapping[str, Platform]) -> Callable[[str], bool]:
    """Whether a URL is a post on one of the owner's accounts (a persona's handle on that platform, in any case),
    logged or not: a complaint naming one the owner never logged names their post, not the complainant's work."""
    handles = {
        (platform, handle.casefold())
        for platform, handle in session.execute(select(Account.platform, Account.handle))
        if handle is not None
    }

    def own(url: str) -> bool:
        try:
            ref = parse_post_url(url, platforms)
        except TrackerError:
            return False
        return ref.post_id is not None and ref.handle is not None and (ref.platform, ref.handle.casefold()) in handles

    return own


def own_account_page(session: Session, platforms: Mapping[str, Platform]) -> Callable[[str], bool]:
    """Whether a URL is the page of one of the owner's accounts (its profile, `https://x.com/moth_art`,
    `https://bsky.app/profile/moth.bsky.social`, or a page under it such as `…/moth_art/media`; in any case, on any
    of the platform's hosts where its profile page names no host): the owner's own page, never the complainant's
    work. As `own_account_post` for a post on those accounts that is not logged."""
    pages: dict[str, set[tuple[str, str, bool]]] = {}
    for platform, handle, profile in session.execute(select(Account.platform, Account.handle, Account.profile_url)):
        template = platforms[platform].profile_url if platform in platforms else None
        any_host = bool(template) and "{host}" not in (template or "") and "{handle}" not in urlsplit(template).netloc
        for page in (profile, template.replace("{handle}", handle) if template and handle else None):
            if page and "{" not in page:
                parts = urlsplit(page)
                host = (parts.hostname or "").casefold().removeprefix("www.")
                pages.setdefault(platform, set()).add((host, parts.path.rstrip("/").casefold(), any_host))

    def own(url: str) -> bool:
        parts = urlsplit(url)
        host = (parts.hostname or "").casefold().removeprefix("www.")
        found = pages.get(platform_of_sender(f"@{host}", platforms) or "")
        if not found or not _profile(url, platforms):
            return False
        path = parts.path.rstrip("/").casefold()
        return any(
            (any_host or page_host == host) and (path == page_path or path.startswith(f"{page_path}/"))
            for page_host, page_path, any_host in found
        )

    return own


def is_logged_post(session: Session, platforms: Mapping[str, Platform]) -> Callable[[str], bool]:
    """Whether a URL (in any spelling the platforms know) is a logged post."""

    def logged(url: str) -> bool:
        try:
            find_post(session, url, platforms)
        except NotFoundError:
            return False
        return True

    return logged
