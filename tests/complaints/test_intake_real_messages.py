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


X_NOTICE = f"""From: X Support <support@x.com>
Reply-To: noreply@x.com
To: moth.contact@example.com
Subject: DMCA notice of alleged infringement - Case# 0123456789
Date: Mon, 07 Dec 2026 03:41:27 +0000
Message-ID: <notice-1@x.com>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Hello,

We have received a DMCA notice regarding material posted to your account, @moth_art.
In accordance with X's Copyright Policy, we have withheld the following material:

Post URL: {X_POST}

Reported by: Kenta Mori
Original work: https://www.pixiv.net/artworks/55554444

If you believe this material was removed in error, you may file a counter-notice at
https://help.x.com/forms/dmca-counternotice. Please review our Copyright Policy at
https://help.x.com/rules-and-policies/copyright-policy.

Thanks,
X
"""


def test_x_copyright_notice_names_the_reporter_and_is_answered_at_x(logged: Tracker, tmp_path: Path) -> None:
    """X's own notice: the person it names as reporting is the complainant (not `X Support`), an answer goes to
    support@x.com (not the no-reply Reply-To), and X's counter-notice form and policy are not the work's URLs."""
    added = logged.json("complaint", "add", "--from", _write(tmp_path, "x.eml", X_NOTICE))
    assert added["complainant_name"] == "Kenta Mori" and added["complainant_org"] is None
    assert added["complainant_contact"] == "support@x.com"
    assert added["platform"] == "x" and added["legal_basis"] == "dmca"
    assert [p["url"] for p in added["posts"]] == [X_POST] and added["posts"][0]["status"] == "taken_down"
    assert added["claimed_urls"] == ["https://www.pixiv.net/artworks/55554444"]


def test_a_no_reply_reply_to_gives_way_to_from(logged: Tracker, tmp_path: Path) -> None:
    """A Reply-To that takes no answer is never the contact: From's address is where an answer goes."""
    message = (
        "From: Lena Park <lena@example.com>\nReply-To: no-reply@mailer.example.com\nTo: moth.contact@example.com\n"
        "Subject: My drawing\nDate: Sat, 05 Dec 2026 10:00:00 +0000\nMIME-Version: 1.0\n\n"
        f"Hello, my name is Lena Park. Your post {X_POST} copies my drawing. Please remove it.\n"
    )
    added = logged.json("complaint", "add", "--from", _write(tmp_path, "lena.eml", message))
    assert added["complainant_contact"] == "lena@example.com"


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


ASHITA = """From: =?UTF-8?B?5bGx55SwIOiKseWtkA==?= <hanako.yamada@example.jp>
To: moth.contact@example.com
Subject: =?UTF-8?B?54Sh5pat6Lui6LyJ44Gr44Gk44GE44Gm?=
Date: Sun, 06 Dec 2026 23:40:12 +0900
Message-ID: <ashita-1@example.jp>
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8

moth様

山田花子と申します。
https://www.pixiv.net/artworks/123456789 の画像は私の作品の無断転載です。
著作権の侵害にあたりますので、明日中に削除をお願いいたします。

山田花子
"""


@pytest.mark.usefixtures("utc_time")
def test_the_day_a_japanese_mail_asks_for_is_shown_on_its_senders_clock(logged: Tracker, tmp_path: Path) -> None:
    """明日中に in a mail sent at 23:40 in Japan is the end of 7 December there: on a server that keeps UTC the read
    says so on the sender's clock, as its `received` line does, not as 14:59 UTC alone."""
    shown = logged("complaint", "add", "--from", _write(tmp_path, "ashita.eml", ASHITA)).stdout
    line = next(line for line in shown.splitlines() if line.strip().startswith("deadline"))
    assert "2026-12-07 23:59 UTC+09:00 (2026-12-07 14:59 UTC)" in line, line
    assert logged.json("complaint", "show", "1")["deadline_at"] == "2026-12-07T14:59:59+00:00"


OWN_UNLOGGED = "https://x.com/moth_art/status/1865000000000000999"


def test_an_unlogged_post_on_the_owners_own_account_is_not_their_work(logged: Tracker, tmp_path: Path) -> None:
    """A message naming the owner's logged posts and one on the owner's own X account tracker never logged: that
    one is not where the complainant's work is (their own X post and pixiv page are), and the owner is told to log
    it and how to name it in the complaint."""
    message = (
        "はじめまして、絵描きの小林ゆいです。\n以下の投稿が私の絵に酷似しています。\n\n"
        f"{X_POST}\n{OWN_UNLOGGED}\n\n私の元絵はこちらです：\n"
        "https://x.com/yui_kobayashi/status/1700000000000000001\nhttps://www.pixiv.net/artworks/77778888\n\n"
        "1週間以内に削除をお願いします。\n小林ゆい\n"
    )
    result = logged("complaint", "add", "--from", _write(tmp_path, "m.txt", message))
    added = logged.json("complaint", "show", "1")
    assert [p["url"] for p in added["posts"]] == [X_POST]
    assert added["claimed_urls"] == [
        "https://x.com/yui_kobayashi/status/1700000000000000001",
        "https://www.pixiv.net/artworks/77778888",
    ]
    warning = " ".join(result.stderr.split())
    assert f"not logged ({OWN_UNLOGGED}; not taken as their work)" in warning
    assert f"tracker complaint set 1 --post 2 --post {OWN_UNLOGGED}" in warning


@pytest.mark.parametrize(
    "junk", ["http://[::1", "https://help.[x.com/forms", "https://[x.com]/a", "https://x.com:99999/moth_art/a"]
)
def test_a_url_no_one_could_open_is_left_out_not_a_crash(logged: Tracker, tmp_path: Path, junk: str) -> None:
    """A bracket never closed or a port out of range in a message's URL: the message is read and logged with the
    post it names, that URL left out (it stopped the intake with `internal error: ValueError: Invalid IPv6 URL`)."""
    message = f"From: A Sato <a@example.jp>\nSubject: copy\n\n{junk} {X_POST}\nPlease remove it.\nA Sato\n"
    added = logged.json("complaint", "add", "--from", _write(tmp_path, "junk.eml", message))
    assert [p["url"] for p in added["posts"]] == [X_POST]
    assert added["claimed_urls"] == []


def test_what_a_platforms_summary_does_not_show_is_not_called_missing(logged: Tracker, tmp_path: Path) -> None:
    """X's notice sums the DMCA notice up (who reported, which work); X holds the notice whole, signature and
    sworn statements too. `complaint show` says those are not in X's message, never that the notice lacks them,
    which would have the owner call a notice X accepted incomplete."""
    logged("complaint", "add", "--from", _write(tmp_path, "x.eml", X_NOTICE))
    shown = logged("complaint", "show", "1").stdout
    assert "lacks:" not in shown
    assert "not in the platform's message (it passes the notice on: ask it for the whole notice" in shown
    assert "- signature of the owner or their agent" in shown


def test_a_complainants_own_notice_still_says_what_it_lacks(logged: Tracker, tmp_path: Path) -> None:
    message = (
        "From: Lena Park <lena@example.com>\nSubject: DMCA notice\nDate: Sat, 05 Dec 2026 10:00:00 +0000\n\n"
        f"This is a DMCA notice. Your post {X_POST} copies my drawing https://lena.example.com/harbour.\n"
        "Lena Park\n"
    )
    logged("complaint", "add", "--from", _write(tmp_path, "own.eml", message))
    shown = logged("complaint", "show", "1").stdout
    assert "notice     lacks:" in shown and "not in the platform's message" not in shown
