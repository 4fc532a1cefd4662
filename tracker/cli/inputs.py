"""`tracker input add` and `tracker inputs`: what each image-input technique of a post was fed."""

from __future__ import annotations

from pathlib import Path

import click

from tracker.cli.context import AppContext, pass_app
from tracker.cli.numbers import check_keys
from tracker.db.enums import InputKind
from tracker.support.textsafe import safe_json, safe_text
from tracker.support.words import counted

KINDS = [k.value for k in InputKind]


@click.group("input")
def input_group() -> None:
    """Record the input images behind a post (img2img, ControlNet, IP-Adapter, vibe transfer, ...)."""


@input_group.command("add")
@click.argument("target", metavar="POST_OR_IMAGE")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--technique", type=click.IntRange(1), help="Which technique (numbered by `tracker inputs`).")
@click.option("--kind", type=click.Choice(KINDS), required=True, help="Where the input came from.")
@click.option("--licence", help="For a licensed asset (required) or a commission: the licence text or URL.")
@click.option("--note", help="Anything else worth keeping with it.")
@pass_app
def add_cmd(
    app: AppContext,
    target: str,
    file: Path,
    technique: int | None,
    kind: str,
    licence: str | None,
    note: str | None,
) -> None:
    """Record FILE as the input of one technique of POST_OR_IMAGE (a post number or URL, or image:N).

    The file is archived by content hash and hashed like a post, so a complaint whose image is
    that input is found even when the post no longer looks like it.

    \b
    Example (the pose reference ControlNet used was your own photo):
      tracker input add 12 my-pose-photo.jpg --technique 1 --kind own_asset
    """
    from tracker.posts.input_files import add_input  # reads and hashes FILE (Pillow, numpy)
    from tracker.posts.inputs import KIND_LABELS

    check_keys([target])  # image:N beyond any row id: not there
    app.require_database()  # the post must be logged already
    factory = app.sessions()
    with factory() as session:
        ctx = app.report_context(session)
    input_id, label = add_input(
        factory, app.settings, target, technique, file, InputKind(kind), app.platforms(), ctx, licence, note
    )
    click.echo(safe_text(f"Recorded input #{input_id} of {label}: {file.name} — {KIND_LABELS[InputKind(kind)]}."))


@click.command("inputs")
@click.argument("target", metavar="POST_OR_IMAGE")
@click.option("--json", "as_json", is_flag=True, help="Print the techniques and their inputs as JSON.")
@pass_app
def inputs_cmd(app: AppContext, target: str, as_json: bool) -> None:
    """List the image-input techniques of POST_OR_IMAGE and the input recorded for each."""
    from tracker.db.plain import reading
    from tracker.posts.by_key import image_key
    from tracker.posts.inputs import numbered_techniques, technique_dicts
    from tracker.posts.record import image_inputs, image_techniques

    check_keys([target])  # image:N beyond any row id: not there
    app.require_database()
    platforms = app.platforms()
    with reading(app.reader()) as db:  # SQL text, as `tracker show` reads: no SQLAlchemy at this revision
        image_id, label = image_key(db, target, platforms)
        numbered = numbered_techniques(image_techniques(db, image_id), image_inputs(db, image_id))
        data = technique_dicts(numbered, app.settings)
    if as_json:
        click.echo(safe_json({"target": label, "image_id": image_id, "techniques": data}))
        return
    if not data:
        click.echo(safe_text(f"{label}: no image-input technique in its metadata."))
        return
    missing = sum(1 for t in data if not t["inputs"])
    click.echo(safe_text(f"{label}: {counted(len(data), 'image-input technique')}, {missing} without a recorded input"))
    for t in data:
        what = " ".join(str(v) for v in (t["module"], t["model"]) if v) or "-"
        click.echo(safe_text(f"  {t['technique']}. {t['kind']}: {what}  (risk {t['risk_class']})"))
        if not t["inputs"]:
            hint = f"tracker input add {target} FILE --technique {t['technique']} --kind ..."
            click.echo(safe_text(f"     no input recorded: {hint}"))
            if t["named_in_metadata"]:
                click.echo(safe_text(f"     the metadata names its input: {', '.join(t['named_in_metadata'])}"))
        for use in t["inputs"]:
            line = f"     input #{use['id']}: {use['file']} (sha256 {use['sha256'][:12]}) — {use['kind_label']}"
            if use["licence"]:
                line += f"; licence: {use['licence']}"
            if use["note"]:
                line += f"; {use['note']}"
            click.echo(safe_text(line))
