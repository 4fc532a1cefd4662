"""The reply letters read as the complainant reads them: Japanese business mail and plain English.

What a Japanese reader notices first: an apology when the answer is late, the organisation above
the name, a short self-introduction, no empty list after "以下の事項", no two paragraphs in a row
opening with なお, the right closing for a take-down, the owner's sentence beside the reasoning.
And for a complaint about several posts: the models given per post, and the posts kept up named.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fixtures.common import Tracker
from fixtures.imagefactory import A1111_INFOTEXT, FORGE_INFOTEXT, pixels, write_png

from tracker.complaints.letters.letter_facts import platforms_spoken_of
from tracker.support.dates import utcnow

pytestmark = pytest.mark.db

ONE = "https://www.pixiv.net/artworks/601"
TWO = "https://www.pixiv.net/artworks/602"
TEXT_ONLY = re.sub(r'ControlNet 0: "[^"]*", ', "", FORGE_INFOTEXT)
PRIVATE = "my own private note 7f3a"
NOTE_JA = "生成に使用した設定は公開しております。"


@pytest.fixture
def moth(tracker: Tracker, tmp_path: Path) -> Tracker:
    """#1 made with hassakuXL and two LoRAs, #2 with waiIllustrious and a LoRA; signed 'Moth Atelier'."""
    tracker("log", write_png(tmp_path / "a.png", {"parameters": TEXT_ONLY}), "--url", ONE, "--persona", "moth")
    second = write_png(tmp_path / "b.png", {"parameters": A1111_INFOTEXT}, image=pixels(seed=7))
    tracker("log", second, "--url", TWO, "--persona", "moth")
    tracker("persona", "set", "moth", "--display-name", "Moth Atelier", "--contact", "moth@example.org")
    return tracker


def _add(tracker: Tracker, *args: str, posts: tuple[str, ...] = (ONE,), lang: str = "ja") -> str:
    cmd = ["complaint", "add", "--basis", "jp", "--lang", lang, "--name", "高橋 健一", "--work-title", "夜の港"]
    for post in posts:
        cmd += ["--post", post]
    return str(tracker.json(*cmd, *args)["id"])


def _complaint(tracker: Tracker, *args: str) -> str:
    """A new complaint's number, from `complaint add` with these arguments."""
    return str(tracker.json(*args)["id"])


def _reply(tracker: Tracker, number: str, action: str, *args: str) -> str:
    tracker("complaint", "decide", number, "--action", action, "--notes", PRIVATE, *args)
    draft: dict[str, Any] = tracker.json("complaint", "reply", number)
    assert PRIVATE not in draft["text"]
    return str(draft["text"])


def _paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n\n") if p.strip()]


@pytest.mark.parametrize("action", ["ask_info", "invalid"])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_notice_lacking_nothing_gets_no_empty_list(moth: Tracker, action: str, lang: str) -> None:
    complete = ("--element", "location", "--element", "right", "--element", "contact")
    number = _add(moth, *complete, "--work-url", "https://example.jp/harbour", lang=lang)  # where the work is, too
    text = _reply(moth, number, action)
    for intro in ("以下の事項", "I need the following from you", "yours does not contain these"):
        assert intro not in text, "no introduction to a list that is empty"
    if lang == "ja":
        assert "どの部分" in text, "it asks for what is actually unclear"
    else:
        assert "which part of your work" in text or "what in the post" in text


def test_a_notice_lacking_something_still_lists_it(moth: Tracker) -> None:
    number = _add(moth, "--element", "location")
    moth("complaint", "set", number, "--no-element", "right")  # not found by the reader: listed once the owner says
    text = _reply(moth, number, "ask_info")
    assert "以下の事項をお知らせいただけますでしょうか。\n・侵害されたとお考えの権利と、その理由" in text
    text = _reply(moth, number, "invalid")
    assert "削除のご依頼に必要な事項のうち、以下の事項がいただいたご連絡に含まれておりませんでした。" in text
    assert "次の事項" not in text, "no 'the following ... the following'"


@pytest.mark.parametrize(
    ("lang", "apology"),
    [("ja", "ご返信が遅くなりましたこと、深くお詫び申し上げます。"), ("en", "I am sorry for the delay in replying.")],
)
def test_a_late_answer_thanks_then_apologises(moth: Tracker, lang: str, apology: str) -> None:
    late = _add(moth, "--received", "2026-01-01T09:00:00Z", "--deadline", "2026-01-08", lang=lang)
    text = _reply(moth, late, "dispute", "--reason", "slight_resemblance")
    # Japanese business mail names the writer, thanks, then apologises; English thanks, then apologises.
    opening = _paragraphs(text)[1]
    thanks = "このたびは、" if lang == "ja" else "Thank you for your message"
    assert thanks in opening and apology in opening, "in the letter's first paragraph"
    assert opening.index(thanks) < opening.index(apology), "the thanks first"
    on_time = _add(moth, lang=lang)
    assert apology not in _reply(moth, on_time, "dispute", "--reason", "slight_resemblance")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_an_answer_hours_after_a_deadline_that_day_apologises(moth: Tracker, lang: str) -> None:
    """明日の17時まで, answered at 21:00 the same day: late, although it is still the deadline's date."""
    passed = (utcnow() - timedelta(minutes=1)).replace(microsecond=0).isoformat()
    number = _add(moth, "--received", "2026-01-01T09:00:00Z", "--deadline", passed, lang=lang)
    apology = "ご返信が遅くなりましたこと" if lang == "ja" else "I am sorry for the delay in replying."
    assert apology in _reply(moth, number, "take_down")


def test_the_salutation_names_the_organisation(moth: Tracker) -> None:
    number = _add(moth, "--org", "株式会社ハーバーライト")
    assert _reply(moth, number, "take_down").startswith("株式会社ハーバーライト\n高橋 健一 様\n\n")
    for abbreviated in ("(株)ハーバーライト", "㈱ハーバーライト", "（株）ハーバーライト"):  # as a signature wrote it
        number = _add(moth, "--org", abbreviated)
        assert _reply(moth, number, "take_down").startswith("株式会社ハーバーライト\n高橋 健一 様\n\n")
    unnamed = str(moth.json("complaint", "add", "--post", ONE, "--lang", "ja", "--org", "株式会社ハーバーライト")["id"])
    assert _reply(moth, unnamed, "take_down").startswith("株式会社ハーバーライト\nご担当者様\n\n")


def test_the_sender_introduces_themselves(moth: Tracker) -> None:
    text = _reply(moth, _add(moth), "dispute", "--reason", "small_part")
    assert "pixivにて「Moth Atelier」として画像を投稿している者です。" in _paragraphs(text)[1]
    text = _reply(moth, _add(moth, lang="en"), "dispute", "--reason", "small_part")
    assert "I post images on pixiv as Moth Atelier." in _paragraphs(text)[1]


def test_a_japanese_take_down_reads_as_business_mail(moth: Tracker) -> None:
    text = _reply(moth, _add(moth), "take_down", "--reply-note", NOTE_JA)
    starts = [p.startswith("なお") for p in _paragraphs(text)]
    assert not any(a and b for a, b in zip(starts, starts[1:], strict=False)), "no two なお paragraphs in a row"
    assert "ご迷惑をおかけし、誠に申し訳ございませんでした。" in text
    assert text.count("このたびは") == 1, "the thanks opens with it; the apology does not say it again"
    assert "お気軽に" not in text and "ご心配" not in text
    assert text.index(NOTE_JA) < text.index("なお、該当の画像は"), "the owner's sentence before the model list"


def test_the_reply_note_follows_the_reasoning(moth: Tracker) -> None:
    text = _reply(moth, _add(moth), "dispute", "--reason", "independent_creation", "--reply-note", NOTE_JA)
    reason = text.index("ご作品とは無関係に制作したものです")
    assert (
        reason
        < text.index(NOTE_JA)
        < text.index("以上のことから")
        < text.index("使用したモデルおよびLoRAは以下のとおりです")
    )


@pytest.mark.parametrize(
    ("lang", "reason", "note", "conclusion"),
    [
        (
            "ja",
            "創作的な表現を再現したものではないと考えております。",
            "構図はありふれたもので、配色も異なると考えております。",
            "以上のことから、該当の投稿はご作品の権利を侵害するものではないと判断いたしました。誠に恐れ入りますが、"
            "投稿はこのまま掲載を継続いたします。",
        ),
        (
            "en",
            "it does not reproduce what is original in your work.",
            "The composition is a common one, and the colours differ.",
            "For these reasons, I am keeping the post up as it is.",
        ),
    ],
    ids=["ja", "en"],
)
def test_a_dispute_gives_its_reasons_before_it_refuses(
    moth: Tracker, lang: str, reason: str, note: str, conclusion: str
) -> None:
    """The owner's reason for disputing (the reply note) is part of "for these reasons": the reason sentence,
    the note, then the refusal, each its own paragraph; with no note, the refusal right after the reason, and
    one reason is "for this reason"."""
    number = _add(moth, lang=lang)
    paragraphs = _paragraphs(_reply(moth, number, "dispute", "--reason", "slight_resemblance", "--reply-note", note))
    at = next(i for i, p in enumerate(paragraphs) if p.endswith(reason))
    assert paragraphs[at + 1 : at + 3] == [note, conclusion]
    text = _reply(moth, number, "dispute", "--reason", "slight_resemblance")
    alone = conclusion.replace("For these reasons", "For this reason")
    assert f"{reason}\n\n{alone}\n\n" in text and "\n\n\n" not in text


def test_slight_resemblance_does_not_call_composition_a_general_element(moth: Tracker) -> None:
    text = _reply(moth, _add(moth), "dispute", "--reason", "slight_resemblance")
    assert "構図" not in text and "題材や画風といったアイデアの段階" in text


@pytest.mark.parametrize("action", ["dispute", "take_down", "ask_info"])
def test_no_sentence_says_goshiteki_twice(moth: Tracker, action: str) -> None:
    number = str(moth.json("complaint", "add", "--post", ONE, "--basis", "jp", "--lang", "ja", "--name", "高橋")["id"])
    text = _reply(moth, number, action, *(("--reason", "slight_resemblance") if action == "dispute" else ()))
    for sentence in re.split(r"[。\n]", text):
        assert sentence.count("ご指摘") <= 1, sentence


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_models_of_several_posts_are_given_per_post(moth: Tracker, lang: str) -> None:
    text = _reply(moth, _add(moth, posts=(ONE, TWO), lang=lang), "dispute", "--reason", "small_part")
    models = text[text.index("hassakuXL_v13") - 200 :]
    first, second = models.index(ONE), models.index(TWO)
    assert first < models.index("hassakuXL_v13") < models.index("retrowave") < second
    assert second < models.index("waiIllustriousSDXL_v160") and second < models.index("catstyle")


def test_a_single_post_keeps_a_plain_list(moth: Tracker) -> None:
    text = _reply(moth, _add(moth), "dispute", "--reason", "small_part")
    assert "（ハッシュ値により使用したファイルを特定できます）。\n・モデル hassakuXL_v13（163ac69059）" in text


@pytest.mark.parametrize(("lang", "kept"), [("ja", "引き続き公開いたします"), ("en", "stays up")])
def test_a_partial_take_down_names_the_posts_kept_up(moth: Tracker, lang: str, kept: str) -> None:
    number = _add(moth, posts=(ONE, TWO), lang=lang)
    text = _reply(moth, number, "take_down", "--post", "2")
    removal, rest = text.split(kept, 1)
    assert TWO in removal and ONE not in removal, "the post taken down is listed for removal"
    assert rest.splitlines()[1].endswith(ONE), "the named post that stays up is listed under it"
    why = (
        ("複製したものではないと考えております", "改めて確認いたします")
        if lang == "ja"
        else ("I do not believe", "again")
    )
    assert all(part in rest.splitlines()[2] for part in why), "why it stays up, and what would change that"
    whole = _reply(moth, number, "take_down")
    assert kept not in whole, "nothing is kept up when every post goes"


@pytest.mark.parametrize(
    ("lang", "heading"),
    [("ja", "なお、該当の画像はそれぞれ以下の"), ("en", "The images were generated with the following models")],
)
def test_a_partial_take_down_gives_the_models_of_the_post_kept_up_too(moth: Tracker, lang: str, heading: str) -> None:
    """The complainant can check the post that stays up against their work: its models are listed, under its URL."""
    text = _reply(moth, _add(moth, posts=(ONE, TWO), lang=lang), "take_down", "--post", "2")
    models = text[text.index(heading) :]
    removed, kept = models.index(TWO), models.index(ONE)
    assert removed < models.index("waiIllustriousSDXL_v160") < kept, "the removed post's models under its URL"
    assert kept < models.index("hassakuXL_v13") and kept < models.index("retrowave"), "and the kept post's under its"


def test_a_post_already_taken_down_is_never_said_to_stay_up(moth: Tracker) -> None:
    other = _add(moth, posts=(ONE,))
    moth("complaint", "decide", other, "--action", "take_down")
    moth("complaint", "confirm", other)  # post #1 is down, through another complaint
    text = _reply(moth, _add(moth, posts=(ONE, TWO)), "take_down", "--post", "2")
    assert "引き続き公開いたします" not in text and ONE not in text


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_dsa_counter_statement_keeps_the_note_for_the_complainant_out(moth: Tracker, lang: str) -> None:
    """It goes to the platform: the note meant for the complainant is left out, and the owner is told."""
    number = _add(moth, "--basis", "dsa", "--platform", "pixiv", lang=lang)
    moth("complaint", "decide", number, "--action", "take_down")
    moth("complaint", "confirm", number)
    moth("complaint", "decide", number, "--action", "dispute", "--reason", "small_part", "--reply-note", NOTE_JA)
    draft = moth.json("complaint", "reply", number)
    assert draft["kind"] == "counter_statement" and NOTE_JA not in draft["text"]
    assert any("not in this letter" in warning for warning in draft["warnings"])


def test_an_agents_dsa_notice_asks_for_the_agents_own_name(moth: Tracker) -> None:
    """Art. 16(2)(c) asks for the name and e-mail of whoever submits the notice: the agent, not their client."""
    number = str(
        moth.json("complaint", "add", "--post", ONE, "--basis", "dsa", "--lang", "en", "--role", "agent")["id"]
    )
    text = _reply(moth, number, "ask_info")
    assert "your own name and e-mail address" in text and "your client's name" not in text


def test_an_older_copy_of_the_phrases_still_works_and_wins(moth: Tracker, isolated_env: Path) -> None:
    """A user's phrases.toml made before the self-introduction existed: its own words, the new ones shipped."""
    own = isolated_env / "replies" / "ja" / "phrases.toml"
    own.parent.mkdir(parents=True)
    own.write_text('salutation = "{name} 様へ"\n', encoding="utf-8")
    text = _reply(moth, _add(moth), "dispute", "--reason", "small_part")
    assert text.startswith("高橋 健一 様へ\n"), "the user's word wins"
    assert "として画像を投稿している者です" in text, "a phrase the copy lacks comes from the shipped file"


@pytest.mark.parametrize(
    ("lang", "says"),
    [
        (
            "ja",
            "私がこれまでに投稿した画像と照らし合わせて確認いたしましたが、該当するものは見当たりませんでした。"
            "そのため、現時点では削除の対象となる投稿を特定できておりません。",
        ),
        (
            "en",
            "I have compared the picture with every image I have published and found none that shows it, so at "
            "present I cannot identify any post of mine to remove.",
        ),
    ],
)
def test_not_mine_without_a_named_post_says_so_without_an_empty_list(
    moth: Tracker, tmp_path: Path, lang: str, says: str
) -> None:
    """Only a picture was sent and no post of the owner's shows it: no '(no post was named)' list, no 'the posts you named'."""
    theirs = write_png(tmp_path / "theirs.png", {}, image=pixels(seed=99))
    number = _add(moth, "--image", str(theirs), posts=(), lang=lang)
    text = _reply(moth, number, "dispute", "--reason", "not_my_post")
    assert says in text
    for wrong in (
        "投稿の指定はございませんでした",
        "no post was named",
        "you named",
        "ご指摘の投稿は",
        "removing them",
        "私が投稿したものではなく",  # only what was checked: a crop too tight for the search may still be a post
        "It is not mine",
    ):
        assert wrong not in text


def test_not_mine_with_links_in_the_message_says_they_are_not_the_owners_posts(moth: Tracker, tmp_path: Path) -> None:
    """Their message links a post on someone else's account: the letter says those addresses are not the owner's."""
    theirs = write_png(tmp_path / "theirs.png", {}, image=pixels(seed=99))
    url = "https://x.com/someone_else/status/12345"
    link = ("--work-url", url, "--image", str(theirs), "--message", f"You reposted my picture here: {url}")
    number = _add(moth, *link, posts=(), lang="en")
    text = _reply(moth, number, "dispute", "--reason", "not_my_post")
    assert "the address in your message is not a post of mine" in text
    assert "no post was named" not in text and "you named" not in text


def test_a_sent_reply_printed_again_later_is_the_letter_that_went_out(moth: Tracker) -> None:
    """Printed again after the deadline, a reply sent in time gains no apology and keeps its date."""
    from tracker.cli.context import AppContext
    from tracker.complaints.letters.replies import draft_reply
    from tracker.complaints.records import get_complaint

    deadline = (utcnow() + timedelta(hours=1)).replace(microsecond=0).isoformat()
    number = _add(moth, "--deadline", deadline)
    sent = _reply(moth, number, "take_down")
    moth("complaint", "reply", number, "--answered")
    app = AppContext(db=None, data_dir=None)
    try:
        with app.sessions()() as session:
            complaint = get_complaint(session, int(number))
            later = draft_reply(session, app.settings, complaint, utcnow() + timedelta(hours=3))
    finally:
        app.close()
    assert later.text == sent and "遅くなりました" not in later.text


@pytest.mark.parametrize("lora", ["MoriiMee_Gothic_Style", "2新画风焦茶(缩小)", "kuro_artist_v2", "厚塗り画風"])
def test_a_style_lora_keeps_the_letter_from_saying_no_artist_was_named(
    tracker: Tracker, tmp_path: Path, lora: str
) -> None:
    """`<lora:MoriiMee_Gothic_Style:0.45>` (or a Chinese 画风 LoRA) in the prompt may name an artist: the
    independent-creation letter then says only what the record supports (no input image), not "no artist's
    name in the prompt"."""
    styled = TEXT_ONLY.replace("shadow-circuit", lora)
    tracker("log", write_png(tmp_path / "s.png", {"parameters": styled}), "--url", ONE, "--persona", "moth")
    plain_text = write_png(tmp_path / "t.png", {"parameters": TEXT_ONLY}, image=pixels(seed=9))
    tracker("log", plain_text, "--url", TWO, "--persona", "moth")
    claim = "プロンプトに作家のお名前を含めたこともございません"
    styled_letter = _reply(tracker, _add(tracker), "dispute", "--reason", "independent_creation")
    assert claim not in styled_letter and "入力画像として使用したこともございません" in styled_letter
    plain_letter = _reply(tracker, _add(tracker, posts=(TWO,)), "dispute", "--reason", "independent_creation")
    assert claim in plain_letter


@pytest.mark.parametrize(
    ("lang", "done", "still", "by_platform"),
    [
        ("ja", "削除いたしました", "削除いたします", "pixivにより削除されております"),
        ("en", "I have removed", "I am removing", "has been removed by pixiv"),
    ],
)
def test_a_take_down_of_a_post_already_gone_says_it_was_removed(
    moth: Tracker, lang: str, done: str, still: str, by_platform: str
) -> None:
    """A post the owner removed (confirmed) is said to have been removed, not that it will be; one the platform had
    already taken down when the take-down was decided (README: `taken_down` is the platform's removal) is said to
    have been removed by the platform, never by the owner."""
    number = _add(moth, lang=lang)
    live = _reply(moth, number, "take_down")
    assert still in live and done not in live
    moth("complaint", "confirm", number)
    assert done in moth.json("complaint", "reply", number)["text"]
    moth("post", "set", TWO, "--status", "taken_down")
    letter = _reply(moth, _add(moth, posts=(TWO,), lang=lang), "take_down")
    assert by_platform in letter and done not in letter and still not in letter


@pytest.mark.parametrize(
    ("lang", "links", "says"),
    [
        ("en", True, "I have checked the address in your message against every post I have published"),
        ("ja", True, "ご連絡に記載のURLを、私がこれまでに投稿したものと照らし合わせて確認いたしましたが"),
        ("en", False, "could not identify the one you mean"),
        ("ja", False, "該当する投稿を特定することができませんでした"),
    ],
)
def test_not_mine_without_a_picture_never_says_a_picture_was_compared(
    moth: Tracker, lang: str, links: bool, says: str
) -> None:
    """No image was sent: the letter speaks of the links they gave (or of nothing found), never of comparing 'the
    picture'."""
    link = "https://www.pixiv.net/artworks/98765432"
    extra = ("--work-url", link, "--message", f"The copies: {link}") if links else ()
    text = _reply(moth, _add(moth, *extra, posts=(), lang=lang), "dispute", "--reason", "not_my_post")
    assert says in text
    assert "compared the picture" not in text and "ご指摘の画像" not in text
    assert text.count("特定") <= 1 and text.count("identify") <= 1, "what could not be identified is said once"


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_not_mine_never_calls_the_complainants_own_work_link_a_post_checked(moth: Tracker, lang: str) -> None:
    """Their work's address (typed by the owner with --work-url), in a message that links nothing: the letter said
    every address in their message had been checked and none was a post of the owner's."""
    number = _add(moth, "--work-url", "https://www.pixiv.net/artworks/777777", "--message", "私の作品を真似た画像を見ました。",
                  posts=(), lang=lang)  # fmt: skip
    text = _reply(moth, number, "dispute", "--reason", "not_my_post")
    assert (
        "該当する投稿を特定することができませんでした" if lang == "ja" else "could not identify the one you mean"
    ) in text
    assert "記載のURL" not in text and "addresses in your message" not in text


@pytest.mark.parametrize(
    ("lang", "who", "greeting"),
    [
        (
            "ja",
            ("--name", "法務部", "--org", "株式会社サクラ・クリエイティブ 法務部"),
            "株式会社サクラ・クリエイティブ\n法務部 御中\n",
        ),
        ("en", ("--name", "Legal Department", "--org", "Harbor Lights Studio LLC"), "Dear Sir or Madam,\n"),
        (
            "ja",
            ("--name", "高橋 健一", "--org", "さくら総合法律事務所", "--role", "lawyer"),
            "さくら総合法律事務所\n弁護士 高橋 健一 先生\n",
        ),
        ("en", ("--name", "佐藤 美咲"), "Dear 佐藤 美咲,\n"),  # Dear is the honorific: no 様 after it
        ("en", ("--name", "Jane Doe"), "Dear Jane Doe,\n"),
        ("ja", ("--name", "長谷部"), "長谷部 様\n"),  # a surname ending in 部 is a person, not a department
    ],
)
def test_the_letter_greets_a_department_a_lawyer_and_a_japanese_name_as_they_expect(
    moth: Tracker, lang: str, who: tuple[str, ...], greeting: str
) -> None:
    cmd = ["complaint", "add", "--basis", "jp", "--lang", lang, "--post", ONE, *who]
    number = str(moth.json(*cmd)["id"])
    assert _reply(moth, number, "take_down").startswith(greeting)


def test_a_received_time_typed_with_its_zone_dates_the_letter_on_the_senders_day(moth: Tracker) -> None:
    """18:00 on 30 November in California is 1 December in UTC: the letter thanks them for their message of 30
    November, the day they wrote it."""
    from tracker.support.dates import typed_offset

    assert typed_offset("2026-11-30T18:00:00-08:00") == -480 and typed_offset("2026-11-30", 540) == 540
    assert typed_offset("2026-11-30 18:00", None) is None and typed_offset(None, 60) == 60
    number = _add(moth, "--received", "2026-11-30T18:00:00-08:00", lang="en")
    text = _reply(moth, number, "take_down")
    assert "30 November 2026" in text and "1 December 2026" not in text


@pytest.mark.parametrize("action", ["ask_info", "invalid"])
def test_a_named_lawyer_is_not_asked_for_their_name(moth: Tracker, action: str) -> None:
    """The letter opens 弁護士 山田 太郎 先生: asking for 「お名前とご連絡先」 would say it was not read."""
    number = str(
        moth.json(
            "complaint",
            "add",
            "--post",
            ONE,
            "--basis",
            "jp",
            "--lang",
            "ja",
            "--name",
            "山田 太郎",
            "--role",
            "弁護士",
        )["id"]
    )
    text = _reply(moth, number, action)
    assert "山田 太郎 先生" in text
    assert "・ご連絡先（ご住所、お電話番号またはメールアドレス）" in text and "お名前" not in text


def test_a_sender_without_a_name_is_still_asked_for_it(moth: Tracker) -> None:
    number = str(moth.json("complaint", "add", "--post", ONE, "--basis", "jp", "--lang", "ja")["id"])
    assert "・お名前とご連絡先" in _reply(moth, number, "ask_info")


def test_a_named_dsa_notifier_is_asked_for_the_e_mail_address_only(moth: Tracker) -> None:
    number = str(
        moth.json("complaint", "add", "--post", ONE, "--basis", "dsa", "--lang", "en", "--name", "Jane Doe")["id"]
    )
    text = _reply(moth, number, "ask_info")
    assert "Dear Jane Doe" in text and "your e-mail address" in text and "your own name" not in text


def test_an_agents_counter_notice_speaks_of_their_clients_work_and_name(moth: Tracker) -> None:
    """The platform reads 'the complainant' as whoever filed the notice: an agent's client owns the work."""
    number = _complaint(
        moth, "complaint", "add", "--post", ONE, "--basis", "dmca", "--lang", "en", "--name", "Rights Agency Ltd",
        "--role", "agent", "--platform", "pixiv",
    )  # fmt: skip
    moth("complaint", "decide", number, "--action", "take_down")
    moth("complaint", "confirm", number)
    moth("complaint", "decide", number, "--action", "dispute", "--reason", "independent_creation")
    draft = moth.json("complaint", "reply", number)
    assert draft["kind"] == "counter_notice"
    text = draft["text"]
    assert "independently of the complainant's client's work" in text
    assert "without the complainant's client's name" in text
    assert "the complainant's work" not in text and "the complainant's name" not in text


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_dispute_about_a_post_already_removed_does_not_say_it_stays(moth: Tracker, lang: str) -> None:
    """Taken down for another complaint: 'I am not removing it' would be false; the letter says it is offline
    and that the claim is still not accepted."""
    first = _add(moth, lang=lang)
    moth("complaint", "decide", first, "--action", "take_down")
    moth("complaint", "confirm", first)
    text = _reply(moth, _add(moth, lang=lang), "dispute", "--reason", "independent_creation")
    if lang == "ja":
        assert "該当の投稿はすでに削除しており、現在は公開しておりません。" in text
        assert "応じかねます" not in text and "掲載を継続" not in text
    else:
        assert "The post is no longer online (removed earlier), so there is nothing left to remove." in text
        assert "keeping the post up" not in text and "not removing" not in text


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_models_are_named_once_in_an_independent_creation_dispute(moth: Tracker, lang: str) -> None:
    """The reason says 'with the models listed below': the list is headed as a list, not introduced again."""
    text = _reply(moth, _add(moth, lang=lang), "dispute", "--reason", "independent_creation")
    if lang == "ja":
        assert "下記のモデルおよびLoRAを用いて" in text and "使用したモデルおよびLoRAは以下のとおりです" in text
        assert "を使用して生成したものです" not in text
    else:
        assert "with the model and LoRAs listed below" in text and "The model and LoRAs used" in text
        assert "generated with the following" not in text


def _removed_for_another(moth: Tracker, post: str = ONE) -> None:
    first = _add(moth, posts=(post,))
    moth("complaint", "decide", first, "--action", "take_down")
    moth("complaint", "confirm", first)


@pytest.mark.parametrize("basis", ["dmca", "dsa"])
def test_no_counter_notice_for_a_post_removed_for_another_complaint(moth: Tracker, basis: str) -> None:
    """A counter-notice swears the material was removed on *this* notice by mistake: a post taken down for
    someone else's complaint (and a live one beside it) gets the plain dispute, never that oath."""
    _removed_for_another(moth)
    number = _complaint(
        moth, "complaint", "add", "--post", ONE, "--post", TWO, "--basis", basis, "--lang", "en", "--platform", "x",
        "--name", "Jane Smith", "--role", "agent",
    )  # fmt: skip
    moth("complaint", "decide", number, "--action", "dispute", "--reason", "other")
    draft = moth.json("complaint", "reply", number)
    assert draft["kind"] == "dispute", draft["kind"]
    assert "penalty of perjury" not in draft["text"]


def test_a_counter_notice_lists_only_what_this_notice_removed(moth: Tracker) -> None:
    number = _complaint(
        moth, "complaint", "add", "--post", ONE, "--post", TWO, "--basis", "dmca", "--lang", "en", "--platform", "x",
        "--name", "Jane Smith",
    )  # fmt: skip
    moth("complaint", "decide", number, "--action", "take_down", "--post", ONE)
    moth("complaint", "confirm", number)
    moth("complaint", "decide", number, "--action", "dispute", "--reason", "other", "--post", ONE, "--post", TWO)
    draft = moth.json("complaint", "reply", number)
    assert draft["kind"] == "counter_notice"
    assert ONE in draft["text"] and TWO not in draft["text"], "the live post was never removed"


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_take_down_of_a_post_already_offline_is_not_said_to_be_at_their_request(moth: Tracker, lang: str) -> None:
    _removed_for_another(moth)
    both = _reply(moth, _add(moth, posts=(ONE, TWO), lang=lang), "take_down")
    alone = _reply(moth, _add(moth, posts=(ONE,), lang=lang), "take_down")
    if lang == "ja":
        assert "以下の投稿を削除いたします。\n・" + TWO in both
        assert "以下の投稿は、すでに削除しており、現在は公開しておりません。\n・" + ONE in both
        assert "お申し出を受けて行うもの" in both, "the other post is removed at their request"
        assert alone.count(ONE) == 1 and "すでに削除しており" in alone
        assert "お申し出を受けて" not in alone and "削除いたします" not in alone
    else:
        assert "I am removing the following post:\n- " + TWO in both
        assert "The following post is already offline (removed earlier):\n- " + ONE in both
        assert "already offline" in alone and "at your request" not in alone and "I am removing" not in alone


@pytest.mark.parametrize(
    ("lang", "said"),
    [("ja", "株式会社サクラ・クリエイティブ法務部による"), ("en", "法務部 of 株式会社サクラ・クリエイティブ")],
)
def test_a_counter_statement_names_a_department_with_its_company(moth: Tracker, lang: str, said: str) -> None:
    number = _complaint(
        moth, "complaint", "add", "--post", ONE, "--basis", "dsa", "--lang", lang, "--platform", "x",
        "--org", "株式会社サクラ・クリエイティブ", "--name", "法務部",
    )  # fmt: skip
    moth("complaint", "decide", number, "--action", "take_down")
    moth("complaint", "confirm", number)
    moth("complaint", "decide", number, "--action", "dispute", "--reason", "other")
    text = str(moth.json("complaint", "reply", number, "--lang", lang)["text"])  # X's team works in English: asked
    assert said in text and "法務部氏" not in text


@pytest.mark.parametrize(
    ("lang", "name", "greeting"),
    [
        ("ja", "弁護士 田中 一郎", "弁護士 田中 一郎 先生"),
        ("ja", "田中弁護士", "弁護士 田中 先生"),
        ("en", "田中 一郎", "Dear 田中 一郎,\n"),  # Dear is the honorific: no 先生 after it
    ],
)
def test_a_lawyer_is_greeted_once_as_a_lawyer(moth: Tracker, lang: str, name: str, greeting: str) -> None:
    number = _complaint(
        moth, "complaint", "add", "--post", ONE, "--basis", "jp", "--lang", lang, "--name", name, "--role", "弁護士",
    )  # fmt: skip
    text = _reply(moth, number, "ask_info")
    assert text.startswith(greeting) and "弁護士 弁護士" not in text and "様" not in text.splitlines()[0]


def test_a_reply_note_opening_with_nao_is_not_followed_by_another(moth: Tracker) -> None:
    note = "なお、ご不明な点がございましたら、お気軽にご連絡ください。"
    text = _reply(moth, _add(moth), "take_down", "--reply-note", note)
    paragraphs = _paragraphs(text)
    assert note in text
    assert not [
        a for a, b in zip(paragraphs, paragraphs[1:], strict=False) if a.startswith("なお") and b.startswith("なお")
    ]
    assert "該当の画像は以下のモデル" in text, "the models paragraph is kept, without its なお"


def test_an_agent_is_not_told_of_their_own_agent(moth: Tracker) -> None:
    number = _complaint(
        moth, "complaint", "add", "--post", ONE, "--basis", "dmca", "--lang", "en", "--name", "Jane Smith",
        "--role", "agent", "--element", "contact",
    )  # fmt: skip
    text = _reply(moth, number, "ask_info")
    assert "your physical or electronic signature\n" in text and "(or your agent's)" not in text
    assert "not authorised by the copyright owner, its agent or the law" in text


def test_a_not_my_post_answer_to_a_picture_tells_the_owner_to_look_at_it(moth: Tracker, tmp_path: Path) -> None:
    """Matching can miss a post shown as a square thumbnail in a grid: the owner is told before sending."""
    from fixtures.imagefactory import pixels

    sent = tmp_path / "screenshot.png"
    pixels((64, 48), seed=99).save(sent)
    number = str(moth.json("complaint", "add", "--image", str(sent), "--name", "K", "--lang", "en")["id"])
    decided = moth("complaint", "decide", number, "--action", "dispute", "--reason", "not_my_post")
    assert "square thumbnail" in decided.stderr and "look at it yourself" in decided.stderr
    draft = moth.json("complaint", "reply", number)
    assert any("square thumbnail" in warning for warning in draft["warnings"])
    assert "square thumbnail" not in draft["text"], "for the owner only"


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_platform_rules_report_naming_no_work_gets_no_copyright_letter(moth: Tracker, lang: str) -> None:
    number = _complaint(
        moth, "complaint", "add", "--post", ONE, "--basis", "platform_rules", "--lang", lang, "--platform", "x",
        "--message", "規約違反です。" if lang == "ja" else "This breaks the rules.",
    )  # fmt: skip
    moth("resource", "set", "hassakuXL_v13", "--creator", "Ikena")
    text = _reply(moth, number, "take_down")
    if lang == "ja":
        assert "規約に違反したことを認めるものではございません" in text
        assert "ご作品" not in text and "著作権" not in text and "学習" not in text
    else:
        assert "not an admission that the post broke the platform's rules" in text
        assert "your work" not in text and "copied" not in text and "trained" not in text


def test_the_reason_names_the_models_below_as_the_list_does(moth: Tracker, tmp_path: Path) -> None:
    """One model listed: "the model listed below", not "the models"."""
    from fixtures.imagefactory import pixels, write_png

    only_model = re.sub(r"Lora hashes: \"[^\"]*\", ", "", TEXT_ONLY)
    only_model = re.sub(r"<lora:[^>]*>", "", only_model)
    three = "https://www.pixiv.net/artworks/603"
    moth("log", write_png(tmp_path / "c.png", {"parameters": only_model}, image=pixels(seed=9)), "--url", three)
    text = _reply(moth, _add(moth, posts=(three,), lang="en"), "dispute", "--reason", "independent_creation")
    assert "generated from a text prompt with the model listed below, without" in text, text
    text = _reply(moth, _add(moth, lang="en"), "dispute", "--reason", "independent_creation")
    assert "generated from a text prompt with the model and LoRAs listed below, without" in text


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_post_without_models_is_not_said_to_be_made_with_the_models_listed(
    moth: Tracker, tmp_path: Path, lang: str
) -> None:
    """Two posts, one with no metadata: the list is headed per post, not "the images were each made with"."""
    bare = "https://www.pixiv.net/artworks/604"
    moth("log", write_png(tmp_path / "d.png", {}, image=pixels(seed=11)), "--url", bare)
    text = _reply(moth, _add(moth, posts=(ONE, bare), lang=lang), "dispute", "--reason", "small_part")
    if lang == "ja":
        assert "使用したモデルおよびLoRAは投稿ごとに以下のとおりです" in text and "それぞれ" not in text
        assert "（モデルの記録はございません）" in text
    else:
        assert "The model and LoRAs used for each post" in text and "were generated with" not in text
        assert "(no model recorded)" in text


def test_a_small_part_of_several_images_is_said_of_each(moth: Tracker) -> None:
    text = _reply(moth, _add(moth, posts=(ONE, TWO), lang="en"), "dispute", "--reason", "small_part")
    assert "limited to a small part of each image, and those parts are not your original expression" in text
    one = _reply(moth, _add(moth, lang="en"), "dispute", "--reason", "small_part")
    assert "limited to a small part of the image, and that part is not your original expression" in one


def test_a_dispute_about_removed_posts_does_not_repeat_the_reasons_verb(moth: Tracker) -> None:
    first = _add(moth)
    moth("complaint", "decide", first, "--action", "take_down")
    moth("complaint", "confirm", first)
    text = _reply(moth, _add(moth), "dispute", "--reason", "small_part")
    assert text.count("考えております") == 1, "the reason says it; the offline paragraph does not say it again"


def test_a_letter_about_no_post_of_mine_names_only_where_the_complaint_came_from(moth: Tracker, tmp_path: Path) -> None:
    """A stranger's complaint about a post that is not the owner's is told where it came through, not every other
    platform the persona posts on; with no platform known, no platform at all (the owner may keep its accounts
    apart), and the ones their message names are listed as a sentence lists them."""
    third = write_png(tmp_path / "c.png", {"parameters": A1111_INFOTEXT}, image=pixels(seed=9))
    moth("log", third, "--url", "https://x.com/moth_art/status/1800000000000000001", "--persona", "moth")
    fourth = write_png(tmp_path / "d.png", {"parameters": A1111_INFOTEXT}, image=pixels(seed=11))
    moth("log", fourth, "--url", "https://bsky.app/profile/moth.bsky.social/post/3kabcde00005", "--persona", "moth")
    args = ("complaint", "add", "--persona", "moth", "--basis", "dmca", "--lang", "en", "--name", "Pat Doe")
    via_x = _complaint(moth, *args, "--platform", "x", "--message", "Your post copies my drawing.")
    letter = _reply(moth, via_x, "dispute", "--reason", "not_my_post")
    assert "I post images on X as Moth Atelier." in letter and "pixiv" not in letter and "Bluesky" not in letter
    unplaced = _reply(
        moth,
        _complaint(moth, *args, "--message", "Your post copies my painting."),
        "dispute",
        "--reason",
        "not_my_post",
    )
    assert "I post images as Moth Atelier." in unplaced
    assert "pixiv" not in unplaced and " X " not in unplaced and "Bluesky" not in unplaced
    named = _complaint(moth, *args, "--message", "Your posts on Bluesky, Twitter and pixiv copy my painting.")
    assert "I post images on pixiv, X and Bluesky as Moth Atelier." in _reply(
        moth, named, "dispute", "--reason", "not_my_post"
    )


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_partial_take_down_introduces_the_persona_where_every_post_it_names_is(
    moth: Tracker, tmp_path: Path, lang: str
) -> None:
    """They named a pixiv post and an X post; only the pixiv one is removed, the X one is named as staying up: the
    persona is introduced on both (they named both), not on pixiv alone beside a list that names an X post."""
    image = write_png(tmp_path / "x.png", {"parameters": A1111_INFOTEXT}, image=pixels(seed=13))
    x_post = "https://x.com/moth_art/status/1800000000000000044"
    moth("log", image, "--url", x_post, "--persona", "moth")
    text = _reply(moth, _add(moth, posts=(ONE, x_post), lang=lang), "take_down", "--post", ONE)
    assert x_post in text
    said = {"ja": "pixiv・X（旧Twitter）にて「Moth Atelier」", "en": "I post images on pixiv and X as Moth Atelier."}
    assert said[lang] in text


DEVIANT = "https://www.deviantart.com/moth/art/Night-Harbour-1100000004"
TUMBLR = "https://www.tumblr.com/moth/740000000001/night-harbour"


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_letter_names_a_post_with_the_title_their_message_gives_it(moth: Tracker, tmp_path: Path, lang: str) -> None:
    """DeviantArt's and Tumblr's post URLs are stored without their title (`/moth/art/1100000004`), but the complainant
    wrote the titled one: the letter names the post as they did, so they see it is the post they meant (only its path:
    their tracking parameters stay out). A message that gives the short form gets the short form."""
    for seed, url in ((9, DEVIANT), (11, TUMBLR)):
        image = write_png(tmp_path / f"{seed}.png", {"parameters": A1111_INFOTEXT}, image=pixels(seed=seed))
        moth("log", image, "--url", url, "--persona", "moth")
    message = f"Your posts {DEVIANT}?utm_source=share and {TUMBLR}, copy my painting. Please remove them."
    cmd = ["complaint", "add", "--post", DEVIANT, "--post", TUMBLR, "--lang", lang, "--name", "Lena Park"]
    text = _reply(moth, str(moth.json(*cmd, "--message", message)["id"]), "take_down")
    assert f"{DEVIANT}\n" in text and f"{TUMBLR}\n" in text, text
    assert "utm_source" not in text and "/art/1100000004" not in text
    short = "Please remove https://www.deviantart.com/moth/art/1100000004 now."
    text = _reply(moth, str(moth.json(*cmd[:3], *cmd[5:], "--message", short, "--duplicate")["id"]), "take_down")
    assert "https://www.deviantart.com/moth/art/1100000004\n" in text


@pytest.mark.parametrize(
    ("message", "named"),
    [
        ("Xで見かけました", ["x"]),
        ("I saw it on X yesterday", ["x"]),
        ("the X-ray of my drawing", []),
        ("I saw it at a booth at the fair", []),
        ("BOOTHで販売されている画像", ["booth"]),
        ("pixivFANBOXの支援者限定の投稿です", ["fanbox"]),
        ("ピクシブとTwitterで見ました", ["pixiv", "x"]),
        ("Skebで納品された絵の無断転載です", ["skeb"]),
        ("私のスケブの絵をトレースしていますね", []),  # a sketchbook, not Skeb
    ],
)
def test_the_platforms_a_message_names(message: str, named: list[str]) -> None:
    """Where a complaint naming no post says it saw the picture: only a platform it names, never one a word merely
    contains (pixiv in pixivFANBOX, a booth at a fair, an X-ray)."""
    assert platforms_spoken_of(message, ["pixiv", "x", "booth", "fanbox", "skeb"]) == named


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_an_ask_info_letter_about_no_post_names_none_of_the_personas_other_accounts(
    moth: Tracker, tmp_path: Path, lang: str
) -> None:
    """An e-mail asking about "your post", none named, on a persona that posts on pixiv and X: the letter asking which
    post they mean introduces the persona without its accounts; one about pixiv (by what arrived, or in their words)
    names pixiv alone, never X."""
    third = write_png(tmp_path / "c.png", {"parameters": A1111_INFOTEXT}, image=pixels(seed=9))
    moth("log", third, "--url", "https://x.com/moth_art/status/1800000000000000001", "--persona", "moth")
    args = ("complaint", "add", "--persona", "moth", "--lang", lang, "--name", "佐藤 美咲")
    plain = _reply(moth, _complaint(moth, *args, "--message", "私の絵にそっくりな画像がありました。"), "ask_info")
    intro = {"ja": "「Moth Atelier」として画像を投稿している者です。", "en": "I post images as Moth Atelier."}[lang]
    assert intro in plain and "pixiv" not in plain and "X" not in plain.replace("[[", "")
    x_said = _reply(moth, _complaint(moth, *args, "--message", "Xで見かけた画像が私の絵にそっくりです。"), "ask_info")
    assert ("X（旧Twitter）にて「Moth Atelier」" if lang == "ja" else "I post images on X as Moth Atelier.") in x_said
    assert "pixiv" not in x_said
    said = _complaint(moth, *args, "--message", "pixivで私の絵にそっくりな画像を見つけました。")
    for number in (said, _complaint(moth, *args, "--platform", "pixiv", "--message", "似た画像がありました。")):
        text = _reply(moth, number, "ask_info")
        assert ("pixivにて「Moth Atelier」" if lang == "ja" else "I post images on pixiv as Moth Atelier.") in text
        assert "X（旧Twitter）" not in text and " X " not in text


def test_an_ask_info_letter_never_asks_for_what_the_record_holds(moth: Tracker) -> None:
    """Her e-mail address is recorded, her name is not: she is asked for her name only. Once her name is added
    (`complaint set --name`), the notice has both and the next letter asks for neither."""
    add = ("complaint", "add", "--post", ONE, "--basis", "dsa", "--lang", "en", "--contact", "maria@example.at")
    number = _complaint(moth, *add)
    text = _reply(moth, number, "ask_info")
    assert "- your own name\n" in text and "e-mail address" not in text
    moth("complaint", "set", number, "--name", "Maria Huber")
    assert moth.json("complaint", "show", number)["completeness"]["name_email"] is True
    text = _reply(moth, number, "ask_info")
    assert text.startswith("Dear Maria Huber,") and "your own name" not in text and "e-mail address" not in text


@pytest.mark.parametrize(
    ("lang", "who", "opening"),
    [
        ("en", ("--name", "Jennifer Walsh", "--org", "Northwind Media LLC", "--role", "agent"), "The image was made"),
        ("en", ("--name", "Lisa Park"), "The image was made"),
        ("ja", ("--name", "田中 一郎", "--org", "株式会社アークライト"), "該当の画像は"),
        ("ja", ("--name", "佐藤 美咲"), "該当の画像は"),
    ],
)
def test_an_independent_creation_without_a_record_names_their_work_once(
    tracker: Tracker, tmp_path: Path, lang: str, who: tuple[str, ...], opening: str
) -> None:
    """A post with no generation record: "made independently of your client's work, without your client's work as
    an input" (「貴社の作品とは無関係に…、貴社の作品を入力画像として…」) said the work twice in one sentence."""
    tracker("log", write_png(tmp_path / "plain.png", {}), "--url", ONE, "--persona", "moth")
    number = _complaint(tracker, "complaint", "add", "--post", ONE, "--basis", "dmca", "--lang", lang, *who)
    text = _reply(tracker, number, "dispute", "--reason", "independent_creation")
    sentence = text[text.index(opening) :].split("\n", 1)[0]
    assert sentence.count("work" if lang == "en" else "作品") == 1, sentence
    assert "input" in sentence or "入力画像として使用したこともございません" in sentence, sentence
