"""A purge plan as Markdown, CSV, HTML or JSON: the same items, with the same stable ids.

Every text in a plan is untrusted (post titles and URLs come from the archive, steps from a
user-editable `platforms.toml`), so each format escapes it its own way:

- Markdown: control characters are shown as escapes, newlines become spaces, and every character
  that could start markup, a link, an HTML tag, an entity, an autolink or math is backslash-escaped;
  a post URL becomes an autolink only when it is a plain http(s)/at URL, a platform's help page only
  when it is a plain http(s) URL.
- HTML: one self-contained printable page (inline CSS, a Content-Security-Policy that loads
  nothing, no script); every text is HTML-escaped, and only http(s) URLs become links.
- CSV: the csv module quotes; cells that a spreadsheet would run as a formula get a leading `'`.
- JSON: `json` with control and bidi characters escaped.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Callable, Iterable
from datetime import datetime
from itertools import groupby

from tracker.db.enums import PurgeItemState
from tracker.purge.items import SECTION_TITLES, Plan, PlanItem, Section
from tracker.support.dates import from_iso, local_day, local_minute
from tracker.support.shell import command
from tracker.support.textsafe import safe_json, safe_text
from tracker.support.words import counted

__all__ = ["FORMATS", "render", "render_csv", "render_html", "render_json", "render_markdown"]

FORMATS = ("md", "csv", "html", "json")


def _day(value: datetime | None) -> str:
    return local_day(value, missing="unknown")


def _minute(value: datetime | None) -> str:
    return local_minute(value, missing="unknown")


def render(plan: Plan, fmt: str) -> str:
    """The plan in one of `FORMATS`."""
    renderers: dict[str, Callable[[Plan], str]] = {
        "md": render_markdown,
        "csv": render_csv,
        "html": render_html,
        "json": render_json,
    }
    return renderers[fmt](plan)


def _plain(text: str) -> bool:
    """Printable ASCII only: nothing `safe_text` would change (its per-character loop is skipped)."""
    return text.isascii() and text.isprintable()


def _one_line(text: object) -> str:
    """Untrusted text on one line, with control and bidi characters made visible."""
    line = re.sub(r"\r\n|\r|\n", " ", "" if text is None else str(text))
    return line if _plain(line) else safe_text(line)


def file_name(name: str) -> str:
    """A file name as every text format of the plan shows it: a newline or other control character in it as its
    escape (`new\\x0aline.png`), as tracker shows such names everywhere, never as a line break or a space
    (a name that does not exist). JSON keeps the name itself (its own escaping is exact)."""
    return safe_text(name)


def _progress(plan: Plan) -> str:
    manual = [item for item in plan.items if not item.automatic]
    settled = sum(1 for item in manual if item.settled)
    automatic = len(plan.items) - len(manual)
    return (
        f"{settled} of {len(manual)} items done or skipped, {len(manual) - settled} left; "
        f"{automatic} more are done by the scrub itself."
    )


def _intro(plan: Plan, text: Callable[[str], str], code: Callable[[str], str]) -> list[str]:
    """The opening paragraphs, built from a text escaper and a code formatter of the output format."""
    name = plan.persona
    example = next((item.id for item in plan.items if not item.automatic), "post:1")
    return [
        text(
            "Everything tracker knows about this persona, in the order it has to go: export what you want "
            "to keep, leave the services that block account deletion, delete every post, delete the "
            "accounts, then clear the traces on this computer. Nothing of any other persona is listed."
        ),
        text("Tick an item off with ")
        + code("tracker purge mark ITEM done")
        + text(" (ITEM is the id on its line, such as ")
        + code(example)
        + text("), or ")
        + code('tracker purge mark ITEM skipped --reason "..."')
        + text(", or ")
        + code("tracker purge mark ITEM failed")
        + text(". ")
        + code(command("tracker", "purge", "status", name))
        + text(" shows what is left. When nothing is, ")
        + code(command("tracker", "purge", "scrub", name))
        + text(" deletes the persona from tracker for good."),
        text("The platform facts (steps, waiting periods) come from ")
        + code(plan.platforms_file or "platforms.toml")
        + text(
            " and may be out of date: check them on the site, starting from the platform's own help page "
            "shown next to the steps where one is known. "
        )
        + _advice(plan, text, code),
    ]


def _advice(plan: Plan, text: Callable[[str], str], code: Callable[[str], str]) -> str:
    """Where to correct changed steps (the data folder's copy, never the installed one), path as code."""
    before, path, after = plan.override_advice_parts()
    return text(before) + (code(path) if path else "") + text(after)


def _help_text(item: PlanItem) -> tuple[str, str | None]:
    """The help-page line of an item as (text before the link, link), or ('', None) when it has none.

    With a page: ("Steps from pixiv's help: ", URL). Without one: ("pixiv's own help page for these
    steps: <why not>", None).
    """
    name = item.platform_name or item.platform or "the platform"
    if item.help_page:
        return f"Steps from {name}'s help: ", item.help_page
    if item.help_page_note:
        return f"{name}'s own help page for these steps: {item.help_page_note}", None
    return "", None


def _web_link(url: str) -> bool:
    """A help page becomes a link only as a plain http(s) URL (never at://, javascript: or anything odd)."""
    return _linkable(url) and url.startswith(("https://", "http://"))


def _state_note(item: PlanItem) -> str:
    """What the mark says, as plain text ('' for an open item)."""
    if item.automatic:
        return "done by tracker purge scrub"
    when = f" {_day(item.marked_at)}" if item.marked_at else ""
    if item.state is PurgeItemState.DONE:
        note = f"done{when}"
        if item.final_after is not None:
            note += f"; final after {_day(item.final_after)}"
            if item.waiting_unconfirmed:
                note += f" if the sources' unconfirmed {item.waiting_period_days} days are right"
            if item.login_cancels_deletion:
                note += ", do not log in before then"
        return note
    if item.state is PurgeItemState.SKIPPED:
        return f"skipped{when}: {item.reason or ''}"
    if item.state is PurgeItemState.FAILED:
        return f"FAILED{when}" + (f": {item.reason}" if item.reason else "")
    return ""


def _check_note(item: PlanItem) -> str:
    """The post's last `tracker check` in a few words ('' when never checked); loud when it is still online."""
    check = item.last_check
    if not check:
        return ""
    when = _day(from_iso(check.get("checked_at")))
    if item.still_online:
        return f"STILL ONLINE at the last check {when}: the platform still shows it"
    state = str(check.get("state")) + (f" ({check['reason']})" if check.get("reason") else "")
    status = check.get("status_code")
    return f"last check {when}: {state}" + (f", HTTP {status}" if status is not None else "")


def _verification(plan: Plan) -> list[str]:
    """The plan's last step, as plain sentences: check that every post is gone, and what the last checks found."""
    found = plan.verification()
    lines = [
        f"When the posts are deleted, check that the platforms no longer show them: {found['command']} asks each "
        "platform's public address (nothing else is sent) and marks every post it finds gone done, with the evidence.",
        f"Last checks: {found['gone']} gone, {found['live']} live, {found['unknown']} unknown, "
        f"{found['never_checked']} never checked. An unknown answer is never counted as gone: check those by hand.",
    ]
    if found["still_online"]:
        lines.append(f"STILL ONLINE at the last check: {', '.join(found['still_online'])}.")
    return lines


def _post_groups(items: list[PlanItem]) -> Iterable[tuple[str, list[PlanItem]]]:
    for _, group in groupby(items, key=lambda item: item.platform):
        posts = list(group)
        yield posts[0].platform_name or posts[0].platform or "?", posts


# ---------------------------------------------------------------------------- Markdown

_MD_SPECIAL = re.compile(r"(\\(?=[!-/:-@\[-`{-~]|$)|[`*\[\]<>&|~$#])")
"""What starts markup. A backslash only before ASCII punctuation (which it would escape) or at the end (a hard
line break before the next line): elsewhere CommonMark shows it as is, so an escape `safe_text` made of a control
character or of a file name's byte that is not UTF-8 (`lat\\xe9`) reads the same raw as rendered, never `lat\\\\xe9`."""
_MD_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
_MD_AUTOLINK = re.compile(r"(?i)(://|www\.|@)")
_MD_LEADING = re.compile(r"^(\s*)([-+=])")
_MD_ORDERED = re.compile(r"^(\s*\d+)([.)])")
_PLAIN_URL = re.compile(r"(?:https?|at)://[^\s<>`\\\x00-\x1f\x7f-\x9f\"']+")


def _linkable(url: str) -> bool:
    """A plain ASCII http(s)/at URL with nothing that could end a link or hide text."""
    return _plain(url) and _PLAIN_URL.fullmatch(url) is not None


def md(text: object) -> str:
    """Untrusted text as inert Markdown: it reads as itself, never as markup, a link or HTML."""
    out = _MD_SPECIAL.sub(r"\\\1", _one_line(text))
    out = _MD_UNDERSCORE.sub(r"\\_", out)  # inside a word (snake_case) `_` cannot start emphasis
    out = _MD_AUTOLINK.sub(lambda m: m.group(1)[:-1] + "\\." if m.group(1).endswith(".") else "\\" + m.group(1), out)
    out = _MD_ORDERED.sub(lambda m: m.group(1) + "\\" + m.group(2), out)
    return _MD_LEADING.sub(lambda m: m.group(1) + "\\" + m.group(2), out)


def md_code(text: object) -> str:
    """Untrusted text as a Markdown code span (shown literally, never as markup or a link)."""
    body = _one_line(text)
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if body.startswith("`") or body.endswith("`") or longest else ""
    return f"{fence}{pad}{body}{pad}{fence}"


def _md_url(url: str) -> str:
    return f"<{url}>" if _linkable(url) else md(url)


def _md_box(item: PlanItem) -> str:
    return "- [x]" if item.state in (PurgeItemState.DONE, PurgeItemState.SKIPPED) else "- [ ]"


def _md_state(item: PlanItem) -> str:
    note = _state_note(item)
    return f" *({md(note)})*" if note else ""


def _md_help(item: PlanItem) -> str:
    """The help-page line as Markdown ('' when the item has none)."""
    words, url = _help_text(item)
    if not words:
        return ""
    if url is None:
        return md(words)
    return md(words) + (f"<{url}>" if _web_link(url) else md(url))


def _md_details(item: PlanItem, with_sources: bool = True) -> list[str]:
    lines = [f"    {number}. {md(step)}" for number, step in enumerate(item.steps, 1)]
    if help_line := _md_help(item):
        lines.append(f"    - {help_line}")
    lines += [f"    - {md(note)}" for note in item.notes]
    if item.unverified:
        lines.append(f"    - Not confirmed by the sources: {md(', '.join(item.unverified))}. Check it on the site.")
    lines += [f"    - {md(file_name(name))}" for name in item.files]
    if with_sources and item.sources:
        lines.append(f"    - Sources: {md('; '.join(item.sources))}")
    return lines


def _md_item(item: PlanItem) -> list[str]:
    scrub = " *(tracker purge scrub does this)*" if item.automatic else ""
    head = f"{_md_box(item)} **{md(item.label)}** `{item.id}`{scrub}{_md_state(item) if not item.automatic else ''}"
    if item.account_url:
        head += f" — {_md_url(item.account_url)}"
    return [head, *_md_details(item)]


def _md_post(item: PlanItem) -> str:
    title = md(item.title) if item.title else "*(no title)*"
    line = f"{_md_box(item)} {_md_url(item.url or '')} — {title} — posted {_day(item.posted_at)} `{item.id}`"
    if item.new_since_start:
        line += " *(logged after the purge started)*"
    if item.post_status == "taken_down":
        line += " *(taken down earlier: check that it is gone)*"
    if note := _check_note(item):
        line += f" **{md(note)}**" if item.still_online else f" *({md(note)})*"
    return line + _md_state(item)


def render_markdown(plan: Plan) -> str:
    """The checklist as Markdown with `- [ ]` checkboxes."""
    lines = [f"# Purge checklist: persona {md(plan.persona)}", ""]
    run = f" Purge run #{plan.run_id} started {_minute(plan.run_started_at)}." if plan.run_id else " No purge run yet."
    lines += [f"Generated {_minute(plan.generated_at)} from {md(plan.database)}.{run}", ""]
    lines += [md(_progress(plan)), ""]
    for paragraph in _intro(plan, md, md_code):
        lines += [paragraph, ""]
    for warning in plan.warnings:
        lines += [f"> **Warning:** {md(warning)}", ""]
    for number, section in enumerate(Section, 1):
        items = plan.section(section)
        lines += [f"## {number}. {SECTION_TITLES[section]} ({len(items)})", ""]
        if not items:
            lines += ["Nothing to do here.", ""]
            continue
        if section is Section.POST:
            lines += _md_posts(items)
            continue
        for item in items:
            lines += [*_md_item(item), ""]
    lines += [f"## {len(Section) + 1}. Verify it is gone", ""]
    for sentence in _verification(plan):
        lines += [md(sentence), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _md_posts(items: list[PlanItem]) -> list[str]:
    lines: list[str] = []
    for name, posts in _post_groups(items):
        first = posts[0]
        lines += [f"### {md(name)}: {counted(len(posts), 'post')}", ""]
        if first.steps:
            how = " ".join(first.steps)
            lines += [f"How to delete one: {md(how)}", ""]
        else:
            lines += ["tracker knows no steps for deleting a post here: add them to platforms.toml.", ""]
        if help_line := _md_help(first):
            lines += [help_line, ""]
        if first.unverified:
            lines += ["These steps are not confirmed by the sources: check them on the site.", ""]
        lines += [_md_post(post) for post in posts]
        lines.append("")
        if first.sources:
            lines += [f"Sources: {md('; '.join(first.sources))}", ""]
    return lines


# ---------------------------------------------------------------------------- CSV

CSV_COLUMNS = (
    "id",
    "section",
    "state",
    "reason",
    "marked_at",
    "automatic",
    "label",
    "platform",
    "platform_name",
    "account",
    "account_url",
    "url",
    "title",
    "posted_at",
    "post_status",
    "new_since_start",
    "steps",
    "notes",
    "files",
    "waiting_period_days",
    "login_cancels_deletion",
    "final_after",
    "sources",
    "unverified",
    "help_page",
    "help_page_note",
    "steps_override",
    "check_state",
    "checked_at",
    "check_evidence",
)
"""The CSV header; columns are only ever added at the end, so a spreadsheet built on the old ones keeps working."""
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        value = "\n".join(str(v) for v in value)
    text = str(value)
    if not _plain(text.replace("\n", "")):
        text = safe_text(text, keep_newlines=True)
    return "'" + text if text.startswith(_FORMULA) else text


def render_csv(plan: Plan) -> str:
    """One row per item (lists as lines within a cell), header first.

    `steps_override`, on every row with platform steps, says where corrected steps go (the data
    folder's platforms.toml, never the installed package's copy): a spreadsheet has no introduction.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    advice = plan.override_advice()
    for item in plan.items:
        data = item.to_dict()
        data["steps_override"] = advice if item.platform is not None else None
        data["files"] = [file_name(name) for name in item.files]  # one per line: a newline in one is escaped
        check = item.last_check or {}
        data["check_state"] = ("STILL ONLINE" if item.still_online else check.get("state")) if check else None
        data["checked_at"] = check.get("checked_at")
        data["check_evidence"] = safe_json(check["evidence"]) if check.get("evidence") else None
        writer.writerow([_cell(data[column]) for column in CSV_COLUMNS])
    return out.getvalue()


# ---------------------------------------------------------------------------- JSON


def render_json(plan: Plan) -> str:
    """The plan's documented dict (`Plan.to_dict`) as JSON."""
    return safe_json(plan.to_dict()) + "\n"


# ---------------------------------------------------------------------------- HTML

_CSS = """
body { font: 15px/1.45 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #111; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #999; }
h3 { font-size: 1.05rem; margin-bottom: .3rem; }
ul.items { list-style: none; padding-left: 0; } ul.items > li { margin: .5rem 0; break-inside: avoid; }
.box { display: inline-block; width: 1.2em; font-size: 1.1em; }
.id { font-family: ui-monospace, monospace; font-size: .85em; color: #555; }
.state { font-style: italic; color: #333; } .failed { color: #a00; font-weight: bold; }
.details { margin: .2rem 0 .2rem 1.6rem; font-size: .92em; } .details li { margin: .1rem 0; }
.sources { font-size: .85em; color: #555; } .help { margin: .2rem 0; }
.warning { border-left: 4px solid #c60; padding: .3rem .8rem; background: #fff4e5; }
a { color: #034ea2; overflow-wrap: anywhere; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; } a { color: #000; text-decoration: none; }
  h2, h3 { break-after: avoid; } .warning { background: none; }
}
""".strip()


def _h(text: object) -> str:
    return html.escape(_one_line(text), quote=True)


def _h_url(url: str | None) -> str:
    if not url:
        return ""
    if _linkable(url) and not url.startswith("at:"):
        return f'<a href="{_h(url)}" rel="noreferrer noopener">{_h(url)}</a>'
    return _h(url)


def _h_box(item: PlanItem) -> str:
    return (
        '<span class="box">☑</span>'
        if item.state in (PurgeItemState.DONE, PurgeItemState.SKIPPED)
        else ('<span class="box">☐</span>')
    )


def _h_state(item: PlanItem) -> str:
    note = _state_note(item)
    if not note:
        return ""
    css = "state failed" if item.state is PurgeItemState.FAILED and not item.automatic else "state"
    return f' <span class="{css}">({_h(note)})</span>'


def _h_help(item: PlanItem) -> str:
    """The help-page line as an HTML paragraph ('' when the item has none)."""
    words, url = _help_text(item)
    if not words:
        return ""
    link = "" if url is None else _h_url(url) if _web_link(url) else _h(url)
    return f'<p class="help">{_h(words)}{link}</p>'


def _h_details(item: PlanItem) -> str:
    parts = []
    if item.steps:
        parts.append("<ol>" + "".join(f"<li>{_h(step)}</li>" for step in item.steps) + "</ol>")
    if help_line := _h_help(item):
        parts.append(help_line)
    extra = [_h(note) for note in item.notes]
    if item.unverified:
        extra.append(f"Not confirmed by the sources: {_h(', '.join(item.unverified))}. Check it on the site.")
    extra += [_h(file_name(name)) for name in item.files]
    if extra:
        parts.append("<ul>" + "".join(f"<li>{text}</li>" for text in extra) + "</ul>")
    if item.sources:
        parts.append(f'<div class="sources">Sources: {_h("; ".join(item.sources))}</div>')
    return f'<div class="details">{"".join(parts)}</div>' if parts else ""


def _h_item(item: PlanItem) -> str:
    account = f" {_h_url(item.account_url)}" if item.account_url else ""
    return (
        f"<li>{_h_box(item)}<strong>{_h(item.label)}</strong>{account} "
        f'<span class="id">{_h(item.id)}</span>{_h_state(item)}{_h_details(item)}</li>'
    )


def _h_post(item: PlanItem) -> str:
    title = _h(item.title) if item.title else "<em>(no title)</em>"
    extra = " <em>(logged after the purge started)</em>" if item.new_since_start else ""
    if item.post_status == "taken_down":
        extra += " <em>(taken down earlier: check that it is gone)</em>"
    if note := _check_note(item):
        extra += f' <strong class="failed">{_h(note)}</strong>' if item.still_online else f" <em>({_h(note)})</em>"
    return (
        f"<li>{_h_box(item)}{_h_url(item.url)} — {title} — posted {_h(_day(item.posted_at))} "
        f'<span class="id">{_h(item.id)}</span>{extra}{_h_state(item)}</li>'
    )


def _h_posts(items: list[PlanItem]) -> list[str]:
    out = []
    for name, posts in _post_groups(items):
        first = posts[0]
        out.append(f"<h3>{_h(name)}: {counted(len(posts), 'post')}</h3>")
        how = " ".join(first.steps) or "tracker knows no steps for deleting a post here: add them to platforms.toml."
        out.append(f"<p>How to delete one: {_h(how)}</p>")
        if help_line := _h_help(first):
            out.append(help_line)
        if first.unverified:
            out.append("<p>These steps are not confirmed by the sources: check them on the site.</p>")
        out.append('<ul class="items">' + "".join(_h_post(post) for post in posts) + "</ul>")
        if first.sources:
            out.append(f'<p class="sources">Sources: {_h("; ".join(first.sources))}</p>')
    return out


def render_html(plan: Plan) -> str:
    """The checklist as one self-contained, printable HTML page (no script, nothing loaded)."""
    run = f" Purge run #{plan.run_id} started {_minute(plan.run_started_at)}." if plan.run_id else " No purge run yet."
    body = [
        f"<h1>Purge checklist: persona {_h(plan.persona)}</h1>",
        f"<p>Generated {_h(_minute(plan.generated_at))} from {_h(plan.database)}.{_h(run)}</p>",
        f"<p><strong>{_h(_progress(plan))}</strong></p>",
        *(f"<p>{paragraph}</p>" for paragraph in _intro(plan, _h, lambda text: f"<code>{_h(text)}</code>")),
        *(f'<p class="warning"><strong>Warning:</strong> {_h(w)}</p>' for w in plan.warnings),
    ]
    for number, section in enumerate(Section, 1):
        items = plan.section(section)
        body.append(f"<h2>{number}. {_h(SECTION_TITLES[section])} ({len(items)})</h2>")
        if not items:
            body.append("<p>Nothing to do here.</p>")
        elif section is Section.POST:
            body += _h_posts(items)
        else:
            body.append('<ul class="items">' + "".join(_h_item(item) for item in items) + "</ul>")
    body.append(f"<h2>{len(Section) + 1}. Verify it is gone</h2>")
    body += [f"<p>{_h(sentence)}</p>" for sentence in _verification(plan)]
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>Purge checklist: {_h(plan.persona)}</title>\n<style>\n{_CSS}\n</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
