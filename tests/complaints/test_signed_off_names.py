"""The name under an English closing (`Kind regards,` / `Maria Huber`) or above the writer's e-mail address is read
as the complainant's only when it is a person's name their e-mail address spells: a title, a company or a
pleasantry there (`Head Of Licensing`, `Pinewood Animation`, `Have A Great Day`) is no one to greet by name. A name
signed with a title (`Sarah Cole, Rights Agent`) is a person's, whatever the address."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from complaints.test_intake_from import logged as logged  # noqa: F401  (the fixture)
from fixtures.common import Tracker

from tracker.complaints.reading.message_details import sender_name
from tracker.complaints.reading.notice_reading import signed_name

pytestmark = pytest.mark.db

BODY = 'Hello,\n\nYour post https://x.com/lark_art/status/1900000000000000001 copies my illustration "Night Harbour". '
BODY += "Please take it down.\n\n"

NOT_NAMES = [
    "Head Of Licensing",
    "See Attached Screenshots",
    "An Angry Fan",
    "Moth Fan Club",
    "Chief Executive Officer",
    "Customer Success",
    "Original Artist",
    "New York City",
    "On Behalf Of Client",
    "Translated By Google",
    "Everyone At Pixelworks",
    "Pinewood Animation",
    "Sakura Ink",
    "Northwind Traders",
    "Have A Great Day",
]


def _spelling(line: str) -> str:
    """An address whose local part spells every word of the line (`northwind.traders@example.com`): only rules
    (a) and (b) can refuse it."""
    return ".".join(line.lower().split()) + "@example.com"


@pytest.mark.parametrize("line", NOT_NAMES)
def test_a_title_a_company_or_a_pleasantry_signing_is_no_name(line: str) -> None:
    assert signed_name(f"{BODY}{line}\n{_spelling(line)}\n") is None, "above the address it is spelled in"
    text = f"{BODY}Regards,\n{line}\n"
    assert signed_name(text, ["licensing@example.com"]) is None
    assert signed_name(text, [_spelling(line)]) is None, "even from an address that spells it"


def test_a_company_above_its_general_address_is_no_name() -> None:
    assert signed_name(f"{BODY}Acme Widgets Incorporated\ninfo@acme.example\n") is None
    assert signed_name(f"{BODY}Kind regards,\nPinewood Animation\n", ["licensing@pinewood.example"]) is None


@pytest.mark.parametrize(
    ("text", "addresses", "name"),
    [
        (f"{BODY}Kind regards,\nMaria Huber\nmaria.huber@example.at\n", [], "Maria Huber"),
        (f"{BODY}Best regards,\nKen Sato\nken.sato@example.jp\n", [], "Ken Sato"),
        (f"{BODY}Kind regards,\nMaria Huber\n", ["maria.huber@example.at"], "Maria Huber"),  # the --contact typed
        (f"{BODY}Thanks, Jürgen Weiß\n", ["juergen.w@example.de", "jurgen@example.de"], "Jürgen Weiß"),  # folded
        (f"{BODY}Kind regards,\nMaria Huber\n", ["info@studio.example"], None),  # no address spells her
        (f"{BODY}Kind regards,\nMaria Huber\n", [], None),
        (f"{BODY}Kind regards,\nMaria Huber\n", ["@maria_huber"], None),  # a handle is no e-mail address
    ],
)
def test_a_name_the_senders_address_spells_is_theirs(text: str, addresses: list[str], name: str | None) -> None:
    assert signed_name(text, addresses) == name


def test_a_notice_signed_by_a_title_is_not_from_that_title(logged: Tracker, tmp_path: Path) -> None:
    """The reviewer's case: `Regards,` / `Head Of Licensing` from licensing@example.com names no one, its letter
    opens "Hello," and asks for the name, and a notice signed the same way from another address is no follow-up."""
    path = tmp_path / "m1.txt"
    path.write_text(f"{BODY}Regards,\nHead Of Licensing\n", encoding="utf-8")
    add = ("complaint", "add", "--post", "2", "--basis", "dsa", "--lang", "en", "--message-file", path)
    shown = logged(*add, "--contact", "licensing@example.com").stdout
    assert "Head Of Licensing" not in shown
    assert logged.json("complaint", "show", "1")["complainant_name"] is None
    logged("complaint", "decide", "1", "--action", "ask_info")
    letter = logged.json("complaint", "reply", "1")["text"]
    assert letter.startswith("Hello,") and "Dear Head" not in letter and "your own name" in letter
    path.write_text(f"{BODY}It is still online.\n\nRegards,\nHead Of Licensing\n", encoding="utf-8")
    again = logged(*add, "--contact", "legal@other.example")
    assert "same sender" not in again.stdout + again.stderr


AGENT_NOTICE = BODY.replace("my illustration", "our client's illustration")


@pytest.mark.parametrize(
    "foot",
    [
        "Sincerely,\nSarah Cole, Rights Agent\n",
        "Sarah Cole\nRights Agent, Example Media LLC\n",
        "Best regards,\n\nSarah Cole | Legal Counsel\nExample Media LLC\nlegal@examplemedia.example\n",
    ],
)
def test_an_agent_signing_with_a_title_is_greeted_by_name(logged: Tracker, tmp_path: Path, foot: str) -> None:
    """An agent signs for a company's address (`legal@examplemedia.example` spells no name of hers): her title after
    the name, or on the line under it, says the line is a person signing, and the letter greets her."""
    path = tmp_path / "agent.eml"
    path.write_text(
        f"From: legal@examplemedia.example\nSubject: Copyright notice\n\n{AGENT_NOTICE}{foot}", encoding="utf-8"
    )
    logged("complaint", "add", "--post", "2", "--basis", "dsa", "--lang", "en", "--from", path)
    assert logged.json("complaint", "show", "1")["complainant_name"] == "Sarah Cole"
    logged("complaint", "decide", "1", "--action", "ask_info")
    letter = logged.json("complaint", "reply", "1")["text"]
    assert "Sarah Cole" in letter.split("\n", 1)[0] and "Sir or Madam" not in letter


@pytest.mark.parametrize(
    "foot",
    [
        "Regards,\nThe pixiv team\nSupport Specialist\n",  # a platform's team, not a person
        "Regards,\nExample Media LLC\nRights Agent\n",  # a company over a title
        *(f"Regards,\n{line}\nRights Agent, Example Media LLC\n" for line in NOT_NAMES),
        # the owner's own signature in the letter the notice quotes
        "Thanks.\n\nOn Dec 3, 2026, Moth Lark <moth@example.com> wrote:\n> I made it myself.\n>\n> Moth Lark\n"
        "> Account Manager\n",
        "Thanks.\n\n-----Original Message-----\nFrom: Moth Lark <moth@example.com>\nSubject: Re: notice\n\n"
        "I made it myself.\n\nMoth Lark, Account Manager\n",
    ],
)
def test_a_title_under_no_persons_name_names_no_one(foot: str) -> None:
    assert signed_name(f"{AGENT_NOTICE}{foot}", ["legal@examplemedia.example"]) is None


@pytest.mark.parametrize(
    "foot", ["Sarah Cole, Rights Agent\nExample Media LLC\n", "Sarah Cole\nRights Agent, Example Media LLC\n"]
)
def test_a_company_name_in_from_gives_way_to_the_agent_signing_for_it(
    logged: Tracker, tmp_path: Path, foot: str
) -> None:
    """`From: Example Media` is the company the agent signs for (`Example Media LLC`), no person: the letter greets
    her, the company kept as the organisation."""
    path = tmp_path / "agent.eml"
    mail = f"From: Example Media <legal@examplemedia.example>\nSubject: Copyright notice\n\n{AGENT_NOTICE}{foot}"
    path.write_text(mail, encoding="utf-8")
    logged("complaint", "add", "--post", "2", "--basis", "dsa", "--lang", "en", "--from", path)
    shown = logged.json("complaint", "show", "1")
    assert (shown["complainant_name"], shown["complainant_org"]) == ("Sarah Cole", "Example Media LLC")
    logged("complaint", "decide", "1", "--action", "ask_info")
    letter = logged.json("complaint", "reply", "1")["text"]
    assert "Sarah Cole" in letter.split("\n", 1)[0] and "Example Media," not in letter.split("\n", 1)[0]


@pytest.mark.parametrize(
    ("foot", "greeting"),
    [
        ("Sarah Cole, Rights Agent\nExample Media LLC\n", "Dear Sarah Cole"),
        ("Rights Agent\nExample Media LLC\n", "Dear Sir or Madam"),  # no name signed: none greeted
    ],
)
def test_a_from_naming_another_company_than_the_signature_is_not_greeted(
    logged: Tracker, tmp_path: Path, foot: str, greeting: str
) -> None:
    """`From: Pinewood Animation` (the client's mail, or its name on the agent's account) over a notice signed for
    Example Media LLC: the letter greeted "Dear Pinewood Animation," as if the company were the person writing."""
    path = tmp_path / "agent.eml"
    mail = f"From: Pinewood Animation <legal@pinewood.example>\nSubject: Copyright notice\n\n{AGENT_NOTICE}{foot}"
    path.write_text(mail, encoding="utf-8")
    logged("complaint", "add", "--post", "2", "--basis", "dsa", "--lang", "en", "--from", path)
    assert logged.json("complaint", "show", "1")["complainant_org"] == "Example Media LLC"
    logged("complaint", "decide", "1", "--action", "ask_info")
    letter = logged.json("complaint", "reply", "1")["text"]
    assert "Pinewood" not in letter.split("\n", 1)[0] and letter.split("\n", 1)[0].startswith(greeting)


@pytest.mark.parametrize(
    "foot",
    [
        "Sincerely,\nSarah Cole, Rights Enforcement\n",
        "Sincerely,\nSarah Cole, Brand Protection\n",
        "Sarah Cole – Trust and Safety\nExample Media LLC\n",
        "Sarah Cole\nIP Enforcement, Example Media LLC\n",
        "Sincerely,\nSarah Cole, 知的財産部\n",
        "Sincerely,\nSarah Cole – Content Protection Team\n",
        "Best regards,\nSarah Cole, Rights Team\nExample Media LLC\n",
        "Sarah Cole\nContent Protection Team, Example Media LLC\n",
    ],
)
def test_a_title_of_what_a_desk_does_shows_a_person_signing(foot: str) -> None:
    """A title is read by its shape (a word of what a desk does ends it), not from a short list: these needed the
    company's address to spell her name, and `legal@examplemedia.example` does not."""
    assert signed_name(f"{AGENT_NOTICE}{foot}", ["legal@examplemedia.example"]) == "Sarah Cole"


@pytest.mark.parametrize(
    "foot",
    [
        "Regards,\nBluesky Moderation, Trust and Safety\n",  # a platform's team
        "Regards,\nNorthwind Pictures, Legal Affairs\nNorthwind Pictures Inc.\n",  # the company, its line under it
        "Regards,\nExample Media, Brand Protection\n",  # the company the address is at
        "Regards,\nSarah Cole, Berlin\n",  # a place is no title
        "Regards,\nBluesky Moderation Team\n",  # a team alone
        "Regards,\nContent Protection Team\nExample Media LLC\n",
        "Regards,\nExample Media – Rights Team\n",  # the company the address is at, its team
    ],
)
def test_a_company_or_a_team_over_a_desks_title_is_no_person(foot: str) -> None:
    assert signed_name(f"{AGENT_NOTICE}{foot}", ["legal@examplemedia.example"]) is None


@pytest.mark.parametrize(
    ("foot", "name"),
    [
        ("株式会社アークライト\n田中 一郎（知的財産部）\n", "田中 一郎"),
        ("株式会社アークライト\n田中一郎 知的財産部\n", "田中一郎"),
        ("株式会社アークライト\nブランド保護チーム 田中一郎\n", "田中一郎"),
        ("阿部 真理子\n", "阿部 真理子"),  # 部 ending a surname is no department
    ],
)
def test_a_department_beside_a_japanese_signature_is_no_part_of_the_name(foot: str, name: str) -> None:
    """`田中 一郎（知的財産部）` was greeted 「田中 一郎（知的財産部） 様」."""
    text = "突然のご連絡失礼いたします。\n貴殿の投稿 https://www.pixiv.net/artworks/123456 は弊社の著作物の無断使用です。\n\n"
    assert sender_name(f"{text}{foot}") == name


LAWYER_NOTICE = (
    "Dear Sir or Madam,\n\nWe represent Northwind Media LLC. Your post https://x.com/lark_art/status/1900000000000000001 "
    "copies our client's artwork. Please remove it.\n\n"
)


@pytest.mark.parametrize(
    "foot",
    [
        "Sincerely,\nJane Roe\nRoe & Partners LLP\n",
        "Best regards,\nJane Roe, Esq.\nRoe & Partners LLP\n",
        "Jane Roe, Esq.\n",
    ],
)
def test_a_lawyer_signing_over_their_firm_is_greeted_by_name(logged: Tracker, tmp_path: Path, foot: str) -> None:
    """A lawyer writing from the firm's address signs over the firm's name, or with Esq.: a person signing, greeted
    by name ("Dear Jane Roe,", 「Jane Roe 様」), not "Dear Sir or Madam," as if the firm wrote."""
    path = tmp_path / "lawyer.eml"
    path.write_text(f"From: info@roepartners.example\nSubject: Notice\n\n{LAWYER_NOTICE}{foot}", encoding="utf-8")
    logged("complaint", "add", "--post", "2", "--basis", "dmca", "--lang", "en", "--from", path)
    assert logged.json("complaint", "show", "1")["complainant_name"] == "Jane Roe"
    logged("complaint", "decide", "1", "--action", "ask_info")
    assert logged.json("complaint", "reply", "1")["text"].startswith("Dear Jane Roe,\n")
    japanese = logged.json("complaint", "reply", "1", "--lang", "ja")["text"]
    greeting = japanese.split("\n\n", 1)[0]  # 「Jane Roe 様」, or 「弁護士 Jane Roe 先生」 signed Esq.
    assert re.search("Jane Roe (?:様|先生)$", greeting) and "ご担当者様" not in greeting, greeting


@pytest.mark.parametrize(
    "foot",
    [
        "Kind regards,\nNorthwind Media\nNorthwind Media LLC\n",  # the company's name, then its legal name
        "Regards,\nHave A Great Day\nNorthwind Media LLC\n",  # a pleasantry
        "Jane Roe\nRoe & Partners LLP\n",  # no closing over it: a capitalised line anywhere
    ],
)
def test_a_line_over_a_company_without_a_persons_closing_names_no_one(foot: str) -> None:
    assert signed_name(f"{LAWYER_NOTICE}{foot}", ["info@roepartners.example"]) is None
