"""A complainant's reply that quotes the owner's own earlier letter: a post only that letter names (the owner
listing what they took down, or another post they mentioned) is not among the posts the complaint is about when
the complainant's own words name one; when their words name none, the quoted letter's posts are all it gives."""

from __future__ import annotations

from tracker.complaints.intake import message_fields
from tracker.complaints.reading.messages import message_from_text
from tracker.platforms.urls import load_platforms, shipped_platforms_path

PLATFORMS = load_platforms(shipped_platforms_path())
NAMED = "https://www.pixiv.net/artworks/123456789"
OTHER = "https://www.pixiv.net/artworks/111111111"
LOGGED = {NAMED, OTHER}

OWNER_LETTER = f"""> 山田花子様
>
> ご連絡ありがとうございます。moth と申します。
> ご指摘の件とは別に、{OTHER} は既に削除いたしました。
> ご指摘の作品については確認のうえ改めてご連絡いたします。
>
> moth
"""


def _reply(new_words: str) -> str:
    return (
        "From: 山田 花子 <hanako@example.jp>\nSubject: Re: 無断転載について\nDate: 2026年12月7日(月) 09:02\n\n"
        f"moth様\n\n{new_words}\n\n山田花子\n\n2026年12月6日(日) 23:40 moth <moth@example.com>:\n{OWNER_LETTER}"
    )


def _read(text: str) -> dict[str, object]:
    return message_fields(message_from_text(text), lambda url: url in LOGGED, None, PLATFORMS)


def test_a_post_only_the_owners_quoted_letter_names_is_not_the_complaints() -> None:
    found = _read(_reply(f"ご返信ありがとうございます。{NAMED} の削除を明日中にお願いいたします。"))
    assert found["posts"] == [NAMED]
    assert OTHER not in found["claimed_urls"]  # type: ignore[operator]  # nor is it the complainant's work


def test_when_their_own_words_name_no_post_the_quoted_letters_posts_stay() -> None:
    """ "Please remove the post you wrote about" names the post only through the letter it answers."""
    found = _read(_reply("ご返信ありがとうございます。お書きの投稿の削除をお願いいたします。"))
    assert found["posts"] == [OTHER]
