"""Japanese letters as the one who receives them reads them: whose work the letter speaks of, and its wording.

A lawyer or an agent writes for a client: the work is the client's (ご依頼者様の作品), never theirs
(ご作品), in every kind of letter, however the owner recorded who they are (a role typed in English
or Japanese, a law firm as the organisation, or nothing but their message). A company's staff writes
for the company (貴社の作品); a person for themselves (ご作品). And the wording fixed with it: one
なお per letter, a refusal cushioned with 誠に恐れ入りますが, the work never named twice in a sentence.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from complaints.test_reply_texts import ONE, TEXT_ONLY, _reply
from complaints.test_reply_texts import moth as moth  # noqa: F401  (the fixture: one logged post, signed Moth Atelier)
from fixtures.common import Tracker
from fixtures.drawings import drawing
from fixtures.imagefactory import pixels, write_png

pytestmark = pytest.mark.db

LAWYER = "桜坂法律事務所の弁護士、山田太郎と申します。依頼者である佐藤美咲の代理人としてご連絡いたします。"
WRITERS = {
    "role lawyer": ("--org", "桜坂法律事務所", "--role", "lawyer"),
    "role typed in Japanese": ("--role", "代理人"),
    "a law firm, no role": ("--org", "桜坂法律事務所"),
    "only the message says so": ("--message", LAWYER + ONE),
}
LETTERS = {  # the decision, and what the letter is
    "take_down": ("take_down",),
    "dispute": ("dispute", "--reason", "slight_resemblance"),
    "dispute, untitled work": ("dispute", "--reason", "independent_creation"),
    "invalid": ("invalid",),
    "ask_info": ("ask_info",),
}


def _complaint(tracker: Tracker, *args: str, basis: str = "jp", title: str | None = "夜の港") -> str:
    cmd = ["complaint", "add", "--post", ONE, "--basis", basis, "--lang", "ja", "--name", "山田 太郎"]
    cmd += ["--work-title", title] if title else []
    if basis == "jp":  # a complete notice: an ask_info letter asks which part of the work, not for what is missing
        cmd += ["--element", "location", "--element", "right", "--element", "contact"]
    return str(tracker.json(*cmd, *args)["id"])


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"[。\n]", text) if s.strip()]


@pytest.mark.parametrize("letter", LETTERS)
@pytest.mark.parametrize("writer", WRITERS)
def test_a_letter_to_an_agent_speaks_of_the_clients_work(moth: Tracker, writer: str, letter: str) -> None:
    title = None if "untitled" in letter else "夜の港"
    number = _complaint(moth, *WRITERS[writer], title=title)
    text = _reply(moth, number, *LETTERS[letter])
    assert "ご依頼者様の作品" in text, "the work is their client's"
    assert "ご作品" not in text, "never the agent's own work"
    assert "山田 太郎 様\n" in text or "弁護士 山田 太郎 先生\n" in text, (
        "still addressed to the agent (a lawyer as 先生)"
    )


def test_a_counter_notice_for_an_agents_notice_speaks_of_the_clients_work(moth: Tracker) -> None:
    number = _complaint(moth, "--role", "弁護士", "--platform", "pixiv", basis="dmca")
    moth("complaint", "decide", number, "--action", "take_down")
    moth("complaint", "confirm", number)
    text = _reply(moth, number, "dispute", "--reason", "small_part")
    assert text.startswith("米国著作権法第512条(g)(3)に基づく異議申立通知")
    assert "申立人の依頼者の作品と似ている箇所は画像のごく一部に限られ" in text
    assert "山田 太郎氏による" in text, "the notice is still the agent's"


def test_an_english_letter_to_a_japanese_law_firm_says_your_clients_work(moth: Tracker) -> None:
    number = str(
        moth.json("complaint", "add", "--post", ONE, "--basis", "jp", "--lang", "en", "--name", "Taro Yamada",
                  "--org", "桜坂法律事務所")["id"]
    )  # fmt: skip
    text = _reply(moth, number, "take_down")
    assert "your client's work" in text and "your work" not in text


@pytest.mark.parametrize("letter", LETTERS)
def test_a_letter_to_a_person_speaks_of_their_work_once_a_sentence(moth: Tracker, letter: str) -> None:
    number = _complaint(moth, title=None if "untitled" in letter else "夜の港")
    text = _reply(moth, number, *LETTERS[letter])
    assert "ご作品" in text and "ご依頼者様" not in text and "貴社" not in text
    if letter != "invalid":  # the thanks name what the message was about (no "「夜の港」について確認いたしました")
        about = "ご作品" if "untitled" in letter else "「夜の港」"
        assert re.search(
            rf"^このたびは、\d{{4}}年\d+月\d+日に{about}に関するご連絡をいただき、誠にありがとうございます。$",
            text,
            re.M,
        )
    for sentence in _sentences(text):
        assert sentence.count("ご作品") <= 1, sentence


def test_a_letter_to_a_companys_staff_speaks_of_the_companys_work(moth: Tracker) -> None:
    where = ("--work-url", "https://example.jp/harbour")  # where the work is, no image of it: nothing compared
    number = _complaint(moth, "--org", "株式会社ハーバーライト", "--role", "rights holder", *where)
    text = _reply(moth, number, *LETTERS["dispute"])
    assert text.startswith("株式会社ハーバーライト\n山田 太郎 様\n")
    assert "貴社の作品の画像が添付されておりませんでした" in text and "ご作品" not in text


@pytest.mark.parametrize("basis", ["jp", "dmca", "dsa", "platform_rules", "none"])
def test_a_dispute_refuses_politely_with_one_nao(moth: Tracker, basis: str) -> None:
    """The refusal is cushioned (no bare 同意いたしかねます); the DMCA sentence on a counter-notice no longer
    opens with a second なお before the models' なお."""
    text = _reply(moth, _complaint(moth, basis=basis), *LETTERS["dispute"])
    if basis in ("dmca", "dsa"):  # a notice asking for removal: its request is answered
        refusal = next(s for s in _sentences(text) if s.startswith("以上の理由により"))
        assert "誠に恐れ入りますが" in refusal and refusal.endswith("削除のご依頼には応じかねます")
    else:  # read right whether or not they asked for removal: no request is claimed
        assert (
            "以上のことから、該当の投稿は" in text
            and "誠に恐れ入りますが、投稿はこのまま掲載を継続いたします。" in text
        )
        assert "ご依頼" not in text
    assert text.count("なお、") == 1, "one なお in a letter"
    assert "させていただく" not in text
    assert text.rstrip().splitlines()[-4] == "何卒よろしくお願い申し上げます。", "the closing before the signature"


@pytest.mark.parametrize("writer", WRITERS)
def test_a_take_down_to_an_agent_makes_no_apology_for_trouble(moth: Tracker, writer: str) -> None:
    """The letter has just said the removal admits nothing: a lawyer must not read 「ご迷惑をおかけし…申し訳ございません」."""
    text = _reply(moth, _complaint(moth, *WRITERS[writer]), "take_down")
    assert "ご迷惑" not in text and "申し訳ございません" not in text
    assert "認めるものではございません" in text and "何卒よろしくお願い申し上げます。\n\nMoth Atelier" in text


def test_a_take_down_regrets_the_trouble_to_a_person_only(moth: Tracker) -> None:
    """A company's legal department that wrote 「当社の著作権を侵害しています」 would read the apology as an admission."""
    assert "ご迷惑をおかけし、誠に申し訳ございませんでした。" in _reply(moth, _complaint(moth), "take_down")
    text = _reply(moth, _complaint(moth, "--org", "株式会社ハーバーライト"), "take_down")
    assert "ご迷惑" not in text and "認めるものではございません" in text


@pytest.mark.parametrize("role", [("--role", "弁護士"), ("--role", "attorney at law"), ("--name", "田中弁護士")])
def test_a_lawyer_is_greeted_as_sensei_however_the_role_was_typed(moth: Tracker, role: tuple[str, str]) -> None:
    number = _complaint(moth, "--org", "ひかり法律事務所", *role)
    name = "田中" if role[0] == "--name" else "山田 太郎"
    assert _reply(moth, number, "take_down").startswith(f"ひかり法律事務所\n弁護士 {name} 先生\n")


def test_a_lawyers_or_a_companys_notice_is_a_notice_in_the_body_too(moth: Tracker) -> None:
    """The opening and the subject call it 通知書 / 貴社ご通知: the body no longer calls it a ご連絡."""
    lawyer = _reply(moth, _complaint(moth, "--org", "ひかり法律事務所", "--role", "弁護士", basis="dmca"), "invalid")
    assert "いただいたご通知に記載がございませんでした" in lawyer and "ご連絡に含まれて" not in lawyer
    company = _reply(moth, _complaint(moth, "--org", "株式会社ハーバーライト", basis="dmca"), "invalid")
    assert "貴社のご通知に記載がございませんでした" in company


@pytest.mark.parametrize("reason", ["slight_resemblance", "small_part"])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_letter_claims_no_comparison_when_they_sent_no_image_of_their_work(
    moth: Tracker, tmp_path: Path, lang: str, reason: str
) -> None:
    """No image of their work, with or without the address of it (a URL read from the message may be anything,
    the post itself too): no two pictures were set side by side, so the letter says what was looked at instead
    (「慎重に比較いたしましたが」 was a comparison that never happened); an image they sent, it was compared."""
    compared = {"ja": "ご作品と該当の投稿を慎重に比較", "en": "I have compared your work"}[lang]
    unseen = {
        "ja": "いただいたご連絡にはご作品の画像が添付されておりませんでしたので、ご連絡の内容を踏まえて、該当の投稿に"
        "ついて慎重に検討いたしました。",
        "en": "Your message did not include an image of your work, so I have looked carefully at the post in the "
        "light of your description.",
    }[lang]
    cmd = ["complaint", "add", "--post", ONE, "--basis", "jp", "--lang", lang, "--name", "高橋 綾乃"]

    def letter(*more: str) -> str:
        text = _reply(moth, str(moth.json(*cmd, *more, "--duplicate")["id"]), "dispute", "--reason", reason)
        return " ".join(text.split()) if lang == "en" else text  # English lines wrapped: one line to search

    for text in (letter(), letter("--work-url", "https://example.jp/ayano/1")):
        assert unseen in text
        assert compared not in text and "比較" not in text and "compared" not in text
    picture = tmp_path / "theirs.png"
    drawing(5).save(picture)
    text = letter("--image", str(picture))
    assert compared in text and "添付されておりません" not in text and "did not include" not in text


SOURCE_CLAIM = "私の作品をAI生成の元画像として利用されたのではないでしょうか。削除をお願いいたします。"


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_take_down_answers_the_source_image_claim_only_where_the_record_proves_it(
    moth: Tracker, tmp_path: Path, lang: str
) -> None:
    """「AI生成の元画像として利用」: a post whose metadata was read with no image input recorded gets a sentence
    saying their work was not an input; a post without metadata, or a message that never says so, gets none."""
    said = {"ja": "元画像（入力画像）として使用したことはございません", "en": "I did not use your work as a source"}[
        lang
    ]
    cmd = ["complaint", "add", "--basis", "jp", "--lang", lang, "--name", "高橋 綾乃", "--message", SOURCE_CLAIM]
    text = _reply(moth, str(moth.json(*cmd, "--post", ONE)["id"]), "take_down")
    assert said in text
    quiet = ["complaint", "add", "--basis", "jp", "--lang", lang, "--name", "高橋 綾乃", "--post", ONE]
    assert said not in _reply(moth, str(moth.json(*quiet, "--message", "削除をお願いいたします。")["id"]), "take_down")
    bare = tmp_path / "bare.png"
    drawing(3).save(bare)  # no generation metadata: nothing proves what it was made from
    moth("log", bare, "--url", "https://www.pixiv.net/artworks/777", "--persona", "moth")
    unproven = moth.json(*cmd, "--post", "https://www.pixiv.net/artworks/777", "--duplicate")["id"]
    assert said not in _reply(moth, str(unproven), "take_down")


@pytest.mark.parametrize(
    ("message", "claimed"),
    [
        ("私の絵を元にした画像ですよね。削除してください。", True),
        ("私のイラストをもとに生成されたものだと思います。", True),
        ("私が発表したイラスト「夏の灯」を元にしたものではないかと思います。", True),
        ("この画像は私の作品をベースに作られています。", True),
        ("私の絵をトレースしていますよね。", True),
        ("This is based on my artwork. Please take it down.", True),
        ("You traced my drawing.", True),
        ("私の絵を参考にしたのではないでしょうか。", False),
        ("Your post was clearly inspired by my style.", False),
    ],
)
def test_a_take_down_reads_a_work_the_post_was_made_from_as_the_source_image_claim(
    moth: Tracker, message: str, claimed: bool
) -> None:
    """「私の絵を元にした画像」, をもとに, をベースに, トレース, "based on my artwork", "traced": the post said to be made
    from their picture, which the record disproves, so the letter says so. 「参考にした」 and "inspired by" speak of a
    reference or a style, no input image: the letter does not answer a claim they did not make."""
    lang = "en" if message.isascii() else "ja"
    said = {"ja": "元画像（入力画像）として使用したことはございません", "en": "I did not use your work as a source"}[
        lang
    ]
    cmd = ["complaint", "add", "--basis", "jp", "--lang", lang, "--name", "高橋 綾乃", "--message", message]
    assert (said in _reply(moth, str(moth.json(*cmd, "--post", ONE)["id"]), "take_down")) is claimed


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_take_down_of_one_named_post_says_nothing_of_the_source_image_for_a_kept_post_never_read(
    moth: Tracker, tmp_path: Path, lang: str
) -> None:
    """The complaint names #1 (metadata read, text prompt only) and a post with no metadata; only #1 is taken down.
    The letter names the other as staying up, so "I did not use your work as a source image" would read as said of
    it too, though nothing shows what it was made from: the sentence is left out."""
    said = {"ja": "元画像（入力画像）として使用したことはございません", "en": "I did not use your work as a source"}[
        lang
    ]
    bare = tmp_path / "bare.png"
    drawing(3).save(bare)
    moth("log", bare, "--url", "https://www.pixiv.net/artworks/777", "--persona", "moth")
    cmd = ["complaint", "add", "--basis", "jp", "--lang", lang, "--name", "高橋 綾乃", "--message", SOURCE_CLAIM]
    number = str(moth.json(*cmd, "--post", ONE, "--post", "https://www.pixiv.net/artworks/777")["id"])
    text = _reply(moth, number, "take_down", "--post", ONE)
    assert "https://www.pixiv.net/artworks/777" in text, "the letter names the post that stays up"
    assert said not in text


@pytest.mark.parametrize(
    ("lang", "one", "all_of"),
    [
        ("ja", "該当の画像は、入力画像を用いず", "いずれも"),
        ("en", "the image was generated from a text prompt", "the images were"),
    ],
)
def test_the_source_image_sentence_counts_only_the_posts_the_letter_lists(
    moth: Tracker, tmp_path: Path, lang: str, one: str, all_of: str
) -> None:
    """The complaint names #1 and a post the owner had already deleted (also a text prompt only); the take-down
    removes #1, and the letter lists #1 alone. 「該当の画像はいずれも」 / "the images were" would speak of posts the
    letter never shows: the sentence speaks of the one image it lists."""
    gone = "https://www.pixiv.net/artworks/778"
    image = write_png(tmp_path / "gone.png", {"parameters": TEXT_ONLY}, image=pixels(seed=11))
    moth("log", image, "--url", gone, "--persona", "moth")
    moth("post", "set", gone, "--status", "deleted")
    cmd = ["complaint", "add", "--basis", "jp", "--lang", lang, "--name", "高橋 綾乃", "--message", SOURCE_CLAIM]
    number = str(moth.json(*cmd, "--post", ONE, "--post", gone)["id"])
    text = _reply(moth, number, "take_down", "--post", ONE)
    assert gone not in text, "the letter lists only the post it removes"
    assert one in text and all_of not in text, text


def test_a_japanese_counter_statement_reason_reads_as_one_sentence(moth: Tracker) -> None:
    """The reason told to the platform said 「共通しているのは、…にとどまり、…再現したものではありません」: the shared
    ideas were made the subject of "does not reproduce". The post is the subject of both, as a Japanese writer puts it."""
    cmd = ["complaint", "add", "--post", ONE, "--platform", "pixiv", "--channel", "platform_form", "--basis", "dsa"]
    number = str(moth.json(*cmd, "--name", "Anna Schmidt", "--lang", "ja")["id"])
    moth("complaint", "decide", number, "--action", "take_down")
    moth("complaint", "confirm", number)
    moth("complaint", "reply", number, "--answered")
    draft = _draft_after(moth, number)
    assert draft["kind"] == "counter_statement"
    assert "該当の投稿は、題材や画風といったアイデアの段階で申立人の作品と共通しているにとどまり" in draft["text"]
    assert "共通しているのは" not in draft["text"]


def _draft_after(tracker: Tracker, number: str) -> dict:
    tracker("complaint", "decide", number, "--action", "dispute", "--reason", "slight_resemblance")
    return dict(tracker.json("complaint", "reply", number))


def test_a_take_down_answering_a_notice_says_it_follows_the_notice(moth: Tracker) -> None:
    """A lawyer's 通知書 or a company's ご通知 is no お申し出: the removal follows their notice (「ご通知を受けて行う」);
    a person's message stays an お申し出."""
    lawyer = _reply(moth, _complaint(moth, "--org", "ひかり法律事務所", "--role", "弁護士"), "take_down")
    assert "通知書を拝受いたしました。" in lawyer and "今回の削除はご通知を受けて行うものであり、" in lawyer, lawyer
    company = _reply(moth, _complaint(moth, "--org", "株式会社ハーバーライト", basis="dmca"), "take_down")
    assert "今回の削除はご通知を受けて行うものであり、貴社の作品を" in company, company
    assert "お申し出" not in lawyer + company
    person = _reply(moth, _complaint(moth), "take_down")
    assert "今回の削除はお申し出を受けて行うものであり、ご作品を" in person, person
