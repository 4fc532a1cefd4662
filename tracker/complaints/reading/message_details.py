"""What a complaint's own words say that no labelled line does: who wrote it, by when they want an
answer, and whether it names the right it claims.

A Japanese message rarely has a `名前:` line: the writer introduces themselves ("イラストレーターの
佐藤美咲と申します") and signs at the end; it asks for action by a day ("12月4日までに", or "明日中に"
counted from the day it arrived); it names the right by citing the law or an unauthorised use
(著作権法, 無断で). These are suggestions for the owner to check, shown when the complaint is logged
and correctable with `tracker complaint set`.
Plain text in, plain data out: the standard library only, no escaping (the callers do that).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from tracker.complaints.reading.deadline_words import (
    END_OF_DAY,
    JAPANESE_DAYS,
    MAX_DAYS,
    YEAR_TURN,
    at,
    business_days_after,
    day_of,
    day_of_month,
    days_ahead,
)
from tracker.complaints.reading.mail_parts import is_company
from tracker.complaints.reading.message_dates import with_digits
from tracker.complaints.reading.quoting import own_words
from tracker.complaints.reading.scripts import KANA_KANJI, SAMPLE
from tracker.support.dates import EARLIEST, LATEST

_NAME_CHARS = r"[^\s。、，,．.「」『』（）()【】:：!！?？\d]"
_INTRODUCTION = re.compile(
    rf"(?P<name>{_NAME_CHARS}{{1,12}}(?:[ \u3000]{_NAME_CHARS}{{1,12}})?)[ \u3000]*と申(?:します|し上げます)"
)
_BEFORE_NAME = re.compile(
    r"^.*[の、,]|^(?:私|わたし|わたくし|僕|自分)(?:は|、)?|^\S*?(?:様|さま|御中)[ \u3000]+"
    r"|^.*(?:おります|おりました|ています|ている|しており|います|ございます|です|でして|であり|として)"
)
"""The words before a name in its sentence: `イラストレーターの`, `私は`, `わたくし、` (not a は
inside the name: `小林はるか`), the greeting on the same line (`moth様　山田と申します`), the phrase saying
what the writer does (`イラストレーターとして活動しております`, `…を運営しております`, `…の者です`)."""
_PHRASE = re.compile("おります|ており|(?:い|し|ござい)ます|です|として|して|ている|いたし|させて")
"""Words of a sentence, never of a name: what holds them is a phrase the window cut (`…しております高橋`)."""
_TITLE_WORDS = (
    "代表取締役社長|代表取締役|取締役|代表社員|代表理事|代表者|代表|社長|部長|課長|係長|室長|所長|局長|主任"
    "|担当者|担当|弁護士|弁理士|司法書士|行政書士|代理人|編集長|編集者"
)
_DEPARTMENT = "(?:法務|知的財産|知財|総務|広報|権利|著作権|ライセンス|ライツ)"
"""What a department's name starts with (`法務部`, `知財担当`, `ライツ管理室`)."""
_LEADING_TITLE = re.compile(
    r"^(?:"
    r"\S*(?:事務所|株式会社|有限会社|合同会社|法人|協会)[ \u3000]+"  # 桜坂法律事務所 山田太郎
    r"|(?:株式会社|有限会社|合同会社)\S*[ \u3000]+"  # 株式会社ハーバーライト 佐藤健
    rf"|\S{{0,8}}?{_DEPARTMENT}\S{{0,4}}?"
    rf"(?:部長|課長|室長|部|課|室|チーム|グループ|担当)(?:[ \u3000]+|(?={_TITLE_WORDS}))"  # 法務部 鈴木一郎
    r"|[^\s、,（(]{3,12}?(?:部|課|室)[ \u3000]+|[^\s、,（(]{1,12}?(?:チーム|グループ|センター)[ \u3000]+"  # 保護チーム
    rf"|(?:{_TITLE_WORDS})[ \u3000]*"  # 弁護士山田太郎, 代表取締役 佐藤健
    r"|\S{1,8}代理人[ \u3000]*"  # 通知人代理人 弁護士 中村健一
    r")"
)
"""What may stand before a name in an introduction or a signature and is not the name: an office or company
followed by a space, a department (`法務部`, `知財担当`, `ブランド保護チーム`, `知的財産部` before a space: three
characters before 部, so that 阿部 stays a name), a title (`弁護士`, `代表取締役`)."""

_TRAILING_TITLE = re.compile(
    r"(?:[ \u3000]*[,、，/／|｜][ \u3000]*|[ \u3000]*[（(]|[ \u3000]+)"
    r"(?:[^\s,、（(]{3,12}?(?:部|課|室)|[^\s,、（(]{1,12}?(?:チーム|グループ|担当|センター)"
    rf"|\S{{0,8}}?(?:{_TITLE_WORDS}))[)）]?$"
)
"""A department or title written after the name signing (`田中一郎 知的財産部`, `田中 一郎（知的財産部）`, `Ken Sato,
知的財産部`, `高橋誠／ブランド保護チーム`): no part of the name. Three characters before 部, so that a surname ending
in 部 (阿部, 長谷部) stays."""
_NOT_A_SIGNATURE = re.compile(
    r"[@/。！？!?、:：\d]|様$|殿$|さん$|御中$|ます|です|ません|ください|願い|以上|よろしく|宜しく|^[-=_*~ー―─ ]+$"
)
_SKIPPED_AT_END = re.compile(
    r"^(?:以上|草々|匆々|早々|敬具|敬白|謹白|不一|不尽|かしこ|[-=_*~ー―─ ]+|\S+@\S+|https?://\S+"
    r"|(?:tel|fax|電話|ファックス|mail|e-mail)\b.*|〒.*|(?:令和|平成)?\d{1,4}年\d{1,2}月\d{1,2}日)$",
    re.I,
)
"""Lines at the end of a letter that are not its signature: closings (`以上`, `草々`, `敬具`), contacts,
an address (`〒…`), the date. Matched on the line made NFKC (`ＴＥＬ：`, full-width digits)."""
_LABELLED_NAME = re.compile(r"^(?:担当者?|氏名|名前|差出人)\s*[:：]\s*(?P<name>[^:：@\d]{2,30})$")
"""A signature line naming the writer after a label: `担当：高橋　誠`."""
_ADDRESSEE = re.compile(r"(?:様|殿|御中|さま)$")
_LETTER_TITLE = re.compile(r"(?:ご|御)?(?:通知|催告|警告|請求|勧告|督促|回答)(?:書|状)?|内容証明(?:郵便)?")
"""A letter's title on a line of its own (`通　知　書`, `催告書`, `警告状`): never the name of the one who signs it."""
_BODY_STARTS = re.compile(r"冠省|前略|拝啓|謹啓|急啓|[。]")
"""Where a letter's body begins, below the sender block that follows its addressee."""


def without_titles(name: str) -> str:
    """A name without the office, department and titles written before it: `弁護士山田太郎` is 山田太郎
    (a reply addresses `山田太郎 様`, not `弁護士山田太郎 様`). Never all of it: `代表` alone stays."""
    rest = name.strip(" \u3000")
    for _ in range(4):
        found = _LEADING_TITLE.match(rest)
        after = rest[found.end() :].strip(" \u3000") if found else ""
        if not found or not (KANA_KANJI.search(after) or re.search("[A-Za-z]", after)):
            break
        rest = after
    return rest


_DEPARTMENT_INTRODUCTION = re.compile(
    rf"{_DEPARTMENT}\S{{0,4}}?(?:部|課|室|チーム|グループ|担当)の"
    rf"(?P<name>{_NAME_CHARS}{{1,6}}(?:[ \u3000]{_NAME_CHARS}{{1,6}})?)[ \u3000]*(?:です|でございます)(?=[。!！\n]|$)",
    re.M,
)
"""A writer introducing themselves by their department, plainly: `株式会社ムーンライト 法務部の田中です。` (only after
a department's name, `_DEPARTMENT`: `私の作品です` names nobody)."""


def _introduced(text: str) -> str | None:
    """The name in `...の佐藤美咲と申します`, or `…法務部の田中です`, without the words before it."""
    found_all = itertools.chain(_INTRODUCTION.finditer(text), _DEPARTMENT_INTRODUCTION.finditer(text))
    for found in found_all:  # the match holds no 。 or line end: it is in one sentence
        name = without_titles(_BEFORE_NAME.sub("", _BEFORE_NAME.sub("", found.group("name"), 1), 1))
        if name and _PHRASE.search(name):
            continue
        if name and KANA_KANJI.search(name) or re.fullmatch(r"[A-Za-z][A-Za-z .'-]{1,40}", name or ""):
            return name
    return None


def _signed_line(line: str) -> str | None:
    """The name a signature line gives (`弁護士 山田太郎`, `担当：高橋 誠`), or None."""
    if labelled := _LABELLED_NAME.match(line):
        line = labelled.group("name").strip(" \u3000")
    if (title := _TRAILING_TITLE.search(line)) and title.start():
        line = line[: title.start()]
    if _LETTER_TITLE.fullmatch(re.sub(r"[ \u3000]", "", line)):
        return None
    if 2 <= len(line) <= 30 and not _NOT_A_SIGNATURE.search(line) and KANA_KANJI.search(line):
        name = without_titles(line)
        return None if is_company(name) else name  # `株式会社ムーンライト` alone signs for no person
    return None


def _signature(text: str) -> str | None:
    """The last line of the message when it looks like a signed name (after an address, the date, `以上` or
    `草々`); else, in a letter whose sender block stands above the addressee (`弁護士 佐々木恵子` / … /
    `moth 様`), the name there."""
    lines = [line.strip(" \u3000\t") for line in text.strip().split("\n")]
    for index in range(len(lines) - 1, max(0, len(lines) - 12), -1):  # never the first line: a message's words
        line = lines[index]
        if not line or _SKIPPED_AT_END.match(unicodedata.normalize("NFKC", line)):
            continue
        if (signed := _signed_line(line)) is not None:
            return signed
        break
    head = [line for line in lines[:8] if line]
    addressee = next((i for i, line in enumerate(head) if _ADDRESSEE.search(line)), 0)
    for line in reversed(head[:addressee]):
        if (signed := _signed_line(line)) is not None and not _LEADING_TITLE.fullmatch(line + " "):
            return signed
    return _signed_below(head[addressee] if addressee else None, [line for line in lines[:24] if line])


def _signed_below(addressee: str | None, head: list[str]) -> str | None:
    """In a letter whose sender block follows its addressee (`moth 殿` / `〒…` / `丸の内総合法律事務所` /
    `弁護士　佐藤　健一`, then the body), the name of the line there that a title leads (`弁護士`, `代表取締役`)."""
    if addressee is None:
        return None
    for line in head[head.index(addressee) + 1 :]:
        if _BODY_STARTS.search(line):
            break
        if _LEADING_TITLE.match(line) and (signed := _signed_line(line)) is not None:
            return signed
    return None


def split_sender(header_name: str | None) -> tuple[str | None, str | None]:
    """(person, organisation) in a From header's name: `弁護士 中村健一（さくら総合法律事務所）` is (中村健一,
    さくら総合法律事務所); `株式会社ルミナスゲームス 法務部` or `Northwind Media Legal` names no person: (None, the
    whole)."""
    if not header_name:
        return None, None
    name, org = header_name.strip(" \u3000"), None
    if bracket := re.fullmatch(r"(?P<name>.+?)[ \u3000]*[（(](?P<org>[^（）()]{2,40})[）)]", name):
        name, org = bracket.group("name"), bracket.group("org").strip(" \u3000")
    person = without_titles(name)
    if KANA_KANJI.search(person) and _ORG_ONLY.search(person) or is_company(person) or _DESK.search(person):
        return None, org or name
    return person, org


_DESK = re.compile(
    r"[ \t](?:legal|copyright|licensing|rights|compliance|enforcement|support|team|department|dept\.?|desk)$", re.I
)
"""A From name in English that is a company's desk, not a person (`Northwind Media Legal`, `Acme Copyright Team`):
the person is the one the text signs (`/s/ Jennifer Walsh`), else nobody."""


_ORG_ONLY = re.compile(
    rf"(?:株式会社|有限会社|合同会社|事務所|法人|協会|{_DEPARTMENT}"
    r"\S{0,4}?(?:部|課|室|チーム|グループ|担当)|窓口|事務局|編集部)$"
)
"""A name that is an organisation or its department, not a person: `法務部`, `ルミナスゲームス株式会社`."""


def sender_name(text: str) -> str | None:
    """The writer's name as the message gives it: the signature when it spells the introduced name
    (it often adds the space between family and given name), else the introduction, else the signature."""
    sample = text[:SAMPLE]
    introduced, signed = _introduced(sample), _signature(text[-4096:])
    if introduced and signed and _same_writer(introduced, signed):
        return " ".join(signed.split())
    return introduced or (" ".join(signed.split()) if signed else None)


def _same_writer(introduced: str, signed: str) -> bool:
    """Whether a signature names the writer the introduction does, more fully: it spells the introduced name
    (`高橋` signed `高橋 由紀子`), or its family name (two characters or more: not `林` ending `小林`) ends the
    words the introduction read (`…で働く高橋`)."""
    intro, parts = "".join(introduced.split()), signed.split()
    return intro in "".join(parts) or len(parts) > 1 and len(parts[0]) >= 2 and intro.endswith(parts[0])


_TIME = (
    r"(?: ?(?:の ?)?(?:(?P<ampm>午前|午後|朝|夕方|夜) ?(?:の ?)?)?(?P<h>\d{1,2}) ?(?:時|:(?P<mc>\d\d))"
    r"(?: ?(?P<mj>\d{1,2}) ?分|(?P<half>半))?(?: ?(?:頃|ごろ))?| ?(?:の ?)?(?P<noon>正午))?"
)
"""A time of day after the day: `15時`, `の17時`, `午後5時`, `15時30分`, `17時半`, `15:30`, `正午` (noon),
`夕方17時頃`, `夜9時` (夕方 and 夜 are afternoon hours: `夕方5時` is 17:00; 朝 morning ones). The
text is read with every run of white space made one space (`_SPACES`), so each gap is ` ?`: no pattern
here can try a long run of spaces in many ways (hostile input, HTML mail full of &nbsp;)."""
_DAY_TEXT = (
    r"(?:(?:(?P<y>\d{4})|(?:令和|(?<![A-Za-z])R) ?(?P<reiwa>\d{1,2}|元)) ?[年/.\-] ?)?"
    r"(?P<m>\d{1,2}) ?[月/.] ?(?P<d>\d{1,2}) ?日?[)）]?"
    r"(?: ?[(（][^)）\n]{1,4}[)）])?" + _TIME + r" ?(?:中)?"
)
"""A day as a Japanese message writes it, month before day (`12月8日`, `12/8`, `2026年12月8日`, `令和8年12月8日`,
`R8.12.8`), a weekday in brackets and a time of day (`_TIME`) after it."""
_DAY = re.compile(_DAY_TEXT + r" ?(?:まで|迄|限り(?![のでは])|(?<=中) ?に)")
"""`12月4日まで`, `12月8日中に` and `明日（12月8日）中に` (within that day), and a lawyer's `令和9年1月10日限り` (by
that day; not `12月25日限りのイベント`)."""
_TYPED_DAY = re.compile(_DAY_TEXT + r"(?: ?(?:まで|迄)(?: ?に)?)?")
"""A day the owner types as the message wrote it (`typed_day`), `まで` or not: the whole of what was typed."""
_SPACES = re.compile(r"\s+")
REIWA_FIRST_YEAR = 2019
"""令和元年: `令和8年12月10日`, `R8.12.10`, `R8/12/10` (㋿ and full-width Ｒ read the same once NFKC-normalised)."""

_RELATIVE_DAY = re.compile(
    r"(?<![明昨翌前一])(?P<word>本日|今日|今夜|今晩|明後日|明日|明朝) ?"
    r"(?:(?P<within>中) ?(?:に|まで|迄)|(?:の ?)?(?:(?P<forenoon>午前中) ?(?:(?:まで|迄)(?: ?に)?|に)"
    r"|(?P<part>夕方|朝|夜|晩) ?(?:まで|迄))|" + _TIME + r"(?P<within2>中)?(?:まで|迄)(?P<ni>に)?)"
)
"""`明日中に`, `明日まで`, `本日中`, `明後日まで`, `明日の正午まで`: a day counted from the day the message
was received. Only these words, followed by 中に or まで: `明日以降` or a bare `明日` asks for no day,
and `今日まで` followed by what happened until now (`今日まで何度もご連絡しましたが`) is history, not a
deadline. A part of the day without an hour is its usual hour (`_PARTS`): `明日午前中に`, `明日の午前中までに`
(12:00), `本日夕方までに` (17:00), `明日の朝まで`, `明朝まで` (09:00), `明日の夜まで` (the day's end, as 今夜 is);
`明朝9時までに` is 9:00 tomorrow.
`今夜中に`, `今晩中に`, `今夜までに` are the received day's end (23:59:59 on the sender's clock, as `本日中に` and
"by tonight" are: a night asked for ends with its day, and an hour earlier, 21:00, would pass before a mail sent at
22:00 is read, leaving no deadline at all); an hour with them is the evening's (`今夜9時までに` is 21:00)."""
_RELATIVE_DAYS = {**JAPANESE_DAYS, "明朝": 1, "今夜": 0, "今晩": 0}
_TONIGHT = ("今夜", "今晩")
_PARTS = {"午前中": time(12, 0), "夕方": time(17, 0), "朝": time(9, 0), "明朝": time(9, 0)}
_PARTS |= dict.fromkeys(("夜", "晩"), END_OF_DAY)
"""The hour a part of the day names when no hour is given: the end of the morning, the close of business (as
`by COB`), the start of the working day. Earlier rather than later: a deadline read late is the one missed."""
_DAY_OF_MONTH = re.compile(
    r"(?<![\d月/.年])(?<![月年] )(?P<month>今月|来月)?(?P<d>\d{1,2}) ?日(?: ?[(（][^)）\n]{1,4}[)）])?"
    + _TIME
    + r" ?(?:中)? ?(?:まで|迄|限り(?![のでは])|(?<=中) ?に)"
)
"""`8日までに`, `8日（火）17時までに`, `今月8日まで`, `来月8日中に`: a day of the month without its month, the next
such day from the received day (that day itself, else this month's, else next month's; `来月` next month's).
A weekday in brackets is read past: the date says which day (`8日（火）` is the 8th whatever day that is)."""
_WEEKDAY = re.compile(
    r"(?:(?P<week>再来週|来週|今週|翌週)(?: ?の)? ?|(?<![週毎先前隔])(?<!週の)(?<!週 )(?<!週 の))"
    r"(?P<wd>[月火水木金土日])曜日?"
    + _TIME
    + r" ?(?:中)? ?(?:まで|迄|(?<=中) ?に)"
    + r"|(?<![先前毎])(?P<opening>週明け)(?:早々|すぐ)? ?(?:まで|迄|中 ?に|に)"
)
"""`金曜日までに`, `今週金曜日までに`, `来週月曜日17時まで`, `週明けまでに`: a weekday, the next such day from the
received day (that day itself when it is one; `今週` the one in the received week, Monday to Sunday, none once
past; `来週` (`翌週`) the one in the following week, `再来週` the week after). `週明け` is the coming Monday (the
received day itself when a Monday: read early rather than a week late). `先週金曜日まで` is history, not read."""
_WEEKDAY_NAMES = "月火水木金土日"
_HISTORY = re.compile(r"何度|再三|ずっと|幾度|度々|たびたび|ました|てきた|ていた")
"""Words after `今日まで` / `本日まで` that tell of the past, not of a deadline."""
_WITHIN = re.compile(
    r"(?<![\d月/.])(?P<n>\d{1,3}) ?(?:(?P<business>営業)?日間?|(?P<weeks>週間)|(?P<hours>時間)) ?以内(?:に|で|まで)"
)
"""`3日以内に`, `3営業日以内に`, `1週間以内に`, `48時間以内に`: counted from receipt (a day: its end;
営業日 skip Saturday and Sunday, not public holidays)."""
_NEXT_WEEK = re.compile(r"(?<![再先前毎])(?:来週|翌週) ?(?:まで|迄)")
"""`来週までに`: read early rather than late (`来週中に` says the later reading), the coming Monday, the first after the
received day, by its end (as `週明けまでに` and `来週月曜日までに` are read), in a sentence asking for action."""
_THIS_WEEK = re.compile(r"(?<![再先前毎])(?:(?:今週|来週)中 ?(?:に|まで)|来週末 ?(?:まで|迄)|今週末?(?:まで|迄))")
"""`今週中に`: by the end of this week's business days, the end of Friday (as Japanese business
usage means it, not the literal Sunday); `今週末まで` is the end of Sunday; `来週中に`, `来週末まで` the same
in the following week."""
_REQUEST = re.compile(r"ください|下さい|願い|求め|要求|請求|すること|されたし|せよ|致します|いたします|します")
"""Words asking for action after `3日以内に` in its sentence (not `投稿から3日以内に気づきました`)."""
_ASKING = re.compile("いただけ|頂け|いただきた|頂きた|もらえ")
"""A request put as a question or a wish (`ご対応いただけないでしょうか`, `削除していただきたく`): `来週までに` asks."""


def demanded_deadline(text: str, received_at: datetime, zone: tzinfo | None = None) -> datetime | None:
    """The earliest moment the message asks for action by (`12月4日まで`, `2026年12月4日までに`, and
    `明日中に`, `明日まで`, `本日中`, `明後日まで` counted from the day it was received): the end of
    that day, or the time it names (`明日の正午まで`, `12月5日15時まで`, `明日の夕方17時頃まで`: that
    moment). Days and hours are the sender's: in `zone`, the offset the message's Date gives, else (None)
    the owner's local time (`deadline_words`). A relative day with its date in brackets
    (`明日（12月5日）の17時まで`) is that date. Also `3日以内に`, `3営業日以内に` (the end of the N-th
    (business) day after the received day; Saturday and Sunday skipped), `1週間以内に`, `48時間以内に`
    (received + the hours), in a sentence asking for action (`ください`, `願い`, ...); `今週中に` (the
    end of the receipt week's Friday, as Japanese business usage means it: a message received on a
    weekend asks for no day) and `今週末まで` (the end of its Sunday); `来週中に`, `来週末まで` (the next
    week's); `来週までに` (the coming Monday's end: the earlier of its readings, `_NEXT_WEEK`); `今夜中に`,
    `今晩中に`, `今夜までに` (the received day's end). A day of the month alone (`8日（火）17時までに`,
    `今月8日まで`: the next such day, `_DAY_OF_MONTH`), a weekday (`金曜日までに`, `来週月曜日までに`, `週明けまでに`:
    `_WEEKDAY`) and a part of a near day (`明朝9時までに`, `明日午前中に` 12:00, `本日夕方までに` 17:00: `_PARTS`).
    `至急`, `早急に` alone name no day. A date in kanji numbers (`令和八年十二月十日`, `十日以内に`) reads
    as in digits (`message_dates.with_digits`).
    A day without a year is in the received day's year, or in the next one across a year's turn (`1月5日`
    in December). A moment before the message was received is no deadline (a typo, or history),
    never a date a year away. Only the writer's own words are read (`quoting.own_words`): the owner's
    letter quoted under a reply (`12月10日までに回答いたします`) is the owner's promise, not a demand."""
    received = day_of(received_at, zone)
    moments: list[datetime] = []
    sample = with_digits(_SPACES.sub(" ", unicodedata.normalize("NFKC", own_words(text)[:SAMPLE])))
    for found in _DAY.finditer(sample):
        when = _named_day(found, received, YEAR_TURN)
        if when is not None and received <= when:
            moments.append(_moment(when, found, zone))
    for found in _RELATIVE_DAY.finditer(sample):
        word = found.group("word")
        timed = found.group("h") or found.group("noon")
        plain = not (found.group("within") or found.group("within2") or found.group("ni") or timed)
        if word in ("本日", "今日", *_TONIGHT) and plain and _HISTORY.search(sample, found.end(), found.end() + 20):
            continue  # `今日まで何度もご連絡しましたが`: up to now, not by when
        if (ahead := days_ahead(received, _RELATIVE_DAYS[word])) is not None:
            part = found.group("forenoon") or found.group("part") or word
            clock = None if timed or part not in _PARTS else _PARTS[part]
            evening = word in _TONIGHT
            moments.append(at(ahead, clock, zone) if clock else _moment(ahead, found, zone, evening=evening))
    moments += _spans(sample, received_at, received, zone) + _near_days(sample, received, zone)
    moments = [m for m in moments if m >= received_at]
    return min(moments) if moments else None


def _named_day(found: re.Match[str], since: date, year_turn: timedelta | None) -> date | None:
    """The day a `_DAY_TEXT` match names, None when it names none (`12.10` alone is a number; `2月30日`). A day
    without a year is in `since`'s year, else, once past there, in the next year when it is at most `year_turn`
    away (`1月5日` in a December message; every such day when `year_turn` is None: the next one from `since`)."""
    month, day = int(found.group("m")), int(found.group("d"))
    era = found.group("reiwa")
    named = found.group("y") or era
    if not named and found.string[found.end("m") :].lstrip(" ")[:1] == ".":
        return None  # `12.10` alone is a number, not a day; `R8.12.10` (令和8年12月10日), `2026.12.10` are days
    year = int(found.group("y")) if found.group("y") else since.year
    if era:
        year = REIWA_FIRST_YEAR - 1 + (1 if era == "元" else int(era))
    try:
        when = date(year, month, day)
        if not named and when < since:
            later = date(year + 1, month, day)
            when = later if year_turn is None or later - since < year_turn else when
    except ValueError:
        return None
    return when if EARLIEST <= when <= LATEST else None


def typed_day(text: str, since: date, zone: tzinfo | None = None) -> datetime | None:
    """A deadline the owner types as a Japanese message writes its day, read as `demanded_deadline` reads that day
    (`まで` may follow, or not): `12月8日`, `12月8日まで`, `2026年12月8日`, `令和8年12月8日`, `12/8`, `2026/12/8`,
    full-width digits (`１２月８日`), a time after it (`12月8日 17:00`, `12月8日17時`, `12/8 午後5時`). Month
    before day, as in Japan (and the US): `8/12` is 12 August, never 8 December. A day without a year is the next
    such day from `since` (that day itself, or the next year's). The end of that day in `zone` (the owner's local
    time when None), or the time it names there; None when the text is no such day."""
    value = _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip()
    found = _TYPED_DAY.fullmatch(value) if len(value) <= 64 else None
    when = _named_day(found, since, None) if found else None
    return _moment(when, found, zone) if found and when else None


def _spans(sample: str, received_at: datetime, received: date, zone: tzinfo | None) -> list[datetime]:
    """The ends of `N日以内に`, `N営業日以内に`, `N週間以内に`, `N時間以内に` and `来週までに` (asked for),
    `今週中に` and `来週中に`."""
    moments: list[datetime] = []
    for found in itertools.islice(_WITHIN.finditer(sample), 50):
        number, end = int(found.group("n")), found.end()
        if not number or not _REQUEST.search(re.split("[。!?\n]", sample[end : end + 80], maxsplit=1)[0]):
            continue
        if found.group("hours"):
            if number <= 24 * MAX_DAYS:
                moments.append(received_at.astimezone(UTC) + timedelta(hours=number))
            continue
        days = number * 7 if found.group("weeks") else number
        if days > MAX_DAYS:
            continue
        last = business_days_after(received, days) if found.group("business") else days_ahead(received, days)
        if last is not None and last <= LATEST:
            moments.append(at(last, END_OF_DAY, zone))
    for found_next in itertools.islice(_NEXT_WEEK.finditer(sample), 50):
        rest = re.split("[。!?\n]", sample[found_next.end() : found_next.end() + 80], maxsplit=1)[0]
        if (_REQUEST.search(rest) or _ASKING.search(rest)) and not _HISTORY.search(rest[:20]):
            if (monday := days_ahead(received, 7 - received.weekday())) is not None:
                moments.append(at(monday, END_OF_DAY, zone))
    for found_week in itertools.islice(_THIS_WEEK.finditer(sample), 50):
        if _HISTORY.search(sample, found_week.end(), found_week.end() + 20):  # `今週まで待ちましたが`
            continue
        ahead = (6 if "末" in found_week.group() else 4) - received.weekday()
        if "来週" in found_week.group():
            ahead += 7
        if ahead >= 0 and (last := days_ahead(received, ahead)) is not None:
            moments.append(at(last, END_OF_DAY, zone))
    return moments


def _near_days(sample: str, received: date, zone: tzinfo | None) -> list[datetime]:
    """The moments a day of the month (`_DAY_OF_MONTH`) or a weekday (`_WEEKDAY`) asks for, counted from `received`."""
    moments: list[datetime] = []
    for found in itertools.islice(_DAY_OF_MONTH.finditer(sample), 50):
        which = {"今月": "this", "来月": "next"}.get(found.group("month") or "")
        if (day := day_of_month(received, int(found.group("d")), which)) is not None:
            moments.append(_moment(day, found, zone))
    for found in itertools.islice(_WEEKDAY.finditer(sample), 50):
        if _HISTORY.search(sample, found.end(), found.end() + 20):
            continue  # `金曜日まで待ちましたが`: up to then, not by when
        if found.group("opening"):
            ahead = -received.weekday() % 7
        else:
            weekday, week = _WEEKDAY_NAMES.index(found.group("wd")), found.group("week")
            weeks = {None: None, "今週": 0, "来週": 1, "翌週": 1, "再来週": 2}[week]
            ahead = (weekday - received.weekday()) % 7 if weeks is None else 7 * weeks + weekday - received.weekday()
        if ahead >= 0 and (day := days_ahead(received, ahead)) is not None:
            moments.append(at(day, END_OF_DAY, zone) if found.group("opening") else _moment(day, found, zone))
    return moments


def _moment(day: date, found: re.Match[str], zone: tzinfo | None, *, evening: bool = False) -> datetime:
    """The moment a day and its time of day (`15時30分`, `15:30`, `正午`, `夕方5時`) name in `zone` (the
    owner's local time when None); the end of the day without one. `evening`: the day is 今夜, its hours the
    evening's (`今夜9時` is 21:00, `今夜12時` and `今夜0時` midnight, the day's end)."""
    if found.group("noon"):
        return at(day, time(12, 0), zone)
    if found.group("h"):
        hour, minute = int(found.group("h")), int(found.group("mc") or found.group("mj") or 0)
        night = found.group("ampm") == "夜" or evening and not found.group("ampm")
        afternoon = found.group("ampm") in ("午後", "夕方") or night
        hour = 24 if night and hour == 0 else hour
        hour += 12 if afternoon and hour < 12 or night and hour == 12 else 0  # 夜12時: 24時
        minute = 30 if found.group("half") else minute
        if hour < 24 and minute < 60:
            return at(day, time(hour, minute), zone)
    return at(day, END_OF_DAY, zone)  # no time, or 24時 (the day's end)


_RIGHT_CLAIMED = re.compile("著作権|著作者人格権|肖像権|無断|盗用")


def claims_a_right(text: str) -> bool:
    """Whether a Japanese message names the right it says was infringed (copyright, an unauthorised use).

    The Japanese notice's `right` element ("the right claimed to be infringed and why"): a message
    citing 著作権(法) or saying the work was used 無断で says which right and why.
    """
    return bool(_RIGHT_CLAIMED.search(text, 0, SAMPLE))
