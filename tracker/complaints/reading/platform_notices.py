"""A platform's own notice: the platform telling the owner of someone else's complaint.

Bluesky's Trust & Safety, pixiv事務局 or X's copyright team write "We have received a copyright complaint regarding
your content ... The complainant, Northwind Media LLC, states ..." (「権利者の方から著作権侵害の申し立てを受け…」):
the platform only passes the complaint on. Its complainant is the one it names (`The complainant, X, states`,
`on behalf of X`, 「申立人：X」, or X on the line under a heading 「■申立人」), or nobody when it names none: the
platform's team is never taken for one. Intake records the platform as the complaint's platform
(`complainant_fields`); the letters are addressed to its team (`platform_letter`), and say the post has been removed
when the notice says the platform removed it.

A notice is the platform's only when its team signs it or introduces itself as the notice opens (「pixiv事務局です。」
above a complaint it forwards, whose own last lines are the complainant's), or when its words are unmistakably a
platform's: it received a complaint about the owner's content and speaks of what it did or of its own service ("We
have removed the content", "on our service", 「お客様が投稿された作品」). A lawyer or an agent who writes "We have
received a copyright complaint regarding your content ... on behalf of our client" is the complainant's side, never
a platform (`_AGENT_VOICE`).

A platform's support desk may instead forward the complainant's own mail ("We are forwarding the complaint below",
「以下の申し立てを転送いたします」, from support@bsky.app): a notice too when the message came from the platform
(`came_from`: the platform its sender's address or name is, as intake records it in the complaint's platform), its
complainant the forwarded message's sender (`forwarded_notice`). A person's own forward (a friend, a lawyer, from
an address of no platform) stays theirs; and once the owner records the forwarded sender's own address as the
contact (`answered_at`), the letter is theirs: the owner writes to them directly.

Read from the message's own words alone (and the platform the complaint records), so that intake and every letter
drafted later agree.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from tracker.complaints.reading.forward_blocks import forward_block
from tracker.complaints.reading.mail_parts import is_company
from tracker.db.enums import LegalBasis

_BRANDS = {
    "bluesky": r"bluesky",
    "x": r"x(?:\s+corp\.?)?|twitter(?:,?\s+inc\.?)?",
    "pixiv": r"pixiv|ピクシブ",
    "misskey": r"misskey",
    "civitai": r"civitai",
    "deviantart": r"deviantart",
    "tumblr": r"tumblr",
    "fanbox": r"(?:pixiv\s*)?fanbox",
    "booth": r"(?:pixiv\s*)?booth",
}
"""Each known platform's key (as in `platforms.toml`) and how its team signs its name."""
_BRAND = "|".join(f"(?P<{key}>{spelled})" for key, spelled in _BRANDS.items())
_TEAM_LINE = re.compile(
    rf"(?:the\s+)?(?:{_BRAND})\s*(?:"
    r"(?:trust\s*(?:&|and)\s*safety|support|safety|copyright|legal|moderation|help\s*desk)(?:\s+(?:team|department|desk))?"
    r"|team|corp\.|事務局|サポート(?:チーム|窓口|事務局)?|運営(?:事務局|チーム)?|カスタマーサポート)",
    re.I,
)
"""A signature line that is a platform's team (`Bluesky Trust & Safety`, `The Bluesky Team`, `X Corp.`,
`pixiv事務局`, `pixivFANBOX事務局`, `BOOTH事務局`)."""
_TEAM_LINES = 4
"""How many of the message's last lines are read for the team that signs it."""
_TEAM_WORDS = re.sub(r"\(\?P<\w+>", "(?:", _TEAM_LINE.pattern)  # its brands unnamed: twice in one pattern
_INTRODUCED = re.compile(
    rf"(?:こちらは\s*)?(?P<team>{_TEAM_WORDS})\s*(?:です|でございます)(?:[。、!！]|$)"
    rf"|(?:(?:hello|hi|dear\s+[^,\n]{{1,40}})[,!]?\s+)?(?:this\s+is|we\s+are|we're)\s+"
    rf"(?P<team_en>{_TEAM_WORDS})(?:[.,!:;]|\s*$)",
    re.I,
)
"""A team introducing itself as its message opens (「pixiv事務局です。」, "This is the Bluesky Trust & Safety team."):
a known platform's team by `_TEAM_LINE`'s words, at the start of a line."""
_OPENING_LINES = 3
"""How many of the message's first lines are read for it (a salutation, 「moth 様」, may come first)."""

_PASSES_ON = re.compile(
    r"\bwe(?:\s+have|'ve)\s+received\s+an?\s+(?:[\w-]+\s+){0,3}(?:complaint|notice|notification|report|claim|request)"
    r"[^.\n]{0,80}?\b(?:regarding|about|concerning|against|for|related to)\s+"
    r"(?:(?:[\w-]+\s+){1,3}?(?:to|on|in|by|from)\s+)?(?:your|the following)\b"
    r"|権利者(?:様|の方|を名乗る方)(?:から|より)[^。\n]{0,40}申し?立て"
    r"|著作権侵害(?:の|に関する)(?:申し?立て|通報|通知)(?:を受け|がありました|が寄せられ|をいただ)",
    re.I,
)
"""The platform saying it received a complaint about the owner's content (X's "regarding material posted to your
account"; its own words, not the complainant's: 「権利者の方から」, never 「著作権者である私から」)."""
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
"""A platform speaking of what it did with the owner's content (removed it, passes the complaint on) or of its own
service (`our Terms`, 「当サービス」, 「お客様が投稿された作品」): with `_PASSES_ON`, unmistakably a platform's
notice."""
_AGENT_VOICE = re.compile(
    r"\b(?:our|my)\s+clients?(?:'s?)?\b|\bwe\s+(?:represent|act\s+(?:for|on\s+behalf\s+of))\b"
    r"|\b(?:we\s+are|I\s+am)\s+(?:the\s+)?(?:(?:authori[sz]ed\s+)?agents?|attorneys?|counsel|solicitors?|lawyers?)\b"
    r"|\b(?:instructed|retained)\s+by\b"
    r"|当職|通知人|当事務所|代理人として|ご?依頼者|(?:ご依頼|委任)を受け|受任",
    re.I,
)
"""A lawyer or an agent writing for the rights holder ("on behalf of our client", "We represent", 「当職」,
「代理人として」): however much their wording sounds like a platform's, their message is the complaint itself."""
_FOR_A_CLIENT = re.compile(
    r"\b(?:our|my|their|its|his|her)\s+clients?(?:'s?)?\b|\bon\s+behalf\s+of\s+(?:a|the)\s+client\b"
    r"|\b(?:we|they|he|she)\s+(?:represents?|acts?\s+(?:for|on\s+behalf\s+of))\b|\bacting\s+(?:for|on\s+behalf\s+of)\b"
    r"|\b(?:instructed|retained)\s+by\b"
    r"|代理人として|代理人を務め|の代理人(?:です|である|であり)|(?<!削除)ご?依頼(?:者|人)|(?:ご依頼|委任)を受け|受任",
    re.I,
)
"""The complainant a notice names acting for someone else (`PlatformNotice.for_client`): not a platform's own words
that the notice may come from "the rights holder or their agent" (no bare 代理人 nor "on behalf of"), nor advice
to consult a lawyer (弁護士). A law firm named as the complainant is one too (`replies`)."""


_BY_AN_AGENT = re.compile(
    r"\b(?:an?|the|their|its)\s+(?:(?:duly\s+)?authori[sz]ed\s+|designated\s+|legal\s+)?(?:agent|representative)\s+"
    r"(?:of|for)\s+(?:the\s+|a\s+)?(?:(?:rights?|copyright)[ -]?(?:owner|holder)|owner)s?\b"
    r"|\b(?:submitted|filed|sent|lodged|made)\s+by\s+(?:an?|the|their)\s+"
    r"(?:(?:duly\s+)?authori[sz]ed\s+|designated\s+|legal\s+)?(?:agent|representative)\b"
    r"|(?:権利者|著作権者|権利保有者)(?:様|の方)?の(?:正式な|正規の)?代理人(?:の方)?(?:より|から|による|が|を名乗る方)",
    re.I,
)
"""A notice saying only that an agent filed the complaint, naming no rights holder ("submitted by an authorized
agent of the rights owner", 「権利者の代理人より」): the complainant it names is that agent (`_acts_for_a_client`)."""
_DENIED_BEFORE = re.compile(r"(?:\bnot|\bnor|\bnever|n't|\bor|または|もしくは|又は|若しくは|あるいは|や)\s*$", re.I)
_DENIED_AFTER = re.compile(r"^\s*(?:では|でも|じゃ)")
"""Words around `_BY_AN_AGENT` that deny it or offer it as one of two: "I am not an agent of the rights owner",
"by the rights owner or an authorized agent of the rights owner" (a platform's own rules), 「権利者または権利者の
代理人から」, 「権利者の代理人からではなく」."""


def _acts_for_a_client(text: str) -> bool:
    text = text[: 64 * 2**10]
    if _FOR_A_CLIENT.search(text):
        return True
    return any(
        not _DENIED_BEFORE.search(text, max(0, found.start() - 12), found.start())
        and not _DENIED_AFTER.match(text[found.end() : found.end() + 8])
        for found in _BY_AN_AGENT.finditer(text)
    )


_COMPLAINT_WORD = re.compile(r"complaint|notice|notification|claim|DMCA|申し?立て|通報|権利侵害", re.I)

_CAPITAL = "[A-Z\u3040-\u30ff\u3400-\u9fff]"
"""The first letter of a name in an English notice: a capital, or Japanese script (`on behalf of 山田 花子`)."""

_COMPLAINANT_JA = r"申立人|申し立て人|申し?立て?者|権利者"
_MARKS = r"[■□◆◇●○▼▽▶►★☆◎※#＃*＊・-]{1,3}"
"""The marks a heading of a notice's form opens with (「■申立人」, 「◆権利者」)."""


def _under_heading(label: str) -> str:
    """A pattern for a heading line that is the label alone (「■申立人」, 「【申立人】」, 「［権利者］」, 「申立人：」,
    `Complainant:`) and the first line under it that is not empty, as `name`: its value when it is itself labelled as
    a name (「氏名：山田 花子」, `Name: Lena Park`). The name line is no heading, label or URL of its own
    (`_NOT_A_NAME`, read by `_named`)."""
    opening, closing = r"(?:【|\[|［|〔|〈|<|＜)", r"(?:】|\]|］|〕|〉|>|＞)"
    labelled = rf"(?:{label})(?:名|のお名前|の名称|情報)?"
    heading = (
        rf"^[ \t\u3000]*(?:{_MARKS}[ \t\u3000]*)?(?:{opening}[ \t\u3000]*{labelled}[ \t\u3000]*{closing}"
        rf"|{labelled}(?:'s\s+name|\s+name)?)[ \t\u3000]*(?:[：:][ \t\u3000]*)?\n"
    )
    return (
        rf"{heading}(?:[ \t\u3000]*\n){{0,3}}[ \t\u3000]*(?:(?:氏名|お名前|名前|名称|name)[ \t]*[：:][ \t\u3000]*)?"
        r"(?P<name>\S[^\n]*)$"
    )


_NOT_A_NAME = re.compile(rf"^(?:{_MARKS}|[【\[［〔〈<＜]|https?://|www\.)|^[^：:\n]{{1,20}}[：:]|^.{{81,}}$")
"""A line under a heading that names nobody: the next heading (「■申立内容」, 「【対象作品】」), a labelled line
(「受付番号：…」), a URL, or a sentence too long for a name."""


_NAMED = (
    re.compile(r"\bthe\s+(?:complainant|claimant|reporting party),\s+(?P<name>[^,\n]{2,80}?),\s", re.I),
    re.compile(
        rf"\bon\s+behalf\s+of\s+(?P<name>{_CAPITAL}[^,.;:\n]{{1,80}}?)(?=\s*[,.;\n]|\s+(?:states|claims|who|alleg))"
    ),
    re.compile(
        r"^\s*(?:complainant|claimant|rights\s*holder|copyright\s*owner|reported\s+by|reporter)(?:'s)?\s*(?:name)?\s*:"
        r"\s*(?P<name>.+)$",
        re.I | re.M,
    ),
    re.compile(rf"^[ \t]*(?:{_COMPLAINANT_JA})(?:名|のお名前|の名称)?[ \t]*[：:][ \t]*(?P<name>\S[^\n]*)$", re.M),
    re.compile(
        _under_heading(rf"complainant|claimant|rights\s*holder|copyright\s*owner|{_COMPLAINANT_JA}"), re.I | re.M
    ),
)
"""How a platform's notice names the complainant (`Complainant: …`, X's `Reported by: …`, 「申立人：…」), on the
label's line or on the first line under a heading (「■申立人」, 「【申立人】」, 「■権利者」 or 「申立人：」 alone, the
name on the next line that is not empty); a notice that names none is logged with nobody named."""

_AGENT = (
    re.compile(
        rf"\b(?:submitted|filed|sent|made|lodged)\s+by\s+(?P<name>{_CAPITAL}[^,;:\n]{{1,80}}?)\s+on\s+behalf\s+of\s+{_CAPITAL}"
    ),
    re.compile(
        r"^\s*(?:(?:complainant's\s+)?agent|代理人)(?:名|のお名前|の名称)?\s*[：:]\s*(?P<name>.+)$", re.I | re.M
    ),
    re.compile(_under_heading(r"(?:complainant's\s+)?agent|代理人"), re.I | re.M),
)
"""How a platform's notice names the agent who filed the complaint for the rights holder ("submitted by Brightmill
Studio Ltd. on behalf of Lena Park", 「代理人：青葉法律事務所」)."""

_REMOVED = re.compile(
    r"\bwe(?:\s+have|'ve)\s+(?:removed|disabled(?:\s+access\s+to)?|taken\s+down|withheld)\b"
    r"|\b(?:has|have)\s+been\s+(?:removed|disabled|taken\s+down|withheld)\b"
    r"|削除(?:いたしました|しました|させていただきました|済み)|非公開(?:と|に)(?:いたしました|しました|させていただきました)"
    r"|公開を停止(?:いたしました|しました)|アクセスを無効に(?:いたしました|しました)|無効化(?:いたしました|しました)",
    re.I,
)
"""The platform saying it has removed the content already (X's 「当該メディアへのアクセスを無効にしました」 too)."""
_COUNTER = re.compile(r"counter[- ]?notice|counter[- ]?notification|\bDMCA\b|異議申し?立て", re.I)
"""The platform offering its counter-notification process (a dispute then answers it with one)."""


@dataclass(frozen=True)
class PlatformNotice:
    """What a platform's notice says of itself and of the complaint it passes on."""

    team: str | None
    """The team as it signs (`Bluesky Trust & Safety`, `pixiv事務局`); None when no line of it is a team's."""
    platform: str | None
    """The platform's key (`bluesky`, `x`, `pixiv`), when its team or its words name it."""
    complainant: str | None
    """Whom it names as the complainant, as written; None when it names nobody."""
    removed: bool
    """It says the platform has removed the content."""
    counter: bool
    """It offers a counter-notification (a DMCA process)."""
    agent: str | None = None
    """Who filed the complaint on the complainant's behalf, as the notice names them; None when it names nobody."""
    for_client: bool = False
    """The complainant it names says they act for a client ("acting on behalf of their client",
    「依頼者の代理人として」), or the notice says an agent filed it ("submitted by an authorized agent of the rights
    owner", 「権利者の代理人より」), and it names no one else as the rights holder: the work is the client's."""


def platform_notice(
    text: str | None, came_from: str | None = None, answered_at: str | None = None
) -> PlatformNotice | None:
    """The platform's notice `text` is, or None for a complainant's own message: one signed by a platform's team
    (or opening with its introduction: `_INTRODUCED`) that speaks of a complaint or a notice, or one whose own words
    say the platform received a complaint about the owner's content (`_PASSES_ON`) and speak as a platform does
    (`_PLATFORM_VOICE`), not as the complainant's lawyer or agent (`_AGENT_VOICE`); or, from a platform
    (`came_from`: its key), one forwarding a complaint (`forwarded_notice`; `answered_at`: the contact the letter
    goes to)."""
    if not text:
        return None
    if came_from and (forwarded := forwarded_notice(text, came_from, answered_at)) is not None:
        return forwarded
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    team = next((found for line in lines[-_TEAM_LINES:] if (found := _TEAM_LINE.fullmatch(line))), None)
    team = team or _introduced(lines[:_OPENING_LINES])
    signed = team is not None and bool(_COMPLAINT_WORD.search(text))
    if not signed and not (_PASSES_ON.search(text) and _PLATFORM_VOICE.search(text) and not _AGENT_VOICE.search(text)):
        return None
    named, agent = _named(text, _NAMED), _named(text, _AGENT)
    platform = _brand(team) or _brand(next((m for line in lines[-_TEAM_LINES:] if (m := _BRAND_IN.search(line))), None))
    return PlatformNotice(
        team=" ".join(team.group(0).split()) if team else None,
        platform=platform,
        complainant=named.strip("「」\"'“” ") or None if named else None,
        removed=bool(_REMOVED.search(text)),
        counter=bool(_COUNTER.search(text)),
        agent=agent.strip("「」\"'“” ") or None if agent else None,
        for_client=agent is None and _acts_for_a_client(text),
    )


_FORWARDS_ON = re.compile(
    r"\bforward(?:ing|ed)?\b[^.\n]{0,60}?\b(?:complaint|notice|notification|report|claim|request|message)s?\b"
    r"|\b(?:complaint|notice|notification|report|claim|request|message)s?\b[^.\n]{0,60}?\bforward(?:ing|ed)\b"
    r"|\b(?:following|below)\s+(?:[\w-]+\s+){0,2}(?:complaint|notice|notification|report|claim)"
    r"|\b(?:complaint|notice|notification|report|claim)\s+below\b"
    r"|(?:以下|下記)の[^。\n]{0,20}?(?:申し?立て|通報|ご?連絡|削除依頼|申告|通知)[^。\n]{0,30}?(?:転送|お送り|お知らせ|共有)"
    r"|転送(?:いたします|いたしました|させていただきます|させていただきました|します|しました)",
    re.I,
)
"""The words above a forwarded message saying a complaint is passed on ("We are forwarding the complaint below",
「以下の申し立てを転送いたします」)."""


def forwarded_notice(text: str, came_from: str, answered_at: str | None = None) -> PlatformNotice | None:
    """A platform's support desk (`came_from`: the platform the message came from) forwarding a complaint: its own
    words above a forwarded message say it passes a complaint on (`_FORWARDS_ON`), not as an agent (`_AGENT_VOICE`).
    The complainant is the forwarded message's sender; None when there is no such forward, or when the letter goes
    to that sender's own address (`answered_at`: the owner recorded them as the complainant to write to)."""
    block = forward_block(text)
    if block is None or not _FORWARDS_ON.search(block.note) or _AGENT_VOICE.search(block.note):
        return None
    if block.sender_address and block.sender_address.casefold() in (answered_at or "").casefold():
        return None
    return PlatformNotice(
        team=None,
        platform=came_from,
        complainant=(block.sender_name or "").strip("「」\"'“” ") or None,
        removed=bool(_REMOVED.search(block.note)),
        counter=bool(_COUNTER.search(block.note)),
        for_client=_acts_for_a_client(block.text),
    )


_COPYRIGHT_REPORT = re.compile(
    r"\bcopyright[ -](?:complaint|report|notice|notification|claim|infringement|takedown)"
    r"|\binfring\w*\s+(?:on\s+|upon\s+)?(?:their|his|her|its|the\s+complainant's|someone's)\s+copyright",
    re.I,
)
DMCA_PLATFORMS = frozenset({"x", "bluesky"})
"""The platforms whose copyright reports are DMCA notices (US companies; their copyright policies are the DMCA's
notice and counter-notice), whether or not the notice names the law: X's says "DMCA notice", Bluesky's only "a
copyright report"."""


def copyright_basis(notice: PlatformNotice, text: str) -> LegalBasis | None:
    """The law a platform's notice of a copyright report (`a copyright complaint`, `copyright report`) is under when it
    names none: the DMCA for a platform of `DMCA_PLATFORMS`, as X's own notice names it, so that Bluesky's is logged
    as X's is (not "none given"); None for any other platform or report (pixiv's 著作権侵害の申し立て names its law's
    words, and a 削除依頼 it passes on is Japan's: `intake`)."""
    found = notice.platform in DMCA_PLATFORMS and _COPYRIGHT_REPORT.search(text, 0, 256 * 2**10)
    return LegalBasis.DMCA if found else None


def sender_team(name: str | None) -> str | None:
    """The known platform whose team a sender's name is (`Bluesky Support`, `pixiv事務局`), or None."""
    found = _TEAM_LINE.fullmatch((name or "").strip())
    return _brand(found) if found else None


def _introduced(lines: list[str]) -> re.Match[str] | None:
    """The team a message's opening lines introduce (`_INTRODUCED`), as `_TEAM_LINE` reads it."""
    for line in lines:
        if found := _INTRODUCED.match(line):
            return _TEAM_LINE.fullmatch(found.group("team") or found.group("team_en"))
    return None


_ABBREVIATED_FORM = re.compile(r"\b(?:Ltd|Inc|Corp|Co|L\.L\.C|S\.A)$")


def _named(text: str, rules: tuple[re.Pattern[str], ...]) -> str | None:
    """The first name one of `rules` finds in `text` that is a name (`_NOT_A_NAME`: under a heading, the next line
    may be the next heading), as the notice writes it (`_whole`)."""
    for rule in rules:
        for found in itertools.islice(rule.finditer(text), 5):
            if not _NOT_A_NAME.search(found.group("name").strip()):
                return _whole(text, found)
    return None


def _whole(text: str, found: re.Match[str]) -> str:
    """The name as the notice writes it, the full stop of a company's form kept (`Brightmill Studio Ltd.`)."""
    name = found.group("name").strip()
    if _ABBREVIATED_FORM.search(name) and text[found.end("name") : found.end("name") + 1] == ".":
        name += "."
    return name


_BRAND_IN = re.compile(rf"(?<![\w.@/])(?:{_BRAND})(?![\w.@/])", re.I)


def _brand(found: re.Match[str] | None) -> str | None:
    if found is None:
        return None
    return next((key for key in _BRANDS if found.group(key)), None)


def complainant_fields(notice: PlatformNotice) -> tuple[str | None, str | None]:
    """(complainant_name, complainant_org) as a platform's notice gives them: a company it names is the
    organisation (`Northwind Media LLC`), anyone else the name; nobody when it names none."""
    named = notice.complainant
    if not named:
        return None, None
    return (None, named) if is_company(named) else (named, None)


def summary_holder(text: str | None, platform: str | None, contact: str | None) -> str | None:
    """Who holds the whole notice when the complaint's message is a platform passing it on (`platform_notice`):
    its team as it signs, else "the platform"; None for a complainant's own notice. A platform's message sums a
    notice up (X's names the reporter and the work, not their signature or sworn statements): what it does not
    show is not missing from the notice, which the platform received whole and accepted."""
    notice = platform_notice(text, platform, contact)
    if notice is None:
        return None
    return notice.team or "the platform"
