"""Reply drafts ready to send: every kind of letter × legal basis × language, rendered from real records.

Each draft must read as a finished letter: the right language and salutation, no placeholder or
`None` left, the owner's private notes absent, the sentence meant for the complainant present,
signed with the persona's display name and contact, and a creator hand-off only where a creator is
recorded.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import FORGE_INFOTEXT, write_png

pytestmark = pytest.mark.db

PIXIV = "https://www.pixiv.net/artworks/123"
PRIVATE = "she posted hers after mine"
BASES = ("dmca", "dsa", "jp", "platform_rules", "none")
REASONS = (
    "slight_resemblance",
    "small_part",
    "independent_creation",
    "licensed_input",
    "not_my_post",
    "other",
)
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
TEXT_ONLY = re.sub(r'ControlNet 0: "[^"]*", ', "", FORGE_INFOTEXT)
"""The Forge image without its ControlNet unit: made from a text prompt alone."""


@pytest.fixture
def moth(tracker: Tracker, tmp_path: Path) -> Tracker:
    """One pixiv post of persona moth (signing as 'Moth Atelier'), made from a text prompt alone with a model
    whose creator is known."""
    image = write_png(tmp_path / "forge.png", {"parameters": TEXT_ONLY})
    tracker("log", image, "--url", PIXIV, "--persona", "moth")
    tracker("persona", "set", "moth", "--display-name", "Moth Atelier", "--contact", "moth@example.org")
    tracker("resource", "set", "hassakuXL_v13", "--creator", "Ikena", "--url", "https://civitai.com/models/1")
    return tracker


def _complaint(tracker: Tracker, basis: str, lang: str, **extra: str) -> int:
    args = ["complaint", "add", "--post", PIXIV, "--basis", basis, "--lang", lang, "--name", "Sato Hana"]
    args += ["--work-title", "Harbour at night", "--contact", "hana@example.jp"]
    for key, value in extra.items():
        args += [f"--{key.replace('_', '-')}", value]
    return int(tracker.json(*args)["id"])


def _reply(tracker: Tracker, number: int) -> dict[str, Any]:
    return dict(tracker.json("complaint", "reply", str(number)))


def _finished_letter(draft: dict[str, Any], lang: str, note: str) -> None:
    text = draft["text"]
    assert draft["language"] == lang
    assert "$" not in text and "None" not in text and "{" not in text and "[[" not in text and "［［" not in text
    assert PRIVATE not in text, "a private note never reaches a reply"
    assert note in text, "the sentence meant for the complainant does"
    assert "Moth Atelier" in text and "moth@example.org" in text, "signed with the persona"
    assert "\n\n\n" not in text and text.endswith("\n") and not text.startswith("\n")
    if lang == "ja":
        assert text.startswith("Sato Hana 様\n")
        assert "ございます" in text or "申し上げます" in text or "いたします" in text, "polite business form"
        assert "Dear" not in text and "Kind regards" not in text
    else:
        assert text.startswith("Dear Sato Hana,\n")
        without_names = text.replace("Harbour at night", "")
        assert not JAPANESE.search(without_names), "an English letter has no Japanese in it"


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("basis", BASES)
def test_every_letter_is_finished(moth: Tracker, basis: str, lang: str) -> None:
    number = _complaint(moth, basis, lang)
    note = "Reply note for the complainant." if lang == "en" else "お返事をお待ちしております。"
    seen = set()
    for reason in REASONS:
        moth("complaint", "decide", str(number), "--action", "dispute", "--reason", reason, "--notes", PRIVATE,
             "--reply-note", note, "--despite-record")  # fmt: skip
        draft = _reply(moth, number)
        denied = reason == "not_my_post"  # a post the owner says is not theirs: no models, no hand-off
        assert draft["kind"] == ("not_mine_named" if denied else "dispute"), "a letter, not a counter-notice"
        _finished_letter(draft, lang, note)
        seen.add(draft["text"])
        if lang == "en" and not denied:
            assert "made by Ikena (https://civitai.com/models/1)" in draft["text"], "the creator hand-off"
    assert len(seen) == len(REASONS), "each reason says something of its own"
    for action in ("ask_info", "invalid", "withdrawn", "take_down"):
        moth("complaint", "decide", str(number), "--action", action, "--notes", PRIVATE, "--reply-note", note)
        draft = _reply(moth, number)
        assert draft["kind"] == action
        _finished_letter(draft, lang, note)


def test_no_creator_hand_off_without_a_recorded_creator(tracker: Tracker, tmp_path: Path) -> None:
    tracker("log", write_png(tmp_path / "f.png", {"parameters": FORGE_INFOTEXT}), "--url", PIXIV, "--persona", "moth")
    number = _complaint(tracker, "none", "en")
    tracker("complaint", "decide", str(number), "--action", "take_down")
    text = _reply(tracker, number)["text"]
    assert "hassakuXL_v13" in text, "the models are listed"
    assert "creator" not in text.lower(), "but nobody is named as the creator to contact"
    assert text.rstrip().endswith("Kind regards,\n\nmoth"), "no display name set: the persona's name signs"


def test_missing_elements_are_named_in_the_complaints_language(moth: Tracker) -> None:
    en = _complaint(moth, "dmca", "en")
    moth("complaint", "decide", str(en), "--action", "ask_info")
    text = _reply(moth, en)["text"]
    assert "- a statement, under penalty of perjury, that your notice is accurate" in text
    assert "- your physical or electronic signature" in text
    assert "the address (URL) of each post" not in text, "the notice named the post by its URL"
    ja = _complaint(moth, "jp", "ja")
    moth("complaint", "set", str(ja), "--no-element", "right")  # the owner finds it missing: only then is it listed
    moth("complaint", "decide", str(ja), "--action", "invalid")
    text = _reply(moth, ja)["text"]
    assert "・侵害されたとお考えの権利と、その理由" in text and "ご連絡先" not in text


def test_a_disputed_dmca_take_down_is_a_counter_notice(moth: Tracker, tmp_path: Path) -> None:
    number = _complaint(moth, "dmca", "en", platform="pixiv", ticket="DMCA-77")
    moth("complaint", "decide", str(number), "--action", "take_down")
    moth("complaint", "confirm", str(number))
    moth("complaint", "decide", str(number), "--action", "dispute", "--reason", "independent_creation")
    draft = _reply(moth, number)
    text = draft["text"]
    assert draft["kind"] == "counter_notice"
    assert text.startswith("Counter-notification under 17 U.S.C. § 512(g)(3)")
    for statement in (
        "Identification of the material removed, and where it appeared before it was removed",
        f"- {PIXIV}",
        "under penalty of perjury, that I have a good faith belief that the material identified above was "
        "removed or disabled as a result of a mistake or misidentification",
        "I consent to the jurisdiction of the Federal District Court",
        "I will accept service of process from the person who provided the notification",
        "E-mail: moth@example.org",
        "(reference DMCA-77)",
    ):
        assert statement in text
    assert draft["fill_in"] == [
        "your full legal name",
        "your postal address",
        "your telephone number",
        "your signature (typing your full name is an electronic signature)",
    ]
    for item in draft["fill_in"]:
        assert f"[[ FILL IN: {item} ]]" in text
    shown = moth("complaint", "reply", str(number), "--out", tmp_path / "counter.txt")
    assert shown.stdout == "" and "fill in before sending: your full legal name" in shown.stderr
    subject = "Subject: Counter-notification under 17 U.S.C. § 512(g)(3) (reference DMCA-77)"
    assert (tmp_path / "counter.txt").read_text(encoding="utf-8") == f"{subject}\n\n{text}", "under its subject"
    assert oct((tmp_path / "counter.txt").stat().st_mode & 0o777) == "0o600"


def test_a_disputed_dsa_removal_is_a_counter_statement(moth: Tracker) -> None:
    number = _complaint(moth, "dsa", "ja", platform="pixiv")
    moth("complaint", "decide", str(number), "--action", "take_down")
    moth("complaint", "confirm", str(number))
    moth("complaint", "decide", str(number), "--action", "dispute", "--reason", "slight_resemblance")
    draft = _reply(moth, number)
    assert draft["kind"] == "counter_statement" and draft["fill_in"] == []
    assert draft["text"].startswith("EUデジタルサービス法（DSA）第20条に基づく決定への異議申立て")
    assert "Moth Atelier" in draft["text"]


def test_the_language_is_guessed_and_can_be_changed(moth: Tracker) -> None:
    message = "私の作品を無断で使用した画像が投稿されています。削除をお願いいたします。"
    number = int(moth.json("complaint", "add", "--post", PIXIV, "--name", "山田 花子", "--message", message)["id"])
    assert moth.json("complaint", "show", str(number))["language"] == "ja"
    moth("complaint", "decide", str(number), "--action", "take_down")
    assert _reply(moth, number)["text"].startswith("山田 花子 様")
    moth("complaint", "set", str(number), "--lang", "en")
    assert _reply(moth, number)["text"].startswith("Dear 山田 花子,\n"), "Dear is the honorific: no 様 after it"
    assert moth("complaint", "set", str(number), "--lang", "fr", ok=False).stderr.startswith("tracker: error: ")


def test_control_characters_from_a_complaint_never_reach_the_letter(moth: Tracker, tmp_path: Path) -> None:
    """A name carrying a terminal title sequence (ESC ] 0;… BEL) keeps its text and loses the sequence: neither the
    draft printed, nor the file `--out` writes, nor the text recorded as sent holds the raw bytes or their escapes."""
    hostile = "Sato\x1b]0;pwned\x07 Hana\x1b[31m"
    number = _complaint(moth, "dmca", "en", name=hostile, work_title="Night\x9b2J")
    moth("complaint", "decide", str(number), "--action", "take_down")
    out = tmp_path / "letter.txt"
    moth("complaint", "reply", str(number), "--out", out, "--answered")
    written = out.read_text(encoding="utf-8")
    assert written.split("\n\n", 1)[1].startswith("Dear Sato Hana,\n"), "neither obeyed nor quoted"
    for letter in (written, _reply(moth, number)["text"], moth.json("complaint", "show", str(number))["reply_text"]):
        assert not any(ord(c) < 32 and c != "\n" or 0x7F <= ord(c) <= 0x9F for c in letter)


def test_a_notice_emailed_to_the_owner_alone_gets_a_letter_not_a_counter_notice(moth: Tracker) -> None:
    """The owner took the post down on an e-mailed DMCA notice (no platform involved), then revised to a dispute:
    the complainant gets the dispute letter with the owner's note, not a § 512(g) counter-notice to no platform
    (which would ask for the owner's legal name and address)."""
    number = _complaint(moth, "dmca", "en", channel="email")
    moth("complaint", "decide", str(number), "--action", "take_down")
    moth("complaint", "confirm", str(number))
    note = "The lantern arrangement is a common motif."
    args = ("--action", "dispute", "--reason", "slight_resemblance", "--reply-note", note)
    moth("complaint", "decide", str(number), *args)
    draft = _reply(moth, number)
    assert draft["kind"] == "dispute" and note in draft["text"] and "512(g)(3)" not in draft["text"]


def test_a_counter_notice_says_the_note_for_the_complainant_is_not_in_it(moth: Tracker) -> None:
    number = _complaint(moth, "dmca", "en", platform="x")
    moth("complaint", "decide", str(number), "--action", "take_down")
    moth("complaint", "confirm", str(number))
    moth("complaint", "decide", str(number), "--action", "dispute", "--reason", "other", "--reply-note", "Hello.")
    draft = _reply(moth, number)
    assert draft["kind"] == "counter_notice" and "To: X (designated agent" in draft["text"]
    assert any("not in this letter" in warning for warning in draft["warnings"])


def test_a_letter_to_an_agent_speaks_of_their_clients_work(moth: Tracker) -> None:
    """Jordan Lee writes for Brightmill Studio: the take-down is no admission of copying *their client's* work."""
    number = _complaint(moth, "dmca", "en", role="agent")
    moth("complaint", "decide", str(number), "--action", "take_down")
    text = _reply(moth, number)["text"]
    assert "I copied your client's work" in text and "copied your work" not in text
    assert "Dear Sato Hana," in text and "your message" in text, "still written to them"
