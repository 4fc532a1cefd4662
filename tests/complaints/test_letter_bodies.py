"""The body of a reply as the complainant reads it, in English and in Japanese: it speaks only of posts that were
named, says who removed a post, gives no model list for a post the owner says is not theirs, and counts what it
speaks of (one reason, one address) as the record counts it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fixtures.common import Tracker, database_url
from fixtures.imagefactory import A1111_INFOTEXT, FORGE_INFOTEXT, pixels, write_png

pytestmark = pytest.mark.db

ONE = "https://www.pixiv.net/artworks/601"
TWO = "https://www.pixiv.net/artworks/602"
TEXT_ONLY = re.sub(r'ControlNet 0: "[^"]*", ', "", FORGE_INFOTEXT)
NO_POST = "Your AI picture copies my drawing of a moth girl in a harbour at night. Please remove it."


@pytest.fixture
def moth(tracker: Tracker, tmp_path: Path) -> Tracker:
    """#1 made from a text prompt with hassakuXL and two LoRAs, #2 with waiIllustrious; signed 'Moth Atelier'."""
    tracker("log", write_png(tmp_path / "a.png", {"parameters": TEXT_ONLY}), "--url", ONE, "--persona", "moth")
    second = write_png(tmp_path / "b.png", {"parameters": A1111_INFOTEXT}, image=pixels(seed=7))
    tracker("log", second, "--url", TWO, "--persona", "moth")
    tracker("persona", "set", "moth", "--display-name", "Moth Atelier")
    return tracker


def _add(tracker: Tracker, *args: str, posts: tuple[str, ...] = (ONE,), lang: str = "en") -> str:
    cmd = ["complaint", "add", "--basis", "none", "--lang", lang, "--name", "Kai", "--message", NO_POST]
    for post in posts:
        cmd += ["--post", post]
    return str(tracker.json(*cmd, *args)["id"])


def _letter(tracker: Tracker, number: str, action: str, *args: str) -> str:
    tracker("complaint", "decide", number, "--action", action, *args)
    draft: dict[str, Any] = tracker.json("complaint", "reply", number)
    return str(draft["text"])


@pytest.mark.parametrize(
    "reason", ["slight_resemblance", "small_part", "independent_creation", "licensed_input", "other"]
)
def test_a_dispute_of_a_message_naming_no_post_is_refused_saying_what_to_do(moth: Tracker, reason: str) -> None:
    number = _add(moth, posts=())
    refused = moth("complaint", "decide", number, "--action", "dispute", "--reason", reason, ok=False)
    assert refused.exit_code == 1, "refused by the record, as a contradicted reason is (2 is for usage errors)"
    said = " ".join(refused.output.split())
    assert f"complaint #{number} names no post" in said
    assert "--action ask_info" in said and "--reason not_my_post" in said, "what to answer instead"
    assert moth.json("complaint", "show", number)["decisions"] == [], "nothing was decided"


def test_the_decision_dialog_says_the_refusal_in_its_own_words() -> None:
    from tracker.complaints.decisions import DecisionInput, unnamed_dispute
    from tracker.db.enums import DecisionAction, DisputeReason
    from tracker.tui.screens.decision import in_tui_words

    said = unnamed_dispute(4, DecisionInput(DecisionAction.DISPUTE, DisputeReason.SMALL_PART))
    assert said is not None
    shown = in_tui_words(said)
    assert "--" not in shown
    assert 'the action "ask for more information"' in shown and 'the reason "not my post"' in shown


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_dispute_decided_on_no_post_never_claims_posts_were_examined(
    moth: Tracker, isolated_env: Path, lang: str
) -> None:
    """A decision recorded before `decide` refused it (here: made so by hand): the letter says no post could be
    identified, never "these posts: (no post was named)" nor "they share only ideas with your work"."""
    from sqlalchemy import create_engine, text

    number = _add(moth, posts=(), lang=lang)
    moth("complaint", "decide", number, "--action", "dispute", "--reason", "not_my_post")
    engine = create_engine(database_url(isolated_env))
    with engine.begin() as conn:
        conn.execute(text("UPDATE decision SET reason = 'slight_resemblance'"))
    engine.dispose()
    draft = moth.json("complaint", "reply", number)
    assert draft["kind"] == "not_mine_described"
    for wrong in (
        "no post was named",
        "these posts",
        "share only ideas",
        "投稿の指定はございませんでした",
        "以下の投稿",
    ):
        assert wrong not in draft["text"]


@pytest.mark.parametrize(
    ("lang", "says", "wrong"),
    [
        ("en", "which post of mine you mean", "how the posts infringe"),
        ("ja", "どの投稿についてのご指摘なのか", "該当の投稿が"),
    ],
)
def test_an_invalid_notice_naming_no_post_does_not_speak_of_the_posts(
    moth: Tracker, lang: str, says: str, wrong: str
) -> None:
    text = _letter(moth, _add(moth, posts=(), lang=lang), "invalid")
    assert says in text and wrong not in text
    named = _letter(moth, _add(moth, "--duplicate", lang=lang), "invalid")
    assert says not in named, "a message that names a post is answered about it"


@pytest.mark.parametrize(
    ("basis", "said"),
    [
        ("none", "I could not tell from your message how you believe the post infringes a right of yours."),
        ("platform_rules", "I could not tell from your message which rule you believe the post breaks, or how."),
    ],
)
def test_an_invalid_letter_does_not_grant_that_the_post_infringes(moth: Tracker, basis: str, said: str) -> None:
    """Refusing to act on a message that does not say how: "how the post infringes a right of yours" would grant the
    infringement the letter does not accept; it is what they believe that the letter could not tell."""
    number = str(
        moth.json("complaint", "add", "--post", ONE, "--basis", basis, "--lang", "en", "--name", "Pat Doe")["id"]
    )
    assert said in " ".join(_letter(moth, number, "invalid").split())


@pytest.mark.parametrize(
    ("lang", "denied", "wrong"),
    [
        ("en", "The post you named is not mine", ("generated with", "what in the post reproduces", "not removing")),
        (
            "ja",
            "ご指摘の投稿は私が投稿したものではなく",
            ("使用して生成したもの", "どの部分を複製している", "応じかねます"),
        ),
    ],
)
def test_a_named_post_the_owner_denies_gets_no_model_list_and_no_request_to_show_the_copy(
    moth: Tracker, lang: str, denied: str, wrong: tuple[str, ...]
) -> None:
    """Forced with --despite-record: the letter says the post is not theirs, and never then lists the models they
    made it with or asks what in it copies the work (which would say it is theirs after all)."""
    number = _add(moth, lang=lang)
    text = _letter(moth, number, "dispute", "--reason", "not_my_post", "--despite-record")
    assert denied in text and ONE in text
    assert "hassakuXL" not in text and "retrowave" not in text, "no model list for a post that is not theirs"
    for said in wrong:
        assert said not in text
    assert ("send me its address (URL)" if lang == "en" else "その投稿のURLをお知らせ") in text


@pytest.mark.parametrize(
    ("lang", "says", "wrong"),
    [
        ("en", "Every input image I used to generate the post was my own work", "Where an image was used"),
        ("ja", "該当の投稿の生成に用いた入力画像は、いずれも私自身が制作したもの", "入力画像を使用した箇所"),
    ],
)
def test_licensed_input_speaks_of_the_input_images_recorded(
    tracker: Tracker, tmp_path: Path, lang: str, says: str, wrong: str
) -> None:
    """Only a post with an image input recorded takes the reason (one without is refused, as before), and the letter
    says what was meant: the input images used to generate it were the owner's own or licensed."""
    tracker("log", write_png(tmp_path / "t.png", {"parameters": TEXT_ONLY}), "--url", ONE, "--persona", "moth")
    with_input = write_png(tmp_path / "c.png", {"parameters": FORGE_INFOTEXT}, image=pixels(seed=9))
    tracker("log", with_input, "--url", TWO, "--persona", "moth")
    plain = _add(tracker, lang=lang)
    refused = tracker("complaint", "decide", plain, "--action", "dispute", "--reason", "licensed_input", ok=False)
    assert "no image input is recorded" in refused.output
    text = _letter(
        tracker, _add(tracker, "--duplicate", posts=(TWO,), lang=lang), "dispute", "--reason", "licensed_input"
    )
    assert says in text and wrong not in text


@pytest.mark.parametrize(
    ("lang", "removed", "accepted", "wrong"),
    [
        (
            "en",
            "The following post has been removed by pixiv on your notice:\n- " + ONE,
            "I accept the removal and will not contest it.",
            ("I have removed", "I am removing", "at your request"),
        ),
        (
            "ja",
            "以下の投稿は、お申し立てを受けてpixivにより削除されております。\n・" + ONE,
            "この削除について異議を申し立てることはいたしません。",
            ("削除いたしました", "削除いたします", "お申し出を受けて"),
        ),
    ],
)
def test_a_take_down_of_a_post_the_platform_removed_says_the_platform_removed_it(
    moth: Tracker, lang: str, removed: str, accepted: str, wrong: tuple[str, ...]
) -> None:
    """`post set --status taken_down` (the platform removed it), then a take-down: the letter says who removed it,
    and the owner accepts that without admitting anything; it never says the owner removed it at their request."""
    moth("post", "set", ONE, "--status", "taken_down")
    text = _letter(moth, _add(moth, "--platform", "pixiv", lang=lang), "take_down")
    assert removed in text and accepted in text
    for said in wrong:
        assert said not in text
    both = _letter(moth, _add(moth, "--duplicate", "--platform", "pixiv", posts=(ONE, TWO), lang=lang), "take_down")
    assert removed in both, "named apart from the post the owner removes"
    assert (
        "I am removing the following post:\n- " + TWO if lang == "en" else "以下の投稿を削除いたします。\n・" + TWO
    ) in both


@pytest.mark.parametrize(
    ("lang", "one", "many"),
    [
        (
            "en",
            "I have checked the address in your message against every post I have published: it is not a post of mine",
            "I have checked the addresses in your message against every post I have published: none of them is",
        ),
        ("ja", "確認いたしましたが、私の投稿ではなく、", "確認いたしましたが、いずれも私の投稿ではなく、"),
    ],
)
def test_a_not_my_post_letter_counts_the_addresses_their_message_gave(
    moth: Tracker, lang: str, one: str, many: str
) -> None:
    first, second = "https://x.com/someone/status/111", "https://x.com/someone/status/222"
    single = _add(moth, "--work-url", first, "--message", f"My picture was copied: {first}", posts=(), lang=lang)
    text = _letter(moth, single, "dispute", "--reason", "not_my_post")
    assert one in text and "none" not in text and "いずれも" not in text
    both = ("--work-url", first, "--work-url", second, "--message", f"Copies: {first} {second}")
    assert many in _letter(moth, _add(moth, *both, posts=(), lang=lang), "dispute", "--reason", "not_my_post")


def test_the_japanese_opening_dates_their_message_with_tsuki_and_its_reference_beside_it(moth: Tracker) -> None:
    number = _add(moth, "--ticket", "PX-2026-4411", "--received", "2026-12-04T10:00:00+09:00", lang="ja")
    text = _letter(moth, number, "take_down")
    assert "このたびは、2026年12月4日にご作品に関するご連絡（受付番号：PX-2026-4411）をいただき" in text
    assert "日（受付番号" not in text


def test_a_slight_resemblance_says_copyright_does_not_protect_ideas(moth: Tracker) -> None:
    text = _letter(moth, _add(moth), "dispute", "--reason", "slight_resemblance")
    assert "(a subject or a style, which copyright does not protect)" in text and "no one owns" not in text


def test_a_letter_signed_without_a_display_name_warns_how_to_set_one(tracker: Tracker, tmp_path: Path) -> None:
    tracker("log", write_png(tmp_path / "a.png", {"parameters": TEXT_ONLY}), "--url", ONE, "--persona", "moth")
    number = _add(tracker)
    tracker("complaint", "decide", number, "--action", "take_down")
    shown = tracker("complaint", "reply", number)
    assert shown.stdout.rstrip().endswith("moth"), "the letter is still signed, with the persona's name"
    said = " ".join(shown.stderr.split())
    assert "no display name is set for persona moth" in said
    assert "tracker persona set moth --display-name NAME" in said
    assert "display name" not in shown.stdout, "a warning for the owner, not part of the letter"
    tracker("persona", "set", "moth", "--display-name", "Moth Atelier")
    again = tracker("complaint", "reply", number)
    assert "no display name" not in again.stderr and again.stdout.rstrip().endswith("Moth Atelier")


async def test_the_reply_screen_warns_that_no_display_name_is_set(tracker: Tracker, tmp_path: Path) -> None:
    from fixtures.tui import SIZE, make_app, settled
    from textual.widgets import Static

    from tracker.tui.screens.reply import ReplyScreen

    tracker("log", write_png(tmp_path / "a.png", {"parameters": TEXT_ONLY}), "--url", ONE, "--persona", "moth")
    tracker("complaint", "decide", _add(tracker), "--action", "take_down")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await app.push_screen(ReplyScreen(1))
        await settled(pilot)
        shown = " ".join(str(app.screen.query_one("#reply-warnings", Static).render()).split())
        assert "no display name is set for persona moth" in shown and "--display-name NAME" in shown


@pytest.mark.parametrize(
    ("lang", "kept", "disclaimer"),
    [
        ("en", "stays up:", "The removal is at your request."),
        ("ja", "引き続き公開いたします。", "お申し出を受けて行うもの"),
    ],
)
def test_a_partial_take_down_puts_the_owners_note_by_the_post_kept_up(
    moth: Tracker, lang: str, kept: str, disclaimer: str
) -> None:
    note = "The second picture shows a different harbour." if lang == "en" else "二枚目の画像は別の港を描いたものです。"
    number = _add(moth, posts=(ONE, TWO), lang=lang)
    text = _letter(moth, number, "take_down", "--post", "1", "--reply-note", note)
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    at = next(i for i, p in enumerate(paragraphs) if kept in p and TWO in p)
    assert paragraphs[at + 1].startswith(note + "\n"), "the note right under the post that stays up, then why"
    assert text.index(note) < text.index(disclaimer)
    alone = _letter(moth, _add(moth, "--duplicate", lang=lang), "take_down", "--reply-note", note)
    assert note in alone, "with no post kept up, the note stays where it was"


def test_a_take_down_of_a_post_already_down_asks_for_no_confirmation(moth: Tracker) -> None:
    """The platform removed #1 before the owner decided: `decide` says it is down already and asks neither to remove
    it nor to confirm its removal (which `complaint confirm` would refuse: nothing to confirm); #2, live, still is."""
    moth("post", "set", ONE, "--status", "taken_down")
    shown = moth("complaint", "decide", _add(moth), "--action", "take_down").stdout
    assert f"removed    #1 [taken_down] {ONE}" in shown and "(already down)" in shown, shown
    assert "to remove" not in shown and "complaint confirm" not in shown, shown
    both = moth("complaint", "decide", _add(moth, "--duplicate", posts=(ONE, TWO)), "--action", "take_down").stdout
    assert f"to remove  #2 [live] {TWO}" in both and "(already down)" in both, both
    assert "Once they are removed, record it: tracker complaint confirm" in both
