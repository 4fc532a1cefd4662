"""What the owner met walking a burn-down at an 80-column terminal: a checklist file that could not be written,
waiting periods the sources could not confirm, lines cut inside words."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fixtures.columns import assert_whole, fitting_lines
from fixtures.common import Tracker
from fixtures.imagefactory import FORGE_INFOTEXT, pixels, write_png

from tracker.cli import cli

pytestmark = pytest.mark.db

PERSONA = "夜蛾"
POSTS = (
    "https://www.pixiv.net/artworks/920000001",
    "https://x.com/yaga_ai/status/1866000000000000001",
    "https://bsky.app/profile/yaga.bsky.social/post/3kyaga00001",
)


def _log(tracker: Tracker, folder: Path) -> None:
    for seed, url in enumerate(POSTS):
        image = write_png(folder / f"p{seed}.png", {"parameters": FORGE_INFOTEXT}, image=pixels(seed=60 + seed))
        tracker("log", image, "--url", url, "--persona", PERSONA)


def test_a_checklist_that_cannot_be_written_starts_no_purge(tracker: Tracker, tmp_path: Path) -> None:
    """`purge plan -o` into a folder that is not there fails with one line, and starts no purge run: the persona
    can still be merged, and the next plan is the one that starts it (and says so)."""
    _log(tracker, tmp_path)
    failed = tracker("purge", "plan", PERSONA, "-o", tmp_path / "no such folder" / "plan.md", ok=False)
    assert failed.exit_code != 0 and "cannot write" in failed.stderr and "Traceback" not in failed.output
    assert "not started" in tracker("purge", "status", PERSONA).stdout
    refused = tracker("purge", "mark", "post:1", "done", "--persona", PERSONA, ok=False)
    assert refused.exit_code != 0 and "has started" in refused.stderr
    written = tracker("purge", "plan", PERSONA, "-o", tmp_path / "plan.md")
    # PostgreSQL does not give back a sequence number a rolled-back transaction took: the run's number may be 2
    started = re.search(r"started purge run #(\d+) ", written.stderr)
    assert started is not None
    assert "post:1" in (tmp_path / "plan.md").read_text()
    assert f"run #{started.group(1)} started" in tracker("purge", "status", PERSONA).stdout


def test_a_waiting_period_the_sources_could_not_confirm_is_not_given_as_certain(
    tracker: Tracker, tmp_path: Path
) -> None:
    """pixiv's two weeks come from a third party (`unverified` in platforms.toml): the reminder that the
    deletion is final after a date says the date rests on that figure; X's confirmed 30 days say no such thing."""
    _log(tracker, tmp_path)
    tracker("purge", "plan", PERSONA)
    tracker("purge", "mark", "account:*", "done", "--persona", PERSONA)
    status = tracker("purge", "status", PERSONA).stdout
    [pixiv] = [line for line in status.splitlines() if "Your pixiv account: deletion final after" in line]
    assert "14 days the sources give are right: check on the site" in pixiv
    [x] = [line for line in status.splitlines() if "yaga_ai: deletion final after" in line]
    assert "sources give" not in x
    plan = tracker("purge", "plan", PERSONA).stdout
    [marked] = [line for line in plan.splitlines() if "`account:1`" in line]
    assert "final after" in marked and "unconfirmed 14 days" in marked


def test_marks_a_refused_scrub_and_the_scrub_fit_80_columns(
    tracker: Tracker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At an 80-column terminal what `purge mark`, a refused scrub, its confirmation and its report print is
    folded at spaces: every line fits, no word is cut by the terminal, and each post URL is whole on a line."""
    _log(tracker, tmp_path)
    tracker("purge", "plan", PERSONA)
    monkeypatch.setenv("COLUMNS", "80")
    marked = tracker("purge", "mark", "post:*", "done", "--persona", PERSONA).stdout
    refused = tracker.runner.invoke(cli, ["purge", "scrub", PERSONA], input=PERSONA + "\n")
    assert refused.exit_code != 0
    tracker("purge", "mark", "*", "done", "--persona", PERSONA)
    scrubbed = tracker.runner.invoke(cli, ["purge", "scrub", PERSONA], input=PERSONA + "\n")
    assert scrubbed.exit_code == 0, scrubbed.output
    for out in (marked, refused.stdout, scrubbed.stderr, scrubbed.stdout):
        lines = fitting_lines(out)
        for url in POSTS:
            assert url not in out or any(url in line for line in lines), f"{url} is cut: {out}"
    assert_whole(marked, "A pattern leaves items already done or skipped as they are: name one by its id")
    assert_whole(refused.stdout, "Delete the X (Twitter) account yaga_ai")
    assert_whole(scrubbed.stderr, "This deletes persona 夜蛾 from tracker for good: its posts, accounts, complaints")
    assert_whole(scrubbed.stderr, "do not log in before then, logging in cancels the deletion")
    assert_whole(scrubbed.stdout, "3 posts, 3 images")
    assert any(line.startswith("             ") for line in scrubbed.stdout.splitlines())  # under `rows`


def test_the_checklist_names_each_unanswered_complaint_with_its_deadline(tracker: Tracker, tmp_path: Path) -> None:
    """A complaint in Japanese due tomorrow is named on the checklist and in `purge status` by its number and the
    time it is due, with the command that answers it, not only counted: the scrub would delete it unanswered."""
    _log(tracker, tmp_path)
    tracker(
        "complaint", "add", "--post", POSTS[0], "--basis", "jp", "--name", "佐藤 美咲", "--contact",
        "misaki@example.jp", "--message", "私の作品に酷似しています。削除をお願いします。", "--deadline", "2026-12-31",
    )  # fmt: skip
    tracker("purge", "plan", PERSONA)
    status = tracker("purge", "status", PERSONA).stdout
    assert "1 complaint about this persona is still unanswered (#1, answer by 2026-12-31 " in status
    assert "tracker complaint reply 1" in status
    plan = tracker("purge", "plan", PERSONA).stdout.replace("\\#", "#")
    assert "still unanswered (#1, answer by 2026-12-31 " in plan


def test_an_account_on_a_site_tracker_does_not_know_gets_a_save_by_hand_item(tracker: Tracker, tmp_path: Path) -> None:
    """Posts on a site tracker has no table for: before its account goes, the checklist asks the owner to save by
    hand what they want to keep there, as for a platform known to have no export (it used to list nothing)."""
    image = write_png(tmp_path / "ex.png", {"parameters": FORGE_INFOTEXT}, image=pixels(seed=77))
    url = "https://example-art.net/yaga/works/42"
    tracker("log", image, "--url", url, "--platform", "exampleart", "--account", "yaga", "--persona", PERSONA)
    plan = json.loads(tracker("purge", "plan", PERSONA, "--format", "json").stdout)
    [export] = [item for item in plan["items"] if item["section"] == "export"]
    assert export["platform"] == "exampleart" and export["state"] == "open"
    assert "Save by hand what you want to keep from the exampleart account yaga" in export["label"]
    assert "look on the site for an export" in export["help_page_note"]


@pytest.mark.parametrize(
    ("stage", "said"),
    [
        ("_queue_files", "interrupted before it deleted anything: nothing was changed"),
        (
            "_remove_index",
            f"the rows of {PERSONA} were deleted before the scrub stopped. A persona scrub was interrupted",
        ),
    ],
)
def test_a_ctrl_c_in_the_scrub_says_what_it_left_and_how_to_finish(
    tracker: Tracker, tmp_path: Path, isolated_env: Path, monkeypatch: pytest.MonkeyPatch, stage: str, said: str
) -> None:
    """Ctrl+C while the scrub runs: before its commit the persona is whole and the owner is told nothing changed;
    after it, that the rows went and `tracker purge scrub --finish` deletes the files it left; then it does."""
    import tracker.purge.scrub as scrubbing

    def ctrl_c(*args: object) -> None:
        raise KeyboardInterrupt

    _log(tracker, tmp_path)
    tracker("purge", "plan", PERSONA)
    tracker("purge", "mark", "*", "done", "--persona", PERSONA)
    with monkeypatch.context() as patched:
        patched.setattr(scrubbing, stage, ctrl_c)
        stopped = tracker.runner.invoke(cli, ["purge", "scrub", PERSONA], input=PERSONA + "\n")
    assert stopped.exit_code != 0 and said in " ".join(stopped.stderr.split())
    if stage == "_queue_files":
        assert "run #1" in tracker("purge", "status", PERSONA).stdout
        return
    assert "tracker purge scrub --finish" in stopped.stderr
    assert len(list((isolated_env / "archive").rglob("*.png"))) == len(POSTS)  # queued, not deleted yet
    finished = tracker("purge", "scrub", "--finish").stdout
    assert "Finished the clean-up an interrupted scrub left" in finished
    assert list((isolated_env / "archive").rglob("*.png")) == []


def test_starting_writing_and_cancelling_a_purge_fit_80_columns(
    tracker: Tracker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a long Japanese persona name, what `purge plan -o` and `purge cancel` say fits an 80-column terminal,
    folded at spaces, the command to paste back whole on its line."""
    name = "夜の港で提灯を見上げる蛾"
    image = write_png(tmp_path / "one.png", {"parameters": FORGE_INFOTEXT}, image=pixels(seed=88))
    tracker("log", image, "--url", POSTS[0], "--persona", name)
    monkeypatch.setenv("COLUMNS", "80")
    wrote = tracker("purge", "plan", name, "-o", tmp_path / "plan.md")
    cancelled = tracker("purge", "cancel", name).stdout
    for out in (wrote.stdout, wrote.stderr, cancelled):
        fitting_lines(out)
    assert_whole(wrote.stderr, f"(tracker purge cancel '{name}' cancels it)")
    assert any(f"tracker purge plan '{name}'" in line for line in cancelled.splitlines())
