"""`tracker personas` and `tracker persona set|rename|merge|remove`: the identities you post under.

`tracker personas` only reads: SQL text (`PERSONAS_SQL`, `posts.persona_renames`) on the command's read
connection (`db.plain`), so on a SQLite file at this tracker's revision it loads no SQLAlchemy at all; it
gives the same rows as `posts.personas.list_personas` (a test compares the two). Under them it says which
persona was renamed from what, from the audit trail (`former_names` in `--json`): a post's history says so,
but a persona without posts has none to say it in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from tracker.cli.context import AppContext, echo_lines, pass_app
from tracker.cli.output import table
from tracker.db.enums import UNANSWERED, PostStatus
from tracker.support.textsafe import safe_json, safe_text
from tracker.support.words import counted

if TYPE_CHECKING:
    from datetime import datetime

PERSONAS_SQL = """
SELECT p.name, p.display_name, p.contact,
    (SELECT count(*) FROM account AS a WHERE a.persona_id = p.id),
    (SELECT count(*) FROM post AS o JOIN account AS a ON a.id = o.account_id WHERE a.persona_id = p.id),
    (SELECT count(*) FROM post AS o JOIN account AS a ON a.id = o.account_id
        WHERE a.persona_id = p.id AND o.status = :live),
    (SELECT count(*) FROM complaint AS c WHERE c.persona_id = p.id AND c.status IN {unanswered})
FROM persona AS p
ORDER BY p.name
"""
"""Every persona with its counts, by name: what `PersonaSummary.to_dict` holds (`{unanswered}`: the
unanswered states, `db.plain.in_list`)."""

_COLUMNS = ("name", "display_name", "contact", "accounts", "posts", "live_posts", "open_complaints")


def persona_rows(app: AppContext) -> list[dict[str, Any]]:
    """Every persona as `tracker personas --json` prints it (a missing database is an error: `require_database`)."""
    from tracker.db.plain import fetch_all, in_list, reading
    from tracker.posts.persona_renames import former_names

    app.require_database()
    unanswered, params = in_list("unanswered", [status.value for status in UNANSWERED])
    with reading(app.reader()) as connection:
        sql = PERSONAS_SQL.format(unanswered=unanswered)
        rows = fetch_all(connection, sql, {**params, "live": PostStatus.LIVE.value})
        former = former_names(connection)
    found = [dict(zip(_COLUMNS, (*row[:3], *(int(n) for n in row[3:])), strict=True)) for row in rows]
    return [{**p, "former_names": former.get(p["name"], [])} for p in found]


def persona_renames(app: AppContext) -> dict[str, list[tuple[str, datetime]]]:
    """Each renamed persona's earlier names, oldest first, with when each was given up (`persona rename`)."""
    from tracker.db.plain import reading
    from tracker.posts.persona_renames import renames

    with reading(app.reader()) as connection:
        return renames(connection)


NAMES_SAID = 3
"""How many former names a line under `tracker personas` gives, the latest first; `--json` has them all."""


def renamed_lines(names: dict[str, list[tuple[str, datetime]]]) -> list[str]:
    """`'kite' was called 'hawk' until 2026-12-05, before that 'moth' until 2026-12-03 (persona rename).` for
    each renamed persona, under the list: the latest name first (the one its owner last knew it by), each name
    once, and at most `NAMES_SAID` of them (`and 2 earlier names`)."""
    from tracker.support.dates import local_day

    lines = []
    for name, earlier in sorted(names.items()):
        latest_first = [f"{old!r} until {local_day(at)}" for old, at in reversed(earlier)]
        said = latest_first[0]
        if len(latest_first) > 1:
            said += ", before that " + ", ".join(latest_first[1:NAMES_SAID])
        left = len(latest_first) - NAMES_SAID
        where = "persona rename"
        if left > 0:
            said += f" and {counted(left, 'earlier name')}"
            where += "; every name: tracker personas --json"
        lines.append(safe_text(f"{name!r} was called {said} ({where})."))
    return lines


def _shown_name(name: str) -> str:
    """A persona's name in the table: as it is, or quoted as a command takes it when spaces around it (a restored
    name no command makes) would not show in a column (`' moth '`)."""
    from tracker.posts.persona_names import quoted

    return safe_text(quoted(name) if name != name.strip() else name)


@click.command("personas")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@pass_app
def personas_cmd(app: AppContext, as_json: bool) -> None:
    """List your personas: their posts, live posts, open complaints and sign-off."""
    found = persona_rows(app)
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
                _shown_name(p["name"]),
                str(p["accounts"]),
                str(p["posts"]),
                str(p["live_posts"]),
                str(p["open_complaints"]),
                safe_text(signs),
            ]
        )
    echo_lines(table(rows))
    renamed = renamed_lines(persona_renames(app))
    if renamed:
        click.echo("")
        echo_lines(renamed)


@click.group("persona")
def persona_group() -> None:
    """Change a persona: its sign-off, its name, merge it into another, or remove an empty one (each in the audit
    trail); keep one a restore brought back."""


@persona_group.command("set")
@click.argument("name")
@click.option("--display-name", metavar="NAME", help="The name replies are signed with ('' clears it).")
@click.option("--contact", metavar="TEXT", help="How a complainant reaches you, under the signature ('' clears it).")
@click.option("--json", "as_json", is_flag=True, help="Print the persona as JSON.")
@pass_app
def persona_set_cmd(app: AppContext, name: str, display_name: str | None, contact: str | None, as_json: bool) -> None:
    """Record how replies about persona NAME are signed."""
    from tracker.posts.personas import list_personas, set_persona

    app.require_database()  # a persona exists only in an archive that exists
    factory = app.sessions()
    stored = set_persona(factory, name, display_name, contact)
    with factory() as session:
        found = next(p for p in list_personas(session) if p.name == stored)
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
    """Rename persona OLD to NEW (its accounts, posts and complaints follow; each post's history says so)."""
    from tracker.posts.personas import rename_persona

    app.require_database()
    was, posts = rename_persona(app.sessions(), old, new)
    kept = f" (in the history of {posts_counted(posts, 'its')}: tracker show N)" if posts else " (tracker personas)"
    click.echo(safe_text(f"Persona {was!r} is now {new.strip()!r}{kept}."))


@persona_group.command("merge")
@click.argument("source", metavar="FROM")
@click.argument("into", metavar="INTO")
@click.option("--json", "as_json", is_flag=True, help="Print what moved as JSON.")
@pass_app
def persona_merge_cmd(app: AppContext, source: str, into: str, as_json: bool) -> None:
    """Move everything of persona FROM (accounts, posts, images, complaints) to INTO, and drop FROM
    (each post's history says so).

    The posts of an account of FROM whose handle was never recorded (a pixiv artwork URL names none)
    join INTO's account on that platform, so that INTO's checklist has one account to delete there.
    """
    from tracker.posts.personas import merge_personas

    app.require_database()
    was, now, moved = merge_personas(app.sessions(), source, into)
    if as_json:
        click.echo(safe_json({"from": was, "into": now, "moved": moved}))
        return
    counts = ", ".join(counted(n, what.removesuffix("s")) for what, n in moved.items())  # "1 account, 2 posts"
    kept = f" (in the history of {posts_counted(moved['posts'], 'each')}: tracker show N)" if moved["posts"] else ""
    click.echo(safe_text(f"Merged {was!r} into {now!r}: {counts}{kept}."))


def posts_counted(n: int, which: str) -> str:
    """`its post`, `its 3 posts`, `the post`, `each of the 3 posts`: the posts whose history has the change."""
    if n == 1:
        return "its post" if which == "its" else "the post"
    return f"its {n} posts" if which == "its" else f"each of the {n} posts"


@persona_group.command("remove")
@click.argument("name")
@pass_app
def persona_remove_cmd(app: AppContext, name: str) -> None:
    """Remove persona NAME when it holds nothing: no account, post, image or complaint.

    For a name typed wrong once its posts went to the right persona (`tracker post set N --persona`).
    A persona with records is merged (`persona merge`) or burnt down (`purge plan`) instead.
    """
    from tracker.posts.personas import remove_persona

    app.require_database()
    was = remove_persona(app.sessions(), name)
    click.echo(safe_text(f"Removed persona {was!r} (it held nothing)."))


@persona_group.command("keep")
@click.argument("name")
@pass_app
def persona_keep_cmd(app: AppContext, name: str) -> None:
    """Say that persona NAME, brought back by a restore, stays: `tracker status` and its checklist stop warning.

    A restore of a backup made before a persona was scrubbed brings it back; `tracker status` says so until the
    persona is burnt down again (`tracker purge plan NAME`) or kept with this command.
    """
    from tracker.archive.returned import forget_returned, read_returned
    from tracker.errors import NotFoundError

    database = app.settings.sqlite_path
    wanted = name.strip()
    if database is None or not forget_returned(database, wanted):
        named = ", ".join(repr(p.name) for p in read_returned(database)) if database is not None else ""
        brought = f" (it names {named})" if named else ""
        raise NotFoundError(f"no restore brought back a persona {wanted!r} that tracker still warns of{brought}")
    click.echo(safe_text(f"Persona {wanted!r} stays: tracker status no longer says that a restore brought it back."))
