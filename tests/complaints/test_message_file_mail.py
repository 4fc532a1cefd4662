"""`complaint add --message-file` keeps a file's text as it is; a saved e-mail read so would keep its encoded headers
and body (`=?utf-8?b?…?=`, base64) as the complaint's words. Such a file is refused, pointing to `--from`, which
reads it as mail; a message pasted into a text file with its `From:` and `Subject:` lines is kept as before."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest
from fixtures.common import Tracker

pytestmark = pytest.mark.db


def _eml(path: Path) -> Path:
    message = EmailMessage()
    message["From"] = "佐藤 美咲 <misaki@example.jp>"
    message["To"] = "moth@example.com"
    message["Subject"] = "作品の無断使用について"
    message["Date"] = "Sun, 06 Dec 2026 10:00:00 +0900"
    message.set_content(
        "突然のご連絡失礼いたします。私の作品に酷似した画像を削除していただけますでしょうか。", cte="base64"
    )
    path.write_bytes(message.as_bytes())
    return path


def test_a_saved_mail_given_as_a_message_file_is_refused_with_the_option_that_reads_it(
    tracker: Tracker, tmp_path: Path
) -> None:
    mail = _eml(tmp_path / "notice.eml")
    refused = tracker("complaint", "add", "--name", "佐藤", "--message-file", mail, ok=False)
    assert refused.exit_code != 0
    assert refused.output.count("\n") == 1 and "Traceback" not in refused.output, refused.output
    assert "is a saved e-mail: log it with --from" in refused.output and "notice.eml" in refused.output
    tracker("complaint", "add", "--from", mail)
    assert [c["id"] for c in tracker.json("complaint", "list")] == [1], "the refused one logged nothing"
    shown = tracker.json("complaint", "show", "1")
    assert "酷似" in shown["message"] and "=?utf-8?" not in shown["message"]


def test_a_message_pasted_into_a_text_file_with_its_header_lines_is_kept_as_written(
    tracker: Tracker, tmp_path: Path
) -> None:
    pasted = tmp_path / "pasted.txt"
    pasted.write_text(
        "From: Jane Doe <jane@example.com>\nSubject: my artwork\n\nPlease remove the copy of my artwork.\n",
        encoding="utf-8",
    )
    tracker("complaint", "add", "--name", "Jane Doe", "--message-file", pasted)
    assert "Please remove the copy of my artwork." in tracker.json("complaint", "show", "1")["message"]


def test_the_suggested_from_option_pastes_for_a_file_name_with_a_newline(tracker: Tracker, tmp_path: Path) -> None:
    """A saved mail whose name holds a newline: the suggestion is shown escaped (`$'…\\x0a…'`), and a shell reads
    that word back as the very file name, so pasting the suggestion logs the file."""
    import re
    import shutil
    import subprocess

    mail = _eml(tmp_path / "saved\nnotice.eml")
    refused = tracker("complaint", "add", "--name", "佐藤", "--message-file", mail, ok=False)
    assert refused.output.count("\n") == 1, refused.output
    word = re.search(r"--from (\$'[^']*')", refused.output)
    assert word is not None, refused.output
    if shutil.which("bash") is None:
        pytest.skip("no bash to paste the suggestion into")
    pasted = subprocess.run(["bash", "-c", f"printf %s {word[1]}"], capture_output=True, text=True, check=True)
    assert pasted.stdout == str(mail)


@pytest.mark.parametrize(
    "content", [b"", b"\n\n  \r\n", b"\xef\xbb\xbf"], ids=["zero bytes", "blank lines", "BOM alone"]
)
def test_an_empty_message_file_logs_nothing(tracker: Tracker, tmp_path: Path, content: bytes) -> None:
    """A message file a save cut short logged a complaint with no words of theirs (its deadline counting), and the
    owner, told it was logged, could delete the mail: refused in one line, as --from and `complaint message` are."""
    empty = tmp_path / "notice.txt"
    empty.write_bytes(content)
    refused = tracker("complaint", "add", "--name", "佐藤", "--message-file", empty, ok=False)
    assert refused.exit_code == 2 and refused.output.count("\n") == 1, refused.output
    assert "notice.txt: the message file is empty: nothing was logged" in refused.output
    tracker("complaint", "add", "--name", "佐藤", "--message", "削除してください。")
    assert [c["id"] for c in tracker.json("complaint", "list")] == [1], "the refused one logged nothing"
