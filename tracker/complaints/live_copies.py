"""The same picture still live elsewhere: what a take-down leaves online for the complainant to find next.

A take-down removes whole posts, every page of each (pixiv's `_p1`, an X post's second photo: `post_page`). The
pictures the complaint is about are the ones of those pages its pictures show: the very file, or what the search
`tracker match` and the triage run finds as sure as it gets (`sent_matches.BLOCKING`). When none is known (no
picture sent, none of them found among the pages) every page of each post taken down is. Any other live post that
shows one of those pictures, as the image it was logged with or as a further page, is a live copy. An image is
stored once (by sha256), so the same stored image is the same file byte for byte; a re-encoded copy is a picture of
its own, as it is everywhere else in the tracker.

The CLI's `complaint decide` and the TUI's decision both say these, with the same words (`LiveCopy.line`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tracker.complaints.sent_matches import BLOCKING, sent_picture_matches
from tracker.db.enums import PostStatus
from tracker.db.models import ComplaintImage, Image, Post, PostPage
from tracker.matching.search import page_words
from tracker.support.settings import Settings


@dataclass(frozen=True)
class LiveCopy:
    """A live post outside the take-down that shows one of the pictures the complaint is about."""

    post_id: int
    url: str
    where: str
    """Where in that post: "post #5", or "post #5, page 2" for a further page of it."""
    same_as: str
    """The picture of the take-down it shows: "post #1, page 2"."""

    def line(self) -> str:
        """`#5 URL, page 2  (the same image as post #1, page 2; not in this take-down)`, the CLI's row."""
        page = self.where.removeprefix(f"post #{self.post_id}")
        return f"#{self.post_id} {self.url}{page}  (the same image as {self.same_as}; not in this take-down)"


def _pictures(session: Session, post_ids: Iterable[int]) -> dict[int, str]:
    """{image id: where it is in the take-down} for every page of each post: the image it was logged with first."""
    numbers = sorted(set(post_ids))
    shown: dict[int, str] = {}
    for post_id, image_id in session.execute(select(Post.id, Post.image_id).where(Post.id.in_(numbers))):
        shown.setdefault(int(image_id), page_words(int(post_id), False, None))
    pages = select(PostPage.post_id, PostPage.image_id, PostPage.page).where(PostPage.post_id.in_(numbers))
    for post_id, image_id, page in session.execute(pages.order_by(PostPage.post_id, PostPage.page, PostPage.id)):
        shown.setdefault(int(image_id), page_words(int(post_id), True, page))
    return shown


def _sent_files(session: Session, complaint_id: int, shown: Collection[int]) -> set[int]:
    """The images among `shown` that a picture the complainant sent is, byte for byte."""
    sent = select(ComplaintImage.sha256).where(ComplaintImage.complaint_id == complaint_id)
    query = select(Image.id).where(Image.id.in_(sorted(shown)), Image.sha256.in_(sent))
    return {int(n) for n in session.scalars(query)}


def _copies(session: Session, pictures: dict[int, str], taken: set[int]) -> list[LiveCopy]:
    """The live posts outside `taken` that show one of `pictures`, by post and page."""
    wanted = sorted(pictures)
    live = Post.status == PostStatus.LIVE
    first = select(Post.id, Post.url, Post.image_id).where(Post.image_id.in_(wanted), live)
    found: list[tuple[int, str, int, bool, int | None]] = [
        (int(n), str(url), int(image), False, None) for n, url, image in session.execute(first)
    ]
    further = (
        select(Post.id, Post.url, PostPage.image_id, PostPage.page)
        .join(PostPage, PostPage.post_id == Post.id)
        .where(PostPage.image_id.in_(wanted), live)
    )
    found += [(int(n), str(url), int(image), True, page) for n, url, image, page in session.execute(further)]
    found.sort(key=lambda row: (row[0], row[3], row[4] or 0))
    return [
        LiveCopy(n, url, page_words(n, is_page, page), pictures[image])
        for n, url, image, is_page, page in found
        if n not in taken
    ]


def take_down_copies(
    factory: sessionmaker[Session],
    settings: Settings | None,
    complaint_id: int,
    post_ids: Iterable[int],
    matched: Collection[int] | None = None,
) -> list[LiveCopy]:
    """The live copies of what a take-down of `post_ids` removes that the complaint is about (see the module).

    `matched`: the images the search found for the complainant's pictures as sure as it gets (the triage has
    them); None runs that search here (`sent_picture_matches`), and only when a post taken down shows more than
    one picture and the complainant sent any: else it could not narrow anything."""
    taken = set(post_ids)
    with factory() as session:
        shown = _pictures(session, taken)
        if not shown:
            return []
        about = _sent_files(session, complaint_id, shown)
        sent_any = session.scalar(select(ComplaintImage.id).where(ComplaintImage.complaint_id == complaint_id))
    if matched is None and len(shown) > 1 and sent_any is not None and settings is not None:
        found = sent_picture_matches(factory, settings, complaint_id)
        matched = {match.image_id for match in found if match.confidence in BLOCKING}
    about |= set(matched or ()) & shown.keys()
    pictures = {image: where for image, where in shown.items() if image in about} if about else shown
    with factory() as session:
        return _copies(session, pictures, taken)
