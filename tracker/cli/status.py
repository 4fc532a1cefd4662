"""`tracker status`: one line on unanswered and overdue complaints, for a shell prompt or cron.

Exit code 1 when a complaint is overdue, so `tracker status || notify-send ...` works.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from tracker.accountability.provenance import provenance_counts, provenance_line
from tracker.checking.overdue import VERIFY_AFTER, unverified_takedowns
from tracker.cli.context import AppContext, pass_app
from tracker.complaints.legal import BASIS_LABELS
from tracker.complaints.queue import Overdue, complainant_label, overdue_complaints, overdue_summary, summary_dict
from tracker.db.enums import LegalBasis
from tracker.support.dates import from_iso, iso, local_day, utcnow
from tracker.support.textsafe import safe_json, safe_text
from tracker.support.words import counted


def _overdue_line(c: dict[str, Any]) -> str:
    due = local_day(from_iso(c["deadline_at"]))
    basis = BASIS_LABELS[LegalBasis(c["legal_basis"])]
    return safe_text(f"  #{c['id']}  OVERDUE since {due}  {complainant_label(c)}  {basis}")


@click.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print the counts and the overdue complaints as JSON.")
@pass_app
def status_cmd(app: AppContext, as_json: bool) -> None:
    """One line on unanswered and overdue complaints; exit code 1 when any is overdue (for cron)."""
    summary, overdue = Overdue(0, 0, None), list[dict[str, Any]]()
    provenance: dict[str, int] = {}
    unverified = 0
    if app.database_exists():
        now = utcnow()
        with app.engine().connect() as conn:
            summary = overdue_summary(conn, now)
            overdue = [summary_dict(c, now) for c in overdue_complaints(conn, now)]
            provenance = provenance_counts(conn, app.settings)
            unverified = unverified_takedowns(conn, now)
    if as_json:
        data = {"unanswered": summary.unanswered, "overdue": summary.overdue}
        data_all = {**data, "oldest_overdue": iso(summary.oldest_overdue), "complaints": overdue}
        click.echo(safe_json({**data_all, "provenance": provenance, "unverified_takedowns": unverified}))
    else:
        click.echo(summary.line())
        for c in overdue:
            click.echo(_overdue_line(c))
        line = provenance_line(provenance) if provenance else None
        if line:
            click.echo(safe_text(line))
        if unverified:
            click.echo(
                f"{counted(unverified, 'taken-down post')} not verified gone after {VERIFY_AFTER.days} days: "
                "tracker check --taken-down asks the platforms."
            )
    if summary.overdue:
        sys.exit(1)
