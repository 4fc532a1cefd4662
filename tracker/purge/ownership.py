"""Which rows belong to a persona: what its scrub deletes, and which shared images stay."""

from __future__ import annotations

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from tracker.db.models import (
    Account,
    Complaint,
    ComplaintImage,
    ComplaintPost,
    Decision,
    Image,
    ImageInput,
    ImageResource,
    Persona,
    Post,
    PurgeItem,
    PurgeRun,
    Resource,
    Takedown,
    Technique,
)
from tracker.errors import NotFoundError


def find_persona(session: Session, name: str) -> Persona:
    """The persona of this name, or NotFoundError."""
    persona = session.scalar(select(Persona).where(Persona.name == name.strip()))
    if persona is None:
        raise NotFoundError(f"no persona {name.strip()!r}")
    return persona


def persona_rows(persona_id: int) -> dict[str, Select[int]]:
    """The ids of every row the scrub of a persona deletes, as one SELECT per table (by table name).

    An image goes only when no other persona uses it (posted it, or has it as its own); one that
    another persona also posted stays. A complaint goes when it is about this persona (it names
    the persona's posts, its replies quote them, and its complainant's personal data has no other
    purpose). A model (`resource`) goes when only this persona's images named it.
    """
    pid = persona_id
    accounts = select(Account.id).where(Account.persona_id == pid)
    posts = select(Post.id).where(Post.account_id.in_(accounts))
    other_post, other_account = aliased(Post), aliased(Account)
    posted_here = select(Post.id).where(Post.image_id == Image.id, Post.account_id.in_(accounts)).correlate(Image)
    posted_elsewhere = (
        select(other_post.id)
        .join(other_account, other_account.id == other_post.account_id)
        .where(other_post.image_id == Image.id, other_account.persona_id != pid)
        .correlate(Image)
    )
    other_output = aliased(Image)
    input_elsewhere = (  # an input image another persona's image was also made from stays for that persona
        select(ImageInput.id)
        .join(other_output, other_output.id == ImageInput.image_id)
        .where(ImageInput.input_image_id == Image.id, other_output.persona_id != pid)
        .correlate(Image)
    )
    images = select(Image.id).where(
        or_(Image.persona_id == pid, exists(posted_here)),
        or_(Image.persona_id.is_(None), Image.persona_id == pid),
        ~exists(posted_elsewhere),
        ~exists(input_elsewhere),
    )
    other_use = aliased(ImageResource)
    resources = select(Resource.id).where(
        exists(
            select(ImageResource.id)
            .where(ImageResource.resource_id == Resource.id, ImageResource.image_id.in_(images))
            .correlate(Resource)
        ),
        ~exists(
            select(other_use.id)
            .where(other_use.resource_id == Resource.id, other_use.image_id.not_in(images))
            .correlate(Resource)
        ),
    )
    named = select(ComplaintPost.complaint_id).where(ComplaintPost.post_id.in_(posts))
    complaints = select(Complaint.id).where(
        or_(Complaint.persona_id == pid, and_(Complaint.persona_id.is_(None), Complaint.id.in_(named)))
    )
    runs = select(PurgeRun.id).where(PurgeRun.persona_id == pid)
    decisions = select(Decision.id).where(Decision.complaint_id.in_(complaints))
    return {
        "purge_item": select(PurgeItem.id).where(PurgeItem.run_id.in_(runs)),
        "purge_run": runs,
        "takedown": select(Takedown.id).where(or_(Takedown.post_id.in_(posts), Takedown.decision_id.in_(decisions))),
        "decision": decisions,
        "complaint_post": select(ComplaintPost.id).where(
            or_(ComplaintPost.complaint_id.in_(complaints), ComplaintPost.post_id.in_(posts))
        ),
        "complaint_image": select(ComplaintImage.id).where(ComplaintImage.complaint_id.in_(complaints)),
        "complaint": complaints,
        "post": posts,
        "image_resource": select(ImageResource.id).where(ImageResource.image_id.in_(images)),
        "image_input": select(ImageInput.id).where(ImageInput.image_id.in_(images)),
        "technique": select(Technique.id).where(Technique.image_id.in_(images)),
        "image": images,
        "resource": resources,
        "account": accounts,
        "persona": select(Persona.id).where(Persona.id == pid),
    }


def used_images(persona_id: int) -> Select[int]:
    """Every image the persona posted or holds, including those another persona also uses."""
    posted = (
        select(Post.id)
        .join(Account, Account.id == Post.account_id)
        .where(Post.image_id == Image.id, Account.persona_id == persona_id)
        .correlate(Image)
    )
    return select(Image.id).where(or_(Image.persona_id == persona_id, exists(posted)))


def count_rows(session: Session, query: Select[int]) -> int:
    return int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)
