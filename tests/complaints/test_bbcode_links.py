"""A complaint pasted from a forum writes its links in BBCode: `[url=PAGE][img]THUMBNAIL[/img][/url]` is a thumbnail
linking to the page of the work. The page is where the work is, as an HTML mail's `<a href><img></a>` shows only its
link; the thumbnail is no second place of it. An image alone (`[img]…[/img]`, no link around it) is where the
message shows the work, and stays a work URL."""

from __future__ import annotations

import pytest

from tracker.complaints.intake import message_fields
from tracker.complaints.reading.messages import message_from_text
from tracker.platforms.urls import load_platforms, shipped_platforms_path

PLATFORMS = load_platforms(shipped_platforms_path())
POST = "https://www.pixiv.net/artworks/123456789"
PAGE = "https://www.deviantart.com/danacole/art/Night-Garden-1001"
THUMBNAIL = "https://images.example.net/f/night-garden.png"


def _work_urls(original: str) -> list[str]:
    text = f"Hello,\n\nI am Dana Cole. Your post {POST} copies my drawing.\n\nMy original: {original}\n\nDana Cole\n"
    return message_fields(message_from_text(text), lambda url: url == POST, None, PLATFORMS)["claimed_urls"]


@pytest.mark.parametrize(
    "original",
    [
        f"[url={PAGE}][img]{THUMBNAIL}[/img][/url]",
        f"[URL={PAGE}][IMG]{THUMBNAIL}[/IMG][/URL]",
        f"[url={PAGE}] [img width=200]{THUMBNAIL}[/img] [/url]",
    ],
)
def test_a_thumbnail_inside_a_link_is_not_a_second_work_url(original: str) -> None:
    assert _work_urls(original) == [PAGE]


def test_an_image_alone_or_a_link_alone_stays_the_works_url() -> None:
    assert _work_urls(f"[img]{THUMBNAIL}[/img]") == [THUMBNAIL]
    assert _work_urls(f"[url={PAGE}]Night Garden[/url] and [img]{THUMBNAIL}[/img]") == [PAGE, THUMBNAIL]
