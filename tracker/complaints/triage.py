"""Which posts a complaint is about: the named ones first, then every similar one.

For each image the complainant sent, the similarity engine ranks the archive (`matching`); the
posts of the matching images are merged with the posts the complaint names, keeping for each
post its best evidence. Also the candidate's accountability facts the triage screen shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from tracker.accountability.report import ReportContext
from tracker.db.models import Account, Complaint, Image, ImageResource, Post
from tracker.errors import TrackerError
from tracker.matching.search import MatchResult, describe_box, match_reading
from tracker.matching.similarity import MATCH_SCORE
from tracker.metadata.reader import read_image
from tracker.posts.views import image_dict, image_provenance
from tracker.support.settings import Settings


@dataclass(frozen=True)
class Evidence:
    """Why a post is a candidate: the best match of one complaint image against its image."""

    score: float
    kind: str
    matched: list[str]
    complaint_image: str
    region: str | None = None
    """For a region match: which part of the post matches which part of the complaint image."""
    identical: bool = False
    via_input: str | None = None
    """Set when the complaint image matches an input of the post, not the post: what that input was."""


@dataclass
class TriageCandidate:
    post_id: int
    url: str
    platform: str
    persona: str
    status: str
    image_id: int
    named: bool
    evidence: Evidence | None = None

    @property
    def score(self) -> float:
        return self.evidence.score if self.evidence else 0.0

    @property
    def kind(self) -> str:
        if self.evidence is None:
            return "named, no visual match"
        if self.evidence.via_input:
            return f"used as input: {self.evidence.via_input}"
        return "identical file" if self.evidence.identical else self.evidence.kind


@dataclass
class TriageResult:
    candidates: list[TriageCandidate]
    problems: list[str] = field(default_factory=list)
    """Complaint images that could not be compared (archived copy missing or unreadable)."""


def _region_text(result: MatchResult) -> str | None:
    region = result.candidate.region
    if region is None or result.candidate.kind != "region":
        return None
    return f"post's {describe_box(region.image_box)} matches the complaint image's {describe_box(region.query_box)}"


def triage(
    factory: sessionmaker[Session],
    settings: Settings,
    complaint: Complaint,
    top: int = 50,
    min_score: float = MATCH_SCORE,
) -> TriageResult:
    """The ranked candidates of a complaint (loaded with its images and named posts)."""
    problems: list[str] = []
    best: dict[int, Evidence] = {}
    image_posts: dict[int, list[int]] = {}
    for item in complaint.images:
        try:
            reading = read_image(settings.archive_dir / item.archive_path)
        except TrackerError as exc:
            problems.append(f"{item.original_name}: {exc}")
            continue
        for result in match_reading(factory, settings, reading, top=top, min_score=min_score):
            evidence = Evidence(
                score=result.candidate.score,
                kind=result.candidate.kind,
                matched=list(result.candidate.matched),
                complaint_image=item.original_name,
                region=_region_text(result),
                identical=result.identical,
            )
            for post in result.posts:
                image_posts.setdefault(result.image_id, []).append(post.id)
                known = best.get(post.id)
                if known is None or (not known.via_input and evidence.score > known.score):
                    best[post.id] = evidence
            for use in result.input_of:
                kind = "identical file" if result.identical else result.candidate.kind
                through = replace(
                    evidence,
                    via_input=f"the complaint image matches the {use.technique} input {result.original_name} "
                    f"({kind}, recorded as {use.kind.replace('_', ' ')})",
                )
                for post_id in use.post_ids:
                    known = best.get(post_id)
                    if known is None or not known.via_input or through.score > known.score:
                        best[post_id] = through
    named_ids = [link.post_id for link in complaint.named_posts]
    wanted = list(dict.fromkeys([*named_ids, *best]))
    with factory() as session:
        posts = {
            p.id: p
            for p in session.scalars(
                select(Post)
                .where(Post.id.in_(wanted))
                .options(selectinload(Post.account).selectinload(Account.persona))
            )
        }
    candidates = [
        TriageCandidate(
            post_id=post.id,
            url=post.url,
            platform=post.platform,
            persona=post.account.persona.name,
            status=str(post.status.value),
            image_id=post.image_id,
            named=post.id in named_ids,
            evidence=best.get(post.id),
        )
        for post in (posts.get(i) for i in wanted)
        if post is not None
    ]
    named = [c for c in candidates if c.named]
    # A complainant's work used as an input comes first: the post may no longer look like it.
    others = sorted(
        (c for c in candidates if not c.named),
        key=lambda c: (not (c.evidence and c.evidence.via_input), -c.score, c.post_id),
    )
    return TriageResult(named + others, problems)


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
    report = image_dict(post.image, ctx)
    creators = {
        (use.resource.kind, use.resource.name, use.resource.hash): (use.resource.creator, use.resource.source_url)
        for use in post.image.resources
    }
    for item in [report.get("model"), *report.get("loras", [])]:
        if item:
            item["creator"], item["source_url"] = creators.get((item["kind"], item["name"], item["hash"]), (None, None))
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
