"""A link to the page of one of the owner's own accounts (`https://x.com/moth_art`: the profile the complainant
found the post on) is not where the complainant's work is, as an unlogged post on those accounts is not."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import FORGE_INFOTEXT, write_png

pytestmark = pytest.mark.db

X_POST = "https://x.com/moth_art/status/1865000000000000001"
THEIR_WORK = "https://www.pixiv.net/artworks/77778888"


@pytest.fixture
def logged(tracker: Tracker, tmp_path: Path) -> Tracker:
    """Post #1 on X, on the account moth_art of persona moth."""
    tracker("log", write_png(tmp_path / "a.png", {"parameters": FORGE_INFOTEXT}), "--url", X_POST, "--persona", "moth")
    return tracker


@pytest.mark.parametrize(
    "profile",
    ["https://x.com/moth_art", "https://twitter.com/Moth_Art/", "https://x.com/moth_art/media"],
)
def test_the_owners_own_profile_is_not_the_complainants_work(logged: Tracker, tmp_path: Path, profile: str) -> None:
    message = (
        "はじめまして、小林ゆいと申します。\n"
        f"{profile} のアカウントで、私の絵に酷似した画像を見つけました。\n{X_POST}\n\n"
        f"私の元絵はこちらです：\n{THEIR_WORK}\n\n1週間以内に削除をお願いします。\n小林ゆい\n"
    )
    path = tmp_path / "m.txt"
    path.write_text(message, encoding="utf-8")
    logged("complaint", "add", "--from", path)
    added = logged.json("complaint", "show", "1")
    assert [p["url"] for p in added["posts"]] == [X_POST]
    assert added["claimed_urls"] == [THEIR_WORK]


def test_another_accounts_profile_is_still_read(logged: Tracker, tmp_path: Path) -> None:
    """Only the owner's own accounts: a look-alike handle (`moth`, `moth_artist`) is someone else's page, read as
    given, also where the owner's profile link starts with it."""
    message = (
        f"はじめまして。https://x.com/moth_art の {X_POST} は私の作品の無断転載です。\n"
        "私の作品はこちらのアカウントにあります：https://x.com/moth と https://x.com/moth_artist\n削除をお願いします。\n"
    )
    path = tmp_path / "m.txt"
    path.write_text(message, encoding="utf-8")
    logged("complaint", "add", "--from", path)
    assert logged.json("complaint", "show", "1")["claimed_urls"] == ["https://x.com/moth", "https://x.com/moth_artist"]
