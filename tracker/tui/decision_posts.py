"""The decision form's posts: each with its persona, the ones ticked at first, and the line saying what the decision
takes down and who the letter answers as.

The triage's row is an image; the same image posted under two personas gives a row with both posts. A take-down
ticks only the posts of the persona the letter answers as (`letter_facts.answering_persona`: here, with no persona
or named post, the best match's, listed first): another persona's post is taken down only when the owner ticks
it, and the form says then that the letter never names it (the complainant would learn the personas are one).
"""

from __future__ import annotations

from collections.abc import Sequence

from tracker.complaints.letters.letter_facts import answering_persona
from tracker.db.models import Complaint
from tracker.matching.search import MatchedPost


def several(posts: Sequence[MatchedPost]) -> bool:
    """Whether the posts are of more than one persona: only then does the form name each post's persona and say
    who the letter answers as (with one, the form keeps its room at 80x24)."""
    return len({post.persona for post in posts}) > 1


def post_prompt(post: MatchedPost, persona: bool) -> str:
    """A post's line in the form's list: number, platform, URL; its persona first when the list has several."""
    return (
        f"#{post.id} {post.persona} · {post.platform} {post.url}"
        if persona
        else f"#{post.id} {post.platform} {post.url}"
    )


def answering(complaint: Complaint, posts: Sequence[MatchedPost], ticked: Sequence[int]) -> tuple[str | None, str]:
    """(the persona the letter answers as, whose persona it is, in a few words: the form's line fits one row at 80
    columns), as the letter chooses it: the complaint's persona, the persona of the posts it names, else that of the
    first post ticked (`posts` puts the best match first)."""
    by_id = {post.id: post for post in posts}
    named = [by_id[link.post_id].persona for link in complaint.named_posts if link.post_id in by_id]
    listed = [post for post in posts if post.id in ticked] or list(posts[:1])
    persona = answering_persona(complaint.persona_name, named, [post.persona for post in listed])
    if complaint.persona_name is not None:
        return persona, "the complaint's"
    if named:
        return persona, "the posts it names"
    best = listed and posts and listed[0] is posts[0]
    return persona, "best match" if best else "first post ticked"


def in_list_order(posts: Sequence[MatchedPost], ticked: Sequence[int]) -> tuple[int, ...]:
    """The posts ticked, in the list's order (the best match first): the letter answers as the first one's persona."""
    return tuple(post.id for post in posts if post.id in ticked)


def first_ticked(complaint: Complaint, posts: Sequence[MatchedPost], chosen: set[int], revising: bool) -> set[int]:
    """The posts ticked when the form opens: `chosen`, less those of another persona than the one answering,
    unless the decision revised chose them (the owner did, then)."""
    if revising:
        return chosen
    persona, _ = answering(complaint, posts, sorted(chosen))
    return {post.id for post in posts if post.id in chosen and post.persona == persona}


def posts_line(complaint: Complaint, posts: Sequence[MatchedPost], ticked: Sequence[int], take_down: bool) -> str:
    """What the decision acts on, by persona, and who the letter answers as; "" with no post ticked, or when the
    posts listed are all of one persona."""
    order = [post for post in posts if post.id in ticked]
    if not order or not several(posts):
        return ""
    persona, why = answering(complaint, posts, [post.id for post in order])
    listed = ", ".join(f"#{post.id} ({post.persona}, {post.platform})" for post in order if post.persona == persona)
    listed = listed or f"none of {persona}'s posts"
    head = f"{'Takes down' if take_down else 'About'}: {listed}"
    line = f"{head} · letter answers as {persona} ({why})"  # one row at 80x24: the form under it whole
    others = [f"#{post.id} ({post.persona}, {post.platform})" for post in order if post.persona != persona]
    if others:
        line += f" · {', '.join(others)}: {'taken down too' if take_down else 'in it too'}, not named in the letter"
    return line
