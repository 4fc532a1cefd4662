"""The words of the reply letters: `data/replies/<language>/phrases.toml`, and the sentences chosen from the record.

`Words` looks a phrase up and settles its `{one|many}` choices for the number of posts. What each
sentence of a letter says follows from the complaint and its posts: whom it greets and how it opens
(a person is thanked, a lawyer's or a company's notice acknowledged, a late answer apologises after),
how a take-down closes (今後とも only for a person who wrote politely), which models and LoRAs are
listed and what their introduction promises (the kinds listed, hashes only when shown), and what an
ask_info letter asks for (the posts' URLs only while none is known, where the complainant's work is).
`replies` fills the templates with them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta, timezone
from pathlib import Path
from typing import Any

from tracker.complaints.legal import REQUIRED_ELEMENTS
from tracker.complaints.letters.letter_facts import LetterPersona, LetterPost, platforms_spoken_of
from tracker.complaints.reading.mail_parts import is_company
from tracker.complaints.reading.scripts import KANA_KANJI
from tracker.complaints.views import StoredComplaint, StoredDecision
from tracker.db.enums import DecisionAction, LegalBasis, PostStatus
from tracker.errors import UsageError
from tracker.metadata.info import CHECKPOINT, HYPERNETWORK, LORA
from tracker.support.paths import shipped_data_dir
from tracker.support.settings import Settings
from tracker.support.tomlfile import read_toml

CREDITED = (CHECKPOINT, LORA, "lycoris", "locon", HYPERNETWORK, "embedding")
"""Resources a complainant may want to take up with their creator, in the order they are listed."""


def reference_file(settings: Settings, relative: str) -> Path:
    """The user's copy in `<data folder>/replies/` wins over the shipped one."""
    return settings.reference_file(f"replies/{relative}")


def phrases(settings: Settings, language: str) -> dict[str, Any]:
    """The words of one language's templates (`phrases.toml`).

    The user's copy wins key by key over the shipped file, so a copy made before a phrase was added
    still works (the new phrase comes from the shipped file).
    """
    relative = f"{language}/phrases.toml"
    shipped_path = shipped_data_dir() / "replies" / relative
    own = reference_file(settings, relative)
    shipped = read_toml(shipped_path, "the reply phrases") if shipped_path.is_file() else {}
    if own == shipped_path:
        return shipped
    return merged(shipped, read_toml(own, "the reply phrases"))


def merged(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """`base` with `over`'s values in place of its own, key by key (a table's keys merged the same way)."""
    out = dict(base)
    for key, value in over.items():
        out[key] = merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


_NUMBER = re.compile(r"\{([^{}|]*)\|([^{}|]*)\}")
"""`{one|many}` in a template or phrase: the first when the letter is about one post, else the second."""


def agree(text: str, count: int) -> str:
    """Every `{one|many}` choice in `text` resolved for `count` posts ("{it|them}", "{post|posts}")."""
    return _NUMBER.sub(lambda m: m.group(1) if count == 1 else m.group(2), text)


class Words:
    """Looks up phrases, turning a missing key into a one-line error naming the file.

    `count` is how many posts the letter is about: it settles each phrase's `{one|many}` choices.
    """

    def __init__(self, table: dict[str, Any], language: str, count: int = 1) -> None:
        self.table, self.language, self.count = table, language, count

    def __call__(self, *keys: str, **values: object) -> str:
        node: Any = self.table
        for key in keys:
            if not isinstance(node, dict) or key not in node:
                raise UsageError(f"replies/{self.language}/phrases.toml has no {'.'.join(keys)!r}")
            node = node[key]
        if not isinstance(node, str):
            raise UsageError(f"replies/{self.language}/phrases.toml: {'.'.join(keys)!r} is not text")
        node = agree(node, self.count)
        return node.format(**values) if values else node


def letter_date(words: Words, value: Any, offset_minutes: int | None = None) -> str:
    """A day as the letter writes it, in the owner's local time or, given, the sender's UTC offset."""
    local = value.astimezone(None if offset_minutes is None else timezone(timedelta(minutes=offset_minutes)))
    months = words.table.get("months") or []
    month_name = months[local.month - 1] if len(months) == 12 else str(local.month)
    return words("date", day=local.day, month=local.month, month_name=month_name, year=local.year)


SHOWN_HASH = 10
"""A full SHA-256 is shown as its first 10 hex digits (its AutoV2 short form, what the other resources show)."""


def _shown_hash(value: str) -> str:
    """A hash as a letter lists it: a full SHA-256 (64 hex digits) shortened to AutoV2, any other as recorded."""
    return value[:SHOWN_HASH] if len(value) == 64 else value


@dataclass(frozen=True)
class _Listed:
    """One credited resource of a post as a letter lists it."""

    key: tuple[str, str | None, str | None]
    kind: str
    line: str
    creator: str | None
    hashed: bool
    """Whether the line shows a hash (after the name, or as the name of an unnamed resource)."""


def _resource_lines(words: Words, post: LetterPost) -> list[_Listed]:
    """Each credited resource of a post: its listed line, the creator line (or None), whether a hash is shown."""
    uses = [resource for resource in post.resources if resource.kind in CREDITED]
    uses.sort(key=lambda resource: CREDITED.index(resource.kind))
    found = []
    for r in uses:
        kind = words("kinds", r.kind)
        shown = _shown_hash(r.hash) if r.hash else None
        name = r.known_name or shown or "?"
        listed = f"{kind} {name}" + (words("model_hash", hash=shown) if shown and r.name else "")
        creator = None
        if r.creator:
            creator = words("creator_line", kind=kind, name=name, creator=r.creator)
            if r.source_url:
                creator += words("creator_at", url=r.source_url)
        found.append(_Listed((r.kind, r.name, r.hash), r.kind, listed, creator, shown is not None))
    return found


def _kinds_named(words: Words, listed: list[_Listed]) -> str:
    """The kinds the list holds, as its introduction names them: "model", "model and LoRAs", "モデルおよびLoRA"."""
    found: dict[str, tuple[str, set[tuple[str, str | None, str | None]]]] = {}
    for item in listed:
        shown = words("kinds", item.kind)
        found.setdefault(shown, (item.kind, set()))[1].add(item.key)
    many = words.table.get("kinds_many") or {}
    names = [str(many.get(kind, shown)) if len(keys) > 1 else shown for shown, (kind, keys) in found.items()]
    if len(names) == 1:
        return names[0]
    return words("kinds_comma").join(names[:-1]) + words("kinds_and") + names[-1]


def models_below(words: Words, posts: list[LetterPost]) -> str:
    """What a reason says of the list under it (en " with the model and LoRAs listed below", ja
    「下記のモデルを用いて」), the kinds as the list holds them; "" when it lists none or no phrase says it."""
    every = list({item.key: item for post in posts for item in _resource_lines(words, post)}.values())
    if not every or not isinstance(words.table.get("models_below"), str):
        return ""
    return words("models_below", kinds=_kinds_named(words, every))


def models_and_creators(words: Words, posts: list[LetterPost], intro: str = "models_intro") -> tuple[str, str]:
    """(the models and LoRAs with their hashes, the creator hand-off) for the posts; each may be empty.
    The hand-off's `{one|many}` choices count the models and LoRAs listed, not the posts ("If you believe this
    was trained on your work" under a list of one).

    One post: one list. Several (a partial take-down's kept posts too: the complainant checks those against
    their work): a list under each post's URL, so that no reader takes the models of different images for one
    image's. The introduction names only the kinds listed ("model", "model and
    LoRA"), and says that hashes identify the files only when the list shows one (every one, or some).
    """
    words = Words(words.table, words.language, len(posts))  # the heading speaks of the posts listed
    listed: list[str] = []
    creators: list[str] = []
    seen: set[tuple[str, str | None, str | None]] = set()
    per_post = [(post, _resource_lines(words, post)) for post in posts]
    every = list({item.key: item for _, lines in per_post for item in lines}.values())
    if not every:
        return "", ""
    for post, lines in per_post:
        if len(posts) > 1:
            listed.append(words("bullet") + post.url)
            if not lines:
                listed.append(words("model_indent") + words("no_models"))
        for item in lines:
            if len(posts) > 1:
                listed.append(words("model_indent") + item.line)
            elif item.key not in seen:
                listed.append(words("bullet") + item.line)
            if item.creator and item.key not in seen:
                creators.append(words("bullet") + item.creator)
            seen.add(item.key)
    hashed = [item for item in every if item.hashed]
    hashes = ""
    if hashed:
        counted = Words(words.table, words.language, len(hashed))
        hashes = counted("models_hashes" if len(hashed) == len(every) else "models_hashes_some")
    if len(posts) > 1 and any(not lines for _, lines in per_post):
        intro = "models_listed"  # not "the images were each made with": one has no model recorded
    if intro not in words.table:
        intro = "models_intro"  # an owner's phrases from before `models_listed`
    heading = words(intro, kinds=_kinds_named(words, every), hashes=hashes)
    # "one of these" / 「これらのいずれか」 speaks of the models listed: one listed is "this" / 「こちら」
    listed_count = Words(words.table, words.language, len(every))
    handoff = "\n".join([listed_count("creators_intro"), *creators]) if creators else ""
    return "\n".join([heading, *listed]), handoff


def absent_elements(complaint: StoredComplaint) -> list[str]:
    """The elements of its basis the notice lacks, in the basis's order, but for those the record holds all of
    (`_recorded`: a name and an e-mail address given in a signature, or added later): a letter never asks for them."""
    completeness = complaint.completeness or {}
    return [
        key
        for key, _ in REQUIRED_ELEMENTS.get(complaint.legal_basis, ())
        if completeness.get(key) is False and not _recorded(complaint, key)
    ]


def _named(complaint: StoredComplaint) -> bool:
    """Whether the record names the writer: a person, or an organisation writing as itself (株式会社ムーンライト)."""
    return bool((complaint.complainant_name or complaint.complainant_org or "").strip())


def _reachable(complaint: StoredComplaint, key: str) -> bool:
    """Whether the record holds the contact an element asks for: an e-mail address for the DSA's, any other's."""
    contact = (complaint.complainant_contact or "").strip()
    return "@" in contact if key == "name_email" else bool(contact)


def _recorded(complaint: StoredComplaint, key: str) -> bool:
    """Whether the record holds everything an element about the writer asks for: the DSA's name and e-mail
    (`name_email`), a contact (`contact`, which a contact given fills as at intake)."""
    if key == "name_email":
        return _named(complaint) and _reachable(complaint, key)
    return key == "contact" and _reachable(complaint, key)


def element(words: Words, complaint: StoredComplaint, key: str) -> str:
    """How a letter names a missing element of the complaint's basis.

    A writer is never asked for what the record holds: with their name, `<key>_named` (ja 「ご連絡先（…）」
    for the Japanese request's 「お名前とご連絡先」, en "your e-mail address" for the DSA's name and
    e-mail); with their e-mail address, `<key>_reachable` (en "your own name" for the DSA's name and e-mail);
    each when the phrases have it.
    """
    basis = complaint.legal_basis.value
    table = words.table.get("elements", {}).get(basis, {})
    if _named(complaint) and isinstance(table.get(f"{key}_named"), str):
        return words("elements", basis, f"{key}_named")
    if _reachable(complaint, key) and isinstance(table.get(f"{key}_reachable"), str):
        return words("elements", basis, f"{key}_reachable")
    return words("elements", basis, key)


def missing_elements(words: Words, complaint: StoredComplaint) -> list[str]:
    """The invalid letter's list: each element of the basis the notice lacks."""
    return [words("bullet") + element(words, complaint, key) for key in absent_elements(complaint)]


POST_LOCATION = ("location", "exact_url")
"""The elements that identify the posts (DMCA and Japan: `location`, DSA: `exact_url`)."""


def asked_for(words: Words, complaint: StoredComplaint, posts: list[LetterPost]) -> list[str]:
    """What an ask_info letter asks for: what the notice lacks and the letter cannot say itself.

    The posts' URLs only while no post is known (once the owner has linked one, the letter names it
    instead); where the complainant's own work is and when it was published, when no URL of it is
    recorded (it takes the place of a DMCA notice's missing identification of the work).
    """
    asked: list[str] = []
    for key in absent_elements(complaint):
        if key in POST_LOCATION and posts:
            continue
        if key == "work" and not complaint.claimed_urls:
            continue  # asked for below, as where the work is
        asked.append(element(words, complaint, key))
    if not posts and not any(key in POST_LOCATION for key in absent_elements(complaint)):
        asked.insert(0, words("ask_post_url"))
    if not complaint.claimed_urls:
        asked.append(words("ask_work_location"))
    return [words("bullet") + line for line in dict.fromkeys(asked)]


_COMPANY_MARKS = {"株": "株式会社", "有": "有限会社", "同": "合同会社"}
_COMPANY_MARK = re.compile(r"[(（]\s*([株有同])\s*[)）]|([㈱㈲])")


def formal_org(org: str) -> str:
    """An organisation as a letter addresses it: `(株)`, `（株）`, `㈱` written out as 株式会社 (有限会社, 合同会社),
    as a business letter writes a company's name, whatever a signature abbreviated."""

    def written_out(found: re.Match[str]) -> str:
        mark = found.group(1) or {"㈱": "株", "㈲": "有"}[found.group(2)]
        return _COMPANY_MARKS[mark]

    return _COMPANY_MARK.sub(written_out, org)


_DEPARTMENT = re.compile(
    r"(?:法務|知財|知的財産|総務|広報|管理|権利管理|権利|著作権|営業|編集|ライセンス|事業|企画|開発|制作|コンテンツ)"
    r"(?:部|課|室|グループ|チーム|センター)$|(?:窓口|事務局|ご担当)$|\b(?:department|dept\.?|team|desk)$",
    re.I,
)
"""A sender that is a department, not a person (`法務部`, `Legal Department`): 御中 / Sir or Madam. Named by what
it does, so that a surname ending in 部 (阿部, 長谷部) is never taken for one."""


_LAWYER = re.compile(r"\b(?:lawyer|attorney|counsel|solicitor|barrister|avocat|rechtsanwalt)|弁護士", re.I)
"""A role (`complainant_role`) that makes the writer a lawyer: 弁護士 … 先生."""


_HONORIFIC = re.compile(r"[ \u3000]*(?:(?P<always>様|さま|殿|御中)|(?P<long>さん|氏|先生))$")
"""An honorific the owner typed with the name (`--name 佐藤美咲様`, `--org 株式会社ムーンライト 御中`): the letter adds
its own. さん, 氏 and 先生 only after two characters or more, so that 源氏 stays a name."""


def without_honorific(name: str | None) -> str | None:
    """A name or an organisation without the honorific written after it (佐藤美咲様 -> 佐藤美咲), else as recorded."""
    if not name or not name.strip():
        return name
    bare = name.strip()
    found = _HONORIFIC.search(bare)
    if found is None:
        return bare
    rest = bare[: found.start()].strip(" \u3000")
    return rest if len(rest) >= (1 if found.group("always") else 2) else bare


def salutation(words: Words, complaint: StoredComplaint) -> str:
    """Whom the letter greets: a person by name (a lawyer as 先生 in Japanese; in English "Dear" and the name, in
    Japanese script too, without a 様 or 先生 that would be a second honorific), a department as 御中 / Sir or
    Madam, else the organisation (ご担当者様 / Sir or Madam); no one named, a formal notice's sender is ご担当者様, a
    person's message (no legal basis) 「ご連絡をいただいた方へ」 (`salutation_unnamed_person`). A name that is a
    company's alone (`株式会社ムーンライト`, `Brightmill Studio Ltd.`, as signed or typed with `--name`) is the
    organisation, no person. A department the
    organisation ends with stands before the person, the company on its own line: 「株式会社ルミナスアーツ\n法務部
    高橋 様」."""
    name, org = without_honorific(complaint.complainant_name), without_honorific(complaint.complainant_org)
    if name and is_company(name):
        name, org = None, org or name
    org = formal_org(org) if org else org
    if name and _DEPARTMENT.search(name.strip()):
        return words("salutation_department", department=name.strip(), org=_department_of(org, name)).strip()
    lawyer = bool(_LAWYER.search(complaint.complainant_role or ""))
    titled = (name or "").strip()
    if titled != "弁護士" and (titled.endswith("弁護士") or titled.startswith("弁護士")):  # `田中弁護士`, `弁護士 田中`
        name, lawyer = titled.removesuffix("弁護士").removeprefix("弁護士").strip(" \u3000"), True
    if name and lawyer and words.language == "en" and KANA_KANJI.search(name):
        if isinstance(words.table.get("salutation_japanese_lawyer"), str):
            return words("salutation_japanese_lawyer", name=name)
    elif name and lawyer:
        return words("salutation_lawyer", name=name, org=org or "").strip()
    if name and words.language == "en" and KANA_KANJI.search(name):
        return words("salutation_japanese_name", name=name)
    if name and org and org != name:
        company, department = _company_and_department(org)
        if department and "{org}" in str(words.table.get("salutation_org", "")):  # the company on a line of its own
            return words("salutation_org", name=f"{department} {name}", org=company)
        return words("salutation_org", name=name, org=org)
    if name:
        return words("salutation", name=name)
    if org:
        return words("salutation_org_unnamed", org=org)
    if complaint.legal_basis not in _LEGAL_NOTICE and isinstance(words.table.get("salutation_unnamed_person"), str):
        return words("salutation_unnamed_person")  # a person who gave no name (a pixiv message): no ご担当者様
    return words("salutation_unnamed")


def _company_and_department(org: str) -> tuple[str, str | None]:
    """(company, department) of an organisation whose name ends with a department (`株式会社ルミナスアーツ 法務部`,
    `株式会社アークライト 権利管理室`); (org, None) for any other."""
    head, _, last = org.strip().rpartition(" ")
    if head and _DEPARTMENT.search(last) and not _DEPARTMENT.search(head.split()[-1]):
        return head.strip(), last
    return org, None


def _department_of(org: str | None, department: str) -> str:
    """The organisation a department belongs to, without the department its name may end with ("" for none)."""
    return (org or "").removesuffix(department.strip()).strip()


def complainant(words: Words, complaint: StoredComplaint) -> str:
    """The sender as a counter-notice names them to the platform: a person (ja 「山田 花子氏」), a department with
    its organisation (「株式会社サクラ・クリエイティブ法務部」, never 「法務部氏」), an organisation with no person
    named by its name alone (「株式会社ムーンライト」, never 「株式会社ムーンライト氏」), else "the complainant"."""
    name, org = without_honorific(complaint.complainant_name) or "", without_honorific(complaint.complainant_org)
    if name and _DEPARTMENT.search(name) and isinstance(words.table.get("complainant_department"), str):
        org = _department_of(formal_org(org) if org else None, name)
        return words("complainant_department", department=name, org=org).strip() if org else name
    if name and is_company(name) or not name and org:
        return formal_org(name or org or "")
    return words("complainant", name=name) if name else words("complainant_unnamed")


_QUOTES = {"「": "」", "『": "』", '"': '"', "\u201c": "\u201d", "'": "'", "\u2018": "\u2019", "\uff02": "\uff02"}
"""Quotes a title may be recorded in (`--work-title 「月夜」`, `"Low Tide"`): opening mark -> its closing mark."""


def work_title(words: Words, title: str) -> str:
    """Their work's title as the letter quotes it (`work`): a title recorded already in quotes, 「霧の果樹園」 or
    "Mist Orchard", is quoted once (「霧の果樹園」, not 「「霧の果樹園」」); two titles, 「月」と「星」, stay whole."""
    bare = title.strip()
    closing = _QUOTES.get(bare[:1])
    if closing and len(bare) > 2 and bare.endswith(closing) and closing not in bare[1:-1] and bare[0] not in bare[1:-1]:
        bare = bare[1:-1].strip()
    return words("work", title=bare)


def platform_name(words: Words, key: str | None) -> str:
    """A platform as the letter names it (`x` is "X"; one typed in by the owner stays as typed)."""
    if not key:
        return words("platform_unnamed")
    return str((words.table.get("platform_names") or {}).get(key, key))


def introduction(
    words: Words,
    posts: list[LetterPost],
    persona: LetterPersona | None,
    reported_on: str | None = None,
    message: str | None = None,
) -> str:
    """The self-introduction ("I post on pixiv as Moth Atelier"): the persona's name and where the posts are.
    With no post known, the platform the complaint came through or is about when the persona posts there, else
    those of its platforms the `message` names; else no platform (`introduction_unplaced`): a stranger is never
    told the other places the persona posts (the owner may keep those accounts apart on purpose)."""
    name = (persona.display_name or persona.name) if persona is not None else None
    if persona is None or not name:
        return ""
    where = [post.platform for post in posts]
    if not where:
        where = [reported_on] if reported_on in persona.platforms else platforms_spoken_of(message, persona.platforms)
    if not where:
        return words("introduction_unplaced", name=name) if "introduction_unplaced" in words.table else ""
    names = words.table.get("platform_names") or {}
    joined = series(list(dict.fromkeys(str(names.get(platform, platform)) for platform in where)), words("and"))
    return words("introduction", name=name, platforms=joined)


def series(items: list[str], conjunction: str) -> str:
    """Items as a sentence lists them: "pixiv, X and Bluesky" where the conjunction is a word (" and "), every
    item joined by it where it is a mark ("pixiv・X・Bluesky")."""
    if len(items) < 3 or not conjunction.strip().isalpha():
        return conjunction.join(items)
    return ", ".join(items[:-1]) + conjunction + items[-1]


_LEGAL_NOTICE = (LegalBasis.DMCA, LegalBasis.DSA, LegalBasis.JAPAN)
"""The bases that make a message a notice (a lawyer's 通知書, a company's ご通知), not a mere message."""


def called_a_notice(complaint: StoredComplaint, writer: str | None) -> bool:
    """Whether the letter calls their message a notice (ja 通知書, 貴社のご通知: `opening`, `subject`), so that its
    body calls it so too (`[for_<writer>_notice]` of the phrases), never a 通知書 received and then ご連絡."""
    return writer is not None and complaint.legal_basis in _LEGAL_NOTICE


def claims_a_work(complaint: StoredComplaint) -> bool:
    """Does the complaint speak of a work of the sender's? Not a report under a platform's rules that names none
    (no title, address or description of one): its letter names no work, no copyright and no models' training."""
    if complaint.legal_basis is not LegalBasis.PLATFORM_RULES:
        return True
    return bool(complaint.claimed_title or complaint.claimed_urls or complaint.claimed_description)


def opening(words: Words, complaint: StoredComplaint, kind: str, writer: str | None, late: bool, **values: str) -> str:
    """The letter's first sentence, then (when late) the apology for the delay.

    A person is thanked for their message. A lawyer's or an agent's notice, or a company's, is
    acknowledged (ja: 「…付の通知書を拝受いたしました。」): a language whose phrases have no such sentence
    (English) thanks everyone. The invalid letter does not name the work. No day `received` (a forward of theirs
    that shows no date): the sentence names none (its `_undated` phrase).
    """
    first = "thanks_plain" if kind == "invalid" or not claims_a_work(complaint) else "thanks"
    if writer is not None:
        notice = complaint.legal_basis in _LEGAL_NOTICE
        formal = ("received_company_notice" if writer == "company" else "received_notice") if notice else None
        formal = formal or "received_message"
        first = formal if formal in words.table else first
    if not values.get("received") and f"{first}_undated" in words.table:
        first += "_undated"
    opening = words(first, **values)
    return opening + words("sentence_gap") + words("late_apology") if late else opening


def subject(words: Words, complaint: StoredComplaint, kind: str, writer: str | None, **values: str) -> str:
    """The reply's subject line (`[subject]` of the phrases, by letter kind, else its `default`), or "" for a
    language whose phrases have none (one the owner added); with no day `received`, its `_undated` line.

    Japanese names the message as the opening does: a lawyer's or an agent's notice is a 通知書, a
    company's 貴社ご通知, a person's ご連絡 (`[subject_notice]`, `[subject_notice_undated]` with no day).
    """
    table = words.table.get("subject")
    if not isinstance(table, dict):
        return ""
    key = kind if kind in table else "default"
    undated = not values.get("received") and f"{key}_undated" in table
    key += "_undated" if undated else ""
    notices = words.table.get("subject_notice_undated" if undated else "subject_notice")
    notice = ""
    if isinstance(notices, dict):
        formal = complaint.legal_basis in _LEGAL_NOTICE and writer is not None
        notice = str((notices.get(writer) if formal else None) or notices.get("person") or "")
    return words("subject", key, notice=notice, **values) if key in table else ""


_POLITE = re.compile(r"(?:ます|です|ございます|ください|でしょうか)(?=[。、！!？?」』）)\s]|$)", re.M)


_THREAT = re.compile("法的措置|訴え|訴訟|提訴|損害賠償|晒|通報|警察|弁護士|開示請求")


def ongoing(complaint: StoredComplaint, writer: str | None) -> bool:
    """Whether a closing that looks to an ongoing relationship (今後とも…) fits.

    Only for a person writing for themselves, politely (です・ます), with no threat and no DMCA or DSA
    notice. A lawyer, a company, a formal notice or a hostile message gets the plain closing
    (何卒よろしくお願い申し上げます。), which suits any reader; so does a complaint with no message recorded.
    """
    if writer is not None or complaint.legal_basis in (LegalBasis.DMCA, LegalBasis.DSA):
        return False
    message = complaint.message or ""
    return bool(_POLITE.search(message)) and not _THREAT.search(message)


_SCREENSHOT = re.compile(r"スクショ|スクリーンショット|キャプチャ|screen\s*shot|screen\s*capture|screen\s*grab", re.I)


def about_posts(words: Words, complaint: StoredComplaint, posts: list[LetterPost]) -> str:
    """An ask_info letter's sentence on which posts it takes the message to be about, with their URLs.

    Empty when no post is known (the letter asks for the URLs instead). Posts the complaint did not
    name but the owner found from the image it came with: "from the screenshot (image) you attached".
    """
    if not posts:
        return ""
    named = set(complaint.post_ids)
    key = "about_posts"
    if complaint.images and not any(post.id in named for post in posts):
        key = "about_posts_screenshot" if _SCREENSHOT.search(complaint.message or "") else "about_posts_image"
    return "\n".join([words(key), *(words("bullet") + post.url for post in posts)])


def kept_posts(
    decision: StoredDecision, complaint: StoredComplaint, posts: list[LetterPost], known: dict[int, LetterPost]
) -> list[LetterPost]:
    """For a take-down of only some of the named posts (`posts`): the named posts that stay up (`known`: the
    posts read for the letter, by number)."""
    if decision.action is not DecisionAction.TAKE_DOWN:
        return []
    removed = {post.id for post in posts}
    # Only what is still up: a named post taken down through another complaint no longer "stays up".
    named = (known[number] for number in complaint.post_ids if number not in removed and number in known)
    return [post for post in named if post.status is PostStatus.LIVE]


def kept_up(words: Words, kept: list[LetterPost], note: str = "") -> str:
    """The paragraph naming the posts that stay up (`kept_posts`) and why; empty when none does. The owner's `note`
    (most likely why they stay up) opens the why, in a paragraph of its own under the list."""
    if not kept:
        return ""
    some = Words(words.table, words.language, len(kept))
    listed = [some("kept_up"), *(some("bullet") + post.url for post in kept)]
    if note:
        return "\n".join(listed) + "\n\n" + note + "\n" + some("kept_up_why")
    return "\n".join([*listed, some("kept_up_why")])


def request_sentences(
    words: Words, kind: str, basis: LegalBasis, missing: list[str], asked: list[str], named: bool = True
) -> tuple[str, str]:
    """(what an ask_info letter asks for, the invalid letter's sentence on what is missing).

    A letter with nothing to list gets a sentence of its own, never an introduction followed by an
    empty list. With no post `named`, that sentence says it could not tell which post is meant
    (`invalid_unclear_unnamed`, `[invalid_basis_unnamed]`), never "how the posts infringe".
    """
    request = words("ask_missing") if asked else words("ask_details")
    if missing or (kind == "invalid" and not REQUIRED_ELEMENTS.get(basis)):
        unnamed = words.table.get("invalid_basis_unnamed") or {}
        if not named and not missing and isinstance(unnamed.get(basis.value), str):
            return request, words("invalid_basis_unnamed", basis.value)
        return request, words("invalid_basis", basis.value)
    if not named and isinstance(words.table.get("invalid_unclear_unnamed"), str):
        return request, words("invalid_unclear_unnamed")
    return request, words("invalid_unclear")
