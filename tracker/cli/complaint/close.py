"""`tracker complaint close N --duplicate-of M`: a complaint logged twice, closed as what it is.

The same notice saved again, or a follow-up logged as a complaint of its own, is closed as a duplicate of
the complaint that holds it (`complaints.closing`): no letter, no deadline nagging, and no false
"withdrawn by the complainant" on the record. Registered on the `complaint` group by `tracker.cli.complaint.commands`.
"""

from __future__ import annotations

import click

from tracker.cli.context import AppContext, echo_warning, pass_app
from tracker.cli.numbers import RecordNumber
from tracker.support.textsafe import safe_json


@click.command("close")
@click.argument("number", type=RecordNumber("complaint"))
@click.option(
    "--duplicate-of",
    "original",
    required=True,
    type=RecordNumber("complaint"),
    metavar="M",
    help="The complaint it repeats: the one that stays to be answered.",
)
@click.option("--json", "as_json", is_flag=True, help="Print what was closed as JSON.")
@pass_app
def complaint_close_cmd(app: AppContext, number: int, original: int, as_json: bool) -> None:
    """Close complaint NUMBER as a duplicate of complaint M: the same complaint logged twice.

    It stops counting as unanswered (status, the dashboard), gets no letter of its own (answer M), and the
    closing goes into its history. Deciding it again (`tracker complaint decide NUMBER ...`) opens it again.

    \b
    Example:
      tracker complaint close 10 --duplicate-of 2
    """
    from tracker.complaints.closing import close_as_duplicate

    app.require_database()
    closed = close_as_duplicate(app.sessions(), number, original)
    if as_json:
        only = {"posts_not_in_original": closed.only_here}
        click.echo(safe_json({"complaint": number, "status": "closed", "duplicate_of": original, **only}))
        return
    click.echo(f"Complaint #{number} closed as a duplicate of #{original}: no letter is drafted for it.")
    click.echo(f"Answer #{original}: tracker complaint show {original}")
    if closed.only_here:  # a "duplicate" about other posts: no letter answers for them now
        one = len(closed.only_here) == 1
        missing = ("post " if one else "posts ") + ", ".join(f"#{n}" for n in closed.only_here)
        posts = " ".join(f"--post {n}" for n in [*closed.original_posts, *closed.only_here])
        echo_warning(
            f"complaint #{number} names {missing}, which complaint #{original} does not: with #{number} closed, "
            f"no letter answers for {'it' if one else 'them'} (name {'it' if one else 'them'} in #{original}: "
            f"tracker complaint set {original} {posts}; or decide #{number} again to open it)"
        )
