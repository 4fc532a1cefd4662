"""`tracker personas` and `tracker persona set|rename|merge`: the identities you post under."""

from __future__ import annotations

import click

from tracker.cli.context import AppContext, echo_lines, pass_app
from tracker.cli.output import table
from tracker.posts.personas import list_personas, merge_personas, rename_persona, set_persona
from tracker.support.textsafe import safe_json, safe_text


@click.command("personas")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@pass_app
def personas_cmd(app: AppContext, as_json: bool) -> None:
    """List your personas: their posts, live posts, open complaints and sign-off."""
    found = []
    if app.database_exists():
        with app.sessions()() as session:
            found = [p.to_dict() for p in list_personas(session)]
    if as_json:
        click.echo(safe_json(found))
        return
    if not found:
        click.echo("No personas yet: the first `tracker log ... --persona NAME` makes one.")
        return
    rows = [["PERSONA", "ACCOUNTS", "POSTS", "LIVE", "OPEN COMPLAINTS", "SIGNS AS"]]
    for p in found:
        signs = p["display_name"] or "-"
        rows.append(
            [
                safe_text(p["name"]),
                str(p["accounts"]),
                str(p["posts"]),
                str(p["live_posts"]),
                str(p["open_complaints"]),
                safe_text(signs),
            ]
        )
    echo_lines(table(rows))


@click.group("persona")
def persona_group() -> None:
    """Change a persona: its sign-off, its name, or merge it into another (each in the audit trail)."""


@persona_group.command("set")
@click.argument("name")
@click.option("--display-name", metavar="NAME", help="The name replies are signed with ('' clears it).")
@click.option("--contact", metavar="TEXT", help="How a complainant reaches you, under the signature ('' clears it).")
@click.option("--json", "as_json", is_flag=True, help="Print the persona as JSON.")
@pass_app
def persona_set_cmd(app: AppContext, name: str, display_name: str | None, contact: str | None, as_json: bool) -> None:
    """Record how replies about persona NAME are signed."""
    factory = app.sessions()
    set_persona(factory, name, display_name, contact)
    with factory() as session:
        found = next(p for p in list_personas(session) if p.name == name.strip())
    if as_json:
        click.echo(safe_json(found.to_dict()))
        return
    click.echo(safe_text(f"Replies about {found.name} are signed: {found.display_name or found.name}"))
    if found.contact:
        click.echo(safe_text(f"  contact: {found.contact}"))


@persona_group.command("rename")
@click.argument("old")
@click.argument("new")
@pass_app
def persona_rename_cmd(app: AppContext, old: str, new: str) -> None:
    """Rename persona OLD to NEW (its accounts, posts and complaints follow)."""
    rename_persona(app.sessions(), old, new)
    click.echo(safe_text(f"Persona {old.strip()!r} is now {new.strip()!r}."))


@persona_group.command("merge")
@click.argument("source", metavar="FROM")
@click.argument("into", metavar="INTO")
@click.option("--json", "as_json", is_flag=True, help="Print what moved as JSON.")
@pass_app
def persona_merge_cmd(app: AppContext, source: str, into: str, as_json: bool) -> None:
    """Move everything of persona FROM (accounts, posts, images, complaints) to INTO, and drop FROM."""
    moved = merge_personas(app.sessions(), source, into)
    if as_json:
        click.echo(safe_json({"from": source.strip(), "into": into.strip(), "moved": moved}))
        return
    counts = ", ".join(f"{n} {what}" for what, n in moved.items())
    click.echo(safe_text(f"Merged {source.strip()!r} into {into.strip()!r}: {counts}."))
