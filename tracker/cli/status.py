"""`tracker status`: one line on unanswered and overdue complaints, for a shell prompt or cron.

Exit code 1 when a complaint is overdue, so `tracker status || notify-send ...` works.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import click

from tracker.cli.context import AppContext, pass_app
from tracker.complaints.views import complainant_label, summary_dict
from tracker.db.enums import LegalBasis
from tracker.support.dates import from_iso, iso, local_day
from tracker.support.textsafe import safe_json, safe_text

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from tracker.complaints.deadlines import Overdue


def _overdue_line(c: dict[str, Any]) -> str:
    from tracker.complaints.legal import BASIS_LABELS

    due = local_day(from_iso(c["deadline_at"]))
    basis = BASIS_LABELS[LegalBasis(c["legal_basis"])]
    return safe_text(f"  #{c['id']}  OVERDUE since {due}  {complainant_label(c)}  {basis}")


def _status_data(session: Session) -> tuple[Overdue, list[dict[str, Any]]]:
    from tracker.complaints.deadlines import is_overdue, overdue_summary
    from tracker.complaints.records import open_complaints
    from tracker.support.dates import utcnow

    now = utcnow()
    summary = overdue_summary(session, now)
    overdue = [summary_dict(c, now) for c in open_complaints(session) if is_overdue(c, now)]
    return summary, overdue


@click.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print the counts and the overdue complaints as JSON.")
@pass_app
def status_cmd(app: AppContext, as_json: bool) -> None:
    """One line on unanswered and overdue complaints; exit code 1 when any is overdue (for cron)."""
    from tracker.accountability.provenance import provenance_counts, provenance_line
    from tracker.complaints.deadlines import Overdue

    summary, overdue = Overdue(0, 0, None), list[dict[str, Any]]()
    provenance: dict[str, int] = {}
    if app.database_exists():
        with app.sessions()() as session:
            summary, overdue = _status_data(session)
            provenance = provenance_counts(session, app.settings)
    if as_json:
        data = {"unanswered": summary.unanswered, "overdue": summary.overdue}
        data_all = {**data, "oldest_overdue": iso(summary.oldest_overdue), "complaints": overdue}
        click.echo(safe_json({**data_all, "provenance": provenance}))
    else:
        click.echo(summary.line())
        for c in overdue:
            click.echo(_overdue_line(c))
        line = provenance_line(provenance) if provenance else None
        if line:
            click.echo(safe_text(line))
    if summary.overdue:
        sys.exit(1)
