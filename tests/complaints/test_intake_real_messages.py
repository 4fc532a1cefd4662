"""`complaint add --from FILE` on messages as the owner receives them: a notice X's copyright team mails, a mail
saved only in part, a reply quoting the complaint. Each message here is written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures import mail
from fixtures.common import Tracker
from fixtures.imagefactory import FORGE_INFOTEXT, pixels, write_png

pytestmark = pytest.mark.db

PIXIV_POST = "https://www.pixiv.net/artworks/123456789"
X_POST = "https://x.com/moth_art/status/1865000000000000001"


@pytest.fixture
def logged(tracker: Tracker, tmp_path: Path) -> Tracker:
    """Post #1 on pixiv and #2 on X, both of persona moth."""
    tracker(
        "log", write_png(tmp_path / "a.png", {"parameters": FORGE_INFOTEXT}), "--url", PIXIV_POST, "--persona", "moth"
    )
    image = write_png(tmp_path / "b.png", {"parameters": FORGE_INFOTEXT}, image=pixels(seed=8))
    tracker("log", image, "--url", X_POST)
    return tracker


def _write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


@pytest.mark.parametrize(
    "cut",
    [
        pytest.param(lambda raw: raw[: raw.index(b"filename*=utf-8''%E5%85%83%E7%B5%B5.jpg") + 400], id="in-an-image"),
        pytest.param(lambda raw: raw[: raw.rindex(b"\n--") + 1], id="before-the-closing-boundary"),
    ],
)
def test_a_mail_saved_only_in_part_is_refused_and_nothing_kept(logged: Tracker, tmp_path: Path, cut: object) -> None:
    """A mail cut short (a download stopped, a copy cut off) is refused in one line, exit non-zero, nothing logged:
    logged as read, it would lack what was cut (an image it says it attaches, the post, the day it asks for)."""
    path = _write(tmp_path, "cut.eml", cut(mail.with_images()))  # type: ignore[operator]
    result = logged("complaint", "add", "--from", path, ok=False)
    assert result.exit_code != 0 and len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith("tracker: error: cut.eml: the e-mail is cut short"), result.stderr
    assert "Traceback" not in result.output and logged.json("complaint", "list", "--all") == []
