"""Which persona a letter answers as, and the posts of the others a decision acts on, told to the owner only.

The same image can be posted under two personas. A decision may act on both posts (the triage's row is the image),
but the letter answers as one persona (`letter_facts.answering_persona`) and names only its posts: a letter that
listed the other persona's URLs, handle or platforms would tell the complainant that the two are one person. The
other posts are still in the decision (its `post_ids`, in the audit trail; confirmed like the rest) and the owner is
told of them: the CLI after `decide`, the reply's warnings, the TUI's decision form.
"""

from __future__ import annotations

from dataclasses import dataclass

from tracker.complaints.letters.letter_facts import LetterComplaint, LetterFacts, read_letter_facts
from tracker.complaints.views import StoredDecision, current_decision
from tracker.db.enums import DecisionAction
from tracker.db.plain import Readable, fetch_all


@dataclass(frozen=True)
class PersonaSplit:
    """A decision whose posts are of more than one persona: who the letter answers as, and the posts left out."""

    answering: str
    """The name of the persona the letter answers as."""
    why: str
    """How it was chosen ("the complaint's persona", ...)."""
    others: list[tuple[int, str, str]]
    """(post number, persona name, URL) of each post of another persona the decision acts on."""
    taken_down: bool

    @property
    def done(self) -> str:
        """What the decision does with the other posts, in a few words."""
        return "taken down too" if self.taken_down else "in this decision too"

    def answers_line(self) -> str:
        """Who the letter answers as and what it leaves out, short (`decide`'s "letter" row)."""
        left = ", ".join(f"#{number} ({persona})" for number, persona, _ in self.others)
        return (
            f"answers as {self.answering} ({self.why}), naming only its posts; {left}: {self.done}, never in the letter"
        )

    def owner_line(self) -> str:
        """One line for the owner: who the letter answers as, and the posts it does not name."""
        listed = ", ".join(f"#{number} ({persona}, {url})" for number, persona, url in self.others)
        done = self.done
        return (
            f"the letter answers as {self.answering} ({self.why}) and names only its posts; {done}, not named in the "
            f"letter (another persona): {listed}"
        )


def answering_why(complaint: LetterComplaint, named: bool) -> str:
    """How the answering persona was chosen, in the owner's words (`letter_facts.answering_persona`)."""
    if complaint.persona_id is not None:
        return "the complaint's persona"
    return "the persona of the first post the complaint names" if named else "the persona of the first post listed"


def persona_split(facts: LetterFacts, complaint: LetterComplaint, decision: StoredDecision) -> PersonaSplit | None:
    """The decision's posts of another persona than the one its letter answers as, or None when there are none."""
    answering = facts.answering_id(complaint, decision)
    posts = facts.decision_posts(complaint, decision)
    others = [post for post in posts if post.persona_id != answering]
    persona = facts.personas.get(answering) if answering is not None else None
    if not others or persona is None:
        return None
    named = any(number in facts.posts for number in complaint.post_ids)
    return PersonaSplit(
        answering=persona.name,
        why=answering_why(complaint, named),
        others=[(p.id, _name(facts, p.persona_id), p.url) for p in others],
        taken_down=decision.action is DecisionAction.TAKE_DOWN,
    )


def _name(facts: LetterFacts, persona_id: int) -> str:
    persona = facts.personas.get(persona_id)
    return persona.name if persona is not None else f"persona #{persona_id}"


def decision_split(db: Readable, complaint: LetterComplaint) -> PersonaSplit | None:
    """`persona_split` for the decision in force, read on connection `db` (the CLI after `decide`)."""
    decision = current_decision(complaint)
    if decision is None:
        return None
    return persona_split(read_letter_facts(db, complaint, decision), complaint, decision)


def no_persona_line(number: int) -> str:
    """Said to the owner when complaint `number` is linked to no persona and names no post of one (an X DM with no
    link, say, with more than one persona in the archive): no persona signs its letter, which is left to fill in.
    Saying whose it is signs the letter and keeps the complaint with that persona's burn-down."""
    return (
        f"complaint #{number} is linked to no persona, so no name signs the letter: say whose it is with "
        f"tracker complaint set {number} --persona NAME"
    )


def signer_unknown(db: Readable, persona: object) -> bool:
    """Whether a complaint linked to `persona` (its number or name; None: to none) has no persona to sign its letter:
    none linked, and more than one persona in the archive (with one, that one signs: `letter_facts`)."""
    if persona is not None:
        return False
    return len(fetch_all(db, "SELECT id FROM persona ORDER BY id LIMIT 2")) > 1
