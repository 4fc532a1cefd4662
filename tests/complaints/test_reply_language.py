"""The language a letter is written in is the one `messages.guess_language` reads, whether or not the message
reader is loaded to tell it (`language._language_of` decides alone when the addresses in a text cannot change it)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.complaints.language import _language_of, reply_language
from tracker.complaints.reading.messages import guess_language

PIECES = st.sampled_from(
    [
        "削除してください。",
        "作品",
        "の",
        "ｶﾀｶﾅ",
        "Please remove it.",
        "Dear",
        "é",
        " ",
        "\u3000",
        "\n",
        "https://www.pixiv.net/artworks/131000001",
        "https://example.jp/作品/京都の雨",
        "http://",
        "://",
        "jane@example.com",
        "山田@example.jp",
        "@",
        "・",
        "。",
        "x",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=40))
def test_the_language_read_without_the_message_reader_is_the_one_it_reads(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert _language_of(text) == guess_language(text), repr(text)


def test_letters_in_either_language_and_a_language_set() -> None:
    notice = "貴殿の投稿 https://www.pixiv.net/artworks/1 は私の作品を無断で使用しています。"
    assert reply_language(None, notice) == "ja"
    assert reply_language(None, "Your post https://www.pixiv.net/artworks/1 copies 山田's picture.") == "en"
    assert reply_language(None, "山田 花子 from Tokyo") == "ja"
    assert reply_language("en", "削除してください。") == "en"
    assert reply_language(None, None, "") == "en"


def test_the_body_decides_over_the_subject_unless_it_says_too_little() -> None:
    english = "Subject: 作品の無断使用について\n\nHello, please remove https://www.pixiv.net/artworks/1."
    assert reply_language(None, english) == "en"
    assert reply_language(None, "Subject: Removal request\n\n削除してください。") == "ja"
    assert reply_language(None, "Subject: 作品の無断使用について\n\nhttps://www.pixiv.net/artworks/1") == "ja"
    assert reply_language(None, "Subject: 作品の無断使用について\n\n") == "ja"
