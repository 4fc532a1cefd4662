"""A decision acting on the same image posted under two personas: the letter answers as one persona and never links
them; the posts of the other are the owner's to know (`decide`'s "letter" row, the reply's warnings)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.common import Tracker
from fixtures.drawings import drawing

pytestmark = pytest.mark.db

MOTH = "https://www.pixiv.net/artworks/110000002"
KITE = "https://x.com/kite_secret/status/1922222222222222222"
KITE_ONLY = ("kite", "x.com", "1922222222222222222", "X（旧Twitter）", " X ", "and X")


@pytest.fixture
def two(tracker: Tracker, tmp_path: Path) -> Tracker:
    """One image posted as moth's pixiv post #1 and kite's X post #2; a complaint naming neither."""
    path = tmp_path / "scene.png"
    drawing(5).save(path)
    tracker("log", path, "--url", MOTH, "--persona", "moth")
    tracker("log", path, "--url", KITE, "--persona", "kite")
    tracker("complaint", "add", "--image", path, "--name", "Sam Lee", "--lang", "en")
    return tracker


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("action", [("take_down",), ("dispute", "--reason", "slight_resemblance")])
def test_the_letter_names_only_the_answering_personas_posts(two: Tracker, lang: str, action: tuple[str, ...]) -> None:
    decided = two("complaint", "decide", "1", "--action", *action, "--post", "1", "--post", "2")
    assert "answers as moth (the persona of the first post listed)" in decided.stdout, decided.stdout
    assert "#2 (kite)" in decided.stdout and "never in the letter" in decided.stdout, decided.stdout
    two("complaint", "set", "1", "--lang", lang)
    reply = two("complaint", "reply", "1")
    letter = reply.stdout
    assert MOTH in letter and "moth" in letter, letter
    assert [said for said in KITE_ONLY if said in letter] == [], letter
    done = "taken down too" if action[0] == "take_down" else "in this decision too"
    assert f"{done}, not named in the letter (another persona): #2 (kite, {KITE})" in reply.stderr, reply.stderr


def test_the_persona_of_the_first_post_given_answers(two: Tracker) -> None:
    """`--post 2 --post 1`: kite answers; moth's post is the one left out."""
    decided = two("complaint", "decide", "1", "--action", "take_down", "--post", "2", "--post", "1")
    assert "answers as kite" in decided.stdout and "#1 (moth)" in decided.stdout, decided.stdout
    letter = two("complaint", "reply", "1").stdout
    assert KITE in letter and MOTH not in letter and "pixiv" not in letter and "moth" not in letter, letter


def test_one_persona_says_nothing_more(two: Tracker) -> None:
    decided = two("complaint", "decide", "1", "--action", "take_down", "--post", "1")
    assert "answers as" not in decided.stdout
    assert "another persona" not in two("complaint", "reply", "1").stderr


def test_every_platform_has_its_name_in_each_letter_language() -> None:
    """A letter names a platform as people know it (「pixivFANBOXにて…」), never by tracker's key (「fanboxにて」)."""
    import tomllib

    root = Path(__file__).resolve().parents[2] / "data"
    platforms = set(tomllib.loads((root / "platforms.toml").read_text(encoding="utf-8")))
    for lang in ("en", "ja"):
        phrases = tomllib.loads((root / "replies" / lang / "phrases.toml").read_text(encoding="utf-8"))
        assert sorted(platforms - set(phrases["platform_names"])) == [], lang


@pytest.mark.parametrize(("url", "name"), [("https://moth.fanbox.cc/posts/1234567", "pixivFANBOX"),
                                           ("https://moth.booth.pm/items/5551234", "BOOTH"),
                                           ("https://skeb.jp/@moth_art/works/3", "Skeb")])  # fmt: skip
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_letter_introduces_the_persona_on_a_shop_by_the_shops_name(
    tracker: Tracker, tmp_path: Path, url: str, name: str, lang: str
) -> None:
    path = tmp_path / "shop.png"
    drawing(6).save(path)
    tracker("log", path, "--url", url, "--persona", "moth")
    tracker("complaint", "add", "--post", "1", "--name", "Sam Lee", "--lang", lang)
    tracker("complaint", "decide", "1", "--action", "take_down")
    letter = tracker("complaint", "reply", "1").stdout
    said = f"{name}にて「moth」として" if lang == "ja" else f"on {name}"
    assert said in letter, letter
