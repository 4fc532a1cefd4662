"""The purge plan's renderers: hostile titles, URLs and steps stay inert in every format."""

from __future__ import annotations

import csv
import io
import json
import os
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from tracker.db.enums import PurgeItemState
from tracker.purge.items import Plan, PlanItem, Section
from tracker.purge.render import (
    CSV_COLUMNS,
    md,
    md_code,
    render,
    render_csv,
    render_html,
    render_json,
    render_markdown,
)
from tracker.support.user_files import fs_text

pytestmark = pytest.mark.db

HOSTILE = (
    "[click](https://evil.example/a) <script>alert(1)</script> <img src=x onerror=alert(2)> **bold** `code` "
    "_em_ ~~gone~~ $x^2$ &amp; \x1b[31mred\x1b[0m \u202eevil www.evil.example mail@evil.example | a | b |"
    "\n# heading\n- item\n1. first"
)
SAFE_URL = "https://www.pixiv.net/artworks/123"
ODD_URL = "https://x.com/a/status/1<b>x</b>"
FORMULA = '=HYPERLINK("https://evil.example","click")'
WHEN = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)


def hostile_plan() -> Plan:
    post = PlanItem(
        id="post:1",
        section=Section.POST,
        label=f"Delete the pixiv post {SAFE_URL}",
        platform="pixiv",
        platform_name="pixiv",
        url=SAFE_URL,
        title=HOSTILE,
        posted_at=WHEN,
        post_status="live",
        steps=("Open [the page](javascript:alert(1)) and <b>delete</b>.",),
        help_page_note=HOSTILE,
        sources=("<script>src</script>",),
    )
    odd = PlanItem(
        id="post:2", section=Section.POST, label="Delete", platform="pixiv", platform_name="pixiv", url=ODD_URL,
        title=FORMULA, post_status="live", state=PurgeItemState.SKIPPED, reason=HOSTILE, marked_at=WHEN,
    )  # fmt: skip
    account = PlanItem(
        id="account:1",
        section=Section.ACCOUNT,
        label=f"Delete the X account {HOSTILE}",
        platform="x",
        platform_name="X",
        account=HOSTILE,
        account_url="javascript:alert(3)",
        steps=(HOSTILE,),
        help_page="javascript:alert(4)",
        notes=("- not a list", "# not a heading"),
        sources=(HOSTILE,),
        unverified=("delete_account",),
    )
    local = PlanItem(
        id="local:originals", section=Section.LOCAL, label="Delete the originals", files=("=cmd|' /C calc'!A0", HOSTILE)
    )
    return Plan(
        persona="night[moth](https://evil.example)",
        persona_id=1,
        generated_at=WHEN,
        items=(post, odd, account, local),
        run_id=1,
        run_started_at=WHEN,
        warnings=(HOSTILE,),
        platforms_file="/tmp/<platforms>.toml",
        platforms_override="/tmp/[data](javascript:alert(5))/<platforms>.toml",
        database="/tmp/tracker.db",
    )


def test_markdown_escaping_keeps_text_literal() -> None:
    out = render_markdown(hostile_plan())
    assert "\x1b" not in out and "\u202e" not in out and "\\x1b" in out and "\\u202e" in out
    tokens = MarkdownIt("commonmark").parse(out)
    inline = [child for token in tokens if token.children for child in token.children]
    assert not [t for t in tokens + inline if t.type in ("html_inline", "html_block")]
    hrefs = {t.attrs.get("href") for t in inline if t.type == "link_open"}
    assert hrefs == {SAFE_URL}  # only the plain post URL is a link: no title, URL, step or note makes one
    assert [t.tag for t in tokens if t.type == "heading_open"].count("h1") == 1
    html = MarkdownIt("commonmark").render(out)
    assert "<script>" not in html and "<img" not in html and "<em>" not in html.replace("<em>(", "")
    assert "[click](https://evil.example/a)" in html  # shown as text, exactly
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "# heading - item 1. first" in html
    assert "Steps from X's help: javascript:alert(4)" in html  # a help page that is no web address stays text
    assert "<code>/tmp/[data](javascript:alert(5))/&lt;platforms&gt;.toml</code>" in html


@pytest.mark.parametrize(
    "text",
    [
        "[a](b)",
        "<b>x</b>",
        "*a* _b_ `c`",
        "snake_case_name",
        "https://evil.example",
        "www.evil.example",
        "a@b.example",
        "&copy;",
        "- x",
        "1. x",
        "# x",
        "a\nb",
        "| a | b |",
        "\\[a](b)",
        "lat\\xe9/tracker.db",
        "C:\\Users\\moth\\",
        "\\- x",
        "\\1. x",
        "\\www.evil.example \\*a\\* a\\_b\\_ \\&copy; \\<b>",
    ],
)
def test_md_escape_round_trips_as_plain_text(text: str) -> None:
    html = MarkdownIt("commonmark").render(md(text)).strip()
    expected = text.replace("\n", " ").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert html == f"<p>{expected}</p>"
    assert md("snake_case_name") == "snake_case_name"


def test_a_folder_name_that_is_not_utf8_shows_one_escape_in_every_format() -> None:
    """A data folder named in Latin-1 (`lat\\xe9`): the Markdown checklist, read raw at a terminal, said
    `lat\\\\xe9` in its plain lines (the path of the database, its copies, the archive, the index) and `lat\\xe9`
    in its code spans; every text format now shows the escape other commands show (`fs_text`), once."""
    folder = os.fsdecode(b"/home/moth/lat\xe9")
    local = PlanItem(
        id="local:backups",
        section=Section.LOCAL,
        label="Delete the backups",
        notes=(f"1 archived image in {folder}/archive.",),
        files=(f"{folder}/tracker.db.old-20260101T000000",),
    )
    plan = Plan(
        persona="moth", persona_id=1, generated_at=WHEN, items=(local,), database=f"{folder}/tracker.db",
        platforms_file=f"{folder}/platforms.toml", platforms_override=f"{folder}/platforms.toml",
    )  # fmt: skip
    shown = fs_text(folder)
    assert shown == "/home/moth/lat\\xe9"
    for fmt in ("md", "html"):
        out = render(plan, fmt)
        assert "\\\\x" not in out, fmt
        assert out.count(shown) == out.count("/lat") == 5, fmt
    rendered = MarkdownIt("commonmark").render(render_markdown(plan))
    assert rendered.count(shown) == 5
    rows = list(csv.reader(io.StringIO(render_csv(plan))))
    assert rows[1][CSV_COLUMNS.index("files")] == f"{shown}/tracker.db.old-20260101T000000"
    assert rows[1][CSV_COLUMNS.index("notes")] == f"1 archived image in {shown}/archive."


def test_md_code_span_survives_backticks() -> None:
    html = MarkdownIt("commonmark").render(md_code("a `b` ``c``")).strip()
    assert html == "<p><code>a `b` ``c``</code></p>"


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.hrefs: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.hrefs += [value or "" for name, value in attrs if name == "href"]
        if any(name.startswith("on") for name, _ in attrs):
            raise AssertionError(f"event handler attribute on <{tag}>")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_is_one_inert_page() -> None:
    out = render_html(hostile_plan())
    parser = _Tags()
    parser.feed(out)
    assert set(parser.tags) <= {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "strong",
                                "ul", "ol", "li", "span", "div", "a", "em", "code"}  # fmt: skip
    assert parser.hrefs == [SAFE_URL]  # no javascript: link (not even as a help page), no link made from a title
    assert "default-src 'none'" in out and "<link" not in out and "src=" not in out.replace("src=x", "")
    text = "".join(parser.text)
    assert "<script>alert(1)</script>" in text  # shown literally, as text
    assert "\x1b" not in out and "\u202e" not in out


def test_csv_cells_cannot_run_as_formulas_and_keep_the_items() -> None:
    plan = hostile_plan()
    rows = list(csv.DictReader(io.StringIO(render_csv(plan))))
    assert [row["id"] for row in rows] == [item.id for item in plan.items]
    odd = rows[1]
    assert odd["title"] == "'" + FORMULA and odd["state"] == "skipped"
    assert rows[3]["files"].splitlines()[0] == "'=cmd|' /C calc'!A0"
    assert "\x1b" not in render_csv(plan)


def test_json_round_trips_every_text_exactly() -> None:
    plan = hostile_plan()
    out = render_json(plan)
    assert "\u202e" not in out and "\x1b" not in out
    data = json.loads(out)
    assert data["persona"] == plan.persona and data["warnings"] == [HOSTILE]
    assert data["items"][0]["title"] == HOSTILE and data["items"][1]["reason"] == HOSTILE
    assert data["summary"]["left"] == 3
    assert data["items"][0]["help_page_note"] == HOSTILE and data["items"][2]["help_page"] == "javascript:alert(4)"
    assert data["platforms_override"]["path"] == plan.platforms_override


def test_render_dispatches_every_format() -> None:
    plan = hostile_plan()
    for fmt in ("md", "csv", "html", "json"):
        assert render(plan, fmt)


HELP = "https://help.example.com/delete-post?lang=en"
ACCOUNT_HELP = "https://help.example.com/deactivate"
DATA_COPY = "/home/moth/.local/share/tracker/platforms.toml"
SHIPPED = "/opt/venv/lib/python3.11/site-packages/tracker/_data/platforms.toml"


def helpful_plan(own_copy: bool = False) -> Plan:
    """Posts on a platform with a help page and on one without, and an account with one."""
    posts = [
        PlanItem(id=f"post:{n}", section=Section.POST, label="Delete", platform=key, platform_name=name,
                 url=f"https://{key}.example/p/{n}", title=f"Post {n}", post_status="live",
                 steps=("Open the post's menu and choose Delete.",), help_page=page, help_page_note=note)
        for n, (key, name, page, note) in enumerate(
            [("ex", "Example", HELP, None), ("other", "Other", None, "none was found on Other's own site")], 1
        )
    ]  # fmt: skip
    account = PlanItem(
        id="account:1", section=Section.ACCOUNT, label="Delete the Example account moth", platform="ex",
        platform_name="Example", steps=("Settings → Delete.",), help_page=ACCOUNT_HELP,
    )  # fmt: skip
    local = PlanItem(id="local:originals", section=Section.LOCAL, label="Delete the originals")
    return Plan(
        persona="moth",
        persona_id=1,
        generated_at=WHEN,
        items=(*posts, account, local),
        platforms_file=DATA_COPY if own_copy else SHIPPED,
        platforms_override=DATA_COPY,
        database="/tmp/tracker.db",
    )


def test_markdown_shows_each_help_page_next_to_its_steps_and_where_to_correct_them() -> None:
    out = render_markdown(helpful_plan())
    lines = out.splitlines()
    example = lines.index("### Example: 1 post")
    assert lines[example + 2].startswith("How to delete one:")
    assert lines[example + 4] == f"Steps from Example's help: <{HELP}>"
    other = lines.index("### Other: 1 post")
    assert lines[other + 4] == "Other's own help page for these steps: none was found on Other's own site"
    account = next(n for n, line in enumerate(lines) if "`account:1`" in line)
    assert lines[account + 1] == "    1. Settings → Delete."
    assert lines[account + 2] == f"    - Steps from Example's help: <{ACCOUNT_HELP}>"
    tokens = MarkdownIt("commonmark").parse(out)
    inline = [child for token in tokens if token.children for child in token.children]
    hrefs = {t.attrs.get("href") for t in inline if t.type == "link_open"}
    assert {HELP, ACCOUNT_HELP} <= hrefs
    intro = out.split("## 1.")[0]
    assert f"`{SHIPPED}`" in intro and f"`{DATA_COPY}`" in intro
    assert "your data folder" in intro and "never edit the copy inside the installed tracker package" in intro


def test_html_links_each_help_page_and_names_the_data_folder_copy() -> None:
    out = render_html(helpful_plan())
    parser = _Tags()
    parser.feed(out)
    assert parser.hrefs.count(HELP) == 1 and parser.hrefs.count(ACCOUNT_HELP) == 1
    text = "".join(parser.text)
    assert f"Steps from Example's help: {HELP}" in text and f"Steps from Example's help: {ACCOUNT_HELP}" in text
    assert "Other's own help page for these steps: none was found" in text
    assert f"put a corrected copy of the whole platforms.toml at {DATA_COPY} (your data folder" in text
    assert "never edit the copy inside the installed tracker package" in text
    # the help line follows the steps of its group, before the posts
    assert out.index("How to delete one") < out.index(f'href="{HELP}"') < out.index("https://ex.example/p/1")


def test_csv_and_json_carry_help_pages_and_the_override_path() -> None:
    plan = helpful_plan()
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(render_csv(plan)))}
    assert rows["post:1"]["help_page"] == HELP and rows["post:1"]["help_page_note"] == ""
    assert rows["post:2"]["help_page"] == "" and "Other's own site" in rows["post:2"]["help_page_note"]
    assert rows["account:1"]["help_page"] == ACCOUNT_HELP
    assert DATA_COPY in rows["account:1"]["steps_override"] and "installed" in rows["post:1"]["steps_override"]
    assert rows["local:originals"]["steps_override"] == ""  # no platform steps to correct there
    header = render_csv(plan).splitlines()[0].split(",")
    assert header[:24] == list(CSV_COLUMNS[:24]) and header[24:27] == ["help_page", "help_page_note", "steps_override"]
    assert header[27:] == ["check_state", "checked_at", "check_evidence"]  # tracker check's columns, added after
    data = json.loads(render_json(plan))
    assert [item["help_page"] for item in data["items"]] == [HELP, None, ACCOUNT_HELP, None]
    assert data["platforms_file"] == SHIPPED  # kept as it was; the override is a new key
    assert data["platforms_override"]["path"] == DATA_COPY and DATA_COPY in data["platforms_override"]["advice"]


def test_an_owner_who_already_has_a_copy_is_told_to_correct_that_one() -> None:
    plan = helpful_plan(own_copy=True)
    assert plan.override_advice().startswith(
        f"If a platform changed its steps, correct them in your own copy, {DATA_COPY}"
    )
    for fmt in ("md", "html", "json", "csv"):
        assert DATA_COPY in render(plan, fmt) and "installed tracker package" in render(plan, fmt)
