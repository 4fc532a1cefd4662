"""`tracker account rename`: an account renamed on its platform stays one account, its post URLs with it."""

from __future__ import annotations

import click

from tracker.cli.context import AppContext, pass_app
from tracker.errors import UsageError
from tracker.support.textsafe import safe_json, safe_text
from tracker.support.userinput import check_decodable
from tracker.support.words import counted


@click.group("account")
def account_group() -> None:
    """Change a platform account of a persona (each change in the audit trail)."""


@account_group.command("rename")
@click.argument("platform")
@click.argument("old")
@click.argument("new")
@click.option("--json", "as_json", is_flag=True, help="Print the rename and each post URL changed as JSON.")
@pass_app
def account_rename_cmd(app: AppContext, platform: str, old: str, new: str, as_json: bool) -> None:
    """Record that account OLD on PLATFORM is now called NEW.

    The post URLs that hold the handle (X, Bluesky, DeviantArt, Tumblr) follow it, each old URL kept in
    the post's history; posts already logged under NEW join the same account.

    Example: tracker account rename x moth_art moth_studio
    """
    from tracker.posts.accounts import rename_account

    for name, value in (("PLATFORM", platform), ("OLD", old), ("NEW", new)):
        try:
            check_decodable({name: value})
        except UsageError:
            raise UsageError(f"{name} is not valid UTF-8 text: check the terminal's or the script's encoding") from None
    app.require_database()
    done = rename_account(app.sessions(), platform, old, new, app.platforms())
    if as_json:
        urls = [{"post": n, "old": before, "new": after} for n, before, after in done.urls]
        data = {"platform": done.platform, "old": done.old, "new": done.new, "merged": done.merged_into is not None}
        click.echo(safe_json({**data, "urls": urls}))
        return
    joined = f", joining the posts already logged under {done.new}" if done.merged_into is not None else ""
    click.echo(safe_text(f"The {done.platform} account {done.old} is now {done.new}{joined}."))
    if done.urls:
        click.echo(f"{counted(len(done.urls), 'post URL')} changed:")
    for number, before, after in done.urls:
        click.echo(safe_text(f"  post #{number}: {before} -> {after}"))
