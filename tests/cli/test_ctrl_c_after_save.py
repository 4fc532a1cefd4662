"""A Ctrl+C that lands after a command saved its change says that the change is kept, not just "aborted": the
owner would otherwise run the command again (and be refused, or log a complaint twice)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures.drawings import drawing

REPO = Path(__file__).resolve().parents[2]

CTRL_C_AFTER = """
import os, signal, sys
from sqlalchemy.orm import Session
import tracker.cli

WHERE = os.environ["CTRL_C_AFTER"]
if WHERE == "commit":  # just after the commit, before the code that committed hears back
    real_commit = Session.commit

    def commit(self):
        real_commit(self)
        if self.info.get("command"):
            os.kill(os.getpid(), signal.SIGINT)

    Session.commit = commit
else:  # while `tracker log` brings the saved index up to date, the post committed
    import tracker.matching.stored as stored

    def refresh(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGINT)

    stored.refresh_saved_index = refresh
sys.argv = ["tracker", *sys.argv[1:]]
tracker.cli.main()
"""


def _default_sigint() -> None:
    """In the child: SIGINT as a terminal's Ctrl+C (a test run in the background ignores it)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _run(tmp_path: Path, *args: str, ctrl_c_after: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TRACKER_", "PYTHON"))}
    env["TRACKER_DATA_DIR"] = str(tmp_path / "data")
    env["PYTHONPATH"] = str(REPO)
    command = [sys.executable, "-m", "tracker", *args]
    if ctrl_c_after is not None:
        env["CTRL_C_AFTER"] = ctrl_c_after
        command = [sys.executable, "-c", CTRL_C_AFTER, *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, preexec_fn=_default_sigint)


@pytest.mark.sqlite_only
def test_ctrl_c_after_log_saved_names_the_saved_post(tmp_path: Path) -> None:
    drawing(1).save(tmp_path / "a.png")
    url = "https://www.pixiv.net/artworks/700000001"
    done = _run(tmp_path, "log", str(tmp_path / "a.png"), "--url", url, "--persona", "moth", ctrl_c_after="log")
    assert done.returncode == 130, done.stderr
    lines = done.stderr.splitlines()  # and the line that says the new archive the first post started
    assert "tracker: interrupted after the post was saved as #1: tracker show 1 shows it" in lines, lines
    assert "aborted" not in done.stderr
    posts = json.loads(_run(tmp_path, "posts", "--json").stdout)
    assert [post["url"] for post in posts] == [url]


@pytest.mark.sqlite_only
def test_ctrl_c_as_log_commits_names_the_saved_post(tmp_path: Path) -> None:
    """A Ctrl+C right at the commit (before `log` hears back from it) said "interrupted after the change was saved
    (log)": now the post's number, as a Ctrl+C a moment later does, and a second post is numbered #2."""
    drawing(5).save(tmp_path / "a.png")
    drawing(6).save(tmp_path / "b.png")
    _run(
        tmp_path, "log", str(tmp_path / "a.png"), "--url", "https://www.pixiv.net/artworks/700000005", "--persona", "m"
    )
    url = "https://www.pixiv.net/artworks/700000006"
    done = _run(tmp_path, "log", str(tmp_path / "b.png"), "--url", url, "--persona", "m", ctrl_c_after="commit")
    assert done.returncode == 130, done.stderr
    assert (
        done.stderr.splitlines()[-1] == "tracker: interrupted after the post was saved as #2: tracker show 2 shows it"
    )
    posts = json.loads(_run(tmp_path, "posts", "--json").stdout)
    assert [(post["id"], post["url"]) for post in posts][0] == (2, url)


@pytest.mark.sqlite_only
def test_ctrl_c_just_after_a_commit_says_the_change_is_kept(tmp_path: Path) -> None:
    drawing(2).save(tmp_path / "theirs.png")
    done = _run(
        tmp_path, "complaint", "add", "--image", str(tmp_path / "theirs.png"), "--name", "K", ctrl_c_after="commit"
    )
    assert done.returncode == 130, done.stderr
    assert done.stderr.splitlines()[-1] == (
        "tracker: interrupted after the change was saved (complaint add): it is kept, no need to run the command again"
    )
    assert len(json.loads(_run(tmp_path, "complaint", "list", "--json").stdout)) == 1


@pytest.mark.sqlite_only
def test_ctrl_c_in_a_command_that_saves_as_it_goes_says_to_run_it_again(tmp_path: Path) -> None:
    """`models scan` commits each model file on its own: one hashed and kept, the other not done yet."""
    models = tmp_path / "models"
    models.mkdir()
    for name in ("a.safetensors", "b.safetensors"):
        (models / name).write_bytes(name.encode() * 1000)
    _run(tmp_path, "complaint", "add", "--image", str(_drawn(tmp_path)), "--name", "K")  # the archive exists
    done = _run(tmp_path, "models", "scan", str(models), ctrl_c_after="commit")
    assert done.returncode == 130, done.stderr
    assert done.stderr.splitlines()[-1] == (
        "tracker: interrupted: what models scan saved (1 change) is kept; run it again for the rest"
    )


def _drawn(tmp_path: Path) -> Path:
    drawing(4).save(tmp_path / "d.png")
    return tmp_path / "d.png"


def test_ctrl_c_before_anything_was_saved_still_says_aborted(tmp_path: Path) -> None:
    """Nothing committed (the Ctrl+C lands while the image is read): no claim that anything was kept."""
    drawing(3).save(tmp_path / "b.png")
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(
        "import os, signal, sys\n"
        "class CtrlC:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'tracker.metadata.reader':\n"
        "            sys.meta_path.remove(self)\n"
        "            os.kill(os.getpid(), signal.SIGINT)\n"
        "        return None\n"
        "sys.meta_path.insert(0, CtrlC())\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TRACKER_", "PYTHON"))}
    env["TRACKER_DATA_DIR"] = str(tmp_path / "data")
    env["PYTHONPATH"] = os.pathsep.join([str(hook), str(REPO)])
    url = "https://www.pixiv.net/artworks/700000003"
    done = subprocess.run(
        [sys.executable, "-m", "tracker", "log", str(tmp_path / "b.png"), "--url", url, "--persona", "moth"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_default_sigint,
    )
    assert (done.returncode, done.stderr) == (130, "tracker: aborted\n"), done.stderr
