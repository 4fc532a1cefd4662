"""Reading a complaint file (`tracker.complaints.reading.messages`): e-mails in every charset and transfer
encoding, pasted platform messages, and hostile files that must end in one line, never a traceback."""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from fixtures.mail import (
    DMCA_BODY,
    PIXIV_MESSAGE,
    dmca_notice,
    html_only,
    iso2022jp,
    japanese_complaint,
    jpeg_bytes,
    pasted_pixiv,
    png_bytes,
    with_images,
)

from tracker.complaints.reading.messages import MAX_PARTS, guess_language, message_from_text, read_message
from tracker.db.enums import LegalBasis
from tracker.errors import UsageError

LONG_URL = "https://www.deviantart.com/janedoe/art/Moth-Study-In-Blue-And-Gold-Ink-1234567890?utm_source=mail"


pytestmark = pytest.mark.usefixtures("tokyo_time")  # local time is Japan's (conftest)


def write(tmp_path: Path, data: bytes, name: str = "complaint.eml") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def refused(path: Path) -> str:
    """The one-line error reading the file ends in."""
    with pytest.raises(UsageError) as caught:
        read_message(path)
    message = str(caught.value)
    assert "\n" not in message and message.startswith((path.name, str(path)))
    return message


# ----------------------------------------------------------------------------- e-mails


def test_iso_2022_jp_complaint_with_microsoft_characters(tmp_path: Path) -> None:
    found = read_message(write(tmp_path, japanese_complaint()))
    assert found.sender_name == "髙橋 花子"  # 髙: an IBM extension only CP50220 holds
    assert found.sender_contact == "hanako@example.jp"
    assert found.subject == "著作権侵害のご連絡"
    assert found.received_at == datetime(2026, 11, 30, 5, 5, tzinfo=UTC)
    assert found.received_at.tzinfo is UTC
    assert "①私の作品「月の蛾」" in found.text and "㈱の法務部" in found.text  # NEC row 13
    assert found.urls == ("https://www.pixiv.net/artworks/123456", "https://example.jp/works/9")
    assert found.basis is LegalBasis.JAPAN
    assert found.language == "ja"
    assert found.attachments == ()


@pytest.mark.parametrize("cte", ["base64", "quoted-printable"])
def test_english_dmca_notice_in_utf8(tmp_path: Path, cte: str) -> None:
    raw = dmca_notice(cte)
    assert f"Content-Transfer-Encoding: {cte}".encode() in raw and b"\r\n" in raw
    found = read_message(write(tmp_path, raw))
    assert found.sender_name == "Jane Doe"
    assert found.sender_contact == "legal@artstudio.example"  # Reply-To: where an answer goes
    assert found.subject == "DMCA takedown notice – Moth Study"
    assert found.received_at == datetime(2026, 12, 1, 14, 30, tzinfo=UTC)
    assert found.text == (DMCA_BODY + f"Original upload: {LONG_URL}").strip()
    assert "\r" not in found.text and "“Moth Study”" in found.text
    assert found.urls == (
        "https://janedoe.example/gallery/moth-study",
        "https://www.pixiv.net/artworks/123456",
        "https://x.com/moth_ai/status/1800000000000000001",
        LONG_URL,  # quoted-printable breaks it over two lines
    )
    assert found.basis is LegalBasis.DMCA
    assert found.language == "en"


def test_two_attached_images_with_their_bytes_and_safe_names(tmp_path: Path) -> None:
    found = read_message(write(tmp_path, with_images()))
    assert [(a.name, a.data) for a in found.attachments] == [("moth.png", png_bytes()), ("元絵.jpg", jpeg_bytes())]
    assert found.text == "My originals are attached. Please take down https://www.pixiv.net/artworks/123456"
    assert found.urls == ("https://www.pixiv.net/artworks/123456",)
    assert (found.sender_name, found.sender_contact) == ("Jane Doe", "jane@example.com")
    assert found.basis is None and found.language == "en"


def test_attachment_names_are_made_safe_made_up_and_kept_apart(tmp_path: Path) -> None:
    message = EmailMessage()
    message["From"] = "jane@example.com"
    message["MIME-Version"] = "1.0"
    message.set_content("see the pictures")
    message.add_attachment(png_bytes(1), maintype="image", subtype="png")  # no name
    message.add_attachment(png_bytes(2), maintype="image", subtype="png", filename="../../.bashrc.png")
    message.add_attachment(png_bytes(3), maintype="image", subtype="png", filename="sub/.bashrc.png")
    message.add_attachment(jpeg_bytes(), maintype="application", subtype="octet-stream", filename="a\u202eb\x07.JPG")
    message.add_attachment(png_bytes(4), maintype="application", subtype="octet-stream")  # known by its bytes
    message.add_attachment(b"<svg onload='x'/>", maintype="image", subtype="svg+xml", filename="x.svg")
    found = read_message(write(tmp_path, message.as_bytes()))
    names = [a.name for a in found.attachments]
    assert names == ["image-1.png", "bashrc.png", "bashrc-2.png", "ab.JPG", "image-5.png"]
    assert found.sender_name is None and found.sender_contact == "jane@example.com"


def test_html_only_mail_is_read_as_its_text_with_link_targets(tmp_path: Path) -> None:
    found = read_message(write(tmp_path, html_only()))
    assert found.text == (
        "Hello,\nThis is a notice under the Digital Services Act.\n\n"
        "The post on pixiv <https://www.pixiv.net/artworks/123456?a=1&b=2> copies "
        "https://janedoe.example/moth & my <work>.\n\nName Jane\xa0Doe"
    )
    assert found.urls == ("https://www.pixiv.net/artworks/123456?a=1&b=2", "https://janedoe.example/moth")
    assert found.basis is LegalBasis.DSA
    assert "alert" not in found.text and "hidden" not in found.text and "color" not in found.text


def test_plain_text_is_preferred_to_its_html_alternative(tmp_path: Path) -> None:
    message = EmailMessage()
    message["From"] = "Jane <jane@example.com>"
    message["Date"] = "Tue, 01 Dec 2026 09:30:00 -0000"
    message.set_content("the plain text https://a.example/1")
    message.add_alternative("<p>the html <a href='https://b.example/2'>x</a></p>", subtype="html")
    found = read_message(write(tmp_path, message.as_bytes()))
    assert (found.text, found.urls) == ("the plain text https://a.example/1", ("https://a.example/1",))
    assert found.received_at == datetime(2026, 12, 1, 9, 30, tzinfo=UTC)  # -0000 is UTC


def test_a_forwarded_complaint_brings_its_text_and_images(tmp_path: Path) -> None:
    inner = EmailMessage()
    inner["From"] = "Jane <jane@example.com>"
    inner["Subject"] = "DMCA notice"
    inner.set_content("Remove https://www.pixiv.net/artworks/123456 please.")
    inner.add_attachment(png_bytes(), maintype="image", subtype="png", filename="mine.png")
    outer = EmailMessage()
    outer["From"] = "Support <support@platform.example>"
    outer["Subject"] = "Fwd: DMCA notice"
    outer.set_content("Forwarded to you, see https://platform.example/ticket/77.")
    outer.add_attachment(inner)
    found = read_message(write(tmp_path, outer.as_bytes()))
    assert found.text == (
        "Forwarded to you, see https://platform.example/ticket/77.\n\n"
        "---------- Forwarded message ----------\nOriginally from: Jane <jane@example.com>\n"
        "Original subject: DMCA notice\n\n"
        "Remove https://www.pixiv.net/artworks/123456 please."
    ), "who first wrote it stays in the message, as a mail program shows a forward"
    assert found.urls == ("https://platform.example/ticket/77", "https://www.pixiv.net/artworks/123456")
    assert [(a.name, a.data) for a in found.attachments] == [("mine.png", png_bytes())]
    assert (found.sender_contact, found.subject, found.basis) == (
        "support@platform.example",
        "Fwd: DMCA notice",
        LegalBasis.DMCA,
    )


def test_a_charset_label_that_lies_is_not_believed(tmp_path: Path) -> None:
    raw = b"From: a@example.com\nMIME-Version: 1.0\nContent-Type: text/plain; charset=iso-2022-jp\n\n"
    assert read_message(write(tmp_path, raw + "削除してください".encode())).text == "削除してください"


@pytest.mark.parametrize(
    ("sender", "reply_to", "body", "name"),
    [
        ("=?UTF-8?B?44GK5ZWP44GE5ZCI44KP44Gb44OV44Kp44O844Og?= <no-reply@form.example>", "yui@example.jp",
         "お名前：渡辺 結衣\nメール：yui@example.jp\n削除をお願いします。", "渡辺 結衣"),
        ("Contact Form <no-reply@form.example>", "Maria Lopez <maria@example.com>",
         "Name: Maria Lopez\nPlease remove the post.", "Maria Lopez"),
        ("WordPress <wordpress@studio.example>", "", "Name: Ken Ito\nPlease remove it.", "Ken Ito"),
    ],
)  # fmt: skip
def test_a_web_forms_mail_names_the_writer_not_the_form(
    tmp_path: Path, sender: str, reply_to: str, body: str, name: str
) -> None:
    raw = f"From: {sender}\n" + (f"Reply-To: {reply_to}\n" if reply_to else "")
    raw += "Date: Mon, 30 Nov 2026 14:05:00 +0900\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n"
    found = read_message(write(tmp_path, (raw + body + "\n").encode()))
    assert found.sender_name == name


@pytest.mark.parametrize(("charset", "text"), [("gb2312", "小野 通知"), ("euc-kr", "山口"), ("big5", "通知")])
def test_chinese_and_korean_labels_are_believed(tmp_path: Path, charset: str, text: str) -> None:
    """Short GB2312, EUC-KR or Big5 runs are often valid UTF-8 as well: read as UTF-8 they were garbled (СҰ)."""
    from tracker.complaints.reading.charsets import decode

    assert decode(text.encode(charset), charset) == text


def test_a_date_header_stamped_jst_is_japan_time(tmp_path: Path) -> None:
    """`Date: ... JST` was read as UTC (the standard library's unknown zone): received nine hours late, and a
    明日中 asked in the evening counted from the next day."""
    raw = "From: a@example.jp\nDate: Fri, 04 Dec 2026 20:00:00 JST\nMIME-Version: 1.0\n\n明日中に削除してください。\n"
    found = read_message(write(tmp_path, raw.encode()))
    assert found.received_at == datetime(2026, 12, 4, 11, 0, tzinfo=UTC)
    assert found.sent_zone is not None and found.sent_zone.utcoffset(None) == timedelta(hours=9)


@pytest.mark.parametrize("label", ["Shift_JIS", "EUC-JP", "iso-8859-1", "windows-1252"])
def test_utf8_under_another_8bit_label_is_read_as_utf8(tmp_path: Path, label: str) -> None:
    """A form or a forwarding program re-labels UTF-8: believing the label garbled the text, swallowed the `h` of the
    post's URL into a broken character and lost the deadline and the basis with it."""
    body = (
        "mothさま\n著作権侵害の投稿です。https://www.pixiv.net/artworks/123456780\n12月10日までに削除してください。\n"
    )
    raw = f"From: a@example.jp\nMIME-Version: 1.0\nContent-Type: text/plain; charset={label}\n"
    found = read_message(write(tmp_path, (raw + "Content-Transfer-Encoding: 8bit\n\n").encode() + body.encode()))
    assert found.text == body.strip() and found.urls == ("https://www.pixiv.net/artworks/123456780",)
    assert found.basis is LegalBasis.JAPAN and found.language == "ja"
    sjis = read_message(write(tmp_path, (raw + "\n").encode() + "削除してください".encode("cp932"), "s.eml"))
    assert label not in ("Shift_JIS",) or sjis.text == "削除してください", "a true label is still believed"


def test_raw_8bit_headers_and_unknown_charsets_are_guessed(tmp_path: Path) -> None:
    raw = (
        "From: 山田 花子 <hanako@example.jp>\nSubject: 削除依頼\nDate: 2026/11/30 14:05\n"
        "MIME-Version: 1.0\nContent-Type: text/plain; charset=x-klingon\n\n"
        "こんにちは https://www.pixiv.net/artworks/1、よろしく\n"
    ).encode("cp932")
    found = read_message(write(tmp_path, raw))
    assert (found.sender_name, found.subject) == ("山田 花子", "削除依頼")
    assert found.text == "こんにちは https://www.pixiv.net/artworks/1、よろしく"
    assert found.urls == ("https://www.pixiv.net/artworks/1",)
    assert found.received_at == datetime(2026, 11, 30, 5, 5, tzinfo=UTC)
    assert found.basis is None, "a 削除依頼 alone cites no law"


@pytest.mark.parametrize("charset", ["punycode", "unicode_escape", "base64", "zlib", "utf-8"])
def test_charsets_that_are_not_plain_text_codecs_are_never_used(tmp_path: Path, charset: str) -> None:
    raw = f"From: a@example.com\nMIME-Version: 1.0\nContent-Type: text/plain; charset={charset}\n\n".encode()
    found = read_message(write(tmp_path, raw + "naïve \\u0041 text".encode()))
    assert found.text == "naïve \\u0041 text"


# ----------------------------------------------------------------------------- pasted text


def test_pasted_pixiv_message_in_shift_jis(tmp_path: Path) -> None:
    found = read_message(write(tmp_path, pasted_pixiv(), "pixiv.txt"))
    assert found.sender_name == "山田 花子"
    assert found.sender_contact == "hanako@example.jp"
    assert found.subject == "作品の無断転載について"
    assert found.received_at == datetime(2026, 11, 30, 5, 5, tzinfo=UTC)  # 14:05 local (Japan)
    assert found.text == PIXIV_MESSAGE.strip()
    assert found.urls == ("https://www.pixiv.net/artworks/123456", "https://www.pixiv.net/artworks/987654")
    assert found.basis is LegalBasis.JAPAN
    assert found.language == "ja"


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("utf-8", "作品を削除してください。"),
        ("utf-8-sig", "作品を削除してください。"),
        ("utf-16", "作品を削除してください。"),
        ("utf-16-be", "\ufeff作品を削除してください。"),
        ("cp932", "髙橋です。①の作品を削除してください。"),
        ("euc_jp", "作品を削除してください。"),
        ("iso2022jp", "ｶﾀｶﾅと①の作品を削除してください。"),
        ("cp1252", "Please remove my café drawing — thanks"),
        ("latin-1", "Bitte entfernen: Grüße \x81"),
    ],
)
def test_plain_text_charsets_are_detected(tmp_path: Path, encoding: str, text: str) -> None:
    data = iso2022jp(text) if encoding == "iso2022jp" else text.encode(encoding)
    found = read_message(write(tmp_path, data, "pasted.txt"))
    assert found.text == text.lstrip("\ufeff")


@pytest.mark.parametrize("legacy", ["cp932", "euc_jp", "cp1252"])
def test_a_utf8_message_with_an_older_one_pasted_under_it_in_another_charset(tmp_path: Path, legacy: str) -> None:
    """Each part read in its own charset: read whole as Windows-1252 or Latin-1 (the only ones that read both),
    the Japanese was unreadable and the complaint taken for English (its reply in English too)."""
    new = "佐藤です。先日の件、再度ご連絡いたします。\nhttps://www.pixiv.net/artworks/123456\n\n"
    old = "Café noir — été\n" if legacy == "cp1252" else "> 作品を無断で転載されています。削除してください。\n"
    found = read_message(write(tmp_path, new.encode() + old.encode(legacy), "pasted.txt"))
    assert found.text == (new + old).strip()
    assert found.language == "ja"


def test_a_long_utf8_message_signed_in_shift_jis_keeps_the_signature_and_a_cut_one_its_text(tmp_path: Path) -> None:
    """A few lines in Shift_JIS under much UTF-8 were read as UTF-8, the signature (the sender's name) lost to
    U+FFFD; a UTF-8 text cut inside its last character still reads as UTF-8, that character alone lost."""
    body = (
        "お世話になっております。" * 20 + "\nhttps://www.pixiv.net/artworks/123456 の作品の削除をお願いいたします。\n"
    )
    signed = body.encode() + "山田 花子\n".encode("cp932")
    assert read_message(write(tmp_path, signed, "signed.txt")).text == (body + "山田 花子").strip()
    cut = body.encode() + "削除".encode()[:-1]
    assert read_message(write(tmp_path, cut, "cut.txt")).text == body + "削\ufffd"


def test_a_mailbox_file_of_several_messages_is_refused_and_one_of_one_is_read(tmp_path: Path) -> None:
    """An mbox export of a thread was read as one complaint: the first sender's, with the next sender's message
    (and its URLs, taken for the work copied) in its text."""

    def message(sender: str, day: int, body: str) -> bytes:
        return (
            f"From {sender} Mon Dec  {day} 10:00:00 2026\nFrom: {sender}\nDate: Mon, {day} Dec 2026 10:00:00 +0000\n"
            f"Message-ID: <{day}@example.jp>\nSubject: takedown\n\n{body}\n\n"
        ).encode()

    first = message("sato@example.jp", 7, "Please remove https://www.pixiv.net/artworks/101\n>From the start.")
    second = message("other@example.com", 8, "Mine is https://www.pixiv.net/artworks/999")
    with pytest.raises(UsageError) as caught:
        read_message(write(tmp_path, first + second, "thread.mbox"))
    assert str(caught.value) == (
        "thread.mbox: a mailbox file of 2 messages (mbox), not one message: save the complaint alone "
        "(your mail program's Save As, as .eml) and give that file"
    )
    alone = read_message(write(tmp_path, first, "one.mbox"))
    assert alone.sender_contact == "sato@example.jp" and alone.urls == ("https://www.pixiv.net/artworks/101",)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Date: 2026-11-30 14:05", datetime(2026, 11, 30, 5, 5, tzinfo=UTC)),
        ("日時: 2026/11/30 14:05", datetime(2026, 11, 30, 5, 5, tzinfo=UTC)),
        ("送信日時：2026年11月30日(月) 14時05分30秒", datetime(2026, 11, 30, 5, 5, 30, tzinfo=UTC)),
        ("Date: 2026-11-30T14:05:00Z", datetime(2026, 11, 30, 14, 5, tzinfo=UTC)),
        ("Date: 2026-11-30 14:05 +01:00", datetime(2026, 11, 30, 13, 5, tzinfo=UTC)),
        ("Date: 2026/11/30 14:05 JST", datetime(2026, 11, 30, 5, 5, tzinfo=UTC)),
        ("Date: Mon, 30 Nov 2026 14:05:00 +0900", datetime(2026, 11, 30, 5, 5, tzinfo=UTC)),
        ("Date: Mon, 30 Nov 2026 14:05:00 JST", datetime(2026, 11, 30, 5, 5, tzinfo=UTC)),
        ("Date: Mon, 30 Nov 2026 14:05:00 +0900 (JST)", datetime(2026, 11, 30, 5, 5, tzinfo=UTC)),
        ("Date: 2026-11-30", datetime(2026, 11, 29, 15, 0, tzinfo=UTC)),  # the start of that local day
        ("2026/11/30 14:05 moth_ai", datetime(2026, 11, 30, 5, 5, tzinfo=UTC)),  # a leading timestamp
        ("[2026-11-30 14:05] moth_ai", datetime(2026, 11, 30, 5, 5, tzinfo=UTC)),
        ("Date: 2026-13-40 14:05", None),
        ("2026年11月30日に投稿された作品", None),  # a date in a sentence, no time: not when it arrived
        ("Date of infringement: 2026-11-30 14:05", None),
    ],
)
def test_dates_in_pasted_messages(tmp_path: Path, line: str, expected: datetime | None) -> None:
    found = read_message(write(tmp_path, f"{line}\n\nPlease remove my drawing.\n".encode(), "pasted.txt"))
    assert found.received_at == expected


@pytest.mark.parametrize(
    ("text", "name", "contact"),
    [
        ("From: Jane Doe <jane@example.com>\nhello", "Jane Doe", "jane@example.com"),
        ("Name: Jane Doe\nEmail: jane@example.com\nhello", "Jane Doe", "jane@example.com"),
        ("名前：山田 花子\nメール：hanako@example.jp\n", "山田 花子", "hanako@example.jp"),
        ("To: moth@example.com\nhello, write to jane@example.com", None, "jane@example.com"),
        ('【差出人】 "Jane" (jane@example.com)\n', "Jane", "jane@example.com"),
        ("hello, nothing here", None, None),
    ],
)
def test_sender_in_pasted_messages(tmp_path: Path, text: str, name: str | None, contact: str | None) -> None:
    found = read_message(write(tmp_path, text.encode(), "pasted.txt"))
    assert (found.sender_name, found.sender_contact) == (name, contact)


@pytest.mark.parametrize(
    ("text", "basis"),
    [
        ("This is a DMCA notice.", LegalBasis.DMCA),
        ("Pursuant to 17 U.S.C. 512 (c)(3)", LegalBasis.DMCA),
        ("A notice under Article 16 of Regulation (EU) 2022/2065", LegalBasis.DSA),
        ("Digital Services Act notice", LegalBasis.DSA),
        ("プロバイダ責任制限法に基づく送信防止措置依頼", LegalBasis.JAPAN),
        ("情報流通プラットフォーム対処法による削除依頼", LegalBasis.JAPAN),
        ("私のイラストを無断転載されています。著作権侵害です。", LegalBasis.JAPAN),
        ("侵害情報の通知書 兼 送信防止措置依頼書", LegalBasis.JAPAN),
        ("情報流通プラットフォーム対処法に基づく侵害情報の通知", LegalBasis.JAPAN),
        # 削除依頼 alone is a person asking, as 削除してください is: no law, no platform's procedure
        ("作品の無断転載について削除依頼をいたします。", None),
        (
            "件名：作品の削除依頼\n\nイラストレーターの佐藤美咲と申します。12月8日までに削除していただけますようお願い申し上げます。",
            None,
        ),
        # 無断 (or 盗用, トレパク) alone is a person's reproach, never a formal notice
        ("私のイラストを無断転載されています。削除してください。", None),
        ("作品が無断で複製・改変されています。", None),
        ("これ私の絵のトレパクですよね？盗用はやめてください", None),
        ("明日までに削除をお願いします。", None),  # asks, but names no right
        ("Please take it down, it looks like mine.", None),
        ("dmcalike words, DSAP and Article 160", None),
    ],
)
def test_legal_basis_from_the_text(tmp_path: Path, text: str, basis: LegalBasis | None) -> None:
    assert read_message(write(tmp_path, text.encode(), "pasted.txt")).basis is basis


def test_urls_lose_the_punctuation_around_them(tmp_path: Path) -> None:
    text = (
        "See https://a.example/x」、https://a.example/y）。and (https://en.wikipedia.org/wiki/Moth_(insect)). "
        "[https://b.example/z] <https://c.example/q?x=1&y=2>, https://a.example/x again; http://d.example/p!\n"
        "https://a.example/xの作品 and https://"
    )
    found = read_message(write(tmp_path, text.encode(), "pasted.txt"))
    assert found.urls == (
        "https://a.example/x",
        "https://a.example/y",
        "https://en.wikipedia.org/wiki/Moth_(insect)",
        "https://b.example/z",
        "https://c.example/q?x=1&y=2",
        "http://d.example/p",
    )


def test_a_url_with_a_non_ascii_path_is_read_whole(tmp_path: Path) -> None:
    """A Japanese URL ends at Japanese punctuation or a space; Japanese run on after an ASCII part is no URL's."""
    text = (
        "私の作品：https://example-portfolio.jp/作品/京都の雨。投稿（https://example-art-site.jp/ユーザー/月の影/作品/12345）"
        "と「https://例え.jp/ギャラリー」、https://example.jp/検索?q=京都&page=2をご覧ください。"
        "https://example.jp/works/12を削除　https://example.jp/作品　全角の空白\nhttps://example.jp/%E4%BD%9Cの件"
    )
    assert read_message(write(tmp_path, text.encode(), "pasted.txt")).urls == (
        "https://example-portfolio.jp/作品/京都の雨",
        "https://example-art-site.jp/ユーザー/月の影/作品/12345",
        "https://例え.jp/ギャラリー",
        "https://example.jp/検索?q=京都&page=2",
        "https://example.jp/works/12",
        "https://example.jp/作品",
        "https://example.jp/%E4%BD%9C",
    )


def test_urls_end_where_markup_around_them_begins(tmp_path: Path) -> None:
    """A forum post's BBCode or a pasted markup link: the URL is the link, not the markup after it."""
    text = "My work: [url=https://a.example/b]my drawing[/url], [link=http://b.example]here[/link], http://[::1]:8/x"
    text += " and [url]https://c.example/d[/url]"
    found = read_message(write(tmp_path, text.encode(), "pasted.txt"))
    assert found.urls == ("https://a.example/b", "http://b.example", "http://[::1]:8/x", "https://c.example/d")
    linked = "Remove [link=https://evil.example]https://www.pixiv.net/artworks/123456780[/link] please."
    found = read_message(write(tmp_path, linked.encode(), "linked.txt"))
    assert found.urls == ("https://evil.example", "https://www.pixiv.net/artworks/123456780"), "the shown URL too"


def test_header_lines_kept_raw_are_decoded(tmp_path: Path) -> None:
    """A mail saved without the blank line after its headers is read as pasted text: its encoded words are still
    words (`=?UTF-8?B?...?=` was stored as the complainant's name)."""
    text = "From: =?UTF-8?B?56m66KGMIOOBquOBlw==?= <sora@example.jp>\nSubject: =?UTF-8?B?5YmK6Zmk5L6d6aC8?=\n"
    found = read_message(write(tmp_path, (text + "削除をお願いします。\n").encode(), "raw.txt"))
    assert (found.sender_name, found.sender_contact, found.subject) == ("空行 なし", "sora@example.jp", "削除依頼")


def test_nul_bytes_are_stripped_and_text_kept_as_is(tmp_path: Path) -> None:
    data = b"Please remove\x00 my drawing: it is \x1b[31mmine\x1b[0m, as I said in my e-mail\x00.\r\n"
    found = read_message(write(tmp_path, data, "pasted.txt"))
    assert (
        found.text == "Please remove my drawing: it is \x1b[31mmine\x1b[0m, as I said in my e-mail."
    )  # the caller escapes


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("山田 花子 from Tokyo", "ja"),  # 4 kanji x 3 against 9 letters: the writer reads Japanese
        ("Hanako Yamada (山田)", "en"),
        ("https://www.pixiv.net/artworks/123456 の作品", "ja"),  # URLs do not count
        ("Please remove https://www.pixiv.net/artworks/123456 今すぐ", "en"),
        ("ok 了解", "ja"),
        ("ｶﾀｶﾅ only", "ja"),
        ("12345 !!!", "en"),
        ("", "en"),
    ],
)
def test_guess_language(text: str, language: str) -> None:
    assert guess_language(text) == language


# ----------------------------------------------------------------------------- hostile files


def test_mail_cut_inside_an_attached_image_is_refused(tmp_path: Path) -> None:
    """A mail saved only in part is refused, not logged without what was cut (its images, its later parts)."""
    raw = with_images()
    cut = raw[: raw.index(b"filename*=utf-8''%E5%85%83%E7%B5%B5.jpg") + 400]  # inside the JPEG's base64
    assert "the e-mail is cut short" in refused(write(tmp_path, cut))


def test_mail_cut_inside_its_text_is_refused(tmp_path: Path) -> None:
    """Cut inside its text, the posts it names and the day it asks for may be what is missing: refused."""
    raw = dmca_notice("base64")
    assert "the e-mail is cut short" in refused(write(tmp_path, raw[: raw.index(b"\r\n\r\n") + 4 + 203]))


def test_mail_cut_after_a_whole_part_is_refused(tmp_path: Path) -> None:
    """Cut just before a multipart's closing boundary, whatever came next (an image, more text) is gone: refused."""
    raw = with_images()
    assert "the e-mail is cut short" in refused(write(tmp_path, raw[: raw.rindex(b"\n--") + 1]))


def test_file_over_25_mib_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.eml"
    with path.open("wb") as handle:
        handle.truncate(30 * 2**20)
    assert "larger than 25 MiB" in refused(path)


def test_deeply_nested_multipart_is_refused(tmp_path: Path) -> None:
    raw = b"From: a@example.com\nMIME-Version: 1.0\n"
    for level in range(500):
        raw += b'Content-Type: multipart/mixed; boundary="b%d"\n\n--b%d\n' % (level, level)
    raw += b"Content-Type: text/plain\n\nhi\n" + b"".join(b"--b%d--\n" % level for level in reversed(range(500)))
    assert "multipart or nested" in refused(write(tmp_path, raw))


def test_a_bomb_of_parts_is_refused(tmp_path: Path) -> None:
    parts = b"".join(b"--b\nContent-Type: text/plain\n\n%d\n" % n for n in range(MAX_PARTS * 50))
    raw = (
        b'From: a@example.com\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b"\n\n' + parts + b"--b--\n"
    )
    assert f"more than {MAX_PARTS} parts" in refused(write(tmp_path, raw))


def test_huge_headers_are_refused(tmp_path: Path) -> None:
    subject = b"Subject: " + b"x" * 100 + b"".join(b"\n " + b"y" * 70 for _ in range(5000))
    assert "headers are over 256 KiB" in refused(write(tmp_path, b"From: a@example.com\n" + subject + b"\n\nhi\n"))
    params = b";".join(b"p%d=1" for n in range(10000))
    raw = b'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain; ' + params
    assert "Content-Type header is over 32 KiB" in refused(write(tmp_path, raw + b"\n\nhi\n--b--\n"))
    raw = b"MIME-Version: 1.0\nContent-Disposition: attachment; " + b";" * 40000 + b"\n\nhi\n"
    assert "content-disposition header is over 32 KiB" in refused(write(tmp_path, raw))


@pytest.mark.parametrize(
    "data",
    [
        random.Random(7).randbytes(200_000),
        png_bytes(),
        b"\x00" * 1000 + b"text",
    ],
)
def test_binary_garbage_is_refused(tmp_path: Path, data: bytes) -> None:
    assert "not a text file or a saved e-mail" in refused(write(tmp_path, data))  # binary data, or an image


def test_empty_missing_and_unreadable_files_are_refused(tmp_path: Path) -> None:
    assert "empty" in refused(write(tmp_path, b"\r\n \x00\n"))
    assert "no such file" in refused(tmp_path / "nowhere.eml")
    assert "a folder, not a regular file" in refused(tmp_path)
    assert "more than 400,000 lines" in refused(write(tmp_path, b"\n" * 400_001 + b"x"))
    assert "nothing readable" in refused(write(tmp_path, b"MIME-Version: 1.0\nContent-Type: application/pdf\n\nxx"))


def test_hostile_html_and_text_are_read_in_linear_time(tmp_path: Path) -> None:
    """`html.parser` and naive patterns take minutes on these; the reader takes well under a second each."""
    payloads = ["<a " * 200_000, "<!--" * 200_000, "</" * 200_000, "<a href='" * 100_000 + ">", "a" * 2_000_000]
    for payload in payloads:
        message = EmailMessage()
        message["From"] = "a@example.com"
        message.set_content(payload + " https://x.example/" + "a@" * 100_000, subtype="html")
        started = time.monotonic()
        read_message(write(tmp_path, message.as_bytes()))
        assert time.monotonic() - started < 5, payload[:10]


def test_damaged_mail_never_ends_in_a_traceback(tmp_path: Path) -> None:
    """Random cuts, flips and inserted MIME syntax into every fixture: a reading or one line, nothing else."""
    seeds = [japanese_complaint(), dmca_notice("base64"), dmca_notice("quoted-printable"), with_images(), html_only()]
    tokens = [
        b"\n",
        b"--",
        b"=?utf-8?b?",
        b"?=",
        b"\x1b$B",
        b"\x1b(I",
        b";",
        b'"',
        b"\xff",
        b"\x00",
        b"<!--",
        b"=?x?q?",
    ]
    tokens += [b"Content-Type: multipart/mixed; boundary=x\n\n--x\n", b"Content-Transfer-Encoding: base64\n"]
    tokens += [b"filename*0*=utf-8''%ff", b"charset*=x''y", b"Date: 2026/11/30 99:99\n"]
    rng = random.Random(16)
    for _ in range(400):
        data = bytearray(rng.choice(seeds))
        for _ in range(rng.randint(1, 10)):
            at = rng.randrange(len(data) + 1)
            choice = rng.random()
            if choice < 0.4:
                data[at:at] = rng.choice(tokens)
            elif choice < 0.7:
                del data[at : at + rng.randint(1, 40)]
            elif choice < 0.9 and data:
                data[at % len(data)] = rng.randrange(256)
            else:
                del data[at:]
        path = write(tmp_path, bytes(data))
        try:
            read_message(path)
        except UsageError as exc:
            assert "\n" not in str(exc)


def test_a_damaged_encoded_word_leaves_the_header_as_it_came(tmp_path: Path) -> None:
    raw = b"From: =?utf-8?b?SmFuZQ?= <jane@example.com>\nSubject: =?utf-8?b?abcde?=\nMIME-Version: 1.0\n\nhi\n"
    found = read_message(write(tmp_path, raw))
    assert (found.sender_name, found.subject) == ("Jane", "=?utf-8?b?abcde?=")


def test_a_forwarded_japanese_complaint_keeps_its_writer(tmp_path: Path) -> None:
    inner = EmailMessage()
    inner["From"] = "小林 翔太 <shota@example.jp>"  # written out RFC 2047-encoded
    inner["Date"] = "Mon, 30 Nov 2026 14:05:00 +0900"
    inner["Subject"] = "削除依頼"
    inner.set_content("https://www.pixiv.net/artworks/123456 を削除してください。")
    outer = EmailMessage()
    outer["From"] = "pixiv サポート <support@pixiv.example>"
    outer["Subject"] = "Fwd: 削除依頼"
    outer.set_content("以下のご連絡を転送いたします。")
    outer.add_attachment(inner)
    raw = outer.as_bytes()
    assert "小林".encode() not in raw, "the forwarded headers are encoded words in the file"
    found = read_message(write(tmp_path, raw))
    assert (
        "Originally from: 小林 翔太 <shota@example.jp>\nOriginally sent: Mon, 30 Nov 2026 14:05:00 +0900\n"
        "Original subject: 削除依頼"
    ) in found.text


def test_a_forwarded_html_only_complaint_keeps_its_text(tmp_path: Path) -> None:
    inner = EmailMessage()
    inner["From"] = "山田 花子 <hanako@example.jp>"
    inner.set_content("<p>https://www.pixiv.net/artworks/120000001 を削除してください</p>", subtype="html")
    outer = EmailMessage()
    outer["From"] = "Support <support@platform.example>"
    outer.set_content("<p>転送します</p>", subtype="html")
    outer.add_attachment(inner)
    found = read_message(write(tmp_path, outer.as_bytes()))
    assert "転送します" in found.text and "Originally from: 山田 花子" in found.text
    assert found.urls == ("https://www.pixiv.net/artworks/120000001",), "the forwarded HTML is read, not dropped"


def test_a_forward_of_the_owners_own_mail_never_names_the_owner(tmp_path: Path) -> None:
    inner = EmailMessage()
    inner["From"] = "Moth Atelier <moth@example.org>"
    inner.set_content("I will not remove the post.")
    outer = EmailMessage()
    outer["From"] = "jane@example.com"
    outer.set_content("Your reply (attached) is not acceptable. Remove https://www.pixiv.net/artworks/120000001")
    outer.add_attachment(inner)
    found = read_message(write(tmp_path, outer.as_bytes()))
    assert found.sender_name != "Moth Atelier" and found.sender_contact == "jane@example.com"


@pytest.mark.parametrize(
    "sender", ["no-reply@pixiv.net", "noreply+42@x.com", "do-not-reply@example.org", "DoNotReply@example.org",
               "no_reply@example.jp", "mailer-daemon@example.com"],
)  # fmt: skip
def test_a_no_reply_address_is_never_the_contact(tmp_path: Path, sender: str) -> None:
    mail = f"From: Notices <{sender}>\nDate: Mon, 30 Nov 2026 10:00:00 +0900\n\nPlease remove it.\n"
    assert read_message(write(tmp_path, mail.encode(), "c.eml")).sender_contact is None
    with_contact = mail + "Contact: kim@example.net\n"
    found = read_message(write(tmp_path, with_contact.encode(), "d.eml"))
    assert (found.sender_contact, found.sender_address) == ("kim@example.net", sender)
    pasted = message_from_text(f"From: Notices <{sender}>\nSubject: a notice\n\nPlease remove it.")
    assert pasted.sender_contact is None


def test_a_reply_address_that_is_not_a_robot_stays_the_contact(tmp_path: Path) -> None:
    mail = "From: Ann Noreply <ann.noreply@example.com>\nDate: Mon, 30 Nov 2026 10:00:00 +0900\n\nPlease remove it.\n"
    assert read_message(write(tmp_path, mail.encode(), "c.eml")).sender_contact == "ann.noreply@example.com"
