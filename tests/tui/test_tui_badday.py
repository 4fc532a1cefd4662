"""The owner's bad day, in an 80x24 terminal: a complaint due tomorrow, typed into the form, answered.

The TUI says what the CLI says: the dashboard's banner names the complaints due today and tomorrow
(`tracker status`), a deadline typed as a day in the form is stored as `complaint add --deadline`
stores it (the end of that local day), and a reply's warnings (a counter-notice reveals the owner)
are shown to the owner above the letter, never in it. Each test reads what the screen draws.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing
from fixtures.imagefactory import FORGE_INFOTEXT, pixels, write_png
from fixtures.tui import footer_drawn, make_app, screen_lines, settled, wait_for
from textual.widgets import Input, Static, TextArea

from tracker.complaints.deadlines import end_of_local_day
from tracker.complaints.letters.replies import COUNTER_NOTICE_WARNING, Draft, draft_reply
from tracker.support.textsafe import cell_width
from tracker.tui.app import TrackerApp
from tracker.tui.screens.dashboard import DashboardScreen
from tracker.tui.screens.intake import IntakeScreen
from tracker.tui.screens.reply import ReplyScreen
from tracker.tui.screens.triage import TriageScreen

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("tokyo_time")]  # local time is Japan's (tests/conftest.py)

SMALL = (80, 24)
NOW = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)
"""10:00 on 3 December in Tokyo: today is the 3rd, tomorrow the 4th."""


def url(n: int) -> str:
    return f"https://www.pixiv.net/artworks/{130000000 + n}"


@pytest.fixture
def posted(tracker: Tracker, tmp_path: Path) -> Tracker:
    """Posts #1-#3, distinct drawings of persona moth."""
    for n in range(3):
        path = tmp_path / f"scene{n}.png"
        drawing(n).save(path)
        tracker("log", path, "--url", url(n), "--persona", "moth")
    return tracker


def banner(app: TrackerApp) -> Static:
    return app.screen.query_one("#banner", Static)


def add(tracker: Tracker, post: int, deadline: str) -> int:
    received = "2026-11-28T09:00:00+09:00"
    shown = tracker.json("complaint", "add", "--post", str(post), "--received", received, "--deadline", deadline)
    return int(shown["id"])


async def dashboard_shown(app: TrackerApp, pilot) -> None:  # type: ignore[no-untyped-def]
    await settled(pilot)
    await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen) and app.screen.loaded)


async def test_the_banner_names_what_is_overdue_due_today_and_due_tomorrow_in_one_line(posted: Tracker) -> None:
    late = add(posted, 1, "2026-12-01")
    today = add(posted, 2, "2026-12-03")
    tomorrow = add(posted, 3, "2026-12-04")
    app = make_app(NOW)
    async with app.run_test(size=SMALL) as pilot:
        await dashboard_shown(app, pilot)
        text = str(banner(app).render())
        assert f"1 OVERDUE (#{late})" in text, text
        assert f"1 due today (#{today}), 1 due tomorrow (#{tomorrow})" in text, text
        assert text.startswith("⚠ ") and banner(app).has_class("overdue")
        assert banner(app).region.height == 1 and cell_width(text) <= 78, "one line, whole, in 80 columns"
        assert any(f"1 due today (#{today})" in line for line in screen_lines(app)), "drawn on the screen"


async def test_due_today_and_none_overdue_is_a_warning_not_an_all_clear(posted: Tracker) -> None:
    today = add(posted, 1, "2026-12-03")
    tomorrow = add(posted, 2, "2026-12-04")
    add(posted, 3, "2026-12-20")
    app = make_app(NOW)
    async with app.run_test(size=SMALL) as pilot:
        await dashboard_shown(app, pilot)
        text = str(banner(app).render())
        assert text.startswith("⚠ ") and f"1 due today (#{today})" in text, text
        assert f"1 due tomorrow (#{tomorrow})" in text and "3 unanswered" in text, text
        assert banner(app).has_class("pending") and not banner(app).has_class("calm")
        assert banner(app).region.height == 1 and cell_width(text) <= 78
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        wide = f"⚠ 3 complaints unanswered, none overdue · 1 due today (#{today}), 1 due tomorrow (#{tomorrow})"
        assert str(banner(app).render()) == wide, "wider, the words of `tracker status`"


async def test_many_due_soon_stay_on_one_line_with_the_counts_whole(posted: Tracker) -> None:
    for _ in range(4):
        add(posted, 1, "2026-12-02")
    for _ in range(4):
        add(posted, 2, "2026-12-03")
    for _ in range(3):
        add(posted, 3, "2026-12-04")
    app = make_app(NOW)
    async with app.run_test(size=SMALL) as pilot:
        await dashboard_shown(app, pilot)
        text = str(banner(app).render())
        assert banner(app).region.height == 1 and cell_width(text) <= 78, text
        assert "4 OVERDUE" in text and "4 due today" in text and "3 due tomorrow" in text, text


def stored_deadline(tracker: Tracker, number: int) -> str:
    return str(tracker.json("complaint", "show", str(number))["deadline_at"])


async def fill_form(app: TrackerApp, pilot, **typed: str) -> IntakeScreen:  # type: ignore[no-untyped-def]
    await settled(pilot)
    await pilot.press("n")
    form = app.screen
    assert isinstance(form, IntakeScreen)
    for widget_id, value in typed.items():
        form.query_one(f"#{widget_id}", Input).value = value
    form.query_one("#message", TextArea).text = "私の作品に似ています。12月4日までにご対応ください。"
    await pilot.press("ctrl+s")
    return form


async def test_a_day_typed_as_the_deadline_is_kept_to_its_end_as_the_cli_keeps_it(posted: Tracker) -> None:
    received = "2026-12-03T09:30:00+09:00"
    app = make_app(NOW)
    async with app.run_test(size=SMALL) as pilot:
        await fill_form(app, pilot, received=received, posts="#1", deadline="2026-12-04")
        await wait_for(pilot, lambda: isinstance(app.screen, TriageScreen))
        await settled(pilot)
        said = [n.message for n in app._notifications]
    by_cli = posted.json("complaint", "add", "--post", "1", "--received", received, "--deadline", "2026-12-04")
    assert stored_deadline(posted, 1) == by_cli["deadline_at"], "the form stores what `complaint add` stores"
    assert datetime.fromisoformat(stored_deadline(posted, 1)) == end_of_local_day(date(2026, 12, 4))
    shown = posted("complaint", "show", "1").stdout
    assert re.search(r"answer by\s+2026-12-04", shown), shown
    assert "Complaint #1 logged: answer by 2026-12-04." in said, "the day stored is told, as `complaint add` does"


async def test_a_deadline_before_the_complaint_arrived_is_refused_on_its_field(posted: Tracker) -> None:
    app = make_app(NOW)
    async with app.run_test(size=SMALL) as pilot:
        form = await fill_form(app, pilot, received="2026-12-03T09:30:00+09:00", posts="#1", deadline="2026-12-01")
        await settled(pilot)
        assert app.screen is form, "refused: the form stays, nothing is saved"
        error = form.field_error("deadline")
        assert error.display and "before the complaint was received" in str(error.render())
        assert app.screen is form and form.query_one("#deadline", Input).value == "2026-12-01"
        assert app.focused is form.query_one("#deadline", Input)
    assert posted.json("complaint", "list") == []


@pytest.fixture
def counter_notice(tracker: Tracker, tmp_path: Path) -> Tracker:
    """Complaint #1, a DMCA notice the platform acted on, disputed: its reply is a counter-notice."""
    text_only = re.sub(r'ControlNet 0: "[^"]*", ', "", FORGE_INFOTEXT)
    image = write_png(tmp_path / "p.png", {"parameters": text_only}, image=pixels(seed=11))
    tracker("log", image, "--url", url(7), "--persona", "moth")
    tracker("persona", "set", "moth", "--display-name", "Moth Atelier", "--contact", "moth@example.org")
    tracker("complaint", "add", "--post", url(7), "--basis", "dmca", "--name", "Harbor", "--platform", "pixiv")
    tracker("complaint", "decide", "1", "--action", "take_down")
    tracker("complaint", "confirm", "1")
    tracker("complaint", "decide", "1", "--action", "dispute", "--reason", "independent_creation")
    return tracker


async def test_the_counter_notice_warning_is_shown_above_the_letter_and_never_in_it(
    counter_notice: Tracker, isolated_env: Path
) -> None:
    app = make_app(NOW)
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot)
        await app.push_screen(ReplyScreen(1))
        await settled(pilot)
        screen = app.screen
        assert isinstance(screen, ReplyScreen) and screen.draft is not None
        assert any("PRIVACY" in line for line in screen_lines(app)), "the owner sees the warning"
        warning = screen.query_one("#reply-warnings", Static)
        reply = screen.query_one("#reply", TextArea)
        assert warning.display and "PRIVACY" in str(warning.render())
        box = warning.region
        drawn = " ".join(line[box.x : box.right] for line in screen_lines(app)[box.y : box.bottom])
        assert " ".join(drawn.split()) == f"⚠ {COUNTER_NOTICE_WARNING}", "the whole warning is on the screen"
        assert warning.region.bottom <= reply.region.y, "above the letter"
        assert reply.region.height >= 6, "the letter keeps room to be read and edited"
        await footer_drawn(pilot)
        assert any("Copy" in line and "Answered" in line for line in screen_lines(app)[-1:]), "the footer is whole"
        assert "PRIVACY" not in reply.text and "forwards it to the complainant" not in reply.text
        await pilot.press("f2")
        await pilot.pause()
        copied = (isolated_env / "replies-out" / "complaint-1-en.txt").read_text(encoding="utf-8")
        assert "PRIVACY" not in (app.clipboard or "") and "PRIVACY" not in copied
        assert copied == f"Subject: {screen.subject}\n\n{reply.text}"


async def test_several_warnings_leave_the_letter_and_the_footer_their_room(
    counter_notice: Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tracker.tui.screens.reply as reply_screen

    said = "the reply note is in Japanese but the letter is in English: translate the note, or answer in Japanese"
    other = f"{said} (tracker complaint set 1 --lang ja)"  # as the CLI says it

    def two_warnings(*args: object, **kwargs: object) -> Draft:
        draft = draft_reply(*args, **kwargs)  # type: ignore[arg-type]
        return replace(draft, warnings=[*draft.warnings, other])

    monkeypatch.setattr(reply_screen, "draft_reply", two_warnings)
    app = make_app(NOW)
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot)
        await app.push_screen(ReplyScreen(1))
        await settled(pilot)
        screen = app.screen
        assert isinstance(screen, ReplyScreen) and screen.draft is not None
        shown = str(screen.query_one("#reply-warnings", Static).render())
        assert shown.startswith("⚠ PRIVACY") and f"\n⚠ {said} (Ctrl+L or F4 redrafts" in shown, (
            "each on its line, in TUI words"
        )
        lines = screen_lines(app)
        assert any("⚠ PRIVACY" in line for line in lines)
        reply = screen.query_one("#reply", TextArea)
        assert reply.region.height >= 6, "the letter keeps room to be read and edited"
        await footer_drawn(pilot)
        lines = screen_lines(app)
        assert "Copy" in lines[-1] and "Answered" in lines[-1], "the footer is whole"
        assert "PRIVACY" not in reply.text and other not in reply.text


async def test_a_take_down_promised_in_a_sent_reply_stays_in_view_until_confirmed(posted: Tracker) -> None:
    """The reply said 以下の投稿を削除いたします; the post is still live: neither the dashboard nor `status`
    may look calm until `complaint confirm` records it removed."""
    number = add(posted, 1, "2026-12-10")
    posted("complaint", "decide", str(number), "--action", "take_down")
    posted("complaint", "reply", str(number), "--answered")
    status = posted("status", ok=False)
    assert status.exit_code == 3, "not an all-clear"
    assert f"1 take-down promised in a sent reply, not confirmed (#{number})" in status.stdout
    shown = posted("complaint", "show", str(number)).stdout
    assert f"to remove  promised in the sent reply: #1 still live (then: tracker complaint confirm {number})" in shown
    listed = posted("complaint", "list", "--all").stdout
    assert any(line.split()[0] == str(number) and "take-down pending" in line for line in listed.splitlines()[1:])
    app = make_app(NOW)
    async with app.run_test(size=SMALL) as pilot:
        await dashboard_shown(app, pilot)
        text = str(banner(app).render())
        assert text.startswith("⚠ 1 take-down to confirm") and f"#{number}" in text, text
        assert banner(app).has_class("pending") and not banner(app).has_class("calm")
        assert any("take-down pending" in line for line in screen_lines(app)), "its row in the answered table"
    posted("complaint", "confirm", str(number))
    assert posted("status").exit_code == 0, "confirmed removed: nothing left to do"
    posted("post", "set", "1", "--status", "live")  # confirmed by mistake, or put back by the platform
    status = posted("status", ok=False)
    assert status.exit_code == 3 and f"1 take-down promised in a sent reply, not confirmed (#{number})" in status.stdout


async def test_a_complaint_asked_for_more_stays_in_view_while_its_answer_is_awaited(posted: Tracker) -> None:
    """The reply asked a lawyer for what the notice lacked: nothing is owed, but their answer is expected."""
    number = add(posted, 1, "2026-12-10")
    posted("complaint", "decide", str(number), "--action", "ask_info")
    posted("complaint", "reply", str(number), "--answered")
    status = posted("status")
    assert status.exit_code == 0, "nothing is owed: not an alarm"
    assert f"1 complaint waiting for the sender's answer to your questions (#{number})" in status.stdout
    said = " ".join(status.stdout.split())
    assert (
        f"when it comes, record it (then it is yours to answer, with a deadline): tracker complaint message {number} --from FILE"
        in said
    )
    assert "decide again" not in said, "their answer is kept first: that sets its deadline"
    assert posted.json("status")["awaiting_their_answer"] == [number]
    app = make_app(NOW)
    async with app.run_test(size=SMALL) as pilot:
        await dashboard_shown(app, pilot)
        assert any(f"#{number}" in line and "awaiting answer" in line for line in screen_lines(app))
    posted("complaint", "decide", str(number), "--action", "take_down")  # their answer came: decided again
    assert "waiting for the sender's answer" not in posted("status", ok=False).stdout


async def test_an_open_dashboard_turns_red_by_itself_when_a_deadline_passes(
    posted: Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Left open in tmux over SSH, the dashboard must not keep saying 'due today' after the deadline passed,
    nor miss a complaint another process logged: it reloads on its own, no key pressed."""
    from datetime import timedelta

    monkeypatch.setattr(DashboardScreen, "AUTO_REFRESH", 0.2)
    number = add(posted, 1, "2026-12-03T01:01:00Z")  # one minute after NOW
    now = [NOW]
    app = make_app(NOW)
    app.clock = lambda: now[0]
    async with app.run_test(size=SMALL) as pilot:
        await dashboard_shown(app, pilot)
        assert "OVERDUE" not in str(banner(app).render()) and f"#{number}" in str(banner(app).render())
        now[0] = NOW + timedelta(minutes=2)
        await wait_for(pilot, lambda: "OVERDUE" in str(banner(app).render()), timeout=10)
        later = add(posted, 2, "2026-12-01")  # logged by another process
        await wait_for(pilot, lambda: "2 complaints OVERDUE" in str(banner(app).render()), timeout=10)
        assert any(line.lstrip().startswith(f"#{later}") or f" {later} " in line for line in screen_lines(app))


async def test_a_complaint_logged_in_another_terminal_appears_within_seconds_cursor_and_filter_kept(
    posted: Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The TUI in one tmux pane, `tracker complaint add` in the other: the new complaint is on the dashboard within
    the watch's few seconds (not the next full reload's 30, nor only on `r`), the cursor on the complaint it was on,
    the filter as typed and still in focus; with nothing written, the dashboard is not read again."""
    import tracker.complaints.queue as queue

    monkeypatch.setattr(DashboardScreen, "WATCH", 0.2, raising=False)
    first, second = add(posted, 1, "2026-12-10"), add(posted, 2, "2026-12-11")
    real, loads = queue.overdue_summary, [0]

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        loads[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(queue, "overdue_summary", counted)
    app = make_app(NOW)
    async with app.run_test(size=SMALL) as pilot:
        await dashboard_shown(app, pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        table = screen.query_one("#complaints")
        await pilot.press("down")
        assert table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value == str(second)  # type: ignore[attr-defined]
        read = loads[0]
        await pilot.pause(1.0)
        assert loads[0] == read, "nothing written: the queue is not read again"
        await pilot.press("slash", *"11-28")
        field = screen.query_one("#filter", Input)
        assert field.value == "11-28" and screen.focused is field
        later = add(posted, 3, "2026-12-05")  # due first: its row comes above the cursor's
        await wait_for(pilot, lambda: table.row_count == 3, timeout=5)  # type: ignore[attr-defined]
        await settled(pilot)
        assert table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value == str(second)  # type: ignore[attr-defined]
        assert field.value == "11-28" and screen.focused is field, "what was typed stays, and where it was typed"
        assert "to answer 3/3" in str(screen.query_one("#filter-count", Static).render())
        assert any(f"#{later}" in line for line in screen_lines(app)) and first != later


async def test_a_dashboard_whose_first_load_failed_loads_again_by_itself(
    posted: Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opened while a restore held the database, the dashboard said it could not load; left open, it must not stay
    that way (the owner over SSH would never see the complaint due today)."""
    from sqlalchemy.exc import OperationalError

    import tracker.complaints.queue as queue

    number = add(posted, 1, "2026-12-03")
    real, calls = queue.overdue_summary, [0]

    def locked_once(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls[0] += 1
        if calls[0] == 1:
            raise OperationalError("SELECT", {}, Exception("database is locked"))
        return real(*args, **kwargs)

    monkeypatch.setattr(queue, "overdue_summary", locked_once)
    monkeypatch.setattr(DashboardScreen, "AUTO_REFRESH", 0.2)
    app = make_app(NOW)
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot)
        await wait_for(pilot, lambda: "Could not load" in str(banner(app).render()) or calls[0] > 1, timeout=10)
        await dashboard_shown(app, pilot)
        assert f"due today (#{number})" in str(banner(app).render()), str(banner(app).render())
        assert calls[0] >= 2


async def test_the_cursor_stays_in_place_when_its_complaint_leaves_the_queue(posted: Tracker) -> None:
    """Reloaded (by itself, or on return) after the highlighted complaint was answered elsewhere, the cursor takes
    the row that came into its place, not the top of the table."""
    numbers = [add(posted, n % 3 + 1, f"2026-12-{10 + n:02d}") for n in range(5)]
    app = make_app(NOW)
    async with app.run_test(size=SMALL) as pilot:
        await dashboard_shown(app, pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        table = screen.query_one("#complaints")
        for _ in range(3):
            await pilot.press("down")
        assert table.cursor_row == 3  # type: ignore[attr-defined]
        posted("complaint", "decide", str(numbers[3]), "--action", "withdrawn")
        posted("complaint", "reply", str(numbers[3]), "--answered")
        screen.refresh_data()
        await wait_for(pilot, lambda: table.row_count == 4)  # type: ignore[attr-defined]
        await settled(pilot)
        assert table.cursor_row == 3, "the row that took its place"  # type: ignore[attr-defined]
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value  # type: ignore[attr-defined]
        assert key == str(numbers[4]), key


async def test_at_80_columns_the_banner_keeps_the_take_down_to_confirm(posted: Tracker) -> None:
    """Three unanswered, one due tomorrow at a time of day, a take-down promised: the long form does not fit
    in 80 columns; the short one does, and nothing the owner must act on is dropped from it."""
    promised = add(posted, 1, "2026-12-10")
    posted("complaint", "decide", str(promised), "--action", "take_down")
    posted("complaint", "reply", str(promised), "--answered")
    add(posted, 2, "2026-12-20")
    add(posted, 3, "2026-12-20")
    tomorrow = add(posted, 2, "2026-12-04T14:59:00+09:00")
    app = make_app(NOW)
    async with app.run_test(size=SMALL) as pilot:
        await dashboard_shown(app, pilot)
        text = str(banner(app).render())
        assert text.startswith("3 unanswered · 1 due tomorrow (#"), text
        assert f"(#{tomorrow} at " in text and text.endswith(f" · 1 take-down to confirm (#{promised})"), text
        assert banner(app).region.height == 1 and cell_width(text) <= 78
        assert any(f"1 take-down to confirm (#{promised})" in line for line in screen_lines(app)), "drawn whole"
        await pilot.resize_terminal(160, 40)
        await pilot.pause()
        wide = str(banner(app).render())
        assert wide.startswith("3 complaints unanswered, none overdue · 1 due tomorrow"), wide
        assert wide.endswith(f" · 1 take-down to confirm (#{promised})"), wide
