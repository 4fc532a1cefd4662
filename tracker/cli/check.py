"""`tracker check`: ask the platforms whether posts are still online (the opt-in network command).

Thin on purpose: `tracker.checking` chooses the posts, asks and stores the answers; this module
says which hosts it will contact (on stderr, before anything is sent), prints one line per post
and flags loudly every post that is still online although it should be gone.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

import click

from tracker.cli.context import AppContext, pass_app
from tracker.support.textsafe import safe_json, safe_text
from tracker.support.words import counted, verb

if TYPE_CHECKING:
    from tracker.checking.run import Outcome


@click.command("check")
@click.argument("posts", nargs=-1, metavar="[POST]...")
@click.option("--persona", metavar="NAME", help="Check the posts of this persona.")
@click.option("--taken-down", is_flag=True, help="Only posts taken down after a complaint.")
@click.option(
    "--json", "as_json", is_flag=True, help="Print one object per post: post, url, state, checked_at, evidence."
)
@click.option(
    "--timeout",
    default=10.0,
    show_default=True,
    type=click.FloatRange(0.1, 300),
    metavar="S",
    help="Give up on one request after S seconds (connect, redirects and answer together).",
)
@click.option("--mark", is_flag=True, help="Mark the checklist item of each post found gone done, with the evidence.")
@pass_app
def check_cmd(
    app: AppContext,
    posts: tuple[str, ...],
    persona: str | None,
    taken_down: bool,
    as_json: bool,
    timeout: float,
    mark: bool,
) -> None:
    """Ask each platform whether POSTs (numbers or URLs) are still online: live, gone or unknown.

    Without POST, --persona or --taken-down, every post taken down or deleted is checked. Only
    public addresses that need no login are asked, nothing but each post's public URL or id is
    sent, and the hosts are named before anything is sent. Exit code 1 when a post that should
    be gone is still online.
    """
    from tracker.checking.run import check_targets, choose_targets, hosts_of

    app.require_database()
    platforms = app.platforms()
    factory = app.sessions()
    with factory() as session:
        targets = choose_targets(session, posts, persona, taken_down, platforms, os.environ)
    if not targets:
        click.echo("[]" if as_json else "No post to check.")
        return
    hosts = hosts_of(targets)
    if hosts:
        click.echo(
            safe_text(
                f"tracker: checking {counted(len(targets), 'post')}: asking {', '.join(hosts)} "
                "(each post's public address only)"
            ),
            err=True,
        )
    outcomes = check_targets(
        factory,
        targets,
        platforms,
        app.settings,
        timeout,
        mark=mark,
        on_outcome=None if as_json else lambda o: click.echo(_line(o)),
    )
    if as_json:
        click.echo(safe_json([o.to_dict() for o in outcomes]))
    else:
        for line in _summary(outcomes, mark):
            click.echo(line)
    if any(o.still_online for o in outcomes):
        sys.exit(1)


def _line(outcome: Outcome) -> str:
    from tracker.checking.results import evidence_text

    t, v = outcome.target, outcome.verdict
    state = v.state + (f" ({v.reason})" if v.reason else "")
    line = f"  #{t.post_id}  {t.platform}  {state}: {evidence_text(v.evidence)}  {t.url}"
    if outcome.marked:
        line += "  -> marked done"
    return safe_text(line)


def _summary(done: list[Outcome], mark: bool) -> list[str]:
    states = {s: sum(1 for o in done if o.verdict.state == s) for s in ("live", "gone", "unknown")}
    lines = [f"{states['gone']} gone, {states['live']} live, {states['unknown']} unknown."]
    for o in done:
        if o.still_online:
            why = (
                f"is marked done on the purge checklist of {o.target.persona}"
                if o.target.item_state == "done"
                else f"is recorded as {o.target.post_status.replace('_', ' ')}"
            )
            where = f"post #{o.target.post_id} {o.target.url}"
            lines.append(safe_text(f"STILL ONLINE: {where} {why}, but {o.target.platform} still shows it."))
    open_gone = [o for o in done if o.markable and not o.marked]
    if open_gone and not mark:
        n = len(open_gone)
        lines.append(
            f"{counted(n, 'post')} found gone {verb(n, 'is', 'are')} still open on the purge checklist: "
            "run again with --mark to mark them done with this evidence."
        )
    return lines
