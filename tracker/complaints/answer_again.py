"""When a later message makes a complaint the owner's to answer again, and what to say before a letter then.

The rules `follow_ups` applies when it keeps a message, read also by `complaint reply` and the TUI before a letter
is drafted: kept apart from `follow_ups` (which writes, through the ORM) so a reply loads no SQLAlchemy.
"""

from __future__ import annotations

from datetime import datetime

from tracker.db.enums import ComplaintStatus, DecisionAction
from tracker.support.dates import local_day


def reopens(status: ComplaintStatus, action: DecisionAction | None) -> bool:
    """Whether a later message makes a complaint the owner's to answer again: its reply was sent (answered) and
    asked the sender for more (the decision in force is `ask_info`), so this is the answer it waited for."""
    return status is ComplaintStatus.ANSWERED and action is DecisionAction.ASK_INFO


def answers(received_at: datetime, decided_at: datetime) -> bool:
    """Whether a message that arrived at `received_at` can be the answer to the letter of a decision made at
    `decided_at`: not when it arrived on an earlier day. The letter cannot have gone out before it was decided, so a
    message from before then answers something else (or its date was mistyped). The day the letter was marked sent
    is no bound: owners mark a letter sent days after sending it. Days, on this machine's clock: an answer typed as
    `--received 2026-12-06` (its midnight) on the day the owner decided still counts."""
    return local_day(received_at) >= local_day(decided_at)


def answered_again(status: ComplaintStatus, decided: bool) -> bool:
    """Whether a complaint of `status` is open again with a decision in force (`decided`): their answer to the
    letter that decision sent came (`add_follow_up`); deciding makes a complaint `decided`, so only this opens one
    that has a decision. The owner reads their answer and decides again before any letter."""
    return status is ComplaintStatus.OPEN and decided


def decide_again_first(number: int, how: str) -> str:
    """The warning before a letter on a complaint open again (`answered_again`), in one wording for the CLI's
    `complaint reply` and the TUI's reply screen: `how` says how to decide again there."""
    return (
        f"complaint #{number} is open again: their answer came after this decision's letter was sent; "
        f"decide again before you answer ({how})"
    )
