"""`tracker complaint add --from FILE`: a complaint logged from the e-mail or message that arrived."""

from __future__ import annotations

from pathlib import Path

import pytest
from complaints.test_mail_parts import LETTER_TO_A_LAWYER
from fixtures import mail
from fixtures.common import Tracker
from fixtures.imagefactory import FORGE_INFOTEXT, pixels, write_png

pytestmark = pytest.mark.db

POST = "https://www.pixiv.net/artworks/123456"


@pytest.fixture
def logged(tracker: Tracker, tmp_path: Path) -> Tracker:
    """Post #1 on pixiv (the one the fixture messages name) and #2 on X, both of persona moth."""
    tracker("log", write_png(tmp_path / "a.png", {"parameters": FORGE_INFOTEXT}), "--url", POST, "--persona", "moth")
    image = write_png(tmp_path / "b.png", {"parameters": FORGE_INFOTEXT}, image=pixels(seed=8))
    tracker("log", image, "--url", "https://x.com/moth_ai/status/1800000000000000001")
    return tracker


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_a_japanese_email(logged: Tracker, tmp_path: Path) -> None:
    added = logged.json("complaint", "add", "--from", _write(tmp_path, "c.eml", mail.japanese_complaint()))
    assert added["complainant_name"] == "髙橋 花子" and added["complainant_contact"] == "hanako@example.jp"
    assert added["received_at"] == "2026-11-30T05:05:00+00:00"
    assert added["channel"] == "email" and added["legal_basis"] == "jp" and added["language"] == "ja"
    assert [p["id"] for p in added["posts"]] == [1], "the logged post's URL names it"
    assert added["claimed_urls"] == ["https://example.jp/works/9"], "any other URL is the work's"
    assert "著作権侵害" in added["message"]


def test_a_dmca_notice_with_options_overriding_the_file(logged: Tracker, tmp_path: Path) -> None:
    path = _write(tmp_path, "dmca.eml", mail.dmca_notice("quoted-printable"))
    shown = logged("complaint", "add", "--from", path, "--name", "Art Studio LLC", "--received", "2026-12-02").stdout
    assert "Read from dmca.eml:" in shown and "basis      DMCA (US)" in shown
    received = next(line for line in shown.splitlines() if line.strip().startswith("received"))
    assert "2026-12-01 09:30 UTC-05:00" in received, f"the sender's time, saying whose clock: {received!r}"
    added = logged.json("complaint", "show", "1")
    assert added["complainant_name"] == "Art Studio LLC", "an option wins over the file"
    assert added["complainant_contact"] == "legal@artstudio.example"
    assert added["received_at"].startswith("2026-12-0") and added["legal_basis"] == "dmca"
    assert sorted(p["id"] for p in added["posts"]) == [1, 2] and added["language"] == "en"


def test_attached_images_become_complaint_images(logged: Tracker, tmp_path: Path) -> None:
    added = logged.json("complaint", "add", "--from", _write(tmp_path, "img.eml", mail.with_images()))
    assert sorted(image["original_name"] for image in added["images"]) == ["moth.png", "元絵.jpg"]
    assert all(Path(image["archive_file"]).is_file() for image in added["images"])


def test_a_pasted_pixiv_message(logged: Tracker, tmp_path: Path) -> None:
    added = logged.json("complaint", "add", "--from", _write(tmp_path, "pixiv.txt", mail.pasted_pixiv()))
    assert added["complainant_name"] == "山田 花子" and added["complainant_contact"] == "hanako@example.jp"
    assert added["channel"] == "platform_form" and added["legal_basis"] == "jp"
    assert [p["id"] for p in added["posts"]] == [1]
    assert added["claimed_urls"] == ["https://www.pixiv.net/artworks/987654"]


def test_nothing_is_kept_when_the_file_cannot_be_read(logged: Tracker, tmp_path: Path) -> None:
    garbage = _write(tmp_path, "junk.eml", bytes(range(256)) * 64)
    result = logged("complaint", "add", "--from", garbage, ok=False)
    assert result.exit_code != 0 and len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("tracker: error: ") and "Traceback" not in result.output
    assert logged.json("complaint", "list", "--all") == []


SJIS_PASTE = """件名：著作権侵害による削除依頼
日時：2026/11/30 14:05

Moth Atelier 様

突然のご連絡失礼いたします。イラストレーターの佐藤美咲と申します。
貴殿がpixivに投稿された作品 https://www.pixiv.net/artworks/123456 は、私の作品「月夜の港町」（https://www.pixiv.net/artworks/99887766 ）を無断で使用したものと思われます。
著作権法に基づき、12月4日までに当該作品を削除していただくようお願い申し上げます。

佐藤美咲
misaki.sato@example.jp
"""


def test_a_pasted_japanese_message_gives_its_writer_deadline_and_right(logged: Tracker, tmp_path: Path) -> None:
    path = _write(tmp_path, "msg.txt", SJIS_PASTE.replace("\n", "\r\n").encode("cp932"))
    result = logged("complaint", "add", "--from", path)
    assert "Logged complaint #1: answer by 2026-12-04" in result.stdout, "the day it asks for, not received + 7"
    assert "from       佐藤美咲" in result.stdout
    assert "the right claimed" not in result.stdout, "著作権法 / 無断 name the right"
    warning = [line for line in result.stderr.splitlines() if "2026-12-04" in line]
    assert len(warning) == 1 and "before the usual answer target 2026-12-07" in warning[0]
    shown = logged.json("complaint", "show", "1")
    assert shown["complainant_name"] == "佐藤美咲" and shown["completeness"]["right"] is True
    assert shown["missing_elements"] == []


def test_the_same_message_twice_is_refused_unless_asked(logged: Tracker, tmp_path: Path) -> None:
    path = _write(tmp_path, "msg.txt", SJIS_PASTE.encode("cp932"))
    logged("complaint", "add", "--from", path)
    again = logged("complaint", "add", "--from", path, ok=False)
    assert again.exit_code == 1 and len(again.stderr.splitlines()) == 1
    assert (
        again.stderr.startswith("tracker: error: complaint #1 holds the same message") and "--duplicate" in again.stderr
    )
    assert [c["id"] for c in logged.json("complaint", "list")] == [1], "nothing logged"
    forced = logged("complaint", "add", "--from", path, "--duplicate")
    assert "Logged complaint #2" in forced.stdout
    assert "tracker: warning: complaint #1 holds the same message" in forced.stderr
    typed = logged("complaint", "add", "--persona", "moth", "--message", "  you copied me ", ok=True)
    assert typed.exit_code == 0
    twice = logged("complaint", "add", "--persona", "moth", "--message", "you copied me", ok=False)
    assert "complaint #3 holds the same message" in twice.stderr


def test_the_day_asked_for_counts_from_the_received_date_given(logged: Tracker, tmp_path: Path) -> None:
    undated = SJIS_PASTE.replace("日時：2026/11/30 14:05\n", "").replace("12月4日", "12月2日")
    path = _write(tmp_path, "undated.txt", undated.encode("cp932"))
    logged("complaint", "add", "--from", path, "--received", "2026-12-01T09:00")
    assert logged.json("complaint", "show", "1")["deadline_at"].startswith("2026-12-0")
    shown = logged("complaint", "show", "1").stdout
    assert "answer by  2026-12-02" in shown, "12月2日 is after the received day given, whatever today is"


TEXTBOOK_DMCA = """\
From: "Jordan Lee" <legal@brightmill.example>
To: moth@example.com
Subject: DMCA Takedown Notice - Unauthorized use of copyrighted artwork
Date: Thu, 03 Dec 2026 18:04:00 -0800
Content-Type: text/plain; charset=utf-8

Dear Sir or Madam,

I am writing on behalf of Brightmill Studio, the copyright owner of the illustration "Night Market"
(https://brightmill.example/works/night-market).

The following post reproduces our artwork without authorization:
https://www.pixiv.net/artworks/123456

I have a good faith belief that use of the material in the manner complained of is not authorized by
the copyright owner, its agent, or the law. The information in this notification is accurate, and under
penalty of perjury, I am authorized to act on behalf of the owner.

Please remove it within 48 hours.

/s/ Jordan Lee
Brightmill Studio, Legal
legal@brightmill.example
"""


def test_a_textbook_dmca_notice_lacks_nothing(logged: Tracker, tmp_path: Path) -> None:
    """Its statements, signature, work, the sender's role and the 48 hours it asks for are read, not reported missing."""
    path = _write(tmp_path, "notice.eml", TEXTBOOK_DMCA.encode())
    shown = logged("complaint", "add", "--from", path).stdout
    assert "lacks" not in shown and "complete (every required element is there)" in shown
    added = logged.json("complaint", "show", "1")
    assert added["missing_elements"] == []
    assert (added["complainant_org"], added["complainant_role"]) == (None, "agent")  # its client, not its organisation
    assert added["claimed_title"] == "Night Market"
    assert added["deadline_at"] == "2026-12-06T02:04:00+00:00", "48 hours after it arrived"


def test_an_owners_perjury_statement_is_not_reported_missing(logged: Tracker, tmp_path: Path) -> None:
    """An owner who swears they own the right, not that they act for its owner, is not told they lack (vi)."""
    text = TEXTBOOK_DMCA.replace("I am writing on behalf of Brightmill Studio, the", "I am the").replace(
        "I am authorized to act on behalf of the owner.",
        "I am the owner of an exclusive right that is allegedly\ninfringed.",
    )
    shown = logged("complaint", "add", "--from", _write(tmp_path, "notice.eml", text.encode())).stdout
    assert "lacks" not in shown and "complete (every required element is there)" in shown
    logged("complaint", "decide", "1", "--action", "invalid")
    letter = logged.json("complaint", "reply", "1")["text"]
    assert "penalty of perjury" not in letter, "the letter never says it lacks what it says"


def test_a_basis_given_by_hand_reads_that_basis_statements(logged: Tracker, tmp_path: Path) -> None:
    """A notice that never says "DMCA" but has its statements, logged with --basis dmca, lacks nothing it states."""
    text = TEXTBOOK_DMCA.replace("DMCA Takedown Notice - ", "")
    path = _write(tmp_path, "notice.eml", text.encode())
    logged("complaint", "add", "--from", path, "--basis", "dmca")
    added = logged.json("complaint", "show", "1")
    assert added["legal_basis"] == "dmca" and added["missing_elements"] == []


def test_a_notice_making_the_dmca_statements_is_read_as_a_dmca_notice(logged: Tracker, tmp_path: Path) -> None:
    """It never says "DMCA", but its good-faith and penalty-of-perjury statements are the DMCA's own."""
    text = TEXTBOOK_DMCA.replace("DMCA Takedown Notice - ", "")
    logged("complaint", "add", "--from", _write(tmp_path, "notice.eml", text.encode()))
    added = logged.json("complaint", "show", "1")
    assert added["legal_basis"] == "dmca" and added["missing_elements"] == []


@pytest.mark.parametrize(
    "text",
    [
        "Hey, in good faith I'm asking you: please take down " + POST + ", it looks like my OC.\n"
        "I'm not threatening anything like penalty of perjury stuff, just asking nicely.\n",
        "Take it down, please.\n\n> 2. I swear, under penalty of perjury, that I have a good faith belief that the\n"
        "> material was removed as a result of mistake or misidentification.\n",
    ],
)
def test_the_dmcas_words_alone_do_not_make_a_dmca_notice(logged: Tracker, tmp_path: Path, text: str) -> None:
    """A casual message using the words, or one quoting the owner's own counter-notice, is not a DMCA notice."""
    logged("complaint", "add", "--from", _write(tmp_path, "casual.txt", text.encode()))
    assert logged.json("complaint", "show", "1")["legal_basis"] == "none"


def test_a_casual_message_is_not_read_as_a_notice(logged: Tracker, tmp_path: Path) -> None:
    text = f"hey, you stole my art!!! take it down: {POST}\nI'll file a DMCA if you don't.\n"
    logged("complaint", "add", "--from", _write(tmp_path, "angry.txt", text.encode()))
    added = logged.json("complaint", "show", "1")
    assert added["legal_basis"] == "dmca"
    assert len(added["missing_elements"]) == 4, "only the post's URL (the location) is there"
    assert added["unchecked_elements"] == ["work"], "a work said in words of its own: the owner's to judge"
    assert added["complainant_org"] is None and added["claimed_title"] is None


def test_a_bilingual_notice_gets_the_sooner_of_its_deadlines(logged: Tracker, tmp_path: Path) -> None:
    text = f"12月20日までに削除してください。\n{POST}\n\nPlease remove the image within 48 hours.\n"
    logged("complaint", "add", "--from", _write(tmp_path, "both.txt", text.encode()), "--received", "2026-12-04T10:00Z")
    assert logged.json("complaint", "show", "1")["deadline_at"] == "2026-12-06T10:00:00+00:00"


def test_a_basis_corrected_later_reads_what_the_message_states_for_it(logged: Tracker, tmp_path: Path) -> None:
    """Logged with no basis (the notice never says "DMCA"), corrected to the DMCA: it lacks nothing it states."""
    text = TEXTBOOK_DMCA.replace("DMCA Takedown Notice - ", "")
    logged("complaint", "add", "--from", _write(tmp_path, "notice.eml", text.encode()), "--basis", "none")
    logged("complaint", "set", "1", "--basis", "dmca")
    shown = logged.json("complaint", "show", "1")
    assert shown["legal_basis"] == "dmca" and shown["missing_elements"] == []


def test_a_name_given_with_the_new_basis_is_read_with_it(logged: Tracker, tmp_path: Path) -> None:
    """`complaint set --basis dmca --name X`: the notice is read for the DMCA under the name given with it,
    so the typed name closing the message is its signature."""
    text = (
        f'My drawing "Dawn" is copied at {POST} without my permission.\n\n'
        "I have a good faith belief that this use is not authorized by me, my agent, or the law.\n\n"
        "Jordan Lee\n"
    )
    logged("complaint", "add", "--from", _write(tmp_path, "plain.txt", text.encode()), "--basis", "none")
    assert logged.json("complaint", "show", "1")["complainant_name"] is None, "a plain text names no one"
    logged("complaint", "set", "1", "--basis", "dmca", "--name", "Jordan Lee")
    shown = logged.json("complaint", "show", "1")
    assert shown["complainant_name"] == "Jordan Lee" and shown["completeness"]["signature"] is True


@pytest.mark.parametrize(
    ("name", "head", "said"),
    [
        (
            "their.png",
            b"\x89PNG\r\n\x1a\n",
            "an image, not a text file or a saved e-mail (a complainant's image goes with --image)",
        ),
        ("notice.pdf", b"%PDF-1.7\n", "a PDF, not a text file or a saved e-mail"),
        ("shot.webp", b"RIFF\x00\x00\x00\x00WEBPVP8 ", "an image"),
    ],
)
def test_a_file_that_is_no_message_is_refused(
    logged: Tracker, tmp_path: Path, name: str, head: bytes, said: str
) -> None:
    """An image given to --from by a slip (instead of --image) is never stored as a message of binary text."""
    path = _write(tmp_path, name, head + b"tEXtparameters\x00" + b"a long prompt, " * 20_000)
    result = logged("complaint", "add", "--from", path, ok=False)
    assert result.exit_code == 2 and said in result.stderr and len(result.stderr.splitlines()) == 1
    assert logged.json("complaint", "list") == [], "nothing logged"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (f"Your post {POST} copies my work.\n\nSincerely,\n/s/ Rachel Kim\nBrightline IP Services\n", "Rachel Kim"),
        (f"Hi, my name is John Smith and you copied my drawing: {POST}\nJohn Smith\n", "John Smith"),
    ],
)
def test_an_english_writer_who_signs_or_says_their_name_is_not_unnamed(
    logged: Tracker, tmp_path: Path, text: str, name: str
) -> None:
    logged("complaint", "add", "--from", _write(tmp_path, "pasted.txt", text.encode()))
    shown = logged.json("complaint", "show", "1")
    assert shown["complainant_name"] == name
    assert (
        logged("complaint", "decide", "1", "--action", "ask_info") and name in logged("complaint", "reply", "1").stdout
    )


def test_a_handle_in_the_from_header_gives_way_to_the_name_the_writer_introduces(
    logged: Tracker, tmp_path: Path
) -> None:
    mail_text = (
        "From: =?utf-8?b?44GX44Ga44GPQOOBiuS7leS6i+WLn+mbhuS4rQ==?= <shizuku@example.jp>\n"
        "Date: Fri, 04 Dec 2026 08:30:00 +0900\nSubject: =?utf-8?b?5YmK6Zmk44Gu44GK6aGY44GE?=\n"
        "Content-Type: text/plain; charset=utf-8\n\n"
        f"突然のご連絡失礼いたします。イラストレーターの月影しずくと申します。\n{POST} の削除をお願いいたします。\n"
    )
    logged("complaint", "add", "--from", _write(tmp_path, "c.eml", mail_text.encode()))
    assert logged.json("complaint", "show", "1")["complainant_name"] == "月影しずく"


def test_a_lawyer_is_addressed_as_sensei_with_the_title_once(logged: Tracker, tmp_path: Path) -> None:
    mail_text = (
        "From: =?utf-8?b?5byB6K235aOrIOWxseeUsOWkqumDjg==?= <yamada@example.jp>\n"  # 弁護士 山田太郎
        "Date: Fri, 04 Dec 2026 08:30:00 +0900\nSubject: =?utf-8?b?5YmK6Zmk44Gu44GK6aGY44GE?=\n"
        "Content-Type: text/plain; charset=utf-8\n\n"
        f"桜坂法律事務所の弁護士山田太郎と申します。\n{POST} の削除をお願いいたします。\n"
    )
    logged("complaint", "add", "--from", _write(tmp_path, "c.eml", mail_text.encode()), "--lang", "ja")
    assert logged.json("complaint", "show", "1")["complainant_name"] == "山田太郎"
    logged("complaint", "decide", "1", "--action", "take_down")
    letter = logged("complaint", "reply", "1").stdout
    assert "弁護士 山田太郎 先生" in letter and "弁護士山田太郎" not in letter, "the title once, before the name"


def test_an_attachment_that_is_not_an_image_is_named_not_dropped(logged: Tracker, tmp_path: Path) -> None:
    shown = logged("complaint", "add", "--from", _write(tmp_path, "img.eml", mail.with_images())).stdout
    assert "not kept   proof.pdf (not an image): save what you need yourself" in shown


def test_a_damaged_attached_image_is_left_out_not_the_complaint(logged: Tracker, tmp_path: Path) -> None:
    """One broken picture in a mail refused the whole complaint (exit 1, nothing logged, no way on)."""
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"] = "Jane Doe <jane@example.com>"
    message["Date"] = "Tue, 01 Dec 2026 09:30:00 +0000"
    message.set_content(f"Please take down {POST}\n")
    message.add_attachment(mail.png_bytes(), maintype="image", subtype="png", filename="mine.png")
    message.add_attachment(b"\x89PNG\r\n\x1a\n" + b"garbage" * 50, maintype="image", subtype="png", filename="x.png")
    shown = logged("complaint", "add", "--from", _write(tmp_path, "d.eml", message.as_bytes())).stdout
    assert "not kept   x.png (damaged or truncated image): save what you need yourself" in shown
    assert "images     mine.png" in shown
    added = logged.json("complaint", "show", "1")
    assert [p["id"] for p in added["posts"]] == [1] and len(added["images"]) == 1


def test_a_linked_screenshot_is_not_the_complainants_work(logged: Tracker, tmp_path: Path) -> None:
    text = (
        f"貴殿の投稿 {POST} は私の作品「星空」の無断転載です。\n"
        "元の作品：https://example.jp/works/hoshizora\n"
        "スクリーンショット：https://i.imgur.com/AbCd123.png\n"
    )
    logged("complaint", "add", "--from", _write(tmp_path, "link.txt", text.encode()))
    assert logged.json("complaint", "show", "1")["claimed_urls"] == ["https://example.jp/works/hoshizora"]


DSA_NOTICE = """Notice under Article 16 of the Digital Services Act (Regulation (EU) 2022/2065)

Notifier: Lena Hoffmann, illustrator, Berlin
Email: lena.hoffmann@example.de

Illegal content: the image at {post} is an unauthorised reproduction of my painting "Winter Garden", which is
protected under German copyright law (UrhG §§ 15, 16, 19a).

I confirm my bona fide belief that the information and allegations contained in this notice are accurate and complete.

Lena Hoffmann
15 November 2026
"""


def test_a_dsa_notifier_who_gives_her_name_and_email_is_not_asked_for_them(logged: Tracker, tmp_path: Path) -> None:
    """`Notifier:` and `Email:` lines are the notifier's name and e-mail (DSA Art. 16(2)(c)): the letter greets her
    by name and does not ask her for what she gave."""
    logged("complaint", "add", "--from", _write(tmp_path, "dsa.txt", DSA_NOTICE.format(post=POST).encode()))
    shown = logged.json("complaint", "show", "1")
    assert (shown["complainant_name"], shown["complainant_contact"]) == ("Lena Hoffmann", "lena.hoffmann@example.de")
    assert shown["completeness"]["name_email"] is True
    logged("complaint", "decide", "1", "--action", "ask_info")
    letter = logged("complaint", "reply", "1", "--json").stdout
    assert "Dear Lena Hoffmann," in letter and "your name and e-mail address" not in letter


SIGNED_WITH_PROFILE = """私の作品「夜の港」を無断で加工したものが投稿されています。
https://www.pixiv.net/artworks/123456
元の作品はこちらです：https://www.pixiv.net/artworks/98765
削除をお願いいたします。

佐藤 美咲
X: https://x.com/misaki_draws
pixiv: https://www.pixiv.net/users/4242
"""


def test_a_profile_in_the_signature_is_not_where_the_work_is(logged: Tracker, tmp_path: Path) -> None:
    """The writer's account pages under their name say who they are, not which work: only the work's own post is
    the work's URL, so an ask-for-more letter still asks where their work is when that is all they gave."""
    added = logged.json("complaint", "add", "--from", _write(tmp_path, "m.txt", SIGNED_WITH_PROFILE.encode()))
    assert [p["id"] for p in added["posts"]] == [1]
    assert added["claimed_urls"] == ["https://www.pixiv.net/artworks/98765"]
    no_work = SIGNED_WITH_PROFILE.replace("元の作品はこちらです：https://www.pixiv.net/artworks/98765\n", "")
    added = logged.json("complaint", "add", "--from", _write(tmp_path, "n.txt", no_work.encode()))
    assert added["claimed_urls"] == []
    in_the_body = "私の作品はこちらのページにあります：https://x.com/misaki_draws\n" + no_work
    added = logged.json("complaint", "add", "--from", _write(tmp_path, "o.txt", in_the_body.encode()))
    assert added["claimed_urls"] == ["https://x.com/misaki_draws"], "named as the work's place in their words: kept"


SIGNED_WITH_ADDRESS = """はじめまして、佐藤美咲と申します。
https://www.pixiv.net/artworks/123456 は私の作品の無断転載です。
元の作品はこちらです：https://www.pixiv.net/artworks/98765
削除をお願いいたします。

佐藤 美咲
{title}
メール：misaki.sato.art@example.jp
X: https://x.com/misaki_sato_art
"""


@pytest.mark.parametrize("title", ["デジタルアーティスト", "イラストレーター", "Illustrator / Artist"])
def test_an_address_or_a_job_title_in_the_signature_does_not_make_the_profile_a_work(
    logged: Tracker, tmp_path: Path, title: str
) -> None:
    """`.art` in her e-mail address, or her job title, on the line above her X profile is no word of a work."""
    text = SIGNED_WITH_ADDRESS.format(title=title)
    added = logged.json("complaint", "add", "--from", _write(tmp_path, "m.txt", text.encode()))
    assert added["claimed_urls"] == ["https://www.pixiv.net/artworks/98765"], "her profile says who she is"
    title_last = text.replace(f"{title}\n", "").replace("X: https", f"{title}\nX: https")
    added = logged.json("complaint", "add", "--from", _write(tmp_path, "n.txt", title_last.encode()), "--duplicate")
    assert added["claimed_urls"] == ["https://www.pixiv.net/artworks/98765"]


def test_a_short_message_giving_a_profile_as_the_work_keeps_it(logged: Tracker, tmp_path: Path) -> None:
    short = f"元の作品：https://x.com/misaki_draws\n{POST} を削除してください。\n佐藤\n"
    added = logged.json("complaint", "add", "--from", _write(tmp_path, "p.txt", short.encode()))
    assert added["claimed_urls"] == ["https://x.com/misaki_draws"], "before their last sentence: their words"
    english = (
        f"Your post {POST} copies my drawing. Please remove it.\n\nBest regards,\nJane Doe\nhttps://x.com/jane_d\n"
    )
    added = logged.json("complaint", "add", "--from", _write(tmp_path, "q.txt", english.encode()))
    assert added["claimed_urls"] == []


def test_a_mails_subject_is_kept_with_its_message_and_read(logged: Tracker, tmp_path: Path) -> None:
    """The subject is how the owner finds the mail again, and often all it says of the work or the right: it was read
    for the legal basis alone, then dropped."""
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"] = "佐藤 美咲 <misaki@example.jp>"
    message["Date"] = "Mon, 30 Nov 2026 14:05:00 +0900"
    message["Subject"] = "拙作「夜の港」の無断転載について（著作権侵害）"
    message.set_content(f"{POST} の削除をお願いいたします。\n")
    path = _write(tmp_path, "s.eml", message.as_bytes())
    added = logged.json("complaint", "add", "--from", path)
    assert added["message"].startswith("Subject: 拙作「夜の港」の無断転載について（著作権侵害）\n\n")
    assert added["claimed_title"] == "夜の港"
    again = logged("complaint", "add", "--from", path, ok=False)
    assert "holds the same message" in again.output, "the same mail read twice is still known for the same"


WRAPPED = (
    "はじめまして、佐藤美咲と申します。私が2024年8月に発表したイラスト\n「ひまわりの少女」を無断で加工した画像が"
    f"\n{POST} に投稿されています。\n削除をお願いいたします。\n"
)
"""A body a mail program wrapped: the title's quotes on the line after the word naming the work."""
SUBJECT = "【著作権侵害】「ひまわりの少女」無断使用作品の削除のお願い"


def test_a_title_wrapped_onto_the_next_line_is_read(logged: Tracker, tmp_path: Path) -> None:
    added = logged.json("complaint", "add", "--from", _write(tmp_path, "w.txt", WRAPPED.encode()))
    assert added["claimed_title"] == "ひまわりの少女"


def test_a_title_only_the_subject_gives_is_read(logged: Tracker, tmp_path: Path) -> None:
    """The subject quotes the work alone (no 作品 or イラスト before it) and the body names no title."""
    from email.message import EmailMessage

    body = f"{POST} の削除をお願いいたします。\n"
    message = EmailMessage()
    message["From"] = "佐藤 美咲 <misaki@example.jp>"
    message["Date"] = "Mon, 30 Nov 2026 14:05:00 +0900"
    message["Subject"] = SUBJECT
    message.set_content(body)
    added = logged.json("complaint", "add", "--from", _write(tmp_path, "s.eml", message.as_bytes()))
    assert added["claimed_title"] == "ひまわりの少女"
    pasted = f"差出人: 佐藤 美咲 <misaki@example.jp>\n件名: {SUBJECT}\n\n{body}"
    added = logged.json("complaint", "add", "--message", pasted)
    assert added["claimed_title"] == "ひまわりの少女", "a pasted message's 件名: line is its subject"
    about = f"差出人: 佐藤 美咲 <misaki@example.jp>\n件名: 「無断転載」について\n\n{body}"
    assert logged.json("complaint", "add", "--message", about)["claimed_title"] is None, "a word quoted, no work"


@pytest.mark.parametrize(
    "work",
    ["https://civitai.com/models/12345/janes-oc-lora", "https://www.deviantart.com/jane/gallery/12345/my-oc"],
)
def test_a_work_page_after_the_last_sentence_is_still_the_work(logged: Tracker, tmp_path: Path, work: str) -> None:
    """`My original work:` then the link, under the request: a model or gallery page is the work, not a signature."""
    text = (
        f"Your post {POST} copies my character. Please remove it under the DMCA.\nMy original work:\n{work}\nJane Doe\n"
    )
    added = logged.json("complaint", "add", "--from", _write(tmp_path, "w.txt", text.encode()))
    assert added["claimed_urls"] == [work]


ART = "https://example-art-site.jp/ユーザー/月の影/作品/12345"
ART_ESCAPED = (
    "https://example-art-site.jp/%E3%83%A6%E3%83%BC%E3%82%B6%E3%83%BC/%E6%9C%88%E3%81%AE%E5%BD%B1"
    "/%E4%BD%9C%E5%93%81/12345"
)


@pytest.mark.parametrize("quoted", [ART, ART_ESCAPED], ids=["as shown", "as a browser copies it"])
def test_a_post_with_a_japanese_path_is_named_by_its_url(logged: Tracker, tmp_path: Path, quoted: str) -> None:
    logged("log", write_png(tmp_path / "c.png", {}, image=pixels(seed=9)), "--url", ART, "--platform", "artsite")
    text = f"佐藤と申します。私の作品：https://example-portfolio.jp/作品/京都の雨。\n{quoted} を削除してください。"
    shown = logged("complaint", "add", "--from", _write(tmp_path, "ja.txt", text.encode())).stdout
    assert f"posts      {quoted}\n" in shown and "work URLs  https://example-portfolio.jp/作品/京都の雨\n" in shown
    added = logged.json("complaint", "show", "1")
    assert [post["url"] for post in added["posts"]] == [ART]
    assert added["claimed_urls"] == ["https://example-portfolio.jp/作品/京都の雨"]


def test_a_letter_to_a_lawyer_filed_last_name_first_greets_him_first_name_first(
    logged: Tracker, tmp_path: Path
) -> None:
    shown = logged("complaint", "add", "--from", _write(tmp_path, "l.eml", LETTER_TO_A_LAWYER.encode())).stdout
    assert "from       Mark Halvorsen\n" in shown and "for        Halvorsen & Reed LLP\n" in shown
    logged("complaint", "decide", "1", "--action", "take_down")
    assert logged("complaint", "reply", "1").stdout.startswith("Dear Mark Halvorsen,\n")


FORWARDED_BY_PIXIV = """From: pixiv <no-reply@pixiv.net>
To: moth@example.com
Subject: =?UTF-8?B?W3BpeGl2XSDmqKnliKnkvrXlrrPjga7nlLPjgZfnq4vjgabjgavjgaTjgYTjgaY=?=
Date: Mon, 30 Nov 2026 10:00:00 +0900
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

pixivをご利用いただきありがとうございます。
あなたの作品について、以下の申し立てがありました。
Case number: PX-2026-55123

--- Notice ---
Name: Robert King
{contact}I have a good faith belief that the use is not authorized by the copyright owner.
"""


@pytest.mark.parametrize("contact", ["Email: robert.king@example.net\n", ""], ids=["given", "not given"])
def test_a_notice_a_platform_forwards_from_no_reply_names_the_platform_not_its_robot(
    logged: Tracker, tmp_path: Path, contact: str
) -> None:
    path = _write(tmp_path, "pixiv.eml", FORWARDED_BY_PIXIV.format(contact=contact).encode())
    shown = logged("complaint", "add", "--from", path).stdout
    assert "platform   pixiv\n" in shown and "no-reply" not in shown
    added = logged.json("complaint", "show", "1")
    assert (added["platform"], added["ticket_id"]) == ("pixiv", "PX-2026-55123")
    assert added["complainant_contact"] == ("robert.king@example.net" if contact else None)


def test_a_platform_given_by_hand_wins_over_the_one_read(logged: Tracker, tmp_path: Path) -> None:
    path = _write(tmp_path, "pixiv.eml", FORWARDED_BY_PIXIV.format(contact="").encode())
    assert logged.json("complaint", "add", "--from", path, "--platform", "x")["platform"] == "x"


FOLLOW_UP = """From: Robert King <robert.king@example.net>
To: moth@example.com
Subject: FW: DMCA takedown notice
Date: Mon, 07 Dec 2026 10:00:00 -0500
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

I have not heard back about my notice below. Please act on it.

Robert King

-----Original Message-----
From: {quoted_from}
Sent: Monday, November 30, 2026 10:00 AM
To: moth@example.com
Subject: DMCA takedown notice

{notice}
"""
QUOTED_NOTICE = f"""Your post {POST} copies my illustration "Night Market".
I have a good faith belief that use of the material in the manner complained of is not authorized by the copyright
owner, its agent, or the law.
I swear, under penalty of perjury, that the information in this notification is accurate and that I am the copyright
owner.

/s/ Robert King"""


@pytest.mark.parametrize(
    "quoted_from", ["Robert King <robert.king@example.net>", "King, Robert <robert.king@example.net>"]
)
def test_a_follow_up_repeating_the_writers_notice_is_not_asked_for_it_again(
    logged: Tracker, tmp_path: Path, quoted_from: str
) -> None:
    text = FOLLOW_UP.format(quoted_from=quoted_from, notice=QUOTED_NOTICE)
    logged("complaint", "add", "--from", _write(tmp_path, "fw.eml", text.encode()), "--received", "2026-12-07T15:00Z")
    complaint = logged.json("complaint", "show", "1")
    assert complaint["completeness"]["good_faith"] and complaint["completeness"]["accuracy"]
    logged("complaint", "decide", "1", "--action", "ask_info")
    letter = logged("complaint", "reply", "1").stdout
    assert "good faith" not in letter and "perjury" not in letter, letter


def test_the_owners_letter_quoted_in_a_follow_up_states_nothing_for_the_writer(logged: Tracker, tmp_path: Path) -> None:
    owners = (
        "Before I can look into it, I need a statement that you believe in good faith that the use is not authorised\n"
        "by the copyright owner, and a statement, under penalty of perjury, that your notice is accurate and that you\n"
        "are the owner or are authorised to act for the owner."
    )
    text = FOLLOW_UP.format(quoted_from="Moth Atelier <moth@example.com>", notice=owners)
    logged("complaint", "add", "--from", _write(tmp_path, "fw.eml", text.encode()), "--received", "2026-12-07T15:00Z")
    completeness = logged.json("complaint", "show", "1")["completeness"]
    assert not completeness["good_faith"] and not completeness["accuracy"]


SIGNED_AFTER_KIND_REGARDS = """Hello,

I'm writing from Vienna, Austria. Under Article 16 of the Digital Services Act I report the image at {post} , \
which reproduces my painting "Night Moth" (https://www.artstation.com/artwork/abc123). It is my own work and I \
hold the copyright.

I confirm my bona fide belief that the information and allegations in this notice are accurate and complete.

Kind regards,
Maria Huber
maria.huber@example.at
"""


def test_a_name_signing_after_kind_regards_is_the_notifiers_and_is_not_asked_for(
    logged: Tracker, tmp_path: Path
) -> None:
    """She signs `Kind regards,` / `Maria Huber` above her address: the record names her, the notice lacks no name
    and e-mail (DSA Art. 16(2)(c)), and the ask_info letter greets her and asks for neither."""
    logged(
        "complaint", "add", "--from", _write(tmp_path, "dsa3.txt", SIGNED_AFTER_KIND_REGARDS.format(post=POST).encode())
    )
    shown = logged.json("complaint", "show", "1")
    assert (shown["complainant_name"], shown["complainant_contact"]) == ("Maria Huber", "maria.huber@example.at")
    assert shown["completeness"]["name_email"] is True
    logged("complaint", "decide", "1", "--action", "ask_info")
    letter = logged.json("complaint", "reply", "1")["text"]
    assert letter.startswith("Dear Maria Huber,") and "Hello," not in letter
    assert "name and e-mail address" not in letter and "your e-mail address" not in letter


PERSONAL_REQUEST = (
    "イラストレーターの佐藤美咲と申します。貴殿がpixivに投稿された作品（https://www.pixiv.net/artworks/123456）が、"
    "私の作品をAIの元画像として使用したものと思われます。12月8日までに削除していただけますようお願い申し上げます。\n"
)


def _mail(subject: str, body: str, sender: str = "佐藤美咲 <misaki@example.jp>") -> bytes:
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, "moth@example.com", subject
    message["Date"] = "Mon, 07 Dec 2026 10:00:00 +0900"
    message.set_content(body)
    return bytes(message)


def test_a_personal_request_to_delete_cites_no_law(logged: Tracker, tmp_path: Path) -> None:
    """An artist's own e-mail, 件名「作品の削除依頼」, naming no law nor a platform's procedure, is a direct request:
    basis none (it was "Japanese platform law", its notice lacking "the post is identified with its URL"), the
    day it asks for kept, and its letter asks them for nothing a formal notice needs."""
    path = _write(tmp_path, "misaki.eml", _mail("作品の削除依頼", PERSONAL_REQUEST))
    result = logged("complaint", "add", "--from", path)
    assert "Japanese platform law" not in result.stdout
    added = logged.json("complaint", "show", "1")
    assert added["legal_basis"] == "none" and added["missing_elements"] == []
    assert added["deadline_at"] == "2026-12-08T14:59:59+00:00", "the day it asks for, on Japan's clock"
    shown = logged("complaint", "show", "1").stdout
    assert "basis      none given" in shown and "no formal elements for this legal basis" in shown
    logged("complaint", "decide", "1", "--action", "take_down")
    letter = logged("complaint", "reply", "1").stdout
    assert "含まれておりませんでした" not in letter and "ご住所" not in letter and "通知書" not in letter


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        ("削除依頼", "著作権法に基づき、" + PERSONAL_REQUEST),  # the law the right stands on
        ("送信防止措置依頼", PERSONAL_REQUEST),  # the law's procedure
        ("侵害情報の通知書", PERSONAL_REQUEST),  # 侵害情報の通知書 兼 送信防止措置依頼書, its form's name
        (  # pixiv passing a removal request on: its procedure, in the platform's own words
            "作品の削除依頼について",
            "pixiv事務局です。\nお客様が投稿された作品 https://www.pixiv.net/artworks/123456 について、"
            "権利者の方から削除依頼の申し立てがありました。内容をご確認ください。\n\npixiv事務局\n",
        ),
    ],
)
def test_a_request_citing_the_law_or_from_a_platform_stays_japans(
    logged: Tracker, tmp_path: Path, subject: str, body: str
) -> None:
    path = _write(tmp_path, "notice.eml", _mail(subject, body))
    logged("complaint", "add", "--from", path)
    shown = logged.json("complaint", "show", "1")
    assert shown["legal_basis"] == "jp"
    assert "basis      Japanese platform law" in logged("complaint", "show", "1").stdout
