"""Which posts a complaint is about: the named ones first, then what `tracker match` finds.

For each image the complainant sent, the same search as `tracker match` ranks the archive
(`matching.search`): posted images, archived images without a post, and recorded input images
(with the posts made from them). Each image is one candidate, with its best evidence. Also the
candidate's accountability facts the triage screen shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from tracker.accountability.report import ReportContext
from tracker.complaints.sent_matches import BLOCKING
from tracker.complaints.views import current_decision
from tracker.db.models import Account, Complaint, Image, ImageResource, Post
from tracker.errors import TrackerError
from tracker.matching import limits
from tracker.matching.search import MATCH_TOP, InputUse, MatchedPost, MatchResult, describe_box, match_reading
from tracker.matching.similarity import MATCH_SCORE
from tracker.metadata.reader import read_image
from tracker.posts.views import exif_orientation, image_dict, image_provenance
from tracker.support.settings import Settings


@dataclass(frozen=True)
class Evidence:
    """Why an image is a candidate: its best match with one complaint image."""

    score: float
    confidence: str
    """How sure the match is, as `tracker match` says it: "certain", "high" or "possible"."""
    kind: str
    matched: list[str]
    complaint_image: str
    region: str | None = None
    """For a region match: which part of the archived image matches which part of the complaint image."""
    identical: bool = False
    distance: str | None = None
    """The hash distances that decided it, as the owner reads them ("pHash 4, dHash 6")."""


CandidateKind = Literal["post", "archived", "input", "named", "decided"]

KIND_LABELS: dict[str, str] = {
    "post": "posted image",
    "archived": "archived, not posted",
    "input": "recorded input image",
    "named": "named, no visual match",
    "decided": "in the decision, no visual match",
}
"""What each kind of candidate is, in the words the triage screen shows (`TriageCandidate.kind_label`: a row
without evidence says why it has none)."""

NOT_MATCHED: dict[str, str] = {
    "no visual match": "no visual match with their images",
    "no image sent": "they sent no image: nothing was compared",
    "not compared": "none of their images could be read: nothing was compared",
}
"""Why a row has no evidence (`TriageCandidate.match`), and the same in a sentence: "no visual match" only when
the complainant's images were compared; an owner reads it as "their picture does not look like my post"."""


@dataclass
class TriageCandidate:
    """One row of the triage: a matched archived image (posted, not posted, or a recorded input), or
    a post the complaint names, or the decision in force acts on, that no complaint image matches."""

    key: str
    """Unique among the rows: `image-<id>`, or `post-<id>` for a named post without a visual match."""
    image_id: int
    original_name: str
    posts: list[MatchedPost]
    """The posts a decision acts on: the image's own posts, or for an input the posts made with it."""
    named: bool
    evidence: Evidence | None = None
    input_of: list[InputUse] = field(default_factory=list)
    not_matched: str = "no visual match"
    """Without evidence, why (a key of `NOT_MATCHED`): their images were compared, they sent none, or none was read."""

    @property
    def kind(self) -> CandidateKind:
        if self.evidence is None:
            return "named" if self.named else "decided"
        if self.input_of and not any(self.image_posts):
            return "input"
        return "post" if self.image_posts else "archived"

    @property
    def image_posts(self) -> list[MatchedPost]:
        """The posts of this very image (an input's `posts` are those of the images made with it)."""
        if self.input_of and self.evidence is not None:
            made = {n for use in self.input_of for n in use.post_ids}
            return [p for p in self.posts if p.id not in made]
        return self.posts

    @property
    def label(self) -> str:
        """What the row is, for the owner: "post #3", "post #3, page 2" (a further page of it), "post #3, #4",
        "archived image #7", "input of post #3"."""
        numbers = ", ".join(f"#{p.id}" for p in self.posts)
        if self.kind == "input":
            return f"input of post {numbers}" if self.posts else f"input of image #{self.input_of[0].image_id}"
        if self.kind == "archived":
            return f"archived image #{self.image_id}"
        return self.posts[0].where if len(self.posts) == 1 else f"post {numbers}"

    @property
    def kind_label(self) -> str:
        """`KIND_LABELS`' words for the row, saying "no image sent" rather than "no visual match" when nothing was
        compared."""
        label = KIND_LABELS[self.kind]
        return label.replace("no visual match", self.not_matched) if self.evidence is None else label

    @property
    def why_unmatched(self) -> str:
        """The sentence under a row without evidence: who listed it and why nothing matched."""
        by = "named by the complainant" if self.named else "in the decision in force"
        return f"{by}; {NOT_MATCHED[self.not_matched]}"

    @property
    def score(self) -> float:
        return self.evidence.score if self.evidence else 0.0

    @property
    def match(self) -> str:
        """How it matched: identical file, whole, flipped, region; or the absence of a match."""
        if self.evidence is None:
            return self.not_matched
        return "identical file" if self.evidence.identical else self.evidence.kind

    @property
    def post_ids(self) -> list[int]:
        return [p.id for p in self.posts]

    @property
    def first_post(self) -> MatchedPost | None:
        return self.posts[0] if self.posts else None


@dataclass
class TriageResult:
    candidates: list[TriageCandidate]
    problems: list[str] = field(default_factory=list)
    """Complaint images that could not be compared (archived copy missing or unreadable)."""
    compared: int = 0
    """Complaint images searched for (their archived copies read)."""
    grids: list[str] = field(default_factory=list)
    """A line for each complaint image that is a grid of more pictures than were found (`limits.grid_found`), one
    plain colour and matching nothing (`limits.blank_picture`), or animated (`limits.animated`)."""

    def nothing_found(self) -> str:
        """What the screen says when no candidate was found: what the search can miss (`limits.can_miss`) when a
        picture was searched for, as the reply's warning says (`owner_warnings.NOT_MINE_LIMITS`)."""
        if not self.compared:
            return "Nothing logged or archived is named in the complaint, and it sent no picture to compare."
        return (
            f"Nothing logged or archived is named or looks like the complaint's images: {limits.can_miss()} "
            "(V shows theirs)."
        )

    @property
    def posts(self) -> list[MatchedPost]:
        """Every post of every candidate, once, in the candidates' order (what a decision may act on)."""
        seen: dict[int, MatchedPost] = {}
        for c in self.candidates:
            for p in c.posts:
                seen.setdefault(p.id, p)
        return list(seen.values())

    def sure_images(self) -> set[int]:
        """The archived images the complainant's pictures match as sure as the search gets (`BLOCKING`): the
        pictures the complaint is about, for what a take-down leaves live elsewhere (`live_copies`)."""
        return {c.image_id for c in self.candidates if c.evidence is not None and c.evidence.confidence in BLOCKING}


def _region_text(result: MatchResult) -> str | None:
    region = result.candidate.region
    if region is None or result.candidate.kind != "region":
        return None
    return (
        f"the archived image's {describe_box(region.image_box)} matches "
        f"the complaint image's {describe_box(region.query_box)}"
    )


def _distance_text(result: MatchResult) -> str | None:
    """The hash distances, labelled by what they measure: a region match rests on its windows' distance, and the
    whole pictures' distances (large when a post is shown in a screenshot) are said to be of the whole, and whether
    they make it the same picture as a whole, as `tracker match` says them."""
    c = result.candidate
    whole = f"pHash {c.phash_distance}, dHash {c.dhash_distance}"
    if c.region is None or c.kind != "region":
        return whole
    alike = max(c.evidence.get("whole", 0.0), c.evidence.get("flipped", 0.0)) >= MATCH_SCORE
    said = "alike as a whole too" if alike else "not the same as a whole"
    return f"region {c.region.distance:g} (the part that matched); whole picture: {whole} ({said})"


def _row(result: MatchResult, complaint_image: str) -> TriageCandidate:
    evidence = Evidence(
        score=result.candidate.score,
        confidence=result.candidate.confidence,
        kind=result.candidate.kind,
        matched=list(result.candidate.matched),
        complaint_image=complaint_image,
        region=_region_text(result),
        identical=result.identical,
        distance=_distance_text(result),
    )
    posts = list(result.posts)
    return TriageCandidate(
        key=f"image-{result.image_id}",
        image_id=result.image_id,
        original_name=result.original_name,
        posts=posts,
        named=False,
        evidence=evidence,
        input_of=list(result.input_of),
    )


def triage(
    factory: sessionmaker[Session],
    settings: Settings,
    complaint: Complaint,
    top: int = MATCH_TOP,
    min_score: float = MATCH_SCORE,
) -> TriageResult:
    """The complaint's candidates: the posts it names first, then what `tracker match` finds for its
    images, in the same order (one complaint image) or by score (several), each image once.

    The search is `matching.search.match_reading` with `tracker match`'s defaults, so the screen
    and the command never disagree: posted images, archived images without a post, and recorded
    input images (with the posts made from them) are all candidates.
    """
    from tracker.matching.screenshots import grid_tiles  # numpy: only when images are compared

    problems: list[str] = []
    grids: list[str] = []
    rows: dict[int, TriageCandidate] = {}
    compared = 0
    for item in complaint.images:
        try:
            reading = read_image(settings.archive_dir / item.archive_path)
        except TrackerError as exc:
            problems.append(f"{item.original_name}: {exc}")
            continue
        compared += 1
        results = match_reading(factory, settings, reading, top=top, min_score=min_score)
        for result in results:
            known = rows.get(result.image_id)
            if known is None or result.candidate.score > known.score:
                rows[result.image_id] = _row(result, item.original_name)
        said = limits.grid_found(grid_tiles(reading.displayed), len(results))
        if said:
            grids.append(f"{item.original_name} is {said}")
        elif not results and limits.is_blank(reading.displayed):  # nothing in it to compare, as `tracker match` says
            grids.append(limits.blank_picture(item.original_name).removesuffix("."))
        frames = limits.frame_count(reading.image)
        if frames > 1:  # a later frame may show another post: only the first is hashed
            grids.append(limits.animated(item.original_name, frames).removesuffix("."))
    matched = list(rows.values())
    if len(complaint.images) > 1:
        matched.sort(key=lambda c: -c.score)  # stable: one image's own order is kept among equals
    input_posts = {n for c in matched for use in c.input_of for n in use.post_ids}
    if input_posts:
        _add_posts_made_from_inputs(factory, matched, input_posts)
    named_ids = [link.post_id for link in complaint.named_posts]
    # The posts the decision in force acts on beyond the named ones (a take-down of another copy, say, or of
    # another persona's copy after a burn-down): listed too while no complaint image matches them.
    decision = current_decision(complaint)
    decided_ids = [n for n in (decision.post_ids if decision else []) if n not in named_ids]
    named_rows: list[TriageCandidate] = []
    if named_ids or decided_ids:
        listed = _matched_posts(factory, [*named_ids, *decided_ids])
        for post_id in [*named_ids, *decided_ids]:
            if post_id not in listed:
                continue
            named = post_id in named_ids
            post, image_id, image_name = listed[post_id]
            row = next((c for c in matched if any(p.id == post_id for p in c.image_posts)), None)
            if row is not None:
                row.named = row.named or named
                if named and row not in named_rows:
                    named_rows.append(row)
                continue
            named_rows.append(
                TriageCandidate(
                    key=f"post-{post.id}",
                    image_id=image_id,
                    original_name=image_name,
                    posts=[post],
                    named=named,
                    not_matched=_not_matched(len(complaint.images), compared),
                )
            )
    others = [c for c in matched if c not in named_rows]
    return TriageResult(named_rows + others, problems, compared, grids)


def _not_matched(sent: int, compared: int) -> str:
    """Why a named post has no visual match (a key of `NOT_MATCHED`), from how many images came and were read."""
    if not sent:
        return "no image sent"
    return "not compared" if not compared else "no visual match"


def _matched_posts(factory: sessionmaker[Session], post_ids: Iterable[int]) -> dict[int, tuple[MatchedPost, int, str]]:
    """Posts by id, as the search describes them, with their image's id and file name."""
    with factory() as session:
        found = session.scalars(
            select(Post)
            .where(Post.id.in_(sorted(set(post_ids))))
            .options(selectinload(Post.account).selectinload(Account.persona), selectinload(Post.image))
        )
        return {
            p.id: (
                MatchedPost(p.id, p.url, p.platform, p.account.persona.name, str(p.status.value)),
                p.image_id,
                p.image.original_name,
            )
            for p in found
        }


def _add_posts_made_from_inputs(
    factory: sessionmaker[Session], rows: list[TriageCandidate], post_ids: set[int]
) -> None:
    """An input image's row also carries the posts made with it: those are what a take-down removes."""
    posts = {n: found[0] for n, found in _matched_posts(factory, post_ids).items()}
    for row in rows:
        own = {p.id for p in row.posts}
        for use in row.input_of:
            row.posts += [posts[n] for n in use.post_ids if n in posts and n not in own]
            own.update(use.post_ids)


def _with_creators(image: Image, ctx: ReportContext) -> dict[str, Any]:
    """An image's accountability report, each model and LoRA with its recorded creator and page."""
    report = image_dict(image, ctx)
    creators = {
        (use.resource.kind, use.resource.name, use.resource.hash): (use.resource.creator, use.resource.source_url)
        for use in image.resources
    }
    for item in [report.get("model"), *report.get("loras", [])]:
        if item:
            item["creator"], item["source_url"] = creators.get((item["kind"], item["name"], item["hash"]), (None, None))
    return report


def post_facts(session: Session, post_id: int, ctx: ReportContext, settings: Settings) -> dict[str, Any]:
    """A candidate post's accountability facts: its report plus resource creators from the archive."""
    post = session.scalar(
        select(Post)
        .where(Post.id == post_id)
        .options(
            selectinload(Post.account).selectinload(Account.persona),
            selectinload(Post.image).selectinload(Image.resources).selectinload(ImageResource.resource),
            selectinload(Post.image).selectinload(Image.techniques),
        )
    )
    if post is None:
        raise TrackerError(f"post #{post_id} is gone")
    report = _with_creators(post.image, ctx)
    return {
        "post_id": post.id,
        "url": post.url,
        "platform": post.platform,
        "persona": post.account.persona.name,
        "status": str(post.status.value),
        "title": post.title,
        "archive_path": post.image.archive_path,
        "image": report,
        "request": {"by": post.requested_by, "permission_at": post.permission_at, "where": post.permission_ref}
        if post.requested_by
        else None,
        "provenance": image_provenance(session, post.image, settings),
    }


def candidate_facts(
    session: Session, candidate: TriageCandidate, ctx: ReportContext, settings: Settings
) -> dict[str, Any]:
    """What the triage screen shows of a candidate: its first post's facts (every post listed), or,
    for an image without a post, the image's own report. `archive_path` is the matched image."""
    image = session.scalar(
        select(Image)
        .where(Image.id == candidate.image_id)
        .options(
            selectinload(Image.resources).selectinload(ImageResource.resource),
            selectinload(Image.techniques),
            selectinload(Image.persona),
        )
    )
    if image is None:
        raise TrackerError(f"image #{candidate.image_id} is gone")
    first = candidate.first_post
    if first is not None:
        facts = post_facts(session, first.id, ctx, settings)
    else:
        facts = {
            "post_id": None,
            "url": None,
            "platform": None,
            "persona": image.persona.name if image.persona else None,
            "status": None,
            "title": None,
            "image": _with_creators(image, ctx),
            "request": None,
            "provenance": image_provenance(session, image, settings),
        }
    facts["posts"] = list(candidate.posts)
    facts["archive_path"] = image.archive_path
    facts["matched_image"] = {
        "id": image.id,
        "original_name": image.original_name,
        "width": image.width,
        "height": image.height,
        "format": image.format,
        "orientation": exif_orientation(image.raw_metadata),
    }
    return facts
