"""The TUI's post page shows the last check, and loudly a post that should be gone but is online."""

from __future__ import annotations

from rich.text import Text

from tracker.tui.screens.post import check_text

CHECK = {
    "state": "live",
    "reason": None,
    "checked_at": "2026-12-03T10:00:00+00:00",
    "url": "https://www.pixiv.net/ajax/illust/1",
    "status_code": 200,
    "evidence": {"status": 200, "field": "error", "value": False},
}


def test_the_post_page_shows_the_last_check_and_flags_a_post_still_online() -> None:
    never = Text()
    check_text(never, None, {"status": "taken_down"})
    assert never.plain == ""  # a post never checked shows nothing (the page stays as it was)
    for status, loud in (("live", False), ("taken_down", True), ("deleted", True)):
        out = Text()
        check_text(out, CHECK, {"status": status})
        assert "Last check" in out.plain and "HTTP 200, error = false" in out.plain
        assert ("STILL ONLINE: live" in out.plain) is loud
    gone = Text()
    check_text(gone, {**CHECK, "state": "unknown", "reason": "login wall"}, {"status": "deleted"})
    assert "unknown (login wall)" in gone.plain and "STILL ONLINE" not in gone.plain
