"""What `tracker match` finds of the pictures a complainant sent, when the owner says the post is not theirs.

A not-my-post reply tells the complainant that no image the owner published shows their picture. `decide`
refuses it when the same search `tracker match` and the triage run (`matching.search.match_reading`, with their
defaults) finds a post of the owner's with confidence "certain" or "high" (`BLOCKING`); a lower one is the owner's to
judge, and the letter then says that one image resembles it rather than that none was found
(`enums.RESEMBLES`). Run only for that reason on a complaint with pictures: a search per picture.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tracker.db.models import ComplaintImage
from tracker.errors import TrackerError
from tracker.matching.search import MatchedPost, match_reading
from tracker.metadata.reader import read_image
from tracker.support.settings import Settings

BLOCKING = ("certain", "high")
"""The confidences at which a match with a post refutes "not my post" (`decide` refuses it)."""


@dataclass(frozen=True)
class SentMatch:
    """One of the owner's archived images the search found for a picture the complainant sent."""

    picture: str
    """The complainant's file name."""
    posts: tuple[MatchedPost, ...]
    """The image's own posts (none for a recorded input: `made_from` then)."""
    made_from: tuple[int, ...]
    """The posts made with it, when it is a recorded input image."""
    score: float
    confidence: str
    image_id: int
    """The archived image found (a post's image, a further page of one, or a recorded input)."""

    @property
    def blocks(self) -> bool:
        """A post of the owner's shows the picture, as sure as the search gets."""
        return bool(self.posts) and self.confidence in BLOCKING

    def summary(self) -> str:
        """What was found, for the owner: "their picture shot.png matches post #2 (URL): 0.96, certain"."""
        if self.posts:
            what = ", ".join(f"{p.where} ({p.url})" for p in self.posts)
        else:
            what = "the input image of post " + ", ".join(f"#{n}" for n in self.made_from)
        return f"their picture {self.picture} matches {what}: {self.score:.2f}, {self.confidence}"


def sent_picture_matches(factory: sessionmaker[Session], settings: Settings, number: int) -> list[SentMatch]:
    """The owner's published images (or inputs of them) the complaint's pictures match, best first.

    An image matched by several pictures is listed once, with its best score; an archived image without a post
    is left out (never published). A picture whose archived copy cannot be read is skipped: the reply
    command's warning (`owner_warnings.NOT_MINE_LIMITS`) still asks the owner to look."""
    with factory() as session:
        pictures = session.execute(
            select(ComplaintImage.original_name, ComplaintImage.archive_path)
            .where(ComplaintImage.complaint_id == number)
            .order_by(ComplaintImage.id)
        ).all()
    found: dict[int, SentMatch] = {}
    for name, path in pictures:
        try:
            reading = read_image(settings.archive_dir / path)
        except TrackerError:
            continue
        for result in match_reading(factory, settings, reading):
            made_from = tuple(dict.fromkeys(n for use in result.input_of for n in use.post_ids))
            if not result.posts and not made_from:
                continue
            known = found.get(result.image_id)
            if known is None or result.candidate.score > known.score:
                found[result.image_id] = SentMatch(
                    name,
                    tuple(result.posts),
                    made_from,
                    result.candidate.score,
                    result.candidate.confidence,
                    result.image_id,
                )
    return sorted(found.values(), key=lambda m: -m.score)
