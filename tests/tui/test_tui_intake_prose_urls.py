"""The New complaint form (Ctrl+R) reads URLs written against Japanese prose as `complaint add --from` does.

A pasted pixiv message names the owner's post and the writer's work with no space before the sentence goes on;
the form's posts and work URLs hold the URLs alone, and the complaint's screen lists the work's URL as it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing
from fixtures.tui import make_app, open_intake_form
from textual.widgets import Static, TextArea
from tui.test_tui_intake_read import NOW, SMALL, read, save, value

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("tokyo_time")]

POST = "https://www.pixiv.net/artworks/131000001"
BLOG = "https://misaki.example.jp/作品/京都の雨"
WORK = "https://www.pixiv.net/artworks/99887766"

PASTED = f"""連絡先: misaki@example.jp

突然のご連絡失礼いたします。佐藤美咲と申します。
{POST}の画像は、私のブログ{BLOG}をご覧いただければ分かるとおり、私の作品「{WORK}」のトレースです。
削除をお願いいたします。
"""


async def test_the_form_reads_urls_without_the_japanese_written_against_them(tracker: Tracker, tmp_path: Path) -> None:
    drawing(1).save(tmp_path / "post.png")
    tracker("log", tmp_path / "post.png", "--url", POST, "--persona", "moth")
    app = make_app(NOW)
    async with app.run_test(size=SMALL) as pilot:
        form = await open_intake_form(app, pilot)
        form.query_one("#message", TextArea).text = PASTED
        await read(form, pilot, None)
        assert value(form, "posts") == POST
        assert value(form, "work-urls") == f"{BLOG} {WORK}"
        await save(app, pilot)
        summary = str(app.screen.query_one("#summary-text", Static).render())
        assert f"\n  {BLOG}\n  {WORK}" in summary, summary
    assert tracker.json("complaint", "show", "1")["claimed_urls"] == [BLOG, WORK]
