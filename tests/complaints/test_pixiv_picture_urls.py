"""A complainant may paste the address of the picture itself (`https://i.pximg.net/…/123456789_p0_master1200.jpg`,
a thumbnail's `…_p0_square1200.jpg`) instead of the post's page: when it is the picture of a logged pixiv post, the
complaint names that post; it is never listed as where the complainant's work is."""

from __future__ import annotations

import pytest

from tracker.complaints.intake import message_fields
from tracker.complaints.reading.messages import message_from_text
from tracker.platforms.urls import load_platforms, shipped_platforms_path

PLATFORMS = load_platforms(shipped_platforms_path())
POST = "https://www.pixiv.net/artworks/123456789"


@pytest.mark.parametrize(
    "picture",
    [
        "https://i.pximg.net/img-master/img/2026/11/30/12/00/00/123456789_p0_master1200.jpg",
        "https://i.pximg.net/c/250x250_80_a2/img-master/img/2026/11/30/12/00/00/123456789_p0_square1200.jpg",
        "https://i.pximg.net/img-original/img/2026/11/30/12/00/00/123456789_p1.png",
    ],
)
def test_the_picture_of_a_logged_pixiv_post_names_that_post(picture: str) -> None:
    text = f"From: 山田花子 <hanako@example.jp>\n\nこの画像 {picture} は私の作品の無断転載です。削除してください。\n"
    found = message_fields(message_from_text(text), lambda url: url == POST, None, PLATFORMS)
    assert found["posts"] == [POST]
    assert found["claimed_urls"] == []


def test_the_picture_of_a_post_not_logged_stays_as_it_was_given() -> None:
    picture = "https://i.pximg.net/img-master/img/2024/01/01/00/00/00/98765432_p0_master1200.jpg"
    text = f"From: 山田花子 <hanako@example.jp>\n\n{POST} は私の作品 {picture} の無断転載です。\n"
    found = message_fields(message_from_text(text), lambda url: url == POST, None, PLATFORMS)
    assert (found["posts"], found["claimed_urls"]) == ([POST], [picture])
