"""Whose work a letter speaks of, by who wrote the complaint: an agent's or a lawyer's client's, a company's, or the
complainant's when a platform passes it on (and the complainant's client's when that complainant acts for one).

`writer_kind` reads who wrote it; `as_the_writer_reads` swaps the words of the filled letter (English by its own rule,
other languages by the `for_client` / `for_company` / `for_platform` / `for_platform_client` tables of their
phrases).
"""

from __future__ import annotations

import re

from tracker.complaints.letters.reply_phrases import Words
from tracker.complaints.reading.platform_notices import PlatformNotice
from tracker.complaints.views import StoredComplaint

_AGENT_ROLE = re.compile(
    r"\b(?:agent|lawyer|attorney|counsel|solicitor|representative|law firm)\b|代理人|代理して|弁護士|法律事務所", re.I
)
"""A writer acting for the rights holder (`complainant_role`): the work and the name are their client's."""
_LAW_FIRM = re.compile("法律事務所|弁護士法人|弁護士|代理人")
"""An organisation (`complainant_org`) that is the writer's law firm or names them an agent."""
_COMPANY = re.compile(r"株式会社|有限会社|合同会社|合資会社|合名会社|[(（]株[)）]|[(（]有[)）]")
"""A Japanese company form in `complainant_org`: the writer is its staff, the work is the company's."""


def writer_kind(complaint: StoredComplaint, notice: PlatformNotice | None) -> str | None:
    """`client` when the writer acts for the rights holder, `company` when they write for their company, `platform`
    when a platform passes someone's complaint on, else None.

    The role as recorded wins; with none recorded, the message is read as `complaint add --from` reads one
    (`依頼者□□の代理人として`, `〇〇法律事務所の弁護士△△と申します`, "on behalf of ..."): only then is the
    notice reader loaded (`notice_reading`, a fifth of `complaint reply`'s start), and never for a law firm.
    """
    if notice is not None:
        return "platform"  # a platform passing a complaint on (`platform_notices`): its team reads the letter
    if _LAW_FIRM.search(complaint.complainant_org or ""):
        return "client"
    role = complaint.complainant_role or ""
    if not role.strip() and complaint.message:
        from tracker.complaints.reading.notice_reading import organisation_and_role

        role = organisation_and_role(complaint.message)[1] or ""
    if _AGENT_ROLE.search(role):
        return "client"
    return "company" if _COMPANY.search(complaint.complainant_org or "") else None


def for_a_client(complaint: StoredComplaint, notice: PlatformNotice | None) -> bool:
    """A platform passed on the complaint of an agent or a lawyer acting for the rights holder, and named no one else
    as the rights holder (`PlatformNotice.agent`): the work is the complainant's client's. The role as recorded wins
    (`complaint set --role`); with none, the notice's own words say so (`for_client`), or the complainant is a law
    firm (「申立人：青葉法律事務所」)."""
    if notice is None or notice.agent:
        return False
    role = complaint.complainant_role or ""
    if role.strip():
        return bool(_AGENT_ROLE.search(role))
    return notice.for_client or bool(_LAW_FIRM.search(complaint.complainant_org or complaint.complainant_name or ""))


_YOURS = re.compile(r"\byour (work|original work|original expression|name)\b")
_THEIRS = re.compile(r"\bthe complainant's (work|original work|original expression|name)\b")


def as_the_writer_reads(words: Words, text: str, writer: str | None, client: bool) -> str:
    """The filled letter `text` with the work and the name its reader's (`writer`: `writer_kind`): "your client's
    work" to an agent, 「貴社の作品」 to a company's staff, "the complainant's work" to a platform, and "the
    complainant's client's work" (「申立人のご依頼人の作品」) to a platform passing on an agent's complaint
    (`client`: `for_a_client`). The notice's words (`for_<writer>_notice`) are the caller's."""
    for said, meant in (words.table.get(f"for_{writer}") or {}).items() if writer else ():
        text = text.replace(said, str(meant))  # e.g. ja: ご作品 -> ご依頼者様の作品, 貴社の作品
    if words.language == "en" and writer == "client":
        text = _YOURS.sub(r"your client's \1", text)  # an agent's letter: the work and the name are their client's
    if words.language == "en" and (writer == "client" or client):
        text = _THEIRS.sub(r"the complainant's client's \1", text)  # the same, told to the platform
    for said, meant in (words.table.get("for_platform_client") or {}).items() if client else ():
        text = text.replace(said, str(meant))  # ja: 申立人の作品 -> 申立人のご依頼人の作品
    return text
