"""A complaint the owner forwarded to themselves is from the person who wrote it, never from the owner.

The owner (persona moth, contact owner@moth.example) forwards each complaint to the address they keep the tracker's
mail in, from whatever mail program is at hand: Thunderbird or Gmail in Japanese, Outlook, Apple Mail, Gmail in
English, or as an attachment. `complaint add --from` logs the forwarded message's sender, date, subject and words;
a mail from the owner's own address that forwards nothing readable names no one; two forwards from two people are
never taken for one sender's follow-up.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing

from tracker.complaints.intake import message_fields
from tracker.complaints.reading.messages import read_message

pytestmark = pytest.mark.usefixtures("tokyo_time")  # local time is Japan's (conftest)

OWNER = "owner@moth.example"
POST = "https://www.pixiv.net/artworks/131000001"
JA_BODY = f"ムーンライト様\n\n佐藤美咲と申します。\n{POST} は、私のイラスト「夏の灯」の無断転載です。\n削除してください。\n\n佐藤 美咲"
EN_BODY = (
    f'Hello, I am Lisa Park. Your post {POST} copies my illustration "Night Garden". Please remove it.\n\nLisa Park'
)


def owner_mail(subject: str, body: str, charset: str = "utf-8") -> bytes:
    """A mail from the owner's own address to themselves, `body` as its text."""
    message = EmailMessage()
    message["From"] = f"Moth <{OWNER}>"
    message["To"] = OWNER
    message["Subject"] = subject
    message["Date"] = "Mon, 07 Dec 2026 23:30:00 +0900"
    message.set_content(body, charset=charset)
    return message.as_bytes()


THUNDERBIRD_JA = (
    "\n-------- 転送メッセージ --------\n件名: 作品の無断使用について\n日付: Sun, 6 Dec 2026 22:10:00 +0900\n"
    f"差出人: 佐藤 美咲 <misaki@example.jp>\n宛先: {OWNER}\n\n{JA_BODY}\n"
)
GMAIL_JA = (
    "\n---------- Forwarded message ---------\n差出人: 佐藤 美咲 <misaki@example.jp>\n"
    f"Date: 2026年12月6日(日) 22:10\nSubject: 作品の無断使用について\nTo: <{OWNER}>\n\n\n{JA_BODY}\n"
)
OUTLOOK = (
    "FYI\n\n-----Original Message-----\nFrom: Lisa Park [mailto:lisa@example.com]\n"
    "Sent: Saturday, December 5, 2026 10:00 AM\nTo: Moth\nSubject: Copyright\n\n" + EN_BODY
)
APPLE = (
    "\nBegin forwarded message:\n\nFrom: Lisa Park <lisa@example.com>\nSubject: Copyright\n"
    "Date: December 5, 2026 at 10:00:00 GMT+9\nTo: Moth <owner@moth.example>\n\n" + EN_BODY
)
GMAIL_EN = (
    "---------- Forwarded message ---------\nFrom: Lisa Park <lisa@example.com>\n"
    f"Date: Sat, Dec 5, 2026 at 10:00 AM\nSubject: Copyright\nTo: <{OWNER}>\n\n" + EN_BODY
)


def attached_forward() -> bytes:
    inner = EmailMessage()
    inner["From"] = "佐藤 美咲 <misaki@example.jp>"
    inner["To"] = OWNER
    inner["Subject"] = "作品の無断使用について"
    inner["Date"] = "Sun, 06 Dec 2026 22:10:00 +0900"
    inner.set_content(JA_BODY, charset="iso-2022-jp")
    outer = EmailMessage()
    outer["From"] = f"Moth <{OWNER}>"
    outer["To"] = OWNER
    outer["Subject"] = "Fwd: 作品の無断使用について"
    outer["Date"] = "Mon, 07 Dec 2026 23:30:00 +0900"
    outer.set_content("転送します")
    outer.add_attachment(inner)
    return outer.as_bytes()


MISAKI = ("佐藤 美咲", "misaki@example.jp", datetime(2026, 12, 6, 13, 10, tzinfo=UTC), "作品の無断使用について")
LISA_TOKYO = ("Lisa Park", "lisa@example.com", datetime(2026, 12, 5, 1, 0, tzinfo=UTC), "Copyright")
FORWARDS = [
    pytest.param(owner_mail("Fwd: 作品の無断使用について", THUNDERBIRD_JA, "iso-2022-jp"), MISAKI, id="thunderbird-ja"),
    pytest.param(owner_mail("Fwd: 作品の無断使用について", GMAIL_JA), MISAKI, id="gmail-ja"),
    pytest.param(attached_forward(), MISAKI, id="message-rfc822"),
    pytest.param(owner_mail("FW: Copyright", OUTLOOK), LISA_TOKYO, id="outlook"),  # no zone: Japan's local time
    pytest.param(owner_mail("Fwd: Copyright", APPLE), LISA_TOKYO, id="apple-mail"),
    pytest.param(owner_mail("Fwd: Copyright", GMAIL_EN), LISA_TOKYO, id="gmail-en"),
]


@pytest.mark.parametrize("known", [True, False], ids=["owner-known", "owner-unknown"])
@pytest.mark.parametrize(("raw", "expected"), FORWARDS)
def test_a_forward_is_read_as_the_message_it_forwards(
    tmp_path: Path, raw: bytes, expected: tuple[str, str, datetime, str], known: bool
) -> None:
    """Also when no persona's contact says the address is the owner's: the mail went to the address it came from."""
    path = tmp_path / "forward.eml"
    path.write_bytes(raw)
    found = message_fields(read_message(path), lambda url: url == POST, own=frozenset({OWNER} if known else ()))
    name, contact, sent, subject = expected
    assert (found["complainant_name"], found["complainant_contact"], found["received_at"]) == (name, contact, sent)
    assert found["message"].startswith(f"Subject: {subject}\n\n"), "the forwarded subject, not Fwd: ..."
    assert OWNER not in found["message"] and "FYI" not in found["message"], "the forward's own lines are not theirs"
    assert found["posts"] == [POST] and found["own_sender"] is None


@pytest.fixture
def owner(tracker: Tracker, tmp_path: Path) -> Tracker:
    """Post #1 of moth, whose contact is the owner's address."""
    image = tmp_path / "scene.png"
    drawing(1).save(image)
    tracker("log", image, "--url", POST, "--persona", "moth")
    tracker("persona", "set", "moth", "--display-name", "Moth", "--contact", f"Mail: {OWNER}")
    return tracker


@pytest.mark.db
def test_complaint_add_logs_the_forwarded_sender_and_two_people_are_no_follow_up(
    owner: Tracker, tmp_path: Path
) -> None:
    first, second = tmp_path / "first.eml", tmp_path / "second.eml"
    first.write_bytes(owner_mail("Fwd: 作品の無断使用について", THUNDERBIRD_JA, "iso-2022-jp"))
    second.write_bytes(owner_mail("Fwd: Copyright", GMAIL_EN))
    logged = owner("complaint", "add", "--from", first)
    assert "from       佐藤 美咲" in logged.stdout and "contact    misaki@example.jp" in logged.stdout
    assert "received   2026-12-06 22:10" in logged.stdout, "when she sent it, not when it was forwarded"
    shown = owner.json("complaint", "show", "1")
    assert (shown["complainant_name"], shown["complainant_contact"]) == ("佐藤 美咲", "misaki@example.jp")
    owner("complaint", "decide", "1", "--action", "take_down")
    assert owner("complaint", "reply", "1").stdout.lstrip().startswith("佐藤 美咲 様"), "the letter is to her"
    again = owner("complaint", "add", "--from", second)
    assert "same sender" not in again.stderr and "--duplicate-of" not in again.stderr, "two people, no follow-up"
    assert owner.json("complaint", "show", "2")["complainant_contact"] == "lisa@example.com"


@pytest.mark.db
def test_a_mail_from_the_owners_address_forwarding_nothing_names_no_one(owner: Tracker, tmp_path: Path) -> None:
    for n in (1, 2):
        path = tmp_path / f"note{n}.eml"
        path.write_bytes(owner_mail("memo", f"Someone complained ({n}) about {POST}, by phone."))
        logged = owner("complaint", "add", "--from", path)
        warned = [line for line in logged.stderr.splitlines() if OWNER in line]
        assert len(warned) == 1 and "forwarding no message that could be read: no complainant taken" in warned[0]
        shown = owner.json("complaint", "show", str(n))
        assert (shown["complainant_name"], shown["complainant_contact"]) == (None, None)
        assert "same sender" not in logged.stderr


@pytest.mark.db
def test_complaints_logged_with_the_owners_address_are_never_one_senders(owner: Tracker) -> None:
    """Complaints logged before forwards were read hold the owner's name and address: no follow-up is suggested."""
    for n in (1, 2):
        said = owner("complaint", "add", "--name", "Moth", "--contact", OWNER, "--post", "1", "--message", f"{n}")
        assert "same sender" not in said.stderr
    other = owner(
        "complaint", "add", "--name", "Jane", "--contact", "jane@example.com", "--post", "1", "--message", "x"
    )
    again = owner(
        "complaint", "add", "--name", "Jane", "--contact", "jane@example.com", "--post", "1", "--message", "y"
    )
    assert "same sender" not in other.stderr and "complaint #3 from the same sender" in again.stderr


@pytest.mark.db
def test_a_complainant_forwarding_the_owners_reply_stays_the_complainant(owner: Tracker, tmp_path: Path) -> None:
    inner = EmailMessage()
    inner["From"] = f"Moth <{OWNER}>"
    inner["Subject"] = "Re: copyright"
    inner.set_content("I will not remove the post.")
    outer = EmailMessage()
    outer["From"] = "Jane Doe <jane@example.com>"
    outer["Subject"] = "Fwd: Re: copyright"
    outer.set_content(f"Your reply (attached) is not acceptable. Remove {POST}")
    outer.add_attachment(inner)
    path = tmp_path / "jane.eml"
    path.write_bytes(outer.as_bytes())
    owner("complaint", "add", "--from", path)
    shown = owner.json("complaint", "show", "1")
    assert (shown["complainant_name"], shown["complainant_contact"]) == ("Jane Doe", "jane@example.com")


@pytest.mark.parametrize(
    ("subject", "note"),
    [
        ("Re: Copyright", "Any news?"),
        ("FW: Copyright", "I have not heard back about my notice below. Please act.\n\nJo"),
    ],
)
def test_a_reply_or_a_reminder_above_a_quoted_mail_stays_the_writers(tmp_path: Path, subject: str, note: str) -> None:
    """Not from the owner's known address: a reply quoting the owner's letter (Outlook quotes a reply as it forwards)
    or a reminder above the quoted notice is the message of its sender, not of whom it quotes."""
    quoted = f"{note}\n\n-----Original Message-----\nFrom: Moth [mailto:moth@studio.example]\nSubject: x\n\nNo."
    message = EmailMessage()
    message["From"] = "Jo Reyes <jo@example.org>"
    message["Subject"] = subject
    message.set_content(quoted)
    path = tmp_path / "reply.eml"
    path.write_bytes(message.as_bytes())
    found = message_fields(read_message(path), lambda url: False)
    assert (found["complainant_name"], found["complainant_contact"]) == ("Jo Reyes", "jo@example.org")
    assert found["message"].startswith(f"Subject: {subject}\n\n{note}")


@pytest.mark.db
def test_a_follow_up_the_owner_forwarded_is_kept_as_the_message_it_forwards(owner: Tracker, tmp_path: Path) -> None:
    first, later = tmp_path / "first.eml", tmp_path / "later.eml"
    first.write_bytes(owner_mail("Fwd: 作品の無断使用について", THUNDERBIRD_JA, "iso-2022-jp"))
    reminder = THUNDERBIRD_JA.replace("22:10:00", "23:00:00").replace(JA_BODY, "ご対応はいかがでしょうか。")
    later.write_bytes(owner_mail("Fwd: 作品の無断使用について", reminder))
    owner("complaint", "add", "--from", first)
    owner("complaint", "message", "1", "--from", later)
    kept = owner.json("complaint", "show", "1")["follow_ups"]
    assert [(m["received_at"], m["message"]) for m in kept] == [
        ("2026-12-06T14:00:00+00:00", "Subject: 作品の無断使用について\n\nご対応はいかがでしょうか。")
    ]


def forward_from(sender: str, note: str, forwarded: str, subject: str = "Fwd: Copyright") -> bytes:
    """A short forward someone else sent the owner."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = OWNER
    message["Subject"] = subject
    message["Date"] = "Sun, 06 Dec 2026 09:00:00 +0000"
    message.set_content(f"{note}\n\n{forwarded}")
    return message.as_bytes()


THE_OWNERS_LETTER = (
    "---------- Forwarded message ---------\nFrom: moth <moth.art@gmail.com>\n"
    "Date: Sat, Dec 5, 2026 at 10:00 AM\nSubject: ご返信について\nTo: <misaki@example.jp>\n\n"
    "佐藤 美咲 様\n\nご連絡ありがとうございます。確認いたしました。\n"
)


@pytest.mark.parametrize("known", [True, False], ids=["owner-known", "owner-unknown"])
@pytest.mark.parametrize(
    ("raw", "name", "contact"),
    [
        pytest.param(
            forward_from("Jane Counsel <jane@lawfirm.example>", "Please see my client's notice below.", GMAIL_EN),
            "Jane Counsel",
            "jane@lawfirm.example",
            id="a-lawyer-forwarding-the-clients-notice",
        ),
        pytest.param(
            forward_from(
                "佐藤 美咲 <misaki@example.jp>", "再度ご確認ください。", THE_OWNERS_LETTER, "Fwd: ご返信について"
            ),
            "佐藤 美咲",
            "misaki@example.jp",
            id="a-complainant-forwarding-the-owners-letter-back",
        ),
    ],
)
def test_a_short_forward_someone_else_sent_is_their_message(
    tmp_path: Path, raw: bytes, name: str, contact: str, known: bool
) -> None:
    """Whoever wrote to the owner is the one the owner answers, however short their note above what they forward:
    the lawyer, not their client; the complainant, not the owner whose letter they send back."""
    path = tmp_path / "forward.eml"
    path.write_bytes(raw)
    own = frozenset({OWNER, "moth.art@gmail.com"} if known else ())
    found = message_fields(read_message(path), lambda url: url == POST, own=own)
    assert (found["complainant_name"], found["complainant_contact"]) == (name, contact)
    assert found["received_at"] == datetime(2026, 12, 6, 9, 0, tzinfo=UTC), "when they sent it to the owner"


SUPPORT_FORWARD = f"""From: Bluesky Support <support@bsky.app>
To: {OWNER}
Subject: Fwd: Copyright complaint
Date: Sat, 5 Dec 2026 18:00:00 +0000

We are forwarding the complaint below about your post.

---------- Forwarded message ---------
From: Lisa Park <lisa@example.com>
Date: Tue, Dec 1, 2026 at 10:00 AM
Subject: Copyright complaint

{EN_BODY}
"""


@pytest.mark.db
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_letter_to_the_one_who_wrote_a_forwarded_complaint_thanks_them_for_it_as_they_dated_it(
    tracker: Tracker, tmp_path: Path, lang: str
) -> None:
    """A platform's support forwards Lisa Park's mail of 1 December on 5 December. Answered to the support desk, the
    letter thanks it for its message of 5 December; once the owner records Lisa Park as the complainant, the letter
    is hers and thanks her for her message of 1 December (the body and the subject line), never of the day someone
    else passed it on."""
    image = tmp_path / "a.png"
    drawing(1).save(image)
    tracker("log", image, "--url", POST, "--persona", "moth")
    mail = tmp_path / "fwd.eml"
    mail.write_text(SUPPORT_FORWARD, encoding="utf-8")
    number = str(tracker.json("complaint", "add", "--from", mail, "--lang", lang)["id"])
    tracker("complaint", "decide", number, "--action", "take_down")
    forwarded, written = {"en": ("5 December 2026", "1 December 2026"), "ja": ("2026年12月5日", "2026年12月1日")}[lang]
    assert forwarded in tracker("complaint", "reply", number).stdout
    tracker("complaint", "set", number, "--name", "Lisa Park", "--contact", "lisa@example.com")
    reply = tracker("complaint", "reply", number)
    assert written in reply.stdout and forwarded not in reply.stdout
    assert f"subject line: {'Your message of ' if lang == 'en' else ''}{written}" in reply.stderr


FRIEND_FORWARD = f"""From: Kai Tanaka <kai@example.org>
To: {OWNER}
Subject: Fwd: about your picture
Date: Sat, 5 Dec 2026 18:00:00 +0000

Someone sent me this, I think it is meant for you.

---------- Forwarded message ---------
From: Lisa Park <lisa@example.com>
{{date}}Subject: Copyright complaint

{EN_BODY}
"""
UNDATED = {  # the opening and the subject line of the letter to Lisa Park, whose forwarded mail shows no day
    "en": ("Thank you for your message about ", "subject line: Your message: removal of my post"),
    "ja": ("このたびは、「", "subject line: いただいたご連絡について（投稿削除のご報告）"),
}


@pytest.mark.db
@pytest.mark.parametrize("date", ["", "Date: last Tuesday\n"])
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_letter_to_the_one_whose_forwarded_mail_shows_no_day_names_no_day(
    tracker: Tracker, tmp_path: Path, lang: str, date: str
) -> None:
    """A friend forwards Lisa Park's mail on 5 December, its date left out or unreadable. Answered to the friend, the
    letter thanks him for his message of 5 December; once the owner records Lisa Park as the complainant, the letter
    thanks her for her message, naming no day: 5 December is the friend's, not hers. So too when she withdraws."""
    image = tmp_path / "a.png"
    drawing(1).save(image)
    tracker("log", image, "--url", POST, "--persona", "moth")
    mail = tmp_path / "fwd.eml"
    mail.write_text(FRIEND_FORWARD.format(date=date), encoding="utf-8")
    number = str(tracker.json("complaint", "add", "--from", mail, "--lang", lang)["id"])
    tracker("complaint", "decide", number, "--action", "take_down")
    forwarded = {"en": "5 December 2026", "ja": "2026年12月5日"}[lang]
    assert forwarded in tracker("complaint", "reply", number).stdout
    tracker("complaint", "set", number, "--name", "Lisa Park", "--contact", "lisa@example.com")
    reply = tracker("complaint", "reply", number)
    opening, subject = UNDATED[lang]
    assert forwarded not in reply.stdout and "2026" not in reply.stdout, reply.stdout
    assert opening in reply.stdout and subject in reply.stderr, (reply.stdout, reply.stderr)
    assert "ご連絡をいただき、誠にありがとうございます。" in reply.stdout or lang == "en", reply.stdout
    tracker("complaint", "decide", number, "--action", "withdrawn")
    withdrawn = tracker("complaint", "reply", number).stdout
    said = {"en": "you have withdrawn your complaint. I consider", "ja": "\nお申し立てを取り下げられた旨のご連絡を"}[
        lang
    ]
    assert said in withdrawn and "2026" not in withdrawn, withdrawn


UNDATED_FORWARD = (
    "FYI: she wants it gone fast, I think she is bluffing\n\n---------- Forwarded message ---------\n"
    f"From: Lisa Park <lisa@example.com>\nSubject: Copyright\nTo: <{OWNER}>\n\n"
    + EN_BODY.replace("Please remove it.", "Please remove it within 48 hours.")
)
"""The owner forwarding Lisa Park's mail with its date line cut off, and a private note of their own above it."""


@pytest.mark.db
def test_a_forward_with_no_date_of_its_own_says_its_date_is_the_forwards(owner: Tracker, tmp_path: Path) -> None:
    """Its date, and the 48 hours counted from it, were the forward's, said as hers: now the intake says so, and the
    letter thanks her for her message without a day (not the day the owner forwarded it)."""
    path = tmp_path / "forward.eml"
    path.write_bytes(owner_mail("Fwd: Copyright", UNDATED_FORWARD))
    logged = owner("complaint", "add", "--from", path)
    assert "received   2026-12-07 23:30 UTC+09:00 (when it was forwarded: no date of its own)" in logged.stdout
    said = " ".join(logged.stderr.split())
    assert "the forwarded message gives no date of its own: taken as 2026-12-07 23:30 UTC+09:00" in said
    assert "may fall earlier: give its own date with --received" in said
    shown = owner.json("complaint", "show", "1")
    assert "bluffing" not in shown["message"], "the owner's note is not her message"
    owner("complaint", "decide", "1", "--action", "take_down")
    letter = owner("complaint", "reply", "1").stdout
    assert "Lisa Park" in letter.split("\n", 1)[0] and "7 December" not in letter and "2026" not in letter, letter
    typed = owner("complaint", "add", "--from", path, "--received", "2026-12-06T09:00+09:00", "--duplicate")
    assert "no date of its own" not in typed.stderr, "the date given is hers"


@pytest.mark.db
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_an_attached_forward_with_no_date_is_thanked_for_without_the_forwards_day(
    owner: Tracker, tmp_path: Path, lang: str
) -> None:
    """A forward attached (`message/rfc822`) with no Date: the intake warned, but the letter still thanked 佐藤 美咲
    for her message 「2026年12月7日に」, the day the owner forwarded it; now without a day, as an inline forward's."""
    raw = attached_forward().replace(b"Date: Sun, 06 Dec 2026 22:10:00 +0900\n", b"")
    assert b"06 Dec" not in raw
    path = tmp_path / "attached.eml"
    path.write_bytes(raw)
    logged = owner("complaint", "add", "--from", path, "--lang", lang)
    assert "no date of its own" in " ".join(logged.stderr.split())
    owner("complaint", "decide", "1", "--action", "take_down")
    letter = owner("complaint", "reply", "1").stdout
    assert "2026" not in letter and "7 December" not in letter, letter
    thanks = {"ja": "に関するご連絡をいただき、誠にありがとうございます。", "en": "Thank you for your message about"}
    assert thanks[lang] in letter, letter


def test_the_intake_forms_read_says_a_forwards_date_was_taken() -> None:
    from tracker.tui.message_fill import read_notes

    found = {"forward_dated": True, "received_at": datetime(2026, 12, 7, 14, 30, tzinfo=UTC), "received_clock": None}
    notes = " ".join(read_notes(found, received_filled=True, now=datetime(2026, 12, 8, tzinfo=UTC)))
    assert "The forwarded message gives no date of its own" in notes and "correct the received date" in notes
