"""What a notice's own words say beyond a name and a deadline: the legal elements it states, who the
writer acts for, and the title of the work (the deadline an English notice asks for: `english_deadlines`).

A textbook DMCA notice says "I have a good faith belief ...", "under penalty of perjury ..." and signs
"/s/ Jane Doe": the owner must not be told it "lacks" what it plainly says. Everything here is a
suggestion for the owner to check, read conservatively: only clear wording counts, anything unsure
is left out (an element left unticked, None), never guessed.

A message is hostile input of up to 25 MiB: only its first 64 KiB and last 4 KiB are read (where a
notice says these things and signs), every pattern is bounded (no unbounded lazy runs, no nested
repeats but of words and separators no word holds), in time linear in that sample. Plain text in,
plain data out: the standard library only, no escaping (the callers do that).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable

from tracker.complaints.reading.mail_parts import is_company
from tracker.complaints.reading.message_details import claims_a_right
from tracker.complaints.reading.quoting import TAIL, flat_own_words, own_words, unwrapped
from tracker.complaints.reading.signer_names import (
    is_signer,
    is_title,
    local_parts,
    organisation_named,
    spelled_in,
    with_title,
)
from tracker.db.enums import LegalBasis

_WINDOW = 500
"""How far apart (in characters of the flattened text) the words of one statement may stand."""

RIGHTS_HOLDER, AGENT, LAWYER = "rights holder", "agent", "lawyer"
"""The roles `complaint add --role` offers ("Rights holder, agent, lawyer, ..."), as shown after a name."""


def _near(flat: str, anchor: re.Pattern[str], *others: re.Pattern[str], limit: int = 20) -> bool:
    """Whether every one of `others` occurs within `_WINDOW` characters of one of the first `limit`
    occurrences of `anchor`: the words of one statement, not of a whole message."""
    for found in itertools.islice(anchor.finditer(flat), limit):
        start, end = max(0, found.start() - _WINDOW), found.end() + _WINDOW
        if all(other.search(flat, start, end) for other in others):
            return True
    return False


# ----------------------------------------------------------------------------- legal elements

_DMCA_GOOD_FAITH = re.compile(
    r"\b(?:good[ -]?faith belie(?:f|ve)|belie(?:f|ve),? in good[ -]?faith)\b(?:[^.;!?\n]|[.;!?](?! )){0,300}?"
    r"(?:\bnot (?:been )?authori[sz]ed|\bunauthori[sz]ed|\bwithout (?:the )?(?:authori[sz]ation|permission|consent))",
    re.I,
)
"""The belief and what it is about in one sentence: no `. `, `; `, `! `, `? ` or paragraph break between."""
_NEGATED = re.compile(r"(?:\bnot?|\bnever|n['’]t)[ \t]+(?:(?:have|hold|has|had)[ \t]+)?(?:(?:an?|any)[ \t]+)?$", re.I)
"""`I do not have a good faith belief`, `I don't believe in good faith`: no statement."""
_PERJURY = re.compile(r"\bpenalty of perjury\b", re.I)
_ACCURATE = re.compile(r"\baccurate\b", re.I)
_OWNER_OR_AUTHORISED = re.compile(
    r"\b(?:(?:authori[sz]ed|entitled|permitted) to act|authority to act|(?:I|we) (?:own|hold) the (?:copy)?rights?)\b"
    r"|\b(?:I(?:, [^,]{1,60},)? am|I['’]m|we(?:, [^,]{1,60},)? are|we['’]re) (?:the|an?) (?:sole |legal |exclusive )?"
    r"(?:copyright[ -]|rights?[ -]?)?(?:owner|holder)s?\b",
    re.I,
)
"""Who makes the statement (vi): `authorized to act`, `I am the (copyright) owner`, `I own the copyright`."""
_ACCURATE_AND_COMPLETE = re.compile(r"\baccurate,? and complete\b", re.I)
_BONA_FIDE = re.compile(r"\bbona[ -]?fide\b|\bin good[ -]?faith\b|\bgood[ -]?faith belie", re.I)

_SIGNED_LINE = re.compile(
    r"^[ \t]*(?:(?:electronic|digital)[ \t]+)?(?:signature|signed(?:[ \t]+by)?)[ \t]*[:：][ \t]*(?P<name>[^\n]{2,80})$",
    re.I | re.M,
)
_SLASH_S = re.compile(r"(?<![\w/:.])/s/[ \t]*(?P<name>[^\n/]{2,80})", re.I)
_CLOSING = re.compile(
    r"(?:(?:yours )?(?:sincerely|truly|faithfully)|(?:best|kind|warm|warmest|with)? ?regards|best(?: wishes)?"
    r"|respectfully(?: submitted)?|cordially|thanks|thank you|many thanks)",
    re.I,
)
_NAME_PARTICLES = {"van", "von", "de", "der", "den", "da", "del", "della", "di", "du", "la", "le", "bin", "al"}
_NOT_A_PERSON = frozenset(
    "administrator ag agency and android art arts artwork artworks asap associates atelier best brand bv cheers "
    "co collective comics company compliance copyright corp corporation creative dear delete department design "
    "designs desk digital down enforcement entertainment factory films for foundation from gallery games global "
    "gmbh group harbor harbour hello hi holdings house illustration illustrations immediately inc international "
    "ipad iphone it kk labs legal light llc llp ltd management media mobile moon music my night now office "
    "official our outlook partners phone pictures pixel plc please press productions protection pty publishing "
    "records regards remove rights sa sent services shop sincerely sky star store studio studios sun support take "
    "team thank thanks that the this to work works you your".split()
)
"""Words of an imperative, a mail program's line or a company's name (`Sent From Mobile`, `Harbor Light`)."""
_PLACEHOLDER = frozenset(
    "above anon anonymous attached below enter full here insert legal n/a na name nil no none not null pending "
    "provided redacted same see sign signature tbd type unknown withheld xxx yes your".split()
)
"""Words of a form's placeholder or a refusal to sign (`(type your full name)`, `Not provided`, `Anonymous`)."""


def _person_name(text: str) -> bool:
    """Whether a line is a person's typed name: two to five capitalised words (particles allowed), no
    digits or punctuation beyond `.'’-`, not a team or company (`Legal Team`, `Brightmill Studio`)."""
    words = text.split()
    if not 2 <= len(words) <= 5 or len(text) > 60:
        return False
    for word in words:
        if word.lower().strip(".") in _NOT_A_PERSON:
            return False
        if word.lower() in _NAME_PARTICLES:
            continue
        if not (word[0].isupper() and all(c.isalpha() or c in ".'’-" for c in word)):
            return False
    return True


def signed_name(text: str, addresses: Iterable[str | None] = ()) -> str | None:
    """The writer's name as an English notice signs it (`/s/ Rachel Kim`, `Signature: Rachel Kim, Counsel`) or
    gives it (`My name is John Smith`, `Hello, I'm Lisa Park` opening the message, `I'm Lisa Park` or `This is Lisa
    Park` that a signature line repeats) in their own words; a signature that repeats an introduced name more fully
    (`I'm Lisa` signed `Lisa Park`) gives the fuller one; else the name signing the message after a closing
    (`Kind regards,` / `Maria Huber`) or above the writer's e-mail address, only when the sender's e-mail address
    (one of `addresses`, or the line under the name) spells part of it (`_signed_off`). None for a placeholder, a
    company, a quote."""
    own = own_words(text)
    found = (m.group("name") for pattern in (_SLASH_S, _SIGNED_LINE, _MY_NAME) for m in pattern.finditer(own))
    # The name ends where its sentence does (`My name is Tom Becker. Your post ...`); an initial (`J. Smith`) does not.
    sentences = (re.split(r"(?<=[^\W\d_]{2})\.\s", value, maxsplit=1)[0] for value in found)
    names = (re.split(r"[,(（–—]| - ", value.strip(), maxsplit=1)[0].strip().rstrip(".") for value in sentences)
    if named := next((name for name in names if _typed_name(name) and _person_name(name)), None):
        return named
    for intro in itertools.islice(_INTRODUCED.finditer(own), 10):
        if signed := _signed_in_full(intro.group("name"), own):
            return signed
        if intro.group("greeted") and intro.start() < _OPENING and _person_name(intro.group("name")):
            return intro.group("name")  # `Hello, I'm Lisa Park.` opening the message
    return _signed_off(own, addresses)


_MAIL_LINE = re.compile(r"(?:e-?mail[ \t]*[:：][ \t]*)?<?[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}>?", re.I)
"""A line that is only an e-mail address (`maria.huber@example.at`, `Email: <a@b.example>`)."""


def _signed_off(own: str, addresses: Iterable[str | None] = ()) -> str | None:
    """The name signing the writer's own words: on one of their last lines, after a closing (`Kind regards,` /
    `Maria Huber`, or `Thanks, Maria Huber` on one line) or alone above a line that is only an e-mail address.

    A line there is as often a title, a company or a pleasantry (`Head Of Licensing`, `Pinewood Animation`,
    `Have A Great Day`) as a name, and a wrong name in "Dear ..." is worse than "Hello," and asking for it, so
    a line counts only when all three hold:
    (a) it is two to four capitalised words of letters (a `'`, `’` or `-` inside a word allowed: `O'Brien`);
    (b) none of them is a function word (`of`, `the`, `at`, `by`, ...), nor a word of a role, an organisation,
        a courtesy or a mail program (`signer_names.is_signer`, `_person_name`);
    (c) one of its words of three letters or more, accents folded (`Jürgen` as `jurgen`), stands in the local
        part of the sender's e-mail address: one of `addresses` (the contact typed, the message's From) or the
        address on the line under the name (`Maria Huber` / `maria.huber@example.at`);
        or, for (c), a signer's title follows the name (`Sarah Cole, Rights Agent`, `Jane Roe, Esq.`, or `Sarah
        Cole` over `Rights Agent, Example Media LLC`: `signer_names.is_title`), as an agent signs for a company's
        address, or the name after a closing stands over their firm or company (`Kind regards,` / `Jane Roe` /
        `Roe & Partners LLP`: `mail_parts.is_company`), not over a line going on from it (`Example Media` /
        `Example Media LLC`).
    Otherwise no name: a capitalised line in the middle of a message, or one above a URL, is no signature either."""
    lines = [line.strip() for line in own[-TAIL:].split("\n") if line.strip()][-8:]
    given = local_parts(addresses)
    for index in range(len(lines) - 1, -1, -1):
        closing = re.match(rf"{_CLOSING.pattern}[ \t]*[,.!]+[ \t]+(?P<rest>.+)$", lines[index], re.I)
        name = (closing.group("rest") if closing else lines[index]).lstrip("—–-~ \t").rstrip(" ,")
        titled = with_title(name) or (name if index + 1 < len(lines) and is_title(lines[index + 1]) else None)
        name = titled or name
        if not (_person_name(name) and is_signer(name)):
            continue
        others = lines[:index] + lines[index + 1 :]
        after_closing = index > 0 and _CLOSING.fullmatch(lines[index - 1].rstrip(",.!: "))
        firm = bool(closing or after_closing) and index + 1 < len(lines) and is_company(lines[index + 1])
        if (titled or firm) and organisation_named(name, others, [*addresses, *others]):
            continue  # `Example Media, Brand Protection`, `Bluesky Moderation`: a desk signing, no person
        under = lines[index + 1] if index + 1 < len(lines) and _MAIL_LINE.fullmatch(lines[index + 1]) else None
        if titled or firm or ((closing or after_closing or under) and spelled_in(name, given | local_parts([under]))):
            return name
    return None


_MY_NAME = re.compile(r"\bmy name is (?P<name>(?-i:[A-Z])[\w.'’-]{1,30}(?: (?-i:[A-Z])[\w.'’-]{1,30}){1,3})", re.I)
_INTRODUCED = re.compile(
    r"(?:^|[.!?,;:][ \t]|\b(?P<greeted>hello|hi|hey|dear [^,\n]{1,40}),?[ \t])[ \t]*(?:I['’]m|I am|this is)[ \t]+"
    r"(?P<name>(?-i:[A-Z])[\w'’-]{1,30}(?:[ \t](?-i:[A-Z])[\w'’.-]{0,30}){0,3})"
    r"(?=[ \t]*(?:[,.!;:\n(（]|$)|[ \t]+(?:and|from|of|at|an?|the)\b)",
    re.I | re.M,
)
"""`Hello, I'm Lisa Park.`, `Hi, I am Lisa,`, `This is Lisa Park from ...`, `I'm Mika Tanaka (田中美香), an
illustrator`: a name introducing the writer, at a
sentence's start, in capitalised words; it counts when the signature repeats it (`_signed_in_full`) or a greeting
opening the message leads to it (`Hello, I'm Lisa Park.`), so that `I'm Very Upset.` names no one."""
_OPENING = 200
"""How far into the writer's words a greeting and the introduction after it open the message."""


def _signed_in_full(introduced: str, own: str) -> str | None:
    """An introduced name as the message's signature repeats it: one of its last lines (maybe after `Thanks,`)
    that is a person's name and is the introduced name or starts with it (`I'm Lisa` signed `Lisa Park`: the
    fuller one); None when no signature line repeats it."""
    lines = [line.strip() for line in own[-TAIL:].split("\n") if line.strip()][-6:]
    for line in reversed(lines):
        closing = re.match(rf"{_CLOSING.pattern}[ \t]*[,.!]+[ \t]+(?P<rest>.+)$", line, re.I)
        signed = (closing.group("rest") if closing else line).lstrip("—–-~ \t").rstrip(". ")
        if _person_name(signed) and (signed == introduced or signed.startswith(introduced + " ")):
            return signed
    return None


def _typed_name(value: str) -> bool:
    """Whether the value of a `Signature:` or `/s/` is a name, not a placeholder (`[Your Name]`, `N/A`)."""
    # The name is what comes before a title or an organisation (`Jordan Lee, Legal Counsel`, `Jordan Lee (Studio)`).
    value = re.split(r"[,(（–—]| - ", value.strip(), maxsplit=1)[0].strip()
    if not re.search(r"[^\W\d_]{2}", value) or re.search(r"[\[\]<>{}()（）「」]", value):
        return False
    words = re.findall(r"[^\W\d_]+(?:/[^\W\d_]+)?", value.casefold())
    return not all(word in _PLACEHOLDER for word in words) and not (
        words and words[0] in _PLACEHOLDER and len(words) <= 4 and {"your", "name", "type", "insert"} & set(words)
    )


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def _signed(text: str, sender_name: str | None) -> bool:
    """A DMCA signature: `/s/ Name`, a `Signature:`/`Signed:` line with a name, or a typed name closing
    the message: the sender's full name alone on one of its last lines (or after a dash ending one),
    or a person's name after `Sincerely,`/`Regards,`/... (on the next line or the same one). Only the
    writer's own words count (`quoting.own_words`): a quoted sign-off is someone else's; a placeholder
    (`Signature: (type your full name)`, `Signed: Anonymous`), an imperative (`Thanks. Please Remove
    It`), a mail program's line (`Sent From Mobile`) or a company (`Harbor Light`) is no signature."""
    own = own_words(text)
    if any(_typed_name(m.group("name")) for pattern in (_SIGNED_LINE, _SLASH_S) for m in pattern.finditer(own)):
        return True
    lines = [line.strip() for line in own[-TAIL:].split("\n")]
    lines = [line for line in lines if line][-12:]
    sender = " ".join((sender_name or "").split())
    full_sender = 2 <= len(sender.split()) <= 6 and len(sender) <= 80
    for index, line in enumerate(lines):
        closing = re.match(rf"{_CLOSING.pattern}[ \t]*[,.!]+[ \t]+(?P<rest>.+)$", line, re.I)
        name = closing.group("rest").strip() if closing else line.lstrip("—–-~ \t")
        if full_sender and _same_name(name, sender):
            return True
        if full_sender and re.search(rf"[\s,][—–-]{{1,2}}[ \t]*{re.escape(sender)}$", line, re.I):
            return True  # "... I am authorized to act — Jane Doe"
        after_closing = index > 0 and _CLOSING.fullmatch(lines[index - 1].rstrip(",.!: "))
        if (closing or after_closing) and _person_name(name):
            return True
    return False


_WORK_WORDS = (
    r"(?:work|artwork|art|illustration|image|picture|photo|photograph|drawing|painting|character|comic|design"
    r"|piece|print|song|video|book)(?:[ \t]{1,3}(?:series|collection))?"
    r"(?:,?[ \t]{1,3}(?:titled|entitled|called|named))?"
)
"""A word naming a work; `titled`, `called`, `named` only right after one (`my artwork titled ...`, not
`the account named ...` or `a message titled ...`)."""
_TITLE_EN = re.compile(
    rf"\b{_WORK_WORDS}(?:[ \t]{{0,3}}[:,][ \t\n]{{0,3}}|\s{{1,3}})"
    r"(?:\"(?P<a>[^\"\x00-\x1f]{1,100})\"|＂(?P<b>[^＂\x00-\x1f]{1,100})＂|“(?P<c>[^“”\x00-\x1f]{1,100})”"
    r"|‘(?P<d>[^‘’\x00-\x1f]{1,100})’|'(?P<e>(?-i:[A-Z0-9])[^'\x00-\x1f]{0,99})'"
    r"|«[ \u00a0]?(?P<f>[^«»\x00-\x1f]{1,100})»)",
    re.I,
)
"""A quoted title after a word naming a work (`the illustration “Night Market”`); in single quotes
only when it starts with a capital or digit (`the work's ... '` is an apostrophe, not a quote)."""
_TITLE_JA = re.compile(
    r"(?:イラスト(?:レーション)?|作品|作品名|著作物|漫画|マンガ|まんが|コミック|絵|絵画|原画|元絵|画像|写真|キャラクター"
    r"|タイトル|商品|製品|デザイン|楽曲|小説|書籍|動画|映像)(?:の|である)?[ \u3000]{0,2}"
    r"(?:「(?P<a>[^「」\x00-\x1f]{1,100})」|『(?P<b>[^『』\x00-\x1f]{1,100})』)"
)
_TITLE_JA_OWN = re.compile(
    r"(?:拙作|自作|(?:私|わたし|わたくし|弊社|当社)(?:が|の)(?:以前|過去に|先日|かつて|以前に)?[ \u3000]{0,2}"
    r"(?:投稿|公開|発表|制作|作成|描)(?:し|い)た)(?:の)?[ \u3000]{0,2}"
    r"(?:「(?P<a>[^「」\x00-\x1f]{1,100})」|『(?P<b>[^『』\x00-\x1f]{1,100})』)"
)
"""The writer's own work named without 作品 before its title: 拙作「X」, 私が以前投稿した「X」, 弊社が制作した『X』."""
_QUOTED_ALONE = re.compile(r"「(?P<a>(?!無断|著作権|削除)[^「」\x00-\x1f]{1,100})」|『(?P<b>[^『』\x00-\x1f]{1,100})』")
_POSSESSIVE_EN = re.compile(r"\b(?P<p>your|yours|my|our)\b(?:[ \t]+[\w'’-]{1,30}){0,2}[ \t]*$", re.I)
_POSSESSIVE_JA = re.compile(
    r"(?P<p>あなた|貴方|貴殿|御社|貴社|そちら|私|わたくし|わたし|弊社|当社)(?:様)?の[^\s。、「」]{0,6}$"
)
_THEIRS = ("your", "yours", "あなた", "貴方", "貴殿", "御社", "貴社", "そちら")
"""A work named as the recipient's (`your illustration "Night Market"`, `あなたのイラスト「夜市」`): the copy."""
_COPIES_EN = re.compile(
    r"(?i:[ \t]{0,3}(?:copies|copied|uses|used|traces|traced|imitates|imitated|plagiari[sz]e[sd]|reproduces|infringes"
    r"|steals|stole|(?:is|was) (?:a )?(?:copy|trace|tracing|rip-?off) of|(?:is|was) (?:copied|traced|taken) from)\b)"
)
_COPIES_JA = re.compile(r"(?:は|が)[^。\n]{0,30}?(?:トレース|模倣|盗用|盗作|パクリ|コピー|無断転載)")
"""A work said to copy another (`"Night Market" copies my character`, `「夜市」は私の作品のトレース`)."""
_URL = re.compile(r"https?://[^\s<>\"]{3,}", re.I)
_OWN_WORK_LINE = re.compile(
    r"\b(?:original|my (?:art)?work|our (?:art)?work|copyrighted work|portfolio|gallery)\b", re.I
)
_COPY_LINE = re.compile(r"infring|unauthori[sz]|stole|repost|copied|copies|cop(?:y|ies) of|your ", re.I)


def _title_in(found: re.Match[str] | None) -> str | None:
    if found is None:
        return None
    text, start, end = found.string, found.start(), found.end()
    before = text[max(0, start - 40) : start]
    owner = _POSSESSIVE_EN.search(before) or _POSSESSIVE_JA.search(before[-12:])
    if owner and owner.group("p").lower() in _THEIRS:
        return None
    if _COPIES_EN.match(text, end, end + 80) or _COPIES_JA.match(text, end, end + 40):
        return None
    title = next((g for g in found.groups() if g is not None), "").strip()
    if not re.search(r"\w", title) or title.lower().startswith(("http://", "https://", "www.")):
        return None
    return title


def work_title(text: str, subject: bool = False) -> str | None:
    """The title of the work the complainant says was copied, as they wrote it.

    Reads a quoted title right after a word naming a work (work, artwork, illustration, image, picture,
    photo(graph), drawing, painting, character, comic, design, piece, print ..., then maybe titled,
    entitled, called, named): `the illustration "Night Market"`, `artwork titled “Moth Study”`; and a
    Japanese 「…」 or 『…』 right after a noun naming a work (イラスト, 作品, 作品名, 著作物, 漫画, 絵, 原画,
    画像, 写真, キャラクター, タイトル, 商品, ...: `私のイラスト「向日葵の少女」`, `弊社の著作物である「X」`),
    or after 拙作 or the writer's own 投稿した/描いた (`私が以前投稿した「X」`), across a line a mail
    program wrapped (`quoting.unwrapped`); in a `subject`, also 「…」 alone (`【著作権侵害】
    「X」無断使用`: a subject names the work). The earliest wins. A title is one line of at most 100 characters
    holding a letter or digit, never a URL, in the writer's own words (`quoting.own_words`).

    Does not read: an unquoted title (`my drawing Night Market`), a title far from such a word, a file
    name, a title in a URL; the recipient's work (`your illustration "X"`, あなたの/貴殿の/御社の作品「X」),
    a work said to copy another (`"X" copies my character`, `「X」は私の作品のトレース`), a name or a
    subject (`the account named "X"`, `a message titled "X"`).
    """
    sample = unwrapped(own_words(text))
    patterns = (_TITLE_EN, _TITLE_JA, _TITLE_JA_OWN, *((_QUOTED_ALONE,) if subject else ()))
    found = [m for pattern in patterns for m in itertools.islice(pattern.finditer(sample), 20)]
    return next((title for m in sorted(found, key=lambda m: m.start()) if (title := _title_in(m))), None)


def _names_the_work(text: str) -> bool:
    """DMCA (ii): a quoted title of the work, or a URL on a line about the complainant's own work
    (`Original upload: https://...`, `my original work at https://...`), not a line about the copy."""
    if work_title(text) is not None:
        return True
    for line in own_words(text).split("\n")[:4000]:
        if _URL.search(line) and _OWN_WORK_LINE.search(line) and not _COPY_LINE.search(line):
            return True
    return False


def _states_good_faith(text: str) -> bool:
    """DMCA (i): the good-faith belief in one sentence of one paragraph, not negated."""
    paragraphs = re.split(r"\n[ \t]*\n", unicodedata.normalize("NFKC", own_words(text)))
    flat = "\n".join(" ".join(paragraph.split()) for paragraph in paragraphs)
    for found in itertools.islice(_DMCA_GOOD_FAITH.finditer(flat), 20):
        if not _NEGATED.search(flat, max(0, found.start() - 30), found.start()):
            return True
    return False


_EXPLANATION_LABEL = re.compile(
    r"^[ \t]*(?:explanation|reasons?|grounds?|substantiation|justification|legal[ \t]+(?:basis|grounds?)"
    r"|why[ \t]+(?:the[ \t]+|this[ \t]+)?(?:content|material|post|image)?[ \t]*is[ \t]+(?:illegal|unlawful|infringing))"
    r"(?:[ \t]+(?:of|for)[ \t]+[^:：\n]{1,40})?[ \t]*[:：][ \t]*(?P<rest>[^\n]{0,2000})$",
    re.I | re.M,
)
"""An `Explanation:`, `Reason:`, `Grounds:`, `Why the content is illegal:` section: the notifier's own explanation."""
_WORDY = re.compile(r"[^\W\d_]{2,}")
_SECTION_WORDS = 6
"""How many words a labelled explanation holds at least (`Reason: N/A`, `Explanation: see above` explain nothing)."""
_ILLEGAL = re.compile(
    r"\b(?:infring\w*|illegal(?:ly)?|unlawful(?:ly)?|violat\w*|in breach of|reproduc\w*|cop(?:y|ies|ied)"
    r"|plagiari[sz]\w*)\b",
    re.I,
)
_WHY = re.compile(
    r"\bcopyright\w*|\btrade[ -]?marks?\b|\bwithout (?:(?:my|our|the|any|a) )?(?:\w+['’]s? )?"
    r"(?:permission|consent|authori[sz]ation|licen[cs]e|credit)\b|\bDirective\b|\bArticle \d|§|\bdefamat\w*",
    re.I,
)
_HEDGED = re.compile(r"\b(?:not|never|whether|if|maybe|perhaps|might|unsure)\b|n['’]t\b", re.I)
"""`I am not sure whether it infringes`, `if it infringes`: a question, not an explanation."""
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|\n")


def _explains_illegality(text: str) -> bool:
    """DSA Art. 16(2)(a): the notice explains why the content is illegal, in a labelled section of its own
    (`Explanation: This post reproduces my photograph ...`, at least `_SECTION_WORDS` words) or in a sentence saying
    that the content infringes, copies or reproduces something and why (copyright, a trademark, a Directive or an
    Article, without permission or a licence), not hedged (`I am not sure whether it infringes`). Whether the
    explanation is *sufficiently substantiated* stays the owner's judgement: this reads that one is given."""
    own = unicodedata.normalize("NFKC", own_words(text))
    for found in itertools.islice(_EXPLANATION_LABEL.finditer(own), 20):
        rest = found.group("rest")
        following = own[found.end() : found.end() + 2000].split("\n\n", 1)[0]  # the section's paragraph
        if len(_WORDY.findall(f"{rest} {following}")) >= _SECTION_WORDS:
            return True
    paragraphs = re.split(r"\n[ \t]*\n", own)
    flat = "\n".join(" ".join(paragraph.split()) for paragraph in paragraphs)
    for sentence in itertools.islice(_SENTENCE_BREAK.split(flat), 2000):
        if len(sentence) > 600 or _HEDGED.search(sentence):
            continue
        if _ILLEGAL.search(sentence) and _WHY.search(sentence):
            return True
    return False


def notice_elements(text: str, basis: LegalBasis, sender_name: str | None) -> set[str]:
    """The keys of `REQUIRED_ELEMENTS[basis]` the text clearly states (its statutory wording).

    Only the writer's own words are read (`quoting.own_words`): not lines quoted with `>`, nothing below a
    reply's header (`On ..., X wrote:`), so the owner's own letter quoted in a reply states nothing.

    - DMCA: `good_faith`: "good faith belief" (or "believe in good faith") followed in the same
      sentence by "not authorized"/"unauthorised"/"without permission", not negated (the usual "... by the
      copyright owner, its agent, or the law" need not be spelled out); `accuracy`: "accurate", "penalty of
      perjury" and "authorized to act" or "I am the (copyright) owner" within one statement; `signature`: see `_signed`
      (`/s/ Name`, `Signature: Name`, the sender's full name or a person's name closing the message);
      `work`: a quoted title of the work (`work_title`) or a URL on a line about the complainant's
      original work.
    - DSA (Art. 16): `good_faith`: "accurate and complete" with "bona fide" or "in good faith" in the
      same statement; `substantiation`: an explanation of why the content is illegal is given
      (`_explains_illegality`: an `Explanation:` or `Reason:` section, or a sentence saying it infringes and
      why). Whether it is sufficient stays the owner's judgement; one not found is not said to be absent
      (`legal.JUDGED`).
    - Japan: `right` as `claims_a_right` reads it (著作権, 無断, ...).

    Does not read: `location`, `contact`, `exact_url`, `name_email` (the intake derives them from the
    URLs and contact found); a mention of "good faith" in another sense ("I bought it in good faith",
    "I do not have a good faith belief");
    statements in a language other than the basis's usual one (English for DMCA/DSA).
    """
    if basis is LegalBasis.JAPAN:
        return {"right"} if claims_a_right(text) else set()
    if basis not in (LegalBasis.DMCA, LegalBasis.DSA):
        return set()
    flat = flat_own_words(text)
    found: set[str] = set()
    if basis is LegalBasis.DSA:
        if _near(flat, _ACCURATE_AND_COMPLETE, _BONA_FIDE):
            found.add("good_faith")
        if _explains_illegality(text):
            found.add("substantiation")
        return found
    if _states_good_faith(text):
        found.add("good_faith")
    if _near(flat, _PERJURY, _ACCURATE, _OWNER_OR_AUTHORISED):
        found.add("accuracy")
    if _signed(text, sender_name):
        found.add("signature")
    if _names_the_work(text):
        found.add("work")
    return found


# ----------------------------------------------------------------------------- who the writer acts for

_NAME = (
    r"(?P<org>[A-Z0-9][\w&'’-]{0,40}"
    r"(?:[ \t]{1,2}(?:(?!(?:I|We)(?![\w&'’-]))[A-Z0-9&][\w&'’-]{0,40}|of|and|for|de)){0,7})"
)
"""Capitalised words, stopping at a lone `I`/`We` (`on behalf of Brightmill Studio I am writing`)."""
_PRONOUNS = {"i", "we", "me", "my", "our", "us", "myself", "ourselves", "your", "their", "his", "her", "them"}
_COUNSEL_FOR = re.compile(
    r"(?i:\b(?:counsel|attorneys?|lawyers?|solicitors?)[ \t]+(?:for|to|of|representing))\s{1,3}" + _NAME
)
_ACTS_FOR = re.compile(
    r"(?i:\bon[ \t]+behalf[ \t]+of(?:\s{1,3}(?:my|our)[ \t]+client,?)?|\b(?:we|I)[ \t]+represent"
    r"|\b(?:authori[sz]ed[ \t]+)?(?:agent|representative)[ \t]+(?:for|of)|\b(?:our|my)[ \t]+client,)\s{1,3}"
    r"(?i:the[ \t]+(?:artist|illustrator|creator|author|photographer|designer)[ \t]+)?" + _NAME
)
"""Acting for someone: an agent, or a lawyer when `_LAW_WORDS` say so (takedown services say "our client" too)."""
_LAW_FIRM = r"(?:LLP|(?i:law[ \t]+(?:firm|offices?|group))|(?i:attorneys?[ \t]+at[ \t]+law))"
_LAW_WORDS = re.compile(
    r"(?i:\b(?:I[ \t]+am|I'm|we[ \t]+are|we're)[ \t]+(?:an?[ \t]+|the[ \t]+)?"
    r"(?:attorney|lawyer|counsel|solicitor|law[ \t]+firm|law[ \t]+office)s?\b)"
    rf"|\b(?i:of|at|with)[ \t]+(?:(?:[A-Z][\w'’.-]{{0,40}}|&)[ \t,]{{1,3}}){{1,6}}{_LAW_FIRM}\b"
    rf"|^[ \t]*(?:(?:[A-Z][\w'’.-]{{0,40}}|&)[ \t,]{{1,3}}){{1,8}}(?:{_LAW_FIRM}|Esq\b\.?)[ \t]*$",
    re.M,
)
"""A writer saying they are a lawyer (`I am an attorney`, `of X LLP`, a line `Jane Roe, Esq.` or `X Law Office`),
not a threat (`I will forward this to my law firm`, `I will contact an attorney at law`)."""
_OWNER = re.compile(
    r"\b(?:I[ \t]+am|I'm|we[ \t]+are|as)[ \t]+(?:the[ \t]+)?(?:sole[ \t]+|original[ \t]+|legal[ \t]+)?"
    r"(?:copyright[ \t]+(?:owner|holder)|owner[ \t]+of[ \t]+(?:the[ \t]+)?copyrights?|rights?[ \t]*holder"
    r"|owner[ \t]+of[ \t]+(?:the|this|my)[ \t]+(?:illustration|artwork|work|image|drawing|painting|photograph|photo))"
    r"(?!'s|’s|[ \t]+(?:agent|representative)|,?\s+or\b)|\bI[ \t]+(?:own|hold)[ \t]+the[ \t]+copyright",
    re.I,
)
_JA_CHARS = r"[\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fffA-Za-z0-9&＆・\-]"
_JA_COMPANY = (
    rf"(?:(?:株式会社|有限会社|合同会社|合資会社|一般社団法人|一般財団法人|\(株\)|\(有\)){_JA_CHARS}{{1,30}}"
    rf"|{_JA_CHARS}{{1,30}}?(?:株式会社|有限会社|合同会社|\(株\)|\(有\)))"
)
_JA_AGENT_FOR = re.compile(rf"(?P<org>{_JA_COMPANY})(?:様|御中)?の(?:代理人|代理)(?P<lawyer>弁護士)?")
_JA_STAFF = re.compile(
    rf"(?P<org>{_JA_COMPANY})の[^。\n]{{1,20}}と申(?:します|し上げます)"
    rf"|(?P<org_department>{_JA_COMPANY}[ \u3000]*[^\s。、の]{{0,10}}?(?:部|課|室|チーム|グループ|担当))の"
    r"[^\s。、]{1,6}(?:[ \u3000][^\s。、]{1,6})?[ \u3000]*(?:です|でございます)(?=[。!！\n]|$)",
    re.M,
)
"""`株式会社…の高橋と申します`, or introduced by the department, plainly: `株式会社ムーンライト 法務部の田中です。`."""
_JA_DEPARTMENT = re.compile(
    r"(?:法務|知的財産|知財|総務|管理|営業|広報|権利|著作権|ライセンス|事業|企画|制作|編集)[\u4e00-\u9fff]{0,4}部$"
)
"""A department after a company's name (`株式会社ハーバーライト法務部`): not part of the name."""
_JA_FIRM = re.compile(
    rf"(?P<org>{_JA_CHARS}{{0,20}}?法律事務所)(?=[ \u3000]*(?:弁護士|所属|です|でございます|$)|の[^。\n]{{1,20}}と申)",
    re.M,
)
"""A law firm the writer introduces themselves or signs with (`山田法律事務所 弁護士 山田太郎`),
not one they threaten to consult (`法律事務所に相談します`)."""


def _whole_firm(text: str, found: re.Match[str]) -> str:
    """The firm's name with the kana it holds when its line is a signature's (`さくら総合法律事務所`,
    `丸の内総合法律事務所`, `さくら法律事務所 弁護士 田中`), not `総合法律事務所` nor `内総合法律事務所`; within a
    sentence kana are the words before it (`私は`)."""
    start, end = text.rfind("\n", 0, found.start("org")) + 1, found.end("org")
    signed = _SIGNED_FIRM.fullmatch(text[start : (text.find("\n", end) + 1 or len(text) + 1) - 1].strip(" \u3000"))
    return signed.group("org") if signed else found.group("org")


_SIGNED_FIRM = re.compile(rf"(?P<org>{_JA_CHARS[:-1]}\u3041-\u309f]+法律事務所)(?:[ \u3000]*弁護士.*)?")
# `代理人弁護士`, `弁護士の…と申します`, 当職 (a lawyer's 'I' in a notice), a signature line `弁護士 田中 一郎`:
_JA_LAWYER = re.compile(
    "代理人弁護士|弁護士(?:です|でございます)|弁護士の[^。\n]{1,12}と申(?:します|し上げます)|当職"
    "|^[ \u3000]*弁護士[ \u3000]*[\u4e00-\u9fff]",
    re.M,
)
_JA_AGENT = re.compile("の代理人(?:として|を務め|です|でございます|の)|代理人の")
_JA_OWNER = re.compile(
    "著作権者(?:本人)?(?:です|でございます|であり|であります)|(?:私|わたし|わたくし|弊社|当社)が著作権(?:者|を(?:有|保有))"
    "|(?:作者|制作者|権利者)本人"
)


def _names_someone(found: re.Match[str]) -> bool:
    """Whether a pattern found a name (not a pronoun, `on behalf of my client`, nor a letter or two)."""
    name = found.group("org")
    return name.split()[0].lower() not in _PRONOUNS and len(re.findall(r"[^\W\d_]", name)) >= 2


def organisation_and_role(text: str) -> tuple[str | None, str | None]:
    """(organisation, role) as the writer states them; role is one of `rights holder`, `agent`, `lawyer`.

    The organisation is the writer's own, never a client they act for (a reply addresses the writer):
    - `on behalf of Brightmill Studio`, `we represent X`, `agent for X`, `our client, X` -> (None, "agent"),
      or "lawyer" when the writer is one (`counsel for X`, `attorney for X`, "I am an attorney",
      "we are a law firm", `of X LLP`, a line `Smith & Reyes LLP`, `Jane Roe, Esq.`, `X Law Office`);
    - `I am the copyright owner`, `I own the copyright`, `I am the owner of the illustration ...`
      -> (None, "rights holder"), read before any lawyer's words elsewhere;
    - Japanese: `株式会社…の代理人` -> (None, "agent"; "lawyer" with 代理人弁護士), `…法律事務所`
      the writer belongs to (`桜坂法律事務所の山田と申します`, a line `桜坂法律事務所` above
      `弁護士 …`) -> (the firm, "lawyer"), `株式会社…の高橋と申します` -> (株式会社…, None),
      著作権者です -> (None, "rights holder").
    Acting for someone takes a name after "on behalf of" etc.: capitalised words (or a Japanese company
    form) ending at a lowercase word or a lone `I`/`We` (`on behalf of the copyright owner` is none).

    Does not read: an organisation named any other way (a signature block `Name` / `Org`, `from X`,
    `I work for X`), a client's name, a threat to hire a lawyer (`I will forward this to my law firm`),
    the words of a message quoted in a reply (`quoting.own_words`).
    """
    sample = unicodedata.normalize("NFKC", own_words(text))
    firm = _JA_FIRM.search(sample)
    lawyer = bool(_LAW_WORDS.search(sample) or _JA_LAWYER.search(sample) or firm)
    own_firm = _whole_firm(sample, firm) if firm else None
    own_firm = None if own_firm == "法律事務所" else own_firm  # the word alone: a lawyer, their firm's name not read
    for pattern, role in ((_COUNSEL_FOR, LAWYER), (_ACTS_FOR, LAWYER if lawyer else AGENT)):
        if any(_names_someone(found) for found in itertools.islice(pattern.finditer(sample), 20)):
            return own_firm, role
    if found_ja := _JA_AGENT_FOR.search(sample):
        return own_firm, LAWYER if found_ja.group("lawyer") or lawyer else AGENT
    if own_firm:
        return own_firm, LAWYER
    staff = _JA_STAFF.search(sample)
    staff_org = _JA_DEPARTMENT.sub("", staff.group("org") or staff.group("org_department")).strip() if staff else None
    if _OWNER.search(sample) or _JA_OWNER.search(sample):
        return staff_org, RIGHTS_HOLDER
    if lawyer:
        return None, LAWYER
    if _JA_AGENT.search(sample):
        return None, AGENT
    return staff_org, None
