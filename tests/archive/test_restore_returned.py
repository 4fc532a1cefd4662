"""A restore that brings back a persona the owner burnt down since the backup says so, and the warning stays findable.

The restore warns once as it finishes; that line scrolls away. So `tracker status` (exit 3) and the persona's purge
checklist repeat it, every time they are asked, until the owner acts: scrubs the persona again, or says it stays
(`tracker persona keep NAME`). Other commands do not nag.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.purgeworld import OTHER, TARGET, build_world, mark_everything

from tracker.cli import cli

pytestmark = [pytest.mark.sqlite_only]


def _scrub(tracker: Tracker) -> None:
    mark_everything(tracker)
    done = tracker.runner.invoke(cli, ["purge", "scrub", TARGET], input=TARGET + "\n")
    assert done.exit_code == 0, done.output


def _status(tracker: Tracker, *args: str) -> tuple[int, str]:
    said = tracker("status", *args, ok=False)
    return said.exit_code, said.stdout


@pytest.fixture
def came_back(tracker: Tracker, tmp_path: Path, isolated_env: Path) -> Path:
    """The target persona backed up, burnt down, then restored from that backup."""
    build_world(tracker, tmp_path / "images")
    tracker("backup", tmp_path / "b.tar")
    _scrub(tracker)
    assert _status(tracker)[0] == 0
    done = tracker("restore", tmp_path / "b.tar", "--force")
    assert f"persona '{TARGET}' (6 posts, 1 complaint) is not in the current database: it comes back" in done.stderr
    assert f"if you meant to bring it back: tracker persona keep {TARGET}" in done.stderr
    return tmp_path / "b.tar"


def test_status_and_the_checklist_keep_saying_it_until_the_owner_keeps_the_persona(
    tracker: Tracker, came_back: Path, isolated_env: Path
) -> None:
    for _ in range(2):  # not said once only
        code, said = _status(tracker)
        assert code == 3, said
        assert f"Persona '{TARGET}' (6 posts, 1 complaint) came back with the restore from {came_back}" in said
        assert f"tracker purge plan {TARGET}; if you meant to bring it back: tracker persona keep {TARGET}" in said
    data = json.loads(tracker("status", "--json", ok=False).stdout)
    assert [p["name"] for p in data["returned_personas"]] == [TARGET]
    plan = tracker("purge", "plan", TARGET).stdout
    assert f"This persona came back with the restore from {came_back}" in plan
    assert "came back" not in tracker("purge", "plan", OTHER).stdout
    assert "came back" not in tracker("posts").output, "other commands do not nag"

    wrong = tracker("persona", "keep", OTHER, ok=False)
    assert wrong.exit_code != 0 and wrong.output.count("\n") == 1 and f"it names '{TARGET}'" in wrong.output
    tracker("persona", "keep", TARGET)
    code, said = _status(tracker)
    assert code == 0 and "came back" not in said, said
    assert "came back" not in tracker("purge", "plan", TARGET).stdout
    assert not list(isolated_env.glob(".*returned*")), "the note goes once it names no one"


def test_scrubbing_it_again_ends_the_warning_and_leaves_no_name_behind(
    tracker: Tracker, came_back: Path, isolated_env: Path
) -> None:
    _scrub(tracker)
    code, said = _status(tracker)
    assert code == 0 and "came back" not in said, said
    leftovers = [p for p in isolated_env.iterdir() if p.is_file() and TARGET.encode() in p.read_bytes()]
    assert leftovers == [] or all(p.suffix in (".tar",) or ".old-" in p.name for p in leftovers), leftovers
    assert not list(isolated_env.glob(".*returned*"))


def test_a_later_restore_that_does_not_bring_it_back_ends_the_warning(
    tracker: Tracker, came_back: Path, tmp_path: Path, isolated_env: Path
) -> None:
    _scrub(tracker)
    tracker("backup", tmp_path / "after.tar")
    tracker("restore", came_back, "--force")  # back again
    assert _status(tracker)[0] == 3
    tracker("restore", tmp_path / "after.tar", "--force")  # the scrubbed state: nothing came back
    code, said = _status(tracker)
    assert "came back" not in said, said
    # the database it replaced (the persona back, its complaint open) is kept, and said until the owner deletes it
    assert code == 3 and "1 complaint there still to answer" in said, said
    assert TARGET not in said, "named by numbers only: the persona was scrubbed"
    note = isolated_env / ".tracker.db.replaced"
    assert note.is_file() and TARGET.encode() not in note.read_bytes() and b"555000001" not in note.read_bytes()
    for copy in isolated_env.glob("tracker.db.old-*"):
        copy.unlink()
    code, said = _status(tracker)
    assert code == 0 and "restore" not in said, said


async def test_the_dashboard_banner_says_a_persona_came_back_until_the_owner_keeps_it(
    tracker: Tracker, came_back: Path, isolated_env: Path
) -> None:
    """The owner who lives in the TUI sees it too: the banner's alarm points to `tracker status`, as for a killed
    restore, and goes once the persona is kept."""
    from fixtures.tui import make_app, wait_for
    from textual.widgets import Static

    from tracker.support.textsafe import cell_width
    from tracker.tui.screens.dashboard import DashboardScreen

    async def banner() -> str:
        app = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen) and app.screen.loaded)
            shown = app.screen.query_one("#banner", Static)
            text = str(shown.render())
            assert cell_width(text) <= 78 and shown.region.height == 1, text
            return text

    text = await banner()
    assert "⚠" in text and "persona" in text and "tracker status" in text, text
    tracker("persona", "keep", TARGET)
    text = await banner()
    assert "persona" not in text and "⚠" not in text, text


def test_a_persona_name_with_control_characters_is_suggested_as_a_command_that_pastes(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    """A persona restored from a hostile backup, named with an escape sequence: the line shows it escaped (the
    terminal never receives it), and the commands it suggests are ANSI-C quoted (`$'ki\\x1b[31mte'`), which a
    shell turns back into that very name, so pasting them finds the persona."""
    import shutil
    import sqlite3
    import subprocess

    from fixtures.drawings import drawing

    name = "ki\x1b[31mte"
    other = tmp_path / "other"
    for n, persona in enumerate(("moth", "kite")):
        drawing(n).save(tmp_path / f"p{n}.png")
        tracker("--data-dir", other, "log", tmp_path / f"p{n}.png", "--url", f"https://www.pixiv.net/artworks/{n + 1}",
                "--persona", persona, "--new-persona")  # fmt: skip
    with sqlite3.connect(other / "tracker.db") as conn:
        conn.execute("UPDATE persona SET name = ? WHERE name = 'kite'", (name,))
    tracker("--data-dir", other, "backup", tmp_path / "b.tar")
    tracker("log", tmp_path / "p0.png", "--url", "https://www.pixiv.net/artworks/1", "--persona", "moth")

    done = tracker("restore", tmp_path / "b.tar", "--force")
    status = _status(tracker)[1]
    plan = "tracker purge plan $'ki\\x1b[31mte'"
    keep = "tracker persona keep $'ki\\x1b[31mte'"
    for said in (done.stderr, status):
        assert "\x1b" not in said and plan in said and keep in said, said
    if shutil.which("bash") is None:
        return
    words = subprocess.run(["bash", "-c", f"printf '%s\\0' {keep}"], capture_output=True, check=True).stdout
    assert words.decode().split("\0")[:-1] == ["tracker", "persona", "keep", name]
    tracker(*words.decode().split("\0")[1:-1])
    assert "came back" not in _status(tracker)[1]


def test_a_persona_name_with_a_control_character_can_be_confirmed_as_it_is_shown(
    tracker: Tracker, tmp_path: Path, isolated_env: Path
) -> None:
    """The scrub asks for the persona's name; one with an escape character is shown `night\\x1bmoth`, and typing
    that (an escape cannot be typed) confirms it; another name still does not."""
    import sqlite3

    build_world(tracker, tmp_path / "images")
    with sqlite3.connect(isolated_env / "tracker.db") as conn:
        conn.execute("UPDATE persona SET name = ? WHERE name = ?", ("night\x1bmoth", TARGET))
    shown = "night\\x1bmoth"
    tracker("purge", "plan", "night\x1bmoth")
    for args in (("post:*", "done"), ("*", "done"), ("local:backups", "skipped", "--reason", "no copies")):
        tracker("purge", "mark", *args, "--persona", "night\x1bmoth")
    wrong = tracker.runner.invoke(cli, ["purge", "scrub", "night\x1bmoth"], input="nightmoth\n")
    assert wrong.exit_code != 0 and "does not match" in wrong.output
    done = tracker.runner.invoke(cli, ["purge", "scrub", "night\x1bmoth"], input=shown + "\n")
    assert done.exit_code == 0, done.output
    assert "night" not in tracker("personas").stdout
